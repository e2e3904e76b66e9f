//! The local price cache: `$XDG_CACHE_HOME/tierwise/prices/<region>/<OfferCode>.json`
//! (`~/.cache/…` without XDG_CACHE_HOME), one file per region and offer, holding the
//! items tierwise prices with the offer's version and publication date.
//!
//! Each file is written with `atomic_file::write_atomic` (temporary sibling, fsync,
//! rename): a reader — or the next run after a kill — sees the old file or the new one,
//! never half of one. A new import of an offer replaces that offer's file for each
//! region it covers. A file that does not parse is reported and ignored.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::offer::Imported;
use super::origin::Origin;
use super::regions::looks_like_region;
use super::{Price, PriceBook};

/// Format of the cache files; a file of another format is ignored with a warning.
pub const FORMAT: u32 = 1;

/// `$XDG_CACHE_HOME/tierwise/prices` or `~/.cache/tierwise/prices`.
pub fn default_dir() -> Option<PathBuf> {
    std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .map(|base| base.join("tierwise").join("prices"))
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CachedItem {
    pub usd: f64,
    pub unit: String,
    pub sku: String,
    pub rate_code: String,
    pub description: String,
}

/// One cache file: one offer's items for one region.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CacheFile {
    pub format: u32,
    pub region: String,
    pub offer_code: String,
    pub version: String,
    /// The offer's publication date, `YYYY-MM-DD`.
    pub published: String,
    /// The file, URL or API it was read from.
    pub from: String,
    /// When tierwise wrote it (RFC 3339).
    pub imported_at: String,
    pub items: BTreeMap<String, CachedItem>,
}

impl CacheFile {
    pub fn origin(&self) -> Origin {
        Origin::OfferCache {
            offer: self.offer_code.clone(),
            version: self.version.clone(),
            published: self.published.clone(),
            from: self.from.clone(),
        }
    }

    /// Days since the file was written (the age `report --live` compares).
    pub fn age_days(&self, now: chrono::DateTime<chrono::Utc>) -> Option<f64> {
        let at = chrono::DateTime::parse_from_rfc3339(&self.imported_at).ok()?;
        Some((now - at.with_timezone(&chrono::Utc)).num_seconds() as f64 / 86_400.0)
    }
}

fn file_path(dir: &Path, region: &str, offer: &str) -> PathBuf {
    dir.join(region).join(format!("{offer}.json"))
}

/// Split an import into its per-region cache files.
pub fn files_of(imported: &Imported, now: chrono::DateTime<chrono::Utc>) -> Vec<CacheFile> {
    let mut by_region: BTreeMap<&str, BTreeMap<String, CachedItem>> = BTreeMap::new();
    for ((region, key), item) in &imported.items {
        by_region.entry(region.as_str()).or_default().insert(
            key.clone(),
            CachedItem {
                usd: item.usd,
                unit: item.unit.clone(),
                sku: item.sku.clone(),
                rate_code: item.rate_code.clone(),
                description: item.description.clone(),
            },
        );
    }
    by_region
        .into_iter()
        .map(|(region, items)| CacheFile {
            format: FORMAT,
            region: region.to_string(),
            offer_code: imported.meta.offer_code.clone(),
            version: imported.meta.version.clone(),
            published: imported.meta.published.clone(),
            from: imported.from.clone(),
            imported_at: now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            items,
        })
        .collect()
}

/// Write each file atomically under `dir`; returns the paths written. A region code that
/// is not one (`../x`) is refused rather than written outside the cache.
pub fn write(dir: &Path, files: &[CacheFile]) -> std::io::Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    for file in files {
        if !looks_like_region(&file.region) {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("`{}` is not a region code; not cached", file.region),
            ));
        }
        let path = file_path(dir, &file.region, &file.offer_code);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let text = serde_json::to_vec_pretty(file).map_err(std::io::Error::other)?;
        crate::atomic_file::write_atomic(&path, &text)?;
        written.push(path);
    }
    Ok(written)
}

