//! `ebs.gp2-to-gp3` and `ebs.unattached`, with the expected dollars written as
//! arithmetic from the embedded us-east-1 price book:
//! gp2 0.10, gp3 0.08 /GB-month, gp3 IOPS 0.005 /IOPS-month over 3,000,
//! gp3 throughput 0.04 /MiB/s-month over 125, io1 0.125 /GB-month + 0.065 /IOPS-month,
//! snapshot 0.05 /GB-month.

use super::{Gp2ToGp3, UnattachedVolume};
use crate::pricing::PriceBook;
use crate::rules::test_support::{assert_usd, run, run_priced, savings, snapshot, window_end_ms};
use crate::snapshot::FrameName;
use crate::snapshot::builder::{Cell, FrameBuilder};

struct Vol {
    id: &'static str,
    region: &'static str,
    kind: &'static str,
    size: i64,
    iops: Option<i64>,
    state: &'static str,
    attached: Option<&'static str>,
    age_days: Option<i64>,
}

fn vol(id: &'static str, kind: &'static str, size: i64, attached: bool) -> Vol {
    Vol {
        id,
        region: "us-east-1",
        kind,
        size,
        iops: None,
        state: if attached { "in-use" } else { "available" },
        attached: attached.then_some("i-0abc"),
        age_days: Some(30),
    }
}

fn volumes(vols: &[Vol]) -> crate::snapshot::Snapshot {
    let day = 86_400_000i64;
    let df = FrameBuilder::with_defaults(FrameName::EbsVolumes)
        .rows(vols.iter().map(|v| {
            [
                ("account_id", "123456789012".into()),
                ("region", v.region.into()),
                ("volume_id", v.id.into()),
                ("az", format!("{}a", v.region).into()),
                ("volume_type", v.kind.into()),
                ("size_gib", v.size.into()),
                ("iops", v.iops.into()),
                ("state", v.state.into()),
                ("attached_instance_id", v.attached.into()),
                ("create_time", Cell::Ts(v.age_days.map(|a| window_end_ms() - a * day))),
                ("tags", "{\"team\":\"data\"}".into()),
            ]
        }))
        .and_then(FrameBuilder::finish)
        .expect("ebs_volumes");
    snapshot(vec![(FrameName::EbsVolumes, df)])
}

#[test]
fn gp2_500_gib_matches_throughput_by_default() {
    let out = run(&Gp2ToGp3, &volumes(&[vol("vol-500", "gp2", 500, true)]), "");
    assert_eq!(out.findings.len(), 1);
    let f = &out.findings[0];
    // now: 500 GiB × 0.10 = 50.00
    assert_usd(f.current.monthly_cost_usd.unwrap(), 500.0 * 0.10);
    // gp3: 500 × 0.08 = 40.00, IOPS 1,500 < 3,000 included → 0, throughput (250 − 125) × 0.04 = 5.00
    assert_usd(f.recommended.monthly_cost_usd.unwrap(), 500.0 * 0.08 + (250.0 - 125.0) * 0.04);
    assert_usd(savings(f), 50.0 - 45.0);
    assert_eq!(f.performance_risk, 0);
    assert!(f.actions[0].text.contains("--volume-type gp3 --throughput 250"), "{}", f.actions[0].text);
    assert_eq!(f.resource.tags.get("team").map(String::as_str), Some("data"));
}

#[test]
fn gp2_500_gib_at_gp3_baseline_saves_the_storage_difference() {
    let cfg = "[rules.\"ebs.gp2-to-gp3\"]\nmatch_gp2_throughput = false\n";
    let out = run(&Gp2ToGp3, &volumes(&[vol("vol-500", "gp2", 500, true)]), cfg);
    // 500 GiB × (0.10 − 0.08) = 10.00
    assert_usd(savings(&out.findings[0]), 500.0 * (0.10 - 0.08));
    assert_eq!(out.findings[0].performance_risk, 1);
}

#[test]
fn gp2_2000_gib_keeps_its_6000_iops() {
    let out = run(&Gp2ToGp3, &volumes(&[vol("vol-2t", "gp2", 2000, true)]), "");
    let f = &out.findings[0];
    // now 2,000 × 0.10 = 200.00 ; gp3 2,000 × 0.08 = 160 + (6,000 − 3,000) × 0.005 = 15 + (250 − 125) × 0.04 = 5
    assert_usd(f.recommended.monthly_cost_usd.unwrap(), 2000.0 * 0.08 + 3000.0 * 0.005 + 125.0 * 0.04);
    assert_usd(savings(f), 200.0 - 180.0);
    assert!(f.actions[0].text.contains("--iops 6000"));
}

