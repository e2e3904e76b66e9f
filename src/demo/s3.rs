//! `s3_buckets`, `s3_storage_daily` and `s3_requests_daily`: twelve buckets with
//! distinct access patterns and 90 days of storage and request history.

use polars::prelude::*;

use super::calendar::{DAY_MS, S3_HISTORY_DAYS, WINDOW_END_DAY, WINDOW_END_MS, day_factor};
use super::frame::{date, finish, text, text_opt, ts_opt};
use super::{BACKOFFICE_ACCOUNT, DR_REGION, MAIN_ACCOUNT, PRIMARY_REGION, Replica, SEOUL_REGION, Stream, tags_json};
use crate::snapshot::FrameName;

pub const TIB: f64 = 1_099_511_627_776.0;

/// How a bucket is read.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Pattern {
    /// Every day alike (weekends lower).
    Steady,
    /// Written to, almost never read: a handful of GETs on rare days.
    Cold,
    /// Alternating fortnights of heavy and almost no reading (a job that comes and goes).
    Changing,
    /// Read in the first days of each month (month-end reporting), quiet otherwise.
    MonthStart,
}

/// Daily request volumes at full activity, and whether request metrics are enabled.
#[derive(Debug, Clone, Copy)]
pub struct Access {
    pub pattern: Pattern,
    pub gets: f64,
    pub puts: f64,
    pub lists: f64,
    pub bytes_per_get: f64,
    /// CloudWatch request metrics enabled (otherwise the daily request columns are null).
    pub metrics: bool,
}

#[derive(Debug)]
pub struct BucketSpec {
    pub name: &'static str,
    pub account: &'static str,
    pub region: &'static str,
    pub versioning: &'static str,
    pub lifecycle_rules: i64,
    pub noncurrent_expiration_days: Option<i64>,
    pub abort_incomplete_multipart_days: Option<i64>,
    pub intelligent_tiering: bool,
    pub replication_dest: Option<&'static str>,
    pub age_days: i64,
    pub team: &'static str,
    /// Storage by class at the end of the window, TiB. Every bucket has a STANDARD entry first.
    pub classes: &'static [(&'static str, f64)],
    /// Fraction by which the bucket grew over the last 90 days.
    pub growth: f64,
    /// Objects at the end of the window (all classes).
    pub objects: f64,
    pub access: Access,
}

const fn access(pattern: Pattern, gets: f64, puts: f64, lists: f64, bytes_per_get: f64, metrics: bool) -> Access {
    Access { pattern, gets, puts, lists, bytes_per_get, metrics }
}

const fn bucket(
    name: &'static str,
    team: &'static str,
    classes: &'static [(&'static str, f64)],
    access: Access,
) -> BucketSpec {
    BucketSpec {
        name,
        account: MAIN_ACCOUNT,
        region: PRIMARY_REGION,
        versioning: "Disabled",
        lifecycle_rules: 0,
        noncurrent_expiration_days: None,
        abort_incomplete_multipart_days: None,
        intelligent_tiering: false,
        replication_dest: None,
        age_days: 900,
        team,
        classes,
        growth: 0.05,
        objects: 1e6,
        access,
    }
}

use Pattern::*;

