//! `dr.tier` with the expected dollars written as arithmetic. Prices: us-east-1 list
//! (embedded), us-west-2 priced the same through overrides (`prices_with_west`):
//! m5.xlarge 0.192 and m5.large 0.096 USD/hour (730 hours), gp3 0.08 /GB-month, EBS
//! snapshots 0.05, AWS Backup warm storage for S3 0.05 /GB-month, S3 STANDARD 0.023
//! /GB-month, PUT 0.005 per 1,000, S3 replication transfer 0.02 /GB, RTC 0.015 /GB,
//! inter-region transfer 0.02 /GB. Default assumptions: 2 %/day changed, 35-day
//! retention, restore 200 GiB/h, provisioning 60 min, pilot-light start 30, warm
//! scale-out 10, failover 5, copy lag 60, S3 replication RPO without RTC 120 minutes.

use crate::report::Severity;
use crate::rules::ec2::Idle;
use crate::rules::test_support::{assert_usd, run, run_priced, savings};

use super::Tier;
use super::test_account::{Account, Bucket, Declared, Row, Table, prices_with_west, vm};

/// Days in the 730-hour month.
const DPM: f64 = 730.0 / 24.0;

fn declared(name: &'static str, rto: i64, rpo: i64) -> Declared {
    Declared {
        name,
        rto_min: Some(rto),
        rpo_min: Some(rpo),
        primary: Some("us-east-1"),
        dr: Some("us-west-2"),
        resources: "",
    }
}

/// Back office, active/active: a 2 × m5.xlarge web group in us-east-1 and the same in
/// us-west-2, a 500 GiB bucket replicated to us-west-2 (no RTC).
fn back_office(rto: i64, rpo: i64) -> Account {
    let t = ("tierwise:workload", "backoffice");
    Account {
        vms: vec![
            vm("i-bo1", "us-east-1", "m5.xlarge").asg("bo-web").tag(t.0, t.1).disk("gp3", 20),
            vm("i-bo2", "us-east-1", "m5.xlarge").asg("bo-web").tag(t.0, t.1).disk("gp3", 20),
            vm("i-bo-dr1", "us-west-2", "m5.xlarge").asg("bo-web-dr").tag(t.0, t.1).disk("gp3", 20).cpu(0.5),
            vm("i-bo-dr2", "us-west-2", "m5.xlarge").asg("bo-web-dr").tag(t.0, t.1).disk("gp3", 20).cpu(0.5),
        ],
        buckets: vec![Bucket {
            name: "bo-reports",
            gib: 500.0,
            objects: 500_000.0,
            replication_dest: Some("us-west-2"),
            tags: vec![t],
        }],
        declared: vec![declared("backoffice", rto, rpo)],
        ..Account::default()
    }
}

#[test]
fn active_active_back_office_with_a_day_of_rto_saves_by_backup_and_restore() {
    let snap = back_office(24 * 60, 4 * 60).snapshot();
    let out = run_priced(&Tier, &snap, "", &prices_with_west());
    assert_eq!(out.findings.len(), 1, "{:#?}", out.warnings);
    let f = &out.findings[0];
    assert_eq!(f.resource.arn_or_id, "dr-workload/backoffice");
    assert!(f.current.description.starts_with("met: multi-site active/active"), "{}", f.current.description);
    assert!(f.recommended.description.starts_with("backup & restore"), "{}", f.recommended.description);

    // Now: replica of the bucket 500 GB × 0.023 = 11.50; replication transfer
    // 500 × 2 % × 30.42 days = 304.17 GB × 0.02 = 6.08; replica PUTs: 500 GiB in 500,000
    // objects is 1,000 objects per GiB, so 304,167 PUTs × 0.005 / 1000 = 1.52; standby
    // 2 × 730 h × 0.192 = 280.32 and 2 × 20 GB gp3 × 0.08 = 3.20 → 302.62.
    let written = 500.0 * 0.02 * DPM;
    let now = 500.0 * 0.023 + written * 0.02 + written * 1000.0 * 0.005 / 1000.0 + 2.0 * 730.0 * 0.192 + 40.0 * 0.08;
    assert_usd(f.current.monthly_cost_usd.unwrap(), now);
    assert_usd(now, 302.62);

    // Backup & restore: backups every 3 h (3 h + 1 h copy lag = the 4 h RPO). S3 backups
    // are incremental: 500 × (1 + 2 % × 35) = 850 GB kept in us-east-1 × 0.05 = 42.50,
    // the same again as copies in us-west-2 = 42.50, copy transfer 304.17 GB × 0.02 =
    // 6.08, the web group's image: 20 GB of snapshot × 0.05 = 1.00.
    let br = 850.0 * 0.05 * 2.0 + written * 0.02 + 20.0 * 0.05;
    assert_usd(f.recommended.monthly_cost_usd.unwrap(), br);
    assert_usd(br, 92.08);
    assert_usd(savings(f), now - br);
    assert_usd(savings(f), 210.54);
    assert_eq!(f.severity, Severity::High);
    assert!(f.recommended.description.contains("RPO 4h"), "{}", f.recommended.description);
    // RTO: 5 min failover + 60 provisioning + 500 GiB ÷ 200 GiB/h = 150 min → 3h35m.
    assert!(f.recommended.description.contains("RTO 3h35m"), "{}", f.recommended.description);
    assert!(f.rationale.contains("keeps AWS Backup copies of every data store in us-west-2"), "{}", f.rationale);
    assert!(f.actions.iter().any(|a| a.text.contains("aws backup create-backup-plan")));

    // The ladder: now + the four strategies; backup & restore is the cheapest that meets.
    let crate::report::Chart::Ladder { rungs, target_rpo_min, target_rto_min, .. } = &f.evidence.charts[0] else {
        panic!("a ladder");
    };
    assert_eq!((*target_rpo_min, *target_rto_min), (240.0, 1440.0));
    assert_eq!(rungs.len(), 5);
    assert!(rungs[0].current && rungs[0].label == "now: multi-site", "{}", rungs[0].label);
    assert!(rungs.iter().skip(1).all(|r| r.meets_target), "every strategy meets a 4 h / 24 h target");
    // Pilot light: daily backups as above (92.08) + replication 11.50 + 6.08 + 1.52 = 111.19.
    assert_usd(rungs[2].monthly_cost_usd.unwrap(), br + 500.0 * 0.023 + written * 0.02 + written * 0.005);
}

