//! Command-line definitions (clap). No logic here: see `commands.rs`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::report::present::Format;

/// Report formats as the command line spells them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Json,
    #[value(alias = "markdown")]
    Md,
    Csv,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Json => Format::Json,
            FormatArg::Md => Format::Md,
            FormatArg::Csv => Format::Csv,
        }
    }
}

const AFTER_HELP: &str = "\
Examples:
  tierwise --demo                                  dashboard on the bundled demo account
  tierwise report --demo --format md               the same findings as Markdown
  tierwise report --snapshot DIR --format json     analyse a saved snapshot (cron, CI)
  tierwise report --snapshot DIR --fail-above 500  exit 3 when savings exceed $500/month
  tierwise report --snapshot DIR --import INV      add an S3 Inventory export to a snapshot
  tierwise collect --out DIR --regions us-east-1   snapshot a live account (read-only)
  tierwise report --live --profile prod            collect and report in one go
  tierwise demo --out DIR --scale 10               write a synthetic snapshot
  tierwise rules                                   every rule, its defaults, the data it needs
  tierwise pricing import index.csv                add an AWS offer file's prices (any region)
  tierwise pricing refresh --regions ap-northeast-2  get a region's current prices from AWS
  tierwise pricing show --region ap-northeast-2 ebs  what the price book holds, and from where

Exit codes: 0 ok, 1 error, 2 bad input or usage, 3 --fail-above exceeded.
tierwise only reads: it never changes anything in an AWS account.";

/// Read-only AWS cost and storage-tier advisor: finds what to change, what it saves
/// per month, how sure it is, and the exact command to run.
#[derive(Debug, Parser)]
#[command(name = "tierwise", version, about, long_about = None, after_help = AFTER_HELP)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    #[command(flatten)]
    pub source: SourceArgs,

    /// Short form of `tierwise report --format FORMAT` (on --demo or --snapshot).
    #[arg(long, value_name = "FORMAT")]
    pub report: Option<FormatArg>,

    /// Configuration file (defaults are built in; see tierwise.example.toml).
    #[arg(long, global = true, value_name = "FILE", env = "TIERWISE_CONFIG")]
    pub config: Option<PathBuf>,

    /// More log output on stderr (-v, -vv).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
}

/// Where the data comes from.
#[derive(Debug, Clone, Default, Args)]
pub struct SourceArgs {
    /// Use the bundled synthetic demo account.
    #[arg(long, conflicts_with = "snapshot")]
    pub demo: bool,

    /// A snapshot directory (manifest.json + one Parquet/CSV file per frame).
    #[arg(long, value_name = "DIR")]
    pub snapshot: Option<PathBuf>,

    /// Collect from AWS now (read-only calls; see docs/iam-policy.json).
    #[arg(long, conflicts_with_all = ["demo", "snapshot"])]
    pub live: bool,

    /// A directory of AWS-native exports (S3 Inventory manifest.json + CSV/Parquet data
    /// files), alone or added to --snapshot / --live / --demo.
    #[arg(long = "import", value_name = "DIR")]
    pub import: Option<PathBuf>,

    #[command(flatten)]
    pub aws: AwsArgs,
}

/// How to reach AWS (for --live and `collect`).
#[derive(Debug, Clone, Default, Args)]
pub struct AwsArgs {
    /// AWS profile from ~/.aws/config (default: AWS_PROFILE, then `default`).
    #[arg(long, value_name = "P")]
    pub profile: Option<String>,

    /// Regions to collect, comma-separated (default: the profile's region).
    #[arg(long, value_name = "R1,R2", value_delimiter = ',')]
    pub regions: Vec<String>,

    /// Collect every region enabled in the account.
    #[arg(long, conflicts_with = "regions")]
    pub all_regions: bool,

