//! Integration tests: one binary (linking Polars once), one module per area.

mod bad_input;
mod cli;
mod common;
mod config;
mod docs;
mod report_schema;
