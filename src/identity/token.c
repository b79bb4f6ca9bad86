/* token.c - API token records (see token.h). */
#include "identity/token.h"

#include <stdio.h>
#include <string.h>

#include "core/crypto.h"
#include "core/time.h"
#include "identity/role.h"
#include "identity/user.h"

#define TOKEN_COLUMNS                                                                          \
	"id, name, user_id, tenant_id, prefix, scopes, expires_at, revoked_at, last_used_at, "  \
	"created_at"

int vg_token_scopes_parse(const char *text, unsigned *scopes, vg_error *err)
{
	const char *p = text;

	*scopes = 0;
	while (*p) {
		size_t len = strcspn(p, ", ");

		if (len == 4 && strncmp(p, "read", 4) == 0)
			*scopes |= VG_SCOPE_READ;
		else if (len == 5 && strncmp(p, "write", 5) == 0)
			*scopes |= VG_SCOPE_WRITE;
		else if (len)
			return vg_error_set(err, VG_EINVAL,
					    "unknown scope \"%.*s\" (scopes are read and write)",
					    (int)len, p);
		p += len;
		p += strspn(p, ", ");
	}
	if (!*scopes)
		return vg_error_set(err, VG_EINVAL, "a token needs at least one scope");
	return VG_OK;
}

static json_t *scopes_json(const char *text)
{
	json_t *a = json_array();
	unsigned scopes;

	if (vg_token_scopes_parse(text ? text : "", &scopes, NULL) == VG_OK) {
		if (scopes & VG_SCOPE_READ)
			json_array_append_new(a, json_string("read"));
		if (scopes & VG_SCOPE_WRITE)
			json_array_append_new(a, json_string("write"));
	}
	return a;
}

static json_t *row_to_json(vg_rows *r, void *unused)
{
	(void)unused;
	return json_pack("{s:I, s:s, s:I, s:o, s:s, s:o, s:o, s:o, s:o, s:o}", "id",
			 (json_int_t)vg_rows_int(r, 0), "name", vg_rows_text(r, 1), "user_id",
			 (json_int_t)vg_rows_int(r, 2), "tenant_id",
			 vg_rows_is_null(r, 3) ? json_null() : json_integer(vg_rows_int(r, 3)),
			 "prefix", vg_rows_text(r, 4), "scopes", scopes_json(vg_rows_text(r, 5)),
			 "expires_at", vg_rows_json_time(r, 6), "revoked_at", vg_rows_json_time(r, 7),
			 "last_used_at", vg_rows_json_time(r, 8), "created_at", vg_rows_json_time(r, 9));
}

int vg_token_create(vg_tx *tx, const vg_ctx *ctx, const vg_token_new *in, json_t **token_json,
		    vg_error *err)
{
	char secret[VG_TOKEN_LEN + 8], hash[VG_SHA256_HEX_LEN], prefix[16];
	int64_t owner_id = in->user_id ? in->user_id : ctx->user_id;
	int64_t now = vg_time_now_ms(), id;
	size_t name_len = strlen(in->name);
	vg_user owner;
	vg_rows *r;
	int rc;

	*token_json = NULL;
	if (name_len < 1 || name_len > 100)
		return vg_error_set(err, VG_EINVAL, "token name must be 1 to 100 characters");
	if (!in->scopes || (in->scopes & ~(unsigned)VG_SCOPE_ALL))
		return vg_error_set(err, VG_EINVAL, "a token needs at least one scope");
	if (in->expires_in_days < 0 || in->expires_in_days > 3650)
		return vg_error_set(err, VG_EINVAL, "expires_in_days must be from 1 to 3650");
	if (!owner_id)
		return vg_error_set(err, VG_EINVAL, "name the user the token is for");
	rc = vg_user_get(tx, ctx, owner_id, &owner, err);
	if (rc)
		return rc;
	if (owner_id != ctx->user_id && ctx->role != VG_ROLE_ADMIN && ctx->role != VG_ROLE_SYSTEM)
		return vg_error_set(err, VG_EPERM, "only an admin may create tokens for other users");
	memcpy(secret, VG_TOKEN_PREFIX, sizeof(VG_TOKEN_PREFIX));
	vg_random_token(32, secret + strlen(VG_TOKEN_PREFIX),
			sizeof(secret) - strlen(VG_TOKEN_PREFIX));
	vg_sha256_hex(secret, strlen(secret), hash);
	snprintf(prefix, sizeof(prefix), "%.10s", secret);
	rc = vg_tx_query_int(tx,
			     "INSERT INTO api_tokens (user_id, tenant_id, name, token_hash, prefix, "
			     "scopes, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
			     "RETURNING id",
			     VG_PARAMS(VG_P_INT(owner_id), VG_P_ID_OR_NULL(owner.tenant_id),
				       VG_P_TEXT(in->name), VG_P_TEXT(hash), VG_P_TEXT(prefix),
				       VG_P_TEXT(in->scopes == VG_SCOPE_ALL
							 ? "read write"
							 : (in->scopes & VG_SCOPE_READ ? "read" : "write")),
				       in->expires_in_days
					       ? VG_P_INT(now + (int64_t)in->expires_in_days * 86400000)
					       : VG_P_NULL,
				       VG_P_INT(now)),
			     &id, err);
	if (!rc)
		rc = vg_tx_query(tx, "SELECT " TOKEN_COLUMNS " FROM api_tokens WHERE id = ?",
				 VG_PARAMS(VG_P_INT(id)), &r, err);
	if (rc)
		goto out;
	rc = vg_rows_next(r, err);
	if (rc == 1) {
		*token_json = row_to_json(r, NULL);
		json_object_set_new(*token_json, "token", json_string(secret));
		rc = VG_OK;
	} else if (rc == 0) {
		rc = vg_error_set(err, VG_EFAIL, "token vanished after insert");
	}
	vg_rows_free(r);
out:
	memset(secret, 0, sizeof(secret));
	return rc;
}

