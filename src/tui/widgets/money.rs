//! Number formatting for the dashboard: dollars, counts, durations, compact values.

/// `$12.34` under $100, `$1,234` from $100 up, `-$5.00` for negatives.
pub fn usd(x: f64) -> String {
    if !x.is_finite() {
        return "—".into();
    }
    let sign = if x < 0.0 { "-" } else { "" };
    let a = x.abs();
    if a < 100.0 { format!("{sign}${a:.2}") } else { format!("{sign}${}", thousands(a.round() as u64)) }
}

/// `usd`, or `unpriced` when the finding has no price.
pub fn usd_opt(x: Option<f64>) -> String {
    x.map(usd).unwrap_or_else(|| "unpriced".into())
}

/// `$950`, `$48.2k`, `$1.3M` — for tight columns.
pub fn usd_compact(x: f64) -> String {
    let sign = if x < 0.0 { "-" } else { "" };
    let a = x.abs();
    if a >= 1e6 {
        format!("{sign}${:.1}M", a / 1e6)
    } else if a >= 1e4 {
        format!("{sign}${:.1}k", a / 1e3)
    } else {
        usd(x)
    }
}

/// `$1,234/mo`
pub fn per_month(x: f64) -> String {
    format!("{}/mo", usd(x))
}

/// `1,234,567`
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// Payback: `—` without a saving, `now` without a one-time cost, `12 d`, `3.5 mo`.
pub fn payback(days: Option<f64>) -> String {
    match days {
        None => "—".into(),
        Some(d) if !d.is_finite() => "—".into(),
        Some(d) if d <= 0.0 => "immediate".into(),
        Some(d) if d < 1.0 => "< 1 d".into(),
        Some(d) if d < 90.0 => format!("{d:.0} d"),
        Some(d) => format!("{:.1} mo", d / 30.4),
    }
}

/// `1.2k`, `3.4M`, `0.25`, `12` — chart labels and matrix cells.
pub fn compact(x: f64) -> String {
    if !x.is_finite() {
        return "—".into();
    }
    let a = x.abs();
    let sign = if x < 0.0 { "-" } else { "" };
    if a >= 1e12 {
        format!("{sign}{:.1}T", a / 1e12)
    } else if a >= 1e9 {
        format!("{sign}{:.1}G", a / 1e9)
    } else if a >= 1e6 {
        format!("{sign}{:.1}M", a / 1e6)
    } else if a >= 1e4 {
        format!("{sign}{:.1}k", a / 1e3)
    } else if a >= 100.0 || a == a.round() {
        format!("{sign}{a:.0}")
    } else if a >= 1.0 {
        format!("{sign}{a:.1}")
    } else {
        format!("{sign}{a:.2}")
    }
}

/// A value with its unit: `85 %`, `1.2k IOPS`, `$40.00` (for `USD`).
pub fn with_unit(x: f64, unit: &str) -> String {
    match unit {
        "USD" | "usd" | "$" => usd(x),
        "USD/month" | "usd/month" => per_month(x),
        "" => compact(x),
        "%" | "percent" => format!("{} %", compact(x)),
        u => format!("{} {u}", compact(x)),
    }
}

/// Minutes as `15 min`, `4 h`, `2 d`.
pub fn minutes(m: f64) -> String {
    if !m.is_finite() {
        "—".into()
    } else if m < 120.0 {
        format!("{m:.0} min")
    } else if m < 48.0 * 60.0 {
        format!("{} h", compact(m / 60.0))
    } else {
        format!("{} d", compact(m / 1440.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(usd(12.345), "$12.35");
        assert_eq!(usd(48210.4), "$48,210");
        assert_eq!(usd(-5.0), "-$5.00");
        assert_eq!(usd_compact(48210.0), "$48.2k");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(999), "999");
        assert_eq!(payback(Some(4.2)), "4 d");
        assert_eq!(payback(None), "—");
        assert_eq!(compact(0.256), "0.26");
        assert_eq!(compact(1_500_000.0), "1.5M");
        assert_eq!(minutes(240.0), "4 h");
        assert_eq!(with_unit(85.0, "%"), "85 %");
    }
}
