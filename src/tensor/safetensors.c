/* safetensors.c - reading and writing safetensors files (tensor_optim.h).
 *
 * The loader never trusts the file: the header is parsed by a small
 * recursive-descent reader for exactly the JSON shape the format uses,
 * and every number is checked against the bytes actually present before
 * any tensor is made.  The writer builds the whole header first, then
 * streams data into a temporary file that is renamed into place. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tensor_internal.h"
#include "tensor_optim.h"

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#error "safetensors.c assumes a little-endian host (the format's byte order)"
#endif

enum { MAX_HEADER = 100000000 };             /* the reference's limit */

/* Indexed by VxDtype. */
static const char *const st_dtype[VX_NDTYPES] = { "F32", "F64", "BF16", "F16", "I32", "I64", "U8", "BOOL" };

typedef struct Entry {
    char *name;
    VxDtype dtype;
    int ndim;
    int64_t shape[VX_MAX_DIMS];
    uint64_t begin, end;
} Entry;

struct VxSafetensors {
    int n, nmeta;
    char **names;
    VxTensor **tensors;
    char **mkeys, **mvals;
};

/* ---- the JSON reader ---------------------------------------------------------- */
typedef struct Json {
    const char *s, *start, *end;
    const char *what;
    bool failed;
} Json;

