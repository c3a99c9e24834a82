/* lexer.c - source text to tokens; see lexer.h for the newline rules. */
#include "lexer.h"

#include <stdlib.h>
#include <string.h>

#include "../util/vec.h"

/* ---- token names ------------------------------------------------------- */

static const char *const tok_text[TK_COUNT] = {
#define TOK(name, text) text,
#define KW(name, text) text,
#include "tokens.def"
#undef TOK
#undef KW
};

const char *vx_tok_name(VxTokKind k)
{
    static char buf[TK_COUNT][24];
    if (k <= TK_STRING) return tok_text[k];
    if (!buf[k][0]) snprintf(buf[k], sizeof buf[k], "`%s`", tok_text[k]);
    return buf[k];
}

static const char *const suffix_text[VX_SUF_COUNT] = {
    "", "i8", "i16", "i32", "i64", "i128", "isize",
    "u8", "u16", "u32", "u64", "u128", "u256", "usize",
    "f16", "bf16", "f32", "f64",
};
static const int suffix_bits[VX_SUF_COUNT] = {
    256, 8, 16, 32, 64, 128, 64, 8, 16, 32, 64, 128, 256, 64, 0, 0, 0, 0,
};

const char *vx_suffix_name(VxSuffix s) { return suffix_text[s]; }

/* ---- keywords: a small open-addressing table built on first use -------- */

enum { KW_SLOTS = 256 };
static unsigned char kw_table[KW_SLOTS];   /* token kind, 0 = empty */
static unsigned char kw_len[TK_COUNT];

static unsigned kw_hash(const char *s, size_t n)
{
    return ((unsigned)(unsigned char)s[0] * 31u + (unsigned)(unsigned char)s[n - 1] * 7u
            + (unsigned)n * 131u) % KW_SLOTS;
}

static void kw_init(void)
{
    if (kw_table[kw_hash("as", 2)]) return;
    for (int k = TK_AS; k < TK_COUNT; k++) {
        kw_len[k] = (unsigned char)strlen(tok_text[k]);
        unsigned h = kw_hash(tok_text[k], kw_len[k]);
        while (kw_table[h]) h = (h + 1) % KW_SLOTS;
        kw_table[h] = (unsigned char)k;
    }
}

static VxTokKind keyword(const char *s, size_t n)
{
    for (unsigned h = kw_hash(s, n); kw_table[h]; h = (h + 1) % KW_SLOTS) {
        int k = kw_table[h];
        if (kw_len[k] == n && memcmp(tok_text[k], s, n) == 0) return (VxTokKind)k;
    }
    return TK_IDENT;
}

/* ---- lexer state ------------------------------------------------------- */

enum { MAX_BRACKETS = 512 };

typedef struct Lexer {
    const VxSource *src;
    const char *s;                    /* source text */
    uint32_t pos, len;
    VxArena *arena;
    VxDiags *diags;
    VX_VEC(VxToken) toks;
    char brackets[MAX_BRACKETS];      /* open ( [ { ; deeper nesting is counted only */
    int depth;
    bool truncated;                   /* an unterminated comment ate the rest of the file */
    VX_VEC(uint32_t) error_lines;     /* lines where unknown characters were reported */
} Lexer;

static VxDiag *lex_error(Lexer *L, uint32_t start, uint32_t end, const char *msg)
{
    return vx_diag(L->diags, VX_ERROR, L->src, vx_span(start, end), "%s", msg);
}

static int peek(const Lexer *L, uint32_t ahead)
{
    uint32_t i = L->pos + ahead;
    return i < L->len ? (unsigned char)L->s[i] : 0;
}

static bool is_ident_start(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80; }
static bool is_digit(int c) { return c >= '0' && c <= '9'; }
static bool is_ident_char(int c) { return is_ident_start(c) || is_digit(c); }

static VxTokKind last_kind(const Lexer *L)
{
    return L->toks.len ? (VxTokKind)L->toks.data[L->toks.len - 1].kind : TK_NEWLINE;
}

static VxToken *push(Lexer *L, VxTokKind k, uint32_t start, uint32_t end)
{
    VxToken t;
    memset(&t, 0, sizeof t);
    t.kind = (uint16_t)k;
    t.span = vx_span(start, end);
    vx_vec_push(&L->toks, t);
    return &L->toks.data[L->toks.len - 1];
}

