//! VPC flow-log import benchmark helper, driven by `benches/network_flows.sh`.
//!
//!   network_flows generate DIR RECORDS   write a synthetic VPC (kubectl List, describe-*
//!                                        JSON) and RECORDS flow-log records as gzip objects
//!                                        of 500,000 records in AWS's S3 layout (custom v5
//!                                        format with a header line), two writer threads
//!   network_flows analyze DIR            tierwise's import (topology, streamed scan counting
//!                                        each flow once, network_flows); prints the total and
//!                                        cross-AZ bytes between VPC-internal ends
//!
//! Deterministic (splitmix64). The VPC: 3 AZs, 30 nodes, 600 pods in 20 Services, one
//! NAT gateway per AZ (the third AZ's clients use the first's). Traffic: pod-to-pod calls
//! recorded at both ends (4 records: request and reply, egress and ingress), S3 reads
//! through a NAT gateway recorded at the node and both sides of the gateway (6 records),
//! and NODATA records.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use polars::prelude::*;

const RECORDS_PER_FILE: usize = 500_000;
const T0: i64 = 1_785_000_000;
const FORMAT: &str = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end \
                      action log-status vpc-id subnet-id instance-id az-id pkt-srcaddr pkt-dstaddr pkt-src-aws-service \
                      pkt-dst-aws-service flow-direction traffic-path";
const AZ_IDS: [&str; 3] = ["use1-az1", "use1-az2", "use1-az4"];
const ZONES: [&str; 3] = ["us-east-1a", "us-east-1b", "us-east-1c"];
const NODES: usize = 30;
const PODS: usize = 600;
const SERVICES: usize = 20;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn node_az(n: usize) -> usize {
    n % 3
}
fn node_ip(n: usize) -> String {
    format!("10.{}.0.{}", 1 + node_az(n), 10 + n)
}
fn node_eni(n: usize) -> String {
    format!("eni-0{:016x}", 0xa000 + n)
}
fn pod_node(p: usize) -> usize {
    p % NODES
}
fn pod_ip(p: usize) -> String {
    let n = pod_node(p);
    format!("10.{}.{}.{}", 1 + node_az(n), 1 + n, 10 + p / NODES)
}
fn nat_ip(az: usize) -> String {
    format!("10.{}.0.5", 11 + az)
}
fn nat_eni(az: usize) -> String {
    format!("eni-0{:016x}", 0xf000 + az)
}
/// The NAT gateway a client AZ routes through (the third AZ has none of its own).
fn nat_of(az: usize) -> usize {
    if az == 2 { 0 } else { az }
}

struct Rec<'a> {
    eni: &'a str,
    az: usize,
    src: &'a str,
    dst: &'a str,
    pkt: (&'a str, &'a str),
    ports: (u32, u32),
    bytes: u64,
    start: i64,
    dir: &'a str,
    svc: (&'a str, &'a str),
    path: &'a str,
}

fn write_rec(out: &mut Vec<u8>, r: &Rec) {
    let _ = writeln!(
        out,
        "5 123456789012 {} {} {} {} {} 6 {} {} {} {} ACCEPT OK vpc-0bench subnet-0{} - {} {} {} {} {} {} {}",
        r.eni,
        r.src,
        r.dst,
        r.ports.0,
        r.ports.1,
        r.bytes / 1400 + 1,
        r.bytes,
        r.start,
        r.start + 60,
        r.az,
        AZ_IDS[r.az],
        r.pkt.0,
        r.pkt.1,
        r.svc.0,
        r.svc.1,
        r.dir,
        r.path
    );
}

