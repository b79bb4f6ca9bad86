/*
 * correlate.c - correlation windows per tenant and group (see correlate.h
 * for the semantics).
 *
 * Every input of a correlation (a detection rule, or another correlation
 * for chains) turns into observations: a time, the group's values, the
 * value the type reads and a weight. A group keeps the observations of its
 * window in a ring, with running sums and, for the types that count
 * values, a map from value to how often it is in the window.
 */
#include "detect/correlate.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/map.h"
#include "core/time.h"
#include "core/xalloc.h"

#define NONE (-1)
#define NO_TIME INT64_MIN
#define DEFAULT_MAX_GROUPS 100000
#define DEFAULT_MAX_WINDOW_EVENTS 100000
#define MAX_GROUP_BY 16

/* What an input reads: indices into the correlator's field names for a
 * detection rule, or into the producing correlation's group names. */
typedef struct input {
	const vg_rule *rule; /* a detection rule, or NULL */
	int producer;        /* the correlation it reads, or NONE */
	int *group;          /* per group-by name; NONE: the input has no such field */
	int *value;          /* per condition field */
} input;

typedef struct consumer {
	int corr, input;
} consumer;

typedef struct corr {
	const vg_rule *rule;
	input *inputs;
	size_t ninputs;
	bool at_close; /* judged when the window closes, not at each event */
	consumer *consumers;
	size_t nconsumers;
} corr;

/* A detection rule feeding an input. */
typedef struct feed {
	const vg_rule *rule;
	int corr, input;
} feed;

struct vg_correlator {
	const vg_ruleset *set;
	corr *corrs;
	size_t ncorrs;
	char **fields; /* Sigma field names read from detection events */
	size_t nfields;
	feed *feeds; /* sorted by rule pointer, then by input descending */
	size_t nfeeds;
	const vg_rule **silent; /* sorted */
	size_t nsilent;
};

struct vg_corr_binding {
	const vg_correlator *c;
	uint32_t *slots; /* per field name */
	uint32_t time_slots[4], occ_slot;
	size_t ntime_slots;
	int zone_minutes; /* of stamps without a zone; INT_MIN: they are refused */
	bool has_occ;
};

typedef struct entry {
	int64_t t;
	double x;
	uint32_t w;
	const char *v; /* key in the group's value map, or NULL */
	size_t vlen;
} entry;

typedef struct group {
	vg_str *gvals; /* copies, for hits */
	char *gbuf;
	entry *q; /* ring of the window's observations */
	size_t head, n, cap;
	double sum;
	uint64_t weight;
	vg_map values; /* value -> count, as a pointer-sized integer */
	int64_t open;  /* at_close: when the window opened */
	int64_t *last; /* temporal: per input; temporal_ordered: per step, the latest start */
	int64_t first_seen;
} group;

typedef struct corr_state {
	vg_map groups;
} corr_state;

struct vg_corr_state {
	const vg_correlator *c;
	corr_state *corrs;
	size_t max_groups, max_window_events;
	uint64_t dropped;
};

/* One observation for an input. */
typedef struct obs {
	int64_t t;
	vg_str gvals[MAX_GROUP_BY];
	vg_str value; /* value_count, value_percentile: the value (tuple) as text */
	bool has_value;
	double x; /* value_sum, value_avg */
	bool has_x;
	uint32_t w;
	const char *event;
	size_t event_len;
} obs;

/* ---- compiling ---------------------------------------------------- */

static int cfail(const vg_rule *r, vg_error *err, const char *what, const char *ref)
{
	return vg_error_set(err, VG_EINVAL, "%s:%d: correlation \"%s\": %s%s%s%s", r->origin,
			    r->line, r->title, what, ref ? " \"" : "", ref ? ref : "", ref ? "\"" : "");
}

static int field_index(vg_correlator *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->nfields; i++)
		if (strcmp(c->fields[i], name) == 0)
			return (int)i;
	c->fields = vg_xrealloc(c->fields, (c->nfields + 1) * sizeof(char *));
	c->fields[c->nfields] = vg_xstrdup(name);
	return (int)c->nfields++;
}

static int corr_index(const vg_correlator *c, const vg_rule *r)
{
	size_t i;

	for (i = 0; i < c->ncorrs; i++)
		if (c->corrs[i].rule == r)
			return (int)i;
	return NONE;
}

/* The field an input reads for a group-by name: the alias's field for
 * the input's rule when the name is an alias, else the name itself. */
