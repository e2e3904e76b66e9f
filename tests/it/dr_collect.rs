//! DR posture from a real AWS-compatible server (moto), seeded through the AWS API in two
//! regions: S3 replication with RTC, DynamoDB PITR, an RDS instance with a cross-region
//! read replica, Auto Scaling groups in both regions, AWS Backup vaults and a plan with
//! a cross-region copy. moto lacks Backup selections and Elastic Disaster Recovery:
//! those collectors are honestly partial / failed here (the mocks in `dr_mocks.rs` cover
//! them), and the snapshot still reports.

use std::path::Path;
use std::process::Command;

use polars::prelude::*;
use tierwise::snapshot::{CollectorStatus, FrameName, load::load_snapshot};

use crate::common::*;
use crate::{dr_seed, moto, seed};

fn rows(dir: &Path, frame: FrameName) -> DataFrame {
    load_snapshot(dir).unwrap().frame(frame).cloned().unwrap_or_else(|| panic!("{frame} missing"))
}

fn column<'a>(df: &'a DataFrame, name: &str) -> Vec<Option<&'a str>> {
    df.column(name).unwrap().str().unwrap().iter().collect()
}

const SHOP: (&str, &str) = ("tierwise:workload", "shop");

fn seed_shop(endpoint: &str) {
    seed::runtime().block_on(async {
        let east = seed::sdk(endpoint, "us-east-1").await;
        let west = seed::sdk(endpoint, "us-west-2").await;
        dr_seed::bucket_in(
            &east,
            "shop-uploads",
            "us-east-1",
            &[SHOP, ("tierwise:rto", "1h"), ("tierwise:rpo", "15m"), ("tierwise:dr-region", "us-west-2")],
        )
        .await;
        dr_seed::bucket_in(&east, "shop-uploads-w2", "us-west-2", &[]).await;
        dr_seed::replicate_with_rtc(&east, "shop-uploads", "shop-uploads-w2").await;
        dr_seed::table_with_pitr(&east, "shop-carts", &[SHOP]).await;
        dr_seed::database_with_replica(&east, &west, "shop-db", &[SHOP]).await;
        dr_seed::group(&east, "shop-web", 2, &[SHOP]).await;
        dr_seed::group(&west, "shop-web-dr", 1, &[SHOP]).await;
        dr_seed::vault(&east, "primary").await;
        dr_seed::vault(&west, "dr").await;
        dr_seed::daily_plan_copied_west(&east, "shop-daily", &[SHOP]).await;
    });
}

