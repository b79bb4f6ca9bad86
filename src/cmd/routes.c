/* routes.c - `vigil routes`: the HTTP route table. */
#include "cmd/cmd.h"

#include <stdlib.h>

#include "core/json.h"
#include "http/http.h"

static const char usage[] = "usage: vigil routes [--json]\n\nLists every HTTP route with the "
			    "permission it needs and what it audits.\n";

int cmd_routes(int argc, char **argv)
{
	const char *as_json = NULL;
	cmd_flag flags[] = { { "json", false, &as_json, NULL }, { 0 } };
	json_t *all;
	char *text;
	int status;

	if (!cmd_parse_flags(argc, argv, flags, NULL, 0, NULL, usage, &status))
		return status;
	if (!as_json) {
		printf("%-7s %-40s %-13s %-18s %s\n", "METHOD", "PATH", "PERMISSION", "AUDIT",
		       "SUMMARY");
		for (const vg_route *r = vg_routes; r->method; r++)
			printf("%-7s %-40s %-13s %-18s %s\n", r->method, r->pattern,
			       vg_perm_name(r->perm), r->action ? r->action : "-", r->summary);
		return VG_EXIT_OK;
	}
	all = json_array();
	for (const vg_route *r = vg_routes; r->method; r++)
		json_array_append_new(
			all, json_pack("{s:s, s:s, s:s, s:o, s:o, s:b, s:s}", "method", r->method,
				       "path", r->pattern, "permission", vg_perm_name(r->perm),
				       "action", r->action ? json_string(r->action) : json_null(),
				       "resource", r->resource ? json_string(r->resource) : json_null(),
				       "public", (r->flags & VG_ROUTE_PUBLIC) != 0, "summary",
				       r->summary));
	text = json_dumps(all, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(all);
	if (!text)
		return VG_EXIT_FAIL;
	puts(text);
	free(text);
	return VG_EXIT_OK;
}
