//! Off hours: the hours of the week in which an instance did nothing in every week
//! observed, in runs long enough to stop it for (nights, weekends). A server busy on
//! a schedule is not idle; it can be stopped outside its schedule, and saves the
//! instance-hours it is stopped (its EBS volumes stay billed).

use super::settings::ScheduleSettings;
use super::stats::WeekMask;

pub const HOURS_PER_WEEK: u32 = 168;
const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// A proposed weekly stop schedule.
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    /// Runs of off hours: (first hour of the week, length in hours), Monday 00:00 UTC = 0.
    pub runs: Vec<(u32, u32)>,
    /// Hours a week the instance would be stopped.
    pub off_hours: u32,
    /// Hours of the week the window observed in at least two weeks.
    pub observed_hours: u32,
}

impl Schedule {
    /// Share of the month the instance would be stopped.
    pub fn off_share(&self) -> f64 {
        self.off_hours as f64 / HOURS_PER_WEEK as f64
    }

    /// The off runs in words, UTC: `Mon 20:00 → Tue 08:00 (12 h)`.
    pub fn describe_runs(&self) -> Vec<String> {
        self.runs.iter().map(|&(start, len)| format!("{} → {} ({len} h)", at(start), at(start + len))).collect()
    }

    /// Stop and start times as cron fields (minute hour day-of-month month day-of-week, UTC),
    /// one pair per run, for Auto Scaling scheduled actions: (stop, start).
    pub fn cron_pairs(&self) -> Vec<(String, String)> {
        let cron = |slot: u32| {
            let slot = slot % HOURS_PER_WEEK;
            // cron day-of-week: 0 = Sunday … 6 = Saturday; our slot 0 is Monday.
            let dow = (slot / 24 + 1) % 7;
            format!("0 {} * * {dow}", slot % 24)
        };
        self.runs.iter().map(|&(start, len)| (cron(start), cron(start + len))).collect()
    }
}

/// `Mon 20:00` for an hour of the week (wrapping).
pub fn at(slot: u32) -> String {
    let slot = slot % HOURS_PER_WEEK;
    format!("{} {:02}:00", DAYS[(slot / 24) as usize], slot % 24)
}

/// The schedule a week mask allows, when it frees at least `min_off_hours` a week in
/// runs of at least `min_block_hours`. Hours the window did not observe twice count as
/// busy. Runs wrap around the week (Sunday night into Monday morning).
pub fn schedule_of(mask: &WeekMask, s: &ScheduleSettings) -> Option<Schedule> {
    let off = |slot: u32| WeekMask::get(&mask.off, slot as usize) && WeekMask::get(&mask.observed, slot as usize);
    if (0..HOURS_PER_WEEK).all(off) {
        // Off all week: that is idle, not a schedule (the idle rule decides).
        return None;
    }
    // Start scanning just after a busy hour, so no run is split at the week's edge.
    let first_busy = (0..HOURS_PER_WEEK).find(|h| !off(*h))?;
    let mut runs = Vec::new();
    let mut run: Option<(u32, u32)> = None;
    for i in 1..=HOURS_PER_WEEK {
        let slot = (first_busy + i) % HOURS_PER_WEEK;
        match (off(slot), run.as_mut()) {
            (true, Some((_, len))) => *len += 1,
            (true, None) => run = Some((slot, 1)),
            (false, Some(_)) => runs.extend(run.take()),
            (false, None) => {}
        }
    }
    runs.extend(run);
    runs.retain(|&(_, len)| len >= s.min_block_hours);
    runs.sort();
    let off_hours: u32 = runs.iter().map(|(_, len)| len).sum();
    (off_hours as f64 >= s.min_off_hours).then_some(Schedule { runs, off_hours, observed_hours: mask.observed_hours() })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> ScheduleSettings {
        ScheduleSettings { off_cpu_pct: 5.0, off_network_bytes: 1e7, min_block_hours: 4, min_off_hours: 40.0 }
    }

    /// Busy Monday–Friday 08:00–20:00 UTC, off otherwise, observed all week.
    fn office_hours() -> WeekMask {
        let mut m = WeekMask::default();
        for slot in 0..168usize {
            WeekMask::set(&mut m.observed, slot);
            let (day, hour) = (slot / 24, slot % 24);
            if day >= 5 || !(8..20).contains(&hour) {
                WeekMask::set(&mut m.off, slot);
            }
        }
        m
    }

    #[test]
    fn office_hours_free_108_hours_a_week() {
        let s = schedule_of(&office_hours(), &settings()).expect("a schedule");
        // 4 weeknights × 12 h (Mon–Thu 20:00 → 08:00) + Fri 20:00 → Mon 08:00 (60 h) = 108 h.
        assert_eq!(s.off_hours, 4 * 12 + 60);
        assert_eq!(s.runs.len(), 5);
        assert!((s.off_share() - 108.0 / 168.0).abs() < 1e-12);
        assert!(s.describe_runs().contains(&"Fri 20:00 → Mon 08:00 (60 h)".to_string()), "{:?}", s.describe_runs());
        // Friday 20:00 stop is cron "0 20 * * 5"; the Monday 08:00 start "0 8 * * 1".
        assert!(s.cron_pairs().contains(&("0 20 * * 5".into(), "0 8 * * 1".into())), "{:?}", s.cron_pairs());
    }

    #[test]
    fn short_gaps_and_unobserved_hours_do_not_count() {
        let mut m = WeekMask::default();
        for slot in 0..168usize {
            WeekMask::set(&mut m.observed, slot);
            // Off for 3 hours every 6: runs too short to stop for.
            if slot % 6 < 3 {
                WeekMask::set(&mut m.off, slot);
            }
        }
        assert_eq!(schedule_of(&m, &settings()), None);
        let mut nights = office_hours();
        nights.observed = [0; 3];
        assert_eq!(schedule_of(&nights, &settings()), None, "not observed twice: not off");
        let mut always = WeekMask::default();
        for slot in 0..168usize {
            WeekMask::set(&mut always.observed, slot);
            WeekMask::set(&mut always.off, slot);
        }
        assert_eq!(schedule_of(&always, &settings()), None, "off all week is idle, not a schedule");
    }
}
