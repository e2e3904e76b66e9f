//! S3 collector: buckets and their configuration (location, versioning, lifecycle,
//! Intelligent-Tiering, replication, tags), daily storage by class from CloudWatch over
//! 90 days, and request metrics where they are published — found through S3's metrics
//! configurations, or through CloudWatch's own list when S3 cannot list them.

use std::collections::{BTreeMap, HashMap};

use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use chrono::{DateTime, Duration, DurationRound, Utc};

use crate::snapshot::FrameName;
use crate::snapshot::builder::{Cell, FrameBuilder};

use super::aws::AwsContext;
use super::cloudwatch::{MetricQuery, get_metric_data};
use super::{CollectError, CollectorOutput};

/// Days of daily storage and request history collected.
pub const STORAGE_DAYS: i64 = 90;

/// CloudWatch `StorageType` → the snapshot's storage class.
pub const STORAGE_TYPES: &[(&str, &str)] = &[
    ("StandardStorage", "STANDARD"),
    ("StandardIAStorage", "STANDARD_IA"),
    ("OneZoneIAStorage", "ONEZONE_IA"),
    ("GlacierInstantRetrievalStorage", "GLACIER_IR"),
    ("GlacierStorage", "GLACIER"),
    ("DeepArchiveStorage", "DEEP_ARCHIVE"),
    ("IntelligentTieringFAStorage", "INTELLIGENT_TIERING_FA"),
    ("IntelligentTieringIAStorage", "INTELLIGENT_TIERING_IA"),
    ("IntelligentTieringAIAStorage", "INTELLIGENT_TIERING_AIA"),
    ("IntelligentTieringAAStorage", "INTELLIGENT_TIERING_AA"),
    ("IntelligentTieringDAAStorage", "INTELLIGENT_TIERING_DAA"),
    ("ReducedRedundancyStorage", "REDUCED_REDUNDANCY"),
];

struct Bucket {
    name: String,
    region: String,
    /// The request-metrics filter to read and what it covers; an empty id with
    /// `Unknown` scope when S3 could not list the configurations (CloudWatch is asked).
    metrics_filter: Option<(String, Scope)>,
    /// The bucket's row in the s3_buckets frame.
    row: usize,
}

/// What a request-metrics filter covers (the `request_metrics_scope` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// A configuration without a filter: every request of the bucket.
    Bucket,
    /// A prefix, tag or access-point filter: part of the bucket's requests.
    Partial,
    /// Found in CloudWatch only, so its filter is not known.
    Unknown,
}

impl Scope {
    fn as_str(self) -> &'static str {
        match self {
            Scope::Bucket => "bucket",
            Scope::Partial => "partial",
            Scope::Unknown => "unknown",
        }
    }
}

/// The filter id the S3 console gives a whole-bucket request-metrics configuration.
const CONSOLE_WHOLE_BUCKET_FILTER: &str = "EntireBucket";

/// `GetBucketLocation`'s answer → region (`null` is us-east-1, `EU` is eu-west-1).
pub fn location_to_region(constraint: Option<&str>) -> String {
    match constraint {
        None | Some("") => "us-east-1".into(),
        Some("EU") => "eu-west-1".into(),
        Some(r) => r.to_string(),
    }
}

async fn bucket_region(ctx: &AwsContext, name: &str) -> Result<String, CollectError> {
    let resp = ctx
        .s3("us-east-1")
        .get_bucket_location()
        .bucket(name)
        .send()
        .await
        .map_err(|e| CollectError::from_sdk("s3:GetBucketLocation", e))?;
    Ok(location_to_region(resp.location_constraint().map(|c| c.as_str())))
}

/// An S3 "not configured" answer (no lifecycle, no tags, no replication) is not a failure.
fn not_configured<E: ProvideErrorMetadata>(e: &E) -> bool {
    matches!(
        e.code(),
        Some(
            "NoSuchLifecycleConfiguration"
                | "NoSuchTagSet"
                | "ReplicationConfigurationNotFoundError"
                | "NoSuchConfiguration"
        )
    )
}

