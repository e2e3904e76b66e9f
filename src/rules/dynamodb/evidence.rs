//! Evidence shared by the capacity findings: per dimension, consumption against the
//! current provision and the simulated auto-scaling (a time series the dashboard draws
//! as is), the monthly figures side by side (a histogram), the statistics behind them,
//! and the confidence with its reasons.

use crate::report::{Bucket, Chart, Resource, Series, Stat, ThresholdLine};

use super::analysis::TableAnalysis;
use super::model::{Dim, Table};
use super::settings::Settings;
use super::usage::{Resolution, UnitUsage};

/// Charts never carry more points than this per series.
const MAX_POINTS: usize = 400;

/// A unit price in dollars with the digits it has: `$0.10`, `$0.125`, `$0.00065`.
pub fn dollars(p: f64) -> String {
    let text = format!("{p:.6}");
    let trimmed = text.trim_end_matches('0');
    let decimals = trimmed.split_once('.').map_or(0, |(_, d)| d.len());
    if decimals < 2 { format!("${p:.2}") } else { format!("${trimmed}") }
}

pub fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

/// `orders` or `orders/index/by-day`.
pub fn unit_label(table: &Table, u: usize) -> String {
    match &table.units[u].index {
        Some(i) => format!("{}/index/{i}", table.name),
        None => table.name.clone(),
    }
}

pub fn resource(table: &Table, u: usize) -> Resource {
    let unit = &table.units[u];
    Resource {
        arn_or_id: unit.arn.clone(),
        kind: if unit.is_gsi() { "dynamodb-gsi" } else { "dynamodb-table" }.into(),
        account_id: table.account.clone(),
        region: table.region.clone(),
        name: unit_label(table, u),
        tags: table.tags.clone(),
    }
}

/// Highest value per bucket so at most MAX_POINTS remain (hourly steps from `start_s`).
fn downsample(start_s: i64, values: &[f32]) -> Vec<(i64, f64)> {
    let step = values.len().div_ceil(MAX_POINTS).max(1);
    values
        .chunks(step)
        .enumerate()
        .map(|(k, chunk)| {
            let peak = chunk.iter().copied().fold(f32::MIN, f32::max);
            (start_s + (k * step) as i64 * 3600, round2(peak as f64))
        })
        .collect()
}

/// Consumption vs the current provision and the simulated auto-scaling of one dimension.
pub fn dim_chart(a: &TableAnalysis, u: usize, d: Dim, line: Option<(String, f64)>) -> Option<Chart> {
    let usage = a.usage.get(u)?.as_ref()?;
    let x = usage.dim(d);
    let consumed = match usage.resolution {
        Resolution::Minute => "consumed (busiest minute of each hour)",
        Resolution::Hour => "consumed (hourly average)",
    };
    let mut series = vec![Series { name: consumed.into(), points: downsample(usage.start_s, &x.chart_consumed) }];
    if !x.chart_provisioned.is_empty() {
        series.push(Series { name: "provisioned now".into(), points: downsample(usage.start_s, &x.chart_provisioned) });
    }
    series.push(Series {
        name: format!("simulated auto-scaling (target {} %)", x.policy.target_pct),
        points: downsample(usage.start_s, &x.sim.hourly_capacity),
    });
    let thresholds = line.map(|(label, value)| vec![ThresholdLine { label, value: round2(value) }]).unwrap_or_default();
    Some(Chart::TimeSeries {
        title: format!("{} {}: consumed vs provisioned", unit_label(&a.table, u), d.noun()),
        unit: format!("{}/s", d.unit()),
        series,
        thresholds,
    })
}

/// The monthly figures side by side.
pub fn cost_chart(title: String, figures: &[(String, f64)]) -> Chart {
    Chart::Histogram {
        title,
        unit: "USD/month".into(),
        buckets: figures.iter().map(|(label, value)| Bucket { label: label.clone(), value: round2(*value) }).collect(),
    }
}

/// The figures as statistics too (every presenter shows these).
pub fn cost_stats(figures: &[(String, f64)], unpriced: bool) -> Vec<Stat> {
    let unit = if unpriced { "USD/month (us-east-1 list, ranking only)" } else { "USD/month" };
    figures.iter().map(|(label, v)| Stat::new(format!("monthly throughput: {label}"), round2(*v), unit)).collect()
}

/// What was measured on one dimension of one unit, and what the simulation did.
pub fn dim_stats(a: &TableAnalysis, u: usize, d: Dim) -> Vec<Stat> {
    let Some(usage) = a.usage.get(u).and_then(|x| x.as_ref()) else { return Vec::new() };
    let x = usage.dim(d);
    let who = format!("{} {}", unit_label(&a.table, u), d.noun());
    let rate = format!("{}/s", d.unit());
    let mut stats = vec![
        Stat::new(format!("{who}: consumed mean"), round2(x.mean), rate.clone()),
        Stat::new(format!("{who}: consumed p99"), round2(x.p99), rate.clone()),
        Stat::new(format!("{who}: consumed peak"), round2(x.peak), rate.clone()),
    ];
    if let Some(c) = x.current_capacity {
        let how = if x.autoscaled { "provisioned now (auto-scaled), mean" } else { "provisioned now" };
        stats.push(Stat::new(format!("{who}: {how}"), round2(c), d.unit()));
    }
    let source = if x.policy_configured { "as configured" } else { "default_target_pct" };
    stats.extend([
        Stat::new(format!("{who}: simulated target utilisation ({source})"), x.policy.target_pct, "%"),
        Stat::new(format!("{who}: simulated auto-scaling, mean capacity"), round2(x.sim.mean_capacity), d.unit()),
        Stat::new(
            format!("{who}: simulated scale-outs / scale-ins"),
            (x.sim.scale_outs + x.sim.scale_ins) as f64,
            format!("{} out, {} in", x.sim.scale_outs, x.sim.scale_ins),
        ),
        Stat::new(format!("{who}: simulated minutes above capacity"), round2(x.under_share() * 100.0), "% of minutes"),
        Stat::new(format!("{who}: peak ÷ p99"), round2(x.spike_ratio().min(1e6)), "×"),
    ]);
    stats
}

