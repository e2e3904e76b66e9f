//! `dynamodb.capacity-mode`, with the expected dollars as arithmetic on the embedded
//! us-east-1 Standard prices (data/pricing/services.csv): on-demand $0.125 per million
//! read request units and $0.625 per million write request units (after the November
//! 2024 cut); provisioned $0.00013 per RCU-hour and $0.00065 per WCU-hour; 730 hours a
//! month. A steady rate r units/s is r × 3,600 × 730 request units a month.

use crate::pricing::PriceBook;
use crate::report::Chart;
use crate::rules::test_support::{assert_usd, run, savings};

use super::CapacityMode;
use super::model::Dim;
use super::test_tables::{Shape, analysis, findings_of, on_demand, provisioned, run_all, snapshot_of, stat};

const MONTH_S: f64 = 3600.0 * 730.0;

#[test]
fn steady_high_on_demand_table_moves_to_provisioned_with_auto_scaling() {
    // 1,000 RCU/s and 500 WCU/s, every minute of 14 days.
    let snap = snapshot_of(&[on_demand("orders").load(Shape::Steady(1000.0), Shape::Steady(500.0))]);
    let out = run(&CapacityMode, &snap, "");
    assert_eq!(out.findings.len(), 1, "{:#?}", out.warnings);
    let f = &out.findings[0];
    // On-demand now: 1,000 × 3,600 × 730 = 2,628 M read units × $0.125/M = $328.50,
    //                  500 × 3,600 × 730 = 1,314 M write units × $0.625/M = $821.25 → $1,149.75.
    let od = 1000.0 * MONTH_S / 1e6 * 0.125 + 500.0 * MONTH_S / 1e6 * 0.625;
    assert_usd(od, 1149.75);
    assert_usd(f.current.monthly_cost_usd.unwrap(), od);
    // Simulated auto-scaling at the default 70 % target holds ⌈1,000 ÷ 0.70⌉ = 1,429 RCU and
    // ⌈500 ÷ 0.70⌉ = 715 WCU: 1,429 × 730 × $0.00013 + 715 × 730 × $0.00065 = $135.61 + $339.27.
    let auto = 1429.0 * 730.0 * 0.00013 + 715.0 * 730.0 * 0.00065;
    assert_usd(f.recommended.monthly_cost_usd.unwrap(), auto);
    assert_usd(savings(f), od - auto); // $674.87, 59 % of the current cost: above 15 %
    assert!(
        f.recommended.description.starts_with("provisioned with auto-scaling (target 70 %)"),
        "{}",
        f.recommended.description
    );
    assert_eq!(f.resource.kind, "dynamodb-table");
    assert_eq!(f.resource.arn_or_id, "arn:aws:dynamodb:us-east-1:123456789012:table/orders");
    // The three figures side by side, as statistics and as a histogram; fixed at peak + 20 % is
    // a reference only: 1,200 × 730 × 0.00013 + 600 × 730 × 0.00065 = $398.58.
    assert_usd(stat(f, "monthly throughput: on-demand (now)").unwrap(), od);
    assert_usd(
        stat(f, "monthly throughput: provisioned fixed at peak + 20 % (reference, not recommended)").unwrap(),
        1200.0 * 730.0 * 0.00013 + 600.0 * 730.0 * 0.00065,
    );
    assert_usd(stat(f, "monthly throughput: provisioned + simulated auto-scaling (target 70 %)").unwrap(), auto);
    let Some(Chart::Histogram { buckets, .. }) = f.evidence.charts.last() else { panic!("cost chart last") };
    assert_eq!(buckets.len(), 3);
    // Reads and writes: consumed, and the simulated line (no "provisioned now" on-demand).
    let Chart::TimeSeries { series, .. } = &f.evidence.charts[0] else { panic!("reads chart") };
    assert_eq!(series.len(), 2);
    assert!(series[1].name.starts_with("simulated auto-scaling (target 70 %)"));
    assert!(series[1].points.iter().all(|p| p.1 == 1429.0));
    assert!((f.confidence - 0.85).abs() < 1e-9, "1-minute data, flat: {}", f.confidence);
    assert!(
        f.actions
            .iter()
            .any(|a| a.text.contains("--billing-mode PROVISIONED") && a.text.contains("ReadCapacityUnits=1429"))
    );
    assert!(f.actions.iter().any(|a| a.text.contains("\"TargetValue\":70.0")));
    assert!(f.rationale.contains("Reserved capacity is not considered"));
    assert!(savings(f) <= f.current.monthly_cost_usd.unwrap(), "never more than the table costs");
}

