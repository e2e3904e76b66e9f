//! Integration tests: one binary (linking Polars once), one module per area.

mod architecture;
mod bad_input;
mod cli;
mod cloudwatch_mock;
mod collect;
mod common;
mod config;
mod currency;
mod demo;
mod docs;
mod fault_proxy;
mod import;
mod moto;
mod pricing;
mod pricing_refresh;
mod report_golden;
mod report_schema;
mod seed;
mod tui_findings;
mod tui_no_tty;
mod tui_snapshots;
mod tui_support;
mod tui_tmux;
