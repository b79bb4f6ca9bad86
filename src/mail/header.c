/*
 * header.c - header blocks and the values of their fields (see
 * mime_int.h): unfolding (RFC 5322 2.2.3), text in encoded-words (RFC
 * 2047) or in raw UTF-8 or GB18030 bytes, the first mailbox of From:,
 * msg-ids, and dates with their obsolete forms (RFC 5322 3.3, 4.3).
 *
 * One pass over a header block keeps a view of the first occurrence of
 * each field the reader uses (field_names[]); values are decoded only when
 * asked for. Every scan is linear in the bytes it looks at.
 */
#include "mail/mime_int.h"

#include "core/base64.h"
#include "core/digits.h"
#include "core/time.h"
#include "core/utf8.h"

/* ---- text in charsets ---- */

int vg__mime_charset_put(vg_buf *out, const char *charset, const char *s, size_t n, vg_error *err)
{
	char *utf8;
	int rc = vg_charset_to_utf8(charset, s, n, &utf8, err);

	if (rc)
		return rc;
	rc = put(out, utf8, strlen(utf8), err);
	free(utf8);
	return rc;
}

/* GB18030 because mail clients in China send raw GBK subjects and names. */
int vg__mime_raw_text_put(vg_buf *out, const char *s, size_t n, vg_error *err)
{
	vg_error conv = {0};
	int rc;

	if (vg_utf8_valid(s, n, false))
		return put(out, s, n, err);
	rc = vg__mime_charset_put(out, "GB18030", s, n, &conv);
	if (rc == VG_EINVAL)
		return vg_error_set(err, VG_EINVAL, "neither UTF-8 nor GB18030 text");
	if (rc)
		return vg_error_set(err, rc, "%s", conv.msg);
	return VG_OK;
}

/* ---- RFC 2047 encoded-words ---- */

/* The text is cleaned into a copy that core/base64.h then decodes. */
int vg__mime_base64_put(const char *s, size_t n, vg_buf *out, size_t *bad)
{
	char *clean = malloc(n + 4);
	size_t m = 0, pads = 0;
	int rc = VG_OK;

	*bad = n;
	if (!clean)
		return VG_ENOMEM;
	for (size_t i = 0; rc == VG_OK && i < n; i++) {
		char c = s[i];

		if (is_space(c))
			continue;
		if (c == '=') {
			pads++;
		} else if (pads || !(is_alpha(c) || is_digit(c) || c == '+' || c == '/')) {
			*bad = i;
			rc = VG_EINVAL;
		} else {
			clean[m++] = c;
		}
	}
	if (rc == VG_OK && (pads > 2 || m % 4 == 1))
		rc = VG_EINVAL;
	while (rc == VG_OK && m % 4)
		clean[m++] = '=';
	/* Only the output can fail now: the text is clean. */
	if (rc == VG_OK && vg_base64_decode(clean, m, out, NULL))
		rc = VG_ENOMEM;
	free(clean);
	return rc;
}

typedef struct word {
	char charset[VG__MIME_CHARSET_MAX]; /* the language after '*' cut off */
	char enc;			    /* 'B' or 'Q' */
	const char *text;
	size_t len;
	const char *end; /* just past the closing "?=" */
} word;

/* Reads the encoded-word "=?charset?B?text?=" at s (which starts "=?").
 * Neither part may hold '?' or white space, so a failed attempt looks at
 * most at the next three '?' and the scan for words stays linear. */
static bool word_read(const char *s, const char *end, word *w)
{
	const char *c = s + 2, *cs = c, *star;

	while (c < end && *c != '?' && !is_space(*c))
		c++;
	if (end - c < 3 || *c != '?' || c == cs || (size_t)(c - cs) >= sizeof(w->charset))
		return false;
	memcpy(w->charset, cs, (size_t)(c - cs));
	w->charset[c - cs] = '\0';
	star = strchr(w->charset, '*');
	if (star)
		w->charset[star - w->charset] = '\0';
	w->enc = c[1] == 'b' ? 'B' : c[1] == 'q' ? 'Q' : c[1];
	if (!w->charset[0] || (w->enc != 'B' && w->enc != 'Q') || c[2] != '?')
		return false;
	w->text = c += 3;
	while (c < end && *c != '?' && !is_space(*c))
		c++;
	if (end - c < 2 || c[0] != '?' || c[1] != '=')
		return false;
	w->len = (size_t)(c - w->text);
	w->end = c + 2;
	return true;
}

