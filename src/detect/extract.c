/*
 * extract.c - one validating pass over a JSON event that keeps only the
 * values of wanted paths.
 *
 * Speed comes from two things: string bodies are scanned eight bytes at a
 * time for the only bytes that need attention (quote, backslash, control,
 * non-ASCII), and subtrees no rule reads are walked by the same validating
 * code without recording anything or looking keys up.
 */
#include "detect/extract.h"

#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "core/xalloc.h"

#define NO_SLOT UINT32_MAX

typedef struct child {
	char *key;
	uint32_t len;
	uint32_t node;
} child;

typedef struct node {
	uint32_t slot;
	child *kids;
	uint32_t nkids;
	uint32_t *index; /* nodes with many children: open hash of kid + 1 */
	uint32_t index_mask;
	uint32_t wild; /* the child any key leads to ("*" in a path), or NO_SLOT */
} node;

struct vg_fieldset {
	node *nodes;
	size_t nnodes;
	char **paths; /* by slot */
	size_t nslots;
	uint32_t all_strings; /* slot collecting every string, or NO_SLOT */
};

static uint32_t node_new(vg_fieldset *fs)
{
	fs->nodes = vg_xrealloc(fs->nodes, (fs->nnodes + 1) * sizeof(*fs->nodes));
	fs->nodes[fs->nnodes] = (node){ .slot = NO_SLOT, .wild = NO_SLOT };
	return (uint32_t)fs->nnodes++;
}

vg_fieldset *vg_fieldset_new(void)
{
	vg_fieldset *fs = vg_xcalloc(1, sizeof(*fs));

	fs->all_strings = NO_SLOT;
	node_new(fs);
	return fs;
}

void vg_fieldset_free(vg_fieldset *fs)
{
	size_t i, j;

	if (!fs)
		return;
	for (i = 0; i < fs->nnodes; i++) {
		for (j = 0; j < fs->nodes[i].nkids; j++)
			free(fs->nodes[i].kids[j].key);
		free(fs->nodes[i].kids);
		free(fs->nodes[i].index);
	}
	for (i = 0; i < fs->nslots; i++)
		free(fs->paths[i]);
	free(fs->paths);
	free(fs->nodes);
	free(fs);
}

/* Children past this many are found by hash, not by a scan (Windows
 * EventData holds hundreds of the names rules read). */
#define INDEX_AFTER 8

static uint32_t key_hash(const char *key, size_t len)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)key[i];
		h *= 16777619u;
	}
	return h;
}

static uint32_t find_child(const vg_fieldset *fs, uint32_t n, const char *key, size_t len)
{
	const node *nd = &fs->nodes[n];
	uint32_t i;

	if (nd->index) {
		for (i = key_hash(key, len) & nd->index_mask; nd->index[i];
		     i = (i + 1) & nd->index_mask) {
			const child *c = &nd->kids[nd->index[i] - 1];

			if (c->len == len && memcmp(c->key, key, len) == 0)
				return c->node;
		}
		return NO_SLOT;
	}
	for (i = 0; i < nd->nkids; i++)
		if (nd->kids[i].len == len && memcmp(nd->kids[i].key, key, len) == 0)
			return nd->kids[i].node;
	return NO_SLOT;
}

/* Rebuilds a node's hash of children at a quarter full at most. */
static void index_children(node *nd)
{
	uint32_t size = 16, k, i;

	if (nd->nkids <= INDEX_AFTER)
		return;
	while (size < nd->nkids * 4)
		size *= 2;
	free(nd->index);
	nd->index = vg_xcalloc(size, sizeof(*nd->index));
	nd->index_mask = size - 1;
	for (k = 0; k < nd->nkids; k++) {
		for (i = key_hash(nd->kids[k].key, nd->kids[k].len) & nd->index_mask; nd->index[i];
		     i = (i + 1) & nd->index_mask)
			;
		nd->index[i] = k + 1;
	}
}

