/* routes.c - routing rules in the store (see routes.h). */
#include "notify/routes.h"

#include <stdlib.h>
#include <string.h>

#include "core/time.h"
#include "ops/tenant.h"

#define ROUTE_COLUMNS                                                                         \
	"id, tenant_id, name, channel_id, min_severity, sources, rules, aggregate_minutes, " \
	"language, enabled, created_at, updated_at, escalate_after_minutes, escalate_channel_id, " \
	"quiet_from, quiet_until, quiet_min_severity, categories, ticket_events, alerts"

static json_t *parsed_list(const char *text)
{
	json_t *a = json_loads(text, 0, NULL);

	return a ? a : json_array();
}

static json_t *clock_json(int64_t minutes)
{
	char hhmm[8];

	snprintf(hhmm, sizeof(hhmm), "%02d:%02d", (int)(minutes / 60), (int)(minutes % 60));
	return json_string(hhmm);
}

static json_t *row_to_json(vg_rows *r, void *unused)
{
	json_t *sources = json_loads(vg_rows_text(r, 5), 0, NULL);
	json_t *rules = json_loads(vg_rows_text(r, 6), 0, NULL);
	json_t *o;

	(void)unused;
	o = json_pack("{s:I, s:o, s:s, s:I, s:I, s:o, s:o, s:I, s:s, s:b, s:o, s:o, s:I, s:o}",
			 "id",
			 (json_int_t)vg_rows_int(r, 0), "tenant_id",
			 vg_rows_int(r, 1) ? json_integer(vg_rows_int(r, 1)) : json_null(), "name",
			 vg_rows_text(r, 2), "channel_id", (json_int_t)vg_rows_int(r, 3),
			 "min_severity", (json_int_t)vg_rows_int(r, 4), "sources",
			 sources ? sources : json_array(), "rules", rules ? rules : json_array(),
			 "aggregate_minutes", (json_int_t)vg_rows_int(r, 7), "language",
			 vg_rows_text(r, 8), "enabled", (int)vg_rows_int(r, 9), "created_at",
			 vg_rows_json_time(r, 10), "updated_at", vg_rows_json_time(r, 11),
			 "escalate_after_minutes", (json_int_t)vg_rows_int(r, 12), "escalate_channel_id",
			 vg_rows_is_null(r, 13) ? json_null() : json_integer(vg_rows_int(r, 13)));
	if (o)
		json_object_set_new(o, "categories", parsed_list(vg_rows_text(r, 17)));
	if (o)
		json_object_set_new(o, "ticket_events", parsed_list(vg_rows_text(r, 18)));
	if (o)
		json_object_set_new(o, "alerts", json_boolean(vg_rows_int(r, 19)));
	if (o)
		json_object_set_new(o, "quiet_hours",
				    vg_rows_is_null(r, 14)
					    ? json_null()
					    : json_pack("{s:o, s:o, s:I}", "from",
							clock_json(vg_rows_int(r, 14)), "until",
							clock_json(vg_rows_int(r, 15)), "min_severity",
							(json_int_t)vg_rows_int(r, 16)));
	return o;
}

int vg_route_get(vg_tx *tx, const vg_ctx *ctx, int64_t id, json_t **out, vg_error *err)
{
	return vg_tx_query_object(
		tx,
		"SELECT " ROUTE_COLUMNS " FROM notify_routes WHERE id = ? AND (? = 0 OR tenant_id = ?)",
		VG_PARAMS(VG_P_INT(id), VG_P_INT(ctx->tenant_id), VG_P_INT(ctx->tenant_id)),
		row_to_json, NULL, "route", out, err);
}

