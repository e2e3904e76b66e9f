//! `dr_workloads` and `dr_posture`: four workloads with declared recovery targets
//! and the mechanisms actually in place — one over-protected, one breaching its RPO.

use polars::prelude::*;

use super::dynamodb::TableUsage;
use super::ebs::Volume;
use super::ec2_fleet::Instance;
use super::frame::{finish, text, text_opt};
use super::s3::{Bucket, TIB};
use super::spend::ResourceCosts;
use super::{DR_REGION, PRIMARY_REGION, Replica, round_to};
use crate::snapshot::FrameName;

const GIB: f64 = 1_073_741_824.0;

/// One recovery mechanism: (mechanism, subject — a resource or plan name, description,
/// capture frequency in minutes (0 = continuous), destination region).
type Mechanism = (&'static str, &'static str, &'static str, Option<i64>, Option<&'static str>);

struct WorkloadSpec {
    name: &'static str,
    rto_min: i64,
    rpo_min: i64,
    dr_region: Option<&'static str>,
    strategy: Option<&'static str>,
    /// Fleet roles, DynamoDB table names and bucket names in the workload.
    instances: &'static [&'static str],
    tables: &'static [&'static str],
    buckets: &'static [&'static str],
    posture: &'static [Mechanism],
}

const WORKLOADS: &[WorkloadSpec] = &[
    WorkloadSpec {
        name: "checkout",
        rto_min: 15,
        rpo_min: 5,
        dr_region: Some(DR_REGION),
        strategy: Some("warm-standby"),
        instances: &["web", "api"],
        tables: &["carts"],
        buckets: &["acme-customer-uploads"],
        posture: &[
            ("dynamodb-global-table", "carts", "global table with a replica in us-west-2", Some(0), Some(DR_REGION)),
            ("s3-crr", "acme-customer-uploads", "replication rule to us-west-2 (no RTC)", Some(15), Some(DR_REGION)),
            (
                "standby-capacity",
                "web-asg-dr",
                "standby group in us-west-2 at 2 × m5.xlarge, scales out on failover",
                None,
                Some(DR_REGION),
            ),
            (
                "backup-plan",
                "checkout-daily",
                "AWS Backup daily, 35-day retention, copied to us-west-2",
                Some(1440),
                Some(DR_REGION),
            ),
        ],
    },
    WorkloadSpec {
        name: "reporting",
        rto_min: 1440,
        rpo_min: 1440,
        dr_region: Some(DR_REGION),
        strategy: Some("backup-restore"),
        instances: &["reporting", "etl"],
        tables: &[],
        buckets: &["acme-data-lake"],
        posture: &[
            ("backup-plan", "reporting-daily", "AWS Backup daily, copied to us-west-2", Some(1440), Some(DR_REGION)),
            (
                "standby-capacity",
                "reporting-dr",
                "m5.2xlarge + r5.2xlarge running 24×7 in us-west-2",
                None,
                Some(DR_REGION),
            ),
        ],
    },
    WorkloadSpec {
        name: "orders",
        rto_min: 60,
        rpo_min: 1,
        dr_region: Some(DR_REGION),
        strategy: Some("pilot-light"),
        instances: &["db-primary"],
        tables: &["orders"],
        buckets: &["acme-backups-versioned"],
        posture: &[
            ("pitr", "orders", "point-in-time recovery, 35 days", Some(0), None),
            (
                "backup-plan",
                "orders-hourly",
                "hourly EBS snapshots of db-primary, copied to us-west-2",
                Some(60),
                Some(DR_REGION),
            ),
            (
                "standby-capacity",
                "db-primary",
                "pilot light: AMI, launch template and log shipping to us-west-2, 0 running",
                Some(1),
                Some(DR_REGION),
            ),
        ],
    },
    WorkloadSpec {
        name: "backoffice",
        rto_min: 240,
        rpo_min: 60,
        dr_region: None,
        strategy: Some("backup-restore"),
        instances: &["backoffice-win", "ad-dc"],
        tables: &["backoffice-jobs"],
        buckets: &["acme-backoffice-reports"],
        posture: &[(
            "backup-plan",
            "backoffice-daily",
            "AWS Backup daily at 03:00, same region only",
            Some(1440),
            None,
        )],
    },
];

