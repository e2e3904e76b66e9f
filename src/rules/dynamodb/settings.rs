//! The DynamoDB family's shared parameters (`[rules.dynamodb]`): the data every rule
//! needs, the auto-scaling simulation, and the thresholds of the one shared decision.

use crate::rules::{Param, ParamValue, Params, RuleError};

const fn num(name: &'static str, default: f64, unit: &'static str, doc: &'static str) -> Param {
    Param::new(name, ParamValue::Num(default), unit, doc)
}

pub const MIN_DAYS: Param = num(
    "min_days",
    7.0,
    "days",
    "days of consumption data a table and each of its GSIs need; fewer → no finding for the table, a warning",
);
pub const THROTTLE_EVENTS_MAX: Param = num(
    "throttle_events_max",
    0.0,
    "events",
    "read + write throttle events in the window above which a table or GSI counts as throttled: its consumption \
     understates its demand, so it is never down-sized and its table gets no capacity-mode change",
);
pub const DEFAULT_TARGET_PCT: Param = num(
    "default_target_pct",
    70.0,
    "%",
    "target utilisation of the simulated auto-scaling where none is configured (a configured TargetValue of 70 \
     means 70 %)",
);
pub const DEFAULT_MIN_CAPACITY: Param = num(
    "default_min_capacity",
    1.0,
    "units",
    "simulated auto-scaling minimum where none is configured; the proposed policy's minimum is the lowest capacity \
     the simulation ran at (the same cost, no cold start from this floor after a quiet spell)",
);
pub const DEFAULT_MAX_CAPACITY: Param = num(
    "default_max_capacity",
    40000.0,
    "units",
    "simulated auto-scaling maximum where none is configured (DynamoDB's default per-table quota); for a table \
     provisioned today the proposed maximum is the higher of today's provision and the simulated peak, so the \
     policy never bills above today's provision",
);
pub const SCALE_OUT_MINUTES: Param = num(
    "scale_out_minutes",
    2.0,
    "minutes",
    "the simulation scales out when consumption stays above the target for this many consecutive minutes",
);
pub const SCALE_IN_MINUTES: Param = num(
    "scale_in_minutes",
    15.0,
    "minutes",
    "…and scales in when it stays below the target by `scale_in_below_pct` for this many consecutive minutes",
);
pub const SCALE_IN_BELOW_PCT: Param = num(
    "scale_in_below_pct",
    20.0,
    "%",
    "how far below the target (relative: 20 → under 80 % of the target, 56 % utilisation at a 70 % target) \
     consumption must stay before a scale-in",
);
pub const ANYTIME_SCALE_INS: Param = num(
    "anytime_scale_ins_per_day",
    4.0,
    "scale-ins",
    "scale-ins allowed at any time in a UTC day; after them, one per hour (60 minutes after the previous), as \
     DynamoDB allows",
);
pub const MODE_MIN_SAVING_PCT: Param = num(
    "mode_change_min_saving_pct",
    15.0,
    "%",
    "dynamodb.capacity-mode recommends the cheapest option only when it saves more than this share of the \
     current throughput cost",
);
pub const OVERPROVISIONED_PEAK_PCT: Param = num(
    "overprovisioned_peak_pct",
    80.0,
    "%",
    "a fixed provision whose peak consumption stays below this share of it never nears it (over-provisioned)",
);
pub const HEADROOM_PCT: Param =
    num("headroom_pct", 20.0, "%", "a lower fixed provision is the peak consumption plus this headroom");
pub const SPIKY_PEAK_RATIO: Param = num(
    "spiky_peak_ratio",
    3.0,
    "× p99",
    "consumption whose peak is at least this multiple of its p99 is spiky: lower confidence and a note",
);
pub const FREE_STORAGE_GB: Param = num(
    "free_storage_gb",
    25.0,
    "GB",
    "Standard-class storage free per account and region (AWS free tier; under consolidated billing it is shared \
     by the organisation — set 0 to ignore it)",
);

