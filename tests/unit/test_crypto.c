/* test_crypto.c - hashing, tokens, the master key file and sealed secrets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/crypto.h"

static char dir[] = "/tmp/vigil-crypto-XXXXXX";

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(dir))
		return -1;
	return vg_crypto_init(NULL);
}

static int teardown(void **state)
{
	char cmd[PATH_MAX + 16];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd);
}

static void sha256_known_vector(void **state)
{
	char hex[VG_SHA256_HEX_LEN];

	(void)state;
	vg_sha256_hex("abc", 3, hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void hmac_rfc4231_case2(void **state)
{
	uint8_t mac[VG_SHA256_LEN];
	char hex[VG_SHA256_HEX_LEN];

	(void)state;
	vg_hmac_sha256("Jefe", 4, "what do ya want for nothing?", 28, mac);
	vg_hex_encode(mac, sizeof(mac), hex);
	assert_string_equal(hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

static void tokens_are_random_and_url_safe(void **state)
{
	char a[64], b[64];

	(void)state;
	vg_random_token(32, a, sizeof(a));
	vg_random_token(32, b, sizeof(b));
	assert_int_equal(strlen(a), 43);
	assert_string_not_equal(a, b);
	assert_int_equal(strspn(a, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
			 43);
	assert_true(vg_ct_equal(a, a, 43));
	assert_false(vg_ct_equal(a, b, 43));
}

static void master_key_file_and_sealing(void **state)
{
	char path[PATH_MAX];
	vg_master_key key, other;
	vg_error err = { 0 };
	uint8_t *sealed, *plain;
	size_t sealed_len, plain_len;
	struct stat st;

	(void)state;
	snprintf(path, sizeof(path), "%s/master.key", dir);
	assert_int_equal(vg_master_key_create(path, &err), VG_OK);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(st.st_size, VG_MASTER_KEY_LEN);
	assert_int_equal(vg_master_key_create(path, &err), VG_EEXIST);
	assert_int_equal(vg_master_key_load(path, &key, &err), VG_OK);

	assert_int_equal(vg_seal(&key, "JBSWY3DPEHPK3PXP", 16, &sealed, &sealed_len, &err), VG_OK);
	assert_null(memmem(sealed, sealed_len, "JBSWY3DP", 8));
	assert_int_equal(vg_unseal(&key, sealed, sealed_len, &plain, &plain_len, &err), VG_OK);
	assert_int_equal(plain_len, 16);
	assert_string_equal((char *)plain, "JBSWY3DPEHPK3PXP");
	free(plain);

	sealed[sealed_len - 1] ^= 1;
	assert_int_equal(vg_unseal(&key, sealed, sealed_len, &plain, &plain_len, &err), VG_ECORRUPT);
	assert_string_equal(err.msg,
			    "sealed value failed authentication (altered, or another master key)");
	sealed[sealed_len - 1] ^= 1;
	memset(&other, 7, sizeof(other));
	assert_int_equal(vg_unseal(&other, sealed, sealed_len, &plain, &plain_len, &err),
			 VG_ECORRUPT);
	assert_int_equal(vg_unseal(&key, sealed, 10, &plain, &plain_len, &err), VG_ECORRUPT);
	free(sealed);

	assert_int_equal(chmod(path, 0644), 0);
	assert_int_equal(vg_master_key_load(path, &key, &err), VG_EPERM);
	assert_non_null(strstr(err.msg, "is accessible by group or others (mode 644)"));
	vg_master_key_wipe(&key);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sha256_known_vector),
		cmocka_unit_test(hmac_rfc4231_case2),
		cmocka_unit_test(tokens_are_random_and_url_safe),
		cmocka_unit_test(master_key_file_and_sealing),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
