/*
 * email.c - email over SMTP (libcurl): multipart/alternative with the text
 * as written and as HTML, a UTF-8 subject (RFC 2047), Date and Message-ID.
 */
#include "notify/internal.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/base64.h"
#include "core/crypto.h"

#define TIMEOUT_MS 30000

/* The subject as an RFC 2047 encoded-word when it is not plain ASCII. */
static int put_subject(const char *title, vg_buf *out)
{
	bool ascii = true;
	int rc;

	for (const char *p = title; *p; p++)
		if ((unsigned char)*p >= 0x80 || (unsigned char)*p < 0x20)
			ascii = false;
	if (ascii)
		return vg_buf_printf(out, "Subject: %s", title);
	rc = vg_buf_puts(out, "Subject: =?UTF-8?B?");
	if (!rc)
		rc = vg_base64_encode(title, strlen(title), out);
	return rc ? rc : vg_buf_puts(out, "?=");
}

int vg__notify_email_check(const vg_notify_channel *ch, vg_error *err)
{
	if (strncmp(ch->url, "smtp://", 7) != 0 && strncmp(ch->url, "smtps://", 8) != 0)
		return vg_error_set(err, VG_EINVAL, "email needs an smtp:// or smtps:// URL");
	if (!ch->from || !*ch->from)
		return vg_error_set(err, VG_EINVAL, "email needs a sender (from)");
	if (ch->nto == 0)
		return vg_error_set(err, VG_EINVAL, "email needs at least one recipient (to)");
	for (const char *p = ch->from; *p; p++)
		if (*p == '\r' || *p == '\n')
			return vg_error_set(err, VG_EINVAL, "the sender has a line break");
	for (size_t i = 0; i < ch->nto; i++)
		if (strpbrk(ch->to[i], "\r\n,"))
			return vg_error_set(err, VG_EINVAL, "recipient %zu is not one address", i + 1);
	return VG_OK;
}

