/* channels.c - notification channels in the store (see channels.h). */
#include "notify/channels.h"

#include <stdlib.h>
#include <string.h>

#include "core/http_client.h"
#include "core/time.h"
#include "core/utf8.h"
#include "ops/tenant.h"

#define CHANNEL_COLUMNS                                                                      \
	"id, tenant_id, name, type, url_hint, secret_sealed IS NOT NULL, username, email_from, " \
	"email_to, enabled, created_at, updated_at"
#define NAME_MAX_BYTES 200
#define URL_MAX_BYTES 2048

/* Staff see every tenant's channels and the MSSP's; a customer its own. */
static bool sees(const vg_ctx *ctx, int64_t tenant_id)
{
	return ctx->tenant_id == 0 || ctx->tenant_id == tenant_id;
}

/* "https://qyapi.weixin.qq.com/…": the origin, never the path or query,
 * where the vendors put their keys. */
static void url_hint(const char *url, char *out, size_t size)
{
	char origin[256];
	const char *rest = strstr(url, "://");

	vg_url_origin(url, origin, sizeof(origin));
	rest = rest ? rest + 3 : url;
	snprintf(out, size, "%s%s", origin, rest[strcspn(rest, "/?#")] ? "/\xe2\x80\xa6" : "");
}

static json_t *row_to_json(vg_rows *r, void *unused)
{
	json_t *to = json_loads(vg_rows_text(r, 8), 0, NULL);

	(void)unused;
	return json_pack("{s:I, s:o, s:s, s:s, s:s, s:b, s:o, s:o, s:o, s:b, s:o, s:o}", "id",
			 (json_int_t)vg_rows_int(r, 0), "tenant_id",
			 vg_rows_int(r, 1) ? json_integer(vg_rows_int(r, 1)) : json_null(), "name",
			 vg_rows_text(r, 2), "type", vg_rows_text(r, 3), "url_hint",
			 vg_rows_text(r, 4), "has_secret", (int)vg_rows_int(r, 5), "username",
			 vg_rows_json_text(r, 6), "from", vg_rows_json_text(r, 7), "to",
			 to ? to : json_array(), "enabled", (int)vg_rows_int(r, 9), "created_at",
			 vg_rows_json_time(r, 10), "updated_at", vg_rows_json_time(r, 11));
}

int vg_channel_get(vg_tx *tx, const vg_ctx *ctx, int64_t id, json_t **out, vg_error *err)
{
	return vg_tx_query_object(
		tx, "SELECT " CHANNEL_COLUMNS " FROM channels WHERE id = ? AND (? = 0 OR tenant_id = ?)",
		VG_PARAMS(VG_P_INT(id), VG_P_INT(ctx->tenant_id), VG_P_INT(ctx->tenant_id)),
		row_to_json, NULL, "channel", out, err);
}

int vg_channel_list(vg_tx *tx, const vg_ctx *ctx, int64_t tenant_id, int64_t after_id,
		    int limit, json_t **items, int64_t *last_id, vg_error *err)
{
	*items = NULL;
	*last_id = 0;
	if (tenant_id && !sees(ctx, tenant_id))
		return vg_error_set(err, VG_ENOTFOUND, "no such tenant");
	return vg_tx_query_list(
		tx,
		"SELECT " CHANNEL_COLUMNS " FROM channels WHERE id > ? AND (? = 0 OR tenant_id = ?) "
		"AND (? = 0 OR tenant_id = ?) ORDER BY id LIMIT ?",
		VG_PARAMS(VG_P_INT(after_id), VG_P_INT(tenant_id), VG_P_INT(tenant_id),
			  VG_P_INT(ctx->tenant_id), VG_P_INT(ctx->tenant_id), VG_P_INT(limit)),
		row_to_json, NULL, items, last_id, err);
}

static int seal_text(const vg_master_key *key, const char *s, uint8_t **out, size_t *len,
		     vg_error *err)
{
	return vg_seal(key, s, strlen(s), out, len, err);
}

static char *unseal_text(const vg_master_key *key, vg_rows *r, int col, vg_error *err)
{
	size_t len, plain_len;
	const void *blob = vg_rows_blob(r, col, &len);
	uint8_t *plain = NULL;

	if (!blob)
		return NULL;
	if (vg_unseal(key, blob, len, &plain, &plain_len, err))
		return NULL;
	return (char *)plain;
}

