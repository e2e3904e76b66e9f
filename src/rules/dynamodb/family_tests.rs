//! The family's promises on the whole demo account: every rule reports something, no
//! finding saves more than it costs, and no table or GSI is claimed by two capacity
//! findings.

use crate::pricing::PriceBook;

use super::test_tables::{findings_of, run_all};

#[test]
fn on_the_demo_no_dollar_is_claimed_twice_or_beyond_its_cost() {
    let snap = crate::demo::generate(1, crate::demo::DEFAULT_SEED);
    let outs = run_all(&snap, "", &PriceBook::embedded());
    let all = findings_of(&outs);
    for rule in ["dynamodb.capacity-mode", "dynamodb.overprovisioned", "dynamodb.table-class"] {
        assert!(all.iter().any(|f| f.rule == rule), "the demo has a {rule} finding");
    }
    for f in &all {
        if let (Some(saving), Some(cost)) = (f.monthly_savings_usd, f.current.monthly_cost_usd) {
            assert!(saving > 0.0 && saving <= cost, "{}: saves {saving} of {cost}", f.resource.name);
        }
        assert!(f.savings_reason_is_consistent(), "{}", f.resource.name);
    }
    let capacity: Vec<_> = all.iter().filter(|f| f.rule != "dynamodb.table-class").collect();
    for (i, a) in capacity.iter().enumerate() {
        for b in &capacity[i + 1..] {
            let (x, y) = (&a.resource.arn_or_id, &b.resource.arn_or_id);
            assert_ne!(x, y, "{x} claimed by {} and {}", a.rule, b.rule);
            // A whole-table mode change owns its GSIs too.
            let whole = |f: &crate::report::Finding| {
                f.recommended.description.contains("for the table")
                    || f.recommended.description.contains("on the table")
            };
            if whole(a) {
                assert!(!y.starts_with(&format!("{x}/")), "{y} inside {x}'s mode change");
            }
            if whole(b) {
                assert!(!x.starts_with(&format!("{y}/")), "{x} inside {y}'s mode change");
            }
        }
    }
}

trait Consistent {
    fn savings_reason_is_consistent(&self) -> bool;
}

impl Consistent for crate::report::Finding {
    /// Unpriced findings say why; priced ones have no unpriced reason.
    fn savings_reason_is_consistent(&self) -> bool {
        self.monthly_savings_usd.is_some() == self.unpriced_reason.is_none()
    }
}
