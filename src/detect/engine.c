/*
 * engine.c - compiling Sigma rules into per-field Vectorscan databases and
 * boolean programs, and matching events against them.
 */
#include "detect/engine.h"

#include <arpa/inet.h>
#include <hs/hs.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "core/base64.h"
#include "core/buf.h"
#include "core/digits.h"
#include "core/map.h"
#include "core/xalloc.h"
#include "detect/affix.h"

enum test_kind {
	T_STRING,   /* pattern on the field's text: Vectorscan, else PCRE2 */
	T_EXACT,    /* the whole text equals a literal: a hash lookup */
	T_AFFIX,    /* the text starts or ends with a literal: a trie walk */
	T_NULL,     /* the field is absent or null */
	T_EXISTS,   /* the field is present */
	T_CIDR,     /* an IP address inside a network */
	T_NUMBER,   /* numeric comparison, optionally of a date part */
	T_FIELDREF, /* equal to (or containing ...) another field's value */
};

enum cmp { CMP_EQ, CMP_LT, CMP_LTE, CMP_GT, CMP_GTE };
enum datepart { DP_NONE, DP_MINUTE, DP_HOUR, DP_DAY, DP_WEEK, DP_MONTH, DP_YEAR };
enum position { POS_EXACT, POS_CONTAINS, POS_STARTSWITH, POS_ENDSWITH };

typedef struct test {
	uint8_t kind;
	uint32_t slot;
	/* T_STRING; T_EXACT and T_AFFIX keep their literal (lower-cased unless
	 * cased) here */
	char *regex;
	size_t regex_len;
	unsigned hs_flags;
	pcre2_code *pcre; /* when Vectorscan cannot take regex */
	/* T_CIDR */
	int family;
	unsigned char net[16];
	int prefix;
	/* T_NUMBER */
	uint8_t cmp, datepart;
	double number;
	/* T_FIELDREF */
	uint32_t other;
	uint8_t position;
	bool cased;
	/* which rules a firing of this test makes candidates */
	uint32_t *rules;
	uint32_t nrules;
} test;

enum op_code { OP_TEST, OP_NOT, OP_AND, OP_OR };

typedef struct op {
	uint8_t code;
	uint32_t arg; /* OP_TEST: test id; OP_AND, OP_OR: operand count */
} op;

typedef struct program {
	op *ops;
	size_t n, cap;
} program;

typedef struct compiled_rule {
	const vg_rule *rule;
	program prog;
	uint32_t gates[2]; /* program ids in engine->gates */
	uint32_t ngates;
	bool always; /* the condition holds with no test firing */
} compiled_rule;

typedef struct field_db {
	hs_database_t *db;
	uint32_t *pcre_tests; /* tests of this field on PCRE2 */
	size_t npcre;
} field_db;

struct vg_engine {
	const vg_source_type *type;
	vg_fieldset *fields;
	test *tests;
	size_t ntests, tests_cap;
	vg_map test_index; /* dedupe key -> test id + 1 */
	vg_map exact;      /* T_EXACT: slot, cased and literal -> test id + 1 */
	uint8_t *slot_exact; /* per slot: 1 cased literals, 2 caseless ones, 4 affixes */
	vg_affix **affix;    /* per slot, AFFIX_SETS: T_AFFIX tests by end and case */
	compiled_rule *rules;
	size_t nrules;
	program *gates;
	size_t ngates;
	const vg_sigma_map **gate_maps; /* dedupe of gates by map */
	field_db *dbs;                  /* by field slot */
	size_t ndbs;
	uint32_t *direct; /* tests evaluated without a database */
	size_t ndirect;
	uint32_t *always; /* rules with always set */
	size_t nalways;
	size_t max_stack;
	vg_engine_stats stats;
	uint32_t keyword_slots[16];
	size_t nkeyword_slots;
	bool keywords_ready;
};

struct vg_matcher {
	const vg_engine *e;
	hs_scratch_t *scratch;
	pcre2_match_data *md;
	vg_fields fields;
	uint32_t epoch;
	uint32_t *test_epoch;
	uint32_t *rule_epoch;
	uint32_t *gate_epoch;
	bool *gate_value;
	uint32_t *fired;
	size_t nfired;
	uint32_t *candidates;
	size_t ncandidates;
	uint32_t *hits; /* candidates whose condition held, as rule indexes */
	vg_matcher_counters counters;
	char *key; /* an exact-literal lookup's key */
	size_t key_cap;
	uint32_t ip_epoch; /* the last address parsed for CIDR tests */
	const char *ip_ptr;
	bool ip_ok;
	int ip_family;
	unsigned char ip_addr[16];
	const vg_rule **matched;
	size_t nmatched;
	bool *stack;
	const vg_fields *cur; /* the event being matched */
};

/* ---- compiling ---------------------------------------------------- */

typedef struct compiler {
	vg_engine *e;
	const vg_rule *rule; /* for error messages */
	const vg_placeholders *placeholders;
	bool placeholders_unknown_ok;
	vg_error *err;
} compiler;

__attribute__((format(printf, 3, 4)))
static int fail(compiler *c, int line, const char *fmt, ...)
{
	char msg[VG_ERROR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return vg_error_set(c->err, VG_EINVAL, "%s:%d: %s", c->rule->origin,
			    line ? line : c->rule->line, msg);
}

static void emit(program *p, uint8_t code, uint32_t arg)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 16;
		p->ops = vg_xrealloc(p->ops, p->cap * sizeof(*p->ops));
	}
	p->ops[p->n++] = (op){ code, arg };
}

/* Adds t unless an identical test exists; returns the id either way. */
static uint32_t intern_test(vg_engine *e, test *t, const char *key)
{
	vg_map_entry *en;
	int created;

	en = vg_map_put(&e->test_index, key, strlen(key), &created);
	if (!en)
		vg_xmalloc(SIZE_MAX); /* compiling: out of memory is fatal (xalloc.h) */
	if (!created) {
		free(t->regex);
		return (uint32_t)((uintptr_t)en->value - 1);
	}
	if (e->ntests == e->tests_cap) {
		e->tests_cap = e->tests_cap ? e->tests_cap * 2 : 256;
		e->tests = vg_xrealloc(e->tests, e->tests_cap * sizeof(*e->tests));
	}
	e->tests[e->ntests] = *t;
	en->value = (void *)(uintptr_t)(e->ntests + 1);
	return (uint32_t)e->ntests++;
}

/* The slot of a rule's field name: the type's first path for it, with its
 * other paths recording into the same slot. */
static uint32_t field_slot(vg_engine *e, const char *field)
{
	char paths[4][VG_PATH_MAX];
	size_t n, i;
	uint32_t slot;

	if (!e->type)
		return vg_fieldset_add(e->fields, field);
	n = vg_source_type_paths(e->type, field, paths, 4);
	slot = vg_fieldset_add(e->fields, paths[0]);
	for (i = 1; i < n; i++)
		vg_fieldset_alias(e->fields, paths[i], slot);
	return slot;
}

/* Appends byte c to a regex as itself (letters, digits, and the bytes of
 * UTF-8 sequences, which are never metacharacters) or as \xHH. */
static void regex_byte(vg_buf *re, unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	    c == '_' || c >= 0x80)
		vg_buf_append(re, &c, 1);
	else
		vg_buf_printf(re, "\\x%02x", c);
}

/* What windash puts where a command-line flag's dash or slash is: the two
 * of them and the Unicode dashes Windows accepts in their place. */
#define WINDASH_ALTERNATIVES "(?:-|/|\xe2\x80\x93|\xe2\x80\x94|\xe2\x80\x95)"

/* Word characters as Python's re sees them, for windash's \B[-/]\b: ASCII
 * letters, digits and '_', and (approximately) every non-ASCII letter. */
static bool is_word(const char *s, size_t len, size_t i)
{
	unsigned char c;

	if (i >= len)
		return false;
	c = (unsigned char)s[i];
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c >= 0x80;
}

/* A dash or slash windash replaces: not inside a word, and followed by one
 * (" -enc", "/c"), as pySigma's \B[-/]\b. */
static bool windash_at(const char *s, size_t len, size_t i)
{
	return (s[i] == '-' || s[i] == '/') && !(i > 0 && is_word(s, len, i - 1)) &&
	       is_word(s, len, i + 1);
}

/*
 * A Sigma string (escapes \* \? \\, wildcards * ?) as a regex body; returns
 * whether it had a wildcard. Sigma's escape rule: a backslash escapes the
 * next character only when that is *, ? or a backslash; otherwise it is
 * itself. '?' is one character, so the pattern then matches UTF-8.
 */
