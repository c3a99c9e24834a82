#!/usr/bin/env bash
# run.sh - the parse benchmark (the driver behind `make bench`).
#
#   bench/parse/run.sh BENCH_PARSE
#
# Generates a realistic 100,000-line program in Vortex, Lua and Python
# (bench/parse/gen_program.c: the same modules in each language), then times,
# side by side on this machine:
#   Vortex   lex, parse, lex+parse in-process   (BENCH_PARSE, best of RUNS)
#   Lua      `luac5.4 -p FILE` (parse + compile to bytecode, no output),
#            best of RUNS process runs less the best run on an empty file
#   Python   compile(src, FILE, "exec") in-process (parse + bytecode), and
#            ast.parse (parse to an AST only), best of RUNS
# and prints a table of lines/s and MB/s with the ratio of Vortex lex+parse
# to each.  Installs lua5.4 (Debian package) if luac5.4 is missing.
#
# Environment: BENCH_LINES (default 100000), BENCH_RUNS (default 10),
# BENCH_DIR (scratch folder; default: beside BENCH_PARSE).
set -euo pipefail

BENCH=${1:?usage: bench/parse/run.sh BENCH_PARSE}
[ -x "$BENCH" ] || { echo "run.sh: '$BENCH' is not an executable (make bench builds it)" >&2; exit 2; }
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
LINES=${BENCH_LINES:-100000}
RUNS=${BENCH_RUNS:-10}
DIR=${BENCH_DIR:-$(dirname "$BENCH")/bench_parse_data}
mkdir -p "$DIR"

# ---- tools the competitors need --------------------------------------------
install_pkgs() {
  echo "bench: installing missing packages: $*" >&2
  local SUDO=; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
need=()
command -v luac5.4 >/dev/null 2>&1 || need+=(lua5.4)
command -v python3 >/dev/null 2>&1 || need+=(python3)
[ ${#need[@]} -eq 0 ] || install_pkgs "${need[@]}"

# ---- the programs ---------------------------------------------------------------
CC=${CC:-cc}
GEN=$DIR/gen_program
if [ ! -x "$GEN" ] || [ "$ROOT/bench/parse/gen_program.c" -nt "$GEN" ]; then
  $CC -std=c11 -O2 -Wall -Wextra -Werror -o "$GEN" "$ROOT/bench/parse/gen_program.c"
fi
for lang in vx lua py; do "$GEN" $lang "$LINES" >"$DIR/program.$lang"; done
: >"$DIR/empty.lua"

# A second opinion on the Vortex program: the CLI must accept it too.
VX=$(dirname "$BENCH")/vortex
if [ -x "$VX" ]; then
  "$VX" parse --color=never "$DIR/program.vx" || { echo "bench: vortex parse rejected $DIR/program.vx" >&2; exit 1; }
fi

echo "bench: $(nproc) CPUs, $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1); best of $RUNS runs; one core (all three are single-threaded)"

# ---- Vortex ------------------------------------------------------------------------
vx_out=$("$BENCH" "$DIR/program.vx" "$RUNS") || { echo "$vx_out"; echo "bench: bench_parse failed" >&2; exit 1; }
echo "$vx_out" | grep -v '^RESULT'
result=$(echo "$vx_out" | sed -n 's/^RESULT //p')
val() { echo "$result" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
vx_lex=$(val lex_s) vx_parse=$(val parse_s) vx_both=$(val lex_parse_s)

# ---- Lua: best wall time of whole `luac5.4 -p` runs, less process start-up ----------
best_wall() {                        # best_wall CMD...: best seconds of RUNS runs
  local best=999999 i t0 t1 us
  for ((i = 0; i < RUNS; i++)); do
    t0=$EPOCHREALTIME; "$@" >/dev/null; t1=$EPOCHREALTIME
    us=$(( (${t1/./} - ${t0/./}) ))
    (( us < best )) && best=$us
  done
  awk -v us="$best" 'BEGIN { printf "%.6f", us / 1e6 }'
}
luac5.4 -p "$DIR/program.lua" || { echo "bench: luac5.4 rejected $DIR/program.lua" >&2; exit 1; }
lua_full=$(best_wall luac5.4 -p "$DIR/program.lua")
lua_empty=$(best_wall luac5.4 -p "$DIR/empty.lua")
lua_s=$(awk -v a="$lua_full" -v b="$lua_empty" 'BEGIN { printf "%.6f", a - b }')

# ---- Python: compile() and ast.parse in-process --------------------------------------
py_out=$(python3 - "$DIR/program.py" "$RUNS" <<'EOF'
import ast, sys, time
path, runs = sys.argv[1], int(sys.argv[2])
src = open(path, encoding="utf-8").read()
def best(f):
    b = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter(); f(); t1 = time.perf_counter()
        b = min(b, t1 - t0)
    return b
print("%.6f %.6f %s" % (best(lambda: compile(src, path, "exec")),
                        best(lambda: ast.parse(src, path)),
                        sys.version.split()[0]))
EOF
) || { echo "bench: python3 failed on $DIR/program.py" >&2; exit 1; }
read -r py_compile py_ast py_ver <<<"$py_out"

# ---- the table --------------------------------------------------------------------------
bytes() { wc -c <"$1" | tr -d ' '; }
vx_bytes=$(bytes "$DIR/program.vx") lua_bytes=$(bytes "$DIR/program.lua") py_bytes=$(bytes "$DIR/program.py")
lua_ver=$(luac5.4 -v 2>&1 | awk '{ print $2 }')
echo
echo "Parsing $LINES lines (best of $RUNS runs):"
{
  printf '%s\t%s\t%s\n' "Vortex lex" "$vx_lex" "$vx_bytes"
  printf '%s\t%s\t%s\n' "Vortex parse (tokens -> AST)" "$vx_parse" "$vx_bytes"
  printf '%s\t%s\t%s\n' "Vortex lex+parse" "$vx_both" "$vx_bytes"
  printf '%s\t%s\t%s\n' "Lua $lua_ver \`luac5.4 -p\`" "$lua_s" "$lua_bytes"
  printf '%s\t%s\t%s\n' "Python $py_ver \`compile()\`" "$py_compile" "$py_bytes"
  printf '%s\t%s\t%s\n' "Python $py_ver \`ast.parse()\`" "$py_ast" "$py_bytes"
} | awk -F'\t' -v lines="$LINES" -v ref="$vx_both" '
  BEGIN {
    printf "| %-30s | %8s | %9s | %7s | %16s |\n", "parser", "ms", "M lines/s", "MB/s", "time vs Vortex"
    printf "|%s|%s|%s|%s|%s|\n", "--------------------------------", "---------:", "----------:", "--------:", "-----------------:"
  }
  { printf "| %-30s | %8.1f | %9.2f | %7.1f | %15.2fx |\n", $1, $2 * 1e3, lines / $2 / 1e6, $3 / $2 / 1e6, $2 / ref }'
echo "(time vs Vortex: time over Vortex lex+parse time = how many times more lines/s Vortex parses; the competitors also emit bytecode. luac: $lua_full s per run less $lua_empty s start-up.)"
awk -v l="$LINES" -v s="$vx_both" 'BEGIN { r = l / s; printf "bench: Vortex lex+parse %.2f M lines/s on one core (target: over 1 M lines/s) - %s\n", r / 1e6, (r > 1e6 ? "OK" : "BELOW TARGET") }'
