//! VPC collector: DescribeAvailabilityZones, DescribeSubnets, DescribeNetworkInterfaces,
//! DescribeNatGateways, DescribeVpcEndpoints, the AWS-managed S3 and DynamoDB prefix
//! lists (DescribeManagedPrefixLists, GetManagedPrefixListEntries) — the who-is-who
//! of flow-log addresses — and daily CloudWatch NAT gateway metrics
//! (BytesInFromSource + BytesInFromDestination = data processed, BytesOutToDestination,
//! ActiveConnectionCount) over `NAT_DAYS`, enough for the idle check.

use std::collections::BTreeMap;

use aws_sdk_ec2::types::Filter;
use chrono::{Duration, DurationRound};

use crate::import::network::inventory::{EndpointRow, EniRow, Inventory, NatRow, PrefixListRow, SubnetRow, ZoneRow};
use crate::snapshot::builder::{Cell, FrameBuilder};
use crate::snapshot::{FrameName, Window};

use super::aws::AwsContext;
use super::cloudwatch::{MetricQuery, get_metric_data};
use super::{CollectError, CollectorOutput};

/// Days of daily NAT gateway metrics (the idle check looks at 32).
pub const NAT_DAYS: i64 = 35;

fn tags_json<'a>(tags: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    let map: BTreeMap<&str, &str> = tags.collect();
    serde_json::to_string(&map).unwrap_or_else(|_| "{}".into())
}

/// The wire value of an interface type (the SDK's model spells some differently).
fn interface_type(t: Option<&aws_sdk_ec2::types::NetworkInterfaceType>) -> String {
    match t.map(|t| t.as_str()) {
        Some("natGateway") => "nat_gateway".into(),
        Some(other) => other.to_string(),
        None => "interface".into(),
    }
}

