//! RDS collector: DescribeDBInstances, DescribeDBClusters and DescribeGlobalClusters →
//! `rds_databases` (one row per DB instance outside a cluster, one per cluster), with
//! what matters for DR: backup retention, read replicas and the regions they run in,
//! automated backups replicated to other regions, and Aurora global databases.

use std::collections::{BTreeMap, HashMap};

use crate::snapshot::FrameName;
use crate::snapshot::builder::FrameBuilder;

use super::aws::AwsContext;
use super::backup::arn_region;
use super::{CollectError, CollectorOutput};

/// The region of a replica named by ARN (cross-region) or by bare id (same region).
fn replica_region(id: &str, own: &str) -> String {
    if id.starts_with("arn:") { arn_region(id).unwrap_or_else(|| own.to_string()) } else { own.to_string() }
}

fn regions(list: impl IntoIterator<Item = String>, own: &str) -> String {
    let mut v: Vec<String> = list.into_iter().filter(|r| r != own).collect();
    v.sort();
    v.dedup();
    v.join(",")
}

fn tags_json(tags: &[aws_sdk_rds::types::Tag]) -> String {
    let map: BTreeMap<&str, &str> =
        tags.iter().filter_map(|t| Some((t.key()?, t.value().unwrap_or_default()))).collect();
    serde_json::to_string(&map).unwrap_or_else(|_| "{}".into())
}

pub async fn collect(ctx: &AwsContext, region: &str) -> Result<CollectorOutput, CollectError> {
    read(&ctx.rds(region), region).await
}

/// The collector's work on one client (tests hand it a mocked one).
pub async fn read(client: &aws_sdk_rds::Client, region: &str) -> Result<CollectorOutput, CollectError> {
    let mut out = CollectorOutput::default();
    let mut instances = Vec::new();
    let mut pages = client.describe_db_instances().into_paginator().send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| CollectError::from_sdk("rds:DescribeDBInstances", e))?;
        instances.extend(page.db_instances().iter().cloned());
    }
    let mut clusters = Vec::new();
    let mut pages = client.describe_db_clusters().into_paginator().send();
    while let Some(page) = pages.next().await {
        match page {
            Ok(p) => clusters.extend(p.db_clusters().iter().cloned()),
            Err(e) => {
                out.missing.push(format!("clusters: {}", CollectError::from_sdk("rds:DescribeDBClusters", e)));
                break;
            }
        }
    }
    // Global database membership: cluster ARN → (global id, member regions).
    let mut globals: HashMap<String, (String, Vec<String>)> = HashMap::new();
    let mut pages = client.describe_global_clusters().into_paginator().send();
    while let Some(page) = pages.next().await {
        match page {
            Ok(p) => {
                for g in p.global_clusters() {
                    let id = g.global_cluster_identifier().unwrap_or_default().to_string();
                    let members: Vec<String> = g
                        .global_cluster_members()
                        .iter()
                        .filter_map(|m| m.db_cluster_arn())
                        .map(str::to_string)
                        .collect();
                    let member_regions: Vec<String> = members.iter().filter_map(|a| arn_region(a)).collect();
                    for m in members {
                        globals.insert(m, (id.clone(), member_regions.clone()));
                    }
                }
            }
            Err(e) => {
                out.missing
                    .push(format!("global databases: {}", CollectError::from_sdk("rds:DescribeGlobalClusters", e)));
                break;
            }
        }
    }

    let mut b = FrameBuilder::new(FrameName::RdsDatabases);
    let class_of: HashMap<&str, &str> =
        instances.iter().filter_map(|i| Some((i.db_instance_identifier()?, i.db_instance_class()?))).collect();
    for c in &clusters {
        let arn = c.db_cluster_arn().unwrap_or_default();
        let writer = c
            .db_cluster_members()
            .iter()
            .find(|m| m.is_cluster_writer() == Some(true))
            .or(c.db_cluster_members().first());
        let class = c
            .db_cluster_instance_class()
            .or_else(|| writer.and_then(|w| w.db_instance_identifier()).and_then(|w| class_of.get(w).copied()));
        let (global, global_regions) = match globals.get(arn) {
            Some((id, rs)) => (Some(id.clone()), regions(rs.iter().cloned(), region)),
            None => (c.global_cluster_identifier().map(str::to_string), String::new()),
        };
        let engine = c.engine().unwrap_or_default();
        // Aurora reports AllocatedStorage 1: its volume size is not in the API (0 = unknown).
        let gib = if engine.starts_with("aurora") { 0.0 } else { c.allocated_storage().unwrap_or(0) as f64 };
        b.row([
            ("account_id", arn.split(':').nth(4).unwrap_or_default().into()),
            ("region", region.into()),
            ("db_id", c.db_cluster_identifier().unwrap_or_default().into()),
            ("arn", arn.into()),
            ("kind", "cluster".into()),
            ("engine", engine.into()),
            ("instance_class", class.map(str::to_string).into()),
            ("instance_count", (c.db_cluster_members().len().max(1) as i64).into()),
            ("storage_gib", gib.into()),
            ("multi_az", c.multi_az().unwrap_or(false).into()),
            ("backup_retention_days", (c.backup_retention_period().unwrap_or(0) as i64).into()),
            ("replica_source", c.replication_source_identifier().map(str::to_string).into()),
            (
                "replica_regions",
                regions(c.read_replica_identifiers().iter().map(|r| replica_region(r, region)), region).into(),
            ),
            ("backup_replication_regions", "".into()),
            ("global_cluster", global.into()),
            ("global_regions", global_regions.into()),
            ("tags", tags_json(c.tag_list()).into()),
        ])?;
    }
    for i in instances.iter().filter(|i| i.db_cluster_identifier().is_none()) {
        let arn = i.db_instance_arn().unwrap_or_default();
        let replicas = i.read_replica_db_instance_identifiers().iter().map(|r| replica_region(r, region));
        let backups = i
            .db_instance_automated_backups_replications()
            .iter()
            .filter_map(|r| r.db_instance_automated_backups_arn())
            .filter_map(arn_region);
        b.row([
            ("account_id", arn.split(':').nth(4).unwrap_or_default().into()),
            ("region", region.into()),
            ("db_id", i.db_instance_identifier().unwrap_or_default().into()),
            ("arn", arn.into()),
            ("kind", "instance".into()),
            ("engine", i.engine().unwrap_or_default().into()),
            ("instance_class", i.db_instance_class().map(str::to_string).into()),
            ("instance_count", 1i64.into()),
            ("storage_gib", (i.allocated_storage().unwrap_or(0) as f64).into()),
            ("multi_az", i.multi_az().unwrap_or(false).into()),
            ("backup_retention_days", (i.backup_retention_period().unwrap_or(0) as i64).into()),
            ("replica_source", i.read_replica_source_db_instance_identifier().map(str::to_string).into()),
            ("replica_regions", regions(replicas, region).into()),
            ("backup_replication_regions", regions(backups, region).into()),
            ("global_cluster", Option::<String>::None.into()),
            ("global_regions", "".into()),
            ("tags", tags_json(i.tag_list()).into()),
        ])?;
    }
    out.frames.push((FrameName::RdsDatabases, b.finish()?));
    Ok(out)
}
