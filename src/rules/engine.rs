//! The engine: run every enabled rule over a snapshot, collect findings and warnings.
//!
//! Rules price at list (`PriceBook::at_list_prices`), each family through its own
//! lookup log; `rates::settle` then turns each finding's money into the rate the account
//! pays (configured discounts, or its CUR/FOCUS effective rates, per resource where the
//! bill names it) and records which sources priced it. A family whose prices in one
//! region carry different rate factors (services with different discounts) is run a
//! second time at effective prices, so its headline figures stay exact.

use std::collections::HashMap;
use std::sync::Arc;

use crate::pricing::PriceBook;
use crate::pricing::lookup_log::LookupLog;
use crate::report::{Finding, Warning};
use crate::snapshot::Snapshot;

use super::{FAMILIES, Family, Rule, RuleContext, RuleTables, Shared, rates};

/// One rule's unfiltered output.
struct RuleRun {
    family: usize,
    findings: Vec<Finding>,
    warnings: Vec<Warning>,
    min_savings: f64,
}

/// Run all enabled rules (concurrently; rules of a family share their analysis through
/// one per-run cache) and return their findings, sorted by monthly savings (largest
/// first), and warnings.
pub fn run_rules(snapshot: &Snapshot, prices: &PriceBook, tables: &RuleTables) -> (Vec<Finding>, Vec<Warning>) {
    let list = prices.at_list_prices();
    let logs: Vec<Arc<LookupLog>> = FAMILIES.iter().map(|_| LookupLog::new()).collect();
    let books: Vec<PriceBook> = logs.iter().map(|log| list.logged(Arc::clone(log))).collect();
    let runs = run_pass(snapshot, &books, tables, &|_| true);
    let mixed: Vec<bool> = logs.iter().map(|l| l.has_mixed_factors()).collect();
    let mut effective: HashMap<String, Finding> = HashMap::new();
    if mixed.iter().any(|m| *m) {
        let books: Vec<PriceBook> = FAMILIES.iter().map(|_| prices.clone()).collect();
        for run in run_pass(snapshot, &books, tables, &|i| mixed[i]) {
            effective.extend(run.findings.into_iter().map(|f| (f.id.clone(), f)));
        }
    }
    let mut findings = Vec::new();
    let mut warnings = Vec::new();
    for run in runs {
        let log = &logs[run.family];
        let settled = run.findings.into_iter().map(|f| {
            let used = log.region(&f.resource.region);
            let twin = effective.get(&f.id);
            rates::settle(f, prices, &used, twin)
        });
        for f in settled {
            // Unpriced findings and costs-to-fix are always reported; ranges by their top.
            if crate::report::keeps_savings(&f, run.min_savings) {
                findings.push(f);
                continue;
            }
            let list = f.pricing.as_ref().and_then(|p| p.list.as_ref()).and_then(|l| l.monthly_savings_usd);
            if let (Some(list), Some(s)) = (list, f.monthly_savings_usd)
                && list >= run.min_savings
            {
                warnings.push(Warning {
                    source: format!("rule {}", f.rule),
                    message: format!(
                        "{}: saves {} a month at list prices but {} at the account's rates, below min_savings_usd; \
                         not reported",
                        f.resource.name,
                        crate::money::usd(list),
                        crate::money::usd(s)
                    ),
                });
            }
        }
        warnings.extend(run.warnings);
    }
    findings.sort_by(|a, b| {
        let key = |f: &Finding| f.monthly_savings_usd.unwrap_or(f64::NEG_INFINITY);
        key(b).total_cmp(&key(a)).then_with(|| a.id.cmp(&b.id))
    });
    (findings, warnings)
}

/// Run the rules of the families `which` selects, family `i` with `books[i]`.
fn run_pass(
    snapshot: &Snapshot,
    books: &[PriceBook],
    tables: &RuleTables,
    which: &(dyn Fn(usize) -> bool + Sync),
) -> Vec<RuleRun> {
    let shared = Shared::default();
    let rules: Vec<(usize, &Family, &'static dyn Rule)> = FAMILIES
        .iter()
        .enumerate()
        .filter(|(i, _)| which(*i))
        .flat_map(|(i, f)| f.rules.iter().map(move |r| (i, *f, *r)))
        .collect();
    std::thread::scope(|scope| {
        let shared = &shared;
        let handles: Vec<_> = rules
            .iter()
            .map(|(i, family, rule)| {
                let book = &books[*i];
                scope.spawn(move || run_one(family, *rule, snapshot, book, tables, shared))
            })
            .collect();
        handles
            .into_iter()
            .zip(rules.iter())
            .map(|(h, (i, _, rule))| {
                let (findings, warnings, min_savings) = h.join().unwrap_or_else(|_| {
                    let msg = "the rule failed unexpectedly (internal error); its findings are missing";
                    (Vec::new(), vec![warning(*rule, msg.into())], 0.0)
                });
                RuleRun { family: *i, findings, warnings, min_savings }
            })
            .collect()
    })
}

fn warning(rule: &dyn Rule, message: String) -> Warning {
    Warning { source: format!("rule {}", rule.id()), message }
}

fn run_one(
    family: &Family,
    rule: &dyn Rule,
    snapshot: &Snapshot,
    prices: &PriceBook,
    tables: &RuleTables,
    shared: &Shared,
) -> (Vec<Finding>, Vec<Warning>, f64) {
    let params = tables.params_for(family, rule);
    if !params.flag("enabled") {
        return (Vec::new(), Vec::new(), 0.0);
    }
    let missing: Vec<&str> = rule.needs().iter().filter(|f| !snapshot.has(**f)).map(|f| f.as_str()).collect();
    if !missing.is_empty() {
        let msg = format!("skipped: the snapshot has no {} frame(s), which this rule needs", missing.join(", "));
        return (Vec::new(), vec![warning(rule, msg)], 0.0);
    }
    let ctx = RuleContext { snapshot, prices, params: &params, shared };
    let min = params.num("min_savings_usd");
    let _span = tracing::debug_span!("rule", id = rule.id()).entered();
    match rule.evaluate(&ctx) {
        Ok(out) => (out.findings, out.warnings.into_iter().map(|m| warning(rule, m)).collect(), min),
        Err(e) => (Vec::new(), vec![warning(rule, format!("failed: {e}"))], min),
    }
}
