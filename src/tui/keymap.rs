//! The one table of key bindings. Key handling, the footer hints and the `?` help
//! overlay are all read from `BINDINGS`, so they cannot drift apart. Every entry has
//! a name that `[tui.keys]` in tierwise.toml can rebind:
//!
//! ```toml
//! [tui.keys]
//! refresh = "ctrl-r"
//! down = "j,down,ctrl-n"
//! ```

use std::collections::BTreeMap;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseEvent};

use super::action::Action;
use super::finding_list::FilterField;
use super::keys::{Trigger, parse_list};
use crate::report::present::Format;

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// Everywhere, even while typing a search (ctrl-c).
    Always,
    /// Every view and the help/warnings overlays.
    Global,
    Overview,
    Findings,
    Detail,
    /// Typing a search: other printable keys go into the query.
    Search,
    FilterMenu,
    ExportMenu,
    Help,
    Warnings,
}

impl Context {
    pub fn title(self) -> &'static str {
        match self {
            Context::Always => "always",
            Context::Global => "everywhere",
            Context::Overview => "overview",
            Context::Findings => "findings",
            Context::Detail => "detail",
            Context::Search => "while searching",
            Context::FilterMenu => "filter menu",
            Context::ExportMenu => "export menu",
            Context::Help => "help",
            Context::Warnings => "warnings",
        }
    }

    /// Modal contexts take only their own keys (plus `Always`).
    fn is_modal(self) -> bool {
        matches!(self, Context::Search | Context::FilterMenu | Context::ExportMenu)
    }

    /// The contexts whose bindings are consulted, most specific first.
    fn chain(self) -> Vec<Context> {
        match self {
            Context::Always | Context::Global => vec![Context::Always, Context::Global],
            c if c.is_modal() => vec![c, Context::Always],
            c => vec![c, Context::Always, Context::Global],
        }
    }

    fn overlaps(self, other: Context) -> bool {
        self == other || self.chain().contains(&other) || other.chain().contains(&self)
    }
}

/// One row of the table.
#[derive(Debug, Clone)]
pub struct Binding {
    /// The name `[tui.keys]` uses.
    pub name: &'static str,
    /// Default keys, in the syntax `[tui.keys]` accepts.
    pub keys: &'static [&'static str],
    pub action: Action,
    pub contexts: &'static [Context],
    pub help: &'static str,
    /// Short label for the footer; `None` keeps the binding out of the footer.
    pub hint: Option<&'static str>,
}

const fn bind(
    name: &'static str,
    keys: &'static [&'static str],
    action: Action,
    contexts: &'static [Context],
    help: &'static str,
    hint: Option<&'static str>,
) -> Binding {
    Binding { name, keys, action, contexts, help, hint }
}

use Context::{Always, Detail, ExportMenu, FilterMenu, Findings, Global, Overview, Search};

