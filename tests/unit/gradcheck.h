/* gradcheck.h - the finite-difference gradient checker shared by the C
 * unit tests: loss = sum(f(x) * w) for a fixed random w, its analytic
 * gradients (vx_backward) against central differences in f64. */
#ifndef VX_GRADCHECK_H
#define VX_GRADCHECK_H

#include "../../src/tensor/tensor.h"

/* The function under test: case k of the caller's table on inputs x. */
typedef VxTensor *(*GradFn)(int k, VxTensor **x);

/* Largest |numeric - analytic| / (1e-6 + |numeric|) over every element of
 * the nin inputs that require grad; INFINITY when f fails or is not
 * deterministic, NaN counts as the worst. */
double grad_error(GradFn f, int k, VxTensor **x, int nin);

/* An f64 leaf that requires grad: randn (positive: uniform in [0.5, 1.5]);
 * transposed: the transpose of a contiguous tensor (ndim >= 2), so the
 * leaf itself is non-contiguous. */
VxTensor *grad_leaf(const int64_t *shape, int ndim, bool positive, bool transposed, uint64_t seed);

#endif
