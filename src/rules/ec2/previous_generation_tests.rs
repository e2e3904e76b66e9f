//! `ec2.previous-generation`, with expected dollars from the embedded us-east-1 Linux
//! prices, 730 hours a month: m4.large 0.100, m4.2xlarge 0.400, m6i.large 0.096,
//! m7g.large 0.0816, t2.medium 0.0464, t3.medium 0.0416 USD/hour.

use crate::rules::test_support::{assert_usd, run, savings};

use super::PREVIOUS_GENERATION;
use super::test_fleet::{all_findings, findings_for, fleet_snapshot, vm};

#[test]
fn m4_large_moves_to_m6i_large() {
    // 25–35 % CPU, maxima ≤ 43 %: needs 2 × 43 % ÷ 80 % ≈ 1.1 vCPU, so no 1-vCPU type
    // (m7a.medium, m7g.medium) fits and the like-for-like successor is the move.
    let snap = fleet_snapshot(&[vm("i-legacy", "m4.large").load(30.0, 5.0, 8.0)]);
    let findings = all_findings(&snap);
    let mine = findings_for(&findings, "i-legacy");
    assert_eq!(mine.len(), 1, "not also ec2.graviton: {mine:#?}");
    let f = mine[0];
    assert_eq!(f.rule, "ec2.previous-generation");
    assert!(f.recommended.description.starts_with("m6i.large (2 vCPU, 8 GiB)"), "{}", f.recommended.description);
    // 730 × (0.100 − 0.096) = 2.92
    assert_usd(savings(f), 730.0 * (0.100 - 0.096));
    assert_usd(f.current.monthly_cost_usd.unwrap(), 730.0 * 0.100);
    // The Graviton option rides along: m7g.large, 730 × 0.0816 = 59.57/month.
    assert!(f.rationale.contains("m7g.large") && f.rationale.contains("$59.57"), "{}", f.rationale);
    assert!(f.actions.iter().any(|a| a.text.contains("modify-instance-attribute") && a.text.contains("m6i.large")));
}

#[test]
fn oversized_m4_2xlarge_is_one_rightsize_finding_into_the_current_generation() {
    // Memory measured at 10 % of 32 GiB → 4 GiB needed, so the smaller m6i.large (8 GiB) fits.
    let mut v = vm("i-big-old", "m4.2xlarge").load(5.0, 1.0, 2.0);
    v.mem_pct = Some(10.0);
    let snap = fleet_snapshot(&[v]);
    let findings = all_findings(&snap);
    let mine = findings_for(&findings, "i-big-old");
    assert_eq!(mine.len(), 1, "{mine:#?}");
    assert_eq!(mine[0].rule, "ec2.rightsize", "the better of the two: downsizing beats like-for-like");
    assert!(mine[0].recommended.description.starts_with("m6i.large "));
    // 730 × (0.400 − 0.096) = 221.92 (like-for-like m6i.2xlarge would save only 730 × (0.400 − 0.384) = 11.68)
    assert_usd(savings(mine[0]), 730.0 * (0.400 - 0.096));
}

#[test]
fn busy_t2_medium_moves_to_t3_medium() {
    // 20 % CPU on a burstable: not idle; t3.small would halve the memory (not measured), so like-for-like.
    // t3.medium's baseline (2 vCPU × 20 %) equals t2.medium's, so it sustains what t2.medium does.
    let snap = fleet_snapshot(&[vm("i-jump", "t2.medium").load(20.0, 3.0, 5.0)]);
    let out = run(&PREVIOUS_GENERATION, &snap, "");
    let f = &out.findings[0];
    assert!(f.recommended.description.starts_with("t3.medium "));
    // 730 × (0.0464 − 0.0416) = 3.50
    assert_usd(savings(f), 730.0 * (0.0464 - 0.0416));
    assert!(f.evidence.statistics.iter().any(|s| s.name.starts_with("candidate t3.small") && s.name.contains("GiB")));
}

#[test]
fn windows_previous_generation_is_unpriced() {
    let mut v = vm("i-old-win", "m4.large").load(30.0, 5.0, 8.0);
    v.platform = "windows";
    let findings = all_findings(&fleet_snapshot(&[v]));
    assert_eq!(findings.len(), 1);
    let f = &findings[0];
    assert_eq!(f.rule, "ec2.previous-generation");
    assert_eq!(f.monthly_savings_usd, None);
    assert!(f.unpriced_reason.as_deref().is_some_and(|r| r.contains("windows")));
    assert!(!f.rationale.contains("Graviton"), "no Graviton for Windows");
}
