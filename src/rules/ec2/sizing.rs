//! The three target searches: downsizing (same family, then across families), the
//! current-generation successor, and the Graviton equivalent, over what `Demand`
//! accepts. Every candidate examined is kept with its verdict, so the evidence can show
//! why each was rejected.

use crate::pricing::InstanceSpec;
use crate::pricing::families::FamilyInfo;

use super::catalog::{Basis, Catalog, Priced};
pub use super::demand::{Demand, Misfit};

/// Candidates listed in the evidence per search.
const MAX_CONSIDERED: usize = 12;

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

    /// Note the chosen candidate: always listed (it replaces the last rejection when the list is full).
    fn choose(&mut self, p: &Priced, verdict: &str) {
        if self.considered.len() >= MAX_CONSIDERED {
            self.considered.pop();
        }
        self.considered.push(Considered {
            instance_type: p.spec.instance_type.clone(),
            usd_hour: p.usd_hour,
            verdict: verdict.to_string(),
        });
        self.chosen = Some(p.clone());
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
                search.note_with(p, || demand.explain(&p.spec, &why));
            } else {
                search.choose(p, "chosen: cheapest fitting type in the same family");
            }
        }
    }
    // Other families only for plain general/compute/memory types: an unknown family (GPU,
    // storage, HPC, …) or a special one stays in its own (or its successors).
    let cross_allowed = info.is_some_and(|f| {
        f.cross_family_target || (f.previous_generation && matches!(f.class.as_str(), "general" | "compute" | "memory"))
    }) && !current.burstable;
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
            Some(why) => search.note_with(p, || format!("other family: {}", demand.explain(&p.spec, &why))),
            None => {
                search.choose(p, "chosen: cheapest fitting type in another family (none fits in the same family)");
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
                    search.note_with(p, || demand.explain(&p.spec, &why));
                }
            } else if p.usd_hour > current_usd_hour {
                search.note(p, "like-for-like, but costs more than the current type");
            } else {
                search.choose(p, "chosen: cheapest like-for-like current-generation type");
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
                search.choose(p, "chosen: cheapest arm64 type that carries the demand");
            }
            (Some(_), None) => {
                search.choose(p, "chosen: cheapest arm64 type at least as large as the current one");
            }
            (Some(why), Some(_)) => search.note_with(p, || demand.explain(&p.spec, &why)),
        }
    }
    search
}
