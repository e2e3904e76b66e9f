//! DynamoDB collector: ListTables, DescribeTable, DescribeContinuousBackups,
//! ListTagsOfResource, and hourly consumed/provisioned capacity and throttling.

use std::collections::{BTreeMap, HashMap};

use crate::snapshot::builder::{Cell, FrameBuilder};
use crate::snapshot::{FrameName, Window};

use super::aws::AwsContext;
use super::cloudwatch::{MetricQuery, get_metric_data};
use super::{CollectError, CollectorOutput};

pub async fn collect(ctx: &AwsContext, region: &str, window: &Window) -> Result<CollectorOutput, CollectError> {
    let client = ctx.dynamodb(region);
    let mut out = CollectorOutput::default();
    let mut names = Vec::new();
    let mut pages = client.list_tables().into_paginator().send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| CollectError::from_sdk("dynamodb:ListTables", e))?;
        names.extend(page.table_names().iter().cloned());
    }

    let mut tables = FrameBuilder::new(FrameName::DynamodbTables);
    let mut described = Vec::new();
    for name in &names {
        let desc = match client.describe_table().table_name(name).send().await {
            Ok(d) => d,
            Err(e) => {
                out.missing.push(format!("table {name}: {}", CollectError::from_sdk("dynamodb:DescribeTable", e)));
                continue;
            }
        };
        let Some(t) = desc.table() else { continue };
        let arn = t.table_arn().unwrap_or_default().to_string();
        let account = arn.split(':').nth(4).unwrap_or_default().to_string();
        let on_demand =
            t.billing_mode_summary().and_then(|b| b.billing_mode()).is_some_and(|m| m.as_str() == "PAY_PER_REQUEST");
        let throughput = t.provisioned_throughput();
        let (rcu, wcu) = if on_demand {
            (None, None)
        } else {
            (throughput.and_then(|p| p.read_capacity_units()), throughput.and_then(|p| p.write_capacity_units()))
        };
        let pitr = match client.describe_continuous_backups().table_name(name).send().await {
            Ok(b) => b
                .continuous_backups_description()
                .and_then(|c| c.point_in_time_recovery_description())
                .and_then(|p| p.point_in_time_recovery_status())
                .is_some_and(|s| s.as_str() == "ENABLED"),
            Err(e) => {
                out.missing.push(format!(
                    "PITR of {name}: {}",
                    CollectError::from_sdk("dynamodb:DescribeContinuousBackups", e)
                ));
                false
            }
        };
        let tags: BTreeMap<String, String> = match client.list_tags_of_resource().resource_arn(&arn).send().await {
            Ok(r) => r.tags().iter().map(|t| (t.key().to_string(), t.value().to_string())).collect(),
            Err(e) => {
                out.missing
                    .push(format!("tags of {name}: {}", CollectError::from_sdk("dynamodb:ListTagsOfResource", e)));
                BTreeMap::new()
            }
        };
        let replicas: Vec<&str> = t.replicas().iter().filter_map(|r| r.region_name()).collect();
        tables.row([
            ("account_id", account.into()),
            ("region", region.into()),
            ("table", name.as_str().into()),
            ("billing_mode", if on_demand { "PAY_PER_REQUEST" } else { "PROVISIONED" }.into()),
            (
                "table_class",
                t.table_class_summary().and_then(|c| c.table_class()).map(|c| c.as_str()).unwrap_or("STANDARD").into(),
            ),
            ("provisioned_rcu", rcu.into()),
            ("provisioned_wcu", wcu.into()),
            ("storage_bytes", t.table_size_bytes().unwrap_or_default().into()),
            ("item_count", t.item_count().unwrap_or_default().into()),
            ("pitr_enabled", pitr.into()),
            ("replica_regions", replicas.join(",").into()),
            ("tags", serde_json::to_string(&tags).unwrap_or_else(|_| "{}".into()).into()),
        ])?;
        described.push(name.clone());
    }
    out.frames.push((FrameName::DynamodbTables, tables.finish()?));

    match metrics(ctx, region, &described, window).await {
        Ok(df) => out.frames.push((FrameName::DynamodbMetricsHourly, df)),
        Err(e) => out.missing.push(format!("DynamoDB metrics: {e}")),
    }
    Ok(out)
}

const TABLE_SERIES: &[(&str, &str, &str)] = &[
    ("consumed_rcu", "ConsumedReadCapacityUnits", "Sum"),
    ("consumed_wcu", "ConsumedWriteCapacityUnits", "Sum"),
    ("provisioned_rcu", "ProvisionedReadCapacityUnits", "Average"),
    ("provisioned_wcu", "ProvisionedWriteCapacityUnits", "Average"),
    ("read_throttles", "ReadThrottleEvents", "Sum"),
    ("write_throttles", "WriteThrottleEvents", "Sum"),
];

async fn metrics(
    ctx: &AwsContext,
    region: &str,
    tables: &[String],
    window: &Window,
) -> Result<polars::prelude::DataFrame, CollectError> {
    let mut queries = Vec::new();
    let mut keys = Vec::new();
    for (n, table) in tables.iter().enumerate() {
        for (column, metric, stat) in TABLE_SERIES {
            queries.push(MetricQuery {
                namespace: "AWS/DynamoDB",
                metric,
                dimensions: vec![("TableName", table.clone())],
                stat,
                period_secs: 3600,
            });
            keys.push((n, *column));
        }
    }
    let cw = ctx.cloudwatch(region);
    let series = get_metric_data(&cw, &ctx.counter, &queries, window.start.timestamp(), window.end.timestamp()).await?;
    let mut by_table: Vec<BTreeMap<i64, HashMap<&str, f64>>> = vec![BTreeMap::new(); tables.len()];
    for ((n, column), points) in keys.into_iter().zip(series) {
        for (t, v) in points {
            by_table[n].entry(t).or_default().insert(column, v);
        }
    }
    let mut b = FrameBuilder::new(FrameName::DynamodbMetricsHourly);
    for (n, hours) in by_table.into_iter().enumerate() {
        for (t, v) in hours {
            let per_second = |c: &str| v.get(c).copied().unwrap_or(0.0) / 3600.0;
            let throttles =
                v.get("read_throttles").copied().unwrap_or(0.0) + v.get("write_throttles").copied().unwrap_or(0.0);
            b.row([
                ("table", tables[n].as_str().into()),
                ("ts", Cell::Ts(Some(t * 1000))),
                ("consumed_rcu", per_second("consumed_rcu").into()),
                ("consumed_wcu", per_second("consumed_wcu").into()),
                ("provisioned_rcu", Cell::F64(v.get("provisioned_rcu").copied())),
                ("provisioned_wcu", Cell::F64(v.get("provisioned_wcu").copied())),
                ("throttled_requests", (throttles.round() as i64).into()),
            ])?;
        }
    }
    Ok(b.finish()?)
}
