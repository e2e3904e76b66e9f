//! Live collection against a real AWS-compatible server (moto), seeded through the
//! AWS API, plus faults injected by a proxy in front of it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use polars::prelude::*;
use tierwise::snapshot::{CollectorStatus, FrameName, load::load_snapshot};

use crate::common::*;
use crate::fault_proxy::{Fault, FaultProxy};
use crate::moto;
use crate::seed;

const SECRET: &str = "tierwise-test-secret-do-not-print";

fn tmpdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tierwise-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// Run tierwise against `endpoint` with moto's fake credentials.
fn tierwise_aws(endpoint: &str, args: &[&str]) -> Output {
    let mut cmd = Command::new(bin());
    cmd.args(args).current_dir(env!("CARGO_MANIFEST_DIR")).env_remove("AWS_PROFILE").env_remove("TIERWISE_CONFIG");
    for (k, v) in moto::aws_env(endpoint) {
        cmd.env(k, v);
    }
    cmd.output().expect("run tierwise")
}

fn fast_retries() -> PathBuf {
    let path = std::env::temp_dir().join(format!("tierwise-fast-retries-{}.toml", std::process::id()));
    std::fs::write(&path, "[collect]\nmax_attempts = 4\ninitial_backoff_ms = 10\nmax_backoff_ms = 50\n").unwrap();
    path
}

fn rows(dir: &Path, frame: FrameName) -> DataFrame {
    load_snapshot(dir).unwrap().frame(frame).cloned().unwrap_or_else(|| panic!("{frame} missing"))
}

fn ce_month(service: &str, usage_type: &str, cost: f64) -> serde_json::Value {
    serde_json::json!({ "ResultsByTime": [{
        "TimePeriod": { "Start": "2026-08-01", "End": "2026-09-01" },
        "Total": {},
        "Groups": [{ "Keys": [service, usage_type], "Metrics": {
            "UnblendedCost": { "Amount": cost.to_string(), "Unit": "USD" },
            "UsageQuantity": { "Amount": "730", "Unit": "Hrs" } } }],
        "Estimated": false }] })
}

/// Seed a small account: 3 instances (one with 14 days of hourly CPU), 2 volumes, 2 buckets, 2 tables.
fn seed_account(endpoint: &str) {
    let rt = seed::runtime();
    rt.block_on(async {
        let conf = seed::sdk(endpoint, "us-east-1").await;
        let mut ids = seed::run_instances(&conf, "m5.2xlarge", 1, &[("Name", "web-1"), ("team", "shop")]).await;
        ids.extend(seed::run_instances(&conf, "t2.medium", 1, &[("Name", "batch")]).await);
        ids.extend(seed::run_instances(&conf, "c5.xlarge", 1, &[("aws:autoscaling:groupName", "api-asg")]).await);
        seed::create_volume(&conf, "gp2", 500).await;
        seed::create_volume(&conf, "io1", 200).await;
        seed::create_bucket(&conf, "logs-archive", false, &[("team", "data")]).await;
        seed::put_lifecycle_abort_multipart(&conf, "logs-archive", 7).await;
        seed::create_bucket(&conf, "assets", true, &[]).await;
        seed::create_table(&conf, "orders", Some((100, 50))).await;
        seed::create_table(&conf, "sessions", None).await;
        let end = chrono::Utc::now().timestamp() / 3600 * 3600;
        let id = ids[0].clone();
        seed::put_hourly(&conf, "AWS/EC2", "CPUUtilization", &[("InstanceId", &id)], end, 14 * 24, |h| {
            5.0 + 3.0 * ((h % 24) as f64 / 24.0 * std::f64::consts::TAU).sin()
        })
        .await;
        // 10 days of daily S3 storage metrics for logs-archive: 2 TiB in STANDARD, growing.
        let today = chrono::Utc::now().timestamp() / 86_400 * 86_400;
        let bucket = [("BucketName", "logs-archive"), ("StorageType", "StandardStorage")];
        seed::put_daily(&conf, "AWS/S3", "BucketSizeBytes", &bucket, today, 10, |d| {
            (2u64 << 40) as f64 + d as f64 * 1e9
        })
        .await;
        let objects = [("BucketName", "logs-archive"), ("StorageType", "AllStorageTypes")];
        seed::put_daily(&conf, "AWS/S3", "NumberOfObjects", &objects, today, 10, |_| 800_000.0).await;
        seed::put_hourly(
            &conf,
            "AWS/DynamoDB",
            "ConsumedReadCapacityUnits",
            &[("TableName", "orders")],
            end,
            48,
            |_| 36_000.0,
        )
        .await;
    });
    let months = [ce_month("Amazon Elastic Compute Cloud - Compute", "USE1-BoxUsage:m5.2xlarge", 280.32)];
    seed::seed_cost_explorer(
        endpoint,
        &serde_json::json!({ "results": [months[0].clone(), months[0].clone(), months[0].clone()] }),
    );
}

