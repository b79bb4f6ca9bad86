/*
 * pipeline.c - ingest batches through archive, detection, correlation and
 * alerts (see pipeline.h).
 */
#include "pipeline/pipeline.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alerts/alerts.h"
#include "archive/archive.h"
#include "core/buf.h"
#include "core/file.h"
#include "core/json.h"
#include "core/log.h"
#include "core/time.h"
#include "core/xalloc.h"
#include "detect/correlate.h"
#include "detect/engine.h"
#include "detect/ioc.h"
#include "detect/placeholder.h"
#include "detect/rule.h"
#include "detect/source.h"
#include "ingest/feed.h"
#include "ingest/finding.h"
#include "ops/ioc.h"

#define MAX_GROUP_BY 8
#define MAX_IOC_FIELDS 32

/* A source type's compiled rules and a pool of matchers for it. */
typedef struct typed_engine {
	const vg_source_type *type;
	const vg_finding_type *findings; /* its findings.yaml mapping, or NULL */
	vg_engine *engine;
	vg_corr_binding *binding;
	uint32_t group_slots[MAX_GROUP_BY];
	uint32_t ioc_slots[MAX_IOC_FIELDS];
	int ioc_kinds[MAX_IOC_FIELDS]; /* vg_ioc_type, or VG_IOC_NTYPES: by shape */
	size_t nioc;
	pthread_mutex_t lock;
	vg_matcher **pool;
	size_t npool;
} typed_engine;

typedef struct tenant_corr {
	int64_t tenant_id;
	vg_corr_state *state;
	pthread_mutex_t lock;
} tenant_corr;

struct vg_pipeline {
	vg_app *app;
	vg_ruleset rules;
	vg_placeholders placeholders;
	vg_correlator *corr;
	vg_archive *archive;
	char *group_by[MAX_GROUP_BY];
	size_t ngroup_by;
	int64_t group_window_ms;
	size_t max_event;
	int64_t rejects_kept;
	pthread_rwlock_t ioc_lock; /* iocs is swapped whole when the lists change */
	vg_ioc_set *iocs;
	int64_t ioc_version;
	pthread_mutex_t lock; /* engines and tenants */
	typed_engine **engines;
	size_t nengines;
	tenant_corr **tenants;
	size_t ntenants;
};

/* ---- opening ------------------------------------------------------ */

static int load_placeholders(vg_pipeline *p, const char *path, vg_error *err)
{
	vg_buf text = VG_BUF_INIT(1u << 20);
	int rc = vg_file_read(path, text.max, &text, err);

	if (rc == VG_OK)
		rc = vg_placeholders_load(&p->placeholders, vg_buf_cstr(&text), text.len, path, err);
	vg_buf_release(&text);
	return rc;
}

/* Splits list at sep into the rule paths (or field names) it names. */
static int each_item(const char *list, char sep, int (*fn)(void *, const char *, vg_error *),
		     void *arg, vg_error *err)
{
	const char *s = list;
	int rc = VG_OK;

	while (s && *s && rc == VG_OK) {
		const char *end = strchr(s, sep);
		size_t len = end ? (size_t)(end - s) : strlen(s);
		char *item = vg_xmalloc(len + 1);

		memcpy(item, s, len);
		item[len] = '\0';
		if (len)
			rc = fn(arg, item, err);
		free(item);
		s = end ? end + 1 : NULL;
	}
	return rc;
}

static int add_rules(void *arg, const char *path, vg_error *err)
{
	vg_pipeline *p = arg;

	return vg_rules_load_path(&p->rules, path, err);
}

static int add_group_field(void *arg, const char *name, vg_error *err)
{
	vg_pipeline *p = arg;

	if (p->ngroup_by == MAX_GROUP_BY)
		return vg_error_set(err, VG_EINVAL, "alerts.group_by: at most %d fields", MAX_GROUP_BY);
	p->group_by[p->ngroup_by++] = vg_xstrdup(name);
	return VG_OK;
}

int vg_pipeline_open(vg_app *app, vg_pipeline **out, vg_error *err)
{
	vg_pipeline *p = vg_xcalloc(1, sizeof(*p));
	const vg_config *cfg = &app->config;
	vg_error ferr = { 0 };
	char dir[4096];
	int rc;

	*out = NULL;
	p->app = app;
	p->group_window_ms = cfg->alerts_group_window_minutes * 60000;
	p->max_event = (size_t)cfg->ingest_max_event_bytes;
	p->rejects_kept = cfg->ingest_rejects_kept;
	pthread_mutex_init(&p->lock, NULL);
	pthread_rwlock_init(&p->ioc_lock, NULL);
	/* The shipped mappings are read now, so that a defect in them stops
	 * the start rather than an ingest. */
	vg_finding_type_find("", &ferr);
	rc = ferr.code ? vg_error_set(err, ferr.code, "%s", ferr.msg)
		       : vg_rules_load_builtin(&p->rules, err);
	if (rc == VG_OK)
		rc = each_item(cfg->detect_rules, ':', add_rules, p, err);
	if (rc == VG_OK && cfg->detect_placeholders)
		rc = load_placeholders(p, cfg->detect_placeholders, err);
	if (rc == VG_OK)
		rc = each_item(cfg->alerts_group_by, ',', add_group_field, p, err);
	if (rc == VG_OK)
		rc = vg_ruleset_link(&p->rules, err);
	if (rc == VG_OK)
		rc = vg_correlator_new(&p->rules, &p->corr, err);
	if (rc == VG_OK) {
		snprintf(dir, sizeof(dir), "%s/%s", app->data_dir, VG_PIPELINE_ARCHIVE_DIR);
		rc = vg_archive_open(dir, NULL, &p->archive, err);
	}
	if (rc == VG_OK)
		rc = vg_pipeline_reload_iocs(p, err);
	if (rc) {
		vg_pipeline_close(p);
		return rc;
	}
	*out = p;
	return VG_OK;
}

static void engine_free(typed_engine *te)
{
	size_t i;

	for (i = 0; i < te->npool; i++)
		vg_matcher_free(te->pool[i]);
	free(te->pool);
	vg_corr_binding_free(te->binding);
	vg_engine_free(te->engine);
	pthread_mutex_destroy(&te->lock);
	free(te);
}

