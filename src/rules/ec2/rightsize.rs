//! `ec2.rightsize`: a smaller type that still carries the measured demand with headroom.

use crate::report::Category;

use super::analysis::MoveKind;
use super::drafting::{arm64_sentence, cost_sentence, describe};
use super::type_change::{Effort, MoveContext, TypeChange};

pub static RIGHTSIZE: TypeChange = TypeChange {
    id: "ec2.rightsize",
    title: "Downsize EC2 instances to the cheapest type that carries their measured demand",
    category: Category::Rightsizing,
    method: "Compute Optimizer semantics on hourly CloudWatch data. Demand: CPU at `cpu_statistic` (p99.5 by default) \
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
         a warning (this rule names them for the family). Its finding shows the Graviton alternative, which \
         ec2.graviton then does not report.",
    params: &[],
    kind: MoveKind::Rightsize,
    reports_unsized: true,
    rationale,
    effort: |_| Effort::low(),
};

fn rationale(mc: &MoveContext) -> String {
    let (unit, a, mv) = (mc.unit, mc.a, mc.mv);
    let first = unit.first(&mc.fleet.instances);
    let target = &mv.target.spec;
    let (cpu, mem, _) = a.demand.projected(target);
    let memory_text = match (a.demand.memory_pct, mem) {
        (Some(now), Some(then)) => format!("memory p99.5 {now:.1} % → {then:.1} % of {:.0} GiB", target.memory_gib()),
        _ => "memory not measured".into(),
    };
    let family_text = if mv.search.cross_family {
        "the cheapest fitting type of another family (no smaller type of its own family fits)"
    } else {
        "the cheapest fitting type of its family"
    };
    let mut rationale = format!(
        "{name} runs {current} at {cpu_now:.1} % CPU ({stat} of hourly maxima over {hours} hours; mean {mean:.1} %). \
         {target_type} is {family_text}: the same load would run it at {cpu:.1} % CPU (limit {ceiling:.0} %), \
         {memory_text}, network busiest hour {net:.1} Mbit/s of its {listed} Gbit/s baseline. {cost}",
        name = unit.name(&mc.fleet.instances),
        current = describe(&a.spec, unit.size(), &first.platform),
        cpu_now = a.demand.cpu_pct,
        stat = mc.sizing.cpu_statistic.label(),
        hours = a.usage.combined.hours,
        mean = a.usage.combined.cpu_mean,
        target_type = target.instance_type,
        ceiling = mc.sizing.cpu_ceiling_pct(),
        net = a.demand.network_gbps * 1000.0,
        listed = super::catalog::network_gbps(target),
        cost = cost_sentence(mc.money),
    );
    if let Some(arm) = arm64_sentence(unit, a, mv) {
        rationale.push(' ');
        rationale.push_str(&arm);
    }
    rationale
}
