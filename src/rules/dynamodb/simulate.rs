//! The simulated auto-scaling of one capacity dimension (a table's or a GSI's reads or
//! writes), minute by minute, the way Application Auto Scaling target tracking and
//! DynamoDB's limits behave:
//!
//! - utilisation is consumption (units per second, the minute's Sum ÷ 60) over capacity;
//! - scale out when it stays above the target for `scale_out_minutes` (2) consecutive
//!   minutes, to ⌈consumption ÷ target⌉;
//! - scale in when it stays below target × (1 − `scale_in_below`) (80 % of the target)
//!   for `scale_in_minutes` (15), to ⌈highest consumption of those minutes ÷ target⌉;
//! - at most `anytime_scale_ins` (4) scale-ins in a UTC day at any time, then one per
//!   hour (60 minutes after the previous one);
//! - never below min or above max; a change takes effect the next minute.
//!
//! Billing: each clock hour is charged at its highest capacity (the conservative reading
//! of hourly metering: it can only overstate what auto-scaling costs).

use super::settings::ScalingRules;

/// One dimension's scaling policy; `target_pct` is a percentage (70 = 70 %).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Policy {
    pub target_pct: f64,
    pub min: f64,
    pub max: f64,
    pub scale_in_disabled: bool,
}

impl Policy {
    fn target(&self) -> f64 {
        self.target_pct / 100.0
    }

    /// Capacity that runs `units_per_s` at the target, within [min, max].
    pub fn desired(&self, units_per_s: f64) -> f64 {
        (units_per_s / self.target()).ceil().clamp(self.min, self.max)
    }
}

/// What the simulation did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outcome {
    /// Σ over clock hours of the hour's highest capacity, unit-hours.
    pub unit_hours: f64,
    pub hours: usize,
    pub minutes: u64,
    /// Σ capacity per minute ÷ minutes.
    pub mean_capacity: f64,
    pub peak_capacity: f64,
    /// The lowest capacity the simulation ran at (0 without minutes).
    pub low_capacity: f64,
    pub scale_outs: u32,
    pub scale_ins: u32,
    /// Minutes whose consumption was above the simulated capacity (throttled or burst).
    pub under_minutes: u64,
    /// The highest capacity of each clock hour, oldest first (for charts).
    pub hourly_capacity: Vec<f32>,
}

