/* vectorise.h - the vectoriser settings of the files with hot f32 loops
 * (the CPU kernels through cpu.h, the optimizer, clip_grad_norm).
 * GCC vectorises only with the very cheap cost model at -O2, which
 * rejects loops needing an alias check or a scalar tail: the hot loops
 * need both.  no-trapping-math (clang's default) lets it turn selects
 * into blends; no kernel reads FP flags.  Include it after the system
 * headers: the pragma covers the rest of the file. */
#ifndef VX_VECTORISE_H
#define VX_VECTORISE_H

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("tree-vectorize", "vect-cost-model=dynamic", "no-trapping-math")
#endif

#endif
