/* sources.c - source records, their tokens and counters (see sources.h). */
#include "ingest/sources.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base64.h"
#include "core/buf.h"
#include "core/crypto.h"
#include "core/time.h"
#include "core/utf8.h"
#include "detect/source.h"
#include "ops/tenant.h"

#define SOURCE_COLUMNS \
	"id, tenant_id, name, type, COALESCE(listen, ''), token_prefix, enabled, created_at, updated_at"

/* The scope filter every query ends with: ? = 0 (unscoped) or the tenant. */
#define SCOPED " AND (? = 0 OR tenant_id = ?)"
#define SCOPE(ctx) VG_P_INT((ctx)->tenant_id), VG_P_INT((ctx)->tenant_id)

static void read_row(vg_rows *r, vg_source *s)
{
	memset(s, 0, sizeof(*s));
	s->id = vg_rows_int(r, 0);
	s->tenant_id = vg_rows_int(r, 1);
	snprintf(s->name, sizeof(s->name), "%s", vg_rows_text(r, 2));
	snprintf(s->type, sizeof(s->type), "%s", vg_rows_text(r, 3));
	snprintf(s->listen, sizeof(s->listen), "%s", vg_rows_text(r, 4));
	snprintf(s->token_prefix, sizeof(s->token_prefix), "%s", vg_rows_text(r, 5));
	s->enabled = vg_rows_int(r, 6) != 0;
	s->created_at = vg_rows_int(r, 7);
	s->updated_at = vg_rows_int(r, 8);
}

/* One row of SQL into *out: VG_ENOTFOUND with missing when there is none. */
static int query_one(vg_tx *tx, const char *sql, const vg_param *params, size_t n,
		     vg_source *out, int missing_code, const char *missing, vg_error *err)
{
	vg_rows *r;
	int rc = vg_tx_query(tx, sql, params, n, &r, err);

	if (rc)
		return rc;
	rc = vg_rows_next(r, err);
	if (rc == 1) {
		read_row(r, out);
		rc = VG_OK;
	} else if (rc == 0) {
		rc = vg_error_set(err, missing_code, "%s", missing);
	}
	vg_rows_free(r);
	return rc;
}

int vg_source_get(vg_tx *tx, const vg_ctx *ctx, int64_t id, vg_source *out, vg_error *err)
{
	return query_one(tx, "SELECT " SOURCE_COLUMNS " FROM sources WHERE id = ?" SCOPED,
			 VG_PARAMS(VG_P_INT(id), SCOPE(ctx)), out, VG_ENOTFOUND, "no such source",
			 err);
}

int vg_source_find(vg_tx *tx, const vg_ctx *ctx, int64_t tenant_id, const char *name,
		   vg_source *out, vg_error *err)
{
	return query_one(tx,
			 "SELECT " SOURCE_COLUMNS " FROM sources WHERE tenant_id = ? AND name = ?" SCOPED,
			 VG_PARAMS(VG_P_INT(tenant_id), VG_P_TEXT(name), SCOPE(ctx)), out,
			 VG_ENOTFOUND, "no such source", err);
}

/* "udp://HOST:PORT" or "tcp://HOST:PORT". */
static int check_listen(const char *listen, const char *type, vg_error *err)
{
	const vg_source_type *t = vg_source_type_find(type, NULL);
	const char *colon;
	char *end;
	long port;

	if (!*listen)
		return VG_OK;
	if (!t || strcmp(t->parser, "syslog") != 0)
		return vg_error_set(err, VG_EINVAL, "only syslog sources listen");
	colon = strrchr(listen, ':');
	if ((strncmp(listen, "udp://", 6) != 0 && strncmp(listen, "tcp://", 6) != 0) ||
	    strlen(listen) >= sizeof(((vg_source *)0)->listen) || !colon || colon == listen + 6 ||
	    colon == listen + 5)
		return vg_error_set(err, VG_EINVAL, "listen must be udp://HOST:PORT or tcp://HOST:PORT");
	port = strtol(colon + 1, &end, 10);
	if (end == colon + 1 || *end || port < 1 || port > 65535)
		return vg_error_set(err, VG_EINVAL, "listen must be udp://HOST:PORT or tcp://HOST:PORT");
	return VG_OK;
}