void vg_pipeline_close(vg_pipeline *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->nengines; i++)
		engine_free(p->engines[i]);
	free(p->engines);
	for (i = 0; i < p->ntenants; i++) {
		vg_corr_state_free(p->tenants[i]->state);
		pthread_mutex_destroy(&p->tenants[i]->lock);
		free(p->tenants[i]);
	}
	free(p->tenants);
	for (i = 0; i < p->ngroup_by; i++)
		free(p->group_by[i]);
	vg_archive_close(p->archive);
	vg_ioc_set_free(p->iocs);
	pthread_rwlock_destroy(&p->ioc_lock);
	vg_correlator_free(p->corr);
	vg_placeholders_release(&p->placeholders);
	vg_ruleset_release(&p->rules);
	pthread_mutex_destroy(&p->lock);
	free(p);
}

void vg_pipeline_rule_counts(const vg_pipeline *p, size_t *detection, size_t *correlation,
			     size_t *filters)
{
	size_t i;

	*detection = *correlation = *filters = 0;
	for (i = 0; i < p->rules.n; i++) {
		switch (p->rules.rules[i]->kind) {
		case VG_RULE_DETECTION: (*detection)++; break;
		case VG_RULE_CORRELATION: (*correlation)++; break;
		default: (*filters)++; break;
		}
	}
}

const vg_ruleset *vg_pipeline_rules(const vg_pipeline *p)
{
	return &p->rules;
}

/* The fields a type's indicators are looked up in; without a list, every
 * string value, read by its shape. */
static void ioc_fields(typed_engine *te)
{
	const vg_source_type *t = te->type;
	size_t k, i;

	if (!t->has_ioc_fields) {
		te->ioc_slots[0] = vg_engine_all_strings(te->engine);
		te->ioc_kinds[0] = VG_IOC_NTYPES;
		te->nioc = 1;
		return;
	}
	for (k = 0; k < VG_IOC_NTYPES; k++)
		for (i = 0; i < t->nioc_fields[k] && te->nioc < MAX_IOC_FIELDS; i++) {
			te->ioc_slots[te->nioc] = vg_engine_rule_field(te->engine, t->ioc_fields[k][i]);
			te->ioc_kinds[te->nioc++] = (int)k;
		}
}

int vg_pipeline_reload_iocs(vg_pipeline *p, vg_error *err)
{
	int64_t now = vg_time_now_ms(), version;
	vg_ioc_set *fresh = NULL, *old;
	vg_tx *tx;
	int rc = vg_tx_begin(p->app->store, false, &tx, err);

	if (rc == VG_OK)
		rc = vg_ioc_version(tx, now, &version, err);
	if (rc == VG_OK && (version != p->ioc_version || !p->iocs))
		rc = vg_ioc_load(tx, now, &fresh, err);
	vg_tx_rollback(tx);
	if (rc || !fresh)
		return rc;
	pthread_rwlock_wrlock(&p->ioc_lock);
	old = p->iocs;
	p->iocs = fresh;
	p->ioc_version = version;
	pthread_rwlock_unlock(&p->ioc_lock);
	vg_ioc_set_free(old);
	return VG_OK;
}

/* The engine of a type, compiled on first use. */
static int engine_for(vg_pipeline *p, const char *type_name, typed_engine **out, vg_error *err)
{
	vg_engine_options opts = { .placeholders = &p->placeholders };
	const vg_source_type *type = vg_source_type_find(type_name, err);
	typed_engine *te = NULL;
	size_t i;
	int rc = VG_OK;

	*out = NULL;
	if (!type)
		return err ? err->code : VG_EINVAL;
	pthread_mutex_lock(&p->lock);
	for (i = 0; i < p->nengines; i++)
		if (p->engines[i]->type == type)
			te = p->engines[i];
	if (!te) {
		te = vg_xcalloc(1, sizeof(*te));
		vg_error ferr = { 0 };

		te->type = type;
		pthread_mutex_init(&te->lock, NULL);
		te->findings = vg_finding_type_find(type->name, &ferr);
		rc = ferr.code ? vg_error_set(err, ferr.code, "%s", ferr.msg)
			       : vg_engine_new(&p->rules, type, &opts, &te->engine, err);
		if (rc == VG_OK)
			rc = vg_corr_bind(p->corr, te->engine, &te->binding, err);
		for (i = 0; rc == VG_OK && i < p->ngroup_by; i++)
			te->group_slots[i] = vg_engine_rule_field(te->engine, p->group_by[i]);
		if (rc == VG_OK)
			ioc_fields(te);
		if (rc) {
			engine_free(te);
			te = NULL;
		} else {
			p->engines = vg_xrealloc(p->engines, (p->nengines + 1) * sizeof(*p->engines));
			p->engines[p->nengines++] = te;
		}
	}
	pthread_mutex_unlock(&p->lock);
	*out = te;
	return rc;
}

vg_app *vg_pipeline_app(const vg_pipeline *p)
{
	return p->app;
}

int vg_pipeline_prepare(vg_pipeline *p, const char *type, vg_error *err)
{
	typed_engine *te;

	return engine_for(p, type, &te, err);
}

static int matcher_take(typed_engine *te, vg_matcher **out, vg_error *err)
{
	pthread_mutex_lock(&te->lock);
	*out = te->npool ? te->pool[--te->npool] : NULL;
	pthread_mutex_unlock(&te->lock);
	return *out ? VG_OK : vg_matcher_new(te->engine, out, err);
}

static void matcher_give(typed_engine *te, vg_matcher *m)
{
	vg_matcher **grown;

	if (!m)
		return;
	pthread_mutex_lock(&te->lock);
	grown = realloc(te->pool, (te->npool + 1) * sizeof(*te->pool));
	if (grown) {
		te->pool = grown;
		te->pool[te->npool++] = m;
		m = NULL;
	}
	pthread_mutex_unlock(&te->lock);
	vg_matcher_free(m);
}

static tenant_corr *tenant_state(vg_pipeline *p, int64_t tenant_id)
{
	tenant_corr *tc = NULL;
	size_t i;

	pthread_mutex_lock(&p->lock);
	for (i = 0; i < p->ntenants && !tc; i++)
		if (p->tenants[i]->tenant_id == tenant_id)
			tc = p->tenants[i];
	if (!tc) {
		tc = vg_xcalloc(1, sizeof(*tc));
		tc->tenant_id = tenant_id;
		tc->state = vg_corr_state_new(p->corr, NULL);
		pthread_mutex_init(&tc->lock, NULL);
		p->tenants = vg_xrealloc(p->tenants, (p->ntenants + 1) * sizeof(*p->tenants));
		p->tenants[p->ntenants++] = tc;
	}
	pthread_mutex_unlock(&p->lock);
	return tc;
}

