/* totp.c - RFC 6238 codes through liboath (see totp.h). */
#include "identity/totp.h"

#include <ctype.h>
#include <liboath/oath.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/crypto.h"

void vg_totp_secret_new(char out[VG_TOTP_SECRET_LEN + 1])
{
	static const char b32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
	uint8_t raw[20];

	vg_random_bytes(raw, sizeof(raw));
	/* 20 bytes = 160 bits = exactly 32 base32 digits of 5 bits. */
	for (int i = 0; i < VG_TOTP_SECRET_LEN; i++) {
		int bit = i * 5, byte = bit / 8, shift = bit % 8;
		unsigned v = (unsigned)raw[byte] << 8 | (byte + 1 < 20 ? raw[byte + 1] : 0);

		out[i] = b32[(v >> (11 - shift)) & 31];
	}
	out[VG_TOTP_SECRET_LEN] = '\0';
}

static int decode_secret(const char *secret, char **key, size_t *key_len, vg_error *err)
{
	if (oath_base32_decode(secret, strlen(secret), key, key_len) != OATH_OK)
		return vg_error_set(err, VG_ECORRUPT, "stored TOTP secret is not base32");
	return VG_OK;
}

int vg_totp_code(const char *secret, int64_t now, char out[7], vg_error *err)
{
	size_t key_len;
	char *key;
	int rc;

	rc = decode_secret(secret, &key, &key_len, err);
	if (rc)
		return rc;
	rc = oath_totp_generate(key, key_len, (time_t)now, VG_TOTP_STEP, 0, 6, out);
	free(key);
	if (rc != OATH_OK)
		return vg_error_set(err, VG_EFAIL, "cannot compute a TOTP code: %s",
				    oath_strerror(rc));
	return VG_OK;
}

int vg_totp_verify(const char *secret, const char *code, int64_t now, int64_t last_step,
		   int64_t *step_out, vg_error *err)
{
	int64_t step = now / VG_TOTP_STEP;

	*step_out = 0;
	if (strlen(code) != 6 || strspn(code, "0123456789") != 6)
		return vg_error_set(err, VG_EAUTH, "invalid totp code");
	for (int64_t s = step - 1; s <= step + 1; s++) {
		char expected[7];
		int rc;

		if (s <= last_step)
			continue;
		rc = vg_totp_code(secret, s * VG_TOTP_STEP, expected, err);
		if (rc)
			return rc;
		if (vg_ct_equal(expected, code, 6)) {
			*step_out = s;
			return VG_OK;
		}
	}
	return vg_error_set(err, VG_EAUTH, "invalid totp code");
}

/* Percent-encodes everything but unreserved characters (RFC 3986). */
static int put_escaped(vg_buf *b, const char *s)
{
	int rc = VG_OK;

	for (; *s && !rc; s++) {
		unsigned char c = (unsigned char)*s;

		if (isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~')
			rc = vg_buf_append(b, s, 1);
		else
			rc = vg_buf_printf(b, "%%%02X", c);
	}
	return rc;
}

int vg_totp_uri(const char *account, const char *secret, char **out, vg_error *err)
{
	vg_buf b = VG_BUF_INIT(4096);
	int rc;

	*out = NULL;
	rc = vg_buf_puts(&b, "otpauth://totp/Vigil:");
	if (!rc)
		rc = put_escaped(&b, account);
	if (!rc)
		rc = vg_buf_printf(&b, "?secret=%s&issuer=Vigil&algorithm=SHA1&digits=6&period=%d",
				   secret, VG_TOTP_STEP);
	if (rc) {
		vg_buf_release(&b);
		return vg_error_set(err, rc, "cannot build the otpauth URI");
	}
	*out = vg_buf_detach(&b);
	return VG_OK;
}
