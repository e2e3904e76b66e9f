//! `s3.hygiene`: bytes nobody reads but everybody pays for — incomplete multipart
//! uploads and noncurrent versions that no lifecycle rule ever expires.

use std::collections::BTreeMap;

use polars::prelude::*;

use crate::money::usd;
use crate::report::{Category, Evidence, MigrationEffort, Stat};
use crate::rules::draft::Draft;
use crate::rules::{Param, ParamValue, Rule, RuleContext, RuleError, RuleOutput};
use crate::snapshot::FrameName;

use super::charts;
use super::classes::{GB, storage_price_of};
use super::inventory::{Cell, by_bucket};
use super::lifecycle::{actions, cleanup_rule};
use super::storage_class_finding::{count, gb, stat};
use super::view::{BucketView, S3Data};

pub struct Hygiene;

const PARAMS: &[Param] = &[
    Param::new(
        "multipart_min_age_days",
        ParamValue::Num(7.0),
        "days",
        "incomplete multipart uploads at least this old are reported, and the lifecycle rule aborts uploads after this many days",
    ),
    Param::new(
        "noncurrent_days",
        ParamValue::Num(30.0),
        "days",
        "the recommended NoncurrentVersionExpiration `NoncurrentDays`; noncurrent versions written at least this long ago count towards the saving",
    ),
];

/// Bytes and monthly cost of a set of versions or parts, by storage class.
#[derive(Debug, Default, Clone, Copy)]
struct Pile {
    objects: f64,
    bytes: f64,
    cost: f64,
}

