#!/usr/bin/env bash
# VPC flow-log import at scale: tierwise's import (streamed scan over every core, each
# flow counted once, addresses named from kubectl and describe-* JSON) vs DuckDB reading
# the same gzip objects with read_csv and aggregating bytes by (source AZ, destination
# AZ) — egress records off NAT gateway interfaces, destination AZ by a range join of
# pkt-dstaddr on the subnets (the query of research §7.2) — side by side in one run.
#
#   benches/network_flows.sh [RECORDS...]        (default: 1000000 10000000 50000000)
#
# For each size: generate the synthetic VPC and its flow logs (gzip objects of 500,000
# records in AWS's S3 layout, custom v5 format with a header line) under a temp dir (not
# timed), then time each engine with /usr/bin/time -f '%e %M' (wall seconds, peak RSS;
# best time of three alternating runs, largest peak), check both found the same total and
# cross-AZ bytes between VPC-internal ends, and print a table. Target at 50M: tierwise
# ≤ 1.5× DuckDB's time and ≤ 2 GiB peak. Needs python3; installs duckdb with pip if
# missing. TIERWISE_BENCH_DIR keeps the generated data somewhere else (default: mktemp).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(1000000 10000000 50000000)

if pgrep -f 'cargo build --release' >/dev/null; then
  echo "network_flows.sh: another release build is running; try again when it is done" >&2
  exit 3
fi
python3 -c 'import duckdb' 2>/dev/null || python3 -m pip install --quiet duckdb
bin=$(cargo bench --no-run --bench network_flows --message-format=json 2>/dev/null |
  python3 -c 'import json,sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("executable") and m.get("target", {}).get("name") == "network_flows":
        print(m["executable"])')
[ -x "$bin" ] || { echo "network_flows.sh: could not build the bench binary" >&2; exit 1; }

work=${TIERWISE_BENCH_DIR:-$(mktemp -d)}
mkdir -p "$work"
[ -z "${TIERWISE_BENCH_DIR:-}" ] && trap 'rm -rf "$work"' EXIT

cat >"$work/duckdb_zones.py" <<'PY'
import sys, duckdb
d = sys.argv[1]
con = duckdb.connect()
con.execute("""CREATE MACRO ip4(ip) AS
    CAST(split_part(ip, '.', 1) AS UBIGINT) * 16777216 + CAST(split_part(ip, '.', 2) AS UBIGINT) * 65536
  + CAST(split_part(ip, '.', 3) AS UBIGINT) * 256 + CAST(split_part(ip, '.', 4) AS UBIGINT)""")
con.execute(f"""CREATE TABLE subnets AS
SELECT s.AvailabilityZoneId AS az_id, ip4(split_part(s.CidrBlock, '/', 1)) AS lo,
       ip4(split_part(s.CidrBlock, '/', 1)) + (1::UBIGINT << (32 - CAST(split_part(s.CidrBlock, '/', 2) AS INT))) - 1 AS hi
FROM (SELECT unnest(Subnets) AS s FROM read_json('{d}/describe-subnets.json'))""")
con.execute(f"""CREATE TABLE nat_enis AS SELECT a.NetworkInterfaceId AS eni FROM
(SELECT unnest(n.NatGatewayAddresses) AS a FROM (SELECT unnest(NatGateways) AS n FROM read_json('{d}/describe-nat-gateways.json')))""")
row = con.execute(f"""
SELECT sum(bytes), sum(CASE WHEN src_az <> dst_az THEN bytes ELSE 0 END) FROM (
  SELECT f."az-id" AS src_az, d.az_id AS dst_az, sum(f.bytes) AS bytes
  FROM read_csv('{d}/AWSLogs/*/vpcflowlogs/*/*/*/*/*.log.gz', delim = ' ', header = true, compression = 'gzip',
                nullstr = '-', types = {{'account-id': 'VARCHAR', 'bytes': 'UBIGINT', 'packets': 'UBIGINT',
                'start': 'BIGINT', 'end': 'BIGINT', 'traffic-path': 'INTEGER'}}) f
  JOIN subnets d ON ip4(f."pkt-dstaddr") BETWEEN d.lo AND d.hi
  WHERE f."log-status" = 'OK' AND f.action = 'ACCEPT' AND f."flow-direction" = 'egress'
    AND f."interface-id" NOT IN (SELECT eni FROM nat_enis)
  GROUP BY ALL)""").fetchone()
print(*row)
PY

printf '%-11s %-10s %-11s %-12s %-10s %-11s %-9s %s\n' records gz_MiB tierwise_s tierwise_MiB duckdb_s duckdb_MiB ratio same_result
for n in "${sizes[@]}"; do
  dir="$work/flows-$n"
  [ -f "$dir/bench.json" ] || "$bin" generate "$dir" "$n"
  mib=$(( $(du -sk "$dir/AWSLogs" | cut -f1) / 1024 ))
  tw_s=999999; tw_kb=0; db_s=999999; db_kb=0
  for _ in 1 2 3; do
    /usr/bin/time -f '%e %M' -o "$work/t-tw" "$bin" analyze "$dir" >"$work/out-tw" 2>/dev/null
    /usr/bin/time -f '%e %M' -o "$work/t-db" python3 "$work/duckdb_zones.py" "$dir" >"$work/out-db"
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
