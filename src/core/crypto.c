/* crypto.c - hashing (OpenSSL), randomness and sealing (libsodium). */
#include "core/crypto.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int vg_crypto_init(vg_error *err)
{
	if (sodium_init() < 0)
		return vg_error_set(err, VG_EFAIL, "libsodium failed to initialise");
	return VG_OK;
}

void vg_sha256(const void *data, size_t len, uint8_t out[VG_SHA256_LEN])
{
	unsigned int n = VG_SHA256_LEN;

	EVP_Digest(data, len, out, &n, EVP_sha256(), NULL);
}

void vg_hex_encode(const uint8_t *data, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < len; i++) {
		out[2 * i] = digits[data[i] >> 4];
		out[2 * i + 1] = digits[data[i] & 15];
	}
	out[2 * len] = '\0';
}

void vg_sha256_hex(const void *data, size_t len, char out[VG_SHA256_HEX_LEN])
{
	uint8_t digest[VG_SHA256_LEN];

	vg_sha256(data, len, digest);
	vg_hex_encode(digest, sizeof(digest), out);
}

void vg_hmac_sha256(const void *key, size_t key_len, const void *data, size_t len,
		    uint8_t out[VG_SHA256_LEN])
{
	unsigned int n = VG_SHA256_LEN;

	HMAC(EVP_sha256(), key, (int)key_len, data, len, out, &n);
}

void vg_random_bytes(void *out, size_t len)
{
	randombytes_buf(out, len);
}

void vg_random_token(size_t bytes, char *out, size_t out_size)
{
	uint8_t raw[64];

	if (bytes > sizeof(raw))
		bytes = sizeof(raw);
	randombytes_buf(raw, bytes);
	sodium_bin2base64(out, out_size, raw, bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
}

bool vg_ct_equal(const void *a, const void *b, size_t len)
{
	return sodium_memcmp(a, b, len) == 0;
}

int vg_master_key_create(const char *path, vg_error *err)
{
	uint8_t key[VG_MASTER_KEY_LEN];
	int rc = VG_EIO;
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		if (errno == EEXIST)
			return vg_error_set(err, VG_EEXIST, "%s already exists", path);
		return vg_error_set(err, VG_EIO, "cannot create %s: %s", path, strerror(errno));
	}
	randombytes_buf(key, sizeof(key));
	if (write(fd, key, sizeof(key)) != (ssize_t)sizeof(key) || fsync(fd) != 0) {
		vg_error_set(err, VG_EIO, "cannot write %s: %s", path, strerror(errno));
		unlink(path);
		goto out;
	}
	rc = VG_OK;
out:
	sodium_memzero(key, sizeof(key));
	close(fd);
	return rc;
}

int vg_master_key_load(const char *path, vg_master_key *out, vg_error *err)
{
	struct stat st;
	int rc = VG_EIO;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return vg_error_set(err, VG_EIO, "cannot open master key %s: %s", path,
				    strerror(errno));
	if (fstat(fd, &st) != 0) {
		vg_error_set(err, VG_EIO, "cannot stat %s: %s", path, strerror(errno));
		goto out;
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		rc = vg_error_set(err, VG_EPERM,
				  "master key %s is accessible by group or others (mode %03o); "
				  "chmod 600 it", path, (unsigned)(st.st_mode & 0777));
		goto out;
	}
	n = read(fd, out->key, sizeof(out->key));
	if (n != (ssize_t)sizeof(out->key) || st.st_size != (off_t)sizeof(out->key)) {
		rc = vg_error_set(err, VG_ECORRUPT, "master key %s must be exactly %d bytes",
				  path, VG_MASTER_KEY_LEN);
		goto out;
	}
	rc = VG_OK;
out:
	close(fd);
	return rc;
}

void vg_master_key_wipe(vg_master_key *key)
{
	sodium_memzero(key->key, sizeof(key->key));
}

int vg_seal(const vg_master_key *key, const void *plain, size_t len, uint8_t **out,
	    size_t *out_len, vg_error *err)
{
	size_t total = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + len;
	uint8_t *box = malloc(total);

	*out = NULL;
	*out_len = 0;
	if (!box)
		return vg_error_set(err, VG_ENOMEM, "out of memory sealing a secret");
	randombytes_buf(box, crypto_secretbox_NONCEBYTES);
	crypto_secretbox_easy(box + crypto_secretbox_NONCEBYTES, plain, len, box, key->key);
	*out = box;
	*out_len = total;
	return VG_OK;
}

int vg_unseal(const vg_master_key *key, const uint8_t *sealed, size_t len, uint8_t **out,
	      size_t *out_len, vg_error *err)
{
	size_t overhead = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES;
	uint8_t *plain;

	*out = NULL;
	*out_len = 0;
	if (len < overhead)
		return vg_error_set(err, VG_ECORRUPT, "sealed value is truncated");
	plain = malloc(len - overhead + 1);
	if (!plain)
		return vg_error_set(err, VG_ENOMEM, "out of memory opening a secret");
	if (crypto_secretbox_open_easy(plain, sealed + crypto_secretbox_NONCEBYTES,
				       len - crypto_secretbox_NONCEBYTES, sealed, key->key) != 0) {
		free(plain);
		return vg_error_set(err, VG_ECORRUPT,
				    "sealed value failed authentication (altered, or another master key)");
	}
	plain[len - overhead] = '\0';
	*out = plain;
	*out_len = len - overhead;
	return VG_OK;
}
