//! The synthetic demo account: deterministic, complete, committed as fixtures/demo,
//! and shaped like real metrics (not flat, diurnal, with gaps).

use polars::prelude::*;
use tierwise::demo::{DEFAULT_SEED, GENERATED_FRAMES, generate};
use tierwise::snapshot::load::load_snapshot;
use tierwise::snapshot::{FrameName, Snapshot};

use crate::common::repo;

fn frames_equal(a: &Snapshot, b: &Snapshot) -> Result<(), String> {
    for frame in GENERATED_FRAMES {
        let (Some(x), Some(y)) = (a.frame(*frame), b.frame(*frame)) else {
            return Err(format!("{frame} missing on one side"));
        };
        if !x.equals_missing(y) {
            let columns: Vec<String> = x
                .columns()
                .iter()
                .filter(|c| !y.column(c.name()).is_ok_and(|d| c.equals_missing(d)))
                .map(|c| c.name().to_string())
                .collect();
            return Err(format!("{frame} differs in {}", columns.join(", ")));
        }
    }
    Ok(())
}

#[test]
fn fixture_is_the_default_demo() {
    let generated = generate(1, DEFAULT_SEED);
    let loaded = load_snapshot(&repo("fixtures/demo")).expect("fixtures/demo loads");
    // Regenerate with `cargo run -- demo --out fixtures/demo` after changing the generator.
    frames_equal(&generated, &loaded).expect("fixtures/demo is stale");
    assert_eq!(generated.manifest, loaded.manifest);
    assert_eq!(loaded.frames().count(), GENERATED_FRAMES.len());
}

#[test]
fn same_seed_same_account_other_seed_other_account() {
    let a = generate(1, 7);
    let b = generate(1, 7);
    frames_equal(&a, &b).expect("same seed, same frames");
    assert_eq!(a.manifest, b.manifest);
    let c = generate(1, 8);
    assert!(frames_equal(&a, &c).is_err(), "a different seed must give different data");
    assert_eq!(c.manifest.source_detail, "seed 8");
}

#[test]
fn scale_multiplies_the_account() {
    let one = generate(1, DEFAULT_SEED);
    let three = generate(3, DEFAULT_SEED);
    let height = |s: &Snapshot, f: FrameName| s.frame(f).map(|df| df.height()).unwrap_or(0);
    for frame in [FrameName::Ec2Instances, FrameName::EbsVolumes, FrameName::S3Buckets, FrameName::DynamodbTables] {
        assert_eq!(height(&three, frame), 3 * height(&one, frame), "{frame}");
    }
    let ids = three.frame(FrameName::Ec2Instances).expect("instances").column("instance_id").expect("id").clone();
    assert_eq!(ids.n_unique().expect("n_unique"), ids.len(), "instance ids are distinct across copies");
    let buckets = three.frame(FrameName::S3Buckets).expect("buckets").column("bucket").expect("bucket").clone();
    assert_eq!(buckets.n_unique().expect("n_unique"), buckets.len(), "bucket names are distinct across copies");
    assert_eq!(three.manifest.source_detail, "seed 42, scale 3");
}

#[test]
fn every_frame_is_present_and_not_empty() {
    let snap = generate(1, DEFAULT_SEED);
    assert_eq!(GENERATED_FRAMES.len(), 21);
    for frame in GENERATED_FRAMES {
        let df = snap.frame(*frame).unwrap_or_else(|| panic!("{frame} missing"));
        assert!(df.height() > 0, "{frame} is empty");
    }
    assert_eq!(snap.manifest.collectors["demo"].frames, GENERATED_FRAMES);
    assert_eq!(snap.manifest.regions, ["us-east-1", "ap-northeast-2", "us-west-2"]);
    assert_eq!(snap.manifest.accounts, ["123456789012", "210987654321"]);
    assert_eq!(snap.manifest.window.days(), 14.0);
}