static int word_bytes(const word *w, vg_buf *out, vg_error *err)
{
	size_t bad;
	int rc;

	if (w->enc == 'B') {
		rc = vg__mime_base64_put(w->text, w->len, out, &bad);
		if (rc == VG_EINVAL)
			return vg_error_set(err, rc, "encoded-word is not base64");
		return rc ? vg_error_set(err, rc, "out of memory") : VG_OK;
	}
	for (size_t i = 0; i < w->len; i++) {
		char c = w->text[i];

		if (c == '_') {
			c = ' ';
		} else if (c == '=' && i + 2 < w->len && hex(w->text[i + 1]) >= 0 &&
			   hex(w->text[i + 2]) >= 0) {
			c = (char)(hex(w->text[i + 1]) << 4 | hex(w->text[i + 2]));
			i += 2;
		}
		if (put(out, &c, 1, err))
			return VG_ENOMEM;
	}
	return VG_OK;
}

/* Converts the bytes of the encoded-words read so far, all in charset. */
static int pending_flush(vg_buf *out, vg_buf *pending, char *charset, vg_error *err)
{
	int rc = VG_OK;

	if (charset[0])
		rc = vg__mime_charset_put(out, charset, vg_buf_cstr(pending), pending->len, err);
	vg_buf_reset(pending);
	charset[0] = '\0';
	return rc;
}

static bool all_wsp(const char *s, const char *end)
{
	while (s < end && is_wsp(*s))
		s++;
	return s == end;
}

/* Adjacent encoded-words are joined without the white space between
 * them, and their bytes joined before conversion, so a character split
 * across two words survives; the text between words is read as
 * vg__mime_raw_text_put reads it. Words are found anywhere, not only
 * between spaces, as mail readers do. */
int vg__mime_words_put(vg_buf *out, const char *s, size_t n, vg_error *err)
{
	const char *end = s + n, *c = s, *lit = s;
	vg_buf pending = VG_BUF_INIT(VG__MIME_OUT_MAX);
	char charset[VG__MIME_CHARSET_MAX] = "";
	bool after_word = false;
	int rc = VG_OK;

	while (rc == VG_OK && c < end) {
		word w;

		if (end - c < 2 || c[0] != '=' || c[1] != '?' || !word_read(c, end, &w)) {
			c++;
			continue;
		}
		if (!after_word || !all_wsp(lit, c)) {
			rc = pending_flush(out, &pending, charset, err);
			if (rc == VG_OK)
				rc = vg__mime_raw_text_put(out, lit, (size_t)(c - lit), err);
		}
		if (rc == VG_OK && charset[0] && strcasecmp(charset, w.charset) != 0)
			rc = pending_flush(out, &pending, charset, err);
		if (rc == VG_OK) {
			memcpy(charset, w.charset, sizeof(charset));
			rc = word_bytes(&w, &pending, err);
		}
		c = lit = w.end;
		after_word = true;
	}
	if (rc == VG_OK)
		rc = pending_flush(out, &pending, charset, err);
	if (rc == VG_OK)
		rc = vg__mime_raw_text_put(out, lit, (size_t)(end - lit), err);
	vg_buf_release(&pending);
	return rc;
}

/* ---- header blocks ---- */

static const char *const field_names[VG__MIME_NFIELDS] = {
    [VG__MIME_FROM] = "From",
    [VG__MIME_SUBJECT] = "Subject",
    [VG__MIME_MESSAGE_ID] = "Message-ID",
    [VG__MIME_IN_REPLY_TO] = "In-Reply-To",
    [VG__MIME_REFERENCES] = "References",
    [VG__MIME_DATE] = "Date",
    [VG__MIME_CONTENT_TYPE] = "Content-Type",
    [VG__MIME_ENCODING] = "Content-Transfer-Encoding",
    [VG__MIME_DISPOSITION] = "Content-Disposition",
};

size_t vg__mime_line_number(const char *raw, const char *at)
{
	size_t n = 1;

	for (const char *c = raw; c < at; c++)
		n += *c == '\n';
	return n;
}

static int field_find(const char *name, size_t n)
{
	for (int i = 0; i < VG__MIME_NFIELDS; i++)
		if (eq_nocase((vg_str){name, n}, field_names[i]))
			return i;
	return -1;
}

