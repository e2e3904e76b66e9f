//! Who is who: every address the flow logs may name, mapped to a party — a pod's
//! workload, the Service it serves on which ports, a node, a NAT gateway, a VPC
//! endpoint, the EKS control plane — with its AZ id. Built once from the kubectl
//! Lists and the AWS inventory; read by every scan thread.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

use super::inventory::Inventory;
use super::ip::{CidrTable, IntMap, is_private, parse_ipv4};
use super::kubernetes::KubeObjects;

/// Interface ids → values, looked up by the record's bytes (two per record).
type ByteMap<V> = HashMap<Box<[u8]>, V, std::hash::BuildHasherDefault<super::ip::IntHasher>>;

/// Index into `Topology::azs` (0 is "unknown").
pub type AzIdx = u16;

/// What a flow's end is; the `network_flows` kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Pod,
    Service,
    Node,
    Nat,
    Endpoint,
    External,
    ControlPlane,
    Unknown,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Pod => "pod",
            Kind::Service => "service",
            Kind::Node => "node",
            Kind::Nat => "nat",
            Kind::Endpoint => "endpoint",
            Kind::External => "external",
            Kind::ControlPlane => "control-plane",
            Kind::Unknown => "unknown",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Party {
    pub kind: Kind,
    pub name: String,
    pub cluster: Option<String>,
    /// NAT gateway or endpoint id, for `via_id`.
    pub resource_id: Option<String>,
    /// AWS service an endpoint leads to (`sqs`), for `aws_service`.
    pub aws_service: Option<String>,
}

/// One known address.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Address {
    /// The party it is as a destination that is not one of its Service ports.
    pub party: u32,
    /// The party it is as a client (its Service when it serves exactly one).
    pub client: u32,
    pub az: AzIdx,
    /// Range of (port, Service party) in `Topology::serves`.
    serves: (u32, u32),
}

/// A NAT gateway.
#[derive(Debug, Clone, PartialEq)]
pub struct NatInfo {
    pub party: u32,
    pub id: String,
    pub az: AzIdx,
    pub vpc: Option<String>,
}

/// Strings interned across scan threads (AZ ids, AWS service names, regions).
#[derive(Debug, Default)]
pub struct Interner {
    inner: Mutex<(Vec<String>, HashMap<String, u16>)>,
}

impl Interner {
    pub fn with(first: &str) -> Interner {
        let i = Interner::default();
        i.id(first);
        i
    }
    pub fn id(&self, s: &str) -> u16 {
        let mut g = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(id) = g.1.get(s) {
            return *id;
        }
        let id = u16::try_from(g.0.len()).unwrap_or(u16::MAX);
        g.0.push(s.to_string());
        g.1.insert(s.to_string(), id);
        id
    }
    pub fn name(&self, id: u16) -> String {
        let g = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        g.0.get(usize::from(id)).cloned().unwrap_or_default()
    }
}

#[derive(Debug, Default)]
pub struct Topology {
    pub parties: Vec<Party>,
    party_index: HashMap<(Kind, String, Option<String>), u32>,
    addresses: IntMap<u32, Address>,
    serves: Vec<(u16, u32)>,
    /// AZ ids; 0 is "".
    pub azs: Interner,
    /// AWS service names and regions (0 is "").
    pub strings: Interner,
    subnets: CidrTable<AzIdx>,
    subnet_az: HashMap<String, AzIdx>,
    prefixes: CidrTable<(u16, u16)>,
    nat_enis: ByteMap<u32>,
    nat_by_ip: IntMap<u32, u32>,
    pub nats: Vec<NatInfo>,
    /// Interface id → (its own addresses, its AZ), for formats without `flow-direction`.
    enis: ByteMap<(Vec<u32>, AzIdx)>,
    /// (VPC, S3 | DYNAMODB) → gateway endpoint id.
    pub gateway_endpoints: BTreeMap<(String, String), String>,
    /// Region of the parts (when they all sit in one).
    pub region: Option<String>,
    /// What could not be resolved (zone names without ids, …), for the import notes.
    pub notes: Vec<String>,
}

