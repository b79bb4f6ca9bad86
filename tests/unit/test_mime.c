/*
 * test_mime.c - Internet messages into vg_mime_message (vg_mime_parse):
 * exact output for a plain ASCII mail; GB18030 and GBK bodies and
 * headers (encoded-words and raw bytes) as mail from China arrives;
 * Q-encoding; multiparts with attachments and RFC 2231 names; HTML-only
 * mail; threading headers; dates; and the messages that are refused,
 * with their exact errors and nothing returned.
 *
 * Every message is parsed from a buffer of exactly its length, so reading
 * past the end shows up under AddressSanitizer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mail/mime.h"

static const vg_mime_limits limits = {1 << 20, 64, 8};

/* Parses raw (len bytes) under lim, from a copy of exactly that size. */
static int parse_n(const char *raw, size_t len, const vg_mime_limits *lim, vg_mime_message *m,
		   vg_error *err)
{
	char *copy = malloc(len ? len : 1);
	int rc;

	assert_non_null(copy);
	memcpy(copy, raw, len);
	rc = vg_mime_parse(copy, len, lim, m, err);
	free(copy);
	return rc;
}

static void parse_ok(const char *raw, vg_mime_message *m)
{
	vg_error err = {0};
	int rc = parse_n(raw, strlen(raw), &limits, m, &err);

	if (rc != VG_OK)
		fail_msg("refused (%d): %s", rc, err.msg);
}

/* The message is refused with code and exactly msg, and nothing comes out. */
static void refused(const char *raw, const vg_mime_limits *lim, int code, const char *msg)
{
	static const vg_mime_message zero;
	vg_mime_message m;
	vg_error err = {0};

	memset(&m, 0x5a, sizeof(m));
	assert_int_equal(parse_n(raw, strlen(raw), lim, &m, &err), code);
	assert_string_equal(err.msg, msg);
	assert_memory_equal(&m, &zero, sizeof(m));
}

static void plain_ascii(void **state)
{
	vg_mime_message m;

	(void)state;
	parse_ok("Return-Path: <alice@example.com>\r\n"
		 "From: \"Alice Example\" <Alice@Example.COM>\r\n"
		 "To: soc@vigil.example\r\n"
		 "Subject: Web server\r\n"
		 "  down again\r\n"
		 "Date: Tue, 1 Dec 2026 10:00:00 +0800\r\n"
		 "Message-ID: <abc123@mail.example.com>\r\n"
		 "\r\n"
		 "The web server is down.\r\n"
		 "Please look.\r\n",
		 &m);
	assert_string_equal(m.from_address, "alice@example.com");
	assert_string_equal(m.from_name, "Alice Example");
	assert_string_equal(m.subject, "Web server  down again");
	assert_string_equal(m.message_id, "abc123@mail.example.com");
	assert_string_equal(m.in_reply_to, "");
	assert_int_equal(m.nreferences, 0);
	assert_int_equal(m.date, 1796090400); /* 2026-12-01T02:00:00Z */
	assert_string_equal(m.text, "The web server is down.\nPlease look.\n");
	assert_int_equal(m.nattachments, 0);
	vg_mime_free(&m);

	/* LF line ends, no body at all, an old-style address. */
	parse_ok("From: bob@example.net (Bob Smith)\nSubject: hi", &m);
	assert_string_equal(m.from_address, "bob@example.net");
	assert_string_equal(m.from_name, "Bob Smith");
	assert_string_equal(m.subject, "hi");
	assert_string_equal(m.text, "");
	assert_int_equal(m.date, 0);
	vg_mime_free(&m);

	parse_ok("From: Carol <carol@example.org>\n\nhello", &m);
	assert_string_equal(m.from_address, "carol@example.org");
	assert_string_equal(m.from_name, "Carol");
	assert_string_equal(m.subject, "");
	assert_string_equal(m.message_id, "");
	assert_string_equal(m.text, "hello");
	vg_mime_free(&m);
}

