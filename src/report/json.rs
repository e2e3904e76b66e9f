//! JSON presenter: the Report as is (`schema_version` 1, see docs/report-schema.json).

use super::model::Report;

pub fn to_json(report: &Report) -> String {
    // Serializing plain data with string keys cannot fail.
    let mut text = serde_json::to_string_pretty(report).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
    text.push('\n');
    text
}