static uint32_t new_slot(vg_fieldset *fs, const char *path)
{
	fs->paths = vg_xrealloc(fs->paths, (fs->nslots + 1) * sizeof(*fs->paths));
	fs->paths[fs->nslots] = vg_xstrdup(path);
	return (uint32_t)fs->nslots++;
}

/* The trie node of path, created as needed. */
static uint32_t path_node(vg_fieldset *fs, const char *path)
{
	uint32_t n = 0, next;
	const char *seg = path, *dot;

	for (;;) {
		size_t len;

		dot = strchr(seg, '.');
		len = dot ? (size_t)(dot - seg) : strlen(seg);
		if (len == 1 && seg[0] == '*') {
			next = fs->nodes[n].wild;
			if (next == NO_SLOT) {
				next = node_new(fs);
				fs->nodes[n].wild = next;
			}
		} else if ((next = find_child(fs, n, seg, len)) == NO_SLOT) {
			node *nd;

			next = node_new(fs);
			nd = &fs->nodes[n];
			nd->kids = vg_xrealloc(nd->kids, (nd->nkids + 1) * sizeof(*nd->kids));
			nd->kids[nd->nkids].key = vg_xmalloc(len + 1);
			memcpy(nd->kids[nd->nkids].key, seg, len);
			nd->kids[nd->nkids].key[len] = '\0';
			nd->kids[nd->nkids].len = (uint32_t)len;
			nd->kids[nd->nkids].node = next;
			nd->nkids++;
			index_children(nd);
		}
		n = next;
		if (!dot)
			return n;
		seg = dot + 1;
	}
}

uint32_t vg_fieldset_add(vg_fieldset *fs, const char *path)
{
	uint32_t n = path_node(fs, path);

	if (fs->nodes[n].slot == NO_SLOT)
		fs->nodes[n].slot = new_slot(fs, path);
	return fs->nodes[n].slot;
}

bool vg_fieldset_alias(vg_fieldset *fs, const char *path, uint32_t slot)
{
	uint32_t n;

	if (slot >= fs->nslots)
		return false;
	n = path_node(fs, path);

	if (fs->nodes[n].slot == NO_SLOT)
		fs->nodes[n].slot = slot;
	return fs->nodes[n].slot == slot;
}

uint32_t vg_fieldset_add_all_strings(vg_fieldset *fs)
{
	if (fs->all_strings == NO_SLOT)
		fs->all_strings = new_slot(fs, "*");
	return fs->all_strings;
}

size_t vg_fieldset_count(const vg_fieldset *fs)
{
	return fs->nslots;
}

const char *vg_fieldset_path(const vg_fieldset *fs, uint32_t id)
{
	return id < fs->nslots ? fs->paths[id] : NULL;
}

/* The walk over one event. */
typedef struct walker {
	const char *start, *p, *end;
	const vg_fieldset *fs;
	vg_fields *out;
	vg_error *err;
	int depth;
	bool quiet; /* validating only: record nothing (a top-level non-object) */
	const char *err_at;
	enum vg_json_fault fault;
} walker;

/* Records where and why the event is bad; an error at the end of the
 * input means the event was cut short, whatever the grammar expected. */
static int fault(walker *w, const char *at, enum vg_json_fault kind, const char *why)
{
	w->err_at = at;
	w->fault = at >= w->end ? VG_JSON_TRUNCATED : kind;
	return vg_error_set(w->err, VG_EINVAL, "invalid JSON at byte %zu: %s",
			    (size_t)(at - w->start), why);
}

static void skip_ws(walker *w)
{
	while (w->p < w->end && (*w->p == ' ' || *w->p == '\n' || *w->p == '\r' || *w->p == '\t'))
		w->p++;
}

static int record(walker *w, uint32_t slot, const char *ptr, size_t len, enum vg_fv_type type)
{
	vg_fields *f = w->out;
	uint32_t i;

	if (f->nvalues == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 64;
		vg_fvalue *v = realloc(f->values, cap * sizeof(*v));

		if (!v)
			return vg_error_set(w->err, VG_ENOMEM, "out of memory reading an event");
		f->values = v;
		f->cap = cap;
	}
	i = (uint32_t)f->nvalues++;
	f->values[i] = (vg_fvalue){ ptr, (uint32_t)len, (uint8_t)type, VG_FV_NONE };
	if (f->head[slot] == VG_FV_NONE) {
		f->head[slot] = i;
		f->touched[f->ntouched++] = slot;
	} else
		f->values[f->tail[slot]].next = i;
	f->tail[slot] = i;
	return VG_OK;
}