int vg__mime_headers_read(const char *raw, const char *start, const char *end, vg__mime_headers *h,
			  vg_error *err)
{
	const char *line = start;
	bool any = false;
	int cur = -1;

	memset(h, 0, sizeof(*h));
	h->body = end;
	/* An mbox postmark, "From sender date", before the first field. */
	if (start == raw && end - start >= 5 && memcmp(start, "From ", 5) == 0) {
		line = memchr(start, '\n', (size_t)(end - start));
		line = line ? line + 1 : end;
	}
	while (line < end) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		const char *next = nl ? nl + 1 : end, *stop = nl ? nl : end, *colon, *name_end;

		if (stop > line && stop[-1] == '\r')
			stop--;
		if (stop == line) {
			h->body = next;
			return VG_OK;
		}
		if (is_wsp(*line) && any) {
			if (cur >= 0)
				h->field[cur].len = (size_t)(stop - h->field[cur].ptr);
			line = next;
			continue;
		}
		colon = memchr(line, ':', (size_t)(stop - line));
		if (!colon || is_wsp(*line))
			return vg_error_set(err, VG_EINVAL, "line %zu: header without a colon",
					    vg__mime_line_number(raw, line));
		for (name_end = colon; name_end > line && is_wsp(name_end[-1]);)
			name_end--;
		for (const char *c = line; c < name_end || c == line; c++)
			if (c == name_end || (unsigned char)*c <= ' ' || (unsigned char)*c > '~')
				return vg_error_set(err, VG_EINVAL, "line %zu: bad header name",
						    vg__mime_line_number(raw, line));
		cur = field_find(line, (size_t)(name_end - line));
		if (cur >= 0 && h->field[cur].ptr)
			cur = -1; /* the first one counts */
		if (cur >= 0)
			h->field[cur] = (vg_str){colon + 1, (size_t)(stop - colon - 1)};
		any = true;
		line = next;
	}
	return VG_OK;
}

int vg__mime_unfold(vg_str v, vg_buf *out, vg_error *err)
{
	size_t n = 0;
	vg_str t;

	vg_buf_reset(out);
	if (put(out, v.ptr, v.len, err))
		return VG_ENOMEM;
	for (size_t i = 0; i < out->len; i++)
		if (out->ptr[i] != '\r' && out->ptr[i] != '\n')
			out->ptr[n++] = out->ptr[i];
	t = trim(out->ptr, out->ptr + n);
	memmove(out->ptr, t.ptr, t.len);
	out->len = t.len;
	out->ptr[t.len] = '\0';
	return VG_OK;
}

int vg__mime_unquote_put(vg_buf *out, vg_str v, vg_error *err)
{
	if (v.len == 0 || v.ptr[0] != '"')
		return put(out, v.ptr, v.len, err);
	for (size_t i = 1; i < v.len && v.ptr[i] != '"'; i++) {
		if (v.ptr[i] == '\\' && i + 1 < v.len)
			i++;
		if (put(out, v.ptr + i, 1, err))
			return VG_ENOMEM;
	}
	return VG_OK;
}

/* ---- From: and msg-ids ---- */

static const char *quoted_end(const char *c, const char *end)
{
	for (c++; c < end && *c != '"'; c++)
		if (*c == '\\' && c + 1 < end)
			c++;
	return c < end ? c + 1 : end;
}

static const char *comment_end(const char *c, const char *end)
{
	int depth = 0;

	for (; c < end; c++) {
		if (*c == '\\' && c + 1 < end)
			c++;
		else if (*c == '(')
			depth++;
		else if (*c == ')' && --depth == 0)
			return c + 1;
	}
	return end;
}

/* Appends the words of [s, end) with quoted-strings unquoted and comments
 * left out: the display name before <addr>. */
static int phrase_put(vg_buf *out, const char *s, const char *end, vg_error *err)
{
	int rc = VG_OK;

	while (rc == VG_OK && s < end) {
		const char *e = s;

		if (*s == '"') {
			e = quoted_end(s, end);
			rc = vg__mime_unquote_put(out, (vg_str){s, (size_t)(e - s)}, err);
		} else if (*s == '(') {
			e = comment_end(s, end);
		} else {
			while (e < end && *e != '"' && *e != '(')
				e++;
			rc = put(out, s, (size_t)(e - s), err);
		}
		s = e;
	}
	return rc;
}

