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
            if (f_cur, f_rec) != (1.0, 1.0) {
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
    let current = f.current.monthly_cost_usd.map(|c| round_cents(c * f_cur));
    let recommended = f.recommended.monthly_cost_usd.map(|r| round_cents(r * f_rec));
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
    let (Some(c), Some(r), Some(s)) = (f.current.monthly_cost_usd, f.recommended.monthly_cost_usd, f.monthly_savings_usd)
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
