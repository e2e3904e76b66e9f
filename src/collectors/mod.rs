//! Live collection: AWS APIs → snapshot frames.
//!
//! One collector per service (and region). They run concurrently with a bounded
//! concurrency; the SDK retries throttling and 5xx with backoff and jitter; a collector
//! that still fails is recorded as `failed` (or `partial`, saying what is missing) in
//! the manifest, and the others carry on.

pub mod api_calls;
pub mod autoscaling;
pub mod aws;
pub mod backup;
pub mod backup_schedule;
pub mod cloudwatch;
pub mod cost_explorer;
pub mod drs;
pub mod dynamodb;
pub mod ec2;
pub mod eks;
pub mod flow_logs;
pub mod iam;
pub mod network;
pub mod offer_download;
pub mod price_list;
pub mod price_refresh;
pub mod rds;
pub mod s3;

use std::collections::BTreeMap;
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;

use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use chrono::{DateTime, Duration, DurationRound, Utc};
use polars::prelude::*;

use crate::snapshot::manifest::api_cost_usd;
use crate::snapshot::{
    CollectorRun, CollectorStatus, FrameName, Manifest, SCHEMA_VERSION, Snapshot, SnapshotError, SourceKind, Window,
};
use aws::{AwsContext, RetryPolicy};

#[derive(Debug, thiserror::Error)]
pub enum CollectError {
    #[error("{0}")]
    Credentials(String),
    #[error("no region to collect: pass --regions r1,r2 (or --all-regions), or set AWS_REGION / a profile region")]
    NoRegion,
    #[error("{operation}: {code}: {message}")]
    Api { operation: String, code: String, message: String },
    #[error(transparent)]
    Frame(#[from] SnapshotError),
    #[error("building frames: {0}")]
    Polars(#[from] PolarsError),
    #[error("{0}")]
    Other(String),
}

impl CollectError {
    /// Turn an SDK error into one that names the operation and AWS's error code.
    pub fn from_sdk<E: ProvideErrorMetadata + std::error::Error + 'static>(
        operation: &str,
        err: SdkError<E, aws_smithy_runtime_api::client::orchestrator::HttpResponse>,
    ) -> CollectError {
        let (code, message) = match &err {
            SdkError::ServiceError(e) => (
                err.code().map(str::to_string).unwrap_or_else(|| format!("HTTP {}", e.raw().status().as_u16())),
                err.message().unwrap_or("the service returned an error").to_string(),
            ),
            SdkError::TimeoutError(_) => ("Timeout".into(), "the request timed out".into()),
            SdkError::DispatchFailure(e) => ("DispatchFailure".into(), format!("could not reach AWS: {e:?}")),
            SdkError::ResponseError(_) => ("ResponseError".into(), "the response could not be read".into()),
            _ => ("Error".into(), aws_smithy_types::error::display::DisplayErrorContext(&err).to_string()),
        };
        CollectError::Api { operation: operation.to_string(), code, message }
    }
}

/// The metric window when `--days` is not given, in days: the one place this default
/// lives (a macro so the CLI help can print it).
#[macro_export]
macro_rules! default_metric_days {
    () => {
        14
    };
}
pub const DEFAULT_DAYS: u32 = default_metric_days!();

/// What the user asked to collect.
#[derive(Debug, Clone)]
pub struct CollectOptions {
    pub profile: Option<String>,
    /// Empty: the profile's region.
    pub regions: Vec<String>,
    pub all_regions: bool,
    /// Metric window for hourly metrics, days (1..=93).
    pub days: u32,
    pub concurrency: usize,
    pub retry: RetryPolicy,
    /// Where Cost Explorer months are cached; None disables the cache.
    pub cache_dir: Option<PathBuf>,
    /// DynamoDB capacity units per region read per minute (see [`DYNAMODB_MINUTE_UNITS`]).
    pub dynamodb_minute_units: usize,
    /// VPC flow logs to read from S3 (`[network] flow_logs`); None: they come from `--import`.
    pub flow_logs: Option<flow_logs::FlowLogSource>,
}

/// Default number of DynamoDB capacity units (tables and GSIs) per region whose consumed
/// capacity is read per minute for the auto-scaling simulation, costliest first:
/// 500 units × 2 metrics = 1,000 metrics ($0.01) in 200 GetMetricData calls over 14 days.
pub const DYNAMODB_MINUTE_UNITS: usize = 500;

impl Default for CollectOptions {
    fn default() -> Self {
        CollectOptions {
            profile: None,
            regions: Vec::new(),
            all_regions: false,
            days: DEFAULT_DAYS,
            concurrency: 8,
            retry: RetryPolicy::default(),
            cache_dir: default_cache_dir(),
            dynamodb_minute_units: DYNAMODB_MINUTE_UNITS,
            flow_logs: None,
        }
    }
}

/// `$XDG_CACHE_HOME/tierwise` or `~/.cache/tierwise`.
pub fn default_cache_dir() -> Option<PathBuf> {
    std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .map(|d| d.join("tierwise"))
}

/// Progress of one collector, for the stderr bars and the TUI.
#[derive(Debug, Clone, PartialEq)]
pub enum Progress {
    Started { collector: String },
    Finished { collector: String, status: CollectorStatus, detail: Option<String> },
}

/// What one collector produced. `missing` lists what it could not read (→ partial).
#[derive(Debug, Default)]
pub struct CollectorOutput {
    pub frames: Vec<(FrameName, DataFrame)>,
    pub missing: Vec<String>,
}

/// The collection window: `days` whole days ending at the last full hour.
pub fn window_for(days: u32, now: DateTime<Utc>) -> Window {
    let end = now.duration_trunc(Duration::hours(1)).unwrap_or(now);
    Window { start: end - Duration::days(days as i64), end }
}

type Task<'a> = Pin<Box<dyn Future<Output = Result<CollectorOutput, CollectError>> + Send + 'a>>;

/// Run every collector and assemble a snapshot. Fails only when nothing can be
/// collected at all (no credentials, no region); any single collector's failure is
/// recorded in the manifest instead.
pub async fn collect(opts: &CollectOptions, progress: &(dyn Fn(Progress) + Sync)) -> Result<Snapshot, CollectError> {
    let ctx = Arc::new(AwsContext::load(opts.profile.as_deref(), &opts.retry).await?);
    let window = window_for(opts.days.clamp(1, 93), Utc::now());
    let regions = resolve_regions(&ctx, opts).await?;
    let account = api_calls::COLLECTOR
        .scope("sts".into(), async {
            ctx.sts().get_caller_identity().send().await.ok().and_then(|r| r.account().map(str::to_string))
        })
        .await;

    let mut tasks: Vec<(String, Task)> = Vec::new();
    for region in &regions {
        let (c, r, w) = (ctx.clone(), region.clone(), window.clone());
        tasks.push((format!("ec2/{region}"), Box::pin(async move { ec2::collect(&c, &r, &w).await })));
        let (c, r, w, minute) = (ctx.clone(), region.clone(), window.clone(), opts.dynamodb_minute_units);
        tasks
            .push((format!("dynamodb/{region}"), Box::pin(async move { dynamodb::collect(&c, &r, &w, minute).await })));
        // DR posture: backups, databases, Elastic Disaster Recovery (which lists the servers
        // replicating *into* this region) and Auto Scaling groups (standby capacity).
        let (c, r) = (ctx.clone(), region.clone());
        tasks.push((format!("backup/{region}"), Box::pin(async move { backup::collect(&c, &r).await })));
        let (c, r) = (ctx.clone(), region.clone());
        tasks.push((format!("rds/{region}"), Box::pin(async move { rds::collect(&c, &r).await })));
        let (c, r) = (ctx.clone(), region.clone());
        tasks.push((format!("drs/{region}"), Box::pin(async move { drs::collect(&c, &r).await })));
        let (c, r) = (ctx.clone(), region.clone());
        tasks.push((format!("autoscaling/{region}"), Box::pin(async move { autoscaling::collect(&c, &r).await })));
        let (c, r, w) = (ctx.clone(), region.clone(), window.clone());
        tasks.push((format!("network/{region}"), Box::pin(async move { network::collect(&c, &r, &w).await })));
        let (c, r) = (ctx.clone(), region.clone());
        tasks.push((format!("eks/{region}"), Box::pin(async move { eks::collect(&c, &r).await })));
    }
    let (c, rs, acct) = (ctx.clone(), regions.clone(), account.clone());
    tasks.push(("s3".into(), Box::pin(async move { s3::collect(&c, &rs, acct.as_deref(), Utc::now()).await })));
    let (c, cache, acct) = (ctx.clone(), opts.cache_dir.clone(), account.clone());
    tasks.push((
        "cost-explorer".into(),
        Box::pin(async move { cost_explorer::collect(&c, acct.as_deref(), cache.as_deref(), Utc::now()).await }),
    ));

    let results = run_bounded(tasks, opts.concurrency.max(1), progress).await;
    tracing::debug!(calls = ?ctx.counter.all(), "API calls by collector");

    let mut frames: BTreeMap<FrameName, Vec<DataFrame>> = BTreeMap::new();
    let mut collectors = BTreeMap::new();
    for (name, result) in results {
        let api_calls = ctx.counter.of(&name);
        let run = match result {
            Ok(out) => {
                let written: Vec<FrameName> = out.frames.iter().map(|(f, _)| *f).collect();
                for (f, df) in out.frames {
                    frames.entry(f).or_default().push(df);
                }
                let status = if out.missing.is_empty() { CollectorStatus::Ok } else { CollectorStatus::Partial };
                let error = (!out.missing.is_empty()).then(|| out.missing.join("; "));
                let api_cost_usd = api_cost_usd(&api_calls);
                CollectorRun { status, error, api_calls, frames: dedup(written), api_cost_usd }
            }
            Err(e) => CollectorRun {
                status: CollectorStatus::Failed,
                error: Some(e.to_string()),
                api_cost_usd: api_cost_usd(&api_calls),
                api_calls,
                frames: vec![],
            },
        };
        collectors.insert(name, run);
    }
    if let Some(sts_calls) = Some(ctx.counter.of("sts")).filter(|c| !c.is_empty()) {
        let status = if account.is_some() { CollectorStatus::Ok } else { CollectorStatus::Failed };
        let error = account.is_none().then(|| "sts:GetCallerIdentity failed: account id unknown".to_string());
        let run = CollectorRun { status, error, api_calls: sts_calls, frames: vec![], api_cost_usd: 0.0 };
        collectors.insert("sts".into(), run);
    }

    let manifest = Manifest {
        schema_version: SCHEMA_VERSION,
        created_at: Utc::now(),
        source: SourceKind::Live,
        source_detail: format!("profile {}", opts.profile.as_deref().unwrap_or("default")),
        accounts: account.clone().into_iter().collect(),
        regions: regions.clone(),
        window: window.clone(),
        collectors,
    };
    let mut snapshot = Snapshot::new(manifest);
    for (name, parts) in frames {
        snapshot.insert(name, concat_frames(parts)?);
    }
    if let Some(src) = &opts.flow_logs {
        // Flow logs last: naming their addresses needs the VPC frames collected above.
        const NAME: &str = "flow-logs";
        progress(Progress::Started { collector: NAME.into() });
        let result = api_calls::COLLECTOR
            .scope(NAME.into(), flow_logs::collect(&ctx, src, &regions, account.as_deref(), &window, &snapshot))
            .await;
        let api_calls = ctx.counter.of(NAME);
        let run = match result {
            Ok(out) => {
                let written = dedup(out.frames.iter().map(|(f, _)| *f).collect());
                for (f, df) in out.frames {
                    // CloudWatch's NAT days first: the rules keep the first row of a day.
                    let df = match (f, snapshot.frame(f)) {
                        (FrameName::NatGatewayDaily, Some(cw)) => concat_frames(vec![cw.clone(), df])?,
                        _ => df,
                    };
                    snapshot.insert(f, df);
                }
                let status = if out.missing.is_empty() { CollectorStatus::Ok } else { CollectorStatus::Partial };
                let error = (!out.missing.is_empty()).then(|| out.missing.join("; "));
                let api_cost_usd = api_cost_usd(&api_calls);
                CollectorRun { status, error, api_calls, frames: written, api_cost_usd }
            }
            Err(e) => CollectorRun {
                status: CollectorStatus::Failed,
                error: Some(e.to_string()),
                api_cost_usd: api_cost_usd(&api_calls),
                api_calls,
                frames: vec![],
            },
        };
        progress(Progress::Finished { collector: NAME.into(), status: run.status, detail: run.error.clone() });
        snapshot.manifest.collectors.insert(NAME.into(), run);
    }
    Ok(snapshot)
}

fn concat_frames(parts: Vec<DataFrame>) -> Result<DataFrame, CollectError> {
    if parts.len() == 1 {
        return Ok(parts.into_iter().next().unwrap_or_default());
    }
    let lazy: Vec<LazyFrame> = parts.into_iter().map(|df| df.lazy()).collect();
    Ok(concat(lazy, UnionArgs::default())?.collect()?)
}

fn dedup(mut frames: Vec<FrameName>) -> Vec<FrameName> {
    frames.sort();
    frames.dedup();
    frames
}

async fn resolve_regions(ctx: &AwsContext, opts: &CollectOptions) -> Result<Vec<String>, CollectError> {
    if !opts.regions.is_empty() {
        return Ok(opts.regions.clone());
    }
    let home = ctx.default_region().ok_or(CollectError::NoRegion)?;
    if !opts.all_regions {
        return Ok(vec![home]);
    }
    let resp = api_calls::COLLECTOR
        .scope("regions".into(), async { ctx.ec2(&home).describe_regions().all_regions(false).send().await })
        .await
        .map_err(|e| CollectError::from_sdk("ec2:DescribeRegions", e))?;
    let mut regions: Vec<String> = resp.regions().iter().filter_map(|r| r.region_name().map(str::to_string)).collect();
    regions.sort();
    Ok(regions)
}

/// Run the tasks with at most `limit` at once, each under its collector name (for the
/// API-call counter), reporting progress. Results come back in task order.
async fn run_bounded<'a>(
    tasks: Vec<(String, Task<'a>)>,
    limit: usize,
    progress: &(dyn Fn(Progress) + Sync),
) -> Vec<(String, Result<CollectorOutput, CollectError>)> {
    use futures_util::StreamExt;
    futures_util::stream::iter(tasks.into_iter().map(|(name, task)| async move {
        progress(Progress::Started { collector: name.clone() });
        let result = api_calls::COLLECTOR.scope(name.clone(), task).await;
        let (status, detail) = match &result {
            Ok(out) if out.missing.is_empty() => (CollectorStatus::Ok, None),
            Ok(out) => (CollectorStatus::Partial, Some(out.missing.join("; "))),
            Err(e) => (CollectorStatus::Failed, Some(e.to_string())),
        };
        progress(Progress::Finished { collector: name.clone(), status, detail });
        (name, result)
    }))
    .buffered(limit)
    .collect()
    .await
}
