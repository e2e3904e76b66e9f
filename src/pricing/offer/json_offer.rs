//! The JSON offer file, streamed: `{formatVersion, disclaimer, offerCode, version,
//! publicationDate, products: {sku: {sku, productFamily, attributes}}, terms: {OnDemand:
//! {sku: {"sku.term": {priceDimensions: {…: {beginRange, endRange, unit, pricePerUnit:
//! {USD}}}}}}, Reserved: …}}`. Products are selected as they stream past and only the
//! selected SKUs are remembered; `Reserved` is skipped unread. Real files use
//! `beginRange`/`endRange` (AWS's docs template says `startingRange`: both are read).

use std::collections::HashMap;
use std::fmt;
use std::io::BufRead;
use std::path::Path;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde_json::{Map, Value};

use super::attrs::OwnedAttrs;
use super::select::{self, Target};
use super::{Assembler, Dim, Imported, OfferError, OfferMeta, publication_date};

#[derive(Default)]
struct State {
    offer: Option<String>,
    version: Option<String>,
    published: Option<String>,
    /// Selected SKUs and what they price.
    selected: HashMap<String, Target>,
    /// Dimensions seen before their product (only when `terms` precedes `products`).
    early: HashMap<String, Vec<Dim>>,
    products_seen: bool,
    unknown_offer: Option<String>,
    asm: Assembler,
}

pub fn read(path: &Path, input: impl BufRead) -> Result<Imported, OfferError> {
    let mut state = State::default();
    let mut de = serde_json::Deserializer::from_reader(input);
    let result = Top(&mut state).deserialize(&mut de).and_then(|_| de.end());
    if let Some(offer) = state.unknown_offer.take() {
        return Err(OfferError::UnknownService { path: path.to_path_buf(), offer });
    }
    result.map_err(|e| {
        let location = if e.line() > 0 { format!("line {} column {}", e.line(), e.column()) } else { "end".into() };
        let text = e.to_string();
        let detail = text.split(" at line ").next().unwrap_or_default();
        let detail = match e.classify() {
            serde_json::error::Category::Eof => format!("{detail} (truncated file?)"),
            _ => detail.to_string(),
        };
        OfferError::malformed(path, location, detail)
    })?;
    let offer_code = state.offer.clone().ok_or_else(|| OfferError::malformed(path, "top level", "no `offerCode`"))?;
    let version = state.version.clone().ok_or_else(|| OfferError::malformed(path, "top level", "no `version`"))?;
    let published_text = state.published.clone().unwrap_or_default();
    let published = publication_date(&published_text).ok_or_else(|| {
        OfferError::malformed(path, "top level, field publicationDate", format!("`{published_text}` is not a date"))
    })?;
    if !state.products_seen {
        return Err(OfferError::malformed(path, "top level", "no `products`"));
    }
    for (_, dims) in state.early.drain() {
        state
            .asm
            .skipped
            .entry("dimension of an unknown or unselected SKU")
            .and_modify(|n| *n += dims.len() as u64)
            .or_insert(dims.len() as u64);
    }
    Ok(state.asm.finish(OfferMeta { offer_code, version, published }))
}

struct Top<'a>(&'a mut State);

impl<'de> DeserializeSeed<'de> for Top<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Top<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an AWS offer file (a JSON object with offerCode, products and terms)")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let state = self.0;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "offerCode" => {
                    let offer: String = map.next_value()?;
                    if !select::OFFERS.contains(&offer.as_str()) {
                        state.unknown_offer = Some(offer.clone());
                        return Err(de::Error::custom(format!("offer `{offer}` is not one tierwise reads")));
                    }
                    state.offer = Some(offer);
                }
                "version" => state.version = Some(map.next_value()?),
                "publicationDate" => state.published = Some(map.next_value()?),
                "products" => {
                    if state.offer.is_none() {
                        return Err(de::Error::custom("`products` before `offerCode`: not an AWS offer file"));
                    }
                    state.products_seen = true;
                    map.next_value_seed(Products(state))?;
                }
                "terms" => map.next_value_seed(Terms(state))?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