#[test]
fn without_minute_data_the_hourly_averages_are_used_with_lower_confidence() {
    let snap = snapshot_of(&[on_demand("orders").load(Shape::Steady(1000.0), Shape::Steady(500.0)).hourly_only()]);
    let f = &run(&CapacityMode, &snap, "").findings[0];
    // Same arithmetic (flat traffic), but the finding says hourly data was used.
    assert_usd(savings(f), 1149.75 - (1429.0 * 730.0 * 0.00013 + 715.0 * 730.0 * 0.00065));
    assert!((f.confidence - 0.6).abs() < 1e-9, "{}", f.confidence);
    assert!(f.confidence_reasons[0].starts_with("hourly averages only"), "{:?}", f.confidence_reasons);
    assert!(f.rationale.contains("hourly (per-minute data absent)"), "{}", f.rationale);
}

#[test]
fn spiky_on_demand_traffic_stays_on_demand_or_gets_a_lower_confidence() {
    // 100 RCU/s with 3-minute spikes of 2,000 every 6 hours: the peak is 20× the p99 (100).
    let spiky = Shape::Spikes { base: 100.0, spike: 2000.0, every: 360, len: 3 };
    let snap = snapshot_of(&[on_demand("sessions").load(spiky, Shape::Steady(100.0))]);
    let a = analysis(&snap, "");
    let x = a.tables[0].usage[0].as_ref().unwrap().dim(Dim::Read);
    assert_eq!((x.p99, x.peak), (100.0, 2000.0));
    let out = run(&CapacityMode, &snap, "");
    let f = &out.findings[0];
    assert!(
        f.confidence_reasons.iter().any(|r| r.starts_with("spiky (sessions reads peak 20.0× its p99)")),
        "{:?}",
        f.confidence_reasons
    );
    // 0.85 (1-minute data) × 0.7 (spiky); the simulation ran below consumption in the first 2
    // minutes of each spike, 2 of 360 minutes (0.6 %, under the 1 % that would lower it more).
    assert_eq!(f.confidence, 0.6, "0.595, rounded to two decimals by the report");
    assert_eq!(f.performance_risk, 3);
}

