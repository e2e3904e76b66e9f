//! Per-instance usage statistics from `ec2_metrics_hourly`, folded from each instance's
//! grouped rows (`hourly.rs`). The EC2 family computes them once per run, inside its
//! shared analysis.

use std::collections::HashMap;

use crate::rules::RuleError;
use crate::snapshot::{FrameName, Snapshot};

use super::hourly::{DAY_MS, HourlyMetrics, Row, WEEK_MS, slot_of};
use super::settings::{
    CpuStatistic, IDLE_LOOKBACK_DAYS, MIN_HOURS_PER_DAY, SCHEDULE_MIN_WEEKS, ScheduleSettings, TA_DAILY_CPU_PCT,
    TA_DAILY_NETWORK_BYTES,
};

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

/// Usage of every instance that has metrics: one sequential fold over each instance's
/// grouped hourly rows (`hourly.rs`) — window statistics, the idle lookback's days and
/// the hour-of-week mask together. `stats_reference_tests.rs` keeps the same statistics
/// as the lazy Polars query they replaced and checks both agree on the demo.
pub fn usage(
    snapshot: &Snapshot,
    hourly: &HourlyMetrics,
    schedule: &ScheduleSettings,
) -> Result<UsageTable, RuleError> {
    if !snapshot.has(FrameName::Ec2MetricsHourly) {
        return Err(RuleError::Data("frame ec2_metrics_hourly is absent from the snapshot".into()));
    }
    let _span = tracing::debug_span!("ec2_usage_stats", instances = hourly.len()).entered();
    let end = snapshot.manifest.window.end.timestamp_millis();
    let mut acc = Accumulator::new(end - IDLE_LOOKBACK_DAYS * DAY_MS, end);
    hourly.fold(|rows| {
        acc.reset();
        rows.for_each(|r| acc.add(&r));
        acc.finish(schedule)
    })
}

/// One instance's running statistics (buffers reused from instance to instance).
struct Accumulator {
    lookback: (i64, i64),
    hours: u32,
    cpu_sum: f64,
    cpu_n: u32,
    cpu_max: Vec<f64>,
    mem: Vec<f64>,
    net_peak: Option<f64>,
    /// Days of the idle lookback, in time order (rows arrive time-ordered).
    days: Vec<Day>,
    slots: [Slot; 168],
}

/// One UTC day of the idle lookback.
#[derive(Debug, Clone, Copy)]
struct Day {
    day: i64,
    hours: u32,
    cpu_sum: f64,
    cpu_n: u32,
    /// Sum of in + out over the hours that report both (none reported → 0).
    network: f64,
    cpu_max: Option<f64>,
}

/// One hour of the week over the weeks observed.
#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    /// A bit per week seen (epoch-aligned 7-day periods, each holding every hour of the
    /// week once; modulo 64, so windows up to a year count exactly).
    weeks: u64,
    /// Highest CPU maximum (the average where no maximum was reported).
    cpu: Option<f64>,
    /// Highest in + out (a missing direction counts 0).
    network: f64,
}

fn max_of(a: Option<f64>, b: f64) -> Option<f64> {
    Some(a.map_or(b, |a| a.max(b)))
}

impl Accumulator {
    fn new(lookback_start_ms: i64, window_end_ms: i64) -> Accumulator {
        Accumulator {
            lookback: (lookback_start_ms, window_end_ms),
            hours: 0,
            cpu_sum: 0.0,
            cpu_n: 0,
            cpu_max: Vec::new(),
            mem: Vec::new(),
            net_peak: None,
            days: Vec::new(),
            slots: [Slot::default(); 168],
        }
    }

    fn reset(&mut self) {
        (self.hours, self.cpu_sum, self.cpu_n, self.net_peak) = (0, 0.0, 0, None);
        self.cpu_max.clear();
        self.mem.clear();
        self.days.clear();
        self.slots = [Slot::default(); 168];
    }

