/*
 * fuzz_mime.c - Internet messages from outside (vg_mime_parse): headers,
 * encoded-words, RFC 2231 parameters, multiparts, transfer encodings,
 * charsets and HTML.
 *
 * Input: the whole input is the message, read twice: under generous
 * limits, and under tight ones drawn from a hash of the input.
 * Promises checked: a message is read (VG_OK) or refused with VG_EINVAL,
 * VG_ETOOBIG or VG_ENOMEM, a message, and *out all zero. A message read
 * has every string valid UTF-8 without NUL (subject, names, ids,
 * references, text, attachment names and types), attachment names of 1
 * to 255 bytes without '/', '\\' or control characters, content types
 * lowercased "type/subtype", no attachment over max_attachment, data
 * never NULL, and no more attachments than max_parts. When it has an
 * attachment of L > 0 bytes, the same message with max_attachment L - 1
 * is refused with VG_ETOOBIG. Leaks show up through LeakSanitizer.
 */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "mail/mime.h"

static void check_text(const char *s)
{
	if (!s || !vg_utf8_valid(s, strlen(s), false))
		abort();
}

static void check_attachment(const vg_mime_attachment *a, const vg_mime_limits *lim)
{
	const char *slash;
	size_t n;

	check_text(a->filename);
	check_text(a->content_type);
	n = strlen(a->filename);
	if (n == 0 || n > 255 || strpbrk(a->filename, "/\\") || !a->data ||
	    a->len > lim->max_attachment)
		abort();
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)a->filename[i] < 0x20 || a->filename[i] == 0x7f)
			abort();
	slash = strchr(a->content_type, '/');
	if (!slash || slash == a->content_type || !slash[1] || strchr(slash + 1, '/'))
		abort();
	for (const char *c = a->content_type; *c; c++)
		if ((*c >= 'A' && *c <= 'Z') || *c <= ' ' || *c > '~')
			abort();
}

/* Parses the message under lim and checks the promises; the size of its
 * largest attachment, or 0 when it is refused or has none. */
static size_t check(const char *raw, size_t len, const vg_mime_limits *lim)
{
	static const vg_mime_message zero;
	vg_mime_message m;
	vg_error err = {0};
	size_t largest = 0;
	int rc;

	memset(&m, 0xa5, sizeof(m));
	rc = vg_mime_parse(raw, len, lim, &m, &err);
	if (rc != VG_OK) {
		if ((rc != VG_EINVAL && rc != VG_ETOOBIG && rc != VG_ENOMEM) || !err.msg[0] ||
		    memcmp(&m, &zero, sizeof(m)) != 0)
			abort();
		return 0;
	}
	check_text(m.from_address);
	check_text(m.from_name);
	check_text(m.subject);
	check_text(m.message_id);
	check_text(m.in_reply_to);
	check_text(m.text);
	if (m.nreferences && !m.references)
		abort();
	for (size_t i = 0; i < m.nreferences; i++)
		check_text(m.references[i]);
	if (m.nattachments > lim->max_parts || (m.nattachments && !m.attachments))
		abort();
	for (size_t i = 0; i < m.nattachments; i++) {
		check_attachment(&m.attachments[i], lim);
		if (m.attachments[i].len > largest)
			largest = m.attachments[i].len;
	}
	vg_mime_free(&m);
	if (memcmp(&m, &zero, sizeof(m)) != 0)
		abort();
	return largest;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const vg_mime_limits generous = {1 << 20, 256, 16};
	vg_mime_limits tight, smaller;
	uint32_t h = 2166136261u;
	char *raw = malloc(size ? size : 1); /* exact size, for ASan */
	size_t largest;

	for (size_t i = 0; i < size; i++)
		h = (h ^ data[i]) * 16777619u;
	tight = (vg_mime_limits){h % 64, 1 + (h >> 6) % 8, (int)((h >> 9) % 4)};
	memcpy(raw, data, size);
	largest = check(raw, size, &generous);
	if (largest) {
		smaller = generous;
		smaller.max_attachment = largest - 1;
		if (vg_mime_parse(raw, size, &smaller, &(vg_mime_message){0}, NULL) != VG_ETOOBIG)
			abort();
	}
	check(raw, size, &tight);
	free(raw);
	return 0;
}
