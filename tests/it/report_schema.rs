//! Every report validates against docs/report-schema.json.

use crate::common::*;

fn validator() -> jsonschema::Validator {
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(repo("docs/report-schema.json")).unwrap()).unwrap();
    jsonschema::validator_for(&schema).expect("the schema itself is valid")
}

fn assert_valid(json: &str) {
    let value: serde_json::Value = serde_json::from_str(json).expect("report is JSON");
    let v = validator();
    let errors: Vec<String> = v.iter_errors(&value).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "report does not match docs/report-schema.json:\n{}", errors.join("\n"));
}

#[test]
fn demo_report_from_cli_is_schema_valid_with_ebs_savings() {
    let out = tierwise(&["report", "--demo", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json = stdout(&out);
    assert_valid(&json);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["schema_version"], 1);
    assert!(value["summary"]["monthly_savings_usd"].as_f64().unwrap() > 0.0);
    let findings = value["findings"].as_array().unwrap();
    assert!(findings.iter().any(|f| f["rule"].as_str().unwrap().starts_with("ebs.")));
}

#[test]
fn snapshot_report_from_cli_is_schema_valid() {
    let out = tierwise(&["report", "--snapshot", "fixtures/demo", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_valid(&stdout(&out));
}

#[test]
fn every_finding_shape_is_schema_valid() {
    let report = report_with_every_shape();
    assert_valid(&tierwise::report::json::to_json(&report));
}

#[test]
fn schema_rejects_a_broken_report() {
    let report = demo_report();
    let mut value = serde_json::to_value(&report).unwrap();
    value["findings"][0]["confidence"] = serde_json::json!(1.5);
    assert!(!validator().is_valid(&value), "confidence 1.5 must be rejected");
    let mut value = serde_json::to_value(&report).unwrap();
    value["summary"].as_object_mut().unwrap().remove("monthly_savings_usd");
    assert!(!validator().is_valid(&value));
}