/* ---- newlines ------------------------------------------------------------ */

/* Tokens after which a line break cannot end a statement. */
static bool continues_line(VxTokKind k)
{
    switch (k) {
    case TK_NEWLINE: case TK_LPAREN: case TK_LBRACKET: case TK_LBRACE:
    case TK_COMMA: case TK_SEMI: case TK_COLON: case TK_COLONCOLON: case TK_DOT: case TK_DOTDOTEQ:
    case TK_ARROW: case TK_FATARROW: case TK_AT:
    case TK_PLUS: case TK_MINUS: case TK_STAR: case TK_SLASH: case TK_PERCENT:
    case TK_STARSTAR: case TK_DOTSTAR: case TK_DOTSLASH: case TK_CARET: case TK_AMP:
    case TK_PIPE: case TK_BANG: case TK_AMPAMP: case TK_PIPEPIPE: case TK_EQEQ:
    case TK_NE: case TK_LT: case TK_LE: case TK_GE: case TK_SHL:
    case TK_EQ: case TK_PLUSEQ: case TK_MINUSEQ: case TK_STAREQ: case TK_SLASHEQ:
    case TK_PERCENTEQ: case TK_AMPEQ: case TK_PIPEEQ: case TK_CARETEQ: case TK_SHLEQ:
    case TK_SHREQ: case TK_AS: case TK_IN: case TK_ELSE:
        return true;
    default:              /* `>` and `>>` may close generics: `x: Option<T>` */
        return false;
    }
}

/* Does the next non-blank line start with `.name` (a method chain)? */
static bool next_line_is_chain(const Lexer *L, uint32_t i)
{
    for (;;) {
        while (i < L->len && (L->s[i] == ' ' || L->s[i] == '\t' || L->s[i] == '\r' || L->s[i] == '\n')) i++;
        if (i + 1 < L->len && L->s[i] == '/' && L->s[i + 1] == '/') {     /* comment lines between */
            while (i < L->len && L->s[i] != '\n') i++;
            continue;
        }
        break;
    }
    return i + 1 < L->len && L->s[i] == '.' && is_ident_start((unsigned char)L->s[i + 1]);
}

static void line_break(Lexer *L, uint32_t at)
{
    if (L->depth > 0 && L->depth <= MAX_BRACKETS && L->brackets[L->depth - 1] != '{') return;
    if (L->depth > MAX_BRACKETS) return;
    if (continues_line(last_kind(L)) || next_line_is_chain(L, at + 1)) return;
    push(L, TK_NEWLINE, at, at + 1);
}

static void open_bracket(Lexer *L, char c)
{
    if (L->depth < MAX_BRACKETS) L->brackets[L->depth] = c;
    L->depth++;
}

/* Pop to the matching opener if there is one; stray closers change nothing
 * (the parser reports them). */
static void close_bracket(Lexer *L, char open)
{
    int top = L->depth < MAX_BRACKETS ? L->depth : MAX_BRACKETS;
    if (L->depth > MAX_BRACKETS) { L->depth--; return; }
    for (int i = top - 1; i >= 0; i--)
        if (L->brackets[i] == open) { L->depth = i; return; }
}

/* ---- comments ------------------------------------------------------------ */

/* Skip a block comment (they nest); pos is at the opening slash. */
static void block_comment(Lexer *L)
{
    uint32_t start = L->pos;
    int nest = 0;
    while (L->pos < L->len) {
        if (peek(L, 0) == '/' && peek(L, 1) == '*') { nest++; L->pos += 2; }
        else if (peek(L, 0) == '*' && peek(L, 1) == '/') {
            L->pos += 2;
            if (--nest == 0) {                    /* a comment over several lines ends the line too */
                const char *nl = memchr(L->s + start, '\n', L->pos - start);
                if (nl) line_break(L, (uint32_t)(nl - L->s));
                return;
            }
        } else L->pos++;
    }
    L->truncated = true;
    VxDiag *g = lex_error(L, start, start + 2, "unterminated block comment");
    vx_diag_primary(L->diags, g, "comment starts here");
    vx_diag_help(L->diags, g, "close it with `*/` (block comments nest: each `/*` needs its own `*/`)");
}

/* ---- numbers ------------------------------------------------------------- */