static bool glob_to_regex(const char *s, size_t len, bool windash, vg_buf *re, bool *one_char,
			  bool *dashed)
{
	bool wild = false;
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] == '\\' && i + 1 < len &&
		    (s[i + 1] == '*' || s[i + 1] == '?' || s[i + 1] == '\\')) {
			regex_byte(re, (unsigned char)s[++i]);
		} else if (s[i] == '*') {
			vg_buf_puts(re, ".*");
			wild = true;
		} else if (s[i] == '?') {
			vg_buf_puts(re, ".");
			wild = true;
			*one_char = true;
		} else if (windash && windash_at(s, len, i)) {
			vg_buf_puts(re, WINDASH_ALTERNATIVES);
			*dashed = true;
		} else {
			regex_byte(re, (unsigned char)s[i]);
		}
	}
	return wild;
}

/* A Sigma string without wildcards as plain bytes (for the encodings). */
static int unescape_plain(compiler *c, int line, const char *s, size_t len, vg_buf *out)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] == '\\' && i + 1 < len && (s[i + 1] == '*' || s[i + 1] == '?' || s[i + 1] == '\\'))
			i++;
		else if (s[i] == '*' || s[i] == '?')
			return fail(c, line, "wildcards cannot be combined with base64 encodings");
		vg_buf_append(out, &s[i], 1);
	}
	return VG_OK;
}

/* UTF-8 text to UTF-16 bytes. */
static int to_utf16(compiler *c, int line, const vg_buf *in, uint32_t mods, vg_buf *out)
{
	const unsigned char *p = (const unsigned char *)in->ptr;
	size_t i = 0, n = in->len;
	bool be = mods & VG_MOD_UTF16BE;

	if (mods & VG_MOD_UTF16)
		vg_buf_append(out, "\xff\xfe", 2);
	while (i < n) {
		unsigned cp, units[2], k, nunits = 1;

		if (p[i] < 0x80) {
			cp = p[i++];
		} else if ((p[i] & 0xE0) == 0xC0 && i + 1 < n) {
			cp = ((p[i] & 0x1Fu) << 6) | (p[i + 1] & 0x3Fu);
			i += 2;
		} else if ((p[i] & 0xF0) == 0xE0 && i + 2 < n) {
			cp = ((p[i] & 0x0Fu) << 12) | ((p[i + 1] & 0x3Fu) << 6) | (p[i + 2] & 0x3Fu);
			i += 3;
		} else if ((p[i] & 0xF8) == 0xF0 && i + 3 < n) {
			cp = ((p[i] & 0x07u) << 18) | ((p[i + 1] & 0x3Fu) << 12) |
			     ((p[i + 2] & 0x3Fu) << 6) | (p[i + 3] & 0x3Fu);
			i += 4;
		} else {
			return fail(c, line, "value is not valid UTF-8");
		}
		units[0] = cp;
		if (cp >= 0x10000) {
			units[0] = 0xD800 + ((cp - 0x10000) >> 10);
			units[1] = 0xDC00 + ((cp - 0x10000) & 0x3FF);
			nunits = 2;
		}
		for (k = 0; k < nunits; k++) {
			unsigned char b[2] = { (unsigned char)(units[k] & 0xFF), (unsigned char)(units[k] >> 8) };

			if (be) {
				unsigned char t = b[0];

				b[0] = b[1];
				b[1] = t;
			}
			vg_buf_append(out, b, 2);
		}
	}
	return VG_OK;
}

/*
 * The base64offset variants: the value encoded after 0, 1 and 2 bytes of
 * unknown prefix, each cut to the characters that depend on the value
 * alone. The cuts are pySigma's, so a rule matches what it matches there:
 * the first 0, 2 or 3 characters go (they hold prefix bits), and at the end
 * 3 or 2 characters (with the padding) when the shifted length leaves one
 * or two bytes over.
 */
static void base64_offsets(const vg_buf *plain, vg_buf variants[3])
{
	static const size_t start[3] = { 0, 2, 3 };
	static const size_t end_cut[3] = { 0, 3, 2 };
	size_t i;

	for (i = 0; i < 3; i++) {
		vg_buf enc = VG_BUF_INIT(1 << 20);
		unsigned char *shifted = vg_xcalloc(1, plain->len + 3);
		size_t cut = end_cut[(plain->len + i) % 3];

		memset(shifted, ' ', i);
		memcpy(shifted + i, plain->ptr, plain->len);
		vg_base64_encode(shifted, plain->len + i, &enc);
		if (enc.len > start[i] + cut)
			vg_buf_append(&variants[i], enc.ptr + start[i], enc.len - start[i] - cut);
		vg_buf_release(&enc);
		free(shifted);
	}
}

static uint32_t string_test(compiler *c, uint32_t slot, const char *regex, unsigned flags)
{
	char key[64];
	vg_buf k = VG_BUF_INIT(SIZE_MAX);
	test t = { .kind = T_STRING, .slot = slot, .hs_flags = flags };
	uint32_t id;

	snprintf(key, sizeof(key), "s\x1f%u\x1f%u\x1f", slot, flags);
	vg_buf_puts(&k, key);
	vg_buf_puts(&k, regex);
	t.regex = vg_xstrdup(regex);
	id = intern_test(c->e, &t, vg_buf_cstr(&k));
	vg_buf_release(&k);
	return id;
}

/* Anchors for a value's position: \A and \z, since $ would also match
 * before a final newline. */
static void anchor_start(vg_buf *re, enum position pos)
{
	if (pos == POS_EXACT || pos == POS_STARTSWITH)
		vg_buf_puts(re, "\\A");
}

static void anchor_end(vg_buf *re, enum position pos)
{
	if (pos == POS_EXACT || pos == POS_ENDSWITH)
		vg_buf_puts(re, "\\z");
}

static void literal_regex(const vg_buf *bytes, enum position pos, vg_buf *re)
{
	size_t i;

	anchor_start(re, pos);
	for (i = 0; i < bytes->len; i++)
		regex_byte(re, (unsigned char)bytes->ptr[i]);
	anchor_end(re, pos);
}

static enum position position_of(uint32_t mods)
{
	if (mods & VG_MOD_CONTAINS)
		return POS_CONTAINS;
	if (mods & VG_MOD_STARTSWITH)
		return POS_STARTSWITH;
	if (mods & VG_MOD_ENDSWITH)
		return POS_ENDSWITH;
	return POS_EXACT;
}

/* A value without wildcards compared whole, or with the text's start or
 * end: looked up in a hash of the field's literals, or found by walking a
 * trie of them (lower-cased, as Vectorscan folds case, unless cased), which
 * costs the same for one literal or thousands. */
static int compile_literal(compiler *c, program *p, uint32_t slot, const vg_sigma_item *it,
			   const vg_sigma_value *v, enum position pos)
{
	vg_buf lit = VG_BUF_INIT(SIZE_MAX), k = VG_BUF_INIT(SIZE_MAX);
	bool cased = it->mods & VG_MOD_CASED;
	test t = { .kind = pos == POS_EXACT ? T_EXACT : T_AFFIX,
		   .slot = slot,
		   .cased = cased,
		   .position = (uint8_t)pos };
	size_t i;
	int rc = unescape_plain(c, it->line, v->text, v->len, &lit);

	if (rc == VG_OK) {
		if (!cased)
			for (i = 0; i < lit.len; i++)
				if (lit.ptr[i] >= 'A' && lit.ptr[i] <= 'Z')
					lit.ptr[i] = (char)(lit.ptr[i] + 32);
		t.regex = vg_xmalloc(lit.len + 1);
		memcpy(t.regex, vg_buf_cstr(&lit), lit.len + 1);
		t.regex_len = lit.len;
		vg_buf_printf(&k, "x%c%u%c%d%c%d%c", 0x1f, slot, 0x1f, cased, 0x1f, (int)pos, 0x1f);
		vg_buf_append(&k, t.regex, t.regex_len);
		emit(p, OP_TEST, intern_test(c->e, &t, vg_buf_cstr(&k)));
	}
	vg_buf_release(&lit);
	vg_buf_release(&k);
	return rc;
}

/* Emits the tests for one string value on slot: one test, or an OR of
 * the encoded variants. */
