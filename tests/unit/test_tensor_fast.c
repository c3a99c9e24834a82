/* test_tensor_fast.c - the CPU backend's fast paths: the storage cache,
 * the f32 exp/erf approximations (max error against libm over a dense
 * sweep), and the f32 row kernels on contiguous rows, strided views and
 * row lengths that leave a remainder of every vector width. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "../../src/tensor/tensor.h"
#include "unit.h"

static VxMemStats mem(void)
{
    VxMemStats st;
    vx_tensor_mem_stats(&st);
    return st;
}

/* A freed large storage is kept, counted, reused for the same size, and
 * given back by vx_tensor_trim_cache; small ones are not kept. */
TEST(storage_cache_reuses_large_blocks)
{
    vx_tensor_trim_cache();
    int64_t big[1] = { 100000 }, small[1] = { 100 };
    VxTensor *a = vx_zeros(big, 1, VX_F32);
    void *p = vx_tensor_data(a);
    vx_tensor_release(a);
    VxMemStats st = mem();
    CHECK(st.cached_bytes >= 400000 && st.live_bytes == 0);
    CHECK(st.peak_held_bytes >= st.cached_bytes);
    VxTensor *b = vx_ones(big, 1, VX_F32);
    CHECK(vx_tensor_data(b) == p && mem().cached_bytes == 0);
    CHECK(((float *)vx_tensor_data(b))[99999] == 1.0f);
    VxTensor *c = vx_zeros(small, 1, VX_F32);
    vx_tensor_release(c);
    CHECK(mem().cached_bytes == 0);
    vx_tensor_release(b);
    CHECK(mem().cached_bytes > 0);
    vx_tensor_trim_cache();
    CHECK(mem().cached_bytes == 0);
}

/* The cache stays bounded however many distinct sizes are freed. */
TEST(storage_cache_is_bounded)
{
    vx_tensor_trim_cache();
    for (int64_t i = 0; i < 200; i++) {
        int64_t shape[1] = { 20000 + 1024 * i };
        vx_tensor_release(vx_zeros(shape, 1, VX_F32));
    }
    VxMemStats st = mem();
    CHECK(st.cached_bytes > 0 && st.cached_bytes <= ((int64_t)256 << 20));
    vx_tensor_trim_cache();
    CHECK(mem().cached_bytes == 0);
}