impl Topology {
    pub fn build(inv: &Inventory, clusters: &[(String, KubeObjects)]) -> Topology {
        let mut t = Topology { azs: Interner::with(""), strings: Interner::with(""), ..Topology::default() };
        let zone_ids: BTreeMap<&str, &str> = inv
            .zones
            .iter()
            .map(|z| (z.zone_name.as_str(), z.zone_id.as_str()))
            .chain(inv.subnets.iter().map(|s| (s.az.as_str(), s.az_id.as_str())))
            .collect();
        for s in &inv.subnets {
            let az = t.azs.id(&s.az_id);
            t.subnets.insert(&s.cidr, az);
            t.subnet_az.insert(s.subnet_id.clone(), az);
        }
        let mut regions: Vec<&str> = inv.subnets.iter().map(|s| s.region.as_str()).collect();
        regions.extend(inv.nats.iter().map(|n| n.region.as_str()));
        regions.retain(|r| !r.is_empty());
        regions.sort();
        regions.dedup();
        if regions.len() == 1 {
            t.region = Some(regions[0].to_string());
        }
        for p in &inv.prefix_lists {
            let service = match p.name.rsplit('.').next() {
                Some("s3") => "S3",
                Some("dynamodb") => "DYNAMODB",
                _ => continue,
            };
            let value = (t.strings.id(service), t.strings.id(&p.region));
            for cidr in &p.cidrs {
                t.prefixes.insert(cidr, value);
            }
        }
        for e in inv.endpoints.iter().filter(|e| e.endpoint_type == "Gateway") {
            let service = e.service_name.rsplit('.').next().unwrap_or_default().to_ascii_uppercase();
            t.gateway_endpoints.insert((e.vpc_id.clone().unwrap_or_default(), service), e.vpc_endpoint_id.clone());
        }
        for n in &inv.nats {
            let az = n.az_id.as_deref().map(|a| t.azs.id(a)).unwrap_or(0);
            let party = t.party(Kind::Nat, &n.nat_gateway_id, None);
            t.parties[party as usize].resource_id = Some(n.nat_gateway_id.clone());
            let idx = t.nats.len() as u32;
            t.nats.push(NatInfo { party, id: n.nat_gateway_id.clone(), az, vpc: n.vpc_id.clone() });
            for eni in &n.eni_ids {
                t.nat_enis.insert(eni.as_bytes().into(), idx);
            }
            for ip in n.private_ips.iter().filter_map(|ip| parse_ipv4(ip.as_bytes())) {
                t.nat_by_ip.insert(ip, idx);
                t.add(ip, party, party, az);
            }
        }
        for (name, objects) in clusters {
            t.add_cluster(name, objects, &zone_ids, inv);
        }
        t.add_interfaces(inv);
        t
    }

    fn party(&mut self, kind: Kind, name: &str, cluster: Option<&str>) -> u32 {
        let key = (kind, name.to_string(), cluster.map(str::to_string));
        if let Some(i) = self.party_index.get(&key) {
            return *i;
        }
        self.party_index.insert(key, self.parties.len() as u32);
        self.parties.push(Party {
            kind,
            name: name.to_string(),
            cluster: cluster.map(str::to_string),
            resource_id: None,
            aws_service: None,
        });
        (self.parties.len() - 1) as u32
    }

    /// Map an address (the first mapping wins: kubectl before AWS interfaces).
    fn add(&mut self, ip: u32, party: u32, client: u32, az: AzIdx) {
        self.addresses.entry(ip).or_insert(Address { party, client, az, serves: (0, 0) });
    }

