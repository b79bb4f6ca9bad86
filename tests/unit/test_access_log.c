/*
 * test_access_log.c - NCSA common and combined access log lines into JSON
 * events with W3C field names (vg_access_log_parse): exact output for real
 * lines of elastic-logs/apache_access.log and for the odd ones servers
 * write, the lines that are refused, and every line of that file read
 * through a feed.
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
#include "ingest/line_parser.h"

static const vg_source_type *nginx_type(void)
{
	vg_error err = { 0 };
	const vg_source_type *t = vg_source_type_find("nginx", &err);

	if (!t)
		fail_msg("nginx type: %s", err.msg);
	return t;
}

/* The JSON of len bytes of line, or "REJECT <reason>: <message>"; checks
 * that a refusal leaves out alone and an event is one valid JSON object. */
static const char *parse_n(const char *line, size_t len, char *res, size_t size)
{
	static const char before[] = "[before]";
	vg_line_ctx ctx = { nginx_type(), 0, 0 };
	vg_buf out = VG_BUF_INIT(1 << 20);
	vg_reject rej = { .reason = VG_REJECT_NREASONS };
	char *copy = malloc(len ? len : 1);
	int rc;

	memcpy(copy, line, len);
	vg_buf_puts(&out, before);
	rc = vg_access_log_parse(copy, len, &ctx, &out, &rej);
	if (rc == VG_EINVAL) {
		assert_string_equal(vg_buf_cstr(&out), before);
		snprintf(res, size, "REJECT %s: %s", vg_reject_reason_name(rej.reason), rej.msg);
	} else {
		vg_fieldset *fs = vg_fieldset_new();
		vg_fields f = { 0 };
		vg_error err = { 0 };

		assert_int_equal(rc, VG_OK);
		if (vg_fields_extract(fs, out.ptr + sizeof(before) - 1, out.len - (sizeof(before) - 1),
				      &f, &err))
			fail_msg("%s: invalid JSON: %s", out.ptr, err.msg);
		snprintf(res, size, "%s", out.ptr + sizeof(before) - 1);
		vg_fields_release(&f);
		vg_fieldset_free(fs);
	}
	vg_buf_release(&out);
	free(copy);
	return res;
}

#define PARSE(line) parse_n((line), strlen(line), (char[8192]){ 0 }, 8192)

typedef struct tcase {
	const char *line, *want;
} tcase;

/* want is the JSON up to "message", which is always the line itself. */
static void check_fields(const tcase *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *got = PARSE(cases[i].line);
		const char *msg = strstr(got, ",\"message\":\"");

		if (!msg || (size_t)(msg - got) != strlen(cases[i].want) ||
		    memcmp(got, cases[i].want, strlen(cases[i].want)) != 0)
			fail_msg("line: %s\n got: %s\nwant: %s,\"message\":...", cases[i].line, got,
				 cases[i].want);
	}
}

