//! The run's shared reading of DR data: the inventory and the resolved workloads. It
//! depends on the snapshot only (no prices, no parameters), so the EC2 family can ask
//! for it too (`standby.rs`) and get the same membership the DR rule judges.

use std::sync::Arc;

use crate::rules::{RuleContext, RuleError};

use super::inventory::Inventory;
use super::workloads::{Resolution, resolve};

pub struct DrData {
    pub inventory: Inventory,
    pub resolution: Resolution,
}

impl DrData {
    pub fn of(ctx: &RuleContext) -> Result<Arc<DrData>, RuleError> {
        ctx.shared(|ctx| {
            let inventory = Inventory::read(ctx.snapshot)?;
            let resolution = resolve(&inventory);
            Ok(DrData { inventory, resolution })
        })
    }
}
