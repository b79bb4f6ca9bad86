/*
 * test_extract.c - the one-pass JSON field extractor (detect/extract.h):
 * paths, arrays, escapes, UTF-8, numbers, literals, depth, wildcards,
 * aliases, and where and why vg_fields_scan stops.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "detect/extract.h"

/* ---- helpers ------------------------------------------------------- */

static const char *type_tag(uint8_t t)
{
	switch (t) {
	case VG_FV_STRING: return "s";
	case VG_FV_NUMBER: return "n";
	case VG_FV_TRUE: return "true";
	case VG_FV_FALSE: return "false";
	case VG_FV_NULL: return "null";
	case VG_FV_OBJECT: return "o";
	case VG_FV_ARRAY: return "a";
	}
	return "?";
}

/* The values of field id as "tag:text|tag:text" (literals as their tag
 * alone), written to out; bytes below 0x20 as \xHH. "" when none. */
static const char *values_of(const vg_fields *f, uint32_t id, char *out, size_t size)
{
	vg_buf b = VG_BUF_INIT(1 << 20);

	for (const vg_fvalue *v = vg_fields_first(f, id); v; v = vg_fields_next(f, v)) {
		if (b.len)
			vg_buf_puts(&b, "|");
		vg_buf_puts(&b, type_tag(v->type));
		if (v->type == VG_FV_TRUE || v->type == VG_FV_FALSE || v->type == VG_FV_NULL) {
			/* The text of a literal is the literal. */
			assert_int_equal(v->len, strlen(type_tag(v->type)));
			assert_memory_equal(v->ptr, type_tag(v->type), v->len);
			continue;
		}
		vg_buf_puts(&b, ":");
		for (uint32_t i = 0; i < v->len; i++) {
			unsigned char c = (unsigned char)v->ptr[i];

			if (c < 0x20)
				vg_buf_printf(&b, "\\x%02X", c);
			else
				vg_buf_append(&b, &v->ptr[i], 1);
		}
	}
	snprintf(out, size, "%s", vg_buf_cstr(&b));
	vg_buf_release(&b);
	return out;
}

#define VALUES(f, id) values_of((f), (id), (char[4096]){ 0 }, 4096)

static int extract(const vg_fieldset *fs, const char *json, vg_fields *f, vg_error *err)
{
	return vg_fields_extract(fs, json, strlen(json), f, err);
}

/* The message vg_fields_extract gives for json, or "ok". */
static const char *extract_msg(const vg_fieldset *fs, const char *json, size_t len, char *out,
			       size_t size)
{
	vg_fields f = { 0 };
	vg_error err = { 0 };
	int rc = vg_fields_extract(fs, json, len, &f, &err);

	if (rc == VG_OK)
		snprintf(out, size, "ok");
	else if (rc == VG_EINVAL)
		snprintf(out, size, "%s", err.msg);
	else
		snprintf(out, size, "rc %d: %s", rc, err.msg);
	vg_fields_release(&f);
	return out;
}

#define MSG(fs, s) extract_msg((fs), (s), strlen(s), (char[600]){ 0 }, 600)
#define MSGN(fs, s, n) extract_msg((fs), (s), (n), (char[600]){ 0 }, 600)

static enum vg_json_fault scan_fault(const vg_fieldset *fs, const char *json, size_t len,
				     size_t *end)
{
	vg_fields f = { 0 };
	vg_error err = { 0 };
	vg_json_pos pos;
	int rc = vg_fields_scan(fs, json, len, &f, &pos, &err);

	assert_int_equal(rc == VG_OK, pos.fault == VG_JSON_OK);
	if (rc)
		assert_int_equal(rc, VG_EINVAL);
	if (end)
		*end = pos.end;
	vg_fields_release(&f);
	return pos.fault;
}

/* ---- the field set ------------------------------------------------- */

static void fieldset_ids_are_dense_and_stable(void **state)
{
	vg_fieldset *fs = vg_fieldset_new();

	(void)state;
	assert_int_equal(vg_fieldset_count(fs), 0);
	assert_int_equal(vg_fieldset_add(fs, "a"), 0);
	assert_int_equal(vg_fieldset_add(fs, "b.c"), 1);
	assert_int_equal(vg_fieldset_add(fs, "b"), 2);
	assert_int_equal(vg_fieldset_add(fs, "a"), 0);
	assert_int_equal(vg_fieldset_add(fs, "b.c"), 1);
	assert_int_equal(vg_fieldset_add(fs, "x.*.y"), 3);
	assert_int_equal(vg_fieldset_count(fs), 4);
	assert_string_equal(vg_fieldset_path(fs, 0), "a");
	assert_string_equal(vg_fieldset_path(fs, 1), "b.c");
	assert_string_equal(vg_fieldset_path(fs, 2), "b");
	assert_string_equal(vg_fieldset_path(fs, 3), "x.*.y");
	assert_null(vg_fieldset_path(fs, 4));
	assert_int_equal(vg_fieldset_add_all_strings(fs), 4);
	assert_int_equal(vg_fieldset_add_all_strings(fs), 4);
	assert_string_equal(vg_fieldset_path(fs, 4), "*");
	assert_int_equal(vg_fieldset_count(fs), 5);
	vg_fieldset_free(fs);
	vg_fieldset_free(NULL);
}

static void aliases_share_a_field(void **state)
{
	vg_fieldset *fs = vg_fieldset_new();
	uint32_t user = vg_fieldset_add(fs, "user");
	uint32_t other = vg_fieldset_add(fs, "other");
	vg_fields f = { 0 };
	vg_error err = { 0 };

	(void)state;
	assert_true(vg_fieldset_alias(fs, "actor.name", user));
	assert_true(vg_fieldset_alias(fs, "actor.name", user)); /* again: same id */
	assert_true(vg_fieldset_alias(fs, "user", user));
	assert_false(vg_fieldset_alias(fs, "user", other)); /* already another id's */
	assert_false(vg_fieldset_alias(fs, "other", user));
	assert_false(vg_fieldset_alias(fs, "nowhere", 99)); /* no such id */
	assert_int_equal(vg_fieldset_count(fs), 2);
	/* Values come in document order, whichever path found them. */
	assert_int_equal(extract(fs, "{\"actor\":{\"name\":\"amy\"},\"user\":\"bob\",\"other\":1,"
				     "\"actor\":{\"name\":[\"cy\",\"di\"]}}",
				 &f, &err),
			 VG_OK);
	assert_string_equal(VALUES(&f, user), "s:amy|s:bob|s:cy|s:di");
	assert_string_equal(VALUES(&f, other), "n:1");
	vg_fields_release(&f);
	vg_fieldset_free(fs);
}

