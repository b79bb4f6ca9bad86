/* queue.c - routing alerts into deliveries, and sending them (see queue.h). */
#include "notify/queue.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alerts/alerts.h"
#include "core/buf.h"
#include "core/map.h"
#include "core/tz.h"
#include "core/xalloc.h"
#include "itsm/tickets.h"
#include "notify/channels.h"
#include "notify/internal.h"
#include "ops/tenant.h"

#define DIGEST_LINES_MAX 50
#define RETRY_WAIT_MAX_MS (3600 * 1000)
#define SENT_LOG 100 /* the most any vendor allows a minute */

/* ---- routing ---- */

typedef struct route {
	int64_t id, tenant_id, channel_id, window_end, digest_id, escalate_channel_id;
	int min_severity, aggregate_minutes, escalate_after_minutes;
	int quiet_from, quiet_until, quiet_min_severity; /* minutes of the day; -1: none */
	char language[8], channel_name[256], escalate_channel_name[256];
	char timezone[64]; /* its owner's */
	json_t *sources, *rules, *categories, *ticket_events;
	bool alerts; /* false: ticket events only */
	bool changed;
} route;

static int load_routes(vg_tx *tx, const char *mssp_zone, route **out, size_t *n, vg_error *err)
{
	vg_rows *r;
	int rc = vg_tx_query(tx,
			     "SELECT r.id, r.tenant_id, r.channel_id, r.min_severity, r.sources, "
			     "r.rules, r.aggregate_minutes, r.language, r.window_end, "
			     "COALESCE(r.digest_id, 0), c.name, r.escalate_after_minutes, "
			     "COALESCE(e.id, 0), COALESCE(e.name, ''), COALESCE(r.quiet_from, -1), "
			     "COALESCE(r.quiet_until, -1), r.quiet_min_severity, "
			     "COALESCE(t.timezone, ?), r.categories, r.ticket_events, r.alerts "
			     "FROM notify_routes r "
			     "JOIN channels c ON c.id = r.channel_id LEFT JOIN channels e "
			     "ON e.id = r.escalate_channel_id AND e.enabled = 1 "
			     "LEFT JOIN tenants t ON t.id = r.tenant_id "
			     "WHERE r.enabled = 1 AND c.enabled = 1 ORDER BY r.id",
			     VG_PARAMS(VG_P_TEXT(mssp_zone)), &r, err);

	*out = NULL;
	*n = 0;
	if (rc)
		return rc;
	while ((rc = vg_rows_next(r, err)) == 1) {
		route *grown = realloc(*out, (*n + 1) * sizeof(**out)), *x;

		if (!grown) {
			rc = vg_error_set(err, VG_ENOMEM, "out of memory routing alerts");
			break;
		}
		*out = grown;
		x = &grown[(*n)++];
		*x = (route){ .id = vg_rows_int(r, 0),
			      .tenant_id = vg_rows_int(r, 1),
			      .channel_id = vg_rows_int(r, 2),
			      .min_severity = (int)vg_rows_int(r, 3),
			      .sources = json_loads(vg_rows_text(r, 4), 0, NULL),
			      .rules = json_loads(vg_rows_text(r, 5), 0, NULL),
			      .aggregate_minutes = (int)vg_rows_int(r, 6),
			      .window_end = vg_rows_int(r, 8),
			      .digest_id = vg_rows_int(r, 9),
			      .escalate_after_minutes = (int)vg_rows_int(r, 11),
			      .escalate_channel_id = vg_rows_int(r, 12),
			      .quiet_from = (int)vg_rows_int(r, 14),
			      .quiet_until = (int)vg_rows_int(r, 15),
			      .quiet_min_severity = (int)vg_rows_int(r, 16),
			      .categories = json_loads(vg_rows_text(r, 18), 0, NULL),
			      .ticket_events = json_loads(vg_rows_text(r, 19), 0, NULL),
			      .alerts = vg_rows_int(r, 20) != 0 };
		snprintf(x->timezone, sizeof(x->timezone), "%s", vg_rows_text(r, 17));
		snprintf(x->language, sizeof(x->language), "%s", vg_rows_text(r, 7));
		snprintf(x->channel_name, sizeof(x->channel_name), "%s", vg_rows_text(r, 10));
		snprintf(x->escalate_channel_name, sizeof(x->escalate_channel_name), "%s",
			 vg_rows_text(r, 13));
	}
	vg_rows_free(r);
	return rc < 0 ? rc : VG_OK;
}

static void free_routes(route *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		json_decref(v[i].sources);
		json_decref(v[i].rules);
		json_decref(v[i].categories);
		json_decref(v[i].ticket_events);
	}
	free(v);
}

static bool listed_int(const json_t *list, json_int_t v)
{
	size_t i;
	json_t *x;

	json_array_foreach(list, i, x)
		if (json_integer_value(x) == v)
			return true;
	return false;
}

static bool listed_text(const json_t *list, const char *s)
{
	size_t i;
	json_t *x;

	if (!s)
		return false;
	json_array_foreach(list, i, x)
		if (json_is_string(x) && strcmp(json_string_value(x), s) == 0)
			return true;
	return false;
}

