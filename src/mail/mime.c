/*
 * mime.c - an Internet message read into a vg_mime_message (see mime.h):
 * the MIME structure and bodies, on the header reading of header.c.
 *
 * The message is never copied whole: header fields and MIME parts are
 * views into the caller's bytes, and only what comes out (decoded bodies,
 * header text) is allocated. A multipart is split on its boundary lines
 * and its parts read recursively, never deeper than max_depth and
 * VG_MIME_DEPTH_MAX, so the stack is bounded whatever the caller allows.
 * Every scan is linear in the bytes it looks at.
 *
 * Errors name where they are: "line N" for the header syntax, "message"
 * for the message's own MIME headers and structure, "part 2.1" (IMAP's
 * part numbers) for a part, then the header field when it is one.
 */
#include "mail/mime_int.h"

#include <stdio.h>

#include "core/digits.h"
#include "core/utf8.h"

/* RFC 2231 sections of one parameter (filename*0* to filename*63*). */
#define SECTIONS_MAX 64
/* Attachment names are cut to this many bytes, on a character boundary. */
#define FILENAME_MAX_BYTES 255
/* A part number, "2.1.3"; longer ones are cut in messages. */
#define ID_MAX 128

typedef struct parser {
	const char *raw; /* the whole message, for line numbers */
	size_t max_attachment, max_parts, nparts;
	int max_depth;
	vg_error *err;
	vg_buf plain, html; /* the first text/plain and text/html parts' text */
	bool have_plain, have_html;
	vg_mime_attachment *att;
	size_t natt, att_cap;
} parser;

/* ---- parameters (RFC 2045, RFC 2231) ---- */

/* One parameter a field's reader wants, as the pieces it came in. */
typedef struct param {
	const char *name;	  /* lowercase */
	bool text;		  /* a name for people: decoded into UTF-8 */
	vg_str value;		  /* name=value, quotes and all */
	vg_str ext;		  /* name*=charset'language'value */
	vg_str sec[SECTIONS_MAX]; /* name*N= and name*N*= */
	bool sec_ext[SECTIONS_MAX];
} param;

/* Files attr=value (views into the field) under the param it names. */
static int param_file(param *ps, size_t nps, vg_str attr, vg_str value, vg_error *err)
{
	const char *star = memchr(attr.ptr, '*', attr.len), *rest;
	size_t base = star ? (size_t)(star - attr.ptr) : attr.len, rlen;
	param *pm = NULL;
	bool ext;
	int k;

	for (size_t i = 0; i < nps && !pm; i++)
		if (eq_nocase((vg_str){attr.ptr, base}, ps[i].name))
			pm = &ps[i];
	if (!pm)
		return VG_OK;
	if (!star) {
		pm->value = value;
		return VG_OK;
	}
	rest = star + 1;
	rlen = attr.len - base - 1;
	if (rlen == 0) {
		pm->ext = value;
		return VG_OK;
	}
	ext = rest[rlen - 1] == '*';
	if (!vg_digits_int(rest, rlen - ext, &k))
		return VG_OK; /* "name*x": no parameter of ours */
	if (k >= SECTIONS_MAX)
		return vg_error_set(err, VG_EINVAL, "%s parameter in more than %d sections",
				    pm->name, SECTIONS_MAX);
	pm->sec[k] = value;
	pm->sec_ext[k] = ext;
	return VG_OK;
}

/* Reads a Content-Type or Content-Disposition value: *head gets what
 * comes before the first ';', ps the parameters after it. An unquoted
 * value runs to the next ';' (senders write name=my file.pdf). */
static int params_scan(vg_str v, vg_str *head, param *ps, size_t nps, vg_error *err)
{
	const char *c = v.ptr, *end = v.ptr + v.len, *a, *val;
	int rc = VG_OK;

	while (c < end && *c != ';')
		c++;
	*head = trim(v.ptr, c);
	while (rc == VG_OK && c < end) {
		vg_str attr;

		if (*c++ != ';')
			continue;
		while (c < end && is_space(*c))
			c++;
		for (a = c; c < end && *c != '=' && *c != ';' && !is_space(*c);)
			c++;
		attr = (vg_str){a, (size_t)(c - a)};
		while (c < end && is_space(*c))
			c++;
		if (c == end || *c != '=')
			continue;
		for (c++; c < end && is_space(*c);)
			c++;
		val = c;
		if (c < end && *c == '"') {
			for (c++; c < end && *c != '"'; c++)
				if (*c == '\\' && c + 1 < end)
					c++;
			if (c < end)
				c++;
		} else {
			while (c < end && *c != ';')
				c++;
		}
		rc = param_file(ps, nps, attr, trim(val, c), err);
	}
	return rc;
}

