//! Stream an inventory's data files into the `s3_object_histogram` aggregate.
//!
//! All data files of a manifest are scanned as one lazy query and collected with
//! Polars' streaming engine, so memory holds the aggregate (a few thousand cells per
//! bucket), never the object rows: 50 million objects fit a small machine. When the
//! query fails, each file is scanned alone to name the one at fault.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::Arc;

use polars::prelude::*;

use super::s3_inventory::{DataFile, FileFormat, InventoryManifest, url_decode};
use crate::snapshot::SnapshotError;
use crate::snapshot::s3_histogram::{HISTOGRAM_KEYS, encoded_prefix_of, histogram_with_prefix, prefix_of};

/// Inventory fields the import needs, as (CSV fileSchema name, Parquet column name).
const REQUIRED: [(&str, &str); 5] = [
    ("Bucket", "bucket"),
    ("Key", "key"),
    ("Size", "size"),
    ("LastModifiedDate", "last_modified_date"),
    ("StorageClass", "storage_class"),
];
/// Optional fields: absent `IsLatest` means a current-versions-only inventory.
const IS_LATEST: (&str, &str) = ("IsLatest", "is_latest");
const IS_DELETE_MARKER: (&str, &str) = ("IsDeleteMarker", "is_delete_marker");

/// Aggregate one manifest's data files into `s3_object_histogram` rows.
pub fn aggregate(manifest: &InventoryManifest) -> Result<DataFrame, SnapshotError> {
    for file in &manifest.files {
        check_size(manifest, file)?;
    }
    if manifest.format == FileFormat::Parquet {
        for file in &manifest.files {
            check_parquet_columns(file)?;
        }
    } else {
        check_csv_schema(manifest)?;
    }
    let merge_error = |e: PolarsError| SnapshotError::Unreadable {
        path: manifest.path.clone(),
        what: "S3 Inventory aggregates",
        detail: e.to_string(),
    };
    let mut partials: Vec<DataFrame> = Vec::new();
    for batch in batches(manifest) {
        partials.push(collect_batch(manifest, batch)?);
        if partials.iter().map(DataFrame::height).sum::<usize>() > COMPACT_ROWS {
            partials = vec![merge(std::mem::take(&mut partials)).map_err(merge_error)?];
        }
    }
    finish(manifest, merge(partials).map_err(merge_error)?)
}

/// Data file bytes per streaming query. The streaming group-by keeps the rows of
/// groups beyond its small "hot" table until its query ends, so a query's memory grows
/// with its rows (about 110 bytes a row): batches of files bound it, and their
/// histograms are merged (50 M rows: ~1 GB instead of ~5 GB).
const BATCH_BYTES_PARQUET: u64 = 256 << 20;
/// Gzip CSV expands about tenfold.
const BATCH_BYTES_CSV_GZ: u64 = 32 << 20;
/// Partial histograms are merged once they hold this many rows together.
const COMPACT_ROWS: usize = 4_000_000;

/// Consecutive runs of data files of at most the batch budget (a larger file is a batch alone).
fn batches(manifest: &InventoryManifest) -> Vec<&[DataFile]> {
    let budget = match manifest.format {
        FileFormat::Parquet => BATCH_BYTES_PARQUET,
        FileFormat::Csv => BATCH_BYTES_CSV_GZ,
    };
    let size = |f: &DataFile| std::fs::metadata(&f.path).map(|m| m.len()).unwrap_or(0);
    let mut out = Vec::new();
    let (mut start, mut bytes) = (0, 0);
    for (i, file) in manifest.files.iter().enumerate() {
        let s = size(file);
        if i > start && bytes + s > budget {
            out.push(&manifest.files[start..i]);
            (start, bytes) = (i, 0);
        }
        bytes += s;
    }
    if start < manifest.files.len() {
        out.push(&manifest.files[start..]);
    }
    out
}

/// One streaming query over a batch; on failure, each file alone to name the one at fault.
fn collect_batch(manifest: &InventoryManifest, files: &[DataFile]) -> Result<DataFrame, SnapshotError> {
    collect(manifest, files).map_err(|whole| {
        for file in files {
            if let Err(detail) = collect(manifest, std::slice::from_ref(file)) {
                return unreadable(manifest, file, detail);
            }
        }
        SnapshotError::Unreadable { path: manifest.path.clone(), what: "S3 Inventory data files", detail: whole }
    })
}

/// Sum partial histograms cell by cell.
fn merge(partials: Vec<DataFrame>) -> PolarsResult<DataFrame> {
    if partials.len() == 1 {
        return partials.into_iter().next().ok_or_else(|| polars_err!(NoData: "no partial histogram"));
    }
    let keys: Vec<Expr> = HISTOGRAM_KEYS.iter().map(|k| col(*k)).collect();
    concat(partials.into_iter().map(DataFrame::lazy).collect::<Vec<_>>(), UnionArgs::default())?
        .group_by(keys)
        .agg([col("objects").sum(), col("bytes").sum()])
        .collect()
}

