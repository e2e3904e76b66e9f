//! The scan's aggregate → `network_flows`, `nat_gateway_daily` and `flow_log_coverage`.
//!
//! Request and reply records of a connection land on the same (client, server) row.
//! Traffic leaving the VPC is tied to the NAT gateway that carried it: the gateway's
//! own records name its clients, so a client's external bytes are split over the
//! gateways it used (counted once: the larger of the client's records and the
//! gateway's). Without gateway records, `traffic-path` 1 ("through another resource in
//! the same VPC") means a NAT gateway, and the likely one is the only one in the
//! client's AZ.

use std::collections::{BTreeMap, HashMap};

use polars::prelude::DataFrame;

use super::flow_scan::{NatLegKey, Scan, Side, Tally};
use super::ip::format_ipv4;
use super::topology::{AzIdx, Kind, Topology};
use crate::snapshot::builder::{Cell, FrameBuilder};
use crate::snapshot::{FrameName, SnapshotError};

/// traffic-path codes (VPC flow logs v5).
const PATH_VPC_RESOURCE: u8 = 1;
const PATH_IGW_OR_GATEWAY_ENDPOINT: u8 = 2;
const PATH_GATEWAY_ENDPOINT: u8 = 7;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct GroupKey {
    day: i32,
    client: Side,
    server: Side,
    client_az: AzIdx,
    server_az: AzIdx,
    region: u16,
}

#[derive(Debug, Default, Clone)]
struct Group {
    tally: Tally,
    /// Highest-priority path seen (gateway endpoint > VPC resource > IGW > none).
    path: u8,
}

fn path_rank(p: u8) -> u8 {
    match p {
        PATH_GATEWAY_ENDPOINT => 4,
        PATH_VPC_RESOURCE => 3,
        PATH_IGW_OR_GATEWAY_ENDPOINT => 2,
        0 => 0,
        _ => 1,
    }
}

/// (day, client, client AZ, remote) of NAT gateway legs.
type LegKey = (i32, Side, AzIdx, Side);

/// One `network_flows` row before naming.
struct Row {
    day: i32,
    client: Side,
    server: Side,
    client_az: AzIdx,
    server_az: AzIdx,
    region: u16,
    via: &'static str,
    via_id: Option<String>,
    via_az: AzIdx,
    tally: Tally,
}

pub struct Rows<'a> {
    pub topo: &'a Topology,
    /// Region when a record and its object key say nothing.
    pub default_region: Option<String>,
}