static int compile_string(compiler *c, program *p, uint32_t slot, const vg_sigma_item *it,
			  const vg_sigma_value *v)
{
	/* A keyword is searched for anywhere in the text it looks at. */
	enum position pos = !it->field && !(it->mods & (VG_MOD_STARTSWITH | VG_MOD_ENDSWITH))
				    ? POS_CONTAINS
				    : position_of(it->mods);
	vg_buf re = VG_BUF_INIT(SIZE_MAX);
	unsigned flags = HS_FLAG_SINGLEMATCH | HS_FLAG_ALLOWEMPTY;
	int rc = VG_OK;

	if (it->mods & VG_MOD_RE) {
		if (it->mods & VG_MOD_RE_I)
			flags |= HS_FLAG_CASELESS;
		if (it->mods & VG_MOD_RE_M)
			flags |= HS_FLAG_MULTILINE;
		if (it->mods & VG_MOD_RE_S)
			flags |= HS_FLAG_DOTALL;
		vg_buf_append(&re, v->text, v->len);
		emit(p, OP_TEST, string_test(c, slot, vg_buf_cstr(&re), flags));
	} else if (it->mods & (VG_MOD_BASE64 | VG_MOD_BASE64OFFSET)) {
		vg_buf plain = VG_BUF_INIT(1 << 20), wide = VG_BUF_INIT(1 << 20);
		vg_buf variants[3] = { VG_BUF_INIT(1 << 20), VG_BUF_INIT(1 << 20), VG_BUF_INIT(1 << 20) };
		const vg_buf *src = &plain;
		size_t i, n = 0;

		rc = unescape_plain(c, it->line, v->text, v->len, &plain);
		if (rc == VG_OK && (it->mods & VG_MOD_UTF16_ANY)) {
			rc = to_utf16(c, it->line, &plain, it->mods, &wide);
			src = &wide;
		}
		if (rc == VG_OK) {
			if (it->mods & VG_MOD_BASE64)
				vg_base64_encode((const unsigned char *)src->ptr, src->len, &variants[0]);
			else
				base64_offsets(src, variants);
			/* Encoded text is case-sensitive by nature. */
			for (i = 0; i < 3; i++) {
				if (!variants[i].len)
					continue;
				vg_buf_reset(&re);
				literal_regex(&variants[i], pos, &re);
				emit(p, OP_TEST, string_test(c, slot, vg_buf_cstr(&re), flags));
				n++;
			}
			if (n > 1)
				emit(p, OP_OR, (uint32_t)n);
			if (n == 0)
				rc = fail(c, it->line, "value too short to encode");
		}
		vg_buf_release(&plain);
		vg_buf_release(&wide);
		for (i = 0; i < 3; i++)
			vg_buf_release(&variants[i]);
	} else {
		bool wild, one_char = false, dashed = false;

		anchor_start(&re, pos);
		wild = glob_to_regex(v->text, v->len, it->mods & VG_MOD_WINDASH, &re, &one_char,
				     &dashed);
		anchor_end(&re, pos);
		if (pos != POS_CONTAINS && !wild && !dashed) {
			vg_buf_release(&re);
			return compile_literal(c, p, slot, it, v, pos);
		}
		if (wild)
			flags |= HS_FLAG_DOTALL;
		if (one_char)
			flags |= HS_FLAG_UTF8;
		if (!(it->mods & VG_MOD_CASED))
			flags |= HS_FLAG_CASELESS;
		emit(p, OP_TEST, string_test(c, slot, vg_buf_cstr(&re), flags));
	}
	vg_buf_release(&re);
	return rc;
}

static int compile_cidr(compiler *c, program *p, uint32_t slot, const vg_sigma_item *it,
			const vg_sigma_value *v)
{
	test t = { .kind = T_CIDR, .slot = slot };
	char addr[64], key[128];
	const char *slash = memchr(v->text, '/', v->len);
	size_t alen = slash ? (size_t)(slash - v->text) : v->len;
	char *end;
	long bits;

	if (alen >= sizeof(addr))
		return fail(c, it->line, "cidr: \"%s\" is not a network", v->text);
	memcpy(addr, v->text, alen);
	addr[alen] = '\0';
	if (inet_pton(AF_INET, addr, t.net) == 1)
		t.family = AF_INET;
	else if (inet_pton(AF_INET6, addr, t.net) == 1)
		t.family = AF_INET6;
	else
		return fail(c, it->line, "cidr: \"%s\" is not a network", v->text);
	bits = t.family == AF_INET ? 32 : 128;
	if (slash) {
		long b = strtol(slash + 1, &end, 10);

		if (end == slash + 1 || *end || b < 0 || b > bits)
			return fail(c, it->line, "cidr: bad prefix length in \"%s\"", v->text);
		bits = b;
	}
	t.prefix = (int)bits;
	snprintf(key, sizeof(key), "c\x1f%u\x1f%d\x1f%s", slot, t.family, v->text);
	emit(p, OP_TEST, intern_test(c->e, &t, key));
	return VG_OK;
}

static int compile_number(compiler *c, program *p, uint32_t slot, const vg_sigma_item *it,
			  const vg_sigma_value *v)
{
	test t = { .kind = T_NUMBER, .slot = slot };
	char key[128];

	t.number = strtod(v->text, NULL);
	t.cmp = (it->mods & VG_MOD_LT)	  ? CMP_LT
		: (it->mods & VG_MOD_LTE) ? CMP_LTE
		: (it->mods & VG_MOD_GT)  ? CMP_GT
		: (it->mods & VG_MOD_GTE) ? CMP_GTE
					  : CMP_EQ;
	t.datepart = (it->mods & VG_MOD_MINUTE)	 ? DP_MINUTE
		     : (it->mods & VG_MOD_HOUR)	 ? DP_HOUR
		     : (it->mods & VG_MOD_DAY)	 ? DP_DAY
		     : (it->mods & VG_MOD_WEEK)	 ? DP_WEEK
		     : (it->mods & VG_MOD_MONTH) ? DP_MONTH
		     : (it->mods & VG_MOD_YEAR)	 ? DP_YEAR
						 : DP_NONE;
	snprintf(key, sizeof(key), "n\x1f%u\x1f%d\x1f%d\x1f%.17g", slot, t.cmp, t.datepart, t.number);
	emit(p, OP_TEST, intern_test(c->e, &t, key));
	return VG_OK;
}

static void compile_simple(compiler *c, program *p, enum test_kind kind, uint32_t slot)
{
	test t = { .kind = (uint8_t)kind, .slot = slot };
	char key[64];

	snprintf(key, sizeof(key), "%d\x1f%u", kind, slot);
	emit(p, OP_TEST, intern_test(c->e, &t, key));
}

static int compile_fieldref(compiler *c, program *p, uint32_t slot, const vg_sigma_item *it,
			    const vg_sigma_value *v)
{
	test t = { .kind = T_FIELDREF, .slot = slot };
	char key[600];

	t.other = field_slot(c->e, v->text);
	t.position = (uint8_t)position_of(it->mods);
	t.cased = it->mods & VG_MOD_CASED;
	snprintf(key, sizeof(key), "f\x1f%u\x1f%u\x1f%d\x1f%d", slot, t.other, t.position, t.cased);
	emit(p, OP_TEST, intern_test(c->e, &t, key));
	return VG_OK;
}

static int compile_value(compiler *c, program *p, uint32_t slot, const vg_sigma_item *it,
			 const vg_sigma_value *v);

#define EXPAND_MAX 4096

/* The values of v with its placeholders replaced, every combination when
 * it has several ("\%" is a plain percent sign). */
static int expand_value(compiler *c, const vg_sigma_item *it, const char *s, size_t len,
			vg_buf *prefix, char ***out, size_t *n)
{
	const char *end, *pct;
	const vg_placeholder *ph;
	size_t i, mark;
	int rc = VG_OK;

	for (i = 0; i < len; i++) {
		if (s[i] == '\\' && i + 1 < len && s[i + 1] == '%') {
			vg_buf_append(prefix, "%", 1);
			i++;
			continue;
		}
		if (s[i] != '%' || !(pct = memchr(s + i + 1, '%', len - i - 1))) {
			vg_buf_append(prefix, &s[i], 1);
			continue;
		}
		ph = vg_placeholders_find(c->placeholders, s + i + 1, (size_t)(pct - s - i - 1));
		if (!ph && c->placeholders_unknown_ok) {
			vg_buf_append(prefix, s + i, (size_t)(pct - s - i + 1));
			i = (size_t)(pct - s);
			continue;
		}
		if (!ph)
			return fail(c, it->line, "expand: placeholder %%%.*s%% has no values defined",
				    (int)(pct - s - i - 1), s + i + 1);
		end = pct + 1;
		mark = prefix->len;
		for (size_t k = 0; k < ph->nvalues && rc == VG_OK; k++) {
			prefix->len = mark;
			vg_buf_puts(prefix, ph->values[k]);
			rc = expand_value(c, it, end, len - (size_t)(end - s), prefix, out, n);
		}
		prefix->len = mark;
		return rc;
	}
	if (*n == EXPAND_MAX)
		return fail(c, it->line, "expand: more than %d combinations", EXPAND_MAX);
	*out = vg_xrealloc(*out, (*n + 1) * sizeof(**out));
	(*out)[(*n)++] = vg_xstrdup(vg_buf_cstr(prefix));
	return VG_OK;
}

