//! `spend_monthly`: three billed months (August to October 2026) by service and usage
//! type, computed from the generated resources.
//!
//! This is synthetic *billing data*, not a price catalog. Amounts are quantities ×
//! the embedded us-east-1 list prices (`PriceBook::embedded()`). Where the catalog
//! has no figure the demo bill makes one up, and says so here:
//! - ap-northeast-2 resources are billed at the us-east-1 figure × 1.1;
//! - Windows instances at the Linux figure × 1.9 (licence included);
//! - Spot instances at the on-demand figure × 0.35.
//!
//! The rules never read these figures as prices: they price from the PriceBook, which
//! leaves ap-northeast-2 and Windows unpriced.

use std::collections::BTreeMap;

use polars::prelude::*;

use super::calendar::{BILLED_MONTHS, DAY_MS, HOUR_MS, WINDOW_END_MS};
use super::dynamodb::TableUsage;
use super::ebs::Volume;
use super::ec2_fleet::Instance;
use super::frame::{date, finish, text, text_opt};
use super::network_nat::Traffic;
use super::s3::Bucket;
use super::{DR_REGION, MAIN_ACCOUNT, PRIMARY_REGION, round_to};
use crate::pricing::PriceBook;
use crate::snapshot::FrameName;

const GIB: f64 = 1_073_741_824.0;
const SEOUL_BILL_FACTOR: f64 = 1.1;
const WINDOWS_BILL_FACTOR: f64 = 1.9;
const SPOT_BILL_FACTOR: f64 = 0.35;

const EC2_COMPUTE: &str = "Amazon Elastic Compute Cloud - Compute";
const EC2_OTHER: &str = "EC2 - Other";
const S3: &str = "Amazon Simple Storage Service";
const DYNAMODB: &str = "Amazon DynamoDB";
const VPC: &str = "Amazon Virtual Private Cloud";
const BACKUP: &str = "AWS Backup";

/// The last billed month's cost by resource id (instance, volume, bucket, table).
pub type ResourceCosts = BTreeMap<String, f64>;

#[derive(Default)]
pub struct Rows {
    month: Vec<i64>,
    account_id: Vec<&'static str>,
    region: Vec<&'static str>,
    service: Vec<&'static str>,
    usage_type: Vec<String>,
    resource_id: Vec<Option<String>>,
    cost_usd: Vec<f64>,
    usage_quantity: Vec<f64>,
    usage_unit: Vec<&'static str>,
}

/// Usage-type prefix of a region.
fn prefix(region: &str) -> &'static str {
    match region {
        PRIMARY_REGION => "USE1",
        DR_REGION => "USW2",
        _ => "APN2",
    }
}

/// Fraction of the month [start, end) during which something existing over
/// [from, to) was billed.
fn overlap(month_start_ms: i64, month_end_ms: i64, from: i64, to: i64) -> f64 {
    let hours = (to.min(month_end_ms) - from.max(month_start_ms)).max(0) as f64 / HOUR_MS as f64;
    hours / ((month_end_ms - month_start_ms) as f64 / HOUR_MS as f64)
}

/// One month being billed.
struct Month<'a> {
    prices: &'a PriceBook,
    rows: &'a mut Rows,
    costs: &'a mut ResourceCosts,
    first_day: i64,
    days: i64,
    is_last: bool,
}

/// One line of the bill.
struct Line<'a> {
    account: &'static str,
    region: &'static str,
    service: &'static str,
    usage_type: String,
    resource: Option<&'a str>,
    quantity: f64,
    unit: &'static str,
    /// Catalog key of the unit price.
    price_key: &'a str,
    /// Units of quantity per priced unit (1,000 requests, 1,000,000 request units).
    per: f64,
    /// Synthetic bill adjustment (Windows, Spot); 1.0 for list price.
    factor: f64,
}

