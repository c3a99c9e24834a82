/* test_optim.c - optimizers, clip_grad_norm and schedules against numbers
 * recorded from torch 1.13 (tests/ref/check_optim.py checks that they are
 * torch's and compares 50-step runs live), state files, argument errors. */
#include <math.h>
#include <stdlib.h>
#include <unistd.h>

#include "unit.h"
#include "../../src/tensor/tensor_optim.h"

/* recorded from torch 1.13 by tests/ref/check_optim.py --emit */
static const double want_sgd_nesterov[] = { -0.545552313, -0.282598197, -0.00561068952, 0.664346933, 0.704525292, -0.588818371, 0.558203518, 0.308908045, -0.00359024783 };
static const double want_adam[] = { -0.60955441, -0.249146968, 0.101648554, 0.528017938, 0.851044595, -0.61987114, 0.496478766, 0.262562335, 0.00531493966 };
static const double want_adamw_amsgrad[] = { -0.60648638, -0.247914299, 0.101098664, 0.525447249, 0.846743762, -0.616776526, 0.494999737, 0.26179114, 0.00530749839 };
static const double want_cosine[] = { 0, 0.25, 0.5, 0.45416407864998731, 0.2599999999999999, 0.020473585177214825, 0.02 };
static const double want_steplr[] = { 0.5, 0.5, 0.14999999999999999, 0.044999999999999998, 0.0135, 0.0040499999999999998 };
static const double want_clip[] = { 0.800390542, -0.234260336, 0, 0.234260336, -0.0780867785, 0.156173557, -0.156173557, -0.156173557, 0.0780867785, -0.234260336 };
/* end of recorded */

/* The inputs of check_optim.py's unit_inputs / unit_grad. */
static void make_params(VxTensor **p)
{
    double p0[6], p1[3];
    for (int i = 0; i < 6; i++) p0[i] = ((i % 5) - 2) * 0.375 + 0.125;
    for (int j = 0; j < 3; j++) p1[j] = 0.5 - 0.25 * j;
    p[0] = vx_tensor_from_f64(p0, (int64_t[]){ 2, 3 }, 2, VX_F32);
    p[1] = vx_tensor_from_f64(p1, (int64_t[]){ 3 }, 1, VX_F32);
    vx_tensor_set_requires_grad(p[0], true);
    vx_tensor_set_requires_grad(p[1], true);
}

static double unit_grad(int k, int i, int s) { return (((i * 3 + s * 5 + k) % 7) - 3) * 0.125; }

/* p.grad += g through a real backward of sum(p * g). */
static int add_grad(VxTensor *p, int k, int s)
{
    double g[6];
    int64_t n = vx_tensor_numel(p);
    for (int i = 0; i < n; i++) g[i] = unit_grad(k, i, s);
    VxTensor *gt = vx_tensor_from_f64(g, p->shape, p->ndim, p->dtype), *m = vx_mul(p, gt), *l = vx_sum(m, NULL, 0, false);
    int rc = vx_backward(l, NULL);
    vx_tensor_release(gt); vx_tensor_release(m); vx_tensor_release(l);
    return rc;
}

/* Steps [from, to) of the recorded run; parameter 1 has no gradient before step 2. */
static int run_steps(VxOptim *o, VxTensor **p, int from, int to)
{
    for (int s = from; s < to; s++) {
        if (vx_optim_zero_grad(o) < 0 || add_grad(p[0], 0, s) < 0 || (s >= 2 && add_grad(p[1], 1, s) < 0) || vx_optim_step(o) < 0) return -1;
    }
    return 0;
}

/* The 9 parameter values equal want (to 1e-6 relative, the brief's bar;
 * on x86-64 they are bit-identical). */
static bool params_are(VxTensor **p, const double *want, bool verbose)
{
    bool ok = true;
    for (int e = 0; e < 9; e++) {
        double v;
        VxTensor *t = p[e < 6 ? 0 : 1];
        int64_t idx[2] = { e < 6 ? e / 3 : e - 6, e % 3 };
        vx_tensor_get_f64(t, idx, &v);
        if (!(fabs(v - want[e]) <= 1e-6 * fabs(want[e]) + 1e-9)) { if (verbose) printf("  element %d: %.9g, torch %.9g\n", e, v, want[e]); ok = false; }
    }
    return ok;
}

