/* test_totp.c - RFC 6238 codes, the drift window, replay refusal, URIs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "core/crypto.h"
#include "identity/totp.h"

/* RFC 6238 appendix B's SHA-1 key "12345678901234567890", in base32. */
#define RFC_SECRET "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

static void rfc6238_test_vectors(void **state)
{
	static const struct {
		int64_t t;
		const char *code; /* the RFC's 8-digit values, last 6 digits */
	} vectors[] = {
		{ 59, "287082" },	  { 1111111109, "081804" }, { 1111111111, "050471" },
		{ 1234567890, "005924" }, { 2000000000, "279037" }, { 20000000000, "353130" },
	};
	vg_error err = { 0 };

	(void)state;
	for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		char code[7];

		assert_int_equal(vg_totp_code(RFC_SECRET, vectors[i].t, code, &err), VG_OK);
		assert_string_equal(code, vectors[i].code);
	}
}

static void window_of_one_step_and_no_replay(void **state)
{
	int64_t now = 1795572112, step = now / 30, matched;
	char before[7], current[7], after[7], far[7];
	vg_error err = { 0 };

	(void)state;
	vg_totp_code(RFC_SECRET, now - 30, before, &err);
	vg_totp_code(RFC_SECRET, now, current, &err);
	vg_totp_code(RFC_SECRET, now + 30, after, &err);
	vg_totp_code(RFC_SECRET, now + 90, far, &err);
	assert_int_equal(vg_totp_verify(RFC_SECRET, current, now, 0, &matched, &err), VG_OK);
	assert_int_equal(matched, step);
	assert_int_equal(vg_totp_verify(RFC_SECRET, before, now, 0, &matched, &err), VG_OK);
	assert_int_equal(matched, step - 1);
	assert_int_equal(vg_totp_verify(RFC_SECRET, after, now, 0, &matched, &err), VG_OK);
	assert_int_equal(matched, step + 1);
	assert_int_equal(vg_totp_verify(RFC_SECRET, far, now, 0, &matched, &err), VG_EAUTH);
	assert_string_equal(err.msg, "invalid totp code");
	/* A step already used is never accepted again. */
	assert_int_equal(vg_totp_verify(RFC_SECRET, current, now, step, &matched, &err), VG_EAUTH);
	assert_int_equal(vg_totp_verify(RFC_SECRET, after, now, step, &matched, &err), VG_OK);
	assert_int_equal(vg_totp_verify(RFC_SECRET, "12345", now, 0, &matched, &err), VG_EAUTH);
	assert_int_equal(vg_totp_verify(RFC_SECRET, "12a456", now, 0, &matched, &err), VG_EAUTH);
}

static void new_secrets_are_base32_and_work(void **state)
{
	char a[VG_TOTP_SECRET_LEN + 1], b[VG_TOTP_SECRET_LEN + 1], code[7];
	vg_error err = { 0 };
	int64_t matched;

	(void)state;
	assert_int_equal(vg_crypto_init(NULL), VG_OK);
	vg_totp_secret_new(a);
	vg_totp_secret_new(b);
	assert_int_equal(strlen(a), 32);
	assert_int_equal(strspn(a, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"), 32);
	assert_string_not_equal(a, b);
	assert_int_equal(vg_totp_code(a, 1000000, code, &err), VG_OK);
	assert_int_equal(vg_totp_verify(a, code, 1000000, 0, &matched, &err), VG_OK);
}

static void uri_escapes_the_account(void **state)
{
	vg_error err = { 0 };
	char *uri;

	(void)state;
	assert_int_equal(vg_totp_uri("li wei@corp", RFC_SECRET, &uri, &err), VG_OK);
	assert_string_equal(uri, "otpauth://totp/Vigil:li%20wei%40corp?secret=" RFC_SECRET
				 "&issuer=Vigil&algorithm=SHA1&digits=6&period=30");
	free(uri);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rfc6238_test_vectors),
		cmocka_unit_test(window_of_one_step_and_no_replay),
		cmocka_unit_test(new_secrets_are_base32_and_work),
		cmocka_unit_test(uri_escapes_the_account),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
