/* token.h - tokens produced by the lexer.
 *
 * The lexer turns a whole file into an array of tokens up front (fast, and
 * it lets the parser look ahead freely).  Each token keeps its byte span;
 * literal tokens also carry their decoded value. */
#ifndef VX_TOKEN_H
#define VX_TOKEN_H

#include <stdbool.h>
#include <stdint.h>

#include "source.h"

typedef enum VxTokKind {
#define TOK(name, text) TK_##name,
#define KW(name, text) TK_##name,
#include "tokens.def"
#undef TOK
#undef KW
    TK_COUNT
} VxTokKind;

#define TK_FIRST_RESERVED TK_ASYNC          /* keywords from here on are reserved */

/* A 256-bit unsigned integer, least significant limb first: integer
 * literals may be as wide as u256 (for cryptography). */
typedef struct VxU256 {
    uint64_t limb[4];
} VxU256;

/* Literal suffixes: `1u8`, `2.0f32`.  Order matters: the integer suffixes
 * come first, then the float ones (see vx_suffix_is_float). */
typedef enum VxSuffix {
    VX_SUF_NONE,
    VX_SUF_I8, VX_SUF_I16, VX_SUF_I32, VX_SUF_I64, VX_SUF_I128, VX_SUF_ISIZE,
    VX_SUF_U8, VX_SUF_U16, VX_SUF_U32, VX_SUF_U64, VX_SUF_U128, VX_SUF_U256, VX_SUF_USIZE,
    VX_SUF_F16, VX_SUF_BF16, VX_SUF_F32, VX_SUF_F64,
    VX_SUF_COUNT
} VxSuffix;

typedef struct VxToken {
    uint16_t kind;                    /* VxTokKind */
    uint8_t suffix;                   /* VxSuffix, for INT and FLOAT */
    uint8_t bad;                      /* literal had an error (already reported) */
    VxSpan span;
    union {
        const VxU256 *ival;           /* INT */
        double fval;                  /* FLOAT */
        struct { const char *s; uint32_t n; } str;   /* STRING, decoded */
    } v;
} VxToken;

const char *vx_tok_name(VxTokKind k);      /* "`+`", "identifier", ... */
const char *vx_suffix_name(VxSuffix s);    /* "u8", "f32", "" */
static inline bool vx_suffix_is_float(VxSuffix s) { return s >= VX_SUF_F16; }

#endif
