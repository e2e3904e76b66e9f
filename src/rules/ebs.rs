//! EBS rules: `ebs.gp2-to-gp3` and `ebs.unattached`.

use polars::prelude::*;

use crate::pricing::PriceBook;
use crate::report::{Action, Category, Evidence, MigrationEffort, Resource, Stat};
use crate::snapshot::FrameName;

use super::columns::{i64s, millis, region_of_az, strs, tags};
use super::draft::Draft;
use super::{Param, ParamValue, Rule, RuleContext, RuleError, RuleOutput};

/// One EBS volume row, as the rules need it.
struct Volume<'a> {
    id: &'a str,
    account: &'a str,
    region: String,
    az: &'a str,
    kind: &'a str,
    size_gib: i64,
    iops: Option<i64>,
    throughput: Option<i64>,
    created_ms: Option<i64>,
    tags: std::collections::BTreeMap<String, String>,
}

fn volumes(df: &DataFrame) -> Result<Vec<Volume<'_>>, RuleError> {
    let ids = strs(df, "volume_id")?;
    let accounts = strs(df, "account_id")?;
    let regions = strs(df, "region")?;
    let azs = strs(df, "az")?;
    let kinds = strs(df, "volume_type")?;
    let sizes = i64s(df, "size_gib")?;
    let iops = i64s(df, "iops")?;
    let tput = i64s(df, "throughput_mibps")?;
    let created = millis(df, "create_time")?;
    let tag_json = strs(df, "tags")?;
    Ok((0..df.height())
        .map(|i| {
            let az = azs[i].unwrap_or_default();
            Volume {
                id: ids[i].unwrap_or_default(),
                account: accounts[i].unwrap_or_default(),
                region: regions[i].map(str::to_string).unwrap_or_else(|| region_of_az(az)),
                az,
                kind: kinds[i].unwrap_or_default(),
                size_gib: sizes[i].unwrap_or_default(),
                iops: iops[i],
                throughput: tput[i],
                created_ms: created[i],
                tags: tags(tag_json[i]),
            }
        })
        .collect())
}

impl Volume<'_> {
    fn resource(&self) -> Resource {
        Resource {
            arn_or_id: self.id.to_string(),
            kind: "ebs-volume".into(),
            account_id: self.account.to_string(),
            region: self.region.clone(),
            name: self.tags.get("Name").cloned().unwrap_or_else(|| self.id.to_string()),
            tags: self.tags.clone(),
        }
    }
}

/// Monthly cost of a volume as it is configured, from the price book.
fn volume_monthly_cost(prices: &PriceBook, v: &Volume) -> Result<f64, crate::pricing::PriceError> {
    let size = v.size_gib as f64;
    let storage = prices.usd(&v.region, &format!("ebs.{}.gb_month", v.kind))? * size;
    let extras = match v.kind {
        "gp3" => {
            let iops = (v.iops.unwrap_or(3000) - 3000).max(0) as f64;
            let tput = (v.throughput.unwrap_or(125) - 125).max(0) as f64;
            let iops_cost = if iops > 0.0 { iops * prices.usd(&v.region, "ebs.gp3.iops_month")? } else { 0.0 };
            let tput_cost =
                if tput > 0.0 { tput * prices.usd(&v.region, "ebs.gp3.throughput_mibps_month")? } else { 0.0 };
            iops_cost + tput_cost
        }
        "io1" | "io2" => v.iops.unwrap_or(0) as f64 * prices.usd(&v.region, &format!("ebs.{}.iops_month", v.kind))?,
        _ => 0.0,
    };
    Ok(storage + extras)
}

/// gp2 baseline performance: 3 IOPS/GiB (100 minimum, 16,000 maximum); throughput
/// 128 MiB/s up to 170 GiB, 250 MiB/s above.
pub fn gp2_baseline(size_gib: i64) -> (i64, i64) {
    let iops = (size_gib * 3).clamp(100, 16_000);
    let throughput = if size_gib <= 170 { 128 } else { 250 };
    (iops, throughput)
}

pub struct Gp2ToGp3;

