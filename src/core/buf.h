/*
 * buf.h - Vigil's two string types.
 *
 * vg_str is a borrowed view {ptr, len}; it owns nothing and need not be
 * NUL-terminated. vg_buf is an owning growable buffer that is always
 * NUL-terminated and refuses to grow past its max (VG_ETOOBIG), so a buffer
 * filled from outside input has a stated limit.
 */
#ifndef VG_CORE_BUF_H
#define VG_CORE_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct vg_str {
	const char *ptr;
	size_t len;
} vg_str;

#define VG_STR_LIT(lit) ((vg_str){ (lit), sizeof(lit) - 1 })

/* A view of a NUL-terminated string (NULL gives the empty view). */
vg_str vg_str_c(const char *s);
bool vg_str_eq(vg_str a, vg_str b);
bool vg_str_eq_c(vg_str a, const char *s);

typedef struct vg_buf {
	char *ptr;  /* NULL until the first append; then NUL-terminated */
	size_t len; /* bytes used, not counting the terminating NUL */
	size_t cap; /* bytes allocated */
	size_t max; /* the most len may ever reach */
} vg_buf;

#define VG_BUF_INIT(max_bytes) { NULL, 0, 0, (max_bytes) }

/* Appends; VG_ETOOBIG when len would pass max, VG_ENOMEM when malloc fails.
 * On failure the buffer is unchanged. */
int vg_buf_append(vg_buf *b, const void *data, size_t len);
int vg_buf_puts(vg_buf *b, const char *s);
int vg_buf_printf(vg_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int vg_buf_vprintf(vg_buf *b, const char *fmt, va_list ap);

/* The contents as a C string; "" when nothing was appended. */
const char *vg_buf_cstr(const vg_buf *b);

/* Empties the buffer, keeping its allocation. */
void vg_buf_reset(vg_buf *b);

/* Frees the allocation; the buffer is then empty and reusable. */
void vg_buf_release(vg_buf *b);

/* Hands the allocation to the caller (free() it); NULL when empty. */
char *vg_buf_detach(vg_buf *b);

#endif
