/*
 * test_utf8.c - UTF-8 checking (core/utf8.h) and the JSON string writer
 * the hot-path parsers build events with (vg_json_append_string).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/buf.h"
#include "core/json.h"
#include "core/utf8.h"

static size_t seq(const char *s)
{
	return vg_utf8_seq_len((const unsigned char *)s, strlen(s));
}

static void sequence_lengths(void **state)
{
	(void)state;
	/* The edges of every range of RFC 3629's table. */
	assert_int_equal(seq("\xc2\x80"), 2);
	assert_int_equal(seq("\xdf\xbf"), 2);
	assert_int_equal(seq("\xe0\xa0\x80"), 3);
	assert_int_equal(seq("\xe0\xbf\xbf"), 3);
	assert_int_equal(seq("\xe1\x80\x80"), 3);
	assert_int_equal(seq("\xec\xbf\xbf"), 3);
	assert_int_equal(seq("\xed\x80\x80"), 3);
	assert_int_equal(seq("\xed\x9f\xbf"), 3);
	assert_int_equal(seq("\xee\x80\x80"), 3);
	assert_int_equal(seq("\xef\xbf\xbf"), 3);
	assert_int_equal(seq("\xf0\x90\x80\x80"), 4);
	assert_int_equal(seq("\xf0\xbf\xbf\xbf"), 4);
	assert_int_equal(seq("\xf1\x80\x80\x80"), 4);
	assert_int_equal(seq("\xf3\xbf\xbf\xbf"), 4);
	assert_int_equal(seq("\xf4\x80\x80\x80"), 4);
	assert_int_equal(seq("\xf4\x8f\xbf\xbf"), 4);
	/* Not sequences: continuation bytes, overlong forms, surrogates,
	 * past U+10FFFF, bytes that never occur, and sequences cut short. */
	assert_int_equal(seq("\x80"), 0);
	assert_int_equal(seq("\xbf"), 0);
	assert_int_equal(seq("\xc0\x80"), 0);
	assert_int_equal(seq("\xc1\xbf"), 0);
	assert_int_equal(seq("\xe0\x9f\xbf"), 0);
	assert_int_equal(seq("\xed\xa0\x80"), 0);
	assert_int_equal(seq("\xed\xbf\xbf"), 0);
	assert_int_equal(seq("\xf0\x8f\xbf\xbf"), 0);
	assert_int_equal(seq("\xf4\x90\x80\x80"), 0);
	assert_int_equal(seq("\xf5\x80\x80\x80"), 0);
	assert_int_equal(seq("\xfe"), 0);
	assert_int_equal(seq("\xff"), 0);
	assert_int_equal(seq("\xc3"), 0);
	assert_int_equal(seq("\xe2\x82"), 0);
	assert_int_equal(seq("\xf0\x9f\x98"), 0);
	assert_int_equal(seq("\xc3("), 0);
	assert_int_equal(seq("\xe2(\xa1"), 0);
	assert_int_equal(seq("\xf0\x9f(\x80"), 0);
	/* n bounds what is read. */
	assert_int_equal(vg_utf8_seq_len((const unsigned char *)"\xc3\xa9", 1), 0);
	assert_int_equal(vg_utf8_seq_len((const unsigned char *)"\xf0\x9f\x98\x80", 3), 0);
}

static void valid_text(void **state)
{
	static const char nul[] = "ab\0cd";

	(void)state;
	assert_true(vg_utf8_valid("", 0, false));
	assert_true(vg_utf8_valid("plain ascii, more than eight bytes", 34, false));
	assert_true(vg_utf8_valid("caf\xc3\xa9 \xe4\xb8\xad\xe6\x96\x87 \xf0\x9f\x98\x80", 17, false));
	assert_false(vg_utf8_valid("caf\xe9", 4, false));
	/* Bad bytes after a run of eight good ones, and in the last bytes. */
	assert_false(vg_utf8_valid("01234567\xff", 9, false));
	assert_false(vg_utf8_valid("0123456789abcde\xc3", 16, false));
	assert_false(vg_utf8_valid("\xed\xa0\x80", 3, false));
	/* NUL bytes, in a fast run and alone. */
	assert_false(vg_utf8_valid(nul, 5, false));
	assert_true(vg_utf8_valid(nul, 5, true));
	assert_false(vg_utf8_valid("0123\0" "567", 8, false));
	assert_true(vg_utf8_valid("0123\0" "567", 8, true));
	assert_true(vg_utf8_valid("\x7f\x01\x1f", 3, false));
}

static const char *append_json(const char *s, size_t len, int *rc, char *out, size_t size)
{
	vg_buf b = VG_BUF_INIT(1 << 16);

	vg_buf_puts(&b, "[");
	*rc = vg_json_append_string(&b, s, len);
	snprintf(out, size, "%s", vg_buf_cstr(&b));
	vg_buf_release(&b);
	return out;
}

#define JSTR(s, len, rc) append_json((s), (len), (rc), (char[1024]){ 0 }, 1024)

static void append_string_escapes(void **state)
{
	static const char all[] = "\"\\/\b\f\n\r\t\x01\x1f\x7f\0end";
	int rc;

	(void)state;
	assert_string_equal(JSTR("plain", 5, &rc), "[\"plain\"");
	assert_int_equal(rc, VG_OK);
	assert_string_equal(JSTR("", 0, &rc), "[\"\"");
	assert_string_equal(JSTR(all, sizeof(all) - 1, &rc),
			    "[\"\\\"\\\\/\\u0008\\u000c\\n\\r\\t\\u0001\\u001f\x7f\\u0000end\"");
	assert_int_equal(rc, VG_OK);
	assert_string_equal(JSTR("caf\xc3\xa9 \xf0\x9f\x98\x80", 10, &rc),
			    "[\"caf\xc3\xa9 \xf0\x9f\x98\x80\"");
	/* Not UTF-8: nothing appended, the buffer as it was. */
	assert_string_equal(JSTR("caf\xe9", 4, &rc), "[");
	assert_int_equal(rc, VG_EINVAL);
	assert_string_equal(JSTR("ok \"quoted\" then \xc3", 18, &rc), "[");
	assert_int_equal(rc, VG_EINVAL);
	assert_string_equal(JSTR("\xed\xa0\x80", 3, &rc), "[");
	assert_int_equal(rc, VG_EINVAL);
}

static void append_string_limit(void **state)
{
	vg_buf b = VG_BUF_INIT(10);

	(void)state;
	vg_buf_puts(&b, "ab");
	assert_int_equal(vg_json_append_string(&b, "12345", 5), VG_OK);
	assert_string_equal(vg_buf_cstr(&b), "ab\"12345\"");
	/* Past the maximum: VG_ETOOBIG and the buffer as it was. */
	assert_int_equal(vg_json_append_string(&b, "x", 1), VG_ETOOBIG);
	assert_string_equal(vg_buf_cstr(&b), "ab\"12345\"");
	assert_int_equal(b.len, 9);
	vg_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sequence_lengths),
		cmocka_unit_test(valid_text),
		cmocka_unit_test(append_string_escapes),
		cmocka_unit_test(append_string_limit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
