"""The PyTorch side of bench/tensor/train_step.sh.

    python3 bench/tensor/train_step_torch.py DIR --heads H --lr LR --warmup W [--threads N]

DIR is a `vortex run examples/train_transformer.vx --out=DIR` run: trains
tests/ref/train_transformer.py's twin of the model from the same initial
weights on the same batches, timing each step (forward + backward + clip +
AdamW step) with time.perf_counter, and prints `key value` lines: the best
and median ms/step of both sides (step 0 is the warm-up and not counted;
Vortex's come from losses.txt's ms column), torch's peak RSS (ru_maxrss,
KiB, the whole process) and the largest relative loss difference.  Exits 1
when a loss differs by more than --tol, since then the two did not time the
same computation.  Works with torch 1.13 and 2.x.
"""
import os
import resource
import statistics
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "ref"))
from train_transformer import load_run, run_args, step_lr, train_step  # noqa: E402


def best_median(ms):
    timed = ms[1:]  # step 0 warms caches and allocators up
    return min(timed), statistics.median(timed)


def main():
    ap = run_args()
    ap.add_argument("--threads", type=int, default=1)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)

    model, opt, batches, rows = load_run(a.dir, a.heads, a.lr, a.weight_decay)
    total = batches.shape[0]
    if total < 2 or len(rows) != total or len(rows[0]) < 4:
        sys.exit(f"FAIL: {a.dir}/losses.txt needs a step, loss, lr, ms row for each of >= 2 steps")
    ms, worst = [], 0.0
    for step in range(total):
        lr = step_lr(a.lr, step, a.warmup, total, rows[step][2])
        t0 = time.perf_counter()
        loss = train_step(model, opt, batches[step], lr)
        ms.append((time.perf_counter() - t0) * 1000)
        rel = abs(loss.item() - rows[step][1]) / abs(loss.item())
        worst = max(worst, rel)
        if rel > a.tol:
            sys.exit(f"FAIL: step {step}: vortex loss {rows[step][1]:.9g}, torch {loss.item():.9g} "
                     f"(relative difference {rel:.3g} > {a.tol:g}): not the same computation")
    vx_best, vx_median = best_median([r[3] for r in rows])
    torch_best, torch_median = best_median(ms)
    print(f"vx_best {vx_best:.1f}\nvx_median {vx_median:.1f}")
    print(f"torch_best {torch_best:.1f}\ntorch_median {torch_median:.1f}")
    print(f"torch_rss_kb {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}")
    print(f"loss_first {rows[0][1]:.6f}\nloss_last {rows[-1][1]:.6f}\nloss_max_rel {worst:.3g}")
    print(f"torch_version {torch.__version__}")


if __name__ == "__main__":
    main()
