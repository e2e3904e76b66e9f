//! tierwise.toml: rule thresholds, pricing overrides and discounts, report defaults.
//!
//! Defaults are embedded (each rule's documented defaults live with the rule; the
//! rest are the `Default` impls below). A user file is merged over them; an unknown
//! key is an error that names the key. The `[tui]` section is data here: the dashboard
//! validates its own keys (`tui::keymap`), and the commands layer runs both checks.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::pricing::{Discounts, PriceBook, PriceError, PriceFamily};
use crate::report::DisplayCurrency;
use crate::rules::dr::declared::{DeclError, Declared, parse_section};
use crate::rules::{ParamError, RuleTables};

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}: cannot read: {detail}")]
    Unreadable { path: PathBuf, detail: String },
    #[error("{path}: {detail}")]
    Invalid { path: PathBuf, detail: String },
    #[error("{path}: unknown key `{key}`{hint}")]
    UnknownKey { path: PathBuf, key: String, hint: String },
    #[error("{path}: key `{key}` must be {expected}")]
    WrongType { path: PathBuf, key: String, expected: &'static str },
    #[error("{path}: {source}")]
    Pricing { path: PathBuf, source: PriceError },
    #[error("{path}: {source}")]
    Rules { path: PathBuf, source: ParamError },
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub pricing: PricingConfig,
    #[serde(default)]
    pub report: ReportConfig,
    /// `[rules.<family>]` and `[rules."<rule id>"]` tables; validated against the registry after parsing.
    #[serde(default)]
    pub rules: RuleTables,
    #[serde(default)]
    pub tui: TuiConfig,
    #[serde(default)]
    pub collect: CollectConfig,
    /// `[dr]` as written; checked and parsed into `dr_workloads` at load.
    #[serde(default, rename = "dr")]
    dr_table: toml::Table,
    /// `[[dr.workload]]`: DR workloads and their targets (see docs/dr.md).
    #[serde(skip)]
    pub dr_workloads: Vec<Declared>,
    #[serde(default)]
    pub network: NetworkConfig,
    #[serde(skip)]
    pub path: Option<PathBuf>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PricingConfig {
    /// Replaced by `edp_pct` and `compute_commitment_pct`; read only to say so.
    pub discount_pct: Option<f64>,
    /// Enterprise discount program / private pricing: percent off every service's list price.
    pub edp_pct: f64,
    /// Savings Plans / Reserved Instances: the effective discount on EC2 instance hours
    /// (coverage × rate discount), percent. Applies to EC2 instance prices only.
    pub compute_commitment_pct: f64,
    /// A private rate for one service, percent, on top of EDP: compute, ebs, s3,
    /// dynamodb, data-transfer, vpc, backup.
    pub service_discount_pct: BTreeMap<String, f64>,
    /// `"region/item" = usd`, e.g. `"us-east-1/ebs.gp3.gb_month" = 0.08`: the rate paid, used as is.
    pub overrides: BTreeMap<String, f64>,
    /// Where imported and refreshed AWS offer prices are kept (default
    /// `$XDG_CACHE_HOME/tierwise/prices`).
    pub cache_dir: Option<PathBuf>,
    /// `report --live` refreshes the collected regions' prices when their cache is older.
    pub max_age_days: f64,
    /// `pricing refresh` (and `report --live`): `auto` (Price List API when AWS
    /// credentials resolve, else the offer files), `api` or `offers`.
    pub refresh_source: String,
    /// Where AWS publishes the offer files for anonymous download.
    pub offers_base_url: String,
}

/// Where AWS publishes the regional offer files.
pub const OFFERS_BASE_URL: &str = "https://pricing.us-east-1.amazonaws.com";

impl Default for PricingConfig {
    fn default() -> Self {
        PricingConfig {
            discount_pct: None,
            edp_pct: 0.0,
            compute_commitment_pct: 0.0,
            service_discount_pct: BTreeMap::new(),
            overrides: BTreeMap::new(),
            cache_dir: None,
            max_age_days: 30.0,
            refresh_source: "auto".into(),
            offers_base_url: OFFERS_BASE_URL.into(),
        }
    }
}

impl PricingConfig {
    /// The configured discounts, checked: known services, percentages in 0..100.
    pub fn discounts(&self) -> Result<Discounts, PriceError> {
        if self.discount_pct.is_some() {
            return Err(PriceError::BadOverride {
                key: "pricing.discount_pct".into(),
                detail: "replaced by per-service discounts: set `edp_pct` (enterprise discount, every service) \
                         and/or `compute_commitment_pct` (Savings Plans / RI coverage, EC2 instance hours only), \
                         and `[pricing.service_discount_pct]` for a private rate on one service"
                    .into(),
            });
        }
        let mut service_pct = BTreeMap::new();
        for (name, pct) in &self.service_discount_pct {
            let family = PriceFamily::parse(name).ok_or_else(|| PriceError::BadOverride {
                key: format!("pricing.service_discount_pct.{name}"),
                detail: format!(
                    "unknown service (expected one of: {})",
                    PriceFamily::ALL.iter().map(|f| f.as_str()).collect::<Vec<_>>().join(", ")
                ),
            })?;
            service_pct.insert(family, *pct);
        }
        let d = Discounts { edp_pct: self.edp_pct, compute_commitment_pct: self.compute_commitment_pct, service_pct };
        d.validate().map_err(|(key, v)| PriceError::BadOverride { key, detail: format!("{v} is not in 0..100") })?;
        Ok(d)
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportConfig {
    /// Default for `--min-savings`: hide findings saving less than this (USD/month).
    #[serde(default)]
    pub min_savings_usd: Option<f64>,
    /// A second currency the dashboard and Markdown show beside USD (ISO code, e.g. "KRW").
    #[serde(default)]
    pub currency: Option<String>,
    /// Units of `currency` per US dollar, as you want it applied (never fetched).
    #[serde(default)]
    pub usd_rate: Option<f64>,
}

impl ReportConfig {
    /// The display currency, checked: a three-letter code with a positive rate.
    pub fn display_currency(&self) -> Result<Option<DisplayCurrency>, String> {
        match (&self.currency, self.usd_rate) {
            (None, None) => Ok(None),
            (Some(code), Some(rate)) => {
                if !(code.len() == 3 && code.chars().all(|c| c.is_ascii_uppercase())) {
                    return Err(format!("report.currency `{code}` must be a three-letter ISO 4217 code, e.g. \"KRW\""));
                }
                if !(rate.is_finite() && rate > 0.0) {
                    return Err(format!("report.usd_rate must be a positive number of {code} per USD, got {rate}"));
                }
                Ok(Some(DisplayCurrency { code: code.clone(), usd_rate: rate }))
            }
            (Some(code), None) => Err(format!(
                "report.currency = \"{code}\" needs report.usd_rate ({code} per US dollar); tierwise never fetches exchange rates"
            )),
            (None, Some(_)) => Err("report.usd_rate is set without report.currency".into()),
        }
    }
}

/// Live collection tuning.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CollectConfig {
    /// Attempts per API call, first included (throttling and 5xx are retried).
    pub max_attempts: u32,
    /// First retry delay; it doubles per attempt (with full jitter) up to `max_backoff_ms`.
    pub initial_backoff_ms: u64,
    pub max_backoff_ms: u64,
    /// Collectors running at once.
    pub concurrency: usize,
    /// Give up on one attempt of one API call after this long (then retry).
    pub attempt_timeout_secs: u64,
    /// DynamoDB capacity units (tables and GSIs) per region whose consumed capacity is
    /// also read per minute, costliest first; the rest are analysed from hourly data.
    pub dynamodb_minute_units: usize,
}

impl Default for CollectConfig {
    fn default() -> Self {
        CollectConfig {
            max_attempts: 6,
            initial_backoff_ms: 250,
            max_backoff_ms: 20_000,
            concurrency: 8,
            attempt_timeout_secs: 60,
            // = collectors::DYNAMODB_MINUTE_UNITS (config may not import collectors; a test keeps them equal)
            dynamodb_minute_units: 500,
        }
    }
}

/// Live network collection: where the VPC flow logs are, and the kubectl output that
/// names their pods and Services.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetworkConfig {
    /// `s3://bucket/prefix` of the flow logs' S3 delivery (the part before `AWSLogs/`);
    /// read with ListObjectsV2 and GetObject only. Unset: flow logs come from `--import`.
    #[serde(default)]
    pub flow_logs: Option<String>,
    /// `kubectl get pods,services,endpointslices,nodes -A -o json` outputs (relative
    /// to the working directory) used to attribute live flow logs to pods and Services.
    #[serde(default)]
    pub kubectl: Vec<PathBuf>,
}

impl NetworkConfig {
    /// (bucket, prefix) of `flow_logs`, checked.
    pub fn flow_log_location(&self) -> Result<Option<(String, String)>, String> {
        let Some(url) = &self.flow_logs else { return Ok(None) };
        let rest = url
            .strip_prefix("s3://")
            .ok_or_else(|| format!("`network.flow_logs` must be an s3://bucket/prefix URL, got `{url}`"))?;
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        if bucket.is_empty() {
            return Err(format!("`network.flow_logs` names no bucket: `{url}`"));
        }
        Ok(Some((bucket.to_string(), prefix.trim_end_matches('/').to_string())))
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TuiConfig {
    /// Key binding overrides: action name → key (validated by the TUI's keymap).
    #[serde(default)]
    pub keys: BTreeMap<String, String>,
}

impl Config {
    /// Parse a config file's text. `path` is used in error messages only.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let mut config: Config = toml::from_str(text).map_err(|e| {
            let msg = e.message().to_string();
            // serde's "unknown field `x`, expected one of …" becomes our UnknownKey.
            if let Some(rest) = msg.strip_prefix("unknown field `") {
                let key = rest.split('`').next().unwrap_or_default().to_string();
                let hint = rest.split_once(", expected ").map(|(_, e)| format!(" (expected {e})")).unwrap_or_default();
                return ConfigError::UnknownKey { path: path.to_path_buf(), key, hint };
            }
            let location = e
                .span()
                .map(|s| {
                    let line = text[..s.start.min(text.len())].matches('\n').count() + 1;
                    format!("line {line}: ")
                })
                .unwrap_or_default();
            ConfigError::Invalid { path: path.to_path_buf(), detail: format!("{location}{}", msg.trim()) }
        })?;
        config.path = Some(path.to_path_buf());
        config.validate(path)?;
        config.dr_workloads = parse_section(&config.dr_table).map_err(|e| match e {
            DeclError::Unknown { key, hint } => ConfigError::UnknownKey { path: path.to_path_buf(), key, hint },
            DeclError::WrongType { key, expected } => {
                ConfigError::WrongType { path: path.to_path_buf(), key, expected }
            }
            DeclError::Invalid(detail) => ConfigError::Invalid { path: path.to_path_buf(), detail },
        })?;
        Ok(config)
    }

    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| ConfigError::Unreadable { path: path.to_path_buf(), detail: e.to_string() })?;
        Config::parse(&text, path)
    }

    fn validate(&self, path: &Path) -> Result<(), ConfigError> {
        self.network.flow_log_location().map_err(|detail| ConfigError::Invalid { path: path.to_path_buf(), detail })?;
        self.rules.validate().map_err(|source| ConfigError::Rules { path: path.to_path_buf(), source })?;
        self.report.display_currency().map_err(|detail| ConfigError::Invalid { path: path.to_path_buf(), detail })?;
        if !(self.pricing.max_age_days.is_finite() && self.pricing.max_age_days >= 0.0) {
            return Err(ConfigError::Invalid {
                path: path.to_path_buf(),
                detail: format!("pricing.max_age_days must be ≥ 0 days, got {}", self.pricing.max_age_days),
            });
        }
        if !["auto", "api", "offers"].contains(&self.pricing.refresh_source.as_str()) {
            return Err(ConfigError::Invalid {
                path: path.to_path_buf(),
                detail: format!("pricing.refresh_source `{}` must be auto, api or offers", self.pricing.refresh_source),
            });
        }
        self.price_book().map(|_| ()).map_err(|source| ConfigError::Pricing { path: path.to_path_buf(), source })
    }

    /// The embedded price book with this config's overrides and discounts (the offer
    /// cache is added by the commands: `commands::price_book`).
    pub fn price_book(&self) -> Result<PriceBook, PriceError> {
        PriceBook::embedded().with_price_overrides(&self.pricing.overrides)?.with_discounts(self.pricing.discounts()?)
    }

    /// Where the offer price cache lives: `[pricing] cache_dir`, else the XDG cache dir.
    pub fn price_cache_dir(&self) -> Option<PathBuf> {
        self.pricing.cache_dir.clone().or_else(crate::pricing::cache::default_dir)
    }
}

