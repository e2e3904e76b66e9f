//! What the findings table shows: sort, filters, search, running total, export.

use tierwise::report::present::Format;
use tierwise::report::{Category, Finding};
use tierwise::tui::{Action, Column, FilterField};

use crate::tui_support::{app_with, apply_all, demo_report, synthetic_report, type_text};

fn positive_savings(findings: &[&Finding]) -> f64 {
    findings.iter().filter_map(|f| f.monthly_savings_usd).filter(|s| *s >= 0.0).sum()
}

#[test]
fn default_sort_is_savings_descending() {
    let app = app_with(demo_report(), 80, 24);
    let savings: Vec<f64> =
        app.visible_findings().map(|f| f.monthly_savings_usd.unwrap_or(f64::NEG_INFINITY)).collect();
    assert_eq!(savings.len(), app.report().map(|r| r.findings.len()).unwrap_or(0));
    assert!(savings.windows(2).all(|w| w[0] >= w[1]), "not descending: {savings:?}");
}

#[test]
fn sort_by_each_column_and_reverse() {
    let mut app = app_with(demo_report(), 80, 24);
    apply_all(&mut app, [Action::NextView, Action::SortBy { column: Column::Rule, descending: false }]);
    let rules: Vec<String> = app.visible_findings().map(|f| f.rule.clone()).collect();
    assert!(rules.windows(2).all(|w| w[0] <= w[1]), "rules not ascending: {rules:?}");
    apply_all(&mut app, [Action::SortReverse]);
    let reversed: Vec<String> = app.visible_findings().map(|f| f.rule.clone()).collect();
    assert!(reversed.windows(2).all(|w| w[0] >= w[1]), "rules not descending: {reversed:?}");
    // `s` walks through every column and comes back to savings.
    for _ in 0..Column::ALL.len() {
        apply_all(&mut app, [Action::SortNext]);
    }
    assert_eq!(app.list().column(), Column::Rule);
}

#[test]
fn category_filter_keeps_only_that_category_and_totals_match() {
    let report = demo_report();
    let Some(category) = report.findings.first().map(|f| f.category) else { return };
    let mut app = app_with(report.clone(), 80, 24);
    apply_all(&mut app, [Action::SetFilter(FilterField::Category, Some(category.as_str().into()))]);
    let shown: Vec<&Finding> = app.visible_findings().collect();
    let expected = report.findings.iter().filter(|f| f.category == category).count();
    assert_eq!(shown.len(), expected);
    assert!(shown.iter().all(|f| f.category == category));
    assert!((app.list().shown_savings() - positive_savings(&shown)).abs() < 1e-6);
}

#[test]
fn cycling_the_category_filter_walks_the_present_categories_then_clears() {
    let report = demo_report();
    let mut present: Vec<Category> = report.findings.iter().map(|f| f.category).collect();
    present.sort();
    present.dedup();
    let mut app = app_with(report, 80, 24);
    for category in &present {
        apply_all(&mut app, [Action::CycleFilter(FilterField::Category)]);
        assert_eq!(app.list().filters().category, Some(*category));
    }
    apply_all(&mut app, [Action::CycleFilter(FilterField::Category)]);
    assert_eq!(app.list().filters().category, None);
    assert_eq!(app.list().visible().len(), app.list().total());
}

#[test]
fn search_gp2_finds_exactly_the_findings_that_mention_gp2() {
    let report = demo_report();
    let mentions = |f: &Finding| {
        [
            &f.rule,
            &f.resource.arn_or_id,
            &f.resource.name,
            &f.resource.region,
            &f.title,
            &f.current.description,
            &f.recommended.description,
        ]
        .iter()
        .any(|s| s.to_lowercase().contains("gp2"))
    };
    let mut expected: Vec<String> = report.findings.iter().filter(|f| mentions(f)).map(|f| f.id.clone()).collect();
    let mut app = app_with(report, 80, 24);
    apply_all(&mut app, [Action::StartSearch]);
    type_text(&mut app, "GP2");
    apply_all(&mut app, [Action::SearchAccept]);
    let mut shown: Vec<String> = app.visible_findings().map(|f| f.id.clone()).collect();
    expected.sort();
    shown.sort();
    assert_eq!(shown, expected);
    assert!(!app.is_searching());
    // Backspace widens the search again.
    apply_all(
        &mut app,
        [Action::StartSearch, Action::SearchBackspace, Action::SearchBackspace, Action::SearchBackspace],
    );
    assert_eq!(app.list().visible().len(), app.list().total());
}

#[test]
fn incremental_search_narrows_and_cancel_clears() {
    let mut app = app_with(synthetic_report(), 80, 24);
    apply_all(&mut app, [Action::StartSearch]);
    type_text(&mut app, "e");
    let broad = app.list().visible().len();
    type_text(&mut app, "u-west");
    let narrow: Vec<String> = app.visible_findings().map(|f| f.resource.region.clone()).collect();
    assert!(narrow.len() <= broad);
    assert!(!narrow.is_empty() && narrow.iter().all(|r| r == "eu-west-1"), "{narrow:?}");
    apply_all(&mut app, [Action::SearchCancel]);
    assert_eq!(app.list().query(), "");
    assert_eq!(app.list().visible().len(), 7);
}