pub async fn collect(ctx: &AwsContext, region: &str, window: &Window) -> Result<CollectorOutput, CollectError> {
    let ec2 = ctx.ec2(region);
    let mut out = CollectorOutput::default();
    let mut inv = Inventory::default();

    let zones = ec2
        .describe_availability_zones()
        .send()
        .await
        .map_err(|e| CollectError::from_sdk("ec2:DescribeAvailabilityZones", e))?;
    for z in zones.availability_zones() {
        inv.zones.push(ZoneRow {
            account_id: None,
            region: z.region_name().unwrap_or(region).to_string(),
            zone_name: z.zone_name().unwrap_or_default().to_string(),
            zone_id: z.zone_id().unwrap_or_default().to_string(),
            zone_type: z.zone_type().map(str::to_string),
        });
    }

    let mut pages = ec2.describe_subnets().into_paginator().send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| CollectError::from_sdk("ec2:DescribeSubnets", e))?;
        for s in page.subnets() {
            inv.subnets.push(SubnetRow {
                account_id: s.owner_id().map(str::to_string),
                region: region.to_string(),
                vpc_id: s.vpc_id().unwrap_or_default().to_string(),
                subnet_id: s.subnet_id().unwrap_or_default().to_string(),
                az: s.availability_zone().unwrap_or_default().to_string(),
                az_id: s.availability_zone_id().unwrap_or_default().to_string(),
                cidr: s.cidr_block().unwrap_or_default().to_string(),
            });
        }
    }

    match network_interfaces(&ec2, region).await {
        Ok(enis) => inv.enis = enis,
        Err(e) => {
            out.missing.push(format!("network interfaces (flow-log addresses of NAT gateways and endpoints): {e}"))
        }
    }

    let mut pages = ec2.describe_nat_gateways().into_paginator().send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| CollectError::from_sdk("ec2:DescribeNatGateways", e))?;
        for n in page.nat_gateways() {
            let addresses = n.nat_gateway_addresses();
            let mut eni_ids: Vec<String> =
                addresses.iter().filter_map(|a| a.network_interface_id().map(str::to_string)).collect();
            eni_ids.dedup();
            inv.nats.push(NatRow {
                account_id: None,
                region: region.to_string(),
                nat_gateway_id: n.nat_gateway_id().unwrap_or_default().to_string(),
                vpc_id: n.vpc_id().map(str::to_string),
                subnet_id: n.subnet_id().map(str::to_string),
                az_id: None,
                state: n.state().map(|s| s.as_str().to_string()).unwrap_or_default(),
                connectivity_type: n.connectivity_type().map(|c| c.as_str().to_string()),
                private_ips: addresses.iter().filter_map(|a| a.private_ip().map(str::to_string)).collect(),
                eni_ids,
                created_ms: n.create_time().map(|t| t.secs() * 1000),
                tags: tags_json(n.tags().iter().filter_map(|t| Some((t.key()?, t.value().unwrap_or_default())))),
            });
        }
    }

    let mut pages = ec2.describe_vpc_endpoints().into_paginator().send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| CollectError::from_sdk("ec2:DescribeVpcEndpoints", e))?;
        for e in page.vpc_endpoints() {
            inv.endpoints.push(EndpointRow {
                account_id: e.owner_id().map(str::to_string),
                region: region.to_string(),
                vpc_endpoint_id: e.vpc_endpoint_id().unwrap_or_default().to_string(),
                vpc_id: e.vpc_id().map(str::to_string),
                service_name: e.service_name().unwrap_or_default().to_string(),
                endpoint_type: e.vpc_endpoint_type().map(|t| t.as_str().to_string()).unwrap_or_default(),
                state: e.state().map(|s| s.as_str().to_string()).unwrap_or_default(),
                subnet_ids: e.subnet_ids().to_vec(),
                route_table_ids: e.route_table_ids().to_vec(),
                eni_ids: e.network_interface_ids().to_vec(),
                created_ms: e.creation_timestamp().map(|t| t.secs() * 1000),
            });
        }
    }

    match prefix_lists(ctx, region).await {
        Ok(lists) => inv.prefix_lists = lists,
        Err(e) => out
            .missing
            .push(format!("S3/DynamoDB prefix lists (S3 traffic is then known by pkt-dst-aws-service only): {e}")),
    }
    crate::import::network::aws_json::resolve(&mut inv);
    for n in &mut inv.nats {
        n.account_id = n
            .subnet_id
            .as_ref()
            .and_then(|s| inv.subnets.iter().find(|x| &x.subnet_id == s))
            .and_then(|s| s.account_id.clone());
    }
    let live: Vec<String> =
        inv.nats.iter().filter(|n| n.state == "available").map(|n| n.nat_gateway_id.clone()).collect();
    out.frames.extend(inv.frames()?);
    if !live.is_empty() {
        match nat_metrics(ctx, region, &live, window).await {
            Ok(df) => out.frames.push((FrameName::NatGatewayDaily, df)),
            Err(e) => out.missing.push(format!("NAT gateway metrics (idle check): {e}")),
        }
    }
    Ok(out)
}

/// Every network interface of the region, with its wire interface type (`nat_gateway`,
/// `vpc_endpoint`, …), addresses (primary first) and the EKS cluster it serves.
pub async fn network_interfaces(ec2: &aws_sdk_ec2::Client, region: &str) -> Result<Vec<EniRow>, CollectError> {
    let mut out = Vec::new();
    let mut pages = ec2.describe_network_interfaces().into_paginator().send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| CollectError::from_sdk("ec2:DescribeNetworkInterfaces", e))?;
        for e in page.network_interfaces() {
            let mut ips: Vec<(bool, String)> = e
                .private_ip_addresses()
                .iter()
                .filter_map(|p| Some((!p.primary().unwrap_or(false), p.private_ip_address()?.to_string())))
                .collect();
            ips.sort_by_key(|(secondary, _)| *secondary);
            let mut private_ips: Vec<String> = ips.into_iter().map(|(_, ip)| ip).collect();
            if let Some(primary) = e.private_ip_address()
                && !private_ips.iter().any(|p| p == primary)
            {
                private_ips.insert(0, primary.to_string());
            }
            let description = e.description().unwrap_or_default().to_string();
            let tag =
                |k: &str| e.tag_set().iter().find(|t| t.key() == Some(k)).and_then(|t| t.value()).map(str::to_string);
            out.push(EniRow {
                account_id: e.owner_id().map(str::to_string),
                region: region.to_string(),
                eni_id: e.network_interface_id().unwrap_or_default().to_string(),
                interface_type: interface_type(e.interface_type()),
                eks_cluster: tag("cluster.k8s.amazonaws.com/name")
                    .or_else(|| description.strip_prefix("Amazon EKS ").map(str::to_string)),
                description,
                subnet_id: e.subnet_id().map(str::to_string),
                az_id: e.availability_zone_id().map(str::to_string),
                az: e.availability_zone().map(str::to_string),
                vpc_id: e.vpc_id().map(str::to_string),
                private_ips,
                instance_id: e.attachment().and_then(|a| a.instance_id()).map(str::to_string),
                requester_managed: e.requester_managed().unwrap_or(false),
            });
        }
    }
    Ok(out)
}

