/* mailbox.c - mailboxes and the mail read from them, in the store (see mailbox.h). */
#include "mail/mailbox.h"

#include <stdlib.h>
#include <string.h>

#include "core/time.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "mail/imap.h"
#include "ops/tenant.h"

#define MAILBOX_COLUMNS                                                                            \
	"m.id, m.tenant_id, m.name, m.url, m.username, m.address, m.reply_channel_id, "            \
	"m.enabled, m.uidvalidity, m.last_uid, m.polled_at, m.last_error, m.created_at, "          \
	"m.updated_at, (SELECT json_group_object(status, n) FROM (SELECT status, "                 \
	"count(*) AS n FROM mail_messages WHERE mailbox_id = m.id GROUP BY status))"
#define MAIL_COLUMNS                                                                               \
	"id, mailbox_id, uid, received_at, size, message_id, from_address, subject, "              \
	"status, reason, tenant_id, ticket_id, attempts, created_at, updated_at, "                 \
	"raw IS NOT NULL"
#define NAME_MAX_BYTES 200
#define TEXT_MAX_BYTES 320

static const char *const statuses[] = {"ticket", "comment", "triage",
				       "failed", "ignored", "dismissed"};

static json_t *id_or_null(vg_rows *r, int col)
{
	return vg_rows_int(r, col) ? json_integer(vg_rows_int(r, col)) : json_null();
}

static json_t *mailbox_json(vg_rows *r, void *unused)
{
	json_t *counts = json_loads(vg_rows_text(r, 14) ? vg_rows_text(r, 14) : "{}", 0, NULL);

	(void)unused;
	return json_pack(
	    "{s:I, s:o, s:s, s:s, s:s, s:s, s:o, s:b, s:o, s:o, s:o, s:o}", "id",
	    (json_int_t)vg_rows_int(r, 0), "tenant_id", id_or_null(r, 1), "name",
	    vg_rows_text(r, 2), "url", vg_rows_text(r, 3), "username", vg_rows_text(r, 4),
	    "address", vg_rows_text(r, 5), "reply_channel_id", id_or_null(r, 6), "enabled",
	    (int)vg_rows_int(r, 7), "read",
	    json_pack("{s:I, s:I, s:o, s:o}", "uidvalidity", (json_int_t)vg_rows_int(r, 8),
		      "last_uid", (json_int_t)vg_rows_int(r, 9), "polled_at",
		      vg_rows_json_time(r, 10), "last_error", vg_rows_json_text(r, 11)),
	    "mail", counts ? counts : json_object(), "created_at", vg_rows_json_time(r, 12),
	    "updated_at", vg_rows_json_time(r, 13));
}

int vg_mailbox_get(vg_tx *tx, const vg_ctx *ctx, int64_t id, json_t **out, vg_error *err)
{
	return vg_tx_query_object(
	    tx,
	    "SELECT " MAILBOX_COLUMNS " FROM mailboxes m WHERE m.id = ? AND "
	    "(? = 0 OR m.tenant_id = ?)",
	    VG_PARAMS(VG_P_INT(id), VG_P_INT(ctx->tenant_id), VG_P_INT(ctx->tenant_id)),
	    mailbox_json, NULL, "mailbox", out, err);
}

int vg_mailbox_list(vg_tx *tx, const vg_ctx *ctx, int64_t tenant_id, int64_t after_id, int limit,
		    json_t **items, int64_t *last_id, vg_error *err)
{
	*items = NULL;
	*last_id = 0;
	if (tenant_id && !vg_ctx_sees_tenant(ctx, tenant_id))
		return vg_error_set(err, VG_ENOTFOUND, "no such tenant");
	return vg_tx_query_list(
	    tx,
	    "SELECT " MAILBOX_COLUMNS " FROM mailboxes m WHERE m.id > ? AND (? = 0 OR "
	    "m.tenant_id = ?) AND (? = 0 OR m.tenant_id = ?) ORDER BY m.id LIMIT ?",
	    VG_PARAMS(VG_P_INT(after_id), VG_P_INT(tenant_id), VG_P_INT(tenant_id),
		      VG_P_INT(ctx->tenant_id), VG_P_INT(ctx->tenant_id), VG_P_INT(limit)),
	    mailbox_json, NULL, items, last_id, err);
}

static int check_address(const char *address, vg_error *err)
{
	const char *at = strchr(address, '@');

	if (vg_line_check("address", address, TEXT_MAX_BYTES, err))
		return VG_EINVAL;
	if (!at || at == address || !at[1] || strchr(at + 1, '@') || strpbrk(address, " <>,;\""))
		return vg_error_set(err, VG_EINVAL,
				    "address must be one mail address (a@b.example)");
	return VG_OK;
}

