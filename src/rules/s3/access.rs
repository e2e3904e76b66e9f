//! How each bucket is read (`s3_requests_daily`), and which tiering rule owns it.
//!
//! The two tiering rules never report the same bucket: both classify its access the
//! same way, with the fixed thresholds below, and each takes only its own buckets.

use std::collections::BTreeMap;

use polars::prelude::*;

use crate::report::Series;
use crate::rules::RuleError;
use crate::rules::columns::{i64s, strs};
use crate::snapshot::{FrameName, Snapshot};

use super::classes::DAYS_PER_MONTH;

/// A bucket is cold when at most this share of its bytes, and of its objects, is read per month.
pub const COLD_SHARE: f64 = 0.1;
/// Daily reads varying more than this (coefficient of variation) make access "changing".
pub const CHANGING_CV: f64 = 1.0;

/// Observed reads of one bucket, over the days with request metrics.
#[derive(Debug, Clone, Default)]
pub struct Access {
    /// Days with a non-null GET count.
    pub days: usize,
    pub gets_month: f64,
    pub bytes_read_month: f64,
    /// Coefficient of variation of the daily bytes read (or GETs when bytes are null).
    pub cv: f64,
    /// (unix seconds, bytes read that day) for charts.
    pub daily_bytes_read: Vec<(i64, f64)>,
}

impl Access {
    /// Bytes read per month as a share of `stored` bytes.
    pub fn read_share(&self, stored: f64) -> f64 {
        if stored > 0.0 { self.bytes_read_month / stored } else { 0.0 }
    }

    /// Monthly read share per day, for the chart: (unix seconds, share).
    pub fn read_share_series(&self, stored: f64) -> Series {
        let points = self
            .daily_bytes_read
            .iter()
            .map(|(t, b)| (*t, if stored > 0.0 { b * DAYS_PER_MONTH / stored } else { 0.0 }))
            .collect();
        Series { name: "bytes read per month ÷ bytes stored".into(), points }
    }
}

/// Access of every bucket with request rows; `days == 0` when every day is null.
pub fn access_by_bucket(snapshot: &Snapshot) -> Result<BTreeMap<String, Access>, RuleError> {
    let Some(df) = snapshot.frame(FrameName::S3RequestsDaily) else { return Ok(BTreeMap::new()) };
    let df = df
        .clone()
        .lazy()
        .with_column(col("date").cast(DataType::Int64).alias("day"))
        .sort(["bucket", "day"], Default::default())
        .collect()?;
    let buckets = strs(&df, "bucket")?;
    let days = i64s(&df, "day")?;
    let gets = i64s(&df, "get_requests")?;
    let bytes = i64s(&df, "bytes_downloaded")?;
    let mut rows: BTreeMap<String, Vec<DayRow>> = BTreeMap::new();
    for i in 0..df.height() {
        if let (Some(b), Some(d)) = (buckets[i], days[i]) {
            rows.entry(b.to_string()).or_default().push((d, gets[i], bytes[i]));
        }
    }
    Ok(rows.into_iter().map(|(bucket, r)| (bucket, summarise(&r))).collect())
}

/// (day number, GETs, bytes downloaded) of one day.
type DayRow = (i64, Option<i64>, Option<i64>);

fn summarise(rows: &[DayRow]) -> Access {
    let with_metrics: Vec<_> = rows.iter().filter(|r| r.1.is_some()).collect();
    let n = with_metrics.len();
    let mut access = Access { days: n, ..Default::default() };
    if n == 0 {
        return access;
    }
    let gets: Vec<f64> = with_metrics.iter().map(|r| r.1.unwrap_or(0) as f64).collect();
    let bytes: Vec<f64> = with_metrics.iter().map(|r| r.2.unwrap_or(0) as f64).collect();
    access.gets_month = mean(&gets) * DAYS_PER_MONTH;
    access.bytes_read_month = mean(&bytes) * DAYS_PER_MONTH;
    let varying = if bytes.iter().any(|b| *b > 0.0) { &bytes } else { &gets };
    access.cv = coefficient_of_variation(varying);
    access.daily_bytes_read = with_metrics.iter().map(|r| (r.0 * 86_400, r.2.unwrap_or(0) as f64)).collect();
    access
}

fn mean(v: &[f64]) -> f64 {
    if v.is_empty() { 0.0 } else { v.iter().sum::<f64>() / v.len() as f64 }
}

fn coefficient_of_variation(v: &[f64]) -> f64 {
    let m = mean(v);
    if m <= 0.0 {
        return 0.0;
    }
    let var = v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / v.len() as f64;
    var.sqrt() / m
}

/// How a bucket is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessClass {
    /// No request metrics.
    Unknown,
    /// At most [`COLD_SHARE`] of the bytes and of the objects read per month.
    Cold,
    /// Read more than that, with daily reads varying by more than [`CHANGING_CV`].
    Changing,
    /// Read more than cold, steadily: part of the data is in use, part is not.
    Mixed,
}

impl AccessClass {
    pub fn as_str(self) -> &'static str {
        match self {
            AccessClass::Unknown => "unknown",
            AccessClass::Cold => "cold",
            AccessClass::Changing => "changing",
            AccessClass::Mixed => "mixed",
        }
    }
}

/// Classify a bucket's access given its stored bytes and objects.
pub fn classify(access: Option<&Access>, stored_bytes: f64, objects: Option<f64>) -> AccessClass {
    let Some(a) = access.filter(|a| a.days > 0) else { return AccessClass::Unknown };
    let byte_share = a.read_share(stored_bytes);
    let object_share = objects.filter(|o| *o > 0.0).map(|o| a.gets_month / o).unwrap_or(0.0);
    if byte_share <= COLD_SHARE && object_share <= COLD_SHARE {
        AccessClass::Cold
    } else if a.cv > CHANGING_CV {
        AccessClass::Changing
    } else {
        AccessClass::Mixed
    }
}

/// Which tiering rule owns a bucket: `s3.storage-class` takes cold buckets, and buckets
/// of unknown access tagged as archive; `s3.intelligent-tiering` takes the rest.
pub fn storage_class_owns(class: AccessClass, archive_tagged: bool) -> bool {
    class == AccessClass::Cold || (class == AccessClass::Unknown && archive_tagged)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn access(gets: f64, bytes: f64, cv: f64) -> Access {
        Access { days: 14, gets_month: gets, bytes_read_month: bytes, cv, daily_bytes_read: vec![] }
    }

    #[test]
    fn classification_follows_the_documented_thresholds() {
        assert_eq!(classify(None, 1e12, Some(1e6)), AccessClass::Unknown);
        // 10 % of bytes and of objects read per month is still cold
        assert_eq!(classify(Some(&access(1e5, 1e11, 0.0)), 1e12, Some(1e6)), AccessClass::Cold);
        // many GETs on few bytes: not cold
        assert_eq!(classify(Some(&access(5e5, 1e9, 0.2)), 1e12, Some(1e6)), AccessClass::Mixed);
        assert_eq!(classify(Some(&access(5e5, 4e11, 1.5)), 1e12, Some(1e6)), AccessClass::Changing);
    }

    #[test]
    fn ownership_is_exclusive() {
        assert!(storage_class_owns(AccessClass::Cold, false));
        assert!(storage_class_owns(AccessClass::Unknown, true));
        assert!(!storage_class_owns(AccessClass::Unknown, false));
        assert!(!storage_class_owns(AccessClass::Mixed, true));
    }
}