static void chinese_charsets(void **state)
{
	vg_mime_message m;

	(void)state;
	/* A GBK encoded-word subject ("测试") and a GB18030 body ("测试邮件"
	 * and U+1F600, four bytes in GB18030). */
	parse_ok("From: =?GB2312?B?1cXI/Q==?= <zhangsan@example.cn>\r\n"
		 "Subject: =?GBK?B?suLK1A==?=\r\n"
		 "MIME-Version: 1.0\r\n"
		 "Content-Type: text/plain; charset=\"GB18030\"\r\n"
		 "Content-Transfer-Encoding: 8bit\r\n"
		 "\r\n"
		 "\xb2\xe2\xca\xd4\xd3\xca\xbc\xfe \x94\x39\xfc\x36\r\n",
		 &m);
	assert_string_equal(m.subject, "\xe6\xb5\x8b\xe8\xaf\x95");
	assert_string_equal(m.from_name, "\xe5\xbc\xa0\xe4\xb8\x89"); /* 张三 */
	assert_string_equal(m.from_address, "zhangsan@example.cn");
	assert_string_equal(m.text, "\xe6\xb5\x8b\xe8\xaf\x95\xe9\x82\xae\xe4\xbb\xb6 "
				    "\xf0\x9f\x98\x80\n");
	vg_mime_free(&m);

	/* GB2312 declared, GBK meant: 镕 (E9 46) is not in GB2312. */
	parse_ok("Subject: =?gb2312?B?6UY=?=\r\n\r\n", &m);
	assert_string_equal(m.subject, "\xe9\x95\x95");
	vg_mime_free(&m);

	/* Raw GBK bytes in a header, and raw UTF-8 bytes. */
	parse_ok("Subject: Re: \xb2\xe2\xca\xd4\r\nFrom: \xe5\xbc\xa0\xe4\xb8\x89 <a@b.cn>\r\n\r\n",
		 &m);
	assert_string_equal(m.subject, "Re: \xe6\xb5\x8b\xe8\xaf\x95");
	assert_string_equal(m.from_name, "\xe5\xbc\xa0\xe4\xb8\x89");
	vg_mime_free(&m);

	/* No charset: UTF-8 bytes are taken as UTF-8. */
	parse_ok("Subject: x\r\n\r\ncaf\xc3\xa9", &m);
	assert_string_equal(m.text, "caf\xc3\xa9");
	vg_mime_free(&m);
}

static void encoded_words(void **state)
{
	static const struct {
		const char *subject, *want;
	} cases[] = {
	    {"=?UTF-8?Q?Re:_caf=C3=A9_au_lait?=", "Re: caf\xc3\xa9 au lait"},
	    {"=?utf-8?q?a_b?= =?utf-8?q?_c?=", "a b c"}, /* joined, space dropped */
	    {"=?utf-8?B?5rWL?=\r\n =?utf-8?B?6K+V?=", "\xe6\xb5\x8b\xe8\xaf\x95"},
	    /* A character split across two words. */
	    {"=?utf-8?Q?=E6=B5?= =?utf-8?Q?=8B?=", "\xe6\xb5\x8b"},
	    {"[SOC] =?iso-8859-1?q?Gr=FC=DFe?= from Bob", "[SOC] Gr\xc3\xbc\xc3\x9f"
							  "e from Bob"},
	    {"=?utf-8*en?Q?lang?=", "lang"},
	    {"not =?an encoded word", "not =?an encoded word"},
	    {"=?x?Z?bad?= stays", "=?x?Z?bad?= stays"},
	    {"=?UTF-8?B?5rWL6K+V?=", "\xe6\xb5\x8b\xe8\xaf\x95"},
	    {"=?UTF-8?B?5rWL6K+V?=", "\xe6\xb5\x8b\xe8\xaf\x95"},
	    {"=?UTF-8?B?YQ?=", "a"}, /* padding left off */
	};
	char raw[512];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		vg_mime_message m;

		snprintf(raw, sizeof(raw), "Subject: %s\r\n\r\n", cases[i].subject);
		parse_ok(raw, &m);
		if (strcmp(m.subject, cases[i].want) != 0)
			fail_msg("subject: %s\n got: %s\nwant: %s", cases[i].subject, m.subject,
				 cases[i].want);
		vg_mime_free(&m);
	}
}