/// tierwise.example.toml: every key with its built-in default, generated from the
/// registry and the `Default`s above (a test keeps the shipped file equal to this).
pub fn example_toml() -> String {
    let c = CollectConfig::default();
    let p = PricingConfig::default();
    format!(
        "# tierwise.toml — every key with its built-in default. Copy what you want to change;\n\
         # anything you leave out keeps its default. An unknown key is an error.\n\
         #   tierwise report --snapshot DIR --config tierwise.toml\n\
         # or set TIERWISE_CONFIG=path/to/tierwise.toml.\n\
         # Generated: `tierwise rules --example-config` prints this file.\n\
         \n\
         [pricing]\n\
         # Discounts, percent off list (docs/pricing.md). A CUR 2.0 / FOCUS import (--import)\n\
         # replaces them with the account's own effective rates for the services it covers.\n\
         # Enterprise discount program / private pricing: every service.\n\
         edp_pct = 0.0\n\
         # Savings Plans / Reserved Instances: effective discount on EC2 instance hours only.\n\
         compute_commitment_pct = 0.0\n\
         # `tierwise report --live` refreshes the collected regions' prices when older than this.\n\
         max_age_days = {max_age:.1}\n\
         # Where `tierwise pricing refresh` gets prices: auto (Price List API when AWS\n\
         # credentials resolve, else the offer files), api, or offers.\n\
         refresh_source = \"{refresh}\"\n\
         # Where AWS publishes the offer files for anonymous download.\n\
         offers_base_url = \"{base}\"\n\
         # Where imported and refreshed prices are kept (default $XDG_CACHE_HOME/tierwise/prices).\n\
         # cache_dir = \"/var/cache/tierwise/prices\"\n\
         \n\
         # A private rate for one service, on top of edp_pct: compute, ebs, s3, dynamodb,\n\
         # data-transfer, vpc, backup.\n\
         [pricing.service_discount_pct]\n\
         # s3 = 0.0\n\
         \n\
         # The rate you pay for an item, used as is (no discount applies to it): \"region/item\"\n\
         # = USD per the item's unit. Items: `tierwise pricing show` (and, for EC2,\n\
         # \"ec2.ondemand.<platform>.<instance type>\" per hour).\n\
         [pricing.overrides]\n\
         # \"us-east-1/ebs.gp3.gb_month\" = 0.08\n\
         \n\
         [report]\n\
         # Default for --min-savings: hide findings that save less than this (USD/month).\n\
         # min_savings_usd = 5.0\n\
         # A second currency beside USD in the dashboard and Markdown (JSON keeps USD and adds\n\
         # the converted figures); the rate is yours, tierwise never fetches one.\n\
         # currency = \"KRW\"\n\
         # usd_rate = 1380.0\n\
         \n\
         {rules}\n\
         [dr]\n\
         # Disaster-recovery workloads and their targets (docs/dr.md). Resources also join a\n\
         # workload by tag: tierwise:workload, tierwise:rto, tierwise:rpo, tierwise:dr-region.\n\
         # [[dr.workload]]\n\
         # name = \"checkout\"\n\
         # rto = \"1h\"                       # durations: 15m, 4h, 1d, 1h30m\n\
         # rpo = \"15m\"\n\
         # primary_region = \"us-east-1\"     # default: where most members run\n\
         # dr_region = \"us-west-2\"          # default: the one other region members run in\n\
         # strategy = \"warm-standby\"        # what you believe is deployed (compared with what is found)\n\
         # tags = [\"app=checkout\"]          # resources carrying any of these tags belong to it\n\
         # resources = [\"arn:aws:s3:::acme-uploads\", \"i-0abc123\"]\n\
         \n\
         [tui.keys]\n\
         # Rebind dashboard keys: action name = key (see `?` in the dashboard for names).\n\
         # quit = \"q\"\n\
         \n\
         [collect]\n\
         # Live collection: attempts per API call (throttling and 5xx are retried with\n\
         # exponential backoff and full jitter), first delay, cap, collectors at once,\n\
         # and the time one attempt of one call may take.\n\
         max_attempts = {}\n\
         initial_backoff_ms = {}\n\
         max_backoff_ms = {}\n\
         concurrency = {}\n\
         attempt_timeout_secs = {}\n\
         # DynamoDB tables and GSIs per region whose consumed capacity is also read per\n\
         # minute (costliest first; 2 metrics each, 5 per GetMetricData call); the rest\n\
         # are simulated from hourly data, with lower confidence. 0 = hourly only.\n\
         dynamodb_minute_units = {}\n\
         \n\
         [network]\n\
         # Live collection reads VPC flow logs from their S3 delivery when this is set (the\n\
         # bucket and the prefix before `AWSLogs/`; ListObjectsV2 and GetObject only).\n\
         # Without it, pass the downloaded objects with --import DIR.\n\
         # flow_logs = \"s3://my-flow-log-bucket/vpc\"\n\
         # kubectl get pods,services,endpointslices,nodes -A -o json outputs that name\n\
         # the pods and Services behind the addresses of live flow logs.\n\
         # kubectl = [\"prod-eks.json\"]\n",
        c.max_attempts,
        c.initial_backoff_ms,
        c.max_backoff_ms,
        c.concurrency,
        c.attempt_timeout_secs,
        c.dynamodb_minute_units,
        rules = crate::rules::example_toml(),
        max_age = p.max_age_days,
        refresh = p.refresh_source,
        base = p.offers_base_url,
    )
}
