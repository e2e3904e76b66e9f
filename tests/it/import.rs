//! `--import DIR`: S3 Inventory (CSV gzip and Parquet) into `s3_object_histogram`,
//! alone and beside a snapshot; bad inventories exit 2 naming the file and the field.
//! Fixtures: fixtures/import/ (regenerate with fixtures/import/generate_s3_inventory.py).

use polars::prelude::*;

use crate::common::*;

fn histogram(dir: &str) -> DataFrame {
    let imported = tierwise::import::import_dir(&repo(dir)).expect("imports");
    assert_eq!(imported.runs[0].1.status, tierwise::snapshot::CollectorStatus::Ok, "{:?}", imported.runs[0].1.error);
    imported.frames.into_iter().next().expect("one frame").1
}

fn sum_where(df: &DataFrame, filter: Expr, column: &str) -> i64 {
    df.clone()
        .lazy()
        .filter(filter)
        .select([col(column).sum()])
        .collect()
        .unwrap()
        .column(column)
        .unwrap()
        .i64()
        .unwrap()
        .get(0)
        .unwrap_or(0)
}

#[test]
fn csv_gzip_inventory_in_the_destination_layout() {
    let df = histogram("fixtures/import/s3-inventory/csv");
    // 41 rows: 12 logs, 8 + 8 event versions, 6 tiny, 1 IA, 1 GLACIER_IR, README, and one delete marker (dropped).
    assert_eq!(sum_where(&df, lit(true), "objects"), 37);
    assert_eq!(sum_where(&df, col("is_latest").not(), "objects"), 8, "noncurrent event versions");
    assert_eq!(sum_where(&df, col("storage_class").eq(lit("GLACIER_IR")), "bytes"), 5_000_000);
    // Logs: 2,500,000 + 7,919 × i for i in 0..12
    let logs: i64 = (0..12).map(|i| 2_500_000 + 7_919 * i).sum();
    assert_eq!(sum_where(&df, col("prefix").eq(lit("alb/")), "bytes"), logs);
    let prefixes: Vec<String> =
        df.column("prefix").unwrap().unique().unwrap().str().unwrap().iter().flatten().map(str::to_string).collect();
    for p in ["alb/", "app/", "tiny/", "reports/", "exports/", ""] {
        assert!(prefixes.iter().any(|x| x == p), "{p} missing from {prefixes:?} (CSV keys are URL-decoded)");
    }
    // 2 KB objects are in size bucket 11 (2,048 = 2^11); 2.5 MB in 21.
    assert_eq!(sum_where(&df, col("prefix").eq(lit("tiny/")).and(col("size_bucket").eq(lit(11i64))), "objects"), 6);
    assert_eq!(
        sum_where(&df, col("multipart_upload_incomplete"), "objects"),
        0,
        "inventories list no incomplete uploads"
    );
}

#[test]
fn parquet_inventory_copied_flat_is_found_by_file_name() {
    let df = histogram("fixtures/import/s3-inventory/parquet");
    assert_eq!(sum_where(&df, lit(true), "objects"), 60);
    assert_eq!(sum_where(&df, col("is_latest"), "objects"), 60, "a current-versions inventory has no IsLatest column");
    assert_eq!(sum_where(&df, col("prefix").eq(lit("video/")), "objects"), 20);
    // Ages: 1..400 days before the inventory date, bucketed from 0 to 365.
    assert_eq!(sum_where(&df, col("age_days_min").gt_eq(lit(365i64)), "objects"), 4);
}

