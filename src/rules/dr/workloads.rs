//! Workloads and their targets, from three sources: declarations (`[[dr.workload]]` in
//! tierwise.toml, overlaid onto `dr_workloads`, and the snapshot's own `dr_workloads`
//! rows) and resource tags (`tierwise:workload`, `tierwise:rto`, `tierwise:rpo`,
//! `tierwise:dr-region`).
//!
//! Membership: a resource belongs to the workload its `tierwise:workload` tag names,
//! else to a declaration that lists it (id or ARN, `*` wildcards) or whose tag selector
//! it matches, else (an instance) to the workload of its Auto Scaling group. A resource
//! claimed by two workloads is counted in the first claim only, with a warning, so no two
//! findings price the same resource. A member in another region is still a member (that
//! is how standby capacity in the recovery region is found).
//!
//! Targets: every source that gives a target must agree. A declaration and a tag, or two
//! tags, that disagree make the workload unjudged, with one warning naming both; a tag
//! value that is not a duration is a warning naming the resource and the tag (the tag is
//! then ignored). These are data in a snapshot, so they are warnings, not exit codes;
//! two `[[dr.workload]]` entries with one name are a config error at load (exit 2).

use std::collections::{BTreeMap, HashMap, HashSet};

use super::duration::{format_minutes, parse_minutes};
use super::inventory::{Detail, Inventory, Kind};
use super::strategy::Strategy;

pub const TAG_WORKLOAD: &str = "tierwise:workload";
pub const TAG_RTO: &str = "tierwise:rto";
pub const TAG_RPO: &str = "tierwise:rpo";
pub const TAG_DR_REGION: &str = "tierwise:dr-region";

#[derive(Debug, Clone)]
pub struct Workload {
    pub name: String,
    pub rto_min: Option<f64>,
    pub rpo_min: Option<f64>,
    /// None when no member tells (a declaration without resources that match anything).
    pub primary: Option<String>,
    pub dr: Option<String>,
    /// The recovery region was inferred from where members live, not declared.
    pub dr_inferred: bool,
    pub declared_strategy: Option<Strategy>,
    /// Indices into `Inventory::resources`.
    pub members: Vec<usize>,
    /// Indices into `Inventory::posture`: rows naming this workload.
    pub posture: Vec<usize>,
    pub account: String,
    /// Where the workload was defined, for the rationale.
    pub sources: Vec<String>,
    /// Set when two sources disagree on a target: not judged.
    pub conflict: Option<String>,
}

impl Workload {
    /// The recovery region when it differs from the primary.
    pub fn recovery_region(&self) -> Option<&str> {
        match (&self.primary, &self.dr) {
            (Some(p), Some(d)) if p != d => Some(d),
            _ => None,
        }
    }
}

#[derive(Debug, Default)]
pub struct Resolution {
    pub workloads: Vec<Workload>,
    pub warnings: Vec<String>,
}

/// One value of one target, and who said it.
struct Said {
    value: String,
    minutes: Option<f64>,
    by: String,
}

#[derive(Default)]
struct Draft {
    rto: Vec<Said>,
    rpo: Vec<Said>,
    dr: Vec<Said>,
    primary: Option<String>,
    strategy: Option<Strategy>,
    sources: Vec<String>,
    members: Vec<usize>,
    tagged: usize,
}

