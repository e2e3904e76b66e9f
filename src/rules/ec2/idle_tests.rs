//! `ec2.idle`, with expected dollars from the embedded us-east-1 Linux prices, 730 hours
//! a month: t2.medium 0.0464, m5.large 0.096 USD/hour.

use crate::rules::test_support::{assert_usd, run, savings};
use crate::rules::{Rule, RuleContext};

use super::Idle;
use super::test_fleet::{all_findings, findings_for, fleet_snapshot, vm};

/// ~1.5 % CPU and 40 kB/hour (≈ 1 MB/day) of network: idle by Trusted Advisor, not by
/// Cost Explorer (its maxima reach 3 %).
fn idle_vm(id: &str, instance_type: &'static str) -> super::test_fleet::Vm {
    let mut v = vm(id, instance_type).load(1.5, 0.5, 1.0);
    v.net_per_hour = 40e3;
    v
}

#[test]
fn idle_t2_medium_is_idle_not_rightsized_nor_previous_generation() {
    let snap = fleet_snapshot(&[idle_vm("i-jump", "t2.medium")]);
    let findings = all_findings(&snap);
    let mine = findings_for(&findings, "i-jump");
    assert_eq!(mine.len(), 1, "{mine:#?}");
    let f = mine[0];
    assert_eq!(f.rule, "ec2.idle");
    // The whole instance: 730 × 0.0464 = 33.87 ; recommended 0
    assert_usd(f.current.monthly_cost_usd.unwrap(), 730.0 * 0.0464);
    assert_usd(savings(f), 730.0 * 0.0464);
    assert!(f.confidence_reasons.iter().any(|r| r.contains("Trusted Advisor")), "{:?}", f.confidence_reasons);
    assert!(f.rationale.contains("14 of 14 observed days"), "{}", f.rationale);
    // 14 of 14 days low → 0.5 + 0.45 × 1 = 0.95
    assert!((f.confidence - 0.95).abs() < 1e-9);
    assert!(f.actions[0].text.starts_with("aws ec2 stop-instances --region us-east-1 --instance-ids i-jump"));
    assert!(f.evidence.thresholds.iter().any(|t| t.name.contains("daily network") && t.value == 5.0));
    assert_eq!(f.evidence.charts.len(), 3, "daily CPU, daily network, hourly CPU");
}

#[test]
fn a_cpu_idle_proxy_that_moves_data_is_not_idle() {
    // Maximum CPU 0.8 % but 100 MB/hour of traffic. Before: Cost Explorer's CPU-only definition
    // called it idle and claimed 730 × 0.096 = $70.08 a month. It forwards 2.4 GB a day: busy.
    let mut v = vm("i-proxy", "m5.large").load(0.4, 0.2, 0.2);
    v.net_per_hour = 100e6;
    let out = run(&Idle, &fleet_snapshot(&[v]), "");
    assert!(out.findings.is_empty(), "{:#?}", out.findings);
}

#[test]
fn cost_explorer_definition_needs_cpu_and_network_low() {
    // Maximum CPU 0.8 % and 20 kB/hour: idle by Cost Explorer (and Trusted Advisor).
    let mut v = vm("i-quiet", "m5.large").load(0.4, 0.2, 0.2);
    v.net_per_hour = 20e3;
    let f = &run(&Idle, &fleet_snapshot(&[v]), "").findings[0];
    assert!(
        f.confidence_reasons.iter().any(|r| r == "idle by the Trusted Advisor and Cost Explorer definition"),
        "{:?}",
        f.confidence_reasons
    );
    // 730 × 0.096 = 70.08
    assert_usd(savings(f), 730.0 * 0.096);
    assert!((f.confidence - 0.95).abs() < 1e-9);
}

#[test]
fn too_little_data_or_stopped_is_never_idle() {
    let mut young = idle_vm("i-young", "t3.large");
    young.hours = 3 * 24; // 3 days < the 4 observed days either definition needs
    let mut stopped = idle_vm("i-stopped", "t3.large");
    stopped.state = "stopped";
    let out = run(&Idle, &fleet_snapshot(&[young, stopped]), "");
    assert!(out.findings.is_empty(), "{:#?}", out.findings);
}

#[test]
fn an_idle_group_is_scaled_to_zero_in_one_finding() {
    let members: Vec<_> = (1..=2)
        .map(|k| {
            let mut v = idle_vm(&format!("i-batch-{k}"), "m5.large");
            v.asg = Some("batch-asg");
            v
        })
        .collect();
    let findings = all_findings(&fleet_snapshot(&members));
    assert_eq!(findings.len(), 1);
    let f = &findings[0];
    assert_eq!((f.rule.as_str(), f.resource.arn_or_id.as_str()), ("ec2.idle", "batch-asg"));
    // 2 × 730 × 0.096 = 140.16
    assert_usd(savings(f), 2.0 * 730.0 * 0.096);
    assert!(
        f.actions[0].text.contains("update-auto-scaling-group") && f.actions[0].text.contains("--desired-capacity 0")
    );
}

#[test]
fn a_group_with_one_busy_member_is_not_idle() {
    let mut a = idle_vm("i-a", "m5.large");
    let mut b = vm("i-b", "m5.large").load(40.0, 10.0, 10.0);
    (a.asg, b.asg) = (Some("mixed-asg"), Some("mixed-asg"));
    assert!(run(&Idle, &fleet_snapshot(&[a, b]), "").findings.is_empty());
}

#[test]
fn unpriced_region_and_the_terminate_action() {
    let mut v = idle_vm("i-seoul", "t3.medium");
    v.region = "ap-northeast-2";
    let cfg = "[rules.\"ec2.idle\"]\naction = \"snapshot-and-terminate\"\n";
    let out = run(&Idle, &fleet_snapshot(&[v]), cfg);
    let f = &out.findings[0];
    assert_eq!(f.monthly_savings_usd, None);
    assert!(f.unpriced_reason.as_deref().is_some_and(|r| r.contains("ap-northeast-2")));
    assert!(out.warnings.iter().any(|w| w.contains("i-seoul") && w.contains("unpriced")));
    assert!(f.actions[0].text.starts_with("aws ec2 create-image --region ap-northeast-2 --instance-id i-seoul"));
    assert!(f.actions[1].text.starts_with("aws ec2 terminate-instances"));
    // An unknown action is a config error at load (naming the table and the value), and a
    // rule error if a config built in code slips it through — never a guess.
    let doc: toml::Table = toml::from_str("[rules.\"ec2.idle\"]\naction = \"explode\"\n").unwrap();
    let rules: crate::rules::RuleTables = doc["rules"].clone().try_into().unwrap();
    let err = rules.validate().unwrap_err().to_string();
    assert!(err.contains("[rules.\"ec2.idle\"]") && err.contains("explode"), "{err}");
    let snap = fleet_snapshot(&[idle_vm("i-x", "t3.medium")]);
    let params = rules.params_for(&super::FAMILY, &Idle);
    let (prices, shared) = (crate::pricing::PriceBook::embedded(), crate::rules::Shared::default());
    let err =
        Idle.evaluate(&RuleContext { snapshot: &snap, prices: &prices, params: &params, shared: &shared }).unwrap_err();
    assert!(err.to_string().contains("explode"));
}
