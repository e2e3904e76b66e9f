//! Elastic Disaster Recovery collector: DescribeSourceServers in each region — the
//! region DRS replicates *into* — → one `dr_posture` row per source server (mechanism
//! `drs`, destination this region, the source EC2 instance as the resource it protects,
//! its disks as the data replicated). A region where DRS was never initialised is not
//! an error: nothing replicates there.

use std::collections::BTreeMap;

use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use crate::snapshot::FrameName;
use crate::snapshot::builder::FrameBuilder;

use super::aws::AwsContext;
use super::backup::WORKLOAD_TAG;
use super::{CollectError, CollectorOutput};

const GIB: f64 = 1_073_741_824.0;

/// Replication states in which a source server does not protect anything.
const NOT_REPLICATING: &[&str] = &["STOPPED", "DISCONNECTED", "PAUSED", "NOT_STARTED"];

pub async fn collect(ctx: &AwsContext, region: &str) -> Result<CollectorOutput, CollectError> {
    read(&ctx.drs(region), region).await
}

/// The collector's work on one client (tests hand it a mocked one).
pub async fn read(client: &aws_sdk_drs::Client, region: &str) -> Result<CollectorOutput, CollectError> {
    let mut out = CollectorOutput::default();
    let mut servers = Vec::new();
    let mut pages = client.describe_source_servers().into_paginator().send();
    while let Some(page) = pages.next().await {
        match page {
            Ok(p) => servers.extend(p.items().iter().cloned()),
            Err(e) if e.code() == Some("UninitializedAccountException") => {
                out.frames.push((FrameName::DrPosture, FrameBuilder::new(FrameName::DrPosture).finish()?));
                return Ok(out);
            }
            Err(e) => return Err(CollectError::from_sdk("drs:DescribeSourceServers", e)),
        }
    }
    let mut rows = FrameBuilder::new(FrameName::DrPosture);
    for s in &servers {
        let id = s.source_server_id().unwrap_or_default();
        let props = s.source_properties();
        let hints = props.and_then(|p| p.identification_hints());
        let instance = hints.and_then(|h| h.aws_instance_id()).map(str::to_string);
        let host = hints.and_then(|h| h.hostname()).unwrap_or_default();
        let disks: f64 = props.map(|p| p.disks().iter().map(|d| d.bytes() as f64).sum::<f64>()).unwrap_or(0.0) / GIB;
        let info = s.data_replication_info();
        let state = info.and_then(|i| i.data_replication_state()).map(|s| s.as_str().to_string()).unwrap_or_default();
        let lag = info.and_then(|i| i.lag_duration()).unwrap_or("unknown");
        let tags: BTreeMap<String, String> =
            s.tags().map(|t| t.iter().map(|(k, v)| (k.clone(), v.clone())).collect()).unwrap_or_default();
        let replicating = !NOT_REPLICATING.contains(&state.as_str());
        rows.row([
            ("workload", tags.get(WORKLOAD_TAG).cloned().into()),
            // A server that does not replicate protects nothing; the DR rule ignores this mechanism name.
            ("mechanism", if replicating { "drs" } else { "drs-not-replicating" }.into()),
            (
                "detail",
                format!("Elastic Disaster Recovery source server {id} ({host}), replication {state}, lag {lag}").into(),
            ),
            ("frequency_min", 0i64.into()),
            ("dest_region", region.into()),
            ("region", s.source_cloud_properties().and_then(|c| c.origin_region()).map(str::to_string).into()),
            ("resources", instance.or_else(|| s.arn().map(str::to_string)).into()),
            ("data_gib", (disks > 0.0).then_some(disks).into()),
        ])?;
    }
    out.frames.push((FrameName::DrPosture, rows.finish()?));
    Ok(out)
}