/* The reply channel must be an email channel the mailbox's tenant may use:
 * the MSSP's, or the tenant's own. */
static int check_reply_channel(vg_tx *tx, const vg_ctx *ctx, int64_t channel_id, int64_t tenant_id,
			       vg_error *err)
{
	vg_rows *r;
	int rc = vg_tx_query(
	    tx,
	    "SELECT type, COALESCE(tenant_id, 0) FROM channels WHERE id = ? AND "
	    "(? = 0 OR tenant_id = ?)",
	    VG_PARAMS(VG_P_INT(channel_id), VG_P_INT(ctx->tenant_id), VG_P_INT(ctx->tenant_id)), &r,
	    err);

	if (rc)
		return rc;
	rc = vg_rows_next(r, err);
	if (rc == 0)
		rc = vg_error_set(err, VG_ENOTFOUND, "no such channel");
	else if (rc == 1 && strcmp(vg_rows_text(r, 0), "email") != 0)
		rc = vg_error_set(err, VG_EINVAL, "reply_channel_id must be an email channel");
	else if (rc == 1 && vg_rows_int(r, 1) && vg_rows_int(r, 1) != tenant_id)
		rc = vg_error_set(err, VG_EINVAL, "the reply channel belongs to another tenant");
	else if (rc == 1)
		rc = VG_OK;
	vg_rows_free(r);
	return rc;
}

/* The fields given, each checked. */
static int check_fields(const vg_mailbox_fields *in, vg_error *err)
{
	if (in->name && vg_line_check("name", in->name, NAME_MAX_BYTES, err))
		return VG_EINVAL;
	if (in->url && vg_imap_url_check(in->url, err))
		return VG_EINVAL;
	if (in->username && vg_line_check("username", in->username, TEXT_MAX_BYTES, err))
		return VG_EINVAL;
	if (in->password && vg_line_check("password", in->password, 1024, err))
		return VG_EINVAL;
	if (in->address && check_address(in->address, err))
		return VG_EINVAL;
	return VG_OK;
}

/* The address lowercased, as senders are matched. */
static char *lower_dup(const char *s)
{
	char *d = vg_xstrdup(s);

	for (char *p = d; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p + 32);
	return d;
}

int vg_mailbox_create(vg_tx *tx, const vg_ctx *ctx, const vg_master_key *key,
		      const vg_mailbox_fields *in, int64_t *id, vg_error *err)
{
	const char *missing = !in->name	      ? "name"
			      : !in->url      ? "url"
			      : !in->username ? "username"
			      : !in->password ? "password"
			      : !in->address  ? "address"
					      : NULL;
	int64_t now = vg_time_now_ms();
	uint8_t *sealed = NULL;
	size_t sealed_len;
	char *address;
	vg_tenant t;
	int rc;

	*id = 0;
	if (missing)
		return vg_error_set(err, VG_EINVAL, "missing field \"%s\"", missing);
	rc = check_fields(in, err);
	if (rc)
		return rc;
	if (!in->tenant_id && ctx->tenant_id)
		return vg_error_set(err, VG_EPERM,
				    "only unscoped staff keep the deployment's mailboxes");
	if (in->tenant_id) {
		rc = vg_tenant_get(tx, ctx, in->tenant_id, &t, err);
		if (rc)
			return rc;
		vg_tenant_release(&t);
	}
	if (in->reply_channel_id) {
		rc = check_reply_channel(tx, ctx, in->reply_channel_id, in->tenant_id, err);
		if (rc)
			return rc;
	}
	rc = vg_seal(key, in->password, strlen(in->password), &sealed, &sealed_len, err);
	if (rc)
		return rc;
	address = lower_dup(in->address);
	rc = vg_tx_query_int(
	    tx,
	    "INSERT INTO mailboxes (tenant_id, name, url, username, password_sealed, address, "
	    "reply_channel_id, enabled, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, "
	    "?, ?, ?) RETURNING id",
	    VG_PARAMS(VG_P_ID_OR_NULL(in->tenant_id), VG_P_TEXT(in->name), VG_P_TEXT(in->url),
		      VG_P_TEXT(in->username), VG_P_BLOB(sealed, sealed_len), VG_P_TEXT(address),
		      VG_P_ID_OR_NULL(in->reply_channel_id), VG_P_INT(in->enabled != 0),
		      VG_P_INT(now), VG_P_INT(now)),
	    id, err);
	if (rc == VG_EEXIST)
		rc = vg_error_set(err, VG_EEXIST, "a mailbox named \"%s\" exists", in->name);
	free(sealed);
	free(address);
	return rc;
}

