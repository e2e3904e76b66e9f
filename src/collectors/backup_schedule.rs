//! AWS Backup schedule expressions → the longest gap between two backups, minutes (the
//! RPO a schedule gives). `cron(Minutes Hours Day-of-month Month Day-of-week Year)`, in
//! UTC; also `rate(N hours|days)`.

/// The longest interval between runs of `expr`, in minutes; None when not understood.
pub fn interval_min(expr: &str) -> Option<i64> {
    let e = expr.trim();
    if let Some(body) = e.strip_prefix("rate(").and_then(|b| b.strip_suffix(')')) {
        let (n, unit) = body.trim().split_once(' ')?;
        let n: i64 = n.parse().ok().filter(|n| *n > 0)?;
        let per = match unit.trim().trim_end_matches('s') {
            "minute" => 1,
            "hour" => 60,
            "day" => 1440,
            _ => return None,
        };
        return Some(n * per);
    }
    let body = e.strip_prefix("cron(")?.strip_suffix(')')?;
    let f: Vec<&str> = body.split_whitespace().collect();
    if f.len() != 6 {
        return None;
    }
    let (minutes, hours, dom, dow) = (f[0], f[1], f[2], f[4]);
    let any = |s: &str| s == "*" || s == "?";
    if !any(dow) {
        let days = values(dow, 0, 6, &day_number)?;
        return max_gap(&days, 7).map(|d| d * 1440);
    }
    if !any(dom) {
        let days = values(dom, 1, 31, &|s: &str| s.parse().ok())?;
        return max_gap(&days, 31).map(|d| d * 1440);
    }
    if any(hours) || hours.contains('/') && hours.starts_with('*') {
        // Every hour (or every N hours from 0); within the hour, minutes may step too.
        let step_h = hours.split_once('/').map(|(_, s)| s.parse::<i64>().ok()).unwrap_or(Some(1))?;
        if step_h == 1 && minutes.contains('/') {
            return minutes.split_once('/').and_then(|(_, s)| s.parse().ok());
        }
        return Some(step_h * 60);
    }
    let hrs = values(hours, 0, 23, &|s: &str| s.parse().ok())?;
    max_gap(&hrs, 24).map(|h| h * 60)
}

fn day_number(s: &str) -> Option<i64> {
    let names = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
    names.iter().position(|n| n.eq_ignore_ascii_case(s)).map(|i| i as i64).or_else(|| {
        // AWS numbers days 1 (SUN) .. 7 (SAT).
        s.parse::<i64>().ok().filter(|d| (1..=7).contains(d)).map(|d| d - 1)
    })
}

/// Values of a cron field: `a`, `a,b`, `a-b`, `a/n`, `*/n`.
fn values(field: &str, lo: i64, hi: i64, parse: &dyn Fn(&str) -> Option<i64>) -> Option<Vec<i64>> {
    let mut out = Vec::new();
    for part in field.split(',') {
        let (range, step) = match part.split_once('/') {
            Some((r, s)) => (r, s.parse::<i64>().ok().filter(|s| *s > 0)?),
            None => (part, 1),
        };
        let (a, b) = if range == "*" {
            (lo, hi)
        } else if let Some((a, b)) = range.split_once('-') {
            (parse(a)?, parse(b)?)
        } else {
            let a = parse(range)?;
            (a, if part.contains('/') { hi } else { a })
        };
        let mut v = a;
        while v <= b {
            out.push(v);
            v += step;
        }
    }
    out.sort();
    out.dedup();
    (!out.is_empty()).then_some(out)
}

/// The longest circular gap between sorted values on a cycle of `period`.
fn max_gap(values: &[i64], period: i64) -> Option<i64> {
    let first = *values.first()?;
    let mut gap = first + period - values[values.len() - 1];
    for w in values.windows(2) {
        gap = gap.max(w[1] - w[0]);
    }
    Some(gap)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedules_give_their_longest_gap() {
        assert_eq!(interval_min("cron(0 5 ? * * *)"), Some(1440), "daily (moto's default)");
        assert_eq!(interval_min("cron(0 3 * * ? *)"), Some(1440));
        assert_eq!(interval_min("cron(0 * * * ? *)"), Some(60), "hourly");
        assert_eq!(interval_min("cron(0 0/4 * * ? *)"), Some(240));
        assert_eq!(interval_min("cron(0 */12 * * ? *)"), Some(720));
        assert_eq!(interval_min("cron(0 1,13 * * ? *)"), Some(720));
        assert_eq!(interval_min("cron(0 8-18 * * ? *)"), Some(14 * 60), "18:00 to 08:00 is the longest gap");
        assert_eq!(interval_min("cron(0 5 ? * SUN *)"), Some(7 * 1440), "weekly");
        assert_eq!(interval_min("cron(0 5 ? * MON-FRI *)"), Some(3 * 1440), "Friday to Monday");
        assert_eq!(interval_min("cron(0 5 1 * ? *)"), Some(31 * 1440), "monthly");
        assert_eq!(interval_min("rate(12 hours)"), Some(720));
        assert_eq!(interval_min("rate(1 day)"), Some(1440));
        assert_eq!(interval_min("cron(nonsense)"), None);
        assert_eq!(interval_min("at(2026-01-01)"), None);
    }
}
