/*
 * test_syslog.c - syslog lines into JSON events (vg_syslog_parse):
 * RFC 5424 and RFC 3164 headers, the year of BSD stamps, the lines that are
 * refused, the sshd message templates of content/sources.yaml (on real
 * lines of elastic-logs/auth.log), and every line of that file read through
 * a feed.
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
#include "core/time.h"
#include "detect/source.h"
#include "ingest/feed.h"
#include "ingest/line_parser.h"

static int64_t at(const char *iso)
{
	int64_t ms;

	if (vg_time_parse_iso(iso, &ms))
		fail_msg("bad stamp %s", iso);
	return ms;
}

static const vg_source_type *syslog_type(void)
{
	vg_error err = { 0 };
	const vg_source_type *t = vg_source_type_find("syslog", &err);

	if (!t)
		fail_msg("syslog type: %s", err.msg);
	return t;
}

/* What vg_syslog_parse makes of len bytes of line: the JSON, or
 * "REJECT <reason>: <message>". Checks that a refusal leaves out alone and
 * that an event is one JSON object the extractor accepts. */
static const char *parse_n(const char *line, size_t len, const vg_line_ctx *ctx, char *res,
			   size_t size)
{
	static const char before[] = "[before]";
	vg_buf out = VG_BUF_INIT(1 << 20);
	vg_reject rej = { .reason = VG_REJECT_NREASONS };
	char *copy = malloc(len ? len : 1); /* exact size, for ASan */
	int rc;

	memcpy(copy, line, len);
	vg_buf_puts(&out, before);
	rc = vg_syslog_parse(copy, len, ctx, &out, &rej);
	if (rc == VG_EINVAL) {
		assert_string_equal(vg_buf_cstr(&out), before);
		assert_true(rej.reason < VG_REJECT_NREASONS);
		snprintf(res, size, "REJECT %s: %s", vg_reject_reason_name(rej.reason), rej.msg);
	} else {
		vg_fieldset *fs = vg_fieldset_new();
		vg_fields f = { 0 };
		vg_error err = { 0 };

		assert_int_equal(rc, VG_OK);
		assert_memory_equal(out.ptr, before, sizeof(before) - 1);
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

#define PARSE(line, ctx) parse_n((line), strlen(line), (ctx), (char[8192]){ 0 }, 8192)

typedef struct tcase {
	const char *line, *want;
} tcase;

static void check_cases(const tcase *cases, size_t n, const vg_line_ctx *ctx)
{
	for (size_t i = 0; i < n; i++) {
		const char *got = PARSE(cases[i].line, ctx);

		if (strcmp(got, cases[i].want) != 0)
			fail_msg("line: %s\n got: %s\nwant: %s", cases[i].line, got, cases[i].want);
	}
}

#define CHECK(cases, ctx) check_cases((cases), sizeof(cases) / sizeof((cases)[0]), (ctx))

static vg_line_ctx ctx_now(void)
{
	return (vg_line_ctx){ syslog_type(), at("2026-04-15T12:00:00Z"), 0 };
}

/* ---- RFC 5424 --------------------------------------------------------- */

static void rfc5424(void **state)
{
	static const tcase cases[] = {
		/* RFC 5424's own examples; the MSG of the first starts with a BOM. */
		{ "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 "
		  "[exampleSDID@32473 iut=\"3\" eventSource=\"Application\" eventID=\"1011\"] "
		  "\xef\xbb\xbf" "An application event log entry...",
		  "{\"timestamp\":\"2003-10-11T22:14:15.003Z\",\"host\":\"mymachine.example.com\","
		  "\"app\":\"evntslog\",\"facility\":\"local4\",\"severity\":\"notice\",\"msgid\":\"ID47\","
		  "\"sd\":{\"exampleSDID@32473\":{\"iut\":\"3\",\"eventSource\":\"Application\","
		  "\"eventID\":\"1011\"}},\"message\":\"An application event log entry...\"}" },
		{ "<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - 'su root' failed for "
		  "lonvick on /dev/pts/8",
		  "{\"timestamp\":\"2003-10-11T22:14:15.003Z\",\"host\":\"mymachine.example.com\","
		  "\"app\":\"su\",\"facility\":\"auth\",\"severity\":\"crit\",\"msgid\":\"ID47\","
		  "\"message\":\"'su root' failed for lonvick on /dev/pts/8\"}" },
		{ "<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - - %% It's time to make "
		  "the do-nuts.",
		  "{\"timestamp\":\"2003-08-24T12:14:15.000Z\",\"host\":\"192.0.2.1\",\"app\":\"myproc\","
		  "\"pid\":8710,\"facility\":\"local4\",\"severity\":\"notice\","
		  "\"message\":\"%% It's time to make the do-nuts.\"}" },
		{ "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 "
		  "[exampleSDID@32473 iut=\"3\" eventSource=\"Application\" eventID=\"1011\"]"
		  "[examplePriority@32473 class=\"high\"]",
		  "{\"timestamp\":\"2003-10-11T22:14:15.003Z\",\"host\":\"mymachine.example.com\","
		  "\"app\":\"evntslog\",\"facility\":\"local4\",\"severity\":\"notice\",\"msgid\":\"ID47\","
		  "\"sd\":{\"exampleSDID@32473\":{\"iut\":\"3\",\"eventSource\":\"Application\","
		  "\"eventID\":\"1011\"},\"examplePriority@32473\":{\"class\":\"high\"}},\"message\":\"\"}" },
		/* Every header field nil: the stamp is the receive time. */
		{ "<0>1 - - - - - -",
		  "{\"timestamp\":\"2026-04-15T12:00:00.000Z\",\"facility\":\"kern\",\"severity\":\"emerg\","
		  "\"message\":\"\"}" },
		/* Structured data with escapes: \" \\ \] stand for the character,
		 * any other backslash is kept. */
		{ "<191>1 2026-03-27T13:06:56+08:00 h a p m [id@1 a=\"x\\\"y\" b=\"c\\\\d\" c=\"e\\]f\" "
		  "d=\"g\\h\" e=\"\" f=\"[]\" g=\"\xe4\xb8\xad\"][b@2] text",
		  "{\"timestamp\":\"2026-03-27T05:06:56.000Z\",\"host\":\"h\",\"app\":\"a\",\"pid\":\"p\","
		  "\"facility\":\"local7\",\"severity\":\"debug\",\"msgid\":\"m\",\"sd\":{\"id@1\":{"
		  "\"a\":\"x\\\"y\",\"b\":\"c\\\\d\",\"c\":\"e]f\",\"d\":\"g\\\\h\",\"e\":\"\",\"f\":\"[]\","
		  "\"g\":\"\xe4\xb8\xad\"},\"b@2\":{}},\"message\":\"text\"}" },
		/* Structured data and no MSG. */
		{ "<14>1 2026-03-27T13:06:56Z h a - - [x@1 k=\"v\"]",
		  "{\"timestamp\":\"2026-03-27T13:06:56.000Z\",\"host\":\"h\",\"app\":\"a\","
		  "\"facility\":\"user\",\"severity\":\"info\",\"sd\":{\"x@1\":{\"k\":\"v\"}},"
		  "\"message\":\"\"}" },
		/* A numeric PROCID with leading zeros is still a JSON number; the
		 * sshd templates apply to RFC 5424 messages too. */
		{ "<38>1 2026-03-27T13:06:56Z web-1 sshd 0123 - - Failed password for root from 1.2.3.4 "
		  "port 0022 ssh2",
		  "{\"timestamp\":\"2026-03-27T13:06:56.000Z\",\"host\":\"web-1\",\"app\":\"sshd\","
		  "\"pid\":123,\"facility\":\"auth\",\"severity\":\"info\",\"message\":\"Failed password "
		  "for root from 1.2.3.4 port 0022 ssh2\",\"auth_method\":\"password\",\"user\":\"root\","
		  "\"source_ip\":\"1.2.3.4\",\"source_port\":22,\"event\":\"login_failed\","
		  "\"outcome\":\"failure\",\"invalid_user\":false}" },
		/* A CR LF line end is not part of the message. */
		{ "<13>1 2026-03-27T13:06:56.5Z h a 0 - - crlf\r\n",
		  "{\"timestamp\":\"2026-03-27T13:06:56.500Z\",\"host\":\"h\",\"app\":\"a\",\"pid\":0,"
		  "\"facility\":\"user\",\"severity\":\"notice\",\"message\":\"crlf\"}" },
	};
	vg_line_ctx ctx = ctx_now();

	(void)state;
	CHECK(cases, &ctx);
}

static void rfc5424_malformed(void **state)
{
	static const char *const lines[] = {
		"<34>1 2003-13-11T22:14:15Z h a - - - m", /* month 13 */
		"<34>1 2003-10-11 h a - - - m",           /* a date, not a date-time */
		"<34>1 2003-10-11T22:14:15 h a - - - m",  /* no zone */
		"<34>1 2003-10-11T22:14:15Z h a - -",      /* no structured data */
		"<34>1 2003-10-11T22:14:15Z h a - - [id a=b] m",
		"<34>1 2003-10-11T22:14:15Z h a - - [id a=\"x] m",
		"<34>1 2003-10-11T22:14:15Z h a - - [id]x",
		"<34>1 2003-10-11T22:14:15Z h a - - [] m",
		"<34>1 2003-10-11T22:14:15Z h a - - [id  a=\"1\"] m",
		"<34>1 2003-10-11T22:14:15Z h a - - [id =\"1\"] m",
		"<34>1 2003-10-11T22:14:15Z h a - - [i\"d] m",
		"<34>1 2003-10-11T22:14:15Z h a - - [123456789012345678901234567890123] m",
		"<34>1 2003-10-11T22:14:15Z h a - - -m",
		"<34>1  2003-10-11T22:14:15Z h a - - - m",
		"<13>1 hello",
	};
	vg_line_ctx ctx = ctx_now();

	(void)state;
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		assert_string_equal(PARSE(lines[i], &ctx),
				    "REJECT unparsable: malformed RFC 5424 header");
	/* 32 characters is the longest SD-ID. */
	assert_string_equal(
		PARSE("<34>1 2003-10-11T22:14:15Z h a - - [12345678901234567890123456789012] m", &ctx),
		"{\"timestamp\":\"2003-10-11T22:14:15.000Z\",\"host\":\"h\",\"app\":\"a\","
		"\"facility\":\"auth\",\"severity\":\"crit\",\"sd\":{\"12345678901234567890123456789012\":{}},"
		"\"message\":\"m\"}");
}

/* ---- RFC 3164 --------------------------------------------------------- */

static void rfc3164(void **state)
{
	static const tcase cases[] = {
		/* RFC 3164's example, with its PRI. */
		{ "<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8",
		  "{\"timestamp\":\"2025-10-11T22:14:15.000Z\",\"host\":\"mymachine\",\"app\":\"su\","
		  "\"facility\":\"auth\",\"severity\":\"crit\","
		  "\"message\":\"'su root' failed for lonvick on /dev/pts/8\"}" },
		/* Without PRI, as in /var/log/auth.log. */
		{ "Mar 27 13:06:56 ip-10-77-20-248 sshd[1291]: Server listening on 0.0.0.0 port 22.",
		  "{\"timestamp\":\"2026-03-27T13:06:56.000Z\",\"host\":\"ip-10-77-20-248\",\"app\":\"sshd\","
		  "\"pid\":1291,\"message\":\"Server listening on 0.0.0.0 port 22.\"}" },
		{ "Mar 27 13:09:37 ip-10-77-20-248 sudo:   ubuntu : TTY=pts/0 ; PWD=/home/ubuntu ; "
		  "USER=root ; COMMAND=/usr/bin/id",
		  "{\"timestamp\":\"2026-03-27T13:09:37.000Z\",\"host\":\"ip-10-77-20-248\",\"app\":\"sudo\","
		  "\"message\":\"  ubuntu : TTY=pts/0 ; PWD=/home/ubuntu ; USER=root ; "
		  "COMMAND=/usr/bin/id\"}" },
		{ "Mar 27 13:17:01 ip-10-77-20-248 CRON[2623]: pam_unix(cron:session): session opened for "
		  "user root by (uid=0)",
		  "{\"timestamp\":\"2026-03-27T13:17:01.000Z\",\"host\":\"ip-10-77-20-248\",\"app\":\"CRON\","
		  "\"pid\":2623,\"message\":\"pam_unix(cron:session): session opened for user root by "
		  "(uid=0)\"}" },
		/* An RFC 3339 stamp where the BSD one would be (rsyslog's file format). */
		{ "2026-03-27T13:06:56.123456+08:00 web-1 sshd[42]: Accepted publickey for ubuntu from "
		  "10.0.0.1 port 50000 ssh2",
		  "{\"timestamp\":\"2026-03-27T05:06:56.123Z\",\"host\":\"web-1\",\"app\":\"sshd\","
		  "\"pid\":42,\"message\":\"Accepted publickey for ubuntu from 10.0.0.1 port 50000 ssh2\","
		  "\"auth_method\":\"publickey\",\"user\":\"ubuntu\",\"source_ip\":\"10.0.0.1\","
		  "\"source_port\":50000,\"event\":\"login\",\"outcome\":\"success\"}" },
		{ "<86>2026-03-27T13:06:56Z web-1 sudo: x",
		  "{\"timestamp\":\"2026-03-27T13:06:56.000Z\",\"host\":\"web-1\",\"app\":\"sudo\","
		  "\"facility\":\"authpriv\",\"severity\":\"info\",\"message\":\"x\"}" },
		/* No HOSTNAME: what follows the stamp is the tag. */
		{ "Mar 27 13:06:56 sshd[1]: no host",
		  "{\"timestamp\":\"2026-03-27T13:06:56.000Z\",\"app\":\"sshd\",\"pid\":1,"
		  "\"message\":\"no host\"}" },
		{ "Mar 27 13:06:56 kernel: [ 1.0] msg",
		  "{\"timestamp\":\"2026-03-27T13:06:56.000Z\",\"app\":\"kernel\",\"message\":\"[ 1.0] msg\"}" },
		/* No tag: the rest is the message. */
		{ "Mar 27 13:06:56 host just text, no tag",
		  "{\"timestamp\":\"2026-03-27T13:06:56.000Z\",\"host\":\"host\","
		  "\"message\":\"just text, no tag\"}" },
		{ "Mar 27 13:06:56 host foo[bar baz: x",
		  "{\"timestamp\":\"2026-03-27T13:06:56.000Z\",\"host\":\"host\","
		  "\"message\":\"foo[bar baz: x\"}" },
		{ "Mar 27 13:06:56 host aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa: long tag",
		  "{\"timestamp\":\"2026-03-27T13:06:56.000Z\",\"host\":\"host\","
		  "\"message\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa: long tag\"}" },
		/* A tag cut by the 48-byte limit inside a multi-byte character
		 * is no tag, and no reason to refuse the line. */
		{ "Mar 27 13:06:56 host aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\xc3\xa9: x",
		  "{\"timestamp\":\"2026-03-27T13:06:56.000Z\",\"host\":\"host\","
		  "\"message\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\xc3\xa9: x\"}" },
		{ "Mar 27 13:06:56 host app[]: empty pid",
		  "{\"timestamp\":\"2026-03-27T13:06:56.000Z\",\"host\":\"host\",\"app\":\"app\","
		  "\"pid\":\"\",\"message\":\"empty pid\"}" },
		{ "Mar 27 13:06:56 host sshd[abc]: pid not a number",
		  "{\"timestamp\":\"2026-03-27T13:06:56.000Z\",\"host\":\"host\",\"app\":\"sshd\","
		  "\"pid\":\"abc\",\"message\":\"pid not a number\"}" },
		{ "Mar 27 13:06:56 host app:",
		  "{\"timestamp\":\"2026-03-27T13:06:56.000Z\",\"host\":\"host\",\"app\":\"app\","
		  "\"message\":\"\"}" },
		/* Days of one digit, padded with a space or a zero. */
		{ "Mar  7 03:04:05 host app: x",
		  "{\"timestamp\":\"2026-03-07T03:04:05.000Z\",\"host\":\"host\",\"app\":\"app\","
		  "\"message\":\"x\"}" },
		{ "Mar 07 03:04:05 host app: x",
		  "{\"timestamp\":\"2026-03-07T03:04:05.000Z\",\"host\":\"host\",\"app\":\"app\","
		  "\"message\":\"x\"}" },
		/* Quotes, backslashes and control characters are escaped. */
		{ "Mar 27 13:06:56 host app: \"q\" \\ tab\there \x01\x7f",
		  "{\"timestamp\":\"2026-03-27T13:06:56.000Z\",\"host\":\"host\",\"app\":\"app\","
		  "\"message\":\"\\\"q\\\" \\\\ tab\\there \\u0001\x7f\"}" },
		{ "Mar 27 13:06:56 host app: x\r\n",
		  "{\"timestamp\":\"2026-03-27T13:06:56.000Z\",\"host\":\"host\",\"app\":\"app\","
		  "\"message\":\"x\"}" },
		{ "Mar 27 13:06:56 h\xc3\xb6st app: \xe4\xb8\xad\xe6\x96\x87",
		  "{\"timestamp\":\"2026-03-27T13:06:56.000Z\",\"host\":\"h\xc3\xb6st\",\"app\":\"app\","
		  "\"message\":\"\xe4\xb8\xad\xe6\x96\x87\"}" },
	};
	vg_line_ctx ctx = ctx_now();

	(void)state;
	CHECK(cases, &ctx);
}

/* A PRI and a header RFC 3164 cannot read: the whole rest is the message,
 * stamped with the time it was received. */
static void pri_without_header(void **state)
{
	static const tcase cases[] = {
		{ "<13>hello world",
		  "{\"timestamp\":\"2026-04-15T12:00:00.000Z\",\"facility\":\"user\",\"severity\":\"notice\","
		  "\"message\":\"hello world\"}" },
		{ "<13>",
		  "{\"timestamp\":\"2026-04-15T12:00:00.000Z\",\"facility\":\"user\",\"severity\":\"notice\","
		  "\"message\":\"\"}" },
		{ "<0>Mar 27 13:06:56",
		  "{\"timestamp\":\"2026-04-15T12:00:00.000Z\",\"facility\":\"kern\",\"severity\":\"emerg\","
		  "\"message\":\"Mar 27 13:06:56\"}" },
		{ "<191>Feb 30 12:00:00 host app: no such day",
		  "{\"timestamp\":\"2026-04-15T12:00:00.000Z\",\"facility\":\"local7\",\"severity\":\"debug\","
		  "\"message\":\"Feb 30 12:00:00 host app: no such day\"}" },
		{ "<13>sshd[1]: Failed password for root from 1.2.3.4 port 22 ssh2",
		  "{\"timestamp\":\"2026-04-15T12:00:00.000Z\",\"facility\":\"user\",\"severity\":\"notice\","
		  "\"message\":\"sshd[1]: Failed password for root from 1.2.3.4 port 22 ssh2\"}" },
	};
	vg_line_ctx ctx = ctx_now();

	(void)state;
	CHECK(cases, &ctx);
}

static void refused_lines(void **state)
{
	static const tcase cases[] = {
		{ "hello world", "REJECT unparsable: not a syslog message: no <PRI> and no timestamp" },
		{ "", "REJECT unparsable: not a syslog message: no <PRI> and no timestamp" },
		{ "<192>Mar 27 13:06:56 host app: PRI past 191",
		  "REJECT unparsable: not a syslog message: no <PRI> and no timestamp" },
		{ "<1x>Mar 27 13:06:56 host app: x",
		  "REJECT unparsable: not a syslog message: no <PRI> and no timestamp" },
		{ "<>Mar 27 13:06:56 host app: x",
		  "REJECT unparsable: not a syslog message: no <PRI> and no timestamp" },
		{ "Feb 30 12:00:00 host app: no such day",
		  "REJECT unparsable: not a syslog message: no <PRI> and no timestamp" },
		{ "Mar 27 24:00:00 host app: no such hour",
		  "REJECT unparsable: not a syslog message: no <PRI> and no timestamp" },
		{ "Foo 27 13:06:56 host app: no such month",
		  "REJECT unparsable: not a syslog message: no <PRI> and no timestamp" },
		{ "Mar 27 13:06 host app: short stamp",
		  "REJECT unparsable: not a syslog message: no <PRI> and no timestamp" },
		{ "2026-03-27 host app: a date alone",
		  "REJECT unparsable: not a syslog message: no <PRI> and no timestamp" },
		{ "Mar 27 13:06:56 host app: caf\xe9", "REJECT invalid_utf8: syslog line is not UTF-8 text" },
		{ "<13>\xff\xfe", "REJECT invalid_utf8: syslog line is not UTF-8 text" },
		{ "Mar 27 13:06:56 host app: \xed\xa0\x80", "REJECT invalid_utf8: syslog line is not UTF-8 text" },
	};
	vg_line_ctx ctx = ctx_now();
	static const char nul[] = "Mar 27 13:06:56 host app: a\0b";

	(void)state;
	CHECK(cases, &ctx);
	assert_string_equal(parse_n(nul, sizeof(nul) - 1, &ctx, (char[256]){ 0 }, 256),
			    "REJECT unparsable: binary data (a NUL byte) in a syslog line");
	assert_string_equal(parse_n("\0", 1, &ctx, (char[256]){ 0 }, 256),
			    "REJECT unparsable: binary data (a NUL byte) in a syslog line");
}

/* ---- the year of a BSD stamp ------------------------------------------ */

static const char *stamp_of(const char *line, int year, const char *now)
{
	static char res[256];
	vg_line_ctx ctx = { syslog_type(), at(now), year };
	const char *got = PARSE(line, &ctx);
	const char *ts = strstr(got, "\"timestamp\":\"");

	if (!ts) {
		snprintf(res, sizeof(res), "%s", got);
		return res;
	}
	snprintf(res, sizeof(res), "%.24s", ts + 13);
	return res;
}

static void year_rule(void **state)
{
	(void)state;
	/* Given a year, that is the year. */
	assert_string_equal(stamp_of("Mar 27 13:06:56 h a: x", 2020, "2026-04-15T12:00:00Z"),
			    "2020-03-27T13:06:56.000Z");
	assert_string_equal(stamp_of("Dec 31 23:59:59 h a: x", 2030, "2026-04-15T12:00:00Z"),
			    "2030-12-31T23:59:59.000Z");
	assert_string_equal(stamp_of("Feb 29 00:00:00 h a: x", 2024, "2026-04-15T12:00:00Z"),
			    "2024-02-29T00:00:00.000Z");
	assert_string_equal(stamp_of("Feb 29 00:00:00 h a: x", 2025, "2026-04-15T12:00:00Z"),
			    "REJECT unparsable: not a syslog message: no <PRI> and no timestamp");
	/* Guessed: the latest year that puts the stamp no more than a month
	 * (31 days) after now. */
	assert_string_equal(stamp_of("Mar 27 13:06:56 h a: x", 0, "2026-04-15T12:00:00Z"),
			    "2026-03-27T13:06:56.000Z");
	assert_string_equal(stamp_of("Apr 15 12:00:00 h a: x", 0, "2026-04-15T12:00:00Z"),
			    "2026-04-15T12:00:00.000Z");
	assert_string_equal(stamp_of("May 16 12:00:00 h a: x", 0, "2026-04-15T12:00:00Z"),
			    "2026-05-16T12:00:00.000Z");
	assert_string_equal(stamp_of("May 16 12:00:01 h a: x", 0, "2026-04-15T12:00:00Z"),
			    "2025-05-16T12:00:01.000Z");
	assert_string_equal(stamp_of("Dec 31 23:59:59 h a: x", 0, "2026-04-15T12:00:00Z"),
			    "2025-12-31T23:59:59.000Z");
	/* Read in January, December's lines are last year's... */
	assert_string_equal(stamp_of("Dec 31 23:59:59 h a: x", 0, "2026-01-02T00:00:00Z"),
			    "2025-12-31T23:59:59.000Z");
	assert_string_equal(stamp_of("Jan  1 00:00:00 h a: x", 0, "2026-01-02T00:00:00Z"),
			    "2026-01-01T00:00:00.000Z");
	/* ...and read in late December, early January's are next year's
	 * (a clock a little ahead of the reader's). */
	assert_string_equal(stamp_of("Jan  3 00:00:00 h a: x", 0, "2025-12-20T00:00:00Z"),
			    "2026-01-03T00:00:00.000Z");
	assert_string_equal(stamp_of("Dec 19 00:00:00 h a: x", 0, "2025-12-20T00:00:00Z"),
			    "2025-12-19T00:00:00.000Z");
	/* Feb 29 falls in the latest leap year before. */
	assert_string_equal(stamp_of("Feb 29 12:00:00 h a: x", 0, "2026-04-15T12:00:00Z"),
			    "2024-02-29T12:00:00.000Z");
	assert_string_equal(stamp_of("Feb 29 12:00:00 h a: x", 0, "2028-02-10T00:00:00Z"),
			    "2028-02-29T12:00:00.000Z");
	/* RFC 3339 stamps carry their own year. */
	assert_string_equal(stamp_of("2030-01-01T00:00:00Z h a: x", 2020, "2026-04-15T12:00:00Z"),
			    "2030-01-01T00:00:00.000Z");
}

/* ---- the sshd templates ------------------------------------------------ */

/* The fields the templates add, after the message: each line's JSON from
 * ,"message":"..." on. */
static void sshd_templates(void **state)
{
	static const tcase cases[] = {
		/* Real lines of elastic-logs/auth.log. */
		{ "Mar 29 14:15:41 ip-10-77-20-248 sshd[2414]: Failed password for invalid user pi from "
		  "181.25.206.27 port 50378 ssh2",
		  "\"auth_method\":\"password\",\"user\":\"pi\",\"source_ip\":\"181.25.206.27\","
		  "\"source_port\":50378,\"event\":\"login_failed\",\"outcome\":\"failure\","
		  "\"invalid_user\":true}" },
		{ "Apr  6 20:48:27 ip-10-77-20-248 sshd[16841]: Failed password for invalid user  from "
		  "34.204.227.175 port 19074 ssh2",
		  "\"auth_method\":\"password\",\"user\":\"\",\"source_ip\":\"34.204.227.175\","
		  "\"source_port\":19074,\"event\":\"login_failed\",\"outcome\":\"failure\","
		  "\"invalid_user\":true}" },
		{ "Mar 29 23:18:21 ip-10-77-20-248 sshd[6402]: Failed password for root from "
		  "218.60.136.106 port 56338 ssh2",
		  "\"auth_method\":\"password\",\"user\":\"root\",\"source_ip\":\"218.60.136.106\","
		  "\"source_port\":56338,\"event\":\"login_failed\",\"outcome\":\"failure\","
		  "\"invalid_user\":false}" },
		{ "Mar 29 11:35:20 ip-10-77-20-248 sshd[1361]: Failed publickey for elastic_user_2 from "
		  "85.245.107.41 port 50690 ssh2: RSA SHA256:aC2UQe4piBfaFwr2ne0PItnl9AcHqZOYrWjDmqpOzvE",
		  "\"auth_method\":\"publickey\",\"user\":\"elastic_user_2\",\"source_ip\":\"85.245.107.41\","
		  "\"source_port\":50690,\"event\":\"login_failed\",\"outcome\":\"failure\","
		  "\"invalid_user\":false}" },
		{ "Mar 29 10:43:01 ip-10-77-20-248 sshd[1193]: Accepted password for elastic_user_7 from "
		  "127.0.0.1 port 52942 ssh2",
		  "\"auth_method\":\"password\",\"user\":\"elastic_user_7\",\"source_ip\":\"127.0.0.1\","
		  "\"source_port\":52942,\"event\":\"login\",\"outcome\":\"success\"}" },
		{ "Mar 27 13:08:09 ip-10-77-20-248 sshd[1361]: Accepted publickey for ubuntu from "
		  "85.245.107.41 port 54259 ssh2: RSA SHA256:Kl8kPGZrTiz7g4FO1hyqHdsSBBb5Fge6NWOobN03XJg",
		  "\"auth_method\":\"publickey\",\"user\":\"ubuntu\",\"source_ip\":\"85.245.107.41\","
		  "\"source_port\":54259,\"event\":\"login\",\"outcome\":\"success\"}" },
		{ "Mar 27 14:54:57 ip-10-77-20-248 sshd[2967]: Invalid user support from 95.152.57.58",
		  "\"user\":\"support\",\"source_ip\":\"95.152.57.58\",\"event\":\"invalid_user\","
		  "\"outcome\":\"failure\",\"invalid_user\":true}" },
		{ "Apr  6 20:48:25 ip-10-77-20-248 sshd[16841]: Invalid user  from 34.204.227.175",
		  "\"user\":\"\",\"source_ip\":\"34.204.227.175\",\"event\":\"invalid_user\","
		  "\"outcome\":\"failure\",\"invalid_user\":true}" },
		{ "Mar 27 14:54:58 ip-10-77-20-248 sshd[2967]: error: maximum authentication attempts "
		  "exceeded for invalid user support from 95.152.57.58 port 53679 ssh2 [preauth]",
		  "\"user\":\"support\",\"source_ip\":\"95.152.57.58\",\"source_port\":53679,"
		  "\"event\":\"max_auth_attempts\",\"outcome\":\"failure\",\"invalid_user\":true}" },
		{ "Mar 27 14:01:39 ip-10-77-20-248 sshd[2938]: error: maximum authentication attempts "
		  "exceeded for root from 122.176.37.221 port 37107 ssh2 [preauth]",
		  "\"user\":\"root\",\"source_ip\":\"122.176.37.221\",\"source_port\":37107,"
		  "\"event\":\"max_auth_attempts\",\"outcome\":\"failure\"}" },
		{ "Mar 29 10:42:43 ip-10-77-20-248 sshd[1193]: pam_unix(sshd:auth): authentication "
		  "failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=127.0.0.1  user=elastic_user_7",
		  "\"source_ip\":\"127.0.0.1\",\"user\":\"elastic_user_7\",\"event\":\"pam_auth_failure\","
		  "\"outcome\":\"failure\"}" },
		{ "Mar 29 14:15:38 ip-10-77-20-248 sshd[2414]: pam_unix(sshd:auth): authentication "
		  "failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=181.25.206.27",
		  "\"source_ip\":\"181.25.206.27\",\"event\":\"pam_auth_failure\",\"outcome\":\"failure\"}" },
		{ "Mar 27 17:08:34 ip-10-77-20-248 sshd[14514]: Connection closed by 85.245.107.41 port "
		  "58980 [preauth]",
		  "\"source_ip\":\"85.245.107.41\",\"source_port\":58980,\"event\":\"connection_closed\"}" },
		{ "Mar 27 13:44:19 ip-10-77-20-248 sshd[1418]: Received disconnect from 85.245.107.41 port "
		  "54259:11: disconnected by user",
		  "\"source_ip\":\"85.245.107.41\",\"source_port\":54259,\"event\":\"disconnect\"}" },
		{ "Mar 27 13:44:19 ip-10-77-20-248 sshd[1418]: Disconnected from 85.245.107.41 port 54259",
		  "\"source_ip\":\"85.245.107.41\",\"source_port\":54259,\"event\":\"disconnect\"}" },
		{ "Mar 28 19:13:31 ip-10-77-20-248 sshd[29543]: Connection from 85.245.107.41 port 61663 "
		  "on 10.77.20.248 port 222",
		  "\"source_ip\":\"85.245.107.41\",\"source_port\":61663,\"dest_ip\":\"10.77.20.248\","
		  "\"dest_port\":222,\"event\":\"connection\"}" },
		{ "Mar 27 15:30:59 ip-10-77-20-248 sshd[2995]: Did not receive identification string from "
		  "209.160.24.191",
		  "\"source_ip\":\"209.160.24.191\",\"event\":\"no_identification\"}" },
		{ "Mar 27 14:04:09 ip-10-77-20-248 sshd[2951]: Bad protocol version identification '' from "
		  "85.245.107.41 port 55172",
		  "\"source_ip\":\"85.245.107.41\",\"source_port\":55172,\"event\":\"bad_protocol\"}" },
		/* rsyslog's fold of repeats: the count, and the inner message's
		 * fields. */
		{ "Mar 29 23:18:33 ip-10-77-20-248 sshd[6402]: message repeated 5 times: [ Failed password "
		  "for root from 218.60.136.106 port 56338 ssh2]",
		  "\"repeat\":5,\"auth_method\":\"password\",\"user\":\"root\","
		  "\"source_ip\":\"218.60.136.106\",\"source_port\":56338,\"event\":\"login_failed\","
		  "\"outcome\":\"failure\",\"invalid_user\":false}" },
		/* The forms of newer OpenSSH versions, not in that file. */
		{ "Mar 30 10:00:00 web-1 sshd[100]: Invalid user admin from 203.0.113.5 port 41234",
		  "\"user\":\"admin\",\"source_ip\":\"203.0.113.5\",\"source_port\":41234,"
		  "\"event\":\"invalid_user\",\"outcome\":\"failure\",\"invalid_user\":true}" },
		{ "Mar 30 10:00:01 web-1 sshd[100]: Connection closed by authenticating user root "
		  "203.0.113.5 port 41234 [preauth]",
		  "\"user\":\"root\",\"source_ip\":\"203.0.113.5\",\"source_port\":41234,"
		  "\"event\":\"connection_closed\"}" },
		{ "Mar 30 10:00:02 web-1 sshd[100]: Connection closed by invalid user admin 203.0.113.5 "
		  "port 41234 [preauth]",
		  "\"user\":\"admin\",\"source_ip\":\"203.0.113.5\",\"source_port\":41234,"
		  "\"event\":\"connection_closed\",\"invalid_user\":true}" },
		{ "Mar 30 10:00:03 web-1 sshd[100]: Disconnected from authenticating user root "
		  "203.0.113.5 port 41234 [preauth]",
		  "\"user\":\"root\",\"source_ip\":\"203.0.113.5\",\"source_port\":41234,"
		  "\"event\":\"disconnect\"}" },
		{ "Mar 30 10:00:04 web-1 sshd[100]: Disconnected from invalid user admin 203.0.113.5 port "
		  "41234 [preauth]",
		  "\"user\":\"admin\",\"source_ip\":\"203.0.113.5\",\"source_port\":41234,"
		  "\"event\":\"disconnect\",\"invalid_user\":true}" },
		{ "Mar 30 10:00:05 web-1 sshd[100]: Disconnected from user ubuntu 203.0.113.5 port 41234",
		  "\"user\":\"ubuntu\",\"source_ip\":\"203.0.113.5\",\"source_port\":41234,"
		  "\"event\":\"disconnect\"}" },
		{ "Mar 30 10:00:06 web-1 sshd[100]: Bad protocol version identification 'GET / HTTP/1.1' "
		  "from 203.0.113.5",
		  "\"source_ip\":\"203.0.113.5\",\"event\":\"bad_protocol\"}" },
		/* {user} is text: it may hold spaces; the shortest that fits. */
		{ "Mar 30 10:00:07 web-1 sshd[100]: Failed password for invalid user john smith from "
		  "203.0.113.5 port 41234 ssh2",
		  "\"auth_method\":\"password\",\"user\":\"john smith\",\"source_ip\":\"203.0.113.5\","
		  "\"source_port\":41234,\"event\":\"login_failed\",\"outcome\":\"failure\","
		  "\"invalid_user\":true}" },
		/* Ports are JSON numbers, without leading zeros. */
		{ "Mar 30 10:00:08 web-1 sshd[100]: Failed password for root from 203.0.113.5 port 0022 "
		  "ssh2",
		  "\"auth_method\":\"password\",\"user\":\"root\",\"source_ip\":\"203.0.113.5\","
		  "\"source_port\":22,\"event\":\"login_failed\",\"outcome\":\"failure\","
		  "\"invalid_user\":false}" },
		{ "Mar 30 10:00:09 web-1 sshd[100]: Failed password for root from 203.0.113.5 port 0 ssh2",
		  "\"auth_method\":\"password\",\"user\":\"root\",\"source_ip\":\"203.0.113.5\","
		  "\"source_port\":0,\"event\":\"login_failed\",\"outcome\":\"failure\","
		  "\"invalid_user\":false}" },
		{ "Mar 30 10:00:10 web-1 sshd[100]: message repeated 3 times: [ Failed password for "
		  "invalid user pi from 203.0.113.5 port 41234 ssh2]",
		  "\"repeat\":3,\"auth_method\":\"password\",\"user\":\"pi\",\"source_ip\":\"203.0.113.5\","
		  "\"source_port\":41234,\"event\":\"login_failed\",\"outcome\":\"failure\","
		  "\"invalid_user\":true}" },
		/* A repeat of a message no template knows: the count alone. */
		{ "Mar 30 10:00:12 web-1 sshd[100]: message repeated 2 times: [ Server listening on "
		  "0.0.0.0 port 22.]",
		  "\"repeat\":2}" },
	};
	/* Messages no template matches add nothing after the message. */
	static const char *const plain[] = {
		"Mar 27 14:54:57 ip-10-77-20-248 sshd[2967]: input_userauth_request: invalid user support "
		"[preauth]",
		"Mar 27 13:08:09 ip-10-77-20-248 sshd[1361]: pam_unix(sshd:session): session opened for "
		"user ubuntu by (uid=0)",
		"Mar 27 13:06:56 ip-10-77-20-248 sshd[1291]: Server listening on 0.0.0.0 port 22.",
		"Mar 30 10:00:11 web-1 cron[100]: Failed password for root from 203.0.113.5 port 22 ssh2",
		"Mar 30 10:00:13 web-1 sshd[100]: message repeated 0 times: [ Server listening on 0.0.0.0 "
		"port 22.]",
		"Mar 30 10:00:14 web-1 sshd[100]: Failed password for root from 203.0.113.5 port x ssh2",
		"Mar 30 10:00:15 web-1 sshd[100]: Failed password for root from 203.0.113.5",
		"Mar 30 10:00:16 web-1 sshd[100]: failed password for root from 203.0.113.5 port 22 ssh2",
	};
	vg_line_ctx ctx = ctx_now();

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *got = PARSE(cases[i].line, &ctx);
		const char *msg = strstr(got, ",\"message\":\"");
		const char *end = msg ? strstr(msg + 12, "\",") : NULL;

		if (!end || strcmp(end + 2, cases[i].want) != 0)
			fail_msg("line: %s\n got: %s\nwant: ...%s", cases[i].line, got, cases[i].want);
	}
	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
		const char *got = PARSE(plain[i], &ctx);
		const char *msg = strstr(got, ",\"message\":\"");

		if (!msg || strcmp(msg + strlen(msg) - 2, "\"}") != 0 || strstr(msg + 12, "\",\""))
			fail_msg("line: %s\n got: %s", plain[i], got);
	}
	/* One whole line, to pin the order of everything. */
	assert_string_equal(
		PARSE("Mar 29 23:18:33 ip-10-77-20-248 sshd[6402]: message repeated 5 times: [ Failed "
		      "password for root from 218.60.136.106 port 56338 ssh2]",
		      &ctx),
		"{\"timestamp\":\"2026-03-29T23:18:33.000Z\",\"host\":\"ip-10-77-20-248\",\"app\":\"sshd\","
		"\"pid\":6402,\"message\":\"message repeated 5 times: [ Failed password for root from "
		"218.60.136.106 port 56338 ssh2]\",\"repeat\":5,\"auth_method\":\"password\","
		"\"user\":\"root\",\"source_ip\":\"218.60.136.106\",\"source_port\":56338,"
		"\"event\":\"login_failed\",\"outcome\":\"failure\",\"invalid_user\":false}");
}

