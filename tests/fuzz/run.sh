#!/usr/bin/env bash
# run.sh - run the parser fuzzer for a fixed time (the driver behind `make fuzz`).
#
#   tests/fuzz/run.sh FUZZER SECONDS
#
# Seeds: examples/*.vx and every tests/**/*.vx (tests/fuzz/seeds/ holds
# hand-written edge cases), copied into build/fuzz/seeds/ afresh each run.
# New inputs accumulate in build/fuzz/corpus/ across runs (minimised when it
# passes 3000 files; delete it to start over).  Dictionary: tests/fuzz/vortex.dict (keywords, operators, literals).
# Findings (crash-*, leak-*, timeout-*, oom-*, slow-unit-*) go to
# build/fuzz/artifacts/; reproduce one with `FUZZER ARTIFACT`.
#
# Exits non-zero on any crash, sanitizer report, leak, timeout (>5 s per
# input) or OOM (>2048 MB), and ends with a one-line summary.
set -euo pipefail

FUZZER=${1:?usage: tests/fuzz/run.sh FUZZER SECONDS}
SECS=${2:?usage: tests/fuzz/run.sh FUZZER SECONDS}
case $SECS in ''|*[!0-9]*) echo "run.sh: SECONDS must be a whole number, got '$SECS'" >&2; exit 2 ;; esac
[ -x "$FUZZER" ] || { echo "run.sh: fuzzer '$FUZZER' is not an executable (build it with: make build/fuzz/fuzz_parse)" >&2; exit 2; }
FUZZER=$(cd "$(dirname "$FUZZER")" && pwd)/$(basename "$FUZZER")

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
WORK=${FUZZ_WORK:-build/fuzz}
SEEDS=$WORK/seeds CORPUS=$WORK/corpus ARTIFACTS=$WORK/artifacts LOG=$WORK/fuzz.log
mkdir -p "$CORPUS" "$ARTIFACTS"

# Seed corpus: a scratch copy, one file per source (path flattened into the name).
rm -rf "$SEEDS"; mkdir -p "$SEEDS"
nseeds=0
while IFS= read -r -d '' f; do
  cp "$f" "$SEEDS/$(printf '%s' "${f#./}" | tr '/' '_')"
  nseeds=$((nseeds + 1))
done < <(find examples tests -type f -name '*.vx' -print0 2>/dev/null)
ncorpus=$(find "$CORPUS" -type f | wc -l)

# libFuzzer never deletes from the corpus: past a few thousand files, keep
# only a minimal set with the same coverage (a merge runs each input once).
if [ "$ncorpus" -gt 3000 ]; then
  rm -rf "$CORPUS.min"; mkdir -p "$CORPUS.min"
  if "$FUZZER" -merge=1 -timeout=5 -rss_limit_mb=2048 -max_len=4096 "$CORPUS.min" "$CORPUS" >"$WORK/merge.log" 2>&1; then
    rm -rf "$CORPUS"; mv "$CORPUS.min" "$CORPUS"
    echo "fuzz: minimised the corpus from $ncorpus to $(find "$CORPUS" -type f | wc -l) inputs"
    ncorpus=$(find "$CORPUS" -type f | wc -l)
  else
    rm -rf "$CORPUS.min"; echo "fuzz: corpus minimisation failed (see $WORK/merge.log); fuzzing the whole corpus"
  fi
fi
echo "fuzz: $nseeds seed files, $ncorpus inputs in $CORPUS, running $(basename "$FUZZER") for ${SECS}s"

# Stale findings from an earlier run must not fail (or pass) this one.
before=$(mktemp); trap 'rm -f "$before"' EXIT
find "$ARTIFACTS" -type f | sort >"$before"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:symbolize=1:allocator_may_return_null=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

rc=0
"$FUZZER" "$CORPUS" "$SEEDS" \
  -dict=tests/fuzz/vortex.dict \
  -max_total_time="$SECS" -timeout=5 -rss_limit_mb=2048 -max_len=4096 \
  -artifact_prefix="$ARTIFACTS/" -print_final_stats=1 -detect_leaks=1 \
  -close_fd_mask=1 >"$LOG" 2>&1 || rc=$?

new=$(find "$ARTIFACTS" -type f | sort | comm -13 "$before" -)
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$LOG" | tail -1)
rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$LOG" | tail -1)
cov=$(grep -oE 'cov: [0-9]+' "$LOG" | tail -1 | grep -oE '[0-9]+' || true)
ft=$(grep -oE 'ft: [0-9]+' "$LOG" | tail -1 | grep -oE '[0-9]+' || true)
ncorpus=$(find "$CORPUS" -type f | wc -l)

if [ "$rc" -ne 0 ] || [ -n "$new" ]; then
  kind=crash
  grep -q 'ERROR: LeakSanitizer' "$LOG" && kind=leak
  grep -q 'ERROR: libFuzzer: timeout' "$LOG" && kind=timeout
  grep -qE 'ERROR: libFuzzer: (out-of-memory|malloc)' "$LOG" && kind=oom
  echo "---- last lines of $LOG ----"
  grep -nE 'ERROR|SUMMARY|runtime error|^    #[0-9]+ ' "$LOG" | head -60 || true
  for a in $new; do
    echo "---- reproducer $a ($(wc -c <"$a") bytes) ----"
    od -A x -t x1z -v "$a" | head -40
  done
  echo "fuzz: FAILED ($kind, exit $rc) after ${runs:-?} runs in ${SECS}s; reproducer: ${new:-none saved}; log: $LOG; replay: $FUZZER ${new%%$'\n'*}"
  exit 1
fi
echo "fuzz: OK - ${runs:-?} runs in ${SECS}s (${rate:-?} exec/s), cov ${cov:-?}, ft ${ft:-?}, corpus $ncorpus inputs, no crashes/leaks/timeouts/OOMs"