/* v = v * base + digit; false on overflow past 256 bits. */
static bool u256_mul_add(VxU256 *v, unsigned base, unsigned digit)
{
    unsigned __int128 carry = digit;
    for (int i = 0; i < 4; i++) {
        unsigned __int128 x = (unsigned __int128)v->limb[i] * base + carry;
        v->limb[i] = (uint64_t)x;
        carry = x >> 64;
    }
    return carry == 0;
}

static int u256_bits(const VxU256 *v)
{
    for (int i = 3; i >= 0; i--)
        if (v->limb[i]) return i * 64 + 64 - __builtin_clzll(v->limb[i]);
    return 0;
}

static int u256_popcount(const VxU256 *v)
{
    int n = 0;
    for (int i = 0; i < 4; i++) n += __builtin_popcountll(v->limb[i]);
    return n;
}

static int digit_value(int c)
{
    if (is_digit(c)) return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return 99;
}

static VxSuffix parse_suffix(const char *s, uint32_t n)
{
    for (int k = 1; k < VX_SUF_COUNT; k++)
        if (strlen(suffix_text[k]) == n && memcmp(suffix_text[k], s, n) == 0) return (VxSuffix)k;
    return VX_SUF_NONE;
}

/* Where the suffix starts in [from, to): the first char that cannot be a
 * digit of this base (hex digits include `f`, so hex floats don't exist). */
static uint32_t suffix_start(const Lexer *L, uint32_t from, uint32_t to, unsigned base)
{
    for (uint32_t i = from; i < to; i++) {
        int c = (unsigned char)L->s[i];
        if (c == '_') continue;
        if (base == 16 ? digit_value(c) < 16 : is_digit(c)) continue;
        return i;
    }
    return to;
}

static void check_suffix(Lexer *L, VxToken *t, uint32_t sfx, uint32_t end, bool is_float, unsigned base)
{
    if (sfx == end) return;
    VxSuffix s = parse_suffix(L->s + sfx, end - sfx);
    if (base != 10 && vx_suffix_is_float(s)) {
        VxDiag *g = vx_diag(L->diags, VX_ERROR, L->src, vx_span(sfx, end),
                            "a %s literal cannot have the float suffix `%.*s`",
                            base == 16 ? "hexadecimal" : base == 8 ? "octal" : "binary", (int)(end - sfx), L->s + sfx);
        vx_diag_help(L->diags, g, "write the number in decimal with a `.0`, or convert with `as`");
        t->bad = 1;
        return;
    }
    if (s == VX_SUF_NONE || (is_float && !vx_suffix_is_float(s))) {
        VxDiag *g = vx_diag(L->diags, VX_ERROR, L->src, vx_span(sfx, end),
                            "invalid suffix `%.*s` for %s literal", (int)(end - sfx),
                            L->s + sfx, is_float ? "float" : "number");
        vx_diag_help(L->diags, g, is_float ? "valid float suffixes are f16, bf16, f32 and f64"
                     : "valid suffixes are i8..i128, isize, u8..u256, usize, f16, bf16, f32 and f64");
        t->bad = 1;
        return;
    }
    t->suffix = (uint8_t)s;
}

static void int_value(Lexer *L, VxToken *t, uint32_t from, uint32_t to, unsigned base)
{
    VxU256 *v = VX_NEW(L->arena, VxU256);
    t->v.ival = v;
    static const char *const base_name[17] = {
        [2] = "binary", [8] = "octal", [10] = "decimal", [16] = "hexadecimal" };
    for (uint32_t i = from; i < to; i++) {
        int c = (unsigned char)L->s[i];
        if (c == '_') continue;
        unsigned d = (unsigned)digit_value(c);
        if (d >= base) {
            VxDiag *g = vx_diag(L->diags, VX_ERROR, L->src, vx_span(i, i + 1),
                                "invalid digit `%c` in %s literal", c, base_name[base]);
            vx_diag_primary(L->diags, g, "not a %s digit", base_name[base]);
            vx_diag_help(L->diags, g, base == 2 ? "binary digits are 0 and 1" : base == 8 ? "octal digits are 0 to 7"
                                                : "decimal digits are 0 to 9");
            t->bad = 1;
            return;
        }
        if (!u256_mul_add(v, base, d)) {
            VxDiag *g = lex_error(L, t->span.start, t->span.end, "integer literal is too large");
            vx_diag_note(L->diags, g, "integer literals may have at most 256 bits");
            t->bad = 1;
            return;
        }
    }
}

