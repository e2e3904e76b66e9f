//! Offer-file import: AWS's layouts with their decoys (fixtures/pricing, written by
//! generate_offers.py), the cache, `pricing import|show` through the CLI, bad files
//! (exit 2 naming the file and line), a kill during import, and Seoul in the demo.

use std::path::Path;

use tierwise::pricing::offer::import_file;
use tierwise::pricing::{PriceBook, cache};

use crate::common::*;

fn fixture(name: &str) -> std::path::PathBuf {
    repo(&format!("fixtures/pricing/{name}"))
}

fn item(i: &tierwise::pricing::offer::Imported, key: &str) -> Option<f64> {
    i.items.get(&("ap-northeast-2".to_string(), key.to_string())).map(|x| x.usd)
}

#[test]
fn ec2_csv_picks_the_row_a_user_pays() {
    let i = import_file(&fixture("AmazonEC2-ap-northeast-2.csv")).unwrap();
    assert_eq!((i.meta.offer_code.as_str(), i.meta.version.as_str()), ("AmazonEC2", "20260925174521"));
    assert_eq!(i.meta.published, "2026-09-25");
    // Linux, shared, capacity Used, on-demand: 0.118 — not the dedicated 0.130, the host
    // $0, the unused reservation, the allocated reservation $0 or the reserved 0.074.
    assert_eq!(item(&i, "ec2.ondemand.linux.m5.large"), Some(0.118));
    // Other platforms have their own keys.
    assert_eq!(item(&i, "ec2.ondemand.windows.m5.large"), Some(0.210));
    assert_eq!(item(&i, "ec2.ondemand.rhel.m5.large"), Some(0.178));
    assert_eq!(item(&i, "ec2.ondemand.linux-sql-std.m5.large"), Some(0.598));
    // RHEL with the Linux operation code is contradictory: dropped, not priced as either.
    assert_eq!(item(&i, "ec2.ondemand.rhel.m5.xlarge"), None);
    assert_eq!(item(&i, "ec2.ondemand.linux.m5.xlarge"), Some(0.236));
    // A zero-priced row is never a price.
    assert_eq!(item(&i, "ec2.ondemand.linux.t3.nano"), None);
    // REAL row: c8g.large from the Seoul offer.
    assert_eq!(item(&i, "ec2.ondemand.linux.c8g.large"), Some(0.08976));
    // EBS: gp3 IOPS above the free 3,000 (the $0 band is dropped); throughput 46.6944 per
    // GiBps-month ÷ 1,024 = 0.0456 per MiB/s-month; io2 tiers by usage type.
    assert_eq!(item(&i, "ebs.gp3.iops_month"), Some(0.0057));
    assert!((item(&i, "ebs.gp3.throughput_mibps_month").unwrap() - 46.6944 / 1024.0).abs() < 1e-12);
    assert_eq!(item(&i, "ebs.io1.gb_month"), Some(0.142));
    assert_eq!(item(&i, "ebs.io2.iops_month.tier2"), Some(0.0518));
    assert_eq!(item(&i, "ebs.io2.iops_month.tier3"), Some(0.03626));
    assert_eq!(item(&i, "ebs.snapshot.standard.gb_month"), Some(0.05));
    assert_eq!(item(&i, "backup.ebs.gb_month"), Some(0.05), "AWS Backup of EBS is EBS snapshot storage");
    assert_eq!(item(&i, "vpc.nat_gateway.hour"), Some(0.059));
    assert!(i.skipped.keys().any(|r| r.contains("capacity reservation") || r.contains("dedicated")), "{:?}", i.skipped);
    assert!(i.items.keys().all(|(r, _)| r == "ap-northeast-2"), "nothing lands in another region");
}

