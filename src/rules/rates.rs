//! From a finding priced at list to the rate the account pays, and where its prices came
//! from (docs/pricing.md, "List and effective money").
//!
//! The engine runs rules at list prices through a per-family lookup log. For a finding
//! whose family read prices with one rate factor `f` in its region:
//!
//! - the current state is priced at the resource's own effective rate when the account's
//!   bill (CUR 2.0 / FOCUS) names the resource in that family (`f_res`), else at `f`;
//! - the recommended state at the account's effective rate for the family, `f` — but
//!   never below the resource's own (`max(f, f_res)`): a discount the resource does not
//!   have today is not assumed for its replacement. So the effective saving never
//!   exceeds the list saving (when the target costs less at list) nor the current cost.
//!
//! When the family read prices with several factors there (services with different
//! discounts), the engine's second run at effective prices gives the figures, and this
//! run's list figures are kept beside them.

use crate::money::usd;
use crate::pricing::lookup_log::RegionUse;
use crate::pricing::{PriceBook, PriceFamily, RateBasis};
use crate::report::{Finding, FindingPricing, ListMoney, PriceSource, Resource, round_cents, severity_for};

/// Settle one list-priced finding. `twin` is the same finding from the effective-price
/// run, when the family needed one.
pub fn settle(mut f: Finding, prices: &PriceBook, used: &RegionUse, twin: Option<&Finding>) -> Finding {
    let sources = used
        .origins
        .values()
        .rev()
        .map(|(o, n)| PriceSource {
            kind: o.kind().to_string(),
            detail: o.describe(),
            as_of: o.as_of().map(str::to_string),
            count: *n,
        })
        .collect();
    let mut pricing = FindingPricing {
        region: f.resource.region.clone(),
        sources,
        rates: RateBasis::List.as_str().into(),
        list: None,
        current_rate_factor: None,
        recommended_rate_factor: None,
        note: String::new(),
    };
    let list = ListMoney {
        current_monthly_cost_usd: f.current.monthly_cost_usd,
        recommended_monthly_cost_usd: f.recommended.monthly_cost_usd,
        monthly_savings_usd: f.monthly_savings_usd,
    };
    match (used.single_factor(), twin) {
        (Some((factor, basis)), _) => {
            let family = used.single_family();
            let own = family.and_then(|fam| resource_rate(prices, &f.resource, fam));
            let basis = if own.is_some() { RateBasis::Account } else { basis };
            let billed = own.is_some();
            let (f_cur, f_rec, note) = match own {
                Some((f_res, what)) => {
                    let f_rec = f_res.max(factor);
                    let note = format!(
                        "current: {what} ({}); recommended: the account's {} rate in {} ({:.3}){}",
                        factor_text(f_res),
                        family.map(|x| x.as_str()).unwrap_or("family"),
                        f.resource.region,
                        factor,
                        if f_rec > factor { ", raised to the resource's own rate" } else { "" }
                    );
                    (f_res, f_rec, note)
                }
                None => (factor, factor, basis_note(prices, basis, factor)),
            };
            pricing.rates = basis.as_str().into();
            let priced = f.current.monthly_cost_usd.is_some() || f.recommended.monthly_cost_usd.is_some();
            // A resource the bill names keeps its factors even at 1.0: the reader sees
            // that its replacement was not given the family's discount.
            if priced && (billed || (f_cur, f_rec) != (1.0, 1.0)) {
                pricing.current_rate_factor = Some(round_factor(f_cur));
                pricing.recommended_rate_factor = Some(round_factor(f_rec));
                pricing.note = note;
                apply(&mut f, f_cur, f_rec);
                f.rationale.push_str(&effective_sentence(&f, &list, basis));
                pricing.list = Some(list);
            }
        }
        (None, Some(twin)) => {
            // Mixed rates: the effective run's money and rationale, this run's list figures.
            pricing.rates = "mixed".into();
            pricing.note = "several services with different rates: figures from a run at each service's rate".into();
            f.current.monthly_cost_usd = twin.current.monthly_cost_usd;
            f.recommended.monthly_cost_usd = twin.recommended.monthly_cost_usd;
            f.monthly_savings_usd = twin.monthly_savings_usd;
            f.one_time_cost_usd = twin.one_time_cost_usd;
            f.payback_days = twin.payback_days;
            f.severity = twin.severity;
            f.rationale = twin.rationale.clone();
            if let Some(s) = list.monthly_savings_usd {
                f.rationale.push_str(&format!(" At list prices the saving would be {}/month.", usd(s)));
            }
            pricing.list = Some(list);
        }
        (None, None) if used.factors.len() > 1 => {
            // Several rates and no effective-price twin (the rule decided differently at
            // those rates): the figures stay at list, and say so.
            pricing.note = "several services with different rates; figures at list prices".into();
        }
        (None, None) => {}
    }
    f.pricing = Some(pricing);
    f
}

