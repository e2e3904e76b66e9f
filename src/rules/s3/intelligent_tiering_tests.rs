//! `s3.intelligent-tiering`, with the expected dollars written as arithmetic from the
//! embedded us-east-1 price book: STANDARD 0.023, Intelligent-Tiering frequent access
//! 0.023, infrequent access 0.0125, archive instant 0.004 per GB-month; monitoring
//! 0.0025 per 1,000 objects a month; transitions into INTELLIGENT_TIERING 0.01 per 1,000;
//! GETs the same as STANDARD. GB = 2^30 bytes, month = 730 h.

use super::super::test_frames::{DPM, GIB, bucket, frames, many};
use super::super::{IntelligentTiering, StorageClass};
use crate::rules::test_support::{assert_usd, run, savings};

/// 10 TB in 4,000,000 objects of 2.5 MB; 40 % of the bytes read every month, steadily:
/// 0.4 × 10e12 / 30.4 bytes a day, one GET per 2.5 MB object read.
fn mixed() -> super::super::test_frames::Bucket {
    let per_day = 0.4 * 10e12 / DPM;
    bucket("mixed-analytics", 10e12, 4e6).reads(per_day / 2.5e6, per_day)
}

#[test]
fn a_mixed_bucket_goes_to_intelligent_tiering() {
    let snap = frames(&[mixed()], &[]);
    let out = run(&IntelligentTiering, &snap, "");
    assert_eq!(out.findings.len(), 1, "{:?}", out.warnings);
    let f = &out.findings[0];
    let gb = 10e12 / GIB; // 9,313.2 GB
    // idle share 1 − 0.4 = 0.6: 9,313.2 × 0.6 × (0.023 − 0.0125) = 58.67, the busy 40 % stays at
    // 0.023 (= STANDARD), monitoring 4,000,000 × 0.0025 / 1,000 = 10.00 → 48.67 a month
    assert_usd(f.current.monthly_cost_usd.unwrap(), gb * 0.023);
    assert_usd(savings(f), gb * 0.6 * (0.023 - 0.0125) - 4e6 * 0.0025 / 1000.0);
    // one-time: 4,000,000 transitions × 0.01 / 1,000 = 40.00
    assert_usd(f.one_time_cost_usd, 4e6 * 0.01 / 1000.0);
    assert!(f.rationale.contains("too much to be cold"), "{}", f.rationale);
    let json: serde_json::Value = serde_json::from_str(&f.actions[0].text).unwrap();
    assert_eq!(json["Rules"][0]["Transitions"][0]["StorageClass"], "INTELLIGENT_TIERING");
    assert_eq!(json["Rules"][0]["Transitions"][0]["Days"], 0);
    assert_eq!(json["Rules"][0]["Filter"]["ObjectSizeGreaterThan"], 131_071);
    // One finding per bucket: s3.storage-class does not take it.
    assert!(run(&StorageClass, &snap, "").findings.is_empty());
}

#[test]
fn unknown_access_is_a_range_headed_by_its_conservative_end() {
    // No request metrics. Before: an assumed 50 % idle share, "saving"
    // 9,313.2 × 0.5 × 0.0105 − 10.00 = $38.89 a month — for a hot bucket as for a cold one.
    // Now no share is assumed: if every object is read monthly nothing moves and the
    // monitoring fee is a cost, 4,000,000 × 0.0025 / 1,000 = −$10.00; if none is, all of it
    // moves: 9,313.2 × (0.023 − 0.0125) − 10.00 = $87.79.
    let snap = frames(&[bucket("no-metrics", 10e12, 4e6)], &[]);
    let f = &run(&IntelligentTiering, &snap, "").findings[0];
    let gb = 10e12 / GIB;
    let fee = 4e6 * 0.0025 / 1000.0;
    let range = f.monthly_savings_range_usd.as_ref().expect("a range");
    assert_usd(range.low, -fee);
    assert_usd(range.high, gb * (0.023 - 0.0125) - fee);
    assert_usd(savings(f), -fee);
    assert!(
        f.rationale.contains("assumes nothing") && f.rationale.contains("Storage Class Analysis"),
        "{}",
        f.rationale
    );
    assert!((f.confidence - 0.3).abs() < 1e-9, "{}", f.confidence);
    // The summary counts the conservative end (never below zero) and the rest as upside,
    // and never calls the fee a cost to fix.
    let summary = crate::report::summarize(std::slice::from_ref(f), None);
    assert_usd(summary.monthly_savings_usd, 0.0);
    assert_usd(summary.monthly_cost_to_fix_usd, 0.0);
    assert_usd(summary.monthly_savings_upside_usd, gb * (0.023 - 0.0125) - fee);
    assert!(run(&StorageClass, &snap, "").findings.is_empty());
}