static bool route_takes(const route *r, const json_t *alert)
{
	json_int_t tenant = json_integer_value(json_object_get(alert, "tenant_id"));
	json_t *source = json_object_get(alert, "source_id");
	const char *rule = json_string_value(json_object_get(json_object_get(alert, "rule"), "id"));

	return r->alerts && (r->tenant_id == 0 || r->tenant_id == tenant) &&
	       json_integer_value(json_object_get(alert, "severity_id")) >= r->min_severity &&
	       (json_array_size(r->sources) == 0 ||
		(json_is_integer(source) && listed_int(r->sources, json_integer_value(source)))) &&
	       (json_array_size(r->rules) == 0 || listed_text(r->rules, rule)) &&
	       (json_array_size(r->categories) == 0 ||
		listed_text(r->categories,
			    json_string_value(json_object_get(alert, "category"))));
}

/* A tenant's name for messages, looked up once per routing pass. */
static const char *tenant_name(vg_tx *tx, vg_map *names, int64_t id)
{
	vg_ctx system = vg_ctx_system();
	int created;
	vg_map_entry *e = vg_map_put(names, &id, sizeof(id), &created);
	vg_tenant t;
	vg_error ignored = { 0 };

	if (!e)
		return "?";
	if (!e->value) {
		e->value = vg_tenant_get(tx, &system, id, &t, &ignored) == VG_OK ? strdup(t.name)
										   : strdup("?");
		if (e->value)
			vg_tenant_release(&t);
	}
	return e->value ? e->value : "?";
}

/* The alert again, to the route's escalation channel, once its minutes
 * are up: sent only if nobody acknowledged it by then. */
static int queue_escalation(vg_tx *tx, const vg_notify_settings *s, const route *r,
			    const json_t *alert, const char *tenant, int64_t now, vg_error *err)
{
	vg_buf title = VG_BUF_INIT(SIZE_MAX), text = VG_BUF_INIT(SIZE_MAX);
	int rc;

	if (!r->escalate_after_minutes || !r->escalate_channel_id)
		return VG_OK;
	rc = vg__notify_escalation_title(alert, r->language, &title);
	if (!rc)
		rc = vg__notify_escalation_note(r->escalate_after_minutes, r->language, &text);
	if (!rc)
		rc = vg__notify_alert_text(alert, tenant, r->language, s->public_url, &text);
	if (rc)
		rc = vg_error_set(err, VG_ENOMEM, "out of memory writing a notification");
	else
		rc = vg_tx_exec(
			tx,
			"INSERT INTO deliveries (tenant_id, channel_id, channel_name, route_id, kind, "
			"alert_id, title, text, next_at, created_at) VALUES (?, ?, ?, ?, 'escalation', ?, "
			"?, ?, ?, ?)",
			VG_PARAMS(VG_P_INT(r->tenant_id), VG_P_INT(r->escalate_channel_id),
				  VG_P_TEXT(r->escalate_channel_name), VG_P_INT(r->id),
				  VG_P_INT(json_integer_value(json_object_get(alert, "id"))),
				  VG_P_TEXT(vg_buf_cstr(&title)), VG_P_TEXT(vg_buf_cstr(&text)),
				  VG_P_INT(now + (int64_t)r->escalate_after_minutes * 60000),
				  VG_P_INT(now)),
			NULL, err);
	vg_buf_release(&title);
	vg_buf_release(&text);
	return rc;
}

/*
 * When the route's quiet hours hold the alert back: the end of the quiet
 * hours now is in, or 0 when it may go (no quiet hours, not in them, or
 * severe enough to go through them). A zone the database does not know
 * keeps nothing back: a message at night beats a lost one.
 */
static int64_t quiet_until(const route *r, const json_t *alert, int64_t now)
{
	int offset, minute, wait;

	if (r->quiet_from < 0 ||
	    json_integer_value(json_object_get(alert, "severity_id")) >= r->quiet_min_severity ||
	    vg_tz_offset(r->timezone, now, &offset, NULL))
		return 0;
	minute = (int)((((now / 60000 + offset) % 1440) + 1440) % 1440);
	if (r->quiet_from < r->quiet_until ? minute < r->quiet_from || minute >= r->quiet_until
					   : minute < r->quiet_from && minute >= r->quiet_until)
		return 0;
	wait = (r->quiet_until - minute + 1440) % 1440;
	/* From the start of this minute, so the release is on the minute. */
	return (now / 60000 + wait) * 60000;
}

