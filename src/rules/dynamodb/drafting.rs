//! The finding for one capacity unit whose fixed provision changes — a lower fixed
//! provision and/or auto-scaling per dimension — written the same way whether
//! `dynamodb.overprovisioned` or `dynamodb.capacity-mode` owns it.

use crate::money::usd;
use crate::report::{Evidence, MigrationEffort};
use crate::rules::RuleContext;
use crate::rules::draft::Draft;

use super::actions;
use super::analysis::{Owner, PayAs, TableAnalysis, overprovisioned};
use super::evidence::{
    capacity_words, confidence, cost_chart, cost_stats, dim_chart, dim_stats, resource, thresholds, unit_label,
};
use super::model::Dim;
use super::prices::Basis;
use super::settings::Settings;

/// Money of a finding: (current, recommended), None when unpriced.
pub fn money(a: &TableAnalysis, current: f64, recommended: f64) -> (Option<f64>, Option<f64>) {
    match a.basis {
        Basis::Region(_) => (Some(current), Some(recommended)),
        _ => (None, None),
    }
}

fn change_words(a: &TableAnalysis, u: usize, d: Dim, option: PayAs, s: &Settings) -> String {
    let x = a.usage[u].as_ref().map(|x| x.dim(d));
    match (option, x) {
        (PayAs::Fixed(c), Some(x)) => {
            format!("{} {c:.0} {} fixed (peak {:.1} + {:.0} %)", d.noun(), d.unit(), x.peak, s.headroom_pct)
        }
        (PayAs::AutoScaling, Some(x)) => format!(
            "{} auto-scaled (target {} %, min {:.0}, max {:.0})",
            d.noun(),
            x.policy.target_pct,
            x.policy.min,
            x.policy.max
        ),
        _ => format!("{} unchanged ({})", d.noun(), capacity_words(a, u, d)),
    }
}

