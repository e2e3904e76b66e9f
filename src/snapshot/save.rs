//! Save a snapshot atomically: every frame is written and fsynced into a temporary
//! sibling directory, the manifest is written last, then the directory is renamed
//! into place. A reader never sees a snapshot without a complete manifest.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

use polars::prelude::*;

use super::{Snapshot, SnapshotError};

pub fn save_snapshot(snapshot: &Snapshot, out: &Path) -> Result<(), SnapshotError> {
    let err = |path: &Path, e: &dyn std::fmt::Display| SnapshotError::Write {
        path: path.to_path_buf(),
        detail: e.to_string(),
    };
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).map_err(|e| err(&parent, &e))?;
    let name = out.file_name().and_then(|n| n.to_str()).unwrap_or("snapshot");
    let tmp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
    if tmp.exists() {
        fs::remove_dir_all(&tmp).map_err(|e| err(&tmp, &e))?;
    }
    fs::create_dir_all(&tmp).map_err(|e| err(&tmp, &e))?;

    for (frame, df) in snapshot.frames() {
        let path = tmp.join(format!("{}.parquet", frame.as_str()));
        let file = File::create(&path).map_err(|e| err(&path, &e))?;
        let mut df = df.clone();
        ParquetWriter::new(&file)
            .with_compression(ParquetCompression::Zstd(None))
            .with_statistics(StatisticsOptions::full())
            .finish(&mut df)
            .map_err(|e| err(&path, &e))?;
        file.sync_all().map_err(|e| err(&path, &e))?;
    }

    let manifest_path = tmp.join("manifest.json");
    let text = serde_json::to_string_pretty(&snapshot.manifest).map_err(|e| err(&manifest_path, &e))?;
    let mut file = File::create(&manifest_path).map_err(|e| err(&manifest_path, &e))?;
    file.write_all(text.as_bytes()).and_then(|_| file.write_all(b"\n")).map_err(|e| err(&manifest_path, &e))?;
    file.sync_all().map_err(|e| err(&manifest_path, &e))?;
    File::open(&tmp).and_then(|d| d.sync_all()).map_err(|e| err(&tmp, &e))?;

    // Replace an existing snapshot only once the new one is complete.
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    if out.exists() {
        if !out.is_dir() {
            return Err(err(out, &"exists and is not a directory"));
        }
        let replaceable =
            out.join("manifest.json").exists() || fs::read_dir(out).map(|mut d| d.next().is_none()).unwrap_or(false);
        if !replaceable {
            return Err(err(out, &"exists and is not a tierwise snapshot; refusing to overwrite it"));
        }
        fs::rename(out, &old).map_err(|e| err(out, &e))?;
    }
    fs::rename(&tmp, out).map_err(|e| err(out, &e))?;
    if old.exists() {
        fs::remove_dir_all(&old).map_err(|e| err(&old, &e))?;
    }
    File::open(&parent).and_then(|d| d.sync_all()).map_err(|e| err(&parent, &e))?;
    Ok(())
}
