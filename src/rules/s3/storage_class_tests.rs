//! `s3.storage-class`, with the expected dollars written as arithmetic from the
//! embedded us-east-1 price book (data/pricing/services.csv), per GB-month:
//! STANDARD 0.023, STANDARD_IA 0.0125, GLACIER_IR 0.004, GLACIER 0.0036,
//! DEEP_ARCHIVE 0.00099; GET per 1,000: STANDARD 0.0004, STANDARD_IA 0.001,
//! GLACIER_IR 0.01, GLACIER/DEEP_ARCHIVE 0.0004; transitions per 1,000: STANDARD_IA
//! 0.01, GLACIER_IR 0.02, GLACIER 0.03, DEEP_ARCHIVE 0.05; retrieval per GB:
//! STANDARD_IA 0.01, GLACIER_IR 0.03, GLACIER 0.01, DEEP_ARCHIVE 0.02; restore
//! requests per 1,000: GLACIER 0.05, DEEP_ARCHIVE 0.10. GB = 2^30 bytes, month = 730 h.

use super::super::test_frames::{DPM, GIB, KIB, bucket, frames, many};
use super::super::{IntelligentTiering, StorageClass};
use crate::rules::test_support::{assert_usd, run, savings};

/// 5 TB of 2.5 MB objects (5e12 / 2.5e6 = 2,000,000 objects), read 100 times a day
/// (100 × 2.5 MB = 250 MB a day): 0.15 % of its bytes a month — cold.
fn cold_5tb() -> super::super::test_frames::Bucket {
    bucket("cold-logs", 5e12, 2e6).reads(100.0, 100.0 * 2.5e6)
}

#[test]
fn cold_5_tb_of_2_5_mb_objects_moves_to_glacier_ir() {
    let out = run(&StorageClass, &frames(&[cold_5tb()], &[]), "");
    assert_eq!(out.findings.len(), 1, "{:?}", out.warnings);
    let f = &out.findings[0];
    let gb = 5e12 / GIB; // 4,656.6 GB
    let read_gb = 2.5e8 * DPM / GIB; // 7.1 GB read a month
    let gets = 100.0 * DPM; // 3,041.7 GETs a month
    // now: 4,656.6 GB × 0.023 = 107.10
    assert_usd(f.current.monthly_cost_usd.unwrap(), gb * 0.023);
    // GLACIER_IR: storage 4,656.6 × (0.023 − 0.004) = 88.48, retrieval 7.1 GB × 0.03 = 0.21,
    // GETs 3,041.7 × (0.01 − 0.0004) / 1,000 = 0.03 → 88.24 a month
    let gir = gb * (0.023 - 0.004) - read_gb * 0.03 - gets * (0.01 - 0.0004) / 1000.0;
    assert_usd(savings(f), gir);
    // one-time: 2,000,000 transitions × 0.02 / 1,000 = 40.00
    assert_usd(f.one_time_cost_usd, 2e6 * 0.02 / 1000.0);
    // payback: 40 / 88.24 × 30.4 days = 13.8 days
    let payback = f.payback_days.unwrap();
    assert!((payback - 40.0 / ((gir * 100.0).round() / 100.0) * DPM).abs() < 0.1, "{payback}");
    // STANDARD_IA would save 4,656.6 × 0.0105 − 7.1 × 0.01 − 3,041.7 × 0.0006 / 1,000 = 48.82 a month:
    // over 12 months 12 × 48.82 − 20 = 565.9 < 12 × 88.24 − 40 = 1,018.9.
    assert!(f.recommended.description.starts_with("GLACIER_IR after 30 days"), "{}", f.recommended.description);
    assert_eq!(f.performance_risk, 1);
    // The lifecycle JSON, scoped by size (break-even under 128 KB → the 128 KB floor), and the put command.
    assert_eq!(f.actions[0].kind, "s3-lifecycle-json");
    let json: serde_json::Value = serde_json::from_str(&f.actions[0].text).unwrap();
    let rule = &json["Rules"][0];
    assert_eq!(rule["Transitions"][0]["StorageClass"], "GLACIER_IR");
    assert_eq!(rule["Transitions"][0]["Days"], 30);
    assert_eq!(rule["Filter"]["ObjectSizeGreaterThan"], 131_071);
    assert_eq!(f.actions[1].kind, "aws-cli");
    assert_eq!(
        f.actions[1].text,
        "aws s3api put-bucket-lifecycle-configuration --bucket cold-logs --lifecycle-configuration file://lifecycle.json"
    );
    assert!(
        f.evidence
            .charts
            .iter()
            .any(|c| matches!(c, crate::report::Chart::TimeSeries { title, .. } if title == "Storage by class"))
    );
    assert!(f.confidence_reasons.iter().any(|r| r.contains("no inventory")));
    // …and Intelligent-Tiering leaves the cold bucket alone.
    assert!(run(&IntelligentTiering, &frames(&[cold_5tb()], &[]), "").findings.is_empty());
}

