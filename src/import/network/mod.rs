//! Network inputs of an import directory, recognised by content: VPC flow-log objects
//! (gzip or plain text, with the header line S3 delivery writes), kubectl Lists, and
//! AWS CLI `describe-*` JSON. Addresses are mapped to pods, Services, nodes, NAT
//! gateways and endpoints (`topology.rs`), the flow logs are streamed once over every
//! core (`flow_scan.rs`), and the result fills `network_flows`, `eks_services`,
//! `eks_clusters`, the VPC frames, `nat_gateway_daily` and `flow_log_coverage`.
//! What the logs hold that tierwise cannot use (malformed lines, SKIPDATA, `-` fields,
//! unnamed addresses) is counted and reported as the import's notes, never fatal.

pub mod aws_json;
pub mod flow_header;
mod flow_rows;
pub mod flow_scan;
pub mod inventory;
pub mod ip;
pub mod kubernetes;
mod services;
pub mod topology;

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use polars::prelude::DataFrame;
use serde_json::Value;

use crate::snapshot::{FrameName, Snapshot, SnapshotError};
use flow_header::Header;
use flow_scan::{FileScan, Scan, SeenFlows};
use inventory::Inventory;
use kubernetes::KubeObjects;
use topology::Topology;

/// Name of the import's entry in the snapshot manifest's `collectors`.
pub const NETWORK_RUN: &str = "import:network";

/// What the network inputs of a directory yielded.
#[derive(Debug)]
pub struct NetworkImport {
    pub frames: Vec<(FrameName, DataFrame)>,
    /// Data-quality notes (the run is `partial` when there are any).
    pub notes: Vec<String>,
    /// First record start and last record end, epoch ms.
    pub span_ms: Option<(i64, i64)>,
    /// Regions and accounts the inputs name.
    pub regions: Vec<String>,
    pub accounts: Vec<String>,
}

/// A flow-log object ready to scan.
#[derive(Debug, Clone)]
pub struct FlowFile {
    pub path: PathBuf,
    pub header: Header,
}

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];
const READ_BUFFER: usize = 1 << 20;

/// Open a file as text, through gzip when it starts with the gzip magic.
pub fn open_text(path: &Path) -> std::io::Result<Box<dyn BufRead + Send>> {
    let mut file = std::fs::File::open(path)?;
    let mut magic = [0u8; 2];
    let n = file.read(&mut magic)?;
    let file = std::fs::File::open(path)?;
    if n == 2 && magic == GZIP_MAGIC {
        let gz = flate2::read::MultiGzDecoder::new(BufReader::with_capacity(READ_BUFFER, file));
        Ok(Box::new(BufReader::with_capacity(READ_BUFFER, gz)))
    } else {
        Ok(Box::new(BufReader::with_capacity(READ_BUFFER, file)))
    }
}

/// Read the header line (at most 64 KiB).
pub fn read_header_line(reader: &mut dyn BufRead) -> std::io::Result<Vec<u8>> {
    let mut line = Vec::new();
    reader.take(64 * 1024).read_until(b'\n', &mut line)?;
    Ok(line)
}

/// Named like an object of AWS's flow-log delivery (so a bad one is an error, not "unrecognised").
fn looks_like_flow_log(path: &Path) -> bool {
    let text = path.to_string_lossy();
    text.contains("vpcflowlogs") || text.ends_with(".log.gz")
}

fn unreadable(path: &Path, what: &'static str, detail: impl Into<String>) -> SnapshotError {
    SnapshotError::Unreadable { path: path.to_path_buf(), what, detail: detail.into() }
}

/// A flow-log file (its header), `None` for a file that is not one. A file named like
/// one whose header is wrong, or whose gzip is broken, is an error naming it.
pub fn sniff_flow_log(path: &Path) -> Result<Option<Header>, SnapshotError> {
    let named = looks_like_flow_log(path);
    let line = match open_text(path).and_then(|mut r| read_header_line(&mut *r)) {
        Ok(l) => l,
        Err(e) if named => {
            return Err(unreadable(path, "VPC flow-log file (truncated or corrupt gzip?)", e.to_string()));
        }
        Err(_) => return Ok(None),
    };
    let text = String::from_utf8_lossy(&line);
    match Header::parse(text.trim_end()) {
        Ok(h) => Ok(Some(h)),
        Err(e) if named => Err(unreadable(path, "VPC flow-log file (wrong header line)", e.to_string())),
        Err(_) => Ok(None),
    }
}