static void combined_lines(void **state)
{
	static const tcase cases[] = {
		/* Real lines of elastic-logs/apache_access.log. */
		{ "83.149.9.216 - - [17/May/2015:10:05:03 +0000] \"GET "
		  "/presentations/logstash-monitorama-2013/images/kibana-search.png HTTP/1.1\" 200 203023 "
		  "\"http://semicomplete.com/presentations/logstash-monitorama-2013/\" \"Mozilla/5.0 "
		  "(Macintosh; Intel Mac OS X 10_9_1) AppleWebKit/537.36 (KHTML, like Gecko) "
		  "Chrome/32.0.1700.77 Safari/537.36\"",
		  "{\"timestamp\":\"2015-05-17T10:05:03.000Z\",\"c-ip\":\"83.149.9.216\","
		  "\"cs-method\":\"GET\",\"cs-uri\":\"/presentations/logstash-monitorama-2013/images/"
		  "kibana-search.png\",\"cs-uri-stem\":\"/presentations/logstash-monitorama-2013/images/"
		  "kibana-search.png\",\"cs-version\":\"HTTP/1.1\",\"sc-status\":200,\"sc-bytes\":203023,"
		  "\"cs-referer\":\"http://semicomplete.com/presentations/logstash-monitorama-2013/\","
		  "\"cs-user-agent\":\"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_1) AppleWebKit/537.36 "
		  "(KHTML, like Gecko) Chrome/32.0.1700.77 Safari/537.36\"" },
		/* "-" bytes and referer leave those members out. */
		{ "218.30.103.62 - - [17/May/2015:11:05:11 +0000] \"GET /robots.txt HTTP/1.1\" 200 - \"-\" "
		  "\"Sogou web spider/4.0(+http://www.sogou.com/docs/help/webmasters.htm#07)\"",
		  "{\"timestamp\":\"2015-05-17T11:05:11.000Z\",\"c-ip\":\"218.30.103.62\","
		  "\"cs-method\":\"GET\",\"cs-uri\":\"/robots.txt\",\"cs-uri-stem\":\"/robots.txt\","
		  "\"cs-version\":\"HTTP/1.1\",\"sc-status\":200,\"cs-user-agent\":\"Sogou web "
		  "spider/4.0(+http://www.sogou.com/docs/help/webmasters.htm#07)\"" },
		/* Apache's \xhh escapes of bytes it would not write stay as written. */
		{ "201.242.142.135 - - [19/May/2015:11:05:10 +0000] \"GET /files/logstash/ HTTP/1.0\" 200 "
		  "13316 \"http://\\xe4\\xe5\\xe3\\xf2\\xff\\xf0\\xed\\xee\\xe5-\\xec\\xfb\\xeb\\xee."
		  "\\xf0\\xf4/\" \"Mozilla/5.0 (Windows NT 6.1; rv:11.0) Gecko/20100101 Firefox/11.0\"",
		  "{\"timestamp\":\"2015-05-19T11:05:10.000Z\",\"c-ip\":\"201.242.142.135\","
		  "\"cs-method\":\"GET\",\"cs-uri\":\"/files/logstash/\",\"cs-uri-stem\":\"/files/logstash/\","
		  "\"cs-version\":\"HTTP/1.0\",\"sc-status\":200,\"sc-bytes\":13316,\"cs-referer\":"
		  "\"http://\\\\xe4\\\\xe5\\\\xe3\\\\xf2\\\\xff\\\\xf0\\\\xed\\\\xee\\\\xe5-\\\\xec\\\\xfb"
		  "\\\\xeb\\\\xee.\\\\xf0\\\\xf4/\",\"cs-user-agent\":\"Mozilla/5.0 (Windows NT 6.1; "
		  "rv:11.0) Gecko/20100101 Firefox/11.0\"" },
		/* The one line of that file cut short inside its user agent. */
		{ "46.118.127.106 - - [20/May/2015:12:05:17 +0000] \"GET "
		  "/scripts/grok-py-test/configlib.py HTTP/1.1\" 200 235 \"-\" \"Mozilla/5.0 (compatible; "
		  "Googlebot/2.1; +http://www.google.com/bot.html",
		  "{\"timestamp\":\"2015-05-20T12:05:17.000Z\",\"c-ip\":\"46.118.127.106\","
		  "\"cs-method\":\"GET\",\"cs-uri\":\"/scripts/grok-py-test/configlib.py\","
		  "\"cs-uri-stem\":\"/scripts/grok-py-test/configlib.py\",\"cs-version\":\"HTTP/1.1\","
		  "\"sc-status\":200,\"sc-bytes\":235,\"cs-user-agent\":\"Mozilla/5.0 (compatible; "
		  "Googlebot/2.1; +http://www.google.com/bot.html\"" },
		/* A query string; "-" user agent; a positive zone offset. */
		{ "10.0.0.1 - - [10/Oct/2000:13:55:36 +0530] \"GET /search?q=a+b&x=1 HTTP/1.1\" 404 0 \"-\" "
		  "\"-\"",
		  "{\"timestamp\":\"2000-10-10T08:25:36.000Z\",\"c-ip\":\"10.0.0.1\",\"cs-method\":\"GET\","
		  "\"cs-uri\":\"/search?q=a+b&x=1\",\"cs-uri-stem\":\"/search\","
		  "\"cs-uri-query\":\"q=a+b&x=1\",\"cs-version\":\"HTTP/1.1\",\"sc-status\":404,"
		  "\"sc-bytes\":0" },
		{ "10.0.0.1 - - [10/Oct/2000:13:55:36 +0000] \"GET /?x HTTP/1.1\" 200 1 \"-\" \"-\"",
		  "{\"timestamp\":\"2000-10-10T13:55:36.000Z\",\"c-ip\":\"10.0.0.1\",\"cs-method\":\"GET\","
		  "\"cs-uri\":\"/?x\",\"cs-uri-stem\":\"/\",\"cs-uri-query\":\"x\","
		  "\"cs-version\":\"HTTP/1.1\",\"sc-status\":200,\"sc-bytes\":1" },
		{ "10.0.0.1 - - [10/Oct/2000:13:55:36 +0000] \"GET /? HTTP/1.1\" 200 1 \"-\" \"-\"",
		  "{\"timestamp\":\"2000-10-10T13:55:36.000Z\",\"c-ip\":\"10.0.0.1\",\"cs-method\":\"GET\","
		  "\"cs-uri\":\"/?\",\"cs-uri-stem\":\"/\",\"cs-uri-query\":\"\","
		  "\"cs-version\":\"HTTP/1.1\",\"sc-status\":200,\"sc-bytes\":1" },
		/* Escaped quotes and backslashes in the request, referer and user
		 * agent stand for themselves. */
		{ "10.0.0.1 - - [10/Oct/2000:13:55:36 +0000] \"GET /a\\\"b?c=\\\\ HTTP/1.1\" 200 5 "
		  "\"http://r/\\\"x\\\"\" \"UA \\\"quoted\\\" \\\\ back\"",
		  "{\"timestamp\":\"2000-10-10T13:55:36.000Z\",\"c-ip\":\"10.0.0.1\",\"cs-method\":\"GET\","
		  "\"cs-uri\":\"/a\\\"b?c=\\\\\",\"cs-uri-stem\":\"/a\\\"b\",\"cs-uri-query\":\"c=\\\\\","
		  "\"cs-version\":\"HTTP/1.1\",\"sc-status\":200,\"sc-bytes\":5,"
		  "\"cs-referer\":\"http://r/\\\"x\\\"\",\"cs-user-agent\":\"UA \\\"quoted\\\" \\\\ back\"" },
		/* A request that is not METHOD TARGET VERSION is cs-uri alone. */
		{ "10.0.0.1 - - [10/Oct/2000:13:55:36 +0000] \"\\x16\\x03\\x01\\x00\\xa5\\x01\" 400 226 \"-\" "
		  "\"-\"",
		  "{\"timestamp\":\"2000-10-10T13:55:36.000Z\",\"c-ip\":\"10.0.0.1\","
		  "\"cs-uri\":\"\\\\x16\\\\x03\\\\x01\\\\x00\\\\xa5\\\\x01\",\"sc-status\":400,"
		  "\"sc-bytes\":226" },
		{ "10.0.0.1 - - [10/Oct/2000:13:55:36 +0000] \"GET /\" 200 5 \"-\" \"-\"",
		  "{\"timestamp\":\"2000-10-10T13:55:36.000Z\",\"c-ip\":\"10.0.0.1\",\"cs-uri\":\"GET /\","
		  "\"sc-status\":200,\"sc-bytes\":5" },
		{ "10.0.0.1 - - [10/Oct/2000:13:55:36 +0000] \"GET  HTTP/1.1\" 400 0 \"-\" \"-\"",
		  "{\"timestamp\":\"2000-10-10T13:55:36.000Z\",\"c-ip\":\"10.0.0.1\","
		  "\"cs-uri\":\"GET  HTTP/1.1\",\"sc-status\":400,\"sc-bytes\":0" },
		{ "10.0.0.1 - - [10/Oct/2000:13:55:36 +0000] \"GET /x FTP/1.0\" 400 0 \"-\" \"-\"",
		  "{\"timestamp\":\"2000-10-10T13:55:36.000Z\",\"c-ip\":\"10.0.0.1\","
		  "\"cs-uri\":\"GET /x FTP/1.0\",\"sc-status\":400,\"sc-bytes\":0" },
		{ "10.0.0.1 - - [10/Oct/2000:13:55:36 +0000] \"\" 400 0 \"-\" \"-\"",
		  "{\"timestamp\":\"2000-10-10T13:55:36.000Z\",\"c-ip\":\"10.0.0.1\",\"cs-uri\":\"\","
		  "\"sc-status\":400,\"sc-bytes\":0" },
		/* "-" as the request (a connection closed before one came). */
		{ "10.0.0.1 - - [10/Oct/2000:13:55:36 +0000] \"-\" 408 - \"-\" \"-\"",
		  "{\"timestamp\":\"2000-10-10T13:55:36.000Z\",\"c-ip\":\"10.0.0.1\",\"sc-status\":408" },
		/* Spaces in the target: the version is after the last one. */
		{ "10.0.0.1 - - [10/Oct/2000:13:55:36 +0000] \"GET /a b HTTP/1.1\" 400 0 \"-\" \"-\"",
		  "{\"timestamp\":\"2000-10-10T13:55:36.000Z\",\"c-ip\":\"10.0.0.1\",\"cs-method\":\"GET\","
		  "\"cs-uri\":\"/a b\",\"cs-uri-stem\":\"/a b\",\"cs-version\":\"HTTP/1.1\","
		  "\"sc-status\":400,\"sc-bytes\":0" },
		/* Numbers are JSON numbers, without leading zeros. */
		{ "10.0.0.1 - - [10/Oct/2000:13:55:36 +0000] \"GET /x HTTP/1.1\" 000 0007 \"-\" \"-\"",
		  "{\"timestamp\":\"2000-10-10T13:55:36.000Z\",\"c-ip\":\"10.0.0.1\",\"cs-method\":\"GET\","
		  "\"cs-uri\":\"/x\",\"cs-uri-stem\":\"/x\",\"cs-version\":\"HTTP/1.1\",\"sc-status\":0,"
		  "\"sc-bytes\":7" },
		{ "10.0.0.1 - - [10/Oct/2000:13:55:36 +0000] \"GET /x HTTP/1.1\" 200 123456789012345678",
		  "{\"timestamp\":\"2000-10-10T13:55:36.000Z\",\"c-ip\":\"10.0.0.1\",\"cs-method\":\"GET\","
		  "\"cs-uri\":\"/x\",\"cs-uri-stem\":\"/x\",\"cs-version\":\"HTTP/1.1\",\"sc-status\":200,"
		  "\"sc-bytes\":123456789012345678" },
		/* IPv6, a user name, HTTP/2. */
		{ "2001:db8::1 - alice [10/Oct/2000:13:55:36 +0000] \"POST /login HTTP/2.0\" 302 0 "
		  "\"https://x/\" \"curl/8.0\"",
		  "{\"timestamp\":\"2000-10-10T13:55:36.000Z\",\"c-ip\":\"2001:db8::1\","
		  "\"cs-username\":\"alice\",\"cs-method\":\"POST\",\"cs-uri\":\"/login\","
		  "\"cs-uri-stem\":\"/login\",\"cs-version\":\"HTTP/2.0\",\"sc-status\":302,"
		  "\"sc-bytes\":0,\"cs-referer\":\"https://x/\",\"cs-user-agent\":\"curl/8.0\"" },
		/* Fields after the user agent (nginx's extra variables) are in the
		 * message only. */
		{ "10.0.0.1 - - [10/Oct/2000:13:55:36 +0000] \"GET /x HTTP/1.1\" 200 5 \"-\" \"ua\" 0.003 "
		  "\"extra\"",
		  "{\"timestamp\":\"2000-10-10T13:55:36.000Z\",\"c-ip\":\"10.0.0.1\",\"cs-method\":\"GET\","
		  "\"cs-uri\":\"/x\",\"cs-uri-stem\":\"/x\",\"cs-version\":\"HTTP/1.1\",\"sc-status\":200,"
		  "\"sc-bytes\":5,\"cs-user-agent\":\"ua\"" },
		/* UTF-8 as nginx writes it. */
		{ "10.0.0.1 - - [10/Oct/2000:13:55:36 +0000] \"GET /caf\xc3\xa9 HTTP/1.1\" 200 5 \"-\" "
		  "\"M\xc3\xb6zilla\"",
		  "{\"timestamp\":\"2000-10-10T13:55:36.000Z\",\"c-ip\":\"10.0.0.1\",\"cs-method\":\"GET\","
		  "\"cs-uri\":\"/caf\xc3\xa9\",\"cs-uri-stem\":\"/caf\xc3\xa9\",\"cs-version\":\"HTTP/1.1\","
		  "\"sc-status\":200,\"sc-bytes\":5,\"cs-user-agent\":\"M\xc3\xb6zilla\"" },
	};

	(void)state;
	check_fields(cases, sizeof(cases) / sizeof(cases[0]));
}

