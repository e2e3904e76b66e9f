//! The DynamoDB collector against moto: tables, a GSI as its own capacity unit, PITR,
//! Application Auto Scaling targets and policies, hourly metrics per table and GSI
//! (account and region on every row), per-minute consumed capacity, and the calls and
//! their cost in the manifest. Metrics are seeded sparsely (one aggregated datum per
//! hour), as moto's GetMetricData is slow on dense data.

use polars::prelude::*;
use tierwise::snapshot::load::load_snapshot;
use tierwise::snapshot::{CollectorStatus, FrameName};

use crate::collect::{rows, tierwise_aws, tmpdir};
use crate::common::*;
use crate::moto;
use crate::seed;

fn strs(df: &DataFrame, c: &str) -> Vec<Option<String>> {
    df.column(c).unwrap().str().unwrap().iter().map(|v| v.map(str::to_string)).collect()
}

fn f64s(df: &DataFrame, c: &str) -> Vec<Option<f64>> {
    df.column(c).unwrap().f64().unwrap().iter().collect()
}

fn i64s(df: &DataFrame, c: &str) -> Vec<Option<i64>> {
    df.column(c).unwrap().i64().unwrap().iter().collect()
}

#[test]
fn dynamodb_collector_reads_tables_gsis_pitr_autoscaling_and_metrics() {
    let moto = moto::start();
    let end = chrono::Utc::now().timestamp() / 3600 * 3600;
    seed::runtime().block_on(async {
        let conf = seed::sdk(&moto.endpoint(), "us-east-1").await;
        seed::create_table_with_gsi(&conf, "orders", 100, 50, "by-customer", 30, 20).await;
        seed::create_table(&conf, "sessions", None).await;
        seed::enable_pitr(&conf, "orders").await;
        seed::autoscale(&conf, "table/orders", "dynamodb:table:ReadCapacityUnits", 10, 500, 70.0).await;
        seed::autoscale(&conf, "table/orders", "dynamodb:table:WriteCapacityUnits", 5, 200, 70.0).await;
        seed::autoscale(&conf, "table/orders/index/by-customer", "dynamodb:index:ReadCapacityUnits", 5, 100, 60.0)
            .await;
        let orders = [("TableName", "orders")];
        let gsi = [("TableName", "orders"), ("GlobalSecondaryIndexName", "by-customer")];
        // 48 hours: the table reads 36,000 units an hour (10 per second), its GSI 7,200 (2 per second).
        seed::put_hourly_sums(&conf, "ConsumedReadCapacityUnits", &orders, end, 48, |_| 36_000.0).await;
        seed::put_hourly_sums(&conf, "ConsumedReadCapacityUnits", &gsi, end, 48, |_| 7_200.0).await;
        seed::put_hourly(&conf, "AWS/DynamoDB", "ProvisionedReadCapacityUnits", &orders, end, 48, |_| 100.0).await;
        // sessions (on-demand): 3 throttled writes in one hour.
        seed::put_points(&conf, "WriteThrottleEvents", &[("TableName", "sessions")], &[(end - 5 * 3600 + 120, 3.0)])
            .await;
    });
    let dir = tmpdir("collect-dynamodb");
    let out = tierwise_aws(&moto.endpoint(), &["collect", "--out", dir.to_str().unwrap(), "--regions", "us-east-1"]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    let snap = load_snapshot(&dir).expect("a valid snapshot");
    let run = &snap.manifest.collectors["dynamodb/us-east-1"];
    assert_eq!(run.status, CollectorStatus::Ok, "{:?}", run.error);

    // Tables: PITR, tags, provision, and the table's own read target in autoscaling_*.
    let tables = rows(&dir, FrameName::DynamodbTables).sort(["table"], Default::default()).unwrap();
    assert_eq!(strs(&tables, "table"), [Some("orders".into()), Some("sessions".into())]);
    assert_eq!(
        tables.column("pitr_enabled").unwrap().bool().unwrap().iter().collect::<Vec<_>>(),
        [Some(true), Some(false)]
    );
    assert_eq!(strs(&tables, "billing_mode"), [Some("PROVISIONED".into()), Some("PAY_PER_REQUEST".into())]);
    assert_eq!(i64s(&tables, "provisioned_rcu"), [Some(100), None]);
    assert_eq!(i64s(&tables, "autoscaling_min"), [Some(10), None]);
    assert_eq!(f64s(&tables, "autoscaling_target"), [Some(70.0), None]);
    assert_eq!(strs(&tables, "tags")[0].as_deref(), Some("{\"team\":\"shop\"}"));

    // The GSI, its own capacity unit.
    let indexes = rows(&dir, FrameName::DynamodbIndexes);
    assert_eq!(strs(&indexes, "index"), [Some("by-customer".into())]);
    assert_eq!(
        (i64s(&indexes, "provisioned_rcu"), i64s(&indexes, "provisioned_wcu")),
        (vec![Some(30)], vec![Some(20)])
    );

    // Scalable targets with their policies' target values (70 means 70 %), table and GSI apart.
    let scaling = rows(&dir, FrameName::DynamodbAutoscaling)
        .sort(["index", "dimension"], SortMultipleOptions::default().with_nulls_last(false))
        .unwrap();
    assert_eq!(scaling.height(), 3, "{scaling}");
    assert_eq!(strs(&scaling, "index"), [None, None, Some("by-customer".into())]);
    assert_eq!(strs(&scaling, "dimension"), [Some("read".into()), Some("write".into()), Some("read".into())]);
    assert_eq!(f64s(&scaling, "target_pct"), [Some(70.0), Some(70.0), Some(60.0)]);
    assert_eq!(i64s(&scaling, "max_capacity"), [Some(500), Some(200), Some(100)]);
    assert!(strs(&scaling, "account_id").iter().all(|a| a.as_deref() == Some("123456789012")));

    // Hourly rows per unit, with account, region and index; Sum ÷ 3600 per second.
    let hourly = rows(&dir, FrameName::DynamodbMetricsHourly);
    assert!(strs(&hourly, "account_id").iter().all(|a| a.as_deref() == Some("123456789012")));
    assert!(strs(&hourly, "region").iter().all(|r| r.as_deref() == Some("us-east-1")));
    let of = |index: Option<&str>, table: &str| {
        let mut f = col("table").eq(lit(table.to_string()));
        f = match index {
            Some(i) => f.and(col("index").eq(lit(i.to_string()))),
            None => f.and(col("index").is_null()),
        };
        hourly.clone().lazy().filter(f).collect().unwrap()
    };
    let table_rows = of(None, "orders");
    assert!((46..=48).contains(&table_rows.height()), "{table_rows}");
    assert!(f64s(&table_rows, "consumed_rcu").iter().all(|v| *v == Some(10.0)), "{table_rows}");
    assert!(f64s(&table_rows, "provisioned_rcu").iter().all(|v| *v == Some(100.0)));
    let gsi_rows = of(Some("by-customer"), "orders");
    assert!(f64s(&gsi_rows, "consumed_rcu").iter().all(|v| *v == Some(2.0)), "{gsi_rows}");
    let sessions = of(None, "sessions");
    assert_eq!(i64s(&sessions, "throttled_requests"), [Some(3)]);

    // Per minute: the busy minutes of each unit (here the one datum each hour holds).
    let minute = rows(&dir, FrameName::DynamodbMetricsMinute);
    let table_arn = "arn:aws:dynamodb:us-east-1:123456789012:table/orders";
    let per_arn = |arn: &str| minute.clone().lazy().filter(col("arn").eq(lit(arn.to_string()))).collect().unwrap();
    let m = per_arn(table_arn);
    assert!((46..=48).contains(&m.height()), "{minute}");
    assert!(f64s(&m, "consumed_read_units").iter().all(|v| *v == Some(36_000.0)));
    assert!(
        f64s(&per_arn(&format!("{table_arn}/index/by-customer")), "consumed_read_units")
            .iter()
            .all(|v| *v == Some(7_200.0))
    );

    // Calls and their cost: one page each of targets and policies; 3 units' hourly series
    // (6 + 6 for orders and its GSI, 4 for on-demand sessions: 16 metrics, one call) and
    // per-minute consumed read and write of the units that consumed anything — orders and
    // its GSI, not sessions — (4 metrics, one call).
    let calls = &run.api_calls;
    assert_eq!(calls.get("application-autoscaling:DescribeScalableTargets"), Some(&1));
    assert_eq!(calls.get("application-autoscaling:DescribeScalingPolicies"), Some(&1));
    assert_eq!(calls.get("dynamodb:DescribeTable"), Some(&2));
    assert_eq!(calls.get("cloudwatch:metrics"), Some(&(16 + 4)));
    assert_eq!(calls.get("cloudwatch:GetMetricData"), Some(&2));
    // 20 metrics × $0.01 / 1,000 = $0.0002.
    assert_eq!(run.api_cost_usd, 0.0002);
    for op in calls.keys().filter(|k| !k.ends_with(":metrics")) {
        assert!(tierwise::collectors::iam::action_for(op).is_some(), "{op} is not in docs/iam-policy.json");
    }

    // The report judges nothing on 2 days of data, and says so.
    let report = tierwise(&["report", "--snapshot", dir.to_str().unwrap(), "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&report)).unwrap();
    let warnings: Vec<String> = v["warnings"].as_array().unwrap().iter().map(|w| w["message"].to_string()).collect();
    assert!(warnings.iter().any(|w| w.contains("us-east-1/orders (GSI by-customer): only")), "{warnings:#?}");
    let _ = std::fs::remove_dir_all(dir);
}

/// moto's DescribeScalableTargets hands page 2 the token of page 1 again once there are
/// more than 100 targets (2 × MaxResults 50): the collector stops instead of looping,
/// keeps what it read, and says what may be missing.
#[test]
fn moto_repeating_next_token_leaves_a_partial_collector_not_a_hang() {
    use aws_sdk_applicationautoscaling::types::{ScalableDimension, ServiceNamespace};
    let moto = moto::start();
    seed::runtime().block_on(async {
        let conf = seed::sdk(&moto.endpoint(), "us-east-1").await;
        let aas = aws_sdk_applicationautoscaling::Client::new(&conf);
        for n in 0..55 {
            for dim in ["dynamodb:table:ReadCapacityUnits", "dynamodb:table:WriteCapacityUnits"] {
                aas.register_scalable_target()
                    .service_namespace(ServiceNamespace::Dynamodb)
                    .resource_id(format!("table/t{n:02}"))
                    .scalable_dimension(ScalableDimension::from(dim))
                    .min_capacity(1)
                    .max_capacity(100)
                    .send()
                    .await
                    .expect("RegisterScalableTarget");
            }
        }
        seed::create_table(&conf, "t00", Some((5, 5))).await;
    });
    let dir = tmpdir("collect-dynamodb-aas");
    let started = std::time::Instant::now();
    let out = tierwise_aws(&moto.endpoint(), &["collect", "--out", dir.to_str().unwrap(), "--regions", "us-east-1"]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert!(started.elapsed() < std::time::Duration::from_secs(60));
    let snap = load_snapshot(&dir).unwrap();
    let run = &snap.manifest.collectors["dynamodb/us-east-1"];
    assert_eq!(run.status, CollectorStatus::Partial);
    let error = run.error.as_deref().unwrap_or_default();
    assert!(
        error.contains("DescribeScalableTargets returned the NextToken") && error.contains("may be missing"),
        "{error}"
    );
    assert_eq!(run.api_calls.get("application-autoscaling:DescribeScalableTargets"), Some(&2));
    // Pages 1 and 2 were kept: 100 of the 110 targets.
    assert_eq!(rows(&dir, FrameName::DynamodbAutoscaling).height(), 100);
    let _ = std::fs::remove_dir_all(dir);
}
