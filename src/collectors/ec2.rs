//! EC2 collector: DescribeInstances, DescribeVolumes and hourly CloudWatch metrics
//! (CPU average and maximum, network, EBS ops, CWAgent memory when it exists).

use std::collections::{BTreeMap, HashMap};

use crate::snapshot::builder::{Cell, FrameBuilder};
use crate::snapshot::{FrameName, Window};

use super::aws::AwsContext;
use super::cloudwatch::{MetricQuery, get_metric_data};
use super::{CollectError, CollectorOutput};

struct InstanceRow {
    id: String,
    state: String,
}

pub async fn collect(ctx: &AwsContext, region: &str, window: &Window) -> Result<CollectorOutput, CollectError> {
    let client = ctx.ec2(region);
    let mut out = CollectorOutput::default();
    let mut instances = FrameBuilder::new(FrameName::Ec2Instances);
    let mut seen: Vec<InstanceRow> = Vec::new();
    let mut account_of_region: Option<String> = None;

    let mut pages = client.describe_instances().into_paginator().send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| CollectError::from_sdk("ec2:DescribeInstances", e))?;
        for reservation in page.reservations() {
            let account = reservation.owner_id().unwrap_or_default().to_string();
            account_of_region.get_or_insert_with(|| account.clone());
            for i in reservation.instances() {
                let tags: BTreeMap<String, String> = i
                    .tags()
                    .iter()
                    .filter_map(|t| Some((t.key()?.to_string(), t.value().unwrap_or_default().to_string())))
                    .collect();
                let eks = tags
                    .get("eks:cluster-name")
                    .cloned()
                    .or_else(|| tags.keys().find_map(|k| k.strip_prefix("kubernetes.io/cluster/").map(str::to_string)));
                // What the instance is billed as: the usage operation, else the platform details.
                let platform = crate::pricing::platform::identify(i.usage_operation(), i.platform_details(), None)
                    .map(|p| p.slug.to_string())
                    .unwrap_or_else(|| {
                        let windows = i.platform().is_some_and(|p| p.as_str().eq_ignore_ascii_case("windows"));
                        // Unknown operations stay unknown (never priced as Linux).
                        match (i.usage_operation(), windows) {
                            (Some(op), _) => format!("unknown:{op}"),
                            (None, true) => "windows".into(),
                            (None, false) => "linux".into(),
                        }
                    });
                let id = i.instance_id().unwrap_or_default().to_string();
                let state = i.state().and_then(|s| s.name()).map(|n| n.as_str().to_string()).unwrap_or_default();
                instances.row([
                    ("account_id", account.clone().into()),
                    ("region", region.into()),
                    ("az", i.placement().and_then(|p| p.availability_zone()).unwrap_or_default().into()),
                    ("instance_id", id.clone().into()),
                    ("instance_type", i.instance_type().map(|t| t.as_str()).unwrap_or_default().into()),
                    ("platform", platform.into()),
                    ("architecture", i.architecture().map(|a| a.as_str()).unwrap_or("x86_64").into()),
                    ("state", state.clone().into()),
                    ("launch_time", Cell::Ts(i.launch_time().map(|t| t.secs() * 1000))),
                    (
                        "lifecycle",
                        match i.instance_lifecycle().map(|l| l.as_str()) {
                            Some("spot") => "spot",
                            Some("capacity-block") => "capacity-block",
                            _ => "on-demand",
                        }
                        .into(),
                    ),
                    ("asg_name", tags.get("aws:autoscaling:groupName").cloned().into()),
                    ("eks_cluster", eks.into()),
                    ("tags", serde_json::to_string(&tags).unwrap_or_else(|_| "{}".into()).into()),
                    ("platform_details", i.platform_details().into()),
                    ("usage_operation", i.usage_operation().into()),
                ])?;
                seen.push(InstanceRow { id, state });
            }
        }
    }
    out.frames.push((FrameName::Ec2Instances, instances.finish()?));

    match instance_types(ctx, region).await {
        Ok(df) => out.frames.push((FrameName::Ec2InstanceTypes, df)),
        Err(e) => out.missing.push(format!("instance type specs (the embedded catalog is used): {e}")),
    }
    match volumes(ctx, region, account_of_region.as_deref()).await {
        Ok(df) => out.frames.push((FrameName::EbsVolumes, df)),
        Err(e) => out.missing.push(format!("EBS volumes: {e}")),
    }

    // Metrics for instances that ran during the window (stopped ones may have some).
    let ids: Vec<&str> = seen.iter().filter(|i| i.state != "terminated").map(|i| i.id.as_str()).collect();
    match metrics(ctx, region, &ids, window).await {
        Ok(df) => out.frames.push((FrameName::Ec2MetricsHourly, df)),
        Err(e) => out.missing.push(format!("EC2 metrics: {e}")),
    }
    Ok(out)
}

