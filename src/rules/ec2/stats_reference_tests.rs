//! The usage statistics as the lazy Polars query they were computed with until the
//! fold in `stats.rs` replaced it for speed and memory (docs/benchmarks.md): kept here
//! as the reference, so a test can show the fold gives the same numbers on the demo
//! (every statistic of every instance, including the hour-of-week masks) and on a fleet
//! with missing CPU maxima, memory and network.

use std::collections::HashMap;

use polars::prelude::*;

use crate::rules::RuleError;
use crate::rules::columns::strs;
use crate::snapshot::{FrameName, Snapshot};

use super::hourly::{DAY_MS, HourlyMetrics};
use super::settings::{
    IDLE_LOOKBACK_DAYS, MIN_HOURS_PER_DAY, SCHEDULE_MIN_WEEKS, ScheduleSettings, TA_DAILY_CPU_PCT,
    TA_DAILY_NETWORK_BYTES,
};
use super::stats::{Usage, UsageTable, WeekMask, usage};

fn week_masks(metrics: &DataFrame, s: &ScheduleSettings, table: &mut UsageTable) -> Result<(), RuleError> {
    let week_ms = 7 * DAY_MS;
    let df = metrics
        .clone()
        .lazy()
        .select([
            col("instance_id"),
            ((col("ts").dt().weekday().cast(DataType::Int64) - lit(1)) * lit(24)
                + col("ts").dt().hour().cast(DataType::Int64))
            .alias("slot"),
            (col("ts").cast(DataType::Int64) / lit(week_ms)).alias("week"),
            col("cpu_max").fill_null(col("cpu_avg")).alias("cpu"),
            (col("net_in_bytes").fill_null(lit(0.0)) + col("net_out_bytes").fill_null(lit(0.0))).alias("network"),
        ])
        .group_by([col("instance_id"), col("slot")])
        .agg([
            col("week").n_unique().cast(DataType::Int64).alias("weeks"),
            col("cpu").max().alias("cpu"),
            col("network").max().alias("network"),
        ])
        .filter(col("weeks").gt_eq(lit(SCHEDULE_MIN_WEEKS as i64)))
        .select([
            col("instance_id"),
            col("slot"),
            col("cpu").lt_eq(lit(s.off_cpu_pct)).and(col("network").lt_eq(lit(s.off_network_bytes))).alias("off"),
        ])
        .collect()?;
    let ids = strs(&df, "instance_id")?;
    let slots: Vec<Option<i64>> = df.column("slot")?.i64()?.iter().collect();
    let off: Vec<Option<bool>> = df.column("off")?.bool()?.iter().collect();
    for i in 0..df.height() {
        let (Some(id), Some(slot)) = (ids[i], slots[i]) else { continue };
        let Some(u) = table.get_mut(id) else { continue };
        let slot = slot.clamp(0, 167) as usize;
        WeekMask::set(&mut u.week.observed, slot);
        if off[i] == Some(true) {
            WeekMask::set(&mut u.week.off, slot);
        }
    }
    Ok(())
}

fn compute(metrics: &DataFrame, window_end_ms: i64) -> Result<UsageTable, RuleError> {
    let q = |p: f64, c: &str| col(c).quantile(lit(p), QuantileMethod::Linear);
    let network = col("net_in_bytes") + col("net_out_bytes");
    let whole = metrics.clone().lazy().group_by([col("instance_id")]).agg([
        len().cast(DataType::Int64).alias("hours"),
        col("cpu_avg").mean().alias("cpu_mean"),
        q(0.90, "cpu_max").alias("cpu_p90"),
        q(0.95, "cpu_max").alias("cpu_p95"),
        q(0.995, "cpu_max").alias("cpu_p995"),
        col("cpu_max").max().alias("cpu_max"),
        q(0.995, "mem_used_pct").alias("mem_p995"),
        (network.clone().max() / lit(3600.0)).alias("net_peak"),
    ]);
    let lookback_start = window_end_ms - IDLE_LOOKBACK_DAYS * DAY_MS;
    let ts_ms = col("ts").cast(DataType::Int64);
    let days = metrics
        .clone()
        .lazy()
        .filter(ts_ms.clone().gt_eq(lit(lookback_start)).and(ts_ms.clone().lt(lit(window_end_ms))))
        .with_columns([col("ts").cast(DataType::Date).alias("day"), network.alias("network")])
        .group_by([col("instance_id"), col("day")])
        .agg([
            len().cast(DataType::Int64).alias("day_hours"),
            col("cpu_avg").mean().alias("day_cpu"),
            col("network").sum().alias("day_network"),
            col("cpu_max").max().alias("day_cpu_max"),
        ]);
    let observed = col("day_hours").gt_eq(lit(MIN_HOURS_PER_DAY as i64));
    let low = observed
        .clone()
        .and(col("day_cpu").lt_eq(lit(TA_DAILY_CPU_PCT)))
        .and(col("day_network").lt_eq(lit(TA_DAILY_NETWORK_BYTES)));
    let network_low = observed.clone().and(col("day_network").lt_eq(lit(TA_DAILY_NETWORK_BYTES)));
    let idle = days.group_by([col("instance_id")]).agg([
        observed.cast(DataType::Int64).sum().alias("days_observed"),
        low.cast(DataType::Int64).sum().alias("days_low"),
        network_low.cast(DataType::Int64).sum().alias("days_network_low"),
        col("day_cpu_max").max().alias("cpu_max_lookback"),
    ]);
    let df = whole.join(idle, [col("instance_id")], [col("instance_id")], JoinArgs::new(JoinType::Left)).collect()?;

    let ids = strs(&df, "instance_id")?;
    let int = |name: &str| -> Result<Vec<Option<i64>>, RuleError> {
        Ok(df.column(name)?.cast(&DataType::Int64)?.i64()?.iter().collect())
    };
    let float = |name: &str| -> Result<Vec<Option<f64>>, RuleError> {
        Ok(df.column(name)?.cast(&DataType::Float64)?.f64()?.iter().collect())
    };
    let (hours, observed, low) = (int("hours")?, int("days_observed")?, int("days_low")?);
    let network_low = int("days_network_low")?;
    let (mean, p90, p95, p995) = (float("cpu_mean")?, float("cpu_p90")?, float("cpu_p95")?, float("cpu_p995")?);
    let (max, mem, net, max_lookback) =
        (float("cpu_max")?, float("mem_p995")?, float("net_peak")?, float("cpu_max_lookback")?);
    let mut table = HashMap::with_capacity(df.height());
    for i in 0..df.height() {
        let Some(id) = ids[i] else { continue };
        let usage = Usage {
            hours: hours[i].unwrap_or(0).max(0) as u32,
            cpu_mean: mean[i].unwrap_or(0.0),
            cpu_p90: p90[i].unwrap_or(0.0),
            cpu_p95: p95[i].unwrap_or(0.0),
            cpu_p995: p995[i].unwrap_or(0.0),
            cpu_max: max[i].unwrap_or(0.0),
            mem_p995: mem[i],
            net_peak_bytes_per_s: net[i].unwrap_or(0.0),
            days_observed: observed[i].unwrap_or(0).max(0) as u32,
            days_low: low[i].unwrap_or(0).max(0) as u32,
            days_network_low: network_low[i].unwrap_or(0).max(0) as u32,
            cpu_max_lookback: max_lookback[i].unwrap_or(0.0),
            week: WeekMask::default(),
        };
        table.insert(id.to_string(), usage);
    }
    Ok(table)
}

