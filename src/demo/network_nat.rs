//! Traffic leaving the demo VPC: each AZ's nodes reach S3, DynamoDB, CloudWatch Logs
//! and the internet through NAT gateways (the third AZ has none of its own and crosses
//! to the first's), SQS through an interface endpoint, and the nightly ETL instance
//! reads S3 through NAT. Also a NAT gateway nobody routes through any more. Fills
//! `nat_gateways`, `nat_gateway_daily` (35 days, CloudWatch-shaped) and `vpc_endpoints`.

use std::collections::BTreeMap;

use polars::prelude::*;

use super::calendar::{DAY_MS, WINDOW_DAYS, WINDOW_END_DAY, WINDOW_END_MS};
use super::ec2_fleet::{Instance, az_id};
use super::frame::{date, finish, text, text_opt, ts_opt};
use super::network::{AZ_IDS, Flow, TB};
use super::rng::Rng;
use super::{MAIN_ACCOUNT, PRIMARY_REGION, Replica, Stream};
use crate::snapshot::FrameName;

/// Days of NAT gateway metrics (more than the idle check's 32).
const NAT_DAYS: i64 = 35;

/// How a flow leaves the VPC.
#[derive(Debug, Clone)]
pub struct Egress {
    pub via: &'static str,
    pub via_id: Option<String>,
    pub via_az: Option<&'static str>,
    pub aws_service: Option<&'static str>,
    pub service_region: Option<&'static str>,
    pub in_cluster: bool,
}

impl Default for Egress {
    fn default() -> Self {
        Egress { via: "direct", via_id: None, via_az: None, aws_service: None, service_region: None, in_cluster: true }
    }
}

/// Node traffic leaving the cluster, per AZ and weekday: (service, via NAT, TB/day); None = internet.
const EGRESS: &[(Option<&str>, bool, f64)] = &[
    (Some("S3"), true, 0.7),
    (Some("DYNAMODB"), true, 0.12),
    (Some("logs"), true, 0.02),
    (None, true, 0.002),
    (Some("sqs"), false, 0.025),
];

/// The nightly ETL instance's reads from S3 through NAT (outside EKS), TB/day.
const ETL_TO_S3_TB: f64 = 0.3;

/// Daily averages over the window, for the bill.
#[derive(Debug, Clone, Default)]
pub struct Traffic {
    pub cross_az_bytes_per_day: f64,
    /// NAT gateway id → bytes processed per day (the idle one processes none).
    pub nat: Vec<(String, f64)>,
    pub endpoint_bytes_per_day: f64,
    /// AZs with an interface endpoint.
    pub endpoint_azs: usize,
}

impl Traffic {
    pub fn count(&mut self, f: &Flow) {
        let Some(e) = &f.egress else { return };
        match (e.via, &e.via_id) {
            ("nat-gateway", Some(id)) => {
                if let Some(n) = self.nat.iter_mut().find(|(n, _)| n == id) {
                    n.1 += f.bytes / WINDOW_DAYS as f64;
                }
            }
            ("endpoint", _) => self.endpoint_bytes_per_day += f.bytes / WINDOW_DAYS as f64,
            _ => {}
        }
    }
}

struct Gateway {
    id: String,
    az: &'static str,
    created_ms: i64,
    name: &'static str,
}

#[derive(Default)]
pub struct Rows {
    gateways: Vec<Gateway>,
    vpcs: Vec<String>,
    endpoints: Vec<(String, String)>,
    /// (NAT id, day) → bytes.
    daily: BTreeMap<(String, i64), f64>,
}

