//! The posture a workload actually has: for each data store, its best copy in the
//! recovery region (a replica, a backup copy, or none); the capacity already running
//! there; from both, the achievable RPO and RTO, the strategy that amounts to, and what
//! those mechanisms cost each month.
//!
//! Same-region mechanisms (PITR, same-region backups) do not recover from the loss of a
//! region; same-region backups are still billed in the current posture (a backup &
//! restore keeps them), while PITR is kept by every strategy and left out of the
//! comparison.

use super::bill::Bill;
use super::costs::{Pricer, Schedule};
use super::duration::format_minutes;
use super::footprint::{Footprint, Store, StoreKind, vcpus};
use super::inventory::{Detail, PostureRow};
use super::settings::{RDS_BACKUP_REPLICATION_RPO_MIN, S3_RTC_RPO_MIN};
use super::strategy::Strategy;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Promoted on failover: no restore.
    Replica,
    /// Restored from a copy in the recovery region.
    Backup,
    /// No copy in the recovery region: a regional outage loses it.
    Unprotected,
}

/// A store's best copy in the recovery region.
#[derive(Debug, Clone)]
pub struct Protection {
    pub mode: Mode,
    pub rpo_min: f64,
    pub via: String,
}

#[derive(Debug, Clone)]
pub struct Current {
    pub protection: Vec<Protection>,
    /// None when some data has no copy in the recovery region.
    pub strategy: Option<Strategy>,
    /// Finite only when every store has a copy.
    pub rpo_min: Option<f64>,
    pub rto_min: Option<f64>,
    pub bill: Bill,
    /// Running vCPUs in the recovery region ÷ the primary's.
    pub standby_share: f64,
    /// The mechanisms found, for the rationale.
    pub mechanisms: Vec<String>,
    pub notes: Vec<String>,
}

impl Current {
    pub fn label(&self) -> String {
        match self.strategy {
            Some(s) => s.label().to_string(),
            None => "no copy in the recovery region".to_string(),
        }
    }
}

fn better(best: &mut Protection, candidate: Protection) {
    let rank = |p: &Protection| (p.mode == Mode::Unprotected, p.rpo_min, p.mode == Mode::Backup);
    if rank(&candidate).partial_cmp(&rank(best)).is_some_and(|o| o.is_lt()) {
        *best = candidate;
    }
}

/// A backup-plan row's schedule (daily when the row does not say) and retention.
fn schedule(row: &PostureRow, default_retention: f64) -> Schedule {
    Schedule {
        interval_min: row.frequency_min.filter(|f| *f > 0).map(|f| f as f64).unwrap_or(1440.0),
        retention_days: row.retention_days.filter(|d| *d > 0).map(|d| d as f64).unwrap_or(default_retention),
    }
}

