//! `tierwise pricing refresh` and the stale-cache refresh of `report --live`: get the
//! offers tierwise prices for some regions — from the Price List API when AWS
//! credentials resolve (or when asked), else from AWS's public offer files — and write
//! them to the price cache. Everything is fetched first and written last, one atomic
//! file per (region, offer), so a failure part-way leaves the old cache as it was.

use std::path::PathBuf;

use super::aws::{AwsContext, RetryPolicy};
use super::{CollectError, offer_download, price_list};
use crate::pricing::cache;
use crate::pricing::offer::{Imported, select::OFFERS};

/// Where prices come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The API with credentials, else the offer files.
    Auto,
    Api,
    Offers,
}

impl Source {
    pub fn parse(s: &str) -> Option<Source> {
        match s {
            "auto" => Some(Source::Auto),
            "api" => Some(Source::Api),
            "offers" => Some(Source::Offers),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct RefreshSettings {
    pub cache_dir: PathBuf,
    pub source: Source,
    pub offers_base_url: String,
    pub profile: Option<String>,
    pub retry: RetryPolicy,
    /// Offers to get (default: every offer tierwise reads).
    pub offers: Vec<String>,
}

/// What a refresh did.
#[derive(Debug, Default)]
pub struct RefreshOutcome {
    /// `Price List API` or the offers base URL.
    pub source: String,
    /// One line per (region, offer) imported.
    pub imported: Vec<String>,
    pub written: Vec<PathBuf>,
    pub warnings: Vec<String>,
    /// GetProducts calls made.
    pub api_calls: u64,
}

/// Fetch every offer for every region, then write the cache.
pub async fn refresh(settings: &RefreshSettings, regions: &[String]) -> Result<RefreshOutcome, CollectError> {
    for r in regions {
        if !crate::pricing::regions::looks_like_region(r) {
            return Err(CollectError::Other(format!("`{r}` is not a region code (e.g. ap-northeast-2)")));
        }
    }
    let offers: Vec<String> = if settings.offers.is_empty() {
        OFFERS.iter().map(|s| s.to_string()).collect()
    } else {
        settings.offers.clone()
    };
    let mut outcome = RefreshOutcome::default();
    let use_api = match settings.source {
        Source::Offers => None,
        Source::Api => Some(AwsContext::load(settings.profile.as_deref(), &settings.retry).await?),
        Source::Auto => match AwsContext::load(settings.profile.as_deref(), &settings.retry).await {
            Ok(ctx) => Some(ctx),
            Err(CollectError::Credentials(_)) => None,
            Err(e) => return Err(e),
        },
    };
    let mut fetched: Vec<Imported> = Vec::new();
    let mut failures = 0usize;
    if let Some(ctx) = &use_api {
        outcome.source = "AWS Price List API (GetProducts)".into();
        let client = ctx.pricing();
        for region in regions {
            for offer in &offers {
                match price_list::fetch(&client, offer, region, &mut outcome.api_calls).await {
                    Ok(imported) if imported.items.is_empty() => {
                        outcome.warnings.push(format!("{offer} {region}: GetProducts returned no item tierwise prices"))
                    }
                    Ok(imported) => fetched.push(imported),
                    Err(e) => {
                        failures += 1;
                        outcome.warnings.push(format!("{offer} {region}: {e}"));
                    }
                }
            }
        }
        if fetched.is_empty() && failures > 0 && settings.source == Source::Auto {
            outcome.warnings.push(
                "the Price List API gave nothing (is pricing:GetProducts allowed?): trying the public offer files"
                    .into(),
            );
            failures = 0;
        }
    }
    if use_api.is_none() || (fetched.is_empty() && failures == 0 && settings.source == Source::Auto) {
        outcome.source = format!("AWS offer files at {}", settings.offers_base_url);
        let client = offer_download::client()?;
        for region in regions {
            for offer in &offers {
                match offer_download::download(&client, &settings.offers_base_url, offer, region).await {
                    Ok(offer_download::Download::Imported(imported)) => fetched.push(*imported),
                    Ok(offer_download::Download::NotPublished) => outcome
                        .warnings
                        .push(format!("{offer} {region}: AWS publishes no offer file (not offered there)")),
                    Err(e) => {
                        failures += 1;
                        outcome.warnings.push(format!("{offer} {region}: {e}"));
                    }
                }
            }
        }
    }
    if fetched.is_empty() && failures > 0 {
        return Err(CollectError::Other(format!(
            "no prices refreshed from {} ({}); the cache is unchanged",
            outcome.source,
            outcome.warnings.join("; ")
        )));
    }
    let now = chrono::Utc::now();
    let mut files = Vec::new();
    for imported in &fetched {
        outcome.imported.push(summary(imported));
        outcome.warnings.extend(imported.warnings.iter().cloned());
        files.extend(cache::files_of(imported, now));
    }
    outcome.written = cache::write(&settings.cache_dir, &files).map_err(|e| {
        CollectError::Other(format!("{}: cannot write the price cache: {e}", settings.cache_dir.display()))
    })?;
    Ok(outcome)
}

/// `AmazonEC2 20260925174521 (published 2026-09-25): 1,234 items in ap-northeast-2`
pub fn summary(imported: &Imported) -> String {
    let regions = imported.regions();
    let region_text = match regions.as_slice() {
        [] => "no region".to_string(),
        [one] => one.to_string(),
        many if many.len() <= 4 => many.join(", "),
        many => format!("{} regions", many.len()),
    };
    format!(
        "{} {} (published {}): {} items in {region_text}, from {} rows",
        imported.meta.offer_code,
        imported.meta.version,
        imported.meta.published,
        imported.items.len(),
        imported.rows
    )
}
