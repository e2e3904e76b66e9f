//! CUR 2.0 line items → normalised billing lines (see `billing.rs`).
//!
//! Column semantics (AWS CUR user guide; WA Labs amortized cost, research §2.2–2.3):
//! - per-resource effective cost: `Usage` → `line_item_unblended_cost` (net when the
//!   export has `line_item_net_unblended_cost`, i.e. the account has a discount);
//!   `SavingsPlanCoveredUsage` → `savings_plan_savings_plan_effective_cost` (its unblended
//!   cost is the on-demand price); `DiscountedUsage` → `reservation_effective_cost`.
//!   `SavingsPlanNegation`, Savings Plan and RI fees, credits, refunds, tax and discount
//!   lines are not a resource's rate.
//! - list cost: `pricing_public_on_demand_cost`.
//! - spend (amortized, as Cost Explorer shows it): the same per line type, plus the
//!   unused part of commitments (`SavingsPlanRecurringFee`: total − used commitment;
//!   `RIFee`: unused amortized upfront + unused recurring), 0 for negations and upfront
//!   fees, the unblended cost for everything else.

use polars::prelude::*;

use super::billing::Columns;

fn is(kind: &str) -> Expr {
    col("line_item_line_item_type").eq(lit(kind.to_string()))
}

pub fn line_exprs(c: &Columns) -> Result<Vec<Expr>, String> {
    for required in [
        "line_item_line_item_type",
        "line_item_usage_account_id",
        "line_item_product_code",
        "line_item_usage_type",
        "line_item_unblended_cost",
        "pricing_public_on_demand_cost",
    ] {
        let _ = c.need(required)?;
    }
    let unblended = c.num_first(&["line_item_net_unblended_cost", "line_item_unblended_cost"]);
    let sp_effective =
        c.num_first(&["savings_plan_net_savings_plan_effective_cost", "savings_plan_savings_plan_effective_cost"]);
    let ri_effective = c.num_first(&["reservation_net_effective_cost", "reservation_effective_cost"]);
    let sp_unused = c.num("savings_plan_total_commitment_to_date") - c.num("savings_plan_used_commitment");
    let ri_unused = c.num_first(&[
        "reservation_net_unused_amortized_upfront_fee_for_billing_period",
        "reservation_unused_amortized_upfront_fee_for_billing_period",
    ]) + c.num_first(&["reservation_net_unused_recurring_fee", "reservation_unused_recurring_fee"]);
    let rate_kind = is("Usage").or(is("SavingsPlanCoveredUsage")).or(is("DiscountedUsage"));
    let effective = when(is("Usage"))
        .then(unblended.clone())
        .when(is("SavingsPlanCoveredUsage"))
        .then(sp_effective.clone())
        .when(is("DiscountedUsage"))
        .then(ri_effective.clone())
        .otherwise(lit(0.0));
    let amortized = when(is("SavingsPlanCoveredUsage"))
        .then(sp_effective)
        .when(is("SavingsPlanRecurringFee"))
        .then(sp_unused)
        .when(is("SavingsPlanNegation").or(is("SavingsPlanUpfrontFee")))
        .then(lit(0.0))
        .when(is("DiscountedUsage"))
        .then(ri_effective)
        .when(is("RIFee"))
        .then(ri_unused)
        .when(is("Fee").and(c.text("reservation_reservation_a_r_n").neq(lit(""))))
        .then(lit(0.0))
        .otherwise(unblended);
    // Spot usage (`…SpotUsage:…`) is told apart when the rates are read (pricing::rates).
    let usage_type = c.text("line_item_usage_type");
    let coverage = when(is("SavingsPlanCoveredUsage"))
        .then(lit("savings-plan"))
        .when(is("DiscountedUsage"))
        .then(lit("reservation"))
        .otherwise(lit("on-demand"));
    let resource = c.text("line_item_resource_id");
    let region = c.text("product_region_code");
    Ok(vec![
        c.text("line_item_usage_account_id").alias("account_id"),
        when(region.clone().eq(lit(""))).then(lit("global")).otherwise(region).alias("region"),
        c.text("line_item_product_code").alias("service"),
        usage_type.alias("usage_type"),
        c.text("line_item_operation").alias("operation"),
        when(resource.clone().eq(lit("")))
            .then(lit(NULL).cast(DataType::String))
            .otherwise(resource)
            .alias("resource_id"),
        when(rate_kind).then(lit("rate")).otherwise(lit("other")).alias("line_kind"),
        coverage.alias("coverage"),
        c.num("pricing_public_on_demand_cost").alias("list_cost_usd"),
        effective.alias("effective_cost_usd"),
        amortized.alias("amortized_cost_usd"),
        c.num("line_item_usage_amount").alias("usage_quantity"),
        c.text("pricing_unit").alias("usage_unit"),
    ])
}
