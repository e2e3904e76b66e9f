//! Where a snapshot comes from: the demo generator or a snapshot directory.
//! (Live collection and AWS-native imports plug in here.)

use std::path::PathBuf;

use crate::snapshot::{Snapshot, SnapshotError, load::load_snapshot};

#[derive(Debug, Clone)]
pub enum Input {
    Demo { scale: u32, seed: u64 },
    Snapshot(PathBuf),
    /// A directory of AWS-native exports (S3 Inventory), alone.
    Import(PathBuf),
    /// Another source plus an import directory whose frames are added to it.
    WithImport { base: Box<Input>, import: PathBuf },
}

impl Input {
    pub fn load(&self) -> Result<Snapshot, SnapshotError> {
        match self {
            Input::Demo { scale, seed } => Ok(crate::demo::generate(*scale, *seed)),
            Input::Snapshot(dir) => load_snapshot(dir),
            Input::Import(dir) => crate::import::load_import(dir),
            Input::WithImport { base, import } => {
                let mut snap = base.load()?;
                crate::import::add_import(&mut snap, import)?;
                Ok(snap)
            }
        }
    }

    /// Short description for headers: `demo (seed 42)`, `snapshot fixtures/demo`.
    pub fn describe(&self) -> String {
        match self {
            Input::Demo { scale: 1, seed } => format!("demo (seed {seed})"),
            Input::Demo { scale, seed } => format!("demo ×{scale} (seed {seed})"),
            Input::Snapshot(dir) => format!("snapshot {}", dir.display()),
            Input::Import(dir) => format!("import {}", dir.display()),
            Input::WithImport { base, import } => format!("{} + import {}", base.describe(), import.display()),
        }
    }
}