fn unreadable(manifest: &InventoryManifest, file: &DataFile, detail: String) -> SnapshotError {
    let what = match manifest.format {
        FileFormat::Csv => "S3 Inventory CSV data file (truncated gzip, or columns not as fileSchema says?)",
        FileFormat::Parquet => "S3 Inventory Parquet data file (truncated or not Parquet?)",
    };
    SnapshotError::Unreadable { path: file.path.clone(), what, detail }
}

/// A data file whose size differs from the manifest's record is truncated or another file.
fn check_size(manifest: &InventoryManifest, file: &DataFile) -> Result<(), SnapshotError> {
    let actual =
        std::fs::metadata(&file.path).map(|m| m.len()).map_err(|e| unreadable(manifest, file, e.to_string()))?;
    match file.size {
        Some(listed) if listed != actual => Err(unreadable(
            manifest,
            file,
            format!(
                "{actual} bytes, but {} lists `{}` with size {listed}: the copy is truncated or a different file",
                manifest.path.display(),
                file.key
            ),
        )),
        _ => Ok(()),
    }
}

fn check_csv_schema(manifest: &InventoryManifest) -> Result<(), SnapshotError> {
    for (field, _) in REQUIRED {
        if !manifest.csv_columns.iter().any(|c| c == field) {
            return Err(SnapshotError::InvalidManifest {
                path: manifest.path.clone(),
                detail: format!(
                    "field `fileSchema` lacks `{field}` (has: {}); enable Size, LastModifiedDate and StorageClass in the inventory configuration",
                    manifest.csv_columns.join(", ")
                ),
            });
        }
    }
    Ok(())
}

fn parquet_args() -> ScanArgsParquet {
    ScanArgsParquet { glob: false, ..Default::default() }
}

fn pl_path(path: &Path) -> Result<PlRefPath, String> {
    PlRefPath::try_from_path(path).map_err(|e| e.to_string())
}

/// Every required column is present with a usable type (read from the file footer only).
fn check_parquet_columns(file: &DataFile) -> Result<(), SnapshotError> {
    let bad = |detail: String| SnapshotError::Unreadable {
        path: file.path.clone(),
        what: "S3 Inventory Parquet data file (truncated or not Parquet?)",
        detail,
    };
    let schema = guarded(|| {
        LazyFrame::scan_parquet(pl_path(&file.path)?, parquet_args())
            .and_then(|mut lf| lf.collect_schema())
            .map_err(|e| e.to_string())
    })
    .map_err(bad)?;
    let wrong = |column: &str, expected: &'static str, found: Option<&DataType>| match found {
        None => SnapshotError::MissingColumn { path: file.path.clone(), column: column.into(), expected },
        Some(dtype) => SnapshotError::WrongType {
            path: file.path.clone(),
            column: column.into(),
            expected,
            found: dtype.to_string(),
        },
    };
    for (_, column) in REQUIRED {
        let dtype = schema.get(column);
        let (ok, expected) = match column {
            "size" => (dtype.is_some_and(|d| d.is_integer()), "int64"),
            "last_modified_date" => (dtype.is_some_and(|d| matches!(d, DataType::Datetime(..))), "timestamp"),
            _ => (dtype.is_some_and(|d| *d == DataType::String), "string"),
        };
        if !ok {
            return Err(wrong(column, expected, dtype));
        }
    }
    for (_, column) in [IS_LATEST, IS_DELETE_MARKER] {
        if let Some(dtype) = schema.get(column)
            && *dtype != DataType::Boolean
        {
            return Err(wrong(column, "bool", Some(dtype)));
        }
    }
    Ok(())
}

