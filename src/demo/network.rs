//! `network_flows` and `eks_services`: the prod-eks cluster's service-to-service
//! traffic across three AZs, and node traffic to AWS services through NAT gateways.

use polars::prelude::*;

use super::calendar::{WINDOW_DAYS, WINDOW_END_DAY, day_factor};
use super::ec2_fleet::{Instance, az_id};
use super::frame::{date, finish, text, text_opt};
use super::{Replica, Stream};
use crate::snapshot::FrameName;

const AZ_IDS: [&str; 3] = ["use1-az1", "use1-az2", "use1-az4"];
const TB: f64 = 1e12;
const NAMESPACE: &str = "shop";

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
    service("search", [2, 2, 1]),
    service("inventory", [1, 1, 1]),
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
    ("frontend", "kube-dns", 0.001),
];

/// Node traffic leaving the cluster, per AZ and weekday: (destination kind, name, via, TB/day).
const EGRESS: &[(&str, &str, &str, f64)] = &[
    ("external", "s3.us-east-1.amazonaws.com", "nat-gateway", 0.7),
    ("external", "dynamodb.us-east-1.amazonaws.com", "nat-gateway", 0.12),
    ("external", "api.stripe.com", "nat-gateway", 0.002),
    ("endpoint", "sqs.us-east-1.amazonaws.com", "endpoint", 0.025),
];

/// The nightly ETL instance's reads from S3 through NAT (outside EKS), TB/day.
const ETL_TO_S3_TB: f64 = 0.3;

/// Daily averages over the window, for the bill.
#[derive(Debug, Clone, Default)]
pub struct Traffic {
    pub cross_az_bytes_per_day: f64,
    pub nat_bytes_per_day: f64,
    pub endpoint_bytes_per_day: f64,
    /// One NAT gateway per AZ.
    pub nat_gateways: Vec<String>,
    /// AZs with an interface endpoint.
    pub endpoint_azs: usize,
}

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
    // eks_services
    svc_cluster: Vec<String>,
    svc_namespace: Vec<&'static str>,
    svc_name: Vec<&'static str>,
    svc_traffic_distribution: Vec<Option<&'static str>>,
    svc_topology_mode: Vec<Option<&'static str>>,
    svc_endpoints: Vec<String>,
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

impl Rows {
    pub fn push(&mut self, replica: &Replica, fleet: &[Instance]) -> Traffic {
        let cluster = replica.name("prod-eks");
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
        // The node that stands for each AZ's egress: the first cluster node in it.
        let node_in =
            |az: &str| fleet.iter().find(|i| i.eks_cluster.as_deref() == Some(cluster.as_str()) && az_id(i.az) == az);
        let etl = fleet.iter().find(|i| i.role == "etl");
        let mut traffic = Traffic {
            nat_gateways: (0..AZ_IDS.len() as u64).map(|n| replica.aws_id("nat", Stream::NatGateway, n)).collect(),
            endpoint_azs: AZ_IDS.len(),
            ..Traffic::default()
        };
        let mut rng = replica.rng(Stream::Flow, 0);
        let in_cluster = Some(cluster.clone());
        for day in WINDOW_END_DAY - WINDOW_DAYS..WINDOW_END_DAY {
            let level = day_factor(day);
            for &(client, server, tb) in CALLS {
                let (Some(c), Some(s)) = (find(client), find(server)) else { continue };
                let shares = az_shares(c, s);
                for (i, row) in shares.iter().enumerate() {
                    for (j, share) in row.iter().enumerate() {
                        if *share <= 0.0 {
                            continue;
                        }
                        let bytes = (tb * TB * share * level * rng.uniform(0.92, 1.08)).round();
                        if i != j {
                            traffic.cross_az_bytes_per_day += bytes / WINDOW_DAYS as f64;
                        }
                        let (src, dst) = (format!("{}/{}", c.namespace, c.name), format!("{}/{}", s.namespace, s.name));
                        let flow = Flow { day, src_az: AZ_IDS[i], dst_az: AZ_IDS[j], bytes, via: "direct" };
                        self.flow(flow, ("service", src), ("service", dst), in_cluster.clone());
                    }
                }
            }
            for az in AZ_IDS {
                let Some(node) = node_in(az) else { continue };
                for &(kind, name, via, tb) in EGRESS {
                    let bytes = (tb * TB * level * rng.uniform(0.85, 1.15)).round();
                    if via == "nat-gateway" {
                        traffic.nat_bytes_per_day += bytes / WINDOW_DAYS as f64;
                    } else {
                        traffic.endpoint_bytes_per_day += bytes / WINDOW_DAYS as f64;
                    }
                    let flow = Flow { day, src_az: az, dst_az: az, bytes, via };
                    self.flow(flow, ("node", node.id.clone()), (kind, name.to_string()), in_cluster.clone());
                }
            }
            if let Some(etl) = etl {
                // Nightly batch, every day of the week.
                let bytes = (ETL_TO_S3_TB * TB * rng.uniform(0.8, 1.2)).round();
                traffic.nat_bytes_per_day += bytes / WINDOW_DAYS as f64;
                let az = az_id(etl.az);
                let flow = Flow { day, src_az: az, dst_az: az, bytes, via: "nat-gateway" };
                let s3 = ("external", EGRESS[0].1.to_string());
                self.flow(flow, ("node", etl.id.clone()), s3, None);
            }
        }
        traffic
    }

    fn flow(&mut self, f: Flow, src: (&'static str, String), dst: (&'static str, String), cluster: Option<String>) {
        self.date.push(f.day);
        self.src_az_id.push(f.src_az);
        self.dst_az_id.push(f.dst_az);
        self.src_kind.push(src.0);
        self.src_name.push(src.1);
        self.dst_kind.push(dst.0);
        self.dst_name.push(dst.1);
        self.eks_cluster.push(cluster);
        self.bytes.push(f.bytes as i64);
        self.via.push(f.via);
    }

    pub fn into_frames(self) -> Vec<(FrameName, DataFrame)> {
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
            ],
        );
        let services = finish(
            FrameName::EksServices,
            vec![
                text("eks_cluster", &self.svc_cluster),
                text("namespace", &self.svc_namespace),
                text("service", &self.svc_name),
                text_opt("traffic_distribution", &self.svc_traffic_distribution),
                text_opt("topology_mode", &self.svc_topology_mode),
                text("endpoints_by_az", &self.svc_endpoints),
            ],
        );
        vec![(FrameName::NetworkFlows, flows), (FrameName::EksServices, services)]
    }
}

/// One aggregated flow row's numbers.
struct Flow {
    day: i64,
    src_az: &'static str,
    dst_az: &'static str,
    bytes: f64,
    via: &'static str,
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
