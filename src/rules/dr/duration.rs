//! Recovery targets as people write them: `15m`, `4h`, `1d`, `1h30m` (also `90s`,
//! rounded up to whole minutes, and a bare `0`).

/// Minutes in a duration like `15m`, `4h`, `1d` or `1h30m`; the error says what was expected.
pub fn parse_minutes(text: &str) -> Result<i64, String> {
    let t = text.trim();
    let expected =
        || format!("\"{text}\" is not a duration: expected a number and a unit (s, m, h, d), e.g. 15m, 4h, 1d");
    if t == "0" {
        return Ok(0);
    }
    if t.is_empty() {
        return Err(expected());
    }
    let mut seconds: u64 = 0;
    let mut number = String::new();
    for ch in t.chars() {
        if ch.is_ascii_digit() {
            number.push(ch);
            continue;
        }
        let unit: u64 = match ch.to_ascii_lowercase() {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            _ => return Err(expected()),
        };
        let n: u64 = number.parse().map_err(|_| expected())?;
        seconds = n.checked_mul(unit).and_then(|s| seconds.checked_add(s)).ok_or_else(expected)?;
        number.clear();
    }
    if !number.is_empty() {
        return Err(expected());
    }
    // A year of minutes is plenty for a recovery target; larger is a typo.
    if seconds > 366 * 86_400 {
        return Err(format!("\"{text}\" is longer than a year: expected a recovery target like 15m, 4h or 1d"));
    }
    Ok(seconds.div_ceil(60) as i64)
}

/// `15m`, `4h`, `1d`, `1h30m` — the inverse of `parse_minutes` for whole minutes.
pub fn format_minutes(minutes: f64) -> String {
    if !minutes.is_finite() {
        return "unbounded".into();
    }
    let m = minutes.round().max(0.0) as i64;
    if m == 0 {
        return "0m".into();
    }
    let (d, h, mm) = (m / 1440, (m % 1440) / 60, m % 60);
    let mut out = String::new();
    if d > 0 {
        out.push_str(&format!("{d}d"));
    }
    if h > 0 {
        out.push_str(&format!("{h}h"));
    }
    if mm > 0 {
        out.push_str(&format!("{mm}m"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse() {
        assert_eq!(parse_minutes("15m"), Ok(15));
        assert_eq!(parse_minutes("4h"), Ok(240));
        assert_eq!(parse_minutes("1d"), Ok(1440));
        assert_eq!(parse_minutes("1h30m"), Ok(90));
        assert_eq!(parse_minutes(" 2H "), Ok(120));
        assert_eq!(parse_minutes("90s"), Ok(2), "seconds round up to whole minutes");
        assert_eq!(parse_minutes("0"), Ok(0));
        for bad in ["", "15", "m", "15x", "1.5h", "-5m", "400d", "h4"] {
            let err = parse_minutes(bad).unwrap_err();
            assert!(err.contains(&format!("\"{bad}\"")) && (err.contains("15m") || err.contains("year")), "{err}");
        }
    }

    #[test]
    fn durations_format() {
        assert_eq!(format_minutes(15.0), "15m");
        assert_eq!(format_minutes(240.0), "4h");
        assert_eq!(format_minutes(1440.0), "1d");
        assert_eq!(format_minutes(1500.0), "1d1h");
        assert_eq!(format_minutes(90.0), "1h30m");
        assert_eq!(format_minutes(0.0), "0m");
        assert_eq!(format_minutes(f64::INFINITY), "unbounded");
    }
}
