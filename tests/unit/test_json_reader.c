/*
 * test_json_reader.c - JSON streams into records (ingest/json_reader.h),
 * read through a feed of the json source type (ingest/feed.h): the bad-
 * input matrix, where reading resumes and with what reason each bad record
 * is refused, and that input cut into pieces anywhere reads the same as
 * the whole.
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
#include "detect/source.h"
#include "ingest/feed.h"
#include "ingest/json_reader.h"

/* ---- a sink that writes down what it gets --------------------------- */

typedef struct seen {
	vg_buf text;
	uint32_t id;   /* field "id" of the field set */
	int fail_after; /* event callback fails on this event (1-based); 0: never */
	size_t events, rejects;
} seen;

/* "E <json> [id=...]" per event, "R <reason> <line> <offset> <msg>" per
 * refusal, one a line. */
static int on_event(void *arg, const char *json, size_t len, const vg_fields *fields,
		    vg_error *err)
{
	seen *l = arg;
	const vg_fvalue *v = vg_fields_first(fields, l->id);

	vg_buf_puts(&l->text, "E ");
	vg_buf_append(&l->text, json, len);
	if (v)
		vg_buf_printf(&l->text, " id=%.*s", (int)v->len, v->ptr);
	vg_buf_puts(&l->text, "\n");
	if (++l->events == (size_t)l->fail_after)
		return vg_error_set(err, VG_EFAIL, "sink says stop");
	return VG_OK;
}

static void on_reject(void *arg, const vg_reject *rej)
{
	seen *l = arg;

	l->rejects++;
	vg_buf_printf(&l->text, "R %s %zu %zu %s\n", vg_reject_reason_name(rej->reason), rej->line,
		      rej->offset, rej->msg);
}

static const vg_source_type *json_type(void)
{
	vg_error err = { 0 };
	const vg_source_type *t = vg_source_type_find("json", &err);

	if (!t)
		fail_msg("json type: %s", err.msg);
	return t;
}

/* Feeds len bytes of in, cut at the cuts given (ascending offsets), and
 * returns what the sink saw (free() it). Checks the counts against it. */
static char *feed_cut(const char *in, size_t len, size_t max_event, const size_t *cuts,
		      size_t ncuts)
{
	vg_fieldset *fs = vg_fieldset_new();
	seen l = { .text = VG_BUF_INIT(1 << 24) };
	vg_feed_options opts = { .max_event = max_event };
	vg_feed *f;
	vg_feed_sink sink = { on_event, on_reject, &l };
	vg_feed_counts counts;
	vg_error err = { 0 };
	size_t at = 0, by_reason = 0;

	l.id = vg_fieldset_add(fs, "id");
	f = vg_feed_new(json_type(), fs, &opts);
	for (size_t i = 0; i <= ncuts; i++) {
		size_t to = i < ncuts ? cuts[i] : len;
		/* Each piece in a buffer of its own size, for ASan. */
		char *piece = malloc(to - at ? to - at : 1);

		memcpy(piece, in + at, to - at);
		assert_int_equal(vg_feed_push(f, piece, to - at, i == ncuts, &sink, &err), VG_OK);
		free(piece);
		at = to;
	}
	vg_feed_counts_get(f, &counts);
	for (int r = 0; r < VG_REJECT_NREASONS; r++)
		by_reason += counts.by_reason[r];
	assert_int_equal(counts.events, l.events);
	assert_int_equal(counts.rejected, l.rejects);
	assert_int_equal(by_reason, l.rejects);
	assert_int_equal(counts.bytes, len);
	vg_feed_free(f);
	vg_fieldset_free(fs);
	char *text = vg_buf_detach(&l.text);

	return text ? text : strdup("");
}

static char *feed_whole(const char *in, size_t len, size_t max_event)
{
	return feed_cut(in, len, max_event, NULL, 0);
}

/* Asserts that in (a C string) reads as want, whole and a byte at a time. */
static void expect_n(const char *in, size_t len, size_t max_event, const char *want)
{
	char *got = feed_whole(in, len, max_event);
	size_t *cuts = malloc((len ? len : 1) * sizeof(*cuts));
	char *bytes;

	if (strcmp(got, want) != 0)
		fail_msg("input:\n%.*s\n--- got:\n%s--- want:\n%s", (int)len, in, got, want);
	for (size_t i = 0; i + 1 < len; i++)
		cuts[i] = i + 1;
	bytes = feed_cut(in, len, max_event, cuts, len ? len - 1 : 0);
	if (strcmp(bytes, want) != 0)
		fail_msg("byte by byte:\n%.*s\n--- got:\n%s--- want:\n%s", (int)len, in, bytes, want);
	free(cuts);
	free(bytes);
	free(got);
}