int vg_channel_open_get(vg_tx *tx, const vg_ctx *ctx, const vg_master_key *key, int64_t id,
			vg_channel_open *out, vg_error *err)
{
	vg_rows *r;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = vg_tx_query(tx,
			 "SELECT id, tenant_id, name, type, url_sealed, secret_sealed, username, "
			 "email_from, email_to, enabled FROM channels WHERE id = ? AND (? = 0 OR "
			 "tenant_id = ?)",
			 VG_PARAMS(VG_P_INT(id), VG_P_INT(ctx->tenant_id), VG_P_INT(ctx->tenant_id)),
			 &r, err);
	if (rc)
		return rc;
	rc = vg_rows_next(r, err);
	if (rc == 0)
		rc = vg_error_set(err, VG_ENOTFOUND, "no such channel");
	if (rc == 1) {
		rc = vg_notify_type_parse(vg_rows_text(r, 3), &out->ch.type, err);
		out->id = vg_rows_int(r, 0);
		out->tenant_id = vg_rows_int(r, 1);
		snprintf(out->name, sizeof(out->name), "%s", vg_rows_text(r, 2));
		out->enabled = vg_rows_int(r, 9) != 0;
		out->url = rc ? NULL : unseal_text(key, r, 4, err);
		if (!out->url)
			rc = rc ? rc : VG_ECORRUPT;
		if (!rc && !vg_rows_is_null(r, 5) && !(out->secret = unseal_text(key, r, 5, err)))
			rc = VG_ECORRUPT;
		out->username = !rc && vg_rows_text(r, 6) ? strdup(vg_rows_text(r, 6)) : NULL;
		out->from = !rc && vg_rows_text(r, 7) ? strdup(vg_rows_text(r, 7)) : NULL;
		out->to = rc ? NULL : json_loads(vg_rows_text(r, 8), 0, NULL);
	}
	vg_rows_free(r);
	if (rc) {
		vg_channel_open_release(out);
		return rc;
	}
	out->ch.url = out->url;
	out->ch.secret = out->secret;
	out->ch.username = out->username;
	out->ch.from = out->from;
	for (size_t i = 0; i < json_array_size(out->to) && i < VG_NOTIFY_TO_MAX; i++)
		out->ch.to[out->ch.nto++] = json_string_value(json_array_get(out->to, i));
	return VG_OK;
}

static void wipe_free(char *s)
{
	if (s) {
		memset(s, 0, strlen(s));
		free(s);
	}
}

void vg_channel_open_release(vg_channel_open *c)
{
	wipe_free(c->url);
	wipe_free(c->secret);
	free(c->username);
	free(c->from);
	json_decref(c->to);
	memset(c, 0, sizeof(*c));
}

/* The fields of in laid over the channel c (a new one is all zero). */
static void apply(vg_channel_open *c, const vg_channel_fields *in)
{
	if (in->url)
		c->ch.url = in->url;
	if (in->secret)
		c->ch.secret = in->secret;
	if (in->clear_secret)
		c->ch.secret = NULL;
	if (in->username)
		c->ch.username = *in->username ? in->username : NULL;
	if (in->from)
		c->ch.from = in->from;
	if (in->set_to) {
		c->ch.nto = in->nto;
		for (size_t i = 0; i < in->nto; i++)
			c->ch.to[i] = in->to[i];
	}
}

/* The channel as it would be after the change can send: refused now
 * rather than at its first message. */
static int check_result(const vg_channel_open *c, vg_error *err)
{
	if (!c->ch.url)
		return vg_error_set(err, VG_EINVAL, "missing field \"url\"");
	if (vg_line_check("url", c->ch.url, URL_MAX_BYTES, err))
		return VG_EINVAL;
	if (c->ch.type == VG_NOTIFY_EMAIL) {
		if (c->ch.from && vg_line_check("from", c->ch.from, 320, err))
			return VG_EINVAL;
	} else if (strncmp(c->ch.url, "https://", 8) != 0 && strncmp(c->ch.url, "http://", 7) != 0) {
		return vg_error_set(err, VG_EINVAL, "url must be an http or https URL");
	}
	return vg_notify_check(&c->ch, err);
}

/* The recipients as the JSON array stored in email_to (to free). */
static char *recipients_text(const vg_notify_channel *ch)
{
	json_t *a = json_array();
	char *text;

	for (size_t i = 0; i < ch->nto; i++)
		json_array_append_new(a, json_string(ch->to[i]));
	text = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	return text;
}

/* Seals what is to be stored; *url and *secret to free (secret NULL when
 * there is none). */
static int seal_both(const vg_master_key *key, const vg_notify_channel *ch, uint8_t **url,
		     size_t *url_len, uint8_t **secret, size_t *secret_len, vg_error *err)
{
	int rc = seal_text(key, ch->url, url, url_len, err);

	*secret = NULL;
	*secret_len = 0;
	if (!rc && ch->secret)
		rc = seal_text(key, ch->secret, secret, secret_len, err);
	if (rc) {
		free(*url);
		*url = NULL;
	}
	return rc;
}

