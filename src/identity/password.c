/* password.c - argon2id hashing and the password policy (see password.h). */
#include "identity/password.h"

#include <sodium.h>
#include <string.h>

#include "core/crypto.h"

/* Well-formed UTF-8 without NUL or control characters. */
static bool valid_text(const unsigned char *s)
{
	while (*s) {
		int extra;

		if (*s < 0x20 || *s == 0x7f)
			return false;
		if (*s < 0x80) {
			s++;
			continue;
		}
		if ((*s & 0xe0) == 0xc0 && *s >= 0xc2)
			extra = 1;
		else if ((*s & 0xf0) == 0xe0)
			extra = 2;
		else if ((*s & 0xf8) == 0xf0 && *s <= 0xf4)
			extra = 3;
		else
			return false;
		for (s++; extra > 0; extra--, s++)
			if ((*s & 0xc0) != 0x80)
				return false;
	}
	return true;
}

int vg_password_check_policy(const char *password, vg_error *err)
{
	size_t len = strlen(password);

	if (len < VG_PASSWORD_MIN)
		return vg_error_set(err, VG_EINVAL, "password must be at least %d characters",
				    VG_PASSWORD_MIN);
	if (len > VG_PASSWORD_MAX)
		return vg_error_set(err, VG_EINVAL, "password must be at most %d bytes",
				    VG_PASSWORD_MAX);
	if (!valid_text((const unsigned char *)password))
		return vg_error_set(err, VG_EINVAL,
				    "password must be UTF-8 text without control characters");
	return VG_OK;
}

int vg_password_hash(const char *password, char out[VG_PASSWORD_HASH_MAX], vg_error *err)
{
	int rc = vg_password_check_policy(password, err);

	if (rc)
		return rc;
	/* Interactive limits (2 passes, 64 MiB): libsodium's advice for logins. */
	if (crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return vg_error_set(err, VG_ENOMEM, "out of memory hashing a password");
	return VG_OK;
}

bool vg_password_verify(const char *hash, const char *password)
{
	return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

void vg_password_generate(char *out, size_t size)
{
	static const char alphabet[] = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	size_t n = size - 1 < VG_PASSWORD_GENERATED_LEN ? size - 1 : VG_PASSWORD_GENERATED_LEN;

	for (size_t i = 0; i < n; i++)
		out[i] = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
	out[n] = '\0';
}