int vg__notify_email_send(const vg_notify_channel *ch, const vg_notify_message *m,
			  int64_t now_ms, vg_notify_result *res, vg_error *err)
{
	char curl_error[CURL_ERROR_SIZE] = "", date[64], token[32];
	vg_buf subject = VG_BUF_INIT(SIZE_MAX), html = VG_BUF_INIT(SIZE_MAX),
	       line = VG_BUF_INIT(SIZE_MAX);
	struct curl_slist *rcpt = NULL, *headers = NULL, *alt_headers = NULL;
	curl_mime *mime = NULL, *alt = NULL;
	curl_mimepart *part;
	time_t secs = (time_t)(now_ms / 1000);
	struct tm tm;
	vg_curl_guard guard;
	CURLcode cc;
	CURL *h = NULL;
	const char *thread[] = { m->to, m->message_id, m->in_reply_to, m->references };
	int rc = vg__notify_email_check(ch, err);

	if (rc)
		return rc;
	/* They come from mail read from outside: no header may be smuggled in. */
	for (size_t i = 0; i < sizeof(thread) / sizeof(thread[0]); i++)
		if (thread[i] && strpbrk(thread[i], "\r\n"))
			return vg_error_set(err, VG_EINVAL, "email: a recipient or thread header "
					    "has a line break");
	if (m->to && strchr(m->to, ','))
		return vg_error_set(err, VG_EINVAL, "email: the recipient is not one address");
	rc = vg_curl_start(err);
	if (rc)
		return rc;
	h = curl_easy_init();
	if (!h)
		return vg_error_set(err, VG_ENOMEM, "email: out of memory starting libcurl");
	gmtime_r(&secs, &tm);
	strftime(date, sizeof(date), "Date: %a, %d %b %Y %H:%M:%S +0000", &tm);
	rc = put_subject(m->title, &subject);
	if (!rc)
		rc = vg_buf_puts(&html, "<!DOCTYPE html>\n<html><body>\n<h1>");
	if (!rc)
		rc = vg__notify_html_escape(&html, m->title, strlen(m->title));
	if (!rc)
		rc = vg_buf_puts(&html, "</h1>\n");
	if (!rc)
		rc = vg__notify_to_html(m->text, &html);
	if (!rc)
		rc = vg_buf_puts(&html, "</body></html>\n");
	if (m->id)
		snprintf(token, sizeof(token), "%.31s", m->id);
	else
		vg_random_token(18, token, sizeof(token));
	if (!rc && m->message_id)
		rc = vg_buf_printf(&line, "Message-ID: <%s>", m->message_id);
	else if (!rc)
		rc = vg_buf_printf(&line, "Message-ID: <%s@vigil>", token);
	for (size_t i = 0; !rc && i < (m->to ? 1 : ch->nto); i++) {
		struct curl_slist *more = curl_slist_append(rcpt, m->to ? m->to : ch->to[i]);

		rc = more ? VG_OK : VG_ENOMEM;
		rcpt = more ? more : rcpt;
	}
	if (!rc) {
		vg_buf to = VG_BUF_INIT(SIZE_MAX), from = VG_BUF_INIT(SIZE_MAX),
		       reply = VG_BUF_INIT(SIZE_MAX), refs = VG_BUF_INIT(SIZE_MAX);

		vg_buf_printf(&from, "From: %s", ch->from);
		vg_buf_puts(&to, "To: ");
		if (m->to)
			vg_buf_puts(&to, m->to);
		for (size_t i = 0; !m->to && i < ch->nto; i++)
			vg_buf_printf(&to, "%s%s", i ? ", " : "", ch->to[i]);
		headers = curl_slist_append(headers, vg_buf_cstr(&from));
		headers = headers ? curl_slist_append(headers, vg_buf_cstr(&to)) : NULL;
		headers = headers ? curl_slist_append(headers, vg_buf_cstr(&subject)) : NULL;
		headers = headers ? curl_slist_append(headers, date) : NULL;
		headers = headers ? curl_slist_append(headers, vg_buf_cstr(&line)) : NULL;
		if (m->in_reply_to) {
			vg_buf_printf(&reply, "In-Reply-To: %s", m->in_reply_to);
			headers = headers ? curl_slist_append(headers, vg_buf_cstr(&reply)) : NULL;
		}
		if (m->references) {
			vg_buf_printf(&refs, "References: %s", m->references);
			headers = headers ? curl_slist_append(headers, vg_buf_cstr(&refs)) : NULL;
		}
		vg_buf_release(&to);
		vg_buf_release(&from);
		vg_buf_release(&reply);
		vg_buf_release(&refs);
		if (!headers)
			rc = VG_ENOMEM;
	}
	if (rc) {
		rc = vg_error_set(err, VG_ENOMEM, "email: out of memory building the message");
		goto out;
	}
	/* multipart/mixed (libcurl's top level) holding one multipart/alternative. */
	mime = curl_mime_init(h);
	alt = curl_mime_init(h);
	part = curl_mime_addpart(alt);
	curl_mime_data(part, m->text ? m->text : "", CURL_ZERO_TERMINATED);
	curl_mime_type(part, "text/plain; charset=utf-8");
	curl_mime_encoder(part, "quoted-printable");
	part = curl_mime_addpart(alt);
	curl_mime_data(part, vg_buf_cstr(&html), CURL_ZERO_TERMINATED);
	curl_mime_type(part, "text/html; charset=utf-8");
	curl_mime_encoder(part, "quoted-printable");
	part = curl_mime_addpart(mime);
	curl_mime_subparts(part, alt);
	alt = NULL;
	curl_mime_type(part, "multipart/alternative");
	alt_headers = curl_slist_append(NULL, "Content-Disposition: inline");
	curl_mime_headers(part, alt_headers, 1);
	alt_headers = NULL;
	for (size_t i = 0; i < m->nattachments; i++) {
		const vg_notify_attachment *a = &m->attachments[i];

		part = curl_mime_addpart(mime);
		if (!part || curl_mime_data(part, a->data, a->len) ||
		    curl_mime_type(part, a->type) || curl_mime_filename(part, a->name) ||
		    curl_mime_encoder(part, "base64")) {
			rc = vg_error_set(err, VG_ENOMEM, "email: out of memory attaching %s",
					  a->name);
			goto out;
		}
	}

	curl_easy_setopt(h, CURLOPT_URL, ch->url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)TIMEOUT_MS);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, curl_error);
	curl_easy_setopt(h, CURLOPT_USE_SSL,
			 ch->username && !vg_url_is_loopback(ch->url) ? (long)CURLUSESSL_ALL
								: (long)CURLUSESSL_TRY);
	if (ch->username) {
		curl_easy_setopt(h, CURLOPT_USERNAME, ch->username);
		curl_easy_setopt(h, CURLOPT_PASSWORD, ch->secret ? ch->secret : "");
	}
	if (ch->public_only)
		vg_curl_guard_install(h, &guard);
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, ch->from);
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(h, CURLOPT_MIMEPOST, mime);
	cc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &res->status);
	if (cc == CURLE_OK) {
		res->delivered = true;
		snprintf(res->answer, sizeof(res->answer), "%ld", res->status);
		goto out;
	}
	if (ch->public_only && guard.refused[0]) {
		char origin[256];

		vg_url_origin(ch->url, origin, sizeof(origin));
		rc = vg_error_set(err, VG_EPERM, "email: %s: %s is not a public address", origin,
				  guard.refused);
		goto out;
	}
	/* A 4xx reply or a broken connection may pass; 5xx and a refused login
	 * will not. */
	res->retry = cc != CURLE_LOGIN_DENIED && (res->status == 0 || (res->status >= 400 &&
								       res->status < 500));
	snprintf(res->answer, sizeof(res->answer), "%s", *curl_error ? curl_error
								     : curl_easy_strerror(cc));
	if (res->status)
		rc = vg_error_set(err, VG_EIO, "email: %s (SMTP reply %ld)", res->answer, res->status);
	else
		rc = vg_error_set(err, VG_EIO, "email: %s", res->answer);
out:
	curl_mime_free(alt);
	curl_mime_free(mime);
	curl_slist_free_all(rcpt);
	curl_slist_free_all(headers);
	curl_slist_free_all(alt_headers);
	curl_easy_cleanup(h);
	vg_buf_release(&subject);
	vg_buf_release(&html);
	vg_buf_release(&line);
	return rc;
}
