/* base64.c - RFC 4648 base64 (see base64.h). */
#include "core/base64.h"

#include <stdbool.h>
#include <stdint.h>

static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int vg_base64_encode(const void *data, size_t n, vg_buf *out)
{
	const unsigned char *in = data;
	size_t i, mark = out->len;
	int rc = VG_OK;

	for (i = 0; rc == VG_OK && i + 2 < n; i += 3) {
		char q[4] = { alphabet[in[i] >> 2], alphabet[((in[i] & 3) << 4) | (in[i + 1] >> 4)],
			      alphabet[((in[i + 1] & 15) << 2) | (in[i + 2] >> 6)],
			      alphabet[in[i + 2] & 63] };

		rc = vg_buf_append(out, q, 4);
	}
	if (rc == VG_OK && n - i == 1) {
		char q[4] = { alphabet[in[i] >> 2], alphabet[(in[i] & 3) << 4], '=', '=' };

		rc = vg_buf_append(out, q, 4);
	} else if (rc == VG_OK && n - i == 2) {
		char q[4] = { alphabet[in[i] >> 2], alphabet[((in[i] & 3) << 4) | (in[i + 1] >> 4)],
			      alphabet[(in[i + 1] & 15) << 2], '=' };

		rc = vg_buf_append(out, q, 4);
	}
	if (rc) {
		out->len = mark;
		if (out->ptr)
			out->ptr[mark] = '\0';
	}
	return rc;
}

static int value_of(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

int vg_base64_decode(const char *text, size_t n, vg_buf *out, vg_error *err)
{
	size_t mark = out->len;
	int rc = VG_OK;

	if (n % 4)
		return vg_error_set(err, VG_EINVAL, "not base64: length %zu is not a multiple of 4", n);
	for (size_t i = 0; rc == VG_OK && i < n; i += 4) {
		bool last = i + 4 == n;
		int pad = last ? (text[i + 3] == '=') + (text[i + 2] == '=' && text[i + 3] == '=') : 0;
		int v[4] = { value_of(text[i]), value_of(text[i + 1]),
			     pad >= 2 ? 0 : value_of(text[i + 2]), pad >= 1 ? 0 : value_of(text[i + 3]) };
		unsigned char b[3];

		if (v[0] < 0 || v[1] < 0 || v[2] < 0 || v[3] < 0) {
			rc = vg_error_set(err, VG_EINVAL, "not base64: bad character near offset %zu", i);
			break;
		}
		b[0] = (unsigned char)(v[0] << 2 | v[1] >> 4);
		b[1] = (unsigned char)((v[1] & 15) << 4 | v[2] >> 2);
		b[2] = (unsigned char)((v[2] & 3) << 6 | v[3]);
		rc = vg_buf_append(out, b, (size_t)(3 - pad));
		if (rc)
			rc = vg_error_set(err, rc, "out of room decoding base64");
	}
	if (rc) {
		out->len = mark;
		if (out->ptr)
			out->ptr[mark] = '\0';
	}
	return rc;
}
