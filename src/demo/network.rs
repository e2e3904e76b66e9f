//! `network_flows`, `eks_services` and `eks_clusters`: the prod-eks cluster's
//! service-to-service traffic across three AZs (some of it fixable by a routing hint,
//! some not: a single-zone Service, Prometheus scraping pods, node-to-node and control
//! plane traffic, an address nothing names), and node traffic leaving the VPC through
//! NAT gateways and an endpoint (`network_nat.rs`).

use polars::prelude::*;

use super::calendar::{WINDOW_DAYS, WINDOW_END_DAY, day_factor};
use super::ec2_fleet::Instance;
use super::frame::{date, finish, text, text_opt};
use super::network_nat::{Egress, Traffic};
use super::{MAIN_ACCOUNT, PRIMARY_REGION, Replica, Stream};
use crate::snapshot::FrameName;

pub const AZ_IDS: [&str; 3] = ["use1-az1", "use1-az2", "use1-az4"];
pub const TB: f64 = 1e12;
const NAMESPACE: &str = "shop";
/// The cluster's Kubernetes version: PreferSameZone is beta (on) from 1.34.
const KUBERNETES_VERSION: &str = "1.34";

/// A Kubernetes service: name, ready endpoints per AZ (in `AZ_IDS` order),
/// `spec.trafficDistribution`, topology-mode annotation.
struct ServiceSpec {
    namespace: &'static str,
    name: &'static str,
    endpoints: [u32; 3],
    traffic_distribution: Option<&'static str>,
    topology_mode: Option<&'static str>,
}

const fn service(name: &'static str, endpoints: [u32; 3]) -> ServiceSpec {
    ServiceSpec { namespace: NAMESPACE, name, endpoints, traffic_distribution: None, topology_mode: None }
}

const SERVICES: &[ServiceSpec] = &[
    service("frontend", [2, 2, 2]),
    service("api", [3, 3, 2]),
    service("checkout", [2, 2, 1]),
    service("cart", [2, 1, 2]),
    ServiceSpec { traffic_distribution: Some("PreferSameZone"), ..service("catalog", [2, 2, 2]) },
    service("payments", [1, 1, 1]),
    service("search", [2, 2, 0]),
    service("inventory", [1, 1, 1]),
    // One replica, in one zone: no hint can help its callers elsewhere.
    service("recommendations", [1, 0, 0]),
    ServiceSpec { namespace: "kube-system", topology_mode: Some("Auto"), ..service("kube-dns", [1, 1, 1]) },
];

/// Service-to-service traffic on a weekday: (client, server, TB/day, requests and responses together).
const CALLS: &[(&str, &str, f64)] = &[
    ("frontend", "api", 2.4),
    ("api", "catalog", 2.6),
    ("api", "search", 1.0),
    ("api", "checkout", 0.8),
    ("checkout", "cart", 1.9),
    ("checkout", "payments", 0.05),
    ("checkout", "inventory", 0.3),
    ("cart", "inventory", 0.1),
    ("frontend", "recommendations", 0.15),
    ("frontend", "kube-dns", 0.08),
];

/// Traffic no routing hint can fix, per weekday: (src kind, name, src AZ, dst kind, name, dst AZ, TB/day).
const NOT_FIXABLE: &[(&str, &str, usize, &str, &str, usize, f64)] = &[
    // Prometheus scrapes every api pod's metrics port directly.
    ("pod", "monitoring/prometheus", 0, "pod", "shop/api", 1, 0.03),
    ("pod", "monitoring/prometheus", 0, "pod", "shop/api", 2, 0.02),
    // Log shipping between nodes, and kubelets talking to the control plane.
    ("node", "ip-10-20-1-15.ec2.internal", 0, "node", "ip-10-20-2-30.ec2.internal", 1, 0.04),
    ("node", "ip-10-20-3-44.ec2.internal", 2, "control-plane", "kube-apiserver", 1, 0.006),
    // An address no kubectl object or interface names (a pod that has since gone).
    ("unknown", "10.20.3.91", 2, "service", "shop/api", 0, 0.01),
];

