/* parser.h - tokens to syntax tree.
 *
 * Recursive descent for items and statements, Pratt precedence climbing for
 * expressions.  After a syntax error the parser reports it, skips to the
 * next statement or item boundary and goes on, so one run reports every
 * independent mistake; it never loops or crashes, whatever the input
 * (fuzzed in CI).  The grammar is in docs/language.md; each parse function
 * carries its rule. */
#ifndef VX_PARSER_H
#define VX_PARSER_H

#include "ast.h"
#include "diag.h"
#include "lexer.h"

/* Lex and parse a whole file.  The tree lives in `arena`; errors go to
 * `diags` (check diags->errors).  Always returns a FILE node. */
VxNode *vx_parse(const VxSource *src, VxArena *arena, VxDiags *diags);

/* Parse from tokens already lexed (the benchmark times the two apart). */
VxNode *vx_parse_tokens(const VxSource *src, const VxTokens *toks, VxArena *arena, VxDiags *diags);

#endif
