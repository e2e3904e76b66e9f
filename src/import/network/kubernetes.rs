//! Kubernetes' own JSON: `kubectl get pods,services,endpointslices,nodes -A -o json`,
//! a v1 `List` whose items carry their own `kind`. Only the fields the network advisor
//! needs are read; unknown fields and other kinds are ignored.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use serde_json::Value;

use crate::snapshot::SnapshotError;

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Meta {
    #[serde(default)]
    name: String,
    #[serde(default)]
    namespace: String,
    #[serde(default)]
    labels: BTreeMap<String, String>,
    #[serde(default)]
    annotations: BTreeMap<String, String>,
    #[serde(default)]
    owner_references: Vec<OwnerRef>,
}

#[derive(Debug, Default, Deserialize)]
struct OwnerRef {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    name: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Spec {
    // Pod
    node_name: Option<String>,
    host_network: Option<bool>,
    // Service
    #[serde(rename = "clusterIP")]
    cluster_ip: Option<String>,
    selector: Option<BTreeMap<String, String>>,
    traffic_distribution: Option<String>,
    internal_traffic_policy: Option<String>,
    #[serde(rename = "type")]
    service_type: Option<String>,
    // Node
    #[serde(rename = "providerID")]
    provider_id: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct IpEntry {
    #[serde(default)]
    ip: String,
}

#[derive(Debug, Default, Deserialize)]
struct NodeAddress {
    #[serde(rename = "type", default)]
    kind: String,
    #[serde(default)]
    address: String,
}

#[derive(Debug, Default, Deserialize)]
struct Condition {
    #[serde(rename = "type", default)]
    kind: String,
    #[serde(default)]
    status: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct NodeInfo {
    #[serde(default)]
    kubelet_version: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Status {
    // Pod
    phase: Option<String>,
    #[serde(rename = "podIP")]
    pod_ip: Option<String>,
    #[serde(rename = "podIPs", default)]
    pod_ips: Vec<IpEntry>,
    // Node
    #[serde(default)]
    addresses: Vec<NodeAddress>,
    #[serde(default)]
    allocatable: BTreeMap<String, Value>,
    #[serde(default)]
    conditions: Vec<Condition>,
    node_info: Option<NodeInfo>,
}

#[derive(Debug, Default, Deserialize)]
struct EndpointConditions {
    ready: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
struct TargetRef {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    namespace: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Hints {
    #[serde(default)]
    for_zones: Vec<serde::de::IgnoredAny>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SliceEndpoint {
    #[serde(default)]
    addresses: Vec<String>,
    #[serde(default)]
    conditions: EndpointConditions,
    node_name: Option<String>,
    zone: Option<String>,
    target_ref: Option<TargetRef>,
    hints: Option<Hints>,
}

#[derive(Debug, Default, Deserialize)]
struct SlicePort {
    port: Option<i64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Item {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    metadata: Meta,
    spec: Option<Spec>,
    status: Option<Status>,
    // EndpointSlice
    address_type: Option<String>,
    endpoints: Option<Vec<SliceEndpoint>>,
    ports: Option<Vec<SlicePort>>,
}

#[derive(Debug, Deserialize)]
struct List {
    #[serde(default)]
    items: Vec<Item>,
}

/// A running pod with an address of its own.
#[derive(Debug, Clone, PartialEq)]
pub struct Pod {
    pub namespace: String,
    pub name: String,
    /// Deployment / StatefulSet / DaemonSet / Job name, or the pod's name.
    pub workload: String,
    pub node: Option<String>,
    pub ips: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    pub namespace: String,
    pub name: String,
    pub headless: bool,
    pub has_selector: bool,
    pub traffic_distribution: Option<String>,
    /// `service.kubernetes.io/topology-mode`, else the legacy `topology-aware-hints` annotation.
    pub topology_mode: Option<String>,
    pub internal_traffic_policy: Option<String>,
    pub service_type: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Endpoint {
    pub addresses: Vec<String>,
    pub ready: bool,
    pub zone: Option<String>,
    pub node: Option<String>,
    /// (namespace, pod name) of a Pod target.
    pub pod: Option<(String, String)>,
    pub zone_hinted: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Slice {
    pub namespace: String,
    pub service: String,
    pub ipv4: bool,
    /// Target ports on the endpoints.
    pub ports: Vec<u16>,
    pub endpoints: Vec<Endpoint>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub name: String,
    pub internal_ips: Vec<String>,
    pub zone_name: Option<String>,
    pub zone_id: Option<String>,
    pub ready: bool,
    pub cpu: f64,
    /// Kubernetes minor version of the kubelet, e.g. `1.33`.
    pub kubelet_minor: Option<String>,
    pub instance_id: Option<String>,
    pub cluster_label: Option<String>,
}

/// One kubectl List.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct KubeObjects {
    pub pods: Vec<Pod>,
    pub services: Vec<Service>,
    pub slices: Vec<Slice>,
    pub nodes: Vec<Node>,
}

/// True for a kubectl `List` (or `PodList`, …) document.
pub fn is_kube_list(value: &Value) -> bool {
    value.get("kind").and_then(Value::as_str).is_some_and(|k| k == "List" || k.ends_with("List"))
        && value.get("items").is_some_and(Value::is_array)
        && value.get("apiVersion").is_some()
}

fn workload(meta: &Meta) -> String {
    let Some(owner) = meta.owner_references.first() else { return meta.name.clone() };
    match owner.kind.as_str() {
        "ReplicaSet" => match meta.labels.get("pod-template-hash") {
            Some(hash) => owner.name.strip_suffix(&format!("-{hash}")).unwrap_or(&owner.name).to_string(),
            None => owner.name.rsplit_once('-').map(|(w, _)| w.to_string()).unwrap_or_else(|| owner.name.clone()),
        },
        // A CronJob's jobs are named <cronjob>-<schedule time>.
        "Job" => match owner.name.rsplit_once('-') {
            Some((w, n)) if n.bytes().all(|b| b.is_ascii_digit()) => w.to_string(),
            _ => owner.name.clone(),
        },
        _ => owner.name.clone(),
    }
}

/// `1930m` or `2` vCPUs.
fn cpu(v: &Value) -> f64 {
    let s = match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    match s.strip_suffix('m') {
        Some(milli) => milli.parse::<f64>().map(|m| m / 1000.0).unwrap_or(0.0),
        None => s.parse().unwrap_or(0.0),
    }
}

/// `v1.33.1-eks-1234567` → `1.33`.
pub fn minor_version(kubelet: &str) -> Option<String> {
    let v = kubelet.trim_start_matches('v');
    let mut parts = v.split(['.', '-', '+']);
    let (major, minor) = (parts.next()?, parts.next()?);
    (major.bytes().all(|b| b.is_ascii_digit()) && minor.bytes().all(|b| b.is_ascii_digit()) && !minor.is_empty())
        .then(|| format!("{major}.{minor}"))
}

/// Parse a kubectl List file.
pub fn parse(path: &Path, text: &str) -> Result<KubeObjects, SnapshotError> {
    let de = &mut serde_json::Deserializer::from_str(text);
    let list: List = serde_path_to_error::deserialize(de).map_err(|e| SnapshotError::Unreadable {
        path: path.to_path_buf(),
        what: "kubectl List (kubectl get pods,services,endpointslices,nodes -A -o json)",
        detail: format!("field `{}`: {}", e.path(), e.inner()),
    })?;
    let mut out = KubeObjects::default();
    for item in list.items {
        let meta = &item.metadata;
        match item.kind.as_str() {
            "Pod" => {
                let spec = item.spec.unwrap_or_default();
                let status = item.status.unwrap_or_default();
                // Finished pods keep their address, which a running pod may reuse.
                if status.phase.as_deref() != Some("Running") || spec.host_network == Some(true) {
                    continue;
                }
                let mut ips: Vec<String> =
                    status.pod_ips.into_iter().map(|p| p.ip).filter(|ip| !ip.is_empty()).collect();
                if ips.is_empty() {
                    ips.extend(status.pod_ip);
                }
                if ips.is_empty() {
                    continue;
                }
                out.pods.push(Pod {
                    namespace: meta.namespace.clone(),
                    name: meta.name.clone(),
                    workload: workload(meta),
                    node: spec.node_name,
                    ips,
                });
            }
            "Service" => {
                let spec = item.spec.unwrap_or_default();
                let annotation = |k: &str| meta.annotations.get(k).cloned();
                out.services.push(Service {
                    namespace: meta.namespace.clone(),
                    name: meta.name.clone(),
                    headless: spec.cluster_ip.as_deref() == Some("None"),
                    has_selector: spec.selector.is_some_and(|s| !s.is_empty()),
                    traffic_distribution: spec.traffic_distribution,
                    topology_mode: annotation("service.kubernetes.io/topology-mode")
                        .or_else(|| annotation("service.kubernetes.io/topology-aware-hints")),
                    internal_traffic_policy: spec.internal_traffic_policy,
                    service_type: spec.service_type,
                });
            }
            "EndpointSlice" => {
                let Some(service) = meta.labels.get("kubernetes.io/service-name") else { continue };
                let endpoints = item
                    .endpoints
                    .unwrap_or_default()
                    .into_iter()
                    .map(|e| Endpoint {
                        addresses: e.addresses,
                        // An absent `ready` is unknown, to be read as ready (API docs).
                        ready: e.conditions.ready != Some(false),
                        zone: e.zone,
                        node: e.node_name,
                        pod: e.target_ref.filter(|t| t.kind == "Pod").map(|t| {
                            (if t.namespace.is_empty() { meta.namespace.clone() } else { t.namespace }, t.name)
                        }),
                        zone_hinted: e.hints.is_some_and(|h| !h.for_zones.is_empty()),
                    })
                    .collect();
                out.slices.push(Slice {
                    namespace: meta.namespace.clone(),
                    service: service.clone(),
                    ipv4: item.address_type.as_deref().is_none_or(|t| t == "IPv4"),
                    ports: item
                        .ports
                        .unwrap_or_default()
                        .into_iter()
                        .filter_map(|p| p.port.and_then(|p| u16::try_from(p).ok()))
                        .collect(),
                    endpoints,
                });
            }
            "Node" => {
                let spec = item.spec.unwrap_or_default();
                let status = item.status.unwrap_or_default();
                let label = |k: &str| meta.labels.get(k).cloned();
                let provider = spec.provider_id.unwrap_or_default();
                // aws:///us-east-1a/i-0123…
                let mut provider_parts = provider.trim_start_matches("aws:///").split('/');
                let provider_zone = provider_parts.next().filter(|z| !z.is_empty()).map(str::to_string);
                let instance_id = provider_parts.next().filter(|i| i.starts_with("i-")).map(str::to_string);
                out.nodes.push(Node {
                    name: meta.name.clone(),
                    internal_ips: status
                        .addresses
                        .iter()
                        .filter(|a| a.kind == "InternalIP")
                        .map(|a| a.address.clone())
                        .collect(),
                    zone_name: label("topology.kubernetes.io/zone")
                        .or_else(|| label("failure-domain.beta.kubernetes.io/zone"))
                        .or(provider_zone),
                    zone_id: label("topology.k8s.aws/zone-id"),
                    ready: status.conditions.iter().any(|c| c.kind == "Ready" && c.status == "True"),
                    cpu: status.allocatable.get("cpu").map(cpu).unwrap_or(0.0),
                    kubelet_minor: status.node_info.and_then(|i| minor_version(&i.kubelet_version)),
                    instance_id,
                    cluster_label: label("alpha.eksctl.io/cluster-name"),
                });
            }
            _ => {}
        }
    }
    Ok(out)
}

impl KubeObjects {
    /// The lowest kubelet minor version: a lower bound of the control plane's.
    pub fn kubelet_version(&self) -> Option<String> {
        self.nodes
            .iter()
            .filter_map(|n| n.kubelet_minor.clone())
            .min_by_key(|v| v.split_once('.').and_then(|(_, m)| m.parse::<u32>().ok()).unwrap_or(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_and_workloads() {
        assert_eq!(minor_version("v1.33.1-eks-1234567").as_deref(), Some("1.33"));
        assert_eq!(minor_version("v1.29.0").as_deref(), Some("1.29"));
        assert_eq!(minor_version("garbage"), None);
        let meta = |kind: &str, owner: &str, hash: Option<&str>| Meta {
            name: "p-1".into(),
            owner_references: vec![OwnerRef { kind: kind.into(), name: owner.into() }],
            labels: hash.map(|h| [("pod-template-hash".to_string(), h.to_string())].into()).unwrap_or_default(),
            ..Meta::default()
        };
        assert_eq!(workload(&meta("ReplicaSet", "checkout-6f7c9d8b5d", Some("6f7c9d8b5d"))), "checkout");
        assert_eq!(workload(&meta("ReplicaSet", "cart-api-5d4c", None)), "cart-api");
        assert_eq!(workload(&meta("StatefulSet", "db", None)), "db");
        assert_eq!(workload(&meta("Job", "nightly-29384756", None)), "nightly");
        assert_eq!(cpu(&Value::String("1930m".into())), 1.93);
        assert_eq!(cpu(&Value::String("4".into())), 4.0);
    }

    #[test]
    fn a_wrong_type_names_the_field() {
        let err = parse(
            Path::new("k.json"),
            r#"{"apiVersion":"v1","kind":"List","items":[{"kind":"Pod","metadata":{"name":3}}]}"#,
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("k.json") && err.contains("items[0].metadata.name"), "{err}");
    }
}
