//! Lifecycle configurations as actions: the JSON document, the command that applies
//! it, and the warning that the command replaces the bucket's existing rules.

use serde_json::{Value, json};

use crate::report::Action;

use super::bucket::BucketInfo;

/// Which objects a lifecycle rule applies to.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    /// Key prefix; None for the whole bucket.
    pub prefix: Option<String>,
    /// Only objects strictly larger than this many bytes.
    pub larger_than: Option<u64>,
}

impl Scope {
    fn filter(&self) -> Value {
        match (&self.prefix, self.larger_than) {
            (Some(p), Some(n)) => json!({ "And": { "Prefix": p, "ObjectSizeGreaterThan": n } }),
            (Some(p), None) => json!({ "Prefix": p }),
            (None, Some(n)) => json!({ "ObjectSizeGreaterThan": n }),
            (None, None) => json!({ "Prefix": "" }),
        }
    }

    fn id_part(&self) -> String {
        match &self.prefix {
            Some(p) => {
                p.trim_end_matches('/').chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect()
            }
            None => "all".into(),
        }
    }
}

/// AWS's minimum age for a lifecycle transition out of STANDARD into `class`: objects
/// must be at least 30 days old to move to STANDARD_IA or ONEZONE_IA (S3 rejects the
/// configuration otherwise); the other classes accept any age.
pub fn min_transition_days(class: &str) -> u32 {
    match class {
        "STANDARD_IA" | "ONEZONE_IA" => 30,
        _ => 0,
    }
}

/// Whether S3 would accept a transition into `class` after `days`; the reason when not.
pub fn check_transition(class: &str, days: u32) -> Result<(), String> {
    let min = min_transition_days(class);
    if days < min {
        return Err(format!(
            "S3 rejects lifecycle transitions to {class} before objects are {min} days old (asked: {days} days)"
        ));
    }
    Ok(())
}

/// A rule that transitions current versions into `class` after `days` — and, with
/// `noncurrent_days`, noncurrent versions too (a `Transitions` rule alone moves only
/// current versions). Never emits a rule S3 would reject.
pub fn transition_rule(scope: &Scope, days: u32, class: &str, noncurrent_days: Option<u32>) -> Result<Value, String> {
    check_transition(class, days)?;
    let mut rule = json!({
        "ID": format!("tierwise-{}-{}", class.to_ascii_lowercase().replace('_', "-"), scope.id_part()),
        "Status": "Enabled",
        "Filter": scope.filter(),
        "Transitions": [ { "Days": days, "StorageClass": class } ],
    });
    if let Some(d) = noncurrent_days {
        check_transition(class, d)?;
        rule["NoncurrentVersionTransitions"] = json!([ { "NoncurrentDays": d, "StorageClass": class } ]);
    }
    Ok(rule)
}

/// A whole-bucket clean-up rule: abort incomplete multipart uploads and/or expire noncurrent versions.
pub fn cleanup_rule(abort_after_days: Option<u32>, noncurrent_days: Option<u32>, keep_newer: Option<u32>) -> Value {
    let mut rule = json!({ "ID": "tierwise-hygiene", "Status": "Enabled", "Filter": { "Prefix": "" } });
    if let Some(d) = abort_after_days {
        rule["AbortIncompleteMultipartUpload"] = json!({ "DaysAfterInitiation": d });
    }
    if let Some(d) = noncurrent_days {
        let mut expiration = json!({ "NoncurrentDays": d });
        if let Some(k) = keep_newer.filter(|k| *k > 0) {
            expiration["NewerNoncurrentVersions"] = json!(k);
        }
        rule["NoncurrentVersionExpiration"] = expiration;
    }
    rule
}

/// The actions for a lifecycle configuration made of `rules`: the JSON file, the
/// put command, and a note when the bucket already has lifecycle rules (the put
/// replaces them all).
pub fn actions(bucket: &BucketInfo, rules: Vec<Value>) -> Vec<Action> {
    let document = json!({ "Rules": rules });
    let text = serde_json::to_string_pretty(&document).unwrap_or_else(|_| document.to_string());
    let mut out = vec![
        Action::new("s3-lifecycle-json", text),
        Action::new(
            "aws-cli",
            format!(
                "aws s3api put-bucket-lifecycle-configuration --bucket {} --lifecycle-configuration file://lifecycle.json",
                bucket.name
            ),
        ),
    ];
    if bucket.lifecycle_rules > 0 {
        out.push(Action::new(
            "note",
            format!(
                "{} already has {} lifecycle rule(s), and put-bucket-lifecycle-configuration REPLACES the whole \
                 configuration: first save it with `aws s3api get-bucket-lifecycle-configuration --bucket {} > current.json`, \
                 add the rules above to its \"Rules\" list, and put the merged file.",
                bucket.name, bucket.lifecycle_rules, bucket.name
            ),
        ));
    }
    out.push(Action::new(
        "note",
        "If you apply more than one tierwise lifecycle action to this bucket (storage class and hygiene), \
         put all their rules in one file: each put replaces the previous configuration.",
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_become_filters() {
        let r = transition_rule(
            &Scope { prefix: Some("logs/".into()), larger_than: Some(196_607) },
            30,
            "GLACIER_IR",
            None,
        )
        .unwrap();
        assert_eq!(r["Filter"]["And"]["Prefix"], "logs/");
        assert_eq!(r["Filter"]["And"]["ObjectSizeGreaterThan"], 196_607);
        assert_eq!(r["Transitions"][0]["StorageClass"], "GLACIER_IR");
        assert_eq!(r["ID"], "tierwise-glacier-ir-logs");
        let r = transition_rule(&Scope::default(), 30, "STANDARD_IA", Some(30)).unwrap();
        assert_eq!(r["NoncurrentVersionTransitions"][0]["NoncurrentDays"], 30);
        // What S3 would reject is never emitted.
        assert!(transition_rule(&Scope::default(), 7, "STANDARD_IA", None).unwrap_err().contains("30 days"));
        assert!(transition_rule(&Scope::default(), 0, "GLACIER_IR", Some(7)).is_ok());
        assert!(transition_rule(&Scope::default(), 30, "ONEZONE_IA", Some(7)).is_err());
        assert_eq!(r["Filter"]["Prefix"], "");
        let c = cleanup_rule(Some(7), Some(30), None);
        assert_eq!(c["AbortIncompleteMultipartUpload"]["DaysAfterInitiation"], 7);
        assert_eq!(c["NoncurrentVersionExpiration"]["NoncurrentDays"], 30);
    }
}
