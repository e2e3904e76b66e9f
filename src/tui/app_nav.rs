//! `App::apply` for moving around: views, selection, search, sort, filters, copy
//! and export requests.

use crate::report::Finding;

use super::action::{Action, Effect};
use super::app::{App, Level, Overlay, View};
use super::finding_list::{FilterField, FindingList};
use super::views::{self, Hit};
use super::widgets::money::thousands;

/// A cursor movement, interpreted by whatever has the focus.
#[derive(Debug, Clone, Copy)]
enum Motion {
    By(isize),
    Page(isize),
    Top,
    Bottom,
}

impl App {
    pub(crate) fn apply_navigation(&mut self, action: Action) -> Option<Effect> {
        if self.report.is_none() {
            if action == Action::Back {
                self.overlay = None;
            }
            return None;
        }
        match action {
            Action::Back => self.back(),
            Action::NextView => self.cycle_view(true),
            Action::PrevView => self.cycle_view(false),
            Action::Open => self.open(),
            Action::Up => self.motion(Motion::By(-1)),
            Action::Down => self.motion(Motion::By(1)),
            Action::PageUp => self.motion(Motion::Page(-1)),
            Action::PageDown => self.motion(Motion::Page(1)),
            Action::Top => self.motion(Motion::Top),
            Action::Bottom => self.motion(Motion::Bottom),
            Action::Click { column, row } => self.click(column, row),
            Action::StartSearch => {
                self.overlay = None;
                self.view = View::Findings;
                self.searching = true;
            }
            Action::SearchInput(c) => {
                let mut query = self.list.query().to_string();
                query.push(c);
                self.set_query(&query);
            }
            Action::SearchBackspace => {
                let mut query = self.list.query().to_string();
                query.pop();
                self.set_query(&query);
            }
            Action::SearchAccept => self.searching = false,
            Action::SearchCancel => {
                self.searching = false;
                self.set_query("");
            }
            Action::SortNext => {
                let column = self.list.column().next();
                self.with_list(|list, findings| list.set_sort(findings, column, column.natural_descending()));
            }
            Action::SortReverse => {
                let (column, descending) = (self.list.column(), !self.list.descending());
                self.with_list(|list, findings| list.set_sort(findings, column, descending));
            }
            Action::SortBy { column, descending } => {
                self.with_list(|list, findings| list.set_sort(findings, column, descending));
            }
            Action::OpenFilterMenu => {
                self.view = View::Findings;
                self.overlay = Some(Overlay::FilterMenu);
            }
            Action::CycleFilter(field) => {
                let current = self.list.filters().get(field);
                let next = self.list.choices().next_value(field, current.as_deref());
                self.set_filter(field, next);
            }
            Action::SetFilter(field, value) => self.set_filter(field, value),
            Action::ClearFilters => {
                self.with_list(|list, findings| {
                    list.set_filters(findings, Default::default());
                    list.set_query(findings, "");
                });
                self.notify(Level::Info, "filters and search cleared");
            }
            Action::NextFinding => self.step_finding(1),
            Action::PrevFinding => self.step_finding(-1),
            Action::Copy => return self.copy(),
            Action::OpenExportMenu => self.overlay = Some(Overlay::ExportMenu),
            Action::Export(format) => {
                self.overlay = None;
                return Some(Effect::Export(format));
            }
            _ => {}
        }
        None
    }

    /// Run `f` on the finding list with the report's findings, then keep the
    /// selection on screen.
    fn with_list(&mut self, f: impl FnOnce(&mut FindingList, &[Finding])) {
        let findings = self.report.as_ref().map_or(&[][..], |r| r.findings.as_slice());
        f(&mut self.list, findings);
        let page = views::findings::page_rows(self.width, self.height);
        self.list.scroll_into_view(page);
    }

    fn set_query(&mut self, query: &str) {
        self.with_list(|list, findings| list.set_query(findings, query));
    }

    fn set_filter(&mut self, field: FilterField, value: Option<String>) {
        let mut filters = self.list.filters().clone();
        filters.set(field, value);
        self.with_list(|list, findings| list.set_filters(findings, filters));
        if self.view == View::Overview {
            self.view = View::Findings;
        }
    }

    fn back(&mut self) {
        if self.overlay.take().is_some() {
            return;
        }
        match self.view {
            View::Detail => self.view = self.detail_return,
            View::Findings if !self.list.query().is_empty() => self.set_query(""),
            View::Findings => self.view = View::Overview,
            View::Overview => self.status = None,
        }
    }

