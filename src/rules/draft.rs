//! `Draft`: what a rule fills in; `finish` derives the id, savings, severity and payback
//! the same way for every rule.

use crate::report::{
    Action, CostSide, Evidence, Finding, MigrationEffort, Resource, round_cents, severity_for, stable_id,
};

use super::Rule;

pub struct Draft {
    pub resource: Resource,
    pub current: (String, Option<f64>),
    pub recommended: (String, Option<f64>),
    pub one_time_cost_usd: f64,
    pub unpriced_reason: Option<String>,
    /// (low, high, what decides): set when the saving is a range; the recommended cost
    /// is then the conservative (low-saving) case.
    pub savings_range: Option<(f64, f64, String)>,
    pub confidence: f64,
    pub confidence_reasons: Vec<String>,
    pub performance_risk: u8,
    pub migration_effort: MigrationEffort,
    pub evidence: Evidence,
    pub rationale: String,
    pub actions: Vec<Action>,
}

impl Draft {
    pub fn finish(self, rule: &dyn Rule) -> Finding {
        let current = self.current.1.map(round_cents);
        let recommended = self.recommended.1.map(round_cents);
        let savings = match (self.current.1, self.recommended.1) {
            (Some(c), Some(r)) => Some(round_cents(c - r)),
            _ => None,
        };
        let payback_days =
            savings.filter(|s| *s > 0.0).map(|s| ((self.one_time_cost_usd / s) * (730.0 / 24.0) * 10.0).round() / 10.0);
        Finding {
            id: stable_id(rule.id(), &self.resource.arn_or_id),
            rule: rule.id().to_string(),
            title: rule.title().to_string(),
            category: rule.category(),
            severity: severity_for(match &self.savings_range {
                Some((low, _, _)) => low.max(0.0),
                None => savings.map(f64::abs).unwrap_or(0.0),
            }),
            resource: self.resource,
            current: CostSide { description: self.current.0, monthly_cost_usd: current },
            recommended: CostSide { description: self.recommended.0, monthly_cost_usd: recommended },
            monthly_savings_usd: savings,
            monthly_savings_range_usd: self.savings_range.map(|(low, high, depends_on)| crate::report::SavingsRange {
                low: round_cents(low),
                high: round_cents(high),
                depends_on,
            }),
            one_time_cost_usd: round_cents(self.one_time_cost_usd),
            payback_days,
            unpriced_reason: self.unpriced_reason,
            confidence: (self.confidence.clamp(0.0, 1.0) * 100.0).round() / 100.0,
            confidence_reasons: self.confidence_reasons,
            performance_risk: self.performance_risk.min(4),
            migration_effort: self.migration_effort,
            evidence: self.evidence,
            rationale: self.rationale,
            actions: self.actions,
            pricing: None,
            converted: None,
        }
    }
}
