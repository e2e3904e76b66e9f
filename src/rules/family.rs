//! A rule family: the rules of one area (EBS, EC2, S3, …), the parameters they share
//! and how they relate. Each family lives in its own folder (`src/rules/<name>/`) and
//! exports one `FAMILY`; `src/rules/mod.rs` lists the families, one line each.

use super::{Param, Rule};

pub struct Family {
    /// Short name: the `[rules.<name>]` table of tierwise.toml, and the rule id prefix.
    pub name: &'static str,
    pub title: &'static str,
    /// How the family's rules share work and avoid counting the same dollars twice.
    pub doc: &'static str,
    /// Parameters every rule of the family shares, set once under `[rules.<name>]`.
    pub params: &'static [Param],
    /// The family's rules, in display order.
    pub rules: &'static [&'static dyn Rule],
}

impl Family {
    pub fn rule(&self, id: &str) -> Option<&'static dyn Rule> {
        self.rules.iter().copied().find(|r| r.id() == id)
    }

    pub fn param(&self, name: &str) -> Option<&'static Param> {
        self.params.iter().find(|p| p.name == name)
    }
}
