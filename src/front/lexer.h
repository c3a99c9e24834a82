/* lexer.h - source text to tokens.
 *
 * Newlines end statements, so the lexer emits NEWLINE tokens, but only where
 * a statement could end: never inside ( ) or [ ], never after a token that
 * cannot end an expression (a binary operator, `,`, `=`, `->`, an opening
 * bracket, ...), never before a line that starts with `.name` (a method
 * chain), and never twice in a row.  Errors (unknown characters, bad
 * numbers, unterminated strings or comments) are reported and lexing goes
 * on. */
#ifndef VX_LEXER_H
#define VX_LEXER_H

#include "../util/arena.h"
#include "diag.h"
#include "token.h"

typedef struct VxTokens {
    VxToken *data;                    /* heap; the last token is TK_EOF */
    int len;
    bool truncated;                   /* an unterminated block comment hid the rest of the file */
    uint32_t *error_lines;            /* lines with unknown characters (parser stays quiet there) */
    int nerror_lines;
} VxTokens;

/* Literal values and decoded strings go into `arena`. */
VxTokens vx_lex(const VxSource *src, VxArena *arena, VxDiags *diags);
void vx_tokens_free(VxTokens *t);

#endif
