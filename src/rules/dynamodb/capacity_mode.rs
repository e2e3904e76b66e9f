//! `dynamodb.capacity-mode`: on-demand, provisioned as configured, or provisioned with
//! simulated auto-scaling — whichever is cheapest, when it saves more than
//! `mode_change_min_saving_pct` of the current throughput cost.

use crate::money::usd;
use crate::report::{Category, Evidence, MigrationEffort, Stat};
use crate::rules::draft::Draft;
use crate::rules::{Param, Rule, RuleContext, RuleError, RuleOutput};
use crate::snapshot::FrameName;

use super::analysis::{Decision, DynamoAnalysis, ModeChange, Owner, PayAs, TableAnalysis};
use super::drafting::{money, unit_draft};
use super::evidence::{confidence, cost_chart, cost_stats, dim_chart, dim_stats, dollars, resource, thresholds};
use super::model::Dim;
use super::prices::{Basis, Prices};
use super::settings::Settings;
use super::{actions, warning_log};

pub struct CapacityMode;

/// Charts of at most this many units per finding (the rest are in the statistics).
const CHARTED_UNITS: usize = 3;

impl Rule for CapacityMode {
    fn id(&self) -> &'static str {
        "dynamodb.capacity-mode"
    }
    fn title(&self) -> &'static str {
        "Pay for DynamoDB throughput the cheapest way (on-demand or auto-scaled provisioned)"
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
        "Three monthly throughput figures per table (its GSIs included), on the price book's prices for the table's \
         region and class (on-demand after the November 2024 price cut): on-demand (consumed request units × the \
         per-million price), provisioned as configured (the hourly ProvisionedCapacityUnits average × the \
         unit-hour price) and provisioned with simulated auto-scaling. The simulation runs minute by minute on the \
         per-minute ConsumedCapacityUnits (Sum ÷ 60; hourly averages when per-minute data is absent, with lower \
         confidence): target utilisation as configured on the table or GSI (a TargetValue of 70 means 70 %), else \
         `default_target_pct`; scale out after `scale_out_minutes` above target, scale in after `scale_in_minutes` \
         below target × (1 − `scale_in_below_pct`); at most `anytime_scale_ins_per_day` scale-ins a UTC day at \
         any time, then one an hour; never below min or above max; each hour billed at its highest capacity. \
         CloudWatch's Consumed*CapacityUnits counts the same units on-demand bills (a 4 KB strongly consistent \
         read is 1, eventually consistent ½, transactional 2; a 1 KB write 1, transactional 2), so on-demand and \
         provisioned are compared like with like. The cheapest is recommended only when it saves more than \
         `mode_change_min_saving_pct` of the current cost: an on-demand table moves to provisioned with \
         auto-scaling; a provisioned table moves to on-demand only when on-demand also beats the best provisioned \
         configuration (a lower fixed provision or auto-scaling, per dimension). A provisioned table or GSI \
         without auto-scaling whose provision is not over-provisioned but would be cheaper auto-scaled gets this \
         rule's finding for that unit; over-provisioned ones belong to dynamodb.overprovisioned, so the two never \
         claim the same dollars. Not judged: tables with a throttled table or GSI (`throttle_events_max`), with \
         less than `min_days` of data, or without prices (a global table's writes are replicated writes, absent \
         from the catalog) — each named in a warning. Tables in regions without prices are ranked on us-east-1 \
         prices and reported unpriced. Spiky consumption (peak ≥ `spiky_peak_ratio` × p99) lowers confidence. \
         Reserved capacity is out of scope. The 25 RCU / 25 WCU provisioned free tier is not deducted (it is worth \
         at most $14.24 a month per account and region at us-east-1 prices)."
    }

    fn evaluate(&self, ctx: &RuleContext) -> Result<RuleOutput, RuleError> {
        let analysis = DynamoAnalysis::of(ctx)?;
        let s = &analysis.settings;
        let mut findings = Vec::new();
        for a in &analysis.tables {
            match &a.decision {
                Decision::Mode(change) => {
                    if let Some(d) = mode_draft(ctx, a, *change, s) {
                        findings.push(d.finish(self));
                    }
                }
                Decision::Units(_) => {
                    for (u, dims) in a.owned(Owner::CapacityMode) {
                        if let Some(d) = unit_draft(ctx, a, u, &dims, Owner::CapacityMode, s) {
                            findings.push(d.finish(self));
                        }
                    }
                }
                Decision::Keep => {}
            }
        }
        let mut log = warning_log();
        for (kind, message) in &analysis.warnings {
            log.push(kind, message.clone());
        }
        Ok(RuleOutput { findings, warnings: log.into_vec() })
    }
}