/// Specs of every instance type offered in the region — the types seen and every
/// candidate a rule may recommend — so types newer than the embedded catalog size too.
async fn instance_types(ctx: &AwsContext, region: &str) -> Result<polars::prelude::DataFrame, CollectError> {
    let mut b = FrameBuilder::new(FrameName::Ec2InstanceTypes);
    let mut pages = ctx.ec2(region).describe_instance_types().into_paginator().send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| CollectError::from_sdk("ec2:DescribeInstanceTypes", e))?;
        for t in page.instance_types() {
            let Some(name) = t.instance_type().map(|n| n.as_str().to_string()) else { continue };
            let archs: Vec<&str> = t
                .processor_info()
                .map(|p| p.supported_architectures().iter().map(|a| a.as_str()).collect())
                .unwrap_or_default();
            b.row([
                ("instance_type", name.into()),
                ("vcpus", i64::from(t.v_cpu_info().and_then(|v| v.default_v_cpus()).unwrap_or_default()).into()),
                ("memory_mib", t.memory_info().and_then(|m| m.size_in_mib()).unwrap_or_default().into()),
                ("architectures", archs.join(";").into()),
                (
                    "network_performance",
                    t.network_info().and_then(|n| n.network_performance()).unwrap_or_default().into(),
                ),
                ("burstable", t.burstable_performance_supported().unwrap_or(false).into()),
                ("current_generation", t.current_generation().unwrap_or(false).into()),
            ])?;
            hardware_cells(&mut b, t)?;
        }
    }
    Ok(b.finish()?)
}

