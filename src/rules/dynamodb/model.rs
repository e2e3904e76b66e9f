//! Tables and their capacity units as the rules see them, read once from
//! `dynamodb_tables`, `dynamodb_indexes` and `dynamodb_autoscaling`. A table's first unit
//! is the table itself; each GSI follows as a unit of its own. Auto-scaling comes from
//! `dynamodb_autoscaling` when the snapshot has it, else from the table's
//! `autoscaling_*` columns (then applied to the table's reads and writes).

use std::collections::{BTreeMap, HashMap};

use polars::prelude::*;

use crate::rules::RuleError;
use crate::rules::columns::{i64s, millis, strs, tags};
use crate::snapshot::{FrameName, Snapshot};

/// Reads or writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dim {
    Read,
    Write,
}

impl Dim {
    pub const BOTH: [Dim; 2] = [Dim::Read, Dim::Write];

    pub fn idx(self) -> usize {
        self as usize
    }

    pub fn noun(self) -> &'static str {
        match self {
            Dim::Read => "reads",
            Dim::Write => "writes",
        }
    }

    /// RCU / WCU.
    pub fn unit(self) -> &'static str {
        match self {
            Dim::Read => "RCU",
            Dim::Write => "WCU",
        }
    }
}

/// A configured scalable target; `target_pct` is a percentage (70 = 70 %).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scaling {
    pub min: f64,
    pub max: f64,
    pub target_pct: Option<f64>,
    pub scale_in_disabled: bool,
}

/// A table or one of its GSIs.
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    /// None for the table itself.
    pub index: Option<String>,
    pub arn: String,
    /// Configured provisioned capacity per dimension (None for on-demand).
    pub provisioned: [Option<f64>; 2],
    pub scaling: [Option<Scaling>; 2],
    pub storage_bytes: f64,
}

impl Unit {
    pub fn is_gsi(&self) -> bool {
        self.index.is_some()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    Standard,
    InfrequentAccess,
}

impl Class {
    pub fn as_str(self) -> &'static str {
        match self {
            Class::Standard => "STANDARD",
            Class::InfrequentAccess => "STANDARD_INFREQUENT_ACCESS",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Class::Standard => "Standard",
            Class::InfrequentAccess => "Standard-IA",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub account: String,
    pub region: String,
    pub name: String,
    pub on_demand: bool,
    pub class: Class,
    /// Global table: writes are billed as replicated writes.
    pub replicas: Vec<String>,
    pub pitr: bool,
    pub tags: BTreeMap<String, String>,
    pub class_updated_at_ms: Option<i64>,
    /// The table first, then its GSIs.
    pub units: Vec<Unit>,
}

impl Table {
    pub fn is_global(&self) -> bool {
        !self.replicas.is_empty()
    }

