/*
 * test_leef.c - IBM QRadar LEEF lines into JSON events (vg_leef_parse):
 * exact output for LEEF 1.0 with tabs and LEEF 2.0 with the delimiters it
 * names (a character, x09, 0x09), lines as IBM's guide and vendors write
 * them (after syslog headers), devTime in its formats, the lines that are
 * refused with their messages, and lines read through a feed with a bad
 * one among them.
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
#include "line_parse.h"

/* What vg_leef_parse makes of len bytes of line, read on 2026-04-15. */
static const char *parse_n(const char *line, size_t len, char *res, size_t size)
{
	return line_parse("leef", at("2026-04-15T12:00:00Z"), line, len, res, size);
}

#define PARSE(line) parse_n((line), strlen(line), (char[8192]){ 0 }, 8192)

typedef struct tcase {
	const char *line, *want;
} tcase;

static void check_cases(const tcase *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *got = PARSE(cases[i].line);

		if (strcmp(got, cases[i].want) != 0)
			fail_msg("line: %s\n got: %s\nwant: %s", cases[i].line, got, cases[i].want);
	}
}

#define CHECK(cases) check_cases((cases), sizeof(cases) / sizeof((cases)[0]))

static void leef_1(void **state)
{
	static const tcase cases[] = {
		/* IBM's example of LEEF 1.0: tabs between attributes. */
		{ "LEEF:1.0|Microsoft|MSExchange|2016|15345|src=10.50.1.1\tdst=2.10.20.20\tspt="
		  "1200",
		  "{\"timestamp\":\"2026-04-15T12:00:00.000Z\",\"leef_version\":\"1.0\","
		  "\"vendor\":\"Microsoft\",\"product\":\"MSExchange\",\"version\":\"2016\","
		  "\"event_id\":\"15345\",\"src\":\"10.50.1.1\",\"dst\":\"2.10.20.20\","
		  "\"spt\":\"1200\"}" },
		/* Trend Micro Deep Discovery after its syslog header: devTime read
		 * with its devTimeFormat (which comes after it), a space after a
		 * tab, spaces and '=' inside values. */
		{ "<14>Dec 16 06:38:57 ddei-172 LEEF:1.0|Trend Micro|Deep Discovery Email "
		  "Inspector|5.1.0.1110|CTP_DETECTION|devTime=Jan 28 2026 02:00:36 GMT+01:00\t"
		  "devTimeFormat=MMM dd yyyy HH:mm:ss z\tmailMsgSubject=syslog - ctp\t"
		  "url=http://g9yxzah7yu23n.com/q?a=1\t messageId=2020121613571222594383@test.com\t"
		  "act=blocked",
		  "{\"timestamp\":\"2026-01-28T01:00:36.000Z\",\"leef_version\":\"1.0\","
		  "\"vendor\":\"Trend Micro\",\"product\":\"Deep Discovery Email Inspector\","
		  "\"version\":\"5.1.0.1110\",\"event_id\":\"CTP_DETECTION\",\"host\":\"ddei-172\","
		  "\"devTime\":\"Jan 28 2026 02:00:36 GMT+01:00\","
		  "\"devTimeFormat\":\"MMM dd yyyy HH:mm:ss z\",\"mailMsgSubject\":\"syslog - "
		  "ctp\","
		  "\"url\":\"http://g9yxzah7yu23n.com/q?a=1\","
		  "\"messageId\":\"2020121613571222594383@test.com\",\"act\":\"blocked\"}" },
		/* IBM's example of a custom date format (with quoted text and a
		 * numeric zone); an attribute named like a member is renamed. */
		{ "LEEF:1.0|ABC Company|SystemDefender|1.13|console_login|"
		  "devTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSSZ\tdevTime=2017-10-18T11:26:03.060+0200\t"
		  "usrName=flastname\tname=Firstname Lastname\tauthType=interactivePassword\t"
		  "src=192.168.0.1\tversion=7",
		  "{\"timestamp\":\"2017-10-18T09:26:03.060Z\",\"leef_version\":\"1.0\","
		  "\"vendor\":\"ABC Company\",\"product\":\"SystemDefender\",\"version\":\"1.13\","
		  "\"event_id\":\"console_login\","
		  "\"devTimeFormat\":\"yyyy-MM-dd'T'HH:mm:ss.SSSZ\","
		  "\"devTime\":\"2017-10-18T11:26:03.060+0200\",\"usrName\":\"flastname\","
		  "\"name\":\"Firstname Lastname\",\"authType\":\"interactivePassword\","
		  "\"src\":\"192.168.0.1\",\"ext_version\":\"7\"}" },
		/* devTime in LEEF's default form; sev, cat; an escaped pipe in the
		 * header; empty attributes (doubled and trailing tabs) are none. */
		{ "Apr 15 11:00:00 vpn-gw LEEF:1.0|Example|VPN \\| Gateway|3.1|auth_fail|"
		  "devTime=Apr 15 2026 10:59:58\tcat=Authentication\t\tsev=7\tusrName=bob\t"
		  "src=198.51.100.23\t",
		  "{\"timestamp\":\"2026-04-15T10:59:58.000Z\",\"leef_version\":\"1.0\","
		  "\"vendor\":\"Example\",\"product\":\"VPN | Gateway\",\"version\":\"3.1\","
		  "\"event_id\":\"auth_fail\",\"severity_id\":4,\"host\":\"vpn-gw\","
		  "\"devTime\":\"Apr 15 2026 10:59:58\",\"cat\":\"Authentication\",\"sev\":\"7\","
		  "\"usrName\":\"bob\",\"src\":\"198.51.100.23\"}" },
		/* No attributes at all. */
		{ "LEEF:1.0|V|P|1|E|", "{\"timestamp\":\"2026-04-15T12:00:00.000Z\",\"leef_"
				       "version\":\"1.0\",\"vendor\":\"V\","
				       "\"product\":\"P\",\"version\":\"1\",\"event_id\":\"E\"}" },
	};

	(void)state;
	CHECK(cases);
}