static int queue_alert(vg_tx *tx, const vg_notify_settings *s, route *r, const json_t *alert,
		       const char *tenant, int64_t now, vg_error *err)
{
	int64_t held = quiet_until(r, alert, now);
	vg_buf title = VG_BUF_INIT(SIZE_MAX), text = VG_BUF_INIT(SIZE_MAX);
	int64_t alert_id = json_integer_value(json_object_get(alert, "id"));
	bool digest = r->aggregate_minutes > 0 && now < r->window_end;
	int rc;

	if (digest && r->digest_id) {
		rc = vg__notify_digest_line(alert, tenant, r->language, &text);
		if (!rc)
			rc = vg_tx_exec(tx,
					"UPDATE deliveries SET alerts = alerts + 1, "
					"text = CASE WHEN alerts < ? THEN text || ? ELSE text END "
					"WHERE id = ? AND state = 'pending'",
					VG_PARAMS(VG_P_INT(DIGEST_LINES_MAX), VG_P_TEXT(vg_buf_cstr(&text)),
						  VG_P_INT(r->digest_id)),
					NULL, err);
		vg_buf_release(&text);
		return rc;
	}
	if (digest) {
		rc = vg__notify_digest_title(0, r->aggregate_minutes, r->language, &title);
		if (!rc)
			rc = vg__notify_digest_line(alert, tenant, r->language, &text);
	} else {
		rc = vg__notify_alert_title(alert, r->language, &title);
		if (!rc)
			rc = vg__notify_alert_text(alert, tenant, r->language, s->public_url, &text);
	}
	if (rc) {
		rc = vg_error_set(err, VG_ENOMEM, "out of memory writing a notification");
	} else {
		int64_t id;

		rc = vg_tx_query_int(
			tx,
			"INSERT INTO deliveries (tenant_id, channel_id, channel_name, route_id, kind, "
			"alert_id, title, text, next_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
			"?) RETURNING id",
			VG_PARAMS(VG_P_INT(r->tenant_id), VG_P_INT(r->channel_id),
				  VG_P_TEXT(r->channel_name), VG_P_INT(r->id),
				  VG_P_TEXT(digest ? "digest" : "alert"), VG_P_INT(alert_id),
				  VG_P_TEXT(vg_buf_cstr(&title)), VG_P_TEXT(vg_buf_cstr(&text)),
				  VG_P_INT(held > (digest ? r->window_end : now)
						   ? held
						   : (digest ? r->window_end : now)),
				  VG_P_INT(now)),
			&id, err);
		if (rc == VG_OK && digest) {
			r->digest_id = id;
			r->changed = true;
		} else if (rc == VG_OK && r->aggregate_minutes > 0) {
			/* The first alert of a window: the next ones wait for its end. */
			r->window_end = now + (int64_t)r->aggregate_minutes * 60000;
			r->digest_id = 0;
			r->changed = true;
		}
	}
	vg_buf_release(&title);
	vg_buf_release(&text);
	return rc;
}

static void free_names(vg_map *names)
{
	size_t it = 0;
	vg_map_entry *e;

	while ((e = vg_map_next(names, &it)) != NULL)
		free(e->value);
	vg_map_release(names);
}

/* Ends a routing pass begun with tx: on success (rc VG_OK) moves the cursor
 * (cursor_sql, one parameter) to last and commits, else rolls back. */
static int finish_routing(vg_tx *tx, int rc, const char *cursor_sql, int64_t last,
			  vg_error *err)
{
	if (!rc)
		rc = vg_tx_exec(tx, cursor_sql, VG_PARAMS(VG_P_INT(last)), NULL, err);
	if (!rc)
		return vg_tx_commit(tx, err);
	vg_tx_rollback(tx);
	return rc;
}

int vg_notify_route_alerts(vg_store *store, const vg_notify_settings *s, int64_t now, int limit,
			   size_t *seen, size_t *queued, vg_error *err)
{
	vg_map names = VG_MAP_INIT;
	json_t *alerts = NULL, *alert;
	route *routes = NULL;
	size_t nroutes = 0, i;
	int64_t cursor, last;
	vg_tx *tx;
	int rc = vg_tx_begin(store, true, &tx, err);

	*seen = *queued = 0;
	if (rc)
		return rc;
	rc = vg_tx_query_int(tx, "SELECT last_alert_id FROM notify_cursor WHERE id = 1",
			     VG_NO_PARAMS, &cursor, err);
	if (!rc)
		rc = vg_alerts_after(tx, cursor, limit, &alerts, &last, err);
	if (!rc && json_array_size(alerts) == 0) {
		json_decref(alerts);
		vg_tx_rollback(tx);
		return VG_OK;
	}
	if (!rc)
		rc = load_routes(tx, s->timezone ? s->timezone : "UTC", &routes, &nroutes, err);
	json_array_foreach(alerts, i, alert)
	{
		for (size_t k = 0; !rc && k < nroutes; k++) {
			if (!route_takes(&routes[k], alert))
				continue;
			const char *tenant = tenant_name(
				tx, &names, json_integer_value(json_object_get(alert, "tenant_id")));

			rc = queue_alert(tx, s, &routes[k], alert, tenant, now, err);
			if (!rc)
				rc = queue_escalation(tx, s, &routes[k], alert, tenant, now, err);
			if (!rc)
				(*queued)++;
		}
		if (rc)
			break;
	}
	for (i = 0; !rc && i < nroutes; i++)
		if (routes[i].changed)
			rc = vg_tx_exec(tx,
					"UPDATE notify_routes SET window_end = ?, digest_id = ? WHERE id = ?",
					VG_PARAMS(VG_P_INT(routes[i].window_end),
						  VG_P_ID_OR_NULL(routes[i].digest_id),
						  VG_P_INT(routes[i].id)),
					NULL, err);
	rc = finish_routing(tx, rc, "UPDATE notify_cursor SET last_alert_id = ? WHERE id = 1", last,
			    err);
	if (rc)
		*queued = 0;
	else
		*seen = json_array_size(alerts);
	json_decref(alerts);
	free_routes(routes, nroutes);
	free_names(&names);
	return rc;
}

