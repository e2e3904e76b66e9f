#!/usr/bin/env bash
# Money-truth imports at scale, each side by side with DuckDB on the same files:
#  1. an AWS EC2 offer CSV at the real 91-column layout (default 2000 MB): tierwise's
#     streaming import vs DuckDB selecting the same paid rows;
#  2. a CUR 2.0 export of N line items (default 20,000,000) in AWS's layout:
#     tierwise's `--import` (Polars lazy scans → spend_monthly + effective_rates) vs the
#     same aggregation in DuckDB SQL (docs/pricing.md gives it).
#
#   benches/pricing.sh [OFFER_MB] [CUR_ROWS]
#
# Method as benches/s3_inventory.sh: data generated under a temp dir (not timed), then
# each engine timed with /usr/bin/time -f '%e %M' (wall seconds, peak RSS), best time of
# three alternating runs and largest peak, results checked equal. Targets: offer import
# ≤ 60 s and ≤ 1 GiB; CUR scan ≤ 10 s and ≤ 3 GiB. Needs python3; installs duckdb with
# pip if missing. TIERWISE_BENCH_DIR keeps the data somewhere else (default: mktemp).
set -euo pipefail
cd "$(dirname "$0")/.."
offer_mb=${1:-2000}
cur_rows=${2:-20000000}

