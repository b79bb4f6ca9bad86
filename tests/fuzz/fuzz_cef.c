/*
 * fuzz_cef.c - one CEF line, alone or after a syslog header, into a JSON
 * event (vg_cef_parse); the checks are line_parser_fuzz.c's.
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_line_parser("cef", data, size);
	return 0;
}