/* The four hex digits of a \u escape at q (just past the "\u"): 1 with *out
 * set, 0 when they are not hex digits, -1 when the input ends first. */
static int hex4(const char *q, const char *end, unsigned *out)
{
	unsigned v = 0;
	int i;

	for (i = 0; i < 4; i++) {
		char c;

		if (end - q <= i)
			return -1;
		c = q[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return 0;
	}
	*out = v;
	return 1;
}

/* True when the n bytes at s, which end the input, are the start of a
 * valid multi-byte UTF-8 sequence that the end of the input cut short. */
static bool utf8_cut(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t need = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
	size_t i;

	if (!need || n >= need)
		return false;
	for (i = 1; i < n; i++)
		if ((s[i] & 0xC0) != 0x80)
			return false;
	if (n >= 2 && ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] > 0x9F) ||
		       (c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] > 0x8F)))
		return false;
	return true;
}

static char *put_utf8(char *o, unsigned cp)
{
	if (cp < 0x80) {
		*o++ = (char)cp;
	} else if (cp < 0x800) {
		*o++ = (char)(0xC0 | (cp >> 6));
		*o++ = (char)(0x80 | (cp & 0x3F));
	} else if (cp < 0x10000) {
		*o++ = (char)(0xE0 | (cp >> 12));
		*o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
		*o++ = (char)(0x80 | (cp & 0x3F));
	} else {
		*o++ = (char)(0xF0 | (cp >> 18));
		*o++ = (char)(0x80 | ((cp >> 12) & 0x3F));
		*o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
		*o++ = (char)(0x80 | (cp & 0x3F));
	}
	return o;
}

#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL
/* Non-zero when some byte of x is zero (exact as a yes/no answer). */
#define HAS_ZERO(x) (((x) - ONES) & ~(x) & HIGHS)

/* True when none of the 8 bytes at p needs attention inside a string. */
static inline int plain8(const char *p)
{
	uint64_t x;

	memcpy(&x, p, 8);
	return !(HAS_ZERO(x ^ (ONES * '"')) | HAS_ZERO(x ^ (ONES * '\\')) |
		 ((x - ONES * 0x20) & ~x & HIGHS) | (x & HIGHS));
}

/*
 * Reads the string whose opening quote is at w->p. When want is set,
 * *out and *outlen get its text: a span of the event when it has no escapes,
 * else its unescaped copy in the scratch area (which never needs more room
 * than the event itself, reserved by vg_fields_extract).
 */
