/* auth.c - login, logout and the caller's own account. */
#include "api/api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/time.h"
#include "http/metrics.h"
#include "identity/auth.h"
#include "identity/user.h"
#include "ops/tenant.h"

static const vg_json_field login_fields[] = {
	{ "username", VG_JSON_STRING, true },
	{ "password", VG_JSON_STRING, true },
	{ "totp", VG_JSON_STRING_OR_NULL, false },
	{ NULL, 0, false },
};

static int set_cookie(vg_req *req, const char *value, int64_t max_age)
{
	char cookie[256];

	snprintf(cookie, sizeof(cookie), "%s=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%lld%s",
		 VG_SESSION_COOKIE, value, (long long)max_age,
		 vg_req_app(req)->config.tls_cert ? "; Secure" : "");
	return vg_resp_header(req, "Set-Cookie", cookie);
}

int api_auth_login(vg_req *req, vg_error *err)
{
	json_t *body = vg_req_body(req);
	vg_app *app = vg_req_app(req);
	vg_session_tokens tokens;
	int64_t retry_after = 0;
	char expires[VG_TIME_ISO_LEN];
	vg_login login;
	vg_user user;
	vg_ctx ctx;
	vg_tx *tx;
	int rc;

	rc = vg_json_check(body, login_fields, err);
	if (rc)
		return rc;
	login = (vg_login){ .username = vg_json_str(body, "username"),
			    .password = vg_json_str(body, "password"),
			    .totp = vg_json_str(body, "totp"),
			    .source = vg_req_source(req) };
	vg_req_audit_actor(req, login.username);
	rc = vg_auth_login(app->store, &app->config, &app->master_key, &login, &tokens, &ctx,
			   &retry_after, err);
	if (rc) {
		vg_metrics_login(rc == VG_ELIMIT ? "locked" : "failed");
		vg_resp_retry_after(req, retry_after);
		return rc;
	}
	vg_metrics_login("ok");
	vg_req_set_ctx(req, &ctx);
	vg_req_audit_object(req, "user", ctx.user_id, ctx.tenant_id);
	rc = vg_req_tx(req, false, &tx, err);
	if (!rc)
		rc = vg_user_get(tx, &ctx, ctx.user_id, &user, err);
	if (!rc)
		rc = set_cookie(req, tokens.session, app->config.session_ttl_minutes * 60);
	if (rc)
		return rc;
	vg_time_format_iso(tokens.expires_at, expires);
	rc = vg_resp_json(req, 200,
			  json_pack("{s:s, s:s, s:o}", "csrf_token", tokens.csrf, "expires_at",
				    expires, "user", vg_user_to_json(&user)));
	memset(&tokens, 0, sizeof(tokens));
	return rc;
}

int api_auth_logout(vg_req *req, vg_error *err)
{
	const vg_ctx *ctx = vg_req_ctx(req);
	int rc;

	vg_req_audit_object(req, "user", ctx->user_id, ctx->tenant_id);
	rc = vg_auth_logout(vg_req_app(req)->store, ctx, err);
	if (!rc)
		rc = set_cookie(req, "", 0);
	if (!rc)
		rc = vg_resp_empty(req, 204);
	return rc;
}

int api_me_get(vg_req *req, vg_error *err)
{
	const vg_ctx *ctx = vg_req_ctx(req);
	json_t *me, *perms;
	vg_tenant tenant;
	vg_user user;
	vg_tx *tx;
	int rc;

	rc = vg_req_tx(req, false, &tx, err);
	if (!rc)
		rc = vg_user_get(tx, ctx, ctx->user_id, &user, err);
	if (rc)
		return rc;
	me = vg_user_to_json(&user);
	perms = json_array();
	for (int p = VG_PERM_SELF; p < VG_PERM__COUNT; p++)
		if (vg_ctx_can(ctx, (vg_perm)p))
			json_array_append_new(perms, json_string(vg_perm_name((vg_perm)p)));
	json_object_set_new(me, "permissions", perms);
	json_object_set_new(me, "auth", json_string(ctx->token_id ? "token" : "session"));
	if (ctx->tenant_id) {
		rc = vg_tenant_get(tx, ctx, ctx->tenant_id, &tenant, err);
		if (rc) {
			json_decref(me);
			return rc;
		}
		json_object_set_new(me, "tenant",
				    json_pack("{s:I, s:s, s:s}", "id", (json_int_t)tenant.id, "name",
					      tenant.name, "edition", tenant.edition));
		vg_tenant_release(&tenant);
	} else {
		json_object_set_new(me, "tenant", json_null());
	}
	return vg_resp_json(req, 200, me);
}

static const vg_json_field password_fields[] = {
	{ "current_password", VG_JSON_STRING, true },
	{ "new_password", VG_JSON_STRING, true },
	{ NULL, 0, false },
};

int api_me_password(vg_req *req, vg_error *err)
{
	const vg_ctx *ctx = vg_req_ctx(req);
	json_t *body = vg_req_body(req);
	vg_tx *tx;
	int rc;

	rc = vg_json_check(body, password_fields, err);
	if (rc)
		return rc;
	vg_req_audit_object(req, "user", ctx->user_id, ctx->tenant_id);
	rc = vg_req_tx(req, true, &tx, err);
	if (!rc)
		rc = vg_user_change_own_password(tx, ctx, vg_json_str(body, "current_password"),
						 vg_json_str(body, "new_password"), err);
	if (!rc)
		rc = vg_resp_empty(req, 204);
	return rc;
}

static const vg_json_field no_fields[] = { { NULL, 0, false } };

int api_me_totp_enroll(vg_req *req, vg_error *err)
{
	const vg_ctx *ctx = vg_req_ctx(req);
	char *secret = NULL, *uri = NULL;
	vg_tx *tx;
	int rc;

	rc = vg_json_check(vg_req_body(req), no_fields, err);
	if (rc)
		return rc;
	vg_req_audit_object(req, "user", ctx->user_id, ctx->tenant_id);
	rc = vg_req_tx(req, true, &tx, err);
	if (!rc)
		rc = vg_user_totp_enroll(tx, ctx, &vg_req_app(req)->master_key, &secret, &uri, err);
	if (!rc)
		rc = vg_resp_json(req, 200, json_pack("{s:s, s:s}", "secret", secret, "uri", uri));
	if (secret)
		memset(secret, 0, strlen(secret));
	free(secret);
	free(uri);
	return rc;
}

static const vg_json_field confirm_fields[] = {
	{ "code", VG_JSON_STRING, true },
	{ NULL, 0, false },
};

int api_me_totp_confirm(vg_req *req, vg_error *err)
{
	const vg_ctx *ctx = vg_req_ctx(req);
	json_t *body = vg_req_body(req);
	vg_tx *tx;
	int rc;

	rc = vg_json_check(body, confirm_fields, err);
	if (rc)
		return rc;
	vg_req_audit_object(req, "user", ctx->user_id, ctx->tenant_id);
	rc = vg_req_tx(req, true, &tx, err);
	if (!rc)
		rc = vg_user_totp_confirm(tx, ctx, &vg_req_app(req)->master_key,
					  vg_json_str(body, "code"), err);
	if (!rc)
		rc = vg_resp_empty(req, 204);
	return rc;
}