/* The addr-spec of [s, end) without white space and comments, lowercased. */
static int address_put(vg_buf *out, const char *s, const char *end, vg_error *err)
{
	vg_buf bytes = VG_BUF_INIT(VG__MIME_OUT_MAX);
	const char *route = s < end && *s == '@' ? memchr(s, ':', (size_t)(end - s)) : NULL;
	int rc = VG_OK;

	/* An obsolete source route, "<@relay:a@b>". */
	if (route)
		s = route + 1;
	while (rc == VG_OK && s < end) {
		if (*s == '(') {
			s = comment_end(s, end);
			continue;
		}
		if (!is_space(*s))
			rc = put(&bytes, s, 1, err);
		s++;
	}
	if (rc == VG_OK)
		rc = vg__mime_raw_text_put(out, vg_buf_cstr(&bytes), bytes.len, err);
	for (size_t i = 0; rc == VG_OK && i < out->len; i++)
		out->ptr[i] = lower(out->ptr[i]);
	vg_buf_release(&bytes);
	return rc;
}

/* Reads the first mailbox of a From: value: `"Name" <a@b>`, `Name <a@b>`,
 * `a@b (Name)`, a group's first member. */
static int from_read(const char *s, size_t n, vg_buf *name, vg_buf *addr, vg_error *err)
{
	const char *c = s, *end = s + n, *start = s, *stop = end, *angle = NULL, *gt;
	vg_buf phrase = VG_BUF_INIT(VG__MIME_OUT_MAX);
	vg_str comment = {0};
	int rc;

	while (c < end && !angle && stop == end) {
		if (*c == '"') {
			c = quoted_end(c, end);
		} else if (*c == '(') {
			const char *e = comment_end(c, end);

			if (!comment.ptr)
				comment = (vg_str){c + 1, (size_t)(e - c - 1 - (e[-1] == ')'))};
			c = e;
		} else if (*c == '<') {
			angle = c;
		} else if (*c == ',' || *c == ';') {
			stop = c;
		} else if (*c == ':') {
			start = ++c; /* a group's name */
			comment = (vg_str){0};
		} else {
			c++;
		}
	}
	if (angle) {
		gt = memchr(angle, '>', (size_t)(end - angle));
		rc = address_put(addr, angle + 1, gt ? gt : end, err);
		if (rc == VG_OK)
			rc = phrase_put(&phrase, start, angle, err);
	} else {
		rc = address_put(addr, start, stop, err);
		if (rc == VG_OK && comment.ptr)
			rc = vg__mime_unquote_put(&phrase, comment, err);
	}
	if (rc == VG_OK) {
		vg_str t = trim(vg_buf_cstr(&phrase), vg_buf_cstr(&phrase) + phrase.len);

		rc = vg__mime_words_put(name, t.ptr, t.len, err);
	}
	vg_buf_release(&phrase);
	return rc;
}

typedef struct id_list {
	char **v;
	size_t n, cap;
} id_list;

/* The msg-ids of a Message-ID, In-Reply-To or References value: what is
 * inside each <...>, or its words when it has no angle brackets; at most
 * max of them. */
static int ids_read(const char *s, size_t n, size_t max, id_list *ids, vg_error *err)
{
	bool angles = memchr(s, '<', n) != NULL;
	const char *c = s, *end = s + n;
	int rc = VG_OK;

	while (rc == VG_OK && c < end && ids->n < max) {
		vg_buf id = VG_BUF_INIT(VG__MIME_OUT_MAX);
		const char *a, *b;

		if (angles) {
			a = memchr(c, '<', (size_t)(end - c));
			if (!a)
				break;
			a++;
			b = memchr(a, '>', (size_t)(end - a));
			b = b ? b : end;
			c = b < end ? b + 1 : end;
		} else {
			while (c < end && (is_space(*c) || *c == ','))
				c++;
			for (a = c; c < end && !is_space(*c) && *c != ',';)
				c++;
			b = c;
		}
		for (const char *k = a; rc == VG_OK && k < b; k++)
			if (!is_space(*k))
				rc = put(&id, k, 1, err);
		if (rc == VG_OK && id.len && ids->n == ids->cap) {
			size_t cap = ids->cap ? ids->cap * 2 : 4;
			char **bigger = realloc(ids->v, cap * sizeof(*ids->v));

			if (!bigger)
				rc = vg_error_set(err, VG_ENOMEM, "out of memory");
			else {
				ids->v = bigger;
				ids->cap = cap;
			}
		}
		if (rc == VG_OK && id.len) {
			vg_buf text = VG_BUF_INIT(VG__MIME_OUT_MAX);

			rc = vg__mime_raw_text_put(&text, id.ptr, id.len, err);
			if (rc == VG_OK) {
				ids->v[ids->n] = take(&text);
				if (!ids->v[ids->n++])
					rc = vg_error_set(err, VG_ENOMEM, "out of memory");
			}
			vg_buf_release(&text);
		}
		vg_buf_release(&id);
	}
	return rc;
}

