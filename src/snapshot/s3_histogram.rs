//! The `s3_object_histogram` aggregation: object versions → bucket × prefix × storage
//! class × version state × size bucket × age bucket → objects, bytes. Part of the
//! snapshot contract: it defines the buckets of the frame it produces.
//!
//! One lazy query, shared by the S3 Inventory import (over tens of millions of rows,
//! streamed from the data files) and by the S3 rules when a snapshot carries the
//! per-object `s3_objects` frame instead (demo, hand-made fixtures).

use polars::prelude::*;

/// Lower bounds of the age buckets, days since last modified. The rules' thresholds
/// (30-day lifecycle minimum, 90/180-day minimum durations, 7-day multipart
/// clean-up) fall on these bounds.
pub const AGE_BOUNDS_DAYS: [i64; 9] = [0, 7, 14, 30, 60, 90, 180, 365, 730];

/// Size bucket of 128 KiB, the minimum billable (and default minimum transition) size.
pub const SIZE_BUCKET_128_KIB: i64 = 17;

const DAY_MS: i64 = 86_400_000;

/// The columns that identify a histogram cell (`as_of` is constant per inventory).
pub const HISTOGRAM_KEYS: [&str; 8] = [
    "bucket",
    "prefix",
    "storage_class",
    "is_latest",
    "multipart_upload_incomplete",
    "size_bucket",
    "age_days_min",
    "as_of",
];

/// Input columns, already normalised: `bucket`, `key` (string), `size` (int64),
/// `last_modified` (datetime ms), `storage_class`, `is_latest`, `multipart_upload_incomplete`
/// (bool). Output: the `s3_object_histogram` columns, one row per non-empty cell.
pub fn histogram(objects: LazyFrame, as_of_ms: i64) -> LazyFrame {
    histogram_with_prefix(objects, prefix_of(col("key")), as_of_ms)
}

/// [`histogram`] with the prefix computed by `prefix` (CSV inventories URL-encode keys).
pub fn histogram_with_prefix(objects: LazyFrame, prefix: Expr, as_of_ms: i64) -> LazyFrame {
    objects
        .select([
            col("bucket"),
            prefix.alias("prefix"),
            col("storage_class").fill_null(lit("STANDARD")),
            col("is_latest").fill_null(lit(true)),
            col("multipart_upload_incomplete").fill_null(lit(false)),
            size_bucket(col("size")).alias("size_bucket"),
            age_bucket(col("last_modified"), as_of_ms).alias("age_days_min"),
            col("size").fill_null(lit(0i64)).cast(DataType::Int64).alias("size"),
        ])
        .group_by(HISTOGRAM_KEYS[..7].iter().map(|k| col(*k)).collect::<Vec<_>>())
        // Plain reductions stream; casts come after the group-by.
        .agg([len().alias("objects"), col("size").sum().alias("bytes")])
        .with_columns([
            col("objects").cast(DataType::Int64),
            col("bytes").cast(DataType::Int64),
            lit(as_of_ms).cast(DataType::Datetime(TimeUnit::Milliseconds, None)).alias("as_of"),
        ])
}

/// First-level prefix: the key up to and including its first `/`; empty when there is none.
/// (A byte search, not a regular expression: this runs once per object.)
pub fn prefix_of(key: Expr) -> Expr {
    key.map(|c| first_segment(c, false), |_, f| Ok(Field::new(f.name().clone(), DataType::String))).fill_null(lit(""))
}

/// [`prefix_of`] for URL-encoded keys, where the separator may be written `%2F`
/// (decode the result with `url_decode`).
pub fn encoded_prefix_of(key: Expr) -> Expr {
    key.map(|c| first_segment(c, true), |_, f| Ok(Field::new(f.name().clone(), DataType::String))).fill_null(lit(""))
}

fn first_segment(keys: Column, encoded: bool) -> PolarsResult<Column> {
    let keys = keys.str()?;
    let out: StringChunked = keys.apply_values(|k| {
        let slash = k.find('/').map(|i| i + 1);
        let escaped = if encoded { k.find("%2F").or_else(|| k.find("%2f")).map(|i| i + 3) } else { None };
        let end = match (slash, escaped) {
            (Some(a), Some(b)) => a.min(b),
            (a, b) => a.or(b).unwrap_or(0),
        };
        std::borrow::Cow::Borrowed(&k[..end])
    });
    Ok(out.into_column())
}

/// `floor(log2(size))`, 0 for sizes 0 and 1 (and null): 63 − leading zeros.
pub fn size_bucket(size: Expr) -> Expr {
    let size = size.fill_null(lit(0i64)).cast(DataType::Int64);
    let at_least_one = when(size.clone().lt(lit(1i64))).then(lit(1i64)).otherwise(size);
    (lit(63i64) - at_least_one.bitwise_leading_zeros().cast(DataType::Int64)).cast(DataType::Int64)
}

