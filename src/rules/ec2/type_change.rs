//! The one rule kind behind `ec2.rightsize`, `ec2.previous-generation` and
//! `ec2.graviton`: each is a `TypeChange` value — id, title, which decision of the
//! shared analysis it reports, how it words the rationale and judges the effort — over
//! the same per-unit decision, so a unit can only ever get one of them.

use crate::report::{Category, Finding, MigrationEffort};
use crate::rules::draft::Draft;
use crate::rules::{Param, Rule, RuleContext, RuleError, RuleOutput};
use crate::snapshot::FrameName;

use super::actions;
use super::analysis::{Assessment, Ec2Analysis, Fleet, Move, MoveKind};
use super::drafting::{Money, confidence, describe, money, move_evidence};
use super::fleet::Unit;
use super::hourly::Hourly;
use super::settings::Sizing;
use super::warning_log;

/// What a writer sees of one unit's move.
pub struct MoveContext<'a> {
    pub ctx: &'a RuleContext<'a>,
    pub fleet: &'a Fleet,
    pub unit: &'a Unit,
    pub a: &'a Assessment,
    pub mv: &'a Move,
    pub sizing: &'a Sizing,
    pub money: &'a Money,
}

/// The migration effort of a move, and what it does to confidence.
pub struct Effort {
    pub effort: MigrationEffort,
    /// Multiplies the shared sizing confidence.
    pub confidence_factor: f64,
    /// Added to the confidence reasons.
    pub reason: Option<String>,
}

impl Effort {
    pub const fn low() -> Effort {
        Effort { effort: MigrationEffort::Low, confidence_factor: 1.0, reason: None }
    }
}

pub struct TypeChange {
    pub id: &'static str,
    pub title: &'static str,
    pub category: Category,
    pub method: &'static str,
    /// The rule's own parameters (the sizing ones are the family's).
    pub params: &'static [Param],
    /// The decision this rule reports.
    pub kind: MoveKind,
    /// This rule warns about the units the analysis could not size (exactly one does,
    /// so each is named once).
    pub reports_unsized: bool,
    pub rationale: fn(&MoveContext) -> String,
    pub effort: fn(&MoveContext) -> Effort,
}

impl Rule for TypeChange {
    fn id(&self) -> &'static str {
        self.id
    }
    fn title(&self) -> &'static str {
        self.title
    }
    fn category(&self) -> Category {
        self.category
    }
    fn needs(&self) -> &'static [FrameName] {
        &[FrameName::Ec2Instances, FrameName::Ec2MetricsHourly]
    }
    fn params(&self) -> &'static [Param] {
        self.params
    }
    fn method(&self) -> &'static str {
        self.method
    }
    fn validate(&self, params: &crate::rules::Params) -> Result<(), String> {
        Sizing::from_params(params).map(|_| ()).map_err(|e| e.to_string())
    }

    fn evaluate(&self, ctx: &RuleContext) -> Result<RuleOutput, RuleError> {
        let analysis = Ec2Analysis::of(ctx)?;
        let fleet = &analysis.fleet;
        let mut warnings = warning_log();
        let mut picked: Vec<(&Unit, &Assessment, &Move)> = Vec::new();
        for (unit, decided) in analysis.units() {
            if let super::analysis::Decision::Unsized(why) = &decided.decision {
                if self.reports_unsized {
                    let name = unit.name(&fleet.instances);
                    warnings.push("units not sized", format!("{} ({name}): not sized: {why}", unit.id));
                }
                continue;
            }
            if let (Some(mv), Some(a)) = (decided.decision.change(self.kind), decided.assessment.as_ref()) {
                picked.push((unit, a, mv));
            }
        }
        let mut extra = Vec::new();
        if self.reports_unsized {
            extra.extend(analysis.missing_prices.iter().cloned());
        }
        let mut findings: Vec<Finding> = Vec::with_capacity(picked.len());
        for (unit, a, mv) in picked {
            let m = money(unit, a, mv.target.usd_hour);
            let mc = MoveContext { ctx, fleet, unit, a, mv, sizing: &analysis.sizing, money: &m };
            let series = fleet.hourly.series(&a.usage.busiest)?;
            let draft = self.draft(&mc, series.as_ref());
            if let Some(reason) = &draft.unpriced_reason {
                warnings.push("unpriced findings", format!("{}: unpriced: {reason}", unit.id));
            }
            findings.push(draft.finish(self));
        }
        let mut warnings = warnings.into_vec();
        warnings.extend(extra);
        Ok(RuleOutput { findings, warnings })
    }
}

impl TypeChange {
    fn draft(&self, mc: &MoveContext, series: Option<&Hourly>) -> Draft {
        let (unit, a, mv) = (mc.unit, mc.a, mc.mv);
        let first = unit.first(&mc.fleet.instances);
        let target = &mv.target.spec;
        let (confidence, mut reasons) = confidence(mc.ctx, unit, a);
        let effort = (self.effort)(mc);
        reasons.extend(effort.reason);
        Draft {
            resource: unit.resource(&mc.fleet.instances),
            current: (describe(&a.spec, unit.size(), &first.platform), mc.money.current),
            recommended: (describe(target, unit.size(), &first.platform), mc.money.recommended),
            one_time_cost_usd: 0.0,
            unpriced_reason: mc.money.unpriced.clone(),
            savings_range: None,
            confidence: confidence * effort.confidence_factor,
            confidence_reasons: reasons,
            performance_risk: a.demand.performance_risk(target),
            migration_effort: effort.effort,
            evidence: move_evidence(mc.ctx, a, mv, mc.sizing, series, unit.size()),
            rationale: (self.rationale)(mc) + &schedule_sentence(mc),
            actions: actions::change_type(
                unit,
                &mc.fleet.instances,
                &target.instance_type,
                self.kind == MoveKind::Graviton,
            ),
        }
    }
}

/// The stop schedule this move beat, in one sentence (empty when there is none).
fn schedule_sentence(mc: &MoveContext) -> String {
    let Some(s) = &mc.mv.schedule else { return String::new() };
    let saved = mc.money.current.map(|c| crate::money::usd(c * s.off_share()));
    format!(
        " It is also off {} hours a week ({}); stopping it then would save {} a month — less than this change, so \
         not counted.",
        s.off_hours,
        s.describe_runs().join(", "),
        saved.unwrap_or_else(|| "an unpriced amount".into())
    )
}