static const char *alias_field(const vg_rule *cr, const char *name, const vg_rule *in)
{
	size_t a, k;

	for (a = 0; a < cr->naliases; a++) {
		const vg_corr_alias *al = &cr->aliases[a];

		if (strcmp(al->name, name) != 0)
			continue;
		for (k = 0; k < al->n; k++)
			if ((in->name && strcmp(al->rules[k], in->name) == 0) ||
			    (in->id && strcmp(al->rules[k], in->id) == 0))
				return al->fields[k];
		return NULL;
	}
	return name;
}

/* For a correlation's input: where each name it reads comes from. */
static int index_in_producer(const vg_rule *producer, const char *name)
{
	size_t i;

	for (i = 0; i < producer->ngroup_by; i++)
		if (strcmp(producer->group_by[i], name) == 0)
			return (int)i;
	return NONE;
}

static int resolve_input(vg_correlator *c, corr *k, size_t i, vg_error *err)
{
	const vg_rule *cr = k->rule;
	input *in = &k->inputs[i];
	const vg_rule *src = vg_ruleset_find(c->set, cr->targets[i]);
	size_t g;

	if (!src)
		return cfail(cr, err, "reads a rule that is not loaded:", cr->targets[i]);
	if (src->kind == VG_RULE_FILTER)
		return cfail(cr, err, "reads a filter:", cr->targets[i]);
	in->producer = src->kind == VG_RULE_CORRELATION ? corr_index(c, src) : NONE;
	in->rule = src->kind == VG_RULE_DETECTION ? src : NULL;
	in->group = vg_xcalloc(cr->ngroup_by + 1, sizeof(int));
	in->value = vg_xcalloc(cr->corr_cond.nfields + 1, sizeof(int));
	for (g = 0; g < cr->ngroup_by; g++) {
		const char *name = alias_field(cr, cr->group_by[g], src);

		if (!name)
			return cfail(cr, err, "alias names no field for rule", cr->targets[i]);
		in->group[g] = in->rule ? field_index(c, name) : index_in_producer(src, name);
	}
	for (g = 0; g < cr->corr_cond.nfields; g++)
		in->value[g] = in->rule ? field_index(c, cr->corr_cond.fields[g])
					: index_in_producer(src, cr->corr_cond.fields[g]);
	return VG_OK;
}

static int compare_feeds(const void *a, const void *b)
{
	const feed *x = a, *y = b;

	if (x->rule != y->rule)
		return (uintptr_t)x->rule < (uintptr_t)y->rule ? -1 : 1;
	if (x->corr != y->corr)
		return x->corr - y->corr;
	return y->input - x->input;
}

static int compare_ptrs(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t) * (const vg_rule *const *)a, y = (uintptr_t) * (const vg_rule *const *)b;

	return x < y ? -1 : x > y;
}

/* Correlations reading correlations must not loop. */
static bool in_cycle(const vg_correlator *c, int k, int *mark)
{
	size_t i;

	if (mark[k] == 1)
		return true;
	if (mark[k] == 2)
		return false;
	mark[k] = 1;
	for (i = 0; i < c->corrs[k].ninputs; i++) {
		int p = c->corrs[k].inputs[i].producer;

		if (p != NONE && in_cycle(c, p, mark))
			return true;
	}
	mark[k] = 2;
	return false;
}

static bool upper_bounded(const vg_corr_cond *cc)
{
	return cc->has[VG_CORR_LT] || cc->has[VG_CORR_LTE] || cc->has[VG_CORR_EQ] ||
	       cc->has[VG_CORR_NEQ];
}

/* Whether rule r (a detection or a correlation) is read only by
 * correlations that do not generate its own alerts. */
static bool is_silent(const vg_correlator *c, const vg_rule *r)
{
	bool read = false;
	size_t k, i;

	for (k = 0; k < c->ncorrs; k++) {
		for (i = 0; i < c->corrs[k].ninputs; i++) {
			const input *in = &c->corrs[k].inputs[i];
			const vg_rule *src = in->rule ? in->rule : c->corrs[in->producer].rule;

			if (src != r)
				continue;
			if (c->corrs[k].rule->generate)
				return false;
			read = true;
		}
	}
	return read;
}

