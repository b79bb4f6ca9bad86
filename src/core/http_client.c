/* http_client.c - outgoing HTTP over libcurl (see http_client.h). */
#include "core/http_client.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#define DEFAULT_TIMEOUT_MS 10000
#define DEFAULT_MAX_ANSWER (64 * 1024)

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_ready;

/* curl_global_init is not thread-safe itself; once per process. */
static void curl_start(void)
{
	curl_ready = curl_global_init(CURL_GLOBAL_DEFAULT);
}

int vg_curl_start(vg_error *err)
{
	pthread_once(&curl_once, curl_start);
	if (curl_ready != CURLE_OK)
		return vg_error_set(err, VG_EIO, "libcurl did not start: %s",
				    curl_easy_strerror(curl_ready));
	return VG_OK;
}

static bool v4_public(const uint8_t a[4])
{
	return !(a[0] == 0 || a[0] == 10 || a[0] == 127 || a[0] >= 224 ||
		 (a[0] == 100 && (a[1] & 0xc0) == 64) ||  /* 100.64/10, carrier NAT */
		 (a[0] == 169 && a[1] == 254) ||          /* link-local, metadata */
		 (a[0] == 172 && (a[1] & 0xf0) == 16) ||  /* 172.16/12 */
		 (a[0] == 192 && a[1] == 168) ||          /* 192.168/16 */
		 (a[0] == 192 && a[1] == 0 && a[2] == 0) || /* 192.0.0/24, protocol assignments */
		 (a[0] == 198 && (a[1] & 0xfe) == 18));   /* 198.18/15, benchmarking */
}

static bool v6_public(const uint8_t a[16])
{
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	static const uint8_t zero[15] = { 0 };

	if (memcmp(a, mapped, 12) == 0)
		return v4_public(a + 12);
	if (memcmp(a, zero, 15) == 0) /* :: and ::1 */
		return false;
	return !((a[0] & 0xfe) == 0xfc ||                 /* fc00::/7, unique local */
		 (a[0] == 0xfe && (a[1] & 0xc0) == 0x80) || /* fe80::/10, link-local */
		 a[0] == 0xff);                           /* multicast */
}

static curl_socket_t open_public(void *arg, curlsocktype purpose, struct curl_sockaddr *addr)
{
	vg_curl_guard *g = arg;
	const struct sockaddr *sa = &addr->addr;
	bool public = false;

	(void)purpose;
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;

		public = v4_public((const uint8_t *)&in->sin_addr);
		inet_ntop(AF_INET, &in->sin_addr, g->refused, sizeof(g->refused));
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;

		public = v6_public(in6->sin6_addr.s6_addr);
		inet_ntop(AF_INET6, &in6->sin6_addr, g->refused, sizeof(g->refused));
	}
	if (!public)
		return CURL_SOCKET_BAD;
	g->refused[0] = '\0';
	return socket(addr->family, addr->socktype | SOCK_CLOEXEC, addr->protocol);
}

void vg_curl_guard_install(void *curl, vg_curl_guard *guard)
{
	guard->refused[0] = '\0';
	curl_easy_setopt(curl, CURLOPT_OPENSOCKETFUNCTION, open_public);
	curl_easy_setopt(curl, CURLOPT_OPENSOCKETDATA, guard);
}

typedef struct collected {
	vg_buf *body;
	long retry_after_s;
} collected;

static size_t on_body(char *data, size_t size, size_t n, void *arg)
{
	collected *c = arg;
	size_t len = size * n, room = c->body->max - c->body->len;

	/* Past the limit the rest is dropped, not an error: the answer's start
	 * says what went wrong. */
	vg_buf_append(c->body, data, len < room ? len : room);
	return len;
}

static size_t on_header(char *line, size_t size, size_t n, void *arg)
{
	collected *c = arg;
	size_t len = size * n;

	if (len > 12 && strncasecmp(line, "Retry-After:", 12) == 0) {
		char *end;
		long v = strtol(line + 12, &end, 10);

		if (end != line + 12 && v >= 0)
			c->retry_after_s = v;
	}
	return len;
}

