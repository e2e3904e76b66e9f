//! `dynamodb.table-class`. Embedded us-east-1 prices: storage $0.25 (Standard) and $0.10
//! (Standard-IA) per GB-month, the first 25 GB of Standard storage per account-region free;
//! provisioned $0.00013 per RCU-hour and $0.00065 per WCU-hour; 730 hours a month.
//!
//! The catalog has no Standard-IA throughput prices. Where a test prices them, the values
//! are HYPOTHETICAL TEST INPUTS given through `PriceBook::with_overrides` (not AWS figures):
//! $0.00016 per IA RCU-hour and $0.00081 per IA WCU-hour.

use crate::pricing::PriceBook;
use crate::rules::test_support::{assert_usd, run, run_priced, savings};

use super::TableClass;
use super::test_tables::{Shape, findings_of, provisioned, run_all, snapshot_of, stat};

const IA_RCU_HOUR: f64 = 0.00016;
const IA_WCU_HOUR: f64 = 0.00081;

fn with_ia_prices() -> PriceBook {
    let overrides = [
        ("us-east-1/dynamodb.provisioned.rcu_hour.STANDARD_INFREQUENT_ACCESS".to_string(), IA_RCU_HOUR),
        ("us-east-1/dynamodb.provisioned.wcu_hour.STANDARD_INFREQUENT_ACCESS".to_string(), IA_WCU_HOUR),
    ];
    PriceBook::embedded().with_overrides(overrides.iter().map(|(k, v)| (k, v)), 0.0).expect("overrides")
}

/// 2 TiB (2,048 GB), 2 RCU/s and 5 WCU/s on auto-scaled 3 RCU / 8 WCU: little traffic.
fn audit_events() -> super::test_tables::TestTable {
    provisioned("audit-events", 3, 8)
        .load(Shape::Steady(2.0), Shape::Steady(5.0))
        .autoscaling(1, 100, 70.0, (3.0, 8.0))
        .storage_gib(2048.0)
}

#[test]
fn a_2_tb_table_with_little_traffic_moves_to_standard_ia() {
    let snap = snapshot_of(&[audit_events()]);
    // Standard storage: (2,048 − 25 free) × $0.25 = $505.75; Standard-IA: 2,048 × $0.10 = $204.80.
    // Throughput (unchanged by the capacity rules: auto-scaled, on-demand dearer):
    // 3 × 730 × 0.00013 + 8 × 730 × 0.00065 = $0.28 + $3.80 = $4.08 on Standard;
    // on Standard-IA 3 × 730 × 0.00016 + 8 × 730 × 0.00081 = $0.35 + $4.73 = $5.08.
    let (std_storage, ia_storage) = ((2048.0 - 25.0) * 0.25, 2048.0 * 0.10);
    let (thr_std, thr_ia) =
        (3.0 * 730.0 * 0.00013 + 8.0 * 730.0 * 0.00065, 3.0 * 730.0 * IA_RCU_HOUR + 8.0 * 730.0 * IA_WCU_HOUR);
    let outs = run_all(&snap, "", &with_ia_prices());
    let all = findings_of(&outs);
    assert_eq!(all.len(), 1, "{all:#?}");
    let f = all[0];
    assert_eq!(f.rule, "dynamodb.table-class");
    assert_usd(f.current.monthly_cost_usd.unwrap(), std_storage + thr_std); // $509.83
    assert_usd(f.recommended.monthly_cost_usd.unwrap(), ia_storage + thr_ia); // $209.88
    assert_usd(savings(f), std_storage + thr_std - ia_storage - thr_ia); // $299.95
    assert_eq!(f.recommended.description, "Standard-IA class");
    // Break-even derived from the prices: (5.08 − 4.08) ÷ (0.25 − 0.10) = 6.67 GB.
    let breakeven = (thr_ia - thr_std) / (0.25 - 0.10);
    assert!(f.rationale.contains(&format!("Break-even at these prices: {breakeven:.0} GB")), "{}", f.rationale);
    assert!(f.actions.iter().any(|a| a.text.contains("--table-class STANDARD_INFREQUENT_ACCESS")));
    assert!(savings(f) <= f.current.monthly_cost_usd.unwrap());
}

#[test]
fn without_ia_throughput_prices_the_move_is_unpriced_with_the_storage_bound() {
    let snap = snapshot_of(&[audit_events()]);
    let out = run(&TableClass, &snap, "");
    assert_eq!(out.findings.len(), 1);
    let f = &out.findings[0];
    assert_eq!(f.monthly_savings_usd, None, "no IA throughput price: no dollar figure claimed");
    assert!(f.unpriced_reason.is_some());
    // The bound: storage saves $505.75 − $204.80 = $300.95, 7,375 % of the $4.08 throughput.
    let bound = (2048.0 - 25.0) * 0.25 - 2048.0 * 0.10;
    assert_usd(stat(f, "storage saving (upper bound of the saving)").unwrap(), bound);
    assert!(f.rationale.contains("$300.95 less"), "{}", f.rationale);
    assert_eq!(out.warnings.len(), 1, "{:?}", out.warnings);
    let w = &out.warnings[0];
    // Only the keys this table's throughput needs (provisioned, not on-demand).
    assert!(
        w.contains("dynamodb.provisioned.rcu_hour.STANDARD_INFREQUENT_ACCESS, dynamodb.provisioned.wcu_hour.STANDARD_INFREQUENT_ACCESS"),
        "{w}"
    );
    assert!(!w.contains("ondemand"), "{w}");
}