    fn add(&mut self, r: &Row) {
        self.hours += 1;
        if let Some(c) = r.cpu_avg {
            (self.cpu_sum, self.cpu_n) = (self.cpu_sum + c, self.cpu_n + 1);
        }
        self.cpu_max.extend(r.cpu_max);
        self.mem.extend(r.mem);
        if let Some(n) = r.network() {
            self.net_peak = max_of(self.net_peak, n);
        }
        if (self.lookback.0..self.lookback.1).contains(&r.ts) {
            let day = r.ts.div_euclid(DAY_MS);
            if self.days.last().is_none_or(|d| d.day != day) {
                self.days.push(Day { day, hours: 0, cpu_sum: 0.0, cpu_n: 0, network: 0.0, cpu_max: None });
            }
            if let Some(d) = self.days.last_mut() {
                d.hours += 1;
                if let Some(c) = r.cpu_avg {
                    (d.cpu_sum, d.cpu_n) = (d.cpu_sum + c, d.cpu_n + 1);
                }
                d.network += r.network().unwrap_or(0.0);
                if let Some(m) = r.cpu_max {
                    d.cpu_max = max_of(d.cpu_max, m);
                }
            }
        }
        let slot = &mut self.slots[slot_of(r.ts)];
        slot.weeks |= 1 << r.ts.div_euclid(WEEK_MS).rem_euclid(64);
        if let Some(cpu) = r.cpu_max.or(r.cpu_avg) {
            slot.cpu = max_of(slot.cpu, cpu);
        }
        slot.network = slot.network.max(r.net_in.unwrap_or(0.0) + r.net_out.unwrap_or(0.0));
    }

    fn finish(&mut self, s: &ScheduleSettings) -> Usage {
        self.cpu_max.sort_unstable_by(f64::total_cmp);
        self.mem.sort_unstable_by(f64::total_cmp);
        let q = |v: &[f64], p: f64| quantile(v, p).unwrap_or(0.0);
        let observed = |d: &&Day| d.hours >= MIN_HOURS_PER_DAY;
        // A day with no CPU average is not low (as a null comparison is not true).
        let cpu_low = |d: &Day| d.cpu_n > 0 && d.cpu_sum / d.cpu_n as f64 <= TA_DAILY_CPU_PCT;
        let network_low = |d: &Day| d.network <= TA_DAILY_NETWORK_BYTES;
        let mut week = WeekMask::default();
        for (i, slot) in self.slots.iter().enumerate() {
            if slot.weeks.count_ones() < SCHEDULE_MIN_WEEKS {
                continue;
            }
            WeekMask::set(&mut week.observed, i);
            if slot.cpu.is_some_and(|c| c <= s.off_cpu_pct) && slot.network <= s.off_network_bytes {
                WeekMask::set(&mut week.off, i);
            }
        }
        let count = |f: &dyn Fn(&Day) -> bool| self.days.iter().filter(observed).filter(|d| f(d)).count() as u32;
        Usage {
            hours: self.hours,
            cpu_mean: if self.cpu_n > 0 { self.cpu_sum / self.cpu_n as f64 } else { 0.0 },
            cpu_p90: q(&self.cpu_max, 0.90),
            cpu_p95: q(&self.cpu_max, 0.95),
            cpu_p995: q(&self.cpu_max, 0.995),
            cpu_max: self.cpu_max.last().copied().unwrap_or(0.0),
            mem_p995: quantile(&self.mem, 0.995),
            net_peak_bytes_per_s: self.net_peak.unwrap_or(0.0) / 3600.0,
            days_observed: count(&|_| true),
            days_low: count(&|d| cpu_low(d) && network_low(d)),
            days_network_low: count(&network_low),
            cpu_max_lookback: self.days.iter().filter_map(|d| d.cpu_max).reduce(f64::max).unwrap_or(0.0),
            week,
        }
    }
}

/// Linear-interpolated quantile of sorted values (Polars' `QuantileMethod::Linear`).
fn quantile(sorted: &[f64], p: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let at = p * last as f64;
    let (lo, hi) = (at.floor() as usize, at.ceil() as usize);
    Some(sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo as f64))
}