/* ---- ingest ------------------------------------------------------- */

typedef struct pending_event {
	size_t off, len;
	int64_t time_ms;
} pending_event;

enum hit_kind { HIT_DETECTION, HIT_CORRELATION, HIT_IOC, HIT_FINDING, HIT_NKINDS };

typedef struct pending_hit {
	enum hit_kind kind;
	const vg_rule *rule; /* detection and correlation */
	size_t event;        /* index into the batch's events, or SIZE_MAX */
	int64_t first_ms, last_ms;
	double value;
	char *group_json;
	/* An indicator's hit, copied: the set may be swapped before the batch
	 * is stored. */
	char *ioc_rule_id, *ioc_title;
	char ioc_level[16];
	enum vg_ioc_type ioc_type;
	vg_finding finding; /* a product's finding, owned */
} pending_hit;

/* A refused record kept for replay: its bytes are in the batch's
 * rejected buffer. */
typedef struct kept_reject {
	size_t off, len;
	enum vg_reject_reason reason;
	char msg[VG_REJECT_MSG_MAX];
} kept_reject;

/* The refused records of one batch are kept while they fit in this. */
#define KEPT_REJECTS_MAX_BYTES (16u << 20)

struct vg_ingest {
	vg_pipeline *p;
	vg_source src;
	typed_engine *te;
	vg_matcher *m;
	vg_feed *feed;
	tenant_corr *tc;
	int64_t now;
	vg_buf events; /* the batch's events, back to back */
	pending_event *ev;
	size_t nev, evcap;
	pending_hit *hits;
	size_t nhits, hitcap;
	vg_buf rejected; /* the batch's refused records, back to back */
	kept_reject *kept;
	size_t nkept, keptcap;
	vg_source_counts counts; /* of the batch */
	vg_ingest_result res;
	vg_error *err; /* where a sink's failure goes */
};

int vg_ingest_begin(vg_pipeline *p, const vg_source *src, const vg_ingest_options *opts,
		    vg_ingest **out, vg_error *err)
{
	vg_ingest *in = vg_xcalloc(1, sizeof(*in));
	vg_feed_options fopts = { .max_event = p->max_event };
	int rc;

	*out = NULL;
	in->p = p;
	in->src = *src;
	in->now = opts && opts->now_ms ? opts->now_ms : vg_time_now_ms();
	in->events = (vg_buf)VG_BUF_INIT(VG_ARCHIVE_BATCH_MAX_BYTES + VG_ARCHIVE_EVENT_MAX_BYTES);
	in->rejected = (vg_buf)VG_BUF_INIT(KEPT_REJECTS_MAX_BYTES);
	fopts.now_ms = in->now;
	fopts.year = opts ? opts->year : 0;
	rc = engine_for(p, src->type, &in->te, err);
	if (rc == VG_OK)
		rc = matcher_take(in->te, &in->m, err);
	if (rc) {
		vg_ingest_end(in);
		return rc;
	}
	in->feed = vg_feed_new(in->te->type, vg_engine_fieldset(in->te->engine), &fopts);
	in->tc = tenant_state(p, src->tenant_id);
	*out = in;
	return VG_OK;
}

static void hits_release(vg_ingest *in)
{
	size_t i;

	for (i = 0; i < in->nhits; i++) {
		free(in->hits[i].group_json);
		free(in->hits[i].ioc_rule_id);
		free(in->hits[i].ioc_title);
		vg_finding_release(&in->hits[i].finding);
	}
	in->nhits = 0;
}

void vg_ingest_end(vg_ingest *in)
{
	if (!in)
		return;
	hits_release(in);
	free(in->hits);
	free(in->ev);
	free(in->kept);
	vg_buf_release(&in->events);
	vg_buf_release(&in->rejected);
	vg_feed_free(in->feed);
	if (in->te)
		matcher_give(in->te, in->m);
	free(in);
}

void vg_ingest_result_get(const vg_ingest *in, vg_ingest_result *out)
{
	*out = in->res;
}

static int add_hit(vg_ingest *in, const pending_hit *h)
{
	if (in->nhits == in->hitcap) {
		size_t cap = in->hitcap ? in->hitcap * 2 : 64;
		pending_hit *grown = realloc(in->hits, cap * sizeof(*grown));

		if (!grown)
			return VG_ENOMEM;
		in->hits = grown;
		in->hitcap = cap;
	}
	in->hits[in->nhits++] = *h;
	return VG_OK;
}

/* {"field": "value", ...} of the grouped fields; NULL when out of memory. */
static char *group_json(size_t n, char *const *names, const vg_str *values)
{
	vg_buf b = VG_BUF_INIT(1u << 20);
	size_t i;
	int rc = vg_buf_puts(&b, "{");

	for (i = 0; i < n && rc == VG_OK; i++) {
		rc = vg_buf_puts(&b, i ? "," : "");
		if (rc == VG_OK)
			rc = vg_json_append_string(&b, names[i], strlen(names[i]));
		if (rc == VG_OK)
			rc = vg_buf_puts(&b, ":");
		if (rc == VG_OK)
			rc = values[i].ptr ? vg_json_append_string(&b, values[i].ptr, values[i].len)
					   : vg_buf_puts(&b, "null");
	}
	if (rc == VG_OK)
		rc = vg_buf_puts(&b, "}");
	if (rc) {
		vg_buf_release(&b);
		return NULL;
	}
	return vg_buf_detach(&b);
}

static int on_corr_hit(void *arg, const vg_corr_hit *hit, vg_error *err)
{
	vg_ingest *in = arg;
	pending_hit h = { .kind = HIT_CORRELATION, .rule = hit->rule,
			  .event = hit->event ? in->nev - 1 : SIZE_MAX, .first_ms = hit->first_ms,
			  .last_ms = hit->last_ms, .value = hit->value };

	h.group_json = group_json(hit->ngroup, hit->group_names, hit->group_values);
	if (!h.group_json || add_hit(in, &h)) {
		free(h.group_json);
		return vg_error_set(err, VG_ENOMEM, "out of memory keeping alerts");
	}
	return VG_OK;
}

static char *ioc_tags[VG_IOC_NTYPES][2] = {
	{ "intel.ioc", "intel.ioc.ip" },
	{ "intel.ioc", "intel.ioc.domain" },
	{ "intel.ioc", "intel.ioc.url" },
	{ "intel.ioc", "intel.ioc.hash" },
};

