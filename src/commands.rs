//! What each command does. `main.rs` parses the command line and calls `run`.

mod pricing;

use std::io::Write;
use std::path::Path;

use crate::cli::{AwsArgs, Cli, CollectArgs, Command, DemoArgs, ReportArgs, RulesArgs, SourceArgs};
use crate::collectors::CollectOptions;
use crate::error::{Error, exit};
use crate::input::Input;
use crate::report::present::render;
use crate::report::{Category, ReportFilter};
use crate::{Config, Report, analyze, demo, rules, snapshot};

/// Run the parsed command line; returns the process exit code.
pub fn run(cli: Cli) -> Result<u8, Error> {
    let config = match &cli.config {
        Some(path) => load_config(path)?,
        None => Config::default(),
    };
    match cli.command {
        Some(Command::Report(args)) => report(&merge(&cli.source, &args.source), &args, &config),
        Some(Command::Tui(args)) => tui(&merge(&cli.source, &args.source), &config),
        Some(Command::Rules(args)) => rules_cmd(&args),
        Some(Command::Demo(args)) => demo_cmd(&args),
        Some(Command::Collect(args)) => collect_cmd(&args, &config),
        Some(Command::Pricing(args)) => pricing::run(&args.command, &config),
        None => match cli.report {
            Some(format) => {
                let args = ReportArgs {
                    source: cli.source.clone(),
                    format,
                    out: None,
                    min_savings: None,
                    category: Vec::new(),
                    fail_above: None,
                };
                report(&cli.source, &args, &config)
            }
            None if cli.source.demo || cli.source.snapshot.is_some() || cli.source.import.is_some() => {
                tui(&cli.source, &config)
            }
            None => Err(Error::Usage(
                "nothing to do: try `tierwise --demo` (dashboard on a demo account), \
                 `tierwise report --snapshot DIR`, or `tierwise --help`"
                    .into(),
            )),
        },
    }
}

/// A config file, checked whole: the library's sections by `Config`, `[tui]` by the dashboard.
pub fn load_config(path: &Path) -> Result<Config, Error> {
    let config = Config::load(path)?;
    crate::tui::keymap::check_config(&config.tui, path)?;
    Ok(config)
}

/// Source flags may be given before or after the subcommand.
fn merge(top: &SourceArgs, sub: &SourceArgs) -> SourceArgs {
    let aws =
        if sub.aws.profile.is_some() || !sub.aws.regions.is_empty() || sub.aws.all_regions || sub.aws.days.is_some() {
            sub.aws.clone()
        } else {
            top.aws.clone()
        };
    SourceArgs {
        demo: top.demo || sub.demo,
        snapshot: sub.snapshot.clone().or_else(|| top.snapshot.clone()),
        live: top.live || sub.live,
        import: sub.import.clone().or_else(|| top.import.clone()),
        aws,
    }
}

/// Collection options from the command line and the `[collect]` config.
pub fn collect_options(aws: &AwsArgs, config: &Config) -> CollectOptions {
    let c = &config.collect;
    CollectOptions {
        profile: aws.profile.clone(),
        regions: aws.regions.clone(),
        all_regions: aws.all_regions,
        days: aws.days.unwrap_or(crate::collectors::DEFAULT_DAYS),
        concurrency: c.concurrency.max(1),
        retry: crate::collectors::aws::RetryPolicy {
            max_attempts: c.max_attempts.max(1),
            initial_backoff: std::time::Duration::from_millis(c.initial_backoff_ms),
            max_backoff: std::time::Duration::from_millis(c.max_backoff_ms.max(c.initial_backoff_ms)),
            attempt_timeout: std::time::Duration::from_secs(c.attempt_timeout_secs.max(1)),
        },
        dynamodb_minute_units: c.dynamodb_minute_units,
        flow_logs: config.network.flow_log_location().ok().flatten().map(|(bucket, prefix)| {
            crate::collectors::flow_logs::FlowLogSource { bucket, prefix, kubectl: config.network.kubectl.clone() }
        }),
        ..CollectOptions::default()
    }
}

pub fn resolve_input(source: &SourceArgs, config: &Config) -> Result<Input, Error> {
    if let Some(dir) = &source.import {
        let rest = SourceArgs { import: None, ..source.clone() };
        if !(rest.demo || rest.snapshot.is_some() || rest.live) {
            return Ok(Input::Import(dir.clone()));
        }
        return Ok(Input::WithImport { base: Box::new(resolve_input(&rest, config)?), import: dir.clone() });
    }
    let chosen = [source.demo, source.snapshot.is_some(), source.live].iter().filter(|b| **b).count();
    if chosen > 1 {
        return Err(Error::Usage("choose one source: --demo, --snapshot DIR or --live".into()));
    }
    if source.live {
        return Ok(Input::Live(collect_options(&source.aws, config)));
    }
    match (source.demo, &source.snapshot) {
        (true, _) => Ok(Input::Demo { scale: 1, seed: demo::DEFAULT_SEED }),
        (false, Some(dir)) => Ok(Input::Snapshot(dir.clone())),
        (false, None) => Err(Error::Usage(
            "no data source: add --demo (synthetic account), --snapshot DIR (a saved snapshot) or --live (AWS)".into(),
        )),
    }
}

