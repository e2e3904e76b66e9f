//! `s3.storage-class`: move cold STANDARD data to the cheapest class its access,
//! object sizes and retrieval SLA allow, net of every fee.

use std::collections::BTreeMap;

use polars::prelude::*;

use crate::report::Category;
use crate::rules::{Param, ParamValue, Rule, RuleContext, RuleError, RuleOutput};
use crate::snapshot::FrameName;

use super::access::storage_class_owns;
use super::bucket::BucketInfo;
use super::classes::{Class, class_prices};
use super::inventory::{Cell, by_bucket, current_standard};
use super::lifecycle::Scope;
use super::plan::{Economics, Plan, SizeCell, best_plan, economics};
use super::storage_class_finding::{Assessment, finding, small_objects_warning, unpriced_finding};
use super::view::{BucketView, S3Data};

pub struct StorageClass;

const PARAMS: &[Param] = &[
    Param::new(
        "transition_age_days",
        ParamValue::Num(30.0),
        "days",
        "objects move once this old (the lifecycle rule's `Days`; AWS needs ≥ 30 for STANDARD_IA and ONEZONE_IA); \
         with inventory only objects in age buckets at or above it count as movable now",
    ),
    Param::new(
        "horizon_months",
        ParamValue::Num(12.0),
        "months",
        "a move must repay its one-time transition requests within this many months; classes are ranked by \
         monthly saving × horizon − one-time cost",
    ),
    Param::new(
        "access_sla_hours",
        ParamValue::Num(0.0),
        "hours",
        "slowest first-byte time allowed for buckets not tagged as archive: 0 allows up to GLACIER_IR \
         (milliseconds), 5 adds GLACIER, 12 adds DEEP_ARCHIVE",
    ),
    Param::new(
        "archive_access_sla_hours",
        ParamValue::Num(12.0),
        "hours",
        "slowest first-byte time allowed for archive-tagged buckets (12 allows DEEP_ARCHIVE standard retrieval)",
    ),
    Param::new(
        "reproducible_tag",
        ParamValue::Text("reproducible=true"),
        "",
        "bucket tag marking data that can be regenerated: only such data may go to ONEZONE_IA (one AZ: lost with it)",
    ),
    Param::new(
        "reproducible_prefixes",
        ParamValue::List(&[]),
        "",
        "`bucket/prefix/` entries (`bucket/` for a whole bucket) holding reproducible data, also allowed into ONEZONE_IA",
    ),
    Param::new(
        "max_prefix_rules",
        ParamValue::Num(20.0),
        "rules",
        "with inventory, prefixes that need different classes get one lifecycle rule each, up to this many; \
         beyond that the bucket is planned as a whole",
    ),
];

impl Rule for StorageClass {
    fn id(&self) -> &'static str {
        "s3.storage-class"
    }
    fn title(&self) -> &'static str {
        "Move cold S3 data to the cheapest storage class its access allows"
    }
    fn category(&self) -> Category {
        Category::StorageTiering
    }
    fn needs(&self) -> &'static [FrameName] {
        &[FrameName::S3Buckets]
    }
    fn params(&self) -> &'static [Param] {
        PARAMS
    }
    fn method(&self) -> &'static str {
        "Owns a bucket when its access is known and cold — request metrics show at most 10 % of its bytes and at most \
         10 % of its objects read per month (`s3_requests_daily`) — or when it has no request metrics but carries the \
         archive tag (then reads are assumed rare, and confidence is lower). Every other bucket belongs to \
         `s3.intelligent-tiering`, so a bucket gets at most one tiering finding. Only current STANDARD objects older \
         than `transition_age_days` are candidates (with inventory, from its age histogram; without, STANDARD bytes \
         less the growth of the last `transition_age_days`). For each class the retrieval SLA allows (STANDARD_IA, \
         ONEZONE_IA for reproducible data only, GLACIER_IR; GLACIER and DEEP_ARCHIVE only within the SLA hours), an \
         object of size s saves s × (STANDARD − class price − GB read per GB stored × retrieval price − share of \
         STANDARD bytes deleted per month × class price × minimum duration in months) − per-object costs (the 8 KB at \
         STANDARD + 32 KB at class rate GLACIER/DEEP_ARCHIVE overhead, and each object's GETs × (class GET − STANDARD \
         GET + restore request price)) a month, and costs one transition request once. Objects below the break-even \
         size — never below the 128 KB minimum billable and default transition size — stay, and the evidence says how \
         many. Reads are assumed spread evenly over the bytes. The class with the largest saving × `horizon_months` − \
         one-time cost wins; with inventory, prefixes needing different classes get their own rules. Actions: a \
         lifecycle configuration (with `ObjectSizeGreaterThan` at the break-even size) and the put command, which \
         replaces any existing rules. Regions without S3 prices give unpriced findings and a warning. STANDARD is \
         priced at its first-tier (first 50 TB) rate, so savings of accounts above 50 TB are overstated by up to 9 %."
    }

    fn validate(&self, params: &crate::rules::Params) -> Result<(), String> {
        // Every class is a candidate, so the age must suit the strictest: STANDARD_IA and
        // ONEZONE_IA transitions are rejected by S3 before 30 days.
        let days = params.num("transition_age_days");
        if !(0.0..=36_500.0).contains(&days) {
            return Err(format!("transition_age_days = {days} is not a number of days"));
        }
        super::lifecycle::check_transition("STANDARD_IA", days.ceil() as u32)
            .map_err(|why| format!("transition_age_days = {days}: {why}; use 30 or more"))?;
        if params.num("horizon_months") <= 0.0 {
            return Err("horizon_months must be more than 0".into());
        }
        Ok(())
    }

    fn evaluate(&self, ctx: &RuleContext) -> Result<RuleOutput, RuleError> {
        let data = S3Data::of(ctx)?;
        let settings = Settings::from(ctx);
        let mut out = RuleOutput::default();
        let inv = Cells::query(&data, settings.transition_days)?;
        for info in &data.buckets {
            let Some(view) = data.view(info) else { continue };
            let archive = info.has_tag(&settings.archive_tag);
            if !storage_class_owns(view.access_class, archive) || view.standard_bytes <= 0.0 {
                continue;
            }
            if view.objects.is_none_or(|o| o <= 0.0) {
                out.warnings.push(format!(
                    "{}: cold, but its object count is unknown (no NumberOfObjects, no inventory): per-object fees cannot be priced",
                    info.name
                ));
                continue;
            }
            evaluate_bucket(self, ctx, &data, &settings, &inv, &view, archive, &mut out);
        }
        Ok(out)
    }
}