    fn add_cluster(&mut self, cluster: &str, k: &KubeObjects, zone_ids: &BTreeMap<&str, &str>, inv: &Inventory) {
        let mut unmapped: Vec<String> = Vec::new();
        let mut zone_of = |t: &mut Topology, id: Option<&str>, name: Option<&str>| -> AzIdx {
            if let Some(id) = id {
                return t.azs.id(id);
            }
            match name {
                Some(n) => match zone_ids.get(n).copied().or_else(|| inv.zone_id(n)) {
                    Some(id) => t.azs.id(id),
                    None => {
                        if !unmapped.iter().any(|u| u == n) {
                            unmapped.push(n.to_string());
                        }
                        0
                    }
                },
                None => 0,
            }
        };
        let c = Some(cluster);
        let mut node_zone: HashMap<&str, AzIdx> = HashMap::new();
        for n in &k.nodes {
            let az = zone_of(self, n.zone_id.as_deref(), n.zone_name.as_deref());
            node_zone.insert(n.name.as_str(), az);
            let party = self.party(Kind::Node, &n.name, c);
            for ip in n.internal_ips.iter().filter_map(|ip| parse_ipv4(ip.as_bytes())) {
                self.add(ip, party, party, az);
            }
        }
        // Pods: their workload; Services: what they serve (below).
        let mut pod_ips: HashMap<(&str, &str), Vec<u32>> = HashMap::new();
        for p in &k.pods {
            let party = self.party(Kind::Pod, &format!("{}/{}", p.namespace, p.workload), c);
            let az = p.node.as_deref().and_then(|n| node_zone.get(n).copied()).unwrap_or(0);
            let ips: Vec<u32> = p.ips.iter().filter_map(|ip| parse_ipv4(ip.as_bytes())).collect();
            for ip in &ips {
                self.add(*ip, party, party, az);
            }
            pod_ips.insert((p.namespace.as_str(), p.name.as_str()), ips);
        }
        let headless: HashMap<(&str, &str), bool> =
            k.services.iter().map(|s| ((s.namespace.as_str(), s.name.as_str()), s.headless)).collect();
        let mut serving: BTreeMap<u32, Vec<(u16, u32)>> = BTreeMap::new();
        for slice in k.slices.iter().filter(|s| s.ipv4) {
            let api_server = slice.namespace == "default" && slice.service == "kubernetes";
            let is_headless =
                headless.get(&(slice.namespace.as_str(), slice.service.as_str())).copied().unwrap_or(false);
            let name = format!("{}/{}", slice.namespace, slice.service);
            let service = if api_server {
                self.party(Kind::ControlPlane, "kube-apiserver", c)
            } else {
                self.party(Kind::Service, &name, c)
            };
            for e in &slice.endpoints {
                let ips: Vec<u32> = match &e.pod {
                    Some((ns, pod)) => pod_ips.get(&(ns.as_str(), pod.as_str())).cloned().unwrap_or_default(),
                    None => Vec::new(),
                };
                let ips = if ips.is_empty() {
                    e.addresses.iter().filter_map(|a| parse_ipv4(a.as_bytes())).collect()
                } else {
                    ips
                };
                for ip in ips {
                    if self.addresses.contains_key(&ip) {
                        // A pod (or node): it serves the Service on the slice's ports.
                        if !is_headless && !api_server {
                            let entry = serving.entry(ip).or_default();
                            for port in &slice.ports {
                                if !entry.contains(&(*port, service)) {
                                    entry.push((*port, service));
                                }
                            }
                        }
                    } else {
                        // Selector-less endpoints (the API server, external backends).
                        let az = zone_of(self, None, e.zone.as_deref());
                        let az = if az == 0 { self.subnets.lookup(ip).copied().unwrap_or(0) } else { az };
                        self.add(ip, service, service, az);
                    }
                }
            }
        }
        for (ip, list) in serving {
            let start = self.serves.len() as u32;
            self.serves.extend(&list);
            let mut services: Vec<u32> = list.iter().map(|(_, s)| *s).collect();
            services.sort();
            services.dedup();
            if let Some(a) = self.addresses.get_mut(&ip) {
                a.serves = (start, self.serves.len() as u32);
                if services.len() == 1 && self.parties[a.party as usize].kind == Kind::Pod {
                    a.client = services[0];
                }
            }
        }
        for n in unmapped {
            self.notes.push(format!(
                "cluster {cluster}: zone name {n} has no zone id (add `aws ec2 describe-availability-zones` output): its \
                 traffic has no AZ"
            ));
        }
    }

