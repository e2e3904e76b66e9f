//! The DR model's assumptions: every one a family parameter (`[rules.dr]`), documented
//! where the registry prints it (docs/rules.md, tierwise.example.toml).

use crate::rules::{Param, ParamValue, Params, RuleError};

const fn num(name: &'static str, default: f64, unit: &'static str, doc: &'static str) -> Param {
    Param::new(name, ParamValue::Num(default), unit, doc)
}

pub const RESTORE_GIB_PER_HOUR: Param = num(
    "restore_gib_per_hour",
    200.0,
    "GiB/hour",
    "aggregate restore throughput from backups (EBS, S3, DynamoDB and RDS restores of the workload together); \
     backup & restore's RTO includes data ÷ this. Measure yours with a restore test and set it",
);
pub const PROVISION_MIN: Param = num(
    "provision_min",
    60.0,
    "minutes",
    "time to build the environment in the recovery region from code and start its servers when nothing runs \
     there (backup & restore, or no standby infrastructure)",
);
pub const PILOT_LIGHT_START_MIN: Param = num(
    "pilot_light_start_min",
    30.0,
    "minutes",
    "time to start the fleet from zero when the infrastructure (AMIs, launch templates, groups at 0, Elastic \
     Disaster Recovery) is ready and the data is replicated",
);
pub const WARM_SCALE_OUT_MIN: Param =
    num("warm_scale_out_min", 10.0, "minutes", "time for a running scaled-down standby to scale out to full size");
pub const FAILOVER_MIN: Param = num(
    "failover_min",
    5.0,
    "minutes",
    "time to switch traffic (DNS / health checks) and promote replicas; part of every strategy's RTO",
);
pub const COPY_LAG_MIN: Param = num(
    "copy_lag_min",
    60.0,
    "minutes",
    "how long a cross-region backup copy takes to land after the backup: a backup schedule's RPO in the recovery \
     region is its interval plus this",
);
pub const BACKUP_RETENTION_DAYS: Param = num(
    "backup_retention_days",
    35.0,
    "days",
    "retention of the backups (and cross-region copies) each strategy keeps, and of existing plans whose rule \
     sets no DeleteAfterDays",
);
pub const DAILY_CHANGE_PCT: Param = num(
    "daily_change_pct",
    2.0,
    "% per day",
    "share of the data written or changed per day: sizes incremental backups (one full copy plus changes over \
     the retention), replication transfer and S3 replica writes",
);
pub const S3_CRR_RPO_MIN: Param = num(
    "s3_crr_rpo_min",
    120.0,
    "minutes",
    "RPO of S3 replication without Replication Time Control (AWS: most objects in seconds, some take hours, \
     no SLA); with RTC it is 15 minutes (AWS's SLA)",
);
pub const REPLICATION_RPO_MIN: Param = num(
    "replication_rpo_min",
    1.0,
    "minutes",
    "RPO of continuous replication: Elastic Disaster Recovery, DynamoDB global tables, RDS / Aurora replicas, \
     application-level replication",
);
pub const WARM_STANDBY_SCALE_PCT: Param = num(
    "warm_standby_scale_pct",
    25.0,
    "% of primary",
    "size of a modelled warm standby: this share of each group of like instances, rounded up (at least one)",
);
pub const ACTIVE_ACTIVE_MIN_PCT: Param = num(
    "active_active_min_pct",
    90.0,
    "% of primary vCPUs",
    "running capacity in the recovery region at or above this share of the primary's vCPUs counts as a full \
     serving copy (multi-site active/active); below it and above zero, as a warm standby",
);

/// The family's shared parameters (`[rules.dr]`).
pub const FAMILY_PARAMS: &[Param] = &[
    RESTORE_GIB_PER_HOUR,
    PROVISION_MIN,
    PILOT_LIGHT_START_MIN,
    WARM_SCALE_OUT_MIN,
    FAILOVER_MIN,
    COPY_LAG_MIN,
    BACKUP_RETENTION_DAYS,
    DAILY_CHANGE_PCT,
    S3_CRR_RPO_MIN,
    REPLICATION_RPO_MIN,
    WARM_STANDBY_SCALE_PCT,
    ACTIVE_ACTIVE_MIN_PCT,
];

