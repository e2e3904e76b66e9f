//! Rule parameters: documented defaults, overridden from tierwise.toml.

use std::collections::BTreeMap;
use std::fmt;

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
        let Some(current) = self.values.get(name) else { return Err("a known parameter") };
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
