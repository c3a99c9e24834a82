#!/usr/bin/env bash
# run.sh VORTEX - time `vortex check` (parse + type check + monomorphize) on
# a generated, well-typed 100,000-line program.  Target: under 1 second.
set -eu
vx=${1:?usage: run.sh VORTEX}
out=build/bench; mkdir -p "$out"
prog="$out/types_100k.vx"
bash bench/types/gen.sh 100000 > "$prog"
lines=$(wc -l < "$prog")
"$vx" check "$prog" || { echo "bench/types: the generated program does not type-check"; exit 1; }
best=""
for i in 1 2 3 4 5; do
  t0=$(date +%s%N); "$vx" check "$prog"; t1=$(date +%s%N)
  t=$(( (t1 - t0) / 1000 ))                       # microseconds
  if [ -z "$best" ] || [ "$t" -lt "$best" ]; then best=$t; fi
done
rss="n/a"
if [ -x /usr/bin/time ]; then rss="$( { /usr/bin/time -f %M "$vx" check "$prog" >/dev/null; } 2>&1 | tail -1) KiB"; fi
awk -v n="$lines" -v us="$best" -v rss="$rss" 'BEGIN {
  s = us / 1e6
  printf "type check: %d lines in %.3f s (best of 5, whole process) = %.0f lines/s, peak RSS %s; target < 1 s: %s\n",
         n, s, n / s, rss, (s < 1 ? "met" : "MISSED") }'
