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
        n("request_metrics_scope", Str, "what the request metrics in s3_requests_daily cover: bucket | partial (a prefix, tag or access-point filter) | unknown (found in CloudWatch only); null = no request metrics"),
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
        c("platform", Str, "linux | windows, or a platform slug (rhel, suse, ubuntu-pro, linux-sql-std, … — src/pricing/platform.rs)"),
        c("architecture", Str, "x86_64 | arm64"),
        c("state", Str, "running | stopped | …"),
        n("launch_time", Ts, "launch time (UTC)"),
        c("lifecycle", Str, "on-demand | spot"),
        n("asg_name", Str, "Auto Scaling group name; null when not in a group"),
        n("eks_cluster", Str, "EKS cluster name when the instance is a node; null otherwise"),
        c("tags", Str, "tags as a JSON object string"),
        n("platform_details", Str, "DescribeInstances PlatformDetails, e.g. Red Hat Enterprise Linux; null when unknown"),
        n("usage_operation", Str, "DescribeInstances UsageOperation, e.g. RunInstances:0010 (what the instance is billed as); null when unknown"),
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
        n("hardware_reported", Bool, "true when the row carries DescribeInstanceTypes' GPU, accelerator, storage and network fields below (their nulls then mean none)"),
        n("baseline_gbps", F64, "sustained network bandwidth of all network cards, Gbit/s (not the \"Up to\" burst)"),
        n("efa_supported", Bool, "Elastic Fabric Adapter supported"),
        n("gpu_count", I64, "GPUs; null = none"),
        n("gpu_name", Str, "GPU manufacturer and name, e.g. NVIDIA A10G"),
        n("gpu_memory_mib", I64, "total GPU memory, MiB"),
        n("accelerator_count", I64, "inference/training/FPGA/media accelerators; null = none"),
        n("accelerator_name", Str, "accelerator manufacturer and name, e.g. AWS Inferentia2"),
        n("instance_storage_gb", I64, "local instance storage, GB; null = none (EBS only)"),
        n("instance_storage_type", Str, "ssd | hdd"),
        n("instance_storage_nvme", Bool, "local storage is NVMe"),
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
        c("billing_mode", Str, "PROVISIONED | PAY_PER_REQUEST (applies to the table's GSIs too)"),
        c("table_class", Str, "STANDARD | STANDARD_INFREQUENT_ACCESS (applies to the table's GSIs too)"),
        n("provisioned_rcu", I64, "provisioned read capacity units (null for on-demand)"),
        n("provisioned_wcu", I64, "provisioned write capacity units (null for on-demand)"),
        n("autoscaling_min", I64, "auto-scaling minimum capacity of the table's reads (its writes' when reads have none); null = no auto-scaling. Per dimension and per GSI: `dynamodb_autoscaling`, which wins when present"),
        n("autoscaling_max", I64, "auto-scaling maximum capacity, same scalable target as autoscaling_min"),
        n("autoscaling_target", F64, "auto-scaling target utilisation, percent (70 = 70 %), same scalable target as autoscaling_min; null = no target-tracking policy"),
        c("storage_bytes", I64, "table size (TableSizeBytes, GSIs excluded), bytes"),
        c("item_count", I64, "items"),
        c("pitr_enabled", Bool, "point-in-time recovery enabled"),
        c("replica_regions", Str, "global-table replica regions, comma-separated; empty when none"),
        c("tags", Str, "tags as a JSON object string"),
        n("table_class_updated_at", Ts, "when the table class was last changed (TableClassSummary.LastUpdateDateTime, UTC); null = never or unknown"),
    ];
    DynamodbIndexes = "dynamodb_indexes", "global secondary index (its own capacity unit)", &[
        c("account_id", Str, "12-digit AWS account id"),
        c("region", Str, "region"),
        c("table", Str, "table name"),
        c("index", Str, "index name (GlobalSecondaryIndexName)"),
        n("provisioned_rcu", I64, "provisioned read capacity units of the index (null when the table is on-demand)"),
        n("provisioned_wcu", I64, "provisioned write capacity units of the index (null when the table is on-demand)"),
        c("storage_bytes", I64, "index size (IndexSizeBytes), bytes"),
        c("item_count", I64, "items in the index"),
    ];
    DynamodbAutoscaling = "dynamodb_autoscaling", "Application Auto Scaling target (table or GSI × read or write)", &[
        c("account_id", Str, "12-digit AWS account id"),
        c("region", Str, "region"),
        c("table", Str, "table name"),
        n("index", Str, "GSI name; null for the table itself"),
        c("dimension", Str, "read | write (dynamodb:table|index:ReadCapacityUnits / WriteCapacityUnits)"),
        c("min_capacity", I64, "MinCapacity, capacity units"),
        c("max_capacity", I64, "MaxCapacity, capacity units"),
        n("target_pct", F64, "TargetValue of the target-tracking policy, percent utilisation (70 = 70 %); the lowest when several; null = no target-tracking policy"),
        c("scale_in_disabled", Bool, "DisableScaleIn on the policy, or dynamic scale-in suspended on the target"),
    ];
    DynamodbMetricsHourly = "dynamodb_metrics_hourly", "capacity unit (table or GSI) × hour", &[
        c("account_id", Str, "12-digit AWS account id (two regions or accounts may hold tables of the same name)"),
        c("region", Str, "region"),
        c("table", Str, "table name"),
        n("index", Str, "GSI name (GlobalSecondaryIndexName dimension); null for the table itself"),
        c("ts", Ts, "start of the hour (UTC)"),
        c("consumed_rcu", F64, "ConsumedReadCapacityUnits sum over the hour ÷ 3600, units per second (average)"),
        c("consumed_wcu", F64, "ConsumedWriteCapacityUnits sum over the hour ÷ 3600, units per second (average)"),
        n("provisioned_rcu", F64, "ProvisionedReadCapacityUnits average; null for on-demand"),
        n("provisioned_wcu", F64, "ProvisionedWriteCapacityUnits average; null for on-demand"),
        c("throttled_requests", I64, "ReadThrottleEvents + WriteThrottleEvents sum over the hour (for a GSI, its own events)"),
    ];
    DynamodbMetricsMinute = "dynamodb_metrics_minute", "capacity unit (table or GSI) × minute", &[
        c("arn", Str, "the unit's ARN: arn:aws:dynamodb:<region>:<account>:table/<table>, + /index/<gsi> for a GSI (one key column keeps this frame, often millions of rows, small in memory)"),
        c("ts", Ts, "start of the minute (UTC)"),
        c("consumed_read_units", F64, "ConsumedReadCapacityUnits Sum over the minute (Period 60), capacity units; ÷ 60 = units per second. A minute without a row had no reads or writes"),
        c("consumed_write_units", F64, "ConsumedWriteCapacityUnits Sum over the minute (Period 60), capacity units; ÷ 60 = units per second"),
    ];
    NetworkFlows = "network_flows", "(source, destination, day) aggregate", &[
        c("date", Date, "day (UTC)"),
        c("src_az_id", Str, "source AZ id, e.g. use1-az1; empty when unknown"),
        c("dst_az_id", Str, "destination AZ id; empty for destinations outside the VPC (internet, AWS public endpoints) or unknown"),
        c("src_kind", Str, "pod | service | node | nat | endpoint | external | control-plane | unknown (see docs/network.md)"),
        c("src_name", Str, "source name (namespace/name for services; namespace/workload for pods; the address for unknown ones)"),
        c("dst_kind", Str, "pod | service | node | nat | endpoint | external | control-plane | unknown"),
        c("dst_name", Str, "destination name (for external: internet or aws:<SERVICE>)"),
        n("eks_cluster", Str, "EKS cluster the flow belongs to; null outside EKS"),
        c("bytes", I64, "bytes transferred that day, both directions of a connection on its client → server row, counted once (see docs/network.md), bytes"),
        c("via", Str, "direct | nat-gateway | endpoint"),
        n("via_id", Str, "NAT gateway (nat-…) or VPC endpoint (vpce-…) the bytes passed through; null when direct or unknown"),
        n("via_az_id", Str, "AZ id of that NAT gateway or endpoint network interface (the first hop from the source); null when none or unknown"),
        n("aws_service", Str, "AWS service of an external destination (S3, DYNAMODB, …: pkt-dst-aws-service, AWS prefix lists, or the endpoint's service); null otherwise"),
        n("service_region", Str, "region of that service's address when a prefix list placed it; null when only the service name is known"),
        n("region", Str, "region of the VPC the flow was recorded in; null when unknown"),
        n("records", I64, "flow-log records summed into the row; null for synthetic data"),
    ];
    EksServices = "eks_services", "Kubernetes service", &[
        c("eks_cluster", Str, "EKS cluster name"),
        c("namespace", Str, "namespace"),
        c("service", Str, "service name"),
        n("traffic_distribution", Str, "spec.trafficDistribution (e.g. PreferSameZone); null when unset"),
        n("topology_mode", Str, "service.kubernetes.io/topology-mode annotation (e.g. Auto), or the legacy topology-aware-hints one; null when unset"),
        c("endpoints_by_az", Str, "ready endpoints per AZ id as a JSON object string, e.g. {\"use1-az1\":2}"),
        n("internal_traffic_policy", Str, "spec.internalTrafficPolicy (Cluster | Local; Local disables zone hints); null when unset"),
        n("zone_hints", Bool, "every ready endpoint carries an EndpointSlice zone hint (hints in effect); null when unknown"),
    ];
    EksClusters = "eks_clusters", "EKS cluster", &[
        c("eks_cluster", Str, "cluster name"),
        n("account_id", Str, "12-digit AWS account id"),
        n("region", Str, "region"),
        n("kubernetes_version", Str, "Kubernetes minor version, e.g. 1.33"),
        n("version_source", Str, "eks (DescribeCluster / describe-cluster) | kubelet (lowest node kubelet version: a lower bound)"),
        n("vpc_id", Str, "cluster VPC"),
        n("node_cpu_by_az", Str, "allocatable vCPUs of the cluster's nodes per AZ id, JSON object string; null when unknown"),
        n("nodegroups", I64, "managed node groups (ListNodegroups); null when unknown"),
        n("platform_version", Str, "EKS platform version, e.g. eks.4"),
    ];
    AvailabilityZones = "availability_zones", "availability zone (DescribeAvailabilityZones)", &[
        n("account_id", Str, "12-digit AWS account id (zone names map to zone ids per account)"),
        c("region", Str, "region"),
        c("zone_name", Str, "zone name, e.g. us-east-1a"),
        c("zone_id", Str, "zone id, e.g. use1-az1 (the same physical zone in every account)"),
        n("zone_type", Str, "availability-zone | local-zone | wavelength-zone"),
    ];
    VpcSubnets = "vpc_subnets", "subnet (DescribeSubnets)", &[
        n("account_id", Str, "12-digit AWS account id"),
        c("region", Str, "region"),
        c("vpc_id", Str, "vpc-…"),
        c("subnet_id", Str, "subnet-…"),
        c("az", Str, "availability zone name"),
        c("az_id", Str, "availability zone id"),
        c("cidr", Str, "IPv4 CIDR block"),
    ];
    NetworkInterfaces = "network_interfaces", "elastic network interface (DescribeNetworkInterfaces)", &[
        n("account_id", Str, "owner account id"),
        c("region", Str, "region"),
        c("eni_id", Str, "eni-…"),
        c("interface_type", Str, "interface | nat_gateway | vpc_endpoint | trunk | branch | … (the wire value)"),
        c("description", Str, "description, e.g. Interface for NAT Gateway nat-…"),
        n("subnet_id", Str, "subnet-…"),
        n("az_id", Str, "availability zone id"),
        n("vpc_id", Str, "vpc-…"),
        c("private_ips", Str, "private IPv4 addresses, comma-separated, primary first"),
        n("instance_id", Str, "attached instance; null for requester-managed interfaces"),
        c("requester_managed", Bool, "managed by an AWS service (NAT gateway, endpoint, EKS control plane, load balancer)"),
        n("eks_cluster", Str, "EKS cluster the interface serves (VPC CNI tag or control-plane description); null otherwise"),
    ];
    NatGateways = "nat_gateways", "NAT gateway (DescribeNatGateways)", &[
        n("account_id", Str, "12-digit AWS account id"),
        c("region", Str, "region"),
        c("nat_gateway_id", Str, "nat-…"),
        n("vpc_id", Str, "vpc-…"),
        n("subnet_id", Str, "subnet of a zonal NAT gateway; null for regional ones"),
        n("az_id", Str, "AZ id of that subnet"),
        c("state", Str, "pending | available | deleting | deleted | failed"),
        n("connectivity_type", Str, "public | private"),
        c("private_ips", Str, "private addresses, comma-separated"),
        c("eni_ids", Str, "network interfaces, comma-separated"),
        n("created_at", Ts, "creation time (UTC)"),
        c("tags", Str, "tags as a JSON object string"),
    ];
    VpcEndpoints = "vpc_endpoints", "VPC endpoint (DescribeVpcEndpoints)", &[
        n("account_id", Str, "owner account id"),
        c("region", Str, "region"),
        c("vpc_endpoint_id", Str, "vpce-…"),
        n("vpc_id", Str, "vpc-…"),
        c("service_name", Str, "e.g. com.amazonaws.us-east-1.s3"),
        c("endpoint_type", Str, "Gateway | Interface | GatewayLoadBalancer"),
        c("state", Str, "available | pending | …"),
        c("subnet_ids", Str, "subnets of an interface endpoint, comma-separated"),
        c("route_table_ids", Str, "route tables of a gateway endpoint, comma-separated"),
        c("eni_ids", Str, "network interfaces of an interface endpoint, comma-separated"),
        n("created_at", Ts, "creation time (UTC)"),
    ];
    PrefixLists = "prefix_lists", "AWS-managed prefix list (DescribeManagedPrefixLists / describe-prefix-lists)", &[
        c("region", Str, "region"),
        c("prefix_list_id", Str, "pl-…"),
        c("name", Str, "e.g. com.amazonaws.us-east-1.s3"),
        c("cidrs", Str, "CIDR blocks, comma-separated"),
    ];
    NatGatewayDaily = "nat_gateway_daily", "NAT gateway × day", &[
        c("nat_gateway_id", Str, "nat-…"),
        c("date", Date, "day (UTC)"),
        n("bytes_processed", I64, "data processed that day, bytes: CloudWatch BytesInFromSource + BytesInFromDestination, or the bytes flow logs saw through the gateway; null when the day is not covered"),
        n("active_connections_max", F64, "CloudWatch ActiveConnectionCount maximum that day; null when unknown"),
        n("bytes_out_to_destination", I64, "CloudWatch BytesOutToDestination sum that day, bytes; null when unknown"),
        c("source", Str, "cloudwatch | flow-logs"),
    ];
    FlowLogCoverage = "flow_log_coverage", "flow-log source (an import directory or an S3 prefix)", &[
        c("source", Str, "where the records came from"),
        n("start", Ts, "earliest record start (UTC)"),
        n("end", Ts, "latest record end (UTC)"),
        c("files", I64, "flow-log files read"),
        c("records", I64, "records read (header lines excluded)"),
        c("counted_records", I64, "records whose bytes were counted"),
        c("duplicate_records", I64, "records of a flow already counted on another interface (the receiving end, NAT gateway interfaces)"),
        c("nodata_records", I64, "NODATA records (no traffic on the interface in the interval)"),
        c("skipdata_records", I64, "SKIPDATA records (AWS skipped records: bytes are undercounted)"),
        c("rejected_records", I64, "REJECT records (no bytes transferred)"),
        c("incomplete_records", I64, "OK records with `-` in a field the count needs"),
        c("malformed_lines", I64, "lines that are not records of the file's format"),
        c("bytes_counted", I64, "bytes counted, bytes"),
        c("unattributed_bytes", I64, "counted bytes with an end tierwise could not name (pod, node, NAT, endpoint, external), bytes"),
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
    DrWorkloads = "dr_workloads", "declared workload (tags are read from the resource frames at analysis)", &[
        c("workload", Str, "workload name"),
        n("rto_target_min", I64, "recovery time objective, minutes; null = no target declared"),
        n("rpo_target_min", I64, "recovery point objective, minutes; null = no target declared"),
        n("primary_region", Str, "primary region; null = inferred from the members' regions"),
        n("dr_region", Str, "recovery region; null when none chosen"),
        c("resources", Str, "resource ids or ARNs in the workload, comma-separated"),
        n("declared_strategy", Str, "backup-restore | pilot-light | warm-standby | multi-site; null when undeclared"),
        n("monthly_cost_usd", F64, "current monthly cost of the workload's primary footprint, USD"),
        n("data_gib", F64, "data the workload must protect, GiB (informational: dr.tier sizes data from the member stores)"),
        n("selectors", Str, "tag selectors, `key=value` or `key`, comma-separated: resources carrying any of them belong to the workload"),
        n("source", Str, "where the declaration came from, e.g. `tierwise.toml dr.workload[0]`"),
    ];
    DrPosture = "dr_posture", "workload × mechanism (or one mechanism found by a collector)", &[
        n("workload", Str, "workload name; null when the collector could not tell (the rule attributes the row through `resources` / `selection_tags`)"),
        c("mechanism", Str, "backup-plan | s3-crr | dynamodb-global-table | pitr | standby-capacity | active-active | drs | replication"),
        c("detail", Str, "human-readable detail (plan name, bucket, table, …)"),
        n("frequency_min", I64, "how often the mechanism captures data, minutes (0 = continuous)"),
        n("dest_region", Str, "region the copy lands in; null when same-region"),
        n("region", Str, "region the mechanism runs in (where the protected resources live)"),
        n("resources", Str, "resource ids or ARNs it protects, comma-separated (`*` wildcards as in AWS Backup selections); null = every resource of the workload"),
        n("selection_tags", Str, "it also protects resources carrying any of these tags, `key=value` comma-separated (AWS Backup selection by tag)"),
        n("retention_days", I64, "how long its copies are kept, days"),
        n("data_gib", F64, "data it replicates, GiB (Elastic Disaster Recovery: the source server's disks)"),
        n("capacity", I64, "standby-capacity: instances running in `dest_region`"),
        n("instance_type", Str, "standby-capacity: their instance type"),
    ];
    RdsDatabases = "rds_databases", "RDS DB instance or DB cluster (Aurora); cluster members are folded into their cluster", &[
        c("account_id", Str, "12-digit AWS account id"),
        c("region", Str, "region"),
        c("db_id", Str, "DB instance identifier, or DB cluster identifier"),
        c("arn", Str, "DB instance or cluster ARN"),
        c("kind", Str, "instance | cluster"),
        c("engine", Str, "postgres, mysql, aurora-postgresql, …"),
        n("instance_class", Str, "db.r6g.large, …; for a cluster the writer's class"),
        c("instance_count", I64, "DB instances (1 for an instance; writer + readers for a cluster)"),
        c("storage_gib", F64, "allocated storage, GiB"),
        c("multi_az", Bool, "Multi-AZ deployment"),
        c("backup_retention_days", I64, "automated backup retention, days (0 = automated backups off)"),
        n("replica_source", Str, "source DB identifier or ARN when this is a read replica"),
        c("replica_regions", Str, "regions of its read replicas, comma-separated; empty when none"),
        c("backup_replication_regions", Str, "regions its automated backups are replicated to, comma-separated; empty when none"),
        n("global_cluster", Str, "Aurora global database identifier; null when not a member"),
        c("global_regions", Str, "regions of the global database's members other than this one, comma-separated"),
        c("tags", Str, "tags as a JSON object string"),
    ];
    AutoscalingGroups = "autoscaling_groups", "Auto Scaling group", &[
        c("account_id", Str, "12-digit AWS account id (from the group ARN)"),
        c("region", Str, "region"),
        c("asg_name", Str, "group name"),
        c("desired_capacity", I64, "desired capacity, instances"),
        c("min_size", I64, "minimum size"),
        c("max_size", I64, "maximum size"),
        c("instance_types", Str, "instance types of its instances (or mixed-instances overrides), comma-separated; empty when unknown"),
        c("instance_ids", Str, "its instances, comma-separated"),
        c("tags", Str, "tags as a JSON object string"),
    ];
    S3Replication = "s3_replication", "bucket × replication rule", &[
        c("bucket", Str, "source bucket"),
        c("rule_id", Str, "rule ID"),
        c("status", Str, "Enabled | Disabled"),
        c("dest_bucket", Str, "destination bucket name"),
        n("dest_region", Str, "destination bucket region; null when unknown"),
        n("dest_storage_class", Str, "storage class of the replicas; null = the source object's class"),
        c("rtc", Bool, "S3 Replication Time Control on (99.99 % of objects within 15 minutes)"),
        n("prefix", Str, "rule filter prefix; null or empty = the whole bucket"),
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
        assert_eq!(FrameName::ALL.len(), 32);
    }
}
