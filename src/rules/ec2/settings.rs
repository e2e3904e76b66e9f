//! The EC2 demand model's parameters — shared by every EC2 rule, set once under
//! `[rules.ec2]` — and the fixed idle definitions.

use crate::rules::{Param, ParamValue, Params, RuleError};

pub const CPU_STATISTIC: Param = Param::new(
    "cpu_statistic",
    ParamValue::Text("p99.5"),
    "",
    "percentile of the hourly CPU maxima that the target must absorb: \"p90\", \"p95\" or \"p99.5\"",
);
pub const CPU_HEADROOM_PCT: Param = Param::new(
    "cpu_headroom_pct",
    ParamValue::Num(20.0),
    "%",
    "capacity the target keeps free at that percentile: it may run at most 100 − this % CPU",
);
pub const MEMORY_HEADROOM_PCT: Param = Param::new(
    "memory_headroom_pct",
    ParamValue::Num(20.0),
    "%",
    "the same for memory, at p99.5 of hourly mem_used_percent when the CloudWatch agent reports it",
);
pub const NETWORK_HEADROOM_PCT: Param = Param::new(
    "network_headroom_pct",
    ParamValue::Num(20.0),
    "%",
    "the same for network: the busiest hour's average in+out rate must stay below 100 − this % of the target's \
     listed bandwidth",
);
pub const MIN_HOURS: Param = Param::new(
    "min_hours",
    ParamValue::Num(30.0),
    "hours",
    "hourly datapoints an instance needs in the window before it is sized; fewer → no finding and a warning \
    ",
);

pub const IDLE_LOW_DAYS_PCT: Param = Param::new(
    "idle_low_days_pct",
    ParamValue::Num(90.0),
    "%",
    "share of the observed days in the last 14 that must be low — daily average CPU ≤ 10 % and network ≤ 5 MB \
     (Trusted Advisor), or maximum CPU ≤ 1 % with that network (Cost Explorer) — for an instance to be idle; \
     most of the window, so a weekday-only server is never idle (it gets ec2.schedule instead)",
);
pub const SCHEDULE_OFF_CPU_PCT: Param = Param::new(
    "schedule_off_cpu_pct",
    ParamValue::Num(5.0),
    "%",
    "an hour of the week is off when, in every week observed, its maximum CPU is at most this",
);
pub const SCHEDULE_OFF_NETWORK_MB: Param = Param::new(
    "schedule_off_network_mb",
    ParamValue::Num(10.0),
    "MB",
    "…and its network in + out is at most this many MB",
);
pub const SCHEDULE_MIN_BLOCK_HOURS: Param = Param::new(
    "schedule_min_block_hours",
    ParamValue::Num(4.0),
    "hours",
    "off hours count only in runs at least this long (nobody stops a server for one hour)",
);
pub const SCHEDULE_MIN_OFF_HOURS: Param = Param::new(
    "schedule_min_off_hours",
    ParamValue::Num(40.0),
    "hours/week",
    "a schedule is proposed only when it stops the instance at least this many hours a week",
);

/// The family's shared parameters (`[rules.ec2]`).
pub const FAMILY_PARAMS: &[Param] = &[
    CPU_STATISTIC,
    CPU_HEADROOM_PCT,
    MEMORY_HEADROOM_PCT,
    NETWORK_HEADROOM_PCT,
    MIN_HOURS,
    IDLE_LOW_DAYS_PCT,
    SCHEDULE_OFF_CPU_PCT,
    SCHEDULE_OFF_NETWORK_MB,
    SCHEDULE_MIN_BLOCK_HOURS,
    SCHEDULE_MIN_OFF_HOURS,
];

/// Which percentile of the hourly CPU maxima sizes the target.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CpuStatistic {
    P90,
    P95,
    P995,
}

impl CpuStatistic {
    pub fn label(self) -> &'static str {
        match self {
            CpuStatistic::P90 => "p90",
            CpuStatistic::P95 => "p95",
            CpuStatistic::P995 => "p99.5",
        }
    }

    pub fn percentile(self) -> f64 {
        match self {
            CpuStatistic::P90 => 90.0,
            CpuStatistic::P95 => 95.0,
            CpuStatistic::P995 => 99.5,
        }
    }
}

