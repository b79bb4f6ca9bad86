/*
 * test_cef.c - ArcSight CEF lines into JSON events (vg_cef_parse): exact
 * output for the CEF spec's own examples and for lines as Fortinet,
 * Check Point, Imperva and ArcSight connectors send them (after RFC 3164
 * and RFC 5424 headers), the times rt is read in, repeated and reserved
 * keys, the lines that are refused with their messages, and lines read
 * through a feed with a bad one among them.
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

/* What vg_cef_parse makes of len bytes of line, read on 2026-04-15. */
static const char *parse_n(const char *line, size_t len, char *res, size_t size)
{
	return line_parse("cef", at("2026-04-15T12:00:00Z"), line, len, res, size);
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

/* The header members before the name in the spec's examples. */
#define SPEC_HEAD                                                                                  \
	"\"cef_version\":\"0\",\"device_vendor\":\"security\",\"device_product\":"                 \
	"\"threatmanager\",\"device_version\":\"1.0\",\"signature_id\":\"100\","

static void spec_examples(void **state)
{
	static const tcase cases[] = {
		/* Without a syslog header: stamped with the time received. */
		{ "CEF:0|Security|threatmanager|1.0|100|worm successfully stopped|10|src=10.0.0.1 "
		  "dst=2.1.2.2 spt=1232",
		  "{\"timestamp\":\"2026-04-15T12:00:00.000Z\",\"cef_version\":\"0\","
		  "\"device_vendor\":\"Security\",\"device_product\":\"threatmanager\","
		  "\"device_version\":\"1.0\",\"signature_id\":\"100\","
		  "\"name\":\"worm successfully stopped\",\"severity\":\"10\",\"severity_id\":5,"
		  "\"src\":\"10.0.0.1\",\"dst\":\"2.1.2.2\",\"spt\":\"1232\"}" },
		/* The spec's escapes, after its syslog header (September is
		 * last year's, seen in April). */
		{ "Sep 19 08:26:10 host CEF:0|security|threatmanager|1.0|100|detected a \\| in "
		  "message|10|src=10.0.0.1 act=blocked a | dst=1.1.1.1",
		  "{\"timestamp\":\"2025-09-19T08:26:10.000Z\"," SPEC_HEAD
		  "\"name\":\"detected a | in message\",\"severity\":\"10\",\"severity_id\":5,"
		  "\"host\":\"host\",\"src\":\"10.0.0.1\",\"act\":\"blocked a "
		  "|\",\"dst\":\"1.1.1.1\"}" },
		{ "Sep 19 08:26:10 host CEF:0|security|threatmanager|1.0|100|detected a \\\\ in "
		  "packet|10|src=10.0.0.1 act=blocked a \\\\ dst=1.1.1.1",
		  "{\"timestamp\":\"2025-09-19T08:26:10.000Z\"," SPEC_HEAD
		  "\"name\":\"detected a \\\\ in packet\",\"severity\":\"10\",\"severity_id\":5,"
		  "\"host\":\"host\",\"src\":\"10.0.0.1\",\"act\":\"blocked a "
		  "\\\\\",\"dst\":\"1.1.1.1\"}" },
		{ "Sep 19 08:26:10 host CEF:0|security|threatmanager|1.0|100|detected a = in "
		  "message|10|src=10.0.0.1 act=blocked a \\= dst=1.1.1.1",
		  "{\"timestamp\":\"2025-09-19T08:26:10.000Z\"," SPEC_HEAD
		  "\"name\":\"detected a = in message\",\"severity\":\"10\",\"severity_id\":5,"
		  "\"host\":\"host\",\"src\":\"10.0.0.1\",\"act\":\"blocked a "
		  "=\",\"dst\":\"1.1.1.1\"}" },
		/* Multi-line values; spaces in values; a key at the end. */
		{ "CEF:0|security|threatmanager|1.0|100|worm successfully stopped|10|"
		  "msg=first line\\nsecond line\\r fname=Quarterly Report.docx "
		  "filePath=C:\\\\Users\\\\a "
		  "cs1Label=Scan Policy cs1=Full scan",
		  "{\"timestamp\":\"2026-04-15T12:00:00.000Z\"," SPEC_HEAD
		  "\"name\":\"worm successfully stopped\",\"severity\":\"10\",\"severity_id\":5,"
		  "\"msg\":\"first line\\nsecond line\\r\",\"fname\":\"Quarterly "
		  "Report.docx\",\"filePath\":\"C:\\\\Users\\\\a\",\"cs1Label\":\"Scan "
		  "Policy\",\"cs1\":\"Full scan\"}" },
	};

	(void)state;
	CHECK(cases);
}

static void vendor_lines(void **state)
{
	static const tcase cases[] = {
		/* FortiGate (FortiOS log reference), after an RFC 3164 header. */
		{ "<189>Feb 12 11:11:30 syslog-800c "
		  "CEF:0|Fortinet|Fortigate|v5.6.0|00013|traffic:forward "
		  "close|3|FTNTFGTlogid=0000000013 cat=traffic:forward FTNTFGTsubtype=forward "
		  "src=192.168.1.183 shost=192.168.1.183 spt=45719 deviceInboundInterface=port15 "
		  "dst=192.168.70.184 dpt=80 proto=6 act=close cs5=10 cs5Label=Policy Id "
		  "FTNTFGTdstcountry=Reserved out=398 in=1605",
		  "{\"timestamp\":\"2026-02-12T11:11:30.000Z\",\"cef_version\":\"0\","
		  "\"device_vendor\":\"Fortinet\",\"device_product\":\"Fortigate\","
		  "\"device_version\":\"v5.6.0\",\"signature_id\":\"00013\","
		  "\"name\":\"traffic:forward close\",\"severity\":\"3\",\"severity_id\":2,"
		  "\"host\":\"syslog-800c\",\"FTNTFGTlogid\":\"0000000013\",\"cat\":\"traffic:"
		  "forward\","
		  "\"FTNTFGTsubtype\":\"forward\",\"src\":\"192.168.1.183\",\"shost\":\"192.168.1."
		  "183\","
		  "\"spt\":\"45719\",\"deviceInboundInterface\":\"port15\",\"dst\":\"192.168.70."
		  "184\","
		  "\"dpt\":\"80\",\"proto\":\"6\",\"act\":\"close\",\"cs5\":\"10\","
		  "\"cs5Label\":\"Policy Id\",\"FTNTFGTdstcountry\":\"Reserved\",\"out\":\"398\","
		  "\"in\":\"1605\"}" },
		/* FortiAnalyzer's forwarding: dotted keys; rt-less, so the header's
		 * time (a December stamp seen in April is last year's). */
		{ "Dec 08 17:00:55 Alza-kvm41 CEF:0|Fortinet|FortiGate-VM64|6.4.8,build1914 "
		  "(GA)|0201009238|virus utm monitored|5|start=Dec 08 2022 17:00:55 "
		  "deviceExternalId=FGVM01000010XXXX dvchost=Alza-kvm41 ad.vd=root cat=utm "
		  "src=1.1.1.1 dst=2.2.2.2 act=monitored fname=test-fsa.exe",
		  "{\"timestamp\":\"2025-12-08T17:00:55.000Z\",\"cef_version\":\"0\","
		  "\"device_vendor\":\"Fortinet\",\"device_product\":\"FortiGate-VM64\","
		  "\"device_version\":\"6.4.8,build1914 (GA)\",\"signature_id\":\"0201009238\","
		  "\"name\":\"virus utm monitored\",\"severity\":\"5\",\"severity_id\":3,"
		  "\"host\":\"Alza-kvm41\",\"start\":\"Dec 08 2022 17:00:55\","
		  "\"deviceExternalId\":\"FGVM01000010XXXX\",\"dvchost\":\"Alza-kvm41\","
		  "\"ad.vd\":\"root\",\"cat\":\"utm\",\"src\":\"1.1.1.1\",\"dst\":\"2.2.2.2\","
		  "\"act\":\"monitored\",\"fname\":\"test-fsa.exe\"}" },
		/* Check Point Log Exporter: "Unknown" severity, rt in epoch ms
		 * (before the header's time), an & in the product. */
		{ "<134>Jan 15 09:30:15 gw-hq CEF:0|Check Point|VPN-1 & FireWall-1|Check "
		  "Point|Log|https|Unknown|act=Accept deviceDirection=0 rt=1705311012000 spt=52344 "
		  "dpt=443 src=10.1.1.5 dst=93.184.216.34 proto=6 suser=alice@corp.example",
		  "{\"timestamp\":\"2024-01-15T09:30:12.000Z\",\"cef_version\":\"0\","
		  "\"device_vendor\":\"Check Point\",\"device_product\":\"VPN-1 & FireWall-1\","
		  "\"device_version\":\"Check Point\",\"signature_id\":\"Log\",\"name\":\"https\","
		  "\"severity\":\"Unknown\",\"severity_id\":0,\"host\":\"gw-hq\",\"act\":"
		  "\"Accept\","
		  "\"deviceDirection\":\"0\",\"rt\":\"1705311012000\",\"spt\":\"52344\",\"dpt\":"
		  "\"443\","
		  "\"src\":\"10.1.1.5\",\"dst\":\"93.184.216.34\",\"proto\":\"6\","
		  "\"suser\":\"alice@corp.example\"}" },
		/* Imperva SecureSphere after an RFC 5424 header; the request's
		 * unescaped '=' is not after a space and stays in the value. */
		{ "<134>1 2026-03-27T13:06:56.123Z waf-01 SecureSphere - - - CEF:0|Imperva "
		  "Inc.|SecureSphere|13.6.0|Protocol|HTTP Signature Violation|High|act=Block "
		  "dst=10.0.0.5 dpt=443 src=203.0.113.9 spt=51000 duser=n/a requestMethod=GET "
		  "request=/index.php?id=1' OR '1'='1 cs1Label=Policy cs1=SQL Injection",
		  "{\"timestamp\":\"2026-03-27T13:06:56.123Z\",\"cef_version\":\"0\","
		  "\"device_vendor\":\"Imperva Inc.\",\"device_product\":\"SecureSphere\","
		  "\"device_version\":\"13.6.0\",\"signature_id\":\"Protocol\","
		  "\"name\":\"HTTP Signature Violation\",\"severity\":\"High\",\"severity_id\":4,"
		  "\"host\":\"waf-01\",\"act\":\"Block\",\"dst\":\"10.0.0.5\",\"dpt\":\"443\","
		  "\"src\":\"203.0.113.9\",\"spt\":\"51000\",\"duser\":\"n/a\","
		  "\"requestMethod\":\"GET\",\"request\":\"/index.php?id=1' OR '1'='1\","
		  "\"cs1Label\":\"Policy\",\"cs1\":\"SQL Injection\"}" },
		/* A bastion host's session log: rt in the spec's text form. */
		{ "<38>Apr 15 11:58:02 jump-01 CEF:0|Example|Bastion|4.2|session.open|SSH session "
		  "opened|Low|rt=Apr 15 2026 11:58:01 suser=ops1 src=198.51.100.7 dhost=db-01 "
		  "duser=root app=ssh",
		  "{\"timestamp\":\"2026-04-15T11:58:01.000Z\",\"cef_version\":\"0\","
		  "\"device_vendor\":\"Example\",\"device_product\":\"Bastion\","
		  "\"device_version\":\"4.2\",\"signature_id\":\"session.open\","
		  "\"name\":\"SSH session opened\",\"severity\":\"Low\",\"severity_id\":2,"
		  "\"host\":\"jump-01\",\"rt\":\"Apr 15 2026 11:58:01\",\"suser\":\"ops1\","
		  "\"src\":\"198.51.100.7\",\"dhost\":\"db-01\",\"duser\":\"root\",\"app\":"
		  "\"ssh\"}" },
		/* A tag between host and CEF (F5 ASM); CEF:1; a Windows path whose
		 * backslashes the device did not escape; an empty value; spaces
		 * between pairs and at the end are no value's. */
		{ "<131>Mar 30 13:46:08 bigip asm: CEF:1|F5|ASM|15.1.0|200021069|Automated client "
		  "access|9|fname=C:\\Windows\\cmd.exe  cs2=  cn1=0 ",
		  "{\"timestamp\":\"2026-03-30T13:46:08.000Z\",\"cef_version\":\"1\","
		  "\"device_vendor\":\"F5\",\"device_product\":\"ASM\",\"device_version\":\"15.1."
		  "0\","
		  "\"signature_id\":\"200021069\",\"name\":\"Automated client access\","
		  "\"severity\":\"9\",\"severity_id\":5,\"host\":\"bigip\","
		  "\"fname\":\"C:\\\\Windows\\\\cmd.exe\",\"cs2\":\"\",\"cn1\":\"0\"}" },
		/* An empty extension; header fields may be empty; UTF-8 text. */
		{ "CEF:0|Vendor||1.0|42|Connexion refus\xc3\xa9\x65|Very-High|",
		  "{\"timestamp\":\"2026-04-15T12:00:00.000Z\",\"cef_version\":\"0\","
		  "\"device_vendor\":\"Vendor\",\"device_product\":\"\",\"device_version\":\"1.0\","
		  "\"signature_id\":\"42\",\"name\":\"Connexion refus\xc3\xa9\x65\","
		  "\"severity\":\"Very-High\",\"severity_id\":5}" },
		/* A PRI without a header syslog reads, and text before the marker
		 * that is no header: the time received, no host. */
		{ "<134>CEF:0|V|P|1|1|n|medium|a=1",
		  "{\"timestamp\":\"2026-04-15T12:00:00.000Z\",\"cef_version\":\"0\","
		  "\"device_vendor\":\"V\",\"device_product\":\"P\",\"device_version\":\"1\","
		  "\"signature_id\":\"1\",\"name\":\"n\",\"severity\":\"medium\",\"severity_id\":3,"
		  "\"a\":\"1\"}" },
		{ "forwarded by relay-7: CEF:0|V|P|1|1|n|7|a=1\r\n",
		  "{\"timestamp\":\"2026-04-15T12:00:00.000Z\",\"cef_version\":\"0\","
		  "\"device_vendor\":\"V\",\"device_product\":\"P\",\"device_version\":\"1\","
		  "\"signature_id\":\"1\",\"name\":\"n\",\"severity\":\"7\",\"severity_id\":4,"
		  "\"a\":\"1\"}" },
	};

	(void)state;
	CHECK(cases);
}

#define MINI_HEAD                                                                                  \
	"\"cef_version\":\"0\",\"device_vendor\":\"V\",\"device_product\":\"P\","                  \
	"\"device_version\":\"1\",\"signature_id\":\"1\",\"name\":\"n\",\"severity\":\"0\","       \
	"\"severity_id\":2"

static void rt_forms(void **state)
{
	static const tcase cases[] = {
		{ "Apr 15 10:00:00 h CEF:0|V|P|1|1|n|0|rt=Apr 14 2026 09:08:07.123",
		  "{\"timestamp\":\"2026-04-14T09:08:07.123Z\"," MINI_HEAD
		  ",\"host\":\"h\",\"rt\":\"Apr 14 2026 09:08:07.123\"}" },
		{ "CEF:0|V|P|1|1|n|0|rt=Apr 14 2026 09:08:07 GMT+08:00",
		  "{\"timestamp\":\"2026-04-14T01:08:07.000Z\"," MINI_HEAD
		  ",\"rt\":\"Apr 14 2026 09:08:07 GMT+08:00\"}" },
		{ "CEF:0|V|P|1|1|n|0|rt=Apr 14 2026 09:08:07.5 UTC",
		  "{\"timestamp\":\"2026-04-14T09:08:07.005Z\"," MINI_HEAD
		  ",\"rt\":\"Apr 14 2026 09:08:07.5 UTC\"}" },
		{ "CEF:0|V|P|1|1|n|0|rt=Apr 14 2026 09:08:07 -0530",
		  "{\"timestamp\":\"2026-04-14T14:38:07.000Z\"," MINI_HEAD
		  ",\"rt\":\"Apr 14 2026 09:08:07 -0530\"}" },
		/* Forms without a year, zones by name, days that do not exist and
		 * epoch times past year 9999 leave rt a field only. */
		{ "Apr 15 10:00:00 h CEF:0|V|P|1|1|n|0|rt=Apr 14 09:08:07",
		  "{\"timestamp\":\"2026-04-15T10:00:00.000Z\"," MINI_HEAD
		  ",\"host\":\"h\",\"rt\":\"Apr 14 09:08:07\"}" },
		{ "Apr 15 10:00:00 h CEF:0|V|P|1|1|n|0|rt=Apr 14 2026 09:08:07 PST",
		  "{\"timestamp\":\"2026-04-15T10:00:00.000Z\"," MINI_HEAD
		  ",\"host\":\"h\",\"rt\":\"Apr 14 2026 09:08:07 PST\"}" },
		{ "Apr 15 10:00:00 h CEF:0|V|P|1|1|n|0|rt=Feb 30 2026 09:08:07",
		  "{\"timestamp\":\"2026-04-15T10:00:00.000Z\"," MINI_HEAD
		  ",\"host\":\"h\",\"rt\":\"Feb 30 2026 09:08:07\"}" },
		{ "CEF:0|V|P|1|1|n|0|rt=253402300800000",
		  "{\"timestamp\":\"2026-04-15T12:00:00.000Z\"," MINI_HEAD
		  ",\"rt\":\"253402300800000\"}" },
		/* The last rt counts. */
		{ "CEF:0|V|P|1|1|n|0|rt=1 rt=1000",
		  "{\"timestamp\":\"1970-01-01T00:00:01.000Z\"," MINI_HEAD ",\"rt\":\"1000\"}" },
	};

	(void)state;
	CHECK(cases);
}

static void repeated_and_reserved_keys(void **state)
{
	static const tcase cases[] = {
		/* The last of a repeated key, where it is. */
		{ "CEF:0|V|P|1|1|n|0|src=1.1.1.1 dst=2.2.2.2 src=3.3.3.3",
		  "{\"timestamp\":\"2026-04-15T12:00:00.000Z\"," MINI_HEAD
		  ",\"dst\":\"2.2.2.2\",\"src\":\"3.3.3.3\"}" },
		/* Keys named like the parser's own members are renamed, and
		 * repeats are counted by the name written. */
		{ "h1 CEF:0|V|P|1|1|n|0|name=x host=y severity=z timestamp=t ext_name=q "
		  "cef_version=9 "
		  "severity_id=1",
		  "{\"timestamp\":\"2026-04-15T12:00:00.000Z\"," MINI_HEAD
		  ",\"ext_host\":\"y\",\"ext_severity\":\"z\",\"ext_timestamp\":\"t\","
		  "\"ext_name\":\"q\",\"ext_cef_version\":\"9\",\"ext_severity_id\":\"1\"}" },
		/* Keys are case-sensitive; brackets and dots are key characters. */
		{ "CEF:0|V|P|1|1|n|0|Src=a src=b ad.x[0]=c",
		  "{\"timestamp\":\"2026-04-15T12:00:00.000Z\"," MINI_HEAD
		  ",\"Src\":\"a\",\"src\":\"b\",\"ad.x[0]\":\"c\"}" },
		/* A space and a word with a character keys do not have before an
		 * '=' is more of the value (URLs in messages). */
		{ "CEF:0|V|P|1|1|n|0|msg=GET http://x/?a=b c-d=e 1 + 1 = 2 spt=1",
		  "{\"timestamp\":\"2026-04-15T12:00:00.000Z\"," MINI_HEAD
		  ",\"msg\":\"GET http://x/?a=b c-d=e 1 + 1 = 2\",\"spt\":\"1\"}" },
	};
	vg_buf line = VG_BUF_INIT(1 << 20);
	const char *got;

	(void)state;
	CHECK(cases);
	/* Many repeats are found without comparing every pair to every other. */
	vg_buf_puts(&line, "CEF:0|V|P|1|1|n|0|");
	for (int i = 0; i < 50000; i++)
		vg_buf_printf(&line, "k%d=%d a=%d ", i % 7, i, i);
	got = parse_n(line.ptr, line.len, (char[8192]){ 0 }, 8192);
	assert_string_equal(got,
			    "{\"timestamp\":\"2026-04-15T12:00:00.000Z\"," MINI_HEAD
			    ",\"k6\":\"49993\",\"k0\":\"49994\",\"k1\":\"49995\",\"k2\":"
			    "\"49996\",\"k3\":\"49997\",\"k4\":\"49998\",\"k5\":\"49999\",\"a\":"
			    "\"49999\"}");
	vg_buf_release(&line);
}

static void refused_lines(void **state)
{
	static const tcase cases[] = {
		{ "", "REJECT unparsable: not a CEF line: no \"CEF:\" in it" },
		{ "Sep 19 08:26:10 host sshd[1]: Accepted password for root",
		  "REJECT unparsable: not a CEF line: no \"CEF:\" in it" },
		{ "cef:0|V|P|1|1|n|0|a=1", "REJECT unparsable: not a CEF line: no \"CEF:\" in it" },
		{ "CEF:0|Security|threatmanager|1.0|100|worm successfully stopped",
		  "REJECT unparsable: CEF header has 5 of its 7 fields (each ended by '|')" },
		{ "CEF:0|Security|threatmanager|1.0|100|name \\| still the name|10",
		  "REJECT unparsable: CEF header has 6 of its 7 fields (each ended by '|')" },
		{ "CEF:",
		  "REJECT unparsable: CEF header has 0 of its 7 fields (each ended by '|')" },
		{ "CEF:zero|V|P|1|1|n|0|a=1",
		  "REJECT unparsable: CEF version at byte 4 is not a number" },
		{ "CEF:0|V|P|1|1|n|11|a=1", "REJECT unparsable: CEF severity at byte 16 is not "
					    "0-10, Unknown, Low, Medium, High or "
					    "Very-High" },
		{ "<13>Apr 15 10:00:00 fw CEF:0|V|P|1|1|n|Critical|a=1",
		  "REJECT unparsable: CEF severity at byte 39 is not 0-10, Unknown, Low, Medium, "
		  "High or "
		  "Very-High" },
		{ "CEF:0|V|P|1|1|n||a=1", "REJECT unparsable: CEF severity at byte 16 is not 0-10, "
					  "Unknown, Low, Medium, High or "
					  "Very-High" },
		{ "CEF:0|V|P|1|1|n|5|src-ip=10.0.0.1 dst=10.0.0.2",
		  "REJECT unparsable: CEF key \"src-ip\" at byte 18 is not made of A-Z a-z 0-9 _ . "
		  "[ ]" },
		{ "CEF:0|V|P|1|1|n|5|=10.0.0.1", "REJECT unparsable: CEF key at byte 18 is empty" },
		{ "CEF:0|V|P|1|1|n|5|worm stopped",
		  "REJECT unparsable: CEF extension at byte 18 does not start with key=value" },
		{ "CEF:0|V|P|1|1|n|5|msg=path C:\\",
		  "REJECT unparsable: CEF line ends inside an escape (the \\ at byte 29)" },
		{ "CEF:0|V|P|1|1|n|5|msg=caf\xe9",
		  "REJECT invalid_utf8: CEF line is not UTF-8 text (byte 25)" },
		{ "\xff\xfe"
		  "CEF:0|V|P|1|1|n|5|",
		  "REJECT invalid_utf8: CEF line is not UTF-8 text (byte 0)" },
	};
	static const char nul[] = "CEF:0|V|P|1|1|n|5|msg=a\0b";

	(void)state;
	CHECK(cases);
	assert_string_equal(parse_n(nul, sizeof(nul) - 1, (char[256]){ 0 }, 256),
			    "REJECT unparsable: binary data (a NUL byte at byte 23) in a CEF line");
}

static void output_limits(void **state)
{
	static const char line[] = "Sep 19 08:26:10 host CEF:0|V|P|1|1|n|0|src=10.0.0.1 name=x";
	vg_line_ctx ctx = { type_named("cef"), at("2026-04-15T12:00:00Z"), 0 };
	vg_buf out = VG_BUF_INIT(100);
	vg_reject rej;

	(void)state;
	vg_buf_puts(&out, "keep");
	assert_int_equal(vg_cef_parse(line, sizeof(line) - 1, &ctx, &out, &rej), VG_ETOOBIG);
	assert_string_equal(vg_buf_cstr(&out), "keep");
	vg_buf_release(&out);
}

/* ---- lines through a feed -------------------------------------------- */

typedef struct seen {
	vg_buf events;
	size_t nevents, nrejects;
	vg_reject first_reject;
} seen;

static int on_event(void *arg, const char *json, size_t len, const vg_fields *fields, vg_error *err)
{
	seen *s = arg;

	(void)fields;
	(void)err;
	s->nevents++;
	vg_buf_append(&s->events, json, len);
	vg_buf_puts(&s->events, "\n");
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
	    "<134>Feb 12 11:11:30 fw-1 CEF:0|Fortinet|Fortigate|v6.4|00013|traffic:forward "
	    "close|3|src=10.0.0.1 dst=10.0.0.2\r\n"
	    "<134>Feb 12 11:11:31 fw-1 CEF:0|Fortinet|Fortigate|v6.4|00014|traffic:forward "
	    "deny|5|src=10.0.0.3 dst=10.0.0.4\n"
	    "<134>Feb 12 11:11:32 fw-1 CEF:0|Fortinet|Fortigate|v6.4|00015|traffic|bad|src=x\n"
	    "\n"
	    "<134>Feb 12 11:11:33 fw-1 CEF:0|Fortinet|Fortigate|v6.4|00016|traffic:local "
	    "accept|1|src=10.0.0.5 act=accept\n";
	vg_fieldset *fs = vg_fieldset_new();
	vg_feed_options opts = { .now_ms = at("2026-04-15T12:00:00Z") };
	vg_feed *f = vg_feed_new(type_named("cef"), fs, &opts);
	seen s = { .events = VG_BUF_INIT(1 << 20) };
	vg_feed_sink sink = { on_event, on_reject, &s };
	vg_feed_counts counts;
	vg_error err = { 0 };
	size_t cut = 100;

	(void)state;
	/* In two pieces, the cut inside the first line. */
	assert_int_equal(vg_feed_push(f, input, cut, false, &sink, &err), VG_OK);
	assert_int_equal(vg_feed_push(f, input + cut, sizeof(input) - 1 - cut, true, &sink, &err),
			 VG_OK);
	vg_feed_counts_get(f, &counts);
	assert_int_equal(counts.events, 3);
	assert_int_equal(counts.rejected, 1);
	assert_int_equal(counts.by_reason[VG_REJECT_UNPARSABLE], 1);
	assert_int_equal(s.first_reject.line, 3);
	assert_string_equal(
	    s.first_reject.msg,
	    "line 3: CEF severity at byte 70 is not 0-10, Unknown, Low, Medium, High "
	    "or Very-High");
	assert_string_equal(
	    vg_buf_cstr(&s.events),
	    "{\"timestamp\":\"2026-02-12T11:11:30.000Z\",\"cef_version\":\"0\","
	    "\"device_vendor\":\"Fortinet\",\"device_product\":\"Fortigate\","
	    "\"device_version\":\"v6.4\",\"signature_id\":\"00013\","
	    "\"name\":\"traffic:forward close\",\"severity\":\"3\",\"severity_id\":2,"
	    "\"host\":\"fw-1\",\"src\":\"10.0.0.1\",\"dst\":\"10.0.0.2\"}\n"
	    "{\"timestamp\":\"2026-02-12T11:11:31.000Z\",\"cef_version\":\"0\","
	    "\"device_vendor\":\"Fortinet\",\"device_product\":\"Fortigate\","
	    "\"device_version\":\"v6.4\",\"signature_id\":\"00014\","
	    "\"name\":\"traffic:forward deny\",\"severity\":\"5\",\"severity_id\":3,"
	    "\"host\":\"fw-1\",\"src\":\"10.0.0.3\",\"dst\":\"10.0.0.4\"}\n"
	    "{\"timestamp\":\"2026-02-12T11:11:33.000Z\",\"cef_version\":\"0\","
	    "\"device_vendor\":\"Fortinet\",\"device_product\":\"Fortigate\","
	    "\"device_version\":\"v6.4\",\"signature_id\":\"00016\","
	    "\"name\":\"traffic:local accept\",\"severity\":\"1\",\"severity_id\":2,"
	    "\"host\":\"fw-1\",\"src\":\"10.0.0.5\",\"act\":\"accept\"}\n");
	vg_buf_release(&s.events);
	vg_feed_free(f);
	vg_fieldset_free(fs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(spec_examples),
		cmocka_unit_test(vendor_lines),
		cmocka_unit_test(rt_forms),
		cmocka_unit_test(repeated_and_reserved_keys),
		cmocka_unit_test(refused_lines),
		cmocka_unit_test(output_limits),
		cmocka_unit_test(feed_keeps_good_lines_around_a_bad_one),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
