//! AWS-native exports → snapshot frames (`--import DIR`).
//!
//! A directory is recognised by content: every JSON document that is an S3 Inventory
//! manifest is read with the data files it lists; VPC flow-log objects, kubectl Lists
//! and AWS CLI `describe-*` outputs feed the network frames (`network/`); every CUR 2.0
//! or FOCUS Parquet export (`billing.rs`) becomes `spend_monthly` and `effective_rates`. Files that
//! nothing recognises are listed in a warning (the import's run is `partial`), never
//! silently skipped.
//!
//! What S3 Inventory gives, and what it does not:
//! - objects (every version when the inventory includes all versions), their size,
//!   last-modified time and storage class → the `s3_object_histogram` frame
//!   (aggregated while streaming; the per-object rows are never held in memory);
//! - delete markers are dropped (they store no bytes);
//! - incomplete multipart uploads are not in inventories: `multipart_upload_incomplete`
//!   is always false from an import (a collector or a hand-made `s3_objects` frame can set it);
//! - no bucket region, versioning, lifecycle or tags: the S3 rules also need the
//!   `s3_buckets` frame, so combine `--import` with `--snapshot DIR` (or a live
//!   collection) to get priced findings.

pub mod billing;
mod cur2;
mod focus;
pub mod network;
pub mod s3_inventory;
mod s3_inventory_scan;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use polars::prelude::*;

use crate::snapshot::{
    CollectorRun, CollectorStatus, FrameName, Manifest, SCHEMA_VERSION, Snapshot, SnapshotError, SourceKind, Window,
};
use s3_inventory::{FileIndex, InventoryManifest, is_inventory_manifest, parse_manifest};

/// Name of the import's entry in the snapshot manifest's `collectors`.
pub const S3_INVENTORY_RUN: &str = "import:s3-inventory";

/// What an import directory yielded.
#[derive(Debug)]
pub struct Imported {
    pub frames: Vec<(FrameName, DataFrame)>,
    /// The whole import: `partial` when any part is.
    pub run: CollectorRun,
    /// Each part (`import:s3-inventory`, `import:network`, `import:cur2`, `import:focus`), for the manifest.
    pub runs: BTreeMap<String, CollectorRun>,
    /// Newest inventory time, last flow-log record or end of the newest billing month: the end of an import-only
    /// snapshot's window.
    pub as_of: DateTime<Utc>,
    /// The flow logs' first and last record, when there are flow logs.
    pub window: Option<Window>,
    /// Regions and accounts the exports name (for an import-only snapshot's manifest).
    pub regions: Vec<String>,
    pub accounts: Vec<String>,
}

/// Read an import directory alone into a snapshot of source kind `import`.
pub fn load_import(dir: &Path) -> Result<Snapshot, SnapshotError> {
    let imported = import_dir(dir)?;
    let window = imported
        .window
        .clone()
        .unwrap_or(Window { start: imported.as_of - chrono::Duration::days(1), end: imported.as_of });
    let mut snapshot = Snapshot::new(Manifest {
        schema_version: SCHEMA_VERSION,
        created_at: Utc::now(),
        source: SourceKind::Import,
        source_detail: dir.display().to_string(),
        accounts: imported.accounts,
        regions: imported.regions,
        window,
        collectors: imported.runs,
    });
    for (name, df) in imported.frames {
        snapshot.insert(name, df);
    }
    Ok(snapshot)
}

/// Add an import directory's frames to a snapshot from another source. Rows of a
/// bucket the import covers replace that bucket's rows already in the frame; the
/// network frames the import yields replace the snapshot's (the VPC frames of the
/// snapshot are read to attribute the flow logs, and carried into the new ones); a
/// billing export's `spend_monthly` replaces the snapshot's (Cost Explorer's has no resources).
pub fn add_import(snapshot: &mut Snapshot, dir: &Path) -> Result<(), SnapshotError> {
    let imported = import_dir_with(dir, Some(snapshot))?;
    for (name, df) in imported.frames {
        let merged = match snapshot.frame(name) {
            Some(existing) if df.column("bucket").is_ok() => {
                replace_buckets(existing, df).map_err(|e| SnapshotError::Unreadable {
                    path: dir.to_path_buf(),
                    what: "import (merging with the snapshot)",
                    detail: e.to_string(),
                })?
            }
            _ => df,
        };
        snapshot.insert(name, merged);
    }
    snapshot.manifest.source_detail = format!("{} + import {}", snapshot.manifest.source_detail, dir.display());
    snapshot.manifest.collectors.extend(imported.runs);
    Ok(())
}