static VxOptim *make_optim(int which, VxTensor **p)
{
    switch (which) {
    case 0: return vx_optim_sgd(p, 2, 0.1, 0.9, 0, true, 0.01);
    case 1: return vx_optim_adam(p, 2, 0.01, 0.9, 0.999, 1e-8, 0, false);
    default: return vx_optim_adamw(p, 2, 0.01, 0.9, 0.999, 1e-8, 0.1, true);
    }
}

static const double *const wants[3] = { want_sgd_nesterov, want_adam, want_adamw_amsgrad };

TEST(optim_five_steps_match_torch)
{
    for (int w = 0; w < 3; w++) {
        VxTensor *p[2];
        make_params(p);
        VxOptim *o = make_optim(w, p);
        CHECK(o && run_steps(o, p, 0, 5) == 0);
        CHECK(vx_optim_steps(o) == 5);
        CHECK(params_are(p, wants[w], true));
        vx_optim_release(o);
        vx_tensor_release(p[0]); vx_tensor_release(p[1]);
    }
    CHECK(vx_tensor_live_tensors() == 0);
}

/* A wrong formula must be caught: Adam's numbers are not SGD's. */
TEST(optim_check_can_fail)
{
    VxTensor *p[2];
    make_params(p);
    VxOptim *o = make_optim(0, p);
    CHECK(run_steps(o, p, 0, 5) == 0);
    CHECK(!params_are(p, want_adam, false));
    vx_optim_release(o);
    vx_tensor_release(p[0]); vx_tensor_release(p[1]);
}

TEST(optim_skips_params_without_grad)
{
    VxTensor *p[2];
    make_params(p);
    VxOptim *o = make_optim(1, p);
    CHECK(add_grad(p[0], 0, 0) == 0 && vx_optim_step(o) == 0);
    double v;
    CHECK(vx_tensor_get_f64(p[1], (int64_t[]){ 0 }, &v) == 0 && v == 0.5);   /* untouched */
    VxTensor *m = vx_optim_state(o, 1, "exp_avg");
    CHECK(!m && strstr(vx_tensor_last_error(), "no exp_avg yet"));
    m = vx_optim_state(o, 0, "exp_avg");
    CHECK(m && m->ndim == 2);
    vx_tensor_release(m);
    CHECK(!vx_optim_state(o, 0, "momentum_buffer") && strstr(vx_tensor_last_error(), "no state"));
    /* zero_grad zeroes existing gradients and leaves absent ones absent */
    CHECK(vx_optim_zero_grad(o) == 0 && p[1]->grad == NULL);
    VxTensor *g = vx_tensor_grad(p[0]);
    VxTensor *s = vx_sum(g, NULL, 0, false);
    CHECK(vx_tensor_item_f64(s, &v) == 0 && v == 0);
    vx_tensor_release(s); vx_tensor_release(g);
    vx_optim_release(o);
    vx_tensor_release(p[0]); vx_tensor_release(p[1]);
    CHECK(vx_tensor_live_tensors() == 0);
}

/* A new empty file named from the template (ending XXXXXX). */
static bool temp_file(char *path)
{
    int fd = mkstemp(path);
    if (fd >= 0) close(fd);
    return fd >= 0;
}

/* 3 steps, save, a fresh optimizer loads the state, 2 more steps: the
 * same numbers as 5 uninterrupted steps. */
