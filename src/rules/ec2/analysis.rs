//! The shared per-unit decision behind every EC2 rule, computed once per run.
//!
//! Every unit (standalone instance, or group) gets exactly one decision, in this
//! precedence: idle → rightsize (downsizing, possibly out of a previous generation) →
//! previous generation (like-for-like successor) → Graviton (like-for-like or smaller
//! arm64) → keep. Each rule reports only the units whose decision is its own, so no
//! instance is counted twice; the lower-precedence alternatives travel as evidence.

use std::sync::Arc;

use crate::pricing::InstanceSpec;
use crate::rules::{RuleContext, RuleError};
use crate::snapshot::FrameName;

use super::catalog::{Basis, Catalog, Priced};
use super::fleet::{Instance, Unit, UnitKind, running_instances, units};
use super::hourly::HourlyMetrics;
use super::off_hours::{Schedule, schedule_of};
use super::settings::{CE_MAX_CPU_PCT, MIN_IDLE_DAYS_OBSERVED, Sizing};
use super::sizing::{Demand, Search, downsize, graviton, successor};
use super::stats::{Usage, UsageTable, WeekMask, usage};

/// Running instances, their units and their usage.
pub struct Fleet {
    pub instances: Vec<Instance>,
    pub units: Vec<Unit>,
    pub usage: UsageTable,
    /// The hourly metrics grouped by instance (charts read their series from it).
    pub hourly: HourlyMetrics,
}

/// The EC2 family's analysis of one run: the fleet and one decision per unit.
pub struct Ec2Analysis {
    pub fleet: Fleet,
    pub sizing: Sizing,
    /// One per unit, in `fleet.units` order.
    pub decisions: Vec<Decided>,
    /// Candidate types left out for want of a price, one line per region and platform.
    pub missing_prices: Vec<String>,
}

/// A unit's decision, and what was measured to reach it (None when idle or unsized).
pub struct Decided {
    pub decision: Decision,
    pub assessment: Option<Assessment>,
}

impl Ec2Analysis {
    /// The run's analysis, computed by the first EC2 rule that asks. It depends only on
    /// the snapshot, the prices and the family's shared sizing parameters.
    pub fn of(ctx: &RuleContext) -> Result<Arc<Ec2Analysis>, RuleError> {
        ctx.shared(|ctx| {
            let _span = tracing::debug_span!("ec2_analysis").entered();
            let sizing = Sizing::from_params(ctx.params)?;
            let instances = running_instances(ctx.frame(FrameName::Ec2Instances)?)?;
            let units = units(&instances);
            let hourly = tracing::debug_span!("ec2_group_metrics").in_scope(|| HourlyMetrics::of(ctx.snapshot))?;
            let usage = usage(ctx.snapshot, &hourly, &sizing.schedule)?;
            let fleet = Fleet { usage, hourly, instances, units };
            let _decide = tracing::debug_span!("ec2_decide", units = fleet.units.len()).entered();
            let catalog = Catalog::new(ctx.prices);
            let standby = crate::rules::dr::standby_instances(ctx)?;
            let decisions = fleet
                .units
                .iter()
                .map(|unit| {
                    dr_standby(&fleet, unit, &standby, sizing.idle_low_days)
                        .unwrap_or_else(|| decide(&fleet, unit, &catalog, &sizing))
                })
                .collect();
            Ok(Ec2Analysis { fleet, sizing, decisions, missing_prices: catalog.missing_price_warnings() })
        })
    }

    /// Units with their decision, in unit order.
    pub fn units(&self) -> impl Iterator<Item = (&Unit, &Decided)> {
        self.fleet.units.iter().zip(&self.decisions)
    }
}

/// Which idle definitions an instance (or every member of a group) meets.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IdleMatch {
    pub trusted_advisor: bool,
    pub cost_explorer: bool,
}

impl IdleMatch {
    pub fn label(self) -> &'static str {
        match (self.trusted_advisor, self.cost_explorer) {
            (true, true) => "Trusted Advisor and Cost Explorer",
            (true, false) => "Trusted Advisor",
            (false, true) => "Cost Explorer",
            (false, false) => "each member one of Trusted Advisor or Cost Explorer",
        }
    }
}

/// Idle by either definition, on most of the observed days (`share` of them).
fn instance_idle(u: &Usage, share: f64) -> Option<IdleMatch> {
    if u.days_observed < MIN_IDLE_DAYS_OBSERVED {
        return None;
    }
    let most = (share * u.days_observed as f64 - 1e-9).ceil() as u32;
    let m = IdleMatch {
        trusted_advisor: u.days_low >= most,
        cost_explorer: u.cpu_max_lookback <= CE_MAX_CPU_PCT && u.days_network_low >= most,
    };
    (m.trusted_advisor || m.cost_explorer).then_some(m)
}

