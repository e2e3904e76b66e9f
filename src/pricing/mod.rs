//! PriceBook: "what does X cost per unit in region R", where each figure came from, and
//! the rate the account really pays.
//!
//! The catalog is compiled into the binary from `data/pricing/` (regenerated from the
//! dated, sourced facts by `scripts/import-shared-pricing.py`). AWS offer files imported
//! or refreshed into the local cache (`cache.rs`, `offer/`) add every other region and
//! platform. Config can override any price and declare discounts; a CUR 2.0 or FOCUS
//! import gives the account's own effective rates (`rates.rs`). A missing price is an
//! error naming the region and the item — never a silent zero, never another region's
//! price. See docs/pricing.md.

mod book;
pub mod cache;
pub mod families;
pub mod instance_types;
pub mod lookup_log;
pub mod offer;
pub mod origin;
pub mod platform;
pub mod rates;
pub mod regions;
pub mod tiers;

pub use book::{Price, PriceBook, embedded_as_of};
pub use instance_types::{Burst, Devices, Hardware, InstanceSpec, InstanceStorage};
pub use origin::{Origin, PriceFamily};
pub use rates::{AccountRates, Discounts, RateBasis, RateFactor};

/// The date of the newest us-east-1 facts in the embedded catalog (EC2 prices, generated
/// from the AWS Price List API on this day). Per region: `data/pricing/as_of.csv`.
pub const CATALOG_AS_OF: &str = "2026-07-20";

/// Hours in the billing month used for every monthly figure.
pub const HOURS_PER_MONTH: f64 = 730.0;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PriceError {
    #[error("no price for `{item}` in {region} (unpriced: {})", how_to_price(.region, .item))]
    Missing { region: String, item: String },
    #[error("invalid price setting `{key}`: {detail}")]
    BadOverride { key: String, detail: String },
}

/// How to get a missing price: refresh or import the region's offer files when they
/// carry the item, else an override.
pub fn how_to_price(region: &str, item: &str) -> String {
    let set = format!("set \"{region}/{item}\" = USD under [pricing.overrides] in tierwise.toml");
    if offer::select::importable(item) {
        format!(
            "`tierwise pricing refresh --regions {region}` or `tierwise pricing import <AWS offer file>` adds the \
             region's prices; or {set}"
        )
    } else {
        format!("AWS's offer files do not identify this item, so refreshing does not add it; {set}")
    }
}

/// Catalog key of an EC2 on-demand price: `ec2.ondemand.<platform>.<type>`.
pub fn ec2_key(instance_type: &str, platform: &str) -> String {
    format!("ec2.ondemand.{}.{instance_type}", platform.to_ascii_lowercase())
}
