//! `network.cross-az` with the arithmetic written out. One day of flows; a month is
//! 730 / 24 = 30.416̅ days; a GB crossing AZs costs $0.01 out + $0.01 in = $0.02.

use super::CrossAz;
use super::test_frames::*;
use crate::rules::test_support::{assert_usd, run, savings, snapshot};
use crate::snapshot::Snapshot;

const AZ1: &str = "use1-az1";
const AZ2: &str = "use1-az2";
const AZ3: &str = "use1-az3";

fn snap(flows_rows: &[Flow], svcs: &[(&str, Option<&str>, Option<&str>, &str)], version: &str) -> Snapshot {
    snapshot(vec![flows(flows_rows), services(svcs), cluster(version, None)])
}

/// frontend has pods in 3 AZs and calls api evenly over api's endpoints in az1 and az2.
fn chatty() -> Vec<Flow> {
    let g = 5 * GIB;
    vec![
        flow(svc("shop/frontend", AZ1), svc("shop/api", AZ1), g),
        flow(svc("shop/frontend", AZ1), svc("shop/api", AZ2), g),
        flow(svc("shop/frontend", AZ2), svc("shop/api", AZ1), g),
        flow(svc("shop/frontend", AZ2), svc("shop/api", AZ2), g),
        flow(svc("shop/frontend", AZ3), svc("shop/api", AZ1), g),
        flow(svc("shop/frontend", AZ3), svc("shop/api", AZ2), g),
    ]
}

