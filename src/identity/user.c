/* user.c - user records and the rules for managing them (see user.h). */
#include "identity/user.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/time.h"
#include "identity/password.h"
#include "identity/role.h"
#include "identity/totp.h"

#define USER_COLUMNS                                                                           \
	"id, tenant_id, username, display_name, email, role, disabled, totp_enabled, "         \
	"created_at, updated_at"

static bool valid_username(const char *s)
{
	size_t len = strlen(s);

	if (len < 2 || len > VG_USERNAME_MAX)
		return false;
	if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= '0' && s[0] <= '9')))
		return false;
	return strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789._-") == len;
}

static void copy_text(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src ? src : "");
}

static void row_to_user(vg_rows *r, vg_user *u)
{
	memset(u, 0, sizeof(*u));
	u->id = vg_rows_int(r, 0);
	u->tenant_id = vg_rows_int(r, 1);
	copy_text(u->username, sizeof(u->username), vg_rows_text(r, 2));
	copy_text(u->display_name, sizeof(u->display_name), vg_rows_text(r, 3));
	copy_text(u->email, sizeof(u->email), vg_rows_text(r, 4));
	u->role = vg_role_parse(vg_rows_text(r, 5));
	u->disabled = vg_rows_int(r, 6) != 0;
	u->totp_enabled = vg_rows_int(r, 7) != 0;
	u->created_at = vg_rows_int(r, 8);
	u->updated_at = vg_rows_int(r, 9);
}

/* Reads the one user matched by sql/params; VG_ENOTFOUND when none or when
 * ctx may not see it. */
static int load_user(vg_tx *tx, const vg_ctx *ctx, const char *sql, const vg_param *params,
		     size_t n, vg_user *out, vg_error *err)
{
	vg_rows *r;
	int rc;

	rc = vg_tx_query(tx, sql, params, n, &r, err);
	if (rc)
		return rc;
	rc = vg_rows_next(r, err);
	if (rc == 1) {
		row_to_user(r, out);
		rc = VG_OK;
	} else if (rc == 0) {
		rc = VG_ENOTFOUND;
	}
	vg_rows_free(r);
	if (rc == VG_OK && ctx->tenant_id && out->tenant_id != ctx->tenant_id)
		rc = VG_ENOTFOUND;
	if (rc == VG_ENOTFOUND)
		vg_error_set(err, VG_ENOTFOUND, "no such user");
	return rc;
}

int vg_user_get(vg_tx *tx, const vg_ctx *ctx, int64_t id, vg_user *out, vg_error *err)
{
	return load_user(tx, ctx, "SELECT " USER_COLUMNS " FROM users WHERE id = ?",
			 VG_PARAMS(VG_P_INT(id)), out, err);
}

int vg_user_find(vg_tx *tx, const vg_ctx *ctx, const char *username, vg_user *out,
		 vg_error *err)
{
	return load_user(tx, ctx, "SELECT " USER_COLUMNS " FROM users WHERE username = ?",
			 VG_PARAMS(VG_P_TEXT(username)), out, err);
}

/* Checks that the caller may manage a user of this role in this tenant. */
static int check_manage(vg_tx *tx, const vg_ctx *ctx, vg_role role, int64_t tenant_id,
			vg_error *err)
{
	int64_t exists;

	if (role == VG_ROLE_NONE || role == VG_ROLE_SYSTEM)
		return vg_error_set(err, VG_EINVAL,
				    "role must be admin, manager, analyst, auditor, "
				    "customer_admin or customer_user");
	if (vg_role_is_customer(role)) {
		if (!tenant_id)
			return vg_error_set(err, VG_EINVAL, "customer users need a tenant_id");
		if (!vg_ctx_sees_tenant(ctx, tenant_id) ||
		    vg_tx_query_int(tx, "SELECT COUNT(*) FROM tenants WHERE id = ?",
				    VG_PARAMS(VG_P_INT(tenant_id)), &exists, err) ||
		    !exists)
			return vg_error_set(err, VG_ENOTFOUND, "no such tenant");
		if (!vg_ctx_can(ctx, VG_PERM_USER_WRITE))
			return vg_error_set(err, VG_EPERM, "not allowed to manage users");
		return VG_OK;
	}
	if (tenant_id)
		return vg_error_set(err, VG_EINVAL, "staff users belong to no tenant");
	if (!vg_ctx_can(ctx, VG_PERM_STAFF_WRITE))
		return vg_error_set(err, VG_EPERM, "only an admin may manage staff users");
	return VG_OK;
}