static const unsigned char png[] = {0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a,
				    0,	  0,	0,    0x0d, 0x49, 0x48, 0x44, 0x52};

static void multipart_mixed(void **state)
{
	vg_mime_message m;

	(void)state;
	parse_ok("From: a@b.example\r\n"
		 "Subject: report\r\n"
		 "MIME-Version: 1.0\r\n"
		 "Content-Type: multipart/mixed;\r\n"
		 " boundary=\"----=_Part_0_123.456\"\r\n"
		 "\r\n"
		 "This is a multi-part message in MIME format.\r\n"
		 "------=_Part_0_123.456\r\n"
		 "Content-Type: text/plain; charset=utf-8\r\n"
		 "Content-Transfer-Encoding: quoted-printable\r\n"
		 "\r\n"
		 "See the attached caf=C3=A9 chart, it is a long line that is =\r\n"
		 "broken softly.   \r\n"
		 "------=_Part_0_123.456\r\n"
		 "Content-Type: image/png; name=\"fallback.png\"\r\n"
		 "Content-Transfer-Encoding: base64\r\n"
		 "Content-Disposition: attachment;\r\n"
		 " filename*=UTF-8''%E6%8A%A5%E5%91%8A.png\r\n"
		 "\r\n"
		 "iVBORw0KGgoA\r\n"
		 "AAANSUhEUg==\r\n"
		 "------=_Part_0_123.456\r\n"
		 "Content-Type: application/octet-stream\r\n"
		 "Content-Disposition: attachment; filename*0*=utf-8''%E4%B8%AD;\r\n"
		 " filename*1*=%E6%96%87; filename*2=\".txt\"\r\n"
		 "\r\n"
		 "abc\r\n"
		 "------=_Part_0_123.456--\r\n"
		 "epilogue\r\n",
		 &m);
	assert_string_equal(m.text, "See the attached caf\xc3\xa9 chart, it is a long line that is "
				    "broken softly.");
	assert_int_equal(m.nattachments, 2);
	assert_string_equal(m.attachments[0].filename, "\xe6\x8a\xa5\xe5\x91\x8a.png"); /* 报告 */
	assert_string_equal(m.attachments[0].content_type, "image/png");
	assert_int_equal(m.attachments[0].len, sizeof(png));
	assert_memory_equal(m.attachments[0].data, png, sizeof(png));
	assert_string_equal(m.attachments[1].filename, "\xe4\xb8\xad\xe6\x96\x87.txt"); /* 中文 */
	assert_string_equal(m.attachments[1].content_type, "application/octet-stream");
	assert_int_equal(m.attachments[1].len, 3);
	assert_memory_equal(m.attachments[1].data, "abc", 3);
	vg_mime_free(&m);
}

static void html_only(void **state)
{
	vg_mime_message m;

	(void)state;
	parse_ok(
	    "Content-Type: multipart/alternative; boundary=alt\r\n"
	    "\r\n"
	    "--alt\r\n"
	    "Content-Type: text/html; charset=utf-8\r\n"
	    "\r\n"
	    "<html><head><style>p { color: red }</style></head>\r\n"
	    "<body><p>Hello &amp;\r\n   welcome</p><p>Line1<br>Line2</p>"
	    "<script type=\"text/javascript\">alert('<p>x</p>')</script>"
	    "<div>A &lt;b&gt; &#20013;&#x6587;&nbsp;x</div><!-- <p>gone</p> --></body></html>\r\n"
	    "--alt--\r\n",
	    &m);
	assert_string_equal(m.text,
			    "Hello & welcome\n\nLine1\nLine2\n\nA <b> \xe4\xb8\xad\xe6\x96\x87 x");
	assert_int_equal(m.nattachments, 0);
	vg_mime_free(&m);
}