static int read_string(walker *w, bool want, const char **out, size_t *outlen)
{
	const char *p = w->p + 1, *end = w->end, *begin = p;
	char *o = NULL;

	for (;;) {
		while (end - p >= 8 && plain8(p)) {
			if (o) {
				memcpy(o, p, 8);
				o += 8;
			}
			p += 8;
		}
		if (p >= end)
			return fault(w, w->p, VG_JSON_TRUNCATED, "unterminated string");
		unsigned char c = (unsigned char)*p;

		if (c == '"')
			break;
		if (c < 0x20)
			return fault(w, p, VG_JSON_SYNTAX, "control character in a string");
		if (c >= 0x80) {
			size_t n = vg_utf8_seq_len((const unsigned char *)p, (size_t)(end - p));

			if (!n && utf8_cut((const unsigned char *)p, (size_t)(end - p)))
				return fault(w, w->p, VG_JSON_TRUNCATED, "unterminated string");
			if (!n)
				return fault(w, p, VG_JSON_UTF8, "invalid UTF-8");
			if (o) {
				memcpy(o, p, n);
				o += n;
			}
			p += n;
			continue;
		}
		if (c != '\\') {
			if (o)
				*o++ = (char)c;
			p++;
			continue;
		}
		if (want && !o) {
			o = w->out->scratch + w->out->scratch_used;
			memcpy(o, begin, (size_t)(p - begin));
			begin = o;
			o += p - (w->p + 1);
		}
		if (end - p < 2)
			return fault(w, w->p, VG_JSON_TRUNCATED, "unterminated string");
		switch (p[1]) {
		case '"': case '\\': case '/':
			if (o)
				*o++ = p[1];
			p += 2;
			continue;
		case 'b': if (o) *o++ = '\b'; p += 2; continue;
		case 'f': if (o) *o++ = '\f'; p += 2; continue;
		case 'n': if (o) *o++ = '\n'; p += 2; continue;
		case 'r': if (o) *o++ = '\r'; p += 2; continue;
		case 't': if (o) *o++ = '\t'; p += 2; continue;
		case 'u': {
			unsigned cp, lo = 0;
			int got = hex4(p + 2, end, &cp);

			if (got < 0)
				return fault(w, w->p, VG_JSON_TRUNCATED, "unterminated string");
			if (!got)
				return fault(w, p, VG_JSON_SYNTAX, "invalid \\u escape");
			p += 6;
			if (cp >= 0xDC00 && cp <= 0xDFFF)
				return fault(w, p - 6, VG_JSON_SYNTAX, "lone low surrogate in \\u escape");
			if (cp >= 0xD800 && cp <= 0xDBFF) {
				/* A high surrogate must be followed by a low one; the
				 * input may end before saying whether it is. */
				if (end - p < 2)
					got = end - p == 1 && p[0] != '\\' ? 0 : -1;
				else
					got = p[0] != '\\' || p[1] != 'u' ? 0 : hex4(p + 2, end, &lo);
				if (got < 0)
					return fault(w, w->p, VG_JSON_TRUNCATED, "unterminated string");
				if (!got || lo < 0xDC00 || lo > 0xDFFF)
					return fault(w, p - 6, VG_JSON_SYNTAX, "lone high surrogate in \\u escape");
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
				p += 6;
			}
			if (o)
				o = put_utf8(o, cp);
			continue;
		}
		default:
			return fault(w, p, VG_JSON_SYNTAX, "invalid escape in a string");
		}
	}
	if (want) {
		if (o) {
			*out = begin;
			*outlen = (size_t)(o - begin);
			w->out->scratch_used += *outlen;
		} else {
			*out = begin;
			*outlen = (size_t)(p - begin);
		}
	}
	w->p = p + 1;
	return VG_OK;
}

static int read_number(walker *w)
{
	const char *p = w->p, *end = w->end;

	if (p < end && *p == '-')
		p++;
	if (p >= end)
		return fault(w, p, VG_JSON_TRUNCATED, "invalid number: digits expected");
	if (*p < '0' || *p > '9')
		return fault(w, w->p, VG_JSON_SYNTAX, "invalid number");
	if (*p == '0')
		p++;
	else
		while (p < end && *p >= '0' && *p <= '9')
			p++;
	if (p < end && *p == '.') {
		p++;
		if (p >= end || *p < '0' || *p > '9')
			return fault(w, p, VG_JSON_SYNTAX, "invalid number: digits expected after '.'");
		while (p < end && *p >= '0' && *p <= '9')
			p++;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		if (p >= end || *p < '0' || *p > '9')
			return fault(w, p, VG_JSON_SYNTAX, "invalid number: digits expected in the exponent");
		while (p < end && *p >= '0' && *p <= '9')
			p++;
	}
	w->p = p;
	return VG_OK;
}

/* true, false or null; a literal the input cuts short is truncated. */
static int read_literal(walker *w, const char *lit, size_t n)
{
	size_t avail = (size_t)(w->end - w->p);

	if (memcmp(w->p, lit, avail < n ? avail : n) != 0)
		return fault(w, w->p, VG_JSON_SYNTAX, "unexpected character");
	if (avail < n)
		return fault(w, w->p, VG_JSON_TRUNCATED, "unterminated literal");
	w->p += n;
	return VG_OK;
}

