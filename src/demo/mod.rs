//! Deterministic synthetic demo account (placeholder being replaced by the full generator).

use chrono::{TimeZone, Utc};
use polars::prelude::*;

use crate::snapshot::{
    CollectorRun, CollectorStatus, FrameName, Manifest, SCHEMA_VERSION, Snapshot, SourceKind, Window,
};

pub const DEFAULT_SEED: u64 = 42;

pub fn generate(_scale: u32, seed: u64) -> Snapshot {
    let end = Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap();
    let start = end - chrono::Duration::days(14);
    let manifest = Manifest {
        schema_version: SCHEMA_VERSION,
        created_at: end,
        source: SourceKind::Demo,
        source_detail: format!("seed {seed}"),
        accounts: vec!["123456789012".into()],
        regions: vec!["us-east-1".into()],
        window: Window { start, end },
        collectors: [(
            "demo".to_string(),
            CollectorRun {
                status: CollectorStatus::Ok,
                error: None,
                api_calls: Default::default(),
                frames: vec![FrameName::EbsVolumes],
            },
        )]
        .into(),
    };
    let mut snap = Snapshot::new(manifest);
    let df = df!(
        "account_id" => ["123456789012", "123456789012"],
        "region" => ["us-east-1", "us-east-1"],
        "volume_id" => ["vol-1", "vol-2"],
        "az" => ["us-east-1a", "us-east-1b"],
        "volume_type" => ["gp2", "gp3"],
        "size_gib" => [500i64, 100],
        "iops" => [Some(1500i64), Some(3000)],
        "throughput_mibps" => [None::<i64>, Some(125)],
        "state" => ["in-use", "available"],
        "attached_instance_id" => [Some("i-1"), None],
        "create_time" => [Some(0i64), Some(0)],
        "tags" => ["{}", "{}"],
    )
    .unwrap();
    let df = crate::snapshot::load::conform(
        std::path::Path::new("demo"),
        FrameName::EbsVolumes,
        df.lazy()
            .with_column(col("create_time").cast(DataType::Datetime(TimeUnit::Milliseconds, None)))
            .collect()
            .unwrap(),
    )
    .unwrap();
    snap.insert(FrameName::EbsVolumes, df);
    snap
}
