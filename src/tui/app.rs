//! The dashboard's state. `App::apply` is the only way it changes; rendering
//! (`views::render`) reads it and nothing else.

use crate::report::{Finding, Report};

use super::action::{Action, Effect, LoadEvent, PreparedReport};
use super::finding_list::FindingList;
use super::keymap::{Context, Keymap};
use super::theme::Theme;
use super::views;

/// The screens the user moves between with Tab.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Overview,
    Findings,
    Detail,
}

impl View {
    pub const ALL: [View; 3] = [View::Overview, View::Findings, View::Detail];

    pub fn title(self) -> &'static str {
        match self {
            View::Overview => "Overview",
            View::Findings => "Findings",
            View::Detail => "Detail",
        }
    }
}

/// Pop-ups drawn over the current view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlay {
    Help,
    Warnings,
    FilterMenu,
    ExportMenu,
}

#[derive(Debug, Clone, PartialEq)]
pub enum LoadState {
    /// Progress lines (source, status), in arrival order.
    Loading {
        progress: Vec<(String, String)>,
    },
    Ready,
    /// Loading failed and there is no earlier report to show.
    Failed(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Warn,
    Error,
}

/// The status line: a message that expires after a while.
#[derive(Debug, Clone, PartialEq)]
pub struct Status {
    pub text: String,
    pub level: Level,
    pub expires_at_tick: u64,
}

/// Ticks a status message stays up (the event loop ticks four times a second).
const STATUS_TICKS: u64 = 32;
/// How many findings the overview ranks.
const TOP_FINDINGS: usize = 50;

/// How the dashboard starts: everything that is not state.
#[derive(Debug, Clone)]
pub struct AppOptions {
    pub theme: Theme,
    pub keymap: Keymap,
    /// Where the data comes from, for the loading screen: `demo (seed 42)`.
    pub source_label: String,
    pub width: u16,
    pub height: u16,
}

impl Default for AppOptions {
    fn default() -> Self {
        AppOptions {
            theme: Theme::default(),
            keymap: Keymap::default(),
            source_label: String::new(),
            width: 80,
            height: 24,
        }
    }
}

#[derive(Debug, Clone)]
pub struct App {
    pub(crate) theme: Theme,
    pub(crate) keymap: Keymap,
    pub(crate) source_label: String,
    pub(crate) width: u16,
    pub(crate) height: u16,
    pub(crate) view: View,
    pub(crate) overlay: Option<Overlay>,
    pub(crate) overlay_scroll: usize,
    pub(crate) searching: bool,
    pub(crate) load: LoadState,
    pub(crate) report: Option<Report>,
    pub(crate) list: FindingList,
    /// Report indices of the biggest savings, for the overview.
    pub(crate) top: Vec<u32>,
    pub(crate) overview_selected: usize,
    pub(crate) detail: Option<u32>,
    pub(crate) detail_scroll: usize,
    pub(crate) detail_return: View,
    pub(crate) status: Option<Status>,
    pub(crate) tick: u64,
    should_quit: bool,
}

impl App {
    /// A dashboard waiting for its first report.
    pub fn new(options: AppOptions) -> App {
        App {
            theme: options.theme,
            keymap: options.keymap,
            source_label: options.source_label,
            width: options.width,
            height: options.height,
            view: View::Overview,
            overlay: None,
            overlay_scroll: 0,
            searching: false,
            load: LoadState::Loading { progress: Vec::new() },
            report: None,
            list: FindingList::default(),
            top: Vec::new(),
            overview_selected: 0,
            detail: None,
            detail_scroll: 0,
            detail_return: View::Findings,
            status: None,
            tick: 0,
            should_quit: false,
        }
    }

    /// A dashboard showing `report` (tests, benchmarks).
    pub fn with_report(options: AppOptions, report: Report) -> App {
        let mut app = App::new(options);
        app.apply(Action::Load(LoadEvent::Loaded(Box::new(report))));
        app
    }