/// The key bindings. Order matters only for display (footer and help).
pub static BINDINGS: &[Binding] = &[
    bind("force-quit", &["ctrl-c"], Action::Quit, &[Always], "quit immediately", None),
    bind("open", &["enter"], Action::Open, &[Overview, Findings], "open the selected finding", Some("detail")),
    bind("sort", &["s"], Action::SortNext, &[Findings], "sort by the next column", Some("sort")),
    bind("reverse-sort", &["S"], Action::SortReverse, &[Findings], "reverse the sort order", Some("reverse")),
    bind(
        "category",
        &["c"],
        Action::CycleFilter(FilterField::Category),
        &[Findings],
        "cycle the category filter",
        None,
    ),
    bind("clear-filters", &["x"], Action::ClearFilters, &[Findings], "clear all filters and the search", Some("clear")),
    bind("copy", &["y"], Action::Copy, &[Detail], "copy the actions to the clipboard (OSC 52)", Some("copy actions")),
    bind("next-finding", &["n", "]"], Action::NextFinding, &[Detail], "next finding in the list", Some("next")),
    bind("prev-finding", &["p", "["], Action::PrevFinding, &[Detail], "previous finding in the list", None),
    bind("next-view", &["tab"], Action::NextView, &[Global], "next view: overview → findings → detail", Some("views")),
    bind("prev-view", &["backtab"], Action::PrevView, &[Global], "previous view", None),
    bind(
        "search",
        &["/"],
        Action::StartSearch,
        &[Global],
        "search rule, resource, region, description",
        Some("search"),
    ),
    bind(
        "filter",
        &["f"],
        Action::OpenFilterMenu,
        &[Global],
        "filter by category, region, account, rule, tag",
        Some("filter"),
    ),
    bind(
        "export",
        &["e"],
        Action::OpenExportMenu,
        &[Global],
        "export the shown findings (JSON/Markdown/CSV)",
        Some("export"),
    ),
    bind(
        "refresh",
        &["r", "f5"],
        Action::Refresh,
        &[Global],
        "reload the data and re-run the analysis",
        Some("refresh"),
    ),
    bind("warnings", &["w"], Action::ToggleWarnings, &[Global], "show the data-coverage warnings", Some("warnings")),
    bind("up", &["k", "up"], Action::Up, &[Global], "move up / scroll up", None),
    bind("down", &["j", "down"], Action::Down, &[Global], "move down / scroll down", None),
    bind("page-up", &["pgup", "ctrl-b"], Action::PageUp, &[Global], "page up", None),
    bind("page-down", &["pgdn", "ctrl-f", "space"], Action::PageDown, &[Global], "page down", None),
    bind("top", &["g", "home"], Action::Top, &[Global], "go to the top", None),
    bind("bottom", &["G", "end"], Action::Bottom, &[Global], "go to the bottom", None),
    bind("scroll-up", &["wheel-up"], Action::Up, &[Global], "scroll up", None),
    bind("scroll-down", &["wheel-down"], Action::Down, &[Global], "scroll down", None),
    bind("click", &["click"], Action::Click { column: 0, row: 0 }, &[Global], "select (click again to open)", None),
    bind("back", &["esc"], Action::Back, &[Global], "back: close, leave the detail, clear the search", None),
    bind("help", &["?"], Action::ToggleHelp, &[Global], "show or hide this help", None),
    bind("quit", &["q"], Action::Quit, &[Global], "quit", None),
    bind(
        "search-accept",
        &["enter"],
        Action::SearchAccept,
        &[Search],
        "keep the search, back to the list",
        Some("keep"),
    ),
    bind("search-cancel", &["esc"], Action::SearchCancel, &[Search], "clear the search", Some("clear")),
    bind("search-delete", &["backspace"], Action::SearchBackspace, &[Search], "delete the last character", None),
    bind("filter-category", &["c"], Action::CycleFilter(FilterField::Category), &[FilterMenu], "next category", None),
    bind("filter-region", &["r"], Action::CycleFilter(FilterField::Region), &[FilterMenu], "next region", None),
    bind("filter-account", &["a"], Action::CycleFilter(FilterField::Account), &[FilterMenu], "next account", None),
    bind("filter-rule", &["u"], Action::CycleFilter(FilterField::Rule), &[FilterMenu], "next rule", None),
    bind("filter-tag", &["t"], Action::CycleFilter(FilterField::Tag), &[FilterMenu], "next tag (key=value)", None),
    bind("filter-clear", &["x"], Action::ClearFilters, &[FilterMenu], "clear every filter", Some("clear")),
    bind("filter-close", &["esc", "enter", "f"], Action::CloseOverlay, &[FilterMenu], "close the menu", Some("close")),
    bind("export-json", &["1", "j"], Action::Export(Format::Json), &[ExportMenu], "write JSON", Some("JSON")),
    bind("export-markdown", &["2", "m"], Action::Export(Format::Md), &[ExportMenu], "write Markdown", Some("Markdown")),
    bind("export-csv", &["3", "c"], Action::Export(Format::Csv), &[ExportMenu], "write CSV", Some("CSV")),
    bind("export-cancel", &["esc", "q"], Action::CloseOverlay, &[ExportMenu], "cancel", Some("cancel")),
];

/// Is `name` a binding `[tui.keys]` can set?
pub fn is_action_name(name: &str) -> bool {
    BINDINGS.iter().any(|b| b.name == name)
}

pub fn action_names() -> Vec<&'static str> {
    BINDINGS.iter().map(|b| b.name).collect()
}

