/*
 * schedule.c - the monthly report made on the 1st and mailed to the
 * tenant's report contacts (schedule.h).
 */
#include "report/schedule.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/json.h"
#include "core/time.h"
#include "core/tz.h"
#include "notify/channels.h"
#include "ops/catalog.h"
#include "ops/tenant.h"
#include "report/reports.h"

#define SCHEDULE_USER "schedule"

/* The month before the one holding now in zone: "YYYY-MM", and its last day
 * "YYYY-MM-DD". */
static int previous_month(const char *zone, int64_t now, char month[32], char last_day[32],
			  vg_error *err)
{
	int minutes, year, mon, day, weekday;
	int rc = vg_tz_offset(zone, now, &minutes, err);

	if (rc)
		return rc;
	vg_time_to_civil(now + (int64_t)minutes * 60000, &year, &mon, &day, &weekday);
	if (--mon == 0) {
		mon = 12;
		year--;
	}
	snprintf(month, 32, "%04d-%02d", year, mon);
	snprintf(last_day, 32, "%04d-%02d-%02d", year, mon, vg_report_days_in_month(year, mon));
	return VG_OK;
}

/* Whether t's contract includes the monthly report on some day of month
 * (which ends on last_day). */
static int entitled(const vg_tenant *t, const char *month, const char *last_day, bool *yes,
		    vg_error *err)
{
	const vg_catalog *c = vg_catalog_builtin(err);
	char first_day[48];
	json_t *ent = NULL, *item;
	size_t i;
	int rc;

	*yes = false;
	snprintf(first_day, sizeof(first_day), "%s-01", month);
	if (!c)
		return VG_EINVAL;
	if (strcmp(t->contract_start, last_day) > 0 || strcmp(t->contract_end, first_day) < 0)
		return VG_OK;
	rc = vg_catalog_entitlements(c, t, last_day, &ent, err);
	if (rc)
		return rc;
	json_array_foreach(json_object_get(ent, "items"), i, item)
	{
		if (strcmp(json_string_value(json_object_get(item, "id")), "reports.monthly") == 0)
			*yes = true;
	}
	json_decref(ent);
	return VG_OK;
}

/* Queues the month just ended's report for every tenant entitled to it
 * that was a tenant before it ended. */
static int queue_due(vg_store *store, int64_t now, vg_error *err)
{
	vg_ctx sys = vg_ctx_system();
	json_t *ids = NULL, *v;
	int64_t last;
	vg_tx *tx;
	size_t i;
	int rc = vg_tx_begin(store, true, &tx, err);

	if (rc)
		return rc;
	rc = vg_tenant_list(tx, &sys, 0, 0, 100000, &ids, &last, err);
	json_array_foreach(ids, i, v)
	{
		char month[32], last_day[32];
		int64_t from, until;
		vg_tenant t;
		bool yes = false;

		if (rc)
			break;
		rc = vg_tenant_get(tx, &sys, json_integer_value(json_object_get(v, "id")), &t, err);
		if (rc)
			break;
		rc = previous_month(t.timezone, now, month, last_day, err);
		if (!rc)
			rc = vg_tz_month_bounds(month, t.timezone, &from, &until, err);
		/* A month that ended before the customer came to Vigil has nothing
		 * to report: a new tenant's first report is of its first month. */
		if (!rc && t.created_at < until)
			rc = entitled(&t, month, last_day, &yes, err);
		if (!rc && yes)
			rc = vg_tx_exec(
			    tx,
			    "INSERT INTO reports (tenant_id, kind, period, format, language, "
			    "state, "
			    "scheduled, next_at, created_by, created_at, updated_at) VALUES (?, "
			    "'monthly', ?, 'pdf', ?, 'pending', 1, ?, ?, ?, ?) ON CONFLICT DO "
			    "NOTHING",
			    VG_PARAMS(VG_P_INT(t.id), VG_P_TEXT(month),
				      VG_P_TEXT(t.report_language), VG_P_INT(now),
				      VG_P_TEXT(SCHEDULE_USER), VG_P_INT(now), VG_P_INT(now)),
			    NULL, err);
		vg_tenant_release(&t);
	}
	json_decref(ids);
	if (rc) {
		vg_tx_rollback(tx);
		return rc;
	}
	return vg_tx_commit(tx, err);
}

