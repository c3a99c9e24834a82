/* test_lexer.c - unit tests for the lexer (src/front/lexer.c): token kinds,
 * spans, literal values and suffixes, string decoding, the newline rules,
 * and errors that are reported without stopping the lexer. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/front/ast.h"
#include "../../src/front/lexer.h"
#include "unit.h"

/* ---- helpers -------------------------------------------------------------- */

typedef struct Lexed {
    VxSource src;
    VxArena arena;
    VxDiags diags;
    VxTokens toks;
} Lexed;

static void lex_mem(Lexed *L, const char *text, size_t len)
{
    vx_source_from_memory(&L->src, "test.vx", text, len);
    vx_arena_init(&L->arena);
    vx_diags_init(&L->diags, NULL, VX_FMT_TEXT, false);
    L->toks = vx_lex(&L->src, &L->arena, &L->diags);
}

static void lex(Lexed *L, const char *text) { lex_mem(L, text, strlen(text)); }

static void lexed_free(Lexed *L)
{
    vx_tokens_free(&L->toks);
    vx_diags_free(&L->diags);
    vx_arena_free(&L->arena);
    vx_source_free(&L->src);
}

/* Token i's kind, or -1 past the end. */
static int kind_at(const Lexed *L, int i) { return i < L->toks.len ? L->toks.data[i].kind : -1; }

/* Do the token kinds equal `want` (terminated by TK_COUNT)? */
static bool kinds_are(const Lexed *L, const int *want)
{
    int n = 0;
    while (want[n] != TK_COUNT) n++;
    if (L->toks.len != n) return false;
    for (int i = 0; i < n; i++)
        if (L->toks.data[i].kind != want[i]) return false;
    return true;
}

static const char *tok_text(const Lexed *L, int i, char *buf, size_t cap)
{
    const VxToken *t = &L->toks.data[i];
    size_t n = t->span.end - t->span.start;
    if (n >= cap) n = cap - 1;
    memcpy(buf, L->src.text + t->span.start, n);
    buf[n] = '\0';
    return buf;
}

static const char *u256(const VxToken *t, char *buf, size_t cap)
{
    vx_u256_str(t->v.ival, buf, cap);
    return buf;
}

static int count_kind(const Lexed *L, VxTokKind k)
{
    int n = 0;
    for (int i = 0; i < L->toks.len; i++) n += L->toks.data[i].kind == k;
    return n;
}

static const char *first_message(const Lexed *L)
{
    return L->diags.len ? L->diags.items[0]->message : "";
}

/* Does any note of diagnostic 0 contain `part`? */
static bool first_note_has(const Lexed *L, const char *part)
{
    if (!L->diags.len) return false;
    const VxDiag *g = L->diags.items[0];
    for (int i = 0; i < g->nnotes; i++)
        if (strstr(g->notes[i], part)) return true;
    return false;
}

/* ---- token kinds and spans ------------------------------------------------ */

TEST(lex_simple_statement_kinds)
{
    Lexed L;
    lex(&L, "let x = 1 + 2\n");
    static const int want[] = { TK_LET, TK_IDENT, TK_EQ, TK_INT, TK_PLUS, TK_INT, TK_NEWLINE, TK_EOF, TK_COUNT };
    CHECK(kinds_are(&L, want));
    CHECK(L.diags.errors == 0);
    lexed_free(&L);
}

TEST(lex_token_spans_are_byte_ranges)
{
    Lexed L;
    lex(&L, "fn f(ab: i64) -> i64 {}");
    static const int want[] = { TK_FN, TK_IDENT, TK_LPAREN, TK_IDENT, TK_COLON, TK_IDENT, TK_RPAREN,
                                TK_ARROW, TK_IDENT, TK_LBRACE, TK_RBRACE, TK_NEWLINE, TK_EOF, TK_COUNT };
    CHECK(kinds_are(&L, want));
    CHECK(L.toks.data[0].span.start == 0 && L.toks.data[0].span.end == 2);    /* fn */
    CHECK(L.toks.data[3].span.start == 5 && L.toks.data[3].span.end == 7);    /* ab */
    CHECK(L.toks.data[7].span.start == 14 && L.toks.data[7].span.end == 16);  /* -> */
    CHECK(L.toks.data[10].span.start == 22 && L.toks.data[10].span.end == 23); /* } */
    /* the NEWLINE added at end of file and EOF are empty spans at the end */
    CHECK(L.toks.data[11].span.start == 23 && L.toks.data[11].span.end == 23);
    CHECK(L.toks.data[12].span.start == 23 && L.toks.data[12].span.end == 23);
    lexed_free(&L);
}

