//! Per-instance usage statistics from `ec2_metrics_hourly`, computed with one lazy
//! Polars query (group-by aggregations, no row loops). The EC2 family computes them
//! once per run, inside its shared analysis.

use std::collections::HashMap;

use polars::prelude::*;

use crate::rules::RuleError;
use crate::rules::columns::strs;
use crate::snapshot::{FrameName, Snapshot};

use super::settings::{
    CpuStatistic, IDLE_LOOKBACK_DAYS, MIN_HOURS_PER_DAY, SCHEDULE_MIN_WEEKS, ScheduleSettings, TA_DAILY_CPU_PCT,
    TA_DAILY_NETWORK_BYTES,
};

const DAY_MS: i64 = 86_400_000;

/// One instance's usage over the window.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Usage {
    /// Hourly datapoints in the window.
    pub hours: u32,
    /// Mean of the hourly CPU averages, percent.
    pub cpu_mean: f64,
    /// Percentiles of the hourly CPU maxima, percent.
    pub cpu_p90: f64,
    pub cpu_p95: f64,
    pub cpu_p995: f64,
    /// Highest hourly CPU maximum, percent.
    pub cpu_max: f64,
    /// p99.5 of the hourly mem_used_percent averages; `None` without the CloudWatch agent.
    pub mem_p995: Option<f64>,
    /// Busiest hour's average network rate, in + out, bytes per second.
    pub net_peak_bytes_per_s: f64,
    /// Idle lookback (last 14 days of the window): days with ≥ 12 hourly datapoints.
    pub days_observed: u32,
    /// …of which days with average CPU ≤ 10 % and network ≤ 5 MB (Trusted Advisor).
    pub days_low: u32,
    /// …of which days with network ≤ 5 MB (whatever the CPU).
    pub days_network_low: u32,
    /// Highest hourly CPU maximum in the lookback, percent.
    pub cpu_max_lookback: f64,
    /// The week's 168 hours (Monday 00:00 UTC first), as bits: observed in at least two
    /// weeks, and off (CPU and network below the schedule thresholds in every week).
    pub week: WeekMask,
}

/// Which hours of the week are observed and which are off.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct WeekMask {
    pub observed: [u64; 3],
    pub off: [u64; 3],
}

impl WeekMask {
    pub fn set(bits: &mut [u64; 3], slot: usize) {
        bits[slot / 64] |= 1 << (slot % 64);
    }

    pub fn get(bits: &[u64; 3], slot: usize) -> bool {
        bits[slot % 168 / 64] >> (slot % 168 % 64) & 1 == 1
    }

    /// Hours off in every member (a group stops together).
    pub fn intersect(&self, other: &WeekMask) -> WeekMask {
        let and = |a: [u64; 3], b: [u64; 3]| [a[0] & b[0], a[1] & b[1], a[2] & b[2]];
        WeekMask { observed: and(self.observed, other.observed), off: and(self.off, other.off) }
    }

    pub fn observed_hours(&self) -> u32 {
        self.observed.iter().map(|w| w.count_ones()).sum()
    }
}

impl Usage {
    pub fn cpu_at(&self, statistic: CpuStatistic) -> f64 {
        match statistic {
            CpuStatistic::P90 => self.cpu_p90,
            CpuStatistic::P95 => self.cpu_p95,
            CpuStatistic::P995 => self.cpu_p995,
        }
    }
}

pub type UsageTable = HashMap<String, Usage>;

impl Usage {
    /// Take the larger of each statistic (a group is sized for its busiest member).
    pub fn absorb(&mut self, u: &Usage) {
        self.hours = self.hours.max(u.hours);
        self.cpu_mean = self.cpu_mean.max(u.cpu_mean);
        self.cpu_p90 = self.cpu_p90.max(u.cpu_p90);
        self.cpu_p95 = self.cpu_p95.max(u.cpu_p95);
        self.cpu_p995 = self.cpu_p995.max(u.cpu_p995);
        self.cpu_max = self.cpu_max.max(u.cpu_max);
        self.mem_p995 = match (self.mem_p995, u.mem_p995) {
            (Some(a), Some(b)) => Some(a.max(b)),
            _ => None,
        };
        self.net_peak_bytes_per_s = self.net_peak_bytes_per_s.max(u.net_peak_bytes_per_s);
    }
}

/// Usage of every instance that has metrics.
pub fn usage(snapshot: &Snapshot, schedule: &ScheduleSettings) -> Result<UsageTable, RuleError> {
    let metrics = snapshot
        .frame(FrameName::Ec2MetricsHourly)
        .ok_or_else(|| RuleError::Data("frame ec2_metrics_hourly is absent from the snapshot".into()))?;
    let mut table = compute(metrics, snapshot.manifest.window.end.timestamp_millis())?;
    week_masks(metrics, schedule, &mut table)?;
    Ok(table)
}

/// Per instance and hour of the week: the highest CPU maximum and network of that hour
/// over the weeks observed (one group-by), folded into each instance's `WeekMask`.
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
