//! Pieces of `analyze` (lib.rs): the account's effective rates from a snapshot's
//! `effective_rates` frame, and what priced each region of the report.

pub(crate) mod account_rates;
pub(crate) mod region_pricing;
