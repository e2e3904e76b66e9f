//! Bad input: each case names the file and the column or field, and exits 2.
//! Fixtures live in fixtures/invalid/ (one directory per case).

use crate::common::*;

/// Run `report --snapshot fixtures/invalid/<case>` and return stderr, asserting exit 2.
fn rejects(case: &str) -> String {
    rejects_input("--snapshot", case)
}

#[test]
fn missing_column_names_file_and_column() {
    let err = rejects("missing-column");
    assert!(err.contains("missing-column/ebs_volumes.csv"), "{err}");
    assert!(err.contains("missing column `size_gib`"), "{err}");
}

#[test]
fn wrong_type_in_csv_names_file_and_column() {
    let err = rejects("wrong-type-csv");
    assert!(err.contains("wrong-type-csv/ebs_volumes.csv"), "{err}");
    assert!(err.contains("line 3: column `size_gib`: `big` is not a valid int64"), "{err}");
}

#[test]
fn wrong_type_in_parquet_names_file_column_and_types() {
    let err = rejects("wrong-type-parquet");
    assert!(err.contains("wrong-type-parquet/ebs_volumes.parquet"), "{err}");
    assert!(err.contains("column `size_gib` has type str, expected int64"), "{err}");
}

#[test]
fn truncated_parquet_is_a_clear_error() {
    let err = rejects("truncated-parquet");
    assert!(err.contains("truncated-parquet/ebs_volumes.parquet"), "{err}");
    assert!(err.contains("cannot read Parquet file"), "{err}");
}

#[test]
fn empty_directory_says_no_manifest() {
    let err = rejects("empty-dir");
    assert!(err.contains("empty-dir") && err.contains("no manifest.json"), "{err}");
}

#[test]
fn newer_schema_version_asks_for_an_upgrade() {
    let err = rejects("newer-schema");
    assert!(err.contains("newer-schema/manifest.json"), "{err}");
    assert!(err.contains("`schema_version` is 99") && err.contains("upgrade"), "{err}");
}

#[test]
fn malformed_manifest_names_the_field() {
    let err = rejects("bad-manifest");
    assert!(err.contains("bad-manifest/manifest.json"), "{err}");
    assert!(err.contains("`end`"), "{err}");
}

#[test]
fn null_in_required_column_is_named() {
    let err = rejects("null-in-required");
    assert!(err.contains("null-in-required/ebs_volumes.csv") && err.contains("`volume_id`"), "{err}");
}

#[test]
fn unparseable_timestamp_names_column_and_line() {
    let err = rejects("bad-timestamp");
    assert!(err.contains("create_time") && err.contains("last tuesday") && err.contains("line 2"), "{err}");
}

#[test]
fn unknown_frame_file_is_named() {
    let err = rejects("unknown-frame");
    assert!(err.contains("ebs_volume") && err.contains("not a known frame"), "{err}");
}

#[test]
fn a_file_is_not_a_snapshot() {
    let out = tierwise(&["report", "--snapshot", "fixtures/invalid/newer-schema/manifest.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("not a directory"));
}

#[test]
fn nonexistent_directory_is_bad_input() {
    let out = tierwise(&["report", "--snapshot", "fixtures/does-not-exist"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("fixtures/does-not-exist"));
}

#[test]
fn hand_written_csv_snapshot_loads_and_is_analysed() {
    let out = tierwise(&["report", "--snapshot", "fixtures/valid-csv", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let rules: Vec<&str> = v["findings"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap()).collect();
    assert!(rules.contains(&"ebs.gp2-to-gp3") && rules.contains(&"ebs.unattached"), "{rules:?}");
    let gp2 = v["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "ebs.gp2-to-gp3").unwrap();
    assert_eq!(gp2["resource"]["name"], "db", "tags parsed from the CSV's JSON column");
}

/// Regenerates the Parquet fixtures (`cargo test --test it regenerate_parquet_fixtures -- --ignored`).
#[test]
#[ignore]
fn regenerate_parquet_fixtures() {
    use polars::prelude::*;
    let mut df = df!(
        "account_id" => ["123456789012"], "region" => ["us-east-1"], "volume_id" => ["vol-1"],
        "az" => ["us-east-1a"], "volume_type" => ["gp2"], "size_gib" => ["500"], "iops" => [1500i64],
        "throughput_mibps" => [None::<i64>], "state" => ["in-use"], "attached_instance_id" => ["i-1"],
        "create_time" => [None::<i64>], "tags" => ["{}"]
    )
    .unwrap();
    let write = |path: &str, df: &mut DataFrame| {
        let file = std::fs::File::create(repo(path)).unwrap();
        ParquetWriter::new(file).finish(df).unwrap();
    };
    write("fixtures/invalid/wrong-type-parquet/ebs_volumes.parquet", &mut df);
    let mut good = df.lazy().with_column(col("size_gib").cast(DataType::Int64)).collect().unwrap();
    write("fixtures/invalid/truncated-parquet/ebs_volumes.parquet", &mut good);
    let path = repo("fixtures/invalid/truncated-parquet/ebs_volumes.parquet");
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
}