int vg_correlator_new(const vg_ruleset *set, vg_correlator **out, vg_error *err)
{
	vg_correlator *c = vg_xcalloc(1, sizeof(*c));
	int *mark = NULL;
	size_t i, k;
	int rc = VG_OK;

	*out = NULL;
	c->set = set;
	for (i = 0; i < set->n; i++) {
		if (set->rules[i]->kind != VG_RULE_CORRELATION)
			continue;
		c->corrs = vg_xrealloc(c->corrs, (c->ncorrs + 1) * sizeof(*c->corrs));
		memset(&c->corrs[c->ncorrs], 0, sizeof(*c->corrs));
		c->corrs[c->ncorrs++].rule = set->rules[i];
	}
	for (k = 0; k < c->ncorrs && rc == VG_OK; k++) {
		corr *co = &c->corrs[k];
		const vg_rule *r = co->rule;

		if (r->ngroup_by > MAX_GROUP_BY) {
			rc = cfail(r, err, "groups by more than 16 fields", NULL);
			break;
		}
		co->ninputs = r->ntargets;
		co->inputs = vg_xcalloc(r->ntargets, sizeof(*co->inputs));
		co->at_close = (r->corr_type == VG_CORR_EVENT_COUNT ||
				r->corr_type == VG_CORR_VALUE_COUNT || r->corr_type == VG_CORR_VALUE_SUM ||
				r->corr_type == VG_CORR_VALUE_AVG) &&
			       upper_bounded(&r->corr_cond);
		for (i = 0; i < r->ntargets && rc == VG_OK; i++)
			rc = resolve_input(c, co, i, err);
	}
	mark = vg_xcalloc(c->ncorrs + 1, sizeof(int));
	for (k = 0; k < c->ncorrs && rc == VG_OK; k++)
		if (in_cycle(c, (int)k, mark))
			rc = cfail(c->corrs[k].rule, err, "is part of a cycle of correlations", NULL);
	free(mark);
	for (k = 0; k < c->ncorrs && rc == VG_OK; k++) {
		for (i = 0; i < c->corrs[k].ninputs; i++) {
			input *in = &c->corrs[k].inputs[i];

			if (in->rule) {
				c->feeds = vg_xrealloc(c->feeds, (c->nfeeds + 1) * sizeof(*c->feeds));
				c->feeds[c->nfeeds++] = (feed){ in->rule, (int)k, (int)i };
			} else {
				corr *p = &c->corrs[in->producer];

				p->consumers = vg_xrealloc(p->consumers,
							   (p->nconsumers + 1) * sizeof(*p->consumers));
				p->consumers[p->nconsumers++] = (consumer){ (int)k, (int)i };
			}
		}
	}
	if (rc) {
		vg_correlator_free(c);
		return rc;
	}
	if (c->nfeeds)
		qsort(c->feeds, c->nfeeds, sizeof(*c->feeds), compare_feeds);
	for (i = 0; i < set->n; i++) {
		if (set->rules[i]->kind == VG_RULE_FILTER || !is_silent(c, set->rules[i]))
			continue;
		c->silent = vg_xrealloc(c->silent, (c->nsilent + 1) * sizeof(*c->silent));
		c->silent[c->nsilent++] = set->rules[i];
	}
	if (c->nsilent)
		qsort(c->silent, c->nsilent, sizeof(*c->silent), compare_ptrs);
	*out = c;
	return VG_OK;
}

void vg_correlator_free(vg_correlator *c)
{
	size_t k, i;

	if (!c)
		return;
	for (k = 0; k < c->ncorrs; k++) {
		for (i = 0; i < c->corrs[k].ninputs; i++) {
			free(c->corrs[k].inputs[i].group);
			free(c->corrs[k].inputs[i].value);
		}
		free(c->corrs[k].inputs);
		free(c->corrs[k].consumers);
	}
	free(c->corrs);
	for (i = 0; i < c->nfields; i++)
		free(c->fields[i]);
	free(c->fields);
	free(c->feeds);
	free(c->silent);
	free(c);
}

size_t vg_correlator_count(const vg_correlator *c)
{
	return c ? c->ncorrs : 0;
}

bool vg_correlator_reports(const vg_correlator *c, const vg_rule *r)
{
	return !c || !c->nsilent ||
	       !bsearch(&r, c->silent, c->nsilent, sizeof(*c->silent), compare_ptrs);
}

int vg_corr_bind(const vg_correlator *c, vg_engine *e, vg_corr_binding **out, vg_error *err)
{
	vg_corr_binding *b = vg_xcalloc(1, sizeof(*b));
	const vg_source_type *t = vg_engine_type(e);
	size_t i;

	(void)err;
	b->c = c;
	b->slots = vg_xcalloc(c->nfields + 1, sizeof(*b->slots));
	for (i = 0; i < c->nfields; i++)
		b->slots[i] = vg_engine_rule_field(e, c->fields[i]);
	b->zone_minutes = t && t->has_timezone ? t->timezone_minutes : INT_MIN;
	if (!t) {
		b->time_slots[b->ntime_slots++] = vg_engine_field(e, "timestamp");
	} else {
		for (i = 0; i < t->ntimestamps && i < 4; i++)
			b->time_slots[b->ntime_slots++] = vg_engine_field(e, t->timestamps[i]);
	}
	if (t && t->occurrences) {
		b->occ_slot = vg_engine_field(e, t->occurrences);
		b->has_occ = true;
	}
	*out = b;
	return VG_OK;
}

