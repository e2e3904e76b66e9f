//! S3 Inventory import benchmark helper, driven by `benches/s3_inventory.sh`.
//!
//!   s3_inventory generate DIR ROWS   write a Parquet inventory (manifest.json + data files
//!                                    of 2M rows each), generated chunk by chunk: never all
//!                                    rows in memory
//!   s3_inventory analyze DIR         tierwise's import: the per-bucket prefix × size × age ×
//!                                    class histogram; prints a checksum line to compare
//!
//! The data is deterministic (splitmix64): 8 buckets, 40 first-level prefixes plus keys
//! at the root, log-uniform sizes from 1 KB to 1 GB, ages up to 4 years, a realistic
//! class mix, 15 % noncurrent versions and a few delete markers.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use polars::prelude::*;

const ROWS_PER_FILE: usize = 2_000_000;
/// 2025-10-31T01:00:00Z: the inventory's creation time; ages are measured from it.
const CREATED_MS: i64 = 1_761_872_400_000;
const DAY_MS: i64 = 86_400_000;

const PREFIXES: [&str; 40] = [
    "logs",
    "alb",
    "cloudtrail",
    "images",
    "thumbs",
    "video",
    "backups",
    "db-dumps",
    "exports",
    "reports",
    "raw",
    "curated",
    "tmp",
    "uploads",
    "assets",
    "static",
    "builds",
    "artifacts",
    "models",
    "features",
    "events",
    "audit",
    "mail",
    "invoices",
    "scans",
    "docs",
    "archive",
    "snapshots",
    "metrics",
    "traces",
    "clickstream",
    "sessions",
    "geo",
    "tiles",
    "packages",
    "releases",
    "cache",
    "derived",
    "staging",
    "public",
];
const CLASSES: [(&str, u64); 6] = [
    ("STANDARD", 800),
    ("STANDARD_IA", 80),
    ("GLACIER_IR", 50),
    ("INTELLIGENT_TIERING", 40),
    ("GLACIER", 20),
    ("DEEP_ARCHIVE", 10),
];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn chunk(rng: &mut Rng, rows: usize) -> PolarsResult<DataFrame> {
    let mut bucket = Vec::with_capacity(rows);
    let mut key = Vec::with_capacity(rows);
    let mut size = Vec::with_capacity(rows);
    let mut modified = Vec::with_capacity(rows);
    let mut class = Vec::with_capacity(rows);
    let mut latest = Vec::with_capacity(rows);
    let mut marker = Vec::with_capacity(rows);
    let mut etag = Vec::with_capacity(rows);
    for _ in 0..rows {
        bucket.push(
            [
                "bench-logs",
                "bench-media",
                "bench-lake",
                "bench-backups",
                "bench-web",
                "bench-ml",
                "bench-audit",
                "bench-misc",
            ][rng.below(8) as usize],
        );
        let age_days = rng.below(1460) as i64;
        let day = (CREATED_MS - age_days * DAY_MS) / DAY_MS;
        let id = rng.next();
        key.push(if rng.below(50) == 0 {
            format!("object-{id:016x}.bin")
        } else {
            let p = PREFIXES[rng.below(PREFIXES.len() as u64) as usize];
            format!("{p}/{}/{}/{id:016x}.dat", day / 365, day % 365)
        });
        size.push((1e3f64.ln() + rng.unit() * (1e9f64.ln() - 1e3f64.ln())).exp() as i64);
        modified.push(CREATED_MS - age_days * DAY_MS - rng.below(DAY_MS as u64) as i64);
        let mut pick = rng.below(1000);
        let mut chosen = CLASSES[0].0;
        for (c, weight) in CLASSES {
            if pick < weight {
                chosen = c;
                break;
            }
            pick -= weight;
        }
        class.push(chosen);
        let is_latest = rng.below(100) >= 15;
        latest.push(is_latest);
        marker.push(!is_latest && rng.below(15) == 0);
        etag.push(format!("{:016x}{:016x}", rng.next(), rng.next()));
    }
    df!(
        "bucket" => bucket,
        "key" => key,
        "size" => size,
        "last_modified_date" => modified,
        "e_tag" => etag,
        "storage_class" => class,
        "is_latest" => latest,
        "is_delete_marker" => marker,
    )?
    .lazy()
    .with_column(col("last_modified_date").cast(DataType::Datetime(TimeUnit::Milliseconds, None)))
    .collect()
}