int vg_route_list(vg_tx *tx, const vg_ctx *ctx, int64_t tenant_id, int64_t after_id, int limit,
		  json_t **items, int64_t *last_id, vg_error *err)
{
	*items = NULL;
	*last_id = 0;
	if (tenant_id && ctx->tenant_id && ctx->tenant_id != tenant_id)
		return vg_error_set(err, VG_ENOTFOUND, "no such tenant");
	return vg_tx_query_list(tx,
				"SELECT " ROUTE_COLUMNS " FROM notify_routes WHERE id > ? AND (? = 0 OR "
				"tenant_id = ?) AND (? = 0 OR tenant_id = ?) ORDER BY id LIMIT ?",
				VG_PARAMS(VG_P_INT(after_id), VG_P_INT(tenant_id), VG_P_INT(tenant_id),
					  VG_P_INT(ctx->tenant_id), VG_P_INT(ctx->tenant_id),
					  VG_P_INT(limit)),
				row_to_json, NULL, items, last_id, err);
}

/* The route as stored, to lay an update over. */
typedef struct route {
	int64_t tenant_id, channel_id;
	char name[256], language[8];
	int min_severity, aggregate_minutes, enabled, escalate_after_minutes;
	int64_t escalate_channel_id;
	char *sources, *rules, *categories, *ticket_events; /* JSON arrays */
	int quiet_from, quiet_until; /* minutes of the day; -1: none */
	int quiet_min_severity;
	int alerts;
} route;

static void route_release(route *r)
{
	free(r->sources);
	free(r->rules);
	free(r->categories);
	free(r->ticket_events);
}

static int route_load(vg_tx *tx, const vg_ctx *ctx, int64_t id, route *out, vg_error *err)
{
	vg_rows *r;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = vg_tx_query(tx,
			 "SELECT tenant_id, channel_id, name, language, min_severity, "
			 "aggregate_minutes, enabled, sources, rules, escalate_after_minutes, "
			 "COALESCE(escalate_channel_id, 0), COALESCE(quiet_from, -1), "
			 "COALESCE(quiet_until, -1), quiet_min_severity, categories, ticket_events, "
			 "alerts FROM notify_routes "
			 "WHERE id = ? AND "
			 "(? = 0 OR tenant_id = ?)",
			 VG_PARAMS(VG_P_INT(id), VG_P_INT(ctx->tenant_id), VG_P_INT(ctx->tenant_id)),
			 &r, err);
	if (rc)
		return rc;
	rc = vg_rows_next(r, err);
	if (rc == 1) {
		out->tenant_id = vg_rows_int(r, 0);
		out->channel_id = vg_rows_int(r, 1);
		snprintf(out->name, sizeof(out->name), "%s", vg_rows_text(r, 2));
		snprintf(out->language, sizeof(out->language), "%s", vg_rows_text(r, 3));
		out->min_severity = (int)vg_rows_int(r, 4);
		out->aggregate_minutes = (int)vg_rows_int(r, 5);
		out->enabled = (int)vg_rows_int(r, 6);
		out->sources = strdup(vg_rows_text(r, 7));
		out->rules = strdup(vg_rows_text(r, 8));
		out->escalate_after_minutes = (int)vg_rows_int(r, 9);
		out->escalate_channel_id = vg_rows_int(r, 10);
		out->quiet_from = (int)vg_rows_int(r, 11);
		out->quiet_until = (int)vg_rows_int(r, 12);
		out->quiet_min_severity = (int)vg_rows_int(r, 13);
		out->categories = strdup(vg_rows_text(r, 14));
		out->ticket_events = strdup(vg_rows_text(r, 15));
		out->alerts = (int)vg_rows_int(r, 16);
		rc = out->sources && out->rules && out->categories && out->ticket_events ? VG_OK
						: vg_error_set(err, VG_ENOMEM, "out of memory");
	} else if (rc == 0) {
		rc = vg_error_set(err, VG_ENOTFOUND, "no such route");
	}
	vg_rows_free(r);
	if (rc)
		route_release(out);
	return rc;
}

/* "HH:MM" into minutes of the day; -1 when it is not a time of day. */
static int clock_minutes(const char *s)
{
	if (strlen(s) != 5 || s[2] != ':' || !strchr("012", s[0]) || s[1] < '0' || s[1] > '9' ||
	    s[3] < '0' || s[3] > '5' || s[4] < '0' || s[4] > '9')
		return -1;
	if ((s[0] - '0') * 10 + (s[1] - '0') > 23)
		return -1;
	return ((s[0] - '0') * 10 + (s[1] - '0')) * 60 + (s[3] - '0') * 10 + (s[4] - '0');
}

