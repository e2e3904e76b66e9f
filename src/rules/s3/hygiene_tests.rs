//! `s3.hygiene`, priced from the embedded us-east-1 book: STANDARD 0.023 and
//! STANDARD_IA 0.0125 per GB-month. GB = 2^30 bytes.

use super::super::test_frames::{GIB, bucket, frames, many};
use super::Hygiene;
use crate::rules::test_support::{assert_usd, run, savings};

const GIB_I: i64 = 1 << 30;

#[test]
fn a_versioned_bucket_with_40_percent_noncurrent_bytes() {
    // 6 current versions of 100 GB (600 GB) and 4 noncurrent of 100 GB (400 GB, 40 % of 1,000 GB),
    // written 45–200 days ago; versioning on, no noncurrent expiration rule.
    let mut objects = many("backups", "db/", 6, 100 * GIB_I, 2, true);
    for (i, age) in [45, 90, 120, 200].into_iter().enumerate() {
        objects.push(("backups", format!("db/{i:06}"), 100 * GIB_I, age, "STANDARD", false, false));
    }
    let mut b = bucket("backups", 1000.0 * GIB, 10.0);
    b.versioning = "Enabled";
    let out = run(&Hygiene, &frames(&[b], &objects), "");
    assert_eq!(out.findings.len(), 1, "{:?}", out.warnings);
    let f = &out.findings[0];
    // 400 GB × 0.023 = 9.20 a month, all written ≥ 30 days ago
    assert_usd(f.current.monthly_cost_usd.unwrap(), 400.0 * 0.023);
    assert_usd(savings(f), 400.0 * 0.023);
    let share = f.evidence.statistics.iter().find(|s| s.name == "noncurrent share of stored bytes").unwrap();
    assert!((share.value - 0.4).abs() < 1e-9);
    let json: serde_json::Value = serde_json::from_str(&f.actions[0].text).unwrap();
    assert_eq!(json["Rules"][0]["NoncurrentVersionExpiration"]["NoncurrentDays"], 30);
    assert!(json["Rules"][0].get("AbortIncompleteMultipartUpload").is_none());
    assert!(f.rationale.contains("40 %"), "{}", f.rationale);
}

#[test]
fn young_noncurrent_versions_are_not_counted() {
    // 100 GB noncurrent in STANDARD_IA written 45 days ago, 100 GB written 10 days ago.
    let mut objects = many("docs", "d/", 1, 200 * GIB_I, 2, true);
    objects.push(("docs", "d/000000".into(), 100 * GIB_I, 45, "STANDARD_IA", false, false));
    objects.push(("docs", "d/000000".into(), 100 * GIB_I, 10, "STANDARD_IA", false, false));
    let mut b = bucket("docs", 200.0 * GIB, 3.0);
    b.storage.push(("STANDARD_IA", 200.0 * GIB, None));
    b.versioning = "Enabled";
    let f = &run(&Hygiene, &frames(&[b], &objects), "").findings[0];
    // now 200 GB × 0.0125 = 2.50; expiring after 30 days removes the 45-day-old 100 GB: 1.25
    assert_usd(f.current.monthly_cost_usd.unwrap(), 200.0 * 0.0125);
    assert_usd(savings(f), 100.0 * 0.0125);
}

#[test]
fn stale_multipart_uploads_are_aborted() {
    // 50 GB of parts started 20 days ago (counted) and 10 GB 3 days ago (younger than 7 days).
    let mut objects = many("uploads", "in/", 1, 940 * GIB_I, 40, true);
    objects.push(("uploads", "in/big.bin".into(), 50 * GIB_I, 20, "STANDARD", false, true));
    objects.push(("uploads", "in/new.bin".into(), 10 * GIB_I, 3, "STANDARD", false, true));
    let out = run(&Hygiene, &frames(&[bucket("uploads", 1000.0 * GIB, 3.0)], &objects), "");
    let f = &out.findings[0];
    // 50 GB × 0.023 = 1.15 a month saved; 60 GB × 0.023 = 1.38 now
    assert_usd(savings(f), 50.0 * 0.023);
    assert_usd(f.current.monthly_cost_usd.unwrap(), 60.0 * 0.023);
    let json: serde_json::Value = serde_json::from_str(&f.actions[0].text).unwrap();
    assert_eq!(json["Rules"][0]["AbortIncompleteMultipartUpload"]["DaysAfterInitiation"], 7);
}

#[test]
fn configured_buckets_and_missing_inventory() {
    let mut objects = many("tidy", "x/", 1, 10 * GIB_I, 40, true);
    objects.push(("tidy", "x/000000".into(), 10 * GIB_I, 40, "STANDARD", false, false));
    let mut tidy = bucket("tidy", 20.0 * GIB, 2.0);
    tidy.versioning = "Enabled";
    tidy.noncurrent_expiration_days = Some(30);
    let mut blind = bucket("blind", 20.0 * GIB, 2.0);
    blind.versioning = "Enabled";
    let out = run(&Hygiene, &frames(&[tidy, blind], &objects), "");
    assert!(out.findings.is_empty(), "tidy has an expiration rule; blind has no inventory");
    assert!(out.warnings.iter().any(|w| w.contains("blind") && w.contains("no inventory")), "{:?}", out.warnings);
}

#[test]
fn a_region_without_prices_is_reported_unpriced_with_a_warning() {
    let mut objects = many("seoul-backups", "db/", 1, 10 * GIB_I, 2, true);
    objects.push(("seoul-backups", "db/000000".into(), 10 * GIB_I, 60, "STANDARD", false, false));
    let mut b = bucket("seoul-backups", 20.0 * GIB, 2.0);
    b.versioning = "Enabled";
    b.region = "ap-northeast-2";
    let out = run(&Hygiene, &frames(&[b], &objects), "");
    assert_eq!(out.findings.len(), 1);
    assert_eq!(out.findings[0].monthly_savings_usd, None);
    assert!(out.findings[0].unpriced_reason.as_deref().unwrap().contains("ap-northeast-2"));
    assert!(out.warnings.iter().any(|w| w.contains("seoul-backups") && w.contains("unpriced")));
}