/* A new token into token and its hash and prefix for the row. */
static void new_token(char token[VG_SOURCE_TOKEN_MAX], char hash[VG_SHA256_HEX_LEN],
		      char prefix[16])
{
	size_t n = strlen(VG_SOURCE_TOKEN_PREFIX);

	memcpy(token, VG_SOURCE_TOKEN_PREFIX, n);
	vg_random_token(32, token + n, VG_SOURCE_TOKEN_MAX - n);
	vg_sha256_hex(token, strlen(token), hash);
	snprintf(prefix, 16, "%.10s", token);
}

int vg_source_create(vg_tx *tx, const vg_ctx *ctx, int64_t tenant_id, const vg_source_fields *in,
		     vg_source *out, char token[VG_SOURCE_TOKEN_MAX], vg_error *err)
{
	char name[sizeof(out->name)], hash[VG_SHA256_HEX_LEN], prefix[16];
	const char *listen = in->listen ? in->listen : "";
	int64_t now = vg_time_now_ms(), id;
	vg_tenant tenant;
	int rc;

	memset(out, 0, sizeof(*out));
	token[0] = '\0';
	if (!in->name)
		return vg_error_set(err, VG_EINVAL, "missing field \"name\"");
	if (!in->type)
		return vg_error_set(err, VG_EINVAL, "missing field \"type\"");
	rc = vg_text_clean(in->name, VG_SOURCE_NAME_MAX, "name", name, sizeof(name), err);
	if (rc == VG_OK && !vg_source_type_find(in->type, err))
		rc = VG_EINVAL;
	if (rc == VG_OK)
		rc = check_listen(listen, in->type, err);
	if (rc == VG_OK)
		rc = vg_tenant_get(tx, ctx, tenant_id, &tenant, err);
	if (rc)
		return rc;
	vg_tenant_release(&tenant);
	new_token(token, hash, prefix);
	rc = vg_tx_query_int(tx,
			     "INSERT INTO sources (tenant_id, name, type, token_hash, token_prefix, "
			     "listen, enabled, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
			     "RETURNING id",
			     VG_PARAMS(VG_P_INT(tenant_id), VG_P_TEXT(name), VG_P_TEXT(in->type),
				       VG_P_TEXT(hash), VG_P_TEXT(prefix),
				       *listen ? VG_P_TEXT(listen) : VG_P_NULL,
				       VG_P_INT(in->enabled == 0 ? 0 : 1), VG_P_INT(now), VG_P_INT(now)),
			     &id, err);
	if (rc == VG_EEXIST)
		rc = vg_error_set(err, VG_EEXIST, *listen ? "source name \"%s\" or listener is taken"
							  : "source name \"%s\" is taken",
				  name);
	if (rc == VG_OK)
		rc = vg_tx_exec(tx, "INSERT INTO source_stats (source_id, tenant_id) VALUES (?, ?)",
				VG_PARAMS(VG_P_INT(id), VG_P_INT(tenant_id)), NULL, err);
	if (rc == VG_OK)
		rc = vg_source_get(tx, ctx, id, out, err);
	if (rc)
		memset(token, 0, VG_SOURCE_TOKEN_MAX);
	return rc;
}

