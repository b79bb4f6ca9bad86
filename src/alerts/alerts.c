/* alerts.c - grouped alert records (see alerts.h). */
#include "alerts/alerts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alerts/assets.h"
#include "alerts/rule_tenants.h"
#include "alerts/suppress.h"
#include "core/buf.h"
#include "core/crypto.h"
#include "core/map.h"
#include "core/time.h"

static const char *const severity_names[] = { "unknown", "informational", "low", "medium",
					      "high",    "critical",      "fatal" };

int vg_alert_severity(const char *level)
{
	int i;

	for (i = 1; level && i <= 5; i++)
		if (strcmp(level, severity_names[i]) == 0)
			return i;
	return 3;
}

const char *vg_alert_severity_name(int severity_id)
{
	return severity_id >= 0 && severity_id <= 6 ? severity_names[severity_id] : "unknown";
}

/* A group's hits of this batch, folded. */
typedef struct folded {
	const vg_alert_hit *first, *last; /* by time */
	uint64_t count;
	char key[VG_SHA256_HEX_LEN];
} folded;

static void group_key(int64_t tenant_id, int64_t source_id, const vg_alert_hit *h,
		      char key[VG_SHA256_HEX_LEN])
{
	vg_buf b = VG_BUF_INIT(SIZE_MAX);

	vg_buf_printf(&b, "%s%c%lld%c%lld%c%s", h->rule_id ? h->rule_id : h->title, 0,
		      (long long)tenant_id, 0, (long long)source_id, 0, h->group_json);
	vg_sha256_hex(b.ptr, b.len, key);
	vg_buf_release(&b);
}

static char *tags_json(const vg_alert_hit *h)
{
	json_t *a = json_array();
	char *text;
	size_t i;

	for (i = 0; i < h->ntags; i++)
		json_array_append_new(a, json_string(h->tags[i]));
	text = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	return text;
}

/* The store keeps instants and counts as integers; a correlation's value
 * goes in as text (REAL affinity turns it into a number). */
static vg_param value_param(const vg_alert_hit *h)
{
	static __thread char text[32];

	if (!h->correlation)
		return VG_P_NULL;
	snprintf(text, sizeof(text), "%.17g", h->value);
	return VG_P_TEXT(text);
}

/* Who reported an asset, as its products list shows it: "Alibaba Cloud
 * Security Center", "Microsoft Defender for Cloud", "Vigil". */
static char *reporter_of(const vg_alert_hit *h)
{
	const char *vendor = h->vendor ? h->vendor : "Vigil";
	const char *product = h->product ? h->product : "Vigil";
	size_t len = strlen(vendor) + strlen(product) + 2;
	char *s = malloc(len);

	if (!s)
		return NULL;
	if (strncmp(product, vendor, strlen(vendor)) == 0)
		snprintf(s, len, "%s", product);
	else
		snprintf(s, len, "%s %s", vendor, product);
	return s;
}

/* Links the alert's asset: counted when the alert is new. */
static int link_asset(vg_tx *tx, int64_t tenant_id, const vg_alert_hit *h, bool opened,
		      int64_t *asset_id, vg_error *err)
{
	char *reporter;
	int rc;

	*asset_id = 0;
	if (!h->resource_json)
		return VG_OK;
	reporter = reporter_of(h);
	rc = reporter ? vg_asset_link(tx, tenant_id, h->resource_json, reporter, h->last_ms, opened,
				      asset_id, err)
		      : vg_error_set(err, VG_ENOMEM, "out of memory recording an asset");
	free(reporter);
	return rc;
}

static vg_param event_param(const vg_alert_hit *h)
{
	return h->event ? (vg_param){ .type = VG_PARAM_TEXT, .p = h->event, .len = h->event_len }
			: VG_P_NULL;
}

