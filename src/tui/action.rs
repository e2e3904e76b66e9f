//! Every change to the dashboard's state is one of these `Action`s, applied by
//! `App::apply`. Keys, mouse events, the loader thread and timers all become actions;
//! tests and benchmarks drive the dashboard with the same values.

use crate::report::Report;
use crate::report::present::Format;

use super::finding_list::{Column, FilterField, FindingList};

/// What the background loader reports. Live collection will send the same events
/// (one `Progress` line per collector), so the dashboard needs no change for it.
#[derive(Debug, Clone, PartialEq)]
pub enum LoadEvent {
    /// `source` is a collector or a pipeline step ("demo", "snapshot", "rules"); the
    /// latest status for a source replaces the previous one.
    Progress {
        source: String,
        status: String,
    },
    Loaded(Box<Report>),
    /// The report with its findings already indexed (sent by the loader thread, so the
    /// UI thread does no heavy work even with 100,000 findings).
    Prepared(Box<PreparedReport>),
    Failed(String),
}

/// A report and the findings table built for it, every sort order computed.
#[derive(Debug, Clone, PartialEq)]
pub struct PreparedReport {
    pub report: Report,
    pub list: FindingList,
}

impl PreparedReport {
    /// Index the findings and compute every sort order (slow with many findings:
    /// call it off the UI thread).
    pub fn new(report: Report) -> PreparedReport {
        let mut list = FindingList::new(&report.findings);
        list.warm_sort_cache(&report.findings);
        PreparedReport { report, list }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Quit,
    /// Esc: close an overlay, leave the detail, clear the search — one step back.
    Back,
    ToggleHelp,
    ToggleWarnings,
    CloseOverlay,
    NextView,
    PrevView,
    /// Enter: open the selected finding.
    Open,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    /// A left click at a terminal cell.
    Click {
        column: u16,
        row: u16,
    },
    StartSearch,
    SearchInput(char),
    SearchBackspace,
    SearchAccept,
    SearchCancel,
    SortNext,
    SortReverse,
    SortBy {
        column: Column,
        descending: bool,
    },
    OpenFilterMenu,
    CycleFilter(FilterField),
    SetFilter(FilterField, Option<String>),
    ClearFilters,
    NextFinding,
    PrevFinding,
    /// Copy the current finding's actions to the clipboard (OSC 52).
    Copy,
    OpenExportMenu,
    Export(Format),
    /// The outcome of an export: the status message, or the error.
    Exported(Result<String, String>),
    /// A side effect failed or finished (clipboard write, …): show it in the status line.
    Notify(String),
    Refresh,
    Resize {
        width: u16,
        height: u16,
    },
    /// Time passes (spinner, status expiry). Sent by the event loop, never by a key.
    Tick,
    Load(LoadEvent),
}

/// Work `App::apply` asks the event loop to do outside the pure state machine; the
/// outcome comes back as another `Action`.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Start loading the report again (background thread).
    Reload,
    /// Write this text to the clipboard with OSC 52.
    CopyToClipboard(String),
    /// Write the current (filtered) view to a file in this format.
    Export(Format),
}