impl Default for Line<'_> {
    fn default() -> Self {
        Line {
            account: MAIN_ACCOUNT,
            region: PRIMARY_REGION,
            service: EC2_OTHER,
            usage_type: String::new(),
            resource: None,
            quantity: 0.0,
            unit: "GB",
            price_key: "",
            per: 1.0,
            factor: 1.0,
        }
    }
}

impl Month<'_> {
    fn start_ms(&self) -> i64 {
        self.first_day * DAY_MS
    }
    fn end_ms(&self) -> i64 {
        (self.first_day + self.days) * DAY_MS
    }
    fn hours(&self) -> f64 {
        (self.days * 24) as f64
    }

    fn bill(&mut self, line: Line) {
        if line.quantity <= 0.0 {
            return;
        }
        // The catalog has us-east-1 only; see the module comment for other regions.
        let Ok(unit_price) = self.prices.usd(PRIMARY_REGION, line.price_key) else { return };
        // us-west-2 lists at us-east-1's prices for what the demo bills there.
        let region_factor = if matches!(line.region, PRIMARY_REGION | DR_REGION) { 1.0 } else { SEOUL_BILL_FACTOR };
        let cost = line.quantity / line.per * unit_price * region_factor * line.factor;
        if self.is_last
            && let Some(id) = line.resource
        {
            *self.costs.entry(id.to_string()).or_insert(0.0) += cost;
        }
        let r = &mut *self.rows;
        r.month.push(self.first_day);
        r.account_id.push(line.account);
        r.region.push(line.region);
        r.service.push(line.service);
        r.usage_type.push(line.usage_type);
        r.resource_id.push(line.resource.map(str::to_string));
        r.cost_usd.push(round_to(cost, 4));
        r.usage_quantity.push(round_to(line.quantity, 4));
        r.usage_unit.push(line.unit);
    }

    fn instance(&mut self, i: &Instance) {
        let running_until = i.stopped_ms.unwrap_or(WINDOW_END_MS);
        // Auto Scaling groups replace their members; the group ran all along, so the
        // current member carries the group's hours for the whole billed period.
        let running_from = if i.asg.is_some() { i.launch_ms.min(BILLED_MONTHS[0].0 * DAY_MS) } else { i.launch_ms };
        let hours = overlap(self.start_ms(), self.end_ms(), running_from, running_until) * self.hours();
        let key = crate::pricing::ec2_key(i.instance_type, "linux");
        let kind = if i.spot { "SpotUsage" } else { "BoxUsage" };
        let mut factor = if i.spot { SPOT_BILL_FACTOR } else { 1.0 };
        if i.platform == "windows" {
            factor *= WINDOWS_BILL_FACTOR;
        }
        self.bill(Line {
            account: i.account,
            region: i.region,
            service: EC2_COMPUTE,
            usage_type: format!("{}-{kind}:{}", prefix(i.region), i.instance_type),
            resource: Some(&i.id),
            quantity: hours,
            unit: "Hrs",
            price_key: &key,
            factor,
            ..Line::default()
        });
    }

    fn volume(&mut self, v: &Volume) {
        let share = overlap(self.start_ms(), self.end_ms(), v.create_ms.unwrap_or(0), WINDOW_END_MS);
        let p = prefix(v.region);
        let kind = if v.volume_type == "io1" { "piops" } else { v.volume_type };
        let storage_key = format!("ebs.{}.gb_month", v.volume_type);
        let iops = v.iops.unwrap_or(0);
        let mut lines = vec![(format!("{p}-EBS:VolumeUsage.{kind}"), v.size_gib, "GB-Mo", storage_key.as_str())];
        match v.volume_type {
            "io1" => lines.push((format!("{p}-EBS:VolumeP-IOPS.piops"), iops, "IOPS-Mo", "ebs.io1.iops_month")),
            "gp3" => {
                let throughput = v.throughput_mibps.unwrap_or(125);
                lines.push((format!("{p}-EBS:VolumeP-IOPS.gp3"), iops - 3000, "IOPS-Mo", "ebs.gp3.iops_month"));
                let key = "ebs.gp3.throughput_mibps_month";
                lines.push((format!("{p}-EBS:VolumeP-Throughput.gp3"), throughput - 125, "MiBps-Mo", key));
            }
            _ => {}
        }
        for (usage_type, quantity, unit, price_key) in lines {
            self.bill(Line {
                account: v.account,
                region: v.region,
                usage_type,
                resource: Some(&v.id),
                quantity: quantity as f64 * share,
                unit,
                price_key,
                ..Line::default()
            });
        }
    }

    fn bucket(&mut self, b: &Bucket) {
        let spec = b.spec;
        let p = if spec.region == PRIMARY_REGION { String::new() } else { format!("{}-", prefix(spec.region)) };
        let days = self.first_day..self.first_day + self.days;
        let line = |usage: &str, quantity: f64, unit: &'static str, price_key: &'static str| Line {
            account: spec.account,
            region: spec.region,
            service: S3,
            usage_type: format!("{p}{usage}"),
            resource: Some(b.name.as_str()),
            quantity,
            unit,
            price_key,
            ..Line::default()
        };
        let mut lines = Vec::new();
        for &(class, tib) in spec.classes {
            let gb_month = days.clone().map(|d| b.bytes_on(tib, d)).sum::<f64>() / self.days as f64 / GIB;
            let (usage, key) = storage_usage(class);
            if class == "STANDARD" {
                // STANDARD is tiered: 50 TB, next 450 TB, over 500 TB (TB = 1,024 GB).
                lines.push(line(usage, gb_month.min(51_200.0), "GB-Mo", "s3.storage.STANDARD"));
                let next = (gb_month - 51_200.0).clamp(0.0, 460_800.0);
                lines.push(line(usage, next, "GB-Mo", "s3.storage.STANDARD.next450tb"));
                lines.push(line(usage, (gb_month - 512_000.0).max(0.0), "GB-Mo", "s3.storage.STANDARD.over500tb"));
            } else {
                lines.push(line(usage, gb_month, "GB-Mo", key));
            }
        }
        let [gets, puts, lists, _] = days
            .clone()
            .map(|d| b.requests_on(d))
            .fold([0.0; 4], |acc, r| [acc[0] + r[0], acc[1] + r[1], acc[2] + r[2], acc[3] + r[3]]);
        let tier1 = line("Requests-Tier1", puts + lists, "Requests", "s3.put_per_1000.STANDARD");
        lines.push(Line { per: 1000.0, ..tier1 });
        lines.push(Line { per: 1000.0, ..line("Requests-Tier2", gets, "Requests", "s3.get_per_1000.STANDARD") });
        if spec.intelligent_tiering {
            let monitored = b.objects_on(self.first_day + self.days / 2);
            let key = "s3.intelligent_tiering.monitoring_per_1000_objects";
            lines.push(Line { per: 1000.0, ..line("Monitoring-Automation-INT", monitored, "Objects", key) });
        }
        if spec.replication_dest.is_some() {
            // Replicated bytes: what the bucket grew by this month, sent to us-west-2.
            let total_on = |day: i64| spec.classes.iter().map(|c| b.bytes_on(c.1, day)).sum::<f64>();
            let replicated = (total_on(self.first_day + self.days) - total_on(self.first_day)) / GIB;
            let usage = format!("{}-USW2-AWS-Out-Bytes", prefix(spec.region));
            lines.push(Line { usage_type: usage, ..line("", replicated, "GB", "s3.replication.inter_region_gb") });
        }
        lines.into_iter().for_each(|l| self.bill(l));
    }

    fn table(&mut self, t: &TableUsage) {
        let p = prefix(t.region);
        let seconds = self.hours() * 3600.0;
        let line = |usage: &str, quantity: f64, price_key: &'static str| Line {
            account: t.account,
            region: t.region,
            service: DYNAMODB,
            usage_type: format!("{p}-{usage}"),
            resource: Some(t.name.as_str()),
            quantity,
            unit: "GB-Mo",
            price_key,
            ..Line::default()
        };
        let mut lines = Vec::new();
        if t.on_demand {
            let reads =
                line("ReadRequestUnits", t.mean_consumed_rcu * seconds, "dynamodb.ondemand.rru_million.STANDARD");
            lines.push(Line { unit: "ReadRequestUnits", per: 1e6, ..reads });
            let writes =
                line("WriteRequestUnits", t.mean_consumed_wcu * seconds, "dynamodb.ondemand.wru_million.STANDARD");
            lines.push(Line { unit: "WriteRequestUnits", per: 1e6, ..writes });
        } else {
            let hours = self.hours();
            let reads =
                line("ReadCapacityUnit-Hrs", t.mean_provisioned_rcu * hours, "dynamodb.provisioned.rcu_hour.STANDARD");
            lines.push(Line { unit: "ReadCapacityUnit-Hrs", ..reads });
            let writes =
                line("WriteCapacityUnit-Hrs", t.mean_provisioned_wcu * hours, "dynamodb.provisioned.wcu_hour.STANDARD");
            lines.push(Line { unit: "WriteCapacityUnit-Hrs", ..writes });
        }
        let gb = t.storage_bytes as f64 / GIB;
        lines.push(line("TimedStorage-ByteHrs", gb, "dynamodb.storage.gb_month.STANDARD"));
        if t.pitr {
            lines.push(line("TimedPITRStorage-ByteHrs", gb, "dynamodb.pitr.gb_month"));
        }
        // Global-table replicas live in us-west-2, outside the collected regions: not billed here.
        lines.into_iter().for_each(|l| self.bill(l));
    }

    fn network(&mut self, traffic: &Traffic) {
        let days = self.days as f64;
        let hours = self.hours();
        // A GB crossing AZs is charged leaving one AZ and entering the other; the bill also
        // carries regional traffic the flow logs do not see (load balancers, RDS, public
        // addresses within the region): 15 % more.
        self.bill(Line {
            usage_type: "USE1-DataTransfer-Regional-Bytes".into(),
            quantity: 2.0 * traffic.cross_az_bytes_per_day * 1.15 * days / GIB,
            price_key: "transfer.inter_az.gb_each_direction",
            ..Line::default()
        });
        for (nat, bytes_per_day) in &traffic.nat {
            self.bill(Line {
                usage_type: "USE1-NatGateway-Hours".into(),
                resource: Some(nat.as_str()),
                quantity: hours,
                unit: "Hrs",
                price_key: "vpc.nat_gateway.hour",
                ..Line::default()
            });
            self.bill(Line {
                usage_type: "USE1-NatGateway-Bytes".into(),
                resource: Some(nat.as_str()),
                quantity: bytes_per_day * days / GIB,
                price_key: "vpc.nat_gateway.gb",
                ..Line::default()
            });
        }
        self.bill(Line {
            service: VPC,
            usage_type: "USE1-VpcEndpoint-Hours".into(),
            quantity: traffic.endpoint_azs as f64 * hours,
            unit: "Hrs",
            price_key: "vpc.interface_endpoint.az_hour",
            ..Line::default()
        });
        self.bill(Line {
            service: VPC,
            usage_type: "USE1-VpcEndpoint-Bytes".into(),
            quantity: traffic.endpoint_bytes_per_day * days / GIB,
            price_key: "vpc.interface_endpoint.gb",
            ..Line::default()
        });
    }

    /// AWS Backup warm storage for what the DR backup plans protect.
    fn backups(&mut self, volumes: &[Volume], tables: &[TableUsage]) {
        for v in volumes.iter().filter(|v| matches!(v.attached_role, Some("db-primary" | "backoffice-win"))) {
            self.bill(Line {
                account: v.account,
                region: v.region,
                service: BACKUP,
                usage_type: format!("{}-WarmStorage-ByteHrs-EBS", prefix(v.region)),
                resource: Some(&v.id),
                // Incremental backups kept 35 days: about 60 % of the volume.
                quantity: v.size_gib as f64 * 0.6,
                unit: "GB-Mo",
                price_key: "backup.ebs.gb_month",
                ..Line::default()
            });
        }
        for t in tables.iter().filter(|t| matches!(t.role, "orders" | "backoffice-jobs")) {
            self.bill(Line {
                account: t.account,
                region: t.region,
                service: BACKUP,
                usage_type: format!("{}-WarmStorage-ByteHrs-DDB", prefix(t.region)),
                resource: Some(&t.name),
                quantity: t.storage_bytes as f64 / GIB,
                unit: "GB-Mo",
                price_key: "backup.dynamodb.gb_month",
                ..Line::default()
            });
        }
    }
}

