//! The Report (`model`, `summary`: what rules produce) and its presenters (`json`,
//! `markdown`, `csv`, chosen through `present`). Presenters only format: every number
//! they print is already in the Report, so the TUI and the JSON never disagree.

pub mod csv;
pub mod currency;
pub mod json;
pub mod markdown;
pub mod model;
pub mod present;
mod provenance;
mod summary;

pub use model::*;
pub use provenance::*;
pub use summary::{HIGH_CONFIDENCE, ReportFilter, keeps_savings, round_cents, severity_for, stable_id, summarize};
