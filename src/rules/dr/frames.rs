//! Reading the inventory from the frames. Every frame is optional: what is absent is
//! simply not known (the rule's warnings say what that costs). Row loops run over
//! resources, never over metrics: the S3 and DynamoDB series are aggregated lazily.

use std::collections::{BTreeMap, HashMap};

use polars::prelude::*;

use crate::rules::RuleError;
use crate::rules::columns::{i64s, region_of_az, strs, tags};
use crate::snapshot::{FrameName, Snapshot};

use super::inventory::{
    BucketData, DbData, DeclaredRow, Detail, Disk, GroupData, Inventory, Kind, PostureRow, Replication, Res, Server,
    TableData, list, selector,
};

const GIB: f64 = 1_073_741_824.0;
/// Hours in the billing month.
const HOURS_PER_MONTH: f64 = 730.0;

fn f64s(df: &DataFrame, name: &str) -> Result<Vec<Option<f64>>, RuleError> {
    Ok(df.column(name)?.cast(&DataType::Float64)?.f64()?.iter().collect())
}

fn bools(df: &DataFrame, name: &str) -> Result<Vec<Option<bool>>, RuleError> {
    Ok(df.column(name)?.bool()?.iter().collect())
}

fn owned(v: Option<&str>) -> Option<String> {
    v.map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)
}

impl Inventory {
    pub fn read(snapshot: &Snapshot) -> Result<Inventory, RuleError> {
        let mut inv = Inventory { collected_regions: snapshot.manifest.regions.clone(), ..Inventory::default() };
        instances(snapshot, &mut inv)?;
        buckets(snapshot, &mut inv)?;
        tables(snapshot, &mut inv)?;
        databases(snapshot, &mut inv)?;
        groups(snapshot, &mut inv)?;
        posture(snapshot, &mut inv)?;
        declared(snapshot, &mut inv)?;
        Ok(inv)
    }
}

fn instances(snapshot: &Snapshot, inv: &mut Inventory) -> Result<(), RuleError> {
    let Some(df) = snapshot.frame(FrameName::Ec2Instances) else { return Ok(()) };
    let mut disks: HashMap<String, Vec<(String, Disk)>> = HashMap::new();
    if let Some(v) = snapshot.frame(FrameName::EbsVolumes) {
        let (ids, types, sizes, attached) =
            (strs(v, "volume_id")?, strs(v, "volume_type")?, i64s(v, "size_gib")?, strs(v, "attached_instance_id")?);
        let iops = i64s(v, "iops")?;
        for i in 0..v.height() {
            if let Some(instance) = owned(attached[i]) {
                let disk = Disk {
                    volume_type: types[i].unwrap_or("gp3").to_string(),
                    gib: sizes[i].unwrap_or(0) as f64,
                    iops: iops[i],
                };
                disks.entry(instance).or_default().push((ids[i].unwrap_or_default().to_string(), disk));
            }
        }
    }
    let (ids, accounts, regions, azs) =
        (strs(df, "instance_id")?, strs(df, "account_id")?, strs(df, "region")?, strs(df, "az")?);
    let (types, platforms, states, asgs, clusters, tag_json) = (
        strs(df, "instance_type")?,
        strs(df, "platform")?,
        strs(df, "state")?,
        strs(df, "asg_name")?,
        strs(df, "eks_cluster")?,
        strs(df, "tags")?,
    );
    for i in 0..df.height() {
        let id = ids[i].unwrap_or_default().to_string();
        let region = owned(regions[i]).unwrap_or_else(|| region_of_az(azs[i].unwrap_or_default()));
        let account = accounts[i].unwrap_or_default().to_string();
        let mut aliases = vec![id.clone(), format!("arn:aws:ec2:{region}:{account}:instance/{id}")];
        let own_disks = disks.remove(&id).unwrap_or_default();
        for (vol, _) in &own_disks {
            aliases.push(vol.clone());
            aliases.push(format!("arn:aws:ec2:{region}:{account}:volume/{vol}"));
        }
        inv.resources.push(Res {
            kind: Kind::Instance,
            id,
            aliases,
            account,
            region,
            tags: tags(tag_json[i]),
            detail: Detail::Instance(Server {
                instance_type: types[i].unwrap_or_default().to_string(),
                platform: platforms[i].unwrap_or("linux").to_ascii_lowercase(),
                running: states[i] == Some("running"),
                asg: owned(asgs[i]),
                eks: owned(clusters[i]).is_some(),
                disks: own_disks.into_iter().map(|(_, d)| d).collect(),
            }),
        });
    }
    Ok(())
}

