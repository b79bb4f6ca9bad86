/* line_parser.c - the text parsers by the name source types give them. */
#include "ingest/line_parser.h"

#include <string.h>

static const struct {
	const char *name;
	vg_line_parse_fn parse;
} parsers[] = {
	{ "syslog", vg_syslog_parse },
	{ "combined", vg_access_log_parse },
	{ "cef", vg_cef_parse },
	{ "leef", vg_leef_parse },
};

vg_line_parse_fn vg_line_parser_for(const vg_source_type *type)
{
	size_t i;

	for (i = 0; i < sizeof(parsers) / sizeof(parsers[0]); i++)
		if (strcmp(type->parser, parsers[i].name) == 0)
			return parsers[i].parse;
	return NULL;
}