bool vg_url_is_loopback(const char *url)
{
	const char *host = strstr(url, "://");

	size_t len;

	host = host ? host + 3 : url;
	if (strncmp(host, "[::1]", 5) == 0)
		return strchr(":/", host[5]) != NULL; /* the NUL too */
	len = strcspn(host, ":/");
	if (len == 9 && strncmp(host, "localhost", 9) == 0)
		return true;
	/* 127.0.0.0/8, written as digits and dots only (not 127.evil.example). */
	if (len < 5 || strncmp(host, "127.", 4) != 0)
		return false;
	for (size_t i = 4; i < len; i++)
		if (host[i] != '.' && (host[i] < '0' || host[i] > '9'))
			return false;
	return true;
}

void vg_url_origin(const char *url, char *out, size_t size)
{
	const char *sep = strstr(url, "://"), *host = sep ? sep + 3 : url, *end;

	end = host + strcspn(host, "/?#");
	for (const char *at = host; at < end; at++)
		if (*at == '@')
			host = at + 1;
	snprintf(out, size, "%.*s%.*s", sep ? (int)(sep + 3 - url) : 0, url, (int)(end - host),
		 host);
}

int vg_http_send(const vg_http_request *req, vg_http_answer *answer, vg_error *err)
{
	char curl_error[CURL_ERROR_SIZE] = "", origin[256];
	struct curl_slist *headers = NULL;
	vg_curl_guard guard;
	collected c;
	CURLcode cc;
	CURL *h;
	int rc = VG_OK;

	answer->status = 0;
	answer->retry_after_s = -1;
	answer->body = (vg_buf)VG_BUF_INIT(req->max_answer ? req->max_answer : DEFAULT_MAX_ANSWER);
	c = (collected){ &answer->body, -1 };
	rc = vg_curl_start(err);
	if (rc)
		return rc;
	h = curl_easy_init();
	if (!h)
		return vg_error_set(err, VG_ENOMEM, "out of memory starting a request");
	for (size_t i = 0; i < VG_HTTP_HEADERS_MAX && req->headers[i]; i++) {
		struct curl_slist *more = curl_slist_append(headers, req->headers[i]);

		if (!more) {
			rc = vg_error_set(err, VG_ENOMEM, "out of memory building a request");
			goto out;
		}
		headers = more;
	}
	curl_easy_setopt(h, CURLOPT_URL, req->url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, req->timeout_ms ? req->timeout_ms : DEFAULT_TIMEOUT_MS);
	curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, req->method);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, curl_error);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "Vigil");
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &c);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, &c);
	if (req->public_only)
		vg_curl_guard_install(h, &guard);
	if (req->body) {
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, req->body);
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
	}
	cc = curl_easy_perform(h);
	vg_url_origin(req->url, origin, sizeof(origin));
	if (cc == CURLE_URL_MALFORMAT || cc == CURLE_UNSUPPORTED_PROTOCOL) {
		rc = vg_error_set(err, VG_EINVAL, "%s: %s", origin,
				  *curl_error ? curl_error : curl_easy_strerror(cc));
		goto out;
	}
	if (cc != CURLE_OK && req->public_only && guard.refused[0]) {
		rc = vg_error_set(err, VG_EPERM, "%s: %s is not a public address", origin,
				  guard.refused);
		goto out;
	}
	if (cc != CURLE_OK) {
		rc = vg_error_set(err, VG_EIO, "%s: %s", origin,
				  *curl_error ? curl_error : curl_easy_strerror(cc));
		goto out;
	}
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &answer->status);
	answer->retry_after_s = c.retry_after_s;
out:
	curl_slist_free_all(headers);
	curl_easy_cleanup(h);
	if (rc)
		vg_http_answer_release(answer);
	return rc;
}

void vg_http_answer_release(vg_http_answer *answer)
{
	vg_buf_release(&answer->body);
}

int vg_url_encode(const char *s, size_t n, vg_buf *out)
{
	static const char hex[] = "0123456789ABCDEF";
	int rc = VG_OK;

	for (size_t i = 0; rc == VG_OK && i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
		    ch == '-' || ch == '.' || ch == '_' || ch == '~') {
			rc = vg_buf_append(out, &s[i], 1);
		} else {
			char pct[3] = { '%', hex[ch >> 4], hex[ch & 15] };

			rc = vg_buf_append(out, pct, 3);
		}
	}
	return rc;
}
