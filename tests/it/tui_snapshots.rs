//! Every view of the dashboard, drawn on ratatui's TestBackend at 80×24 and 140×40,
//! driven by sequences of actions, compared with insta snapshots. Layout snapshots draw
//! the fixed synthetic report, so a new or changed rule never re-accepts them; the two
//! `demo_*` snapshots draw the demo on purpose (what a newcomer sees first).
//! Regenerate after an intended change: `INSTA_UPDATE=always cargo test --test it tui_snapshots`.

use tierwise::report::{Chart, Report};
use tierwise::tui::{Action, App, LoadEvent};

use crate::tui_support::{app_with, apply_all, demo_report, draw, options, synthetic_report, type_text};

const SIZES: [(u16, u16); 2] = [(80, 24), (140, 40)];

fn check(name: &str, app: &App, (w, h): (u16, u16)) {
    insta::assert_snapshot!(format!("{name}_{w}x{h}"), draw(app, w, h));
}

/// Display position of the first finding with a time-series chart (else of the
/// first finding with any chart, else 0).
fn position_of_richest(app: &App, report: &Report) -> usize {
    let visible: Vec<_> = app.visible_findings().collect();
    let has = |pred: &dyn Fn(&Chart) -> bool| visible.iter().position(|f| f.evidence.charts.iter().any(pred));
    has(&|c| matches!(c, Chart::TimeSeries { .. })).or_else(|| has(&|_| true)).unwrap_or(0).min(report.findings.len())
}

#[test]
fn overview() {
    for size in SIZES {
        let app = app_with(synthetic_report(), size.0, size.1);
        check("overview", &app, size);
    }
}

#[test]
fn findings_table() {
    for size in SIZES {
        let mut app = app_with(synthetic_report(), size.0, size.1);
        apply_all(&mut app, [Action::NextView]);
        check("findings", &app, size);
    }
}

#[test]
fn findings_while_searching() {
    for size in SIZES {
        let mut app = app_with(synthetic_report(), size.0, size.1);
        apply_all(&mut app, [Action::StartSearch]);
        type_text(&mut app, "gp");
        check("findings_search", &app, size);
    }
}

#[test]
fn detail_of_a_finding_with_evidence() {
    for size in SIZES {
        let report = synthetic_report();
        let mut app = app_with(report.clone(), size.0, size.1);
        apply_all(&mut app, [Action::NextView]);
        let position = position_of_richest(&app, &report);
        apply_all(&mut app, std::iter::repeat_n(Action::Down, position));
        apply_all(&mut app, [Action::Open]);
        check("detail", &app, size);
        if size == (80, 24) {
            // At 80 columns the charts follow the text: two pages down.
            apply_all(&mut app, [Action::PageDown, Action::PageDown]);
            check("detail_scrolled", &app, size);
        }
    }
}

#[test]
fn demo_overview_and_detail() {
    let report = demo_report();
    let mut app = app_with(report.clone(), 140, 40);
    check("demo_overview", &app, (140, 40));
    apply_all(&mut app, [Action::NextView]);
    let position = position_of_richest(&app, &report);
    apply_all(&mut app, std::iter::repeat_n(Action::Down, position));
    apply_all(&mut app, [Action::Open]);
    check("demo_detail", &app, (140, 40));
}

#[test]
fn help_overlay() {
    for size in SIZES {
        let mut app = app_with(synthetic_report(), size.0, size.1);
        apply_all(&mut app, [Action::NextView, Action::ToggleHelp]);
        check("help", &app, size);
    }
}

#[test]
fn warnings_overlay() {
    for size in SIZES {
        let mut app = app_with(synthetic_report(), size.0, size.1);
        apply_all(&mut app, [Action::ToggleWarnings]);
        check("warnings", &app, size);
    }
}

#[test]
fn filter_and_export_menus() {
    for size in SIZES {
        let mut app = app_with(synthetic_report(), size.0, size.1);
        apply_all(&mut app, [Action::OpenFilterMenu]);
        check("filter_menu", &app, size);
        apply_all(&mut app, [Action::CloseOverlay, Action::OpenExportMenu]);
        check("export_menu", &app, size);
    }
}

