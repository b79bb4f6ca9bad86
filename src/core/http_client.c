/* http_client.c - outgoing HTTP over libcurl (see http_client.h). */
#include "core/http_client.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

int vg_http_send(const vg_http_request *req, vg_http_answer *answer, vg_error *err)
{
	char curl_error[CURL_ERROR_SIZE] = "";
	struct curl_slist *headers = NULL;
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
	if (req->body) {
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, req->body);
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
	}
	cc = curl_easy_perform(h);
	if (cc == CURLE_URL_MALFORMAT || cc == CURLE_UNSUPPORTED_PROTOCOL) {
		rc = vg_error_set(err, VG_EINVAL, "%s: %s", req->url,
				  *curl_error ? curl_error : curl_easy_strerror(cc));
		goto out;
	}
	if (cc != CURLE_OK) {
		rc = vg_error_set(err, VG_EIO, "%s: %s", req->url,
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
