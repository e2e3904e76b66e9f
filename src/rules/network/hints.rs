//! Which routing hint a Service can use, by the cluster's Kubernetes version, and what
//! it keeps in-zone.
//!
//! - `spec.trafficDistribution: PreferSameZone` — beta (on by default) from 1.34, GA
//!   1.35; EKS enables no alpha gates, so not on 1.33 (KEP-3015).
//! - `spec.trafficDistribution: PreferClose` — beta 1.31, GA 1.33; the same behaviour
//!   under its older name (KEP-4444: PreferClose is a deprecated alias of PreferSameZone).
//! - `service.kubernetes.io/topology-mode: Auto` — 1.27+ (`topology-aware-hints: auto`
//!   before): hints only when the EndpointSlice controller's safeguards pass.
//!
//! With PreferSameZone kube-proxy sends a client to an endpoint in its own zone when
//! there is one, and to all endpoints otherwise: a client zone with no endpoint keeps
//! crossing. Hints are ignored under `internalTrafficPolicy: Local`.

use std::collections::BTreeMap;

use super::data::{ClusterInfo, ServiceInfo};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hint {
    PreferSameZone,
    PreferClose,
    TopologyModeAuto,
    TopologyAwareHintsAuto,
}

impl Hint {
    pub fn label(self) -> &'static str {
        match self {
            Hint::PreferSameZone => "spec.trafficDistribution: PreferSameZone",
            Hint::PreferClose => "spec.trafficDistribution: PreferClose",
            Hint::TopologyModeAuto => "service.kubernetes.io/topology-mode: Auto",
            Hint::TopologyAwareHintsAuto => "service.kubernetes.io/topology-aware-hints: auto",
        }
    }

    /// Whether the EndpointSlice controller's Auto safeguards decide.
    pub fn has_safeguards(self) -> bool {
        matches!(self, Hint::TopologyModeAuto | Hint::TopologyAwareHintsAuto)
    }

    /// The `kubectl` command that sets it.
    pub fn command(self, namespace: &str, service: &str) -> String {
        match self {
            Hint::PreferSameZone | Hint::PreferClose => format!(
                "kubectl patch service {service} -n {namespace} --type merge -p '{{\"spec\":{{\"trafficDistribution\":\"{}\"}}}}'",
                if self == Hint::PreferSameZone { "PreferSameZone" } else { "PreferClose" }
            ),
            Hint::TopologyModeAuto => {
                format!(
                    "kubectl annotate service {service} -n {namespace} service.kubernetes.io/topology-mode=Auto --overwrite"
                )
            }
            Hint::TopologyAwareHintsAuto => format!(
                "kubectl annotate service {service} -n {namespace} service.kubernetes.io/topology-aware-hints=auto --overwrite"
            ),
        }
    }
}

/// The best hint a cluster of this version accepts; an unknown version gets the one
/// every supported EKS version accepts (PreferClose, 1.31+), flagged by the caller.
pub fn hint_for(version: Option<(u32, u32)>) -> Hint {
    match version {
        Some((1, m)) if m >= 34 => Hint::PreferSameZone,
        Some((1, m)) if m >= 31 => Hint::PreferClose,
        Some((1, m)) if m >= 27 => Hint::TopologyModeAuto,
        Some((1, _)) => Hint::TopologyAwareHintsAuto,
        Some(_) => Hint::PreferSameZone,
        None => Hint::PreferClose,
    }
}

/// What the Service is already set to, if it prefers its zone.
pub fn configured(s: &ServiceInfo) -> Option<&'static str> {
    match s.traffic_distribution.as_deref() {
        Some("PreferSameZone") => return Some("spec.trafficDistribution: PreferSameZone"),
        Some("PreferClose") => return Some("spec.trafficDistribution: PreferClose"),
        Some("PreferSameNode") => return Some("spec.trafficDistribution: PreferSameNode"),
        _ => {}
    }
    match s.topology_mode.as_deref().map(str::to_ascii_lowercase).as_deref() {
        Some("auto") => Some("topology-mode: Auto"),
        _ => None,
    }
}