static void common_lines_and_zones(void **state)
{
	static const tcase cases[] = {
		/* Apache's documentation's example: common format, a negative
		 * zone offset. */
		{ "127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] \"GET /apache_pb.gif HTTP/1.0\" 200 2326",
		  "{\"timestamp\":\"2000-10-10T20:55:36.000Z\",\"c-ip\":\"127.0.0.1\","
		  "\"cs-username\":\"frank\",\"cs-method\":\"GET\",\"cs-uri\":\"/apache_pb.gif\","
		  "\"cs-uri-stem\":\"/apache_pb.gif\",\"cs-version\":\"HTTP/1.0\",\"sc-status\":200,"
		  "\"sc-bytes\":2326" },
		/* Across midnight and the year end, both ways. */
		{ "1.2.3.4 - - [31/Dec/2015:23:30:00 -0130] \"GET / HTTP/1.1\" 200 1",
		  "{\"timestamp\":\"2016-01-01T01:00:00.000Z\",\"c-ip\":\"1.2.3.4\",\"cs-method\":\"GET\","
		  "\"cs-uri\":\"/\",\"cs-uri-stem\":\"/\",\"cs-version\":\"HTTP/1.1\",\"sc-status\":200,"
		  "\"sc-bytes\":1" },
		{ "1.2.3.4 - - [01/Jan/2016:00:30:00 +1400] \"GET / HTTP/1.1\" 200 1",
		  "{\"timestamp\":\"2015-12-31T10:30:00.000Z\",\"c-ip\":\"1.2.3.4\",\"cs-method\":\"GET\","
		  "\"cs-uri\":\"/\",\"cs-uri-stem\":\"/\",\"cs-version\":\"HTTP/1.1\",\"sc-status\":200,"
		  "\"sc-bytes\":1" },
		{ "1.2.3.4 - - [29/Feb/2016:12:00:00 -0000] \"GET / HTTP/1.1\" 200 -",
		  "{\"timestamp\":\"2016-02-29T12:00:00.000Z\",\"c-ip\":\"1.2.3.4\",\"cs-method\":\"GET\","
		  "\"cs-uri\":\"/\",\"cs-uri-stem\":\"/\",\"cs-version\":\"HTTP/1.1\",\"sc-status\":200" },
		/* CR LF line ends are not part of the line. */
		{ "1.2.3.4 - - [29/Feb/2016:12:00:00 +0000] \"GET / HTTP/1.1\" 200 -\r\n",
		  "{\"timestamp\":\"2016-02-29T12:00:00.000Z\",\"c-ip\":\"1.2.3.4\",\"cs-method\":\"GET\","
		  "\"cs-uri\":\"/\",\"cs-uri-stem\":\"/\",\"cs-version\":\"HTTP/1.1\",\"sc-status\":200" },
		/* Runs of spaces between fields. */
		{ "1.2.3.4  -  -  [29/Feb/2016:12:00:00 +0000]  \"GET / HTTP/1.1\"  200  9  ",
		  "{\"timestamp\":\"2016-02-29T12:00:00.000Z\",\"c-ip\":\"1.2.3.4\",\"cs-method\":\"GET\","
		  "\"cs-uri\":\"/\",\"cs-uri-stem\":\"/\",\"cs-version\":\"HTTP/1.1\",\"sc-status\":200,"
		  "\"sc-bytes\":9" },
	};

	(void)state;
	check_fields(cases, sizeof(cases) / sizeof(cases[0]));
	/* The message is the line as the server wrote it (its line end cut). */
	assert_string_equal(
		PARSE("127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] \"GET /a\\\"b HTTP/1.0\" 200 2326\r\n"),
		"{\"timestamp\":\"2000-10-10T20:55:36.000Z\",\"c-ip\":\"127.0.0.1\","
		"\"cs-username\":\"frank\",\"cs-method\":\"GET\",\"cs-uri\":\"/a\\\"b\","
		"\"cs-uri-stem\":\"/a\\\"b\",\"cs-version\":\"HTTP/1.0\",\"sc-status\":200,"
		"\"sc-bytes\":2326,\"message\":\"127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "
		"\\\"GET /a\\\\\\\"b HTTP/1.0\\\" 200 2326\"}");
}

