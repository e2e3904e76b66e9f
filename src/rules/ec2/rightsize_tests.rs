//! `ec2.rightsize`, with expected dollars as arithmetic on the embedded us-east-1 Linux
//! on-demand prices (data/pricing/ec2_ondemand_linux.csv), 730 hours a month:
//! m5.2xlarge 0.384, m5.xlarge 0.192, m5.large 0.096, m7g.medium 0.0408 USD/hour.

use crate::rules::test_support::{assert_usd, run, savings};

use super::RIGHTSIZE;
use super::test_fleet::{all_findings, findings_for, fleet_snapshot, stat, vm};

/// 8 vCPU at ≤ 8 % CPU (hourly averages 4–6 %, maxima ≤ 8 %), 50 MB/hour of network (not
/// idle), memory measured at 10 % of 32 GiB.
fn reporting(id: &str) -> super::test_fleet::Vm {
    let mut v = vm(id, "m5.2xlarge").load(5.0, 1.0, 2.0);
    v.mem_pct = Some(10.0);
    v
}

#[test]
fn oversized_m5_2xlarge_downsizes_to_m5_large_with_the_graviton_alternative() {
    // Memory 10 % of 32 GiB = 3.2 GiB, ÷ 80 % → 4 GiB needed: m5.large's 8 GiB carries it.
    let snap = fleet_snapshot(&[reporting("i-reporting")]);
    let findings = all_findings(&snap);
    let mine = findings_for(&findings, "i-reporting");
    assert_eq!(mine.len(), 1, "one finding across the four EC2 rules: {mine:#?}");
    let f = mine[0];
    assert_eq!(f.rule, "ec2.rightsize");
    assert!(f.recommended.description.starts_with("m5.large "), "{}", f.recommended.description);
    // p99.5 of the maxima ≈ 8 %: needs 8 × 8 % ÷ 80 % = 0.8 vCPU → m5.large (2 vCPU) is the
    // cheapest smaller m5. now 730 × 0.384 = 280.32 ; after 730 × 0.096 = 70.08
    assert_usd(f.current.monthly_cost_usd.unwrap(), 730.0 * 0.384);
    assert_usd(f.recommended.monthly_cost_usd.unwrap(), 730.0 * 0.096);
    assert_usd(savings(f), 730.0 * (0.384 - 0.096));
    // The Graviton alternative: m7g.medium (1 vCPU, 4 GiB) carries 0.8 vCPU, 730 × 0.0408 = 29.78/month.
    assert!(f.rationale.contains("m7g.medium"), "{}", f.rationale);
    assert!(f.rationale.contains("$40.30"), "730 × (0.096 − 0.0408) = 40.30 less than m5.large: {}", f.rationale);
    let alt =
        f.evidence.statistics.iter().find(|s| s.name.starts_with("candidate m7g.medium — arm64 alternative: chosen"));
    assert_usd(alt.expect("arm64 alternative listed").value, 730.0 * 0.0408);
    // Candidates rejected, with reasons and prices.
    let m5_xl = f.evidence.statistics.iter().find(|s| s.name.starts_with("candidate m5.xlarge"));
    assert_usd(m5_xl.expect("m5.xlarge listed").value, 730.0 * 0.192);
    assert!(stat(f, "CPU p99.5 of hourly maxima").is_some_and(|v| v <= 8.0));
    assert!((f.confidence - 0.9).abs() < 1e-9, "{}", f.confidence);
    assert!(f.evidence.thresholds.iter().any(|t| t.name.starts_with("CPU headroom") && t.value == 80.0));
    assert!(f.evidence.charts.len() >= 3, "CPU, network and candidates charts");
    assert!(f.actions.iter().any(|a| a.text.contains("modify-instance-attribute") && a.text.contains("m5.large")));
}

