//! Invariants every report keeps, checked on the demo (scale 1 and 10) and on every
//! snapshot fixture:
//! - no finding saves more than its resource's current monthly cost, and a resource's
//!   findings together save no more than it costs;
//! - the summary never claims more savings than the spend analysed;
//! - dollar figures are reproducible from the finding's evidence and the price book (a
//!   sample of EC2, EBS and schedule findings is recomputed).

use std::collections::BTreeMap;

use tierwise::Report;
use tierwise::input::Input;
use tierwise::report::Finding;

use crate::common::repo;

fn report(input: Input) -> Report {
    tierwise::commands::build_report(&input, &tierwise::Config::default()).expect("report")
}

fn stat(f: &Finding, name: &str) -> Option<f64> {
    f.evidence.statistics.iter().find(|s| s.name == name).map(|s| s.value)
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 0.011
}

fn check(name: &str, report: &Report) {
    let book = tierwise::PriceBook::embedded();
    let mut by_resource: BTreeMap<&str, (f64, f64)> = BTreeMap::new();
    let mut recomputed = 0;
    for f in &report.findings {
        let (Some(saving), Some(current)) = (f.monthly_savings_usd, f.current.monthly_cost_usd) else { continue };
        assert!(saving <= current + 0.01, "{name}: {} ({}) saves {saving} of {current}", f.rule, f.resource.arn_or_id);
        let e = by_resource.entry(f.resource.arn_or_id.as_str()).or_default();
        e.0 += saving.max(0.0);
        e.1 = e.1.max(current);
        // Recompute type changes: instances × hourly price × 730, prices from the book.
        if ["ec2.rightsize", "ec2.previous-generation", "ec2.graviton"].contains(&f.rule.as_str()) {
            let n = stat(f, "instances").expect("instances in the evidence");
            let priced: Vec<(String, f64)> = f
                .evidence
                .statistics
                .iter()
                .filter_map(|s| s.name.strip_prefix("price of ").map(|t| (t.to_string(), s.value)))
                .collect();
            assert_eq!(priced.len(), 2, "{name}: {} prices in the evidence", f.id);
            let platform = f.current.description.rsplit(", ").next().unwrap_or("linux");
            for (t, usd) in &priced {
                assert_eq!(book.ec2_hourly(&f.resource.region, t, platform).ok(), Some(*usd), "{name}: {t} price");
            }
            assert!(close(current, n * priced[0].1 * 730.0), "{name}: {} current", f.id);
            let recommended = f.recommended.monthly_cost_usd.expect("priced");
            assert!(close(recommended, n * priced[1].1 * 730.0), "{name}: {} recommended", f.id);
            recomputed += 1;
        }
        if f.rule == "ec2.schedule" {
            let n = stat(f, "instances").unwrap();
            let hourly = stat(f, "on-demand price per instance").unwrap();
            let share = stat(f, "share of the week stopped").unwrap() / 100.0;
            assert!(close(current, n * hourly * 730.0), "{name}: {} schedule current", f.id);
            assert!((saving - current * share).abs() <= 0.02 + current * 0.0001, "{name}: {} schedule saving", f.id);
            recomputed += 1;
        }
        if f.rule == "ebs.gp2-to-gp3" {
            let size = stat(f, "size").unwrap();
            let gp2 = book.usd(&f.resource.region, "ebs.gp2.gb_month").unwrap();
            assert!(close(current, size * gp2), "{name}: {} gp2 cost", f.id);
            recomputed += 1;
        }
    }
    for (resource, (saving, cost)) in by_resource {
        assert!(saving <= cost + 0.01, "{name}: {resource}'s findings save {saving} of its {cost}");
    }
    if let Some(spend) = report.summary.monthly_spend_analyzed_usd {
        assert!(report.summary.monthly_savings_usd <= spend, "{name}: savings above spend");
    }
    if name.starts_with("demo") {
        assert!(recomputed > 5, "{name}: recomputed only {recomputed} findings");
    }
}

#[test]
fn invariants_hold_on_the_demo_at_scale_1_and_10() {
    for scale in [1, 10] {
        let r = report(Input::Demo { scale, seed: tierwise::demo::DEFAULT_SEED });
        check(&format!("demo scale {scale}"), &r);
    }
}

#[test]
fn invariants_hold_on_every_snapshot_fixture() {
    for dir in ["fixtures/demo", "fixtures/valid-csv", "fixtures/import/s3-inventory-snapshot"] {
        let r = report(Input::Snapshot(repo(dir)));
        check(dir, &r);
    }
    let r = report(Input::Import(repo("fixtures/import/s3-inventory")));
    check("fixtures/import/s3-inventory", &r);
}
