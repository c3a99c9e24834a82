# run_train.sh - sourced by tests/run.sh: examples/train_transformer.vx
# against the same model in PyTorch (tests/ref/train_transformer.py), at a
# small configuration: the loss of each of the first 50 steps within 1e-4
# relative.  Two cases: the comparison passes, and it fails on a losses
# file with one loss moved by 1e-3 (so the check can fail).  Skipped, with
# the reason, when /usr/bin/python3 lacks torch ($VX_VERIFY_PYTHON overrides).
check_train_transformer() {
  local py=${VX_VERIFY_PYTHON:-/usr/bin/python3} dir="$tmp/train"
  if [ ! -x $py ] || ! $py -c 'import torch, numpy' >/dev/null 2>&1; then
    skip "train_transformer vs PyTorch: $py cannot import torch and numpy (tools/ensure-deps.sh all installs python3-torch python3-numpy)"
    return
  fi
  local cfg=(--d_model=64 --heads=4 --layers=2 --T=32 --batch=8 --steps=50 --lr=0.003 --warmup=5)
  mkdir -p "$dir"
  if ! timeout 120 "$VX" run examples/train_transformer.vx "${cfg[@]}" --dropout=0 --sample=0 --out="$dir" \
       >"$tmp/train.out" 2>&1; then
    fail "train_transformer (vortex)" "$(tail -15 "$tmp/train.out")"; return
  fi
  local ref=(tests/ref/train_transformer.py "$dir" --heads=4 --lr=0.003 --warmup=5 --steps=50)
  if timeout 120 $py "${ref[@]}" >"$tmp/train.ref" 2>&1 && grep -q '^ok ' "$tmp/train.ref"; then pass
  else fail "train_transformer vs PyTorch" "$(tail -15 "$tmp/train.ref")"; fi
  # The same check on a losses file with step 20's loss scaled by 1.001 must fail.
  awk 'NR == 22 { $2 = $2 * 1.001 } { print }' "$dir/losses.txt" >"$tmp/losses" && mv "$tmp/losses" "$dir/losses.txt"
  if timeout 120 $py "${ref[@]}" >"$tmp/train.ref" 2>&1; then
    fail "train_transformer vs PyTorch (a wrong loss must fail)" "$(tail -5 "$tmp/train.ref")"
  elif grep -q '^FAIL: step 20:' "$tmp/train.ref"; then pass
  else fail "train_transformer vs PyTorch (a wrong loss must fail)" "$(tail -5 "$tmp/train.ref")"; fi
}
check_train_transformer