impl Fleet {
    pub fn member_usage(&self, unit: &Unit) -> impl Iterator<Item = (&Instance, Option<&Usage>)> {
        unit.members.iter().map(|&m| {
            let inst = &self.instances[m];
            (inst, self.usage.get(&inst.id))
        })
    }

    /// Idle when every member is idle by at least one definition on most observed days.
    pub fn idle(&self, unit: &Unit, share: f64) -> Option<IdleMatch> {
        let mut all = IdleMatch { trusted_advisor: true, cost_explorer: true };
        for (_, u) in self.member_usage(unit) {
            let m = instance_idle(u?, share)?;
            all.trusted_advisor &= m.trusted_advisor;
            all.cost_explorer &= m.cost_explorer;
        }
        Some(all)
    }
}

/// A unit's usage for sizing: for a group, each statistic is the maximum over the
/// members with enough data, so the target fits the busiest member.
#[derive(Debug, Clone)]
pub struct UnitUsage {
    pub combined: Usage,
    /// Total hourly datapoints of the members used.
    pub datapoints: u64,
    pub members_used: usize,
    /// The member whose CPU statistic is highest (charted in the evidence).
    pub busiest: String,
}

fn unit_usage(fleet: &Fleet, unit: &Unit, sizing: &Sizing) -> Result<UnitUsage, u32> {
    let mut out: Option<UnitUsage> = None;
    let mut most_hours = 0;
    for (inst, u) in fleet.member_usage(unit) {
        let Some(u) = u else { continue };
        most_hours = most_hours.max(u.hours);
        if (u.hours as f64) < sizing.min_hours {
            continue;
        }
        let stat = sizing.cpu_statistic;
        match &mut out {
            None => {
                out = Some(UnitUsage {
                    combined: u.clone(),
                    datapoints: u.hours as u64,
                    members_used: 1,
                    busiest: inst.id.clone(),
                })
            }
            Some(acc) => {
                if u.cpu_at(stat) > acc.combined.cpu_at(stat) {
                    acc.busiest = inst.id.clone();
                }
                acc.combined.absorb(u);
                acc.datapoints += u.hours as u64;
                acc.members_used += 1;
            }
        }
    }
    out.ok_or(most_hours)
}

/// A recommended type change and what else was looked at.
#[derive(Debug, Clone)]
pub struct Move {
    pub target: Priced,
    pub search: Search,
    /// The arm64 alternative (for rightsize and previous-generation findings).
    pub arm64: Option<Search>,
    /// A stop schedule that would save less than this move (shown, not counted).
    pub schedule: Option<Schedule>,
}

/// The kinds of type change, one per rule that reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoveKind {
    Rightsize,
    PreviousGeneration,
    Graviton,
}

#[derive(Debug, Clone)]
pub enum Decision {
    /// Idle: reported by ec2.idle.
    Idle(IdleMatch),
    /// A type change, reported by the rule of its kind.
    Change(MoveKind, Move),
    /// Stop outside its busy hours (reported by ec2.schedule); the type change it beat,
    /// if any, is shown as the alternative.
    Schedule(Schedule, Option<(MoveKind, Move)>),
    Keep,
    /// Not sized: the reason, for a warning.
    Unsized(String),
    /// Standby capacity of a DR workload in its recovery region (see `dr_standby`).
    DrStandby {
        workload: String,
        idle: bool,
    },
}

impl Decision {
    /// The move, when this is a type change of `kind`.
    pub fn change(&self, kind: MoveKind) -> Option<&Move> {
        match self {
            Decision::Change(k, mv) if *k == kind => Some(mv),
            _ => None,
        }
    }
}

/// Everything a rule needs to write the finding for one unit.
#[derive(Debug, Clone)]
pub struct Assessment {
    pub spec: Arc<InstanceSpec>,
    pub basis: Basis,
    /// Hourly price of the current type on the basis (the proxy price when unpriced).
    pub current_usd_hour: f64,
    pub usage: UnitUsage,
    pub demand: Demand,
}

fn not_sized(why: String) -> Decided {
    Decided { decision: Decision::Unsized(why), assessment: None }
}