    /// Table and GSI storage, bytes.
    pub fn storage_bytes(&self) -> f64 {
        self.units.iter().map(|u| u.storage_bytes).sum()
    }
}

/// AWS's ARN of a table (or of one of its GSIs).
pub fn unit_arn(region: &str, account: &str, table: &str, index: Option<&str>) -> String {
    match index {
        Some(i) => format!("arn:aws:dynamodb:{region}:{account}:table/{table}/index/{i}"),
        None => format!("arn:aws:dynamodb:{region}:{account}:table/{table}"),
    }
}

/// (account, region, table) → position in the table list.
pub type TableKey = (String, String, String);

pub struct Tables {
    pub tables: Vec<Table>,
    pub by_key: HashMap<TableKey, usize>,
}

impl Tables {
    /// (table index, unit index) of a table or GSI.
    pub fn find(&self, account: &str, region: &str, table: &str, index: Option<&str>) -> Option<(usize, usize)> {
        let t = *self.by_key.get(&(account.to_string(), region.to_string(), table.to_string()))?;
        let u = self.tables[t].units.iter().position(|u| u.index.as_deref() == index)?;
        Some((t, u))
    }
}

fn f64s(df: &DataFrame, name: &str) -> Result<Vec<Option<f64>>, RuleError> {
    Ok(df.column(name)?.f64()?.iter().collect())
}

fn bools(df: &DataFrame, name: &str) -> Result<Vec<Option<bool>>, RuleError> {
    Ok(df.column(name)?.bool()?.iter().collect())
}

/// Read the tables, GSIs and auto-scaling settings of a snapshot.
pub fn read(snapshot: &Snapshot) -> Result<Tables, RuleError> {
    let df = snapshot
        .frame(FrameName::DynamodbTables)
        .ok_or_else(|| RuleError::Data("frame dynamodb_tables is absent from the snapshot".into()))?;
    let (account, region, name) = (strs(df, "account_id")?, strs(df, "region")?, strs(df, "table")?);
    let (mode, class, tags_col, replicas) =
        (strs(df, "billing_mode")?, strs(df, "table_class")?, strs(df, "tags")?, strs(df, "replica_regions")?);
    let (rcu, wcu) = (i64s(df, "provisioned_rcu")?, i64s(df, "provisioned_wcu")?);
    let (as_min, as_max, as_target) =
        (i64s(df, "autoscaling_min")?, i64s(df, "autoscaling_max")?, f64s(df, "autoscaling_target")?);
    let storage = i64s(df, "storage_bytes")?;
    let pitr = bools(df, "pitr_enabled")?;
    let class_updated = millis(df, "table_class_updated_at")?;
    let has_autoscaling_frame = snapshot.has(FrameName::DynamodbAutoscaling);
    let mut out = Tables { tables: Vec::with_capacity(df.height()), by_key: HashMap::with_capacity(df.height()) };
    for i in 0..df.height() {
        let (a, r, n) = (account[i].unwrap_or_default(), region[i].unwrap_or_default(), name[i].unwrap_or_default());
        let on_demand = mode[i] == Some("PAY_PER_REQUEST");
        let scaling = match (has_autoscaling_frame, as_min[i], as_max[i]) {
            (false, Some(min), Some(max)) if !on_demand => {
                Some(Scaling { min: min as f64, max: max as f64, target_pct: as_target[i], scale_in_disabled: false })
            }
            _ => None,
        };
        let provisioned = |v: Option<i64>| if on_demand { None } else { v.map(|x| x as f64) };
        let table = Table {
            account: a.to_string(),
            region: r.to_string(),
            name: n.to_string(),
            on_demand,
            class: if class[i] == Some("STANDARD_INFREQUENT_ACCESS") {
                Class::InfrequentAccess
            } else {
                Class::Standard
            },
            replicas: replicas[i]
                .unwrap_or_default()
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
            pitr: pitr[i].unwrap_or(false),
            tags: tags(tags_col[i]),
            class_updated_at_ms: class_updated[i],
            units: vec![Unit {
                index: None,
                arn: unit_arn(r, a, n, None),
                provisioned: [provisioned(rcu[i]), provisioned(wcu[i])],
                scaling: [scaling, scaling],
                storage_bytes: storage[i].unwrap_or(0).max(0) as f64,
            }],
        };
        out.by_key.insert((a.to_string(), r.to_string(), n.to_string()), out.tables.len());
        out.tables.push(table);
    }
    if let Some(df) = snapshot.frame(FrameName::DynamodbIndexes) {
        read_indexes(df, &mut out)?;
    }
    if let Some(df) = snapshot.frame(FrameName::DynamodbAutoscaling) {
        read_autoscaling(df, &mut out)?;
    }
    Ok(out)
}

fn read_indexes(df: &DataFrame, out: &mut Tables) -> Result<(), RuleError> {
    let (account, region, table, index) =
        (strs(df, "account_id")?, strs(df, "region")?, strs(df, "table")?, strs(df, "index")?);
    let (rcu, wcu, storage) = (i64s(df, "provisioned_rcu")?, i64s(df, "provisioned_wcu")?, i64s(df, "storage_bytes")?);
    for i in 0..df.height() {
        let (a, r, n, x) = (
            account[i].unwrap_or_default(),
            region[i].unwrap_or_default(),
            table[i].unwrap_or_default(),
            index[i].unwrap_or_default(),
        );
        let Some(&t) = out.by_key.get(&(a.to_string(), r.to_string(), n.to_string())) else { continue };
        let table = &mut out.tables[t];
        if table.units.iter().any(|u| u.index.as_deref() == Some(x)) {
            continue;
        }
        let provisioned = |v: Option<i64>| if table.on_demand { None } else { v.map(|x| x as f64) };
        let unit = Unit {
            index: Some(x.to_string()),
            arn: unit_arn(r, a, n, Some(x)),
            provisioned: [provisioned(rcu[i]), provisioned(wcu[i])],
            scaling: [None, None],
            storage_bytes: storage[i].unwrap_or(0).max(0) as f64,
        };
        table.units.push(unit);
    }
    Ok(())
}

fn read_autoscaling(df: &DataFrame, out: &mut Tables) -> Result<(), RuleError> {
    let (account, region, table, index, dim) =
        (strs(df, "account_id")?, strs(df, "region")?, strs(df, "table")?, strs(df, "index")?, strs(df, "dimension")?);
    let (min, max, target) = (i64s(df, "min_capacity")?, i64s(df, "max_capacity")?, f64s(df, "target_pct")?);
    let disabled = bools(df, "scale_in_disabled")?;
    for i in 0..df.height() {
        let d = match dim[i] {
            Some("read") => Dim::Read,
            Some("write") => Dim::Write,
            _ => continue,
        };
        let Some((t, u)) = out.find(
            account[i].unwrap_or_default(),
            region[i].unwrap_or_default(),
            table[i].unwrap_or_default(),
            index[i],
        ) else {
            continue;
        };
        if out.tables[t].on_demand {
            continue;
        }
        let (Some(lo), Some(hi)) = (min[i], max[i]) else { continue };
        out.tables[t].units[u].scaling[d.idx()] = Some(Scaling {
            min: lo as f64,
            max: hi as f64,
            target_pct: target[i],
            scale_in_disabled: disabled[i].unwrap_or(false),
        });
    }
    Ok(())
}