/* A rule's category: its ATT&CK tactic ("attack.credential-access"
 * gives "credential-access"), the first tag that names one. */
static const char *rule_category(const vg_rule *r)
{
	size_t i;

	for (i = 0; i < r->ntags; i++) {
		const char *t = r->tags[i];

		if (strncmp(t, "attack.", 7) != 0 || !t[7])
			continue;
		/* t1110.001, g0007, s0002: a technique, group or software. */
		if (strchr("tgs", t[7]) && t[8] >= '0' && t[8] <= '9')
			continue;
		return t + 7;
	}
	return NULL;
}

/* The resource and actor of h as JSON texts to free: a finding's own, or
 * what its event names by its type's mapping. */
static int describe(const vg_ingest *in, const pending_hit *h, char **resource, char **actor,
		    vg_error *err)
{
	char *res[VG_RESOURCE_NKEYS] = { 0 }, *act[VG_ACTOR_NKEYS] = { 0 };
	bool own = h->kind == HIT_FINDING;
	size_t i;

	*resource = *actor = NULL;
	if (!own && (h->event == SIZE_MAX || !in->te->findings))
		return VG_OK;
	if (!own) {
		json_t *event = json_loadb(in->events.ptr + in->ev[h->event].off,
					   in->ev[h->event].len, JSON_ALLOW_NUL, NULL);

		vg_finding_describe(in->te->findings, event, res, act);
		json_decref(event);
	}
	*resource = vg_finding_keys_json(vg_resource_keys, own ? h->finding.resource : res,
					 VG_RESOURCE_NKEYS);
	*actor = vg_finding_keys_json(vg_actor_keys, own ? h->finding.actor : act,
				      VG_ACTOR_NKEYS);
	for (i = 0; i < VG_RESOURCE_NKEYS; i++)
		free(res[i]);
	for (i = 0; i < VG_ACTOR_NKEYS; i++)
		free(act[i]);
	if (!*resource || !*actor) {
		free(*resource);
		free(*actor);
		*resource = *actor = NULL;
		return vg_error_set(err, VG_ENOMEM, "out of memory recording alerts");
	}
	return VG_OK;
}

/* One batch's hits of one kind, as the alert store takes them. */
static int record_hits(vg_ingest *in, vg_tx *tx, enum hit_kind kind, uint64_t *opened,
		       vg_error *err)
{
	vg_alert_hit *v = calloc(in->nhits + 1, sizeof(*v));
	char **texts = calloc(2 * in->nhits + 1, sizeof(*texts));
	size_t i, n = 0;
	int rc = VG_OK;

	if (!v || !texts) {
		free(v);
		free(texts);
		return vg_error_set(err, VG_ENOMEM, "out of memory recording alerts");
	}
	for (i = 0; i < in->nhits && rc == VG_OK; i++) {
		const pending_hit *h = &in->hits[i];
		const vg_rule *r = h->rule;

		if (h->kind != kind)
			continue;
		v[n] = (vg_alert_hit){ .group_json = h->group_json, .first_ms = h->first_ms,
				       .last_ms = h->last_ms, .count = 1, .value = h->value };
		rc = describe(in, h, &texts[2 * n], &texts[2 * n + 1], err);
		v[n].resource_json = texts[2 * n];
		v[n].actor_json = texts[2 * n + 1];
		if (kind == HIT_FINDING) {
			const vg_finding *f = &h->finding;

			v[n].rule_id = f->rule_id;
			v[n].title = f->title;
			v[n].level = f->native_severity;
			v[n].severity_id = f->severity_id;
			v[n].description = f->description;
			v[n].category = f->category;
			v[n].vendor = f->vendor;
			v[n].product = f->product;
			v[n].finding_uid = f->uid;
			v[n].vendor_status = f->status;
		} else if (kind == HIT_IOC) {
			v[n].category = "threat-intel";
			v[n].rule_id = h->ioc_rule_id;
			v[n].title = h->ioc_title;
			v[n].level = h->ioc_level;
			v[n].tags = ioc_tags[h->ioc_type];
			v[n].ntags = 2;
		} else {
			v[n].rule_id = r->id;
			v[n].title = r->title;
			v[n].level = r->level;
			v[n].tags = r->tags;
			v[n].ntags = r->ntags;
			v[n].correlation = kind == HIT_CORRELATION ? vg_corr_type_name(r->corr_type) : NULL;
			v[n].description = r->description;
			v[n].category = rule_category(r);
		}
		if (h->event != SIZE_MAX) {
			v[n].event = in->events.ptr + in->ev[h->event].off;
			v[n].event_len = in->ev[h->event].len;
		}
		n++;
	}
	/* A correlation spans its tenant's sources: its alerts are the tenant's. */
	if (rc == VG_OK)
		rc = vg_alerts_record(tx, in->src.tenant_id, kind == HIT_CORRELATION ? 0 : in->src.id,
				      v, n, in->p->group_window_ms, vg_time_now_ms(), opened, err);
	for (i = 0; i < 2 * n; i++)
		free(texts[i]);
	free(texts);
	free(v);
	return rc;
}

/* The batch's refused records, then only the newest rejects_kept of the
 * source's. */
static int store_rejects(vg_ingest *in, vg_tx *tx, int64_t now, vg_error *err)
{
	size_t i;
	int rc = VG_OK;

	for (i = 0; i < in->nkept && rc == VG_OK; i++) {
		const kept_reject *k = &in->kept[i];

		rc = vg_tx_exec(tx,
				"INSERT INTO rejected_records (source_id, tenant_id, at, reason, "
				"message, raw) VALUES (?, ?, ?, ?, ?, ?)",
				VG_PARAMS(VG_P_INT(in->src.id), VG_P_INT(in->src.tenant_id),
					  VG_P_INT(now), VG_P_TEXT(vg_reject_reason_name(k->reason)),
					  VG_P_TEXT(k->msg), VG_P_BLOB(in->rejected.ptr + k->off, k->len)),
				NULL, err);
	}
	if (rc == VG_OK && in->nkept)
		rc = vg_tx_exec(tx,
				"DELETE FROM rejected_records WHERE source_id = ? AND id <= "
				"(SELECT id FROM rejected_records WHERE source_id = ? "
				"ORDER BY id DESC LIMIT 1 OFFSET ?)",
				VG_PARAMS(VG_P_INT(in->src.id), VG_P_INT(in->src.id),
					  VG_P_INT(in->p->rejects_kept)),
				NULL, err);
	return rc;
}

