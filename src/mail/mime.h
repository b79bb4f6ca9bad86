/*
 * mime.h - an Internet message (RFC 5322 with MIME, RFC 2045-2049) read
 * into what a ticket needs: who sent it, its subject, its thread, its text
 * and its attachments.
 *
 * Everything comes out as UTF-8: header encoded-words (RFC 2047, B and Q,
 * RFC 2231 parameters) and bodies in the charsets mail from China arrives in
 * (GB18030, GBK, GB2312, Big5, ISO-8859-*, Windows-125*, UTF-8, US-ASCII)
 * are converted with iconv. A message is read whole or refused: any fault
 * (broken MIME structure, a charset iconv does not know, bytes invalid in
 * their declared charset, an attachment or part over the limits) fails the
 * call with VG_EINVAL or VG_ETOOBIG (VG_ENOMEM when memory runs out) and a
 * message naming what and where ("part 2.1: unknown charset \"x-foo\"",
 * "line 14: header without a colon"), and nothing is returned. Where is
 * "line N" (of the whole message) for header syntax, "message" for the
 * message's own MIME headers and structure, "part 2.1" (IMAP's part
 * numbers) for a part, followed by the header field when one is at fault
 * ("Subject: neither UTF-8 nor GB18030 text").
 *
 * Header bytes outside encoded-words are read as UTF-8 when they are, else
 * as GB18030 (Chinese clients send raw GBK subjects). A body without a
 * charset parameter is US-ASCII, or UTF-8 when its bytes are. Text holding
 * a NUL character is refused: every string out is a C string.
 */
#ifndef VG_MAIL_MIME_H
#define VG_MAIL_MIME_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

/* Multipart nesting is never read deeper than this, whatever
 * vg_mime_limits.max_depth says: the parts are read recursively. */
#define VG_MIME_DEPTH_MAX 32

typedef struct vg_mime_limits {
	size_t max_attachment; /* bytes of one decoded attachment */
	size_t max_parts;      /* MIME entities in all: the message itself, each
				* part, nested multiparts and their parts */
	int max_depth;         /* multipart nesting: 1 for a multipart message,
				* 2 when one of its parts is a multipart, ...;
				* 0 refuses multiparts (at most VG_MIME_DEPTH_MAX) */
} vg_mime_limits;

typedef struct vg_mime_attachment {
	char *filename;     /* UTF-8, path separators and controls replaced by '_',
			     * "." and ".." by "_" and "__", at most 255 bytes
			     * (cut on a character boundary); from the
			     * Content-Disposition filename, else the Content-Type
			     * name; "attachment" (a message/rfc822 part:
			     * "message.eml") when there is none */
	char *content_type; /* lowercased "type/subtype", no parameters */
	unsigned char *data; /* the decoded bytes, never NULL; a message/rfc822
			      * part is kept whole, not read */
	size_t len;
} vg_mime_attachment;

typedef struct vg_mime_message {
	char *from_address;  /* lowercased addr-spec of From: "a@b.example" */
	char *from_name;     /* display name, UTF-8, may be "" */
	char *subject;       /* UTF-8, unfolded, "" when absent */
	char *message_id;    /* without angle brackets, "" when absent */
	char *in_reply_to;   /* first msg-id of In-Reply-To, no brackets, or "" */
	char **references;   /* msg-ids of References, in order, no brackets */
	size_t nreferences;
	int64_t date;        /* Date: as Unix seconds, 0 when absent or unreadable
			      * (RFC 5322 with its obsolete forms: two-digit years,
			      * zones UT, GMT, EST ... PDT; military letters and
			      * no zone are -0000; other zone names unreadable) */
	char *text;          /* the body as text: the first text/plain part that
			      * is not an attachment, CRLF made LF; else the first
			      * such text/html part's text with script and style
			      * dropped, tags removed (<br>, <p>, </div> and other
			      * blocks made line breaks, white space runs one space)
			      * and entities decoded (&nbsp; as a space); else "" */
	vg_mime_attachment *attachments; /* in message order: every leaf part
					  * that is not text/plain or text/html,
					  * and those with a Content-Disposition
					  * other than inline (RFC 2183 reads
					  * unknown ones as attachment) */
	size_t nattachments;
} vg_mime_message;

/* Reads the raw message raw[0..len) (CRLF or LF line ends; not
 * NUL-terminated) into *out, which vg_mime_free releases. On failure *out
 * is all zero. limits must not be NULL. */
int vg_mime_parse(const char *raw, size_t len, const vg_mime_limits *limits,
		  vg_mime_message *out, vg_error *err);

void vg_mime_free(vg_mime_message *m);

/* Converts in[0..len) from charset (a MIME charset name, any case) to
 * UTF-8 into a new NUL-terminated string *out (free() it; NULL on
 * failure): VG_EINVAL "unknown charset \"x\"" for a name iconv does not
 * know or that is not a MIME token (so no "//IGNORE"), "byte N is not
 * valid x" for bytes invalid in it, "text ends inside a x character",
 * "text holds a NUL character"; VG_ENOMEM. GB2312 and GBK are read as
 * GB18030, their superset as senders use them; US-ASCII as UTF-8. */
int vg_charset_to_utf8(const char *charset, const char *in, size_t len, char **out,
		       vg_error *err);

#endif
