/*
 * cond.c - Sigma condition expressions.
 *
 *   expr    = term { "or" term }
 *   term    = factor { "and" factor }
 *   factor  = "not" factor | "(" expr ")" | quant "of" target | identifier
 *   quant   = "1" | "any" | "all"          target = "them" | pattern
 *
 * "1 of x*" and "all of them" are expanded here into OR/AND over the search
 * identifiers they name, so the engine only ever sees references. As the
 * specification says, "them" leaves out identifiers starting with "_".
 */
#include <ctype.h>
#include <stdint.h>
#include <string.h>

#include "core/xalloc.h"
#include "detect/rule.h"

typedef struct parser {
	const char *s;
	size_t pos;
	const vg_sigma_search *searches;
	size_t nsearches;
	vg_error *err;
	int depth;
} parser;

/* Deeper nesting than any real rule; bounds the recursion on hostile input. */
#define COND_MAX_DEPTH 64

static int fail(parser *p, const char *what)
{
	return vg_error_set(p->err, VG_EINVAL, "condition: column %zu: %s", p->pos + 1, what);
}

static void skip_space(parser *p)
{
	while (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' || p->s[p->pos] == '\n' ||
	       p->s[p->pos] == '\r')
		p->pos++;
}

static bool is_word_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '*' || c == '-' || c == '.';
}

/* The next word (identifier, pattern or keyword) without consuming it. */
static size_t peek_word(parser *p, const char **start)
{
	size_t n = 0;

	skip_space(p);
	*start = p->s + p->pos;
	while (is_word_char((*start)[n]))
		n++;
	return n;
}

static bool take_keyword(parser *p, const char *kw)
{
	const char *w;
	size_t n = peek_word(p, &w);

	if (n != strlen(kw) || memcmp(w, kw, n) != 0)
		return false;
	p->pos += n;
	return true;
}

static vg_cond *node_new(enum vg_cond_op op)
{
	vg_cond *c = vg_xcalloc(1, sizeof(*c));

	c->op = op;
	return c;
}

static void add_kid(vg_cond *c, vg_cond *kid)
{
	c->kids = vg_xrealloc(c->kids, (c->nkids + 1) * sizeof(*c->kids));
	c->kids[c->nkids++] = kid;
}

static vg_cond *ref_new(size_t search)
{
	vg_cond *c = node_new(VG_COND_REF);

	c->search = search;
	return c;
}

/* Glob match of a search name against a pattern with '*' only: the
 * greedy walk that backs up to the last star, linear in practice and never
 * exponential, however many stars a hostile condition holds. */
static bool name_matches(const char *pat, size_t plen, const char *name)
{
	size_t p = 0, n = 0, star = SIZE_MAX, mark = 0, nlen = strlen(name);

	while (n < nlen) {
		if (p < plen && pat[p] == '*') {
			star = p++;
			mark = n;
		} else if (p < plen && pat[p] == name[n]) {
			p++;
			n++;
		} else if (star != SIZE_MAX) {
			p = star + 1;
			n = ++mark;
		} else {
			return false;
		}
	}
	while (p < plen && pat[p] == '*')
		p++;
	return p == plen;
}

static int parse_expr(parser *p, vg_cond **out);

static int parse_quantified(parser *p, enum vg_cond_op op, vg_cond **out)
{
	const char *w;
	size_t n, i;
	bool them;
	vg_cond *c;

	if (!take_keyword(p, "of"))
		return fail(p, "expected \"of\"");
	n = peek_word(p, &w);
	if (n == 0)
		return fail(p, "expected \"them\" or a search identifier pattern after \"of\"");
	them = n == 4 && memcmp(w, "them", 4) == 0;
	c = node_new(op);
	for (i = 0; i < p->nsearches; i++) {
		const char *name = p->searches[i].name;

		if (them ? name[0] != '_' : name_matches(w, n, name))
			add_kid(c, ref_new(i));
	}
	if (c->nkids == 0) {
		vg_cond_free(c);
		return vg_error_set(p->err, VG_EINVAL,
				    "condition: column %zu: no search identifier matches \"%.*s\"",
				    p->pos + 1, (int)n, w);
	}
	p->pos += n;
	*out = c;
	return VG_OK;
}

