//! Per-bucket storage from `s3_storage_daily` (CloudWatch BucketSizeBytes /
//! NumberOfObjects): bytes by class on the latest day, trends, and the series for charts.

use std::collections::BTreeMap;

use polars::prelude::*;

use crate::report::Series;
use crate::rules::RuleError;
use crate::rules::columns::{i64s, strs};
use crate::snapshot::{FrameName, Snapshot};

use super::classes::GB;

#[derive(Debug, Clone, Default)]
pub struct Storage {
    /// Storage class → bytes on the latest day of the series.
    pub latest: BTreeMap<String, f64>,
    /// Objects on the latest day (CloudWatch counts every class together); None when unreported.
    pub objects: Option<f64>,
    /// Change of STANDARD bytes per day, first to last day (negative: data is deleted).
    pub standard_bytes_per_day: f64,
    /// Days in the series.
    pub days: usize,
    /// Per class: (unix seconds, GB) per day, for the storage chart.
    pub series: Vec<Series>,
}

impl Storage {
    pub fn total_bytes(&self) -> f64 {
        self.latest.values().sum()
    }

    pub fn standard_bytes(&self) -> f64 {
        self.latest.get("STANDARD").copied().unwrap_or(0.0)
    }
}

/// Storage of every bucket present in `s3_storage_daily` (empty when the frame is absent).
pub fn storage_by_bucket(snapshot: &Snapshot) -> Result<BTreeMap<String, Storage>, RuleError> {
    let Some(df) = snapshot.frame(FrameName::S3StorageDaily) else { return Ok(BTreeMap::new()) };
    let daily = df
        .clone()
        .lazy()
        .group_by([col("bucket"), col("storage_class"), col("date")])
        .agg([col("bytes").sum(), col("objects").sum().alias("objects"), col("objects").count().alias("reported")])
        .with_column(col("date").cast(DataType::Int64).alias("day"))
        .sort(["bucket", "storage_class", "day"], Default::default())
        .collect()?;
    let buckets = strs(&daily, "bucket")?;
    let classes = strs(&daily, "storage_class")?;
    let days = i64s(&daily, "day")?;
    let bytes = i64s(&daily, "bytes")?;
    let objects = i64s(&daily, "objects")?;
    let reported: Vec<Option<u32>> = daily.column("reported")?.cast(&DataType::UInt32)?.u32()?.iter().collect();

    let mut out: BTreeMap<String, Storage> = BTreeMap::new();
    // Objects per (bucket, day), summed over classes.
    let mut objects_by_day: BTreeMap<(String, i64), f64> = BTreeMap::new();
    let mut last_day: BTreeMap<String, i64> = BTreeMap::new();
    for i in 0..daily.height() {
        let (Some(bucket), Some(class), Some(day)) = (buckets[i], classes[i], days[i]) else { continue };
        let b = bytes[i].unwrap_or(0) as f64;
        let storage = out.entry(bucket.to_string()).or_default();
        match storage.series.last_mut() {
            Some(s) if s.name == class => s.points.push((day * 86_400, b / GB)),
            _ => storage.series.push(Series { name: class.to_string(), points: vec![(day * 86_400, b / GB)] }),
        }
        if reported[i].unwrap_or(0) > 0 {
            *objects_by_day.entry((bucket.to_string(), day)).or_default() += objects[i].unwrap_or(0) as f64;
        }
        let last = last_day.entry(bucket.to_string()).or_insert(day);
        *last = (*last).max(day);
    }
    for (bucket, storage) in out.iter_mut() {
        let last = last_day.get(bucket).copied().unwrap_or_default();
        let mut all_days: Vec<i64> = Vec::new();
        for s in &storage.series {
            all_days.extend(s.points.iter().map(|(t, _)| t / 86_400));
            if let Some((t, gb)) = s.points.last()
                && t / 86_400 == last
            {
                storage.latest.insert(s.name.clone(), gb * GB);
            }
            if s.name == "STANDARD"
                && let (Some(first), Some(end)) = (s.points.first(), s.points.last())
                && end.0 > first.0
            {
                storage.standard_bytes_per_day = (end.1 - first.1) * GB / ((end.0 - first.0) as f64 / 86_400.0);
            }
        }
        all_days.sort();
        all_days.dedup();
        storage.days = all_days.len();
        storage.objects = objects_by_day.get(&(bucket.clone(), last)).copied();
    }
    Ok(out)
}
