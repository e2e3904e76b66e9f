#!/usr/bin/env bash
# End-to-end `tierwise report` time and peak memory on demo snapshots of several scales.
#   benches/report.sh [SCALES...]        (default: 1 10 100)
# Builds the release binary, writes each demo snapshot once (not timed), then times
# `report --snapshot DIR --format json` three times per scale with /usr/bin/time.
set -euo pipefail
cd "$(dirname "$0")/.."
scales=("${@:-1 10 100}")
[ $# -eq 0 ] && scales=(1 10 100)
cargo build --release --quiet
bin=target/release/tierwise
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf '%-6s %-10s %-12s %-12s %-10s\n' scale rows best_s median_s peak_MiB
for s in "${scales[@]}"; do
  dir="$work/demo-$s"
  "$bin" demo --out "$dir" --scale "$s" 2>"$work/demo.log"
  rows=$(sed -n 's/.* frames, \([0-9]*\) rows/\1/p' "$work/demo.log")
  times=(); peak=0
  for _ in 1 2 3; do
    /usr/bin/time -f '%e %M' -o "$work/t" "$bin" report --snapshot "$dir" --format json >/dev/null
    read -r t kb <"$work/t"
    times+=("$t"); [ "$kb" -gt "$peak" ] && peak=$kb
  done
  sorted=$(printf '%s\n' "${times[@]}" | sort -n)
  best=$(echo "$sorted" | head -1); median=$(echo "$sorted" | sed -n 2p)
  printf '%-6s %-10s %-12s %-12s %-10s\n' "$s" "$rows" "$best" "$median" "$((peak / 1024))"
done
