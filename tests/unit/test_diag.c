/* test_diag.c - unit tests for source positions (src/front/source.c),
 * diagnostics (src/front/diag.c: collecting, the limit, text and JSON
 * rendering, sorting) and the parser's error behaviour: errors are counted,
 * recovery goes on, and no input - not even a truncated program - crashes it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/front/parser.h"
#include "unit.h"

/* ---- helpers -------------------------------------------------------------- */

/* Captures what a FILE* receives, via open_memstream. */
typedef struct Capture {
    FILE *f;
    char *buf;
    size_t len;
} Capture;

static void capture_open(Capture *c) { c->buf = NULL; c->len = 0; c->f = open_memstream(&c->buf, &c->len); }
static const char *capture_text(Capture *c) { fflush(c->f); return c->buf ? c->buf : ""; }
static void capture_close(Capture *c) { fclose(c->f); free(c->buf); c->buf = NULL; }

/* Render one diagnostic to a string (caller frees). */
static char *render(const VxDiags *d, const VxDiag *g)
{
    Capture c;
    capture_open(&c);
    vx_diag_render(d, g, c.f);
    fclose(c.f);
    return c.buf;
}

typedef struct Parsed {
    VxSource src;
    VxArena arena;
    VxDiags diags;
    VxNode *file;
} Parsed;

static void parse_mem(Parsed *P, const char *text, size_t len)
{
    vx_source_from_memory(&P->src, "test.vx", text, len);
    vx_arena_init(&P->arena);
    vx_diags_init(&P->diags, NULL, VX_FMT_TEXT, false);
    P->file = vx_parse(&P->src, &P->arena, &P->diags);
}

static void parse_str(Parsed *P, const char *text) { parse_mem(P, text, strlen(text)); }

static void parsed_free(Parsed *P)
{
    vx_diags_free(&P->diags);
    vx_arena_free(&P->arena);
    vx_source_free(&P->src);
}

static bool pos_is(const VxSource *s, uint32_t off, int line, int col)
{
    VxPos p = vx_source_pos(s, off);
    return p.line == line && p.col == col;
}

/* ---- source positions ------------------------------------------------------- */

TEST(source_pos_ascii_lines)
{
    VxSource s;
    vx_source_from_memory(&s, "a.vx", "ab\ncd\n\nef", 9);
    CHECK(s.nlines == 4);
    CHECK(pos_is(&s, 0, 1, 1));
    CHECK(pos_is(&s, 1, 1, 2));
    CHECK(pos_is(&s, 2, 1, 3));            /* the newline itself ends line 1 */
    CHECK(pos_is(&s, 3, 2, 1));
    CHECK(pos_is(&s, 6, 3, 1));            /* empty line */
    CHECK(pos_is(&s, 7, 4, 1));
    CHECK(pos_is(&s, 9, 4, 3));            /* end of file without a final newline */
    CHECK(pos_is(&s, 1000, 4, 3));         /* clamped */
    vx_source_free(&s);
}

TEST(source_pos_counts_utf8_characters)
{
    VxSource s;
    /* "αβ = 😀x": α β are 2 bytes each, 😀 is 4 */
    const char *t = "\xCE\xB1\xCE\xB2 = \xF0\x9F\x98\x80x";
    vx_source_from_memory(&s, "u.vx", t, strlen(t));
    CHECK(pos_is(&s, 2, 1, 2));            /* β */
    CHECK(pos_is(&s, 4, 1, 3));            /* the space after β */
    CHECK(pos_is(&s, 7, 1, 6));            /* 😀 */
    CHECK(pos_is(&s, 11, 1, 7));           /* x */
    vx_source_free(&s);
}

TEST(source_pos_tab_is_one_column)
{
    VxSource s;
    vx_source_from_memory(&s, "t.vx", "\t\tx\n y", 6);
    CHECK(pos_is(&s, 2, 1, 3));
    CHECK(pos_is(&s, 5, 2, 2));
    vx_source_free(&s);
}