static void expect(const char *in, const char *want)
{
	expect_n(in, strlen(in), 0, want);
}

/* ---- the matrix ------------------------------------------------------- */

static void ndjson_reads_one_event_a_line(void **state)
{
	(void)state;
	expect("{\"id\":1}\n{\"id\":2,\"x\":[1,2]}\n{\"id\":\"three\"}",
	       "E {\"id\":1} id=1\n"
	       "E {\"id\":2,\"x\":[1,2]} id=2\n"
	       "E {\"id\":\"three\"} id=three\n");
	/* Objects one after another on a line are records too. */
	expect("{\"id\":1}{\"id\":2} {\"id\":3}\n",
	       "E {\"id\":1} id=1\nE {\"id\":2} id=2\nE {\"id\":3} id=3\n");
}

static void empty_and_blank_input(void **state)
{
	(void)state;
	expect("", "");
	expect("\n", "");
	expect(" \t\r\n\n\r\n   ", "");
	/* Blank lines are nothing, but they count as lines. */
	expect("\n\n  \n\t\r\n{\"id\":1}\n\n\nx\n",
	       "E {\"id\":1} id=1\n"
	       "R invalid_json 8 19 line 8: invalid JSON at byte 0: unexpected character\n");
}

static void crlf_line_ends(void **state)
{
	(void)state;
	expect("{\"id\":1}\r\n{\"id\":2}\r\n\r\n{\"id\":3}\r\n",
	       "E {\"id\":1} id=1\nE {\"id\":2} id=2\nE {\"id\":3} id=3\n");
	expect("{\"id\":1,\"s\":\"cut\r\n{\"id\":2}\r\n",
	       "R truncated 1 0 line 1: invalid JSON at byte 12: unterminated string\n"
	       "E {\"id\":2} id=2\n");
	expect("{\"id\":1,\r\n{\"id\":2}\r\n",
	       "R truncated 1 0 line 1: invalid JSON at byte 8: expected a key\n"
	       "E {\"id\":2} id=2\n");
	expect("{\"id\":1}\r\nbad\r\n{\"id\":2}\r\n",
	       "E {\"id\":1} id=1\n"
	       "R invalid_json 2 10 line 2: invalid JSON at byte 0: unexpected character\n"
	       "E {\"id\":2} id=2\n");
}

/* The line after a cut one survives, wherever the cut is, and the cut line
 * is refused as truncated on its own line. */
