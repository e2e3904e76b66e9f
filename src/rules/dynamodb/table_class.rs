//! `dynamodb.table-class`: Standard ↔ Standard-IA from storage against throughput, on
//! the region's own prices for both classes, computed after the capacity findings (on
//! the throughput they leave), so the two never count the same dollars.

use std::collections::HashMap;

use crate::money::usd;
use crate::report::{Category, Evidence, MigrationEffort, Stat};
use crate::rules::draft::Draft;
use crate::rules::{Param, ParamValue, Rule, RuleContext, RuleError, RuleOutput};
use crate::snapshot::FrameName;

use super::analysis::{Decision, DynamoAnalysis, PayAs, TableAnalysis};
use super::evidence::{cost_chart, dollars, resource, round2};
use super::model::{Class, Dim};
use super::prices::{Basis, price, throughput_key};
use super::{actions, warning_log};

const GIB: f64 = 1_073_741_824.0;
/// AWS allows two table-class changes per 30 days.
const CLASS_CHANGE_WINDOW_DAYS: f64 = 30.0;

const MIN_SAVING_PCT: Param = Param::new(
    "min_saving_pct",
    ParamValue::Num(10.0),
    "%",
    "a class change is recommended only when it saves at least this share of the table's storage + throughput cost \
     (a table may change class only twice in 30 days: no flip-flopping on small margins)",
);
const UNPRICED_MIN_PREMIUM_PCT: Param = Param::new(
    "unpriced_min_breakeven_premium_pct",
    ParamValue::Num(100.0),
    "%",
    "without Standard-IA throughput prices, a move to Standard-IA is reported (unpriced) only when it would still \
     save with IA throughput this much dearer than Standard's, i.e. the storage saving is at least this share of \
     the throughput cost",
);

pub struct TableClass;

