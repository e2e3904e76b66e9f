//! `network.cross-az`: Service calls that cross AZs, and what a same-zone routing hint
//! on the called Service saves — only as much as its endpoint spread allows.

use std::collections::BTreeMap;

use crate::money::usd;
use crate::report::{Action, Category, Evidence, MigrationEffort, Resource, Stat};
use crate::rules::draft::Draft;
use crate::rules::{Param, RuleContext, RuleError, RuleOutput};
use crate::snapshot::FrameName;

use super::data::{ClusterInfo, GB, NetworkData, ServiceInfo};
use super::evidence::{cluster_stats, matrix, stat, top_talkers};
use super::hints::{Hint, auto_blocked, configured, hint_for};
use super::pairs::{Class, Crossing, Pair, by_cluster};
use super::{INTER_AZ_KEY, warning_log};

pub struct CrossAz;

/// What a hint can do for one pair: the bytes it keeps in-zone, or why none.
enum Outcome {
    Saves { hint: Hint, fixable: f64, kept_zones: Vec<String>, replaces_auto: bool },
    Nothing(String),
}

fn zones(list: &[String]) -> String {
    if list.is_empty() { "none".into() } else { list.join(", ") }
}

fn decide(pair: &Pair, s: &ServiceInfo, cluster: Option<&ClusterInfo>) -> Outcome {
    if s.internal_traffic_policy.as_deref() == Some("Local") {
        return Outcome::Nothing(format!(
            "{} has internalTrafficPolicy: Local, under which zone hints are ignored",
            s.key()
        ));
    }
    let hint = hint_for(cluster.and_then(|c| c.version));
    let mut replaces_auto = false;
    if let Some(set) = configured(s) {
        if set.starts_with("spec.trafficDistribution") || hint.has_safeguards() {
            let without: Vec<String> =
                pair.crossing_from().keys().filter(|z| !s.endpoints.contains_key(*z)).cloned().collect();
            let why = if without.is_empty() {
                "every client zone has an endpoint, so the rest comes from endpoints not ready at the time, the Auto \
                 safeguards withholding hints, or a proxy that ignores them"
                    .to_string()
            } else {
                format!("client zones without endpoints ({}) keep crossing", zones(&without))
            };
            return Outcome::Nothing(format!("{} already sets {set}: {why}", s.key()));
        }
        replaces_auto = true;
    }
    if hint.has_safeguards()
        && let Some(why) = auto_blocked(s, cluster)
    {
        return Outcome::Nothing(format!("{}: {why}", s.key()));
    }
    let from = pair.crossing_from();
    let with_endpoints = |z: &String| s.endpoints.get(z).is_some_and(|n| *n > 0);
    let fixable: f64 = from.iter().filter(|(z, _)| with_endpoints(z)).map(|(_, v)| v).sum();
    let kept_zones: Vec<String> = from.keys().filter(|z| !with_endpoints(z)).cloned().collect();
    if fixable <= 0.0 {
        let endpoint_zones: Vec<String> = s.endpoints.keys().cloned().collect();
        return Outcome::Nothing(if endpoint_zones.len() <= 1 {
            format!(
                "{} has ready endpoints only in {}: a same-zone hint cannot keep calls from {} local (no endpoint \
                 there); spread its replicas over the zones first (topologySpreadConstraints)",
                s.key(),
                zones(&endpoint_zones),
                zones(&kept_zones)
            )
        } else {
            format!("the client zones {} have no endpoint of {}: the calls keep crossing", zones(&kept_zones), s.key())
        });
    }
    Outcome::Saves { hint, fixable, kept_zones, replaces_auto }
}

/// How unevenly a same-zone hint would load the endpoints: the largest ratio of a
/// zone's share of the calls to its share of the endpoints.
fn load_skew(pair: &Pair, s: &ServiceInfo) -> (f64, String) {
    let from = pair.by_client_zone();
    let total: f64 = from.values().sum();
    let endpoints = f64::from(s.total_endpoints().max(1));
    let mut worst = (1.0, String::new());
    for (z, bytes) in &from {
        let Some(n) = s.endpoints.get(z).filter(|n| **n > 0) else { continue };
        let ratio = (bytes / total.max(1.0)) / (f64::from(*n) / endpoints);
        if ratio > worst.0 {
            worst = (ratio, z.clone());
        }
    }
    worst
}