/// S3 usage type (without region prefix) and price key of a storage class.
fn storage_usage(class: &str) -> (&'static str, &'static str) {
    match class {
        "STANDARD_IA" => ("TimedStorage-SIA-ByteHrs", "s3.storage.STANDARD_IA"),
        "ONEZONE_IA" => ("TimedStorage-ZIA-ByteHrs", "s3.storage.ONEZONE_IA"),
        "GLACIER_IR" => ("TimedStorage-GIR-ByteHrs", "s3.storage.GLACIER_IR"),
        "GLACIER" => ("TimedStorage-GlacierByteHrs", "s3.storage.GLACIER"),
        "DEEP_ARCHIVE" => ("TimedStorage-GDA-ByteHrs", "s3.storage.DEEP_ARCHIVE"),
        "INTELLIGENT_TIERING_FA" => ("TimedStorage-INT-FA-ByteHrs", "s3.storage.INTELLIGENT_TIERING_FA"),
        "INTELLIGENT_TIERING_IA" => ("TimedStorage-INT-IA-ByteHrs", "s3.storage.INTELLIGENT_TIERING_IA"),
        "INTELLIGENT_TIERING_AIA" => ("TimedStorage-INT-AIA-ByteHrs", "s3.storage.INTELLIGENT_TIERING_AIA"),
        _ => ("TimedStorage-ByteHrs", "s3.storage.STANDARD"),
    }
}

