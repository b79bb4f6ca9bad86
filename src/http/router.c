/* router.c - segment-by-segment route matching (see router.h). */
#include "http/router.h"

#include <string.h>

/* Matches pattern against path; fills params for {name} segments. */
static bool pattern_matches(const char *pattern, const char *path,
			    vg_str params[VG_ROUTE_MAX_PARAMS])
{
	int nparams = 0;

	while (*pattern && *path) {
		if (*pattern == '{') {
			const char *close = strchr(pattern, '}');
			size_t len = strcspn(path, "/");

			if (!close || len == 0 || nparams == VG_ROUTE_MAX_PARAMS)
				return false;
			params[nparams++] = (vg_str){ path, len };
			pattern = close + 1;
			path += len;
			continue;
		}
		if (*pattern != *path)
			return false;
		pattern++;
		path++;
	}
	return *pattern == '\0' && *path == '\0';
}

const vg_route *vg_router_match(const vg_route *routes, const char *method, const char *path,
				vg_str params[VG_ROUTE_MAX_PARAMS], bool *path_known)
{
	*path_known = false;
	for (const vg_route *r = routes; r->method; r++) {
		vg_str found[VG_ROUTE_MAX_PARAMS] = { { 0 } };

		if (!pattern_matches(r->pattern, path, found))
			continue;
		*path_known = true;
		if (strcmp(r->method, method) == 0 ||
		    (strcmp(method, "HEAD") == 0 && strcmp(r->method, "GET") == 0)) {
			memcpy(params, found, sizeof(found));
			return r;
		}
	}
	return NULL;
}

int vg_router_allow(const vg_route *routes, const char *path, vg_buf *out)
{
	int rc = VG_OK;

	for (const vg_route *r = routes; r->method && !rc; r++) {
		vg_str ignored[VG_ROUTE_MAX_PARAMS];

		if (pattern_matches(r->pattern, path, ignored))
			rc = vg_buf_printf(out, "%s%s", out->len ? ", " : "", r->method);
	}
	return rc;
}
