//! Summary arithmetic and filtering, shared by the engine, the CLI and the TUI.

use std::collections::BTreeMap;

use super::model::{Category, CategorySummary, Finding, Report, Severity, Summary};

/// A finding with confidence at or above this counts as "high confidence".
pub const HIGH_CONFIDENCE: f64 = 0.8;

/// Stable finding id: FNV-1a 64 of `rule \0 resource`, hex. Same input, same id, on
/// every run and every build.
pub fn stable_id(rule: &str, resource: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in rule.bytes().chain([0u8]).chain(resource.bytes()) {
        hash ^= byte as u64;
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("f-{hash:016x}")
}

/// Severity from the monthly money at stake: ≥ $100 high, ≥ $10 medium, else low.
pub fn severity_for(monthly_usd: f64) -> Severity {
    if monthly_usd >= 100.0 {
        Severity::High
    } else if monthly_usd >= 10.0 {
        Severity::Medium
    } else {
        Severity::Low
    }
}

/// Totals over `findings`. Negative savings (a cost to fix a risk) are summed apart.
pub fn summarize(findings: &[Finding], monthly_spend: Option<f64>) -> Summary {
    let mut by_category: BTreeMap<Category, CategorySummary> =
        Category::ALL.iter().map(|c| (*c, CategorySummary::default())).collect();
    let mut savings = 0.0;
    let mut cost_to_fix = 0.0;
    let mut one_time = 0.0;
    let mut unpriced = 0;
    let mut upside = 0.0;
    let mut list_savings = 0.0;
    let mut any_not_at_list = false;
    for f in findings {
        if let Some(s) = f.monthly_savings_usd.filter(|s| *s >= 0.0) {
            match f.pricing.as_ref().and_then(|p| p.list.as_ref()) {
                Some(list) => {
                    any_not_at_list = true;
                    list_savings += list.monthly_savings_usd.unwrap_or(s);
                }
                None => list_savings += s,
            }
        }
        let entry = by_category.entry(f.category).or_default();
        entry.findings += 1;
        if let Some(range) = &f.monthly_savings_range_usd {
            let counted = range.counted();
            savings += counted;
            entry.monthly_savings_usd += counted;
            upside += (range.high - counted).max(0.0);
            if counted > 0.0 {
                one_time += f.one_time_cost_usd;
            }
            continue;
        }
        match f.monthly_savings_usd {
            Some(s) if s >= 0.0 => {
                savings += s;
                entry.monthly_savings_usd += s;
                one_time += f.one_time_cost_usd;
            }
            Some(s) => {
                cost_to_fix += -s;
                one_time += f.one_time_cost_usd;
            }
            None => unpriced += 1,
        }
    }
    for entry in by_category.values_mut() {
        entry.monthly_savings_usd = round_cents(entry.monthly_savings_usd);
    }
    Summary {
        monthly_spend_analyzed_usd: monthly_spend.map(round_cents),
        monthly_savings_usd: round_cents(savings),
        savings_pct_of_spend: monthly_spend.filter(|s| *s > 0.0).map(|s| (savings / s * 1000.0).round() / 10.0),
        one_time_cost_usd: round_cents(one_time),
        findings: findings.len(),
        high_confidence_findings: findings.iter().filter(|f| f.confidence >= HIGH_CONFIDENCE).count(),
        unpriced_findings: unpriced,
        monthly_cost_to_fix_usd: round_cents(cost_to_fix),
        monthly_savings_upside_usd: round_cents(upside),
        by_category,
        list_monthly_savings_usd: any_not_at_list.then(|| round_cents(list_savings)),
        converted: None,
    }
}

/// Whether a savings floor keeps a finding: a cost to fix (negative) or unpriced
/// finding is never hidden; a finding with a range is kept when its range reaches the floor.
pub fn keeps_savings(f: &Finding, min: f64) -> bool {
    if let Some(r) = &f.monthly_savings_range_usd {
        return r.high >= min;
    }
    f.monthly_savings_usd.is_none_or(|s| s < 0.0 || s >= min)
}

pub fn round_cents(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// What the CLI's `--min-savings` / `--category` (and the TUI's filters) keep.
#[derive(Debug, Clone, Default)]
pub struct ReportFilter {
    pub min_savings_usd: Option<f64>,
    pub categories: Vec<Category>,
}

impl ReportFilter {
    pub fn keeps(&self, f: &Finding) -> bool {
        let savings_ok = match self.min_savings_usd {
            Some(min) => keeps_savings(f, min),
            None => true,
        };
        savings_ok && (self.categories.is_empty() || self.categories.contains(&f.category))
    }

    /// A copy of the report with only the kept findings, summary recomputed.
    pub fn apply(&self, report: &Report) -> Report {
        let mut out = report.clone();
        out.findings.retain(|f| self.keeps(f));
        out.summary = summarize(&out.findings, report.summary.monthly_spend_analyzed_usd);
        super::currency::apply(&mut out);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_and_distinct() {
        assert_eq!(stable_id("ebs.unattached", "vol-1"), stable_id("ebs.unattached", "vol-1"));
        assert_ne!(stable_id("ebs.unattached", "vol-1"), stable_id("ebs.unattached", "vol-2"));
        // The separator keeps ("ab","c") and ("a","bc") apart.
        assert_ne!(stable_id("ab", "c"), stable_id("a", "bc"));
        assert_eq!(stable_id("x", "y").len(), 18);
    }

    #[test]
    fn severity_thresholds() {
        assert_eq!(severity_for(100.0), Severity::High);
        assert_eq!(severity_for(99.99), Severity::Medium);
        assert_eq!(severity_for(9.99), Severity::Low);
    }
}