static void refused_lines(void **state)
{
	static const tcase cases[] = {
		{ "", "REJECT unparsable: not an access log line: expected client address, identity and user" },
		{ "hello world",
		  "REJECT unparsable: not an access log line: expected client address, identity and user" },
		{ "10.0.0.1 -",
		  "REJECT unparsable: not an access log line: expected client address, identity and user" },
		{ "10.0.0.1 - - [10/Oct/2000:13:55:36] \"GET /x HTTP/1.1\" 200 5",
		  "REJECT unparsable: not an access log line: expected a [dd/Mon/yyyy:hh:mm:ss +zzzz] time" },
		{ "10.0.0.1 - - [10/Foo/2000:13:55:36 +0000] \"GET /x HTTP/1.1\" 200 5",
		  "REJECT unparsable: not an access log line: expected a [dd/Mon/yyyy:hh:mm:ss +zzzz] time" },
		{ "10.0.0.1 - - [31/Feb/2000:13:55:36 +0000] \"GET /x HTTP/1.1\" 200 5",
		  "REJECT unparsable: not an access log line: expected a [dd/Mon/yyyy:hh:mm:ss +zzzz] time" },
		{ "10.0.0.1 - - [10/Oct/2000:24:00:00 +0000] \"GET /x HTTP/1.1\" 200 5",
		  "REJECT unparsable: not an access log line: expected a [dd/Mon/yyyy:hh:mm:ss +zzzz] time" },
		{ "10.0.0.1 - - [10/Oct/2000:13:55:36 +0099] \"GET /x HTTP/1.1\" 200 5",
		  "REJECT unparsable: not an access log line: expected a [dd/Mon/yyyy:hh:mm:ss +zzzz] time" },
		{ "10.0.0.1 - - [10/Oct/2000:13:55:36 *0000] \"GET /x HTTP/1.1\" 200 5",
		  "REJECT unparsable: not an access log line: expected a [dd/Mon/yyyy:hh:mm:ss +zzzz] time" },
		{ "10.0.0.1 - - [1/Oct/2000:13:55:36 +0000] \"GET /x HTTP/1.1\" 200 5",
		  "REJECT unparsable: not an access log line: expected a [dd/Mon/yyyy:hh:mm:ss +zzzz] time" },
		{ "10.0.0.1 - - [10/Oct/2000:13:55:36 +0000] GET /x HTTP/1.1 200 5",
		  "REJECT unparsable: not an access log line: expected a quoted request" },
		{ "10.0.0.1 - - [10/Oct/2000:13:55:36 +0000] \"GET /x HTTP/1.1 200 5",
		  "REJECT unparsable: not an access log line: expected a quoted request" },
		{ "10.0.0.1 - - [10/Oct/2000:13:55:36 +0000] \"GET /x HTTP/1.1\\\" 200 5",
		  "REJECT unparsable: not an access log line: expected a quoted request" },
		{ "10.0.0.1 - - [10/Oct/2000:13:55:36 +0000] \"GET /x HTTP/1.1\"",
		  "REJECT unparsable: not an access log line: expected a three-digit status" },
		{ "10.0.0.1 - - [10/Oct/2000:13:55:36 +0000] \"GET /x HTTP/1.1\" 20 5",
		  "REJECT unparsable: not an access log line: expected a three-digit status" },
		{ "10.0.0.1 - - [10/Oct/2000:13:55:36 +0000] \"GET /x HTTP/1.1\" 2000 5",
		  "REJECT unparsable: not an access log line: expected a three-digit status" },
		{ "10.0.0.1 - - [10/Oct/2000:13:55:36 +0000] \"GET /x HTTP/1.1\" - 5",
		  "REJECT unparsable: not an access log line: expected a three-digit status" },
		{ "10.0.0.1 - - [10/Oct/2000:13:55:36 +0000] \"GET /x HTTP/1.1\" 200",
		  "REJECT unparsable: not an access log line: expected a byte count or -" },
		{ "10.0.0.1 - - [10/Oct/2000:13:55:36 +0000] \"GET /x HTTP/1.1\" 200 5x",
		  "REJECT unparsable: not an access log line: expected a byte count or -" },
		{ "10.0.0.1 - - [10/Oct/2000:13:55:36 +0000] \"GET /x HTTP/1.1\" 200 -5",
		  "REJECT unparsable: not an access log line: expected a byte count or -" },
		/* More digits than any byte count (and than an int holds). */
		{ "10.0.0.1 - - [10/Oct/2000:13:55:36 +0000] \"GET /x HTTP/1.1\" 200 1234567890123456789",
		  "REJECT unparsable: not an access log line: expected a byte count or -" },
		{ "10.0.0.1 - - [10/Oct/2000:13:55:36 +0000] \"GET /x HTTP/1.1\" 200 5 \"-\"",
		  "REJECT unparsable: not an access log line: expected quoted referer and user agent" },
		{ "10.0.0.1 - - [10/Oct/2000:13:55:36 +0000] \"GET /x HTTP/1.1\" 200 5 \"-\" ua",
		  "REJECT unparsable: not an access log line: expected quoted referer and user agent" },
		{ "10.0.0.1 - - [10/Oct/2000:13:55:36 +0000] \"GET /x HTTP/1.1\" 200 5 - \"ua\"",
		  "REJECT unparsable: not an access log line: expected quoted referer and user agent" },
		{ "10.0.0.1 - - [10/Oct/2000:13:55:36 +0000] \"GET /x HTTP/1.1\" 200 5 \"-\" \"caf\xe9\"",
		  "REJECT invalid_utf8: access log line is not UTF-8 text" },
		{ "\xff\xfe", "REJECT invalid_utf8: access log line is not UTF-8 text" },
	};
	static const char nul[] = "10.0.0.1 - - [10/Oct/2000:13:55:36 +0000] \"GET /\0 HTTP/1.1\" 200 5";

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *got = PARSE(cases[i].line);

		if (strcmp(got, cases[i].want) != 0)
			fail_msg("line: %s\n got: %s\nwant: %s", cases[i].line, got, cases[i].want);
	}
	assert_string_equal(parse_n(nul, sizeof(nul) - 1, (char[256]){ 0 }, 256),
			    "REJECT unparsable: binary data (a NUL byte) in an access log line");
}