#[test]
fn s3_json_keeps_tiers_and_ignores_the_deep_archive_staging_decoy() {
    let s3 = import_file(&fixture("AmazonS3-ap-northeast-2.json")).unwrap();
    // Dimensions listed out of order become the three tier keys.
    assert_eq!(item(&s3, "s3.storage.STANDARD"), Some(0.025));
    assert_eq!(item(&s3, "s3.storage.STANDARD.next450tb"), Some(0.024));
    assert_eq!(item(&s3, "s3.storage.STANDARD.over500tb"), Some(0.023));
    // Per request → per 1,000: 0.0000045 × 1,000 = 0.0045.
    assert!((item(&s3, "s3.put_per_1000.STANDARD").unwrap() - 0.0045).abs() < 1e-12);
    assert_eq!(item(&s3, "s3.storage.DEEP_ARCHIVE"), None, "TimedStorage-GDA-Staging is not Deep Archive storage");
    assert_eq!(item(&s3, "s3.storage.ONEZONE_IA"), Some(0.011), "the reserved term under OnDemand is skipped");
    let gda = import_file(&fixture("AmazonS3GlacierDeepArchive-ap-northeast-2.csv")).unwrap();
    assert_eq!(item(&gda, "s3.storage.DEEP_ARCHIVE"), Some(0.002));
}

#[test]
fn dynamodb_transfer_vpc_and_backup_drop_free_tier_bands() {
    let ddb = import_file(&fixture("AmazonDynamoDB-ap-northeast-2.json")).unwrap();
    assert_eq!(item(&ddb, "dynamodb.provisioned.rcu_hour.STANDARD"), Some(0.0001544), "not the $0 free band");
    assert_eq!(item(&ddb, "dynamodb.provisioned.wcu_hour.STANDARD_INFREQUENT_ACCESS"), Some(0.000965));
    // Per request unit → per million: 0.00000078 × 1e6 = 0.78 (Standard-IA 0.975, replicated 1.17).
    assert!((item(&ddb, "dynamodb.ondemand.wru_million.STANDARD").unwrap() - 0.78).abs() < 1e-9);
    assert!((item(&ddb, "dynamodb.ondemand.wru_million.STANDARD_INFREQUENT_ACCESS").unwrap() - 0.975).abs() < 1e-9);
    assert!((item(&ddb, "dynamodb.ondemand.replicated_wru_million.STANDARD").unwrap() - 1.17).abs() < 1e-9);
    assert_eq!(item(&ddb, "dynamodb.storage.gb_month.STANDARD"), Some(0.285), "not the free 25 GB");
    let dt = import_file(&fixture("AWSDataTransfer-ap-northeast-2.csv")).unwrap();
    assert_eq!(item(&dt, "transfer.inter_az.gb_each_direction"), Some(0.01));
    assert_eq!(item(&dt, "transfer.internet_out.gb"), Some(0.126), "the first paid tier, not the free 100 GB");
    assert_eq!(item(&dt, "transfer.internet_out.gb.from_10240"), Some(0.122));
    // Three destinations at 0.08, one at 0.09: the common rate is 0.08.
    assert_eq!(item(&dt, "transfer.inter_region.gb"), Some(0.08));
    assert_eq!(item(&dt, "transfer.inter_region.gb.to.eu-central-1"), Some(0.09));
    let vpc = import_file(&fixture("AmazonVPC-ap-northeast-2.csv")).unwrap();
    assert_eq!(item(&vpc, "vpc.interface_endpoint.gb"), Some(0.01));
    assert_eq!(item(&vpc, "vpc.interface_endpoint.gb.from_1048576"), Some(0.006));
    let backup = import_file(&fixture("AWSBackup-ap-northeast-2.csv")).unwrap();
    assert_eq!(item(&backup, "backup.dynamodb.gb_month"), Some(0.114));
    assert_eq!(item(&backup, "backup.ebs.gb_month"), None, "Backup of EBS is priced from the EC2 offer");
}

fn cache_home(name: &str) -> std::path::PathBuf {
    scratch(&format!("cache-{name}"))
}