/// GPU, accelerator, instance-storage and network fields of one DescribeInstanceTypes
/// entry, into the last row.
fn hardware_cells(
    b: &mut FrameBuilder,
    t: &aws_sdk_ec2::types::InstanceTypeInfo,
) -> Result<(), crate::snapshot::SnapshotError> {
    let net = t.network_info();
    let cards = net.map(|n| n.network_cards()).unwrap_or_default();
    let baseline: f64 = cards.iter().filter_map(|c| c.baseline_bandwidth_in_gbps()).sum();
    let gpus = t.gpu_info().map(|g| g.gpus()).unwrap_or_default();
    let gpu_count: i32 = gpus.iter().filter_map(|g| g.count()).sum();
    let names = |it: Vec<String>| {
        let mut v = it;
        v.sort();
        v.dedup();
        v.join(";")
    };
    let gpu_name = names(
        gpus.iter()
            .map(|g| format!("{} {}", g.manufacturer().unwrap_or(""), g.name().unwrap_or("")).trim().to_string())
            .collect(),
    );
    let neuron = t.neuron_info().map(|n| n.neuron_devices()).unwrap_or_default();
    let inference = t.inference_accelerator_info().map(|i| i.accelerators()).unwrap_or_default();
    let (acc_count, acc_name): (i32, String) = if !inference.is_empty() {
        (
            inference.iter().filter_map(|a| a.count()).sum(),
            names(
                inference
                    .iter()
                    .map(|a| {
                        format!("{} {}", a.manufacturer().unwrap_or("AWS"), a.name().unwrap_or("")).trim().to_string()
                    })
                    .collect(),
            ),
        )
    } else if !neuron.is_empty() {
        (
            neuron.iter().filter_map(|a| a.count()).sum(),
            names(neuron.iter().map(|a| format!("AWS {}", a.name().unwrap_or(""))).collect()),
        )
    } else {
        let fpgas = t.fpga_info().map(|f| f.fpgas()).unwrap_or_default();
        let media = t.media_accelerator_info().map(|m| m.accelerators()).unwrap_or_default();
        (
            fpgas.iter().filter_map(|f| f.count()).sum::<i32>() + media.iter().filter_map(|m| m.count()).sum::<i32>(),
            names(
                fpgas
                    .iter()
                    .map(|f| format!("{} {}", f.manufacturer().unwrap_or(""), f.name().unwrap_or("")))
                    .chain(
                        media.iter().map(|m| format!("{} {}", m.manufacturer().unwrap_or(""), m.name().unwrap_or(""))),
                    )
                    .map(|s| s.trim().to_string())
                    .collect(),
            ),
        )
    };
    let storage = t.instance_storage_info();
    let disks = storage.map(|s| s.disks()).unwrap_or_default();
    b.set_last([
        ("hardware_reported", true.into()),
        ("baseline_gbps", (baseline > 0.0).then_some(baseline).into()),
        ("efa_supported", net.and_then(|n| n.efa_supported()).into()),
        ("gpu_count", (gpu_count > 0).then_some(i64::from(gpu_count)).into()),
        ("gpu_name", (gpu_count > 0).then_some(gpu_name).into()),
        (
            "gpu_memory_mib",
            t.gpu_info().and_then(|g| g.total_gpu_memory_in_mib()).filter(|_| gpu_count > 0).map(i64::from).into(),
        ),
        ("accelerator_count", (acc_count > 0).then_some(i64::from(acc_count)).into()),
        ("accelerator_name", (acc_count > 0).then_some(acc_name).into()),
        ("instance_storage_gb", storage.and_then(|s| s.total_size_in_gb()).filter(|_| !disks.is_empty()).into()),
        (
            "instance_storage_type",
            (!disks.is_empty())
                .then(|| names(disks.iter().filter_map(|d| d.r#type()).map(|k| k.as_str().to_string()).collect()))
                .into(),
        ),
        (
            "instance_storage_nvme",
            storage
                .filter(|_| !disks.is_empty())
                .and_then(|s| s.nvme_support())
                .map(|n| !matches!(n.as_str(), "unsupported"))
                .into(),
        ),
    ])
}

async fn volumes(
    ctx: &AwsContext,
    region: &str,
    account: Option<&str>,
) -> Result<polars::prelude::DataFrame, CollectError> {
    let mut b = FrameBuilder::new(FrameName::EbsVolumes);
    let mut pages = ctx.ec2(region).describe_volumes().into_paginator().send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| CollectError::from_sdk("ec2:DescribeVolumes", e))?;
        for v in page.volumes() {
            let tags: BTreeMap<String, String> = v
                .tags()
                .iter()
                .filter_map(|t| Some((t.key()?.to_string(), t.value().unwrap_or_default().to_string())))
                .collect();
            b.row([
                ("account_id", account.into()),
                ("region", region.into()),
                ("volume_id", v.volume_id().unwrap_or_default().into()),
                ("az", v.availability_zone().unwrap_or_default().into()),
                ("volume_type", v.volume_type().map(|t| t.as_str()).unwrap_or_default().into()),
                ("size_gib", (v.size().unwrap_or_default() as i64).into()),
                ("iops", v.iops().map(i64::from).into()),
                ("throughput_mibps", v.throughput().map(i64::from).into()),
                ("state", v.state().map(|s| s.as_str()).unwrap_or_default().into()),
                ("attached_instance_id", v.attachments().first().and_then(|a| a.instance_id()).into()),
                ("create_time", Cell::Ts(v.create_time().map(|t| t.secs() * 1000))),
                ("tags", serde_json::to_string(&tags).unwrap_or_else(|_| "{}".into()).into()),
            ])?;
        }
    }
    Ok(b.finish()?)
}

/// The hourly metrics of every instance, through batched GetMetricData.
const EC2_SERIES: &[(&str, &str, &str)] = &[
    ("cpu_avg", "CPUUtilization", "Average"),
    ("cpu_max", "CPUUtilization", "Maximum"),
    ("net_in_bytes", "NetworkIn", "Sum"),
    ("net_out_bytes", "NetworkOut", "Sum"),
    ("ebs_read_ops", "EBSReadOps", "Sum"),
    ("ebs_write_ops", "EBSWriteOps", "Sum"),
];

async fn metrics(
    ctx: &AwsContext,
    region: &str,
    ids: &[&str],
    window: &Window,
) -> Result<polars::prelude::DataFrame, CollectError> {
    let cw = ctx.cloudwatch(region);
    let mem_dims = memory_dimensions(&cw, ids).await?;
    let mut queries = Vec::new();
    let mut keys: Vec<(usize, &str)> = Vec::new();
    for (n, id) in ids.iter().enumerate() {
        for (column, metric, stat) in EC2_SERIES {
            queries.push(MetricQuery {
                namespace: "AWS/EC2",
                metric,
                dimensions: vec![("InstanceId", id.to_string())],
                stat,
                period_secs: 3600,
            });
            keys.push((n, column));
        }
        if let Some(dims) = mem_dims.get(*id) {
            queries.push(MetricQuery {
                namespace: "CWAgent",
                metric: "mem_used_percent",
                dimensions: dims.clone(),
                stat: "Average",
                period_secs: 3600,
            });
            keys.push((n, "mem_used_pct"));
        }
    }
    let series = get_metric_data(&cw, &ctx.counter, &queries, window.start.timestamp(), window.end.timestamp()).await?;
    // instance → hour → column → value
    let mut by_instance: Vec<BTreeMap<i64, HashMap<&str, f64>>> = vec![BTreeMap::new(); ids.len()];
    for ((n, column), points) in keys.into_iter().zip(series) {
        for (t, v) in points {
            by_instance[n].entry(t).or_default().insert(column, v);
        }
    }
    let mut b = FrameBuilder::new(FrameName::Ec2MetricsHourly);
    for (n, hours) in by_instance.into_iter().enumerate() {
        for (t, values) in hours {
            // An hour without a CPU average is not a datapoint the rules can use.
            let Some(cpu) = values.get("cpu_avg") else { continue };
            let get = |c: &str| Cell::F64(values.get(c).copied());
            b.row([
                ("instance_id", ids[n].into()),
                ("ts", Cell::Ts(Some(t * 1000))),
                ("cpu_avg", (*cpu).into()),
                ("cpu_max", get("cpu_max")),
                ("mem_used_pct", get("mem_used_pct")),
                ("net_in_bytes", get("net_in_bytes")),
                ("net_out_bytes", get("net_out_bytes")),
                ("ebs_read_ops", get("ebs_read_ops")),
                ("ebs_write_ops", get("ebs_write_ops")),
            ])?;
        }
    }
    Ok(b.finish()?)
}

/// Which instances publish CWAgent `mem_used_percent`, with their exact dimensions
/// (the agent adds ImageId, InstanceType… depending on its config).
async fn memory_dimensions(
    cw: &aws_sdk_cloudwatch::Client,
    ids: &[&str],
) -> Result<HashMap<String, Vec<(&'static str, String)>>, CollectError> {
    let mut found = HashMap::new();
    let mut pages = cw.list_metrics().namespace("CWAgent").metric_name("mem_used_percent").into_paginator().send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| CollectError::from_sdk("cloudwatch:ListMetrics", e))?;
        for m in page.metrics() {
            let dims = m.dimensions();
            let Some(id) = dims.iter().find(|d| d.name() == Some("InstanceId")).and_then(|d| d.value()) else {
                continue;
            };
            if !ids.contains(&id) {
                continue;
            }
            let dims: Vec<(&'static str, String)> =
                dims.iter().filter_map(|d| Some((static_dim(d.name()?)?, d.value()?.to_string()))).collect();
            found.insert(id.to_string(), dims);
        }
    }
    Ok(found)
}

/// Dimension names the CloudWatch agent uses for memory (others are ignored).
fn static_dim(name: &str) -> Option<&'static str> {
    ["InstanceId", "ImageId", "InstanceType", "AutoScalingGroupName", "host"].into_iter().find(|d| *d == name)
}