static void output_limits(void **state)
{
	static const char line[] = "1.2.3.4 - - [29/Feb/2016:12:00:00 +0000] \"GET / HTTP/1.1\" 200 1";
	vg_line_ctx ctx = { nginx_type(), 0, 0 };
	vg_buf out = VG_BUF_INIT(100);
	vg_reject rej;

	(void)state;
	vg_buf_puts(&out, "keep");
	assert_int_equal(vg_access_log_parse(line, sizeof(line) - 1, &ctx, &out, &rej), VG_ETOOBIG);
	assert_string_equal(vg_buf_cstr(&out), "keep");
	vg_buf_release(&out);
}

/* A line of quotes and control characters grows several times over as
 * JSON: the feed refuses it as too large instead of stopping. */
static void feed_refuses_lines_too_large_as_json(void **state)
{
	vg_buf in = VG_BUF_INIT(1 << 20);
	vg_fieldset *fs = vg_fieldset_new();
	vg_feed_options opts = { .max_event = 4096 };
	vg_feed *f = vg_feed_new(nginx_type(), fs, &opts);
	vg_feed_counts counts;
	vg_feed_sink sink = { NULL, NULL, NULL };
	vg_error err = { 0 };

	(void)state;
	vg_buf_puts(&in, "1.2.3.4 - - [29/Feb/2016:12:00:00 +0000] \"GET /");
	while (in.len < 4000)
		vg_buf_puts(&in, "\x01\\\"");
	vg_buf_puts(&in, " HTTP/1.1\" 200 1\n1.2.3.4 - - [29/Feb/2016:12:00:00 +0000] \"GET / HTTP/1.1\" 200 1\n");
	assert_int_equal(vg_feed_push(f, in.ptr, in.len, true, &sink, &err), VG_OK);
	vg_feed_counts_get(f, &counts);
	assert_int_equal(counts.events, 1);
	assert_int_equal(counts.rejected, 1);
	assert_int_equal(counts.by_reason[VG_REJECT_TOO_LARGE], 1);
	vg_feed_free(f);
	vg_fieldset_free(fs);
	vg_buf_release(&in);
}