#[test]
fn without_memory_data_memory_never_shrinks() {
    // The same instance without the CloudWatch agent. Before: m5.large (8 GiB) at
    // 730 × (0.384 − 0.096) = 210.24 a month — a quarter of the memory, never measured.
    // Now the target keeps at least 32 GiB: the cheapest type with ≥ 0.8 vCPU and 32 GiB is
    // r5a.xlarge (4 vCPU, 32 GiB, 0.226/h): 730 × (0.384 − 0.226) = 115.34.
    let snap = fleet_snapshot(&[vm("i-nomem", "m5.2xlarge").load(5.0, 1.0, 2.0)]);
    let f = &run(&RIGHTSIZE, &snap, "").findings[0];
    assert!(f.recommended.description.starts_with("r5a.xlarge (4 vCPU, 32 GiB)"), "{}", f.recommended.description);
    assert_usd(savings(f), 730.0 * (0.384 - 0.226));
    let m5_large = f.evidence.statistics.iter().find(|s| s.name.starts_with("candidate m5.large"));
    assert!(m5_large.is_some_and(|s| s.name.contains("memory is not measured")), "{m5_large:?}");
    assert!(f.confidence_reasons.iter().any(|r| r.contains("mem_used_percent") && r.contains("CloudWatch agent")));
    assert!((f.confidence - 0.75).abs() < 1e-9, "{}", f.confidence);
}

#[test]
fn measured_memory_keeps_the_target_large_enough() {
    // Memory at 30 % of 32 GiB = 9.6 GiB, ÷ 80 % → 12 GiB needed: m5.large (8 GiB) is out, m5.xlarge (16) fits.
    let mut v = vm("i-mem", "m5.2xlarge").load(5.0, 1.0, 2.0);
    v.mem_pct = Some(30.0);
    let out = run(&RIGHTSIZE, &fleet_snapshot(&[v]), "");
    let f = &out.findings[0];
    assert!(f.recommended.description.starts_with("m5.xlarge "));
    // 730 × (0.384 − 0.192) = 140.16
    assert_usd(savings(f), 730.0 * (0.384 - 0.192));
    assert!((f.confidence - 0.9).abs() < 1e-9);
    assert!(
        f.evidence.statistics.iter().any(|s| s.name.starts_with("candidate m5.large") && s.name.contains("memory"))
    );
}

#[test]
fn busy_c5_xlarge_is_neither_idle_nor_downsized() {
    // 75–85 % hourly averages, maxima up to 91 %: needs 4 × 91 % ÷ 80 % ≈ 4.6 vCPU.
    let snap = fleet_snapshot(&[vm("i-api", "c5.xlarge").load(80.0, 5.0, 6.0)]);
    let findings = all_findings(&snap);
    let mine = findings_for(&findings, "i-api");
    assert!(mine.iter().all(|f| f.rule != "ec2.idle" && f.rule != "ec2.rightsize"), "{mine:#?}");
    // A same-size Graviton move is allowed: c7g.xlarge, 730 × (0.17 − 0.145) = 18.25.
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].rule, "ec2.graviton");
    assert!(mine[0].recommended.description.starts_with("c7g.xlarge "));
    assert_usd(savings(mine[0]), 730.0 * (0.17 - 0.145));
    assert!(mine[0].performance_risk >= 3, "runs at ~91 % of the same vCPU count");
}

#[test]
fn twenty_hours_of_data_give_no_finding_and_a_warning() {
    let mut v = vm("i-new", "m5.2xlarge").load(3.0, 1.0, 1.0);
    v.hours = 20;
    let snap = fleet_snapshot(&[v]);
    let outs = super::test_fleet::run_all(&snap, "");
    assert!(outs.iter().all(|(_, o)| o.findings.is_empty()), "{outs:#?}");
    let warnings: Vec<&String> = outs.iter().flat_map(|(_, o)| &o.warnings).collect();
    assert_eq!(warnings.len(), 1, "named once, by ec2.rightsize: {warnings:?}");
    assert!(warnings[0].contains("i-new") && warnings[0].contains("20 hours"), "{}", warnings[0]);
}