#[test]
fn tag_region_and_rule_filters() {
    let mut app = app_with(synthetic_report(), 80, 24);
    apply_all(&mut app, [Action::SetFilter(FilterField::Tag, Some("env=prod".into()))]);
    let names: Vec<String> = app.visible_findings().map(|f| f.resource.name.clone()).collect();
    assert_eq!(names, ["web-1", "orders"]);
    assert_eq!(app.list().shown_savings(), 500.0);
    apply_all(&mut app, [Action::SetFilter(FilterField::Region, Some("eu-west-1".into()))]);
    let names: Vec<String> = app.visible_findings().map(|f| f.resource.name.clone()).collect();
    assert_eq!(names, ["orders"]);
    apply_all(&mut app, [Action::ClearFilters, Action::SetFilter(FilterField::Rule, Some("s3.storage-class".into()))]);
    assert_eq!(app.visible_findings().count(), 1);
    apply_all(&mut app, [Action::ClearFilters]);
    assert_eq!(app.visible_findings().count(), 7);
}

#[test]
fn navigation_opens_the_selected_finding_and_back_returns() {
    let mut app = app_with(synthetic_report(), 80, 24);
    apply_all(&mut app, [Action::NextView, Action::Down, Action::Open]);
    assert_eq!(app.view(), tierwise::tui::View::Detail);
    assert_eq!(app.detail_finding().map(|f| f.resource.name.as_str()), Some("logs"));
    apply_all(&mut app, [Action::NextFinding]);
    assert_eq!(app.detail_finding().map(|f| f.resource.name.as_str()), Some("checkout"));
    apply_all(&mut app, [Action::Back]);
    assert_eq!(app.view(), tierwise::tui::View::Findings);
    assert_eq!(app.list().selected(), 2);
    apply_all(&mut app, [Action::Top, Action::Back]);
    assert_eq!(app.view(), tierwise::tui::View::Overview);
}

#[test]
fn copy_asks_for_osc52_with_the_actions_text() {
    let mut app = app_with(synthetic_report(), 80, 24);
    apply_all(&mut app, [Action::NextView, Action::Open]);
    let effect = app.apply(Action::Copy);
    let Some(tierwise::tui::Effect::CopyToClipboard(text)) = effect else {
        panic!("expected a clipboard effect, got {effect:?}")
    };
    assert!(text.contains("aws ec2 modify-instance-attribute"), "{text}");
    assert!(text.contains("# Stop the instance first."), "{text}");
    assert!(app.status().is_some_and(|s| s.text.contains("OSC 52")));
}

#[test]
fn export_writes_the_filtered_view_with_a_recomputed_summary() {
    let dir = std::env::temp_dir().join(format!("tierwise-tui-export-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let mut app = app_with(synthetic_report(), 80, 24);
    apply_all(&mut app, [Action::SetFilter(FilterField::Tag, Some("env=prod".into()))]);
    let now = chrono::DateTime::parse_from_rfc3339("2026-11-01T09:30:00Z").expect("time");
    let message = tierwise::tui::export::export_view(&app, Format::Json, &dir, &now).expect("export");
    assert!(message.contains("tierwise-export-20261101-093000.json"), "{message}");
    let text = std::fs::read_to_string(dir.join("tierwise-export-20261101-093000.json")).expect("exported file");
    let json: serde_json::Value = serde_json::from_str(&text).expect("json");
    assert_eq!(json["findings"].as_array().map(Vec::len), Some(2));
    assert_eq!(json["summary"]["monthly_savings_usd"].as_f64(), Some(500.0));
    // A second export in the same second does not overwrite the first.
    let again = tierwise::tui::export::export_view(&app, Format::Csv, &dir, &now).expect("csv");
    assert!(again.contains(".csv"));
    let third = tierwise::tui::export::export_view(&app, Format::Json, &dir, &now).expect("json again");
    assert!(third.contains("-2.json"), "{third}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn config_rejects_unknown_actions_and_bad_keys() {
    let path = std::path::Path::new("tierwise.toml");
    let check = |text: &str| {
        let config = tierwise::Config::parse(text, path).expect("the library's part of the config is valid");
        tierwise::tui::keymap::check_config(&config.tui, path).map(|_| config)
    };
    let unknown = check("[tui.keys]\nfly = \"x\"\n").expect_err("unknown action");
    assert!(unknown.to_string().contains("tui.keys.fly"), "{unknown}");
    let bad = check("[tui.keys]\nquit = \"ctrl-\"\n").expect_err("bad key");
    assert!(bad.to_string().contains("quit"), "{bad}");
    let ok = check("[tui.keys]\nrefresh = \"ctrl-r\"\n").expect("valid override");
    assert_eq!(ok.tui.keys.get("refresh").map(String::as_str), Some("ctrl-r"));
}
