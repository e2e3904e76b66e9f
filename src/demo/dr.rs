//! `dr_workloads` and `dr_posture`: five workloads with declared recovery targets and
//! the mechanisms actually in place — one over-protected (a full copy running for a
//! one-day RTO), one breaching its RPO (S3 replication without RTC), one with data that
//! has no copy in the recovery region at all, one already at its cheapest compliant
//! strategy, and one declared without targets. The S3 replication and the DynamoDB
//! global table come from `s3_buckets` / `dynamodb_tables`; the reporting standby runs
//! as a real (idle) instance in us-west-2 (see `ec2_fleet`).

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

/// One recovery mechanism.
struct Mechanism {
    mechanism: &'static str,
    /// A resource or plan name, for the detail.
    subject: &'static str,
    description: &'static str,
    /// Capture frequency in minutes (0 = continuous).
    frequency: Option<i64>,
    dest: Option<&'static str>,
    /// Fleet roles, table or bucket names it protects; empty = the whole workload.
    protects: &'static [&'static str],
    retention_days: Option<i64>,
    /// standby-capacity: instances running, and their type.
    capacity: Option<(i64, &'static str)>,
}

const fn mechanism(mechanism: &'static str, subject: &'static str, description: &'static str) -> Mechanism {
    Mechanism {
        mechanism,
        subject,
        description,
        frequency: None,
        dest: Some(DR_REGION),
        protects: &[],
        retention_days: None,
        capacity: None,
    }
}

struct WorkloadSpec {
    name: &'static str,
    /// None: declared without targets (the rule lists it in a warning).
    rto_min: Option<i64>,
    rpo_min: Option<i64>,
    dr_region: Option<&'static str>,
    strategy: Option<&'static str>,
    /// Fleet roles (primary and standby), DynamoDB table names and bucket names in the workload.
    instances: &'static [&'static str],
    tables: &'static [&'static str],
    buckets: &'static [&'static str],
    posture: &'static [Mechanism],
}

const WORKLOADS: &[WorkloadSpec] = &[
    WorkloadSpec {
        name: "checkout",
        rto_min: Some(15),
        rpo_min: Some(15),
        dr_region: Some(DR_REGION),
        strategy: Some("warm-standby"),
        instances: &["web"],
        tables: &["carts"],
        buckets: &["acme-customer-uploads"],
        posture: &[
            Mechanism {
                capacity: Some((2, "m5.xlarge")),
                ..mechanism(
                    "standby-capacity",
                    "web-asg-dr",
                    "standby group in us-west-2 at 2 × m5.xlarge, scales out on failover",
                )
            },
            Mechanism {
                frequency: Some(1440),
                retention_days: Some(35),
                ..mechanism("backup-plan", "checkout-daily", "AWS Backup daily, 35-day retention, copied to us-west-2")
            },
        ],
    },
    WorkloadSpec {
        name: "reporting",
        rto_min: Some(1440),
        rpo_min: Some(1440),
        dr_region: Some(DR_REGION),
        strategy: Some("backup-restore"),
        instances: &["reporting", "reporting-dr"],
        tables: &[],
        buckets: &["acme-athena-results"],
        posture: &[Mechanism {
            frequency: Some(720),
            retention_days: Some(14),
            ..mechanism("backup-plan", "reporting-12h", "AWS Backup every 12 h, 14-day retention, copied to us-west-2")
        }],
    },
    WorkloadSpec {
        name: "orders",
        rto_min: Some(60),
        rpo_min: Some(1),
        dr_region: Some(DR_REGION),
        strategy: Some("pilot-light"),
        instances: &["db-primary"],
        tables: &["orders"],
        buckets: &[],
        posture: &[
            Mechanism {
                frequency: Some(0),
                dest: None,
                protects: &["orders"],
                ..mechanism("pitr", "orders", "point-in-time recovery, 35 days (same region)")
            },
            Mechanism {
                frequency: Some(60),
                retention_days: Some(7),
                protects: &["db-primary"],
                ..mechanism("backup-plan", "orders-hourly", "hourly EBS snapshots of db-primary, copied to us-west-2")
            },
            Mechanism {
                frequency: Some(1),
                protects: &["db-primary"],
                ..mechanism("replication", "db-primary", "database log shipping to us-west-2")
            },
            Mechanism {
                capacity: Some((0, "r5.4xlarge")),
                ..mechanism(
                    "standby-capacity",
                    "db-primary-dr",
                    "pilot light: AMI and launch template in us-west-2, group at 0",
                )
            },
        ],
    },
    WorkloadSpec {
        name: "backoffice",
        rto_min: Some(1440),
        rpo_min: Some(2880),
        dr_region: Some(DR_REGION),
        strategy: Some("backup-restore"),
        instances: &["backoffice-win", "ad-dc"],
        tables: &["backoffice-jobs"],
        buckets: &[],
        posture: &[Mechanism {
            frequency: Some(1440),
            retention_days: Some(35),
            ..mechanism("backup-plan", "backoffice-daily", "AWS Backup daily at 03:00, copied to us-west-2")
        }],
    },
    WorkloadSpec {
        name: "search",
        rto_min: None,
        rpo_min: None,
        dr_region: None,
        strategy: None,
        instances: &["search"],
        tables: &["catalog"],
        buckets: &[],
        posture: &[],
    },
];

