//! Build a frame row by row from named cells, typed by the frame's schema. Used by the
//! live collectors and importers, whose rows arrive one API object at a time, and by
//! tests (`FrameBuilder::with_defaults`: required columns a row leaves out get a
//! neutral value, so a test names only the cells it is about).

use polars::prelude::*;

use super::schema::{FrameName, Ty};
use super::{SnapshotError, load::conform};

/// One cell value; `None` is null.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Str(Option<String>),
    I64(Option<i64>),
    F64(Option<f64>),
    Bool(Option<bool>),
    /// Epoch milliseconds.
    Ts(Option<i64>),
    /// Days since the epoch.
    Date(Option<i32>),
}

impl From<&str> for Cell {
    fn from(v: &str) -> Cell {
        Cell::Str(Some(v.to_string()))
    }
}
impl From<String> for Cell {
    fn from(v: String) -> Cell {
        Cell::Str(Some(v))
    }
}
impl From<Option<String>> for Cell {
    fn from(v: Option<String>) -> Cell {
        Cell::Str(v)
    }
}
impl From<Option<&str>> for Cell {
    fn from(v: Option<&str>) -> Cell {
        Cell::Str(v.map(str::to_string))
    }
}
impl From<i64> for Cell {
    fn from(v: i64) -> Cell {
        Cell::I64(Some(v))
    }
}
impl From<Option<i64>> for Cell {
    fn from(v: Option<i64>) -> Cell {
        Cell::I64(v)
    }
}
impl From<f64> for Cell {
    fn from(v: f64) -> Cell {
        Cell::F64(Some(v))
    }
}
impl From<Option<f64>> for Cell {
    fn from(v: Option<f64>) -> Cell {
        Cell::F64(v)
    }
}
impl From<bool> for Cell {
    fn from(v: bool) -> Cell {
        Cell::Bool(Some(v))
    }
}
impl From<Option<bool>> for Cell {
    fn from(v: Option<bool>) -> Cell {
        Cell::Bool(v)
    }
}

impl Cell {
    /// A timestamp cell from epoch milliseconds.
    pub fn ts(ms: i64) -> Cell {
        Cell::Ts(Some(ms))
    }

    /// A date cell from days since the epoch.
    pub fn date(days: i64) -> Cell {
        Cell::Date(Some(days as i32))
    }
}

enum Values {
    Str(Vec<Option<String>>),
    I64(Vec<Option<i64>>),
    F64(Vec<Option<f64>>),
    Bool(Vec<Option<bool>>),
    Ts(Vec<Option<i64>>),
    Date(Vec<Option<i32>>),
}

pub struct FrameBuilder {
    frame: FrameName,
    values: Vec<Values>,
    rows: usize,
    /// Fill required columns a row leaves out with a neutral value (tests).
    defaults: bool,
}

impl FrameBuilder {
    pub fn new(frame: FrameName) -> FrameBuilder {
        let values = frame
            .columns()
            .iter()
            .map(|c| match c.ty {
                Ty::Str => Values::Str(Vec::new()),
                Ty::I64 => Values::I64(Vec::new()),
                Ty::F64 => Values::F64(Vec::new()),
                Ty::Bool => Values::Bool(Vec::new()),
                Ty::Ts => Values::Ts(Vec::new()),
                Ty::Date => Values::Date(Vec::new()),
            })
            .collect();
        FrameBuilder { frame, values, rows: 0, defaults: false }
    }

    /// A builder whose rows need only the cells a test is about: a required column left
    /// out gets "" (`{}` for `tags`), 0, false, or the epoch; a nullable one stays null.
    pub fn with_defaults(frame: FrameName) -> FrameBuilder {
        FrameBuilder { defaults: true, ..FrameBuilder::new(frame) }
    }