/// Region and day from an object key: `…/vpcflowlogs/<region>/YYYY/MM/DD/…` (or Hive
/// `aws-region=…/year=…/month=…/day=…`) and `<acct>_vpcflowlogs_<region>_<id>_<YYYYMMDDTHHmmZ>_…`.
pub fn key_region_and_day(path: &Path) -> (Option<String>, Option<i32>) {
    let text = path.to_string_lossy().replace('\\', "/");
    let parts: Vec<&str> = text.split('/').collect();
    let mut region = None;
    let mut ymd: (Option<i32>, Option<u32>, Option<u32>) = (None, None, None);
    let num = |p: Option<&&str>, key: &str| p.and_then(|p| p.trim_start_matches(key).parse::<u32>().ok());
    if let Some(i) = parts.iter().position(|p| *p == "vpcflowlogs" || *p == "aws-service=vpcflowlogs") {
        region = parts.get(i + 1).map(|r| r.trim_start_matches("aws-region=").to_string());
        ymd = (
            num(parts.get(i + 2), "year=").map(|y| y as i32),
            num(parts.get(i + 3), "month="),
            num(parts.get(i + 4), "day="),
        );
    }
    let name = parts.last().copied().unwrap_or_default();
    let fields: Vec<&str> = name.split('_').collect();
    if let Some(i) = fields.iter().position(|f| *f == "vpcflowlogs") {
        region = region.or_else(|| fields.get(i + 1).map(|r| r.to_string()));
        if let Some(stamp) = fields.iter().find(|f| f.len() == 14 && f.ends_with('Z') && f.as_bytes()[8] == b'T') {
            ymd = (stamp[0..4].parse().ok(), stamp[4..6].parse().ok(), stamp[6..8].parse().ok());
        }
    }
    let day = match ymd {
        (Some(y), Some(m), Some(d)) => chrono::NaiveDate::from_ymd_opt(y, m, d)
            .map(|date| (date - chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default()).num_days() as i32),
        _ => None,
    };
    (region.filter(|r| r.contains('-')), day)
}

/// What the JSON documents of the directory said.
#[derive(Default)]
struct Documents {
    inventory: Inventory,
    /// (file stem, objects) per kubectl List.
    kube: Vec<(String, KubeObjects)>,
}

fn read_documents(files: &[PathBuf], claimed: &mut BTreeSet<PathBuf>) -> Result<Documents, SnapshotError> {
    let mut docs = Documents::default();
    for path in files {
        if claimed.contains(path) || path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let text = std::fs::read_to_string(path).map_err(|e| unreadable(path, "file", e.to_string()))?;
        let Ok(value) = serde_json::from_str::<Value>(&text) else { continue };
        if kubernetes::is_kube_list(&value) {
            drop(value);
            let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("cluster").to_string();
            docs.kube.push((stem, kubernetes::parse(path, &text)?));
        } else if let Some(kind) = aws_json::AwsDoc::of(&value) {
            drop(value);
            aws_json::read(path, kind, &text, &mut docs.inventory)?;
        } else {
            continue;
        }
        claimed.insert(path.clone());
    }
    Ok(docs)
}

/// The cluster a kubectl List belongs to: the describe-cluster named like the file, the
/// only one described, the eksctl node label, or the file's name.
fn cluster_name(stem: &str, k: &KubeObjects, inv: &Inventory, lists: usize) -> String {
    let described: Vec<&str> = inv
        .clusters
        .iter()
        .filter(|c| c.version_source.as_deref() == Some("eks"))
        .map(|c| c.eks_cluster.as_str())
        .collect();
    if let Some(c) = described.iter().find(|c| **c == stem) {
        return c.to_string();
    }
    if described.len() == 1 && lists == 1 {
        return described[0].to_string();
    }
    k.nodes.iter().find_map(|n| n.cluster_label.clone()).unwrap_or_else(|| stem.to_string())
}

