//! Tables and their global secondary indexes: ListTables, then per table (a few at a
//! time) DescribeTable, DescribeContinuousBackups and ListTagsOfResource.

use std::collections::BTreeMap;

use futures_util::StreamExt;

use crate::collectors::{CollectError, CollectorOutput};
use crate::snapshot::FrameName;
use crate::snapshot::builder::{Cell, FrameBuilder};

use super::Unit;
use super::autoscaling::{Dimension, Settings, Target};

/// Tables described at once (DescribeTable and friends are free but rate-limited).
const CONCURRENT_TABLES: usize = 8;

/// One described table: its row, its GSI rows, and its capacity units.
struct Described {
    table_row: [(&'static str, Cell); 16],
    index_rows: Vec<[(&'static str, Cell); 8]>,
    units: Vec<Unit>,
    missing: Vec<String>,
}

/// Every table name of the region (ListTables, paginated).
pub async fn list(client: &aws_sdk_dynamodb::Client) -> Result<Vec<String>, CollectError> {
    let mut names = Vec::new();
    let mut pages = client.list_tables().into_paginator().send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| CollectError::from_sdk("dynamodb:ListTables", e))?;
        names.extend(page.table_names().iter().cloned());
    }
    Ok(names)
}

/// Describe `names` into `dynamodb_tables` and `dynamodb_indexes` (the table's own
/// scalable targets summarised in its `autoscaling_*` columns); returns the capacity
/// units (each table, then each of its GSIs).
pub async fn collect(
    client: &aws_sdk_dynamodb::Client,
    region: &str,
    names: Vec<String>,
    settings: Option<&Settings>,
    out: &mut CollectorOutput,
) -> Result<Vec<Unit>, CollectError> {
    let described: Vec<Result<Option<Described>, String>> = futures_util::stream::iter(names)
        .map(|name| {
            let (client, region) = (client.clone(), region.to_string());
            let scaling = settings.and_then(|s| table_scaling(s, &name));
            async move { describe(&client, &region, &name, scaling).await }
        })
        .buffered(CONCURRENT_TABLES)
        .collect()
        .await;
    let mut tables = FrameBuilder::new(FrameName::DynamodbTables);
    let mut indexes = FrameBuilder::new(FrameName::DynamodbIndexes);
    let mut units = Vec::new();
    for d in described {
        match d {
            Ok(Some(d)) => {
                tables.row(d.table_row)?;
                for row in d.index_rows {
                    indexes.row(row)?;
                }
                units.extend(d.units);
                out.missing.extend(d.missing);
            }
            Ok(None) => {}
            Err(missing) => out.missing.push(missing),
        }
    }
    out.frames.push((FrameName::DynamodbTables, tables.finish()?));
    out.frames.push((FrameName::DynamodbIndexes, indexes.finish()?));
    Ok(units)
}

/// The table's own scalable target for the `autoscaling_*` columns: reads, else writes.
fn table_scaling(settings: &Settings, table: &str) -> Option<Target> {
    let own =
        |d: Dimension| settings.targets.iter().find(|t| t.table == table && t.index.is_none() && t.dimension == d);
    own(Dimension::Read).or_else(|| own(Dimension::Write)).cloned()
}

async fn describe(
    client: &aws_sdk_dynamodb::Client,
    region: &str,
    name: &str,
    scaling: Option<Target>,
) -> Result<Option<Described>, String> {
    let desc = client
        .describe_table()
        .table_name(name)
        .send()
        .await
        .map_err(|e| format!("table {name}: {}", CollectError::from_sdk("dynamodb:DescribeTable", e)))?;
    let Some(t) = desc.table() else { return Ok(None) };
    let mut missing = Vec::new();
    let arn = t.table_arn().unwrap_or_default().to_string();
    let account = arn.split(':').nth(4).unwrap_or_default().to_string();
    let pitr = match client.describe_continuous_backups().table_name(name).send().await {
        Ok(b) => b
            .continuous_backups_description()
            .and_then(|c| c.point_in_time_recovery_description())
            .and_then(|p| p.point_in_time_recovery_status())
            .is_some_and(|s| s.as_str() == "ENABLED"),
        Err(e) => {
            missing
                .push(format!("PITR of {name}: {}", CollectError::from_sdk("dynamodb:DescribeContinuousBackups", e)));
            false
        }
    };
    let tags = tags(client, name, &arn, &mut missing).await;
    let on_demand =
        t.billing_mode_summary().and_then(|b| b.billing_mode()).is_some_and(|m| m.as_str() == "PAY_PER_REQUEST");
    let (rcu, wcu) =
        capacity(on_demand, t.provisioned_throughput().map(|p| (p.read_capacity_units(), p.write_capacity_units())));
    let replicas: Vec<&str> = t.replicas().iter().filter_map(|r| r.region_name()).collect();
    let class = t.table_class_summary();
    let table_row = [
        ("account_id", account.clone().into()),
        ("region", region.into()),
        ("table", name.into()),
        ("billing_mode", if on_demand { "PAY_PER_REQUEST" } else { "PROVISIONED" }.into()),
        ("table_class", class.and_then(|c| c.table_class()).map(|c| c.as_str()).unwrap_or("STANDARD").into()),
        ("provisioned_rcu", rcu.into()),
        ("provisioned_wcu", wcu.into()),
        ("autoscaling_min", scaling.as_ref().map(|s| s.min).into()),
        ("autoscaling_max", scaling.as_ref().map(|s| s.max).into()),
        ("autoscaling_target", scaling.as_ref().and_then(|s| s.target_pct).into()),
        ("storage_bytes", t.table_size_bytes().unwrap_or_default().into()),
        ("item_count", t.item_count().unwrap_or_default().into()),
        ("pitr_enabled", pitr.into()),
        ("replica_regions", replicas.join(",").into()),
        ("tags", serde_json::to_string(&tags).unwrap_or_else(|_| "{}".into()).into()),
        (
            "table_class_updated_at",
            Cell::Ts(class.and_then(|c| c.last_update_date_time()).and_then(|d| d.to_millis().ok())),
        ),
    ];
    let mut units =
        vec![Unit { account: account.clone(), table: name.to_string(), index: None, arn: arn.clone(), on_demand }];
    let mut index_rows = Vec::new();
    for gsi in t.global_secondary_indexes() {
        let Some(index) = gsi.index_name() else { continue };
        let (rcu, wcu) = capacity(
            on_demand,
            gsi.provisioned_throughput().map(|p| (p.read_capacity_units(), p.write_capacity_units())),
        );
        index_rows.push([
            ("account_id", account.clone().into()),
            ("region", region.into()),
            ("table", name.into()),
            ("index", index.into()),
            ("provisioned_rcu", rcu.into()),
            ("provisioned_wcu", wcu.into()),
            ("storage_bytes", gsi.index_size_bytes().unwrap_or_default().into()),
            ("item_count", gsi.item_count().unwrap_or_default().into()),
        ]);
        // moto leaves IndexArn out; AWS's form is the table ARN + /index/<name>.
        let index_arn = gsi.index_arn().map(str::to_string).unwrap_or_else(|| format!("{arn}/index/{index}"));
        units.push(Unit {
            account: account.clone(),
            table: name.to_string(),
            index: Some(index.to_string()),
            arn: index_arn,
            on_demand,
        });
    }
    Ok(Some(Described { table_row, index_rows, units, missing }))
}

/// Provisioned (read, write) units; none for on-demand tables (whose throughput reads 0/0).
fn capacity(on_demand: bool, throughput: Option<(Option<i64>, Option<i64>)>) -> (Option<i64>, Option<i64>) {
    match throughput {
        Some((r, w)) if !on_demand => (r, w),
        _ => (None, None),
    }
}

/// Every tag of the table (ListTagsOfResource pages by 10 tags).
async fn tags(
    client: &aws_sdk_dynamodb::Client,
    name: &str,
    arn: &str,
    missing: &mut Vec<String>,
) -> BTreeMap<String, String> {
    let mut tags = BTreeMap::new();
    let mut token: Option<String> = None;
    loop {
        match client.list_tags_of_resource().resource_arn(arn).set_next_token(token.clone()).send().await {
            Ok(r) => {
                tags.extend(r.tags().iter().map(|t| (t.key().to_string(), t.value().to_string())));
                match r.next_token() {
                    Some(next) if Some(next) != token.as_deref() => token = Some(next.to_string()),
                    _ => break,
                }
            }
            Err(e) => {
                missing.push(format!("tags of {name}: {}", CollectError::from_sdk("dynamodb:ListTagsOfResource", e)));
                break;
            }
        }
    }
    tags
}
