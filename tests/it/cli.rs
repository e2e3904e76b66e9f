//! The command line: formats, filters, exit codes, help.

use crate::common::*;

fn json(args: &[&str]) -> serde_json::Value {
    let out = tierwise(args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).unwrap()
}

#[test]
fn short_form_equals_the_report_command() {
    let mut a = json(&["--report", "json", "--demo"]);
    let mut b = json(&["report", "--demo", "--format", "json"]);
    for v in [&mut a, &mut b] {
        v["generated_at"] = serde_json::Value::Null;
    }
    assert_eq!(a, b);
}

#[test]
fn markdown_and_csv_carry_the_same_findings() {
    let report = json(&["report", "--snapshot", "fixtures/valid-csv"]);
    let findings = report["findings"].as_array().unwrap();
    let md = stdout(&tierwise(&["report", "--snapshot", "fixtures/valid-csv", "--format", "md"]));
    let csv = stdout(&tierwise(&["report", "--snapshot", "fixtures/valid-csv", "--format", "csv"]));
    assert!(md.starts_with("# tierwise report"));
    assert_eq!(csv.lines().count(), findings.len() + 1, "header + one row per finding");
    assert!(csv.starts_with("id,rule,category"));
    for f in findings {
        let id = f["id"].as_str().unwrap();
        assert!(md.contains(id) && csv.contains(id), "{id} in every format");
        let dollars = format!("{:.2}", f["monthly_savings_usd"].as_f64().unwrap());
        assert!(md.contains(&dollars) && csv.contains(&dollars));
    }
}

#[test]
fn min_savings_and_category_filter_and_resummarise() {
    let all = json(&["report", "--snapshot", "fixtures/valid-csv"]);
    assert_eq!(all["findings"].as_array().unwrap().len(), 2);
    // vol-a saves 5.00 (gp2 → gp3), vol-b 100 × 0.08 − 100 × 0.05 = 3.00 (unattached)
    let big = json(&["report", "--snapshot", "fixtures/valid-csv", "--min-savings", "4"]);
    assert_eq!(big["findings"].as_array().unwrap().len(), 1);
    assert_eq!(big["summary"]["monthly_savings_usd"], 5.0);
    let hygiene = json(&["report", "--snapshot", "fixtures/valid-csv", "--category", "hygiene"]);
    assert_eq!(hygiene["findings"][0]["rule"], "ebs.unattached");
    assert_eq!(hygiene["summary"]["monthly_savings_usd"], 3.0);
    assert_eq!(hygiene["summary"]["by_category"]["storage-tiering"]["findings"], 0);
}

#[test]
fn unknown_category_is_a_usage_error() {
    let out = tierwise(&["report", "--demo", "--category", "compute"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("unknown category `compute`") && stderr(&out).contains("rightsizing"));
}

#[test]
fn fail_above_exits_3_only_when_exceeded() {
    // total 5.00 + 3.00 = 8.00
    let out = tierwise(&["report", "--snapshot", "fixtures/valid-csv", "--fail-above", "7.99"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(!out.stdout.is_empty(), "the report is still printed");
    let out = tierwise(&["report", "--snapshot", "fixtures/valid-csv", "--fail-above", "8"]);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn out_writes_the_file() {
    let dir = std::env::temp_dir().join(format!("tierwise-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("r.md");
    let out = tierwise(&["report", "--demo", "--format", "md", "--out", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    assert!(std::fs::read_to_string(&path).unwrap().starts_with("# tierwise report"));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn usage_errors_exit_2() {
    for args in
        [&["report"][..], &[], &["report", "--demo", "--snapshot", "x"], &["report", "--format", "xml", "--demo"]]
    {
        let out = tierwise(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
    }
    assert!(stderr(&tierwise(&[])).contains("tierwise --demo"));
}

#[test]
fn help_explains_sources_and_exit_codes() {
    let help = stdout(&tierwise(&["--help"]));
    for needle in ["--demo", "--snapshot", "report", "rules", "Exit codes", "never changes anything"] {
        assert!(help.contains(needle), "--help lacks {needle}");
    }
}

#[test]
fn warnings_say_what_could_not_be_seen() {
    let v = json(&["report", "--snapshot", "fixtures/valid-csv"]);
    let warnings = v["warnings"].to_string();
    assert!(warnings.contains("no spend data"), "{warnings}");
}

#[test]
fn a_full_disk_on_stdout_is_an_error_but_a_closed_pipe_is_not() {
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        eprintln!("skipping: no /dev/full here");
        return;
    };
    let out = std::process::Command::new(bin())
        .args(["report", "--demo", "--format", "md"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("TIERWISE_CONFIG")
        .stdout(full)
        .output()
        .expect("run tierwise");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("No space left on device"), "{}", stderr(&out));
    // `| head -c 1`: the reader goes away early; that is not an error.
    let mut child = std::process::Command::new(bin())
        .args(["report", "--demo", "--format", "md"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("TIERWISE_CONFIG")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}
