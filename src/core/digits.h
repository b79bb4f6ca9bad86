/*
 * digits.h - runs of ASCII decimal digits, as log formats and dates write
 * numbers: no sign, no space, no locale.
 */
#ifndef VG_CORE_DIGITS_H
#define VG_CORE_DIGITS_H

#include <stdbool.h>
#include <stddef.h>

/* True when the n bytes at s are 1 to 9 digits (so the value fits an int);
 * *out gets the value. */
bool vg_digits_int(const char *s, size_t n, int *out);

/* True when the n bytes at s are 1 to 18 digits: a count any int64_t holds. */
bool vg_digits_is_count(const char *s, size_t n);

#endif
