//! Live network collection against moto: EKS (ListClusters, DescribeCluster,
//! ListNodegroups), the VPC's EC2 Describe* calls, daily CloudWatch NAT gateway metrics,
//! and flow logs read from S3 (`[network] flow_logs`), all seeded through the AWS API.
//! moto gaps (moto.md): NAT and endpoint interfaces come back as `interface` with no
//! description, so NAT interfaces are known from DescribeNatGateways; the NAT's private
//! address is not from its subnet.

use std::io::Write;
use std::process::Command;

use aws_sdk_ec2::types::{ConnectivityType, DomainType, VpcEndpointType};
use aws_sdk_eks::types::{NodegroupScalingConfig, VpcConfigRequest};
use polars::prelude::*;
use tierwise::snapshot::{CollectorStatus, FrameName, load::load_snapshot};

use crate::common::*;
use crate::{moto, seed};

struct Seeded {
    nat_id: String,
    nat_eni: String,
    nat_ip: String,
    node_eni: String,
    node_ip: String,
    node_az_id: String,
    node_instance: String,
}

const S3_IP: &str = "52.216.10.20";
const BUCKET: &str = "tierwise-flow-logs";

fn gz(text: &str) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(text.as_bytes()).unwrap();
    e.finish().unwrap()
}

async fn seed_vpc(endpoint: &str) -> Seeded {
    let conf = seed::sdk(endpoint, "us-east-1").await;
    let ec2 = aws_sdk_ec2::Client::new(&conf);
    let vpc = ec2.create_vpc().cidr_block("10.70.0.0/16").send().await.unwrap().vpc.unwrap().vpc_id.unwrap();
    let subnet = |cidr: &str, az: &str| {
        let (ec2, vpc) = (ec2.clone(), vpc.clone());
        let (cidr, az) = (cidr.to_string(), az.to_string());
        async move {
            let s = ec2.create_subnet().vpc_id(vpc).cidr_block(cidr).availability_zone(az).send().await.unwrap();
            let s = s.subnet.unwrap();
            (s.subnet_id.unwrap(), s.availability_zone_id.unwrap_or_default())
        }
    };
    let (private_a, az_a) = subnet("10.70.1.0/24", "us-east-1a").await;
    let (private_b, _) = subnet("10.70.2.0/24", "us-east-1b").await;
    let (public_b, _) = subnet("10.70.100.0/24", "us-east-1b").await;
    let eip = ec2.allocate_address().domain(DomainType::Vpc).send().await.unwrap().allocation_id.unwrap();
    let igw =
        ec2.create_internet_gateway().send().await.unwrap().internet_gateway.unwrap().internet_gateway_id.unwrap();
    ec2.attach_internet_gateway().internet_gateway_id(igw).vpc_id(&vpc).send().await.unwrap();
    let nat = ec2
        .create_nat_gateway()
        .subnet_id(&public_b)
        .allocation_id(eip)
        .connectivity_type(ConnectivityType::Public)
        .send()
        .await
        .unwrap()
        .nat_gateway
        .unwrap();
    let nat_id = nat.nat_gateway_id.unwrap();
    let address = &nat.nat_gateway_addresses.unwrap()[0];
    let (nat_eni, nat_ip) = (address.network_interface_id.clone().unwrap(), address.private_ip.clone().unwrap());
    let rtb = ec2.create_route_table().vpc_id(&vpc).send().await.unwrap().route_table.unwrap().route_table_id.unwrap();
    ec2.create_vpc_endpoint()
        .vpc_id(&vpc)
        .service_name("com.amazonaws.us-east-1.s3")
        .vpc_endpoint_type(VpcEndpointType::Gateway)
        .route_table_ids(rtb)
        .send()
        .await
        .unwrap();
    ec2.create_vpc_endpoint()
        .vpc_id(&vpc)
        .service_name("com.amazonaws.us-east-1.ecr.api")
        .vpc_endpoint_type(VpcEndpointType::Interface)
        .subnet_ids(&private_a)
        .send()
        .await
        .unwrap();
    let node = ec2
        .run_instances()
        .image_id("ami-12c6146b")
        .instance_type(aws_sdk_ec2::types::InstanceType::M6iLarge)
        .subnet_id(&private_a)
        .min_count(1)
        .max_count(1)
        .send()
        .await
        .unwrap();
    let node = &node.instances()[0];
    let node_eni = node.network_interfaces()[0].network_interface_id().unwrap().to_string();
    let node_ip = node.private_ip_address().unwrap().to_string();
    let eks = aws_sdk_eks::Client::new(&conf);
    eks.create_cluster()
        .name("prod")
        .version("1.33")
        .role_arn("arn:aws:iam::123456789012:role/eks")
        .resources_vpc_config(VpcConfigRequest::builder().subnet_ids(&private_a).subnet_ids(&private_b).build())
        .send()
        .await
        .unwrap();
    eks.create_nodegroup()
        .cluster_name("prod")
        .nodegroup_name("general")
        .version("1.33")
        .node_role("arn:aws:iam::123456789012:role/node")
        .subnets(&private_a)
        .scaling_config(NodegroupScalingConfig::builder().min_size(1).max_size(3).desired_size(2).build())
        .send()
        .await
        .unwrap();
    // 35 days of daily NAT metrics, one aggregated datum per day (sparse, as moto needs).
    let today = chrono::Utc::now().timestamp() / 86_400 * 86_400;
    for metric in ["BytesInFromSource", "BytesInFromDestination", "BytesOutToDestination", "ActiveConnectionCount"] {
        seed::put_daily(&conf, "AWS/NATGateway", metric, &[("NatGatewayId", &nat_id)], today, 35, |d| {
            if metric == "ActiveConnectionCount" { 3.0 } else { 1e9 + d as f64 }
        })
        .await;
    }
    Seeded {
        nat_id,
        nat_eni,
        nat_ip,
        node_eni,
        node_ip,
        node_az_id: az_a,
        node_instance: node.instance_id().unwrap().to_string(),
    }
}