impl Rows {
    /// The replica's NAT gateways: one in each of the first two AZs, and an idle one.
    pub fn gateways(&mut self, replica: &Replica) -> Traffic {
        let made = |n: u64, az: usize, age_days: i64, name| Gateway {
            id: replica.aws_id("nat", Stream::NatGateway, n),
            az: AZ_IDS[az],
            created_ms: WINDOW_END_MS - age_days * DAY_MS,
            name,
        };
        let list = [made(0, 0, 410, "nat-a"), made(1, 1, 410, "nat-b"), made(2, 2, 200, "nat-legacy")];
        let traffic = Traffic {
            nat: list.iter().map(|g| (g.id.clone(), 0.0)).collect(),
            endpoint_azs: AZ_IDS.len(),
            ..Traffic::default()
        };
        self.vpcs.push(replica.aws_id("vpc", Stream::Vpc, 0));
        self.endpoints.push((replica.aws_id("vpce", Stream::Vpc, 1), self.vpcs.last().cloned().unwrap_or_default()));
        self.gateways.extend(list);
        traffic
    }

    /// One day of egress flows for the cluster's nodes and the ETL instance.
    pub fn egress(
        &mut self,
        replica: &Replica,
        fleet: &[Instance],
        cluster: &str,
        day: i64,
        level: f64,
        rng: &mut Rng,
    ) -> Vec<Flow> {
        let nat_a = replica.aws_id("nat", Stream::NatGateway, 0);
        let nat_b = replica.aws_id("nat", Stream::NatGateway, 1);
        let endpoint = replica.aws_id("vpce", Stream::Vpc, 1);
        let node_in = |az: &str| fleet.iter().find(|i| i.eks_cluster.as_deref() == Some(cluster) && az_id(i.az) == az);
        let mut out = Vec::new();
        for (k, az) in AZ_IDS.iter().enumerate() {
            let Some(node) = node_in(az) else { continue };
            // The third AZ has no NAT gateway of its own: its private subnets route to nat-a.
            let (nat, nat_az) = if k == 1 { (&nat_b, AZ_IDS[1]) } else { (&nat_a, AZ_IDS[0]) };
            for &(service, through_nat, tb) in EGRESS {
                let bytes = (tb * TB * level * rng.uniform(0.85, 1.15)).round();
                let src = ("node", node.id.clone(), *az);
                let (dst, egress) = if through_nat {
                    let name = service.map(|s| format!("aws:{s}")).unwrap_or_else(|| "internet".into());
                    *self.daily.entry((nat.clone(), day)).or_insert(0.0) += bytes;
                    (
                        ("external", name, ""),
                        Egress {
                            via: "nat-gateway",
                            via_id: Some(nat.clone()),
                            via_az: Some(nat_az),
                            aws_service: service,
                            service_region: service.filter(|s| matches!(*s, "S3" | "DYNAMODB")).map(|_| PRIMARY_REGION),
                            in_cluster: true,
                        },
                    )
                } else {
                    let name = format!("com.amazonaws.{PRIMARY_REGION}.{}", service.unwrap_or_default());
                    let e = Egress {
                        via: "endpoint",
                        via_id: Some(endpoint.clone()),
                        aws_service: service,
                        ..Egress::default()
                    };
                    (("endpoint", name, *az), e)
                };
                out.push(Flow { day, src, dst, bytes, egress: Some(egress) });
            }
        }
        if let Some(etl) = fleet.iter().find(|i| i.role == "etl") {
            // Nightly batch, every day of the week, through its own AZ's gateway (or nat-a).
            let bytes = (ETL_TO_S3_TB * TB * rng.uniform(0.8, 1.2)).round();
            let az = az_id(etl.az);
            let (nat, nat_az) = if az == AZ_IDS[1] { (&nat_b, AZ_IDS[1]) } else { (&nat_a, AZ_IDS[0]) };
            *self.daily.entry((nat.clone(), day)).or_insert(0.0) += bytes;
            let egress = Egress {
                via: "nat-gateway",
                via_id: Some(nat.clone()),
                via_az: Some(nat_az),
                aws_service: Some("S3"),
                service_region: Some(PRIMARY_REGION),
                in_cluster: false,
            };
            out.push(Flow {
                day,
                src: ("node", etl.id.clone(), az),
                dst: ("external", "aws:S3".into(), ""),
                bytes,
                egress: Some(egress),
            });
        }
        out
    }

