/* test_safetensors.c - safetensors files: a round trip of every dtype,
 * hand-made corrupt headers (one clear error each), every truncation and
 * thousands of single-byte corruptions of a valid file (an error or a
 * valid result, never a crash: run under ASan by `make asan`), and the
 * atomic write keeping an old file when a save fails. */
#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"
#include "../../src/tensor/tensor_optim.h"

/* An 8-byte length, the header text, then ndata bytes of data. */
static size_t craft(unsigned char *out, const char *json, const void *data, size_t ndata)
{
    size_t n = strlen(json);
    for (int i = 0; i < 8; i++) out[i] = (unsigned char)((uint64_t)n >> (8 * i));
    memcpy(out + 8, json, n);
    if (ndata) memcpy(out + 8 + n, data, ndata);
    return 8 + n + ndata;
}

/* parse fails and the message contains want. */
static bool fails_with(const unsigned char *b, size_t n, const char *want)
{
    VxSafetensors *f = vx_safetensors_parse(b, n, "t.safetensors");
    if (f) { vx_safetensors_free(f); printf("  parsed, expected \"%s\"\n", want); return false; }
    if (strstr(vx_tensor_last_error(), want) && strstr(vx_tensor_last_error(), "t.safetensors")) return true;
    printf("  error \"%s\", expected \"%s\"\n", vx_tensor_last_error(), want);
    return false;
}

static bool header_fails_with(const char *json, size_t ndata, const char *want)
{
    static unsigned char buf[4096];
    static const unsigned char data[64] = { 0 };
    return fails_with(buf, craft(buf, json, data, ndata), want);
}

static char tmpdir[64];
static void remove_tmpdir(void) { rmdir(tmpdir); }

/* A path in a private directory, removed at exit (tests unlink their files). */
static const char *tmp_path(const char *name)
{
    static char p[128];
    if (!tmpdir[0]) {
        strcpy(tmpdir, "/tmp/vx_st_XXXXXX");
        if (!mkdtemp(tmpdir)) return NULL;
        atexit(remove_tmpdir);
    }
    snprintf(p, sizeof p, "%s/%s", tmpdir, name);
    return p;
}

/* Eight tensors, one per dtype, plus a strided, a 0-dim and an empty one. */
enum { NT = 11 };
static void make_tensors(VxTensor **t)
{
    double v[12] = { 1.5, -2.25, 3, 0.1, -1e-3, 65504, 7, -8, 1, 0, 1, 1 };
    int64_t s6[] = { 2, 3 };
    for (int d = 0; d < VX_NDTYPES; d++) t[d] = vx_tensor_from_f64(v, s6, 2, (VxDtype)d);
    VxTensor *m = vx_arange(0, 12, 1, VX_F64), *r = vx_reshape(m, (int64_t[]){ 3, 4 }, 2);
    t[8] = vx_transpose(r, 0, 1);
    vx_tensor_release(m); vx_tensor_release(r);
    t[9] = vx_scalar(-0.5, VX_F32);
    t[10] = vx_zeros((int64_t[]){ 0, 4 }, 2, VX_I64);
}

static const char *const names[NT] = { "f32", "f64", "bf16", "f16", "i32", "i64", "u8", "bool",
                                       "strided.T", "scalar", "na\xc3\xafve \"quoted\"\n" };

static bool same_tensor(const VxTensor *a, const VxTensor *b)
{
    if (a->dtype != b->dtype || a->ndim != b->ndim || memcmp(a->shape, b->shape, (size_t)a->ndim * sizeof *a->shape)) return false;
    int64_t n = vx_tensor_numel(a), idx[VX_MAX_DIMS] = { 0 };
    for (int64_t e = 0; e < n; e++) {
        for (int64_t r = e, d = a->ndim - 1; d >= 0; d--) { idx[d] = r % a->shape[d]; r /= a->shape[d]; }
        double x, y;
        vx_tensor_get_f64(a, idx, &x);
        vx_tensor_get_f64(b, idx, &y);
        if (x != y) return false;
    }
    return true;
}

