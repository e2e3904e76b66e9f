//! `ec2.graviton`: the arm64 (Graviton) equivalent of an x86 Linux instance.

use crate::report::{Category, MigrationEffort};
use crate::rules::draft::Draft;
use crate::rules::{Param, ParamValue, Rule, RuleContext, RuleError, RuleOutput};
use crate::snapshot::FrameName;

use super::analysis::{Decision, Fleet};
use super::drafting::{confidence, cost_sentence, describe, money, move_evidence};
use super::evidence::Hourly;
use super::fleet::Unit;
use super::settings::{CPU_HEADROOM_PCT, CPU_STATISTIC, MEMORY_HEADROOM_PCT, MIN_HOURS, NETWORK_HEADROOM_PCT, Sizing};
use super::{Picked, actions, evaluate_moves};

const ARM64_READY_TAG: Param = Param::new(
    "arm64_ready_tag",
    ParamValue::Text("arm64-ready"),
    "",
    "tag key marking workloads already built for arm64 (any value but \"false\", \"no\" or \"0\"): migration effort \
     very-low instead of medium",
);

pub struct Graviton;

impl Rule for Graviton {
    fn id(&self) -> &'static str {
        "ec2.graviton"
    }
    fn title(&self) -> &'static str {
        "Move x86 Linux instances to their Graviton (arm64) equivalent"
    }
    fn category(&self) -> Category {
        Category::Graviton
    }
    fn needs(&self) -> &'static [FrameName] {
        &[FrameName::Ec2Instances, FrameName::Ec2MetricsHourly]
    }
    fn params(&self) -> &'static [Param] {
        const P: &[Param] =
            &[CPU_STATISTIC, CPU_HEADROOM_PCT, MEMORY_HEADROOM_PCT, NETWORK_HEADROOM_PCT, MIN_HOURS, ARM64_READY_TAG];
        P
    }
    fn method(&self) -> &'static str {
        "For running x86 Linux instances whose family has a Graviton counterpart in data/ec2_families.csv (m5/m6i/\
         m7i/… → m7g, c5/c6i/c7i/… → c7g, r5/r6i/r7i/… → r7g, t3/t2 → t4g, …): the cheapest type of that family \
         that either carries the measured demand with headroom (the ec2.rightsize test) or is at least as large as \
         the current type, reported when it costs less. Never for Windows or other non-Linux platforms, for \
         families without a counterpart, or for instances already on arm64. Migration effort is very-low when the \
         instance carries the `arm64_ready_tag` tag, medium otherwise (arm64 images and builds are needed). \
         Precedence (shared EC2 analysis, no double counting): idle instances belong to ec2.idle; instances that \
         can be downsized get one ec2.rightsize finding showing this arm64 option too; previous-generation \
         instances get one ec2.previous-generation finding showing it; this rule reports the rest. Its sizing \
         parameters are shared with ec2.rightsize and ec2.previous-generation: keep them equal."
    }

    fn evaluate(&self, ctx: &RuleContext) -> Result<RuleOutput, RuleError> {
        let select = |d| match d {
            Decision::Graviton(mv) => Some(mv),
            _ => None,
        };
        evaluate_moves(self, ctx, false, select, write)
    }
}

fn arm64_ready(ctx: &RuleContext, fleet: &Fleet, unit: &Unit) -> bool {
    let tag = ctx.params.text(ARM64_READY_TAG.name);
    unit.members.iter().all(|&m| {
        fleet.instances[m]
            .tags
            .get(tag)
            .is_some_and(|v| !matches!(v.to_ascii_lowercase().as_str(), "false" | "no" | "0"))
    })
}

fn write(ctx: &RuleContext, fleet: &Fleet, p: &Picked, sizing: &Sizing, series: Option<&Hourly>) -> Draft {
    let (unit, a, mv) = (p.unit, &p.assessment, &p.mv);
    let first = unit.first(&fleet.instances);
    let target = mv.target.spec;
    let m = money(unit, a, mv.target.usd_hour);
    let ready = arm64_ready(ctx, fleet, unit);
    let (confidence, mut reasons) = confidence(ctx, unit, a);
    let tag = ctx.params.text(ARM64_READY_TAG.name);
    reasons.push(if ready {
        format!("tagged `{tag}`: the workload already runs on arm64")
    } else {
        format!("not tagged `{tag}`: arm64 builds of the software must be verified")
    });
    let (cpu, _, _) = a.demand.projected(target);
    let size_text = if target.vcpus as f64 >= a.demand.vcpus {
        "the same size on Graviton"
    } else {
        "a smaller Graviton type that still carries the demand"
    };
    let rationale = format!(
        "{name} runs {current}, an x86 type with a Graviton counterpart. {target_type} ({vcpu} vCPU, {mem:.0} GiB) \
         is {size_text}: at {cpu_now:.1} % CPU ({stat} of hourly maxima) the load projects to {cpu:.1} % of its \
         vCPUs (Graviton cores are physical cores; x86 vCPUs are hyperthreads, so this is conservative). No smaller \
         x86 type fits, so ec2.rightsize has no finding here. {cost}{eks}",
        name = unit.name(&fleet.instances),
        current = describe(a.spec, unit.size(), &first.platform),
        target_type = target.instance_type,
        vcpu = target.vcpus,
        mem = target.memory_gib(),
        cpu_now = a.demand.cpu_pct,
        stat = sizing.cpu_statistic.label(),
        cost = cost_sentence(&m),
        eks = if unit.eks_cluster.is_some() {
            " Every container image scheduled on these nodes needs an arm64 (multi-arch) build."
        } else {
            ""
        },
    );
    Draft {
        resource: unit.resource(&fleet.instances),
        current: (describe(a.spec, unit.size(), &first.platform), m.current),
        recommended: (describe(target, unit.size(), &first.platform), m.recommended),
        one_time_cost_usd: 0.0,
        unpriced_reason: m.unpriced,
        confidence: if ready { confidence } else { confidence * 0.9 },
        confidence_reasons: reasons,
        performance_risk: a.demand.performance_risk(target),
        migration_effort: if ready { MigrationEffort::VeryLow } else { MigrationEffort::Medium },
        evidence: move_evidence(ctx, a, mv, sizing, series),
        rationale,
        actions: actions::change_type(unit, &fleet.instances, &target.instance_type, true),
    }
}