/// `Enabled` / `Suspended` / `Disabled` from a 200 response the SDK could not parse.
fn lenient_versioning<E>(
    e: &aws_smithy_runtime_api::client::result::SdkError<E, aws_smithy_runtime_api::client::orchestrator::HttpResponse>,
) -> Option<String> {
    let raw = e.raw_response()?;
    if raw.status().as_u16() != 200 {
        return None;
    }
    let body = std::str::from_utf8(raw.body().bytes()?).ok()?;
    if !body.contains("Versioning") {
        return None;
    }
    let status = body.split("<Status>").nth(1).and_then(|rest| rest.split("</Status>").next());
    Some(status.unwrap_or("Disabled").to_string())
}

pub async fn collect(
    ctx: &AwsContext,
    regions: &[String],
    account: Option<&str>,
    now: DateTime<Utc>,
) -> Result<CollectorOutput, CollectError> {
    let mut out = CollectorOutput::default();
    let mut names = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let resp = ctx
            .s3("us-east-1")
            .list_buckets()
            .set_continuation_token(token.clone())
            .send()
            .await
            .map_err(|e| CollectError::from_sdk("s3:ListBuckets", e))?;
        for b in resp.buckets() {
            if let Some(name) = b.name() {
                names.push((name.to_string(), b.creation_date().map(|d| d.secs() * 1000)));
            }
        }
        token = resp.continuation_token().map(str::to_string);
        if token.is_none() {
            break;
        }
    }

    let mut frame = FrameBuilder::new(FrameName::S3Buckets);
    let mut replication = FrameBuilder::new(FrameName::S3Replication);
    let mut dest_regions: HashMap<String, Option<String>> = HashMap::new();
    let mut buckets = Vec::new();
    for (name, created) in names {
        let region = match bucket_region(ctx, &name).await {
            Ok(r) => r,
            Err(e) => {
                out.missing.push(format!("bucket {name}: region unknown ({e})"));
                continue;
            }
        };
        if !regions.contains(&region) {
            continue;
        }
        let s3 = ctx.s3(&region);
        let mut missing = |what: &str, e: String| out.missing.push(format!("bucket {name}: {what}: {e}"));

        let versioning = match s3.get_bucket_versioning().bucket(&name).send().await {
            Ok(v) => v.status().map(|s| s.as_str().to_string()).unwrap_or_else(|| "Disabled".into()),
            // Some S3-compatible endpoints (moto among them) name the XML root
            // differently; the answer is still readable from the raw body.
            Err(e) if lenient_versioning(&e).is_some() => lenient_versioning(&e).unwrap_or_default(),
            Err(e) => {
                missing("versioning", CollectError::from_sdk("s3:GetBucketVersioning", e).to_string());
                "Unknown".into()
            }
        };
        let (rules, noncurrent_days, abort_days) =
            match s3.get_bucket_lifecycle_configuration().bucket(&name).send().await {
                Ok(l) => {
                    let rules = l.rules();
                    let noncurrent = rules
                        .iter()
                        .filter_map(|r| r.noncurrent_version_expiration().and_then(|n| n.noncurrent_days()))
                        .min()
                        .map(i64::from);
                    let abort = rules
                        .iter()
                        .filter_map(|r| r.abort_incomplete_multipart_upload().and_then(|a| a.days_after_initiation()))
                        .min()
                        .map(i64::from);
                    (rules.len() as i64, noncurrent, abort)
                }
                Err(e) if e.as_service_error().is_some_and(not_configured) => (0, None, None),
                Err(e) => {
                    missing("lifecycle", CollectError::from_sdk("s3:GetBucketLifecycleConfiguration", e).to_string());
                    (0, None, None)
                }
            };
        let it = match s3.list_bucket_intelligent_tiering_configurations().bucket(&name).send().await {
            Ok(r) => !r.intelligent_tiering_configuration_list().is_empty(),
            Err(e) => {
                missing(
                    "intelligent-tiering",
                    CollectError::from_sdk("s3:ListBucketIntelligentTieringConfigurations", e).to_string(),
                );
                false
            }
        };
        let replication_dest = match s3.get_bucket_replication().bucket(&name).send().await {
            Ok(r) => {
                // Every rule into `s3_replication`; the bucket row keeps the first rule's destination region.
                let mut first = None;
                for (n, rule) in r.replication_configuration().map(|c| c.rules()).unwrap_or_default().iter().enumerate()
                {
                    let Some(dest) = rule.destination() else { continue };
                    let dest_bucket = dest.bucket().trim_start_matches("arn:aws:s3:::").to_string();
                    let dest_region = match dest_regions.get(&dest_bucket) {
                        Some(r) => r.clone(),
                        None => {
                            let r = bucket_region(ctx, &dest_bucket).await.ok();
                            dest_regions.insert(dest_bucket.clone(), r.clone());
                            r
                        }
                    };
                    if n == 0 {
                        first = Some(dest_region.clone().unwrap_or_else(|| "unknown".into()));
                    }
                    let rtc =
                        dest.replication_time().is_some_and(|t| t.status().as_str().eq_ignore_ascii_case("enabled"));
                    let prefix = rule
                        .filter()
                        .and_then(|f| f.prefix().or_else(|| f.and().and_then(|a| a.prefix())))
                        .map(str::to_string);
                    replication.row([
                        ("bucket", name.as_str().into()),
                        ("rule_id", rule.id().map(str::to_string).unwrap_or_else(|| format!("rule-{}", n + 1)).into()),
                        ("status", rule.status().as_str().into()),
                        ("dest_bucket", dest_bucket.into()),
                        ("dest_region", dest_region.into()),
                        ("dest_storage_class", dest.storage_class().map(|c| c.as_str().to_string()).into()),
                        ("rtc", rtc.into()),
                        ("prefix", prefix.into()),
                    ])?;
                }
                first
            }
            Err(e) if e.as_service_error().is_some_and(not_configured) => None,
            Err(e) => {
                missing("replication", CollectError::from_sdk("s3:GetBucketReplication", e).to_string());
                None
            }
        };
        let tags: BTreeMap<String, String> = match s3.get_bucket_tagging().bucket(&name).send().await {
            Ok(t) => t.tag_set().iter().map(|t| (t.key().to_string(), t.value().to_string())).collect(),
            Err(e) if e.as_service_error().is_some_and(not_configured) => BTreeMap::new(),
            Err(e) => {
                missing("tags", CollectError::from_sdk("s3:GetBucketTagging", e).to_string());
                BTreeMap::new()
            }
        };
        // Prefer a configuration without a filter: it covers the whole bucket. When S3
        // cannot list them, the filters are found in CloudWatch itself (daily_metrics).
        let metrics_filter = match s3.list_bucket_metrics_configurations().bucket(&name).send().await {
            Ok(m) => {
                let list = m.metrics_configuration_list();
                list.iter()
                    .find(|c| c.filter().is_none())
                    .map(|c| (c.id().to_string(), Scope::Bucket))
                    .or_else(|| list.first().map(|c| (c.id().to_string(), Scope::Partial)))
            }
            Err(e) => {
                missing("request metrics", CollectError::from_sdk("s3:ListBucketMetricsConfigurations", e).to_string());
                Some((String::new(), Scope::Unknown))
            }
        };
        frame.row([
            ("account_id", account.unwrap_or_default().into()),
            ("region", region.clone().into()),
            ("bucket", name.clone().into()),
            ("versioning", versioning.into()),
            ("lifecycle_rule_count", rules.into()),
            ("noncurrent_expiration_days", noncurrent_days.into()),
            ("abort_incomplete_multipart_days", abort_days.into()),
            ("intelligent_tiering_configured", it.into()),
            ("replication_dest_region", replication_dest.into()),
            ("created_at", Cell::Ts(created)),
            ("tags", serde_json::to_string(&tags).unwrap_or_else(|_| "{}".into()).into()),
        ])?;
        buckets.push(Bucket { name, region, metrics_filter, row: frame.len() - 1 });
    }
    out.frames.push((FrameName::S3Replication, replication.finish()?));

    let end = now.duration_trunc(Duration::days(1)).unwrap_or(now);
    let start = end - Duration::days(STORAGE_DAYS);
    let mut by_region: HashMap<&str, Vec<&Bucket>> = HashMap::new();
    for b in &buckets {
        by_region.entry(b.region.as_str()).or_default().push(b);
    }
    let mut storage = FrameBuilder::new(FrameName::S3StorageDaily);
    let mut requests = FrameBuilder::new(FrameName::S3RequestsDaily);
    let mut metrics_ok = true;
    let mut scopes: Vec<(usize, Scope)> = Vec::new();
    for (region, group) in by_region {
        match daily_metrics(ctx, region, &group, start, end, &mut storage, &mut requests).await {
            Ok(found) => scopes.extend(found),
            Err(e) => {
                out.missing.push(format!("S3 metrics in {region}: {e}"));
                metrics_ok = false;
            }
        }
    }
    for (row, scope) in scopes {
        frame.set_row(row, [("request_metrics_scope", scope.as_str().into())])?;
    }
    out.frames.push((FrameName::S3Buckets, frame.finish()?));
    if metrics_ok || !storage.is_empty() {
        out.frames.push((FrameName::S3StorageDaily, storage.finish()?));
        out.frames.push((FrameName::S3RequestsDaily, requests.finish()?));
    }
    Ok(out)
}

