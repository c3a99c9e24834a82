#!/usr/bin/env bash
# bench/tensor/run.sh - the tensor core (C API, CPU backend) against PyTorch
# CPU on this machine, both single-threaded (OPENBLAS_NUM_THREADS=1,
# torch.set_num_threads(1)); VX_BENCH_THREADS=N runs both with N threads.
# Prints Markdown tables: the transformer training step, GEMM GFLOP/s
# (vx_matmul and cblas_sgemm called directly vs torch) and softmax /
# layer_norm / cross_entropy throughput.
# Usage: bench/tensor/run.sh [path/to/bench_tensor]  (make bench builds it);
# VX_BENCH_PYTHON names the python3 that has torch (default /usr/bin/python3).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-build/release/bench_tensor}
threads=${VX_BENCH_THREADS:-1}
iters=${VX_BENCH_ITERS:-10}
py=${VX_BENCH_PYTHON:-/usr/bin/python3}
export OPENBLAS_NUM_THREADS=$threads OMP_NUM_THREADS=$threads MKL_NUM_THREADS=$threads VX_BENCH_THREADS=$threads
if ! "$py" -c 'import torch' 2>/dev/null; then
  echo "bench/tensor: $py has no torch; install it (pip install torch) to compare" >&2
  exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for mode in step gemm rows; do
  "$bin" "$mode" "$iters" >"$tmp/vx_$mode"
  "$py" "$here/bench_torch.py" "$mode" "$iters" >"$tmp/torch_$mode"
done
val() { awk -v k="$2" '$1 == k { print $2 }' "$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

echo "### Tensors (CPU): $threads thread(s), $(date -u +%Y-%m-%d), $(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo '?')"
echo
echo "Training step: 2-layer char transformer, d=256, T=128, batch 16, 4 heads, vocab 65 (forward + backward, best of $iters)"
echo
echo "| measure | vortex | torch | vortex / torch |"
echo "|---|---:|---:|---:|"
for k in step_ms_best step_ms_mean; do
  a=$(val "$tmp/vx_step" $k); b=$(val "$tmp/torch_step" $k)
  echo "| $k (ms) | $a | $b | $(ratio "$a" "$b") |"
done
a=$(val "$tmp/vx_step" step_rss_growth); b=$(val "$tmp/torch_step" step_rss_growth)
echo "| peak RSS growth (MB) | $((a / 1024)) | $((b / 1024)) | $(ratio "$a" "$b") |"
echo "| peak tensor bytes (MB, vx_tensor_mem_stats) | $(( $(val "$tmp/vx_step" step_peak_tensor_bytes) / 1048576 )) | - | - |"
echo "| peak held bytes (MB, tensors + storage cache) | $(( $(val "$tmp/vx_step" step_peak_held_bytes) / 1048576 )) | - | - |"
echo "| first-step loss | $(val "$tmp/vx_step" step_loss) | $(val "$tmp/torch_step" step_loss) | (random init differs) |"
echo
echo "GEMM (f32, GFLOP/s, m x k x n)"
echo
echo "| size | vx_matmul | cblas_sgemm | torch | vx / blas | vx / torch |"
echo "|---|---:|---:|---:|---:|---:|"
awk '$1 ~ /_vx$/ { sub(/^gemm_/, "", $1); sub(/_vx$/, "", $1); print $1 }' "$tmp/vx_gemm" | while read -r s; do
  a=$(val "$tmp/vx_gemm" "gemm_${s}_vx"); b=$(val "$tmp/vx_gemm" "gemm_${s}_blas"); c=$(val "$tmp/torch_gemm" "gemm_${s}_torch")
  echo "| $s | $a | $b | $c | $(ratio "$a" "$b") | $(ratio "$a" "$c") |"
done
echo
echo "Row ops on [8192, 512] f32 (GB/s of required traffic; higher is better)"
echo
echo "| op | vortex | torch | vortex / torch |"
echo "|---|---:|---:|---:|"
awk '{ print $1 }' "$tmp/vx_rows" | while read -r k; do
  a=$(val "$tmp/vx_rows" "$k"); b=$(val "$tmp/torch_rows" "$k")
  echo "| $k | $a | $b | $(ratio "$a" "$b") |"
done