static void leef_2(void **state)
{
	static const tcase cases[] = {
		/* Lancope StealthWatch (IBM's example of LEEF 2.0) with '^'. */
		{ "<13>Jan 18 11:07:53 sw-1 LEEF:2.0|Lancope|StealthWatch|1.0|41|^|src=10.0.1.8^"
		  "dst=10.0.0.5^sev=5^srcPort=81^dstPort=21",
		  "{\"timestamp\":\"2026-01-18T11:07:53.000Z\",\"leef_version\":\"2.0\","
		  "\"vendor\":\"Lancope\",\"product\":\"StealthWatch\",\"version\":\"1.0\","
		  "\"event_id\":\"41\",\"severity_id\":3,\"host\":\"sw-1\",\"src\":\"10.0.1.8\","
		  "\"dst\":\"10.0.0.5\",\"sev\":\"5\",\"srcPort\":\"81\",\"dstPort\":\"21\"}" },
		/* A tab named by its hex code, two ways; devTime in epoch ms and
		 * in "yyyy-MM-dd HH:mm:ss". */
		{ "LEEF:2.0|IBM|QRadar|7.5.0|NewEvent|x09|devTime=1783085000000\tsrc=203.0.113.66\t"
		  "sev=9\tmsg=Log4j RCE attempt blocked at perimeter",
		  "{\"timestamp\":\"2026-07-03T13:23:20.000Z\",\"leef_version\":\"2.0\","
		  "\"vendor\":\"IBM\",\"product\":\"QRadar\",\"version\":\"7.5.0\","
		  "\"event_id\":\"NewEvent\",\"severity_id\":5,\"devTime\":\"1783085000000\","
		  "\"src\":\"203.0.113.66\",\"sev\":\"9\","
		  "\"msg\":\"Log4j RCE attempt blocked at perimeter\"}" },
		{ "<86>1 2026-04-15T09:00:00Z pam-01 vault - - - "
		  "LEEF:2.0|Example|Vault|9.2|checkout|"
		  "0x09|devTimeFormat=yyyy-MM-dd HH:mm:ss\tdevTime=2026-04-15 08:59:59\t"
		  "usrName=admin\tresource=db-prod root\tsev=2",
		  "{\"timestamp\":\"2026-04-15T08:59:59.000Z\",\"leef_version\":\"2.0\","
		  "\"vendor\":\"Example\",\"product\":\"Vault\",\"version\":\"9.2\","
		  "\"event_id\":\"checkout\",\"severity_id\":2,\"host\":\"pam-01\","
		  "\"devTimeFormat\":\"yyyy-MM-dd HH:mm:ss\",\"devTime\":\"2026-04-15 08:59:59\","
		  "\"usrName\":\"admin\",\"resource\":\"db-prod root\",\"sev\":\"2\"}" },
		/* A pipe as the separator (x7C); tabs are then value text. */
		{ "LEEF:2.0|V|P|1|E|x7C|a=1\tstill a|b=2",
		  "{\"timestamp\":\"2026-04-15T12:00:00.000Z\",\"leef_version\":\"2.0\",\"vendor\":"
		  "\"V\","
		  "\"product\":\"P\",\"version\":\"1\",\"event_id\":\"E\",\"a\":\"1\\tstill a\","
		  "\"b\":\"2\"}" },
		/* Without the delimiter field, or with it empty: tabs. */
		{ "LEEF:2.0|V|P|1|E|src=1.2.3.4\tdst=5.6.7.8",
		  "{\"timestamp\":\"2026-04-15T12:00:00.000Z\",\"leef_version\":\"2.0\",\"vendor\":"
		  "\"V\","
		  "\"product\":\"P\",\"version\":\"1\",\"event_id\":\"E\",\"src\":\"1.2.3.4\","
		  "\"dst\":\"5.6.7.8\"}" },
		{ "LEEF:2.0|V|P|1|E||src=1.2.3.4\tdst=5.6.7.8",
		  "{\"timestamp\":\"2026-04-15T12:00:00.000Z\",\"leef_version\":\"2.0\",\"vendor\":"
		  "\"V\","
		  "\"product\":\"P\",\"version\":\"1\",\"event_id\":\"E\",\"src\":\"1.2.3.4\","
		  "\"dst\":\"5.6.7.8\"}" },
		/* Quoted text in a format; a time before year 0 (after its zone)
		 * is past what ISO 8601 writes, so the receive time stands. */
		{ "LEEF:2.0|V|P|1|E|^|devTimeFormat=dd.MM.yyyy 'um' H:mm:ss^devTime=15.04.2026 um "
		  "9:11:12",
		  "{\"timestamp\":\"2026-04-15T09:11:12.000Z\",\"leef_version\":\"2.0\",\"vendor\":"
		  "\"V\","
		  "\"product\":\"P\",\"version\":\"1\",\"event_id\":\"E\","
		  "\"devTimeFormat\":\"dd.MM.yyyy 'um' H:mm:ss\",\"devTime\":\"15.04.2026 um "
		  "9:11:12\"}" },
		{ "LEEF:2.0|V|P|1|E|^|devTimeFormat=yyyy-MM-dd HH:mm:ssZ^devTime=0000-01-01 "
		  "00:00:00+0100",
		  "{\"timestamp\":\"2026-04-15T12:00:00.000Z\",\"leef_version\":\"2.0\",\"vendor\":"
		  "\"V\","
		  "\"product\":\"P\",\"version\":\"1\",\"event_id\":\"E\","
		  "\"devTimeFormat\":\"yyyy-MM-dd HH:mm:ssZ\",\"devTime\":\"0000-01-01 "
		  "00:00:00+0100\"}" },
		/* sev off the 1-10 scale, and a devTime its format does not
		 * describe, are fields only; the last of a repeated key counts. */
		{ "Apr 15 11:00:00 h LEEF:2.0|V|P|1|E|^|sev=high^devTime=Apr 15 2026 10:00:00 PST^"
		  "src=a^src=b",
		  "{\"timestamp\":\"2026-04-15T11:00:00.000Z\",\"leef_version\":\"2.0\",\"vendor\":"
		  "\"V\","
		  "\"product\":\"P\",\"version\":\"1\",\"event_id\":\"E\",\"host\":\"h\","
		  "\"sev\":\"high\",\"devTime\":\"Apr 15 2026 10:00:00 PST\",\"src\":\"b\"}" },
	};

	(void)state;
	CHECK(cases);
}