static void truncated_line_in_the_middle(void **state)
{
	static const char first[] = "{\"id\":1}\n";
	static const char second[] =
		"{\"id\":2,\"user\":\"b\\u00e9\\ud83d\\ude00 \xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\","
		"\"n\":-1.5e+3,\"ok\":true,\"no\":false,\"x\":null,\"a\":[1,{\"b\":\"c\"},[]],"
		"\"o\":{\"k\":{}},\"e\":\"\\\\\\\"\\/\"}";
	static const char third[] = "{\"id\":3}\n";
	vg_buf in = VG_BUF_INIT(1 << 16), want = VG_BUF_INIT(1 << 16);

	(void)state;
	/* Uncut, the second line is an event. */
	vg_buf_printf(&in, "%s%s\n%s", first, second, third);
	vg_buf_printf(&want, "E {\"id\":1} id=1\nE %s id=2\nE {\"id\":3} id=3\n", second);
	expect(in.ptr, want.ptr);
	for (size_t cut = 1; cut < sizeof(second) - 1; cut++) {
		char *got;
		const char *r;

		vg_buf_reset(&in);
		vg_buf_puts(&in, first);
		vg_buf_append(&in, second, cut);
		vg_buf_puts(&in, "\n");
		vg_buf_puts(&in, third);
		got = feed_whole(in.ptr, in.len, 0);
		/* E 1, then exactly one refusal, truncated, of line 2 at byte 9,
		 * then E 3. */
		if (strncmp(got, "E {\"id\":1} id=1\nR truncated 2 9 line 2: invalid JSON at byte ", 60) !=
			    0 ||
		    !(r = strchr(got + 16, '\n')) || strcmp(r + 1, "E {\"id\":3} id=3\n") != 0)
			fail_msg("cut after %zu bytes:\n%s--- got:\n%s", cut, in.ptr, got);
		free(got);
		/* And the same in pieces. */
		size_t cuts[2] = { cut, cut + 5 < in.len ? cut + 5 : in.len - 1 };
		char *whole = feed_whole(in.ptr, in.len, 0);
		char *pieces = feed_cut(in.ptr, in.len, 0, cuts, 2);
		assert_string_equal(pieces, whole);
		free(pieces);
		free(whole);
	}
	/* What a few of those refusals say. */
	expect("{\"id\":1}\n{\"id\":2,\"user\":\n{\"id\":3}\n",
	       "E {\"id\":1} id=1\n"
	       "R truncated 2 9 line 2: invalid JSON at byte 15: expected a value\n"
	       "E {\"id\":3} id=3\n");
	expect("{\"id\":1}\n{\"id\":2,\"user\":\"b\n{\"id\":3}\n",
	       "E {\"id\":1} id=1\n"
	       "R truncated 2 9 line 2: invalid JSON at byte 15: unterminated string\n"
	       "E {\"id\":3} id=3\n");
	expect("{\"id\":1}\n{\"id\":2,\"ok\":tr\n{\"id\":3}\n",
	       "E {\"id\":1} id=1\n"
	       "R truncated 2 9 line 2: invalid JSON at byte 13: unterminated literal\n"
	       "E {\"id\":3} id=3\n");
	expect("{\"id\":1}\n{\"id\":2,\"a\":[1,{\"b\":\n{\"id\":3}\n",
	       "E {\"id\":1} id=1\n"
	       "R truncated 2 9 line 2: invalid JSON at byte 20: expected a value\n"
	       "E {\"id\":3} id=3\n");
	expect("{\"id\":1}\n{\"id\":2\n{\"id\":3}\n",
	       "E {\"id\":1} id=1\n"
	       "R truncated 2 9 line 2: invalid JSON at byte 7: expected ',' or '}'\n"
	       "E {\"id\":3} id=3\n");
	/* Cut at the end of the input. */
	expect("{\"id\":1}\n{\"id\":2,\"user\":\"b",
	       "E {\"id\":1} id=1\n"
	       "R truncated 2 9 line 2: invalid JSON at byte 15: unterminated string\n");
	expect("{\"id\":1}\n{\"id\":2,\n\n",
	       "E {\"id\":1} id=1\n"
	       "R truncated 2 9 line 2: invalid JSON at byte 8: expected a key\n");
	/* Several cut lines in a row each are one refusal. */
	expect("{\"a\":\n{\"b\":[\n{\"c\":\"\n{\"id\":4}\n",
	       "R truncated 1 0 line 1: invalid JSON at byte 5: expected a value\n"
	       "R truncated 2 6 line 2: invalid JSON at byte 6: expected a value\n"
	       "R truncated 3 13 line 3: invalid JSON at byte 5: unterminated string\n"
	       "E {\"id\":4} id=4\n");
	/* The next record indented: a '{' that starts its line after white
	 * space, where the error is, ends the cut record too. */
	expect("{\"id\":1,\n  {\"id\":2}\n",
	       "R truncated 1 0 line 1: invalid JSON at byte 8: expected a key\n"
	       "E {\"id\":2} id=2\n");
	vg_buf_release(&in);
	vg_buf_release(&want);
}

static void invalid_json_lines(void **state)
{
	(void)state;
	expect("{\"id\":1}\n"
	       "{\"id\":2 \"x\":3}\n"
	       "hello world\n"
	       "{'id':4}\n"
	       "{\"id\":05}\n"
	       "}\n"
	       "{\"id\":6,}\n"
	       "{\"id\":7}\n",
	       "E {\"id\":1} id=1\n"
	       "R invalid_json 2 9 line 2: invalid JSON at byte 8: expected ',' or '}'\n"
	       "R invalid_json 3 24 line 3: invalid JSON at byte 0: unexpected character\n"
	       "R invalid_json 4 36 line 4: invalid JSON at byte 1: expected a key\n"
	       "R invalid_json 5 45 line 5: invalid JSON at byte 7: expected ',' or '}'\n"
	       "R invalid_json 6 55 line 6: invalid JSON at byte 0: unexpected character\n"
	       "R invalid_json 7 57 line 7: invalid JSON at byte 8: expected a key\n"
	       "E {\"id\":7} id=7\n");
	/* A good record, then garbage on the same line: the garbage is one
	 * refusal, and reading goes on at the next line. */
	expect("{\"id\":1} trailing {\"id\":\"lost\"}\n{\"id\":2}\n",
	       "E {\"id\":1} id=1\n"
	       "R invalid_json 1 9 line 1: invalid JSON at byte 0: unexpected character\n"
	       "E {\"id\":2} id=2\n");
	/* A raw control character or line break inside a string. */
	expect("{\"s\":\"a\tb\"}\n{\"id\":2}\n",
	       "R invalid_json 1 0 line 1: invalid JSON at byte 7: control character in a string\n"
	       "E {\"id\":2} id=2\n");
}