static void jfail(Json *j, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static void jfail(Json *j, const char *fmt, ...)
{
    if (j->failed) return;
    char msg[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    vx_tensor_set_error("%s: invalid safetensors header: %s at byte %lld of the header",
                        j->what, msg, (long long)(j->s - j->start));
    j->failed = true;
}

static void ws(Json *j)
{
    while (j->s < j->end && (*j->s == ' ' || *j->s == '\t' || *j->s == '\n' || *j->s == '\r')) j->s++;
}

static bool eat(Json *j, char c)
{
    ws(j);
    if (j->s < j->end && *j->s == c) { j->s++; return true; }
    return false;
}

static void expect(Json *j, char c)
{
    if (!j->failed && !eat(j, c)) jfail(j, "expected '%c'", c);
}

/* Four hex digits of a \u escape; -1 if malformed. */
static long hex4(Json *j)
{
    if (j->end - j->s < 4) return -1;
    long v = 0;
    for (int i = 0; i < 4; i++) {
        char c = *j->s++;
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0) return -1;
        v = v * 16 + d;
    }
    return v;
}

static size_t put_utf8(char *o, unsigned long cp)
{
    if (cp < 0x80) { o[0] = (char)cp; return 1; }
    if (cp < 0x800) { o[0] = (char)(0xC0 | cp >> 6); o[1] = (char)(0x80 | (cp & 63)); return 2; }
    if (cp < 0x10000) { o[0] = (char)(0xE0 | cp >> 12); o[1] = (char)(0x80 | (cp >> 6 & 63)); o[2] = (char)(0x80 | (cp & 63)); return 3; }
    o[0] = (char)(0xF0 | cp >> 18); o[1] = (char)(0x80 | (cp >> 12 & 63));
    o[2] = (char)(0x80 | (cp >> 6 & 63)); o[3] = (char)(0x80 | (cp & 63));
    return 4;
}

/* A \u escape (the backslash and 'u' already read), surrogate pairs joined. */
static unsigned long unicode_escape(Json *j)
{
    long hi = hex4(j);
    if (hi < 0) { jfail(j, "malformed \\u escape"); return 0; }
    if (hi < 0xD800 || hi > 0xDFFF) return (unsigned long)hi;
    long lo = -1;
    if (hi < 0xDC00 && j->end - j->s >= 2 && j->s[0] == '\\' && j->s[1] == 'u') { j->s += 2; lo = hex4(j); }
    if (lo < 0xDC00 || lo > 0xDFFF) { jfail(j, "unpaired UTF-16 surrogate in a \\u escape"); return 0; }
    return 0x10000 + ((unsigned long)(hi - 0xD800) << 10) + (unsigned long)(lo - 0xDC00);
}

/* A string, decoded into a malloc'd C string (NULL on failure).  Escapes
 * never grow the text, so the raw length bounds the decoded one. */
static char *jstring(Json *j)
{
    expect(j, '"');
    if (j->failed) return NULL;
    const char *q = j->s;
    while (q < j->end && *q != '"') q += *q == '\\' && q + 1 < j->end ? 2 : 1;
    if (q >= j->end) { jfail(j, "unterminated string"); return NULL; }
    char *out = malloc((size_t)(q - j->s) + 1), *o = out;
    if (!out) { vx_tensor_set_error("%s: out of memory reading the header", j->what); j->failed = true; return NULL; }
    while (!j->failed && *j->s != '"') {
        unsigned char c = (unsigned char)*j->s++;
        if (c < 0x20) { j->s--; jfail(j, "control character in a string"); break; }
        if (c != '\\') { *o++ = (char)c; continue; }
        char e = *j->s++;
        const char *simple = strchr("\"\\/bfnrt", e), *map = "\"\\/\b\f\n\r\t";
        if (e && simple) { *o++ = map[simple - "\"\\/bfnrt"]; continue; }
        if (e != 'u') { j->s--; jfail(j, "unknown escape '\\%c'", e); break; }
        unsigned long cp = unicode_escape(j);
        if (!j->failed && cp == 0) jfail(j, "NUL character in a string");
        if (!j->failed) o += put_utf8(o, cp);
    }
    if (j->failed) { free(out); return NULL; }
    j->s++;
    *o = 0;
    return out;
}

/* A non-negative integer (what the format's numbers are). */
static uint64_t juint(Json *j)
{
    ws(j);
    if (j->failed) return 0;
    if (j->s >= j->end || *j->s < '0' || *j->s > '9') { jfail(j, "expected a non-negative integer"); return 0; }
    uint64_t v = 0;
    while (j->s < j->end && *j->s >= '0' && *j->s <= '9') {
        unsigned d = (unsigned)(*j->s++ - '0');
        if (v > (UINT64_MAX - d) / 10) { jfail(j, "integer too large"); return 0; }
        v = v * 10 + d;
    }
    if (j->s < j->end && (*j->s == '.' || *j->s == 'e' || *j->s == 'E')) jfail(j, "expected an integer, not a fraction");
    return v;
}

/* [a, b, ...] of at most max integers; returns the count. */
static int juint_array(Json *j, uint64_t *out, int max, const char *field)
{
    int n = 0;
    expect(j, '[');
    if (j->failed || eat(j, ']')) return 0;
    do {
        uint64_t v = juint(j);
        if (j->failed) return 0;
        if (n == max) { jfail(j, "\"%s\" has more than %d entries", field, max); return 0; }
        out[n++] = v;
    } while (eat(j, ','));
    expect(j, ']');
    return n;
}

/* Object members: `for (bool m = open_object(j); m; m = next_member(j))`. */
static bool open_object(Json *j)
{
    expect(j, '{');
    return !j->failed && !eat(j, '}');
}

static bool next_member(Json *j)
{
    if (j->failed) return false;
    if (eat(j, ',')) return true;
    expect(j, '}');
    return false;
}

/* {"dtype": .., "shape": [..], "data_offsets": [b, e]} */
static void jentry(Json *j, Entry *e)
{
    static const char *const fields[3] = { "dtype", "shape", "data_offsets" };
    bool have[3] = { false, false, false };
    uint64_t dims[VX_MAX_DIMS], offs[2];
    for (bool m = open_object(j); m; m = next_member(j)) {
        char *key = jstring(j);
        expect(j, ':');
        int k = 0;
        while (key && k < 3 && strcmp(key, fields[k])) k++;
        if (k == 3) jfail(j, "unknown field \"%s\" in tensor \"%s\"", key, e->name);
        else if (key && have[k]) jfail(j, "field \"%s\" repeated in tensor \"%s\"", key, e->name);
        free(key);
        if (j->failed || k == 3) return;
        have[k] = true;
        if (k == 0) {
            char *d = jstring(j);
            int t = 0;
            while (d && t < VX_NDTYPES && strcmp(d, st_dtype[t])) t++;
            if (d && t == VX_NDTYPES)
                jfail(j, "tensor \"%s\" has dtype \"%s\", which Vortex does not read (F32 F64 BF16 F16 I32 I64 U8 BOOL)", e->name, d);
            e->dtype = (VxDtype)t;
            free(d);
        } else if (k == 1) {
            e->ndim = juint_array(j, dims, VX_MAX_DIMS, "shape");
            for (int d = 0; d < e->ndim; d++) {
                if (dims[d] > (uint64_t)INT64_MAX) jfail(j, "dimension too large");
                e->shape[d] = (int64_t)dims[d];
            }
        } else if (juint_array(j, offs, 2, "data_offsets") != 2) {
            jfail(j, "\"data_offsets\" of tensor \"%s\" must be [begin, end]", e->name);
        } else { e->begin = offs[0]; e->end = offs[1]; }
    }
    for (int k = 0; k < 3 && !j->failed; k++)
        if (!have[k]) jfail(j, "tensor \"%s\" lacks \"%s\"", e->name, fields[k]);
}

/* ---- the loaded file -------------------------------------------------------------- */
static void entries_free(Entry *v, int n)
{
    for (int i = 0; i < n; i++) free(v[i].name);
    free(v);
}

void vx_safetensors_free(VxSafetensors *f)
{
    if (!f) return;
    for (int i = 0; i < f->n; i++) { free(f->names[i]); vx_tensor_release(f->tensors[i]); }
    for (int i = 0; i < f->nmeta; i++) { free(f->mkeys[i]); free(f->mvals[i]); }
    free(f->names); free(f->tensors); free(f->mkeys); free(f->mvals);
    free(f);
}

/* Append to a growing array of pointers or entries; false when out of memory. */
static bool grow(void **v, int n, size_t elem)
{
    if (n && (n & (n - 1))) return true;       /* capacity doubles at powers of two */
    void *p = realloc(*v, (size_t)(n ? 2 * n : 1) * elem);
    if (p) *v = p;
    return p != NULL;
}

static void jmetadata(Json *j, VxSafetensors *f)
{
    if (f->mkeys) { jfail(j, "\"__metadata__\" repeated"); return; }
    for (bool m = open_object(j); m; m = next_member(j)) {
        char *k = jstring(j);
        expect(j, ':');
        char *v = j->failed ? NULL : jstring(j);
        if (!j->failed && (!grow((void **)&f->mkeys, f->nmeta, sizeof(char *)) || !grow((void **)&f->mvals, f->nmeta, sizeof(char *)))) {
            vx_tensor_set_error("%s: out of memory reading the header", j->what);
            j->failed = true;
        }
        if (j->failed) { free(k); free(v); return; }
        f->mkeys[f->nmeta] = k;
        f->mvals[f->nmeta++] = v;
    }
    if (!f->mkeys && !j->failed && !(f->mkeys = malloc(sizeof(char *)))) {   /* marks "seen" when empty */
        vx_tensor_set_error("%s: out of memory reading the header", j->what);
        j->failed = true;
    }
}

/* The top-level object: tensors into *ents, metadata into f. */
static int jheader(Json *j, VxSafetensors *f, Entry **ents)
{
    int n = 0;
    for (bool m = open_object(j); m; m = next_member(j)) {
        char *name = jstring(j);
        expect(j, ':');
        if (!j->failed && !strcmp(name, "__metadata__")) { free(name); jmetadata(j, f); continue; }
        if (!j->failed && !grow((void **)ents, n, sizeof(Entry))) {
            vx_tensor_set_error("%s: out of memory reading the header", j->what);
            j->failed = true;
        }
        if (j->failed) { free(name); break; }
        memset(&(*ents)[n], 0, sizeof(Entry));
        (*ents)[n].name = name;
        jentry(j, &(*ents)[n++]);
    }
    ws(j);
    if (!j->failed && j->s != j->end) jfail(j, "unexpected text after the header object");
    return n;
}

/* ---- validation ------------------------------------------------------------------- */
static bool utf8_valid(const unsigned char *s, size_t n, size_t *bad)
{
    for (size_t i = 0; i < n;) {
        unsigned c = s[i];
        size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
        if (!len || i + len > n) { *bad = i; return false; }
        unsigned long cp = len == 1 ? c : c & (0x7F >> len);
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xC0) != 0x80) { *bad = i; return false; }
            cp = cp << 6 | (s[i + k] & 63);
        }
        static const unsigned long min_cp[5] = { 0, 0, 0x80, 0x800, 0x10000 };
        if (cp < min_cp[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) { *bad = i; return false; }
        i += len;
    }
    return true;
}

