//! The findings table's model: sort order, filters, incremental search, selection.
//!
//! Built for 100,000 findings: the sorted order of each (column, direction) is
//! computed once and cached; filters and the search re-scan that order only when
//! they change (a search that extends the previous query narrows the current result
//! instead of re-scanning); the view renders only the rows on screen.

use std::collections::BTreeSet;

use crate::report::{Category, Finding};

/// A sortable column of the findings table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    Savings,
    Rule,
    Resource,
    Account,
    Region,
    Confidence,
    Risk,
}

impl Column {
    pub const ALL: [Column; 7] = [
        Column::Savings,
        Column::Rule,
        Column::Resource,
        Column::Account,
        Column::Region,
        Column::Confidence,
        Column::Risk,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Column::Savings => "savings",
            Column::Rule => "rule",
            Column::Resource => "resource",
            Column::Account => "account",
            Column::Region => "region",
            Column::Confidence => "confidence",
            Column::Risk => "risk",
        }
    }

    /// Numbers sort biggest first, names A→Z.
    pub fn natural_descending(self) -> bool {
        matches!(self, Column::Savings | Column::Confidence | Column::Risk)
    }

    pub fn next(self) -> Column {
        let i = Column::ALL.iter().position(|c| *c == self).unwrap_or(0);
        Column::ALL[(i + 1) % Column::ALL.len()]
    }

    fn slot(self, descending: bool) -> usize {
        let i = Column::ALL.iter().position(|c| *c == self).unwrap_or(0);
        i * 2 + usize::from(descending)
    }
}

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
#[derive(Debug, Clone, Default)]
pub struct FilterChoices {
    pub categories: Vec<Category>,
    pub regions: Vec<String>,
    pub accounts: Vec<String>,
    pub rules: Vec<String>,
    pub tags: Vec<String>,
}

