//! `ec2.previous-generation`: previous-generation families → a like-for-like current
//! generation type at equal or lower cost.

use crate::report::Category;

use super::analysis::MoveKind;
use super::drafting::{arm64_sentence, cost_sentence, describe};
use super::type_change::{Effort, MoveContext, TypeChange};

pub static PREVIOUS_GENERATION: TypeChange = TypeChange {
    id: "ec2.previous-generation",
    title: "Move previous-generation EC2 instances to the current generation at equal or lower cost",
    category: Category::Rightsizing,
    method: "Families flagged previous generation in data/ec2_families.csv (m1–m4, c1–c4, r3/r4, t1/t2, i2, d2, g2/g3, \
         …) move to their listed successors (m4 → m6i or m5, c4 → c6i or c5, r4 → r6i or r5, t2 → t3, …): the \
         cheapest successor type with at least the current vCPUs and memory (3 % tolerance) and enough network for \
         the busiest hour, reported only when it costs the same or less. A previous-generation instance that can \
         also be downsized gets one ec2.rightsize finding instead, whose target is already of the current \
         generation. The Graviton equivalent is shown in the evidence and rationale instead of a separate \
         ec2.graviton finding. Windows and other platforms the catalog does not price are reported unpriced, \
         ranked by us-east-1 Linux list prices.",
    params: &[],
    kind: MoveKind::PreviousGeneration,
    reports_unsized: false,
    rationale,
    effort: |_| Effort {
        reason: Some("like-for-like move: at least the same vCPUs and memory on a newer platform".into()),
        ..Effort::low()
    },
};

fn rationale(mc: &MoveContext) -> String {
    let (unit, a, mv) = (mc.unit, mc.a, mc.mv);
    let first = unit.first(&mc.fleet.instances);
    let target = &mv.target.spec;
    let mut rationale = format!(
        "{name} runs {current}, a previous-generation family. {target_type} ({vcpu} vCPU, {mem:.0} GiB) is its \
         current-generation equivalent: at least as large, newer processors, and {cheaper}. Its usage ({cpu:.1} % \
         CPU at {stat} of hourly maxima) does not allow a smaller type, so this is a like-for-like move. \
         {cost}",
        name = unit.name(&mc.fleet.instances),
        current = describe(&a.spec, unit.size(), &first.platform),
        target_type = target.instance_type,
        vcpu = target.vcpus,
        mem = target.memory_gib(),
        cheaper = if mv.target.usd_hour < a.current_usd_hour { "cheaper" } else { "no dearer" },
        cpu = a.demand.cpu_pct,
        stat = mc.sizing.cpu_statistic.label(),
        cost = cost_sentence(mc.money),
    );
    if let Some(arm) = arm64_sentence(unit, a, mv) {
        rationale.push(' ');
        rationale.push_str(&arm);
    }
    rationale
}