static int apply_quiet(route *r, const vg_route_fields *in, vg_error *err)
{
	if (in->quiet_min_severity) {
		if (in->quiet_min_severity < 1 || in->quiet_min_severity > 6)
			return vg_error_set(err, VG_EINVAL, "quiet_min_severity must be 1 to 6");
		r->quiet_min_severity = in->quiet_min_severity;
	}
	if (!in->set_quiet)
		return VG_OK;
	if (!in->quiet_from != !in->quiet_until)
		return vg_error_set(err, VG_EINVAL, "quiet hours need quiet_from and quiet_until");
	r->quiet_from = in->quiet_from ? clock_minutes(in->quiet_from) : -1;
	r->quiet_until = in->quiet_until ? clock_minutes(in->quiet_until) : -1;
	if (in->quiet_from && (r->quiet_from < 0 || r->quiet_until < 0))
		return vg_error_set(err, VG_EINVAL, "quiet_from and quiet_until are times HH:MM");
	if (in->quiet_from && r->quiet_from == r->quiet_until)
		return vg_error_set(err, VG_EINVAL, "quiet hours must not start when they end");
	return VG_OK;
}

/* *json becomes the JSON array of the n texts (NULL when out of memory). */
static void replace_list(char **json, const char *const *texts, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(texts[i]));
	free(*json);
	*json = json_dumps(a, JSON_COMPACT);
	json_decref(a);
}

/* The fields of in laid over r, checked. */
static int apply(vg_tx *tx, const vg_ctx *ctx, route *r, const vg_route_fields *in,
		 vg_error *err)
{
	int64_t owner;
	int rc;

	if (in->name) {
		if (!*in->name || strlen(in->name) >= sizeof(r->name))
			return vg_error_set(err, VG_EINVAL, "name must be 1 to %zu bytes",
					    sizeof(r->name) - 1);
		snprintf(r->name, sizeof(r->name), "%s", in->name);
	}
	if (in->min_severity) {
		if (in->min_severity < 1 || in->min_severity > 6)
			return vg_error_set(err, VG_EINVAL, "min_severity must be 1 to 6");
		r->min_severity = in->min_severity;
	}
	if (in->aggregate_minutes >= 0) {
		if (in->aggregate_minutes > 1440)
			return vg_error_set(err, VG_EINVAL, "aggregate_minutes must be 0 to 1440");
		r->aggregate_minutes = in->aggregate_minutes;
	}
	if (in->language) {
		if (strcmp(in->language, "zh-CN") != 0 && strcmp(in->language, "en") != 0)
			return vg_error_set(err, VG_EINVAL, "language must be zh-CN or en");
		snprintf(r->language, sizeof(r->language), "%s", in->language);
	}
	if (in->enabled >= 0)
		r->enabled = in->enabled != 0;
	rc = apply_quiet(r, in, err);
	if (rc)
		return rc;
	if (in->escalate_after_minutes >= 0) {
		if (in->escalate_after_minutes > 10080)
			return vg_error_set(err, VG_EINVAL, "escalate_after_minutes must be 0 to 10080");
		r->escalate_after_minutes = in->escalate_after_minutes;
	}
	if (in->set_escalate)
		r->escalate_channel_id = in->escalate_channel_id;
	if (r->escalate_after_minutes && !r->escalate_channel_id)
		return vg_error_set(err, VG_EINVAL, "escalate_after_minutes needs escalate_channel_id");
	if (in->set_sources) {
		json_t *a = json_array();

		for (size_t i = 0; i < in->nsources; i++)
			json_array_append_new(a, json_integer(in->sources[i]));
		free(r->sources);
		r->sources = json_dumps(a, JSON_COMPACT);
		json_decref(a);
	}
	if (in->set_rules)
		replace_list(&r->rules, in->rules, in->nrules);
	if (in->set_categories)
		replace_list(&r->categories, in->categories, in->ncategories);
	if (in->alerts >= 0)
		r->alerts = in->alerts != 0;
	for (size_t i = 0; in->set_ticket_events && i < in->nticket_events; i++) {
		const char *k = in->ticket_events[i];

		if (strcmp(k, "created") && strcmp(k, "sla_warning") && strcmp(k, "sla_breach") &&
		    strcmp(k, "escalated") && strcmp(k, "quota_warning") &&
		    strcmp(k, "quota_exceeded"))
			return vg_error_set(err, VG_EINVAL,
					    "ticket_events are created, sla_warning, sla_breach, "
					    "escalated, quota_warning and quota_exceeded");
	}
	if (in->set_ticket_events)
		replace_list(&r->ticket_events, in->ticket_events, in->nticket_events);
	if (!r->sources || !r->rules || !r->categories || !r->ticket_events)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	if (in->channel_id)
		r->channel_id = in->channel_id;
	/* The channel must be one the caller sees, of the route's own owner. */
	rc = vg_tx_query_int(tx,
			     "SELECT tenant_id FROM channels WHERE id = ? AND (? = 0 OR tenant_id = ?)",
			     VG_PARAMS(VG_P_INT(r->channel_id), VG_P_INT(ctx->tenant_id),
				       VG_P_INT(ctx->tenant_id)),
			     &owner, err);
	if (rc == VG_ENOTFOUND || (rc == VG_OK && owner != r->tenant_id))
		return vg_error_set(err, VG_ENOTFOUND, "no such channel for this route's owner");
	if (rc || !r->escalate_channel_id)
		return rc;
	rc = vg_tx_query_int(tx,
			     "SELECT tenant_id FROM channels WHERE id = ? AND (? = 0 OR tenant_id = ?)",
			     VG_PARAMS(VG_P_INT(r->escalate_channel_id), VG_P_INT(ctx->tenant_id),
				       VG_P_INT(ctx->tenant_id)),
			     &owner, err);
	if (rc == VG_ENOTFOUND || (rc == VG_OK && owner != r->tenant_id))
		return vg_error_set(err, VG_ENOTFOUND,
				    "no such escalation channel for this route's owner");
	return rc;
}

