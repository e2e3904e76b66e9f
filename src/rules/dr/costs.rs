//! The priced building blocks every strategy and the current posture are made of. Each
//! adds lines to a `Bill` in the region AWS bills them in (storage and instances where
//! they live, transfer where the data leaves). Keys the embedded catalog lacks (Elastic
//! Disaster Recovery, RDS and Aurora, DynamoDB replicated writes, AWS Backup for RDS)
//! stay unpriced unless `[pricing.overrides]` supplies them.

use crate::pricing::{HOURS_PER_MONTH, PriceBook, ec2_key};

use super::bill::Bill;
use super::footprint::Store;
use super::inventory::{Detail, Disk};
use super::settings::{Assumptions, DAYS_PER_MONTH, DRS_POINT_IN_TIME_DAYS};

const GIB: f64 = 1_073_741_824.0;
/// Minimum size assumed for an image's snapshot when the root volume was not seen, GiB.
const MIN_IMAGE_GIB: f64 = 8.0;

pub struct Pricer<'a> {
    pub prices: &'a PriceBook,
    pub a: &'a Assumptions,
}

/// A backup schedule: every `interval_min`, kept `retention_days`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Schedule {
    pub interval_min: f64,
    pub retention_days: f64,
}

fn every(min: f64) -> String {
    super::duration::format_minutes(min)
}

