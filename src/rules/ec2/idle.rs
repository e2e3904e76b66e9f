//! `ec2.idle`: running instances nobody uses (Trusted Advisor or Cost Explorer definition).

use crate::pricing::HOURS_PER_MONTH;
use crate::report::{Category, Evidence, MigrationEffort, Stat};
use crate::rules::draft::Draft;
use crate::rules::{Param, ParamValue, Rule, RuleContext, RuleError, RuleOutput};
use crate::snapshot::FrameName;

use super::analysis::{Decision, Ec2Analysis, Fleet, IdleMatch};
use super::catalog::Catalog;
use super::drafting::per_month;
use super::evidence::{idle_charts, round2, usage_stats};
use super::fleet::Unit;
use super::settings::{
    CE_MAX_CPU_PCT, IDLE_LOOKBACK_DAYS, MIN_HOURS_PER_DAY, MIN_IDLE_DAYS_OBSERVED, TA_DAILY_CPU_PCT,
    TA_DAILY_NETWORK_BYTES,
};
use super::stats::Usage;
use super::{actions, warning_log};

const ACTION: Param = Param::new(
    "action",
    ParamValue::Text("stop"),
    "",
    "what to recommend for an idle standalone instance: \"stop\" (EBS volumes stay, and keep costing), \"terminate\", \
     or \"snapshot-and-terminate\" (an AMI with snapshots of its volumes first); the saving is the instance's \
     full on-demand cost either way",
);

pub struct Idle;

impl Rule for Idle {
    fn id(&self) -> &'static str {
        "ec2.idle"
    }
    fn title(&self) -> &'static str {
        "Stop or terminate idle EC2 instances"
    }
    fn category(&self) -> Category {
        Category::Rightsizing
    }
    fn needs(&self) -> &'static [FrameName] {
        &[FrameName::Ec2Instances, FrameName::Ec2MetricsHourly]
    }
    fn params(&self) -> &'static [Param] {
        const P: &[Param] = &[ACTION];
        P
    }
    fn method(&self) -> &'static str {
        "Both AWS definitions are applied, on most of the window, and the finding says which matched. Trusted \
         Advisor (\"Low Utilization Amazon EC2 Instances\"): daily average CPU ≤ 10 % and daily network in+out ≤ 5 MB. \
         Cost Explorer: maximum CPU ≤ 1 % over the last 14 days, with that low network. Trusted Advisor flags 4 low \
         days of 14; tierwise needs `idle_low_days_pct` (90 %) of the observed days low, because 4 of 14 is a \
         weekday server's weekends — such a server gets an ec2.schedule finding (stop it outside its hours) or a \
         rightsizing one, never \"stop it\". A day counts only with at least 12 hourly datapoints, and either \
         definition needs 4 such days, so a newly launched instance is never idle. ec2.idle has precedence: an \
         idle instance gets no other EC2 finding. Only running instances. Saving: the full on-demand cost of the \
         instance (EBS volumes are left to the EBS rules). An Auto Scaling group or EKS node group is idle only \
         when every member is, and gets one finding (scale to zero) for the group."
    }

    fn validate(&self, params: &crate::rules::Params) -> Result<(), String> {
        let how = params.text(ACTION.name);
        if !matches!(how, "stop" | "terminate" | "snapshot-and-terminate") {
            return Err(format!(
                "action = \"{how}\" is not one of \"stop\", \"terminate\", \"snapshot-and-terminate\""
            ));
        }
        super::settings::Sizing::from_params(params).map(|_| ()).map_err(|e| e.to_string())
    }

    fn evaluate(&self, ctx: &RuleContext) -> Result<RuleOutput, RuleError> {
        let how = ctx.params.text(ACTION.name);
        if !matches!(how, "stop" | "terminate" | "snapshot-and-terminate") {
            return Err(RuleError::Data(format!(
                "action = \"{how}\" is not one of \"stop\", \"terminate\", \"snapshot-and-terminate\""
            )));
        }
        let analysis = Ec2Analysis::of(ctx)?;
        let fleet = &analysis.fleet;
        let catalog = Catalog::new(ctx.prices);
        let idle: Vec<(&Unit, IdleMatch)> = analysis
            .units()
            .filter_map(|(u, d)| match d.decision {
                Decision::Idle(m) => Some((u, m)),
                _ => None,
            })
            .collect();
        let mut warnings = warning_log();
        // DR hook (issue 13): idle standby capacity of a DR workload is said to be DR capacity.
        for (unit, d) in analysis.units() {
            if let Decision::DrStandby { workload, idle: true } = &d.decision {
                warnings.push(
                    "idle DR standby units",
                    format!(
                        "{} ({}): idle, but it is standby capacity of DR workload `{workload}` in its recovery region \
                         — not flagged; dr.tier prices it with the workload's strategy",
                        unit.id,
                        unit.name(&fleet.instances)
                    ),
                );
            }
        }
        let lookback_start_s = ctx.snapshot.manifest.window.end.timestamp() - IDLE_LOOKBACK_DAYS * 86_400;
        let mut findings = Vec::new();
        for (unit, m) in idle {
            let first = unit.first(&fleet.instances);
            let basis = catalog.basis(first);
            let current = match &basis.unpriced {
                None => {
                    catalog.rank_price(&basis, &first.instance_type).map(|h| h * HOURS_PER_MONTH * unit.size() as f64)
                }
                Some(reason) => {
                    warnings.push("unpriced findings", format!("{}: unpriced: {reason}", unit.id));
                    None
                }
            };
            let mut draft = draft(ctx, fleet, unit, m, how, current);
            draft.unpriced_reason = basis.unpriced.clone();
            if let Some(h) = fleet.hourly.series(&first.id)? {
                draft.evidence.charts = idle_charts(&h, lookback_start_s);
            }
            findings.push(draft.finish(self));
        }
        Ok(RuleOutput { findings, warnings: warnings.into_vec() })
    }
}

