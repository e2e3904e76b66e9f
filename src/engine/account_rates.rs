//! The account's effective rates (`pricing::AccountRates`) from the `effective_rates`
//! frame a CUR 2.0 or FOCUS import writes: the latest billing period in the frame, so a
//! Savings Plan that expired last quarter does not discount today's findings.

use polars::prelude::*;

use crate::pricing::AccountRates;
use crate::pricing::rates::RateLine;
use crate::snapshot::Snapshot;

/// None when the frame is empty or unreadable.
pub fn of_frame(snapshot: &Snapshot, df: &DataFrame) -> Option<AccountRates> {
    if df.height() == 0 {
        return None;
    }
    let month = df.column("month").ok()?.as_materialized_series().date().ok()?.physical().max()?;
    let latest = df
        .clone()
        .lazy()
        .filter(col("month").cast(DataType::Int32).eq(lit(month)))
        .select([
            col("region"),
            col("service"),
            col("usage_type"),
            col("operation"),
            col("resource_id").fill_null(lit("")),
            col("coverage"),
            col("list_cost_usd"),
            col("effective_cost_usd"),
        ])
        .collect()
        .ok()?;
    let s = |name: &str| latest.column(name).ok().and_then(|c| c.str().ok().cloned());
    let f = |name: &str| latest.column(name).ok().and_then(|c| c.f64().ok().cloned());
    let (region, service, usage, operation, resource, coverage, list, effective) = (
        s("region")?,
        s("service")?,
        s("usage_type")?,
        s("operation")?,
        s("resource_id")?,
        s("coverage")?,
        f("list_cost_usd")?,
        f("effective_cost_usd")?,
    );
    let lines = (0..latest.height()).map(|i| RateLine {
        region: region.get(i).unwrap_or_default().to_string(),
        service: service.get(i).unwrap_or_default().to_string(),
        usage_type: usage.get(i).unwrap_or_default().to_string(),
        operation: operation.get(i).unwrap_or_default().to_string(),
        resource_id: resource.get(i).unwrap_or_default().to_string(),
        coverage: coverage.get(i).unwrap_or_default().to_string(),
        list_usd: list.get(i).unwrap_or(0.0),
        effective_usd: effective.get(i).unwrap_or(0.0),
    });
    let period = chrono::NaiveDate::from_num_days_from_ce_opt(month + 719_163)
        .map(|d| d.format("%Y-%m").to_string())
        .unwrap_or_default();
    let export = snapshot
        .manifest
        .collectors
        .keys()
        .find(|k| k.starts_with("import:cur") || k.starts_with("import:focus"))
        .map(|k| k.trim_start_matches("import:").to_uppercase())
        .unwrap_or_else(|| "billing export".into());
    Some(AccountRates::from_lines(format!("{export} billing period {period}"), lines))
}