/* The report contacts' addresses of tenant_id, as a JSON array. */
static int report_contacts(vg_tx *tx, int64_t tenant_id, json_t **out, vg_error *err)
{
	vg_ctx sys = vg_ctx_system();
	vg_tenant t;
	json_t *c;
	size_t i;
	int rc = vg_tenant_get(tx, &sys, tenant_id, &t, err);

	*out = NULL;
	if (rc)
		return rc;
	*out = json_array();
	json_array_foreach(t.contacts, i, c)
	{
		const char *email = json_string_value(json_object_get(c, "email"));

		if (json_is_true(json_object_get(c, "reports")) && email && *email)
			json_array_append_new(*out, json_string(email));
	}
	vg_tenant_release(&t);
	return VG_OK;
}

/* Renders pending report id (of tenant_id, for month, in lang) and records
 * how it went: ready with its mailings queued, or another try later, or
 * failed. */
static int make_one(vg_store *store, const vg_report_schedule *s, int64_t now, int64_t id,
		    int64_t tenant_id, const char *month, vg_report_lang lang, int64_t attempts,
		    bool *made, vg_error *err)
{
	vg_report_origin origin = {.issuer = s->issuer, .now = now};
	vg_report_request req = {.kind = VG_REPORT_MONTHLY,
				 .tenant_id = tenant_id,
				 .month = month,
				 .format = VG_REPORT_PDF,
				 .lang = lang};
	vg_buf file = VG_BUF_INIT(SIZE_MAX);
	vg_error why = {0};
	vg_ctx sys = vg_ctx_system();
	json_t *to = NULL, *addr;
	char period[32], sha[VG_SHA256_HEX_LEN];
	int64_t tenant;
	vg_tx *tx;
	size_t i;
	int rc, rendered;

	*made = false;
	snprintf(sys.username, sizeof(sys.username), SCHEDULE_USER);
	rc = vg_tx_begin(store, false, &tx, err);
	if (rc)
		return rc;
	rendered = vg_report_render(tx, &sys, &req, &origin, &file, &tenant, period, &why);
	vg_tx_rollback(tx);

	rc = vg_tx_begin(store, true, &tx, err);
	if (rc)
		goto out;
	if (rendered == VG_OK) {
		vg_sha256_hex(file.ptr, file.len, sha);
		rc = vg_tx_exec(
		    tx,
		    "UPDATE reports SET state = 'ready', content = ?, size = ?, sha256 = "
		    "?, error = NULL, attempts = attempts + 1, next_at = NULL, "
		    "updated_at = ? WHERE id = ?",
		    VG_PARAMS(VG_P_BLOB(file.ptr, file.len), VG_P_INT(file.len), VG_P_TEXT(sha),
			      VG_P_INT(now), VG_P_INT(id)),
		    NULL, err);
		if (!rc)
			rc = report_contacts(tx, tenant_id, &to, err);
		json_array_foreach(to, i, addr)
		{
			if (rc)
				break;
			rc = vg_tx_exec(
			    tx,
			    "INSERT INTO report_mailings (report_id, tenant_id, recipient, "
			    "next_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
			    VG_PARAMS(VG_P_INT(id), VG_P_INT(tenant_id),
				      VG_P_TEXT(json_string_value(addr)), VG_P_INT(now)),
			    NULL, err);
		}
		*made = rc == VG_OK;
	} else {
		bool last = attempts + 1 >= s->notify->max_attempts;

		rc = vg_tx_exec(
		    tx,
		    "UPDATE reports SET state = ?, error = ?, attempts = attempts + 1, "
		    "next_at = ?, updated_at = ? WHERE id = ?",
		    VG_PARAMS(VG_P_TEXT(last ? "failed" : "pending"), VG_P_TEXT(why.msg),
			      last ? VG_P_NULL
				   : VG_P_INT(now + vg_notify_retry_wait(s->notify,
									 (int)attempts + 1, NULL)),
			      VG_P_INT(now), VG_P_INT(id)),
		    NULL, err);
	}
	if (rc)
		vg_tx_rollback(tx);
	else
		rc = vg_tx_commit(tx, err);
out:
	json_decref(to);
	vg_buf_release(&file);
	return rc;
}

