//! `network.nat-gateway` with the arithmetic written out: NAT $0.045/GB and $0.045/h,
//! inter-AZ $0.01/GB each way, interface endpoint $0.01/GB and $0.01 per AZ-hour,
//! gateway endpoint free; one day of flows, a month = 30.416̅ days = 730 hours.

use super::test_frames::*;
use super::{CrossAz, NatGateway};
use crate::rules::test_support::{assert_usd, run, savings, snapshot};

const AZ1: &str = "use1-az1";
const AZ2: &str = "use1-az2";

fn through_nat(az: &'static str, nat: &'static str, nat_az: &'static str, service: &'static str, gib: i64) -> Flow {
    let mut f = flow(("node", "i-node", az), ("external", "aws:svc", ""), gib * GIB);
    f.via = "nat-gateway";
    f.via_id = Some(nat);
    f.via_az = Some(nat_az);
    f.aws_service = Some(service);
    f.service_region = matches!(service, "S3" | "DYNAMODB").then_some("us-east-1");
    f
}

#[test]
fn s3_through_a_nat_gateway_in_another_az_gets_a_gateway_endpoint() {
    let s = snapshot(vec![flows(&[through_nat(AZ1, "nat-b", AZ2, "S3", 10)]), nats(&[("nat-b", AZ2, 400)])]);
    let out = run(&NatGateway, &s, "");
    assert_eq!(out.findings.len(), 1, "{:?}", out.warnings);
    let f = &out.findings[0];
    // 10 GiB/day × 30.416̅ = 304.17 GB/month: processing × $0.045 = $13.69, plus the az1 → az2 leg × $0.02 = $6.08
    let gb = 10.0 * MONTH_DAYS;
    assert_usd(f.current.monthly_cost_usd.unwrap(), gb * 0.045 + gb * 0.02);
    assert_usd(f.recommended.monthly_cost_usd.unwrap(), 0.0);
    assert_usd(savings(f), 19.77);
    assert!(f.actions[0].text.contains("--vpc-endpoint-type Gateway --service-name com.amazonaws.us-east-1.s3"));
    assert!(f.actions[0].text.contains("--vpc-id vpc-1"));
    // The same bytes' inter-AZ leg is never claimed by network.cross-az.
    let cross = run(&CrossAz, &s, "");
    assert!(cross.findings.is_empty());
}

#[test]
fn an_interface_endpoint_only_in_azs_where_it_pays_for_its_hours() {
    let s = snapshot(vec![
        flows(&[through_nat(AZ1, "nat-a", AZ1, "sqs", 10), through_nat(AZ2, "nat-a", AZ1, "sqs", 1)]),
        nats(&[("nat-a", AZ1, 400)]),
    ]);
    let out = run(&NatGateway, &s, "");
    assert_eq!(out.findings.len(), 1, "{:?}", out.warnings);
    let f = &out.findings[0];
    // az1: 304.17 GB × ($0.045 − $0.01) = $10.65 saved > $7.30 (730 h × $0.01): included.
    // az2: 30.42 GB × $0.035 = $1.06 + its leg to the az1 gateway 30.42 × $0.02 = $0.61 → $1.67 < $7.30: left alone.
    let gb = 10.0 * MONTH_DAYS;
    assert_usd(f.current.monthly_cost_usd.unwrap(), gb * 0.045);
    assert_usd(f.recommended.monthly_cost_usd.unwrap(), gb * 0.01 + 730.0 * 0.01);
    assert_usd(savings(f), gb * 0.035 - 7.30);
    assert!(f.recommended.description.contains("in use1-az1") && !f.recommended.description.contains(AZ2));
    assert!(f.actions[0].text.contains("com.amazonaws.us-east-1.sqs"));
}

#[test]
fn an_interface_endpoint_that_costs_more_than_it_saves_is_not_recommended() {
    let s = snapshot(vec![flows(&[through_nat(AZ1, "nat-a", AZ1, "sqs", 1)]), nats(&[("nat-a", AZ1, 400)])]);
    let out = run(&NatGateway, &s, "");
    assert!(out.findings.is_empty());
    assert!(out.warnings.join("\n").contains("costs $7.30/month per AZ, more than it saves"), "{:?}", out.warnings);
}

