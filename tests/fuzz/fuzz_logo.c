/*
 * fuzz_logo.c - a tenant's logo upload, as vg_report_logo_check reads it
 * (libpng through cairo, on bytes from outside).
 *
 * Input: the uploaded bytes.
 * Promises checked: VG_OK only for bytes that start with the PNG
 * signature; otherwise VG_EINVAL or VG_ETOOBIG with a message starting
 * "logo: ". Nothing else is returned.
 */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "report/reports.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
	vg_error err = {0};
	int rc = vg_report_logo_check(data, size, &err);

	if (rc == VG_OK) {
		if (size < sizeof(signature) || memcmp(data, signature, sizeof(signature)) != 0)
			abort();
		return 0;
	}
	if ((rc != VG_EINVAL && rc != VG_ETOOBIG) || strncmp(err.msg, "logo: ", 6) != 0)
		abort();
	return 0;
}