static void invalid_utf8_lines(void **state)
{
	(void)state;
	expect("{\"id\":1,\"s\":\"caf\xe9\"}\n"
	       "{\"id\":2,\"s\":\"\xc0\xaf\"}\n"
	       "{\"id\":3,\"s\":\"\xed\xa0\x80\"}\n"
	       "{\"\xff\":1}\n"
	       "{\"id\":5}\n",
	       "R invalid_utf8 1 0 line 1: invalid JSON at byte 16: invalid UTF-8\n"
	       "R invalid_utf8 2 20 line 2: invalid JSON at byte 13: invalid UTF-8\n"
	       "R invalid_utf8 3 38 line 3: invalid JSON at byte 13: invalid UTF-8\n"
	       "R invalid_utf8 4 57 line 4: invalid JSON at byte 2: invalid UTF-8\n"
	       "E {\"id\":5} id=5\n");
	/* Bytes that are not UTF-8 outside any string are not JSON. */
	expect("\xff\xfe{\"id\":1}\n{\"id\":2}\n",
	       "R invalid_json 1 0 line 1: invalid JSON at byte 0: unexpected character\n"
	       "E {\"id\":2} id=2\n");
}

static void binary_garbage(void **state)
{
	static const char nuls[] = "\0\0\0\n{\"id\":1}\n\0{\"id\":2}\n{\"s\":\"a\0b\"}\n{\"id\":3}\n";
	vg_buf in = VG_BUF_INIT(1 << 20), want = VG_BUF_INIT(1 << 20);
	uint32_t seed = 12345;
	size_t line = 1;
	char *got;

	(void)state;
	expect_n(nuls, sizeof(nuls) - 1, 0,
		 "R invalid_json 1 0 line 1: invalid JSON at byte 0: unexpected character\n"
		 "E {\"id\":1} id=1\n"
		 "R invalid_json 3 13 line 3: invalid JSON at byte 0: unexpected character\n"
		 "R invalid_json 4 23 line 4: invalid JSON at byte 7: control character in a string\n"
		 "E {\"id\":3} id=3\n");
	/* Random bytes: each line of them is one refusal, with a good record
	 * between the lines (garbage lines start with a byte no JSON starts
	 * with, so that no line can run on into the next). */
	for (int i = 0; i < 200; i++) {
		size_t n = 1 + (seed = seed * 1103515245 + 12345) % 97;
		size_t offset = in.len;

		for (size_t j = 0; j < n; j++) {
			unsigned char c;

			seed = seed * 1103515245 + 12345;
			c = (unsigned char)(seed >> 16);
			if (j == 0)
				c = (unsigned char)(0x80 | c);
			if (c == '\n')
				c = 0;
			vg_buf_append(&in, &c, 1);
		}
		vg_buf_puts(&in, "\n");
		vg_buf_printf(&want, "R invalid_json %zu %zu line %zu: invalid JSON at byte 0: "
				     "unexpected character\n",
			      line, offset, line);
		line++;
		if (i % 10 == 0) {
			vg_buf_printf(&in, "{\"id\":%d}\n", i);
			vg_buf_printf(&want, "E {\"id\":%d} id=%d\n", i, i);
			line++;
		}
	}
	got = feed_whole(in.ptr, in.len, 0);
	assert_string_equal(got, want.ptr);
	free(got);
	expect_n(in.ptr, in.len, 0, want.ptr);
	vg_buf_release(&in);
	vg_buf_release(&want);
}

