//! Sort orders of the findings table. Every key becomes an integer first (names
//! become their rank), so sorting 100,000 findings compares integers only.

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

/// Display order for a column. Ties: biggest savings first, then report order, so the
/// order is total and deterministic in both directions. Every key is turned into an
/// integer first (names into their rank), so the sort compares integers only.
pub fn sort_order(findings: &[Finding], column: Column, descending: bool) -> Vec<u32> {
    let primary = column_keys(findings, column);
    let savings_desc: Vec<u64> =
        findings.iter().map(|f| !ordered_bits(f.monthly_savings_usd.unwrap_or(f64::NEG_INFINITY))).collect();
    let mut order: Vec<u32> = (0..findings.len() as u32).collect();
    order.sort_unstable_by_key(|&i| {
        let i = i as usize;
        let key = if descending { !primary[i] } else { primary[i] };
        (key, if column == Column::Savings { 0 } else { savings_desc[i] }, i)
    });
    order
}

/// A u64 per finding that sorts like the column's value.
fn column_keys(findings: &[Finding], column: Column) -> Vec<u64> {
    fn name(f: &Finding, column: Column) -> &str {
        match column {
            Column::Rule => &f.rule,
            Column::Resource => &f.resource.name,
            Column::Account => &f.resource.account_id,
            _ => &f.resource.region,
        }
    }
    match column {
        Column::Savings => {
            findings.iter().map(|f| ordered_bits(f.monthly_savings_usd.unwrap_or(f64::NEG_INFINITY))).collect()
        }
        Column::Confidence => findings.iter().map(|f| ordered_bits(f.confidence)).collect(),
        Column::Risk => findings.iter().map(|f| u64::from(f.performance_risk)).collect(),
        Column::Rule | Column::Resource | Column::Account | Column::Region => {
            let mut ranks: std::collections::BTreeMap<&str, u64> =
                findings.iter().map(|f| (name(f, column), 0)).collect();
            for (rank, value) in ranks.values_mut().enumerate() {
                *value = rank as u64;
            }
            findings.iter().map(|f| ranks.get(name(f, column)).copied().unwrap_or(0)).collect()
        }
    }
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