/// Check `[tui.keys]`: every name is a binding, every key parses, and no key ends up
/// bound to two actions that can apply at the same time.
pub fn validate_key_overrides(overrides: &BTreeMap<String, String>) -> Result<(), String> {
    Keymap::new(overrides).map(|_| ())
}

/// Check the `[tui]` section of a loaded config file (the config module keeps it as
/// data; the dashboard owns what its keys mean).
pub fn check_config(tui: &crate::config::TuiConfig, path: &std::path::Path) -> Result<(), crate::config::ConfigError> {
    use crate::config::ConfigError;
    for name in tui.keys.keys() {
        if !is_action_name(name) {
            return Err(ConfigError::UnknownKey {
                path: path.to_path_buf(),
                key: format!("tui.keys.{name}"),
                hint: format!(" (actions: {})", action_names().join(", ")),
            });
        }
    }
    validate_key_overrides(&tui.keys).map_err(|detail| ConfigError::Invalid { path: path.to_path_buf(), detail })
}

/// A help line: the keys, what they do, the binding's name in `[tui.keys]`.
pub type HelpRow = (String, &'static str, &'static str);

/// The bindings with `[tui.keys]` applied.
#[derive(Debug, Clone)]
pub struct Keymap {
    triggers: Vec<Vec<Trigger>>,
}

impl Default for Keymap {
    fn default() -> Self {
        Keymap::new(&BTreeMap::new()).unwrap_or(Keymap { triggers: Vec::new() })
    }
}

impl Keymap {
    pub fn new(overrides: &BTreeMap<String, String>) -> Result<Keymap, String> {
        for name in overrides.keys() {
            if !is_action_name(name) {
                return Err(format!("tui.keys.{name}: no such action (known: {})", action_names().join(", ")));
            }
        }
        let mut triggers = Vec::with_capacity(BINDINGS.len());
        for b in BINDINGS {
            let list = match overrides.get(b.name) {
                Some(spec) => parse_list(spec).map_err(|e| format!("tui.keys.{}: {e}", b.name))?,
                None => parse_list(&b.keys.join(",")).map_err(|e| format!("built-in key for {}: {e}", b.name))?,
            };
            triggers.push(list);
        }
        for (i, a) in BINDINGS.iter().enumerate() {
            for (j, b) in BINDINGS.iter().enumerate().skip(i + 1) {
                if !a.contexts.iter().any(|x| b.contexts.iter().any(|y| x.overlaps(*y))) {
                    continue;
                }
                if let Some(t) = triggers[i].iter().find(|t| triggers[j].contains(t)) {
                    return Err(format!(
                        "tui.keys: `{}` is bound to both {} ({}) and {} ({}); rebind one of them",
                        t.label(),
                        a.name,
                        a.contexts[0].title(),
                        b.name,
                        b.contexts[0].title()
                    ));
                }
            }
        }
        Ok(Keymap { triggers })
    }

    /// The action bound to `trigger` in `context` (most specific context first).
    pub fn lookup(&self, trigger: Trigger, context: Context) -> Option<Action> {
        for ctx in context.chain() {
            for (b, triggers) in BINDINGS.iter().zip(&self.triggers) {
                if b.contexts.contains(&ctx) && triggers.contains(&trigger) {
                    return Some(b.action.clone());
                }
            }
        }
        None
    }

    /// The action for a key press; while searching, unbound printable keys type.
    pub fn action_for_key(&self, key: KeyEvent, context: Context) -> Option<Action> {
        let trigger = Trigger::from_key(key);
        if let Some(action) = self.lookup(trigger, context) {
            return Some(action);
        }
        match (context, trigger) {
            (Context::Search, Trigger::Key(KeyCode::Char(c), mods)) if !mods.contains(KeyModifiers::CONTROL) => {
                Some(Action::SearchInput(c))
            }
            _ => None,
        }
    }

    pub fn action_for_mouse(&self, mouse: MouseEvent, context: Context) -> Option<Action> {
        let trigger = Trigger::from_mouse(mouse)?;
        match self.lookup(trigger, context)? {
            Action::Click { .. } => Some(Action::Click { column: mouse.column, row: mouse.row }),
            other => Some(other),
        }
    }