/// The draft for unit `u` of `a` with new options `dims`.
pub fn unit_draft(
    ctx: &RuleContext,
    a: &TableAnalysis,
    u: usize,
    dims: &[Option<PayAs>; 2],
    owner: Owner,
    s: &Settings,
) -> Option<Draft> {
    let p = *a.basis.prices()?;
    let usage = a.usage.get(u)?.as_ref()?;
    let after = |d: Dim| dims[d.idx()].unwrap_or(PayAs::Current);
    let current: f64 = Dim::BOTH.iter().map(|&d| a.cost(&p, u, d, PayAs::Current)).sum();
    let recommended: f64 = Dim::BOTH.iter().map(|&d| a.cost(&p, u, d, after(d))).sum();
    let both = |o: &dyn Fn(Dim) -> PayAs| -> f64 { Dim::BOTH.iter().map(|&d| a.cost(&p, u, d, o(d))).sum() };
    let figures = vec![
        ("provisioned as configured (now)".to_string(), current),
        (format!("fixed at peak + {:.0} %", s.headroom_pct), both(&|d| PayAs::Fixed(usage.dim(d).fixed_capacity))),
        (
            format!("simulated auto-scaling (target {} %)", usage.dim(Dim::Read).policy.target_pct),
            both(&|_| PayAs::AutoScaling),
        ),
        ("on-demand (the whole table would switch)".to_string(), both(&|_| PayAs::OnDemand)),
    ];
    let name = unit_label(&a.table, u);
    let what = if a.table.units[u].is_gsi() { "GSI" } else { "table" };
    let changes: Vec<String> = Dim::BOTH.iter().map(|&d| change_words(a, u, d, after(d), s)).collect();
    let over: Vec<String> = Dim::BOTH
        .iter()
        .filter(|&&d| overprovisioned(usage.dim(d), s) && dims[d.idx()].is_some())
        .map(|&d| {
            let x = usage.dim(d);
            format!(
                "its {} peaked at {:.1} {}/s, {:.0} % of the {:.0} provisioned (below {:.0} %)",
                d.noun(),
                x.peak,
                d.unit(),
                100.0 * x.peak / x.current_capacity.unwrap_or(1.0).max(1e-9),
                x.current_capacity.unwrap_or(0.0),
                s.overprovisioned_peak_pct
            )
        })
        .collect();
    let cost_words = match a.basis {
        Basis::Region(_) => format!(
            "Throughput costs {}/month now and {}/month after ({} less, {:.0} %).",
            usd(current),
            usd(recommended),
            usd(current - recommended),
            100.0 * (current - recommended) / current.max(1e-9)
        ),
        _ => "No dollar figure: see the unpriced reason; the options were ranked on us-east-1 prices.".into(),
    };
    let why = match owner {
        Owner::Overprovisioned => {
            format!("{} over {:.1} days ({} data)", over.join("; "), usage.days(), usage.resolution.label())
        }
        Owner::CapacityMode => format!(
            "its fixed provision follows no daily pattern: auto-scaling at the target, simulated minute by minute \
             over {:.1} days ({} data), saves more than {:.0} % on the dimensions changed",
            usage.days(),
            usage.resolution.label(),
            s.mode_min_saving_pct
        ),
    };
    let rationale = format!(
        "{what} {name} ({}, no auto-scaling on the dimensions changed): {why}. Recommended: {}. {cost_words} Each \
         hour of the simulated auto-scaling is billed at its highest capacity; a GSI is judged on its own, whatever \
         its table does. Reserved capacity is not considered.",
        capacity_pair(a, u),
        changes.join("; "),
    );
    let autoscaling = dims.contains(&Some(PayAs::AutoScaling));
    let (c, reasons) = confidence(a, &[u], s, ctx.window_days(), autoscaling);
    let spiky = reasons.iter().any(|r| r.starts_with("spiky"));
    let mut statistics = cost_stats(&figures, !matches!(a.basis, Basis::Region(_)));
    statistics.extend(Dim::BOTH.iter().flat_map(|&d| dim_stats(a, u, d)));
    let mut charts: Vec<_> = Dim::BOTH
        .iter()
        .filter(|&&d| dims[d.idx()].is_some())
        .filter_map(|&d| {
            let line = match dims[d.idx()] {
                Some(PayAs::Fixed(c)) => Some((format!("recommended fixed {c:.0} {}", d.unit()), c)),
                _ => None,
            };
            dim_chart(a, u, d, line)
        })
        .collect();
    charts.push(cost_chart(format!("Monthly throughput of {name}"), &figures));
    let (cur, rec) = money(a, current, recommended);
    Some(Draft {
        resource: resource(&a.table, u),
        current: (format!("provisioned {}, no auto-scaling", capacity_pair(a, u)), cur),
        recommended: (changes.join("; "), rec),
        savings_range: None,
        one_time_cost_usd: 0.0,
        unpriced_reason: a.basis.unpriced_reason(),
        confidence: c,
        confidence_reasons: reasons,
        performance_risk: if spiky { 3 } else { 2 },
        migration_effort: MigrationEffort::VeryLow,
        evidence: Evidence {
            window_days: ctx.window_days(),
            datapoints: usage.datapoints,
            statistics,
            thresholds: {
                let mut t = thresholds(s, usage.dim(Dim::Read).policy.target_pct);
                t.push(crate::report::Stat::new("overprovisioned_peak_pct", s.overprovisioned_peak_pct, "%"));
                t.push(crate::report::Stat::new("headroom_pct", s.headroom_pct, "%"));
                t
            },
            charts,
        },
        rationale,
        actions: actions::unit_changes(a, u, dims),
    })
}

/// `1,000 RCU / 400 WCU` (or the auto-scaled means).
pub fn capacity_pair(a: &TableAnalysis, u: usize) -> String {
    format!("{} / {}", capacity_words(a, u, Dim::Read), capacity_words(a, u, Dim::Write))
}
