//! The evidence of a DR finding: the strategy ladder (each strategy's achievable RPO and
//! RTO against the targets, and its monthly cost), the figures behind it, and the
//! assumptions applied.

use crate::report::{Chart, Evidence, Rung, Stat};

use super::bill::Bill;
use super::footprint::Footprint;
use super::model::Plan;
use super::posture::Current;
use super::settings::Assumptions;

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

pub fn ladder(name: &str, current: &Current, plans: &[Plan], rpo_target: f64, rto_target: f64) -> Chart {
    let mut rungs = Vec::new();
    if let (Some(rpo), Some(rto)) = (current.rpo_min, current.rto_min) {
        rungs.push(Rung {
            label: format!("now: {}", current.strategy.map(|s| s.short()).unwrap_or("no DR copy")),
            monthly_cost_usd: current.bill.total().map(round2),
            rpo_min: rpo,
            rto_min: round2(rto),
            meets_target: rpo <= rpo_target && rto <= rto_target,
            current: true,
        });
    }
    for p in plans {
        rungs.push(Rung {
            label: p.strategy.short().to_string(),
            monthly_cost_usd: p.bill.total().map(round2),
            rpo_min: round2(p.rpo_min),
            rto_min: round2(p.rto_min),
            meets_target: p.meets(rpo_target, rto_target),
            current: false,
        });
    }
    Chart::Ladder {
        title: format!("DR strategies for {name}"),
        rungs,
        target_rpo_min: rpo_target,
        target_rto_min: rto_target,
    }
}

fn money_stats(out: &mut Vec<Stat>, label: &str, bill: &Bill) {
    match bill.total() {
        Some(t) => out.push(Stat::new(format!("{label}: monthly cost"), round2(t), "USD/month")),
        None => {
            out.push(Stat::new(
                format!("{label}: priced part (some lines unpriced)"),
                round2(bill.priced_part()),
                "USD/month",
            ));
        }
    }
}

pub fn evidence(
    window_days: f64,
    fp: &Footprint,
    current: &Current,
    plans: &[Plan],
    a: &Assumptions,
    rpo_target: f64,
    rto_target: f64,
) -> Evidence {
    let mut statistics = vec![
        Stat::new("target RPO", rpo_target, "min"),
        Stat::new("target RTO", rto_target, "min"),
        Stat::new("data to protect", round2(fp.data_gib()), "GiB"),
        Stat::new("data stores", fp.stores.len() as f64, "stores"),
        Stat::new("primary compute", round2(fp.primary_vcpus()), "vCPU"),
        Stat::new("running in the recovery region", round2(current.standby_share * 100.0), "% of primary vCPUs"),
    ];
    if let (Some(rpo), Some(rto)) = (current.rpo_min, current.rto_min) {
        statistics.push(Stat::new("current achievable RPO", round2(rpo), "min"));
        statistics.push(Stat::new("current achievable RTO", round2(rto), "min"));
    }
    money_stats(&mut statistics, &format!("now ({})", current.label()), &current.bill);
    for p in plans {
        money_stats(&mut statistics, p.strategy.label(), &p.bill);
    }
    let thresholds = vec![
        Stat::new("restore throughput", a.restore_gib_per_hour, "GiB/hour"),
        Stat::new("provisioning from nothing", a.provision_min, "min"),
        Stat::new("pilot light start", a.pilot_light_start_min, "min"),
        Stat::new("warm standby scale-out", a.warm_scale_out_min, "min"),
        Stat::new("failover (DNS, promotion)", a.failover_min, "min"),
        Stat::new("cross-region copy lag", a.copy_lag_min, "min"),
        Stat::new("backup retention", a.backup_retention_days, "days"),
        Stat::new("data changed per day", round2(a.daily_change * 100.0), "%"),
        Stat::new("S3 replication RPO without RTC", a.s3_crr_rpo_min, "min"),
        Stat::new("continuous replication RPO", a.replication_rpo_min, "min"),
        Stat::new("warm standby scale", round2(a.warm_standby_scale * 100.0), "% of each fleet"),
        Stat::new("full serving copy from", round2(a.active_active_min * 100.0), "% of primary vCPUs"),
    ];
    Evidence {
        window_days,
        datapoints: (fp.stores.len() + fp.compute.iter().map(|g| g.count).sum::<usize>()) as u64,
        statistics,
        thresholds,
        charts: vec![ladder(&fp.workload.name, current, plans, rpo_target, rto_target)],
    }
}
