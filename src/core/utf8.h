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

/* The offset of the first byte at s that is not valid UTF-8 (or a NUL,
 * when allow_nul is false); n when there is none. */
size_t vg_utf8_invalid_at(const char *s, size_t n, bool allow_nul);

/* Likewise for printable text as YAML takes it unescaped: valid UTF-8 with
 * no control character but tab, CR and LF. */
size_t vg_utf8_unprintable_at(const char *s, size_t n);

/*
 * Trims white space around in and checks that what is left is 1 to
 * max_chars characters of UTF-8 text without control characters (C0, DEL,
 * C1), copying it into out (size bytes). VG_EINVAL "WHAT must be 1 to N
 * characters" or "WHAT must be UTF-8 text without control characters".
 */
#include "core/error.h"
/* VG_EINVAL "WHAT must not be empty" when required and s is NULL or "",
 * "WHAT is longer than MAX bytes" past max_bytes; VG_OK otherwise (s may
 * be NULL when not required). */
int vg_text_check(const char *what, const char *s, size_t max_bytes, bool required,
		  vg_error *err);

/* VG_EINVAL "WHAT must not be empty", "WHAT is longer than MAX bytes" or
 * "WHAT has a control character": a one-line setting (a name, a URL, an
 * address). */
int vg_line_check(const char *what, const char *s, size_t max_bytes, vg_error *err);

int vg_text_clean(const char *in, size_t max_chars, const char *what, char *out, size_t size,
		  vg_error *err);

#endif
