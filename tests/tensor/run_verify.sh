# run_verify.sh - sourced by tests/run.sh: the tensor ops against PyTorch.
# Each "ok"/"FAIL" family line of verify_ops.py counts as one test.  Needs
# Debian's /usr/bin/python3 with torch and numpy (the python3 on PATH may
# be another one without them; $VX_VERIFY_PYTHON overrides) and
# libvxtensor.so from the same build.
verify_tensor_ops() {
  local py=${VX_VERIFY_PYTHON:-/usr/bin/python3} lib=${VX_TENSOR_LIB:-$(dirname "$VX")/libvxtensor.so}
  if [ ! -x $py ] || ! $py -c 'import torch, numpy' >/dev/null 2>&1; then
    skip "tensor ops vs PyTorch: $py cannot import torch and numpy (tools/ensure-deps.sh all installs python3-torch python3-numpy)"
    return
  fi
  if [ ! -f "$lib" ]; then fail "tensor ops vs PyTorch" "  $lib not built (make $lib)"; return; fi
  # A sanitizer build of the library needs its runtime loaded first.
  local preload=
  local asan; asan=$(ldd "$lib" 2>/dev/null | awk '/libasan/ {print $3}')
  [ -n "$asan" ] && preload=$asan
  local rc=0
  LD_PRELOAD=$preload ASAN_OPTIONS=detect_leaks=0 timeout 300 $py tests/tensor/verify_ops.py --lib "$lib" \
    >"$tmp/verify" 2>&1 || rc=$?
  local n_ok n_bad
  n_ok=$(grep -c '^ok ' "$tmp/verify"); n_bad=$(grep -c '^FAIL ' "$tmp/verify")
  passed=$((passed + n_ok))
  if [ "$n_bad" -gt 0 ]; then
    failed=$((failed + n_bad))
    while read -r _ fam _; do failures+=("tensor ops: $fam"); done < <(grep '^FAIL ' "$tmp/verify")
    grep -v '^ok ' "$tmp/verify" | head -60
  elif [ "$rc" -ne 0 ] || [ "$n_ok" -eq 0 ]; then
    fail "tensor ops vs PyTorch" "  verify_ops.py exited $rc: $(tail -15 "$tmp/verify")"
  fi
}
verify_tensor_ops
