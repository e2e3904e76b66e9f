//! `dynamodb.overprovisioned` (and its boundary with dynamodb.capacity-mode), with the
//! expected dollars as arithmetic on the embedded us-east-1 prices: $0.00013 per
//! RCU-hour, $0.00065 per WCU-hour, $0.125 / $0.625 per million read / write request
//! units, 730 hours a month. The test window is 14 days = 336 hours.

use crate::pricing::PriceBook;
use crate::report::Chart;
use crate::rules::test_support::{assert_usd, run, savings};

use super::test_tables::{Shape, findings_of, gsi, provisioned, run_all, snapshot_of, stat};
use super::{CapacityMode, Overprovisioned};

#[test]
fn provisioned_table_at_five_percent_gets_a_lower_provision() {
    // 1,000 RCU / 400 WCU provisioned, no auto-scaling; 50 RCU/s and 20 WCU/s used (5 %).
    let snap = snapshot_of(&[provisioned("inventory", 1000, 400).load(Shape::Steady(50.0), Shape::Steady(20.0))]);
    let outs = run_all(&snap, "", &PriceBook::embedded());
    let all = findings_of(&outs);
    assert_eq!(all.len(), 1, "one finding for the table across the three rules: {all:#?}");
    let f = all[0];
    assert_eq!(f.rule, "dynamodb.overprovisioned");
    // Now: 1,000 × 730 × 0.00013 + 400 × 730 × 0.00065 = $94.90 + $189.80 = $284.70.
    let now = 1000.0 * 730.0 * 0.00013 + 400.0 * 730.0 * 0.00065;
    assert_usd(f.current.monthly_cost_usd.unwrap(), now);
    // Peak + 20 %: ⌈50 × 1.2⌉ = 60 RCU and ⌈20 × 1.2⌉ = 24 WCU, fixed:
    // 60 × 730 × 0.00013 + 24 × 730 × 0.00065 = $5.69 + $11.39 = $17.08.
    let fixed = 60.0 * 730.0 * 0.00013 + 24.0 * 730.0 * 0.00065;
    assert_usd(f.recommended.monthly_cost_usd.unwrap(), fixed);
    assert_usd(savings(f), now - fixed); // $267.62
    // Auto-scaling would cost more here: it starts at 1,000 RCU, scales in after 15 minutes to
    // ⌈50 ÷ 0.7⌉ = 72, so 1,000 + 335 × 72 = 25,120 RCU-hours in 336 hours
    // → × 730 ÷ 336 × 0.00013 = $7.09 a month for reads, above the fixed $5.69.
    let auto_reads = (1000.0 + 335.0 * 72.0) * 730.0 / 336.0 * 0.00013;
    let auto_writes = (400.0 + 335.0 * 29.0) * 730.0 / 336.0 * 0.00065;
    assert_usd(stat(f, "monthly throughput: simulated auto-scaling (target 70 %)").unwrap(), auto_reads + auto_writes);
    // On-demand for reference: 50 × 3,600 × 730 ÷ 1e6 × 0.125 + 20 × … × 0.625 = $16.43 + $32.85.
    // (statistics are rounded to the cent: $49.275 shows as $49.27 or $49.28)
    let od = 50.0 * 3600.0 * 730.0 / 1e6 * 0.125 + 20.0 * 3600.0 * 730.0 / 1e6 * 0.625;
    assert!((stat(f, "monthly throughput: on-demand (the whole table would switch)").unwrap() - od).abs() <= 0.0051);
    assert_eq!(
        f.recommended.description,
        "reads 60 RCU fixed (peak 50.0 + 20 %); writes 24 WCU fixed (peak 20.0 + 20 %)"
    );
    assert!(f.rationale.contains("its reads peaked at 50.0 RCU/s, 5 % of the 1000 provisioned"), "{}", f.rationale);
    assert!(
        f.actions
            .iter()
            .any(|a| a.text.contains("--provisioned-throughput ReadCapacityUnits=60,WriteCapacityUnits=24"))
    );
    let Chart::TimeSeries { thresholds, series, .. } = &f.evidence.charts[0] else { panic!("reads chart") };
    assert_eq!(thresholds[0].value, 60.0);
    assert_eq!(series.iter().map(|s| s.name.as_str()).collect::<Vec<_>>()[1], "provisioned now");
}

#[test]
fn a_throttled_table_is_never_down_sized() {
    // The same 5 % table, but 120 throttle events in one hour (a burst above the provision).
    let snap = snapshot_of(&[provisioned("inventory", 1000, 400)
        .load(Shape::Steady(50.0), Shape::Steady(20.0))
        .throttled(100, 120)]);
    let outs = run_all(&snap, "", &PriceBook::embedded());
    assert!(findings_of(&outs).is_empty(), "{:#?}", findings_of(&outs));
    let warnings: Vec<&String> = outs.iter().flat_map(|(_, o)| &o.warnings).collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("us-east-1/inventory: 120 throttle events in the window")
            && warnings[0].contains("not down-sized")
    );
    // Tolerating them is a decision the user makes explicitly.
    let out = run(&Overprovisioned, &snap, "[rules.dynamodb]\nthrottle_events_max = 200\n");
    assert_eq!(out.findings.len(), 1);
}