static int make_due(vg_store *store, const vg_report_schedule *s, int64_t now, int limit,
		    size_t *made, vg_error *err)
{
	struct due {
		int64_t id, tenant_id, attempts;
		char month[32];
		vg_report_lang lang;
	} due[64];
	size_t n = 0, i;
	vg_rows *r = NULL;
	vg_tx *tx;
	int rc = vg_tx_begin(store, false, &tx, err), more = 0;

	if (limit > 64)
		limit = 64;
	if (!rc)
		rc = vg_tx_query(
		    tx,
		    "SELECT id, tenant_id, period, attempts, language FROM reports WHERE state = "
		    "'pending' AND next_at <= ? ORDER BY next_at, id LIMIT ?",
		    VG_PARAMS(VG_P_INT(now), VG_P_INT(limit)), &r, err);
	while (!rc && (more = vg_rows_next(r, err)) == 1) {
		due[n].id = vg_rows_int(r, 0);
		due[n].tenant_id = vg_rows_int(r, 1);
		snprintf(due[n].month, sizeof(due[n].month), "%s", vg_rows_text(r, 2));
		due[n].attempts = vg_rows_int(r, 3);
		due[n].lang = VG_REPORT_ZH;
		vg_report_lang_parse(vg_rows_text(r, 4), &due[n].lang, NULL);
		n++;
	}
	vg_rows_free(r);
	vg_tx_rollback(tx);
	if (more < 0)
		rc = more;
	for (i = 0; !rc && i < n; i++) {
		bool ok;

		rc = make_one(store, s, now, due[i].id, due[i].tenant_id, due[i].month, due[i].lang,
			      due[i].attempts, &ok, err);
		*made += ok;
	}
	return rc;
}

/* The id of the MSSP's email channel named name, or 0 (with why) when
 * there is none to send through. */
static int channel_of(vg_tx *tx, const char *name, int64_t *id, char *why, size_t why_size,
		      vg_error *err)
{
	int rc;

	*id = 0;
	if (!name || !*name) {
		snprintf(why, why_size,
			 "report.email_channel is not set: no channel to mail "
			 "reports through");
		return VG_OK;
	}
	rc = vg_tx_query_int(tx,
			     "SELECT id FROM channels WHERE tenant_id = 0 AND name = ? AND type = "
			     "'email' AND enabled = 1",
			     VG_PARAMS(VG_P_TEXT(name)), id, err);
	if (rc == VG_ENOTFOUND) {
		snprintf(why, why_size,
			 "report.email_channel \"%s\" is not an enabled email channel of the MSSP",
			 name);
		return VG_OK;
	}
	return rc;
}

/* What one due mail needs, read before sending. */
typedef struct mailing {
	int64_t id, report_id, attempts;
	char recipient[256];
} mailing;

