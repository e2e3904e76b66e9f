//! Benchmark of the DynamoDB rules (the shared analysis, its simulation and the three
//! rules) on the demo's DynamoDB frames, each case in a fresh process so its peak RSS is
//! its own (VmHWM from /proc/self/status, reset after the frames are built through
//! /proc/self/clear_refs, so the peak is of the analysis with the frames in memory):
//!
//! - `hourly 500`: 500 copies of the account = 5,000 tables (+1,000 GSIs) × 14 days of
//!   hourly rows, no per-minute rows (every unit simulated from hourly averages);
//! - `minute 50`: 50 copies = 500 tables (+100 GSIs) × 14 days per minute (reads and
//!   writes: 600 units × 20,160 minutes × 2 ≈ 24 M values) plus their hourly rows; the
//!   snapshot is also written (zstd Parquet) and its size on disk and load time reported.
//!
//! ```text
//!     cargo bench --bench dynamodb_rules                 # both cases
//!     cargo bench --bench dynamodb_rules -- minute 50    # one case
//! ```
//!
//! Targets: ≤ 3 s and ≤ 1 GiB each.

use std::process::Command;
use std::time::Instant;

use tierwise::rules::run_rules;
use tierwise::snapshot::FrameName;
use tierwise::{Config, PriceBook};

const SEED: u64 = 42;

fn status_mib(field: &str) -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

fn dir_size(dir: &std::path::Path) -> (u64, u64) {
    let mut total = 0;
    let mut minute = 0;
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let len = entry.metadata().map(|m| m.len()).unwrap_or(0);
        total += len;
        if entry.file_name().to_string_lossy().starts_with("dynamodb_metrics_minute") {
            minute = len;
        }
    }
    (total, minute)
}

fn case(kind: &str, scale: u32) {
    let minute_replicas = if kind == "minute" { scale } else { 0 };
    let started = Instant::now();
    let snap = tierwise::demo::dynamodb_snapshot(scale, SEED, minute_replicas);
    let generated = started.elapsed().as_secs_f64();
    let height = |f: FrameName| snap.frame(f).map_or(0, |df| df.height());
    let (tables, gsis) = (height(FrameName::DynamodbTables), height(FrameName::DynamodbIndexes));
    let (hourly, minutes) = (height(FrameName::DynamodbMetricsHourly), height(FrameName::DynamodbMetricsMinute));
    let prices = PriceBook::embedded();
    let config = Config::default();
    let resettable = reset_peak();
    let base = status_mib("VmRSS:").unwrap_or(f64::NAN);
    let started = Instant::now();
    let (findings, warnings) = run_rules(&snap, &prices, &config.rules);
    let first = started.elapsed().as_secs_f64();
    let peak = status_mib("VmHWM:").unwrap_or(f64::NAN);
    let started = Instant::now();
    let (again, _) = run_rules(&snap, &prices, &config.rules);
    let second = started.elapsed().as_secs_f64();
    assert_eq!(findings.len(), again.len(), "deterministic");
    let ddb = findings.iter().filter(|f| f.rule.starts_with("dynamodb.")).count();
    println!(
        "{kind:>6} {scale:>5} {tables:>7} {gsis:>6} {hourly:>10} {minutes:>11} {:>12} {generated:>7.2} {ddb:>8} {:>8} {first:>8.3} {second:>8.3} {peak:>9.0} {base:>9.0}",
        minutes * 2,
        warnings.len()
    );
    if !resettable {
        println!("       (peak includes generation: /proc/self/clear_refs is not writable)");
    }
    if kind == "minute" {
        let dir = std::env::temp_dir().join(format!("tierwise-ddb-bench-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let started = Instant::now();
        tierwise::snapshot::save::save_snapshot(&snap, &dir).expect("save");
        let saved = started.elapsed().as_secs_f64();
        let started = Instant::now();
        let loaded = tierwise::snapshot::load::load_snapshot(&dir).expect("load");
        let load = started.elapsed().as_secs_f64();
        assert_eq!(loaded.frame(FrameName::DynamodbMetricsMinute).map(|d| d.height()), Some(minutes));
        let (total, minute) = dir_size(&dir);
        println!(
            "       snapshot on disk: {:.1} MiB ({:.1} MiB dynamodb_metrics_minute.parquet, {:.2} bytes/minute row); saved in {saved:.2} s, loaded in {load:.2} s",
            total as f64 / 1048576.0,
            minute as f64 / 1048576.0,
            minute as f64 / minutes.max(1) as f64
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    if let (Some(kind), Some(scale)) = (args.first(), args.get(1).and_then(|s| s.parse::<u32>().ok()))
        && std::env::var_os("TIERWISE_DDB_BENCH_CHILD").is_some()
    {
        case(kind, scale);
        return;
    }
    let cases: Vec<(String, u32)> = match (args.first(), args.get(1).and_then(|s| s.parse().ok())) {
        (Some(kind), Some(scale)) => vec![(kind.clone(), scale)],
        _ => vec![("hourly".into(), 500), ("minute".into(), 50)],
    };
    println!(
        "{:>6} {:>5} {:>7} {:>6} {:>10} {:>11} {:>12} {:>7} {:>8} {:>8} {:>8} {:>8} {:>9} {:>9}",
        "data",
        "scale",
        "tables",
        "GSIs",
        "hour rows",
        "minute rows",
        "minute vals",
        "gen s",
        "findings",
        "warnings",
        "first s",
        "again s",
        "peak MiB",
        "base MiB"
    );
    let exe = std::env::current_exe().expect("bench executable");
    for (kind, scale) in cases {
        let status = Command::new(&exe)
            .args([kind.as_str(), &scale.to_string()])
            .env("TIERWISE_DDB_BENCH_CHILD", "1")
            .status()
            .expect("run case");
        assert!(status.success(), "case {kind} {scale} failed");
    }
}
