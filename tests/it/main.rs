//! Integration tests: one binary (linking Polars once), one module per area.

mod common;
