//! The Report: what every presenter renders (DESIGN §4). `schema_version` 1.
//! Field names are the JSON contract; `docs/report-schema.json` describes them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::provenance::{ConvertedMoney, ConvertedSummary, DisplayCurrency, FindingPricing, RegionPricing};

pub const REPORT_SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    StorageTiering,
    Rightsizing,
    Graviton,
    DynamodbCapacity,
    CrossAz,
    DrTier,
    Hygiene,
}

impl Category {
    pub const ALL: &'static [Category] = &[
        Category::StorageTiering,
        Category::Rightsizing,
        Category::Graviton,
        Category::DynamodbCapacity,
        Category::CrossAz,
        Category::DrTier,
        Category::Hygiene,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::StorageTiering => "storage-tiering",
            Category::Rightsizing => "rightsizing",
            Category::Graviton => "graviton",
            Category::DynamodbCapacity => "dynamodb-capacity",
            Category::CrossAz => "cross-az",
            Category::DrTier => "dr-tier",
            Category::Hygiene => "hygiene",
        }
    }

    pub fn parse(s: &str) -> Option<Category> {
        Category::ALL.iter().copied().find(|c| c.as_str() == s)
    }
}

impl std::fmt::Display for Category {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Low,
    Medium,
    High,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MigrationEffort {
    VeryLow,
    Low,
    Medium,
    High,
}

impl MigrationEffort {
    pub fn as_str(self) -> &'static str {
        match self {
            MigrationEffort::VeryLow => "very-low",
            MigrationEffort::Low => "low",
            MigrationEffort::Medium => "medium",
            MigrationEffort::High => "high",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub schema_version: u32,
    pub generated_at: String,
    pub tool_version: String,
    pub source: SourceInfo,
    pub summary: Summary,
    pub findings: Vec<Finding>,
    pub warnings: Vec<Warning>,
    pub cost_of_analysis: CostOfAnalysis,
    /// A second currency the TUI and Markdown show beside USD (`[report] currency`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_currency: Option<DisplayCurrency>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceInfo {
    /// live | snapshot | import | demo
    pub kind: String,
    /// Snapshot path, profile, demo seed…
    pub detail: String,
    pub accounts: Vec<String>,
    pub regions: Vec<String>,
    pub window: WindowInfo,
    /// The oldest price date among the report's regions (kept for schema_version 1
    /// readers; per region, see `pricing`).
    pub pricing_as_of: String,
    /// Collector name → ok | partial | failed.
    pub coverage: BTreeMap<String, String>,
    /// Per region: which sources priced it and as of when.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub pricing: BTreeMap<String, RegionPricing>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WindowInfo {
    pub start: String,
    pub end: String,
    pub days: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Average monthly spend from `spend_monthly`; null when the snapshot has no spend data.
    pub monthly_spend_analyzed_usd: Option<f64>,
    pub monthly_savings_usd: f64,
    /// Savings as a percentage of spend analysed; null without spend data.
    pub savings_pct_of_spend: Option<f64>,
    pub one_time_cost_usd: f64,
    pub findings: usize,
    pub high_confidence_findings: usize,
    pub unpriced_findings: usize,
    /// Additional monthly cost of findings that fix a risk (e.g. a DR posture that breaches its targets).
    pub monthly_cost_to_fix_usd: f64,
    /// What findings with a savings range could save beyond the conservative figures
    /// counted above (sum of each range's top minus what was counted).
    #[serde(default)]
    pub monthly_savings_upside_usd: f64,
    pub by_category: BTreeMap<Category, CategorySummary>,
    /// Savings at list prices, when some finding is priced at other rates (discounts,
    /// the account's effective rates); `monthly_savings_usd` is what the account saves.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list_monthly_savings_usd: Option<f64>,
    /// The totals in the display currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub converted: Option<ConvertedSummary>,
}

#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct CategorySummary {
    pub findings: usize,
    pub monthly_savings_usd: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable across runs: hash of rule id and resource id.
    pub id: String,
    pub rule: String,
    pub title: String,
    pub category: Category,
    pub severity: Severity,
    pub resource: Resource,
    pub current: CostSide,
    pub recommended: CostSide,
    /// Null when the finding could not be priced (see `unpriced_reason`). For a finding
    /// with a range, the conservative end of it (possibly negative).
    pub monthly_savings_usd: Option<f64>,
    /// When the saving depends on what the data cannot see (e.g. unknown access), the
    /// range it lies in; `monthly_savings_usd` is then its conservative end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monthly_savings_range_usd: Option<SavingsRange>,
    pub one_time_cost_usd: f64,
    /// Days until the one-time cost is repaid by the monthly saving; null when there is no saving.
    pub payback_days: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unpriced_reason: Option<String>,
    /// 0..1
    pub confidence: f64,
    pub confidence_reasons: Vec<String>,
    /// 0 (none) .. 4 (high)
    pub performance_risk: u8,
    pub migration_effort: MigrationEffort,
    pub evidence: Evidence,
    pub rationale: String,
    pub actions: Vec<Action>,
    /// Which sources priced the finding, and its money at list beside the rate paid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pricing: Option<FindingPricing>,
    /// The money in the display currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub converted: Option<ConvertedMoney>,
}

/// The monthly savings a finding may have, from its least to its most favourable case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavingsRange {
    pub low: f64,
    pub high: f64,
    /// What decides where in the range the truth lies, and how to find out.
    pub depends_on: String,
}

