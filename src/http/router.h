/*
 * router.h - matching a request line against the route table.
 */
#ifndef VG_HTTP_ROUTER_H
#define VG_HTTP_ROUTER_H

#include <stdbool.h>

#include "core/buf.h"
#include "http/http.h"

#define VG_ROUTE_MAX_PARAMS 4

/*
 * The route whose method and pattern match, with its {name} segments in
 * params (views into path). NULL when none matches; *path_known then says
 * whether some route has this path under another method (405, not 404).
 * The query string must already be stripped from path.
 */
const vg_route *vg_router_match(const vg_route *routes, const char *method, const char *path,
				vg_str params[VG_ROUTE_MAX_PARAMS], bool *path_known);

/* Writes the methods routes allow on path ("GET, PATCH") into out. */
int vg_router_allow(const vg_route *routes, const char *path, vg_buf *out);

#endif
