//! CSV presenter: one row per finding, for spreadsheets.

use super::model::Report;

pub const HEADER: &[&str] = &[
    "id",
    "rule",
    "category",
    "severity",
    "resource_id",
    "resource_type",
    "account_id",
    "region",
    "name",
    "current",
    "current_monthly_usd",
    "recommended",
    "recommended_monthly_usd",
    "monthly_savings_usd",
    "one_time_cost_usd",
    "payback_days",
    "confidence",
    "performance_risk",
    "migration_effort",
    "rationale",
];

pub fn to_csv(report: &Report) -> String {
    let mut out = HEADER.join(",");
    out.push('\n');
    let money = |v: Option<f64>| v.map(|v| format!("{v:.2}")).unwrap_or_default();
    for f in &report.findings {
        let row = [
            f.id.clone(),
            f.rule.clone(),
            f.category.as_str().to_string(),
            f.severity.as_str().to_string(),
            f.resource.arn_or_id.clone(),
            f.resource.kind.clone(),
            f.resource.account_id.clone(),
            f.resource.region.clone(),
            f.resource.name.clone(),
            f.current.description.clone(),
            money(f.current.monthly_cost_usd),
            f.recommended.description.clone(),
            money(f.recommended.monthly_cost_usd),
            money(f.monthly_savings_usd),
            format!("{:.2}", f.one_time_cost_usd),
            f.payback_days.map(|d| format!("{d:.1}")).unwrap_or_default(),
            format!("{:.2}", f.confidence),
            f.performance_risk.to_string(),
            f.migration_effort.as_str().to_string(),
            f.rationale.clone(),
        ];
        out.push_str(&row.iter().map(|v| quote(v)).collect::<Vec<_>>().join(","));
        out.push('\n');
    }
    out
}

/// RFC 4180 quoting; also neutralises spreadsheet formulas (a leading = + - @).
fn quote(v: &str) -> String {
    let v = if v.starts_with(['=', '+', '@']) { format!("'{v}") } else { v.to_string() };
    if v.contains([',', '"', '\n', '\r']) { format!("\"{}\"", v.replace('"', "\"\"")) } else { v }
}

#[cfg(test)]
mod tests {
    #[test]
    fn quoting() {
        assert_eq!(super::quote("a,b"), "\"a,b\"");
        assert_eq!(super::quote("say \"x\""), "\"say \"\"x\"\"\"");
        assert_eq!(super::quote("=1+1"), "'=1+1");
        assert_eq!(super::quote("-5"), "-5");
    }
}
