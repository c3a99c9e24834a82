# run_verify.sh - sourced by tests/run.sh: the tensor ops (verify_ops.py)
# and the optimizers, schedules and safetensors files (tests/ref/check_optim.py)
# against PyTorch.  Each "ok"/"FAIL" line of a script counts as one test.  Needs
# Debian's /usr/bin/python3 with torch and numpy (the python3 on PATH may
# be another one without them; $VX_VERIFY_PYTHON overrides) and
# libvxtensor.so from the same build.

# torch_suite TITLE SCRIPT: run SCRIPT --lib LIB and count its lines.
torch_suite() {
  local title=$1 script=$2
  local py=${VX_VERIFY_PYTHON:-/usr/bin/python3} lib=${VX_TENSOR_LIB:-$(dirname "$VX")/libvxtensor.so}
  if [ ! -x $py ] || ! $py -c 'import torch, numpy' >/dev/null 2>&1; then
    skip "$title: $py cannot import torch and numpy (tools/ensure-deps.sh all installs python3-torch python3-numpy)"
    return
  fi
  if [ ! -f "$lib" ]; then fail "$title" "  $lib not built (make $lib)"; return; fi
  # A sanitizer build of the library needs its runtime loaded first.
  local preload=
  local asan; asan=$(ldd "$lib" 2>/dev/null | awk '/libasan/ {print $3}')
  [ -n "$asan" ] && preload=$asan
  local rc=0
  LD_PRELOAD=$preload ASAN_OPTIONS=detect_leaks=0 timeout 300 $py "$script" --lib "$lib" \
    >"$tmp/verify" 2>&1 || rc=$?
  local n_ok n_bad
  n_ok=$(grep -c '^ok ' "$tmp/verify"); n_bad=$(grep -c '^FAIL ' "$tmp/verify")
  passed=$((passed + n_ok))
  if [ "$n_bad" -gt 0 ]; then
    failed=$((failed + n_bad))
    while read -r _ fam _; do failures+=("$title: $fam"); done < <(grep '^FAIL ' "$tmp/verify")
    grep -v '^ok ' "$tmp/verify" | head -60
  elif [ "$rc" -ne 0 ] || [ "$n_ok" -eq 0 ]; then
    fail "$title" "  $script exited $rc: $(tail -15 "$tmp/verify")"
  fi
}
torch_suite "tensor ops vs PyTorch" tests/tensor/verify_ops.py
torch_suite "optimizers vs torch.optim" tests/ref/check_optim.py
