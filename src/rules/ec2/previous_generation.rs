//! `ec2.previous-generation`: previous-generation families → a like-for-like current
//! generation type at equal or lower cost.

use crate::report::{Category, MigrationEffort};
use crate::rules::draft::Draft;
use crate::rules::{Param, Rule, RuleContext, RuleError, RuleOutput};
use crate::snapshot::FrameName;

use super::analysis::{Decision, Fleet};
use super::drafting::{arm64_sentence, confidence, cost_sentence, describe, money, move_evidence};
use super::evidence::Hourly;
use super::settings::{CPU_HEADROOM_PCT, CPU_STATISTIC, MEMORY_HEADROOM_PCT, MIN_HOURS, NETWORK_HEADROOM_PCT, Sizing};
use super::{Picked, actions, evaluate_moves};

pub struct PreviousGeneration;

impl Rule for PreviousGeneration {
    fn id(&self) -> &'static str {
        "ec2.previous-generation"
    }
    fn title(&self) -> &'static str {
        "Move previous-generation EC2 instances to the current generation at equal or lower cost"
    }
    fn category(&self) -> Category {
        Category::Rightsizing
    }
    fn needs(&self) -> &'static [FrameName] {
        &[FrameName::Ec2Instances, FrameName::Ec2MetricsHourly]
    }
    fn params(&self) -> &'static [Param] {
        const P: &[Param] = &[CPU_STATISTIC, CPU_HEADROOM_PCT, MEMORY_HEADROOM_PCT, NETWORK_HEADROOM_PCT, MIN_HOURS];
        P
    }
    fn method(&self) -> &'static str {
        "Families flagged previous generation in data/ec2_families.csv (m1–m4, c1–c4, r3/r4, t1/t2, i2, d2, g2/g3, \
         …) move to their listed successors (m4 → m6i or m5, c4 → c6i or c5, r4 → r6i or r5, t2 → t3, …): the \
         cheapest successor type with at least the current vCPUs and memory (3 % tolerance) and enough network for \
         the busiest hour, reported only when it costs the same or less. Only instances the shared EC2 analysis \
         does not give to a higher-precedence rule: idle instances belong to ec2.idle, and a previous-generation \
         instance that can also be downsized gets one ec2.rightsize finding whose target is already of the current \
         generation (always at least as good as the like-for-like move). The Graviton equivalent is shown in the \
         evidence and rationale instead of a separate ec2.graviton finding. Needs `min_hours` of metrics, like the \
         other sizing rules (whose parameters it shares: keep them equal). Windows and other platforms the catalog \
         does not price are reported unpriced, ranked by us-east-1 Linux list prices."
    }

    fn evaluate(&self, ctx: &RuleContext) -> Result<RuleOutput, RuleError> {
        let select = |d| match d {
            Decision::PreviousGeneration(mv) => Some(mv),
            _ => None,
        };
        evaluate_moves(self, ctx, false, select, write)
    }
}

fn write(ctx: &RuleContext, fleet: &Fleet, p: &Picked, sizing: &Sizing, series: Option<&Hourly>) -> Draft {
    let (unit, a, mv) = (p.unit, &p.assessment, &p.mv);
    let first = unit.first(&fleet.instances);
    let target = mv.target.spec;
    let m = money(unit, a, mv.target.usd_hour);
    let (confidence, mut reasons) = confidence(ctx, unit, a);
    reasons.push("like-for-like move: at least the same vCPUs and memory on a newer platform".into());
    let mut rationale = format!(
        "{name} runs {current}, a previous-generation family. {target_type} ({vcpu} vCPU, {mem:.0} GiB) is its \
         current-generation equivalent: at least as large, newer processors, and {cheaper}. Its usage ({cpu:.1} % \
         CPU at {stat} of hourly maxima) does not allow a smaller type, so this is a like-for-like move. \
         {cost}",
        name = unit.name(&fleet.instances),
        current = describe(a.spec, unit.size(), &first.platform),
        target_type = target.instance_type,
        vcpu = target.vcpus,
        mem = target.memory_gib(),
        cheaper = if mv.target.usd_hour < a.current_usd_hour { "cheaper" } else { "no dearer" },
        cpu = a.demand.cpu_pct,
        stat = sizing.cpu_statistic.label(),
        cost = cost_sentence(&m),
    );
    if let Some(arm) = arm64_sentence(unit, a, mv) {
        rationale.push(' ');
        rationale.push_str(&arm);
    }
    Draft {
        resource: unit.resource(&fleet.instances),
        current: (describe(a.spec, unit.size(), &first.platform), m.current),
        recommended: (describe(target, unit.size(), &first.platform), m.recommended),
        one_time_cost_usd: 0.0,
        unpriced_reason: m.unpriced,
        confidence,
        confidence_reasons: reasons,
        performance_risk: a.demand.performance_risk(target),
        migration_effort: MigrationEffort::Low,
        evidence: move_evidence(ctx, a, mv, sizing, series),
        rationale,
        actions: actions::change_type(unit, &fleet.instances, &target.instance_type, false),
    }
}
