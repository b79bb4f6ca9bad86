/*
 * fuzz_syslog.c - one syslog line into a JSON event (vg_syslog_parse) with
 * the syslog source type's sshd templates; the checks are line_parser_fuzz.c's.
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_line_parser("syslog", data, size);
	return 0;
}
