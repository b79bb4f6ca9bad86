/*
 * fuzz_access_log.c - one access log line (NCSA common or combined) into a
 * JSON event (vg_access_log_parse); the checks are line_parser_fuzz.c's.
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_line_parser("nginx", data, size);
	return 0;
}
