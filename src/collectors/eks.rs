//! EKS collector: ListClusters, DescribeCluster (the Kubernetes version decides which
//! routing hint a Service can use; the VPC ties the cluster to its flow logs) and
//! ListNodegroups → `eks_clusters`.

use crate::import::network::inventory::{ClusterRow, Inventory};

use super::aws::AwsContext;
use super::{CollectError, CollectorOutput};

pub async fn collect(ctx: &AwsContext, region: &str) -> Result<CollectorOutput, CollectError> {
    let client = ctx.eks(region);
    let mut out = CollectorOutput::default();
    let mut names = Vec::new();
    let mut pages = client.list_clusters().into_paginator().send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| CollectError::from_sdk("eks:ListClusters", e))?;
        names.extend(page.clusters().iter().cloned());
    }
    let mut inv = Inventory::default();
    for name in names {
        let described = match client.describe_cluster().name(&name).send().await {
            Ok(d) => d,
            Err(e) => {
                out.missing.push(format!("cluster {name}: {}", CollectError::from_sdk("eks:DescribeCluster", e)));
                continue;
            }
        };
        let Some(c) = described.cluster() else { continue };
        let mut nodegroups = 0i64;
        let mut listed = true;
        let mut pages = client.list_nodegroups().cluster_name(&name).into_paginator().send();
        while let Some(page) = pages.next().await {
            match page {
                Ok(p) => nodegroups += p.nodegroups().len() as i64,
                Err(e) => {
                    out.missing
                        .push(format!("node groups of {name}: {}", CollectError::from_sdk("eks:ListNodegroups", e)));
                    listed = false;
                    break;
                }
            }
        }
        let account = c.arn().and_then(|a| a.split(':').nth(4)).map(str::to_string);
        inv.clusters.push(ClusterRow {
            eks_cluster: name.clone(),
            account_id: account,
            region: Some(region.to_string()),
            kubernetes_version: c.version().map(str::to_string),
            version_source: Some("eks".into()),
            vpc_id: c.resources_vpc_config().and_then(|v| v.vpc_id()).map(str::to_string),
            node_cpu_by_az: None,
            nodegroups: listed.then_some(nodegroups),
            platform_version: c.platform_version().map(str::to_string),
        });
    }
    out.frames.extend(inv.frames()?);
    Ok(out)
}