TEST(source_pos_end_after_final_newline)
{
    VxSource s;
    vx_source_from_memory(&s, "n.vx", "ab\ncd\n", 6);
    /* End of file after a final newline points just past the last line. */
    CHECK(pos_is(&s, 6, 2, 3));
    vx_source_free(&s);

    vx_source_from_memory(&s, "e.vx", "", 0);
    CHECK(s.nlines == 1);
    CHECK(pos_is(&s, 0, 1, 1));
    vx_source_free(&s);
}

TEST(source_line_text_without_newline)
{
    VxSource s;
    uint32_t n;
    const char *text = "first\r\nsecond\n\nlast";
    vx_source_from_memory(&s, "l.vx", text, strlen(text));
    const char *l1 = vx_source_line(&s, 1, &n);
    CHECK(n == 5 && memcmp(l1, "first", 5) == 0);      /* the \r of CRLF is dropped */
    const char *l2 = vx_source_line(&s, 2, &n);
    CHECK(n == 6 && memcmp(l2, "second", 6) == 0);
    vx_source_line(&s, 3, &n);
    CHECK(n == 0);
    const char *l4 = vx_source_line(&s, 4, &n);
    CHECK(n == 4 && memcmp(l4, "last", 4) == 0);
    CHECK_STR(vx_source_line(&s, 5, &n), "");
    CHECK(n == 0);
    vx_source_line(&s, 0, &n);
    CHECK(n == 0);
    vx_source_free(&s);
}

TEST(source_from_memory_copies_and_terminates)
{
    char buf[4] = { 'a', 'b', 'c', 'd' };
    VxSource s;
    vx_source_from_memory(&s, "m.vx", buf, 3);
    buf[0] = 'z';
    CHECK(s.len == 3);
    CHECK_STR(s.text, "abc");
    vx_source_free(&s);
}

/* ---- u256 ------------------------------------------------------------------ */

TEST(u256_to_decimal)
{
    char buf[100];
    VxU256 v = { { 0, 0, 0, 0 } };
    vx_u256_str(&v, buf, sizeof buf);
    CHECK_STR(buf, "0");
    v.limb[0] = 1234567890123456789ull;
    vx_u256_str(&v, buf, sizeof buf);
    CHECK_STR(buf, "1234567890123456789");
    v.limb[0] = 0; v.limb[1] = 1;                      /* 2^64 */
    vx_u256_str(&v, buf, sizeof buf);
    CHECK_STR(buf, "18446744073709551616");
    v.limb[1] = 0; v.limb[3] = 1ull << 63;            /* 2^255 */
    vx_u256_str(&v, buf, sizeof buf);
    CHECK_STR(buf, "57896044618658097711785492504343953926634992332820282019728792003956564819968");
    for (int i = 0; i < 4; i++) v.limb[i] = UINT64_MAX;
    vx_u256_str(&v, buf, sizeof buf);
    CHECK_STR(buf, "115792089237316195423570985008687907853269984665640564039457584007913129639935");
}

TEST(u256_to_decimal_truncates_to_buffer)
{
    char buf[5];
    VxU256 v = { { 1234567, 0, 0, 0 } };
    vx_u256_str(&v, buf, sizeof buf);
    CHECK_STR(buf, "1234");                           /* leading digits, always terminated */
}

/* ---- collecting ---------------------------------------------------------------- */