TEST(optim_state_save_load_resumes)
{
    char path[] = "/tmp/vx_optim_state_XXXXXX";
    CHECK(temp_file(path));
    for (int w = 0; w < 3; w++) {
        VxTensor *p[2];
        make_params(p);
        VxOptim *a = make_optim(w, p), *b = make_optim(w, p);
        CHECK(run_steps(a, p, 0, 3) == 0);
        if (vx_optim_save(a, path) < 0) printf("  %s\n", vx_tensor_last_error());
        CHECK(vx_optim_set_lr(b, 123) == 0);
        if (vx_optim_load(b, path) < 0) printf("  %s\n", vx_tensor_last_error());
        CHECK(vx_optim_steps(b) == 3 && vx_optim_lr(b) == vx_optim_lr(a));
        CHECK(run_steps(b, p, 3, 5) == 0);
        CHECK(params_are(p, wants[w], true));
        vx_optim_release(a); vx_optim_release(b);
        vx_tensor_release(p[0]); vx_tensor_release(p[1]);
    }
    unlink(path);
    CHECK(vx_tensor_live_tensors() == 0);
}

/* Loads that must fail, leaving the optimizer's state as it was. */
TEST(optim_load_errors)
{
    char path[] = "/tmp/vx_optim_bad_XXXXXX";
    CHECK(temp_file(path));
    VxTensor *p[2], *q[2];
    make_params(p);
    VxOptim *adam = make_optim(1, p), *sgd = make_optim(0, p);
    CHECK(run_steps(adam, p, 0, 3) == 0 && vx_optim_save(adam, path) == 0);
    CHECK(vx_optim_load(sgd, path) < 0 && strstr(vx_tensor_last_error(), "holds the state of Adam, but this optimizer is SGD"));
    VxOptim *ams = vx_optim_adam(p, 2, 0.01, 0.9, 0.999, 1e-8, 0, true);
    CHECK(vx_optim_load(ams, path) < 0 && strstr(vx_tensor_last_error(), "\"0.max_exp_avg_sq\" is missing"));
    VxOptim *one = vx_optim_adam(p, 1, 0.01, 0.9, 0.999, 1e-8, 0, false);
    CHECK(vx_optim_load(one, path) < 0 && strstr(vx_tensor_last_error(), "state is for 2 parameters but this optimizer has 1"));
    /* same count, other shapes */
    q[0] = vx_zeros((int64_t[]){ 3, 2 }, 2, VX_F32); q[1] = vx_zeros((int64_t[]){ 3 }, 1, VX_F32);
    vx_tensor_set_requires_grad(q[0], true); vx_tensor_set_requires_grad(q[1], true);
    VxOptim *other = vx_optim_adam(q, 2, 0.01, 0.9, 0.999, 1e-8, 0, false);
    CHECK(vx_optim_load(other, path) < 0 && strstr(vx_tensor_last_error(), "is Tensor<f32, [2, 3]> but parameter 0 is Tensor<f32, [3, 2]>"));
    CHECK(vx_optim_steps(other) == 0);
    /* a weight file is not a state file; a state file with a stray tensor */
    const char *names[] = { "w" }, *bad[] = { "7.exp_avg" };
    CHECK(vx_safetensors_save(path, names, p, 1, NULL, NULL, 0) == 0);
    CHECK(vx_optim_load(adam, path) < 0 && strstr(vx_tensor_last_error(), "not an optimizer state file"));
    const char *mk[] = { "optimizer", "params", "steps", "lr" }, *mv[] = { "Adam", "2", "3", "0.01" };
    CHECK(vx_safetensors_save(path, bad, p, 1, mk, mv, 4) == 0);
    CHECK(vx_optim_load(adam, path) < 0 && strstr(vx_tensor_last_error(), "unexpected tensor \"7.exp_avg\""));
    CHECK(vx_optim_steps(adam) == 3);
    CHECK(vx_optim_load(adam, "/nonexistent/dir/state.safetensors") < 0 && strstr(vx_tensor_last_error(), "cannot open"));
    VxOptim *all[] = { adam, sgd, ams, one, other };
    for (int i = 0; i < 5; i++) vx_optim_release(all[i]);
    for (int i = 0; i < 2; i++) { vx_tensor_release(p[i]); vx_tensor_release(q[i]); }
    unlink(path);
    CHECK(vx_tensor_live_tensors() == 0);
}