pub const BUCKETS: &[BucketSpec] = &[
    BucketSpec {
        age_days: 1800,
        growth: 0.06,
        objects: 95e6,
        ..bucket("acme-logs-archive", "platform", &[("STANDARD", 620.0)], access(Cold, 4.0, 300e3, 200.0, 5e6, true))
    },
    BucketSpec {
        growth: 0.02,
        objects: 1.2e6,
        lifecycle_rules: 1,
        abort_incomplete_multipart_days: Some(7),
        ..bucket("acme-static-assets", "storefront", &[("STANDARD", 0.6)], access(Steady, 45e6, 5e3, 2e3, 60e3, true))
    },
    BucketSpec {
        growth: 0.10,
        objects: 14e6,
        lifecycle_rules: 1,
        ..bucket(
            "acme-data-lake",
            "data",
            &[("STANDARD", 100.0), ("STANDARD_IA", 30.0)],
            access(Changing, 2.5e6, 400e3, 50e3, 1e6, true),
        )
    },
    BucketSpec {
        growth: 0.08,
        objects: 25e6,
        ..bucket("acme-thumbnails", "storefront", &[("STANDARD", 0.0466)], access(Steady, 3e6, 60e3, 100.0, 2e3, false))
    },
    BucketSpec {
        versioning: "Enabled",
        lifecycle_rules: 1,
        growth: 0.12,
        objects: 900e3,
        ..bucket("acme-backups-versioned", "orders", &[("STANDARD", 62.0)], access(Cold, 2.0, 20e3, 50.0, 2e9, false))
    },
    BucketSpec {
        intelligent_tiering: true,
        lifecycle_rules: 1,
        objects: 3.5e6,
        growth: 0.04,
        ..bucket(
            "acme-ml-datasets",
            "data",
            &[
                ("STANDARD", 0.2),
                ("INTELLIGENT_TIERING_FA", 7.5),
                ("INTELLIGENT_TIERING_IA", 18.0),
                ("INTELLIGENT_TIERING_AIA", 6.0),
            ],
            access(Changing, 300e3, 30e3, 5e3, 4e6, false),
        )
    },
    BucketSpec {
        versioning: "Enabled",
        lifecycle_rules: 2,
        noncurrent_expiration_days: Some(30),
        abort_incomplete_multipart_days: Some(7),
        replication_dest: Some(DR_REGION),
        growth: 0.09,
        objects: 8e6,
        ..bucket(
            "acme-customer-uploads",
            "checkout",
            &[("STANDARD", 12.0)],
            access(Steady, 400e3, 90e3, 3e3, 1.5e6, true),
        )
    },
    BucketSpec {
        growth: 0.25,
        objects: 1.1e6,
        age_days: 600,
        ..bucket("acme-athena-results", "data", &[("STANDARD", 2.2)], access(Steady, 150e3, 80e3, 40e3, 2e6, false))
    },
    BucketSpec {
        account: BACKOFFICE_ACCOUNT,
        lifecycle_rules: 1,
        growth: 0.07,
        objects: 40e6,
        age_days: 2000,
        ..bucket(
            "acme-cloudtrail",
            "security",
            &[("STANDARD", 3.0), ("GLACIER", 9.0)],
            access(Cold, 1.0, 150e3, 20.0, 300e3, false),
        )
    },
    BucketSpec {
        region: SEOUL_REGION,
        growth: 0.05,
        objects: 2e6,
        ..bucket(
            "acme-seoul-media",
            "storefront",
            &[("STANDARD", 5.0)],
            access(Steady, 800e3, 10e3, 500.0, 400e3, true),
        )
    },
    BucketSpec {
        versioning: "Enabled",
        lifecycle_rules: 1,
        noncurrent_expiration_days: Some(90),
        abort_incomplete_multipart_days: Some(7),
        growth: 0.01,
        objects: 400.0,
        ..bucket(
            "acme-terraform-state",
            "devops",
            &[("STANDARD", 0.00005)],
            access(Steady, 3e3, 300.0, 1e3, 40e3, false),
        )
    },
    BucketSpec {
        account: BACKOFFICE_ACCOUNT,
        lifecycle_rules: 1,
        growth: 0.04,
        objects: 60e3,
        ..bucket(
            "acme-backoffice-reports",
            "backoffice",
            &[("STANDARD", 1.2), ("STANDARD_IA", 1.8)],
            access(MonthStart, 20e3, 2e3, 500.0, 5e6, true),
        )
    },
];

/// One generated bucket: a spec under a replica's name.
#[derive(Debug)]
pub struct Bucket {
    pub name: String,
    pub spec: &'static BucketSpec,
    pub created_ms: i64,
    /// Position in `BUCKETS`, for random streams.
    pub seq: u64,
}

impl Bucket {
    /// Bytes in one class on a day (days since the epoch), on the smooth growth curve.
    pub fn bytes_on(&self, class_tib: f64, day: i64) -> f64 {
        let days_before_end = (WINDOW_END_DAY - 1 - day) as f64;
        class_tib * TIB * (1.0 - self.spec.growth * days_before_end / (S3_HISTORY_DAYS - 1) as f64)
    }