TEST(diag_collect_only_counts)
{
    VxSource s;
    vx_source_from_memory(&s, "c.vx", "abc", 3);
    VxDiags d;
    vx_diags_init(&d, NULL, VX_FMT_TEXT, false);
    vx_diag(&d, VX_ERROR, &s, vx_span(0, 1), "one");
    vx_diag(&d, VX_WARNING, &s, vx_span(1, 2), "two %d", 2);
    vx_diag(&d, VX_ERROR, &s, vx_span(2, 3), "three");
    CHECK(d.errors == 2 && d.warnings == 1 && d.len == 3);
    CHECK_STR(d.items[1]->message, "two 2");
    CHECK(d.items[1]->severity == VX_WARNING);
    CHECK(d.items[2]->seq == 2);
    CHECK(d.items[0]->nlabels == 1 && d.items[0]->labels[0].primary);
    CHECK_STR(d.items[0]->labels[0].text, "");
    vx_diags_flush(&d);                               /* out == NULL: nothing printed, list cleared */
    CHECK(d.len == 0 && d.errors == 2);
    vx_diags_free(&d);
    vx_source_free(&s);
}

TEST(diag_labels_and_notes_are_bounded)
{
    VxSource s;
    vx_source_from_memory(&s, "b.vx", "abcdefgh", 8);
    VxDiags d;
    vx_diags_init(&d, NULL, VX_FMT_TEXT, false);
    VxDiag *g = vx_diag(&d, VX_ERROR, &s, vx_span(0, 1), "m");
    for (int i = 0; i < 6; i++) vx_diag_label(&d, g, vx_span((uint32_t)i + 1, (uint32_t)i + 2), "l%d", i);
    for (int i = 0; i < 6; i++) vx_diag_note(&d, g, "n%d", i);
    CHECK(g->nlabels == VX_DIAG_MAX_LABELS);
    CHECK(g->nnotes == VX_DIAG_MAX_NOTES);
    CHECK_STR(g->labels[1].text, "l0");
    CHECK(!g->labels[1].primary);
    CHECK_STR(g->notes[3], "note: n3");
    vx_diag_help(&d, g, "too many");
    CHECK(g->nnotes == VX_DIAG_MAX_NOTES);
    vx_diags_free(&d);
    vx_source_free(&s);
}

TEST(diag_limit_drops_but_counts)
{
    VxSource s;
    vx_source_from_memory(&s, "l.vx", "x", 1);
    VxDiags d;
    vx_diags_init(&d, NULL, VX_FMT_TEXT, false);
    for (int i = 0; i < VX_DIAG_LIMIT + 50; i++) {
        VxDiag *g = vx_diag(&d, VX_ERROR, &s, vx_span(0, 1), "e%d", i);
        vx_diag_help(&d, g, "h");                     /* safe past the limit too */
        vx_diag_label(&d, g, vx_span(0, 1), "x");
    }
    CHECK(d.len == VX_DIAG_LIMIT);
    CHECK(d.dropped == 50);
    CHECK(d.errors == VX_DIAG_LIMIT + 50);
    CHECK_STR(d.items[VX_DIAG_LIMIT - 1]->message, "e199");
    vx_diags_free(&d);
    vx_source_free(&s);
}

/* ---- text rendering ----------------------------------------------------------- */

TEST(diag_render_text_basic)
{
    VxSource s;
    vx_source_from_memory(&s, "t.vx", "let x = 1 $ 2\n", 14);
    VxDiags d;
    vx_diags_init(&d, NULL, VX_FMT_TEXT, false);
    VxDiag *g = vx_diag(&d, VX_ERROR, &s, vx_span(10, 11), "bad %s", "thing");
    vx_diag_primary(&d, g, "here");
    vx_diag_help(&d, g, "fix it");
    char *out = render(&d, g);
    CHECK_STR(out,
              "error: bad thing\n"
              " --> t.vx:1:11\n"
              "  |\n"
              "1 | let x = 1 $ 2\n"
              "  |           ^ here\n"
              "  |\n"
              "  = help: fix it\n"
              "\n");
    free(out);
    vx_diags_free(&d);
    vx_source_free(&s);
}

