/*
 * imap.c - a mailbox read over IMAP with libcurl (see imap.h).
 *
 * One easy handle serves a whole poll, so libcurl keeps the one logged-in
 * connection between commands. Every command goes as a custom request on
 * the folder's URL (libcurl selects the folder first): STATUS for the
 * UIDVALIDITY, UID SEARCH, UID FETCH of the size and arrival date, and
 * UID FETCH BODY.PEEK[] for the message, which leaves it unflagged. The
 * untagged answers come back as the body.
 */
#include "mail/imap.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/http_client.h"
#include "core/time.h"
#include "core/xalloc.h"

#define TIMEOUT_MS 60000
#define ANSWER_MAX (4u << 20) /* a search answer: far beyond one poll's UIDs */
#define FOLDER_MAX 200

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

struct vg_imap {
	CURL *h;
	char *folder_url;
	char folder[FOLDER_MAX + 1];
	char origin[256];
	char curl_error[CURL_ERROR_SIZE];
	vg_curl_guard guard;
	bool public_only;
	int64_t uidvalidity;
};

/* Where the folder's name starts in url (after the host), or NULL. */
static const char *folder_of(const char *url)
{
	const char *host = strstr(url, "://") + 3, *slash = strchr(host, '/');

	return slash && slash[1] ? slash + 1 : NULL;
}

