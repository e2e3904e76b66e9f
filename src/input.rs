//! Where a snapshot comes from: the demo generator or a snapshot directory.
//! (Live collection and AWS-native imports plug in here.)

mod prices;

use std::path::PathBuf;

use crate::collectors::{CollectOptions, Progress, collect};
use crate::error::Error;
use crate::snapshot::{CollectorStatus, Snapshot, load::load_snapshot};

pub use prices::{Prices, refresh_settings};

#[derive(Debug, Clone)]
pub enum Input {
    Demo {
        scale: u32,
        seed: u64,
    },
    Snapshot(PathBuf),
    Live(CollectOptions),
    /// A directory of AWS-native exports (S3 Inventory), alone.
    Import(PathBuf),
    /// Another source plus an import directory whose frames are added to it.
    WithImport {
        base: Box<Input>,
        import: PathBuf,
    },
}

impl Input {
    /// Load the snapshot; live collection reports progress on stderr when it is a terminal.
    pub fn load(&self) -> Result<Snapshot, Error> {
        let bars = crate::progress::StderrProgress::new();
        self.load_with_progress(&|p| bars.update(&p))
    }

    /// Load the snapshot, reporting live collection progress to `progress`.
    pub fn load_with_progress(&self, progress: &(dyn Fn(Progress) + Sync)) -> Result<Snapshot, Error> {
        match self {
            Input::Demo { scale, seed } => Ok(crate::demo::generate(*scale, *seed)),
            Input::Snapshot(dir) => Ok(load_snapshot(dir)?),
            Input::Import(dir) => Ok(crate::import::load_import(dir)?),
            Input::WithImport { base, import } => {
                let mut snap = base.load_with_progress(progress)?;
                crate::import::add_import(&mut snap, import)?;
                Ok(snap)
            }
            Input::Live(opts) => {
                let runtime = tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .enable_all()
                    .build()
                    .map_err(|e| Error::Other(format!("cannot start the async runtime: {e}")))?;
                let snap = runtime.block_on(collect(opts, progress)).map_err(Error::Collect)?;
                let statuses: Vec<CollectorStatus> = snap.manifest.collectors.values().map(|r| r.status).collect();
                if !statuses.is_empty() && statuses.iter().all(|s| *s == CollectorStatus::Failed) {
                    let detail: Vec<String> = snap
                        .manifest
                        .collectors
                        .iter()
                        .map(|(n, r)| format!("{n}: {}", r.error.as_deref().unwrap_or("failed")))
                        .collect();
                    return Err(Error::Other(format!("every collector failed:\n  {}", detail.join("\n  "))));
                }
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
            Input::Live(opts) => format!(
                "live, profile {}{}",
                opts.profile.as_deref().unwrap_or("default"),
                if opts.regions.is_empty() { String::new() } else { format!(", {}", opts.regions.join(", ")) }
            ),
        }
    }
}
