//! `ec2.schedule`: instances busy on a weekly schedule (office hours, batch windows)
//! and doing nothing outside it → stop them outside it. Saves the instance-hours they
//! are stopped; their EBS volumes stay billed.

use crate::money::usd;
use crate::pricing::HOURS_PER_MONTH;
use crate::report::{Action, Bucket, Category, Chart, Evidence, MigrationEffort, Stat};
use crate::rules::draft::Draft;
use crate::rules::{Param, Rule, RuleContext, RuleError, RuleOutput};
use crate::snapshot::FrameName;

use super::analysis::{Decision, Ec2Analysis, Fleet, Move, MoveKind};
use super::catalog::Catalog;
use super::drafting::describe;
use super::evidence::{idle_charts, round2};
use super::fleet::{Unit, UnitKind};
use super::off_hours::{HOURS_PER_WEEK, Schedule, at};
use super::settings::{IDLE_LOOKBACK_DAYS, Sizing};
use super::warning_log;

pub struct StopSchedule;

/// A unit whose decision is a schedule, with the type change it beat.
type Picked<'a> = (&'a Unit, &'a Schedule, Option<&'a (MoveKind, Move)>);

impl Rule for StopSchedule {
    fn id(&self) -> &'static str {
        "ec2.schedule"
    }
    fn title(&self) -> &'static str {
        "Stop EC2 instances outside the hours they are used"
    }
    fn category(&self) -> Category {
        Category::Rightsizing
    }
    fn needs(&self) -> &'static [FrameName] {
        &[FrameName::Ec2Instances, FrameName::Ec2MetricsHourly]
    }
    fn params(&self) -> &'static [Param] {
        &[]
    }
    fn method(&self) -> &'static str {
        "Each hour of the week (Monday 00:00 UTC to Sunday 23:00) is judged over every week the window holds it (at \
         least two): it is off when, in every one of those weeks, the hour's maximum CPU is at most \
         `schedule_off_cpu_pct` and its network in + out at most `schedule_off_network_mb`. Off hours count in runs \
         of at least `schedule_min_block_hours` (wrapping Sunday night into Monday); a schedule is proposed when \
         they add up to at least `schedule_min_off_hours` a week. Saving: the instance's on-demand price × the \
         share of the week stopped (its EBS volumes stay billed). An instance that is low on most days is idle \
         (ec2.idle), never scheduled; an instance or Auto Scaling group that can also be downsized gets whichever \
         of the two saves more, with the other shown as its alternative (the dollars are never counted twice). Not \
         for spot instances, EKS node groups (scale the workloads instead) or types with instance storage \
         (stopping loses it). Actions: Auto Scaling scheduled actions for groups; for instances, the Instance \
         Scheduler on AWS tag with the running periods to configure (UTC)."
    }

    fn evaluate(&self, ctx: &RuleContext) -> Result<RuleOutput, RuleError> {
        let analysis = Ec2Analysis::of(ctx)?;
        let fleet = &analysis.fleet;
        let catalog = Catalog::new(ctx.prices);
        let picked: Vec<Picked> = analysis
            .units()
            .filter_map(|(u, d)| match &d.decision {
                Decision::Schedule(s, alt) => Some((u, s, alt.as_ref())),
                _ => None,
            })
            .collect();
        let lookback_start_s = ctx.snapshot.manifest.window.end.timestamp() - IDLE_LOOKBACK_DAYS * 86_400;
        let mut warnings = warning_log();
        let mut findings = Vec::new();
        for (unit, schedule, alt) in picked {
            let first = unit.first(&fleet.instances);
            let basis = catalog.basis(first);
            let hourly = catalog.rank_price(&basis, &first.instance_type).filter(|_| basis.unpriced.is_none());
            if let Some(reason) = &basis.unpriced {
                warnings.push("unpriced findings", format!("{}: unpriced: {reason}", unit.id));
            }
            let mut draft = draft(ctx, fleet, &analysis.sizing, unit, schedule, alt, hourly);
            draft.unpriced_reason = basis.unpriced.clone();
            if let Some(h) = fleet.hourly.series(&first.id)? {
                draft.evidence.charts.extend(idle_charts(&h, lookback_start_s));
            }
            findings.push(draft.finish(self));
        }
        Ok(RuleOutput { findings, warnings: warnings.into_vec() })
    }
}

