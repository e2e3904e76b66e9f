//! Evidence shared by the network rules: AZ × AZ byte matrices, the top talkers, and
//! how much of the billed transfer the flow logs explain.

use std::collections::{BTreeMap, BTreeSet};

use crate::report::{Bucket, Chart, Stat};

use super::data::{GB, NetworkData};
use super::pairs::{Class, Crossing};

/// Round to 3 significant-ish decimals for display (GB values).
pub fn gb(bytes: f64) -> f64 {
    (bytes / GB * 1000.0).round() / 1000.0
}

pub fn stat(name: &str, value: f64, unit: &str) -> Stat {
    Stat::new(name, (value * 1000.0).round() / 1000.0, unit)
}

/// GB per month by (source AZ, destination AZ).
pub fn matrix(title: &str, cells: &BTreeMap<(String, String), f64>) -> Option<Chart> {
    if cells.is_empty() {
        return None;
    }
    let rows: BTreeSet<&String> = cells.keys().map(|(a, _)| a).collect();
    let cols: BTreeSet<&String> = cells.keys().map(|(_, b)| b).collect();
    let values = rows
        .iter()
        .map(|r| cols.iter().map(|c| gb(cells.get(&((*r).clone(), (*c).clone())).copied().unwrap_or(0.0))).collect())
        .collect();
    Some(Chart::Matrix {
        title: title.into(),
        unit: "GB/month".into(),
        rows: rows.into_iter().cloned().collect(),
        cols: cols.into_iter().cloned().collect(),
        values,
    })
}

/// The pairs moving the most bytes across AZs, with what routing hints can do for them.
pub fn top_talkers(crossing: &Crossing, n: usize) -> Option<Chart> {
    let buckets: Vec<Bucket> = crossing
        .pairs
        .iter()
        .filter(|p| p.crossing() > 0.0)
        .take(n)
        .map(|p| Bucket {
            label: format!("{}{}", p.label(), if p.class == Class::Service { "" } else { " (not fixable by hints)" }),
            value: gb(p.crossing()),
        })
        .collect();
    (!buckets.is_empty()).then(|| Chart::Histogram {
        title: "Top cross-AZ talkers".into(),
        unit: "GB/month".into(),
        buckets,
    })
}

/// Bytes per month crossing AZs in `region` by everything the flows saw (both
/// directions of each connection), for the billed comparison.
pub fn crossing_in_region(data: &NetworkData, region: &str) -> f64 {
    data.flows.iter().filter(|f| data.region_of(f).as_deref() == Some(region)).map(|f| f.crossing_bytes()).sum()
}

/// Share of the billed inter-AZ transfer the flows explain: each GB crossing is billed
/// on both sides (out of one AZ, into the other), so it explains 2 GB of
/// `DataTransfer-Regional-Bytes` usage. None without billing data for the region.
pub fn regional_share(data: &NetworkData, region: &str) -> Option<(f64, f64, f64)> {
    let billed = data.billed.get(region).filter(|b| b.regional_gb > 0.0)?;
    let explained_gb = 2.0 * crossing_in_region(data, region) / GB;
    Some((explained_gb / billed.regional_gb, explained_gb, billed.regional_gb))
}

/// Share of the billed NAT gateway processing the flows explain.
pub fn nat_share(data: &NetworkData, region: &str) -> Option<(f64, f64, f64)> {
    let billed = data.billed.get(region).filter(|b| b.nat_gb > 0.0)?;
    let through: f64 = data
        .flows
        .iter()
        .filter(|f| f.via == "nat-gateway" && data.region_of(f).as_deref() == Some(region))
        .map(|f| f.monthly_bytes)
        .sum::<f64>()
        / GB;
    Some((through / billed.nat_gb, through, billed.nat_gb))
}

/// Statistics every cross-AZ finding carries about its cluster.
pub fn cluster_stats(data: &NetworkData, crossing: &Crossing, region: Option<&str>) -> Vec<Stat> {
    let by_class = crossing.crossing_by_class();
    let total = crossing.crossing();
    let mut out = vec![stat("cluster: bytes crossing AZs", total / GB, "GB/month")];
    for (class, bytes) in &by_class {
        out.push(stat(&format!("cluster crossing: {}", class.short()), bytes / GB, "GB/month"));
    }
    out.push(stat("cluster crossing: to NAT in other AZ", crossing.to_nat_crossing / GB, "GB/month"));
    let unexplained = by_class.get(&Class::Unattributed).copied().unwrap_or(0.0);
    if total > 0.0 {
        // Not attributable to a service pair: reported, never dropped.
        out.push(stat("cluster crossing: unexplained share", unexplained / total, "ratio"));
    }
    if let Some((share, explained, billed)) = region.and_then(|r| regional_share(data, r)) {
        out.push(stat("billed inter-AZ explained by flows", share, "ratio"));
        out.push(stat("billed inter-AZ (Regional-Bytes)", billed, "GB/month"));
        out.push(stat("flows inter-AZ ×2 (billed both sides)", explained, "GB/month"));
    }
    out
}