/* ---- every line of a real access log --------------------------------- */

typedef struct tally {
	uint32_t status, bytes, method, query, referer;
	size_t events, rejects, get, with_query, with_referer;
	size_t by_status[600];
	unsigned long long bytes_sum;
	size_t bytes_n;
	vg_reject first_reject;
} tally;

static int count_event(void *arg, const char *json, size_t len, const vg_fields *fields,
		       vg_error *err)
{
	tally *t = arg;
	const vg_fvalue *v;

	(void)json;
	(void)len;
	(void)err;
	t->events++;
	if ((v = vg_fields_first(fields, t->status)) && v->type == VG_FV_NUMBER)
		t->by_status[strtol(v->ptr, NULL, 10) % 600]++;
	if ((v = vg_fields_first(fields, t->bytes)) && v->type == VG_FV_NUMBER) {
		t->bytes_sum += strtoull(v->ptr, NULL, 10);
		t->bytes_n++;
	}
	if ((v = vg_fields_first(fields, t->method)) && v->len == 3 && memcmp(v->ptr, "GET", 3) == 0)
		t->get++;
	if (vg_fields_first(fields, t->query))
		t->with_query++;
	if (vg_fields_first(fields, t->referer))
		t->with_referer++;
	return VG_OK;
}

static void count_reject(void *arg, const vg_reject *rej)
{
	tally *t = arg;

	if (!t->rejects++)
		t->first_reject = *rej;
}