TEST(safetensors_round_trip)
{
    VxTensor *t[NT];
    make_tensors(t);
    const char *path = tmp_path("round.safetensors");
    const char *mk[] = { "format", "note" }, *mv[] = { "pt", "multi\nline \xe2\x82\xac" };
    CHECK(vx_safetensors_save(path, names, t, NT, mk, mv, 2) == 0);
    VxSafetensors *f = vx_safetensors_load(path);
    if (!f) printf("  %s\n", vx_tensor_last_error());
    CHECK(f && vx_safetensors_count(f) == NT);
    for (int i = 0; i < NT; i++) {
        CHECK_STR(vx_safetensors_name(f, i), names[i]);
        VxTensor *u = vx_safetensors_tensor(f, i);
        CHECK(u && same_tensor(t[i], u) && vx_tensor_is_contiguous(u));
        vx_tensor_release(u);
    }
    CHECK_STR(vx_safetensors_meta_get(f, "note"), mv[1]);
    CHECK(vx_safetensors_meta_count(f) == 2 && !strcmp(vx_safetensors_meta_key(f, 0), "format"));
    CHECK(vx_safetensors_meta_get(f, "absent") == NULL && vx_safetensors_find(f, "absent") == -1);
    CHECK(vx_safetensors_find(f, "scalar") == 9);
    VxTensor *g = vx_safetensors_get(f, "scalar");
    CHECK(g && g->ndim == 0);
    vx_tensor_release(g);
    CHECK(!vx_safetensors_get(f, "nope") && strstr(vx_tensor_last_error(), "no tensor \"nope\""));
    CHECK(!vx_safetensors_tensor(f, NT) && strstr(vx_tensor_last_error(), "out of range"));
    vx_safetensors_free(f);
    /* the header is padded to 8 bytes, as the reference writes it */
    FILE *fp = fopen(path, "rb");
    unsigned char len8[8];
    CHECK(fp && fread(len8, 1, 8, fp) == 8);
    fclose(fp);
    CHECK(len8[0] % 8 == 0);
    for (int i = 0; i < NT; i++) vx_tensor_release(t[i]);
    unlink(path);
    CHECK(vx_tensor_live_tensors() == 0);
}

TEST(safetensors_corrupt_headers)
{
    unsigned char b[64] = { 1, 2, 3, 4, 5 };
    CHECK(fails_with(b, 5, "too short for the 8-byte header length"));
    memset(b, 0, sizeof b); b[5] = 1;                       /* 2^40 */
    CHECK(fails_with(b, 20, "over the limit"));
    memset(b, 0, sizeof b); b[0] = 100;
    CHECK(fails_with(b, 20, "truncated file?"));
    static const struct { const char *json; size_t ndata; const char *want; } cases[] = {
        { "", 0, "expected '{' at byte 0" },
        { "{\"a\":{\"dtype\":\"F32\",", 0, "invalid safetensors header" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
          "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12, "overlap tensor \"a\"" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 8, "go past the end of the data" },
        { "{\"a\":{\"dtype\":\"I16\",\"shape\":[4],\"data_offsets\":[0,8]}}", 8, "dtype \"I16\", which Vortex does not read" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8, "needs 12 bytes but data_offsets [0, 8] give 8" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8, "bytes 0..4 of the data belong to no tensor" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 8, "data section has 8 bytes but the tensors cover 4" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,4]}}", 8, "the end is before the begin" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296,4294967296],\"data_offsets\":[0,4]}}", 4, "too large" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[1,1,1,1,1,1,1,1,1],\"data_offsets\":[0,4]}}", 4, "more than 8 entries" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4, "expected a non-negative integer" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}", 4, "not a fraction" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[99999999999999999999]}}", 4, "integer too large" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4, "tensor \"a\" lacks \"data_offsets\"" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}", 4, "must be [begin, end]" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"offsets\":[0,4]}}", 4, "unknown field \"offsets\"" },
        { "{\"a\":{\"dtype\":\"F32\",\"dtype\":\"F32\"}}", 4, "field \"dtype\" repeated" },
        { "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}} x", 4, "unexpected text after the header" },
        { "{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]},"
          "\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[1,2]}}", 2, "tensor \"a\" appears twice" },
        { "{\"__metadata__\":{\"k\":1}}", 0, "expected '\"'" },
        { "{\"__metadata__\":{},\"__metadata__\":{}}", 0, "\"__metadata__\" repeated" },
        { "{\"a\xff\":{}}", 0, "byte 3 is not valid UTF-8" },
        { "{\"\xc0\x80\":{}}", 0, "not valid UTF-8" },              /* overlong NUL */
        { "{\"a\\u0000\":{}}", 0, "NUL character" },
        { "{\"a\\ud800\":{}}", 0, "unpaired UTF-16 surrogate" },
        { "{\"a\\x\":{}}", 0, "unknown escape '\\x'" },
        { "{\"a\tb\":{}}", 0, "control character" },
        { "{\"a", 0, "unterminated string" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (!header_fails_with(cases[i].json, cases[i].ndata, cases[i].want)) printf("  case %zu\n", i);
        CHECK(header_fails_with(cases[i].json, cases[i].ndata, cases[i].want));
    }
    static const unsigned char two[2] = { 1, 2 };
    unsigned char buf[256];
    CHECK(fails_with(buf, craft(buf, "{\"m\":{\"dtype\":\"BOOL\",\"shape\":[2],\"data_offsets\":[0,2]}}", two, 2),
                     "is BOOL but byte 1 of its data is 2, not 0 or 1"));
    CHECK(vx_tensor_live_tensors() == 0);
}

