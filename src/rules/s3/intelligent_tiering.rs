//! `s3.intelligent-tiering`: buckets whose access is unknown, changing or mixed →
//! S3 Intelligent-Tiering, net of its monitoring fee, for objects of 128 KB and more.

use std::collections::BTreeMap;

use polars::prelude::*;

use crate::money::usd;
use crate::pricing::{PriceBook, PriceError};
use crate::report::{Category, Evidence, MigrationEffort, Stat};
use crate::rules::draft::Draft;
use crate::rules::{Param, Rule, RuleContext, RuleError, RuleOutput};
use crate::snapshot::FrameName;
use crate::snapshot::s3_histogram::SIZE_BUCKET_128_KIB;

use super::access::{AccessClass, CHANGING_CV, COLD_SHARE, storage_class_owns};
use super::charts;
use super::classes::{GB, MIN_BILLABLE_BYTES, StandardPrices};
use super::inventory::{Cell, by_bucket, current_standard};
use super::lifecycle::{Scope, actions, transition_rule};
use super::storage_class_finding::{count, count_stat, gb, price, size, stat};
use super::view::{BucketView, S3Data};

pub struct IntelligentTiering;

const PARAMS: &[Param] = &[];

/// The Intelligent-Tiering prices of a region.
struct TierPrices {
    standard: f64,
    frequent: f64,
    infrequent: f64,
    archive_instant: f64,
    monitoring_per_1000: f64,
    transition_per_1000: f64,
    get_delta_per_1000: f64,
}

fn tier_prices(prices: &PriceBook, region: &str, std: StandardPrices) -> Result<TierPrices, PriceError> {
    Ok(TierPrices {
        standard: std.storage,
        frequent: prices.usd(region, "s3.storage.INTELLIGENT_TIERING_FA")?,
        infrequent: prices.usd(region, "s3.storage.INTELLIGENT_TIERING_IA")?,
        archive_instant: prices.usd(region, "s3.storage.INTELLIGENT_TIERING_AIA")?,
        monitoring_per_1000: prices.usd(region, "s3.intelligent_tiering.monitoring_per_1000_objects")?,
        transition_per_1000: prices.usd(region, "s3.transition_per_1000.INTELLIGENT_TIERING")?,
        get_delta_per_1000: prices.usd(region, "s3.get_per_1000.INTELLIGENT_TIERING")? - std.get_per_1000,
    })
}

