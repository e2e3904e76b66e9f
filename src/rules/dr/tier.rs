//! `dr.tier`: per workload, the status of its DR posture against its RPO/RTO targets,
//! every strategy's cost side by side, and one finding — a cheaper strategy that still
//! meets both targets, or the cheapest one that fixes a breach.

use crate::report::{Category, Severity};
use crate::rules::{Param, Rule, RuleContext, RuleError, RuleOutput};
use crate::snapshot::FrameName;

use super::analysis::DrData;
use super::costs::Pricer;
use super::decide::{Status, Verdict, decide};
use super::finding::{Judged, draft};
use super::footprint::footprint;
use super::model::plan;
use super::posture::{Mode, current};
use super::settings::Assumptions;
use super::strategy::Strategy;

pub struct Tier;

/// Workloads named in one warning beyond this many are counted instead.
const MAX_NAMED: usize = 20;

fn named(names: &[String]) -> String {
    let extra = names.len().saturating_sub(MAX_NAMED);
    let mut s = names.iter().take(MAX_NAMED).cloned().collect::<Vec<_>>().join(", ");
    if extra > 0 {
        s.push_str(&format!(" and {extra} more"));
    }
    s
}

impl Rule for Tier {
    fn id(&self) -> &'static str {
        "dr.tier"
    }
    fn title(&self) -> &'static str {
        "The cheapest DR strategy that still meets each workload's RPO and RTO"
    }
    fn category(&self) -> Category {
        Category::DrTier
    }
    fn needs(&self) -> &'static [FrameName] {
        &[]
    }
    fn params(&self) -> &'static [Param] {
        &[]
    }
    fn method(&self) -> &'static str {
        "Workloads and targets come from `[[dr.workload]]` in tierwise.toml, the snapshot's `dr_workloads` and the \
         tags `tierwise:workload`, `tierwise:rto`, `tierwise:rpo`, `tierwise:dr-region` (durations like 15m, 4h, 1d; \
         see docs/dr.md for membership and conflicts). Per data store (stateful EC2 servers' EBS, S3 buckets, \
         DynamoDB tables, RDS/Aurora) the rule finds its best copy in the recovery region — a replica (S3 \
         replication, global table, read replica or global database, Elastic Disaster Recovery), a backup copy \
         (AWS Backup copy action, replicated RDS automated backups) or none — and the capacity running there \
         (instances and Auto Scaling groups of the workload). Current RPO = the worst store's (a backup: its \
         schedule interval + copy lag; S3 replication: 15 minutes with RTC, `s3_crr_rpo_min` without); current \
         RTO = failover + the time to get compute serving (none running: provisioning, groups at zero or DRS: \
         pilot-light start, a scaled-down copy: scale-out, a full copy: nothing) + restores from backups (GiB ÷ \
         `restore_gib_per_hour`). Status: met when both are within target, else breached. Each of the four \
         strategies is then modelled for the workload (docs/dr.md): backup & restore on the longest schedule that \
         meets the RPO; pilot light with every store replicated and no compute; warm standby with \
         `warm_standby_scale_pct` of each fleet running; multi-site with all of it. Every strategy keeps AWS \
         Backup copies of every store in the recovery region, so a downgrade never removes the only copy. Costs \
         are priced line by line in the region AWS bills them (backup and copy storage per resource type, copy \
         and replication transfer, RTC, replica storage and PUTs, replicated writes, DRS per server, standby \
         instances and volumes); a price the catalog lacks leaves the figure unpriced and named (strategies are \
         then ranked at us-east-1 list prices). One finding per workload: met and a cheaper strategy meets both \
         targets → a saving (current − recommended); breached → the cheapest strategy that meets both (or the \
         closest) as a cost to fix, severity high. Same-region PITR is kept by every strategy and not compared. \
         Workloads without both targets, or without a recovery region, get one warning each, listing them."
    }

    fn evaluate(&self, ctx: &RuleContext) -> Result<RuleOutput, RuleError> {
        let a = Assumptions::from_params(ctx.params)?;
        let data = DrData::of(ctx)?;
        let inv = &data.inventory;
        let mut warnings: Vec<String> = inv.warnings.clone();
        warnings.extend(data.resolution.warnings.iter().cloned());
        let pricer = Pricer { prices: ctx.prices, a: &a };
        let (mut no_targets, mut no_region, mut empty) = (Vec::new(), Vec::new(), Vec::new());
        let mut statuses: Vec<String> = Vec::new();
        let mut findings = Vec::new();
        for w in &data.resolution.workloads {
            if w.conflict.is_some() {
                continue;
            }
            let (Some(rto), Some(rpo)) = (w.rto_min, w.rpo_min) else {
                no_targets.push(w.name.clone());
                continue;
            };
            if w.members.is_empty() {
                empty.push(w.name.clone());
                continue;
            }
            let Some(dr) = w.recovery_region() else {
                no_region.push(w.name.clone());
                continue;
            };
            let fp = footprint(inv, w, dr, ctx.prices);
            let cur = current(&fp, &pricer);
            let plans: Vec<_> = Strategy::ALL.iter().map(|s| plan(&fp, &pricer, *s, rpo)).collect();
            let decision = decide(&cur, &plans, rpo, rto);
            let seed_usd: f64 = fp
                .stores
                .iter()
                .zip(&cur.protection)
                .filter(|(_, p)| p.mode == Mode::Unprotected)
                .filter_map(|(s, _)| ctx.prices.usd(&s.res.region, "transfer.inter_region.gb").ok().map(|p| p * s.gib))
                .sum();
            if let Some(d) = w.declared_strategy.filter(|d| Some(*d) != cur.strategy) {
                warnings.push(format!(
                    "workload `{}` is declared {} but what is deployed amounts to {}",
                    w.name,
                    d.label(),
                    cur.label()
                ));
            }
            statuses.push(format!(
                "{} {}{}",
                w.name,
                decision.status.as_str(),
                match decision.verdict {
                    Verdict::AtCheapest => " (at its cheapest compliant strategy)",
                    Verdict::Cheaper(_) => " (a cheaper strategy also meets the targets)",
                    Verdict::Fix(_, true) => "",
                    Verdict::Fix(_, false) => " (no modelled strategy meets both targets)",
                }
            ));
            let judged = Judged {
                fp: &fp,
                current: &cur,
                plans: &plans,
                decision: &decision,
                a: &a,
                rpo_target: rpo,
                rto_target: rto,
                window_days: ctx.window_days(),
                dr_collected: inv.collected_regions.is_empty() || inv.collected_regions.iter().any(|r| r == dr),
                seed_usd,
            };
            if let Some((d, fix)) = draft(&judged) {
                let mut finding = d.finish(self);
                if fix || decision.status == Status::Breached {
                    finding.severity = Severity::High;
                }
                findings.push(finding);
            }
        }
        if !no_targets.is_empty() {
            warnings.push(format!(
                "{} workload(s) without both an RTO and an RPO target, not judged: {} — add tierwise:rto and \
                 tierwise:rpo tags (e.g. 4h, 15m) or rto/rpo in [[dr.workload]]",
                no_targets.len(),
                named(&no_targets)
            ));
        }
        if !no_region.is_empty() {
            warnings.push(format!(
                "{} workload(s) without a recovery region, not judged: {} — tag tierwise:dr-region or set dr_region \
                 in [[dr.workload]]",
                no_region.len(),
                named(&no_region)
            ));
        }
        if !empty.is_empty() {
            warnings.push(format!(
                "{} declared workload(s) match no resource in the snapshot: {}",
                empty.len(),
                named(&empty)
            ));
        }
        if !statuses.is_empty() {
            warnings.push(format!("DR status by workload: {}", named(&statuses)));
        }
        Ok(RuleOutput { findings, warnings })
    }
}
