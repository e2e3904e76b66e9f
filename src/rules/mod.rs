//! Rules: small types implementing one trait, grouped in one folder per family, each
//! with its own registry (`FAMILY`). This file lists the families, one line each;
//! `tierwise rules`, docs/rules.md and tierwise.example.toml are generated from them.

mod columns;
mod docs;
mod draft;
mod engine;
mod family;
pub mod params;
mod rates;
mod shared;
#[cfg(test)]
mod test_support;
mod warning_log;

pub mod dr;
pub mod dynamodb;
pub mod ebs;
pub mod ec2;
pub mod network;
pub mod s3;

/// Every rule family, in display order.
pub static FAMILIES: &[&Family] =
    &[&ebs::FAMILY, &ec2::FAMILY, &s3::FAMILY, &dynamodb::FAMILY, &network::FAMILY, &dr::FAMILY];

use std::sync::Arc;

use crate::pricing::{PriceBook, PriceError};
use crate::report::{Category, Finding};
use crate::snapshot::{FrameName, Snapshot};

pub use docs::{example_toml, rules_markdown, rules_text};
pub use engine::run_rules;
pub use family::Family;
pub use params::{Param, ParamError, ParamValue, Params, RuleTables};
pub use shared::Shared;

/// What a rule hands back: its findings and anything the user should know
/// (data too thin, a price missing, …).
#[derive(Debug, Default)]
pub struct RuleOutput {
    pub findings: Vec<Finding>,
    pub warnings: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum RuleError {
    #[error("query failed: {0}")]
    Query(#[from] polars::prelude::PolarsError),
    #[error(transparent)]
    Price(#[from] PriceError),
    #[error("{0}")]
    Data(String),
}

/// Everything a rule may read.
pub struct RuleContext<'a> {
    pub snapshot: &'a Snapshot,
    pub prices: &'a PriceBook,
    /// Common, family and own parameters, resolved.
    pub params: &'a Params,
    /// This run's shared analyses (see `shared.rs`).
    pub shared: &'a Shared,
}

impl RuleContext<'_> {
    /// A frame the rule declared in `needs()`; the engine guarantees it is present.
    pub fn frame(&self, name: FrameName) -> Result<&polars::prelude::DataFrame, RuleError> {
        self.snapshot.frame(name).ok_or_else(|| RuleError::Data(format!("frame {name} is absent from the snapshot")))
    }

    pub fn window_days(&self) -> f64 {
        self.snapshot.manifest.window.days()
    }

    /// The run's shared analysis of type `T`, computed once by `compute` for every rule.
    pub fn shared<T: std::any::Any + Send + Sync>(
        &self,
        compute: impl FnOnce(&RuleContext) -> Result<T, RuleError>,
    ) -> Result<Arc<T>, RuleError> {
        self.shared.get_or_compute(|| compute(self))
    }
}

pub trait Rule: Sync {
    /// Stable id, e.g. `ebs.gp2-to-gp3`.
    fn id(&self) -> &'static str;
    /// One line for humans.
    fn title(&self) -> &'static str;
    fn category(&self) -> Category;
    /// Frames without which the rule cannot run (missing → a warning, not a crash).
    fn needs(&self) -> &'static [FrameName];
    /// The rule's own documented defaults, overridable under `[rules."<id>"]` (the
    /// family's shared parameters are declared once on its `Family`).
    fn params(&self) -> &'static [Param];
    /// How the rule decides, for `tierwise rules` and docs/rules.md.
    fn method(&self) -> &'static str;
    /// Reject parameter values the rule cannot honour (checked when the config is
    /// loaded, so a bad value is a clear error before any analysis): the reason.
    fn validate(&self, _params: &Params) -> Result<(), String> {
        Ok(())
    }
    fn evaluate(&self, ctx: &RuleContext) -> Result<RuleOutput, RuleError>;
}

/// Every rule tierwise knows, family by family, in display order.
pub fn all() -> impl Iterator<Item = &'static dyn Rule> {
    FAMILIES.iter().flat_map(|f| f.rules.iter().copied())
}

/// A rule and its family, by rule id.
pub fn find(id: &str) -> Option<(&'static Family, &'static dyn Rule)> {
    FAMILIES.iter().find_map(|f| f.rule(id).map(|r| (*f, r)))
}

pub fn find_rule(id: &str) -> Option<&'static dyn Rule> {
    find(id).map(|(_, r)| r)
}

/// Parameters every rule accepts in addition to its own.
pub const COMMON_PARAMS: &[Param] = &[
    Param::new("enabled", ParamValue::Bool(true), "", "run this rule"),
    Param::new(
        "min_savings_usd",
        ParamValue::Num(1.0),
        "USD/month",
        "findings saving less than this per month are not reported",
    ),
];