impl Rule for TableClass {
    fn id(&self) -> &'static str {
        "dynamodb.table-class"
    }
    fn title(&self) -> &'static str {
        "Move DynamoDB tables between the Standard and Standard-IA classes"
    }
    fn category(&self) -> Category {
        Category::DynamodbCapacity
    }
    fn needs(&self) -> &'static [FrameName] {
        &[FrameName::DynamodbTables, FrameName::DynamodbMetricsHourly]
    }
    fn params(&self) -> &'static [Param] {
        const P: &[Param] = &[MIN_SAVING_PCT, UNPRICED_MIN_PREMIUM_PCT];
        P
    }
    fn method(&self) -> &'static str {
        "Per table (its GSIs included: the class applies to them), the month's storage + throughput cost in each \
         class on the region's own prices for both classes: storage GB (table + GSI bytes ÷ 2^30) × each class's \
         GB-month price, and the throughput left after dynamodb.capacity-mode and dynamodb.overprovisioned (their \
         change applied first, so the savings add up without double counting) × each class's request-unit or \
         capacity-hour prices. The break-even storage is derived from those prices, (IA throughput − Standard \
         throughput) ÷ (Standard − IA GB-month price), never a fixed ratio. The first `free_storage_gb` of \
         Standard storage per account and region are free: a table's Standard storage is priced at the margin (what \
         leaving Standard saves given the other Standard tables of its account and region), so a small account's \
         free gigabytes are not counted as savings; Standard-IA has no free tier. PITR and backup storage are priced \
         per GB whatever the class and are left out. The catalog has no Standard-IA throughput prices \
         (`dynamodb.*.STANDARD_INFREQUENT_ACCESS` request-unit and capacity-hour keys): without them a move to \
         Standard-IA is reported unpriced — with the storage saving as its upper bound, and only when that saving \
         is at least `unpriced_min_breakeven_premium_pct` of the throughput cost — and a warning names the missing \
         keys; add them under [pricing.overrides] to price it. Recommended only above `min_saving_pct`; a class \
         changed in the last 30 days lowers confidence (two changes per 30 days). Tables without `min_days` of data \
         are skipped (see dynamodb.capacity-mode's warnings)."
    }

    fn evaluate(&self, ctx: &RuleContext) -> Result<RuleOutput, RuleError> {
        let analysis = DynamoAnalysis::of(ctx)?;
        let free_gb = analysis.settings.free_storage_gb;
        let mut standard_gb: HashMap<(&str, &str), f64> = HashMap::new();
        for a in analysis.tables.iter().filter(|a| a.table.class == Class::Standard) {
            *standard_gb.entry((&a.table.account, &a.table.region)).or_default() += a.table.storage_bytes() / GIB;
        }
        let mut log = warning_log();
        let mut missing_ia: Vec<String> = Vec::new();
        let mut findings = Vec::new();
        // Incomplete tables and tables without any price were named by dynamodb.capacity-mode.
        for a in analysis.tables.iter().filter(|a| a.complete() && !matches!(a.basis, Basis::Missing(_))) {
            let t = &a.table;
            let gb = t.storage_bytes() / GIB;
            let others = standard_gb.get(&(t.account.as_str(), t.region.as_str())).copied().unwrap_or(0.0)
                - if t.class == Class::Standard { gb } else { 0.0 };
            let Ok(p_std) = price(ctx.prices, &t.region, "dynamodb.storage.gb_month.STANDARD") else {
                log.push(
                    "no prices",
                    format!("{}/{}: no DynamoDB storage prices for {}: class not judged", t.region, t.name, t.region),
                );
                continue;
            };
            let Ok(p_ia) = price(ctx.prices, &t.region, "dynamodb.storage.gb_month.STANDARD_INFREQUENT_ACCESS") else {
                log.push(
                    "no prices",
                    format!("{}/{}: no Standard-IA storage price for {}: class not judged", t.region, t.name, t.region),
                );
                continue;
            };
            // Standard storage at the margin of the account-region's free tier.
            let billable = |total: f64| (total - free_gb).max(0.0);
            let std_storage = (billable(others + gb) - billable(others)) * p_std;
            let ia_storage = gb * p_ia;
            let thr_std = throughput(ctx, a, Class::Standard);
            let thr_ia = throughput(ctx, a, Class::InfrequentAccess);
            let inputs = Inputs { gb, others, free_gb, p_std, p_ia, std_storage, ia_storage };
            let draft = match (t.class, thr_std, thr_ia) {
                (_, Err(keys), _) => {
                    log.push(
                        "no prices",
                        format!(
                            "{}/{}: Standard throughput unpriced ({}): class not judged",
                            t.region,
                            t.name,
                            keys.join(", ")
                        ),
                    );
                    continue;
                }
                (Class::Standard, Ok(std), Ok(ia)) => priced(ctx, a, &inputs, std, ia, Class::InfrequentAccess),
                (Class::InfrequentAccess, Ok(std), Ok(ia)) => priced(ctx, a, &inputs, std, ia, Class::Standard),
                (Class::Standard, Ok(std), Err(keys)) => {
                    let d = unpriced_to_ia(ctx, a, &inputs, std, &keys);
                    if d.is_some() {
                        missing_ia.extend(keys);
                    }
                    d
                }
                (Class::InfrequentAccess, Ok(_), Err(keys)) => {
                    log.push(
                        "no prices",
                        format!(
                            "{}/{}: a Standard-IA table whose throughput is unpriced ({}): class not judged",
                            t.region,
                            t.name,
                            keys.join(", ")
                        ),
                    );
                    None
                }
            };
            if let Some(d) = draft {
                findings.push(d.finish(self));
            }
        }
        if !missing_ia.is_empty() {
            missing_ia.sort();
            missing_ia.dedup();
            log.push(
                "missing IA prices",
                format!(
                    "{} Standard-IA move(s) reported unpriced: the price book lacks {} (add them under \
                     [pricing.overrides] as \"<region>/<key>\" = USD to price them)",
                    findings.iter().filter(|f| f.monthly_savings_usd.is_none()).count(),
                    missing_ia.join(", ")
                ),
            );
        }
        Ok(RuleOutput { findings, warnings: log.into_vec() })
    }
}

/// Monthly throughput of the table after the capacity decision, priced in `class`; or
/// the keys the book lacks (only those the table's throughput needs).
fn throughput(ctx: &RuleContext, a: &TableAnalysis, class: Class) -> Result<f64, Vec<String>> {
    let mut total = 0.0;
    let mut missing = Vec::new();
    for (u, usage) in a.usage.iter().enumerate() {
        let Some(usage) = usage else { continue };
        for d in Dim::BOTH {
            let x = usage.dim(d);
            let (request, quantity) = match a.after(u, d) {
                PayAs::OnDemand => (true, x.od_units_month / 1e6),
                PayAs::Current => (false, x.current_unit_hours_month.unwrap_or(0.0)),
                PayAs::AutoScaling => (false, x.sim_unit_hours_month),
                PayAs::Fixed(c) => (false, c * crate::pricing::HOURS_PER_MONTH),
            };
            match price(ctx.prices, &a.table.region, &throughput_key(class, a.table.is_global(), d, request)) {
                Ok(p) => total += quantity * p,
                Err(key) if !missing.contains(&key) => missing.push(key),
                Err(_) => {}
            }
        }
    }
    if missing.is_empty() { Ok(total) } else { Err(missing) }
}