/// Simulate from `start_s` (epoch seconds, a minute boundary) over consecutive minutes
/// of consumption, starting at `initial` capacity (the current provision), or — for a
/// table that has none — at what the first minute needs.
pub fn simulate(
    start_s: i64,
    consumption: impl IntoIterator<Item = f64>,
    initial: Option<f64>,
    policy: &Policy,
    rules: &ScalingRules,
) -> Outcome {
    let mut out = Outcome::default();
    let mut minutes = consumption.into_iter().peekable();
    let first = minutes.peek().copied().unwrap_or(0.0);
    let mut capacity = initial.map(|c| c.clamp(policy.min, policy.max)).unwrap_or_else(|| policy.desired(first));
    let low = policy.target() * (1.0 - rules.scale_in_below);
    let (mut above, mut below, mut below_peak) = (0u32, 0u32, 0.0f64);
    let (mut day, mut scale_ins_today, mut last_scale_in) = (i64::MIN, 0u32, i64::MIN);
    let (mut hour, mut hour_max) = (i64::MIN, 0.0f64);
    let mut capacity_minutes = 0.0;
    for (i, c) in minutes.enumerate() {
        let t = start_s + 60 * i as i64;
        if t.div_euclid(3600) != hour {
            if hour != i64::MIN {
                out.unit_hours += hour_max;
                out.hourly_capacity.push(hour_max as f32);
            }
            hour = t.div_euclid(3600);
            hour_max = 0.0;
        }
        if t.div_euclid(86_400) != day {
            day = t.div_euclid(86_400);
            scale_ins_today = 0;
        }
        hour_max = hour_max.max(capacity);
        capacity_minutes += capacity;
        out.minutes += 1;
        out.peak_capacity = out.peak_capacity.max(capacity);
        out.low_capacity = if out.minutes == 1 { capacity } else { out.low_capacity.min(capacity) };
        if c > capacity {
            out.under_minutes += 1;
        }
        let utilisation = c / capacity;
        above = if utilisation > policy.target() { above + 1 } else { 0 };
        if utilisation < low {
            below += 1;
            below_peak = below_peak.max(c);
        } else {
            below = 0;
            below_peak = 0.0;
        }
        if above >= rules.scale_out_minutes {
            let new = policy.desired(c);
            if new > capacity {
                capacity = new;
                out.scale_outs += 1;
            }
            above = 0;
            below = 0;
            below_peak = 0.0;
        } else if below >= rules.scale_in_minutes && !policy.scale_in_disabled {
            let allowed = scale_ins_today < rules.anytime_scale_ins || t - last_scale_in >= 3600;
            let new = policy.desired(below_peak);
            if allowed && new < capacity {
                capacity = new;
                out.scale_ins += 1;
                scale_ins_today += 1;
                last_scale_in = t;
                below = 0;
                below_peak = 0.0;
            }
        }
    }
    if hour != i64::MIN {
        out.unit_hours += hour_max;
        out.hourly_capacity.push(hour_max as f32);
    }
    out.hours = out.hourly_capacity.len();
    out.mean_capacity = if out.minutes > 0 { capacity_minutes / out.minutes as f64 } else { 0.0 };
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULES: ScalingRules =
        ScalingRules { scale_out_minutes: 2, scale_in_minutes: 15, scale_in_below: 0.2, anytime_scale_ins: 4 };

    fn policy(target_pct: f64) -> Policy {
        Policy { target_pct, min: 1.0, max: 40_000.0, scale_in_disabled: false }
    }

    #[test]
    fn steady_consumption_at_the_target_never_scales() {
        // 70 units/s on 100 units = 70 %: not above a 70 % target, not below 56 %.
        let out = simulate(0, vec![70.0; 120], Some(100.0), &policy(70.0), &RULES);
        assert_eq!((out.scale_outs, out.scale_ins, out.under_minutes), (0, 0, 0));
        assert_eq!(out.unit_hours, 200.0, "2 hours × 100 units");
        assert_eq!(out.hourly_capacity, vec![100.0, 100.0]);
    }

    #[test]
    fn a_target_of_70_means_70_percent() {
        // 35 units/s needs ⌈35 ÷ 0.70⌉ = 50 units; read as 0.7 % it would be 5,000.
        assert_eq!(policy(70.0).desired(35.0), 50.0);
        let out = simulate(0, vec![35.0; 60], None, &policy(70.0), &RULES);
        assert_eq!(out.unit_hours, 50.0);
    }

    #[test]
    fn scale_out_after_two_minutes_above_the_target() {
        // 10 units/s on 15 units (67 %), then 100 from minute 60.
        let mut c = vec![10.0; 60];
        c.extend(vec![100.0; 60]);
        let out = simulate(0, c, Some(15.0), &policy(70.0), &RULES);
        // Minutes 60 and 61 are above (and over capacity); from minute 62: ⌈100 ÷ 0.7⌉ = 143.
        assert_eq!(out.scale_outs, 1);
        assert_eq!(out.under_minutes, 2);
        assert_eq!(out.hourly_capacity, vec![15.0, 143.0]);
        assert_eq!(out.peak_capacity, 143.0);
    }

    #[test]
    fn scale_in_after_fifteen_minutes_below() {
        // 100 units/s on 143 units, then 10: below 0.8 × 0.7 × 143 = 80.08 from minute 60;
        // the 15th such minute is minute 74, so minutes 75+ run at ⌈10 ÷ 0.7⌉ = 15.
        let mut c = vec![100.0; 60];
        c.extend(vec![10.0; 60]);
        let out = simulate(0, c, Some(143.0), &policy(70.0), &RULES);
        assert_eq!((out.scale_outs, out.scale_ins), (0, 1));
        assert_eq!(out.hourly_capacity, vec![143.0, 143.0], "the hour is billed at its highest");
        let minutes = 60.0 * 143.0 + 15.0 * 143.0 + 45.0 * 15.0;
        assert!((out.mean_capacity - minutes / 120.0).abs() < 1e-9);
        assert_eq!(out.low_capacity, 15.0, "the lowest capacity run: a proposed policy's minimum");
        // With that minimum the path, and so the cost, is the same.
        let floor = Policy { min: out.low_capacity, ..policy(70.0) };
        let mut c = vec![100.0; 60];
        c.extend(vec![10.0; 60]);
        assert_eq!(simulate(0, c, Some(143.0), &floor, &RULES), out);
    }

    #[test]
    fn four_scale_ins_at_any_time_then_one_an_hour() {
        // Alternate 20 minutes high and 20 minutes low all day: each low spell could scale in.
        let day: Vec<f64> = (0..1440).map(|m| if (m / 20) % 2 == 0 { 100.0 } else { 1.0 }).collect();
        let out = simulate(0, day, Some(143.0), &policy(70.0), &RULES);
        // 36 low spells; 4 free scale-ins, then at most one per 60 minutes: far fewer than 36.
        assert!(out.scale_ins >= 4 && out.scale_ins <= 4 + 24, "{}", out.scale_ins);
        assert!(out.scale_ins < 36);
        // A new UTC day resets the allowance.
        let two: Vec<f64> = (0..2880).map(|m| if (m / 20) % 2 == 0 { 100.0 } else { 1.0 }).collect();
        let out2 = simulate(0, two, Some(143.0), &policy(70.0), &RULES);
        assert_eq!(out2.scale_ins, 2 * out.scale_ins);
    }

    #[test]
    fn bounds_and_disabled_scale_in_are_respected() {
        let bounded = Policy { target_pct: 70.0, min: 20.0, max: 50.0, scale_in_disabled: false };
        let out = simulate(0, vec![1000.0; 10], Some(30.0), &bounded, &RULES);
        assert_eq!(out.peak_capacity, 50.0, "never above max");
        let out = simulate(0, vec![0.0; 120], Some(30.0), &bounded, &RULES);
        assert_eq!(out.hourly_capacity, vec![30.0, 20.0], "never below min");
        let no_in = Policy { scale_in_disabled: true, ..bounded };
        let out = simulate(0, vec![0.0; 120], Some(30.0), &no_in, &RULES);
        assert_eq!(out.scale_ins, 0);
    }
}
