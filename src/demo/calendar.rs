//! The demo's fixed clock: the metric window, calendar arithmetic and the daily and
//! weekly rhythm of a business in US Eastern time. Integer arithmetic and constant
//! tables only, so every platform computes the same values.

pub const HOUR_MS: i64 = 3_600_000;
pub const DAY_MS: i64 = 24 * HOUR_MS;

/// Days of hourly metrics (and of daily network flows).
pub const WINDOW_DAYS: i64 = 14;
pub const WINDOW_HOURS: usize = (WINDOW_DAYS * 24) as usize;
/// Days of S3 storage and request history.
pub const S3_HISTORY_DAYS: i64 = 90;

/// Window end, 2026-11-01T00:00:00Z, in days since the epoch.
pub const WINDOW_END_DAY: i64 = days_from_civil(2026, 11, 1);
pub const WINDOW_END_MS: i64 = WINDOW_END_DAY * DAY_MS;
pub const WINDOW_START_MS: i64 = WINDOW_END_MS - WINDOW_DAYS * DAY_MS;

/// The three billed months in `spend_monthly`: (first day, days in month).
pub const BILLED_MONTHS: [(i64, i64); 3] =
    [(days_from_civil(2026, 8, 1), 31), (days_from_civil(2026, 9, 1), 30), (days_from_civil(2026, 10, 1), 31)];

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
pub const fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = (if y >= 0 { y } else { y - 399 }) / 400;
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Offset of the business's local time (US Eastern, standard time) from UTC.
const LOCAL_OFFSET_HOURS: i64 = -5;

/// Relative activity by local hour: quiet at night, a morning ramp, the peak just
/// after mid-day, an evening tail. 1.0 is the daily peak.
const DIURNAL: [f64; 24] = [
    0.10, 0.06, 0.04, 0.03, 0.04, 0.08, 0.18, 0.35, 0.55, 0.72, 0.84, 0.92, //
    0.97, 1.00, 0.98, 0.93, 0.85, 0.74, 0.62, 0.50, 0.40, 0.30, 0.22, 0.15,
];

/// How much of the weekday level remains on Saturday and Sunday.
const WEEKEND_FACTOR: f64 = 0.55;

/// Local hour of day (0-23) of a UTC timestamp.
pub fn local_hour(ms: i64) -> usize {
    (ms.div_euclid(HOUR_MS) + LOCAL_OFFSET_HOURS).rem_euclid(24) as usize
}

/// True on a local Saturday or Sunday.
pub fn is_weekend(ms: i64) -> bool {
    let local_day = (ms + LOCAL_OFFSET_HOURS * HOUR_MS).div_euclid(DAY_MS);
    is_weekend_day(local_day)
}

/// True when the day (days since the epoch) is a Saturday or Sunday.
pub fn is_weekend_day(day: i64) -> bool {
    // 1970-01-01 was a Thursday; Monday = 0.
    (day + 3).rem_euclid(7) >= 5
}

/// Business activity at a UTC timestamp, 0..=1: the diurnal curve, damped at weekends.
pub fn activity(ms: i64) -> f64 {
    let level = DIURNAL[local_hour(ms)];
    if is_weekend(ms) { level * WEEKEND_FACTOR } else { level }
}

/// Activity of a whole day relative to a weekday (1.0 on weekdays).
pub fn day_factor(day: i64) -> f64 {
    if is_weekend_day(day) { WEEKEND_FACTOR + 0.1 } else { 1.0 }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Datelike, NaiveDate, TimeZone, Utc};

    #[test]
    fn civil_days_match_chrono() {
        for (y, m, d) in [(1970, 1, 1), (2000, 2, 29), (2026, 8, 1), (2026, 11, 1), (2024, 12, 31)] {
            let date = NaiveDate::from_ymd_opt(y, m, d).expect("valid test date");
            let expected = (date - NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch")).num_days();
            assert_eq!(days_from_civil(y as i64, m as i64, d as i64), expected);
            let weekend = matches!(date.weekday(), chrono::Weekday::Sat | chrono::Weekday::Sun);
            assert_eq!(is_weekend_day(expected), weekend, "{date}");
        }
        let end = Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).single().expect("valid");
        assert_eq!(WINDOW_END_MS, end.timestamp_millis());
    }

    #[test]
    fn peak_is_mid_day_eastern_and_weekends_are_quieter() {
        // 2026-10-28 is a Wednesday: 18:00 UTC is 13:00 local (peak), 08:00 UTC is 03:00.
        let wednesday = days_from_civil(2026, 10, 28) * DAY_MS;
        assert_eq!(local_hour(wednesday + 18 * HOUR_MS), 13);
        assert!(activity(wednesday + 18 * HOUR_MS) > 5.0 * activity(wednesday + 8 * HOUR_MS));
        let saturday = days_from_civil(2026, 10, 31) * DAY_MS;
        assert!(activity(saturday + 18 * HOUR_MS) < activity(wednesday + 18 * HOUR_MS));
    }
}
