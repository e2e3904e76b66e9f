//! `ebs.unattached`: detached volumes → snapshot (standard or archive tier), then delete.

use polars::prelude::*;

use crate::report::{Action, Category, Evidence, MigrationEffort, Stat};
use crate::rules::draft::Draft;
use crate::rules::{Param, ParamValue, Rule, RuleContext, RuleError, RuleOutput};
use crate::snapshot::FrameName;

use super::volume::{fmt_usd, volume_monthly_cost, volumes};

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
            let priced = (|| -> Result<(f64, f64, bool), super::volume::CostError> {
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
                savings_range: None,
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
