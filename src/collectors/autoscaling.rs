//! Auto Scaling collector: DescribeAutoScalingGroups → `autoscaling_groups` (desired,
//! min, max, instance types and members, tags). In a recovery region this is how
//! standby capacity is seen: a group at zero is a pilot light, a scaled-down group a
//! warm standby.

use std::collections::BTreeMap;

use crate::snapshot::FrameName;
use crate::snapshot::builder::FrameBuilder;

use super::aws::AwsContext;
use super::{CollectError, CollectorOutput};

pub async fn collect(ctx: &AwsContext, region: &str) -> Result<CollectorOutput, CollectError> {
    read(&ctx.autoscaling(region), region).await
}

/// The collector's work on one client (tests hand it a mocked one).
pub async fn read(client: &aws_sdk_autoscaling::Client, region: &str) -> Result<CollectorOutput, CollectError> {
    let mut groups = Vec::new();
    let mut pages = client.describe_auto_scaling_groups().into_paginator().send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| CollectError::from_sdk("autoscaling:DescribeAutoScalingGroups", e))?;
        groups.extend(page.auto_scaling_groups().iter().cloned());
    }
    let mut b = FrameBuilder::new(FrameName::AutoscalingGroups);
    for g in &groups {
        let mut types: Vec<String> =
            g.instances().iter().filter_map(|i| i.instance_type()).map(str::to_string).collect();
        if let Some(lt) = g.mixed_instances_policy().and_then(|m| m.launch_template()) {
            types.extend(lt.overrides().iter().filter_map(|o| o.instance_type()).map(str::to_string));
        }
        types.sort();
        types.dedup();
        let ids: Vec<&str> = g.instances().iter().filter_map(|i| i.instance_id()).collect();
        let tags: BTreeMap<&str, &str> =
            g.tags().iter().filter_map(|t| Some((t.key()?, t.value().unwrap_or_default()))).collect();
        let arn = g.auto_scaling_group_arn().unwrap_or_default();
        b.row([
            ("account_id", arn.split(':').nth(4).unwrap_or_default().into()),
            ("region", region.into()),
            ("asg_name", g.auto_scaling_group_name().unwrap_or_default().into()),
            ("desired_capacity", (g.desired_capacity().unwrap_or(0) as i64).into()),
            ("min_size", (g.min_size().unwrap_or(0) as i64).into()),
            ("max_size", (g.max_size().unwrap_or(0) as i64).into()),
            ("instance_types", types.join(",").into()),
            ("instance_ids", ids.join(",").into()),
            ("tags", serde_json::to_string(&tags).unwrap_or_else(|_| "{}".into()).into()),
        ])?;
    }
    let mut out = CollectorOutput::default();
    out.frames.push((FrameName::AutoscalingGroups, b.finish()?));
    Ok(out)
}