const REQUEST_SERIES: &[(&str, &str)] = &[
    ("get_requests", "GetRequests"),
    ("put_requests", "PutRequests"),
    ("list_requests", "ListRequests"),
    ("bytes_downloaded", "BytesDownloaded"),
];

async fn daily_metrics(
    ctx: &AwsContext,
    region: &str,
    buckets: &[&Bucket],
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    storage: &mut FrameBuilder,
    requests: &mut FrameBuilder,
) -> Result<Vec<(usize, Scope)>, CollectError> {
    let cw = ctx.cloudwatch(region);
    // Which (bucket, storage type) pairs have data: one ListMetrics walk instead of
    // querying every storage type of every bucket.
    let mut present: Vec<(String, String)> = Vec::new();
    let mut pages = cw.list_metrics().namespace("AWS/S3").metric_name("BucketSizeBytes").into_paginator().send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| CollectError::from_sdk("cloudwatch:ListMetrics", e))?;
        for m in page.metrics() {
            let dim = |n: &str| m.dimensions().iter().find(|d| d.name() == Some(n)).and_then(|d| d.value());
            if let (Some(b), Some(t)) = (dim("BucketName"), dim("StorageType"))
                && buckets.iter().any(|x| x.name == b)
            {
                present.push((b.to_string(), t.to_string()));
            }
        }
    }
    present.sort();
    present.dedup();

    // Request-metrics filters as CloudWatch has them (BucketName × FilterId): the source of
    // truth when S3's ListBucketMetricsConfigurations is denied or unavailable.
    let mut published: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut pages = cw.list_metrics().namespace("AWS/S3").metric_name("GetRequests").into_paginator().send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| CollectError::from_sdk("cloudwatch:ListMetrics", e))?;
        for m in page.metrics() {
            let dim = |n: &str| m.dimensions().iter().find(|d| d.name() == Some(n)).and_then(|d| d.value());
            if let (Some(b), Some(f)) = (dim("BucketName"), dim("FilterId")) {
                published.entry(b.to_string()).or_default().push(f.to_string());
            }
        }
    }
    // Per bucket: the filters to read and what they cover. With S3's list, its choice;
    // without it, the console's whole-bucket filter if published, else every published
    // filter (reads are then each day's largest over them: never more than the bucket's).
    let mut filters: Vec<(&Bucket, Vec<String>, Scope)> = Vec::new();
    for b in buckets {
        let found = published.get(&b.name).cloned().unwrap_or_default();
        match &b.metrics_filter {
            Some((id, scope)) if !id.is_empty() => filters.push((b, vec![id.clone()], *scope)),
            Some(_) if found.iter().any(|f| f == CONSOLE_WHOLE_BUCKET_FILTER) => {
                filters.push((b, vec![CONSOLE_WHOLE_BUCKET_FILTER.to_string()], Scope::Bucket))
            }
            Some(_) if !found.is_empty() => filters.push((b, found, Scope::Unknown)),
            _ => {}
        }
    }

    enum Key<'a> {
        Size(&'a str, &'static str),
        Objects(&'a str),
        Request(&'a str, &'static str),
    }
    let mut queries = Vec::new();
    let mut keys = Vec::new();
    for (bucket, storage_type) in &present {
        let Some((_, class)) = STORAGE_TYPES.iter().find(|(t, _)| t == storage_type) else { continue };
        queries.push(MetricQuery {
            namespace: "AWS/S3",
            metric: "BucketSizeBytes",
            dimensions: vec![("BucketName", bucket.clone()), ("StorageType", storage_type.clone())],
            stat: "Average",
            period_secs: 86_400,
        });
        keys.push(Key::Size(bucket, class));
    }
    for b in buckets {
        queries.push(MetricQuery {
            namespace: "AWS/S3",
            metric: "NumberOfObjects",
            dimensions: vec![("BucketName", b.name.clone()), ("StorageType", "AllStorageTypes".into())],
            stat: "Average",
            period_secs: 86_400,
        });
        keys.push(Key::Objects(&b.name));
    }
    for (b, ids, _) in &filters {
        for filter in ids {
            for (column, metric) in REQUEST_SERIES {
                queries.push(MetricQuery {
                    namespace: "AWS/S3",
                    metric,
                    dimensions: vec![("BucketName", b.name.clone()), ("FilterId", filter.clone())],
                    stat: "Sum",
                    period_secs: 86_400,
                });
                keys.push(Key::Request(&b.name, column));
            }
        }
    }
    let series = get_metric_data(&cw, &ctx.counter, &queries, start.timestamp(), end.timestamp()).await?;

    let day = |secs: i64| (secs / 86_400) as i32;
    let mut objects: HashMap<(&str, i32), i64> = HashMap::new();
    let mut sizes: BTreeMap<(&str, i32, &str), i64> = BTreeMap::new();
    let mut reqs: BTreeMap<(&str, i32), HashMap<&str, i64>> = BTreeMap::new();
    for (key, points) in keys.iter().zip(series) {
        for (t, v) in points {
            match key {
                Key::Size(b, class) => {
                    sizes.insert((b, day(t), class), v.round() as i64);
                }
                Key::Objects(b) => {
                    objects.insert((b, day(t)), v.round() as i64);
                }
                Key::Request(b, column) => {
                    // Several filters of unknown scope: keep each day's largest.
                    let slot = reqs.entry((b, day(t))).or_default().entry(column).or_insert(0);
                    *slot = (*slot).max(v.round() as i64);
                }
            }
        }
    }
    for ((bucket, d, class), bytes) in sizes {
        // AWS reports the object count for all classes together: it goes on STANDARD.
        let objs = if class == "STANDARD" { objects.get(&(bucket, d)).copied() } else { None };
        storage.row([
            ("bucket", bucket.into()),
            ("date", Cell::Date(Some(d))),
            ("storage_class", class.into()),
            ("bytes", bytes.into()),
            ("objects", objs.into()),
        ])?;
    }
    for ((bucket, d), v) in reqs {
        requests.row([
            ("bucket", bucket.into()),
            ("date", Cell::Date(Some(d))),
            ("get_requests", v.get("get_requests").copied().into()),
            ("put_requests", v.get("put_requests").copied().into()),
            ("list_requests", v.get("list_requests").copied().into()),
            ("bytes_downloaded", v.get("bytes_downloaded").copied().into()),
        ])?;
    }
    Ok(filters.iter().map(|(b, _, scope)| (b.row, *scope)).collect())
}

#[cfg(test)]
mod tests {
    #[test]
    fn location_constraints() {
        assert_eq!(super::location_to_region(None), "us-east-1");
        assert_eq!(super::location_to_region(Some("EU")), "eu-west-1");
        assert_eq!(super::location_to_region(Some("ap-northeast-2")), "ap-northeast-2");
    }
}
