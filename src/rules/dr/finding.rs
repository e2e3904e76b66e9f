//! The one finding of a judged workload: a cheaper strategy that still meets both
//! targets (a saving), or the cheapest that fixes a breach (a cost: negative savings,
//! severity high), with the ladder as evidence and the arithmetic written out.

use std::collections::BTreeMap;

use crate::money::usd;
use crate::report::{Action, MigrationEffort, Resource};
use crate::rules::draft::Draft;

use super::actions::actions;
use super::bill::Bill;
use super::decide::{Decision, Verdict};
use super::duration::format_minutes as fm;
use super::evidence::evidence;
use super::footprint::Footprint;
use super::model::Plan;
use super::posture::{Current, Mode};
use super::settings::Assumptions;
use super::strategy::Strategy;

pub struct Judged<'a> {
    pub fp: &'a Footprint<'a>,
    pub current: &'a Current,
    pub plans: &'a [Plan],
    pub decision: &'a Decision,
    pub a: &'a Assumptions,
    pub rpo_target: f64,
    pub rto_target: f64,
    pub window_days: f64,
    /// The recovery region was collected (standby capacity there is visible).
    pub dr_collected: bool,
    /// One-time transfer of the first copies of data that has none in the recovery region, USD.
    pub seed_usd: f64,
}

fn money(v: Option<f64>) -> String {
    v.map(|x| format!("{}/month", usd(x))).unwrap_or_else(|| "unpriced".into())
}

fn why_rpo(p: &Plan, fp: &Footprint, a: &Assumptions) -> String {
    if fp.stores.is_empty() {
        return "no data to lose".into();
    }
    match p.strategy {
        Strategy::BackupRestore => {
            format!("backups every {} + {} copy lag", fm(p.backup_interval_min), fm(a.copy_lag_min))
        }
        _ if p.rtc => "continuous replication; S3 with Replication Time Control (15m SLA)".into(),
        _ => "continuous replication".into(),
    }
}

fn why_rto(p: &Plan, fp: &Footprint, a: &Assumptions) -> String {
    let failover = format!("{} failover", fm(a.failover_min));
    match p.strategy {
        Strategy::BackupRestore => format!(
            "{failover} + {} provisioning + {:.0} GiB ÷ {} GiB/h = {} restore",
            fm(a.provision_min),
            fp.data_gib(),
            a.restore_gib_per_hour,
            fm(a.restore_min(fp.data_gib()))
        ),
        _ if !fp.has_compute() => failover,
        Strategy::PilotLight => format!("{failover} + {} to start the fleet", fm(a.pilot_light_start_min)),
        Strategy::WarmStandby => format!("{failover} + {} to scale out", fm(a.warm_scale_out_min)),
        Strategy::MultiSite => failover,
    }
}

fn lines(title: &str, bill: &Bill) -> String {
    let mut out = format!("{title}:");
    for l in &bill.lines {
        out.push_str(&format!("\n  {}", l.arithmetic()));
    }
    if bill.lines.is_empty() {
        out.push_str("\n  nothing");
    }
    out
}