static void check_fits(Lexer *L, VxToken *t)
{
    if (t->bad || t->suffix == VX_SUF_NONE) return;
    int bits = suffix_bits[t->suffix];
    bool is_signed = t->suffix <= VX_SUF_ISIZE;
    int have = u256_bits(t->v.ival);
    /* A signed literal may reach 2^(bits-1) so that `-128i8` is writable. */
    bool ok = is_signed ? have < bits || (have == bits && u256_popcount(t->v.ival) == 1)
                        : have <= bits;
    if (!ok) {
        VxDiag *g = vx_diag(L->diags, VX_ERROR, L->src, t->span,
                            "integer literal is out of range for `%s`", suffix_text[t->suffix]);
        vx_diag_note(L->diags, g, "`%s` holds %d-bit %s integers", suffix_text[t->suffix],
                     bits, is_signed ? "signed" : "unsigned");
        t->bad = 1;
    }
}

static void float_value(Lexer *L, VxToken *t, uint32_t from, uint32_t to)
{
    char small[128], *buf = to - from < sizeof small ? small : vx_xmalloc(to - from + 1);
    uint32_t n = 0;
    for (uint32_t i = from; i < to; i++)
        if (L->s[i] != '_') buf[n++] = L->s[i];
    buf[n] = '\0';
    t->v.fval = strtod(buf, NULL);
    if (buf != small) free(buf);
}

static void skip_digits(Lexer *L, unsigned base)
{
    while (L->pos < L->len) {
        int c = peek(L, 0);
        if (c == '_' || (base == 16 ? digit_value(c) < 16 : is_digit(c))) L->pos++;
        else break;
    }
}

static void lex_number(Lexer *L)
{
    uint32_t start = L->pos;
    unsigned base = 10;
    bool after_dot = last_kind(L) == TK_DOT;      /* tuple field: `t.0.1` */
    int p1 = peek(L, 1);
    if (peek(L, 0) == '0' && (p1 == 'x' || p1 == 'b' || p1 == 'o')) {
        base = p1 == 'x' ? 16 : p1 == 'b' ? 2 : 8;
        L->pos += 2;
    }
    uint32_t digits = L->pos;
    bool is_float = false;
    if (base == 10) {
        skip_digits(L, 10);
        if (!after_dot && peek(L, 0) == '.' && peek(L, 1) != '.' && !is_ident_start(peek(L, 1))) {
            is_float = true;                      /* `1.5` or `1.` but not `1..2`, `1.max()` */
            L->pos++;
            skip_digits(L, 10);
        }
        int e = peek(L, 0), e1 = peek(L, 1), e2 = peek(L, 2);
        if (!after_dot && (e == 'e' || e == 'E') &&
            (is_digit(e1) || ((e1 == '+' || e1 == '-') && is_digit(e2)))) {
            is_float = true;
            L->pos += (e1 == '+' || e1 == '-') ? 2 : 1;
            skip_digits(L, 10);
        }
    }
    uint32_t body_end = L->pos;
    while (is_ident_char(peek(L, 0))) L->pos++;
    if (after_dot) {                              /* `t.0`: digits only */
        VxToken *t = push(L, TK_INT, start, L->pos);
        int_value(L, t, digits, L->pos, 10);
        return;
    }
    uint32_t end = L->pos;
    uint32_t sfx = is_float ? body_end : suffix_start(L, digits, end, base);
    VxToken *t = push(L, TK_INT, start, end);
    bool no_digits = sfx == digits;
    int c0 = sfx < end ? L->s[sfx] : 0;
    if (base == 10 && (c0 == 'e' || c0 == 'E') && sfx < end) {
        VxDiag *g = lex_error(L, sfx, end, "the exponent of this number has no digits");
        vx_diag_help(L->diags, g, "write the exponent's digits, as in `1e-3` or `2.5e10`");
        t->bad = 1;
        t->kind = TK_FLOAT;
        return;
    }
    if (!no_digits) check_suffix(L, t, sfx, end, is_float, base);
    if (!is_float && base == 10 && vx_suffix_is_float((VxSuffix)t->suffix)) is_float = true;
    if (is_float) {
        t->kind = TK_FLOAT;
        float_value(L, t, start, sfx);
        return;
    }
    bool any_digit = false;
    for (uint32_t i = digits; i < sfx; i++) any_digit |= L->s[i] != '_';
    if (!any_digit) {
        lex_error(L, start, end, base == 10 ? "expected digits" : "missing digits after the base prefix");
        t->bad = 1;
        t->suffix = VX_SUF_NONE;
        t->v.ival = VX_NEW(L->arena, VxU256);
        return;
    }
    int_value(L, t, digits, sfx, base);
    check_fits(L, t);
}