    /// `j/↓` — the keys of binding `index`, as shown to the user.
    fn keys_label(&self, index: usize) -> String {
        self.triggers
            .get(index)
            .map(|ts| ts.iter().map(|t| t.label()).collect::<Vec<_>>().join("/"))
            .unwrap_or_default()
    }

    /// The keys of the binding called `name` (for inline hints like "r retry").
    pub fn keys_for(&self, name: &str) -> String {
        BINDINGS.iter().position(|b| b.name == name).map(|i| self.keys_label(i)).unwrap_or_default()
    }

    /// Footer hints for a context: (keys, label), the most specific first.
    pub fn hints(&self, context: Context) -> Vec<(String, &'static str)> {
        let mut out = Vec::new();
        for ctx in context.chain() {
            for (i, b) in BINDINGS.iter().enumerate() {
                if b.contexts.contains(&ctx)
                    && let Some(hint) = b.hint
                    && !out.iter().any(|(_, h)| *h == hint)
                {
                    let first = self.triggers.get(i).and_then(|t| t.first()).map(|t| t.label()).unwrap_or_default();
                    out.push((first, hint));
                }
            }
        }
        out
    }

    /// Every binding for the help overlay, grouped by context in table order:
    /// (context title, [(keys, help, binding name)]).
    pub fn help_sections(&self) -> Vec<(String, Vec<HelpRow>)> {
        const ORDER: [Context; 8] = [
            Context::Global,
            Context::Overview,
            Context::Findings,
            Context::Detail,
            Context::Search,
            Context::FilterMenu,
            Context::ExportMenu,
            Context::Always,
        ];
        let rank = |contexts: &[Context]| {
            contexts.first().and_then(|c| ORDER.iter().position(|o| o == c)).unwrap_or(ORDER.len())
        };
        let mut groups: Vec<(&'static [Context], Vec<HelpRow>)> = Vec::new();
        for (i, b) in BINDINGS.iter().enumerate() {
            let row = (self.keys_label(i), b.help, b.name);
            match groups.iter_mut().find(|(contexts, _)| *contexts == b.contexts) {
                Some((_, rows)) => rows.push(row),
                None => groups.push((b.contexts, vec![row])),
            }
        }
        groups.sort_by_key(|(contexts, _)| (rank(contexts), contexts.len()));
        groups
            .into_iter()
            .map(|(contexts, rows)| (contexts.iter().map(|c| c.title()).collect::<Vec<_>>().join(" & "), rows))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
    }

    #[test]
    fn defaults_are_consistent() {
        assert!(Keymap::new(&BTreeMap::new()).is_ok());
        let names = action_names();
        let mut unique = names.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(names.len(), unique.len(), "binding names must be unique");
    }

    #[test]
    fn context_decides() {
        let km = Keymap::default();
        assert_eq!(km.action_for_key(key('r'), Context::Findings), Some(Action::Refresh));
        assert_eq!(km.action_for_key(key('r'), Context::FilterMenu), Some(Action::CycleFilter(FilterField::Region)));
        assert_eq!(km.action_for_key(key('q'), Context::Search), Some(Action::SearchInput('q')));
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(km.action_for_key(ctrl_c, Context::Search), Some(Action::Quit));
        let shift_g = KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(km.action_for_key(shift_g, Context::Findings), Some(Action::Bottom));
    }

    #[test]
    fn overrides_rebind_and_are_checked() {
        let mut o = BTreeMap::new();
        o.insert("refresh".to_string(), "ctrl-r, f5".to_string());
        let km = Keymap::new(&o).expect("valid override");
        let ctrl_r = KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL);
        assert_eq!(km.action_for_key(ctrl_r, Context::Overview), Some(Action::Refresh));
        assert_eq!(km.action_for_key(key('r'), Context::Overview), None);
        assert_eq!(km.keys_for("refresh"), "C-r/F5");

        o.insert("quit".to_string(), "x".to_string());
        let err = validate_key_overrides(&o).expect_err("x is clear-filters in findings");
        assert!(err.contains("clear-filters"), "{err}");

        let bad: BTreeMap<String, String> = [("quit".to_string(), "ctrl-".to_string())].into();
        assert!(validate_key_overrides(&bad).is_err());
        let unknown: BTreeMap<String, String> = [("fly".to_string(), "x".to_string())].into();
        assert!(validate_key_overrides(&unknown).is_err());
    }
}
