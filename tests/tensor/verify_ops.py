#!/usr/bin/python3
"""verify_ops.py - check every tensor op of libvxtensor.so against PyTorch.

    /usr/bin/python3 tests/tensor/verify_ops.py [--lib PATH] [--only FAMILY,..] [-v]

Each run draws a fresh random seed (printed; VX_VERIFY_SEED=N repeats a
run).  Prints one line per op family ("ok NAME  N cases" or "FAIL NAME ..."
followed by the failing cases), then a summary; exits 1 on any failure.
The selftest family feeds the harness deliberately wrong results and
passes only if the harness reports them.  See tests/tensor/README.md."""
import argparse
import os
import sys
import time
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import numpy as np  # noqa: E402
import torch  # noqa: E402

import vx  # noqa: E402
import harness  # noqa: E402
from harness import Case, Inp, Ctx, run_case, case_label  # noqa: E402
from vx import F64  # noqa: E402

torch.set_num_threads(1)   # the build machines are small; results must not depend on it


def selftest_cases():
    """Wrong results the harness must catch: a perturbed gradient (against
    torch and finite differences), a wrong composition, a wrong forward,
    and a leaked reference."""
    mul = lambda S, xs: S.call("mul", xs[0], xs[1])
    tmul = lambda xs: xs[0] * xs[1]
    leaked = []

    def leak(S, xs):
        out = S.call("exp", xs[0])
        leaked.append(S.lib.tensor_retain(out))       # one reference nobody releases
        return out

    return [
        Case("selftest", "mul with gradient x1.01", mul, tmul, [Inp([3, 4]), Inp([3, 4])],
             dtypes=(F64,), grad_hook=lambda g: g * 1.01, expect={"grad-torch", "grad-fd"}),
        Case("selftest", "x*x through detach (wrong composition)",
             lambda S, xs: S.call("mul", xs[0], S.call("detach", xs[0])), lambda xs: xs[0] * xs[0],
             [Inp([5])], dtypes=(F64,), gfn=False, expect={"grad-torch", "grad-fd"}),
        Case("selftest", "mul off by 1e-3", lambda S, xs: S.call("add_s", mul(S, xs), 1e-3), tmul,
             [Inp([3, 4]), Inp([4])], dtypes=(vx.F32, F64), expect={"forward"}),
        Case("selftest", "a leaked reference", leak, lambda xs: xs[0].exp(), [Inp([2, 2])],
             dtypes=(F64,), grad=False, expect={"leak"}),
    ], leaked


def all_cases(lib, seed):
    import ops_core
    import ops_misc
    import format_cases
    import ops_nn
    import ops_shape
    import ops_optim
    cases = ops_core.core_cases() + ops_misc.CASES + format_cases.CASES
    # (header, its signatures, its cases): a header whose functions are
    # not all exported gives one failing case naming them.
    for header, sigs, more in (("tensor_nn.h", ops_nn.NN_SIGS, ops_nn.cases),
                               ("tensor_shape.h", ops_shape.SHAPE_SIGS, lambda: ops_shape.cases(seed)),
                               ("tensor_optim.h", ops_optim.OPTIM_SIGS, lambda: ops_optim.cases(seed))):
        missing = lib.declare(sigs)
        if missing:
            cases.append(harness.custom(header.split(".")[0][7:] + "-exports", header + " functions in the library",
                                        (lambda h, m: lambda ctx, S, dt, fail: fail(
                                            "missing", "declared in %s, not exported: %s" % (h, ", ".join(m))))(header, missing)))
        else:
            cases += more()
    return cases


def run(lib, cases, seed, verbose):
    families = {}
    for case in cases:
        for dt in case.dtypes:
            label = case_label(case, dt)
            ctx = Ctx(lib, [seed, zlib.crc32(label.encode())])
            fails, msgs = run_case(ctx, case, dt)
            if case.expect:
                ok = case.expect <= fails
                msgs = [] if ok else ["expected the harness to report %s, it reported %s: %s"
                                      % (sorted(case.expect), sorted(fails) or "nothing", msgs)]
            else:
                ok = not fails
            fam = families.setdefault(case.family, [0, []])
            fam[0] += 1
            if not ok:
                fam[1].append((label, msgs))
            elif verbose:
                print("  ok %s" % label)
    return families


def report(families, verbose):
    nfail = 0
    width = max(len(f) for f in families)
    for fam, (n, bad) in families.items():
        if not bad:
            print("ok   %-*s %5d cases" % (width, fam, n))
            continue
        nfail += 1
        print("FAIL %-*s %5d of %d cases failed" % (width, fam, len(bad), n))
        for label, msgs in bad[: None if verbose else 25]:
            print("     %s" % label)
            for m in msgs:
                print("       " + m)
        if not verbose and len(bad) > 25:
            print("     ... %d more (-v shows all)" % (len(bad) - 25))
    return nfail


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lib", default=os.path.join(HERE, "..", "..", "build", "release", "libvxtensor.so"))
    ap.add_argument("--only", help="comma-separated families")
    ap.add_argument("-v", action="store_true", help="list every case")
    args = ap.parse_args()
    env = os.environ.get("VX_VERIFY_SEED")
    seed = int(env) if env else int.from_bytes(os.urandom(4), "little")
    print("verify_ops: seed %d (VX_VERIFY_SEED=%d reproduces this run), torch %s" % (seed, seed, torch.__version__))
    lib = vx.Lib(args.lib)
    t0 = time.time()
    sel, leaked = selftest_cases()
    cases = all_cases(lib, seed) + sel
    if args.only:
        keep = set(args.only.split(","))
        cases = [c for c in cases if c.family in keep]
    families = run(lib, cases, seed, args.v)
    for p in leaked:
        lib.tensor_release(p)
    nfail = report(families, args.v)
    ncases = sum(n for n, _ in families.values())
    nbad = sum(len(b) for _, b in families.values())
    st = harness.STATS
    print("verify_ops: %d families, %d failed; %d cases, %d failed (%d forward, %d gradient, "
          "%d finite-difference comparisons); seed %d; %.1fs"
          % (len(families), nfail, ncases, nbad, st["forward"], st["grad"], st["fd"], seed,
             time.time() - t0))
    return 1 if nfail else 0


if __name__ == "__main__":
    sys.exit(main())
