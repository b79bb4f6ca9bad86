/*
 * monthly.c - the MSS Monthly Analysis Report of a tenant and month
 * (build.h).
 *
 * The figures are gathered first, so that the executive summary, written
 * first, can speak of all of them. A month may hold millions of alerts:
 * its alert figures come from one scan of the month's range of
 * alerts_tenant_created, tallied in C (scan_alerts), rather than from
 * GROUP BY queries, each of which costs SQLite a sort of every row it
 * groups. The SLA chapter takes its figures from vg_tenant_sla_month, so
 * it says what the API says.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/map.h"
#include "core/tz.h"
#include "detect/extract.h"
#include "itsm/tickets.h"
#include "itsm/worklog.h"
#include "ops/tenant.h"
#include "report/build.h"
#include "report/report_int.h"

#define TOP_N 10
#define ITEMS_MAX 64   /* service items of a catalog (ops/catalog.h): a handful */
#define SOURCES_MAX 12 /* bars of the source chart; the rest is "other" */

#define IN_MONTH "tenant_id = ? AND created_at >= ? AND created_at < ?"
#define MONTH_PARAMS(m) VG_P_INT((m)->tenant_id), VG_P_INT((m)->from), VG_P_INT((m)->until)

typedef struct ranked {
	const char *name; /* in the report's arena */
	const char *detail;
	int64_t n;
} ranked;

/* Durations in seconds: count, mean, and nearest-rank median and 95th
 * percentile. */
typedef struct dur_stats {
	int64_t n, mean, median, p95;
} dur_stats;

typedef struct monthly {
	vg_tx *tx;
	const vg_ctx *ctx;
	vg_report *r;
	vg_report_lang lang;
	vg_error *err;
	int64_t tenant_id, from, until;
	char zone[64], name[VG_TENANT_NAME_MAX * 4 + 1], month[8];
	int year, mon, ndays;
	int64_t day_start[32]; /* local midnights: day d + 1 is [day_start[d], day_start[d + 1]) */

	int64_t sev[6], total, prev_total, unacked, unclosed, open_high;
	double day_sev[31][6];
	ranked sources[SOURCES_MAX + 1];
	size_t nsources;
	ranked rules[TOP_N], assets[TOP_N], ips[TOP_N];
	size_t nrules, nassets, nips;
	ranked open_rules[TOP_N]; /* open high-severity alerts by rule, worst first */
	size_t nopen_rules;
	dur_stats ack, close;
	int64_t incidents, incidents_open;
	json_t *sla; /* vg_tenant_sla_month's figures */
} monthly;

static const char *tr(const monthly *m, const char *zh, const char *en)
{
	return VG_TR(m->lang, zh, en);
}

/*
 * Counts under byte-string keys, the tallies of the month's scan: open
 * addressing with linear probing, the values inline (core/map.h keeps
 * only a pointer per key, which would cost one more allocation each).
 * Keys are copied, NUL-terminated; one table holds what is distinct among
 * the month's rules, sources, assets or source IPs, never one entry per
 * alert.
 */
typedef struct tally {
	char *key; /* NULL: an empty slot */
	size_t len;
	uint64_t hash;
	int64_t n;   /* alerts */
	int64_t aux; /* a rule's highest severity; an asset's or source's id */
} tally;

typedef struct tallies {
	tally *slots;
	size_t cap, count; /* cap a power of two, or 0; count at most cap / 2 */
} tallies;

static void tallies_release(tallies *t)
{
	for (size_t i = 0; i < t->cap; i++)
		free(t->slots[i].key);
	free(t->slots);
	*t = (tallies){0};
}

static tally *tally_slot(tally *slots, size_t cap, const void *key, size_t len, uint64_t hash)
{
	size_t i = (size_t)hash & (cap - 1);

	while (slots[i].key &&
	       (slots[i].hash != hash || slots[i].len != len || memcmp(slots[i].key, key, len)))
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

/* The tally of key, a new one (n 0, aux 0) when absent; NULL when out of
 * memory. Valid until the next tally_get on t. */
static tally *tally_get(tallies *t, const void *key, size_t len)
{
	uint64_t hash = vg_hash_bytes(key, len);
	tally *e;

	if (t->count + 1 > t->cap / 2) {
		size_t cap = t->cap ? t->cap * 2 : 64, i;
		tally *slots = calloc(cap, sizeof(*slots));

		if (!slots)
			return NULL;
		for (i = 0; i < t->cap; i++)
			if (t->slots[i].key)
				*tally_slot(slots, cap, t->slots[i].key, t->slots[i].len,
					    t->slots[i].hash) = t->slots[i];
		free(t->slots);
		t->slots = slots;
		t->cap = cap;
	}
	e = tally_slot(t->slots, t->cap, key, len, hash);
	if (!e->key) {
		char *copy = malloc(len + 1);

		if (!copy)
			return NULL;
		memcpy(copy, key, len);
		copy[len] = '\0';
		*e = (tally){copy, len, hash, 0, 0};
		t->count++;
	}
	return e;
}

/* Counts one alert in e (NULL: out of memory, false). */
static bool bump(tally *e)
{
	if (e)
		e->n++;
	return e != NULL;
}

static tally *tally_id(tallies *t, int64_t id)
{
	tally *e = tally_get(t, &id, sizeof(id));

	if (e)
		e->aux = id;
	return e;
}

/* More alerts first, ties in the order SQLite's ORDER BY gave them: by key
 * in byte order (its BINARY collation), or by the lower id. */
static bool by_key(const tally *a, const tally *b)
{
	int c;

	if (a->n != b->n)
		return a->n > b->n;
	c = memcmp(a->key, b->key, a->len < b->len ? a->len : b->len);
	return c ? c < 0 : a->len < b->len;
}

static bool by_id(const tally *a, const tally *b)
{
	return a->n != b->n ? a->n > b->n : a->aux < b->aux;
}

/* The first (at most) max tallies of t in before's order into top; returns
 * how many. */
static size_t tally_top(const tallies *t, bool (*before)(const tally *, const tally *),
			const tally **top, size_t max)
{
	size_t n = 0, i, k;

	for (i = 0; i < t->cap; i++) {
		const tally *e = &t->slots[i];

		if (!e->key || (n == max && !before(e, top[max - 1])))
			continue;
		k = n < max ? n++ : max - 1;
		for (; k > 0 && before(e, top[k - 1]); k--)
			top[k] = top[k - 1];
		top[k] = e;
	}
	return n;
}

/* Durations in seconds, one per alert that has one. */
typedef struct durations {
	int64_t *v;
	size_t n, cap;
} durations;

static int dur_add(monthly *m, durations *d, int64_t secs)
{
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 4096;
		int64_t *v = realloc(d->v, cap * sizeof(*v));

		if (!v)
			return vg_error_set(m->err, VG_ENOMEM, "out of memory reading durations");
		d->v = v;
		d->cap = cap;
	}
	d->v[d->n++] = secs;
	return VG_OK;
}