pub fn resolve(inv: &Inventory) -> Resolution {
    let mut out = Resolution::default();
    let mut drafts: BTreeMap<String, Draft> = BTreeMap::new();
    for d in &inv.declared {
        let draft = drafts.entry(d.name.clone()).or_default();
        draft.sources.push(d.source.clone());
        let say = |list: &mut Vec<Said>, v: Option<i64>| {
            if let Some(m) = v {
                list.push(Said { value: format_minutes(m as f64), minutes: Some(m as f64), by: d.source.clone() });
            }
        };
        say(&mut draft.rto, d.rto_min);
        say(&mut draft.rpo, d.rpo_min);
        if let Some(r) = &d.dr_region {
            draft.dr.push(Said { value: r.clone(), minutes: None, by: d.source.clone() });
        }
        draft.primary = d.primary_region.clone();
        draft.strategy = match d.declared_strategy.as_deref() {
            None => None,
            Some(s) => Strategy::parse(s).or_else(|| {
                out.warnings.push(format!(
                    "{}: declared_strategy \"{s}\" is not one of {}; ignored",
                    d.source,
                    Strategy::ids()
                ));
                None
            }),
        };
    }

    // Membership: the first claim wins (tag, then a declaration's list, then its selectors).
    // Exact ids and ARNs are looked up; only wildcard patterns and selectors scan.
    let mut by_alias: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, res) in inv.resources.iter().enumerate() {
        for a in &res.aliases {
            by_alias.entry(a.as_str()).or_default().push(i);
        }
    }
    let mut claims: Vec<Vec<(String, String)>> = vec![Vec::new(); inv.resources.len()];
    for (i, res) in inv.resources.iter().enumerate() {
        if let Some(w) = res.tags.get(TAG_WORKLOAD).map(|w| w.trim()).filter(|w| !w.is_empty()) {
            claims[i].push((w.to_string(), format!("its {TAG_WORKLOAD} tag")));
        }
    }
    for d in &inv.declared {
        let mut listed: HashSet<usize> = HashSet::new();
        for p in &d.resources {
            if p.contains('*') {
                listed.extend(inv.resources.iter().enumerate().filter(|(_, r)| r.answers_to(p)).map(|(i, _)| i));
            } else if let Some(hits) = by_alias.get(p.as_str()) {
                listed.extend(hits.iter().copied());
            }
        }
        for (i, res) in inv.resources.iter().enumerate() {
            if listed.contains(&i) {
                claims[i].push((d.name.clone(), format!("the resources of {}", d.source)));
            } else if d.selectors.iter().any(|(k, v)| res.has_tag(k, v.as_deref())) {
                claims[i].push((d.name.clone(), format!("a tag selector of {}", d.source)));
            }
        }
    }
    for (i, res) in inv.resources.iter().enumerate() {
        let Some((name, first_why)) = claims[i].first().cloned() else { continue };
        if let Some((other, why)) = claims[i].iter().find(|(w, _)| *w != name) {
            out.warnings.push(format!(
                "{} {} belongs to workload `{name}` ({first_why}) and also to `{other}` ({why}): counted in `{name}` only",
                res.kind.label(),
                res.id,
            ));
        }
        let draft = drafts.entry(name).or_default();
        draft.members.push(i);
        if res.tags.contains_key(TAG_WORKLOAD) {
            draft.tagged += 1;
        }
    }
    // Instances of a member Auto Scaling group join its workload.
    let claimed: HashSet<usize> = drafts.values().flat_map(|d| d.members.iter().copied()).collect();
    let mut in_group: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
    for (i, res) in inv.resources.iter().enumerate() {
        if let Detail::Instance(s) = &res.detail
            && let Some(asg) = s.asg.as_deref()
        {
            in_group.entry((res.region.as_str(), asg)).or_default().push(i);
        }
    }
    let mut joins: Vec<(String, usize)> = Vec::new();
    for (name, draft) in &drafts {
        for &g in &draft.members {
            let group = &inv.resources[g];
            if group.kind != Kind::Group {
                continue;
            }
            let members = in_group.get(&(group.region.as_str(), group.id.as_str())).into_iter().flatten();
            joins.extend(members.filter(|i| !claimed.contains(i)).map(|&i| (name.clone(), i)));
        }
    }
    for (name, i) in joins {
        if let Some(d) = drafts.get_mut(&name) {
            d.members.push(i);
        }
    }

    // Targets from tags on members.
    for (name, draft) in drafts.iter_mut() {
        if draft.tagged > 0 {
            draft.sources.push(format!("{TAG_WORKLOAD}={name} on {} resource(s)", draft.tagged));
        }
        for &i in &draft.members {
            let res = &inv.resources[i];
            for (tag, list) in [(TAG_RTO, &mut draft.rto), (TAG_RPO, &mut draft.rpo)] {
                let Some(v) = res.tags.get(tag) else { continue };
                match parse_minutes(v) {
                    Ok(m) => list.push(Said {
                        value: format_minutes(m as f64),
                        minutes: Some(m as f64),
                        by: format!("tag {tag} on {}", res.id),
                    }),
                    Err(e) => out.warnings.push(format!(
                        "{} {}: tag {tag} = {e}; the tag is ignored",
                        res.kind.label(),
                        res.id
                    )),
                }
            }
            if let Some(v) = res.tags.get(TAG_DR_REGION).map(|v| v.trim()).filter(|v| !v.is_empty()) {
                draft.dr.push(Said {
                    value: v.to_string(),
                    minutes: None,
                    by: format!("tag {TAG_DR_REGION} on {}", res.id),
                });
            }
        }
    }

    // A workload named only by posture rows still exists (its warnings say it has no members).
    for row in &inv.posture {
        if let Some(w) = &row.workload {
            drafts.entry(w.clone()).or_default();
        }
    }

    for (name, draft) in drafts {
        let mut conflict = None;
        // The first value said, after noting the first disagreement with it.
        let mut agree = |what: &str, said: &'_ [Said]| -> Option<usize> {
            let first = said.first()?;
            if let Some(other) = said.iter().find(|s| s.value != first.value)
                && conflict.is_none()
            {
                conflict = Some(format!(
                    "workload `{name}`: conflicting {what} — {} says {}, {} says {}; not judged until they agree",
                    first.by, first.value, other.by, other.value
                ));
            }
            Some(0)
        };
        let rto = agree("RTO", &draft.rto).and_then(|i| draft.rto[i].minutes);
        let rpo = agree("RPO", &draft.rpo).and_then(|i| draft.rpo[i].minutes);
        let dr = agree("recovery region", &draft.dr).map(|i| draft.dr[i].value.clone());
        if let Some(c) = &conflict {
            out.warnings.push(c.clone());
        }
        let regions = region_counts(inv, &draft.members, dr.as_deref());
        let primary = draft.primary.clone().or_else(|| regions.first().map(|(r, _)| r.clone()));
        let mut dr_inferred = false;
        let dr = dr.or_else(|| {
            let others: Vec<&String> = draft
                .members
                .iter()
                .map(|&i| &inv.resources[i].region)
                .filter(|r| Some(*r) != primary.as_ref())
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            (others.len() == 1).then(|| {
                dr_inferred = true;
                others[0].clone()
            })
        });
        let mut accounts: BTreeMap<&str, usize> = BTreeMap::new();
        for &i in &draft.members {
            *accounts.entry(inv.resources[i].account.as_str()).or_default() += 1;
        }
        let account = accounts.iter().max_by_key(|(_, n)| **n).map(|(a, _)| a.to_string()).unwrap_or_default();
        let posture = inv
            .posture
            .iter()
            .enumerate()
            .filter(|(_, p)| p.workload.as_deref() == Some(name.as_str()))
            .map(|(i, _)| i);
        out.workloads.push(Workload {
            posture: posture.collect(),
            name,
            rto_min: rto,
            rpo_min: rpo,
            primary,
            dr,
            dr_inferred,
            declared_strategy: draft.strategy,
            members: draft.members,
            account,
            sources: draft.sources,
            conflict,
        });
    }
    out
}

/// Member regions by count (most first, then by name), leaving out the recovery region.
fn region_counts(inv: &Inventory, members: &[usize], dr: Option<&str>) -> Vec<(String, usize)> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for &i in members {
        let r = inv.resources[i].region.as_str();
        if Some(r) != dr && !r.is_empty() {
            *counts.entry(r).or_default() += 1;
        }
    }
    let mut v: Vec<(String, usize)> = counts.into_iter().map(|(r, n)| (r.to_string(), n)).collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v
}
