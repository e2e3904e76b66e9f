//! Generated docs stay equal to the code they describe. Run with
//! `TIERWISE_UPDATE_DOCS=1 cargo test --test it docs` to rewrite them.

use crate::common::*;

const BEGIN: &str = "<!-- generated from src/snapshot/schema.rs: begin -->\n";
const END: &str = "<!-- generated: end -->\n";

fn check_or_update(path: &str, expected: &str, actual: &str, rewrite: impl FnOnce() -> String) {
    if expected != actual {
        if std::env::var_os("TIERWISE_UPDATE_DOCS").is_some() {
            std::fs::write(repo(path), rewrite()).unwrap();
        } else {
            panic!("{path} is out of date; run `TIERWISE_UPDATE_DOCS=1 cargo test --test it docs`");
        }
    }
}

#[test]
fn snapshot_md_documents_every_frame_and_column() {
    let text = std::fs::read_to_string(repo("docs/snapshot.md")).unwrap();
    let start = text.find(BEGIN).expect("begin marker") + BEGIN.len();
    let end = text.find(END).expect("end marker");
    let generated = tierwise::snapshot::schema::schema_markdown();
    check_or_update("docs/snapshot.md", &generated, &text[start..end], || {
        format!("{}{generated}{}", &text[..start], &text[end..])
    });
}

#[test]
fn rules_md_is_the_registry() {
    let text = std::fs::read_to_string(repo("docs/rules.md")).unwrap_or_default();
    let generated = tierwise::rules::rules_markdown();
    check_or_update("docs/rules.md", &generated, &text, || generated.clone());
    // And the CLI prints the same.
    let out = tierwise(&["rules", "--markdown"]);
    assert_eq!(stdout(&out), generated);
}

#[test]
fn rules_command_lists_every_rule_with_defaults() {
    let out = tierwise(&["rules"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    for family in tierwise::rules::FAMILIES {
        assert!(text.contains(&format!("[rules.{}]", family.name)), "{} missing", family.name);
        for p in family.params {
            assert!(
                text.contains(&format!("{} = {}", p.name, p.default)),
                "{}.{} default missing",
                family.name,
                p.name
            );
        }
        for rule in family.rules {
            assert!(text.contains(rule.id()), "{} missing from `tierwise rules`", rule.id());
            for p in rule.params() {
                assert!(
                    text.contains(&format!("{} = {}", p.name, p.default)),
                    "{}.{} default missing",
                    rule.id(),
                    p.name
                );
            }
        }
    }
    assert!(text.contains("min_savings_usd = 1 USD/month"));
}

#[test]
fn example_config_is_generated_from_the_registry() {
    let text = std::fs::read_to_string(repo("tierwise.example.toml")).unwrap_or_default();
    let generated = tierwise::config::example_toml();
    check_or_update("tierwise.example.toml", &generated, &text, || generated.clone());
    let out = tierwise(&["rules", "--example-config"]);
    assert_eq!(stdout(&out), generated);
}
