//! Demand (what an instance needs, with headroom) and the three target searches:
//! downsizing (same family, then across families), the current-generation successor,
//! and the Graviton equivalent. Every candidate examined is kept with its verdict, so
//! the evidence can show why each was rejected.

use crate::pricing::InstanceSpec;
use crate::pricing::families::FamilyInfo;

use super::catalog::{Basis, Catalog, Priced, network_gbps};
use super::settings::Sizing;
use super::stats::Usage;

/// Memory sizes within 3 % count as equal (r4.large's 15.25 GiB vs r6i.large's 16 GiB).
const EQUAL_MEMORY_TOLERANCE: f64 = 0.97;
/// Candidates listed in the evidence per search.
const MAX_CONSIDERED: usize = 12;

/// What the current instance uses, and what a target must provide.
#[derive(Debug, Clone)]
pub struct Demand {
    pub vcpus: f64,
    pub memory_gib: f64,
    /// CPU at the chosen statistic, percent of the current vCPUs.
    pub cpu_pct: f64,
    pub memory_pct: Option<f64>,
    /// Busiest hour's average rate, in + out, Gbit/s.
    pub network_gbps: f64,
    pub vcpus_needed: f64,
    pub memory_needed_gib: Option<f64>,
    pub network_needed_gbps: f64,
}

impl Demand {
    pub fn new(spec: &InstanceSpec, usage: &Usage, sizing: &Sizing) -> Demand {
        let vcpus = spec.vcpus as f64;
        let memory_gib = spec.memory_gib();
        let cpu_pct = usage.cpu_at(sizing.cpu_statistic);
        let peak_gbps = usage.net_peak_bytes_per_s * 8.0 / 1e9;
        Demand {
            vcpus,
            memory_gib,
            cpu_pct,
            memory_pct: usage.mem_p995,
            network_gbps: peak_gbps,
            vcpus_needed: vcpus * cpu_pct / sizing.cpu_ceiling_pct(),
            memory_needed_gib: usage.mem_p995.map(|m| memory_gib * m / sizing.memory_ceiling_pct()),
            network_needed_gbps: peak_gbps * 100.0 / sizing.network_ceiling_pct(),
        }
    }

    /// Which resource `spec` lacks to carry the demand with headroom; `None` when it fits.
    pub fn misfit(&self, spec: &InstanceSpec) -> Option<Misfit> {
        let vcpus = spec.vcpus as f64;
        let mem = spec.memory_gib();
        if vcpus + 1e-9 < self.vcpus_needed {
            return Some(Misfit::Vcpu);
        }
        match self.memory_needed_gib {
            Some(needed) if mem + 1e-9 < needed => return Some(Misfit::Memory),
            None if mem / vcpus + 1e-9 < self.memory_gib / self.vcpus * EQUAL_MEMORY_TOLERANCE => {
                return Some(Misfit::MemoryPerVcpu);
            }
            _ => {}
        }
        self.network_misfit(spec)
    }

    fn network_misfit(&self, spec: &InstanceSpec) -> Option<Misfit> {
        (network_gbps(spec) + 1e-12 < self.network_needed_gbps).then_some(Misfit::Network)
    }

    /// At least the current vCPUs and memory (and enough network): a like-for-like move.
    pub fn unlike(&self, spec: &InstanceSpec) -> Option<Misfit> {
        if (spec.vcpus as f64) < self.vcpus {
            return Some(Misfit::SmallerVcpu);
        }
        if spec.memory_gib() < self.memory_gib * EQUAL_MEMORY_TOLERANCE {
            return Some(Misfit::SmallerMemory);
        }
        self.network_misfit(spec)
    }

    /// The reason, in words, for the evidence.
    pub fn explain(&self, spec: &InstanceSpec, why: Misfit) -> String {
        let mem = spec.memory_gib();
        match why {
            Misfit::Vcpu => format!("{} vCPU < {:.2} needed", spec.vcpus, self.vcpus_needed),
            Misfit::Memory => format!("{mem:.1} GiB memory < {:.1} GiB needed", self.memory_needed_gib.unwrap_or(0.0)),
            Misfit::MemoryPerVcpu => format!(
                "{:.1} GiB per vCPU < {:.1} now (memory is not measured, so its ratio is kept)",
                mem / spec.vcpus as f64,
                self.memory_gib / self.vcpus
            ),
            Misfit::Network => {
                format!("network {} Gbit/s < {:.2} Gbit/s needed", network_gbps(spec), self.network_needed_gbps)
            }
            Misfit::SmallerVcpu => format!("{} vCPU < {} now", spec.vcpus, self.vcpus),
            Misfit::SmallerMemory => format!("{mem:.1} GiB < {:.1} GiB now", self.memory_gib),
        }
    }