static int compile_expanded(compiler *c, program *p, uint32_t slot, const vg_sigma_item *it,
			    const vg_sigma_value *v)
{
	vg_sigma_item plain = *it;
	vg_buf prefix = VG_BUF_INIT(SIZE_MAX);
	char **values = NULL;
	size_t n = 0, i;
	int rc;

	plain.mods &= ~VG_MOD_EXPAND;
	rc = expand_value(c, it, v->text, v->len, &prefix, &values, &n);
	for (i = 0; i < n && rc == VG_OK; i++) {
		vg_sigma_value one = { VG_VALUE_STRING, values[i], strlen(values[i]) };

		rc = compile_value(c, p, slot, &plain, &one);
	}
	if (rc == VG_OK && n > 1)
		emit(p, OP_OR, (uint32_t)n);
	for (i = 0; i < n; i++)
		free(values[i]);
	free(values);
	vg_buf_release(&prefix);
	return rc;
}

static int compile_value(compiler *c, program *p, uint32_t slot, const vg_sigma_item *it,
			 const vg_sigma_value *v)
{
	if (it->mods & VG_MOD_EXISTS) {
		compile_simple(c, p, T_EXISTS, slot);
		if (strcmp(v->text, "false") == 0)
			emit(p, OP_NOT, 0);
		return VG_OK;
	}
	if (v->type == VG_VALUE_NULL) {
		compile_simple(c, p, T_NULL, slot);
		return VG_OK;
	}
	if (it->mods & VG_MOD_EXPAND)
		return compile_expanded(c, p, slot, it, v);
	if (it->mods & VG_MOD_CIDR)
		return compile_cidr(c, p, slot, it, v);
	if (it->mods & (VG_MOD_COMPARE | VG_MOD_DATEPART))
		return compile_number(c, p, slot, it, v);
	if (it->mods & VG_MOD_FIELDREF)
		return compile_fieldref(c, p, slot, it, v);
	return compile_string(c, p, slot, it, v);
}

/* The slots keyword searches look in for this engine's type. */
static void keyword_slots(vg_engine *e)
{
	size_t i;

	if (e->keywords_ready)
		return;
	e->keywords_ready = true;
	if (e->type && e->type->nkeywords) {
		for (i = 0; i < e->type->nkeywords && i < 16; i++)
			e->keyword_slots[e->nkeyword_slots++] = vg_fieldset_add(e->fields, e->type->keywords[i]);
		return;
	}
	e->keyword_slots[e->nkeyword_slots++] = vg_fieldset_add_all_strings(e->fields);
}

static int compile_item(compiler *c, program *p, const vg_sigma_item *it)
{
	size_t i, k, nslots;
	uint32_t slots[16];
	int rc;

	if (it->field) {
		slots[0] = field_slot(c->e, it->field);
		nslots = 1;
	} else {
		keyword_slots(c->e);
		memcpy(slots, c->e->keyword_slots, c->e->nkeyword_slots * sizeof(slots[0]));
		nslots = c->e->nkeyword_slots;
	}
	for (i = 0; i < it->nvalues; i++) {
		for (k = 0; k < nslots; k++) {
			rc = compile_value(c, p, slots[k], it, &it->values[i]);
			if (rc)
				return rc;
		}
		if (nslots > 1)
			emit(p, OP_OR, (uint32_t)nslots);
	}
	if (it->nvalues > 1)
		emit(p, (it->mods & VG_MOD_ALL) ? OP_AND : OP_OR, (uint32_t)it->nvalues);
	if (it->mods & VG_MOD_NEQ)
		emit(p, OP_NOT, 0);
	return VG_OK;
}

static int compile_map(compiler *c, program *p, const vg_sigma_map *m)
{
	size_t i;
	int rc;

	for (i = 0; i < m->nitems; i++) {
		rc = compile_item(c, p, &m->items[i]);
		if (rc)
			return rc;
	}
	if (m->nitems > 1)
		emit(p, OP_AND, (uint32_t)m->nitems);
	return VG_OK;
}

static int compile_search(compiler *c, program *p, const vg_sigma_search *s)
{
	size_t i;
	int rc;

	for (i = 0; i < s->nmaps; i++) {
		rc = compile_map(c, p, &s->maps[i]);
		if (rc)
			return rc;
	}
	if (s->nmaps > 1)
		emit(p, OP_OR, (uint32_t)s->nmaps);
	return VG_OK;
}

static int compile_cond(compiler *c, program *p, const vg_rule *r, const vg_cond *cond)
{
	size_t i;
	int rc;

	if (cond->op == VG_COND_REF)
		return compile_search(c, p, &r->searches[cond->search]);
	for (i = 0; i < cond->nkids; i++) {
		rc = compile_cond(c, p, r, cond->kids[i]);
		if (rc)
			return rc;
	}
	if (cond->op == VG_COND_NOT)
		emit(p, OP_NOT, 0);
	else if (cond->nkids > 1)
		emit(p, cond->op == VG_COND_AND ? OP_AND : OP_OR, (uint32_t)cond->nkids);
	return VG_OK;
}

/* Deepest stack the program needs. */
static size_t stack_depth(const program *p)
{
	size_t depth = 0, max = 0, i;

	for (i = 0; i < p->n; i++) {
		if (p->ops[i].code == OP_TEST)
			depth++;
		else if (p->ops[i].code != OP_NOT)
			depth -= p->ops[i].arg - 1;
		if (depth > max)
			max = depth;
	}
	return max;
}

static bool run_program(const program *p, const uint32_t *test_epoch, uint32_t epoch, bool *stack)
{
	size_t sp = 0, i, k;

	for (i = 0; i < p->n; i++) {
		const op *o = &p->ops[i];

		switch (o->code) {
		case OP_TEST:
			stack[sp++] = test_epoch[o->arg] == epoch;
			break;
		case OP_NOT:
			stack[sp - 1] = !stack[sp - 1];
			break;
		case OP_AND: {
			bool v = true;

			for (k = sp - o->arg; k < sp; k++)
				v = v && stack[k];
			sp -= o->arg;
			stack[sp++] = v;
			break;
		}
		default: {
			bool v = false;

			for (k = sp - o->arg; k < sp; k++)
				v = v || stack[k];
			sp -= o->arg;
			stack[sp++] = v;
			break;
		}
		}
	}
	return stack[0];
}

static uint32_t compile_gate(compiler *c, const vg_sigma_map *m, int *rc)
{
	vg_engine *e = c->e;
	size_t i;

	for (i = 0; i < e->ngates; i++)
		if (e->gate_maps[i] == m)
			return (uint32_t)i;
	e->gates = vg_xrealloc(e->gates, (e->ngates + 1) * sizeof(*e->gates));
	e->gate_maps = vg_xrealloc(e->gate_maps, (e->ngates + 1) * sizeof(*e->gate_maps));
	memset(&e->gates[e->ngates], 0, sizeof(*e->gates));
	e->gate_maps[e->ngates] = m;
	*rc = compile_map(c, &e->gates[e->ngates], m);
	return (uint32_t)e->ngates++;
}

static bool names_rule(const char *ref, const vg_rule *r)
{
	return (r->id && strcmp(ref, r->id) == 0) || (r->name && strcmp(ref, r->name) == 0);
}

/* Whether filter f applies to rule r: r is one of f's rules (or f names
 * "any"), and r's log source has every attribute f's log source gives. */
static bool filter_applies(const vg_rule *f, const vg_rule *r)
{
	size_t k;

	if ((f->product && (!r->product || strcmp(f->product, r->product) != 0)) ||
	    (f->category && (!r->category || strcmp(f->category, r->category) != 0)) ||
	    (f->service && (!r->service || strcmp(f->service, r->service) != 0)))
		return false;
	for (k = 0; k < f->ntargets; k++)
		if (strcmp(f->targets[k], "any") == 0 || names_rule(f->targets[k], r))
			return true;
	return false;
}

/* ANDs the filter's condition into every compiled rule it applies to: a
 * filter written "condition: not selection" removes the matches its
 * selection describes, as pySigma applies filters. */
static int apply_filter(compiler *c, const vg_rule *f)
{
	vg_engine *e = c->e;
	size_t i;
	bool used = false;
	int rc;

	for (i = 0; i < e->nrules; i++) {
		compiled_rule *cr = &e->rules[i];

		if (!filter_applies(f, cr->rule))
			continue;
		rc = compile_cond(c, &cr->prog, f, f->cond);
		if (rc)
			return rc;
		emit(&cr->prog, OP_AND, 2);
		used = true;
	}
	if (used)
		e->stats.filters++;
	return VG_OK;
}