static int pct_put(vg_buf *out, const char *s, size_t n, vg_error *err)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (c == '%' && i + 2 < n && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
			c = (char)(hex(s[i + 1]) << 4 | hex(s[i + 2]));
			i += 2;
		}
		if (put(out, &c, 1, err))
			return VG_ENOMEM;
	}
	return VG_OK;
}

/* Splits the RFC 2231 value charset'language'text: the charset into cs,
 * *s and *n to the text. Without the two quotes all is text. */
static void ext_split(const char **s, size_t *n, char cs[VG__MIME_CHARSET_MAX])
{
	const char *q1 = memchr(*s, '\'', *n), *q2;
	size_t len;

	cs[0] = '\0';
	if (!q1)
		return;
	q2 = memchr(q1 + 1, '\'', *n - (size_t)(q1 + 1 - *s));
	if (!q2)
		return;
	len = (size_t)(q1 - *s);
	/* A name too long is no charset: "?" is refused as unknown. */
	snprintf(cs, VG__MIME_CHARSET_MAX, "%.*s", len < VG__MIME_CHARSET_MAX ? (int)len : 1,
		 len < VG__MIME_CHARSET_MAX ? *s : "?");
	*n -= (size_t)(q2 + 1 - *s);
	*s = q2 + 1;
}

/* Appends pm's value joined from its sections and decoded: UTF-8 for a
 * text parameter, its bytes otherwise; nothing when it is absent. */
static int param_value(const param *pm, vg_buf *out, vg_error *err)
{
	vg_buf bytes = VG_BUF_INIT(VG__MIME_OUT_MAX), piece = VG_BUF_INIT(VG__MIME_OUT_MAX);
	bool sections = pm->sec[0].ptr != NULL;
	char cs[VG__MIME_CHARSET_MAX] = "";
	int rc = VG_OK;

	if (sections || pm->ext.ptr) {
		for (size_t i = 0; rc == VG_OK && i < SECTIONS_MAX; i++) {
			vg_str v = sections ? pm->sec[i] : i == 0 ? pm->ext : (vg_str){0};
			bool ext = sections ? pm->sec_ext[i] : true;
			const char *s;
			size_t n;

			if (!v.ptr)
				break;
			vg_buf_reset(&piece);
			rc = vg__mime_unquote_put(&piece, v, err);
			s = vg_buf_cstr(&piece);
			n = piece.len;
			if (rc == VG_OK && ext && i == 0)
				ext_split(&s, &n, cs);
			if (rc == VG_OK)
				rc = ext ? pct_put(&bytes, s, n, err) : put(&bytes, s, n, err);
		}
		if (rc == VG_OK && pm->text && cs[0])
			rc = vg__mime_charset_put(out, cs, vg_buf_cstr(&bytes), bytes.len, err);
		else if (rc == VG_OK && pm->text)
			rc = vg__mime_raw_text_put(out, vg_buf_cstr(&bytes), bytes.len, err);
		else if (rc == VG_OK)
			rc = put(out, vg_buf_cstr(&bytes), bytes.len, err);
	} else if (pm->value.ptr) {
		rc = vg__mime_unquote_put(&bytes, pm->value, err);
		if (rc == VG_OK && pm->text)
			rc = vg__mime_words_put(out, vg_buf_cstr(&bytes), bytes.len, err);
		else if (rc == VG_OK)
			rc = put(out, vg_buf_cstr(&bytes), bytes.len, err);
	}
	vg_buf_release(&bytes);
	vg_buf_release(&piece);
	return rc;
}

/* ---- what a part's MIME headers say ---- */

typedef enum encoding { ENC_IDENTITY, ENC_BASE64, ENC_QP } encoding;

typedef struct entity {
	char type[256];	 /* "type/subtype", lowercased (RFC 6838: 127 + 1 + 127) */
	bool attachment; /* a Content-Disposition other than inline */
	encoding enc;
	vg_buf boundary, charset, filename; /* empty when absent */
} entity;