int vg_source_update(vg_tx *tx, const vg_ctx *ctx, int64_t id, const vg_source_fields *in,
		     vg_error *err)
{
	char name[sizeof(((vg_source *)0)->name)];
	vg_source cur;
	int rc = vg_source_get(tx, ctx, id, &cur, err);

	if (rc)
		return rc;
	if (in->type && strcmp(in->type, cur.type) != 0)
		return vg_error_set(err, VG_EINVAL,
				    "a source's type cannot change (its events are kept as %s); "
				    "create another source",
				    cur.type);
	if (in->name) {
		rc = vg_text_clean(in->name, VG_SOURCE_NAME_MAX, "name", name, sizeof(name), err);
		if (rc)
			return rc;
	}
	if (in->listen) {
		rc = check_listen(in->listen, cur.type, err);
		if (rc)
			return rc;
	}
	rc = vg_tx_exec(tx,
			"UPDATE sources SET name = ?, listen = ?, enabled = ?, updated_at = ? "
			"WHERE id = ?" SCOPED,
			VG_PARAMS(VG_P_TEXT(in->name ? name : cur.name),
				  in->listen ? (*in->listen ? VG_P_TEXT(in->listen) : VG_P_NULL)
					     : (*cur.listen ? VG_P_TEXT(cur.listen) : VG_P_NULL),
				  VG_P_INT(in->enabled < 0 ? cur.enabled : in->enabled != 0),
				  VG_P_INT(vg_time_now_ms()), VG_P_INT(id), SCOPE(ctx)),
			NULL, err);
	if (rc == VG_EEXIST)
		rc = vg_error_set(err, VG_EEXIST, "source name or listener is taken");
	return rc;
}

int vg_source_rotate_token(vg_tx *tx, const vg_ctx *ctx, int64_t id,
			   char token[VG_SOURCE_TOKEN_MAX], vg_error *err)
{
	char hash[VG_SHA256_HEX_LEN], prefix[16];
	vg_source cur;
	int rc = vg_source_get(tx, ctx, id, &cur, err);

	token[0] = '\0';
	if (rc)
		return rc;
	new_token(token, hash, prefix);
	rc = vg_tx_exec(tx,
			"UPDATE sources SET token_hash = ?, token_prefix = ?, updated_at = ? "
			"WHERE id = ?" SCOPED,
			VG_PARAMS(VG_P_TEXT(hash), VG_P_TEXT(prefix), VG_P_INT(vg_time_now_ms()),
				  VG_P_INT(id), SCOPE(ctx)),
			NULL, err);
	if (rc)
		memset(token, 0, VG_SOURCE_TOKEN_MAX);
	return rc;
}

json_t *vg_source_to_json(const vg_source *s)
{
	char created[VG_TIME_ISO_LEN], updated[VG_TIME_ISO_LEN];

	vg_time_format_iso(s->created_at, created);
	vg_time_format_iso(s->updated_at, updated);
	return json_pack("{s:I, s:I, s:s, s:s, s:o, s:s, s:b, s:s, s:s}", "id", (json_int_t)s->id,
			 "tenant_id", (json_int_t)s->tenant_id, "name", s->name, "type", s->type,
			 "listen", *s->listen ? json_string(s->listen) : json_null(), "token_prefix",
			 s->token_prefix, "enabled", s->enabled, "created_at", created, "updated_at",
			 updated);
}

static json_t *source_json(vg_rows *r, void *unused)
{
	vg_source s;

	(void)unused;
	read_row(r, &s);
	return vg_source_to_json(&s);
}

int vg_source_list(vg_tx *tx, const vg_ctx *ctx, int64_t tenant_id, int64_t after_id, int limit,
		   json_t **items, int64_t *last_id, vg_error *err)
{
	*items = NULL;
	*last_id = 0;
	if (tenant_id && !vg_ctx_sees_tenant(ctx, tenant_id))
		return vg_error_set(err, VG_ENOTFOUND, "no such tenant");
	return vg_tx_query_list(tx,
				"SELECT " SOURCE_COLUMNS " FROM sources WHERE id > ? AND (? = 0 OR "
				"tenant_id = ?)" SCOPED " ORDER BY id LIMIT ?",
				VG_PARAMS(VG_P_INT(after_id), VG_P_INT(tenant_id),
					  VG_P_INT(tenant_id), SCOPE(ctx), VG_P_INT(limit)),
				source_json, NULL, items, last_id, err);
}