static void refused_lines(void **state)
{
	static const tcase cases[] = {
		{ "", "REJECT unparsable: not a LEEF line: no \"LEEF:\" in it" },
		{ "CEF:0|V|P|1|1|n|0|a=1",
		  "REJECT unparsable: not a LEEF line: no \"LEEF:\" in it" },
		{ "LEEF:1.0|Microsoft|MSExchange|2016|src=10.50.1.1",
		  "REJECT unparsable: LEEF header has 4 of its 5 fields (each ended by '|')" },
		{ "LEEF:3.0|V|P|1|E|a=1",
		  "REJECT unparsable: LEEF version at byte 5 is not 1.0 or 2.0" },
		{ "LEEF:2.0|V|P|1|E|=|a=1",
		  "REJECT unparsable: LEEF delimiter 0x3d cannot separate key=value attributes" },
		{ "LEEF:2.0|V|P|1|E|xC3|a=b",
		  "REJECT unparsable: LEEF delimiter 0xc3 cannot separate key=value attributes" },
		{ "LEEF:1.0|V|P|1|E|src=1\tjunk\tdst=2",
		  "REJECT unparsable: LEEF attribute at byte 23 has no '='" },
		{ "LEEF:1.0|V|P|1|E|src ip=1",
		  "REJECT unparsable: LEEF key \"src ip\" at byte 17 is not "
		  "made of A-Z a-z 0-9 _ . [ ]" },
		{ "LEEF:1.0|V|P|1|E|=1", "REJECT unparsable: LEEF key at byte 17 is empty" },
		{ "LEEF:1.0|V|P|1|E|usrName=\xc3\x28",
		  "REJECT invalid_utf8: LEEF line is not UTF-8 text (byte 25)" },
	};
	static const char nul[] = "LEEF:1.0|V|P|1|E|a=\0";

	(void)state;
	CHECK(cases);
	assert_string_equal(
	    parse_n(nul, sizeof(nul) - 1, (char[256]){ 0 }, 256),
	    "REJECT unparsable: binary data (a NUL byte at byte 19) in a LEEF line");
}

