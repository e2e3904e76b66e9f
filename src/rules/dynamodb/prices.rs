//! DynamoDB prices of one region and table class, read from the price book (which
//! applies the configured discount), and what a unit's quantities cost under them.
//!
//! Keys (data/pricing/services.csv): `dynamodb.ondemand.rru_million.<CLASS>`,
//! `dynamodb.ondemand.wru_million.<CLASS>`, `dynamodb.provisioned.rcu_hour.<CLASS>`,
//! `dynamodb.provisioned.wcu_hour.<CLASS>`, `dynamodb.storage.gb_month.<CLASS>`; a global
//! table's writes are replicated writes: `dynamodb.ondemand.replicated_wru_million.<CLASS>`
//! and `dynamodb.provisioned.replicated_wcu_hour.<CLASS>`. The catalog has the Standard
//! class in us-east-1 only; Standard-IA throughput and replicated writes are not in it
//! (a later offer-file import, or `[pricing.overrides]`, can fill them).

use crate::pricing::PriceBook;

use super::model::{Class, Dim};

/// Per-million request-unit, per-unit-hour and per-GB-month prices, USD.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Prices {
    pub request_million: [f64; 2],
    pub capacity_hour: [f64; 2],
    pub storage_gb_month: f64,
}

impl Prices {
    pub fn on_demand(&self, d: Dim, units: f64) -> f64 {
        units / 1e6 * self.request_million[d.idx()]
    }

    pub fn provisioned(&self, d: Dim, unit_hours: f64) -> f64 {
        unit_hours * self.capacity_hour[d.idx()]
    }
}

/// The five keys for (class, global).
pub fn keys(class: Class, global: bool) -> [String; 5] {
    let c = class.as_str();
    let w = if global { "replicated_" } else { "" };
    [
        format!("dynamodb.ondemand.rru_million.{c}"),
        format!("dynamodb.ondemand.{w}wru_million.{c}"),
        format!("dynamodb.provisioned.rcu_hour.{c}"),
        format!("dynamodb.provisioned.{w}wcu_hour.{c}"),
        format!("dynamodb.storage.gb_month.{c}"),
    ]
}

/// The region's prices, or the keys it lacks.
pub fn lookup(book: &PriceBook, region: &str, class: Class, global: bool) -> Result<Prices, Vec<String>> {
    let keys = keys(class, global);
    let mut values = [0.0; 5];
    let mut missing = Vec::new();
    for (v, key) in values.iter_mut().zip(&keys) {
        match book.usd(region, key) {
            Ok(p) => *v = p,
            Err(_) => missing.push(key.clone()),
        }
    }
    if missing.is_empty() {
        Ok(Prices {
            request_million: [values[0], values[1]],
            capacity_hour: [values[2], values[3]],
            storage_gb_month: values[4],
        })
    } else {
        Err(missing)
    }
}

/// One price of the region, or its key when the book lacks it.
pub fn price(book: &PriceBook, region: &str, key: &str) -> Result<f64, String> {
    book.usd(region, key).map_err(|_| key.to_string())
}

/// The throughput key of one dimension paid on-demand (`request`) or provisioned.
pub fn throughput_key(class: Class, global: bool, d: Dim, request: bool) -> String {
    let k = keys(class, global);
    match (request, d) {
        (true, Dim::Read) => k[0].clone(),
        (true, Dim::Write) => k[1].clone(),
        (false, Dim::Read) => k[2].clone(),
        (false, Dim::Write) => k[3].clone(),
    }
}

/// Where a table's money comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum Basis {
    /// The region's own prices.
    Region(Prices),
    /// The region lacks prices: options are ranked on us-east-1's and the finding is
    /// unpriced, with this reason.
    Proxy(Prices, String),
    /// Not even us-east-1 has them (e.g. replicated writes, Standard-IA throughput).
    Missing(Vec<String>),
}

impl Basis {
    pub fn of(book: &PriceBook, region: &str, class: Class, global: bool) -> Basis {
        match lookup(book, region, class, global) {
            Ok(p) => Basis::Region(p),
            Err(missing) => match lookup(book, "us-east-1", class, global) {
                Ok(p) if region != "us-east-1" => Basis::Proxy(
                    p,
                    format!(
                        "the price book has no DynamoDB prices for {region} (missing {}); options were ranked on \
                         us-east-1 list prices and no dollar figure is claimed; to price it: {}",
                        missing.join(", "),
                        crate::pricing::how_to_price(region, missing.first().map(String::as_str).unwrap_or_default())
                    ),
                ),
                _ => Basis::Missing(missing.iter().map(|k| format!("{region}/{k}")).collect()),
            },
        }
    }

    /// The prices to rank with, if any.
    pub fn prices(&self) -> Option<&Prices> {
        match self {
            Basis::Region(p) | Basis::Proxy(p, _) => Some(p),
            Basis::Missing(_) => None,
        }
    }

    pub fn unpriced_reason(&self) -> Option<String> {
        match self {
            Basis::Region(_) => None,
            Basis::Proxy(_, why) => Some(why.clone()),
            Basis::Missing(keys) => Some(format!("the price book lacks {}", keys.join(", "))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn us_east_1_standard_is_in_the_catalog_and_ia_throughput_is_not() {
        let book = PriceBook::embedded();
        let p = lookup(&book, "us-east-1", Class::Standard, false).expect("Standard prices");
        // post-November-2024 on-demand: $0.125 per million RRU, $0.625 per million WRU
        assert_eq!(p.request_million, [0.125, 0.625]);
        assert_eq!(p.capacity_hour, [0.00013, 0.00065]);
        assert_eq!(p.storage_gb_month, 0.25);
        let missing = lookup(&book, "us-east-1", Class::InfrequentAccess, false).unwrap_err();
        assert_eq!(
            missing,
            [
                "dynamodb.ondemand.rru_million.STANDARD_INFREQUENT_ACCESS",
                "dynamodb.ondemand.wru_million.STANDARD_INFREQUENT_ACCESS",
                "dynamodb.provisioned.rcu_hour.STANDARD_INFREQUENT_ACCESS",
                "dynamodb.provisioned.wcu_hour.STANDARD_INFREQUENT_ACCESS",
            ]
        );
        assert!(matches!(Basis::of(&book, "ap-northeast-2", Class::Standard, false), Basis::Proxy(..)));
        let global = Basis::of(&book, "us-east-1", Class::Standard, true);
        assert_eq!(
            global.unpriced_reason().unwrap(),
            "the price book lacks us-east-1/dynamodb.ondemand.replicated_wru_million.STANDARD, \
             us-east-1/dynamodb.provisioned.replicated_wcu_hour.STANDARD"
        );
    }

    #[test]
    fn the_discount_applies() {
        let none: [(String, f64); 0] = [];
        let book = PriceBook::embedded().with_overrides(none.iter().map(|(k, v)| (k, v)), 10.0).unwrap();
        let p = lookup(&book, "us-east-1", Class::Standard, false).unwrap();
        assert!((p.capacity_hour[1] - 0.00065 * 0.9).abs() < 1e-12);
    }
}
