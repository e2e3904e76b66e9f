//! Report fields added to schema_version 1 (all optional, so older readers and older
//! reports stay valid): where each finding's prices came from, its money at list beside
//! the rate the account pays, the per-region price sources, and a display currency.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// One source of list prices.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PriceSource {
    /// embedded | offer-cache | override
    pub kind: String,
    /// `offer cache: AmazonEC2 20260925174521 (published 2026-09-25)`
    pub detail: String,
    /// Publication date of the offer or date of the catalog; null for an override.
    pub as_of: Option<String>,
    /// Items it gives (per-region listing) or lookups it answered (per finding).
    pub count: u64,
}

/// Money at list price, beside the effective figures of the finding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListMoney {
    pub current_monthly_cost_usd: Option<f64>,
    pub recommended_monthly_cost_usd: Option<f64>,
    pub monthly_savings_usd: Option<f64>,
}

/// How a finding was priced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FindingPricing {
    /// The region whose prices were read.
    pub region: String,
    /// List-price sources the rule family read in that region, highest precedence first.
    pub sources: Vec<PriceSource>,
    /// What the finding's money rests on: list | configured-discounts | account-effective-rates
    pub rates: String,
    /// The same finding at list prices, when its figures are not at list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list: Option<ListMoney>,
    /// Factor on list price used for the current state (0.6 = 40 % off).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_rate_factor: Option<f64>,
    /// Factor on list price used for the recommended state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recommended_rate_factor: Option<f64>,
    /// Where the factors come from, in words.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// What priced one region of the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionPricing {
    /// The oldest date among the region's price sources (null when it has none).
    pub as_of: Option<String>,
    pub sources: Vec<PriceSource>,
    /// Rate factors in use there, by pricing family (absent = list).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub rate_factors: BTreeMap<String, f64>,
    /// What the factors rest on (configured discounts, or the CUR/FOCUS export named).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub rates: String,
}

/// A second currency for display (`[report] currency`, `usd_rate`), given by the user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DisplayCurrency {
    /// ISO 4217 code, e.g. `KRW`.
    pub code: String,
    /// Units of `code` per US dollar, as configured (never fetched).
    pub usd_rate: f64,
}

impl DisplayCurrency {
    pub fn convert(&self, usd: f64) -> f64 {
        usd * self.usd_rate
    }
}

/// A finding's money in the display currency (the USD figures stay authoritative).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConvertedMoney {
    pub currency: String,
    pub current_monthly_cost: Option<f64>,
    pub recommended_monthly_cost: Option<f64>,
    pub monthly_savings: Option<f64>,
    pub one_time_cost: f64,
}

/// The summary's totals in the display currency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConvertedSummary {
    pub currency: String,
    pub monthly_spend_analyzed: Option<f64>,
    pub monthly_savings: f64,
    pub one_time_cost: f64,
    pub monthly_cost_to_fix: f64,
}