/* The exact-literal index key: slot, cased, the literal's bytes. *key is
 * new (free it). */
static size_t exact_key(uint32_t slot, bool cased, const char *lit, size_t len, char **key)
{
	*key = vg_xmalloc(len + 5);
	memcpy(*key, &slot, 4);
	(*key)[4] = cased ? 1 : 0;
	memcpy(*key + 5, lit, len);
	return len + 5;
}

/* The fields' databases are compiled on every core: Vectorscan spends
 * seconds on the thousands of patterns of a full rule set. */
typedef struct slot_jobs {
	vg_engine *e;
	uint32_t **tests; /* per slot: its T_STRING tests */
	size_t *ntests;
	size_t nslots;
	bool *on_pcre;
	atomic_size_t next;
	pthread_mutex_t lock;
	int rc;
	vg_error err;
} slot_jobs;

/* One field's database; a pattern Vectorscan refuses goes to PCRE2 and
 * the rest are compiled again. */
static int compile_slot(slot_jobs *j, size_t s, vg_error *err)
{
	vg_engine *e = j->e;
	size_t n = j->ntests[s], i, k;
	const char **exprs = vg_xcalloc(n + 1, sizeof(*exprs));
	unsigned *flags = vg_xcalloc(n + 1, sizeof(*flags));
	unsigned *ids = vg_xcalloc(n + 1, sizeof(*ids));
	int rc = VG_OK;

	for (;;) {
		hs_compile_error_t *cerr = NULL;

		for (i = k = 0; i < n; i++) {
			uint32_t t = j->tests[s][i];

			if (j->on_pcre[t])
				continue;
			exprs[k] = e->tests[t].regex;
			flags[k] = e->tests[t].hs_flags;
			ids[k++] = t;
		}
		if (k == 0 || hs_compile_multi(exprs, flags, ids, (unsigned)k, HS_MODE_BLOCK, NULL,
					       &e->dbs[s].db, &cerr) == HS_SUCCESS)
			break;
		if (cerr->expression < 0) {
			rc = vg_error_set(err, VG_EFAIL, "field %s: Vectorscan: %s",
					  vg_fieldset_path(e->fields, (uint32_t)s), cerr->message);
			hs_free_compile_error(cerr);
			break;
		}
		j->on_pcre[ids[cerr->expression]] = true;
		hs_free_compile_error(cerr);
	}
	free(exprs);
	free(flags);
	free(ids);
	return rc;
}

static void *compile_worker(void *arg)
{
	slot_jobs *j = arg;
	size_t s;

	while ((s = atomic_fetch_add(&j->next, 1)) < j->nslots) {
		vg_error err = { 0 };

		if (!j->ntests[s] || compile_slot(j, s, &err) == VG_OK)
			continue;
		pthread_mutex_lock(&j->lock);
		if (!j->rc) {
			j->rc = err.code;
			j->err = err;
		}
		pthread_mutex_unlock(&j->lock);
	}
	return NULL;
}

#define COMPILE_THREADS_MAX 8

static int compile_slots(vg_engine *e, size_t nslots, bool *on_pcre, vg_error *err)
{
	slot_jobs j = { .e = e, .nslots = nslots, .on_pcre = on_pcre };
	pthread_t workers[COMPILE_THREADS_MAX];
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t nworkers = 0, i, t;

	j.tests = vg_xcalloc(nslots + 1, sizeof(*j.tests));
	j.ntests = vg_xcalloc(nslots + 1, sizeof(*j.ntests));
	for (t = 0; t < e->ntests; t++) {
		uint32_t s = e->tests[t].slot;

		if (e->tests[t].kind != T_STRING)
			continue;
		j.tests[s] = vg_xrealloc(j.tests[s], (j.ntests[s] + 1) * sizeof(uint32_t));
		j.tests[s][j.ntests[s]++] = (uint32_t)t;
	}
	atomic_init(&j.next, 0);
	pthread_mutex_init(&j.lock, NULL);
	for (i = 1; i < (size_t)(cpus > 0 ? cpus : 1) && i < COMPILE_THREADS_MAX; i++)
		if (pthread_create(&workers[nworkers], NULL, compile_worker, &j) == 0)
			nworkers++;
	compile_worker(&j);
	for (i = 0; i < nworkers; i++)
		pthread_join(workers[i], NULL);
	pthread_mutex_destroy(&j.lock);
	for (i = 0; i < nslots; i++)
		free(j.tests[i]);
	free(j.tests);
	free(j.ntests);
	if (j.rc)
		*err = j.err;
	return j.rc;
}

/* Puts each field's string tests into one Vectorscan database; a pattern
 * Vectorscan refuses moves to PCRE2, and one PCRE2 refuses too is the
 * rule's error. */
/* Which of a slot's AFFIX_SETS holds literals for this end and case. */
#define AFFIX_SETS 4
static size_t affix_set(bool suffix, bool cased)
{
	return (suffix ? 2 : 0) + (cased ? 1 : 0);
}

static int build_databases(vg_engine *e, vg_error *err)
{
	size_t nslots = vg_fieldset_count(e->fields), t;
	bool *on_pcre = vg_xcalloc(e->ntests + 1, sizeof(*on_pcre));
	int rc = VG_OK;

	e->dbs = vg_xcalloc(nslots ? nslots : 1, sizeof(*e->dbs));
	e->ndbs = nslots;
	e->slot_exact = vg_xcalloc(nslots ? nslots : 1, 1);
	e->affix = vg_xcalloc(nslots ? nslots * AFFIX_SETS : 1, sizeof(*e->affix));
	for (t = 0; t < e->ntests; t++) {
		const test *x = &e->tests[t];
		char *key;
		size_t klen;
		vg_map_entry *en;
		int created;

		if (x->kind == T_AFFIX) {
			bool suffix = x->position == POS_ENDSWITH;
			vg_affix **set = &e->affix[x->slot * AFFIX_SETS + affix_set(suffix, x->cased)];

			if (!*set)
				*set = vg_affix_new(suffix, x->cased);
			vg_affix_add(*set, x->regex, x->regex_len, (uint32_t)t);
			e->slot_exact[x->slot] |= 4;
			continue;
		}
		if (x->kind != T_EXACT)
			continue;
		klen = exact_key(x->slot, x->cased, x->regex, x->regex_len, &key);
		en = vg_map_put(&e->exact, key, klen, &created);
		free(key);
		if (!en)
			vg_xmalloc(SIZE_MAX);
		en->value = (void *)(uintptr_t)(t + 1);
		e->slot_exact[x->slot] |= x->cased ? 1 : 2;
	}
	rc = compile_slots(e, nslots, on_pcre, err);
	for (t = 0; t < e->ntests && rc == VG_OK; t++) {
		test *ts = &e->tests[t];
		field_db *db;
		uint32_t opts = 0;
		int errcode;
		PCRE2_SIZE off;

		if (!on_pcre[t])
			continue;
		if (ts->hs_flags & HS_FLAG_CASELESS)
			opts |= PCRE2_CASELESS;
		if (ts->hs_flags & HS_FLAG_MULTILINE)
			opts |= PCRE2_MULTILINE;
		if (ts->hs_flags & HS_FLAG_DOTALL)
			opts |= PCRE2_DOTALL;
		if (ts->hs_flags & HS_FLAG_UTF8)
			opts |= PCRE2_UTF;
		ts->pcre = pcre2_compile((PCRE2_SPTR)ts->regex, PCRE2_ZERO_TERMINATED, opts, &errcode,
					 &off, NULL);
		if (!ts->pcre) {
			PCRE2_UCHAR msg[256];

			pcre2_get_error_message(errcode, msg, sizeof(msg));
			rc = vg_error_set(err, VG_EINVAL, "regular expression /%s/: %s at offset %zu",
					  ts->regex, (const char *)msg, (size_t)off);
			break;
		}
		pcre2_jit_compile(ts->pcre, PCRE2_JIT_COMPLETE);
		db = &e->dbs[ts->slot];
		db->pcre_tests = vg_xrealloc(db->pcre_tests, (db->npcre + 1) * sizeof(uint32_t));
		db->pcre_tests[db->npcre++] = (uint32_t)t;
		e->stats.pcre++;
	}
	for (t = 0; t < e->ntests; t++)
		if (e->tests[t].kind == T_STRING && !on_pcre[t])
			e->stats.vectorscan++;
	free(on_pcre);
	return rc;
}

/* Regexes from rules are checked by PCRE2 as well: Sigma's flavour is
 * PCRE's, and a pattern Vectorscan happens to accept may still be wrong. */