static void too_large_records(void **state)
{
	vg_buf in = VG_BUF_INIT(1 << 20), want = VG_BUF_INIT(1 << 20);
	char exact[65];

	(void)state;
	/* 64 bytes is within a 64-byte limit, 65 is not. */
	snprintf(exact, sizeof(exact), "{\"id\":1,\"s\":\"%049d\"}", 0);
	assert_int_equal(strlen(exact), 64);
	vg_buf_printf(&in, "%s\n{\"id\":2,\"s\":\"%050d\"}\n{\"id\":3}\n", exact, 0);
	vg_buf_printf(&want, "E %s id=1\n"
			     "R too_large 2 65 line 2: event larger than 64 bytes\n"
			     "E {\"id\":3} id=3\n",
		      exact);
	expect_n(in.ptr, in.len, 64, want.ptr);
	/* A long line: refused as too large, and the rest of it skipped. */
	vg_buf_reset(&in);
	vg_buf_reset(&want);
	vg_buf_puts(&in, "{\"id\":1,\"big\":[");
	for (int i = 0; i < 2000; i++)
		vg_buf_printf(&in, "%s{\"id\":%d}", i ? "," : "", i);
	vg_buf_puts(&in, "]}\n{\"id\":2}\n");
	expect_n(in.ptr, in.len, 64,
		 "R too_large 1 0 line 1: event larger than 64 bytes\nE {\"id\":2} id=2\n");
	/* Too large and never ended: refused once, and nothing more. */
	vg_buf_reset(&in);
	vg_buf_puts(&in, "{\"s\":\"");
	for (int i = 0; i < 1000; i++)
		vg_buf_puts(&in, "x");
	expect_n(in.ptr, in.len, 64, "R too_large 1 0 line 1: event larger than 64 bytes\n");
	/* A long line of garbage is garbage: the error comes first. */
	vg_buf_reset(&in);
	for (int i = 0; i < 1000; i++)
		vg_buf_puts(&in, "x");
	vg_buf_puts(&in, "\n{\"id\":2}");
	expect_n(in.ptr, in.len, 64,
		 "R invalid_json 1 0 line 1: invalid JSON at byte 0: unexpected character\n"
		 "E {\"id\":2} id=2\n");
	vg_buf_release(&in);
	vg_buf_release(&want);
}

static void not_an_object(void **state)
{
	(void)state;
	expect("{\"id\":0}\n\"str\"\n42\nnull\ntrue\n{\"id\":1}\n-0.5\n[{\"id\":2}]\n{\"id\":3}\n",
	       "E {\"id\":0} id=0\n"
	       "R not_an_object 2 9 line 2: invalid JSON at byte 0: expected a JSON object\n"
	       "R not_an_object 3 15 line 3: invalid JSON at byte 0: expected a JSON object\n"
	       "R not_an_object 4 18 line 4: invalid JSON at byte 0: expected a JSON object\n"
	       "R not_an_object 5 23 line 5: invalid JSON at byte 0: expected a JSON object\n"
	       "E {\"id\":1} id=1\n"
	       "R not_an_object 7 37 line 7: invalid JSON at byte 0: expected a JSON object\n"
	       "R not_an_object 8 42 line 8: invalid JSON at byte 0: expected a JSON object\n"
	       "E {\"id\":3} id=3\n");
	/* The first line being an array makes the stream an array of records:
	 * its elements that are not objects are refused one by one. */
	expect("[{\"id\":1}, 2, \"x\", [3], {\"id\":4}, null]\n{\"id\":5}\n",
	       "E {\"id\":1} id=1\n"
	       "R not_an_object 1 11 line 1: invalid JSON at byte 0: expected a JSON object\n"
	       "R not_an_object 1 14 line 1: invalid JSON at byte 0: expected a JSON object\n"
	       "R not_an_object 1 19 line 1: invalid JSON at byte 0: expected a JSON object\n"
	       "E {\"id\":4} id=4\n"
	       "R not_an_object 1 34 line 1: invalid JSON at byte 0: expected a JSON object\n"
	       "E {\"id\":5} id=5\n");
	/* A number at the end of the input is complete there. */
	expect("{\"id\":1}\n12345", "E {\"id\":1} id=1\n"
				  "R not_an_object 2 9 line 2: invalid JSON at byte 0: expected a JSON object\n");
}

static void too_deep(void **state)
{
	vg_buf in = VG_BUF_INIT(1 << 16);

	(void)state;
	vg_buf_puts(&in, "{\"id\":1,\"d\":");
	for (int i = 0; i < 70; i++)
		vg_buf_puts(&in, "[");
	for (int i = 0; i < 70; i++)
		vg_buf_puts(&in, "]");
	vg_buf_puts(&in, "}\n{\"id\":2}\n");
	expect(in.ptr, "R too_deep 1 0 line 1: invalid JSON at byte 75: nested too deeply\n"
		       "E {\"id\":2} id=2\n");
	vg_buf_release(&in);
}

