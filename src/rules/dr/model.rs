//! What each strategy would achieve and cost for one workload, set up the standard way:
//!
//! - every strategy keeps AWS Backup of every data store with cross-region copies (a
//!   replica copies corruption too, and a downgrade must never leave the only copy of
//!   the data behind), and the images of rebuilt groups in the recovery region;
//! - backup & restore backs up on the longest schedule that meets the RPO (interval +
//!   copy lag), restores everything on failover: RTO = failover + provisioning + data ÷
//!   restore throughput;
//! - pilot light replicates every store continuously (S3 replication — with RTC when the
//!   RPO needs it —, DynamoDB global tables, RDS read replicas / Aurora global databases,
//!   Elastic Disaster Recovery for stateful servers) and runs no compute;
//! - warm standby adds a running copy at `warm_standby_scale_pct` of each fleet (stateful
//!   servers one for one, replicating at the application level instead of DRS);
//! - multi-site runs the full fleet in the recovery region.

use super::bill::Bill;
use super::costs::{Pricer, Schedule};
use super::duration::format_minutes;
use super::footprint::{Footprint, StoreKind};
use super::inventory::Detail;
use super::settings::{BACKUP_INTERVALS_MIN, S3_RTC_RPO_MIN};
use super::strategy::Strategy;

/// One strategy, modelled for one workload.
#[derive(Debug, Clone)]
pub struct Plan {
    pub strategy: Strategy,
    pub rpo_min: f64,
    pub rto_min: f64,
    pub bill: Bill,
    /// Backup schedule of a backup & restore plan.
    pub backup_interval_min: f64,
    /// Whether S3 replication needs Replication Time Control to meet the RPO.
    pub rtc: bool,
    /// What to set up, one item per mechanism.
    pub setup: Vec<String>,
}

impl Plan {
    pub fn meets(&self, rpo_target: f64, rto_target: f64) -> bool {
        self.rpo_min <= rpo_target + 1e-9 && self.rto_min <= rto_target + 1e-9
    }

    /// How far it falls short of the targets, minutes (0 when it meets both).
    pub fn shortfall(&self, rpo_target: f64, rto_target: f64) -> f64 {
        (self.rpo_min - rpo_target).max(0.0) + (self.rto_min - rto_target).max(0.0)
    }
}

/// The longest standard backup interval whose RPO in the recovery region (interval + copy
/// lag) meets the target; hourly when none does.
pub fn backup_interval(rpo_target: f64, copy_lag: f64) -> f64 {
    BACKUP_INTERVALS_MIN.iter().copied().filter(|i| i + copy_lag <= rpo_target + 1e-9).fold(60.0, f64::max)
}

