#!/usr/bin/env bash
# valgrind.sh VORTEX - run every VM test program (tests/run, tests/runtime_errors,
# examples with expected output) under valgrind's memcheck: no invalid access
# and no leak, on normal exits and on runtime errors alike.  The test suite
# already checks the output; this checks the memory (VORTEX_MALLOC=1: every
# block from malloc, so valgrind sees each one; see src/vm/heap.h).  Ends with one line
# "N passed, N failed".
set -u
VX=${1:?usage: tests/valgrind.sh VORTEX}
command -v valgrind >/dev/null || bash "$(dirname "$0")/../tools/ensure-deps.sh" all
pass=0 failn=0
for f in tests/run/*.vx tests/runtime_errors/*.vx $(ls examples/*.out 2>/dev/null | sed 's/\.out$/.vx/'); do
  log=$(VORTEX_MALLOC=1 valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
        "$VX" run --color=never "$f" 2>&1 >/dev/null)
  if [ $? -eq 99 ]; then failn=$((failn + 1)); echo "FAIL (valgrind) $f"; echo "$log" | head -30
  else pass=$((pass + 1)); fi
done
echo "$pass passed, $failn failed"
[ $failn -eq 0 ]