TEST(lex_longest_operator_match)
{
    Lexed L;
    lex(&L, "<<= >>= ..= .. :: -> => ** .* ./ && || == != <= >= << >> ^= @ ?");
    static const int want[] = { TK_SHLEQ, TK_SHREQ, TK_DOTDOTEQ, TK_DOTDOT, TK_COLONCOLON, TK_ARROW,
                                TK_FATARROW, TK_STARSTAR, TK_DOTSTAR, TK_DOTSLASH, TK_AMPAMP, TK_PIPEPIPE,
                                TK_EQEQ, TK_NE, TK_LE, TK_GE, TK_SHL, TK_SHR, TK_CARETEQ, TK_AT,
                                TK_QUESTION, TK_NEWLINE, TK_EOF, TK_COUNT };
    CHECK(kinds_are(&L, want));
    lexed_free(&L);
}

TEST(lex_keywords_and_reserved_words)
{
    Lexed L;
    lex(&L, "fn kernel no_grad Self self var async yield unsafe asx Selfie");
    static const int want[] = { TK_FN, TK_KERNEL, TK_NO_GRAD, TK_SELF_TYPE, TK_SELF, TK_VAR, TK_ASYNC,
                                TK_YIELD, TK_UNSAFE, TK_IDENT, TK_IDENT, TK_NEWLINE, TK_EOF, TK_COUNT };
    CHECK(kinds_are(&L, want));
    CHECK(TK_ASYNC >= TK_FIRST_RESERVED && TK_WHILE < TK_FIRST_RESERVED);
    CHECK(L.diags.errors == 0);          /* reserved words are the parser's business */
    lexed_free(&L);
}

TEST(lex_token_and_suffix_names)
{
    CHECK_STR(vx_tok_name(TK_IDENT), "identifier");
    CHECK_STR(vx_tok_name(TK_NEWLINE), "newline");
    CHECK_STR(vx_tok_name(TK_SHLEQ), "`<<=`");
    CHECK_STR(vx_tok_name(TK_NO_GRAD), "`no_grad`");
    CHECK_STR(vx_suffix_name(VX_SUF_NONE), "");
    CHECK_STR(vx_suffix_name(VX_SUF_BF16), "bf16");
    CHECK_STR(vx_suffix_name(VX_SUF_U256), "u256");
    CHECK(vx_suffix_is_float(VX_SUF_F16) && !vx_suffix_is_float(VX_SUF_USIZE));
}

/* ---- numbers -------------------------------------------------------------- */

TEST(lex_integer_bases_and_underscores)
{
    Lexed L;
    lex(&L, "0x1F 0b1010 0o755 1_000_000 0xFF_FF 0");
    static const uint64_t want[] = { 31, 10, 493, 1000000, 65535, 0 };
    for (int i = 0; i < 6; i++) {
        CHECK(L.toks.data[i].kind == TK_INT);
        CHECK(L.toks.data[i].v.ival->limb[0] == want[i]);
        CHECK(L.toks.data[i].v.ival->limb[1] == 0);
        CHECK(L.toks.data[i].suffix == VX_SUF_NONE);
    }
    CHECK(L.diags.errors == 0);
    lexed_free(&L);
}