static void templates_need_a_type(void **state)
{
	vg_line_ctx ctx = { NULL, at("2026-04-15T12:00:00Z"), 0 };

	(void)state;
	assert_string_equal(
		PARSE("Mar 29 23:18:33 h sshd[1]: message repeated 5 times: [ Failed password for root "
		      "from 1.2.3.4 port 1 ssh2]",
		      &ctx),
		"{\"timestamp\":\"2026-03-29T23:18:33.000Z\",\"host\":\"h\",\"app\":\"sshd\",\"pid\":1,"
		"\"message\":\"message repeated 5 times: [ Failed password for root from 1.2.3.4 port 1 "
		"ssh2]\"}");
}

/* Many " from "s and no " port ": the matcher must not take quadratic
 * time (each {source_ip:word} ends at its first space). */
static void templates_stay_linear(void **state)
{
	vg_buf line = VG_BUF_INIT(1 << 22);
	vg_buf out = VG_BUF_INIT(1 << 24);
	vg_line_ctx ctx = ctx_now();
	vg_reject rej;

	(void)state;
	vg_buf_puts(&line, "Mar 30 10:00:00 h sshd[1]: Failed password for ");
	for (int i = 0; i < 100000; i++)
		vg_buf_puts(&line, "x from ");
	assert_int_equal(vg_syslog_parse(line.ptr, line.len, &ctx, &out, &rej), VG_OK);
	assert_null(strstr(out.ptr, "\"event\""));
	vg_buf_release(&line);
	vg_buf_release(&out);
}