/// The thresholds of the simulation and the decision.
pub fn thresholds(s: &Settings, target_pct: f64) -> Vec<Stat> {
    vec![
        Stat::new("auto-scaling target (configured, else default_target_pct)", target_pct, "%"),
        Stat::new("scale out after consumption above target for", s.scaling.scale_out_minutes as f64, "minutes"),
        Stat::new(
            "scale in after consumption below target × (1 − scale_in_below_pct) for",
            s.scaling.scale_in_minutes as f64,
            "minutes",
        ),
        Stat::new("scale_in_below_pct", s.scaling.scale_in_below * 100.0, "%"),
        Stat::new(
            "scale-ins at any time per UTC day (then one per hour)",
            s.scaling.anytime_scale_ins as f64,
            "scale-ins",
        ),
        Stat::new("mode_change_min_saving_pct", s.mode_min_saving_pct, "%"),
        Stat::new("min_days", s.min_days, "days"),
    ]
}

/// Confidence in a capacity finding over `units`, and why.
pub fn confidence(
    a: &TableAnalysis,
    units: &[usize],
    s: &Settings,
    window_days: f64,
    autoscaling: bool,
) -> (f64, Vec<String>) {
    let usages: Vec<&UnitUsage> = units.iter().filter_map(|&u| a.usage.get(u).and_then(|x| x.as_ref())).collect();
    let mut reasons = Vec::new();
    let hourly = usages.iter().any(|x| x.resolution == Resolution::Hour);
    let mut c = if hourly {
        reasons.push(
            "hourly averages only (per-minute data absent): minute peaks are invisible, so the peak and the simulated \
             auto-scaling are optimistic"
                .to_string(),
        );
        0.6
    } else {
        reasons
            .push("per-minute consumed capacity: the simulation reacts to the same minutes auto-scaling would".into());
        0.85
    };
    let days = usages.iter().map(|x| x.days()).fold(f64::INFINITY, f64::min);
    if days.is_finite() && window_days > 0.0 && days < 0.9 * window_days {
        c *= 0.6 + 0.4 * (days / window_days).min(1.0);
        reasons.push(format!("{days:.1} days of data of a {window_days:.0}-day window"));
    }
    let spiky: Vec<String> = units
        .iter()
        .flat_map(|&u| Dim::BOTH.map(|d| (u, d)))
        .filter_map(|(u, d)| {
            let x = a.usage.get(u)?.as_ref()?.dim(d);
            (x.spike_ratio() >= s.spiky_peak_ratio && x.peak > 0.0).then(|| {
                format!("{} {} peak {:.1}× its p99", unit_label(&a.table, u), d.noun(), x.spike_ratio().min(1e6))
            })
        })
        .collect();
    if !spiky.is_empty() {
        c *= 0.7;
        reasons.push(format!(
            "spiky ({}): auto-scaling needs {}+ minutes to react, so spikes are throttled or absorbed by burst capacity; \
             on-demand absorbs them",
            spiky.join(", "),
            s.scaling.scale_out_minutes
        ));
    }
    if autoscaling {
        let under = usages.iter().flat_map(|x| x.dims.iter()).map(|x| x.under_share()).fold(0.0, f64::max);
        if under > 0.01 {
            c *= 0.85;
            reasons
                .push(format!("the simulated auto-scaling ran below consumption in {:.1} % of minutes", under * 100.0));
        }
    }
    if let Some(why) = a.basis.unpriced_reason() {
        reasons.push(why);
    }
    (c, reasons)
}

/// Capacity of a dimension in words: `1,000 RCU` or `auto-scaled (mean 120 RCU)`.
pub fn capacity_words(a: &TableAnalysis, u: usize, d: Dim) -> String {
    let Some(x) = a.usage.get(u).and_then(|x| x.as_ref()).map(|x| x.dim(d)) else { return "no data".into() };
    match (x.current_capacity, x.autoscaled) {
        (None, _) => "on-demand".into(),
        (Some(c), true) => format!("auto-scaled (mean {:.0} {})", c, d.unit()),
        (Some(c), false) => format!("{:.0} {}", c, d.unit()),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn unit_prices_keep_their_digits() {
        assert_eq!(super::dollars(0.1), "$0.10");
        assert_eq!(super::dollars(0.125), "$0.125");
        assert_eq!(super::dollars(0.00065), "$0.00065");
        assert_eq!(super::dollars(2.0), "$2.00");
    }
}