/* Makes the batch durable, then stores its alerts and counts. */
static int flush(vg_ingest *in, vg_error *err)
{
	vg_archive_event *batch = NULL;
	uint64_t opened = 0, more = 0;
	vg_tx *tx = NULL;
	size_t i;
	int rc = VG_OK;

	if (!in->nev && !in->counts.rejected && !in->counts.bytes)
		return VG_OK;
	if (in->nev) {
		batch = malloc(in->nev * sizeof(*batch));
		if (!batch)
			return vg_error_set(err, VG_ENOMEM, "out of memory writing events");
		for (i = 0; i < in->nev; i++)
			batch[i] = (vg_archive_event){ in->ev[i].time_ms, in->src.id,
						       in->events.ptr + in->ev[i].off, in->ev[i].len };
		rc = vg_archive_append(in->p->archive, in->src.tenant_id, batch, in->nev, err);
		free(batch);
		if (rc)
			return rc;
	}
	rc = vg_tx_begin(in->p->app->store, true, &tx, err);
	for (i = 0; i < HIT_NKINDS && rc == VG_OK; i++) {
		rc = record_hits(in, tx, (enum hit_kind)i, &more, err);
		opened += more;
	}
	in->counts.alerts = in->nhits;
	if (rc == VG_OK)
		rc = vg_source_stats_add(tx, &in->src, &in->counts, vg_time_now_ms(), err);
	if (rc == VG_OK)
		rc = store_rejects(in, tx, vg_time_now_ms(), err);
	if (rc == VG_OK) {
		rc = vg_tx_commit(tx, err);
		tx = NULL;
	}
	vg_tx_rollback(tx);
	if (rc)
		return rc;
	in->res.hits += in->nhits;
	in->res.opened += opened;
	hits_release(in);
	in->nev = 0;
	in->nkept = 0;
	vg_buf_reset(&in->events);
	vg_buf_reset(&in->rejected);
	memset(&in->counts, 0, sizeof(in->counts));
	return VG_OK;
}

/* Indicators in the event's fields: one hit per indicator an event holds. */
static int look_up_iocs(vg_ingest *in, const vg_fields *fields, int64_t t, vg_error *err)
{
	const typed_engine *te = in->te;
	int64_t seen[8];
	size_t i, nseen = 0, k;
	int rc = VG_OK;

	pthread_rwlock_rdlock(&in->p->ioc_lock);
	for (i = 0; i < te->nioc && rc == VG_OK && vg_ioc_set_count(in->p->iocs); i++) {
		const vg_fvalue *v;

		for (v = vg_fields_first(fields, te->ioc_slots[i]); v && rc == VG_OK;
		     v = vg_fields_next(fields, v)) {
			const vg_ioc *ioc;
			pending_hit h = { .kind = HIT_IOC, .event = in->nev - 1, .first_ms = t,
					  .last_ms = t };
			vg_str gv[2];
			char *names[2] = { "ioc_type", "ioc" };
			char id[32];

			if (v->type != VG_FV_STRING)
				continue;
			ioc = vg_ioc_set_match(in->p->iocs, in->src.tenant_id, te->ioc_kinds[i], v->ptr,
					       v->len);
			for (k = 0; ioc && k < nseen; k++)
				if (seen[k] == ioc->id)
					ioc = NULL;
			if (!ioc)
				continue;
			if (nseen < 8)
				seen[nseen++] = ioc->id;
			snprintf(id, sizeof(id), "ioc:%lld", (long long)ioc->id);
			h.ioc_rule_id = strdup(id);
			h.ioc_title = malloc(strlen(ioc->value) + 64);
			if (h.ioc_title)
				snprintf(h.ioc_title, strlen(ioc->value) + 64, "Indicator of compromise: %s %s",
					 vg_ioc_type_name(ioc->type), ioc->value);
			snprintf(h.ioc_level, sizeof(h.ioc_level), "%s", ioc->level);
			h.ioc_type = ioc->type;
			gv[0] = vg_str_c(vg_ioc_type_name(ioc->type));
			gv[1] = vg_str_c(ioc->value);
			h.group_json = group_json(2, names, gv);
			if (!h.ioc_rule_id || !h.ioc_title || !h.group_json || add_hit(in, &h)) {
				free(h.ioc_rule_id);
				free(h.ioc_title);
				free(h.group_json);
				rc = vg_error_set(err, VG_ENOMEM, "out of memory keeping alerts");
			}
		}
	}
	pthread_rwlock_unlock(&in->p->ioc_lock);
	return rc;
}

static void on_reject(void *arg, const vg_reject *rej);

/* One hit per finding of the event just kept; the hits own the findings
 * (found itself is freed). */
static int add_findings(vg_ingest *in, vg_finding *found, size_t n, int64_t t, vg_error *err)
{
	size_t i;
	int rc = VG_OK;

	for (i = 0; i < n; i++) {
		pending_hit h = { .kind = HIT_FINDING, .event = in->nev - 1, .first_ms = t,
				  .last_ms = t, .finding = found[i] };
		vg_str uid = vg_str_c(found[i].uid);
		char *names[1] = { "finding" };

		memset(&found[i], 0, sizeof(found[i]));
		h.group_json = rc == VG_OK ? group_json(1, names, &uid) : NULL;
		if (rc == VG_OK && (!h.group_json || add_hit(in, &h)))
			rc = vg_error_set(err, VG_ENOMEM, "out of memory keeping alerts");
		if (rc) {
			free(h.group_json);
			vg_finding_release(&h.finding);
		}
	}
	free(found);
	return rc;
}

/*
 * The findings of an event of a type whose events are a product's alerts.
 * One its mapping cannot read is refused (and kept for replay) before it
 * reaches the archive: *n is 0 then.
 */