/* ---- paths and values ---------------------------------------------- */

static void paths_pick_wanted_values(void **state)
{
	vg_fieldset *fs = vg_fieldset_new();
	uint32_t id = vg_fieldset_add(fs, "Event.System.EventID");
	uint32_t ch = vg_fieldset_add(fs, "Event.System.Channel");
	uint32_t sys = vg_fieldset_add(fs, "Event.System");
	uint32_t top = vg_fieldset_add(fs, "name");
	uint32_t missing = vg_fieldset_add(fs, "Event.Missing");
	uint32_t deeper = vg_fieldset_add(fs, "name.deeper");
	const char *json = "{\"name\":\"x\",\"Event\":{\"Skip\":{\"EventID\":9},\"System\":"
			   "{ \"EventID\" : 4624 , \"Channel\":\"Security\",\"Extra\":[1,{\"a\":2}]}}}";
	vg_fields f = { 0 };
	vg_error err = { 0 };

	(void)state;
	assert_int_equal(extract(fs, json, &f, &err), VG_OK);
	assert_string_equal(VALUES(&f, id), "n:4624");
	assert_string_equal(VALUES(&f, ch), "s:Security");
	assert_string_equal(VALUES(&f, sys),
			    "o:{ \"EventID\" : 4624 , \"Channel\":\"Security\",\"Extra\":[1,{\"a\":2}]}");
	assert_string_equal(VALUES(&f, top), "s:x");
	assert_string_equal(VALUES(&f, missing), "");
	assert_null(vg_fields_first(&f, missing));
	assert_string_equal(VALUES(&f, deeper), ""); /* name is a string */
	/* Unescaped-free values point into the event. */
	assert_ptr_equal(vg_fields_first(&f, top)->ptr, strstr(json, "x\""));
	vg_fields_release(&f);
	vg_fieldset_free(fs);
}

static void value_types(void **state)
{
	vg_fieldset *fs = vg_fieldset_new();
	uint32_t v = vg_fieldset_add(fs, "v");
	vg_fields f = { 0 };
	vg_error err = { 0 };

	(void)state;
	assert_int_equal(extract(fs, "{\"v\":\"s\",\"v\":-1.5e3,\"v\":true,\"v\":false,\"v\":null,"
				     "\"v\":{},\"v\":{ \"k\" : [ ] },\"v\":[],\"v\":[[]]}",
				 &f, &err),
			 VG_OK);
	/* Arrays are not values themselves: their elements are. */
	assert_string_equal(VALUES(&f, v), "s:s|n:-1.5e3|true|false|null|o:{}|o:{ \"k\" : [ ] }");
	vg_fields_release(&f);
	vg_fieldset_free(fs);
}

static void arrays_are_transparent(void **state)
{
	vg_fieldset *fs = vg_fieldset_new();
	uint32_t arn = vg_fieldset_add(fs, "resources.ARN");
	uint32_t type = vg_fieldset_add(fs, "resources.type");
	uint32_t res = vg_fieldset_add(fs, "resources");
	uint32_t tags = vg_fieldset_add(fs, "tags");
	uint32_t deep = vg_fieldset_add(fs, "m.x");
	vg_fields f = { 0 };
	vg_error err = { 0 };
	/* CloudTrail's resources list. */
	const char *json =
		"{\"eventName\":\"GetObject\",\"resources\":[{\"type\":\"AWS::S3::Object\","
		"\"ARN\":\"arn:aws:s3:::bucket/key\"},{\"accountId\":\"123\",\"type\":\"AWS::S3::Bucket\","
		"\"ARN\":\"arn:aws:s3:::bucket\"}],\"tags\":[\"a\",[\"b\",[\"c\"]],[],1,null],"
		"\"m\":[[{\"x\":1}],{\"x\":[2,{\"y\":3}]}]}";

	(void)state;
	assert_int_equal(extract(fs, json, &f, &err), VG_OK);
	assert_string_equal(VALUES(&f, arn), "s:arn:aws:s3:::bucket/key|s:arn:aws:s3:::bucket");
	assert_string_equal(VALUES(&f, type), "s:AWS::S3::Object|s:AWS::S3::Bucket");
	assert_string_equal(VALUES(&f, res),
			    "o:{\"type\":\"AWS::S3::Object\",\"ARN\":\"arn:aws:s3:::bucket/key\"}|"
			    "o:{\"accountId\":\"123\",\"type\":\"AWS::S3::Bucket\",\"ARN\":\"arn:aws:s3:::bucket\"}");
	assert_string_equal(VALUES(&f, tags), "s:a|s:b|s:c|n:1|null");
	/* Nested arrays are transparent too; an object inside an array value
	 * continues the path. */
	assert_string_equal(VALUES(&f, deep), "n:1|n:2|o:{\"y\":3}");
	vg_fields_release(&f);
	vg_fieldset_free(fs);
}

static void duplicate_keys_record_both(void **state)
{
	vg_fieldset *fs = vg_fieldset_new();
	uint32_t a = vg_fieldset_add(fs, "a");
	uint32_t ab = vg_fieldset_add(fs, "o.b");
	vg_fields f = { 0 };
	vg_error err = { 0 };

	(void)state;
	assert_int_equal(extract(fs, "{\"a\":1,\"o\":{\"b\":\"x\"},\"a\":\"two\",\"o\":{\"b\":\"y\",\"b\":3}}",
				 &f, &err),
			 VG_OK);
	assert_string_equal(VALUES(&f, a), "n:1|s:two");
	assert_string_equal(VALUES(&f, ab), "s:x|s:y|n:3");
	vg_fields_release(&f);
	vg_fieldset_free(fs);
}

