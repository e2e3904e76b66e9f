//! `--import` of network exports in AWS's and Kubernetes' own formats: VPC flow logs as
//! delivered to S3, `kubectl get pods,services,endpointslices,nodes -A -o json`, and
//! `aws ec2 describe-*` / `aws eks describe-cluster` JSON. Fixtures: fixtures/import/network*
//! (regenerate with fixtures/import/generate_network.py; its docstring lists the flows).
//!
//! Prices: inter-AZ $0.01/GB each way ($0.02 per GB crossing), NAT $0.045/GB and
//! $0.045/h; GB = 2^30 bytes; the fixture's logs span one day, a month is 30.416̅ days.

use polars::prelude::*;
use tierwise::snapshot::{CollectorStatus, FrameName};

use crate::common::*;

const GIB: i64 = 1 << 30;
const MONTH_DAYS: f64 = 730.0 / 24.0;

fn imported(dir: &str) -> tierwise::import::Imported {
    tierwise::import::import_dir(&repo(dir)).expect("imports")
}

fn frame(imp: &tierwise::import::Imported, name: FrameName) -> DataFrame {
    imp.frames.iter().find(|(f, _)| *f == name).map(|(_, df)| df.clone()).unwrap_or_else(|| panic!("{name} missing"))
}

fn sum(df: &DataFrame, filter: Expr, column: &str) -> i64 {
    df.clone().lazy().filter(filter).select([col(column).sum()]).collect().unwrap()[column]
        .i64()
        .unwrap()
        .get(0)
        .unwrap_or(0)
}

fn count(df: &DataFrame, column: &str) -> i64 {
    df[column].i64().unwrap().get(0).unwrap()
}

