//! Benchmark of the EC2 rules: analysis of the demo fleet at several scales (40
//! instances × 14 days of hourly metrics per scale step; scale 500 ≈ 20,000 instances,
//! 6.7 M metric rows). Only the analysis is timed — the snapshot holds just the two
//! EC2 frames, built beforehand — and peak RSS is read from /proc/self/status (VmHWM),
//! reset before each analysis through /proc/self/clear_refs.
//!
//!     cargo bench --bench ec2_rules              # scales 25, 125, 500
//!     cargo bench --bench ec2_rules -- 500 1000  # chosen scales
//!
//!     TIERWISE_BENCH_TRACE=1 cargo bench --bench ec2_rules -- 500   # time per rule and phase
//!
//! Target at scale 500: ≤ 5 s and ≤ 2 GiB.

use std::time::Instant;

use tierwise::rules::run_rules;
use tierwise::snapshot::{FrameName, Snapshot};
use tierwise::{Config, PriceBook};

const SEED: u64 = 42;

/// A `/proc/self/status` field in MiB (Linux only; `None` elsewhere).
fn status_mib(field: &str) -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// Reset VmHWM to the current RSS (Linux ≥ 4.0); false when not possible.
fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

fn ec2_only(demo: &Snapshot) -> Snapshot {
    let mut snap = Snapshot::new(demo.manifest.clone());
    for name in [FrameName::Ec2Instances, FrameName::Ec2MetricsHourly] {
        if let Some(df) = demo.frame(name) {
            snap.insert(name, df.clone());
        }
    }
    snap
}

fn main() {
    // TIERWISE_BENCH_TRACE=1: each rule's and each analysis phase's time, on stderr.
    if std::env::var_os("TIERWISE_BENCH_TRACE").is_some() {
        use tracing_subscriber::fmt::format::FmtSpan;
        let _ = tracing_subscriber::fmt()
            .with_env_filter("tierwise=debug")
            .with_span_events(FmtSpan::CLOSE)
            .with_writer(std::io::stderr)
            .try_init();
    }
    let mut scales: Vec<u32> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    if scales.is_empty() {
        scales = vec![25, 125, 500];
    }
    let prices = PriceBook::embedded();
    let config = Config::default();
    println!(
        "{:>6} {:>10} {:>12} {:>9} {:>9} {:>10} {:>10} {:>12} {:>12}",
        "scale", "instances", "metric rows", "gen s", "findings", "first s", "again s", "peak MiB", "base MiB"
    );
    for scale in scales {
        let started = Instant::now();
        let demo = tierwise::demo::generate(scale, SEED);
        let generated = started.elapsed().as_secs_f64();
        let snap = ec2_only(&demo);
        drop(demo);
        let instances = snap.frame(FrameName::Ec2Instances).map_or(0, |df| df.height());
        let rows = snap.frame(FrameName::Ec2MetricsHourly).map_or(0, |df| df.height());
        let peak_resettable = reset_peak();
        let base = status_mib("VmRSS:").unwrap_or(f64::NAN);
        let started = Instant::now();
        let (findings, _warnings) = run_rules(&snap, &prices, &config.rules);
        let cold = started.elapsed().as_secs_f64();
        let peak = status_mib("VmHWM:").unwrap_or(f64::NAN);
        // Again on the same frames: each run computes its own shared analysis (no process-wide cache).
        let started = Instant::now();
        let (again, _) = run_rules(&snap, &prices, &config.rules);
        let warm = started.elapsed().as_secs_f64();
        assert_eq!(findings.len(), again.len(), "the analysis is deterministic");
        let ec2 = findings.iter().filter(|f| f.rule.starts_with("ec2.")).count();
        println!(
            "{scale:>6} {instances:>10} {rows:>12} {generated:>9.2} {ec2:>9} {cold:>10.3} {warm:>10.3} {peak:>12.0} {base:>12.0}"
        );
        if !peak_resettable {
            println!(
                "       (peak is the process high-water mark, generation included: /proc/self/clear_refs is not writable)"
            );
        }
    }
}