/* Escapes in names decode to UTF-8; an empty header object is a valid empty file. */
TEST(safetensors_escapes_and_empty)
{
    unsigned char buf[256];
    static const unsigned char one[1] = { 7 };
    VxSafetensors *f = vx_safetensors_parse(buf, craft(buf, " { \"a\\u00e9\\\"\\ud83d\\ude00\\n\" : { \"shape\" : [ ] , "
                                                       "\"dtype\" : \"U8\" , \"data_offsets\" : [ 0 , 1 ] } }   ", one, 1), "x");
    CHECK(f && vx_safetensors_count(f) == 1);
    CHECK_STR(vx_safetensors_name(f, 0), "a\xc3\xa9\"\xf0\x9f\x98\x80\n");
    vx_safetensors_free(f);
    f = vx_safetensors_parse(buf, craft(buf, "{}", NULL, 0), "x");
    CHECK(f && vx_safetensors_count(f) == 0 && vx_safetensors_meta_count(f) == 0);
    vx_safetensors_free(f);
    const char *path = tmp_path("empty.safetensors");
    CHECK(vx_safetensors_save(path, NULL, NULL, 0, NULL, NULL, 0) == 0);
    f = vx_safetensors_load(path);
    CHECK(f && vx_safetensors_count(f) == 0);
    vx_safetensors_free(f);
    unlink(path);
}

/* A valid file, cut at every length and corrupted at every byte: each
 * parse ends in an error message or a consistent result. */
TEST(safetensors_fuzz_truncate_and_corrupt)
{
    VxTensor *t[NT];
    make_tensors(t);
    const char *path = tmp_path("fuzz.safetensors");
    const char *mk[] = { "k" }, *mv[] = { "v" };
    CHECK(vx_safetensors_save(path, names, t, NT, mk, mv, 1) == 0);
    for (int i = 0; i < NT; i++) vx_tensor_release(t[i]);
    FILE *fp = fopen(path, "rb");
    unsigned char file[8192], b[8192];
    size_t n = fp ? fread(file, 1, sizeof file, fp) : 0;
    if (fp) fclose(fp);
    unlink(path);
    CHECK(n > 100 && n < sizeof file);
    for (size_t len = 0; len < n; len++) {
        VxSafetensors *f = vx_safetensors_parse(file, len, "cut");
        if (f) printf("  a file cut to %zu of %zu bytes parsed\n", len, n);
        CHECK(!f && *vx_tensor_last_error());
    }
    static const unsigned char vals[] = { 0x00, 0xFF, 0x80, '"', '\\', '{', '}', '[', ']', ',', ':', '9', '0', ' ', 'u' };
    int parsed = 0, failed = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t v = 0; v <= sizeof vals; v++) {
            memcpy(b, file, n);
            b[i] = v < sizeof vals ? vals[v] : (unsigned char)(file[i] ^ 1);
            vx_tensor_clear_error();
            VxSafetensors *f = vx_safetensors_parse(b, n, "corrupt");
            if (!f) { CHECK(strstr(vx_tensor_last_error(), "corrupt")); failed++; continue; }
            for (int k = 0; k < vx_safetensors_count(f); k++) {
                VxTensor *u = vx_safetensors_tensor(f, k);
                CHECK(u && vx_safetensors_name(f, k));
                vx_tensor_release(u);
            }
            vx_safetensors_free(f);
            parsed++;
        }
    CHECK(failed > 1000 && parsed > 100);    /* data bytes and padding still parse */
    CHECK(vx_tensor_live_tensors() == 0);
}