static void wildcard_segments(void **state)
{
	vg_fieldset *fs = vg_fieldset_new();
	uint32_t op = vg_fieldset_add(fs, "Event.UserData.*.Operation");
	uint32_t named = vg_fieldset_add(fs, "Event.UserData.Known.Other");
	uint32_t any = vg_fieldset_add(fs, "*");
	uint32_t two = vg_fieldset_add(fs, "w.*.*");
	vg_fields f = { 0 };
	vg_error err = { 0 };

	(void)state;
	assert_int_equal(extract(fs, "{\"Event\":{\"UserData\":{\"Operation_ClientFailure\":"
				     "{\"Operation\":\"op1\"},\"B\":[{\"Operation\":\"op2\"}],"
				     "\"Known\":{\"Operation\":\"hidden\",\"Other\":\"o\"}}},"
				     "\"w\":{\"p\":{\"q\":1,\"r\":{\"s\":2}},\"t\":3},\"other\":[{\"x\":1},2]}",
				 &f, &err),
			 VG_OK);
	/* "*" stands for any key no other path names there: Known is named by
	 * Event.UserData.Known.Other, so its Operation is not a match. */
	assert_string_equal(VALUES(&f, op), "s:op1|s:op2");
	assert_string_equal(VALUES(&f, named), "s:o");
	/* A top-level "*" is every top-level member but those other paths
	 * name (Event and w). */
	assert_string_equal(VALUES(&f, any), "o:{\"x\":1}|n:2");
	assert_string_equal(VALUES(&f, two), "n:1|o:{\"s\":2}");
	vg_fields_release(&f);
	vg_fieldset_free(fs);
}

static void all_strings_collects_every_string(void **state)
{
	vg_fieldset *fs = vg_fieldset_new();
	uint32_t a = vg_fieldset_add(fs, "a");
	uint32_t all = vg_fieldset_add_all_strings(fs);
	vg_fields f = { 0 };
	vg_error err = { 0 };

	(void)state;
	assert_int_equal(extract(fs, "{\"a\":\"x\\ty\",\"k\":[\"l\",{\"m\":\"n\",\"num\":1}],\"t\":true}",
				 &f, &err),
			 VG_OK);
	assert_string_equal(VALUES(&f, a), "s:x\\x09y");
	/* Values only, never keys. */
	assert_string_equal(VALUES(&f, all), "s:x\\x09y|s:l|s:n");
	vg_fields_release(&f);
	vg_fieldset_free(fs);
}

static void empty_object_and_white_space(void **state)
{
	vg_fieldset *fs = vg_fieldset_new();
	uint32_t a = vg_fieldset_add(fs, "a");
	vg_fields f = { 0 };
	vg_error err = { 0 };

	(void)state;
	assert_int_equal(extract(fs, "{}", &f, &err), VG_OK);
	assert_string_equal(VALUES(&f, a), "");
	assert_int_equal(extract(fs, " \t\r\n{ \t\r\n} \t\r\n", &f, &err), VG_OK);
	assert_int_equal(extract(fs, "{\"a\" : 1 }", &f, &err), VG_OK);
	assert_string_equal(VALUES(&f, a), "n:1");
	/* The next extraction forgets the last one's values. */
	assert_int_equal(extract(fs, "{\"b\":1}", &f, &err), VG_OK);
	assert_string_equal(VALUES(&f, a), "");
	assert_string_equal(MSG(fs, ""), "invalid JSON at byte 0: expected a JSON object");
	assert_string_equal(MSG(fs, "  \n"), "invalid JSON at byte 3: expected a JSON object");
	vg_fields_release(&f);
	vg_fieldset_free(fs);
}

static void fields_grow_for_more_paths(void **state)
{
	vg_fieldset *small = vg_fieldset_new(), *big = vg_fieldset_new();
	vg_fields f = { 0 };
	vg_error err = { 0 };
	vg_buf json = VG_BUF_INIT(1 << 20);
	char path[16];

	(void)state;
	vg_fieldset_add(small, "k0");
	assert_int_equal(extract(small, "{\"k0\":0}", &f, &err), VG_OK);
	vg_buf_puts(&json, "{");
	for (int i = 0; i < 300; i++) {
		snprintf(path, sizeof(path), "k%d", i);
		assert_int_equal(vg_fieldset_add(big, path), (uint32_t)i);
		vg_buf_printf(&json, "%s\"k%d\":\"v\\u00e9%d\"", i ? "," : "", i, i);
	}
	vg_buf_puts(&json, "}");
	/* The same vg_fields, now for 300 fields, each value unescaped. */
	assert_int_equal(vg_fields_extract(big, json.ptr, json.len, &f, &err), VG_OK);
	assert_string_equal(VALUES(&f, 0), "s:v\xc3\xa9" "0");
	assert_string_equal(VALUES(&f, 299), "s:v\xc3\xa9" "299");
	assert_int_equal(extract(small, "{\"k0\":\"\\\\\"}", &f, &err), VG_OK);
	assert_string_equal(VALUES(&f, 0), "s:\\");
	vg_buf_release(&json);
	vg_fields_release(&f);
	vg_fieldset_free(small);
	vg_fieldset_free(big);
}

/* ---- strings -------------------------------------------------------- */

