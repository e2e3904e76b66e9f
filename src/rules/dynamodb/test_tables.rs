//! Test tables for the DynamoDB rules: tables and GSIs with consumption shaped minute by
//! minute over the 14-day test window, written as the collector writes them (tables,
//! indexes, auto-scaling, hourly and per-minute metrics).

use std::sync::Arc;

use crate::pricing::PriceBook;
use crate::report::Finding;
use crate::rules::test_support::{run_priced, snapshot, tables, window_end_ms};
use crate::rules::{Rule, RuleContext, RuleOutput, Shared, find};
use crate::snapshot::builder::{Cell, FrameBuilder};
use crate::snapshot::{FrameName, Snapshot};

use super::analysis::DynamoAnalysis;
use super::{CapacityMode, Overprovisioned, TableClass};

pub const GIB: f64 = 1_073_741_824.0;
pub const WINDOW_DAYS: i64 = 14;

/// Consumption in units per second, by minute from the start of the data.
#[derive(Debug, Clone, Copy)]
pub enum Shape {
    Steady(f64),
    /// `base`, and `spike` for `len` minutes every `every` minutes.
    Spikes {
        base: f64,
        spike: f64,
        every: i64,
        len: i64,
    },
}

impl Shape {
    pub fn at(&self, minute: i64) -> f64 {
        match *self {
            Shape::Steady(v) => v,
            Shape::Spikes { base, spike, every, len } => {
                if minute % every < len {
                    spike
                } else {
                    base
                }
            }
        }
    }
}

#[derive(Debug, Clone)]
pub struct TestUnit {
    pub index: Option<&'static str>,
    /// Configured (read, write) provision; None = on-demand.
    pub provisioned: Option<(i64, i64)>,
    /// (min, max, target percent) on both dimensions.
    pub scaling: Option<(i64, i64, f64)>,
    /// Hourly ProvisionedCapacityUnits reported (when auto-scaled); else the configured value.
    pub reported: Option<(f64, f64)>,
    pub reads: Shape,
    pub writes: Shape,
    pub storage_gib: f64,
    /// (hour from the start of the data, throttle events).
    pub throttles: Vec<(i64, i64)>,
}

#[derive(Debug, Clone)]
pub struct TestTable {
    pub name: &'static str,
    pub account: &'static str,
    pub region: &'static str,
    pub class: &'static str,
    pub replicas: &'static str,
    /// Days of data ending at the window end.
    pub days: i64,
    /// Write per-minute rows too.
    pub minutes: bool,
    /// `autoscaling_*` columns on the table instead of a `dynamodb_autoscaling` frame.
    pub scaling_in_table_columns: bool,
    pub class_updated_days_ago: Option<i64>,
    /// The table first, then its GSIs.
    pub units: Vec<TestUnit>,
}

fn unit(index: Option<&'static str>, provisioned: Option<(i64, i64)>) -> TestUnit {
    TestUnit {
        index,
        provisioned,
        scaling: None,
        reported: None,
        reads: Shape::Steady(0.0),
        writes: Shape::Steady(0.0),
        storage_gib: 1.0,
        throttles: vec![],
    }
}

fn table(name: &'static str, provisioned: Option<(i64, i64)>) -> TestTable {
    TestTable {
        name,
        account: "123456789012",
        region: "us-east-1",
        class: "STANDARD",
        replicas: "",
        days: WINDOW_DAYS,
        minutes: true,
        scaling_in_table_columns: false,
        class_updated_days_ago: None,
        units: vec![unit(None, provisioned)],
    }
}

pub fn on_demand(name: &'static str) -> TestTable {
    table(name, None)
}

pub fn provisioned(name: &'static str, rcu: i64, wcu: i64) -> TestTable {
    table(name, Some((rcu, wcu)))
}

/// A GSI with its own provision (ignored when its table is on-demand).
pub fn gsi(name: &'static str, rcu: i64, wcu: i64) -> TestUnit {
    unit(Some(name), Some((rcu, wcu)))
}

impl TestUnit {
    pub fn load(mut self, reads: Shape, writes: Shape) -> TestUnit {
        (self.reads, self.writes) = (reads, writes);
        self
    }
}