static void nested(void **state)
{
	vg_mime_message m;

	(void)state;
	parse_ok("Content-Type: multipart/mixed; boundary=outer\r\n"
		 "\r\n"
		 "--outer\r\n"
		 "Content-Type: multipart/alternative; boundary=\"inner\"\r\n"
		 "\r\n"
		 "--inner\r\n"
		 "Content-Type: text/plain\r\n"
		 "\r\n"
		 "plain text\r\n"
		 "--inner\r\n"
		 "Content-Type: text/html\r\n"
		 "\r\n"
		 "<p>html text</p>\r\n"
		 "--inner--\r\n"
		 "--outer\r\n"
		 "Content-Type: application/pdf; name=\"=?utf-8?B?5oql5ZGK?=.pdf\"\r\n"
		 "Content-Transfer-Encoding: BASE64\r\n"
		 "\r\n"
		 "JVBERi0xLjQgdGVzdA==\r\n"
		 "--outer\r\n"
		 "Content-Type: message/rfc822\r\n"
		 "\r\n"
		 "Subject: forwarded\r\n"
		 "\r\n"
		 "inner body\r\n"
		 "--outer\r\n"
		 "Content-Type: text/plain\r\n"
		 "Content-Disposition: attachment; filename=\"../../etc/pass\\\\wd\"\r\n"
		 "\r\n"
		 "root:x:0:0\r\n"
		 "--outer--\r\n",
		 &m);
	assert_string_equal(m.text, "plain text");
	assert_int_equal(m.nattachments, 3);
	assert_string_equal(m.attachments[0].filename, "\xe6\x8a\xa5\xe5\x91\x8a.pdf");
	assert_string_equal(m.attachments[0].content_type, "application/pdf");
	assert_int_equal(m.attachments[0].len, 13);
	assert_memory_equal(m.attachments[0].data, "%PDF-1.4 test", 13);
	assert_string_equal(m.attachments[1].filename, "message.eml");
	assert_string_equal(m.attachments[1].content_type, "message/rfc822");
	assert_int_equal(m.attachments[1].len, 32);
	assert_memory_equal(m.attachments[1].data, "Subject: forwarded\r\n\r\ninner body", 32);
	assert_string_equal(m.attachments[2].filename, ".._.._etc_pass_wd");
	assert_string_equal(m.attachments[2].content_type, "text/plain");
	assert_memory_equal(m.attachments[2].data, "root:x:0:0", 10);
	vg_mime_free(&m);
}

static void filenames(void **state)
{
	char raw[1024], name[301];
	vg_mime_message m;

	(void)state;
	/* 100 three-byte characters: cut to 85 of them (255 bytes). */
	for (int i = 0; i < 100; i++)
		memcpy(name + 3 * i, "\xe4\xb8\xad", 3);
	name[300] = '\0';
	snprintf(raw, sizeof(raw),
		 "Content-Type: application/zip; name=\"%s\"\r\n\r\n"
		 "PK",
		 name);
	parse_ok(raw, &m);
	assert_int_equal(strlen(m.attachments[0].filename), 255);
	assert_memory_equal(m.attachments[0].filename, name, 255);
	vg_mime_free(&m);

	parse_ok("Content-Type: image/gif\r\nContent-Disposition: inline; filename=\"..\"\r\n\r\n",
		 &m);
	assert_string_equal(m.attachments[0].filename, "__");
	assert_int_equal(m.attachments[0].len, 0);
	assert_non_null(m.attachments[0].data);
	vg_mime_free(&m);

	parse_ok("Content-Type: image/gif\r\n\r\nGIF", &m);
	assert_string_equal(m.attachments[0].filename, "attachment");
	vg_mime_free(&m);

	parse_ok("Content-Type: image/gif; name==?utf-8?Q?a=09b=2Fc?=\r\n\r\nGIF", &m);
	assert_string_equal(m.attachments[0].filename, "a_b_c");
	vg_mime_free(&m);
}

