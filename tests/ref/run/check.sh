#!/usr/bin/env bash
# check.sh - run every Python twin and compare with the expected output of its .vx program.
cd "$(dirname "$0")/../../.." || exit 1
fail=0
for py in tests/ref/run/[0-9]*.py; do
  out=tests/run/$(basename "${py%.py}").out
  if ! python3 "$py" | diff -q - "$out" >/dev/null; then echo "DIFFERS: $py"; fail=1; fi
done
[ $fail = 0 ] && echo "all twins agree"
exit $fail
