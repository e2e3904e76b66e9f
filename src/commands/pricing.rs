//! `tierwise pricing import | refresh | show`.

use std::fmt::Write as _;

use crate::cli::PricingCommand;
use crate::collectors::price_refresh::{self, Source};
use crate::error::{Error, exit};
use crate::pricing::{PriceBook, PriceFamily, cache, offer};
use crate::{Config, input};

pub fn run(command: &PricingCommand, config: &Config) -> Result<u8, Error> {
    match command {
        PricingCommand::Import { files } => import(files, config),
        PricingCommand::Refresh { regions, source, profile, offers } => {
            refresh(regions, source.as_deref(), profile.clone(), offers, config)
        }
        PricingCommand::Show { region, item } => show(region.as_deref(), item.as_deref(), config),
    }
}

fn cache_dir(config: &Config) -> Result<std::path::PathBuf, Error> {
    config.price_cache_dir().ok_or_else(|| {
        Error::Usage("no cache directory: set XDG_CACHE_HOME or HOME, or [pricing] cache_dir in tierwise.toml".into())
    })
}

/// Read every file first (a bad one changes nothing), then write the cache.
fn import(files: &[std::path::PathBuf], config: &Config) -> Result<u8, Error> {
    let dir = cache_dir(config)?;
    let mut imported = Vec::new();
    for path in files {
        let i = offer::import_file(path)?;
        if i.items.is_empty() {
            eprintln!(
                "tierwise: {}: {} rows, none that tierwise prices (skipped: {})",
                path.display(),
                i.rows,
                skipped_text(&i)
            );
        }
        imported.push(i);
    }
    let now = chrono::Utc::now();
    let cache_files: Vec<cache::CacheFile> = imported.iter().flat_map(|i| cache::files_of(i, now)).collect();
    let written = cache::write(&dir, &cache_files).map_err(|source| Error::Io { path: dir.clone(), source })?;
    for i in &imported {
        eprintln!("tierwise: imported {}: {}", i.from, price_refresh::summary(i));
        if !i.skipped.is_empty() {
            eprintln!("  not imported: {}", skipped_text(i));
        }
        for w in &i.warnings {
            eprintln!("  warning: {w}");
        }
    }
    eprintln!("tierwise: price cache {}: {} files written", dir.display(), written.len());
    Ok(exit::OK)
}

fn skipped_text(i: &offer::Imported) -> String {
    let mut reasons: Vec<(&&str, &u64)> = i.skipped.iter().collect();
    reasons.sort_by(|a, b| b.1.cmp(a.1));
    reasons.iter().map(|(r, n)| format!("{n} {r}")).collect::<Vec<_>>().join("; ")
}

fn refresh(
    regions: &[String],
    source: Option<&str>,
    profile: Option<String>,
    offers: &[String],
    config: &Config,
) -> Result<u8, Error> {
    let Some(mut settings) = input::refresh_settings(config, profile) else {
        return Err(Error::Usage("no cache directory: set XDG_CACHE_HOME or HOME, or [pricing] cache_dir".into()));
    };
    if let Some(s) = source {
        settings.source =
            Source::parse(s).ok_or_else(|| Error::Usage(format!("--source `{s}`: expected auto, api or offers")))?;
    }
    for o in offers {
        if !offer::select::OFFERS.contains(&o.as_str()) {
            return Err(Error::Usage(format!(
                "--offers: `{o}` is not an offer tierwise reads ({})",
                offer::select::OFFERS.join(", ")
            )));
        }
    }
    settings.offers = offers.to_vec();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::Other(format!("cannot start the async runtime: {e}")))?;
    let outcome = runtime.block_on(price_refresh::refresh(&settings, regions))?;
    eprintln!("tierwise: prices from {}", outcome.source);
    for line in &outcome.imported {
        eprintln!("  {line}");
    }
    for w in &outcome.warnings {
        eprintln!("  warning: {w}");
    }
    if outcome.api_calls > 0 {
        eprintln!("tierwise: {} pricing:GetProducts calls", outcome.api_calls);
    }
    eprintln!("tierwise: price cache {}: {} files written", settings.cache_dir.display(), outcome.written.len());
    Ok(exit::OK)
}

/// The book as a run would use it (embedded + cache + config), listed.
fn show(region: Option<&str>, item: Option<&str>, config: &Config) -> Result<u8, Error> {
    let mut book = config.price_book()?;
    if let Some(dir) = config.price_cache_dir() {
        let (files, warnings) = cache::load(&dir);
        for w in warnings {
            eprintln!("tierwise: warning: {w}");
        }
        book = cache::apply(book, &files);
    }
    let text = listing(&book, region, item);
    if text.is_empty() {
        eprintln!(
            "tierwise: no price matches{}{} (unpriced: `tierwise pricing refresh --regions R` or \
             `tierwise pricing import FILE` adds a region's prices)",
            region.map(|r| format!(" in {r}")).unwrap_or_default(),
            item.map(|i| format!(" for `{i}`")).unwrap_or_default()
        );
    }
    print!("{text}");
    Ok(exit::OK)
}

/// One block per region: its sources and dates, then one line per item.
pub fn listing(book: &PriceBook, region: Option<&str>, item: Option<&str>) -> String {
    let mut out = String::new();
    let items: Vec<_> = book
        .items()
        .into_iter()
        .filter(|(r, k, _)| region.is_none_or(|want| *r == want) && item.is_none_or(|p| k.starts_with(p)))
        .collect();
    let mut current = "";
    for (r, key, price) in items {
        if r != current {
            current = r;
            let _ = writeln!(out, "{}{r}", if out.is_empty() { "" } else { "\n" });
            for (origin, n) in book.region_sources(r) {
                let _ = writeln!(out, "  source: {} — {n} items", origin.describe());
            }
            for family in PriceFamily::ALL {
                let f = book.rate_factor(r, *family);
                if f.value != 1.0 {
                    let _ = writeln!(out, "  rate: {family} × {:.4} ({})", f.value, f.basis.as_str());
                }
            }
        }
        let paid = book.usd(r, key).unwrap_or(price.usd);
        let paid = if (paid - price.usd).abs() > 1e-12 { format!("  paid {paid:.6}") } else { String::new() };
        let _ = writeln!(
            out,
            "  {key:<52} {:>12.6} USD / {:<24}{paid}  [{}] {}",
            price.usd,
            price.unit,
            price.origin.kind(),
            price.source
        );
    }
    out
}
