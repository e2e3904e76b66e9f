//! Workloads declared in tierwise.toml (`[[dr.workload]]`), carried to the rule through
//! the snapshot's `dr_workloads` frame: the engine overlays them before the rules run
//! (`with_declared`), replacing a snapshot row of the same name — the config is the
//! user's current word, a snapshot row an older declaration (the demo's, another
//! tool's). A replaced row that said something else is reported by the rule's warnings.

use polars::prelude::*;

use crate::rules::columns::{i64s, strs};
use crate::snapshot::builder::FrameBuilder;
use crate::snapshot::{FrameName, Snapshot, SnapshotError};

use super::strategy::Strategy;

/// One `[[dr.workload]]`, validated by the config layer.
#[derive(Debug, Clone, PartialEq)]
pub struct Declared {
    pub name: String,
    pub rto_min: Option<i64>,
    pub rpo_min: Option<i64>,
    pub primary_region: Option<String>,
    pub dr_region: Option<String>,
    pub strategy: Option<Strategy>,
    /// Tag selectors, `key=value` or `key`.
    pub tags: Vec<String>,
    /// Resource ids or ARNs (`*` wildcards).
    pub resources: Vec<String>,
    /// `tierwise.toml dr.workload[0]`.
    pub source: String,
}

/// A copy of the snapshot with `declared` overlaid onto `dr_workloads`, and notes on the
/// rows the declarations replaced.
pub fn with_declared(snapshot: &Snapshot, declared: &[Declared]) -> Result<(Snapshot, Vec<String>), SnapshotError> {
    let mut notes = Vec::new();
    let mut b = FrameBuilder::new(FrameName::DrWorkloads);
    let bad = |detail: String| SnapshotError::Unreadable { path: "dr_workloads".into(), what: "frame", detail };
    if let Some(df) = snapshot.frame(FrameName::DrWorkloads) {
        let names = strs(df, "workload").map_err(|e| bad(e.to_string()))?;
        let rto = i64s(df, "rto_target_min").map_err(|e| bad(e.to_string()))?;
        let rpo = i64s(df, "rpo_target_min").map_err(|e| bad(e.to_string()))?;
        let mut kept = Vec::new();
        for i in 0..df.height() {
            let name = names[i].unwrap_or_default();
            match declared.iter().find(|d| d.name == name) {
                Some(d) if d.rto_min != rto[i] || d.rpo_min != rpo[i] => notes.push(format!(
                    "{} replaces the snapshot's dr_workloads row for `{name}`, which had other targets",
                    d.source
                )),
                Some(_) => {}
                None => kept.push(i as IdxSize),
            }
        }
        let documented: Vec<&str> = FrameName::DrWorkloads.columns().iter().map(|c| c.name).collect();
        let rest = df
            .select(documented)
            .and_then(|d| d.take(&IdxCa::from_vec("idx".into(), kept)))
            .map_err(|e| bad(e.to_string()))?;
        for d in declared {
            push(&mut b, d)?;
        }
        let merged = rest.vstack(&b.finish()?).map_err(|e| bad(e.to_string()))?;
        let mut out = snapshot.clone();
        out.insert(FrameName::DrWorkloads, merged);
        return Ok((out, notes));
    }
    for d in declared {
        push(&mut b, d)?;
    }
    let mut out = snapshot.clone();
    out.insert(FrameName::DrWorkloads, b.finish()?);
    Ok((out, notes))
}

fn push(b: &mut FrameBuilder, d: &Declared) -> Result<(), SnapshotError> {
    b.row([
        ("workload", d.name.as_str().into()),
        ("rto_target_min", d.rto_min.into()),
        ("rpo_target_min", d.rpo_min.into()),
        ("primary_region", d.primary_region.clone().into()),
        ("dr_region", d.dr_region.clone().into()),
        ("resources", d.resources.join(",").into()),
        ("declared_strategy", d.strategy.map(|s| s.id()).into()),
        ("selectors", (!d.tags.is_empty()).then(|| d.tags.join(",")).into()),
        ("source", d.source.as_str().into()),
    ])
}