int vg_mailbox_update(vg_tx *tx, const vg_ctx *ctx, const vg_master_key *key, int64_t id,
		      const vg_mailbox_fields *in, int64_t *tenant_id, vg_error *err)
{
	int64_t now = vg_time_now_ms();
	uint8_t *sealed = NULL;
	size_t sealed_len = 0;
	char *address = NULL;
	int rc = vg_tx_query_int(
	    tx,
	    "SELECT COALESCE(tenant_id, 0) FROM mailboxes WHERE id = ? AND "
	    "(? = 0 OR tenant_id = ?)",
	    VG_PARAMS(VG_P_INT(id), VG_P_INT(ctx->tenant_id), VG_P_INT(ctx->tenant_id)), tenant_id,
	    err);

	if (rc == VG_ENOTFOUND)
		return vg_error_set(err, VG_ENOTFOUND, "no such mailbox");
	if (!rc)
		rc = check_fields(in, err);
	if (!rc && in->reply_channel_id)
		rc = check_reply_channel(tx, ctx, in->reply_channel_id, *tenant_id, err);
	if (!rc && in->password)
		rc = vg_seal(key, in->password, strlen(in->password), &sealed, &sealed_len, err);
	if (rc)
		return rc;
	address = in->address ? lower_dup(in->address) : NULL;
	/* A new URL or login is another folder: its UIDs start again. */
	rc = vg_tx_exec(
	    tx,
	    "UPDATE mailboxes SET name = COALESCE(?, name), "
	    "uidvalidity = CASE WHEN ? IS NULL OR ? = url THEN uidvalidity ELSE 0 END, "
	    "last_uid = CASE WHEN ? IS NULL OR ? = url THEN last_uid ELSE 0 END, "
	    "url = COALESCE(?, url), username = COALESCE(?, username), "
	    "password_sealed = COALESCE(?, password_sealed), address = COALESCE(?, address), "
	    "reply_channel_id = CASE WHEN ? THEN NULL ELSE COALESCE(?, reply_channel_id) END, "
	    "enabled = CASE WHEN ? < 0 THEN enabled ELSE ? END, updated_at = ? WHERE id = ?",
	    VG_PARAMS(
		VG_P_TEXT_OR_NULL(in->name), VG_P_TEXT_OR_NULL(in->url), VG_P_TEXT_OR_NULL(in->url),
		VG_P_TEXT_OR_NULL(in->url), VG_P_TEXT_OR_NULL(in->url), VG_P_TEXT_OR_NULL(in->url),
		VG_P_TEXT_OR_NULL(in->username), sealed ? VG_P_BLOB(sealed, sealed_len) : VG_P_NULL,
		VG_P_TEXT_OR_NULL(address), VG_P_INT(in->clear_reply_channel),
		VG_P_ID_OR_NULL(in->reply_channel_id), VG_P_INT(in->enabled), VG_P_INT(in->enabled),
		VG_P_INT(now), VG_P_INT(id)),
	    NULL, err);
	if (rc == VG_EEXIST)
		rc = vg_error_set(err, VG_EEXIST, "a mailbox named \"%s\" exists", in->name);
	free(sealed);
	free(address);
	return rc;
}

int vg_mailboxes_enabled(vg_tx *tx, const vg_master_key *key, vg_mailbox_open **v, size_t *n,
			 vg_error *err)
{
	vg_rows *r;
	int rc = vg_tx_query(tx,
			     "SELECT id, COALESCE(tenant_id, 0), COALESCE(reply_channel_id, 0), "
			     "uidvalidity, last_uid, name, url, username, password_sealed, address "
			     "FROM mailboxes WHERE enabled ORDER BY id",
			     NULL, 0, &r, err);

	*v = NULL;
	*n = 0;
	if (rc)
		return rc;
	while ((rc = vg_rows_next(r, err)) == 1) {
		vg_mailbox_open *m;
		size_t len, plain_len;
		const void *blob = vg_rows_blob(r, 8, &len);
		uint8_t *plain = NULL;

		*v = vg_xrealloc(*v, (*n + 1) * sizeof(**v));
		m = &(*v)[(*n)++];
		*m = (vg_mailbox_open){.id = vg_rows_int(r, 0),
				       .tenant_id = vg_rows_int(r, 1),
				       .reply_channel_id = vg_rows_int(r, 2),
				       .uidvalidity = vg_rows_int(r, 3),
				       .last_uid = vg_rows_int(r, 4),
				       .name = vg_xstrdup(vg_rows_text(r, 5)),
				       .url = vg_xstrdup(vg_rows_text(r, 6)),
				       .username = vg_xstrdup(vg_rows_text(r, 7)),
				       .address = vg_xstrdup(vg_rows_text(r, 9))};
		rc = vg_unseal(key, blob, len, &plain, &plain_len, err);
		if (rc)
			break;
		m->password = (char *)plain;
	}
	vg_rows_free(r);
	if (rc < 0) {
		vg_mailbox_open_free(*v, *n);
		*v = NULL;
		*n = 0;
		return rc;
	}
	return VG_OK;
}