int vg_channel_create(vg_tx *tx, const vg_ctx *ctx, const vg_master_key *key,
		      const vg_channel_fields *in, int64_t *id_out, vg_error *err)
{
	vg_channel_open c = { 0 };
	uint8_t *url = NULL, *secret = NULL;
	size_t url_len, secret_len;
	char hint[300], *to = NULL;
	int64_t now = vg_time_now_ms();
	vg_tenant t;
	int rc;

	*id_out = 0;
	if (!in->name || !in->type)
		return vg_error_set(err, VG_EINVAL, "missing field \"%s\"", in->name ? "type" : "name");
	rc = vg_line_check("name", in->name, NAME_MAX_BYTES, err);
	if (rc)
		return rc;
	rc = vg_notify_type_parse(in->type, &c.ch.type, err);
	if (rc)
		return rc;
	if (!in->tenant_id && ctx->tenant_id)
		return vg_error_set(err, VG_EPERM, "only staff keep the MSSP's channels");
	if (in->tenant_id) {
		rc = vg_tenant_get(tx, ctx, in->tenant_id, &t, err);
		if (rc)
			return rc;
		vg_tenant_release(&t);
	}
	apply(&c, in);
	rc = check_result(&c, err);
	if (rc)
		return rc;
	url_hint(c.ch.url, hint, sizeof(hint));
	to = recipients_text(&c.ch);
	rc = seal_both(key, &c.ch, &url, &url_len, &secret, &secret_len, err);
	if (!rc)
		rc = vg_tx_query_int(
			tx,
			"INSERT INTO channels (tenant_id, name, type, url_sealed, url_hint, "
			"secret_sealed, username, email_from, email_to, enabled, created_at, "
			"updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
			VG_PARAMS(VG_P_INT(in->tenant_id), VG_P_TEXT(in->name), VG_P_TEXT(in->type),
				  VG_P_BLOB(url, url_len), VG_P_TEXT(hint),
				  secret ? VG_P_BLOB(secret, secret_len) : VG_P_NULL,
				  VG_P_TEXT_OR_NULL(c.ch.username), VG_P_TEXT_OR_NULL(c.ch.from),
				  VG_P_TEXT(to ? to : "[]"), VG_P_INT(in->enabled != 0),
				  VG_P_INT(now), VG_P_INT(now)),
			id_out, err);
	if (rc == VG_EEXIST)
		rc = vg_error_set(err, VG_EEXIST, "the tenant has a channel named \"%s\"", in->name);
	free(url);
	free(secret);
	free(to);
	return rc;
}

int vg_channel_update(vg_tx *tx, const vg_ctx *ctx, const vg_master_key *key, int64_t id,
		      const vg_channel_fields *in, int64_t *tenant_id, vg_error *err)
{
	vg_channel_open cur;
	uint8_t *url = NULL, *secret = NULL;
	size_t url_len, secret_len;
	char hint[300], *to = NULL;
	int rc = vg_channel_open_get(tx, ctx, key, id, &cur, err);

	*tenant_id = 0;
	if (rc)
		return rc;
	*tenant_id = cur.tenant_id;
	if (in->name)
		rc = vg_line_check("name", in->name, NAME_MAX_BYTES, err);
	if (!rc) {
		apply(&cur, in);
		rc = check_result(&cur, err);
	}
	if (!rc) {
		url_hint(cur.ch.url, hint, sizeof(hint));
		to = recipients_text(&cur.ch);
		rc = seal_both(key, &cur.ch, &url, &url_len, &secret, &secret_len, err);
	}
	if (!rc)
		rc = vg_tx_exec(tx,
				"UPDATE channels SET name = ?, url_sealed = ?, url_hint = ?, "
				"secret_sealed = ?, username = ?, email_from = ?, email_to = ?, "
				"enabled = ?, updated_at = ? WHERE id = ?",
				VG_PARAMS(VG_P_TEXT(in->name ? in->name : cur.name),
					  VG_P_BLOB(url, url_len), VG_P_TEXT(hint),
					  secret ? VG_P_BLOB(secret, secret_len) : VG_P_NULL,
					  VG_P_TEXT_OR_NULL(cur.ch.username),
					  VG_P_TEXT_OR_NULL(cur.ch.from), VG_P_TEXT(to ? to : "[]"),
					  VG_P_INT(in->enabled >= 0 ? in->enabled != 0 : cur.enabled),
					  VG_P_INT(vg_time_now_ms()), VG_P_INT(id)),
				NULL, err);
	if (rc == VG_EEXIST)
		rc = vg_error_set(err, VG_EEXIST, "the tenant has a channel named \"%s\"", in->name);
	free(url);
	free(secret);
	free(to);
	vg_channel_open_release(&cur);
	return rc;
}

int vg_channel_delete(vg_tx *tx, const vg_ctx *ctx, int64_t id, int64_t *tenant_id,
		      vg_error *err)
{
	int rc = vg_tx_query_int(
		tx, "SELECT tenant_id FROM channels WHERE id = ? AND (? = 0 OR tenant_id = ?)",
		VG_PARAMS(VG_P_INT(id), VG_P_INT(ctx->tenant_id), VG_P_INT(ctx->tenant_id)), tenant_id,
		err);

	if (rc == VG_ENOTFOUND)
		return vg_error_set(err, VG_ENOTFOUND, "no such channel");
	if (rc)
		return rc;
	return vg_tx_exec(tx, "DELETE FROM channels WHERE id = ?", VG_PARAMS(VG_P_INT(id)), NULL,
			  err);
}
