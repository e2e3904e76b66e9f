//! Turning a `s3.storage-class` plan into a finding: figures, evidence, rationale, actions.

use crate::money::usd;
use crate::report::{Evidence, MigrationEffort, Stat};
use crate::rules::RuleContext;
use crate::rules::draft::Draft;

use super::access::{AccessClass, COLD_SHARE};
use super::charts;
use super::classes::{Class, GB, KIB, MIN_BILLABLE_BYTES, StandardPrices};
use super::inventory::Cell;
use super::lifecycle::{Scope, actions, transition_rule};
use super::plan::{Economics, Plan, SizeCell, Usage, forced_storage_cost};
use super::storage_class::Settings;
use super::view::BucketView;

pub struct Assessment<'a> {
    pub view: &'a BucketView<'a>,
    pub std: StandardPrices,
    pub usage: Usage,
    pub plans: Vec<(Scope, Plan)>,
    /// Root-level keys that would qualify but no prefix filter can select: (objects, bytes).
    pub root_left_out: Option<(f64, f64)>,
    pub archive: bool,
    pub settings: &'a Settings,
    pub sizes: &'a [Cell],
    pub ages: &'a [Cell],
    pub window_days: f64,
}

struct Totals {
    moved_objects: f64,
    moved_bytes: f64,
    stay_objects: f64,
    stay_bytes: f64,
    saving: f64,
    one_time: f64,
    before: f64,
    after: f64,
    retrieval: f64,
    requests: f64,
    early: f64,
}

fn totals(plans: &[(Scope, Plan)]) -> Totals {
    let mut t = Totals {
        moved_objects: 0.0,
        moved_bytes: 0.0,
        stay_objects: 0.0,
        stay_bytes: 0.0,
        saving: 0.0,
        one_time: 0.0,
        before: 0.0,
        after: 0.0,
        retrieval: 0.0,
        requests: 0.0,
        early: 0.0,
    };
    for (_, p) in plans {
        t.moved_objects += p.moved_objects;
        t.moved_bytes += p.moved_bytes;
        t.stay_objects += p.stay_objects;
        t.stay_bytes += p.stay_bytes;
        t.saving += p.monthly_saving;
        t.one_time += p.one_time;
        t.before += p.breakdown.storage_before;
        t.after += p.breakdown.storage_after;
        t.retrieval += p.breakdown.retrieval;
        t.requests += p.breakdown.requests;
        t.early += p.breakdown.early_deletion;
    }
    t
}

