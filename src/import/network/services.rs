//! kubectl objects → `eks_services` (routing settings and ready endpoints per AZ id)
//! and the cluster rows of `eks_clusters` (version, node vCPUs per AZ).

use std::collections::BTreeMap;

use polars::prelude::DataFrame;

use super::inventory::{ClusterRow, Inventory};
use super::kubernetes::KubeObjects;
use crate::snapshot::builder::FrameBuilder;
use crate::snapshot::{FrameName, SnapshotError};

/// Zone id of a zone name: the kubectl node labels first, then the AWS zone map.
fn zone_id(k: &KubeObjects, inv: &Inventory, zone_name: &str) -> Option<String> {
    k.nodes
        .iter()
        .find(|n| n.zone_name.as_deref() == Some(zone_name) && n.zone_id.is_some())
        .and_then(|n| n.zone_id.clone())
        .or_else(|| inv.zone_id(zone_name).map(str::to_string))
}

fn node_zone(k: &KubeObjects, inv: &Inventory, node: &str) -> Option<String> {
    let n = k.nodes.iter().find(|n| n.name == node)?;
    n.zone_id.clone().or_else(|| n.zone_name.as_deref().and_then(|z| zone_id(k, inv, z)))
}

fn json_counts<V: serde::Serialize>(m: &BTreeMap<String, V>) -> String {
    serde_json::to_string(m).unwrap_or_else(|_| "{}".into())
}

/// The cluster row kubectl can tell: the lowest kubelet version (a lower bound of the
/// control plane's) and the allocatable vCPUs of Ready nodes per AZ id.
pub fn cluster_row(name: &str, k: &KubeObjects, inv: &Inventory) -> ClusterRow {
    let mut cpu: BTreeMap<String, f64> = BTreeMap::new();
    for n in k.nodes.iter().filter(|n| n.ready) {
        let az = n.zone_id.clone().or_else(|| n.zone_name.as_deref().and_then(|z| zone_id(k, inv, z)));
        if let Some(az) = az {
            *cpu.entry(az).or_insert(0.0) += (n.cpu * 1000.0).round() / 1000.0;
        }
    }
    let version = k.kubelet_version();
    ClusterRow {
        eks_cluster: name.to_string(),
        version_source: version.as_ref().map(|_| "kubelet".to_string()),
        kubernetes_version: version,
        node_cpu_by_az: (!cpu.is_empty()).then(|| json_counts(&cpu)),
        ..ClusterRow::default()
    }
}

/// One `eks_services` frame for every cluster's Services (the API server's `kubernetes`
/// Service excluded).
pub fn eks_services(clusters: &[(String, KubeObjects)], inv: &Inventory) -> Result<Option<DataFrame>, SnapshotError> {
    let mut b = FrameBuilder::new(FrameName::EksServices);
    for (cluster, k) in clusters {
        for s in &k.services {
            if s.namespace == "default" && s.name == "kubernetes" {
                continue;
            }
            let mut by_az: BTreeMap<String, u32> = BTreeMap::new();
            let mut ready = 0;
            let mut hinted = 0;
            for slice in k.slices.iter().filter(|x| x.namespace == s.namespace && x.service == s.name) {
                for e in slice.endpoints.iter().filter(|e| e.ready) {
                    ready += 1;
                    hinted += u32::from(e.zone_hinted);
                    let az = e
                        .zone
                        .as_deref()
                        .and_then(|z| zone_id(k, inv, z))
                        .or_else(|| e.node.as_deref().and_then(|n| node_zone(k, inv, n)));
                    *by_az.entry(az.unwrap_or_else(|| "unknown".into())).or_insert(0) += 1;
                }
            }
            b.row([
                ("eks_cluster", cluster.clone().into()),
                ("namespace", s.namespace.clone().into()),
                ("service", s.name.clone().into()),
                ("traffic_distribution", s.traffic_distribution.clone().into()),
                ("topology_mode", s.topology_mode.clone().into()),
                ("endpoints_by_az", json_counts(&by_az).into()),
                ("internal_traffic_policy", s.internal_traffic_policy.clone().into()),
                ("zone_hints", (ready > 0).then_some(hinted == ready).into()),
            ])?;
        }
    }
    if b.is_empty() {
        return Ok(None);
    }
    Ok(Some(b.finish()?))
}