/// The resource's own effective rate from the bill: by its id, or the last segment of
/// an ARN (`…:table/orders` → `orders`) or its name.
fn resource_rate(prices: &PriceBook, r: &Resource, family: PriceFamily) -> Option<(f64, String)> {
    let tail = r.arn_or_id.rsplit(['/', ':']).next().unwrap_or_default();
    let rate = [r.arn_or_id.as_str(), tail, r.name.as_str()]
        .into_iter()
        .filter(|id| !id.is_empty())
        .find_map(|id| prices.resource_rate(id, family))?;
    let factor = rate.cost.factor()?;
    let source = prices.account_rates().map(|a| a.source.as_str()).unwrap_or("the bill");
    Some((factor, format!("the resource's {} rate in {source}", rate.coverage)))
}

fn apply(f: &mut Finding, f_cur: f64, f_rec: f64) {
    // A saving s at list (current c, recommended c − s) is c·f_cur − (c − s)·f_rec at the
    // account's rates: linear in s, so a range's ends move the same way (never above c·f_cur).
    if let (Some(range), Some(c)) = (f.monthly_savings_range_usd.as_mut(), f.current.monthly_cost_usd) {
        let at_rates = |s: f64| round_cents((c * (f_cur - f_rec) + s * f_rec).min(c * f_cur));
        range.low = at_rates(range.low);
        range.high = at_rates(range.high);
    }
    let current = f.current.monthly_cost_usd.map(|c| round_cents(c * f_cur));
    let mut recommended = f.recommended.monthly_cost_usd.map(|r| round_cents(r * f_rec));
    // A move that saves at list never costs more at the account's rates: when the
    // resource's own discount is deeper than the family's, the saving is 0, not negative.
    if let (Some(c), Some(r), Some(lc), Some(lr)) =
        (current, recommended, f.current.monthly_cost_usd, f.recommended.monthly_cost_usd)
        && lr <= lc
        && r > c
    {
        recommended = Some(c);
    }
    f.current.monthly_cost_usd = current;
    f.recommended.monthly_cost_usd = recommended;
    f.one_time_cost_usd = round_cents(f.one_time_cost_usd * f_rec);
    if let (Some(c), Some(r)) = (current, recommended) {
        let s = round_cents(c - r);
        f.monthly_savings_usd = Some(s);
        f.severity = severity_for(s.abs());
        f.payback_days = (s > 0.0).then(|| ((f.one_time_cost_usd / s) * (730.0 / 24.0) * 10.0).round() / 10.0);
    }
}

fn effective_sentence(f: &Finding, list: &ListMoney, basis: RateBasis) -> String {
    let (Some(c), Some(r), Some(s)) =
        (f.current.monthly_cost_usd, f.recommended.monthly_cost_usd, f.monthly_savings_usd)
    else {
        return String::new();
    };
    let what = match basis {
        RateBasis::Account => "the account's effective rates",
        _ => "the configured discounts",
    };
    let list_saving = list.monthly_savings_usd.map(|s| format!(" (list: {}/month)", usd(s))).unwrap_or_default();
    format!(
        " Dollar figures above are list prices; at {what}: {}/month now, {}/month after, saving {}/month{list_saving}.",
        usd(c),
        usd(r),
        usd(s)
    )
}

