//! Config files through the CLI: valid ones change the result, invalid ones name the key (exit 2).

use crate::common::*;

fn report_json(args: &[&str]) -> serde_json::Value {
    let mut all = vec!["report", "--snapshot", "fixtures/valid-csv", "--format", "json"];
    all.extend_from_slice(args);
    let out = tierwise(&all);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).unwrap()
}

fn gp2_saving(v: &serde_json::Value) -> f64 {
    let f = v["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "ebs.gp2-to-gp3").unwrap();
    f["monthly_savings_usd"].as_f64().unwrap()
}

#[test]
fn example_config_is_valid_and_equals_the_defaults() {
    let default = report_json(&[]);
    let example = report_json(&["--config", "tierwise.example.toml"]);
    assert_eq!(default["findings"], example["findings"]);
    let text = std::fs::read_to_string(repo("tierwise.example.toml")).unwrap();
    for rule in tierwise::rules::RULES {
        assert!(text.contains(&format!("[rules.\"{}\"]", rule.id())), "{} missing from the example", rule.id());
        for p in rule.params() {
            let default = match &p.default {
                tierwise::rules::ParamValue::Num(n) => format!("{n:?}"),
                other => other.to_string(),
            };
            assert!(text.contains(&format!("{} = {default}", p.name)), "{}.{} = {default} missing", rule.id(), p.name);
        }
    }
}

#[test]
fn valid_config_changes_the_result() {
    // valid.toml: 10 % discount and gp3 priced at its baseline:
    // vol-a 500 GiB × (0.10 − 0.08) × 0.9 = 9.00 (default: 50.00 − 45.00 = 5.00)
    assert!((gp2_saving(&report_json(&[])) - 5.0).abs() < 0.005);
    let v = report_json(&["--config", "fixtures/config/valid.toml"]);
    assert!((gp2_saving(&v) - 500.0 * 0.02 * 0.9).abs() < 0.005);
}

fn rejected(file: &str) -> String {
    let path = format!("fixtures/config/{file}");
    let out = tierwise(&["report", "--demo", "--config", &path]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{file}: {err}");
    assert!(err.contains(&path), "{file}: error names the file: {err}");
    err
}

#[test]
fn unknown_key_is_named() {
    assert!(rejected("unknown-key.toml").contains("unknown key `colour`"));
}

#[test]
fn wrong_type_is_named_with_the_expected_type() {
    let err = rejected("wrong-type.toml");
    assert!(err.contains("rules.\"ebs.gp2-to-gp3\".match_gp2_throughput") && err.contains("true or false"), "{err}");
}

#[test]
fn unknown_rule_lists_the_known_ones() {
    let err = rejected("unknown-rule.toml");
    assert!(err.contains("rules.\"ebs.nope\"") && err.contains("ebs.unattached"), "{err}");
}

#[test]
fn unknown_rule_parameter_lists_the_parameters() {
    let err = rejected("unknown-param.toml");
    assert!(err.contains("rules.\"ebs.unattached\".min_age") && err.contains("min_age_days"), "{err}");
}

#[test]
fn bad_price_override_is_explained() {
    let err = rejected("bad-override.toml");
    assert!(err.contains("`gp3`") && err.contains("region/item"), "{err}");
}

#[test]
fn malformed_toml_gives_the_line() {
    let err = rejected("malformed.toml");
    assert!(err.contains("line 1"), "{err}");
}

#[test]
fn missing_config_file_is_bad_input() {
    let out = tierwise(&["report", "--demo", "--config", "fixtures/config/nope.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("nope.toml"));
}