static vg_param quiet_param(int minutes)
{
	return minutes < 0 ? VG_P_NULL : VG_P_INT(minutes);
}

int vg_route_create(vg_tx *tx, const vg_ctx *ctx, const vg_route_fields *in, int64_t *id_out,
		    vg_error *err)
{
	route r = { .tenant_id = in->tenant_id, .min_severity = 1, .enabled = 1, .quiet_from = -1,
		    .quiet_until = -1, .quiet_min_severity = 5, .alerts = 1 };
	int64_t now = vg_time_now_ms();
	vg_tenant t;
	int rc;

	*id_out = 0;
	if (!in->name || !in->channel_id)
		return vg_error_set(err, VG_EINVAL, "missing field \"%s\"",
				    in->name ? "channel_id" : "name");
	if (!in->tenant_id && ctx->tenant_id)
		return vg_error_set(err, VG_EPERM, "only staff keep the MSSP's routes");
	if (in->tenant_id) {
		rc = vg_tenant_get(tx, ctx, in->tenant_id, &t, err);
		if (rc)
			return rc;
		vg_tenant_release(&t);
	}
	snprintf(r.language, sizeof(r.language), "zh-CN");
	r.sources = strdup("[]");
	r.rules = strdup("[]");
	r.categories = strdup("[]");
	r.ticket_events = strdup("[]");
	rc = apply(tx, ctx, &r, in, err);
	if (!rc)
		rc = vg_tx_query_int(
			tx,
			"INSERT INTO notify_routes (tenant_id, name, channel_id, min_severity, sources, "
			"rules, aggregate_minutes, language, escalate_after_minutes, "
			"escalate_channel_id, enabled, created_at, updated_at, quiet_from, quiet_until, "
			"quiet_min_severity, categories, ticket_events, alerts) VALUES "
			"(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
			VG_PARAMS(VG_P_INT(r.tenant_id), VG_P_TEXT(r.name), VG_P_INT(r.channel_id),
				  VG_P_INT(r.min_severity), VG_P_TEXT(r.sources), VG_P_TEXT(r.rules),
				  VG_P_INT(r.aggregate_minutes), VG_P_TEXT(r.language),
				  VG_P_INT(r.escalate_after_minutes),
				  VG_P_ID_OR_NULL(r.escalate_channel_id), VG_P_INT(r.enabled),
				  VG_P_INT(now), VG_P_INT(now), quiet_param(r.quiet_from),
				  quiet_param(r.quiet_until), VG_P_INT(r.quiet_min_severity),
				  VG_P_TEXT(r.categories), VG_P_TEXT(r.ticket_events), VG_P_INT(r.alerts)),
			id_out, err);
	if (rc == VG_EEXIST)
		rc = vg_error_set(err, VG_EEXIST, "the tenant has a route named \"%s\"", r.name);
	route_release(&r);
	return rc;
}

