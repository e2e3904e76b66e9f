//! Deterministic synthetic demo account: every frame of the Snapshot contract for a
//! realistic mid-size AWS account, generated from a seed.
//!
//! At scale 1 the account has about 40 EC2 instances, 60 EBS volumes, 12 S3 buckets,
//! 10 DynamoDB tables (2 with a GSI; per-minute consumed capacity for the first 50
//! copies of the account), one EKS cluster with 9 services and 5 DR workloads, in two
//! accounts and three regions (us-east-1; a little in ap-northeast-2 and us-west-2,
//! the DR region, which the embedded price catalog does not cover — the "unpriced"
//! path). It is seeded with
//! the waste the rules look for: idle and oversized instances, previous generations,
//! gp2 and unattached volumes, cold STANDARD data, tiny objects, stale noncurrent
//! versions, incomplete multipart uploads, over-provisioned and on-demand tables,
//! cross-AZ service traffic, S3 through NAT, DR postures above and below target.
//!
//! `scale` N repeats that account N times under distinct names and ids (replica 0
//! keeps the plain names, so scale 1 is a prefix of every larger scale). The numbers
//! come from the crate's own generator ([`rng`]) and integer calendar arithmetic, so a
//! seed gives identical frames on every run and platform.

mod calendar;
mod dr;
mod dynamodb;
mod dynamodb_rows;
mod ebs;
mod ec2_fleet;
mod ec2_metrics;
mod frame;
mod network;
mod network_nat;
mod rng;
mod s3;
mod s3_objects;
mod spend;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::pricing::PriceBook;
use crate::snapshot::{
    CollectorRun, CollectorStatus, FrameName, Manifest, SCHEMA_VERSION, Snapshot, SourceKind, Window,
};

use rng::{Rng, mix64};

pub const DEFAULT_SEED: u64 = 42;

/// The main account; most resources live here.
pub const MAIN_ACCOUNT: &str = "123456789012";
/// A second account (back office) holding a few resources.
pub const BACKOFFICE_ACCOUNT: &str = "210987654321";
pub const PRIMARY_REGION: &str = "us-east-1";
/// A second region with a few resources; the embedded catalog has no prices for it.
pub const SEOUL_REGION: &str = "ap-northeast-2";
/// Where DR copies go; collected too (the reporting workload's standby runs there), but
/// the embedded price catalog does not cover it, so what is billed there is unpriced.
pub const DR_REGION: &str = "us-west-2";

/// The frames the demo writes, in manifest order.
pub const GENERATED_FRAMES: &[FrameName] = &[
    FrameName::S3Buckets,
    FrameName::S3StorageDaily,
    FrameName::S3RequestsDaily,
    FrameName::S3Objects,
    FrameName::Ec2Instances,
    FrameName::Ec2MetricsHourly,
    FrameName::EbsVolumes,
    FrameName::DynamodbTables,
    FrameName::DynamodbIndexes,
    FrameName::DynamodbAutoscaling,
    FrameName::DynamodbMetricsHourly,
    FrameName::DynamodbMetricsMinute,
    FrameName::NetworkFlows,
    FrameName::EksServices,
    FrameName::EksClusters,
    FrameName::NatGateways,
    FrameName::VpcEndpoints,
    FrameName::NatGatewayDaily,
    FrameName::SpendMonthly,
    FrameName::DrWorkloads,
    FrameName::DrPosture,
];

/// Generate the demo account. `scale` 0 is treated as 1.
pub fn generate(scale: u32, seed: u64) -> Snapshot {
    let scale = scale.max(1);
    let prices = PriceBook::embedded();
    let mut ec2 = ec2_metrics::Rows::default();
    let mut volumes_rows = ebs::Rows::default();
    let mut s3_rows = s3::Rows::default();
    let mut objects = s3_objects::Rows::default();
    let mut tables_rows = dynamodb::Rows::default();
    let mut net = network::Rows::default();
    let mut bill = spend::Rows::default();
    let mut dr_rows = dr::Rows::default();
    for index in 0..scale {
        let replica = Replica { seed, index };
        let fleet = ec2_fleet::fleet(&replica);
        ec2.push(&replica, &fleet);
        let volumes = ebs::volumes(&replica, &fleet);
        volumes_rows.push(&volumes);
        let buckets = s3::buckets(&replica);
        s3_rows.push(&replica, &buckets);
        objects.push(&replica, &buckets);
        let tables = tables_rows.push(&replica);
        let traffic = net.push(&replica, &fleet);
        let costs = bill.push(&prices, &fleet, &volumes, &buckets, &tables, &traffic);
        dr_rows.push(&replica, &fleet, &volumes, &buckets, &tables, &costs);
    }

    let mut frames = Vec::new();
    frames.extend(ec2.into_frames());
    frames.push((FrameName::EbsVolumes, volumes_rows.into_frame()));
    frames.extend(s3_rows.into_frames());
    frames.push((FrameName::S3Objects, objects.into_frame()));
    frames.extend(tables_rows.into_frames());
    frames.extend(net.into_frames());
    frames.push((FrameName::SpendMonthly, bill.into_frame()));
    frames.extend(dr_rows.into_frames());

    let mut snapshot = Snapshot::new(manifest(scale, seed, frames.iter().map(|(name, _)| *name).collect()));
    for (name, df) in frames {
        snapshot.insert(name, df);
    }
    snapshot
}