struct Inputs {
    gb: f64,
    /// Standard GB of the account-region's other tables.
    others: f64,
    free_gb: f64,
    p_std: f64,
    p_ia: f64,
    /// Standard storage at the margin; Standard-IA storage.
    std_storage: f64,
    ia_storage: f64,
}

fn after_capacity_note(a: &TableAnalysis) -> &'static str {
    match a.decision {
        Decision::Keep => "",
        _ => " Throughput is what remains after the capacity change recommended for this table.",
    }
}

fn stats(i: &Inputs, thr: [Option<f64>; 2]) -> Vec<Stat> {
    let mut s = vec![
        Stat::new("storage (table + GSIs)", round2(i.gb), "GB"),
        Stat::new("Standard storage of the account-region's other tables", round2(i.others), "GB"),
        Stat::new("free Standard storage per account-region", i.free_gb, "GB"),
        Stat::new("Standard storage price", i.p_std, "USD/GB-month"),
        Stat::new("Standard-IA storage price", i.p_ia, "USD/GB-month"),
        Stat::new("Standard: storage (at the margin of the free tier)", round2(i.std_storage), "USD/month"),
        Stat::new("Standard-IA: storage", round2(i.ia_storage), "USD/month"),
    ];
    if let Some(t) = thr[0] {
        s.push(Stat::new("Standard: throughput", round2(t), "USD/month"));
    }
    if let Some(t) = thr[1] {
        s.push(Stat::new("Standard-IA: throughput", round2(t), "USD/month"));
    }
    s
}

fn chart(i: &Inputs, thr: [Option<f64>; 2]) -> crate::report::Chart {
    let mut figures = vec![("Standard: storage".to_string(), i.std_storage)];
    figures.extend(thr[0].map(|t| ("Standard: throughput".to_string(), t)));
    figures.push(("Standard-IA: storage".to_string(), i.ia_storage));
    figures.extend(thr[1].map(|t| ("Standard-IA: throughput".to_string(), t)));
    cost_chart("Monthly cost by table class".into(), &figures)
}

fn class_confidence(ctx: &RuleContext, a: &TableAnalysis, base: f64) -> (f64, Vec<String>) {
    let mut c = base;
    let mut reasons = vec!["storage is measured exactly; throughput from the window's consumption".to_string()];
    if !matches!(a.decision, Decision::Keep) {
        c *= 0.9;
        reasons.push("assumes the capacity change recommended for this table is made first".into());
    }
    if let Some(ms) = a.table.class_updated_at_ms {
        let end = ctx.snapshot.manifest.window.end.timestamp_millis();
        let days = (end - ms) as f64 / 86_400_000.0;
        if days < CLASS_CHANGE_WINDOW_DAYS {
            c *= 0.8;
            let when = chrono::DateTime::from_timestamp_millis(ms)
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default();
            reasons.push(format!(
                "the class last changed {days:.0} days ago ({when}); AWS allows two changes in 30 days, so if that was \
                 the second the next is possible 30 days after it"
            ));
        }
    }
    (c, reasons)
}

/// What a class finding says: the class to move to, throughput per class (None =
/// unpriced), (current, recommended) money, the rationale and the base confidence.
struct Verdict {
    to: Class,
    thr: [Option<f64>; 2],
    money: (f64, Option<f64>),
    rationale: String,
    base: f64,
}

fn draft(ctx: &RuleContext, a: &TableAnalysis, i: &Inputs, v: Verdict) -> Draft {
    let Verdict { to, thr, money, rationale, base } = v;
    let t = &a.table;
    let (confidence, confidence_reasons) = class_confidence(ctx, a, base);
    let mut thresholds = vec![Stat::new("min_saving_pct", ctx.params.num(MIN_SAVING_PCT.name), "%")];
    thresholds.push(Stat::new(
        "unpriced_min_breakeven_premium_pct",
        ctx.params.num(UNPRICED_MIN_PREMIUM_PCT.name),
        "%",
    ));
    Draft {
        resource: resource(t, 0),
        current: (format!("{} class, {:.1} GB", t.class.label(), i.gb), Some(money.0)),
        recommended: (format!("{} class", to.label()), money.1),
        savings_range: None,
        one_time_cost_usd: 0.0,
        unpriced_reason: money.1.is_none().then(|| {
            "the price book has no Standard-IA throughput prices for this region: the saving is bounded by the storage \
             side (see the rationale)"
                .to_string()
        }),
        confidence,
        confidence_reasons,
        performance_risk: 0,
        migration_effort: MigrationEffort::VeryLow,
        evidence: Evidence {
            window_days: ctx.window_days(),
            datapoints: a.usage.iter().flatten().map(|x| x.datapoints).sum(),
            statistics: stats(i, thr),
            thresholds,
            charts: vec![chart(i, thr)],
        },
        rationale,
        actions: actions::table_class(t, to),
    }
}