impl Rule for Hygiene {
    fn id(&self) -> &'static str {
        "s3.hygiene"
    }
    fn title(&self) -> &'static str {
        "Abort stale multipart uploads and expire noncurrent S3 versions"
    }
    fn category(&self) -> Category {
        Category::Hygiene
    }
    fn needs(&self) -> &'static [FrameName] {
        &[FrameName::S3Buckets]
    }
    fn params(&self) -> &'static [Param] {
        PARAMS
    }
    fn method(&self) -> &'static str {
        "From inventory (`s3_object_histogram`, or `s3_objects`; scaled to CloudWatch's bytes when it is a sample): \
         parts of incomplete multipart uploads at least `multipart_min_age_days` old in buckets without an \
         AbortIncompleteMultipartUpload rule, and noncurrent versions in versioned buckets without a noncurrent \
         expiration rule, each priced at its storage class's GB-month rate. The saving counts noncurrent versions \
         written at least `noncurrent_days` ago — an upper bound, since a version becomes noncurrent only when it is \
         overwritten, after it was written. S3 Inventory never lists incomplete uploads, so that part needs a source \
         that does. Versioned buckets without expiration but without inventory are named in a warning (their \
         noncurrent bytes are unknown: CloudWatch does not separate them). Action: one lifecycle rule with \
         AbortIncompleteMultipartUpload and/or NoncurrentVersionExpiration."
    }

    fn validate(&self, params: &crate::rules::Params) -> Result<(), String> {
        // S3 takes whole days of at least 1 for DaysAfterInitiation and NoncurrentDays.
        for name in ["multipart_min_age_days", "noncurrent_days"] {
            let v = params.num(name);
            if v < 1.0 || v.fract() != 0.0 {
                return Err(format!("{name} = {v}: S3 lifecycle rules take a whole number of days, at least 1"));
            }
        }
        Ok(())
    }

    fn evaluate(&self, ctx: &RuleContext) -> Result<RuleOutput, RuleError> {
        let data = S3Data::of(ctx)?;
        let mpu_days = ctx.params.num("multipart_min_age_days").max(0.0);
        let nc_days = ctx.params.num("noncurrent_days").max(1.0);
        let mut out = RuleOutput::default();
        let Some(inv) = &data.inventory else {
            let blind: Vec<&str> = data
                .buckets
                .iter()
                .filter(|b| b.versioned() && b.noncurrent_expiration_days.is_none())
                .map(|b| b.name.as_str())
                .collect();
            if !blind.is_empty() {
                out.warnings.push(format!(
                    "versioned buckets without a noncurrent-version expiration rule, not sized (no inventory): {}",
                    blind.join(", ")
                ));
            }
            return Ok(out);
        };
        let age = |d: f64| col("age_days_min").gt_eq(lit(d.ceil() as i64));
        let parts = col("multipart_upload_incomplete");
        let noncurrent = col("is_latest").not().and(parts.clone().not());
        let mpu_old = by_bucket(inv.sum(parts.clone().and(age(mpu_days)), &["storage_class"])?);
        let mpu_all = by_bucket(inv.sum(parts, &["storage_class"])?);
        let nc_old = by_bucket(inv.sum(noncurrent.clone().and(age(nc_days)), &["storage_class"])?);
        let nc_all = by_bucket(inv.sum(noncurrent.clone(), &["storage_class"])?);
        let nc_ages = by_bucket(inv.sum(noncurrent, &["age_days_min"])?);
        for info in &data.buckets {
            let Some(view) = data.view(info) else { continue };
            let check_mpu = info.abort_multipart_days.is_none();
            let check_nc = info.versioned() && info.noncurrent_expiration_days.is_none();
            if !view.has_inventory() {
                if check_nc {
                    out.warnings.push(format!(
                        "{}: versioned without a noncurrent-version expiration rule, but no inventory to size its noncurrent versions",
                        info.name
                    ));
                }
                continue;
            }
            let cells = |m: &BTreeMap<String, Vec<Cell>>| m.get(&info.name).cloned().unwrap_or_default();
            // STANDARD bytes removed save the account's marginal tier.
            let standard = data.standard_prices(ctx.prices, info).ok().map(|p| p.storage);
            let mut unpriced = None;
            let mut piled = |check: bool, m: &BTreeMap<String, Vec<Cell>>| {
                if !check {
                    return Pile::default();
                }
                let (p, e) = pile(ctx, &info.region, &cells(m), standard);
                unpriced = unpriced.take().or(e);
                p
            };
            let piles = [
                piled(check_mpu, &mpu_old),
                piled(check_mpu, &mpu_all),
                piled(check_nc, &nc_old),
                piled(check_nc, &nc_all),
            ];
            if piles[0].objects <= 0.0 && piles[2].objects <= 0.0 {
                continue;
            }
            if let Some(e) = &unpriced {
                out.warnings.push(format!("{}: unpriced: {e}", info.name));
            }
            let d = Drafting { ctx, view: &view, mpu_days, nc_days, piles, ages: cells(&nc_ages), unpriced };
            out.findings.push(d.draft().finish(self));
        }
        Ok(out)
    }
}

/// Objects, bytes and monthly cost of `cells`; the cost is 0 and the error returned
/// when a class has no price in the region.
fn pile(ctx: &RuleContext, region: &str, cells: &[Cell], standard: Option<f64>) -> (Pile, Option<String>) {
    let mut p = Pile::default();
    let mut missing = None;
    for c in cells {
        p.objects += c.objects;
        p.bytes += c.bytes;
        match storage_price_of(ctx.prices, region, &c.keys[0], standard) {
            Ok(price) => p.cost += c.bytes / GB * price,
            Err(e) => missing = Some(e.to_string()),
        }
    }
    (p, missing)
}

struct Drafting<'a> {
    ctx: &'a RuleContext<'a>,
    view: &'a BucketView<'a>,
    mpu_days: f64,
    nc_days: f64,
    /// [multipart old enough, multipart all, noncurrent old enough, noncurrent all]
    piles: [Pile; 4],
    ages: Vec<Cell>,
    /// Why the piles could not be priced (a region or class without prices).
    unpriced: Option<String>,
}