static void threading(void **state)
{
	vg_mime_message m;

	(void)state;
	parse_ok("Message-ID: <reply.2@mail.example.com> (added by relay)\r\n"
		 "In-Reply-To: <orig.1@mail.example.com> <other@x.example>\r\n"
		 "References: <root.0@mail.example.com>\r\n"
		 "\t<orig.1@mail.example.com>\r\n"
		 " <broken\r\n"
		 "  .id@x.example>\r\n"
		 "\r\n",
		 &m);
	assert_string_equal(m.message_id, "reply.2@mail.example.com");
	assert_string_equal(m.in_reply_to, "orig.1@mail.example.com");
	assert_int_equal(m.nreferences, 3);
	assert_string_equal(m.references[0], "root.0@mail.example.com");
	assert_string_equal(m.references[1], "orig.1@mail.example.com");
	assert_string_equal(m.references[2], "broken.id@x.example");
	vg_mime_free(&m);

	/* Without brackets, as some clients write them. */
	parse_ok("Message-ID: bare@id\r\nReferences: a@x b@y\r\n\r\n", &m);
	assert_string_equal(m.message_id, "bare@id");
	assert_int_equal(m.nreferences, 2);
	assert_string_equal(m.references[1], "b@y");
	vg_mime_free(&m);
}

static void dates(void **state)
{
	static const struct {
		const char *date;
		int64_t want;
	} cases[] = {
	    {"Tue, 1 Dec 2026 10:00:00 +0800", 1796090400},
	    {"Tue, 01 Dec 2026 02:00:00 GMT", 1796090400},
	    {"1 Dec 2026 02:00 UT", 1796090400},
	    {"Mon, 30 Nov 2026 21:00:00 EST", 1796090400},
	    {"Mon, 30 Nov 2026 18:00:00 PST", 1796090400},
	    {"Tue, 1 Dec 26 10:00:00 +0800 (CST)", 1796090400},
	    {"Tue,  1 Dec 2026 02:00:00 -0000", 1796090400},
	    {"tue, 1 DEC 2026 01:30:00 -0030", 1796090400},
	    {"Thu, 1 Jan 1970 00:00:00 Z", 0},
	    {"Fri, 13 Feb 2009 23:31:30 +0000", 1234567890},
	    {"Sat, 31 Feb 2026 10:00:00 +0000", 0},
	    {"yesterday", 0},
	    {"Tue, 1 Dec 2026 25:00:00 +0800", 0},
	    {"Tue, 1 Dec 2026 10:00:00 +08", 0},
	    {"Tue, 1 Dec 2026 10:00:00 CEST", 0},
	};
	char raw[256];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		vg_mime_message m;

		snprintf(raw, sizeof(raw), "Date: %s\r\n\r\n", cases[i].date);
		parse_ok(raw, &m);
		if (m.date != cases[i].want)
			fail_msg("Date: %s\n got: %lld\nwant: %lld", cases[i].date,
				 (long long)m.date, (long long)cases[i].want);
		vg_mime_free(&m);
	}
}

