/*
 * audit.c - appending to, verifying and listing the hash-chained audit
 * trail (the chain and its canonical row content are described in audit.h).
 */
#include "audit/audit.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/crypto.h"
#include "core/time.h"

#define GENESIS_HASH "0000000000000000000000000000000000000000000000000000000000000000"
#define AUDIT_ROW_MAX (64 * 1024)

typedef struct audit_row {
	int64_t id;
	int64_t at;
	const char *actor;
	int64_t actor_id; /* 0: none (NULL) */
	int64_t tenant_id; /* 0: none (NULL) */
	const char *action;
	const char *object;
	const char *source;
	const char *outcome;
	const char *detail;
} audit_row;

/* One field of the canonical content: "<byte length>:<bytes>". */
static int put_field(vg_buf *b, const char *s)
{
	return vg_buf_printf(b, "%zu:%s", strlen(s), s);
}

static int put_int(vg_buf *b, int64_t v)
{
	char text[24];

	snprintf(text, sizeof(text), "%lld", (long long)v);
	return put_field(b, text);
}

/* An id column that may be NULL (0 here): the empty field when NULL. */
static int put_id(vg_buf *b, int64_t v)
{
	return v ? put_int(b, v) : put_field(b, "");
}

/* hash = SHA-256(prev_hash || canonical content) as hex; VG_ETOOBIG when
 * the row is larger than AUDIT_ROW_MAX. */
static int row_hash(const audit_row *r, const char *prev_hash, char out[VG_SHA256_HEX_LEN])
{
	vg_buf b = VG_BUF_INIT(AUDIT_ROW_MAX);
	int rc;

	rc = vg_buf_puts(&b, prev_hash);
	if (!rc)
		rc = put_int(&b, r->id);
	if (!rc)
		rc = put_int(&b, r->at);
	if (!rc)
		rc = put_field(&b, r->actor);
	if (!rc)
		rc = put_id(&b, r->actor_id);
	if (!rc)
		rc = put_id(&b, r->tenant_id);
	if (!rc)
		rc = put_field(&b, r->action);
	if (!rc)
		rc = put_field(&b, r->object);
	if (!rc)
		rc = put_field(&b, r->source);
	if (!rc)
		rc = put_field(&b, r->outcome);
	if (!rc)
		rc = put_field(&b, r->detail);
	if (!rc)
		vg_sha256_hex(b.ptr, b.len, out);
	vg_buf_release(&b);
	return rc;
}

int vg_audit_append(vg_tx *tx, const vg_ctx *ctx, const vg_audit_entry *entry, vg_error *err)
{
	char prev[VG_SHA256_HEX_LEN] = GENESIS_HASH, hash[VG_SHA256_HEX_LEN];
	audit_row row = { 0 };
	vg_rows *rows;
	int rc;

	if (!entry->action || !entry->outcome)
		return vg_error_set(err, VG_EINVAL, "an audit row needs an action and an outcome");
	rc = vg_tx_query(tx, "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1",
			 VG_NO_PARAMS, &rows, err);
	if (rc)
		return rc;
	rc = vg_rows_next(rows, err);
	if (rc == 1) {
		row.id = vg_rows_int(rows, 0) + 1;
		snprintf(prev, sizeof(prev), "%s", vg_rows_text(rows, 1));
		rc = VG_OK;
	} else if (rc == 0) {
		row.id = 1;
	}
	vg_rows_free(rows);
	if (rc)
		return rc;
	row.at = vg_time_now_ms();
	row.actor = ctx->username;
	row.actor_id = ctx->user_id;
	row.tenant_id = entry->tenant_id ? entry->tenant_id : ctx->tenant_id;
	row.action = entry->action;
	row.object = entry->object ? entry->object : "";
	row.source = ctx->source;
	row.outcome = entry->outcome;
	row.detail = entry->detail ? entry->detail : "";
	rc = row_hash(&row, prev, hash);
	if (rc)
		return vg_error_set(err, rc, "audit row for %s is too large", row.action);
	return vg_tx_exec(tx,
			  "INSERT INTO audit_log (id, at, actor, actor_id, tenant_id, action, object, "
			  "source, outcome, detail, prev_hash, hash) "
			  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			  VG_PARAMS(VG_P_INT(row.id), VG_P_INT(row.at), VG_P_TEXT(row.actor),
				    VG_P_ID_OR_NULL(row.actor_id), VG_P_ID_OR_NULL(row.tenant_id),
				    VG_P_TEXT(row.action), VG_P_TEXT(row.object),
				    VG_P_TEXT(row.source), VG_P_TEXT(row.outcome),
				    VG_P_TEXT(row.detail), VG_P_TEXT(prev), VG_P_TEXT(hash)),
			  NULL, err);
}

static const char *text_or_empty(vg_rows *r, int col)
{
	const char *s = vg_rows_text(r, col);

	return s ? s : "";
}