int vg_source_authenticate(vg_tx *tx, const char *token, vg_source *out, vg_error *err)
{
	char hash[VG_SHA256_HEX_LEN];

	if (strncmp(token, VG_SOURCE_TOKEN_PREFIX, strlen(VG_SOURCE_TOKEN_PREFIX)) != 0 ||
	    strlen(token) >= VG_SOURCE_TOKEN_MAX)
		return vg_error_set(err, VG_EAUTH, "invalid source token");
	vg_sha256_hex(token, strlen(token), hash);
	return query_one(tx,
			 "SELECT " SOURCE_COLUMNS " FROM sources WHERE token_hash = ? AND enabled = 1",
			 VG_PARAMS(VG_P_TEXT(hash)), out, VG_EAUTH, "invalid source token", err);
}

int vg_source_listeners(vg_tx *tx, vg_source **out, size_t *n, vg_error *err)
{
	vg_source *v = NULL, *grown;
	vg_rows *r;
	int rc;

	*out = NULL;
	*n = 0;
	rc = vg_tx_query(tx,
			 "SELECT " SOURCE_COLUMNS " FROM sources WHERE listen IS NOT NULL AND "
			 "enabled = 1 ORDER BY id",
			 VG_NO_PARAMS, &r, err);
	if (rc)
		return rc;
	while ((rc = vg_rows_next(r, err)) == 1) {
		grown = realloc(v, (*n + 1) * sizeof(*v));
		if (!grown) {
			rc = vg_error_set(err, VG_ENOMEM, "out of memory listing listeners");
			break;
		}
		v = grown;
		read_row(r, &v[(*n)++]);
	}
	vg_rows_free(r);
	if (rc < 0) {
		free(v);
		*n = 0;
		return rc;
	}
	*out = v;
	return VG_OK;
}

