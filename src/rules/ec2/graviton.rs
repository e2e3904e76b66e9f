//! `ec2.graviton`: the arm64 (Graviton) equivalent of an x86 Linux instance.

use crate::report::{Category, MigrationEffort};
use crate::rules::{Param, ParamValue};

use super::analysis::MoveKind;
use super::drafting::{cost_sentence, describe};
use super::type_change::{Effort, MoveContext, TypeChange};

const ARM64_READY_TAG: Param = Param::new(
    "arm64_ready_tag",
    ParamValue::Text("arm64-ready"),
    "",
    "tag key marking workloads already built for arm64 (any value but \"false\", \"no\" or \"0\"): migration effort \
     very-low instead of medium",
);

pub static GRAVITON: TypeChange = TypeChange {
    id: "ec2.graviton",
    title: "Move x86 Linux instances to their Graviton (arm64) equivalent",
    category: Category::Graviton,
    method: "For running x86 Linux instances whose family has a Graviton counterpart in data/ec2_families.csv (m5/m6i/\
         m7i/… → m7g, c5/c6i/c7i/… → c7g, r5/r6i/r7i/… → r7g, t3/t2 → t4g, …): the cheapest type of that family \
         that either carries the measured demand with headroom (the ec2.rightsize test) or is at least as large as \
         the current type, reported when it costs less. Never for Windows or other non-Linux platforms, for \
         families without a counterpart, or for instances already on arm64. Migration effort is very-low when the \
         instance carries the `arm64_ready_tag` tag, medium otherwise (arm64 images and builds are needed). \
         Instances that can be downsized or are of a previous generation get that finding instead, which shows \
         this arm64 option too.",
    params: &[ARM64_READY_TAG],
    kind: MoveKind::Graviton,
    reports_unsized: false,
    rationale,
    effort,
};

fn arm64_ready(mc: &MoveContext) -> bool {
    let tag = mc.ctx.params.text(ARM64_READY_TAG.name);
    mc.unit.members.iter().all(|&m| {
        mc.fleet.instances[m]
            .tags
            .get(tag)
            .is_some_and(|v| !matches!(v.to_ascii_lowercase().as_str(), "false" | "no" | "0"))
    })
}

fn effort(mc: &MoveContext) -> Effort {
    let tag = mc.ctx.params.text(ARM64_READY_TAG.name);
    if arm64_ready(mc) {
        Effort {
            effort: MigrationEffort::VeryLow,
            confidence_factor: 1.0,
            reason: Some(format!("tagged `{tag}`: the workload already runs on arm64")),
        }
    } else {
        Effort {
            effort: MigrationEffort::Medium,
            confidence_factor: 0.9,
            reason: Some(format!("not tagged `{tag}`: arm64 builds of the software must be verified")),
        }
    }
}

fn rationale(mc: &MoveContext) -> String {
    let (unit, a, mv) = (mc.unit, mc.a, mc.mv);
    let first = unit.first(&mc.fleet.instances);
    let target = &mv.target.spec;
    let (cpu, _, _) = a.demand.projected(target);
    let size_text = if target.vcpus as f64 >= a.demand.vcpus {
        "the same size on Graviton"
    } else {
        "a smaller Graviton type that still carries the demand"
    };
    format!(
        "{name} runs {current}, an x86 type with a Graviton counterpart. {target_type} ({vcpu} vCPU, {mem:.0} GiB) \
         is {size_text}: at {cpu_now:.1} % CPU ({stat} of hourly maxima) the load projects to {cpu:.1} % of its \
         vCPUs (Graviton cores are physical cores; x86 vCPUs are hyperthreads, so this is conservative). No smaller \
         x86 type fits, so ec2.rightsize has no finding here. {cost}{eks}",
        name = unit.name(&mc.fleet.instances),
        current = describe(&a.spec, unit.size(), &first.platform),
        target_type = target.instance_type,
        vcpu = target.vcpus,
        mem = target.memory_gib(),
        cpu_now = a.demand.cpu_pct,
        stat = mc.sizing.cpu_statistic.label(),
        cost = cost_sentence(mc.money),
        eks = if unit.eks_cluster.is_some() {
            " Every container image scheduled on these nodes needs an arm64 (multi-arch) build."
        } else {
            ""
        },
    )
}