/// A bucket's (storage class, GiB) and objects on its latest day.
type Latest = (Vec<(String, f64)>, Option<f64>);

/// Bytes by class and objects on each bucket's latest day (lazy aggregation).
fn latest_storage(snapshot: &Snapshot) -> Result<HashMap<String, Latest>, RuleError> {
    let Some(df) = snapshot.frame(FrameName::S3StorageDaily) else { return Ok(HashMap::new()) };
    let latest = df
        .clone()
        .lazy()
        .filter(col("date").eq(col("date").max().over([col("bucket")])?))
        .group_by([col("bucket"), col("storage_class")])
        .agg([col("bytes").sum(), col("objects").sum().alias("objects"), col("objects").count().alias("reported")])
        .sort(["bucket", "storage_class"], Default::default())
        .collect()?;
    let (buckets, classes, bytes, objects) =
        (strs(&latest, "bucket")?, strs(&latest, "storage_class")?, f64s(&latest, "bytes")?, f64s(&latest, "objects")?);
    let reported = f64s(&latest, "reported")?;
    let mut out: HashMap<String, Latest> = HashMap::new();
    for i in 0..latest.height() {
        let entry = out.entry(buckets[i].unwrap_or_default().to_string()).or_default();
        entry.0.push((classes[i].unwrap_or("STANDARD").to_string(), bytes[i].unwrap_or(0.0) / GIB));
        if reported[i].unwrap_or(0.0) > 0.0 {
            entry.1 = Some(entry.1.unwrap_or(0.0) + objects[i].unwrap_or(0.0));
        }
    }
    Ok(out)
}

fn buckets(snapshot: &Snapshot, inv: &mut Inventory) -> Result<(), RuleError> {
    let Some(df) = snapshot.frame(FrameName::S3Buckets) else { return Ok(()) };
    let mut storage = latest_storage(snapshot)?;
    let mut rules: HashMap<String, Vec<Replication>> = HashMap::new();
    let detailed = snapshot.frame(FrameName::S3Replication);
    if let Some(r) = detailed {
        let (bucket, status, dest, class, rtc) = (
            strs(r, "bucket")?,
            strs(r, "status")?,
            strs(r, "dest_region")?,
            strs(r, "dest_storage_class")?,
            bools(r, "rtc")?,
        );
        for i in 0..r.height() {
            if status[i].is_some_and(|s| s.eq_ignore_ascii_case("enabled")) {
                rules.entry(bucket[i].unwrap_or_default().to_string()).or_default().push(Replication {
                    dest_region: owned(dest[i]),
                    rtc: rtc[i].unwrap_or(false),
                    dest_class: owned(class[i]),
                });
            }
        }
    }
    let (names, accounts, regions, dests, tag_json) = (
        strs(df, "bucket")?,
        strs(df, "account_id")?,
        strs(df, "region")?,
        strs(df, "replication_dest_region")?,
        strs(df, "tags")?,
    );
    for i in 0..df.height() {
        let name = names[i].unwrap_or_default().to_string();
        let (classes, objects) = storage.remove(&name).unwrap_or_default();
        // The rule-level frame, when collected, is the detail; otherwise the bucket's one destination.
        let replication = match (detailed.is_some(), rules.remove(&name)) {
            (true, r) => r.unwrap_or_default(),
            (false, _) => owned(dests[i])
                .map(|d| vec![Replication { dest_region: Some(d), rtc: false, dest_class: None }])
                .unwrap_or_default(),
        };
        inv.resources.push(Res {
            kind: Kind::Bucket,
            aliases: vec![name.clone(), format!("arn:aws:s3:::{name}")],
            id: name,
            account: accounts[i].unwrap_or_default().to_string(),
            region: regions[i].unwrap_or_default().to_string(),
            tags: tags(tag_json[i]),
            detail: Detail::Bucket(BucketData { classes, objects, replication }),
        });
    }
    Ok(())
}