impl Rows {
    /// Bill one replica's resources for every billed month; returns the last month's
    /// cost per resource id.
    pub fn push(
        &mut self,
        prices: &PriceBook,
        fleet: &[Instance],
        volumes: &[Volume],
        buckets: &[Bucket],
        tables: &[TableUsage],
        traffic: &Traffic,
    ) -> ResourceCosts {
        let mut costs = ResourceCosts::new();
        for (n, &(first_day, days)) in BILLED_MONTHS.iter().enumerate() {
            let is_last = n + 1 == BILLED_MONTHS.len();
            let mut month = Month { prices, rows: self, costs: &mut costs, first_day, days, is_last };
            fleet.iter().for_each(|i| month.instance(i));
            volumes.iter().for_each(|v| month.volume(v));
            buckets.iter().for_each(|b| month.bucket(b));
            tables.iter().for_each(|t| month.table(t));
            month.network(traffic);
            month.backups(volumes, tables);
        }
        costs
    }

    pub fn into_frame(self) -> DataFrame {
        finish(
            FrameName::SpendMonthly,
            vec![
                date("month", self.month),
                text("account_id", &self.account_id),
                text("region", &self.region),
                text("service", &self.service),
                text("usage_type", &self.usage_type),
                text_opt("resource_id", &self.resource_id),
                Column::new("cost_usd".into(), self.cost_usd),
                Column::new("usage_quantity".into(), self.usage_quantity),
                text("usage_unit", &self.usage_unit),
            ],
        )
    }
}