/// The three figures of a whole table.
fn figures(a: &TableAnalysis, p: &Prices, s: &Settings) -> Vec<(String, f64)> {
    let od = a.total(p, |_, _| PayAs::OnDemand);
    let auto = a.total(p, |_, _| PayAs::AutoScaling);
    let target = a.usage[0].as_ref().map(|x| x.dim(Dim::Read).policy.target_pct).unwrap_or(s.default_target_pct);
    let auto_label = format!("provisioned + simulated auto-scaling (target {target} %)");
    if a.table.on_demand {
        let fixed =
            a.total(p, |u, d| PayAs::Fixed(a.usage[u].as_ref().map(|x| x.dim(d).fixed_capacity).unwrap_or(1.0)));
        vec![
            ("on-demand (now)".into(), od),
            (format!("provisioned fixed at peak + {:.0} % (reference, not recommended)", s.headroom_pct), fixed),
            (auto_label, auto),
        ]
    } else {
        let current = a.total(p, |_, _| PayAs::Current);
        vec![("on-demand".into(), od), ("provisioned as configured (now)".into(), current), (auto_label, auto)]
    }
}

fn mode_draft(ctx: &RuleContext, a: &TableAnalysis, change: ModeChange, s: &Settings) -> Option<Draft> {
    let p = *a.basis.prices()?;
    let t = &a.table;
    let figures = figures(a, &p, s);
    let current = a.total(&p, |_, _| a.current_option());
    let recommended = match change {
        ModeChange::ToOnDemand => a.total(&p, |_, _| PayAs::OnDemand),
        ModeChange::ToProvisioned => a.total(&p, |_, _| PayAs::AutoScaling),
    };
    let units: Vec<usize> = (0..t.units.len()).collect();
    let usage0 = a.usage[0].as_ref()?;
    let gsis = t.units.len() - 1;
    let scope =
        if gsis == 0 { String::new() } else { format!(" and its {gsis} GSI{}", if gsis == 1 { "" } else { "s" }) };
    let sum = |d: Dim, f: &dyn Fn(&super::usage::DimUsage) -> f64| -> f64 {
        a.usage.iter().flatten().map(|x| f(x.dim(d))).sum()
    };
    let od_words = format!(
        "on-demand {}/month ({:.1} M read units × {} + {:.1} M write units × {} per million)",
        usd(figures[0].1),
        sum(Dim::Read, &|x| x.od_units_month) / 1e6,
        dollars(p.request_million[0]),
        sum(Dim::Write, &|x| x.od_units_month) / 1e6,
        dollars(p.request_million[1]),
    );
    let auto_words = format!(
        "provisioned with auto-scaling {}/month (simulated mean {:.0} RCU and {:.0} WCU, {:.0} RCU-hours and {:.0} \
         WCU-hours a month × {} and {})",
        usd(figures[2].1),
        sum(Dim::Read, &|x| x.sim.mean_capacity),
        sum(Dim::Write, &|x| x.sim.mean_capacity),
        sum(Dim::Read, &|x| x.sim_unit_hours_month),
        sum(Dim::Write, &|x| x.sim_unit_hours_month),
        dollars(p.capacity_hour[0]),
        dollars(p.capacity_hour[1]),
    );
    let (now_words, to_words, recommended_words) = match change {
        ModeChange::ToProvisioned => (
            "on-demand".to_string(),
            "provisioned with auto-scaling".to_string(),
            format!(
                "provisioned with auto-scaling (target {} %) on the table{scope}",
                usage0.dim(Dim::Read).policy.target_pct
            ),
        ),
        ModeChange::ToOnDemand => {
            ("provisioned".to_string(), "on-demand".to_string(), format!("on-demand for the table{scope}"))
        }
    };
    let saving = current - recommended;
    let priced = matches!(a.basis, Basis::Region(_));
    let money_words = if priced {
        format!(
            "Moving to {to_words} saves {}/month, {:.0} % of the current {}/month (threshold {:.0} %).",
            usd(saving),
            100.0 * saving / current.max(1e-9),
            usd(current),
            s.mode_min_saving_pct
        )
    } else {
        "No dollar figure is claimed (see the unpriced reason); the options were ranked on us-east-1 list prices."
            .into()
    };
    let rationale = format!(
        "{} ({now_words}, {}{scope}): over {:.1} days of {} data it consumed a mean of {:.1} RCU/s and {:.1} WCU/s \
         (the table's own peaks {:.1} and {:.1}). A month costs {od_words}; provisioned as configured {}; {auto_words}. {money_words} \
         Reserved capacity is not considered.",
        t.name,
        t.class.label(),
        usage0.days(),
        usage0.resolution.label(),
        sum(Dim::Read, &|x| x.mean),
        sum(Dim::Write, &|x| x.mean),
        usage0.dim(Dim::Read).peak,
        usage0.dim(Dim::Write).peak,
        if t.on_demand { "does not apply (on-demand now)".to_string() } else { format!("{}/month", usd(figures[1].1)) },
    );
    let autoscaling = change == ModeChange::ToProvisioned;
    let (c, reasons) = confidence(a, &units, s, ctx.window_days(), autoscaling);
    let spiky = reasons.iter().any(|r| r.starts_with("spiky"));
    let mut statistics = cost_stats(&figures, !priced);
    statistics.push(Stat::new("units judged (table + GSIs)", t.units.len() as f64, "units"));
    for &u in &units {
        statistics.extend(Dim::BOTH.iter().flat_map(|&d| dim_stats(a, u, d)));
    }
    let mut charts: Vec<_> =
        units.iter().take(CHARTED_UNITS).flat_map(|&u| Dim::BOTH.map(|d| dim_chart(a, u, d, None))).flatten().collect();
    charts.push(cost_chart(format!("Monthly throughput of {}{scope}", t.name), &figures));
    let (cur, rec) = money(a, current, recommended);
    let current_desc = if t.on_demand {
        format!("on-demand, {}", t.class.label())
    } else {
        format!("provisioned {}, {}", super::drafting::capacity_pair(a, 0), t.class.label())
    };
    Some(Draft {
        resource: resource(t, 0),
        current: (current_desc + &scope, cur),
        recommended: (recommended_words, rec),
        savings_range: None,
        one_time_cost_usd: 0.0,
        unpriced_reason: a.basis.unpriced_reason(),
        confidence: c,
        confidence_reasons: reasons,
        performance_risk: match (change, spiky) {
            (ModeChange::ToOnDemand, _) => 0,
            (ModeChange::ToProvisioned, false) => 2,
            (ModeChange::ToProvisioned, true) => 3,
        },
        migration_effort: MigrationEffort::Low,
        evidence: Evidence {
            window_days: ctx.window_days(),
            datapoints: a.usage.iter().flatten().map(|x| x.datapoints).sum(),
            statistics,
            thresholds: thresholds(s, usage0.dim(Dim::Read).policy.target_pct),
            charts,
        },
        rationale,
        actions: match change {
            ModeChange::ToOnDemand => actions::to_on_demand(a),
            ModeChange::ToProvisioned => actions::to_provisioned(a),
        },
    })
}