int vg_token_list(vg_tx *tx, const vg_ctx *ctx, int64_t tenant_id, int64_t user_id,
		  int64_t after_id, int limit, json_t **items, int64_t *last_id, vg_error *err)
{
	bool all = vg_ctx_can(ctx, VG_PERM_TOKEN_READ);
	int64_t owner = all ? user_id : ctx->user_id;
	int64_t tenant = ctx->tenant_id ? ctx->tenant_id : tenant_id;

	*items = NULL;
	*last_id = 0;
	return vg_tx_query_list(tx,
				"SELECT " TOKEN_COLUMNS " FROM api_tokens WHERE id > ? "
				"AND (? = 0 OR user_id = ?) AND (? = 0 OR tenant_id = ?) "
				"ORDER BY id LIMIT ?",
				VG_PARAMS(VG_P_INT(after_id), VG_P_INT(owner), VG_P_INT(owner),
					  VG_P_INT(tenant), VG_P_INT(tenant), VG_P_INT(limit)),
				row_to_json, NULL, items, last_id, err);
}

int vg_token_revoke(vg_tx *tx, const vg_ctx *ctx, int64_t id, vg_error *err)
{
	int64_t owner = 0, tenant = 0;
	vg_rows *r;
	int rc;

	rc = vg_tx_query(tx, "SELECT user_id, tenant_id FROM api_tokens WHERE id = ?",
			 VG_PARAMS(VG_P_INT(id)), &r, err);
	if (rc)
		return rc;
	rc = vg_rows_next(r, err);
	if (rc == 1) {
		owner = vg_rows_int(r, 0);
		tenant = vg_rows_int(r, 1);
		rc = VG_OK;
	} else if (rc == 0) {
		rc = VG_ENOTFOUND;
	}
	vg_rows_free(r);
	if (rc == VG_OK && (!vg_ctx_sees_tenant(ctx, tenant) || (ctx->tenant_id && !tenant)))
		rc = VG_ENOTFOUND;
	if (rc == VG_ENOTFOUND)
		return vg_error_set(err, VG_ENOTFOUND, "no such token");
	if (rc)
		return rc;
	if (owner != ctx->user_id && ctx->role != VG_ROLE_ADMIN && ctx->role != VG_ROLE_SYSTEM)
		return vg_error_set(err, ctx->tenant_id ? VG_ENOTFOUND : VG_EPERM,
				    ctx->tenant_id ? "no such token"
						   : "only an admin may revoke other users' tokens");
	return vg_tx_exec(tx,
			  "UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?",
			  VG_PARAMS(VG_P_INT(vg_time_now_ms()), VG_P_INT(id)), NULL, err);
}