#[test]
fn auto_scaling_target_70_is_read_as_70_percent() {
    // 350 RCU/s and 70 WCU/s on a table auto-scaled at target 70 (dynamodb_autoscaling),
    // CloudWatch reporting 500 RCU and 100 WCU provisioned.
    let snap = snapshot_of(&[provisioned("profiles", 500, 100)
        .load(Shape::Steady(350.0), Shape::Steady(70.0))
        .autoscaling(5, 4000, 70.0, (500.0, 100.0))]);
    let a = analysis(&snap, "");
    let x = a.tables[0].usage[0].as_ref().unwrap();
    // 350 ÷ 0.70 = 500 RCU and 70 ÷ 0.70 = 100 WCU (read as 0.7 % it would be 50,000 and 10,000).
    assert_eq!(x.dim(Dim::Read).policy.target_pct, 70.0);
    assert_eq!(x.dim(Dim::Read).sim.peak_capacity, 500.0);
    assert_eq!(x.dim(Dim::Write).sim.peak_capacity, 100.0);
    // Configured: 500 × 730 × 0.00013 + 100 × 730 × 0.00065 = $94.90 a month, the same as the
    // simulation; on-demand: 350 × 3,600 × 730 ÷ 1e6 × 0.125 + 70 × … × 0.625 = $229.95. Keep.
    let outs = run_all(&snap, "", &PriceBook::embedded());
    assert!(findings_of(&outs).is_empty(), "{:#?}", findings_of(&outs));

    // The same setting from the table's autoscaling_* columns, and a table auto-scaled at a
    // minimum far above its use: 100 RCU/100 WCU for 1 RCU/s and 1 WCU/s → on-demand.
    let mut idle = provisioned("idle-profiles", 100, 100).load(Shape::Steady(1.0), Shape::Steady(1.0)).autoscaling(
        100,
        4000,
        70.0,
        (100.0, 100.0),
    );
    idle.scaling_in_table_columns = true;
    let snap = snapshot_of(&[idle]);
    let a = analysis(&snap, "");
    assert_eq!(a.tables[0].usage[0].as_ref().unwrap().dim(Dim::Write).policy.target_pct, 70.0);
    let f = &run(&CapacityMode, &snap, "").findings[0];
    // Now 100 × 730 × (0.00013 + 0.00065) = $56.94; on-demand 1 × 3,600 × 730 ÷ 1e6 × (0.125 + 0.625) = $1.97.
    assert_usd(f.current.monthly_cost_usd.unwrap(), 100.0 * 730.0 * (0.00013 + 0.00065));
    assert_usd(f.recommended.monthly_cost_usd.unwrap(), MONTH_S / 1e6 * (0.125 + 0.625));
    assert_eq!(f.recommended.description, "on-demand for the table");
    assert!(f.actions.iter().any(|a| a.text.contains("--billing-mode PAY_PER_REQUEST")));
    assert!(
        f.actions
            .iter()
            .any(|a| a.text.contains("deregister-scalable-target")
                && a.text.contains("dynamodb:table:WriteCapacityUnits"))
    );
    assert_eq!(f.performance_risk, 0);
}

#[test]
fn under_seven_days_of_data_gives_no_finding_and_a_warning() {
    let snap = snapshot_of(&[on_demand("new-table").load(Shape::Steady(1000.0), Shape::Steady(500.0)).days(5)]);
    let outs = run_all(&snap, "", &PriceBook::embedded());
    assert!(findings_of(&outs).is_empty());
    let warnings: Vec<&String> = outs.iter().flat_map(|(_, o)| &o.warnings).collect();
    assert_eq!(warnings.len(), 1, "named once: {warnings:?}");
    assert!(warnings[0].contains("us-east-1/new-table: only 5.0 days of data (min_days = 7)"), "{}", warnings[0]);
}

#[test]
fn global_tables_are_unpriced_and_other_regions_ranked_on_us_east_1() {
    let mut global = on_demand("carts").load(Shape::Steady(1000.0), Shape::Steady(500.0));
    global.replicas = "us-west-2";
    let mut seoul = on_demand("seoul-orders").load(Shape::Steady(1000.0), Shape::Steady(500.0));
    seoul.region = "ap-northeast-2";
    let snap = snapshot_of(&[global, seoul]);
    let out = run(&CapacityMode, &snap, "");
    // The global table: replicated-write prices are not in the catalog → no finding, a warning.
    assert!(
        out.warnings.iter().any(|w| w.contains("us-east-1/carts: no capacity or class finding")
            && w.contains("dynamodb.ondemand.replicated_wru_million.STANDARD")),
        "{:?}",
        out.warnings
    );
    // Seoul: ranked on us-east-1 prices, reported without dollars.
    assert_eq!(out.findings.len(), 1);
    let f = &out.findings[0];
    assert_eq!(f.resource.region, "ap-northeast-2");
    assert_eq!(f.monthly_savings_usd, None);
    assert!(f.unpriced_reason.as_deref().unwrap().contains("no DynamoDB prices for ap-northeast-2"));
    assert!(f.evidence.statistics.iter().any(|s| s.unit.contains("ranking only")));
}
