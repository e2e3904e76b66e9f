//! FOCUS 1.0 / 1.2 (AWS Data Exports `FOCUS_1_0_AWS`, `FOCUS_1_2_AWS`) → normalised
//! billing lines (see `billing.rs`).
//!
//! FOCUS semantics (spec; research §3): `EffectiveCost` includes every reduced rate and
//! discount plus amortized commitments, `ListCost` is the public price, and there are no
//! negation rows. A resource's rate: `ChargeCategory = 'Usage'` rows, minus unused
//! commitment (`CommitmentDiscountStatus = 'Unused'`); spend: `EffectiveCost` over every
//! row (purchases carry 0). FOCUS 1.2 has no `x_UsageType`: the SKU meter stands in,
//! and the operation (`x_Operation`) classifies the line.

use polars::prelude::*;

use super::billing::Columns;

pub fn line_exprs(c: &Columns) -> Result<Vec<Expr>, String> {
    for required in ["ChargeCategory", "EffectiveCost", "ListCost"] {
        let _ = c.need(required)?;
    }
    let account = if c.has("SubAccountId") { c.text("SubAccountId") } else { c.text("BillingAccountId") };
    let service = if c.has("x_ServiceCode") { c.text("x_ServiceCode") } else { c.text("ServiceName") };
    let usage_type = if c.has("x_UsageType") { c.text("x_UsageType") } else { c.text("SkuMeter") };
    let status = c.text("CommitmentDiscountStatus");
    let commitment = c.text("CommitmentDiscountId");
    let kind = c.text("CommitmentDiscountType");
    let rate = c.text("ChargeCategory").eq(lit("Usage")).and(status.clone().neq(lit("Unused")));
    let coverage = when(commitment.neq(lit("")).and(status.eq(lit("Used"))))
        .then(
            when(kind.clone().str().starts_with(lit("Savings")))
                .then(lit("savings-plan"))
                .when(kind.str().starts_with(lit("Reserv")))
                .then(lit("reservation"))
                .otherwise(lit("commitment")),
        )
        .when(c.text("PricingCategory").eq(lit("Dynamic")))
        .then(lit("spot"))
        .otherwise(lit("on-demand"));
    let resource = c.text("ResourceId");
    let region = c.text("RegionId");
    Ok(vec![
        account.alias("account_id"),
        when(region.clone().eq(lit(""))).then(lit("global")).otherwise(region).alias("region"),
        service.alias("service"),
        usage_type.alias("usage_type"),
        c.text("x_Operation").alias("operation"),
        when(resource.clone().eq(lit("")))
            .then(lit(NULL).cast(DataType::String))
            .otherwise(resource)
            .alias("resource_id"),
        when(rate).then(lit("rate")).otherwise(lit("other")).alias("line_kind"),
        coverage.alias("coverage"),
        c.num("ListCost").alias("list_cost_usd"),
        c.num("EffectiveCost").alias("effective_cost_usd"),
        c.num("EffectiveCost").alias("amortized_cost_usd"),
        c.num("ConsumedQuantity").alias("usage_quantity"),
        c.text("ConsumedUnit").alias("usage_unit"),
    ])
}
