//! S3 Inventory reports as AWS delivers them: `manifest.json` (sourceBucket,
//! destinationBucket, fileFormat, fileSchema, files[{key, size, MD5checksum}]) plus
//! the data files it lists (CSV gzip or Parquet), copied into a local directory.
//!
//! This file reads and checks the manifest and finds its data files; the scan itself
//! is in `s3_inventory_scan.rs`. Data file keys are keys in the destination bucket
//! (`prefix/source-bucket/config-id/data/<uuid>.csv.gz`): each is looked up relative
//! to the import directory, then, when that path is absent (files copied without
//! their prefix), by file name anywhere under the directory.

use std::collections::HashMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::snapshot::SnapshotError;

/// Inventory data file formats. ORC is valid for AWS but unreadable here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    Csv,
    Parquet,
}

/// One data file listed by a manifest, resolved to a local path.
#[derive(Debug, Clone)]
pub struct DataFile {
    /// The key as written in the manifest.
    pub key: String,
    pub path: PathBuf,
    /// Size in bytes the manifest records (compressed size for CSV gzip).
    pub size: Option<u64>,
}

/// A checked inventory manifest.
#[derive(Debug, Clone)]
pub struct InventoryManifest {
    pub path: PathBuf,
    pub source_bucket: String,
    pub destination_bucket: Option<String>,
    pub format: FileFormat,
    /// CSV: the column names, in file order (`Bucket, Key, …`). Parquet: empty (the
    /// files carry their own schema).
    pub csv_columns: Vec<String>,
    /// When the inventory was taken (epoch ms): object ages are measured from here.
    pub created_ms: i64,
    pub files: Vec<DataFile>,
}

/// Every file under the import directory, by file name, for keys whose prefix is absent.
pub struct FileIndex {
    by_name: HashMap<OsString, Vec<PathBuf>>,
}

impl FileIndex {
    pub fn new(files: &[PathBuf]) -> FileIndex {
        let mut by_name: HashMap<OsString, Vec<PathBuf>> = HashMap::new();
        for f in files {
            if let Some(name) = f.file_name() {
                by_name.entry(name.to_os_string()).or_default().push(f.clone());
            }
        }
        FileIndex { by_name }
    }
}

/// True when a JSON document is an S3 Inventory manifest (it has inventory fields),
/// so that a broken one is an error rather than an unrecognised file.
pub fn is_inventory_manifest(value: &Value) -> bool {
    ["sourceBucket", "destinationBucket", "fileFormat", "fileSchema"].iter().any(|k| value.get(k).is_some())
}

fn invalid(path: &Path, detail: impl Into<String>) -> SnapshotError {
    SnapshotError::InvalidManifest { path: path.to_path_buf(), detail: detail.into() }
}

fn text_field<'a>(path: &Path, value: &'a Value, field: &str) -> Result<&'a str, SnapshotError> {
    match value.get(field) {
        None | Some(Value::Null) => Err(invalid(path, format!("missing field `{field}` (S3 Inventory manifest)"))),
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(s),
        Some(other) => Err(invalid(path, format!("field `{field}` must be a non-empty string, found {other}"))),
    }
}

/// Parse and check a manifest, resolving every data file.
pub fn parse_manifest(
    path: &Path,
    value: &Value,
    root: &Path,
    index: &FileIndex,
) -> Result<InventoryManifest, SnapshotError> {
    let source_bucket = text_field(path, value, "sourceBucket")?.to_string();
    let destination_bucket = value.get("destinationBucket").and_then(Value::as_str).map(str::to_string);
    let format = match text_field(path, value, "fileFormat")?.to_ascii_uppercase().as_str() {
        "CSV" => FileFormat::Csv,
        "PARQUET" => FileFormat::Parquet,
        "ORC" => {
            return Err(invalid(
                path,
                "field `fileFormat` is ORC, which tierwise cannot read: configure the inventory as CSV or Parquet",
            ));
        }
        other => {
            return Err(invalid(
                path,
                format!("field `fileFormat`: unknown format `{other}` (expected CSV or Parquet)"),
            ));
        }
    };
    let schema = text_field(path, value, "fileSchema")?;
    let csv_columns = match format {
        FileFormat::Csv => schema.split(',').map(|c| c.trim().to_string()).collect(),
        FileFormat::Parquet => Vec::new(),
    };
    let created_ms = creation_ms(path, value)?;
    let files = value.get("files").ok_or_else(|| invalid(path, "missing field `files` (S3 Inventory manifest)"))?;
    let files = files.as_array().ok_or_else(|| invalid(path, "field `files` must be an array"))?;
    if files.is_empty() {
        return Err(invalid(path, "field `files` is empty: the inventory lists no data files"));
    }
    let mut resolved = Vec::with_capacity(files.len());
    for (i, file) in files.iter().enumerate() {
        let key = file
            .get("key")
            .and_then(Value::as_str)
            .ok_or_else(|| invalid(path, format!("missing field `files[{i}].key`")))?;
        let size = file.get("size").and_then(Value::as_u64);
        resolved.push(DataFile { key: key.to_string(), path: resolve(path, root, index, key)?, size });
    }
    Ok(InventoryManifest {
        path: path.to_path_buf(),
        source_bucket,
        destination_bucket,
        format,
        csv_columns,
        created_ms,
        files: resolved,
    })
}