static int read_findings(vg_ingest *in, const char *json, size_t len, vg_finding **out,
			 size_t *n, vg_error *err)
{
	vg_reject rej = { .reason = VG_REJECT_UNMAPPED, .raw = json, .raw_len = len };
	json_error_t jerr;
	json_t *event = json_loadb(json, len, JSON_ALLOW_NUL, &jerr);
	vg_error ferr = { 0 };
	int rc;

	*out = NULL;
	*n = 0;
	if (!event) {
		snprintf(ferr.msg, sizeof(ferr.msg), "%s", jerr.text);
		rc = VG_EINVAL;
	} else {
		rc = vg_findings_read(in->te->findings, event, out, n, &ferr);
		json_decref(event);
	}
	if (rc != VG_EINVAL)
		return rc ? vg_error_set(err, rc, "%s", ferr.msg) : VG_OK;
	snprintf(rej.msg, sizeof(rej.msg), "%.32s: %.120s", in->te->type->name, ferr.msg);
	vg_reject_at_line(&rej, vg_feed_event_line(in->feed));
	on_reject(in, &rej);
	return VG_OK;
}

static int on_event(void *arg, const char *json, size_t len, const vg_fields *fields,
		    vg_error *err)
{
	vg_ingest *in = arg;
	const vg_rule *const *matched;
	int64_t t = vg_corr_event_time(in->te->binding, fields, in->now);
	vg_finding *found = NULL;
	size_t n, i, g, nfound = 0;
	int rc;

	if (vg_finding_type_raises(in->te->findings)) {
		rc = read_findings(in, json, len, &found, &nfound, err);
		if (rc || !nfound)
			return rc;
	}
	if (t < VG_ARCHIVE_TIME_MIN || t > VG_ARCHIVE_TIME_MAX)
		t = in->now;
	if (in->nev == VG_ARCHIVE_BATCH_MAX_EVENTS ||
	    in->events.len + len > VG_ARCHIVE_BATCH_MAX_BYTES) {
		rc = flush(in, err);
		if (rc)
			return rc;
	}
	if (in->nev == in->evcap) {
		size_t cap = in->evcap ? in->evcap * 2 : 256;
		pending_event *grown = realloc(in->ev, cap * sizeof(*grown));

		if (!grown)
			return vg_error_set(err, VG_ENOMEM, "out of memory keeping events");
		in->ev = grown;
		in->evcap = cap;
	}
	in->ev[in->nev] = (pending_event){ in->events.len, len, t };
	if (vg_buf_append(&in->events, json, len))
		return vg_error_set(err, VG_ENOMEM, "out of memory keeping events");
	in->nev++;
	in->counts.events++;
	in->res.accepted++;
	if (t > in->counts.last_event_at)
		in->counts.last_event_at = t;
	rc = add_findings(in, found, nfound, t, err);
	if (rc)
		return rc;
	rc = vg_matcher_match(in->m, fields, &matched, &n, err);
	for (i = 0; i < n && rc == VG_OK; i++) {
		vg_str values[MAX_GROUP_BY];
		pending_hit h = { .kind = HIT_DETECTION, .rule = matched[i], .event = in->nev - 1,
				  .first_ms = t, .last_ms = t };

		if (!vg_correlator_reports(in->p->corr, matched[i]))
			continue;
		for (g = 0; g < in->p->ngroup_by; g++) {
			const vg_fvalue *v = vg_fields_first(fields, in->te->group_slots[g]);

			values[g] = v && v->type != VG_FV_NULL ? (vg_str){ v->ptr, v->len }
							       : (vg_str){ NULL, 0 };
		}
		h.group_json = group_json(in->p->ngroup_by, in->p->group_by, values);
		if (!h.group_json || add_hit(in, &h)) {
			free(h.group_json);
			rc = vg_error_set(err, VG_ENOMEM, "out of memory keeping alerts");
		}
	}
	if (rc == VG_OK)
		rc = look_up_iocs(in, fields, t, err);
	if (rc == VG_OK && n && vg_correlator_count(in->p->corr)) {
		pthread_mutex_lock(&in->tc->lock);
		rc = vg_corr_feed(in->tc->state, in->te->binding, matched, n, fields, t,
				  in->events.ptr + in->ev[in->nev - 1].off, len, on_corr_hit, in, err);
		pthread_mutex_unlock(&in->tc->lock);
	}
	return rc;
}

/* Keeps a refused record's bytes for the batch's flush to store, while
 * the batch's buffer has room (past it the record is only counted). */
static void keep_reject(vg_ingest *in, const vg_reject *rej)
{
	kept_reject *k;

	if (!rej->raw || in->nkept >= (size_t)in->p->rejects_kept ||
	    in->rejected.len + rej->raw_len > in->rejected.max)
		return;
	if (in->nkept == in->keptcap) {
		size_t cap = in->keptcap ? in->keptcap * 2 : 16;
		kept_reject *grown = realloc(in->kept, cap * sizeof(*grown));

		if (!grown)
			return;
		in->kept = grown;
		in->keptcap = cap;
	}
	k = &in->kept[in->nkept];
	k->off = in->rejected.len;
	k->len = rej->raw_len;
	k->reason = rej->reason;
	snprintf(k->msg, sizeof(k->msg), "%s", rej->msg);
	if (vg_buf_append(&in->rejected, rej->raw, rej->raw_len) == VG_OK)
		in->nkept++;
}

static void on_reject(void *arg, const vg_reject *rej)
{
	vg_ingest *in = arg;

	keep_reject(in, rej);
	in->counts.rejected++;
	in->counts.by_reason[rej->reason]++;
	snprintf(in->counts.last_reject, sizeof(in->counts.last_reject), "%s", rej->msg);
	in->res.rejected++;
	in->res.by_reason[rej->reason]++;
	if (in->res.nrejects < VG_INGEST_REJECTS_KEPT)
		in->res.rejects[in->res.nrejects++] = *rej;
}

int vg_ingest_push(vg_ingest *in, const char *data, size_t len, bool final, vg_error *err)
{
	vg_feed_sink sink = { on_event, on_reject, in };
	int rc;

	in->counts.bytes += len;
	in->res.bytes += len;
	rc = vg_feed_push(in->feed, data, len, final, &sink, err);
	if (rc == VG_OK)
		rc = flush(in, err);
	return rc;
}

int vg_ingest_add_record(vg_ingest *in, const char *data, size_t len, vg_error *err)
{
	vg_feed_sink sink = { on_event, on_reject, in };

	in->counts.bytes += len;
	in->res.bytes += len;
	return vg_feed_push_record(in->feed, data, len, &sink, err);
}

void vg_ingest_reject(vg_ingest *in, const vg_reject *rej)
{
	on_reject(in, rej);
}

int vg_ingest_commit(vg_ingest *in, vg_error *err)
{
	return flush(in, err);
}

