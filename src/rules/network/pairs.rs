//! Cross-AZ traffic inside a VPC, per cluster and per (client, server) pair, split by
//! what routing hints can fix: only calls to a Service go through kube-proxy, which
//! honours zone hints. Node-to-node traffic, the control plane, pods reached directly
//! (scraping a metrics port, headless Services, StatefulSet peers) and addresses
//! nothing names are shown, never claimed.

use std::collections::BTreeMap;

use super::data::{Flow, NetworkData};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Class {
    /// A call to a Service: routing hints apply.
    Service,
    /// A pod reached on an address or port no Service routes (scraping, headless, peers).
    PodDirect,
    NodeToNode,
    ControlPlane,
    /// An end nothing names (no kubectl output for it, or it has gone).
    Unattributed,
    Other,
}

impl Class {
    pub fn label(self) -> &'static str {
        match self {
            Class::Service => "service calls (routing hints apply)",
            Class::PodDirect => "pods reached directly (scraping, headless Services, peers)",
            Class::NodeToNode => "node to node",
            Class::ControlPlane => "EKS control plane",
            Class::Unattributed => "unattributed addresses",
            Class::Other => "other",
        }
    }

    /// For statistics (the TUI shows about 36 characters of a name).
    pub fn short(self) -> &'static str {
        match self {
            Class::Service => "Service calls",
            Class::PodDirect => "pods reached directly",
            Class::NodeToNode => "node to node",
            Class::ControlPlane => "control plane",
            Class::Unattributed => "unattributed",
            Class::Other => "other",
        }
    }

    pub fn of(flow: &Flow) -> Class {
        let kinds = [flow.src_kind.as_str(), flow.dst_kind.as_str()];
        if kinds.contains(&"unknown") {
            Class::Unattributed
        } else if kinds.contains(&"control-plane") {
            Class::ControlPlane
        } else if flow.dst_kind == "service" {
            Class::Service
        } else if flow.dst_kind == "pod" {
            Class::PodDirect
        } else if kinds == ["node", "node"] {
            Class::NodeToNode
        } else {
            Class::Other
        }
    }
}

/// One (client, server) pair's traffic inside the VPC, per month.
#[derive(Debug, Clone, PartialEq)]
pub struct Pair {
    pub cluster: Option<String>,
    pub region: Option<String>,
    pub client: (String, String),
    pub server: (String, String),
    /// Bytes per (client AZ, server AZ), both known.
    pub cells: BTreeMap<(String, String), f64>,
    /// Bytes whose AZ on either side is unknown.
    pub unplaced: f64,
    pub records: u64,
    pub class: Class,
}

impl Pair {
    pub fn total(&self) -> f64 {
        self.cells.values().sum::<f64>() + self.unplaced
    }

    pub fn crossing(&self) -> f64 {
        self.cells.iter().filter(|((a, b), _)| a != b).map(|(_, v)| v).sum()
    }

    /// Crossing bytes from clients in each AZ.
    pub fn crossing_from(&self) -> BTreeMap<String, f64> {
        let mut out = BTreeMap::new();
        for ((a, b), v) in &self.cells {
            if a != b {
                *out.entry(a.clone()).or_insert(0.0) += v;
            }
        }
        out
    }

    /// All bytes from clients in each AZ.
    pub fn by_client_zone(&self) -> BTreeMap<String, f64> {
        let mut out = BTreeMap::new();
        for ((a, _), v) in &self.cells {
            *out.entry(a.clone()).or_insert(0.0) += v;
        }
        out
    }

    pub fn label(&self) -> String {
        format!("{} → {}", self.client.1, self.server.1)
    }
}

/// One cluster's (or, outside EKS, one region's) traffic inside the VPC.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Crossing {
    pub cluster: Option<String>,
    pub pairs: Vec<Pair>,
    /// First-hop bytes per (source AZ, destination or NAT gateway AZ), inside the VPC
    /// and to NAT gateways.
    pub matrix: BTreeMap<(String, String), f64>,
    /// Bytes to a NAT gateway in another AZ.
    pub to_nat_crossing: f64,
}

impl Crossing {
    pub fn crossing_by_class(&self) -> BTreeMap<Class, f64> {
        let mut out = BTreeMap::new();
        for p in &self.pairs {
            *out.entry(p.class).or_insert(0.0) += p.crossing();
        }
        out
    }

    pub fn crossing(&self) -> f64 {
        self.pairs.iter().map(Pair::crossing).sum::<f64>() + self.to_nat_crossing
    }
}

/// (cluster, (client kind, name), (server kind, name)).
type PairKey = (Option<String>, (String, String), (String, String));

/// Traffic inside the VPC grouped by cluster, then pair.
pub fn by_cluster(data: &NetworkData) -> Vec<Crossing> {
    let mut clusters: BTreeMap<Option<String>, Crossing> = BTreeMap::new();
    let mut pairs: BTreeMap<PairKey, Pair> = BTreeMap::new();
    for f in &data.flows {
        let c = clusters
            .entry(f.cluster.clone())
            .or_insert_with(|| Crossing { cluster: f.cluster.clone(), ..Crossing::default() });
        let hop = f.first_hop_az();
        if !f.src_az.is_empty() && !hop.is_empty() {
            *c.matrix.entry((f.src_az.clone(), hop.to_string())).or_insert(0.0) += f.monthly_bytes;
        }
        if f.via == "nat-gateway" {
            c.to_nat_crossing += f.crossing_bytes();
            continue;
        }
        if !f.inside_vpc() || f.via != "direct" {
            continue;
        }
        let key =
            (f.cluster.clone(), (f.src_kind.clone(), f.src_name.clone()), (f.dst_kind.clone(), f.dst_name.clone()));
        let p = pairs.entry(key).or_insert_with(|| Pair {
            cluster: f.cluster.clone(),
            region: data.region_of(f),
            client: (f.src_kind.clone(), f.src_name.clone()),
            server: (f.dst_kind.clone(), f.dst_name.clone()),
            cells: BTreeMap::new(),
            unplaced: 0.0,
            records: 0,
            class: Class::of(f),
        });
        p.records += f.records;
        if f.src_az.is_empty() || f.dst_az.is_empty() {
            p.unplaced += f.monthly_bytes;
        } else {
            *p.cells.entry((f.src_az.clone(), f.dst_az.clone())).or_insert(0.0) += f.monthly_bytes;
        }
    }
    for ((cluster, _, _), p) in pairs {
        if let Some(c) = clusters.get_mut(&cluster) {
            c.pairs.push(p);
        }
    }
    for c in clusters.values_mut() {
        c.pairs.sort_by(|a, b| b.crossing().total_cmp(&a.crossing()).then_with(|| a.label().cmp(&b.label())));
    }
    clusters.into_values().collect()
}
