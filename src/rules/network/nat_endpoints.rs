//! AWS-service traffic through NAT gateways → VPC endpoints. S3 and DynamoDB get a
//! gateway endpoint (free): the processing charge and the inter-AZ leg to a gateway in
//! another AZ are saved. Other services get an interface endpoint in each client AZ
//! where its hourly charge is lower than what it saves there (processing at the NAT
//! rate minus the endpoint rate, plus the inter-AZ leg).

use std::collections::{BTreeMap, BTreeSet};

use crate::money::usd;
use crate::pricing::HOURS_PER_MONTH;
use crate::report::{Action, Evidence, MigrationEffort, Resource, Stat};
use crate::rules::RuleContext;
use crate::rules::draft::Draft;

use super::data::{GB, NetworkData};
use super::evidence::{matrix, nat_share, stat};
use super::{GATEWAY_ENDPOINT_KEY, INTER_AZ_KEY, INTERFACE_AZ_HOUR_KEY, INTERFACE_GB_KEY, NAT_GB_KEY};

/// The interface-endpoint service of a flow's `aws_service`: lower-case names are
/// endpoint services already (`sqs`, `ecr.api`); of AWS's ip-ranges subsets only a
/// few map to one service. `AMAZON`, `EC2` and the global ones do not.
pub fn interface_service(aws_service: &str) -> Option<String> {
    match aws_service {
        "API_GATEWAY" => Some("execute-api".into()),
        "CODEBUILD" => Some("codebuild".into()),
        "KINESIS_VIDEO_STREAMS" => Some("kinesisvideo".into()),
        "EBS" => Some("ebs".into()),
        s if !s.is_empty()
            && s.bytes().all(|b| b.is_ascii_lowercase() || b == b'.' || b == b'-' || b.is_ascii_digit()) =>
        {
            Some(s.to_string())
        }
        _ => None,
    }
}

/// Traffic of one (region, VPC, service) through NAT gateways.
#[derive(Debug, Default)]
struct Group {
    /// Client AZ → (bytes, bytes reaching a gateway in another AZ), per month.
    by_zone: BTreeMap<String, (f64, f64)>,
    nats: BTreeSet<String>,
    clusters: BTreeSet<String>,
    records: u64,
    /// Region placed by a prefix list (a gateway endpoint serves only its own region).
    placed: bool,
    /// (client AZ, gateway AZ) → bytes.
    hops: BTreeMap<(String, String), f64>,
}

impl Group {
    fn bytes(&self) -> f64 {
        self.by_zone.values().map(|v| v.0).sum()
    }
    fn crossing(&self) -> f64 {
        self.by_zone.values().map(|v| v.1).sum()
    }
}

pub struct Found {
    pub drafts: Vec<Draft>,
    pub warnings: Vec<String>,
}