    pub fn into_frames(self) -> Vec<(FrameName, DataFrame)> {
        let n = self.gateways.len();
        let nat_ids: Vec<String> = self.gateways.iter().map(|g| g.id.clone()).collect();
        let vpc_of = |i: usize| self.vpcs.get(i / 3).cloned();
        let nats = finish(
            FrameName::NatGateways,
            vec![
                text_opt("account_id", &vec![Some(MAIN_ACCOUNT); n]),
                text("region", &vec![PRIMARY_REGION; n]),
                text("nat_gateway_id", &nat_ids),
                text_opt("vpc_id", &(0..n).map(vpc_of).collect::<Vec<_>>()),
                text_opt("subnet_id", &vec![None::<&str>; n]),
                text_opt("az_id", &self.gateways.iter().map(|g| Some(g.az)).collect::<Vec<_>>()),
                text("state", &vec!["available"; n]),
                text_opt("connectivity_type", &vec![Some("public"); n]),
                text("private_ips", &(0..n).map(|i| format!("10.20.{}.5", 100 + i % 3)).collect::<Vec<_>>()),
                text("eni_ids", &nat_ids.iter().map(|id| id.replace("nat-", "eni-")).collect::<Vec<_>>()),
                ts_opt("created_at", self.gateways.iter().map(|g| Some(g.created_ms)).collect()),
                text("tags", &self.gateways.iter().map(|g| format!("{{\"Name\":\"{}\"}}", g.name)).collect::<Vec<_>>()),
            ],
        );
        // 35 days of daily metrics; before the flow window, the same weekday two weeks later.
        let (mut ids, mut days, mut bytes, mut conns) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for g in &self.gateways {
            for day in WINDOW_END_DAY - NAT_DAYS..WINDOW_END_DAY {
                let mut d = day;
                while d < WINDOW_END_DAY - WINDOW_DAYS {
                    d += WINDOW_DAYS;
                }
                let b = self.daily.get(&(g.id.clone(), d)).copied().unwrap_or(0.0);
                ids.push(g.id.clone());
                days.push(day);
                bytes.push(Some(b as i64));
                conns.push(Some((b / 2e9).round()));
            }
        }
        let m = ids.len();
        let daily = finish(
            FrameName::NatGatewayDaily,
            vec![
                text("nat_gateway_id", &ids),
                date("date", days),
                Column::new("bytes_processed".into(), bytes),
                Column::new("active_connections_max".into(), conns),
                Column::new("bytes_out_to_destination".into(), vec![None::<i64>; m]),
                text("source", &vec!["cloudwatch"; m]),
            ],
        );
        let k = self.endpoints.len();
        let endpoints = finish(
            FrameName::VpcEndpoints,
            vec![
                text_opt("account_id", &vec![Some(MAIN_ACCOUNT); k]),
                text("region", &vec![PRIMARY_REGION; k]),
                text("vpc_endpoint_id", &self.endpoints.iter().map(|e| e.0.clone()).collect::<Vec<_>>()),
                text_opt("vpc_id", &self.endpoints.iter().map(|e| Some(e.1.clone())).collect::<Vec<_>>()),
                text("service_name", &vec![format!("com.amazonaws.{PRIMARY_REGION}.sqs"); k]),
                text("endpoint_type", &vec!["Interface"; k]),
                text("state", &vec!["available"; k]),
                text("subnet_ids", &vec![""; k]),
                text("route_table_ids", &vec![""; k]),
                text("eni_ids", &vec![""; k]),
                ts_opt("created_at", vec![Some(WINDOW_END_MS - 300 * DAY_MS); k]),
            ],
        );
        vec![(FrameName::NatGateways, nats), (FrameName::NatGatewayDaily, daily), (FrameName::VpcEndpoints, endpoints)]
    }
}
