/*
 * test_attachments.c - what a ticket attachment must be, on the shipped
 * list (content/attachments.yaml): file names, declared types and their
 * aliases and charsets, sizes, executables refused whatever is declared,
 * magic for binary types and the text rules, and the Content-Type each
 * kept type is served with.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "itsm/attachments.h"

#define PNG "\x89PNG\r\n\x1a\n\0\0\0\rIHDR"

/* vg_attachment_check on n bytes; the message (or "ok TYPE") into msg. */
static int check(const char *name, const char *type, const char *data, size_t n, int64_t max,
		 char msg[VG_ERROR_MSG_MAX])
{
	char kept[VG_ATTACHMENT_TYPE_MAX + 1];
	vg_error err = { 0 };
	int rc = vg_attachment_check(name, type, data, n, max, kept, &err);

	if (rc == VG_OK)
		snprintf(msg, VG_ERROR_MSG_MAX, "ok %s", kept);
	else
		snprintf(msg, VG_ERROR_MSG_MAX, "%s", err.msg);
	return rc;
}

#define ok(name, type, lit, want)                                                                  \
	do {                                                                                       \
		char m_[VG_ERROR_MSG_MAX];                                                         \
		assert_int_equal(check(name, type, lit, sizeof(lit) - 1, 0, m_), VG_OK);           \
		assert_string_equal(m_, "ok " want);                                               \
	} while (0)

#define refused(name, type, lit, code, want)                                                       \
	do {                                                                                       \
		char m_[VG_ERROR_MSG_MAX];                                                         \
		assert_int_equal(check(name, type, lit, sizeof(lit) - 1, 0, m_), code);            \
		assert_string_equal(m_, want);                                                     \
	} while (0)

static void the_shipped_list_reads(void **state)
{
	vg_error err = { 0 };

	(void)state;
	assert_int_equal(vg_attachment_types_check(&err), VG_OK);
}