TEST(optim_argument_errors)
{
    VxTensor *p[2];
    make_params(p);
    static const char *const msgs[] = {
        "SGD: Invalid learning rate: -0.1", "SGD: Invalid momentum value: -1",
        "SGD: Nesterov momentum requires a momentum and zero dampening", "SGD: optimizer got an empty parameter list",
        "Adam: Invalid learning rate: nan", "Adam: Invalid beta parameter at index 0: 1",
        "AdamW: Invalid beta parameter at index 1: -0.5", "AdamW: Invalid epsilon value: -1",
        "AdamW: Invalid weight_decay value: -0.01",
    };
    for (int i = 0; i < 9; i++) {
        VxOptim *o = i == 0 ? vx_optim_sgd(p, 2, -0.1, 0, 0, false, 0) : i == 1 ? vx_optim_sgd(p, 2, 0.1, -1, 0, false, 0)
                   : i == 2 ? vx_optim_sgd(p, 2, 0.1, 0, 0, true, 0) : i == 3 ? vx_optim_sgd(p, 0, 0.1, 0, 0, false, 0)
                   : i == 4 ? vx_optim_adam(p, 2, NAN, 0.9, 0.999, 1e-8, 0, false)
                   : i == 5 ? vx_optim_adam(p, 2, 0.1, 1.0, 0.999, 1e-8, 0, false)
                   : i == 6 ? vx_optim_adamw(p, 2, 0.1, 0.9, -0.5, 1e-8, 0, false)
                   : i == 7 ? vx_optim_adamw(p, 2, 0.1, 0.9, 0.999, -1, 0, false)
                   : vx_optim_adamw(p, 2, 0.1, 0.9, 0.999, 1e-8, -0.01, false);
        CHECK(!o);
        CHECK_STR(vx_tensor_last_error(), msgs[i]);
    }
    VxTensor *y = vx_mul_s(p[0], 2), *nograd = vx_zeros((int64_t[]){ 2 }, 1, VX_F32);
    VxTensor *bad1[] = { p[0], y }, *bad2[] = { nograd }, *bad3[] = { p[0], p[0] };
    CHECK(!vx_optim_adam(bad1, 2, 0.1, 0.9, 0.999, 1e-8, 0, false) && strstr(vx_tensor_last_error(), "parameter 1 Tensor<f32, [2, 3]> is not a leaf"));
    CHECK(!vx_optim_adam(bad2, 1, 0.1, 0.9, 0.999, 1e-8, 0, false) && strstr(vx_tensor_last_error(), "does not require grad"));
    CHECK(!vx_optim_adam(bad3, 2, 0.1, 0.9, 0.999, 1e-8, 0, false) && strstr(vx_tensor_last_error(), "appears twice"));
    VxOptim *o = make_optim(0, p);
    CHECK(vx_optim_set_lr(o, -1) < 0 && vx_optim_lr(o) == 0.1);
    CHECK(vx_optim_set_schedule(o, VX_SCHED_COSINE, 10, 5, 0) < 0 && strstr(vx_tensor_last_error(), "total_steps must be greater"));
    CHECK(vx_optim_retain(o) == o);
    vx_optim_release(o);
    vx_optim_release(o);
    vx_tensor_release(y); vx_tensor_release(nograd);
    vx_tensor_release(p[0]); vx_tensor_release(p[1]);
    CHECK(vx_tensor_live_tensors() == 0);
}

TEST(optim_schedule_drives_lr)
{
    VxTensor *p[2];
    make_params(p);
    VxOptim *o = vx_optim_sgd(p, 2, 0.5, 0, 0, false, 0);
    CHECK(vx_optim_set_schedule(o, VX_SCHED_COSINE, 10, 60, 0.02) == 0);
    static const int64_t at[] = { 0, 5, 10, 20, 35, 59 };
    int k = 0;
    for (int64_t s = 0; s < 60; s++) {
        if (k < 6 && s == at[k]) { CHECK(fabs(vx_optim_lr(o) - want_cosine[k]) < 1e-9); k++; }
        CHECK(vx_optim_step(o) == 0);          /* no gradients: only the count moves */
    }
    CHECK(vx_optim_lr(o) == 0.02);
    vx_optim_release(o);
    vx_tensor_release(p[0]); vx_tensor_release(p[1]);
}