#[test]
fn aws_ranges_without_one_endpoint_are_not_claimed() {
    let s = snapshot(vec![flows(&[through_nat(AZ1, "nat-a", AZ1, "AMAZON", 50)]), nats(&[("nat-a", AZ1, 400)])]);
    let out = run(&NatGateway, &s, "");
    assert!(out.findings.is_empty());
    // break-even: 730 h × $0.01 ÷ ($0.045 − $0.01) = 208.6 GB/month per AZ
    assert!(out.warnings.join("\n").contains("above 208.6 GB/month per AZ"), "{:?}", out.warnings);
}

#[test]
fn an_idle_nat_gateway_is_deleted_for_its_hourly_charge() {
    let s = snapshot(vec![nats(&[("nat-idle", AZ1, 60)]), nat_days("nat-idle", 33, 1 << 20, Some(0.0))]);
    let out = run(&NatGateway, &s, "");
    assert_eq!(out.findings.len(), 1, "{:?}", out.warnings);
    let f = &out.findings[0];
    // 730 h × $0.045 = $32.85; the 1 MiB/day trickle (0.03 GB/month, $0.0013) is not claimed.
    assert_usd(savings(f), 730.0 * 0.045);
    assert!(
        f.actions
            .iter()
            .any(|a| a.text.contains("aws ec2 delete-nat-gateway --region us-east-1 --nat-gateway-id nat-idle"))
    );
    assert!(f.rationale.contains("processed 0.031 GB in the last 32 days"), "{}", f.rationale);
}

#[test]
fn a_young_busy_or_unwatched_nat_gateway_is_not_idle() {
    let young = snapshot(vec![nats(&[("nat-new", AZ1, 10)]), nat_days("nat-new", 33, 0, Some(0.0))]);
    assert!(run(&NatGateway, &young, "").findings.is_empty());
    let busy = snapshot(vec![nats(&[("nat-busy", AZ1, 60)]), nat_days("nat-busy", 33, GIB, Some(0.0))]);
    assert!(run(&NatGateway, &busy, "").findings.is_empty(), "33 GB over 32 days is not idle");
    let talking = snapshot(vec![nats(&[("nat-c", AZ1, 60)]), nat_days("nat-c", 33, 0, Some(40.0))]);
    assert!(run(&NatGateway, &talking, "").findings.is_empty(), "40 open connections");
    let short = snapshot(vec![nats(&[("nat-s", AZ1, 60)]), nat_days("nat-s", 20, 0, Some(0.0))]);
    let out = run(&NatGateway, &short, "");
    assert!(out.findings.is_empty());
    assert!(out.warnings.join("\n").contains("not judged: nat-s"), "{:?}", out.warnings);
}

#[test]
fn an_idle_gateway_gets_no_endpoint_finding_too() {
    // A trickle of S3 through an otherwise idle gateway: one finding, the hourly charge.
    let s = snapshot(vec![
        flows(&[through_nat(AZ1, "nat-idle", AZ1, "S3", 0)]),
        nats(&[("nat-idle", AZ1, 60)]),
        nat_days("nat-idle", 33, 1 << 20, Some(0.0)),
    ]);
    let out = run(&NatGateway, &s, "[rules.\"network.nat-gateway\"]\nmin_savings_usd = 0\n");
    assert_eq!(out.findings.len(), 1);
    assert_eq!(out.findings[0].resource.kind, "nat-gateway");
}

#[test]
fn no_finding_saves_more_than_its_traffic_costs() {
    let s = snapshot(vec![
        flows(&[
            through_nat(AZ1, "nat-b", AZ2, "S3", 10),
            through_nat(AZ2, "nat-b", AZ2, "DYNAMODB", 3),
            through_nat(AZ1, "nat-b", AZ2, "sqs", 20),
        ]),
        nats(&[("nat-b", AZ2, 400)]),
    ]);
    let out = run(&NatGateway, &s, "");
    assert_eq!(out.findings.len(), 3);
    for f in &out.findings {
        let (now, save) = (f.current.monthly_cost_usd.unwrap(), savings(f));
        assert!(save > 0.0 && save <= now + 1e-9, "{}: saves {save} of {now}", f.resource.name);
    }
}
