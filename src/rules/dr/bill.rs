//! A strategy's monthly cost as lines of quantity × price, each price read from the
//! price book in the region where AWS bills it. A price the book lacks leaves its line
//! unpriced (named, never zero); the line still ranks strategies at the us-east-1 list
//! price when that exists there (as the EC2 rules rank unpriced instances), but no
//! dollar figure is reported from a proxy.

use crate::money::usd;
use crate::pricing::PriceBook;

/// Region whose list prices rank lines that are unpriced in their own region.
pub const PROXY_REGION: &str = "us-east-1";

#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// What is bought, e.g. "standby m5.xlarge × 2 in us-west-2".
    pub what: String,
    pub region: String,
    /// Price-book item, e.g. `ec2.ondemand.linux.m5.xlarge`.
    pub key: String,
    pub quantity: f64,
    /// "instance-hours", "GB-month", "GB", …
    pub unit: &'static str,
    /// Unit price in `region`; None when the book lacks it.
    pub unit_usd: Option<f64>,
    /// The us-east-1 unit price, used only to rank when `unit_usd` is None.
    pub proxy_usd: Option<f64>,
    /// Why the quantity itself is unknown (then the line is unpriced whatever the price).
    pub unknown_quantity: Option<String>,
}

impl Line {
    pub fn monthly(&self) -> Option<f64> {
        if self.unknown_quantity.is_some() {
            return None;
        }
        self.unit_usd.map(|p| p * self.quantity)
    }

    fn rank(&self) -> f64 {
        if self.unknown_quantity.is_some() {
            return 0.0;
        }
        self.unit_usd.or(self.proxy_usd).map(|p| p * self.quantity).unwrap_or(0.0)
    }

    /// Why the line has no dollar figure: the missing `region/item`, or why its quantity is unknown.
    pub fn unpriced_reason(&self) -> Option<String> {
        if let Some(why) = &self.unknown_quantity {
            return Some(format!("{}: {why}", self.what));
        }
        self.unit_usd.is_none().then(|| format!("{}/{}", self.region, self.key))
    }

    /// "2 × 730 instance-hours × $0.192 = $280.32" — or what is missing.
    pub fn arithmetic(&self) -> String {
        match (self.monthly(), self.unit_usd) {
            (Some(m), Some(p)) => {
                format!("{}: {} {} × ${} = {}", self.what, trim(self.quantity), self.unit, trim(p), usd(m))
            }
            _ => format!(
                "{}: {} {} × unpriced",
                self.what,
                if self.unknown_quantity.is_some() { "unknown".to_string() } else { trim(self.quantity) },
                self.unit
            ),
        }
    }
}

fn trim(x: f64) -> String {
    let s = format!("{:.4}", x);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s.is_empty() { "0".into() } else { s.to_string() }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Bill {
    pub lines: Vec<Line>,
}

impl Bill {
    /// Add `quantity` of `key` billed in `region` (lines of zero quantity are left out).
    pub fn add(
        &mut self,
        prices: &PriceBook,
        what: String,
        region: &str,
        key: &str,
        quantity: f64,
        unit: &'static str,
    ) {
        if !(quantity.is_finite() && quantity > 0.0) {
            return;
        }
        self.lines.push(Line {
            what,
            region: region.to_string(),
            key: key.to_string(),
            quantity,
            unit,
            unit_usd: prices.usd(region, key).ok(),
            proxy_usd: prices.usd(PROXY_REGION, key).ok(),
            unknown_quantity: None,
        });
    }

    /// A cost the strategy incurs whose quantity the snapshot cannot tell.
    pub fn unknown(&mut self, what: String, region: &str, key: &str, unit: &'static str, why: String) {
        self.lines.push(Line {
            what,
            region: region.to_string(),
            key: key.to_string(),
            quantity: 0.0,
            unit,
            unit_usd: None,
            proxy_usd: None,
            unknown_quantity: Some(why),
        });
    }

    /// The monthly total, or None when any line is unpriced.
    pub fn total(&self) -> Option<f64> {
        self.lines.iter().map(Line::monthly).sum()
    }

    /// The total of the priced lines (a lower bound when some are unpriced).
    pub fn priced_part(&self) -> f64 {
        self.lines.iter().filter_map(Line::monthly).sum()
    }

    /// The ranking figure: own-region prices, else us-east-1 list prices, else nothing.
    pub fn rank(&self) -> f64 {
        self.lines.iter().map(Line::rank).sum()
    }

    pub fn unpriced(&self) -> Vec<String> {
        let mut v: Vec<String> = Vec::new();
        for reason in self.lines.iter().filter_map(Line::unpriced_reason) {
            if !v.contains(&reason) {
                v.push(reason);
            }
        }
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_price_in_their_region_and_rank_by_the_proxy() {
        let book = PriceBook::embedded();
        let mut bill = Bill::default();
        bill.add(&book, "copy transfer".into(), "us-east-1", "transfer.inter_region.gb", 100.0, "GB");
        bill.add(&book, "nothing".into(), "us-east-1", "transfer.inter_region.gb", 0.0, "GB");
        assert_eq!(bill.lines.len(), 1, "zero quantities are left out");
        // 100 GB × $0.02 = $2.00
        assert_eq!(bill.total(), Some(2.0));
        bill.add(&book, "replica storage".into(), "us-west-2", "s3.storage.STANDARD", 1000.0, "GB-month");
        assert_eq!(bill.total(), None, "us-west-2 is not in the catalog");
        // rank: 2.00 + 1000 × 0.023 (us-east-1 proxy) = 25.00
        assert!((bill.rank() - 25.0).abs() < 1e-9);
        assert_eq!(bill.priced_part(), 2.0);
        bill.add(&book, "replica storage 2".into(), "us-west-2", "s3.storage.STANDARD", 1.0, "GB-month");
        assert_eq!(bill.unpriced(), vec!["us-west-2/s3.storage.STANDARD".to_string()], "each missing price once");
        bill.unknown("replicated writes".into(), "us-west-2", "k", "WRU", "no write metrics".into());
        assert_eq!(bill.unpriced()[1], "replicated writes: no write metrics");
        assert_eq!(bill.lines[0].arithmetic(), "copy transfer: 100 GB × $0.02 = $2.00");
    }
}
