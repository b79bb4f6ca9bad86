/* request.c - what handlers read from a request and how they answer
 * (see http.h). */
#include "http/internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/log.h"
#include "core/time.h"

vg_app *vg_req_app(const vg_req *req)
{
	return req->app;
}

const vg_ctx *vg_req_ctx(const vg_req *req)
{
	return &req->ctx;
}

json_t *vg_req_body(const vg_req *req)
{
	return req->body;
}

const char *vg_req_raw_body(const vg_req *req, size_t *len)
{
	*len = req->raw_len;
	return req->raw_body;
}

const char *vg_req_param(const vg_req *req, int index)
{
	return index >= 0 && index < VG_ROUTE_MAX_PARAMS ? req->params[index] : NULL;
}

/* Parses a positive decimal id; false for anything else. */
static bool parse_id(const char *s, int64_t *out)
{
	char *end;
	long long v;

	if (!s || *s < '1' || *s > '9')
		return false;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (*end || errno || v <= 0)
		return false;
	*out = v;
	return true;
}

int vg_req_param_id(const vg_req *req, int index, int64_t *out, vg_error *err)
{
	*out = 0;
	if (!parse_id(vg_req_param(req, index), out))
		return vg_error_set(err, VG_ENOTFOUND, "no such %s",
				    req->route && req->route->resource ? req->route->resource
								       : "object");
	return VG_OK;
}