TEST(diag_render_text_warning_multichar_span)
{
    VxSource s;
    vx_source_from_memory(&s, "w.vx", "fn unused() {}", 14);
    VxDiags d;
    vx_diags_init(&d, NULL, VX_FMT_TEXT, false);
    VxDiag *g = vx_diag(&d, VX_WARNING, &s, vx_span(3, 9), "function `unused` is never used");
    char *out = render(&d, g);
    CHECK_STR(out,
              "warning: function `unused` is never used\n"
              " --> w.vx:1:4\n"
              "  |\n"
              "1 | fn unused() {}\n"
              "  |    ^^^^^^\n"
              "\n");
    free(out);
    vx_diags_free(&d);
    vx_source_free(&s);
}

TEST(diag_render_text_secondary_label_other_line)
{
    /* 11 lines, so the gutter is two digits wide; the opener is on line 9 */
    const char *text = "\n\n\n\n\n\n\n\nfn f() {\n  let x = 1\n  y\n";
    VxSource s;
    vx_source_from_memory(&s, "s.vx", text, strlen(text));
    VxDiags d;
    vx_diags_init(&d, NULL, VX_FMT_TEXT, false);
    uint32_t open = 8 + 7, err = 8 + 9 + 12 + 2;       /* `{` on line 9, `y` on line 11 */
    VxDiag *g = vx_diag(&d, VX_ERROR, &s, vx_span(err, err + 1), "unclosed");
    vx_diag_primary(&d, g, "expected `}`");
    vx_diag_label(&d, g, vx_span(open, open + 1), "opened here");
    vx_diag_note(&d, g, "a note");
    char *out = render(&d, g);
    CHECK_STR(out,
              "error: unclosed\n"
              "  --> s.vx:11:3\n"
              "   |\n"
              " 9 | fn f() {\n"
              "   |        - opened here\n"
              "...\n"
              "11 |   y\n"
              "   |   ^ expected `}`\n"
              "   |\n"
              "   = note: a note\n"
              "\n");
    free(out);
    vx_diags_free(&d);
    vx_source_free(&s);
}

TEST(diag_render_text_tabs_and_utf8_alignment)
{
    /* a tab shows as 4 spaces; a 2-byte character takes one column */
    const char *text = "\tlet \xCE\xB1 = $\n";
    VxSource s;
    vx_source_from_memory(&s, "u.vx", text, strlen(text));
    VxDiags d;
    vx_diags_init(&d, NULL, VX_FMT_TEXT, false);
    VxDiag *g = vx_diag(&d, VX_ERROR, &s, vx_span(10, 11), "unknown");
    char *out = render(&d, g);
    CHECK_STR(out,
              "error: unknown\n"
              " --> u.vx:1:10\n"
              "  |\n"
              "1 |     let \xCE\xB1 = $\n"
              "  |             ^\n"
              "\n");
    free(out);
    vx_diags_free(&d);
    vx_source_free(&s);
}

TEST(diag_render_text_long_line_window)
{
    char text[201];
    memset(text, 'a', 200);
    text[150] = 'X';
    text[200] = '\0';
    VxSource s;
    vx_source_from_memory(&s, "long.vx", text, 200);
    VxDiags d;
    vx_diags_init(&d, NULL, VX_FMT_TEXT, false);
    VxDiag *g = vx_diag(&d, VX_ERROR, &s, vx_span(150, 151), "here");
    char *out = render(&d, g);
    /* bytes 110..200 are shown after "..."; the caret stays under the X */
    char want[512];
    snprintf(want, sizeof want,
             "error: here\n --> long.vx:1:151\n  |\n1 | ...%.*sX%.*s\n  | %*s^\n\n",
             40, text + 110, 49, text + 151, 43, "");
    CHECK(strcmp(out, want) == 0);
    free(out);

    text[150] = 'a';
    text[50] = 'Y';
    vx_source_free(&s);
    vx_source_from_memory(&s, "long.vx", text, 200);
    g = vx_diag(&d, VX_ERROR, &s, vx_span(50, 51), "mid");
    out = render(&d, g);
    /* bytes 10..110, cut on both sides */
    snprintf(want, sizeof want,
             "error: mid\n --> long.vx:1:51\n  |\n1 | ...%.*sY%.*s...\n  | %*s^\n\n",
             40, text + 10, 59, text + 51, 43, "");
    CHECK(strcmp(out, want) == 0);
    free(out);
    vx_diags_free(&d);
    vx_source_free(&s);
}