/// `creationTimestamp` (epoch milliseconds, as a string or a number); without it, the
/// `YYYY-MM-DDTHH-MMZ` folder the manifest is delivered in.
fn creation_ms(path: &Path, value: &Value) -> Result<i64, SnapshotError> {
    match value.get("creationTimestamp") {
        Some(Value::String(s)) => {
            s.trim().parse::<i64>().map_err(|_| invalid(path, format!("field `creationTimestamp`: `{s}` is not epoch milliseconds")))
        }
        Some(Value::Number(n)) => {
            n.as_i64().ok_or_else(|| invalid(path, format!("field `creationTimestamp`: {n} is not epoch milliseconds")))
        }
        _ => path
            .parent()
            .and_then(|p| p.file_name())
            .and_then(|n| n.to_str())
            .and_then(|n| chrono::NaiveDateTime::parse_from_str(n, "%Y-%m-%dT%H-%MZ").ok())
            .map(|t| t.and_utc().timestamp_millis())
            .ok_or_else(|| {
                invalid(path, "missing field `creationTimestamp` (needed to measure object ages) and the folder name is not a YYYY-MM-DDTHH-MMZ date")
            }),
    }
}

fn resolve(manifest: &Path, root: &Path, index: &FileIndex, key: &str) -> Result<PathBuf, SnapshotError> {
    let key = key.trim_start_matches('/');
    let direct = root.join(key);
    if direct.is_file() {
        return Ok(direct);
    }
    let name = Path::new(key).file_name().map(|n| n.to_os_string()).unwrap_or_default();
    match index.by_name.get(&name).map(Vec::as_slice) {
        Some([only]) => Ok(only.clone()),
        Some(many) if many.len() > 1 => Err(SnapshotError::Unreadable {
            path: manifest.to_path_buf(),
            what: "S3 Inventory manifest",
            detail: format!(
                "data file `{key}` is not at {} and {} files are named {}: {}; keep the destination-bucket layout or one copy",
                direct.display(),
                many.len(),
                name.to_string_lossy(),
                many.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
            ),
        }),
        _ => Err(SnapshotError::Unreadable {
            path: direct,
            what: "inventory data file",
            detail: format!(
                "listed in {} (files[].key `{key}`) but absent: looked for it relative to {} and for a file named `{}` anywhere under it",
                manifest.display(),
                root.display(),
                name.to_string_lossy()
            ),
        }),
    }
}

/// URL-decode a CSV inventory key fragment (`%2F` → `/`, `+` → space), as AWS encodes keys in CSV inventories.
pub fn url_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(hi), Some(lo)) => {
                    out.push(hi * 16 + lo);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_keys_are_url_decoded() {
        assert_eq!(url_decode("photos%2F2024+summer%2F"), "photos/2024 summer/");
        assert_eq!(url_decode("a%zz%"), "a%zz%");
        assert_eq!(url_decode("plain/"), "plain/");
    }

    #[test]
    fn a_manifest_without_file_schema_names_the_field() {
        let v: Value =
            serde_json::json!({"sourceBucket": "b", "fileFormat": "CSV", "files": [], "creationTimestamp": "1"});
        let err = parse_manifest(Path::new("m/manifest.json"), &v, Path::new("m"), &FileIndex::new(&[])).unwrap_err();
        assert!(err.to_string().contains("m/manifest.json") && err.to_string().contains("`fileSchema`"), "{err}");
    }

    #[test]
    fn creation_time_falls_back_to_the_dated_folder() {
        let v: Value = serde_json::json!({});
        let ms = creation_ms(Path::new("inv/b/cfg/2026-10-31T01-00Z/manifest.json"), &v).unwrap();
        assert_eq!(ms, chrono::DateTime::parse_from_rfc3339("2026-10-31T01:00:00Z").unwrap().timestamp_millis());
    }
}
