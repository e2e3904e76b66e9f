//! `dynamodb.overprovisioned`: provisioned tables and GSIs without auto-scaling whose
//! consumption never nears the provision → a lower fixed provision (peak + headroom)
//! or auto-scaling, whichever is cheaper, per dimension; each GSI on its own.

use crate::report::Category;
use crate::rules::{Param, Rule, RuleContext, RuleError, RuleOutput};
use crate::snapshot::FrameName;

use super::analysis::{DynamoAnalysis, Owner};
use super::drafting::unit_draft;

pub struct Overprovisioned;

impl Rule for Overprovisioned {
    fn id(&self) -> &'static str {
        "dynamodb.overprovisioned"
    }
    fn title(&self) -> &'static str {
        "Lower over-provisioned DynamoDB capacity (or auto-scale it)"
    }
    fn category(&self) -> Category {
        Category::DynamodbCapacity
    }
    fn needs(&self) -> &'static [FrameName] {
        &[FrameName::DynamodbTables, FrameName::DynamodbMetricsHourly]
    }
    fn params(&self) -> &'static [Param] {
        &[]
    }
    fn method(&self) -> &'static str {
        "Each provisioned capacity unit — the table, and each GSI on its own, even when its table is fine — and \
         each of its dimensions without auto-scaling: over-provisioned when the peak consumption (busiest minute; \
         busiest hour's average without per-minute data, with lower confidence) stays below \
         `overprovisioned_peak_pct` of the provision. Recommended per such dimension: the cheaper of a fixed \
         provision at the peak + `headroom_pct`, and the simulated auto-scaling of dynamodb.capacity-mode; the \
         unit's other fixed dimension moves to auto-scaling too when that saves more than \
         `mode_change_min_saving_pct`. The finding compares the unit's provisioned cost now and after, and shows \
         the on-demand figure (which would need the whole table to switch). Never for a throttled unit \
         (`throttle_events_max`): its consumption understates its demand. A unit whose table gets a capacity-mode \
         change is left to that finding, so no dollar is claimed twice."
    }

    fn evaluate(&self, ctx: &RuleContext) -> Result<RuleOutput, RuleError> {
        let analysis = DynamoAnalysis::of(ctx)?;
        let findings = analysis
            .tables
            .iter()
            .flat_map(|a| {
                a.owned(Owner::Overprovisioned)
                    .into_iter()
                    .filter_map(|(u, dims)| unit_draft(ctx, a, u, &dims, Owner::Overprovisioned, &analysis.settings))
                    .map(|d| d.finish(self))
                    .collect::<Vec<_>>()
            })
            .collect();
        // The data and throttling warnings are the capacity-mode rule's (named once).
        Ok(RuleOutput { findings, warnings: Vec::new() })
    }
}