/* ---- strings ------------------------------------------------------------- */

typedef VX_VEC(char) CharBuf;

static void put_utf8(CharBuf *b, uint32_t c)
{
    if (c < 0x80) { vx_vec_push(b, (char)c); return; }
    if (c < 0x800) { vx_vec_push(b, (char)(0xC0 | (c >> 6))); }
    else if (c < 0x10000) { vx_vec_push(b, (char)(0xE0 | (c >> 12))); vx_vec_push(b, (char)(0x80 | ((c >> 6) & 0x3F))); }
    else { vx_vec_push(b, (char)(0xF0 | (c >> 18))); vx_vec_push(b, (char)(0x80 | ((c >> 12) & 0x3F)));
           vx_vec_push(b, (char)(0x80 | ((c >> 6) & 0x3F))); }
    vx_vec_push(b, (char)(0x80 | (c & 0x3F)));
}

/* `\u{1F600}`; pos is just past the `u`.  Returns the code point or -1. */
static long unicode_escape(Lexer *L, uint32_t esc)
{
    if (peek(L, 0) != '{') { lex_error(L, esc, L->pos, "expected `{` after `\\u`, as in `\\u{1F600}`"); return -1; }
    L->pos++;
    long c = 0;
    int n = 0;
    while (digit_value(peek(L, 0)) < 16) { c = c * 16 + digit_value(peek(L, 0)); L->pos++; if (++n > 6) break; }
    if (peek(L, 0) != '}' || n == 0 || n > 6) { lex_error(L, esc, L->pos, "malformed unicode escape: use 1 to 6 hex digits, as in `\\u{1F600}`"); return -1; }
    L->pos++;
    if (c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) { lex_error(L, esc, L->pos, "unicode escape is not a valid code point"); return -1; }
    return c;
}

/* One escape sequence; pos is at the backslash.  Appends to b. */
static bool escape(Lexer *L, CharBuf *b)
{
    uint32_t esc = L->pos;
    L->pos += 2;
    switch (L->s[esc + 1]) {
    case 'n': vx_vec_push(b, '\n'); return true;
    case 't': vx_vec_push(b, '\t'); return true;
    case 'r': vx_vec_push(b, '\r'); return true;
    case '0': vx_vec_push(b, '\0'); return true;
    case '\\': vx_vec_push(b, '\\'); return true;
    case '"': vx_vec_push(b, '"'); return true;
    case '\'': vx_vec_push(b, '\''); return true;
    case '\r':
        if (esc + 2 >= L->len || L->s[esc + 2] != '\n') goto unknown;
        L->pos++;
        /* fall through */
    case '\n':                                    /* line continuation */
        while (peek(L, 0) == ' ' || peek(L, 0) == '\t' || peek(L, 0) == '\n') L->pos++;
        return true;
    case 'x': {
        int hi = digit_value(peek(L, 0)), lo = digit_value(peek(L, 1));
        if (hi > 7 || lo > 15) { lex_error(L, esc, L->pos, "`\\x` takes two hex digits up to 7F, as in `\\x41`"); return false; }
        L->pos += 2;
        vx_vec_push(b, (char)(hi * 16 + lo));
        return true;
    }
    case 'u': {
        long c = unicode_escape(L, esc);
        if (c < 0) return false;
        put_utf8(b, (uint32_t)c);
        return true;
    }
    default:
    unknown: {
        if (esc + 1 >= L->len) return false;
        if ((unsigned char)L->s[esc + 1] < 0x20 || (unsigned char)L->s[esc + 1] >= 0x7F) {
            lex_error(L, esc, esc + 1, "unknown escape sequence: `\\` must be followed by an escape letter");
            return false;
        }
        VxDiag *g = vx_diag(L->diags, VX_ERROR, L->src, vx_span(esc, esc + 2),
                            "unknown escape sequence `\\%c`", L->s[esc + 1]);
        vx_diag_help(L->diags, g, "valid escapes are \\n \\t \\r \\0 \\\\ \\\" \\' \\x41 and \\u{1F600}; write `\\\\` for a backslash");
        return false;
    }
    }
}