    pub fn objects_on(&self, day: i64) -> f64 {
        let days_before_end = (WINDOW_END_DAY - 1 - day) as f64;
        self.spec.objects * (1.0 - self.spec.growth * days_before_end / (S3_HISTORY_DAYS - 1) as f64)
    }

    /// Expected (gets, puts, lists, bytes downloaded) on a day.
    pub fn requests_on(&self, day: i64) -> [f64; 4] {
        let a = &self.spec.access;
        let weekday = day_factor(day);
        let read_level = match a.pattern {
            Steady => weekday,
            // A handful of GETs over the whole history (someone looking for a file).
            Cold => 0.05,
            Changing => {
                if (day / 14) % 2 == 0 {
                    weekday
                } else {
                    0.03
                }
            }
            MonthStart => {
                if day_of_month(day) <= 3 {
                    3.0
                } else {
                    0.05
                }
            }
        };
        let gets = a.gets * read_level;
        [gets, a.puts * weekday, a.lists * weekday, gets * a.bytes_per_get]
    }
}

/// Day of the month (1-31) of a day since the epoch.
fn day_of_month(day: i64) -> i64 {
    // Civil-from-days (H. Hinnant), day part only.
    let z = day + 719_468;
    let doe = z - z.div_euclid(146_097) * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    doy - (153 * mp + 2) / 5 + 1
}

pub fn buckets(replica: &Replica) -> Vec<Bucket> {
    BUCKETS
        .iter()
        .enumerate()
        .map(|(seq, spec)| {
            let mut rng = replica.rng(Stream::Bucket, seq as u64);
            let created_ms = WINDOW_END_MS - (spec.age_days + rng.int(0, 90)) * DAY_MS - rng.int(0, 86_399) * 1000;
            Bucket { name: replica.name(spec.name), spec, created_ms, seq: seq as u64 }
        })
        .collect()
}

#[derive(Default)]
pub struct Rows {
    // s3_buckets
    account_id: Vec<&'static str>,
    region: Vec<&'static str>,
    bucket: Vec<String>,
    versioning: Vec<&'static str>,
    lifecycle_rule_count: Vec<i64>,
    noncurrent_expiration_days: Vec<Option<i64>>,
    abort_incomplete_multipart_days: Vec<Option<i64>>,
    intelligent_tiering_configured: Vec<bool>,
    replication_dest_region: Vec<Option<&'static str>>,
    created_at: Vec<Option<i64>>,
    tags: Vec<String>,
    // s3_storage_daily
    storage_bucket: Vec<String>,
    storage_date: Vec<i64>,
    storage_class: Vec<&'static str>,
    storage_bytes: Vec<i64>,
    storage_objects: Vec<Option<i64>>,
    // s3_requests_daily
    requests_bucket: Vec<String>,
    requests_date: Vec<i64>,
    gets: Vec<Option<i64>>,
    puts: Vec<Option<i64>>,
    lists: Vec<Option<i64>>,
    bytes_downloaded: Vec<Option<i64>>,
}