/// Recognise and read the network inputs among `files` not yet `claimed` (claiming
/// them). `base` is the snapshot the import joins, whose VPC frames help attribution.
pub fn import(
    dir: &Path,
    files: &[PathBuf],
    claimed: &mut BTreeSet<PathBuf>,
    base: Option<&Snapshot>,
) -> Result<Option<NetworkImport>, SnapshotError> {
    let docs = read_documents(files, claimed)?;
    let mut flow_files = Vec::new();
    for path in files {
        if claimed.contains(path) || path.extension().and_then(|e| e.to_str()) == Some("json") {
            continue;
        }
        if let Some(header) = sniff_flow_log(path)? {
            claimed.insert(path.clone());
            flow_files.push(FlowFile { path: path.clone(), header });
        }
    }
    if docs.inventory.is_empty() && docs.kube.is_empty() && flow_files.is_empty() {
        return Ok(None);
    }
    let mut inv = base.map(Inventory::from_snapshot).unwrap_or_default();
    inv.merge(docs.inventory);
    aws_json::resolve(&mut inv);
    let clusters = kube_clusters(docs.kube, &mut inv);
    let topo = Topology::build(&inv, &clusters);
    let mut notes = topo.notes.clone();
    let mut frames = inv.frames()?;
    if let Some(df) = services::eks_services(&clusters, &inv)? {
        frames.push((FrameName::EksServices, df));
    }
    let mut span_ms = None;
    if !flow_files.is_empty() {
        let scan = scan_files(&topo, &flow_files, dir)?;
        let (flow_frames, flow_notes) = flow_frames(&topo, &scan, &dir.display().to_string(), clusters.is_empty())?;
        frames.extend(flow_frames);
        notes.extend(flow_notes);
        span_ms = scan.start.zip(scan.end).map(|(s, e)| (s * 1000, e * 1000));
    }
    let mut regions: Vec<String> = inv
        .subnets
        .iter()
        .map(|s| s.region.clone())
        .chain(inv.nats.iter().map(|n| n.region.clone()))
        .chain(inv.clusters.iter().filter_map(|c| c.region.clone()))
        .chain(flow_files.iter().filter_map(|f| key_region_and_day(&f.path).0))
        .filter(|r| !r.is_empty())
        .collect();
    regions.sort();
    regions.dedup();
    let mut accounts: Vec<String> = inv
        .subnets
        .iter()
        .filter_map(|s| s.account_id.clone())
        .chain(inv.clusters.iter().filter_map(|c| c.account_id.clone()))
        .collect();
    accounts.sort();
    accounts.dedup();
    Ok(Some(NetworkImport { frames, notes, span_ms, regions, accounts }))
}

/// Named frames.
pub type Frames = Vec<(FrameName, DataFrame)>;

/// `network_flows`, `nat_gateway_daily` (when NAT gateway interfaces were logged) and
/// `flow_log_coverage` of a scan, with the data-quality notes.
pub fn flow_frames(
    topo: &Topology,
    scan: &Scan,
    source: &str,
    no_kubernetes: bool,
) -> Result<(Frames, Vec<String>), SnapshotError> {
    let rows = flow_rows::Rows { topo, default_region: topo.region.clone() };
    let (flows, unattributed) = rows.network_flows(scan)?;
    let mut frames = vec![(FrameName::NetworkFlows, flows)];
    if let Some(df) = rows.nat_daily(scan)? {
        frames.push((FrameName::NatGatewayDaily, df));
    }
    frames.push((FrameName::FlowLogCoverage, flow_rows::coverage(source, scan, unattributed)?));
    Ok((frames, quality_notes(scan, unattributed, no_kubernetes)))
}

/// The kubectl Lists' clusters, named (see `cluster_name`), and their rows for `eks_clusters`.
pub fn kube_clusters(lists: Vec<(String, KubeObjects)>, inv: &mut Inventory) -> Vec<(String, KubeObjects)> {
    let n = lists.len();
    let clusters: Vec<(String, KubeObjects)> =
        lists.into_iter().map(|(stem, k)| (cluster_name(&stem, &k, inv, n), k)).collect();
    let rows = clusters.iter().map(|(name, k)| services::cluster_row(name, k, inv)).collect();
    inv.merge(Inventory { clusters: rows, ..Inventory::default() });
    clusters
}

/// `eks_services` of the clusters, if they have Services.
pub fn services_frame(clusters: &[(String, KubeObjects)], inv: &Inventory) -> Result<Option<DataFrame>, SnapshotError> {
    services::eks_services(clusters, inv)
}