TEST(lex_integer_suffixes)
{
    Lexed L;
    lex(&L, "1i8 2i16 3i32 4i64 5i128 6isize 7u8 8u16 9u32 10u64 11u128 12u256 13usize 0xFFu8 1_000_u16");
    static const int want[] = { VX_SUF_I8, VX_SUF_I16, VX_SUF_I32, VX_SUF_I64, VX_SUF_I128, VX_SUF_ISIZE,
                                VX_SUF_U8, VX_SUF_U16, VX_SUF_U32, VX_SUF_U64, VX_SUF_U128, VX_SUF_U256,
                                VX_SUF_USIZE, VX_SUF_U8, VX_SUF_U16 };
    for (int i = 0; i < 15; i++) {
        CHECK(L.toks.data[i].kind == TK_INT);
        CHECK(L.toks.data[i].suffix == want[i]);
        CHECK(!L.toks.data[i].bad);
    }
    CHECK(L.toks.data[13].v.ival->limb[0] == 255);
    CHECK(L.toks.data[14].v.ival->limb[0] == 1000);
    CHECK(L.diags.errors == 0);
    lexed_free(&L);
}

TEST(lex_u256_max_value)
{
    Lexed L;
    char buf[100];
    lex(&L, "115792089237316195423570985008687907853269984665640564039457584007913129639935u256 "
            "0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF "
            "18446744073709551616");
    CHECK(L.diags.errors == 0);
    for (int i = 0; i < 2; i++)
        for (int k = 0; k < 4; k++) CHECK(L.toks.data[i].v.ival->limb[k] == UINT64_MAX);
    CHECK(L.toks.data[0].suffix == VX_SUF_U256);
    CHECK_STR(u256(&L.toks.data[1], buf, sizeof buf),
              "115792089237316195423570985008687907853269984665640564039457584007913129639935");
    /* 2^64: the carry lands in the second limb */
    CHECK(L.toks.data[2].v.ival->limb[0] == 0 && L.toks.data[2].v.ival->limb[1] == 1);
    lexed_free(&L);
}

TEST(lex_too_large_literal_is_error)
{
    Lexed L;
    /* 2^256, one past u256 max; then lexing goes on */
    lex(&L, "115792089237316195423570985008687907853269984665640564039457584007913129639936 x");
    CHECK(L.diags.errors == 1);
    CHECK_STR(first_message(&L), "integer literal is too large");
    CHECK(first_note_has(&L, "at most 256 bits"));
    CHECK(L.toks.data[0].kind == TK_INT && L.toks.data[0].bad);
    CHECK(L.diags.items[0]->labels[0].span.start == 0 && L.diags.items[0]->labels[0].span.end == 78);
    CHECK(kind_at(&L, 1) == TK_IDENT);
    lexed_free(&L);

    lex(&L, "0x1FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF");   /* 257 bits */
    CHECK(L.diags.errors == 1);
    CHECK_STR(first_message(&L), "integer literal is too large");
    lexed_free(&L);
}

TEST(lex_bad_digit_for_base)
{
    Lexed L;
    lex(&L, "0b102 0o78 0b1 y");
    CHECK(L.diags.errors == 2);
    CHECK_STR(L.diags.items[0]->message, "invalid digit `2` in binary literal");
    CHECK(L.diags.items[0]->labels[0].span.start == 4 && L.diags.items[0]->labels[0].span.end == 5);
    CHECK_STR(L.diags.items[1]->message, "invalid digit `8` in octal literal");
    CHECK(L.diags.items[1]->labels[0].span.start == 9);
    CHECK(L.toks.data[0].kind == TK_INT && L.toks.data[0].bad);
    CHECK(L.toks.data[0].span.start == 0 && L.toks.data[0].span.end == 5);
    CHECK(L.toks.data[1].bad);
    CHECK(!L.toks.data[2].bad && L.toks.data[2].v.ival->limb[0] == 1);     /* errors are not fatal */
    CHECK(kind_at(&L, 3) == TK_IDENT);
    lexed_free(&L);
}

TEST(lex_missing_digits_after_prefix)
{
    Lexed L;
    lex(&L, "0x + 0b");
    CHECK(L.diags.errors == 2);
    CHECK_STR(first_message(&L), "missing digits after the base prefix");
    CHECK(L.toks.data[0].kind == TK_INT && L.toks.data[0].bad);
    CHECK(kind_at(&L, 1) == TK_PLUS);
    lexed_free(&L);
}