/// Expected overload above which the Auto controller assigns no hints (KEP-2433).
pub const AUTO_OVERLOAD: f64 = 0.20;

/// Why `topology-mode: Auto` would assign no hints to this Service, if it would not
/// (the documented safeguards: fewer endpoints than zones; an expected overload above
/// 20 % when endpoints are allocated to zones by their share of allocatable CPU).
pub fn auto_blocked(s: &ServiceInfo, cluster: Option<&ClusterInfo>) -> Option<String> {
    let cpu: BTreeMap<String, f64> = cluster.map(|c| c.cpu_by_az.clone()).unwrap_or_default();
    let zones = if cpu.is_empty() { s.endpoints.len() } else { cpu.len() };
    let total = s.total_endpoints();
    if (total as usize) < zones {
        return Some(format!(
            "topology-mode Auto assigns no hints with fewer endpoints ({total}) than zones ({zones})"
        ));
    }
    let cpu_total: f64 = cpu.values().sum();
    if cpu_total > 0.0 {
        for (az, c) in &cpu {
            let cpu_share = c / cpu_total;
            let ep_share = f64::from(s.endpoints.get(az).copied().unwrap_or(0)) / f64::from(total.max(1));
            if ep_share <= 0.0 || cpu_share / ep_share - 1.0 > AUTO_OVERLOAD {
                return Some(format!(
                    "topology-mode Auto assigns no hints: {az} has {:.0} % of the nodes' vCPUs but {:.0} % of the \
                     endpoints (expected overload above {:.0} %)",
                    cpu_share * 100.0,
                    ep_share * 100.0,
                    AUTO_OVERLOAD * 100.0
                ));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hint_by_version() {
        assert_eq!(hint_for(Some((1, 35))), Hint::PreferSameZone);
        assert_eq!(hint_for(Some((1, 34))), Hint::PreferSameZone);
        assert_eq!(hint_for(Some((1, 33))), Hint::PreferClose, "PreferSameZone is alpha (off on EKS) in 1.33");
        assert_eq!(hint_for(Some((1, 31))), Hint::PreferClose);
        assert_eq!(hint_for(Some((1, 30))), Hint::TopologyModeAuto);
        assert_eq!(hint_for(Some((1, 26))), Hint::TopologyAwareHintsAuto);
        assert!(
            Hint::PreferSameZone
                .command("shop", "cart")
                .contains(r#"{"spec":{"trafficDistribution":"PreferSameZone"}}"#)
        );
        assert!(Hint::TopologyModeAuto.command("shop", "cart").contains("service.kubernetes.io/topology-mode=Auto"));
    }

    #[test]
    fn auto_safeguards() {
        let svc = |eps: &[(&str, u32)]| ServiceInfo {
            endpoints: eps.iter().map(|(a, n)| (a.to_string(), *n)).collect(),
            ..ServiceInfo::default()
        };
        let cluster = ClusterInfo {
            cpu_by_az: [("a", 8.0), ("b", 8.0), ("c", 8.0)].iter().map(|(a, c)| (a.to_string(), *c)).collect(),
            ..ClusterInfo::default()
        };
        assert!(
            auto_blocked(&svc(&[("a", 1), ("b", 1)]), Some(&cluster))
                .unwrap()
                .contains("fewer endpoints (2) than zones (3)")
        );
        assert!(auto_blocked(&svc(&[("a", 2), ("b", 2), ("c", 2)]), Some(&cluster)).is_none());
        // c: 33 % of CPU with 1 of 5 endpoints (20 %): overload 67 %.
        let why = auto_blocked(&svc(&[("a", 2), ("b", 2), ("c", 1)]), Some(&cluster)).expect("blocked");
        assert!(why.contains("c has 33 % of the nodes' vCPUs but 20 % of the endpoints"), "{why}");
    }
}
