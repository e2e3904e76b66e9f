//! What AWS says about a VPC, whatever it came from: `describe-*` JSON in an import
//! directory, the live EC2/EKS collectors, or the frames of a snapshot collected
//! earlier. One set of rows, turned into frames here and into the who-is-who map by
//! `topology.rs`.

use polars::prelude::*;

use crate::snapshot::builder::{Cell, FrameBuilder};
use crate::snapshot::{FrameName, Snapshot, SnapshotError};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ZoneRow {
    pub account_id: Option<String>,
    pub region: String,
    pub zone_name: String,
    pub zone_id: String,
    pub zone_type: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct SubnetRow {
    pub account_id: Option<String>,
    pub region: String,
    pub vpc_id: String,
    pub subnet_id: String,
    pub az: String,
    pub az_id: String,
    pub cidr: String,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct EniRow {
    pub account_id: Option<String>,
    pub region: String,
    pub eni_id: String,
    pub interface_type: String,
    pub description: String,
    pub subnet_id: Option<String>,
    pub az_id: Option<String>,
    /// Zone name, when only that is known (resolved to `az_id` through the zones).
    pub az: Option<String>,
    pub vpc_id: Option<String>,
    /// Primary first.
    pub private_ips: Vec<String>,
    pub instance_id: Option<String>,
    pub requester_managed: bool,
    pub eks_cluster: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct NatRow {
    pub account_id: Option<String>,
    pub region: String,
    pub nat_gateway_id: String,
    pub vpc_id: Option<String>,
    pub subnet_id: Option<String>,
    pub az_id: Option<String>,
    pub state: String,
    pub connectivity_type: Option<String>,
    pub private_ips: Vec<String>,
    pub eni_ids: Vec<String>,
    pub created_ms: Option<i64>,
    pub tags: String,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct EndpointRow {
    pub account_id: Option<String>,
    pub region: String,
    pub vpc_endpoint_id: String,
    pub vpc_id: Option<String>,
    pub service_name: String,
    pub endpoint_type: String,
    pub state: String,
    pub subnet_ids: Vec<String>,
    pub route_table_ids: Vec<String>,
    pub eni_ids: Vec<String>,
    pub created_ms: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct PrefixListRow {
    pub region: String,
    pub prefix_list_id: String,
    pub name: String,
    pub cidrs: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ClusterRow {
    pub eks_cluster: String,
    pub account_id: Option<String>,
    pub region: Option<String>,
    pub kubernetes_version: Option<String>,
    pub version_source: Option<String>,
    pub vpc_id: Option<String>,
    pub node_cpu_by_az: Option<String>,
    pub nodegroups: Option<i64>,
    pub platform_version: Option<String>,
}

/// Everything known about the network's parts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Inventory {
    pub zones: Vec<ZoneRow>,
    pub subnets: Vec<SubnetRow>,
    pub enis: Vec<EniRow>,
    pub nats: Vec<NatRow>,
    pub endpoints: Vec<EndpointRow>,
    pub prefix_lists: Vec<PrefixListRow>,
    pub clusters: Vec<ClusterRow>,
}

fn list(v: &[String]) -> String {
    v.join(",")
}

fn split(s: Option<&str>) -> Vec<String> {
    s.unwrap_or_default().split(',').map(str::trim).filter(|x| !x.is_empty()).map(str::to_string).collect()
}

impl Inventory {
    pub fn is_empty(&self) -> bool {
        *self == Inventory::default()
    }

    /// Add another inventory's rows; a resource already known (same id) keeps its first row.
    pub fn merge(&mut self, other: Inventory) {
        fn add<T, K: PartialEq>(into: &mut Vec<T>, from: Vec<T>, key: impl Fn(&T) -> K) {
            for row in from {
                if !into.iter().any(|r| key(r) == key(&row)) {
                    into.push(row);
                }
            }
        }
        add(&mut self.zones, other.zones, |r| (r.account_id.clone(), r.zone_name.clone()));
        add(&mut self.subnets, other.subnets, |r| r.subnet_id.clone());
        add(&mut self.enis, other.enis, |r| r.eni_id.clone());
        add(&mut self.nats, other.nats, |r| r.nat_gateway_id.clone());
        add(&mut self.endpoints, other.endpoints, |r| r.vpc_endpoint_id.clone());
        add(&mut self.prefix_lists, other.prefix_lists, |r| (r.region.clone(), r.prefix_list_id.clone()));
        for c in other.clusters {
            match self.clusters.iter_mut().find(|r| r.eks_cluster == c.eks_cluster) {
                Some(known) => {
                    // EKS's own version beats a kubelet lower bound.
                    if known.kubernetes_version.is_none() || c.version_source.as_deref() == Some("eks") {
                        known.kubernetes_version = c.kubernetes_version.or(known.kubernetes_version.take());
                        known.version_source = c.version_source.or(known.version_source.take());
                    }
                    known.account_id = known.account_id.take().or(c.account_id);
                    known.region = known.region.take().or(c.region);
                    known.vpc_id = known.vpc_id.take().or(c.vpc_id);
                    known.node_cpu_by_az = known.node_cpu_by_az.take().or(c.node_cpu_by_az);
                    known.nodegroups = known.nodegroups.or(c.nodegroups);
                    known.platform_version = known.platform_version.take().or(c.platform_version);
                }
                None => self.clusters.push(c),
            }
        }
    }

    /// The zone id of a zone name (per account when several accounts are known).
    pub fn zone_id(&self, zone_name: &str) -> Option<&str> {
        self.zones
            .iter()
            .find(|z| z.zone_name == zone_name)
            .map(|z| z.zone_id.as_str())
            .or_else(|| self.subnets.iter().find(|s| s.az == zone_name).map(|s| s.az_id.as_str()))
    }

    /// The frames these rows fill (only those with rows).
    pub fn frames(&self) -> Result<Vec<(FrameName, DataFrame)>, SnapshotError> {
        let mut out = Vec::new();
        if !self.zones.is_empty() {
            let mut b = FrameBuilder::new(FrameName::AvailabilityZones);
            for z in &self.zones {
                b.row([
                    ("account_id", z.account_id.clone().into()),
                    ("region", z.region.clone().into()),
                    ("zone_name", z.zone_name.clone().into()),
                    ("zone_id", z.zone_id.clone().into()),
                    ("zone_type", z.zone_type.clone().into()),
                ])?;
            }
            out.push((FrameName::AvailabilityZones, b.finish()?));
        }
        if !self.subnets.is_empty() {
            let mut b = FrameBuilder::new(FrameName::VpcSubnets);
            for s in &self.subnets {
                b.row([
                    ("account_id", s.account_id.clone().into()),
                    ("region", s.region.clone().into()),
                    ("vpc_id", s.vpc_id.clone().into()),
                    ("subnet_id", s.subnet_id.clone().into()),
                    ("az", s.az.clone().into()),
                    ("az_id", s.az_id.clone().into()),
                    ("cidr", s.cidr.clone().into()),
                ])?;
            }
            out.push((FrameName::VpcSubnets, b.finish()?));
        }
        if !self.enis.is_empty() {
            let mut b = FrameBuilder::new(FrameName::NetworkInterfaces);
            for e in &self.enis {
                let az_id =
                    e.az_id.clone().or_else(|| e.az.as_deref().and_then(|z| self.zone_id(z)).map(str::to_string));
                b.row([
                    ("account_id", e.account_id.clone().into()),
                    ("region", e.region.clone().into()),
                    ("eni_id", e.eni_id.clone().into()),
                    ("interface_type", e.interface_type.clone().into()),
                    ("description", e.description.clone().into()),
                    ("subnet_id", e.subnet_id.clone().into()),
                    ("az_id", az_id.into()),
                    ("vpc_id", e.vpc_id.clone().into()),
                    ("private_ips", list(&e.private_ips).into()),
                    ("instance_id", e.instance_id.clone().into()),
                    ("requester_managed", e.requester_managed.into()),
                    ("eks_cluster", e.eks_cluster.clone().into()),
                ])?;
            }
            out.push((FrameName::NetworkInterfaces, b.finish()?));
        }
        if !self.nats.is_empty() {
            let mut b = FrameBuilder::new(FrameName::NatGateways);
            for n in &self.nats {
                b.row([
                    ("account_id", n.account_id.clone().into()),
                    ("region", n.region.clone().into()),
                    ("nat_gateway_id", n.nat_gateway_id.clone().into()),
                    ("vpc_id", n.vpc_id.clone().into()),
                    ("subnet_id", n.subnet_id.clone().into()),
                    ("az_id", n.az_id.clone().into()),
                    ("state", n.state.clone().into()),
                    ("connectivity_type", n.connectivity_type.clone().into()),
                    ("private_ips", list(&n.private_ips).into()),
                    ("eni_ids", list(&n.eni_ids).into()),
                    ("created_at", Cell::Ts(n.created_ms)),
                    ("tags", n.tags.clone().into()),
                ])?;
            }
            out.push((FrameName::NatGateways, b.finish()?));
        }
        if !self.endpoints.is_empty() {
            let mut b = FrameBuilder::new(FrameName::VpcEndpoints);
            for e in &self.endpoints {
                b.row([
                    ("account_id", e.account_id.clone().into()),
                    ("region", e.region.clone().into()),
                    ("vpc_endpoint_id", e.vpc_endpoint_id.clone().into()),
                    ("vpc_id", e.vpc_id.clone().into()),
                    ("service_name", e.service_name.clone().into()),
                    ("endpoint_type", e.endpoint_type.clone().into()),
                    ("state", e.state.clone().into()),
                    ("subnet_ids", list(&e.subnet_ids).into()),
                    ("route_table_ids", list(&e.route_table_ids).into()),
                    ("eni_ids", list(&e.eni_ids).into()),
                    ("created_at", Cell::Ts(e.created_ms)),
                ])?;
            }
            out.push((FrameName::VpcEndpoints, b.finish()?));
        }
        if !self.prefix_lists.is_empty() {
            let mut b = FrameBuilder::new(FrameName::PrefixLists);
            for p in &self.prefix_lists {
                b.row([
                    ("region", p.region.clone().into()),
                    ("prefix_list_id", p.prefix_list_id.clone().into()),
                    ("name", p.name.clone().into()),
                    ("cidrs", list(&p.cidrs).into()),
                ])?;
            }
            out.push((FrameName::PrefixLists, b.finish()?));
        }
        if !self.clusters.is_empty() {
            let mut b = FrameBuilder::new(FrameName::EksClusters);
            for c in &self.clusters {
                b.row([
                    ("eks_cluster", c.eks_cluster.clone().into()),
                    ("account_id", c.account_id.clone().into()),
                    ("region", c.region.clone().into()),
                    ("kubernetes_version", c.kubernetes_version.clone().into()),
                    ("version_source", c.version_source.clone().into()),
                    ("vpc_id", c.vpc_id.clone().into()),
                    ("node_cpu_by_az", c.node_cpu_by_az.clone().into()),
                    ("nodegroups", c.nodegroups.into()),
                    ("platform_version", c.platform_version.clone().into()),
                ])?;
            }
            out.push((FrameName::EksClusters, b.finish()?));
        }
        Ok(out)
    }

    /// The rows of a snapshot's network frames (collected earlier, or live).
    pub fn from_snapshot(snapshot: &Snapshot) -> Inventory {
        let mut inv = Inventory::default();
        let get = |f: FrameName| snapshot.frame(f);
        if let Some(df) = get(FrameName::AvailabilityZones) {
            let r = Rows(df);
            for i in 0..df.height() {
                inv.zones.push(ZoneRow {
                    account_id: r.opt("account_id", i),
                    region: r.str("region", i),
                    zone_name: r.str("zone_name", i),
                    zone_id: r.str("zone_id", i),
                    zone_type: r.opt("zone_type", i),
                });
            }
        }
        if let Some(df) = get(FrameName::VpcSubnets) {
            let r = Rows(df);
            for i in 0..df.height() {
                inv.subnets.push(SubnetRow {
                    account_id: r.opt("account_id", i),
                    region: r.str("region", i),
                    vpc_id: r.str("vpc_id", i),
                    subnet_id: r.str("subnet_id", i),
                    az: r.str("az", i),
                    az_id: r.str("az_id", i),
                    cidr: r.str("cidr", i),
                });
            }
        }
        if let Some(df) = get(FrameName::NetworkInterfaces) {
            let r = Rows(df);
            for i in 0..df.height() {
                inv.enis.push(EniRow {
                    account_id: r.opt("account_id", i),
                    region: r.str("region", i),
                    eni_id: r.str("eni_id", i),
                    interface_type: r.str("interface_type", i),
                    description: r.str("description", i),
                    subnet_id: r.opt("subnet_id", i),
                    az_id: r.opt("az_id", i),
                    az: None,
                    vpc_id: r.opt("vpc_id", i),
                    private_ips: split(r.opt("private_ips", i).as_deref()),
                    instance_id: r.opt("instance_id", i),
                    requester_managed: r.flag("requester_managed", i),
                    eks_cluster: r.opt("eks_cluster", i),
                });
            }
        }
        if let Some(df) = get(FrameName::NatGateways) {
            let r = Rows(df);
            for i in 0..df.height() {
                inv.nats.push(NatRow {
                    account_id: r.opt("account_id", i),
                    region: r.str("region", i),
                    nat_gateway_id: r.str("nat_gateway_id", i),
                    vpc_id: r.opt("vpc_id", i),
                    subnet_id: r.opt("subnet_id", i),
                    az_id: r.opt("az_id", i),
                    state: r.str("state", i),
                    connectivity_type: r.opt("connectivity_type", i),
                    private_ips: split(r.opt("private_ips", i).as_deref()),
                    eni_ids: split(r.opt("eni_ids", i).as_deref()),
                    created_ms: r.ts("created_at", i),
                    tags: r.str("tags", i),
                });
            }
        }
        if let Some(df) = get(FrameName::VpcEndpoints) {
            let r = Rows(df);
            for i in 0..df.height() {
                inv.endpoints.push(EndpointRow {
                    account_id: r.opt("account_id", i),
                    region: r.str("region", i),
                    vpc_endpoint_id: r.str("vpc_endpoint_id", i),
                    vpc_id: r.opt("vpc_id", i),
                    service_name: r.str("service_name", i),
                    endpoint_type: r.str("endpoint_type", i),
                    state: r.str("state", i),
                    subnet_ids: split(r.opt("subnet_ids", i).as_deref()),
                    route_table_ids: split(r.opt("route_table_ids", i).as_deref()),
                    eni_ids: split(r.opt("eni_ids", i).as_deref()),
                    created_ms: r.ts("created_at", i),
                });
            }
        }
        if let Some(df) = get(FrameName::PrefixLists) {
            let r = Rows(df);
            for i in 0..df.height() {
                inv.prefix_lists.push(PrefixListRow {
                    region: r.str("region", i),
                    prefix_list_id: r.str("prefix_list_id", i),
                    name: r.str("name", i),
                    cidrs: split(r.opt("cidrs", i).as_deref()),
                });
            }
        }
        if let Some(df) = get(FrameName::EksClusters) {
            let r = Rows(df);
            for i in 0..df.height() {
                inv.clusters.push(ClusterRow {
                    eks_cluster: r.str("eks_cluster", i),
                    account_id: r.opt("account_id", i),
                    region: r.opt("region", i),
                    kubernetes_version: r.opt("kubernetes_version", i),
                    version_source: r.opt("version_source", i),
                    vpc_id: r.opt("vpc_id", i),
                    node_cpu_by_az: r.opt("node_cpu_by_az", i),
                    nodegroups: r.i64("nodegroups", i),
                    platform_version: r.opt("platform_version", i),
                });
            }
        }
        inv
    }
}

/// Cell access on a (small, schema-checked) frame.
struct Rows<'a>(&'a DataFrame);

impl Rows<'_> {
    fn opt(&self, name: &str, i: usize) -> Option<String> {
        self.0.column(name).ok()?.str().ok()?.get(i).map(str::to_string)
    }
    fn str(&self, name: &str, i: usize) -> String {
        self.opt(name, i).unwrap_or_default()
    }
    fn flag(&self, name: &str, i: usize) -> bool {
        self.0.column(name).ok().and_then(|c| c.bool().ok()?.get(i)).unwrap_or(false)
    }
    fn i64(&self, name: &str, i: usize) -> Option<i64> {
        self.0.column(name).ok()?.i64().ok()?.get(i)
    }
    fn ts(&self, name: &str, i: usize) -> Option<i64> {
        let c = self.0.column(name).ok()?.cast(&DataType::Int64).ok()?;
        c.i64().ok()?.get(i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_round_trip_through_a_snapshot() {
        let inv = Inventory {
            zones: vec![ZoneRow {
                region: "us-east-1".into(),
                zone_name: "us-east-1a".into(),
                zone_id: "use1-az6".into(),
                ..ZoneRow::default()
            }],
            nats: vec![NatRow {
                region: "us-east-1".into(),
                nat_gateway_id: "nat-1".into(),
                state: "available".into(),
                private_ips: vec!["10.0.0.5".into(), "10.0.0.6".into()],
                eni_ids: vec!["eni-n".into()],
                created_ms: Some(1_000),
                tags: "{}".into(),
                ..NatRow::default()
            }],
            ..Inventory::default()
        };
        let now = chrono::Utc::now();
        let mut snap = crate::snapshot::Snapshot::new(crate::snapshot::Manifest {
            schema_version: crate::snapshot::SCHEMA_VERSION,
            created_at: now,
            source: crate::snapshot::SourceKind::Import,
            source_detail: "test".into(),
            accounts: vec![],
            regions: vec![],
            window: crate::snapshot::Window { start: now, end: now },
            collectors: Default::default(),
        });
        for (f, df) in inv.frames().unwrap() {
            snap.insert(f, df);
        }
        assert_eq!(Inventory::from_snapshot(&snap), inv);
        assert_eq!(inv.zone_id("us-east-1a"), Some("use1-az6"));
    }
}