impl Rule for Gp2ToGp3 {
    fn id(&self) -> &'static str {
        "ebs.gp2-to-gp3"
    }
    fn title(&self) -> &'static str {
        "Move gp2 volumes to gp3 at equal or better performance"
    }
    fn category(&self) -> Category {
        Category::StorageTiering
    }
    fn needs(&self) -> &'static [FrameName] {
        &[FrameName::EbsVolumes]
    }
    fn params(&self) -> &'static [Param] {
        const P: &[Param] = &[Param::new(
            "match_gp2_throughput",
            ParamValue::Bool(true),
            "",
            "provision gp3 throughput up to the gp2 volume's maximum (128 or 250 MiB/s) so nothing gets slower; \
             false prices gp3 at its 125 MiB/s baseline",
        )];
        P
    }
    fn method(&self) -> &'static str {
        "Every attached gp2 volume is priced as it is (size × gp2 GB-month) and as gp3 provisioned to match \
         the gp2 baseline: IOPS max(3,000, 3 × GiB) — the excess over 3,000 at the gp3 IOPS-month price — and \
         throughput up to the gp2 maximum (128 MiB/s ≤ 170 GiB, else 250), the excess over 125 MiB/s at the \
         gp3 MiB/s-month price. Unattached volumes are left to `ebs.unattached`. The change is online \
         (`aws ec2 modify-volume`), so effort is very low and there is no one-time cost."
    }

    fn evaluate(&self, ctx: &RuleContext) -> Result<RuleOutput, RuleError> {
        let gp2 = ctx
            .frame(FrameName::EbsVolumes)?
            .clone()
            .lazy()
            .filter(col("volume_type").eq(lit("gp2")).and(col("attached_instance_id").is_not_null()))
            .sort(["volume_id"], Default::default())
            .collect()?;
        let match_tput = ctx.params.flag("match_gp2_throughput");
        let mut out = RuleOutput::default();
        for v in volumes(&gp2)? {
            let (base_iops, gp2_tput) = gp2_baseline(v.size_gib);
            let target_iops = base_iops.max(3000);
            let target_tput = if match_tput { gp2_tput.max(125) } else { 125 };
            let priced = (|| -> Result<(f64, f64), crate::pricing::PriceError> {
                let size = v.size_gib as f64;
                let current = size * ctx.prices.usd(&v.region, "ebs.gp2.gb_month")?;
                let mut gp3 = size * ctx.prices.usd(&v.region, "ebs.gp3.gb_month")?;
                gp3 += (target_iops - 3000) as f64 * ctx.prices.usd(&v.region, "ebs.gp3.iops_month")?;
                gp3 += (target_tput - 125) as f64 * ctx.prices.usd(&v.region, "ebs.gp3.throughput_mibps_month")?;
                Ok((current, gp3))
            })();
            let (current, recommended, unpriced) = match priced {
                Ok((c, r)) => (Some(c), Some(r), None),
                Err(e) => {
                    out.warnings.push(format!("{}: unpriced: {e}", v.id));
                    (None, None, Some(e.to_string()))
                }
            };
            if let (Some(c), Some(r)) = (current, recommended)
                && c - r <= 0.0
            {
                continue;
            }
            let rationale = format!(
                "{id} is a {size} GiB gp2 volume in {region}: gp2 gives it {base_iops} IOPS (3 per GiB, 100 minimum) \
                 and up to {gp2_tput} MiB/s. gp3 includes 3,000 IOPS and 125 MiB/s in its lower GB-month price; \
                 provisioned at {target_iops} IOPS and {target_tput} MiB/s it is at least as fast. \
                 Cost now {c}/month, as gp3 {r}/month.",
                id = v.id,
                size = v.size_gib,
                region = v.region,
                c = fmt_usd(current),
                r = fmt_usd(recommended),
            );
            let mut cmd = format!("aws ec2 modify-volume --region {} --volume-id {} --volume-type gp3", v.region, v.id);
            if target_iops > 3000 {
                cmd.push_str(&format!(" --iops {target_iops}"));
            }
            if target_tput > 125 {
                cmd.push_str(&format!(" --throughput {target_tput}"));
            }
            let draft = Draft {
                resource: v.resource(),
                current: (format!("gp2, {} GiB ({base_iops} IOPS, ≤{gp2_tput} MiB/s)", v.size_gib), current),
                recommended: (format!("gp3, {} GiB, {target_iops} IOPS, {target_tput} MiB/s", v.size_gib), recommended),
                one_time_cost_usd: 0.0,
                unpriced_reason: unpriced,
                confidence: 0.95,
                confidence_reasons: vec![
                    "price difference follows from list prices alone".into(),
                    if match_tput {
                        "gp3 provisioned to the gp2 baseline: no performance loss".into()
                    } else {
                        "gp3 at its 125 MiB/s baseline: check the volume's peak throughput".into()
                    },
                ],
                performance_risk: if match_tput { 0 } else { 1 },
                migration_effort: MigrationEffort::VeryLow,
                evidence: Evidence {
                    window_days: ctx.window_days(),
                    datapoints: 1,
                    statistics: vec![
                        Stat::new("size", v.size_gib as f64, "GiB"),
                        Stat::new("gp2 baseline IOPS", base_iops as f64, "IOPS"),
                        Stat::new("gp2 max throughput", gp2_tput as f64, "MiB/s"),
                    ],
                    thresholds: vec![
                        Stat::new("gp3 included IOPS", 3000.0, "IOPS"),
                        Stat::new("gp3 included throughput", 125.0, "MiB/s"),
                    ],
                    charts: vec![],
                },
                rationale,
                actions: vec![Action::new("aws-cli", cmd)],
            };
            out.findings.push(draft.finish(self));
        }
        Ok(out)
    }
}