static void refusals(void **state)
{
	const vg_mime_limits small = {16, 3, 2};

	(void)state;
	refused("Content-Type: text/plain; charset=x-foo\r\n\r\nhi", &limits, VG_EINVAL,
		"message: unknown charset \"x-foo\"");
	refused("Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
		"Content-Type: text/plain; charset=\"x-foo\"\r\n\r\nhi\r\n--b--\r\n",
		&limits, VG_EINVAL, "part 1: unknown charset \"x-foo\"");
	refused("Subject: =?x-foo?Q?hi?=\r\n\r\n", &limits, VG_EINVAL,
		"Subject: unknown charset \"x-foo\"");
	refused("Content-Type: text/plain; charset=utf-8\r\n\r\nab\xff", &limits, VG_EINVAL,
		"message: byte 3 is not valid utf-8");
	refused("Subject: \xff\xfe\r\n\r\n", &limits, VG_EINVAL,
		"Subject: neither UTF-8 nor GB18030 text");
	refused("From: a@b\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\ntext\r\n",
		&limits, VG_EINVAL, "message: multipart/mixed without its closing boundary");
	refused("Content-Type: multipart/mixed; boundary=a\r\n\r\n"
		"--a\r\n\r\none\r\n"
		"--a\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\ntwo\r\n"
		"--a--\r\n",
		&limits, VG_EINVAL, "part 2: multipart/mixed without its closing boundary");
	refused("Content-Type: multipart/mixed\r\n\r\n--b\r\n\r\ntext\r\n--b--\r\n", &limits,
		VG_EINVAL, "message: multipart/mixed without a boundary parameter");
	refused("Content-Type: multipart/related; boundary=b\r\n\r\ntext\r\n", &limits, VG_EINVAL,
		"message: multipart/related whose boundary never appears");
	refused("Content-Type: multipart/mixed; boundary=b\r\n"
		"\r\n"
		"--b\r\n"
		"\r\n"
		"text\r\n"
		"--b\r\n"
		"Content-Type: image/png\r\n"
		"Content-Transfer-Encoding: base64\r\n"
		"\r\n"
		"iVBORw0KGgoA\r\n"
		"AAAN!UhEUg==\r\n"
		"--b--\r\n",
		&limits, VG_EINVAL, "part 2: line 11 is not base64");
	refused("Content-Type: multipart/mixed; boundary=b\r\n"
		"\r\n"
		"--b\r\n"
		"\r\n"
		"text\r\n"
		"--b\r\n"
		"Content-Type: application/zip; name=big.zip\r\n"
		"\r\n"
		"01234567890123456789\r\n"
		"--b--\r\n",
		&small, VG_ETOOBIG,
		"part 2: attachment \"big.zip\" is 20 bytes, over the limit of 16");
	refused("From: a@b\r\nSubject the colon is missing\r\n\r\nbody\r\n", &limits, VG_EINVAL,
		"line 2: header without a colon");
	refused("Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
		"Content-Type: text/plain\r\nnot a header\r\n\r\ntext\r\n--b--\r\n",
		&limits, VG_EINVAL, "line 5: header without a colon");
	refused("Content-Type: multipart/mixed; boundary=a\r\n\r\n"
		"--a\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
		"--b\r\nContent-Type: multipart/mixed; boundary=c\r\n\r\n"
		"--c\r\n\r\ndeep\r\n--c--\r\n--b--\r\n--a--\r\n",
		&small, VG_EINVAL, "part 1.1: multiparts nested more than 2 deep");
	refused("Content-Type: multipart/mixed; boundary=b\r\n\r\n"
		"--b\r\n\r\n1\r\n--b\r\n\r\n2\r\n--b\r\n\r\n3\r\n--b--\r\n",
		&small, VG_EINVAL, "part 3: more than 3 parts");
	refused("Content-Transfer-Encoding: x-uuencode\r\n\r\nbegin 644 a\r\n", &limits, VG_EINVAL,
		"message: unknown Content-Transfer-Encoding \"x-uuencode\"");
	refused("Content-Type: text/plain; charset=utf-8\r\n"
		"Content-Transfer-Encoding: quoted-printable\r\n\r\na=00b",
		&limits, VG_EINVAL, "message: text holds a NUL character");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(plain_ascii),   cmocka_unit_test(chinese_charsets),
	    cmocka_unit_test(encoded_words), cmocka_unit_test(multipart_mixed),
	    cmocka_unit_test(html_only),     cmocka_unit_test(nested),
	    cmocka_unit_test(filenames),     cmocka_unit_test(threading),
	    cmocka_unit_test(dates),	     cmocka_unit_test(refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