/// Checkout: a 4 × m5.large web group, a 200 GiB upload bucket, nightly AWS Backup
/// copied to us-west-2 — and a 15-minute RPO and RTO.
fn checkout() -> Account {
    let t = ("tierwise:workload", "checkout");
    let web = |id| vm(id, "us-east-1", "m5.large").asg("web").tag(t.0, t.1).disk("gp3", 16);
    Account {
        vms: vec![web("i-w1"), web("i-w2"), web("i-w3"), web("i-w4")],
        buckets: vec![Bucket {
            name: "checkout-uploads",
            gib: 200.0,
            objects: 100_000.0,
            replication_dest: None,
            tags: vec![t],
        }],
        rows: vec![Row {
            workload: None,
            mechanism: "backup-plan",
            frequency_min: Some(1440),
            dest: Some("us-west-2"),
            resources: Some("arn:aws:s3:::checkout-uploads"),
            retention_days: Some(35),
        }],
        declared: vec![declared("checkout", 15, 15)],
        ..Account::default()
    }
}

#[test]
fn checkout_on_nightly_backups_breaches_and_warm_standby_is_the_cost_to_fix() {
    let out = run_priced(&Tier, &checkout().snapshot(), "", &prices_with_west());
    let f = &out.findings[0];
    // Nightly backup copied cross-region: RPO 1440 + 60 = 1500 min; RTO 5 + 60 provisioning
    // + 200 GiB ÷ 200 GiB/h = 60 → 125 min.
    assert!(
        f.current.description.starts_with("breached: backup & restore (RPO 1d1h, RTO 2h5m"),
        "{}",
        f.current.description
    );
    // Now: 200 × 1.7 = 340 GB kept × 0.05 in each region = 17.00 + 17.00; copy transfer
    // 200 × 2 % × 30.42 = 121.67 GB × 0.02 = 2.43 → 36.43.
    let written = 200.0 * 0.02 * DPM;
    let now = 340.0 * 0.05 * 2.0 + written * 0.02;
    assert_usd(f.current.monthly_cost_usd.unwrap(), now);
    assert_usd(now, 36.43);
    // Backup & restore cannot (hourly + 1 h lag = 2 h), pilot light reaches RPO 15 min with
    // RTC but RTO 5 + 30 = 35 min; warm standby: RTO 5 + 10 = 15 min. Its cost: the same
    // daily backups 36.43 + image 16 GB × 0.05 = 0.80 + replica 200 × 0.023 = 4.60 +
    // replication 121.67 GB × (0.02 + 0.015 RTC) = 4.26 + PUTs (2 MiB objects: 121.67 GiB
    // → 60,833 PUTs) × 0.005 / 1000 = 0.30 + ceil(4 × 25 %) = 1 × m5.large 730 × 0.096 =
    // 70.08 + 16 GB gp3 × 0.08 = 1.28 → 117.76.
    assert!(f.recommended.description.starts_with("warm standby (RPO 15m, RTO 15m)"), "{}", f.recommended.description);
    let warm = now + 16.0 * 0.05 + 200.0 * 0.023 + written * 0.035 + written * 500.0 * 0.005 / 1000.0 + 70.08 + 1.28;
    assert_usd(f.recommended.monthly_cost_usd.unwrap(), warm);
    assert_usd(warm, 117.76);
    // The cost to fix: negative savings, severity high whatever its size.
    assert_usd(savings(f), now - warm);
    assert_usd(savings(f), -81.32);
    assert_eq!(f.severity, Severity::High);
    assert!(f.rationale.contains("the cost to fix"), "{}", f.rationale);
    assert!(
        f.actions[0].text.contains("S3 replication of checkout-uploads to us-west-2 with Replication Time Control")
    );
    assert!(f.actions[0].text.contains("1 × m5.large running in us-west-2"), "{}", f.actions[0].text);
}

