//! The Snapshot contract: one explicit schema per frame.
//!
//! Every frame and column is declared here once; `docs/snapshot.md` is generated
//! from these tables (see `schema_markdown`) and a test keeps the two equal.

use polars::prelude::{DataType, Field, Schema, TimeUnit};
use serde::{Deserialize, Serialize};

/// Logical column type. Bytes are bytes, money is USD, time is UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    Str,
    I64,
    F64,
    Bool,
    /// Calendar date (UTC).
    Date,
    /// Timestamp, milliseconds since the epoch, UTC.
    Ts,
}

impl Ty {
    pub fn dtype(self) -> DataType {
        match self {
            Ty::Str => DataType::String,
            Ty::I64 => DataType::Int64,
            Ty::F64 => DataType::Float64,
            Ty::Bool => DataType::Boolean,
            Ty::Date => DataType::Date,
            Ty::Ts => DataType::Datetime(TimeUnit::Milliseconds, None),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Ty::Str => "string",
            Ty::I64 => "int64",
            Ty::F64 => "float64",
            Ty::Bool => "bool",
            Ty::Date => "date",
            Ty::Ts => "timestamp[ms, UTC]",
        }
    }
}

/// One documented column.
#[derive(Debug, Clone, Copy)]
pub struct Col {
    pub name: &'static str,
    pub ty: Ty,
    pub nullable: bool,
    /// Unit and meaning, for docs/snapshot.md.
    pub doc: &'static str,
}

const fn c(name: &'static str, ty: Ty, doc: &'static str) -> Col {
    Col { name, ty, nullable: false, doc }
}
const fn n(name: &'static str, ty: Ty, doc: &'static str) -> Col {
    Col { name, ty, nullable: true, doc }
}

use Ty::*;

macro_rules! frames {
    ($($variant:ident = $name:literal, $row:literal, $cols:expr;)+) => {
        /// Every frame of the snapshot contract.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum FrameName { $($variant),+ }

        impl FrameName {
            pub const ALL: &'static [FrameName] = &[$(FrameName::$variant),+];

            /// The file stem and the name used in the manifest (`s3_buckets`).
            pub fn as_str(self) -> &'static str {
                match self { $(FrameName::$variant => $name),+ }
            }

            /// What one row stands for.
            pub fn row(self) -> &'static str {
                match self { $(FrameName::$variant => $row),+ }
            }

            /// The documented columns, in order.
            pub fn columns(self) -> &'static [Col] {
                match self { $(FrameName::$variant => { const COLS: &[Col] = $cols; COLS }),+ }
            }
        }
    };
}