/* True for "type/subtype" of RFC 2045 tokens that fits entity.type. */
static bool type_ok(vg_str t)
{
	const char *slash = memchr(t.ptr, '/', t.len);

	if (t.len >= sizeof(((entity *)0)->type) || !slash || slash == t.ptr ||
	    slash == t.ptr + t.len - 1)
		return false;
	for (size_t i = 0; i < t.len; i++)
		if (t.ptr[i] <= ' ' || t.ptr[i] > '~' ||
		    (t.ptr + i != slash && strchr("()<>@,;:\\\"/[]?=", t.ptr[i])))
			return false;
	return true;
}

static int content_type_read(vg_str field, bool digest, entity *e, vg_error *err)
{
	param ps[3] = {{.name = "boundary"}, {.name = "charset"}, {.name = "name", .text = true}};
	vg_buf v = VG_BUF_INIT(VG__MIME_OUT_MAX);
	vg_str head;
	int rc;

	snprintf(e->type, sizeof(e->type), "%s", digest ? "message/rfc822" : "text/plain");
	if (!field.ptr)
		return VG_OK;
	rc = vg__mime_unfold(field, &v, err);
	if (rc == VG_OK)
		rc = params_scan((vg_str){v.ptr, v.len}, &head, ps, 3, err);
	/* RFC 2045 5.2: a Content-Type that cannot be read is the default. */
	if (rc == VG_OK && type_ok(head)) {
		for (size_t i = 0; i < head.len; i++)
			e->type[i] = lower(head.ptr[i]);
		e->type[head.len] = '\0';
		rc = param_value(&ps[0], &e->boundary, err);
		if (rc == VG_OK)
			rc = param_value(&ps[1], &e->charset, err);
		if (rc == VG_OK)
			rc = param_value(&ps[2], &e->filename, err);
	}
	vg_buf_release(&v);
	return rc;
}

static int disposition_read(vg_str field, entity *e, vg_error *err)
{
	param ps[1] = {{.name = "filename", .text = true}};
	vg_buf v = VG_BUF_INIT(VG__MIME_OUT_MAX), name = VG_BUF_INIT(VG__MIME_OUT_MAX);
	vg_str head;
	int rc;

	if (!field.ptr)
		return VG_OK;
	rc = vg__mime_unfold(field, &v, err);
	if (rc == VG_OK)
		rc = params_scan((vg_str){v.ptr, v.len}, &head, ps, 1, err);
	if (rc == VG_OK) {
		/* RFC 2183: a disposition not known is read as attachment. */
		e->attachment = head.len && !eq_nocase(head, "inline");
		rc = param_value(&ps[0], &name, err);
	}
	if (rc == VG_OK && name.len) {
		vg_buf_release(&e->filename);
		e->filename = name;
		name = (vg_buf)VG_BUF_INIT(VG__MIME_OUT_MAX);
	}
	vg_buf_release(&name);
	vg_buf_release(&v);
	return rc;
}

static int encoding_read(vg_str field, entity *e, vg_error *err)
{
	static const struct {
		const char *name;
		encoding enc;
	} encodings[] = {
	    {"7bit", ENC_IDENTITY}, {"8bit", ENC_IDENTITY},	  {"binary", ENC_IDENTITY},
	    {"base64", ENC_BASE64}, {"quoted-printable", ENC_QP},
	};
	vg_buf v = VG_BUF_INIT(VG__MIME_OUT_MAX);
	char name[40];
	vg_str t;
	int rc;

	e->enc = ENC_IDENTITY;
	if (!field.ptr)
		return VG_OK;
	rc = vg__mime_unfold(field, &v, err);
	if (rc)
		return rc;
	t = (vg_str){v.ptr, 0};
	while (t.len < v.len && !is_space(v.ptr[t.len]) && v.ptr[t.len] != '(')
		t.len++;
	rc = t.len ? VG_EINVAL : VG_OK;
	for (size_t i = 0; rc && i < sizeof(encodings) / sizeof(encodings[0]); i++)
		if (eq_nocase(t, encodings[i].name)) {
			e->enc = encodings[i].enc;
			rc = VG_OK;
		}
	if (rc)
		vg_error_set(err, rc, "unknown Content-Transfer-Encoding \"%s\"",
			     shown(t.ptr, t.len, name, sizeof(name)));
	vg_buf_release(&v);
	return rc;
}

