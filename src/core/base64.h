/*
 * base64.h - RFC 4648 base64 with the standard alphabet and padding, as
 * webhook signatures and Sigma's base64 modifiers use it.
 */
#ifndef VG_CORE_BASE64_H
#define VG_CORE_BASE64_H

#include <stddef.h>

#include "core/buf.h"
#include "core/error.h"

/* Appends the encoding of n bytes to out (VG_OK, or out's error). */
int vg_base64_encode(const void *data, size_t n, vg_buf *out);

/* Appends the n characters' decoding to out; VG_EINVAL "not base64" for a
 * character outside the alphabet, bad padding or a length that is not a
 * multiple of four. out is left as it was on failure. */
int vg_base64_decode(const char *text, size_t n, vg_buf *out, vg_error *err);

#endif
