//! The network family's shared reading of a snapshot, once per run: flows summed over
//! the window and scaled to a month, Services with their endpoint spread, clusters
//! with their version, NAT gateways, VPC endpoints, NAT daily traffic and the billed
//! totals from Cost Explorer usage types.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use polars::prelude::*;

use crate::pricing::HOURS_PER_MONTH;
use crate::rules::{RuleContext, RuleError};
use crate::snapshot::FrameName;

/// AWS bills data transfer per GB of 2^30 bytes.
pub const GB: f64 = 1_073_741_824.0;

/// One aggregated flow: the window's bytes scaled to a month.
#[derive(Debug, Clone, PartialEq)]
pub struct Flow {
    pub cluster: Option<String>,
    pub region: Option<String>,
    pub src_kind: String,
    pub src_name: String,
    pub dst_kind: String,
    pub dst_name: String,
    pub src_az: String,
    pub dst_az: String,
    pub via: String,
    pub via_id: Option<String>,
    pub via_az: Option<String>,
    pub aws_service: Option<String>,
    pub service_region: Option<String>,
    /// Bytes per month (730 hours).
    pub monthly_bytes: f64,
    pub records: u64,
}

impl Flow {
    /// The AZ of the first hop from the source: the NAT gateway's, else the destination's.
    pub fn first_hop_az(&self) -> &str {
        match (self.via.as_str(), &self.via_az) {
            ("nat-gateway", Some(az)) => az,
            ("nat-gateway", None) => "",
            _ => &self.dst_az,
        }
    }

    /// Bytes crossing an AZ boundary on the first hop (both AZs known and different).
    pub fn crossing_bytes(&self) -> f64 {
        let hop = self.first_hop_az();
        if !self.src_az.is_empty() && !hop.is_empty() && self.src_az != hop { self.monthly_bytes } else { 0.0 }
    }

    pub fn inside_vpc(&self) -> bool {
        !matches!(self.dst_kind.as_str(), "external") && !matches!(self.src_kind.as_str(), "external")
    }
}

/// A Kubernetes Service as `eks_services` describes it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ServiceInfo {
    pub cluster: String,
    pub namespace: String,
    pub name: String,
    pub traffic_distribution: Option<String>,
    pub topology_mode: Option<String>,
    pub internal_traffic_policy: Option<String>,
    pub zone_hints: Option<bool>,
    /// Ready endpoints per AZ id.
    pub endpoints: BTreeMap<String, u32>,
}

