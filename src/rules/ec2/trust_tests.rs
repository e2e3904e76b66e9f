//! Issue 10's cases: savings a FinOps engineer would refute, made right. Each test
//! writes the old (wrong) figure in a comment and the new arithmetic from the embedded
//! us-east-1 prices, 730 hours a month: g5.xlarge 1.006, m7a.medium 0.05796, m5.xlarge
//! 0.192, m5.2xlarge 0.384, m5.large 0.096, c6a.2xlarge 0.306, t3.large 0.0832,
//! t3.micro 0.0104, t4g.large 0.0672 USD/hour.

use crate::rules::test_support::{assert_usd, run, savings};

use super::test_fleet::{Vm, all_findings, findings_for, fleet_snapshot, run_all, vm};
use super::{RIGHTSIZE, StopSchedule};

fn with_memory(mut v: Vm, pct: f64) -> Vm {
    v.mem_pct = Some(pct);
    v
}

#[test]
fn a_gpu_instance_is_never_rightsized_into_a_type_without_its_gpu() {
    // Before: g5.xlarge at 8 % CPU → m7a.medium, "saving" 730 × (1.006 − 0.05796) = $692.06
    // a month and losing its NVIDIA A10G. g5 is not a family tierwise knows, so only g5
    // types qualify, and the smallest g5 is this one: no finding.
    let gpu = with_memory(vm("i-gpu", "g5.xlarge").load(8.0, 1.0, 2.0), 10.0);
    // A 4-GPU g5.12xlarge nearly idle on CPU: a smaller g5 has fewer GPUs, so it stays too.
    let gpus = with_memory(vm("i-gpu4", "g5.12xlarge").load(3.0, 1.0, 2.0), 5.0);
    // d2.xlarge (6,144 GB of HDD) → its successor d3.xlarge has 5,940 GB: not like-for-like.
    let hdd = with_memory(vm("i-hdd", "d2.xlarge").load(5.0, 1.0, 2.0), 10.0);
    let findings = all_findings(&fleet_snapshot(&[gpu, gpus, hdd]));
    assert!(findings.is_empty(), "{findings:#?}");
}

#[test]
fn a_weekday_server_gets_a_schedule_not_stop_it() {
    // Busy Monday–Friday 08:00–20:00 UTC at ~40 % CPU, quiet otherwise. Before: "idle" by
    // Trusted Advisor (4 low days of 14 = its weekends), "stop it", saving 730 × 0.192 =
    // $140.16 a month — and stopping its users. Now: low on 4 of 14 days is not most of the
    // window, so it is not idle; it is off 108 hours a week (4 weeknights × 12 h + Friday
    // 20:00 → Monday 08:00, 60 h): 140.16 × 108 ÷ 168 = $90.10 a month.
    let mut v = with_memory(vm("i-office", "m5.xlarge").load(40.0, 10.0, 10.0), 50.0);
    v.office_hours = true;
    let findings = all_findings(&fleet_snapshot(&[v]));
    let mine = findings_for(&findings, "i-office");
    assert_eq!(mine.len(), 1, "{mine:#?}");
    let f = mine[0];
    assert_eq!(f.rule, "ec2.schedule");
    assert_usd(f.current.monthly_cost_usd.unwrap(), 730.0 * 0.192);
    assert_usd(savings(f), 730.0 * 0.192 * 108.0 / 168.0);
    assert!(f.recommended.description.contains("Fri 20:00 → Mon 08:00 (60 h)"), "{}", f.recommended.description);
    // The Graviton move it beat (m7g.xlarge, 730 × (0.192 − 0.1632) = 21.02) is named, not counted.
    assert!(f.rationale.contains("m7g.xlarge") && f.rationale.contains("$21.02"), "{}", f.rationale);
    assert!(f.actions.iter().any(|a| a.text.contains("Key=Schedule")));
}

