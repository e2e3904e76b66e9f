//! Tiered prices. The book keeps one key per tier (`s3.storage.STANDARD`,
//! `s3.storage.STANDARD.next450tb`, …); this table says which keys form one tiered item
//! and where each tier starts, so a rule can price usage at the tier it really falls in
//! (and an offer-file import knows which key a `StartingRange`/`EndingRange` row fills).

use super::{PriceBook, PriceError};

/// One tier of a tiered item: usage from `from` (inclusive) up to `to` (exclusive, None
/// = no upper bound), in the item's unit, is billed at `usd` per unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Tier {
    pub key: String,
    pub from: f64,
    pub to: Option<f64>,
    pub usd: f64,
}

/// A tiered item: its base key, the unit its ranges are in, and (suffix, start) per tier.
pub struct TieredItem {
    pub base: &'static str,
    /// Per what the ranges count (AWS's offer-file unit).
    pub unit: &'static str,
    /// Key suffix and where the tier starts; the first tier has suffix "" and starts at 0.
    pub tiers: &'static [(&'static str, f64)],
    /// What the ranges are measured over (for the documentation and the finding).
    pub scope: &'static str,
}

/// Every tiered item tierwise prices.
pub const TIERED: &[TieredItem] = &[
    TieredItem {
        base: "s3.storage.STANDARD",
        unit: "GB-month",
        // 50 TB and 500 TB in AWS's GB (the offer files' StartingRange 51200 / 512000).
        tiers: &[("", 0.0), (".next450tb", 51_200.0), (".over500tb", 512_000.0)],
        scope: "all STANDARD storage of the account in the region, per month",
    },
    TieredItem {
        base: "ebs.io2.iops_month",
        unit: "IOPS-month",
        tiers: &[("", 0.0), (".tier2", 32_000.0), (".tier3", 64_000.0)],
        scope: "the provisioned IOPS of one volume",
    },
];

pub fn tiered_item(base: &str) -> Option<&'static TieredItem> {
    TIERED.iter().find(|t| t.base == base)
}

/// The tiers of `base` in `region`, cheapest-last as AWS lists them. An item that is not
/// tiered is one tier from 0. A tier whose price the book lacks is an error naming it:
/// a quantity in that tier cannot be priced.
pub fn tiers(book: &PriceBook, region: &str, base: &str) -> Result<Vec<Tier>, PriceError> {
    let Some(item) = tiered_item(base) else {
        return Ok(vec![Tier { key: base.to_string(), from: 0.0, to: None, usd: book.usd(region, base)? }]);
    };
    let mut out: Vec<Tier> = Vec::with_capacity(item.tiers.len());
    for (i, (suffix, from)) in item.tiers.iter().enumerate() {
        let key = format!("{base}{suffix}");
        let to = item.tiers.get(i + 1).map(|(_, next)| *next);
        out.push(Tier { usd: book.usd(region, &key)?, key, from: *from, to });
    }
    Ok(out)
}

/// Cost of `quantity` units billed through the tiers from 0 (e.g. one volume's IOPS).
pub fn cost(tiers: &[Tier], quantity: f64) -> f64 {
    tiers
        .iter()
        .map(|t| {
            let upper = t.to.map_or(quantity, |to| quantity.min(to));
            (upper - t.from).max(0.0) * t.usd
        })
        .sum()
}

/// Cost of `delta` units on top of `base` units already billed (the marginal cost of
/// adding or removing usage in an account whose usage sits at `base`).
pub fn marginal_cost(tiers: &[Tier], base: f64, delta: f64) -> f64 {
    cost(tiers, base + delta) - cost(tiers, base)
}

/// The tier that the unit after `quantity` falls in.
pub fn tier_at(tiers: &[Tier], quantity: f64) -> Option<&Tier> {
    tiers.iter().rev().find(|t| quantity >= t.from).or(tiers.first())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(from: f64, to: Option<f64>, usd: f64) -> Tier {
        Tier { key: String::new(), from, to, usd }
    }

    #[test]
    fn tiered_cost_and_marginal_cost() {
        // S3 STANDARD us-east-1: 0.023 to 51,200 GB, 0.022 to 512,000, 0.021 above.
        let s3 = [t(0.0, Some(51_200.0), 0.023), t(51_200.0, Some(512_000.0), 0.022), t(512_000.0, None, 0.021)];
        // 100,000 GB: 51,200 × 0.023 + 48,800 × 0.022 = 1,177.6 + 1,073.6 = 2,251.2
        assert!((cost(&s3, 100_000.0) - 2_251.2).abs() < 1e-6);
        // Removing 10,000 GB from an account at 600,000 GB saves 10,000 × 0.021 = 210 (not 230 at the first tier).
        assert!((marginal_cost(&s3, 590_000.0, 10_000.0) - 210.0).abs() < 1e-6);
        // Straddling a boundary: 520,000 → 505,000 GB removes 8,000 × 0.021 + 7,000 × 0.022 = 168 + 154 = 322.
        assert!((marginal_cost(&s3, 505_000.0, 15_000.0) - 322.0).abs() < 1e-6);
        assert_eq!(tier_at(&s3, 600_000.0).map(|t| t.usd), Some(0.021));
        assert_eq!(tier_at(&s3, 10.0).map(|t| t.usd), Some(0.023));
    }

    #[test]
    fn the_embedded_book_has_every_s3_tier_and_only_the_first_io2_tier() {
        let book = PriceBook::embedded();
        let s3 = tiers(&book, "us-east-1", "s3.storage.STANDARD").unwrap();
        assert_eq!(s3.iter().map(|t| t.usd).collect::<Vec<_>>(), [0.023, 0.022, 0.021]);
        let io2 = tiers(&book, "us-east-1", "ebs.io2.iops_month").unwrap_err();
        assert!(io2.to_string().contains("ebs.io2.iops_month.tier2"), "{io2}");
        assert_eq!(tiers(&book, "us-east-1", "ebs.gp3.gb_month").unwrap()[0].usd, 0.08);
    }
}
