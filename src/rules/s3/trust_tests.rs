//! Issue 10's S3 cases, with the old (wrong) figure in a comment and the new arithmetic
//! from the embedded us-east-1 prices: STANDARD 0.023 / 0.022 / 0.021 per GB-month
//! (first 50 TB / next 450 TB / over 500 TB), GLACIER_IR 0.004, its retrieval 0.03/GB,
//! its GETs 0.01 per 1,000 (STANDARD 0.0004). GB = 2^30 bytes, month = 730 h.

use super::test_frames::{DPM, GIB, bucket, frames};
use super::{IntelligentTiering, StorageClass};
use crate::rules::test_support::{assert_usd, run, savings};

/// 5 TB of 2.5 MB objects, 100 GETs (250 MB) a day: cold.
fn cold(name: &'static str) -> super::test_frames::Bucket {
    bucket(name, 5e12, 2e6).reads(100.0, 100.0 * 2.5e6)
}

#[test]
fn savings_come_off_the_accounts_marginal_standard_tier() {
    // The same cold 5 TB bucket in an account that also holds 600 TB of hot STANDARD data in
    // us-east-1: 604.5 TB of STANDARD puts its last GB in the over-500-TB tier (0.021).
    // Before: priced at the first tier, saving 4,656.6 × (0.023 − 0.004) − 0.21 − 0.03 = $88.24.
    // Now: 4,656.6 × (0.021 − 0.004) − 0.21 − 0.03 = $78.93 (the first tier overstated it 12 %).
    let hot_bytes = 600.0 * 1024.0 * GIB;
    let per_day = 3.0 * hot_bytes / DPM;
    let hot = bucket("hot-lake", hot_bytes, 2.4e8).reads(per_day / 2.5e6, per_day);
    let snap = frames(&[cold("cold-logs"), hot], &[]);
    let out = run(&StorageClass, &snap, "");
    let f = out.findings.iter().find(|f| f.resource.name == "cold-logs").expect("cold-logs finding");
    let gb = 5e12 / GIB;
    let read_gb = 2.5e8 * DPM / GIB;
    let gets = 100.0 * DPM;
    assert_usd(f.current.monthly_cost_usd.unwrap(), gb * 0.021);
    assert_usd(savings(f), gb * (0.021 - 0.004) - read_gb * 0.03 - gets * (0.01 - 0.0004) / 1000.0);
    assert!(f.rationale.contains("over-500-TB tier"), "{}", f.rationale);
    assert!(
        f.evidence.statistics.iter().any(|s| s.name == "STANDARD price used (over-500-TB tier)" && s.value == 0.021)
    );
    // Alone in its account, the same bucket is in the first tier: $88.24 as before.
    let alone = run(&StorageClass, &frames(&[cold("cold-logs")], &[]), "");
    assert!(alone.findings[0].rationale.contains("first-50-TB tier"));
}

#[test]
fn a_versioned_bucket_without_inventory_moves_noncurrent_versions_too() {
    // CloudWatch's 5 TB of STANDARD include noncurrent versions; a Transitions rule alone
    // would move only current ones, so the saving would not all happen. The rule adds
    // NoncurrentVersionTransitions (same class, same 30 days), and confidence says why:
    // 0.85 − 0.1 (no inventory) − 0.1 (versioned, split unknown) − 0.05 (no multipart
    // clean-up rule) = 0.60.
    let mut b = cold("versioned-logs");
    b.versioning = "Enabled";
    let f = &run(&StorageClass, &frames(&[b], &[]), "").findings[0];
    let json: serde_json::Value = serde_json::from_str(&f.actions[0].text).unwrap();
    let rule = &json["Rules"][0];
    assert_eq!(rule["NoncurrentVersionTransitions"][0]["StorageClass"], "GLACIER_IR");
    assert_eq!(rule["NoncurrentVersionTransitions"][0]["NoncurrentDays"], 30);
    assert!(f.confidence_reasons.iter().any(|r| r.contains("current and noncurrent")), "{:?}", f.confidence_reasons);
    assert!((f.confidence - 0.60).abs() < 1e-9, "{}", f.confidence);
    // The same for Intelligent-Tiering (noncurrent versions after 1 day).
    let mut it = bucket("versioned-unknown", 10e12, 4e6);
    it.versioning = "Enabled";
    let f = &run(&IntelligentTiering, &frames(&[it], &[]), "").findings[0];
    let json: serde_json::Value = serde_json::from_str(&f.actions[0].text).unwrap();
    assert_eq!(json["Rules"][0]["NoncurrentVersionTransitions"][0]["StorageClass"], "INTELLIGENT_TIERING");
}

#[test]
fn request_metrics_of_part_of_a_bucket_do_not_make_it_cold() {
    // A metrics filter on one prefix saw few reads: that says nothing of the other prefixes,
    // so the bucket's access is unknown — no GLACIER_IR finding, an Intelligent-Tiering range.
    let mut b = cold("prefix-metrics");
    b.request_metrics_scope = Some("partial");
    let snap = frames(&[b], &[]);
    assert!(run(&StorageClass, &snap, "").findings.is_empty());
    let f = &run(&IntelligentTiering, &snap, "").findings[0];
    assert!(f.monthly_savings_range_usd.is_some());
    // Found in CloudWatch only (scope unknown): still cold, with a reason and less confidence.
    let mut b = cold("cw-metrics");
    b.request_metrics_scope = Some("unknown");
    let f = &run(&StorageClass, &frames(&[b], &[]), "").findings[0];
    assert!(f.confidence_reasons.iter().any(|r| r.contains("found in CloudWatch")), "{:?}", f.confidence_reasons);
}