#[test]
fn loading_progress() {
    for size in SIZES {
        let mut app = App::new(options(size.0, size.1));
        apply_all(
            &mut app,
            [
                Action::Load(LoadEvent::Progress { source: "demo".into(), status: "read 14 frames".into() }),
                Action::Load(LoadEvent::Progress { source: "ec2".into(), status: "partial: no memory metrics".into() }),
                Action::Load(LoadEvent::Progress { source: "analysis".into(), status: "running the rules…".into() }),
            ],
        );
        check("loading", &app, size);
    }
}

#[test]
fn load_failed() {
    for size in SIZES {
        let mut app = App::new(options(size.0, size.1));
        apply_all(
            &mut app,
            [Action::Load(LoadEvent::Failed(
                "fixtures/broken: manifest.json: missing field `schema_version` at line 1 column 2".into(),
            ))],
        );
        check("load_failed", &app, size);
        // The failure is a screen, not a crash; quitting still works.
        apply_all(&mut app, [Action::Down, Action::Open, Action::Quit]);
        assert!(app.should_quit());
    }
}

#[test]
fn every_chart_kind_renders_at_80x24() {
    let report = synthetic_report();
    let names = ["time_series", "histogram", "matrix", "ladder"];
    for (i, name) in names.iter().enumerate() {
        let mut app = app_with(report.clone(), 80, 24);
        apply_all(&mut app, [Action::NextView]);
        apply_all(&mut app, std::iter::repeat_n(Action::Down, i));
        apply_all(&mut app, [Action::Open]);
        // Scroll to the chart: it comes after the text at this width.
        let text_rows = 18;
        apply_all(&mut app, std::iter::repeat_n(Action::Down, text_rows));
        check(&format!("evidence_{name}"), &app, (80, 24));
    }
    let mut app = app_with(report, 140, 40);
    apply_all(&mut app, [Action::NextView, Action::Open]);
    check("evidence_wide", &app, (140, 40));
}

#[test]
fn never_panics_at_small_or_odd_sizes() {
    let report = synthetic_report();
    for (w, h) in [(1, 1), (20, 5), (40, 10), (41, 11), (60, 15), (79, 23), (200, 12), (30, 60)] {
        let mut app = app_with(report.clone(), w, h);
        for action in [Action::NextView, Action::Open, Action::PageDown, Action::ToggleHelp, Action::PageDown] {
            let _ = app.apply(action);
            draw(&app, w, h);
        }
        apply_all(&mut app, [Action::CloseOverlay, Action::OpenFilterMenu]);
        draw(&app, w, h);
    }
}

#[test]
fn relayout_on_resize_keeps_the_selection_visible() {
    let mut app = app_with(synthetic_report(), 140, 40);
    apply_all(&mut app, [Action::NextView, Action::Bottom, Action::Resize { width: 80, height: 12 }]);
    let screen = draw(&app, 80, 12);
    let last = app.visible_findings().last().map(|f| f.resource.name.clone()).unwrap_or_default();
    assert!(screen.contains(&last), "the selected last row must stay on screen after a resize:\n{screen}");
}

#[test]
fn evidence_charts_never_panic_in_tiny_areas() {
    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;
    use tierwise::tui::Theme;
    use tierwise::tui::widgets::evidence;

    let report = synthetic_report();
    let mut charts: Vec<Chart> = report.findings.iter().flat_map(|f| f.evidence.charts.clone()).collect();
    // Degenerate data: empty, single point, NaN, all zero.
    charts.push(Chart::TimeSeries { title: "empty".into(), unit: String::new(), series: vec![], thresholds: vec![] });
    charts.push(Chart::TimeSeries {
        title: "one point".into(),
        unit: "%".into(),
        series: vec![tierwise::report::Series { name: "x".into(), points: vec![(0, f64::NAN), (1, 0.0)] }],
        thresholds: vec![],
    });
    charts.push(Chart::Histogram { title: "zeros".into(), unit: String::new(), buckets: vec![] });
    charts.push(Chart::Matrix {
        title: "ragged".into(),
        unit: String::new(),
        rows: vec!["a".into()],
        cols: vec!["b".into(), "c".into()],
        values: vec![],
    });
    charts.push(Chart::Ladder { title: "none".into(), rungs: vec![], target_rpo_min: 1.0, target_rto_min: 1.0 });
    for theme in [Theme::default(), Theme::monochrome()] {
        for chart in &charts {
            for w in 0..32u16 {
                for h in 0..14u16 {
                    let mut buf = Buffer::empty(Rect::new(0, 0, 40, 20));
                    evidence::render(chart, Rect::new(3, 2, w, h), &mut buf, &theme);
                }
            }
        }
    }
}
