//! Rule parameters: documented defaults, overridden from tierwise.toml.
//!
//! A rule runs with the parameters every rule accepts (`COMMON_PARAMS`), its family's
//! shared parameters and its own. `[rules.<family>]` sets the family's shared ones
//! (and defaults of the common ones for all its rules); `[rules."<rule id>"]` sets a
//! rule's own and common ones. A shared parameter set in a rule's table is an error
//! naming the family key, so the rules of a family can never disagree on it.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;

use super::{COMMON_PARAMS, FAMILIES, Family, Rule};

#[derive(Debug, Clone, PartialEq)]
pub enum ParamValue {
    Num(f64),
    Bool(bool),
    Text(&'static str),
    List(&'static [&'static str]),
}

impl fmt::Display for ParamValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParamValue::Num(v) => write!(f, "{v}"),
            ParamValue::Bool(v) => write!(f, "{v}"),
            ParamValue::Text(v) => write!(f, "\"{v}\""),
            ParamValue::List(v) => {
                let items: Vec<String> = v.iter().map(|s| format!("\"{s}\"")).collect();
                write!(f, "[{}]", items.join(", "))
            }
        }
    }
}

/// One documented, overridable parameter.
#[derive(Debug, Clone)]
pub struct Param {
    pub name: &'static str,
    pub default: ParamValue,
    pub unit: &'static str,
    pub doc: &'static str,
}

impl Param {
    pub const fn new(name: &'static str, default: ParamValue, unit: &'static str, doc: &'static str) -> Param {
        Param { name, default, unit, doc }
    }

    pub fn markdown_row(&self) -> String {
        format!("| `{}` | `{}` | {} | {} |\n", self.name, self.default, self.unit, self.doc)
    }
}

/// A resolved value (default or user's).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Num(f64),
    Bool(bool),
    Text(String),
    List(Vec<String>),
}

impl From<&ParamValue> for Value {
    fn from(v: &ParamValue) -> Value {
        match v {
            ParamValue::Num(x) => Value::Num(*x),
            ParamValue::Bool(x) => Value::Bool(*x),
            ParamValue::Text(x) => Value::Text(x.to_string()),
            ParamValue::List(x) => Value::List(x.iter().map(|s| s.to_string()).collect()),
        }
    }
}

/// The resolved parameters of one rule. Accessors fall back to sane values only for
/// names the rule did not declare, which is a programming error caught by tests.
#[derive(Debug, Clone, Default)]
pub struct Params {
    values: BTreeMap<String, Value>,
}

impl Params {
    pub fn from_defaults<'a>(params: impl IntoIterator<Item = &'a Param>) -> Params {
        Params { values: params.into_iter().map(|p| (p.name.to_string(), Value::from(&p.default))).collect() }
    }

    /// Set a user value, checking it has the default's type. Returns the expected type on mismatch.
    pub fn set(&mut self, name: &str, value: &toml::Value) -> Result<(), &'static str> {
        let Some(current) = self.values.get(name) else { return Err(UNKNOWN) };
        let new = match (current, value) {
            (Value::Num(_), toml::Value::Float(f)) => Value::Num(*f),
            (Value::Num(_), toml::Value::Integer(i)) => Value::Num(*i as f64),
            (Value::Num(_), _) => return Err("a number"),
            (Value::Bool(_), toml::Value::Boolean(b)) => Value::Bool(*b),
            (Value::Bool(_), _) => return Err("true or false"),
            (Value::Text(_), toml::Value::String(s)) => Value::Text(s.clone()),
            (Value::Text(_), _) => return Err("a string"),
            (Value::List(_), toml::Value::Array(items)) => {
                let mut out = Vec::new();
                for item in items {
                    match item.as_str() {
                        Some(s) => out.push(s.to_string()),
                        None => return Err("an array of strings"),
                    }
                }
                Value::List(out)
            }
            (Value::List(_), _) => return Err("an array of strings"),
        };
        self.values.insert(name.to_string(), new);
        Ok(())
    }

    pub fn num(&self, name: &str) -> f64 {
        match self.values.get(name) {
            Some(Value::Num(v)) => *v,
            _ => panic!("rule parameter `{name}` is not a declared number"),
        }
    }

    pub fn flag(&self, name: &str) -> bool {
        match self.values.get(name) {
            Some(Value::Bool(v)) => *v,
            _ => panic!("rule parameter `{name}` is not a declared bool"),
        }
    }

    pub fn text(&self, name: &str) -> &str {
        match self.values.get(name) {
            Some(Value::Text(v)) => v,
            _ => panic!("rule parameter `{name}` is not a declared string"),
        }
    }

    pub fn list(&self, name: &str) -> &[String] {
        match self.values.get(name) {
            Some(Value::List(v)) => v,
            _ => panic!("rule parameter `{name}` is not a declared list"),
        }
    }
}

