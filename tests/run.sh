#!/usr/bin/env bash
# run.sh - the test driver behind `make test`.
#
#   tests/run.sh [--update] VORTEX [UNIT_TESTS]
#
# Suites (each file is one test case):
#   tests/parse/*.vx    `vortex parse --dump` must succeed and print FILE.ast
#   tests/lex/*.vx      `vortex parse --tokens` must print FILE.tokens
#   tests/errors/*.vx   `vortex check` must fail with exit 1 and print FILE.err
#   tests/types/*.vx    with FILE.types: `vortex check --dump-types` succeeds and prints it;
#                       with FILE.err: `vortex check` fails with exit 1 and prints it
#   tests/run/*.vx      `vortex run` must exit 0 and print FILE.out (stderr empty)
#   tests/runtime_errors/*.vx  `vortex run` must exit 1 and print FILE.err on stderr
#                       (and FILE.out on stdout: what ran before the error)
#   examples/*.vx       must pass `vortex check`; with FILE.out, `vortex run`
#                       must print it
#   tests/cli/cases.sh  command-line behaviour (exit codes, messages)
#   UNIT_TESTS          C unit tests, one line per case
#   tests/tensor/verify_ops.py  every tensor op against PyTorch, one case per op
#                       family, on libvxtensor.so next to VORTEX (or $VX_TENSOR_LIB);
#                       skipped, with the reason, when /usr/bin/python3 lacks torch
#   tests/ref/check_optim.py  optimizers, schedules, clip_grad_norm, safetensors
#                       against torch.optim and the safetensors package, the same way
#   tests/ref/run_train.sh  examples/train_transformer.vx against tests/ref/train_transformer.py
#                       (losses of 50 steps within 1e-4), skipped likewise
# A first line `// flags: ...` in a .vx file adds command-line flags.
# --update rewrites the expected files from the current output (review the diff!).
# Ends with one line: "N passed, N failed" (", N skipped" when a suite could not run).
set -u
update=0
[ "${1:-}" = "--update" ] && { update=1; shift; }
VX=${1:?usage: run.sh [--update] VORTEX [UNIT_TESTS]}
UNIT=${2:-}
export VX
passed=0 failed=0 skipped=0
failures=()
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

pass() { passed=$((passed + 1)); }
skip() { skipped=$((skipped + 1)); echo "skip $1"; }
fail() { failed=$((failed + 1)); failures+=("$1"); printf 'FAIL %s\n%s\n' "$1" "${2:-}" | head -40; }

flags_of() { sed -n '1s|^// flags: *||p' "$1"; }

# run_golden FILE EXPECTED_RC EXPECTED_FILE STREAM(out|err) ARGS...
run_golden() {
  local file=$1 want_rc=$2 golden=$3 stream=$4; shift 4
  local rc=0
  timeout 20 "$VX" "$@" $(flags_of "$file") "$file" >"$tmp/out" 2>"$tmp/err" || rc=$?
  local got="$tmp/$stream"
  if [ $update = 1 ]; then cp "$got" "$golden"; fi
  if [ "$rc" -ne "$want_rc" ]; then
    fail "$file" "  exit code $rc, expected $want_rc; stderr:
$(head -20 "$tmp/err")"; return
  fi
  if [ "$stream" = out ] && [ -s "$tmp/err" ]; then fail "$file" "  unexpected diagnostics:
$(head -20 "$tmp/err")"; return; fi
  if [ ! -f "$golden" ]; then fail "$file" "  missing expected file $golden (run make update-golden)"; return; fi
  if ! diff -u "$golden" "$got" >"$tmp/diff"; then fail "$file" "$(head -30 "$tmp/diff")"; return; fi
  pass
}

shopt -s nullglob
for f in tests/parse/*.vx; do run_golden "$f" 0 "${f%.vx}.ast" out parse --dump; done
for f in tests/lex/*.vx; do run_golden "$f" 0 "${f%.vx}.tokens" out parse --tokens; done
for f in tests/errors/*.vx; do run_golden "$f" 1 "${f%.vx}.err" err check --color=never; done
for f in tests/run/*.vx; do run_golden "$f" 0 "${f%.vx}.out" out run; done
for f in tests/runtime_errors/*.vx; do
  run_golden "$f" 1 "${f%.vx}.err" err run --color=never
  if [ $update = 1 ]; then cp "$tmp/out" "${f%.vx}.out"
  elif ! diff -u "${f%.vx}.out" "$tmp/out" >/dev/null 2>&1; then fail "$f (stdout)" "$(diff -u "${f%.vx}.out" "$tmp/out" | head -20)"; fi
done
for f in tests/types/*.vx; do
  if [ -f "${f%.vx}.err" ]; then run_golden "$f" 1 "${f%.vx}.err" err check --color=never
  else run_golden "$f" 0 "${f%.vx}.types" out check --dump-types; fi
done

for f in examples/*.vx; do
  if timeout 20 "$VX" check --color=never "$f" >"$tmp/out" 2>&1; then pass
  else fail "$f" "$(head -20 "$tmp/out")"; fi
done
for f in examples/*.out; do            # examples the VM runs: their whole output
  run_golden "${f%.out}.vx" 0 "$f" out run --color=never
done

# Command-line cases: cli NAME EXPECTED_RC EXPECTED_TEXT ARGS...
cli() {
  local name=$1 want_rc=$2 want_text=$3; shift 3
  local rc=0
  timeout 20 "$VX" "$@" >"$tmp/out" 2>&1 </dev/null || rc=$?
  if [ "$rc" -ne "$want_rc" ]; then fail "cli: $name" "  exit $rc, expected $want_rc: $(head -5 "$tmp/out")"; return; fi
  if ! grep -qF -- "$want_text" "$tmp/out"; then fail "cli: $name" "  output lacks '$want_text':
$(head -10 "$tmp/out")"; return; fi
  pass
}
[ -f tests/cli/cases.sh ] && . tests/cli/cases.sh

if [ -n "$UNIT" ]; then
  "$UNIT" >"$tmp/unit" 2>&1; urc=$?
  n_ok=$(grep -c '^ok ' "$tmp/unit"); n_bad=$(grep -c '^FAIL ' "$tmp/unit")
  passed=$((passed + n_ok)); failed=$((failed + n_bad))
  grep '^FAIL ' "$tmp/unit" | while read -r line; do echo "$line"; done
  if [ "$urc" -ne 0 ] && [ "$n_bad" -eq 0 ]; then fail "unit tests" "  crashed (exit $urc): $(tail -5 "$tmp/unit")"; fi
fi

. tests/tensor/run_verify.sh
. tests/ref/run_train.sh

if [ $failed -gt 0 ]; then echo; echo "failed:"; printf '  %s\n' "${failures[@]}"; fi
if [ $skipped -gt 0 ]; then echo "$passed passed, $failed failed, $skipped skipped"
else echo "$passed passed, $failed failed"; fi
[ $failed -eq 0 ]