#[test]
fn a_hot_bucket_gets_no_intelligent_tiering_saving() {
    // Read three times over every month: idle share 1 − min(3, 1) = 0, so moving would only
    // add the monitoring fee — no finding.
    let per_day = 3.0 * 10e12 / DPM;
    let snap = frames(&[bucket("hot", 10e12, 4e6).reads(per_day / 2.5e6, per_day)], &[]);
    assert!(run(&IntelligentTiering, &snap, "").findings.is_empty());
    assert!(run(&StorageClass, &snap, "").findings.is_empty());
}

#[test]
fn an_archive_tagged_bucket_without_metrics_is_left_to_storage_class() {
    let mut b = bucket("tape-vault", 10e12, 4e6);
    b.tags = "{\"archive\":\"true\"}";
    let snap = frames(&[b], &[]);
    assert!(run(&IntelligentTiering, &snap, "").findings.is_empty());
    let f = &run(&StorageClass, &snap, "").findings[0];
    assert!(
        f.confidence_reasons.iter().any(|r| r.contains("request metrics are not enabled")),
        "{:?}",
        f.confidence_reasons
    );
    // 0.85 − 0.3 (access unknown) − 0.1 (no inventory) − 0.05 (no inventory and no
    // multipart clean-up rule: CloudWatch's bytes may include parts) = 0.40
    assert!((f.confidence - 0.40).abs() < 1e-9, "{}", f.confidence);
}

#[test]
fn changing_access_is_named() {
    // Heavy reads every third day (5 of 14 days: coefficient of variation √(14/5 − 1) = 1.34).
    let mut b = bucket("bursty", 10e12, 4e6);
    let heavy = 0.6 * 10e12 / DPM;
    b.requests = Some((0..14).map(|d| if d % 3 == 0 { (heavy / 2.5e6, heavy) } else { (1.0, 1.0) }).collect());
    let f = &run(&IntelligentTiering, &frames(&[b], &[]), "").findings[0];
    assert!(f.rationale.contains("change from day to day"), "{}", f.rationale);
}

#[test]
fn objects_under_128_kb_are_left_out_with_inventory() {
    // 100 objects of 1 MB and 900 of 64 KB, read 50 % a month: only the 100 large ones are eligible.
    let mut objects = many("mixed-small", "a/", 100, 1 << 20, 60, true);
    objects.extend(many("mixed-small", "b/", 900, 64 << 10, 60, true));
    let bytes = 100.0 * (1u64 << 20) as f64 + 900.0 * (64u64 << 10) as f64;
    let per_day = 0.5 * bytes / DPM;
    let b = bucket("mixed-small", bytes, 1000.0).reads(per_day / 100_000.0, per_day);
    let cfg = "[rules.\"s3.intelligent-tiering\"]\nmin_savings_usd = 0.0\n";
    let f = &run(&IntelligentTiering, &frames(&[b], &objects), cfg).findings[0];
    // 100 MiB × 0.5 × 0.0105 − 100 × 0.0025 / 1,000
    assert_usd(savings(f), 100.0 * (1u64 << 20) as f64 / GIB * 0.5 * 0.0105 - 100.0 * 0.0025 / 1000.0);
    let left_out = f.evidence.statistics.iter().find(|s| s.name.contains("under 128 KB")).unwrap();
    assert_eq!(left_out.value, 900.0);
}

#[test]
fn a_region_without_prices_is_reported_unpriced_with_a_warning() {
    let mut b = mixed();
    b.region = "ap-northeast-2";
    let out = run(&IntelligentTiering, &frames(&[b], &[]), "");
    assert_eq!(out.findings.len(), 1, "kept, not dropped");
    assert_eq!(out.findings[0].monthly_savings_usd, None);
    assert!(out.findings[0].unpriced_reason.as_deref().unwrap().contains("ap-northeast-2"));
    assert!(out.warnings[0].contains("mixed-analytics") && out.warnings[0].contains("unpriced"));
}
