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
    // The file itself is generated (docs.rs keeps it equal to `tierwise rules --example-config`).
    let default = report_json(&[]);
    let example = report_json(&["--config", "tierwise.example.toml"]);
    assert_eq!(default["findings"], example["findings"]);
}

#[test]
fn a_shared_parameter_is_set_once_for_its_family() {
    // fleet: one oversized instance in the demo; a 95 % headroom leaves no room to downsize anything.
    let demo = |cfg: &str| {
        let path = std::env::temp_dir().join(format!("tierwise-family-{}-{}.toml", std::process::id(), cfg.len()));
        std::fs::write(&path, cfg).unwrap();
        let out = tierwise(&["report", "--demo", "--format", "json", "--config", path.to_str().unwrap()]);
        let _ = std::fs::remove_file(&path);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        v["findings"].as_array().unwrap().iter().filter(|f| f["rule"] == "ec2.rightsize").count()
    };
    assert!(demo("") > 0, "the demo has rightsizing findings");
    assert_eq!(demo("[rules.ec2]\ncpu_headroom_pct = 99\n"), 0, "one key changes every EC2 rule");
}

#[test]
fn a_shared_parameter_in_a_rule_table_names_the_family_key() {
    let err = rejected("shared-param-in-rule.toml");
    assert!(
        err.contains("rules.\"ec2.rightsize\".cpu_headroom_pct") && err.contains("rules.ec2.cpu_headroom_pct"),
        "{err}"
    );
}

#[test]
fn a_bad_dashboard_key_is_rejected_by_every_command() {
    let err = rejected("bad-tui-key.toml");
    assert!(err.contains("tui.keys.fly"), "{err}");
}

#[test]
fn valid_config_changes_the_result() {
    // valid.toml: a 10 % enterprise discount (EDP, every service) and gp3 priced at its baseline:
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
fn the_old_single_discount_is_rejected_naming_the_new_keys() {
    let err = rejected("old-discount.toml");
    assert!(
        err.contains("pricing.discount_pct") && err.contains("edp_pct") && err.contains("compute_commitment_pct"),
        "{err}"
    );
}

#[test]
fn a_display_currency_needs_its_rate() {
    let err = rejected("currency-without-rate.toml");
    assert!(err.contains("report.usd_rate") && err.contains("never fetches"), "{err}");
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

#[test]
fn parameters_that_would_make_aws_reject_the_action_are_rejected_at_load() {
    // STANDARD_IA and ONEZONE_IA transitions need objects 30 days old: S3 rejects the
    // lifecycle configuration otherwise, so tierwise never emits one.
    let err = rejected("transition-too-early.toml");
    assert!(err.contains("[rules.\"s3.storage-class\"]") && err.contains("30 days"), "{err}");
}

#[test]
fn collect_defaults_agree_with_the_collectors() {
    // config may not import collectors (layers), so the default is written twice.
    assert_eq!(
        tierwise::config::CollectConfig::default().dynamodb_minute_units,
        tierwise::collectors::DYNAMODB_MINUTE_UNITS
    );
}