static void escapes_are_unescaped(void **state)
{
	static const struct {
		const char *json, *value;
	} cases[] = {
		{ "{\"s\":\"a\\nb\"}", "s:a\\x0Ab" },
		{ "{\"s\":\"\\\"q\\\"\"}", "s:\"q\"" },
		{ "{\"s\":\"C:\\\\Windows\\\\\"}", "s:C:\\Windows\\" },
		{ "{\"s\":\"a\\/b\"}", "s:a/b" },
		{ "{\"s\":\"\\b\\f\\n\\r\\t\"}", "s:\\x08\\x0C\\x0A\\x0D\\x09" },
		{ "{\"s\":\"\\u0041\\u00e9\\u20AC\"}", "s:A\xc3\xa9\xe2\x82\xac" },
		{ "{\"s\":\"\\u0000\"}", "s:\\x00" },
		{ "{\"s\":\"\\uffff\"}", "s:\xef\xbf\xbf" },
		/* A surrogate pair is one code point, as 4 bytes of UTF-8. */
		{ "{\"s\":\"\\ud83d\\ude00!\"}", "s:\xf0\x9f\x98\x80!" },
		{ "{\"s\":\"\\uDBFF\\uDFFF\"}", "s:\xf4\x8f\xbf\xbf" },
		{ "{\"s\":\"\\uD800\\uDC00\"}", "s:\xf0\x90\x80\x80" },
		/* UTF-8 as is, and DEL, need no escape. */
		{ "{\"s\":\"\xe4\xb8\xad\xe6\x96\x87\x7f\"}", "s:\xe4\xb8\xad\xe6\x96\x87\x7f" },
		{ "{\"s\":\"\"}", "s:" },
	};
	vg_fieldset *fs = vg_fieldset_new();
	uint32_t s = vg_fieldset_add(fs, "s");
	vg_fields f = { 0 };
	vg_error err = { 0 };

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (extract(fs, cases[i].json, &f, &err) != VG_OK)
			fail_msg("%s: %s", cases[i].json, err.msg);
		assert_string_equal(VALUES(&f, s), cases[i].value);
	}
	vg_fields_release(&f);
	vg_fieldset_free(fs);
}

static void escaped_keys_match_paths(void **state)
{
	vg_fieldset *fs = vg_fieldset_new();
	uint32_t ab = vg_fieldset_add(fs, "ab.c");
	uint32_t q = vg_fieldset_add(fs, "q\"");
	vg_fields f = { 0 };
	vg_error err = { 0 };
	const char *json = "{\"a\\u0062\":{\"\\u0063\":\"v\\\"w\"},\"q\\\"\":1}";

	(void)state;
	assert_int_equal(extract(fs, json, &f, &err), VG_OK);
	assert_string_equal(VALUES(&f, ab), "s:v\"w");
	assert_string_equal(VALUES(&f, q), "n:1");
	/* An unescaped value is a copy in the scratch area, not in the event. */
	const vg_fvalue *v = vg_fields_first(&f, ab);
	assert_true(v->ptr < json || v->ptr >= json + strlen(json));
	assert_true(v->ptr >= f.scratch && v->ptr + v->len <= f.scratch + f.scratch_cap);
	vg_fields_release(&f);
	vg_fieldset_free(fs);
}

/*
 * Regression: string bodies are scanned 8 bytes at a time, and once a
 * string had an escape, the fast path skipped copying the plain bytes that
 * came after it into the unescaped copy. Every escape position against
 * every run length, so that runs of 8 or more after an escape start on
 * every alignment.
 */
static void escape_then_long_run_is_copied(void **state)
{
	static const char *const escapes[][2] = {
		{ "\\n", "\n" }, { "\\\"", "\"" }, { "\\u00e9", "\xc3\xa9" },
		{ "\\ud83d\\ude00", "\xf0\x9f\x98\x80" }, { "\\\\", "\\" },
	};
	vg_fieldset *fs = vg_fieldset_new();
	uint32_t s = vg_fieldset_add(fs, "s");
	vg_fields f = { 0 };
	vg_error err = { 0 };
	vg_buf json = VG_BUF_INIT(1 << 16), want = VG_BUF_INIT(1 << 16);

	(void)state;
	for (size_t e = 0; e < sizeof(escapes) / sizeof(escapes[0]); e++) {
		for (int pad = 0; pad < 9; pad++) {
			for (int before = 0; before < 20; before++) {
				for (int after = 0; after < 40; after++) {
					vg_buf_reset(&json);
					vg_buf_reset(&want);
					vg_buf_printf(&json, "{%*s\"s\":\"", pad, "");
					for (int i = 0; i < before; i++) {
						vg_buf_printf(&json, "%c", 'a' + i % 26);
						vg_buf_printf(&want, "%c", 'a' + i % 26);
					}
					vg_buf_puts(&json, escapes[e][0]);
					vg_buf_puts(&want, escapes[e][1]);
					for (int i = 0; i < after; i++) {
						/* Some multi-byte text in the long runs too. */
						const char *piece = i % 7 == 6 ? "\xc3\xa9" : "0123456789" + i % 10;

						vg_buf_append(&json, piece, i % 7 == 6 ? 2 : 1);
						vg_buf_append(&want, piece, i % 7 == 6 ? 2 : 1);
					}
					/* A second escape after the run, and more text. */
					vg_buf_puts(&json, "\\tXYZXYZXYZ\"}");
					vg_buf_puts(&want, "\tXYZXYZXYZ");
					if (vg_fields_extract(fs, json.ptr, json.len, &f, &err) != VG_OK)
						fail_msg("%s: %s", json.ptr, err.msg);
					const vg_fvalue *v = vg_fields_first(&f, s);
					assert_non_null(v);
					if (v->len != want.len || memcmp(v->ptr, want.ptr, want.len) != 0)
						fail_msg("%s: got \"%.*s\", want \"%s\"", json.ptr, (int)v->len,
							 v->ptr, want.ptr);
				}
			}
		}
	}
	vg_buf_release(&json);
	vg_buf_release(&want);
	vg_fields_release(&f);
	vg_fieldset_free(fs);
}

