//! The shared per-table analysis behind every DynamoDB rule, computed once per run:
//! each capacity unit's usage (`usage.rs`) and one decision per table, in a fixed
//! precedence, so no two findings claim the same dollars:
//!
//! 1. a billing-mode change for the whole table and its GSIs (`dynamodb.capacity-mode`):
//!    on-demand → provisioned with auto-scaling, or provisioned → on-demand when
//!    on-demand beats the best provisioned configuration; either only when it saves more
//!    than `mode_change_min_saving_pct` of the current throughput cost;
//! 2. otherwise, per provisioned unit without auto-scaling (`dynamodb.overprovisioned`
//!    when a dimension never nears its provision, else `dynamodb.capacity-mode`): each
//!    fixed dimension's cheapest of a lower fixed provision (peak + headroom) or
//!    auto-scaling, when it saves enough;
//! 3. `dynamodb.table-class` prices the table after 1–2 (one after the other: the class
//!    saving is computed on the throughput the capacity findings leave).
//!
//! A throttled unit is never down-sized, and its table gets no mode change.

use std::sync::Arc;

use crate::rules::{RuleContext, RuleError};

use super::model::{Dim, Table, Tables, read};
use super::prices::{Basis, Prices};
use super::series::{HourlyRows, UnitHours, for_each_minute_unit, hourly};
use super::settings::Settings;
use super::usage::{MINUTE_DAYS, UnitUsage, from_hours, from_minutes, period};

/// What a dimension is paid as, now or after the decision.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PayAs {
    OnDemand,
    /// Provisioned as configured now.
    Current,
    /// Provisioned with the simulated auto-scaling.
    AutoScaling,
    /// A fixed provision of this many units.
    Fixed(f64),
}

/// A billing-mode change of a whole table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModeChange {
    ToOnDemand,
    ToProvisioned,
}

/// Which rule owns a unit's change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    CapacityMode,
    Overprovisioned,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    /// No capacity finding (the reason is in the analysis' warnings when it matters).
    Keep,
    Mode(ModeChange),
    /// Per unit: its owner and each dimension's new option (None = unchanged).
    Units(Vec<Option<(Owner, [Option<PayAs>; 2])>>),
}

pub struct TableAnalysis {
    pub table: Table,
    /// Per unit; None when it has no metric rows at all.
    pub usage: Vec<Option<UnitUsage>>,
    pub basis: Basis,
    pub throttled: Vec<bool>,
    /// Per unit: enough data (≥ min_days).
    pub enough_data: Vec<bool>,
    pub decision: Decision,
}

impl TableAnalysis {
    fn unit_usage(&self, u: usize) -> Option<&UnitUsage> {
        self.usage.get(u).and_then(|x| x.as_ref())
    }

    /// Every unit has enough data.
    pub fn complete(&self) -> bool {
        self.enough_data.iter().all(|&ok| ok) && self.usage.iter().all(Option::is_some)
    }

    /// What dimension `d` of unit `u` is paid as now.
    pub fn current_option(&self) -> PayAs {
        if self.table.on_demand { PayAs::OnDemand } else { PayAs::Current }
    }

    /// What dimension `d` of unit `u` is paid as after the capacity decision.
    pub fn after(&self, u: usize, d: Dim) -> PayAs {
        match &self.decision {
            Decision::Keep => self.current_option(),
            Decision::Mode(ModeChange::ToOnDemand) => PayAs::OnDemand,
            Decision::Mode(ModeChange::ToProvisioned) => PayAs::AutoScaling,
            Decision::Units(units) => units
                .get(u)
                .and_then(|x| x.as_ref())
                .and_then(|(_, dims)| dims[d.idx()])
                .unwrap_or(self.current_option()),
        }
    }

