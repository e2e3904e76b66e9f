//! The interactive dashboard (ratatui + crossterm).
//!
//! - `action`: the `Action` enum — the only way state changes (`App::apply`).
//! - `keymap`: the one table of key bindings (keys, footer hints, help overlay).
//! - `app` / `app_nav` / `finding_list`: state and its transitions.
//! - `views`: rendering, a pure function of `App`, one file per screen.
//! - `widgets`: money formatting, category bars, evidence charts, pop-ups.
//! - `loader` / `event_loop` / `terminal`: background loading, the UI loop,
//!   terminal setup and restoration (including on panic).

pub mod action;
pub mod app;
mod app_nav;
pub mod clipboard;
pub mod event_loop;
pub mod export;
pub mod filters;
pub mod finding_list;
pub mod keymap;
pub mod keys;
pub mod loader;
pub mod search_index;
pub mod sort_order;
pub mod terminal;
pub mod theme;
pub mod views;
pub mod widgets;

pub use action::{Action, Effect, LoadEvent, PreparedReport};
pub use app::{App, AppOptions, LoadState, Overlay, View};
pub use app_nav::actions_text;
pub use finding_list::{Column, FilterField, Filters, FindingList};
pub use keymap::{Keymap, validate_key_overrides};
pub use theme::Theme;
pub use views::render;

use crate::error::exit;
use crate::input::Input;
use crate::{Config, Error};

/// Run the dashboard on `input` until the user quits. Refuses to start without a
/// terminal (exit 2, pointing at `tierwise report`).
pub fn run(input: Input, config: Config) -> Result<u8, Error> {
    terminal::require_tty()?;
    let keymap = Keymap::new(&config.tui.keys).map_err(Error::Usage)?;
    let (mut terminal, guard) = terminal::enter()?;
    let size = terminal.size().map_err(|e| Error::Other(format!("terminal: {e}")))?;
    let mut app = App::new(AppOptions {
        theme: Theme::from_env(),
        keymap,
        source_label: input.describe(),
        width: size.width,
        height: size.height,
    });
    let outcome = event_loop::run(&mut terminal, &mut app, &input, &config);
    drop(guard);
    outcome.map(|()| exit::OK)
}