/// Yesterday's flow-log object: the node reads 1 + 9 MiB from S3 through the NAT gateway,
/// recorded on the node's interface and on both sides of the gateway's.
fn flow_log_object(s: &Seeded) -> (String, Vec<u8>) {
    let day = chrono::Utc::now() - chrono::Duration::days(1);
    let t = day.timestamp() / 86_400 * 86_400 + 3600;
    let header = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action \
                  log-status az-id pkt-srcaddr pkt-dstaddr pkt-src-aws-service pkt-dst-aws-service flow-direction traffic-path";
    let (node, nat, eni, nat_eni, az) = (&s.node_ip, &s.nat_ip, &s.node_eni, &s.nat_eni, &s.node_az_id);
    let (up, down) = (1 << 20, 9 << 20);
    let rec = |e: &str, src: &str, dst: &str, n: i64, dir: &str, pkt: (&str, &str), svc: (&str, &str), path: &str| {
        format!(
            "5 123456789012 {e} {src} {dst} 40000 443 6 10 {n} {t} {} ACCEPT OK {az} {} {} {} {} {dir} {path}",
            t + 60,
            pkt.0,
            pkt.1,
            svc.0,
            svc.1
        )
    };
    let lines = [
        rec(eni, node, S3_IP, up, "egress", (node, S3_IP), ("-", "S3"), "1"),
        rec(nat_eni, node, nat, up, "ingress", (node, S3_IP), ("-", "S3"), "-"),
        rec(nat_eni, nat, S3_IP, up, "egress", (nat, S3_IP), ("-", "S3"), "8"),
        rec(nat_eni, S3_IP, nat, down, "ingress", (S3_IP, nat), ("S3", "-"), "-"),
        rec(nat_eni, nat, node, down, "egress", (S3_IP, node), ("S3", "-"), "-"),
        rec(eni, S3_IP, node, down, "ingress", (S3_IP, node), ("S3", "-"), "-"),
    ];
    let key = format!(
        "vpc/AWSLogs/123456789012/vpcflowlogs/us-east-1/{}/123456789012_vpcflowlogs_us-east-1_fl-1_{}T0000Z_ab12.log.gz",
        day.format("%Y/%m/%d"),
        day.format("%Y%m%d")
    );
    (key, gz(&format!("{header}\n{}\n", lines.join("\n"))))
}

async fn put_object(endpoint: &str, key: &str, body: Vec<u8>) {
    let conf = seed::sdk(endpoint, "us-east-1").await;
    let s3 = aws_sdk_s3::Client::from_conf(aws_sdk_s3::config::Builder::from(&conf).force_path_style(true).build());
    s3.create_bucket().bucket(BUCKET).send().await.unwrap();
    s3.put_object().bucket(BUCKET).key(key).body(body.into()).send().await.unwrap();
}