void vg_mailbox_open_free(vg_mailbox_open *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (v[i].password) {
			memset(v[i].password, 0, strlen(v[i].password));
			free(v[i].password);
		}
		free(v[i].name);
		free(v[i].url);
		free(v[i].username);
		free(v[i].address);
	}
	free(v);
}

static json_t *mail_json(vg_rows *r, void *unused)
{
	(void)unused;
	return json_pack("{s:I, s:I, s:I, s:o, s:I, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:I, "
			 "s:o, s:o, s:b}",
			 "id", (json_int_t)vg_rows_int(r, 0), "mailbox_id",
			 (json_int_t)vg_rows_int(r, 1), "uid", (json_int_t)vg_rows_int(r, 2),
			 "received_at", vg_rows_json_time(r, 3), "size",
			 (json_int_t)vg_rows_int(r, 4), "message_id", vg_rows_text(r, 5), "from",
			 vg_rows_text(r, 6), "subject", vg_rows_text(r, 7), "status",
			 vg_rows_text(r, 8), "reason", vg_rows_text(r, 9), "tenant_id",
			 id_or_null(r, 10), "ticket_id", id_or_null(r, 11), "attempts",
			 (json_int_t)vg_rows_int(r, 12), "created_at", vg_rows_json_time(r, 13),
			 "updated_at", vg_rows_json_time(r, 14), "kept", (int)vg_rows_int(r, 15));
}

/* VG_ENOTFOUND "no such mailbox" unless ctx sees mailbox_id. */
static int see_mailbox(vg_tx *tx, const vg_ctx *ctx, int64_t mailbox_id, vg_error *err)
{
	int64_t found;
	int rc = vg_tx_query_int(
	    tx, "SELECT id FROM mailboxes WHERE id = ? AND (? = 0 OR tenant_id = ?)",
	    VG_PARAMS(VG_P_INT(mailbox_id), VG_P_INT(ctx->tenant_id), VG_P_INT(ctx->tenant_id)),
	    &found, err);

	return rc == VG_ENOTFOUND ? vg_error_set(err, VG_ENOTFOUND, "no such mailbox") : rc;
}

int vg_mail_list(vg_tx *tx, const vg_ctx *ctx, int64_t mailbox_id, const char *status,
		 int64_t after_id, int limit, json_t **items, int64_t *last_id, vg_error *err)
{
	bool known = !*status;
	int rc;

	*items = NULL;
	*last_id = 0;
	for (size_t i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++)
		known = known || strcmp(status, statuses[i]) == 0;
	if (!known)
		return vg_error_set(err, VG_EINVAL,
				    "status must be ticket, comment, triage, failed, ignored or "
				    "dismissed");
	rc = see_mailbox(tx, ctx, mailbox_id, err);
	if (rc)
		return rc;
	return vg_tx_query_list(tx,
				"SELECT " MAIL_COLUMNS " FROM mail_messages WHERE mailbox_id = ? "
				"AND id > ? AND (? = '' OR status = ?) ORDER BY id LIMIT ?",
				VG_PARAMS(VG_P_INT(mailbox_id), VG_P_INT(after_id),
					  VG_P_TEXT(status), VG_P_TEXT(status), VG_P_INT(limit)),
				mail_json, NULL, items, last_id, err);
}

int vg_mail_get(vg_tx *tx, const vg_ctx *ctx, int64_t mailbox_id, int64_t id, json_t **out,
		vg_error *err)
{
	int rc = see_mailbox(tx, ctx, mailbox_id, err);

	*out = NULL;
	if (rc)
		return rc;
	return vg_tx_query_object(tx,
				  "SELECT " MAIL_COLUMNS " FROM mail_messages WHERE id = ? AND "
				  "mailbox_id = ?",
				  VG_PARAMS(VG_P_INT(id), VG_P_INT(mailbox_id)), mail_json, NULL,
				  "mail", out, err);
}