static void bad_strings_are_refused(void **state)
{
	static const struct {
		const char *json, *msg;
	} cases[] = {
		{ "{\"s\":\"a\\x\"}", "invalid JSON at byte 7: invalid escape in a string" },
		{ "{\"s\":\"a\\'\"}", "invalid JSON at byte 7: invalid escape in a string" },
		{ "{\"s\":\"\\u12g4\"}", "invalid JSON at byte 6: invalid \\u escape" },
		{ "{\"s\":\"\\u12\"}", "invalid JSON at byte 6: invalid \\u escape" },
		{ "{\"s\":\"\\U0041\"}", "invalid JSON at byte 6: invalid escape in a string" },
		/* Surrogates must come in high-low pairs. */
		{ "{\"s\":\"\\ud83d\"}", "invalid JSON at byte 6: lone high surrogate in \\u escape" },
		{ "{\"s\":\"\\ud83dx\"}", "invalid JSON at byte 6: lone high surrogate in \\u escape" },
		{ "{\"s\":\"\\ud83d\\n\"}", "invalid JSON at byte 6: lone high surrogate in \\u escape" },
		{ "{\"s\":\"\\ud83d\\u0041\"}", "invalid JSON at byte 6: lone high surrogate in \\u escape" },
		{ "{\"s\":\"\\ud83d\\ud83d\"}", "invalid JSON at byte 6: lone high surrogate in \\u escape" },
		{ "{\"s\":\"\\ude00\"}", "invalid JSON at byte 6: lone low surrogate in \\u escape" },
		{ "{\"s\":\"x\\uDFFF\\ud83d\"}", "invalid JSON at byte 7: lone low surrogate in \\u escape" },
		/* Raw control characters are not allowed in strings. */
		{ "{\"s\":\"a\x01\"}", "invalid JSON at byte 7: control character in a string" },
		{ "{\"s\":\"a\tb\"}", "invalid JSON at byte 7: control character in a string" },
		{ "{\"s\":\"a\nb\"}", "invalid JSON at byte 7: control character in a string" },
		{ "{\"s\":\"a\x1f\"}", "invalid JSON at byte 7: control character in a string" },
		{ "{\"s\x0b\":1}", "invalid JSON at byte 3: control character in a string" },
		{ "{'s':1}", "invalid JSON at byte 1: expected a key" },
		{ "{s:1}", "invalid JSON at byte 1: expected a key" },
	};
	vg_fieldset *fs = vg_fieldset_new();

	(void)state;
	vg_fieldset_add(fs, "s");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *got = MSG(fs, cases[i].json);

		if (strcmp(got, cases[i].msg) != 0)
			fail_msg("%s: got \"%s\", want \"%s\"", cases[i].json, got, cases[i].msg);
		assert_int_equal(scan_fault(fs, cases[i].json, strlen(cases[i].json), NULL),
				 VG_JSON_SYNTAX);
	}
	vg_fieldset_free(fs);
}

static void invalid_utf8_is_refused(void **state)
{
	static const struct {
		const char *json;
		size_t at;
	} cases[] = {
		{ "{\"s\":\"\xff\"}", 6 },
		{ "{\"s\":\"ab\xfe\"}", 8 },
		{ "{\"s\":\"\x80\"}", 6 },                 /* a lone continuation byte */
		{ "{\"s\":\"\xc0\x80\"}", 6 },             /* overlong NUL */
		{ "{\"s\":\"\xc1\xbf\"}", 6 },             /* overlong */
		{ "{\"s\":\"\xe0\x80\xaf\"}", 6 },         /* overlong '/' */
		{ "{\"s\":\"\xed\xa0\x80\"}", 6 },         /* a surrogate, U+D800 */
		{ "{\"s\":\"\xf4\x90\x80\x80\"}", 6 },     /* past U+10FFFF */
		{ "{\"s\":\"\xf5\x80\x80\x80\"}", 6 },
		{ "{\"s\":\"\xe2\x82\"}", 6 },             /* cut short by the quote */
		{ "{\"s\":\"\xc3\"}", 6 },
		{ "{\"s\":\"\xf0\x9f\x98\"}", 6 },
		{ "{\"s\":\"\xc3\xa9\xc3\"}", 8 },
		{ "{\"\xff\":1}", 2 },                      /* in a key */
		{ "{\"x\":{\"\xc3(\":1}}", 7 },             /* in an untracked key */
		{ "{\"x\":[\"aaaaaaaaaaaaaaaa\xe9\"]}", 23 }, /* after a fast run */
	};
	vg_fieldset *fs = vg_fieldset_new();

	(void)state;
	vg_fieldset_add(fs, "s");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char want[64];
		size_t end;

		snprintf(want, sizeof(want), "invalid JSON at byte %zu: invalid UTF-8", cases[i].at);
		assert_string_equal(MSG(fs, cases[i].json), want);
		assert_int_equal(scan_fault(fs, cases[i].json, strlen(cases[i].json), &end),
				 VG_JSON_UTF8);
		assert_int_equal(end, cases[i].at);
	}
	/* Valid sequences of each length, at the edges of the ranges. */
	assert_string_equal(MSG(fs, "{\"s\":\"\xc2\x80\xdf\xbf\xe0\xa0\x80\xed\x9f\xbf\xee\x80\x80"
				    "\xef\xbf\xbf\xf0\x90\x80\x80\xf4\x8f\xbf\xbf\"}"),
			    "ok");
	vg_fieldset_free(fs);
}

/* ---- numbers and literals -------------------------------------------- */