static int by_begin(const void *a, const void *b)
{
    const Entry *x = *(const Entry *const *)a, *y = *(const Entry *const *)b;
    return x->begin < y->begin ? -1 : x->begin > y->begin ? 1 : x->end < y->end ? -1 : x->end > y->end;
}
static int by_name(const void *a, const void *b) { return strcmp((*(const Entry *const *)a)->name, (*(const Entry *const *)b)->name); }

/* Bytes the entry's shape needs, or -1 on overflow. */
static int64_t entry_bytes(const Entry *e)
{
    int64_t n = (int64_t)vx_dtype_size(e->dtype);
    for (int d = 0; d < e->ndim; d++) {
        if (e->shape[d] && n > INT64_MAX / e->shape[d]) return -1;
        n *= e->shape[d];
    }
    return n;
}

/* Names distinct; offsets tile [0, datalen) exactly; sizes match shapes. */
static int check_entries(Entry *ents, int n, uint64_t datalen, const char *what)
{
    Entry **p = malloc((size_t)(n ? n : 1) * sizeof *p);
    if (!p) { vx_tensor_set_error("%s: out of memory checking the header", what); return -1; }
    for (int i = 0; i < n; i++) p[i] = &ents[i];
    int rc = 0;
    qsort(p, (size_t)n, sizeof *p, by_name);
    for (int i = 1; i < n && rc == 0; i++)
        if (!strcmp(p[i - 1]->name, p[i]->name)) { vx_tensor_set_error("%s: tensor \"%s\" appears twice in the header", what, p[i]->name); rc = -1; }
    qsort(p, (size_t)n, sizeof *p, by_begin);
    uint64_t at = 0;
    for (int i = 0; i < n && rc == 0; i++) {
        const Entry *e = p[i];
        int64_t need = entry_bytes(e);
        rc = -1;
        if (e->end < e->begin)
            vx_tensor_set_error("%s: tensor \"%s\" has data_offsets [%llu, %llu]: the end is before the begin",
                                what, e->name, (unsigned long long)e->begin, (unsigned long long)e->end);
        else if (e->begin < at)
            vx_tensor_set_error("%s: tensor \"%s\" data_offsets [%llu, %llu] overlap tensor \"%s\" (which ends at %llu)",
                                what, e->name, (unsigned long long)e->begin, (unsigned long long)e->end, p[i - 1]->name, (unsigned long long)at);
        else if (e->begin > at)
            vx_tensor_set_error("%s: bytes %llu..%llu of the data belong to no tensor (\"%s\" begins at %llu)",
                                what, (unsigned long long)at, (unsigned long long)e->begin, e->name, (unsigned long long)e->begin);
        else if (e->end > datalen)
            vx_tensor_set_error("%s: tensor \"%s\" data_offsets [%llu, %llu] go past the end of the data (%llu bytes; truncated file?)",
                                what, e->name, (unsigned long long)e->begin, (unsigned long long)e->end, (unsigned long long)datalen);
        else if (need < 0)
            vx_tensor_set_error("%s: tensor \"%s\" of shape %s is too large", what, e->name,
                                vx__shape_str(e->shape, e->ndim, (char[200]){0}, 200));
        else if ((uint64_t)need != e->end - e->begin)
            vx_tensor_set_error("%s: tensor \"%s\" of dtype %s and shape %s needs %lld bytes but data_offsets [%llu, %llu] give %llu",
                                what, e->name, st_dtype[e->dtype], vx__shape_str(e->shape, e->ndim, (char[200]){0}, 200),
                                (long long)need, (unsigned long long)e->begin, (unsigned long long)e->end,
                                (unsigned long long)(e->end - e->begin));
        else rc = 0;
        at = e->end;
    }
    if (rc == 0 && at != datalen)
        vx_tensor_set_error("%s: the data section has %llu bytes but the tensors cover %llu", what,
                            (unsigned long long)datalen, (unsigned long long)at), rc = -1;
    free(p);
    return rc;
}