/// Lower bound of the age bucket (see [`AGE_BOUNDS_DAYS`]) of a last-modified time;
/// objects dated after `as_of` (clock skew) and undated ones count as age 0.
pub fn age_bucket(last_modified: Expr, as_of_ms: i64) -> Expr {
    let age_days = (lit(as_of_ms) - last_modified.cast(DataType::Int64)) / lit(DAY_MS);
    let age_days = age_days.fill_null(lit(0i64));
    let mut expr = lit(AGE_BOUNDS_DAYS[AGE_BOUNDS_DAYS.len() - 1]);
    // Build `when(age < b1).then(b0).when(age < b2).then(b1)…` from the top down.
    for pair in AGE_BOUNDS_DAYS.windows(2).rev() {
        expr = when(age_days.clone().lt(lit(pair[1]))).then(lit(pair[0])).otherwise(expr);
    }
    expr.cast(DataType::Int64)
}

/// Human label of a size bucket: `128 KiB–256 KiB`.
pub fn size_bucket_label(k: i64) -> String {
    if k <= 0 {
        return "< 2 B".into();
    }
    format!("{}–{}", bytes_label(1u64 << k.min(62)), bytes_label(1u64 << (k + 1).min(62)))
}

/// Human label of an age bucket: `30–60 d`, `≥ 730 d`.
pub fn age_bucket_label(lower: i64) -> String {
    match AGE_BOUNDS_DAYS.iter().position(|b| *b == lower) {
        Some(i) if i + 1 < AGE_BOUNDS_DAYS.len() => format!("{lower}–{} d", AGE_BOUNDS_DAYS[i + 1]),
        _ => format!("≥ {lower} d"),
    }
}

/// Power-of-two byte count as `2 KiB`, `1 MiB`, …
fn bytes_label(b: u64) -> String {
    const UNITS: [&str; 7] = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    let mut value = b;
    let mut unit = 0;
    while value >= 1024 && value.is_multiple_of(1024) && unit + 1 < UNITS.len() {
        value /= 1024;
        unit += 1;
    }
    format!("{value} {}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn objects() -> DataFrame {
        let day = DAY_MS;
        df!(
            "bucket" => ["b", "b", "b", "b", "c"],
            "key" => ["logs/a", "logs/b", "root.txt", "img/x/y.png", "k"],
            "size" => [0i64, 131_072, 131_071, 3_000_000, 5],
            "last_modified" => [10 * day, 95 * day, 99 * day, 0, 100 * day],
            "storage_class" => ["STANDARD", "STANDARD", "STANDARD", "GLACIER", "STANDARD"],
            "is_latest" => [true, true, true, false, true],
            "multipart_upload_incomplete" => [false, false, false, false, true],
        )
        .expect("frame")
        .lazy()
        .with_column(col("last_modified").cast(DataType::Datetime(TimeUnit::Milliseconds, None)))
        .collect()
        .expect("cast")
    }

    #[test]
    fn cells_carry_prefix_size_and_age_buckets() {
        let out = histogram(objects().lazy(), 100 * DAY_MS)
            .sort(["bucket", "prefix", "size_bucket"], Default::default())
            .collect()
            .expect("histogram");
        assert_eq!(out.height(), 5);
        let prefixes: Vec<_> = out.column("prefix").unwrap().str().unwrap().iter().flatten().collect();
        assert_eq!(prefixes, ["", "img/", "logs/", "logs/", ""]);
        let sizes: Vec<_> = out.column("size_bucket").unwrap().i64().unwrap().iter().flatten().collect();
        // 131,071 → 16 ; 3,000,000 → 21 ; 0 → 0 ; 131,072 → 17 ; 5 → 2
        assert_eq!(sizes, [16, 21, 0, 17, 2]);
        let ages: Vec<_> = out.column("age_days_min").unwrap().i64().unwrap().iter().flatten().collect();
        // ages 1, 100, 90, 5, 0 days
        assert_eq!(ages, [0, 90, 90, 0, 0]);
        assert_eq!(out.column("bytes").unwrap().i64().unwrap().sum(), Some(131_072 + 131_071 + 3_000_000 + 5));
    }

    #[test]
    fn prefixes_are_cut_at_the_first_separator_byte() {
        let keys = df!("key" => ["写真/a.jpg", "a%2Fb/c", "x/y%2Fz", "root", ""]).expect("keys");
        let cut = |e: Expr| -> Vec<String> {
            let df = keys.clone().lazy().select([e.alias("p")]).collect().expect("prefixes");
            df.column("p").unwrap().str().unwrap().iter().map(|p| p.unwrap_or("null").to_string()).collect()
        };
        assert_eq!(cut(prefix_of(col("key"))), ["写真/", "a%2Fb/", "x/", "", ""]);
        assert_eq!(cut(encoded_prefix_of(col("key"))), ["写真/", "a%2F", "x/", "", ""]);
    }

    #[test]
    fn labels_read_well() {
        assert_eq!(size_bucket_label(17), "128 KiB–256 KiB");
        assert_eq!(size_bucket_label(11), "2 KiB–4 KiB");
        assert_eq!(age_bucket_label(30), "30–60 d");
        assert_eq!(age_bucket_label(730), "≥ 730 d");
    }
}