void vg_corr_binding_free(vg_corr_binding *b)
{
	if (!b)
		return;
	free(b->slots);
	free(b);
}

int64_t vg_corr_event_time(const vg_corr_binding *b, const vg_fields *f, int64_t fallback_ms)
{
	const vg_fvalue *v = NULL;
	char buf[64], *end;
	size_t i;
	int64_t ms;
	double x;

	for (i = 0; i < b->ntime_slots && !v; i++)
		v = vg_fields_first(f, b->time_slots[i]);
	if (!v || v->len == 0 || v->len >= sizeof(buf))
		return fallback_ms;
	memcpy(buf, v->ptr, v->len);
	buf[v->len] = '\0';
	if (v->type == VG_FV_STRING && (b->zone_minutes == INT_MIN
						? vg_time_parse_iso(buf, &ms)
						: vg_time_parse_zoned(buf, b->zone_minutes, &ms)) == VG_OK)
		return ms;
	if (v->type != VG_FV_NUMBER && v->type != VG_FV_STRING)
		return fallback_ms;
	x = strtod(buf, &end);
	if (*end || !isfinite(x) || x < 0)
		return fallback_ms;
	/* Seconds until the year 5138; past that, milliseconds. */
	return x < 1e11 ? (int64_t)llround(x * 1000) : (int64_t)llround(x);
}

/* ---- state -------------------------------------------------------- */

vg_corr_state *vg_corr_state_new(const vg_correlator *c, const vg_corr_limits *limits)
{
	vg_corr_state *s = vg_xcalloc(1, sizeof(*s));

	s->c = c;
	s->corrs = vg_xcalloc(c->ncorrs + 1, sizeof(*s->corrs));
	s->max_groups = limits && limits->max_groups ? limits->max_groups : DEFAULT_MAX_GROUPS;
	s->max_window_events = limits && limits->max_window_events ? limits->max_window_events
								    : DEFAULT_MAX_WINDOW_EVENTS;
	return s;
}

static void group_free(group *g)
{
	if (!g)
		return;
	free(g->gvals);
	free(g->gbuf);
	free(g->q);
	vg_map_release(&g->values);
	free(g->last);
	free(g);
}

void vg_corr_state_free(vg_corr_state *s)
{
	size_t k, i;
	vg_map_entry *e;

	if (!s)
		return;
	for (k = 0; k < s->c->ncorrs; k++) {
		i = 0;
		while ((e = vg_map_next(&s->corrs[k].groups, &i)) != NULL)
			group_free(e->value);
		vg_map_release(&s->corrs[k].groups);
	}
	free(s->corrs);
	free(s);
}

uint64_t vg_corr_state_dropped(const vg_corr_state *s)
{
	return s->dropped;
}

static bool cond_holds(const vg_corr_cond *cc, double v)
{
	return (!cc->has[VG_CORR_LT] || v < cc->value[VG_CORR_LT]) &&
	       (!cc->has[VG_CORR_LTE] || v <= cc->value[VG_CORR_LTE]) &&
	       (!cc->has[VG_CORR_GT] || v > cc->value[VG_CORR_GT]) &&
	       (!cc->has[VG_CORR_GTE] || v >= cc->value[VG_CORR_GTE]) &&
	       (!cc->has[VG_CORR_EQ] || v == cc->value[VG_CORR_EQ]) &&
	       (!cc->has[VG_CORR_NEQ] || v != cc->value[VG_CORR_NEQ]);
}

/* Group key: each value with a presence byte and its length. */
static int group_key(const vg_rule *r, const obs *o, vg_buf *key)
{
	size_t g;
	int rc = VG_OK;

	vg_buf_reset(key);
	for (g = 0; g < r->ngroup_by && rc == VG_OK; g++) {
		uint32_t len = (uint32_t)o->gvals[g].len;
		char present = o->gvals[g].ptr ? 1 : 0;

		rc = vg_buf_append(key, &present, 1);
		if (rc == VG_OK)
			rc = vg_buf_append(key, &len, sizeof(len));
		if (rc == VG_OK && o->gvals[g].ptr)
			rc = vg_buf_append(key, o->gvals[g].ptr, len);
	}
	return rc;
}

