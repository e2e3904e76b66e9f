//! Load a snapshot directory: `manifest.json` plus one Parquet (or CSV) file per frame.
//! Every documented column is checked for presence, type and nulls.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use polars::prelude::*;

use super::manifest::{Manifest, SCHEMA_VERSION};
use super::schema::{FrameName, Ty};
use super::{Snapshot, SnapshotError};

/// Load and validate a snapshot directory.
pub fn load_snapshot(dir: &Path) -> Result<Snapshot, SnapshotError> {
    if !dir.is_dir() {
        return Err(SnapshotError::NotADirectory { path: dir.to_path_buf() });
    }
    let manifest = read_manifest(dir)?;
    let mut snapshot = Snapshot::new(manifest);
    let entries = std::fs::read_dir(dir).map_err(|e| SnapshotError::Unreadable {
        path: dir.to_path_buf(),
        what: "directory",
        detail: e.to_string(),
    })?;
    let mut files: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    files.sort();
    for path in files {
        let Some(ext) = path.extension().and_then(|e| e.to_str()) else { continue };
        if ext != "parquet" && ext != "csv" {
            continue;
        }
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
        let Some(frame) = FrameName::parse(&stem) else {
            return Err(SnapshotError::UnknownFrame {
                path: path.clone(),
                file: stem,
                known: FrameName::ALL.iter().map(|f| f.as_str()).collect::<Vec<_>>().join(", "),
            });
        };
        if snapshot.has(frame) {
            return Err(SnapshotError::DuplicateFrame { path: dir.to_path_buf(), frame });
        }
        let df = if ext == "parquet" { read_parquet(&path)? } else { read_csv(&path, frame)? };
        let df = conform(&path, frame, df)?;
        snapshot.insert(frame, df);
    }
    Ok(snapshot)
}

/// Read and check `manifest.json`; the schema version is checked before anything else
/// so that a newer manifest says "upgrade" rather than "unknown field".
pub fn read_manifest(dir: &Path) -> Result<Manifest, SnapshotError> {
    let path = dir.join("manifest.json");
    if !path.is_file() {
        return Err(SnapshotError::MissingManifest { path: dir.to_path_buf() });
    }
    let text = std::fs::read_to_string(&path).map_err(|e| SnapshotError::Unreadable {
        path: path.clone(),
        what: "manifest",
        detail: e.to_string(),
    })?;
    let value: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| SnapshotError::InvalidManifest { path: path.clone(), detail: e.to_string() })?;
    let version = value.get("schema_version").ok_or_else(|| SnapshotError::InvalidManifest {
        path: path.clone(),
        detail: "missing field `schema_version`".into(),
    })?;
    let version = version.as_u64().ok_or_else(|| SnapshotError::InvalidManifest {
        path: path.clone(),
        detail: format!("field `schema_version` must be a positive integer, found {version}"),
    })?;
    if version > SCHEMA_VERSION as u64 {
        return Err(SnapshotError::NewerSchema { path, found: version as u32, supported: SCHEMA_VERSION });
    }
    serde_json::from_value(value).map_err(|e| SnapshotError::InvalidManifest { path, detail: e.to_string() })
}

fn read_parquet(path: &Path) -> Result<DataFrame, SnapshotError> {
    let unreadable = |detail: String| SnapshotError::Unreadable {
        path: path.to_path_buf(),
        what: "Parquet file (truncated or not Parquet?)",
        detail,
    };
    let file = File::open(path).map_err(|e| unreadable(e.to_string()))?;
    // A corrupt file must never take the process down: treat a panic inside the
    // decoder like any other read error.
    catch_unwind(AssertUnwindSafe(|| ParquetReader::new(file).finish()))
        .map_err(|_| unreadable("the Parquet decoder failed on this file".into()))?
        .map_err(|e| unreadable(e.to_string()))
}

fn read_csv(path: &Path, frame: FrameName) -> Result<DataFrame, SnapshotError> {
    let unreadable = |detail: String| SnapshotError::Unreadable { path: path.to_path_buf(), what: "CSV file", detail };
    let file = File::open(path).map_err(|e| unreadable(e.to_string()))?;
    let mut header = String::new();
    BufReader::new(file).read_line(&mut header).map_err(|e| unreadable(e.to_string()))?;
    let present: Vec<String> = header.trim_end().split(',').map(|h| h.trim().trim_matches('"').to_string()).collect();
    if header.trim().is_empty() {
        return Err(unreadable("the file is empty (expected a header line)".into()));
    }
    for col in frame.columns() {
        if !col.nullable && !present.iter().any(|p| p == col.name) {
            return Err(SnapshotError::MissingColumn {
                path: path.to_path_buf(),
                column: col.name.to_string(),
                expected: col.ty.name(),
            });
        }
    }
    // Documented columns are read with their declared type; timestamps are read as
    // text and parsed below so that both `2026-07-01T00:00:00Z` and `2026-07-01 00:00:00` work.
    let overwrite: Schema = frame
        .columns()
        .iter()
        .filter(|c| present.iter().any(|p| p == c.name))
        .map(|c| {
            let dtype = if c.ty == Ty::Ts { DataType::String } else { c.ty.dtype() };
            Field::new(c.name.into(), dtype)
        })
        .collect();
    let df = CsvReadOptions::default()
        .with_has_header(true)
        .with_schema_overwrite(Some(Arc::new(overwrite)))
        .try_into_reader_with_file_path(Some(path.to_path_buf()))
        .and_then(|r| r.finish())
        .map_err(|e| match locate_bad_value(path, frame) {
            Some(err) => err,
            None => unreadable(e.to_string().lines().next().unwrap_or_default().to_string()),
        })?;
    let mut columns = df.columns().to_vec();
    for column in columns.iter_mut() {
        let Some(col) = frame.column(column.name()) else { continue };
        if col.ty == Ty::Ts {
            *column = parse_timestamps(path, col.name, column)?;
        }
    }
    DataFrame::new(df.height(), columns).map_err(|e| unreadable(e.to_string()))
}