#[test]
fn an_archive_tagged_cold_bucket_goes_to_deep_archive() {
    let mut b = cold_5tb();
    b.tags = "{\"archive\":\"true\"}";
    let out = run(&StorageClass, &frames(&[b], &[]), "");
    let f = &out.findings[0];
    let gb = 5e12 / GIB;
    let read_gb = 2.5e8 * DPM / GIB;
    let gets = 100.0 * DPM;
    // DEEP_ARCHIVE: storage 4,656.6 × (0.023 − 0.00099) = 102.49; overhead per object 8 KB at STANDARD and
    // 32 KB at DEEP_ARCHIVE: 2,000,000 × (8 KiB × 0.023 + 32 KiB × 0.00099) / GB = 0.41; restores
    // 7.1 GB × 0.02 = 0.14 and 3,041.7 × 0.10 / 1,000 = 0.30; GETs cost the same → 101.64 a month
    let deep = gb * (0.023 - 0.00099)
        - 2e6 * (8.0 * KIB * 0.023 + 32.0 * KIB * 0.00099) / GIB
        - read_gb * 0.02
        - gets * 0.10 / 1000.0;
    assert_usd(savings(f), deep);
    // one-time 2,000,000 × 0.05 / 1,000 = 100.00; 12 × 101.64 − 100 = 1,119.7 beats GLACIER_IR's 1,018.9
    assert_usd(f.one_time_cost_usd, 2e6 * 0.05 / 1000.0);
    assert!(f.recommended.description.starts_with("DEEP_ARCHIVE"), "{}", f.recommended.description);
    assert_eq!(f.performance_risk, 4);
}

#[test]
fn a_hot_bucket_gets_no_tiering_finding() {
    // 2 TB read twice over every month: 2e12 × 2 / 30.4 bytes a day, 1 MB per GET.
    let per_day = 2e12 * 2.0 / DPM;
    let snap = frames(&[bucket("hot-assets", 2e12, 2e6).reads(per_day / 1e6, per_day)], &[]);
    assert!(run(&StorageClass, &snap, "").findings.is_empty());
    // Intelligent-Tiering: idle share 1 − min(1, 2) = 0, so only the fee would change: no finding.
    assert!(run(&IntelligentTiering, &snap, "").findings.is_empty());
}

#[test]
fn a_cold_bucket_of_2_kb_objects_stays_in_standard_and_says_why() {
    // 50 GB of 2 KiB objects: 50 × 2^30 / 2,048 = 26,214,400 objects, never read.
    let objects = 50.0 * GIB / 2048.0;
    let out = run(&StorageClass, &frames(&[bucket("tiny-thumbs", 50.0 * GIB, objects).reads(0.0, 0.0)], &[]), "");
    assert!(out.findings.is_empty(), "no class is cheaper for 2 KB objects");
    let w = out.warnings.iter().find(|w| w.contains("tiny-thumbs")).expect("the evidence is a warning");
    // STANDARD: 50 GB × 0.023 = 1.15. Billed as 128 KB each: 26,214,400 × 128 KiB = 3,200 GB,
    // × 0.0125 = 40.00 in STANDARD_IA and × 0.004 = 12.80 in GLACIER_IR.
    assert!(w.contains("$1.15"), "{w}");
    assert!(w.contains(&format!("STANDARD_IA ${:.2}", objects * 128.0 * KIB / GIB * 0.0125)), "{w}");
    assert!(w.contains("GLACIER_IR $12.80"), "{w}");
    assert!(w.contains("128 KB minimum billable size"), "{w}");
}

#[test]
fn with_inventory_small_objects_stay_and_the_evidence_counts_them() {
    // 1,000 × 2.5 MB and 3,000 × 2 KB current objects, all 100 days old, in one cold bucket whose
    // CloudWatch bytes equal the inventory's (no scaling).
    let big = 2_500_000i64;
    let small = 2_048i64;
    let bytes = 1000.0 * big as f64 + 3000.0 * small as f64;
    let mut objects = many("mixed-sizes", "data/", 1000, big, 100, true);
    objects.extend(many("mixed-sizes", "thumbs/", 3000, small, 100, true));
    let b = bucket("mixed-sizes", bytes, 4000.0).reads(0.0, 0.0);
    let cfg = "[rules.\"s3.storage-class\"]\nmin_savings_usd = 0.0\n";
    let out = run(&StorageClass, &frames(&[b], &objects), cfg);
    let f = &out.findings[0];
    // Only the 2.5 MB objects move: 1,000 × 2.5e6 / GB × (0.023 − 0.004) = 0.0442 a month, no reads.
    assert_usd(savings(f), 1000.0 * 2.5e6 / GIB * (0.023 - 0.004));
    let stay = f.evidence.statistics.iter().find(|s| s.name.contains("below break-even")).unwrap();
    assert_eq!(stay.value, 3000.0);
    assert!(f.rationale.contains("3,000 objects") && f.rationale.contains("stay in STANDARD"), "{}", f.rationale);
    assert!(
        f.evidence
            .charts
            .iter()
            .any(|c| matches!(c, crate::report::Chart::Histogram { title, .. } if title.starts_with("Object sizes")))
    );
    assert!(
        f.evidence
            .charts
            .iter()
            .any(|c| matches!(c, crate::report::Chart::Histogram { title, .. } if title.starts_with("Object ages")))
    );
}

