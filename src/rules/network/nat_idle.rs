//! Idle NAT gateways: (near) no bytes processed over `idle_days`, judged from daily
//! NAT traffic (CloudWatch `BytesInFromSource + BytesInFromDestination`, or the
//! gateway's own flow-log records). The saving is the hourly charge.

use std::collections::BTreeSet;

use crate::money::usd;
use crate::pricing::HOURS_PER_MONTH;
use crate::report::{Action, Chart, Evidence, MigrationEffort, Resource, Series, Stat, ThresholdLine};
use crate::rules::RuleContext;
use crate::rules::draft::Draft;

use super::data::{GB, NatDay, NatInfo, NetworkData};
use super::evidence::stat;
use super::{NAT_GB_KEY, NAT_HOUR_KEY};

const DAY_MS: i64 = 86_400_000;

pub struct Thresholds {
    pub days: f64,
    pub max_gb: f64,
    pub max_connections: f64,
}

/// The last `days` days of a gateway's daily traffic, when they are all covered.
fn window(days: &[NatDay], n: usize, end_day: i32) -> Option<Vec<NatDay>> {
    let covered: Vec<NatDay> = days.iter().copied().filter(|d| d.bytes.is_some() && d.day <= end_day).collect();
    let last = covered.last()?.day;
    let recent: Vec<NatDay> = covered.into_iter().filter(|d| d.day > last - n as i32).collect();
    (recent.len() >= n).then_some(recent)
}

pub struct Idle {
    pub drafts: Vec<Draft>,
    pub ids: BTreeSet<String>,
    pub warnings: Vec<String>,
}