impl Pricer<'_> {
    /// GB changed per 730-hour month.
    pub fn changed_gb(&self, gib: f64) -> f64 {
        gib * self.a.daily_change * DAYS_PER_MONTH
    }

    /// AWS Backup of one store in `region`, with cross-region copies in `copy_to`.
    pub fn backup(&self, bill: &mut Bill, s: &Store, region: &str, sched: Schedule, copy_to: Option<&str>) {
        let key = s.kind.backup_key(s.res);
        let kept = if s.kind.full_copies() {
            // Every backup is a full copy: size × backups retained.
            s.gib * sched.retention_days * 1440.0 / sched.interval_min
        } else {
            // One full copy plus the changes over the retention.
            s.gib * (1.0 + self.a.daily_change * sched.retention_days)
        };
        let how = format!("every {}, kept {} d", every(sched.interval_min), sched.retention_days);
        bill.add(self.prices, format!("AWS Backup of {} ({how})", s.label()), region, key, kept, "GB-month");
        if let Some(dest) = copy_to.filter(|d| *d != region) {
            bill.add(self.prices, format!("backup copies of {} in {dest}", s.label()), dest, key, kept, "GB-month");
            let moved = if s.kind.full_copies() {
                s.gib * DAYS_PER_MONTH * 1440.0 / sched.interval_min
            } else {
                self.changed_gb(s.gib)
            };
            bill.add(
                self.prices,
                format!("copy transfer of {} to {dest}", s.label()),
                region,
                "transfer.inter_region.gb",
                moved,
                "GB",
            );
        }
    }

    /// The image (AMI snapshot) a group of rebuilt instances launches from, kept in `dest`.
    pub fn image(&self, bill: &mut Bill, group: &str, root_gib: f64, dest: &str) {
        bill.add(
            self.prices,
            format!("image of {group} in {dest}"),
            dest,
            "ebs.snapshot.standard.gb_month",
            root_gib.max(MIN_IMAGE_GIB),
            "GB-month",
        );
    }

    /// S3 Cross-Region Replication of a bucket into `dest` (optionally with RTC).
    pub fn s3_replica(&self, bill: &mut Bill, s: &Store, dest: &str, rtc: bool, dest_class: Option<&str>) {
        let Detail::Bucket(b) = &s.res.detail else { return };
        let region = s.res.region.as_str();
        let mut main_class = "STANDARD".to_string();
        let mut main_gib = -1.0;
        for (class, gib) in &b.classes {
            let class = dest_class.unwrap_or(class);
            if *gib > main_gib {
                main_gib = *gib;
                main_class = class.to_string();
            }
            bill.add(
                self.prices,
                format!("replica of {} in {dest} ({class})", s.res.id),
                dest,
                &format!("s3.storage.{class}"),
                *gib,
                "GB-month",
            );
        }
        let written = self.changed_gb(s.gib);
        bill.add(
            self.prices,
            format!("replication transfer of {}", s.res.id),
            region,
            "s3.replication.inter_region_gb",
            written,
            "GB",
        );
        if rtc {
            bill.add(
                self.prices,
                format!("Replication Time Control for {}", s.res.id),
                region,
                "s3.replication.rtc_gb",
                written,
                "GB",
            );
        }
        let put_class = if main_class.starts_with("INTELLIGENT_TIERING") { "INTELLIGENT_TIERING" } else { &main_class };
        let key = format!("s3.put_per_1000.{put_class}");
        match b.objects.filter(|o| *o > 0.0) {
            Some(objects) if written > 0.0 => {
                let avg_object = s.gib * GIB / objects;
                let puts = written * GIB / avg_object;
                bill.add(
                    self.prices,
                    format!("replica PUT requests for {} in {dest}", s.res.id),
                    dest,
                    &key,
                    puts / 1000.0,
                    "1,000 requests",
                );
            }
            Some(_) => {}
            None => bill.unknown(
                format!("replica PUT requests for {} in {dest}", s.res.id),
                dest,
                &key,
                "1,000 requests",
                "object count unknown (no NumberOfObjects in s3_storage_daily)".into(),
            ),
        }
    }

    /// A DynamoDB global-table replica of a table in `dest`.
    pub fn table_replica(&self, bill: &mut Bill, s: &Store, dest: &str) {
        let Detail::Table(t) = &s.res.detail else { return };
        let class = &t.table_class;
        bill.add(
            self.prices,
            format!("replica of {} in {dest}", s.res.id),
            dest,
            &format!("dynamodb.storage.gb_month.{class}"),
            s.gib,
            "GB-month",
        );
        let what = format!("replicated writes of {} in {dest}", s.res.id);
        match (t.on_demand, t.writes_per_month, t.provisioned_wcu) {
            (true, Some(w), _) => bill.add(
                self.prices,
                what,
                dest,
                &format!("dynamodb.replicated.wru_million.{class}"),
                w / 1e6,
                "million rWRU",
            ),
            (false, _, Some(wcu)) => bill.add(
                self.prices,
                what,
                dest,
                &format!("dynamodb.replicated.wcu_hour.{class}"),
                wcu as f64 * HOURS_PER_MONTH,
                "rWCU-hours",
            ),
            _ => bill.unknown(
                what,
                dest,
                &format!("dynamodb.replicated.wru_million.{class}"),
                "million rWRU",
                "write volume unknown (no dynamodb_metrics_hourly for the table)".into(),
            ),
        }
        match t.writes_per_month {
            // One write request unit carries up to 1 KB.
            Some(w) => bill.add(
                self.prices,
                format!("replication transfer of {}", s.res.id),
                &s.res.region,
                "transfer.inter_region.gb",
                w / 1_048_576.0,
                "GB",
            ),
            None => bill.unknown(
                format!("replication transfer of {}", s.res.id),
                &s.res.region,
                "transfer.inter_region.gb",
                "GB",
                "write volume unknown (no dynamodb_metrics_hourly for the table)".into(),
            ),
        }
    }

    /// A cross-region read replica (RDS) or secondary cluster (Aurora global database).
    pub fn db_replica(&self, bill: &mut Bill, s: &Store, dest: &str) {
        let Detail::Database(d) = &s.res.detail else { return };
        let class = d.class.as_deref().unwrap_or("unknown");
        let key = format!("rds.ondemand.{}.{class}", d.engine);
        if d.engine.starts_with("aurora") {
            let what = format!("Aurora secondary cluster of {} in {dest}", s.res.id);
            bill.add(self.prices, what, dest, &key, HOURS_PER_MONTH, "instance-hours");
            let what = format!("Aurora storage of the secondary of {}", s.res.id);
            bill.add(self.prices, what, dest, "aurora.storage.gb_month", s.gib, "GB-month");
            bill.unknown(
                format!("Aurora replicated write I/O of {}", s.res.id),
                dest,
                "aurora.replicated_write_io_million",
                "million I/O",
                "write I/O volume is not in the snapshot".into(),
            );
        } else {
            let what = format!("read replica of {} in {dest} ({class})", s.res.id);
            bill.add(self.prices, what, dest, &key, HOURS_PER_MONTH, "instance-hours");
            let what = format!("storage of the replica of {}", s.res.id);
            bill.add(self.prices, what, dest, "rds.storage.gb_month", s.gib, "GB-month");
        }
        self.change_transfer(bill, s, dest);
    }

    /// RDS automated backups replicated to `dest`.
    pub fn db_backup_replication(&self, bill: &mut Bill, s: &Store, dest: &str, retention_days: f64) {
        let kept = s.gib * (1.0 + self.a.daily_change * retention_days);
        let what = format!("replicated automated backups of {} in {dest}", s.res.id);
        bill.add(self.prices, what, dest, "rds.backup.gb_month", kept, "GB-month");
        self.change_transfer(bill, s, dest);
    }

    /// Elastic Disaster Recovery of one server into `dest`: the per-server fee, staging
    /// disks, point-in-time snapshots and the replication transfer.
    pub fn drs(&self, bill: &mut Bill, s: &Store, dest: &str) {
        let id = &s.res.id;
        bill.add(
            self.prices,
            format!("Elastic Disaster Recovery for {id}"),
            dest,
            "drs.source_server.hour",
            HOURS_PER_MONTH,
            "server-hours",
        );
        bill.add(self.prices, format!("DRS staging disks of {id}"), dest, "ebs.gp3.gb_month", s.gib, "GB-month");
        bill.add(
            self.prices,
            format!("DRS point-in-time snapshots of {id}"),
            dest,
            "ebs.snapshot.standard.gb_month",
            s.gib * self.a.daily_change * DRS_POINT_IN_TIME_DAYS,
            "GB-month",
        );
        self.change_transfer(bill, s, dest);
    }

    /// Transfer of the data's changes to `dest` (application-level replication, replicas).
    pub fn change_transfer(&self, bill: &mut Bill, s: &Store, dest: &str) {
        bill.add(
            self.prices,
            format!("replication transfer of {} to {dest}", s.label()),
            &s.res.region,
            "transfer.inter_region.gb",
            self.changed_gb(s.gib),
            "GB",
        );
    }

    /// `count` instances running in `region`, with their disks.
    #[allow(clippy::too_many_arguments)]
    pub fn instances(
        &self,
        bill: &mut Bill,
        what: &str,
        region: &str,
        instance_type: &str,
        platform: &str,
        count: f64,
        disks_each: &[Disk],
    ) {
        bill.add(
            self.prices,
            format!("{what}: {} × {instance_type}", count),
            region,
            &ec2_key(instance_type, platform),
            count * HOURS_PER_MONTH,
            "instance-hours",
        );
        for d in disks_each {
            let vt = d.volume_type.as_str();
            bill.add(
                self.prices,
                format!("{what}: {vt} volumes"),
                region,
                &format!("ebs.{vt}.gb_month"),
                count * d.gib,
                "GB-month",
            );
            if matches!(vt, "io1" | "io2")
                && let Some(iops) = d.iops
            {
                bill.add(
                    self.prices,
                    format!("{what}: {vt} IOPS"),
                    region,
                    &format!("ebs.{vt}.iops_month"),
                    count * iops as f64,
                    "IOPS-month",
                );
            }
        }
    }
}
