//! Integration tests: one binary (linking Polars once), one module per area.

mod bad_input;
mod common;
mod report_schema;