static void every_access_log_line_is_read(void **state)
{
	const char *src = getenv("VIGIL_SOURCE_DIR");
	char path[4096];
	vg_fieldset *fs = vg_fieldset_new();
	tally t = { 0 };
	vg_feed *f;
	vg_feed_sink sink = { count_event, count_reject, &t };
	vg_error err = { 0 };
	char chunk[3000];
	size_t n, lines = 0;
	FILE *in;

	(void)state;
	if (!src)
		fail_msg("VIGIL_SOURCE_DIR is not set (ctest sets it)");
	snprintf(path, sizeof(path), "%s/../shared/datasets/elastic-logs/apache_access.log", src);
	in = fopen(path, "rb");
	if (!in)
		fail_msg("cannot read %s", path);
	t.status = vg_fieldset_add(fs, "sc-status");
	t.bytes = vg_fieldset_add(fs, "sc-bytes");
	t.method = vg_fieldset_add(fs, "cs-method");
	t.query = vg_fieldset_add(fs, "cs-uri-query");
	t.referer = vg_fieldset_add(fs, "cs-referer");
	f = vg_feed_new(nginx_type(), fs, NULL);
	/* In pieces of an odd size, so that lines are cut everywhere. */
	while ((n = fread(chunk, 1, sizeof(chunk), in)) > 0) {
		for (size_t i = 0; i < n; i++)
			lines += chunk[i] == '\n';
		assert_int_equal(vg_feed_push(f, chunk, n, false, &sink, &err), VG_OK);
	}
	assert_int_equal(vg_feed_push(f, NULL, 0, true, &sink, &err), VG_OK);
	fclose(in);
	assert_int_equal(lines, 10000);
	if (t.rejects)
		fail_msg("%zu lines refused, the first: %s", t.rejects, t.first_reject.msg);
	assert_int_equal(t.events, 10000);
	/* Counted with awk over the file, independently of the parser. */
	assert_int_equal(t.by_status[200], 9126);
	assert_int_equal(t.by_status[304], 445);
	assert_int_equal(t.by_status[404], 213);
	assert_int_equal(t.by_status[301], 164);
	assert_int_equal(t.by_status[206], 45);
	assert_int_equal(t.by_status[500], 3);
	assert_int_equal(t.by_status[416], 2);
	assert_int_equal(t.by_status[403], 2);
	assert_int_equal(t.bytes_n, 9331);
	assert_int_equal(t.bytes_sum, 2747282740ULL);
	assert_int_equal(t.get, 9952);
	assert_int_equal(t.with_query, 1259);
	assert_int_equal(t.with_referer, 10000 - 4073);
	vg_feed_free(f);
	vg_fieldset_free(fs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(combined_lines),
		cmocka_unit_test(common_lines_and_zones),
		cmocka_unit_test(refused_lines),
		cmocka_unit_test(output_limits),
		cmocka_unit_test(feed_refuses_lines_too_large_as_json),
		cmocka_unit_test(every_access_log_line_is_read),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