/* ---- ticket events ---- */

/* An event with what it stored: the explanation of an SLA event
 * ("text") and whom an escalation is for ("recipients"). */
static json_t *event_json(vg_rows *r, void *unused)
{
	json_t *detail = json_loads(vg_rows_text(r, 9), 0, NULL);
	json_t *recipients = json_loads(vg_rows_text(r, 10), 0, NULL), *o;
	const char *text = json_string_value(json_object_get(detail, "text"));
	char ref[32];

	(void)unused;
	vg_ticket_ref(vg_rows_text(r, 5), vg_rows_int(r, 4), ref);
	o = json_pack("{s:I, s:I, s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:s?, s:o}", "id",
		      (json_int_t)vg_rows_int(r, 0), "tenant_id", (json_int_t)vg_rows_int(r, 1),
		      "kind", vg_rows_text(r, 2), "clock", vg_rows_text(r, 3), "ticket_id",
		      (json_int_t)vg_rows_int(r, 4), "type", vg_rows_text(r, 5), "ref", ref,
		      "title", vg_rows_text(r, 6), "priority", vg_rows_text(r, 7), "state",
		      vg_rows_text(r, 8), "text", text, "recipients",
		      json_is_array(recipients) ? json_incref(recipients) : json_array());
	json_decref(detail);
	json_decref(recipients);
	return o;
}

static int queue_ticket_event(vg_tx *tx, const vg_notify_settings *s, const route *r,
			      const json_t *event, const char *tenant, int64_t now, vg_error *err)
{
	vg_buf title = VG_BUF_INIT(SIZE_MAX), text = VG_BUF_INIT(SIZE_MAX);
	long long ticket = (long long)json_integer_value(json_object_get(event, "ticket_id"));
	char message_id[96], thread[64];
	int rc = vg__notify_ticket_title(event, r->language, &title);

	/* By email, everything told of one ticket is one thread: each message
	 * refers to the same (unsent) root. */
	snprintf(message_id, sizeof(message_id), "vigil.%lld.event%lld.route%lld@vigil", ticket,
		 (long long)json_integer_value(json_object_get(event, "id")), (long long)r->id);
	snprintf(thread, sizeof(thread), "<vigil.%lld@vigil>", ticket);
	if (!rc)
		rc = vg__notify_ticket_text(event, tenant, r->language, s->public_url, &text);
	if (rc)
		rc = vg_error_set(err, VG_ENOMEM, "out of memory writing a notification");
	else
		rc = vg_tx_exec(
			tx,
			"INSERT INTO deliveries (tenant_id, channel_id, channel_name, route_id, kind, "
			"ticket_id, alerts, title, text, next_at, created_at, message_id, in_reply_to, "
			"mail_references) VALUES (?, ?, ?, ?, 'ticket', ?, 0, ?, ?, ?, ?, ?, ?, ?)",
			VG_PARAMS(VG_P_INT(r->tenant_id), VG_P_INT(r->channel_id),
				  VG_P_TEXT(r->channel_name), VG_P_INT(r->id), VG_P_INT(ticket),
				  VG_P_TEXT(vg_buf_cstr(&title)), VG_P_TEXT(vg_buf_cstr(&text)),
				  VG_P_INT(now), VG_P_INT(now), VG_P_TEXT(message_id), VG_P_TEXT(thread),
				  VG_P_TEXT(thread)),
			NULL, err);
	vg_buf_release(&title);
	vg_buf_release(&text);
	return rc;
}

int vg_notify_route_ticket_events(vg_store *store, const vg_notify_settings *s, int64_t now,
				  int limit, size_t *seen, size_t *queued, vg_error *err)
{
	vg_map names = VG_MAP_INIT;
	json_t *events = NULL, *event;
	route *routes = NULL;
	size_t nroutes = 0, i;
	int64_t cursor, last;
	vg_tx *tx;
	int rc = vg_tx_begin(store, true, &tx, err);

	*seen = *queued = 0;
	if (rc)
		return rc;
	rc = vg_tx_query_int(tx, "SELECT last_ticket_event_id FROM notify_cursor WHERE id = 1",
			     VG_NO_PARAMS, &cursor, err);
	if (!rc)
		rc = vg_tx_query_list(
			tx,
			"SELECT e.id, e.tenant_id, e.kind, e.clock, t.id, t.type, t.title, "
			"t.priority, t.state, e.detail, e.recipients FROM ticket_events e "
			"JOIN tickets t ON t.id = e.ticket_id WHERE e.id > ? ORDER BY e.id "
			"LIMIT ?",
			VG_PARAMS(VG_P_INT(cursor), VG_P_INT(limit)), event_json, NULL, &events,
			&last, err);
	if (!rc && json_array_size(events) == 0) {
		json_decref(events);
		vg_tx_rollback(tx);
		return VG_OK;
	}
	if (!rc)
		rc = load_routes(tx, s->timezone ? s->timezone : "UTC", &routes, &nroutes, err);
	json_array_foreach(events, i, event)
	{
		json_int_t tenant = json_integer_value(json_object_get(event, "tenant_id"));

		for (size_t k = 0; !rc && k < nroutes; k++) {
			if ((routes[k].tenant_id && routes[k].tenant_id != tenant) ||
			    !listed_text(routes[k].ticket_events,
					 json_string_value(json_object_get(event, "kind"))))
				continue;
			rc = queue_ticket_event(tx, s, &routes[k], event,
						tenant_name(tx, &names, tenant), now, err);
			if (!rc)
				(*queued)++;
		}
		if (rc)
			break;
	}
	rc = finish_routing(tx, rc, "UPDATE notify_cursor SET last_ticket_event_id = ? WHERE id = 1",
			    last, err);
	if (rc)
		*queued = 0;
	else
		*seen = json_array_size(events);
	json_decref(events);
	free_routes(routes, nroutes);
	free_names(&names);
	return rc;
}

