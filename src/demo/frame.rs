//! Column constructors and the one place where a generated frame is checked
//! against the Snapshot contract.

use std::path::Path;

use polars::prelude::*;

use crate::snapshot::FrameName;
use crate::snapshot::load::conform;

/// A timestamp column (`Ty::Ts`: Datetime ms, no time zone) from epoch milliseconds.
pub fn ts(name: &str, millis: Vec<i64>) -> Column {
    Int64Chunked::from_vec(name.into(), millis).into_datetime(TimeUnit::Milliseconds, None).into_series().into_column()
}

/// A nullable timestamp column from epoch milliseconds.
pub fn ts_opt(name: &str, millis: Vec<Option<i64>>) -> Column {
    Int64Chunked::from_iter_options(name.into(), millis.into_iter())
        .into_datetime(TimeUnit::Milliseconds, None)
        .into_series()
        .into_column()
}

/// A date column (`Ty::Date`) from days since the epoch.
pub fn date(name: &str, days: Vec<i64>) -> Column {
    let days: Vec<i32> = days.into_iter().map(|d| d as i32).collect();
    Int32Chunked::from_vec(name.into(), days).into_date().into_series().into_column()
}

/// A string column.
pub fn text<S: AsRef<str>>(name: &str, values: &[S]) -> Column {
    let values: Vec<&str> = values.iter().map(AsRef::as_ref).collect();
    Column::new(name.into(), values)
}

/// A nullable string column.
pub fn text_opt<S: AsRef<str>>(name: &str, values: &[Option<S>]) -> Column {
    let values: Vec<Option<&str>> = values.iter().map(|v| v.as_ref().map(AsRef::as_ref)).collect();
    Column::new(name.into(), values)
}

/// Assemble a frame and run it through the same check a loaded snapshot gets.
///
/// The columns are built in code from the schema, so a failure here is a bug in the
/// generator, never a property of the input: the unit tests generate every frame.
pub fn finish(frame: FrameName, columns: Vec<Column>) -> DataFrame {
    let path = Path::new("demo").join(frame.as_str());
    DataFrame::new_infer_height(columns)
        .map_err(|e| e.to_string())
        .and_then(|df| conform(&path, frame, df).map_err(|e| e.to_string()))
        .unwrap_or_else(|e| panic!("demo generator bug: frame {frame} does not match its schema: {e}"))
}