static void ids_release(id_list *ids)
{
	for (size_t i = 0; i < ids->n; i++)
		free(ids->v[i]);
	free(ids->v);
	*ids = (id_list){0};
}

/* ---- Date: (RFC 5322 3.3, with its obsolete forms) ---- */

typedef struct cursor {
	const char *c, *end;
} cursor;

static void cfws_skip(cursor *k)
{
	while (k->c < k->end && (is_space(*k->c) || *k->c == '(' || *k->c == ','))
		k->c = *k->c == '(' ? comment_end(k->c, k->end) : k->c + 1;
}

static vg_str token(cursor *k, bool (*in)(char))
{
	const char *s = k->c;

	while (k->c < k->end && in(*k->c))
		k->c++;
	return (vg_str){s, (size_t)(k->c - s)};
}

static bool number(cursor *k, size_t min, size_t max, int *v)
{
	vg_str t = token(k, is_digit);

	return t.len >= min && t.len <= max && vg_digits_int(t.ptr, t.len, v);
}

/* The offset east of UTC, in minutes, of a zone; false when unknown. */
static bool zone_read(cursor *k, int *minutes)
{
	static const struct {
		const char *name;
		int minutes;
	} zones[] = {
	    {"ut", 0},	   {"utc", 0},	  {"gmt", 0},	 {"z", 0},
	    {"est", -300}, {"edt", -240}, {"cst", -360}, {"cdt", -300},
	    {"mst", -420}, {"mdt", -360}, {"pst", -480}, {"pdt", -420},
	};
	vg_str name;
	int v;

	*minutes = 0;
	if (k->c < k->end && (*k->c == '+' || *k->c == '-')) {
		int sign = *k->c++ == '-' ? -1 : 1;

		if (!number(k, 4, 4, &v) || v % 100 > 59)
			return false;
		*minutes = sign * (v / 100 * 60 + v % 100);
		return true;
	}
	name = token(k, is_alpha);
	for (size_t i = 0; i < sizeof(zones) / sizeof(zones[0]); i++)
		if (eq_nocase(name, zones[i].name)) {
			*minutes = zones[i].minutes;
			return true;
		}
	/* Military letters and no zone at all: -0000, time in UTC with
	 * nothing known of the local zone (RFC 5322 4.3). */
	return name.len <= 1;
}

/* Date: as Unix seconds; 0 when it cannot be read. */
static int64_t date_read(const char *s, size_t n)
{
	static const char months[] = "janfebmaraprmayjunjulaugsepoctnovdec";
	cursor k = {s, s + n};
	int day, month = 0, year, hour, minute, second = 0, zone;
	vg_str name, digits;
	int64_t ms;

	cfws_skip(&k);
	if (k.c < k.end && is_alpha(*k.c)) {
		token(&k, is_alpha); /* the day of the week, not checked */
		cfws_skip(&k);
	}
	if (!number(&k, 1, 2, &day))
		return 0;
	cfws_skip(&k);
	name = token(&k, is_alpha);
	for (int i = 0; i < 12 && name.len >= 3; i++)
		if (!strncasecmp(name.ptr, months + 3 * i, 3))
			month = i + 1;
	cfws_skip(&k);
	digits = token(&k, is_digit);
	if (!month || digits.len < 2 || digits.len > 4 ||
	    !vg_digits_int(digits.ptr, digits.len, &year))
		return 0;
	/* Obsolete years: two digits (from 50 in the 1900s), three digits. */
	if (digits.len == 2)
		year += year < 50 ? 2000 : 1900;
	else if (digits.len == 3)
		year += 1900;
	cfws_skip(&k);
	if (!number(&k, 1, 2, &hour) || k.c >= k.end || *k.c++ != ':' || !number(&k, 2, 2, &minute))
		return 0;
	if (k.c < k.end && *k.c == ':') {
		k.c++;
		if (!number(&k, 2, 2, &second))
			return 0;
	}
	cfws_skip(&k);
	if (!zone_read(&k, &zone))
		return 0;
	if (vg_time_from_civil(year, month, day, hour, minute, second, 0, &ms) != VG_OK)
		return 0;
	return ms / 1000 - (int64_t)zone * 60;
}