/// Why a `[rules…]` table of tierwise.toml was rejected; `key` is the full dotted key.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ParamError {
    #[error("unknown key `{key}` ({hint})")]
    Unknown { key: String, hint: String },
    #[error("key `{key}` must be {expected}")]
    WrongType { key: String, expected: &'static str },
    #[error("key `{key}` is shared by every {family} rule: set it once as `{new_key}`")]
    Shared { key: String, family: &'static str, new_key: String },
    #[error("{table}: {reason}")]
    Rejected { table: String, reason: String },
}

/// The `[rules]` section of tierwise.toml: one table per family (`[rules.ec2]`) or rule
/// (`[rules."ec2.rightsize"]`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(transparent)]
pub struct RuleTables(pub BTreeMap<String, toml::Table>);

fn names(params: &[Param]) -> String {
    params.iter().map(|p| p.name).collect::<Vec<_>>().join(", ")
}

impl RuleTables {
    /// Check every table and key against the registry.
    pub fn validate(&self) -> Result<(), ParamError> {
        for (name, table) in &self.0 {
            if let Some(family) = FAMILIES.iter().find(|f| f.name == name) {
                let mut params = Params::from_defaults(COMMON_PARAMS.iter().chain(family.params));
                for (key, value) in table {
                    let full = format!("rules.{name}.{key}");
                    params.set(key, value).map_err(|expected| match expected {
                        UNKNOWN => ParamError::Unknown {
                            key: full,
                            hint: format!(
                                "the {name} family takes {}; a rule's own parameters go under [rules.\"<rule id>\"]",
                                names(&[COMMON_PARAMS, family.params].concat())
                            ),
                        },
                        expected => ParamError::WrongType { key: full, expected },
                    })?;
                }
                continue;
            }
            let Some((family, rule)) = super::find(name) else {
                let known: Vec<String> = FAMILIES
                    .iter()
                    .flat_map(|f| {
                        std::iter::once(f.name.to_string()).chain(f.rules.iter().map(|r| format!("\"{}\"", r.id())))
                    })
                    .collect();
                return Err(ParamError::Unknown {
                    key: format!("rules.\"{name}\""),
                    hint: format!("known families and rules: {}", known.join(", ")),
                });
            };
            let mut params = Params::from_defaults(COMMON_PARAMS.iter().chain(rule.params()));
            for (key, value) in table {
                let full = format!("rules.\"{name}\".{key}");
                if family.param(key).is_some() {
                    return Err(ParamError::Shared {
                        key: full,
                        family: family.name,
                        new_key: format!("rules.{}.{key}", family.name),
                    });
                }
                params.set(key, value).map_err(|expected| match expected {
                    UNKNOWN => ParamError::Unknown {
                        key: full,
                        hint: format!("parameters of {name}: {}", names(&[COMMON_PARAMS, rule.params()].concat())),
                    },
                    expected => ParamError::WrongType { key: full, expected },
                })?;
            }
        }
        // Values each rule cannot honour, with the family and rule tables applied.
        for family in FAMILIES {
            for rule in family.rules {
                rule.validate(&self.params_for(family, *rule)).map_err(|reason| ParamError::Rejected {
                    table: if self.0.contains_key(rule.id()) {
                        format!("[rules.\"{}\"]", rule.id())
                    } else {
                        format!("[rules.{}]", family.name)
                    },
                    reason,
                })?;
            }
        }
        Ok(())
    }

    /// The parameters `rule` of `family` runs with: defaults, then the family table,
    /// then the rule's table. Tables are validated at config load; a value that does not
    /// fit (a config built in code) keeps the default.
    pub fn params_for(&self, family: &Family, rule: &dyn Rule) -> Params {
        let mut params = Params::from_defaults(COMMON_PARAMS.iter().chain(family.params).chain(rule.params()));
        for table in [self.0.get(family.name), self.0.get(rule.id())].into_iter().flatten() {
            for (key, value) in table {
                let _ = params.set(key, value);
            }
        }
        params
    }
}

/// What `Params::set` answers for a name the rule does not declare.
const UNKNOWN: &str = "a known parameter";