#[test]
fn gp2_100_gib_small_volume() {
    let out = run(&Gp2ToGp3, &volumes(&[vol("vol-100", "gp2", 100, true)]), "");
    // now 100 × 0.10 = 10.00 ; gp3 100 × 0.08 = 8.00 + (128 − 125) × 0.04 = 0.12 → saving 1.88
    assert_usd(savings(&out.findings[0]), 10.0 - (8.0 + 3.0 * 0.04));
}

#[test]
fn unattached_gp2_is_left_to_the_unattached_rule() {
    let snap = volumes(&[vol("vol-free", "gp2", 500, false), vol("vol-gp3", "gp3", 500, true)]);
    assert!(run(&Gp2ToGp3, &snap, "").findings.is_empty());
}

#[test]
fn unattached_io1_is_snapshotted_and_deleted() {
    let mut v = vol("vol-io1", "io1", 200, false);
    v.iops = Some(5000);
    let out = run(&UnattachedVolume, &volumes(&[v]), "");
    let f = &out.findings[0];
    // now 200 × 0.125 = 25.00 + 5,000 IOPS × 0.065 = 325.00 → 350.00 ; snapshot 200 × 0.05 = 10.00
    assert_usd(f.current.monthly_cost_usd.unwrap(), 200.0 * 0.125 + 5000.0 * 0.065);
    assert_usd(f.recommended.monthly_cost_usd.unwrap(), 200.0 * 0.05);
    assert_usd(savings(f), 350.0 - 10.0);
    assert_eq!(f.actions.len(), 2);
    assert!(f.actions[0].text.starts_with("aws ec2 create-snapshot") && f.actions[1].text.contains("delete-volume"));
    assert!((f.confidence - 0.9).abs() < 1e-9);
}

#[test]
fn unattached_without_snapshot_saves_everything() {
    let cfg = "[rules.\"ebs.unattached\"]\nkeep_snapshot = false\n";
    let out = run(&UnattachedVolume, &volumes(&[vol("vol-gp2", "gp2", 300, false)]), cfg);
    // 300 × 0.10 = 30.00, nothing kept
    assert_usd(savings(&out.findings[0]), 300.0 * 0.10);
    assert_eq!(out.findings[0].actions.len(), 1);
}

#[test]
fn young_or_undated_unattached_volumes() {
    let mut young = vol("vol-young", "gp3", 100, false);
    young.age_days = Some(2);
    let mut undated = vol("vol-undated", "gp3", 100, false);
    undated.age_days = None;
    let out = run(&UnattachedVolume, &volumes(&[young, undated]), "");
    assert_eq!(out.findings.len(), 1, "the 2-day-old volume is below min_age_days = 7");
    assert_eq!(out.findings[0].resource.arn_or_id, "vol-undated");
    // 100 × 0.08 − 100 × 0.05 = 3.00, with lower confidence
    assert_usd(savings(&out.findings[0]), 100.0 * 0.08 - 100.0 * 0.05);
    assert!((out.findings[0].confidence - 0.7).abs() < 1e-9);
}

#[test]
fn a_region_without_prices_is_reported_unpriced_with_a_warning() {
    let mut v = vol("vol-seoul", "gp2", 500, true);
    v.region = "ap-northeast-2";
    let out = run(&Gp2ToGp3, &volumes(&[v]), "");
    assert_eq!(out.findings.len(), 1, "kept, not dropped");
    let f = &out.findings[0];
    assert_eq!(f.monthly_savings_usd, None);
    assert!(f.unpriced_reason.as_deref().unwrap().contains("ap-northeast-2"));
    assert!(out.warnings[0].contains("vol-seoul") && out.warnings[0].contains("ebs.gp2.gb_month"));
}