#[test]
fn a_chatty_pair_saves_only_what_zones_with_endpoints_keep_local() {
    let s = snap(&chatty(), &[("shop/api", None, None, r#"{"use1-az1":2,"use1-az2":2}"#)], "1.34");
    let out = run(&CrossAz, &s, "");
    assert_eq!(out.findings.len(), 1, "{:?}", out.warnings);
    let f = &out.findings[0];
    // crossing per day: az1→az2 5 + az2→az1 5 + az3→az1 5 + az3→az2 5 = 20 GiB
    let month = |gib: f64| gib * MONTH_DAYS;
    assert_usd(f.current.monthly_cost_usd.unwrap(), month(20.0) * 0.02); // $12.17
    // az1 and az2 have endpoints: their 10 GiB/day stop crossing; az3's 10 GiB/day keep crossing.
    assert_usd(savings(f), month(10.0) * 0.02); // $6.08
    assert_usd(f.recommended.monthly_cost_usd.unwrap(), month(10.0) * 0.02);
    assert!(f.recommended.description.contains("PreferSameZone"), "{}", f.recommended.description);
    let patch = &f.actions[0].text;
    assert_eq!(
        patch,
        r#"kubectl patch service api -n shop --type merge -p '{"spec":{"trafficDistribution":"PreferSameZone"}}'"#
    );
    assert!(f.rationale.contains("use1-az3 keep crossing"), "{}", f.rationale);
    assert!(f.evidence.charts.iter().any(|c| matches!(c, crate::report::Chart::Matrix { .. })));
    assert!(f.monthly_savings_usd.unwrap() <= f.current.monthly_cost_usd.unwrap());
}

#[test]
fn a_zone_local_pair_gets_no_finding() {
    let rows = vec![flow(svc("shop/cart", AZ1), svc("shop/inventory", AZ1), 50 * GIB)];
    let out = run(&CrossAz, &snap(&rows, &[("shop/inventory", None, None, r#"{"use1-az1":1}"#)], "1.34"), "");
    assert!(out.findings.is_empty());
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
}

#[test]
fn a_service_whose_only_endpoint_is_in_one_zone_saves_nothing_and_says_why() {
    let rows = vec![
        flow(svc("shop/checkout", AZ1), svc("shop/payments", AZ1), 4 * GIB),
        flow(svc("shop/checkout", AZ2), svc("shop/payments", AZ1), 4 * GIB),
    ];
    let out = run(&CrossAz, &snap(&rows, &[("shop/payments", None, None, r#"{"use1-az1":1}"#)], "1.34"), "");
    assert!(out.findings.is_empty());
    let w = out.warnings.join("\n");
    // 4 GiB/day × 30.416̅ = 121.67 GB/month × $0.02 = $2.43
    assert!(w.contains("shop/checkout → shop/payments: 121.7 GB/month crossing AZs ($2.43/month)"), "{w}");
    assert!(w.contains("ready endpoints only in use1-az1") && w.contains("from use1-az2 local"), "{w}");
}

#[test]
fn the_hint_follows_the_kubernetes_version() {
    let eps = r#"{"use1-az1":2,"use1-az2":2,"use1-az3":2}"#;
    let one = |v: &str| {
        let out = run(&CrossAz, &snap(&chatty(), &[("shop/api", None, None, eps)], v), "");
        out.findings[0].actions.iter().map(|a| a.text.clone()).collect::<Vec<_>>().join("\n")
    };
    assert!(one("1.33").contains(r#""trafficDistribution":"PreferClose""#), "PreferSameZone is alpha in 1.33");
    assert!(one("1.31").contains("PreferClose"));
    assert!(one("1.29").contains("service.kubernetes.io/topology-mode=Auto"));
}

#[test]
fn auto_safeguards_can_leave_no_saving() {
    // Kubernetes 1.29: topology-mode Auto. api has 2 endpoints, the nodes span 3 zones.
    let s = snapshot(vec![
        flows(&chatty()),
        services(&[("shop/api", None, None, r#"{"use1-az1":1,"use1-az2":1}"#)]),
        cluster("1.29", Some(r#"{"use1-az1":8,"use1-az2":8,"use1-az3":8}"#)),
    ]);
    let out = run(&CrossAz, &s, "");
    assert!(out.findings.is_empty());
    assert!(out.warnings.join("\n").contains("fewer endpoints (2) than zones (3)"), "{:?}", out.warnings);
}

#[test]
fn a_service_already_preferring_its_zone_gets_no_finding() {
    let s = snap(&chatty(), &[("shop/api", Some("PreferSameZone"), None, r#"{"use1-az1":2,"use1-az2":2}"#)], "1.34");
    let out = run(&CrossAz, &s, "");
    assert!(out.findings.is_empty());
    assert!(out.warnings.join("\n").contains("already sets spec.trafficDistribution: PreferSameZone"));
}

#[test]
fn an_auto_annotation_is_replaced_when_the_field_exists() {
    let s = snap(&chatty(), &[("shop/api", None, Some("Auto"), r#"{"use1-az1":2,"use1-az2":2}"#)], "1.34");
    let out = run(&CrossAz, &s, "");
    let f = &out.findings[0];
    assert!(f.actions[0].text.contains("service.kubernetes.io/topology-mode-"), "remove the annotation first");
    assert!(f.actions[1].text.contains("PreferSameZone"));
}

#[test]
fn traffic_hints_cannot_fix_is_shown_not_claimed() {
    let g = 2 * GIB;
    let rows = vec![
        flow(("node", "ip-10-0-1-10", AZ1), ("node", "ip-10-0-2-20", AZ2), g),
        flow(("pod", "monitoring/prometheus", AZ1), ("pod", "shop/api", AZ2), g),
        flow(("node", "ip-10-0-1-10", AZ1), ("control-plane", "kube-apiserver", AZ2), g),
        flow(("unknown", "10.0.3.7", AZ3), svc("shop/api", AZ1), g),
    ];
    let out = run(&CrossAz, &snap(&rows, &[("shop/api", None, None, r#"{"use1-az1":1,"use1-az2":1}"#)], "1.34"), "");
    assert!(out.findings.is_empty(), "{:?}", out.findings);
    let w = out.warnings.join("\n");
    // 2 GiB/day × 30.416̅ = 60.8 GB/month each
    for part in [
        "node to node 60.8 GB/month",
        "pods reached directly (scraping, headless Services, peers) 60.8 GB/month",
        "EKS control plane 60.8 GB/month",
        "unattributed addresses 60.8 GB/month",
    ] {
        assert!(w.contains(part), "{part} not in {w}");
    }
    assert!(w.contains("shown and not claimed"));
}

#[test]
fn nat_traffic_is_not_claimed_here() {
    let mut to_s3 = flow(("node", "i-1", AZ1), ("external", "aws:S3", ""), 10 * GIB);
    to_s3.via = "nat-gateway";
    to_s3.via_id = Some("nat-2");
    to_s3.via_az = Some(AZ2);
    to_s3.aws_service = Some("S3");
    let out = run(&CrossAz, &snap(&[to_s3], &[], "1.34"), "");
    assert!(out.findings.is_empty());
    let w = out.warnings.join("\n");
    // 10 GiB/day × 30.416̅ = 304.2 GB/month to a NAT gateway in another AZ
    assert!(w.contains("to NAT gateways in another AZ 304.2 GB/month (network.nat-gateway claims it"), "{w}");
}

#[test]
fn a_region_without_prices_is_unpriced_with_a_warning() {
    let (name, df) = flows(&chatty());
    let df = polars::prelude::IntoLazy::lazy(df)
        .with_column(polars::prelude::lit("ap-northeast-2").alias("region"))
        .collect()
        .expect("region");
    let s = snapshot(vec![(name, df), services(&[("shop/api", None, None, r#"{"use1-az1":2,"use1-az2":2}"#)])]);
    let out = run(&CrossAz, &s, "");
    assert_eq!(out.findings.len(), 1);
    assert!(out.findings[0].monthly_savings_usd.is_none());
    assert!(out.warnings.iter().any(|w| w.contains("unpriced") && w.contains("ap-northeast-2")), "{:?}", out.warnings);
}

#[test]
fn decisions_for_one_pair() {
    use super::cross_az::outcome_text;
    use super::data::ServiceInfo;
    use super::pairs::{Class, Pair};
    let pair = Pair {
        cluster: Some("prod".into()),
        region: Some("us-east-1".into()),
        client: ("service".into(), "a".into()),
        server: ("service".into(), "b".into()),
        cells: [((AZ1.to_string(), AZ2.to_string()), GIB as f64)].into(),
        unplaced: 0.0,
        records: 1,
        class: Class::Service,
    };
    let local = ServiceInfo { internal_traffic_policy: Some("Local".into()), ..ServiceInfo::default() };
    assert!(outcome_text(&pair, &local, None).contains("internalTrafficPolicy: Local"));
    let spread =
        ServiceInfo { endpoints: [(AZ1.to_string(), 1), (AZ2.to_string(), 1)].into(), ..ServiceInfo::default() };
    assert_eq!(outcome_text(&pair, &spread, None), "saves 1.000 GB with spec.trafficDistribution: PreferClose");
}