static void top_level_array(void **state)
{
	(void)state;
	expect("[{\"id\":1},{\"id\":2} , {\"id\":3}]",
	       "E {\"id\":1} id=1\nE {\"id\":2} id=2\nE {\"id\":3} id=3\n");
	expect("[\n  {\n    \"id\": 1\n  },\n  {\"id\": 2}\n]\n",
	       "E {\n    \"id\": 1\n  } id=1\nE {\"id\": 2} id=2\n");
	expect("[]", "");
	expect("  [ ]\n", "");
	/* After the array, records go on as NDJSON. */
	expect("[{\"id\":1}]\n{\"id\":2}\n", "E {\"id\":1} id=1\nE {\"id\":2} id=2\n");
	/* A bad element costs only its line. */
	expect("[\n{\"id\":1},\n{\"id\":x},\n{\"id\":3}\n]\n",
	       "E {\"id\":1} id=1\n"
	       "R invalid_json 3 12 line 3: invalid JSON at byte 6: unexpected character\n"
	       "E {\"id\":3} id=3\n");
	/* An array that is not first is not a stream of records. */
	expect("{\"id\":1}\n[{\"id\":2}]\n",
	       "E {\"id\":1} id=1\n"
	       "R not_an_object 2 9 line 2: invalid JSON at byte 0: expected a JSON object\n");
}

static void pretty_printed_objects(void **state)
{
	(void)state;
	expect("{\n  \"id\": 1,\n  \"b\": {\n    \"c\": [1, 2]\n  }\n}\n{\n  \"id\": 2\n}\n",
	       "E {\n  \"id\": 1,\n  \"b\": {\n    \"c\": [1, 2]\n  }\n} id=1\n"
	       "E {\n  \"id\": 2\n} id=2\n");
	/* A bad one: refused where it starts, reading goes on at the line of
	 * the error, whose garbage lines are refused one by one. */
	expect("{\n  \"id\": 1,\n  \"b\": x,\n  \"c\": 2\n}\n{\n  \"id\": 3\n}\n",
	       "R invalid_json 1 0 line 1: invalid JSON at byte 20: unexpected character\n"
	       "R invalid_json 3 15 line 3: invalid JSON at byte 3: unexpected character\n"
	       "R invalid_json 4 25 line 4: invalid JSON at byte 3: unexpected character\n"
	       "R invalid_json 5 32 line 5: invalid JSON at byte 0: unexpected character\n"
	       "E {\n  \"id\": 3\n} id=3\n");
	/* One cut short by the next: truncated, and the next survives. */
	expect("{\n  \"id\": 1,\n{\n  \"id\": 2\n}\n",
	       "R truncated 1 0 line 1: invalid JSON at byte 12: expected a key\n"
	       "E {\n  \"id\": 2\n} id=2\n");
	expect("{\n  \"id\": 1,\n  \"x\": [\n", "R truncated 1 0 line 1: invalid JSON at byte 21: expected a value\n");
}

/* ---- pieces ----------------------------------------------------------- */

static const char mixed[] =
	"{\"id\":1,\"s\":\"\\u00e9\xc3\xa9\"}\n"
	"\n"
	"{\"id\":2,\"cut\":\n"
	"{\"id\":3}{\"id\":4} junk\r\n"
	"[1]\n"
	"{\"id\":5,\"bad\":\"\xff\"}\n"
	"12\n"
	"{\n  \"id\": 6,\n  \"a\": [true, null]\n}\n"
	"{\"id\":7,\"big\":\"0123456789012345678901234567890123456789\"}\n"
	"\x01\x02\n"
	"{\"id\":8,\"u\":\"\\ud83d\\ude00\"}\r\n"
	"{\"id\":9";

static void pieces_read_as_the_whole(void **state)
{
	size_t len = sizeof(mixed) - 1;
	char *whole = feed_whole(mixed, len, 48);

	(void)state;
	assert_string_equal(
		whole,
		"E {\"id\":1,\"s\":\"\\u00e9\xc3\xa9\"} id=1\n"
		"R truncated 3 25 line 3: invalid JSON at byte 14: expected a value\n"
		"E {\"id\":3} id=3\n"
		"E {\"id\":4} id=4\n"
		"R invalid_json 4 57 line 4: invalid JSON at byte 0: unexpected character\n"
		"R not_an_object 5 63 line 5: invalid JSON at byte 0: expected a JSON object\n"
		"R invalid_utf8 6 67 line 6: invalid JSON at byte 15: invalid UTF-8\n"
		"R not_an_object 7 86 line 7: invalid JSON at byte 0: expected a JSON object\n"
		"E {\n  \"id\": 6,\n  \"a\": [true, null]\n} id=6\n"
		"R too_large 12 124 line 12: event larger than 48 bytes\n"
		"R invalid_json 13 182 line 13: invalid JSON at byte 0: unexpected character\n"
		"E {\"id\":8,\"u\":\"\\ud83d\\ude00\"} id=8\n"
		"R truncated 15 214 line 15: invalid JSON at byte 7: expected ',' or '}'\n");
	/* Two pieces, every cut; three pieces, every pair of cuts. */
	for (size_t i = 0; i <= len; i++) {
		size_t cuts[2] = { i, 0 };
		char *got = feed_cut(mixed, len, 48, cuts, 1);

		if (strcmp(got, whole) != 0)
			fail_msg("cut at %zu:\n%s--- whole:\n%s", i, got, whole);
		free(got);
		for (size_t j = i; j <= len; j += 3) {
			cuts[1] = j;
			got = feed_cut(mixed, len, 48, cuts, 2);
			if (strcmp(got, whole) != 0)
				fail_msg("cuts at %zu, %zu:\n%s--- whole:\n%s", i, j, got, whole);
			free(got);
		}
	}
	expect_n(mixed, len, 48, whole);
	free(whole);
}

