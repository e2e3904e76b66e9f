//! The engine: run every enabled rule over a snapshot, collect findings and warnings.

use crate::pricing::PriceBook;
use crate::report::{Finding, Warning};
use crate::snapshot::Snapshot;

use super::{FAMILIES, Family, Rule, RuleContext, RuleTables, Shared};

/// Run all enabled rules (concurrently; rules of a family share their analysis through
/// one per-run cache) and return their findings, sorted by monthly savings (largest
/// first), and warnings.
pub fn run_rules(snapshot: &Snapshot, prices: &PriceBook, tables: &RuleTables) -> (Vec<Finding>, Vec<Warning>) {
    let shared = Shared::default();
    let rules: Vec<(&Family, &dyn Rule)> =
        FAMILIES.iter().flat_map(|f| f.rules.iter().map(move |r| (*f, *r))).collect();
    let results: Vec<(Vec<Finding>, Vec<Warning>)> = std::thread::scope(|scope| {
        let shared = &shared;
        let handles: Vec<_> = rules
            .iter()
            .map(|(family, rule)| scope.spawn(move || run_one(family, *rule, snapshot, prices, tables, shared)))
            .collect();
        handles
            .into_iter()
            .zip(rules.iter())
            .map(|(h, (_, rule))| {
                h.join().unwrap_or_else(|_| {
                    (
                        Vec::new(),
                        vec![warning(
                            *rule,
                            "the rule failed unexpectedly (internal error); its findings are missing".into(),
                        )],
                    )
                })
            })
            .collect()
    });
    let mut findings = Vec::new();
    let mut warnings = Vec::new();
    for (f, w) in results {
        findings.extend(f);
        warnings.extend(w);
    }
    findings.sort_by(|a, b| {
        let key = |f: &Finding| f.monthly_savings_usd.unwrap_or(f64::NEG_INFINITY);
        key(b).total_cmp(&key(a)).then_with(|| a.id.cmp(&b.id))
    });
    (findings, warnings)
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
) -> (Vec<Finding>, Vec<Warning>) {
    let params = tables.params_for(family, rule);
    if !params.flag("enabled") {
        return (Vec::new(), Vec::new());
    }
    let missing: Vec<&str> = rule.needs().iter().filter(|f| !snapshot.has(**f)).map(|f| f.as_str()).collect();
    if !missing.is_empty() {
        let msg = format!("skipped: the snapshot has no {} frame(s), which this rule needs", missing.join(", "));
        return (Vec::new(), vec![warning(rule, msg)]);
    }
    let ctx = RuleContext { snapshot, prices, params: &params, shared };
    match rule.evaluate(&ctx) {
        Ok(out) => {
            let min = params.num("min_savings_usd");
            let findings = out
                .findings
                .into_iter()
                // Unpriced findings and costs-to-fix are always reported; ranges by their top.
                .filter(|f| crate::report::keeps_savings(f, min))
                .collect();
            let warnings = out.warnings.into_iter().map(|m| warning(rule, m)).collect();
            (findings, warnings)
        }
        Err(e) => (Vec::new(), vec![warning(rule, format!("failed: {e}"))]),
    }
}
