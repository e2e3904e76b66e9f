//! `e`: write the shown findings through the same presenters as `tierwise report`.

use std::path::{Path, PathBuf};

use chrono::{DateTime, TimeZone};

use super::app::App;
use super::widgets::money::thousands;
use crate::Error;
use crate::report::Report;
use crate::report::present::{Format, render};

/// `tierwise-export-20261101-093000.json`
pub fn file_name<Tz: TimeZone>(format: Format, now: &DateTime<Tz>) -> String
where
    Tz::Offset: std::fmt::Display,
{
    format!("tierwise-export-{}.{}", now.format("%Y%m%d-%H%M%S"), format.extension())
}

/// Write `report` into `dir` under a fresh name (never overwrites); returns the path.
pub fn write_export<Tz: TimeZone>(
    report: &Report,
    format: Format,
    dir: &Path,
    now: &DateTime<Tz>,
) -> Result<PathBuf, Error>
where
    Tz::Offset: std::fmt::Display,
{
    let name = file_name(format, now);
    let mut path = dir.join(&name);
    let mut n = 2;
    while path.exists() {
        let stem = name.trim_end_matches(&format!(".{}", format.extension())).to_string();
        path = dir.join(format!("{stem}-{n}.{}", format.extension()));
        n += 1;
    }
    crate::atomic_file::write_atomic(&path, render(report, format).as_bytes())
        .map_err(|source| Error::Io { path: path.clone(), source })?;
    Ok(path)
}

/// Export the app's current view; the message for the status line, or the error.
pub fn export_view<Tz: TimeZone>(app: &App, format: Format, dir: &Path, now: &DateTime<Tz>) -> Result<String, String>
where
    Tz::Offset: std::fmt::Display,
{
    let report = app.view_report().ok_or_else(|| "nothing loaded yet".to_string())?;
    let path = write_export(&report, format, dir, now).map_err(|e| e.to_string())?;
    let shown = path.strip_prefix(dir).map(|p| Path::new(".").join(p)).unwrap_or(path);
    Ok(format!(
        "exported {} findings ({}) to {}",
        thousands(report.findings.len() as u64),
        format.extension(),
        shown.display()
    ))
}