#[derive(serde::Deserialize)]
struct Product {
    #[serde(default, rename = "productFamily")]
    family: String,
    #[serde(default)]
    attributes: Map<String, Value>,
}

struct Products<'a>(&'a mut State);

impl<'de> DeserializeSeed<'de> for Products<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Products<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("`products`: an object of SKU → product")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let state = self.0;
        let offer = state.offer.clone().unwrap_or_default();
        while let Some((sku, product)) = map.next_entry::<String, Product>()? {
            let attrs = OwnedAttrs::from_json(&product.family, &product.attributes);
            match select::select(&offer, &attrs) {
                Ok(target) => {
                    for dim in state.early.remove(&sku).unwrap_or_default() {
                        state.asm.add_selected(target.clone(), dim);
                    }
                    state.selected.insert(sku, target);
                }
                Err(reason) => {
                    state.asm.skip(reason);
                    state.early.remove(&sku);
                }
            }
        }
        Ok(())
    }
}

struct Terms<'a>(&'a mut State);

impl<'de> DeserializeSeed<'de> for Terms<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Terms<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("`terms`: an object with OnDemand (and Reserved) terms")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let state = self.0;
        while let Some(kind) = map.next_key::<String>()? {
            if kind != "OnDemand" {
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            map.next_value_seed(OnDemand(&mut *state))?;
        }
        Ok(())
    }
}

struct OnDemand<'a>(&'a mut State);

impl<'de> DeserializeSeed<'de> for OnDemand<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for OnDemand<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("`terms.OnDemand`: an object of SKU → terms")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let state = self.0;
        while let Some((sku, terms)) = map.next_entry::<String, Map<String, Value>>()? {
            for term in terms.values() {
                for dim in term_dims(&sku, term) {
                    state.asm.rows += 1;
                    let dim = match dim {
                        Ok(d) => d,
                        Err(DimIssue::Skip(reason)) => {
                            state.asm.skip(reason);
                            continue;
                        }
                        Err(DimIssue::Bad(detail)) => return Err(de::Error::custom(format!("SKU {sku}: {detail}"))),
                    };
                    match state.selected.get(&sku) {
                        Some(target) => state.asm.add_selected(target.clone(), dim),
                        None if !state.products_seen => state.early.entry(sku.clone()).or_default().push(dim),
                        None => {}
                    }
                }
            }
        }
        Ok(())
    }
}

/// Why a dimension is not used.
pub enum DimIssue {
    Skip(&'static str),
    Bad(String),
}

/// The price dimensions of one on-demand term. A term with term attributes (a lease
/// length, a purchase option) is a reserved term filed under OnDemand: skipped.
pub fn term_dims(sku: &str, term: &Value) -> Vec<Result<Dim, DimIssue>> {
    if term["termAttributes"].as_object().is_some_and(|a| !a.is_empty()) {
        return vec![Err(DimIssue::Skip("reserved term filed under OnDemand (has term attributes)"))];
    }
    let Some(dims) = term["priceDimensions"].as_object() else {
        return vec![Err(DimIssue::Bad("term without priceDimensions".into()))];
    };
    dims.values()
        .map(|d| {
            let Some(text) = d["pricePerUnit"]["USD"].as_str() else {
                return Err(DimIssue::Skip("price not in USD"));
            };
            let usd: f64 = text
                .trim()
                .parse()
                .ok()
                .filter(|v: &f64| v.is_finite() && *v >= 0.0)
                .ok_or_else(|| DimIssue::Bad(format!("pricePerUnit.USD `{text}` is not a price")))?;
            let range = d.get("beginRange").or_else(|| d.get("startingRange")).and_then(Value::as_str).unwrap_or("0");
            let begin: f64 =
                range.trim().parse().map_err(|_| DimIssue::Bad(format!("beginRange `{range}` is not a number")))?;
            Ok(Dim {
                begin,
                usd,
                unit: d["unit"].as_str().unwrap_or_default().to_string(),
                sku: sku.to_string(),
                rate_code: d["rateCode"].as_str().unwrap_or_default().to_string(),
                description: d["description"].as_str().unwrap_or_default().to_string(),
            })
        })
        .collect()
}
