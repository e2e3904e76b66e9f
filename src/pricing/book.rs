//! The PriceBook: list prices by (region, item) with their origin, the factor that turns a
//! list price into the rate the account pays, and EC2 instance specs.
//!
//! List price precedence: `[pricing.overrides]` > offer cache > embedded catalog. The
//! rate: an override is used as is; any other list price × the account's effective rate
//! for its family (CUR/FOCUS) if imported, else × the configured discounts.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use super::instance_types::{self, InstanceSpec};
use super::lookup_log::LookupLog;
use super::origin::{Origin, PriceFamily};
use super::rates::{AccountRates, Discounts, RateBasis, RateFactor, ResourceRate};
use super::{CATALOG_AS_OF, PriceError, ec2_key};

const SERVICES_CSV: &str = include_str!("../../data/pricing/services.csv");
const EC2_LINUX_CSV: &str = include_str!("../../data/pricing/ec2_ondemand_linux.csv");
const AS_OF_CSV: &str = include_str!("../../data/pricing/as_of.csv");

#[derive(Debug, Clone, PartialEq)]
pub struct Price {
    /// List price in USD per `unit` (overrides: the rate paid).
    pub usd: f64,
    pub unit: String,
    /// Where this figure comes from, in words (a catalog row's source, the offer's SKU).
    pub source: String,
    pub origin: Arc<Origin>,
}

#[derive(Debug, Clone)]
pub struct PriceBook {
    prices: Arc<HashMap<(String, String), Price>>,
    instances: Arc<HashMap<String, Arc<InstanceSpec>>>,
    discounts: Arc<Discounts>,
    account: Option<Arc<AccountRates>>,
    log: Option<Arc<LookupLog>>,
    /// `usd` answers list prices (the rate factor is still logged): the engine prices
    /// findings at list, then applies the factors once per finding.
    list_mode: bool,
}

/// The embedded catalog's date per region (`data/pricing/as_of.csv`).
pub fn embedded_as_of() -> BTreeMap<String, String> {
    crate::csv_text::parse(AS_OF_CSV)
        .iter()
        .skip(1)
        .filter(|r| r.len() >= 2)
        .map(|r| (r[0].clone(), r[1].clone()))
        .collect()
}

impl PriceBook {
    /// The embedded catalog, no overrides, no discount.
    pub fn embedded() -> PriceBook {
        let dates = embedded_as_of();
        let mut origins: HashMap<String, Arc<Origin>> = HashMap::new();
        let mut origin = |region: &str| {
            Arc::clone(origins.entry(region.to_string()).or_insert_with(|| {
                let as_of = dates.get(region).cloned().unwrap_or_else(|| CATALOG_AS_OF.to_string());
                Arc::new(Origin::Embedded { as_of })
            }))
        };
        let mut prices = HashMap::new();
        // region,service,key,item,unit,usd,source
        for row in crate::csv_text::parse(SERVICES_CSV).iter().skip(1).filter(|r| r.len() >= 7) {
            if let Ok(usd) = row[5].parse::<f64>() {
                let price = Price { usd, unit: row[4].clone(), source: row[6].clone(), origin: origin(&row[0]) };
                prices.insert((row[0].clone(), row[2].clone()), price);
            }
        }
        // region,instance_type,usd_per_hour,source
        for row in crate::csv_text::parse(EC2_LINUX_CSV).iter().skip(1).filter(|r| r.len() >= 4) {
            if let Ok(usd) = row[2].parse::<f64>() {
                let price = Price { usd, unit: "hour".into(), source: row[3].clone(), origin: origin(&row[0]) };
                prices.insert((row[0].clone(), ec2_key(&row[1], "linux")), price);
            }
        }
        PriceBook {
            prices: Arc::new(prices),
            instances: Arc::new(instance_types::embedded().into_iter().map(|(k, v)| (k, Arc::new(v))).collect()),
            discounts: Arc::new(Discounts::default()),
            account: None,
            log: None,
            list_mode: false,
        }
    }

