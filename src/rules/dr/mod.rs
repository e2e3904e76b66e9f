//! DR rules: `dr.tier` — the cheapest disaster-recovery strategy that still meets each
//! workload's RPO and RTO.
//!
//! Reading (`frames`, `inventory`, shared per run by `analysis`): resources with their
//! tags, the mechanisms collectors found (`dr_posture`) and declared workloads
//! (`dr_workloads`, with tierwise.toml's `[[dr.workload]]` overlaid by `declared`).
//! `workloads` resolves membership and targets; `footprint` turns a workload into data
//! stores and compute; `posture` judges what is deployed; `model` prices and times the
//! four strategies from building blocks in `costs` (lines in a `bill`); `decide` picks
//! one recommendation; `finding`, `evidence` and `actions` write it up. `standby` tells
//! the EC2 family which instances are standby capacity, so no EC2 finding claims them.

mod actions;
mod analysis;
mod bill;
mod costs;
mod decide;
pub mod declared;
pub mod duration;
mod evidence;
mod finding;
mod footprint;
mod frames;
mod inventory;
mod model;
mod posture;
mod settings;
pub mod standby;
pub mod strategy;
pub mod tier;
mod workloads;

#[cfg(test)]
mod test_account;
#[cfg(test)]
mod tier_tests;
#[cfg(test)]
mod workloads_tests;

pub use declared::{Declared, with_declared};
pub use standby::{StandbySet, standby_instances};
pub use strategy::Strategy;
pub use tier::Tier;
pub use workloads::{TAG_DR_REGION, TAG_RPO, TAG_RTO, TAG_WORKLOAD};

use crate::rules::Family;

pub static FAMILY: Family = Family {
    name: "dr",
    title: "Disaster recovery",
    doc: "One rule, `dr.tier`, judges each workload's DR posture against its RPO and RTO and prices the four \
          strategies (backup & restore, pilot light, warm standby, multi-site active/active) side by side. The \
          parameters below are the model's assumptions — every one documented, every one overridable under \
          `[rules.dr]` (docs/dr.md explains the model). Capacity a workload keeps in its recovery region is \
          `dr.tier`'s: the EC2 rules leave it alone (an idle standby is reported as DR capacity, not as idle), so \
          a DR finding and an EC2 finding never claim the same instance-hours.",
    params: settings::FAMILY_PARAMS,
    rules: &[&Tier],
};