fn report(dir: &str) -> serde_json::Value {
    let out = tierwise(&["report", "--import", dir, "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn findings<'a>(r: &'a serde_json::Value, rule: &str) -> Vec<&'a serde_json::Value> {
    r["findings"].as_array().unwrap().iter().filter(|f| f["rule"] == rule).collect()
}

fn warnings(r: &serde_json::Value) -> String {
    r["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["message"].as_str().unwrap().to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

fn usd(v: &serde_json::Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

#[track_caller]
fn assert_usd(actual: f64, expected: f64) {
    assert!((actual - expected).abs() < 0.006, "expected ${expected:.2}, got ${actual:.2}");
}

#[test]
fn the_fixture_fills_every_network_frame_and_counts_each_record_once() {
    let imp = imported("fixtures/import/network");
    assert_eq!(imp.runs["import:network"].status, CollectorStatus::Partial, "10.0.3.99 is unnamed: reported");
    let coverage = frame(&imp, FrameName::FlowLogCoverage);
    // 9 connections × 4 records (request and reply, at both ends) + 6 S3 records + 2 NODATA.
    assert_eq!(count(&coverage, "records"), 44);
    // Counted: each connection's request and reply on their sending interfaces (18), and the
    // S3 upload (node egress) and download (node ingress from outside the VPC).
    assert_eq!(count(&coverage, "counted_records"), 20);
    // The receiving ends (18) and the NAT gateway interface's four records.
    assert_eq!(count(&coverage, "duplicate_records"), 22);
    assert_eq!(count(&coverage, "nodata_records"), 2);
    assert_eq!(count(&coverage, "malformed_lines"), 0);
    let services = frame(&imp, FrameName::EksServices);
    let api = services.clone().lazy().filter(col("service").eq(lit("api"))).collect().unwrap();
    assert_eq!(
        api["endpoints_by_az"].str().unwrap().get(0),
        Some(r#"{"use1-az1":1,"use1-az2":1}"#),
        "zone names → ids"
    );
    let clusters = frame(&imp, FrameName::EksClusters);
    assert_eq!(
        clusters["kubernetes_version"].str().unwrap().get(0),
        Some("1.34"),
        "describe-cluster beats the kubelets' 1.33"
    );
    for f in [FrameName::VpcSubnets, FrameName::NatGateways, FrameName::NetworkInterfaces, FrameName::PrefixLists] {
        frame(&imp, f);
    }
}

#[test]
fn s3_through_nat_recorded_at_the_node_and_both_nat_sides_is_counted_once() {
    let imp = imported("fixtures/import/network");
    let flows = frame(&imp, FrameName::NetworkFlows);
    let s3 = col("aws_service").eq(lit("S3"));
    // 0.25 GiB up + 9.75 GiB down, recorded 3 times each: 10 GiB, once.
    assert_eq!(sum(&flows, s3.clone(), "bytes"), 10 * GIB);
    let row = flows.clone().lazy().filter(s3).collect().unwrap();
    assert_eq!(row.height(), 1, "request and reply on one client → server row");
    assert_eq!(row["via"].str().unwrap().get(0), Some("nat-gateway"));
    assert_eq!(row["via_id"].str().unwrap().get(0), Some("nat-0fixture0000000b"));
    assert_eq!(row["src_az_id"].str().unwrap().get(0), Some("use1-az4"));
    assert_eq!(row["via_az_id"].str().unwrap().get(0), Some("use1-az2"));
    assert_eq!(row["service_region"].str().unwrap().get(0), Some("us-east-1"), "placed by the prefix list");
    let daily = frame(&imp, FrameName::NatGatewayDaily);
    let nat = col("nat_gateway_id").eq(lit("nat-0fixture0000000b"));
    assert_eq!(sum(&daily, nat, "bytes_processed"), 10 * GIB, "processed: the two client-side legs");
    // frontend → api: 4 connections of 1 + 4 GiB, each counted once.
    let api = col("src_name").eq(lit("shop/frontend")).and(col("dst_name").eq(lit("shop/api")));
    assert_eq!(sum(&flows, api, "bytes"), 20 * GIB);
}

#[test]
fn the_report_prices_the_chatty_pair_and_the_nat_without_claiming_a_byte_twice() {
    let r = report("fixtures/import/network");
    let cross = findings(&r, "network.cross-az");
    assert_eq!(cross.len(), 1, "only frontend → api: cart → inventory is zone-local, payments has one zone");
    let f = cross[0];
    assert_eq!(f["resource"]["name"], "shop/frontend → shop/api");
    // 20 GiB/day cross (az1→az2 5, az2→az1 5, az4→az1 5, az4→az2 5) × 30.416̅ = 608.33 GB × $0.02 = $12.17
    assert_usd(usd(&f["current"]["monthly_cost_usd"]), 20.0 * MONTH_DAYS * 0.02);
    // az1 and az2 have api endpoints: 10 GiB/day stop crossing = $6.08; az4 has none: its 10 GiB/day keep crossing.
    assert_usd(usd(&f["monthly_savings_usd"]), 10.0 * MONTH_DAYS * 0.02);
    assert!(f["rationale"].as_str().unwrap().contains("from use1-az4 keep crossing"));
    assert!(f["actions"][0]["text"].as_str().unwrap().contains(r#""trafficDistribution":"PreferSameZone""#));
    let kinds: Vec<&str> =
        f["evidence"]["charts"].as_array().unwrap().iter().map(|c| c["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["matrix", "matrix", "histogram"], "pair and cluster AZ matrices, top talkers");

    let nat = findings(&r, "network.nat-gateway");
    assert_eq!(nat.len(), 1);
    // 10 GiB/day × 30.416̅ = 304.17 GB: processing × $0.045 = $13.69 + the az4 → az2 leg × $0.02 = $6.08
    assert_usd(usd(&nat[0]["monthly_savings_usd"]), 10.0 * MONTH_DAYS * (0.045 + 0.02));
    assert!(nat[0]["actions"][0]["text"].as_str().unwrap().contains("--vpc-endpoint-type Gateway"));

    let w = warnings(&r);
    // payments: 2 GiB/day from az2 to its only endpoint in az1 = 60.8 GB/month, $1.22: no saving, and why.
    assert!(
        w.contains("shop/checkout → shop/payments: 60.8 GB/month crossing AZs ($1.22/month), no saving claimed"),
        "{w}"
    );
    assert!(w.contains("ready endpoints only in use1-az1"), "{w}");
    // Shown, not claimed: the prometheus scrape (0.5 GiB/day), the control plane (0.25), the unnamed address (0.5),
    // and the S3 bytes' leg to the NAT gateway in az2 (owned by network.nat-gateway).
    for part in [
        "pods reached directly (scraping, headless Services, peers) 15.2 GB/month (e.g. monitoring/prometheus → shop/api)",
        "EKS control plane 7.6 GB/month",
        "unattributed addresses 15.2 GB/month (e.g. 10.0.3.99 → shop/api)",
        "to NAT gateways in another AZ 304.2 GB/month (network.nat-gateway claims it",
    ] {
        assert!(w.contains(part), "{part} not in {w}");
    }
    assert!(w.contains("% of the counted bytes have an end tierwise could not name"), "{w}");
    // No finding claims more than its traffic costs.
    for f in r["findings"].as_array().unwrap() {
        assert!(usd(&f["monthly_savings_usd"]) <= usd(&f["current"]["monthly_cost_usd"]) + 1e-9);
    }
}

#[test]
fn malformed_lines_skipdata_and_dashes_are_counted_and_reported_never_fatal() {
    let imp = imported("fixtures/import/network-malformed");
    let c = frame(&imp, FrameName::FlowLogCoverage);
    // good + double space (tolerated) counted; `-` bytes incomplete; REJECT; NODATA; SKIPDATA.
    assert_eq!(count(&c, "records"), 6);
    assert_eq!(count(&c, "counted_records"), 2);
    assert_eq!(count(&c, "bytes_counted"), 2000);
    assert_eq!(count(&c, "malformed_lines"), 3, "too few fields, bytes not a number, unknown log-status");
    assert_eq!(count(&c, "incomplete_records"), 1);
    assert_eq!(count(&c, "rejected_records"), 1);
    assert_eq!(count(&c, "nodata_records"), 1);
    assert_eq!(count(&c, "skipdata_records"), 1);
    let run = &imp.runs["import:network"];
    assert_eq!(run.status, CollectorStatus::Partial);
    let note = run.error.clone().unwrap_or_default();
    assert!(note.contains("3 malformed flow-log line(s) skipped"), "{note}");
    assert!(note.contains("_a1b2c3d4.log.gz:4: 10 fields, the header names 24"), "names the file and line: {note}");
    assert!(note.contains(":5: `bytes` is not a number"), "{note}");
    assert!(note.contains("1 SKIPDATA record(s)") && note.contains("undercounted"), "{note}");
    assert!(note.contains("1 record(s) with `-`"), "{note}");
    // The report still runs and says so.
    let r = report("fixtures/import/network-malformed");
    assert!(warnings(&r).contains("malformed flow-log line(s) skipped"));
}

#[test]
fn a_wrong_header_names_the_file_and_exits_2() {
    let err = rejects_input("--import", "flow-log-wrong-header");
    assert!(err.contains("_a1b2c3d4.log.gz") && err.contains("wrong header line"), "{err}");
    assert!(err.contains("lacks `bytes`"), "{err}");
}

#[test]
fn a_truncated_gzip_names_the_file_and_exits_2() {
    let err = rejects_input("--import", "flow-log-truncated-gzip");
    assert!(err.contains("_a1b2c3d4.log.gz") && err.contains("truncated or corrupt gzip"), "{err}");
}

#[test]
fn an_idle_nat_gateway_is_found_from_its_nodata_records() {
    let imp = imported("fixtures/import/network-idle-nat");
    let daily = frame(&imp, FrameName::NatGatewayDaily);
    assert_eq!(daily.height(), 33, "one covered day per daily file");
    assert_eq!(sum(&daily, lit(true), "bytes_processed"), 0);
    let r = report("fixtures/import/network-idle-nat");
    let f = findings(&r, "network.nat-gateway");
    assert_eq!(f.len(), 1, "{}", warnings(&r));
    // 730 h × $0.045/h = $32.85
    assert_usd(usd(&f[0]["monthly_savings_usd"]), 730.0 * 0.045);
    assert_eq!(f[0]["resource"]["type"], "nat-gateway");
    assert!(
        f[0]["actions"]
            .to_string()
            .contains("delete-nat-gateway --region us-east-1 --nat-gateway-id nat-0fixture000idle3")
    );
}

#[test]
fn the_default_v2_format_recorded_at_both_ends_is_counted_once() {
    // With describe-network-interfaces: egress is the record whose srcaddr is the interface's own.
    let imp = imported("fixtures/import/network-v2");
    let flows = frame(&imp, FrameName::NetworkFlows);
    assert_eq!(sum(&flows, lit(true), "bytes"), 5_000_000 + 2_000_000, "not 14,000,000");
    // Without any interface list the same records are de-duplicated by flow fingerprint.
    let dir = std::env::temp_dir().join(format!("tierwise-v2-alone-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let src = walk(&repo("fixtures/import/network-v2"))
        .into_iter()
        .find(|p| p.to_string_lossy().ends_with(".log.gz"))
        .unwrap();
    std::fs::copy(&src, dir.join(src.file_name().unwrap())).unwrap();
    let imp = tierwise::import::import_dir(&dir).expect("imports");
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(sum(&frame(&imp, FrameName::NetworkFlows), lit(true), "bytes"), 7_000_000);
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() { out.extend(walk(&p)) } else { out.push(p) }
    }
    out
}

#[test]
fn an_import_beside_the_demo_replaces_its_network_frames() {
    let out = tierwise(&["report", "--demo", "--import", "fixtures/import/network", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let names: Vec<&str> =
        findings(&r, "network.cross-az").iter().map(|f| f["resource"]["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["shop/frontend → shop/api"], "the demo's flows are replaced by the import's");
    assert!(!findings(&r, "ec2.rightsize").is_empty(), "the rest of the demo stays");
}

#[test]
fn the_detail_view_shows_the_az_matrix_top_talkers_and_billed_share() {
    use crate::tui_support::{app_with, apply_all, demo_report, draw};
    use tierwise::tui::Action;
    let report = demo_report();
    let mut app = app_with(report, 140, 40);
    apply_all(&mut app, [Action::NextView, Action::StartSearch]);
    crate::tui_support::type_text(&mut app, "frontend → shop/api");
    apply_all(&mut app, [Action::SearchAccept, Action::Open]);
    // The charts follow the text: page down to them.
    let mut screens = draw(&app, 140, 40);
    for _ in 0..6 {
        apply_all(&mut app, [Action::PageDown]);
        screens.push_str(&draw(&app, 140, 40));
    }
    for needle in [
        "shop/frontend → shop/api",
        "AZ × AZ",
        "use1-az4",
        "Top cross-AZ talkers",
        "billed inter-AZ explained by flows",
        "trafficDistribution",
    ] {
        assert!(screens.contains(needle), "{needle} not on the detail screens:\n{screens}");
    }
}
