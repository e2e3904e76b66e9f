//! Per-instance usage statistics from `ec2_metrics_hourly`, computed with one lazy
//! Polars query (group-by aggregations, no row loops) and cached, so the four EC2
//! rules — which the engine runs concurrently on the same snapshot — compute them once.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use polars::prelude::*;

use crate::rules::RuleError;
use crate::rules::columns::strs;
use crate::snapshot::{FrameName, Snapshot};

use super::settings::{CpuStatistic, IDLE_LOOKBACK_DAYS, MIN_HOURS_PER_DAY, TA_DAILY_CPU_PCT, TA_DAILY_NETWORK_BYTES};

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
    /// Highest hourly CPU maximum in the lookback, percent.
    pub cpu_max_lookback: f64,
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

/// Identity of a metrics frame: Polars buffers are immutable and shared, and the cache
/// keeps a clone of the frame alive, so equal buffer addresses mean equal data.
#[derive(Debug, Clone, PartialEq)]
struct Key {
    height: usize,
    buffers: Vec<usize>,
    window_end_ms: i64,
}

struct Entry {
    key: Key,
    _pinned: DataFrame,
    table: Arc<UsageTable>,
}

static CACHE: Mutex<Option<Entry>> = Mutex::new(None);

fn key_of(df: &DataFrame, window_end_ms: i64) -> Result<Key, RuleError> {
    let mut buffers = Vec::new();
    for name in ["cpu_avg", "cpu_max", "net_in_bytes"] {
        for arr in df.column(name)?.f64()?.downcast_iter() {
            buffers.push(arr.values().as_ptr() as usize);
        }
    }
    Ok(Key { height: df.height(), buffers, window_end_ms })
}

/// Usage of every instance that has metrics, computed once per metrics frame.
pub fn usage(snapshot: &Snapshot) -> Result<Arc<UsageTable>, RuleError> {
    let metrics = snapshot
        .frame(FrameName::Ec2MetricsHourly)
        .ok_or_else(|| RuleError::Data("frame ec2_metrics_hourly is absent from the snapshot".into()))?;
    let window_end_ms = snapshot.manifest.window.end.timestamp_millis();
    let key = key_of(metrics, window_end_ms)?;
    // Holding the lock while computing makes concurrent rules wait for one computation.
    let mut cache = CACHE.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(entry) = cache.as_ref().filter(|e| e.key == key) {
        return Ok(Arc::clone(&entry.table));
    }
    let table = Arc::new(compute(metrics, window_end_ms)?);
    *cache = Some(Entry { key, _pinned: metrics.clone(), table: Arc::clone(&table) });
    Ok(table)
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
    let idle = days.group_by([col("instance_id")]).agg([
        observed.cast(DataType::Int64).sum().alias("days_observed"),
        low.cast(DataType::Int64).sum().alias("days_low"),
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
            cpu_max_lookback: max_lookback[i].unwrap_or(0.0),
        };
        table.insert(id.to_string(), usage);
    }
    Ok(table)
}