fn import_all(home: &Path) {
    let mut args = vec!["pricing", "import"];
    let files: Vec<String> = std::fs::read_dir(repo("fixtures/pricing"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "csv" || e == "json"))
        .map(|p| p.display().to_string())
        .collect();
    args.extend(files.iter().map(String::as_str));
    let out = tierwise_with_cache(&args, home);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn import_writes_the_cache_and_show_names_the_source() {
    let home = cache_home("show");
    import_all(&home);
    let dir = home.join("tierwise/prices/ap-northeast-2");
    assert!(dir.join("AmazonEC2.json").is_file() && dir.join("AmazonS3GlacierDeepArchive.json").is_file());
    let out = tierwise_with_cache(&["pricing", "show", "--region", "ap-northeast-2", "ebs.gp2"], &home);
    let text = stdout(&out);
    assert!(text.contains("offer cache: AmazonEC2 20260925174521 (published 2026-09-25)"), "{text}");
    assert!(text.contains("ebs.gp2.gb_month") && text.contains("0.114000") && text.contains("[offer-cache]"), "{text}");
    // us-east-1 keeps its embedded price: nothing from Seoul leaks into it.
    let out = tierwise_with_cache(&["pricing", "show", "--region", "us-east-1", "ebs.gp2"], &home);
    assert!(stdout(&out).contains("0.100000") && stdout(&out).contains("[embedded]"), "{}", stdout(&out));
}

fn rejected(file: &str) -> String {
    let home = cache_home(&format!("bad-{}", file.len()));
    let out = tierwise_with_cache(&["pricing", "import", &format!("fixtures/invalid/{file}")], &home);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{file}: {err}");
    assert!(err.contains(&format!("fixtures/invalid/{file}")) && !err.contains("panicked"), "{err}");
    assert!(!home.join("tierwise/prices").exists(), "{file}: nothing cached");
    err
}

#[test]
fn bad_offer_files_exit_2_naming_the_file_and_the_line() {
    assert!(rejected("offer-truncated.csv").contains("line 13"));
    let err = rejected("offer-bad-price.csv");
    assert!(err.contains("line 7, column PricePerUnit") && err.contains("`0.11.8`"), "{err}");
    assert!(rejected("offer-unknown-service.csv").contains("offer `AmazonRDS` is not one tierwise reads"));
    let err = rejected("offer-truncated.json");
    assert!(err.contains("line ") && err.contains("truncated file?"), "{err}");
    // A good file before a bad one: nothing is written either.
    let home = cache_home("good-then-bad");
    let out = tierwise_with_cache(
        &["pricing", "import", "fixtures/pricing/AmazonEC2-ap-northeast-2.csv", "fixtures/invalid/offer-truncated.csv"],
        &home,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(!home.join("tierwise/prices").exists());
}

/// A synthetic EC2 offer of `rows` instance rows at the real column layout.
fn big_offer(path: &Path, rows: usize, price: &str) {
    let text = std::fs::read_to_string(fixture("AmazonEC2-ap-northeast-2.csv")).unwrap();
    let mut lines = text.lines();
    let mut out = String::new();
    for _ in 0..6 {
        out.push_str(lines.next().unwrap());
        out.push('\n');
    }
    let template = text.lines().find(|l| l.contains("\"T5LARGEAPN2TEST1\"") && l.contains("OnDemand")).unwrap();
    use std::io::Write;
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    f.write_all(out.as_bytes()).unwrap();
    for n in 0..rows {
        let row = template.replace("T5LARGEAPN2TEST1", &format!("SKU{n:013}")).replace("0.1180000000", price);
        let row = row.replace("m5.large", &format!("m5.large{}", n % 50));
        writeln!(f, "{row}").unwrap();
    }
}

#[test]
fn a_kill_during_import_leaves_the_old_cache_usable() {
    let home = cache_home("kill");
    let cache_dir = home.join("tierwise/prices");
    let out = tierwise_with_cache(&["pricing", "import", "fixtures/pricing/AmazonEC2-ap-northeast-2.csv"], &home);
    assert_eq!(out.status.code(), Some(0));
    let before = std::fs::read(cache_dir.join("ap-northeast-2/AmazonEC2.json")).unwrap();
    let big = home.join("big.csv");
    big_offer(&big, 50_000, "0.9990000000");
    // Kill the import at several moments; every time the cache must load whole, with
    // either the old prices or the new ones, never a mix or a damaged file.
    for delay_ms in [5u64, 40, 120, 300, 800] {
        let mut child = std::process::Command::new(bin())
            .args(["pricing", "import", big.to_str().unwrap()])
            .env("XDG_CACHE_HOME", &home)
            .env_remove("TIERWISE_CONFIG")
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        let (files, warnings) = cache::load(&cache_dir);
        assert!(warnings.is_empty(), "after a kill at {delay_ms} ms: {warnings:?}");
        let ec2 = files.iter().find(|f| f.offer_code == "AmazonEC2").expect("the EC2 cache file is there");
        let now = std::fs::read(cache_dir.join("ap-northeast-2/AmazonEC2.json")).unwrap();
        if now != before {
            // The import finished before the kill: the whole new file, 50 items at 0.999.
            assert!(ec2.items.values().all(|i| i.usd == 0.999), "a mix of old and new prices");
            assert_eq!(ec2.items.len(), 50);
        } else {
            assert_eq!(ec2.items.get("ec2.ondemand.linux.m5.large").map(|i| i.usd), Some(0.118));
        }
    }
}

#[test]
fn the_demo_seoul_resources_are_priced_from_an_imported_offer_and_say_how_to_refresh_otherwise() {
    let snap = tierwise::demo::generate(1, tierwise::demo::DEFAULT_SEED);
    let config = tierwise::Config::default();
    let seoul = |r: &tierwise::Report| -> Vec<tierwise::report::Finding> {
        r.findings.iter().filter(|f| f.resource.region == "ap-northeast-2").cloned().collect()
    };
    // Embedded facts only: the demo's Seoul m5/t3 instances and its gp2 volume are unpriced,
    // and the reason says how to get the prices.
    let embedded = tierwise::analyze(&snap, &PriceBook::embedded(), &config);
    let unpriced: Vec<_> = seoul(&embedded).into_iter().filter(|f| f.monthly_savings_usd.is_none()).collect();
    assert!(!unpriced.is_empty());
    for f in &unpriced {
        let reason = f.unpriced_reason.as_deref().unwrap_or_default();
        assert!(reason.contains("tierwise pricing refresh --regions ap-northeast-2"), "{}: {reason}", f.rule);
    }
    assert_eq!(embedded.source.pricing["ap-northeast-2"].as_of.as_deref(), Some("2026-09-25"));
    // With the Seoul offer files imported, they are priced from the cache, at Seoul prices.
    let mut book = PriceBook::embedded();
    let mut files = Vec::new();
    for entry in std::fs::read_dir(repo("fixtures/pricing")).unwrap().flatten() {
        let p = entry.path();
        if p.extension().is_some_and(|e| e == "csv" || e == "json") {
            files.extend(cache::files_of(&import_file(&p).unwrap(), chrono::Utc::now()));
        }
    }
    book = cache::apply(book, &files);
    let report = tierwise::analyze(&snap, &book, &config);
    let all = seoul(&report);
    let (priced, still): (Vec<_>, Vec<_>) = all.into_iter().partition(|f| f.monthly_savings_usd.is_some());
    assert!(priced.len() >= 6, "idle, Graviton, unattached and gp2→gp3 findings in Seoul: {priced:#?}");
    // What stays unpriced needs an item the offer files do not carry (S3 lifecycle
    // transitions), and says so instead of sending the user to refresh.
    for f in &still {
        let reason = f.unpriced_reason.as_deref().unwrap_or_default();
        assert!(
            reason.contains("offer files do not identify this item") && reason.contains("pricing.overrides"),
            "{reason}"
        );
    }
    let idle = priced.iter().find(|f| f.rule == "ec2.idle" && f.resource.name.starts_with("seoul-test"));
    // seoul-test, a t3.medium at the Seoul test price 0.052: 730 × 0.052 = 37.96 a month.
    let idle = idle.expect("the idle Seoul t3.medium is priced");
    assert!((idle.current.monthly_cost_usd.unwrap() - 730.0 * 0.052).abs() < 0.005);
    let sources = &idle.pricing.as_ref().unwrap().sources;
    assert!(
        sources.iter().any(|s| matches!(s.kind.as_str(), "offer-cache") && s.as_of.as_deref() == Some("2026-09-25")),
        "{sources:?}"
    );
    let region = &report.source.pricing["ap-northeast-2"];
    assert!(region.sources.iter().any(|s| s.detail.contains("AmazonEC2 20260925174521")));
    // us-east-1 findings never read a Seoul price, nor Seoul findings a us-east-1 one.
    for f in &report.findings {
        let p = f.pricing.as_ref().unwrap();
        assert_eq!(p.region, f.resource.region);
    }
}
