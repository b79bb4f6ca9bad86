/*
 * dispatch.c - the one path every request takes: route, authenticate,
 * authorise, parse the body, run the handler, audit, commit (see http.h).
 */
#include "http/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "core/json.h"
#include "core/log.h"
#include "identity/auth.h"

static bool method_writes(const char *method)
{
	return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
}

/* Authenticates by bearer token or session cookie into req->ctx. */
static int authenticate(vg_req *req, vg_error *err)
{
	const char *authz = vg_req_header(req, "Authorization");
	const char *cookie;

	if (authz) {
		if (strncmp(authz, "Bearer ", 7) != 0)
			return vg_error_set(err, VG_EAUTH, "Authorization must be \"Bearer TOKEN\"");
		return vg_auth_token(req->app->store, authz + 7, req->source, &req->ctx, err);
	}
	cookie = MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, VG_SESSION_COOKIE);
	if (!cookie)
		return vg_error_set(err, VG_EAUTH, "authentication required");
	return vg_auth_session(req->app->store, &req->app->config, cookie,
			       vg_req_header(req, "X-CSRF-Token"), method_writes(req->method),
			       req->source, &req->ctx, err);
}

/* May the authenticated caller use this route? A customer refused is told
 * 404, like a customer naming another tenant's object, so no answer to a
 * customer reveals what exists outside its tenant. */
static int authorise(vg_req *req, vg_error *err)
{
	const vg_route *r = req->route;

	if (!vg_ctx_scope_allows(&req->ctx, method_writes(req->method)))
		return vg_error_set(err, VG_EPERM, "this API token's scopes do not allow %s",
				    req->method);
	if (vg_role_can(req->ctx.role, r->perm))
		return VG_OK;
	if (vg_role_is_customer(req->ctx.role))
		return vg_error_set(err, VG_ENOTFOUND, "no such %s",
				    r->resource ? r->resource : "resource");
	return vg_error_set(err, VG_EPERM, "your role may not do this (needs %s)",
			    vg_perm_name(r->perm));
}

static int parse_body(vg_req *req, vg_error *err)
{
	if (!method_writes(req->method) || strcmp(req->method, "DELETE") == 0 ||
	    (req->route->flags & VG_ROUTE_RAW))
		return VG_OK;
	return vg_json_parse_object(req->raw_body ? req->raw_body : "", req->raw_len, &req->body,
				    err);
}

/* Appends the audit row of a state-changing request and commits. On
 * failure (rc != VG_OK) the handler's work is rolled back first and the
 * failure is recorded in a transaction of its own. */
static int audit_and_commit(vg_req *req, int rc, vg_error *err)
{
	char outcome[32];
	vg_ctx actor = req->ctx;
	vg_error audit_err = { 0 };
	int status;

	if (rc) {
		vg_tx_rollback(req->tx);
		req->tx = NULL;
	}
	if (!req->route->action || !method_writes(req->method)) {
		if (!rc && req->tx) {
			rc = req->tx_write ? vg_tx_commit(req->tx, err) : VG_OK;
			if (!req->tx_write)
				vg_tx_rollback(req->tx);
			req->tx = NULL;
		}
		return rc;
	}
	status = rc ? (req->answered ? req->status : 0) : 0;
	if (rc)
		snprintf(outcome, sizeof(outcome), "failed: %d",
			 status ? status : vg__http_status_of(rc));
	else
		snprintf(outcome, sizeof(outcome), "ok");
	if (req->audit_actor[0])
		snprintf(actor.username, sizeof(actor.username), "%s", req->audit_actor);
	else if (!actor.username[0])
		snprintf(actor.username, sizeof(actor.username), "anonymous");
	snprintf(actor.source, sizeof(actor.source), "%s", req->source);
	if (req->tx && !req->tx_write) {
		vg_tx_rollback(req->tx);
		req->tx = NULL;
	}
	if (!req->tx) {
		int brc = vg_tx_begin(req->app->store, true, &req->tx, &audit_err);

		if (brc)
			goto fail;
		req->tx_write = true;
	}
	if (vg_audit_append(req->tx, &actor,
			    &(vg_audit_entry){ .action = req->route->action,
					       .object = req->audit_object[0] ? req->audit_object
									      : req->path,
					       .outcome = outcome, .detail = req->audit_detail,
					       .tenant_id = req->audit_tenant },
			    &audit_err))
		goto fail;
	if (vg_tx_commit(req->tx, &audit_err)) {
		req->tx = NULL;
		goto fail;
	}
	req->tx = NULL;
	return rc;
fail:
	/* A change that cannot be audited is not made. */
	vg_tx_rollback(req->tx);
	req->tx = NULL;
	*err = audit_err;
	return audit_err.code ? audit_err.code : VG_EFAIL;
}

void vg__http_dispatch(vg_req *req)
{
	vg_str params[VG_ROUTE_MAX_PARAMS] = { { 0 } };
	vg_error err = { 0 };
	bool path_known;
	int rc;

	req->route = vg_router_match(vg_routes, req->method, req->path, params, &path_known);
	if (!req->route) {
		if (path_known) {
			vg_buf allow = VG_BUF_INIT(256);

			vg_router_allow(vg_routes, req->path, &allow);
			vg_error_set(&err, VG_EINVAL, "%s is not allowed here; use %s", req->method,
				     vg_buf_cstr(&allow));
			vg__http_problem(req, 405, &err);
			vg_resp_header(req, "Allow", vg_buf_cstr(&allow));
			vg_buf_release(&allow);
		} else if (!vg__http_console(req)) {
			vg_error_set(&err, VG_ENOTFOUND, "no such resource: %s", req->path);
			vg__http_problem(req, VG_ENOTFOUND, &err);
		}
		return;
	}
	for (int i = 0; i < VG_ROUTE_MAX_PARAMS; i++) {
		if (!params[i].ptr)
			continue;
		req->params[i] = strndup(params[i].ptr, params[i].len);
		if (!req->params[i]) {
			vg__http_problem(req, VG_ENOMEM, NULL);
			return;
		}
	}
	rc = VG_OK;
	if (!(req->route->flags & VG_ROUTE_PUBLIC)) {
		rc = authenticate(req, &err);
		if (!rc)
			rc = authorise(req, &err);
	}
	if (!rc)
		rc = parse_body(req, &err);
	if (!rc) {
		rc = req->route->handler(req, &err);
		if (!rc && !req->answered)
			rc = vg_error_set(&err, VG_EFAIL, "handler for %s %s gave no answer",
					  req->method, req->route->pattern);
	}
	if (rc && req->answered && req->status < 400)
		req->answered = false;
	rc = audit_and_commit(req, rc, &err);
	if (rc) {
		vg__http_problem(req, rc, &err);
		if (rc == VG_ELIMIT && req->retry_after_s > 0) {
			char seconds[24];

			snprintf(seconds, sizeof(seconds), "%lld", (long long)req->retry_after_s);
			vg_resp_header(req, "Retry-After", seconds);
		}
	}
}
