//! `manifest.json`: what a snapshot holds and how it was made. Written last.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::schema::FrameName;

/// The snapshot format version this build reads and writes.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    Live,
    Snapshot,
    Import,
    Demo,
}

impl SourceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Live => "live",
            SourceKind::Snapshot => "snapshot",
            SourceKind::Import => "import",
            SourceKind::Demo => "demo",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

impl Window {
    pub fn days(&self) -> f64 {
        (self.end - self.start).num_seconds() as f64 / 86_400.0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CollectorStatus {
    Ok,
    Partial,
    Failed,
}

/// One collector's (or importer's, or generator's) account of its run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CollectorRun {
    pub status: CollectorStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// API calls made, by `service:Operation`.
    #[serde(default)]
    pub api_calls: BTreeMap<String, u64>,
    #[serde(default)]
    pub frames: Vec<FrameName>,
    /// What those calls cost, USD ([`api_cost_usd`] of `api_calls`); absent when free.
    #[serde(default, skip_serializing_if = "is_free")]
    pub api_cost_usd: f64,
}

fn is_free(usd: &f64) -> bool {
    *usd == 0.0
}

/// Dollar cost of API calls counted by `service:Operation`: Cost Explorer $0.01 per
/// request; CloudWatch GetMetricData $0.01 per 1,000 metrics requested (counted by the
/// collectors as `cloudwatch:metrics`); S3 LIST requests $0.005 and other S3 requests
/// (GET, bucket configuration) $0.0004 per 1,000 (us-east-1 STANDARD request prices,
/// data/pricing/services.csv). Everything else tierwise calls is free. Rounded to a
/// hundredth of a cent (a small collection costs fractions of a cent).
pub fn api_cost_usd(calls: &BTreeMap<String, u64>) -> f64 {
    let mut usd = 0.0;
    for (op, n) in calls {
        if op.starts_with("ce:") {
            usd += *n as f64 * 0.01;
        } else if op == "cloudwatch:metrics" {
            usd += *n as f64 / 1000.0 * 0.01;
        } else if op.starts_with("s3:List") {
            usd += *n as f64 / 1000.0 * 0.005;
        } else if op.starts_with("s3:") {
            usd += *n as f64 / 1000.0 * 0.0004;
        }
    }
    (usd * 10_000.0).round() / 10_000.0
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub schema_version: u32,
    pub created_at: DateTime<Utc>,
    pub source: SourceKind,
    /// Free text: demo seed, profile name, import directory…
    #[serde(default)]
    pub source_detail: String,
    pub accounts: Vec<String>,
    pub regions: Vec<String>,
    pub window: Window,
    #[serde(default)]
    pub collectors: BTreeMap<String, CollectorRun>,
}

impl Manifest {
    /// Total API calls by `service:Operation` over every collector.
    pub fn api_calls(&self) -> BTreeMap<String, u64> {
        let mut total = BTreeMap::new();
        for run in self.collectors.values() {
            for (op, n) in &run.api_calls {
                *total.entry(op.clone()).or_insert(0) += n;
            }
        }
        total
    }
}