impl ServiceInfo {
    pub fn key(&self) -> String {
        format!("{}/{}", self.namespace, self.name)
    }
    pub fn total_endpoints(&self) -> u32 {
        self.endpoints.values().sum()
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ClusterInfo {
    pub name: String,
    pub region: Option<String>,
    pub account_id: Option<String>,
    /// (major, minor), e.g. (1, 33).
    pub version: Option<(u32, u32)>,
    pub version_from_kubelet: bool,
    /// Allocatable vCPUs per AZ id.
    pub cpu_by_az: BTreeMap<String, f64>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct NatInfo {
    pub id: String,
    pub region: String,
    pub account_id: Option<String>,
    pub vpc_id: Option<String>,
    pub az_id: Option<String>,
    pub state: String,
    pub created_ms: Option<i64>,
    pub tags: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct EndpointInfo {
    pub id: String,
    pub vpc_id: Option<String>,
    pub service_name: String,
    pub endpoint_type: String,
}

/// One day of a NAT gateway's traffic.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct NatDay {
    pub day: i32,
    pub bytes: Option<f64>,
    pub connections_max: Option<f64>,
}

/// Billed monthly averages of one region from `spend_monthly`.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Billed {
    /// `*-DataTransfer-Regional-Bytes` (and the xAZ In/Out types): GB per month, both sides.
    pub regional_gb: f64,
    pub regional_usd: f64,
    /// `*-NatGateway-Bytes`: GB per month.
    pub nat_gb: f64,
    pub nat_usd: f64,
    pub months: usize,
}

pub struct NetworkData {
    pub flows: Vec<Flow>,
    pub services: BTreeMap<(String, String), ServiceInfo>,
    pub clusters: BTreeMap<String, ClusterInfo>,
    pub nats: BTreeMap<String, NatInfo>,
    pub endpoints: Vec<EndpointInfo>,
    pub nat_days: BTreeMap<String, Vec<NatDay>>,
    pub billed: BTreeMap<String, Billed>,
    /// Days of traffic behind the flows (the flow logs' span, or the days present).
    pub days: f64,
    /// Region when the snapshot covers only one.
    pub only_region: Option<String>,
    /// Snapshot end, epoch ms (ages are measured to it).
    pub end_ms: i64,
}

fn strs(df: &DataFrame, name: &str) -> Result<Vec<Option<String>>, RuleError> {
    Ok(df.column(name)?.str()?.iter().map(|v| v.map(str::to_string)).collect())
}

fn nums(df: &DataFrame, name: &str) -> Result<Vec<Option<f64>>, RuleError> {
    Ok(df.column(name)?.cast(&DataType::Float64)?.f64()?.iter().collect())
}

fn json_map<V: serde::de::DeserializeOwned>(text: Option<&str>) -> BTreeMap<String, V> {
    text.and_then(|t| serde_json::from_str(t).ok()).unwrap_or_default()
}

/// `1.33` → (1, 33).
pub fn parse_version(v: &str) -> Option<(u32, u32)> {
    let mut parts = v.trim_start_matches('v').split('.');
    Some((parts.next()?.parse().ok()?, parts.next()?.split('-').next()?.parse().ok()?))
}

/// True for a usage type with this suffix, with or without a region prefix.
pub fn usage_type_is(usage_type: &str, suffix: &str) -> bool {
    usage_type == suffix || usage_type.ends_with(&format!("-{suffix}"))
}

impl NetworkData {
    pub fn of(ctx: &RuleContext) -> Result<Arc<NetworkData>, RuleError> {
        ctx.shared(NetworkData::load)
    }

    fn load(ctx: &RuleContext) -> Result<NetworkData, RuleError> {
        let snap = ctx.snapshot;
        let end_ms = snap.manifest.window.end.timestamp_millis();
        let only_region = (snap.manifest.regions.len() == 1).then(|| snap.manifest.regions[0].clone());
        let days = flow_days(ctx)?;
        let mut data = NetworkData {
            flows: Vec::new(),
            services: BTreeMap::new(),
            clusters: BTreeMap::new(),
            nats: BTreeMap::new(),
            endpoints: Vec::new(),
            nat_days: BTreeMap::new(),
            billed: BTreeMap::new(),
            days,
            only_region,
            end_ms,
        };
        if let Some(df) = snap.frame(FrameName::NetworkFlows) {
            data.flows = flows(df, (HOURS_PER_MONTH / 24.0) / days)?;
        }
        if let Some(df) = snap.frame(FrameName::EksServices) {
            let (c, ns, s) = (strs(df, "eks_cluster")?, strs(df, "namespace")?, strs(df, "service")?);
            let (td, tm, itp) =
                (strs(df, "traffic_distribution")?, strs(df, "topology_mode")?, strs(df, "internal_traffic_policy")?);
            let ep = strs(df, "endpoints_by_az")?;
            let hints: Vec<Option<bool>> = df.column("zone_hints")?.bool()?.iter().collect();
            for i in 0..df.height() {
                let info = ServiceInfo {
                    cluster: c[i].clone().unwrap_or_default(),
                    namespace: ns[i].clone().unwrap_or_default(),
                    name: s[i].clone().unwrap_or_default(),
                    traffic_distribution: td[i].clone(),
                    topology_mode: tm[i].clone(),
                    internal_traffic_policy: itp[i].clone(),
                    zone_hints: hints[i],
                    endpoints: json_map(ep[i].as_deref()),
                };
                data.services.insert((info.cluster.clone(), info.key()), info);
            }
        }
        if let Some(df) = snap.frame(FrameName::EksClusters) {
            let (n, r, a) = (strs(df, "eks_cluster")?, strs(df, "region")?, strs(df, "account_id")?);
            let (v, src, cpu) =
                (strs(df, "kubernetes_version")?, strs(df, "version_source")?, strs(df, "node_cpu_by_az")?);
            for i in 0..df.height() {
                let name = n[i].clone().unwrap_or_default();
                data.clusters.insert(
                    name.clone(),
                    ClusterInfo {
                        name,
                        region: r[i].clone(),
                        account_id: a[i].clone(),
                        version: v[i].as_deref().and_then(parse_version),
                        version_from_kubelet: src[i].as_deref() == Some("kubelet"),
                        cpu_by_az: json_map(cpu[i].as_deref()),
                    },
                );
            }
        }
        if let Some(df) = snap.frame(FrameName::NatGateways) {
            let (id, region, acct, vpc) =
                (strs(df, "nat_gateway_id")?, strs(df, "region")?, strs(df, "account_id")?, strs(df, "vpc_id")?);
            let (az, state, tags) = (strs(df, "az_id")?, strs(df, "state")?, strs(df, "tags")?);
            let created: Vec<Option<i64>> = df.column("created_at")?.cast(&DataType::Int64)?.i64()?.iter().collect();
            for i in 0..df.height() {
                let nat = NatInfo {
                    id: id[i].clone().unwrap_or_default(),
                    region: region[i].clone().unwrap_or_default(),
                    account_id: acct[i].clone(),
                    vpc_id: vpc[i].clone(),
                    az_id: az[i].clone(),
                    state: state[i].clone().unwrap_or_default(),
                    created_ms: created[i],
                    tags: json_map(tags[i].as_deref()),
                };
                data.nats.insert(nat.id.clone(), nat);
            }
        }
        if let Some(df) = snap.frame(FrameName::VpcEndpoints) {
            let (id, vpc, svc, kind) = (
                strs(df, "vpc_endpoint_id")?,
                strs(df, "vpc_id")?,
                strs(df, "service_name")?,
                strs(df, "endpoint_type")?,
            );
            for i in 0..df.height() {
                data.endpoints.push(EndpointInfo {
                    id: id[i].clone().unwrap_or_default(),
                    vpc_id: vpc[i].clone(),
                    service_name: svc[i].clone().unwrap_or_default(),
                    endpoint_type: kind[i].clone().unwrap_or_default(),
                });
            }
        }
        if let Some(df) = snap.frame(FrameName::NatGatewayDaily) {
            let id = strs(df, "nat_gateway_id")?;
            let days: Vec<Option<i32>> = df.column("date")?.cast(&DataType::Int32)?.i32()?.iter().collect();
            let (bytes, conns) = (nums(df, "bytes_processed")?, nums(df, "active_connections_max")?);
            for i in 0..df.height() {
                let (Some(id), Some(day)) = (id[i].clone(), days[i]) else { continue };
                data.nat_days.entry(id).or_default().push(NatDay { day, bytes: bytes[i], connections_max: conns[i] });
            }
            for v in data.nat_days.values_mut() {
                v.sort_by_key(|d| d.day);
                v.dedup_by_key(|d| d.day);
            }
        }
        if let Some(df) = snap.frame(FrameName::SpendMonthly) {
            data.billed = billed(df)?;
        }
        Ok(data)
    }

    /// The region a flow is priced in: its own, its cluster's, or the snapshot's only one.
    pub fn region_of(&self, flow: &Flow) -> Option<String> {
        flow.region
            .clone()
            .or_else(|| flow.cluster.as_ref().and_then(|c| self.clusters.get(c)).and_then(|c| c.region.clone()))
            .or_else(|| self.only_region.clone())
    }
}

/// Days of traffic: the flow logs' span when recorded, else the days present.
fn flow_days(ctx: &RuleContext) -> Result<f64, RuleError> {
    let snap = ctx.snapshot;
    if let Some(df) = snap.frame(FrameName::FlowLogCoverage) {
        let start: Vec<Option<i64>> = df.column("start")?.cast(&DataType::Int64)?.i64()?.iter().collect();
        let end: Vec<Option<i64>> = df.column("end")?.cast(&DataType::Int64)?.i64()?.iter().collect();
        let (s, e) = (start.iter().flatten().min(), end.iter().flatten().max());
        if let (Some(s), Some(e)) = (s, e) {
            return Ok(((e - s) as f64 / 86_400_000.0).max(1.0 / 24.0));
        }
    }
    if let Some(df) = snap.frame(FrameName::NetworkFlows) {
        let days = df.column("date")?.n_unique()?;
        if days > 0 {
            return Ok(days as f64);
        }
    }
    Ok(ctx.window_days().max(1.0 / 24.0))
}

/// Flows summed over days, scaled by `per_month` (month ÷ days of data).
fn flows(df: &DataFrame, per_month: f64) -> Result<Vec<Flow>, RuleError> {
    let keys = [
        "eks_cluster",
        "region",
        "src_kind",
        "src_name",
        "dst_kind",
        "dst_name",
        "src_az_id",
        "dst_az_id",
        "via",
        "via_id",
        "via_az_id",
        "aws_service",
        "service_region",
    ];
    let agg = df
        .clone()
        .lazy()
        .group_by(keys.iter().map(|k| col(*k)).collect::<Vec<_>>())
        .agg([col("bytes").sum().cast(DataType::Float64), col("records").sum().cast(DataType::Float64)])
        .sort(keys, Default::default())
        .collect()?;
    let cols: Vec<Vec<Option<String>>> = keys.iter().map(|k| strs(&agg, k)).collect::<Result<_, _>>()?;
    let (bytes, records) = (nums(&agg, "bytes")?, nums(&agg, "records")?);
    let text = |c: usize, i: usize| cols[c][i].clone().unwrap_or_default();
    Ok((0..agg.height())
        .map(|i| Flow {
            cluster: cols[0][i].clone(),
            region: cols[1][i].clone(),
            src_kind: text(2, i),
            src_name: text(3, i),
            dst_kind: text(4, i),
            dst_name: text(5, i),
            src_az: text(6, i),
            dst_az: text(7, i),
            via: text(8, i),
            via_id: cols[9][i].clone(),
            via_az: cols[10][i].clone().filter(|a| !a.is_empty()),
            aws_service: cols[11][i].clone(),
            service_region: cols[12][i].clone(),
            monthly_bytes: bytes[i].unwrap_or(0.0) * per_month,
            records: records[i].unwrap_or(0.0) as u64,
        })
        .collect())
}

/// Monthly averages of the billed transfer usage types, per region.
fn billed(df: &DataFrame) -> Result<BTreeMap<String, Billed>, RuleError> {
    let (region, usage, month) =
        (strs(df, "region")?, strs(df, "usage_type")?, df.column("month")?.cast(&DataType::Int32)?);
    let month: Vec<Option<i32>> = month.i32()?.iter().collect();
    let (cost, qty) = (nums(df, "cost_usd")?, nums(df, "usage_quantity")?);
    let mut out: BTreeMap<String, Billed> = BTreeMap::new();
    let mut months: BTreeMap<String, BTreeSet<i32>> = BTreeMap::new();
    for i in 0..df.height() {
        let (Some(r), Some(u)) = (&region[i], &usage[i]) else { continue };
        let regional = ["DataTransfer-Regional-Bytes", "DataTransfer-xAZ-In-Bytes", "DataTransfer-xAZ-Out-Bytes"]
            .iter()
            .any(|s| usage_type_is(u, s));
        let nat = usage_type_is(u, "NatGateway-Bytes");
        if !(regional || nat) {
            continue;
        }
        months.entry(r.clone()).or_default().extend(month[i]);
        let b = out.entry(r.clone()).or_default();
        let (c, q) = (cost[i].unwrap_or(0.0), qty[i].unwrap_or(0.0));
        if regional {
            b.regional_gb += q;
            b.regional_usd += c;
        } else {
            b.nat_gb += q;
            b.nat_usd += c;
        }
    }
    for (r, b) in &mut out {
        let n = months.get(r).map(BTreeSet::len).unwrap_or(1).max(1);
        b.months = n;
        let n = n as f64;
        (b.regional_gb, b.regional_usd, b.nat_gb, b.nat_usd) =
            (b.regional_gb / n, b.regional_usd / n, b.nat_gb / n, b.nat_usd / n);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_and_usage_types() {
        assert_eq!(parse_version("1.33"), Some((1, 33)));
        assert_eq!(parse_version("v1.29"), Some((1, 29)));
        assert_eq!(parse_version("x"), None);
        assert!(usage_type_is("USE1-DataTransfer-Regional-Bytes", "DataTransfer-Regional-Bytes"));
        assert!(usage_type_is("DataTransfer-Regional-Bytes", "DataTransfer-Regional-Bytes"));
        assert!(usage_type_is("EU-NatGateway-Bytes", "NatGateway-Bytes"));
        assert!(!usage_type_is("USE1-NatGateway-Hours", "NatGateway-Bytes"));
    }

    #[test]
    fn the_first_hop_of_a_nat_flow_is_the_gateway() {
        let f = Flow {
            cluster: None,
            region: None,
            src_kind: "node".into(),
            src_name: "i-1".into(),
            dst_kind: "external".into(),
            dst_name: "aws:S3".into(),
            src_az: "use1-az1".into(),
            dst_az: String::new(),
            via: "nat-gateway".into(),
            via_id: Some("nat-1".into()),
            via_az: Some("use1-az2".into()),
            aws_service: Some("S3".into()),
            service_region: None,
            monthly_bytes: 10.0,
            records: 1,
        };
        assert_eq!(f.crossing_bytes(), 10.0);
        let local = Flow { via_az: Some("use1-az1".into()), ..f.clone() };
        assert_eq!(local.crossing_bytes(), 0.0);
        let unknown = Flow { via_az: None, ..f };
        assert_eq!(unknown.crossing_bytes(), 0.0, "an unknown hop claims nothing");
    }
}