/* The tensors, now that every entry is known to fit. */
static int make_tensors(VxSafetensors *f, Entry *ents, int n, const unsigned char *data, const char *what)
{
    if (!(f->names = calloc((size_t)(n ? n : 1), sizeof *f->names)) || !(f->tensors = calloc((size_t)(n ? n : 1), sizeof *f->tensors))) {
        vx_tensor_set_error("%s: out of memory", what);
        return -1;
    }
    for (int i = 0; i < n; i++) {
        const Entry *e = &ents[i];
        if (e->dtype == VX_BOOL)
            for (uint64_t b = e->begin; b < e->end; b++)
                if (data[b] > 1) { vx_tensor_set_error("%s: tensor \"%s\" is BOOL but byte %llu of its data is %u, not 0 or 1",
                                                       what, e->name, (unsigned long long)(b - e->begin), data[b]); return -1; }
        VxTensor *t = vx_tensor_from_data(data + e->begin, e->shape, e->ndim, e->dtype);
        if (!t) return -1;
        f->names[f->n] = ents[i].name;
        ents[i].name = NULL;
        f->tensors[f->n++] = t;
    }
    return 0;
}

VxSafetensors *vx_safetensors_parse(const void *bytes, size_t size, const char *what)
{
    const unsigned char *b = bytes;
    if (size < 8) {
        vx_tensor_set_error("%s: not a safetensors file: %zu bytes, too short for the 8-byte header length", what, size);
        return NULL;
    }
    uint64_t hlen = 0;
    for (int i = 7; i >= 0; i--) hlen = hlen << 8 | b[i];
    if (hlen > MAX_HEADER) {
        vx_tensor_set_error("%s: not a safetensors file: header length %llu is over the limit of %d bytes",
                            what, (unsigned long long)hlen, MAX_HEADER);
        return NULL;
    }
    if (hlen > size - 8) {
        vx_tensor_set_error("%s: header length %llu is more than the %zu bytes after it (truncated file?)",
                            what, (unsigned long long)hlen, size - 8);
        return NULL;
    }
    size_t bad;
    if (!utf8_valid(b + 8, hlen, &bad)) {
        vx_tensor_set_error("%s: invalid safetensors header: byte %zu is not valid UTF-8", what, bad);
        return NULL;
    }
    VxSafetensors *f = calloc(1, sizeof *f);
    Entry *ents = NULL;
    if (!f) { vx_tensor_set_error("%s: out of memory", what); return NULL; }
    Json j = { (const char *)b + 8, (const char *)b + 8, (const char *)b + 8 + hlen, what, false };
    int n = jheader(&j, f, &ents);
    int rc = j.failed ? -1 : check_entries(ents, n, size - 8 - hlen, what);
    if (rc == 0) rc = make_tensors(f, ents, n, b + 8 + hlen, what);
    entries_free(ents, n);
    if (rc < 0) { vx_safetensors_free(f); return NULL; }
    return f;
}