int vg_route_update(vg_tx *tx, const vg_ctx *ctx, int64_t id, const vg_route_fields *in,
		    int64_t *tenant_id, vg_error *err)
{
	route r;
	int rc = route_load(tx, ctx, id, &r, err);

	*tenant_id = 0;
	if (rc)
		return rc;
	*tenant_id = r.tenant_id;
	rc = apply(tx, ctx, &r, in, err);
	/* A changed route starts a fresh aggregation window. */
	if (!rc)
		rc = vg_tx_exec(tx,
				"UPDATE notify_routes SET name = ?, channel_id = ?, min_severity = ?, "
				"sources = ?, rules = ?, aggregate_minutes = ?, language = ?, "
				"escalate_after_minutes = ?, escalate_channel_id = ?, enabled = ?, "
				"quiet_from = ?, quiet_until = ?, quiet_min_severity = ?, categories = ?, "
				"ticket_events = ?, alerts = ?, "
				"window_end = 0, digest_id = NULL, updated_at = ? WHERE id = ?",
				VG_PARAMS(VG_P_TEXT(r.name), VG_P_INT(r.channel_id),
					  VG_P_INT(r.min_severity), VG_P_TEXT(r.sources),
					  VG_P_TEXT(r.rules), VG_P_INT(r.aggregate_minutes),
					  VG_P_TEXT(r.language), VG_P_INT(r.escalate_after_minutes),
					  VG_P_ID_OR_NULL(r.escalate_channel_id), VG_P_INT(r.enabled),
					  quiet_param(r.quiet_from), quiet_param(r.quiet_until),
					  VG_P_INT(r.quiet_min_severity), VG_P_TEXT(r.categories),
					  VG_P_TEXT(r.ticket_events), VG_P_INT(r.alerts),
					  VG_P_INT(vg_time_now_ms()),
					  VG_P_INT(id)),
				NULL, err);
	if (rc == VG_EEXIST)
		rc = vg_error_set(err, VG_EEXIST, "the tenant has a route named \"%s\"", r.name);
	route_release(&r);
	return rc;
}

int vg_route_delete(vg_tx *tx, const vg_ctx *ctx, int64_t id, int64_t *tenant_id,
		    vg_error *err)
{
	int rc = vg_tx_query_int(
		tx, "SELECT tenant_id FROM notify_routes WHERE id = ? AND (? = 0 OR tenant_id = ?)",
		VG_PARAMS(VG_P_INT(id), VG_P_INT(ctx->tenant_id), VG_P_INT(ctx->tenant_id)), tenant_id,
		err);

	if (rc == VG_ENOTFOUND)
		return vg_error_set(err, VG_ENOTFOUND, "no such route");
	if (rc)
		return rc;
	return vg_tx_exec(tx, "DELETE FROM notify_routes WHERE id = ?", VG_PARAMS(VG_P_INT(id)),
			  NULL, err);
}