TEST(lr_schedules_match_torch)
{
    static const int64_t cs[] = { 0, 5, 10, 20, 35, 59, 60 }, ss[] = { 0, 6, 7, 20, 21, 29 };
    for (int i = 0; i < 7; i++) CHECK(fabs(vx_lr_cosine(0.5, cs[i], 10, 60, 0.02) - want_cosine[i]) < 1e-12);
    CHECK(vx_lr_cosine(0.5, 70, 10, 60, 0.02) == 0.02);                 /* no restart after total */
    for (int i = 0; i < 6; i++) CHECK(fabs(vx_lr_step(0.5, ss[i], 7, 0.3) - want_steplr[i]) < 1e-12);
    /* linear: warmup 5 then to 0 at 45, as transformers' get_linear_schedule_with_warmup */
    CHECK(vx_lr_linear(1.0, 0, 5, 45, 0) == 0 && vx_lr_linear(1.0, 2, 5, 45, 0) == 0.4);
    CHECK(vx_lr_linear(1.0, 5, 5, 45, 0) == 1 && vx_lr_linear(1.0, 25, 5, 45, 0) == 0.5 && vx_lr_linear(1.0, 50, 5, 45, 0) == 0);
    CHECK(fabs(vx_lr_linear(1.0, 25, 5, 45, 0.2) - 0.6) < 1e-15);
    CHECK(vx_lr_at(VX_SCHED_CONSTANT, 0.3, 99, 0, 0, 0) == 0.3);
    CHECK(isnan(vx_lr_step(0.5, 3, 0, 0.1)) && strstr(vx_tensor_last_error(), "step_size must be at least 1"));
    CHECK(isnan(vx_lr_cosine(0.5, -1, 0, 10, 0)) && strstr(vx_tensor_last_error(), "step must be non-negative"));
    CHECK(isnan(vx_lr_at((VxSchedKind)9, 0.5, 0, 0, 0, 0)) && strstr(vx_tensor_last_error(), "unknown schedule"));
}

TEST(clip_grad_norm_matches_torch)
{
    VxTensor *p[2];
    make_params(p);
    CHECK(add_grad(p[0], 0, 0) == 0 && add_grad(p[1], 1, 0) == 0);
    double total = -1, v;
    CHECK(vx_clip_grad_norm(p, 2, 0.5, 2.0, &total) == 0);
    CHECK(fabs(total - want_clip[0]) <= 1e-6 * want_clip[0]);
    for (int e = 0; e < 9; e++) {
        VxTensor *g = vx_tensor_grad(p[e < 6 ? 0 : 1]);
        int64_t idx[2] = { e < 6 ? e / 3 : e - 6, e % 3 };
        vx_tensor_get_f64(g, idx, &v);
        vx_tensor_release(g);
        CHECK(fabs(v - want_clip[1 + e]) <= 1e-6 * fabs(want_clip[1 + e]) + 1e-12);
    }
    /* under the limit: unchanged (coef clamped to 1); inf norm; errors */
    CHECK(vx_clip_grad_norm(p, 2, 10, INFINITY, &total) == 0 && fabs(total - 0.234260336) < 1e-7);
    CHECK(vx_clip_grad_norm(p, 2, 1, 0, &total) < 0 && strstr(vx_tensor_last_error(), "norm_type must be positive"));
    CHECK(vx_clip_grad_norm(p, 2, -1, 2, &total) < 0 && strstr(vx_tensor_last_error(), "max_norm must be non-negative"));
    vx_tensor_release(p[0]); vx_tensor_release(p[1]);
    make_params(p);
    CHECK(vx_clip_grad_norm(p, 2, 1, 2, &total) == 0 && total == 0);   /* no gradients at all */
    vx_tensor_release(p[0]); vx_tensor_release(p[1]);
    CHECK(vx_tensor_live_tensors() == 0);
}
