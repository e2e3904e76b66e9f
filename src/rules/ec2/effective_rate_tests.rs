//! `ec2.rightsize` at the account's effective rates (CUR 2.0 and FOCUS fixtures,
//! fixtures/import/generate_billing_exports.py), through the whole engine.
//!
//! i-reporting is an m5.2xlarge at ≤ 8 % CPU and 10 % memory (measured, so memory may
//! shrink too): at list it moves to m5.large, saving
//! 730 × (0.384 − 0.096) = 280.32 − 70.08 = 210.24 a month. In the bill it is covered by
//! a Savings Plan at 40 % off (effective 171.4176 of 285.696 on demand: factor 0.6), and
//! the account's compute rate in us-east-1 is (171.4176 + 71.424) ÷ (285.696 + 71.424) =
//! 0.68. So now: 280.32 × 0.6 = 168.19; after: 70.08 × 0.68 = 47.65 (the target is priced
//! at the account's rate for the family, never below the resource's own); saving 120.54.

use std::path::Path;

use super::test_fleet::{fleet_snapshot, vm};
use crate::pricing::PriceBook;
use crate::report::Finding;
use crate::rules::test_support::assert_usd;
use crate::{Config, analyze};

fn reporting() -> super::test_fleet::Vm {
    let mut v = vm("i-reporting", "m5.2xlarge").load(5.0, 1.0, 2.0);
    v.mem_pct = Some(10.0);
    v
}

fn rightsizing(export: Option<&str>) -> Finding {
    let mut snap = fleet_snapshot(&[reporting()]);
    if let Some(dir) = export {
        crate::import::add_import(&mut snap, &Path::new(env!("CARGO_MANIFEST_DIR")).join(dir)).expect("import");
    }
    let report = analyze(&snap, &PriceBook::embedded(), &Config::default());
    report
        .findings
        .into_iter()
        .find(|f| f.resource.arn_or_id == "i-reporting" && f.rule == "ec2.rightsize")
        .expect("a rightsizing finding")
}

#[test]
fn at_list_price_the_saving_is_the_list_difference() {
    let f = rightsizing(None);
    assert_usd(f.monthly_savings_usd.unwrap(), 730.0 * (0.384 - 0.096));
    let p = f.pricing.expect("priced");
    assert_eq!(p.rates, "list");
    assert!(p.list.is_none(), "no second figure when the money is at list");
    assert_eq!(p.sources[0].kind, "embedded");
    assert_eq!(p.sources[0].as_of.as_deref(), Some("2026-07-20"));
}

fn assert_savings_plan_arithmetic(f: &Finding) {
    // now 280.32 × 0.6 = 168.192 ; after 70.08 × 0.68 = 47.6544 ; saving 120.54 (list 210.24)
    assert_usd(f.current.monthly_cost_usd.unwrap(), 730.0 * 0.384 * 0.6);
    assert_usd(f.recommended.monthly_cost_usd.unwrap(), 730.0 * 0.096 * 0.68);
    assert_usd(f.monthly_savings_usd.unwrap(), 168.19 - 47.65);
    let p = f.pricing.as_ref().expect("priced");
    assert_eq!(p.rates, "account-effective-rates");
    assert_eq!((p.current_rate_factor, p.recommended_rate_factor), (Some(0.6), Some(0.68)));
    let list = p.list.as_ref().expect("list figures beside the effective ones");
    assert_usd(list.monthly_savings_usd.unwrap(), 730.0 * (0.384 - 0.096));
    assert_usd(list.current_monthly_cost_usd.unwrap(), 730.0 * 0.384);
    // Smaller than at list, and never more than the resource costs at its rate.
    let (saving, list_saving) = (f.monthly_savings_usd.unwrap(), list.monthly_savings_usd.unwrap());
    assert!(saving < list_saving && saving <= f.current.monthly_cost_usd.unwrap());
    assert!(f.rationale.contains("$168.19/month now, $47.65/month after, saving $120.54/month (list: $210.24/month)"));
    assert!(p.note.contains("savings-plan"), "{}", p.note);
}

#[test]
fn a_cur2_savings_plan_makes_the_rightsizing_saving_smaller() {
    let f = rightsizing(Some("fixtures/import/cur2"));
    assert_savings_plan_arithmetic(&f);
    assert!(f.pricing.unwrap().note.contains("CUR2 billing period 2026-10"));
}

#[test]
fn a_focus_export_gives_the_same_result() {
    let f = rightsizing(Some("fixtures/import/focus"));
    assert_savings_plan_arithmetic(&f);
    assert!(f.pricing.unwrap().note.contains("FOCUS billing period 2026-10"));
}

#[test]
fn configured_discounts_apply_to_compute_only_where_they_apply() {
    // 10 % EDP and a 20 % compute commitment discount: compute × 0.9 × 0.8 = 0.72.
    let mut config = Config::default();
    config.pricing.edp_pct = 10.0;
    config.pricing.compute_commitment_pct = 20.0;
    let book = config.price_book().unwrap();
    let snap = fleet_snapshot(&[reporting()]);
    let f = analyze(&snap, &book, &config).findings.into_iter().find(|f| f.rule == "ec2.rightsize").unwrap();
    // 210.24 × 0.72 = 151.37 (280.32 × 0.72 = 201.83 ; 70.08 × 0.72 = 50.46)
    assert_usd(f.monthly_savings_usd.unwrap(), 201.83 - 50.46);
    let p = f.pricing.unwrap();
    assert_eq!(p.rates, "configured-discounts");
    assert_usd(p.list.unwrap().monthly_savings_usd.unwrap(), 210.24);
    // EBS is not compute: EDP only, 0.9.
    assert!((book.rate_factor("us-east-1", crate::pricing::PriceFamily::Ebs).value - 0.9).abs() < 1e-12);
}