static int record_group(vg_tx *tx, int64_t tenant_id, int64_t source_id, const folded *g,
			const vg_suppressions *quiet, int64_t window_ms, int64_t now,
			uint64_t *opened, vg_error *err)
{
	const vg_alert_hit *f = g->first, *l = g->last;
	char *tags;
	int64_t id, suppressed_by, asset_id;
	int severity = f->severity_id ? f->severity_id : vg_alert_severity(f->level);
	int rc;

	/* A product's finding is one alert for as long as it stays open. */
	rc = vg_tx_query_int(tx,
			     "SELECT id FROM alerts WHERE group_key = ? AND status != 'closed' AND "
			     "(? OR last_seen >= ?) ORDER BY id DESC LIMIT 1",
			     VG_PARAMS(VG_P_TEXT(g->key), VG_P_INT(f->finding_uid != NULL),
				       VG_P_INT(f->first_ms - window_ms)),
			     &id, err);
	if (rc == VG_OK)
		rc = link_asset(tx, tenant_id, l, false, &asset_id, err);
	if (rc == VG_OK)
		return vg_tx_exec(
			tx,
			"UPDATE alerts SET count = count + ?, value = ?, "
			"last_seen = CASE WHEN ? > last_seen THEN ? ELSE last_seen END, "
			"last_event = CASE WHEN ? >= last_seen THEN COALESCE(?, last_event) "
			"ELSE last_event END, vendor_status = COALESCE(?, vendor_status), "
			"level = CASE WHEN ? THEN ? ELSE level END, "
			"severity_id = CASE WHEN ? THEN ? ELSE severity_id END, "
			"asset_id = COALESCE(asset_id, ?), updated_at = ? WHERE id = ?",
			VG_PARAMS(VG_P_INT(g->count), value_param(l), VG_P_INT(l->last_ms),
				  VG_P_INT(l->last_ms), VG_P_INT(l->last_ms), event_param(l),
				  VG_P_TEXT_OR_NULL(l->vendor_status), VG_P_INT(l->severity_id != 0),
				  VG_P_TEXT_OR_NULL(l->level), VG_P_INT(l->severity_id != 0),
				  VG_P_INT(l->severity_id), VG_P_ID_OR_NULL(asset_id), VG_P_INT(now),
				  VG_P_INT(id)),
			NULL, err);
	if (rc != VG_ENOTFOUND)
		return rc;
	suppressed_by = vg_suppressions_match(quiet, f->rule_id, source_id, f->group_json);
	if (suppressed_by)
		return vg_tx_exec(tx,
				  "UPDATE suppressions SET suppressed = suppressed + ?, "
				  "last_suppressed_at = ? WHERE id = ?",
				  VG_PARAMS(VG_P_INT(g->count), VG_P_INT(now), VG_P_INT(suppressed_by)),
				  NULL, err);
	rc = link_asset(tx, tenant_id, l, true, &asset_id, err);
	if (rc)
		return rc;
	tags = tags_json(f);
	if (!tags)
		return vg_error_set(err, VG_ENOMEM, "out of memory writing an alert");
	rc = vg_tx_exec(
		tx,
		"INSERT INTO alerts (tenant_id, source_id, group_key, rule_id, rule_title, level, "
		"severity_id, tags, correlation, value, group_values, count, first_seen, last_seen, "
		"first_event, last_event, created_at, updated_at, description, category, vendor, "
		"product, finding_uid, vendor_status, resource, actor, asset_id) "
		"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		VG_PARAMS(VG_P_INT(tenant_id), VG_P_ID_OR_NULL(source_id), VG_P_TEXT(g->key),
			  VG_P_TEXT_OR_NULL(f->rule_id), VG_P_TEXT(f->title),
			  VG_P_TEXT_OR_NULL(f->level), VG_P_INT(severity), VG_P_TEXT(tags),
			  VG_P_TEXT_OR_NULL(f->correlation), value_param(l), VG_P_TEXT(f->group_json),
			  VG_P_INT(g->count), VG_P_INT(f->first_ms), VG_P_INT(l->last_ms),
			  event_param(f), event_param(l), VG_P_INT(now), VG_P_INT(now),
			  VG_P_TEXT_OR_NULL(f->description), VG_P_TEXT_OR_NULL(f->category),
			  VG_P_TEXT(f->vendor ? f->vendor : "Vigil"),
			  VG_P_TEXT(f->product ? f->product : "Vigil"),
			  VG_P_TEXT_OR_NULL(f->finding_uid), VG_P_TEXT_OR_NULL(l->vendor_status),
			  VG_P_TEXT(l->resource_json ? l->resource_json : "{}"),
			  VG_P_TEXT(l->actor_json ? l->actor_json : "{}"), VG_P_ID_OR_NULL(asset_id)),
		NULL, err);
	free(tags);
	if (rc == VG_OK)
		(*opened)++;
	return rc;
}