const char *vg_req_query(const vg_req *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *vg_req_header(const vg_req *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *vg_req_source(const vg_req *req)
{
	return req->source;
}

int vg_req_tx(vg_req *req, bool write, vg_tx **out, vg_error *err)
{
	int rc;

	*out = NULL;
	if (req->tx) {
		if (write && !req->tx_write)
			return vg_error_set(err, VG_EFAIL,
					    "handler asked for a write transaction after a read one");
		*out = req->tx;
		return VG_OK;
	}
	rc = vg_tx_begin(req->app->store, write, &req->tx, err);
	if (rc)
		return rc;
	req->tx_write = write;
	*out = req->tx;
	return VG_OK;
}

void vg_req_audit_object(vg_req *req, const char *kind, int64_t id, int64_t tenant_id)
{
	snprintf(req->audit_object, sizeof(req->audit_object), "%s:%lld", kind, (long long)id);
	req->audit_tenant = tenant_id;
}

void vg_req_audit_actor(vg_req *req, const char *username)
{
	snprintf(req->audit_actor, sizeof(req->audit_actor), "%s", username);
}

void vg_req_audit_detail(vg_req *req, const char *detail)
{
	free(req->audit_detail);
	req->audit_detail = strdup(detail);
}

void vg_req_set_ctx(vg_req *req, const vg_ctx *ctx)
{
	req->ctx = *ctx;
}

static int answer(vg_req *req, int status, const char *content_type, char *body, size_t len)
{
	free(req->resp_body);
	req->answered = true;
	req->status = status;
	req->content_type = content_type;
	req->resp_body = body;
	req->resp_len = len;
	return VG_OK;
}

int vg_resp_json(vg_req *req, int status, json_t *body)
{
	char *text = vg_json_dump(body);

	json_decref(body);
	if (!text)
		return VG_ENOMEM;
	return answer(req, status, "application/json", text, strlen(text));
}

int vg_resp_empty(vg_req *req, int status)
{
	return answer(req, status, NULL, NULL, 0);
}

int vg_resp_raw(vg_req *req, int status, const char *content_type, const char *body, size_t len)
{
	char *copy = malloc(len ? len : 1);

	if (!copy)
		return VG_ENOMEM;
	memcpy(copy, body, len);
	return answer(req, status, content_type, copy, len);
}

int vg_resp_raw_take(vg_req *req, int status, const char *content_type, char *body, size_t len)
{
	if (!body && len) /* what a caller's failed allocation hands over */
		return VG_ENOMEM;
	return answer(req, status, content_type, body, len);
}

void vg_resp_retry_after(vg_req *req, int64_t seconds)
{
	req->retry_after_s = seconds;
}

int vg_resp_header(vg_req *req, const char *name, const char *value)
{
	resp_header *h;

	if (req->nheaders == VG_RESP_HEADERS_MAX)
		return VG_ELIMIT;
	h = &req->headers[req->nheaders];
	h->name = strdup(name);
	h->value = strdup(value);
	if (!h->name || !h->value) {
		free(h->name);
		free(h->value);
		return VG_ENOMEM;
	}
	req->nheaders++;
	return VG_OK;
}

int vg_req_limit(const vg_req *req, int *limit, vg_error *err)
{
	const char *l = vg_req_query(req, "limit");
	int64_t v;

	*limit = 50;
	if (l) {
		if (!parse_id(l, &v) || v > 500)
			return vg_error_set(err, VG_EINVAL, "limit must be an integer from 1 to 500");
		*limit = (int)v;
	}
	return VG_OK;
}

int vg_req_page(const vg_req *req, int *limit, int64_t *after_id, vg_error *err)
{
	const char *c = vg_req_query(req, "cursor");
	int rc = vg_req_limit(req, limit, err);

	*after_id = 0;
	if (rc)
		return rc;
	if (c && *c) {
		if (c[0] != 'c' || !parse_id(c + 1, after_id))
			return vg_error_set(err, VG_EINVAL, "cursor is not one this server issued");
	}
	return VG_OK;
}

int vg_req_tenant_filter(const vg_req *req, int64_t *tenant_id, vg_error *err)
{
	const char *t = vg_req_query(req, "tenant");

	*tenant_id = 0;
	if (!t)
		return VG_OK;
	if (!parse_id(t, tenant_id))
		return vg_error_set(err, VG_EINVAL, "tenant must be a tenant id");
	if (!vg_ctx_sees_tenant(&req->ctx, *tenant_id))
		return vg_error_set(err, VG_ENOTFOUND, "no such tenant");
	return VG_OK;
}

int vg_req_query_id(const vg_req *req, const char *name, int64_t *out, vg_error *err)
{
	const char *v = vg_req_query(req, name);

	*out = 0;
	if (v && !parse_id(v, out))
		return vg_error_set(err, VG_EINVAL, "%s must be an id", name);
	return VG_OK;
}

int vg_req_query_time(const vg_req *req, const char *name, int64_t *out, vg_error *err)
{
	const char *v = vg_req_query(req, name);

	if (v && vg_time_parse_iso(v, out) != VG_OK)
		return vg_error_set(err, VG_EINVAL,
				    "%s must be an ISO 8601 date or time (2026-03-27T13:06:56Z)", name);
	return VG_OK;
}

int vg_resp_page(vg_req *req, json_t *items, int64_t next_after_id)
{
	char cursor[32];
	json_t *page;

	snprintf(cursor, sizeof(cursor), "c%lld", (long long)next_after_id);
	page = json_pack("{s:o, s:o}", "items", items, "next",
			 next_after_id ? json_string(cursor) : json_null());
	if (!page)
		return VG_ENOMEM;
	return vg_resp_json(req, 200, page);
}

int vg_resp_list(vg_req *req, vg_list_fn list, vg_error *err)
{
	int64_t tenant, after, last;
	json_t *items;
	vg_tx *tx;
	int limit, rc;

	rc = vg_req_page(req, &limit, &after, err);
	if (!rc)
		rc = vg_req_tenant_filter(req, &tenant, err);
	if (!rc)
		rc = vg_req_tx(req, false, &tx, err);
	if (!rc)
		rc = list(tx, &req->ctx, tenant, after, limit, &items, &last, err);
	if (rc)
		return rc;
	return vg_resp_page(req, items, (int)json_array_size(items) == limit ? last : 0);
}

int vg__http_status_of(int code)
{
	switch (code) {
	case VG_EINVAL: return 400;
	case VG_EAUTH: return 401;
	case VG_EPERM: return 403;
	case VG_ENOTFOUND: return 404;
	case VG_EEXIST:
	case VG_ECONFLICT: return 409;
	case VG_ETOOBIG: return 413;
	case VG_ELIMIT: return 429;
	default: return 500;
	}
}

static const char *title_of(int status)
{
	switch (status) {
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Content Too Large";
	case 429: return "Too Many Requests";
	case 503: return "Service Unavailable";
	default: return "Internal Server Error";
	}
}

void vg__http_problem(vg_req *req, int code, const vg_error *err)
{
	int status = code > 0 ? code : vg__http_status_of(code);
	const char *detail = err && err->msg[0] ? err->msg : vg_strerror(code);
	json_t *problem;
	char *text;

	if (status == 500) {
		vg_err("http", "%s %s: %s", req->method, req->path, detail);
		detail = "internal error";
	}
	problem = json_pack("{s:s, s:s, s:i, s:s}", "type", "about:blank", "title",
			    title_of(status), "status", status, "detail", detail);
	text = problem ? vg_json_dump(problem) : NULL;
	json_decref(problem);
	answer(req, status, "application/problem+json", text, text ? strlen(text) : 0);
}

void vg__http_req_release(vg_req *req)
{
	vg_tx_rollback(req->tx);
	req->tx = NULL;
	json_decref(req->body);
	for (int i = 0; i < VG_ROUTE_MAX_PARAMS; i++)
		free(req->params[i]);
	for (int i = 0; i < req->nheaders; i++) {
		free(req->headers[i].name);
		free(req->headers[i].value);
	}
	free(req->audit_detail);
	free(req->resp_body);
}