/// Hourly metrics of the instances whose Name tag satisfies `wanted`.
fn metrics_of(snap: &Snapshot, wanted: impl Fn(&str) -> bool) -> DataFrame {
    let instances = snap.frame(FrameName::Ec2Instances).expect("instances");
    let ids = instances.column("instance_id").expect("ids").str().expect("str");
    let tags = instances.column("tags").expect("tags").str().expect("str");
    let selected: Vec<String> = ids
        .iter()
        .zip(tags.iter())
        .filter_map(|(id, tags)| {
            let tags: serde_json::Value = serde_json::from_str(tags?).ok()?;
            wanted(tags["Name"].as_str()?).then(|| id.map(str::to_string)).flatten()
        })
        .collect();
    let filter = selected.into_iter().fold(lit(false), |acc, id| acc.or(col("instance_id").eq(lit(id))));
    snap.frame(FrameName::Ec2MetricsHourly).expect("metrics").clone().lazy().filter(filter).collect().expect("filter")
}

fn f64_of(df: &DataFrame, column: &str) -> Vec<f64> {
    df.column(column).expect("column").f64().expect("f64").into_no_null_iter().collect()
}

#[test]
fn metrics_look_real() {
    let snap = generate(1, DEFAULT_SEED);
    let metrics = snap.frame(FrameName::Ec2MetricsHourly).expect("metrics");
    let per_instance = metrics
        .clone()
        .lazy()
        .group_by([col("instance_id")])
        .agg([len().alias("hours"), col("cpu_avg").std(1).alias("std"), col("cpu_avg").mean().alias("mean")])
        .collect()
        .expect("group");

    // Gaps: some instances miss hours (and none has more than the window).
    let hours: Vec<u32> =
        per_instance.column("hours").expect("hours").u32().expect("u32").into_no_null_iter().collect();
    assert!(hours.iter().all(|&h| h <= 336));
    assert!(hours.iter().filter(|&&h| h < 336).count() >= 5, "several instances have gaps");
    assert!(hours.iter().any(|&h| h <= 24), "the newly launched instance has about 20 hours");

    // Not flat: busy instances vary hour to hour.
    let busy = per_instance.clone().lazy().filter(col("mean").gt(lit(20.0))).collect().expect("filter");
    assert!(busy.height() >= 10);
    assert!(f64_of(&busy, "std").iter().all(|&s| s > 2.0), "busy instances are not flat");

    // cpu_max ≥ cpu_avg everywhere, and the daily max differs from the daily min.
    let avg = f64_of(metrics, "cpu_avg");
    let max = f64_of(metrics, "cpu_max");
    assert!(avg.iter().zip(&max).all(|(a, m)| m >= a));
    let api = metrics_of(&snap, |name| name == "api-1");
    let daily = api
        .lazy()
        .group_by([col("ts").dt().date()])
        .agg([col("cpu_avg").max().alias("hi"), col("cpu_avg").min().alias("lo")])
        .collect()
        .expect("daily");
    let (hi, lo) = (f64_of(&daily, "hi"), f64_of(&daily, "lo"));
    assert!(hi.iter().zip(&lo).all(|(h, l)| h - l > 3.0), "each day has a range");

    // Diurnal: web servers are busier at 13:00-16:00 UTC-5 (18-21 UTC) than at 03:00-06:00 (08-11 UTC).
    let web = metrics_of(&snap, |name| name.starts_with("web-"))
        .lazy()
        .with_column(col("ts").dt().hour().cast(DataType::Int32).alias("hour"))
        .collect()
        .expect("web");
    let mean_in = |from: i32, to: i32| {
        let part = web.clone().lazy().filter(col("hour").gt_eq(lit(from)).and(col("hour").lt(lit(to)))).collect();
        let values = f64_of(&part.expect("hours"), "cpu_avg");
        values.iter().sum::<f64>() / values.len().max(1) as f64
    };
    let (peak, night) = (mean_in(18, 21), mean_in(8, 11));
    assert!(peak > 2.0 * night, "peak {peak:.1} % vs night {night:.1} %");
}

#[test]
fn spend_is_a_mid_size_bill() {
    let snap = generate(1, DEFAULT_SEED);
    let spend = snap.frame(FrameName::SpendMonthly).expect("spend");
    let months = spend
        .clone()
        .lazy()
        .group_by([col("month")])
        .agg([col("cost_usd").sum()])
        .sort(["month"], Default::default())
        .collect()
        .expect("by month");
    let totals = f64_of(&months, "cost_usd");
    assert_eq!(totals.len(), 3);
    assert!(totals.iter().all(|t| (40_000.0..55_000.0).contains(t)), "monthly totals {totals:?}");
}
