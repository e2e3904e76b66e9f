//! What one capacity unit used and what each way of paying for it would need, per
//! dimension, as monthly quantities (request units, unit-hours) that any price list can
//! price — so the capacity decision and the table class use the same numbers.
//!
//! The period runs from the unit's first hourly row to the end of the window (per-minute
//! data: at most the last 14 days of it); a minute or hour without a row consumed
//! nothing. Monthly figures scale the period to 730 hours.

use crate::pricing::HOURS_PER_MONTH;

use super::model::{Dim, Unit};
use super::series::{Minutes, UnitHours};
use super::settings::Settings;
use super::simulate::{Outcome, Policy, simulate};

/// Per-minute rows are read over at most this many final days of the window.
pub const MINUTE_DAYS: i64 = 14;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    Minute,
    Hour,
}

impl Resolution {
    pub fn label(self) -> &'static str {
        match self {
            Resolution::Minute => "1-minute",
            Resolution::Hour => "hourly (per-minute data absent)",
        }
    }
}

/// One dimension of one unit.
#[derive(Debug, Clone)]
pub struct DimUsage {
    /// Consumption, units per second (mean, p99 and peak over the period's steps).
    pub mean: f64,
    pub p99: f64,
    pub peak: f64,
    /// On-demand request units a month (ConsumedCapacityUnits counts RRU/WRU alike).
    pub od_units_month: f64,
    /// Provisioned as configured: mean capacity and unit-hours a month (None on-demand).
    pub current_capacity: Option<f64>,
    pub current_unit_hours_month: Option<f64>,
    /// A configured scalable target with a target-tracking policy drove the current provision.
    pub autoscaled: bool,
    /// The simulated auto-scaling and its policy.
    pub policy: Policy,
    pub policy_configured: bool,
    pub sim: Outcome,
    pub sim_unit_hours_month: f64,
    /// A fixed provision at peak + headroom.
    pub fixed_capacity: f64,
    /// Hourly chart lines: highest consumption, current provision (NaN on-demand).
    pub chart_consumed: Vec<f32>,
    pub chart_provisioned: Vec<f32>,
}

impl DimUsage {
    /// Peak ÷ p99 (1 when flat or idle).
    pub fn spike_ratio(&self) -> f64 {
        if self.p99 > 0.0 {
            self.peak / self.p99
        } else if self.peak > 0.0 {
            f64::INFINITY
        } else {
            1.0
        }
    }

    /// Share of simulated minutes above the simulated capacity.
    pub fn under_share(&self) -> f64 {
        self.sim.under_minutes as f64 / self.sim.minutes.max(1) as f64
    }
}

#[derive(Debug, Clone)]
pub struct UnitUsage {
    pub resolution: Resolution,
    pub start_s: i64,
    pub end_s: i64,
    pub datapoints: u64,
    pub throttles: i64,
    pub dims: [DimUsage; 2],
}

impl UnitUsage {
    pub fn days(&self) -> f64 {
        (self.end_s - self.start_s).max(0) as f64 / 86_400.0
    }

    pub fn dim(&self, d: Dim) -> &DimUsage {
        &self.dims[d.idx()]
    }
}

/// The period of a unit: from its first hourly row (else `fallback_start`) to `end_s`.
pub fn period(hours: &UnitHours, fallback_start: i64, window_start: i64, end_s: i64) -> (i64, i64) {
    let first = hours.hours.first().map(|h| h.ts_s.div_euclid(3600) * 3600).unwrap_or(fallback_start);
    (first.max(window_start).min(end_s), end_s)
}

/// The current provision of each hour of the period, carried forward from the hourly
/// rows (the configured value before the first report or when none is reported).
fn provision_per_hour(hours: &UnitHours, unit: &Unit, d: Dim, start: i64, end: i64) -> Option<Vec<f64>> {
    let configured = unit.provisioned[d.idx()];
    let reported = hours.hours.iter().any(|h| h.provisioned[d.idx()].is_finite());
    if configured.is_none() && !reported {
        return None;
    }
    let n = ((end - start) / 3600).max(0) as usize;
    let mut out = Vec::with_capacity(n);
    let mut last = configured.unwrap_or(0.0);
    let mut rows = hours.hours.iter().peekable();
    for k in 0..n {
        let t = start + 3600 * k as i64;
        while let Some(h) = rows.peek() {
            if h.ts_s > t {
                break;
            }
            // Rows before the period (per-minute periods start later) carry forward too.
            if h.provisioned[d.idx()].is_finite() {
                last = h.provisioned[d.idx()];
            }
            rows.next();
        }
        out.push(last);
    }
    Some(out)
}

fn policy(unit: &Unit, d: Dim, s: &Settings) -> (Policy, bool) {
    match unit.scaling[d.idx()] {
        Some(sc) => (
            Policy {
                target_pct: sc.target_pct.filter(|t| *t > 0.0 && *t <= 100.0).unwrap_or(s.default_target_pct),
                min: sc.min.max(1.0),
                max: sc.max.max(sc.min.max(1.0)),
                scale_in_disabled: sc.scale_in_disabled,
            },
            true,
        ),
        None => (
            Policy {
                target_pct: s.default_target_pct,
                min: s.default_min_capacity,
                max: s.default_max_capacity,
                scale_in_disabled: false,
            },
            false,
        ),
    }
}

/// Nearest-rank percentile of `values` (reordered in place).
fn percentile(values: &mut [f64], p: f64) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0 * values.len() as f64).ceil() as usize).clamp(1, values.len()) - 1;
    let (_, v, _) = values.select_nth_unstable_by(rank, |a, b| a.total_cmp(b));
    *v
}