#[derive(Default)]
pub struct Rows {
    date: Vec<i64>,
    src_az_id: Vec<&'static str>,
    dst_az_id: Vec<&'static str>,
    src_kind: Vec<&'static str>,
    src_name: Vec<String>,
    dst_kind: Vec<&'static str>,
    dst_name: Vec<String>,
    eks_cluster: Vec<Option<String>>,
    bytes: Vec<i64>,
    via: Vec<&'static str>,
    via_id: Vec<Option<String>>,
    via_az_id: Vec<Option<&'static str>>,
    aws_service: Vec<Option<&'static str>>,
    service_region: Vec<Option<&'static str>>,
    // eks_services
    svc_cluster: Vec<String>,
    svc_namespace: Vec<&'static str>,
    svc_name: Vec<&'static str>,
    svc_traffic_distribution: Vec<Option<&'static str>>,
    svc_topology_mode: Vec<Option<&'static str>>,
    svc_endpoints: Vec<String>,
    // eks_clusters
    clusters: Vec<(String, String)>,
    pub nat: super::network_nat::Rows,
}

fn find(name: &str) -> Option<&'static ServiceSpec> {
    SERVICES.iter().find(|s| s.name == name)
}

/// Share of a call's bytes for each (client AZ, server AZ): kube-proxy spreads over
/// all endpoints unless the server prefers same-zone endpoints.
fn az_shares(client: &ServiceSpec, server: &ServiceSpec) -> [[f64; 3]; 3] {
    let total = |s: &ServiceSpec| s.endpoints.iter().sum::<u32>().max(1) as f64;
    let mut shares = [[0.0; 3]; 3];
    for (i, row) in shares.iter_mut().enumerate() {
        let from = client.endpoints[i] as f64 / total(client);
        let same_zone = server.traffic_distribution == Some("PreferSameZone") && server.endpoints[i] > 0;
        for (j, cell) in row.iter_mut().enumerate() {
            let spread = server.endpoints[j] as f64 / total(server);
            let to = if same_zone { 0.95 * f64::from(u8::from(i == j)) + 0.05 * spread } else { spread };
            *cell = from * to;
        }
    }
    shares
}

/// One aggregated flow row.
pub struct Flow {
    pub day: i64,
    pub src: (&'static str, String, &'static str),
    pub dst: (&'static str, String, &'static str),
    pub bytes: f64,
    pub egress: Option<Egress>,
}

impl Rows {
    pub fn push(&mut self, replica: &Replica, fleet: &[Instance]) -> Traffic {
        let cluster = replica.name("prod-eks");
        self.clusters.push((cluster.clone(), replica.aws_id("vpc", Stream::Vpc, 0)));
        for s in SERVICES {
            let endpoints: Vec<String> =
                AZ_IDS.iter().zip(s.endpoints).filter(|(_, n)| *n > 0).map(|(az, n)| format!("\"{az}\":{n}")).collect();
            self.svc_cluster.push(cluster.clone());
            self.svc_namespace.push(s.namespace);
            self.svc_name.push(s.name);
            self.svc_traffic_distribution.push(s.traffic_distribution);
            self.svc_topology_mode.push(s.topology_mode);
            self.svc_endpoints.push(format!("{{{}}}", endpoints.join(",")));
        }
        let mut traffic = self.nat.gateways(replica);
        let mut rng = replica.rng(Stream::Flow, 0);
        for day in WINDOW_END_DAY - WINDOW_DAYS..WINDOW_END_DAY {
            let level = day_factor(day);
            for &(client, server, tb) in CALLS {
                let (Some(c), Some(s)) = (find(client), find(server)) else { continue };
                for (i, row) in az_shares(c, s).iter().enumerate() {
                    for (j, share) in row.iter().enumerate() {
                        if *share <= 0.0 {
                            continue;
                        }
                        let bytes = (tb * TB * share * level * rng.uniform(0.92, 1.08)).round();
                        let src = ("service", format!("{}/{}", c.namespace, c.name), AZ_IDS[i]);
                        let dst = ("service", format!("{}/{}", s.namespace, s.name), AZ_IDS[j]);
                        self.flow(Flow { day, src, dst, bytes, egress: None }, &cluster, &mut traffic);
                    }
                }
            }
            for &(sk, sn, sa, dk, dn, da, tb) in NOT_FIXABLE {
                let bytes = (tb * TB * level * rng.uniform(0.9, 1.1)).round();
                let flow = Flow {
                    day,
                    src: (sk, sn.to_string(), AZ_IDS[sa]),
                    dst: (dk, dn.to_string(), AZ_IDS[da]),
                    bytes,
                    egress: None,
                };
                self.flow(flow, &cluster, &mut traffic);
            }
            for flow in self.nat.egress(replica, fleet, &cluster, day, level, &mut rng) {
                let in_cluster = flow.egress.as_ref().is_none_or(|e| e.in_cluster);
                let name = if in_cluster { cluster.clone() } else { String::new() };
                self.flow(flow, &name, &mut traffic);
            }
        }
        traffic
    }