/* The whole file in a malloc'd buffer. */
static unsigned char *read_all(const char *path, size_t *size)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) { vx_tensor_set_error("cannot open %s: %s", path, strerror(errno)); return NULL; }
    struct stat st;
    unsigned char *buf = NULL;
    if (fstat(fileno(fp), &st) < 0 || !S_ISREG(st.st_mode)) {
        vx_tensor_set_error("cannot read %s: not a regular file", path);
    } else if (!(buf = malloc((size_t)st.st_size + 1))) {
        vx_tensor_set_error("cannot read %s: out of memory for %lld bytes", path, (long long)st.st_size);
    } else if ((*size = fread(buf, 1, (size_t)st.st_size, fp)) != (size_t)st.st_size || ferror(fp)) {
        vx_tensor_set_error("cannot read %s: %s", path, ferror(fp) ? strerror(errno) : "the file shrank while being read");
        free(buf);
        buf = NULL;
    }
    fclose(fp);
    return buf;
}

VxSafetensors *vx_safetensors_load(const char *path)
{
    size_t size = 0;
    unsigned char *buf = read_all(path, &size);
    if (!buf) return NULL;
    VxSafetensors *f = vx_safetensors_parse(buf, size, path);
    free(buf);
    return f;
}

/* ---- accessors ---------------------------------------------------------------------- */
int vx_safetensors_count(const VxSafetensors *f) { return f ? f->n : 0; }
const char *vx_safetensors_name(const VxSafetensors *f, int i) { return f && i >= 0 && i < f->n ? f->names[i] : NULL; }
int vx_safetensors_meta_count(const VxSafetensors *f) { return f ? f->nmeta : 0; }
const char *vx_safetensors_meta_key(const VxSafetensors *f, int i) { return f && i >= 0 && i < f->nmeta ? f->mkeys[i] : NULL; }
const char *vx_safetensors_meta_value(const VxSafetensors *f, int i) { return f && i >= 0 && i < f->nmeta ? f->mvals[i] : NULL; }

