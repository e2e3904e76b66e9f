//! AWS Price List offer files → the items tierwise prices, per region.
//!
//! Reads the bulk CSV (five metadata rows, the header, one row per SKU × price
//! dimension; columns mapped by name) and the JSON offer file (`products` +
//! `terms.OnDemand`), streaming: the EC2 file of one region is hundreds of MB, and only
//! the rows a user pays are kept (`select.rs`). GetProducts answers (one JSON product
//! with its terms per element) go through the same selection (`Assembler::product`).
//! Tiers (StartingRange/EndingRange, beginRange/endRange) become one key per tier
//! (`tiers.rs`); zero-priced dimensions (free-tier bands, $0 host or reservation rows)
//! are never imported.

pub mod attrs;
mod csv_offer;
pub mod csv_reader;
mod json_offer;
pub mod select;

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use attrs::Attrs;
use select::Target;

/// An offer file's identity.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OfferMeta {
    pub offer_code: String,
    pub version: String,
    /// `YYYY-MM-DD`.
    pub published: String,
}

/// One imported price.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedItem {
    pub usd: f64,
    pub unit: String,
    pub sku: String,
    pub rate_code: String,
    /// AWS's description of the dimension (kept for humans; never parsed for a price).
    pub description: String,
}

/// What one file (or API answer) gave.
#[derive(Debug, Clone, Default)]
pub struct Imported {
    pub meta: OfferMeta,
    /// The file, URL or API the offer came from.
    pub from: String,
    pub items: BTreeMap<(String, String), ImportedItem>,
    /// Rows (CSV) or price dimensions (JSON) read.
    pub rows: u64,
    /// Why rows were not imported, with counts.
    pub skipped: BTreeMap<&'static str, u64>,
    pub warnings: Vec<String>,
}

impl Imported {
    pub fn regions(&self) -> Vec<&str> {
        let mut r: Vec<&str> = self.items.keys().map(|(r, _)| r.as_str()).collect();
        r.dedup();
        r
    }
}

#[derive(Debug, thiserror::Error)]
pub enum OfferError {
    #[error("{path}: cannot read: {detail}")]
    Unreadable { path: PathBuf, detail: String },
    #[error("{path}: {location}: {detail}")]
    Malformed { path: PathBuf, location: String, detail: String },
    #[error(
        "{path}: offer `{offer}` is not one tierwise reads (it reads {})",
        select::OFFERS.join(", ")
    )]
    UnknownService { path: PathBuf, offer: String },
}

impl OfferError {
    pub(crate) fn malformed(path: &Path, location: impl Into<String>, detail: impl Into<String>) -> OfferError {
        OfferError::Malformed { path: path.to_path_buf(), location: location.into(), detail: detail.into() }
    }
}

/// Import an offer file (CSV or JSON, by content).
pub fn import_file(path: &Path) -> Result<Imported, OfferError> {
    let file = std::fs::File::open(path)
        .map_err(|e| OfferError::Unreadable { path: path.to_path_buf(), detail: e.to_string() })?;
    import_reader(path, &path.display().to_string(), file)
}

/// Import an offer from any reader (a file, a download). `path` names it in errors.
pub fn import_reader(path: &Path, from: &str, reader: impl Read) -> Result<Imported, OfferError> {
    let mut input = BufReader::with_capacity(1 << 20, reader);
    let first = loop {
        let buf =
            input.fill_buf().map_err(|e| OfferError::Unreadable { path: path.to_path_buf(), detail: e.to_string() })?;
        match buf.iter().position(|b| !b.is_ascii_whitespace() && *b != 0xEF && *b != 0xBB && *b != 0xBF) {
            Some(i) => break Some(buf[i]),
            None if buf.is_empty() => break None,
            None => {
                let n = buf.len();
                input.consume(n);
            }
        }
    };
    let mut imported = match first {
        None => return Err(OfferError::malformed(path, "line 1", "empty file (expected an AWS offer CSV or JSON)")),
        Some(b'{') => json_offer::read(path, input)?,
        Some(_) => csv_offer::read(path, input)?,
    };
    imported.from = from.to_string();
    Ok(imported)
}

/// Check an offer code before reading its rows.
pub(crate) fn check_offer(path: &Path, offer: &str) -> Result<(), OfferError> {
    if select::OFFERS.contains(&offer) {
        Ok(())
    } else {
        Err(OfferError::UnknownService { path: path.to_path_buf(), offer: offer.to_string() })
    }
}

