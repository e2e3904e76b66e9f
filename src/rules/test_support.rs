//! Helpers for rule tests: a snapshot holding hand-built frames, and a runner.

use chrono::{TimeZone, Utc};
use polars::prelude::DataFrame;

use crate::pricing::PriceBook;
use crate::report::Finding;
use crate::snapshot::{FrameName, Manifest, SCHEMA_VERSION, Snapshot, SourceKind, Window, load::conform};

use super::{Rule, RuleContext, RuleOutput, RuleTables, Shared, find};

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

/// Parse `[rules…]` tables (TOML text, e.g. `[rules.ec2]` or `[rules."ec2.idle"]`) and
/// check them as config load would.
pub fn tables(rules_toml: &str) -> RuleTables {
    #[derive(serde::Deserialize)]
    struct Doc {
        #[serde(default)]
        rules: RuleTables,
    }
    let doc: Doc = toml::from_str(rules_toml).expect("test config parses");
    doc.rules.validate().expect("test config is valid");
    doc.rules
}

/// Run one rule with the given `[rules…]` tables and the embedded prices.
pub fn run(rule: &dyn Rule, snap: &Snapshot, rules_toml: &str) -> RuleOutput {
    run_priced(rule, snap, rules_toml, &PriceBook::embedded())
}

/// Run one rule with the given tables and price book (a fresh per-run cache each time).
pub fn run_priced(rule: &dyn Rule, snap: &Snapshot, rules_toml: &str, prices: &PriceBook) -> RuleOutput {
    let (family, _) = find(rule.id()).expect("a registered rule");
    let params = tables(rules_toml).params_for(family, rule);
    let shared = Shared::default();
    rule.evaluate(&RuleContext { snapshot: snap, prices, params: &params, shared: &shared }).expect("rule runs")
}

pub fn savings(f: &Finding) -> f64 {
    f.monthly_savings_usd.expect("priced finding")
}

/// Assert two dollar amounts are equal to the cent.
#[track_caller]
pub fn assert_usd(actual: f64, expected: f64) {
    assert!((actual - expected).abs() < 0.005, "expected ${expected:.2}, got ${actual:.2}");
}
