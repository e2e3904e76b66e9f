//! Golden Markdown, CSV and JSON of one fixed report (the synthetic report the TUI
//! layout snapshots draw): a presenter change shows up as a reviewed diff, and a new
//! rule never touches them. Regenerate: `INSTA_UPDATE=always cargo test --test it report_golden`.

use tierwise::report::present::{Format, render};

use crate::tui_support::synthetic_report;

#[test]
fn markdown() {
    insta::assert_snapshot!("report_md", render(&synthetic_report(), Format::Md));
}

#[test]
fn csv() {
    insta::assert_snapshot!("report_csv", render(&synthetic_report(), Format::Csv));
}

#[test]
fn json() {
    insta::assert_snapshot!("report_json", render(&synthetic_report(), Format::Json));
}