/// Off hours per day of the week, for the chart.
fn per_day(schedule: &Schedule) -> Chart {
    let mut hours = [0.0; 7];
    for &(start, len) in &schedule.runs {
        for slot in start..start + len {
            hours[((slot % HOURS_PER_WEEK) / 24) as usize] += 1.0;
        }
    }
    let days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    Chart::Histogram {
        title: "Hours stopped per day of the week (UTC)".into(),
        unit: "hours".into(),
        buckets: days.iter().zip(hours).map(|(d, h)| Bucket { label: d.to_string(), value: h }).collect(),
    }
}

fn draft(
    ctx: &RuleContext,
    fleet: &Fleet,
    sizing: &Sizing,
    unit: &Unit,
    schedule: &Schedule,
    alt: Option<&(MoveKind, Move)>,
    hourly: Option<f64>,
) -> Draft {
    let first = unit.first(&fleet.instances);
    let n = unit.size() as f64;
    let current = hourly.map(|h| n * h * HOURS_PER_MONTH);
    let recommended = current.map(|c| c * (1.0 - schedule.off_share()));
    let spec = ctx.prices.instance(&first.instance_type);
    let what = spec.map(|s| describe(s, unit.size(), &first.platform)).unwrap_or_else(|| first.instance_type.clone());
    let runs = schedule.describe_runs();
    let alternative = alt.map(|(kind, mv)| {
        let saved = hourly.map(|h| n * (h - mv.target.usd_hour) * HOURS_PER_MONTH);
        format!(
            " A type change to {} ({}) would save {} a month; the schedule saves more, so it is the finding and the \
             type change is not counted — once the schedule runs, re-run tierwise to size the busy hours.",
            mv.target.spec.instance_type,
            match kind {
                MoveKind::Rightsize => "ec2.rightsize",
                MoveKind::PreviousGeneration => "ec2.previous-generation",
                MoveKind::Graviton => "ec2.graviton",
            },
            saved.map(usd).unwrap_or_else(|| "an unpriced amount".into())
        )
    });
    let rationale = format!(
        "{name} ({what}) did nothing — maximum CPU ≤ {cpu} % and network ≤ {net} MB an hour — in the same {off} hours \
         of every week observed: {list}. It is busy the other {on} hours, so it is not idle. Stopping it outside \
         its busy hours ({share:.0} % of the week) saves that share of its on-demand cost: {saving}. Its EBS volumes \
         stay billed while stopped.{alt}",
        name = unit.name(&fleet.instances),
        cpu = sizing.schedule.off_cpu_pct,
        net = sizing.schedule.off_network_bytes / 1e6,
        off = schedule.off_hours,
        list = runs.join(", "),
        on = HOURS_PER_WEEK - schedule.off_hours,
        share = schedule.off_share() * 100.0,
        saving = match (current, recommended) {
            (Some(c), Some(r)) => format!("{} a month of {} ({} × {})", usd(c - r), usd(c), n, usd(c / n)),
            _ => "unpriced".into(),
        },
        alt = alternative.unwrap_or_default(),
    );
    let complete = schedule.observed_hours == HOURS_PER_WEEK;
    let mut reasons = vec![
        format!("the same {} hours were off in every week observed", schedule.off_hours),
        "a job that runs less than weekly (month-end batch, backups) would be missed: check before scheduling".into(),
    ];
    if !complete {
        reasons.push(format!(
            "only {} of the week's 168 hours were observed twice; the rest count as busy",
            schedule.observed_hours
        ));
    }
    Draft {
        resource: unit.resource(&fleet.instances),
        current: (format!("{what}, running 24/7"), current),
        recommended: (format!("stopped {} hours a week ({})", schedule.off_hours, runs.join(", ")), recommended),
        one_time_cost_usd: 0.0,
        unpriced_reason: None,
        savings_range: None,
        confidence: if complete { 0.8 } else { 0.65 },
        confidence_reasons: reasons,
        performance_risk: 1,
        migration_effort: MigrationEffort::Low,
        evidence: Evidence {
            window_days: ctx.window_days(),
            datapoints: fleet.member_usage(unit).filter_map(|(_, u)| u).map(|u| u.hours as u64).sum(),
            statistics: vec![
                Stat::new("hours off per week", schedule.off_hours as f64, "hours"),
                Stat::new("share of the week stopped", round2(schedule.off_share() * 100.0), "%"),
                Stat::new("hours of the week observed in ≥ 2 weeks", schedule.observed_hours as f64, "hours"),
                Stat::new("instances", n, "instances"),
                Stat::new("on-demand price per instance", hourly.unwrap_or(f64::NAN), "USD/hour"),
            ],
            thresholds: vec![
                Stat::new("an hour is off when its maximum CPU is at most", sizing.schedule.off_cpu_pct, "%"),
                Stat::new("…and its network in + out at most", sizing.schedule.off_network_bytes / 1e6, "MB"),
                Stat::new("shortest run of off hours counted", sizing.schedule.min_block_hours as f64, "hours"),
                Stat::new("least hours off per week for a schedule", sizing.schedule.min_off_hours, "hours"),
            ],
            charts: vec![per_day(schedule)],
        },
        rationale,
        actions: actions(unit, fleet, schedule),
    }
}