    /// Monthly cost of one dimension of one unit paid as `option` under `p`.
    pub fn cost(&self, p: &Prices, u: usize, d: Dim, option: PayAs) -> f64 {
        let Some(usage) = self.unit_usage(u) else { return 0.0 };
        let x = usage.dim(d);
        match option {
            PayAs::OnDemand => p.on_demand(d, x.od_units_month),
            PayAs::Current => p.provisioned(d, x.current_unit_hours_month.unwrap_or(0.0)),
            PayAs::AutoScaling => p.provisioned(d, x.sim_unit_hours_month),
            PayAs::Fixed(units) => p.provisioned(d, units * crate::pricing::HOURS_PER_MONTH),
        }
    }

    /// Monthly throughput of the whole table (every unit, both dimensions) paid as `option`.
    pub fn total(&self, p: &Prices, option: impl Fn(usize, Dim) -> PayAs) -> f64 {
        (0..self.table.units.len())
            .flat_map(|u| Dim::BOTH.map(|d| (u, d)))
            .map(|(u, d)| self.cost(p, u, d, option(u, d)))
            .sum()
    }

    /// The units a rule owns, with their new options.
    pub fn owned(&self, owner: Owner) -> Vec<(usize, [Option<PayAs>; 2])> {
        match &self.decision {
            Decision::Units(units) => units
                .iter()
                .enumerate()
                .filter_map(|(u, x)| x.as_ref().filter(|(o, _)| *o == owner).map(|(_, dims)| (u, *dims)))
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// The run's analysis of every table.
pub struct DynamoAnalysis {
    pub settings: Settings,
    pub tables: Vec<TableAnalysis>,
    /// (kind, message), emitted once by dynamodb.capacity-mode.
    pub warnings: Warnings,
}

impl DynamoAnalysis {
    /// The run's analysis, computed by the first DynamoDB rule that asks. It depends on
    /// the snapshot, the prices and the family's shared parameters only.
    pub fn of(ctx: &RuleContext) -> Result<Arc<DynamoAnalysis>, RuleError> {
        ctx.shared(|ctx| {
            let settings = Settings::from_params(ctx.params)?;
            let tables = read(ctx.snapshot)?;
            let (usage, mut warnings) = usages(ctx, &tables, &settings)?;
            let analysed = tables
                .tables
                .into_iter()
                .zip(usage)
                .map(|(table, usage)| decide(table, usage, ctx, &settings, &mut warnings))
                .collect();
            Ok(DynamoAnalysis { settings, tables: analysed, warnings })
        })
    }
}

/// Every unit's usage: per minute where the snapshot has minute rows, else hourly.
type Usages = Vec<Vec<Option<UnitUsage>>>;
/// (kind, message) warnings of the analysis.
type Warnings = Vec<(&'static str, String)>;

fn usages(ctx: &RuleContext, tables: &Tables, s: &Settings) -> Result<(Usages, Warnings), RuleError> {
    let mut warnings = Vec::new();
    let HourlyRows { units: hours, unknown_rows } = hourly(ctx.snapshot, tables)?;
    if unknown_rows > 0 {
        warnings.push((
            "unknown rows",
            format!("{unknown_rows} dynamodb_metrics_hourly rows name a table or GSI absent from dynamodb_tables / dynamodb_indexes; ignored"),
        ));
    }
    let window = &ctx.snapshot.manifest.window;
    let (window_start, end) = (window.start.timestamp(), window.end.timestamp());
    let mut out: Usages = tables.tables.iter().map(|t| vec![None; t.units.len()]).collect();
    let scan = for_each_minute_unit(ctx.snapshot, tables, |t, u, minutes| {
        let unit = &tables.tables[t].units[u];
        let first_minute = minutes.ts_s.first().copied().unwrap_or(end).div_euclid(3600) * 3600;
        let (start, end) = period(&hours[t][u], first_minute, window_start.max(end - MINUTE_DAYS * 86_400), end);
        out[t][u] = Some(from_minutes(unit, &hours[t][u], minutes, s, start, end));
    })?;
    if !scan.unknown_arns.is_empty() {
        warnings.push((
            "unknown rows",
            format!(
                "dynamodb_metrics_minute holds {} ARN(s) absent from dynamodb_tables / dynamodb_indexes (e.g. {}); ignored",
                scan.unknown_arns.len(),
                scan.unknown_arns[0]
            ),
        ));
    }
    // The rest from hourly rows, tables split over the cores.
    let todo: Vec<(usize, usize)> = out
        .iter()
        .enumerate()
        .flat_map(|(t, units)| units.iter().enumerate().filter(|(_, x)| x.is_none()).map(move |(u, _)| (t, u)))
        .filter(|&(t, u)| !hours[t][u].hours.is_empty())
        .collect();
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).min(8);
    let chunk = todo.len().div_ceil(threads).max(1);
    let computed: Vec<Vec<((usize, usize), UnitUsage)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = todo
            .chunks(chunk)
            .map(|part| {
                let hours: &Vec<Vec<UnitHours>> = &hours;
                scope.spawn(move || {
                    part.iter()
                        .map(|&(t, u)| {
                            let unit = &tables.tables[t].units[u];
                            let (start, end) = period(&hours[t][u], end, window_start, end);
                            ((t, u), from_hours(unit, &hours[t][u], s, start, end))
                        })
                        .collect()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or_default()).collect()
    });
    for ((t, u), usage) in computed.into_iter().flatten() {
        out[t][u] = Some(usage);
    }
    Ok((out, warnings))
}

fn unit_name(table: &Table, u: usize) -> String {
    match &table.units[u].index {
        Some(i) => format!("{}/{} (GSI {i})", table.region, table.name),
        None => format!("{}/{}", table.region, table.name),
    }
}

fn decide(
    table: Table,
    usage: Vec<Option<UnitUsage>>,
    ctx: &RuleContext,
    s: &Settings,
    warnings: &mut Warnings,
) -> TableAnalysis {
    let basis = Basis::of(ctx.prices, &table.region, table.class, table.is_global());
    let throttled: Vec<bool> =
        usage.iter().map(|u| u.as_ref().is_some_and(|u| u.throttles as f64 > s.throttle_events_max)).collect();
    let enough_data: Vec<bool> = usage.iter().map(|u| u.as_ref().is_some_and(|u| u.days() >= s.min_days)).collect();
    for (u, x) in usage.iter().enumerate() {
        match x {
            None => warnings
                .push(("no data", format!("{}: no metrics in the window: no DynamoDB finding", unit_name(&table, u)))),
            Some(x) if !enough_data[u] => warnings.push((
                "too little data",
                format!(
                    "{}: only {:.1} days of data (min_days = {}): no capacity finding for it{}",
                    unit_name(&table, u),
                    x.days(),
                    s.min_days,
                    if table.units.len() > 1 { ", no mode or class change for its table" } else { "" }
                ),
            )),
            Some(x) if throttled[u] => warnings.push((
                "throttled",
                format!(
                    "{}: {} throttle events in the window: its consumption understates its demand, so it is not \
                     down-sized and its table gets no capacity-mode change",
                    unit_name(&table, u),
                    x.throttles
                ),
            )),
            _ => {}
        }
    }
    let mut analysis = TableAnalysis { table, usage, basis, throttled, enough_data, decision: Decision::Keep };
    let Some(prices) = analysis.basis.prices().copied() else {
        if let Basis::Missing(keys) = &analysis.basis {
            warnings.push((
                "unpriced",
                format!(
                    "{}: no capacity or class finding: the price book lacks {} ({} table{})",
                    unit_name(&analysis.table, 0),
                    keys.join(", "),
                    analysis.table.class.label(),
                    if analysis.table.is_global() { ", global: writes are replicated writes" } else { "" }
                ),
            ));
        }
        return analysis;
    };
    analysis.decision = choose(&analysis, &prices, s);
    analysis
}

/// The one capacity decision of a priced (or proxy-priced) table.
fn choose(a: &TableAnalysis, p: &Prices, s: &Settings) -> Decision {
    let keep = 1.0 - s.mode_min_saving_pct / 100.0;
    let units = a.table.units.len();
    let any_throttled = a.throttled.iter().any(|&t| t);
    let current = a.total(p, |_, _| a.current_option());
    if a.complete() && !any_throttled {
        if a.table.on_demand {
            let auto = a.total(p, |_, _| PayAs::AutoScaling);
            return if auto < current * keep { Decision::Mode(ModeChange::ToProvisioned) } else { Decision::Keep };
        }
        let on_demand = a.total(p, |_, _| PayAs::OnDemand);
        let best_provisioned: f64 = (0..units)
            .flat_map(|u| Dim::BOTH.map(|d| (u, d)))
            .map(|(u, d)| {
                let mut options = vec![PayAs::Current, PayAs::AutoScaling];
                options.extend(best_fixed_dim(a, p, s, u, d));
                options.into_iter().map(|o| a.cost(p, u, d, o)).fold(f64::INFINITY, f64::min)
            })
            .sum();
        if on_demand < best_provisioned && on_demand < current * keep {
            return Decision::Mode(ModeChange::ToOnDemand);
        }
    }
    if a.table.on_demand {
        return Decision::Keep;
    }
    let mut per_unit = vec![None; units];
    for (u, slot) in per_unit.iter_mut().enumerate() {
        if a.throttled[u] || !a.enough_data[u] {
            continue;
        }
        let mut dims = [None; 2];
        let mut over = false;
        for d in Dim::BOTH {
            if let Some(x) = a.unit_usage(u).map(|x| x.dim(d))
                && !x.autoscaled
                && overprovisioned(x, s)
            {
                over = true;
                dims[d.idx()] = best_fixed_dim(a, p, s, u, d);
            }
        }
        for d in Dim::BOTH {
            if dims[d.idx()].is_none()
                && let Some(x) = a.unit_usage(u).map(|x| x.dim(d))
                && !x.autoscaled
                && a.cost(p, u, d, PayAs::AutoScaling) < a.cost(p, u, d, PayAs::Current) * keep
            {
                dims[d.idx()] = Some(PayAs::AutoScaling);
            }
        }
        if dims.iter().any(Option::is_some) {
            *slot = Some((if over { Owner::Overprovisioned } else { Owner::CapacityMode }, dims));
        }
    }
    if per_unit.iter().any(Option::is_some) { Decision::Units(per_unit) } else { Decision::Keep }
}

/// A fixed dimension that never nears its provision: peak below `overprovisioned_peak_pct`.
pub fn overprovisioned(x: &super::usage::DimUsage, s: &Settings) -> bool {
    match x.current_capacity {
        Some(c) if c > 0.0 => x.peak < c * s.overprovisioned_peak_pct / 100.0 && x.fixed_capacity < c,
        _ => false,
    }
}

/// For an over-provisioned fixed dimension: the cheaper of a fixed provision at peak +
/// headroom and the simulated auto-scaling, when it is cheaper than now.
fn best_fixed_dim(a: &TableAnalysis, p: &Prices, s: &Settings, u: usize, d: Dim) -> Option<PayAs> {
    let x = a.unit_usage(u)?.dim(d);
    if x.autoscaled || a.throttled[u] || !overprovisioned(x, s) {
        return None;
    }
    let now = a.cost(p, u, d, PayAs::Current);
    let fixed = PayAs::Fixed(x.fixed_capacity);
    let best = if a.cost(p, u, d, fixed) <= a.cost(p, u, d, PayAs::AutoScaling) { fixed } else { PayAs::AutoScaling };
    (a.cost(p, u, d, best) < now).then_some(best)
}