#[test]
fn a_weekday_auto_scaling_group_gets_scheduled_actions() {
    // Three such members: 3 × 730 × 0.192 × 108 ÷ 168 = 3 × 90.10 = $270.31 a month.
    let members: Vec<Vm> = (1..=3)
        .map(|k| {
            let mut v = with_memory(vm(&format!("i-w{k}"), "m5.xlarge").load(40.0, 10.0, 10.0), 50.0);
            v.office_hours = true;
            v.asg = Some("office-asg");
            v
        })
        .collect();
    let out = run(&StopSchedule, &fleet_snapshot(&members), "");
    let f = &out.findings[0];
    assert_eq!(f.resource.arn_or_id, "office-asg");
    assert_usd(savings(f), 3.0 * 730.0 * 0.192 * 108.0 / 168.0);
    // Friday 20:00 UTC stop, Monday 08:00 start (cron day-of-week 5 and 1).
    assert!(f.actions.iter().any(|a| a.text.contains("--recurrence \"0 20 * * 5\" --min-size 0 --desired-capacity 0")));
    assert!(f.actions.iter().any(|a| a.text.contains("--recurrence \"0 8 * * 1\" --min-size 3 --desired-capacity 3")));
}

#[test]
fn a_burstable_instance_is_sized_by_its_baseline() {
    // t3.large at a steady 30 % (mean 29.9 %), memory measured at 10 % of 8 GiB. Before:
    // t3.micro (2 vCPU carry the 0.9-vCPU peak), saving 730 × (0.0832 − 0.0104) = $53.14 —
    // but a t3.micro's baseline is 2 × 10 % = 0.2 vCPU against 0.6 used all the time: it
    // would run on surplus credits (not in the price book) or be throttled. Sustained need
    // with 20 % headroom: 2 × 29.9 % ÷ 80 % = 0.75 vCPU; t3.micro 0.2, t3.small/medium 0.4
    // fall short, so no rightsizing.
    let v = with_memory(vm("i-t3", "t3.large").load(30.0, 2.0, 5.0), 10.0);
    let snap = fleet_snapshot(&[v]);
    assert!(run(&RIGHTSIZE, &snap, "").findings.is_empty());
    // The like-for-like arm64 move keeps the same 30 % baseline: t4g.large,
    // 730 × (0.0832 − 0.0672) = $11.68, at performance risk 4 (the mean uses its whole baseline).
    let findings = all_findings(&snap);
    let f = findings_for(&findings, "i-t3")[0];
    assert_eq!(f.rule, "ec2.graviton");
    assert_usd(savings(f), 730.0 * (0.0832 - 0.0672));
    assert_eq!(f.performance_risk, 4);
    let micro = f.evidence.statistics.iter().find(|s| s.name.starts_with("candidate t4g.micro"));
    assert!(micro.is_some_and(|s| s.name.contains("burstable baseline 2 vCPU × 10 % = 0.20 vCPU")), "{micro:?}");
}

#[test]
fn network_fit_uses_the_baseline_bandwidth() {
    // m5.2xlarge at 5 % CPU moving 1.5 Gbit/s all day, memory 10 % of 32 GiB. Before: m5.large
    // ("Up to 10 Gigabit"), saving 730 × (0.384 − 0.096) = $210.24 — but its baseline is
    // 0.75 Gbit/s. Needed: 1.5 ÷ 80 % = 1.875 Gbit/s; m5.xlarge's baseline is 1.25, so the
    // cheapest fit is another family's c6a.2xlarge (3.125 Gbit/s baseline):
    // 730 × (0.384 − 0.306) = $56.94.
    let mut v = with_memory(vm("i-net", "m5.2xlarge").load(5.0, 1.0, 2.0), 10.0);
    v.net_per_hour = 1.5e9 / 8.0 * 3600.0;
    let f = &run(&RIGHTSIZE, &fleet_snapshot(&[v]), "").findings[0];
    assert!(f.recommended.description.starts_with("c6a.2xlarge "), "{}", f.recommended.description);
    assert_usd(savings(f), 730.0 * (0.384 - 0.306));
    let m5_large = f.evidence.statistics.iter().find(|s| s.name.starts_with("candidate m5.large"));
    assert!(m5_large.is_some_and(|s| s.name.contains("baseline network 0.75 Gbit/s")), "{m5_large:?}");
}