/* ---- rate limits ---- */

typedef struct sent_log {
	int64_t channel_id;
	int64_t at[SENT_LOG]; /* ring of the latest sends */
	size_t n, next;
	int64_t held_until;   /* its due deliveries wait until then */
	int64_t held_at;      /* the pass (its now) that last postponed them */
} sent_log;

struct vg_notify_sender {
	sent_log *logs;
	size_t n;
};

vg_notify_sender *vg_notify_sender_new(void)
{
	return calloc(1, sizeof(vg_notify_sender));
}

void vg_notify_sender_free(vg_notify_sender *q)
{
	if (q)
		free(q->logs);
	free(q);
}

/* Sends a minute and a second each channel type takes (0: no cap). */
static void rate_of(enum vg_notify_type type, int *per_minute, int *per_second)
{
	static const int limits[VG_NOTIFY_NTYPES][2] = {
		[VG_NOTIFY_WECOM] = { 20, 0 },  [VG_NOTIFY_DINGTALK] = { 20, 0 },
		[VG_NOTIFY_FEISHU] = { 100, 5 }, [VG_NOTIFY_SLACK] = { 0, 1 },
		[VG_NOTIFY_WEBHOOK] = { 0, 10 }, [VG_NOTIFY_EMAIL] = { 0, 1 },
	};

	*per_minute = limits[type][0];
	*per_second = limits[type][1];
}

static sent_log *log_of(vg_notify_sender *q, int64_t channel_id)
{
	sent_log *grown;

	for (size_t i = 0; i < q->n; i++)
		if (q->logs[i].channel_id == channel_id)
			return &q->logs[i];
	grown = realloc(q->logs, (q->n + 1) * sizeof(*q->logs));
	if (!grown)
		return NULL;
	q->logs = grown;
	memset(&q->logs[q->n], 0, sizeof(q->logs[q->n]));
	q->logs[q->n].channel_id = channel_id;
	return &q->logs[q->n++];
}

/* 0 when the channel may send at now, else how long to wait (ms). */
static int64_t rate_wait(const sent_log *l, enum vg_notify_type type, int64_t now)
{
	int per_minute, per_second, in_minute = 0, in_second = 0;
	int64_t oldest_minute = now, oldest_second = now;

	rate_of(type, &per_minute, &per_second);
	for (size_t i = 0; i < l->n; i++) {
		int64_t at = l->at[i];

		if (at > now - 60000) {
			in_minute++;
			oldest_minute = at < oldest_minute ? at : oldest_minute;
		}
		if (at > now - 1000) {
			in_second++;
			oldest_second = at < oldest_second ? at : oldest_second;
		}
	}
	if (per_minute && in_minute >= per_minute)
		return oldest_minute + 60000 - now;
	if (per_second && in_second >= per_second)
		return oldest_second + 1000 - now;
	return 0;
}

static void rate_note(sent_log *l, int64_t now)
{
	l->at[l->next] = now;
	l->next = (l->next + 1) % SENT_LOG;
	if (l->n < SENT_LOG)
		l->n++;
}

/* ---- sending ---- */

typedef struct due {
	int64_t id, tenant_id, channel_id, alert_id, alerts;
	int attempts, window_minutes;
	char kind[16], language[8];
	char *title, *text;
	char *recipient, *message_id, *in_reply_to, *references; /* NULL: none */
} due;

static char *text_or_null(vg_rows *r, int col)
{
	return vg_rows_text(r, col) ? vg_xstrdup(vg_rows_text(r, col)) : NULL;
}

