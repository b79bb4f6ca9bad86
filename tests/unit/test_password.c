/* test_password.c - argon2id hashing, verification and the policy. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/crypto.h"
#include "identity/password.h"

static int setup(void **state)
{
	(void)state;
	return vg_crypto_init(NULL);
}

static void hash_is_salted_argon2id_and_verifies(void **state)
{
	char a[VG_PASSWORD_HASH_MAX], b[VG_PASSWORD_HASH_MAX];
	vg_error err = { 0 };

	(void)state;
	assert_int_equal(vg_password_hash("correct horse battery", a, &err), VG_OK);
	assert_int_equal(vg_password_hash("correct horse battery", b, &err), VG_OK);
	assert_int_equal(strncmp(a, "$argon2id$v=19$m=65536,t=2,p=1$", 31), 0);
	assert_string_not_equal(a, b);
	assert_true(vg_password_verify(a, "correct horse battery"));
	assert_true(vg_password_verify(b, "correct horse battery"));
	assert_false(vg_password_verify(a, "correct horse batterY"));
	assert_false(vg_password_verify(a, ""));
	assert_false(vg_password_verify("not a hash", "correct horse battery"));
}

static void policy_names_the_rule(void **state)
{
	static const struct {
		const char *password;
		const char *message;
	} cases[] = {
		{ "short", "password must be at least 12 characters" },
		{ "eleven char", "password must be at least 12 characters" },
		{ "tab\there is bad", "password must be UTF-8 text without control characters" },
		{ "\xff\xfe not utf-8 text", "password must be UTF-8 text without control characters" },
		{ "\xc0\xafoverlong utf8", "password must be UTF-8 text without control characters" },
	};
	char hash[VG_PASSWORD_HASH_MAX];
	char long_pw[1100];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		vg_error err = { 0 };

		assert_int_equal(vg_password_hash(cases[i].password, hash, &err), VG_EINVAL);
		assert_string_equal(err.msg, cases[i].message);
	}
	memset(long_pw, 'a', sizeof(long_pw) - 1);
	long_pw[sizeof(long_pw) - 1] = '\0';
	assert_int_equal(vg_password_check_policy(long_pw, NULL), VG_EINVAL);
	assert_int_equal(vg_password_check_policy("密码要足够长才可以的啊", NULL), VG_OK);
	assert_int_equal(vg_password_check_policy("exactly12chr", NULL), VG_OK);
}

static void generated_passwords_are_long_random_and_unambiguous(void **state)
{
	char a[VG_PASSWORD_GENERATED_LEN + 1], b[VG_PASSWORD_GENERATED_LEN + 1];

	(void)state;
	vg_password_generate(a, sizeof(a));
	vg_password_generate(b, sizeof(b));
	assert_int_equal(strlen(a), VG_PASSWORD_GENERATED_LEN);
	assert_string_not_equal(a, b);
	assert_null(strpbrk(a, "0O1lIio"));
	assert_int_equal(vg_password_check_policy(a, NULL), VG_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hash_is_salted_argon2id_and_verifies),
		cmocka_unit_test(policy_names_the_rule),
		cmocka_unit_test(generated_passwords_are_long_random_and_unambiguous),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