frames! {
    S3Buckets = "s3_buckets", "bucket", &[
        c("account_id", Str, "12-digit AWS account id"),
        c("region", Str, "bucket region, e.g. us-east-1"),
        c("bucket", Str, "bucket name"),
        c("versioning", Str, "Enabled | Suspended | Disabled"),
        c("lifecycle_rule_count", I64, "number of lifecycle rules configured"),
        n("noncurrent_expiration_days", I64, "days after which noncurrent versions expire per lifecycle; null = never"),
        n("abort_incomplete_multipart_days", I64, "lifecycle AbortIncompleteMultipartUpload days; null = not configured"),
        c("intelligent_tiering_configured", Bool, "an Intelligent-Tiering archive configuration exists"),
        n("replication_dest_region", Str, "region of the replication destination; null = no replication"),
        n("created_at", Ts, "bucket creation time (UTC)"),
        c("tags", Str, "bucket tags as a JSON object string, e.g. {\"team\":\"data\"}"),
    ];
    S3StorageDaily = "s3_storage_daily", "bucket × day × storage class", &[
        c("bucket", Str, "bucket name"),
        c("date", Date, "day (UTC)"),
        c("storage_class", Str, "STANDARD, STANDARD_IA, ONEZONE_IA, INTELLIGENT_TIERING_FA/IA/AIA/AA/DAA, GLACIER_IR, GLACIER, DEEP_ARCHIVE"),
        c("bytes", I64, "bytes stored (CloudWatch BucketSizeBytes), bytes"),
        n("objects", I64, "object count (CloudWatch NumberOfObjects; reported for all classes together under STANDARD by AWS)"),
    ];
    S3RequestsDaily = "s3_requests_daily", "bucket × day", &[
        c("bucket", Str, "bucket name"),
        c("date", Date, "day (UTC)"),
        n("get_requests", I64, "GET requests that day; null when request metrics are not enabled"),
        n("put_requests", I64, "PUT/COPY/POST requests that day; null when not enabled"),
        n("list_requests", I64, "LIST requests that day; null when not enabled"),
        n("bytes_downloaded", I64, "bytes downloaded that day; null when not enabled"),
    ];
    S3Objects = "s3_objects", "object version (from S3 Inventory)", &[
        c("bucket", Str, "bucket name"),
        c("key", Str, "object key"),
        c("size", I64, "object size, bytes"),
        c("last_modified", Ts, "last modified (UTC)"),
        c("storage_class", Str, "storage class as reported by S3 Inventory"),
        c("is_latest", Bool, "true for the current version"),
        c("multipart_upload_incomplete", Bool, "true for parts of an incomplete multipart upload"),
    ];
    S3ObjectHistogram = "s3_object_histogram", "bucket × prefix × storage class × version state × size bucket × age bucket (aggregated S3 Inventory)", &[
        c("bucket", Str, "bucket name"),
        c("prefix", Str, "first-level key prefix, up to and including the first `/`; empty for keys without `/`"),
        c("storage_class", Str, "storage class as reported by S3 Inventory"),
        c("is_latest", Bool, "true for current versions, false for noncurrent ones"),
        c("multipart_upload_incomplete", Bool, "true for parts of incomplete multipart uploads (never true from S3 Inventory alone)"),
        c("size_bucket", I64, "k such that 2^k ≤ size < 2^(k+1), bytes (sizes 0 and 1 are bucket 0); k = 17 starts at 128 KiB"),
        c("age_days_min", I64, "lower bound of the age bucket, days since last modified at `as_of`: 0, 7, 14, 30, 60, 90, 180, 365 or 730"),
        c("objects", I64, "objects (versions) in the cell"),
        c("bytes", I64, "sum of their sizes, bytes"),
        c("as_of", Ts, "time the ages are measured from: the inventory's creation time (UTC)"),
    ];
    Ec2Instances = "ec2_instances", "instance", &[
        c("account_id", Str, "12-digit AWS account id"),
        c("region", Str, "region"),
        c("az", Str, "availability zone name, e.g. us-east-1a"),
        c("instance_id", Str, "i-…"),
        c("instance_type", Str, "e.g. m5.2xlarge"),
        c("platform", Str, "linux | windows"),
        c("architecture", Str, "x86_64 | arm64"),
        c("state", Str, "running | stopped | …"),
        n("launch_time", Ts, "launch time (UTC)"),
        c("lifecycle", Str, "on-demand | spot"),
        n("asg_name", Str, "Auto Scaling group name; null when not in a group"),
        n("eks_cluster", Str, "EKS cluster name when the instance is a node; null otherwise"),
        c("tags", Str, "tags as a JSON object string"),
    ];
    Ec2MetricsHourly = "ec2_metrics_hourly", "instance × hour", &[
        c("instance_id", Str, "i-…"),
        c("ts", Ts, "start of the hour (UTC)"),
        c("cpu_avg", F64, "CPUUtilization average over the hour, percent 0-100"),
        n("cpu_max", F64, "CPUUtilization maximum over the hour, percent 0-100; null when CloudWatch had no Maximum"),
        n("mem_used_pct", F64, "CWAgent mem_used_percent average, percent 0-100; null when the agent is absent"),
        n("net_in_bytes", F64, "NetworkIn sum over the hour, bytes; null when not reported"),
        n("net_out_bytes", F64, "NetworkOut sum over the hour, bytes; null when not reported"),
        n("ebs_read_ops", F64, "EBSReadOps sum over the hour, operations; null when not reported"),
        n("ebs_write_ops", F64, "EBSWriteOps sum over the hour, operations; null when not reported"),
    ];
    Ec2InstanceTypes = "ec2_instance_types", "instance type offered in the collected regions (DescribeInstanceTypes)", &[
        c("instance_type", Str, "e.g. m7g.large"),
        c("vcpus", I64, "default vCPUs"),
        c("memory_mib", I64, "memory, MiB"),
        c("architectures", Str, "supported architectures, `;`-separated (x86_64;arm64)"),
        c("network_performance", Str, "network performance label, e.g. Up to 12.5 Gigabit"),
        c("burstable", Bool, "burstable performance (T family)"),
        c("current_generation", Bool, "AWS's CurrentGeneration flag"),
    ];
    EbsVolumes = "ebs_volumes", "volume", &[
        n("account_id", Str, "12-digit AWS account id"),
        n("region", Str, "region"),
        c("volume_id", Str, "vol-…"),
        c("az", Str, "availability zone name"),
        c("volume_type", Str, "gp2 | gp3 | io1 | io2 | st1 | sc1 | standard"),
        c("size_gib", I64, "size, GiB"),
        n("iops", I64, "provisioned (or baseline) IOPS"),
        n("throughput_mibps", I64, "provisioned throughput, MiB/s (gp3)"),
        c("state", Str, "available | in-use | …"),
        n("attached_instance_id", Str, "instance the volume is attached to; null when detached"),
        n("create_time", Ts, "creation time (UTC)"),
        c("tags", Str, "tags as a JSON object string"),
    ];
    DynamodbTables = "dynamodb_tables", "table", &[
        c("account_id", Str, "12-digit AWS account id"),
        c("region", Str, "region"),
        c("table", Str, "table name"),
        c("billing_mode", Str, "PROVISIONED | PAY_PER_REQUEST"),
        c("table_class", Str, "STANDARD | STANDARD_INFREQUENT_ACCESS"),
        n("provisioned_rcu", I64, "provisioned read capacity units (null for on-demand)"),
        n("provisioned_wcu", I64, "provisioned write capacity units (null for on-demand)"),
        n("autoscaling_min", I64, "auto-scaling minimum capacity; null = no auto-scaling"),
        n("autoscaling_max", I64, "auto-scaling maximum capacity; null = no auto-scaling"),
        n("autoscaling_target", F64, "auto-scaling target utilisation, percent"),
        c("storage_bytes", I64, "table size, bytes"),
        c("item_count", I64, "items"),
        c("pitr_enabled", Bool, "point-in-time recovery enabled"),
        c("replica_regions", Str, "global-table replica regions, comma-separated; empty when none"),
        c("tags", Str, "tags as a JSON object string"),
    ];
    DynamodbMetricsHourly = "dynamodb_metrics_hourly", "table × hour", &[
        c("table", Str, "table name"),
        c("ts", Ts, "start of the hour (UTC)"),
        c("consumed_rcu", F64, "ConsumedReadCapacityUnits sum over the hour ÷ 3600, units per second (average)"),
        c("consumed_wcu", F64, "ConsumedWriteCapacityUnits sum over the hour ÷ 3600, units per second (average)"),
        n("provisioned_rcu", F64, "ProvisionedReadCapacityUnits average; null for on-demand"),
        n("provisioned_wcu", F64, "ProvisionedWriteCapacityUnits average; null for on-demand"),
        c("throttled_requests", I64, "ThrottledRequests sum over the hour"),
    ];
    NetworkFlows = "network_flows", "(source, destination, day) aggregate", &[
        c("date", Date, "day (UTC)"),
        c("src_az_id", Str, "source AZ id, e.g. use1-az1"),
        c("dst_az_id", Str, "destination AZ id"),
        c("src_kind", Str, "pod | service | node | nat | endpoint | external"),
        c("src_name", Str, "source name (namespace/name for pods and services)"),
        c("dst_kind", Str, "pod | service | node | nat | endpoint | external"),
        c("dst_name", Str, "destination name"),
        n("eks_cluster", Str, "EKS cluster the flow belongs to; null outside EKS"),
        c("bytes", I64, "bytes transferred that day, bytes"),
        c("via", Str, "direct | nat-gateway | endpoint"),
    ];
    EksServices = "eks_services", "Kubernetes service", &[
        c("eks_cluster", Str, "EKS cluster name"),
        c("namespace", Str, "namespace"),
        c("service", Str, "service name"),
        n("traffic_distribution", Str, "spec.trafficDistribution (e.g. PreferSameZone); null when unset"),
        n("topology_mode", Str, "service.kubernetes.io/topology-mode annotation (e.g. Auto); null when unset"),
        c("endpoints_by_az", Str, "ready endpoints per AZ id as a JSON object string, e.g. {\"use1-az1\":2}"),
    ];
    SpendMonthly = "spend_monthly", "month × service × usage type", &[
        c("month", Date, "first day of the month (UTC)"),
        c("account_id", Str, "12-digit AWS account id"),
        c("region", Str, "region (or global)"),
        c("service", Str, "AWS service name as in Cost Explorer"),
        c("usage_type", Str, "usage type, e.g. USE1-BoxUsage:m5.large"),
        n("resource_id", Str, "resource id when known"),
        c("cost_usd", F64, "unblended cost, USD"),
        c("usage_quantity", F64, "usage amount in usage_unit"),
        c("usage_unit", Str, "unit of usage_quantity (Hrs, GB-Mo, …)"),
    ];
    EffectiveRates = "effective_rates", "month × account × region × service × usage type × resource × coverage", &[
        c("month", Date, "first day of the billing period (UTC)"),
        c("account_id", Str, "12-digit AWS account id of the usage"),
        c("region", Str, "region of the usage (or global)"),
        c("service", Str, "product code as billed, e.g. AmazonEC2"),
        c("usage_type", Str, "usage type, e.g. USE1-BoxUsage:m5.large (FOCUS 1.2: the SKU meter)"),
        c("operation", Str, "operation, e.g. RunInstances:0002 (empty when the export has none)"),
        n("resource_id", Str, "resource id (instance, volume, bucket, table ARN); null for lines without one"),
        c("coverage", Str, "on-demand | savings-plan | reservation | spot: how the usage was paid"),
        c("list_cost_usd", F64, "public on-demand cost of the usage (CUR pricing_public_on_demand_cost, FOCUS ListCost), USD"),
        c("effective_cost_usd", F64, "what the usage cost after Savings Plans, RIs and discounts, amortized (CUR effective/net columns, FOCUS EffectiveCost), USD"),
        c("usage_quantity", F64, "usage amount in usage_unit"),
        c("usage_unit", Str, "unit of usage_quantity (Hrs, GB-Mo, …)"),
    ];
    DrWorkloads = "dr_workloads", "workload", &[
        c("workload", Str, "workload name"),
        c("rto_target_min", I64, "recovery time objective, minutes"),
        c("rpo_target_min", I64, "recovery point objective, minutes"),
        c("primary_region", Str, "primary region"),
        n("dr_region", Str, "recovery region; null when none chosen"),
        c("resources", Str, "resource ids or ARNs in the workload, comma-separated"),
        n("declared_strategy", Str, "backup-restore | pilot-light | warm-standby | multi-site; null when undeclared"),
        n("monthly_cost_usd", F64, "current monthly cost of the workload's primary footprint, USD"),
        n("data_gib", F64, "data the workload must protect, GiB"),
    ];
    DrPosture = "dr_posture", "workload × mechanism", &[
        c("workload", Str, "workload name"),
        c("mechanism", Str, "backup-plan | s3-crr | dynamodb-global-table | pitr | standby-capacity | active-active"),
        c("detail", Str, "human-readable detail (plan name, bucket, table, …)"),
        n("frequency_min", I64, "how often the mechanism captures data, minutes (0 = continuous)"),
        n("dest_region", Str, "region the copy lands in; null when same-region"),
    ];
}

