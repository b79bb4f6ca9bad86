/* buf.c - string views and bounded growable buffers. */
#include "core/buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

vg_str vg_str_c(const char *s)
{
	return (vg_str){ s ? s : "", s ? strlen(s) : 0 };
}

bool vg_str_eq(vg_str a, vg_str b)
{
	return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

bool vg_str_eq_c(vg_str a, const char *s)
{
	return vg_str_eq(a, vg_str_c(s));
}

static int buf_reserve(vg_buf *b, size_t extra)
{
	size_t need, cap;
	char *p;

	if (extra > b->max || b->len > b->max - extra)
		return VG_ETOOBIG;
	need = b->len + extra + 1;
	if (need <= b->cap)
		return VG_OK;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	p = realloc(b->ptr, cap);
	if (!p)
		return VG_ENOMEM;
	b->ptr = p;
	b->cap = cap;
	return VG_OK;
}

int vg_buf_append(vg_buf *b, const void *data, size_t len)
{
	int rc = buf_reserve(b, len);

	if (rc)
		return rc;
	if (len)
		memcpy(b->ptr + b->len, data, len);
	b->len += len;
	b->ptr[b->len] = '\0';
	return VG_OK;
}

int vg_buf_puts(vg_buf *b, const char *s)
{
	return vg_buf_append(b, s, strlen(s));
}

int vg_buf_vprintf(vg_buf *b, const char *fmt, va_list ap)
{
	va_list copy;
	int n, rc;

	va_copy(copy, ap);
	n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0)
		return VG_EINVAL;
	rc = buf_reserve(b, (size_t)n);
	if (rc)
		return rc;
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return VG_OK;
}

int vg_buf_printf(vg_buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vg_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

const char *vg_buf_cstr(const vg_buf *b)
{
	return b->ptr ? b->ptr : "";
}

void vg_buf_reset(vg_buf *b)
{
	b->len = 0;
	if (b->ptr)
		b->ptr[0] = '\0';
}

void vg_buf_release(vg_buf *b)
{
	free(b->ptr);
	b->ptr = NULL;
	b->len = 0;
	b->cap = 0;
}

char *vg_buf_detach(vg_buf *b)
{
	char *p = b->ptr;

	b->ptr = NULL;
	b->len = 0;
	b->cap = 0;
	return p;
}
