//! Shared helpers for the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Output};

/// The built `tierwise` binary.
pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_tierwise"))
}

/// Run tierwise with arguments, from the repository root, with no config from the
/// environment and an empty price cache (never the developer's own).
pub fn tierwise(args: &[&str]) -> Output {
    tierwise_with_cache(args, &empty_cache_home())
}

/// Run tierwise with `XDG_CACHE_HOME` set to `cache_home`.
pub fn tierwise_with_cache(args: &[&str], cache_home: &std::path::Path) -> Output {
    Command::new(bin())
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("TIERWISE_CONFIG")
        .env("XDG_CACHE_HOME", cache_home)
        .env("NO_COLOR", "1")
        .output()
        .expect("run tierwise")
}

/// An empty cache home shared by the tests that do not write one.
pub fn empty_cache_home() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tierwise-it-empty-cache-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    dir
}

/// A fresh, empty directory for one test.
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tierwise-it-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

pub fn repo(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// Run `report <flag> fixtures/invalid/<case>` and return stderr, asserting the bad-input
/// contract: exit 2, nothing on stdout, no panic.
pub fn rejects_input(flag: &str, case: &str) -> String {
    let dir = format!("fixtures/invalid/{case}");
    let out = tierwise(&["report", flag, &dir, "--format", "json"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{case}: expected exit 2, stderr: {err}");
    assert!(out.stdout.is_empty(), "{case}: nothing on stdout on error");
    assert!(!err.contains("panicked"), "{case}: must not panic: {err}");
    err
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The demo report (seed 42, scale 1) with default config.
pub fn demo_report() -> tierwise::Report {
    let input = tierwise::input::Input::Demo { scale: 1, seed: tierwise::demo::DEFAULT_SEED };
    tierwise::commands::build_report(&input, &tierwise::Config::default()).expect("demo report")
}

/// A report holding one finding with every evidence chart kind, one unpriced finding
/// and one cost-to-fix finding: the shapes a presenter must handle.
pub fn report_with_every_shape() -> tierwise::Report {
    use tierwise::report::*;
    let mut report = demo_report();
    let base = report.findings.first().cloned().expect("demo has findings");
    let mut charts = base.clone();
    charts.id = stable_id("test.charts", "r-1");
    charts.evidence.charts = vec![
        Chart::TimeSeries {
            title: "CPU".into(),
            unit: "%".into(),
            series: vec![Series {
                name: "cpu p99.5".into(),
                points: (0..48).map(|h| (h * 3600, (h % 24) as f64)).collect(),
            }],
            thresholds: vec![ThresholdLine { label: "headroom".into(), value: 80.0 }],
        },
        Chart::Histogram {
            title: "object sizes".into(),
            unit: "objects".into(),
            buckets: vec![
                Bucket { label: "<128 KB".into(), value: 10.0 },
                Bucket { label: "≥128 KB".into(), value: 3.0 },
            ],
        },
        Chart::Matrix {
            title: "AZ × AZ".into(),
            unit: "GB".into(),
            rows: vec!["use1-az1".into(), "use1-az2".into()],
            cols: vec!["use1-az1".into(), "use1-az2".into()],
            values: vec![vec![0.0, 12.5], vec![7.0, 0.0]],
        },
        Chart::Ladder {
            title: "DR strategies".into(),
            target_rpo_min: 5.0,
            target_rto_min: 15.0,
            rungs: vec![
                Rung {
                    label: "backup & restore".into(),
                    monthly_cost_usd: Some(10.0),
                    rpo_min: 1440.0,
                    rto_min: 240.0,
                    meets_target: false,
                    current: true,
                },
                Rung {
                    label: "warm standby".into(),
                    monthly_cost_usd: Some(400.0),
                    rpo_min: 1.0,
                    rto_min: 10.0,
                    meets_target: true,
                    current: false,
                },
            ],
        },
    ];
    let mut unpriced = base.clone();
    unpriced.id = stable_id("test.unpriced", "r-2");
    unpriced.monthly_savings_usd = None;
    unpriced.current.monthly_cost_usd = None;
    unpriced.recommended.monthly_cost_usd = None;
    unpriced.payback_days = None;
    unpriced.unpriced_reason = Some("no price for `ebs.gp2.gb_month` in ap-northeast-2".into());
    let mut ranged = base.clone();
    ranged.id = stable_id("test.range", "r-4");
    ranged.monthly_savings_usd = Some(-10.0);
    ranged.monthly_savings_range_usd =
        Some(SavingsRange { low: -10.0, high: 87.79, depends_on: "how much of the data is read".into() });
    let mut cost_to_fix = base;
    cost_to_fix.id = stable_id("test.fix", "r-3");
    cost_to_fix.category = Category::DrTier;
    cost_to_fix.monthly_savings_usd = Some(-120.0);
    report.findings.extend([charts, unpriced, cost_to_fix, ranged]);
    report.summary = summarize(&report.findings, report.summary.monthly_spend_analyzed_usd);
    report
}
