//! Pieces every EC2 type-change finding shares: money from the price book (or the
//! unpriced reason), confidence with its reasons, descriptions and the evidence.

use crate::money::usd;
use crate::pricing::{HOURS_PER_MONTH, InstanceSpec};
use crate::report::{Evidence, Stat};
use crate::rules::RuleContext;

use super::analysis::{Assessment, Move};
use super::evidence::{candidates, resize_charts, round2, usage_stats};
use super::fleet::Unit;
use super::hourly::Hourly;
use super::settings::Sizing;

/// Monthly cost of the unit now and after the move; `None` with the reason when unpriced.
pub struct Money {
    pub current: Option<f64>,
    pub recommended: Option<f64>,
    pub unpriced: Option<String>,
}

pub fn money(unit: &Unit, a: &Assessment, target_usd_hour: f64) -> Money {
    let n = unit.size() as f64;
    match &a.basis.unpriced {
        None => Money {
            current: Some(n * a.current_usd_hour * HOURS_PER_MONTH),
            recommended: Some(n * target_usd_hour * HOURS_PER_MONTH),
            unpriced: None,
        },
        Some(reason) => Money { current: None, recommended: None, unpriced: Some(reason.clone()) },
    }
}

/// `$33.87/month`, or `unpriced` when there is no price.
pub fn per_month(v: Option<f64>) -> String {
    v.map(|v| format!("{}/month", usd(v))).unwrap_or_else(|| "unpriced".into())
}

/// "Cost $X/month now, $Y/month after." — or why there is no dollar figure.
pub fn cost_sentence(m: &Money) -> String {
    match (m.current, m.recommended) {
        (Some(c), Some(r)) => format!("Cost {}/month now, {}/month after.", usd(c), usd(r)),
        _ => "Not priced: the catalog has no price for this instance (see the unpriced reason); candidates were \
              ranked by us-east-1 Linux list prices."
            .into(),
    }
}

/// `m5.2xlarge (8 vCPU, 32 GiB)`, prefixed `6 × ` for groups.
pub fn describe(spec: &InstanceSpec, n: usize, platform: &str) -> String {
    let count = if n > 1 { format!("{n} × ") } else { String::new() };
    format!("{count}{} ({} vCPU, {} GiB), {platform}", spec.instance_type, spec.vcpus, round2(spec.memory_gib()))
}

/// Confidence in a sizing finding, and why.
pub fn confidence(ctx: &RuleContext, unit: &Unit, a: &Assessment) -> (f64, Vec<String>) {
    let mut reasons = Vec::new();
    let mut c = if a.usage.combined.mem_p995.is_some() {
        reasons.push("CPU, memory and network all measured".to_string());
        0.9
    } else {
        reasons.push(
            "memory was not measured, so the target keeps at least the current memory: install the CloudWatch agent \
             (metric mem_used_percent, namespace CWAgent) to size memory too"
                .to_string(),
        );
        0.75
    };
    let window_hours = (ctx.window_days() * 24.0).max(1.0);
    let coverage = (a.usage.combined.hours as f64 / window_hours).min(1.0);
    if coverage < 0.9 {
        c *= 0.6 + 0.4 * coverage;
        reasons.push(format!("metrics cover {:.0} % of the window", coverage * 100.0));
    } else {
        reasons.push(format!("{} hourly datapoints ({:.0} % of the window)", a.usage.datapoints, coverage * 100.0));
    }
    if unit.size() > 1 {
        reasons.push(format!(
            "sized for the busiest of {} members with enough data (of {})",
            a.usage.members_used,
            unit.size()
        ));
        if a.usage.members_used < unit.size() {
            c *= 0.9;
        }
    }
    (c, reasons)
}