/// Only the demo's DynamoDB frames, the same rows `generate` writes, for benchmarks:
/// `scale` copies of the account's 10 tables, per-minute rows for the first
/// `minute_replicas` copies (`generate` uses 50).
pub fn dynamodb_snapshot(scale: u32, seed: u64, minute_replicas: u32) -> Snapshot {
    let mut rows = dynamodb::Rows::with_minute_replicas(minute_replicas);
    for index in 0..scale.max(1) {
        rows.push(&Replica { seed, index });
    }
    let frames = rows.into_frames();
    let mut snapshot = Snapshot::new(manifest(scale.max(1), seed, frames.iter().map(|(name, _)| *name).collect()));
    for (name, df) in frames {
        snapshot.insert(name, df);
    }
    snapshot
}

fn manifest(scale: u32, seed: u64, mut frames: Vec<FrameName>) -> Manifest {
    frames.sort();
    let end = millis_to_utc(calendar::WINDOW_END_MS);
    let start = millis_to_utc(calendar::WINDOW_START_MS);
    let source_detail = if scale > 1 { format!("seed {seed}, scale {scale}") } else { format!("seed {seed}") };
    let run = CollectorRun {
        status: CollectorStatus::Ok,
        error: None,
        api_calls: BTreeMap::new(),
        frames,
        api_cost_usd: 0.0,
    };
    Manifest {
        schema_version: SCHEMA_VERSION,
        created_at: end,
        source: SourceKind::Demo,
        source_detail,
        accounts: vec![MAIN_ACCOUNT.into(), BACKOFFICE_ACCOUNT.into()],
        regions: vec![PRIMARY_REGION.into(), SEOUL_REGION.into(), DR_REGION.into()],
        window: Window { start, end },
        collectors: BTreeMap::from([("demo".to_string(), run)]),
    }
}

fn millis_to_utc(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).expect("the demo window is a fixed date in 2026, well inside chrono's range")
}

/// Which independent random stream a value comes from.
#[derive(Debug, Clone, Copy)]
enum Stream {
    Instance = 1,
    Metrics,
    Volume,
    Bucket,
    Objects,
    Table,
    Flow,
    NatGateway,
    Vpc,
}

/// One copy of the account: its seed and its position (0 for the plain names).
pub(crate) struct Replica {
    seed: u64,
    index: u32,
}

impl Replica {
    /// `base` for replica 0, `base-c<N>` for the others.
    fn name(&self, base: &str) -> String {
        if self.index == 0 { base.to_string() } else { format!("{base}-c{}", self.index) }
    }

    fn rng(&self, stream: Stream, item: u64) -> Rng {
        Rng::stream(self.seed, &[self.index as u64, stream as u64, item])
    }

    /// An AWS-looking id (`i-0…`, `vol-0…`: 17 hex digits) unique per (replica,
    /// stream, item): a bijective mix of those three, so two resources never collide.
    fn aws_id(&self, prefix: &str, stream: Stream, item: u64) -> String {
        let key = ((self.index as u64) << 24) | (item & 0xFF_FFFF);
        let mask = mix64(self.seed ^ ((stream as u64) << 56));
        format!("{prefix}-0{:016x}", mix64(key ^ mask))
    }
}

/// Tags as a JSON object string with sorted keys, e.g. `{"Name":"web-1","env":"prod"}`.
///
/// Built by hand rather than through `serde_json::Map`, whose key order depends on
/// whether some crate in the build enabled serde_json's `preserve_order` feature.
fn tags_json(pairs: &[(&str, &str)]) -> String {
    let quote = |s: &str| serde_json::Value::String(s.to_string()).to_string();
    let mut sorted = pairs.to_vec();
    sorted.sort();
    let body: Vec<String> = sorted.iter().map(|(k, v)| format!("{}:{}", quote(k), quote(v))).collect();
    format!("{{{}}}", body.join(","))
}

/// Round to `digits` decimals (exact IEEE operations only).
fn round_to(value: f64, digits: i32) -> f64 {
    let factor = match digits {
        0 => 1.0,
        1 => 10.0,
        2 => 100.0,
        3 => 1000.0,
        _ => 10_000.0,
    };
    (value * factor).round() / factor
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_frame_is_generated_and_conforms() {
        let snap = generate(1, DEFAULT_SEED);
        for frame in GENERATED_FRAMES {
            let df = snap.frame(*frame).unwrap_or_else(|| panic!("{frame} missing"));
            assert!(df.height() > 0, "{frame} is empty");
            crate::snapshot::load::conform(std::path::Path::new("t"), *frame, df.clone()).expect("conforms");
        }
        assert_eq!(snap.manifest.collectors["demo"].frames, GENERATED_FRAMES);
    }

    #[test]
    fn ids_are_unique_across_replicas() {
        let mut ids = std::collections::BTreeSet::new();
        for index in 0..50 {
            let replica = Replica { seed: 1, index };
            for item in 0..200 {
                assert!(ids.insert(replica.aws_id("i", Stream::Instance, item)));
            }
        }
        let id = Replica { seed: 1, index: 0 }.aws_id("vol", Stream::Volume, 3);
        assert_eq!(id.len(), "vol-0".len() + 16);
    }

    #[test]
    fn tags_are_sorted_json() {
        assert_eq!(tags_json(&[("team", "x"), ("Name", "a\"b")]), r#"{"Name":"a\"b","team":"x"}"#);
    }
}
