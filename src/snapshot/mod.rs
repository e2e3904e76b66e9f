//! The Snapshot: named Polars frames with fixed schemas, plus a manifest.
//!
//! Every source (live collectors, snapshot directories, AWS-native imports, the demo
//! generator) produces one of these; every rule reads one.

pub mod builder;
pub mod load;
pub mod manifest;
pub mod s3_histogram;
pub mod save;
pub mod schema;

use std::collections::BTreeMap;
use std::path::PathBuf;

use polars::prelude::DataFrame;

pub use manifest::{CollectorRun, CollectorStatus, Manifest, SCHEMA_VERSION, SourceKind, Window};
pub use schema::{Col, FrameName, Ty};

#[derive(Debug, Clone)]
pub struct Snapshot {
    pub manifest: Manifest,
    frames: BTreeMap<FrameName, DataFrame>,
}

impl Snapshot {
    pub fn new(manifest: Manifest) -> Self {
        Snapshot { manifest, frames: BTreeMap::new() }
    }

    /// Add or replace a frame. The frame must carry the documented columns; callers
    /// inside the crate build frames from the schema so this is checked in tests.
    pub fn insert(&mut self, name: FrameName, df: DataFrame) {
        self.frames.insert(name, df);
    }

    pub fn frame(&self, name: FrameName) -> Option<&DataFrame> {
        self.frames.get(&name)
    }

    pub fn frames(&self) -> impl Iterator<Item = (FrameName, &DataFrame)> {
        self.frames.iter().map(|(k, v)| (*k, v))
    }

    pub fn has(&self, name: FrameName) -> bool {
        self.frames.contains_key(&name)
    }
}

/// Everything that can go wrong reading or writing a snapshot. Each variant names
/// the file and, where it applies, the column or field.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    #[error("{path}: not a directory (a snapshot is a directory with manifest.json and one file per frame)")]
    NotADirectory { path: PathBuf },
    #[error(
        "{path}: no manifest.json — not a tierwise snapshot (an incomplete write never gets a manifest); generate one with `tierwise demo --out DIR` or `tierwise collect --out DIR`"
    )]
    MissingManifest { path: PathBuf },
    #[error("{path}: invalid manifest: {detail}")]
    InvalidManifest { path: PathBuf, detail: String },
    #[error(
        "{path}: field `schema_version` is {found}, but this tierwise reads version {supported} at most; upgrade tierwise"
    )]
    NewerSchema { path: PathBuf, found: u32, supported: u32 },
    #[error("{path}: missing column `{column}` (expected {expected})")]
    MissingColumn { path: PathBuf, column: String, expected: &'static str },
    #[error("{path}: column `{column}` has type {found}, expected {expected}")]
    WrongType { path: PathBuf, column: String, expected: &'static str, found: String },
    #[error("{path}: line {line}: column `{column}`: `{value}` is not a valid {expected}{hint}")]
    BadValue { path: PathBuf, line: usize, column: String, value: String, expected: &'static str, hint: &'static str },
    #[error("{path}: column `{column}` has {count} null value(s) but is not nullable")]
    UnexpectedNull { path: PathBuf, column: String, count: usize },
    #[error("{path}: cannot read {what}: {detail}")]
    Unreadable { path: PathBuf, what: &'static str, detail: String },
    #[error("{path}: frame file `{file}` is not a known frame (known: {known})")]
    UnknownFrame { path: PathBuf, file: String, known: String },
    #[error("{path}: both {frame}.parquet and {frame}.csv exist; keep one")]
    DuplicateFrame { path: PathBuf, frame: FrameName },
    #[error("{path}: cannot write: {detail}")]
    Write { path: PathBuf, detail: String },
}

impl SnapshotError {
    /// True when the error is the user's input (exit code 2) rather than the machine.
    pub fn is_bad_input(&self) -> bool {
        !matches!(self, SnapshotError::Write { .. })
    }
}