#[test]
fn a_six_instance_asg_gets_one_group_finding() {
    let members: Vec<_> = (1..=6)
        .map(|k| {
            let mut v = reporting(&format!("i-web-{k}")).load(5.0 + k as f64 * 0.2, 1.0, 2.0);
            v.asg = Some("web-asg");
            v
        })
        .collect();
    let findings = all_findings(&fleet_snapshot(&members));
    assert_eq!(findings.len(), 1, "{findings:#?}");
    let f = &findings[0];
    assert_eq!(
        (f.rule.as_str(), f.resource.arn_or_id.as_str(), f.resource.kind.as_str()),
        ("ec2.rightsize", "web-asg", "autoscaling-group")
    );
    assert!(f.recommended.description.starts_with("6 × m5.large "), "{}", f.recommended.description);
    // 6 × 730 × (0.384 − 0.096) = 6 × 210.24 = 1,261.44
    assert_usd(savings(f), 6.0 * 730.0 * (0.384 - 0.096));
    assert_eq!(f.evidence.datapoints, 6 * 336);
    assert!(f.actions.iter().any(|a| a.text.contains("create-launch-template-version") && a.text.contains("m5.large")));
    assert!(
        f.actions
            .iter()
            .any(|a| a.text.contains("start-instance-refresh --region us-east-1 --auto-scaling-group-name web-asg"))
    );
}

#[test]
fn an_eks_node_group_gets_one_finding_with_eksctl_and_terraform() {
    let members: Vec<_> = (1..=3)
        .map(|k| {
            let mut v = reporting(&format!("i-node-{k}"));
            v.asg = Some("eks-general-1a2b");
            v.eks = Some("prod");
            v.tags = vec![("eks:nodegroup-name", "general")];
            v
        })
        .collect();
    let findings = all_findings(&fleet_snapshot(&members));
    assert_eq!(findings.len(), 1);
    let f = &findings[0];
    assert_eq!(f.resource.kind, "eks-nodegroup");
    assert_eq!(f.resource.tags.get("eks:nodegroup-name").map(String::as_str), Some("general"));
    // 3 × 730 × (0.384 − 0.096) = 630.72
    assert_usd(savings(f), 3.0 * 730.0 * (0.384 - 0.096));
    assert!(
        f.actions.iter().any(|a| a.text.contains("eksctl create nodegroup --cluster prod --name general-m5-large"))
    );
    assert!(f.actions.iter().any(|a| a.kind == "terraform" && a.text.contains("instance_types = [\"m5.large\"]")));
}

#[test]
fn windows_is_sized_but_unpriced() {
    let mut v = reporting("i-win");
    v.platform = "windows";
    let snap = fleet_snapshot(&[v]);
    let outs = super::test_fleet::run_all(&snap, "");
    let findings: Vec<_> = outs.iter().flat_map(|(_, o)| o.findings.iter()).collect();
    assert_eq!(findings.len(), 1, "rightsize only; never Graviton for Windows: {findings:#?}");
    let f = findings[0];
    assert_eq!(f.rule, "ec2.rightsize");
    assert!(f.recommended.description.starts_with("m5.large "), "ranked by us-east-1 Linux list prices");
    assert_eq!(f.monthly_savings_usd, None);
    assert!(f.unpriced_reason.as_deref().is_some_and(|r| r.contains("ec2.ondemand.windows.m5.2xlarge")));
    assert!(!f.rationale.contains("Graviton"), "no arm64 option for Windows");
    let warnings: Vec<&String> = outs.iter().flat_map(|(_, o)| &o.warnings).collect();
    assert!(warnings.iter().any(|w| w.contains("i-win") && w.contains("unpriced")), "{warnings:?}");
}

#[test]
fn sizing_parameters_are_validated_and_applied() {
    let snap = fleet_snapshot(&[reporting("i-reporting")]);
    // With 95 % headroom the target may run at 5 %: 8 × 8 % ÷ 5 % ≈ 12.8 vCPU → nothing smaller fits.
    let cfg = "[rules.ec2]\ncpu_headroom_pct = 95\n";
    assert!(run(&RIGHTSIZE, &snap, cfg).findings.is_empty());
    let mut params = crate::rules::Params::from_defaults(super::settings::FAMILY_PARAMS);
    params.set("cpu_statistic", &toml::Value::String("p42".into())).expect("declared");
    assert!(super::settings::Sizing::from_params(&params).is_err());
}
