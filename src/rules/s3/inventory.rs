//! The object-level view of a bucket (S3 Inventory): the `s3_object_histogram`
//! frame, or the same aggregate computed from `s3_objects`, queried lazily and
//! scaled to CloudWatch's byte totals.
//!
//! Scaling: an inventory may be a sample (or a few days older than the CloudWatch
//! series); its *distribution* (sizes, ages, versions) is trusted, and its counts are
//! multiplied by CloudWatch's bytes ÷ the inventory's bytes for that bucket.

use std::collections::BTreeMap;

use polars::prelude::*;

use crate::rules::RuleError;
use crate::rules::columns::strs;
use crate::snapshot::s3_histogram::histogram;
use crate::snapshot::{FrameName, Snapshot};

use super::storage::Storage;

/// Where a bucket's object-level numbers came from, and how they were scaled.
#[derive(Debug, Clone)]
pub struct Coverage {
    /// Inventory bytes ÷ CloudWatch bytes (1.0 when there is no CloudWatch figure).
    pub share: f64,
    /// Multiplier applied to inventory objects and bytes.
    pub factor: f64,
}

impl Coverage {
    /// True when the inventory's bytes differ from CloudWatch's by more than a quarter.
    pub fn scaled_noticeably(&self) -> bool {
        !(0.8..=1.25).contains(&self.share)
    }
}

/// The object histogram of a snapshot, and per-bucket coverage.
pub struct Inventory {
    frame: LazyFrame,
    pub coverage: BTreeMap<String, Coverage>,
}

impl Inventory {
    /// `None` when the snapshot has neither `s3_object_histogram` nor `s3_objects`.
    pub fn of(snapshot: &Snapshot, storage: &BTreeMap<String, Storage>) -> Result<Option<Inventory>, RuleError> {
        let frame = match (snapshot.frame(FrameName::S3ObjectHistogram), snapshot.frame(FrameName::S3Objects)) {
            (Some(h), _) => h.clone().lazy(),
            // Aggregated once: every query below reads the small histogram, not the objects.
            (None, Some(objects)) => {
                histogram(objects.clone().lazy(), snapshot.manifest.window.end.timestamp_millis()).collect()?.lazy()
            }
            (None, None) => return Ok(None),
        };
        let totals = frame
            .clone()
            .group_by([col("bucket")])
            .agg([col("bytes").sum().cast(DataType::Float64)])
            .sort(["bucket"], Default::default())
            .collect()?;
        let names = strs(&totals, "bucket")?;
        let bytes: Vec<Option<f64>> = totals.column("bytes")?.f64()?.iter().collect();
        let mut coverage = BTreeMap::new();
        for (name, b) in names.iter().zip(bytes) {
            let (Some(name), Some(b)) = (name, b) else { continue };
            let cw = storage.get(*name).map(Storage::total_bytes).filter(|t| *t > 0.0);
            let c = match cw {
                Some(cw) if b > 0.0 => Coverage { share: b / cw, factor: cw / b },
                _ => Coverage { share: 1.0, factor: 1.0 },
            };
            coverage.insert(name.to_string(), c);
        }
        Ok(Some(Inventory { frame, coverage }))
    }

    fn factor(&self, bucket: &str) -> f64 {
        self.coverage.get(bucket).map(|c| c.factor).unwrap_or(1.0)
    }

    /// Sum objects and bytes of the rows matching `filter`, grouped by bucket and
    /// `keys`, scaled per bucket. Each row: (bucket, key values as text, objects, bytes).
    pub fn sum(&self, filter: Expr, keys: &[&str]) -> Result<Vec<Cell>, RuleError> {
        let mut by: Vec<Expr> = vec![col("bucket")];
        by.extend(keys.iter().map(|k| col(*k)));
        let mut sort: Vec<&str> = vec!["bucket"];
        sort.extend(keys.iter().copied());
        let df = self
            .frame
            .clone()
            .filter(filter)
            .group_by(by)
            .agg([
                col("objects").sum().cast(DataType::Float64).alias("objects"),
                col("bytes").sum().cast(DataType::Float64).alias("bytes"),
            ])
            .sort(sort, Default::default())
            .collect()?;
        let buckets = strs(&df, "bucket")?;
        let key_columns: Vec<Vec<String>> = keys
            .iter()
            .map(|k| {
                let c = df.column(k)?.cast(&DataType::String)?;
                Ok(c.str()?.iter().map(|v| v.unwrap_or_default().to_string()).collect())
            })
            .collect::<Result<_, PolarsError>>()?;
        let objects: Vec<Option<f64>> = df.column("objects")?.f64()?.iter().collect();
        let bytes: Vec<Option<f64>> = df.column("bytes")?.f64()?.iter().collect();
        Ok((0..df.height())
            .filter_map(|i| {
                let bucket = buckets[i]?;
                let f = self.factor(bucket);
                Some(Cell {
                    bucket: bucket.to_string(),
                    keys: key_columns.iter().map(|c| c[i].clone()).collect(),
                    objects: objects[i].unwrap_or(0.0) * f,
                    bytes: bytes[i].unwrap_or(0.0) * f,
                })
            })
            .collect())
    }
}

/// One aggregated, scaled cell of the histogram.
#[derive(Debug, Clone)]
pub struct Cell {
    pub bucket: String,
    /// Values of the grouping keys, in the order asked for.
    pub keys: Vec<String>,
    pub objects: f64,
    pub bytes: f64,
}

impl Cell {
    /// A grouping key parsed as an integer (size bucket, age bucket).
    pub fn int(&self, i: usize) -> i64 {
        self.keys.get(i).and_then(|k| k.parse().ok()).unwrap_or_default()
    }
}

/// Current versions in STANDARD that are complete objects.
pub fn current_standard() -> Expr {
    col("is_latest").and(col("storage_class").eq(lit("STANDARD"))).and(col("multipart_upload_incomplete").not())
}

/// Group cells by bucket.
pub fn by_bucket(cells: Vec<Cell>) -> BTreeMap<String, Vec<Cell>> {
    let mut out: BTreeMap<String, Vec<Cell>> = BTreeMap::new();
    for c in cells {
        out.entry(c.bucket.clone()).or_default().push(c);
    }
    out
}