static void numbers(void **state)
{
	static const char *const valid[] = {
		"0", "-0", "1", "-1", "123", "1.5", "-1.5e10", "1E+2", "1e-2", "0.0", "0e0",
		"10.01E-07", "123456789012345678901234567890",
	};
	static const struct {
		const char *json, *msg;
	} invalid[] = {
		{ "{\"n\":01}", "invalid JSON at byte 6: expected ',' or '}'" },
		{ "{\"n\":-01}", "invalid JSON at byte 7: expected ',' or '}'" },
		{ "{\"n\":+1}", "invalid JSON at byte 5: unexpected character" },
		{ "{\"n\":.5}", "invalid JSON at byte 5: unexpected character" },
		{ "{\"n\":1.}", "invalid JSON at byte 7: invalid number: digits expected after '.'" },
		{ "{\"n\":1.e5}", "invalid JSON at byte 7: invalid number: digits expected after '.'" },
		{ "{\"n\":1e}", "invalid JSON at byte 7: invalid number: digits expected in the exponent" },
		{ "{\"n\":1e+}", "invalid JSON at byte 8: invalid number: digits expected in the exponent" },
		{ "{\"n\":-}", "invalid JSON at byte 5: invalid number" },
		{ "{\"n\":--1}", "invalid JSON at byte 5: invalid number" },
		{ "{\"n\":-a}", "invalid JSON at byte 5: invalid number" },
		{ "{\"n\":0x10}", "invalid JSON at byte 6: expected ',' or '}'" },
		{ "{\"n\":NaN}", "invalid JSON at byte 5: unexpected character" },
		{ "{\"n\":Infinity}", "invalid JSON at byte 5: unexpected character" },
		{ "{\"n\":-Infinity}", "invalid JSON at byte 5: invalid number" },
		{ "{\"n\":1 2}", "invalid JSON at byte 7: expected ',' or '}'" },
		{ "{\"n\":}", "invalid JSON at byte 5: unexpected character" },
	};
	vg_fieldset *fs = vg_fieldset_new();
	uint32_t n = vg_fieldset_add(fs, "n");
	vg_fields f = { 0 };
	vg_error err = { 0 };
	char json[128], want[128];

	(void)state;
	for (size_t i = 0; i < sizeof(valid) / sizeof(valid[0]); i++) {
		snprintf(json, sizeof(json), "{\"n\":%s}", valid[i]);
		assert_int_equal(extract(fs, json, &f, &err), VG_OK);
		snprintf(want, sizeof(want), "n:%s", valid[i]);
		assert_string_equal(VALUES(&f, n), want);
		snprintf(json, sizeof(json), "{\"n\":[%s,%s]}", valid[i], valid[i]);
		assert_int_equal(extract(fs, json, &f, &err), VG_OK);
	}
	for (size_t i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++) {
		const char *got = MSG(fs, invalid[i].json);

		if (strcmp(got, invalid[i].msg) != 0)
			fail_msg("%s: got \"%s\", want \"%s\"", invalid[i].json, got, invalid[i].msg);
	}
	vg_fields_release(&f);
	vg_fieldset_free(fs);
}

static void literals(void **state)
{
	static const struct {
		const char *json, *msg;
	} invalid[] = {
		{ "{\"l\":tru}", "invalid JSON at byte 5: unexpected character" },
		{ "{\"l\":True}", "invalid JSON at byte 5: unexpected character" },
		{ "{\"l\":nul}", "invalid JSON at byte 5: unexpected character" },
		{ "{\"l\":nulll}", "invalid JSON at byte 9: expected ',' or '}'" },
		{ "{\"l\":falsey}", "invalid JSON at byte 10: expected ',' or '}'" },
		{ "{\"l\":undefined}", "invalid JSON at byte 5: unexpected character" },
		{ "{\"l\":f}", "invalid JSON at byte 5: unexpected character" },
	};
	vg_fieldset *fs = vg_fieldset_new();
	uint32_t l = vg_fieldset_add(fs, "l");
	vg_fields f = { 0 };
	vg_error err = { 0 };

	(void)state;
	assert_int_equal(extract(fs, "{\"l\":true,\"l\":false,\"l\":null,\"x\":[true,false,null]}", &f,
				 &err),
			 VG_OK);
	assert_string_equal(VALUES(&f, l), "true|false|null");
	for (size_t i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++) {
		const char *got = MSG(fs, invalid[i].json);

		if (strcmp(got, invalid[i].msg) != 0)
			fail_msg("%s: got \"%s\", want \"%s\"", invalid[i].json, got, invalid[i].msg);
	}
	vg_fields_release(&f);
	vg_fieldset_free(fs);
}

/* ---- structure --------------------------------------------------------- */

static void syntax_errors(void **state)
{
	static const struct {
		const char *json, *msg;
	} cases[] = {
		{ "{\"a\":1,}", "invalid JSON at byte 7: expected a key" },
		{ "{,}", "invalid JSON at byte 1: expected a key" },
		{ "{\"a\" 1}", "invalid JSON at byte 5: expected ':'" },
		{ "{\"a\":1 \"b\":2}", "invalid JSON at byte 7: expected ',' or '}'" },
		{ "{\"a\":[1,]}", "invalid JSON at byte 8: unexpected character" },
		{ "{\"a\":[1 2]}", "invalid JSON at byte 8: expected ',' or ']'" },
		{ "{\"a\":[1}", "invalid JSON at byte 7: expected ',' or ']'" },
		{ "{\"a\":{]}", "invalid JSON at byte 6: expected a key" },
		{ "{\"a\":1]", "invalid JSON at byte 6: expected ',' or '}'" },
		/* Data after the object. */
		{ "{} x", "invalid JSON at byte 3: data after the JSON object" },
		{ "{}{}", "invalid JSON at byte 2: data after the JSON object" },
		{ "{}\n{\"a\":1}", "invalid JSON at byte 3: data after the JSON object" },
		{ "{}}", "invalid JSON at byte 2: data after the JSON object" },
		/* Not an object: valid JSON of another kind, or not JSON at all. */
		{ "[{\"a\":1}]", "invalid JSON at byte 0: expected a JSON object" },
		{ "\"str\"", "invalid JSON at byte 0: expected a JSON object" },
		{ " 42 ", "invalid JSON at byte 1: expected a JSON object" },
		{ "null", "invalid JSON at byte 0: expected a JSON object" },
		{ "hello", "invalid JSON at byte 0: unexpected character" },
		{ "}", "invalid JSON at byte 0: unexpected character" },
		{ "\xef\xbb\xbf{}", "invalid JSON at byte 0: unexpected character" },
		{ "[1,}", "invalid JSON at byte 3: unexpected character" },
		{ "\x00{}", "invalid JSON at byte 0: unexpected character" },
	};
	vg_fieldset *fs = vg_fieldset_new();

	(void)state;
	vg_fieldset_add(fs, "a");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t len = cases[i].json[0] ? strlen(cases[i].json) : 3;
		const char *got = MSGN(fs, cases[i].json, len);

		if (strcmp(got, cases[i].msg) != 0)
			fail_msg("case %zu: got \"%s\", want \"%s\"", i, got, cases[i].msg);
	}
	vg_fieldset_free(fs);
}