static int load_due(vg_store *store, int64_t now, size_t max, due **out, size_t *n,
		    vg_error *err)
{
	vg_tx *tx;
	vg_rows *r;
	int rc = vg_tx_begin(store, false, &tx, err);

	*out = NULL;
	*n = 0;
	if (rc)
		return rc;
	rc = vg_tx_query(
		tx,
		"SELECT d.id, d.tenant_id, COALESCE(d.channel_id, 0), COALESCE(d.alert_id, 0), "
		"d.alerts, d.attempts, d.kind, d.title, d.text, COALESCE(r.language, 'zh-CN'), "
		"COALESCE(r.aggregate_minutes, 0), d.recipient, d.message_id, d.in_reply_to, "
		"d.mail_references FROM deliveries d LEFT JOIN notify_routes r "
		"ON r.id = d.route_id WHERE d.state = 'pending' AND d.next_at <= ? "
		"ORDER BY d.next_at, d.id LIMIT ?",
		VG_PARAMS(VG_P_INT(now), VG_P_INT((int64_t)max)), &r, err);
	if (rc) {
		vg_tx_rollback(tx);
		return rc;
	}
	while ((rc = vg_rows_next(r, err)) == 1) {
		due *grown = realloc(*out, (*n + 1) * sizeof(**out)), *d;

		if (!grown) {
			rc = vg_error_set(err, VG_ENOMEM, "out of memory sending notifications");
			break;
		}
		*out = grown;
		d = &grown[(*n)++];
		*d = (due){ .id = vg_rows_int(r, 0), .tenant_id = vg_rows_int(r, 1),
			    .channel_id = vg_rows_int(r, 2), .alert_id = vg_rows_int(r, 3),
			    .alerts = vg_rows_int(r, 4), .attempts = (int)vg_rows_int(r, 5),
			    .title = strdup(vg_rows_text(r, 7)), .text = strdup(vg_rows_text(r, 8)),
			    .window_minutes = (int)vg_rows_int(r, 10) };
		d->recipient = text_or_null(r, 11);
		d->message_id = text_or_null(r, 12);
		d->in_reply_to = text_or_null(r, 13);
		d->references = text_or_null(r, 14);
		snprintf(d->kind, sizeof(d->kind), "%s", vg_rows_text(r, 6));
		snprintf(d->language, sizeof(d->language), "%s", vg_rows_text(r, 9));
		if (!d->title || !d->text) {
			rc = vg_error_set(err, VG_ENOMEM, "out of memory sending notifications");
			break;
		}
	}
	vg_rows_free(r);
	vg_tx_rollback(tx);
	return rc < 0 ? rc : VG_OK;
}

static void free_due(due *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].title);
		free(v[i].text);
		free(v[i].recipient);
		free(v[i].message_id);
		free(v[i].in_reply_to);
		free(v[i].references);
	}
	free(v);
}

/* Writes what an attempt came to: the attempt's row and the delivery's
 * state (sent, pending again at next_at, or failed). */
static int record(vg_store *store, const due *d, const vg_notify_result *res, const char *error,
		  const char *state, int64_t next_at, int64_t now, vg_error *err)
{
	vg_tx *tx;
	int rc = vg_tx_begin(store, true, &tx, err);

	if (rc)
		return rc;
	rc = vg_tx_exec(tx,
			"INSERT INTO delivery_attempts (delivery_id, at, delivered, retry, status, "
			"vendor_code, answer, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
			VG_PARAMS(VG_P_INT(d->id), VG_P_INT(now), VG_P_INT(res->delivered),
				  VG_P_INT(res->retry), VG_P_ID_OR_NULL(res->status),
				  VG_P_ID_OR_NULL(res->vendor_code), VG_P_TEXT(res->answer),
				  VG_P_TEXT_OR_NULL(error)),
			NULL, err);
	if (!rc)
		rc = vg_tx_exec(tx,
				"UPDATE deliveries SET state = ?, attempts = attempts + 1, next_at = ?, "
				"last_status = ?, last_vendor_code = ?, last_error = ?, "
				"sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END WHERE id = ?",
				VG_PARAMS(VG_P_TEXT(state), VG_P_INT(next_at),
					  VG_P_ID_OR_NULL(res->status), VG_P_ID_OR_NULL(res->vendor_code),
					  VG_P_TEXT_OR_NULL(error), VG_P_TEXT(state), VG_P_INT(now),
					  VG_P_INT(d->id)),
				NULL, err);
	if (!rc)
		return vg_tx_commit(tx, err);
	vg_tx_rollback(tx);
	return rc;
}

/* A channel at its rate limit: all its due deliveries wait until next_at,
 * in one write rather than one each. */
static int postpone(vg_store *store, int64_t channel_id, int64_t now, int64_t next_at,
		    vg_error *err)
{
	vg_tx *tx;
	int rc = vg_tx_begin(store, true, &tx, err);

	if (!rc)
		rc = vg_tx_exec(tx,
				"UPDATE deliveries SET next_at = ? WHERE state = 'pending' AND "
				"channel_id = ? AND next_at <= ?",
				VG_PARAMS(VG_P_INT(next_at), VG_P_INT(channel_id), VG_P_INT(now)),
				NULL, err);
	if (!rc)
		return vg_tx_commit(tx, err);
	vg_tx_rollback(tx);
	return rc;
}

int64_t vg_notify_retry_wait(const vg_notify_settings *s, int attempts,
			     const vg_notify_result *res)
{
	int64_t wait = s->retry_base_ms;

	for (int i = 1; i < attempts && wait < RETRY_WAIT_MAX_MS; i++)
		wait *= 2;
	if (wait > RETRY_WAIT_MAX_MS)
		wait = RETRY_WAIT_MAX_MS;
	if (res && res->retry_after_s >= 0 && res->retry_after_s * 1000 > wait)
		wait = res->retry_after_s * 1000;
	return wait;
}

