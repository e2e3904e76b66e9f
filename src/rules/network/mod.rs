//! Network rules: `network.cross-az` and `network.nat-gateway`.
//!
//! Both read the same per-run analysis (`data::NetworkData`): `network_flows` summed
//! over the window and scaled to a month, the Services' endpoint spread, the clusters'
//! versions, NAT gateways, VPC endpoints, NAT daily traffic and the billed transfer
//! usage types. Who owns which dollars: `network.cross-az` claims only Service calls
//! inside the VPC (`via = direct`); every byte through a NAT gateway belongs to
//! `network.nat-gateway` — its processing charge and, when the client sits in another
//! AZ than the gateway, the inter-AZ leg to reach it — and only where an endpoint takes
//! the traffic off the gateway. A NAT gateway judged idle gets only the idle finding.

mod cross_az;
mod data;
mod evidence;
mod hints;
mod nat_endpoints;
pub mod nat_gateway;
mod nat_idle;
mod pairs;

#[cfg(test)]
mod cross_az_tests;
#[cfg(test)]
mod nat_gateway_tests;
#[cfg(test)]
mod test_frames;

pub use cross_az::CrossAz;
pub use nat_gateway::NatGateway;

use super::warning_log::WarningLog;
use crate::rules::Family;

/// Price keys the family reads (data/pricing/services.csv).
pub const INTER_AZ_KEY: &str = "transfer.inter_az.gb_each_direction";
pub const NAT_HOUR_KEY: &str = "vpc.nat_gateway.hour";
pub const NAT_GB_KEY: &str = "vpc.nat_gateway.gb";
pub const INTERFACE_AZ_HOUR_KEY: &str = "vpc.interface_endpoint.az_hour";
pub const INTERFACE_GB_KEY: &str = "vpc.interface_endpoint.gb";
pub const GATEWAY_ENDPOINT_KEY: &str = "vpc.gateway_endpoint";

pub static FAMILY: Family = Family {
    name: "network",
    title: "Cross-AZ and NAT gateway traffic",
    doc: "Both rules read one analysis per run of `network_flows` (flow logs counted once: see docs/network.md), \
          scaled from the flow logs' span to a month. `network.cross-az` claims only Service calls inside the VPC \
          and only what the called Service's endpoint spread lets a same-zone hint keep local. Every byte through a \
          NAT gateway belongs to `network.nat-gateway`: its processing charge and, when the client is in another AZ \
          than the gateway, the inter-AZ leg — claimed only where a gateway or interface endpoint takes the traffic \
          off the gateway. A NAT-processed GB that also crosses AZs is therefore never in a cross-AZ finding. An \
          idle NAT gateway gets only the idle finding (its hourly charge). Traffic neither rule can fix (node to \
          node, control plane, pods reached directly, internet through a NAT gateway in another AZ, unattributed \
          addresses) is reported in warnings and the evidence, with the share of the billed inter-AZ transfer \
          (`*-DataTransfer-Regional-Bytes`, billed on both sides) that the flow logs explain.",
    params: &[],
    rules: &[&CrossAz, &NatGateway],
};

/// The family's warnings: 15 of each kind word for word, the rest counted.
fn warning_log() -> WarningLog {
    WarningLog::new(15, |extra, kind| format!("… and {extra} more ({kind})"))
}