static group *group_new(const vg_rule *r, const obs *o)
{
	size_t g, total = 0, at = 0;
	group *gr = calloc(1, sizeof(*gr));

	if (!gr)
		return NULL;
	for (g = 0; g < r->ngroup_by; g++)
		total += o->gvals[g].len;
	gr->gvals = calloc(r->ngroup_by + 1, sizeof(*gr->gvals));
	gr->gbuf = malloc(total + 1);
	gr->last = malloc((r->ntargets + 1) * sizeof(*gr->last));
	if (!gr->gvals || !gr->gbuf || !gr->last) {
		group_free(gr);
		return NULL;
	}
	for (g = 0; g < r->ngroup_by; g++) {
		if (!o->gvals[g].ptr)
			continue;
		memcpy(gr->gbuf + at, o->gvals[g].ptr, o->gvals[g].len);
		gr->gvals[g] = (vg_str){ gr->gbuf + at, o->gvals[g].len };
		at += o->gvals[g].len;
	}
	for (g = 0; g < r->ntargets + 1; g++)
		gr->last[g] = NO_TIME;
	gr->open = NO_TIME;
	return gr;
}

static entry *at(group *g, size_t i)
{
	return &g->q[(g->head + i) % g->cap];
}

static void drop_oldest(group *g)
{
	entry *e = at(g, 0);

	g->sum -= e->x;
	g->weight -= e->w;
	if (e->v) {
		uintptr_t n = (uintptr_t)vg_map_get(&g->values, e->v, e->vlen);
		vg_map_entry *me;
		int created;

		if (n <= 1) {
			vg_map_del(&g->values, e->v, e->vlen);
		} else {
			/* The key is present, so this finds it and allocates nothing. */
			me = vg_map_put(&g->values, e->v, e->vlen, &created);
			me->value = (void *)(n - 1);
		}
	}
	g->head = (g->head + 1) % g->cap;
	g->n--;
}

static void group_clear(group *g, size_t nlast)
{
	size_t i;

	while (g->n)
		drop_oldest(g);
	g->sum = 0;
	g->weight = 0;
	g->open = NO_TIME;
	for (i = 0; i < nlast; i++)
		g->last[i] = NO_TIME;
}

/* Adds an observation to the ring (keeping it in time order). */
static int push(vg_corr_state *s, group *g, const obs *o, bool counts_values)
{
	entry e = { .t = o->t, .x = o->has_x ? o->x : 0, .w = o->w };
	size_t i;

	if (g->n >= s->max_window_events) {
		s->dropped++;
		return VG_OK;
	}
	if (g->n == g->cap) {
		size_t cap = g->cap ? g->cap * 2 : 8;
		entry *q = malloc(cap * sizeof(*q));

		if (!q)
			return VG_ENOMEM;
		for (i = 0; i < g->n; i++)
			q[i] = *at(g, i);
		free(g->q);
		g->q = q;
		g->cap = cap;
		g->head = 0;
	}
	if (counts_values) {
		int created;
		vg_map_entry *me = vg_map_put(&g->values, o->value.ptr, o->value.len, &created);

		if (!me)
			return VG_ENOMEM;
		me->value = (void *)((uintptr_t)me->value + 1);
		e.v = me->key;
		e.vlen = me->len;
	}
	/* Events mostly arrive in time order; one that does not moves back. */
	i = g->n;
	*at(g, i) = e;
	while (i > 0 && at(g, i - 1)->t > e.t) {
		*at(g, i) = *at(g, i - 1);
		i--;
	}
	*at(g, i) = e;
	g->n++;
	g->sum += e.x;
	g->weight += e.w;
	return VG_OK;
}

static double aggregate(const vg_rule *r, const group *g, const obs *o)
{
	switch (r->corr_type) {
	case VG_CORR_EVENT_COUNT:
		return (double)g->weight;
	case VG_CORR_VALUE_COUNT:
		return (double)vg_map_count(&g->values);
	case VG_CORR_VALUE_SUM:
		return g->sum;
	case VG_CORR_VALUE_AVG:
		return g->n ? g->sum / (double)g->n : 0;
	default: {
		uintptr_t n = o ? (uintptr_t)vg_map_get(&g->values, o->value.ptr, o->value.len) : 0;

		return g->n ? 100.0 * (double)n / (double)g->n : 0;
	}
	}
}

