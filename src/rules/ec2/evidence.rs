//! Evidence for EC2 findings: the statistics and thresholds used, the hourly series of
//! the instances reported (read from the family's grouped metrics, `hourly.rs`) drawn as
//! time series with threshold lines, and the candidate types considered.

use crate::pricing::{HOURS_PER_MONTH, InstanceSpec};
use crate::report::{Bucket, Chart, Series, Stat, ThresholdLine};

use super::catalog::network_gbps;
use super::hourly::Hourly;
use super::settings::{Sizing, TA_DAILY_CPU_PCT, TA_DAILY_NETWORK_BYTES};
use super::sizing::{Considered, Demand};
use super::stats::Usage;

/// Charts never carry more points than this per series.
pub const MAX_POINTS: usize = 400;

/// Average (or, with `peak`, maximum) over equal buckets so at most `MAX_POINTS` remain.
pub fn downsample(ts: &[i64], values: &[f64], peak: bool) -> Vec<(i64, f64)> {
    let step = ts.len().div_ceil(MAX_POINTS).max(1);
    ts.chunks(step)
        .zip(values.chunks(step))
        .map(|(t, v)| {
            let value =
                if peak { v.iter().copied().fold(f64::MIN, f64::max) } else { v.iter().sum::<f64>() / v.len() as f64 };
            (t[0], round2(value))
        })
        .collect()
}

pub fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

fn line(label: impl Into<String>, value: f64) -> ThresholdLine {
    ThresholdLine { label: label.into(), value: round2(value) }
}

/// CPU, memory (when measured) and network over the window, with the statistic and the
/// target's limits (expressed in the current instance's terms) as threshold lines.
pub fn resize_charts(
    h: &Hourly,
    current: &InstanceSpec,
    target: &InstanceSpec,
    demand: &Demand,
    sizing: &Sizing,
) -> Vec<Chart> {
    let stat = sizing.cpu_statistic.label();
    let vcpu_ratio = target.vcpus as f64 / current.vcpus as f64;
    let mut charts = vec![Chart::TimeSeries {
        title: format!("CPU, % of the current {} vCPU ({} hourly points)", current.vcpus, h.ts.len()),
        unit: "%".into(),
        series: vec![
            Series { name: "hourly average".into(), points: downsample(&h.ts, &h.cpu_avg, false) },
            Series { name: "hourly maximum".into(), points: downsample(&h.ts, &h.cpu_max, true) },
        ],
        thresholds: vec![
            line(format!("{stat} of hourly maxima"), demand.cpu_pct),
            line(
                format!(
                    "{} at {:.0} % (headroom {:.0} %)",
                    target.instance_type,
                    sizing.cpu_ceiling_pct(),
                    sizing.cpu_headroom_pct
                ),
                sizing.cpu_ceiling_pct() * vcpu_ratio,
            ),
        ],
    }];
    if h.mem.iter().any(Option::is_some) {
        let mem: Vec<f64> = h.mem.iter().map(|m| m.unwrap_or(0.0)).collect();
        let mut thresholds = Vec::new();
        if let Some(m) = demand.memory_pct {
            thresholds.push(line("p99.5", m));
        }
        thresholds.push(line(
            format!("{} at {:.0} %", target.instance_type, sizing.memory_ceiling_pct()),
            sizing.memory_ceiling_pct() * target.memory_gib() / current.memory_gib(),
        ));
        charts.push(Chart::TimeSeries {
            title: format!("Memory used, % of the current {:.1} GiB", current.memory_gib()),
            unit: "%".into(),
            series: vec![Series { name: "hourly average".into(), points: downsample(&h.ts, &mem, false) }],
            thresholds,
        });
    }
    let mbps: Vec<f64> = h.network.iter().map(|b| b * 8.0 / 3600.0 / 1e6).collect();
    let listed_mbps = network_gbps(target) * 1000.0;
    charts.push(Chart::TimeSeries {
        title: "Network in + out, Mbit/s (hourly average)".into(),
        unit: "Mbit/s".into(),
        series: vec![Series { name: "in + out".into(), points: downsample(&h.ts, &mbps, true) }],
        thresholds: vec![
            line("busiest hour", demand.network_gbps * 1000.0),
            line(
                format!(
                    "{} listed {} Gbit/s at {:.0} %",
                    target.instance_type,
                    network_gbps(target),
                    sizing.network_ceiling_pct()
                ),
                listed_mbps * sizing.network_ceiling_pct() / 100.0,
            ),
        ],
    });
    charts
}

