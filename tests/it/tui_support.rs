//! Helpers for the dashboard tests: the demo report, an app at a size, drawing to
//! text with ratatui's TestBackend, and a synthetic report with every chart kind.
#![allow(dead_code)]

use std::collections::BTreeMap;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tierwise::Config;
use tierwise::input::Input;
use tierwise::report::{
    Action as FixAction, Bucket, Category, Chart, CostOfAnalysis, CostSide, Evidence, Finding, MigrationEffort, Report,
    Resource, Rung, Series, Severity, SourceInfo, Stat, ThresholdLine, Warning, WindowInfo, stable_id, summarize,
};
use tierwise::tui::{Action, App, AppOptions, Keymap, Theme};

/// The demo account's report, as `tierwise --demo` shows it.
pub fn demo_report() -> Report {
    tierwise::commands::build_report(&Input::Demo { scale: 1, seed: tierwise::demo::DEFAULT_SEED }, &Config::default())
        .expect("demo report")
}

pub fn options(width: u16, height: u16) -> AppOptions {
    AppOptions {
        theme: Theme::monochrome(),
        keymap: Keymap::default(),
        source_label: "demo (seed 42)".into(),
        width,
        height,
    }
}

/// An app showing `report` in a `width`×`height` terminal.
pub fn app_with(report: Report, width: u16, height: u16) -> App {
    App::with_report(options(width, height), report)
}

pub fn apply_all(app: &mut App, actions: impl IntoIterator<Item = Action>) {
    for action in actions {
        let _ = app.apply(action);
    }
}

/// Type a string into the search.
pub fn type_text(app: &mut App, text: &str) {
    apply_all(app, text.chars().map(Action::SearchInput));
}

/// Draw the app on a TestBackend of the app's size; the screen as text.
pub fn draw(app: &App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
    terminal.draw(|frame| tierwise::tui::render(frame, app)).expect("draw");
    terminal.backend().to_string()
}

fn resource(id: &str, name: &str, region: &str, tags: &[(&str, &str)]) -> Resource {
    Resource {
        arn_or_id: id.into(),
        kind: "test-resource".into(),
        account_id: "111122223333".into(),
        region: region.into(),
        name: name.into(),
        tags: tags.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<BTreeMap<_, _>>(),
    }
}

fn finding(rule: &str, category: Category, res: Resource, savings: f64, chart: Chart) -> Finding {
    Finding {
        id: stable_id(rule, &res.arn_or_id),
        rule: rule.into(),
        title: format!("{rule} on {}", res.name),
        category,
        severity: Severity::High,
        resource: res,
        current: CostSide { description: "what runs now".into(), monthly_cost_usd: Some(savings * 2.0) },
        recommended: CostSide { description: "what it could be".into(), monthly_cost_usd: Some(savings) },
        monthly_savings_usd: Some(savings),
        monthly_savings_range_usd: None,
        one_time_cost_usd: 10.0,
        payback_days: Some(10.0 / savings * 30.42),
        unpriced_reason: None,
        confidence: 0.9,
        confidence_reasons: vec!["14 days of hourly data".into()],
        performance_risk: 1,
        migration_effort: MigrationEffort::Low,
        evidence: Evidence {
            window_days: 14.0,
            datapoints: 336,
            statistics: vec![Stat::new("cpu p99.5", 12.5, "%")],
            thresholds: vec![Stat::new("headroom", 80.0, "%")],
            charts: vec![chart],
        },
        rationale: "A synthetic finding that carries one chart of a single kind, to check that the dashboard draws \
                    every kind of evidence without code of its own."
            .into(),
        actions: vec![
            FixAction::new("aws-cli", "aws ec2 modify-instance-attribute --instance-id i-0 --instance-type m7g.large"),
            FixAction::new("note", "Stop the instance first."),
        ],
        pricing: None,
        converted: None,
    }
}

fn histogram_small() -> Chart {
    Chart::Histogram {
        title: "Daily GB".into(),
        unit: "GB".into(),
        buckets: vec![Bucket { label: "mon".into(), value: 3.0 }, Bucket { label: "tue".into(), value: 5.0 }],
    }
}

fn unpriced(mut f: Finding) -> Finding {
    f.current.monthly_cost_usd = None;
    f.recommended.monthly_cost_usd = None;
    f.monthly_savings_usd = None;
    f.payback_days = None;
    f.unpriced_reason = Some("no price for `ec2.ondemand.linux.m7g.large` in ap-northeast-2".into());
    f
}

/// A breached target: the recommendation costs more (negative savings).
fn cost_to_fix(mut f: Finding) -> Finding {
    let s = f.monthly_savings_usd.unwrap_or_default();
    f.current.monthly_cost_usd = Some(s);
    f.recommended.monthly_cost_usd = Some(2.0 * s);
    f.monthly_savings_usd = Some(-s);
    f.payback_days = None;
    f
}