    fn add_interfaces(&mut self, inv: &Inventory) {
        let endpoint_of: HashMap<&str, &super::inventory::EndpointRow> =
            inv.endpoints.iter().flat_map(|e| e.eni_ids.iter().map(move |id| (id.as_str(), e))).collect();
        for e in &inv.enis {
            let az = e.az_id.as_deref().map(|a| self.azs.id(a)).unwrap_or(0);
            let ips: Vec<u32> = e.private_ips.iter().filter_map(|ip| parse_ipv4(ip.as_bytes())).collect();
            self.enis.insert(e.eni_id.as_bytes().into(), (ips.clone(), az));
            let nat_id = e.description.strip_prefix("Interface for NAT Gateway ").map(str::to_string);
            if e.interface_type == "nat_gateway" || nat_id.is_some() {
                let found = self.nats.iter().position(|n| Some(&n.id) == nat_id.as_ref());
                let idx = match found {
                    Some(i) => i as u32,
                    None => {
                        let id = nat_id.unwrap_or_else(|| e.eni_id.clone());
                        let party = self.party(Kind::Nat, &id, None);
                        self.parties[party as usize].resource_id = Some(id.clone());
                        self.nats.push(NatInfo { party, id, az, vpc: e.vpc_id.clone() });
                        (self.nats.len() - 1) as u32
                    }
                };
                self.nat_enis.insert(e.eni_id.as_bytes().into(), idx);
                let party = self.nats[idx as usize].party;
                for ip in &ips {
                    self.nat_by_ip.insert(*ip, idx);
                    self.add(*ip, party, party, az);
                }
                continue;
            }
            let party = if let Some(ep) = endpoint_of.get(e.eni_id.as_str()).copied().or_else(|| {
                (e.interface_type == "vpc_endpoint")
                    .then(|| inv.endpoints.iter().find(|x| x.eni_ids.contains(&e.eni_id)))
                    .flatten()
            }) {
                let p = self.party(Kind::Endpoint, &ep.service_name, None);
                let service = ep.service_name.rsplit('.').next().unwrap_or_default().to_string();
                self.parties[p as usize].resource_id = Some(ep.vpc_endpoint_id.clone());
                self.parties[p as usize].aws_service = Some(service);
                p
            } else if let Some(cluster) = e.description.strip_prefix("Amazon EKS ") {
                self.party(Kind::ControlPlane, "kube-apiserver", Some(cluster))
            } else if let Some(instance) = &e.instance_id {
                // Only the primary address is the instance: VPC CNI secondary ones are pods'.
                let p = self.party(Kind::Node, instance, e.eks_cluster.as_deref());
                if let Some(ip) = ips.first() {
                    self.add(*ip, p, p, az);
                }
                continue;
            } else {
                continue;
            };
            for ip in ips {
                self.add(ip, party, party, az);
            }
        }
    }

    #[inline]
    pub fn address(&self, ip: u32) -> Option<&Address> {
        self.addresses.get(&ip)
    }

    /// The Service party an address serves on `port`, if any.
    #[inline]
    pub fn serves(&self, a: &Address, port: u16) -> Option<u32> {
        self.serves[a.serves.0 as usize..a.serves.1 as usize].iter().find(|(p, _)| *p == port).map(|(_, s)| *s)
    }

    /// True for addresses inside the VPC (a known subnet, or private space when no subnet is known).
    #[inline]
    pub fn is_internal(&self, ip: u32) -> bool {
        self.addresses.contains_key(&ip) || self.subnets.lookup(ip).is_some() || is_private(ip)
    }

    #[inline]
    pub fn subnet_az(&self, ip: u32) -> AzIdx {
        self.subnets.lookup(ip).copied().unwrap_or(0)
    }

    pub fn subnet_id_az(&self, subnet: &str) -> AzIdx {
        self.subnet_az.get(subnet).copied().unwrap_or(0)
    }

    /// (service, region) of an AWS prefix-list address.
    #[inline]
    pub fn prefix_service(&self, ip: u32) -> Option<(u16, u16)> {
        self.prefixes.lookup(ip).copied()
    }

    pub fn nat_of_eni(&self, eni: &[u8]) -> Option<u32> {
        if self.nat_enis.is_empty() {
            return None;
        }
        self.nat_enis.get(eni).copied()
    }

    #[inline]
    pub fn nat_of_ip(&self, ip: u32) -> Option<u32> {
        if self.nat_by_ip.is_empty() { None } else { self.nat_by_ip.get(&ip).copied() }
    }

    /// An interface's own addresses and AZ.
    pub fn eni(&self, eni: &[u8]) -> Option<&(Vec<u32>, AzIdx)> {
        if self.enis.is_empty() {
            return None;
        }
        self.enis.get(eni)
    }

