#!/usr/bin/env bash
# bench/tensor/train_step.sh - one training step of the Vortex-level
# transformer (examples/train_transformer.vx: std.nn, AdamW, clip_grad_norm)
# against its PyTorch twin (tests/ref/train_transformer.py) on the same
# initial weights and batches, same machine, same thread count.
# Prints a Markdown table: best and median ms/step (step 0 is a warm-up and
# not counted), the ratio, each process's peak RSS, and the losses, which
# must agree within 1e-4 relative (else it fails: the timing would not be
# of the same computation).
# Usage: bench/tensor/train_step.sh [path/to/vortex]  (default
# build/release/vortex, else `vortex` on PATH).  Environment:
# VX_BENCH_THREADS (1: OPENBLAS_NUM_THREADS and torch.set_num_threads),
# VX_BENCH_STEPS (10), VX_BENCH_PYTHON (the python3 with torch and numpy,
# default /usr/bin/python3).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
vx=${1:-build/release/vortex}
if [ -x "$vx" ]; then vx=$(cd "$(dirname "$vx")" && pwd)/$(basename "$vx")
elif command -v vortex >/dev/null; then vx=$(command -v vortex)
else echo "bench/tensor: no $vx and no vortex on PATH (make builds it)" >&2; exit 1; fi
threads=${VX_BENCH_THREADS:-1}
steps=${VX_BENCH_STEPS:-10}
py=${VX_BENCH_PYTHON:-/usr/bin/python3}
export OPENBLAS_NUM_THREADS=$threads OMP_NUM_THREADS=$threads MKL_NUM_THREADS=$threads
if ! "$py" -c 'import torch, numpy' 2>/dev/null; then
  echo "bench/tensor: $py lacks torch or numpy; install them (pip install torch numpy) to compare" >&2
  exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cfg=(--d_model=256 --heads=4 --layers=2 --T=128 --batch=16 --lr=0.003 --warmup=2)
cd "$root"  # the example finds its corpus from the repository root
# Vortex's peak RSS: the child's ru_maxrss, taken by the python3 at hand
# (portable where /usr/bin/time is missing).
"$py" -c 'import resource, subprocess, sys
rc = subprocess.call(sys.argv[2:], stdout=open(sys.argv[1], "w"), stderr=subprocess.STDOUT)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(rc)' "$tmp/vx.out" "$vx" run examples/train_transformer.vx "${cfg[@]}" --steps="$steps" \
  --every=1 --sample=0 --dropout=0 --out="$tmp" >"$tmp/vx_rss" ||
  { echo "bench/tensor: vortex failed:" >&2; tail -15 "$tmp/vx.out" >&2; exit 1; }
"$py" "$here/train_step_torch.py" "$tmp" --heads=4 --lr=0.003 --warmup=2 --threads="$threads" >"$tmp/torch" ||
  { echo "bench/tensor: the PyTorch twin failed" >&2; exit 1; }
val() { awk -v k="$1" '$1 == k { print $2 }' "$tmp/torch"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
vx_rss=$(cat "$tmp/vx_rss") torch_rss=$(val torch_rss_kb)

echo "### Training step, Vortex program vs PyTorch: $threads thread(s), $(date -u +%Y-%m-%d), $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')"
echo
echo "examples/train_transformer.vx ${cfg[*]} (forward + backward + clip + AdamW), $(grep -m1 '^model:' "$tmp/vx.out" | sed 's/^model: //');"
echo "$(grep -m1 '^corpus:' "$tmp/vx.out"); torch $(val torch_version); $((steps - 1)) timed steps after 1 warm-up"
echo
echo "| measure | vortex | torch | vortex / torch |"
echo "|---|---:|---:|---:|"
for k in best median; do
  a=$(val "vx_$k") b=$(val "torch_$k")
  echo "| $k ms/step | $a | $b | $(ratio "$a" "$b") |"
done
echo "| peak RSS, whole process (MB) | $((vx_rss / 1024)) | $((torch_rss / 1024)) | $(ratio "$vx_rss" "$torch_rss") |"
echo "| loss, step 0 -> $((steps - 1)) | $(val loss_first) -> $(val loss_last) | same within $(val loss_max_rel) (max rel) | - |"