TEST(diag_render_text_color)
{
    VxSource s;
    vx_source_from_memory(&s, "c.vx", "x", 1);
    VxDiags d;
    vx_diags_init(&d, NULL, VX_FMT_TEXT, true);
    VxDiag *g = vx_diag(&d, VX_ERROR, &s, vx_span(0, 1), "m");
    char *out = render(&d, g);
    CHECK(strncmp(out, "\033[1;31merror\033[0m\033[1m: m\n\033[0m", 28) == 0);
    CHECK(strstr(out, "\033[1;31m^") != NULL);
    free(out);
    vx_diags_free(&d);
    vx_source_free(&s);
}

/* ---- JSON rendering --------------------------------------------------------------- */

TEST(diag_render_json_shape)
{
    VxSource s;
    vx_source_from_memory(&s, "t.vx", "let x = 1 $ 2\n", 14);
    VxDiags d;
    vx_diags_init(&d, NULL, VX_FMT_JSON, false);
    VxDiag *g = vx_diag(&d, VX_ERROR, &s, vx_span(10, 11), "bad thing");
    vx_diag_primary(&d, g, "here");
    vx_diag_label(&d, g, vx_span(4, 5), "bound");
    vx_diag_help(&d, g, "fix it");
    char *out = render(&d, g);
    CHECK_STR(out,
              "{\"severity\":\"error\",\"message\":\"bad thing\",\"file\":\"t.vx\","
              "\"line\":1,\"column\":11,\"end_line\":1,\"end_column\":12,\"byte_start\":10,\"byte_end\":11,"
              "\"labels\":[{\"primary\":true,\"text\":\"here\",\"line\":1,\"column\":11,\"end_line\":1,"
              "\"end_column\":12,\"byte_start\":10,\"byte_end\":11},"
              "{\"primary\":false,\"text\":\"bound\",\"line\":1,\"column\":5,\"end_line\":1,"
              "\"end_column\":6,\"byte_start\":4,\"byte_end\":5}],"
              "\"notes\":[\"help: fix it\"]}\n");
    free(out);
    vx_diags_free(&d);
    vx_source_free(&s);
}

TEST(diag_render_json_escapes_and_warning)
{
    VxSource s;
    vx_source_from_memory(&s, "dir\\q\"f.vx", "ab", 2);
    VxDiags d;
    vx_diags_init(&d, NULL, VX_FMT_JSON, true);     /* colour never applies to JSON */
    VxDiag *g = vx_diag(&d, VX_WARNING, &s, vx_span(0, 2), "say \"hi\"\n\tand \\ %s", "\x01");
    char *out = render(&d, g);
    CHECK_STR(out,
              "{\"severity\":\"warning\",\"message\":\"say \\\"hi\\\"\\n\\tand \\\\ \\u0001\","
              "\"file\":\"dir\\\\q\\\"f.vx\",\"line\":1,\"column\":1,\"end_line\":1,\"end_column\":3,"
              "\"byte_start\":0,\"byte_end\":2,\"labels\":[{\"primary\":true,\"text\":\"\",\"line\":1,"
              "\"column\":1,\"end_line\":1,\"end_column\":3,\"byte_start\":0,\"byte_end\":2}],\"notes\":[]}\n");
    free(out);
    vx_diags_free(&d);
    vx_source_free(&s);
}

/* ---- flushing ------------------------------------------------------------------- */

