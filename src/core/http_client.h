/*
 * http_client.h - outgoing HTTP requests (libcurl): webhooks, chat robots,
 * later the cloud APIs.
 *
 * One call sends one request and waits for its answer. Only http and https
 * are spoken, redirects are not followed (a webhook that moved is an error
 * to show, not a hop to take), TLS certificates are verified, and the
 * answer's body is kept up to a limit.
 */
#ifndef VG_CORE_HTTP_CLIENT_H
#define VG_CORE_HTTP_CLIENT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/error.h"

#define VG_HTTP_HEADERS_MAX 8

typedef struct vg_http_request {
	const char *method; /* "POST", "GET", ... */
	const char *url;
	const char *headers[VG_HTTP_HEADERS_MAX]; /* "Name: value", NULL-ended */
	const char *body;
	size_t body_len;
	long timeout_ms;     /* the whole exchange; 0: 10 s */
	size_t max_answer;   /* bytes of the answer's body kept; 0: 64 KiB */
	bool public_only;    /* refuse loopback, private and link-local addresses */
} vg_http_request;

typedef struct vg_http_answer {
	long status;          /* the HTTP status */
	long retry_after_s;   /* from a Retry-After header in seconds; -1: none */
	vg_buf body;          /* the body, cut at max_answer */
} vg_http_answer;

/* Sends req and fills *answer (release it with vg_http_answer_release) for
 * any HTTP status. VG_EIO "ORIGIN: reason" when no answer came (the name did
 * not resolve, the connection or TLS failed, the time ran out); VG_EINVAL
 * for a URL libcurl or the allowed schemes refuse; VG_EPERM "ORIGIN:
 * ADDRESS is not a public address" when public_only refused it. Errors
 * name the URL by its origin only (vg_url_origin). */
int vg_http_send(const vg_http_request *req, vg_http_answer *answer, vg_error *err);
void vg_http_answer_release(vg_http_answer *answer);

/*
 * Makes a libcurl handle (a CURL *) refuse to connect to any address that
 * is not public: loopback, private (RFC 1918, unique local), link-local
 * (cloud metadata at 169.254.169.254 included), shared, multicast and
 * reserved ranges, in IPv4, IPv6 and IPv4-mapped IPv6. The check is made on
 * each address a name resolves to, as the connection is opened, so a public
 * name that resolves to a private address is refused as well. After a
 * failed transfer, refused holds the address that was turned away ("" when
 * none was). guard must outlive the transfer.
 */
typedef struct vg_curl_guard {
	char refused[64];
} vg_curl_guard;
void vg_curl_guard_install(void *curl, vg_curl_guard *guard);

/* libcurl's process-wide start, done once; VG_EIO when it failed. Every
 * other use of libcurl (SMTP) calls it first. */
int vg_curl_start(vg_error *err);

/* True when url's host is this machine (localhost, 127.x, [::1]): a
 * server a password may reach unencrypted. */
bool vg_url_is_loopback(const char *url);

/* The URL's scheme and host ("https://qyapi.weixin.qq.com"), without the
 * user, path and query where services put keys: what errors and logs may
 * show of a URL. */
void vg_url_origin(const char *url, char *out, size_t size);

/* Appends s (n bytes) percent-encoded as a URL query value (RFC 3986
 * unreserved characters kept) to out. */
int vg_url_encode(const char *s, size_t n, vg_buf *out);

#endif