static int emit_hit(vg_corr_state *s, int k, group *g, double value, int64_t first, int64_t last,
		    const char *event, size_t event_len, vg_corr_hit_fn fn, void *arg,
		    vg_error *err);

static int judge_window(vg_corr_state *s, int k, group *g, vg_corr_hit_fn fn, void *arg,
			vg_error *err)
{
	const vg_rule *r = s->c->corrs[k].rule;
	int rc = VG_OK;

	if (g->n && cond_holds(&r->corr_cond, aggregate(r, g, NULL)))
		rc = emit_hit(s, k, g, aggregate(r, g, NULL), at(g, 0)->t, at(g, g->n - 1)->t, NULL,
			      0, fn, arg, err);
	group_clear(g, r->ntargets);
	return rc;
}

static int observe(vg_corr_state *s, int k, int input_index, const obs *o, vg_corr_hit_fn fn,
		   void *arg, vg_error *err)
{
	const corr *co = &s->c->corrs[k];
	const vg_rule *r = co->rule;
	corr_state *cs = &s->corrs[k];
	vg_buf key = VG_BUF_INIT(1u << 20);
	vg_map_entry *me;
	group *g;
	int created, rc;
	size_t i, counted;
	int64_t first;

	rc = group_key(r, o, &key);
	if (rc)
		goto out;
	if (!vg_map_get(&cs->groups, key.ptr ? key.ptr : "", key.len) &&
	    vg_map_count(&cs->groups) >= s->max_groups) {
		s->dropped++;
		goto out;
	}
	me = vg_map_put(&cs->groups, key.ptr ? key.ptr : "", key.len, &created);
	if (!me) {
		rc = VG_ENOMEM;
		goto out;
	}
	if (created) {
		me->value = group_new(r, o);
		if (!me->value) {
			vg_map_del(&cs->groups, key.ptr ? key.ptr : "", key.len);
			rc = VG_ENOMEM;
			goto out;
		}
	}
	g = me->value;
	switch (r->corr_type) {
	case VG_CORR_TEMPORAL:
		g->last[input_index] = o->t;
		counted = 0;
		first = o->t;
		for (i = 0; i < r->ntargets; i++) {
			if (g->last[i] != NO_TIME && g->last[i] >= o->t - r->timespan_ms) {
				counted++;
				if (g->last[i] < first)
					first = g->last[i];
			}
		}
		if (cond_holds(&r->corr_cond, (double)counted)) {
			rc = emit_hit(s, k, g, (double)counted, first, o->t, o->event, o->event_len, fn,
				      arg, err);
			group_clear(g, r->ntargets);
		}
		break;
	case VG_CORR_TEMPORAL_ORDERED:
		/* last[i]: the latest start of a chain that has done steps 0..i. */
		for (i = 0; i < r->ntargets; i++)
			if (g->last[i] != NO_TIME && g->last[i] < o->t - r->timespan_ms)
				g->last[i] = NO_TIME;
		if (input_index == 0) {
			g->last[0] = o->t;
		} else if (g->last[input_index - 1] != NO_TIME &&
			   (g->last[input_index] == NO_TIME ||
			    g->last[input_index - 1] > g->last[input_index])) {
			g->last[input_index] = g->last[input_index - 1];
		}
		if ((size_t)input_index == r->ntargets - 1 && g->last[input_index] != NO_TIME) {
			rc = emit_hit(s, k, g, (double)r->ntargets, g->last[input_index], o->t, o->event,
				      o->event_len, fn, arg, err);
			group_clear(g, r->ntargets);
		}
		break;
	default:
		if (co->at_close) {
			if (((r->corr_type == VG_CORR_VALUE_SUM || r->corr_type == VG_CORR_VALUE_AVG) &&
			     !o->has_x) ||
			    (r->corr_type == VG_CORR_VALUE_COUNT && !o->has_value))
				break;
			if (g->open != NO_TIME && o->t > g->open + r->timespan_ms) {
				rc = judge_window(s, k, g, fn, arg, err);
				if (rc)
					goto out;
			}
			if (g->open == NO_TIME)
				g->open = o->t;
			rc = push(s, g, o,
				  r->corr_type == VG_CORR_VALUE_COUNT ||
					  r->corr_type == VG_CORR_VALUE_PERCENTILE);
			break;
		}
		if (((r->corr_type == VG_CORR_VALUE_SUM || r->corr_type == VG_CORR_VALUE_AVG) &&
		     !o->has_x) ||
		    ((r->corr_type == VG_CORR_VALUE_COUNT || r->corr_type == VG_CORR_VALUE_PERCENTILE) &&
		     !o->has_value))
			break;
		rc = push(s, g, o,
			  r->corr_type == VG_CORR_VALUE_COUNT ||
				  r->corr_type == VG_CORR_VALUE_PERCENTILE);
		if (rc)
			break;
		while (g->n && at(g, 0)->t < o->t - r->timespan_ms)
			drop_oldest(g);
		if (g->n && cond_holds(&r->corr_cond, aggregate(r, g, o))) {
			double v = aggregate(r, g, o);

			rc = emit_hit(s, k, g, v, at(g, 0)->t, o->t, o->event, o->event_len, fn, arg,
				      err);
			/* A share is judged event by event against a standing window. */
			if (r->corr_type != VG_CORR_VALUE_PERCENTILE)
				group_clear(g, r->ntargets);
		}
		break;
	}
out:
	vg_buf_release(&key);
	if (rc == VG_ENOMEM)
		return vg_error_set(err, VG_ENOMEM, "out of memory in correlation \"%s\"", r->title);
	return rc;
}