static void lex_string(Lexer *L)
{
    uint32_t start = L->pos++;
    CharBuf b = {0};
    bool bad = false;
    for (;;) {
        if (L->pos >= L->len) {
            VxDiag *g = lex_error(L, start, start + 1, "unterminated string literal");
            vx_diag_primary(L->diags, g, "string starts here");
            vx_diag_help(L->diags, g, "add a closing `\"`");
            /* Resume after the opening line so the rest of the file still lexes. */
            uint32_t eol = start;
            while (eol < L->len && L->s[eol] != '\n') eol++;
            L->pos = eol;
            bad = true;
            break;
        }
        int c = peek(L, 0);
        if (c == '"') { L->pos++; break; }
        if (c == '\\') { if (!escape(L, &b)) bad = true; continue; }
        vx_vec_push(&b, (char)c);
        L->pos++;
    }
    VxToken *t = push(L, TK_STRING, start, L->pos);
    t->v.str.s = vx_arena_strndup(L->arena, b.data ? b.data : "", (size_t)b.len);
    t->v.str.n = (uint32_t)b.len;
    t->bad = bad;
    vx_vec_free(&b);
}

/* ---- identifiers and unknown characters ---------------------------------- */

/* Length of the UTF-8 sequence at pos, and its code point; 0 if malformed. */
static int utf8_decode(const Lexer *L, uint32_t pos, uint32_t *cp)
{
    static const uint32_t min_value[5] = { 0, 0, 0x80, 0x800, 0x10000 };
    unsigned char c = (unsigned char)L->s[pos];
    int n = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 && c < 0xF0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 0;
    if (n == 0 || pos + (uint32_t)n > L->len) return 0;
    uint32_t v = c & (0x3F >> (n - 1));
    for (int i = 1; i < n; i++) {
        unsigned char d = (unsigned char)L->s[pos + (uint32_t)i];
        if ((d & 0xC0) != 0x80) return 0;
        v = (v << 6) | (d & 0x3F);
    }
    /* overlong forms, surrogates and values past U+10FFFF are not UTF-8 */
    if (v < min_value[n] || (v >= 0xD800 && v <= 0xDFFF) || v > 0x10FFFF) return 0;
    *cp = v;
    return n;
}

/* Letters outside ASCII that may appear in names (Greek for maths, accented
 * Latin, Cyrillic, CJK). */
static bool is_unicode_letter(uint32_t c)
{
    return (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) || (c >= 0x370 && c <= 0x3FF) ||
           (c >= 0x400 && c <= 0x4FF) || (c >= 0x4E00 && c <= 0x9FFF);
}

static void unknown_char(Lexer *L)
{
    uint32_t cp = (unsigned char)L->s[L->pos];
    int n = cp < 0x80 ? 1 : utf8_decode(L, L->pos, &cp);
    if (n == 0) {
        lex_error(L, L->pos, L->pos + 1, "invalid UTF-8 in source file");
        L->pos++;
        return;
    }
    vx_vec_push(&L->error_lines, (uint32_t)vx_source_pos(L->src, L->pos).line);
    VxDiag *g = vx_diag(L->diags, VX_ERROR, L->src, vx_span(L->pos, L->pos + (uint32_t)n),
                        "unknown character `%.*s` (U+%04X)", n, L->s + L->pos, cp);
    if (cp == 0x201C || cp == 0x201D) vx_diag_help(L->diags, g, "this is a typographic quote; strings use `\"`");
    else if (cp == '\'') vx_diag_help(L->diags, g, "strings use double quotes: `\"text\"`");
    else if (cp == 0x2018 || cp == 0x2019) vx_diag_help(L->diags, g, "this is a typographic quote; strings use `\"`");
    else if (cp == 0x2212) vx_diag_help(L->diags, g, "this is a Unicode minus sign; use `-`");
    else if (cp == '$' || cp == '#' || cp == '~' || cp == '`' || cp == '\\')
        vx_diag_help(L->diags, g, "`%c` has no meaning in Vortex%s", (int)cp, cp == '~' ? "; bitwise not is `!`" : "");
    L->pos += (uint32_t)n;
}