/* ---- the message's fields into a vg_mime_message ---- */

static int text_field(vg_str field, const char *what, vg_buf *out, vg_error *err)
{
	vg_buf v = VG_BUF_INIT(VG__MIME_OUT_MAX);
	int rc = VG_OK;

	if (field.ptr) {
		rc = vg__mime_unfold(field, &v, err);
		if (rc == VG_OK)
			rc = vg__mime_words_put(out, vg_buf_cstr(&v), v.len, err);
		if (rc)
			vg_error_prefix(err, "%s", what);
	}
	vg_buf_release(&v);
	return rc;
}

/* The first msg-id of a field as a new string, "" without one. */
static int first_id(vg_str field, const char *what, char **out, vg_error *err)
{
	vg_buf v = VG_BUF_INIT(VG__MIME_OUT_MAX);
	id_list ids = {0};
	int rc = VG_OK;

	if (field.ptr) {
		rc = vg__mime_unfold(field, &v, err);
		if (rc == VG_OK)
			rc = ids_read(vg_buf_cstr(&v), v.len, 1, &ids, err);
		if (rc)
			vg_error_prefix(err, "%s", what);
	}
	if (rc == VG_OK && ids.n) {
		*out = ids.v[0];
		ids.n = 0;
	} else if (rc == VG_OK && !(*out = calloc(1, 1))) {
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
	}
	ids_release(&ids);
	vg_buf_release(&v);
	return rc;
}

int vg__mime_message_fields(const vg__mime_headers *h, vg_mime_message *m, vg_error *err)
{
	vg_buf v = VG_BUF_INIT(VG__MIME_OUT_MAX), name = VG_BUF_INIT(VG__MIME_OUT_MAX),
	       addr = VG_BUF_INIT(VG__MIME_OUT_MAX);
	vg_buf subject = VG_BUF_INIT(VG__MIME_OUT_MAX);
	id_list refs = {0};
	int rc;

	rc = text_field(h->field[VG__MIME_SUBJECT], "Subject", &subject, err);
	if (rc == VG_OK && h->field[VG__MIME_FROM].ptr) {
		rc = vg__mime_unfold(h->field[VG__MIME_FROM], &v, err);
		if (rc == VG_OK)
			rc = from_read(vg_buf_cstr(&v), v.len, &name, &addr, err);
		if (rc)
			vg_error_prefix(err, "From");
	}
	if (rc == VG_OK)
		rc = first_id(h->field[VG__MIME_MESSAGE_ID], "Message-ID", &m->message_id, err);
	if (rc == VG_OK)
		rc = first_id(h->field[VG__MIME_IN_REPLY_TO], "In-Reply-To", &m->in_reply_to, err);
	if (rc == VG_OK && h->field[VG__MIME_REFERENCES].ptr) {
		rc = vg__mime_unfold(h->field[VG__MIME_REFERENCES], &v, err);
		if (rc == VG_OK)
			rc = ids_read(vg_buf_cstr(&v), v.len, SIZE_MAX, &refs, err);
		if (rc)
			vg_error_prefix(err, "References");
	}
	if (rc == VG_OK && h->field[VG__MIME_DATE].ptr) {
		rc = vg__mime_unfold(h->field[VG__MIME_DATE], &v, err);
		if (rc == VG_OK)
			m->date = date_read(vg_buf_cstr(&v), v.len);
	}
	if (rc == VG_OK) {
		m->subject = take(&subject);
		m->from_name = take(&name);
		m->from_address = take(&addr);
		m->references = refs.v;
		m->nreferences = refs.n;
		refs = (id_list){0};
		if (!m->subject || !m->from_name || !m->from_address)
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
	}
	ids_release(&refs);
	vg_buf_release(&subject);
	vg_buf_release(&addr);
	vg_buf_release(&name);
	vg_buf_release(&v);
	return rc;
}