#[derive(Default)]
pub struct Rows {
    workload: Vec<String>,
    rto_target_min: Vec<Option<i64>>,
    rpo_target_min: Vec<Option<i64>>,
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
    posture_region: Vec<&'static str>,
    posture_resources: Vec<Option<String>>,
    retention_days: Vec<Option<i64>>,
    capacity: Vec<Option<i64>>,
    instance_type: Vec<Option<&'static str>>,
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

            let table_arn = |t: &TableUsage| format!("arn:aws:dynamodb:{}:{}:table/{}", t.region, t.account, t.name);
            let mut resources: Vec<String> = instances.iter().map(|i| i.id.clone()).collect();
            resources.extend(its_tables.iter().map(|t| table_arn(t)));
            resources.extend(its_buckets.iter().map(|b| format!("arn:aws:s3:::{}", b.name)));

            // The primary footprint (the standby's cost is DR cost, priced by dr.tier).
            let primary: Vec<&&Instance> = instances.iter().filter(|i| i.region != DR_REGION).collect();
            let cost_of = |id: &str| costs.get(id).copied().unwrap_or(0.0);
            let monthly_cost: f64 = primary.iter().map(|i| cost_of(&i.id)).sum::<f64>()
                + disks.iter().filter(|v| v.region != DR_REGION).map(|v| cost_of(&v.id)).sum::<f64>()
                + its_tables.iter().map(|t| cost_of(&t.name)).sum::<f64>()
                + its_buckets.iter().map(|b| cost_of(&b.name)).sum::<f64>();
            let data_gib: f64 = disks.iter().filter(|v| v.region != DR_REGION).map(|v| v.size_gib as f64).sum::<f64>()
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

            for m in w.posture {
                let protected: Vec<String> = m
                    .protects
                    .iter()
                    .flat_map(|p| {
                        let ids: Vec<String> =
                            instances.iter().filter(|i| i.role == *p).map(|i| i.id.clone()).collect();
                        let tables = its_tables.iter().filter(|t| t.role == *p).map(|t| table_arn(t));
                        let buckets = its_buckets
                            .iter()
                            .filter(|b| b.spec.name == *p)
                            .map(|b| format!("arn:aws:s3:::{}", b.name));
                        ids.into_iter().chain(tables).chain(buckets).collect::<Vec<_>>()
                    })
                    .collect();
                self.posture_workload.push(name.clone());
                self.mechanism.push(m.mechanism);
                self.detail.push(format!("{}: {}", replica.name(m.subject), m.description));
                self.frequency_min.push(m.frequency);
                self.dest_region.push(m.dest);
                self.posture_region.push(PRIMARY_REGION);
                self.posture_resources.push((!protected.is_empty()).then(|| protected.join(",")));
                self.retention_days.push(m.retention_days);
                self.capacity.push(m.capacity.map(|c| c.0));
                self.instance_type.push(m.capacity.map(|c| c.1));
            }
        }
    }

    pub fn into_frames(self) -> Vec<(FrameName, DataFrame)> {
        let (n, m) = (self.workload.len(), self.mechanism.len());
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
                text_opt("selectors", &vec![None::<&str>; n]),
                text_opt("source", &vec![Some("demo"); n]),
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
                text("region", &self.posture_region),
                Column::new("resources".into(), self.posture_resources),
                text_opt("selection_tags", &vec![None::<&str>; m]),
                Column::new("retention_days".into(), self.retention_days),
                Column::new("data_gib".into(), vec![None::<f64>; m]),
                Column::new("capacity".into(), self.capacity),
                text_opt("instance_type", &self.instance_type),
            ],
        );
        vec![(FrameName::DrWorkloads, workloads), (FrameName::DrPosture, posture)]
    }
}