/// A fixed report: one finding per chart kind (time series, histogram, matrix, ladder),
/// then a small EBS finding, an unpriced finding and a cost to fix — every shape a
/// view must draw, independent of the rules (adding a rule never changes it).
pub fn synthetic_report() -> Report {
    let start = 1_790_000_000i64;
    let points = |f: fn(i64) -> f64| (0..336).map(|h| (start + h * 3600, f(h))).collect::<Vec<_>>();
    let time_series = Chart::TimeSeries {
        title: "CPU utilisation".into(),
        unit: "%".into(),
        series: vec![
            Series { name: "cpu avg".into(), points: points(|h| 10.0 + (h % 24) as f64) },
            Series { name: "cpu max".into(), points: points(|h| 20.0 + (h % 24) as f64 * 1.5) },
        ],
        thresholds: vec![ThresholdLine { label: "target p99.5".into(), value: 60.0 }],
    };
    let histogram = Chart::Histogram {
        title: "Object sizes".into(),
        unit: "objects".into(),
        buckets: [("< 128 KB", 120_000.0), ("128 KB–1 MB", 40_000.0), ("1–16 MB", 9_000.0), ("> 16 MB", 300.0)]
            .iter()
            .map(|(l, v)| Bucket { label: l.to_string(), value: *v })
            .collect(),
    };
    let azs = vec!["use1-az1".to_string(), "use1-az2".to_string(), "use1-az4".to_string()];
    let matrix = Chart::Matrix {
        title: "Bytes between AZs".into(),
        unit: "GB/day".into(),
        rows: azs.clone(),
        cols: azs,
        values: vec![vec![900.0, 120.0, 40.0], vec![110.0, 800.0, 35.0], vec![30.0, 20.0, 700.0]],
    };
    let rung = |label: &str, cost: f64, rpo: f64, rto: f64, meets: bool, current: bool| Rung {
        label: label.into(),
        monthly_cost_usd: Some(cost),
        rpo_min: rpo,
        rto_min: rto,
        meets_target: meets,
        current,
    };
    let ladder = Chart::Ladder {
        title: "DR strategies".into(),
        rungs: vec![
            rung("backup & restore", 120.0, 1440.0, 480.0, false, true),
            rung("pilot light", 420.0, 15.0, 60.0, true, false),
            rung("warm standby", 1900.0, 1.0, 15.0, true, false),
            rung("multi-site active/active", 5200.0, 0.0, 1.0, true, false),
        ],
        target_rpo_min: 60.0,
        target_rto_min: 240.0,
    };
    let findings = vec![
        finding(
            "ec2.rightsize",
            Category::Rightsizing,
            resource("i-0aa", "web-1", "us-east-1", &[("env", "prod")]),
            400.0,
            time_series,
        ),
        finding(
            "s3.storage-class",
            Category::StorageTiering,
            resource("logs", "logs", "us-east-1", &[("env", "dev")]),
            300.0,
            histogram,
        ),
        finding(
            "network.cross-az",
            Category::CrossAz,
            resource("checkout", "checkout", "eu-west-1", &[]),
            200.0,
            matrix,
        ),
        finding(
            "dr.tier",
            Category::DrTier,
            resource("orders", "orders", "eu-west-1", &[("env", "prod")]),
            100.0,
            ladder.clone(),
        ),
        finding(
            "ebs.gp2-to-gp3",
            Category::StorageTiering,
            resource("vol-0bb", "data-vol", "us-east-1", &[("env", "staging")]),
            25.0,
            histogram_small(),
        ),
        unpriced(finding(
            "ec2.graviton",
            Category::Graviton,
            resource("i-0cc", "api-seoul", "ap-northeast-2", &[("env", "staging")]),
            0.0,
            histogram_small(),
        )),
        cost_to_fix(finding(
            "dr.tier",
            Category::DrTier,
            resource("checkout-dr", "checkout", "us-east-1", &[("env", "staging")]),
            150.0,
            ladder,
        )),
    ];
    Report {
        schema_version: tierwise::report::REPORT_SCHEMA_VERSION,
        generated_at: "2026-11-01T00:00:00Z".into(),
        tool_version: "test".into(),
        source: SourceInfo {
            kind: "snapshot".into(),
            detail: "synthetic".into(),
            accounts: vec!["111122223333".into()],
            regions: vec!["us-east-1".into(), "eu-west-1".into()],
            window: WindowInfo { start: "2026-10-18T00:00:00Z".into(), end: "2026-11-01T00:00:00Z".into(), days: 14.0 },
            pricing_as_of: "2026-07-20".into(),
            coverage: [("ec2".to_string(), "ok".to_string()), ("network".to_string(), "partial".to_string())].into(),
            pricing: Default::default(),
        },
        summary: summarize(&findings, Some(10_000.0)),
        findings,
        warnings: vec![Warning {
            source: "collector network".into(),
            message: "partial: no flow logs for vpc-0b".into(),
        }],
        cost_of_analysis: CostOfAnalysis::default(),
        display_currency: None,
    }
}