impl Rule for IntelligentTiering {
    fn id(&self) -> &'static str {
        "s3.intelligent-tiering"
    }
    fn title(&self) -> &'static str {
        "Move S3 data with unknown, changing or mixed access to Intelligent-Tiering"
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
        "Precedence with `s3.storage-class` (one finding per bucket): that rule owns cold buckets (request metrics \
         show at most 10 % of the bytes and 10 % of the objects read per month) and archive-tagged buckets without \
         request metrics; this rule owns the rest — unknown access (no request metrics), changing access (daily \
         reads with a coefficient of variation above 1) and mixed access (read more than cold, steadily). A fixed \
         class would charge retrieval on every read of such data; Intelligent-Tiering charges none and moves objects \
         untouched for 30 days to its infrequent-access tier by itself. Only current STANDARD objects of 128 KB or \
         more count: smaller ones are never monitored, are billed at the frequent-access rate and pay no fee, so they \
         are left out. Saving per month = GB × idle share × (STANDARD − infrequent-access tier price) − GB × (1 − idle \
         share) × (frequent-access − STANDARD price) − objects × monitoring fee per 1,000; the idle share is 1 − bytes \
         read per month ÷ bytes stored (reads assumed to touch distinct data: a lower bound). Without request \
         metrics nothing is assumed: the finding gives the range from every object read monthly (the monitoring \
         fee is then a cost) to none read (the most it can save), is headed by the conservative end, and says how \
         to learn the pattern (request metrics, Storage Class Analysis, Storage Lens); only the conservative end, \
         never below zero, counts in the summary, the rest as upside. One-time cost: one lifecycle transition \
         request per object. The archive-instant tier (idle 90 days) is shown as upside, not counted. In versioned \
         buckets without inventory the rule also transitions noncurrent versions (CloudWatch counts them)."
    }

    fn evaluate(&self, ctx: &RuleContext) -> Result<RuleOutput, RuleError> {
        let data = S3Data::of(ctx)?;
        let archive_tag = ctx.params.text("archive_tag").to_string();
        let (large, small, sizes) = match &data.inventory {
            Some(inv) => {
                let big = col("size_bucket").gt_eq(lit(SIZE_BUCKET_128_KIB));
                (
                    by_bucket(inv.sum(current_standard().and(big.clone()), &[])?),
                    by_bucket(inv.sum(current_standard().and(big.not()), &[])?),
                    by_bucket(inv.sum(current_standard(), &["size_bucket"])?),
                )
            }
            None => (BTreeMap::new(), BTreeMap::new(), BTreeMap::new()),
        };
        let mut out = RuleOutput::default();
        for info in &data.buckets {
            let Some(view) = data.view(info) else { continue };
            if storage_class_owns(view.access_class, info.has_tag(&archive_tag)) || view.standard_bytes <= 0.0 {
                continue;
            }
            let first = |m: &BTreeMap<String, Vec<Cell>>| {
                m.get(&info.name).and_then(|c| c.first()).map(|c| (c.objects, c.bytes))
            };
            let (eligible, excluded) = if view.has_inventory() {
                (first(&large).unwrap_or_default(), first(&small).unwrap_or_default())
            } else {
                without_inventory(&view)
            };
            if eligible.0 <= 0.0 {
                continue;
            }
            // Unknown access: priced at both ends (all read → idle 0; none read → idle 1).
            let idle = match view.access_class {
                AccessClass::Unknown => None,
                _ => Some(1.0 - view.usage().read_per_byte().min(1.0)),
            };
            let sizes = sizes.get(&info.name).map(Vec::as_slice).unwrap_or_default();
            match data.standard_prices(ctx.prices, info).and_then(|std| tier_prices(ctx.prices, &info.region, std)) {
                Ok(p) => {
                    let draft = match idle {
                        Some(idle) => priced(ctx, &view, &p, eligible, excluded, idle, sizes),
                        None => ranged(ctx, &view, &p, eligible, excluded, sizes),
                    };
                    let best = draft.savings_range.as_ref().map(|(_, high, _)| *high);
                    let saving = draft.current.1.zip(draft.recommended.1).map(|(c, r)| c - r);
                    if best.or(saving).is_some_and(|s| s > 0.0) {
                        out.findings.push(draft.finish(self));
                    }
                }
                Err(e) => {
                    out.warnings.push(format!("{}: unpriced: {e}", info.name));
                    out.findings.push(unpriced(ctx, &view, eligible, &e.to_string()).finish(self));
                }
            }
        }
        Ok(out)
    }
}

/// (objects, bytes) at or above 128 KB and below it, from the bucket's average object size.
fn without_inventory(view: &BucketView) -> ((f64, f64), (f64, f64)) {
    let objects = view.objects.unwrap_or(0.0) * view.standard_bytes / view.stored_bytes.max(1.0);
    let standard = (objects, view.standard_bytes);
    if objects > 0.0 && view.standard_bytes / objects >= MIN_BILLABLE_BYTES {
        (standard, (0.0, 0.0))
    } else {
        ((0.0, 0.0), standard)
    }
}