TEST(diag_flush_sorts_by_position)
{
    VxSource s;
    vx_source_from_memory(&s, "f.vx", "a b c", 5);
    Capture c;
    capture_open(&c);
    VxDiags d;
    vx_diags_init(&d, c.f, VX_FMT_JSON, false);
    vx_diag(&d, VX_ERROR, &s, vx_span(4, 5), "third");
    vx_diag(&d, VX_ERROR, &s, vx_span(0, 1), "first");
    vx_diag(&d, VX_ERROR, &s, vx_span(4, 5), "fourth");    /* same place: creation order */
    vx_diag(&d, VX_ERROR, &s, vx_span(2, 3), "second");
    vx_diags_flush(&d);
    const char *out = capture_text(&c);
    const char *p1 = strstr(out, "\"first\""), *p2 = strstr(out, "\"second\"");
    const char *p3 = strstr(out, "\"third\""), *p4 = strstr(out, "\"fourth\"");
    CHECK(p1 && p2 && p3 && p4);
    CHECK(p1 < p2 && p2 < p3 && p3 < p4);
    int lines = 0;
    for (const char *q = out; *q; q++) lines += *q == '\n';
    CHECK(lines == 4);                                       /* JSON Lines: one object per line */
    CHECK(d.len == 0);
    vx_diags_free(&d);
    capture_close(&c);
    vx_source_free(&s);
}

TEST(diag_flush_reports_dropped)
{
    VxSource s;
    vx_source_from_memory(&s, "f.vx", "x", 1);
    Capture c;
    capture_open(&c);
    VxDiags d;
    vx_diags_init(&d, c.f, VX_FMT_TEXT, false);
    for (int i = 0; i < VX_DIAG_LIMIT + 3; i++) vx_diag(&d, VX_ERROR, &s, vx_span(0, 1), "e");
    vx_diags_flush(&d);
    const char *out = capture_text(&c);
    size_t n = strlen(out);
    const char *tail = "note: 3 further diagnostics were not shown\n\n";
    CHECK(n > strlen(tail) && strcmp(out + n - strlen(tail), tail) == 0);
    CHECK(d.len == 0 && d.dropped == 0);
    vx_diags_free(&d);
    capture_close(&c);
    vx_source_free(&s);
}

/* ---- the parser's error behaviour ------------------------------------------------- */

static const char sample_program[] =
    "import std.nn { Linear, relu as r }\n"
    "const N: i64 = 10\n"
    "type V = [f64; 3]\n"
    "@derive(Clone)\n"
    "struct P<T: Copy> { x: T, y: T }\n"
    "enum E { A(i64), B { v: f64 }, C = 3 }\n"
    "trait Tr: Base { type Out; fn f(&self) -> Self::Out }\n"
    "impl<T> Tr for P<T> where T: Copy { fn f(&self) -> i64 { self.x.0 } }\n"
    "kernel k(a: Tensor<f32, [B, ?]>, lr: f64 = 0.01) -> Tensor<f32> { a .* lr }\n"
    "fn main() {\n"
    "    let (a, mut b): (i64, i64) = (1, 2)\n"
    "    var s = \"x\\n\\u{1F600}\"\n"
    "    outer: for i in 0..=10 { if i % 2 == 0 { continue outer } else { break } }\n"
    "    let m = match a { 1 | 2 => -1, n if n > 3 => n ** 2, P { x, .. } => x, _ => 0 }\n"
    "    let f = |x: i64| -> i64 { x << 1 }\n"
    "    let v = w[1..3, :].sum::<f32>()?.abs() as f64\n"
    "    no_grad { b += f(a, lr = 0.1) }\n"
    "    while let Some(t) = q.pop() { p = P { x: t, y: [0; 4] } }\n"
    "}\n";