/* Text of a field's first value, as a view (ptr NULL when absent). */
static vg_str first_text(const vg_fields *f, uint32_t slot)
{
	const vg_fvalue *v = vg_fields_first(f, slot);

	if (!v || v->type == VG_FV_NULL)
		return (vg_str){ NULL, 0 };
	return (vg_str){ v->ptr, v->len };
}

static bool parse_number(vg_str v, double *x)
{
	char buf[64], *end;

	if (!v.ptr || v.len == 0 || v.len >= sizeof(buf))
		return false;
	memcpy(buf, v.ptr, v.len);
	buf[v.len] = '\0';
	*x = strtod(buf, &end);
	return *end == '\0' && isfinite(*x);
}

/* The value a type reads: one field, or a tuple of several as one text.
 * An event without it is not counted by value_count and value_percentile
 * (as COUNT(DISTINCT) leaves out NULL), nor summed by value_sum and
 * value_avg. */
static int read_value(const vg_rule *r, const vg_str *vals, size_t n, obs *o, vg_buf *tuple)
{
	size_t i;
	int rc = VG_OK;

	if (r->corr_type == VG_CORR_VALUE_SUM || r->corr_type == VG_CORR_VALUE_AVG) {
		o->has_x = n && parse_number(vals[0], &o->x);
		return VG_OK;
	}
	if (r->corr_type != VG_CORR_VALUE_COUNT && r->corr_type != VG_CORR_VALUE_PERCENTILE)
		return VG_OK;
	for (i = 0; i < n; i++)
		if (!vals[i].ptr)
			return VG_OK;
	o->has_value = true;
	if (n == 1) {
		o->value = vals[0];
		return VG_OK;
	}
	vg_buf_reset(tuple);
	for (i = 0; i < n && rc == VG_OK; i++) {
		uint32_t len = (uint32_t)vals[i].len;

		rc = vg_buf_append(tuple, &len, sizeof(len));
		if (rc == VG_OK)
			rc = vg_buf_append(tuple, vals[i].ptr, len);
	}
	o->value = (vg_str){ tuple->ptr ? tuple->ptr : "", tuple->len };
	return rc;
}

static int emit_hit(vg_corr_state *s, int k, group *g, double value, int64_t first, int64_t last,
		    const char *event, size_t event_len, vg_corr_hit_fn fn, void *arg,
		    vg_error *err)
{
	const corr *co = &s->c->corrs[k];
	const vg_rule *r = co->rule;
	vg_corr_hit hit = { r, first, last, value, r->ngroup_by, r->group_by, g->gvals, event,
			    event_len };
	vg_buf tuple = VG_BUF_INIT(1u << 20);
	size_t c, i;
	int rc = VG_OK;

	if (vg_correlator_reports(s->c, r))
		rc = fn(arg, &hit, err);
	/* Chains: the hit is an observation for the correlations reading it. */
	for (c = 0; c < co->nconsumers && rc == VG_OK; c++) {
		const corr *next = &s->c->corrs[co->consumers[c].corr];
		const input *in = &next->inputs[co->consumers[c].input];
		vg_str vals[MAX_GROUP_BY];
		obs o = { .t = last, .w = 1, .event = event, .event_len = event_len };

		for (i = 0; i < next->rule->ngroup_by; i++)
			o.gvals[i] = in->group[i] == NONE ? (vg_str){ NULL, 0 } : g->gvals[in->group[i]];
		for (i = 0; i < next->rule->corr_cond.nfields && i < MAX_GROUP_BY; i++)
			vals[i] = in->value[i] == NONE ? (vg_str){ NULL, 0 } : g->gvals[in->value[i]];
		rc = read_value(next->rule, vals, next->rule->corr_cond.nfields, &o, &tuple);
		if (rc == VG_OK)
			rc = observe(s, co->consumers[c].corr, co->consumers[c].input, &o, fn, arg, err);
	}
	vg_buf_release(&tuple);
	return rc;
}