    #[arg(
        long,
        value_parser = clap::value_parser!(u32).range(1..=93),
        help = concat!("Days of hourly metrics to collect (1-93) [default: ", crate::default_metric_days!(), "]")
    )]
    pub days: Option<u32>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Analyse and print a report (JSON, Markdown or CSV) — for cron and CI.
    Report(ReportArgs),
    /// The interactive dashboard.
    Tui(TuiArgs),
    /// List every rule with its defaults and the data it needs.
    Rules(RulesArgs),
    /// Collect from AWS (read-only) into a snapshot directory.
    Collect(CollectArgs),
    /// Write the deterministic synthetic demo account as a snapshot.
    Demo(DemoArgs),
    /// Prices: import AWS offer files, refresh them from AWS, show what the book holds.
    Pricing(PricingArgs),
}

#[derive(Debug, Args)]
pub struct PricingArgs {
    #[command(subcommand)]
    pub command: PricingCommand,
}

#[derive(Debug, Subcommand)]
pub enum PricingCommand {
    /// Read AWS Price List offer files (the bulk CSV or JSON, as AWS publishes them, for
    /// AmazonEC2, AmazonS3, AmazonS3GlacierDeepArchive, AmazonDynamoDB, AmazonVPC,
    /// AWSDataTransfer, AWSBackup) into the local price cache.
    Import {
        /// Offer files, e.g. AmazonEC2/current/ap-northeast-2/index.csv.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Get the regions' current prices from AWS into the local price cache: the Price
    /// List API when AWS credentials resolve, else the public offer files.
    Refresh {
        /// Regions, comma-separated.
        #[arg(long, value_name = "R1,R2", value_delimiter = ',', required = true)]
        regions: Vec<String>,
        /// auto (API with credentials, else offer files), api or offers [default: [pricing] refresh_source].
        #[arg(long, value_name = "SOURCE")]
        source: Option<String>,
        /// AWS profile for the Price List API.
        #[arg(long, value_name = "P")]
        profile: Option<String>,
        /// Only these offers (default: all that tierwise reads), e.g. AmazonEC2,AmazonS3.
        #[arg(long, value_name = "OFFER", value_delimiter = ',')]
        offers: Vec<String>,
    },
    /// List the prices the book holds — embedded, cached and overridden — with where
    /// each came from and the rate that applies.
    Show {
        /// Only this region.
        #[arg(long, value_name = "R")]
        region: Option<String>,
        /// Only items whose key starts with this, e.g. `ebs.gp3` or `ec2.ondemand.linux.m5`.
        item: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct CollectArgs {
    /// Output directory (written atomically; replaced if it already holds a snapshot).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,

    #[command(flatten)]
    pub aws: AwsArgs,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub source: SourceArgs,

    /// Output format.
    #[arg(long, short, value_enum, default_value = "json")]
    pub format: FormatArg,

    /// Write to FILE instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// Hide findings that save less than USD per month.
    #[arg(long, value_name = "USD")]
    pub min_savings: Option<f64>,

    /// Only these categories (repeat or comma-separate): storage-tiering, rightsizing,
    /// graviton, dynamodb-capacity, cross-az, dr-tier, hygiene.
    #[arg(long, value_name = "C", value_delimiter = ',')]
    pub category: Vec<String>,

    /// Exit with code 3 when the reported monthly savings exceed USD.
    #[arg(long, value_name = "USD")]
    pub fail_above: Option<f64>,
}

#[derive(Debug, Args)]
pub struct TuiArgs {
    #[command(flatten)]
    pub source: SourceArgs,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Print docs/rules.md (Markdown) instead of plain text.
    #[arg(long, conflicts_with = "example_config")]
    pub markdown: bool,

    /// Print tierwise.example.toml: every configuration key with its default.
    #[arg(long)]
    pub example_config: bool,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Output directory (replaced atomically if it already holds a snapshot).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,

    /// Multiply the account (instances, buckets, tables, …) by N, for benchmarks.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub scale: u32,

    /// Random seed; the same seed gives the same account.
    #[arg(long, default_value_t = crate::demo::DEFAULT_SEED)]
    pub seed: u64,
}
