//! EC2 instance families as the advisor sees them, embedded from `data/ec2_families.csv`:
//! class, architecture, previous-generation flag with its current-generation successors,
//! the Graviton (arm64) counterpart, and whether a family is offered as a target when
//! rightsizing across families. Data, not code: see data/pricing/README.md.

use std::collections::HashMap;
use std::sync::LazyLock;

use crate::csv_text;

const FAMILIES_CSV: &str = include_str!("../../data/ec2_families.csv");

/// One row of `data/ec2_families.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct FamilyInfo {
    pub family: String,
    /// general | compute | memory | burstable | storage | accelerated
    pub class: String,
    /// `x86_64` or `arm64`.
    pub architecture: String,
    /// AWS lists the family as previous generation.
    pub previous_generation: bool,
    /// Current-generation families to move a previous-generation family to, in order of preference.
    pub successors: Vec<String>,
    /// The arm64 family that runs the same workload class; `None` when there is none.
    pub graviton: Option<String>,
    /// Offered as a target when a workload is resized into another family.
    pub cross_family_target: bool,
    pub note: String,
}

impl FamilyInfo {
    pub fn is_burstable(&self) -> bool {
        self.class == "burstable"
    }
}

/// The embedded family table.
#[derive(Debug)]
pub struct Families {
    by_name: HashMap<String, FamilyInfo>,
    order: Vec<String>,
}

static EMBEDDED: LazyLock<Families> = LazyLock::new(|| Families::parse(FAMILIES_CSV));

impl Families {
    pub fn embedded() -> &'static Families {
        &EMBEDDED
    }

    fn parse(text: &str) -> Families {
        let mut by_name = HashMap::new();
        let mut order = Vec::new();
        // family,class,architecture,previous_generation,successor_families,graviton_family,cross_family_target,note
        for row in csv_text::parse(text).iter().skip(1).filter(|r| r.len() >= 8) {
            let list = |s: &str| s.split(';').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect();
            let info = FamilyInfo {
                family: row[0].clone(),
                class: row[1].clone(),
                architecture: row[2].clone(),
                previous_generation: row[3] == "true",
                successors: list(&row[4]),
                graviton: Some(row[5].trim().to_string()).filter(|s| !s.is_empty()),
                cross_family_target: row[6] == "true",
                note: row[7].clone(),
            };
            order.push(info.family.clone());
            by_name.insert(info.family.clone(), info);
        }
        Families { by_name, order }
    }

    pub fn get(&self, family: &str) -> Option<&FamilyInfo> {
        self.by_name.get(family)
    }

    /// Every family, in file order.
    pub fn iter(&self) -> impl Iterator<Item = &FamilyInfo> {
        self.order.iter().filter_map(|f| self.by_name.get(f))
    }
}

/// The family of an instance type: `m5.2xlarge` → `m5`, `c7i-flex.large` → `c7i-flex`.
pub fn family_of(instance_type: &str) -> &str {
    instance_type.split('.').next().unwrap_or(instance_type)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pricing::PriceBook;

    fn priced_types(book: &PriceBook, family: &str) -> Vec<String> {
        book.instances()
            .filter(|s| s.family == family && book.ec2_hourly("us-east-1", &s.instance_type, "linux").is_ok())
            .map(|s| s.instance_type.clone())
            .collect()
    }

    #[test]
    fn every_mapped_family_has_specs_and_prices() {
        let book = PriceBook::embedded();
        let families = Families::embedded();
        assert_eq!(families.iter().count(), FAMILIES_CSV.lines().count() - 1, "every row parses");
        for f in families.iter() {
            for target in f.successors.iter().chain(&f.graviton) {
                assert!(
                    !priced_types(&book, target).is_empty(),
                    "{} → {target}: no type with specs and a price",
                    f.family
                );
                let info = families.get(target).unwrap_or_else(|| panic!("{target} (from {}) has no row", f.family));
                assert!(!info.previous_generation, "{} → {target}: target is previous generation", f.family);
            }
            if let Some(g) = &f.graviton {
                assert!(priced_types(&book, g).iter().all(|t| book.instance(t).is_some_and(|s| s.is_arm64())));
                assert_eq!(f.architecture, "x86_64", "{} maps to Graviton but is not x86", f.family);
            }
            assert_eq!(
                f.previous_generation,
                !f.successors.is_empty(),
                "{}: previous generation ⇔ successors",
                f.family
            );
        }
    }

    #[test]
    fn architecture_and_class_agree_with_the_specs() {
        let book = PriceBook::embedded();
        for f in Families::embedded().iter() {
            for spec in book.instances().filter(|s| s.family == f.family) {
                assert_eq!(spec.is_arm64(), f.architecture == "arm64", "{}", spec.instance_type);
                // moto lists t1.micro as not burstable; every burstable type must be in a burstable family.
                assert!(!spec.burstable || f.is_burstable(), "{}", spec.instance_type);
            }
        }
    }

    #[test]
    fn the_brief_mappings_hold() {
        let families = Families::embedded();
        let graviton = |f: &str| families.get(f).and_then(|i| i.graviton.clone());
        for (from, to) in [("m5", "m7g"), ("m6i", "m7g"), ("c5", "c7g"), ("r5", "r7g"), ("t3", "t4g"), ("m4", "m7g")] {
            assert_eq!(graviton(from).as_deref(), Some(to), "{from}");
        }
        assert_eq!(families.get("m4").map(|f| f.successors.clone()), Some(vec!["m6i".into(), "m5".into()]));
        assert_eq!(families.get("t2").map(|f| f.successors.clone()), Some(vec!["t3".into()]));
        assert!(families.get("m7g").is_some_and(|f| f.graviton.is_none() && !f.previous_generation));
        assert_eq!(family_of("c7i-flex.large"), "c7i-flex");
    }
}
