//! EC2 rules: `ec2.idle`, `ec2.rightsize`, `ec2.previous-generation`, `ec2.graviton`.
//!
//! They share one analysis per run (`analysis::Ec2Analysis`): per-instance usage
//! statistics from one lazy Polars query (`stats`) and the hourly rows grouped by
//! instance once (`hourly`: hour-of-week masks, the charts' series), instances grouped into units (a
//! standalone instance, or one Auto Scaling group / EKS node group), and one decision
//! per unit in a fixed precedence — idle, rightsize, previous generation, Graviton.
//! Each rule reports the units whose decision is its own, so an instance is never
//! counted twice; the alternatives a finding beat (the Graviton option of a
//! rightsizing, …) are in its evidence. The three type-change rules are one rule kind
//! (`type_change::TypeChange`) with different selectors and wording.

mod actions;
mod analysis;
mod catalog;
mod demand;
mod drafting;
mod evidence;
mod fleet;
mod hourly;
mod off_hours;
mod settings;
mod sizing;
mod stats;
mod type_change;

pub mod graviton;
pub mod idle;
pub mod previous_generation;
pub mod rightsize;
pub mod schedule;

pub use graviton::GRAVITON;
pub use idle::Idle;
pub use previous_generation::PREVIOUS_GENERATION;
pub use rightsize::RIGHTSIZE;
pub use schedule::StopSchedule;

#[cfg(test)]
mod effective_rate_tests;
#[cfg(test)]
mod graviton_tests;
#[cfg(test)]
mod idle_tests;
#[cfg(test)]
mod previous_generation_tests;
#[cfg(test)]
mod rightsize_tests;
#[cfg(test)]
mod stats_reference_tests;
#[cfg(test)]
mod test_fleet;

use super::warning_log::WarningLog;
use crate::rules::Family;

pub static FAMILY: Family = Family {
    name: "ec2",
    title: "EC2 instances",
    doc: "The five rules share one analysis per run and one decision per unit — a standalone instance, or one \
          Auto Scaling group or EKS node group (one finding for the group, sized for its busiest member, savings \
          summed over members). Precedence: `ec2.idle` first (low on most days of the window; an idle unit gets \
          nothing else); then the best type change — `ec2.rightsize` (a smaller type; its finding shows the \
          Graviton alternative), else `ec2.previous-generation` (a like-for-like current-generation type), else \
          `ec2.graviton` — unless `ec2.schedule` (stop outside the hours it is used) saves more, in which case the \
          schedule is the finding and the type change its alternative. So no instance is ever counted twice, \
          whatever the parameters. Every target keeps what the workload may depend on: GPUs and accelerators \
          (kind and count), instance storage (kind, NVMe, size), EFA, the baseline network bandwidth (not the \
          \"Up to\" burst), at least the current memory when memory is not measured, and — for burstable \
          targets — a CPU baseline that sustains the mean load (surplus credits are not in the price book, so a \
          target that would need them is not offered). Families tierwise does not know (GPU, HPC, storage, …) are \
          sized within their own family only. Platforms are priced as billed (usage operation / platform \
          details: RHEL, SUSE, SQL Server, Windows, …); only what the price book holds is priced, the rest is \
          unpriced with a warning, and only platforms with an arm64 build get Graviton advice. The parameters \
          below are the family's: set once under `[rules.ec2]`, they apply to every EC2 rule.",
    params: settings::FAMILY_PARAMS,
    rules: &[&Idle, &StopSchedule, &RIGHTSIZE, &PREVIOUS_GENERATION, &GRAVITON],
};

/// The family's warnings: 20 of each kind word for word, the rest counted.
fn warning_log() -> WarningLog {
    WarningLog::new(20, |extra, kind| format!("… and {extra} more {kind}"))
}
#[cfg(test)]
mod trust_tests;