pub fn current(fp: &Footprint, p: &Pricer) -> Current {
    let dr = fp.dr.as_str();
    let a = p.a;
    let mut bill = Bill::default();
    let mut mechanisms = Vec::new();
    let mut notes = fp.notes.clone();
    let mut protection = Vec::new();
    for store in &fp.stores {
        let mut best = Protection { mode: Mode::Unprotected, rpo_min: f64::INFINITY, via: "no copy".into() };
        let region = store.res.region.as_str();
        for row in fp.rows.iter().filter(|r| fp.covers(r, store)) {
            match row.mechanism.as_str() {
                "backup-plan" => {
                    let sched = schedule(row, a.backup_retention_days);
                    let plan_region = row.region.as_deref().unwrap_or(region);
                    p.backup(&mut bill, store, plan_region, sched, row.dest_region.as_deref());
                    if row.dest_region.as_deref() == Some(dr) {
                        let via = format!(
                            "backup every {} copied to {dr} ({})",
                            format_minutes(sched.interval_min),
                            row.detail
                        );
                        better(
                            &mut best,
                            Protection { mode: Mode::Backup, rpo_min: sched.interval_min + a.copy_lag_min, via },
                        );
                    }
                }
                "drs" if store.kind == StoreKind::Server && row.dest_region.as_deref().is_none_or(|d| d == dr) => {
                    p.drs(&mut bill, store, dr);
                    let via = format!("Elastic Disaster Recovery into {dr}");
                    better(&mut best, Protection { mode: Mode::Replica, rpo_min: a.replication_rpo_min, via });
                }
                "replication" if row.dest_region.as_deref() == Some(dr) => {
                    p.change_transfer(&mut bill, store, dr);
                    let rpo = row.frequency_min.map(|f| f as f64).unwrap_or(a.replication_rpo_min);
                    better(&mut best, Protection { mode: Mode::Replica, rpo_min: rpo, via: row.detail.clone() });
                }
                "s3-crr" if store.kind == StoreKind::Bucket && row.dest_region.as_deref() == Some(dr) => {
                    // A declared rule; the frames' own replication facts win when present.
                    let replicated = matches!(&store.res.detail, Detail::Bucket(b) if b.replication.iter().any(|r| r.dest_region.as_deref() == Some(dr)));
                    if !replicated {
                        p.s3_replica(&mut bill, store, dr, false, None);
                        let rpo = row.frequency_min.map(|f| f as f64).unwrap_or(a.s3_crr_rpo_min);
                        better(&mut best, Protection { mode: Mode::Replica, rpo_min: rpo, via: row.detail.clone() });
                    }
                }
                "dynamodb-global-table" if store.kind == StoreKind::Table => {
                    let replicated =
                        matches!(&store.res.detail, Detail::Table(t) if t.replicas.iter().any(|r| r == dr));
                    if !replicated && row.dest_region.as_deref().is_none_or(|d| d == dr) {
                        p.table_replica(&mut bill, store, dr);
                        let via = format!("global-table replica in {dr}");
                        better(&mut best, Protection { mode: Mode::Replica, rpo_min: a.replication_rpo_min, via });
                    }
                }
                _ => {}
            }
        }
        match &store.res.detail {
            Detail::Bucket(b) => {
                for r in &b.replication {
                    let Some(dest) = r.dest_region.as_deref() else { continue };
                    p.s3_replica(&mut bill, store, dest, r.rtc, r.dest_class.as_deref());
                    if dest == dr {
                        let (rpo, via) = if r.rtc {
                            (S3_RTC_RPO_MIN, format!("S3 replication to {dr} with Replication Time Control"))
                        } else {
                            (a.s3_crr_rpo_min, format!("S3 replication to {dr} (no Replication Time Control)"))
                        };
                        better(&mut best, Protection { mode: Mode::Replica, rpo_min: rpo, via });
                    }
                }
            }
            Detail::Table(t) => {
                for r in &t.replicas {
                    p.table_replica(&mut bill, store, r);
                    if r == dr {
                        let via = format!("global-table replica in {dr}");
                        better(&mut best, Protection { mode: Mode::Replica, rpo_min: a.replication_rpo_min, via });
                    }
                }
                if t.pitr {
                    notes.push(format!("{}: PITR (same region) is kept by every strategy", store.res.id));
                }
            }
            Detail::Database(d) => {
                for r in d.replica_regions.iter().chain(&d.global_regions) {
                    p.db_replica(&mut bill, store, r);
                    if r == dr {
                        let via = if d.global_regions.iter().any(|g| g == dr) {
                            format!("Aurora global database secondary in {dr}")
                        } else {
                            format!("read replica in {dr}")
                        };
                        better(&mut best, Protection { mode: Mode::Replica, rpo_min: a.replication_rpo_min, via });
                    }
                }
                for r in &d.backup_replication_regions {
                    p.db_backup_replication(&mut bill, store, r, d.backup_retention_days.max(1) as f64);
                    if r == dr {
                        let via = format!("automated backups replicated to {dr}");
                        let rpo = RDS_BACKUP_REPLICATION_RPO_MIN;
                        better(&mut best, Protection { mode: Mode::Backup, rpo_min: rpo, via });
                    }
                }
            }
            _ => {}
        }
        mechanisms.push(format!("{}: {}", store.label(), best.via));
        protection.push(best);
    }

    // Groups at zero (or Elastic Disaster Recovery for every stateful server): the
    // infrastructure is ready with nothing running — a pilot light.
    let (standby_vcpus, pilot_groups) = standby(fp, p, &mut bill, &mut mechanisms);
    let primary = fp.primary_vcpus();
    let share = if primary > 0.0 { standby_vcpus / primary } else { 0.0 };
    let stateful: Vec<&Store> = fp.stores.iter().filter(|s| s.kind == StoreKind::Server).collect();
    let drs_all = !stateful.is_empty()
        && stateful.iter().zip(&protection).all(|(_, pr)| pr.via.starts_with("Elastic Disaster Recovery"));
    let pilot_ready = pilot_groups || drs_all;

    let unprotected: Vec<String> = fp
        .stores
        .iter()
        .zip(&protection)
        .filter(|(_, pr)| pr.mode == Mode::Unprotected)
        .map(|(s, _)| s.label())
        .collect();
    let rpo = protection.iter().map(|p| p.rpo_min).fold(0.0, f64::max);
    let any_replica = protection.iter().any(|p| p.mode == Mode::Replica);
    let strategy = if !unprotected.is_empty() {
        notes.push(format!("no copy in {dr} of: {}", unprotected.join(", ")));
        None
    } else if fp.has_compute() && share >= a.active_active_min {
        Some(Strategy::MultiSite)
    } else if fp.has_compute() && share > 0.0 {
        Some(Strategy::WarmStandby)
    } else if any_replica || pilot_ready {
        Some(Strategy::PilotLight)
    } else {
        Some(Strategy::BackupRestore)
    };
    let compute_min = if !fp.has_compute() || share >= a.active_active_min {
        0.0
    } else if share > 0.0 {
        a.warm_scale_out_min
    } else if pilot_ready {
        a.pilot_light_start_min
    } else {
        a.provision_min
    };
    let restore_gib: f64 =
        fp.stores.iter().zip(&protection).filter(|(_, pr)| pr.mode == Mode::Backup).map(|(s, _)| s.gib).sum();
    let (rpo_min, rto_min) = if strategy.is_some() {
        (Some(rpo), Some(a.failover_min + compute_min + a.restore_min(restore_gib)))
    } else {
        (None, None)
    };
    Current { protection, strategy, rpo_min, rto_min, bill, standby_share: share, mechanisms, notes }
}