/// RPO of S3 replication with Replication Time Control (AWS's SLA: 99.99 % within 15 minutes).
pub const S3_RTC_RPO_MIN: f64 = 15.0;
/// RPO of RDS automated backups replicated to another region (snapshots plus transaction
/// logs shipped every few minutes; AWS does not publish an SLA).
pub const RDS_BACKUP_REPLICATION_RPO_MIN: f64 = 15.0;
/// Point-in-time snapshots Elastic Disaster Recovery keeps by default, days.
pub const DRS_POINT_IN_TIME_DAYS: f64 = 7.0;
/// Backup schedules a modelled backup & restore picks from (minutes between backups):
/// the longest that still meets the RPO (hourly is AWS Backup's most frequent).
pub const BACKUP_INTERVALS_MIN: &[f64] = &[60.0, 120.0, 180.0, 240.0, 360.0, 480.0, 720.0, 1440.0];
/// Days in the 730-hour month.
pub const DAYS_PER_MONTH: f64 = 730.0 / 24.0;

/// The resolved assumptions.
#[derive(Debug, Clone, PartialEq)]
pub struct Assumptions {
    pub restore_gib_per_hour: f64,
    pub provision_min: f64,
    pub pilot_light_start_min: f64,
    pub warm_scale_out_min: f64,
    pub failover_min: f64,
    pub copy_lag_min: f64,
    pub backup_retention_days: f64,
    pub daily_change: f64,
    pub s3_crr_rpo_min: f64,
    pub replication_rpo_min: f64,
    pub warm_standby_scale: f64,
    pub active_active_min: f64,
}

impl Assumptions {
    pub fn from_params(params: &Params) -> Result<Assumptions, RuleError> {
        let non_negative = |p: &Param| -> Result<f64, RuleError> {
            let v = params.num(p.name);
            if v.is_finite() && v >= 0.0 {
                Ok(v)
            } else {
                Err(RuleError::Data(format!("rules.dr.{} = {v} must be a number ≥ 0", p.name)))
            }
        };
        let pct = |p: &Param| -> Result<f64, RuleError> {
            let v = params.num(p.name);
            if v > 0.0 && v <= 100.0 {
                Ok(v / 100.0)
            } else {
                Err(RuleError::Data(format!("rules.dr.{} = {v} must be in (0, 100]", p.name)))
            }
        };
        let throughput = non_negative(&RESTORE_GIB_PER_HOUR)?;
        if throughput == 0.0 {
            return Err(RuleError::Data("rules.dr.restore_gib_per_hour must be above 0".into()));
        }
        Ok(Assumptions {
            restore_gib_per_hour: throughput,
            provision_min: non_negative(&PROVISION_MIN)?,
            pilot_light_start_min: non_negative(&PILOT_LIGHT_START_MIN)?,
            warm_scale_out_min: non_negative(&WARM_SCALE_OUT_MIN)?,
            failover_min: non_negative(&FAILOVER_MIN)?,
            copy_lag_min: non_negative(&COPY_LAG_MIN)?,
            backup_retention_days: non_negative(&BACKUP_RETENTION_DAYS)?.max(1.0),
            daily_change: non_negative(&DAILY_CHANGE_PCT)? / 100.0,
            s3_crr_rpo_min: non_negative(&S3_CRR_RPO_MIN)?,
            replication_rpo_min: non_negative(&REPLICATION_RPO_MIN)?,
            warm_standby_scale: pct(&WARM_STANDBY_SCALE_PCT)?,
            active_active_min: pct(&ACTIVE_ACTIVE_MIN_PCT)?,
        })
    }

    /// Minutes to restore `gib` from backups.
    pub fn restore_min(&self, gib: f64) -> f64 {
        gib / self.restore_gib_per_hour * 60.0
    }
}
