//! `ec2.graviton` and the precedence between the four EC2 rules, with expected dollars
//! from the embedded us-east-1 Linux prices, 730 hours a month: c5.xlarge 0.17,
//! c7g.xlarge 0.145, m5.xlarge 0.192, m7g.xlarge 0.1632 USD/hour.

use crate::pricing::PriceBook;
use crate::rules::test_support::{assert_usd, run, savings, tables};

use super::GRAVITON;
use super::test_fleet::{all_findings, fleet_snapshot, vm};

fn busy(id: &str, instance_type: &'static str) -> super::test_fleet::Vm {
    vm(id, instance_type).load(80.0, 5.0, 6.0)
}

#[test]
fn untagged_busy_m5_xlarge_moves_to_m7g_xlarge_with_medium_effort() {
    let out = run(&GRAVITON, &fleet_snapshot(&[busy("i-m5", "m5.xlarge")]), "");
    let f = &out.findings[0];
    assert!(f.recommended.description.starts_with("m7g.xlarge "));
    // 730 × (0.192 − 0.1632) = 21.02
    assert_usd(savings(f), 730.0 * (0.192 - 0.1632));
    assert_eq!(f.migration_effort, crate::report::MigrationEffort::Medium);
    assert!(f.actions.iter().any(|a| a.text.contains("arm64")));
}

#[test]
fn arm64_ready_tag_lowers_the_effort() {
    let mut v = busy("i-ready", "c5.xlarge");
    v.tags = vec![("arm64-ready", "true")];
    let f = &run(&GRAVITON, &fleet_snapshot(&[v.clone()]), "").findings[0];
    assert_eq!(f.migration_effort, crate::report::MigrationEffort::VeryLow);
    // 730 × (0.17 − 0.145) = 18.25
    assert_usd(savings(f), 730.0 * (0.17 - 0.145));
    v.tags = vec![("ready-for-arm", "yes")];
    let cfg = "[rules.\"ec2.graviton\"]\narm64_ready_tag = \"ready-for-arm\"\n";
    let f = &run(&GRAVITON, &fleet_snapshot(&[v]), cfg).findings[0];
    assert_eq!(f.migration_effort, crate::report::MigrationEffort::VeryLow);
}

#[test]
fn never_for_windows_arm64_or_families_without_a_counterpart() {
    let mut win = busy("i-win", "m5.xlarge");
    win.platform = "windows";
    let arm = busy("i-arm", "m7g.xlarge");
    let zn = busy("i-zn", "m5zn.xlarge");
    let out = run(&GRAVITON, &fleet_snapshot(&[win, arm, zn]), "");
    assert!(out.findings.is_empty(), "{:#?}", out.findings);
}

#[test]
fn spot_instances_are_unpriced_with_a_warning() {
    let mut v = busy("i-spot", "c5.xlarge");
    v.lifecycle = "spot";
    let out = run(&GRAVITON, &fleet_snapshot(&[v]), "");
    assert_eq!(out.findings[0].monthly_savings_usd, None);
    assert!(out.findings[0].recommended.description.starts_with("c7g.xlarge "));
    assert!(out.warnings.iter().any(|w| w.contains("i-spot") && w.contains("spot")));
}

#[test]
fn a_mixed_fleet_counts_every_instance_once() {
    let mut idle = vm("i-idle", "t2.medium").load(1.5, 0.5, 1.0);
    idle.net_per_hour = 40e3;
    let mut asg: Vec<_> = (1..=6)
        .map(|k| {
            let mut v = vm(&format!("i-web-{k}"), "m5.2xlarge").load(5.0, 1.0, 2.0);
            v.asg = Some("web-asg");
            v
        })
        .collect();
    let mut fleet = vec![
        idle,
        vm("i-over", "m5.2xlarge").load(5.0, 1.0, 2.0),
        busy("i-busy", "c5.xlarge"),
        vm("i-m4", "m4.large").load(30.0, 5.0, 8.0),
        busy("i-arm", "c7g.xlarge"),
    ];
    fleet.append(&mut asg);
    let snap = fleet_snapshot(&fleet);
    let findings = all_findings(&snap);
    let mut resources: Vec<&str> = findings.iter().map(|f| f.resource.arn_or_id.as_str()).collect();
    resources.sort();
    assert_eq!(resources, ["i-busy", "i-idle", "i-m4", "i-over", "web-asg"], "one finding per unit");
    let saving = |id: &str| findings.iter().find(|f| f.resource.arn_or_id == id).and_then(|f| f.monthly_savings_usd);
    // The group saves exactly 6 × what the same standalone instance saves: 6 × 210.24.
    assert_usd(saving("web-asg").unwrap(), 6.0 * saving("i-over").unwrap());
    // And the engine agrees (all rules, sorted by savings; EBS rules only warn about their missing frame).
    let (engine, _) = crate::rules::run_rules(&snap, &PriceBook::embedded(), &Default::default());
    assert_eq!(engine.len(), 5);
    assert_eq!(engine[0].resource.arn_or_id, "web-asg");
}