#[test]
fn prefixes_needing_different_classes_get_their_own_rules() {
    // An archive bucket: 300 KB objects under small/ (GLACIER_IR wins: per object 12 × 300 KiB / GB × 0.019
    // − 0.02 / 1,000 beats DEEP_ARCHIVE's larger transition fee) and 100 MB objects under big/ (DEEP_ARCHIVE).
    let mut objects = many("archive", "small/", 2000, 300 * 1024, 200, true);
    objects.extend(many("archive", "big/", 50, 100 << 20, 200, true));
    let bytes = 2000.0 * 300.0 * KIB + 50.0 * (100u64 << 20) as f64;
    let mut b = bucket("archive", bytes, 2050.0).reads(0.0, 0.0);
    b.tags = "{\"archive\":\"true\"}";
    let cfg = "[rules.\"s3.storage-class\"]\nmin_savings_usd = 0.0\n";
    let out = run(&StorageClass, &frames(&[b], &objects), cfg);
    let f = &out.findings[0];
    let json: serde_json::Value = serde_json::from_str(&f.actions[0].text).unwrap();
    let rules = json["Rules"].as_array().unwrap();
    assert_eq!(rules.len(), 2, "{json}");
    let class_of = |prefix: &str| {
        rules
            .iter()
            .find(|r| r["Filter"]["And"]["Prefix"] == prefix)
            .map(|r| r["Transitions"][0]["StorageClass"].clone())
    };
    assert_eq!(class_of("big/").unwrap(), "DEEP_ARCHIVE");
    assert_eq!(class_of("small/").unwrap(), "GLACIER_IR");
    // big/: 50 × 100 MiB = 4.88 GB × (0.023 − 0.00099) − 50 × (8 KiB × 0.023 + 32 KiB × 0.00099) / GB;
    // small/: 2,000 × 300 KiB / GB × (0.023 − 0.004)
    let big =
        50.0 * 100.0 * 1024.0 * KIB / GIB * (0.023 - 0.00099) - 50.0 * (8.0 * KIB * 0.023 + 32.0 * KIB * 0.00099) / GIB;
    let small = 2000.0 * 300.0 * KIB / GIB * (0.023 - 0.004);
    assert_usd(savings(f), big + small);
}

#[test]
fn a_region_without_prices_is_reported_unpriced_with_a_warning() {
    let mut b = cold_5tb();
    b.region = "ap-northeast-2";
    let out = run(&StorageClass, &frames(&[b], &[]), "");
    assert_eq!(out.findings.len(), 1, "kept, not dropped");
    assert_eq!(out.findings[0].monthly_savings_usd, None);
    assert!(out.findings[0].unpriced_reason.as_deref().unwrap().contains("ap-northeast-2"));
    assert!(out.warnings[0].contains("cold-logs") && out.warnings[0].contains("s3.storage.STANDARD"));
}

#[test]
fn existing_lifecycle_rules_get_a_replace_warning() {
    let mut b = cold_5tb();
    b.lifecycle_rules = 2;
    let out = run(&StorageClass, &frames(&[b], &[]), "");
    let note = out.findings[0].actions.iter().find(|a| a.kind == "note" && a.text.contains("REPLACES")).expect("note");
    assert!(note.text.contains("get-bucket-lifecycle-configuration --bucket cold-logs"), "{}", note.text);
}

#[test]
fn the_access_sla_keeps_archives_out_unless_raised() {
    // GLACIER needs hours: not allowed by default for an untagged bucket; allowed with a 5 h SLA.
    let cfg = "[rules.\"s3.storage-class\"]\naccess_sla_hours = 12.0\n";
    let out = run(&StorageClass, &frames(&[cold_5tb()], &[]), cfg);
    assert!(out.findings[0].recommended.description.starts_with("DEEP_ARCHIVE"));
    let out = run(&StorageClass, &frames(&[cold_5tb()], &[]), "");
    assert!(out.findings[0].recommended.description.starts_with("GLACIER_IR"));
}