    fn smaller(&self, spec: &InstanceSpec) -> bool {
        (spec.vcpus as f64) < self.vcpus || spec.memory_gib() < self.memory_gib * EQUAL_MEMORY_TOLERANCE
    }

    /// Projected utilisation on `spec`: (CPU %, memory % when measured, network % of listed bandwidth).
    pub fn projected(&self, spec: &InstanceSpec) -> (f64, Option<f64>, f64) {
        let cpu = self.cpu_pct * self.vcpus / spec.vcpus as f64;
        let mem = self.memory_pct.map(|m| m * self.memory_gib / spec.memory_gib());
        let net = 100.0 * self.network_gbps / network_gbps(spec).max(1e-9);
        (cpu, mem, net)
    }

    /// Compute Optimizer-style performance risk 0–4: the maximum over CPU, memory and
    /// network of how close the target runs to full at the statistic.
    pub fn performance_risk(&self, spec: &InstanceSpec) -> u8 {
        let bucket = |u: f64| match u {
            u if u < 40.0 => 0,
            u if u < 60.0 => 1,
            u if u < 75.0 => 2,
            u if u < 90.0 => 3,
            _ => 4,
        };
        let (cpu, mem, net) = self.projected(spec);
        let mem_risk = match mem {
            Some(m) => bucket(m),
            // Unmeasured memory shrinking is a real but unknown risk.
            None if spec.memory_gib() < self.memory_gib * EQUAL_MEMORY_TOLERANCE => 2,
            None => 0,
        };
        bucket(cpu).max(mem_risk).max(bucket(net))
    }
}

/// What a candidate lacks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Misfit {
    Vcpu,
    Memory,
    /// Memory is not measured and the candidate has less memory per vCPU.
    MemoryPerVcpu,
    Network,
    /// Not like-for-like: fewer vCPUs than now.
    SmallerVcpu,
    /// Not like-for-like: less memory than now.
    SmallerMemory,
}

/// One candidate examined, for the evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct Considered {
    pub instance_type: String,
    pub usd_hour: f64,
    pub verdict: String,
}

/// The outcome of one search.
#[derive(Debug, Clone)]
pub struct Search {
    pub chosen: Option<Priced>,
    /// True when the target came from another family (after the home families had none).
    pub cross_family: bool,
    pub considered: Vec<Considered>,
    /// Dearer types noted after the chosen one (one is shown, as "the next step up").
    noted_after_choice: usize,
}

impl Search {
    fn new() -> Self {
        Search { chosen: None, cross_family: false, considered: Vec::new(), noted_after_choice: 0 }
    }

    /// Note the first type dearer than the chosen one; skip the rest.
    fn note_dearer(&mut self, p: &Priced, verdict: &str) {
        if self.noted_after_choice == 0 {
            self.note(p, verdict);
        }
        self.noted_after_choice += 1;
    }

    fn note(&mut self, p: &Priced, verdict: impl Into<String>) {
        self.note_with(p, || verdict.into());
    }

    /// Note a candidate, building the verdict only when it is kept.
    fn note_with(&mut self, p: &Priced, verdict: impl FnOnce() -> String) {
        if self.considered.len() < MAX_CONSIDERED {
            self.considered.push(Considered {
                instance_type: p.spec.instance_type.clone(),
                usd_hour: p.usd_hour,
                verdict: verdict(),
            });
        }
    }
}

/// Families a workload is resized within first: its own, or — for a previous generation — its successors.
pub fn home_families(current: &InstanceSpec, info: Option<&FamilyInfo>) -> Vec<String> {
    match info {
        Some(f) if f.previous_generation => f.successors.clone(),
        _ => vec![current.family.clone()],
    }
}