int vg_source_stats_add(vg_tx *tx, const vg_source *s, const vg_source_counts *c, int64_t now,
			vg_error *err)
{
	json_t *by = NULL;
	char *text = NULL;
	vg_rows *r;
	int rc, i;

	rc = vg_tx_query(tx, "SELECT rejected_by_reason FROM source_stats WHERE source_id = ?",
			 VG_PARAMS(VG_P_INT(s->id)), &r, err);
	if (rc)
		return rc;
	rc = vg_rows_next(r, err);
	if (rc == 1)
		by = json_loads(vg_rows_text(r, 0), 0, NULL);
	vg_rows_free(r);
	if (rc < 0)
		return rc;
	if (!json_is_object(by)) {
		json_decref(by);
		by = json_object();
	}
	for (i = 0; i < VG_REJECT_NREASONS; i++) {
		const char *name = vg_reject_reason_name((enum vg_reject_reason)i);
		json_int_t was = json_integer_value(json_object_get(by, name));

		if (c->by_reason[i])
			json_object_set_new(by, name, json_integer(was + (json_int_t)c->by_reason[i]));
	}
	text = json_dumps(by, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(by);
	if (!text)
		return vg_error_set(err, VG_ENOMEM, "out of memory counting rejects");
	rc = vg_tx_exec(tx,
			"INSERT INTO source_stats (source_id, tenant_id) VALUES (?, ?) "
			"ON CONFLICT (source_id) DO NOTHING",
			VG_PARAMS(VG_P_INT(s->id), VG_P_INT(s->tenant_id)), NULL, err);
	if (rc == VG_OK)
		rc = vg_tx_exec(
			tx,
			"UPDATE source_stats SET events = events + ?, bytes = bytes + ?, "
			"rejected = rejected + ?, alerts = alerts + ?, rejected_by_reason = ?, "
			"last_reject = COALESCE(?, last_reject), "
			"last_reject_at = CASE WHEN ? THEN ? ELSE last_reject_at END, "
			"last_event_at = CASE WHEN ? > COALESCE(last_event_at, 0) THEN ? "
			"ELSE last_event_at END WHERE source_id = ?",
			VG_PARAMS(VG_P_INT(c->events), VG_P_INT(c->bytes), VG_P_INT(c->rejected),
				  VG_P_INT(c->alerts), VG_P_TEXT(text),
				  c->last_reject[0] ? VG_P_TEXT(c->last_reject) : VG_P_NULL,
				  VG_P_INT(c->rejected > 0), VG_P_INT(now), VG_P_INT(c->last_event_at),
				  VG_P_INT(c->last_event_at), VG_P_INT(s->id)),
			NULL, err);
	free(text);
	return rc;
}

int vg_source_stats_get(vg_tx *tx, const vg_ctx *ctx, int64_t id, json_t **out, vg_error *err)
{
	json_t *by;
	vg_rows *r;
	int rc;

	*out = NULL;
	rc = vg_tx_query(tx,
			 "SELECT source_id, events, bytes, rejected, rejected_by_reason, last_reject, "
			 "last_reject_at, last_event_at, alerts FROM source_stats WHERE source_id = ?" SCOPED,
			 VG_PARAMS(VG_P_INT(id), SCOPE(ctx)), &r, err);
	if (rc)
		return rc;
	rc = vg_rows_next(r, err);
	if (rc == 1) {
		by = json_loads(vg_rows_text(r, 4), 0, NULL);
		*out = json_pack("{s:I, s:I, s:I, s:I, s:o, s:o, s:o, s:o, s:I}", "source_id",
				 (json_int_t)vg_rows_int(r, 0), "events", (json_int_t)vg_rows_int(r, 1),
				 "bytes", (json_int_t)vg_rows_int(r, 2), "rejected",
				 (json_int_t)vg_rows_int(r, 3), "rejected_by_reason",
				 json_is_object(by) ? by : json_object(), "last_reject",
				 vg_rows_is_null(r, 5) ? json_null() : json_string(vg_rows_text(r, 5)),
				 "last_reject_at", vg_rows_json_time(r, 6), "last_event_at",
				 vg_rows_json_time(r, 7), "alerts", (json_int_t)vg_rows_int(r, 8));
		if (!json_is_object(by))
			json_decref(by);
		rc = *out ? VG_OK : vg_error_set(err, VG_ENOMEM, "out of memory");
	} else if (rc == 0) {
		rc = vg_error_set(err, VG_ENOTFOUND, "no such source");
	}
	vg_rows_free(r);
	return rc;
}

/* A kept record as the API shows it: its bytes as text when they are
 * UTF-8, else in base64. */
static json_t *rejected_json(vg_rows *r, void *unused)
{
	size_t len;
	const char *raw = vg_rows_blob(r, 5, &len);
	json_t *o = json_pack("{s:I, s:I, s:o, s:s, s:s}", "id", (json_int_t)vg_rows_int(r, 0),
			      "source_id", (json_int_t)vg_rows_int(r, 1), "at",
			      vg_rows_json_time(r, 2), "reason", vg_rows_text(r, 3), "message",
			      vg_rows_text(r, 4));

	(void)unused;
	if (!o)
		return NULL;
	if (vg_utf8_valid(raw ? raw : "", len, false)) {
		json_object_set_new(o, "raw", json_stringn(raw ? raw : "", len));
	} else {
		vg_buf b = VG_BUF_INIT(2 * len + 16);

		if (vg_base64_encode(raw, len, &b)) {
			vg_buf_release(&b);
			json_decref(o);
			return NULL;
		}
		json_object_set_new(o, "raw_base64", json_stringn(b.ptr, b.len));
		vg_buf_release(&b);
	}
	return o;
}

int vg_source_rejects_list(vg_tx *tx, const vg_ctx *ctx, int64_t source_id, int64_t after_id,
			   int limit, json_t **items, int64_t *last_id, vg_error *err)
{
	vg_source s;
	int rc = vg_source_get(tx, ctx, source_id, &s, err);

	*items = NULL;
	*last_id = 0;
	if (rc)
		return rc;
	return vg_tx_query_list(tx,
				"SELECT id, source_id, at, reason, message, raw FROM rejected_records "
				"WHERE source_id = ? AND id > ? ORDER BY id LIMIT ?",
				VG_PARAMS(VG_P_INT(source_id), VG_P_INT(after_id), VG_P_INT(limit)),
				rejected_json, NULL, items, last_id, err);
}
