//! DynamoDB collector, one region: tables and their GSIs (`tables`), Application Auto
//! Scaling targets and policies (`autoscaling`), and per capacity unit — each table and
//! each GSI — hourly metrics, plus per-minute consumed capacity for the costliest units
//! (`metrics`). Every metric row names its account and region.

pub mod autoscaling;
pub mod metrics;
mod tables;

use crate::snapshot::{FrameName, Window};

use super::aws::AwsContext;
use super::{CollectError, CollectorOutput};

/// A capacity unit: a table, or one of its global secondary indexes.
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    pub account: String,
    pub table: String,
    /// GSI name; None for the table itself.
    pub index: Option<String>,
    pub arn: String,
    /// The table's billing mode (its GSIs share it).
    pub on_demand: bool,
}

/// Collect one region. `minute_units` caps the units read per minute (0 = none).
pub async fn collect(
    ctx: &AwsContext,
    region: &str,
    window: &Window,
    minute_units: usize,
) -> Result<CollectorOutput, CollectError> {
    let mut out = CollectorOutput::default();
    let client = ctx.dynamodb(region);
    // Listing first, so that DynamoDB being unreachable fails the collector as a whole.
    let names = tables::list(&client).await?;
    let settings = match autoscaling::read(&ctx.application_autoscaling(region)).await {
        Ok(settings) => {
            out.missing.extend(settings.gaps.iter().cloned());
            Some(settings)
        }
        Err(e) => {
            out.missing.push(format!("auto-scaling settings: {e}"));
            None
        }
    };
    let units = tables::collect(&client, region, names, settings.as_ref(), &mut out).await?;
    let account = units.first().map(|u| u.account.clone()).unwrap_or_default();
    if let Some(settings) = &settings {
        out.frames.push((FrameName::DynamodbAutoscaling, autoscaling::frame(settings, &account, region)?));
    }

    let (start, end) = (window.start.timestamp(), window.end.timestamp());
    let hourly = match metrics::hourly(ctx, region, &units, start, end).await {
        Ok(h) => h,
        Err(e) => {
            out.missing.push(format!("DynamoDB metrics: {e}"));
            return Ok(out);
        }
    };
    out.frames.push((FrameName::DynamodbMetricsHourly, hourly.frame));
    let selected: Vec<&Unit> =
        metrics::costliest(&hourly.weights, minute_units).into_iter().map(|i| &units[i]).collect();
    if !selected.is_empty() {
        match metrics::minute(ctx, region, &selected, start, end).await {
            Ok(df) => out.frames.push((FrameName::DynamodbMetricsMinute, df)),
            Err(e) => out.missing.push(format!("DynamoDB per-minute metrics (the rules fall back to hourly): {e}")),
        }
    }
    Ok(out)
}