/// Write request units per month by table, scaled from the metric window to 730 hours.
fn writes_per_month(snapshot: &Snapshot) -> Result<HashMap<String, f64>, RuleError> {
    let Some(df) = snapshot.frame(FrameName::DynamodbMetricsHourly) else { return Ok(HashMap::new()) };
    let sums = df
        .clone()
        .lazy()
        .group_by([col("table")])
        .agg([col("consumed_wcu").sum().alias("wcu_hours"), col("ts").count().alias("hours")])
        .collect()?;
    let (tables, wcu_hours, hours) = (strs(&sums, "table")?, f64s(&sums, "wcu_hours")?, f64s(&sums, "hours")?);
    Ok((0..sums.height())
        .filter_map(|i| {
            let h = hours[i].filter(|h| *h > 0.0)?;
            // consumed_wcu is units per second averaged over each hour: × 3600 per hour.
            Some((tables[i]?.to_string(), wcu_hours[i].unwrap_or(0.0) * 3600.0 / h * HOURS_PER_MONTH))
        })
        .collect())
}

fn tables(snapshot: &Snapshot, inv: &mut Inventory) -> Result<(), RuleError> {
    let Some(df) = snapshot.frame(FrameName::DynamodbTables) else { return Ok(()) };
    let writes = writes_per_month(snapshot)?;
    let (names, accounts, regions, modes, classes) = (
        strs(df, "table")?,
        strs(df, "account_id")?,
        strs(df, "region")?,
        strs(df, "billing_mode")?,
        strs(df, "table_class")?,
    );
    let (wcu, bytes, pitr, replicas, tag_json) = (
        i64s(df, "provisioned_wcu")?,
        f64s(df, "storage_bytes")?,
        bools(df, "pitr_enabled")?,
        strs(df, "replica_regions")?,
        strs(df, "tags")?,
    );
    for i in 0..df.height() {
        let name = names[i].unwrap_or_default().to_string();
        let (region, account) =
            (regions[i].unwrap_or_default().to_string(), accounts[i].unwrap_or_default().to_string());
        inv.resources.push(Res {
            kind: Kind::Table,
            aliases: vec![name.clone(), format!("arn:aws:dynamodb:{region}:{account}:table/{name}")],
            detail: Detail::Table(TableData {
                gib: bytes[i].unwrap_or(0.0) / GIB,
                table_class: owned(classes[i]).unwrap_or_else(|| "STANDARD".into()),
                on_demand: modes[i] == Some("PAY_PER_REQUEST"),
                provisioned_wcu: wcu[i],
                writes_per_month: writes.get(&name).copied(),
                pitr: pitr[i].unwrap_or(false),
                replicas: list(replicas[i]),
            }),
            id: name,
            account,
            region,
            tags: tags(tag_json[i]),
        });
    }
    Ok(())
}

fn databases(snapshot: &Snapshot, inv: &mut Inventory) -> Result<(), RuleError> {
    let Some(df) = snapshot.frame(FrameName::RdsDatabases) else { return Ok(()) };
    let (ids, arns, accounts, regions, engines, classes) = (
        strs(df, "db_id")?,
        strs(df, "arn")?,
        strs(df, "account_id")?,
        strs(df, "region")?,
        strs(df, "engine")?,
        strs(df, "instance_class")?,
    );
    let (gib, retention, source, replicas, backups, globals, tag_json) = (
        f64s(df, "storage_gib")?,
        i64s(df, "backup_retention_days")?,
        strs(df, "replica_source")?,
        strs(df, "replica_regions")?,
        strs(df, "backup_replication_regions")?,
        strs(df, "global_regions")?,
        strs(df, "tags")?,
    );
    for i in 0..df.height() {
        let id = ids[i].unwrap_or_default().to_string();
        inv.resources.push(Res {
            kind: Kind::Database,
            aliases: vec![id.clone(), arns[i].unwrap_or_default().to_string()],
            id,
            account: accounts[i].unwrap_or_default().to_string(),
            region: regions[i].unwrap_or_default().to_string(),
            tags: tags(tag_json[i]),
            detail: Detail::Database(DbData {
                engine: engines[i].unwrap_or_default().to_string(),
                class: owned(classes[i]),
                gib: gib[i].unwrap_or(0.0),
                backup_retention_days: retention[i].unwrap_or(0),
                replica_of: owned(source[i]),
                replica_regions: list(replicas[i]),
                backup_replication_regions: list(backups[i]),
                global_regions: list(globals[i]),
            }),
        });
    }
    Ok(())
}