static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d));) n += e->d_name[0] != '.';
    if (d) closedir(d);
    return n;
}

TEST(safetensors_save_is_atomic)
{
    VxTensor *t[NT];
    make_tensors(t);
    const char *p = tmp_path("keep.safetensors");
    char path[128], sub[128];
    snprintf(path, sizeof path, "%s", p);
    CHECK(vx_safetensors_save(path, names, t, 2, NULL, NULL, 0) == 0);
    int before = count_entries(tmpdir);
    /* failures before the temporary file: bad names, NULL tensor */
    const char *dup[] = { "a", "a" }, *meta[] = { "__metadata__" };
    CHECK(vx_safetensors_save(path, dup, t, 2, NULL, NULL, 0) < 0 && strstr(vx_tensor_last_error(), "tensor name \"a\" is given twice"));
    CHECK(vx_safetensors_save(path, meta, t, 1, NULL, NULL, 0) < 0 && strstr(vx_tensor_last_error(), "reserved for the metadata"));
    const char *bad_utf8[] = { "\xff" }, *empty[] = { "" };
    CHECK(vx_safetensors_save(path, bad_utf8, t, 1, NULL, NULL, 0) < 0 && strstr(vx_tensor_last_error(), "not valid UTF-8"));
    CHECK(vx_safetensors_save(path, empty, t, 1, NULL, NULL, 0) < 0 && strstr(vx_tensor_last_error(), "is empty"));
    VxTensor *nul[] = { NULL };
    CHECK(vx_safetensors_save(path, names, nul, 1, NULL, NULL, 0) < 0 && strstr(vx_tensor_last_error(), "is NULL"));
    vx_tensor_fail_alloc_after(1);           /* the contiguous copy of the strided tensor */
    CHECK(vx_safetensors_save(path, names + 8, t + 8, 1, NULL, NULL, 0) < 0 && strstr(vx_tensor_last_error(), "out of memory"));
    vx_tensor_fail_alloc_after(0);
    /* a failure after the data is written: renaming over a non-empty directory */
    snprintf(sub, sizeof sub, "%s/dir", tmpdir);
    CHECK(mkdir(sub, 0700) == 0);
    char inner[160];
    snprintf(inner, sizeof inner, "%s/x", sub);
    CHECK(vx_safetensors_save(inner, names, t, 1, NULL, NULL, 0) == 0);
    CHECK(vx_safetensors_save(sub, names, t, NT, NULL, NULL, 0) < 0 && strstr(vx_tensor_last_error(), "previous file is unchanged"));
    CHECK(count_entries(tmpdir) == before + 1);          /* no temporary file left */
    CHECK(vx_safetensors_save("/nonexistent/dir/f.safetensors", names, t, 1, NULL, NULL, 0) < 0 &&
          strstr(vx_tensor_last_error(), "cannot create a temporary file"));
    VxSafetensors *f = vx_safetensors_load(path);
    CHECK(f && vx_safetensors_count(f) == 2);
    vx_safetensors_free(f);
    CHECK(!vx_safetensors_load(sub) && strstr(vx_tensor_last_error(), "not a regular file"));
    CHECK(!vx_safetensors_load("/nonexistent.safetensors") && strstr(vx_tensor_last_error(), "cannot open /nonexistent.safetensors"));
    unlink(inner); rmdir(sub); unlink(path);
    for (int i = 0; i < NT; i++) vx_tensor_release(t[i]);
    CHECK(vx_tensor_live_tensors() == 0);
}