impl FilterChoices {
    fn from_findings(findings: &[Finding]) -> FilterChoices {
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

/// Sorted, filtered and searched view over a report's findings, with the selection.
#[derive(Debug, Clone)]
pub struct FindingList {
    len: usize,
    haystacks: Vec<String>,
    choices: FilterChoices,
    column: Column,
    descending: bool,
    sort_cache: Vec<Option<Vec<u32>>>,
    filters: Filters,
    query: String,
    visible: Vec<u32>,
    shown_savings: f64,
    shown_cost_to_fix: f64,
    selected: usize,
    offset: usize,
}

impl Default for FindingList {
    fn default() -> Self {
        FindingList::new(&[])
    }
}

impl FindingList {
    /// Sorted by savings, biggest first; no filter, no search.
    pub fn new(findings: &[Finding]) -> FindingList {
        let mut list = FindingList {
            len: findings.len(),
            haystacks: findings.iter().map(haystack).collect(),
            choices: FilterChoices::from_findings(findings),
            column: Column::Savings,
            descending: true,
            sort_cache: vec![None; Column::ALL.len() * 2],
            filters: Filters::default(),
            query: String::new(),
            visible: Vec::new(),
            shown_savings: 0.0,
            shown_cost_to_fix: 0.0,
            selected: 0,
            offset: 0,
        };
        list.refilter(findings, None);
        list
    }

    /// The same sort, filters and search over a new set of findings (after a reload).
    pub fn rebuild(&self, findings: &[Finding]) -> FindingList {
        let mut list = FindingList::new(findings);
        list.column = self.column;
        list.descending = self.descending;
        list.filters = self.filters.clone();
        list.query = self.query.clone();
        list.refilter(findings, None);
        list
    }

    pub fn column(&self) -> Column {
        self.column
    }
    pub fn descending(&self) -> bool {
        self.descending
    }
    pub fn filters(&self) -> &Filters {
        &self.filters
    }
    pub fn choices(&self) -> &FilterChoices {
        &self.choices
    }
    pub fn query(&self) -> &str {
        &self.query
    }
    /// Indices into the report's findings, in display order.
    pub fn visible(&self) -> &[u32] {
        &self.visible
    }
    pub fn total(&self) -> usize {
        self.len
    }
    /// Monthly savings of the shown findings (positive savings only, like the summary).
    pub fn shown_savings(&self) -> f64 {
        self.shown_savings
    }
    /// Monthly cost of the shown findings that fix a risk (negative savings).
    pub fn shown_cost_to_fix(&self) -> f64 {
        self.shown_cost_to_fix
    }
    /// Position of the selection among the visible rows.
    pub fn selected(&self) -> usize {
        self.selected
    }
    /// First visible row on screen.
    pub fn offset(&self) -> usize {
        self.offset
    }
    /// The selected finding's index in the report.
    pub fn selected_finding(&self) -> Option<u32> {
        self.visible.get(self.selected).copied()
    }

    pub fn set_sort(&mut self, findings: &[Finding], column: Column, descending: bool) {
        if column == self.column && descending == self.descending {
            return;
        }
        self.column = column;
        self.descending = descending;
        self.refilter(findings, None);
    }

    pub fn set_filters(&mut self, findings: &[Finding], filters: Filters) {
        if filters != self.filters {
            self.filters = filters;
            self.refilter(findings, None);
        }
    }

    /// Change the search. A query that extends the previous one narrows the current
    /// result; anything else re-scans the sorted order.
    pub fn set_query(&mut self, findings: &[Finding], query: &str) {
        if query == self.query {
            return;
        }
        let narrowing = query.starts_with(self.query.as_str());
        self.query = query.to_string();
        let current = narrowing.then(|| std::mem::take(&mut self.visible));
        self.refilter(findings, current);
    }

    /// Move the selection by `delta` rows, keeping it inside a window of `page` rows.
    pub fn move_by(&mut self, delta: isize, page: usize) {
        let last = self.visible.len().saturating_sub(1) as isize;
        let target = (self.selected as isize + delta).clamp(0, last.max(0));
        self.select(target as usize, page);
    }

    pub fn select(&mut self, position: usize, page: usize) {
        self.selected = position.min(self.visible.len().saturating_sub(1));
        self.scroll_into_view(page);
    }

    /// Keep the selection on screen (after a move or a resize).
    pub fn scroll_into_view(&mut self, page: usize) {
        let page = page.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + page {
            self.offset = self.selected + 1 - page;
        }
        let max_offset = self.visible.len().saturating_sub(page);
        self.offset = self.offset.min(max_offset);
    }

    fn sorted_order(&mut self, findings: &[Finding]) -> &[u32] {
        let slot = self.column.slot(self.descending);
        if self.sort_cache[slot].as_ref().is_none_or(|order| order.len() != findings.len()) {
            self.sort_cache[slot] = Some(sort_order(findings, self.column, self.descending));
        }
        self.sort_cache[slot].as_deref().unwrap_or(&[])
    }

    /// Recompute the visible rows from `candidates` (already in display order) or,
    /// when `None`, from the full sorted order. Keeps the selected finding if it is
    /// still shown.
    fn refilter(&mut self, findings: &[Finding], candidates: Option<Vec<u32>>) {
        let previously_selected = self.selected_finding();
        let needle = self.query.to_lowercase();
        let filters = self.filters.clone();
        let keep = |i: u32, haystacks: &[String]| {
            let i = i as usize;
            findings.get(i).is_some_and(|f| filters.keeps(f))
                && (needle.is_empty() || haystacks.get(i).is_some_and(|h| h.contains(&needle)))
        };
        let visible: Vec<u32> = match candidates {
            Some(current) => {
                let haystacks = &self.haystacks;
                current.into_iter().filter(|i| keep(*i, haystacks)).collect()
            }
            None => {
                let haystacks = std::mem::take(&mut self.haystacks);
                let order = self.sorted_order(findings);
                let visible = order.iter().copied().filter(|i| keep(*i, &haystacks)).collect();
                self.haystacks = haystacks;
                visible
            }
        };
        let (mut savings, mut cost_to_fix) = (0.0, 0.0);
        for s in visible.iter().filter_map(|i| findings.get(*i as usize)?.monthly_savings_usd) {
            if s >= 0.0 {
                savings += s;
            } else {
                cost_to_fix -= s;
            }
        }
        self.visible = visible;
        self.shown_savings = savings;
        self.shown_cost_to_fix = cost_to_fix;
        self.selected = previously_selected.and_then(|id| self.visible.iter().position(|v| *v == id)).unwrap_or(0);
        self.offset = self.offset.min(self.selected);
    }
}

/// Lower-cased text the search looks in: rule, resource id and name, region, title
/// and both descriptions.
fn haystack(f: &Finding) -> String {
    [
        f.rule.as_str(),
        &f.resource.arn_or_id,
        &f.resource.name,
        &f.resource.region,
        &f.title,
        &f.current.description,
        &f.recommended.description,
    ]
    .join("\u{1f}")
    .to_lowercase()
}

/// Display order for a column. Ties: biggest savings first, then report order, so the
/// order is total and deterministic in both directions. Every key is turned into an
/// integer first (names into their rank), so the sort compares integers only.
fn sort_order(findings: &[Finding], column: Column, descending: bool) -> Vec<u32> {
    let primary = column_keys(findings, column);
    let savings_desc: Vec<u64> =
        findings.iter().map(|f| !ordered_bits(f.monthly_savings_usd.unwrap_or(f64::NEG_INFINITY))).collect();
    let mut order: Vec<u32> = (0..findings.len() as u32).collect();
    order.sort_unstable_by_key(|&i| {
        let i = i as usize;
        let key = if descending { !primary[i] } else { primary[i] };
        (key, if column == Column::Savings { 0 } else { savings_desc[i] }, i)
    });
    order
}

/// A u64 per finding that sorts like the column's value.
fn column_keys(findings: &[Finding], column: Column) -> Vec<u64> {
    fn name(f: &Finding, column: Column) -> &str {
        match column {
            Column::Rule => &f.rule,
            Column::Resource => &f.resource.name,
            Column::Account => &f.resource.account_id,
            _ => &f.resource.region,
        }
    }
    match column {
        Column::Savings => {
            findings.iter().map(|f| ordered_bits(f.monthly_savings_usd.unwrap_or(f64::NEG_INFINITY))).collect()
        }
        Column::Confidence => findings.iter().map(|f| ordered_bits(f.confidence)).collect(),
        Column::Risk => findings.iter().map(|f| u64::from(f.performance_risk)).collect(),
        Column::Rule | Column::Resource | Column::Account | Column::Region => {
            let mut ranks: std::collections::BTreeMap<&str, u64> =
                findings.iter().map(|f| (name(f, column), 0)).collect();
            for (rank, value) in ranks.values_mut().enumerate() {
                *value = rank as u64;
            }
            findings.iter().map(|f| ranks.get(name(f, column)).copied().unwrap_or(0)).collect()
        }
    }
}

/// The bits of a float, mapped so that integer order is numeric order (NaN last).
fn ordered_bits(x: f64) -> u64 {
    let bits = if x.is_nan() { f64::INFINITY.to_bits() } else { x.to_bits() };
    if bits >> 63 == 1 { !bits } else { bits | (1 << 63) }
}

#[cfg(test)]
mod tests {
    use super::ordered_bits;

    #[test]
    fn float_keys_sort_numerically() {
        let xs = [f64::NEG_INFINITY, -10.0, -0.5, 0.0, 0.25, 3.0, 1e9, f64::INFINITY];
        assert!(xs.windows(2).all(|w| ordered_bits(w[0]) < ordered_bits(w[1])), "{xs:?}");
    }
}