static int check_regex(compiler *c, const vg_sigma_item *it)
{
	size_t i;

	for (i = 0; i < it->nvalues; i++) {
		int errcode;
		PCRE2_SIZE off;
		pcre2_code *code = pcre2_compile((PCRE2_SPTR)it->values[i].text, it->values[i].len, 0,
						 &errcode, &off, NULL);
		if (!code) {
			PCRE2_UCHAR msg[256];

			pcre2_get_error_message(errcode, msg, sizeof(msg));
			return fail(c, it->line, "invalid regular expression \"%s\": %s at offset %zu",
				    it->values[i].text, (const char *)msg, (size_t)off);
		}
		pcre2_code_free(code);
	}
	return VG_OK;
}

static int check_rule_regexes(compiler *c, const vg_rule *r)
{
	size_t s, m, i;
	int rc;

	for (s = 0; s < r->nsearches; s++)
		for (m = 0; m < r->searches[s].nmaps; m++)
			for (i = 0; i < r->searches[s].maps[m].nitems; i++) {
				const vg_sigma_item *it = &r->searches[s].maps[m].items[i];

				if (!(it->mods & VG_MOD_RE))
					continue;
				rc = check_regex(c, it);
				if (rc)
					return rc;
			}
	return VG_OK;
}

/*
 * Trigger sets: tests at least one of which fires whenever a program is
 * true, so a rule need only be run when one of its triggers fired. A
 * test is its own trigger; an AND is true only when each operand is, so
 * the smallest set of any operand will do; an OR needs all of its
 * operands' sets; a NOT can be true with nothing fired, so it has none
 * (INF), and neither has an OR over it.
 */
typedef struct trigger_set {
	uint32_t *v;
	size_t n;
	bool inf;
} trigger_set;

static void triggers_of(const program *p, trigger_set *out, trigger_set *stack)
{
	size_t sp = 0, i, k;

	for (i = 0; i < p->n; i++) {
		const op *o = &p->ops[i];

		switch (o->code) {
		case OP_TEST:
			stack[sp].v = vg_xmalloc(sizeof(uint32_t));
			stack[sp].v[0] = o->arg;
			stack[sp].n = 1;
			stack[sp++].inf = false;
			break;
		case OP_NOT:
			free(stack[sp - 1].v);
			stack[sp - 1] = (trigger_set){ NULL, 0, true };
			break;
		case OP_AND: {
			size_t best = SIZE_MAX;

			for (k = sp - o->arg; k < sp; k++)
				if (!stack[k].inf && (best == SIZE_MAX || stack[k].n < stack[best].n))
					best = k;
			for (k = sp - o->arg; k < sp; k++)
				if (k != best)
					free(stack[k].v);
			stack[sp - o->arg] = best == SIZE_MAX ? (trigger_set){ NULL, 0, true }
							      : stack[best];
			sp -= o->arg - 1;
			break;
		}
		default: {
			trigger_set u = { NULL, 0, false };

			for (k = sp - o->arg; k < sp; k++) {
				if (stack[k].inf || u.inf) {
					u.inf = true;
				} else {
					u.v = vg_xrealloc(u.v, (u.n + stack[k].n) * sizeof(uint32_t));
					memcpy(u.v + u.n, stack[k].v, stack[k].n * sizeof(uint32_t));
					u.n += stack[k].n;
				}
				free(stack[k].v);
			}
			if (u.inf) {
				free(u.v);
				u = (trigger_set){ NULL, 0, true };
			}
			stack[sp - o->arg] = u;
			sp -= o->arg - 1;
			break;
		}
		}
	}
	*out = stack[0];
}

static int compare_by_slot(const void *a, const void *b, void *engine)
{
	const vg_engine *e = engine;
	const test *x = &e->tests[*(const uint32_t *)a];
	const test *y = &e->tests[*(const uint32_t *)b];

	if (x->slot != y->slot)
		return x->slot < y->slot ? -1 : 1;
	return *(const uint32_t *)a < *(const uint32_t *)b ? -1 : 1;
}

/* Links each test to the rules it triggers, and finds the rules that must
 * run on every event (a condition such as "not filter"). */
static void link_candidates(vg_engine *e)
{
	trigger_set *stack = vg_xcalloc(e->max_stack + 1, sizeof(*stack));
	size_t r, i;

	for (r = 0; r < e->nrules; r++) {
		compiled_rule *cr = &e->rules[r];
		trigger_set ts;

		triggers_of(&cr->prog, &ts, stack);
		cr->always = ts.inf;
		if (cr->always) {
			e->always = vg_xrealloc(e->always, (e->nalways + 1) * sizeof(*e->always));
			e->always[e->nalways++] = (uint32_t)r;
			continue;
		}
		for (i = 0; i < ts.n; i++) {
			test *t = &e->tests[ts.v[i]];

			if (t->nrules && t->rules[t->nrules - 1] == r)
				continue;
			t->rules = vg_xrealloc(t->rules, (t->nrules + 1) * sizeof(*t->rules));
			t->rules[t->nrules++] = (uint32_t)r;
		}
		free(ts.v);
	}
	for (i = 0; i < e->ntests; i++) {
		if (e->tests[i].kind == T_STRING || e->tests[i].kind == T_EXACT ||
		    e->tests[i].kind == T_AFFIX)
			continue;
		e->direct = vg_xrealloc(e->direct, (e->ndirect + 1) * sizeof(*e->direct));
		e->direct[e->ndirect++] = (uint32_t)i;
	}
	if (e->ndirect > 1)
		qsort_r(e->direct, e->ndirect, sizeof(*e->direct), compare_by_slot, e);
	e->stats.always = e->nalways;
	free(stack);
}

int vg_engine_new(const vg_ruleset *set, const vg_source_type *type,
		  const vg_engine_options *opts, vg_engine **out, vg_error *err)
{
	vg_engine *e = vg_xcalloc(1, sizeof(*e));
	compiler c = { .e = e, .err = err };
	size_t i;
	int rc = VG_OK;

	*out = NULL;
	if (opts) {
		c.placeholders = opts->placeholders;
		c.placeholders_unknown_ok = opts->placeholders_unknown_ok;
	}
	e->type = type;
	e->fields = vg_fieldset_new();
	e->rules = vg_xcalloc(set->n ? set->n : 1, sizeof(*e->rules));
	for (i = 0; i < set->n && rc == VG_OK; i++) {
		const vg_rule *r = set->rules[i];
		const vg_sigma_map *gates[2];
		compiled_rule *cr;
		size_t ngates = 0, g;

		if (r->kind != VG_RULE_DETECTION)
			continue;
		if (type && !(opts && opts->any_logsource) &&
		    !vg_source_type_serves(type, r, gates, &ngates)) {
			e->stats.skipped++;
			continue;
		}
		c.rule = r;
		rc = check_rule_regexes(&c, r);
		if (rc)
			break;
		cr = &e->rules[e->nrules];
		cr->rule = r;
		rc = compile_cond(&c, &cr->prog, r, r->cond);
		for (g = 0; g < ngates && rc == VG_OK; g++)
			cr->gates[cr->ngates++] = compile_gate(&c, gates[g], &rc);
		e->nrules++;
	}
	for (i = 0; i < set->n && rc == VG_OK; i++) {
		if (set->rules[i]->kind != VG_RULE_FILTER)
			continue;
		c.rule = set->rules[i];
		rc = apply_filter(&c, set->rules[i]);
	}
	if (rc == VG_OK) {
		for (i = 0; i < e->nrules; i++) {
			size_t d = stack_depth(&e->rules[i].prog);

			if (d > e->max_stack)
				e->max_stack = d;
		}
		for (i = 0; i < e->ngates; i++) {
			size_t d = stack_depth(&e->gates[i]);

			if (d > e->max_stack)
				e->max_stack = d;
		}
		rc = build_databases(e, err);
	}
	if (rc) {
		vg_engine_free(e);
		return rc;
	}
	link_candidates(e);
	e->stats.rules = e->nrules;
	e->stats.tests = e->ntests;
	e->stats.fields = vg_fieldset_count(e->fields);
	*out = e;
	return VG_OK;
}

