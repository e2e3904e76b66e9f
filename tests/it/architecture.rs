//! The layers read one way, and this test keeps them so. It reads every `src/**/*.rs`,
//! resolves each `crate::…`, `super::…` and `self::…` path to the module it names, and
//! checks the importing module's layer may depend on the imported one:
//!
//! ```text
//!   sources (collectors, import, demo) → snapshot
//!   rules → snapshot, pricing, report (model)        ← the engine (lib.rs)
//!   presenters (report::json|markdown|csv|present, tui) → report
//!   commands, cli, main → anything
//! ```
//!
//! Test-only code (files named `*tests.rs`, `test_*.rs`, and a trailing
//! `#[cfg(test)] mod tests`) is not checked: tests may build what they test with.

use std::collections::BTreeMap;
use std::path::Path;

/// What each layer may import (besides itself).
const ALLOWED: &[(&str, &[&str])] = &[
    ("money", &[]),
    ("atomic_file", &[]),
    ("csv_text", &[]),
    ("snapshot", &["atomic_file", "csv_text"]),
    ("pricing", &["atomic_file", "csv_text"]),
    ("report", &["money"]),
    ("presenters", &["report", "money"]),
    ("collectors", &["snapshot", "pricing", "import", "atomic_file", "money"]),
    ("import", &["snapshot", "pricing", "atomic_file"]),
    ("demo", &["snapshot", "pricing"]),
    ("progress", &["collectors", "snapshot"]),
    ("rules", &["snapshot", "pricing", "report", "money"]),
    ("config", &["rules", "pricing", "report"]),
    ("engine", &["rules", "report", "snapshot", "pricing", "config"]),
    ("error", &["config", "pricing", "snapshot", "collectors", "import"]),
    ("input", &["snapshot", "collectors", "import", "demo", "error", "config", "progress", "pricing"]),
    (
        "tui",
        &[
            "report",
            "presenters",
            "money",
            "config",
            "input",
            "progress",
            "collectors",
            "snapshot",
            "error",
            "atomic_file",
            "engine",
        ],
    ),
    ("commands", &["*"]),
];

/// Items re-exported at the crate root, and the layer they come from.
const ROOT_ITEMS: &[(&str, &str)] = &[
    ("Config", "config"),
    ("Error", "error"),
    ("PriceBook", "pricing"),
    ("Report", "report"),
    ("Snapshot", "snapshot"),
    ("analyze", "engine"),
    ("estimate_api_cost", "engine"),
    ("default_metric_days", "collectors"),
];

/// The layer of a module path (`["report", "markdown"]` → presenters).
fn layer(path: &[String]) -> String {
    match path.first().map(String::as_str) {
        None | Some("lib") => "engine".into(),
        Some("report") if matches!(path.get(1).map(String::as_str), Some("json" | "markdown" | "csv" | "present")) => {
            "presenters".into()
        }
        Some("main" | "cli" | "commands") => "commands".into(),
        Some(first) => {
            ROOT_ITEMS.iter().find(|(item, _)| *item == first).map(|(_, l)| l.to_string()).unwrap_or(first.into())
        }
    }
}

fn allowed(from: &str, to: &str) -> bool {
    from == to
        || ALLOWED.iter().find(|(l, _)| *l == from).is_some_and(|(_, deps)| deps.contains(&"*") || deps.contains(&to))
}

/// The module path of a source file (`src/rules/ec2/mod.rs` → rules::ec2).
fn module_of(rel: &Path) -> Vec<String> {
    let mut parts: Vec<String> = rel.iter().map(|c| c.to_string_lossy().into_owned()).collect();
    if let Some(last) = parts.last_mut() {
        *last = last.trim_end_matches(".rs").to_string();
    }
    if parts.last().is_some_and(|l| l == "mod") {
        parts.pop();
    }
    parts
}

/// Code without comments, and without a trailing inline test module.
fn code_of(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests {") {
        Some(i) => &text[..i],
        None => text,
    };
    text.lines().map(|l| l.split("//").next().unwrap_or_default()).collect::<Vec<_>>().join("\n")
}

/// Every path that starts with `crate::`, `super::` or `self::`, with `{…}` groups
/// expanded one item at a time (`crate::{a, b::c}` → `crate::a`, `crate::b::c`).
fn paths(code: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let bytes = code.as_bytes();
    for start in ["crate::", "super::", "self::"] {
        let mut from = 0;
        while let Some(i) = code[from..].find(start) {
            let at = from + i;
            from = at + start.len();
            // Only at a path start (not `foo_self::` or `x.crate::`).
            if at > 0 && (bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_' || bytes[at - 1] == b':') {
                continue;
            }
            let head = start.trim_end_matches("::").to_string();
            expand(&code[from..], vec![head], &mut out);
        }
    }
    out
}

