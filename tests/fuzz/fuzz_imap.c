/*
 * fuzz_imap.c - an IMAP server's answers as the mailbox reader reads them:
 * a UID SEARCH answer (vg_imap_parse_search) and a FETCH of the size and
 * arrival date (vg_imap_parse_info).
 *
 * Input: byte 0 picks how many UIDs are taken at most (1 to 256) and byte
 * 1 the UID they must be above; the rest is the answer.
 * Promises checked: a search answer is read or refused with VG_EIO and a
 * message; what it gives is at most max UIDs, each above after, ascending.
 * A fetch answer gives a size of zero or more and an arrival time within
 * years 1 to 9999, or VG_EIO and a message.
 */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "mail/imap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	vg_error err = { 0 };
	int64_t *uids, after, bytes, received;
	size_t max, n;
	char *answer;
	int rc;

	if (size < 2)
		return 0;
	max = (size_t)data[0] + 1;
	after = data[1];
	answer = malloc(size - 1);
	if (!answer)
		return 0;
	memcpy(answer, data + 2, size - 2);
	answer[size - 2] = '\0';
	rc = vg_imap_parse_search(answer, after, max, &uids, &n, &err);
	if (rc == VG_OK) {
		if (n > max)
			abort();
		for (size_t i = 0; i < n; i++)
			if (uids[i] <= after || (i > 0 && uids[i] < uids[i - 1]))
				abort();
	} else if (rc != VG_EIO || !err.msg[0] || uids || n) {
		abort();
	}
	free(uids);
	err.msg[0] = '\0';
	rc = vg_imap_parse_info(answer, &bytes, &received, &err);
	if (rc == VG_OK && (bytes < 0 || received < -62135596800000LL ||
			    received > 253402300799999LL + 86400000LL))
		abort();
	if (rc != VG_OK && (rc != VG_EIO || !err.msg[0]))
		abort();
	free(answer);
	return 0;
}