/* ---- the reader itself ------------------------------------------------ */

static void reader_asks_for_more(void **state)
{
	static const char in[] = "{\"id\":1}\n{\"id\":";
	vg_fieldset *fs = vg_fieldset_new();
	vg_fields f = { 0 };
	vg_json_reader r;
	vg_reject rej;
	vg_str ev;

	(void)state;
	vg_fieldset_add(fs, "id");
	vg_json_reader_init(&r, in, sizeof(in) - 1, 1024, false, 1);
	assert_int_equal(vg_json_reader_next(&r, fs, &f, &ev, &rej), VG_READ_EVENT);
	assert_int_equal(ev.len, 8);
	assert_memory_equal(ev.ptr, "{\"id\":1}", 8);
	assert_int_equal(vg_json_reader_next(&r, fs, &f, &ev, &rej), VG_READ_MORE);
	assert_int_equal(vg_json_reader_offset(&r), 9);
	assert_int_equal(vg_json_reader_line(&r), 2);
	/* The same, final: the rest is a truncated record. */
	vg_json_reader_init(&r, in, sizeof(in) - 1, 1024, true, 10);
	assert_int_equal(vg_json_reader_next(&r, fs, &f, &ev, &rej), VG_READ_EVENT);
	assert_int_equal(vg_json_reader_next(&r, fs, &f, &ev, &rej), VG_READ_REJECT);
	assert_int_equal(rej.reason, VG_REJECT_TRUNCATED);
	assert_int_equal(rej.line, 11);
	assert_int_equal(rej.offset, 9);
	assert_string_equal(rej.msg, "line 11: invalid JSON at byte 6: expected a value");
	assert_int_equal(vg_json_reader_next(&r, fs, &f, &ev, &rej), VG_READ_END);
	assert_int_equal(vg_json_reader_offset(&r), sizeof(in) - 1);
	vg_json_reader_init(&r, "", 0, 1024, false, 1);
	assert_int_equal(vg_json_reader_next(&r, fs, &f, &ev, &rej), VG_READ_MORE);
	vg_json_reader_init(&r, "", 0, 1024, true, 1);
	assert_int_equal(vg_json_reader_next(&r, fs, &f, &ev, &rej), VG_READ_END);
	vg_fields_release(&f);
	vg_fieldset_free(fs);
}

static void keep_raw(void *arg, const vg_reject *rej)
{
	vg_buf *b = arg;

	vg_buf_printf(b, "[%.*s]", (int)rej->raw_len, rej->raw);
}

/* Each refusal hands on the record's own bytes (for replay), without the
 * line end or the separator after it; a too_large one whole. (The object
 * before " junk" is an event; the junk is what is refused.) */
static void refusals_carry_their_bytes(void **state)
{
	static const char in[] = "{\"id\":1}\n{\"id\":\n{\"id\":3} junk\nnot json\r\n"
				 "[1]\n{\"big\":\"0123456789012345678901234567890123456789\"}\n";
	vg_fieldset *fs = vg_fieldset_new();
	vg_buf got = VG_BUF_INIT(1 << 16);
	vg_feed_options opts = { .max_event = 32 };
	vg_feed_sink sink = { NULL, keep_raw, &got };
	vg_feed *f = vg_feed_new(json_type(), fs, &opts);
	vg_error err = { 0 };

	(void)state;
	assert_int_equal(vg_feed_push(f, in, sizeof(in) - 1, true, &sink, &err), VG_OK);
	assert_string_equal(vg_buf_cstr(&got),
			    "[{\"id\":][junk][not json][[1]]"
			    "[{\"big\":\"0123456789012345678901234567890123456789\"}]");
	vg_buf_release(&got);
	vg_feed_free(f);
	vg_fieldset_free(fs);
}

/* A type with records keys reads an envelope as its events; other objects
 * of the same stream stay as they are. */
