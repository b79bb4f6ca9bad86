/*
 * rule.c - reading Sigma rule documents into vg_rule records.
 *
 * The loader is strict where the specification is: unknown modifiers, bad
 * modifier combinations, malformed searches and conditions are errors with
 * the file and line. Attributes the specification leaves open (custom
 * metadata) are accepted and ignored, as the JSON schemas allow.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>

#include "core/buf.h"
#include "core/embedded.h"
#include "core/file.h"
#include "core/xalloc.h"
#include "core/yaml.h"
#include "detect/rule.h"

/* Refuse rule files bigger than any real one before reading them whole. */
#define RULE_FILE_MAX (4u << 20)

typedef struct loader {
	const char *origin;
	vg_error *err;
	int doc_line;
} loader;

__attribute__((format(printf, 3, 4)))
static int fail(loader *l, int line, const char *fmt, ...)
{
	char msg[VG_ERROR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return vg_error_set(l->err, VG_EINVAL, "%s:%d: %s", l->origin,
			    line > 0 ? line : (l->doc_line > 0 ? l->doc_line : 1), msg);
}

/* A non-empty string attribute; *out keeps its first definition. */
static int read_string(loader *l, struct fy_node *v, const char *attr, char **out)
{
	if (!v || !fy_node_is_scalar(v) || vg_yaml_is_null(v))
		return fail(l, vg_yaml_line(v), "%s must be a string", attr);
	free(*out);
	*out = vg_yaml_text_dup(v);
	return VG_OK;
}

/* A list of strings (or one string, which the specification allows for
 * rule references). */
static int read_strings(loader *l, struct fy_node *v, const char *attr, char ***out,
			size_t *n)
{
	struct fy_node *item;
	void *iter = NULL;

	if (v && fy_node_is_scalar(v) && !vg_yaml_is_null(v)) {
		*out = vg_xrealloc(*out, (*n + 1) * sizeof(**out));
		(*out)[(*n)++] = vg_yaml_text_dup(v);
		return VG_OK;
	}
	if (!v || !fy_node_is_sequence(v))
		return fail(l, vg_yaml_line(v), "%s must be a list of strings", attr);
	while ((item = fy_node_sequence_iterate(v, &iter)) != NULL) {
		if (!fy_node_is_scalar(item) || vg_yaml_is_null(item))
			return fail(l, vg_yaml_line(item), "%s must be a list of strings", attr);
		*out = vg_xrealloc(*out, (*n + 1) * sizeof(**out));
		(*out)[(*n)++] = vg_yaml_text_dup(item);
	}
	return VG_OK;
}

static const struct {
	const char *name;
	uint32_t bit;
} modifiers[] = {
	{ "contains", VG_MOD_CONTAINS },
	{ "startswith", VG_MOD_STARTSWITH },
	{ "endswith", VG_MOD_ENDSWITH },
	{ "all", VG_MOD_ALL },
	{ "re", VG_MOD_RE },
	{ "i", VG_MOD_RE_I },
	{ "m", VG_MOD_RE_M },
	{ "s", VG_MOD_RE_S },
	{ "cidr", VG_MOD_CIDR },
	{ "base64", VG_MOD_BASE64 },
	{ "base64offset", VG_MOD_BASE64OFFSET },
	{ "utf16le", VG_MOD_UTF16LE },
	{ "wide", VG_MOD_UTF16LE },
	{ "utf16be", VG_MOD_UTF16BE },
	{ "utf16", VG_MOD_UTF16 },
	{ "windash", VG_MOD_WINDASH },
	{ "exists", VG_MOD_EXISTS },
	{ "expand", VG_MOD_EXPAND },
	{ "fieldref", VG_MOD_FIELDREF },
	{ "neq", VG_MOD_NEQ },
	{ "lt", VG_MOD_LT },
	{ "lte", VG_MOD_LTE },
	{ "gt", VG_MOD_GT },
	{ "gte", VG_MOD_GTE },
	{ "cased", VG_MOD_CASED },
	{ "minute", VG_MOD_MINUTE },
	{ "hour", VG_MOD_HOUR },
	{ "day", VG_MOD_DAY },
	{ "week", VG_MOD_WEEK },
	{ "month", VG_MOD_MONTH },
	{ "year", VG_MOD_YEAR },
};

static int popcount(uint32_t x)
{
	return __builtin_popcount(x);
}

/* The combinations the specification gives a meaning to; anything else
 * would be guessed at, so it is refused. */
static int check_modifiers(loader *l, int line, uint32_t m)
{
	const uint32_t position = VG_MOD_CONTAINS | VG_MOD_STARTSWITH | VG_MOD_ENDSWITH;
	const uint32_t encoding = VG_MOD_BASE64 | VG_MOD_BASE64OFFSET;
	const uint32_t re_flags = VG_MOD_RE_I | VG_MOD_RE_M | VG_MOD_RE_S;

	if (popcount(m & position) > 1)
		return fail(l, line, "modifiers contains, startswith and endswith exclude each other");
	if (popcount(m & encoding) > 1)
		return fail(l, line, "modifiers base64 and base64offset exclude each other");
	if (popcount(m & VG_MOD_UTF16_ANY) > 1)
		return fail(l, line, "only one of utf16le, utf16be, utf16 and wide may be used");
	if ((m & re_flags) && !(m & VG_MOD_RE))
		return fail(l, line, "modifiers i, m and s only qualify re");
	if ((m & VG_MOD_RE) && (m & ~(VG_MOD_RE | re_flags | VG_MOD_ALL | VG_MOD_NEQ)))
		return fail(l, line, "re cannot be combined with other value modifiers");
	if ((m & VG_MOD_EXISTS) && m != VG_MOD_EXISTS)
		return fail(l, line, "exists cannot be combined with other modifiers");
	if ((m & VG_MOD_CIDR) && (m & ~(VG_MOD_CIDR | VG_MOD_ALL | VG_MOD_NEQ)))
		return fail(l, line, "cidr cannot be combined with other value modifiers");
	if ((m & VG_MOD_UTF16_ANY) && !(m & encoding))
		return fail(l, line, "utf16 encodings only make sense under base64 or base64offset");
	if ((m & encoding) && (m & (VG_MOD_STARTSWITH | VG_MOD_ENDSWITH)))
		return fail(l, line,
			    "base64 encodings can be combined with contains only (the encoded "
			    "text has no stable start or end)");
	if ((m & VG_MOD_WINDASH) && (m & encoding))
		return fail(l, line, "windash cannot be combined with base64 encodings");
	if (popcount(m & VG_MOD_COMPARE) > 1)
		return fail(l, line, "only one of lt, lte, gt and gte may be used");
	if (popcount(m & VG_MOD_DATEPART) > 1)
		return fail(l, line, "only one of minute, hour, day, week, month and year may be used");
	if ((m & (VG_MOD_COMPARE | VG_MOD_DATEPART)) &&
	    (m & ~(VG_MOD_COMPARE | VG_MOD_DATEPART | VG_MOD_ALL | VG_MOD_NEQ)))
		return fail(l, line, "numeric and date modifiers cannot be combined with string modifiers");
	if ((m & VG_MOD_FIELDREF) &&
	    (m & ~(VG_MOD_FIELDREF | position | VG_MOD_CASED | VG_MOD_NEQ | VG_MOD_ALL)))
		return fail(l, line,
			    "fieldref combines only with contains, startswith, endswith, cased and neq");
	return VG_OK;
}

/* "Field|mod|mod" -> field name (NULL for a keyword key "|mod") and bits. */
static int parse_key(loader *l, struct fy_node *key, char **field, uint32_t *mods)
{
	size_t len, i, start, n;
	const char *s = vg_yaml_text(key, &len);
	int line = vg_yaml_line(key);
	bool matched;

	*field = NULL;
	*mods = 0;
	for (n = 0; n < len && s[n] != '|'; n++)
		;
	if (n > 0) {
		*field = vg_xmalloc(n + 1);
		memcpy(*field, s, n);
		(*field)[n] = '\0';
	}
	for (start = n + 1; start <= len && n < len; start = n + 1) {
		for (n = start; n < len && s[n] != '|'; n++)
			;
		matched = false;
		for (i = 0; i < sizeof(modifiers) / sizeof(modifiers[0]); i++) {
			if (strlen(modifiers[i].name) == n - start &&
			    memcmp(modifiers[i].name, s + start, n - start) == 0) {
				*mods |= modifiers[i].bit;
				matched = true;
			}
		}
		if (!matched) {
			free(*field);
			*field = NULL;
			return fail(l, line, "unknown modifier \"%.*s\"", (int)(n - start), s + start);
		}
	}
	return check_modifiers(l, line, *mods);
}

static bool looks_numeric(const char *s, size_t len)
{
	char buf[64], *end;

	if (len == 0 || len >= sizeof(buf))
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	errno = 0;
	(void)strtod(buf, &end);
	return *end == '\0' && errno == 0;
}

static int read_value(loader *l, struct fy_node *n, vg_sigma_value *v)
{
	size_t len;
	const char *s;

	if (!n || vg_yaml_is_null(n)) {
		v->type = VG_VALUE_NULL;
		v->text = vg_xstrdup("");
		v->len = 0;
		return VG_OK;
	}
	if (!fy_node_is_scalar(n))
		return fail(l, vg_yaml_line(n), "a value must be a string, number, boolean or null");
	s = vg_yaml_text(n, &len);
	v->type = VG_VALUE_STRING;
	if (vg_yaml_is_plain(n)) {
		if ((len == 4 && memcmp(s, "true", 4) == 0) || (len == 5 && memcmp(s, "false", 5) == 0))
			v->type = VG_VALUE_BOOL;
		else if (looks_numeric(s, len))
			v->type = VG_VALUE_NUMBER;
	}
	v->text = vg_xmalloc(len + 1);
	memcpy(v->text, s, len);
	v->text[len] = '\0';
	v->len = len;
	return VG_OK;
}

static void item_release(vg_sigma_item *it)
{
	size_t i;

	for (i = 0; i < it->nvalues; i++)
		free(it->values[i].text);
	free(it->values);
	free(it->field);
}

static int check_item_values(loader *l, const vg_sigma_item *it)
{
	size_t i;

	if (it->nvalues == 0)
		return fail(l, it->line, "%s: empty list of values", it->field ? it->field : "keywords");
	if ((it->mods & VG_MOD_ALL) && it->nvalues < 2)
		return fail(l, it->line, "all needs a list of two or more values");
	for (i = 0; i < it->nvalues; i++) {
		const vg_sigma_value *v = &it->values[i];

		if ((it->mods & VG_MOD_EXISTS) && v->type != VG_VALUE_BOOL)
			return fail(l, it->line, "exists takes true or false");
		if ((it->mods & (VG_MOD_COMPARE | VG_MOD_DATEPART)) && v->type != VG_VALUE_NUMBER)
			return fail(l, it->line, "%s takes numbers, not \"%s\"",
				    (it->mods & VG_MOD_DATEPART) ? "a date part" : "a comparison",
				    v->text);
		if (v->type == VG_VALUE_NULL && (it->mods & ~VG_MOD_NEQ))
			return fail(l, it->line, "null cannot take value modifiers");
		if (!it->field && v->type == VG_VALUE_NULL)
			return fail(l, it->line, "a keyword cannot be null");
		if ((it->mods & (VG_MOD_RE | VG_MOD_CIDR | VG_MOD_FIELDREF | VG_MOD_BASE64 |
				 VG_MOD_BASE64OFFSET | VG_MOD_WINDASH)) &&
		    v->type != VG_VALUE_STRING && v->type != VG_VALUE_NUMBER)
			return fail(l, it->line, "this modifier takes strings");
	}
	return VG_OK;
}

static int read_item(loader *l, struct fy_node_pair *p, vg_sigma_item *it)
{
	struct fy_node *v = fy_node_pair_value(p), *e;
	void *iter = NULL;
	int rc;

	memset(it, 0, sizeof(*it));
	it->line = vg_yaml_line(fy_node_pair_key(p));
	rc = parse_key(l, fy_node_pair_key(p), &it->field, &it->mods);
	if (rc)
		return rc;
	if (v && fy_node_is_sequence(v)) {
		while ((e = fy_node_sequence_iterate(v, &iter)) != NULL) {
			it->values = vg_xrealloc(it->values, (it->nvalues + 1) * sizeof(*it->values));
			rc = read_value(l, e, &it->values[it->nvalues]);
			if (rc)
				return rc;
			it->nvalues++;
		}
	} else if (v && fy_node_is_mapping(v)) {
		return fail(l, it->line, "%s: a value cannot be a map", it->field ? it->field : "keywords");
	} else {
		it->values = vg_xcalloc(1, sizeof(*it->values));
		rc = read_value(l, v, &it->values[0]);
		if (rc)
			return rc;
		it->nvalues = 1;
	}
	return check_item_values(l, it);
}

static int read_map(loader *l, struct fy_node *n, vg_sigma_map *m)
{
	struct fy_node_pair *p;
	void *iter = NULL;
	int rc;

	if (fy_node_mapping_item_count(n) == 0)
		return fail(l, vg_yaml_line(n), "empty map in a search");
	while ((p = fy_node_mapping_iterate(n, &iter)) != NULL) {
		m->items = vg_xrealloc(m->items, (m->nitems + 1) * sizeof(*m->items));
		rc = read_item(l, p, &m->items[m->nitems]);
		m->nitems++;
		if (rc)
			return rc;
	}
	return VG_OK;
}

int vg_sigma_map_read(struct fy_node *n, const char *origin, vg_sigma_map *out, vg_error *err)
{
	loader l = { .origin = origin, .err = err };

	memset(out, 0, sizeof(*out));
	if (!n || !fy_node_is_mapping(n))
		return fail(&l, vg_yaml_line(n), "expected a map of field: value");
	return read_map(&l, n, out);
}

void vg_sigma_map_release(vg_sigma_map *m)
{
	size_t k;

	for (k = 0; k < m->nitems; k++)
		item_release(&m->items[k]);
	free(m->items);
	memset(m, 0, sizeof(*m));
}

static int read_search(loader *l, struct fy_node_pair *p, vg_sigma_search *s)
{
	struct fy_node *v = fy_node_pair_value(p), *e;
	void *iter = NULL;
	size_t nscalars = 0, nmaps = 0;
	int rc;

	s->name = vg_yaml_text_dup(fy_node_pair_key(p));
	s->line = vg_yaml_line(fy_node_pair_key(p));
	if (!v || vg_yaml_is_null(v))
		return fail(l, s->line, "search \"%s\" is empty", s->name);
	if (fy_node_is_mapping(v)) {
		s->maps = vg_xcalloc(1, sizeof(*s->maps));
		s->nmaps = 1;
		return read_map(l, v, &s->maps[0]);
	}
	if (fy_node_is_scalar(v)) {
		vg_sigma_item *it;

		s->maps = vg_xcalloc(1, sizeof(*s->maps));
		s->nmaps = 1;
		it = s->maps[0].items = vg_xcalloc(1, sizeof(*it));
		s->maps[0].nitems = 1;
		it->line = s->line;
		it->values = vg_xcalloc(1, sizeof(*it->values));
		it->nvalues = 1;
		return read_value(l, v, &it->values[0]);
	}
	while ((e = fy_node_sequence_iterate(v, &iter)) != NULL) {
		if (fy_node_is_mapping(e))
			nmaps++;
		else if (fy_node_is_scalar(e))
			nscalars++;
		else
			return fail(l, vg_yaml_line(e), "search \"%s\": a list holds maps or values",
				    s->name);
	}
	if (nmaps && nscalars)
		return fail(l, s->line, "search \"%s\" mixes maps and plain values", s->name);
	if (nmaps + nscalars == 0)
		return fail(l, s->line, "search \"%s\" is an empty list", s->name);
	iter = NULL;
	if (nmaps) {
		s->maps = vg_xcalloc(nmaps, sizeof(*s->maps));
		while ((e = fy_node_sequence_iterate(v, &iter)) != NULL) {
			rc = read_map(l, e, &s->maps[s->nmaps++]);
			if (rc)
				return rc;
		}
		return VG_OK;
	}
	/* A list of plain values: keywords, ORed. */
	s->maps = vg_xcalloc(1, sizeof(*s->maps));
	s->nmaps = 1;
	s->maps[0].items = vg_xcalloc(1, sizeof(vg_sigma_item));
	s->maps[0].nitems = 1;
	s->maps[0].items[0].line = s->line;
	s->maps[0].items[0].values = vg_xcalloc(nscalars, sizeof(vg_sigma_value));
	while ((e = fy_node_sequence_iterate(v, &iter)) != NULL) {
		vg_sigma_item *it = &s->maps[0].items[0];

		rc = read_value(l, e, &it->values[it->nvalues]);
		if (rc)
			return rc;
		it->nvalues++;
	}
	return check_item_values(l, &s->maps[0].items[0]);
}

/* The searches and condition of a detection (or of a filter, whose
 * "rules" key is read by the caller and skipped here). */
static int read_detection(loader *l, vg_rule *r, struct fy_node *det, const char *attr)
{
	struct fy_node *cond = NULL;
	struct fy_node_pair *p;
	void *iter = NULL;
	char *text = NULL;
	int rc, cond_line;

	if (!det || !fy_node_is_mapping(det))
		return fail(l, vg_yaml_line(det), "%s must be a map of searches and a condition", attr);
	while ((p = fy_node_mapping_iterate(det, &iter)) != NULL) {
		if (vg_yaml_key_is(p, "condition")) {
			cond = fy_node_pair_value(p);
			cond_line = vg_yaml_line(fy_node_pair_key(p));
			continue;
		}
		if (vg_yaml_key_is(p, "rules") && r->kind == VG_RULE_FILTER)
			continue;
		if (vg_yaml_key_is(p, "timeframe"))
			return fail(l, vg_yaml_line(fy_node_pair_key(p)),
				    "timeframe is Sigma 1 aggregation; write a correlation rule");
		r->searches = vg_xrealloc(r->searches, (r->nsearches + 1) * sizeof(*r->searches));
		memset(&r->searches[r->nsearches], 0, sizeof(*r->searches));
		rc = read_search(l, p, &r->searches[r->nsearches++]);
		if (rc)
			return rc;
	}
	if (!cond)
		return fail(l, vg_yaml_line(det), "%s has no condition", attr);
	if (r->nsearches == 0)
		return fail(l, vg_yaml_line(det), "%s has no search identifiers", attr);
	if (fy_node_is_sequence(cond)) {
		/* A list of conditions (Sigma 1) means any of them. */
		struct fy_node *e;
		size_t total = 0;
		char *joined;

		iter = NULL;
		while ((e = fy_node_sequence_iterate(cond, &iter)) != NULL) {
			size_t len;

			if (!fy_node_is_scalar(e))
				return fail(l, cond_line, "condition must be a string");
			vg_yaml_text(e, &len);
			total += len + 8;
		}
		joined = vg_xcalloc(1, total + 1);
		iter = NULL;
		while ((e = fy_node_sequence_iterate(cond, &iter)) != NULL) {
			size_t len, at = strlen(joined);
			const char *s = vg_yaml_text(e, &len);

			snprintf(joined + at, total + 1 - at, "%s(%.*s)", at ? " or " : "", (int)len, s);
		}
		text = joined;
	} else if (fy_node_is_scalar(cond) && !vg_yaml_is_null(cond)) {
		text = vg_yaml_text_dup(cond);
	} else {
		return fail(l, cond_line, "condition must be a string");
	}
	rc = vg_cond_parse(text, r->searches, r->nsearches, &r->cond, l->err);
	free(text);
	if (rc)
		vg_error_prefix(l->err, "%s:%d", l->origin, cond_line);
	return rc;
}

static int read_logsource(loader *l, vg_rule *r, struct fy_node *ls)
{
	struct fy_node_pair *p;
	void *iter = NULL;
	int rc = VG_OK;

	if (!ls || !fy_node_is_mapping(ls))
		return fail(l, vg_yaml_line(ls), "logsource must be a map");
	while (rc == VG_OK && (p = fy_node_mapping_iterate(ls, &iter)) != NULL) {
		if (vg_yaml_key_is(p, "product"))
			rc = read_string(l, fy_node_pair_value(p), "logsource product", &r->product);
		else if (vg_yaml_key_is(p, "category"))
			rc = read_string(l, fy_node_pair_value(p), "logsource category", &r->category);
		else if (vg_yaml_key_is(p, "service"))
			rc = read_string(l, fy_node_pair_value(p), "logsource service", &r->service);
	}
	return rc;
}

/* "5m" -> ms. */
static int read_timespan(loader *l, struct fy_node *v, int64_t *out)
{
	size_t len, i;
	const char *s = vg_yaml_text(v, &len);
	int64_t n = 0, unit;

	for (i = 0; i + 1 < len && s[i] >= '0' && s[i] <= '9' && n < 100000000; i++)
		n = n * 10 + (s[i] - '0');
	if (len < 2 || i != len - 1 || n == 0)
		return fail(l, vg_yaml_line(v), "timespan must be a number and s, m, h or d (\"5m\")");
	switch (s[len - 1]) {
	case 's': unit = 1000; break;
	case 'm': unit = 60 * 1000; break;
	case 'h': unit = 3600 * 1000; break;
	case 'd': unit = 86400 * 1000; break;
	default:
		return fail(l, vg_yaml_line(v), "timespan must be a number and s, m, h or d (\"5m\")");
	}
	*out = n * unit;
	return VG_OK;
}

static int read_bool(loader *l, struct fy_node *v, const char *what, bool *out)
{
	size_t len;
	const char *s = vg_yaml_text(v, &len);

	if (!v || !vg_yaml_is_plain(v) ||
	    !((len == 4 && memcmp(s, "true", 4) == 0) || (len == 5 && memcmp(s, "false", 5) == 0)))
		return fail(l, vg_yaml_line(v), "%s must be true or false", what);
	*out = len == 4;
	return VG_OK;
}

static int read_number(loader *l, struct fy_node *v, const char *what, double *out)
{
	size_t len;
	const char *s = vg_yaml_text(v, &len);
	char buf[64], *end;

	if (!vg_yaml_is_plain(v) || !looks_numeric(s, len))
		return fail(l, vg_yaml_line(v), "%s must be a number", what);
	memcpy(buf, s, len);
	buf[len] = '\0';
	*out = strtod(buf, &end);
	return VG_OK;
}

static int read_corr_condition(loader *l, vg_rule *r, struct fy_node *c)
{
	static const char *const ops[VG_CORR_NOPS] = {
		[VG_CORR_LT] = "lt", [VG_CORR_LTE] = "lte", [VG_CORR_GT] = "gt",
		[VG_CORR_GTE] = "gte", [VG_CORR_EQ] = "eq", [VG_CORR_NEQ] = "neq",
	};
	vg_corr_cond *cc = &r->corr_cond;
	struct fy_node_pair *p;
	void *iter = NULL;
	bool any = false;
	size_t i, len;
	int rc;

	if (!c || !fy_node_is_mapping(c))
		return fail(l, vg_yaml_line(c), "correlation condition must be a map (gte: 10)");
	while ((p = fy_node_mapping_iterate(c, &iter)) != NULL) {
		struct fy_node *v = fy_node_pair_value(p);
		const char *key = vg_yaml_text(fy_node_pair_key(p), &len);

		if (vg_yaml_key_is(p, "field")) {
			rc = read_strings(l, v, "condition field", &cc->fields, &cc->nfields);
		} else {
			for (i = 0; i < VG_CORR_NOPS; i++)
				if (vg_yaml_key_is(p, ops[i]))
					break;
			if (i == VG_CORR_NOPS)
				return fail(l, vg_yaml_line(fy_node_pair_key(p)),
					    "unknown correlation condition \"%.*s\"", (int)len, key);
			any = true;
			cc->has[i] = true;
			rc = read_number(l, v, ops[i], &cc->value[i]);
		}
		if (rc)
			return rc;
	}
	if (!any)
		return fail(l, vg_yaml_line(c), "correlation condition needs lt, lte, gt, gte, eq or neq");
	return VG_OK;
}

static int read_aliases(loader *l, vg_rule *r, struct fy_node *a)
{
	struct fy_node_pair *p, *q;
	void *iter = NULL, *iter2;

	if (!a || !fy_node_is_mapping(a))
		return fail(l, vg_yaml_line(a), "aliases must be a map");
	while ((p = fy_node_mapping_iterate(a, &iter)) != NULL) {
		struct fy_node *m = fy_node_pair_value(p);
		vg_corr_alias *al;

		if (!m || !fy_node_is_mapping(m))
			return fail(l, vg_yaml_line(fy_node_pair_key(p)),
				    "alias must map rule names to field names");
		r->aliases = vg_xrealloc(r->aliases, (r->naliases + 1) * sizeof(*r->aliases));
		al = &r->aliases[r->naliases++];
		memset(al, 0, sizeof(*al));
		al->name = vg_yaml_text_dup(fy_node_pair_key(p));
		iter2 = NULL;
		while ((q = fy_node_mapping_iterate(m, &iter2)) != NULL) {
			if (!fy_node_pair_value(q) || !fy_node_is_scalar(fy_node_pair_value(q)))
				return fail(l, vg_yaml_line(fy_node_pair_key(q)),
					    "alias %s: field name must be a string", al->name);
			al->rules = vg_xrealloc(al->rules, (al->n + 1) * sizeof(char *));
			al->fields = vg_xrealloc(al->fields, (al->n + 1) * sizeof(char *));
			al->rules[al->n] = vg_yaml_text_dup(fy_node_pair_key(q));
			al->fields[al->n] = vg_yaml_text_dup(fy_node_pair_value(q));
			al->n++;
		}
	}
	return VG_OK;
}

static const char *const corr_type_names[] = {
	[VG_CORR_EVENT_COUNT] = "event_count",
	[VG_CORR_VALUE_COUNT] = "value_count",
	[VG_CORR_VALUE_SUM] = "value_sum",
	[VG_CORR_VALUE_AVG] = "value_avg",
	[VG_CORR_VALUE_PERCENTILE] = "value_percentile",
	[VG_CORR_TEMPORAL] = "temporal",
	[VG_CORR_TEMPORAL_ORDERED] = "temporal_ordered",
};
#define NCORR_TYPES (sizeof(corr_type_names) / sizeof(corr_type_names[0]))

const char *vg_corr_type_name(enum vg_corr_type type)
{
	return (unsigned)type < NCORR_TYPES ? corr_type_names[type] : "unknown";
}

static int read_correlation(loader *l, vg_rule *r, struct fy_node *c)
{
	struct fy_node_pair *p;
	void *iter = NULL;
	bool have_type = false, have_span = false, have_cond = false;
	int rc = VG_OK, line = vg_yaml_line(c);
	size_t i;

	if (!c || !fy_node_is_mapping(c))
		return fail(l, line, "correlation must be a map");
	while (rc == VG_OK && (p = fy_node_mapping_iterate(c, &iter)) != NULL) {
		struct fy_node *v = fy_node_pair_value(p);
		int kline = vg_yaml_line(fy_node_pair_key(p));

		if (vg_yaml_key_is(p, "type")) {
			size_t len;
			const char *s = vg_yaml_text(v, &len);

			for (i = 0; i < NCORR_TYPES; i++)
				if (strlen(corr_type_names[i]) == len &&
				    memcmp(corr_type_names[i], s, len) == 0)
					break;
			if (i == NCORR_TYPES)
				return fail(l, kline, "unknown correlation type \"%.*s\"", (int)len, s);
			r->corr_type = (enum vg_corr_type)i;
			have_type = true;
		} else if (vg_yaml_key_is(p, "rules")) {
			rc = read_strings(l, v, "correlation rules", &r->targets, &r->ntargets);
		} else if (vg_yaml_key_is(p, "group-by")) {
			rc = read_strings(l, v, "group-by", &r->group_by, &r->ngroup_by);
		} else if (vg_yaml_key_is(p, "timespan") || vg_yaml_key_is(p, "timeframe")) {
			rc = read_timespan(l, v, &r->timespan_ms);
			have_span = true;
		} else if (vg_yaml_key_is(p, "condition")) {
			rc = read_corr_condition(l, r, v);
			have_cond = true;
		} else if (vg_yaml_key_is(p, "aliases")) {
			rc = read_aliases(l, r, v);
		} else if (vg_yaml_key_is(p, "generate")) {
			/* pySigma's place for it; the specification's is the rule's top level. */
			rc = read_bool(l, v, "generate", &r->generate);
		} else {
			size_t len;
			const char *key = vg_yaml_text(fy_node_pair_key(p), &len);

			return fail(l, kline, "correlation: unknown attribute \"%.*s\"", (int)len, key);
		}
	}
	if (rc)
		return rc;
	if (!have_type)
		return fail(l, line, "correlation needs a type");
	if (r->ntargets == 0)
		return fail(l, line, "correlation needs rules");
	if (!have_span)
		return fail(l, line, "correlation needs a timespan");
	if (!have_cond && r->corr_type != VG_CORR_TEMPORAL &&
	    r->corr_type != VG_CORR_TEMPORAL_ORDERED)
		return fail(l, line, "correlation needs a condition");
	if (!have_cond) {
		/* temporal: by default every referenced rule must have matched. */
		r->corr_cond.has[VG_CORR_GTE] = true;
		r->corr_cond.value[VG_CORR_GTE] = (double)r->ntargets;
	}
	if (r->corr_type >= VG_CORR_VALUE_COUNT && r->corr_type <= VG_CORR_VALUE_PERCENTILE &&
	    !r->corr_cond.nfields)
		return fail(l, line, "%s needs condition field", corr_type_names[r->corr_type]);
	if (r->corr_type > VG_CORR_VALUE_COUNT && r->corr_type <= VG_CORR_VALUE_PERCENTILE &&
	    r->corr_cond.nfields > 1)
		return fail(l, line, "%s reads one condition field", corr_type_names[r->corr_type]);
	if (r->corr_type < VG_CORR_VALUE_COUNT || r->corr_type > VG_CORR_VALUE_PERCENTILE) {
		if (r->corr_cond.nfields)
			return fail(l, line, "%s takes no condition field", corr_type_names[r->corr_type]);
	}
	if (r->corr_type == VG_CORR_TEMPORAL_ORDERED && have_cond)
		return fail(l, line,
			    "temporal_ordered with a condition is not supported: the order "
			    "needs every rule (leave the condition out)");
	return VG_OK;
}

static int read_samples(loader *l, vg_rule *r, struct fy_node *t)
{
	struct fy_node_pair *p;
	void *iter = NULL;

	if (!t || !fy_node_is_mapping(t))
		return fail(l, vg_yaml_line(t), "tests must be a map with match and no_match lists");
	while ((p = fy_node_mapping_iterate(t, &iter)) != NULL) {
		struct fy_node *list = fy_node_pair_value(p), *e;
		bool match = vg_yaml_key_is(p, "match");
		void *it2 = NULL;

		if (!match && !vg_yaml_key_is(p, "no_match"))
			return fail(l, vg_yaml_line(fy_node_pair_key(p)),
				    "tests: expected match or no_match");
		if (!list || !fy_node_is_sequence(list))
			return fail(l, vg_yaml_line(fy_node_pair_key(p)), "tests: a list of events");
		while ((e = fy_node_sequence_iterate(list, &it2)) != NULL) {
			vg_rule_sample *s;
			char *json;

			if (!fy_node_is_mapping(e))
				return fail(l, vg_yaml_line(e), "tests: each event is a map");
			json = fy_emit_node_to_string(e, FYECF_MODE_JSON_ONELINE | FYECF_NO_ENDING_NEWLINE);
			if (!json)
				return fail(l, vg_yaml_line(e), "tests: event cannot be written as JSON");
			r->samples = vg_xrealloc(r->samples, (r->nsamples + 1) * sizeof(*r->samples));
			s = &r->samples[r->nsamples++];
			s->json = json;
			s->match = match;
			s->line = vg_yaml_line(e);
		}
	}
	return VG_OK;
}

static int read_rule(loader *l, vg_rule *r, struct fy_node *root)
{
	struct fy_node *detection = NULL, *filter = NULL, *correlation = NULL, *logsource = NULL;
	struct fy_node_pair *p;
	void *iter = NULL;
	int rc = VG_OK;

	if (!root || !fy_node_is_mapping(root))
		return fail(l, vg_yaml_line(root), "a rule must be a map");
	while (rc == VG_OK && (p = fy_node_mapping_iterate(root, &iter)) != NULL) {
		struct fy_node *v = fy_node_pair_value(p);

		if (vg_yaml_key_is(p, "title"))
			rc = read_string(l, v, "title", &r->title);
		else if (vg_yaml_key_is(p, "id"))
			rc = read_string(l, v, "id", &r->id);
		else if (vg_yaml_key_is(p, "name"))
			rc = read_string(l, v, "name", &r->name);
		else if (vg_yaml_key_is(p, "level"))
			rc = read_string(l, v, "level", &r->level);
		else if (vg_yaml_key_is(p, "description"))
			rc = read_string(l, v, "description", &r->description);
		else if (vg_yaml_key_is(p, "status"))
			rc = read_string(l, v, "status", &r->status);
		else if (vg_yaml_key_is(p, "tags"))
			rc = read_strings(l, v, "tags", &r->tags, &r->ntags);
		else if (vg_yaml_key_is(p, "logsource"))
			logsource = v;
		else if (vg_yaml_key_is(p, "detection"))
			detection = v;
		else if (vg_yaml_key_is(p, "filter"))
			filter = v;
		else if (vg_yaml_key_is(p, "correlation"))
			correlation = v;
		else if (vg_yaml_key_is(p, "tests"))
			rc = read_samples(l, r, v);
		else if (vg_yaml_key_is(p, "generate"))
			rc = read_bool(l, v, "generate", &r->generate);
		else if (vg_yaml_key_is(p, "action"))
			return fail(l, vg_yaml_line(fy_node_pair_key(p)),
				    "rule collections (action: global/reset/repeat) are Sigma 1 and "
				    "not supported; write each rule in full");
	}
	if (rc)
		return rc;
	if (!r->title)
		return fail(l, l->doc_line, "a rule needs a title");
	if (!!detection + !!filter + !!correlation != 1)
		return fail(l, l->doc_line, "a rule has exactly one of detection, filter and correlation");
	if (logsource) {
		rc = read_logsource(l, r, logsource);
		if (rc)
			return rc;
	} else if (!correlation) {
		return fail(l, l->doc_line, "a rule needs a logsource");
	}
	if (correlation) {
		r->kind = VG_RULE_CORRELATION;
		return read_correlation(l, r, correlation);
	}
	if (filter) {
		struct fy_node *targets;

		r->kind = VG_RULE_FILTER;
		if (!fy_node_is_mapping(filter))
			return fail(l, vg_yaml_line(filter), "filter must be a map");
		targets = fy_node_mapping_lookup_by_string(filter, "rules", FY_NT);
		if (!targets)
			return fail(l, vg_yaml_line(filter), "filter needs rules");
		rc = read_strings(l, targets, "filter rules", &r->targets, &r->ntargets);
		if (rc)
			return rc;
		return read_detection(l, r, filter, "filter");
	}
	r->kind = VG_RULE_DETECTION;
	return read_detection(l, r, detection, "detection");
}

typedef struct load_state {
	loader l;
	vg_ruleset pending;
} load_state;

void vg_ruleset_push(vg_ruleset *set, vg_rule *r)
{
	if (set->n == set->cap) {
		set->cap = set->cap ? set->cap * 2 : 64;
		set->rules = vg_xrealloc(set->rules, set->cap * sizeof(*set->rules));
	}
	set->rules[set->n++] = r;
}

static int load_document(void *arg, struct fy_node *root, vg_error *err)
{
	load_state *st = arg;
	vg_rule *r;
	int rc;

	(void)err;
	if (!root)
		return VG_OK; /* an empty document, e.g. after a trailing "---" */
	st->l.doc_line = vg_yaml_line(root);
	r = vg_xcalloc(1, sizeof(*r));
	r->origin = vg_xstrdup(st->l.origin);
	r->line = st->l.doc_line;
	rc = read_rule(&st->l, r, root);
	if (rc) {
		vg_rule_free(r);
		return rc;
	}
	vg_ruleset_push(&st->pending, r);
	return VG_OK;
}

int vg_rules_load(vg_ruleset *set, const char *text, size_t len, const char *origin,
		  vg_error *err)
{
	load_state st = { .l = { .origin = origin, .err = err } };
	size_t i;
	int rc;

	rc = vg_yaml_each_document(text, len, origin, load_document, &st, err);
	for (i = 0; i < st.pending.n; i++) {
		if (rc)
			vg_rule_free(st.pending.rules[i]);
		else
			vg_ruleset_push(set, st.pending.rules[i]);
	}
	free(st.pending.rules);
	return rc;
}

int vg_rules_load_file(vg_ruleset *set, const char *path, vg_error *err)
{
	vg_buf text = VG_BUF_INIT(RULE_FILE_MAX);
	int rc = vg_file_read(path, RULE_FILE_MAX, &text, err);

	if (rc == VG_OK)
		rc = vg_rules_load(set, vg_buf_cstr(&text), text.len, path, err);
	vg_buf_release(&text);
	return rc;
}

int vg_rules_load_builtin(vg_ruleset *set, vg_error *err)
{
	const vg_embedded_file *f;
	char origin[512];
	int rc = VG_OK;

	for (f = vg__rules_files; f->path && rc == VG_OK; f++) {
		snprintf(origin, sizeof(origin), "content/rules/%s", f->path);
		rc = vg_rules_load(set, f->text, strlen(f->text), origin, err);
	}
	return rc;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_rule_file(const char *name)
{
	size_t n = strlen(name);

	return (n > 4 && strcmp(name + n - 4, ".yml") == 0) ||
	       (n > 5 && strcmp(name + n - 5, ".yaml") == 0);
}

static void push_name(vg_rule_files *out, char *name)
{
	out->paths = vg_xrealloc(out->paths, (out->n + 1) * sizeof(*out->paths));
	out->paths[out->n++] = name;
}

static int list_dir(const char *path, vg_rule_files *out, vg_error *err)
{
	struct dirent *de;
	struct stat st;
	vg_rule_files here = { 0 };
	size_t i;
	DIR *d;
	int rc = VG_OK;

	d = opendir(path);
	if (!d)
		return vg_error_set(err, VG_EIO, "%s: %s", path, strerror(errno));
	while ((de = readdir(d)) != NULL) {
		size_t n = strlen(path) + strlen(de->d_name) + 2;
		char *name;

		if (de->d_name[0] == '.')
			continue;
		name = vg_xmalloc(n);
		snprintf(name, n, "%s/%s", path, de->d_name);
		push_name(&here, name);
	}
	closedir(d);
	if (here.n)
		qsort(here.paths, here.n, sizeof(*here.paths), compare_names);
	for (i = 0; i < here.n; i++) {
		if (rc == VG_OK && stat(here.paths[i], &st) != 0)
			rc = vg_error_set(err, VG_EIO, "%s: %s", here.paths[i], strerror(errno));
		if (rc == VG_OK && S_ISDIR(st.st_mode))
			rc = list_dir(here.paths[i], out, err);
		if (rc == VG_OK && S_ISREG(st.st_mode) && is_rule_file(here.paths[i])) {
			push_name(out, here.paths[i]);
			continue;
		}
		free(here.paths[i]);
	}
	free(here.paths);
	return rc;
}

int vg_rule_files_list(const char *path, vg_rule_files *out, vg_error *err)
{
	struct stat st;

	if (stat(path, &st) != 0)
		return vg_error_set(err, VG_EIO, "%s: %s", path, strerror(errno));
	if (!S_ISDIR(st.st_mode)) {
		push_name(out, vg_xstrdup(path));
		return VG_OK;
	}
	return list_dir(path, out, err);
}

void vg_rule_files_release(vg_rule_files *files)
{
	size_t i;

	for (i = 0; i < files->n; i++)
		free(files->paths[i]);
	free(files->paths);
	memset(files, 0, sizeof(*files));
}

int vg_rules_load_path(vg_ruleset *set, const char *path, vg_error *err)
{
	vg_rule_files files = { 0 };
	size_t i;
	int rc;

	rc = vg_rule_files_list(path, &files, err);
	for (i = 0; i < files.n && rc == VG_OK; i++)
		rc = vg_rules_load_file(set, files.paths[i], err);
	vg_rule_files_release(&files);
	return rc;
}

static void free_strings(char **s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(s[i]);
	free(s);
}

void vg_rule_free(vg_rule *r)
{
	size_t i, j;

	if (!r)
		return;
	for (i = 0; i < r->nsearches; i++) {
		vg_sigma_search *s = &r->searches[i];

		for (j = 0; j < s->nmaps; j++)
			vg_sigma_map_release(&s->maps[j]);
		free(s->maps);
		free(s->name);
	}
	free(r->searches);
	vg_cond_free(r->cond);
	free_strings(r->tags, r->ntags);
	free_strings(r->targets, r->ntargets);
	free_strings(r->group_by, r->ngroup_by);
	for (i = 0; i < r->naliases; i++) {
		free(r->aliases[i].name);
		free_strings(r->aliases[i].rules, r->aliases[i].n);
		free_strings(r->aliases[i].fields, r->aliases[i].n);
	}
	free(r->aliases);
	for (i = 0; i < r->nsamples; i++)
		free(r->samples[i].json);
	free(r->samples);
	free_strings(r->corr_cond.fields, r->corr_cond.nfields);
	free(r->origin);
	free(r->id);
	free(r->name);
	free(r->title);
	free(r->level);
	free(r->description);
	free(r->status);
	free(r->product);
	free(r->category);
	free(r->service);
	free(r);
}

const vg_rule *vg_ruleset_find(const vg_ruleset *set, const char *ref)
{
	size_t i;

	for (i = 0; i < set->n; i++) {
		const vg_rule *r = set->rules[i];

		if ((r->id && strcmp(ref, r->id) == 0) || (r->name && strcmp(ref, r->name) == 0))
			return r;
	}
	return NULL;
}

int vg_ruleset_link(const vg_ruleset *set, vg_error *err)
{
	size_t i, k;

	for (i = 0; i < set->n; i++) {
		const vg_rule *r = set->rules[i];

		if (r->kind != VG_RULE_CORRELATION)
			continue;
		for (k = 0; k < r->ntargets; k++) {
			const vg_rule *t = vg_ruleset_find(set, r->targets[k]);

			if (!t)
				return vg_error_set(err, VG_EINVAL,
						    "%s:%d: correlation \"%s\" reads rule \"%s\", "
						    "which is not loaded",
						    r->origin, r->line, r->title, r->targets[k]);
			if (t->kind == VG_RULE_FILTER)
				return vg_error_set(err, VG_EINVAL,
						    "%s:%d: correlation \"%s\" reads \"%s\", "
						    "which is a filter",
						    r->origin, r->line, r->title, r->targets[k]);
		}
	}
	return VG_OK;
}

void vg_ruleset_release(vg_ruleset *set)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		vg_rule_free(set->rules[i]);
	free(set->rules);
	memset(set, 0, sizeof(*set));
}