static void entity_release(entity *e)
{
	vg_buf_release(&e->boundary);
	vg_buf_release(&e->charset);
	vg_buf_release(&e->filename);
}

static int entity_read(const vg__mime_headers *h, bool digest, entity *e, vg_error *err)
{
	int rc = content_type_read(h->field[VG__MIME_CONTENT_TYPE], digest, e, err);

	if (rc) {
		vg_error_prefix(err, "Content-Type");
		return rc;
	}
	rc = disposition_read(h->field[VG__MIME_DISPOSITION], e, err);
	if (rc) {
		vg_error_prefix(err, "Content-Disposition");
		return rc;
	}
	return encoding_read(h->field[VG__MIME_ENCODING], e, err);
}

/* ---- bodies ---- */

/* Appends the quoted-printable text s[0..n): "=XX" decoded, "=" at a
 * line's end joins it to the next, white space at a line's end (added in
 * transport, RFC 2045 6.7) dropped, a stray '=' kept as it is. */
static int qp_put(const char *s, size_t n, vg_buf *out, vg_error *err)
{
	size_t i = 0;

	while (i < n) {
		const char *nl = memchr(s + i, '\n', n - i);
		size_t next = nl ? (size_t)(nl - s) + 1 : n, stop = nl ? (size_t)(nl - s) : n;
		bool crlf = stop > i && s[stop - 1] == '\r', soft;

		if (crlf)
			stop--;
		while (stop > i && is_wsp(s[stop - 1]))
			stop--;
		soft = stop > i && s[stop - 1] == '=';
		if (soft)
			stop--;
		while (i < stop) {
			const char *eq = memchr(s + i, '=', stop - i);
			size_t run = eq ? (size_t)(eq - s) - i : stop - i;
			char c;

			if (put(out, s + i, run, err))
				return VG_ENOMEM;
			i += run;
			if (i == stop)
				break;
			c = '=';
			if (i + 2 < stop && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
				c = (char)(hex(s[i + 1]) << 4 | hex(s[i + 2]));
				i += 2;
			}
			if (put(out, &c, 1, err))
				return VG_ENOMEM;
			i++;
		}
		if (nl && !soft && put(out, crlf ? "\r\n" : "\n", crlf ? 2 : 1, err))
			return VG_ENOMEM;
		i = next;
	}
	return VG_OK;
}

static int body_decode(parser *p, const entity *e, const char *body, const char *end, vg_buf *out,
		       const char *where)
{
	size_t n = (size_t)(end - body), bad;
	int rc;

	switch (e->enc) {
	case ENC_BASE64:
		rc = vg__mime_base64_put(body, n, out, &bad);
		if (rc == VG_EINVAL)
			return vg_error_set(p->err, rc, "%s: line %zu is not base64", where,
					    vg__mime_line_number(p->raw, body + bad));
		return rc ? vg_error_set(p->err, rc, "out of memory") : VG_OK;
	case ENC_QP:
		return qp_put(body, n, out, p->err);
	default:
		return put(out, body, n, p->err);
	}
}

/* Appends text with its CRLF line ends made LF. */
static int lf_put(vg_buf *out, const char *s, size_t n, vg_error *err)
{
	size_t i = 0;

	while (i < n) {
		size_t j = i;

		while (j < n && !(s[j] == '\r' && j + 1 < n && s[j + 1] == '\n'))
			j++;
		if (put(out, s + i, j - i, err))
			return VG_ENOMEM;
		i = j < n ? j + 1 : n;
	}
	return put(out, "", 0, err);
}

/* ---- HTML to text ---- */

typedef struct text_out {
	vg_buf *b;
	int newlines; /* line breaks owed before the next text */
	bool space;   /* a space owed before the next text */
} text_out;

static int text_put(text_out *t, const char *s, size_t n, vg_error *err)
{
	int rc = VG_OK;

	if (t->b->len && t->newlines)
		rc = put(t->b, "\n\n", t->newlines > 1 ? 2 : 1, err);
	else if (t->b->len && t->space)
		rc = put(t->b, " ", 1, err);
	t->newlines = 0;
	t->space = false;
	return rc ? rc : put(t->b, s, n, err);
}