/// One unit of traffic: a pod-to-pod call (4 records), an S3 read through NAT (6), or NODATA (1).
fn unit(rng: &mut Rng, out: &mut Vec<u8>) -> usize {
    let start = T0 + rng.below(86_400) as i64;
    let kind = rng.below(100);
    if kind < 75 {
        let (c, s) = (rng.below(PODS as u64) as usize, rng.below(PODS as u64) as usize);
        let (cn, sn) = (pod_node(c), pod_node(s));
        if cn == sn {
            return 0; // same node: never leaves the node, never logged
        }
        let (cip, sip, cnip, snip, ceni, seni) =
            (pod_ip(c), pod_ip(s), node_ip(cn), node_ip(sn), node_eni(cn), node_eni(sn));
        let port = 30_000 + rng.below(30_000) as u32;
        let (req, rep) = (200 + rng.below(20_000), 1_000 + rng.below(200_000));
        for (eni, az, dir, src, dst, pkt, ports, bytes, path) in [
            (&ceni, node_az(cn), "egress", &cnip, &snip, (&cip, &sip), (port, 8080), req, "1"),
            (&seni, node_az(sn), "ingress", &cnip, &snip, (&cip, &sip), (port, 8080), req, "-"),
            (&seni, node_az(sn), "egress", &snip, &cnip, (&sip, &cip), (8080, port), rep, "1"),
            (&ceni, node_az(cn), "ingress", &snip, &cnip, (&sip, &cip), (8080, port), rep, "-"),
        ] {
            write_rec(
                out,
                &Rec { eni, az, src, dst, pkt: (pkt.0, pkt.1), ports, bytes, start, dir, svc: ("-", "-"), path },
            );
        }
        4
    } else if kind < 95 {
        let n = rng.below(NODES as u64) as usize;
        let (nip, neni, az) = (node_ip(n), node_eni(n), node_az(n));
        let nat = nat_of(az);
        let (xip, xeni) = (nat_ip(nat), nat_eni(nat));
        let s3 = format!("52.216.{}.{}", rng.below(250), 1 + rng.below(250));
        let port = 30_000 + rng.below(30_000) as u32;
        let (up, down) = (300 + rng.below(3_000), 10_000 + rng.below(2_000_000));
        for (eni, a, dir, src, dst, pkt, svc, ports, bytes, path) in [
            (&neni, az, "egress", &nip, &s3, (&nip, &s3), ("-", "S3"), (port, 443), up, "1"),
            (&xeni, nat, "ingress", &nip, &xip, (&nip, &s3), ("-", "S3"), (port, 443), up, "-"),
            (&xeni, nat, "egress", &xip, &s3, (&xip, &s3), ("-", "S3"), (port, 443), up, "8"),
            (&xeni, nat, "ingress", &s3, &xip, (&s3, &xip), ("S3", "-"), (443, port), down, "-"),
            (&xeni, nat, "egress", &xip, &nip, (&s3, &nip), ("S3", "-"), (443, port), down, "-"),
            (&neni, az, "ingress", &s3, &nip, (&s3, &nip), ("S3", "-"), (443, port), down, "-"),
        ] {
            write_rec(out, &Rec { eni, az: a, src, dst, pkt: (pkt.0, pkt.1), ports, bytes, start, dir, svc, path });
        }
        6
    } else {
        let n = rng.below(NODES as u64) as usize;
        let _ = writeln!(
            out,
            "5 123456789012 {} - - - - - - - {start} {} - NODATA vpc-0bench subnet-0{} - {} - - - - - -",
            node_eni(n),
            start + 60,
            node_az(n),
            AZ_IDS[node_az(n)]
        );
        1
    }
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(p) = path.parent() {
        std::fs::create_dir_all(p).map_err(|e| e.to_string())?;
    }
    std::fs::write(path, text).map_err(|e| e.to_string())
}

fn topology(dir: &Path) -> Result<(), String> {
    let subnets: Vec<serde_json::Value> = (0..3)
        .flat_map(|az| {
            [
                serde_json::json!({"AvailabilityZone": ZONES[az], "AvailabilityZoneId": AZ_IDS[az],
                    "CidrBlock": format!("10.{}.0.0/16", 1 + az), "SubnetId": format!("subnet-0{az}"), "VpcId": "vpc-0bench"}),
                serde_json::json!({"AvailabilityZone": ZONES[az], "AvailabilityZoneId": AZ_IDS[az],
                    "CidrBlock": format!("10.{}.0.0/24", 11 + az), "SubnetId": format!("subnet-0p{az}"), "VpcId": "vpc-0bench"}),
            ]
        })
        .collect();
    write(&dir.join("describe-subnets.json"), &serde_json::json!({ "Subnets": subnets }).to_string())?;
    let nats: Vec<serde_json::Value> = (0..2)
        .map(|az| {
            serde_json::json!({"NatGatewayId": format!("nat-0bench{az}"), "State": "available",
                "SubnetId": format!("subnet-0p{az}"), "VpcId": "vpc-0bench",
                "NatGatewayAddresses": [{"NetworkInterfaceId": nat_eni(az), "PrivateIp": nat_ip(az)}]})
        })
        .collect();
    write(&dir.join("describe-nat-gateways.json"), &serde_json::json!({ "NatGateways": nats }).to_string())?;
    write(
        &dir.join("describe-prefix-lists.json"),
        &serde_json::json!({"PrefixLists": [{"PrefixListName": "com.amazonaws.us-east-1.s3", "PrefixListId": "pl-1",
            "Cidrs": ["52.216.0.0/15"]}]})
        .to_string(),
    )?;
    let mut items = Vec::new();
    for n in 0..NODES {
        items.push(serde_json::json!({"apiVersion": "v1", "kind": "Node",
            "metadata": {"name": format!("node-{n}"), "labels": {"topology.kubernetes.io/zone": ZONES[node_az(n)]}},
            "status": {"addresses": [{"type": "InternalIP", "address": node_ip(n)}],
                       "allocatable": {"cpu": "4"}, "conditions": [{"type": "Ready", "status": "True"}],
                       "nodeInfo": {"kubeletVersion": "v1.34.1-eks-1"}}}));
    }
    for p in 0..PODS {
        items.push(serde_json::json!({"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": format!("svc{}-{p}", p % SERVICES), "namespace": "bench",
                         "labels": {"pod-template-hash": "h"},
                         "ownerReferences": [{"kind": "ReplicaSet", "name": format!("svc{}-h", p % SERVICES)}]},
            "spec": {"nodeName": format!("node-{}", pod_node(p))},
            "status": {"phase": "Running", "podIP": pod_ip(p), "podIPs": [{"ip": pod_ip(p)}]}}));
    }
    for s in 0..SERVICES {
        items.push(serde_json::json!({"apiVersion": "v1", "kind": "Service",
            "metadata": {"name": format!("svc{s}"), "namespace": "bench"},
            "spec": {"clusterIP": format!("172.20.0.{}", 10 + s), "selector": {"app": format!("svc{s}")}}}));
        let endpoints: Vec<serde_json::Value> = (0..PODS)
            .filter(|p| p % SERVICES == s)
            .map(|p| {
                serde_json::json!({"addresses": [pod_ip(p)], "conditions": {"ready": true},
                "nodeName": format!("node-{}", pod_node(p)), "zone": ZONES[node_az(pod_node(p))],
                "targetRef": {"kind": "Pod", "name": format!("svc{}-{p}", p % SERVICES), "namespace": "bench"}})
            })
            .collect();
        items.push(serde_json::json!({"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice", "addressType": "IPv4",
            "metadata": {"name": format!("svc{s}-x"), "namespace": "bench", "labels": {"kubernetes.io/service-name": format!("svc{s}")}},
            "ports": [{"port": 8080}], "endpoints": endpoints}));
    }
    let list = serde_json::json!({"apiVersion": "v1", "kind": "List", "items": items, "metadata": {}});
    write(&dir.join("bench.json"), &list.to_string())
}