fn expand(rest: &str, prefix: Vec<String>, out: &mut Vec<Vec<String>>) {
    let rest = rest.trim_start();
    if let Some(group) = rest.strip_prefix('{') {
        // Split the group at top-level commas.
        let (mut depth, mut item, mut items) = (0, String::new(), Vec::new());
        for ch in group.chars() {
            match ch {
                '{' => depth += 1,
                '}' if depth == 0 => break,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    items.push(std::mem::take(&mut item));
                    continue;
                }
                _ => {}
            }
            item.push(ch);
        }
        items.push(item);
        for item in items.iter().filter(|i| !i.trim().is_empty()) {
            expand(item, prefix.clone(), out);
        }
        return;
    }
    let ident: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
    if ident.is_empty() {
        out.push(prefix);
        return;
    }
    let mut path = prefix;
    path.push(ident.clone());
    let after = &rest[ident.len()..];
    match after.strip_prefix("::") {
        Some(more) if ident.chars().next().is_some_and(|c| c.is_lowercase()) => expand(more, path, out),
        _ => out.push(path),
    }
}

/// Resolve `crate`/`super`/`self` against the importing module; None for paths that
/// stay inside a `self::`-relative item of the same module.
fn resolve(module: &[String], path: &[String]) -> Vec<String> {
    let mut abs: Vec<String> = match path[0].as_str() {
        "crate" => Vec::new(),
        _ => module.to_vec(),
    };
    let mut rest = &path[1..];
    if path[0] == "super" {
        abs.pop();
        while rest.first().is_some_and(|s| s == "super") {
            abs.pop();
            rest = &rest[1..];
        }
    }
    abs.extend(rest.iter().cloned());
    abs
}

/// Violations in one file's code: (target path, importing layer, imported layer).
fn violations(module: &[String], code: &str) -> Vec<(String, String, String)> {
    let from = layer(module);
    let mut out = Vec::new();
    for p in paths(code) {
        let target = resolve(module, &p);
        let to = layer(&target);
        if !allowed(&from, &to) {
            out.push((format!("crate::{}", target.join("::")), from.clone(), to));
        }
    }
    out
}

fn is_test_file(rel: &Path) -> bool {
    let name = rel.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    name.ends_with("tests.rs") || name.starts_with("test_")
}

fn sources(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src").flatten() {
        let path = entry.path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn imports_follow_the_layers() {
    let src = crate::common::repo("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    files.sort();
    assert!(files.len() > 50, "found the sources");
    let mut bad: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for file in &files {
        let rel = file.strip_prefix(&src).expect("under src");
        if is_test_file(rel) {
            continue;
        }
        let text = std::fs::read_to_string(file).expect("read source");
        for (target, from, to) in violations(&module_of(rel), &code_of(&text)) {
            bad.entry(rel.display().to_string()).or_default().push(format!("{target} ({from} → {to})"));
        }
    }
    assert!(bad.is_empty(), "imports against the layers:\n{bad:#?}");
}

#[test]
fn a_planted_bad_import_is_caught() {
    let module = |s: &str| s.split("::").map(str::to_string).collect::<Vec<_>>();
    // A rule reaching into the dashboard, a presenter and the commands.
    let code = "use crate::tui::App;\nuse crate::report::markdown::to_markdown;\nuse crate::{Config, commands};\n";
    let found = violations(&module("rules::ec2::idle"), code);
    let targets: Vec<&str> = found.iter().map(|(t, _, _)| t.as_str()).collect();
    assert_eq!(
        targets,
        ["crate::tui::App", "crate::report::markdown::to_markdown", "crate::Config", "crate::commands"]
    );
    // `super` chains resolve: from rules/s3/view.rs, super::super::super is the crate root.
    let found = violations(&module("rules::s3::view"), "use super::super::super::tui::keymap;");
    assert_eq!(found[0].0, "crate::tui::keymap");
    // Allowed: a rule using the report model, money formatting and its own family.
    assert!(
        violations(
            &module("rules::s3::view"),
            "use crate::report::{Finding, Stat};\nuse crate::money::usd;\nuse super::bucket::BucketInfo;"
        )
        .is_empty()
    );
    // Comments don't count.
    assert!(violations(&module("snapshot::load"), &code_of("// see crate::rules::engine\n")).is_empty());
}