/// Evidence of a type change: usage, projection on the target, thresholds, charts and candidates.
pub fn move_evidence(
    ctx: &RuleContext,
    a: &Assessment,
    mv: &Move,
    sizing: &Sizing,
    series: Option<&Hourly>,
    instances: usize,
) -> Evidence {
    let target = &mv.target.spec;
    let (cpu, mem, net) = a.demand.projected(target);
    // The dollars' inputs, so anyone can recompute the finding from the price book.
    let mut statistics = vec![Stat::new("instances", instances as f64, "instances")];
    if a.basis.unpriced.is_none() {
        statistics.push(Stat::new(format!("price of {}", a.spec.instance_type), a.current_usd_hour, "USD/hour"));
        statistics.push(Stat::new(format!("price of {}", target.instance_type), mv.target.usd_hour, "USD/hour"));
    }
    statistics.extend(usage_stats(&a.usage.combined));
    statistics.push(Stat::new(format!("projected CPU on {}", target.instance_type), round2(cpu), "%"));
    if let Some(m) = mem {
        statistics.push(Stat::new(format!("projected memory on {}", target.instance_type), round2(m), "%"));
    }
    statistics.push(Stat::new(format!("projected network on {}", target.instance_type), round2(net), "% of listed"));
    let unpriced = a.basis.unpriced.is_some();
    let mut considered = mv.search.considered.clone();
    if let Some(arm) = &mv.arm64 {
        considered.extend(
            arm.considered.iter().map(|c| super::sizing::Considered {
                verdict: format!("arm64 alternative: {}", c.verdict),
                ..c.clone()
            }),
        );
    }
    let (cand_stats, cand_chart) = candidates("Candidate types considered, monthly list price", &considered, unpriced);
    statistics.extend(cand_stats);
    let mut thresholds = vec![
        Stat::new(
            format!("CPU statistic ({} of hourly maxima)", sizing.cpu_statistic.label()),
            sizing.cpu_statistic.percentile(),
            "percentile",
        ),
        Stat::new("CPU headroom: target runs at most", sizing.cpu_ceiling_pct(), "%"),
        Stat::new("vCPUs needed", round2(a.demand.vcpus_needed), "vCPU"),
    ];
    if let Some(needed) = a.demand.memory_needed_gib {
        thresholds.push(Stat::new("memory headroom: target runs at most", sizing.memory_ceiling_pct(), "%"));
        thresholds.push(Stat::new("memory needed", round2(needed), "GiB"));
    }
    thresholds.push(Stat::new(
        "network headroom: busiest hour at most",
        sizing.network_ceiling_pct(),
        "% of listed bandwidth",
    ));
    thresholds.push(Stat::new("min_hours", sizing.min_hours, "hours"));
    let mut charts = series.map(|h| resize_charts(h, &a.spec, target, &a.demand, sizing)).unwrap_or_default();
    charts.push(cand_chart);
    Evidence { window_days: ctx.window_days(), datapoints: a.usage.datapoints, statistics, thresholds, charts }
}

/// One sentence about the arm64 option of a move, when there is one.
pub fn arm64_sentence(unit: &Unit, a: &Assessment, mv: &Move) -> Option<String> {
    let arm = mv.arm64.as_ref()?.chosen.as_ref()?;
    let n = unit.size() as f64;
    let month = |h: f64| n * h * HOURS_PER_MONTH;
    let money = match a.basis.unpriced {
        None if arm.usd_hour < mv.target.usd_hour => format!(
            "{}/month, {} less than {}",
            usd(month(arm.usd_hour)),
            usd(month(mv.target.usd_hour - arm.usd_hour)),
            mv.target.spec.instance_type
        ),
        None => format!("{}/month, no cheaper than {}", usd(month(arm.usd_hour)), mv.target.spec.instance_type),
        Some(_) => "unpriced here".to_string(),
    };
    Some(format!(
        "The Graviton alternative is {} ({} vCPU, {} GiB; {money}); it needs arm64 builds of the software \
         (migration effort medium), so it is shown here rather than reported separately by ec2.graviton.",
        arm.spec.instance_type,
        arm.spec.vcpus,
        round2(arm.spec.memory_gib())
    ))
}