    pub fn should_quit(&self) -> bool {
        self.should_quit
    }
    pub fn view(&self) -> View {
        self.view
    }
    pub fn overlay(&self) -> Option<Overlay> {
        self.overlay
    }
    pub fn is_searching(&self) -> bool {
        self.searching
    }
    pub fn report(&self) -> Option<&Report> {
        self.report.as_ref()
    }
    pub fn list(&self) -> &FindingList {
        &self.list
    }
    pub fn load_state(&self) -> &LoadState {
        &self.load
    }
    pub fn status(&self) -> Option<&Status> {
        self.status.as_ref()
    }
    pub fn is_loading(&self) -> bool {
        matches!(self.load, LoadState::Loading { .. })
    }

    /// The findings shown in the table, in display order.
    pub fn visible_findings(&self) -> impl Iterator<Item = &Finding> {
        let findings = self.findings();
        self.list.visible().iter().filter_map(move |i| findings.get(*i as usize))
    }

    pub(crate) fn findings(&self) -> &[Finding] {
        self.report.as_ref().map(|r| r.findings.as_slice()).unwrap_or(&[])
    }

    pub(crate) fn finding(&self, index: u32) -> Option<&Finding> {
        self.findings().get(index as usize)
    }

    /// The finding the current view is about: the detail's, the table's selection, or
    /// the overview's selected top finding.
    pub fn current_finding(&self) -> Option<&Finding> {
        let index = match self.view {
            View::Detail => self.detail,
            View::Findings => self.list.selected_finding(),
            View::Overview => self.top.get(self.overview_selected).copied(),
        }?;
        self.finding(index)
    }

    /// The finding the detail view shows.
    pub fn detail_finding(&self) -> Option<&Finding> {
        self.detail.and_then(|i| self.finding(i))
    }

    /// Which keymap context the next key press is looked up in.
    pub fn context(&self) -> Context {
        if self.searching {
            return Context::Search;
        }
        match self.overlay {
            Some(Overlay::Help) => Context::Help,
            Some(Overlay::Warnings) => Context::Warnings,
            Some(Overlay::FilterMenu) => Context::FilterMenu,
            Some(Overlay::ExportMenu) => Context::ExportMenu,
            None if self.report.is_none() => Context::Global,
            None => match self.view {
                View::Overview => Context::Overview,
                View::Findings => Context::Findings,
                View::Detail => Context::Detail,
            },
        }
    }

    /// A copy of the report holding the shown findings, in display order, with the
    /// summary recomputed — what `e` exports.
    pub fn view_report(&self) -> Option<Report> {
        let report = self.report.as_ref()?;
        let findings: Vec<Finding> = self.visible_findings().cloned().collect();
        let summary = crate::report::summarize(&findings, report.summary.monthly_spend_analyzed_usd);
        let mut out = Report {
            schema_version: report.schema_version,
            generated_at: report.generated_at.clone(),
            tool_version: report.tool_version.clone(),
            source: report.source.clone(),
            summary,
            findings,
            warnings: report.warnings.clone(),
            cost_of_analysis: report.cost_of_analysis.clone(),
            display_currency: report.display_currency.clone(),
        };
        crate::report::currency::apply(&mut out);
        Some(out)
    }

    /// The one place state changes. Returns work for the event loop, if any.
    pub fn apply(&mut self, action: Action) -> Option<Effect> {
        match action {
            Action::Quit => self.should_quit = true,
            Action::Resize { width, height } => {
                self.width = width;
                self.height = height;
                self.clamp_scrolls();
            }
            Action::Tick => {
                self.tick += 1;
                if self.status.as_ref().is_some_and(|s| s.expires_at_tick <= self.tick) {
                    self.status = None;
                }
            }
            Action::Load(event) => self.on_load(event),
            Action::Refresh => return self.refresh(),
            Action::Notify(text) => self.notify(Level::Warn, text),
            Action::Exported(Ok(text)) => self.notify(Level::Info, text),
            Action::Exported(Err(text)) => self.notify(Level::Error, format!("export failed: {text}")),
            Action::ToggleHelp => self.toggle_overlay(Overlay::Help),
            Action::ToggleWarnings => self.toggle_overlay(Overlay::Warnings),
            Action::CloseOverlay => self.overlay = None,
            other => return self.apply_navigation(other),
        }
        None
    }

