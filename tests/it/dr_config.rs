//! `[[dr.workload]]` through the CLI: bad entries name the key (exit 2); good ones replace
//! a snapshot's declaration; `[pricing.overrides]` price a recovery region the catalog
//! lacks.

use crate::common::*;

fn with_config(name: &str, text: &str, args: &[&str]) -> std::process::Output {
    let path = std::env::temp_dir().join(format!("tierwise-dr-{name}-{}.toml", std::process::id()));
    std::fs::write(&path, text).unwrap();
    let mut all = args.to_vec();
    all.extend(["--config", path.to_str().unwrap()]);
    let out = tierwise(&all);
    let _ = std::fs::remove_file(&path);
    out
}

fn dr_finding<'a>(v: &'a serde_json::Value, workload: &str) -> &'a serde_json::Value {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["resource"]["arn_or_id"] == format!("dr-workload/{workload}"))
        .unwrap_or_else(|| panic!("no dr.tier finding for {workload}: {:#?}", v["warnings"]))
}

#[test]
fn bad_dr_workloads_are_config_errors_naming_the_key() {
    for (text, key) in [
        ("[[dr.workload]]\nname = \"a\"\nrpo = \"15 minutes\"\n", "dr.workload[0].rpo"),
        ("[[dr.workload]]\nname = \"a\"\n[[dr.workload]]\nname = \"a\"\n", "dr.workload[1]"),
        ("[[dr.workload]]\nname = \"a\"\nrto = \"1h\"\nregion = \"us-east-1\"\n", "dr.workload[0].region"),
        ("[[dr.workload]]\nname = \"a\"\nstrategy = \"hot-standby\"\n", "dr.workload[0].strategy"),
    ] {
        let out = with_config("bad", text, &["report", "--demo", "--format", "json"]);
        assert_eq!(out.status.code(), Some(2), "{text}: {}", stderr(&out));
        assert!(stderr(&out).contains(key), "{key} not in: {}", stderr(&out));
    }
}

#[test]
fn a_declared_workload_replaces_the_snapshot_row_and_is_judged_by_its_targets() {
    // The demo's reporting workload (1 d / 1 d, met) declared here with 1 h targets: its
    // 3,084 GiB restore from backups alone takes 15 h, so it breaches.
    let cfg = "[[dr.workload]]\nname = \"reporting\"\nrto = \"1h\"\nrpo = \"1h\"\ndr_region = \"us-west-2\"\n\
               tags = [\"tierwise:workload=reporting\"]\nresources = [\"arn:aws:s3:::acme-athena-results\"]\n";
    let out = with_config("replace", cfg, &["report", "--demo", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let f = dr_finding(&v, "reporting");
    assert_eq!(f["severity"], "high");
    assert!(f["current"]["description"].as_str().unwrap().starts_with("breached"), "{}", f["current"]);
    let replaced =
        v["warnings"].as_array().unwrap().iter().any(|w| {
            w["source"] == "tierwise.toml" && w["message"].as_str().unwrap().contains("dr.workload[0] replaces")
        });
    assert!(replaced, "{:#?}", v["warnings"]);
}

#[test]
fn overrides_price_the_recovery_region_and_the_saving_is_the_standby() {
    // us-west-2 is not in the catalog; supply the four prices the reporting finding needs
    // at their (equal) us-east-1 list values. Both sides keep the same 12-hourly backups,
    // so the saving is exactly the standby m5.2xlarge (730 h × 0.384 = 280.32) and its gp2
    // root volume.
    let cfg = "[pricing.overrides]\n\"us-west-2/backup.ebs.gb_month\" = 0.05\n\"us-west-2/backup.s3.gb_month\" = 0.05\n\
               \"us-west-2/ec2.ondemand.linux.m5.2xlarge\" = 0.384\n\"us-west-2/ebs.gp2.gb_month\" = 0.10\n";
    let out = with_config("west", cfg, &["report", "--demo", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let f = dr_finding(&v, "reporting");
    let saving = f["monthly_savings_usd"].as_f64().expect("priced now");
    let lines =
        f["actions"].as_array().unwrap().iter().find(|a| a["text"].as_str().unwrap().starts_with("Cost now")).unwrap();
    let text = lines["text"].as_str().unwrap();
    assert!(
        text.contains("standby i-") && text.contains("1 × m5.2xlarge: 730 instance-hours × $0.384 = $280.32"),
        "{text}"
    );
    // The root volume: gp2 GiB × 0.10 — whatever its size, the saving is 280.32 plus it.
    let gp2_line = text.lines().find(|l| l.contains("gp2 volumes")).expect("the standby's volume line");
    let volume_usd: f64 = gp2_line.rsplit('$').next().unwrap().replace(',', "").parse().unwrap();
    assert!((saving - (280.32 + volume_usd)).abs() < 0.011, "{saving} vs 280.32 + {volume_usd}");
}
