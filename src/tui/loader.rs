//! Loading the report off the UI thread. The loader sends `LoadEvent`s over a
//! channel: progress lines, then the report (already indexed) or the error. Live
//! collection plugs in here by sending one `Progress` line per collector as it runs.

use std::panic::AssertUnwindSafe;
use std::sync::mpsc::Sender;
use std::thread::JoinHandle;
use std::time::Instant;

use super::action::{LoadEvent, PreparedReport};
use super::terminal;
use super::widgets::money::thousands;
use crate::collectors::Progress;
use crate::input::Input;
use crate::snapshot::CollectorStatus;
use crate::{Config, Error, Report};

/// Start loading on a new thread.
pub fn spawn(input: Input, config: Config, events: Sender<LoadEvent>) -> std::io::Result<JoinHandle<()>> {
    std::thread::Builder::new().name("tierwise-loader".into()).spawn(move || {
        let progress = |source: &str, status: &str| {
            // The dashboard may have quit already; nobody is left to tell.
            let _ = events.send(LoadEvent::Progress { source: source.to_string(), status: status.to_string() });
        };
        let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| {
            let report = load(&input, &config, &progress)?;
            if report.findings.len() >= 10_000 {
                progress("index", &format!("indexing {} findings…", thousands(report.findings.len() as u64)));
            }
            Ok::<_, Error>(PreparedReport::new(report))
        }));
        let event = match outcome {
            Ok(Ok(prepared)) => LoadEvent::Prepared(Box::new(prepared)),
            Ok(Err(e)) => LoadEvent::Failed(e.to_string()),
            Err(_) => LoadEvent::Failed(format!(
                "internal error while loading (please report it): {}",
                terminal::take_last_panic().unwrap_or_else(|| "panic".into())
            )),
        };
        let _ = events.send(event);
    })
}

/// The progress line name of a source.
fn source_name(input: &Input) -> &'static str {
    match input {
        Input::Demo { .. } => "demo",
        Input::Snapshot(_) => "snapshot",
        Input::Live(_) => "live",
        Input::Import(_) => "import",
        Input::WithImport { .. } => "sources",
    }
}

/// Load and analyse, reporting progress as (source, status) lines: one for the
/// source, one per live collector, one for the analysis. A status ending in `…` is
/// still running.
///
/// This is `commands::build_report` with progress: live collection must not draw
/// its stderr progress bars over the dashboard.
pub fn load(input: &Input, config: &Config, progress: &(dyn Fn(&str, &str) + Sync)) -> Result<Report, Error> {
    let source = source_name(input);
    progress(source, &format!("reading {}…", input.describe()));
    let started = Instant::now();
    let on_collector = |p: Progress| match p {
        Progress::Started { collector } => progress(&collector, "collecting…"),
        Progress::Finished { collector, status, detail } => {
            let status = match status {
                CollectorStatus::Ok => "ok",
                CollectorStatus::Partial => "partial",
                CollectorStatus::Failed => "failed",
            };
            match detail {
                Some(detail) => progress(&collector, &format!("{status}: {detail}")),
                None => progress(&collector, status),
            }
        }
    };
    let snapshot = input.load_with_progress(&on_collector)?;
    progress(source, &format!("read {} frames", snapshot.frames().count()));
    let prices = input.prices(config, &snapshot, &|line| progress("pricing", line))?;
    progress("analysis", "running the rules…");
    let mut report = crate::analyze(&snapshot, &prices.book, config);
    let mut warnings: Vec<crate::report::Warning> = prices
        .warnings
        .into_iter()
        .map(|message| crate::report::Warning { source: "pricing".into(), message })
        .collect();
    warnings.append(&mut report.warnings);
    report.warnings = warnings;
    if let Input::Snapshot(dir) = input {
        report.source.detail = dir.display().to_string();
    }
    progress(
        "analysis",
        &format!(
            "{} findings · {} warnings · {} ms",
            thousands(report.findings.len() as u64),
            report.warnings.len(),
            started.elapsed().as_millis()
        ),
    );
    Ok(report)
}
