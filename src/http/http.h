/*
 * http.h - the HTTP server and what a request handler sees.
 *
 * The server (libmicrohttpd, a thread pool) reads a request within the
 * configured body limit (413 past it) and timeout, matches it against the
 * route table (src/api/routes.c), authenticates the caller (session cookie
 * plus X-CSRF-Token for state-changing methods, or Authorization: Bearer),
 * checks the route's permission, and calls the handler.
 *
 * Transactions and audit: a handler never commits. It asks vg_req_tx for a
 * transaction; after it returns, the dispatcher appends the audit row for
 * every state-changing request (outcome "ok" or the failure) and commits,
 * so a change and its audit row land together. On failure the handler's
 * transaction is rolled back and the failure is audited in a new one.
 *
 * Responses: a handler returns VG_OK after calling vg_resp_json or
 * vg_resp_empty once, or a negative VG_E* code with err filled. The one
 * error path turns codes into RFC 7807 problem+json: VG_EINVAL 400,
 * VG_EAUTH 401, VG_EPERM 403, VG_ENOTFOUND 404, VG_EEXIST and VG_ECONFLICT
 * 409, VG_ETOOBIG 413, VG_ELIMIT 429; anything else 500, whose message is
 * logged but not sent.
 */
#ifndef VG_HTTP_HTTP_H
#define VG_HTTP_HTTP_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "app/app.h"
#include "core/error.h"
#include "identity/role.h"
#include "store/ctx.h"
#include "store/store.h"

typedef struct vg_req vg_req;

typedef int (*vg_handler)(vg_req *req, vg_error *err);

enum {
	VG_ROUTE_PUBLIC = 1u << 0, /* no authentication (login, health) */
	VG_ROUTE_RAW = 1u << 1,    /* body is not JSON (metrics, ingest) */
	VG_ROUTE_BULK = 1u << 2,   /* body up to ingest.max_body_bytes, not http.max_body_bytes */
	VG_ROUTE_UPLOAD = 1u << 3, /* body up to attachments.max_bytes, not http.max_body_bytes */
};

typedef struct vg_route {
	const char *method;     /* "GET", "POST", "PATCH", "DELETE" */
	const char *pattern;    /* "/api/v1/tenants/{id}"; {name} matches one segment */
	vg_handler handler;
	vg_perm perm;           /* checked with vg_ctx_can before the handler */
	unsigned flags;         /* VG_ROUTE_* */
	const char *action;     /* audit action for state-changing methods: "tenant.create" */
	const char *resource;   /* kind of object named by {id}: "tenant", "user", ...; NULL */
	const char *summary;    /* one line, also used by `vigil routes` */
} vg_route;

/* The route table, ended by an entry whose method is NULL (src/api/routes.c). */
extern const vg_route vg_routes[];

/* --- what a handler may read --- */

vg_app *vg_req_app(const vg_req *req);
/* The caller; for VG_ROUTE_PUBLIC routes, an anonymous context (role NONE). */
const vg_ctx *vg_req_ctx(const vg_req *req);
/* The parsed JSON object body for POST, PUT and PATCH (never NULL there;
 * a missing or malformed body is answered 400 before the handler runs). */
json_t *vg_req_body(const vg_req *req);
/* The raw body and its length (VG_ROUTE_RAW routes). */
const char *vg_req_raw_body(const vg_req *req, size_t *len);
/* The {name} path parameter by position (0 = first), or NULL. */
const char *vg_req_param(const vg_req *req, int index);
/* The path parameter as a positive id; VG_ENOTFOUND "no such NAME" when it
 * is not one (so /tenants/abc is 404, not 400). */
int vg_req_param_id(const vg_req *req, int index, int64_t *out, vg_error *err);
/* A query-string argument, or NULL. */
const char *vg_req_query(const vg_req *req, const char *name);
/* A request header, or NULL. */
const char *vg_req_header(const vg_req *req, const char *name);
/* The client address as text. */
const char *vg_req_source(const vg_req *req);

/* A transaction on the app's store, begun on first use and kept for the
 * request (asking for write after read is VG_EFAIL: ask for write first). */