fn reference(snapshot: &Snapshot, s: &ScheduleSettings) -> UsageTable {
    let metrics = snapshot.frame(FrameName::Ec2MetricsHourly).expect("metrics");
    let mut table = compute(metrics, snapshot.manifest.window.end.timestamp_millis()).expect("reference stats");
    week_masks(metrics, s, &mut table).expect("reference masks");
    table
}

fn assert_same(snapshot: &Snapshot) {
    let defaults = crate::rules::Params::from_defaults(super::settings::FAMILY_PARAMS);
    let s = super::settings::Sizing::from_params(&defaults).expect("default sizing").schedule;
    let expected = reference(snapshot, &s);
    let hourly = HourlyMetrics::of(snapshot).expect("grouped");
    let got = usage(snapshot, &hourly, &s).expect("fold");
    assert_eq!(got.len(), expected.len(), "same instances");
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0);
    for (id, e) in &expected {
        let g = &got[id];
        let floats = [
            (g.cpu_mean, e.cpu_mean),
            (g.cpu_p90, e.cpu_p90),
            (g.cpu_p95, e.cpu_p95),
            (g.cpu_p995, e.cpu_p995),
            (g.cpu_max, e.cpu_max),
            (g.net_peak_bytes_per_s, e.net_peak_bytes_per_s),
            (g.cpu_max_lookback, e.cpu_max_lookback),
        ];
        assert!(floats.iter().all(|(a, b)| close(*a, *b)), "{id}: {g:?} vs {e:?}");
        assert!(match (g.mem_p995, e.mem_p995) {
            (Some(a), Some(b)) => close(a, b),
            (a, b) => a == b,
        });
        let counts = (g.hours, g.days_observed, g.days_low, g.days_network_low, g.week);
        assert_eq!(counts, (e.hours, e.days_observed, e.days_low, e.days_network_low, e.week), "{id}");
    }
}

#[test]
fn the_fold_matches_the_polars_query_on_the_demo() {
    let demo = crate::demo::generate(1, 42);
    assert!(demo.frame(FrameName::Ec2MetricsHourly).is_some_and(|m| m.height() > 10_000));
    assert_same(&demo);
}

#[test]
fn the_fold_matches_the_polars_query_with_missing_values() {
    // Nulls where CloudWatch leaves gaps: no maximum, no agent, one network direction.
    let demo = crate::demo::generate(1, 7);
    let metrics = demo.frame(FrameName::Ec2MetricsHourly).expect("metrics").clone();
    let row = || col("ts").cast(DataType::Int64) / lit(3_600_000i64);
    let gappy = metrics
        .lazy()
        .with_columns([
            when((row() % lit(5)).eq(lit(0)))
                .then(lit(NULL).cast(DataType::Float64))
                .otherwise(col("cpu_max"))
                .alias("cpu_max"),
            when((row() % lit(3)).eq(lit(0)))
                .then(lit(NULL).cast(DataType::Float64))
                .otherwise(col("net_in_bytes"))
                .alias("net_in_bytes"),
            when((row() % lit(7)).eq(lit(0)))
                .then(lit(NULL).cast(DataType::Float64))
                .otherwise(col("mem_used_pct"))
                .alias("mem_used_pct"),
        ])
        .collect()
        .expect("gaps");
    let mut snap = crate::snapshot::Snapshot::new(demo.manifest.clone());
    snap.insert(FrameName::Ec2MetricsHourly, gappy);
    assert_same(&snap);
}