static int read_value(walker *w, uint32_t n);

/* After an array element or object member: a ',' (more follows) or the
 * closing bracket. */
static inline int after_element(walker *w, char close, bool *more)
{
	skip_ws(w);
	if (w->p < w->end && (*w->p == ',' || *w->p == close)) {
		*more = *w->p++ == ',';
		return VG_OK;
	}
	return fault(w, w->p, VG_JSON_SYNTAX,
		     close == '}' ? "expected ',' or '}'" : "expected ',' or ']'");
}

/* n is the trie node of this value's path, or NO_SLOT when untracked. */
static int read_object(walker *w, uint32_t n)
{
	const vg_fieldset *fs = w->fs;
	const char *key;
	bool more;
	size_t klen;
	int rc;

	w->p++;
	skip_ws(w);
	if (w->p < w->end && *w->p == '}') {
		w->p++;
		return VG_OK;
	}
	for (;;) {
		uint32_t kid = NO_SLOT;

		skip_ws(w);
		if (w->p >= w->end || *w->p != '"')
			return fault(w, w->p, VG_JSON_SYNTAX, "expected a key");
		if (n != NO_SLOT && (fs->nodes[n].nkids || fs->nodes[n].wild != NO_SLOT)) {
			rc = read_string(w, true, &key, &klen);
			if (rc)
				return rc;
			kid = find_child(fs, n, key, klen);
			if (kid == NO_SLOT)
				kid = fs->nodes[n].wild;
		} else {
			rc = read_string(w, false, NULL, NULL);
			if (rc)
				return rc;
		}
		skip_ws(w);
		if (w->p >= w->end || *w->p != ':')
			return fault(w, w->p, VG_JSON_SYNTAX, "expected ':'");
		w->p++;
		rc = read_value(w, kid);
		if (rc)
			return rc;
		rc = after_element(w, '}', &more);
		if (rc || !more)
			return rc;
	}
}

static int read_array(walker *w, uint32_t n)
{
	bool more;
	int rc;

	w->p++;
	skip_ws(w);
	if (w->p < w->end && *w->p == ']') {
		w->p++;
		return VG_OK;
	}
	for (;;) {
		rc = read_value(w, n);
		if (rc)
			return rc;
		rc = after_element(w, ']', &more);
		if (rc || !more)
			return rc;
	}
}

static int read_value(walker *w, uint32_t n)
{
	const vg_fieldset *fs = w->fs;
	uint32_t slot = n == NO_SLOT ? NO_SLOT : fs->nodes[n].slot;
	bool all = fs->all_strings != NO_SLOT && !w->quiet;
	const char *start;
	int rc;

	skip_ws(w);
	if (w->p >= w->end)
		return fault(w, w->p, VG_JSON_SYNTAX, "expected a value");
	start = w->p;
	switch (*w->p) {
	case '"': {
		const char *s = NULL;
		size_t len = 0;

		rc = read_string(w, slot != NO_SLOT || all, &s, &len);
		if (rc)
			return rc;
		if (slot != NO_SLOT && (rc = record(w, slot, s, len, VG_FV_STRING)))
			return rc;
		if (all)
			return record(w, fs->all_strings, s, len, VG_FV_STRING);
		return VG_OK;
	}
	case '{':
	case '[':
		if (++w->depth > VG_JSON_MAX_DEPTH)
			return fault(w, w->p, VG_JSON_DEPTH, "nested too deeply");
		rc = *w->p == '{' ? read_object(w, n) : read_array(w, n);
		w->depth--;
		/* An array's elements were recorded one by one; an object is
		 * recorded whole so that "exists" and null tests see it. */
		if (rc == VG_OK && slot != NO_SLOT && *start == '{')
			rc = record(w, slot, start, (size_t)(w->p - start), VG_FV_OBJECT);
		return rc;
	case 't':
		rc = read_literal(w, "true", 4);
		return rc || slot == NO_SLOT ? rc : record(w, slot, start, 4, VG_FV_TRUE);
	case 'f':
		rc = read_literal(w, "false", 5);
		return rc || slot == NO_SLOT ? rc : record(w, slot, start, 5, VG_FV_FALSE);
	case 'n':
		rc = read_literal(w, "null", 4);
		return rc || slot == NO_SLOT ? rc : record(w, slot, start, 4, VG_FV_NULL);
	case '-': case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9':
		rc = read_number(w);
		if (rc || slot == NO_SLOT)
			return rc;
		return record(w, slot, start, (size_t)(w->p - start), VG_FV_NUMBER);
	default:
		return fault(w, w->p, VG_JSON_SYNTAX, "unexpected character");
	}
}

