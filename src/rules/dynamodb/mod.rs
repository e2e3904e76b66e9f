//! DynamoDB rules: `dynamodb.capacity-mode`, `dynamodb.overprovisioned` and
//! `dynamodb.table-class`.
//!
//! They share one analysis per run (`analysis::DynamoAnalysis`): each table and each
//! GSI is a capacity unit with its usage (`usage.rs`: per-minute data where the snapshot
//! has it, else hourly), its simulated auto-scaling (`simulate.rs`) and monthly
//! quantities any price list can price; one decision per table says which rule owns
//! which unit, and the table class is priced on the throughput that decision leaves.

mod actions;
mod analysis;
mod drafting;
mod evidence;
mod model;
mod prices;
mod series;
mod settings;
mod simulate;
mod usage;

pub mod capacity_mode;
pub mod overprovisioned;
pub mod table_class;

pub use capacity_mode::CapacityMode;
pub use overprovisioned::Overprovisioned;
pub use table_class::TableClass;

#[cfg(test)]
mod capacity_mode_tests;
#[cfg(test)]
mod family_tests;
#[cfg(test)]
mod overprovisioned_tests;
#[cfg(test)]
mod table_class_tests;
#[cfg(test)]
mod test_tables;

use super::warning_log::WarningLog;
use crate::rules::Family;

pub static FAMILY: Family = Family {
    name: "dynamodb",
    title: "DynamoDB tables",
    doc: "The three rules share one analysis per run. Each table and each of its global secondary indexes is a \
          capacity unit with its own metrics (the GlobalSecondaryIndexName dimension), provision and auto-scaling; \
          per-minute consumed capacity is used where the snapshot has it (`dynamodb_metrics_minute`), hourly \
          averages otherwise (with lower confidence, and the finding says which). One decision per table, in this \
          precedence: a billing-mode change of the whole table and its GSIs (`dynamodb.capacity-mode`), else per \
          provisioned unit without auto-scaling a lower fixed provision or auto-scaling (`dynamodb.overprovisioned` \
          when it never nears its provision, `dynamodb.capacity-mode` otherwise); so a table or GSI is claimed by at \
          most one capacity finding. `dynamodb.table-class` is computed after that decision, on the throughput it \
          leaves, so class and capacity savings add up without double counting. Throttled units are never \
          down-sized; units with less than `min_days` of data get no finding (a warning says so). Every price comes \
          from the price book (the configured discount applied); Standard-IA throughput and global-table \
          replicated writes are not in the catalog and are reported unpriced. The parameters below are the \
          family's: set once under `[rules.dynamodb]`.",
    params: settings::FAMILY_PARAMS,
    rules: &[&CapacityMode, &Overprovisioned, &TableClass],
};

/// The family's warnings: 20 of each kind word for word, the rest counted.
fn warning_log() -> WarningLog {
    WarningLog::new(20, |extra, kind| format!("… and {extra} more ({kind})"))
}