static void envelopes_are_read_as_their_records(void **state)
{
	static const char in[] = "{\"Records\": [{\"eventName\": \"A\"}, {\"eventName\":\"B\","
				 "\"n\":1}, 3]}\n{\"eventName\": \"C\", \"Records\": 1}\n";
	vg_error err = { 0 };
	const vg_source_type *t = vg_source_type_find("cloudtrail", &err);
	vg_fieldset *fs = vg_fieldset_new();
	seen l = { .text = VG_BUF_INIT(1 << 16) };
	vg_feed_sink sink = { on_event, on_reject, &l };
	vg_feed *f;

	(void)state;
	assert_non_null(t);
	l.id = vg_fieldset_add(fs, "eventName");
	f = vg_feed_new(t, fs, NULL);
	assert_int_equal(vg_feed_push(f, in, sizeof(in) - 1, true, &sink, &err), VG_OK);
	assert_string_equal(vg_buf_cstr(&l.text),
			    "E {\"eventName\":\"A\"} id=A\n"
			    "E {\"eventName\":\"B\",\"n\":1} id=B\n"
			    "R not_an_object 1 0 line 1: record 2 of the list: not an object\n"
			    "E {\"eventName\": \"C\", \"Records\": 1} id=C\n");
	vg_buf_release(&l.text);
	vg_feed_free(f);
	vg_fieldset_free(fs);
}

static void sink_error_stops_the_feed(void **state)
{
	static const char in[] = "{\"id\":1}\n{\"id\":2}\n{\"id\":3}\n";
	vg_fieldset *fs = vg_fieldset_new();
	seen l = { .text = VG_BUF_INIT(1 << 16), .fail_after = 2 };
	vg_feed_sink sink = { on_event, on_reject, &l };
	vg_feed *f;
	vg_error err = { 0 };

	(void)state;
	l.id = vg_fieldset_add(fs, "id");
	f = vg_feed_new(json_type(), fs, NULL);
	assert_int_equal(vg_feed_push(f, in, sizeof(in) - 1, true, &sink, &err), VG_EFAIL);
	assert_string_equal(err.msg, "sink says stop");
	assert_string_equal(vg_buf_cstr(&l.text), "E {\"id\":1} id=1\nE {\"id\":2} id=2\n");
	vg_buf_release(&l.text);
	vg_feed_free(f);
	vg_fieldset_free(fs);
}

static void feed_takes_empty_pieces(void **state)
{
	vg_fieldset *fs = vg_fieldset_new();
	seen l = { .text = VG_BUF_INIT(1 << 16) };
	vg_feed_sink sink = { on_event, on_reject, &l };
	vg_feed *f;
	vg_error err = { 0 };

	(void)state;
	l.id = vg_fieldset_add(fs, "id");
	f = vg_feed_new(json_type(), fs, NULL);
	assert_int_equal(vg_feed_push(f, NULL, 0, false, &sink, &err), VG_OK);
	assert_int_equal(vg_feed_push(f, "{\"id\"", 5, false, &sink, &err), VG_OK);
	assert_int_equal(vg_feed_push(f, NULL, 0, false, &sink, &err), VG_OK);
	assert_int_equal(vg_feed_push(f, ":1}", 3, false, &sink, &err), VG_OK);
	assert_int_equal(vg_feed_push(f, NULL, 0, true, &sink, &err), VG_OK);
	assert_string_equal(vg_buf_cstr(&l.text), "E {\"id\":1} id=1\n");
	vg_buf_release(&l.text);
	vg_feed_free(f);
	vg_fieldset_free(fs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ndjson_reads_one_event_a_line),
		cmocka_unit_test(empty_and_blank_input),
		cmocka_unit_test(crlf_line_ends),
		cmocka_unit_test(truncated_line_in_the_middle),
		cmocka_unit_test(invalid_json_lines),
		cmocka_unit_test(invalid_utf8_lines),
		cmocka_unit_test(binary_garbage),
		cmocka_unit_test(too_large_records),
		cmocka_unit_test(not_an_object),
		cmocka_unit_test(too_deep),
		cmocka_unit_test(top_level_array),
		cmocka_unit_test(pretty_printed_objects),
		cmocka_unit_test(pieces_read_as_the_whole),
		cmocka_unit_test(reader_asks_for_more),
		cmocka_unit_test(refusals_carry_their_bytes),
		cmocka_unit_test(envelopes_are_read_as_their_records),
		cmocka_unit_test(sink_error_stops_the_feed),
		cmocka_unit_test(feed_takes_empty_pieces),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