/// The mixed fleet above plus a previous-generation instance that can also be downsized.
fn precedence_fleet() -> Vec<super::test_fleet::Vm> {
    let mut idle = vm("i-idle", "t2.medium").load(1.5, 0.5, 1.0);
    idle.net_per_hour = 40e3;
    let mut fleet = vec![
        idle,
        vm("i-over", "m5.2xlarge").load(5.0, 1.0, 2.0),
        busy("i-busy", "c5.xlarge"),
        vm("i-m4", "m4.large").load(30.0, 5.0, 8.0),
        vm("i-m4-big", "m4.2xlarge").load(8.0, 2.0, 3.0),
        busy("i-arm", "c7g.xlarge"),
        vm("i-t3", "t3.large").load(12.0, 4.0, 10.0),
        vm("i-r5", "r5.xlarge").load(20.0, 10.0, 15.0),
    ];
    let mut office = vm("i-office", "m5.xlarge").load(40.0, 10.0, 10.0);
    office.office_hours = true;
    fleet.push(office);
    for k in 1..=3 {
        let mut v = vm(&format!("i-web-{k}"), "m5.2xlarge").load(5.0 * k as f64, 1.0, 2.0);
        v.asg = Some("web-asg");
        fleet.push(v);
    }
    fleet
}

#[test]
fn no_unit_gets_two_ec2_findings_under_any_sizing_parameters() {
    let snap = fleet_snapshot(&precedence_fleet());
    let prices = PriceBook::embedded();
    let mut settings = 0;
    // Debug builds run Polars slowly: 3 × 3 × 2 × 2 × 2 = 72 settings of the sweep.
    for stat in ["p90", "p95", "p99.5"] {
        for cpu in [0.0, 50.0, 90.0] {
            for (mem, net) in [(0.0, 0.0), (60.0, 95.0)] {
                for (hours, idle_days) in [(1.0, 50.0), (400.0, 100.0)] {
                    for off_hours in [8.0, 120.0] {
                        let cfg = format!(
                            "[rules.ec2]\ncpu_statistic = \"{stat}\"\ncpu_headroom_pct = {cpu}\n\
                             memory_headroom_pct = {mem}\nnetwork_headroom_pct = {net}\nmin_hours = {hours}\n\
                             idle_low_days_pct = {idle_days}\nschedule_min_off_hours = {off_hours}\n"
                        );
                        let (findings, _) = crate::rules::run_rules(&snap, &prices, &tables(&cfg));
                        let mut ids: Vec<&str> = findings
                            .iter()
                            .filter(|f| f.rule.starts_with("ec2."))
                            .map(|f| f.resource.arn_or_id.as_str())
                            .collect();
                        let before = ids.len();
                        ids.sort();
                        ids.dedup();
                        assert_eq!(ids.len(), before, "two EC2 findings for one unit with {cfg}: {findings:#?}");
                        for f in &findings {
                            let (Some(s), Some(c)) = (f.monthly_savings_usd, f.current.monthly_cost_usd) else {
                                continue;
                            };
                            assert!(s <= c + 0.005, "{} saves {s} of {c} with {cfg}", f.id);
                        }
                        settings += 1;
                    }
                }
            }
        }
    }
    assert_eq!(settings, 3 * 3 * 2 * 2 * 2);
}