pub fn plan(fp: &Footprint, p: &Pricer, strategy: Strategy, rpo_target: f64) -> Plan {
    let a = p.a;
    let dr = fp.dr.as_str();
    let mut bill = Bill::default();
    let mut setup = Vec::new();
    let interval = match strategy {
        Strategy::BackupRestore => backup_interval(rpo_target, a.copy_lag_min),
        _ => 1440.0,
    };
    if !fp.stores.is_empty() {
        let when = match strategy {
            Strategy::BackupRestore => format!("every {}", format_minutes(interval)),
            _ => "on the current schedules (daily where there is none)".to_string(),
        };
        setup.push(format!(
            "AWS Backup of {} {when}, with a copy action to a vault in {dr}; retention as now ({} days where no \
             plan sets one)",
            fp.stores.iter().map(|s| s.label()).collect::<Vec<_>>().join(", "),
            a.backup_retention_days
        ));
    }
    for s in &fp.stores {
        // Keep the store's own backup policy where it has one (backup & restore sets the
        // schedule its RPO needs).
        let existing = fp.existing_backup(s);
        let sched = Schedule {
            interval_min: match strategy {
                Strategy::BackupRestore => interval,
                _ => existing.map(|e| e.0).unwrap_or(1440.0),
            },
            retention_days: existing.and_then(|e| e.1).unwrap_or(a.backup_retention_days),
        };
        p.backup(&mut bill, s, &s.res.region, sched, Some(dr));
    }
    for (group, root) in &fp.images {
        p.image(&mut bill, group, *root, dr);
    }
    if !fp.images.is_empty() {
        setup.push(format!(
            "images (AMIs) and launch templates of {} copied to {dr}",
            fp.images.iter().map(|(g, _)| g.as_str()).collect::<Vec<_>>().join(", ")
        ));
    }
    let has_data = !fp.stores.is_empty();
    let compute = fp.has_compute();
    let rtc = rpo_target < a.s3_crr_rpo_min && fp.stores.iter().any(|s| s.kind == StoreKind::Bucket);
    let (rpo, rto) = match strategy {
        Strategy::BackupRestore => {
            let rpo = if has_data { interval + a.copy_lag_min } else { 0.0 };
            let provision = if compute { a.provision_min } else { 0.0 };
            (rpo, a.failover_min + provision + a.restore_min(fp.data_gib()))
        }
        _ => {
            let mut rpo: f64 = 0.0;
            for s in &fp.stores {
                let store_rpo = match (s.kind, &s.res.detail) {
                    (StoreKind::Bucket, _) => {
                        p.s3_replica(&mut bill, s, dr, rtc, None);
                        if rtc { S3_RTC_RPO_MIN } else { a.s3_crr_rpo_min }
                    }
                    (StoreKind::Table, _) => {
                        p.table_replica(&mut bill, s, dr);
                        a.replication_rpo_min
                    }
                    (StoreKind::Database, _) => {
                        p.db_replica(&mut bill, s, dr);
                        a.replication_rpo_min
                    }
                    (StoreKind::Server, _) if strategy == Strategy::PilotLight => {
                        p.drs(&mut bill, s, dr);
                        a.replication_rpo_min
                    }
                    (StoreKind::Server, Detail::Instance(i)) => {
                        // A running replica server, replicating at the application level.
                        p.change_transfer(&mut bill, s, dr);
                        let what = format!("replica of {} in {dr}", s.res.id);
                        p.instances(&mut bill, &what, dr, &i.instance_type, &i.platform, 1.0, &i.disks);
                        a.replication_rpo_min
                    }
                    _ => a.replication_rpo_min,
                };
                rpo = rpo.max(store_rpo);
            }
            setup.extend(replication_setup(fp, strategy, rtc));
            let compute_min = match (strategy, compute) {
                (_, false) | (Strategy::MultiSite, _) => 0.0,
                (Strategy::PilotLight, _) => a.pilot_light_start_min,
                _ => a.warm_scale_out_min,
            };
            if strategy != Strategy::PilotLight {
                for g in fp.compute.iter().filter(|g| g.stateless) {
                    let n = match strategy {
                        Strategy::WarmStandby => (g.count as f64 * a.warm_standby_scale).ceil().max(1.0),
                        _ => g.count as f64,
                    };
                    let what = format!(
                        "{} fleet in {dr}",
                        if strategy == Strategy::MultiSite { "serving" } else { "standby" }
                    );
                    p.instances(&mut bill, &what, dr, &g.instance_type, &g.platform, n, &g.disks_each);
                    setup.push(format!("{n} × {} running in {dr}", g.instance_type));
                }
            } else if compute {
                setup.push(format!("Auto Scaling groups in {dr} at 0, ready to scale out"));
            }
            (rpo, a.failover_min + compute_min)
        }
    };
    Plan { strategy, rpo_min: rpo, rto_min: rto, bill, backup_interval_min: interval, rtc, setup }
}

fn replication_setup(fp: &Footprint, strategy: Strategy, rtc: bool) -> Vec<String> {
    let dr = fp.dr.as_str();
    let mut out = Vec::new();
    let names = |kind: StoreKind| -> Vec<String> {
        fp.stores.iter().filter(|s| s.kind == kind).map(|s| s.res.id.clone()).collect()
    };
    let buckets = names(StoreKind::Bucket);
    if !buckets.is_empty() {
        let with = if rtc { " with Replication Time Control" } else { "" };
        out.push(format!("S3 replication of {} to {dr}{with}", buckets.join(", ")));
    }
    let tables = names(StoreKind::Table);
    if !tables.is_empty() {
        out.push(format!("DynamoDB global-table replicas of {} in {dr}", tables.join(", ")));
    }
    let dbs = names(StoreKind::Database);
    if !dbs.is_empty() {
        out.push(format!("cross-region read replicas (Aurora: global database) of {} in {dr}", dbs.join(", ")));
    }
    let servers = names(StoreKind::Server);
    if !servers.is_empty() {
        out.push(match strategy {
            Strategy::PilotLight => format!("Elastic Disaster Recovery of {} into {dr}", servers.join(", ")),
            _ => format!("running replicas of {} in {dr} (application-level replication)", servers.join(", ")),
        });
    }
    out
}