impl SavingsRange {
    /// The saving counted in summaries: the conservative end, never below zero (an
    /// uncertain saving is not a cost to fix).
    pub fn counted(&self) -> f64 {
        self.low.max(0.0)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Resource {
    pub arn_or_id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub account_id: String,
    pub region: String,
    pub name: String,
    pub tags: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CostSide {
    pub description: String,
    /// Null when unpriced.
    pub monthly_cost_usd: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Evidence {
    pub window_days: f64,
    pub datapoints: u64,
    pub statistics: Vec<Stat>,
    pub thresholds: Vec<Stat>,
    pub charts: Vec<Chart>,
}

/// A named number with its unit (a statistic observed, or a threshold applied).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stat {
    pub name: String,
    pub value: f64,
    pub unit: String,
}

impl Stat {
    pub fn new(name: impl Into<String>, value: f64, unit: impl Into<String>) -> Stat {
        Stat { name: name.into(), value, unit: unit.into() }
    }
}

/// Evidence drawn as a chart. Every presenter draws each kind generically.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Chart {
    TimeSeries {
        title: String,
        unit: String,
        series: Vec<Series>,
        thresholds: Vec<ThresholdLine>,
    },
    Histogram {
        title: String,
        unit: String,
        buckets: Vec<Bucket>,
    },
    Matrix {
        title: String,
        unit: String,
        rows: Vec<String>,
        cols: Vec<String>,
        /// Row-major, rows.len() × cols.len().
        values: Vec<Vec<f64>>,
    },
    Ladder {
        title: String,
        rungs: Vec<Rung>,
        target_rpo_min: f64,
        target_rto_min: f64,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Series {
    pub name: String,
    /// (unix seconds, value)
    pub points: Vec<(i64, f64)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThresholdLine {
    pub label: String,
    pub value: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bucket {
    pub label: String,
    pub value: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rung {
    pub label: String,
    pub monthly_cost_usd: Option<f64>,
    pub rpo_min: f64,
    pub rto_min: f64,
    pub meets_target: bool,
    pub current: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Action {
    /// aws-cli | s3-lifecycle-json | terraform | k8s-manifest | note
    pub kind: String,
    pub text: String,
}

impl Action {
    pub fn new(kind: &str, text: impl Into<String>) -> Action {
        Action { kind: kind.to_string(), text: text.into() }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Warning {
    pub source: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CostOfAnalysis {
    pub api_calls_by_service: BTreeMap<String, u64>,
    pub estimated_usd: f64,
}