/// The resolved sizing parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct Sizing {
    pub cpu_statistic: CpuStatistic,
    pub cpu_headroom_pct: f64,
    pub memory_headroom_pct: f64,
    pub network_headroom_pct: f64,
    pub min_hours: f64,
    /// Share of observed days that must be low for idle, 0..1.
    pub idle_low_days: f64,
    pub schedule: ScheduleSettings,
}

/// What makes an hour of the week "off", and when a schedule is worth proposing.
#[derive(Debug, Clone, PartialEq)]
pub struct ScheduleSettings {
    pub off_cpu_pct: f64,
    pub off_network_bytes: f64,
    pub min_block_hours: u32,
    pub min_off_hours: f64,
}

impl Sizing {
    pub fn from_params(params: &Params) -> Result<Sizing, RuleError> {
        let cpu_statistic = match params.text(CPU_STATISTIC.name) {
            "p90" => CpuStatistic::P90,
            "p95" => CpuStatistic::P95,
            "p99.5" => CpuStatistic::P995,
            other => {
                return Err(RuleError::Data(format!(
                    "cpu_statistic = \"{other}\" is not one of \"p90\", \"p95\", \"p99.5\""
                )));
            }
        };
        let pct = |param: &Param| -> Result<f64, RuleError> {
            let v = params.num(param.name);
            if (0.0..100.0).contains(&v) {
                Ok(v)
            } else {
                Err(RuleError::Data(format!("{} = {v} is not in 0..100", param.name)))
            }
        };
        Ok(Sizing {
            cpu_statistic,
            cpu_headroom_pct: pct(&CPU_HEADROOM_PCT)?,
            memory_headroom_pct: pct(&MEMORY_HEADROOM_PCT)?,
            network_headroom_pct: pct(&NETWORK_HEADROOM_PCT)?,
            min_hours: params.num(MIN_HOURS.name).max(1.0),
            idle_low_days: params.num(IDLE_LOW_DAYS_PCT.name).clamp(1.0, 100.0) / 100.0,
            schedule: ScheduleSettings {
                off_cpu_pct: params.num(SCHEDULE_OFF_CPU_PCT.name).max(0.0),
                off_network_bytes: params.num(SCHEDULE_OFF_NETWORK_MB.name).max(0.0) * 1e6,
                min_block_hours: params.num(SCHEDULE_MIN_BLOCK_HOURS.name).clamp(1.0, 168.0) as u32,
                min_off_hours: params.num(SCHEDULE_MIN_OFF_HOURS.name).clamp(1.0, 168.0),
            },
        })
    }

    /// Highest CPU percent a target may run at (100 − headroom).
    pub fn cpu_ceiling_pct(&self) -> f64 {
        100.0 - self.cpu_headroom_pct
    }

    pub fn memory_ceiling_pct(&self) -> f64 {
        100.0 - self.memory_headroom_pct
    }

    pub fn network_ceiling_pct(&self) -> f64 {
        100.0 - self.network_headroom_pct
    }
}

/// Trusted Advisor "Low Utilization Amazon EC2 Instances": daily average CPU ≤ 10 % and
/// daily network I/O ≤ 5 MB. Trusted Advisor flags 4 such days of 14; tierwise needs
/// `idle_low_days_pct` of the observed days (most of the window), because 4 of 14 is a
/// weekday server's weekends, and stopping it would cost its users their weekdays.
pub const TA_DAILY_CPU_PCT: f64 = 10.0;
pub const TA_DAILY_NETWORK_BYTES: f64 = 5.0e6;
/// Days looked back from the end of the window.
pub const IDLE_LOOKBACK_DAYS: i64 = 14;
/// Cost Explorer's idle definition: maximum CPU ≤ 1 % over the lookback (tierwise also
/// needs the daily network to be low on most days: a CPU-idle proxy that moves data is busy).
pub const CE_MAX_CPU_PCT: f64 = 1.0;
/// An hour-of-week slot is judged only when the window holds it in at least this many weeks.
pub const SCHEDULE_MIN_WEEKS: u32 = 2;
/// A day counts towards either definition only with at least this many hourly datapoints.
pub const MIN_HOURS_PER_DAY: u32 = 12;
/// Either definition needs at least this many such days.
pub const MIN_IDLE_DAYS_OBSERVED: u32 = 4;
