//! Typed column access for turning a (small, already filtered) result frame into findings.

use std::collections::BTreeMap;

use polars::prelude::*;

use super::RuleError;

pub fn strs<'a>(df: &'a DataFrame, name: &str) -> Result<Vec<Option<&'a str>>, RuleError> {
    Ok(df.column(name)?.str()?.iter().collect())
}

pub fn i64s(df: &DataFrame, name: &str) -> Result<Vec<Option<i64>>, RuleError> {
    Ok(df.column(name)?.i64()?.iter().collect())
}

/// Timestamp column as epoch milliseconds.
pub fn millis(df: &DataFrame, name: &str) -> Result<Vec<Option<i64>>, RuleError> {
    Ok(df.column(name)?.cast(&DataType::Int64)?.i64()?.iter().collect())
}

/// Parse a `tags` JSON-object string; malformed tags become an empty map.
pub fn tags(json: Option<&str>) -> BTreeMap<String, String> {
    json.and_then(|s| serde_json::from_str::<BTreeMap<String, serde_json::Value>>(s).ok())
        .map(|m| {
            m.into_iter().map(|(k, v)| (k, v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string()))).collect()
        })
        .unwrap_or_default()
}

/// Region from an AZ name (`us-east-1a` → `us-east-1`).
pub fn region_of_az(az: &str) -> String {
    az.trim_end_matches(|c: char| c.is_ascii_alphabetic()).to_string()
}