    pub(crate) fn notify(&mut self, level: Level, text: impl Into<String>) {
        self.status = Some(Status { text: text.into(), level, expires_at_tick: self.tick + STATUS_TICKS });
    }

    fn toggle_overlay(&mut self, overlay: Overlay) {
        self.overlay = if self.overlay == Some(overlay) { None } else { Some(overlay) };
        self.overlay_scroll = 0;
    }

    fn refresh(&mut self) -> Option<Effect> {
        if self.is_loading() {
            self.notify(Level::Info, "already loading…");
            return None;
        }
        self.load = LoadState::Loading { progress: Vec::new() };
        Some(Effect::Reload)
    }

    fn on_load(&mut self, event: LoadEvent) {
        match event {
            LoadEvent::Progress { source, status } => {
                if let LoadState::Loading { progress } = &mut self.load {
                    match progress.iter_mut().find(|(s, _)| *s == source) {
                        Some(entry) => entry.1 = status,
                        None => progress.push((source, status)),
                    }
                }
            }
            LoadEvent::Loaded(report) => self.on_loaded(*report, None),
            LoadEvent::Prepared(prepared) => {
                let PreparedReport { report, list } = *prepared;
                self.on_loaded(report, Some(list));
            }
            LoadEvent::Failed(message) => {
                if self.report.is_some() {
                    self.load = LoadState::Ready;
                    self.notify(Level::Error, format!("reload failed, showing the previous report: {message}"));
                } else {
                    self.load = LoadState::Failed(message);
                }
            }
        }
    }

    fn on_loaded(&mut self, report: Report, list: Option<FindingList>) {
        let reloaded = self.report.is_some();
        self.install_report(report, list);
        self.load = LoadState::Ready;
        if reloaded {
            let n = self.findings().len();
            self.notify(Level::Info, format!("reloaded: {} findings", super::widgets::money::thousands(n as u64)));
        }
    }

    fn install_report(&mut self, report: Report, list: Option<FindingList>) {
        let detail_id = self.detail_finding().map(|f| f.id.clone());
        self.list = match list {
            Some(list) => list.with_settings_of(&self.list, &report.findings),
            None => self.list.rebuild(&report.findings),
        };
        let mut top: Vec<u32> = (0..report.findings.len() as u32).collect();
        let savings = |i: u32| report.findings[i as usize].monthly_savings_usd.unwrap_or(f64::NEG_INFINITY);
        let n = TOP_FINDINGS.min(top.len());
        if n > 0 && n < top.len() {
            top.select_nth_unstable_by(n - 1, |a, b| savings(*b).total_cmp(&savings(*a)).then(a.cmp(b)));
        }
        top.truncate(n);
        top.sort_by(|a, b| savings(*b).total_cmp(&savings(*a)).then(a.cmp(b)));
        self.top = top;
        self.detail = detail_id.and_then(|id| report.findings.iter().position(|f| f.id == id)).map(|i| i as u32);
        if self.detail.is_none() && self.view == View::Detail {
            self.view = self.detail_return;
        }
        self.report = Some(report);
        self.overview_selected = self.overview_selected.min(self.top.len().saturating_sub(1));
        self.clamp_scrolls();
    }

    /// Keep selections and scroll offsets valid for the current size and data.
    pub(crate) fn clamp_scrolls(&mut self) {
        let page = self.table_page();
        self.list.scroll_into_view(page);
        self.detail_scroll = self.detail_scroll.min(views::detail::max_scroll(self));
        self.overlay_scroll = self.overlay_scroll.min(views::overlay_max_scroll(self));
    }

    /// Rows of the findings table on screen.
    pub(crate) fn table_page(&self) -> usize {
        views::findings::page_rows(self.width, self.height)
    }
}
