/*
 * charset.c - text in a MIME charset to UTF-8, through iconv (see mime.h).
 *
 * UTF-8 itself is checked with core/utf8.h rather than iconv, so what is
 * accepted as UTF-8 is exactly what the rest of Vigil calls valid. Charset
 * names are MIME tokens: anything else (a '/' would let a sender append
 * iconv's "//IGNORE" and have invalid bytes dropped silently) is refused as
 * unknown. Allocation is fallible: this runs on mail from outside.
 */
#include "mail/mime.h"

#include <errno.h>
#include <iconv.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/utf8.h"

#define CHARSET_NAME_MAX 64

/* Names mail software writes that iconv spells otherwise, or that are
 * narrower than what the senders really use: GB2312 mail routinely holds
 * GBK characters, and GBK is a subset of GB18030. US-ASCII is read as
 * UTF-8, its superset: mail that says US-ASCII (or nothing) and carries
 * UTF-8 is common, and nothing else could be meant by valid UTF-8. */
static const char *iconv_name(const char *charset)
{
	static const struct {
		const char *mime, *iconv;
	} aliases[] = {
	    {"gb2312", "GB18030"},	 {"gb_2312-80", "GB18030"}, {"gbk", "GB18030"},
	    {"x-gbk", "GB18030"},	 {"cp936", "GB18030"},	    {"euc-cn", "GB18030"},
	    {"us-ascii", "UTF-8"},	 {"ascii", "UTF-8"},	    {"utf8", "UTF-8"},
	    {"ks_c_5601-1987", "CP949"}, {"x-unknown", NULL},
	};

	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (strcasecmp(charset, aliases[i].mime) == 0)
			return aliases[i].iconv;
	return charset;
}

/* True when name is a charset name as MIME writes one: 1 to 64 letters,
 * digits and "-_.:+". */
static bool name_ok(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n > CHARSET_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      strchr("-_.:+", c)))
			return false;
	}
	return true;
}

/* The charset name as a message may show it: printable ASCII, cut short. */
static void shown(const char *charset, char out[CHARSET_NAME_MAX + 1])
{
	size_t i;

	for (i = 0; i < CHARSET_NAME_MAX && charset[i]; i++)
		out[i] = charset[i] >= 0x20 && charset[i] < 0x7f ? charset[i] : '?';
	out[i] = '\0';
}

static int unknown(const char *charset, vg_error *err)
{
	char name[CHARSET_NAME_MAX + 1];

	shown(charset, name);
	return vg_error_set(err, VG_EINVAL, "unknown charset \"%s\"", name);
}

/* The result is a C string: a NUL character would cut it short unseen. */
static int nul_check(const char *s, size_t n, vg_error *err)
{
	if (memchr(s, '\0', n))
		return vg_error_set(err, VG_EINVAL, "text holds a NUL character");
	return VG_OK;
}

static int utf8_copy(const char *charset, const char *in, size_t len, char **out, vg_error *err)
{
	size_t bad = vg_utf8_invalid_at(in, len, true);
	char name[CHARSET_NAME_MAX + 1];
	char *s;

	if (bad < len) {
		shown(charset, name);
		return vg_error_set(err, VG_EINVAL, "byte %zu is not valid %s", bad + 1, name);
	}
	if (nul_check(in, len, err))
		return VG_EINVAL;
	s = malloc(len + 1);
	if (!s)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	if (len)
		memcpy(s, in, len);
	s[len] = '\0';
	*out = s;
	return VG_OK;
}

int vg_charset_to_utf8(const char *charset, const char *in, size_t len, char **out, vg_error *err)
{
	const char *name = name_ok(charset) ? iconv_name(charset) : NULL;
	char shown_name[CHARSET_NAME_MAX + 1];
	char *buf = NULL, *src = (char *)in, *dst;
	size_t cap, used, left = len, room;
	bool flushing = false;
	iconv_t cd;
	int rc = VG_OK;

	*out = NULL;
	if (!name)
		return unknown(charset, err);
	if (strcasecmp(name, "UTF-8") == 0)
		return utf8_copy(charset, in, len, out, err);
	if (len > SIZE_MAX / 8)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	cd = iconv_open("UTF-8", name);
	if (cd == (iconv_t)-1)
		return unknown(charset, err);
	/* Room for GBK's two bytes to three; grown when a charset needs more. */
	cap = len + len / 2 + 16;
	buf = malloc(cap);
	if (!buf) {
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
		goto out;
	}
	dst = buf;
	room = cap - 1;
	for (;;) {
		size_t r = flushing ? iconv(cd, NULL, NULL, &dst, &room)
				    : iconv(cd, &src, &left, &dst, &room);
		char *bigger;

		if (r != (size_t)-1) {
			/* All of the input is converted; then the shift state is. */
			if (flushing)
				break;
			flushing = true;
			continue;
		}
		shown(charset, shown_name);
		if (errno == EILSEQ) {
			rc = vg_error_set(err, VG_EINVAL, "byte %zu is not valid %s",
					  (size_t)(src - in) + 1, shown_name);
			goto out;
		}
		if (errno != E2BIG) {
			rc = vg_error_set(err, VG_EINVAL, "text ends inside a %s character",
					  shown_name);
			goto out;
		}
		used = (size_t)(dst - buf);
		if (cap > SIZE_MAX / 2) {
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
			goto out;
		}
		bigger = realloc(buf, cap * 2);
		if (!bigger) {
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
			goto out;
		}
		buf = bigger;
		cap *= 2;
		dst = buf + used;
		room = cap - used - 1;
	}
	*dst = '\0';
	rc = nul_check(buf, (size_t)(dst - buf), err);
out:
	iconv_close(cd);
	if (rc == VG_OK)
		*out = buf;
	else
		free(buf);
	return rc;
}