fn replace_buckets(existing: &DataFrame, new: DataFrame) -> PolarsResult<DataFrame> {
    let imported: BTreeSet<&str> = new.column("bucket")?.str()?.iter().flatten().collect();
    let keep: BooleanChunked =
        existing.column("bucket")?.str()?.iter().map(|b| Some(!b.is_some_and(|b| imported.contains(b)))).collect();
    let kept = existing.filter(&keep)?;
    concat([kept.lazy(), new.lazy()], UnionArgs::default())?.collect()
}

/// Recognise and read everything in `dir`.
pub fn import_dir(dir: &Path) -> Result<Imported, SnapshotError> {
    import_dir_with(dir, None)
}

/// Recognise and read everything in `dir`; `base` is the snapshot it joins, if any.
pub fn import_dir_with(dir: &Path, base: Option<&Snapshot>) -> Result<Imported, SnapshotError> {
    if !dir.is_dir() {
        return Err(SnapshotError::NotADirectory { path: dir.to_path_buf() });
    }
    let mut files = Vec::new();
    walk(dir, &mut files)?;
    files.sort();
    let index = FileIndex::new(&files);
    let mut claimed: BTreeSet<PathBuf> = BTreeSet::new();
    let mut manifests: Vec<InventoryManifest> = Vec::new();
    for path in &files {
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let Some(value) = read_json(path)? else { continue };
        if !is_inventory_manifest(&value) {
            continue;
        }
        let manifest = parse_manifest(path, &value, dir, &index)?;
        claimed.insert(path.clone());
        claimed.insert(path.with_file_name("manifest.checksum"));
        claimed.extend(manifest.files.iter().map(|f| f.path.clone()));
        manifests.push(manifest);
    }
    // Hive-layout symlink files only point at the data files already read.
    claimed.extend(files.iter().filter(|f| is_hive_symlink(f)).cloned());
    let network = network::import(dir, &files, &mut claimed, base)?;
    let unclaimed: Vec<PathBuf> = files.iter().filter(|f| !claimed.contains(*f)).cloned().collect();
    let billing = billing::find(&unclaimed);
    claimed.extend(billing.claimed.iter().cloned());
    claimed.extend(billing.files.iter().map(|(_, _, p)| p.clone()));
    let unrecognised: Vec<&PathBuf> = files.iter().filter(|f| !claimed.contains(*f)).collect();
    if manifests.is_empty() && network.is_none() && billing.files.is_empty() {
        let mut detail = format!(
            "no AWS export recognised (tierwise reads S3 Inventory: manifest.json + CSV/Parquet data files; VPC flow \
             logs as delivered to S3; kubectl get … -o json Lists; aws ec2 describe-* JSON; CUR 2.0 and FOCUS \
             Parquet exports: <export>/data/BILLING_PERIOD=YYYY-MM/*.parquet){}",
            listing(dir, &unrecognised)
        );
        if !billing.notes.is_empty() {
            detail.push_str(&format!("; {}", billing.notes.join("; ")));
        }
        return Err(SnapshotError::Unreadable { path: dir.to_path_buf(), what: "import directory", detail });
    }
    let mut frames = Vec::new();
    let mut runs = BTreeMap::new();
    let mut as_of_ms = None;
    let mut shared_notes = Vec::new();
    if !unrecognised.is_empty() {
        shared_notes.push(format!("unrecognised files, not imported{}", listing(dir, &unrecognised)));
    }
    if !manifests.is_empty() {
        let (histogram, newest_ms, notes) = inventory_histogram(dir, manifests)?;
        frames.push((FrameName::S3ObjectHistogram, histogram));
        as_of_ms = Some(newest_ms);
        runs.insert(S3_INVENTORY_RUN.to_string(), run_of(notes, vec![FrameName::S3ObjectHistogram]));
    }
    let mut window = None;
    let (mut regions, mut accounts) = (Vec::new(), Vec::new());
    if let Some(net) = network {
        regions = net.regions.clone();
        accounts = net.accounts.clone();
        if let Some((start, end)) = net.span_ms {
            as_of_ms = Some(as_of_ms.map_or(end, |a: i64| a.max(end)));
            window = DateTime::from_timestamp_millis(start).zip(DateTime::from_timestamp_millis(end)).map(|(s, e)| {
                // A window of at least an hour, so rates are never divided by nothing.
                Window { start: s.min(e - chrono::Duration::hours(1)), end: e }
            });
        }
        let names = net.frames.iter().map(|(f, _)| *f).collect();
        runs.insert(network::NETWORK_RUN.to_string(), run_of(net.notes, names));
        frames.extend(net.frames);
    }
    if !billing.files.is_empty() {
        let (billed, billing_runs, end) = read_billing(&billing)?;
        frames.extend(billed);
        runs.extend(billing_runs);
        if let Some(end) = end.map(|t| t.timestamp_millis()) {
            as_of_ms = Some(as_of_ms.map_or(end, |a: i64| a.max(end)));
        }
    }
    // Files nothing read make every part of the import partial.
    for run in runs.values_mut() {
        if !shared_notes.is_empty() {
            let mut notes: Vec<String> = run.error.take().into_iter().collect();
            notes.extend(shared_notes.iter().cloned());
            run.error = Some(notes.join("; "));
            run.status = CollectorStatus::Partial;
        }
    }
    let partial: Vec<String> = runs.values().filter_map(|r| r.error.clone()).collect();
    let run = CollectorRun {
        status: if partial.is_empty() { CollectorStatus::Ok } else { CollectorStatus::Partial },
        error: (!partial.is_empty()).then(|| {
            // The shared notes (unrecognised files) once, not once per part.
            let mut seen = BTreeSet::new();
            let all: Vec<&str> = partial.iter().flat_map(|p| p.split("; ")).filter(|n| seen.insert(*n)).collect();
            all.join("; ")
        }),
        api_calls: BTreeMap::new(),
        frames: {
            let mut f: Vec<FrameName> = frames.iter().map(|(f, _)| *f).collect();
            f.sort();
            f
        },
        api_cost_usd: 0.0,
    };
    let as_of = as_of_ms.and_then(DateTime::from_timestamp_millis).unwrap_or_else(Utc::now);
    Ok(Imported { frames, run, runs, as_of, window, regions, accounts })
}