int vg_audit_verify(vg_store *s, int64_t *rows_checked, int64_t *first_bad, vg_error *err)
{
	char expected_prev[VG_SHA256_HEX_LEN] = GENESIS_HASH, hash[VG_SHA256_HEX_LEN];
	vg_rows *rows = NULL;
	vg_tx *tx = NULL;
	int64_t count = 0;
	int rc;

	*rows_checked = 0;
	*first_bad = 0;
	rc = vg_tx_begin(s, false, &tx, err);
	if (rc)
		return rc;
	rc = vg_tx_query(tx,
			 "SELECT id, at, actor, actor_id, tenant_id, action, object, source, outcome, "
			 "detail, prev_hash, hash FROM audit_log ORDER BY id",
			 VG_NO_PARAMS, &rows, err);
	if (rc)
		goto out;
	while ((rc = vg_rows_next(rows, err)) == 1) {
		audit_row row = {
			.id = vg_rows_int(rows, 0),
			.at = vg_rows_int(rows, 1),
			.actor = text_or_empty(rows, 2),
			.actor_id = vg_rows_int(rows, 3),
			.tenant_id = vg_rows_int(rows, 4),
			.action = text_or_empty(rows, 5),
			.object = text_or_empty(rows, 6),
			.source = text_or_empty(rows, 7),
			.outcome = text_or_empty(rows, 8),
			.detail = text_or_empty(rows, 9),
		};
		const char *prev = text_or_empty(rows, 10);
		const char *stored = text_or_empty(rows, 11);
		/* Append writes no id as NULL, never 0; a stored 0 would hash as
		 * NULL, so it counts as a change. */
		bool zero_id = (!vg_rows_is_null(rows, 3) && row.actor_id == 0) ||
			       (!vg_rows_is_null(rows, 4) && row.tenant_id == 0);

		if (strcmp(prev, expected_prev) != 0) {
			*first_bad = row.id;
			rc = vg_error_set(err, VG_ECORRUPT,
					  "audit row %lld: chain broken before this row "
					  "(a row was inserted or deleted)", (long long)row.id);
			goto out;
		}
		if (zero_id || row_hash(&row, prev, hash) || strcmp(hash, stored) != 0) {
			*first_bad = row.id;
			rc = vg_error_set(err, VG_ECORRUPT,
					  "audit row %lld: content does not match its hash (row changed)",
					  (long long)row.id);
			goto out;
		}
		snprintf(expected_prev, sizeof(expected_prev), "%s", stored);
		count++;
	}
	if (rc == 0)
		*rows_checked = count;
out:
	vg_rows_free(rows);
	vg_tx_rollback(tx);
	return rc;
}

int vg_audit_list(vg_tx *tx, const vg_ctx *ctx, const vg_audit_filter *filter, json_t **out,
		  int64_t *last_id, vg_error *err)
{
	int64_t tenant = ctx->tenant_id ? ctx->tenant_id : filter->tenant_id;
	json_t *items;
	vg_rows *rows;
	int rc;

	*out = NULL;
	*last_id = 0;
	if (filter->tenant_id && !vg_ctx_sees_tenant(ctx, filter->tenant_id))
		return vg_error_set(err, VG_ENOTFOUND, "no such tenant");
	rc = vg_tx_query(tx,
			 "SELECT id, at, actor, actor_id, tenant_id, action, object, source, outcome, "
			 "detail, prev_hash, hash FROM audit_log "
			 "WHERE (? = 0 OR id < ?) AND (? = 0 OR tenant_id = ?) "
			 "AND (? IS NULL OR actor = ?) AND (? IS NULL OR action = ?) "
			 "ORDER BY id DESC LIMIT ?",
			 VG_PARAMS(VG_P_INT(filter->before_id), VG_P_INT(filter->before_id),
				   VG_P_INT(tenant), VG_P_INT(tenant),
				   VG_P_TEXT_OR_NULL(filter->actor), VG_P_TEXT_OR_NULL(filter->actor),
				   VG_P_TEXT_OR_NULL(filter->action),
				   VG_P_TEXT_OR_NULL(filter->action), VG_P_INT(filter->limit)),
			 &rows, err);
	if (rc)
		return rc;
	items = json_array();
	while ((rc = vg_rows_next(rows, err)) == 1) {
		char at[VG_TIME_ISO_LEN];

		vg_time_format_iso(vg_rows_int(rows, 1), at);
		*last_id = vg_rows_int(rows, 0);
		json_array_append_new(
			items,
			json_pack("{s:I, s:s, s:s, s:o, s:o, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
				  "id", (json_int_t)*last_id, "at", at, "actor",
				  text_or_empty(rows, 2), "actor_id",
				  vg_rows_is_null(rows, 3) ? json_null()
							   : json_integer(vg_rows_int(rows, 3)),
				  "tenant_id",
				  vg_rows_is_null(rows, 4) ? json_null()
							   : json_integer(vg_rows_int(rows, 4)),
				  "action", text_or_empty(rows, 5), "object", text_or_empty(rows, 6),
				  "source", text_or_empty(rows, 7), "outcome", text_or_empty(rows, 8),
				  "detail", text_or_empty(rows, 9), "prev_hash",
				  text_or_empty(rows, 10), "hash", text_or_empty(rows, 11)));
	}
	vg_rows_free(rows);
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	*out = items;
	return VG_OK;
}