/// The family's shared parameters.
pub const FAMILY_PARAMS: &[Param] = &[
    MIN_DAYS,
    THROTTLE_EVENTS_MAX,
    DEFAULT_TARGET_PCT,
    DEFAULT_MIN_CAPACITY,
    DEFAULT_MAX_CAPACITY,
    SCALE_OUT_MINUTES,
    SCALE_IN_MINUTES,
    SCALE_IN_BELOW_PCT,
    ANYTIME_SCALE_INS,
    MODE_MIN_SAVING_PCT,
    OVERPROVISIONED_PEAK_PCT,
    HEADROOM_PCT,
    SPIKY_PEAK_RATIO,
    FREE_STORAGE_GB,
];

/// The simulated auto-scaling's rules (shared by every unit).
#[derive(Debug, Clone, PartialEq)]
pub struct ScalingRules {
    pub scale_out_minutes: u32,
    pub scale_in_minutes: u32,
    /// Fraction (0.2) below the target.
    pub scale_in_below: f64,
    pub anytime_scale_ins: u32,
}

/// The resolved family parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub min_days: f64,
    pub throttle_events_max: f64,
    /// Percent, 0 < t ≤ 100.
    pub default_target_pct: f64,
    pub default_min_capacity: f64,
    pub default_max_capacity: f64,
    pub scaling: ScalingRules,
    pub mode_min_saving_pct: f64,
    pub overprovisioned_peak_pct: f64,
    pub headroom_pct: f64,
    pub spiky_peak_ratio: f64,
    pub free_storage_gb: f64,
}

impl Settings {
    pub fn from_params(params: &Params) -> Result<Settings, RuleError> {
        let get = |p: &Param, lo: f64, hi: f64| -> Result<f64, RuleError> {
            let v = params.num(p.name);
            if v.is_finite() && (lo..=hi).contains(&v) {
                Ok(v)
            } else {
                Err(RuleError::Data(format!("[rules.dynamodb] {} = {v} is not in {lo}..={hi}", p.name)))
            }
        };
        let target = get(&DEFAULT_TARGET_PCT, 1.0, 100.0)?;
        let (min, max) = (get(&DEFAULT_MIN_CAPACITY, 1.0, 1e9)?, get(&DEFAULT_MAX_CAPACITY, 1.0, 1e9)?);
        if min > max {
            return Err(RuleError::Data(format!(
                "[rules.dynamodb] default_min_capacity = {min} is above default_max_capacity = {max}"
            )));
        }
        Ok(Settings {
            min_days: get(&MIN_DAYS, 0.0, 93.0)?,
            throttle_events_max: get(&THROTTLE_EVENTS_MAX, 0.0, f64::MAX)?,
            default_target_pct: target,
            default_min_capacity: min,
            default_max_capacity: max,
            scaling: ScalingRules {
                scale_out_minutes: get(&SCALE_OUT_MINUTES, 1.0, 1440.0)? as u32,
                scale_in_minutes: get(&SCALE_IN_MINUTES, 1.0, 1440.0)? as u32,
                scale_in_below: get(&SCALE_IN_BELOW_PCT, 0.0, 99.0)? / 100.0,
                anytime_scale_ins: get(&ANYTIME_SCALE_INS, 0.0, 1440.0)? as u32,
            },
            mode_min_saving_pct: get(&MODE_MIN_SAVING_PCT, 0.0, 99.0)?,
            overprovisioned_peak_pct: get(&OVERPROVISIONED_PEAK_PCT, 1.0, 100.0)?,
            headroom_pct: get(&HEADROOM_PCT, 0.0, 1000.0)?,
            spiky_peak_ratio: get(&SPIKY_PEAK_RATIO, 1.0, 1e6)?,
            free_storage_gb: get(&FREE_STORAGE_GB, 0.0, 1e9)?,
        })
    }
}