TEST(lex_invalid_suffix)
{
    Lexed L;
    lex(&L, "1xyz 2u7 1.5u8 ok");
    CHECK(L.diags.errors == 3);
    CHECK_STR(L.diags.items[0]->message, "invalid suffix `xyz` for number literal");
    CHECK(L.diags.items[0]->labels[0].span.start == 1 && L.diags.items[0]->labels[0].span.end == 4);
    CHECK_STR(L.diags.items[1]->message, "invalid suffix `u7` for number literal");
    CHECK_STR(L.diags.items[2]->message, "invalid suffix `u8` for float literal");
    CHECK(L.diags.items[2]->nnotes == 1);
    CHECK_STR(L.diags.items[2]->notes[0], "help: valid float suffixes are f16, bf16, f32 and f64");
    CHECK(L.toks.data[0].bad && L.toks.data[1].bad && L.toks.data[2].bad);
    CHECK(L.toks.data[2].kind == TK_FLOAT);
    CHECK(kind_at(&L, 3) == TK_IDENT);
    lexed_free(&L);
}

TEST(lex_out_of_range_for_suffix)
{
    Lexed L;
    lex(&L, "255u8 300u8 256u8 127i8 128i8 129i8 65536u16 4294967296u32");
    CHECK(L.diags.errors == 5);
    CHECK_STR(L.diags.items[0]->message, "integer literal is out of range for `u8`");
    CHECK(L.diags.items[0]->labels[0].span.start == 6 && L.diags.items[0]->labels[0].span.end == 11);
    CHECK_STR(L.diags.items[0]->notes[0], "note: `u8` holds 8-bit unsigned integers");
    CHECK_STR(L.diags.items[2]->message, "integer literal is out of range for `i8`");
    CHECK_STR(L.diags.items[2]->notes[0], "note: `i8` holds 8-bit signed integers");
    CHECK(!L.toks.data[0].bad && L.toks.data[1].bad && L.toks.data[2].bad);
    CHECK(!L.toks.data[3].bad);
    CHECK(!L.toks.data[4].bad);          /* 128i8 is allowed so that -128i8 can be written */
    CHECK(L.toks.data[5].bad && L.toks.data[6].bad && L.toks.data[7].bad);
    lexed_free(&L);
}

TEST(lex_float_values_and_suffixes)
{
    Lexed L;
    lex(&L, "1.5 1e-10 2.5e3f32 7f64 1. 3E+2 1_000.25 4bf16");
    for (int i = 0; i < 8; i++) CHECK(L.toks.data[i].kind == TK_FLOAT);
    CHECK(L.toks.data[0].v.fval == 1.5);
    CHECK(L.toks.data[1].v.fval == 1e-10);
    CHECK(L.toks.data[2].v.fval == 2500.0 && L.toks.data[2].suffix == VX_SUF_F32);
    CHECK(L.toks.data[3].v.fval == 7.0 && L.toks.data[3].suffix == VX_SUF_F64);
    CHECK(L.toks.data[4].v.fval == 1.0);
    CHECK(L.toks.data[5].v.fval == 300.0);
    CHECK(L.toks.data[6].v.fval == 1000.25);
    CHECK(L.toks.data[7].v.fval == 4.0 && L.toks.data[7].suffix == VX_SUF_BF16);
    CHECK(L.toks.data[2].span.start == 10 && L.toks.data[2].span.end == 18);
    CHECK(L.diags.errors == 0);
    lexed_free(&L);
}

TEST(lex_dot_after_number)
{
    Lexed L;
    char buf[32];
    lex(&L, "1..2 1.5 1.max() t.0.1 1..=2");
    static const int want[] = { TK_INT, TK_DOTDOT, TK_INT, TK_FLOAT, TK_INT, TK_DOT, TK_IDENT, TK_LPAREN,
                                TK_RPAREN, TK_IDENT, TK_DOT, TK_INT, TK_DOT, TK_INT, TK_INT, TK_DOTDOTEQ,
                                TK_INT, TK_NEWLINE, TK_EOF, TK_COUNT };
    CHECK(kinds_are(&L, want));
    CHECK_STR(tok_text(&L, 3, buf, sizeof buf), "1.5");
    CHECK_STR(tok_text(&L, 11, buf, sizeof buf), "0");    /* `t.0.1` is not `t.` `0.1` */
    CHECK_STR(tok_text(&L, 13, buf, sizeof buf), "1");
    CHECK(L.toks.data[13].v.ival->limb[0] == 1);
    CHECK(L.diags.errors == 0);
    lexed_free(&L);
}