#[test]
fn live_network_collection_reads_eks_the_vpc_nat_metrics_and_s3_flow_logs() {
    let moto = moto::start();
    let rt = seed::runtime();
    let seeded = rt.block_on(seed_vpc(&moto.endpoint()));
    let (key, body) = flow_log_object(&seeded);
    rt.block_on(put_object(&moto.endpoint(), &key, body));
    let dir = std::env::temp_dir().join(format!("tierwise-net-collect-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let config = std::env::temp_dir().join(format!("tierwise-net-{}.toml", std::process::id()));
    std::fs::write(
        &config,
        format!("[network]\nflow_logs = \"s3://{BUCKET}/vpc\"\n\n[rules.network]\nmin_savings_usd = 0\n"),
    )
    .unwrap();
    let mut cmd = Command::new(bin());
    cmd.args([
        "collect",
        "--out",
        dir.to_str().unwrap(),
        "--regions",
        "us-east-1",
        "--config",
        config.to_str().unwrap(),
    ]);
    cmd.current_dir(env!("CARGO_MANIFEST_DIR")).env_remove("AWS_PROFILE").env_remove("TIERWISE_CONFIG");
    for (k, v) in moto::aws_env(&moto.endpoint()) {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let snap = load_snapshot(&dir).expect("snapshot");
    let m = &snap.manifest;
    for name in ["network/us-east-1", "eks/us-east-1", "flow-logs"] {
        let run = &m.collectors[name];
        assert_eq!(run.status, CollectorStatus::Ok, "{name}: {:?}", run.error);
    }
    let eks = &m.collectors["eks/us-east-1"].api_calls;
    assert_eq!(
        (eks.get("eks:ListClusters"), eks.get("eks:DescribeCluster"), eks.get("eks:ListNodegroups")),
        (Some(&1), Some(&1), Some(&1))
    );
    let frame = |f: FrameName| snap.frame(f).cloned().unwrap_or_else(|| panic!("{f} missing"));
    let clusters = frame(FrameName::EksClusters);
    assert_eq!(clusters["kubernetes_version"].str().unwrap().get(0), Some("1.33"));
    assert_eq!(clusters["nodegroups"].i64().unwrap().get(0), Some(1));
    let nats = frame(FrameName::NatGateways);
    assert_eq!(nats["nat_gateway_id"].str().unwrap().get(0), Some(seeded.nat_id.as_str()));
    assert!(nats["az_id"].str().unwrap().get(0).is_some_and(|a| a.starts_with("use1-az")), "AZ id from its subnet");
    let endpoints = frame(FrameName::VpcEndpoints);
    assert_eq!(endpoints.height(), 2);
    let lists = frame(FrameName::PrefixLists);
    assert!(lists["cidrs"].str().unwrap().iter().flatten().any(|c| c.contains("52.216.0.0/15")), "moto's S3 list");
    assert!(frame(FrameName::AvailabilityZones).height() >= 6);
    assert!(frame(FrameName::VpcSubnets).height() >= 3);
    // 35 daily CloudWatch rows: processed = BytesInFromSource + BytesInFromDestination = 2 × (1e9 + d).
    let daily = frame(FrameName::NatGatewayDaily);
    let cw = daily.clone().lazy().filter(col("source").eq(lit("cloudwatch"))).collect().unwrap();
    assert!(cw.height() >= 34, "{cw}");
    let first = cw["bytes_processed"].i64().unwrap().get(0).unwrap();
    assert_eq!(first % 2, 0);
    assert!(first >= 2_000_000_000, "{first}");
    assert_eq!(cw["active_connections_max"].f64().unwrap().get(0), Some(3.0));
    // The S3 object: 10 MiB through the NAT gateway, counted once.
    let flows = frame(FrameName::NetworkFlows);
    assert_eq!(flows["bytes"].i64().unwrap().sum(), Some(10 << 20), "{flows}");
    assert_eq!(flows["via_id"].str().unwrap().get(0), Some(seeded.nat_id.as_str()));
    assert_eq!(flows["src_name"].str().unwrap().get(0), Some(seeded.node_instance.as_str()));
    let fl = &m.collectors["flow-logs"].api_calls;
    assert_eq!(fl.get("s3:GetObject"), Some(&1));
    assert!(fl.get("s3:ListObjectsV2").is_some_and(|n| *n >= 14), "{fl:?}");
    for op in m.api_calls().keys().filter(|k| !k.ends_with(":metrics")) {
        assert!(tierwise::collectors::iam::action_for(op).is_some(), "{op} is not in docs/iam-policy.json");
    }
    // The report: the VPC has an S3 gateway endpoint these clients do not route through.
    let report = tierwise(&[
        "report",
        "--snapshot",
        dir.to_str().unwrap(),
        "--format",
        "json",
        "--config",
        config.to_str().unwrap(),
    ]);
    assert_eq!(report.status.code(), Some(0), "{}", stderr(&report));
    let v: serde_json::Value = serde_json::from_slice(&report.stdout).unwrap();
    let nat =
        v["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "network.nat-gateway").expect("an S3 finding");
    assert!(nat["actions"][0]["text"].as_str().unwrap().contains("modify-vpc-endpoint"), "{}", nat["actions"]);
    let _ = std::fs::remove_dir_all(dir);
}