/// The period [start, end) in steps of `step_minutes` (1 or 60).
#[derive(Clone, Copy)]
struct Grid {
    start: i64,
    end: i64,
    step_minutes: u32,
}

/// One dimension over the consecutive steps of `grid`.
fn dim_usage(unit: &Unit, hours: &UnitHours, d: Dim, s: &Settings, grid: Grid, consumption: &[f64]) -> DimUsage {
    let Grid { start, end, step_minutes } = grid;
    let period_hours = ((end - start) as f64 / 3600.0).max(1.0 / 60.0);
    let month = HOURS_PER_MONTH / period_hours;
    let step_s = 60.0 * step_minutes as f64;
    let total: f64 = consumption.iter().sum();
    let mut sorted = consumption.to_vec();
    let p99 = percentile(&mut sorted, 99.0);
    let peak = consumption.iter().copied().fold(0.0, f64::max);
    let provision = provision_per_hour(hours, unit, d, start, end);
    let (policy, configured) = policy(unit, d, s);
    let initial = provision.as_ref().and_then(|p| p.first().copied());
    let per_minute = consumption.iter().flat_map(|&c| std::iter::repeat_n(c, step_minutes as usize));
    let sim = simulate(start, per_minute, initial, &policy, &s.scaling);
    // A proposed (unconfigured) policy: its minimum is the lowest capacity the simulation
    // ran at, its maximum (for a table provisioned today) the highest of today's provision
    // and the simulated peak — the same simulated path and cost (it never left that band),
    // no cold start from 1 unit after a quiet night, and never a bill above today's.
    let policy = match configured {
        true => policy,
        false => {
            let today = provision.as_ref().map(|p| p.iter().copied().fold(0.0, f64::max));
            let max = today.map_or(policy.max, |t| t.max(sim.peak_capacity).ceil().min(policy.max));
            Policy { min: policy.min.max(sim.low_capacity.floor()).min(max), max, ..policy }
        }
    };
    let chart_consumed: Vec<f32> = if step_minutes == 60 {
        consumption.iter().map(|&c| c as f32).collect()
    } else {
        consumption.chunks(60).map(|c| c.iter().copied().fold(0.0, f64::max) as f32).collect()
    };
    let current_capacity = provision.as_ref().map(|p| p.iter().sum::<f64>() / p.len().max(1) as f64);
    DimUsage {
        mean: total / consumption.len().max(1) as f64,
        p99,
        peak,
        od_units_month: total * step_s * month,
        current_capacity,
        current_unit_hours_month: current_capacity.map(|c| c * HOURS_PER_MONTH),
        // A scalable target without a target-tracking policy never scales: a fixed provision.
        autoscaled: unit.scaling[d.idx()].is_some_and(|sc| sc.target_pct.is_some()),
        policy,
        policy_configured: configured,
        sim_unit_hours_month: sim.unit_hours * month,
        sim,
        fixed_capacity: (peak * (1.0 + s.headroom_pct / 100.0)).ceil().max(1.0),
        chart_consumed,
        chart_provisioned: provision.map(|p| p.iter().map(|&v| v as f32).collect()).unwrap_or_default(),
    }
}

/// A unit from its hourly rows (each hour's average stands for its 60 minutes).
pub fn from_hours(unit: &Unit, hours: &UnitHours, s: &Settings, start: i64, end: i64) -> UnitUsage {
    let n = ((end - start) / 3600).max(0) as usize;
    let mut grid = [vec![0.0; n], vec![0.0; n]];
    let mut datapoints = 0;
    for h in &hours.hours {
        let k = (h.ts_s - start).div_euclid(3600);
        if (0..n as i64).contains(&k) {
            grid[0][k as usize] = h.consumed[0];
            grid[1][k as usize] = h.consumed[1];
            datapoints += 1;
        }
    }
    let steps = Grid { start, end, step_minutes: 60 };
    let dims = Dim::BOTH.map(|d| dim_usage(unit, hours, d, s, steps, &grid[d.idx()]));
    UnitUsage { resolution: Resolution::Hour, start_s: start, end_s: end, datapoints, throttles: hours.throttles, dims }
}

/// A unit from its per-minute rows over [start, end) (minutes without a row are zero).
pub fn from_minutes(
    unit: &Unit,
    hours: &UnitHours,
    minutes: &Minutes,
    s: &Settings,
    start: i64,
    end: i64,
) -> UnitUsage {
    let n = ((end - start) / 60).max(0) as usize;
    let mut grid = [vec![0.0; n], vec![0.0; n]];
    let mut datapoints = 0;
    for (i, &t) in minutes.ts_s.iter().enumerate() {
        let k = (t - start).div_euclid(60);
        if (0..n as i64).contains(&k) {
            grid[0][k as usize] = minutes.per_s[0][i];
            grid[1][k as usize] = minutes.per_s[1][i];
            datapoints += 1;
        }
    }
    let steps = Grid { start, end, step_minutes: 1 };
    let dims = Dim::BOTH.map(|d| dim_usage(unit, hours, d, s, steps, &grid[d.idx()]));
    UnitUsage {
        resolution: Resolution::Minute,
        start_s: start,
        end_s: end,
        datapoints,
        throttles: hours.throttles,
        dims,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentile() {
        let mut v: Vec<f64> = (1..=100).map(|x| x as f64).collect();
        assert_eq!(percentile(&mut v, 99.0), 99.0);
        assert_eq!(percentile(&mut [5.0], 99.0), 5.0);
        assert_eq!(percentile(&mut [], 99.0), 0.0);
    }
}