/* ---- strings -------------------------------------------------------------- */

TEST(lex_string_escapes_decoded)
{
    Lexed L;
    lex(&L, "\"a\\n\\t\\r\\0\\\\\\\"\\'\\x41\\u{e9}\"");
    CHECK(L.diags.errors == 0);
    CHECK(L.toks.data[0].kind == TK_STRING && !L.toks.data[0].bad);
    static const char want[] = { 'a', '\n', '\t', '\r', '\0', '\\', '"', '\'', 'A', (char)0xC3, (char)0xA9 };
    CHECK(L.toks.data[0].v.str.n == sizeof want);
    CHECK(memcmp(L.toks.data[0].v.str.s, want, sizeof want) == 0);
    lexed_free(&L);
}

TEST(lex_string_unicode_escapes_utf8)
{
    Lexed L;
    lex(&L, "\"\\u{1F600}\" \"\\u{7FF}\" \"\\u{10FFFF}\" \"\\u{41}\"");
    CHECK(L.diags.errors == 0);
    CHECK(L.toks.data[0].v.str.n == 4 && memcmp(L.toks.data[0].v.str.s, "\xF0\x9F\x98\x80", 4) == 0);
    CHECK(L.toks.data[1].v.str.n == 2 && memcmp(L.toks.data[1].v.str.s, "\xDF\xBF", 2) == 0);
    CHECK(L.toks.data[2].v.str.n == 4 && memcmp(L.toks.data[2].v.str.s, "\xF4\x8F\xBF\xBF", 4) == 0);
    CHECK(L.toks.data[3].v.str.n == 1 && L.toks.data[3].v.str.s[0] == 'A');
    lexed_free(&L);
}

TEST(lex_string_line_continuation)
{
    Lexed L;
    lex(&L, "\"one \\\n      two\" x");
    CHECK(L.diags.errors == 0);
    CHECK_STR(L.toks.data[0].v.str.s, "one two");
    CHECK(L.toks.data[0].v.str.n == 7);
    CHECK(kind_at(&L, 1) == TK_IDENT);          /* no NEWLINE: the break is inside the string */
    lexed_free(&L);
}

TEST(lex_bad_escapes_reported_not_fatal)
{
    Lexed L;
    lex(&L, "\"\\q\" \"\\x80\" \"\\u{D800}\" \"\\u{110000}\" \"\\u1234\" \"\\u{}\" \"\\u{1234567}\" after");
    CHECK(L.diags.errors == 7);
    CHECK_STR(L.diags.items[0]->message, "unknown escape sequence `\\q`");
    CHECK(L.diags.items[0]->labels[0].span.start == 1 && L.diags.items[0]->labels[0].span.end == 3);
    CHECK_STR(L.diags.items[1]->message, "`\\x` takes two hex digits up to 7F, as in `\\x41`");
    CHECK_STR(L.diags.items[2]->message, "unicode escape is not a valid code point");
    CHECK_STR(L.diags.items[3]->message, "unicode escape is not a valid code point");
    CHECK_STR(L.diags.items[4]->message, "expected `{` after `\\u`, as in `\\u{1F600}`");
    CHECK_STR(L.diags.items[5]->message, "malformed unicode escape: use 1 to 6 hex digits, as in `\\u{1F600}`");
    CHECK_STR(L.diags.items[6]->message, "malformed unicode escape: use 1 to 6 hex digits, as in `\\u{1F600}`");
    CHECK(count_kind(&L, TK_STRING) == 7);
    for (int i = 0; i < 7; i++) CHECK(L.toks.data[i].kind == TK_STRING && L.toks.data[i].bad);
    CHECK(kind_at(&L, 7) == TK_IDENT);
    lexed_free(&L);
}