impl TestTable {
    pub fn load(mut self, reads: Shape, writes: Shape) -> TestTable {
        self.units[0].reads = reads;
        self.units[0].writes = writes;
        self
    }

    /// Auto-scaling on the table's reads and writes, and what CloudWatch reports it provisioned.
    pub fn autoscaling(mut self, min: i64, max: i64, target_pct: f64, reported: (f64, f64)) -> TestTable {
        self.units[0].scaling = Some((min, max, target_pct));
        self.units[0].reported = Some(reported);
        self
    }

    pub fn storage_gib(mut self, gib: f64) -> TestTable {
        self.units[0].storage_gib = gib;
        self
    }

    pub fn gsi(mut self, unit: TestUnit) -> TestTable {
        self.units.push(TestUnit { provisioned: self.units[0].provisioned.and(unit.provisioned), ..unit });
        self
    }

    pub fn throttled(mut self, hour: i64, events: i64) -> TestTable {
        self.units[0].throttles.push((hour, events));
        self
    }

    pub fn days(mut self, days: i64) -> TestTable {
        self.days = days;
        self
    }

    pub fn hourly_only(mut self) -> TestTable {
        self.minutes = false;
        self
    }
}

fn arn(t: &TestTable, u: &TestUnit) -> String {
    let base = format!("arn:aws:dynamodb:{}:{}:table/{}", t.region, t.account, t.name);
    match u.index {
        Some(i) => format!("{base}/index/{i}"),
        None => base,
    }
}

