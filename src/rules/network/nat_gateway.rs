//! `network.nat-gateway`: what a NAT gateway processes that an endpoint would carry for
//! less, and NAT gateways nobody uses.

use crate::report::Category;
use crate::rules::{Param, ParamValue, Rule, RuleContext, RuleError, RuleOutput};
use crate::snapshot::FrameName;

use super::data::NetworkData;
use super::{nat_endpoints, nat_idle};

pub struct NatGateway;

const IDLE_DAYS: Param = Param::new(
    "idle_days",
    ParamValue::Num(32.0),
    "days",
    "a NAT gateway is judged idle over this many covered days (daily CloudWatch metrics, or flow logs on its \
     interface), and only when it is at least this old",
);
const IDLE_MAX_GB: Param = Param::new(
    "idle_max_gb",
    ParamValue::Num(1.0),
    "GB",
    "most data processed over `idle_days` that still counts as idle",
);
const IDLE_MAX_CONNECTIONS: Param = Param::new(
    "idle_max_connections",
    ParamValue::Num(5.0),
    "connections",
    "most concurrent connections (CloudWatch ActiveConnectionCount, daily maximum) that still counts as idle",
);

impl Rule for NatGateway {
    fn id(&self) -> &'static str {
        "network.nat-gateway"
    }
    fn title(&self) -> &'static str {
        "Move AWS-service traffic off NAT gateways; delete idle ones"
    }
    fn category(&self) -> Category {
        Category::CrossAz
    }
    fn needs(&self) -> &'static [FrameName] {
        &[]
    }
    fn params(&self) -> &'static [Param] {
        const P: &[Param] = &[IDLE_DAYS, IDLE_MAX_GB, IDLE_MAX_CONNECTIONS];
        P
    }
    fn method(&self) -> &'static str {
        "From `network_flows` through NAT gateways (`via = nat-gateway`), per VPC and destination service. S3 and \
         DynamoDB in the VPC's own region (placed by AWS's prefix lists; by pkt-dst-aws-service alone with lower \
         confidence) → a gateway endpoint, which is free: the saving is the processing charge \
         (`vpc.nat_gateway.gb` per GB) plus the inter-AZ leg when the client sits in another AZ than the gateway \
         (2 × `transfer.inter_az.gb_each_direction` per GB). Another AWS service that has an interface endpoint → \
         one, in each client AZ where the endpoint's hourly charge (`vpc.interface_endpoint.az_hour` × 730) is lower \
         than what it saves there (NAT minus endpoint processing, plus the inter-AZ leg); AZs where it is not stay \
         on the NAT gateway. Traffic to AWS ranges no single endpoint serves (`AMAZON`, `EC2`) and internet \
         traffic is not claimed. A NAT gateway in state available, at least `idle_days` old, with at most \
         `idle_max_gb` processed and `idle_max_connections` connections over its last `idle_days` covered days → \
         delete it: the saving is its hourly charge (`vpc.nat_gateway.hour` × 730); it then gets no endpoint \
         finding. Needs `nat_gateways` for the idle check, `network_flows` for the endpoints."
    }

    fn evaluate(&self, ctx: &RuleContext) -> Result<RuleOutput, RuleError> {
        let snap = ctx.snapshot;
        let mut out = RuleOutput::default();
        if !snap.has(FrameName::NetworkFlows) && !snap.has(FrameName::NatGateways) {
            out.warnings.push("skipped: the snapshot has neither network_flows nor nat_gateways".into());
            return Ok(out);
        }
        let data = NetworkData::of(ctx)?;
        let thresholds = nat_idle::Thresholds {
            days: ctx.params.num(IDLE_DAYS.name).max(1.0),
            max_gb: ctx.params.num(IDLE_MAX_GB.name).max(0.0),
            max_connections: ctx.params.num(IDLE_MAX_CONNECTIONS.name).max(0.0),
        };
        let idle = nat_idle::find(ctx, &data, &thresholds);
        let endpoints = nat_endpoints::find(ctx, &data, &idle.ids);
        out.findings.extend(idle.drafts.into_iter().map(|d| d.finish(self)));
        out.findings.extend(endpoints.drafts.into_iter().map(|d| d.finish(self)));
        out.warnings.extend(idle.warnings);
        out.warnings.extend(endpoints.warnings);
        Ok(out)
    }
}