void vg_engine_free(vg_engine *e)
{
	size_t i;

	if (!e)
		return;
	for (i = 0; i < e->ntests; i++) {
		free(e->tests[i].regex);
		free(e->tests[i].rules);
		pcre2_code_free(e->tests[i].pcre);
	}
	free(e->tests);
	for (i = 0; i < e->nrules; i++)
		free(e->rules[i].prog.ops);
	free(e->rules);
	for (i = 0; i < e->ngates; i++)
		free(e->gates[i].ops);
	free(e->gates);
	free(e->gate_maps);
	for (i = 0; i < e->ndbs; i++) {
		hs_free_database(e->dbs[i].db);
		free(e->dbs[i].pcre_tests);
	}
	free(e->dbs);
	free(e->direct);
	free(e->always);
	vg_map_release(&e->test_index);
	vg_map_release(&e->exact);
	for (i = 0; e->affix && i < e->ndbs * AFFIX_SETS; i++)
		vg_affix_free(e->affix[i]);
	free(e->affix);
	free(e->slot_exact);
	vg_fieldset_free(e->fields);
	free(e);
}

void vg_engine_stats_get(const vg_engine *e, vg_engine_stats *out)
{
	*out = e->stats;
}

uint32_t vg_engine_field(vg_engine *e, const char *path)
{
	return vg_fieldset_add(e->fields, path);
}

uint32_t vg_engine_rule_field(vg_engine *e, const char *name)
{
	return field_slot(e, name);
}

uint32_t vg_engine_all_strings(vg_engine *e)
{
	return vg_fieldset_add_all_strings(e->fields);
}

const vg_source_type *vg_engine_type(const vg_engine *e)
{
	return e->type;
}

/* ---- matching ----------------------------------------------------- */

int vg_matcher_new(const vg_engine *e, vg_matcher **out, vg_error *err)
{
	vg_matcher *m = vg_xcalloc(1, sizeof(*m));
	size_t i;

	*out = NULL;
	m->e = e;
	for (i = 0; i < e->ndbs; i++) {
		if (e->dbs[i].db && hs_alloc_scratch(e->dbs[i].db, &m->scratch) != HS_SUCCESS) {
			vg_matcher_free(m);
			return vg_error_set(err, VG_ENOMEM, "out of memory for Vectorscan scratch");
		}
	}
	m->md = pcre2_match_data_create(1, NULL);
	m->test_epoch = vg_xcalloc(e->ntests + 1, sizeof(*m->test_epoch));
	m->rule_epoch = vg_xcalloc(e->nrules + 1, sizeof(*m->rule_epoch));
	m->gate_epoch = vg_xcalloc(e->ngates + 1, sizeof(*m->gate_epoch));
	m->gate_value = vg_xcalloc(e->ngates + 1, sizeof(*m->gate_value));
	m->fired = vg_xcalloc(e->ntests + 1, sizeof(*m->fired));
	m->candidates = vg_xcalloc(e->nrules + 1, sizeof(*m->candidates));
	m->matched = vg_xcalloc(e->nrules + 1, sizeof(*m->matched));
	m->hits = vg_xcalloc(e->nrules + 1, sizeof(*m->hits));
	m->stack = vg_xcalloc(e->max_stack + 1, sizeof(*m->stack));
	*out = m;
	return VG_OK;
}

void vg_matcher_free(vg_matcher *m)
{
	if (!m)
		return;
	hs_free_scratch(m->scratch);
	pcre2_match_data_free(m->md);
	vg_fields_release(&m->fields);
	free(m->test_epoch);
	free(m->rule_epoch);
	free(m->gate_epoch);
	free(m->gate_value);
	free(m->fired);
	free(m->candidates);
	free(m->matched);
	free(m->hits);
	free(m->key);
	free(m->stack);
	free(m);
}

static void fire(vg_matcher *m, uint32_t t)
{
	if (m->test_epoch[t] == m->epoch)
		return;
	m->test_epoch[t] = m->epoch;
	m->fired[m->nfired++] = t;
}

/* Fires the literal test a whole value is, if any: cased, or after ASCII
 * case folding (Vectorscan's caseless is ASCII as well). */
static int exact_fire(vg_matcher *m, uint32_t slot, bool cased, const char *v, size_t len)
{
	const vg_engine *e = m->e;
	uintptr_t id;
	size_t i;

	if (len + 5 > m->key_cap) {
		size_t cap = (len + 5) * 2;
		char *k = realloc(m->key, cap);

		if (!k)
			return VG_ENOMEM;
		m->key = k;
		m->key_cap = cap;
	}
	memcpy(m->key, &slot, 4);
	m->key[4] = cased ? 1 : 0;
	if (cased) {
		memcpy(m->key + 5, v, len);
	} else {
		for (i = 0; i < len; i++)
			m->key[5 + i] = v[i] >= 'A' && v[i] <= 'Z' ? (char)(v[i] + 32) : v[i];
	}
	id = (uintptr_t)vg_map_get(&e->exact, m->key, len + 5);
	if (id)
		fire(m, (uint32_t)(id - 1));
	return VG_OK;
}

static void affix_found(void *arg, uint32_t t)
{
	fire(arg, t);
}

static int on_match(unsigned int id, unsigned long long from, unsigned long long to,
		    unsigned int flags, void *ctx)
{
	(void)from;
	(void)to;
	(void)flags;
	fire(ctx, id);
	return 0;
}

static bool is_text(const vg_fvalue *v)
{
	return v->type != VG_FV_NULL && v->type != VG_FV_OBJECT && v->type != VG_FV_ARRAY;
}

static bool parse_ip(const vg_fvalue *v, int *family, unsigned char out[16])
{
	char buf[64];

	if (v->type != VG_FV_STRING || v->len == 0 || v->len >= sizeof(buf))
		return false;
	memcpy(buf, v->ptr, v->len);
	buf[v->len] = '\0';
	if (inet_pton(AF_INET, buf, out) == 1) {
		*family = AF_INET;
		return true;
	}
	if (inet_pton(AF_INET6, buf, out) == 1) {
		*family = AF_INET6;
		return true;
	}
	return false;
}

/* CIDR tests of one field run one after another (direct tests are sorted
 * by field), so the last address parsed is kept. */
static bool event_address(vg_matcher *m, const vg_fvalue *v, int *family, unsigned char ip[16])
{
	if (m->ip_epoch != m->epoch || m->ip_ptr != v->ptr) {
		m->ip_epoch = m->epoch;
		m->ip_ptr = v->ptr;
		m->ip_ok = parse_ip(v, &m->ip_family, m->ip_addr);
	}
	*family = m->ip_family;
	memcpy(ip, m->ip_addr, 16);
	return m->ip_ok;
}

static bool in_network(vg_matcher *m, const test *t, const vg_fvalue *v)
{
	unsigned char ip[16];
	int family, full = t->prefix / 8, rest = t->prefix % 8;

	if (!event_address(m, v, &family, ip) || family != t->family)
		return false;
	if (memcmp(ip, t->net, (size_t)full) != 0)
		return false;
	if (rest == 0)
		return true;
	return ((ip[full] ^ t->net[full]) & (0xFF << (8 - rest))) == 0;
}

/* The ISO week number (1-53) of a date. */
static int iso_week(int y, int mo, int d)
{
	static const int before[] = { 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	int yday = before[mo - 1] + d + (mo > 2 && leap);
	int a = (14 - mo) / 12, yy = y - a, mm = mo + 12 * a - 2;
	int wday = (d + yy + yy / 4 - yy / 100 + yy / 400 + (31 * mm) / 12) % 7; /* 0 = Sunday */
	int iso_wday = wday == 0 ? 7 : wday;
	int week = (yday - iso_wday + 10) / 7;

	if (week < 1)
		return iso_week(y - 1, 12, 28);
	if (week == 53) {
		int jan1 = (iso_wday - (yday - 1) % 7 + 7 * 53 - 1) % 7 + 1;
		int weeks = (jan1 == 4 || (leap && jan1 == 3)) ? 53 : 52;

		if (weeks == 52)
			return 1;
	}
	return week;
}

/* A date part of a "YYYY-MM-DD[T ]HH:MM..." value, read as written. */
static bool date_part(const vg_fvalue *v, int part, double *out)
{
	int y, mo, d, h = 0, mi = 0;
	const char *s = v->ptr;

	if (v->type != VG_FV_STRING || v->len < 10 || s[4] != '-' || s[7] != '-' ||
	    !vg_digits_int(s, 4, &y) || !vg_digits_int(s + 5, 2, &mo) || !vg_digits_int(s + 8, 2, &d) ||
	    mo < 1 || mo > 12 || d < 1 || d > 31)
		return false;
	if (v->len >= 16 && (s[10] == 'T' || s[10] == ' ') && s[13] == ':' &&
	    (!vg_digits_int(s + 11, 2, &h) || !vg_digits_int(s + 14, 2, &mi)))
		return false;
	if ((part == DP_HOUR || part == DP_MINUTE) && v->len < 16)
		return false;
	switch (part) {
	case DP_MINUTE: *out = mi; break;
	case DP_HOUR: *out = h; break;
	case DP_DAY: *out = d; break;
	case DP_WEEK: *out = iso_week(y, mo, d); break;
	case DP_MONTH: *out = mo; break;
	default: *out = y; break;
	}
	return true;
}

static bool number_holds(const test *t, const vg_fvalue *v)
{
	char buf[64], *end;
	double x;

	if (t->datepart != DP_NONE) {
		if (!date_part(v, t->datepart, &x))
			return false;
	} else {
		if ((v->type != VG_FV_NUMBER && v->type != VG_FV_STRING) || v->len == 0 ||
		    v->len >= sizeof(buf))
			return false;
		memcpy(buf, v->ptr, v->len);
		buf[v->len] = '\0';
		x = strtod(buf, &end);
		if (*end || isnan(x))
			return false;
	}
	switch (t->cmp) {
	case CMP_LT: return x < t->number;
	case CMP_LTE: return x <= t->number;
	case CMP_GT: return x > t->number;
	case CMP_GTE: return x >= t->number;
	default: return x == t->number;
	}
}

static bool bytes_eq(const char *a, const char *b, size_t n, bool cased)
{
	size_t i;

	if (cased)
		return memcmp(a, b, n) == 0;
	for (i = 0; i < n; i++) {
		unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];

		if (x != y && !(x >= 'A' && x <= 'Z' && x + 32 == y) &&
		    !(y >= 'A' && y <= 'Z' && y + 32 == x))
			return false;
	}
	return true;
}