/// Every readable cache file under `dir`, and a warning per file that is not.
pub fn load(dir: &Path) -> (Vec<CacheFile>, Vec<String>) {
    let mut files = Vec::new();
    let mut warnings = Vec::new();
    let Ok(regions) = std::fs::read_dir(dir) else { return (files, warnings) };
    let mut paths: Vec<PathBuf> = regions
        .flatten()
        .filter(|e| e.path().is_dir())
        .flat_map(|e| std::fs::read_dir(e.path()).into_iter().flatten().flatten().map(|f| f.path()))
        .filter(|p| {
            p.extension().is_some_and(|e| e == "json")
                && !p.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.'))
        })
        .collect();
    paths.sort();
    for path in paths {
        let parsed = std::fs::read(&path)
            .map_err(|e| e.to_string())
            .and_then(|b| serde_json::from_slice::<CacheFile>(&b).map_err(|e| e.to_string()));
        match parsed {
            Ok(f) if f.format != FORMAT => {
                warnings.push(format!("{}: cache format {} (expected {FORMAT}); ignored", path.display(), f.format))
            }
            Ok(f) if path.parent().and_then(|p| p.file_name()).is_none_or(|d| d != f.region.as_str()) => warnings
                .push(format!("{}: holds region {} in another region's folder; ignored", path.display(), f.region)),
            Ok(f) => files.push(f),
            Err(e) => warnings.push(format!("{}: unreadable price cache ({e}); ignored", path.display())),
        }
    }
    (files, warnings)
}

/// The regions of `regions` whose cache is missing or older than `max_age_days` (its
/// oldest file counts), with that age in days (None: no cache for the region).
pub fn stale(
    files: &[CacheFile],
    regions: &[String],
    max_age_days: f64,
    now: chrono::DateTime<chrono::Utc>,
) -> Vec<(String, Option<f64>)> {
    regions
        .iter()
        .filter_map(|region| {
            let ages: Vec<f64> = files.iter().filter(|f| &f.region == region).filter_map(|f| f.age_days(now)).collect();
            let oldest = ages.iter().copied().fold(None, |m: Option<f64>, a| Some(m.map_or(a, |m| m.max(a))));
            match oldest {
                Some(age) if age <= max_age_days => None,
                other => Some((region.clone(), other)),
            }
        })
        .collect()
}

/// The book with the cached prices added (below overrides, above the embedded catalog).
pub fn apply(book: PriceBook, files: &[CacheFile]) -> PriceBook {
    let items = files.iter().flat_map(|f| {
        let origin = Arc::new(f.origin());
        f.items.iter().map(move |(key, item)| {
            let source = format!("AWS offer {} {} SKU {} ({})", f.offer_code, f.version, item.sku, item.rate_code);
            (
                f.region.clone(),
                key.clone(),
                Price { usd: item.usd, unit: item.unit.clone(), source, origin: Arc::clone(&origin) },
            )
        })
    });
    book.with_offer_prices(items)
}

#[cfg(test)]
mod tests {
    use super::super::offer::{ImportedItem, OfferMeta};
    use super::*;

    fn imported() -> Imported {
        let mut i = Imported {
            meta: OfferMeta {
                offer_code: "AmazonEC2".into(),
                version: "20260925174521".into(),
                published: "2026-09-25".into(),
            },
            from: "test".into(),
            ..Imported::default()
        };
        let item = |usd| ImportedItem {
            usd,
            unit: "hour".into(),
            sku: "S".into(),
            rate_code: "R".into(),
            description: String::new(),
        };
        i.items.insert(("ap-northeast-2".into(), "ec2.ondemand.linux.m5.large".into()), item(0.118));
        i.items.insert(("eu-west-1".into(), "ec2.ondemand.linux.m5.large".into()), item(0.107));
        i
    }

    #[test]
    fn round_trip_one_file_per_region_and_a_damaged_file_is_ignored() {
        let dir = std::env::temp_dir().join(format!("tierwise-cache-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let now = chrono::Utc::now();
        let written = write(&dir, &files_of(&imported(), now)).unwrap();
        assert_eq!(written.len(), 2);
        std::fs::write(dir.join("eu-west-1").join(".AmazonEC2.json.tmp-1"), "{ half").unwrap();
        let (files, warnings) = load(&dir);
        assert_eq!((files.len(), warnings.len()), (2, 0), "temporaries are not cache files: {warnings:?}");
        let book = apply(PriceBook::embedded(), &files);
        assert_eq!(book.ec2_hourly("ap-northeast-2", "m5.large", "linux"), Ok(0.118));
        assert_eq!(book.ec2_hourly("us-east-1", "m5.large", "linux"), Ok(0.096), "us-east-1 untouched");
        std::fs::write(&written[0], "{ \"format\": 1, \"region\": ").unwrap();
        let (files, warnings) = load(&dir);
        assert_eq!(files.len(), 1);
        assert!(warnings[0].contains("unreadable price cache"), "{warnings:?}");
        let bad = CacheFile { region: "../x".into(), ..files[0].clone() };
        assert!(write(&dir, &[bad]).is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