impl FrameName {
    /// The Polars schema of the documented columns.
    pub fn schema(self) -> Schema {
        self.columns().iter().map(|col| Field::new(col.name.into(), col.ty.dtype())).collect()
    }

    pub fn parse(name: &str) -> Option<FrameName> {
        FrameName::ALL.iter().copied().find(|f| f.as_str() == name)
    }

    pub fn column(self, name: &str) -> Option<&'static Col> {
        self.columns().iter().find(|c| c.name == name)
    }
}

impl std::fmt::Display for FrameName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The body of docs/snapshot.md's frame reference, generated from the tables above.
pub fn schema_markdown() -> String {
    let mut out = String::new();
    for frame in FrameName::ALL {
        out.push_str(&format!("### `{}` — one row per {}\n\n", frame.as_str(), frame.row()));
        out.push_str("| column | type | nullable | unit / meaning |\n|---|---|---|---|\n");
        for col in frame.columns() {
            out.push_str(&format!(
                "| `{}` | {} | {} | {} |\n",
                col.name,
                col.ty.name(),
                if col.nullable { "yes" } else { "no" },
                col.doc.replace('|', "\\|")
            ));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_frame_has_unique_columns() {
        for frame in FrameName::ALL {
            let mut names: Vec<_> = frame.columns().iter().map(|c| c.name).collect();
            let before = names.len();
            names.sort();
            names.dedup();
            assert_eq!(before, names.len(), "{frame} has a duplicate column");
            assert_eq!(frame.schema().len(), before);
        }
    }

    #[test]
    fn frame_names_round_trip() {
        for frame in FrameName::ALL {
            assert_eq!(FrameName::parse(frame.as_str()), Some(*frame));
        }
        assert_eq!(FrameName::ALL.len(), 17);
    }
}