int vg_imap_url_check(const char *url, vg_error *err)
{
	const char *host, *folder;

	if (strncmp(url, "imap://", 7) != 0 && strncmp(url, "imaps://", 8) != 0)
		return vg_error_set(err, VG_EINVAL, "a mailbox needs an imap:// or imaps:// URL");
	if (strlen(url) > 1024)
		return vg_error_set(err, VG_EINVAL, "the mailbox URL is longer than 1024 bytes");
	host = strstr(url, "://") + 3;
	if (!*host || *host == '/')
		return vg_error_set(err, VG_EINVAL, "the mailbox URL has no host");
	if (memchr(host, '@', strcspn(host, "/")))
		return vg_error_set(err, VG_EINVAL,
				    "the mailbox URL carries a user; give the username apart");
	folder = folder_of(url);
	if (folder && strlen(folder) > FOLDER_MAX)
		return vg_error_set(err, VG_EINVAL, "the folder name is longer than %d bytes",
				    FOLDER_MAX);
	for (const char *p = folder; p && *p; p++)
		if (!is_digit(*p) && !((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z') &&
		    !strchr("._-/", *p))
			return vg_error_set(
			    err, VG_EINVAL,
			    "the folder name may hold letters, digits and . _ - / only");
	for (const char *p = host; *p && *p != '/'; p++)
		if ((unsigned char)*p <= ' ' || strchr("?#;\\", *p))
			return vg_error_set(err, VG_EINVAL, "the mailbox URL's host is not a host");
	return VG_OK;
}

static size_t collect(char *data, size_t size, size_t n, void *arg)
{
	return vg_buf_append(arg, data, size * n) ? 0 : size * n;
}

/* Runs command on the folder, its untagged answers into out. */
static int run(vg_imap *m, const char *command, vg_buf *out, vg_error *err)
{
	CURLcode cc;

	m->curl_error[0] = '\0';
	curl_easy_setopt(m->h, CURLOPT_CUSTOMREQUEST, command);
	curl_easy_setopt(m->h, CURLOPT_WRITEDATA, out);
	cc = curl_easy_perform(m->h);
	if (cc == CURLE_OK)
		return VG_OK;
	if (cc == CURLE_WRITE_ERROR)
		return vg_error_set(err, VG_ETOOBIG, "%s: the answer is over %zu bytes", m->origin,
				    out->max);
	if (m->public_only && m->guard.refused[0])
		return vg_error_set(err, VG_EPERM, "%s: %s is not a public address", m->origin,
				    m->guard.refused);
	if (cc == CURLE_LOGIN_DENIED)
		return vg_error_set(err, VG_EAUTH, "%s: the server refused the login", m->origin);
	return vg_error_set(err, VG_EIO, "%s: %s", m->origin,
			    m->curl_error[0] ? m->curl_error : curl_easy_strerror(cc));
}

/* The number after "KEY " in answer, or -1. */
static int64_t number_after(const char *answer, const char *key)
{
	const char *p = strcasestr(answer, key);
	int64_t v = 0;
	bool any = false;

	if (!p)
		return -1;
	for (p += strlen(key); *p == ' '; p++)
		;
	for (; is_digit(*p) && v < INT64_MAX / 10; p++, any = true)
		v = v * 10 + (*p - '0');
	return any ? v : -1;
}

int vg_imap_open(const vg_imap_login *login, vg_imap **out, int64_t *uidvalidity, vg_error *err)
{
	vg_buf answer = VG_BUF_INIT(ANSWER_MAX);
	const char *folder;
	char command[FOLDER_MAX + 32];
	vg_imap *m;
	int rc = vg_imap_url_check(login->url, err);

	*out = NULL;
	if (rc)
		return rc;
	rc = vg_curl_start(err);
	if (rc)
		return rc;
	m = vg_xcalloc(1, sizeof(*m));
	m->public_only = login->public_only;
	vg_url_origin(login->url, m->origin, sizeof(m->origin));
	folder = folder_of(login->url);
	snprintf(m->folder, sizeof(m->folder), "%s", folder ? folder : "INBOX");
	if (m->folder[strlen(m->folder) - 1] == '/')
		m->folder[strlen(m->folder) - 1] = '\0';
	{
		vg_buf url = VG_BUF_INIT(2048);
		const char *host = strstr(login->url, "://") + 3;

		vg_buf_printf(&url, "%.*s/%s", (int)(host - login->url + strcspn(host, "/")),
			      login->url, m->folder);
		m->folder_url = vg_buf_detach(&url);
	}
	m->h = curl_easy_init();
	if (!m->h) {
		vg_imap_close(m);
		return vg_error_set(err, VG_ENOMEM, "out of memory starting libcurl");
	}
	curl_easy_setopt(m->h, CURLOPT_URL, m->folder_url);
	curl_easy_setopt(m->h, CURLOPT_PROTOCOLS_STR, "imap,imaps");
	curl_easy_setopt(m->h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(m->h, CURLOPT_TIMEOUT_MS, (long)TIMEOUT_MS);
	curl_easy_setopt(m->h, CURLOPT_ERRORBUFFER, m->curl_error);
	curl_easy_setopt(m->h, CURLOPT_USERNAME, login->username);
	curl_easy_setopt(m->h, CURLOPT_PASSWORD, login->password);
	curl_easy_setopt(m->h, CURLOPT_WRITEFUNCTION, collect);
	/* The password crosses the network only encrypted, except to a
	 * server on this machine. */
	curl_easy_setopt(m->h, CURLOPT_USE_SSL,
			 vg_url_is_loopback(login->url) ? (long)CURLUSESSL_TRY
							: (long)CURLUSESSL_ALL);
	if (m->public_only)
		vg_curl_guard_install(m->h, &m->guard);
	snprintf(command, sizeof(command), "STATUS \"%s\" (UIDVALIDITY)", m->folder);
	rc = run(m, command, &answer, err);
	if (!rc && (m->uidvalidity = *uidvalidity =
			number_after(vg_buf_cstr(&answer), "UIDVALIDITY")) <= 0)
		rc = vg_error_set(err, VG_EIO, "%s: folder %s has no UIDVALIDITY", m->origin,
				  m->folder);
	vg_buf_release(&answer);
	if (rc) {
		vg_imap_close(m);
		return rc;
	}
	*out = m;
	return VG_OK;
}

int vg_imap_parse_search(const char *answer, int64_t after, size_t max, int64_t **uids, size_t *n,
			 vg_error *err)
{
	const char *p = strcasestr(answer, "* SEARCH");

	*uids = NULL;
	*n = 0;
	if (!p)
		return vg_error_set(err, VG_EIO, "the search was not answered");
	/* "n:*" always matches the highest UID, even one below n. */
	for (p += 8; *p && *p != '\r' && *p != '\n' && *n < max;) {
		int64_t uid = 0;

		while (*p == ' ')
			p++;
		if (!is_digit(*p))
			break;
		for (; is_digit(*p) && uid < INT64_MAX / 10; p++)
			uid = uid * 10 + (*p - '0');
		if (uid > after) {
			*uids = vg_xrealloc(*uids, (*n + 1) * sizeof(**uids));
			(*uids)[(*n)++] = uid;
		}
	}
	for (size_t i = 1; i < *n; i++)
		for (size_t j = i; j > 0 && (*uids)[j - 1] > (*uids)[j]; j--) {
			int64_t t = (*uids)[j];

			(*uids)[j] = (*uids)[j - 1];
			(*uids)[j - 1] = t;
		}
	return VG_OK;
}

int vg_imap_uids_after(vg_imap *m, int64_t after, size_t max, int64_t **uids, size_t *n,
		       vg_error *err)
{
	vg_buf answer = VG_BUF_INIT(ANSWER_MAX);
	char command[64];
	int rc;

	*uids = NULL;
	*n = 0;
	snprintf(command, sizeof(command), "UID SEARCH UID %lld:*", (long long)after + 1);
	rc = run(m, command, &answer, err);
	if (!rc && vg_imap_parse_search(vg_buf_cstr(&answer), after, max, uids, n, err))
		rc = vg_error_set(err, VG_EIO, "%s: %s", m->origin, "the search was not answered");
	vg_buf_release(&answer);
	return rc;
}

/* An INTERNALDATE, "01-Dec-2026 22:31:06 +0000", as Unix ms. */
static int internal_date(const char *s, int64_t *ms)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	char mon[4];
	int day, year, hh, mm, ss, zone, len = 0;
	const char *at;

	if (sscanf(s, "%2d-%3c-%4d %2d:%2d:%2d %5d%n", &day, mon, &year, &hh, &mm, &ss, &zone,
		   &len) != 7 ||
	    len == 0)
		return VG_EINVAL;
	mon[3] = '\0';
	at = strstr(months, mon);
	if (!at || (at - months) % 3 != 0)
		return VG_EINVAL;
	if (vg_time_from_civil(year, (int)(at - months) / 3 + 1, day, hh, mm, ss, 0, ms))
		return VG_EINVAL;
	*ms -= (int64_t)((zone / 100) * 60 + zone % 100) * 60000;
	return VG_OK;
}

int vg_imap_parse_info(const char *answer, int64_t *size, int64_t *received_ms, vg_error *err)
{
	const char *date = strcasestr(answer, "INTERNALDATE \"");

	*size = number_after(answer, "RFC822.SIZE");
	if (*size < 0 || !date || internal_date(date + 14, received_ms))
		return vg_error_set(err, VG_EIO, "no size or date in the answer");
	return VG_OK;
}

int vg_imap_info(vg_imap *m, int64_t uid, int64_t *size, int64_t *received_ms, vg_error *err)
{
	vg_buf answer = VG_BUF_INIT(ANSWER_MAX);
	char command[80];
	int rc;

	snprintf(command, sizeof(command), "UID FETCH %lld (RFC822.SIZE INTERNALDATE)",
		 (long long)uid);
	rc = run(m, command, &answer, err);
	if (!rc && vg_imap_parse_info(vg_buf_cstr(&answer), size, received_ms, err))
		rc = vg_error_set(err, VG_EIO, "%s: UID %lld: no size or date in the answer",
				  m->origin, (long long)uid);
	vg_buf_release(&answer);
	return rc;
}

int vg_imap_fetch(vg_imap *m, int64_t uid, vg_buf *out, vg_error *err)
{
	size_t size = strlen(m->folder_url) + 64;
	char *url = vg_xmalloc(size);
	int rc;

	/* RFC 5092's form, which libcurl fetches as UID FETCH BODY[] and hands
	 * over as the message alone; the UIDVALIDITY makes it refuse a folder
	 * that became another since it was opened. */
	snprintf(url, size, "%s;UIDVALIDITY=%lld/;UID=%lld", m->folder_url,
		 (long long)m->uidvalidity, (long long)uid);
	curl_easy_setopt(m->h, CURLOPT_URL, url);
	rc = run(m, NULL, out, err);
	curl_easy_setopt(m->h, CURLOPT_URL, m->folder_url);
	free(url);
	if (rc == VG_ETOOBIG)
		return vg_error_set(err, VG_ETOOBIG, "UID %lld is over %zu bytes", (long long)uid,
				    out->max);
	return rc;
}

void vg_imap_close(vg_imap *m)
{
	if (!m)
		return;
	if (m->h)
		curl_easy_cleanup(m->h);
	free(m->folder_url);
	free(m);
}
