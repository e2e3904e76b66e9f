//! One workload as the model sees it: the data stores to protect (outside the recovery
//! region), the compute that serves it, and what already runs in the recovery region.

use std::collections::BTreeMap;

use crate::pricing::PriceBook;

use super::inventory::{Detail, Disk, Inventory, PostureRow, Res};
use super::workloads::Workload;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum StoreKind {
    /// A standalone EC2 instance's EBS volumes (stateful).
    Server,
    Bucket,
    Table,
    Database,
}

impl StoreKind {
    /// AWS Backup warm-storage item of the kind.
    pub fn backup_key(self, res: &Res) -> &'static str {
        match (self, &res.detail) {
            (StoreKind::Server, _) => "backup.ebs.gb_month",
            (StoreKind::Bucket, _) => "backup.s3.gb_month",
            (StoreKind::Table, _) => "backup.dynamodb.gb_month",
            (StoreKind::Database, Detail::Database(d)) if d.engine.starts_with("aurora") => "backup.aurora.gb_month",
            (StoreKind::Database, _) => "backup.rds.gb_month",
        }
    }

    /// DynamoDB backups are full copies each time; EBS, S3 and RDS backups are incremental.
    pub fn full_copies(self) -> bool {
        self == StoreKind::Table
    }
}

/// Data to protect.
#[derive(Debug, Clone)]
pub struct Store<'a> {
    pub res: &'a Res,
    pub kind: StoreKind,
    pub gib: f64,
}

impl Store<'_> {
    pub fn label(&self) -> String {
        match self.kind {
            StoreKind::Server => format!("EBS of {}", self.res.id),
            _ => self.res.id.clone(),
        }
    }
}

/// Running instances alike in type, platform and role.
#[derive(Debug, Clone)]
pub struct ComputeGroup {
    pub instance_type: String,
    pub platform: String,
    pub count: usize,
    pub vcpus_each: f64,
    /// Average disks per instance (type, GiB).
    pub disks_each: Vec<Disk>,
    /// Members of Auto Scaling / EKS node groups: rebuilt from images, scaled as a fleet.
    pub stateless: bool,
}

/// What runs in the recovery region now.
#[derive(Debug, Clone, Default)]
pub struct Standby<'a> {
    /// Running member instances there.
    pub instances: Vec<&'a Res>,
    /// Member Auto Scaling groups there.
    pub groups: Vec<&'a Res>,
    /// `standby-capacity` / `active-active` rows of the workload.
    pub rows: Vec<&'a PostureRow>,
}

#[derive(Debug, Clone)]
pub struct Footprint<'a> {
    pub workload: &'a Workload,
    pub dr: String,
    pub stores: Vec<Store<'a>>,
    pub compute: Vec<ComputeGroup>,
    /// Distinct Auto Scaling / node groups serving the workload (one image each to keep in the recovery region).
    pub images: Vec<(String, f64)>,
    pub standby: Standby<'a>,
    /// Posture rows that concern the workload (attributed to it, or selecting a member).
    pub rows: Vec<&'a PostureRow>,
    pub notes: Vec<String>,
}

impl Footprint<'_> {
    pub fn data_gib(&self) -> f64 {
        self.stores.iter().map(|s| s.gib).sum()
    }

    pub fn primary_vcpus(&self) -> f64 {
        self.compute.iter().map(|g| g.count as f64 * g.vcpus_each).sum()
    }

    pub fn has_compute(&self) -> bool {
        !self.compute.is_empty()
    }

    /// Whether a posture row applies to a store: it names the store, or it names no
    /// resource and belongs to this workload.
    pub fn covers(&self, row: &PostureRow, store: &Store) -> bool {
        row.selects(store.res) || (row.whole_workload() && row.workload.as_deref() == Some(self.workload.name.as_str()))
    }

    /// The backups a store already has: the shortest interval (daily when a plan does not
    /// say) and the longest retention (None when no plan says) of the plans covering it.
    /// The modelled strategies keep them, so a recommendation never changes a backup
    /// policy the targets do not need changed.
    pub fn existing_backup(&self, store: &Store) -> Option<(f64, Option<f64>)> {
        let plans: Vec<&&PostureRow> =
            self.rows.iter().filter(|r| r.mechanism == "backup-plan" && self.covers(r, store)).collect();
        if plans.is_empty() {
            return None;
        }
        let interval =
            plans.iter().map(|r| r.frequency_min.filter(|f| *f > 0).unwrap_or(1440) as f64).fold(f64::MAX, f64::min);
        let retention = plans.iter().filter_map(|r| r.retention_days.filter(|d| *d > 0)).max().map(|d| d as f64);
        Some((interval, retention))
    }
}

pub fn vcpus(prices: &PriceBook, instance_type: &str) -> f64 {
    prices.instance(instance_type).map(|s| s.vcpus as f64).unwrap_or(1.0)
}

/// (region, instance type, platform, stateless) → (running count, their disks).
type GroupKey = (String, String, String, bool);