TEST(lex_unterminated_string)
{
    Lexed L;
    lex(&L, "let s = \"abc\nlet t = 1\n");
    CHECK(L.diags.errors == 1);
    CHECK_STR(first_message(&L), "unterminated string literal");
    CHECK(L.diags.items[0]->labels[0].span.start == 8 && L.diags.items[0]->labels[0].span.end == 9);
    CHECK_STR(L.diags.items[0]->labels[0].text, "string starts here");
    CHECK(first_note_has(&L, "add a closing `\"`"));
    /* lexing resumes on the next line */
    static const int want[] = { TK_LET, TK_IDENT, TK_EQ, TK_STRING, TK_NEWLINE, TK_LET, TK_IDENT, TK_EQ,
                                TK_INT, TK_NEWLINE, TK_EOF, TK_COUNT };
    CHECK(kinds_are(&L, want));
    CHECK(L.toks.data[3].bad);
    CHECK(L.toks.data[3].span.start == 8 && L.toks.data[3].span.end == 12);
    lexed_free(&L);
}

TEST(lex_backslash_at_end_of_file)
{
    Lexed L;
    lex(&L, "\"abc\\");
    CHECK(L.diags.errors >= 1);
    CHECK(L.toks.len >= 2 && L.toks.data[L.toks.len - 1].kind == TK_EOF);
    CHECK(L.toks.data[0].kind == TK_STRING && L.toks.data[0].bad);
    lexed_free(&L);
}

/* ---- comments ------------------------------------------------------------- */

TEST(lex_nested_block_comments)
{
    Lexed L;
    lex(&L, "a /* x /* y */ z */ b // c /* d\n/***/ e /**/");
    static const int want[] = { TK_IDENT, TK_IDENT, TK_NEWLINE, TK_IDENT, TK_NEWLINE, TK_EOF, TK_COUNT };
    CHECK(kinds_are(&L, want));
    CHECK(L.toks.data[1].span.start == 20);
    CHECK(L.diags.errors == 0);
    lexed_free(&L);
}

TEST(lex_unterminated_block_comment)
{
    Lexed L;
    lex(&L, "x /* one /* two */ never closed");
    CHECK(L.diags.errors == 1);
    CHECK_STR(first_message(&L), "unterminated block comment");
    CHECK(L.diags.items[0]->labels[0].span.start == 2 && L.diags.items[0]->labels[0].span.end == 4);
    CHECK_STR(L.diags.items[0]->labels[0].text, "comment starts here");
    CHECK(first_note_has(&L, "block comments nest"));
    static const int want[] = { TK_IDENT, TK_NEWLINE, TK_EOF, TK_COUNT };
    CHECK(kinds_are(&L, want));
    lexed_free(&L);
}

/* ---- identifiers and unknown characters ------------------------------------ */

TEST(lex_unicode_identifiers)
{
    Lexed L;
    lex(&L, "\xCE\xB1\xCE\xB2 caf\xC3\xA9 \xE5\x90\x8D x_1");   /* αβ café 名 x_1 */
    static const int want[] = { TK_IDENT, TK_IDENT, TK_IDENT, TK_IDENT, TK_NEWLINE, TK_EOF, TK_COUNT };
    CHECK(kinds_are(&L, want));
    CHECK(L.toks.data[0].span.start == 0 && L.toks.data[0].span.end == 4);
    CHECK(L.toks.data[1].span.start == 5 && L.toks.data[1].span.end == 10);
    CHECK(L.toks.data[2].span.start == 11 && L.toks.data[2].span.end == 14);
    CHECK(L.diags.errors == 0);
    lexed_free(&L);
}

TEST(lex_unknown_characters)
{
    Lexed L;
    lex(&L, "a $ b # c ~ d ' e \xE2\x80\x9C f \xE2\x88\x92 g");   /* “ and − (U+2212) */
    CHECK(L.diags.errors == 6);
    CHECK_STR(L.diags.items[0]->message, "unknown character `$` (U+0024)");
    CHECK(L.diags.items[0]->labels[0].span.start == 2 && L.diags.items[0]->labels[0].span.end == 3);
    CHECK_STR(L.diags.items[2]->message, "unknown character `~` (U+007E)");
    CHECK_STR(L.diags.items[2]->notes[0], "help: `~` has no meaning in Vortex; bitwise not is `!`");
    CHECK_STR(L.diags.items[3]->notes[0], "help: strings use double quotes: `\"text\"`");
    CHECK_STR(L.diags.items[4]->message, "unknown character `\xE2\x80\x9C` (U+201C)");
    CHECK(L.diags.items[4]->labels[0].span.end - L.diags.items[4]->labels[0].span.start == 3);
    CHECK_STR(L.diags.items[5]->notes[0], "help: this is a Unicode minus sign; use `-`");
    CHECK(count_kind(&L, TK_IDENT) == 7);            /* every name around them survives */
    lexed_free(&L);
}