impl Rows<'_> {
    fn name(&self, side: Side) -> (&'static str, String, Option<String>) {
        let t = self.topo;
        match side {
            Side::Party(i) => {
                let p = &t.parties[i as usize];
                (p.kind.as_str(), p.name.clone(), p.cluster.clone())
            }
            Side::Ip(ip) => (Kind::Unknown.as_str(), format_ipv4(ip), None),
            Side::External(svc, _) => {
                let s = t.strings.name(svc);
                let name = match s.as_str() {
                    "" => "unknown destination".to_string(),
                    "internet" => "internet".to_string(),
                    other => format!("aws:{other}"),
                };
                (Kind::External.as_str(), name, None)
            }
            Side::Ipv6 => (Kind::Unknown.as_str(), "ipv6".into(), None),
        }
    }

    fn rows(&self, scan: &Scan) -> Vec<Row> {
        let t = self.topo;
        let mut groups: BTreeMap<GroupKey, Group> = BTreeMap::new();
        for (k, v) in &scan.flows {
            let g = groups
                .entry(GroupKey {
                    day: k.day,
                    client: k.client,
                    server: k.server,
                    client_az: k.client_az,
                    server_az: k.server_az,
                    region: k.region,
                })
                .or_default();
            g.tally.merge(*v);
            if path_rank(k.path) > path_rank(g.path) {
                g.path = k.path;
            }
        }
        // NAT legs by (day, client, client AZ, remote), and every client's gateways.
        let mut legs: BTreeMap<LegKey, Vec<(u32, Tally)>> = BTreeMap::new();
        let mut gateways_of: HashMap<(i32, Side), BTreeMap<u32, u64>> = HashMap::new();
        for (NatLegKey { day, nat, client, client_az, remote }, v) in &scan.nat_legs {
            legs.entry((*day, *client, *client_az, *remote)).or_default().push((*nat, *v));
            *gateways_of.entry((*day, *client)).or_default().entry(*nat).or_insert(0) += v.bytes;
        }
        let mut rows = Vec::new();
        let nat_az = |n: u32| t.nats.get(n as usize).map(|x| x.az).unwrap_or(0);
        let nat_id = |n: u32| t.nats.get(n as usize).map(|x| x.id.clone());
        for (k, g) in groups {
            let base = |via: &'static str, via_id: Option<String>, via_az: AzIdx, tally: Tally| Row {
                day: k.day,
                client: k.client,
                server: k.server,
                client_az: k.client_az,
                server_az: k.server_az,
                region: k.region,
                via,
                via_id,
                via_az,
                tally,
            };
            if let Side::Party(p) = k.server
                && t.parties[p as usize].kind == Kind::Endpoint
            {
                let id = t.parties[p as usize].resource_id.clone();
                rows.push(base("endpoint", id, k.server_az, g.tally));
                continue;
            }
            let Side::External(svc, _) = k.server else {
                rows.push(base("direct", None, 0, g.tally));
                continue;
            };
            if let Some(used) = legs.remove(&(k.day, k.client, k.client_az, k.server)) {
                // Counted once: the larger of the client's records and the gateways'.
                let through: u64 = used.iter().map(|(_, v)| v.bytes).sum();
                let total = g.tally.bytes.max(through);
                let records = g.tally.records.max(used.iter().map(|(_, v)| v.records).sum());
                let mut left = total;
                for (i, (nat, v)) in used.iter().enumerate() {
                    let share = if i + 1 == used.len() {
                        left
                    } else {
                        (total as u128 * v.bytes as u128 / through.max(1) as u128) as u64
                    };
                    left -= share.min(left);
                    let tally = Tally { bytes: share, records: records / used.len() as u64 };
                    rows.push(base("nat-gateway", nat_id(*nat), nat_az(*nat), tally));
                }
                continue;
            }
            let service = t.strings.name(svc);
            let gateway_service = matches!(service.as_str(), "S3" | "DYNAMODB");
            if g.path == PATH_GATEWAY_ENDPOINT || (g.path == PATH_IGW_OR_GATEWAY_ENDPOINT && gateway_service) {
                let candidates: Vec<&String> =
                    t.gateway_endpoints.iter().filter(|((_, s), _)| *s == service).map(|(_, id)| id).collect();
                if g.path == PATH_GATEWAY_ENDPOINT || !candidates.is_empty() {
                    let id = (candidates.len() == 1).then(|| candidates[0].clone());
                    rows.push(base("endpoint", id, 0, g.tally));
                    continue;
                }
            }
            let pool = gateways_of.get(&(k.day, k.client));
            if g.path == PATH_VPC_RESOURCE || (g.path == 0 && pool.is_some()) {
                let nat = pool
                    .and_then(|p| p.iter().max_by_key(|(_, b)| **b).map(|(n, _)| *n))
                    .or_else(|| t.likely_nat(k.client_az));
                match nat {
                    Some(n) => rows.push(base("nat-gateway", nat_id(n), nat_az(n), g.tally)),
                    None => rows.push(base("nat-gateway", None, 0, g.tally)),
                }
                continue;
            }
            rows.push(base("direct", None, 0, g.tally));
        }
        // Gateway records whose clients logged nothing (their interfaces are not monitored).
        for ((day, client, client_az, remote), used) in legs {
            for (nat, v) in used {
                rows.push(Row {
                    day,
                    client,
                    server: remote,
                    client_az,
                    server_az: 0,
                    region: 0,
                    via: "nat-gateway",
                    via_id: nat_id(nat),
                    via_az: nat_az(nat),
                    tally: v,
                });
            }
        }
        rows
    }

    /// `network_flows`, and the bytes of rows with an end nothing could name.
    pub fn network_flows(&self, scan: &Scan) -> Result<(DataFrame, u64), SnapshotError> {
        let t = self.topo;
        let mut b = FrameBuilder::new(FrameName::NetworkFlows);
        let mut unattributed = 0u64;
        let az = |i: AzIdx| t.azs.name(i);
        for r in self.rows(scan) {
            let (src_kind, src_name, src_cluster) = self.name(r.client);
            let (dst_kind, dst_name, dst_cluster) = self.name(r.server);
            if src_kind == "unknown" || dst_kind == "unknown" || dst_name == "unknown destination" {
                unattributed += r.tally.bytes;
            }
            let aws_service = match r.server {
                Side::External(svc, _) => Some(t.strings.name(svc)).filter(|s| !s.is_empty() && s != "internet"),
                Side::Party(p) => t.parties[p as usize].aws_service.clone(),
                _ => None,
            };
            let service_region = match r.server {
                Side::External(_, reg) if reg != 0 => Some(t.strings.name(reg)),
                _ => None,
            };
            let region =
                Some(t.strings.name(r.region)).filter(|s| !s.is_empty()).or_else(|| self.default_region.clone());
            b.row([
                ("date", Cell::Date(Some(r.day))),
                ("src_az_id", az(r.client_az).into()),
                ("dst_az_id", az(r.server_az).into()),
                ("src_kind", src_kind.into()),
                ("src_name", src_name.into()),
                ("dst_kind", dst_kind.into()),
                ("dst_name", dst_name.into()),
                ("eks_cluster", src_cluster.or(dst_cluster).into()),
                ("bytes", (r.tally.bytes.min(i64::MAX as u64) as i64).into()),
                ("via", r.via.into()),
                ("via_id", r.via_id.into()),
                ("via_az_id", Some(az(r.via_az)).filter(|a| !a.is_empty()).into()),
                ("aws_service", aws_service.into()),
                ("service_region", service_region.into()),
                ("region", region.into()),
                ("records", (r.tally.records as i64).into()),
            ])?;
        }
        Ok((b.finish()?, unattributed))
    }

    /// Daily bytes each NAT gateway processed, from its interface's records (a day with
    /// NODATA records only is a covered day with 0 bytes).
    pub fn nat_daily(&self, scan: &Scan) -> Result<Option<DataFrame>, SnapshotError> {
        if scan.nat_days.is_empty() {
            return Ok(None);
        }
        let mut days: Vec<(&(u32, i32), &u64)> = scan.nat_days.iter().collect();
        days.sort();
        let mut b = FrameBuilder::new(FrameName::NatGatewayDaily);
        for ((nat, day), bytes) in days {
            let Some(info) = self.topo.nats.get(*nat as usize) else { continue };
            b.row([
                ("nat_gateway_id", info.id.clone().into()),
                ("date", Cell::Date(Some(*day))),
                ("bytes_processed", (*bytes as i64).into()),
                ("source", "flow-logs".into()),
            ])?;
        }
        Ok(Some(b.finish()?))
    }
}

/// `flow_log_coverage`: one row for the source.
pub fn coverage(source: &str, scan: &Scan, unattributed: u64) -> Result<DataFrame, SnapshotError> {
    let c = &scan.counters;
    let mut b = FrameBuilder::new(FrameName::FlowLogCoverage);
    let n = |v: u64| Cell::I64(Some(v.min(i64::MAX as u64) as i64));
    b.row([
        ("source", source.into()),
        ("start", Cell::Ts(scan.start.map(|s| s * 1000))),
        ("end", Cell::Ts(scan.end.map(|s| s * 1000))),
        ("files", n(c.files)),
        ("records", n(c.records)),
        ("counted_records", n(c.counted)),
        ("duplicate_records", n(c.duplicates)),
        ("nodata_records", n(c.nodata)),
        ("skipdata_records", n(c.skipdata)),
        ("rejected_records", n(c.rejected)),
        ("incomplete_records", n(c.incomplete)),
        ("malformed_lines", n(c.malformed)),
        ("bytes_counted", n(c.bytes)),
        ("unattributed_bytes", n(unattributed)),
    ])?;
    b.finish()
}