#[test]
fn dr_posture_is_collected_from_moto_in_two_regions_and_judged() {
    let moto = moto::start();
    seed_shop(&moto.endpoint());
    let dir = std::env::temp_dir().join(format!("tierwise-dr-collect-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let config = std::env::temp_dir().join(format!("tierwise-dr-retries-{}.toml", std::process::id()));
    // One attempt capped at 10 s: moto sometimes takes 60 s to answer for a service it lacks (DRS).
    std::fs::write(
        &config,
        "[collect]\nmax_attempts = 2\ninitial_backoff_ms = 10\nmax_backoff_ms = 20\nattempt_timeout_secs = 10\n",
    )
    .unwrap();
    let mut cmd = Command::new(bin());
    cmd.args(["collect", "--out", dir.to_str().unwrap(), "--regions", "us-east-1,us-west-2"])
        .args(["--config", config.to_str().unwrap()])
        .env_remove("AWS_PROFILE")
        .env_remove("TIERWISE_CONFIG");
    for (k, v) in moto::aws_env(&moto.endpoint()) {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let m = load_snapshot(&dir).unwrap().manifest;

    // RDS: the instance with its retention and its replica's region, and the replica.
    let dbs =
        rows(&dir, FrameName::RdsDatabases).lazy().sort(["region", "db_id"], Default::default()).collect().unwrap();
    assert_eq!(column(&dbs, "db_id"), vec![Some("shop-db"), Some("shop-db-w2")]);
    assert_eq!(column(&dbs, "replica_regions")[0], Some("us-west-2"), "the replica is named by ARN");
    assert_eq!(dbs.column("backup_retention_days").unwrap().i64().unwrap().get(0), Some(14));
    assert_eq!(dbs.column("storage_gib").unwrap().f64().unwrap().get(0), Some(100.0));
    assert!(column(&dbs, "replica_source")[1].is_some_and(|s| s.contains("shop-db")));
    assert!(column(&dbs, "tags")[0].is_some_and(|t| t.contains("\"tierwise:workload\":\"shop\"")));

    // Auto Scaling: the fleet in us-east-1 and the standby in us-west-2, with their members.
    let groups =
        rows(&dir, FrameName::AutoscalingGroups).lazy().sort(["region"], Default::default()).collect().unwrap();
    assert_eq!(column(&groups, "asg_name"), vec![Some("shop-web"), Some("shop-web-dr")]);
    let desired: Vec<Option<i64>> = groups.column("desired_capacity").unwrap().i64().unwrap().iter().collect();
    assert_eq!(desired, vec![Some(2), Some(1)]);
    assert_eq!(column(&groups, "instance_types")[1], Some("m5.large"));
    assert_eq!(column(&groups, "instance_ids")[0].unwrap().split(',').count(), 2);

    // S3 replication with RTC, to the bucket's region.
    let repl = rows(&dir, FrameName::S3Replication);
    assert_eq!(column(&repl, "bucket"), vec![Some("shop-uploads")]);
    assert_eq!(column(&repl, "dest_region"), vec![Some("us-west-2")]);
    assert_eq!(column(&repl, "dest_storage_class"), vec![Some("STANDARD_IA")]);
    assert_eq!(repl.column("rtc").unwrap().bool().unwrap().get(0), Some(true));

    // DynamoDB PITR.
    let tables = rows(&dir, FrameName::DynamodbTables);
    assert_eq!(tables.column("pitr_enabled").unwrap().bool().unwrap().get(0), Some(true));

    // AWS Backup: the plan's rule, read as daily, copied to us-west-2. (moto answers the
    // Rust SDK's ListTags path, `/tags/{arn}` without the trailing slash botocore sends,
    // with no tags, so the plan's tierwise:workload tag is not seen here; the mocks test
    // the attribution.)
    let posture = rows(&dir, FrameName::DrPosture);
    let plans = posture.clone().lazy().filter(col("mechanism").eq(lit("backup-plan"))).collect().unwrap();
    assert_eq!(plans.height(), 1, "{posture}");
    assert_eq!(column(&plans, "workload"), vec![None]);
    assert_eq!(plans.column("frequency_min").unwrap().i64().unwrap().get(0), Some(1440));
    assert_eq!(plans.column("retention_days").unwrap().i64().unwrap().get(0), Some(35));
    assert_eq!(column(&plans, "dest_region"), vec![Some("us-west-2")]);
    assert_eq!(column(&plans, "region"), vec![Some("us-east-1")]);
    assert!(
        column(&plans, "detail")[0]
            .is_some_and(|d| d.contains("shop-daily/daily35") && d.contains("90 d in us-west-2"))
    );

    // What moto cannot serve is named, and the rest is ok.
    for region in ["us-east-1", "us-west-2"] {
        for ok in ["rds", "autoscaling"] {
            let run = &m.collectors[&format!("{ok}/{region}")];
            assert_eq!(run.status, CollectorStatus::Ok, "{ok}/{region}: {:?}", run.error);
        }
        let drs = &m.collectors[&format!("drs/{region}")];
        assert_eq!(drs.status, CollectorStatus::Failed);
        assert!(drs.error.as_deref().unwrap().contains("drs:DescribeSourceServers"), "{:?}", drs.error);
    }
    let backup = &m.collectors["backup/us-east-1"];
    assert_eq!(backup.status, CollectorStatus::Partial);
    assert!(backup.error.as_deref().unwrap().contains("selections of plan shop-daily: backup:ListBackupSelections"));
    assert_eq!(m.collectors["backup/us-west-2"].status, CollectorStatus::Ok);
    for op in m.api_calls().keys().filter(|k| !k.ends_with(":metrics")) {
        assert!(tierwise::collectors::iam::action_for(op).is_some(), "{op} is not in docs/iam-policy.json");
    }

    // The snapshot reports: `shop` (targets from the bucket's tags) is judged. Its carts
    // table has PITR only, in us-east-1, and no selection of the plan is readable: no copy
    // in us-west-2 → breached, whatever runs there.
    let report = tierwise(&["report", "--snapshot", dir.to_str().unwrap(), "--format", "json"]);
    assert_eq!(report.status.code(), Some(0), "{}", stderr(&report));
    let v: serde_json::Value = serde_json::from_str(&stdout(&report)).unwrap();
    let dr: Vec<&serde_json::Value> =
        v["findings"].as_array().unwrap().iter().filter(|f| f["rule"] == "dr.tier").collect();
    assert_eq!(dr.len(), 1, "{:#?}", v["warnings"]);
    assert_eq!(dr[0]["resource"]["arn_or_id"], "dr-workload/shop");
    assert_eq!(dr[0]["severity"], "high");
    let current = dr[0]["current"]["description"].as_str().unwrap();
    assert!(current.starts_with("breached: no copy in the recovery region"), "{current}");
    let status =
        v["warnings"].as_array().unwrap().iter().find(|w| w["message"].as_str().unwrap().starts_with("DR status"));
    assert!(status.is_some_and(|w| w["message"].as_str().unwrap().contains("shop breached")), "{:#?}", v["warnings"]);
    let rationale = dr[0]["rationale"].as_str().unwrap();
    assert!(rationale.contains("S3 replication to us-west-2 with Replication Time Control"), "{rationale}");
    assert!(rationale.contains("read replica in us-west-2"), "{rationale}");
    assert!(rationale.contains("no copy in us-west-2 of: shop-carts"), "{rationale}");
    assert!(rationale.contains("1 instance(s) running in us-west-2"), "the standby group's member: {rationale}");
    let _ = std::fs::remove_dir_all(dir);
}