static void depth_limit(void **state)
{
	vg_fieldset *fs = vg_fieldset_new();
	vg_buf json = VG_BUF_INIT(1 << 16);
	char want[80];
	size_t end;

	(void)state;
	vg_fieldset_add(fs, "a.a.a");
	/* The object itself is level 1: 64 levels in all are allowed. */
	for (int levels = 63; levels <= 66; levels++) {
		for (int arrays = 0; arrays < 2; arrays++) {
			vg_buf_reset(&json);
			vg_buf_puts(&json, "{\"a\":");
			for (int i = 1; i < levels; i++)
				vg_buf_puts(&json, arrays && i % 2 ? "[" : "{\"a\":");
			vg_buf_puts(&json, "1");
			for (int i = levels - 1; i >= 1; i--)
				vg_buf_puts(&json, arrays && i % 2 ? "]" : "}");
			vg_buf_puts(&json, "}");
			if (levels <= VG_JSON_MAX_DEPTH) {
				assert_string_equal(MSGN(fs, json.ptr, json.len), "ok");
				continue;
			}
			/* The 65th opening bracket is refused. */
			size_t at = 0;
			for (int open = 0; at < json.len; at++)
				if ((json.ptr[at] == '{' || json.ptr[at] == '[') && ++open == 65)
					break;
			snprintf(want, sizeof(want), "invalid JSON at byte %zu: nested too deeply", at);
			assert_string_equal(MSGN(fs, json.ptr, json.len), want);
			assert_int_equal(scan_fault(fs, json.ptr, json.len, &end), VG_JSON_DEPTH);
			assert_int_equal(end, at);
		}
	}
	/* Deep nesting is refused the same way where nothing is tracked, and
	 * in a top-level value that is not an object. */
	vg_buf_reset(&json);
	vg_buf_puts(&json, "{\"zz\":");
	for (int i = 0; i < 1000; i++)
		vg_buf_puts(&json, "[");
	assert_string_equal(MSGN(fs, json.ptr, json.len), "invalid JSON at byte 69: nested too deeply");
	vg_buf_reset(&json);
	for (int i = 0; i < 100; i++)
		vg_buf_puts(&json, "[");
	assert_int_equal(scan_fault(fs, json.ptr, json.len, &end), VG_JSON_DEPTH);
	assert_int_equal(end, 64);
	vg_buf_release(&json);
	vg_fieldset_free(fs);
}

/* ---- vg_fields_scan ------------------------------------------------- */

static void scan_reports_where_the_object_ends(void **state)
{
	vg_fieldset *fs = vg_fieldset_new();
	uint32_t a = vg_fieldset_add(fs, "a");
	vg_fields f = { 0 };
	vg_error err = { 0 };
	vg_json_pos pos;
	const char *two = "  {\"a\":1} {\"a\":2}\n";

	(void)state;
	assert_int_equal(vg_fields_scan(fs, two, strlen(two), &f, &pos, &err), VG_OK);
	assert_int_equal(pos.end, 9);
	assert_int_equal(pos.fault, VG_JSON_OK);
	assert_string_equal(VALUES(&f, a), "n:1");
	assert_int_equal(vg_fields_scan(fs, two + pos.end, strlen(two) - pos.end, &f, &pos, &err),
			 VG_OK);
	assert_int_equal(pos.end, 8);
	assert_string_equal(VALUES(&f, a), "n:2");
	/* Garbage after the object is not the scan's business. */
	assert_int_equal(vg_fields_scan(fs, "{}garbage", 9, &f, &pos, &err), VG_OK);
	assert_int_equal(pos.end, 2);
	vg_fields_release(&f);
	vg_fieldset_free(fs);
}

static void scan_fault_classes(void **state)
{
	static const struct {
		const char *json;
		enum vg_json_fault fault;
		size_t end;
	} cases[] = {
		{ "{\"a\":x}", VG_JSON_SYNTAX, 5 },
		{ "{\"a\":1 2}", VG_JSON_SYNTAX, 7 },
		{ "{\"a\":\"\xff\"}", VG_JSON_UTF8, 6 },
		{ "hello", VG_JSON_SYNTAX, 0 },
		/* Valid JSON but not an object: end is just past the value. */
		{ "[1, 2] {}", VG_JSON_NOT_OBJECT, 6 },
		{ "  \"s\"\n", VG_JSON_NOT_OBJECT, 5 },
		{ "true", VG_JSON_NOT_OBJECT, 4 },
		{ "-12.5e3,", VG_JSON_NOT_OBJECT, 7 },
		{ "[1, x]", VG_JSON_SYNTAX, 4 },
		{ "[\"\xc3(\"]", VG_JSON_UTF8, 2 },
		/* The input ending inside the object. */
		{ "", VG_JSON_TRUNCATED, 0 },
		{ "   ", VG_JSON_TRUNCATED, 3 },
		{ "{", VG_JSON_TRUNCATED, 1 },
		{ "{\"a\":\"abc", VG_JSON_TRUNCATED, 5 }, /* at the string's quote */
		{ "{\"a\":[1,2", VG_JSON_TRUNCATED, 9 },
		{ "[1,2", VG_JSON_TRUNCATED, 4 },
	};
	vg_fieldset *fs = vg_fieldset_new();

	(void)state;
	vg_fieldset_add(fs, "a");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t end;

		assert_int_equal(scan_fault(fs, cases[i].json, strlen(cases[i].json), &end),
				 cases[i].fault);
		if (end != cases[i].end)
			fail_msg("%s: end %zu, want %zu", cases[i].json, end, cases[i].end);
	}
	vg_fieldset_free(fs);
}

