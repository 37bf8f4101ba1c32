#!/usr/bin/env bash
# Runs every fuzz target for SECONDS (default 480) on its corpus, one after the other, niced; logs go to
# fuzz/logs/<target>.log and crashes to fuzz/artifacts/<target>/. Seed the corpora first (seed-corpus.sh).
set -u
cd "$(dirname "$0")"
seconds=${1:-480}
shift || true
targets=${*:-tmx delimited normalize sentences translit align}
mkdir -p logs
for t in $targets; do
  case $t in
    tmx | delimited) max_len=65536 ;;
    *) max_len=8192 ;;
  esac
  echo "== $t: ${seconds}s, max_len $max_len"
  nice -n 15 cargo +nightly fuzz run "$t" "corpus/$t" -- \
    -max_total_time="$seconds" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 >"logs/$t.log" 2>&1
  echo "   exit $?; $(grep -E '^stat::number_of_executed_units|^Done' "logs/$t.log" | tr '\n' ' ')"
done
