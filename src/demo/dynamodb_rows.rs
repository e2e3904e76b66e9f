//! The column vectors of the demo's five DynamoDB frames, and their assembly.

use polars::prelude::*;

use super::frame::{finish, text, text_opt, ts, ts_opt};
use crate::snapshot::FrameName;

/// `dynamodb_tables`.
#[derive(Default)]
pub struct TableRows {
    pub account_id: Vec<&'static str>,
    pub region: Vec<&'static str>,
    pub table: Vec<String>,
    pub billing_mode: Vec<&'static str>,
    pub table_class: Vec<&'static str>,
    pub provisioned_rcu: Vec<Option<i64>>,
    pub provisioned_wcu: Vec<Option<i64>>,
    pub autoscaling_min: Vec<Option<i64>>,
    pub autoscaling_max: Vec<Option<i64>>,
    pub autoscaling_target: Vec<Option<f64>>,
    pub storage_bytes: Vec<i64>,
    pub item_count: Vec<i64>,
    pub pitr_enabled: Vec<bool>,
    pub replica_regions: Vec<&'static str>,
    pub tags: Vec<String>,
    pub table_class_updated_at: Vec<Option<i64>>,
}

/// `dynamodb_indexes`.
#[derive(Default)]
pub struct IndexRows {
    pub account_id: Vec<&'static str>,
    pub region: Vec<&'static str>,
    pub table: Vec<String>,
    pub index: Vec<&'static str>,
    pub provisioned_rcu: Vec<Option<i64>>,
    pub provisioned_wcu: Vec<Option<i64>>,
    pub storage_bytes: Vec<i64>,
    pub item_count: Vec<i64>,
}

/// `dynamodb_autoscaling`.
#[derive(Default)]
pub struct ScalingRows {
    pub account_id: Vec<&'static str>,
    pub region: Vec<&'static str>,
    pub table: Vec<String>,
    pub index: Vec<Option<&'static str>>,
    pub dimension: Vec<&'static str>,
    pub min_capacity: Vec<i64>,
    pub max_capacity: Vec<i64>,
    pub target_pct: Vec<Option<f64>>,
    pub scale_in_disabled: Vec<bool>,
}

/// `dynamodb_metrics_hourly`.
#[derive(Default)]
pub struct HourlyRows {
    pub account_id: Vec<&'static str>,
    pub region: Vec<&'static str>,
    pub table: Vec<String>,
    pub index: Vec<Option<&'static str>>,
    pub ts: Vec<i64>,
    pub consumed_rcu: Vec<f64>,
    pub consumed_wcu: Vec<f64>,
    pub provisioned_rcu: Vec<Option<f64>>,
    pub provisioned_wcu: Vec<Option<f64>>,
    pub throttled_requests: Vec<i64>,
}

/// `dynamodb_metrics_minute`: the ARN once per unit (a constant run shares one buffer).
#[derive(Default)]
pub struct MinuteRows {
    pub arns: Vec<(String, usize)>,
    pub ts: Vec<i64>,
    pub read_units: Vec<f64>,
    pub write_units: Vec<f64>,
}

impl MinuteRows {
    pub fn start_unit(&mut self, arn: String) {
        self.arns.push((arn, 0));
    }

    pub fn push(&mut self, ts_ms: i64, read_units: f64, write_units: f64) {
        self.ts.push(ts_ms);
        self.read_units.push(read_units);
        self.write_units.push(write_units);
        if let Some(last) = self.arns.last_mut() {
            last.1 += 1;
        }
    }

    fn arn_column(&self) -> Column {
        let mut arn = StringChunked::full_null("arn".into(), 0);
        for (value, rows) in self.arns.iter().filter(|(_, n)| *n > 0) {
            arn.append(&StringChunked::full("arn".into(), value, *rows))
                .unwrap_or_else(|e| panic!("demo generator bug: minute ARN column: {e}"));
        }
        arn.into_series().into_column()
    }
}

/// Every DynamoDB frame of the demo.
#[derive(Default)]
pub struct Frames {
    pub tables: TableRows,
    pub indexes: IndexRows,
    pub scaling: ScalingRows,
    pub hourly: HourlyRows,
    pub minutes: MinuteRows,
}

impl Frames {
    pub fn into_frames(self) -> Vec<(FrameName, DataFrame)> {
        let t = self.tables;
        let tables = finish(
            FrameName::DynamodbTables,
            vec![
                text("account_id", &t.account_id),
                text("region", &t.region),
                text("table", &t.table),
                text("billing_mode", &t.billing_mode),
                text("table_class", &t.table_class),
                Column::new("provisioned_rcu".into(), t.provisioned_rcu),
                Column::new("provisioned_wcu".into(), t.provisioned_wcu),
                Column::new("autoscaling_min".into(), t.autoscaling_min),
                Column::new("autoscaling_max".into(), t.autoscaling_max),
                Column::new("autoscaling_target".into(), t.autoscaling_target),
                Column::new("storage_bytes".into(), t.storage_bytes),
                Column::new("item_count".into(), t.item_count),
                Column::new("pitr_enabled".into(), t.pitr_enabled),
                text("replica_regions", &t.replica_regions),
                text("tags", &t.tags),
                ts_opt("table_class_updated_at", t.table_class_updated_at),
            ],
        );
        let i = self.indexes;
        let indexes = finish(
            FrameName::DynamodbIndexes,
            vec![
                text("account_id", &i.account_id),
                text("region", &i.region),
                text("table", &i.table),
                text("index", &i.index),
                Column::new("provisioned_rcu".into(), i.provisioned_rcu),
                Column::new("provisioned_wcu".into(), i.provisioned_wcu),
                Column::new("storage_bytes".into(), i.storage_bytes),
                Column::new("item_count".into(), i.item_count),
            ],
        );
        let s = self.scaling;
        let scaling = finish(
            FrameName::DynamodbAutoscaling,
            vec![
                text("account_id", &s.account_id),
                text("region", &s.region),
                text("table", &s.table),
                text_opt("index", &s.index),
                text("dimension", &s.dimension),
                Column::new("min_capacity".into(), s.min_capacity),
                Column::new("max_capacity".into(), s.max_capacity),
                Column::new("target_pct".into(), s.target_pct),
                Column::new("scale_in_disabled".into(), s.scale_in_disabled),
            ],
        );
        let h = self.hourly;
        let hourly = finish(
            FrameName::DynamodbMetricsHourly,
            vec![
                text("account_id", &h.account_id),
                text("region", &h.region),
                text("table", &h.table),
                text_opt("index", &h.index),
                ts("ts", h.ts),
                Column::new("consumed_rcu".into(), h.consumed_rcu),
                Column::new("consumed_wcu".into(), h.consumed_wcu),
                Column::new("provisioned_rcu".into(), h.provisioned_rcu),
                Column::new("provisioned_wcu".into(), h.provisioned_wcu),
                Column::new("throttled_requests".into(), h.throttled_requests),
            ],
        );
        let m = self.minutes;
        let arn = m.arn_column();
        let minutes = finish(
            FrameName::DynamodbMetricsMinute,
            vec![
                arn,
                ts("ts", m.ts),
                Column::new("consumed_read_units".into(), m.read_units),
                Column::new("consumed_write_units".into(), m.write_units),
            ],
        );
        vec![
            (FrameName::DynamodbTables, tables),
            (FrameName::DynamodbIndexes, indexes),
            (FrameName::DynamodbAutoscaling, scaling),
            (FrameName::DynamodbMetricsHourly, hourly),
            (FrameName::DynamodbMetricsMinute, minutes),
        ]
    }
}
