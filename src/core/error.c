/* error.c - the vg_error helpers. */
#include "core/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int vg_error_set(vg_error *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return code;
}

void vg_error_prefix(vg_error *err, const char *fmt, ...)
{
	char combined[2 * VG_ERROR_MSG_MAX + 2];
	size_t len;
	va_list ap;
	int n;

	if (!err)
		return;
	va_start(ap, fmt);
	n = vsnprintf(combined, VG_ERROR_MSG_MAX, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	len = strlen(combined);
	snprintf(combined + len, sizeof(combined) - len, ": %s", err->msg);
	/* The message is truncated to fit, as every vg_error message is. */
	len = strlen(combined);
	if (len >= VG_ERROR_MSG_MAX)
		len = VG_ERROR_MSG_MAX - 1;
	memcpy(err->msg, combined, len);
	err->msg[len] = '\0';
}

const char *vg_strerror(int code)
{
	switch (code) {
	case VG_OK: return "ok";
	case VG_ENOMEM: return "out of memory";
	case VG_EINVAL: return "invalid input";
	case VG_ENOTFOUND: return "not found";
	case VG_EEXIST: return "already exists";
	case VG_EPERM: return "forbidden";
	case VG_EAUTH: return "not authenticated";
	case VG_EIO: return "i/o error";
	case VG_ETOOBIG: return "too large";
	case VG_ELIMIT: return "rate limited";
	case VG_ECORRUPT: return "integrity check failed";
	case VG_ECONFLICT: return "conflict";
	default: return "failure";
	}
}
