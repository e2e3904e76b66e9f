//! Hand-built S3 frames for the rule tests: buckets, 14 days of flat CloudWatch
//! storage and request metrics, and inventory rows.

use polars::prelude::*;

use crate::rules::test_support::{snapshot, window_end_ms};
use crate::snapshot::{FrameName, Snapshot};

pub const GIB: f64 = 1_073_741_824.0;
pub const KIB: f64 = 1024.0;
/// Days in the 730-hour month.
pub const DPM: f64 = 730.0 / 24.0;
pub const DAY_MS: i64 = 86_400_000;

#[derive(Clone)]
pub struct Bucket {
    pub name: &'static str,
    pub region: &'static str,
    pub versioning: &'static str,
    pub lifecycle_rules: i64,
    pub noncurrent_expiration_days: Option<i64>,
    pub abort_multipart_days: Option<i64>,
    pub tags: &'static str,
    /// (storage class, bytes, objects) on every day of the window.
    pub storage: Vec<(&'static str, f64, Option<f64>)>,
    /// Per day: (GETs, bytes downloaded); None = request metrics not enabled.
    pub requests: Option<Vec<(f64, f64)>>,
}

pub fn bucket(name: &'static str, bytes: f64, objects: f64) -> Bucket {
    Bucket {
        name,
        region: "us-east-1",
        versioning: "Disabled",
        lifecycle_rules: 0,
        noncurrent_expiration_days: None,
        abort_multipart_days: None,
        tags: "{\"team\":\"data\"}",
        storage: vec![("STANDARD", bytes, Some(objects))],
        requests: None,
    }
}

impl Bucket {
    /// The same GETs and bytes read every day of the 14-day window.
    pub fn reads(mut self, gets_per_day: f64, bytes_per_day: f64) -> Bucket {
        self.requests = Some(vec![(gets_per_day, bytes_per_day); 14]);
        self
    }
}

/// One S3 Inventory row: (bucket, key, size, age in days, storage class, is_latest, incomplete multipart).
pub type Object = (&'static str, String, i64, i64, &'static str, bool, bool);

fn day_number(offset_back: i64) -> i32 {
    ((window_end_ms() / DAY_MS) - offset_back) as i32
}

pub fn frames(buckets: &[Bucket], objects: &[Object]) -> Snapshot {
    let mut out = vec![(FrameName::S3Buckets, buckets_frame(buckets))];
    out.push((FrameName::S3StorageDaily, storage_frame(buckets)));
    out.push((FrameName::S3RequestsDaily, requests_frame(buckets)));
    if !objects.is_empty() {
        out.push((FrameName::S3Objects, objects_frame(objects)));
    }
    snapshot(out)
}

fn buckets_frame(buckets: &[Bucket]) -> DataFrame {
    df!(
        "account_id" => buckets.iter().map(|_| "123456789012").collect::<Vec<_>>(),
        "region" => buckets.iter().map(|b| b.region).collect::<Vec<_>>(),
        "bucket" => buckets.iter().map(|b| b.name).collect::<Vec<_>>(),
        "versioning" => buckets.iter().map(|b| b.versioning).collect::<Vec<_>>(),
        "lifecycle_rule_count" => buckets.iter().map(|b| b.lifecycle_rules).collect::<Vec<_>>(),
        "noncurrent_expiration_days" => buckets.iter().map(|b| b.noncurrent_expiration_days).collect::<Vec<_>>(),
        "abort_incomplete_multipart_days" => buckets.iter().map(|b| b.abort_multipart_days).collect::<Vec<_>>(),
        "intelligent_tiering_configured" => buckets.iter().map(|_| false).collect::<Vec<_>>(),
        "replication_dest_region" => buckets.iter().map(|_| None::<&str>).collect::<Vec<_>>(),
        "created_at" => buckets.iter().map(|_| Some(window_end_ms() - 900 * DAY_MS)).collect::<Vec<_>>(),
        "tags" => buckets.iter().map(|b| b.tags).collect::<Vec<_>>(),
    )
    .expect("s3_buckets")
    .lazy()
    .with_column(col("created_at").cast(DataType::Datetime(TimeUnit::Milliseconds, None)))
    .collect()
    .expect("cast")
}

fn storage_frame(buckets: &[Bucket]) -> DataFrame {
    let (mut name, mut date, mut class, mut bytes, mut objects) = (vec![], vec![], vec![], vec![], vec![]);
    for b in buckets {
        for (c, by, ob) in &b.storage {
            for d in 1..=14 {
                name.push(b.name);
                date.push(day_number(d));
                class.push(*c);
                bytes.push(*by as i64);
                objects.push(ob.map(|o| o as i64));
            }
        }
    }
    df!("bucket" => name, "date" => date, "storage_class" => class, "bytes" => bytes, "objects" => objects)
        .expect("s3_storage_daily")
        .lazy()
        .with_column(col("date").cast(DataType::Date))
        .collect()
        .expect("cast")
}

fn requests_frame(buckets: &[Bucket]) -> DataFrame {
    let (mut name, mut date, mut gets, mut bytes) = (vec![], vec![], vec![], vec![]);
    for b in buckets {
        for d in 0..14usize {
            name.push(b.name);
            date.push(day_number(14 - d as i64));
            let day = b.requests.as_ref().and_then(|r| r.get(d).copied());
            gets.push(day.map(|(g, _)| g as i64));
            bytes.push(day.map(|(_, by)| by as i64));
        }
    }
    let puts: Vec<Option<i64>> = gets.iter().map(|g| g.map(|_| 10)).collect();
    df!(
        "bucket" => name,
        "date" => date,
        "get_requests" => gets,
        "put_requests" => puts.clone(),
        "list_requests" => puts,
        "bytes_downloaded" => bytes,
    )
    .expect("s3_requests_daily")
    .lazy()
    .with_column(col("date").cast(DataType::Date))
    .collect()
    .expect("cast")
}

fn objects_frame(objects: &[Object]) -> DataFrame {
    df!(
        "bucket" => objects.iter().map(|o| o.0).collect::<Vec<_>>(),
        "key" => objects.iter().map(|o| o.1.clone()).collect::<Vec<_>>(),
        "size" => objects.iter().map(|o| o.2).collect::<Vec<_>>(),
        "last_modified" => objects.iter().map(|o| window_end_ms() - o.3 * DAY_MS).collect::<Vec<_>>(),
        "storage_class" => objects.iter().map(|o| o.4).collect::<Vec<_>>(),
        "is_latest" => objects.iter().map(|o| o.5).collect::<Vec<_>>(),
        "multipart_upload_incomplete" => objects.iter().map(|o| o.6).collect::<Vec<_>>(),
    )
    .expect("s3_objects")
    .lazy()
    .with_column(col("last_modified").cast(DataType::Datetime(TimeUnit::Milliseconds, None)))
    .collect()
    .expect("cast")
}

/// `n` copies of an inventory row with numbered keys under `prefix`.
pub fn many(bucket: &'static str, prefix: &str, n: usize, size: i64, age_days: i64, latest: bool) -> Vec<Object> {
    (0..n).map(|i| (bucket, format!("{prefix}{i:06}"), size, age_days, "STANDARD", latest, false)).collect()
}
