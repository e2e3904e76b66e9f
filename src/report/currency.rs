//! The display currency: every USD figure of the report converted at the user's rate
//! (`[report] currency` and `usd_rate` in tierwise.toml — never fetched or guessed).
//! The USD figures stay the contract; the converted ones sit beside them.

use super::model::Report;
use super::provenance::{ConvertedMoney, ConvertedSummary};

/// Fill (or clear) the converted figures from `report.display_currency`.
pub fn apply(report: &mut Report) {
    let Some(cur) = report.display_currency.clone() else {
        report.summary.converted = None;
        for f in &mut report.findings {
            f.converted = None;
        }
        return;
    };
    let conv = |usd: f64| (cur.convert(usd) * 100.0).round() / 100.0;
    let s = &report.summary;
    report.summary.converted = Some(ConvertedSummary {
        currency: cur.code.clone(),
        monthly_spend_analyzed: s.monthly_spend_analyzed_usd.map(conv),
        monthly_savings: conv(s.monthly_savings_usd),
        one_time_cost: conv(s.one_time_cost_usd),
        monthly_cost_to_fix: conv(s.monthly_cost_to_fix_usd),
    });
    for f in &mut report.findings {
        f.converted = Some(ConvertedMoney {
            currency: cur.code.clone(),
            current_monthly_cost: f.current.monthly_cost_usd.map(conv),
            recommended_monthly_cost: f.recommended.monthly_cost_usd.map(conv),
            monthly_savings: f.monthly_savings_usd.map(conv),
            one_time_cost: conv(f.one_time_cost_usd),
        });
    }
}

/// ` (₩290,131)` after a USD figure when the report has a display currency, else "".
pub fn beside(cur: Option<&super::DisplayCurrency>, usd: f64) -> String {
    cur.map(|c| format!(" ({})", format(&c.code, c.convert(usd)))).unwrap_or_default()
}

/// `₩290,131` / `€1,234.56` / `1,234.56 CHF`: a converted amount with its currency,
/// grouped; currencies without minor units (KRW, JPY) show none.
pub fn format(code: &str, amount: f64) -> String {
    let (symbol, decimals) = match code {
        "KRW" => ("₩", 0),
        "JPY" => ("¥", 0),
        "EUR" => ("€", 2),
        "GBP" => ("£", 2),
        _ => ("", 2),
    };
    let scale = 10f64.powi(decimals);
    let units = (amount.abs() * scale).round() as u64;
    let (whole, frac) = (units / scale as u64, units % scale as u64);
    let digits = whole.to_string();
    let mut grouped = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let sign = if amount < 0.0 && units > 0 { "-" } else { "" };
    let number = if decimals > 0 { format!("{grouped}.{frac:0width$}", width = decimals as usize) } else { grouped };
    if symbol.is_empty() { format!("{sign}{number} {code}") } else { format!("{sign}{symbol}{number}") }
}

#[cfg(test)]
mod tests {
    #[test]
    fn formats_by_currency() {
        assert_eq!(super::format("KRW", 290_131.2), "₩290,131");
        assert_eq!(super::format("EUR", 1234.567), "€1,234.57");
        assert_eq!(super::format("CHF", -3.0), "-3.00 CHF");
    }
}
