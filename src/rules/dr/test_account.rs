//! Hand-built accounts for the DR tests: instances (with volumes and, optionally, idle
//! hourly metrics), buckets with a latest-day size, tables, Auto Scaling groups,
//! `dr_posture` rows and declared workloads — and a price book in which us-west-2 is
//! priced like us-east-1 through `[pricing.overrides]`, as a user would supply it.

use std::collections::BTreeMap;

use crate::pricing::PriceBook;
use crate::rules::test_support::{snapshot, window_end_ms};
use crate::snapshot::builder::{Cell, FrameBuilder};
use crate::snapshot::{FrameName, Snapshot};

pub const GIB: f64 = 1_073_741_824.0;
const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 86_400_000;

pub struct Vm {
    pub id: &'static str,
    pub region: &'static str,
    pub instance_type: &'static str,
    pub asg: Option<&'static str>,
    pub tags: Vec<(&'static str, &'static str)>,
    /// (volume type, GiB) attached.
    pub disks: Vec<(&'static str, i64)>,
    /// Hourly CPU for 14 days (None: no metrics).
    pub cpu: Option<f64>,
}

pub fn vm(id: &'static str, region: &'static str, instance_type: &'static str) -> Vm {
    Vm { id, region, instance_type, asg: None, tags: vec![], disks: vec![], cpu: None }
}

impl Vm {
    pub fn asg(mut self, name: &'static str) -> Vm {
        self.asg = Some(name);
        self
    }
    pub fn tag(mut self, k: &'static str, v: &'static str) -> Vm {
        self.tags.push((k, v));
        self
    }
    pub fn disk(mut self, kind: &'static str, gib: i64) -> Vm {
        self.disks.push((kind, gib));
        self
    }
    pub fn cpu(mut self, pct: f64) -> Vm {
        self.cpu = Some(pct);
        self
    }
}

pub struct Bucket {
    pub name: &'static str,
    pub gib: f64,
    pub objects: f64,
    pub replication_dest: Option<&'static str>,
    pub tags: Vec<(&'static str, &'static str)>,
}

pub struct Table {
    pub name: &'static str,
    pub gib: f64,
    pub replicas: &'static str,
    pub pitr: bool,
    pub tags: Vec<(&'static str, &'static str)>,
}

/// One `dr_posture` row: (workload, mechanism, frequency, dest, resources, retention).
pub struct Row {
    pub workload: Option<&'static str>,
    pub mechanism: &'static str,
    pub frequency_min: Option<i64>,
    pub dest: Option<&'static str>,
    pub resources: Option<&'static str>,
    pub retention_days: Option<i64>,
}

/// One `dr_workloads` row.
pub struct Declared {
    pub name: &'static str,
    pub rto_min: Option<i64>,
    pub rpo_min: Option<i64>,
    pub primary: Option<&'static str>,
    pub dr: Option<&'static str>,
    pub resources: &'static str,
}

#[derive(Default)]
pub struct Account {
    pub vms: Vec<Vm>,
    pub buckets: Vec<Bucket>,
    pub tables: Vec<Table>,
    pub rows: Vec<Row>,
    pub declared: Vec<Declared>,
}

fn tags_json(pairs: &[(&str, &str)]) -> String {
    let map: BTreeMap<&str, &str> = pairs.iter().copied().collect();
    serde_json::to_string(&map).expect("tags")
}

impl Account {
    pub fn snapshot(&self) -> Snapshot {
        let mut frames = Vec::new();
        let instances = FrameBuilder::with_defaults(FrameName::Ec2Instances)
            .rows(self.vms.iter().map(|v| {
                [
                    ("account_id", "123456789012".into()),
                    ("region", v.region.into()),
                    ("az", format!("{}a", v.region).into()),
                    ("instance_id", v.id.into()),
                    ("instance_type", v.instance_type.into()),
                    ("platform", "linux".into()),
                    ("architecture", "x86_64".into()),
                    ("state", "running".into()),
                    ("lifecycle", "on-demand".into()),
                    ("asg_name", v.asg.into()),
                    ("tags", tags_json(&v.tags).into()),
                ]
            }))
            .and_then(FrameBuilder::finish)
            .expect("instances");
        frames.push((FrameName::Ec2Instances, instances));
        let mut volumes = FrameBuilder::with_defaults(FrameName::EbsVolumes);
        let mut n = 0;
        for v in &self.vms {
            for (kind, gib) in &v.disks {
                n += 1;
                volumes
                    .row([
                        ("volume_id", format!("vol-{n:04}").into()),
                        ("az", format!("{}a", v.region).into()),
                        ("volume_type", (*kind).into()),
                        ("size_gib", (*gib).into()),
                        ("state", "in-use".into()),
                        ("attached_instance_id", v.id.into()),
                    ])
                    .expect("volume");
            }
        }
        frames.push((FrameName::EbsVolumes, volumes.finish().expect("volumes")));
        let mut metrics = FrameBuilder::with_defaults(FrameName::Ec2MetricsHourly);
        for v in self.vms.iter().filter(|v| v.cpu.is_some()) {
            for h in 0..14 * 24 {
                let cpu = v.cpu.unwrap_or_default();
                metrics
                    .row([
                        ("instance_id", v.id.into()),
                        ("ts", Cell::ts(window_end_ms() - (14 * 24 - h) * HOUR_MS)),
                        ("cpu_avg", cpu.into()),
                        ("cpu_max", (cpu + 0.2).into()),
                        ("net_in_bytes", Cell::from(10e3)),
                        ("net_out_bytes", Cell::from(10e3)),
                    ])
                    .expect("metric");
            }
        }
        frames.push((FrameName::Ec2MetricsHourly, metrics.finish().expect("metrics")));
        let buckets = FrameBuilder::with_defaults(FrameName::S3Buckets)
            .rows(self.buckets.iter().map(|b| {
                [
                    ("account_id", "123456789012".into()),
                    ("region", "us-east-1".into()),
                    ("bucket", b.name.into()),
                    ("versioning", "Enabled".into()),
                    ("replication_dest_region", b.replication_dest.into()),
                    ("tags", tags_json(&b.tags).into()),
                ]
            }))
            .and_then(FrameBuilder::finish)
            .expect("buckets");
        frames.push((FrameName::S3Buckets, buckets));
        let storage = FrameBuilder::with_defaults(FrameName::S3StorageDaily)
            .rows(self.buckets.iter().flat_map(|b| {
                // Two days; the latest counts.
                [1, 0].map(|back| {
                    [
                        ("bucket", b.name.into()),
                        ("date", Cell::date(window_end_ms() / DAY_MS - 1 - back)),
                        ("storage_class", "STANDARD".into()),
                        ("bytes", ((b.gib * GIB) as i64 - back * 1_000_000).into()),
                        ("objects", (b.objects as i64).into()),
                    ]
                })
            }))
            .and_then(FrameBuilder::finish)
            .expect("storage");
        frames.push((FrameName::S3StorageDaily, storage));
        let tables = FrameBuilder::with_defaults(FrameName::DynamodbTables)
            .rows(self.tables.iter().map(|t| {
                [
                    ("account_id", "123456789012".into()),
                    ("region", "us-east-1".into()),
                    ("table", t.name.into()),
                    ("billing_mode", "PAY_PER_REQUEST".into()),
                    ("table_class", "STANDARD".into()),
                    ("storage_bytes", ((t.gib * GIB) as i64).into()),
                    ("pitr_enabled", t.pitr.into()),
                    ("replica_regions", t.replicas.into()),
                    ("tags", tags_json(&t.tags).into()),
                ]
            }))
            .and_then(FrameBuilder::finish)
            .expect("tables");
        frames.push((FrameName::DynamodbTables, tables));
        let rows = FrameBuilder::with_defaults(FrameName::DrPosture)
            .rows(self.rows.iter().map(|r| {
                [
                    ("workload", r.workload.into()),
                    ("mechanism", r.mechanism.into()),
                    ("detail", format!("test {}", r.mechanism).into()),
                    ("frequency_min", r.frequency_min.into()),
                    ("dest_region", r.dest.into()),
                    ("region", "us-east-1".into()),
                    ("resources", r.resources.into()),
                    ("retention_days", r.retention_days.into()),
                ]
            }))
            .and_then(FrameBuilder::finish)
            .expect("posture");
        frames.push((FrameName::DrPosture, rows));
        let declared = FrameBuilder::with_defaults(FrameName::DrWorkloads)
            .rows(self.declared.iter().map(|d| {
                [
                    ("workload", d.name.into()),
                    ("rto_target_min", d.rto_min.into()),
                    ("rpo_target_min", d.rpo_min.into()),
                    ("primary_region", d.primary.into()),
                    ("dr_region", d.dr.into()),
                    ("resources", d.resources.into()),
                ]
            }))
            .and_then(FrameBuilder::finish)
            .expect("workloads");
        frames.push((FrameName::DrWorkloads, declared));
        let mut snap = snapshot(frames);
        snap.manifest.regions = vec!["us-east-1".into(), "us-west-2".into()];
        snap
    }
}

/// The embedded book with every us-east-1 price copied to us-west-2 (their list prices
/// are equal for what these tests use), the way a user supplies a region through
/// `[pricing.overrides]`.
pub fn prices_with_west() -> PriceBook {
    let book = PriceBook::embedded();
    let overrides: Vec<(String, f64)> = book
        .items()
        .into_iter()
        .filter(|(region, _, _)| *region == "us-east-1")
        .map(|(_, key, price)| (format!("us-west-2/{key}"), price.usd))
        .collect();
    book.with_overrides(overrides.iter().map(|(k, v)| (k, v)), 0.0).expect("overrides")
}
