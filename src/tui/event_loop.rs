//! The UI loop: draw, wait briefly for input, drain the loader's channel, tick.
//! It never blocks on loading; side effects asked for by `App::apply` run here and
//! report back as actions.

use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, Instant};

use crossterm::event::{self, Event, KeyEventKind};

use super::action::{Action, Effect, LoadEvent};
use super::app::App;
use super::terminal::DashboardTerminal;
use super::{clipboard, export, loader, views};
use crate::input::Input;
use crate::{Config, Error};

/// Spinner and status-expiry period.
const TICK: Duration = Duration::from_millis(250);
/// How often the loader's channel is checked while loading, so the report shows
/// as soon as it is ready.
const LOADING_POLL: Duration = Duration::from_millis(20);

struct Runtime<'a> {
    input: &'a Input,
    config: &'a Config,
    events: Sender<LoadEvent>,
}

impl Runtime<'_> {
    fn start_load(&self, app: &mut App) {
        if let Err(e) = loader::spawn(self.input.clone(), self.config.clone(), self.events.clone()) {
            app.apply(Action::Load(LoadEvent::Failed(format!("cannot start the loader thread: {e}"))));
        }
    }

    /// Apply an action and carry out whatever it asks for.
    fn dispatch(&self, app: &mut App, action: Action) {
        let Some(effect) = app.apply(action) else { return };
        match effect {
            Effect::Reload => self.start_load(app),
            Effect::CopyToClipboard(text) => {
                if let Err(e) = clipboard::copy(&text) {
                    app.apply(Action::Notify(format!("could not write to the clipboard: {e}")));
                }
            }
            Effect::Export(format) => {
                let dir = std::env::current_dir().unwrap_or_else(|_| ".".into());
                let outcome = export::export_view(app, format, &dir, &chrono::Local::now());
                app.apply(Action::Exported(outcome));
            }
        }
    }

    fn on_terminal_event(&self, app: &mut App, event: Event) {
        let action = match event {
            Event::Key(key) if key.kind != KeyEventKind::Release => app.keymap.action_for_key(key, app.context()),
            Event::Mouse(mouse) => app.keymap.action_for_mouse(mouse, app.context()),
            Event::Resize(width, height) => Some(Action::Resize { width, height }),
            _ => None,
        };
        if let Some(action) = action {
            self.dispatch(app, action);
        }
    }
}

fn io(e: std::io::Error) -> Error {
    Error::Other(format!("terminal: {e}"))
}

/// Run until the user quits.
pub fn run(terminal: &mut DashboardTerminal, app: &mut App, input: &Input, config: &Config) -> Result<(), Error> {
    let (events, loaded): (Sender<LoadEvent>, Receiver<LoadEvent>) = channel();
    let runtime = Runtime { input, config, events };
    runtime.start_load(app);
    let mut last_tick = Instant::now();
    while !app.should_quit() {
        terminal.draw(|frame| views::render(frame, app)).map_err(io)?;
        let mut timeout = TICK.saturating_sub(last_tick.elapsed());
        if app.is_loading() {
            timeout = timeout.min(LOADING_POLL);
        }
        if event::poll(timeout).map_err(io)? {
            // Take every queued event before drawing again (key repeat, wheel bursts).
            loop {
                runtime.on_terminal_event(app, event::read().map_err(io)?);
                if app.should_quit() || !event::poll(Duration::ZERO).map_err(io)? {
                    break;
                }
            }
        }
        while let Ok(event) = loaded.try_recv() {
            runtime.dispatch(app, Action::Load(event));
        }
        if last_tick.elapsed() >= TICK {
            last_tick = Instant::now();
            runtime.dispatch(app, Action::Tick);
        }
    }
    Ok(())
}