#[test]
fn an_overprovisioned_gsi_is_judged_on_its_own_under_a_fine_table() {
    // The table auto-scales at 70 % (300 RCU/s, 50 WCU/s on 429 / 72 reported): fine. Its GSI
    // by-category is fixed at 400 RCU / 200 WCU for 10 RCU/s and 5 WCU/s.
    let snap = snapshot_of(&[provisioned("catalog", 429, 72)
        .load(Shape::Steady(300.0), Shape::Steady(50.0))
        .autoscaling(100, 4000, 70.0, (429.0, 72.0))
        .gsi(gsi("by-category", 400, 200).load(Shape::Steady(10.0), Shape::Steady(5.0)))]);
    let outs = run_all(&snap, "", &PriceBook::embedded());
    let all = findings_of(&outs);
    assert_eq!(all.len(), 1, "{all:#?}");
    let f = all[0];
    assert_eq!((f.rule.as_str(), f.resource.kind.as_str()), ("dynamodb.overprovisioned", "dynamodb-gsi"));
    assert_eq!(f.resource.arn_or_id, "arn:aws:dynamodb:us-east-1:123456789012:table/catalog/index/by-category");
    assert_eq!(f.resource.name, "catalog/index/by-category");
    // GSI now: 400 × 730 × 0.00013 + 200 × 730 × 0.00065 = $37.96 + $94.90 = $132.86.
    let now = 400.0 * 730.0 * 0.00013 + 200.0 * 730.0 * 0.00065;
    // Fixed at ⌈10 × 1.2⌉ = 12 RCU and ⌈5 × 1.2⌉ = 6 WCU: $1.14 + $2.85 = $3.99.
    let fixed = 12.0 * 730.0 * 0.00013 + 6.0 * 730.0 * 0.00065;
    assert_usd(f.current.monthly_cost_usd.unwrap(), now);
    assert_usd(f.recommended.monthly_cost_usd.unwrap(), fixed);
    assert_usd(savings(f), now - fixed); // $128.87
    assert!(f.actions.iter().any(
        |a| a.text.contains("--global-secondary-index-updates") && a.text.contains("\"IndexName\":\"by-category\"")
    ));
    // The table itself (auto-scaled, on-demand dearer: 300 × 3,600 × 730 ÷ 1e6 × 0.125 +
    // 50 × … × 0.625 = $180.68 against $74.88 configured) gets nothing.
    assert!(all.iter().all(|f| f.resource.kind != "dynamodb-table"));
}

#[test]
fn a_fixed_table_near_its_provision_with_a_daily_peak_is_auto_scaled_by_capacity_mode() {
    // 1,000 RCU fixed; reads 100 RCU/s except one 2-hour peak of 850 each day (85 % of the
    // provision: not over-provisioned), writes 10 WCU/s on 12 WCU (83 %, not over either).
    let peak = Shape::Spikes { base: 100.0, spike: 850.0, every: 1440, len: 120 };
    let snap = snapshot_of(&[provisioned("reports", 1000, 12).load(peak, Shape::Steady(10.0))]);
    let outs = run_all(&snap, "", &PriceBook::embedded());
    let all = findings_of(&outs);
    assert_eq!(all.len(), 1, "{all:#?}");
    let f = all[0];
    assert_eq!(f.rule, "dynamodb.capacity-mode");
    assert_eq!(f.resource.kind, "dynamodb-table");
    assert!(f.recommended.description.starts_with("reads auto-scaled (target 70 %"), "{}", f.recommended.description);
    assert!(f.recommended.description.contains("writes unchanged (12 WCU)"), "{}", f.recommended.description);
    // Reads now 1,000 × 730 × 0.00013 = $94.90; auto-scaled ≈ 143 RCU for 22 hours a day and
    // ⌈850 ÷ 0.7⌉ = 1,215 for the peak's hours: well over 15 % cheaper.
    assert!(savings(f) > 0.15 * 94.90 && savings(f) < 94.90, "{}", savings(f));
    // The proposed policy stays in the band the simulation ran in: min ⌈100 ÷ 0.7⌉ = 143 (no
    // cold start from 1 RCU), max the higher of today's 1,000 and the simulated 1,215.
    assert!(f.recommended.description.contains("min 143, max 1215"), "{}", f.recommended.description);
    assert!(f.actions.iter().any(|a| a.text.contains("--min-capacity 143 --max-capacity 1215")), "{:#?}", f.actions);
    assert!(run(&Overprovisioned, &snap, "").findings.is_empty());
    assert_eq!(run(&CapacityMode, &snap, "").findings.len(), 1);
}