fn basis_note(prices: &PriceBook, basis: RateBasis, factor: f64) -> String {
    match basis {
        RateBasis::Account => format!(
            "the account's effective rate for this family and region in {} ({})",
            prices.account_rates().map(|a| a.source.as_str()).unwrap_or("the bill"),
            factor_text(factor)
        ),
        RateBasis::Configured => format!("configured discounts in tierwise.toml ({})", factor_text(factor)),
        RateBasis::List => String::new(),
    }
}

fn factor_text(f: f64) -> String {
    format!("{:.1} % below list", (1.0 - f) * 100.0)
}

fn round_factor(f: f64) -> f64 {
    (f * 10_000.0).round() / 10_000.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pricing::AccountRates;
    use crate::pricing::lookup_log::LookupLog;
    use crate::pricing::rates::RateLine;
    use crate::report::{Category, CostSide, Evidence, MigrationEffort, Severity};
    use std::sync::Arc;

    fn finding(id: &str, current: f64, recommended: f64) -> Finding {
        Finding {
            id: "f-1".into(),
            rule: "ec2.rightsize".into(),
            title: String::new(),
            category: Category::Rightsizing,
            severity: Severity::High,
            resource: Resource {
                arn_or_id: id.into(),
                kind: "ec2-instance".into(),
                account_id: String::new(),
                region: "us-east-1".into(),
                name: id.into(),
                tags: Default::default(),
            },
            current: CostSide { description: String::new(), monthly_cost_usd: Some(current) },
            recommended: CostSide { description: String::new(), monthly_cost_usd: Some(recommended) },
            monthly_savings_usd: Some(current - recommended),
            monthly_savings_range_usd: None,
            one_time_cost_usd: 0.0,
            payback_days: None,
            unpriced_reason: None,
            confidence: 0.9,
            confidence_reasons: Vec::new(),
            performance_risk: 0,
            migration_effort: MigrationEffort::Low,
            evidence: Evidence::default(),
            rationale: String::new(),
            actions: Vec::new(),
            pricing: None,
            converted: None,
        }
    }

    fn book() -> PriceBook {
        let line = |id: &str, coverage: &str, list: f64, eff: f64| RateLine {
            region: "us-east-1".into(),
            service: "AmazonEC2".into(),
            usage_type: "BoxUsage:m5.large".into(),
            operation: "RunInstances".into(),
            resource_id: id.into(),
            coverage: coverage.into(),
            list_usd: list,
            effective_usd: eff,
        };
        // i-od on demand (1.0), i-sp deeply covered (0.2): the family is (100 + 20) ÷ 200 = 0.6.
        let rates = AccountRates::from_lines(
            "test",
            [line("i-od", "on-demand", 100.0, 100.0), line("i-sp", "savings-plan", 100.0, 20.0)],
        );
        PriceBook::embedded().with_account_rates(rates)
    }

    fn used(book: &PriceBook) -> RegionUse {
        let log = LookupLog::new();
        let _ = book.logged(Arc::clone(&log)).ec2_hourly("us-east-1", "m5.large", "linux");
        log.region("us-east-1")
    }

    #[test]
    fn an_on_demand_resource_is_not_given_the_family_discount_for_its_replacement() {
        let book = book();
        let f = settle(finding("i-od", 100.0, 40.0), &book, &used(&book), None);
        // now 100 × 1.0 ; after 40 × max(0.6, 1.0) = 40 : saving 60 = the list saving (not 100 − 24 = 76).
        assert_eq!(f.monthly_savings_usd, Some(60.0));
        assert_eq!(f.pricing.as_ref().unwrap().recommended_rate_factor, Some(1.0));
    }

    #[test]
    fn a_deeply_covered_resource_never_shows_a_negative_saving() {
        let book = book();
        let f = settle(finding("i-sp", 100.0, 40.0), &book, &used(&book), None);
        // now 100 × 0.2 = 20 ; after 40 × 0.6 = 24 > 20: capped at 20, saving 0 (list 60).
        assert_eq!(f.current.monthly_cost_usd, Some(20.0));
        assert_eq!(f.monthly_savings_usd, Some(0.0));
        assert_eq!(f.pricing.unwrap().list.unwrap().monthly_savings_usd, Some(60.0));
    }
}
