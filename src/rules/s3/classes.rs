//! The S3 storage classes a lifecycle rule can move data into, their AWS-documented
//! constraints (minimum storage duration, minimum billable size, per-object overhead,
//! retrieval time) and their prices from the PriceBook.

use crate::pricing::{PriceBook, PriceError};

/// Bytes in the GB that S3 bills by (GiB).
pub const GB: f64 = 1_073_741_824.0;
pub const KIB: f64 = 1024.0;
/// Days in the 730-hour billing month.
pub const DAYS_PER_MONTH: f64 = 730.0 / 24.0;
/// Minimum billable object size of STANDARD_IA, ONEZONE_IA and GLACIER_IR, and the
/// default minimum size a lifecycle rule transitions.
pub const MIN_BILLABLE_BYTES: f64 = 128.0 * KIB;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Class {
    StandardIa,
    OnezoneIa,
    GlacierIr,
    Glacier,
    DeepArchive,
}

impl Class {
    /// Fastest retrieval first: ties in savings go to the earlier class.
    pub const ALL: [Class; 5] =
        [Class::StandardIa, Class::OnezoneIa, Class::GlacierIr, Class::Glacier, Class::DeepArchive];

    pub fn as_str(self) -> &'static str {
        match self {
            Class::StandardIa => "STANDARD_IA",
            Class::OnezoneIa => "ONEZONE_IA",
            Class::GlacierIr => "GLACIER_IR",
            Class::Glacier => "GLACIER",
            Class::DeepArchive => "DEEP_ARCHIVE",
        }
    }

    pub fn parse(s: &str) -> Option<Class> {
        Class::ALL.into_iter().find(|c| c.as_str().eq_ignore_ascii_case(s.trim()))
    }

    /// Minimum storage duration, days: an object deleted or moved earlier is billed for the rest.
    pub fn min_days(self) -> f64 {
        match self {
            Class::StandardIa | Class::OnezoneIa => 30.0,
            Class::GlacierIr | Class::Glacier => 90.0,
            Class::DeepArchive => 180.0,
        }
    }

    /// Smallest size billed per object (bytes); 0 where there is none.
    pub fn min_billable_bytes(self) -> f64 {
        match self {
            Class::StandardIa | Class::OnezoneIa | Class::GlacierIr => MIN_BILLABLE_BYTES,
            Class::Glacier | Class::DeepArchive => 0.0,
        }
    }

    /// Per-object overhead (bytes billed at the STANDARD rate, bytes billed at the class
    /// rate): GLACIER and DEEP_ARCHIVE keep 8 KB of name and metadata in STANDARD and 32 KB of index in the class.
    pub fn overhead_bytes(self) -> (f64, f64) {
        match self {
            Class::Glacier | Class::DeepArchive => (8.0 * KIB, 32.0 * KIB),
            _ => (0.0, 0.0),
        }
    }

    /// Hours until the first byte is readable (standard retrieval): 0 for the
    /// millisecond classes, 3–5 h for GLACIER, up to 12 h for DEEP_ARCHIVE.
    pub fn retrieval_hours(self) -> f64 {
        match self {
            Class::StandardIa | Class::OnezoneIa | Class::GlacierIr => 0.0,
            Class::Glacier => 5.0,
            Class::DeepArchive => 12.0,
        }
    }

    /// 0 (none) .. 4 (high): millisecond classes risk only fees; archives add hours of wait.
    pub fn performance_risk(self) -> u8 {
        match self {
            Class::StandardIa | Class::GlacierIr => 1,
            Class::OnezoneIa => 2,
            Class::Glacier => 3,
            Class::DeepArchive => 4,
        }
    }
}

/// Unit prices of one class in one region (after discount).
#[derive(Debug, Clone, Copy)]
pub struct ClassPrices {
    pub class: Class,
    /// USD per GB-month.
    pub storage: f64,
    pub get_per_1000: f64,
    pub transition_per_1000: f64,
    /// USD per GB read (restored, for the archive classes).
    pub retrieval_gb: f64,
    /// USD per 1,000 restore requests (archive classes; 0 for millisecond classes, which have none).
    pub retrieval_per_1000: f64,
}

/// STANDARD prices in a region, storage at the account's marginal tier.
#[derive(Debug, Clone, Copy)]
pub struct StandardPrices {
    /// USD per GB-month of the tier the account's STANDARD storage in the region falls in:
    /// what a GB moved out of (or into) STANDARD really changes on the bill.
    pub storage: f64,
    pub get_per_1000: f64,
    /// The first-tier price (for comparison in the evidence).
    pub first_tier: f64,
    /// The account's STANDARD storage in the region, GB.
    pub account_gb: f64,
}

impl StandardPrices {
    /// "the over-500-TB tier", for rationales.
    pub fn tier_name(&self) -> &'static str {
        if (self.storage - self.first_tier).abs() < 1e-12 {
            "first-50-TB tier"
        } else if self.account_gb >= 512_000.0 {
            "over-500-TB tier"
        } else {
            "next-450-TB tier"
        }
    }
}

/// STANDARD prices for an account holding `account_gb` of STANDARD in `region`. The
/// marginal tier is the conservative price of a move: tiers fall with volume, so the
/// last GB's rate is the lowest any GB moved out of STANDARD saves.
pub fn standard_prices(prices: &PriceBook, region: &str, account_gb: f64) -> Result<StandardPrices, PriceError> {
    let tiers = crate::pricing::tiers::tiers(prices, region, "s3.storage.STANDARD")?;
    let at = crate::pricing::tiers::tier_at(&tiers, account_gb).map(|t| t.usd);
    let first_tier = tiers.first().map(|t| t.usd).unwrap_or_default();
    Ok(StandardPrices {
        storage: at.unwrap_or(first_tier),
        get_per_1000: prices.usd(region, "s3.get_per_1000.STANDARD")?,
        first_tier,
        account_gb,
    })
}

pub fn class_prices(prices: &PriceBook, region: &str, class: Class) -> Result<ClassPrices, PriceError> {
    let c = class.as_str();
    let retrieval_per_1000 = match class {
        Class::Glacier | Class::DeepArchive => prices.usd(region, &format!("s3.retrieval_per_1000.{c}"))?,
        _ => 0.0,
    };
    Ok(ClassPrices {
        class,
        storage: prices.usd(region, &format!("s3.storage.{c}"))?,
        get_per_1000: prices.usd(region, &format!("s3.get_per_1000.{c}"))?,
        transition_per_1000: prices.usd(region, &format!("s3.transition_per_1000.{c}"))?,
        retrieval_gb: prices.usd(region, &format!("s3.retrieval_gb.{c}"))?,
        retrieval_per_1000,
    })
}

/// Storage price of a class as S3 Inventory or CloudWatch names it, for pricing data
/// already there (noncurrent versions, parts). STANDARD is priced at the account's
/// marginal tier (`standard`); Intelligent-Tiering at its frequent-access tier (an upper bound).
pub fn storage_price_of(
    prices: &PriceBook,
    region: &str,
    class: &str,
    standard: Option<f64>,
) -> Result<f64, PriceError> {
    let key = match class {
        "" | "STANDARD" => return standard.map_or_else(|| prices.usd(region, "s3.storage.STANDARD"), Ok),
        "INTELLIGENT_TIERING" => "INTELLIGENT_TIERING_FA",
        other => other,
    };
    prices.usd(region, &format!("s3.storage.{key}"))
}
