//! The findings table's model: sort order, filters, incremental search, selection.
//!
//! Built for 100,000 findings: the sorted order of each (column, direction) is
//! computed once and cached (the loader warms every order off the UI thread);
//! filters and the search re-scan that order only when they change (a search that
//! extends the previous query narrows the current result); the view renders only
//! the rows on screen.

use crate::report::Finding;

pub use super::filters::{FilterChoices, FilterField, Filters};
use super::search_index::SearchIndex;
pub use super::sort_order::Column;
use super::sort_order::{SavingsRanking, sort_orders};

/// Narrowing a search re-checks the current rows one by one when they are fewer
/// than total / this; otherwise a full ordered scan is faster.
const NARROW_BY_ROW_BELOW: usize = 8;

/// Sorted, filtered and searched view over a report's findings, with the selection.
#[derive(Debug, Clone, PartialEq)]
pub struct FindingList {
    len: usize,
    search: SearchIndex,
    choices: FilterChoices,
    column: Column,
    descending: bool,
    savings: SavingsRanking,
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
            search: SearchIndex::new(findings),
            choices: FilterChoices::from_findings(findings),
            column: Column::Savings,
            descending: true,
            savings: SavingsRanking::new(findings),
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
        FindingList::new(findings).with_settings_of(self, findings)
    }

    /// This list (built for `findings`) with the sort, filters and search of `previous`.
    pub fn with_settings_of(mut self, previous: &FindingList, findings: &[Finding]) -> FindingList {
        let unchanged = self.column == previous.column
            && self.descending == previous.descending
            && self.filters == previous.filters
            && self.query == previous.query;
        if !unchanged {
            self.column = previous.column;
            self.descending = previous.descending;
            self.filters = previous.filters.clone();
            self.query = previous.query.clone();
            self.refilter(findings, None);
        }
        self
    }

    /// Compute every sort order now (the loader does this off the UI thread), so
    /// that no `s` press has to sort.
    pub fn warm_sort_cache(&mut self, findings: &[Finding]) {
        for column in Column::ALL {
            self.cache_orders(findings, column);
        }
    }

    /// Compute and cache both orders of `column` (one ranking serves both).
    fn cache_orders(&mut self, findings: &[Finding], column: Column) {
        let (ascending, descending) = (column.slot(false), column.slot(true));
        let stale = |o: &Option<Vec<u32>>| o.as_ref().is_none_or(|o| o.len() != findings.len());
        if stale(&self.sort_cache[ascending]) || stale(&self.sort_cache[descending]) {
            let (up, down) = sort_orders(findings, &self.savings, column);
            self.sort_cache[ascending] = Some(up);
            self.sort_cache[descending] = Some(down);
        }
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
        if self.column == Column::Savings && self.descending && self.savings.order.len() == findings.len() {
            return &self.savings.order;
        }
        self.cache_orders(findings, self.column);
        self.sort_cache[self.column.slot(self.descending)].as_deref().unwrap_or(&[])
    }

    /// Recompute the visible rows from `candidates` (already in display order) or,
    /// when `None`, from the full sorted order. Keeps the selected finding if it is
    /// still shown.
    fn refilter(&mut self, findings: &[Finding], candidates: Option<Vec<u32>>) {
        let previously_selected = self.selected_finding();
        let needle = self.query.to_lowercase();
        let filters = self.filters.clone();
        let keeps = |i: u32| findings.get(i as usize).is_some_and(|f| filters.keeps(f));
        let visible: Vec<u32> = match candidates {
            Some(current) if needle.is_empty() || current.len() * NARROW_BY_ROW_BELOW < self.len => {
                let search = &self.search;
                current.into_iter().filter(|&i| keeps(i) && search.contains(i as usize, &needle)).collect()
            }
            _ => {
                let hits = (!needle.is_empty()).then(|| self.search.matches(&needle));
                let hit = |i: u32| hits.as_ref().is_none_or(|h| h.get(i as usize).copied().unwrap_or(false));
                self.sorted_order(findings).iter().copied().filter(|&i| hit(i) && keeps(i)).collect()
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