static void lex_ident(Lexer *L)
{
    uint32_t start = L->pos;
    while (L->pos < L->len) {
        int c = peek(L, 0);
        if (c < 0x80) {
            if (!is_ident_char(c)) break;
            L->pos++;
            continue;
        }
        uint32_t cp;
        int n = utf8_decode(L, L->pos, &cp);
        if (n == 0 || !is_unicode_letter(cp)) break;
        L->pos += (uint32_t)n;
    }
    if (L->pos == start) { unknown_char(L); return; }
    push(L, keyword(L->s + start, L->pos - start), start, L->pos);
}

/* ---- operators ------------------------------------------------------------- */

/* Operators by maximal munch: a switch on the first character, then the
 * longest spelling that matches. */
static VxTokKind punct_kind(const char *s, uint32_t avail, uint32_t *len)
{
    int c0 = s[0], c1 = avail > 1 ? s[1] : 0, c2 = avail > 2 ? s[2] : 0;
    *len = 2;
    switch (c0) {
    case '(': *len = 1; return TK_LPAREN;
    case ')': *len = 1; return TK_RPAREN;
    case '[': *len = 1; return TK_LBRACKET;
    case ']': *len = 1; return TK_RBRACKET;
    case '{': *len = 1; return TK_LBRACE;
    case '}': *len = 1; return TK_RBRACE;
    case ',': *len = 1; return TK_COMMA;
    case ';': *len = 1; return TK_SEMI;
    case '?': *len = 1; return TK_QUESTION;
    case '@': *len = 1; return TK_AT;
    case ':': if (c1 == ':') return TK_COLONCOLON; *len = 1; return TK_COLON;
    case '.':
        if (c1 == '.') { if (c2 == '=') { *len = 3; return TK_DOTDOTEQ; } return TK_DOTDOT; }
        if (c1 == '*') return TK_DOTSTAR;
        if (c1 == '/') return TK_DOTSLASH;
        *len = 1; return TK_DOT;
    case '-': if (c1 == '>') return TK_ARROW; if (c1 == '=') return TK_MINUSEQ; *len = 1; return TK_MINUS;
    case '=': if (c1 == '>') return TK_FATARROW; if (c1 == '=') return TK_EQEQ; *len = 1; return TK_EQ;
    case '+': if (c1 == '=') return TK_PLUSEQ; *len = 1; return TK_PLUS;
    case '*': if (c1 == '*') return TK_STARSTAR; if (c1 == '=') return TK_STAREQ; *len = 1; return TK_STAR;
    case '/': if (c1 == '=') return TK_SLASHEQ; *len = 1; return TK_SLASH;
    case '%': if (c1 == '=') return TK_PERCENTEQ; *len = 1; return TK_PERCENT;
    case '^': if (c1 == '=') return TK_CARETEQ; *len = 1; return TK_CARET;
    case '&': if (c1 == '&') return TK_AMPAMP; if (c1 == '=') return TK_AMPEQ; *len = 1; return TK_AMP;
    case '|': if (c1 == '|') return TK_PIPEPIPE; if (c1 == '=') return TK_PIPEEQ; *len = 1; return TK_PIPE;
    case '!': if (c1 == '=') return TK_NE; *len = 1; return TK_BANG;
    case '<':
        if (c1 == '<') { if (c2 == '=') { *len = 3; return TK_SHLEQ; } return TK_SHL; }
        if (c1 == '=') return TK_LE;
        *len = 1; return TK_LT;
    case '>':
        if (c1 == '>') { if (c2 == '=') { *len = 3; return TK_SHREQ; } return TK_SHR; }
        if (c1 == '=') return TK_GE;
        *len = 1; return TK_GT;
    default:
        *len = 0; return TK_EOF;
    }
}