/// The AWS-managed `com.amazonaws.<region>.s3` and `.dynamodb` prefix lists with their CIDRs.
async fn prefix_lists(ctx: &AwsContext, region: &str) -> Result<Vec<PrefixListRow>, CollectError> {
    let ec2 = ctx.ec2(region);
    let names = [format!("com.amazonaws.{region}.s3"), format!("com.amazonaws.{region}.dynamodb")];
    let filter = Filter::builder().name("prefix-list-name").set_values(Some(names.to_vec())).build();
    let mut out = Vec::new();
    let mut pages = ec2.describe_managed_prefix_lists().filters(filter).into_paginator().send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| CollectError::from_sdk("ec2:DescribeManagedPrefixLists", e))?;
        for list in page.prefix_lists() {
            let (Some(id), Some(name)) = (list.prefix_list_id(), list.prefix_list_name()) else { continue };
            let mut cidrs = Vec::new();
            let mut entries = ec2.get_managed_prefix_list_entries().prefix_list_id(id).into_paginator().send();
            while let Some(page) = entries.next().await {
                let page = page.map_err(|e| CollectError::from_sdk("ec2:GetManagedPrefixListEntries", e))?;
                cidrs.extend(page.entries().iter().filter_map(|e| e.cidr().map(str::to_string)));
            }
            out.push(PrefixListRow { region: region.to_string(), prefix_list_id: id.into(), name: name.into(), cidrs });
        }
    }
    Ok(out)
}

/// Daily sums (maximum for connections) of each NAT gateway's metrics over `NAT_DAYS` whole days.
async fn nat_metrics(
    ctx: &AwsContext,
    region: &str,
    nats: &[String],
    window: &Window,
) -> Result<polars::prelude::DataFrame, CollectError> {
    const SERIES: &[(&str, &str)] = &[
        ("BytesInFromSource", "Sum"),
        ("BytesInFromDestination", "Sum"),
        ("BytesOutToDestination", "Sum"),
        ("ActiveConnectionCount", "Maximum"),
    ];
    let end = window.end.duration_trunc(Duration::days(1)).unwrap_or(window.end);
    let start = end - Duration::days(NAT_DAYS.max(window.days().ceil() as i64));
    let mut queries = Vec::new();
    for id in nats {
        for (metric, stat) in SERIES {
            queries.push(MetricQuery {
                namespace: "AWS/NATGateway",
                metric,
                dimensions: vec![("NatGatewayId", id.clone())],
                stat,
                period_secs: 86_400,
            });
        }
    }
    let cw = ctx.cloudwatch(region);
    let series = get_metric_data(&cw, &ctx.counter, &queries, start.timestamp(), end.timestamp()).await?;
    let mut b = FrameBuilder::new(FrameName::NatGatewayDaily);
    for (n, id) in nats.iter().enumerate() {
        let mut days: BTreeMap<i64, [Option<f64>; 4]> = BTreeMap::new();
        for (k, points) in series[n * SERIES.len()..(n + 1) * SERIES.len()].iter().enumerate() {
            for (t, v) in points {
                days.entry(t.div_euclid(86_400)).or_default()[k] = Some(*v);
            }
        }
        for (day, [from_source, from_destination, out_to_destination, connections]) in days {
            // Data processed: what entered the gateway from either side.
            let processed = match (from_source, from_destination) {
                (None, None) => None,
                (a, b) => Some((a.unwrap_or(0.0) + b.unwrap_or(0.0)).round() as i64),
            };
            b.row([
                ("nat_gateway_id", id.clone().into()),
                ("date", Cell::date(day)),
                ("bytes_processed", processed.into()),
                ("active_connections_max", connections.into()),
                ("bytes_out_to_destination", out_to_destination.map(|v| v.round() as i64).into()),
                ("source", "cloudwatch".into()),
            ])?;
        }
    }
    Ok(b.finish()?)
}