fn generate(dir: &Path, records: usize) -> Result<(), String> {
    topology(dir)?;
    let files = records.div_ceil(RECORDS_PER_FILE);
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..2)
            .map(|t| {
                s.spawn(move || -> Result<(), String> {
                    for f in (t..files).step_by(2) {
                        let want = RECORDS_PER_FILE.min(records - f * RECORDS_PER_FILE);
                        let mut rng = Rng(0x5eed ^ (f as u64) << 20);
                        let mut text = Vec::with_capacity(want * 220);
                        text.extend_from_slice(FORMAT.as_bytes());
                        text.push(b'\n');
                        let mut n = 0;
                        while n < want {
                            n += unit(&mut rng, &mut text);
                        }
                        let path = dir.join(format!(
                            "AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/07/24/123456789012_vpcflowlogs_us-east-1_fl-0bench_20260724T{:04}Z_{f:08x}.log.gz",
                            f % 2400
                        ));
                        std::fs::create_dir_all(path.parent().unwrap()).map_err(|e| e.to_string())?;
                        let file = std::fs::File::create(&path).map_err(|e| e.to_string())?;
                        let mut gz = flate2::write::GzEncoder::new(std::io::BufWriter::new(file), flate2::Compression::fast());
                        gz.write_all(&text).and_then(|_| gz.finish().map(|_| ())).map_err(|e| e.to_string())?;
                    }
                    Ok(())
                })
            })
            .collect();
        handles.into_iter().try_for_each(|h| h.join().unwrap_or_else(|_| Err("writer panicked".into())))
    })
}

/// `total cross` bytes between VPC-internal ends, the line the DuckDB query prints.
fn analyze(dir: &Path) -> Result<(), String> {
    let start = Instant::now();
    let imported = tierwise::import::import_dir(dir).map_err(|e| e.to_string())?;
    let elapsed = start.elapsed();
    let flows = imported
        .frames
        .into_iter()
        .find(|(f, _)| *f == tierwise::snapshot::FrameName::NetworkFlows)
        .ok_or("no network_flows")?
        .1;
    let internal = col("via").eq(lit("direct")).and(col("dst_kind").neq(lit("external")));
    let sums = flows
        .lazy()
        .filter(internal)
        .select([
            col("bytes").sum().alias("total"),
            col("bytes").filter(col("src_az_id").neq(col("dst_az_id"))).sum().alias("cross"),
        ])
        .collect()
        .map_err(|e| e.to_string())?;
    let get = |c: &str| sums.column(c).ok().and_then(|c| c.i64().ok().and_then(|v| v.get(0))).unwrap_or(0);
    println!("{} {}", get("total"), get("cross"));
    eprintln!("tierwise import: {:.2} s", elapsed.as_secs_f64());
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let result = match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["generate", dir, n] => match n.parse::<usize>() {
            Ok(n) => generate(&PathBuf::from(dir), n),
            Err(_) => Err(format!("RECORDS must be a number, got {n}")),
        },
        ["analyze", dir] => analyze(&PathBuf::from(dir)),
        [] => {
            println!("network_flows: run benches/network_flows.sh (generate DIR RECORDS | analyze DIR)");
            Ok(())
        }
        other => Err(format!("usage: network_flows generate DIR RECORDS | analyze DIR (got {other:?})")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("network_flows: {e}");
            ExitCode::FAILURE
        }
    }
}