fn priced(
    ctx: &RuleContext,
    view: &BucketView,
    p: &TierPrices,
    (objects, bytes): (f64, f64),
    (small_objects, small_bytes): (f64, f64),
    idle: f64,
    sizes: &[Cell],
) -> Draft {
    let g = bytes / GB;
    let usage = view.usage();
    let gets = usage.gets_month * objects / usage.objects.max(1.0);
    let current = g * p.standard;
    let fee = objects * p.monitoring_per_1000 / 1000.0;
    let recommended =
        g * (1.0 - idle) * p.frequent + g * idle * p.infrequent + fee + gets * p.get_delta_per_1000 / 1000.0;
    let one_time = objects * p.transition_per_1000 / 1000.0;
    let upside = g * idle * (p.infrequent - p.archive_instant);
    let why = match view.access_class {
        AccessClass::Unknown => format!(
            "{} has no request metrics, so its access is unknown; priced here as if {:.0} % of it sat idle for 30 days",
            view.info.name,
            idle * 100.0
        ),
        AccessClass::Changing => format!(
            "{}'s reads change from day to day (coefficient of variation {:.2} > {CHANGING_CV}): a fixed class priced on \
             this window could pay retrieval on the next busy spell",
            view.info.name,
            view.access.map(|a| a.cv).unwrap_or(0.0)
        ),
        _ => format!(
            "{} is read too much to be cold ({:.1} % of its bytes a month, over the {:.0} % cold limit) but not all of it \
             is in use",
            view.info.name,
            usage.read_per_byte() * 100.0,
            COLD_SHARE * 100.0
        ),
    };
    let rationale = format!(
        "{why}. Intelligent-Tiering charges no retrieval and moves objects untouched for 30 days to its infrequent-access \
         tier. For the {} in {} current STANDARD objects of 128 KB or more: idle share {:.0} % → {} at {}/GB instead \
         of {}/GB, less a monitoring fee of {} a month ({} objects × {} per 1,000), saves {} a month for {} of one-time \
         transition requests. {} objects ({}) under 128 KB are left out: they would be billed at the frequent-access \
         rate anyway. If idle data stays untouched 90 days, the archive-instant tier would save about {} a month more.",
        gb(bytes),
        count(objects),
        idle * 100.0,
        gb(bytes * idle),
        price(p.infrequent),
        price(p.standard),
        usd(fee),
        count(objects),
        price(p.monitoring_per_1000),
        usd(current - recommended),
        usd(one_time),
        count(small_objects),
        gb(small_bytes),
        usd(upside),
    );
    let confidence = match view.access_class {
        AccessClass::Unknown => 0.4,
        AccessClass::Changing => 0.6,
        _ => 0.65,
    } - if view.has_inventory() { 0.0 } else { 0.05 };
    let mut reasons = vec![format!("access is {}", view.access_class.as_str())];
    reasons.push(if view.has_inventory() {
        "objects under 128 KB counted from inventory".into()
    } else {
        format!(
            "no inventory: every object taken at the average size ({})",
            size(view.standard_bytes / objects.max(1.0))
        )
    });

    let mut chart_list = Vec::new();
    chart_list.extend(view.storage.and_then(charts::storage_by_class));
    chart_list.extend(view.access.and_then(|a| charts::reads_per_gb(a, view.stored_bytes)));
    chart_list.extend(charts::size_histogram(sizes, "Object sizes (current STANDARD)"));
    let scope = Scope { prefix: None, larger_than: Some(MIN_BILLABLE_BYTES as u64 - 1) };
    Draft {
        resource: view.info.resource(),
        current: (format!("STANDARD: {} in {} objects ≥ 128 KB", gb(bytes), count(objects)), Some(current)),
        recommended: (format!("INTELLIGENT_TIERING, idle share {:.0} %", idle * 100.0), Some(recommended)),
        one_time_cost_usd: one_time,
        unpriced_reason: None,
        savings_range: None,
        confidence,
        confidence_reasons: reasons,
        performance_risk: 0,
        migration_effort: MigrationEffort::VeryLow,
        evidence: Evidence {
            window_days: ctx.window_days(),
            datapoints: view.access_days() as u64,
            statistics: vec![
                stat("eligible (≥ 128 KB, current STANDARD)", g, "GB"),
                count_stat("eligible objects", objects, "objects"),
                count_stat("objects under 128 KB (left out)", small_objects, "objects"),
                stat("idle share", idle, "ratio"),
                stat("bytes read per month ÷ bytes stored", usage.read_per_byte(), "ratio"),
                stat("GETs per month per GB stored", usage.gets_month / (view.stored_bytes / GB).max(1e-9), "GETs/GB"),
                stat("monitoring fee", fee, "USD/month"),
                stat("archive-instant upside (not counted)", upside, "USD/month"),
            ],
            thresholds: vec![
                Stat::new("cold: read share per month at most", COLD_SHARE, "ratio"),
                Stat::new("changing: daily coefficient of variation above", CHANGING_CV, "ratio"),
                Stat::new("monitored object size at least", MIN_BILLABLE_BYTES / 1024.0, "KiB"),
            ],
            charts: chart_list,
        },
        rationale,
        actions: actions(view.info, it_rule(view, &scope)),
    }
}