/// moto 5.2 does not implement ListBucketIntelligentTieringConfigurations or
/// ListBucketMetricsConfigurations (it answers with a ListObjects body), so against moto
/// the S3 collector is honestly `partial`, naming exactly those two reads per bucket.
fn assert_moto_s3_gaps_only(run: &tierwise::snapshot::CollectorRun) {
    assert_eq!(run.status, CollectorStatus::Partial, "{:?}", run.error);
    let error = run.error.as_deref().unwrap_or_default();
    for part in error.split("; ") {
        assert!(
            part.contains("intelligent-tiering: s3:ListBucketIntelligentTieringConfigurations")
                || part.contains("request metrics: s3:ListBucketMetricsConfigurations"),
            "unexpected S3 gap: {part}"
        );
    }
}

#[test]
fn collect_from_moto_writes_a_valid_snapshot_that_reports() {
    let moto = moto::start();
    seed_account(&moto.endpoint());
    let dir = tmpdir("collect");
    let out = tierwise_aws(&moto.endpoint(), &["collect", "--out", dir.to_str().unwrap(), "--regions", "us-east-1"]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));

    let snap = load_snapshot(&dir).expect("a valid snapshot");
    let m = &snap.manifest;
    assert_eq!(m.accounts, vec!["123456789012".to_string()]);
    for name in ["ec2/us-east-1", "dynamodb/us-east-1", "cost-explorer"] {
        let run = m.collectors.get(name).unwrap_or_else(|| panic!("{name} in manifest: {:?}", m.collectors.keys()));
        assert_eq!(run.status, CollectorStatus::Ok, "{name}: {:?}", run.error);
        assert!(!run.api_calls.is_empty(), "{name} counted its calls");
    }
    assert_moto_s3_gaps_only(&m.collectors["s3"]);
    let ec2_calls = &m.collectors["ec2/us-east-1"].api_calls;
    assert_eq!(ec2_calls.get("ec2:DescribeInstances"), Some(&1));
    // 3 instances × 6 series = 18 metrics: one GetMetricData call (≤ 500 queries per call).
    assert_eq!(ec2_calls.get("cloudwatch:GetMetricData"), Some(&1));
    assert_eq!(ec2_calls.get("cloudwatch:metrics"), Some(&18));

    // Specs of the types seen and every candidate, read with DescribeInstanceTypes.
    let types = rows(&dir, FrameName::Ec2InstanceTypes)
        .lazy()
        .filter(col("instance_type").eq(lit("m5.2xlarge")).or(col("instance_type").eq(lit("m7g.large"))))
        .sort(["instance_type"], Default::default())
        .collect()
        .unwrap();
    assert_eq!(types.column("vcpus").unwrap().i64().unwrap().iter().flatten().collect::<Vec<_>>(), vec![8, 2]);
    assert_eq!(types.column("architectures").unwrap().str().unwrap().get(1), Some("arm64"));
    assert!(ec2_calls.get("ec2:DescribeInstanceTypes").is_some_and(|n| *n >= 1));

    let instances = rows(&dir, FrameName::Ec2Instances);
    assert_eq!(instances.height(), 3);
    let asg = instances.column("asg_name").unwrap().str().unwrap().iter().flatten().collect::<Vec<_>>();
    assert_eq!(asg, vec!["api-asg"]);
    let metrics = rows(&dir, FrameName::Ec2MetricsHourly);
    assert!(metrics.height() >= 14 * 24 - 2, "hourly CPU of web-1: {} rows", metrics.height());
    let volumes = rows(&dir, FrameName::EbsVolumes);
    assert_eq!(volumes.height(), 3 + 2, "3 root volumes (moto attaches one per instance) + 2 created");
    let buckets = rows(&dir, FrameName::S3Buckets);
    assert_eq!(buckets.height(), 2);
    let versioning: Vec<&str> = buckets.column("versioning").unwrap().str().unwrap().iter().flatten().collect();
    assert_eq!(versioning, vec!["Disabled", "Enabled"], "logs-archive then assets, in ListBuckets order");
    let abort = buckets.column("abort_incomplete_multipart_days").unwrap().i64().unwrap().iter().collect::<Vec<_>>();
    assert_eq!(abort, vec![Some(7), None]);
    // The seeded daily S3 metrics arrive as STANDARD rows with the object count.
    let storage = rows(&dir, FrameName::S3StorageDaily)
        .lazy()
        .filter(col("bucket").eq(lit("logs-archive")))
        .sort(["date"], Default::default())
        .collect()
        .unwrap();
    assert_eq!(storage.height(), 10, "{storage}");
    let bytes: Vec<i64> = storage.column("bytes").unwrap().i64().unwrap().iter().flatten().collect();
    assert_eq!(bytes[0], 2i64 << 40);
    assert_eq!(bytes[9], (2i64 << 40) + 9_000_000_000);
    let classes: Vec<&str> = storage.column("storage_class").unwrap().str().unwrap().iter().flatten().collect();
    assert!(classes.iter().all(|c| *c == "STANDARD"));
    assert_eq!(storage.column("objects").unwrap().i64().unwrap().get(0), Some(800_000));
    let tables = rows(&dir, FrameName::DynamodbTables);
    let modes: Vec<&str> = tables.column("billing_mode").unwrap().str().unwrap().iter().flatten().collect();
    assert!(modes.contains(&"PROVISIONED") && modes.contains(&"PAY_PER_REQUEST"), "{modes:?}");
    let spend = rows(&dir, FrameName::SpendMonthly);
    assert!(spend.height() >= 1);

    let manifest_text = std::fs::read_to_string(dir.join("manifest.json")).unwrap();
    assert!(!manifest_text.contains(SECRET) && !stderr(&out).contains(SECRET), "credentials never written");

    // The snapshot reports: the two unattached volumes are findings (they were created
    // seconds ago, so the rule's 7-day minimum age is lowered for the test).
    let young = std::env::temp_dir().join(format!("tierwise-young-{}.toml", std::process::id()));
    std::fs::write(&young, "[rules.\"ebs.unattached\"]\nmin_age_days = 0\n").unwrap();
    let report = tierwise(&[
        "report",
        "--snapshot",
        dir.to_str().unwrap(),
        "--format",
        "json",
        "--config",
        young.to_str().unwrap(),
    ]);
    assert_eq!(report.status.code(), Some(0), "{}", stderr(&report));
    let v: serde_json::Value = serde_json::from_str(&stdout(&report)).unwrap();
    let unattached = v["findings"].as_array().unwrap().iter().filter(|f| f["rule"] == "ebs.unattached").count();
    assert_eq!(unattached, 2);
    assert!(v["cost_of_analysis"]["api_calls_by_service"]["ec2:DescribeInstances"].as_u64() == Some(1));
    assert!(!stdout(&report).contains(SECRET));

    // Every call made is a read-only call listed in the IAM policy.
    for op in m.api_calls().keys().filter(|k| !k.ends_with(":metrics")) {
        assert!(tierwise::collectors::iam::action_for(op).is_some(), "{op} is not in docs/iam-policy.json");
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn cost_explorer_months_are_cached_between_runs() {
    let moto = moto::start();
    seed_account(&moto.endpoint());
    let (a, b) = (tmpdir("ce-a"), tmpdir("ce-b"));
    let cache_env = moto::aws_env(&moto.endpoint()).into_iter().find(|(k, _)| *k == "XDG_CACHE_HOME").unwrap().1;
    let _ = std::fs::remove_dir_all(&cache_env);
    for dir in [&a, &b] {
        let out =
            tierwise_aws(&moto.endpoint(), &["collect", "--out", dir.to_str().unwrap(), "--regions", "us-east-1"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    }
    let calls = |d: &Path| {
        load_snapshot(d).unwrap().manifest.collectors["cost-explorer"].api_calls.get("ce:GetCostAndUsage").copied()
    };
    assert_eq!(calls(&a), Some(3), "first run pays for 3 months");
    assert_eq!(calls(&b), None, "second run reads all 3 from the cache");
    assert_eq!(rows(&a, FrameName::SpendMonthly), rows(&b, FrameName::SpendMonthly));
}

#[test]
fn faults_are_retried_or_reported_and_the_others_carry_on() {
    let moto = moto::start();
    seed_account(&moto.endpoint());
    let proxy =
        FaultProxy::start(moto.port, |r, nth| match (r.service.as_str(), r.operation.as_str(), r.region.as_str()) {
            // Throttled twice, then fine: retried.
            ("ec2", "DescribeInstances", "us-east-1") if nth <= 2 => Fault::Throttle,
            // Two 500s, then fine: retried.
            ("monitoring", "GetMetricData", _) if nth <= 2 => Fault::ServerError,
            // Access denied in one region only.
            ("ec2", _, "us-west-2") => Fault::AccessDenied,
            // DynamoDB is down everywhere.
            ("dynamodb", _, _) => Fault::Drop,
            _ => Fault::Forward,
        });
    let dir = tmpdir("faults");
    let config = fast_retries();
    let started = Instant::now();
    let out = tierwise_aws(
        &proxy.endpoint(),
        &[
            "collect",
            "--out",
            dir.to_str().unwrap(),
            "--regions",
            "us-east-1,us-west-2",
            "--config",
            config.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "a partial collection still writes a snapshot: {}", stderr(&out));
    assert!(started.elapsed() < Duration::from_secs(60));
    let m = load_snapshot(&dir).unwrap().manifest;

    let east = &m.collectors["ec2/us-east-1"];
    assert_eq!(east.status, CollectorStatus::Ok, "{:?}", east.error);
    assert_eq!(
        proxy.count("ec2", "DescribeInstances"),
        3 + 1,
        "2 throttled + 1 ok in us-east-1, 1 denied in us-west-2"
    );
    assert_eq!(east.api_calls.get("ec2:DescribeInstances"), Some(&1), "retries are attempts, not calls");

    let west = &m.collectors["ec2/us-west-2"];
    assert_eq!(west.status, CollectorStatus::Failed);
    assert!(west.error.as_deref().unwrap().contains("UnauthorizedOperation"), "{:?}", west.error);

    for region in ["us-east-1", "us-west-2"] {
        let ddb = &m.collectors[&format!("dynamodb/{region}")];
        assert_eq!(ddb.status, CollectorStatus::Failed, "dynamodb down");
        assert!(ddb.error.as_deref().unwrap().contains("dynamodb:ListTables"), "{:?}", ddb.error);
    }
    assert_moto_s3_gaps_only(&m.collectors["s3"]);

    // The report names exactly what is missing.
    let report = tierwise(&["report", "--snapshot", dir.to_str().unwrap(), "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&report)).unwrap();
    let warnings: Vec<String> =
        v["warnings"].as_array().unwrap().iter().map(|w| format!("{}: {}", w["source"], w["message"])).collect();
    for needle in ["collector ec2/us-west-2", "collector dynamodb/us-east-1", "collector dynamodb/us-west-2"] {
        assert!(warnings.iter().any(|w| w.contains(needle)), "{needle} not in {warnings:#?}");
    }
    assert!(!warnings.iter().any(|w| w.contains("collector ec2/us-east-1")));
    assert_eq!(v["source"]["coverage"]["ec2/us-west-2"], "failed");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn no_credentials_fails_fast_with_advice() {
    // An IMDS endpoint that accepts connections and never answers: the worst case.
    let blackhole = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let imds = format!("http://127.0.0.1:{}", blackhole.local_addr().unwrap().port());
    let started = Instant::now();
    let out = Command::new(bin())
        .args(["report", "--live", "--regions", "us-east-1"])
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", std::env::temp_dir())
        .env("AWS_CONFIG_FILE", "/nonexistent/tierwise")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/tierwise")
        .env("AWS_EC2_METADATA_SERVICE_ENDPOINT", &imds)
        .output()
        .unwrap();
    let elapsed = started.elapsed();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(elapsed < Duration::from_secs(5), "took {elapsed:?}");
    assert!(err.contains("no AWS credentials") && err.contains("--demo") && err.contains("--snapshot"), "{err}");
    drop(blackhole);
}

#[test]
fn iam_policy_file_lists_exactly_what_the_code_can_call() {
    let file = std::fs::read_to_string(repo("docs/iam-policy.json")).unwrap_or_default();
    let generated = tierwise::collectors::iam::policy_json();
    if file != generated {
        if std::env::var_os("TIERWISE_UPDATE_DOCS").is_some() {
            std::fs::write(repo("docs/iam-policy.json"), &generated).unwrap();
        } else {
            panic!("docs/iam-policy.json is out of date; run `TIERWISE_UPDATE_DOCS=1 cargo test --test it iam`");
        }
    }
    let policy: serde_json::Value = serde_json::from_str(&generated).unwrap();
    for action in policy["Statement"][0]["Action"].as_array().unwrap() {
        let name = action.as_str().unwrap().split(':').nth(1).unwrap();
        assert!(["Describe", "List", "Get"].iter().any(|p| name.starts_with(p)), "{action} is not read-only");
    }
}
