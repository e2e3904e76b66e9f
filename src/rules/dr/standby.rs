//! Which running EC2 instances are a DR workload's standby capacity: members (by tag,
//! declaration, or their Auto Scaling group) that run in the workload's recovery region.
//! The EC2 family asks for this set so that such capacity is never reported as idle or
//! resized by an EC2 rule — `dr.tier` prices it as part of the workload's strategy, and
//! one finding, not two, claims those instance-hours.

use std::collections::HashMap;
use std::sync::Arc;

use crate::rules::{RuleContext, RuleError};

use super::analysis::DrData;
use super::inventory::{Detail, Kind};

/// Standby instance id → workload name.
#[derive(Debug, Default)]
pub struct StandbySet {
    by_instance: HashMap<String, String>,
}

impl StandbySet {
    pub fn workload_of(&self, instance_id: &str) -> Option<&str> {
        self.by_instance.get(instance_id).map(String::as_str)
    }

    pub fn len(&self) -> usize {
        self.by_instance.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_instance.is_empty()
    }
}

/// The run's standby set (shared: computed once, from the snapshot only).
pub fn standby_instances(ctx: &RuleContext) -> Result<Arc<StandbySet>, RuleError> {
    let data = DrData::of(ctx)?;
    ctx.shared(|_| {
        let inv = &data.inventory;
        let mut by_instance = HashMap::new();
        for w in &data.resolution.workloads {
            let Some(dr) = w.recovery_region() else { continue };
            for &m in &w.members {
                let res = &inv.resources[m];
                if res.region != dr {
                    continue;
                }
                match (&res.kind, &res.detail) {
                    (Kind::Instance, Detail::Instance(_)) => {
                        by_instance.insert(res.id.clone(), w.name.clone());
                    }
                    (Kind::Group, Detail::Group(g)) => {
                        for id in &g.instance_ids {
                            by_instance.insert(id.clone(), w.name.clone());
                        }
                    }
                    _ => {}
                }
            }
        }
        Ok(StandbySet { by_instance })
    })
}
