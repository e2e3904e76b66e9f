//! Status (met / breached) and the one recommendation per workload.
//!
//! Strategies are ranked by monthly cost (own-region prices, else us-east-1 list prices
//! for ranking only; a price missing everywhere counts as nothing in the rank but leaves
//! the figure unpriced), ties going to the cheaper-and-slower strategy.

use super::model::Plan;
use super::posture::Current;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Met,
    Breached,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::Breached => "breached",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// Met, and no cheaper strategy meets the targets.
    AtCheapest,
    /// Met, and plan `0` meets them for less.
    Cheaper(usize),
    /// Breached; plan `0` is the cheapest that meets both targets (`true`), or the one
    /// that comes closest when none does (`false`).
    Fix(usize, bool),
}

pub struct Decision {
    pub status: Status,
    pub verdict: Verdict,
}

/// Below this a cheaper strategy is not cheaper (USD/month).
const EPSILON_USD: f64 = 0.005;

pub fn decide(current: &Current, plans: &[Plan], rpo_target: f64, rto_target: f64) -> Decision {
    let met = matches!((current.rpo_min, current.rto_min), (Some(rpo), Some(rto)) if rpo <= rpo_target + 1e-9 && rto <= rto_target + 1e-9);
    let by_rank = |a: &usize, b: &usize| plans[*a].bill.rank().total_cmp(&plans[*b].bill.rank()).then(a.cmp(b));
    let cheapest = (0..plans.len()).filter(|&i| plans[i].meets(rpo_target, rto_target)).min_by(by_rank);
    if met {
        let verdict = match cheapest {
            Some(i)
                if Some(plans[i].strategy) != current.strategy
                    && plans[i].bill.rank() < current.bill.rank() - EPSILON_USD =>
            {
                Verdict::Cheaper(i)
            }
            _ => Verdict::AtCheapest,
        };
        return Decision { status: Status::Met, verdict };
    }
    let verdict = match cheapest {
        Some(i) => Verdict::Fix(i, true),
        None => {
            let closest = (0..plans.len())
                .min_by(|a, b| {
                    let (sa, sb) =
                        (plans[*a].shortfall(rpo_target, rto_target), plans[*b].shortfall(rpo_target, rto_target));
                    sa.total_cmp(&sb).then_with(|| by_rank(a, b))
                })
                .unwrap_or(0);
            Verdict::Fix(closest, false)
        }
    };
    Decision { status: Status::Breached, verdict }
}