VxTensor *vx_safetensors_tensor(const VxSafetensors *f, int i)
{
    if (!f || i < 0 || i >= f->n) {
        vx_tensor_set_error("safetensors index %d is out of range (%d tensors)", i, f ? f->n : 0);
        return NULL;
    }
    return vx_tensor_retain(f->tensors[i]);
}

int vx_safetensors_find(const VxSafetensors *f, const char *name)
{
    for (int i = 0; f && name && i < f->n; i++)
        if (!strcmp(f->names[i], name)) return i;
    return -1;
}

VxTensor *vx_safetensors_get(const VxSafetensors *f, const char *name)
{
    int i = vx_safetensors_find(f, name);
    if (i < 0) { vx_tensor_set_error("the safetensors file has no tensor \"%s\"", name ? name : "(null)"); return NULL; }
    return vx_tensor_retain(f->tensors[i]);
}

const char *vx_safetensors_meta_get(const VxSafetensors *f, const char *key)
{
    for (int i = 0; f && key && i < f->nmeta; i++)
        if (!strcmp(f->mkeys[i], key)) return f->mvals[i];
    return NULL;
}

/* ---- writing ---------------------------------------------------------------------- */
typedef struct Buf { char *p; size_t len, cap; bool oom; } Buf;

static void bput(Buf *b, const char *s, size_t n)
{
    if (b->oom) return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1) cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) { b->oom = true; return; }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = 0;
}

static void bputs(Buf *b, const char *s) { bput(b, s, strlen(s)); }

static void bput_u64(Buf *b, uint64_t v)
{
    char num[24];
    snprintf(num, sizeof num, "%llu", (unsigned long long)v);
    bputs(b, num);
}

/* s as a JSON string: quotes, backslashes and control characters escaped. */
static void bput_json(Buf *b, const char *s)
{
    bputs(b, "\"");
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        char esc[8];
        if (c == '"' || c == '\\') { esc[0] = '\\'; esc[1] = (char)c; bput(b, esc, 2); }
        else if (c < 0x20) { snprintf(esc, sizeof esc, "\\u%04x", c); bputs(b, esc); }
        else bput(b, s, 1);
    }
    bputs(b, "\"");
}

