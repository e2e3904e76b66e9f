//! tierwise: a read-only cloud-cost and storage-tier advisor for AWS.
//!
//! Pipeline: Source → [`Snapshot`] → rules × [`PriceBook`] × [`Config`] → [`Report`] → presenters.

pub mod atomic_file;
pub mod cli;
pub mod collectors;
pub mod commands;
pub mod config;
pub mod csv_text;
pub mod demo;
mod engine;
pub mod error;
pub mod import;
pub mod input;
pub mod money;
pub mod pricing;
pub mod progress;
pub mod report;
pub mod rules;
pub mod snapshot;
pub mod tui;

pub use config::Config;
pub use error::Error;
pub use pricing::PriceBook;
pub use report::Report;
pub use snapshot::Snapshot;

use report::{CostOfAnalysis, REPORT_SCHEMA_VERSION, SourceInfo, Warning, WindowInfo, summarize};
use snapshot::{CollectorStatus, FrameName};

/// Run every rule over a snapshot and build the report.
pub fn analyze(snapshot: &Snapshot, prices: &PriceBook, config: &Config) -> Report {
    let live_specs = snapshot.frame(FrameName::Ec2InstanceTypes).map(instance_specs_of).unwrap_or_default();
    let mut book = None;
    if !live_specs.is_empty() {
        book = Some(prices.clone().with_instance_specs(live_specs));
    }
    if let Some(rates) =
        snapshot.frame(FrameName::EffectiveRates).and_then(|df| engine::account_rates::of_frame(snapshot, df))
    {
        book = Some(book.unwrap_or_else(|| prices.clone()).with_account_rates(rates));
    }
    let prices = book.as_ref().unwrap_or(prices);
    let (findings, mut warnings) = rules::run_rules(snapshot, prices, &config.rules);
    let manifest = &snapshot.manifest;
    let mut coverage = std::collections::BTreeMap::new();
    let mut collector_warnings = Vec::new();
    for (name, run) in &manifest.collectors {
        let status = match run.status {
            CollectorStatus::Ok => "ok",
            CollectorStatus::Partial => "partial",
            CollectorStatus::Failed => "failed",
        };
        coverage.insert(name.clone(), status.to_string());
        if run.status != CollectorStatus::Ok {
            let detail = run.error.clone().unwrap_or_else(|| "no detail".into());
            collector_warnings
                .push(Warning { source: format!("collector {name}"), message: format!("{status}: {detail}") });
        }
    }
    collector_warnings.append(&mut warnings);
    let mut warnings = collector_warnings;
    let spend = monthly_spend(snapshot);
    if spend.is_none() {
        warnings.push(Warning {
            source: "summary".into(),
            message:
                "no spend data (spend_monthly frame absent or empty): spend analysed and the savings share are unknown"
                    .into(),
        });
    }
    let api_calls = manifest.api_calls();
    let estimated_usd = estimate_api_cost(&api_calls);
    let mut regions: Vec<String> = manifest.regions.clone();
    regions.extend(findings.iter().map(|f| f.resource.region.clone()));
    regions.sort();
    regions.dedup();
    let pricing = engine::region_pricing::of_regions(prices, &regions);
    let pricing_as_of = engine::region_pricing::oldest(&pricing).unwrap_or_else(|| prices.as_of().to_string());
    let mut report = Report {
        schema_version: REPORT_SCHEMA_VERSION,
        generated_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        source: SourceInfo {
            kind: manifest.source.as_str().to_string(),
            detail: manifest.source_detail.clone(),
            accounts: manifest.accounts.clone(),
            regions: manifest.regions.clone(),
            window: WindowInfo {
                start: manifest.window.start.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                end: manifest.window.end.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                days: (manifest.window.days() * 10.0).round() / 10.0,
            },
            pricing_as_of,
            coverage,
            pricing,
        },
        summary: summarize(&findings, spend),
        findings,
        warnings,
        cost_of_analysis: CostOfAnalysis { api_calls_by_service: api_calls, estimated_usd },
        display_currency: config.report.display_currency().ok().flatten(),
    };
    report::currency::apply(&mut report);
    report
}

/// Instance specs from a snapshot's `ec2_instance_types` frame (small: one row per type).
fn instance_specs_of(df: &polars::prelude::DataFrame) -> Vec<pricing::InstanceSpec> {
    let col = |name: &str| df.column(name).ok();
    let (Some(types), Some(vcpus), Some(mem), Some(arch), Some(net), Some(burst)) = (
        col("instance_type").and_then(|c| c.str().ok()),
        col("vcpus").and_then(|c| c.i64().ok()),
        col("memory_mib").and_then(|c| c.i64().ok()),
        col("architectures").and_then(|c| c.str().ok()),
        col("network_performance").and_then(|c| c.str().ok()),
        col("burstable").and_then(|c| c.bool().ok()),
    ) else {
        return Vec::new();
    };
    (0..df.height())
        .filter_map(|i| {
            let instance_type = types.get(i)?.to_string();
            let architectures: Vec<String> = arch.get(i)?.split(';').map(str::to_string).collect();
            Some(pricing::InstanceSpec {
                family: instance_type.split('.').next().unwrap_or_default().to_string(),
                vcpus: u32::try_from(vcpus.get(i)?).ok()?,
                memory_mib: u64::try_from(mem.get(i)?).ok()?,
                network_performance: net.get(i)?.to_string(),
                burstable: burst.get(i)?,
                // Every arm64 EC2 type is an AWS Graviton type.
                graviton: architectures.iter().any(|a| a == "arm64"),
                architectures,
                instance_type,
            })
        })
        .collect()
}

/// Average monthly spend over the months in `spend_monthly` (lazy group-by).
fn monthly_spend(snapshot: &Snapshot) -> Option<f64> {
    use polars::prelude::*;
    let df = snapshot.frame(FrameName::SpendMonthly)?;
    if df.height() == 0 {
        return None;
    }
    let per_month = df
        .clone()
        .lazy()
        .group_by([col("month")])
        .agg([col("cost_usd").sum()])
        .select([col("cost_usd").mean()])
        .collect()
        .ok()?;
    per_month.column("cost_usd").ok()?.f64().ok()?.get(0)
}

/// Dollar cost of the API calls that produced the snapshot: Cost Explorer $0.01 per
/// request; CloudWatch GetMetricData $0.01 per 1,000 metrics requested (counted by
/// the collector as `cloudwatch:metrics`). Everything else tierwise calls is free.
pub fn estimate_api_cost(calls: &std::collections::BTreeMap<String, u64>) -> f64 {
    let mut usd = 0.0;
    for (op, n) in calls {
        if op.starts_with("ce:") {
            usd += *n as f64 * 0.01;
        } else if op == "cloudwatch:metrics" {
            usd += *n as f64 / 1000.0 * 0.01;
        }
    }
    (usd * 100.0).round() / 100.0
}
