/*
 * server.c - libmicrohttpd glue: reads each request's body within the
 * configured limit, hands the request to the dispatcher and sends the
 * answer with the headers every answer carries.
 */
#include "http/internal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/file.h"
#include "core/log.h"
#include "http/metrics.h"

#define TLS_FILE_MAX (1024 * 1024)

struct vg_server {
	struct MHD_Daemon *daemon;
	vg_app *app;
	char *tls_cert;
	char *tls_key;
};

/* Per-connection request state, from the first call to completion. */
typedef struct request_state {
	vg_buf body;
	int64_t limit; /* the largest body this route takes */
	bool too_big;
	struct timespec started;
} request_state;

static double seconds_since(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

static void client_address(struct MHD_Connection *conn, char *out, size_t size)
{
	const union MHD_ConnectionInfo *info =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = info ? info->client_addr : NULL;

	snprintf(out, size, "unknown");
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, out, (socklen_t)size);
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, out,
			  (socklen_t)size);
}

static enum MHD_Result send_answer(struct MHD_Connection *conn, vg_req *req)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;
	bool cached = false;

	resp = MHD_create_response_from_buffer(req->resp_len, req->resp_body ? req->resp_body : "",
					       MHD_RESPMEM_MUST_COPY);
	if (!resp)
		return MHD_NO;
	if (req->content_type)
		MHD_add_response_header(resp, "Content-Type", req->content_type);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	for (int i = 0; i < req->nheaders; i++) {
		MHD_add_response_header(resp, req->headers[i].name, req->headers[i].value);
		cached = cached || strcasecmp(req->headers[i].name, "Cache-Control") == 0;
	}
	/* Nothing is cached unless the answer says how (the console's files). */
	if (!cached)
		MHD_add_response_header(resp, "Cache-Control", "no-store");
	ret = MHD_queue_response(conn, (unsigned)req->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* Answers without dispatching: body over the limit. */
static enum MHD_Result answer_too_big(struct MHD_Connection *conn, vg_server *srv,
				      const char *method, const char *url, int64_t limit)
{
	vg_req req = { .app = srv->app, .conn = conn, .method = method, .path = url };
	vg_error err = { 0 };
	enum MHD_Result ret;

	vg_error_set(&err, VG_ETOOBIG, "request body is larger than %lld bytes", (long long)limit);
	vg__http_problem(&req, VG_ETOOBIG, &err);
	vg_resp_header(&req, "Connection", "close");
	ret = send_answer(conn, &req);
	vg_metrics_request(method, 413, 0);
	vg__http_req_release(&req);
	return ret;
}

/* Bulk routes (ingest) take bodies up to ingest.max_body_bytes, upload
 * routes (attachments) up to attachments.max_bytes. */
static int64_t body_limit(const vg_server *srv, const char *method, const char *url)
{
	vg_str params[VG_ROUTE_MAX_PARAMS] = { { 0 } };
	bool known;
	const vg_route *r = vg_router_match(vg_routes, method, url, params, &known);

	if (r && (r->flags & VG_ROUTE_BULK))
		return srv->app->config.ingest_max_body_bytes;
	if (r && (r->flags & VG_ROUTE_UPLOAD))
		return srv->app->config.attachments_max_bytes;
	return srv->app->config.http_max_body_bytes;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version,
				  const char *upload_data, size_t *upload_size, void **con_cls)
{
	vg_server *srv = cls;
	request_state *st = *con_cls;
	vg_req req;
	enum MHD_Result ret;

	(void)version;
	if (!st) {
		const char *length = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
								 "Content-Length");
		char *end;

		st = calloc(1, sizeof(*st));
		if (!st)
			return MHD_NO;
		st->limit = body_limit(srv, method, url);
		st->body = (vg_buf)VG_BUF_INIT((size_t)st->limit);
		clock_gettime(CLOCK_MONOTONIC, &st->started);
		*con_cls = st;
		vg_metrics_in_flight(1);
		if (length) {
			unsigned long long n = strtoull(length, &end, 10);

			if (*end == '\0' && n > (unsigned long long)st->limit)
				return answer_too_big(conn, srv, method, url, st->limit);
		}
		return MHD_YES;
	}
	if (*upload_size) {
		if (!st->too_big && vg_buf_append(&st->body, upload_data, *upload_size))
			st->too_big = true;
		*upload_size = 0;
		return MHD_YES;
	}
	if (st->too_big)
		return answer_too_big(conn, srv, method, url, st->limit);

	memset(&req, 0, sizeof(req));
	req.app = srv->app;
	req.conn = conn;
	req.method = method;
	req.path = url;
	req.raw_body = st->body.ptr;
	req.raw_len = st->body.len;
	req.tls = srv->tls_cert != NULL;
	client_address(conn, req.source, sizeof(req.source));
	vg__http_dispatch(&req);
	ret = send_answer(conn, &req);
	vg_metrics_request(method, req.status, seconds_since(&st->started));
	vg__http_req_release(&req);
	return ret;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	request_state *st = *con_cls;

	(void)cls;
	(void)conn;
	(void)toe;
	if (!st)
		return;
	vg_metrics_in_flight(-1);
	vg_buf_release(&st->body);
	free(st);
	*con_cls = NULL;
}

