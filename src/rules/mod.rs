//! Rules: small types implementing one trait, listed in one registry (`RULES`).
//! `tierwise rules` and docs/rules.md are generated from the registry.

mod columns;
mod draft;
pub mod ebs;
pub mod ec2;
mod engine;
pub mod params;
pub mod s3;
#[cfg(test)]
mod test_support;

use crate::pricing::{PriceBook, PriceError};
use crate::report::{Category, Finding};
use crate::snapshot::{FrameName, Snapshot};

pub use engine::run_rules;
pub use params::{Param, ParamValue, Params};

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
    pub params: &'a Params,
}

impl RuleContext<'_> {
    /// A frame the rule declared in `needs()`; the engine guarantees it is present.
    pub fn frame(&self, name: FrameName) -> Result<&polars::prelude::DataFrame, RuleError> {
        self.snapshot.frame(name).ok_or_else(|| RuleError::Data(format!("frame {name} is absent from the snapshot")))
    }

    pub fn window_days(&self) -> f64 {
        self.snapshot.manifest.window.days()
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
    /// Documented defaults, overridable in tierwise.toml under `[rules."<id>"]`.
    fn params(&self) -> &'static [Param];
    /// How the rule decides, for `tierwise rules` and docs/rules.md.
    fn method(&self) -> &'static str;
    fn evaluate(&self, ctx: &RuleContext) -> Result<RuleOutput, RuleError>;
}

/// The registry: every rule tierwise knows, in display order.
pub static RULES: &[&dyn Rule] = &[
    &ebs::Gp2ToGp3,
    &ebs::UnattachedVolume,
    &ec2::Idle,
    &ec2::Rightsize,
    &ec2::PreviousGeneration,
    &ec2::Graviton,
    &s3::StorageClass,
    &s3::IntelligentTiering,
    &s3::Hygiene,
];

pub fn find_rule(id: &str) -> Option<&'static dyn Rule> {
    RULES.iter().copied().find(|r| r.id() == id)
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

/// docs/rules.md, generated from the registry.
pub fn rules_markdown() -> String {
    let mut o = String::from(
        "# Rules\n\nGenerated from the rule registry (`src/rules/mod.rs`); `tierwise rules` prints the same.\n\
         Override any parameter in `tierwise.toml` under `[rules.\"<rule id>\"]`.\n\n\
         Parameters every rule accepts:\n\n| parameter | default | unit | meaning |\n|---|---|---|---|\n",
    );
    for p in COMMON_PARAMS {
        o.push_str(&p.markdown_row());
    }
    for rule in RULES {
        o.push_str(&format!(
            "\n## `{}` — {}\n\nCategory: `{}` · needs: {}\n\n{}\n\n",
            rule.id(),
            rule.title(),
            rule.category(),
            rule.needs().iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", "),
            rule.method()
        ));
        if !rule.params().is_empty() {
            o.push_str("| parameter | default | unit | meaning |\n|---|---|---|---|\n");
            for p in rule.params() {
                o.push_str(&p.markdown_row());
            }
        }
    }
    o
}

/// Plain-text listing for `tierwise rules`.
pub fn rules_text() -> String {
    let mut o = String::new();
    for rule in RULES {
        o.push_str(&format!("{}  [{}]\n  {}\n", rule.id(), rule.category(), rule.title()));
        o.push_str(&format!("  needs: {}\n", rule.needs().iter().map(|f| f.as_str()).collect::<Vec<_>>().join(", ")));
        for p in COMMON_PARAMS.iter().chain(rule.params()) {
            o.push_str(&format!(
                "  {} = {}{}  — {}\n",
                p.name,
                p.default,
                if p.unit.is_empty() { String::new() } else { format!(" {}", p.unit) },
                p.doc
            ));
        }
        o.push('\n');
    }
    o
}
