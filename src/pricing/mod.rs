//! PriceBook: "what does X cost per unit in region R".
//!
//! The catalog is compiled into the binary from `data/pricing/` (regenerated from the
//! dated, sourced facts by `scripts/import-shared-pricing.py`). Config can override
//! any price and apply a discount. A missing price is an error naming the region and
//! the item — never a silent zero.

pub mod families;
pub mod instance_types;
pub mod platform;
pub mod tiers;

use std::collections::HashMap;
use std::sync::Arc;

pub use instance_types::{Burst, Devices, Hardware, InstanceSpec, InstanceStorage};

/// The date of the newest facts in the embedded catalog (EC2 prices, generated from
/// the AWS Price List API on this day). The service prices are AWS's 2025 list.
pub const CATALOG_AS_OF: &str = "2026-07-20";

const SERVICES_CSV: &str = include_str!("../../data/pricing/services.csv");
const EC2_LINUX_CSV: &str = include_str!("../../data/pricing/ec2_ondemand_linux.csv");

/// Hours in the billing month used for every monthly figure.
pub const HOURS_PER_MONTH: f64 = 730.0;

#[derive(Debug, Clone, PartialEq)]
pub struct Price {
    pub usd: f64,
    pub unit: String,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PriceError {
    #[error(
        "no price for `{item}` in {region} (unpriced: add it under [pricing.overrides] in tierwise.toml as \"{region}/{item}\" = USD, or refresh prices)"
    )]
    Missing { region: String, item: String },
    #[error("invalid price override `{key}`: {detail}")]
    BadOverride { key: String, detail: String },
}

#[derive(Debug, Clone)]
pub struct PriceBook {
    prices: HashMap<(String, String), Price>,
    /// Multiplier applied to every price (1 − discount).
    factor: f64,
    instances: HashMap<String, Arc<InstanceSpec>>,
}

impl PriceBook {
    /// The embedded catalog, no overrides, no discount.
    pub fn embedded() -> PriceBook {
        let mut prices = HashMap::new();
        let rows = crate::csv_text::parse(SERVICES_CSV);
        // region,service,key,item,unit,usd,source
        for row in rows.iter().skip(1).filter(|r| r.len() >= 7) {
            if let Ok(usd) = row[5].parse::<f64>() {
                let price = Price { usd, unit: row[4].clone(), source: row[6].clone() };
                prices.insert((row[0].clone(), row[2].clone()), price);
            }
        }
        // region,instance_type,usd_per_hour,source
        for row in crate::csv_text::parse(EC2_LINUX_CSV).iter().skip(1).filter(|r| r.len() >= 4) {
            if let Ok(usd) = row[2].parse::<f64>() {
                let price = Price { usd, unit: "hour".into(), source: row[3].clone() };
                prices.insert((row[0].clone(), ec2_key(&row[1], "linux")), price);
            }
        }
        PriceBook {
            prices,
            factor: 1.0,
            instances: instance_types::embedded().into_iter().map(|(k, v)| (k, Arc::new(v))).collect(),
        }
    }

