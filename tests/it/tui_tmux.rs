//! The dashboard in a real terminal: tmux runs `tierwise --demo`, the test sends keys
//! and reads the screen. Skips (with a message) when tmux is not installed.

use std::process::{Command, Output};
use std::time::{Duration, Instant};

use crate::common::bin;

/// A private tmux server, killed when dropped (also when the test fails).
struct Tmux {
    socket: String,
}

impl Tmux {
    fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux").arg("-L").arg(&self.socket).args(args).output().expect("run tmux")
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-t", "tw"]).stdout).into_owned()
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "tw"];
        args.extend_from_slice(keys);
        let out = self.run(&args);
        assert!(out.status.success(), "send-keys {keys:?}: {}", String::from_utf8_lossy(&out.stderr));
    }

    /// Wait until the screen shows `text`; the last screen on timeout.
    fn wait_for(&self, text: &str, timeout: Duration) -> Result<String, String> {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return Ok(screen);
            }
            if start.elapsed() > timeout {
                return Err(screen);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn expect(&self, text: &str, step: &str) -> String {
        match self.wait_for(text, Duration::from_secs(15)) {
            Ok(screen) => screen,
            Err(screen) => panic!("{step}: `{text}` never appeared; the screen was:\n{screen}"),
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.run(&["kill-server"]);
    }
}

fn have_tmux() -> bool {
    if Command::new("tmux").arg("-V").output().is_err() {
        eprintln!("skipping: tmux not installed (the CI script installs it)");
        return false;
    }
    true
}

/// A tmux session running the demo dashboard, then `after` in the same terminal.
fn start_demo(name: &str, after: &str) -> Tmux {
    let tmux = Tmux { socket: format!("tierwise-{name}-{}", std::process::id()) };
    let script = format!(
        "cd '{}' && env -u TIERWISE_CONFIG '{}' --demo; echo EXIT=$?; {after}; sleep 120",
        env!("CARGO_MANIFEST_DIR"),
        bin().display()
    );
    let started = tmux.run(&[
        "new-session",
        "-d",
        "-s",
        "tw",
        "-x",
        "120",
        "-y",
        "40",
        "-e",
        "TERM=xterm-256color",
        "sh",
        "-c",
        &script,
    ]);
    assert!(started.status.success(), "tmux new-session: {}", String::from_utf8_lossy(&started.stderr));
    tmux
}

#[test]
fn demo_dashboard_in_tmux() {
    if !have_tmux() {
        return;
    }
    let tmux = start_demo("keys", "true");
    // Wait for the whole first frame (a busy machine can show it half drawn).
    tmux.expect("Projected savings", "overview");
    let overview = tmux.expect("Top findings", "overview, fully drawn");
    assert!(overview.contains("Savings by category"), "{overview}");
    assert!(overview.contains("Top findings"), "{overview}");

    tmux.keys(&["Tab"]);
    tmux.expect("$/month", "findings table");

    tmux.keys(&["Enter"]);
    let detail = tmux.expect("Rationale", "detail");
    assert!(detail.contains("Recommended"), "{detail}");

    tmux.keys(&["Escape"]);
    tmux.expect("$/month", "back to the table");
    tmux.keys(&["/", "g", "p"]);
    tmux.expect("/ gp", "typing a search");
    tmux.keys(&["Enter"]);
    tmux.expect("search \"gp\"", "search kept");

    tmux.keys(&["q"]);
    let after = tmux.expect("EXIT=0", "quit with status 0");
    assert!(!after.contains("Projected savings"), "the dashboard must be gone after quitting:\n{after}");
}

#[test]
fn sigterm_restores_the_terminal() {
    if !have_tmux() {
        return;
    }
    // After the dashboard ends, print whether the terminal is back in cooked mode.
    let tmux = start_demo("sigterm", "stty -a | tr ' ;' '\\n\\n' | grep -x -e icanon -e -icanon | sed 's/^/MODE=/'");
    tmux.expect("Projected savings", "overview");
    let shell = String::from_utf8_lossy(&tmux.run(&["display-message", "-p", "-t", "tw", "#{pane_pid}"]).stdout)
        .trim()
        .to_string();
    let child = Command::new("pgrep").args(["-P", &shell]).output().expect("pgrep");
    let pid = String::from_utf8_lossy(&child.stdout).lines().next().unwrap_or_default().trim().to_string();
    assert!(!pid.is_empty(), "found the dashboard's pid under the shell {shell}");
    let killed = Command::new("kill").args(["-TERM", &pid]).status().expect("kill");
    assert!(killed.success());
    // 128 + 15: the default action of SIGTERM, after the terminal was restored.
    let after = tmux.expect("MODE=", "restored after SIGTERM");
    assert!(after.contains("EXIT=143"), "{after}");
    assert!(after.contains("MODE=icanon"), "raw mode left on after SIGTERM:\n{after}");
    assert!(!after.contains("Projected savings"), "the alternate screen must be gone:\n{after}");
}