static size_t utf8_encode(unsigned long cp, char out[4])
{
	if (cp == 0 || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		cp = 0xfffd;
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* Reads the character reference at s ("&amp;", "&#233;", "&#xE9;") into
 * out; its length, or 0 when s does not start one. &nbsp; is a plain
 * space: the text is for reading and searching. */
static size_t entity_decode(const char *s, size_t n, char out[4], size_t *outlen)
{
	static const struct {
		const char *name, *text;
	} named[] = {
	    {"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""}, {"apos", "'"}, {"nbsp", " "},
	};
	const char *semi = memchr(s, ';', n < 12 ? n : 12);
	size_t len = semi ? (size_t)(semi - s) : 0, i = 2;
	unsigned long cp = 0;
	bool x;

	if (len < 2)
		return 0;
	if (s[1] != '#') {
		for (size_t k = 0; k < sizeof(named) / sizeof(named[0]); k++)
			if (len - 1 == strlen(named[k].name) &&
			    !memcmp(s + 1, named[k].name, len - 1)) {
				*outlen = strlen(named[k].text);
				memcpy(out, named[k].text, *outlen);
				return len + 1;
			}
		return 0;
	}
	x = len > 2 && lower(s[2]) == 'x';
	for (i += x; i < len; i++) {
		int d = x ? hex(s[i]) : is_digit(s[i]) ? s[i] - '0' : -1;

		if (d < 0)
			return 0;
		cp = cp * (x ? 16 : 10) + (unsigned long)d;
	}
	if (i == 2u + x)
		return 0;
	*outlen = utf8_encode(cp, out);
	return len + 1;
}

/* Where the tag at s[i] ('<') ends: past its '>', or n. Quotes count
 * only after '=', so a stray apostrophe does not swallow the page. */
static size_t tag_end(const char *s, size_t n, size_t i)
{
	char quote = 0, prev = 0;

	for (i++; i < n; i++) {
		if (quote) {
			if (s[i] == quote)
				quote = 0;
		} else if ((s[i] == '"' || s[i] == '\'') && prev == '=') {
			quote = s[i];
		} else if (s[i] == '>') {
			return i + 1;
		}
		if (!is_space(s[i]))
			prev = s[i];
	}
	return n;
}

/* Past the closing tag "</name" after i, or n. */
static size_t raw_text_end(const char *s, size_t n, size_t i, vg_str name)
{
	for (; i + 2 + name.len <= n; i++)
		if (s[i] == '<' && s[i + 1] == '/' && !strncasecmp(s + i + 2, name.ptr, name.len))
			return tag_end(s, n, i);
	return n;
}

/* Reads the markup at s[i] ('<' before a letter, '/', '!' or '?'): a
 * comment, a script or style with its contents, or a tag, which may owe
 * line breaks; returns where the text goes on. */
static size_t tag_skip(const char *s, size_t n, size_t i, text_out *t)
{
	static const struct {
		const char *name;
		int breaks; /* -1: one more line break; else at least this many */
	} blocks[] = {
	    {"br", -1}, {"p", 2},   {"/p", 2},	{"/div", 1}, {"div", 1}, {"li", 1},
	    {"/tr", 1}, {"/h1", 2}, {"/h2", 2}, {"/h3", 2},  {"td", 0},	 {"th", 0},
	};
	size_t j = i + 1;
	vg_str name;

	if (n - i >= 4 && !memcmp(s + i, "<!--", 4)) {
		for (j = i + 4; j + 3 <= n; j++)
			if (!memcmp(s + j, "-->", 3))
				return j + 3;
		return n;
	}
	if (j < n && s[j] == '/')
		j++;
	while (j < n && (is_alpha(s[j]) || is_digit(s[j])))
		j++;
	name = (vg_str){s + i + 1, j - i - 1};
	if (eq_nocase(name, "script") || eq_nocase(name, "style"))
		return raw_text_end(s, n, tag_end(s, n, i), name);
	for (size_t k = 0; k < sizeof(blocks) / sizeof(blocks[0]); k++) {
		if (!eq_nocase(name, blocks[k].name))
			continue;
		if (blocks[k].breaks < 0)
			t->newlines++;
		else if (t->newlines < blocks[k].breaks)
			t->newlines = blocks[k].breaks;
		t->space = true;
	}
	return tag_end(s, n, i);
}

/* Appends the text of the HTML s[0..n) (UTF-8): tags removed, script and
 * style dropped with their contents, white space runs made one space,
 * <br>, <p>, </div> and other blocks made line breaks (two at most in a
 * row), character references decoded. */
static int html_text(const char *s, size_t n, vg_buf *out, vg_error *err)
{
	text_out t = {out, 0, false};
	size_t i = 0;
	int rc = put(out, "", 0, err);

	while (rc == VG_OK && i < n) {
		char c = s[i], ref[4];
		size_t j = i + 1, len;

		if (c == '<' && j < n &&
		    (is_alpha(s[j]) || s[j] == '/' || s[j] == '!' || s[j] == '?')) {
			i = tag_skip(s, n, i, &t);
			continue;
		}
		if (is_space(c)) {
			t.space = true;
			i++;
			continue;
		}
		len = c == '&' ? entity_decode(s + i, n - i, ref, &j) : 0;
		if (len) {
			rc = text_put(&t, ref, j, err);
			i += len;
			continue;
		}
		while (j < n && s[j] != '<' && s[j] != '&' && !is_space(s[j]))
			j++;
		rc = text_put(&t, s + i, j - i, err);
		i = j;
	}
	return rc;
}

/* ---- parts ---- */

/* Keeps the text of a text/plain or text/html part if it is the first of
 * its kind; every such part is converted, so a bad one refuses the mail. */
static int text_keep(parser *p, const entity *e, const vg_buf *data, const char *where)
{
	bool html = strcmp(e->type, "text/html") == 0;
	const char *bytes = vg_buf_cstr(data), *charset;
	bool *have = html ? &p->have_html : &p->have_plain;
	char *utf8;
	int rc;

	/* Without a charset: US-ASCII, and UTF-8 when the bytes are. */
	charset = e->charset.len			  ? vg_buf_cstr(&e->charset)
		  : vg_utf8_valid(bytes, data->len, true) ? "UTF-8"
							  : "US-ASCII";
	rc = vg_charset_to_utf8(charset, bytes, data->len, &utf8, p->err);
	if (rc) {
		vg_error_prefix(p->err, "%s", where);
		return rc;
	}
	if (!*have) {
		rc = html ? html_text(utf8, strlen(utf8), &p->html, p->err)
			  : lf_put(&p->plain, utf8, strlen(utf8), p->err);
		*have = true;
	}
	free(utf8);
	return rc;
}

/* The attachment's name made safe to store: '/', '\\' and control
 * characters '_', at most FILENAME_MAX_BYTES, "." and ".." defused, an
 * empty name the fallback. s is UTF-8. */
static int filename_clean(const char *s, size_t n, const char *fallback, vg_buf *out, vg_error *err)
{
	size_t i = 0, dots = 0;
	int rc = VG_OK;

	while (rc == VG_OK && i < n) {
		const unsigned char *c = (const unsigned char *)s + i;
		size_t k = *c < 0x80 ? 1 : vg_utf8_seq_len(c, n - i);
		bool bad = k == 0 || *c < 0x20 || *c == 0x7f || *c == '/' || *c == '\\' ||
			   (k == 2 && c[0] == 0xc2 && c[1] < 0xa0); /* C1 controls */

		if (k == 0)
			k = 1;
		if (out->len + (bad ? 1 : k) > FILENAME_MAX_BYTES)
			break;
		dots += *c == '.';
		rc = put(out, bad ? "_" : (const char *)c, bad ? 1 : k, err);
		i += k;
	}
	if (rc == VG_OK && out->len && dots == out->len)
		memset(out->ptr, '_', out->len);
	if (rc == VG_OK && out->len == 0)
		rc = put(out, fallback, strlen(fallback), err);
	return rc;
}

static int attachment_add(parser *p, const entity *e, vg_buf *data, const char *where)
{
	bool eml = strcmp(e->type, "message/rfc822") == 0;
	vg_buf name = VG_BUF_INIT(VG__MIME_OUT_MAX);
	vg_mime_attachment *a;
	int rc;

	rc = filename_clean(vg_buf_cstr(&e->filename), e->filename.len,
			    eml ? "message.eml" : "attachment", &name, p->err);
	if (rc == VG_OK && data->len > p->max_attachment)
		rc = vg_error_set(p->err, VG_ETOOBIG,
				  "%s: attachment \"%s\" is %zu bytes, over the limit of %zu",
				  where, name.ptr, data->len, p->max_attachment);
	if (rc == VG_OK && p->natt == p->att_cap) {
		size_t cap = p->att_cap ? p->att_cap * 2 : 4;
		void *bigger = realloc(p->att, cap * sizeof(*p->att));

		if (!bigger)
			rc = vg_error_set(p->err, VG_ENOMEM, "out of memory");
		else {
			p->att = bigger;
			p->att_cap = cap;
		}
	}
	if (rc == VG_OK) {
		a = &p->att[p->natt];
		a->len = data->len;
		a->data = (unsigned char *)take(data);
		a->filename = take(&name);
		a->content_type = malloc(strlen(e->type) + 1);
		if (a->content_type)
			memcpy(a->content_type, e->type, strlen(e->type) + 1);
		p->natt++; /* vg_mime_free frees what was allocated of it */
		if (!a->data || !a->filename || !a->content_type)
			rc = vg_error_set(p->err, VG_ENOMEM, "out of memory");
	}
	vg_buf_release(&name);
	return rc;
}

static int entity_body(parser *p, const vg__mime_headers *h, const char *end, const char *id,
		       int depth, bool digest);

enum { NOT_DELIMITER, DELIMITER, CLOSE_DELIMITER };

/* Whether the line [line, next) is "--boundary" or "--boundary--", with
 * white space after it allowed (RFC 2046 5.1.1). */
static int delimiter_kind(const char *line, const char *next, const vg_buf *b)
{
	const char *stop = next, *c;
	int kind = DELIMITER;

	if (stop > line && stop[-1] == '\n')
		stop--;
	if (stop > line && stop[-1] == '\r')
		stop--;
	if ((size_t)(stop - line) < 2 + b->len || line[0] != '-' || line[1] != '-' ||
	    memcmp(line + 2, b->ptr, b->len) != 0)
		return NOT_DELIMITER;
	c = line + 2 + b->len;
	if (stop - c >= 2 && c[0] == '-' && c[1] == '-') {
		kind = CLOSE_DELIMITER;
		c += 2;
	}
	while (c < stop && is_wsp(*c))
		c++;
	return c == stop ? kind : NOT_DELIMITER;
}

static int part_parse(parser *p, const char *start, const char *end, const char *parent, size_t n,
		      int depth, bool digest)
{
	char id[ID_MAX];
	vg__mime_headers h;
	int rc;

	snprintf(id, sizeof(id), "%s%s%zu", parent, parent[0] ? "." : "", n);
	rc = vg__mime_headers_read(p->raw, start, end, &h, p->err);
	return rc ? rc : entity_body(p, &h, end, id, depth, digest);
}

/* Reads the parts of a multipart between its boundary lines; the CRLF
 * before a boundary line belongs to it, preamble and epilogue are
 * ignored. */
static int multipart_parse(parser *p, const entity *e, const char *body, const char *end,
			   const char *id, const char *where, int depth)
{
	bool digest = strcmp(e->type, "multipart/digest") == 0, closed = false;
	const char *line = body, *part = NULL;
	size_t n = 0;
	int rc = VG_OK;

	if (depth > p->max_depth)
		return vg_error_set(p->err, VG_EINVAL, "%s: multiparts nested more than %d deep",
				    where, p->max_depth);
	if (!e->boundary.len)
		return vg_error_set(p->err, VG_EINVAL, "%s: %s without a boundary parameter", where,
				    e->type);
	while (rc == VG_OK && !closed && line < end) {
		const char *nl = memchr(line, '\n', (size_t)(end - line)),
			   *next = nl ? nl + 1 : end;
		int kind = delimiter_kind(line, next, &e->boundary);

		if (kind != NOT_DELIMITER) {
			if (part) {
				const char *stop = line;

				if (stop > part && stop[-1] == '\n')
					stop--;
				if (stop > part && stop[-1] == '\r')
					stop--;
				rc = part_parse(p, part, stop, id, ++n, depth, digest);
			}
			part = next;
			closed = kind == CLOSE_DELIMITER;
		}
		line = next;
	}
	if (rc)
		return rc;
	if (!part)
		return vg_error_set(p->err, VG_EINVAL, "%s: %s whose boundary never appears", where,
				    e->type);
	if (!closed)
		return vg_error_set(p->err, VG_EINVAL, "%s: %s without its closing boundary", where,
				    e->type);
	return VG_OK;
}

static int entity_body(parser *p, const vg__mime_headers *h, const char *end, const char *id,
		       int depth, bool digest)
{
	entity e = {.boundary = VG_BUF_INIT(VG__MIME_OUT_MAX),
		    .charset = VG_BUF_INIT(VG__MIME_OUT_MAX),
		    .filename = VG_BUF_INIT(VG__MIME_OUT_MAX)};
	vg_buf data = VG_BUF_INIT(VG__MIME_OUT_MAX);
	char where[ID_MAX + 8];
	int rc;

	snprintf(where, sizeof(where), "%s%s", id[0] ? "part " : "message", id);
	if (++p->nparts > p->max_parts)
		return vg_error_set(p->err, VG_EINVAL, "%s: more than %zu parts", where,
				    p->max_parts);
	rc = entity_read(h, digest, &e, p->err);
	if (rc) {
		vg_error_prefix(p->err, "%s", where);
	} else if (strncmp(e.type, "multipart/", 10) == 0) {
		rc = multipart_parse(p, &e, h->body, end, id, where, depth + 1);
	} else {
		rc = body_decode(p, &e, h->body, end, &data, where);
		if (rc == VG_OK && !e.attachment &&
		    (!strcmp(e.type, "text/plain") || !strcmp(e.type, "text/html")))
			rc = text_keep(p, &e, &data, where);
		else if (rc == VG_OK)
			rc = attachment_add(p, &e, &data, where);
	}
	vg_buf_release(&data);
	entity_release(&e);
	return rc;
}

static void parser_release(parser *p)
{
	for (size_t i = 0; i < p->natt; i++) {
		free(p->att[i].filename);
		free(p->att[i].content_type);
		free(p->att[i].data);
	}
	free(p->att);
	p->att = NULL;
	p->natt = 0;
	vg_buf_release(&p->plain);
	vg_buf_release(&p->html);
}

int vg_mime_parse(const char *raw, size_t len, const vg_mime_limits *limits, vg_mime_message *out,
		  vg_error *err)
{
	vg_error local = {0};
	parser p = {.raw = raw,
		    .plain = VG_BUF_INIT(VG__MIME_OUT_MAX),
		    .html = VG_BUF_INIT(VG__MIME_OUT_MAX)};
	vg__mime_headers h;
	int rc;

	memset(out, 0, sizeof(*out));
	p.err = err ? err : &local;
	if (!limits || (!raw && len))
		return vg_error_set(p.err, VG_EINVAL, "no message or no limits");
	if (!raw)
		raw = p.raw = "";
	p.max_attachment = limits->max_attachment;
	p.max_parts = limits->max_parts;
	p.max_depth = limits->max_depth < 0		      ? 0
		      : limits->max_depth > VG_MIME_DEPTH_MAX ? VG_MIME_DEPTH_MAX
							      : limits->max_depth;
	rc = vg__mime_headers_read(raw, raw, raw + len, &h, p.err);
	if (rc == VG_OK)
		rc = vg__mime_message_fields(&h, out, p.err);
	if (rc == VG_OK)
		rc = entity_body(&p, &h, raw + len, "", 0, false);
	if (rc == VG_OK) {
		vg_buf *text = p.have_plain ? &p.plain : &p.html;

		out->text = take(text);
		out->attachments = p.att;
		out->nattachments = p.natt;
		p.att = NULL;
		p.natt = 0;
		if (!out->text)
			rc = vg_error_set(p.err, VG_ENOMEM, "out of memory");
	}
	parser_release(&p);
	if (rc)
		vg_mime_free(out);
	return rc;
}

void vg_mime_free(vg_mime_message *m)
{
	if (!m)
		return;
	free(m->from_address);
	free(m->from_name);
	free(m->subject);
	free(m->message_id);
	free(m->in_reply_to);
	for (size_t i = 0; i < m->nreferences; i++)
		free(m->references[i]);
	free(m->references);
	free(m->text);
	for (size_t i = 0; i < m->nattachments; i++) {
		free(m->attachments[i].filename);
		free(m->attachments[i].content_type);
		free(m->attachments[i].data);
	}
	free(m->attachments);
	memset(m, 0, sizeof(*m));
}
