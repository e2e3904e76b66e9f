//! Money as text, the same way everywhere: rules write it into rationales, presenters
//! into tables. A module of its own so neither side imports the other.

/// `$1,234.56`, `-$3.00`.
pub fn usd(v: f64) -> String {
    let cents = (v.abs() * 100.0).round() as u64;
    let (whole, frac) = (cents / 100, cents % 100);
    let digits = whole.to_string();
    let mut grouped = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    format!("{}${grouped}.{frac:02}", if v < 0.0 && cents > 0 { "-" } else { "" })
}

/// `usd`, or `unpriced` when there is no figure.
pub fn usd_or_unpriced(v: Option<f64>) -> String {
    v.map(usd).unwrap_or_else(|| "unpriced".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_thousands_and_keeps_cents() {
        assert_eq!(usd(1234.5), "$1,234.50");
        assert_eq!(usd(-3.0), "-$3.00");
        assert_eq!(usd(0.004), "$0.00");
        assert_eq!(usd(-0.001), "$0.00", "no negative zero");
        assert_eq!(usd(1_000_000.0), "$1,000,000.00");
        assert_eq!(usd_or_unpriced(None), "unpriced");
    }
}