/// DR hook (issue 13): a unit whose instances are a DR workload's standby capacity in its
/// recovery region is `dr.tier`'s to judge — that rule prices the capacity as part of the
/// workload's strategy and may recommend removing it. Such a unit is kept with a note
/// (`ec2.idle` reports an idle one as DR capacity, not as idle) and gets no EC2 finding,
/// so a DR finding and an EC2 finding never claim the same instance-hours. The set comes
/// from `rules::dr::standby_instances` (snapshot only: tags, declarations, groups).
fn dr_standby(fleet: &Fleet, unit: &Unit, standby: &crate::rules::dr::StandbySet, share: f64) -> Option<Decided> {
    let workload = unit.members.iter().find_map(|&m| standby.workload_of(&fleet.instances[m].id))?;
    let decision = Decision::DrStandby { workload: workload.to_string(), idle: fleet.idle(unit, share).is_some() };
    Some(Decided { decision, assessment: None })
}

/// Decide one unit; sized units come with their assessment.
fn decide(fleet: &Fleet, unit: &Unit, catalog: &Catalog, sizing: &Sizing) -> Decided {
    let first = unit.first(&fleet.instances);
    if let Some(m) = fleet.idle(unit, sizing.idle_low_days) {
        return Decided { decision: Decision::Idle(m), assessment: None };
    }
    let Some(spec) = catalog.spec(&first.instance_type) else {
        return not_sized(format!("instance type {} has no specs in the catalog", first.instance_type));
    };
    let usage = match unit_usage(fleet, unit, sizing) {
        Ok(u) => u,
        Err(0) => return not_sized("no metrics in the window".into()),
        Err(hours) => {
            return not_sized(format!(
                "only {hours} hours of metrics in the window (needs min_hours = {})",
                sizing.min_hours
            ));
        }
    };
    let basis = catalog.basis(first);
    let Some(current_usd_hour) = catalog.rank_price(&basis, &first.instance_type) else {
        return not_sized(format!("{} has no list price to rank against", first.instance_type));
    };
    let demand = Demand::new(spec, &usage.combined, sizing);
    let info = catalog.family(&first.instance_type);
    let arm64_family = info.and_then(|f| f.graviton.clone()).filter(|_| first.arm64_available() && !spec.is_arm64());
    let arm64 = |allow_equivalent: bool| {
        arm64_family.as_deref().map(|g| graviton(catalog, &basis, g, &demand, allow_equivalent))
    };
    let down = downsize(catalog, &basis, spec, current_usd_hour, &demand);
    let mv = |target, search, arm64| Move { target, search, arm64, schedule: None };
    let change = if let Some(target) = down.chosen.clone() {
        Some((MoveKind::Rightsize, mv(target, down, arm64(false))))
    } else if let Some(s) =
        info.filter(|f| f.previous_generation).map(|f| successor(catalog, &basis, f, current_usd_hour, &demand))
        && let Some(target) = s.chosen.clone()
    {
        Some((MoveKind::PreviousGeneration, mv(target, s, arm64(true))))
    } else if let Some(g) = arm64(true)
        && let Some(target) = g.chosen.clone().filter(|t| t.usd_hour < current_usd_hour)
    {
        Some((MoveKind::Graviton, mv(target, g, None)))
    } else {
        None
    };
    // A stop schedule competes with the type change on the dollars it saves per hour;
    // the larger wins and the other is shown as its alternative (never both counted).
    let schedule = schedulable(fleet, unit, spec)
        .then(|| unit_week(fleet, unit))
        .flatten()
        .and_then(|w| schedule_of(&w, &sizing.schedule));
    let decision = match (change, schedule) {
        (Some((kind, m)), Some(s)) if current_usd_hour * s.off_share() > current_usd_hour - m.target.usd_hour => {
            Decision::Schedule(s, Some((kind, m)))
        }
        (Some((kind, mut m)), s) => {
            m.schedule = s;
            Decision::Change(kind, m)
        }
        (None, Some(s)) => Decision::Schedule(s, None),
        (None, None) => Decision::Keep,
    };
    Decided {
        decision,
        assessment: Some(Assessment { spec: Arc::clone(spec), basis, current_usd_hour, usage, demand }),
    }
}

/// Whether a unit can be stopped on a schedule: not a spot instance or an EKS node
/// group (Kubernetes reschedules pods; scale the workloads instead), and no instance
/// storage (stopping loses it, and some such types cannot stop at all).
fn schedulable(fleet: &Fleet, unit: &Unit, spec: &InstanceSpec) -> bool {
    unit.kind != UnitKind::EksNodeGroup && !unit.first(&fleet.instances).spot && spec.hardware.storage.is_none()
}

/// The hours off for every member of a unit (a group stops together); None when a
/// member has no metrics.
fn unit_week(fleet: &Fleet, unit: &Unit) -> Option<WeekMask> {
    let mut out: Option<WeekMask> = None;
    for (_, u) in fleet.member_usage(unit) {
        let w = u?.week;
        out = Some(out.map_or(w, |o| o.intersect(&w)));
    }
    out
}