/// After Polars rejects a CSV, find the first value that does not parse as its
/// column's declared type, to name the column, the line and the value.
fn locate_bad_value(path: &Path, frame: FrameName) -> Option<SnapshotError> {
    let text = std::fs::read_to_string(path).ok()?;
    let rows = crate::csv_text::parse(&text);
    let header = rows.first()?;
    for (line, row) in rows.iter().enumerate().skip(1) {
        for (idx, name) in header.iter().enumerate() {
            let Some(col) = frame.column(name.trim()) else { continue };
            let value = row.get(idx).map(|v| v.trim()).unwrap_or_default();
            if value.is_empty() {
                continue;
            }
            let ok = match col.ty {
                Ty::I64 => value.parse::<i64>().is_ok(),
                Ty::F64 => value.parse::<f64>().is_ok(),
                Ty::Bool => matches!(value.to_ascii_lowercase().as_str(), "true" | "false"),
                Ty::Date => chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d").is_ok(),
                Ty::Str | Ty::Ts => true,
            };
            if !ok {
                return Some(SnapshotError::BadValue {
                    path: path.to_path_buf(),
                    line: line + 1,
                    column: col.name.to_string(),
                    value: value.to_string(),
                    expected: col.ty.name(),
                    hint: "",
                });
            }
        }
    }
    None
}

fn parse_timestamps(path: &Path, name: &str, column: &Column) -> Result<Column, SnapshotError> {
    let text = column.str().map_err(|e| SnapshotError::Unreadable {
        path: path.to_path_buf(),
        what: "CSV file",
        detail: e.to_string(),
    })?;
    let mut values = Vec::with_capacity(text.len());
    for (row, v) in text.iter().enumerate() {
        values.push(match v {
            None | Some("") => None,
            Some(s) => Some(parse_ts_millis(s).ok_or_else(|| SnapshotError::BadValue {
                path: path.to_path_buf(),
                line: row + 2,
                column: name.to_string(),
                value: s.to_string(),
                expected: Ty::Ts.name(),
                hint: " (use RFC 3339, e.g. 2026-07-01T00:00:00Z)",
            })?),
        });
    }
    let series =
        Int64Chunked::from_iter_options(name.into(), values.into_iter()).into_series().cast(&Ty::Ts.dtype()).map_err(
            |e| SnapshotError::Unreadable { path: path.to_path_buf(), what: "CSV file", detail: e.to_string() },
        )?;
    Ok(series.into_column())
}

fn parse_ts_millis(s: &str) -> Option<i64> {
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(t.timestamp_millis());
    }
    for fmt in ["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S%.f"] {
        if let Ok(t) = chrono::NaiveDateTime::parse_from_str(s, fmt) {
            return Some(t.and_utc().timestamp_millis());
        }
    }
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc().timestamp_millis())
}

/// Check every documented column (presence, type, nulls) and cast compatible types
/// (any integer width to int64, integers to float64, any datetime unit to ms).
pub fn conform(path: &Path, frame: FrameName, df: DataFrame) -> Result<DataFrame, SnapshotError> {
    let mut columns = df.columns().to_vec();
    for col in frame.columns() {
        // A nullable column added after a snapshot was written loads as nulls.
        if col.nullable && !columns.iter().any(|c| c.name().as_str() == col.name) {
            columns.push(Column::full_null(col.name.into(), df.height(), &col.ty.dtype()));
        }
        let Some(idx) = columns.iter().position(|c| c.name().as_str() == col.name) else {
            return Err(SnapshotError::MissingColumn {
                path: path.to_path_buf(),
                column: col.name.to_string(),
                expected: col.ty.name(),
            });
        };
        let found = columns[idx].dtype().clone();
        let wanted = col.ty.dtype();
        if found != wanted {
            let castable = match col.ty {
                Ty::I64 => found.is_integer() || found == DataType::Null,
                Ty::F64 => found.is_primitive_numeric() || found == DataType::Null,
                Ty::Ts => matches!(found, DataType::Datetime(..) | DataType::Null),
                Ty::Date | Ty::Str | Ty::Bool => found == DataType::Null,
            };
            if !castable {
                return Err(SnapshotError::WrongType {
                    path: path.to_path_buf(),
                    column: col.name.to_string(),
                    expected: col.ty.name(),
                    found: found.to_string(),
                });
            }
            columns[idx] = columns[idx].cast(&wanted).map_err(|e| SnapshotError::WrongType {
                path: path.to_path_buf(),
                column: col.name.to_string(),
                expected: col.ty.name(),
                found: e.to_string(),
            })?;
        }
        let nulls = columns[idx].null_count();
        if !col.nullable && nulls > 0 {
            return Err(SnapshotError::UnexpectedNull {
                path: path.to_path_buf(),
                column: col.name.to_string(),
                count: nulls,
            });
        }
    }
    DataFrame::new(df.height(), columns).map_err(|e| SnapshotError::Unreadable {
        path: path.to_path_buf(),
        what: "frame",
        detail: e.to_string(),
    })
}
