#!/usr/bin/env bash
# Runs scripts/load/run.sh once per call count and prints the table of docs/benchmarks.md.
#
#   scripts/load/sweep.sh [HOLD_S [CALLS...]]     defaults: 60 s; 1000 1500 2000 2500 3000
#
# Each run's files go to $SWEEP_OUT/calls-N (SWEEP_OUT defaults to a new /tmp directory);
# the environment of run.sh (ports, THREADS, RATE, ...) passes through.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
hold_s=${1:-60}
shift || true
counts=("$@")
(( ${#counts[@]} )) || counts=(1000 1500 2000 2500 3000)
sweep_out=${SWEEP_OUT:-$(mktemp -d /tmp/tutti-sweep.XXXXXX)}
mkdir -p "$sweep_out"
echo "sweep: ${counts[*]} calls, ${hold_s} s each, files in $sweep_out"
for n in "${counts[@]}"; do
  echo "=== $n calls ($(date -u +%H:%M:%S) UTC, load $(cut -d' ' -f1-3 /proc/loadavg))"
  OUT=$sweep_out/calls-$n "$here/run.sh" "$n" "$hold_s" > "$sweep_out/calls-$n.log" 2>&1
  echo "exit $?: $(tail -1 "$sweep_out/calls-$n.log")"
  sleep 5  # let the sockets of the last run close
done
echo
grep -h '^| calls' "$sweep_out"/calls-*.log | head -1
echo '|---|---|---|---|---|---|---|---|---|---|---|---|---|'
for n in "${counts[@]}"; do grep -h "^| $n |" "$sweep_out/calls-$n.log"; done