/// The cheapest smaller type that carries the demand: in the home families first, then —
/// for non-burstable, non-special instances — in every cross-family target of the same architecture.
pub fn downsize(
    catalog: &Catalog,
    basis: &Basis,
    current: &InstanceSpec,
    current_usd_hour: f64,
    demand: &Demand,
) -> Search {
    let info = catalog.family(&current.instance_type);
    let mut search = Search::new();
    let arch_ok = |p: &Priced| p.spec.is_arm64() == current.is_arm64();
    for family in home_families(current, info) {
        for p in catalog.family_list(basis, &family).iter().filter(|p| arch_ok(p)) {
            if search.chosen.is_some() {
                search.note_dearer(p, "costs more than the chosen type");
            } else if p.usd_hour >= current_usd_hour {
                if p.spec.instance_type == current.instance_type {
                    search.note(p, "the current type");
                }
            } else if !demand.smaller(&p.spec) {
                search.note(p, "not smaller than the current type (see ec2.previous-generation)");
            } else if let Some(why) = demand.misfit(&p.spec) {
                search.note_with(p, || demand.explain(&p.spec, why));
            } else {
                search.note(p, "chosen: cheapest fitting type in the same family");
                search.chosen = Some(p.clone());
            }
        }
    }
    let cross_allowed = info.is_none_or(|f| f.cross_family_target || f.previous_generation) && !current.burstable;
    if search.chosen.is_some() || !cross_allowed {
        return search;
    }
    let arch = if current.is_arm64() { "arm64" } else { "x86_64" };
    let home = home_families(current, info);
    for p in catalog.cross_family_list(basis, arch).iter() {
        if p.usd_hour >= current_usd_hour {
            break;
        }
        if home.contains(&p.spec.family) || !demand.smaller(&p.spec) {
            continue;
        }
        match demand.misfit(&p.spec) {
            Some(why) => search.note_with(p, || format!("other family: {}", demand.explain(&p.spec, why))),
            None => {
                search.note(p, "chosen: cheapest fitting type in another family (none fits in the same family)");
                search.chosen = Some(p.clone());
                search.cross_family = true;
                break;
            }
        }
    }
    search
}

/// The cheapest like-for-like type in the successor families, at most the current price.
pub fn successor(
    catalog: &Catalog,
    basis: &Basis,
    info: &FamilyInfo,
    current_usd_hour: f64,
    demand: &Demand,
) -> Search {
    let mut search = Search::new();
    for family in &info.successors {
        for p in catalog.family_list(basis, family).iter() {
            if search.chosen.is_some() {
                continue;
            }
            if let Some(why) = demand.unlike(&p.spec) {
                if (p.spec.vcpus as f64) >= demand.vcpus {
                    search.note_with(p, || demand.explain(&p.spec, why));
                }
            } else if p.usd_hour > current_usd_hour {
                search.note(p, "like-for-like, but costs more than the current type");
            } else {
                search.note(p, "chosen: cheapest like-for-like current-generation type");
                search.chosen = Some(p.clone());
            }
        }
    }
    search
}

/// The cheapest type of the Graviton counterpart family that carries the demand — or, with
/// `allow_equivalent`, that is at least as large as the current type.
pub fn graviton(
    catalog: &Catalog,
    basis: &Basis,
    graviton_family: &str,
    demand: &Demand,
    allow_equivalent: bool,
) -> Search {
    let mut search = Search::new();
    for p in catalog.family_list(basis, graviton_family).iter() {
        if search.chosen.is_some() {
            search.note_dearer(p, "costs more than the chosen arm64 type");
            continue;
        }
        let fits = demand.misfit(&p.spec);
        let like = if allow_equivalent { demand.unlike(&p.spec) } else { Some(Misfit::SmallerVcpu) };
        match (fits, like) {
            (None, _) => {
                search.note(p, "chosen: cheapest arm64 type that carries the demand");
                search.chosen = Some(p.clone());
            }
            (Some(_), None) => {
                search.note(p, "chosen: cheapest arm64 type at least as large as the current one");
                search.chosen = Some(p.clone());
            }
            (Some(why), Some(_)) => search.note_with(p, || demand.explain(&p.spec, why)),
        }
    }
    search
}