static bool lex_punct(Lexer *L)
{
    uint32_t n;
    VxTokKind k = punct_kind(L->s + L->pos, L->len - L->pos, &n);
    if (n == 0) return false;
    push(L, k, L->pos, L->pos + n);
    L->pos += n;
    switch (k) {
    case TK_LPAREN: open_bracket(L, '('); break;
    case TK_LBRACKET: open_bracket(L, '['); break;
    case TK_LBRACE: open_bracket(L, '{'); break;
    case TK_RPAREN: close_bracket(L, '('); break;
    case TK_RBRACKET: close_bracket(L, '['); break;
    case TK_RBRACE: close_bracket(L, '{'); break;
    default: break;
    }
    return true;
}

/* ---- main loop ------------------------------------------------------------- */

/* `“text”` (typographic quotes, from a word processor): one error, and the
 * text is kept as a string so the rest of the line parses. */
static bool lex_smart_string(Lexer *L)
{
    if (!(peek(L, 0) == 0xE2 && peek(L, 1) == 0x80 && peek(L, 2) == 0x9C)) return false;
    uint32_t start = L->pos;
    uint32_t i = start + 3;
    while (i + 2 < L->len && L->s[i] != '\n' &&
           !((unsigned char)L->s[i] == 0xE2 && (unsigned char)L->s[i + 1] == 0x80 && (unsigned char)L->s[i + 2] == 0x9D)) i++;
    if (!(i + 2 < L->len && (unsigned char)L->s[i] == 0xE2)) return false;
    VxDiag *g = vx_diag(L->diags, VX_ERROR, L->src, vx_span(start, i + 3), "strings use `\"`, not typographic quotes");
    vx_diag_primary(L->diags, g, "typographic quotes");
    vx_diag_help(L->diags, g, "replace “ and ” with \"");
    VxToken *t = push(L, TK_STRING, start, i + 3);
    t->v.str.s = vx_arena_strndup(L->arena, L->s + start + 3, i - start - 3);
    t->v.str.n = i - start - 3;
    t->bad = 1;
    L->pos = i + 3;
    return true;
}

static void lex_token(Lexer *L)
{
    int c = peek(L, 0);
    if (c == '\n') { line_break(L, L->pos); L->pos++; return; }
    if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') { L->pos++; return; }
    if (c == '/' && peek(L, 1) == '/') {
        while (L->pos < L->len && peek(L, 0) != '\n') L->pos++;
        return;
    }
    if (c == '/' && peek(L, 1) == '*') { block_comment(L); return; }
    if (is_digit(c)) { lex_number(L); return; }
    if (c == '"') { lex_string(L); return; }
    if (c == 0xE2 && lex_smart_string(L)) return;
    if (is_ident_start(c)) { lex_ident(L); return; }
    if (lex_punct(L)) return;
    unknown_char(L);
}

VxTokens vx_lex(const VxSource *src, VxArena *arena, VxDiags *diags)
{
    kw_init();
    Lexer L;
    memset(&L, 0, sizeof L);
    L.src = src;
    L.s = src->text;
    L.len = src->len;
    L.arena = arena;
    L.diags = diags;
    if (L.len >= 3 && memcmp(L.s, "\xEF\xBB\xBF", 3) == 0) L.pos = 3;   /* UTF-8 BOM */
    if (memchr(L.s, '\0', L.len)) {              /* a binary file: one error, not hundreds */
        uint32_t at = (uint32_t)((const char *)memchr(L.s, '\0', L.len) - L.s);
        VxDiag *g = lex_error(&L, at, at + 1, "this file is not text: it contains a NUL byte");
        vx_diag_note(diags, g, "Vortex source files are UTF-8 text");
        L.pos = L.len;
    }
    L.toks.cap = (int)(L.len / 4 + 16);          /* about one token per 4 bytes of code */
    L.toks.data = vx_xmalloc(sizeof(VxToken) * (size_t)L.toks.cap);
    while (L.pos < L.len) lex_token(&L);
    if (last_kind(&L) != TK_NEWLINE && L.toks.len) push(&L, TK_NEWLINE, L.len, L.len);
    push(&L, TK_EOF, L.len, L.len);
    VxTokens t = { L.toks.data, L.toks.len, L.truncated, L.error_lines.data, L.error_lines.len };
    return t;
}

void vx_tokens_free(VxTokens *t)
{
    free(t->error_lines);
    t->error_lines = NULL;
    free(t->data);
    t->data = NULL;
    t->len = 0;
}
