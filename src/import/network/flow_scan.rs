//! One pass over flow-log records: count each flow's bytes once and aggregate them by
//! (day, client, server, AZs, path). Files are streamed line by line (gzip or plain
//! text); memory holds the aggregate, never the records.
//!
//! Counting rule (docs/network.md): a flow direction is recorded on the sending
//! interface (egress), on the receiving one (ingress) and, through a NAT gateway, on
//! the gateway's interface twice. Bytes are counted from egress records, and from
//! ingress records only when the sender is outside the VPC (it has no interface of its
//! own). Records on NAT gateway interfaces are never counted as flows: they tell which
//! gateway carried a client's traffic and how much it processed.

use std::collections::{HashMap, HashSet};
use std::io::BufRead;
use std::sync::Mutex;

use memchr::memchr_iter;

use super::flow_header::{Header, MAX_FIELDS};
use super::ip::{IntMap, parse_ipv4};
use super::topology::{Address, AzIdx, Topology};

/// One end of a counted flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Side {
    /// A known party (index into `Topology::parties`).
    Party(u32),
    /// An address inside the VPC that nothing names.
    Ip(u32),
    /// Outside the VPC: AWS service (interned; "internet" when none) and its region.
    External(u16, u16),
    /// An IPv6 address (not attributed).
    Ipv6,
}