TEST(lex_invalid_utf8)
{
    Lexed L;
    lex(&L, "a \x80 b \xCE");                   /* stray continuation byte; truncated sequence */
    CHECK(L.diags.errors == 2);
    CHECK_STR(L.diags.items[0]->message, "invalid UTF-8 in source file");
    CHECK(L.diags.items[0]->labels[0].span.start == 2 && L.diags.items[0]->labels[0].span.end == 3);
    CHECK_STR(L.diags.items[1]->message, "invalid UTF-8 in source file");
    CHECK(count_kind(&L, TK_IDENT) == 2);
    lexed_free(&L);
}

/* ---- newlines ------------------------------------------------------------- */

TEST(lex_newline_after_operators_suppressed)
{
    Lexed L;
    lex(&L, "a +\nb ,\nc =\nd ->\ne =>\nf .\ng ::\nh &&\ni as\nj");
    CHECK(count_kind(&L, TK_NEWLINE) == 1);          /* only the one added at end of file */
    CHECK(L.toks.data[L.toks.len - 2].kind == TK_NEWLINE);
    lexed_free(&L);
}

TEST(lex_newline_emitted_after_operands)
{
    Lexed L;
    lex(&L, "a\n\n\nb)\nc]\nd}\n1\n\"s\"\nx?\ntrue\n");
    /* one per line ending an operand; blank lines collapse; none at the start */
    CHECK(count_kind(&L, TK_NEWLINE) == 8);
    static const int head[] = { TK_IDENT, TK_NEWLINE, TK_IDENT, TK_RPAREN, TK_NEWLINE };
    for (int i = 0; i < 5; i++) CHECK(L.toks.data[i].kind == head[i]);
    CHECK(L.toks.data[1].span.start == 1 && L.toks.data[1].span.end == 2);
    lexed_free(&L);

    lex(&L, "\n\n\nx");
    CHECK(L.toks.data[0].kind == TK_IDENT);          /* leading blank lines give no NEWLINE */
    lexed_free(&L);
}

TEST(lex_newline_inside_brackets)
{
    Lexed L;
    lex(&L, "f(a\nb)\nx[1\n2]\ng({\ns\n})\n");
    static const int want[] = { TK_IDENT, TK_LPAREN, TK_IDENT, TK_IDENT, TK_RPAREN, TK_NEWLINE,
                                TK_IDENT, TK_LBRACKET, TK_INT, TK_INT, TK_RBRACKET, TK_NEWLINE,
                                TK_IDENT, TK_LPAREN, TK_LBRACE, TK_IDENT, TK_NEWLINE, TK_RBRACE,
                                TK_RPAREN, TK_NEWLINE, TK_EOF, TK_COUNT };
    CHECK(kinds_are(&L, want));
    lexed_free(&L);
}

TEST(lex_newline_before_method_chain)
{
    Lexed L;
    lex(&L, "x\n  .map(f)\n\n  .sum()\ny\n..z\nw\n.5\n");
    static const int want[] = { TK_IDENT, TK_DOT, TK_IDENT, TK_LPAREN, TK_IDENT, TK_RPAREN, TK_DOT,
                                TK_IDENT, TK_LPAREN, TK_RPAREN, TK_NEWLINE, TK_IDENT, TK_NEWLINE,
                                TK_DOTDOT, TK_IDENT, TK_NEWLINE, TK_IDENT, TK_NEWLINE, TK_DOT, TK_INT,
                                TK_NEWLINE, TK_EOF, TK_COUNT };
    CHECK(kinds_are(&L, want));
    lexed_free(&L);
}