python3 -c 'import duckdb' 2>/dev/null || python3 -m pip install --quiet duckdb
bin=$(cargo bench --no-run --bench pricing --message-format=json 2>/dev/null |
  python3 -c 'import json,sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("executable") and m.get("target", {}).get("name") == "pricing":
        print(m["executable"])')
[ -x "$bin" ] || { echo "pricing.sh: could not build the bench binary" >&2; exit 1; }

work=${TIERWISE_BENCH_DIR:-$(mktemp -d)}
mkdir -p "$work"
[ -z "${TIERWISE_BENCH_DIR:-}" ] && trap 'rm -rf "$work"' EXIT

cat >"$work/duckdb_offer.py" <<'PY'
import sys, duckdb
row = duckdb.connect().execute(f"""
SELECT count(*), sum(CAST(PricePerUnit AS DOUBLE))
FROM read_csv('{sys.argv[1]}', skip = 5, header = true, all_varchar = true)
WHERE TermType = 'OnDemand' AND Tenancy = 'Shared' AND CapacityStatus = 'Used'
  AND regexp_matches(usageType, '^([A-Z0-9]+-)?BoxUsage:') AND CAST(PricePerUnit AS DOUBLE) > 0
""").fetchone()
print(row[0], f"{row[1]:.6f}")
PY

cat >"$work/duckdb_cur.py" <<'PY'
import sys, duckdb
root = sys.argv[1]
con = duckdb.connect()
con.execute(f"""CREATE VIEW cur AS SELECT * FROM read_parquet('{root}/*/data/BILLING_PERIOD=*/*.parquet', hive_partitioning = true)""")
rates = con.execute("""
SELECT count(*), sum(effective), sum(list) FROM (
  SELECT BILLING_PERIOD, line_item_usage_account_id,
         CASE WHEN product_region_code = '' THEN 'global' ELSE product_region_code END AS region,
         line_item_product_code, line_item_usage_type, line_item_operation,
         nullif(line_item_resource_id, '') AS resource_id,
         CASE line_item_line_item_type WHEN 'SavingsPlanCoveredUsage' THEN 'savings-plan'
              WHEN 'DiscountedUsage' THEN 'reservation' ELSE 'on-demand' END AS coverage,
         sum(CASE line_item_line_item_type
               WHEN 'Usage' THEN line_item_unblended_cost
               WHEN 'SavingsPlanCoveredUsage' THEN savings_plan_savings_plan_effective_cost
               WHEN 'DiscountedUsage' THEN reservation_effective_cost ELSE 0 END) AS effective,
         sum(pricing_public_on_demand_cost) AS list
  FROM cur
  WHERE line_item_line_item_type IN ('Usage', 'SavingsPlanCoveredUsage', 'DiscountedUsage')
  GROUP BY ALL)
""").fetchone()
spend = con.execute("""
SELECT sum(CASE
  WHEN line_item_line_item_type = 'SavingsPlanCoveredUsage' THEN savings_plan_savings_plan_effective_cost
  WHEN line_item_line_item_type = 'SavingsPlanRecurringFee' THEN savings_plan_total_commitment_to_date - savings_plan_used_commitment
  WHEN line_item_line_item_type IN ('SavingsPlanNegation', 'SavingsPlanUpfrontFee') THEN 0
  WHEN line_item_line_item_type = 'DiscountedUsage' THEN reservation_effective_cost
  WHEN line_item_line_item_type = 'RIFee' THEN reservation_unused_amortized_upfront_fee_for_billing_period + reservation_unused_recurring_fee
  WHEN line_item_line_item_type = 'Fee' AND reservation_reservation_a_r_n <> '' THEN 0
  ELSE line_item_unblended_cost END) FROM cur
""").fetchone()
print(rates[0], f"{rates[1]:.2f}", f"{rates[2]:.2f}", f"{spend[0]:.2f}")
PY

cat >"$work/generate_cur.py" <<'PY'
import os, sys, duckdb
root, rows = sys.argv[1], int(sys.argv[2])
data = os.path.join(root, "bench-cur", "data", "BILLING_PERIOD=2026-10")
os.makedirs(data, exist_ok=True)
per_file = 2_000_000
con = duckdb.connect()
for f in range((rows + per_file - 1) // per_file):
    n = min(per_file, rows - f * per_file)
    con.execute(f"""COPY (
      -- A month of hourly lines: each of 30,000 resources has its own account, region,
      -- service and usage type (≈ 700 lines each, as a CUR's hourly granularity gives);
      -- one line in ten has no resource (requests, transfer, fees).
      WITH r AS (SELECT i + {f * per_file} AS i, hash(i + {f * per_file}) AS h,
                        hash(i + {f * per_file}) % 30000 AS res FROM range({n}) t(i))
      SELECT TIMESTAMP '2026-10-01' AS bill_billing_period_start_date,
             '123456789012' AS bill_payer_account_id,
             ['111111111111', '222222222222', '333333333333'][(res % 3)::INT + 1] AS line_item_usage_account_id,
             CASE WHEN h % 100 < 78 THEN 'Usage' WHEN h % 100 < 88 THEN 'SavingsPlanCoveredUsage'
                  WHEN h % 100 < 93 THEN 'SavingsPlanNegation' WHEN h % 100 < 96 THEN 'DiscountedUsage'
                  WHEN h % 100 < 97 THEN 'RIFee' WHEN h % 100 < 98 THEN 'SavingsPlanRecurringFee'
                  WHEN h % 100 < 99 THEN 'Tax' ELSE 'Credit' END AS line_item_line_item_type,
             ['AmazonEC2', 'AmazonEC2', 'AmazonEC2', 'AmazonS3', 'AmazonEC2', 'AmazonEC2'][(res % 6)::INT + 1] AS line_item_product_code,
             ['BoxUsage:m5.large', 'BoxUsage:c5.xlarge', 'EBS:VolumeUsage.gp3', 'TimedStorage-ByteHrs',
              'DataTransfer-Regional-Bytes', 'NatGateway-Hours'][(res % 6)::INT + 1] AS line_item_usage_type,
             'RunInstances' AS line_item_operation,
             CASE WHEN (h >> 24) % 10 = 0 THEN '' ELSE 'r-' || lpad(res::VARCHAR, 8, '0') END AS line_item_resource_id,
             1.0::DOUBLE AS line_item_usage_amount,
             (((h >> 32) % 1000) / 1000.0)::DOUBLE AS line_item_unblended_cost,
             (((h >> 32) % 1000) / 1000.0)::DOUBLE AS pricing_public_on_demand_cost,
             (((h >> 32) % 1000) / 1600.0)::DOUBLE AS savings_plan_savings_plan_effective_cost,
             (((h >> 40) % 100) / 10.0)::DOUBLE AS savings_plan_total_commitment_to_date,
             (((h >> 40) % 100) / 12.0)::DOUBLE AS savings_plan_used_commitment,
             (((h >> 32) % 1000) / 2000.0)::DOUBLE AS reservation_effective_cost,
             CASE WHEN h % 100 BETWEEN 93 AND 96 THEN 'arn:aws:ec2:us-east-1:123456789012:reserved-instances/r' ELSE '' END AS reservation_reservation_a_r_n,
             (((h >> 44) % 10) / 10.0)::DOUBLE AS reservation_unused_amortized_upfront_fee_for_billing_period,
             (((h >> 48) % 10) / 10.0)::DOUBLE AS reservation_unused_recurring_fee,
             MAP {{'region': 'us-east-1'}} AS product,
             ['us-east-1', 'ap-northeast-2', 'eu-west-1', ''][(res % 4)::INT + 1] AS product_region_code,
             'Hrs' AS pricing_unit
      FROM r) TO '{data}/bench-cur-{f + 1:05d}.snappy.parquet' (FORMAT PARQUET, COMPRESSION SNAPPY)""")
PY

best() { # command... ; sets best_s, peak_kb, output in $work/out
  best_s=999999; peak_kb=0
  for _ in 1 2 3; do
    /usr/bin/time -f '%e %M' -o "$work/t" "$@" >"$work/out" 2>/dev/null
    read -r s kb <"$work/t"
    best_s=$(python3 -c "print(min($best_s, $s))"); [ "$kb" -gt "$peak_kb" ] && peak_kb=$kb
  done
  return 0 # (the last run's peak may be below the largest: not a failure under set -e)
}

printf '%-22s %-10s %-11s %-12s %-10s %-11s %s\n' input size_MiB tierwise_s tierwise_MiB duckdb_s duckdb_MiB same_result

offer="$work/AmazonEC2-bench.csv"
[ -f "$offer" ] || "$bin" generate-offer "$offer" "$offer_mb"
mib=$(( $(stat -c %s "$offer") / 1048576 ))
best "$bin" import-offer "$offer"; tw_s=$best_s; tw_kb=$peak_kb; tw_out=$(cat "$work/out")
best python3 "$work/duckdb_offer.py" "$offer"; db_s=$best_s; db_kb=$peak_kb; db_out=$(cat "$work/out")
# tierwise: "<rows> rows <items> items <sum> checksum"; DuckDB: "<rows> <sum>".
same=$(python3 -c "
t='''$tw_out'''.split(); d='''$db_out'''.split()
print('yes' if t[2] == d[0] and abs(float(t[4]) - float(d[1])) < 1e-6 * max(1, abs(float(d[1]))) else 'NO: ' + ' '.join(t) + ' vs ' + ' '.join(d))")
printf '%-22s %-10s %-11s %-12s %-10s %-11s %s\n' "EC2 offer CSV" "$mib" "$tw_s" "$((tw_kb / 1024))" "$db_s" "$((db_kb / 1024))" "$same"
[ -z "${TIERWISE_BENCH_DIR:-}" ] && rm -f "$offer"

cur="$work/cur-$cur_rows"
[ -d "$cur" ] || python3 "$work/generate_cur.py" "$cur" "$cur_rows"
mib=$(( $(du -sk "$cur" | cut -f1) / 1024 ))
best "$bin" scan-cur "$cur"; tw_s=$best_s; tw_kb=$peak_kb; tw_out=$(cat "$work/out")
best python3 "$work/duckdb_cur.py" "$cur"; db_s=$best_s; db_kb=$peak_kb; db_out=$(cat "$work/out")
# tierwise: "<groups> rate_rows <eff> effective <list> list <spend> spend"; DuckDB: "<groups> <eff> <list> <spend>".
same=$(python3 -c "
t='''$tw_out'''.split(); d='''$db_out'''.split()
close = lambda a, b: abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(b))) + 0.011
print('yes' if t[0] == d[0] and close(t[2], d[1]) and close(t[4], d[2]) and close(t[6], d[3]) else 'NO: ' + ' '.join(t) + ' vs ' + ' '.join(d))")
printf '%-22s %-10s %-11s %-12s %-10s %-11s %s\n' "CUR 2.0, $cur_rows lines" "$mib" "$tw_s" "$((tw_kb / 1024))" "$db_s" "$((db_kb / 1024))" "$same"