pub struct UnattachedVolume;

impl Rule for UnattachedVolume {
    fn id(&self) -> &'static str {
        "ebs.unattached"
    }
    fn title(&self) -> &'static str {
        "Snapshot and delete EBS volumes attached to nothing"
    }
    fn category(&self) -> Category {
        Category::Hygiene
    }
    fn needs(&self) -> &'static [FrameName] {
        &[FrameName::EbsVolumes]
    }
    fn params(&self) -> &'static [Param] {
        const P: &[Param] = &[
            Param::new(
                "min_age_days",
                ParamValue::Num(7.0),
                "days",
                "volumes created more recently than this are left alone (they may be mid-deployment)",
            ),
            Param::new(
                "keep_snapshot",
                ParamValue::Bool(true),
                "",
                "recommend a snapshot before deletion and price it (full size at the standard snapshot rate, an upper bound; \
                 the archive tier when the standard tier would cost as much as the volume)",
            ),
        ];
        P
    }
    fn method(&self) -> &'static str {
        "Volumes in state `available` (attached to no instance) cost their full storage and provisioned \
         IOPS/throughput price every month. Recommended: snapshot, then delete; the snapshot is priced at the \
         volume's full size × the standard snapshot GB-month rate (an upper bound: snapshots store only used \
         blocks). Confidence is lower when the volume's age is unknown."
    }

    fn evaluate(&self, ctx: &RuleContext) -> Result<RuleOutput, RuleError> {
        let df = ctx
            .frame(FrameName::EbsVolumes)?
            .clone()
            .lazy()
            .filter(col("state").eq(lit("available")))
            .sort(["volume_id"], Default::default())
            .collect()?;
        // Age as of when the snapshot was taken (the metric window ends at the last full hour).
        let now_ms = ctx.snapshot.manifest.created_at.timestamp_millis();
        let min_age = ctx.params.num("min_age_days");
        let keep_snapshot = ctx.params.flag("keep_snapshot");
        let mut out = RuleOutput::default();
        for v in volumes(&df)? {
            let age_days = v.created_ms.map(|c| (now_ms - c) as f64 / 86_400_000.0);
            if age_days.is_some_and(|a| a < min_age) {
                continue;
            }
            // The snapshot kept for safety goes to the archive tier when the standard
            // tier would cost as much as the volume itself (st1/sc1 are that cheap).
            let priced = (|| -> Result<(f64, f64, bool), crate::pricing::PriceError> {
                let current = volume_monthly_cost(ctx.prices, &v)?;
                if !keep_snapshot {
                    return Ok((current, 0.0, false));
                }
                let size = v.size_gib as f64;
                let standard = size * ctx.prices.usd(&v.region, "ebs.snapshot.standard.gb_month")?;
                if standard < current {
                    return Ok((current, standard, false));
                }
                let archive = size * ctx.prices.usd(&v.region, "ebs.snapshot.archive.gb_month")?;
                Ok((current, archive, true))
            })();
            let archive = matches!(priced, Ok((_, _, true)));
            let (current, recommended, unpriced) = match priced {
                Ok((c, r, _)) => (Some(c), Some(r), None),
                Err(e) => {
                    out.warnings.push(format!("{}: unpriced: {e}", v.id));
                    (None, None, Some(e.to_string()))
                }
            };
            let (confidence, age_reason) = match age_days {
                Some(a) => (0.9, format!("unattached, created {a:.0} days ago (≥ {min_age} days)")),
                None => (0.7, "unattached; creation time unknown, so it may be new".to_string()),
            };
            let mut actions = Vec::new();
            if keep_snapshot {
                actions.push(Action::new(
                    "aws-cli",
                    format!(
                        "aws ec2 create-snapshot --region {} --volume-id {} --description \"tierwise: before deleting unattached {}\"",
                        v.region, v.id, v.id
                    ),
                ));
            }
            if archive {
                actions.push(Action::new(
                    "aws-cli",
                    format!(
                        "# once the snapshot is completed (archive tier: 90-day minimum, restore takes hours)\n\
                         aws ec2 modify-snapshot-tier --region {} --storage-tier archive --snapshot-id <snapshot-id>",
                        v.region
                    ),
                ));
            }
            actions.push(Action::new(
                "aws-cli",
                format!("aws ec2 delete-volume --region {} --volume-id {}", v.region, v.id),
            ));
            let rationale = format!(
                "{id} ({kind}, {size} GiB in {az}) is attached to no instance and costs {c}/month. \
                 {snap}Deleting it saves {s}/month.",
                id = v.id,
                kind = v.kind,
                size = v.size_gib,
                az = v.az,
                c = fmt_usd(current),
                snap = if keep_snapshot {
                    format!("A snapshot kept for safety costs at most {}/month. ", fmt_usd(recommended))
                } else {
                    String::new()
                },
                s = fmt_usd(current.zip(recommended).map(|(c, r)| c - r)),
            );
            let draft = Draft {
                resource: v.resource(),
                current: (format!("{} {} GiB, unattached", v.kind, v.size_gib), current),
                recommended: (
                    match (keep_snapshot, archive) {
                        (true, false) => "snapshot, then delete".into(),
                        (true, true) => "snapshot to the archive tier, then delete".into(),
                        (false, _) => "delete".into(),
                    },
                    recommended,
                ),
                one_time_cost_usd: 0.0,
                unpriced_reason: unpriced,
                confidence,
                confidence_reasons: vec![age_reason],
                performance_risk: 0,
                migration_effort: MigrationEffort::Low,
                evidence: Evidence {
                    window_days: ctx.window_days(),
                    datapoints: 1,
                    statistics: age_days
                        .map(|a| vec![Stat::new("age", (a * 10.0).round() / 10.0, "days")])
                        .unwrap_or_default()
                        .into_iter()
                        .chain([Stat::new("size", v.size_gib as f64, "GiB")])
                        .collect(),
                    thresholds: vec![Stat::new("min_age_days", min_age, "days")],
                    charts: vec![],
                },
                rationale,
                actions,
            };
            out.findings.push(draft.finish(self));
        }
        Ok(out)
    }
}

fn fmt_usd(v: Option<f64>) -> String {
    v.map(crate::report::markdown::usd).unwrap_or_else(|| "(unpriced)".into())
}

#[cfg(test)]
#[path = "ebs_tests.rs"]
mod tests;
