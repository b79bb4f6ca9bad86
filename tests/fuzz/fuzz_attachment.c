/*
 * fuzz_attachment.c - an uploaded or mailed file, as the attachment checks
 * read it (vg_attachment_check): its name, its declared type, its bytes.
 *
 * Input: byte 0 picks the declared type (of a few on the list, an alias,
 * one with parameters and one off the list), byte 1 the size limit (64
 * bytes to 16 KiB); then the file name up to a NUL byte, and the rest is
 * the file.
 * Promises checked: the file is taken with VG_OK, a type name of the
 * list's and a length within the limit that is not zero, and never with
 * the bytes of an executable in front; or it is refused with VG_EINVAL or
 * VG_ETOOBIG and a message. Nothing else is returned.
 */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "itsm/attachments.h"

static const char *const declared[] = {
	"image/png", "image/jpg", "application/pdf", "application/zip", "text/plain",
	"text/plain; charset=utf-8", "text/csv; charset=gbk", "message/rfc822",
	"application/vnd.tcpdump.pcap", "application/x-msdownload", "", "TEXT/PLAIN",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char type[VG_ATTACHMENT_TYPE_MAX + 1] = "", *name;
	const uint8_t *nul, *file;
	vg_error err = { 0 };
	int64_t max;
	size_t len;
	int rc;

	if (size < 2)
		return 0;
	max = (int64_t)64 << (data[1] % 9);
	nul = memchr(data + 2, '\0', size - 2);
	if (!nul)
		return 0;
	name = strndup((const char *)data + 2, (size_t)(nul - data - 2));
	if (!name)
		return 0;
	file = nul + 1;
	len = size - (size_t)(file - data);
	rc = vg_attachment_check(name, declared[data[0] % (sizeof(declared) / sizeof(declared[0]))],
				 file, len, max, type, &err);
	if (rc == VG_OK) {
		if (!type[0] || len == 0 || (int64_t)len > max)
			abort();
		if (len >= 2 && (memcmp(file, "MZ", 2) == 0 || memcmp(file, "#!", 2) == 0))
			abort();
		if (len >= 4 && memcmp(file, "\x7f" "ELF", 4) == 0)
			abort();
	} else if ((rc != VG_EINVAL && rc != VG_ETOOBIG) || !err.msg[0]) {
		abort();
	}
	free(name);
	return 0;
}