/// `2026-09-25T17:45:21Z` → `2026-09-25`; the date must parse.
pub(crate) fn publication_date(text: &str) -> Option<String> {
    let date = text.trim().get(..10)?;
    chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").ok().map(|d| d.format("%Y-%m-%d").to_string())
}

/// One price dimension of a selected row.
#[derive(Debug, Clone)]
pub struct Dim {
    pub begin: f64,
    pub usd: f64,
    pub unit: String,
    pub sku: String,
    pub rate_code: String,
    pub description: String,
}

/// Collects the selected rows' dimensions, then settles them into one key per tier.
#[derive(Default)]
pub struct Assembler {
    entries: HashMap<(String, String), (Target, Vec<Dim>)>,
    pub rows: u64,
    pub skipped: BTreeMap<&'static str, u64>,
}

impl Assembler {
    pub fn skip(&mut self, reason: &'static str) {
        *self.skipped.entry(reason).or_default() += 1;
    }

    /// Offer a row's product and one of its on-demand dimensions.
    pub fn add(&mut self, offer: &str, product: &dyn Attrs, dim: Dim) {
        match select::select(offer, product) {
            Ok(target) => self.add_selected(target, dim),
            Err(reason) => self.skip(reason),
        }
    }

    /// A dimension of a product already selected.
    pub fn add_selected(&mut self, target: Target, dim: Dim) {
        let e = self.entries.entry((target.region.clone(), target.key.clone())).or_insert_with(|| (target, Vec::new()));
        e.1.push(dim);
    }

    /// A GetProducts element: `{product: {productFamily, attributes, sku}, terms: {OnDemand: …}}`.
    pub fn product(&mut self, offer: &str, doc: &serde_json::Value) {
        let product = &doc["product"];
        let (Some(family), Some(attributes)) =
            (product["productFamily"].as_str().or(Some("")), product["attributes"].as_object())
        else {
            self.skip("product without attributes");
            return;
        };
        let attrs = attrs::OwnedAttrs::from_json(family, attributes);
        let sku = product["sku"].as_str().unwrap_or_default();
        let target = select::select(offer, &attrs);
        for term in doc["terms"]["OnDemand"].as_object().into_iter().flat_map(|m| m.values()) {
            for dim in json_offer::term_dims(sku, term) {
                self.rows += 1;
                match (&target, dim) {
                    (Ok(target), Ok(dim)) => self.add_selected(target.clone(), dim),
                    (Err(reason), _) => self.skip(reason),
                    (_, Err(json_offer::DimIssue::Skip(reason))) => self.skip(reason),
                    (_, Err(json_offer::DimIssue::Bad(_))) => self.skip("malformed price dimension"),
                }
            }
        }
    }

    /// Settle every key: one SKU per key (conflicts are dropped with a warning), the
    /// offer's unit converted to tierwise's, zero dimensions dropped, tiers named.
    pub fn finish(self, meta: OfferMeta) -> Imported {
        let mut out = Imported { meta, rows: self.rows, skipped: self.skipped, ..Imported::default() };
        let mut keys: Vec<_> = self.entries.into_iter().collect();
        keys.sort_by(|a, b| a.0.cmp(&b.0));
        for ((region, key), (target, dims)) in keys {
            settle(&mut out, &region, &key, &target, dims);
        }
        add_inter_region_mode(&mut out);
        out
    }
}