/// The rule's parameters, resolved.
pub struct Settings {
    pub transition_days: f64,
    pub horizon: f64,
    pub sla_hours: f64,
    pub archive_tag: String,
    pub archive_sla_hours: f64,
    pub reproducible_tag: String,
    pub reproducible_prefixes: Vec<String>,
    pub max_prefix_rules: usize,
}

impl Settings {
    fn from(ctx: &RuleContext) -> Settings {
        let p = ctx.params;
        Settings {
            transition_days: p.num("transition_age_days").max(0.0),
            horizon: p.num("horizon_months").max(0.1),
            sla_hours: p.num("access_sla_hours"),
            archive_tag: p.text("archive_tag").to_string(),
            archive_sla_hours: p.num("archive_access_sla_hours"),
            reproducible_tag: p.text("reproducible_tag").to_string(),
            reproducible_prefixes: p.list("reproducible_prefixes").to_vec(),
            max_prefix_rules: p.num("max_prefix_rules").max(1.0) as usize,
        }
    }

    fn reproducible(&self, bucket: &BucketInfo, prefix: Option<&str>) -> bool {
        bucket.has_tag(&self.reproducible_tag)
            || self.reproducible_prefixes.iter().any(|entry| match entry.split_once('/') {
                Some((b, "")) => b == bucket.name,
                Some((b, p)) => b == bucket.name && prefix.is_some_and(|x| x.starts_with(p)),
                None => entry == &bucket.name,
            })
    }

    /// Classes within the bucket's retrieval SLA (and ONEZONE_IA only for reproducible data).
    pub fn allowed(&self, bucket: &BucketInfo, archive: bool, prefix: Option<&str>) -> Vec<Class> {
        let sla = if archive { self.archive_sla_hours } else { self.sla_hours };
        Class::ALL
            .into_iter()
            .filter(|c| c.retrieval_hours() <= sla)
            .filter(|c| *c != Class::OnezoneIa || self.reproducible(bucket, prefix))
            .collect()
    }
}

/// The inventory cells the rule reads, per bucket.
pub struct Cells {
    /// Movable now: current STANDARD objects at least `transition_age_days` old, by prefix and size bucket.
    pub movable: BTreeMap<String, Vec<Cell>>,
    /// Every current STANDARD object, by size bucket (size chart).
    pub sizes: BTreeMap<String, Vec<Cell>>,
    /// Every current object, by age bucket (age chart).
    pub ages: BTreeMap<String, Vec<Cell>>,
}

impl Cells {
    fn query(data: &S3Data, transition_days: f64) -> Result<Cells, RuleError> {
        let Some(inv) = &data.inventory else {
            return Ok(Cells { movable: BTreeMap::new(), sizes: BTreeMap::new(), ages: BTreeMap::new() });
        };
        let old_enough = col("age_days_min").gt_eq(lit(transition_days.ceil() as i64));
        Ok(Cells {
            movable: by_bucket(inv.sum(current_standard().and(old_enough), &["prefix", "size_bucket"])?),
            sizes: by_bucket(inv.sum(current_standard(), &["size_bucket"])?),
            ages: by_bucket(inv.sum(col("is_latest"), &["age_days_min"])?),
        })
    }
}