impl Drafting<'_> {
    fn draft(&self) -> Draft {
        let [mpu_old, mpu_all, nc_old, nc_all] = self.piles;
        let info = self.view.info;
        let priced = self.unpriced.is_none();
        let current = mpu_all.cost + nc_all.cost;
        let saving = mpu_old.cost + nc_old.cost;
        let cost = |v: f64| if priced { usd(v) } else { "(unpriced)".to_string() };
        let mut parts = Vec::new();
        if mpu_old.objects > 0.0 {
            parts.push(format!(
                "{} parts of incomplete multipart uploads ({}) at least {} days old cost {} a month and can never be read",
                count(mpu_old.objects),
                gb(mpu_old.bytes),
                self.mpu_days,
                cost(mpu_old.cost)
            ));
        }
        if nc_old.objects > 0.0 {
            parts.push(format!(
                "{} noncurrent versions ({}, {:.0} % of the bucket's {}) cost {} a month with no expiration rule; the {} \
                 written at least {} days ago cost {} (an upper bound of what expiring after {} noncurrent days saves)",
                count(nc_all.objects),
                gb(nc_all.bytes),
                nc_all.bytes / self.view.stored_bytes.max(1.0) * 100.0,
                gb(self.view.stored_bytes),
                cost(nc_all.cost),
                gb(nc_old.bytes),
                self.nc_days,
                cost(nc_old.cost),
                self.nc_days
            ));
        }
        let rule = cleanup_rule(
            (mpu_old.objects > 0.0).then_some(self.mpu_days.ceil() as u32),
            (nc_old.objects > 0.0).then_some(self.nc_days.ceil() as u32),
            None,
        );
        let scaled = self.view.coverage.is_some_and(|c| c.scaled_noticeably());
        let mut reasons = vec!["sizes and versions from inventory".to_string()];
        if scaled {
            reasons.push("inventory is a sample or out of date: scaled to CloudWatch's bytes".into());
        }
        if nc_old.objects > 0.0 {
            reasons
                .push("noncurrent age is measured from when a version was written, not when it was overwritten".into());
        }
        Draft {
            resource: info.resource(),
            current: ("incomplete uploads and noncurrent versions kept forever".into(), priced.then_some(current)),
            recommended: (
                format!(
                    "lifecycle clean-up:{}{}",
                    if mpu_old.objects > 0.0 {
                        format!(" abort uploads after {} days", self.mpu_days)
                    } else {
                        String::new()
                    },
                    if nc_old.objects > 0.0 {
                        format!(" expire noncurrent versions after {} days", self.nc_days)
                    } else {
                        String::new()
                    }
                ),
                priced.then_some(current - saving),
            ),
            one_time_cost_usd: 0.0,
            unpriced_reason: self.unpriced.clone(),
            savings_range: None,
            confidence: if scaled { 0.7 } else { 0.8 },
            confidence_reasons: reasons,
            performance_risk: 0,
            migration_effort: MigrationEffort::VeryLow,
            evidence: Evidence {
                window_days: self.ctx.window_days(),
                datapoints: self.view.storage.map(|s| s.days as u64).unwrap_or(1),
                statistics: vec![
                    stat("incomplete multipart parts (old enough)", mpu_old.bytes / GB, "GB"),
                    stat("noncurrent versions", nc_all.bytes / GB, "GB"),
                    stat("noncurrent share of stored bytes", nc_all.bytes / self.view.stored_bytes.max(1.0), "ratio"),
                    stat("noncurrent written ≥ noncurrent_days ago", nc_old.bytes / GB, "GB"),
                ],
                thresholds: vec![
                    Stat::new("multipart_min_age_days", self.mpu_days, "days"),
                    Stat::new("noncurrent_days", self.nc_days, "days"),
                ],
                charts: self
                    .view
                    .storage
                    .and_then(charts::storage_by_class)
                    .into_iter()
                    .chain(charts::age_histogram(&self.ages, "Noncurrent versions by age since written"))
                    .collect(),
            },
            rationale: format!("In {}: {}.", info.name, parts.join("; ")),
            actions: actions(info, vec![rule]),
        }
    }
}

#[cfg(test)]
#[path = "hygiene_tests.rs"]
mod tests;
