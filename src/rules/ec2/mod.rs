//! EC2 rules: `ec2.idle`, `ec2.rightsize`, `ec2.previous-generation`, `ec2.graviton`.
//!
//! They share one analysis (`analysis::decide`): per-instance usage statistics from a
//! single cached lazy Polars query (`stats`), instances grouped into units (a standalone
//! instance, or one Auto Scaling group / EKS node group), and one decision per unit in a
//! fixed precedence — idle, rightsize, previous generation, Graviton. Each rule reports
//! the units whose decision is its own, so an instance is never counted twice; the
//! alternatives a finding beat (the Graviton option of a rightsizing, …) are in its evidence.

mod actions;
mod analysis;
mod catalog;
mod drafting;
mod evidence;
mod fleet;
mod settings;
mod sizing;
mod stats;

pub mod graviton;
pub mod idle;
pub mod previous_generation;
pub mod rightsize;

pub use graviton::Graviton;
pub use idle::Idle;
pub use previous_generation::PreviousGeneration;
pub use rightsize::Rightsize;

#[cfg(test)]
mod graviton_tests;
#[cfg(test)]
mod idle_tests;
#[cfg(test)]
mod previous_generation_tests;
#[cfg(test)]
mod rightsize_tests;
#[cfg(test)]
mod test_fleet;

use std::collections::HashMap;

use crate::report::Finding;
use crate::rules::{Rule, RuleContext, RuleError, RuleOutput};

use analysis::{Assessment, Decision, Fleet, Move};
use catalog::Catalog;
use evidence::{Hourly, hourly_series};
use fleet::Unit;
use settings::Sizing;

/// Warnings of one kind beyond this many are summarised in one line.
const MAX_WARNINGS_PER_KIND: usize = 20;

/// Collects warnings, naming the first instances of each kind and counting the rest.
#[derive(Default)]
struct WarningLog {
    by_kind: Vec<(&'static str, Vec<String>)>,
}

impl WarningLog {
    fn push(&mut self, kind: &'static str, message: String) {
        match self.by_kind.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, v)) => v.push(message),
            None => self.by_kind.push((kind, vec![message])),
        }
    }

    fn into_vec(self) -> Vec<String> {
        let mut out = Vec::new();
        for (kind, messages) in self.by_kind {
            let extra = messages.len().saturating_sub(MAX_WARNINGS_PER_KIND);
            out.extend(messages.into_iter().take(MAX_WARNINGS_PER_KIND));
            if extra > 0 {
                out.push(format!("… and {extra} more {kind}"));
            }
        }
        out
    }
}

/// A unit whose decision belongs to the calling rule, with what it needs for the finding.
struct Picked<'u, 'a> {
    unit: &'u Unit,
    assessment: Assessment<'a>,
    mv: Move<'a>,
}

/// Run the shared analysis and keep the units `select` claims. `warn_unsized` makes this
/// rule the one that reports units it could not size (only ec2.rightsize does, so each
/// thin-data instance is named once).
fn pick<'u, 'a>(
    fleet: &'u Fleet,
    catalog: &Catalog<'a>,
    sizing: &Sizing,
    warn_unsized: bool,
    warnings: &mut WarningLog,
    select: impl Fn(Decision<'a>) -> Option<Move<'a>>,
) -> Vec<Picked<'u, 'a>> {
    let mut picked = Vec::new();
    for unit in &fleet.units {
        let (decision, assessment) = analysis::decide(fleet, unit, catalog, sizing);
        if let Decision::Unsized(why) = &decision {
            if warn_unsized {
                let name = unit.name(&fleet.instances);
                warnings.push("units not sized", format!("{} ({name}): not sized: {why}", unit.id));
            }
            continue;
        }
        if let (Some(mv), Some(assessment)) = (select(decision), assessment) {
            picked.push(Picked { unit, assessment, mv });
        }
    }
    picked
}

/// The hourly series of the instance that sized each picked unit.
fn series_for(ctx: &RuleContext, picked: &[Picked]) -> Result<HashMap<String, Hourly>, RuleError> {
    let ids: Vec<String> = picked.iter().map(|p| p.assessment.usage.busiest.clone()).collect();
    hourly_series(ctx.snapshot, &ids)
}

/// Shared evaluate for the three type-change rules: pick, then write each finding.
fn evaluate_moves<'a>(
    rule: &dyn Rule,
    ctx: &RuleContext<'a>,
    warn_unsized: bool,
    select: impl Fn(Decision<'a>) -> Option<Move<'a>>,
    write: impl Fn(&RuleContext, &Fleet, &Picked, &Sizing, Option<&Hourly>) -> crate::rules::draft::Draft,
) -> Result<RuleOutput, RuleError> {
    let sizing = Sizing::from_params(ctx.params)?;
    let fleet = analysis::load(ctx)?;
    let catalog = Catalog::new(ctx.prices);
    let mut warnings = WarningLog::default();
    let picked = pick(&fleet, &catalog, &sizing, warn_unsized, &mut warnings, select);
    let series = series_for(ctx, &picked)?;
    let mut findings: Vec<Finding> = Vec::with_capacity(picked.len());
    for p in &picked {
        let draft = write(ctx, &fleet, p, &sizing, series.get(&p.assessment.usage.busiest));
        if let Some(reason) = &draft.unpriced_reason {
            warnings.push("unpriced findings", format!("{}: unpriced: {reason}", p.unit.id));
        }
        findings.push(draft.finish(rule));
    }
    Ok(RuleOutput { findings, warnings: warnings.into_vec() })
}
