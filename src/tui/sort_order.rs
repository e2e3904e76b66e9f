//! Sort orders of the findings table. Every key becomes an integer first (values
//! become their rank), so sorting 100,000 findings is one integer sort per order.

use crate::report::Finding;

/// A sortable column of the findings table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    Savings,
    Rule,
    Resource,
    Account,
    Region,
    Confidence,
    Risk,
}

impl Column {
    pub const ALL: [Column; 7] = [
        Column::Savings,
        Column::Rule,
        Column::Resource,
        Column::Account,
        Column::Region,
        Column::Confidence,
        Column::Risk,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Column::Savings => "savings",
            Column::Rule => "rule",
            Column::Resource => "resource",
            Column::Account => "account",
            Column::Region => "region",
            Column::Confidence => "confidence",
            Column::Risk => "risk",
        }
    }

    /// Numbers sort biggest first, names A→Z.
    pub fn natural_descending(self) -> bool {
        matches!(self, Column::Savings | Column::Confidence | Column::Risk)
    }

    pub fn next(self) -> Column {
        let i = Column::ALL.iter().position(|c| *c == self).unwrap_or(0);
        Column::ALL[(i + 1) % Column::ALL.len()]
    }

    pub(crate) fn slot(self, descending: bool) -> usize {
        let i = Column::ALL.iter().position(|c| *c == self).unwrap_or(0);
        i * 2 + usize::from(descending)
    }
}

/// What every sort order shares: the findings ranked by savings (biggest first,
/// then report order). That ranking is the default order and the tie-break of all
/// the others.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SavingsRanking {
    /// Finding indices, biggest savings first.
    pub order: Vec<u32>,
    /// For each finding, its position in `order`.
    rank: Vec<u32>,
}

impl SavingsRanking {
    pub fn new(findings: &[Finding]) -> SavingsRanking {
        let keys: Vec<u64> =
            findings.iter().map(|f| !ordered_bits(f.monthly_savings_usd.unwrap_or(f64::NEG_INFINITY))).collect();
        let mut order: Vec<u32> = (0..findings.len() as u32).collect();
        order.sort_unstable_by_key(|&i| (keys[i as usize], i));
        let mut rank = vec![0u32; findings.len()];
        for (position, &i) in order.iter().enumerate() {
            rank[i as usize] = position as u32;
        }
        SavingsRanking { order, rank }
    }
}

/// Display order for a column, in both directions (ascending, descending). Ties:
/// biggest savings first, then report order — the same in both directions.
pub fn sort_orders(findings: &[Finding], savings: &SavingsRanking, column: Column) -> (Vec<u32>, Vec<u32>) {
    if column == Column::Savings {
        let descending = savings.order.clone();
        let ascending = descending.iter().rev().copied().collect();
        return (ascending, descending);
    }
    let ranks = column_ranks(findings, column);
    let top = ranks.iter().copied().max().unwrap_or(0);
    let order_by = |descending: bool| -> Vec<u32> {
        // (column rank, savings rank) packed into one integer: one integer sort.
        let mut keys: Vec<u64> = ranks
            .iter()
            .zip(&savings.rank)
            .map(|(&r, &s)| (u64::from(if descending { top - r } else { r }) << 32) | u64::from(s))
            .collect();
        keys.sort_unstable();
        keys.iter().filter_map(|k| savings.order.get((k & 0xffff_ffff) as usize).copied()).collect()
    };
    (order_by(false), order_by(true))
}

/// Dense rank of each finding's value in `column` (equal values, equal rank).
fn column_ranks(findings: &[Finding], column: Column) -> Vec<u32> {
    fn name(f: &Finding, column: Column) -> &str {
        match column {
            Column::Rule => &f.rule,
            Column::Resource => &f.resource.name,
            Column::Account => &f.resource.account_id,
            _ => &f.resource.region,
        }
    }
    let n = findings.len();
    let mut order: Vec<u32> = (0..n as u32).collect();
    let same: Box<dyn Fn(u32, u32) -> bool> = match column {
        Column::Risk => return findings.iter().map(|f| u32::from(f.performance_risk)).collect(),
        Column::Savings | Column::Confidence => {
            let bits: Vec<u64> = findings
                .iter()
                .map(|f| {
                    ordered_bits(if column == Column::Savings {
                        f.monthly_savings_usd.unwrap_or(f64::NEG_INFINITY)
                    } else {
                        f.confidence
                    })
                })
                .collect();
            order.sort_unstable_by_key(|&i| bits[i as usize]);
            Box::new(move |a, b| bits[a as usize] == bits[b as usize])
        }
        Column::Rule | Column::Resource | Column::Account | Column::Region => {
            order.sort_unstable_by(|&a, &b| {
                name(&findings[a as usize], column).cmp(name(&findings[b as usize], column))
            });
            Box::new(move |a, b| name(&findings[a as usize], column) == name(&findings[b as usize], column))
        }
    };
    let mut ranks = vec![0u32; n];
    let mut rank = 0u32;
    for w in 0..order.len() {
        if w > 0 && !same(order[w - 1], order[w]) {
            rank += 1;
        }
        ranks[order[w] as usize] = rank;
    }
    ranks
}

/// The bits of a float, mapped so that integer order is numeric order (NaN last).
fn ordered_bits(x: f64) -> u64 {
    let bits = if x.is_nan() { f64::INFINITY.to_bits() } else { x.to_bits() };
    if bits >> 63 == 1 { !bits } else { bits | (1 << 63) }
}

#[cfg(test)]
mod tests {
    use super::ordered_bits;

    #[test]
    fn float_keys_sort_numerically() {
        let xs = [f64::NEG_INFINITY, -10.0, -0.5, 0.0, 0.25, 3.0, 1e9, f64::INFINITY];
        assert!(xs.windows(2).all(|w| ordered_bits(w[0]) < ordered_bits(w[1])), "{xs:?}");
    }
}