/// Unknown access: the finding is the range between every eligible object read each
/// month (idle share 0: the monitoring fee is a cost) and none read (idle share 1), headed
/// by the conservative end.
fn ranged(
    ctx: &RuleContext,
    view: &BucketView,
    p: &TierPrices,
    eligible: (f64, f64),
    excluded: (f64, f64),
    sizes: &[Cell],
) -> Draft {
    let worst = priced(ctx, view, p, eligible, excluded, 0.0, sizes);
    let best = priced(ctx, view, p, eligible, excluded, 1.0, sizes);
    let (Some(current), Some(low_cost), Some(high_cost)) = (worst.current.1, worst.recommended.1, best.recommended.1)
    else {
        return worst;
    };
    let (low, high) = (current - low_cost, current - high_cost);
    let mut draft = worst;
    let learn = "turn on S3 request metrics for the bucket (CloudWatch, a metrics configuration per bucket or \
                 prefix), or S3 Storage Class Analysis (it reports how much of the data is read after 30 days), or \
                 look at S3 Storage Lens' activity metrics";
    draft.rationale = format!(
        "{} has no request metrics, so how much of its data is read is unknown, and tierwise assumes nothing. \
         Intelligent-Tiering on its {} in {} current STANDARD objects of 128 KB or more would save between {} a \
         month (if every object is read at least monthly: nothing moves and the monitoring fee of {} is the cost) \
         and {} a month (if none is: all of it at the infrequent-access tier, {}/GB instead of {}/GB), for {} of \
         one-time transition requests. The finding counts the conservative end. To learn where the truth lies, {}.",
        view.info.name,
        gb(eligible.1),
        count(eligible.0),
        usd(low),
        usd(eligible.0 * p.monitoring_per_1000 / 1000.0),
        usd(high),
        price(p.infrequent),
        price(p.standard),
        usd(draft.one_time_cost_usd),
        learn
    );
    draft.recommended.0 =
        format!("INTELLIGENT_TIERING: saves {} to {} a month, by how the data is read", usd(low), usd(high));
    draft.savings_range = Some((low, high, format!("the share of the data read each month (unknown: {learn})")));
    draft.confidence = 0.3;
    draft.confidence_reasons = vec![
        "access is unknown: no request metrics".into(),
        "the saving is a range; the conservative end is counted".into(),
    ];
    draft
}

/// A bucket for Intelligent-Tiering in a region without prices: reported, unpriced.
fn unpriced(ctx: &RuleContext, view: &BucketView, (objects, bytes): (f64, f64), reason: &str) -> Draft {
    let scope = Scope { prefix: None, larger_than: Some(MIN_BILLABLE_BYTES as u64 - 1) };
    Draft {
        resource: view.info.resource(),
        current: (format!("STANDARD: {} in {} objects ≥ 128 KB", gb(bytes), count(objects)), None),
        recommended: ("INTELLIGENT_TIERING (cannot be priced)".into(), None),
        one_time_cost_usd: 0.0,
        unpriced_reason: Some(reason.to_string()),
        savings_range: None,
        confidence: 0.3,
        confidence_reasons: vec![
            format!("access is {}", view.access_class.as_str()),
            "no S3 prices for the bucket's region: the saving is unknown".into(),
        ],
        performance_risk: 0,
        migration_effort: MigrationEffort::VeryLow,
        evidence: Evidence {
            window_days: ctx.window_days(),
            datapoints: view.access_days() as u64,
            statistics: vec![stat("eligible (≥ 128 KB, current STANDARD)", bytes / GB, "GB")],
            thresholds: vec![Stat::new("cold: read share per month at most", COLD_SHARE, "ratio")],
            charts: view.storage.and_then(charts::storage_by_class).into_iter().collect(),
        },
        rationale: format!(
            "{}'s access is {}, which suits Intelligent-Tiering, but the price catalog has no S3 prices for {}: add \
             them under [pricing.overrides] (or refresh prices) to price the monitoring fee against the saving.",
            view.info.name,
            view.access_class.as_str(),
            view.info.region
        ),
        actions: actions(view.info, it_rule(view, &scope)),
    }
}

#[cfg(test)]
#[path = "intelligent_tiering_tests.rs"]
mod tests;

/// The Intelligent-Tiering lifecycle rule; versioned buckets without inventory move their
/// noncurrent versions too (CloudWatch's STANDARD bytes include them).
fn it_rule(view: &BucketView, scope: &Scope) -> Vec<serde_json::Value> {
    let noncurrent = (view.info.versioned() && !view.has_inventory()).then_some(1);
    transition_rule(scope, 0, "INTELLIGENT_TIERING", noncurrent).into_iter().collect()
}