impl crate::rules::Rule for CrossAz {
    fn id(&self) -> &'static str {
        "network.cross-az"
    }
    fn title(&self) -> &'static str {
        "Keep Service calls in their AZ with a same-zone routing hint"
    }
    fn category(&self) -> Category {
        Category::CrossAz
    }
    fn needs(&self) -> &'static [FrameName] {
        &[FrameName::NetworkFlows]
    }
    fn params(&self) -> &'static [Param] {
        &[]
    }
    fn method(&self) -> &'static str {
        "Per (client, Service) pair inside the VPC: the bytes per month whose client and endpoint are in different \
         AZs (both directions of each call, counted once), priced at the inter-AZ rate in each direction — a GB \
         crossing is billed leaving one AZ and entering the other, so it costs twice \
         `transfer.inter_az.gb_each_direction`. The fix is a routing hint on the called Service, chosen by the \
         cluster's Kubernetes version: `spec.trafficDistribution: PreferSameZone` from 1.34, `PreferClose` (the \
         same behaviour under its older name) on 1.31–1.33, `service.kubernetes.io/topology-mode: Auto` on \
         1.27–1.30. The saving counts only what the endpoint spread allows: calls from a zone with a ready \
         endpoint stay there, calls from a zone without one keep crossing, so a Service whose endpoints sit in one \
         zone saves nothing (a warning says why). For Auto, the documented safeguards (fewer endpoints than zones; \
         an expected overload above 20 % when endpoints are allocated by the zones' share of node vCPUs) mean no \
         hints and no saving. Services already preferring their zone, or under `internalTrafficPolicy: Local`, get \
         no finding. Traffic hints cannot fix — node to node, the EKS control plane, pods reached directly \
         (scraping a metrics port, headless Services), unattributed addresses — and traffic to NAT gateways in \
         another AZ (owned by `network.nat-gateway` where an endpoint removes it) is shown in a warning and the \
         evidence, never claimed. Performance risk grows with how unevenly the hint would load the endpoints (a \
         zone's share of the calls ÷ its share of the endpoints)."
    }

    fn evaluate(&self, ctx: &RuleContext) -> Result<RuleOutput, RuleError> {
        let data = NetworkData::of(ctx)?;
        let mut out = RuleOutput::default();
        let mut log = warning_log();
        if data.services.is_empty() {
            out.warnings.push(
                "no eks_services frame (kubectl get services,endpointslices output): Service endpoint spreads are \
                 unknown, so no saving can be projected"
                    .into(),
            );
        }
        for crossing in by_cluster(&data) {
            let cluster = crossing.cluster.as_ref().and_then(|c| data.clusters.get(c));
            let mut not_claimed: BTreeMap<Class, (f64, Vec<String>)> = BTreeMap::new();
            for pair in crossing.pairs.iter().filter(|p| p.crossing() > 0.0) {
                if pair.class != Class::Service {
                    let e = not_claimed.entry(pair.class).or_default();
                    e.0 += pair.crossing();
                    if e.1.len() < 3 {
                        e.1.push(pair.label());
                    }
                    continue;
                }
                let price = pair.region.as_deref().map(|r| ctx.prices.usd(r, INTER_AZ_KEY));
                let per_gb = match &price {
                    Some(Ok(p)) => Some(2.0 * p),
                    _ => None,
                };
                let cost = |bytes: f64| per_gb.map(|p| bytes / GB * p);
                let key = (pair.cluster.clone().unwrap_or_default(), pair.server.1.clone());
                let Some(service) = data.services.get(&key) else {
                    log.push(
                        "unknown",
                        format!(
                            "{}: {}/month crosses AZs but {} is not in eks_services (no endpoints known): not judged",
                            pair.label(),
                            cost(pair.crossing()).map(usd).unwrap_or_else(|| "unpriced".into()),
                            pair.server.1
                        ),
                    );
                    continue;
                };
                match decide(pair, service, cluster) {
                    Outcome::Nothing(why) => log.push(
                        "no-saving",
                        format!(
                            "{}: {} GB/month crossing AZs ({}/month), no saving claimed: {why}",
                            pair.label(),
                            (pair.crossing() / GB * 10.0).round() / 10.0,
                            cost(pair.crossing()).map(usd).unwrap_or_else(|| "unpriced".into())
                        ),
                    ),
                    Outcome::Saves { hint, fixable, kept_zones, replaces_auto } => {
                        let unpriced = match (&price, &pair.region) {
                            (Some(Err(e)), _) => Some(e.to_string()),
                            (None, _) => Some("the flows' region is unknown".to_string()),
                            _ => None,
                        };
                        if let Some(e) = &unpriced {
                            log.push("unpriced", format!("{}: unpriced: {e}", pair.label()));
                        }
                        let d = Drafting { data: &data, crossing: &crossing, pair, service, cluster, per_gb };
                        out.findings.push(d.draft(hint, fixable, &kept_zones, replaces_auto, unpriced).finish(self));
                    }
                }
            }
            let name = crossing.cluster.clone().unwrap_or_else(|| "outside EKS".into());
            let parts: Vec<String> = not_claimed
                .iter()
                .map(|(class, (bytes, top))| {
                    format!("{} {:.1} GB/month (e.g. {})", class.label(), bytes / GB, top.join(", "))
                })
                .collect();
            if !parts.is_empty() || crossing.to_nat_crossing > 0.0 {
                let mut text = format!("{name}: cross-AZ traffic routing hints cannot fix, shown and not claimed: ");
                text.push_str(&parts.join("; "));
                if crossing.to_nat_crossing > 0.0 {
                    text.push_str(&format!(
                        "{}to NAT gateways in another AZ {:.1} GB/month (network.nat-gateway claims it where an \
                         endpoint replaces the gateway; otherwise give each AZ its own NAT gateway)",
                        if parts.is_empty() { "" } else { "; " },
                        crossing.to_nat_crossing / GB
                    ));
                }
                out.warnings.push(text);
            }
        }
        out.warnings.extend(log.into_vec());
        out.warnings.extend(billed_notes(&data));
        Ok(out)
    }
}

