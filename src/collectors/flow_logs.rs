//! VPC flow logs read live from their S3 delivery (`[network] flow_logs = "s3://…"`):
//! ListObjectsV2 under `<prefix>/AWSLogs/<account>/vpcflowlogs/<region>/YYYY/MM/DD/`
//! for each day of the window, GetObject of each object, streamed through the same
//! scanner as `--import` with the live VPC inventory (and kubectl output, when
//! configured) naming the addresses. Read-only; runs after the other collectors,
//! whose frames it needs.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{Duration, DurationRound};
use futures_util::StreamExt;

use crate::import::network::flow_scan::{Scan, SeenFlows};
use crate::import::network::inventory::Inventory;
use crate::import::network::kubernetes::{self, KubeObjects};
use crate::import::network::topology::Topology;
use crate::import::network::{flow_frames, kube_clusters, scan_object, services_frame};
use crate::snapshot::{FrameName, Snapshot, SnapshotError, Window};

use super::aws::AwsContext;
use super::{CollectError, CollectorOutput};

/// Where the flow logs are.
#[derive(Debug, Clone, PartialEq)]
pub struct FlowLogSource {
    pub bucket: String,
    /// The part of the key before `AWSLogs/` (may be empty).
    pub prefix: String,
    /// kubectl List files naming pods and Services.
    pub kubectl: Vec<PathBuf>,
}

/// Objects fetched and scanned at once.
const CONCURRENCY: usize = 4;

/// The daily prefixes of the window for one account and region.
pub fn day_prefixes(src: &FlowLogSource, account: &str, region: &str, window: &Window) -> Vec<String> {
    let base = if src.prefix.is_empty() { String::new() } else { format!("{}/", src.prefix) };
    let mut day = window.start.duration_trunc(Duration::days(1)).unwrap_or(window.start);
    let mut out = Vec::new();
    while day < window.end {
        out.push(format!("{base}AWSLogs/{account}/vpcflowlogs/{region}/{}/", day.format("%Y/%m/%d")));
        day += Duration::days(1);
    }
    out
}

fn kube_lists(paths: &[PathBuf]) -> Result<Vec<(String, KubeObjects)>, CollectError> {
    let mut out = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(path).map_err(|e| {
            CollectError::Frame(SnapshotError::Unreadable {
                path: path.clone(),
                what: "kubectl List",
                detail: e.to_string(),
            })
        })?;
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("cluster").to_string();
        out.push((stem, kubernetes::parse(path, &text)?));
    }
    Ok(out)
}

async fn bucket_client(ctx: &AwsContext, bucket: &str) -> Result<aws_sdk_s3::Client, CollectError> {
    let resp = ctx
        .s3("us-east-1")
        .get_bucket_location()
        .bucket(bucket)
        .send()
        .await
        .map_err(|e| CollectError::from_sdk("s3:GetBucketLocation", e))?;
    Ok(ctx.s3(&super::s3::location_to_region(resp.location_constraint().map(|c| c.as_str()))))
}

pub async fn collect(
    ctx: &AwsContext,
    src: &FlowLogSource,
    regions: &[String],
    account: Option<&str>,
    window: &Window,
    snapshot: &Snapshot,
) -> Result<CollectorOutput, CollectError> {
    let account = account.ok_or_else(|| {
        CollectError::Other("the account id is unknown (sts:GetCallerIdentity failed): flow-log keys need it".into())
    })?;
    let mut inv = Inventory::from_snapshot(snapshot);
    let clusters = kube_clusters(kube_lists(&src.kubectl)?, &mut inv);
    let topo = Arc::new(Topology::build(&inv, &clusters));
    let s3 = bucket_client(ctx, &src.bucket).await?;
    let mut keys = Vec::new();
    for region in regions {
        for prefix in day_prefixes(src, account, region, window) {
            let mut pages = s3.list_objects_v2().bucket(&src.bucket).prefix(&prefix).into_paginator().send();
            while let Some(page) = pages.next().await {
                let page = page.map_err(|e| CollectError::from_sdk("s3:ListObjectsV2", e))?;
                keys.extend(
                    page.contents()
                        .iter()
                        .filter_map(|o| o.key())
                        .filter(|k| k.ends_with(".log.gz") || k.ends_with(".log"))
                        .map(str::to_string),
                );
            }
        }
    }
    let seen = Arc::new(SeenFlows::new());
    let scans = futures_util::stream::iter(keys.iter().cloned().map(|key| {
        let (s3, topo, seen, bucket) = (s3.clone(), topo.clone(), seen.clone(), src.bucket.clone());
        async move {
            let object = s3
                .get_object()
                .bucket(&bucket)
                .key(&key)
                .send()
                .await
                .map_err(|e| CollectError::from_sdk("s3:GetObject", e))?;
            let bytes = object
                .body
                .collect()
                .await
                .map_err(|e| CollectError::Other(format!("s3://{bucket}/{key}: reading the object: {e}")))?
                .into_bytes();
            tokio::task::spawn_blocking(move || {
                let mut scan = Scan::default();
                scan_object(&topo, &key, &bytes, &seen, &mut scan).map(|_| scan)
            })
            .await
            .map_err(|e| CollectError::Other(format!("scanning {e}")))?
            .map_err(CollectError::Frame)
        }
    }))
    .buffer_unordered(CONCURRENCY)
    .collect::<Vec<_>>()
    .await;
    let mut out = CollectorOutput::default();
    let mut total = Scan::default();
    for scan in scans {
        match scan {
            Ok(s) => total.merge(s),
            Err(e) => out.missing.push(e.to_string()),
        }
    }
    if keys.is_empty() {
        out.missing.push(format!(
            "no flow-log objects under s3://{}/{} for the window (expected …/AWSLogs/{account}/vpcflowlogs/<region>/YYYY/MM/DD/)",
            src.bucket, src.prefix
        ));
        return Ok(out);
    }
    let source = format!("s3://{}/{}", src.bucket, src.prefix);
    let (frames, notes) = flow_frames(&topo, &total, &source, clusters.is_empty())?;
    out.frames.extend(frames);
    out.missing.extend(notes);
    if let Some(df) = services_frame(&clusters, &inv)? {
        out.frames.push((FrameName::EksServices, df));
    }
    if !clusters.is_empty() {
        out.frames.extend(inv.frames()?.into_iter().filter(|(f, _)| *f == FrameName::EksClusters));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_prefix_per_day_of_the_window() {
        let src = FlowLogSource { bucket: "b".into(), prefix: "vpc".into(), kubectl: vec![] };
        let end = chrono::DateTime::parse_from_rfc3339("2026-07-25T10:00:00Z").unwrap().with_timezone(&chrono::Utc);
        let w = Window { start: end - Duration::days(2), end };
        assert_eq!(
            day_prefixes(&src, "123456789012", "us-east-1", &w),
            [
                "vpc/AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/07/23/",
                "vpc/AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/07/24/",
                "vpc/AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/07/25/"
            ]
        );
    }
}