#[test]
fn discount_and_override_flow_into_the_saving() {
    let cfg = "[rules.\"ebs.gp2-to-gp3\"]\nmatch_gp2_throughput = false\n";
    let book = PriceBook::embedded().with_overrides(std::iter::empty(), 10.0).unwrap();
    let out = run_priced(&Gp2ToGp3, &volumes(&[vol("vol-500", "gp2", 500, true)]), cfg, &book);
    // 500 × (0.10 − 0.08) × (1 − 0.10) = 9.00
    assert_usd(savings(&out.findings[0]), 500.0 * (0.10 - 0.08) * 0.9);
    let overrides = [("us-east-1/ebs.gp3.gb_month".to_string(), 0.09)];
    let book = PriceBook::embedded().with_overrides(overrides.iter().map(|(k, v)| (k, v)), 0.0).unwrap();
    let out = run_priced(&Gp2ToGp3, &volumes(&[vol("vol-500", "gp2", 500, true)]), cfg, &book);
    // 500 × (0.10 − 0.09) = 5.00
    assert_usd(savings(&out.findings[0]), 500.0 * (0.10 - 0.09));
}

#[test]
fn unattached_st1_keeps_its_snapshot_in_the_archive_tier() {
    let out = run(&UnattachedVolume, &volumes(&[vol("vol-st1", "st1", 500, false)]), "");
    let f = &out.findings[0];
    // now 500 × 0.045 = 22.50 ; a standard snapshot 500 × 0.05 = 25.00 would cost more,
    // so archive tier 500 × 0.0125 = 6.25 → saving 16.25
    assert_usd(f.recommended.monthly_cost_usd.unwrap(), 500.0 * 0.0125);
    assert_usd(savings(f), 500.0 * 0.045 - 500.0 * 0.0125);
    assert!(f.actions.iter().any(|a| a.text.contains("modify-snapshot-tier")));
}

#[test]
fn io2_iops_are_priced_in_their_tiers() {
    // An unattached io2 volume, 500 GiB at 40,000 IOPS. Before: 40,000 × 0.065 flat =
    // $2,600 of IOPS. io2 IOPS are tiered (to 32,000 / to 64,000 / above) and the book has
    // only the first tier, so the volume is unpriced, naming the missing tier.
    let mut v = vol("vol-io2", "io2", 500, false);
    v.iops = Some(40_000);
    let out = run(&UnattachedVolume, &volumes(&[v]), "");
    let f = &out.findings[0];
    assert_eq!(f.monthly_savings_usd, None);
    assert!(
        f.unpriced_reason.as_deref().is_some_and(|r| r.contains("ebs.io2.iops_month.tier2")),
        "{:?}",
        f.unpriced_reason
    );
    // With the second tier supplied (AWS's 0.0455, an explicit test input):
    // 500 × 0.125 + 32,000 × 0.065 + 8,000 × 0.0455 = 62.50 + 2,080.00 + 364.00 = 2,506.50 a month.
    let overrides = [
        ("us-east-1/ebs.io2.iops_month.tier2".to_string(), 0.0455),
        ("us-east-1/ebs.io2.iops_month.tier3".to_string(), 0.03185),
    ];
    let book = PriceBook::embedded().with_overrides(overrides.iter().map(|(k, v)| (k, v)), 0.0).unwrap();
    let mut v = vol("vol-io2", "io2", 500, false);
    v.iops = Some(40_000);
    let f = &run_priced(&UnattachedVolume, &volumes(&[v]), "", &book).findings[0];
    assert_usd(f.current.monthly_cost_usd.unwrap(), 500.0 * 0.125 + 32_000.0 * 0.065 + 8_000.0 * 0.0455);
    // Within the first tier no other tier is needed: 500 × 0.125 + 10,000 × 0.065 = 712.50.
    let mut v = vol("vol-io2-small", "io2", 500, false);
    v.iops = Some(10_000);
    let f = &run(&UnattachedVolume, &volumes(&[v]), "").findings[0];
    assert_usd(f.current.monthly_cost_usd.unwrap(), 500.0 * 0.125 + 10_000.0 * 0.065);
}

#[test]
fn an_io1_volume_with_unknown_iops_is_unpriced_not_free() {
    // Before: priced at 0 IOPS, 500 × 0.125 = $62.50 — its IOPS charge silently dropped.
    let v = vol("vol-io1", "io1", 500, false);
    let out = run(&UnattachedVolume, &volumes(&[v]), "");
    let f = &out.findings[0];
    assert_eq!(f.monthly_savings_usd, None);
    assert!(f.unpriced_reason.as_deref().is_some_and(|r| r.contains("unknown provisioned IOPS")));
    assert!(out.warnings.iter().any(|w| w.contains("vol-io1")));
}