/// Price what runs in the recovery region; returns its vCPUs and whether a group sits at zero there.
fn standby(fp: &Footprint, p: &Pricer, bill: &mut Bill, mechanisms: &mut Vec<String>) -> (f64, bool) {
    let dr = fp.dr.as_str();
    let mut vcpu = 0.0;
    let mut at_zero = false;
    let mut counted: Vec<&str> = Vec::new();
    for res in &fp.standby.instances {
        let Detail::Instance(s) = &res.detail else { continue };
        p.instances(bill, &format!("standby {} in {dr}", res.id), dr, &s.instance_type, &s.platform, 1.0, &s.disks);
        vcpu += vcpus(p.prices, &s.instance_type);
        counted.push(res.id.as_str());
    }
    if !fp.standby.instances.is_empty() {
        mechanisms.push(format!("{} instance(s) running in {dr}", fp.standby.instances.len()));
    }
    for g in &fp.standby.groups {
        let Detail::Group(d) = &g.detail else { continue };
        if d.desired == 0 {
            at_zero = true;
            mechanisms.push(format!("Auto Scaling group {} in {dr} at 0 (pilot light)", g.id));
            continue;
        }
        let seen = d.instance_ids.iter().filter(|i| counted.contains(&i.as_str())).count() as i64;
        let missing = (d.desired - seen).max(0);
        mechanisms.push(format!("Auto Scaling group {} in {dr} at {}", g.id, d.desired));
        if missing == 0 {
            continue;
        }
        let Some(t) = d.instance_types.first() else {
            bill.unknown(
                format!("standby group {} ({missing} instances)", g.id),
                dr,
                "ec2.ondemand",
                "instance-hours",
                "the group's instance type is unknown (no instances listed)".into(),
            );
            continue;
        };
        // Disks like the primary's instances of that type, when known.
        let disks = fp.compute.iter().find(|c| &c.instance_type == t).map(|c| c.disks_each.clone()).unwrap_or_default();
        p.instances(bill, &format!("standby group {}", g.id), dr, t, "linux", missing as f64, &disks);
        vcpu += missing as f64 * vcpus(p.prices, t);
    }
    for row in &fp.standby.rows {
        match (row.mechanism.as_str(), row.capacity, row.instance_type.as_deref()) {
            ("active-active", _, _) => {
                vcpu = vcpu.max(fp.primary_vcpus());
                mechanisms.push(format!("serving copy in {dr} ({})", row.detail));
                for g in &fp.compute {
                    let what = format!("serving copy in {dr}");
                    p.instances(bill, &what, dr, &g.instance_type, &g.platform, g.count as f64, &g.disks_each);
                }
            }
            (_, Some(0), _) => {
                at_zero = true;
                mechanisms.push(format!("{} (pilot light)", row.detail));
            }
            (_, Some(n), Some(t)) => {
                p.instances(bill, &format!("standby ({})", row.detail), dr, t, "linux", n as f64, &[]);
                vcpu += n as f64 * vcpus(p.prices, t);
                mechanisms.push(row.detail.clone());
            }
            _ => {
                bill.unknown(
                    format!("standby capacity ({})", row.detail),
                    dr,
                    "ec2.ondemand",
                    "instance-hours",
                    format!("dr_posture row {} gives no capacity and instance type", row.row),
                );
                mechanisms.push(row.detail.clone());
            }
        }
    }
    (vcpu, at_zero)
}
