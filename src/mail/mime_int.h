/*
 * mime_int.h - what the MIME reader's two halves share, private to
 * src/mail: header.c reads header blocks and header field values
 * (RFC 5322, RFC 2047 encoded-words, addresses, msg-ids, dates), mime.c
 * the MIME structure and bodies on top of them (see mime.h).
 *
 * Strings built here are vg_bufs capped at VG__MIME_OUT_MAX; functions
 * taking a vg_buf *out append to it and return VG_OK, VG_EINVAL or
 * VG_ENOMEM with a message in err (which must not be NULL).
 */
#ifndef VG_MAIL_MIME_INT_H
#define VG_MAIL_MIME_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/error.h"
#include "mail/mime.h"

/* The most any string built here may hold; reaching it is out of memory. */
#define VG__MIME_OUT_MAX ((size_t)1 << 30)
/* Room for a charset name from an encoded-word or an RFC 2231 value. */
#define VG__MIME_CHARSET_MAX 72

/* The fields read here, in vg__mime_headers.field[]. */
enum vg__mime_field {
	VG__MIME_FROM,
	VG__MIME_SUBJECT,
	VG__MIME_MESSAGE_ID,
	VG__MIME_IN_REPLY_TO,
	VG__MIME_REFERENCES,
	VG__MIME_DATE,
	VG__MIME_CONTENT_TYPE,
	VG__MIME_ENCODING,
	VG__MIME_DISPOSITION,
	VG__MIME_NFIELDS
};

typedef struct vg__mime_headers {
	vg_str field[VG__MIME_NFIELDS]; /* first occurrences, still folded; ptr NULL
					 * when absent */
	const char *body;		/* the body's first byte: end when there is none */
} vg__mime_headers;

/* Reads the header fields of the entity [start, end) of the message raw up
 * to the blank line that ends them; without one, all of it is header and
 * the body is empty. VG_EINVAL "line N: header without a colon", "line N:
 * bad header name". */
int vg__mime_headers_read(const char *raw, const char *start, const char *end, vg__mime_headers *h,
			  vg_error *err);

/* The line of raw that at is on, from 1, for messages. */
size_t vg__mime_line_number(const char *raw, const char *at);

/* Sets out to a field's value with its line breaks removed, trimmed. */
int vg__mime_unfold(vg_str v, vg_buf *out, vg_error *err);

/* Appends v, or a quoted-string's contents when v is one. */
int vg__mime_unquote_put(vg_buf *out, vg_str v, vg_error *err);

/* Appends s[0..n) converted from charset to UTF-8 (vg_charset_to_utf8). */
int vg__mime_charset_put(vg_buf *out, const char *charset, const char *s, size_t n, vg_error *err);

/* Appends header bytes that name no charset: UTF-8 when they are, else
 * GB18030; VG_EINVAL "neither UTF-8 nor GB18030 text". */
int vg__mime_raw_text_put(vg_buf *out, const char *s, size_t n, vg_error *err);

/* Appends header text as UTF-8: RFC 2047 encoded-words decoded (B and Q,
 * "charset*language" allowed; VG_EINVAL "unknown charset \"x\"",
 * "encoded-word is not base64"), the rest as vg__mime_raw_text_put. */
int vg__mime_words_put(vg_buf *out, const char *s, size_t n, vg_error *err);

/* Appends the decoding of base64 text s[0..n), skipping white space and
 * line breaks and supplying missing padding. VG_EINVAL with *bad the
 * offset of the first byte that is not base64 (n when the text stops a
 * byte into a group), or VG_ENOMEM; err is not set. */
int vg__mime_base64_put(const char *s, size_t n, vg_buf *out, size_t *bad);

/* Fills m's subject, from_name, from_address, message_id, in_reply_to,
 * references and date from the message's header block; errors name the
 * field ("Subject: neither UTF-8 nor GB18030 text"). What was set is
 * freed by vg_mime_free. */
int vg__mime_message_fields(const vg__mime_headers *h, vg_mime_message *m, vg_error *err);

/* ---- small helpers both halves use ---- */

static inline bool is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

static inline bool is_space(char c)
{
	return is_wsp(c) || c == '\r' || c == '\n';
}

static inline bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static inline bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static inline int hex(char c)
{
	if (is_digit(c))
		return c - '0';
	c = lower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static inline vg_str trim(const char *s, const char *end)
{
	while (s < end && is_space(*s))
		s++;
	while (end > s && is_space(end[-1]))
		end--;
	return (vg_str){s, (size_t)(end - s)};
}

static inline bool eq_nocase(vg_str s, const char *lit)
{
	return s.len == strlen(lit) && (s.len == 0 || strncasecmp(s.ptr, lit, s.len) == 0);
}

static inline int put(vg_buf *b, const void *data, size_t n, vg_error *err)
{
	if (vg_buf_append(b, data, n) != VG_OK)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	return VG_OK;
}

/* The buffer's string, handed over ("" when nothing was appended); NULL
 * when out of memory. */
static inline char *take(vg_buf *b)
{
	char *s = vg_buf_detach(b);

	return s ? s : calloc(1, 1);
}

/* Copies s[0..n) into out for a message: printable ASCII, the rest '?'. */
static inline const char *shown(const char *s, size_t n, char *out, size_t size)
{
	size_t i;

	for (i = 0; i < n && i + 1 < size; i++)
		out[i] = s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?';
	out[i] = '\0';
	return out;
}

#endif