pub fn footprint<'a>(inv: &'a Inventory, w: &'a Workload, dr: &str, prices: &PriceBook) -> Footprint<'a> {
    let mut stores = Vec::new();
    let mut groups: BTreeMap<GroupKey, (usize, Vec<Disk>)> = BTreeMap::new();
    let mut images: BTreeMap<String, f64> = BTreeMap::new();
    let mut standby = Standby::default();
    let mut notes = Vec::new();
    for &i in &w.members {
        let res = &inv.resources[i];
        let in_dr = res.region == dr;
        match &res.detail {
            Detail::Instance(s) if in_dr => {
                if s.running {
                    standby.instances.push(res);
                }
            }
            Detail::Group(_) if in_dr => standby.groups.push(res),
            Detail::Group(_) => {}
            Detail::Instance(s) => {
                if !s.stateless() {
                    stores.push(Store { res, kind: StoreKind::Server, gib: s.disk_gib() });
                }
                if s.stateless() {
                    let name = s.asg.clone().unwrap_or_else(|| format!("node group of {}", res.id));
                    let root = s.disks.first().map(|d| d.gib).unwrap_or(0.0);
                    let slot = images.entry(name).or_insert(0.0);
                    *slot = slot.max(root);
                }
                if s.running {
                    let key = (res.region.clone(), s.instance_type.clone(), s.platform.clone(), s.stateless());
                    let entry = groups.entry(key).or_default();
                    entry.0 += 1;
                    entry.1.extend(s.disks.iter().cloned());
                }
            }
            _ if in_dr => {} // a replica or destination in the recovery region is posture, not data
            Detail::Bucket(b) => stores.push(Store { res, kind: StoreKind::Bucket, gib: b.gib() }),
            Detail::Table(t) => stores.push(Store { res, kind: StoreKind::Table, gib: t.gib }),
            Detail::Database(d) if d.replica_of.is_some() => notes.push(format!(
                "{} is a read replica of {}: a copy, not data to protect",
                res.id,
                d.replica_of.as_deref().unwrap_or("?")
            )),
            Detail::Database(d) => stores.push(Store { res, kind: StoreKind::Database, gib: d.gib }),
        }
    }
    // A server whose volumes were not collected: the disks Elastic Disaster Recovery replicates.
    for s in stores.iter_mut().filter(|s| s.kind == StoreKind::Server && s.gib == 0.0) {
        if let Some(g) =
            inv.posture.iter().filter(|p| p.mechanism == "drs" && p.selects(s.res)).find_map(|p| p.data_gib)
        {
            s.gib = g;
        }
    }
    if stores.iter().any(|s| s.gib == 0.0) {
        let zero: Vec<String> = stores.iter().filter(|s| s.gib == 0.0).map(|s| s.label()).collect();
        notes.push(format!("no size known for {} (counted as 0 GiB)", zero.join(", ")));
    }
    let compute = groups
        .into_iter()
        .map(|((_region, instance_type, platform, stateless), (count, disks))| ComputeGroup {
            vcpus_each: vcpus(prices, &instance_type),
            disks_each: average_disks(&disks, count),
            instance_type,
            platform,
            count,
            stateless,
        })
        .collect();
    // Rows naming the workload, or selecting a member (exact ids looked up, wildcards and tags scanned).
    let aliases: std::collections::HashSet<&str> =
        w.members.iter().flat_map(|&m| inv.resources[m].aliases.iter().map(String::as_str)).collect();
    let selects_member = |p: &PostureRow| {
        p.resources.iter().any(|r| {
            if r.contains('*') {
                w.members.iter().any(|&m| inv.resources[m].answers_to(r))
            } else {
                aliases.contains(r.as_str())
            }
        }) || (!p.selection_tags.is_empty() && w.members.iter().any(|&m| p.selects(&inv.resources[m])))
    };
    let rows: Vec<&PostureRow> = inv
        .posture
        .iter()
        .enumerate()
        .filter(|(i, p)| w.posture.contains(i) || selects_member(p))
        .map(|(_, p)| p)
        .collect();
    standby.rows = rows
        .iter()
        .copied()
        .filter(|p| matches!(p.mechanism.as_str(), "standby-capacity" | "active-active"))
        .filter(|p| p.dest_region.as_deref().is_none_or(|d| d == dr))
        .collect();
    Footprint {
        workload: w,
        dr: dr.to_string(),
        stores,
        compute,
        images: images.into_iter().collect(),
        standby,
        rows,
        notes,
    }
}

/// Disks of `count` instances averaged per instance, by volume type.
fn average_disks(disks: &[Disk], count: usize) -> Vec<Disk> {
    let mut by_type: BTreeMap<&str, (f64, i64)> = BTreeMap::new();
    for d in disks {
        let slot = by_type.entry(d.volume_type.as_str()).or_default();
        slot.0 += d.gib;
        slot.1 += d.iops.unwrap_or(0);
    }
    let n = count.max(1) as f64;
    by_type
        .into_iter()
        .map(|(t, (gib, iops))| Disk {
            volume_type: t.to_string(),
            gib: gib / n,
            iops: (iops > 0).then(|| (iops as f64 / n).round() as i64),
        })
        .collect()
}