pub fn draft(j: &Judged) -> Option<(Draft, bool)> {
    let (index, fix, meets) = match j.decision.verdict {
        Verdict::AtCheapest => return None,
        Verdict::Cheaper(i) => (i, false, true),
        Verdict::Fix(i, meets) => (i, true, meets),
    };
    let (fp, cur, plan, a) = (j.fp, j.current, &j.plans[index], j.a);
    let w = fp.workload;
    let dr = fp.dr.as_str();
    let primary = w.primary.clone().unwrap_or_default();
    let (cur_total, plan_total) = (cur.bill.total(), plan.bill.total());
    let status = j.decision.status.as_str();
    let targets = format!("RPO {} / RTO {}", fm(j.rpo_target), fm(j.rto_target));

    let mut r = format!(
        "{} ({}; {primary} → {dr}{}) targets {targets}. ",
        w.name,
        w.sources.join(", "),
        if w.dr_inferred { ", recovery region inferred from where its members run" } else { "" }
    );
    match (cur.rpo_min, cur.rto_min) {
        (Some(rpo), Some(rto)) => r.push_str(&format!(
            "Now ({status}): {} — {} — achievable RPO {}, RTO {}; these DR mechanisms cost {}. ",
            cur.label(),
            cur.mechanisms.join("; "),
            fm(rpo),
            fm(rto),
            money(cur_total)
        )),
        _ => r.push_str(&format!(
            "Now ({status}): {}; a regional outage loses that data (RPO unbounded). Mechanisms found: {}; they cost {}. ",
            cur.notes.iter().find(|n| n.starts_with("no copy")).cloned().unwrap_or_else(|| cur.label()),
            cur.mechanisms.join("; "),
            money(cur_total)
        )),
    }
    r.push_str(&format!(
        "{} {}: RPO {} ({}), RTO {} ({}), for {}. ",
        plan.strategy.label(),
        if meets { "meets both targets" } else { "comes closest (no modelled strategy meets both)" },
        fm(plan.rpo_min),
        why_rpo(plan, fp, a),
        fm(plan.rto_min),
        why_rto(plan, fp, a),
        money(plan_total)
    ));
    if cur.strategy == Some(plan.strategy) {
        r.push_str(&format!(
            "That is the strategy already named by what runs; the targets need it set up completely: {}. ",
            plan.setup.join("; ")
        ));
    }
    let mut unpriced: Vec<String> = Vec::new();
    for u in cur.bill.unpriced().into_iter().chain(plan.bill.unpriced()) {
        if !unpriced.contains(&u) {
            unpriced.push(u);
        }
    }
    match (cur_total, plan_total) {
        (Some(c), Some(p)) if fix && p >= c => {
            r.push_str(&format!("{} − {} = {}/month more: the cost to fix. ", usd(p), usd(c), usd(p - c)))
        }
        (Some(c), Some(p)) => r.push_str(&format!("{} − {} = {}/month less. ", usd(c), usd(p), usd(c - p))),
        _ => r.push_str(&format!(
            "Not priced — the catalog lacks {} (strategies ranked at us-east-1 list prices where those exist; every \
             line is in the cost note). ",
            unpriced.join("; ")
        )),
    }
    if !fix {
        r.push_str(&format!(
            "The recommendation keeps AWS Backup copies of every data store in {dr}, so no data is left with its only \
             copy removed; set them up first. "
        ));
    }
    if !j.dr_collected {
        r.push_str(&format!("{dr} was not collected: capacity running there is not seen. "));
    }
    let other_notes: Vec<&String> = cur.notes.iter().filter(|n| !n.starts_with("no copy")).collect();
    if !other_notes.is_empty() {
        r.push_str(&format!("Notes: {}.", other_notes.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("; ")));
    }

    let mut reasons = vec![format!(
        "modelled: RPO/RTO from the mechanisms found and the documented assumptions (restore {} GiB/h, provisioning {}, \
         copy lag {})",
        a.restore_gib_per_hour,
        fm(a.provision_min),
        fm(a.copy_lag_min)
    )];
    let mut confidence: f64 = 0.75;
    if !j.dr_collected {
        confidence *= 0.7;
        reasons.push(format!("{dr} not collected: standby capacity there unseen"));
    }
    if !unpriced.is_empty() {
        confidence *= 0.8;
        reasons.push(format!("{} cost line(s) unpriced", unpriced.len()));
    }
    if w.dr_inferred {
        confidence *= 0.9;
        reasons.push("recovery region inferred, not declared".into());
    }
    if fp.stores.iter().any(|s| s.gib == 0.0) {
        confidence *= 0.9;
        reasons.push("some data sizes unknown".into());
    }
    let new_copies = fp.stores.iter().zip(&cur.protection).filter(|(_, p)| p.mode == Mode::Unprotected).count();
    let mut acts = actions(fp, cur, plan, a.backup_retention_days);
    acts.push(Action::new(
        "note",
        format!("{}\n{}", lines("Cost now", &cur.bill), lines(plan.strategy.label(), &plan.bill)),
    ));
    let draft = Draft {
        resource: Resource {
            arn_or_id: format!("dr-workload/{}", w.name),
            kind: "dr-workload".into(),
            account_id: w.account.clone(),
            region: primary,
            name: w.name.clone(),
            tags: BTreeMap::from([("dr-status".to_string(), status.to_string())]),
        },
        current: (
            format!(
                "{status}: {} (RPO {}, RTO {} vs {targets})",
                cur.label(),
                cur.rpo_min.map(fm).unwrap_or_else(|| "unbounded".into()),
                cur.rto_min.map(fm).unwrap_or_else(|| "unbounded".into())
            ),
            cur_total,
        ),
        recommended: (
            format!("{} (RPO {}, RTO {})", plan.strategy.label(), fm(plan.rpo_min), fm(plan.rto_min)),
            plan_total,
        ),
        one_time_cost_usd: if new_copies > 0 { j.seed_usd } else { 0.0 },
        unpriced_reason: (cur_total.is_none() || plan_total.is_none()).then(|| unpriced.join("; ")),
        savings_range: None,
        confidence,
        confidence_reasons: reasons,
        performance_risk: if fix { 0 } else { 1 },
        migration_effort: match (fix, plan.strategy) {
            (false, _) => MigrationEffort::Low,
            (true, Strategy::BackupRestore) => MigrationEffort::Low,
            (true, Strategy::MultiSite) => MigrationEffort::High,
            (true, _) => MigrationEffort::Medium,
        },
        evidence: evidence(j.window_days, fp, cur, j.plans, a, j.rpo_target, j.rto_target),
        rationale: r,
        actions: acts,
    };
    Some((draft, fix))
}
