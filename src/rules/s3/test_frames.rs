//! Hand-built S3 frames for the rule tests: buckets, 14 days of flat CloudWatch
//! storage and request metrics, and inventory rows.

use polars::prelude::DataFrame;

use crate::rules::test_support::{snapshot, window_end_ms};
use crate::snapshot::builder::{Cell, FrameBuilder};
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
    /// What the request metrics cover (`bucket`, `partial`, `unknown`); None = not said.
    pub request_metrics_scope: Option<&'static str>,
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
        request_metrics_scope: None,
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

fn day_number(offset_back: i64) -> i64 {
    (window_end_ms() / DAY_MS) - offset_back
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
    FrameBuilder::with_defaults(FrameName::S3Buckets)
        .rows(buckets.iter().map(|b| {
            [
                ("account_id", "123456789012".into()),
                ("region", b.region.into()),
                ("bucket", b.name.into()),
                ("versioning", b.versioning.into()),
                ("lifecycle_rule_count", b.lifecycle_rules.into()),
                ("noncurrent_expiration_days", b.noncurrent_expiration_days.into()),
                ("abort_incomplete_multipart_days", b.abort_multipart_days.into()),
                ("created_at", Cell::ts(window_end_ms() - 900 * DAY_MS)),
                ("tags", b.tags.into()),
                ("request_metrics_scope", b.request_metrics_scope.into()),
            ]
        }))
        .and_then(FrameBuilder::finish)
        .expect("s3_buckets")
}

fn storage_frame(buckets: &[Bucket]) -> DataFrame {
    let mut frame = FrameBuilder::with_defaults(FrameName::S3StorageDaily);
    for b in buckets {
        for (class, bytes, objects) in &b.storage {
            for d in 1..=14 {
                frame
                    .row([
                        ("bucket", b.name.into()),
                        ("date", Cell::date(day_number(d))),
                        ("storage_class", (*class).into()),
                        ("bytes", (*bytes as i64).into()),
                        ("objects", objects.map(|o| o as i64).into()),
                    ])
                    .expect("s3_storage_daily row");
            }
        }
    }
    frame.finish().expect("s3_storage_daily")
}

fn requests_frame(buckets: &[Bucket]) -> DataFrame {
    let mut frame = FrameBuilder::with_defaults(FrameName::S3RequestsDaily);
    for b in buckets {
        for d in 0..14usize {
            let day = b.requests.as_ref().and_then(|r| r.get(d).copied());
            let puts = day.map(|_| 10i64);
            frame
                .row([
                    ("bucket", b.name.into()),
                    ("date", Cell::date(day_number(14 - d as i64))),
                    ("get_requests", day.map(|(g, _)| g as i64).into()),
                    ("put_requests", puts.into()),
                    ("list_requests", puts.into()),
                    ("bytes_downloaded", day.map(|(_, by)| by as i64).into()),
                ])
                .expect("s3_requests_daily row");
        }
    }
    frame.finish().expect("s3_requests_daily")
}

fn objects_frame(objects: &[Object]) -> DataFrame {
    FrameBuilder::with_defaults(FrameName::S3Objects)
        .rows(objects.iter().map(|o| {
            [
                ("bucket", o.0.into()),
                ("key", o.1.clone().into()),
                ("size", o.2.into()),
                ("last_modified", Cell::ts(window_end_ms() - o.3 * DAY_MS)),
                ("storage_class", o.4.into()),
                ("is_latest", o.5.into()),
                ("multipart_upload_incomplete", o.6.into()),
            ]
        }))
        .and_then(FrameBuilder::finish)
        .expect("s3_objects")
}

/// `n` copies of an inventory row with numbered keys under `prefix`.
pub fn many(bucket: &'static str, prefix: &str, n: usize, size: i64, age_days: i64, latest: bool) -> Vec<Object> {
    (0..n).map(|i| (bucket, format!("{prefix}{i:06}"), size, age_days, "STANDARD", latest, false)).collect()
}
