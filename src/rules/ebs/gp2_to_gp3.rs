//! `ebs.gp2-to-gp3`: gp2 volumes → gp3 at equal or better performance.

use polars::prelude::*;

use crate::report::{Action, Category, Evidence, MigrationEffort, Stat};
use crate::rules::draft::Draft;
use crate::rules::{Param, ParamValue, Rule, RuleContext, RuleError, RuleOutput};
use crate::snapshot::FrameName;

use super::volume::{fmt_usd, gp2_baseline, volumes};

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
        // DR hook (issue 13): the volumes of a DR workload's standby capacity are priced by
        // dr.tier with that capacity; an EBS finding on them would claim the same dollars.
        let standby = crate::rules::dr::standby_instances(ctx)?;
        let attached = crate::rules::columns::strs(&gp2, "attached_instance_id")?;
        for (i, v) in volumes(&gp2)?.into_iter().enumerate() {
            if let Some(workload) = attached[i].and_then(|id| standby.workload_of(id)) {
                out.warnings.push(format!(
                    "{}: gp2 volume of DR standby capacity (workload `{workload}`): left to dr.tier, which prices it",
                    v.id
                ));
                continue;
            }
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
                savings_range: None,
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