int vg_alerts_record(vg_tx *tx, int64_t tenant_id, int64_t source_id, const vg_alert_hit *hits,
		     size_t n, int64_t window_ms, int64_t now, uint64_t *opened, vg_error *err)
{
	vg_map groups = VG_MAP_INIT, off = VG_MAP_INIT;
	vg_suppressions *quiet = NULL;
	folded *all = NULL;
	size_t i, ngroups = 0;
	int rc = VG_OK;

	*opened = 0;
	if (n == 0)
		return VG_OK;
	all = calloc(n, sizeof(*all));
	if (!all)
		return vg_error_set(err, VG_ENOMEM, "out of memory grouping alerts");
	/* Rules switched off for this tenant open nothing (rule_tenants.h). */
	rc = vg_rule_tenants_disabled_load(tx, tenant_id, &off, err);
	for (i = 0; i < n && rc == VG_OK; i++) {
		char key[VG_SHA256_HEX_LEN];
		vg_map_entry *e;
		folded *g;
		int created;

		if (hits[i].rule_id && vg_map_count(&off) &&
		    vg_map_get(&off, hits[i].rule_id, strlen(hits[i].rule_id)))
			continue;
		group_key(tenant_id, source_id, &hits[i], key);
		e = vg_map_put(&groups, key, strlen(key), &created);
		if (!e) {
			rc = vg_error_set(err, VG_ENOMEM, "out of memory grouping alerts");
			break;
		}
		if (created) {
			g = &all[ngroups++];
			memcpy(g->key, key, sizeof(key));
			g->first = g->last = &hits[i];
			e->value = g;
		}
		g = e->value;
		g->count += hits[i].count;
		if (hits[i].first_ms < g->first->first_ms)
			g->first = &hits[i];
		if (hits[i].last_ms >= g->last->last_ms)
			g->last = &hits[i];
	}
	if (rc == VG_OK)
		rc = vg_suppressions_load(tx, tenant_id, now, &quiet, err);
	/* In the order groups first appeared, so ids follow the input. */
	for (i = 0; i < ngroups && rc == VG_OK; i++)
		rc = record_group(tx, tenant_id, source_id, &all[i], quiet, window_ms, now, opened,
				  err);
	vg_suppressions_free(quiet);
	vg_map_release(&groups);
	vg_map_release(&off);
	free(all);
	return rc;
}

#define ALERT_COLUMNS                                                                         \
	"id, tenant_id, source_id, rule_id, rule_title, level, severity_id, tags, correlation, " \
	"group_values, count, first_seen, last_seen, status, created_at, updated_at, "          \
	"first_event, last_event, value, assignee_id, acknowledged_at, closed_at, "         \
	"disposition, close_reason, description, category, vendor, product, finding_uid, "   \
	"vendor_status, resource, actor, asset_id, "                                          \
	"(SELECT incident_id FROM security_incident_alerts WHERE alert_id = alerts.id)"

static json_t *iso(int64_t ms)
{
	char text[VG_TIME_ISO_LEN];

	vg_time_format_iso(ms, text);
	return json_string(text);
}

static json_t *parsed_or_null(vg_rows *r, int col)
{
	json_t *v;

	if (vg_rows_is_null(r, col))
		return json_null();
	v = json_loads(vg_rows_text(r, col), JSON_DECODE_ANY, NULL);
	return v ? v : json_null();
}

