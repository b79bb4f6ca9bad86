/*
 * internal.h - private to src/http: the request as the server builds it.
 */
#ifndef VG_HTTP_INTERNAL_H
#define VG_HTTP_INTERNAL_H

#include <microhttpd.h>

#include "http/http.h"
#include "http/router.h"

#define VG_RESP_HEADERS_MAX 8

typedef struct resp_header {
	char *name;
	char *value;
} resp_header;

struct vg_req {
	vg_app *app;
	struct MHD_Connection *conn;
	const char *method;
	const char *path;
	const vg_route *route;
	char *params[VG_ROUTE_MAX_PARAMS]; /* NUL-terminated copies */
	char source[VG_CTX_NAME_MAX];
	bool tls;

	vg_ctx ctx;
	json_t *body;
	const char *raw_body;
	size_t raw_len;

	vg_tx *tx;
	bool tx_write;

	char audit_object[128];
	int64_t audit_tenant;
	char audit_actor[VG_CTX_NAME_MAX];
	char *audit_detail;

	/* The answer, once a handler or the error path has set it. */
	bool answered;
	int status;
	char *resp_body;
	size_t resp_len;
	const char *content_type;
	resp_header headers[VG_RESP_HEADERS_MAX];
	int nheaders;
	int64_t retry_after_s;
};

/* Runs routing, authentication, the handler, audit and commit for req,
 * leaving the answer in it (the one place a request is decided). */
void vg__http_dispatch(vg_req *req);

/* Answers a GET or HEAD no route takes from the console's files
 * (console.c): false for a request that is not the console's. */
bool vg__http_console(vg_req *req);

/* The HTTP status for a VG_E* code. */
int vg__http_status_of(int code);

/* Sets req's answer to the problem+json for code and err's message. */
void vg__http_problem(vg_req *req, int code, const vg_error *err);

/* Frees what req owns (not req itself). */
void vg__http_req_release(vg_req *req);

#endif