/// Endpoint findings for NAT traffic, leaving out the gateways judged idle.
pub fn find(ctx: &RuleContext, data: &NetworkData, idle: &BTreeSet<String>) -> Found {
    let mut out = Found { drafts: Vec::new(), warnings: Vec::new() };
    let mut groups: BTreeMap<(String, String, String), Group> = BTreeMap::new();
    let mut other: BTreeMap<(String, String), f64> = BTreeMap::new();
    let mut cross_region = 0.0;
    for f in data.flows.iter().filter(|f| f.via == "nat-gateway") {
        if f.via_id.as_ref().is_some_and(|n| idle.contains(n)) {
            continue;
        }
        let nat = f.via_id.as_ref().and_then(|n| data.nats.get(n));
        let Some(region) = data.region_of(f).or_else(|| nat.map(|n| n.region.clone())) else { continue };
        let vpc = nat.and_then(|n| n.vpc_id.clone()).unwrap_or_default();
        let service = f.aws_service.clone().unwrap_or_default();
        if matches!(service.as_str(), "S3" | "DYNAMODB") && f.service_region.as_ref().is_some_and(|r| *r != region) {
            cross_region += f.monthly_bytes;
            continue;
        }
        let gateway = matches!(service.as_str(), "S3" | "DYNAMODB");
        if !gateway && interface_service(&service).is_none() {
            let label = if service.is_empty() { "internet".to_string() } else { service.clone() };
            if label != "internet" {
                *other.entry((region, label)).or_insert(0.0) += f.monthly_bytes;
            }
            continue;
        }
        let g = groups.entry((region, vpc, service)).or_default();
        let e = g.by_zone.entry(f.src_az.clone()).or_insert((0.0, 0.0));
        e.0 += f.monthly_bytes;
        e.1 += f.crossing_bytes();
        g.nats.extend(f.via_id.clone());
        g.clusters.extend(f.cluster.clone());
        g.records += f.records;
        g.placed |= f.service_region.is_some();
        if let Some(hop) = f.via_az.clone() {
            *g.hops.entry((f.src_az.clone(), hop)).or_insert(0.0) += f.monthly_bytes;
        }
    }
    for ((region, vpc, service), g) in &groups {
        let prices = |k: &str| ctx.prices.usd(region, k);
        let priced = (|| Ok::<_, crate::pricing::PriceError>((prices(NAT_GB_KEY)?, prices(INTER_AZ_KEY)?)))();
        let (nat_gb, inter_az) = match priced {
            Ok(p) => (Some(p.0), Some(p.1)),
            Err(e) => {
                out.warnings.push(format!("{service} through NAT in {region}: unpriced: {e}"));
                (None, None)
            }
        };
        let d = Drafting { ctx, data, region, vpc, service, g, nat_gb, inter_az };
        if matches!(service.as_str(), "S3" | "DYNAMODB") {
            out.drafts.push(d.gateway());
        } else {
            match d.interface() {
                Ok(draft) => out.drafts.push(draft),
                Err(why) => out.warnings.push(why),
            }
        }
    }
    for ((region, service), bytes) in other {
        out.warnings.push(format!(
            "{:.1} GB/month through NAT gateways in {region} to AWS addresses of {service} that no single endpoint \
             serves: not claimed (an interface endpoint pays off for one service above {} GB/month per AZ)",
            bytes / GB,
            break_even(ctx, &region).map(|b| format!("{b:.1}")).unwrap_or_else(|| "(unpriced)".into())
        ));
    }
    if cross_region > 0.0 {
        out.warnings.push(format!(
            "{:.1} GB/month through NAT gateways to S3/DynamoDB in other regions: a gateway endpoint does not serve \
             them (not claimed)",
            cross_region / GB
        ));
    }
    out
}

/// GB per month per AZ above which an interface endpoint costs less than NAT processing.
fn break_even(ctx: &RuleContext, region: &str) -> Option<f64> {
    let hour = ctx.prices.usd(region, INTERFACE_AZ_HOUR_KEY).ok()?;
    let saved = ctx.prices.usd(region, NAT_GB_KEY).ok()? - ctx.prices.usd(region, INTERFACE_GB_KEY).ok()?;
    (saved > 0.0).then(|| hour * HOURS_PER_MONTH / saved)
}

struct Drafting<'a> {
    ctx: &'a RuleContext<'a>,
    data: &'a NetworkData,
    region: &'a str,
    vpc: &'a str,
    service: &'a str,
    g: &'a Group,
    nat_gb: Option<f64>,
    inter_az: Option<f64>,
}