/// The frames of `tables`, as a collected snapshot holds them.
pub fn snapshot_of(tables: &[TestTable]) -> Snapshot {
    let end_s = window_end_ms() / 1000;
    let mut t_rows = FrameBuilder::with_defaults(FrameName::DynamodbTables);
    let mut i_rows = FrameBuilder::with_defaults(FrameName::DynamodbIndexes);
    let mut a_rows = FrameBuilder::with_defaults(FrameName::DynamodbAutoscaling);
    let mut h_rows = FrameBuilder::with_defaults(FrameName::DynamodbMetricsHourly);
    let mut m_rows = FrameBuilder::with_defaults(FrameName::DynamodbMetricsMinute);
    for t in tables {
        let base = &t.units[0];
        let on_demand = base.provisioned.is_none();
        let in_columns = t.scaling_in_table_columns.then_some(base.scaling).flatten();
        t_rows
            .row([
                ("account_id", t.account.into()),
                ("region", t.region.into()),
                ("table", t.name.into()),
                ("billing_mode", if on_demand { "PAY_PER_REQUEST" } else { "PROVISIONED" }.into()),
                ("table_class", t.class.into()),
                ("provisioned_rcu", base.provisioned.map(|p| p.0).into()),
                ("provisioned_wcu", base.provisioned.map(|p| p.1).into()),
                ("autoscaling_min", in_columns.map(|s| s.0).into()),
                ("autoscaling_max", in_columns.map(|s| s.1).into()),
                ("autoscaling_target", in_columns.map(|s| s.2).into()),
                ("storage_bytes", ((base.storage_gib * GIB) as i64).into()),
                ("replica_regions", t.replicas.into()),
                ("tags", "{\"team\":\"test\"}".into()),
                (
                    "table_class_updated_at",
                    Cell::Ts(t.class_updated_days_ago.map(|d| window_end_ms() - d * 86_400_000)),
                ),
            ])
            .expect("table row");
        let start_s = end_s - t.days * 86_400;
        for u in &t.units {
            if let Some(index) = u.index {
                i_rows
                    .row([
                        ("account_id", t.account.into()),
                        ("region", t.region.into()),
                        ("table", t.name.into()),
                        ("index", index.into()),
                        ("provisioned_rcu", u.provisioned.map(|p| p.0).into()),
                        ("provisioned_wcu", u.provisioned.map(|p| p.1).into()),
                        ("storage_bytes", ((u.storage_gib * GIB) as i64).into()),
                    ])
                    .expect("index row");
            }
            if let Some((min, max, target)) = u.scaling.filter(|_| !t.scaling_in_table_columns) {
                for dim in ["read", "write"] {
                    a_rows
                        .row([
                            ("account_id", t.account.into()),
                            ("region", t.region.into()),
                            ("table", t.name.into()),
                            ("index", u.index.into()),
                            ("dimension", dim.into()),
                            ("min_capacity", min.into()),
                            ("max_capacity", max.into()),
                            ("target_pct", target.into()),
                        ])
                        .expect("autoscaling row");
                }
            }
            let reported = u.reported.or(u.provisioned.map(|(r, w)| (r as f64, w as f64)));
            let unit_arn = arn(t, u);
            for hour in 0..t.days * 24 {
                let (mut r, mut w) = (0.0, 0.0);
                for m in 0..60 {
                    let minute = hour * 60 + m;
                    let (rm, wm) = (u.reads.at(minute), u.writes.at(minute));
                    (r, w) = (r + rm / 60.0, w + wm / 60.0);
                    if t.minutes && (rm > 0.0 || wm > 0.0) {
                        m_rows
                            .row([
                                ("arn", unit_arn.as_str().into()),
                                ("ts", Cell::Ts(Some((start_s + minute * 60) * 1000))),
                                // Sum over the minute: units per second × 60.
                                ("consumed_read_units", (rm * 60.0).into()),
                                ("consumed_write_units", (wm * 60.0).into()),
                            ])
                            .expect("minute row");
                    }
                }
                let throttles: i64 = u.throttles.iter().filter(|(h, _)| *h == hour).map(|(_, n)| n).sum();
                h_rows
                    .row([
                        ("account_id", t.account.into()),
                        ("region", t.region.into()),
                        ("table", t.name.into()),
                        ("index", u.index.into()),
                        ("ts", Cell::Ts(Some((start_s + hour * 3600) * 1000))),
                        ("consumed_rcu", r.into()),
                        ("consumed_wcu", w.into()),
                        ("provisioned_rcu", reported.map(|p| p.0).into()),
                        ("provisioned_wcu", reported.map(|p| p.1).into()),
                        ("throttled_requests", throttles.into()),
                    ])
                    .expect("hourly row");
            }
        }
    }
    let mut frames = vec![
        (FrameName::DynamodbTables, t_rows.finish().expect("tables")),
        (FrameName::DynamodbIndexes, i_rows.finish().expect("indexes")),
        (FrameName::DynamodbMetricsHourly, h_rows.finish().expect("hourly")),
        (FrameName::DynamodbMetricsMinute, m_rows.finish().expect("minutes")),
    ];
    if !tables.iter().any(|t| t.scaling_in_table_columns) {
        frames.push((FrameName::DynamodbAutoscaling, a_rows.finish().expect("autoscaling")));
    }
    snapshot(frames)
}

/// The family's shared analysis of `snap` with `[rules…]` tables `toml`.
pub fn analysis(snap: &Snapshot, toml: &str) -> Arc<DynamoAnalysis> {
    let (family, rule) = find("dynamodb.capacity-mode").expect("registered");
    let params = tables(toml).params_for(family, rule);
    let shared = Shared::default();
    let prices = PriceBook::embedded();
    DynamoAnalysis::of(&RuleContext { snapshot: snap, prices: &prices, params: &params, shared: &shared })
        .expect("analysis")
}

/// Every DynamoDB rule's output, in registry order.
pub fn run_all(snap: &Snapshot, toml: &str, prices: &PriceBook) -> Vec<(&'static str, RuleOutput)> {
    let rules: [&dyn Rule; 3] = [&CapacityMode, &Overprovisioned, &TableClass];
    rules.iter().map(|r| (r.id(), run_priced(*r, snap, toml, prices))).collect()
}

pub fn findings_of<'a>(outs: &'a [(&'static str, RuleOutput)]) -> Vec<&'a Finding> {
    outs.iter().flat_map(|(_, o)| &o.findings).collect()
}

pub fn stat(f: &Finding, name: &str) -> Option<f64> {
    f.evidence.statistics.iter().find(|s| s.name == name).map(|s| s.value)
}
