//! The price book a run uses: the embedded catalog with the config's overrides and
//! discounts, plus the local offer cache (`tierwise pricing import` / `refresh`). The
//! demo is priced by the embedded catalog only, so it reads the same on every machine.
//! A live run first refreshes the collected regions whose cache is missing or older
//! than `[pricing] max_age_days`, says so, and without network carries on with what it
//! has (and a warning).

use crate::collectors::aws::RetryPolicy;
use crate::collectors::price_refresh::{RefreshSettings, Source, refresh};
use crate::config::Config;
use crate::error::Error;
use crate::pricing::{PriceBook, cache};
use crate::snapshot::Snapshot;

use super::Input;

/// A price book and the warnings its sources raised (unreadable cache files, a refresh
/// that failed).
pub struct Prices {
    pub book: PriceBook,
    pub warnings: Vec<String>,
}

/// Refresh settings from the config (`--profile` of a live run is used for the API).
pub fn refresh_settings(config: &Config, profile: Option<String>) -> Option<RefreshSettings> {
    let c = &config.collect;
    Some(RefreshSettings {
        cache_dir: config.price_cache_dir()?,
        source: Source::parse(&config.pricing.refresh_source).unwrap_or(Source::Auto),
        offers_base_url: config.pricing.offers_base_url.clone(),
        profile,
        retry: RetryPolicy {
            max_attempts: c.max_attempts.max(1),
            initial_backoff: std::time::Duration::from_millis(c.initial_backoff_ms),
            max_backoff: std::time::Duration::from_millis(c.max_backoff_ms.max(c.initial_backoff_ms)),
            attempt_timeout: std::time::Duration::from_secs(c.attempt_timeout_secs.max(1)),
        },
        offers: Vec::new(),
    })
}

fn live_profile(input: &Input) -> Option<Option<String>> {
    match input {
        Input::Live(opts) => Some(opts.profile.clone()),
        Input::WithImport { base, .. } => live_profile(base),
        _ => None,
    }
}

fn is_demo(input: &Input) -> bool {
    match input {
        Input::Demo { .. } => true,
        Input::WithImport { base, .. } => is_demo(base),
        _ => false,
    }
}

impl Input {
    /// The price book for analysing `snapshot` from this input. `say` gets one line per
    /// thing worth telling the user (a refresh starting).
    pub fn prices(&self, config: &Config, snapshot: &Snapshot, say: &dyn Fn(&str)) -> Result<Prices, Error> {
        let book = config.price_book()?;
        if is_demo(self) {
            return Ok(Prices { book, warnings: Vec::new() });
        }
        let Some(dir) = config.price_cache_dir() else {
            return Ok(Prices { book, warnings: Vec::new() });
        };
        let (mut files, mut warnings) = cache::load(&dir);
        if let Some(profile) = live_profile(self) {
            let now = chrono::Utc::now();
            let stale = cache::stale(&files, &snapshot.manifest.regions, config.pricing.max_age_days, now);
            if !stale.is_empty()
                && let Some(settings) = refresh_settings(config, profile)
            {
                let what: Vec<String> = stale
                    .iter()
                    .map(|(r, age)| match age {
                        Some(d) => format!("{r} ({d:.0} days old)"),
                        None => format!("{r} (not cached)"),
                    })
                    .collect();
                say(&format!("refreshing prices older than {} days: {}", config.pricing.max_age_days, what.join(", ")));
                let regions: Vec<String> = stale.into_iter().map(|(r, _)| r).collect();
                match run_refresh(&settings, &regions) {
                    Ok(outcome) => {
                        say(&format!(
                            "prices refreshed from {}: {} offer files",
                            outcome.source,
                            outcome.written.len()
                        ));
                        warnings.extend(outcome.warnings.into_iter().map(|w| format!("price refresh: {w}")));
                        let (fresh, more) = cache::load(&dir);
                        files = fresh;
                        warnings.extend(more);
                    }
                    Err(e) => warnings.push(format!(
                        "could not refresh prices for {} ({e}); using the cached and embedded prices \
                         (see source.pricing for their dates)",
                        regions.join(", ")
                    )),
                }
            }
        }
        Ok(Prices { book: cache::apply(book, &files), warnings })
    }
}

fn run_refresh(
    settings: &RefreshSettings,
    regions: &[String],
) -> Result<crate::collectors::price_refresh::RefreshOutcome, String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    runtime.block_on(refresh(settings, regions)).map_err(|e| e.to_string())
}