fn generate(dir: &Path, rows: usize) -> Result<(), String> {
    let data = dir.join("data");
    std::fs::create_dir_all(&data).map_err(|e| e.to_string())?;
    let mut rng = Rng(42);
    let mut files = Vec::new();
    let mut written = 0;
    while written < rows {
        let n = ROWS_PER_FILE.min(rows - written);
        let mut df = chunk(&mut rng, n).map_err(|e| e.to_string())?;
        let name = format!("part-{:04}.parquet", files.len());
        let path = data.join(&name);
        let file = File::create(&path).map_err(|e| e.to_string())?;
        ParquetWriter::new(file)
            .with_compression(ParquetCompression::Zstd(None))
            .finish(&mut df)
            .map_err(|e| e.to_string())?;
        let size = std::fs::metadata(&path).map_err(|e| e.to_string())?.len();
        files.push(serde_json::json!({ "key": format!("inventory/bench/all-versions/data/{name}"), "size": size, "MD5checksum": "" }));
        written += n;
    }
    let manifest = serde_json::json!({
        "sourceBucket": "bench",
        "destinationBucket": "arn:aws:s3:::bench-inventory",
        "version": "2016-11-30",
        "creationTimestamp": CREATED_MS.to_string(),
        "fileFormat": "Parquet",
        "fileSchema": "message s3.inventory { required binary bucket (STRING); required binary key (STRING); optional int64 size; optional int64 last_modified_date (TIMESTAMP(MILLIS,true)); optional binary e_tag (STRING); optional binary storage_class (STRING); optional boolean is_latest; optional boolean is_delete_marker; }",
        "files": files,
    });
    std::fs::write(dir.join("manifest.json"), serde_json::to_string_pretty(&manifest).map_err(|e| e.to_string())?)
        .map_err(|e| e.to_string())
}

/// `groups objects bytes checksum` of the histogram, the same line the DuckDB query prints.
fn analyze(dir: &Path) -> Result<(), String> {
    let start = Instant::now();
    let imported = tierwise::import::import_dir(dir).map_err(|e| e.to_string())?;
    let elapsed = start.elapsed();
    let (_, df) = imported.frames.into_iter().next().ok_or("no frame")?;
    let sums = df
        .lazy()
        .select([
            len().cast(DataType::Int64).alias("groups"),
            col("objects").sum(),
            col("bytes").sum(),
            (col("objects") * (col("size_bucket") + lit(1i64)) * (col("age_days_min") + lit(1i64)))
                .sum()
                .alias("checksum"),
        ])
        .collect()
        .map_err(|e| e.to_string())?;
    let get = |c: &str| {
        sums.column(c)
            .ok()
            .and_then(|c| c.cast(&DataType::Int64).ok())
            .and_then(|c| c.i64().ok().and_then(|v| v.get(0)))
    };
    println!(
        "{} {} {} {}",
        get("groups").unwrap_or(0),
        get("objects").unwrap_or(0),
        get("bytes").unwrap_or(0),
        get("checksum").unwrap_or(0)
    );
    eprintln!("tierwise import: {:.2} s", elapsed.as_secs_f64());
    Ok(())
}

fn main() -> ExitCode {
    // `cargo bench` appends `--bench`; ignore flags.
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let result = match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["generate", dir, rows] => match rows.parse::<usize>() {
            Ok(n) => generate(&PathBuf::from(dir), n),
            Err(_) => Err(format!("ROWS must be a number, got {rows}")),
        },
        ["analyze", dir] => analyze(&PathBuf::from(dir)),
        [] => {
            println!("s3_inventory: run benches/s3_inventory.sh (generate DIR ROWS | analyze DIR)");
            Ok(())
        }
        other => Err(format!("usage: s3_inventory generate DIR ROWS | analyze DIR (got {other:?})")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("s3_inventory: {e}");
            ExitCode::FAILURE
        }
    }
}
