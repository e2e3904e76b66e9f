//! Filters on the findings: by category, region, account, rule and tag, and the
//! values each one can take in the current report.

use std::collections::BTreeSet;

use crate::report::{Category, Finding};

/// A dimension findings can be filtered on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterField {
    Category,
    Region,
    Account,
    Rule,
    /// `key=value`
    Tag,
}

impl FilterField {
    pub const ALL: [FilterField; 5] =
        [FilterField::Category, FilterField::Region, FilterField::Account, FilterField::Rule, FilterField::Tag];

    pub fn title(self) -> &'static str {
        match self {
            FilterField::Category => "category",
            FilterField::Region => "region",
            FilterField::Account => "account",
            FilterField::Rule => "rule",
            FilterField::Tag => "tag",
        }
    }
}

/// The active filters; `None` keeps everything.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filters {
    pub category: Option<Category>,
    pub region: Option<String>,
    pub account: Option<String>,
    pub rule: Option<String>,
    /// `key=value`
    pub tag: Option<String>,
}

impl Filters {
    pub fn is_empty(&self) -> bool {
        *self == Filters::default()
    }

    pub fn get(&self, field: FilterField) -> Option<String> {
        match field {
            FilterField::Category => self.category.map(|c| c.as_str().to_string()),
            FilterField::Region => self.region.clone(),
            FilterField::Account => self.account.clone(),
            FilterField::Rule => self.rule.clone(),
            FilterField::Tag => self.tag.clone(),
        }
    }

    /// Set one filter; an unknown category name clears it.
    pub fn set(&mut self, field: FilterField, value: Option<String>) {
        match field {
            FilterField::Category => self.category = value.as_deref().and_then(Category::parse),
            FilterField::Region => self.region = value,
            FilterField::Account => self.account = value,
            FilterField::Rule => self.rule = value,
            FilterField::Tag => self.tag = value,
        }
    }

    pub fn keeps(&self, f: &Finding) -> bool {
        self.category.is_none_or(|c| f.category == c)
            && self.region.as_ref().is_none_or(|r| f.resource.region == *r)
            && self.account.as_ref().is_none_or(|a| f.resource.account_id == *a)
            && self.rule.as_ref().is_none_or(|r| f.rule == *r)
            && self.tag.as_ref().is_none_or(|t| {
                let (k, v) = t.split_once('=').unwrap_or((t.as_str(), ""));
                f.resource.tags.get(k).is_some_and(|have| have == v)
            })
    }
}

/// The values each filter can cycle through, taken from the report.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FilterChoices {
    pub categories: Vec<Category>,
    pub regions: Vec<String>,
    pub accounts: Vec<String>,
    pub rules: Vec<String>,
    pub tags: Vec<String>,
}

impl FilterChoices {
    pub fn from_findings(findings: &[Finding]) -> FilterChoices {
        let mut categories = BTreeSet::new();
        let mut regions = BTreeSet::new();
        let mut accounts = BTreeSet::new();
        let mut rules = BTreeSet::new();
        let mut tags = BTreeSet::new();
        for f in findings {
            categories.insert(f.category);
            if !regions.contains(&f.resource.region) {
                regions.insert(f.resource.region.clone());
            }
            if !accounts.contains(&f.resource.account_id) {
                accounts.insert(f.resource.account_id.clone());
            }
            if !rules.contains(&f.rule) {
                rules.insert(f.rule.clone());
            }
            for (k, v) in &f.resource.tags {
                tags.insert(format!("{k}={v}"));
            }
        }
        FilterChoices {
            categories: categories.into_iter().collect(),
            regions: regions.into_iter().collect(),
            accounts: accounts.into_iter().collect(),
            rules: rules.into_iter().collect(),
            tags: tags.into_iter().collect(),
        }
    }

    pub fn values(&self, field: FilterField) -> Vec<String> {
        match field {
            FilterField::Category => self.categories.iter().map(|c| c.as_str().to_string()).collect(),
            FilterField::Region => self.regions.clone(),
            FilterField::Account => self.accounts.clone(),
            FilterField::Rule => self.rules.clone(),
            FilterField::Tag => self.tags.clone(),
        }
    }

    /// The value after `current` (None → first → … → last → None).
    pub fn next_value(&self, field: FilterField, current: Option<&str>) -> Option<String> {
        let values = self.values(field);
        match current.and_then(|c| values.iter().position(|v| v == c)) {
            None => values.first().cloned(),
            Some(i) => values.get(i + 1).cloned(),
        }
    }
}