fn run_of(notes: Vec<String>, mut frames: Vec<FrameName>) -> CollectorRun {
    frames.sort();
    CollectorRun {
        status: if notes.is_empty() { CollectorStatus::Ok } else { CollectorStatus::Partial },
        error: (!notes.is_empty()).then(|| notes.join("; ")),
        api_calls: BTreeMap::new(),
        frames,
        api_cost_usd: 0.0,
    }
}

/// The S3 Inventory histogram of the newest inventory of each bucket, its time, and notes.
fn inventory_histogram(
    dir: &Path,
    manifests: Vec<InventoryManifest>,
) -> Result<(DataFrame, i64, Vec<String>), SnapshotError> {
    let (current, superseded) = newest_per_bucket(manifests);
    let mut notes = Vec::new();
    for m in &superseded {
        notes.push(format!(
            "{} is an older inventory of bucket {} than another in the directory: ignored",
            m.path.display(),
            m.source_bucket
        ));
    }
    let mut parts = Vec::with_capacity(current.len());
    for manifest in &current {
        parts.push(s3_inventory_scan::aggregate(manifest)?.lazy());
    }
    let histogram = concat(parts, UnionArgs::default()).and_then(|lf| lf.collect()).map_err(|e| {
        SnapshotError::Unreadable { path: dir.to_path_buf(), what: "S3 Inventory aggregates", detail: e.to_string() }
    })?;
    let histogram = crate::snapshot::load::conform(dir, FrameName::S3ObjectHistogram, histogram)?;
    let newest_ms = current.iter().map(|m| m.created_ms).max().unwrap_or_default();
    Ok((histogram, newest_ms, notes))
}