#[test]
fn a_workload_at_its_cheapest_compliant_strategy_gets_no_finding() {
    // Reports: 100 GiB bucket, nightly backup copied to us-west-2; RPO 2 days, RTO 4 h.
    // Backup & restore is what it has and the cheapest strategy meeting both.
    let t = ("tierwise:workload", "reports");
    let account = Account {
        buckets: vec![Bucket { name: "reports", gib: 100.0, objects: 1000.0, replication_dest: None, tags: vec![t] }],
        rows: vec![Row {
            workload: Some("reports"),
            mechanism: "backup-plan",
            frequency_min: Some(1440),
            dest: Some("us-west-2"),
            resources: None,
            retention_days: None,
        }],
        declared: vec![declared("reports", 240, 2 * 1440)],
        ..Account::default()
    };
    let out = run_priced(&Tier, &account.snapshot(), "", &prices_with_west());
    assert!(out.findings.is_empty(), "{:#?}", out.findings);
    let status = out.warnings.iter().find(|w| w.starts_with("DR status")).expect("status line");
    assert!(status.contains("reports met (at its cheapest compliant strategy)"), "{status}");
}

#[test]
fn workloads_without_targets_get_one_warning() {
    let account = Account {
        vms: vec![vm("i-s1", "us-east-1", "m5.large").tag("tierwise:workload", "search")],
        tables: vec![Table {
            name: "jobs",
            gib: 1.0,
            replicas: "",
            pitr: false,
            tags: vec![("tierwise:workload", "batch")],
        }],
        ..Account::default()
    };
    let out = run(&Tier, &account.snapshot(), "");
    assert!(out.findings.is_empty());
    let w: Vec<&String> = out.warnings.iter().filter(|w| w.contains("without both an RTO and an RPO")).collect();
    assert_eq!(w.len(), 1, "{:#?}", out.warnings);
    assert!(w[0].starts_with("2 workload(s)") && w[0].contains("batch, search"), "{}", w[0]);
}

#[test]
fn the_standby_fleet_is_not_flagged_idle_and_is_priced_once() {
    // The back office's us-west-2 instances run at 0.5 % CPU: idle by any definition.
    let mut account = back_office(24 * 60, 4 * 60);
    account.vms.push(vm("i-lonely", "us-east-1", "m5.large").cpu(0.5));
    let snap = account.snapshot();
    let idle = run(&Idle, &snap, "");
    let flagged: Vec<&str> = idle.findings.iter().map(|f| f.resource.arn_or_id.as_str()).collect();
    assert_eq!(flagged, vec!["i-lonely"], "only the instance that is not DR capacity");
    let note = idle.warnings.iter().find(|w| w.contains("bo-web-dr")).expect("a note on the standby group");
    assert!(note.contains("standby capacity of DR workload `backoffice`"), "{note}");
    // The DR finding is the one that claims those instance-hours (2 × 730 h × 0.192 in "now").
    let dr = run_priced(&Tier, &snap, "", &prices_with_west());
    assert!(dr.findings[0].actions.iter().any(|a| a.text.contains("standby i-bo-dr1 in us-west-2: 1 × m5.xlarge")));
}

#[test]
fn without_us_west_2_prices_the_finding_is_unpriced_and_names_what_is_missing() {
    let out = run(&Tier, &back_office(24 * 60, 4 * 60).snapshot(), "");
    let f = &out.findings[0];
    assert_eq!(f.monthly_savings_usd, None);
    let why = f.unpriced_reason.as_deref().unwrap_or_default();
    assert!(
        why.contains("us-west-2/ec2.ondemand.linux.m5.xlarge") && why.contains("us-west-2/backup.s3.gb_month"),
        "{why}"
    );
    assert_eq!(why.matches("us-west-2/backup.s3.gb_month").count(), 1, "each missing price once: {why}");
    // Still ranked (us-east-1 list prices): the same recommendation.
    assert!(f.recommended.description.starts_with("backup & restore"));
}