TEST(lex_eof_newline_and_empty_input)
{
    Lexed L;
    lex(&L, "x");
    static const int one[] = { TK_IDENT, TK_NEWLINE, TK_EOF, TK_COUNT };
    CHECK(kinds_are(&L, one));
    lexed_free(&L);

    lex(&L, "");
    static const int none[] = { TK_EOF, TK_COUNT };
    CHECK(kinds_are(&L, none));
    CHECK(L.toks.data[0].span.start == 0 && L.toks.data[0].span.end == 0);
    lexed_free(&L);

    lex(&L, "// only a comment\n\n/* block */\n");
    CHECK(kinds_are(&L, none));
    lexed_free(&L);
}

TEST(lex_bom_skipped)
{
    Lexed L;
    lex(&L, "\xEF\xBB\xBFlet x");
    static const int want[] = { TK_LET, TK_IDENT, TK_NEWLINE, TK_EOF, TK_COUNT };
    CHECK(kinds_are(&L, want));
    /* the source drops the BOM, so columns on line 1 stay right */
    CHECK(L.toks.data[0].span.start == 0 && L.toks.data[0].span.end == 3);
    CHECK(L.diags.errors == 0);
    lexed_free(&L);

    lex(&L, "x \xEF\xBB\xBF");                  /* only a leading BOM is skipped */
    CHECK(L.diags.errors == 1);
    lexed_free(&L);
}

TEST(lex_crlf_line_endings)
{
    Lexed L;
    lex(&L, "let x = 1\r\n\r\nf(a,\r\n  b)\r\n");
    static const int want[] = { TK_LET, TK_IDENT, TK_EQ, TK_INT, TK_NEWLINE, TK_IDENT, TK_LPAREN, TK_IDENT,
                                TK_COMMA, TK_IDENT, TK_RPAREN, TK_NEWLINE, TK_EOF, TK_COUNT };
    CHECK(kinds_are(&L, want));
    CHECK(L.toks.data[4].span.start == 10);          /* the NEWLINE is the \n, after the \r */
    CHECK(L.toks.data[3].span.end == 9);
    CHECK(L.diags.errors == 0);
    lexed_free(&L);
}

TEST(lex_deep_brackets_no_crash)
{
    enum { N = 2000 };
    char *s = malloc(2 * N + 8);
    for (int i = 0; i < N; i++) { s[i] = '('; s[2 * N + 2 - i] = ')'; }
    s[N] = '\n'; s[N + 1] = 'x'; s[N + 2] = '\n';
    s[2 * N + 3] = '\n'; s[2 * N + 4] = 'y'; s[2 * N + 5] = '\0';
    Lexed L;
    lex(&L, s);
    free(s);
    CHECK(L.toks.len == 2 * N + 5);           /* ( x N, x, ) x N, NEWLINE, y, NEWLINE, EOF */
    CHECK(count_kind(&L, TK_NEWLINE) == 2);   /* none inside the brackets, even past 512 deep */
    CHECK(L.toks.data[2 * N + 1].kind == TK_NEWLINE && L.toks.data[2 * N + 2].kind == TK_IDENT);
    CHECK(L.diags.errors == 0);
    lexed_free(&L);
}

TEST(lex_stray_closers_do_not_break_newlines)
{
    Lexed L;
    lex(&L, "a)\nb]\n}\nc\n");
    CHECK(count_kind(&L, TK_NEWLINE) == 4);
    CHECK(L.diags.errors == 0);
    lexed_free(&L);
}

TEST(lex_every_prefix_terminates)
{
    static const char sample[] =
        "fn main() { let s = \"a\\u{1F600}\\x41\\\n b\" /* c /* d */ */ let n = 0x_FFu8 + 1e-3f32\n"
        "  t.0.1 ..= w[1.., :] // end\n \xCE\xB1 $ }";
    size_t n = sizeof sample - 1;
    for (size_t len = 0; len <= n; len++) {
        Lexed L;
        lex_mem(&L, sample, len);
        CHECK(L.toks.len >= 1);
        CHECK(L.toks.data[L.toks.len - 1].kind == TK_EOF);
        for (int i = 0; i < L.toks.len; i++) {
            CHECK(L.toks.data[i].span.start <= L.toks.data[i].span.end);
            CHECK(L.toks.data[i].span.end <= len);
            if (i) CHECK(L.toks.data[i].span.start >= L.toks.data[i - 1].span.start);
        }
        lexed_free(&L);
    }
}