int vg_req_tx(vg_req *req, bool write, vg_tx **out, vg_error *err);

/* Names the object a state-changing request acted on, for its audit row:
 * object "KIND:ID", and the tenant it belongs to (0 for none). */
void vg_req_audit_object(vg_req *req, const char *kind, int64_t id, int64_t tenant_id);
/* Overrides the audit actor (login: the username tried). */
void vg_req_audit_actor(vg_req *req, const char *username);
/* Free text for the audit row (never a secret). */
void vg_req_audit_detail(vg_req *req, const char *detail);

/* After a successful login or logout the handler replaces the context the
 * audit row is written with. */
void vg_req_set_ctx(vg_req *req, const vg_ctx *ctx);

/* --- responses --- */

/* Answers status with body (the reference is stolen). */
int vg_resp_json(vg_req *req, int status, json_t *body);
/* Answers status with no body (204). */
int vg_resp_empty(vg_req *req, int status);
/* Answers with a body of the given content type (copied). content_type
 * is not copied: a literal, or a string that outlives the request. */
int vg_resp_raw(vg_req *req, int status, const char *content_type, const char *body,
		size_t len);
/* The same, taking body (malloc'd, len bytes; freed with the request, or
 * at once on failure) instead of copying it: for large answers. */
int vg_resp_raw_take(vg_req *req, int status, const char *content_type, char *body, size_t len);
/* With a VG_ELIMIT failure: the Retry-After seconds to send. */
void vg_resp_retry_after(vg_req *req, int64_t seconds);
/* Adds a response header (Set-Cookie, ...); copied. */
int vg_resp_header(vg_req *req, const char *name, const char *value);

/* --- lists and pagination --- */

/* Reads ?limit= alone (1..500, default 50), for lists with cursors of
 * their own. */
int vg_req_limit(const vg_req *req, int *limit, vg_error *err);

/* Reads ?limit= (1..500, default 50) and ?cursor= (opaque, from a previous
 * answer's "next"; decodes to the last id seen, 0 at the start). A bad
 * value is VG_EINVAL naming the argument. */
int vg_req_page(const vg_req *req, int *limit, int64_t *after_id, vg_error *err);
/* Reads ?tenant=ID into *tenant_id (0 when absent); VG_EINVAL when not an id. */
int vg_req_tenant_filter(const vg_req *req, int64_t *tenant_id, vg_error *err);
/* Reads ?NAME=ID into *out (0 when absent); VG_EINVAL "NAME must be an id". */
int vg_req_query_id(const vg_req *req, const char *name, int64_t *out, vg_error *err);

/* Reads ?NAME=ISO-8601 into *out (untouched when absent); VG_EINVAL naming it. */
int vg_req_query_time(const vg_req *req, const char *name, int64_t *out, vg_error *err);

/* Answers 200 {"items": items, "next": cursor or null}; pass the last id
 * of items when more may follow (the list filled limit), else 0. */
int vg_resp_page(vg_req *req, json_t *items, int64_t next_after_id);

/* A store list function: objects visible to ctx (of tenant_id when not 0)
 * with id > after_id, at most limit, as a JSON array; *last_id is the last
 * id listed. */
typedef int (*vg_list_fn)(vg_tx *tx, const vg_ctx *ctx, int64_t tenant_id, int64_t after_id,
			  int limit, json_t **items, int64_t *last_id, vg_error *err);

/* Answers a list route: reads ?limit, ?cursor and ?tenant, runs list in a
 * read transaction and answers the page. */
int vg_resp_list(vg_req *req, vg_list_fn list, vg_error *err);

/* --- the server --- */

typedef struct vg_server vg_server;

/* Starts serving app on app->config.listen (TLS when configured). */
int vg_server_start(vg_app *app, vg_server **out, vg_error *err);
/* The port actually bound (useful with listen port 0). */
int vg_server_port(const vg_server *srv);
/* Stops accepting, waits for requests in flight, frees srv. */
void vg_server_stop(vg_server *srv);

#endif