fn settle(out: &mut Imported, region: &str, key: &str, target: &Target, mut dims: Vec<Dim>) {
    // One SKU per key: several SKUs with different prices mean the selection is not unique.
    dims.sort_by(|a, b| a.sku.cmp(&b.sku).then(a.begin.total_cmp(&b.begin)));
    // The same dimension listed twice (a row repeated, a product in two answers) is one.
    dims.dedup_by(|a, b| a.sku == b.sku && a.begin == b.begin && a.usd == b.usd && a.rate_code == b.rate_code);
    let mut by_sku: BTreeMap<&str, Vec<&Dim>> = BTreeMap::new();
    for d in &dims {
        by_sku.entry(d.sku.as_str()).or_default().push(d);
    }
    let shapes: Vec<Vec<(u64, u64)>> =
        by_sku.values().map(|ds| ds.iter().map(|d| (d.begin.to_bits(), d.usd.to_bits())).collect()).collect();
    if shapes.windows(2).any(|w| w[0] != w[1]) {
        let list: Vec<String> = by_sku
            .iter()
            .map(|(sku, ds)| {
                format!("{sku} {}", ds.iter().map(|d| format!("${}", d.usd)).collect::<Vec<_>>().join("/"))
            })
            .collect();
        out.warnings.push(format!(
            "{region}/{key}: {} rows disagree ({}); not imported (unpriced rather than a guess)",
            by_sku.len(),
            list.join(", ")
        ));
        return;
    }
    let Some(first_sku) = by_sku.values().next() else { return };
    let mut dims: Vec<&Dim> = first_sku.clone();
    dims.sort_by(|a, b| a.begin.total_cmp(&b.begin));
    let factor = match unit_factor(target, &dims[0].unit) {
        Some(f) => f,
        None => {
            out.warnings.push(format!(
                "{region}/{key}: unexpected unit `{}` (expected {}); not imported",
                dims[0].unit,
                target.units.iter().map(|(u, _)| *u).collect::<Vec<_>>().join(" or ")
            ));
            return;
        }
    };
    let zero_band_from_0 = dims.first().is_some_and(|d| d.begin == 0.0 && d.usd == 0.0);
    let paid: Vec<&Dim> = dims.iter().copied().filter(|d| d.usd > 0.0).collect();
    if paid.len() < dims.len() {
        *out.skipped.entry("zero-priced dimension (free tier band, $0 row)").or_default() +=
            (dims.len() - paid.len()) as u64;
    }
    let tiered = crate::pricing::tiers::tiered_item(key);
    for (i, d) in paid.iter().enumerate() {
        let name = match tiered {
            Some(item) => match item.tiers.iter().find(|(_, from)| (*from - d.begin).abs() < 1e-6) {
                Some((suffix, _)) => format!("{key}{suffix}"),
                None if i == 0 && zero_band_from_0 => key.to_string(),
                None => {
                    out.warnings.push(format!(
                        "{region}/{key}: a tier starts at {} {}, which tierwise's tiers do not (they start at {}); \
                         that tier is not imported",
                        d.begin,
                        d.unit,
                        item.tiers.iter().map(|(_, f)| f.to_string()).collect::<Vec<_>>().join(", ")
                    ));
                    continue;
                }
            },
            None if i == 0 => key.to_string(),
            None => format!("{key}.from_{}", d.begin),
        };
        let item = ImportedItem {
            usd: d.usd * factor,
            unit: target.unit.to_string(),
            sku: d.sku.clone(),
            rate_code: d.rate_code.clone(),
            description: d.description.clone(),
        };
        if i == 0
            && let Some(also) = target.also
        {
            out.items.insert((region.to_string(), also.to_string()), item.clone());
        }
        out.items.insert((region.to_string(), name), item);
    }
}

fn unit_factor(target: &Target, unit: &str) -> Option<f64> {
    if target.units.is_empty() {
        return Some(1.0);
    }
    target.units.iter().find(|(u, _)| *u == "*" || u.eq_ignore_ascii_case(unit.trim())).map(|(_, f)| *f)
}

/// `transfer.inter_region.gb`: the price most destinations share (AWS lists one rate for
/// most), when one price is the most common; the per-destination keys stay.
fn add_inter_region_mode(out: &mut Imported) {
    let mut per_region: BTreeMap<String, BTreeMap<u64, (u32, ImportedItem)>> = BTreeMap::new();
    for ((region, key), item) in &out.items {
        if key.starts_with("transfer.inter_region.gb.to.") {
            per_region.entry(region.clone()).or_default().entry(item.usd.to_bits()).or_insert((0, item.clone())).0 += 1;
        }
    }
    for (region, prices) in per_region {
        let best = prices.values().map(|(n, _)| *n).max().unwrap_or(0);
        let winners: Vec<&(u32, ImportedItem)> = prices.values().filter(|(n, _)| *n == best).collect();
        if let [(n, item)] = winners.as_slice() {
            let mut item = item.clone();
            item.description = format!("most common rate, {n} of the destinations ({})", item.description);
            out.items.insert((region, "transfer.inter_region.gb".into()), item);
        }
    }
}