/// Read the billing exports into `spend_monthly` and `effective_rates`, one run per
/// format, and the end of the newest billing month.
#[allow(clippy::type_complexity)]
fn read_billing(
    found: &billing::Found,
) -> Result<(Vec<(FrameName, DataFrame)>, Vec<(String, CollectorRun)>, Option<DateTime<Utc>>), SnapshotError> {
    let frames = billing::read(found)?;
    let mut spend_parts = Vec::new();
    let mut rate_parts = Vec::new();
    let mut formats = BTreeSet::new();
    let mut as_of: Option<DateTime<Utc>> = None;
    for (name, df, format) in frames {
        formats.insert(format);
        let newest = df
            .column("month")
            .ok()
            .and_then(|c| c.as_materialized_series().date().ok().and_then(|d| d.physical().max()))
            .and_then(|days| chrono::NaiveDate::from_num_days_from_ce_opt(days + 719_163))
            .and_then(|d| d.checked_add_months(chrono::Months::new(1)))
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|t| t.and_utc());
        if let Some(t) = newest {
            as_of = Some(as_of.map_or(t, |a| a.max(t)));
        }
        match name {
            FrameName::SpendMonthly => spend_parts.push(df.lazy()),
            _ => rate_parts.push(df.lazy()),
        }
    }
    let bad = |e: PolarsError| SnapshotError::Unreadable {
        path: found.files.first().map(|f| f.2.clone()).unwrap_or_default(),
        what: "billing exports (merging formats)",
        detail: e.to_string(),
    };
    let mut out = Vec::new();
    for (name, parts) in [(FrameName::SpendMonthly, spend_parts), (FrameName::EffectiveRates, rate_parts)] {
        let df = concat(parts, UnionArgs::default()).and_then(|lf| lf.collect()).map_err(bad)?;
        out.push((name, df));
    }
    let runs = formats
        .into_iter()
        .map(|format| {
            (
                format.run_name().to_string(),
                run_of(found.notes.clone(), vec![FrameName::SpendMonthly, FrameName::EffectiveRates]),
            )
        })
        .collect();
    Ok((out, runs, as_of))
}

/// Keep the newest inventory of each source bucket; return (kept, superseded).
fn newest_per_bucket(manifests: Vec<InventoryManifest>) -> (Vec<InventoryManifest>, Vec<InventoryManifest>) {
    let mut newest: BTreeMap<String, InventoryManifest> = BTreeMap::new();
    let mut superseded = Vec::new();
    for m in manifests {
        match newest.get(&m.source_bucket) {
            Some(kept) if kept.created_ms >= m.created_ms => superseded.push(m),
            _ => {
                if let Some(old) = newest.insert(m.source_bucket.clone(), m) {
                    superseded.push(old);
                }
            }
        }
    }
    (newest.into_values().collect(), superseded)
}

fn listing(dir: &Path, files: &[&PathBuf]) -> String {
    if files.is_empty() {
        return String::new();
    }
    let names: Vec<String> = files.iter().map(|f| f.strip_prefix(dir).unwrap_or(f).display().to_string()).collect();
    format!(": {}", names.join(", "))
}

fn is_hive_symlink(path: &Path) -> bool {
    path.file_name().is_some_and(|n| n == "symlink.txt") && path.components().any(|c| c.as_os_str() == "hive")
}

/// A JSON document, or `None` when the file is not JSON (then it is unrecognised).
/// A file named `manifest.json` that does not parse is an error: it is meant to be read.
fn read_json(path: &Path) -> Result<Option<serde_json::Value>, SnapshotError> {
    let text = std::fs::read_to_string(path).map_err(|e| SnapshotError::Unreadable {
        path: path.to_path_buf(),
        what: "file",
        detail: e.to_string(),
    })?;
    match serde_json::from_str(&text) {
        Ok(v) => Ok(Some(v)),
        Err(e) if path.file_name().is_some_and(|n| n == "manifest.json") => {
            Err(SnapshotError::InvalidManifest { path: path.to_path_buf(), detail: e.to_string() })
        }
        Err(_) => Ok(None),
    }
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), SnapshotError> {
    let entries = std::fs::read_dir(dir).map_err(|e| SnapshotError::Unreadable {
        path: dir.to_path_buf(),
        what: "directory",
        detail: e.to_string(),
    })?;
    for entry in entries.flatten() {
        let path = entry.path();
        match entry.file_type() {
            Ok(t) if t.is_dir() => walk(&path, out)?,
            Ok(_) => out.push(path),
            Err(_) => out.push(path),
        }
    }
    Ok(())
}