#[test]
fn import_alone_reports_with_source_kind_import() {
    let out = tierwise(&["report", "--import", "fixtures/import/s3-inventory", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["source"]["kind"], "import");
    assert_eq!(report["source"]["coverage"]["import:s3-inventory"], "ok");
    let warnings = report["warnings"].to_string();
    assert!(warnings.contains("s3_buckets"), "the S3 rules say what they miss: {warnings}");
}

#[test]
fn import_beside_a_snapshot_gives_one_finding_per_bucket_and_rule() {
    let out = tierwise(&[
        "report",
        "--snapshot",
        "fixtures/import/s3-inventory-snapshot",
        "--import",
        "fixtures/import/s3-inventory",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let found: Vec<(String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["rule"].as_str().unwrap().to_string(), f["resource"]["name"].as_str().unwrap().to_string()))
        .collect();
    assert!(found.contains(&("s3.storage-class".into(), "acme-logs".into())), "{found:?}");
    assert!(found.contains(&("s3.intelligent-tiering".into(), "acme-media".into())), "{found:?}");
    assert!(found.contains(&("s3.hygiene".into(), "acme-logs".into())), "noncurrent versions: {found:?}");
    assert_eq!(found.len(), 3, "{found:?}");
    assert!(report["source"]["detail"].as_str().unwrap().contains("+ import"));
    let charts = report["findings"].to_string();
    assert!(charts.contains("Object sizes") && charts.contains("Object ages"), "inventory evidence");
}

#[test]
fn unrecognised_files_are_listed_never_skipped() {
    let dir = std::env::temp_dir().join(format!("tierwise-import-extra-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for f in ["manifest.json", "5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d.parquet"] {
        std::fs::copy(repo("fixtures/import/s3-inventory/parquet").join(f), dir.join(f)).unwrap();
    }
    std::fs::write(dir.join("notes.txt"), "who wrote this?").unwrap();
    std::fs::write(dir.join("cur-export.json"), "{\"not\": \"an inventory\"}").unwrap();
    let imported = tierwise::import::import_dir(&dir).expect("imports");
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(imported.runs[0].1.status, tierwise::snapshot::CollectorStatus::Partial);
    let note = imported.runs[0].1.error.clone().unwrap_or_default();
    assert!(note.contains("notes.txt") && note.contains("cur-export.json"), "{note}");
}

/// Run `report --import fixtures/invalid/<case>` and return stderr, asserting exit 2.
fn rejects(case: &str) -> String {
    rejects_input("--import", case)
}

#[test]
fn a_truncated_gzip_names_the_file() {
    let err = rejects("s3-inventory-truncated-gzip");
    assert!(err.contains("3f1c9a2e-5b7d-4c1e-9f0a-7e2d4b6c8a10.csv.gz"), "{err}");
    assert!(err.contains("truncated"), "{err}");
}

#[test]
fn a_corrupt_gzip_of_the_listed_size_names_the_file() {
    let err = rejects("s3-inventory-corrupt-gzip");
    assert!(err.contains("3f1c9a2e-5b7d-4c1e-9f0a-7e2d4b6c8a10.csv.gz") && err.contains("CSV data file"), "{err}");
}

#[test]
fn a_manifest_without_file_schema_names_the_field() {
    let err = rejects("s3-inventory-missing-field");
    assert!(err.contains("s3-inventory-missing-field/manifest.json") && err.contains("`fileSchema`"), "{err}");
}

#[test]
fn a_listed_but_absent_data_file_is_named() {
    let err = rejects("s3-inventory-missing-data-file");
    assert!(err.contains("absent.csv.gz") && err.contains("manifest.json"), "{err}");
}

#[test]
fn a_wrong_column_type_names_file_and_column() {
    let err = rejects("s3-inventory-wrong-column");
    assert!(err.contains(".parquet") && err.contains("column `size`") && err.contains("expected int64"), "{err}");
}

#[test]
fn a_bad_size_value_names_file_and_column() {
    let err = rejects("s3-inventory-bad-size");
    assert!(err.contains("bad.csv.gz") && err.contains("Size"), "{err}");
}

#[test]
fn a_directory_with_nothing_recognisable_is_bad_input() {
    let err = rejects("empty-dir");
    assert!(err.contains("no AWS export recognised"), "{err}");
}

#[test]
fn only_the_newest_inventory_of_a_bucket_is_read() {
    let dir = std::env::temp_dir().join(format!("tierwise-import-dated-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let data = "5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d.parquet";
    let text = std::fs::read_to_string(repo("fixtures/import/s3-inventory/parquet/manifest.json")).unwrap();
    for (day, stamp) in [("2025-10-24T01-00Z", "1761267600000"), ("2025-10-31T01-00Z", "1761872400000")] {
        let sub = dir.join(day);
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::write(sub.join("manifest.json"), text.replace("1761872400000", stamp)).unwrap();
    }
    std::fs::copy(repo("fixtures/import/s3-inventory/parquet").join(data), dir.join(data)).unwrap();
    let imported = tierwise::import::import_dir(&dir).expect("imports");
    let _ = std::fs::remove_dir_all(&dir);
    let note = imported.runs[0].1.error.clone().unwrap_or_default();
    assert!(note.contains("2025-10-24T01-00Z") && note.contains("older inventory"), "{note}");
    assert_eq!(imported.as_of.timestamp_millis(), 1_761_872_400_000);
    let df = &imported.frames[0].1;
    assert_eq!(df.column("objects").unwrap().i64().unwrap().sum(), Some(60), "read once, not twice");
}
