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
	char prefix[VG_ERROR_MSG_MAX];
	char old[VG_ERROR_MSG_MAX];
	va_list ap;

	if (!err)
		return;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof(old));
	snprintf(err->msg, sizeof(err->msg), "%s: %s", prefix, old);
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