/// Size cells per prefix (inventory) or one average-size cell for the bucket.
fn groups(view: &BucketView, cells: &Cells, transition_days: f64) -> Vec<(Option<String>, Vec<SizeCell>)> {
    if view.has_inventory() {
        let mut by_prefix: BTreeMap<String, Vec<SizeCell>> = BTreeMap::new();
        for c in cells.movable.get(&view.info.name).map(Vec::as_slice).unwrap_or_default() {
            by_prefix.entry(c.keys[0].clone()).or_default().push(SizeCell {
                k: c.int(1),
                objects: c.objects,
                bytes: c.bytes,
            });
        }
        return by_prefix.into_iter().map(|(p, c)| (Some(p), c)).collect();
    }
    let growth = view.storage.map(|s| s.standard_bytes_per_day.max(0.0) * transition_days).unwrap_or(0.0);
    let bytes = (view.standard_bytes - growth).max(0.0);
    let objects = view.objects.unwrap_or(0.0) * bytes / view.stored_bytes.max(1.0);
    let average = if objects > 0.0 { bytes / objects } else { 0.0 };
    let k = if average >= 1.0 { average.log2().floor() as i64 } else { 0 };
    vec![(None, vec![SizeCell { k, objects, bytes }])]
}

/// Merge per-prefix size cells into one list for the whole bucket.
fn merged(groups: &[(Option<String>, Vec<SizeCell>)]) -> Vec<SizeCell> {
    let mut by_k: BTreeMap<i64, SizeCell> = BTreeMap::new();
    for (_, cells) in groups {
        for c in cells {
            let e = by_k.entry(c.k).or_insert(SizeCell { k: c.k, objects: 0.0, bytes: 0.0 });
            e.objects += c.objects;
            e.bytes += c.bytes;
        }
    }
    by_k.into_values().collect()
}

#[allow(clippy::too_many_arguments)]
fn evaluate_bucket(
    rule: &StorageClass,
    ctx: &RuleContext,
    data: &S3Data,
    s: &Settings,
    cells: &Cells,
    view: &BucketView,
    archive: bool,
    out: &mut RuleOutput,
) {
    let info = view.info;
    let groups = groups(view, cells, s.transition_days);
    let all = merged(&groups);
    if all.iter().all(|c| c.objects <= 0.0) {
        return;
    }
    let usage = view.usage();
    let std = match data.standard_prices(ctx.prices, info) {
        Ok(p) => p,
        Err(e) => {
            out.warnings.push(format!("{}: unpriced: {e}", info.name));
            out.findings.push(unpriced_finding(ctx, view, &e.to_string()).finish(rule));
            return;
        }
    };
    let options = |prefix: Option<&str>| -> Result<Vec<Economics>, crate::pricing::PriceError> {
        s.allowed(info, archive, prefix)
            .into_iter()
            .map(|c| Ok(economics(std, class_prices(ctx.prices, &info.region, c)?, usage, s.horizon)))
            .collect()
    };
    let whole_options = match options(None) {
        Ok(o) => o,
        Err(e) => {
            out.warnings.push(format!("{}: unpriced: {e}", info.name));
            out.findings.push(unpriced_finding(ctx, view, &e.to_string()).finish(rule));
            return;
        }
    };
    let whole = best_plan(&all, &whole_options, s.horizon);
    let mut plans: Vec<(Scope, Plan)> = Vec::new();
    let mut root_left_out = None;
    let per_prefix: Vec<(String, Plan)> = groups
        .iter()
        .filter_map(|(p, c)| {
            let p = p.as_deref()?;
            let o = options(Some(p)).ok()?;
            best_plan(c, &o, s.horizon).map(|plan| (p.to_string(), plan))
        })
        .collect();
    let classes: std::collections::BTreeSet<Class> = per_prefix.iter().map(|(_, p)| p.class).collect();
    let prefix_net: f64 = per_prefix.iter().filter(|(p, _)| !p.is_empty()).map(|(_, p)| p.net(s.horizon)).sum();
    let use_prefixes = classes.len() > 1
        && per_prefix.len() <= s.max_prefix_rules
        && prefix_net > whole.map(|w| w.net(s.horizon)).unwrap_or(0.0);
    if use_prefixes {
        for (prefix, plan) in per_prefix {
            if prefix.is_empty() {
                root_left_out = Some((plan.moved_objects, plan.moved_bytes));
            } else {
                plans.push((scope(Some(prefix), &plan), plan));
            }
        }
    } else if let Some(w) = whole {
        plans.push((scope(None, &w), w));
    }
    if plans.is_empty() {
        if let Some(w) = small_objects_warning(view, &all, &whole_options) {
            out.warnings.push(w);
        }
        return;
    }
    let assessment = Assessment {
        view,
        std,
        usage,
        plans,
        root_left_out,
        archive,
        settings: s,
        sizes: cells.sizes.get(&info.name).map(Vec::as_slice).unwrap_or_default(),
        ages: cells.ages.get(&info.name).map(Vec::as_slice).unwrap_or_default(),
        window_days: ctx.window_days(),
    };
    out.findings.push(finding(&assessment).finish(rule));
}

/// The lifecycle scope of a plan: its prefix, and the break-even size when it is above 128 KB.
fn scope(prefix: Option<String>, plan: &Plan) -> Scope {
    Scope { prefix, larger_than: Some((plan.break_even_bytes.ceil() as u64).saturating_sub(1)) }
}

#[cfg(test)]
#[path = "storage_class_tests.rs"]
mod tests;
