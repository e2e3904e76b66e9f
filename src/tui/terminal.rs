//! Terminal setup and restoration: raw mode, alternate screen, mouse capture. The
//! terminal is restored on every exit path — normal return, error, panic (a panic hook
//! restores it before the previous hook, color-eyre's, prints) and SIGTERM, SIGHUP or
//! SIGINT (a watcher thread restores it, then lets the signal do what it would have).
//!
//! Only a panic on the UI thread ends the dashboard. A panic on another thread while
//! the dashboard runs (the loader, or a Polars worker whose panic Polars or the
//! loader recovers from) is recorded instead of printed over the screen: the loader
//! reports it as a load error.

use std::io::{IsTerminal, Stdout};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, Once};
use std::thread::ThreadId;

use crossterm::cursor::{Hide, Show};
use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use crossterm::execute;
use crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

use crate::Error;

/// Whether the terminal is in dashboard mode (so a panic knows to restore it).
static ACTIVE: AtomicBool = AtomicBool::new(false);
static HOOK: Once = Once::new();
/// The thread that draws the dashboard.
static UI_THREAD: Mutex<Option<ThreadId>> = Mutex::new(None);
/// The last panic on another thread while the dashboard ran.
static LAST_PANIC: Mutex<Option<String>> = Mutex::new(None);

pub type DashboardTerminal = Terminal<CrosstermBackend<Stdout>>;

/// The dashboard needs a terminal on both ends.
pub fn require_tty() -> Result<(), Error> {
    if std::io::stdin().is_terminal() && std::io::stdout().is_terminal() {
        return Ok(());
    }
    Err(Error::Usage(
        "the dashboard needs a terminal (stdin and stdout must be a TTY). \
         In scripts and pipes use `tierwise report --demo --format md|json` \
         (or `tierwise report --snapshot DIR --format md|json`)"
            .into(),
    ))
}

/// Restores the terminal when dropped (and stops the signal watcher).
pub struct TerminalGuard {
    signals: Option<signal_hook::iterator::Handle>,
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        if let Some(handle) = self.signals.take() {
            handle.close();
        }
        restore();
    }
}

/// Restore the terminal when the process is told to stop, then stop it the way the
/// signal would have (default action: exit with 128 + signal number).
fn watch_signals() -> Option<signal_hook::iterator::Handle> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT]).ok()?;
    let handle = signals.handle();
    std::thread::Builder::new()
        .name("tierwise-signals".into())
        .spawn(move || {
            if let Some(signal) = signals.forever().next() {
                restore();
                let _ = signal_hook::low_level::emulate_default_handler(signal);
                std::process::exit(128 + signal);
            }
        })
        .ok()?;
    Some(handle)
}

fn terminal_error(e: std::io::Error) -> Error {
    Error::Other(format!("cannot set up the terminal: {e}"))
}

/// Switch the terminal to dashboard mode.
pub fn enter() -> Result<(DashboardTerminal, TerminalGuard), Error> {
    install_panic_hook();
    if let Ok(mut ui) = UI_THREAD.lock() {
        *ui = Some(std::thread::current().id());
    }
    enable_raw_mode().map_err(terminal_error)?;
    ACTIVE.store(true, Ordering::SeqCst);
    // From here on, an early return drops the guard and restores the terminal.
    let guard = TerminalGuard { signals: watch_signals() };
    execute!(std::io::stdout(), EnterAlternateScreen, EnableMouseCapture, Hide).map_err(terminal_error)?;
    let terminal = Terminal::new(CrosstermBackend::new(std::io::stdout())).map_err(terminal_error)?;
    Ok((terminal, guard))
}

/// Leave dashboard mode (idempotent; errors are ignored: there is nothing better to do).
pub fn restore() {
    if ACTIVE.swap(false, Ordering::SeqCst) {
        let _ = disable_raw_mode();
        let _ = execute!(std::io::stdout(), DisableMouseCapture, LeaveAlternateScreen, Show);
    }
}

fn install_panic_hook() {
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let on_ui_thread = UI_THREAD.lock().map(|ui| *ui == Some(std::thread::current().id())).unwrap_or(true);
            if ACTIVE.load(Ordering::SeqCst) && !on_ui_thread {
                let message = match (info.payload().downcast_ref::<&str>(), info.payload().downcast_ref::<String>()) {
                    (Some(s), _) => (*s).to_string(),
                    (_, Some(s)) => s.clone(),
                    _ => "unknown panic".to_string(),
                };
                let location = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
                if let Ok(mut last) = LAST_PANIC.lock() {
                    *last = Some(format!("{message}{location}"));
                }
                return;
            }
            restore();
            previous(info);
        }));
    });
}

/// The last panic recorded on a background thread, if any.
pub fn take_last_panic() -> Option<String> {
    LAST_PANIC.lock().ok().and_then(|mut last| last.take())
}
