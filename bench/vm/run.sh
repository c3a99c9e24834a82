#!/usr/bin/env bash
# run.sh VORTEX - the VM benchmarks, each run side by side with the same
# program in Lua 5.4 and CPython 3 on this machine (best of 3 wall-clock
# runs each), plus startup (`vortex run` of an empty main).  Prints a
# Markdown table of times and ratios.  Outputs must agree across languages.
set -eu
vx=${1:?usage: run.sh VORTEX}
cd "$(dirname "$0")/../.."
command -v lua5.4 >/dev/null || bash tools/ensure-deps.sh all
best() {   # best of 3 wall-clock runs of "$@", in seconds
  local b=""
  for _ in 1 2 3; do
    local t0 t1; t0=$(date +%s%N); "$@" >/dev/null; t1=$(date +%s%N)
    local t=$(( (t1 - t0) / 1000 ))
    if [ -z "$b" ] || [ "$t" -lt "$b" ]; then b=$t; fi
  done
  awk -v us="$b" 'BEGIN { printf "%.3f", us / 1e6 }'
}
echo "| benchmark | Vortex | Lua 5.4 | CPython | Lua / Vortex | CPython / Vortex |"
echo "|---|---|---|---|---|---|"
for b in fib loop_int loop_float spectral_norm nbody binary_trees closures word_count sha256 string_build; do
  out_vx=$("$vx" run "bench/vm/$b.vx"); out_lua=$(lua5.4 "bench/vm/$b.lua"); out_py=$(python3 "bench/vm/$b.py")
  if [ "$out_vx" != "$out_py" ] || [ "${out_vx%%.*}" != "${out_lua%%.*}" ]; then
    echo "bench/vm: $b: outputs differ: vortex '$out_vx', lua '$out_lua', python '$out_py'" >&2; exit 1
  fi
  tv=$(best "$vx" run "bench/vm/$b.vx"); tl=$(best lua5.4 "bench/vm/$b.lua"); tp=$(best python3 "bench/vm/$b.py")
  awk -v b="$b" -v v="$tv" -v l="$tl" -v p="$tp" 'BEGIN {
    printf "| %s | %.3f s | %.3f s | %.3f s | %.2fx | %.1fx |\n", b, v, l, p, l / v, p / v }'
done
printf 'fn main() {}\n' > build/empty.vx
ts=$(best "$vx" run build/empty.vx); tl=$(best lua5.4 -e "")
awk -v v="$ts" -v l="$tl" 'BEGIN { printf "| startup (empty main) | %.1f ms | %.1f ms | | | |\n", v * 1000, l * 1000 }'