static bool fieldref_holds(const test *t, const vg_fvalue *a, const vg_fvalue *b)
{
	size_t i;

	if (!is_text(a) || !is_text(b))
		return false;
	switch (t->position) {
	case POS_EXACT:
		return a->len == b->len && bytes_eq(a->ptr, b->ptr, a->len, t->cased);
	case POS_STARTSWITH:
		return a->len >= b->len && bytes_eq(a->ptr, b->ptr, b->len, t->cased);
	case POS_ENDSWITH:
		return a->len >= b->len && bytes_eq(a->ptr + a->len - b->len, b->ptr, b->len, t->cased);
	default:
		for (i = 0; i + b->len <= a->len; i++)
			if (bytes_eq(a->ptr + i, b->ptr, b->len, t->cased))
				return true;
		return false;
	}
}

static bool direct_holds(vg_matcher *m, const test *t)
{
	const vg_fields *f = m->cur;
	const vg_fvalue *v = vg_fields_first(f, t->slot), *w;

	switch (t->kind) {
	case T_NULL:
		for (; v; v = vg_fields_next(f, v))
			if (v->type != VG_FV_NULL)
				return false;
		return true;
	case T_EXISTS:
		return v != NULL;
	case T_CIDR:
		for (; v; v = vg_fields_next(f, v))
			if (in_network(m, t, v))
				return true;
		return false;
	case T_NUMBER:
		for (; v; v = vg_fields_next(f, v))
			if (number_holds(t, v))
				return true;
		return false;
	case T_FIELDREF:
		for (; v; v = vg_fields_next(f, v))
			for (w = vg_fields_first(f, t->other); w; w = vg_fields_next(f, w))
				if (fieldref_holds(t, v, w))
					return true;
		return false;
	default:
		return false;
	}
}

static bool gate_holds(vg_matcher *m, uint32_t g)
{
	if (m->gate_epoch[g] != m->epoch) {
		m->gate_epoch[g] = m->epoch;
		m->gate_value[g] = run_program(&m->e->gates[g], m->test_epoch, m->epoch, m->stack);
	}
	return m->gate_value[g];
}

static void consider(vg_matcher *m, uint32_t r)
{
	if (m->rule_epoch[r] == m->epoch)
		return;
	m->rule_epoch[r] = m->epoch;
	m->candidates[m->ncandidates++] = r;
}

static int compare_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

int vg_matcher_run(vg_matcher *m, const char *json, size_t len, const vg_rule *const **matched,
		   size_t *nmatched, vg_error *err)
{
	int rc;

	*matched = m->matched;
	*nmatched = 0;
	rc = vg_fields_extract(m->e->fields, json, len, &m->fields, err);
	if (rc)
		return rc;
	return vg_matcher_match(m, &m->fields, matched, nmatched, err);
}

int vg_matcher_match(vg_matcher *m, const vg_fields *fields, const vg_rule *const **matched,
		     size_t *nmatched, vg_error *err)
{
	const vg_engine *e = m->e;
	size_t s, i, k;

	*matched = m->matched;
	*nmatched = 0;
	m->cur = fields;
	if (++m->epoch == 0) {
		/* Wrapped: old marks could look current, so clear them. */
		memset(m->test_epoch, 0, (e->ntests + 1) * sizeof(*m->test_epoch));
		memset(m->rule_epoch, 0, (e->nrules + 1) * sizeof(*m->rule_epoch));
		memset(m->gate_epoch, 0, (e->ngates + 1) * sizeof(*m->gate_epoch));
		m->epoch = 1;
	}
	m->nfired = 0;
	m->ncandidates = 0;
	m->nmatched = 0;
	for (i = 0; i < fields->ntouched; i++) {
		const field_db *db;
		const vg_fvalue *v;

		s = fields->touched[i];
		if (s >= e->ndbs)
			continue;
		if (e->slot_exact[s]) {
			for (v = vg_fields_first(fields, (uint32_t)s); v; v = vg_fields_next(fields, v)) {
				if (!is_text(v))
					continue;
				if (e->slot_exact[s] & 4)
					for (k = 0; k < AFFIX_SETS; k++)
						if (e->affix[s * AFFIX_SETS + k])
							vg_affix_find(e->affix[s * AFFIX_SETS + k], v->ptr,
								      v->len, affix_found, m);
				if (((e->slot_exact[s] & 1) && exact_fire(m, (uint32_t)s, true, v->ptr, v->len)) ||
				    ((e->slot_exact[s] & 2) && exact_fire(m, (uint32_t)s, false, v->ptr, v->len)))
					return vg_error_set(err, VG_ENOMEM, "out of memory matching an event");
			}
		}
		db = &e->dbs[s];
		if (!db->db && !db->npcre)
			continue;
		for (v = vg_fields_first(fields, (uint32_t)s); v; v = vg_fields_next(fields, v)) {
			if (!is_text(v))
				continue;
			m->counters.scans += db->db != NULL;
			m->counters.pcre += db->npcre;
			if (db->db && hs_scan(db->db, v->ptr, v->len, 0, m->scratch, on_match, m) != HS_SUCCESS)
				return vg_error_set(err, VG_EFAIL, "Vectorscan scan failed");
			for (k = 0; k < db->npcre; k++) {
				uint32_t t = db->pcre_tests[k];

				if (m->test_epoch[t] != m->epoch &&
				    pcre2_match(e->tests[t].pcre, (PCRE2_SPTR)v->ptr, v->len, 0, 0, m->md,
						NULL) >= 0)
					fire(m, t);
			}
		}
	}
	for (i = 0; i < e->ndirect; i++)
		if (direct_holds(m, &e->tests[e->direct[i]]))
			fire(m, e->direct[i]);
	for (i = 0; i < m->nfired; i++) {
		const test *t = &e->tests[m->fired[i]];

		for (k = 0; k < t->nrules; k++)
			consider(m, t->rules[k]);
	}
	for (i = 0; i < e->nalways; i++)
		consider(m, e->always[i]);
	for (i = 0; i < m->ncandidates; i++) {
		const compiled_rule *cr = &e->rules[m->candidates[i]];
		bool ok = true;

		for (k = 0; k < cr->ngates && ok; k++)
			ok = gate_holds(m, cr->gates[k]);
		if (ok && run_program(&cr->prog, m->test_epoch, m->epoch, m->stack))
			m->hits[m->nmatched++] = m->candidates[i];
	}
	m->counters.events++;
	m->counters.fired += m->nfired;
	m->counters.candidates += m->ncandidates;
	m->counters.matched += m->nmatched;
	/* Report in load order whatever order the tests fired in. */
	if (m->nmatched > 1)
		qsort(m->hits, m->nmatched, sizeof(*m->hits), compare_u32);
	for (i = 0; i < m->nmatched; i++)
		m->matched[i] = e->rules[m->hits[i]].rule;
	*nmatched = m->nmatched;
	return VG_OK;
}

const vg_fields *vg_matcher_fields(const vg_matcher *m)
{
	return m->cur;
}

void vg_matcher_counters_get(const vg_matcher *m, vg_matcher_counters *out)
{
	*out = m->counters;
}

const vg_fieldset *vg_engine_fieldset(const vg_engine *e)
{
	return e->fields;
}
