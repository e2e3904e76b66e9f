//! Spend baseline: Cost Explorer GetCostAndUsage, monthly, by service and usage type,
//! for the last 3 full months — cached on disk by (account, month) so a cron job never
//! pays ($0.01 per request) for the same closed month twice.

use std::path::{Path, PathBuf};

use aws_sdk_costexplorer::types::{DateInterval, Granularity, GroupDefinition, GroupDefinitionType};
use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::snapshot::FrameName;
use crate::snapshot::builder::{Cell, FrameBuilder};

use super::aws::AwsContext;
use super::{CollectError, CollectorOutput};

/// Full months collected.
pub const MONTHS: u32 = 3;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpendRow {
    pub service: String,
    pub usage_type: String,
    pub cost_usd: f64,
    pub usage_quantity: f64,
    pub usage_unit: String,
}

/// The first days of the last `n` full months before `now`, oldest first.
pub fn last_full_months(now: DateTime<Utc>, n: u32) -> Vec<NaiveDate> {
    let this_month = NaiveDate::from_ymd_opt(now.year(), now.month(), 1).unwrap_or_default();
    (1..=n).rev().filter_map(|k| this_month.checked_sub_months(Months::new(k))).collect()
}

fn cache_path(dir: &Path, account: &str, month: NaiveDate) -> PathBuf {
    dir.join("cost-explorer").join(account).join(format!("{}.json", month.format("%Y-%m")))
}

fn read_cache(path: &Path) -> Option<Vec<SpendRow>> {
    serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()
}

fn write_cache(path: &Path, rows: &[SpendRow]) {
    // A cache that cannot be written costs money next time, not correctness.
    if let Some(parent) = path.parent()
        && std::fs::create_dir_all(parent).is_ok()
        && let Ok(text) = serde_json::to_string(rows)
    {
        let tmp = path.with_extension("tmp");
        if std::fs::write(&tmp, text).is_ok() {
            let _ = std::fs::rename(&tmp, path);
        }
    }
}

/// Region from a usage type's prefix (`USE1-BoxUsage:m5.large` → us-east-1).
pub fn region_of_usage_type(usage_type: &str) -> &'static str {
    const PREFIXES: &[(&str, &str)] = &[
        ("USE1", "us-east-1"),
        ("USE2", "us-east-2"),
        ("USW1", "us-west-1"),
        ("USW2", "us-west-2"),
        ("CAN1", "ca-central-1"),
        ("EUC1", "eu-central-1"),
        ("EUW1", "eu-west-1"),
        ("EUW2", "eu-west-2"),
        ("EUW3", "eu-west-3"),
        ("EUN1", "eu-north-1"),
        ("APN1", "ap-northeast-1"),
        ("APN2", "ap-northeast-2"),
        ("APN3", "ap-northeast-3"),
        ("APS1", "ap-southeast-1"),
        ("APS2", "ap-southeast-2"),
        ("APS3", "ap-south-1"),
        ("SAE1", "sa-east-1"),
    ];
    let prefix = usage_type.split('-').next().unwrap_or_default();
    PREFIXES.iter().find(|(p, _)| *p == prefix).map(|(_, r)| *r).unwrap_or("us-east-1")
}

async fn fetch_month(ctx: &AwsContext, month: NaiveDate) -> Result<Vec<SpendRow>, CollectError> {
    let end = month.checked_add_months(Months::new(1)).unwrap_or(month);
    let period = DateInterval::builder()
        .start(month.format("%Y-%m-%d").to_string())
        .end(end.format("%Y-%m-%d").to_string())
        .build()
        .map_err(|e| CollectError::Other(e.to_string()))?;
    let mut rows = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let resp = ctx
            .cost_explorer()
            .get_cost_and_usage()
            .time_period(period.clone())
            .granularity(Granularity::Monthly)
            .metrics("UnblendedCost")
            .metrics("UsageQuantity")
            .group_by(GroupDefinition::builder().r#type(GroupDefinitionType::Dimension).key("SERVICE").build())
            .group_by(GroupDefinition::builder().r#type(GroupDefinitionType::Dimension).key("USAGE_TYPE").build())
            .set_next_page_token(token.clone())
            .send()
            .await
            .map_err(|e| CollectError::from_sdk("ce:GetCostAndUsage", e))?;
        for result in resp.results_by_time() {
            for group in result.groups() {
                let keys = group.keys();
                let metric = |name: &str| group.metrics().and_then(|m| m.get(name));
                let amount = |name: &str| {
                    metric(name).and_then(|m| m.amount()).and_then(|a| a.parse::<f64>().ok()).unwrap_or(0.0)
                };
                rows.push(SpendRow {
                    service: keys.first().cloned().unwrap_or_default(),
                    usage_type: keys.get(1).cloned().unwrap_or_default(),
                    cost_usd: amount("UnblendedCost"),
                    usage_quantity: amount("UsageQuantity"),
                    usage_unit: metric("UsageQuantity").and_then(|m| m.unit()).unwrap_or_default().to_string(),
                });
            }
        }
        token = resp.next_page_token().map(str::to_string);
        if token.is_none() {
            break;
        }
    }
    Ok(rows)
}

pub async fn collect(
    ctx: &AwsContext,
    account: Option<&str>,
    cache_dir: Option<&Path>,
    now: DateTime<Utc>,
) -> Result<CollectorOutput, CollectError> {
    let account = account.unwrap_or("unknown");
    let mut out = CollectorOutput::default();
    let mut frame = FrameBuilder::new(FrameName::SpendMonthly);
    for month in last_full_months(now, MONTHS) {
        let cached = cache_dir.map(|d| cache_path(d, account, month));
        let rows = match cached.as_deref().and_then(read_cache) {
            Some(rows) => rows,
            None => match fetch_month(ctx, month).await {
                Ok(rows) => {
                    if let Some(path) = &cached {
                        write_cache(path, &rows);
                    }
                    rows
                }
                Err(e) => {
                    out.missing.push(format!("{}: {e}", month.format("%Y-%m")));
                    continue;
                }
            },
        };
        let days = (month - NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default()).num_days() as i32;
        for r in rows {
            frame.row([
                ("month", Cell::Date(Some(days))),
                ("account_id", account.into()),
                ("region", region_of_usage_type(&r.usage_type).into()),
                ("service", r.service.into()),
                ("usage_type", r.usage_type.into()),
                ("cost_usd", r.cost_usd.into()),
                ("usage_quantity", r.usage_quantity.into()),
                ("usage_unit", r.usage_unit.into()),
            ])?;
        }
    }
    if out.missing.len() == MONTHS as usize {
        return Err(CollectError::Other(format!("no month could be read: {}", out.missing.join("; "))));
    }
    out.frames.push((FrameName::SpendMonthly, frame.finish()?));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn last_three_full_months() {
        let now = Utc.with_ymd_and_hms(2026, 1, 15, 0, 0, 0).unwrap();
        let months: Vec<String> = last_full_months(now, 3).iter().map(|m| m.to_string()).collect();
        assert_eq!(months, ["2025-10-01", "2025-11-01", "2025-12-01"]);
    }

    #[test]
    fn usage_type_regions() {
        assert_eq!(region_of_usage_type("USE1-BoxUsage:m5.large"), "us-east-1");
        assert_eq!(region_of_usage_type("APN2-EBS:VolumeUsage.gp3"), "ap-northeast-2");
        assert_eq!(region_of_usage_type("TimedStorage-ByteHrs"), "us-east-1");
    }
}