/// How much of each region's billed inter-AZ transfer the flow logs explain.
fn billed_notes(data: &NetworkData) -> Vec<String> {
    let mut out = Vec::new();
    for (region, billed) in &data.billed {
        let Some((share, explained, total)) = super::evidence::regional_share(data, region) else { continue };
        let note = if share > 1.1 {
            "more than the bill: the flow-log window may be busier than the billed months".to_string()
        } else {
            "the rest is traffic the flow logs do not see (load balancers, RDS, public addresses within the region, \
             interfaces without flow logs)"
                .to_string()
        };
        out.push(format!(
            "{region}: the flow logs explain {:.0} % of the billed inter-AZ transfer ({explained:.1} of {total:.1} \
             GB/month of DataTransfer-Regional-Bytes, {}/month, billed on both sides); {note}",
            share * 100.0,
            usd(billed.regional_usd)
        ));
    }
    out
}

struct Drafting<'a> {
    data: &'a NetworkData,
    crossing: &'a Crossing,
    pair: &'a Pair,
    service: &'a ServiceInfo,
    cluster: Option<&'a ClusterInfo>,
    /// Price of one GB crossing AZs (both directions billed).
    per_gb: Option<f64>,
}

impl Drafting<'_> {
    fn draft(
        &self,
        hint: Hint,
        fixable: f64,
        kept_zones: &[String],
        replaces_auto: bool,
        unpriced: Option<String>,
    ) -> Draft {
        let p = self.pair;
        let s = self.service;
        let crossing = p.crossing();
        let kept = crossing - fixable;
        let cost = |b: f64| self.per_gb.map(|g| b / GB * g);
        let money = |b: f64| cost(b).map(usd).unwrap_or_else(|| "unpriced".into());
        let cluster_name = p.cluster.clone().unwrap_or_default();
        let version = self.cluster.and_then(|c| c.version);
        let mut reasons = vec![if p.records > 0 {
            format!("{:.1} days of flow logs, {} records, scaled to a month", self.data.days, p.records)
        } else {
            format!("{:.1} days of flow data, scaled to a month", self.data.days)
        }];
        let mut confidence: f64 = 0.8;
        if self.data.days < 1.0 {
            confidence -= 0.2;
            reasons.push("less than a day of flow logs: the month is extrapolated from a short sample".into());
        }
        match (version, self.cluster.is_some_and(|c| c.version_from_kubelet)) {
            (None, _) => {
                confidence -= 0.1;
                reasons.push("Kubernetes version unknown: PreferClose (1.31+) assumed".into());
            }
            (Some((ma, mi)), true) => {
                confidence -= 0.05;
                reasons
                    .push(format!("version {ma}.{mi} from the nodes' kubelets (a lower bound of the control plane's)"));
            }
            (Some((ma, mi)), false) => reasons.push(format!("cluster runs Kubernetes {ma}.{mi}")),
        }
        if hint.has_safeguards() {
            confidence -= 0.15;
            reasons.push("topology-mode Auto may still allocate some endpoints across zones to balance load".into());
        }
        reasons.push(
            "pod addresses are mapped with the kubectl output, a point in time; reused addresses may be misnamed"
                .into(),
        );
        let (skew, skew_zone) = load_skew(p, s);
        let performance_risk = if skew > 2.0 {
            3
        } else if skew > 1.3 {
            2
        } else {
            1
        };
        if performance_risk >= 2 {
            reasons.push(format!(
                "endpoints in {skew_zone} would take {skew:.1}× their share of the calls: check their headroom"
            ));
        }
        let endpoints: Vec<String> = s.endpoints.iter().map(|(z, n)| format!("{z}: {n}")).collect();
        let mut actions = Vec::new();
        if replaces_auto {
            actions.push(Action::new(
                "k8s-manifest",
                format!(
                    "# the annotation takes precedence over the field: remove it first\nkubectl annotate service {} -n {} service.kubernetes.io/topology-mode-",
                    s.name, s.namespace
                ),
            ));
        }
        actions.push(Action::new("k8s-manifest", hint.command(&s.namespace, &s.name)));
        actions.push(Action::new(
            "note",
            format!(
                "Verify with the next flow logs: the {} → {} cells of the AZ matrix should empty; watch the endpoints' \
                 load per zone. Calls from {} keep crossing (no endpoint there).",
                p.client.1,
                p.server.1,
                zones(kept_zones)
            ),
        ));
        let mut statistics = vec![
            stat("bytes between the pair", p.total() / GB, "GB/month"),
            stat("crossing AZs", crossing / GB, "GB/month"),
            stat("kept in-zone by the hint", fixable / GB, "GB/month"),
            stat("still crossing (client zones without endpoints)", kept / GB, "GB/month"),
            stat("largest zone load ÷ endpoint share under the hint", skew, "ratio"),
        ];
        statistics.extend(cluster_stats(self.data, self.crossing, p.region.as_deref()));
        let rationale = format!(
            "{client} calls {server} in {cluster_name}: {total:.1} GB/month between them, {cross:.1} GB/month ({share:.0} %) \
             across AZs, at {per} per GB crossing (billed out of one AZ and into the other) = {now}/month. \
             {server} has ready endpoints in {eps}. With {hint}{ver}, calls from a zone with an endpoint stay there: \
             {fix:.1} GB/month ({save}/month) stop crossing; {kept}.",
            client = p.client.1,
            server = p.server.1,
            total = p.total() / GB,
            cross = crossing / GB,
            share = crossing / p.total().max(1.0) * 100.0,
            per = self.per_gb.map(usd).unwrap_or_else(|| "unpriced".into()),
            now = money(crossing),
            eps = endpoints.join(", "),
            hint = hint.label(),
            ver = version.map(|(a, b)| format!(" (Kubernetes {a}.{b})")).unwrap_or_default(),
            fix = fixable / GB,
            save = money(fixable),
            kept = if kept_zones.is_empty() {
                "every client zone has an endpoint, so nothing is left crossing".to_string()
            } else {
                format!("{:.1} GB/month from {} keep crossing ({}/month)", kept / GB, zones(kept_zones), money(kept))
            },
        );
        Draft {
            resource: Resource {
                arn_or_id: format!("eks:{cluster_name}:{}->{}", p.client.1, p.server.1),
                kind: "k8s-service-pair".into(),
                account_id: self.cluster.and_then(|c| c.account_id.clone()).unwrap_or_default(),
                region: p.region.clone().unwrap_or_default(),
                name: p.label(),
                tags: Default::default(),
            },
            current: (format!("{:.1} GB/month crossing AZs", crossing / GB), cost(crossing)),
            recommended: (format!("{} on {}", hint.label(), p.server.1), cost(kept)),
            savings_range: None,
            one_time_cost_usd: 0.0,
            unpriced_reason: unpriced,
            confidence,
            confidence_reasons: reasons,
            performance_risk,
            migration_effort: MigrationEffort::VeryLow,
            evidence: Evidence {
                window_days: self.data.days,
                datapoints: p.records,
                statistics,
                thresholds: vec![Stat::new(
                    "inter-AZ price per GB crossing (both directions)",
                    self.per_gb.unwrap_or(0.0),
                    "USD/GB",
                )],
                charts: [
                    matrix(&format!("{} AZ × AZ", p.label()), &p.cells),
                    matrix(&format!("{cluster_name}: AZ × AZ, first hop"), &self.crossing.matrix),
                    top_talkers(self.crossing, 10),
                ]
                .into_iter()
                .flatten()
                .collect(),
            },
            rationale,
            actions,
        }
    }
}

/// Used by the tests: what the rule decides for one pair.
#[cfg(test)]
pub(super) fn outcome_text(pair: &Pair, s: &ServiceInfo, c: Option<&ClusterInfo>) -> String {
    match decide(pair, s, c) {
        Outcome::Saves { hint, fixable, .. } => format!("saves {:.3} GB with {}", fixable / GB, hint.label()),
        Outcome::Nothing(why) => why,
    }
}