/* Sends one due delivery (or postpones it for its channel's rate). */
static int send_one(vg_notify_sender *q, vg_store *store, const vg_notify_settings *s, due *d,
		    int64_t now, bool *attempted, vg_error *err)
{
	vg_ctx system = vg_ctx_system();
	vg_notify_result res = { .retry_after_s = -1 };
	vg_notify_message m = { .title = d->title, .text = d->text };
	vg_buf text = VG_BUF_INIT(SIZE_MAX), title = VG_BUF_INIT(SIZE_MAX);
	vg_channel_open c;
	vg_error why = { 0 };
	char id[48];
	sent_log *log;
	int64_t wait;
	vg_tx *tx;
	int rc, sent;

	*attempted = false;
	log = d->channel_id ? log_of(q, d->channel_id) : NULL;
	if (log && now < log->held_until) {
		/* Deliveries queued since the channel was held wait as well, or
		 * they would fill every pass and starve other channels. */
		if (log->held_at == now)
			return VG_OK;
		log->held_at = now;
		return postpone(store, d->channel_id, now, log->held_until, err);
	}
	rc = vg_tx_begin(store, false, &tx, err);
	if (rc)
		return rc;
	rc = d->channel_id ? vg_channel_open_get(tx, &system, s->key, d->channel_id, &c, &why)
			   : vg_error_set(&why, VG_ENOTFOUND, "no such channel");
	vg_tx_rollback(tx);
	if (rc == VG_OK && !c.enabled) {
		vg_channel_open_release(&c);
		rc = vg_error_set(&why, VG_EINVAL, "the channel is disabled");
	}
	if (rc) {
		*attempted = true;
		return record(store, d, &res, rc == VG_ENOTFOUND ? "the channel was deleted" : why.msg,
			      "failed", now, now, err);
	}
	if (strcmp(d->kind, "escalation") == 0) {
		char status[16] = "";

		rc = vg_tx_begin(store, false, &tx, err);
		if (!rc) {
			rc = vg_alert_status(tx, d->alert_id, status, &why);
			vg_tx_rollback(tx);
		}
		if (rc == VG_OK && strcmp(status, "open") != 0) {
			vg_channel_open_release(&c);
			*attempted = true;
			return record(store, d, &res, strcmp(status, "closed") == 0
						      ? "closed before the escalation"
						      : "acknowledged before the escalation",
				      "cancelled", now, now, err);
		}
	}
	wait = log ? rate_wait(log, c.ch.type, now) : 0;
	if (wait > 0) {
		vg_channel_open_release(&c);
		log->held_until = now + wait;
		log->held_at = now;
		return postpone(store, d->channel_id, now, now + wait, err);
	}
	if (strcmp(d->kind, "digest") == 0) {
		/* Counted at send time: alerts kept arriving after it was queued. */
		vg__notify_digest_title((size_t)d->alerts, d->window_minutes, d->language, &title);
		vg_buf_puts(&text, d->text);
		if (d->alerts > DIGEST_LINES_MAX)
			vg_buf_printf(&text, "- … +%lld\n", (long long)(d->alerts - DIGEST_LINES_MAX));
		m.title = vg_buf_cstr(&title);
		m.text = vg_buf_cstr(&text);
	}
	snprintf(id, sizeof(id), "msg_vigil_%lld", (long long)d->id);
	m.id = id;
	m.to = d->recipient;
	m.message_id = d->message_id;
	m.in_reply_to = d->in_reply_to;
	m.references = d->references;
	m.event = strcmp(d->kind, "digest") == 0       ? "alert.digest"
		  : strcmp(d->kind, "escalation") == 0 ? "alert.escalated"
		  : strcmp(d->kind, "ticket") == 0     ? "ticket.event"
						       : "alert.created";
	m.data = json_pack("{s:I, s:I, s:I}", "delivery_id", (json_int_t)d->id, "alert_id",
			   (json_int_t)d->alert_id, "alerts", (json_int_t)d->alerts);
	c.ch.public_only = s->public_only;
	sent = vg_notify_send(&c.ch, &m, now, &res, &why);
	vg_channel_open_release(&c);
	json_decref(m.data);
	vg_buf_release(&text);
	vg_buf_release(&title);
	if (log)
		rate_note(log, now);
	*attempted = true;
	if (sent == VG_OK)
		return record(store, d, &res, NULL, "sent", now, now, err);
	if (res.retry && d->attempts + 1 < s->max_attempts)
		return record(store, d, &res, why.msg, "pending",
			      now + vg_notify_retry_wait(s, d->attempts + 1, &res), now, err);
	return record(store, d, &res, why.msg, "failed", now, now, err);
}

int vg_notify_send_due(vg_notify_sender *q, vg_store *store, const vg_notify_settings *s,
		       int64_t now, size_t max, size_t *sent, vg_error *err)
{
	due *v;
	size_t n, i;
	int rc = load_due(store, now, max, &v, &n, err);

	*sent = 0;
	for (i = 0; rc == VG_OK && i < n; i++) {
		bool attempted;

		rc = send_one(q, store, s, &v[i], now, &attempted, err);
		*sent += attempted;
	}
	free_due(v, n);
	return rc;
}

/* ---- the log ---- */

