/*
 * utf8.h - checking UTF-8 text from outside.
 */
#ifndef VG_CORE_UTF8_H
#define VG_CORE_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* The length (2-4) of the valid multi-byte UTF-8 sequence at s, which has n
 * bytes left, or 0 when it is not one: overlong forms, surrogates and
 * code points past U+10FFFF are not. s[0] must be 0x80 or more. */
size_t vg_utf8_seq_len(const unsigned char *s, size_t n);

/* True when the n bytes at s are valid UTF-8 (without NUL bytes when
 * allow_nul is false). */
bool vg_utf8_valid(const char *s, size_t n, bool allow_nul);

#endif