static const feed *first_feed(const vg_correlator *c, const vg_rule *r)
{
	size_t lo = 0, hi = c->nfeeds;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if ((uintptr_t)c->feeds[mid].rule < (uintptr_t)r)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < c->nfeeds && c->feeds[lo].rule == r ? &c->feeds[lo] : NULL;
}

int vg_corr_feed(vg_corr_state *s, const vg_corr_binding *b, const vg_rule *const *matched,
		 size_t nmatched, const vg_fields *f, int64_t time_ms, const char *event,
		 size_t event_len, vg_corr_hit_fn fn, void *arg, vg_error *err)
{
	const vg_correlator *c = s->c;
	vg_buf tuple = VG_BUF_INIT(1u << 20);
	uint32_t weight = 1;
	size_t m, i;
	int rc = VG_OK;

	if (b->has_occ) {
		double x;

		if (parse_number(first_text(f, b->occ_slot), &x) && x >= 1 && x < 1e9)
			weight = (uint32_t)x;
	}
	for (m = 0; m < nmatched && rc == VG_OK; m++) {
		const feed *fd = first_feed(c, matched[m]);

		for (; fd && fd < c->feeds + c->nfeeds && fd->rule == matched[m] && rc == VG_OK; fd++) {
			const corr *co = &c->corrs[fd->corr];
			const input *in = &co->inputs[fd->input];
			vg_str vals[MAX_GROUP_BY];
			obs o = { .t = time_ms, .w = weight, .event = event, .event_len = event_len };

			for (i = 0; i < co->rule->ngroup_by; i++)
				o.gvals[i] = first_text(f, b->slots[in->group[i]]);
			for (i = 0; i < co->rule->corr_cond.nfields && i < MAX_GROUP_BY; i++)
				vals[i] = first_text(f, b->slots[in->value[i]]);
			if (co->rule->corr_type != VG_CORR_EVENT_COUNT)
				o.w = 1;
			rc = read_value(co->rule, vals, co->rule->corr_cond.nfields, &o, &tuple);
			if (rc == VG_OK)
				rc = observe(s, fd->corr, fd->input, &o, fn, arg, err);
		}
	}
	vg_buf_release(&tuple);
	if (rc && !err->code)
		return vg_error_set(err, rc, "correlation state is full");
	return rc;
}

int vg_corr_flush(vg_corr_state *s, int64_t now_ms, vg_corr_hit_fn fn, void *arg,
		  vg_error *err)
{
	size_t k, i;
	int rc = VG_OK;

	for (k = 0; k < s->c->ncorrs && rc == VG_OK; k++) {
		const corr *co = &s->c->corrs[k];
		const vg_rule *r = co->rule;
		corr_state *cs = &s->corrs[k];
		vg_map_entry *e;

		i = 0;
		while (rc == VG_OK && (e = vg_map_next(&cs->groups, &i)) != NULL) {
			group *g = e->value;
			bool empty = true;
			size_t j;

			if (co->at_close) {
				if (g->open != NO_TIME &&
				    (now_ms == INT64_MAX || g->open + r->timespan_ms < now_ms))
					rc = judge_window(s, (int)k, g, fn, arg, err);
				empty = g->n == 0;
			} else if (r->corr_type == VG_CORR_TEMPORAL ||
				   r->corr_type == VG_CORR_TEMPORAL_ORDERED) {
				for (j = 0; j < r->ntargets; j++)
					if (now_ms != INT64_MAX && g->last[j] != NO_TIME &&
					    g->last[j] >= now_ms - r->timespan_ms)
						empty = false;
			} else {
				while (g->n && (now_ms == INT64_MAX ||
						at(g, 0)->t < now_ms - r->timespan_ms))
					drop_oldest(g);
				empty = g->n == 0;
			}
			/* Deleting leaves a tombstone and moves nothing, so the
			 * iteration goes on from the next slot. */
			if (empty && rc == VG_OK)
				group_free(vg_map_del(&cs->groups, e->key, e->len));
		}
	}
	return rc;
}