    /// Add rows, failing on the first bad one.
    pub fn rows<const N: usize>(
        mut self,
        rows: impl IntoIterator<Item = [(&'static str, Cell); N]>,
    ) -> Result<Self, SnapshotError> {
        for r in rows {
            self.row(r)?;
        }
        Ok(self)
    }

    pub fn len(&self) -> usize {
        self.rows
    }

    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// Add one row. Cells are given by column name; documented columns not given are
    /// null. A name that is not a column, or a cell of the wrong type, is a bug in the
    /// caller and is reported by `finish` as an error naming the column.
    pub fn row<const N: usize>(&mut self, cells: [(&str, Cell); N]) -> Result<(), SnapshotError> {
        let cols = self.frame.columns();
        for (values, col) in self.values.iter_mut().zip(cols) {
            let fill = self.defaults && !col.nullable;
            match values {
                Values::Str(v) => v.push(fill.then(|| if col.name == "tags" { "{}".into() } else { String::new() })),
                Values::I64(v) => v.push(fill.then_some(0)),
                Values::F64(v) => v.push(fill.then_some(0.0)),
                Values::Bool(v) => v.push(fill.then_some(false)),
                Values::Ts(v) => v.push(fill.then_some(0)),
                Values::Date(v) => v.push(fill.then_some(0)),
            }
        }
        self.rows += 1;
        self.set_last(cells)
    }

    /// Set cells of the last row added (for values that arrive after the row was started).
    pub fn set_last<const N: usize>(&mut self, cells: [(&str, Cell); N]) -> Result<(), SnapshotError> {
        self.set_row(self.rows.saturating_sub(1), cells)
    }

    /// Set cells of row `index` (0-based; a row already added).
    pub fn set_row<const N: usize>(&mut self, index: usize, cells: [(&str, Cell); N]) -> Result<(), SnapshotError> {
        let cols = self.frame.columns();
        for (name, cell) in cells {
            let Some(idx) = cols.iter().position(|c| c.name == name) else {
                return Err(self.bad(name, "a documented column"));
            };
            let ok = match (&mut self.values[idx], cell) {
                (Values::Str(v), Cell::Str(x)) => v.get_mut(index).map(|slot| *slot = x).is_some(),
                (Values::I64(v), Cell::I64(x)) => v.get_mut(index).map(|slot| *slot = x).is_some(),
                (Values::F64(v), Cell::F64(x)) => v.get_mut(index).map(|slot| *slot = x).is_some(),
                (Values::F64(v), Cell::I64(x)) => v.get_mut(index).map(|slot| *slot = x.map(|i| i as f64)).is_some(),
                (Values::Bool(v), Cell::Bool(x)) => v.get_mut(index).map(|slot| *slot = x).is_some(),
                (Values::Ts(v), Cell::Ts(x)) => v.get_mut(index).map(|slot| *slot = x).is_some(),
                (Values::Date(v), Cell::Date(x)) => v.get_mut(index).map(|slot| *slot = x).is_some(),
                _ => false,
            };
            if !ok {
                return Err(self.bad(name, cols[idx].ty.name()));
            }
        }
        Ok(())
    }

    fn bad(&self, column: &str, expected: &'static str) -> SnapshotError {
        SnapshotError::WrongType {
            path: self.frame.as_str().into(),
            column: column.to_string(),
            expected,
            found: "a value of another type from the collector".into(),
        }
    }

    /// The frame, checked against the contract like a loaded one.
    pub fn finish(self) -> Result<DataFrame, SnapshotError> {
        let cols = self.frame.columns();
        let columns: Vec<Column> = self
            .values
            .into_iter()
            .zip(cols)
            .map(|(values, col)| {
                let name: PlSmallStr = col.name.into();
                match values {
                    Values::Str(v) => Column::new(name, v),
                    Values::I64(v) => Column::new(name, v),
                    Values::F64(v) => Column::new(name, v),
                    Values::Bool(v) => Column::new(name, v),
                    Values::Ts(v) => Int64Chunked::from_iter_options(name, v.into_iter())
                        .into_datetime(TimeUnit::Milliseconds, None)
                        .into_series()
                        .into_column(),
                    Values::Date(v) => {
                        Int32Chunked::from_iter_options(name, v.into_iter()).into_date().into_series().into_column()
                    }
                }
            })
            .collect();
        let path = std::path::PathBuf::from(self.frame.as_str());
        let df = DataFrame::new(self.rows, columns).map_err(|e| SnapshotError::Unreadable {
            path: path.clone(),
            what: "frame",
            detail: e.to_string(),
        })?;
        conform(&path, self.frame, df)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_a_checked_frame_with_nulls_for_missing_cells() {
        let mut b = FrameBuilder::new(FrameName::EksServices);
        b.row([
            ("eks_cluster", "prod".into()),
            ("namespace", "shop".into()),
            ("service", "cart".into()),
            ("endpoints_by_az", "{}".into()),
        ])
        .unwrap();
        let df = b.finish().unwrap();
        assert_eq!(df.height(), 1);
        assert_eq!(df.column("traffic_distribution").unwrap().null_count(), 1);
    }

    #[test]
    fn test_builders_fill_required_cells() {
        let df = FrameBuilder::with_defaults(FrameName::EksServices)
            .rows([[("service", "cart".into())]])
            .unwrap()
            .finish()
            .unwrap();
        assert_eq!(df.column("endpoints_by_az").unwrap().str().unwrap().get(0), Some(""));
        assert_eq!(df.column("traffic_distribution").unwrap().null_count(), 1, "nullable stays null");
    }

    #[test]
    fn a_missing_required_cell_or_wrong_type_is_an_error() {
        let mut b = FrameBuilder::new(FrameName::EksServices);
        b.row([("eks_cluster", "prod".into())]).unwrap();
        assert!(b.finish().is_err(), "namespace is not nullable");
        let mut b = FrameBuilder::new(FrameName::EksServices);
        assert!(b.row([("eks_cluster", 3i64.into())]).is_err());
        assert!(b.row([("nope", "x".into())]).is_err());
    }
}