pub fn find(ctx: &RuleContext, data: &NetworkData, t: &Thresholds) -> Idle {
    let mut out = Idle { drafts: Vec::new(), ids: BTreeSet::new(), warnings: Vec::new() };
    let n = t.days.ceil().max(1.0) as usize;
    let end_day = data.end_ms.div_euclid(DAY_MS) as i32;
    let mut not_judged = Vec::new();
    for nat in data.nats.values().filter(|n| n.state == "available") {
        let Some(days) = data.nat_days.get(&nat.id).and_then(|d| window(d, n, end_day)) else {
            not_judged.push(nat.id.clone());
            continue;
        };
        let bytes: f64 = days.iter().filter_map(|d| d.bytes).sum();
        let connections = days
            .iter()
            .filter_map(|d| d.connections_max)
            .fold(None, |m: Option<f64>, c| Some(m.map_or(c, |m| m.max(c))));
        let young = nat.created_ms.is_some_and(|c| c > data.end_ms - n as i64 * DAY_MS);
        if bytes / GB > t.max_gb || connections.is_some_and(|c| c > t.max_connections) || young {
            continue;
        }
        out.ids.insert(nat.id.clone());
        let hour = ctx.prices.usd(&nat.region, NAT_HOUR_KEY);
        let per_gb = ctx.prices.usd(&nat.region, NAT_GB_KEY);
        let (current, recommended, unpriced) = match (&hour, &per_gb) {
            (Ok(h), Ok(g)) => {
                let trickle = bytes / GB / days.len() as f64 * (HOURS_PER_MONTH / 24.0) * g;
                (Some(h * HOURS_PER_MONTH + trickle), Some(trickle), None)
            }
            (Err(e), _) | (_, Err(e)) => {
                out.warnings.push(format!("{}: unpriced: {e}", nat.id));
                (None, None, Some(e.to_string()))
            }
        };
        out.drafts.push(draft(ctx, nat, &days, bytes, connections, t, (current, recommended, unpriced), hour.ok()));
    }
    if !not_judged.is_empty() {
        out.warnings.push(format!(
            "idle check needs {n} covered days of NAT gateway traffic (CloudWatch metrics, or flow logs on the \
             gateway's interface); not judged: {}",
            not_judged.join(", ")
        ));
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn draft(
    ctx: &RuleContext,
    nat: &NatInfo,
    days: &[NatDay],
    bytes: f64,
    connections: Option<f64>,
    t: &Thresholds,
    (current, recommended, unpriced): (Option<f64>, Option<f64>, Option<String>),
    hour: Option<f64>,
) -> Draft {
    let sources = if days.iter().all(|d| d.connections_max.is_none()) { "its flow-log records" } else { "CloudWatch" };
    let age = nat.created_ms.map(|c| (ctx.snapshot.manifest.window.end.timestamp_millis() - c) as f64 / DAY_MS as f64);
    let mut reasons = vec![format!("{} covered days from {sources}", days.len())];
    if age.is_none() {
        reasons.push("creation time unknown".into());
    }
    if connections.is_none() {
        reasons.push("no connection counts (flow logs only see bytes)".into());
    }
    let series = vec![Series {
        name: "GB processed per day".into(),
        points: days.iter().map(|d| (i64::from(d.day) * 86_400, d.bytes.unwrap_or(0.0) / GB)).collect(),
    }];
    let mut charts = vec![Chart::TimeSeries {
        title: format!("{}: data processed", nat.id),
        unit: "GB/day".into(),
        series,
        thresholds: vec![ThresholdLine { label: "idle budget per day".into(), value: t.max_gb / t.days }],
    }];
    if connections.is_some() {
        charts.push(Chart::TimeSeries {
            title: format!("{}: active connections (daily maximum)", nat.id),
            unit: "connections".into(),
            series: vec![Series {
                name: "ActiveConnectionCount max".into(),
                points: days.iter().filter_map(|d| d.connections_max.map(|c| (i64::from(d.day) * 86_400, c))).collect(),
            }],
            thresholds: vec![],
        });
    }
    let hourly = hour.map(|h| usd(h * HOURS_PER_MONTH)).unwrap_or_else(|| "unpriced".into());
    let region = &nat.region;
    Draft {
        resource: Resource {
            arn_or_id: match &nat.account_id {
                Some(a) => format!("arn:aws:ec2:{region}:{a}:natgateway/{}", nat.id),
                None => nat.id.clone(),
            },
            kind: "nat-gateway".into(),
            account_id: nat.account_id.clone().unwrap_or_default(),
            region: region.clone(),
            name: nat.tags.get("Name").cloned().unwrap_or_else(|| nat.id.clone()),
            tags: nat.tags.clone(),
        },
        current: ("NAT gateway kept for (near) no traffic".into(), current),
        recommended: ("delete the NAT gateway".into(), recommended),
        savings_range: None,
        one_time_cost_usd: 0.0,
        unpriced_reason: unpriced,
        confidence: if age.is_some() && connections.is_some() { 0.9 } else { 0.75 },
        confidence_reasons: reasons,
        performance_risk: 1,
        migration_effort: MigrationEffort::Low,
        evidence: Evidence {
            window_days: days.len() as f64,
            datapoints: days.len() as u64,
            statistics: [
                Some(stat("processed over the window", bytes / GB, "GB")),
                connections.map(|c| stat("active connections, maximum", c, "connections")),
                age.map(|a| stat("age", a, "days")),
            ]
            .into_iter()
            .flatten()
            .collect(),
            thresholds: vec![
                Stat::new("idle_days", t.days, "days"),
                Stat::new("idle_max_gb", t.max_gb, "GB"),
                Stat::new("idle_max_connections", t.max_connections, "connections"),
            ],
            charts,
        },
        rationale: format!(
            "{id} processed {gb:.3} GB in the last {n} days{conn}: it costs its hourly charge, 730 h × {h}/h = \
             {hourly}/month, for (near) nothing. Deleting it saves the hourly charge; routes that still point at it \
             must go first (a subnet whose 0.0.0.0/0 route uses it loses internet access).",
            id = nat.id,
            gb = bytes / GB,
            n = days.len(),
            conn = connections.map(|c| format!(" with at most {c:.0} active connections")).unwrap_or_default(),
            h = hour.map(|h| format!("${h}")).unwrap_or_else(|| "unpriced".into()),
        ),
        actions: vec![
            Action::new(
                "aws-cli",
                format!(
                    "# routes that still use it (change them first)\naws ec2 describe-route-tables --region {region} \
                     --filters Name=route.nat-gateway-id,Values={} --query 'RouteTables[].RouteTableId'",
                    nat.id
                ),
            ),
            Action::new("aws-cli", format!("aws ec2 delete-nat-gateway --region {region} --nat-gateway-id {}", nat.id)),
            Action::new(
                "note",
                "Release its Elastic IP afterwards (aws ec2 release-address --allocation-id …): a kept public IPv4 \
                 address is billed by the hour (not priced here).",
            ),
        ],
    }
}