    /// Apply `region/key = usd` overrides and a discount percentage (0–100).
    pub fn with_overrides<'a>(
        mut self,
        overrides: impl IntoIterator<Item = (&'a String, &'a f64)>,
        discount_pct: f64,
    ) -> Result<PriceBook, PriceError> {
        for (key, usd) in overrides {
            let Some((region, item)) = key.split_once('/') else {
                return Err(PriceError::BadOverride {
                    key: key.clone(),
                    detail: "expected \"region/item\", e.g. \"us-east-1/ebs.gp3.gb_month\"".into(),
                });
            };
            if !(usd.is_finite() && *usd >= 0.0) {
                return Err(PriceError::BadOverride { key: key.clone(), detail: "price must be ≥ 0".into() });
            }
            let unit =
                self.prices.get(&(region.to_string(), item.to_string())).map(|p| p.unit.clone()).unwrap_or_default();
            self.prices.insert(
                (region.to_string(), item.to_string()),
                Price { usd: *usd, unit, source: "tierwise.toml [pricing.overrides]".into() },
            );
        }
        if !(0.0..100.0).contains(&discount_pct) {
            return Err(PriceError::BadOverride {
                key: "pricing.discount_pct".into(),
                detail: format!("{discount_pct} is not in 0..100"),
            });
        }
        self.factor = 1.0 - discount_pct / 100.0;
        Ok(self)
    }

    /// Unit price in USD (after discount) of `item` in `region`.
    pub fn usd(&self, region: &str, item: &str) -> Result<f64, PriceError> {
        self.price(region, item).map(|p| p.usd * self.factor)
    }

    /// The raw catalog entry (before discount), with its unit and source.
    pub fn price(&self, region: &str, item: &str) -> Result<&Price, PriceError> {
        self.prices
            .get(&(region.to_string(), item.to_string()))
            .ok_or_else(|| PriceError::Missing { region: region.to_string(), item: item.to_string() })
    }

    /// On-demand hourly price of an instance type. Only Linux prices are in the
    /// embedded catalog; other platforms are unpriced unless overridden.
    pub fn ec2_hourly(&self, region: &str, instance_type: &str, platform: &str) -> Result<f64, PriceError> {
        self.usd(region, &ec2_key(instance_type, platform))
    }

    pub fn instance(&self, instance_type: &str) -> Option<&Arc<InstanceSpec>> {
        self.instances.get(instance_type)
    }

    /// Add or replace instance specs (e.g. from a snapshot's `ec2_instance_types`, read
    /// live with DescribeInstanceTypes), so types newer than the embedded catalog size.
    pub fn with_instance_specs(mut self, specs: impl IntoIterator<Item = InstanceSpec>) -> PriceBook {
        for spec in specs {
            self.instances.insert(spec.instance_type.clone(), Arc::new(spec));
        }
        self
    }

    pub fn instances(&self) -> impl Iterator<Item = &Arc<InstanceSpec>> {
        self.instances.values()
    }

    pub fn as_of(&self) -> &'static str {
        CATALOG_AS_OF
    }

    /// Every (region, item) in the book, sorted, for `tierwise pricing` style listings and tests.
    pub fn items(&self) -> Vec<(&str, &str, &Price)> {
        let mut items: Vec<_> = self.prices.iter().map(|((r, k), p)| (r.as_str(), k.as_str(), p)).collect();
        items.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
        items
    }
}

/// Catalog key of an EC2 on-demand price: `ec2.ondemand.<platform>.<type>`.
pub fn ec2_key(instance_type: &str, platform: &str) -> String {
    format!("ec2.ondemand.{}.{instance_type}", platform.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_catalog_has_the_sourced_figures() {
        let book = PriceBook::embedded();
        assert_eq!(book.usd("us-east-1", "ebs.gp2.gb_month"), Ok(0.10));
        assert_eq!(book.usd("us-east-1", "ebs.gp3.gb_month"), Ok(0.08));
        assert_eq!(book.ec2_hourly("us-east-1", "a1.large", "linux"), Ok(0.051));
        assert_eq!(book.items().len(), 80 + 1367);
    }

    #[test]
    fn missing_price_names_region_and_item() {
        let book = PriceBook::embedded();
        let err = book.usd("ap-northeast-2", "ebs.gp3.gb_month").unwrap_err();
        assert_eq!(err, PriceError::Missing { region: "ap-northeast-2".into(), item: "ebs.gp3.gb_month".into() });
        assert!(err.to_string().contains("ap-northeast-2") && err.to_string().contains("ebs.gp3.gb_month"));
        assert!(book.ec2_hourly("us-east-1", "m5.large", "windows").is_err());
    }

    #[test]
    fn live_instance_specs_extend_the_catalog() {
        let book = PriceBook::embedded();
        assert!(book.instance("m99g.large").is_none());
        let spec = InstanceSpec {
            instance_type: "m99g.large".into(),
            family: "m99g".into(),
            vcpus: 2,
            memory_mib: 8192,
            architectures: vec!["arm64".into()],
            network_performance: "Up to 12.5 Gigabit".into(),
            burstable: false,
            graviton: true,
            hardware: Default::default(),
            burst: None,
        };
        let book = book.with_instance_specs([spec.clone()]);
        assert_eq!(book.instance("m99g.large").map(|s| s.as_ref()), Some(&spec));
        assert!(book.ec2_hourly("us-east-1", "m99g.large", "linux").is_err(), "specs do not invent a price");
    }

    #[test]
    fn overrides_and_discount_apply() {
        let overrides = [("us-east-1/ebs.gp3.gb_month".to_string(), 0.07)];
        let book = PriceBook::embedded().with_overrides(overrides.iter().map(|(k, v)| (k, v)), 10.0).unwrap();
        // 0.07 × (1 − 10 %) = 0.063 ; 0.10 × 0.9 = 0.09
        assert!((book.usd("us-east-1", "ebs.gp3.gb_month").unwrap() - 0.063).abs() < 1e-12);
        assert!((book.usd("us-east-1", "ebs.gp2.gb_month").unwrap() - 0.09).abs() < 1e-12);
        let bad = [("gp3".to_string(), 0.07)];
        assert!(PriceBook::embedded().with_overrides(bad.iter().map(|(k, v)| (k, v)), 0.0).is_err());
    }
}