impl Rows {
    pub fn push(&mut self, replica: &Replica, buckets: &[Bucket]) {
        for b in buckets {
            let spec = b.spec;
            self.account_id.push(spec.account);
            self.region.push(spec.region);
            self.bucket.push(b.name.clone());
            self.versioning.push(spec.versioning);
            self.lifecycle_rule_count.push(spec.lifecycle_rules);
            self.noncurrent_expiration_days.push(spec.noncurrent_expiration_days);
            self.abort_incomplete_multipart_days.push(spec.abort_incomplete_multipart_days);
            self.intelligent_tiering_configured.push(spec.intelligent_tiering);
            self.replication_dest_region.push(spec.replication_dest);
            self.created_at.push(Some(b.created_ms));
            self.tags.push(tags_json(&[("team", spec.team), ("env", "prod")]));

            let mut rng = replica.rng(Stream::Bucket, 1000 + b.seq);
            for day in WINDOW_END_DAY - S3_HISTORY_DAYS..WINDOW_END_DAY {
                for (n, &(class, tib)) in spec.classes.iter().enumerate() {
                    // BucketSizeBytes is smooth; a little day-to-day churn on top of growth.
                    let bytes = b.bytes_on(tib, day) * (1.0 + rng.uniform(-0.0005, 0.0005));
                    self.storage_bucket.push(b.name.clone());
                    self.storage_date.push(day);
                    self.storage_class.push(class);
                    self.storage_bytes.push(bytes.round() as i64);
                    // NumberOfObjects comes for all classes together; it sits on the STANDARD row.
                    self.storage_objects.push((n == 0).then(|| b.objects_on(day).round() as i64));
                }
                let [g, p, l, bytes] = b.requests_on(day);
                let requests = spec.access.metrics.then(|| {
                    let noise = rng.uniform(0.9, 1.1);
                    let gets = if spec.access.pattern == Cold {
                        if rng.chance(0.05) { rng.int(1, 12) as f64 } else { 0.0 }
                    } else {
                        (g * noise).round()
                    };
                    let per_get = if g > 0.0 { bytes / g } else { 0.0 };
                    let downloaded = gets * per_get * rng.uniform(0.8, 1.25);
                    (
                        gets as i64,
                        (p * rng.uniform(0.9, 1.1)).round() as i64,
                        (l * noise).round() as i64,
                        downloaded as i64,
                    )
                });
                self.requests_bucket.push(b.name.clone());
                self.requests_date.push(day);
                self.gets.push(requests.map(|r| r.0));
                self.puts.push(requests.map(|r| r.1));
                self.lists.push(requests.map(|r| r.2));
                self.bytes_downloaded.push(requests.map(|r| r.3));
            }
        }
    }

    pub fn into_frames(self) -> Vec<(FrameName, DataFrame)> {
        let buckets = finish(
            FrameName::S3Buckets,
            vec![
                text("account_id", &self.account_id),
                text("region", &self.region),
                text("bucket", &self.bucket),
                text("versioning", &self.versioning),
                Column::new("lifecycle_rule_count".into(), self.lifecycle_rule_count),
                Column::new("noncurrent_expiration_days".into(), self.noncurrent_expiration_days),
                Column::new("abort_incomplete_multipart_days".into(), self.abort_incomplete_multipart_days),
                Column::new("intelligent_tiering_configured".into(), self.intelligent_tiering_configured),
                text_opt("replication_dest_region", &self.replication_dest_region),
                ts_opt("created_at", self.created_at),
                text("tags", &self.tags),
            ],
        );
        let storage = finish(
            FrameName::S3StorageDaily,
            vec![
                text("bucket", &self.storage_bucket),
                date("date", self.storage_date),
                text("storage_class", &self.storage_class),
                Column::new("bytes".into(), self.storage_bytes),
                Column::new("objects".into(), self.storage_objects),
            ],
        );
        let requests = finish(
            FrameName::S3RequestsDaily,
            vec![
                text("bucket", &self.requests_bucket),
                date("date", self.requests_date),
                Column::new("get_requests".into(), self.gets),
                Column::new("put_requests".into(), self.puts),
                Column::new("list_requests".into(), self.lists),
                Column::new("bytes_downloaded".into(), self.bytes_downloaded),
            ],
        );
        vec![
            (FrameName::S3Buckets, buckets),
            (FrameName::S3StorageDaily, storage),
            (FrameName::S3RequestsDaily, requests),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::calendar::days_from_civil;

    #[test]
    fn day_of_month_is_right() {
        assert_eq!(day_of_month(days_from_civil(2026, 10, 1)), 1);
        assert_eq!(day_of_month(days_from_civil(2026, 10, 31)), 31);
        assert_eq!(day_of_month(days_from_civil(2024, 2, 29)), 29);
    }

    #[test]
    fn every_bucket_starts_with_standard() {
        assert_eq!(BUCKETS.len(), 12);
        assert!(BUCKETS.iter().all(|b| b.classes.first().is_some_and(|c| c.0 == "STANDARD")));
    }
}