#[test]
fn the_free_tier_is_priced_at_the_margin() {
    // 20 GB, alone in its account-region: all of it free on Standard, so Standard-IA ($2.00)
    // only costs more. No finding, even with IA prices.
    let small = || {
        provisioned("flags", 3, 8)
            .load(Shape::Steady(2.0), Shape::Steady(5.0))
            .autoscaling(1, 100, 70.0, (3.0, 8.0))
            .storage_gib(20.0)
    };
    assert!(run_priced(&TableClass, &snapshot_of(&[small()]), "", &with_ia_prices()).findings.is_empty());
    // Beside 100 GB of other Standard tables its 20 GB are billed: (120 − 25) − (100 − 25) = 20 GB
    // × $0.25 = $5.00 → $2.00 on IA; throughput $4.08 → $5.08. Saves $3.00 − $1.00 = $2.00 (21 %).
    let neighbour = provisioned("big", 3, 8)
        .load(Shape::Steady(2.0), Shape::Steady(5.0))
        .autoscaling(1, 100, 70.0, (3.0, 8.0))
        .storage_gib(100.0);
    let out = run_priced(&TableClass, &snapshot_of(&[small(), neighbour]), "", &with_ia_prices());
    let f = out.findings.iter().find(|f| f.resource.name == "flags").expect("flags");
    let thr = |rcu: f64, wcu: f64| 3.0 * 730.0 * rcu + 8.0 * 730.0 * wcu;
    assert_usd(savings(f), 20.0 * 0.25 + thr(0.00013, 0.00065) - 20.0 * 0.10 - thr(IA_RCU_HOUR, IA_WCU_HOUR));
    // With the free tier switched off the whole 20 GB counts.
    let out =
        run_priced(&TableClass, &snapshot_of(&[small()]), "[rules.dynamodb]\nfree_storage_gb = 0\n", &with_ia_prices());
    assert_usd(
        savings(&out.findings[0]),
        20.0 * 0.25 + thr(0.00013, 0.00065) - 20.0 * 0.10 - thr(IA_RCU_HOUR, IA_WCU_HOUR),
    );
}

#[test]
fn class_and_capacity_savings_add_up_without_double_counting() {
    // 2 TiB on 1,000 RCU / 400 WCU fixed for 50 RCU/s and 20 WCU/s: over-provisioned and cold.
    let snap = snapshot_of(&[provisioned("archive", 1000, 400)
        .load(Shape::Steady(50.0), Shape::Steady(20.0))
        .storage_gib(2048.0)]);
    let outs = run_all(&snap, "", &with_ia_prices());
    let all = findings_of(&outs);
    let over = all.iter().find(|f| f.rule == "dynamodb.overprovisioned").expect("capacity finding");
    let class = all.iter().find(|f| f.rule == "dynamodb.table-class").expect("class finding");
    // Capacity first: $284.70 → 60 RCU / 24 WCU fixed, $17.08 (see overprovisioned_tests).
    let (now, fixed) =
        (1000.0 * 730.0 * 0.00013 + 400.0 * 730.0 * 0.00065, 60.0 * 730.0 * 0.00013 + 24.0 * 730.0 * 0.00065);
    assert_usd(savings(over), now - fixed);
    // Then the class on that throughput: Standard $505.75 + $17.08; IA $204.80 +
    // 60 × 730 × 0.00016 + 24 × 730 × 0.00081 = $204.80 + $21.20.
    let ia_thr = 60.0 * 730.0 * IA_RCU_HOUR + 24.0 * 730.0 * IA_WCU_HOUR;
    assert_usd(savings(class), (2048.0 - 25.0) * 0.25 + fixed - 2048.0 * 0.10 - ia_thr);
    // Together: exactly current (Standard, 1,000/400) minus final (IA, 60/24).
    let total = savings(over) + savings(class);
    assert_usd(total, ((2048.0 - 25.0) * 0.25 + now) - (2048.0 * 0.10 + ia_thr));
    assert!(class.rationale.contains("after the capacity change"));
    assert!(class.confidence_reasons.iter().any(|r| r.contains("capacity change recommended")));
}

#[test]
fn a_recent_class_change_lowers_confidence() {
    let mut t = audit_events();
    t.class_updated_days_ago = Some(10);
    let f = &run_priced(&TableClass, &snapshot_of(&[t]), "", &with_ia_prices()).findings[0];
    assert!((f.confidence - 0.85 * 0.8).abs() < 1e-9, "{}", f.confidence);
    assert!(f.confidence_reasons.iter().any(|r| r.contains("two changes in 30 days")));
}