static void binary_types_by_their_magic(void **state)
{
	(void)state;
	ok("shot.png", "image/png", PNG, "image/png");
	ok("photo.jpg", "image/jpeg", "\xff\xd8\xff\xe0\0\x10JFIF", "image/jpeg");
	ok("a.gif", "image/gif", "GIF89a\x01\0", "image/gif");
	ok("report.pdf", "application/pdf", "%PDF-1.7\n", "application/pdf");
	ok("logs.gz", "application/gzip", "\x1f\x8b\x08\0", "application/gzip");
	ok("c.7z", "application/x-7z-compressed", "7z\xbc\xaf\x27\x1c\0\x04",
	   "application/x-7z-compressed");
	ok("plan.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	   "PK\x03\x04\x14\0",
	   "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
	ok("empty.zip", "application/zip", "PK\x05\x06\0\0", "application/zip");
	/* pcap both ways round and with nanosecond stamps, and pcapng. */
	ok("a.pcap", "application/vnd.tcpdump.pcap", "\xd4\xc3\xb2\xa1\x02\0\x04\0",
	   "application/vnd.tcpdump.pcap");
	ok("b.pcap", "application/vnd.tcpdump.pcap", "\xa1\xb2\xc3\xd4\0\x02",
	   "application/vnd.tcpdump.pcap");
	ok("c.pcap", "application/vnd.tcpdump.pcap", "\x4d\x3c\xb2\xa1\x02\0",
	   "application/vnd.tcpdump.pcap");
	ok("d.pcapng", "application/vnd.tcpdump.pcap", "\x0a\x0d\x0d\x0a\x1c\0\0\0",
	   "application/vnd.tcpdump.pcap");
	ok("e.pcapng", "application/x-pcapng", "\x0a\x0d\x0d\x0a\x1c\0\0\0",
	   "application/x-pcapng");
	refused("shot.png", "image/png", "\xff\xd8\xff\xe0", VG_EINVAL,
		"the file is declared image/png but does not start like a PNG");
	refused("x.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		"%PDF-1.4", VG_EINVAL,
		"the file is declared application/vnd.openxmlformats-officedocument.spreadsheetml."
		"sheet but does not start like an Excel workbook (a ZIP archive)");
	/* Shorter than the signature. */
	refused("t.png", "image/png", "\x89PN", VG_EINVAL,
		"the file is declared image/png but does not start like a PNG");
}

static void declared_types(void **state)
{
	(void)state;
	/* Case, parameters and white space do not matter; aliases are kept as
	 * their type. */
	ok("shot.png", " Image/PNG ; name=x", PNG, "image/png");
	ok("a.jpg", "image/pjpeg", "\xff\xd8\xff\xdb", "image/jpeg");
	ok("a.zip", "application/x-zip-compressed", "PK\x03\x04", "application/zip");
	ok("a.log", "text/x-log", "Mar 29 sshd[1]: ok\n", "text/plain");
	refused("a.exe", "application/x-msdownload", "hello", VG_EINVAL,
		"content type application/x-msdownload is not taken for attachments (see "
		"content/attachments.yaml)");
	refused("a.bin", "application/octet-stream", "hello", VG_EINVAL,
		"content type application/octet-stream is not taken for attachments (see "
		"content/attachments.yaml)");
	refused("a.html", "text/html", "<p>hi</p>", VG_EINVAL,
		"content type text/html is not taken for attachments (see "
		"content/attachments.yaml)");
	refused("a", "image", PNG, VG_EINVAL,
		"content type must be a media type such as image/png");
	refused("a", "image/png png", PNG, VG_EINVAL,
		"content type must be a media type such as image/png");
	refused("a", "", PNG, VG_EINVAL,
		"the file's content type must be named (image/png, text/plain, ...)");
	refused("a", NULL, PNG, VG_EINVAL,
		"the file's content type must be named (image/png, text/plain, ...)");
	/* Text is UTF-8 (or ASCII, a part of it). */
	ok("a.txt", "text/plain; charset=UTF-8", "hi\n", "text/plain");
	ok("a.txt", "text/plain;charset=\"us-ascii\"", "hi\n", "text/plain");
	refused("a.txt", "text/plain; charset=iso-8859-1", "hi\n", VG_EINVAL,
		"the file is declared text/plain in charset iso-8859-1; text is taken as "
		"UTF-8 only");
}

static void text_types(void **state)
{
	(void)state;
	ok("auth.log", "text/plain", "Mar 29 14:15:00 host sshd[2414]: Failed password\n",
	   "text/plain");
	ok("ioc.csv", "text/csv", "type,value\r\nip,203.0.113.66\r\n", "text/csv");
	ok("alert.json", "application/json", "{\"名前\": \"告警\"}", "application/json");
	ok("bom.txt", "text/plain", "\xef\xbb\xbfhello", "text/plain");
	refused("a.txt", "text/plain", "caf\xe9\n", VG_EINVAL,
		"the file is declared text/plain but is not UTF-8 text (at byte 3)");
	refused("a.csv", "text/csv", "a,b\n\0c", VG_EINVAL,
		"the file is declared text/csv but holds a NUL byte (at byte 4)");
	/* A mail carries 8-bit text in its own charset; a NUL it does not. */
	ok("phish.eml", "message/rfc822", "From: a@example.com\r\nSubject: caf\xe9\r\n\r\nx",
	   "message/rfc822");
	refused("phish.eml", "message/rfc822", "From: a\r\n\r\n\0", VG_EINVAL,
		"the file is declared message/rfc822 but holds a NUL byte (at byte 11)");
}

static void executables_whatever_is_declared(void **state)
{
	(void)state;
	refused("notes.txt", "text/plain", "MZ\x90\0\x03", VG_EINVAL,
		"the file is a Windows executable (MZ); executables are not taken as attachments");
	refused("notes.txt", "text/plain", "MZ is what it starts with", VG_EINVAL,
		"the file is a Windows executable (MZ); executables are not taken as attachments");
	refused("x.png", "image/png",
		"\x7f"
		"ELF\x02\x01\x01",
		VG_EINVAL,
		"the file is an ELF executable; executables are not taken as attachments");
	refused("x.pdf", "application/pdf", "\xcf\xfa\xed\xfe\x07", VG_EINVAL,
		"the file is a Mach-O executable; executables are not taken as attachments");
	refused("run.txt", "text/plain", "#!/bin/sh\nrm -rf /\n", VG_EINVAL,
		"the file is a script (#!); executables are not taken as attachments");
}

static void sizes(void **state)
{
	char m[VG_ERROR_MSG_MAX];

	(void)state;
	refused("a.txt", "text/plain", "", VG_EINVAL, "the file is empty");
	assert_int_equal(check("a.txt", "text/plain", "12345", 5, 5, m), VG_OK);
	assert_int_equal(check("a.txt", "text/plain", "123456", 6, 5, m), VG_ETOOBIG);
	assert_string_equal(m, "the file is larger than 5 bytes (attachments.max_bytes)");
}

static void file_names(void **state)
{
	char name[300];

	(void)state;
	ok("Screenshot 2026-03-29 at 14.15.png", "image/png", PNG, "image/png");
	ok("告警截图.png", "image/png", PNG, "image/png");
	ok(".hidden.txt", "text/plain", "x", "text/plain");
	refused("", "text/plain", "x", VG_EINVAL, "filename must not be empty");
	refused(NULL, "text/plain", "x", VG_EINVAL, "filename must not be empty");
	refused("../../etc/passwd", "text/plain", "x", VG_EINVAL,
		"filename must be a name without a path (no / or \\)");
	refused("C:\\fakepath\\a.txt", "text/plain", "x", VG_EINVAL,
		"filename must be a name without a path (no / or \\)");
	refused("..", "text/plain", "x", VG_EINVAL, "filename must not be . or ..");
	refused("a\tb.txt", "text/plain", "x", VG_EINVAL,
		"filename must not hold control or bidirectional-override characters");
	refused("a\xc2\x85.txt", "text/plain", "x", VG_EINVAL,
		"filename must not hold control or bidirectional-override characters");
	/* U+202E RIGHT-TO-LEFT OVERRIDE: "invoice\u202Egpj.exe" shows as
	 * "invoiceexe.jpg". */
	refused("invoice\xe2\x80\xaegpj.txt", "text/plain", "x", VG_EINVAL,
		"filename must not hold control or bidirectional-override characters");
	refused("a\xff.txt", "text/plain", "x", VG_EINVAL, "filename must be UTF-8 text");
	memset(name, 'a', 255);
	name[255] = '\0';
	ok(name, "text/plain", "x", "text/plain");
	name[255] = 'a';
	name[256] = '\0';
	refused(name, "text/plain", "x", VG_EINVAL, "filename is longer than 255 bytes");
}

static void served_types(void **state)
{
	(void)state;
	assert_string_equal(vg_attachment_served_type("image/png"), "image/png");
	assert_string_equal(vg_attachment_served_type("text/plain"), "text/plain; charset=utf-8");
	assert_string_equal(vg_attachment_served_type("text/csv"), "text/csv; charset=utf-8");
	assert_string_equal(vg_attachment_served_type("message/rfc822"), "message/rfc822");
	/* Off the list (taken off since it was kept): served as bytes. */
	assert_string_equal(vg_attachment_served_type("text/html"), "application/octet-stream");
	assert_string_equal(vg_attachment_served_type(NULL), "application/octet-stream");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(the_shipped_list_reads),
	    cmocka_unit_test(binary_types_by_their_magic),
	    cmocka_unit_test(declared_types),
	    cmocka_unit_test(text_types),
	    cmocka_unit_test(executables_whatever_is_declared),
	    cmocka_unit_test(sizes),
	    cmocka_unit_test(file_names),
	    cmocka_unit_test(served_types),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
