/* utf8.c - UTF-8 validation (see utf8.h). */
#include "core/utf8.h"

#include <stdint.h>
#include <string.h>

size_t vg_utf8_seq_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0];

	if (c < 0xC2 || c > 0xF4)
		return 0;
	if (c < 0xE0)
		return n >= 2 && (s[1] & 0xC0) == 0x80 ? 2 : 0;
	if (c < 0xF0) {
		if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
			return 0;
		if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] > 0x9F))
			return 0; /* overlong, or a surrogate */
		return 3;
	}
	if (n < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80)
		return 0;
	if ((c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] > 0x8F))
		return 0;
	return 4;
}

bool vg_utf8_valid(const char *s, size_t n, bool allow_nul)
{
	return vg_utf8_invalid_at(s, n, allow_nul) == n;
}

size_t vg_utf8_invalid_at(const char *s, size_t n, bool allow_nul)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;

	while (p < end) {
		uint64_t x;

		/* Eight ASCII bytes at a time: the common case for log text. */
		if (end - p >= 8) {
			memcpy(&x, p, 8);
			if (!(x & 0x8080808080808080ULL) &&
			    (allow_nul || !((x - 0x0101010101010101ULL) & ~x & 0x8080808080808080ULL))) {
				p += 8;
				continue;
			}
		}
		if (*p < 0x80) {
			if (*p == 0 && !allow_nul)
				break;
			p++;
			continue;
		}
		n = vg_utf8_seq_len(p, (size_t)(end - p));
		if (!n)
			break;
		p += n;
	}
	return (size_t)(p - (const unsigned char *)s);
}

size_t vg_utf8_unprintable_at(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k;

	while (i < n) {
		if (p[i] >= 0x80) {
			k = vg_utf8_seq_len(p + i, n - i);
			if (!k)
				return i;
			i += k;
		} else if (p[i] == 0x7f || (p[i] < 0x20 && p[i] != '\t' && p[i] != '\n' && p[i] != '\r')) {
			return i;
		} else {
			i++;
		}
	}
	return n;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

int vg_text_clean(const char *in, size_t max_chars, const char *what, char *out, size_t size,
		  vg_error *err)
{
	const char *start = in, *end = in + strlen(in);
	size_t chars = 0, len, i;

	while (start < end && is_space(*start))
		start++;
	while (end > start && is_space(end[-1]))
		end--;
	len = (size_t)(end - start);
	for (i = 0; i < len && chars <= max_chars; chars++) {
		const unsigned char *c = (const unsigned char *)start + i;
		size_t n = *c < 0x80 ? 1 : vg_utf8_seq_len(c, len - i);

		if (n == 0 || *c < 0x20 || *c == 0x7f ||
		    (n == 2 && c[0] == 0xc2 && c[1] < 0xa0)) /* C1 controls */
			return vg_error_set(err, VG_EINVAL,
					    "%s must be UTF-8 text without control characters", what);
		i += n;
	}
	if (chars == 0 || chars > max_chars || len >= size)
		return vg_error_set(err, VG_EINVAL, "%s must be 1 to %zu characters", what, max_chars);
	memcpy(out, start, len);
	out[len] = '\0';
	return VG_OK;
}

int vg_line_check(const char *what, const char *s, size_t max_bytes, vg_error *err)
{
	int rc = vg_text_check(what, s, max_bytes, true, err);

	if (rc)
		return rc;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return vg_error_set(err, VG_EINVAL, "%s has a control character", what);
	return VG_OK;
}

int vg_text_check(const char *what, const char *s, size_t max_bytes, bool required,
		  vg_error *err)
{
	if (required && (!s || !*s))
		return vg_error_set(err, VG_EINVAL, "%s must not be empty", what);
	if (s && strlen(s) > max_bytes)
		return vg_error_set(err, VG_EINVAL, "%s is longer than %zu bytes", what, max_bytes);
	return VG_OK;
}