pub fn count(n: f64) -> String {
    let digits = format!("{:.0}", n.max(0.0));
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

pub fn gb(bytes: f64) -> String {
    format!("{} GB", count_1dp(bytes / GB))
}

fn count_1dp(v: f64) -> String {
    let whole = count(v.trunc());
    format!("{whole}.{}", ((v.fract() * 10.0).round() as i64).clamp(0, 9))
}

/// A statistic rounded for reading: 4 significant digits below 1, cents above, no −0.
pub fn stat(name: impl Into<String>, value: f64, unit: &str) -> Stat {
    let v = value + 0.0;
    let rounded = if !v.is_finite() || v == 0.0 {
        0.0
    } else if v.abs() >= 1.0 {
        (v * 100.0).round() / 100.0
    } else {
        let scale = 10f64.powi(3 - v.abs().log10().floor() as i32);
        (v * scale).round() / scale
    };
    Stat::new(name, rounded + 0.0, unit)
}

/// A count statistic (objects, requests), whole.
pub fn count_stat(name: impl Into<String>, value: f64, unit: &str) -> Stat {
    Stat::new(name, value.round() + 0.0, unit)
}

/// A unit price with the digits it needs: `$0.0125`, `$0.023`.
pub fn price(v: f64) -> String {
    let text = format!("{v:.5}");
    format!("${}", text.trim_end_matches('0').trim_end_matches('.'))
}

pub fn size(bytes: f64) -> String {
    if bytes >= 1024.0 * KIB { format!("{:.1} MiB", bytes / (1024.0 * KIB)) } else { format!("{:.0} KiB", bytes / KIB) }
}

fn pct(x: f64) -> String {
    format!("{:.1} %", x * 100.0)
}

fn access_sentence(a: &Assessment) -> String {
    let v = a.view;
    match v.access_class {
        AccessClass::Unknown => format!(
            "{} has no request metrics, so its reads are unknown; it is tagged as an archive ({}), so reads are assumed rare",
            v.info.name, a.settings.archive_tag
        ),
        _ => format!(
            "{} is cold: over {} days of request metrics it read {} a month ({} of the {} stored) in {} GETs ({} of its {} objects)",
            v.info.name,
            v.access_days(),
            gb(a.usage.bytes_read_month),
            pct(a.usage.read_per_byte()),
            gb(v.stored_bytes),
            count(a.usage.gets_month),
            pct(a.usage.gets_per_object()),
            count(a.usage.objects)
        ),
    }
}

pub fn finding(a: &Assessment) -> Draft {
    let v = a.view;
    let t = totals(&a.plans);
    let days = a.settings.transition_days.ceil() as u32;
    let current = v.standard_bytes / GB * a.std.storage;
    let classes: Vec<&str> = {
        let mut c: Vec<&str> = a.plans.iter().map(|(_, p)| p.class.as_str()).collect();
        c.dedup();
        c
    };
    let target = classes.join(" / ");
    let break_even = a.plans.iter().map(|(_, p)| p.break_even_bytes).fold(f64::INFINITY, f64::min);
    let scope_text = if a.plans.len() == 1 && a.plans[0].0.prefix.is_none() {
        "the whole bucket".to_string()
    } else {
        a.plans
            .iter()
            .map(|(s, p)| format!("{} → {}", s.prefix.as_deref().unwrap_or(""), p.class.as_str()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut rationale = format!(
        "{}. Moving {} in {} objects of at least {} ({scope_text}) to {target} after {days} days cuts their storage from \
         {} to {} a month; retrieval ({}), request ({}) and early-deletion ({}) fees leave {} a month saved, for {} of \
         one-time transition requests. {target} is the cheapest class within the {} h retrieval SLA{} over a {}-month horizon.",
        access_sentence(a),
        gb(t.moved_bytes),
        count(t.moved_objects),
        size(break_even),
        usd(t.before),
        usd(t.after),
        usd(t.retrieval),
        usd(t.requests),
        usd(t.early),
        usd(t.saving),
        usd(t.one_time),
        if a.archive { a.settings.archive_sla_hours } else { a.settings.sla_hours },
        if a.archive { " for archive-tagged buckets" } else { "" },
        a.settings.horizon,
    );
    if t.stay_objects > 0.0 {
        rationale.push_str(&format!(
            " {} objects ({}) are below the break-even size and stay in STANDARD.",
            count(t.stay_objects),
            gb(t.stay_bytes)
        ));
    }
    if let Some((n, b)) = a.root_left_out {
        rationale.push_str(&format!(
            " {} objects ({}) at the bucket root would qualify, but no prefix filter selects them alone: left out.",
            count(n),
            gb(b)
        ));
    }
    // CloudWatch's STANDARD bytes include noncurrent versions: without inventory the
    // plan counts them, so the rule moves them too (NoncurrentVersionTransitions).
    let noncurrent = (v.info.versioned() && !v.has_inventory()).then_some(days);
    let rules =
        a.plans.iter().filter_map(|(s, p)| transition_rule(s, days, p.class.as_str(), noncurrent).ok()).collect();
    rationale.push_str(&format!(
        " STANDARD is priced at {}/GB-month, the {} that the account's {:.1} TB of STANDARD in {} falls in{}.",
        price(a.std.storage),
        a.std.tier_name(),
        a.std.account_gb / 1024.0,
        v.info.region,
        if a.std.storage < a.std.first_tier {
            format!(" (the first-tier {} would overstate the saving)", price(a.std.first_tier))
        } else {
            String::new()
        }
    ));
    if noncurrent.is_some() {
        rationale.push_str(
            " The bucket is versioned and CloudWatch counts noncurrent versions with current ones, so the rule also \
             transitions noncurrent versions (NoncurrentVersionTransitions) after the same number of days.",
        );
    }
    let perf = a.plans.iter().map(|(_, p)| p.class.performance_risk()).max().unwrap_or(1);
    let (confidence, reasons) = confidence(a);
    Draft {
        resource: v.info.resource(),
        current: (
            format!(
                "STANDARD: {} in {} objects",
                gb(v.standard_bytes),
                count(v.objects.unwrap_or(0.0) * v.standard_bytes / v.stored_bytes.max(1.0))
            ),
            Some(current),
        ),
        recommended: (
            format!(
                "{target} after {days} days for {} in {} objects ≥ {}",
                gb(t.moved_bytes),
                count(t.moved_objects),
                size(break_even)
            ),
            Some(current - t.saving),
        ),
        one_time_cost_usd: t.one_time,
        unpriced_reason: None,
        savings_range: None,
        confidence,
        confidence_reasons: reasons,
        performance_risk: perf,
        migration_effort: MigrationEffort::Low,
        evidence: evidence(a, &t, break_even),
        rationale,
        actions: actions(v.info, rules),
    }
}

fn confidence(a: &Assessment) -> (f64, Vec<String>) {
    let v = a.view;
    let mut c: f64 = 0.85;
    let mut reasons = Vec::new();
    if v.access_class == AccessClass::Unknown {
        c -= 0.3;
        reasons.push("request metrics are not enabled: reads are assumed rare because of the archive tag".to_string());
    } else if v.access_days() < 7 {
        c -= 0.1;
        reasons.push(format!("only {} days of request metrics", v.access_days()));
    } else {
        reasons.push(format!("{} days of request metrics show cold access", v.access_days()));
    }
    if v.info.request_metrics_scope.as_deref() == Some("unknown") {
        c -= 0.1;
        reasons.push(
            "the request metrics were found in CloudWatch without their S3 configuration: if their filter covers only \
             part of the bucket, reads are understated"
                .into(),
        );
    }
    match v.coverage {
        None => {
            c -= 0.1;
            reasons.push("no inventory: object sizes are taken as the bucket's average".into());
        }
        Some(cov) if cov.scaled_noticeably() => {
            c -= 0.05;
            reasons.push(format!(
                "inventory covers {:.0} % of CloudWatch's bytes; its distribution is scaled",
                cov.share * 100.0
            ));
        }
        Some(_) => reasons.push("object sizes and ages from inventory".into()),
    }
    if v.info.lifecycle_rules > 0 {
        c -= 0.05;
        reasons.push("the bucket already has lifecycle rules: merge, do not replace".into());
    }
    if !v.has_inventory() {
        if v.info.versioned() {
            c -= 0.1;
            reasons.push(
                "versioned, no inventory: the split of current and noncurrent versions is unknown (both are moved; \
                 a noncurrent version's clock starts when it is replaced, so fewer may be old enough)"
                    .into(),
            );
        }
        if v.info.abort_multipart_days.is_none() {
            c -= 0.05;
            reasons.push(
                "no inventory and no AbortIncompleteMultipartUpload rule: CloudWatch's bytes may include parts of \
                 incomplete uploads, which no transition moves"
                    .into(),
            );
        }
    }
    (c, reasons)
}

fn evidence(a: &Assessment, t: &Totals, break_even: f64) -> Evidence {
    let v = a.view;
    let u = &a.usage;
    let mut statistics = vec![
        stat("STANDARD stored", v.standard_bytes / GB, "GB"),
        stat(format!("STANDARD price used ({})", a.std.tier_name()), a.std.storage, "USD/GB-month"),
        stat("account's STANDARD storage in the region", a.std.account_gb / 1024.0, "TB"),
        stat("bytes read per month ÷ bytes stored", u.read_per_byte(), "ratio"),
        stat("GETs per month per GB stored", u.gets_month / (v.stored_bytes / GB).max(1e-9), "GETs/GB"),
        count_stat("GETs per month", u.gets_month, "requests"),
        stat("moved", t.moved_bytes / GB, "GB"),
        count_stat("objects moved", t.moved_objects, "objects"),
        count_stat("objects below break-even (stay in STANDARD)", t.stay_objects, "objects"),
        stat("STANDARD bytes deleted per month", u.standard_deleted_month / GB, "GB"),
    ];
    if let Some(cov) = v.coverage {
        statistics.push(stat("inventory bytes ÷ CloudWatch bytes", cov.share, "ratio"));
    }
    let mut thresholds = vec![
        Stat::new("cold: read share per month at most", COLD_SHARE, "ratio"),
        stat("break-even object size", break_even / KIB, "KiB"),
        Stat::new("minimum billable object size", MIN_BILLABLE_BYTES / KIB, "KiB"),
        Stat::new("transition_age_days", a.settings.transition_days, "days"),
        Stat::new("horizon_months", a.settings.horizon, "months"),
    ];
    for (_, p) in &a.plans {
        thresholds.push(Stat::new(
            format!("{} minimum storage duration", p.class.as_str()),
            p.class.min_days(),
            "days",
        ));
    }
    let mut chart_list = Vec::new();
    chart_list.extend(v.storage.and_then(charts::storage_by_class));
    chart_list.extend(v.access.and_then(|acc| charts::reads_per_gb(acc, v.stored_bytes)));
    chart_list.extend(charts::size_histogram(a.sizes, "Object sizes (current STANDARD)"));
    chart_list.extend(charts::age_histogram(a.ages, "Object ages since last modified (current versions)"));
    Evidence {
        window_days: a.window_days,
        datapoints: (v.access_days() + v.storage.map(|s| s.days).unwrap_or(0)) as u64,
        statistics,
        thresholds,
        charts: chart_list,
    }
}

/// A cold bucket in a region without S3 prices: reported, unpriced.
pub fn unpriced_finding(ctx: &RuleContext, view: &BucketView, reason: &str) -> Draft {
    Draft {
        resource: view.info.resource(),
        current: (format!("STANDARD: {}", gb(view.standard_bytes)), None),
        recommended: ("a colder storage class (cannot be chosen without prices)".into(), None),
        one_time_cost_usd: 0.0,
        unpriced_reason: Some(reason.to_string()),
        savings_range: None,
        confidence: 0.3,
        confidence_reasons: vec!["no S3 prices for the bucket's region: the class cannot be chosen".into()],
        performance_risk: 1,
        migration_effort: MigrationEffort::Low,
        evidence: Evidence {
            window_days: ctx.window_days(),
            datapoints: view.access_days() as u64,
            statistics: vec![stat("STANDARD stored", view.standard_bytes / GB, "GB")],
            thresholds: vec![Stat::new("cold: read share per month at most", COLD_SHARE, "ratio")],
            charts: view.storage.and_then(charts::storage_by_class).into_iter().collect(),
        },
        rationale: format!(
            "{} ({}) is cold, but the price catalog has no S3 prices for {}: add them under [pricing.overrides] \
             (or refresh prices) to get a priced plan.",
            view.info.name, view.info.region, view.info.region
        ),
        actions: vec![],
    }
}

/// Why a cold bucket keeps its small objects in STANDARD, with the arithmetic.
pub fn small_objects_warning(view: &BucketView, cells: &[SizeCell], options: &[Economics]) -> Option<String> {
    let objects: f64 = cells.iter().map(|c| c.objects).sum();
    let small: Vec<SizeCell> = cells.iter().filter(|c| c.average() < MIN_BILLABLE_BYTES).copied().collect();
    let small_objects: f64 = small.iter().map(|c| c.objects).sum();
    if objects <= 0.0 || small_objects / objects < 0.5 {
        return None;
    }
    let bytes: f64 = small.iter().map(|c| c.bytes).sum();
    let std_price = options.first().map(|e| e.std.storage)?;
    let now = bytes / GB * std_price;
    let forced: Vec<String> = options
        .iter()
        .filter(|e| matches!(e.class.class, Class::StandardIa | Class::GlacierIr | Class::DeepArchive))
        .map(|e| format!("{} {}", e.class.class.as_str(), usd(forced_storage_cost(&small, e))))
        .collect();
    Some(format!(
        "{}: cold, but {} of its {} STANDARD objects average {} — below the 128 KB minimum billable size of \
         STANDARD_IA and GLACIER_IR (GLACIER and DEEP_ARCHIVE add 40 KB each): they cost {} a month in STANDARD and \
         would cost {} a month moved, so they stay (lifecycle rules skip objects under 128 KB by default). Bundle \
         small objects (tar/zip) to tier them.",
        view.info.name,
        count(small_objects),
        count(objects),
        size(bytes / small_objects.max(1.0)),
        usd(now),
        forced.join(", ")
    ))
}