/*
 * Every proper prefix of a valid object is VG_JSON_TRUNCATED, whatever
 * token the end falls in: a reader waits for more input on exactly these.
 */
static void every_prefix_is_truncated(void **state)
{
	static const char doc[] =
		"{\"s\":\"plain\",\"e\":\"a\\n\\\"\\\\\\/\\u00e9\\ud83d\\ude00z\","
		"\"u\":\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\",\"n\":-12.5e+3,\"z\":0,\"t\":true,"
		"\"f\":false,\"l\":null,\"a\":[1,[2],{\"b\":[]}],\"o\":{ \"k\" : \"v\" }}";
	vg_fieldset *fs = vg_fieldset_new();
	size_t len = sizeof(doc) - 1;

	(void)state;
	vg_fieldset_add(fs, "s");
	vg_fieldset_add(fs, "e");
	vg_fieldset_add(fs, "a.b");
	vg_fieldset_add_all_strings(fs);
	assert_int_equal(scan_fault(fs, doc, len, NULL), VG_JSON_OK);
	for (size_t n = 0; n < len; n++) {
		/* An exact-size copy, so that ASan sees any read past the end. */
		char *copy = malloc(n ? n : 1);
		enum vg_json_fault got;

		memcpy(copy, doc, n);
		got = scan_fault(fs, copy, n, NULL);
		if (got != VG_JSON_TRUNCATED)
			fail_msg("prefix of %zu bytes \"%.*s\": fault %d", n, (int)n, doc, got);
		free(copy);
	}
	/* The same for a top-level value that is not an object. */
	static const char arr[] = "[\"x\\u0041\",{\"a\":1},-0.5e1,true]";
	for (size_t n = 1; n < sizeof(arr) - 1; n++)
		assert_int_equal(scan_fault(fs, arr, n, NULL), VG_JSON_TRUNCATED);
	assert_int_equal(scan_fault(fs, arr, sizeof(arr) - 1, NULL), VG_JSON_NOT_OBJECT);
	vg_fieldset_free(fs);
}

/* A value cut short is truncated only while it could still go on validly. */
static void truncation_is_told_from_errors(void **state)
{
	static const struct {
		const char *json;
		enum vg_json_fault fault;
	} cases[] = {
		{ "{\"a\":\"\\u12", VG_JSON_TRUNCATED },
		{ "{\"a\":\"\\ud83d", VG_JSON_TRUNCATED },
		{ "{\"a\":\"\\ud83d\\", VG_JSON_TRUNCATED },
		{ "{\"a\":\"\\ud83d\\ud", VG_JSON_TRUNCATED },
		{ "{\"a\":\"\\ud83dx", VG_JSON_SYNTAX },
		{ "{\"a\":\"\\ud83d\\x", VG_JSON_SYNTAX },
		{ "{\"a\":\"\\u1g", VG_JSON_SYNTAX },
		{ "{\"a\":\"\xe2\x82", VG_JSON_TRUNCATED },
		{ "{\"a\":\"\xf0\x9f", VG_JSON_TRUNCATED },
		{ "{\"a\":\"\xe2(", VG_JSON_UTF8 },
		{ "{\"a\":\"\xe0\x80", VG_JSON_UTF8 }, /* overlong, however it goes on */
		{ "{\"a\":\"\xed\xa0", VG_JSON_UTF8 },  /* a surrogate */
		{ "{\"a\":\"\xf4\x90", VG_JSON_UTF8 },  /* past U+10FFFF */
		{ "{\"a\":\"\xff", VG_JSON_UTF8 },
		{ "{\"a\":tr", VG_JSON_TRUNCATED },
		{ "{\"a\":fals", VG_JSON_TRUNCATED },
		{ "{\"a\":nx", VG_JSON_SYNTAX },
		{ "{\"a\":-", VG_JSON_TRUNCATED },
		{ "{\"a\":1.", VG_JSON_TRUNCATED },
		{ "{\"a\":1e-", VG_JSON_TRUNCATED },
		{ "{\"a\":1", VG_JSON_TRUNCATED },
		{ "{\"a\"", VG_JSON_TRUNCATED },
		{ "{\"a\":", VG_JSON_TRUNCATED },
		{ "{\"a\":\"x\\", VG_JSON_TRUNCATED },
		{ "t", VG_JSON_TRUNCATED },
		{ "-", VG_JSON_TRUNCATED },
	};
	vg_fieldset *fs = vg_fieldset_new();

	(void)state;
	vg_fieldset_add(fs, "a");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum vg_json_fault got = scan_fault(fs, cases[i].json, strlen(cases[i].json), NULL);

		if (got != cases[i].fault)
			fail_msg("%s: fault %d, want %d", cases[i].json, got, cases[i].fault);
	}
	vg_fieldset_free(fs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fieldset_ids_are_dense_and_stable),
		cmocka_unit_test(aliases_share_a_field),
		cmocka_unit_test(paths_pick_wanted_values),
		cmocka_unit_test(value_types),
		cmocka_unit_test(arrays_are_transparent),
		cmocka_unit_test(duplicate_keys_record_both),
		cmocka_unit_test(wildcard_segments),
		cmocka_unit_test(all_strings_collects_every_string),
		cmocka_unit_test(empty_object_and_white_space),
		cmocka_unit_test(fields_grow_for_more_paths),
		cmocka_unit_test(escapes_are_unescaped),
		cmocka_unit_test(escaped_keys_match_paths),
		cmocka_unit_test(escape_then_long_run_is_copied),
		cmocka_unit_test(bad_strings_are_refused),
		cmocka_unit_test(invalid_utf8_is_refused),
		cmocka_unit_test(numbers),
		cmocka_unit_test(literals),
		cmocka_unit_test(syntax_errors),
		cmocka_unit_test(depth_limit),
		cmocka_unit_test(scan_reports_where_the_object_ends),
		cmocka_unit_test(scan_fault_classes),
		cmocka_unit_test(every_prefix_is_truncated),
		cmocka_unit_test(truncation_is_told_from_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