static void on_mhd_error(void *cls, const char *fmt, va_list ap)
{
	char msg[512];

	(void)cls;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	msg[strcspn(msg, "\n")] = '\0';
	vg_warn("http", "%s", msg);
}

/* Parses "host:port" or "[v6]:port" into addr. */
static int parse_listen(const char *listen, struct sockaddr_storage *addr, bool *v6,
			vg_error *err)
{
	char host[128];
	const char *colon;
	char *end;
	long port;
	size_t hlen;

	memset(addr, 0, sizeof(*addr));
	if (listen[0] == '[') {
		const char *close = strchr(listen, ']');

		if (!close || close[1] != ':')
			goto bad;
		hlen = (size_t)(close - listen - 1);
		colon = close + 1;
		if (hlen >= sizeof(host))
			goto bad;
		memcpy(host, listen + 1, hlen);
	} else {
		colon = strrchr(listen, ':');
		if (!colon)
			goto bad;
		hlen = (size_t)(colon - listen);
		if (hlen >= sizeof(host))
			goto bad;
		memcpy(host, listen, hlen);
	}
	host[hlen] = '\0';
	errno = 0;
	port = strtol(colon + 1, &end, 10);
	if (!colon[1] || *end || errno || port < 0 || port > 65535)
		goto bad;
	*v6 = listen[0] == '[';
	if (*v6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)addr;

		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)port);
		if (inet_pton(AF_INET6, host, &a->sin6_addr) != 1)
			goto bad;
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)addr;

		a->sin_family = AF_INET;
		a->sin_port = htons((uint16_t)port);
		if (inet_pton(AF_INET, strcmp(host, "localhost") == 0 ? "127.0.0.1" : host,
			      &a->sin_addr) != 1)
			goto bad;
	}
	return VG_OK;
bad:
	return vg_error_set(err, VG_EINVAL,
			    "listen: \"%s\" is not an address and port like 127.0.0.1:8080 or "
			    "[::1]:8080", listen);
}

static int read_file(const char *path, char **out, vg_error *err)
{
	vg_buf b = VG_BUF_INIT(TLS_FILE_MAX);
	int rc = vg_file_read(path, TLS_FILE_MAX, &b, err);

	*out = NULL;
	if (rc) {
		err->code = VG_EINVAL;
		return VG_EINVAL;
	}
	*out = vg_buf_detach(&b);
	if (!*out)
		return vg_error_set(err, VG_EINVAL, "%s is empty", path);
	return VG_OK;
}

int vg_server_start(vg_app *app, vg_server **out, vg_error *err)
{
	const vg_config *cfg = &app->config;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG;
	struct sockaddr_storage addr;
	vg_server *srv;
	bool v6 = false;
	int rc;

	*out = NULL;
	rc = parse_listen(cfg->listen, &addr, &v6, err);
	if (rc)
		return rc;
	srv = calloc(1, sizeof(*srv));
	if (!srv)
		return vg_error_set(err, VG_ENOMEM, "out of memory starting the server");
	srv->app = app;
	if (v6)
		flags |= MHD_USE_IPv6;
	if (cfg->tls_cert) {
		if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
			rc = vg_error_set(err, VG_EINVAL,
					  "this libmicrohttpd was built without TLS support");
			goto fail;
		}
		rc = read_file(cfg->tls_cert, &srv->tls_cert, err);
		if (!rc)
			rc = read_file(cfg->tls_key, &srv->tls_key, err);
		if (rc)
			goto fail;
		flags |= MHD_USE_TLS;
	}
	srv->daemon = MHD_start_daemon(
		flags, 0, NULL, NULL, on_request, srv, MHD_OPTION_EXTERNAL_LOGGER, on_mhd_error, srv,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)cfg->http_threads,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)cfg->http_timeout_seconds,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)cfg->http_max_connections,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv, cfg->tls_cert ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END,
		srv->tls_cert, MHD_OPTION_HTTPS_MEM_KEY, srv->tls_key, MHD_OPTION_END);
	if (!srv->daemon) {
		rc = vg_error_set(err, VG_EIO, "cannot listen on %s (in use, or not an address of "
					       "this machine)", cfg->listen);
		goto fail;
	}
	vg_metrics_started();
	*out = srv;
	return VG_OK;
fail:
	free(srv->tls_cert);
	free(srv->tls_key);
	free(srv);
	return rc;
}

int vg_server_port(const vg_server *srv)
{
	const union MHD_DaemonInfo *info =
		MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);

	return info ? info->port : 0;
}

void vg_server_stop(vg_server *srv)
{
	if (!srv)
		return;
	MHD_stop_daemon(srv->daemon);
	free(srv->tls_cert);
	free(srv->tls_key);
	free(srv);
}
