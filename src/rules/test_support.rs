//! Helpers for rule tests: a snapshot holding hand-built frames, and a runner.

use chrono::{TimeZone, Utc};
use polars::prelude::DataFrame;

use crate::config::Config;
use crate::pricing::PriceBook;
use crate::report::Finding;
use crate::snapshot::{FrameName, Manifest, SCHEMA_VERSION, Snapshot, SourceKind, Window, load::conform};

use super::{Rule, RuleContext, RuleOutput};

/// Window end of every test snapshot: 2026-11-01T00:00:00Z, 14 days.
pub fn window_end_ms() -> i64 {
    Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).single().expect("valid date").timestamp_millis()
}

pub fn snapshot(frames: Vec<(FrameName, DataFrame)>) -> Snapshot {
    let end = Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).single().expect("valid date");
    let mut snap = Snapshot::new(Manifest {
        schema_version: SCHEMA_VERSION,
        created_at: end,
        source: SourceKind::Snapshot,
        source_detail: "test".into(),
        accounts: vec!["123456789012".into()],
        regions: vec!["us-east-1".into()],
        window: Window { start: end - chrono::Duration::days(14), end },
        collectors: Default::default(),
    });
    for (name, df) in frames {
        let df = conform(std::path::Path::new(name.as_str()), name, df).expect("test frame matches the schema");
        snap.insert(name, df);
    }
    snap
}

/// Run one rule with the given config (TOML text for `[rules."<id>"]` etc.).
pub fn run(rule: &dyn Rule, snap: &Snapshot, config_toml: &str) -> RuleOutput {
    let config = Config::parse(config_toml, std::path::Path::new("test.toml")).expect("test config");
    let prices: PriceBook = config.price_book().expect("prices");
    let params = config.rule_params(rule);
    rule.evaluate(&RuleContext { snapshot: snap, prices: &prices, params: &params }).expect("rule runs")
}

pub fn savings(f: &Finding) -> f64 {
    f.monthly_savings_usd.expect("priced finding")
}

/// Assert two dollar amounts are equal to the cent.
#[track_caller]
pub fn assert_usd(actual: f64, expected: f64) {
    assert!((actual - expected).abs() < 0.005, "expected ${expected:.2}, got ${actual:.2}");
}
