/* affix.c - tries of literal prefixes and suffixes (see affix.h). */
#include "detect/affix.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

/* A node with more children than this finds them by table. */
#define WIDE 8

/* A trie node: the bytes that lead on, in the order added (a short loop
 * finds one of the few most nodes have) or in a 256-entry table for the
 * wide ones near the root; and the literals ending here. */
typedef struct node {
	unsigned char *labels;
	uint32_t *kids;
	uint32_t *table; /* byte -> child, when more than WIDE */
	uint32_t nkids;
	uint32_t *ids;
	uint32_t nids;
} node;

struct vg_affix {
	node *nodes; /* nodes[0] is the root: the empty literal */
	size_t nnodes, cap;
	bool suffix, cased;
};

static unsigned char fold(const vg_affix *a, unsigned char c)
{
	return !a->cased && c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

vg_affix *vg_affix_new(bool suffix, bool cased)
{
	vg_affix *a = vg_xcalloc(1, sizeof(*a));

	a->suffix = suffix;
	a->cased = cased;
	a->cap = 16;
	a->nodes = vg_xcalloc(a->cap, sizeof(*a->nodes));
	a->nnodes = 1;
	return a;
}

void vg_affix_free(vg_affix *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->nnodes; i++) {
		free(a->nodes[i].labels);
		free(a->nodes[i].kids);
		free(a->nodes[i].table);
		free(a->nodes[i].ids);
	}
	free(a->nodes);
	free(a);
}

static inline uint32_t child(const vg_affix *a, uint32_t n, unsigned char c)
{
	const node *x = &a->nodes[n];

	if (x->table)
		return x->table[c];
	for (uint32_t k = 0; k < x->nkids; k++)
		if (x->labels[k] == c)
			return x->kids[k];
	return 0;
}

void vg_affix_add(vg_affix *a, const char *lit, size_t len, uint32_t id)
{
	uint32_t n = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = fold(a, (unsigned char)lit[a->suffix ? len - 1 - i : i]);
		uint32_t next = child(a, n, c);
		node *x;

		if (!next) {
			if (a->nnodes == a->cap) {
				a->cap *= 2;
				a->nodes = vg_xrealloc(a->nodes, a->cap * sizeof(*a->nodes));
			}
			next = (uint32_t)a->nnodes++;
			memset(&a->nodes[next], 0, sizeof(a->nodes[next]));
			x = &a->nodes[n];
			x->labels = vg_xrealloc(x->labels, x->nkids + 1);
			x->kids = vg_xrealloc(x->kids, (x->nkids + 1) * sizeof(*x->kids));
			x->labels[x->nkids] = c;
			x->kids[x->nkids++] = next;
			if (x->nkids > WIDE && !x->table) {
				x->table = vg_xcalloc(256, sizeof(*x->table));
				for (uint32_t k = 0; k < x->nkids; k++)
					x->table[x->labels[k]] = x->kids[k];
			} else if (x->table) {
				x->table[c] = next;
			}
		}
		n = next;
	}
	for (uint32_t k = 0; k < a->nodes[n].nids; k++)
		if (a->nodes[n].ids[k] == id)
			return;
	a->nodes[n].ids = vg_xrealloc(a->nodes[n].ids, (a->nodes[n].nids + 1) * sizeof(uint32_t));
	a->nodes[n].ids[a->nodes[n].nids++] = id;
}

void vg_affix_find(const vg_affix *a, const char *text, size_t len, vg_affix_found_fn found,
		   void *arg)
{
	const unsigned char *p = (const unsigned char *)text;
	uint32_t n = 0;
	size_t i = 0;

	for (;;) {
		const node *x = &a->nodes[n];

		for (uint32_t k = 0; k < x->nids; k++)
			found(arg, x->ids[k]);
		if (i == len)
			return;
		n = child(a, n, fold(a, p[a->suffix ? len - 1 - i : i]));
		if (!n)
			return;
		i++;
	}
}
