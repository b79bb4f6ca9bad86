/* test_buf.c - string views and bounded buffers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/error.h"

static void append_and_printf(void **state)
{
	vg_buf b = VG_BUF_INIT(1024);

	(void)state;
	assert_string_equal(vg_buf_cstr(&b), "");
	assert_int_equal(vg_buf_puts(&b, "tenant"), VG_OK);
	assert_int_equal(vg_buf_printf(&b, ":%d", 42), VG_OK);
	assert_string_equal(vg_buf_cstr(&b), "tenant:42");
	assert_int_equal(b.len, 9);
	vg_buf_reset(&b);
	assert_string_equal(vg_buf_cstr(&b), "");
	vg_buf_release(&b);
}

static void refuses_past_max_and_stays_unchanged(void **state)
{
	vg_buf b = VG_BUF_INIT(8);

	(void)state;
	assert_int_equal(vg_buf_puts(&b, "12345678"), VG_OK);
	assert_int_equal(vg_buf_puts(&b, "9"), VG_ETOOBIG);
	assert_int_equal(vg_buf_printf(&b, "%s", "x"), VG_ETOOBIG);
	assert_string_equal(vg_buf_cstr(&b), "12345678");
	vg_buf_release(&b);
}

static void grows_across_many_appends(void **state)
{
	vg_buf b = VG_BUF_INIT(1 << 20);
	char *owned;

	(void)state;
	for (int i = 0; i < 10000; i++)
		assert_int_equal(vg_buf_append(&b, "ab", 2), VG_OK);
	assert_int_equal(b.len, 20000);
	assert_int_equal(b.ptr[19999], 'b');
	assert_int_equal(b.ptr[20000], '\0');
	owned = vg_buf_detach(&b);
	assert_non_null(owned);
	assert_null(b.ptr);
	assert_int_equal(b.len, 0);
	free(owned);
}

static void views_compare(void **state)
{
	(void)state;
	assert_true(vg_str_eq(VG_STR_LIT("abc"), vg_str_c("abc")));
	assert_false(vg_str_eq_c(VG_STR_LIT("abc"), "abcd"));
	assert_true(vg_str_eq_c(vg_str_c(NULL), ""));
}

static void error_messages(void **state)
{
	vg_error err = { 0 };

	(void)state;
	assert_int_equal(vg_error_set(&err, VG_EINVAL, "field \"%s\" must be %s", "name", "text"),
			 VG_EINVAL);
	vg_error_prefix(&err, "tenants.yaml:%d", 12);
	assert_string_equal(err.msg, "tenants.yaml:12: field \"name\" must be text");
	assert_int_equal(err.code, VG_EINVAL);
	assert_int_equal(vg_error_set(NULL, VG_ENOTFOUND, "ignored"), VG_ENOTFOUND);
	assert_string_equal(vg_strerror(VG_ENOTFOUND), "not found");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(append_and_printf),
		cmocka_unit_test(refuses_past_max_and_stays_unchanged),
		cmocka_unit_test(grows_across_many_appends),
		cmocka_unit_test(views_compare),
		cmocka_unit_test(error_messages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