fn priced(ctx: &RuleContext, a: &TableAnalysis, i: &Inputs, thr_std: f64, thr_ia: f64, to: Class) -> Option<Draft> {
    let (std_total, ia_total) = (i.std_storage + thr_std, i.ia_storage + thr_ia);
    let (current, after) = if to == Class::InfrequentAccess { (std_total, ia_total) } else { (ia_total, std_total) };
    let saving = current - after;
    if saving <= 0.0 || saving < current * ctx.params.num(MIN_SAVING_PCT.name) / 100.0 {
        return None;
    }
    let breakeven = (i.p_std > i.p_ia).then(|| (thr_ia - thr_std) / (i.p_std - i.p_ia));
    let rationale = format!(
        "{} ({:.1} GB with its GSIs, {} now): a month on Standard costs {} storage + {} throughput = {}; on Standard-IA \
         {} storage ({:.1} GB × {}) + {} throughput = {}. Moving to {} saves {} ({:.0} %).{}{}",
        a.table.name,
        i.gb,
        a.table.class.label(),
        usd(i.std_storage),
        usd(thr_std),
        usd(std_total),
        usd(i.ia_storage),
        i.gb,
        dollars(i.p_ia),
        usd(thr_ia),
        usd(ia_total),
        to.label(),
        usd(saving),
        100.0 * saving / current,
        breakeven.map(|b| format!(" Break-even at these prices: {b:.0} GB of storage (derived: (IA − Standard throughput) ÷ (Standard − IA GB-month price)).")).unwrap_or_default(),
        after_capacity_note(a),
    );
    Some(draft(
        ctx,
        a,
        i,
        Verdict { to, thr: [Some(thr_std), Some(thr_ia)], money: (current, Some(after)), rationale, base: 0.85 },
    ))
}

fn unpriced_to_ia(ctx: &RuleContext, a: &TableAnalysis, i: &Inputs, thr_std: f64, missing: &[String]) -> Option<Draft> {
    let storage_saving = i.std_storage - i.ia_storage;
    let room_pct = if thr_std > 0.0 { 100.0 * storage_saving / thr_std } else { f64::INFINITY };
    let current = i.std_storage + thr_std;
    if storage_saving < ctx.params.num("min_savings_usd")
        || storage_saving < current * ctx.params.num(MIN_SAVING_PCT.name) / 100.0
        || room_pct < ctx.params.num(UNPRICED_MIN_PREMIUM_PCT.name)
    {
        return None;
    }
    let room = if room_pct.is_finite() {
        format!("up to {room_pct:.0} % dearer than Standard's")
    } else {
        "at any price (it has no throughput)".into()
    };
    let rationale = format!(
        "{} ({:.1} GB with its GSIs, Standard now): storage costs {} on Standard and {} on Standard-IA ({:.1} GB × {}), \
         {} less — at most what the move saves; its throughput costs {} on Standard. The price book lacks the \
         Standard-IA throughput prices ({}), so no dollar figure is claimed: the move saves money as long as \
         Standard-IA throughput is {room}.{}",
        a.table.name,
        i.gb,
        usd(i.std_storage),
        usd(i.ia_storage),
        i.gb,
        dollars(i.p_ia),
        usd(storage_saving),
        usd(thr_std),
        missing.join(", "),
        after_capacity_note(a),
    );
    let verdict = Verdict {
        to: Class::InfrequentAccess,
        thr: [Some(thr_std), None],
        money: (current, None),
        rationale,
        base: 0.6,
    };
    let mut d = draft(ctx, a, i, verdict);
    d.evidence.statistics.push(Stat::new(
        "storage saving (upper bound of the saving)",
        round2(storage_saving),
        "USD/month",
    ));
    if room_pct.is_finite() {
        d.evidence.statistics.push(Stat::new("IA throughput premium the move survives", round2(room_pct), "%"));
    }
    Some(d)
}