/* Sends one mailing's report and records the outcome. */
static int mail_one(vg_store *store, const vg_report_schedule *s, int64_t now, int64_t channel_id,
		    const char *no_channel, const mailing *ml, bool *sent, vg_error *err)
{
	vg_ctx sys = vg_ctx_system();
	vg_buf file = VG_BUF_INIT(SIZE_MAX);
	vg_channel_open ch = {0};
	vg_notify_result res = {.retry_after_s = -1};
	vg_error why = {0};
	vg_report_format format;
	char filename[96], title[256], text[512], message_id[64];
	const char *tenant_name = "", *period = "";
	vg_report_lang lang = VG_REPORT_ZH;
	vg_rows *r = NULL;
	vg_tx *tx;
	int rc = vg_tx_begin(store, false, &tx, err), sending = VG_EINVAL, opened = 0;

	*sent = false;
	if (rc)
		return rc;
	if (!channel_id)
		snprintf(why.msg, sizeof(why.msg), "%s", no_channel);
	else if ((opened = vg_channel_open_get(tx, &sys, s->notify->key, channel_id, &ch, &why)) ==
		 VG_OK)
		rc = vg_report_file(tx, &sys, ml->report_id, &file, &format, filename, err);
	if (!rc)
		rc = vg_tx_query(
		    tx,
		    "SELECT t.name, r.period, r.language FROM reports r JOIN tenants t ON t.id = "
		    "r.tenant_id WHERE r.id = ?",
		    VG_PARAMS(VG_P_INT(ml->report_id)), &r, err);
	if (!rc && vg_rows_next(r, err) == 1) {
		tenant_name = vg_rows_text(r, 0);
		period = vg_rows_text(r, 1);
		vg_report_lang_parse(vg_rows_text(r, 2), &lang, NULL);
	}
	if (!rc && channel_id && opened == VG_OK) {
		vg_notify_attachment att = {.name = filename,
					    .type = vg_report_format_type(format),
					    .data = file.ptr,
					    .len = file.len};
		vg_notify_message m = {0};

		ch.ch.public_only = s->notify->public_only;
		snprintf(
		    title, sizeof(title),
		    VG_TR(lang, "MSS月度分析报告 %s：%s", "MSS Monthly Analysis Report %s: %s"),
		    period, tenant_name);
		snprintf(text, sizeof(text),
			 VG_TR(lang, "附件为 **%s** %s 的 MSS 月度分析报告（%s）。",
			       "The monthly analysis report of **%s** for %s is attached (%s)."),
			 tenant_name, period, filename);
		snprintf(message_id, sizeof(message_id),
			 "vigil.report.%" PRId64 ".%" PRId64 "@vigil", ml->report_id, ml->id);
		m.title = title;
		m.text = text;
		m.to = ml->recipient;
		m.message_id = message_id;
		m.attachments = &att;
		m.nattachments = 1;
		sending = vg_notify_send(&ch.ch, &m, now, &res, &why);
	}
	vg_rows_free(r);
	vg_tx_rollback(tx);
	if (opened == VG_OK && channel_id)
		vg_channel_open_release(&ch);
	vg_buf_release(&file);
	if (rc)
		return rc;

	rc = vg_tx_begin(store, true, &tx, err);
	if (rc)
		return rc;
	if (sending == VG_OK) {
		rc = vg_tx_exec(
		    tx,
		    "UPDATE report_mailings SET state = 'sent', attempts = attempts + 1, "
		    "error = NULL, sent_at = ?, next_at = ? WHERE id = ?",
		    VG_PARAMS(VG_P_INT(now), VG_P_INT(now), VG_P_INT(ml->id)), NULL, err);
		*sent = rc == VG_OK;
	} else if (!channel_id) {
		/* Nothing was tried: the mail waits, unspent, for a channel. */
		rc =
		    vg_tx_exec(tx, "UPDATE report_mailings SET error = ?, next_at = ? WHERE id = ?",
			       VG_PARAMS(VG_P_TEXT(why.msg),
					 VG_P_INT(now + vg_notify_retry_wait(s->notify, 1, NULL)),
					 VG_P_INT(ml->id)),
			       NULL, err);
	} else {
		bool last = !res.retry || ml->attempts + 1 >= s->notify->max_attempts;
		int64_t wait = vg_notify_retry_wait(s->notify, (int)ml->attempts + 1, &res);

		rc =
		    vg_tx_exec(tx,
			       "UPDATE report_mailings SET state = ?, attempts = attempts + 1, "
			       "error = ?, next_at = ? WHERE id = ?",
			       VG_PARAMS(VG_P_TEXT(last ? "failed" : "pending"), VG_P_TEXT(why.msg),
					 VG_P_INT(now + wait), VG_P_INT(ml->id)),
			       NULL, err);
	}
	if (rc) {
		vg_tx_rollback(tx);
		return rc;
	}
	return vg_tx_commit(tx, err);
}

static int mail_due(vg_store *store, const vg_report_schedule *s, int64_t now, int limit,
		    size_t *mailed, vg_error *err)
{
	mailing due[64];
	char no_channel[256] = "";
	int64_t channel_id = 0;
	size_t n = 0, i;
	vg_rows *r = NULL;
	vg_tx *tx;
	int rc = vg_tx_begin(store, false, &tx, err), more = 0;

	if (limit > 64)
		limit = 64;
	if (!rc)
		rc = channel_of(tx, s->email_channel, &channel_id, no_channel, sizeof(no_channel),
				err);
	if (!rc)
		rc = vg_tx_query(tx,
				 "SELECT id, report_id, attempts, recipient FROM report_mailings "
				 "WHERE state = 'pending' AND next_at <= ? ORDER BY next_at, id "
				 "LIMIT ?",
				 VG_PARAMS(VG_P_INT(now), VG_P_INT(limit)), &r, err);
	while (!rc && (more = vg_rows_next(r, err)) == 1) {
		due[n].id = vg_rows_int(r, 0);
		due[n].report_id = vg_rows_int(r, 1);
		due[n].attempts = vg_rows_int(r, 2);
		snprintf(due[n].recipient, sizeof(due[n].recipient), "%s", vg_rows_text(r, 3));
		n++;
	}
	vg_rows_free(r);
	vg_tx_rollback(tx);
	if (more < 0)
		rc = more;
	for (i = 0; !rc && i < n; i++) {
		bool sent;

		rc = mail_one(store, s, now, channel_id, no_channel, &due[i], &sent, err);
		*mailed += sent;
	}
	return rc;
}

int vg_report_schedule_run(vg_store *store, const vg_report_schedule *s, int64_t now, int limit,
			   size_t *made, size_t *mailed, vg_error *err)
{
	int rc = queue_due(store, now, err);

	*made = *mailed = 0;
	if (!rc)
		rc = make_due(store, s, now, limit, made, err);
	if (!rc)
		rc = mail_due(store, s, now, limit, mailed, err);
	return rc;
}