static json_t *row_to_json(vg_rows *r, bool events)
{
	int sev = (int)vg_rows_int(r, 6);
	json_t *o = json_pack(
		"{s:I, s:I, s:o, s:{s:o, s:s, s:o}, s:I, s:s, s:o, s:o, s:o, s:I, s:o, s:o, s:s, "
		"s:o, s:o}",
		"id", (json_int_t)vg_rows_int(r, 0), "tenant_id", (json_int_t)vg_rows_int(r, 1),
		"source_id", vg_rows_is_null(r, 2) ? json_null() : json_integer(vg_rows_int(r, 2)),
		"rule", "id", vg_rows_json_text(r, 3), "title", vg_rows_text(r, 4), "level",
		vg_rows_json_text(r, 5), "severity_id", (json_int_t)sev, "severity",
		vg_alert_severity_name(sev), "tags", parsed_or_null(r, 7), "correlation",
		vg_rows_json_text(r, 8), "group", parsed_or_null(r, 9), "count",
		(json_int_t)vg_rows_int(r, 10), "first_seen", iso(vg_rows_int(r, 11)), "last_seen",
		iso(vg_rows_int(r, 12)), "status", vg_rows_text(r, 13), "created_at",
		iso(vg_rows_int(r, 14)), "updated_at", iso(vg_rows_int(r, 15)));

	if (o) {
		json_object_set_new(o, "value",
				    vg_rows_is_null(r, 18) ? json_null()
							   : json_real(strtod(vg_rows_text(r, 18), NULL)));
		json_object_set_new(o, "assignee_id",
				    vg_rows_is_null(r, 19) ? json_null()
							   : json_integer(vg_rows_int(r, 19)));
		json_object_set_new(o, "acknowledged_at", vg_rows_json_time(r, 20));
		json_object_set_new(o, "closed_at", vg_rows_json_time(r, 21));
		json_object_set_new(o, "disposition", vg_rows_json_text(r, 22));
		json_object_set_new(o, "close_reason", vg_rows_json_text(r, 23));
		json_object_set_new(o, "description", vg_rows_json_text(r, 24));
		json_object_set_new(o, "category", vg_rows_json_text(r, 25));
		json_object_set_new(o, "vendor", vg_rows_json_text(r, 26));
		json_object_set_new(o, "product", vg_rows_json_text(r, 27));
		json_object_set_new(o, "finding_uid", vg_rows_json_text(r, 28));
		json_object_set_new(o, "vendor_status", vg_rows_json_text(r, 29));
		json_object_set_new(o, "resource", parsed_or_null(r, 30));
		json_object_set_new(o, "actor", parsed_or_null(r, 31));
		json_object_set_new(o, "asset_id", vg_rows_is_null(r, 32)
							   ? json_null()
							   : json_integer(vg_rows_int(r, 32)));
		json_object_set_new(o, "security_incident_id",
				    vg_rows_is_null(r, 33) ? json_null()
							   : json_integer(vg_rows_int(r, 33)));
	}
	if (o && events) {
		json_object_set_new(o, "first_event", parsed_or_null(r, 16));
		json_object_set_new(o, "last_event", parsed_or_null(r, 17));
	}
	return o;
}

static json_t *alert_summary(vg_rows *r, void *unused)
{
	(void)unused;
	return row_to_json(r, false);
}

static json_t *alert_with_events(vg_rows *r, void *unused)
{
	(void)unused;
	return row_to_json(r, true);
}

/* "open", "open,acknowledged", ...: each a status, none empty. */
static bool statuses_valid(const char *list)
{
	static const char *const names[] = { "open", "acknowledged", "closed" };
	const char *p = list;

	for (;;) {
		size_t len = strcspn(p, ","), i;

		for (i = 0; i < 3; i++)
			if (strlen(names[i]) == len && strncmp(p, names[i], len) == 0)
				break;
		if (i == 3)
			return false;
		if (!p[len])
			return true;
		p += len + 1;
	}
}