    fn cycle_view(&mut self, forward: bool) {
        self.overlay = None;
        let order = View::ALL;
        let mut i = order.iter().position(|v| *v == self.view).unwrap_or(0);
        for _ in 0..order.len() {
            i = if forward { (i + 1) % order.len() } else { (i + order.len() - 1) % order.len() };
            let candidate = order[i];
            if candidate != View::Detail {
                self.view = candidate;
                return;
            }
            // The detail follows the table's selection (or keeps the one it has).
            let from = self.view;
            if let Some(index) = self.list.selected_finding().or(self.detail) {
                self.show_detail(index, if from == View::Detail { View::Findings } else { from });
                return;
            }
        }
    }

    fn open(&mut self) {
        let target = match self.view {
            View::Overview => self.top.get(self.overview_selected).copied(),
            View::Findings => self.list.selected_finding(),
            View::Detail => None,
        };
        if let Some(index) = target {
            self.show_detail(index, self.view);
        }
    }

    fn show_detail(&mut self, index: u32, return_to: View) {
        if self.detail != Some(index) {
            self.detail_scroll = 0;
        }
        self.detail = Some(index);
        self.detail_return = return_to;
        self.view = View::Detail;
    }

    fn motion(&mut self, motion: Motion) {
        if matches!(self.overlay, Some(Overlay::Help | Overlay::Warnings)) {
            let page = views::overlay_page(self);
            let max = views::overlay_max_scroll(self);
            self.overlay_scroll = step(self.overlay_scroll, motion, page, max);
            return;
        }
        match self.view {
            View::Overview => {
                let shown = views::overview::top_rows(self.width, self.height).min(self.top.len());
                self.overview_selected = step(self.overview_selected, motion, shown, shown.saturating_sub(1));
            }
            View::Findings => {
                let page = self.table_page();
                let last = self.list.visible().len().saturating_sub(1);
                let target = step(self.list.selected(), motion, page, last);
                self.list.select(target, page);
            }
            View::Detail => {
                let page = views::detail::page_rows(self);
                self.detail_scroll = step(self.detail_scroll, motion, page, views::detail::max_scroll(self));
            }
        }
    }

    fn click(&mut self, column: u16, row: u16) {
        if self.overlay.is_some() {
            return;
        }
        match views::hit_test(self, column, row) {
            Some(Hit::Tab(View::Detail)) if self.view != View::Detail => self.cycle_view_to_detail(),
            Some(Hit::Tab(view)) => self.view = view,
            Some(Hit::TableRow(position)) => {
                if position == self.list.selected() {
                    self.open();
                } else {
                    let page = self.table_page();
                    self.list.select(position, page);
                }
            }
            Some(Hit::TopFinding(position)) => {
                if position == self.overview_selected {
                    self.open();
                } else {
                    self.overview_selected = position.min(self.top.len().saturating_sub(1));
                }
            }
            None => {}
        }
    }

    fn cycle_view_to_detail(&mut self) {
        if let Some(index) = self.list.selected_finding().or(self.detail) {
            self.show_detail(index, self.view);
        }
    }

    fn step_finding(&mut self, delta: isize) {
        let visible = self.list.visible();
        if visible.is_empty() {
            return;
        }
        let position = self.detail.and_then(|d| visible.iter().position(|v| *v == d));
        let next = match position {
            Some(p) => (p as isize + delta).clamp(0, visible.len() as isize - 1) as usize,
            None => 0,
        };
        let index = visible[next];
        let page = self.table_page();
        self.list.select(next, page);
        let return_to = self.detail_return;
        self.show_detail(index, return_to);
    }

    fn copy(&mut self) -> Option<Effect> {
        let finding = self.current_finding()?;
        if finding.actions.is_empty() {
            self.notify(Level::Warn, "this finding has no actions to copy");
            return None;
        }
        let text = actions_text(finding);
        let n = finding.actions.len();
        let lines = text.lines().count();
        self.notify(
            Level::Info,
            format!(
                "copied {n} action{} ({} lines) to the clipboard via OSC 52",
                if n == 1 { "" } else { "s" },
                thousands(lines as u64)
            ),
        );
        Some(Effect::CopyToClipboard(text))
    }
}

/// The actions of a finding as one copyable text: notes become `#` comments.
pub fn actions_text(finding: &Finding) -> String {
    let mut out = String::new();
    for action in &finding.actions {
        if action.kind == "note" {
            for line in action.text.lines() {
                out.push_str("# ");
                out.push_str(line);
                out.push('\n');
            }
        } else {
            out.push_str(&format!("# {}\n", action.kind));
            out.push_str(action.text.trim_end());
            out.push('\n');
        }
    }
    out
}

/// Apply a motion to a position in `0..=max`.
fn step(position: usize, motion: Motion, page: usize, max: usize) -> usize {
    let page = page.max(1) as isize;
    let target = match motion {
        Motion::By(d) => position as isize + d,
        Motion::Page(d) => position as isize + d * page,
        Motion::Top => 0,
        Motion::Bottom => max as isize,
    };
    target.clamp(0, max as isize) as usize
}