/// Scan one flow-log object held in memory (read live from S3): gzip or plain text,
/// with its header line. `name` is the object key, used in messages and for its region and day.
pub fn scan_object(
    topo: &Topology,
    name: &str,
    bytes: &[u8],
    seen: &SeenFlows,
    scan: &mut Scan,
) -> Result<(), SnapshotError> {
    let path = Path::new(name);
    let broken =
        |e: std::io::Error| unreadable(path, "VPC flow-log object (truncated or corrupt gzip?)", e.to_string());
    let mut reader: Box<dyn BufRead> = if bytes.starts_with(&GZIP_MAGIC) {
        Box::new(BufReader::with_capacity(READ_BUFFER, flate2::read::MultiGzDecoder::new(bytes)))
    } else {
        Box::new(BufReader::new(bytes))
    };
    let line = read_header_line(&mut *reader).map_err(broken)?;
    let header = Header::parse(String::from_utf8_lossy(&line).trim_end())
        .map_err(|e| unreadable(path, "VPC flow-log object (wrong header line)", e.to_string()))?;
    let (region, file_day) = key_region_and_day(path);
    let ctx = FileScan {
        topo,
        header: &header,
        name,
        region: region.map(|r| topo.strings.id(&r)).unwrap_or(0),
        file_day,
        seen,
        internet: topo.strings.id("internet"),
    };
    scan.lines(&ctx, &mut reader).map_err(broken)
}

/// What the user should know about the records (counted, never fatal).
pub fn quality_notes(scan: &Scan, unattributed: u64, no_kubernetes: bool) -> Vec<String> {
    let c = &scan.counters;
    let mut notes = Vec::new();
    if c.malformed > 0 {
        notes.push(format!("{} malformed flow-log line(s) skipped (first: {})", c.malformed, scan.samples.join("; ")));
    }
    if c.skipdata > 0 {
        notes.push(format!(
            "{} SKIPDATA record(s): AWS skipped records in those intervals, so bytes are undercounted",
            c.skipdata
        ));
    }
    if c.incomplete > 0 {
        notes.push(format!(
            "{} record(s) with `-` in a field the count needs (bytes, addresses, time) not counted",
            c.incomplete
        ));
    }
    if unattributed > 0 && c.bytes > 0 {
        notes.push(format!(
            "{:.1} % of the counted bytes have an end tierwise could not name{}; they are kept as `unknown` rows",
            unattributed as f64 / c.bytes as f64 * 100.0,
            if no_kubernetes {
                " (add `kubectl get pods,services,endpointslices,nodes -A -o json` output to name pods and Services)"
            } else {
                ""
            }
        ));
    }
    notes
}

/// Scan every flow-log file on every core; the first broken file stops the import.
pub fn scan_files(topo: &Topology, files: &[FlowFile], dir: &Path) -> Result<Scan, SnapshotError> {
    let seen = SeenFlows::new();
    let next = AtomicUsize::new(0);
    let internet = topo.strings.id("internet");
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).min(files.len()).max(1);
    let results: Vec<Result<Scan, SnapshotError>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut scan = Scan::default();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(file) = files.get(i) else { return Ok(scan) };
                        if let Err(e) = scan_file(topo, file, dir, &seen, internet, &mut scan) {
                            next.store(files.len(), Ordering::Relaxed);
                            return Err(e);
                        }
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| Err(unreadable(dir, "flow logs", "a scan thread failed"))))
            .collect()
    });
    let mut total = Scan::default();
    for r in results {
        total.merge(r?);
    }
    Ok(total)
}