static int int64_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* Sorts d and sums it up into *s. */
static void dur_stats_of(durations *d, dur_stats *s)
{
	int64_t sum = 0;
	size_t i;

	memset(s, 0, sizeof(*s));
	if (!d->n)
		return;
	qsort(d->v, d->n, sizeof(*d->v), int64_cmp);
	for (i = 0; i < d->n; i++)
		sum += d->v[i];
	s->n = (int64_t)d->n;
	s->mean = sum / s->n;
	/* Nearest rank: the value at position ceil(p * n), counted from 1. */
	s->median = d->v[(s->n + 1) / 2 - 1];
	s->p95 = d->v[(s->n * 95 + 99) / 100 - 1];
}

/* The day (0-based) of the month at ms, or -1 outside day_start's bounds. */
static int day_of(const monthly *m, int64_t ms)
{
	int lo = 0, hi = m->ndays;

	if (ms < m->day_start[0] || ms >= m->day_start[m->ndays])
		return -1;
	while (hi - lo > 1) { /* day_start[lo] <= ms < day_start[hi] */
		int mid = lo + (hi - lo) / 2;

		if (m->day_start[mid] <= ms)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* The TOP_N assets of t (keyed by id), with their names from the
 * inventory; one no longer in it is left out. */
static int top_assets(monthly *m, const tallies *t)
{
	const tally *top[TOP_N];
	size_t ntop = tally_top(t, by_id, top, TOP_N), i;
	vg_rows *rows = NULL;
	int more = 0, rc = VG_OK;

	for (i = 0; !rc && i < ntop; i++) {
		rc =
		    vg_tx_query(m->tx,
				"SELECT COALESCE(hostname, ip, instance_id), COALESCE(ip, '') FROM "
				"assets WHERE id = ?",
				VG_PARAMS(VG_P_INT(top[i]->aux)), &rows, m->err);
		if (!rc && (more = vg_rows_next(rows, m->err)) == 1)
			m->assets[m->nassets++] =
			    (ranked){vg_report_strdup(m->r, vg_rows_text(rows, 0)),
				     vg_report_strdup(m->r, vg_rows_text(rows, 1)), top[i]->n};
		rc = vg__report_rows_end(rows, more, rc);
	}
	return rc;
}

/*
 * The sources by name: a cloud product's alerts are told by the product
 * (already in names), Vigil's own detections by the source that sent the
 * events (vigil, keyed by id: their names are looked up here, a source no
 * longer there is "Vigil"); those past SOURCES_MAX are summed as "other".
 */
static int top_sources(monthly *m, const tallies *vigil, tallies *names)
{
	const tally *top[SOURCES_MAX];
	size_t ntop, i;
	vg_rows *rows = NULL;
	int more = 0, rc = VG_OK;
	int64_t listed = 0;

	for (i = 0; !rc && i < vigil->cap; i++) {
		const tally *v = &vigil->slots[i];
		const char *name = "Vigil";
		tally *e;

		if (!v->key)
			continue;
		rc = vg_tx_query(m->tx, "SELECT name FROM sources WHERE id = ?",
				 VG_PARAMS(VG_P_INT(v->aux)), &rows, m->err);
		if (!rc && (more = vg_rows_next(rows, m->err)) == 1)
			name = vg_rows_text(rows, 0);
		e = rc ? NULL : tally_get(names, name, strlen(name));
		if (e)
			e->n += v->n;
		else if (!rc)
			rc = vg_error_set(m->err, VG_ENOMEM, "out of memory counting sources");
		rc = vg__report_rows_end(rows, more, rc);
	}
	if (rc)
		return rc;
	ntop = tally_top(names, by_key, top, SOURCES_MAX);
	for (i = 0; i < ntop; i++) {
		m->sources[m->nsources++] =
		    (ranked){vg_report_strdup(m->r, top[i]->key), "", top[i]->n};
		listed += top[i]->n;
	}
	if (ntop && listed < m->total)
		m->sources[m->nsources++] = (ranked){tr(m, "其他", "Other"), "", m->total - listed};
	return VG_OK;
}

/*
 * The month's alerts in one scan of alerts_tenant_created's range, tallied
 * here: a GROUP BY costs SQLite a sort of every row it groups, and the
 * figures took several (on a million alerts about 4 s, where this scan
 * takes half a second). Memory: the tallies hold what is distinct among
 * rules, sources, assets and source IPs; the durations take 8 bytes per
 * alert each (they are sorted for the median and the 95th percentile).
 */
static int scan_alerts(monthly *m)
{
	tallies rules = {0}, names = {0}, vigil = {0}, assets = {0}, ips = {0};
	durations ack = {0}, close = {0};
	const tally *top[TOP_N];
	/* The actor's "ip", read as the detection engine reads events. */
	vg_fieldset *fs = vg_fieldset_new();
	uint32_t ip_field = vg_fieldset_add(fs, "ip");
	vg_fields fields = {0};
	size_t n, i;
	vg_rows *rows = NULL;
	int more = 0, rc;

	rc = vg_tx_query(
	    m->tx,
	    "SELECT severity_id, status, created_at, acknowledged_at, closed_at, "
	    "rule_title, product, source_id, asset_id, actor FROM alerts WHERE " IN_MONTH,
	    VG_PARAMS(MONTH_PARAMS(m)), &rows, m->err);
	while (!rc && (more = vg_rows_next(rows, m->err)) == 1) {
		int64_t sev = vg_rows_int(rows, 0), created = vg_rows_int(rows, 2);
		const char *status = vg_rows_text(rows, 1), *rule = vg_rows_text(rows, 5);
		const char *product = vg_rows_text(rows, 6), *actor = vg_rows_text(rows, 9);
		const vg_fvalue *ip = NULL;
		int d = day_of(m, created);
		tally *e;
		bool ok;

		if (d >= 0 && sev >= 1 && sev <= 5) {
			m->day_sev[d][sev] += 1;
			m->sev[sev]++;
			m->total++;
		}
		if (d >= 0 && status) {
			m->unacked += strcmp(status, "open") == 0;
			m->unclosed += strcmp(status, "closed") != 0;
		}
		if (!vg_rows_is_null(rows, 3))
			rc = dur_add(m, &ack, (vg_rows_int(rows, 3) - created) / 1000);
		if (!rc && !vg_rows_is_null(rows, 4))
			rc = dur_add(m, &close, (vg_rows_int(rows, 4) - created) / 1000);
		if (rc)
			break;

		rule = rule ? rule : "";
		product = product ? product : "";
		e = tally_get(&rules, rule, strlen(rule));
		if (e && (!e->n || sev > e->aux))
			e->aux = sev;
		ok = bump(e);
		if (strcmp(product, "Vigil") != 0)
			ok = ok && bump(tally_get(&names, product, strlen(product)));
		else if (vg_rows_is_null(rows, 7))
			ok = ok && bump(tally_get(&names, "Vigil", 5));
		else
			ok = ok && bump(tally_id(&vigil, vg_rows_int(rows, 7)));
		if (!vg_rows_is_null(rows, 8))
			ok = ok && bump(tally_id(&assets, vg_rows_int(rows, 8)));
		/* An actor that is not a JSON object names no address. */
		if (ok && actor &&
		    vg_fields_extract(fs, actor, strlen(actor), &fields, NULL) == VG_OK)
			ip = vg_fields_first(&fields, ip_field);
		if (ip && ip->type == VG_FV_STRING && ip->len)
			ok = bump(tally_get(&ips, ip->ptr, ip->len));
		if (!ok)
			rc = vg_error_set(m->err, VG_ENOMEM, "out of memory counting alerts");
	}
	rc = vg__report_rows_end(rows, more, rc);

	if (!rc) {
		n = tally_top(&rules, by_key, top, TOP_N);
		for (i = 0; i < n; i++)
			m->rules[m->nrules++] =
			    (ranked){vg_report_strdup(m->r, top[i]->key),
				     vg_report_printf(m->r, "%" PRId64, top[i]->aux), top[i]->n};
		n = tally_top(&ips, by_key, top, TOP_N);
		for (i = 0; i < n; i++)
			m->ips[m->nips++] =
			    (ranked){vg_report_strdup(m->r, top[i]->key), "", top[i]->n};
		dur_stats_of(&ack, &m->ack);
		dur_stats_of(&close, &m->close);
		rc = top_sources(m, &vigil, &names);
	}
	if (!rc)
		rc = top_assets(m, &assets);
	if (!rc)
		rc = vg_report_failed(m->r, m->err);
	tallies_release(&rules);
	tallies_release(&names);
	tallies_release(&vigil);
	tallies_release(&assets);
	tallies_release(&ips);
	free(ack.v);
	free(close.v);
	vg_fields_release(&fields);
	vg_fieldset_free(fs);
	return rc;
}

static int gather_alerts(monthly *m)
{
	vg_rows *rows = NULL;
	int more = 0, rc = scan_alerts(m);
	int64_t prev_from, prev_until;
	char prev[24];

	snprintf(prev, sizeof(prev), "%04d-%02d", m->mon == 1 ? m->year - 1 : m->year,
		 m->mon == 1 ? 12 : m->mon - 1);
	if (!rc)
		rc = vg_tz_month_bounds(prev, m->zone, &prev_from, &prev_until, m->err);
	if (!rc)
		rc = vg_tx_query_int(
		    m->tx,
		    "SELECT COUNT(*) FROM alerts WHERE tenant_id = ? AND created_at "
		    ">= ? AND created_at < ?",
		    VG_PARAMS(VG_P_INT(m->tenant_id), VG_P_INT(prev_from), VG_P_INT(prev_until)),
		    &m->prev_total, m->err);
	/* Open now, whenever raised up to the month's end: every group is
	 * summed, the worst TOP_N kept for the recommendations. */
	if (!rc)
		rc = vg_tx_query(
		    m->tx,
		    "SELECT rule_title, MAX(severity_id), COUNT(*) AS n FROM alerts WHERE "
		    "tenant_id = ? AND status IN ('open', 'acknowledged') AND severity_id >= 4 AND "
		    "created_at < ? GROUP BY rule_title ORDER BY MAX(severity_id) DESC, n DESC, "
		    "rule_title",
		    VG_PARAMS(VG_P_INT(m->tenant_id), VG_P_INT(m->until)), &rows, m->err);
	while (!rc && (more = vg_rows_next(rows, m->err)) == 1) {
		m->open_high += vg_rows_int(rows, 2);
		if (m->nopen_rules < TOP_N)
			m->open_rules[m->nopen_rules++] =
			    (ranked){vg_report_strdup(m->r, vg_rows_text(rows, 0)),
				     vg_report_printf(m->r, "%" PRId64, vg_rows_int(rows, 1)),
				     vg_rows_int(rows, 2)};
	}
	return vg__report_rows_end(rows, more, rc);
}

/* The incidents a month handled: opened in it, closed in it, or open at
 * its end. */
#define HANDLED                                                                                    \
	"tenant_id = ? AND created_at < ? AND (created_at >= ? OR status = 'open' OR "             \
	"(closed_at >= ? AND closed_at < ?))"
#define HANDLED_PARAMS(m)                                                                          \
	VG_P_INT((m)->tenant_id), VG_P_INT((m)->until), VG_P_INT((m)->from), VG_P_INT((m)->from),  \
	    VG_P_INT((m)->until)

static int gather(monthly *m)
{
	vg_rows *rows = NULL;
	int more = 0, rc = gather_alerts(m);

	if (!rc)
		rc = vg_tx_query(m->tx,
				 "SELECT COUNT(*), COALESCE(SUM(status = 'open'), 0) FROM "
				 "security_incidents WHERE " HANDLED,
				 VG_PARAMS(HANDLED_PARAMS(m)), &rows, m->err);
	if (!rc && (more = vg_rows_next(rows, m->err)) == 1) {
		m->incidents = vg_rows_int(rows, 0);
		m->incidents_open = vg_rows_int(rows, 1);
	}
	rc = vg__report_rows_end(rows, more, rc);
	if (!rc)
		rc = vg_tenant_sla_month(m->tx, m->ctx, m->tenant_id, m->month, &m->sla, NULL,
					 m->err);
	return rc;
}

static int64_t sla_int(const monthly *m, const char *clock, const char *key)
{
	const json_t *o = clock ? json_object_get(m->sla, clock) : m->sla;

	return json_integer_value(json_object_get(o, key));
}

/* The share met of those decided as the API gives it (met_percent, cut
 * to one decimal), so the report prints the same figure; NaN when none
 * was decided. */
static double sla_share(const monthly *m, const char *clock)
{
	const json_t *pct = json_object_get(json_object_get(m->sla, clock), "met_percent");

	return json_is_number(pct) ? json_number_value(pct) / 100.0 : NAN;
}

/* ---- chapter 1 ---- */

static const char *change_text(monthly *m)
{
	vg_report *r = m->r;
	double pct;

	if (!m->prev_total)
		return tr(m, "上月无告警", "there were none last month");
	if (m->total == m->prev_total)
		return vg_report_printf(r,
					tr(m, "与上月持平（%s 条）", "the same as last month (%s)"),
					vg_report_int(r, m->prev_total));
	pct = fabs((double)(m->total - m->prev_total) / (double)m->prev_total);
	return vg_report_printf(
	    r,
	    m->total > m->prev_total
		? tr(m, "较上月增加 %s（上月 %s 条）", "up %s on last month (%s)")
		: tr(m, "较上月减少 %s（上月 %s 条）", "down %s on last month (%s)"),
	    vg_report_percent(r, pct), vg_report_int(r, m->prev_total));
}

static void chapter_summary(monthly *m)
{
	vg_report *r = m->r;
	int64_t high = m->sev[4] + m->sev[5];
	const char *s[5], *asset, *rule;
	vg_report_figure figs[5];

	vg_report_section_add(r, 1, tr(m, "执行摘要", "Executive summary"));
	s[0] = vg_report_printf(r,
				tr(m, "本月共产生告警 %s 条，%s，其中高危及严重告警 %s 条。",
				   "This month brought %s, %s; %s of them high or critical."),
				vg__report_count(r, m->total, "alert", "alerts"), change_text(m),
				vg_report_int(r, high));
	s[1] =
	    vg_report_printf(r,
			     tr(m, "本月处理安全事件 %s 起，其中 %s 起仍在处置中。",
				"Security incidents handled: %s, %s of them still open."),
			     vg_report_int(r, m->incidents), vg_report_int(r, m->incidents_open));
	s[2] = vg_report_printf(
	    r,
	    tr(m,
	       "本月受理工单 %s 张（另有即时通讯渠道工单 %s 张不计入），响应 SLA 达成率 %s，解决 "
	       "SLA 达成率 %s。",
	       "Tickets received: %s (and %s by IM, not counted); %s met the response SLA and %s "
	       "the resolution SLA."),
	    vg_report_int(r, sla_int(m, NULL, "tickets")),
	    vg_report_int(r, sla_int(m, NULL, "im_excluded")),
	    vg_report_percent(r, sla_share(m, "response")),
	    vg_report_percent(r, sla_share(m, "resolution")));
	asset = m->nassets
		    ? vg_report_printf(r,
				       tr(m, "受攻击最多的资产是 %s（%s 条告警）",
					  "The most attacked asset was %s (%s)"),
				       m->assets[0].name,
				       vg__report_count(r, m->assets[0].n, "alert", "alerts"))
		    : tr(m, "本月没有关联到资产的告警", "No alert named an asset");
	rule = m->nrules ? vg_report_printf(r,
					    tr(m, "告警最多的规则是“%s”（%s 条）",
					       "the noisiest rule was \"%s\" (%s)"),
					    m->rules[0].name,
					    vg__report_count(r, m->rules[0].n, "alert", "alerts"))
			 : tr(m, "没有规则产生告警", "no rule raised an alert");
	s[3] = vg_report_printf(r, tr(m, "%s，%s。", "%s, and %s."), asset, rule);
	s[4] =
	    m->open_high
		? vg_report_printf(
		      r,
		      tr(m,
			 "目前仍有 %s 条高危及严重告警未关闭，建议优先处置（见“处置建议”一章）。",
			 "High or critical alerts still open: %s; we recommend "
			 "dealing with them first (see Recommendations)."),
		      vg_report_int(r, m->open_high))
		: tr(m, "目前没有未关闭的高危及严重告警，建议保持现有防护策略。",
		     "No high or critical alert is still open; we recommend keeping the "
		     "current protections in place.");
	for (size_t i = 0; i < 5; i++)
		vg_report_paragraph(r, s[i]);

	figs[0] = (vg_report_figure){tr(m, "告警总数", "Alerts"), vg_report_int(r, m->total),
				     change_text(m)};
	figs[1] = (vg_report_figure){tr(m, "高危及严重", "High and critical"),
				     vg_report_int(r, high), NULL};
	figs[2] = (vg_report_figure){tr(m, "安全事件", "Security incidents"),
				     vg_report_int(r, m->incidents), NULL};
	figs[3] = (vg_report_figure){tr(m, "工单", "Tickets"),
				     vg_report_int(r, sla_int(m, NULL, "tickets")), NULL};
	figs[4] = (vg_report_figure){tr(m, "响应 SLA 达成率", "Response SLA met"),
				     vg_report_percent(r, sla_share(m, "response")), NULL};
	vg_report_figures(r, figs, 5);
}

/* ---- chapter 2 ---- */

static void ranked_table(monthly *m, const char *what, const char *detail, const ranked *rows,
			 size_t n, bool severity_detail)
{
	vg_report *r = m->r;
	const char *alerts = tr(m, "告警数", "Alerts");
	const char *headers[4] = {"#", what, detail ? detail : alerts, alerts};
	const bool numeric[4] = {true, false, !detail, true};
	size_t ncols = detail ? 4 : 3, i;
	vg_report_table *t;

	if (!n) {
		vg_report_paragraph(r, tr(m, "本月无相关告警。", "No alert this month."));
		return;
	}
	t = vg_report_table_add(r, ncols, headers, numeric,
				detail ? (const double[]){1, 6, 3, 2} : (const double[]){1, 6, 2});
	for (i = 0; i < n; i++) {
		const char *d = rows[i].detail;
		const char *count = vg_report_int(r, rows[i].n);

		if (severity_detail)
			d = vg__report_severity(m->lang, (int)strtol(d, NULL, 10));
		vg_report_table_row(r, t,
				    (const char *[]){vg_report_int(r, (int64_t)i + 1), rows[i].name,
						     detail ? d : count, count});
	}
}

static void dur_row(monthly *m, vg_report_table *t, const char *what, const dur_stats *s,
		    int64_t pending)
{
	vg_report *r = m->r;
	const char *none = "—";

	vg_report_table_row(r, t,
			    (const char *[]){what, vg_report_int(r, s->n),
					     s->n ? vg_report_duration(r, s->median) : none,
					     s->n ? vg_report_duration(r, s->p95) : none,
					     s->n ? vg_report_duration(r, s->mean) : none,
					     vg_report_int(r, pending)});
}

/* Severities 1..5 as security people read them: grey, blue, amber,
 * orange, red. */
static const uint32_t severity_colors[] = {0x8A96A3, 0x2F6DB5, 0xD9A32B, 0xE07B39, 0xC8453C};

static void chapter_alerts(monthly *m)
{
	vg_report *r = m->r;
	const char *sev_names[5], *days[31];
	double sev_values[5], day_values[31], series[31];
	vg_report_table *t;
	vg_report_chart *c;
	int s, d;

	vg_report_section_add(r, 1, tr(m, "告警分析", "Alerts"));
	vg_report_section_add(r, 2, tr(m, "按严重程度", "By severity"));
	for (s = 1; s <= 5; s++) {
		sev_names[s - 1] = vg__report_severity(m->lang, s);
		sev_values[s - 1] = (double)m->sev[s];
	}
	c = vg_report_chart_add(r, VG_CHART_DONUT, tr(m, "告警严重程度分布", "Alerts by severity"),
				5, sev_names);
	vg_report_chart_colors(r, c, severity_colors, 5);
	vg_report_chart_series(r, c, tr(m, "告警数", "Alerts"), sev_values);
	t = vg_report_table_add(r, 3,
				(const char *[]){tr(m, "严重程度", "Severity"),
						 tr(m, "告警数", "Alerts"), tr(m, "占比", "Share")},
				(const bool[]){false, true, true}, NULL);
	for (s = 5; s >= 1; s--)
		vg_report_table_row(
		    r, t,
		    (const char *[]){sev_names[s - 1], vg_report_int(r, m->sev[s]),
				     vg_report_percent(r, m->total
							      ? (double)m->sev[s] / (double)m->total
							      : NAN)});
	vg_report_table_row(r, t,
			    (const char *[]){tr(m, "合计", "Total"), vg_report_int(r, m->total),
					     vg_report_percent(r, m->total ? 1.0 : NAN)});

	vg_report_section_add(r, 2, tr(m, "按来源", "By source"));
	if (m->nsources) {
		const char *names[SOURCES_MAX + 1];
		double values[SOURCES_MAX + 1];
		size_t i;

		for (i = 0; i < m->nsources; i++) {
			names[i] = m->sources[i].name;
			values[i] = (double)m->sources[i].n;
		}
		c = vg_report_chart_add(r, VG_CHART_BAR, tr(m, "各来源告警数", "Alerts by source"),
					m->nsources, names);
		vg_report_chart_series(r, c, tr(m, "告警数", "Alerts"), values);
	} else {
		vg_report_paragraph(r, tr(m, "本月无告警。", "No alert this month."));
	}

	vg_report_section_add(r, 2, tr(m, "按日期", "By day"));
	for (d = 0; d < m->ndays; d++) {
		days[d] = vg_report_printf(r, "%d", d + 1);
		day_values[d] = 0;
		for (s = 0; s <= 5; s++)
			day_values[d] += m->day_sev[d][s];
	}
	vg_report_calendar_add(r, tr(m, "每日告警数", "Alerts per day"), tr(m, "告警数", "Alerts"),
			       m->year, m->mon, day_values);
	c = vg_report_chart_add(r, VG_CHART_STACKED_BAR,
				tr(m, "每日告警（按严重程度）", "Alerts per day by severity"),
				(size_t)m->ndays, days);
	vg_report_chart_colors(r, c, severity_colors, 5);
	for (s = 1; s <= 5; s++) {
		for (d = 0; d < m->ndays; d++)
			series[d] = m->day_sev[d][s];
		vg_report_chart_series(r, c, sev_names[s - 1], series);
	}

	vg_report_section_add(r, 2, tr(m, "告警最多的规则", "Top rules"));
	ranked_table(m, tr(m, "规则", "Rule"), tr(m, "最高严重程度", "Highest severity"), m->rules,
		     m->nrules, true);
	vg_report_section_add(r, 2, tr(m, "受攻击最多的资产", "Most attacked assets"));
	ranked_table(m, tr(m, "资产", "Asset"), tr(m, "IP 地址", "IP address"), m->assets,
		     m->nassets, false);
	vg_report_section_add(r, 2, tr(m, "攻击来源 IP", "Top source IPs"));
	ranked_table(m, tr(m, "源 IP", "Source IP"), NULL, m->ips, m->nips, false);

	vg_report_section_add(r, 2, tr(m, "告警处置时效", "Alert handling"));
	t = vg_report_table_add(
	    r, 6,
	    (const char *[]){tr(m, "指标", "Measure"), tr(m, "已完成", "Done"),
			     tr(m, "中位数", "Median"), tr(m, "95 分位", "95th percentile"),
			     tr(m, "平均", "Mean"), tr(m, "尚未完成", "Still pending")},
	    (const bool[]){false, true, true, true, true, true}, NULL);
	dur_row(m, t, tr(m, "确认用时", "Time to acknowledge"), &m->ack, m->unacked);
	dur_row(m, t, tr(m, "关闭用时", "Time to close"), &m->close, m->unclosed);
	vg_report_paragraph(r, tr(m, "用时自告警产生起计；分位数取最近秩。",
				  "Times run from when the alert was raised; percentiles are "
				  "nearest-rank."));
}

/* ---- chapter 3 ---- */

static int chapter_incidents(monthly *m)
{
	vg_report *r = m->r;
	vg_rows *rows = NULL;
	vg_report_table *t;
	int more = 0, rc;
	const char **paras = NULL;
	size_t n = 0, i;

	vg_report_section_add(r, 1, tr(m, "安全事件处置", "Security incidents handled"));
	if (!m->incidents) {
		vg_report_paragraph(r, tr(m, "本月没有需要处置的安全事件。",
					  "There was no security incident to handle this month."));
		return VG_OK;
	}
	paras = calloc((size_t)m->incidents, sizeof(*paras));
	if (!paras)
		return vg_error_set(m->err, VG_ENOMEM, "out of memory listing incidents");
	t = vg_report_table_add(r, 7,
				(const char *[]){tr(m, "编号", "Ref"), tr(m, "标题", "Title"),
						 tr(m, "类型", "Category"),
						 tr(m, "严重程度", "Severity"),
						 tr(m, "阶段", "Phase"), tr(m, "状态", "Status"),
						 tr(m, "关联告警", "Alerts")},
				(const bool[]){false, false, false, false, false, false, true},
				(const double[]){1.2, 4, 1.5, 1, 1.2, 1, 1});
	rc = vg_tx_query(m->tx,
			 "SELECT i.id, i.title, i.category, i.severity_id, i.phase, i.status, "
			 "i.summary, (SELECT COUNT(*) FROM security_incident_alerts a WHERE "
			 "a.incident_id = i.id) FROM security_incidents i WHERE " HANDLED
			 " ORDER BY i.id",
			 VG_PARAMS(HANDLED_PARAMS(m)), &rows, m->err);
	while (!rc && (more = vg_rows_next(rows, m->err)) == 1 && n < (size_t)m->incidents) {
		const char *ref = vg_report_printf(r, "SEC-%" PRId64, vg_rows_int(rows, 0));
		const char *cat = vg__report_category(m->lang, vg_rows_text(rows, 2));
		const char *sev = vg__report_severity(m->lang, (int)vg_rows_int(rows, 3));
		const char *phase = vg__report_phase(m->lang, vg_rows_text(rows, 4));
		const char *status = vg__report_status(m->lang, vg_rows_text(rows, 5));
		const char *summary = vg_rows_text(rows, 6);
		const char *alerts = vg_report_int(r, vg_rows_int(rows, 7));

		vg_report_table_row(
		    r, t,
		    (const char *[]){ref, vg_rows_text(rows, 1), cat, sev, phase, status, alerts});
		paras[n++] = vg_report_printf(
		    r,
		    tr(m,
		       "%s「%s」：%s类事件，严重程度%s，当前阶段为%s，状态%s，关联告警 %s 条。%s%s",
		       "%s \"%s\": a %s incident of %s severity, in its %s phase, %s, with %s "
		       "alerts linked. %s%s"),
		    ref, vg_rows_text(rows, 1), cat, sev, phase, status, alerts,
		    summary && *summary ? tr(m, "结案总结：", "Summary at close: ")
					: tr(m, "尚未结案。", "Not closed yet."),
		    summary ? summary : "");
	}
	rc = vg__report_rows_end(rows, more, rc);
	for (i = 0; i < n; i++)
		vg_report_paragraph(r, paras[i]);
	free(paras);
	return rc;
}

/* ---- chapter 4 ---- */

static const char *ticket_word(const monthly *m, const char *code)
{
	static const char *const words[][3] = {
	    {"request", "服务请求", "Service request"},
	    {"incident", "事件", "Incident"},
	    {"problem", "问题", "Problem"},
	    {"change", "变更", "Change"},
	    {"portal", "门户", "Portal"},
	    {"email", "邮件", "Email"},
	    {"phone", "电话", "Phone"},
	    {"alert", "告警", "Alert"},
	};
	size_t i;

	for (i = 0; i < sizeof(words) / sizeof(*words); i++)
		if (strcmp(words[i][0], code) == 0)
			return tr(m, words[i][1], words[i][2]);
	return code;
}

static void count_table(monthly *m, const char *title, const char *key, const char *const *order,
			size_t n)
{
	vg_report *r = m->r;
	const json_t *by = json_object_get(m->sla, key);
	vg_report_table *t;
	size_t i;

	t = vg_report_table_add(r, 2, (const char *[]){title, tr(m, "工单数", "Tickets")},
				(const bool[]){false, true}, NULL);
	for (i = 0; i < n; i++)
		vg_report_table_row(
		    r, t,
		    (const char *[]){
			ticket_word(m, order[i]),
			vg_report_int(r, json_integer_value(json_object_get(by, order[i])))});
}

static const char *maybe_duration(monthly *m, const json_t *clock, const char *key)
{
	const json_t *v = json_object_get(clock, key);

	return json_is_integer(v) ? vg_report_duration(m->r, json_integer_value(v)) : "—";
}

static void chapter_tickets(monthly *m)
{
	static const char *const types[] = {"request", "incident", "problem", "change"};
	static const char *const prios[] = {"P1", "P2", "P3", "P4"};
	static const char *const chans[] = {"portal", "email", "phone", "alert"};
	static const char *const clocks[] = {"response", "resolution"};
	vg_report *r = m->r;
	const json_t *breaches = json_object_get(m->sla, "breaches"), *b;
	vg_report_table *t;
	size_t i;

	vg_report_section_add(r, 1, tr(m, "工单与 SLA", "Tickets and SLA"));
	vg_report_paragraph(
	    r, vg_report_printf(
		   r,
		   tr(m, "本月受理工单 %s 张；即时通讯渠道的 %s 张工单不计入以下任何统计。",
		      "Tickets received this month: %s; the %s from IM are not counted "
		      "in any figure below."),
		   vg_report_int(r, sla_int(m, NULL, "tickets")),
		   vg_report_int(r, sla_int(m, NULL, "im_excluded"))));
	vg_report_section_add(r, 2, tr(m, "工单分布", "Tickets by type, priority and channel"));
	count_table(m, tr(m, "类型", "Type"), "by_type", types, 4);
	count_table(m, tr(m, "优先级", "Priority"), "by_priority", prios, 4);
	count_table(m, tr(m, "渠道", "Channel"), "by_channel", chans, 4);

	vg_report_section_add(r, 2, tr(m, "SLA 达成情况", "SLA met"));
	t = vg_report_table_add(
	    r, 8,
	    (const char *[]){tr(m, "时限", "Clock"), tr(m, "有目标", "With target"),
			     tr(m, "已判定", "Decided"), tr(m, "达成", "Met"),
			     tr(m, "达成率", "Met %"), tr(m, "中位数", "Median"),
			     tr(m, "95 分位", "95th percentile"), tr(m, "平均", "Mean")},
	    (const bool[]){false, true, true, true, true, true, true, true}, NULL);
	for (i = 0; i < 2; i++) {
		const json_t *c = json_object_get(m->sla, clocks[i]);

		vg_report_table_row(
		    r, t,
		    (const char *[]){i ? tr(m, "解决", "Resolution") : tr(m, "响应", "Response"),
				     vg_report_int(r, sla_int(m, clocks[i], "with_target")),
				     vg_report_int(r, sla_int(m, clocks[i], "decided")),
				     vg_report_int(r, sla_int(m, clocks[i], "met")),
				     vg_report_percent(r, sla_share(m, clocks[i])),
				     maybe_duration(m, c, "median_seconds"),
				     maybe_duration(m, c, "p95_seconds"),
				     maybe_duration(m, c, "mean_seconds")});
	}
	vg_report_paragraph(r, tr(m, "用时按服务日历的工作时间计；分位数取最近秩。",
				  "Times are working time on the service calendar; percentiles are "
				  "nearest-rank."));

	vg_report_section_add(r, 2, tr(m, "SLA 超时说明", "SLA breaches explained"));
	if (!json_array_size(breaches)) {
		vg_report_paragraph(
		    r, tr(m, "本月没有 SLA 超时。", "No SLA was breached this month."));
		return;
	}
	t = vg_report_table_add(r, 3,
				(const char *[]){tr(m, "工单", "Ticket"), tr(m, "时限", "Clock"),
						 tr(m, "说明", "Explanation")},
				NULL, (const double[]){1, 1, 5});
	json_array_foreach(breaches, i, b)
	{
		bool resp = strcmp(json_string_value(json_object_get(b, "clock")), "response") == 0;
		int64_t elapsed = json_integer_value(json_object_get(b, "elapsed_seconds"));
		int64_t target = (int64_t)json_integer_value(json_object_get(b, "target_seconds"));
		const char *target_text = json_string_value(json_object_get(b, "target"));
		bool done = !json_is_null(json_object_get(b, "done_at"));
		const char *why;

		if (!target)
			target = elapsed;
		why = vg_report_printf(
		    r,
		    done ? tr(m, "目标 %s，实际用时 %s，超出 %s。",
			      "Target %s; it took %s, %s over.")
			 : tr(m, "目标 %s，至今已用 %s 仍未完成，超出 %s。",
			      "Target %s; still not done after %s, %s over."),
		    target_text ? target_text : "", vg_report_duration(r, elapsed),
		    vg_report_duration(r, elapsed > target ? elapsed - target : 0));
		vg_report_table_row(
		    r, t,
		    (const char *[]){json_string_value(json_object_get(b, "ref")),
				     resp ? tr(m, "响应", "Response") : tr(m, "解决", "Resolution"),
				     why});
	}
}

/* ---- chapters 5, 6, 8: not collected ---- */

static void chapter_uncollected(monthly *m, const char *title, const char *zh, const char *en)
{
	vg_report_section_add(m->r, 1, title);
	vg_report_notice(m->r, tr(m, zh, en));
}

/* ---- chapter 7 ---- */

static int chapter_hours(monthly *m)
{
	vg_report *r = m->r;
	char last_day[40];
	json_t *quotas = NULL, *it;
	vg_rows *rows = NULL;
	vg_report_table *t;
	int more = 0, rc;
	size_t i;
	struct logged {
		const char *item;
		int64_t minutes;
		bool shown;
	} logged[ITEMS_MAX];
	size_t nlogged = 0;

	snprintf(last_day, sizeof(last_day), "%04d-%02d-%02d", m->year, m->mon, m->ndays);
	vg_report_section_add(r, 1,
			      tr(m, "值守与应急响应工时", "On-duty and emergency-response hours"));
	rc = vg_tx_query(m->tx,
			 "SELECT service_item, SUM(minutes) FROM worklogs WHERE tenant_id = ? AND "
			 "worked_at >= ? AND worked_at < ? GROUP BY service_item ORDER BY "
			 "service_item",
			 VG_PARAMS(MONTH_PARAMS(m)), &rows, m->err);
	while (!rc && (more = vg_rows_next(rows, m->err)) == 1) {
		if (nlogged == ITEMS_MAX) {
			rc = vg_error_set(m->err, VG_ETOOBIG,
					  "more than %d service items have work logged in %s",
					  ITEMS_MAX, m->month);
			break;
		}
		logged[nlogged].item = vg_report_strdup(r, vg_rows_text(rows, 0));
		logged[nlogged].minutes = vg_rows_int(rows, 1);
		logged[nlogged++].shown = false;
	}
	rc = vg__report_rows_end(rows, more, rc);
	if (!rc)
		rc = vg_tenant_quotas(m->tx, m->ctx, m->tenant_id, last_day, &quotas, m->err);
	if (rc)
		return rc;
	vg_report_paragraph(
	    r, vg_report_printf(
		   r,
		   tr(m, "合同年度 %.10s 至 %.10s（含本月最后一天）的计量服务项用量如下。",
		      "Metered service items in the contract year %.10s to %.10s, which "
		      "holds the month's last day:"),
		   json_string_value(
		       json_object_get(json_object_get(quotas, "contract_year"), "from")),
		   json_string_value(
		       json_object_get(json_object_get(quotas, "contract_year"), "until"))));
	t = vg_report_table_add(
	    r, 6,
	    (const char *[]){tr(m, "服务项", "Service item"), tr(m, "年度额度", "Yearly quota"),
			     tr(m, "年度已用", "Used this year"), tr(m, "剩余", "Remaining"),
			     tr(m, "超出额度", "Over quota"), tr(m, "本月工时", "This month")},
	    (const bool[]){false, true, true, true, true, true},
	    (const double[]){3, 1, 1, 1, 1, 1});
	json_array_foreach(json_object_get(quotas, "items"), i, it)
	{
		const char *id = json_string_value(json_object_get(it, "id"));
		int64_t month_min = 0;
		size_t j;

		for (j = 0; j < nlogged; j++)
			if (strcmp(logged[j].item, id) == 0) {
				month_min = logged[j].minutes;
				logged[j].shown = true;
			}
		vg_report_table_row(
		    r, t,
		    (const char *[]){
			json_string_value(
			    json_object_get(it, m->lang == VG_REPORT_EN ? "name" : "name_zh")),
			vg_report_duration(
			    r, json_integer_value(json_object_get(it, "quota_hours")) * 3600),
			vg_report_duration(
			    r, (int64_t)llround(
				   json_number_value(json_object_get(it, "used_hours")) * 3600)),
			vg_report_duration(r, (int64_t)llround(json_number_value(json_object_get(
								   it, "remaining_hours")) *
							       3600)),
			vg_report_duration(r, (int64_t)llround(json_number_value(json_object_get(
								   it, "over_quota_hours")) *
							       3600)),
			vg_report_duration(r, month_min * 60)});
	}
	for (i = 0; i < nlogged; i++)
		if (!logged[i].shown)
			vg_report_table_row(
			    r, t,
			    (const char *[]){logged[i].item, "—", "—", "—", "—",
					     vg_report_duration(r, logged[i].minutes * 60)});
	json_decref(quotas);
	return VG_OK;
}

/* ---- chapter 9 ---- */

static int chapter_recommendations(monthly *m)
{
	vg_report *r = m->r;
	vg_rows *rows = NULL;
	const json_t *breaches = json_object_get(m->sla, "breaches");
	int more = 0, rc;
	size_t said, i;

	vg_report_section_add(r, 1, tr(m, "处置建议", "Recommendations"));
	for (i = 0; i < m->nopen_rules; i++)
		vg_report_paragraph(
		    r, vg_report_printf(
			   r,
			   tr(m,
			      "规则“%s”仍有 %s "
			      "条%s告警未关闭，建议尽快研判处置，确认受影响资产并排查根因。",
			      "Rule \"%s\" has %s %s-severity alerts still open: we recommend "
			      "triaging them soon, confirming the assets affected and finding "
			      "the cause."),
			   m->open_rules[i].name, vg_report_int(r, m->open_rules[i].n),
			   vg__report_severity(m->lang,
					       (int)strtol(m->open_rules[i].detail, NULL, 10))));
	said = m->nopen_rules;
	rc = vg_tx_query(m->tx,
			 "SELECT id, title, phase FROM security_incidents WHERE tenant_id = ? "
			 "AND created_at < ? AND status = 'open' ORDER BY severity_id DESC, id",
			 VG_PARAMS(VG_P_INT(m->tenant_id), VG_P_INT(m->until)), &rows, m->err);
	while (!rc && (more = vg_rows_next(rows, m->err)) == 1) {
		vg_report_paragraph(
		    r, vg_report_printf(
			   r,
			   tr(m,
			      "安全事件 SEC-%" PRId64
			      "「%s」仍处于%s阶段，建议继续推进处置直至恢复并完成总结。",
			      "Security incident SEC-%" PRId64 " \"%s\" is still in its %s "
			      "phase: we recommend carrying the response through to recovery "
			      "and a post-incident review."),
			   vg_rows_int(rows, 0), vg_rows_text(rows, 1),
			   vg__report_phase(m->lang, vg_rows_text(rows, 2))));
		said++;
	}
	rc = vg__report_rows_end(rows, more, rc);
	if (!rc && json_array_size(breaches)) {
		vg_report_paragraph(
		    r, vg_report_printf(
			   r,
			   tr(m,
			      "本月有 %s 次 SLA 超时（见“工单与 "
			      "SLA”一章），建议复盘超时工单的分派与升级流程。",
			      "There were %s SLA breaches this month (see Tickets and SLA): we "
			      "recommend reviewing how those tickets were assigned and "
			      "escalated."),
			   vg_report_int(r, (int64_t)json_array_size(breaches))));
		said++;
	}
	if (!rc && !said)
		vg_report_paragraph(
		    r,
		    tr(m, "目前没有待处理的高危告警、安全事件或 SLA 超时，暂无需要特别处置的事项。",
		       "Nothing is outstanding: no high-severity alert or security "
		       "incident is open and no SLA was breached."));
	return rc;
}

static int build(monthly *m, const vg_report_origin *origin)
{
	static const char *const months_en[] = {"January",   "February", "March",    "April",
						"May",	     "June",	 "July",     "August",
						"September", "October",	 "November", "December"};
	vg_report *r = m->r;
	const char *period = m->lang == VG_REPORT_EN
				 ? vg_report_printf(r, "%s %d", months_en[m->mon - 1], m->year)
				 : vg_report_printf(r, "%d年%d月", m->year, m->mon);
	int rc;

	vg_report_cover(r, tr(m, "MSS月度分析报告", "MSS Monthly Analysis Report"), m->name, period,
			origin && origin->issuer ? origin->issuer : "",
			vg__report_generated(r, m->zone, origin ? origin->now : 0));
	rc = gather(m);
	if (rc)
		return rc;
	chapter_summary(m);
	chapter_alerts(m);
	rc = chapter_incidents(m);
	if (rc)
		return rc;
	chapter_tickets(m);
	chapter_uncollected(m, tr(m, "巡检执行情况", "Inspections"),
			    "平台尚未采集巡检任务及其结果，本章暂无数据。",
			    "The platform does not collect inspections or their results yet, so "
			    "this chapter has no data.");
	chapter_uncollected(m, tr(m, "漏洞与配置风险", "Vulnerability and configuration findings"),
			    "平台尚未采集漏洞与配置核查结果，本章暂无开启/"
			    "关闭数量及趋势数据；云安全产品上报的告警已计入“告警分析”一章。",
			    "The platform does not collect vulnerability or configuration findings "
			    "yet, so there are no opened/closed counts or trend here; alerts "
			    "raised by cloud security products are counted in the Alerts chapter.");
	rc = chapter_hours(m);
	if (rc)
		return rc;
	chapter_uncollected(m, tr(m, "威胁情报通告", "Threat-intel notices"),
			    "平台尚未记录已发送的威胁情报通告，本章暂无数据。",
			    "The platform does not record the threat-intel notices sent yet, so "
			    "this chapter has no data.");
	return chapter_recommendations(m);
}

int vg_report_monthly_build(vg_tx *tx, const vg_ctx *ctx, int64_t tenant_id, const char *month,
			    vg_report_lang lang, const vg_report_origin *origin, vg_report **out,
			    vg_error *err)
{
	monthly *m = calloc(1, sizeof(*m));
	vg_tenant t;
	int rc, d;

	*out = NULL;
	if (!m)
		return vg_error_set(err, VG_ENOMEM, "out of memory building the report");
	m->tx = tx;
	m->ctx = ctx;
	m->lang = lang;
	m->err = err;
	m->tenant_id = tenant_id;
	rc = vg_tenant_get(tx, ctx, tenant_id, &t, err);
	if (rc)
		goto out;
	snprintf(m->zone, sizeof(m->zone), "%s", t.timezone);
	snprintf(m->name, sizeof(m->name), "%s", t.name);
	vg_tenant_release(&t);
	rc = vg_tz_month_bounds(month, m->zone, &m->from, &m->until, err);
	if (rc)
		goto out;
	snprintf(m->month, sizeof(m->month), "%s", month);
	m->year = (int)strtol(month, NULL, 10);
	m->mon = (int)strtol(month + 5, NULL, 10);
	m->ndays = vg_report_days_in_month(m->year, m->mon);
	for (d = 0; d < m->ndays && !rc; d++)
		rc = vg_tz_day_start(m->zone, m->year, m->mon, d + 1, &m->day_start[d], err);
	m->day_start[m->ndays] = m->until;
	if (rc)
		goto out;
	m->r = vg_report_new(lang);
	if (!m->r) {
		rc = vg_error_set(err, VG_ENOMEM, "out of memory building the report");
		goto out;
	}
	rc = build(m, origin);
	if (!rc)
		rc = vg_report_failed(m->r, err);
	if (!rc) {
		*out = m->r;
		m->r = NULL;
	}
out:
	vg_report_free(m->r);
	json_decref(m->sla);
	free(m);
	return rc;
}
