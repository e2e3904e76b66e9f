//! Choosing a presenter: the formats `tierwise report` and the TUI's export write.

use super::model::Report;
use super::{csv, json, markdown};

/// Output formats shared by `tierwise report` and the TUI's export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Md,
    Csv,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Md => "md",
            Format::Csv => "csv",
        }
    }
}

/// Render a report in the chosen format.
pub fn render(report: &Report, format: Format) -> String {
    match format {
        Format::Json => json::to_json(report),
        Format::Md => markdown::to_markdown(report),
        Format::Csv => csv::to_csv(report),
    }
}