/// Load the input and analyse it with the config's prices (and the offer cache) and thresholds.
pub fn build_report(input: &Input, config: &Config) -> Result<Report, Error> {
    let snapshot = input.load()?;
    let prices = input.prices(config, &snapshot, &|line| eprintln!("tierwise: {line}"))?;
    let mut report = analyze(&snapshot, &prices.book, config);
    add_price_warnings(&mut report, prices.warnings);
    if let Input::Snapshot(dir) = input {
        report.source.detail = dir.display().to_string();
    }
    Ok(report)
}

/// Warnings about the prices themselves (unreadable cache, failed refresh) go first.
pub fn add_price_warnings(report: &mut Report, warnings: Vec<String>) {
    let mut all: Vec<crate::report::Warning> =
        warnings.into_iter().map(|message| crate::report::Warning { source: "pricing".into(), message }).collect();
    all.append(&mut report.warnings);
    report.warnings = all;
}

fn parse_categories(names: &[String]) -> Result<Vec<Category>, Error> {
    names
        .iter()
        .map(|n| n.trim())
        .filter(|n| !n.is_empty())
        .map(|n| {
            Category::parse(n).ok_or_else(|| {
                let known: Vec<&str> = Category::ALL.iter().map(|c| c.as_str()).collect();
                Error::Usage(format!("unknown category `{n}` (expected one of: {})", known.join(", ")))
            })
        })
        .collect()
}

fn report(source: &SourceArgs, args: &ReportArgs, config: &Config) -> Result<u8, Error> {
    let input = resolve_input(source, config)?;
    let filter = ReportFilter {
        min_savings_usd: args.min_savings.or(config.report.min_savings_usd),
        categories: parse_categories(&args.category)?,
    };
    if let Some(min) = filter.min_savings_usd
        && !(min.is_finite() && min >= 0.0)
    {
        return Err(Error::Usage(format!("--min-savings must be a non-negative number of USD, got {min}")));
    }
    let report = filter.apply(&build_report(&input, config)?);
    let text = render(&report, args.format.into());
    match &args.out {
        Some(path) => write_file(path, &text)?,
        None => write_stdout(&text)?,
    }
    match args.fail_above {
        Some(limit) if report.summary.monthly_savings_usd > limit => {
            eprintln!(
                "tierwise: projected savings ${:.2}/month exceed --fail-above ${limit:.2}",
                report.summary.monthly_savings_usd
            );
            Ok(exit::FAIL_ABOVE)
        }
        _ => Ok(exit::OK),
    }
}

/// Print to stdout. A closed pipe (`| head`) is not an error worth reporting; any
/// other failure (a full disk behind `> file`) is, with exit code 1.
fn write_stdout(text: &str) -> Result<(), Error> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(text.as_bytes()).and_then(|_| stdout.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Error::Io { path: std::path::PathBuf::from("<stdout>"), source: e })
        }
        _ => Ok(()),
    }
}

/// Write a file atomically (a reader never sees half of it).
pub fn write_file(path: &Path, text: &str) -> Result<(), Error> {
    crate::atomic_file::write_atomic(path, text.as_bytes())
        .map_err(|source| Error::Io { path: path.to_path_buf(), source })
}

/// The dashboard: it loads the input itself, on a background thread.
fn tui(source: &SourceArgs, config: &Config) -> Result<u8, Error> {
    let input = resolve_input(source, config)?;
    crate::tui::run(input, config.clone())
}

fn rules_cmd(args: &RulesArgs) -> Result<u8, Error> {
    let text = if args.example_config {
        crate::config::example_toml()
    } else if args.markdown {
        rules::rules_markdown()
    } else {
        rules::rules_text()
    };
    write_stdout(&text)?;
    Ok(exit::OK)
}

fn collect_cmd(args: &CollectArgs, config: &Config) -> Result<u8, Error> {
    let input = Input::Live(collect_options(&args.aws, config));
    let snap = input.load()?;
    snapshot::save::save_snapshot(&snap, &args.out)?;
    let failed: Vec<&String> = snap
        .manifest
        .collectors
        .iter()
        .filter(|(_, r)| r.status != snapshot::CollectorStatus::Ok)
        .map(|(n, _)| n)
        .collect();
    let calls: u64 = snap.manifest.api_calls().iter().filter(|(k, _)| !k.ends_with(":metrics")).map(|(_, v)| v).sum();
    eprintln!(
        "tierwise: wrote snapshot to {} ({} frames, {calls} API calls{})",
        args.out.display(),
        snap.frames().count(),
        if failed.is_empty() {
            String::new()
        } else {
            format!("; not ok: {}", failed.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", "))
        }
    );
    Ok(exit::OK)
}

fn demo_cmd(args: &DemoArgs) -> Result<u8, Error> {
    let snap = demo::generate(args.scale, args.seed);
    snapshot::save::save_snapshot(&snap, &args.out)?;
    let rows: usize = snap.frames().map(|(_, df)| df.height()).sum();
    eprintln!(
        "tierwise: wrote demo snapshot (seed {}, scale {}) to {}: {} frames, {rows} rows",
        args.seed,
        args.scale,
        args.out.display(),
        snap.frames().count()
    );
    Ok(exit::OK)
}
