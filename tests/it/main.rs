//! Integration tests: one binary (linking Polars once), one module per area.

mod bad_input;
mod cli;
mod common;
mod config;
mod demo;
mod docs;
mod import;
mod report_schema;
mod tui_findings;
mod tui_no_tty;
mod tui_snapshots;
mod tui_support;
mod tui_tmux;
