//! `ec2.rightsize`: a smaller type that still carries the measured demand with headroom.

use crate::report::{Category, MigrationEffort};
use crate::rules::draft::Draft;
use crate::rules::{Param, Rule, RuleContext, RuleError, RuleOutput};
use crate::snapshot::FrameName;

use super::analysis::Decision;
use super::drafting::{arm64_sentence, confidence, cost_sentence, describe, money, move_evidence};
use super::settings::{CPU_HEADROOM_PCT, CPU_STATISTIC, MEMORY_HEADROOM_PCT, MIN_HOURS, NETWORK_HEADROOM_PCT};
use super::{Picked, actions, evaluate_moves};

pub struct Rightsize;

impl Rule for Rightsize {
    fn id(&self) -> &'static str {
        "ec2.rightsize"
    }
    fn title(&self) -> &'static str {
        "Downsize EC2 instances to the cheapest type that carries their measured demand"
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
        "Compute Optimizer semantics on hourly CloudWatch data. Demand: CPU at `cpu_statistic` (p99.5 by default) \
         of the hourly maxima, memory at p99.5 of the CloudWatch agent's mem_used_percent when present, network at \
         the busiest hour's average in+out rate. A target fits when it runs that demand at most 100 − headroom % \
         (CPU × current vCPUs ÷ target vCPUs ≤ 80 % by default; the same for memory; network within 80 % of the \
         listed bandwidth). Without memory metrics the target keeps the current memory per vCPU and confidence is \
         lower. Candidates are smaller types (fewer vCPUs or less memory) that cost less: first the instance's own \
         family — for a previous generation, its current-generation successors, so this finding also covers the \
         generation change — then every cross-family target of the same architecture in data/ec2_families.csv \
         (burstable types only within their own family). The cheapest that fits wins; every candidate examined is \
         listed with its price and why it was rejected. `performance_risk` is the maximum over CPU, memory and \
         network of how close the target runs to full (0 < 40 %, 1 < 60 %, 2 < 75 %, 3 < 90 %, else 4; unmeasured \
         memory that shrinks counts 2). Instances with fewer than `min_hours` hourly datapoints get no finding and \
         a warning. Auto Scaling groups and EKS node groups get one finding (sized for their busiest member, \
         savings summed over members). Precedence, shared by the four EC2 rules so nothing is counted twice: \
         ec2.idle first (those instances get nothing here), then this rule — its finding shows the Graviton \
         alternative, which ec2.graviton then does not report — then ec2.previous-generation, then ec2.graviton. \
         The sizing parameters are shared with ec2.previous-generation and ec2.graviton: keep them equal."
    }

    fn evaluate(&self, ctx: &RuleContext) -> Result<RuleOutput, RuleError> {
        let select = |d| match d {
            Decision::Rightsize(mv) => Some(mv),
            _ => None,
        };
        evaluate_moves(self, ctx, true, select, write)
    }
}

fn write(
    ctx: &RuleContext,
    fleet: &super::analysis::Fleet,
    p: &Picked,
    sizing: &super::settings::Sizing,
    series: Option<&super::evidence::Hourly>,
) -> Draft {
    let (unit, a, mv) = (p.unit, &p.assessment, &p.mv);
    let first = unit.first(&fleet.instances);
    let target = mv.target.spec;
    let m = money(unit, a, mv.target.usd_hour);
    let (confidence, reasons) = confidence(ctx, unit, a);
    let (cpu, mem, _) = a.demand.projected(target);
    let memory_text = match (a.demand.memory_pct, mem) {
        (Some(now), Some(then)) => format!("memory p99.5 {now:.1} % → {then:.1} % of {:.0} GiB", target.memory_gib()),
        _ => "memory not measured".into(),
    };
    let family_text = if mv.search.cross_family {
        "no smaller type of its own family fits, so the cheapest fitting type of another family"
    } else {
        "the cheapest fitting type of its family"
    };
    let mut rationale = format!(
        "{name} runs {current} at {cpu_now:.1} % CPU ({stat} of hourly maxima over {hours} hours; mean {mean:.1} %). \
         {target_type} is {family_text}: the same load would run it at {cpu:.1} % CPU (limit {ceiling:.0} %), \
         {memory_text}, network busiest hour {net:.1} Mbit/s of {listed} Gbit/s listed. {cost}",
        name = unit.name(&fleet.instances),
        current = describe(a.spec, unit.size(), &first.platform),
        cpu_now = a.demand.cpu_pct,
        stat = sizing.cpu_statistic.label(),
        hours = a.usage.combined.hours,
        mean = a.usage.combined.cpu_mean,
        target_type = target.instance_type,
        ceiling = sizing.cpu_ceiling_pct(),
        net = a.demand.network_gbps * 1000.0,
        listed = super::catalog::network_gbps(target),
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
