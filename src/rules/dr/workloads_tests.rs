//! Workloads from tags and declarations: membership across regions, targets, conflicts
//! and bad durations; and tierwise.toml's declarations overlaid onto `dr_workloads`.

use crate::rules::test_support::run_priced;

use super::Tier;
use super::declared::{Declared, with_declared};
use super::inventory::Inventory;
use super::test_account::{Account, Bucket, Declared as Row, prices_with_west, vm};
use super::workloads::resolve;

fn resolved(account: &Account) -> super::workloads::Resolution {
    resolve(&Inventory::read(&account.snapshot()).expect("inventory"))
}

#[test]
fn tags_define_a_workload_across_regions_and_infer_the_recovery_region() {
    let w = ("tierwise:workload", "shop");
    let account = Account {
        vms: vec![
            vm("i-a", "us-east-1", "m5.large").tag(w.0, w.1).tag("tierwise:rto", "1h").tag("tierwise:rpo", "15m"),
            vm("i-b", "us-east-1", "m5.large").tag(w.0, w.1),
            vm("i-dr", "us-west-2", "m5.large").tag(w.0, w.1),
        ],
        ..Account::default()
    };
    let r = resolved(&account);
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    let shop = &r.workloads[0];
    assert_eq!((shop.rto_min, shop.rpo_min), (Some(60.0), Some(15.0)));
    assert_eq!(shop.primary.as_deref(), Some("us-east-1"), "where most members run");
    assert_eq!(shop.dr.as_deref(), Some("us-west-2"), "the one other region a member runs in");
    assert!(shop.dr_inferred);
    assert_eq!(shop.members.len(), 3, "the us-west-2 instance is a member too");
}

#[test]
fn conflicting_targets_name_both_sources_and_leave_the_workload_unjudged() {
    let w = ("tierwise:workload", "shop");
    let account = Account {
        vms: vec![
            vm("i-a", "us-east-1", "m5.large").tag(w.0, w.1).tag("tierwise:rpo", "15m"),
            vm("i-b", "us-east-1", "m5.large").tag(w.0, w.1).tag("tierwise:rpo", "1h"),
        ],
        declared: vec![Row {
            name: "shop",
            rto_min: Some(60),
            rpo_min: None,
            primary: None,
            dr: Some("us-west-2"),
            resources: "",
        }],
        ..Account::default()
    };
    let r = resolved(&account);
    let c = r.workloads[0].conflict.as_deref().expect("a conflict");
    assert!(c.contains("tag tierwise:rpo on i-a says 15m") && c.contains("tag tierwise:rpo on i-b says 1h"), "{c}");
    let out = run_priced(&Tier, &account.snapshot(), "", &prices_with_west());
    assert!(out.findings.is_empty());
    assert!(out.warnings.iter().any(|w| w.contains("conflicting RPO")), "{:?}", out.warnings);

    // A declaration against a tag is a conflict too.
    let account = Account {
        vms: vec![vm("i-a", "us-east-1", "m5.large").tag(w.0, w.1).tag("tierwise:rto", "4h")],
        declared: vec![Row {
            name: "shop",
            rto_min: Some(60),
            rpo_min: Some(5),
            primary: None,
            dr: None,
            resources: "",
        }],
        ..Account::default()
    };
    let c = resolved(&account).workloads[0].conflict.clone().expect("a conflict");
    assert!(c.contains("dr_workloads row 1 says 1h") && c.contains("tag tierwise:rto on i-a says 4h"), "{c}");
}

#[test]
fn a_bad_duration_names_the_resource_and_the_tag() {
    let account = Account {
        buckets: vec![Bucket {
            name: "uploads",
            gib: 1.0,
            objects: 1.0,
            replication_dest: None,
            tags: vec![("tierwise:workload", "shop"), ("tierwise:rpo", "15 minutes")],
        }],
        ..Account::default()
    };
    let r = resolved(&account);
    assert_eq!(r.warnings.len(), 1, "{:?}", r.warnings);
    assert!(
        r.warnings[0].starts_with("S3 bucket uploads: tag tierwise:rpo = \"15 minutes\" is not a duration"),
        "{}",
        r.warnings[0]
    );
    assert_eq!(r.workloads[0].rpo_min, None);
}

#[test]
fn a_resource_claimed_twice_counts_once() {
    let account = Account {
        vms: vec![vm("i-a", "us-east-1", "m5.large").tag("tierwise:workload", "shop")],
        declared: vec![Row {
            name: "ops",
            rto_min: Some(60),
            rpo_min: Some(60),
            primary: None,
            dr: None,
            resources: "i-*",
        }],
        ..Account::default()
    };
    let r = resolved(&account);
    assert!(
        r.warnings[0].contains("belongs to workload `shop`") && r.warnings[0].contains("`ops`"),
        "{:?}",
        r.warnings
    );
    let ops = r.workloads.iter().find(|w| w.name == "ops").expect("ops");
    assert!(ops.members.is_empty());
}

#[test]
fn config_declarations_replace_snapshot_rows_of_the_same_name() {
    let account = Account {
        declared: vec![
            Row { name: "shop", rto_min: Some(60), rpo_min: Some(60), primary: None, dr: None, resources: "" },
            Row { name: "ops", rto_min: Some(5), rpo_min: Some(5), primary: None, dr: None, resources: "" },
        ],
        ..Account::default()
    };
    let ours = Declared {
        name: "shop".into(),
        rto_min: Some(240),
        rpo_min: Some(15),
        primary_region: Some("us-east-1".into()),
        dr_region: Some("us-west-2".into()),
        strategy: None,
        tags: vec!["app=shop".into()],
        resources: vec![],
        source: "tierwise.toml dr.workload[0]".into(),
    };
    let (snap, notes) = with_declared(&account.snapshot(), &[ours]).expect("overlay");
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(notes[0].contains("tierwise.toml dr.workload[0] replaces"), "{}", notes[0]);
    let inv = Inventory::read(&snap).expect("inventory");
    let names: Vec<(&str, Option<i64>)> = inv.declared.iter().map(|d| (d.name.as_str(), d.rto_min)).collect();
    assert_eq!(names, vec![("ops", Some(5)), ("shop", Some(240))]);
    let shop = inv.declared.iter().find(|d| d.name == "shop").expect("shop");
    assert_eq!(shop.selectors, vec![("app".to_string(), Some("shop".to_string()))]);
    assert_eq!(shop.source, "tierwise.toml dr.workload[0]");
}