static void output_limits(void **state)
{
	static const char line[] = "Mar 27 13:06:56 host app: a message of some length";
	vg_buf out = VG_BUF_INIT(40);
	vg_line_ctx ctx = ctx_now();
	vg_reject rej;

	(void)state;
	vg_buf_puts(&out, "keep");
	assert_int_equal(vg_syslog_parse(line, sizeof(line) - 1, &ctx, &out, &rej), VG_ETOOBIG);
	assert_string_equal(vg_buf_cstr(&out), "keep");
	assert_int_equal(out.len, 4);
	vg_buf_release(&out);
}

static void parser_by_name(void **state)
{
	vg_error err = { 0 };

	(void)state;
	assert_true(vg_line_parser_for(syslog_type()) == vg_syslog_parse);
	assert_true(vg_line_parser_for(vg_source_type_find("nginx", &err)) == vg_access_log_parse);
	assert_true(vg_line_parser_for(vg_source_type_find("json", &err)) == NULL);
	assert_true(vg_line_parser_for(vg_source_type_find("cloudtrail", &err)) == NULL);
}

/* ---- every line of a real auth.log ------------------------------------ */

static char *read_dataset(const char *name, size_t *len)
{
	const char *src = getenv("VIGIL_SOURCE_DIR");
	char path[4096];
	char *data;
	FILE *f;
	long n;

	if (!src)
		fail_msg("VIGIL_SOURCE_DIR is not set (ctest sets it)");
	snprintf(path, sizeof(path), "%s/../shared/datasets/elastic-logs/%s", src, name);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot read %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	data = malloc((size_t)n);
	assert_int_equal(fread(data, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return data;
}

typedef struct tally {
	const vg_fieldset *fs;
	uint32_t event, repeat, app;
	size_t events, rejects, sshd, repeats, repeat_sum;
	size_t by_event[16];
	vg_reject first_reject;
} tally;

static const char *const event_names[] = {
	"login_failed", "login", "invalid_user", "max_auth_attempts", "pam_auth_failure",
	"connection_closed", "disconnect", "connection", "no_identification", "bad_protocol",
};
#define NEVENTS (sizeof(event_names) / sizeof(event_names[0]))

static int count_event(void *arg, const char *json, size_t len, const vg_fields *fields,
		       vg_error *err)
{
	tally *t = arg;
	const vg_fvalue *v;

	(void)json;
	(void)len;
	(void)err;
	t->events++;
	if ((v = vg_fields_first(fields, t->app)) && v->len == 4 && memcmp(v->ptr, "sshd", 4) == 0)
		t->sshd++;
	if ((v = vg_fields_first(fields, t->repeat))) {
		t->repeats++;
		t->repeat_sum += (size_t)strtol(v->ptr, NULL, 10);
	}
	if ((v = vg_fields_first(fields, t->event))) {
		size_t i;

		for (i = 0; i < NEVENTS; i++)
			if (strlen(event_names[i]) == v->len && memcmp(event_names[i], v->ptr, v->len) == 0)
				break;
		t->by_event[i]++;
	}
	return VG_OK;
}

static void count_reject(void *arg, const vg_reject *rej)
{
	tally *t = arg;

	if (!t->rejects++)
		t->first_reject = *rej;
}

static void read_all(const char *data, size_t len, size_t piece, tally *t)
{
	vg_feed_options opts = { .now_ms = at("2026-04-15T12:00:00Z") };
	vg_feed *f = vg_feed_new(syslog_type(), t->fs, &opts);
	vg_feed_sink sink = { count_event, count_reject, t };
	vg_error err = { 0 };

	size_t off = 0;

	do {
		size_t n = len - off < piece ? len - off : piece;

		assert_int_equal(vg_feed_push(f, data + off, n, off + n == len, &sink, &err), VG_OK);
		off += n;
	} while (off < len);
	vg_feed_free(f);
}

static void every_auth_log_line_is_read(void **state)
{
	vg_fieldset *fs = vg_fieldset_new();
	size_t len, lines = 0;
	char *data = read_dataset("auth.log", &len);
	tally whole = { .fs = fs }, pieces = { .fs = fs };
	/* Counted with grep over the file, independently of the parser. */
	static const size_t want[NEVENTS] = { 717, 226, 178, 189, 343, 303, 614, 17, 14, 18 };

	(void)state;
	whole.event = pieces.event = vg_fieldset_add(fs, "event");
	whole.repeat = pieces.repeat = vg_fieldset_add(fs, "repeat");
	whole.app = pieces.app = vg_fieldset_add(fs, "app");
	for (size_t i = 0; i < len; i++)
		lines += data[i] == '\n';
	assert_int_equal(lines, 7121);
	read_all(data, len, len, &whole);
	if (whole.rejects)
		fail_msg("%zu lines refused, the first: %s", whole.rejects, whole.first_reject.msg);
	assert_int_equal(whole.events, 7121);
	assert_int_equal(whole.sshd, 4095);
	assert_int_equal(whole.repeats, 85);
	assert_int_equal(whole.repeat_sum, 410);
	for (size_t i = 0; i < NEVENTS; i++)
		if (whole.by_event[i] != want[i])
			fail_msg("%s: %zu events, want %zu", event_names[i], whole.by_event[i], want[i]);
	assert_int_equal(whole.by_event[NEVENTS], 0);
	/* In 4 KiB pieces, the same. */
	read_all(data, len, 4096, &pieces);
	assert_int_equal(pieces.events, whole.events);
	assert_int_equal(pieces.rejects, 0);
	assert_memory_equal(pieces.by_event, whole.by_event, sizeof(whole.by_event));
	free(data);
	vg_fieldset_free(fs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rfc5424),
		cmocka_unit_test(rfc5424_malformed),
		cmocka_unit_test(rfc3164),
		cmocka_unit_test(pri_without_header),
		cmocka_unit_test(refused_lines),
		cmocka_unit_test(year_rule),
		cmocka_unit_test(sshd_templates),
		cmocka_unit_test(templates_need_a_type),
		cmocka_unit_test(templates_stay_linear),
		cmocka_unit_test(output_limits),
		cmocka_unit_test(parser_by_name),
		cmocka_unit_test(every_auth_log_line_is_read),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
