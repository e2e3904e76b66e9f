//! Bucket metadata from `s3_buckets`, as the S3 rules need it.

use std::collections::BTreeMap;

use polars::prelude::*;

use crate::report::Resource;
use crate::rules::columns::{i64s, strs, tags};
use crate::rules::{RuleContext, RuleError};
use crate::snapshot::FrameName;

#[derive(Debug, Clone)]
pub struct BucketInfo {
    pub account: String,
    pub region: String,
    pub name: String,
    pub versioning: String,
    pub lifecycle_rules: i64,
    pub noncurrent_expiration_days: Option<i64>,
    pub abort_multipart_days: Option<i64>,
    pub intelligent_tiering: bool,
    pub tags: BTreeMap<String, String>,
    /// What the bucket's request metrics cover (`bucket`, `partial`, `unknown`); None
    /// when the source did not say (hand-made snapshots: taken as the whole bucket).
    pub request_metrics_scope: Option<String>,
}

impl BucketInfo {
    pub fn resource(&self) -> Resource {
        Resource {
            arn_or_id: format!("arn:aws:s3:::{}", self.name),
            kind: "s3-bucket".into(),
            account_id: self.account.clone(),
            region: self.region.clone(),
            name: self.name.clone(),
            tags: self.tags.clone(),
        }
    }

    /// True when the bucket carries `spec`: `key=value` (value compared case-insensitively) or a bare `key`.
    pub fn has_tag(&self, spec: &str) -> bool {
        let spec = spec.trim();
        if spec.is_empty() {
            return false;
        }
        match spec.split_once('=') {
            Some((k, v)) => self.tags.get(k.trim()).is_some_and(|t| t.trim().eq_ignore_ascii_case(v.trim())),
            None => self.tags.contains_key(spec),
        }
    }

    pub fn versioned(&self) -> bool {
        matches!(self.versioning.as_str(), "Enabled" | "Suspended")
    }
}

/// Every bucket, sorted by name.
pub fn buckets(ctx: &RuleContext) -> Result<Vec<BucketInfo>, RuleError> {
    let df = ctx.frame(FrameName::S3Buckets)?.clone().lazy().sort(["bucket"], Default::default()).collect()?;
    let accounts = strs(&df, "account_id")?;
    let regions = strs(&df, "region")?;
    let names = strs(&df, "bucket")?;
    let versioning = strs(&df, "versioning")?;
    let rules = i64s(&df, "lifecycle_rule_count")?;
    let noncurrent = i64s(&df, "noncurrent_expiration_days")?;
    let abort = i64s(&df, "abort_incomplete_multipart_days")?;
    let it: Vec<Option<bool>> = df.column("intelligent_tiering_configured")?.bool()?.iter().collect();
    let tag_json = strs(&df, "tags")?;
    let scopes = strs(&df, "request_metrics_scope")?;
    Ok((0..df.height())
        .map(|i| BucketInfo {
            account: accounts[i].unwrap_or_default().to_string(),
            region: regions[i].unwrap_or_default().to_string(),
            name: names[i].unwrap_or_default().to_string(),
            versioning: versioning[i].unwrap_or_default().to_string(),
            lifecycle_rules: rules[i].unwrap_or_default(),
            noncurrent_expiration_days: noncurrent[i],
            abort_multipart_days: abort[i],
            intelligent_tiering: it[i].unwrap_or_default(),
            tags: tags(tag_json[i]),
            request_metrics_scope: scopes[i].map(str::to_string),
        })
        .collect())
}