#define DELIVERY_COLUMNS                                                                      \
	"id, tenant_id, channel_id, channel_name, route_id, kind, alert_id, alerts, title, "  \
	"state, attempts, next_at, last_status, last_vendor_code, last_error, created_at, "   \
	"sent_at, text"

static json_t *int_or_null(vg_rows *r, int col)
{
	return vg_rows_is_null(r, col) ? json_null() : json_integer(vg_rows_int(r, col));
}

static json_t *delivery_json(vg_rows *r, void *with_text)
{
	json_t *o = json_pack(
		"{s:I, s:o, s:o, s:s, s:o, s:s, s:o, s:I, s:s, s:s, s:I, s:o, s:o, s:o, s:o, s:o, "
		"s:o}",
		"id", (json_int_t)vg_rows_int(r, 0), "tenant_id",
		vg_rows_int(r, 1) ? json_integer(vg_rows_int(r, 1)) : json_null(), "channel_id",
		int_or_null(r, 2), "channel", vg_rows_text(r, 3), "route_id", int_or_null(r, 4),
		"kind", vg_rows_text(r, 5), "alert_id", int_or_null(r, 6), "alerts",
		(json_int_t)vg_rows_int(r, 7), "title", vg_rows_text(r, 8), "state",
		vg_rows_text(r, 9), "attempts", (json_int_t)vg_rows_int(r, 10), "next_at",
		vg_rows_json_time(r, 11), "last_status", int_or_null(r, 12), "last_vendor_code",
		int_or_null(r, 13), "last_error", vg_rows_json_text(r, 14), "created_at",
		vg_rows_json_time(r, 15), "sent_at", vg_rows_json_time(r, 16));

	if (o && with_text)
		json_object_set_new(o, "text", json_string(vg_rows_text(r, 17)));
	return o;
}

int vg_delivery_list_in(vg_tx *tx, const vg_ctx *ctx, int64_t tenant_id, const char *state,
			int64_t after_id, int limit, json_t **items, int64_t *last_id,
			vg_error *err)
{
	*items = NULL;
	*last_id = 0;
	if (state && strcmp(state, "pending") && strcmp(state, "sent") && strcmp(state, "failed") &&
	    strcmp(state, "cancelled"))
		return vg_error_set(err, VG_EINVAL,
				    "state must be pending, sent, failed or cancelled");
	if (tenant_id && ctx->tenant_id && ctx->tenant_id != tenant_id)
		return vg_error_set(err, VG_ENOTFOUND, "no such tenant");
	return vg_tx_query_list(tx,
				"SELECT " DELIVERY_COLUMNS " FROM deliveries WHERE id > ? AND (? = 0 OR "
				"tenant_id = ?) AND (? = 0 OR tenant_id = ?) AND (? IS NULL OR state = "
				"?) ORDER BY id LIMIT ?",
				VG_PARAMS(VG_P_INT(after_id), VG_P_INT(tenant_id), VG_P_INT(tenant_id),
					  VG_P_INT(ctx->tenant_id), VG_P_INT(ctx->tenant_id),
					  VG_P_TEXT_OR_NULL(state), VG_P_TEXT_OR_NULL(state),
					  VG_P_INT(limit)),
				delivery_json, NULL, items, last_id, err);
}

int vg_delivery_list(vg_tx *tx, const vg_ctx *ctx, int64_t tenant_id, int64_t after_id,
		     int limit, json_t **items, int64_t *last_id, vg_error *err)
{
	return vg_delivery_list_in(tx, ctx, tenant_id, NULL, after_id, limit, items, last_id, err);
}

static json_t *attempt_json(vg_rows *r, void *unused)
{
	(void)unused;
	return json_pack("{s:o, s:b, s:b, s:o, s:o, s:s, s:o}", "at", vg_rows_json_time(r, 1),
			 "delivered", (int)vg_rows_int(r, 2), "retry", (int)vg_rows_int(r, 3), "status",
			 int_or_null(r, 4), "vendor_code", int_or_null(r, 5), "answer",
			 vg_rows_text(r, 6), "error", vg_rows_json_text(r, 7));
}

int vg_delivery_get(vg_tx *tx, const vg_ctx *ctx, int64_t id, json_t **out, vg_error *err)
{
	json_t *attempts;
	int64_t last;
	int rc = vg_tx_query_object(
		tx,
		"SELECT " DELIVERY_COLUMNS " FROM deliveries WHERE id = ? AND (? = 0 OR tenant_id = ?)",
		VG_PARAMS(VG_P_INT(id), VG_P_INT(ctx->tenant_id), VG_P_INT(ctx->tenant_id)),
		delivery_json, (void *)1, "delivery", out, err);

	if (rc)
		return rc;
	rc = vg_tx_query_list(tx,
			      "SELECT id, at, delivered, retry, status, vendor_code, answer, error "
			      "FROM delivery_attempts WHERE delivery_id = ? ORDER BY id",
			      VG_PARAMS(VG_P_INT(id)), attempt_json, NULL, &attempts, &last, err);
	if (rc) {
		json_decref(*out);
		*out = NULL;
		return rc;
	}
	json_object_set_new(*out, "attempts", attempts);
	return VG_OK;
}