    fn flow(&mut self, f: Flow, cluster: &str, traffic: &mut Traffic) {
        let first_hop = f.egress.as_ref().and_then(|e| e.via_az).unwrap_or(f.dst.2);
        if !first_hop.is_empty() && first_hop != f.src.2 {
            traffic.cross_az_bytes_per_day += f.bytes / WINDOW_DAYS as f64;
        }
        traffic.count(&f);
        self.date.push(f.day);
        self.src_az_id.push(f.src.2);
        self.dst_az_id.push(f.dst.2);
        self.src_kind.push(f.src.0);
        self.src_name.push(f.src.1);
        self.dst_kind.push(f.dst.0);
        self.dst_name.push(f.dst.1);
        self.eks_cluster.push((!cluster.is_empty()).then(|| cluster.to_string()));
        self.bytes.push(f.bytes as i64);
        let e = f.egress.unwrap_or_default();
        self.via.push(e.via);
        self.via_id.push(e.via_id);
        self.via_az_id.push(e.via_az);
        self.aws_service.push(e.aws_service);
        self.service_region.push(e.service_region);
    }

    pub fn into_frames(self) -> Vec<(FrameName, DataFrame)> {
        let n = self.date.len();
        let flows = finish(
            FrameName::NetworkFlows,
            vec![
                date("date", self.date),
                text("src_az_id", &self.src_az_id),
                text("dst_az_id", &self.dst_az_id),
                text("src_kind", &self.src_kind),
                text("src_name", &self.src_name),
                text("dst_kind", &self.dst_kind),
                text("dst_name", &self.dst_name),
                text_opt("eks_cluster", &self.eks_cluster),
                Column::new("bytes".into(), self.bytes),
                text("via", &self.via),
                text_opt("via_id", &self.via_id),
                text_opt("via_az_id", &self.via_az_id),
                text_opt("aws_service", &self.aws_service),
                text_opt("service_region", &self.service_region),
                text("region", &vec![PRIMARY_REGION; n]),
                Column::new("records".into(), vec![None::<i64>; n]),
            ],
        );
        let m = self.svc_name.len();
        let services = finish(
            FrameName::EksServices,
            vec![
                text("eks_cluster", &self.svc_cluster),
                text("namespace", &self.svc_namespace),
                text("service", &self.svc_name),
                text_opt("traffic_distribution", &self.svc_traffic_distribution),
                text_opt("topology_mode", &self.svc_topology_mode),
                text("endpoints_by_az", &self.svc_endpoints),
                text_opt("internal_traffic_policy", &vec![Some("Cluster"); m]),
                Column::new(
                    "zone_hints".into(),
                    self.svc_traffic_distribution.iter().map(|t| Some(t.is_some())).collect::<Vec<_>>(),
                ),
            ],
        );
        let k = self.clusters.len();
        let clusters = finish(
            FrameName::EksClusters,
            vec![
                text("eks_cluster", &self.clusters.iter().map(|c| c.0.clone()).collect::<Vec<_>>()),
                text_opt("account_id", &vec![Some(MAIN_ACCOUNT); k]),
                text_opt("region", &vec![Some(PRIMARY_REGION); k]),
                text_opt("kubernetes_version", &vec![Some(KUBERNETES_VERSION); k]),
                text_opt("version_source", &vec![Some("eks"); k]),
                text_opt("vpc_id", &self.clusters.iter().map(|c| Some(c.1.clone())).collect::<Vec<_>>()),
                text_opt("node_cpu_by_az", &vec![None::<&str>; k]),
                Column::new("nodegroups".into(), vec![Some(2i64); k]),
                text_opt("platform_version", &vec![Some("eks.5"); k]),
            ],
        );
        let mut frames = vec![
            (FrameName::NetworkFlows, flows),
            (FrameName::EksServices, services),
            (FrameName::EksClusters, clusters),
        ];
        frames.extend(self.nat.into_frames());
        frames
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_sum_to_one_and_same_zone_is_respected() {
        for s in SERVICES {
            for t in SERVICES {
                let total: f64 = az_shares(s, t).iter().flatten().sum();
                assert!((total - 1.0).abs() < 1e-9, "{} → {}", s.name, t.name);
            }
        }
        let (api, catalog, cart) = (find("api").expect("api"), find("catalog").expect("c"), find("cart").expect("c"));
        let same = |m: [[f64; 3]; 3]| (0..3).map(|i| m[i][i]).sum::<f64>();
        assert!(same(az_shares(api, catalog)) > 0.9);
        assert!(same(az_shares(api, cart)) < 0.5);
    }
}
