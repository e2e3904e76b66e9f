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
    let live_specs =
        snapshot.frame(FrameName::Ec2InstanceTypes).map(pricing::instance_types::specs_from_frame).unwrap_or_default();
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
    // tierwise.toml's [[dr.workload]] reach the DR rule through the `dr_workloads` frame.
    let (declared, mut dr_notes) = match config.dr_workloads.is_empty() {
        true => (None, Vec::new()),
        false => match rules::dr::with_declared(snapshot, &config.dr_workloads) {
            Ok((with, notes)) => (Some(with), notes),
            Err(e) => (None, vec![format!("[[dr.workload]] could not be applied: {e}")]),
        },
    };
    let snapshot = declared.as_ref().unwrap_or(snapshot);
    let (findings, mut warnings) = rules::run_rules(snapshot, prices, &config.rules);
    warnings.extend(dr_notes.drain(..).map(|message| Warning { source: "tierwise.toml".into(), message }));
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

/// Dollar cost of the API calls that produced the snapshot (see
/// [`snapshot::manifest::api_cost_usd`]: Cost Explorer requests and CloudWatch metrics
/// requested are billed; everything else tierwise calls is free).
/// Rounded to the cent.
pub fn estimate_api_cost(calls: &std::collections::BTreeMap<String, u64>) -> f64 {
    (snapshot::manifest::api_cost_usd(calls) * 100.0).round() / 100.0
}