static int parse_factor(parser *p, vg_cond **out)
{
	const char *w;
	size_t n, i;
	int rc;

	if (++p->depth > COND_MAX_DEPTH)
		return fail(p, "nested too deeply");
	skip_space(p);
	if (p->s[p->pos] == '(') {
		p->pos++;
		rc = parse_expr(p, out);
		if (rc)
			return rc;
		skip_space(p);
		if (p->s[p->pos] != ')') {
			vg_cond_free(*out);
			*out = NULL;
			return fail(p, "expected ')'");
		}
		p->pos++;
		p->depth--;
		return VG_OK;
	}
	if (take_keyword(p, "not")) {
		vg_cond *kid = NULL, *c;

		rc = parse_factor(p, &kid);
		if (rc)
			return rc;
		c = node_new(VG_COND_NOT);
		add_kid(c, kid);
		*out = c;
		p->depth--;
		return VG_OK;
	}
	if (take_keyword(p, "1") || take_keyword(p, "any")) {
		rc = parse_quantified(p, VG_COND_OR, out);
		p->depth--;
		return rc;
	}
	if (take_keyword(p, "all")) {
		rc = parse_quantified(p, VG_COND_AND, out);
		p->depth--;
		return rc;
	}
	n = peek_word(p, &w);
	if (n == 0) {
		if (p->s[p->pos] == '|')
			return fail(p, "aggregation expressions (\"| count() ...\") are not part of "
				       "Sigma 2; write a correlation rule");
		return fail(p, p->s[p->pos] ? "expected a search identifier"
					    : "unexpected end, expected a search identifier");
	}
	for (i = 0; i < p->nsearches; i++)
		if (strlen(p->searches[i].name) == n && memcmp(p->searches[i].name, w, n) == 0)
			break;
	if (i == p->nsearches)
		return vg_error_set(p->err, VG_EINVAL,
				    "condition: column %zu: unknown search identifier \"%.*s\"",
				    p->pos + 1, (int)n, w);
	p->pos += n;
	*out = ref_new(i);
	p->depth--;
	return VG_OK;
}

/* One level of the grammar: operands joined by kw ("and" or "or"). */
static int parse_chain(parser *p, const char *kw, enum vg_cond_op op,
		       int (*operand)(parser *, vg_cond **), vg_cond **out)
{
	vg_cond *first = NULL, *c = NULL, *next;
	int rc;

	rc = operand(p, &first);
	if (rc)
		return rc;
	while (take_keyword(p, kw)) {
		next = NULL;
		rc = operand(p, &next);
		if (rc) {
			vg_cond_free(c ? c : first);
			return rc;
		}
		if (!c) {
			c = node_new(op);
			add_kid(c, first);
		}
		add_kid(c, next);
	}
	*out = c ? c : first;
	return VG_OK;
}

static int parse_term(parser *p, vg_cond **out)
{
	return parse_chain(p, "and", VG_COND_AND, parse_factor, out);
}

static int parse_expr(parser *p, vg_cond **out)
{
	return parse_chain(p, "or", VG_COND_OR, parse_term, out);
}

int vg_cond_parse(const char *text, const vg_sigma_search *searches, size_t nsearches,
		  vg_cond **out, vg_error *err)
{
	parser p = { .s = text, .searches = searches, .nsearches = nsearches, .err = err };
	int rc;

	*out = NULL;
	rc = parse_expr(&p, out);
	if (rc)
		return rc;
	skip_space(&p);
	if (p.s[p.pos]) {
		vg_cond_free(*out);
		*out = NULL;
		if (p.s[p.pos] == '|')
			return fail(&p, "aggregation expressions (\"| count() ...\") are not part "
					"of Sigma 2; write a correlation rule");
		return fail(&p, "expected \"and\", \"or\" or the end");
	}
	return VG_OK;
}

void vg_cond_free(vg_cond *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < c->nkids; i++)
		vg_cond_free(c->kids[i]);
	free(c->kids);
	free(c);
}
