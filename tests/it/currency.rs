//! A display currency at the user's rate (`[report] currency = "KRW"`, `usd_rate`):
//! JSON keeps USD and adds the converted figures, Markdown and the dashboard show both.

use tierwise::tui::Action;

use crate::common::*;
use crate::tui_support::{app_with, apply_all, draw};

fn json(args: &[&str]) -> serde_json::Value {
    let out = tierwise(args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).unwrap()
}

#[test]
fn json_stays_usd_with_the_converted_figure_beside_it() {
    let usd = json(&["report", "--demo", "--format", "json"]);
    let krw = json(&["report", "--demo", "--format", "json", "--config", "fixtures/config/krw.toml"]);
    assert_eq!(usd["findings"].as_array().unwrap().len(), krw["findings"].as_array().unwrap().len());
    assert_eq!(usd["summary"]["monthly_savings_usd"], krw["summary"]["monthly_savings_usd"], "USD unchanged");
    assert_eq!(krw["display_currency"], serde_json::json!({ "code": "KRW", "usd_rate": 1380.0 }));
    let savings = krw["summary"]["monthly_savings_usd"].as_f64().unwrap();
    let converted = krw["summary"]["converted"]["monthly_savings"].as_f64().unwrap();
    // savings × 1,380 KRW per USD, to the cent
    assert!((converted - (savings * 1380.0 * 100.0).round() / 100.0).abs() < 1e-6, "{converted}");
    let f = &krw["findings"][0];
    let s = f["monthly_savings_usd"].as_f64().unwrap();
    assert!((f["converted"]["monthly_savings"].as_f64().unwrap() - s * 1380.0).abs() < 0.01);
    assert_eq!(f["converted"]["currency"], "KRW");
    assert!(usd.get("display_currency").is_none() && usd["findings"][0].get("converted").is_none());
}

#[test]
fn markdown_shows_both() {
    let out = tierwise(&["report", "--demo", "--format", "md", "--config", "fixtures/config/krw.toml"]);
    let md = stdout(&out);
    assert!(md.contains("Display currency | KRW at 1380 per USD"), "{md}");
    let line = md.lines().find(|l| l.starts_with("| Projected savings")).unwrap();
    assert!(line.contains("/month** ") || line.contains("(₩"), "{line}");
    assert!(line.contains(" (₩"), "{line}");
    assert!(md.contains("- Saving: $") && md.contains("(₩"), "details show both");
}

#[test]
fn the_dashboard_shows_both() {
    let mut config = tierwise::Config::default();
    config.report.currency = Some("KRW".into());
    config.report.usd_rate = Some(1380.0);
    let input = tierwise::input::Input::Demo { scale: 1, seed: tierwise::demo::DEFAULT_SEED };
    let report = tierwise::commands::build_report(&input, &config).unwrap();
    let top = report.findings[0].clone();
    let converted = top.converted.clone().unwrap().monthly_savings.unwrap();
    let mut app = app_with(report, 140, 40);
    let overview = draw(&app, 140, 40);
    assert!(overview.contains("₩"), "{overview}");
    apply_all(&mut app, [Action::NextView, Action::Open]);
    let detail = draw(&app, 140, 40);
    let expected = tierwise::report::currency::format("KRW", converted);
    assert!(detail.contains(&expected), "{expected} in\n{detail}");
}