    pub fn has_enis(&self) -> bool {
        !self.enis.is_empty()
    }

    /// The NAT gateway a client in `az` (of `vpc`) most likely uses when the logs do not
    /// say: the only one in its AZ, else the only one at all.
    pub fn likely_nat(&self, az: AzIdx) -> Option<u32> {
        let live: Vec<u32> = (0..self.nats.len() as u32).collect();
        let in_az: Vec<u32> = live.iter().copied().filter(|n| self.nats[*n as usize].az == az && az != 0).collect();
        match (in_az.as_slice(), live.as_slice()) {
            ([one], _) => Some(*one),
            (_, [one]) => Some(*one),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::kubernetes::{Endpoint, KubeObjects, Node, Pod, Service, Slice};
    use super::*;

    fn objects() -> KubeObjects {
        KubeObjects {
            nodes: vec![Node {
                name: "n1".into(),
                internal_ips: vec!["10.0.1.10".into()],
                zone_name: Some("us-east-1a".into()),
                zone_id: None,
                ready: true,
                cpu: 2.0,
                kubelet_minor: Some("1.33".into()),
                instance_id: None,
                cluster_label: None,
            }],
            pods: vec![Pod {
                namespace: "shop".into(),
                name: "cart-1".into(),
                workload: "cart".into(),
                node: Some("n1".into()),
                ips: vec!["10.0.1.25".into()],
            }],
            services: vec![Service {
                namespace: "shop".into(),
                name: "cart".into(),
                headless: false,
                has_selector: true,
                traffic_distribution: None,
                topology_mode: None,
                internal_traffic_policy: None,
                service_type: None,
            }],
            slices: vec![
                Slice {
                    namespace: "shop".into(),
                    service: "cart".into(),
                    ipv4: true,
                    ports: vec![8080],
                    endpoints: vec![Endpoint {
                        addresses: vec!["10.0.1.25".into()],
                        ready: true,
                        zone: Some("us-east-1a".into()),
                        node: Some("n1".into()),
                        pod: Some(("shop".into(), "cart-1".into())),
                        zone_hinted: false,
                    }],
                },
                Slice {
                    namespace: "default".into(),
                    service: "kubernetes".into(),
                    ipv4: true,
                    ports: vec![443],
                    endpoints: vec![Endpoint {
                        addresses: vec!["10.0.2.200".into()],
                        ready: true,
                        zone: None,
                        node: None,
                        pod: None,
                        zone_hinted: false,
                    }],
                },
            ],
        }
    }

    #[test]
    fn pods_serve_their_service_on_its_ports_only() {
        let mut inv = Inventory::default();
        inv.zones.push(super::super::inventory::ZoneRow {
            region: "us-east-1".into(),
            zone_name: "us-east-1a".into(),
            zone_id: "use1-az6".into(),
            ..Default::default()
        });
        let t = Topology::build(&inv, &[("prod".into(), objects())]);
        let pod = t.address(parse_ipv4(b"10.0.1.25").unwrap()).unwrap();
        let svc = t.serves(pod, 8080).expect("serves cart on 8080");
        assert_eq!((t.parties[svc as usize].kind, t.parties[svc as usize].name.as_str()), (Kind::Service, "shop/cart"));
        assert_eq!(t.serves(pod, 9090), None, "a metrics port is not the Service");
        assert_eq!(t.parties[pod.party as usize].name, "shop/cart");
        assert_eq!(t.parties[pod.party as usize].kind, Kind::Pod);
        assert_eq!(pod.client, svc, "as a client it is its one Service");
        assert_eq!(t.azs.name(pod.az), "use1-az6");
        let api = t.address(parse_ipv4(b"10.0.2.200").unwrap()).unwrap();
        assert_eq!(t.parties[api.party as usize].kind, Kind::ControlPlane);
        assert!(t.notes.is_empty(), "{:?}", t.notes);
        // Without a zone map the node's zone is unknown, and the import says so.
        let t = Topology::build(&Inventory::default(), &[("prod".into(), objects())]);
        assert_eq!(t.address(parse_ipv4(b"10.0.1.10").unwrap()).unwrap().az, 0);
        assert!(t.notes[0].contains("us-east-1a"), "{:?}", t.notes);
    }
}
