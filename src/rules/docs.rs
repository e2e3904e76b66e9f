//! What the registry says about itself: docs/rules.md, the `tierwise rules` listing and
//! the `[rules]` part of tierwise.example.toml. All three are generated from the
//! families, so adding a rule never means editing them by hand.

use super::{COMMON_PARAMS, FAMILIES, Family, Param, ParamValue, Rule};

fn table(params: &[Param]) -> String {
    let mut o = String::from("| parameter | default | unit | meaning |\n|---|---|---|---|\n");
    for p in params {
        o.push_str(&p.markdown_row());
    }
    o
}

fn needs(rule: &dyn Rule) -> Vec<&'static str> {
    match rule.needs() {
        [] => vec!["no particular frame (it reads what is present)"],
        frames => frames.iter().map(|f| f.as_str()).collect(),
    }
}

/// docs/rules.md.
pub fn rules_markdown() -> String {
    let mut o = String::from(
        "# Rules\n\nGenerated from the rule registry (`src/rules/<family>/`); `tierwise rules` prints the same.\n\
         Each family's shared parameters are set once in `tierwise.toml` under `[rules.<family>]`; a rule's own \
         parameters under `[rules.\"<rule id>\"]`.\n\n\
         Parameters every rule accepts (under `[rules.<family>]` they are defaults for all of its rules):\n\n",
    );
    o.push_str(&table(COMMON_PARAMS));
    for family in FAMILIES {
        o.push_str(&format!("\n## Family `{}` — {}\n\n{}\n\n", family.name, family.title, family.doc));
        if !family.params.is_empty() {
            o.push_str(&format!("Shared parameters, `[rules.{}]`:\n\n", family.name));
            o.push_str(&table(family.params));
        }
        for rule in family.rules {
            o.push_str(&format!(
                "\n### `{}` — {}\n\nCategory: `{}` · needs: {}\n\n{}\n\n",
                rule.id(),
                rule.title(),
                rule.category(),
                match rule.needs() {
                    [] => needs(*rule).join(", "),
                    _ => needs(*rule).iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", "),
                },
                rule.method()
            ));
            if !rule.params().is_empty() {
                o.push_str(&table(rule.params()));
            }
        }
    }
    o
}

fn text_params(o: &mut String, indent: &str, params: &[Param]) {
    for p in params {
        let unit = if p.unit.is_empty() { String::new() } else { format!(" {}", p.unit) };
        o.push_str(&format!("{indent}{} = {}{unit}  — {}\n", p.name, p.default, p.doc));
    }
}

/// Plain text for `tierwise rules`.
pub fn rules_text() -> String {
    let mut o = String::from("Every rule also takes:\n");
    text_params(&mut o, "  ", COMMON_PARAMS);
    for family in FAMILIES {
        o.push_str(&format!("\n── {} ── [rules.{}]\n", family.title, family.name));
        if !family.params.is_empty() {
            o.push_str(&format!("  shared, set once under [rules.{}]:\n", family.name));
            text_params(&mut o, "    ", family.params);
        }
        for rule in family.rules {
            o.push_str(&format!("\n{}  [{}]\n  {}\n", rule.id(), rule.category(), rule.title()));
            o.push_str(&format!("  needs: {}\n", needs(*rule).join(", ")));
            text_params(&mut o, "  ", rule.params());
        }
    }
    o
}

/// A default as TOML.
fn toml_value(v: &ParamValue) -> String {
    match v {
        ParamValue::Num(n) => format!("{n:?}"),
        other => other.to_string(),
    }
}

fn comment(o: &mut String, text: &str) {
    // Wrap at ~88 columns.
    let mut line = String::from("#");
    for word in text.split_whitespace() {
        if line.len() + word.len() + 1 > 88 {
            o.push_str(&line);
            o.push('\n');
            line = String::from("#");
        }
        line.push(' ');
        line.push_str(word);
    }
    o.push_str(&line);
    o.push('\n');
}

fn toml_params(o: &mut String, params: &[Param]) {
    for p in params {
        let unit = if p.unit.is_empty() { String::new() } else { format!(" ({})", p.unit) };
        comment(o, &format!("{}{unit}: {}", p.name, p.doc));
        o.push_str(&format!("{} = {}\n", p.name, toml_value(&p.default)));
    }
}

fn family_section(o: &mut String, family: &Family) {
    o.push_str(&format!("\n# ── {} ({}) ──\n", family.title, family.name));
    o.push_str(&format!("[rules.{}]\n", family.name));
    toml_params(o, family.params);
    for rule in family.rules {
        o.push_str(&format!("\n[rules.\"{}\"]\n", rule.id()));
        comment(o, rule.title());
        for p in COMMON_PARAMS {
            o.push_str(&format!("{} = {}\n", p.name, toml_value(&p.default)));
        }
        toml_params(o, rule.params());
    }
}

/// The `[rules]` sections of tierwise.example.toml: every family and rule with its defaults.
pub fn example_toml() -> String {
    let mut o = String::new();
    comment(
        &mut o,
        "Rules (see `tierwise rules` or docs/rules.md). A family's shared parameters are set once under \
         [rules.<family>] (they apply to all its rules, which is why a rule's table cannot set them); every \
         rule also takes `enabled` and `min_savings_usd`, which a family table sets for all its rules.",
    );
    for family in FAMILIES {
        family_section(&mut o, family);
    }
    o
}