/* ---- time-driven work --------------------------------------------- */

typedef struct tick_hits {
	vg_alert_hit *v;
	size_t n, cap;
	char **groups;
} tick_hits;

static int on_tick_hit(void *arg, const vg_corr_hit *hit, vg_error *err)
{
	tick_hits *th = arg;
	char *g;

	if (th->n == th->cap) {
		size_t cap = th->cap ? th->cap * 2 : 16;
		vg_alert_hit *v = realloc(th->v, cap * sizeof(*v));
		char **gs;

		if (!v)
			return vg_error_set(err, VG_ENOMEM, "out of memory keeping alerts");
		th->v = v;
		gs = realloc(th->groups, cap * sizeof(*gs));
		if (!gs)
			return vg_error_set(err, VG_ENOMEM, "out of memory keeping alerts");
		th->groups = gs;
		th->cap = cap;
	}
	g = group_json(hit->ngroup, hit->group_names, hit->group_values);
	if (!g)
		return vg_error_set(err, VG_ENOMEM, "out of memory keeping alerts");
	th->groups[th->n] = g;
	th->v[th->n++] = (vg_alert_hit){
		.rule_id = hit->rule->id, .title = hit->rule->title, .level = hit->rule->level,
		.tags = hit->rule->tags, .ntags = hit->rule->ntags, .group_json = g,
		.first_ms = hit->first_ms, .last_ms = hit->last_ms, .count = 1, .value = hit->value,
		.correlation = vg_corr_type_name(hit->rule->corr_type),
	};
	return VG_OK;
}

int vg_pipeline_tick(vg_pipeline *p, int64_t now_ms, vg_error *err)
{
	size_t t, i, n;
	int rc = vg_pipeline_reload_iocs(p, err);

	if (rc)
		return rc;
	pthread_mutex_lock(&p->lock);
	n = p->ntenants;
	pthread_mutex_unlock(&p->lock);
	for (t = 0; t < n && rc == VG_OK; t++) {
		tenant_corr *tc;
		tick_hits th = { 0 };
		uint64_t opened;
		vg_tx *tx = NULL;

		pthread_mutex_lock(&p->lock);
		tc = p->tenants[t];
		pthread_mutex_unlock(&p->lock);
		pthread_mutex_lock(&tc->lock);
		rc = vg_corr_flush(tc->state, now_ms, on_tick_hit, &th, err);
		pthread_mutex_unlock(&tc->lock);
		if (rc == VG_OK && th.n) {
			rc = vg_tx_begin(p->app->store, true, &tx, err);
			if (rc == VG_OK)
				rc = vg_alerts_record(tx, tc->tenant_id, 0, th.v, th.n, p->group_window_ms,
						      now_ms, &opened, err);
			if (rc == VG_OK) {
				rc = vg_tx_commit(tx, err);
				tx = NULL;
			}
			vg_tx_rollback(tx);
		}
		for (i = 0; i < th.n; i++)
			free(th.groups[i]);
		free(th.groups);
		free(th.v);
	}
	return rc;
}

int vg_pipeline_expire(vg_pipeline *p, int64_t now_ms, int *removed, vg_error *err)
{
	int64_t *ids = NULL, keep;
	size_t n = 0, i;
	int rc, gone;

	*removed = 0;
	rc = vg_archive_tenants(p->archive, &ids, &n, err);
	for (i = 0; i < n && rc == VG_OK; i++) {
		vg_tx *tx;

		rc = vg_tx_begin(p->app->store, false, &tx, err);
		if (rc)
			break;
		rc = vg_tx_query_int(tx, "SELECT retention_days FROM tenants WHERE id = ?",
				     VG_PARAMS(VG_P_INT(ids[i])), &keep, err);
		vg_tx_rollback(tx);
		if (rc == VG_ENOTFOUND) {
			/* A tenant gone from the store keeps its logs for the default span. */
			keep = VG_ARCHIVE_RETENTION_DAYS_DEFAULT;
			rc = VG_OK;
		}
		if (rc == VG_OK)
			rc = vg_archive_expire(p->archive, ids[i], (int)keep, now_ms, &gone, err);
		if (rc == VG_OK)
			*removed += gone;
	}
	free(ids);
	return rc;
}

/* ---- hunting ------------------------------------------------------ */

/* Rules hold the query's searches; a hunt reads at most this many events
 * a request and answers with a cursor to go on from. */
#define HUNT_SCAN_MAX 1000000
#define HUNT_HEADER "title: hunt\nlogsource: {product: hunt}\ndetection:\n"
#define HUNT_HEADER_LINES 3

typedef struct hunt_engine {
	const vg_source_type *type;
	vg_engine *engine;
	vg_matcher *m;
} hunt_engine;

typedef struct hunt_state {
	vg_pipeline *p;
	const vg_hunt *h;
	vg_ruleset query; /* empty: every event */
	vg_source *sources;
	size_t nsources;
	hunt_engine engines[16];
	size_t nengines;
	json_t *items;
	int found;
	uint64_t scanned;
	vg_archive_pos last;
	bool stopped;
} hunt_state;

/* "query:N:" in a message names the line of the query, not of the rule
 * wrapped around it. */
static void query_lines(vg_error *err, int extra)
{
	char rest[VG_ERROR_MSG_MAX - 32];
	char *end;
	long line;

	if (strncmp(err->msg, "query:", 6) != 0)
		return;
	line = strtol(err->msg + 6, &end, 10);
	if (end == err->msg + 6 || *end != ':')
		return;
	snprintf(rest, sizeof(rest), "%s", end);
	snprintf(err->msg, sizeof(err->msg), "query:%ld%s", line > extra ? line - extra : 1, rest);
}

/* The query as a rule: a detection section as written, or a lone search
 * (no condition) made the condition of itself. */
static int compile_query(const char *q, vg_ruleset *set, vg_error *err)
{
	vg_buf text = VG_BUF_INIT(1u << 20);
	const char *line;
	bool has_condition = false;
	int rc, extra = HUNT_HEADER_LINES;

	for (line = q; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
		if (strncmp(line, "condition:", 10) == 0)
			has_condition = true;
	vg_buf_puts(&text, HUNT_HEADER);
	if (!has_condition) {
		vg_buf_puts(&text, "  query:\n");
		extra++;
	}
	for (line = q; line && *line;) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);

		vg_buf_puts(&text, has_condition ? "  " : "    ");
		vg_buf_append(&text, line, len);
		vg_buf_puts(&text, "\n");
		line = nl ? nl + 1 : NULL;
	}
	if (!has_condition)
		vg_buf_puts(&text, "  condition: query\n");
	rc = vg_rules_load(set, vg_buf_cstr(&text), text.len, "query", err);
	if (rc == VG_OK && (set->n != 1 || set->rules[0]->kind != VG_RULE_DETECTION))
		rc = vg_error_set(err, VG_EINVAL, "query: expected one detection");
	if (rc)
		query_lines(err, extra);
	vg_buf_release(&text);
	return rc;
}

