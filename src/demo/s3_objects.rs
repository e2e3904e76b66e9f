//! `s3_objects`: an S3 Inventory sample for three buckets — tiny thumbnails, a
//! versioned backup bucket with piles of noncurrent versions, and Athena results
//! with abandoned multipart uploads.

use polars::prelude::*;

use super::calendar::{DAY_MS, WINDOW_END_MS};
use super::frame::{finish, text, ts};
use super::rng::Rng;
use super::s3::Bucket;
use super::{Replica, Stream};
use crate::snapshot::FrameName;

/// Object sizes as (from, to, weight) byte ranges; a size is uniform within its range.
type SizeMix = &'static [(f64, f64, f64)];

const THUMBNAIL_SIZES: SizeMix =
    &[(400.0, 1500.0, 0.25), (1500.0, 3000.0, 0.5), (3000.0, 8000.0, 0.2), (8e3, 200e3, 0.05)];
const BACKUP_SIZES: SizeMix = &[(50e6, 500e6, 0.5), (500e6, 2e9, 0.35), (2e9, 5e9, 0.15)];
const QUERY_RESULT_SIZES: SizeMix = &[(1e3, 100e3, 0.5), (100e3, 10e6, 0.35), (10e6, 200e6, 0.15)];

/// Sample sizes per replica.
const THUMBNAILS: usize = 1500;
const BACKUP_KEYS: usize = 120;
const QUERY_RESULTS: usize = 500;
const ABANDONED_UPLOADS: usize = 80;

const DATABASES: [&str; 4] = ["orders", "customers", "inventory", "billing"];

#[derive(Default)]
pub struct Rows {
    bucket: Vec<String>,
    key: Vec<String>,
    size: Vec<i64>,
    last_modified: Vec<i64>,
    storage_class: Vec<&'static str>,
    is_latest: Vec<bool>,
    multipart_upload_incomplete: Vec<bool>,
}

fn draw_size(rng: &mut Rng, mix: SizeMix) -> i64 {
    let weights: Vec<f64> = mix.iter().map(|m| m.2).collect();
    let (from, to, _) = mix[rng.weighted(&weights)];
    rng.uniform(from, to).round() as i64
}

/// A time `age_days` (fractional) before the window end, at a whole second.
fn days_ago(age_days: f64) -> i64 {
    let ms = WINDOW_END_MS - (age_days * DAY_MS as f64) as i64;
    ms - ms.rem_euclid(1000) - 1000
}

fn uuid(rng: &mut Rng) -> String {
    format!("{}-{}-{}-{}-{}", rng.hex(8), rng.hex(4), rng.hex(4), rng.hex(4), rng.hex(12))
}

impl Rows {
    fn object(&mut self, bucket: &str, key: String, size: i64, modified: i64, latest: bool, incomplete: bool) {
        self.bucket.push(bucket.to_string());
        self.key.push(key);
        self.size.push(size);
        self.last_modified.push(modified);
        self.storage_class.push("STANDARD");
        self.is_latest.push(latest);
        self.multipart_upload_incomplete.push(incomplete);
    }

    pub fn push(&mut self, replica: &Replica, buckets: &[Bucket]) {
        for b in buckets {
            let mut rng = replica.rng(Stream::Objects, b.seq);
            match b.spec.name {
                "acme-thumbnails" => self.thumbnails(&mut rng, &b.name),
                "acme-backups-versioned" => self.backups(&mut rng, &b.name),
                "acme-athena-results" => self.query_results(&mut rng, &b.name),
                _ => {}
            }
        }
    }

    fn thumbnails(&mut self, rng: &mut Rng, bucket: &str) {
        for _ in 0..THUMBNAILS {
            // Most thumbnails are recent; the tail goes back two years.
            let u = rng.unit();
            let age = 700.0 * u * u;
            let modified = days_ago(age);
            let day = modified / DAY_MS;
            let (w, h) = [(64, 64), (128, 128), (320, 240)][rng.below(3) as usize];
            let key = format!("thumbs/{}/{}_{w}x{h}.webp", day_path(day), rng.hex(12));
            let size = draw_size(rng, THUMBNAIL_SIZES);
            self.object(bucket, key, size, modified, true, false);
        }
    }

    fn backups(&mut self, rng: &mut Rng, bucket: &str) {
        // The same keys are overwritten by every run, so noncurrent versions pile up
        // (the bucket has no noncurrent-version expiration).
        for n in 0..BACKUP_KEYS {
            let database = DATABASES[n % DATABASES.len()];
            let key = format!("db/{database}/{}/full-{:03}.dump.zst", ["daily", "weekly"][n % 2], n / 2);
            let size = draw_size(rng, BACKUP_SIZES);
            let mut age = rng.uniform(0.1, 3.0);
            self.object(bucket, key.clone(), size, days_ago(age), true, false);
            for _ in 0..rng.int(3, 12) {
                age += rng.uniform(5.0, 90.0);
                let old_size = (size as f64 * rng.uniform(0.8, 1.0)) as i64;
                self.object(bucket, key.clone(), old_size, days_ago(age), false, false);
            }
        }
    }

    fn query_results(&mut self, rng: &mut Rng, bucket: &str) {
        for _ in 0..QUERY_RESULTS {
            let modified = days_ago(rng.uniform(0.0, 600.0));
            let key = format!("results/{}/{}.csv", day_path(modified / DAY_MS), uuid(rng));
            let size = draw_size(rng, QUERY_RESULT_SIZES);
            self.object(bucket, key, size, modified, true, false);
        }
        // Uploads that were started and never completed or aborted: their parts are
        // billed until a lifecycle rule aborts them.
        for _ in 0..ABANDONED_UPLOADS {
            let modified = days_ago(rng.uniform(20.0, 400.0));
            let key = format!("results/tmp/{}.parquet", uuid(rng));
            let parts = rng.int(1, 12);
            self.object(bucket, key, parts * 16 * 1024 * 1024, modified, true, true);
        }
    }

    pub fn into_frame(self) -> DataFrame {
        finish(
            FrameName::S3Objects,
            vec![
                text("bucket", &self.bucket),
                text("key", &self.key),
                Column::new("size".into(), self.size),
                ts("last_modified", self.last_modified),
                text("storage_class", &self.storage_class),
                Column::new("is_latest".into(), self.is_latest),
                Column::new("multipart_upload_incomplete".into(), self.multipart_upload_incomplete),
            ],
        )
    }
}

/// `YYYY/MM/DD` of a day since the epoch (chrono's calendar, for key names only).
fn day_path(day: i64) -> String {
    chrono::DateTime::from_timestamp(day * 86_400, 0)
        .map(|t| t.format("%Y/%m/%d").to_string())
        .unwrap_or_else(|| "unknown".to_string())
}