fn groups(snapshot: &Snapshot, inv: &mut Inventory) -> Result<(), RuleError> {
    let Some(df) = snapshot.frame(FrameName::AutoscalingGroups) else { return Ok(()) };
    let (names, accounts, regions, desired, types, members, tag_json) = (
        strs(df, "asg_name")?,
        strs(df, "account_id")?,
        strs(df, "region")?,
        i64s(df, "desired_capacity")?,
        strs(df, "instance_types")?,
        strs(df, "instance_ids")?,
        strs(df, "tags")?,
    );
    for i in 0..df.height() {
        let name = names[i].unwrap_or_default().to_string();
        let (region, account) =
            (regions[i].unwrap_or_default().to_string(), accounts[i].unwrap_or_default().to_string());
        inv.resources.push(Res {
            kind: Kind::Group,
            aliases: vec![
                name.clone(),
                format!("arn:aws:autoscaling:{region}:{account}:autoScalingGroup:*:autoScalingGroupName/{name}"),
            ],
            id: name,
            account,
            region,
            tags: tags(tag_json[i]),
            detail: Detail::Group(GroupData {
                desired: desired[i].unwrap_or(0).max(0),
                instance_types: list(types[i]),
                instance_ids: list(members[i]),
            }),
        });
    }
    Ok(())
}

fn posture(snapshot: &Snapshot, inv: &mut Inventory) -> Result<(), RuleError> {
    let Some(df) = snapshot.frame(FrameName::DrPosture) else { return Ok(()) };
    let (workloads, mechanisms, details, frequency, dest) = (
        strs(df, "workload")?,
        strs(df, "mechanism")?,
        strs(df, "detail")?,
        i64s(df, "frequency_min")?,
        strs(df, "dest_region")?,
    );
    let (regions, resources, selections, retention, data, capacity, types) = (
        strs(df, "region")?,
        strs(df, "resources")?,
        strs(df, "selection_tags")?,
        i64s(df, "retention_days")?,
        f64s(df, "data_gib")?,
        i64s(df, "capacity")?,
        strs(df, "instance_type")?,
    );
    for i in 0..df.height() {
        inv.posture.push(PostureRow {
            row: i + 1,
            workload: owned(workloads[i]),
            mechanism: mechanisms[i].unwrap_or_default().trim().to_ascii_lowercase(),
            detail: details[i].unwrap_or_default().to_string(),
            frequency_min: frequency[i],
            dest_region: owned(dest[i]),
            region: owned(regions[i]),
            resources: list(resources[i]),
            selection_tags: list(selections[i]).iter().filter_map(|s| selector(s)).collect(),
            retention_days: retention[i],
            data_gib: data[i],
            capacity: capacity[i],
            instance_type: owned(types[i]),
        });
    }
    Ok(())
}

fn declared(snapshot: &Snapshot, inv: &mut Inventory) -> Result<(), RuleError> {
    let Some(df) = snapshot.frame(FrameName::DrWorkloads) else { return Ok(()) };
    let (names, rto, rpo, primary, dr, resources) = (
        strs(df, "workload")?,
        i64s(df, "rto_target_min")?,
        i64s(df, "rpo_target_min")?,
        strs(df, "primary_region")?,
        strs(df, "dr_region")?,
        strs(df, "resources")?,
    );
    let (strategy, selectors, sources) = (strs(df, "declared_strategy")?, strs(df, "selectors")?, strs(df, "source")?);
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for i in 0..df.height() {
        let name = names[i].unwrap_or_default().trim().to_string();
        let source = owned(sources[i]).unwrap_or_else(|| format!("dr_workloads row {}", i + 1));
        if name.is_empty() {
            inv.warnings.push(format!("{source}: workload name is empty; row ignored"));
            continue;
        }
        if let Some(first) = seen.insert(name.clone(), source.clone()) {
            inv.warnings.push(format!(
                "workload `{name}` is declared twice ({first} and {source}); the second declaration is ignored"
            ));
            continue;
        }
        let mut target = |v: Option<i64>, what: &str| match v {
            Some(m) if m < 0 => {
                inv.warnings.push(format!("{source}: {what} = {m} minutes is negative; treated as no target"));
                None
            }
            other => other,
        };
        let (rto_min, rpo_min) = (target(rto[i], "rto_target_min"), target(rpo[i], "rpo_target_min"));
        inv.declared.push(DeclaredRow {
            name,
            rto_min,
            rpo_min,
            primary_region: owned(primary[i]),
            dr_region: owned(dr[i]),
            resources: list(resources[i]),
            declared_strategy: owned(strategy[i]),
            selectors: list(selectors[i]).iter().filter_map(|s| selector(s)).collect(),
            source,
        });
    }
    Ok(())
}