static void output_limits(void **state)
{
	static const char line[] = "Apr 15 11:00:00 h LEEF:2.0|V|P|1|E|^|src=10.0.0.1^sev=3";
	vg_line_ctx ctx = { type_named("leef"), at("2026-04-15T12:00:00Z"), 0 };
	vg_buf out = VG_BUF_INIT(100);
	vg_reject rej;

	(void)state;
	vg_buf_puts(&out, "keep");
	assert_int_equal(vg_leef_parse(line, sizeof(line) - 1, &ctx, &out, &rej), VG_ETOOBIG);
	assert_string_equal(vg_buf_cstr(&out), "keep");
	vg_buf_release(&out);
}

/* ---- lines through a feed -------------------------------------------- */

typedef struct seen {
	vg_fieldset *fs;
	uint32_t usr;
	vg_buf users;
	size_t nrejects;
	vg_reject first_reject;
} seen;

static int on_event(void *arg, const char *json, size_t len, const vg_fields *fields, vg_error *err)
{
	seen *s = arg;
	const vg_fvalue *v = vg_fields_first(fields, s->usr);

	(void)json;
	(void)len;
	(void)err;
	if (v)
		vg_buf_append(&s->users, v->ptr, v->len);
	vg_buf_puts(&s->users, ";");
	return VG_OK;
}

static void on_reject(void *arg, const vg_reject *rej)
{
	seen *s = arg;

	if (!s->nrejects++)
		s->first_reject = *rej;
}

static void feed_keeps_good_lines_around_a_bad_one(void **state)
{
	static const char input[] =
	    "<13>Apr 15 11:00:01 qr LEEF:2.0|Example|VPN|1|login|^|usrName=alice^src=10.0.0.1\n"
	    "<13>Apr 15 11:00:02 qr LEEF:2.0|Example|VPN|1|login|^|usrName=bob^src=10.0.0.2\n"
	    "<13>Apr 15 11:00:03 qr LEEF:2.0|Example|VPN|1|login|^|usrName=carol^src ip=10.0.0.3\n"
	    "<13>Apr 15 11:00:04 qr LEEF:1.0|Example|VPN|1|logout|usrName=dave\tsrc=10.0.0.4\n";
	seen s = { .fs = vg_fieldset_new(), .users = VG_BUF_INIT(1024) };
	vg_feed_options opts = { .now_ms = at("2026-04-15T12:00:00Z") };
	vg_feed *f;
	vg_feed_sink sink = { on_event, on_reject, &s };
	vg_feed_counts counts;
	vg_error err = { 0 };

	(void)state;
	s.usr = vg_fieldset_add(s.fs, "usrName");
	f = vg_feed_new(type_named("leef"), s.fs, &opts);
	assert_int_equal(vg_feed_push(f, input, sizeof(input) - 1, true, &sink, &err), VG_OK);
	vg_feed_counts_get(f, &counts);
	assert_int_equal(counts.events, 3);
	assert_int_equal(counts.rejected, 1);
	assert_int_equal(counts.by_reason[VG_REJECT_UNPARSABLE], 1);
	assert_string_equal(vg_buf_cstr(&s.users), "alice;bob;dave;");
	assert_int_equal(s.first_reject.line, 3);
	assert_string_equal(s.first_reject.msg,
			    "line 3: LEEF key \"src ip\" at byte 68 is not made "
			    "of A-Z a-z 0-9 _ . [ ]");
	vg_feed_free(f);
	vg_fieldset_free(s.fs);
	vg_buf_release(&s.users);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(leef_1),
		cmocka_unit_test(leef_2),
		cmocka_unit_test(refused_lines),
		cmocka_unit_test(output_limits),
		cmocka_unit_test(feed_keeps_good_lines_around_a_bad_one),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