/// How an egress record left: VPC flow logs' `traffic-path` (0 when absent).
pub type Path = u8;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FlowKey {
    pub day: i32,
    pub client: Side,
    pub server: Side,
    pub client_az: AzIdx,
    pub server_az: AzIdx,
    pub path: Path,
    pub region: u16,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NatLegKey {
    pub day: i32,
    pub nat: u32,
    pub client: Side,
    pub client_az: AzIdx,
    pub remote: Side,
}

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Tally {
    pub bytes: u64,
    pub records: u64,
}

impl Tally {
    fn add(&mut self, bytes: u64) {
        self.bytes += bytes;
        self.records += 1;
    }
    pub fn merge(&mut self, o: Tally) {
        self.bytes += o.bytes;
        self.records += o.records;
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Counters {
    pub files: u64,
    pub records: u64,
    pub counted: u64,
    pub duplicates: u64,
    pub nodata: u64,
    pub skipdata: u64,
    pub rejected: u64,
    pub incomplete: u64,
    pub malformed: u64,
    pub bytes: u64,
}

impl Counters {
    pub fn merge(&mut self, o: &Counters) {
        self.files += o.files;
        self.records += o.records;
        self.counted += o.counted;
        self.duplicates += o.duplicates;
        self.nodata += o.nodata;
        self.skipdata += o.skipdata;
        self.rejected += o.rejected;
        self.incomplete += o.incomplete;
        self.malformed += o.malformed;
        self.bytes += o.bytes;
    }
}

/// A set of flow fingerprints shared by the scan threads, for formats that cannot tell
/// egress from ingress (no `flow-direction`, interfaces unknown).
#[derive(Default)]
pub struct SeenFlows {
    shards: Vec<Mutex<HashSet<u64>>>,
}

impl SeenFlows {
    pub fn new() -> SeenFlows {
        SeenFlows { shards: (0..64).map(|_| Mutex::new(HashSet::new())).collect() }
    }
    fn first_time(&self, h: u64) -> bool {
        let shard = &self.shards[(h as usize) % self.shards.len()];
        shard.lock().unwrap_or_else(|e| e.into_inner()).insert(h)
    }
}

/// What one scan thread accumulates.
#[derive(Default)]
pub struct Scan {
    pub flows: HashMap<FlowKey, Tally, std::hash::BuildHasherDefault<super::ip::IntHasher>>,
    pub nat_legs: HashMap<NatLegKey, Tally, std::hash::BuildHasherDefault<super::ip::IntHasher>>,
    /// (NAT index, day) → bytes processed (0 for a day seen with NODATA only).
    pub nat_days: IntMap<(u32, i32), u64>,
    pub counters: Counters,
    /// The first malformed lines, `file:line: why`.
    pub samples: Vec<String>,
    pub start: Option<i64>,
    pub end: Option<i64>,
    az_cache: Vec<(Vec<u8>, AzIdx)>,
    string_cache: Vec<(Vec<u8>, u16)>,
}

/// The per-file context of a scan.
pub struct FileScan<'a> {
    pub topo: &'a Topology,
    pub header: &'a Header,
    pub name: &'a str,
    /// Region from the object key (`…/vpcflowlogs/<region>/…`), interned.
    pub region: u16,
    /// Day of the file name's timestamp, for formats without `start`/`end`.
    pub file_day: Option<i32>,
    pub seen: &'a SeenFlows,
    /// Interned "internet".
    pub internet: u16,
}

const SAMPLES: usize = 5;

#[inline]
fn parse_u64(s: &[u8]) -> Option<u64> {
    if s.is_empty() || s.len() > 19 {
        return None;
    }
    let mut v: u64 = 0;
    for &b in s {
        if !b.is_ascii_digit() {
            return None;
        }
        v = v * 10 + u64::from(b - b'0');
    }
    Some(v)
}

fn fingerprint(parts: &[&[u8]]) -> u64 {
    use std::hash::Hasher;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for p in parts {
        h.write(p);
        h.write_u8(0);
    }
    h.finish()
}

impl Scan {
    fn az(&mut self, topo: &Topology, token: &[u8]) -> AzIdx {
        if token == b"-" || token.is_empty() {
            return 0;
        }
        if let Some((_, id)) = self.az_cache.iter().find(|(t, _)| t == token) {
            return *id;
        }
        let id = topo.azs.id(&String::from_utf8_lossy(token));
        self.az_cache.push((token.to_vec(), id));
        id
    }

    fn string(&mut self, topo: &Topology, token: &[u8]) -> u16 {
        if token == b"-" || token.is_empty() {
            return 0;
        }
        if let Some((_, id)) = self.string_cache.iter().find(|(t, _)| t == token) {
            return *id;
        }
        let id = topo.strings.id(&String::from_utf8_lossy(token));
        self.string_cache.push((token.to_vec(), id));
        id
    }

    fn malformed(&mut self, file: &FileScan, line: u64, why: &str) {
        self.counters.malformed += 1;
        if self.samples.len() < SAMPLES {
            self.samples.push(format!("{}:{line}: {why}", file.name));
        }
    }

    /// Stream every record of one file (the header line already read).
    pub fn lines(&mut self, file: &FileScan, reader: &mut impl BufRead) -> std::io::Result<()> {
        self.counters.files += 1;
        let mut carry: Vec<u8> = Vec::new();
        let mut line_no: u64 = 1;
        loop {
            let buf = reader.fill_buf()?;
            if buf.is_empty() {
                if !carry.is_empty() {
                    line_no += 1;
                    self.line(file, &carry, line_no);
                }
                return Ok(());
            }
            let n = buf.len();
            let mut pos = 0;
            for i in memchr_iter(b'\n', buf) {
                line_no += 1;
                if carry.is_empty() {
                    self.line(file, &buf[pos..i], line_no);
                } else {
                    carry.extend_from_slice(&buf[pos..i]);
                    let whole = std::mem::take(&mut carry);
                    self.line(file, &whole, line_no);
                    carry = whole;
                    carry.clear();
                }
                pos = i + 1;
            }
            carry.extend_from_slice(&buf[pos..]);
            reader.consume(n);
        }
    }

    fn line(&mut self, file: &FileScan, line: &[u8], line_no: u64) {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let mut f: [(u32, u32); MAX_FIELDS] = [(0, 0); MAX_FIELDS];
        let mut n = 0;
        let mut i = 0;
        let len = line.len();
        while i < len {
            while i < len && (line[i] == b' ' || line[i] == b'\t') {
                i += 1;
            }
            if i == len {
                break;
            }
            let start = i;
            while i < len && line[i] != b' ' && line[i] != b'\t' {
                i += 1;
            }
            if n == MAX_FIELDS {
                n += 1;
                break;
            }
            f[n] = (start as u32, i as u32);
            n += 1;
        }
        if n == 0 {
            return; // a blank line is not a record
        }
        let h = file.header;
        if n != h.fields {
            self.malformed(file, line_no, &format!("{n} fields, the header names {}", h.fields));
            return;
        }
        self.counters.records += 1;
        let tok = |idx: usize| &line[f[idx].0 as usize..f[idx].1 as usize];
        let opt = |idx: Option<usize>| idx.map(tok);
        let start = opt(h.start).and_then(parse_u64).map(|v| v as i64);
        let end = opt(h.end).and_then(parse_u64).map(|v| v as i64);
        if let Some(s) = start {
            self.start = Some(self.start.map_or(s, |m| m.min(s)));
        }
        if let Some(e) = end.or(start) {
            self.end = Some(self.end.map_or(e, |m| m.max(e)));
        }
        let day = start.or(end).map(|s| s.div_euclid(86_400) as i32).or(file.file_day);
        let eni = opt(h.interface_id).filter(|e| *e != b"-").or_else(|| opt(h.resource_id).filter(|e| *e != b"-"));
        match opt(h.log_status) {
            None | Some(b"OK") => {}
            Some(b"NODATA") => {
                self.counters.nodata += 1;
                if let (Some(day), Some(nat)) = (day, eni.and_then(|e| file.topo.nat_of_eni(e))) {
                    self.nat_days.entry((nat, day)).or_insert(0);
                }
                return;
            }
            Some(b"SKIPDATA") => {
                self.counters.skipdata += 1;
                return;
            }
            Some(other) => {
                let why = format!("log-status `{}` is not OK, NODATA or SKIPDATA", String::from_utf8_lossy(other));
                self.counters.records -= 1;
                self.malformed(file, line_no, &why);
                return;
            }
        }
        match opt(h.action) {
            Some(b"REJECT") => {
                self.counters.rejected += 1;
                return;
            }
            Some(b"ACCEPT") | None => {}
            Some(_) => {
                self.counters.incomplete += 1;
                return;
            }
        }
        let Some(bytes) = Some(tok(h.bytes)).and_then(parse_u64) else {
            if tok(h.bytes) == b"-" {
                self.counters.incomplete += 1;
            } else {
                self.counters.records -= 1;
                self.malformed(file, line_no, "`bytes` is not a number");
            }
            return;
        };
        let (Some(day), raw_src, raw_dst) = (day, opt(h.srcaddr), opt(h.dstaddr)) else {
            self.counters.incomplete += 1;
            return;
        };
        fn pick<'l>(pkt: Option<&'l [u8]>, raw: Option<&'l [u8]>) -> Option<&'l [u8]> {
            pkt.filter(|p| *p != b"-").or(raw.filter(|r| *r != b"-"))
        }
        let (Some(src), Some(dst)) = (pick(opt(h.pkt_srcaddr), raw_src), pick(opt(h.pkt_dstaddr), raw_dst)) else {
            self.counters.incomplete += 1;
            return;
        };
        let topo = file.topo;
        let (src_ip, dst_ip) = (parse_ipv4(src), parse_ipv4(dst));
        let raw_src_ip = raw_src.and_then(parse_ipv4);
        let raw_dst_ip = raw_dst.and_then(parse_ipv4);
        let known_eni = eni.and_then(|e| topo.eni(e));
        let nat = eni.and_then(|e| topo.nat_of_eni(e)).or_else(|| {
            if known_eni.is_some() {
                return None;
            }
            raw_dst_ip.and_then(|ip| topo.nat_of_ip(ip)).or_else(|| raw_src_ip.and_then(|ip| topo.nat_of_ip(ip)))
        });
        let record_az = match opt(h.az_id).map(|t| self.az(topo, t)).filter(|a| *a != 0) {
            Some(az) => az,
            None => known_eni
                .map(|(_, az)| *az)
                .filter(|a| *a != 0)
                .or_else(|| opt(h.subnet_id).and_then(|s| std::str::from_utf8(s).ok()).map(|s| topo.subnet_id_az(s)))
                .unwrap_or(0),
        };
        let region = match opt(h.region).map(|t| self.string(topo, t)) {
            Some(r) if r != 0 => r,
            _ => file.region,
        };
        let services = (opt(h.pkt_src_aws_service), opt(h.pkt_dst_aws_service));
        if let Some(nat) = nat {
            self.counters.duplicates += 1;
            self.nat_leg(file, nat, day, bytes, (src_ip, dst_ip), (raw_src_ip, raw_dst_ip), services);
            return;
        }
        let (Some(src_ip), Some(dst_ip)) = (src_ip, dst_ip) else {
            // IPv6: counted once on its egress side, not attributed.
            if opt(h.flow_direction) != Some(b"ingress") {
                self.count(
                    FlowKey {
                        day,
                        client: Side::Ipv6,
                        server: Side::Ipv6,
                        client_az: record_az,
                        server_az: 0,
                        path: 0,
                        region,
                    },
                    bytes,
                );
            }
            return;
        };
        let egress = match opt(h.flow_direction) {
            Some(b"egress") => Some(true),
            Some(b"ingress") => Some(false),
            _ => known_eni.and_then(|(ips, _)| {
                if raw_src_ip.is_some_and(|s| ips.contains(&s)) {
                    Some(true)
                } else if raw_dst_ip.is_some_and(|d| ips.contains(&d)) {
                    Some(false)
                } else {
                    None
                }
            }),
        };
        let counted_on_src = match egress {
            Some(true) => true,
            Some(false) => {
                if topo.is_internal(src_ip) {
                    self.counters.duplicates += 1;
                    return;
                }
                false
            }
            None => {
                let key = fingerprint(&[
                    src,
                    dst,
                    opt(h.srcport).unwrap_or(b""),
                    opt(h.dstport).unwrap_or(b""),
                    &day.to_le_bytes(),
                ]);
                if !file.seen.first_time(key) {
                    self.counters.duplicates += 1;
                    return;
                }
                true
            }
        };
        let path = opt(h.traffic_path).and_then(parse_u64).map(|p| p.min(255) as u8).unwrap_or(0);
        let src_port = opt(h.srcport).and_then(parse_u64).map(|p| p as u16);
        let dst_port = opt(h.dstport).and_then(parse_u64).map(|p| p as u16);
        let src_end = self.end_of(file, src_ip, services.0, if counted_on_src { record_az } else { 0 });
        let dst_end = self.end_of(file, dst_ip, services.1, if counted_on_src { 0 } else { record_az });
        let key = orient(topo, src_end, dst_end, src_port, dst_port, day, path, region);
        self.count(key, bytes);
    }

    fn count(&mut self, key: FlowKey, bytes: u64) {
        self.counters.counted += 1;
        self.counters.bytes += bytes;
        self.flows.entry(key).or_default().add(bytes);
    }

    /// An end of a flow: its address entry (if named), its AZ and, outside the VPC, its service.
    fn end_of<'t>(&mut self, file: &FileScan<'t>, ip: u32, service: Option<&[u8]>, recorded_az: AzIdx) -> End<'t> {
        let topo = file.topo;
        if let Some(a) = topo.address(ip) {
            let az = if recorded_az != 0 { recorded_az } else { a.az };
            return End { address: Some(a), side: Side::Party(a.party), az };
        }
        if topo.is_internal(ip) {
            let az = if recorded_az != 0 { recorded_az } else { topo.subnet_az(ip) };
            return End { address: None, side: Side::Ip(ip), az };
        }
        // The region's own S3/DynamoDB prefix lists are the most specific; then the
        // record's pkt-*-aws-service (any region); else the internet.
        let (svc, region) = match topo.prefix_service(ip) {
            Some(placed) => placed,
            None => match service.map(|s| self.string(topo, s)).filter(|s| *s != 0) {
                Some(s) => (s, 0),
                None => (file.internet, 0),
            },
        };
        End { address: None, side: Side::External(svc, region), az: recorded_az }
    }

    /// A record on a NAT gateway's interface: the client-side legs are what it processed.
    #[allow(clippy::too_many_arguments)]
    fn nat_leg(
        &mut self,
        file: &FileScan,
        nat: u32,
        day: i32,
        bytes: u64,
        (src, dst): (Option<u32>, Option<u32>),
        (raw_src, raw_dst): (Option<u32>, Option<u32>),
        (src_service, dst_service): (Option<&[u8]>, Option<&[u8]>),
    ) {
        let topo = file.topo;
        let is_nat = |ip: Option<u32>| ip.and_then(|i| topo.nat_of_ip(i)) == Some(nat);
        let internal = |ip: Option<u32>| ip.is_some_and(|i| topo.is_internal(i) && topo.nat_of_ip(i).is_none());
        // client → NAT (upload), or NAT → client (download); the internet-side legs carry the same bytes.
        let (client, remote, remote_service) = if is_nat(raw_dst) && internal(src) {
            (src, dst.filter(|d| !is_nat(Some(*d))), dst_service)
        } else if is_nat(raw_src) && internal(dst) {
            (dst, src.filter(|s| !is_nat(Some(*s))), src_service)
        } else {
            return;
        };
        let Some(client) = client else { return };
        *self.nat_days.entry((nat, day)).or_insert(0) += bytes;
        let client_end = self.end_of(file, client, None, 0);
        let remote = match remote {
            Some(r) => self.end_of(file, r, remote_service, 0).side,
            None => Side::External(0, 0),
        };
        let key = NatLegKey {
            day,
            nat,
            client: client_end.address.map(|a| Side::Party(a.client)).unwrap_or(client_end.side),
            client_az: client_end.az,
            remote,
        };
        self.nat_legs.entry(key).or_default().add(bytes);
    }

    /// Fold another thread's scan into this one.
    pub fn merge(&mut self, other: Scan) {
        for (k, v) in other.flows {
            self.flows.entry(k).or_default().merge(v);
        }
        for (k, v) in other.nat_legs {
            self.nat_legs.entry(k).or_default().merge(v);
        }
        for (k, v) in other.nat_days {
            *self.nat_days.entry(k).or_insert(0) += v;
        }
        self.counters.merge(&other.counters);
        for s in other.samples {
            if self.samples.len() < SAMPLES {
                self.samples.push(s);
            }
        }
        self.start = match (self.start, other.start) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.end = match (self.end, other.end) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
    }
}

