/* format_text.c - the text of `{:x}` `{:X}` `{:b}` `{:o}` integers and
 * of Debug strings (`{:?}`, and strings inside containers). */
#include "vm_internal.h"

#include <stdio.h>

/* Digits of the low `bits` bits of w (two's complement, as Rust prints a
 * negative `{:x}`) in base 2^shift (1: binary, 3: octal, 4: hex); buf
 * needs 257 bytes.  Returns the length. */
size_t vm_radix_text(VxWide w, unsigned bits, unsigned shift, bool upper, char *buf)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    unsigned ndig = (bits + shift - 1) / shift;
    size_t n = 0;
    for (unsigned d = ndig; d-- > 0; ) {
        unsigned v = 0;
        for (unsigned b = d * shift + shift; b-- > d * shift; )
            v = v << 1 | (b < bits ? (unsigned)(w.limb[b / 64] >> (b % 64) & 1) : 0);
        if (v || n || d == 0) buf[n++] = digits[v];   /* no leading zeros; "0" for zero */
    }
    buf[n] = 0;
    return n;
}

/* The escape Rust's Debug writes for byte c of a string (`\n`, `\"`,
 * `\u{1b}`), into out (8 bytes); 0 when c stands for itself.  Bytes of
 * multi-byte UTF-8 characters stand for themselves. */
int vm_escape_byte(unsigned char c, char *out)
{
    const char *e = c == '"' ? "\\\"" : c == '\\' ? "\\\\" : c == '\n' ? "\\n" : c == '\r' ? "\\r"
                  : c == '\t' ? "\\t" : c == 0 ? "\\0" : NULL;
    if (e) return snprintf(out, 8, "%s", e);
    if (c < 0x20 || c == 0x7f) return snprintf(out, 8, "\\u{%x}", c);
    return 0;
}