/// Why `[dr]` in tierwise.toml was rejected; `key` is the full dotted key.
#[derive(Debug, Clone, PartialEq)]
pub enum DeclError {
    Unknown { key: String, hint: String },
    WrongType { key: String, expected: &'static str },
    Invalid(String),
}

const WORKLOAD_KEYS: &[&str] = &["name", "rto", "rpo", "primary_region", "dr_region", "strategy", "tags", "resources"];

fn looks_like_region(r: &str) -> bool {
    let parts: Vec<&str> = r.split('-').collect();
    parts.len() >= 3
        && parts.iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()))
        && parts.last().is_some_and(|p| p.chars().all(|c| c.is_ascii_digit()))
}

/// The `[dr]` section: `[[dr.workload]]` entries, each checked with errors naming the key.
pub fn parse_section(dr: &toml::Table) -> Result<Vec<Declared>, DeclError> {
    for key in dr.keys() {
        if key != "workload" {
            return Err(DeclError::Unknown {
                key: format!("dr.{key}"),
                hint: " (expected `workload`: one [[dr.workload]] table per workload)".into(),
            });
        }
    }
    let Some(list) = dr.get("workload") else { return Ok(Vec::new()) };
    let Some(list) = list.as_array() else {
        return Err(DeclError::WrongType {
            key: "dr.workload".into(),
            expected: "an array of tables ([[dr.workload]])",
        });
    };
    let mut out: Vec<Declared> = Vec::new();
    for (i, item) in list.iter().enumerate() {
        let at = format!("dr.workload[{i}]");
        let Some(t) = item.as_table() else {
            return Err(DeclError::WrongType { key: at, expected: "a table" });
        };
        for key in t.keys() {
            if !WORKLOAD_KEYS.contains(&key.as_str()) {
                return Err(DeclError::Unknown {
                    key: format!("{at}.{key}"),
                    hint: format!(" (expected one of: {})", WORKLOAD_KEYS.join(", ")),
                });
            }
        }
        let text = |key: &str| -> Result<Option<String>, DeclError> {
            match t.get(key) {
                None => Ok(None),
                Some(toml::Value::String(s)) => Ok(Some(s.trim().to_string())),
                Some(_) => Err(DeclError::WrongType { key: format!("{at}.{key}"), expected: "a string" }),
            }
        };
        let strings = |key: &str| -> Result<Vec<String>, DeclError> {
            match t.get(key) {
                None => Ok(Vec::new()),
                Some(toml::Value::Array(items)) => items
                    .iter()
                    .map(|v| v.as_str().map(|s| s.trim().to_string()))
                    .collect::<Option<Vec<_>>>()
                    .ok_or(DeclError::WrongType { key: format!("{at}.{key}"), expected: "an array of strings" }),
                Some(_) => Err(DeclError::WrongType { key: format!("{at}.{key}"), expected: "an array of strings" }),
            }
        };
        let name = text("name")?
            .filter(|n| !n.is_empty())
            .ok_or_else(|| DeclError::Invalid(format!("{at}: key `{at}.name` is required (the workload's name)")))?;
        if name.contains(',') {
            return Err(DeclError::Invalid(format!("key `{at}.name`: \"{name}\" must not contain a comma")));
        }
        if let Some(first) = out.iter().position(|d| d.name == name) {
            return Err(DeclError::Invalid(format!(
                "dr.workload[{first}] and {at} both declare workload `{name}`: give each workload one entry"
            )));
        }
        let minutes = |key: &str| -> Result<Option<i64>, DeclError> {
            match t.get(key) {
                None => Ok(None),
                Some(toml::Value::String(s)) => super::duration::parse_minutes(s)
                    .map(Some)
                    .map_err(|e| DeclError::Invalid(format!("key `{at}.{key}`: {e}"))),
                Some(_) => Err(DeclError::WrongType {
                    key: format!("{at}.{key}"),
                    expected: "a duration string like \"15m\", \"4h\" or \"1d\"",
                }),
            }
        };
        let region = |key: &str| -> Result<Option<String>, DeclError> {
            match text(key)? {
                Some(r) if !looks_like_region(&r) => Err(DeclError::Invalid(format!(
                    "key `{at}.{key}`: \"{r}\" is not a region name (expected e.g. us-west-2)"
                ))),
                other => Ok(other),
            }
        };
        let (primary_region, dr_region) = (region("primary_region")?, region("dr_region")?);
        if primary_region.is_some() && primary_region == dr_region {
            return Err(DeclError::Invalid(format!(
                "key `{at}.dr_region` must differ from `{at}.primary_region` (both {})",
                dr_region.unwrap_or_default()
            )));
        }
        let strategy = match text("strategy")? {
            None => None,
            Some(s) => Some(Strategy::parse(&s).ok_or_else(|| {
                DeclError::Invalid(format!("key `{at}.strategy`: \"{s}\" is not one of {}", Strategy::ids()))
            })?),
        };
        let tags = strings("tags")?;
        if let Some(bad) = tags.iter().find(|s| s.is_empty() || s.contains(',') || s.starts_with('=')) {
            return Err(DeclError::Invalid(format!(
                "key `{at}.tags`: \"{bad}\" is not a tag selector (expected \"key=value\" or \"key\")"
            )));
        }
        let resources = strings("resources")?;
        if let Some(bad) = resources.iter().find(|s| s.is_empty() || s.contains(',')) {
            return Err(DeclError::Invalid(format!("key `{at}.resources`: \"{bad}\" is not a resource id or ARN")));
        }
        out.push(Declared {
            name,
            rto_min: minutes("rto")?,
            rpo_min: minutes("rpo")?,
            primary_region,
            dr_region,
            strategy,
            tags,
            resources,
            source: format!("tierwise.toml {at}"),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Vec<Declared>, DeclError> {
        let doc: toml::Table = toml::from_str(text).expect("toml");
        parse_section(doc.get("dr").and_then(|d| d.as_table()).expect("[dr]"))
    }

    #[test]
    fn workloads_parse_with_defaults() {
        let w = parse(
            "[[dr.workload]]\nname = \"checkout\"\nrto = \"1h\"\nrpo = \"15m\"\ndr_region = \"us-west-2\"\n\
             tags = [\"app=checkout\"]\nstrategy = \"pilot-light\"\n",
        )
        .unwrap();
        assert_eq!(w.len(), 1);
        assert_eq!((w[0].rto_min, w[0].rpo_min), (Some(60), Some(15)));
        assert_eq!(w[0].strategy, Some(Strategy::PilotLight));
        assert_eq!(w[0].source, "tierwise.toml dr.workload[0]");
    }

    #[test]
    fn errors_name_the_key() {
        let err = |t: &str| format!("{:?}", parse(t).unwrap_err());
        assert!(err("[[dr.workload]]\nname = \"a\"\nrto = \"15x\"\n").contains("dr.workload[0].rto"));
        assert!(err("[[dr.workload]]\nname = \"a\"\nrpo = 15\n").contains("dr.workload[0].rpo"));
        assert!(err("[[dr.workload]]\nname = \"a\"\nrtoo = \"1h\"\n").contains("dr.workload[0].rtoo"));
        assert!(err("[[dr.workload]]\nrto = \"1h\"\n").contains("dr.workload[0].name"));
        assert!(err("[[dr.workload]]\nname = \"a\"\ndr_region = \"west\"\n").contains("dr.workload[0].dr_region"));
        assert!(err("[[dr.workload]]\nname = \"a\"\nstrategy = \"hot\"\n").contains("dr.workload[0].strategy"));
        assert!(err("[dr]\nworkloads = []\n").contains("dr.workloads"));
        let dup = err("[[dr.workload]]\nname = \"a\"\n[[dr.workload]]\nname = \"b\"\n[[dr.workload]]\nname = \"a\"\n");
        assert!(dup.contains("dr.workload[0]") && dup.contains("dr.workload[2]"), "{dup}");
    }
}