int vg_alert_list(vg_tx *tx, const vg_ctx *ctx, const vg_alert_filter *f, int64_t before_id,
		  int limit, json_t **items, int64_t *last_id, vg_error *err)
{
	*items = NULL;
	*last_id = 0;
	if (f->tenant_id && !vg_ctx_sees_tenant(ctx, f->tenant_id))
		return vg_error_set(err, VG_ENOTFOUND, "no such tenant");
	if (f->status && !statuses_valid(f->status))
		return vg_error_set(err, VG_EINVAL,
				    "status must be open, acknowledged or closed, or a comma list of "
				    "them");
	if (f->severity < 0 || f->severity > 6)
		return vg_error_set(err, VG_EINVAL, "severity must be 1 to 6");
	return vg_tx_query_list(
	    tx,
	    "SELECT " ALERT_COLUMNS " FROM alerts WHERE (? = 0 OR id < ?) "
	    "AND (? = 0 OR tenant_id = ?) AND (? = 0 OR tenant_id = ?) "
	    "AND (? = 0 OR source_id = ?) "
	    "AND (? IS NULL OR instr(',' || ? || ',', ',' || status || ',') > 0) "
	    "AND (? IS NULL OR rule_id = ?) AND severity_id >= ? AND (? = 0 OR severity_id = ?) "
	    "AND (? = 0 OR last_seen >= ?) AND (? = 0 OR last_seen < ?) "
	    "AND (? = 0 OR (? = -1 AND assignee_id IS NULL) OR assignee_id = ?) "
	    "AND (? = 0 OR asset_id = ?) AND (? IS NULL OR vendor = ?) "
	    "AND (? IS NULL OR product = ?) "
	    "ORDER BY id DESC LIMIT ?",
	    VG_PARAMS(VG_P_INT(before_id), VG_P_INT(before_id), VG_P_INT(ctx->tenant_id),
		      VG_P_INT(ctx->tenant_id), VG_P_INT(f->tenant_id), VG_P_INT(f->tenant_id),
		      VG_P_INT(f->source_id), VG_P_INT(f->source_id), VG_P_TEXT_OR_NULL(f->status),
		      VG_P_TEXT_OR_NULL(f->status), VG_P_TEXT_OR_NULL(f->rule_id),
		      VG_P_TEXT_OR_NULL(f->rule_id), VG_P_INT(f->min_severity),
		      VG_P_INT(f->severity), VG_P_INT(f->severity),
		      VG_P_INT(f->since_ms), VG_P_INT(f->since_ms), VG_P_INT(f->until_ms),
		      VG_P_INT(f->until_ms), VG_P_INT(f->assignee_id), VG_P_INT(f->assignee_id),
		      VG_P_INT(f->assignee_id), VG_P_INT(f->asset_id), VG_P_INT(f->asset_id),
		      VG_P_TEXT_OR_NULL(f->vendor), VG_P_TEXT_OR_NULL(f->vendor),
		      VG_P_TEXT_OR_NULL(f->product), VG_P_TEXT_OR_NULL(f->product),
		      VG_P_INT(limit)),
	    alert_summary, NULL, items, last_id, err);
}

int vg_alerts_after(vg_tx *tx, int64_t after_id, int limit, json_t **items, int64_t *last_id,
		    vg_error *err)
{
	return vg_tx_query_list(tx,
				"SELECT " ALERT_COLUMNS " FROM alerts WHERE id > ? ORDER BY id LIMIT ?",
				VG_PARAMS(VG_P_INT(after_id), VG_P_INT(limit)), alert_summary, NULL,
				items, last_id, err);
}

int vg_alert_status(vg_tx *tx, int64_t id, char status[16], vg_error *err)
{
	vg_rows *r;
	int rc = vg_tx_query(tx, "SELECT status FROM alerts WHERE id = ?", VG_PARAMS(VG_P_INT(id)),
			     &r, err);

	if (rc)
		return rc;
	rc = vg_rows_next(r, err);
	if (rc == 1) {
		snprintf(status, 16, "%s", vg_rows_text(r, 0));
		rc = VG_OK;
	} else if (rc == 0) {
		rc = vg_error_set(err, VG_ENOTFOUND, "no such alert");
	}
	vg_rows_free(r);
	return rc;
}

int vg_alert_get(vg_tx *tx, const vg_ctx *ctx, int64_t id, json_t **out, vg_error *err)
{
	return vg_tx_query_object(
	    tx,
	    "SELECT " ALERT_COLUMNS " FROM alerts WHERE id = ? AND (? = 0 OR "
	    "tenant_id = ?)",
	    VG_PARAMS(VG_P_INT(id), VG_P_INT(ctx->tenant_id), VG_P_INT(ctx->tenant_id)),
	    alert_with_events, NULL, "alert", out, err);
}