/// The files as normalised object rows: bucket, key, size, last_modified,
/// storage_class, is_latest, multipart_upload_incomplete (false: inventories list
/// objects, never incomplete multipart uploads), delete markers dropped.
fn object_rows(manifest: &InventoryManifest, files: &[DataFile]) -> Result<LazyFrame, String> {
    let paths = files.iter().map(|f| pl_path(&f.path)).collect::<Result<Vec<_>, _>>()?;
    match manifest.format {
        FileFormat::Parquet => {
            let lf = LazyFrame::scan_parquet_files(paths.into_iter().collect(), parquet_args())
                .map_err(|e| e.to_string())?;
            let schema = lf.clone().collect_schema().map_err(|e| e.to_string())?;
            let flag = |name: &str, default: bool| {
                if schema.get(name).is_some() { col(name).fill_null(lit(default)) } else { lit(default) }
            };
            Ok(lf.filter(flag(IS_DELETE_MARKER.1, false).not()).select([
                col("bucket"),
                col("key"),
                col("size").cast(DataType::Int64),
                col("last_modified_date").cast(DataType::Datetime(TimeUnit::Milliseconds, None)).alias("last_modified"),
                col("storage_class"),
                flag(IS_LATEST.1, true).alias("is_latest"),
                lit(false).alias("multipart_upload_incomplete"),
            ]))
        }
        FileFormat::Csv => {
            let columns = &manifest.csv_columns;
            let schema: Schema = columns.iter().map(|c| Field::new(c.as_str().into(), DataType::String)).collect();
            let lf = LazyCsvReader::new_paths(paths.into_iter().collect())
                .with_has_header(false)
                .with_glob(false)
                .with_schema(Some(Arc::new(schema)))
                .finish()
                .map_err(|e| e.to_string())?;
            let has = |name: &str| columns.iter().any(|c| c == name);
            let flag = |name: &str, default: bool| {
                if has(name) { col(name).eq(lit("true")).fill_null(lit(default)) } else { lit(default) }
            };
            let ts_format = StrptimeOptions {
                format: Some("%Y-%m-%dT%H:%M:%S%.fZ".into()),
                strict: true,
                exact: true,
                cache: false,
            };
            Ok(lf.filter(flag(IS_DELETE_MARKER.0, false).not()).select([
                col("Bucket").alias("bucket"),
                col("Key").alias("key"),
                col("Size").strict_cast(DataType::Int64).alias("size"),
                col("LastModifiedDate")
                    .str()
                    .to_datetime(Some(TimeUnit::Milliseconds), None, ts_format, lit("raise"))
                    .alias("last_modified"),
                col("StorageClass").alias("storage_class"),
                flag(IS_LATEST.0, true).alias("is_latest"),
                lit(false).alias("multipart_upload_incomplete"),
            ]))
        }
    }
}

fn collect(manifest: &InventoryManifest, files: &[DataFile]) -> Result<DataFrame, String> {
    guarded(|| {
        let rows = object_rows(manifest, files)?;
        // CSV inventories URL-encode keys: the separator may be `%2F` (decoded in `finish`).
        let prefix = match manifest.format {
            FileFormat::Csv => encoded_prefix_of(col("key")),
            FileFormat::Parquet => prefix_of(col("key")),
        };
        histogram_with_prefix(rows, prefix, manifest.created_ms)
            .collect_with_engine(Engine::Streaming)
            .map(|r| r.unwrap_single())
            .map_err(|e| e.to_string().lines().next().unwrap_or_default().to_string())
    })
}

/// Run a Polars read, turning a panic inside a decoder (corrupt input) into an error.
fn guarded<T>(f: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|_| Err("the decoder failed on this file".into()))
}

/// Decode the prefixes of CSV inventories, whose keys are URL-encoded.
fn finish(manifest: &InventoryManifest, df: DataFrame) -> Result<DataFrame, SnapshotError> {
    if manifest.format == FileFormat::Parquet {
        return Ok(df);
    }
    let bad = |e: PolarsError| SnapshotError::Unreadable {
        path: manifest.path.clone(),
        what: "S3 Inventory aggregate",
        detail: e.to_string(),
    };
    let prefixes: Vec<Option<String>> =
        df.column("prefix").and_then(|c| c.str().cloned()).map_err(bad)?.iter().map(|p| p.map(url_decode)).collect();
    let mut df = df;
    df.with_column(Column::new("prefix".into(), prefixes)).map_err(bad)?;
    Ok(df)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn partial(cells: &[(&str, i64, i64)]) -> DataFrame {
        let n = cells.len();
        df!(
            "bucket" => cells.iter().map(|c| c.0).collect::<Vec<_>>(),
            "prefix" => vec!["logs/"; n],
            "storage_class" => vec!["STANDARD"; n],
            "is_latest" => vec![true; n],
            "multipart_upload_incomplete" => vec![false; n],
            "size_bucket" => cells.iter().map(|c| c.1).collect::<Vec<_>>(),
            "age_days_min" => vec![30i64; n],
            "objects" => vec![1i64; n],
            "bytes" => cells.iter().map(|c| c.2).collect::<Vec<_>>(),
            "as_of" => vec![0i64; n],
        )
        .expect("partial")
    }

    #[test]
    fn partial_histograms_merge_cell_by_cell() {
        let merged = merge(vec![partial(&[("a", 17, 200_000), ("b", 20, 1 << 20)]), partial(&[("a", 17, 150_000)])])
            .expect("merge")
            .sort(["bucket"], Default::default())
            .expect("sort");
        assert_eq!(merged.height(), 2);
        let objects: Vec<_> = merged.column("objects").unwrap().i64().unwrap().iter().flatten().collect();
        let bytes: Vec<_> = merged.column("bytes").unwrap().i64().unwrap().iter().flatten().collect();
        assert_eq!((objects, bytes), (vec![2, 1], vec![350_000, 1 << 20]));
    }
}