int vg_fields_scan(const vg_fieldset *fs, const char *json, size_t len, vg_fields *out,
		   vg_json_pos *pos, vg_error *err)
{
	walker w = { .start = json, .p = json, .end = json + len, .fs = fs, .out = out, .err = err };
	size_t i;
	int rc;

	pos->end = 0;
	pos->fault = VG_JSON_OK;
	if (len > UINT32_MAX)
		return vg_error_set(err, VG_ETOOBIG, "event larger than 4 GiB");
	if (out->nslots < fs->nslots) {
		uint32_t *h = realloc(out->head, fs->nslots * sizeof(*h));
		uint32_t *t = h ? realloc(out->tail, fs->nslots * sizeof(*t)) : NULL;
		uint32_t *u = t ? realloc(out->touched, fs->nslots * sizeof(*u)) : NULL;

		if (h)
			out->head = h;
		if (t)
			out->tail = t;
		if (!h || !t || !u)
			return vg_error_set(err, VG_ENOMEM, "out of memory reading an event");
		out->touched = u;
		for (i = out->nslots; i < fs->nslots; i++)
			out->head[i] = VG_FV_NONE;
		out->nslots = fs->nslots;
	}
	/* Only the fields the last event filled need clearing. */
	for (i = 0; i < out->ntouched; i++)
		out->head[out->touched[i]] = VG_FV_NONE;
	out->ntouched = 0;
	out->nvalues = 0;
	out->scratch_used = 0;
	if (out->scratch_cap < len) {
		char *s = realloc(out->scratch, len);

		if (!s)
			return vg_error_set(err, VG_ENOMEM, "out of memory reading an event");
		out->scratch = s;
		out->scratch_cap = len;
	}
	skip_ws(&w);
	if (w.p < w.end && *w.p == '{') {
		rc = read_value(&w, 0);
	} else if (w.p >= w.end) {
		rc = fault(&w, w.p, VG_JSON_TRUNCATED, "expected a JSON object");
	} else {
		/* Valid JSON that is not an object is told apart from garbage,
		 * and its end is reported so that a reader can step over it. */
		const char *value = w.p;

		w.quiet = true;
		rc = read_value(&w, NO_SLOT);
		if (rc == VG_OK) {
			rc = fault(&w, value, VG_JSON_NOT_OBJECT, "expected a JSON object");
			w.err_at = w.p;
		}
	}
	pos->end = (size_t)((rc && w.err_at ? w.err_at : w.p) - json);
	pos->fault = rc ? w.fault : VG_JSON_OK;
	return rc;
}

int vg_fields_extract(const vg_fieldset *fs, const char *json, size_t len, vg_fields *out,
		      vg_error *err)
{
	vg_json_pos pos;
	size_t end;
	int rc = vg_fields_scan(fs, json, len, out, &pos, err);

	if (rc)
		return rc;
	end = pos.end;
	while (end < len && (json[end] == ' ' || json[end] == '\n' || json[end] == '\r' ||
			     json[end] == '\t'))
		end++;
	if (end != len)
		return vg_error_set(err, VG_EINVAL, "invalid JSON at byte %zu: data after the JSON object",
				    end);
	return VG_OK;
}

void vg_fields_release(vg_fields *f)
{
	free(f->head);
	free(f->tail);
	free(f->touched);
	free(f->values);
	free(f->scratch);
	memset(f, 0, sizeof(*f));
}