fn scan_file(
    topo: &Topology,
    file: &FlowFile,
    dir: &Path,
    seen: &SeenFlows,
    internet: u16,
    scan: &mut Scan,
) -> Result<(), SnapshotError> {
    let broken =
        |e: std::io::Error| unreadable(&file.path, "VPC flow-log file (truncated or corrupt gzip?)", e.to_string());
    let mut reader = open_text(&file.path).map_err(broken)?;
    read_header_line(&mut *reader).map_err(broken)?;
    let (region, file_day) = key_region_and_day(&file.path);
    let name = file.path.strip_prefix(dir).unwrap_or(&file.path).display().to_string();
    let ctx = FileScan {
        topo,
        header: &file.header,
        name: &name,
        region: region.map(|r| topo.strings.id(&r)).unwrap_or(0),
        file_day,
        seen,
        internet,
    };
    scan.lines(&ctx, &mut reader).map_err(broken)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nat_gateway_records_stand_in_for_a_client_whose_interface_is_not_logged() {
        use inventory::{NatRow, SubnetRow};
        let inv = Inventory {
            subnets: vec![SubnetRow {
                region: "us-east-1".into(),
                vpc_id: "vpc-1".into(),
                subnet_id: "subnet-a".into(),
                az: "us-east-1a".into(),
                az_id: "use1-az1".into(),
                cidr: "10.0.1.0/24".into(),
                ..SubnetRow::default()
            }],
            nats: vec![NatRow {
                region: "us-east-1".into(),
                nat_gateway_id: "nat-1".into(),
                az_id: Some("use1-az2".into()),
                state: "available".into(),
                private_ips: vec!["10.0.100.5".into()],
                eni_ids: vec!["eni-nat".into()],
                tags: "{}".into(),
                ..NatRow::default()
            }],
            ..Inventory::default()
        };
        let topo = Topology::build(&inv, &[]);
        let text = "interface-id srcaddr dstaddr pkt-srcaddr pkt-dstaddr pkt-src-aws-service pkt-dst-aws-service bytes start end flow-direction\n\
                    eni-nat 10.0.1.10 10.0.100.5 10.0.1.10 52.216.1.1 - S3 1000 1785000000 1785000060 ingress\n\
                    eni-nat 10.0.100.5 52.216.1.1 10.0.100.5 52.216.1.1 - S3 1000 1785000000 1785000060 egress\n\
                    eni-nat 52.216.1.1 10.0.100.5 52.216.1.1 10.0.100.5 S3 - 9000 1785000000 1785000060 ingress\n\
                    eni-nat 10.0.100.5 10.0.1.10 52.216.1.1 10.0.1.10 S3 - 9000 1785000000 1785000060 egress\n";
        let mut scan = Scan::default();
        scan_object(
            &topo,
            "AWSLogs/1/vpcflowlogs/us-east-1/2026/07/24/x.log",
            text.as_bytes(),
            &SeenFlows::new(),
            &mut scan,
        )
        .unwrap();
        assert_eq!((scan.counters.counted, scan.counters.duplicates), (0, 4), "no interface of the client was logged");
        let (frames, _) = flow_frames(&topo, &scan, "test", true).unwrap();
        let flows = &frames[0].1;
        assert_eq!(flows.height(), 1);
        let col = |c: &str| flows.column(c).unwrap().str().unwrap().get(0).map(str::to_string);
        assert_eq!(flows.column("bytes").unwrap().i64().unwrap().get(0), Some(10_000), "the two client-side legs");
        assert_eq!(col("via_id").as_deref(), Some("nat-1"));
        assert_eq!(col("src_name").as_deref(), Some("10.0.1.10"));
        assert_eq!(col("src_az_id").as_deref(), Some("use1-az1"), "from its subnet");
        assert_eq!(col("dst_name").as_deref(), Some("aws:S3"));
        let daily = &frames[1].1;
        assert_eq!(daily.column("bytes_processed").unwrap().i64().unwrap().get(0), Some(10_000));
    }

    #[test]
    fn region_and_day_from_keys() {
        let p = Path::new(
            "x/AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/07/24/123456789012_vpcflowlogs_us-east-1_fl-0a_20260724T1620Z_fe123456.log.gz",
        );
        let day = (chrono::NaiveDate::from_ymd_opt(2026, 7, 24).unwrap()
            - chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap())
        .num_days() as i32;
        assert_eq!(key_region_and_day(p), (Some("us-east-1".into()), Some(day)));
        let hive = Path::new(
            "AWSLogs/aws-account-id=1/aws-service=vpcflowlogs/aws-region=eu-west-1/year=2026/month=07/day=24/f.log.gz",
        );
        assert_eq!(key_region_and_day(hive), (Some("eu-west-1".into()), Some(day)));
        assert_eq!(key_region_and_day(Path::new("flows/a.log.gz")), (None, None));
    }
}
