//! Where a price came from, and which pricing family (service) an item belongs to.
//!
//! A list price has one origin: the embedded catalog, the local cache of imported or
//! refreshed AWS offer files, or a `[pricing.overrides]` entry. Discounts and the
//! account's effective rates are factors on top (see `rates.rs`); they are not origins.

use serde::{Deserialize, Serialize};

/// The origin of one list price.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Origin {
    /// Compiled into the binary from `data/pricing/` (dated per region in `as_of.csv`).
    Embedded { as_of: String },
    /// An AWS offer file (or Price List API answer) in the local cache.
    OfferCache {
        /// `AmazonEC2`, `AmazonS3`, …
        offer: String,
        /// The offer's version, e.g. `20260925174521`.
        version: String,
        /// The offer's publication date, `YYYY-MM-DD`.
        published: String,
        /// The file, URL or API the offer was read from.
        from: String,
    },
    /// `[pricing.overrides]` in tierwise.toml: the rate paid, used as is.
    Override,
}

impl Origin {
    /// Precedence when two sources hold the same item: override > cache > embedded.
    pub fn rank(&self) -> u8 {
        match self {
            Origin::Embedded { .. } => 0,
            Origin::OfferCache { .. } => 1,
            Origin::Override => 2,
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Origin::Embedded { .. } => "embedded",
            Origin::OfferCache { .. } => "offer-cache",
            Origin::Override => "override",
        }
    }

    /// The date the figure is as of (publication date of the offer, catalog date);
    /// none for an override.
    pub fn as_of(&self) -> Option<&str> {
        match self {
            Origin::Embedded { as_of } => Some(as_of),
            Origin::OfferCache { published, .. } => Some(published),
            Origin::Override => None,
        }
    }

    /// One line for humans: `offer cache: AmazonEC2 20260925174521 (published 2026-09-25)`.
    pub fn describe(&self) -> String {
        match self {
            Origin::Embedded { as_of } => format!("embedded catalog (as of {as_of})"),
            Origin::OfferCache { offer, version, published, .. } => {
                format!("offer cache: {offer} {version} (published {published})")
            }
            Origin::Override => "tierwise.toml [pricing.overrides]".into(),
        }
    }
}

/// The pricing family of an item: what a discount or an effective rate applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PriceFamily {
    /// EC2 instance hours (`ec2.ondemand.*`): what Savings Plans and RIs cover.
    Compute,
    Ebs,
    S3,
    Dynamodb,
    DataTransfer,
    Vpc,
    Backup,
    Other,
}

impl PriceFamily {
    pub const ALL: &'static [PriceFamily] = &[
        PriceFamily::Compute,
        PriceFamily::Ebs,
        PriceFamily::S3,
        PriceFamily::Dynamodb,
        PriceFamily::DataTransfer,
        PriceFamily::Vpc,
        PriceFamily::Backup,
    ];

    /// The family of a price key, by its prefix.
    pub fn of_key(key: &str) -> PriceFamily {
        let prefix = key.split('.').next().unwrap_or_default();
        match prefix {
            "ec2" if key.starts_with("ec2.ondemand.") => PriceFamily::Compute,
            "ebs" => PriceFamily::Ebs,
            "s3" => PriceFamily::S3,
            "dynamodb" => PriceFamily::Dynamodb,
            "transfer" => PriceFamily::DataTransfer,
            "vpc" => PriceFamily::Vpc,
            "backup" => PriceFamily::Backup,
            _ => PriceFamily::Other,
        }
    }

    /// The name used in tierwise.toml (`[pricing.service_discount_pct]`) and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            PriceFamily::Compute => "compute",
            PriceFamily::Ebs => "ebs",
            PriceFamily::S3 => "s3",
            PriceFamily::Dynamodb => "dynamodb",
            PriceFamily::DataTransfer => "data-transfer",
            PriceFamily::Vpc => "vpc",
            PriceFamily::Backup => "backup",
            PriceFamily::Other => "other",
        }
    }

    pub fn parse(name: &str) -> Option<PriceFamily> {
        PriceFamily::ALL.iter().copied().find(|f| f.as_str() == name)
    }
}

impl std::fmt::Display for PriceFamily {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_fall_in_their_family() {
        assert_eq!(PriceFamily::of_key("ec2.ondemand.linux.m5.large"), PriceFamily::Compute);
        assert_eq!(PriceFamily::of_key("ebs.io2.iops_month.tier2"), PriceFamily::Ebs);
        assert_eq!(PriceFamily::of_key("transfer.inter_az.gb_each_direction"), PriceFamily::DataTransfer);
        assert_eq!(PriceFamily::of_key("ec2.something"), PriceFamily::Other);
        for f in PriceFamily::ALL {
            assert_eq!(PriceFamily::parse(f.as_str()), Some(*f));
        }
        assert!(Origin::Override.rank() > Origin::Embedded { as_of: String::new() }.rank());
    }
}
