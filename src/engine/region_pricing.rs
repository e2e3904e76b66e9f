//! What priced each region of a report: the list-price sources the book holds there
//! (highest precedence first, each with its date and item count) and the rate factors
//! in use, for `source.pricing` (and, as its oldest date, `source.pricing_as_of`).

use std::collections::BTreeMap;

use crate::pricing::{PriceBook, PriceFamily, RateBasis};
use crate::report::{PriceSource, RegionPricing};

pub fn of_regions(prices: &PriceBook, regions: &[String]) -> BTreeMap<String, RegionPricing> {
    regions
        .iter()
        .filter(|r| !r.is_empty())
        .map(|region| {
            let sources: Vec<PriceSource> = prices
                .region_sources(region)
                .into_iter()
                .map(|(o, n)| PriceSource {
                    kind: o.kind().to_string(),
                    detail: o.describe(),
                    as_of: o.as_of().map(str::to_string),
                    count: n as u64,
                })
                .collect();
            let as_of = sources.iter().filter_map(|s| s.as_of.clone()).min();
            let mut rate_factors = BTreeMap::new();
            let mut bases = Vec::new();
            for family in PriceFamily::ALL {
                let f = prices.rate_factor(region, *family);
                if f.basis != RateBasis::List {
                    rate_factors.insert(family.as_str().to_string(), (f.value * 10_000.0).round() / 10_000.0);
                    if !bases.contains(&f.basis) {
                        bases.push(f.basis);
                    }
                }
            }
            let rates = bases
                .iter()
                .map(|b| match b {
                    RateBasis::Account => prices
                        .account_rates()
                        .map(|a| format!("account effective rates ({})", a.source))
                        .unwrap_or_default(),
                    _ => "configured discounts (tierwise.toml)".to_string(),
                })
                .collect::<Vec<_>>()
                .join("; ");
            (region.clone(), RegionPricing { as_of, sources, rate_factors, rates })
        })
        .collect()
}

/// The oldest date among the regions that have prices.
pub fn oldest(pricing: &BTreeMap<String, RegionPricing>) -> Option<String> {
    pricing.values().filter_map(|p| p.as_of.clone()).min()
}