#[test]
fn licensed_platforms_are_not_priced_as_linux() {
    // An oversized RHEL m5.2xlarge (usage operation RunInstances:0010). Before: priced as
    // Linux, 730 × (0.384 − 0.096) = $210.24. The book has no RHEL price, so the finding is
    // unpriced, with a warning; the target is still ranked by us-east-1 Linux prices.
    let mut rhel = with_memory(vm("i-rhel", "m5.2xlarge").load(5.0, 1.0, 2.0), 10.0);
    rhel.usage_operation = Some("RunInstances:0010");
    // Linux with SQL Server Standard (RunInstances:0004): no arm64 build, so no Graviton advice.
    let mut sql = vm("i-sql", "m5.xlarge").load(80.0, 5.0, 6.0);
    sql.usage_operation = Some("RunInstances:0004");
    // A usage operation AWS's table does not list is unknown, never Linux.
    let mut odd = with_memory(vm("i-odd", "m5.2xlarge").load(5.0, 1.0, 2.0), 10.0);
    odd.usage_operation = Some("RunInstances:9999");
    let snap = fleet_snapshot(&[rhel, sql, odd]);
    let outs = run_all(&snap, "");
    let findings: Vec<_> = outs.iter().flat_map(|(_, o)| o.findings.iter()).collect();
    let rhel = findings.iter().find(|f| f.resource.arn_or_id == "i-rhel").expect("rhel finding");
    assert_eq!(rhel.monthly_savings_usd, None);
    assert!(rhel.unpriced_reason.as_deref().is_some_and(|r| r.contains("ec2.ondemand.rhel.m5.2xlarge")));
    assert!(rhel.current.description.ends_with(", rhel"), "{}", rhel.current.description);
    assert!(findings.iter().all(|f| f.resource.arn_or_id != "i-sql"), "no Graviton for SQL Server: {findings:#?}");
    let odd = findings.iter().find(|f| f.resource.arn_or_id == "i-odd").expect("odd finding");
    assert_eq!(odd.monthly_savings_usd, None);
    assert!(odd.unpriced_reason.as_deref().is_some_and(|r| r.contains("never as Linux")), "{:?}", odd.unpriced_reason);
    let warnings: Vec<&String> = outs.iter().flat_map(|(_, o)| &o.warnings).collect();
    assert!(warnings.iter().any(|w| w.contains("i-rhel") && w.contains("unpriced")), "{warnings:?}");
}

#[test]
fn candidates_without_a_price_are_named() {
    // A region whose book prices only the current type: the smaller m5 types have no
    // price there, so they cannot be considered — and a warning says so, naming them.
    let overrides = [("eu-test-1/ec2.ondemand.linux.m5.2xlarge".to_string(), 0.40)];
    let book =
        crate::pricing::PriceBook::embedded().with_overrides(overrides.iter().map(|(k, v)| (k, v)), 0.0).unwrap();
    let mut v = with_memory(vm("i-far", "m5.2xlarge").load(5.0, 1.0, 2.0), 10.0);
    v.region = "eu-test-1";
    let out = crate::rules::test_support::run_priced(&RIGHTSIZE, &fleet_snapshot(&[v]), "", &book);
    assert!(out.findings.is_empty(), "nothing priced to move to: {:#?}", out.findings);
    assert!(
        out.warnings.iter().any(|w| w.contains("no linux price in eu-test-1")
            && w.contains("m5.large")
            && w.contains("were not considered")),
        "{:?}",
        out.warnings
    );
}
