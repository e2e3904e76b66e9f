//! The Report and its presenters (JSON, Markdown, CSV). Presenters only format: every
//! number they print is already in the Report, so the TUI and the JSON never disagree.

pub mod csv;
pub mod json;
pub mod markdown;
pub mod model;
mod summary;

pub use model::*;
pub use summary::{HIGH_CONFIDENCE, ReportFilter, round_cents, severity_for, stable_id, summarize};

/// Output formats shared by `tierwise report` and the TUI's export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Json,
    #[value(alias = "markdown")]
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