int vg_user_create(vg_tx *tx, const vg_ctx *ctx, const vg_user_new *in, int64_t *id_out,
		   vg_error *err)
{
	char hash[VG_PASSWORD_HASH_MAX];
	int64_t now = vg_time_now_ms();
	int rc;

	*id_out = 0;
	if (!valid_username(in->username))
		return vg_error_set(err, VG_EINVAL,
				    "username must be 2 to 64 characters of a-z, 0-9, '.', '_' "
				    "and '-', starting with a letter or digit");
	rc = check_manage(tx, ctx, in->role, in->tenant_id, err);
	if (!rc)
		rc = vg_password_hash(in->password, hash, err);
	if (rc)
		return rc;
	rc = vg_tx_query_int(tx,
			     "INSERT INTO users (tenant_id, username, display_name, email, role, "
			     "password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
			     "RETURNING id",
			     VG_PARAMS(VG_P_ID_OR_NULL(in->tenant_id), VG_P_TEXT(in->username),
				       VG_P_TEXT(in->display_name ? in->display_name : ""),
				       VG_P_TEXT(in->email ? in->email : ""),
				       VG_P_TEXT(vg_role_name(in->role)), VG_P_TEXT(hash),
				       VG_P_INT(now), VG_P_INT(now)),
			     id_out, err);
	if (rc == VG_EEXIST)
		vg_error_set(err, VG_EEXIST, "username \"%s\" is taken", in->username);
	return rc;
}

static json_t *user_json(vg_rows *r, void *unused)
{
	vg_user u;

	(void)unused;
	row_to_user(r, &u);
	return vg_user_to_json(&u);
}

int vg_user_list(vg_tx *tx, const vg_ctx *ctx, int64_t tenant_id, int64_t after_id, int limit,
		 json_t **items, int64_t *last_id, vg_error *err)
{
	int64_t scope = ctx->tenant_id ? ctx->tenant_id : tenant_id;

	*items = NULL;
	*last_id = 0;
	return vg_tx_query_list(
	    tx,
	    "SELECT " USER_COLUMNS " FROM users WHERE id > ? "
	    "AND (? = 0 OR tenant_id = ?) ORDER BY id LIMIT ?",
	    VG_PARAMS(VG_P_INT(after_id), VG_P_INT(scope), VG_P_INT(scope), VG_P_INT(limit)),
	    user_json, NULL, items, last_id, err);
}

static int end_sessions(vg_tx *tx, int64_t user_id, int64_t keep_session, vg_error *err)
{
	return vg_tx_exec(tx, "DELETE FROM sessions WHERE user_id = ? AND id <> ?",
			  VG_PARAMS(VG_P_INT(user_id), VG_P_INT(keep_session)), NULL, err);
}

int vg_user_update(vg_tx *tx, const vg_ctx *ctx, int64_t id, const vg_user_change *change,
		   vg_error *err)
{
	char hash[VG_PASSWORD_HASH_MAX];
	vg_user u;
	int rc;

	rc = vg_user_get(tx, ctx, id, &u, err);
	if (rc)
		return rc;
	rc = check_manage(tx, ctx, u.role, u.tenant_id, err);
	if (rc)
		return rc == VG_ENOTFOUND ? vg_error_set(err, VG_ENOTFOUND, "no such user") : rc;
	if (id == ctx->user_id && ((change->role != VG_ROLE_NONE && change->role != u.role) ||
				   change->disabled == 1))
		return vg_error_set(err, VG_ECONFLICT,
				    "you cannot disable yourself or change your own role");
	if (change->role != VG_ROLE_NONE && change->role != u.role) {
		if (vg_role_is_customer(change->role) != vg_role_is_customer(u.role))
			return vg_error_set(err, VG_EINVAL,
					    "a staff user cannot become a customer user or the reverse");
		rc = check_manage(tx, ctx, change->role, u.tenant_id, err);
		if (rc)
			return rc;
	}
	if (change->password) {
		rc = vg_password_hash(change->password, hash, err);
		if (rc)
			return rc;
	}
	rc = vg_tx_exec(tx,
			"UPDATE users SET display_name = COALESCE(?, display_name), "
			"email = COALESCE(?, email), role = COALESCE(?, role), "
			"disabled = CASE WHEN ? < 0 THEN disabled ELSE ? END, "
			"password_hash = COALESCE(?, password_hash), updated_at = ? WHERE id = ?",
			VG_PARAMS(VG_P_TEXT_OR_NULL(change->display_name),
				  VG_P_TEXT_OR_NULL(change->email),
				  change->role != VG_ROLE_NONE ? VG_P_TEXT(vg_role_name(change->role))
							       : VG_P_NULL,
				  VG_P_INT(change->disabled), VG_P_INT(change->disabled),
				  change->password ? VG_P_TEXT(hash) : VG_P_NULL,
				  VG_P_INT(vg_time_now_ms()), VG_P_INT(id)),
			NULL, err);
	if (!rc && (change->password || change->disabled == 1))
		rc = end_sessions(tx, id, 0, err);
	return rc;
}