fn draft(ctx: &RuleContext, fleet: &Fleet, unit: &Unit, m: IdleMatch, how: &str, current: Option<f64>) -> Draft {
    let first = unit.first(&fleet.instances);
    let usages: Vec<&Usage> = fleet.member_usage(unit).filter_map(|(_, u)| u).collect();
    let low_share = usages.iter().map(|u| u.days_low as f64 / u.days_observed.max(1) as f64).fold(1.0_f64, f64::min);
    let (confidence, reason) = match (m.trusted_advisor, m.cost_explorer) {
        (_, true) if m.trusted_advisor => {
            (0.95, "both the Trusted Advisor and the Cost Explorer definitions match".to_string())
        }
        (_, true) => (0.9, "maximum CPU ≤ 1 % for the whole lookback (Cost Explorer)".to_string()),
        _ => (
            0.5 + 0.45 * low_share,
            format!("low CPU and network on {:.0} % of the observed days (Trusted Advisor)", low_share * 100.0),
        ),
    };
    let u = usages.first().copied().cloned().unwrap_or_default();
    let datapoints: u64 = usages.iter().map(|u| u.hours as u64).sum();
    let mut statistics = vec![
        Stat::new("days observed (≥ 12 hourly datapoints) in the last 14", u.days_observed as f64, "days"),
        Stat::new("days with CPU ≤ 10 % and network ≤ 5 MB", u.days_low as f64, "days"),
        Stat::new("days with network ≤ 5 MB", u.days_network_low as f64, "days"),
        Stat::new("maximum CPU in the last 14 days", round2(u.cpu_max_lookback), "%"),
    ];
    statistics.extend(usage_stats(&u));
    let what = match unit.kind {
        super::fleet::UnitKind::Instance => format!("{} ({})", first.id, first.instance_type),
        _ => format!("all {} members ({})", unit.size(), first.instance_type),
    };
    let rationale = format!(
        "{name}: {what} matched the {label} idle definition — {days_low} of {days} observed days with daily average \
         CPU ≤ {ta_cpu} % and network ≤ 5 MB, and a maximum CPU of {max:.2} % over the last 14 days (Cost Explorer \
         idle: ≤ {ce} %). {verb} it saves its full on-demand cost, {c}{ebs}.",
        name = unit.name(&fleet.instances),
        label = m.label(),
        days_low = u.days_low,
        days = u.days_observed,
        ta_cpu = TA_DAILY_CPU_PCT,
        max = u.cpu_max_lookback,
        ce = CE_MAX_CPU_PCT,
        verb = match (unit.kind, how) {
            (super::fleet::UnitKind::Instance, "stop") => "Stopping",
            (super::fleet::UnitKind::Instance, _) => "Terminating",
            _ => "Scaling the group to zero",
        },
        c = per_month(current),
        ebs = if how == "stop" { " (its EBS volumes stay billed until deleted)" } else { "" },
    );
    let recommended = match (unit.kind, how) {
        (super::fleet::UnitKind::Instance, "stop") => "stop the instance",
        (super::fleet::UnitKind::Instance, "terminate") => "terminate the instance",
        (super::fleet::UnitKind::Instance, _) => "snapshot (create-image), then terminate",
        _ => "scale the group to zero",
    };
    Draft {
        resource: unit.resource(&fleet.instances),
        current: (
            match unit.size() {
                1 => format!("{}, {}, running idle", first.instance_type, first.platform),
                n => format!("{n} × {}, {}, running idle", first.instance_type, first.platform),
            },
            current,
        ),
        recommended: (recommended.into(), current.map(|_| 0.0)),
        one_time_cost_usd: 0.0,
        unpriced_reason: None,
        savings_range: None,
        confidence,
        confidence_reasons: vec![reason, format!("idle by the {} definition", m.label())],
        performance_risk: 0,
        migration_effort: MigrationEffort::Low,
        evidence: Evidence {
            window_days: ctx.window_days(),
            datapoints,
            statistics,
            thresholds: vec![
                Stat::new("Trusted Advisor: daily average CPU at most", TA_DAILY_CPU_PCT, "%"),
                Stat::new("Trusted Advisor: daily network in + out at most", TA_DAILY_NETWORK_BYTES / 1e6, "MB"),
                Stat::new("low days needed (share of the observed days)", analysis_share_pct(ctx), "%"),
                Stat::new("Cost Explorer: maximum CPU at most", CE_MAX_CPU_PCT, "%"),
                Stat::new("hourly datapoints for a day to count", MIN_HOURS_PER_DAY as f64, "hours"),
                Stat::new("observed days needed", MIN_IDLE_DAYS_OBSERVED as f64, "days"),
            ],
            charts: Vec::new(),
        },
        rationale,
        actions: actions::retire(unit, &fleet.instances, how),
    }
}

/// The family's idle share, percent, for the evidence.
fn analysis_share_pct(ctx: &RuleContext) -> f64 {
    ctx.params.num(super::settings::IDLE_LOW_DAYS_PCT.name)
}
