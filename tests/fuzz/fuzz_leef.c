/*
 * fuzz_leef.c - one LEEF 1.0 or 2.0 line, alone or after a syslog header,
 * into a JSON event (vg_leef_parse); the checks are line_parser_fuzz.c's.
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_line_parser("leef", data, size);
	return 0;
}