/// Daily average CPU and daily network of the idle lookback, with the Trusted Advisor lines.
pub fn idle_charts(h: &Hourly, lookback_start_s: i64) -> Vec<Chart> {
    let mut days: Vec<(i64, f64, f64, u32)> = Vec::new();
    for i in 0..h.ts.len() {
        if h.ts[i] < lookback_start_s {
            continue;
        }
        let day = h.ts[i].div_euclid(86_400) * 86_400;
        match days.last_mut() {
            Some(d) if d.0 == day => {
                d.1 += h.cpu_avg[i];
                d.2 += h.network[i];
                d.3 += 1;
            }
            _ => days.push((day, h.cpu_avg[i], h.network[i], 1)),
        }
    }
    let cpu = days.iter().map(|d| (d.0, round2(d.1 / d.3 as f64))).collect();
    let net = days.iter().map(|d| (d.0, round2(d.2 / 1e6))).collect();
    let hourly_cpu = Chart::TimeSeries {
        title: "CPU over the window, % (hourly maximum)".into(),
        unit: "%".into(),
        series: vec![Series { name: "hourly maximum".into(), points: downsample(&h.ts, &h.cpu_max, true) }],
        thresholds: vec![line("Cost Explorer idle: max ≤ 1 %", super::settings::CE_MAX_CPU_PCT)],
    };
    vec![
        Chart::TimeSeries {
            title: "Daily average CPU, last 14 days".into(),
            unit: "%".into(),
            series: vec![Series { name: "daily average".into(), points: cpu }],
            thresholds: vec![line("Trusted Advisor idle ≤ 10 %", TA_DAILY_CPU_PCT)],
        },
        Chart::TimeSeries {
            title: "Daily network in + out, last 14 days".into(),
            unit: "MB".into(),
            series: vec![Series { name: "daily total".into(), points: net }],
            thresholds: vec![line("Trusted Advisor idle ≤ 5 MB", TA_DAILY_NETWORK_BYTES / 1e6)],
        },
        hourly_cpu,
    ]
}

/// The usage statistics every EC2 finding shows.
pub fn usage_stats(u: &Usage) -> Vec<Stat> {
    let mut stats = vec![
        Stat::new("CPU mean (hourly averages)", round2(u.cpu_mean), "%"),
        Stat::new("CPU p90 of hourly maxima", round2(u.cpu_p90), "%"),
        Stat::new("CPU p95 of hourly maxima", round2(u.cpu_p95), "%"),
        Stat::new("CPU p99.5 of hourly maxima", round2(u.cpu_p995), "%"),
        Stat::new("CPU maximum", round2(u.cpu_max), "%"),
    ];
    if let Some(m) = u.mem_p995 {
        stats.push(Stat::new("memory used p99.5", round2(m), "%"));
    }
    let mbps = u.net_peak_bytes_per_s * 8.0 / 1e6;
    stats.push(Stat::new("network busiest hour (in + out)", (mbps * 1e4).round() / 1e4, "Mbit/s"));
    stats
}

/// Candidate types as statistics (visible in every presenter) and as a bar chart.
pub fn candidates(title: &str, considered: &[Considered], unpriced: bool) -> (Vec<Stat>, Chart) {
    let unit = if unpriced { "USD/month (us-east-1 Linux list, ranking only)" } else { "USD/month" };
    let stats = considered
        .iter()
        .map(|c| {
            Stat::new(
                format!("candidate {} — {}", c.instance_type, c.verdict),
                round2(c.usd_hour * HOURS_PER_MONTH),
                unit,
            )
        })
        .collect();
    let buckets = considered
        .iter()
        .map(|c| Bucket {
            label: format!("{}: {}", c.instance_type, c.verdict),
            value: round2(c.usd_hour * HOURS_PER_MONTH),
        })
        .collect();
    (stats, Chart::Histogram { title: title.into(), unit: unit.into(), buckets })
}