/* A name or metadata string the header can hold; NULL when fine. */
static const char *bad_string(const char *s, bool is_name)
{
    size_t bad;
    if (!s) return "is NULL";
    if (is_name && !*s) return "is empty";
    if (!utf8_valid((const unsigned char *)s, strlen(s), &bad)) return "is not valid UTF-8";
    if (is_name && !strcmp(s, "__metadata__")) return "is reserved for the metadata";
    return NULL;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

/* Strings valid and distinct; what: "tensor name" / "metadata key". */
static int check_strings(const char *path, const char *const *v, int n, bool is_name, const char *what)
{
    const char **sorted = malloc((size_t)(n ? n : 1) * sizeof *sorted);
    if (!sorted) { vx_tensor_set_error("cannot write %s: out of memory", path); return -1; }
    int rc = 0;
    for (int i = 0; i < n && rc == 0; i++) {
        const char *why = bad_string(v[i], is_name);
        if (why) { vx_tensor_set_error("cannot write %s: %s %d %s", path, what, i, why); rc = -1; }
        sorted[i] = v[i];
    }
    if (rc == 0) qsort(sorted, (size_t)n, sizeof *sorted, cmp_str);
    for (int i = 1; i < n && rc == 0; i++)
        if (!strcmp(sorted[i - 1], sorted[i])) { vx_tensor_set_error("cannot write %s: %s \"%s\" is given twice", path, what, sorted[i]); rc = -1; }
    free(sorted);
    return rc;
}

/* Data order: larger elements first (stable), so each tensor is aligned. */
static void data_order(VxTensor *const *t, int n, int *order)
{
    int k = 0;
    for (size_t es = 8; es >= 1; es /= 2)
        for (int i = 0; i < n; i++)
            if (vx_dtype_size(t[i]->dtype) == es) order[k++] = i;
}

/* The padded header for contiguous tensors c in data order `order`. */
static void build_header(Buf *b, const char *const *names, VxTensor *const *c, const int *order, int n,
                         const char *const *mk, const char *const *mv, int nmeta)
{
    uint64_t *begin = malloc((size_t)(n ? n : 1) * sizeof *begin), at = 0;
    if (!begin) { b->oom = true; return; }
    for (int k = 0; k < n; k++) {
        begin[order[k]] = at;
        at += (uint64_t)vx_tensor_numel(c[order[k]]) * vx_dtype_size(c[order[k]]->dtype);
    }
    bputs(b, "{");
    if (nmeta) {
        bputs(b, "\"__metadata__\":{");
        for (int i = 0; i < nmeta; i++) { bputs(b, i ? "," : ""); bput_json(b, mk[i]); bputs(b, ":"); bput_json(b, mv[i]); }
        bputs(b, n ? "}," : "}");
    }
    for (int i = 0; i < n; i++) {
        const VxTensor *t = c[i];
        bputs(b, i ? "," : "");
        bput_json(b, names[i]);
        bputs(b, ":{\"dtype\":\"");
        bputs(b, st_dtype[t->dtype]);
        bputs(b, "\",\"shape\":[");
        for (int d = 0; d < t->ndim; d++) { bputs(b, d ? "," : ""); bput_u64(b, (uint64_t)t->shape[d]); }
        bputs(b, "],\"data_offsets\":[");
        bput_u64(b, begin[i]);
        bputs(b, ",");
        bput_u64(b, begin[i] + (uint64_t)vx_tensor_numel(t) * vx_dtype_size(t->dtype));
        bputs(b, "]}");
    }
    bputs(b, "}");
    while (b->len % 8) bputs(b, " ");
    free(begin);
}

/* One contiguous tensor's bytes to fp, through its backend, in chunks. */
static int write_tensor(FILE *fp, const VxTensor *t)
{
    size_t es = vx_dtype_size(t->dtype), total = (size_t)vx_tensor_numel(t) * es, off = (size_t)t->offset * es;
    char chunk[1 << 16];
    for (size_t done = 0; done < total;) {
        size_t k = total - done < sizeof chunk ? total - done : sizeof chunk;
        if (t->storage->backend->read(t->storage, off + done, chunk, k) < 0) return -1;
        if (fwrite(chunk, 1, k, fp) != k) { vx_tensor_set_error("%s", strerror(errno)); return -1; }
        done += k;
    }
    return 0;
}

/* Header and data into a new temporary file next to path, renamed over it. */
static int write_file(const char *path, const Buf *h, VxTensor *const *c, const int *order, int n)
{
    size_t plen = strlen(path);
    char *tmp = malloc(plen + 8);
    if (!tmp) { vx_tensor_set_error("cannot write %s: out of memory", path); return -1; }
    memcpy(tmp, path, plen);
    tmp[plen] = '.';                                  /* mkstemp's template: six X after the dot */
    memset(tmp + plen + 1, 'X', 6);
    tmp[plen + 7] = '\0';
    int fd = mkstemp(tmp);
    FILE *fp = fd < 0 ? NULL : fdopen(fd, "wb");
    if (!fp) {
        vx_tensor_set_error("cannot write %s: cannot create a temporary file next to it: %s", path, strerror(errno));
        if (fd >= 0) { close(fd); unlink(tmp); }
        free(tmp);
        return -1;
    }
    unsigned char len8[8];
    for (int i = 0; i < 8; i++) len8[i] = (unsigned char)((uint64_t)h->len >> (8 * i));
    vx_tensor_clear_error();
    int rc = fwrite(len8, 1, 8, fp) == 8 && fwrite(h->p, 1, h->len, fp) == h->len ? 0 : -1;
    for (int k = 0; k < n && rc == 0; k++) rc = write_tensor(fp, c[order[k]]);
    mode_t mask = umask(0);
    umask(mask);
    if (rc == 0 && (fflush(fp) != 0 || fsync(fileno(fp)) != 0 || fchmod(fileno(fp), 0666 & ~mask) != 0)) rc = -1;
    if (fclose(fp) != 0) rc = -1;
    if (rc == 0 && rename(tmp, path) != 0) rc = -1;
    if (rc < 0) {
        char why[300];
        snprintf(why, sizeof why, "%s", *vx_tensor_last_error() ? vx_tensor_last_error() : strerror(errno));
        vx_tensor_set_error("cannot write %s: %s (any previous file is unchanged)", path, why);
        unlink(tmp);
    }
    free(tmp);
    return rc;
}

int vx_safetensors_save(const char *path, const char *const *names, VxTensor *const *tensors, int n,
                        const char *const *meta_keys, const char *const *meta_values, int nmeta)
{
    if (!path || n < 0 || nmeta < 0 || (n && (!names || !tensors)) || (nmeta && (!meta_keys || !meta_values))) {
        vx_tensor_set_error("cannot write safetensors file %s: missing or negative arguments", path ? path : "(null)");
        return -1;
    }
    if (check_strings(path, names, n, true, "tensor name") < 0 || check_strings(path, meta_keys, nmeta, false, "metadata key") < 0)
        return -1;
    for (int i = 0; i < nmeta; i++)
        if (bad_string(meta_values[i], false)) {
            vx_tensor_set_error("cannot write %s: the value of metadata key \"%s\" %s", path, meta_keys[i], bad_string(meta_values[i], false));
            return -1;
        }
    for (int i = 0; i < n; i++)
        if (!tensors[i]) { vx_tensor_set_error("cannot write %s: tensor \"%s\" is NULL", path, names[i]); return -1; }
    VxTensor **c = calloc((size_t)(n ? n : 1), sizeof *c);
    int *order = malloc((size_t)(n ? n : 1) * sizeof *order), rc = c && order ? 0 : -1;
    if (rc < 0) vx_tensor_set_error("cannot write %s: out of memory", path);
    vx_no_grad_push();
    for (int i = 0; i < n && rc == 0; i++) rc = (c[i] = vx_contiguous(tensors[i])) ? 0 : -1;
    vx_no_grad_pop();
    Buf h = {0};
    if (rc == 0) {
        data_order(c, n, order);
        build_header(&h, names, c, order, n, meta_keys, meta_values, nmeta);
        if (h.oom) { vx_tensor_set_error("cannot write %s: out of memory building the header", path); rc = -1; }
    }
    if (rc == 0) rc = write_file(path, &h, c, order, n);
    for (int i = 0; c && i < n; i++) vx_tensor_release(c[i]);
    free(c);
    free(order);
    free(h.p);
    return rc;
}