int vg_user_change_own_password(vg_tx *tx, const vg_ctx *ctx, const char *current,
				const char *replacement, vg_error *err)
{
	char hash[VG_PASSWORD_HASH_MAX];
	vg_rows *r;
	bool ok = false;
	int rc;

	rc = vg_tx_query(tx, "SELECT password_hash FROM users WHERE id = ?",
			 VG_PARAMS(VG_P_INT(ctx->user_id)), &r, err);
	if (rc)
		return rc;
	rc = vg_rows_next(r, err);
	if (rc == 1)
		ok = vg_password_verify(vg_rows_text(r, 0), current);
	vg_rows_free(r);
	if (rc < 0)
		return rc;
	if (!ok)
		return vg_error_set(err, VG_EAUTH, "current password is wrong");
	rc = vg_password_hash(replacement, hash, err);
	if (!rc)
		rc = vg_tx_exec(tx, "UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?",
				VG_PARAMS(VG_P_TEXT(hash), VG_P_INT(vg_time_now_ms()),
					  VG_P_INT(ctx->user_id)),
				NULL, err);
	if (!rc)
		rc = end_sessions(tx, ctx->user_id, ctx->session_id, err);
	return rc;
}

int vg_user_totp_enroll(vg_tx *tx, const vg_ctx *ctx, const vg_master_key *key,
			char **secret_out, char **uri_out, vg_error *err)
{
	char secret[VG_TOTP_SECRET_LEN + 1];
	uint8_t *sealed = NULL;
	size_t sealed_len;
	vg_user u;
	int rc;

	*secret_out = *uri_out = NULL;
	rc = vg_user_get(tx, ctx, ctx->user_id, &u, err);
	if (rc)
		return rc;
	if (u.totp_enabled)
		return vg_error_set(err, VG_ECONFLICT, "two-factor authentication is already enabled");
	vg_totp_secret_new(secret);
	rc = vg_seal(key, secret, strlen(secret), &sealed, &sealed_len, err);
	if (!rc)
		rc = vg_tx_exec(tx, "UPDATE users SET totp_secret = ?, updated_at = ? WHERE id = ?",
				VG_PARAMS(VG_P_BLOB(sealed, sealed_len), VG_P_INT(vg_time_now_ms()),
					  VG_P_INT(u.id)),
				NULL, err);
	if (!rc)
		rc = vg_totp_uri(u.username, secret, uri_out, err);
	if (!rc) {
		*secret_out = strdup(secret);
		if (!*secret_out) {
			free(*uri_out);
			*uri_out = NULL;
			rc = vg_error_set(err, VG_ENOMEM, "out of memory enrolling TOTP");
		}
	}
	free(sealed);
	memset(secret, 0, sizeof(secret));
	return rc;
}

int vg_user_totp_confirm(vg_tx *tx, const vg_ctx *ctx, const vg_master_key *key,
			 const char *code, vg_error *err)
{
	uint8_t *secret = NULL;
	size_t secret_len;
	int64_t step;
	vg_rows *r;
	int rc;

	rc = vg_tx_query(tx, "SELECT totp_secret, totp_enabled FROM users WHERE id = ?",
			 VG_PARAMS(VG_P_INT(ctx->user_id)), &r, err);
	if (rc)
		return rc;
	rc = vg_rows_next(r, err);
	if (rc == 1 && vg_rows_int(r, 1)) {
		rc = vg_error_set(err, VG_ECONFLICT, "two-factor authentication is already enabled");
	} else if (rc == 1 && vg_rows_is_null(r, 0)) {
		rc = vg_error_set(err, VG_ECONFLICT, "start enrolment with POST /api/v1/me/totp first");
	} else if (rc == 1) {
		size_t len;
		const void *blob = vg_rows_blob(r, 0, &len);

		rc = vg_unseal(key, blob, len, &secret, &secret_len, err);
	} else if (rc == 0) {
		rc = vg_error_set(err, VG_ENOTFOUND, "no such user");
	}
	vg_rows_free(r);
	if (rc)
		goto out;
	rc = vg_totp_verify((const char *)secret, code, vg_time_now_ms() / 1000, 0, &step, err);
	if (rc == VG_EAUTH)
		rc = vg_error_set(err, VG_EINVAL, "invalid totp code");
	if (!rc)
		rc = vg_tx_exec(tx,
				"UPDATE users SET totp_enabled = 1, totp_last_step = ?, updated_at = ? "
				"WHERE id = ?",
				VG_PARAMS(VG_P_INT(step), VG_P_INT(vg_time_now_ms()),
					  VG_P_INT(ctx->user_id)),
				NULL, err);
out:
	if (secret) {
		memset(secret, 0, secret_len);
		free(secret);
	}
	return rc;
}

json_t *vg_user_to_json(const vg_user *u)
{
	char created[VG_TIME_ISO_LEN], updated[VG_TIME_ISO_LEN];

	vg_time_format_iso(u->created_at, created);
	vg_time_format_iso(u->updated_at, updated);
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:b, s:b, s:s, s:s}", "id",
			 (json_int_t)u->id, "username", u->username, "display_name",
			 u->display_name, "email", u->email, "role", vg_role_name(u->role),
			 "tenant_id", u->tenant_id ? json_integer(u->tenant_id) : json_null(),
			 "disabled", u->disabled, "totp_enabled", u->totp_enabled, "created_at",
			 created, "updated_at", updated);
}
