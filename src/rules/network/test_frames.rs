//! Frames for the network rule tests, built with `FrameBuilder::with_defaults`.
//!
//! Prices (embedded us-east-1 book): inter-AZ $0.01/GB in each direction (so $0.02 per
//! GB crossing), NAT gateway $0.045/hour and $0.045/GB, interface endpoint $0.01 per
//! AZ-hour and $0.01/GB, gateway endpoint free. GB = 2^30 bytes. Flows are one day
//! of data (a month is 730 / 24 = 30.416̅ days).

use polars::prelude::DataFrame;

use crate::snapshot::FrameName;
use crate::snapshot::builder::{Cell, FrameBuilder};

pub const GIB: i64 = 1 << 30;
/// Days per month (730 hours).
pub const MONTH_DAYS: f64 = 730.0 / 24.0;
/// 2026-10-31, the last day of the test window.
pub const DAY: i32 = 20_757;

#[derive(Clone)]
pub struct Flow {
    pub src: (&'static str, &'static str, &'static str),
    pub dst: (&'static str, &'static str, &'static str),
    pub bytes: i64,
    pub via: &'static str,
    pub via_id: Option<&'static str>,
    pub via_az: Option<&'static str>,
    pub aws_service: Option<&'static str>,
    pub service_region: Option<&'static str>,
}

/// (kind, name, AZ) → (kind, name, AZ), direct.
pub fn flow(
    src: (&'static str, &'static str, &'static str),
    dst: (&'static str, &'static str, &'static str),
    bytes: i64,
) -> Flow {
    Flow { src, dst, bytes, via: "direct", via_id: None, via_az: None, aws_service: None, service_region: None }
}

pub fn svc(name: &'static str, az: &'static str) -> (&'static str, &'static str, &'static str) {
    ("service", name, az)
}

pub fn flows(rows: &[Flow]) -> (FrameName, DataFrame) {
    let df = FrameBuilder::with_defaults(FrameName::NetworkFlows)
        .rows(rows.iter().map(|f| {
            [
                ("date", Cell::Date(Some(DAY))),
                ("src_kind", f.src.0.into()),
                ("src_name", f.src.1.into()),
                ("src_az_id", f.src.2.into()),
                ("dst_kind", f.dst.0.into()),
                ("dst_name", f.dst.1.into()),
                ("dst_az_id", f.dst.2.into()),
                ("eks_cluster", Some("prod").into()),
                ("bytes", f.bytes.into()),
                ("via", f.via.into()),
                ("via_id", f.via_id.into()),
                ("via_az_id", f.via_az.into()),
                ("aws_service", f.aws_service.into()),
                ("service_region", f.service_region.into()),
                ("region", Some("us-east-1").into()),
                ("records", Some(1i64).into()),
            ]
        }))
        .and_then(FrameBuilder::finish)
        .expect("network_flows");
    (FrameName::NetworkFlows, df)
}

/// (namespace/name, traffic distribution, topology mode, endpoints JSON).
pub fn services(rows: &[(&str, Option<&str>, Option<&str>, &str)]) -> (FrameName, DataFrame) {
    let df = FrameBuilder::with_defaults(FrameName::EksServices)
        .rows(rows.iter().map(|(key, td, tm, eps)| {
            let (ns, name) = key.split_once('/').expect("namespace/name");
            [
                ("eks_cluster", "prod".into()),
                ("namespace", ns.into()),
                ("service", name.into()),
                ("traffic_distribution", (*td).into()),
                ("topology_mode", (*tm).into()),
                ("endpoints_by_az", (*eps).into()),
            ]
        }))
        .and_then(FrameBuilder::finish)
        .expect("eks_services");
    (FrameName::EksServices, df)
}

pub fn cluster(version: &str, cpu_by_az: Option<&str>) -> (FrameName, DataFrame) {
    let df = FrameBuilder::with_defaults(FrameName::EksClusters)
        .rows([[
            ("eks_cluster", "prod".into()),
            ("region", Some("us-east-1").into()),
            ("kubernetes_version", Some(version).into()),
            ("version_source", Some("eks").into()),
            ("node_cpu_by_az", cpu_by_az.into()),
        ]])
        .and_then(FrameBuilder::finish)
        .expect("eks_clusters");
    (FrameName::EksClusters, df)
}

/// (id, AZ id, created days before the window end).
pub fn nats(rows: &[(&str, &str, i64)]) -> (FrameName, DataFrame) {
    let end = crate::rules::test_support::window_end_ms();
    let df = FrameBuilder::with_defaults(FrameName::NatGateways)
        .rows(rows.iter().map(|(id, az, age)| {
            [
                ("region", "us-east-1".into()),
                ("nat_gateway_id", (*id).into()),
                ("vpc_id", Some("vpc-1").into()),
                ("az_id", Some(*az).into()),
                ("state", "available".into()),
                ("created_at", Cell::Ts(Some(end - age * 86_400_000))),
                ("tags", "{\"Name\":\"nat\"}".into()),
            ]
        }))
        .and_then(FrameBuilder::finish)
        .expect("nat_gateways");
    (FrameName::NatGateways, df)
}

/// Daily bytes processed by one NAT gateway for `days` days ending on the window's last day.
pub fn nat_days(id: &str, days: i32, bytes_per_day: i64, connections: Option<f64>) -> (FrameName, DataFrame) {
    let df = FrameBuilder::with_defaults(FrameName::NatGatewayDaily)
        .rows((0..days).map(|d| {
            [
                ("nat_gateway_id", id.into()),
                ("date", Cell::Date(Some(DAY - days + 1 + d))),
                ("bytes_processed", Some(bytes_per_day).into()),
                ("active_connections_max", connections.into()),
                ("source", "cloudwatch".into()),
            ]
        }))
        .and_then(FrameBuilder::finish)
        .expect("nat_gateway_daily");
    (FrameName::NatGatewayDaily, df)
}