struct End<'t> {
    address: Option<&'t Address>,
    side: Side,
    az: AzIdx,
}

/// Client → server: the end serving a Service port is the server (a reply is folded onto
/// its request); outside the VPC is the server; otherwise the lower port.
#[allow(clippy::too_many_arguments)]
fn orient(
    topo: &Topology,
    src: End,
    dst: End,
    src_port: Option<u16>,
    dst_port: Option<u16>,
    day: i32,
    path: Path,
    region: u16,
) -> FlowKey {
    let serving = |e: &End, port: Option<u16>| e.address.zip(port).and_then(|(a, p)| topo.serves(a, p));
    let client_of = |e: &End| e.address.map(|a| Side::Party(a.client)).unwrap_or(e.side);
    let key = |client: &End, client_side: Side, server: &End, server_side: Side| FlowKey {
        day,
        client: client_side,
        server: server_side,
        client_az: client.az,
        server_az: server.az,
        path,
        region,
    };
    if let Some(svc) = serving(&dst, dst_port) {
        return key(&src, client_of(&src), &dst, Side::Party(svc));
    }
    if let Some(svc) = serving(&src, src_port) {
        return key(&dst, client_of(&dst), &src, Side::Party(svc));
    }
    let external = |e: &End| matches!(e.side, Side::External(..));
    let src_is_server = if external(&dst) {
        false
    } else if external(&src) {
        true
    } else {
        matches!((src_port, dst_port), (Some(s), Some(d)) if s < d)
    };
    if src_is_server { key(&dst, client_of(&dst), &src, src.side) } else { key(&src, client_of(&src), &dst, dst.side) }
}