TEST(parse_sample_has_no_errors)
{
    Parsed P;
    parse_str(&P, sample_program);
    CHECK(P.diags.errors == 0);
    CHECK(P.file && P.file->kind == VX_N_FILE);
    CHECK(P.file->u.file.items.len == 9);
    CHECK(P.file->u.file.items.items[8]->kind == VX_N_FN);
    CHECK_STR(P.file->u.file.items.items[8]->u.fn.name, "main");
    CHECK(P.file->u.file.items.items[8]->u.fn.body->u.block.stmts.len == 8);
    parsed_free(&P);
}

TEST(parse_every_prefix_never_crashes)
{
    size_t n = sizeof sample_program - 1;
    int with_errors = 0;
    for (size_t len = 0; len <= n; len++) {
        Parsed P;
        parse_mem(&P, sample_program, len);
        CHECK(P.file != NULL && P.file->kind == VX_N_FILE);
        CHECK(P.file->span.start == 0 && P.file->span.end == len);
        with_errors += P.diags.errors > 0;
        parsed_free(&P);
    }
    CHECK(with_errors > (int)n / 2);          /* most truncations are reported, none crash */
}

TEST(parse_every_suffix_never_crashes)
{
    size_t n = sizeof sample_program - 1;
    for (size_t from = 0; from <= n; from++) {
        Parsed P;
        parse_mem(&P, sample_program + from, n - from);
        CHECK(P.file != NULL && P.file->kind == VX_N_FILE);
        parsed_free(&P);
    }
}

TEST(parse_error_count_and_recovery)
{
    Parsed P;
    parse_str(&P, "fn a() { let = 5 }\nfn b() { x = }\nfn c() { f(1 2) }\nfn d() { ok() }\n");
    CHECK(P.diags.errors == 3);
    CHECK(P.diags.len == 3);
    CHECK_STR(P.diags.items[0]->message, "expected a name or pattern to bind, found `=`");
    CHECK_STR(P.diags.items[1]->message, "expected an expression, found `}`");
    CHECK_STR(P.diags.items[2]->message, "expected `,` or `)` in the argument list, found integer literal");
    CHECK(P.diags.items[2]->nlabels == 2);
    CHECK_STR(P.diags.items[2]->labels[1].text, "argument list starts here");
    /* every function is still there, including the good one after the errors */
    CHECK(P.file->u.file.items.len == 4);
    CHECK_STR(P.file->u.file.items.items[3]->u.fn.name, "d");
    CHECK(P.file->u.file.items.items[3]->u.fn.body->u.block.stmts.len == 1);
    parsed_free(&P);
}

TEST(parse_errors_in_items_recover)
{
    Parsed P;
    parse_str(&P, "struct S { a: }\nfn g( { }\nenum E { A( }\nfn ok() {}\n");
    CHECK(P.diags.errors == 3);
    CHECK(P.file->u.file.items.len == 4);
    CHECK(P.file->u.file.items.items[3]->kind == VX_N_FN);
    CHECK_STR(P.file->u.file.items.items[3]->u.fn.name, "ok");
    parsed_free(&P);
}

TEST(parse_lexer_errors_are_not_fatal)
{
    Parsed P;
    parse_str(&P, "fn f() {\n    let a = 0b102\n    let b = 300u8\n    let c = \"\\q\"\n    let d = 1 $ 2\n}\n"
                  "fn g() -> i64 { 1 }\n");
    /* four lexer errors (the `$` also upsets the parser); g is still parsed */
    CHECK(P.diags.errors >= 4);
    CHECK_STR(P.diags.items[0]->message, "invalid digit `2` in binary literal");
    CHECK_STR(P.diags.items[1]->message, "integer literal is out of range for `u8`");
    CHECK_STR(P.diags.items[2]->message, "unknown escape sequence `\\q`");
    CHECK_STR(P.diags.items[3]->message, "unknown character `$` (U+0024)");
    CHECK(P.file->u.file.items.len == 2);
    CHECK_STR(P.file->u.file.items.items[1]->u.fn.name, "g");
    parsed_free(&P);
}

