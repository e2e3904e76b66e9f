//! EBS volumes as the EBS rules read them, and what a volume costs as configured.

use polars::prelude::*;

use crate::pricing::PriceBook;
use crate::report::Resource;
use crate::rules::RuleError;
use crate::rules::columns::{i64s, millis, region_of_az, strs, tags};

/// One EBS volume row, as the rules need it.
pub struct Volume<'a> {
    pub id: &'a str,
    pub account: &'a str,
    pub region: String,
    pub az: &'a str,
    pub kind: &'a str,
    pub size_gib: i64,
    pub iops: Option<i64>,
    pub throughput: Option<i64>,
    pub created_ms: Option<i64>,
    pub tags: std::collections::BTreeMap<String, String>,
}

pub fn volumes(df: &DataFrame) -> Result<Vec<Volume<'_>>, RuleError> {
    let ids = strs(df, "volume_id")?;
    let accounts = strs(df, "account_id")?;
    let regions = strs(df, "region")?;
    let azs = strs(df, "az")?;
    let kinds = strs(df, "volume_type")?;
    let sizes = i64s(df, "size_gib")?;
    let iops = i64s(df, "iops")?;
    let tput = i64s(df, "throughput_mibps")?;
    let created = millis(df, "create_time")?;
    let tag_json = strs(df, "tags")?;
    Ok((0..df.height())
        .map(|i| {
            let az = azs[i].unwrap_or_default();
            Volume {
                id: ids[i].unwrap_or_default(),
                account: accounts[i].unwrap_or_default(),
                region: regions[i].map(str::to_string).unwrap_or_else(|| region_of_az(az)),
                az,
                kind: kinds[i].unwrap_or_default(),
                size_gib: sizes[i].unwrap_or_default(),
                iops: iops[i],
                throughput: tput[i],
                created_ms: created[i],
                tags: tags(tag_json[i]),
            }
        })
        .collect())
}

impl Volume<'_> {
    pub fn resource(&self) -> Resource {
        Resource {
            arn_or_id: self.id.to_string(),
            kind: "ebs-volume".into(),
            account_id: self.account.to_string(),
            region: self.region.clone(),
            name: self.tags.get("Name").cloned().unwrap_or_else(|| self.id.to_string()),
            tags: self.tags.clone(),
        }
    }
}

/// Why a volume's cost is unknown: a price the book lacks, or a quantity the snapshot lacks.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CostError {
    #[error(transparent)]
    Price(#[from] crate::pricing::PriceError),
    #[error("{0}")]
    Unknown(String),
}

/// Monthly cost of a volume as it is configured, from the price book. io1/io2 volumes
/// are priced by their provisioned IOPS (io2 in AWS's tiers: up to 32,000, 32,001–64,000,
/// above); one whose IOPS are unknown is not priced — never as if it had none.
pub fn volume_monthly_cost(prices: &PriceBook, v: &Volume) -> Result<f64, CostError> {
    let size = v.size_gib as f64;
    let storage = prices.usd(&v.region, &format!("ebs.{}.gb_month", v.kind))? * size;
    let extras = match v.kind {
        "gp3" => {
            let iops = (v.iops.unwrap_or(3000) - 3000).max(0) as f64;
            let tput = (v.throughput.unwrap_or(125) - 125).max(0) as f64;
            let iops_cost = if iops > 0.0 { iops * prices.usd(&v.region, "ebs.gp3.iops_month")? } else { 0.0 };
            let tput_cost =
                if tput > 0.0 { tput * prices.usd(&v.region, "ebs.gp3.throughput_mibps_month")? } else { 0.0 };
            iops_cost + tput_cost
        }
        "io1" | "io2" => {
            let Some(iops) = v.iops.filter(|i| *i > 0) else {
                return Err(CostError::Unknown(format!(
                    "{} is {} with unknown provisioned IOPS, which it is billed for: not priced",
                    v.id, v.kind
                )));
            };
            let tiers = crate::pricing::tiers::tiers(prices, &v.region, &format!("ebs.{}.iops_month", v.kind));
            match tiers {
                Ok(t) => crate::pricing::tiers::cost(&t, iops as f64),
                // Only the first io2 tier is in the book: enough for volumes within it.
                Err(e) => {
                    let first = prices.usd(&v.region, &format!("ebs.{}.iops_month", v.kind))?;
                    if v.kind == "io2" && iops > 32_000 {
                        return Err(e.into());
                    }
                    iops as f64 * first
                }
            }
        }
        _ => 0.0,
    };
    Ok(storage + extras)
}

/// gp2 baseline performance: 3 IOPS/GiB (100 minimum, 16,000 maximum); throughput
/// 128 MiB/s up to 170 GiB, 250 MiB/s above.
pub fn gp2_baseline(size_gib: i64) -> (i64, i64) {
    let iops = (size_gib * 3).clamp(100, 16_000);
    let throughput = if size_gib <= 170 { 128 } else { 250 };
    (iops, throughput)
}

pub fn fmt_usd(v: Option<f64>) -> String {
    v.map(crate::money::usd).unwrap_or_else(|| "(unpriced)".into())
}