fn actions(unit: &Unit, fleet: &Fleet, schedule: &Schedule) -> Vec<Action> {
    let first = unit.first(&fleet.instances);
    let region = &first.region;
    match unit.kind {
        UnitKind::AutoScalingGroup => {
            let group = unit.group.as_deref().unwrap_or(&unit.id);
            let n = unit.size();
            let mut out = Vec::new();
            for (i, (stop, start)) in schedule.cron_pairs().into_iter().enumerate() {
                out.push(Action::new(
                    "aws-cli",
                    format!(
                        "aws autoscaling put-scheduled-update-group-action --region {region} --auto-scaling-group-name \
                         {group} --scheduled-action-name tierwise-stop-{i} --recurrence \"{stop}\" --min-size 0 \
                         --desired-capacity 0"
                    ),
                ));
                out.push(Action::new(
                    "aws-cli",
                    format!(
                        "aws autoscaling put-scheduled-update-group-action --region {region} --auto-scaling-group-name \
                         {group} --scheduled-action-name tierwise-start-{i} --recurrence \"{start}\" --min-size {n} \
                         --desired-capacity {n}"
                    ),
                ));
            }
            out.push(Action::new(
                "note",
                format!(
                    "Recurrences are UTC cron (minute hour day-of-month month day-of-week). Restore the group's own \
                     minimum in the start actions if it is not {n}."
                ),
            ));
            out
        }
        _ => vec![
            Action::new(
                "aws-cli",
                format!(
                    "aws ec2 create-tags --region {region} --resources {} --tags Key=Schedule,Value=tierwise-{}",
                    first.id, first.id
                ),
            ),
            Action::new(
                "note",
                format!(
                    "Deploy the Instance Scheduler on AWS and define the schedule `tierwise-{}` with these stop periods \
                     (UTC): {}. Running periods are the rest of the week, starting at {}.",
                    first.id,
                    schedule.describe_runs().join(", "),
                    schedule.runs.iter().map(|(s, l)| at(s + l)).collect::<Vec<_>>().join(", ")
                ),
            ),
        ],
    }
}