    /// Apply `region/key = usd` overrides and an enterprise discount percentage (0–100)
    /// on every service. Kept for callers of the one-discount API; new code sets
    /// per-service discounts with [`PriceBook::with_discounts`].
    pub fn with_overrides<'a>(
        self,
        overrides: impl IntoIterator<Item = (&'a String, &'a f64)>,
        discount_pct: f64,
    ) -> Result<PriceBook, PriceError> {
        let book = self.with_price_overrides(overrides)?;
        let discounts = Discounts { edp_pct: discount_pct, ..(*book.discounts).clone() };
        book.with_discounts(discounts)
    }

    /// Apply `region/key = usd` overrides: the rate paid for that item, used as is.
    pub fn with_price_overrides<'a>(
        mut self,
        overrides: impl IntoIterator<Item = (&'a String, &'a f64)>,
    ) -> Result<PriceBook, PriceError> {
        let origin = Arc::new(Origin::Override);
        let prices = Arc::make_mut(&mut self.prices);
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
            let k = (region.to_string(), item.to_string());
            let unit = prices.get(&k).map(|p| p.unit.clone()).unwrap_or_default();
            let source = "tierwise.toml [pricing.overrides]".to_string();
            prices.insert(k, Price { usd: *usd, unit, source, origin: Arc::clone(&origin) });
        }
        Ok(self)
    }

    /// Set the configured discounts (EDP, Savings Plans / RI coverage on compute, per service).
    pub fn with_discounts(mut self, discounts: Discounts) -> Result<PriceBook, PriceError> {
        discounts
            .validate()
            .map_err(|(key, v)| PriceError::BadOverride { key, detail: format!("{v} is not in 0..100") })?;
        self.discounts = Arc::new(discounts);
        Ok(self)
    }

    /// Add prices from the offer cache (or a fresh import). An entry replaces one of lower
    /// precedence (embedded) and never an override.
    pub fn with_offer_prices(mut self, items: impl IntoIterator<Item = (String, String, Price)>) -> PriceBook {
        let prices = Arc::make_mut(&mut self.prices);
        for (region, key, price) in items {
            let k = (region, key);
            if prices.get(&k).is_none_or(|old| old.origin.rank() <= price.origin.rank()) {
                prices.insert(k, price);
            }
        }
        self
    }

    /// Use the account's effective rates (from a CUR 2.0 or FOCUS import).
    pub fn with_account_rates(mut self, rates: AccountRates) -> PriceBook {
        self.account = (!rates.is_empty()).then(|| Arc::new(rates));
        self
    }

    /// A book that shares this one's prices and records every `usd` lookup in `log`.
    pub fn logged(&self, log: Arc<LookupLog>) -> PriceBook {
        PriceBook { log: Some(log), ..self.clone() }
    }

    /// A book that shares this one's prices and answers list prices from `usd` (see
    /// `rules::rates`): findings are priced at list, then settled at the account's rates.
    pub fn at_list_prices(&self) -> PriceBook {
        PriceBook { list_mode: true, ..self.clone() }
    }

    /// The rate paid per unit of `item` in `region`, USD: an override as is, else the
    /// list price × the rate factor of the item's family there.
    pub fn usd(&self, region: &str, item: &str) -> Result<f64, PriceError> {
        let price = self.price(region, item)?;
        let family = PriceFamily::of_key(item);
        let factor = match *price.origin {
            Origin::Override => RateFactor { value: 1.0, basis: RateBasis::List },
            _ => self.rate_factor(region, family),
        };
        if let Some(log) = &self.log {
            log.record(region, &price.origin, family, factor.value, factor.basis);
        }
        Ok(if self.list_mode { price.usd } else { price.usd * factor.value })
    }

    /// The list price (no discount, no effective rate) of `item` in `region`, USD.
    pub fn list_usd(&self, region: &str, item: &str) -> Result<f64, PriceError> {
        self.price(region, item).map(|p| p.usd)
    }

    /// The raw catalog entry, with its unit, source and origin.
    pub fn price(&self, region: &str, item: &str) -> Result<&Price, PriceError> {
        self.prices
            .get(&(region.to_string(), item.to_string()))
            .ok_or_else(|| PriceError::Missing { region: region.to_string(), item: item.to_string() })
    }

    /// The factor on list prices of `family` in `region`: the account's effective rate
    /// when a CUR/FOCUS import covers it, else the configured discounts.
    pub fn rate_factor(&self, region: &str, family: PriceFamily) -> RateFactor {
        if let Some(value) = self.account.as_ref().and_then(|a| a.family_factor(region, family)) {
            return RateFactor { value, basis: RateBasis::Account };
        }
        let value = self.discounts.factor(family);
        RateFactor { value, basis: if value == 1.0 { RateBasis::List } else { RateBasis::Configured } }
    }

    /// A resource's own effective rate in `family`, from the account's bill.
    pub fn resource_rate(&self, resource_id: &str, family: PriceFamily) -> Option<&ResourceRate> {
        self.account.as_ref()?.resource(resource_id, family)
    }

    pub fn account_rates(&self) -> Option<&AccountRates> {
        self.account.as_deref()
    }

    pub fn discounts(&self) -> &Discounts {
        &self.discounts
    }

    /// On-demand hourly rate of an instance type on a platform (a `platform.rs` slug).
    pub fn ec2_hourly(&self, region: &str, instance_type: &str, platform: &str) -> Result<f64, PriceError> {
        self.usd(region, &ec2_key(instance_type, platform))
    }

    pub fn instance(&self, instance_type: &str) -> Option<&Arc<InstanceSpec>> {
        self.instances.get(instance_type)
    }

    /// Add or replace instance specs (e.g. from a snapshot's `ec2_instance_types`, read
    /// live with DescribeInstanceTypes), so types newer than the embedded catalog size.
    pub fn with_instance_specs(mut self, specs: impl IntoIterator<Item = InstanceSpec>) -> PriceBook {
        let instances = Arc::make_mut(&mut self.instances);
        for spec in specs {
            instances.insert(spec.instance_type.clone(), Arc::new(spec));
        }
        self
    }

    pub fn instances(&self) -> impl Iterator<Item = &Arc<InstanceSpec>> {
        self.instances.values()
    }

    /// The embedded catalog's date (its newest us-east-1 facts). Per region, see
    /// [`PriceBook::region_sources`].
    pub fn as_of(&self) -> &'static str {
        CATALOG_AS_OF
    }

    /// Every (region, item) in the book, sorted.
    pub fn items(&self) -> Vec<(&str, &str, &Price)> {
        let mut items: Vec<_> = self.prices.iter().map(|((r, k), p)| (r.as_str(), k.as_str(), p)).collect();
        items.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
        items
    }

    /// The origins of the prices the book holds for `region`, with how many items each
    /// gives, highest precedence first.
    pub fn region_sources(&self, region: &str) -> Vec<(Origin, usize)> {
        let mut by: BTreeMap<(u8, String), (Origin, usize)> = BTreeMap::new();
        for ((r, _), p) in self.prices.iter() {
            if r == region {
                by.entry((u8::MAX - p.origin.rank(), p.origin.describe()))
                    .or_insert_with(|| ((*p.origin).clone(), 0))
                    .1 += 1;
            }
        }
        by.into_values().collect()
    }
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
        // 80 us-east-1 service rows + 3 Seoul gp3 rows; 1,367 us-east-1 + 36 Seoul EC2 types.
        assert_eq!(book.items().len(), 83 + 1367 + 36);
        // Seoul facts: c8g.large from AWS's ap-northeast-2 offer 20260925174521; gp3 0.0912.
        assert_eq!(book.ec2_hourly("ap-northeast-2", "c8g.large", "linux"), Ok(0.08976));
        assert_eq!(book.usd("ap-northeast-2", "ebs.gp3.gb_month"), Ok(0.0912));
        let seoul = book.region_sources("ap-northeast-2");
        assert_eq!(seoul, vec![(Origin::Embedded { as_of: "2026-09-25".into() }, 39)]);
    }

    #[test]
    fn missing_price_names_region_and_item_and_never_falls_back_to_us_east_1() {
        let book = PriceBook::embedded();
        let err = book.usd("ap-northeast-2", "ebs.gp2.gb_month").unwrap_err();
        assert_eq!(err, PriceError::Missing { region: "ap-northeast-2".into(), item: "ebs.gp2.gb_month".into() });
        let text = err.to_string();
        assert!(text.contains("ap-northeast-2") && text.contains("ebs.gp2.gb_month"), "{text}");
        assert!(text.contains("tierwise pricing refresh --regions ap-northeast-2"), "says how to refresh: {text}");
        assert!(book.ec2_hourly("us-east-1", "m5.large", "windows").is_err());
        assert!(book.ec2_hourly("ap-northeast-2", "m5.large", "linux").is_err(), "no us-east-1 price for Seoul");
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
    fn an_override_is_the_rate_paid_and_a_discount_applies_to_list_prices() {
        let overrides = [("us-east-1/ebs.gp3.gb_month".to_string(), 0.07)];
        let book = PriceBook::embedded().with_overrides(overrides.iter().map(|(k, v)| (k, v)), 10.0).unwrap();
        // The override is used as is: 0.07 ; gp2 from the catalog, 10 % EDP: 0.10 × 0.9 = 0.09
        assert!((book.usd("us-east-1", "ebs.gp3.gb_month").unwrap() - 0.07).abs() < 1e-12);
        assert!((book.usd("us-east-1", "ebs.gp2.gb_month").unwrap() - 0.09).abs() < 1e-12);
        assert_eq!(book.list_usd("us-east-1", "ebs.gp2.gb_month"), Ok(0.10));
        assert_eq!(*book.price("us-east-1", "ebs.gp3.gb_month").unwrap().origin, Origin::Override);
        let bad = [("gp3".to_string(), 0.07)];
        assert!(PriceBook::embedded().with_overrides(bad.iter().map(|(k, v)| (k, v)), 0.0).is_err());
        assert!(PriceBook::embedded().with_overrides(std::iter::empty(), 100.0).is_err());
    }

    #[test]
    fn cache_prices_beat_embedded_but_not_overrides() {
        let cache = Arc::new(Origin::OfferCache {
            offer: "AmazonEC2".into(),
            version: "20260925174521".into(),
            published: "2026-09-25".into(),
            from: "test".into(),
        });
        let price = |usd| Price { usd, unit: "GB-month".into(), source: "SKU T".into(), origin: Arc::clone(&cache) };
        let overrides = [("us-east-1/ebs.gp3.gb_month".to_string(), 0.07)];
        let book = PriceBook::embedded()
            .with_price_overrides(overrides.iter().map(|(k, v)| (k, v)))
            .unwrap()
            .with_offer_prices([
                ("us-east-1".to_string(), "ebs.gp3.gb_month".to_string(), price(0.081)),
                ("us-east-1".to_string(), "ebs.gp2.gb_month".to_string(), price(0.101)),
            ]);
        assert_eq!(book.usd("us-east-1", "ebs.gp3.gb_month"), Ok(0.07));
        assert_eq!(book.usd("us-east-1", "ebs.gp2.gb_month"), Ok(0.101));
    }
}