impl Drafting<'_> {
    fn resource(&self, kind: &str) -> Resource {
        let vpc = if self.vpc.is_empty() { "vpc (unknown)" } else { self.vpc };
        Resource {
            arn_or_id: format!("{vpc}:{kind}-endpoint:{}", self.service.to_ascii_lowercase()),
            kind: "vpc-endpoint".into(),
            account_id: self
                .g
                .nats
                .iter()
                .find_map(|n| self.data.nats.get(n).and_then(|x| x.account_id.clone()))
                .unwrap_or_default(),
            region: self.region.to_string(),
            name: format!("{} {kind} endpoint for {vpc}", self.service),
            tags: Default::default(),
        }
    }

    fn common_stats(&self) -> Vec<Stat> {
        let mut s = vec![
            stat("through NAT gateways", self.g.bytes() / GB, "GB/month"),
            stat("of which reaching a gateway in another AZ", self.g.crossing() / GB, "GB/month"),
        ];
        if let Some((share, through, billed)) = nat_share(self.data, self.region) {
            s.push(stat("billed NAT processing explained by the flow logs (all NAT traffic)", share, "ratio"));
            s.push(stat("billed NatGateway-Bytes", billed, "GB/month"));
            s.push(stat("flow-log NAT traffic", through, "GB/month"));
        }
        s
    }

    fn nat_list(&self) -> String {
        if self.g.nats.is_empty() {
            "a NAT gateway (which one unknown)".into()
        } else {
            self.g.nats.iter().cloned().collect::<Vec<_>>().join(", ")
        }
    }

    fn gateway(&self) -> Draft {
        let g = self.g;
        let (bytes, crossing) = (g.bytes(), g.crossing());
        let free = self.ctx.prices.usd(self.region, GATEWAY_ENDPOINT_KEY).ok();
        let current = self.nat_gb.zip(self.inter_az).map(|(n, x)| bytes / GB * n + crossing / GB * 2.0 * x);
        let recommended = current.and(free.map(|f| bytes / GB * f).or(Some(0.0)));
        let short = self.service.to_ascii_lowercase();
        let existing = self.data.endpoints.iter().find(|e| {
            e.endpoint_type == "Gateway"
                && e.vpc_id.as_deref() == Some(self.vpc)
                && e.service_name.ends_with(&format!(".{short}"))
        });
        let vpc = if self.vpc.is_empty() { "<vpc-id>" } else { self.vpc };
        let action = match existing {
            Some(e) => Action::new(
                "aws-cli",
                format!(
                    "# {} exists but these clients' subnets still route {} through the NAT gateway: add their route tables\n\
                     aws ec2 modify-vpc-endpoint --region {} --vpc-endpoint-id {} --add-route-table-ids <private-route-table-ids>",
                    e.id, self.service, self.region, e.id
                ),
            ),
            None => Action::new(
                "aws-cli",
                format!(
                    "aws ec2 create-vpc-endpoint --region {r} --vpc-id {vpc} --vpc-endpoint-type Gateway \
                     --service-name com.amazonaws.{r}.{short} --route-table-ids <private-route-table-ids>",
                    r = self.region
                ),
            ),
        };
        let mut reasons = vec![format!("{} flow-log records through {}", g.records, self.nat_list())];
        let mut confidence: f64 = 0.85;
        if !g.placed {
            confidence -= 0.1;
            reasons.push(format!(
                "{} recognised by pkt-dst-aws-service only: buckets or tables in other regions cannot use the endpoint",
                self.service
            ));
        }
        if g.nats.is_empty() {
            confidence -= 0.1;
            reasons.push("the NAT gateway is inferred from traffic-path, not from its own records".into());
        }
        let money = |v: Option<f64>| v.map(usd).unwrap_or_else(|| "unpriced".into());
        Draft {
            resource: self.resource("gateway"),
            current: (format!("{} through {}", self.service, self.nat_list()), current),
            recommended: (format!("{} gateway endpoint (no hourly or per-GB charge)", self.service), recommended),
            savings_range: None,
            one_time_cost_usd: 0.0,
            unpriced_reason: current.is_none().then(|| format!("no NAT or inter-AZ price for {}", self.region)),
            confidence,
            confidence_reasons: reasons,
            performance_risk: 0,
            migration_effort: MigrationEffort::Low,
            evidence: Evidence {
                window_days: self.data.days,
                datapoints: g.records,
                statistics: self.common_stats(),
                thresholds: vec![
                    Stat::new("NAT processing price", self.nat_gb.unwrap_or(0.0), "USD/GB"),
                    Stat::new("inter-AZ price, each direction", self.inter_az.unwrap_or(0.0), "USD/GB"),
                ],
                charts: matrix("Client AZ × NAT gateway AZ", &g.hops).into_iter().collect(),
            },
            rationale: format!(
                "{gb:.1} GB/month of {svc} traffic goes through {nats}: {gb:.1} GB × ${nat}/GB processing{cross} = \
                 {now}/month. A {svc} gateway endpoint routes it from the clients' own subnets with no processing or \
                 inter-AZ charge: it saves {now}/month. Bucket or table policies that allow the NAT gateway's address \
                 (aws:SourceIp) must allow the endpoint (aws:SourceVpce) instead.",
                gb = bytes / GB,
                svc = self.service,
                nats = self.nat_list(),
                nat = self.nat_gb.map(|n| n.to_string()).unwrap_or_else(|| "?".into()),
                cross = if crossing > 0.0 {
                    format!(
                        " + {:.1} GB reaching a gateway in another AZ × 2 × ${}/GB",
                        crossing / GB,
                        self.inter_az.map(|x| x.to_string()).unwrap_or_else(|| "?".into())
                    )
                } else {
                    String::new()
                },
                now = money(current),
            ),
            actions: vec![action],
        }
    }

    fn interface(&self) -> Result<Draft, String> {
        let g = self.g;
        let svc = interface_service(self.service).unwrap_or_default();
        let prices = (|| {
            Ok::<_, crate::pricing::PriceError>((
                self.ctx.prices.usd(self.region, INTERFACE_AZ_HOUR_KEY)?,
                self.ctx.prices.usd(self.region, INTERFACE_GB_KEY)?,
            ))
        })();
        let (Ok((az_hour, ep_gb)), Some(nat_gb), Some(inter)) = (prices, self.nat_gb, self.inter_az) else {
            return Err(format!(
                "{} through NAT in {}: unpriced (no interface endpoint price)",
                self.service, self.region
            ));
        };
        let hourly = az_hour * HOURS_PER_MONTH;
        let mut included = Vec::new();
        let (mut current, mut recommended) = (0.0, 0.0);
        let mut per_zone = Vec::new();
        for (z, (bytes, crossing)) in &g.by_zone {
            let saved = bytes / GB * (nat_gb - ep_gb) + crossing / GB * 2.0 * inter;
            per_zone.push(stat(&format!("{z}: saved before the endpoint's hourly charge"), saved, "USD/month"));
            if saved > hourly {
                included.push(z.clone());
                current += bytes / GB * nat_gb + crossing / GB * 2.0 * inter;
                recommended += bytes / GB * ep_gb + hourly;
            }
        }
        if included.is_empty() {
            return Err(format!(
                "{:.1} GB/month of {} through NAT gateways in {}: an interface endpoint costs {}/month per AZ, more \
                 than it saves in any client AZ: not claimed",
                g.bytes() / GB,
                self.service,
                self.region,
                usd(hourly)
            ));
        }
        let vpc = if self.vpc.is_empty() { "<vpc-id>" } else { self.vpc };
        let mut statistics = self.common_stats();
        statistics.extend(per_zone);
        Ok(Draft {
            resource: self.resource("interface"),
            current: (format!("{} through {}", self.service, self.nat_list()), Some(current)),
            recommended: (format!("{svc} interface endpoint in {}", included.join(", ")), Some(recommended)),
            savings_range: None,
            one_time_cost_usd: 0.0,
            unpriced_reason: None,
            confidence: 0.75,
            confidence_reasons: vec![
                format!("{} flow-log records", g.records),
                "clients must resolve the service's private DNS name (private DNS on the endpoint)".into(),
            ],
            performance_risk: 0,
            migration_effort: MigrationEffort::Low,
            evidence: Evidence {
                window_days: self.data.days,
                datapoints: g.records,
                statistics,
                thresholds: vec![
                    Stat::new("interface endpoint, per AZ", hourly, "USD/month"),
                    Stat::new("interface endpoint processing", ep_gb, "USD/GB"),
                    Stat::new("NAT processing", nat_gb, "USD/GB"),
                ],
                charts: matrix("Client AZ × NAT gateway AZ", &g.hops).into_iter().collect(),
            },
            rationale: format!(
                "{svc} traffic through {nats}: in {zones} the NAT processing (${nat_gb}/GB) and inter-AZ legs cost \
                 {now}/month; an interface endpoint there costs {hourly}/month per AZ plus ${ep_gb}/GB = {then}/month. \
                 AZs where the endpoint would cost more than it saves keep the NAT gateway.",
                nats = self.nat_list(),
                zones = included.join(", "),
                now = usd(current),
                hourly = usd(hourly),
                then = usd(recommended),
            ),
            actions: vec![Action::new(
                "aws-cli",
                format!(
                    "aws ec2 create-vpc-endpoint --region {r} --vpc-id {vpc} --vpc-endpoint-type Interface \
                     --service-name com.amazonaws.{r}.{svc} --private-dns-enabled --subnet-ids <one private subnet in each of: {}>",
                    included.join(", "),
                    r = self.region
                ),
            )],
        })
    }
}
