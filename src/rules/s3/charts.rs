//! Evidence charts shared by the S3 rules: storage by class over time, reads per GB
//! stored, and the object size and age histograms from inventory.

use crate::report::{Bucket, Chart, ThresholdLine};
use crate::snapshot::s3_histogram::{age_bucket_label, size_bucket_label};

use super::access::{Access, COLD_SHARE};
use super::classes::GB;
use super::inventory::Cell;
use super::storage::Storage;

/// GB per storage class per day (CloudWatch).
pub fn storage_by_class(storage: &Storage) -> Option<Chart> {
    (!storage.series.is_empty()).then(|| Chart::TimeSeries {
        title: "Storage by class".into(),
        unit: "GB".into(),
        series: storage.series.clone(),
        thresholds: vec![],
    })
}

/// Bytes read per month ÷ bytes stored, per day, against the cold threshold.
pub fn reads_per_gb(access: &Access, stored_bytes: f64) -> Option<Chart> {
    (access.days > 0).then(|| Chart::TimeSeries {
        title: "Access per GB stored (bytes read per month ÷ bytes stored)".into(),
        unit: "ratio".into(),
        series: vec![access.read_share_series(stored_bytes)],
        thresholds: vec![ThresholdLine { label: "cold".into(), value: COLD_SHARE }],
    })
}

/// Objects per size bucket; cells are (size bucket in keys[0], objects, bytes).
pub fn size_histogram(cells: &[Cell], title: &str) -> Option<Chart> {
    let mut totals: std::collections::BTreeMap<i64, f64> = Default::default();
    for c in cells {
        *totals.entry(c.int(0)).or_default() += c.objects;
    }
    (!totals.is_empty()).then(|| Chart::Histogram {
        title: title.into(),
        unit: "objects".into(),
        buckets: totals.into_iter().map(|(k, v)| Bucket { label: size_bucket_label(k), value: v.round() }).collect(),
    })
}

/// GB per age bucket; cells are (age bucket in keys[0], objects, bytes).
pub fn age_histogram(cells: &[Cell], title: &str) -> Option<Chart> {
    let mut totals: std::collections::BTreeMap<i64, f64> = Default::default();
    for c in cells {
        *totals.entry(c.int(0)).or_default() += c.bytes;
    }
    (!totals.is_empty()).then(|| Chart::Histogram {
        title: title.into(),
        unit: "GB".into(),
        buckets: totals
            .into_iter()
            .map(|(k, v)| Bucket { label: age_bucket_label(k), value: (v / GB * 100.0).round() / 100.0 })
            .collect(),
    })
}