static const char *source_type_of(const hunt_state *hs, int64_t source_id)
{
	size_t i;

	for (i = 0; i < hs->nsources; i++)
		if (hs->sources[i].id == source_id)
			return hs->sources[i].type;
	return "json";
}

static int hunt_matcher(hunt_state *hs, const char *type_name, vg_matcher **out, vg_error *err)
{
	vg_engine_options opts = { .placeholders = &hs->p->placeholders, .any_logsource = true };
	const vg_source_type *type = vg_source_type_find(type_name, NULL);
	hunt_engine *he;
	size_t i;
	int rc;

	if (!type)
		type = vg_source_type_find("json", err);
	for (i = 0; i < hs->nengines; i++)
		if (hs->engines[i].type == type) {
			*out = hs->engines[i].m;
			return VG_OK;
		}
	if (hs->nengines == sizeof(hs->engines) / sizeof(hs->engines[0]))
		return vg_error_set(err, VG_ELIMIT, "a hunt covers at most 16 source types");
	he = &hs->engines[hs->nengines];
	he->type = type;
	rc = vg_engine_new(&hs->query, type, &opts, &he->engine, err);
	if (rc == VG_OK)
		rc = vg_matcher_new(he->engine, &he->m, err);
	if (rc) {
		vg_engine_free(he->engine);
		query_lines(err, HUNT_HEADER_LINES);
		return rc;
	}
	hs->nengines++;
	*out = he->m;
	return VG_OK;
}

static int hunt_event(const vg_archive_event *ev, const vg_archive_pos *pos, void *arg,
		      vg_error *err)
{
	hunt_state *hs = arg;
	const vg_rule *const *matched;
	char iso[VG_TIME_ISO_LEN];
	vg_matcher *m = NULL;
	json_t *event;
	size_t n = 1;
	int rc;

	if (hs->scanned == HUNT_SCAN_MAX) {
		hs->stopped = true;
		return VG_ARCHIVE_STOP;
	}
	hs->scanned++;
	hs->last = *pos;
	if (hs->h->source_id && ev->source_id != hs->h->source_id)
		return VG_OK;
	if (hs->query.n) {
		rc = hunt_matcher(hs, source_type_of(hs, ev->source_id), &m, err);
		if (rc == VG_OK)
			rc = vg_matcher_run(m, ev->json, ev->len, &matched, &n, err);
		if (rc)
			return rc;
	}
	if (!n)
		return VG_OK;
	event = json_loadb(ev->json, ev->len, 0, NULL);
	vg_time_format_iso(ev->time_ms, iso);
	json_array_append_new(hs->items, json_pack("{s:s, s:I, s:o}", "time", iso, "source_id",
						   (json_int_t)ev->source_id, "event",
						   event ? event : json_null()));
	if (++hs->found == hs->h->limit) {
		hs->stopped = true;
		return VG_ARCHIVE_STOP;
	}
	return VG_OK;
}

static int load_tenant_sources(vg_pipeline *p, const vg_ctx *ctx, hunt_state *hs, vg_error *err)
{
	json_t *items;
	int64_t last = 0, after = 0;
	vg_tx *tx;
	int rc = vg_tx_begin(p->app->store, false, &tx, err);

	while (rc == VG_OK) {
		size_t i, n;

		rc = vg_source_list(tx, ctx, hs->h->tenant_id, after, 500, &items, &last, err);
		if (rc)
			break;
		n = json_array_size(items);
		hs->sources = vg_xrealloc(hs->sources, (hs->nsources + n + 1) * sizeof(vg_source));
		for (i = 0; i < n; i++) {
			json_t *s = json_array_get(items, i);
			vg_source *src = &hs->sources[hs->nsources++];

			memset(src, 0, sizeof(*src));
			src->id = json_integer_value(json_object_get(s, "id"));
			snprintf(src->type, sizeof(src->type), "%s", vg_json_str(s, "type"));
		}
		json_decref(items);
		if (n < 500)
			break;
		after = last;
	}
	vg_tx_rollback(tx);
	return rc;
}

int vg_pipeline_hunt(vg_pipeline *p, const vg_ctx *ctx, const vg_hunt *h, json_t **out,
		     vg_error *err)
{
	hunt_state hs = { .p = p, .h = h };
	vg_archive_pos after;
	char next[VG_ARCHIVE_POS_STR_MAX];
	size_t i;
	int rc = VG_OK;

	*out = NULL;
	if (!h->tenant_id || !vg_ctx_sees_tenant(ctx, h->tenant_id))
		return vg_error_set(err, VG_ENOTFOUND, "no such tenant");
	if (h->cursor && vg_archive_pos_parse(h->cursor, &after, err))
		return vg_error_set(err, VG_EINVAL, "cursor is not one this API gave");
	if (h->query && *h->query)
		rc = compile_query(h->query, &hs.query, err);
	if (rc == VG_OK)
		rc = load_tenant_sources(p, ctx, &hs, err);
	if (rc == VG_OK) {
		hs.items = json_array();
		rc = vg_archive_scan(p->archive, h->tenant_id, h->from_ms, h->to_ms,
				     h->cursor ? &after : NULL, hunt_event, &hs, err);
		if (rc == VG_ARCHIVE_STOP)
			rc = VG_OK;
	}
	if (rc == VG_OK) {
		vg_archive_pos_format(&hs.last, next);
		*out = json_pack("{s:o, s:o, s:I}", "items", hs.items, "next",
				 hs.stopped ? json_string(next) : json_null(), "scanned",
				 (json_int_t)hs.scanned);
		hs.items = NULL;
	}
	json_decref(hs.items);
	for (i = 0; i < hs.nengines; i++) {
		vg_matcher_free(hs.engines[i].m);
		vg_engine_free(hs.engines[i].engine);
	}
	free(hs.sources);
	vg_ruleset_release(&hs.query);
	return rc;
}
