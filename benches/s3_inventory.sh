#!/usr/bin/env bash
# S3 Inventory analysis at scale: tierwise's import (streaming Polars) vs DuckDB, both
# computing the same per-bucket prefix × size × age × class histogram from the same
# Parquet inventory files, side by side in one run.
#
#   benches/s3_inventory.sh [ROWS...]        (default: 1000000 10000000 50000000)
#
# For each size: generate a Parquet inventory (manifest.json + 2M-row data files,
# written chunk by chunk) under a temp dir (not timed), then time each engine with
# /usr/bin/time -f '%e %M' (wall seconds, peak RSS; best time of three alternating
# runs, largest peak), check both found the same groups,
# objects, bytes and checksum, and print a table. Target at 50M: tierwise ≤ 1.5×
# DuckDB's time and ≤ 4 GiB peak. Needs python3; installs duckdb with pip if missing.
# Set TIERWISE_BENCH_DIR to keep the generated data somewhere else (default: mktemp).
#
# Measured on the 2-core, 24 GiB build machine (DuckDB 2.0.1, other jobs running):
#   rows   files MiB  tierwise s  peak MiB   duckdb s  peak MiB   ratio
#   1M        41        0.21        175        0.39      141       0.54
#   10M      419        2.01        718        1.79      263       1.12
#   50M     2098        9.10       1744        8.19      323       1.11
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(1000000 10000000 50000000)

if pgrep -f 'cargo build --release' >/dev/null; then
  echo "s3_inventory.sh: another release build is running; try again when it is done" >&2
  exit 3
fi
python3 -c 'import duckdb' 2>/dev/null || python3 -m pip install --quiet duckdb
bin=$(cargo bench --no-run --bench s3_inventory --message-format=json 2>/dev/null |
  python3 -c 'import json,sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("executable") and m.get("target", {}).get("name") == "s3_inventory":
        print(m["executable"])')
[ -x "$bin" ] || { echo "s3_inventory.sh: could not build the bench binary" >&2; exit 1; }

work=${TIERWISE_BENCH_DIR:-$(mktemp -d)}
mkdir -p "$work"
[ -z "${TIERWISE_BENCH_DIR:-}" ] && trap 'rm -rf "$work"' EXIT

cat >"$work/duckdb_histogram.py" <<'PY'
import sys, duckdb
data = sys.argv[1]
as_of = 1_761_872_400_000  # the inventory's creationTimestamp
con = duckdb.connect()
row = con.execute(f"""
WITH o AS (
  SELECT bucket,
         CASE WHEN strpos(key, '/') > 0 THEN left(key, strpos(key, '/')) ELSE '' END AS prefix,
         coalesce(storage_class, 'STANDARD') AS storage_class,
         coalesce(is_latest, true) AS is_latest,
         coalesce(size, 0) AS size,
         ({as_of} - epoch_ms(last_modified_date)) // 86400000 AS age
  FROM read_parquet('{data}/data/*.parquet')
  WHERE NOT coalesce(is_delete_marker, false)
), h AS (
  SELECT bucket, prefix, storage_class, is_latest,
         CASE WHEN size < 2 THEN 0 ELSE floor(log2(size))::BIGINT END AS size_bucket,
         CASE WHEN age < 7 THEN 0 WHEN age < 14 THEN 7 WHEN age < 30 THEN 14 WHEN age < 60 THEN 30
              WHEN age < 90 THEN 60 WHEN age < 180 THEN 90 WHEN age < 365 THEN 180 WHEN age < 730 THEN 365
              ELSE 730 END AS age_days_min,
         count(*) AS objects, sum(size) AS bytes
  FROM o GROUP BY ALL
)
SELECT count(*), sum(objects), sum(bytes), sum(objects * (size_bucket + 1) * (age_days_min + 1)) FROM h
""").fetchone()
print(*row)
PY

printf '%-11s %-10s %-11s %-12s %-10s %-11s %-9s %s\n' rows files_MiB tierwise_s tierwise_MiB duckdb_s duckdb_MiB ratio same_result
for n in "${sizes[@]}"; do
  dir="$work/inventory-$n"
  [ -f "$dir/manifest.json" ] || "$bin" generate "$dir" "$n"
  mib=$(( $(du -sk "$dir" | cut -f1) / 1024 ))
  # Three alternating runs of each (the machine is shared): best time, largest peak.
  tw_s=999999; tw_kb=0; db_s=999999; db_kb=0
  for _ in 1 2 3; do
    /usr/bin/time -f '%e %M' -o "$work/t-tw" "$bin" analyze "$dir" >"$work/out-tw" 2>/dev/null
    /usr/bin/time -f '%e %M' -o "$work/t-db" python3 "$work/duckdb_histogram.py" "$dir" >"$work/out-db"
    read -r s kb <"$work/t-tw"
    tw_s=$(python3 -c "print(min($tw_s, $s))"); [ "$kb" -gt "$tw_kb" ] && tw_kb=$kb
    read -r s kb <"$work/t-db"
    db_s=$(python3 -c "print(min($db_s, $s))"); [ "$kb" -gt "$db_kb" ] && db_kb=$kb
  done
  same=$([ "$(cat "$work/out-tw")" = "$(cat "$work/out-db")" ] && echo yes || echo "NO: $(cat "$work/out-tw") vs $(cat "$work/out-db")")
  ratio=$(python3 -c "print(f'{$tw_s / max($db_s, 0.01):.2f}')")
  printf '%-11s %-10s %-11s %-12s %-10s %-11s %-9s %s\n' "$n" "$mib" "$tw_s" "$((tw_kb / 1024))" "$db_s" "$((db_kb / 1024))" "$ratio" "$same"
  [ -z "${TIERWISE_BENCH_DIR:-}" ] && rm -rf "$dir"
done