TEST(parse_unclosed_delimiter_points_at_opener)
{
    Parsed P;
    parse_str(&P, "fn f() {\n    g(1)\n");
    CHECK(P.diags.errors == 1);
    CHECK_STR(P.diags.items[0]->message, "this file contains an unclosed delimiter");
    CHECK(P.diags.items[0]->nlabels == 2);
    CHECK_STR(P.diags.items[0]->labels[0].text, "expected `}` here");
    CHECK(P.diags.items[0]->labels[1].span.start == 7 && P.diags.items[0]->labels[1].span.end == 8);
    CHECK_STR(P.diags.items[0]->labels[1].text, "unclosed delimiter");
    parsed_free(&P);
}

TEST(parse_too_deep_is_an_error_not_a_crash)
{
    enum { N = 5000 };
    char *s = malloc(2 * N + 32);
    size_t k = 0;
    k += (size_t)sprintf(s, "fn f() { x = ");
    for (int i = 0; i < N; i++) s[k++] = '(';
    s[k++] = '1';
    for (int i = 0; i < N; i++) s[k++] = ')';
    k += (size_t)sprintf(s + k, " }\n");
    Parsed P;
    parse_mem(&P, s, k);
    free(s);
    CHECK(P.diags.errors >= 1);
    CHECK_STR(P.diags.items[0]->message, "program is nested too deeply");
    CHECK(P.file->u.file.items.len == 1);
    parsed_free(&P);
}

TEST(parse_long_chain_is_bounded)
{
    enum { N = 20000 };
    char *s = malloc(2 * N + 32);
    size_t k = (size_t)sprintf(s, "fn f() { x = 1");
    for (int i = 0; i < N; i++) { s[k++] = '+'; s[k++] = '1'; }
    k += (size_t)sprintf(s + k, " }\n");
    Parsed P;
    parse_mem(&P, s, k);
    free(s);
    CHECK(P.diags.errors == 1);
    CHECK_STR(P.diags.items[0]->message, "expression is too long");
    parsed_free(&P);
}

TEST(parse_reserved_word_as_name)
{
    Parsed P;
    parse_str(&P, "fn f() { let async = 1 }\nfn g() {}\n");
    CHECK(P.diags.errors == 1);
    CHECK_STR(P.diags.items[0]->message, "`async` is a reserved keyword");
    CHECK(P.file->u.file.items.len == 2);
    parsed_free(&P);

    parse_str(&P, "fn yield() {}\n");
    CHECK(P.diags.errors == 1);
    CHECK_STR(P.diags.items[0]->message, "`yield` is a reserved keyword");
    parsed_free(&P);
}

TEST(parse_json_errors_one_object_per_line)
{
    VxSource s;
    const char *text = "fn main() {\n    let x = ;\n    g(1 2)\n}\n";
    vx_source_from_memory(&s, "j.vx", text, strlen(text));
    VxArena a;
    vx_arena_init(&a);
    Capture c;
    capture_open(&c);
    VxDiags d;
    vx_diags_init(&d, c.f, VX_FMT_JSON, false);
    vx_parse(&s, &a, &d);
    int errors = d.errors;
    vx_diags_flush(&d);
    const char *out = capture_text(&c);
    CHECK(errors == 2);
    int lines = 0, objects = 0;
    for (const char *q = out; *q; q++) lines += *q == '\n';
    for (const char *q = out; (q = strstr(q, "{\"severity\":\"error\",")); q++) objects++;
    CHECK(lines == errors && objects == errors);
    CHECK(strncmp(out, "{\"severity\":\"error\",\"message\":\"expected an expression, found `;`\"", 65) == 0);
    CHECK(strstr(out, "\"file\":\"j.vx\",\"line\":2,\"column\":13,") != NULL);
    vx_diags_free(&d);
    capture_close(&c);
    vx_arena_free(&a);
    vx_source_free(&s);
}