#[derive(Default)]
pub struct Rows {
    workload: Vec<String>,
    rto_target_min: Vec<i64>,
    rpo_target_min: Vec<i64>,
    primary_region: Vec<&'static str>,
    dr_region: Vec<Option<&'static str>>,
    resources: Vec<String>,
    declared_strategy: Vec<Option<&'static str>>,
    monthly_cost_usd: Vec<Option<f64>>,
    data_gib: Vec<Option<f64>>,
    posture_workload: Vec<String>,
    mechanism: Vec<&'static str>,
    detail: Vec<String>,
    frequency_min: Vec<Option<i64>>,
    dest_region: Vec<Option<&'static str>>,
}

impl Rows {
    pub fn push(
        &mut self,
        replica: &Replica,
        fleet: &[Instance],
        volumes: &[Volume],
        buckets: &[Bucket],
        tables: &[TableUsage],
        costs: &ResourceCosts,
    ) {
        for w in WORKLOADS {
            let name = replica.name(w.name);
            let instances: Vec<&Instance> = fleet.iter().filter(|i| w.instances.contains(&i.role)).collect();
            let disks: Vec<&Volume> = volumes
                .iter()
                .filter(|v| v.attached_to.as_ref().is_some_and(|id| instances.iter().any(|i| &i.id == id)))
                .collect();
            let its_tables: Vec<&TableUsage> = tables.iter().filter(|t| w.tables.contains(&t.role)).collect();
            let its_buckets: Vec<&Bucket> = buckets.iter().filter(|b| w.buckets.contains(&b.spec.name)).collect();

            let mut resources: Vec<String> = instances.iter().map(|i| i.id.clone()).collect();
            resources.extend(
                its_tables.iter().map(|t| format!("arn:aws:dynamodb:{}:{}:table/{}", t.region, t.account, t.name)),
            );
            resources.extend(its_buckets.iter().map(|b| format!("arn:aws:s3:::{}", b.name)));

            let cost_of = |id: &str| costs.get(id).copied().unwrap_or(0.0);
            let monthly_cost: f64 = instances.iter().map(|i| cost_of(&i.id)).sum::<f64>()
                + disks.iter().map(|v| cost_of(&v.id)).sum::<f64>()
                + its_tables.iter().map(|t| cost_of(&t.name)).sum::<f64>()
                + its_buckets.iter().map(|b| cost_of(&b.name)).sum::<f64>();
            let data_gib: f64 = disks.iter().map(|v| v.size_gib as f64).sum::<f64>()
                + its_tables.iter().map(|t| t.storage_bytes as f64 / GIB).sum::<f64>()
                + its_buckets.iter().map(|b| b.spec.classes.iter().map(|c| c.1).sum::<f64>() * TIB / GIB).sum::<f64>();

            self.workload.push(name.clone());
            self.rto_target_min.push(w.rto_min);
            self.rpo_target_min.push(w.rpo_min);
            self.primary_region.push(PRIMARY_REGION);
            self.dr_region.push(w.dr_region);
            self.resources.push(resources.join(","));
            self.declared_strategy.push(w.strategy);
            self.monthly_cost_usd.push(Some(round_to(monthly_cost, 2)));
            self.data_gib.push(Some(round_to(data_gib, 1)));

            for &(mechanism, subject, description, frequency, dest) in w.posture {
                self.posture_workload.push(name.clone());
                self.mechanism.push(mechanism);
                self.detail.push(format!("{}: {description}", replica.name(subject)));
                self.frequency_min.push(frequency);
                self.dest_region.push(dest);
            }
        }
    }

    pub fn into_frames(self) -> Vec<(FrameName, DataFrame)> {
        let workloads = finish(
            FrameName::DrWorkloads,
            vec![
                text("workload", &self.workload),
                Column::new("rto_target_min".into(), self.rto_target_min),
                Column::new("rpo_target_min".into(), self.rpo_target_min),
                text("primary_region", &self.primary_region),
                text_opt("dr_region", &self.dr_region),
                text("resources", &self.resources),
                text_opt("declared_strategy", &self.declared_strategy),
                Column::new("monthly_cost_usd".into(), self.monthly_cost_usd),
                Column::new("data_gib".into(), self.data_gib),
            ],
        );
        let posture = finish(
            FrameName::DrPosture,
            vec![
                text("workload", &self.posture_workload),
                text("mechanism", &self.mechanism),
                text("detail", &self.detail),
                Column::new("frequency_min".into(), self.frequency_min),
                text_opt("dest_region", &self.dest_region),
            ],
        );
        vec![(FrameName::DrWorkloads, workloads), (FrameName::DrPosture, posture)]
    }
}
