/* mailboxes.c - /api/v1/mailboxes: the mailboxes Vigil reads, their mail and its triage. */
#include "api/api.h"

#include <string.h>

#include "core/json.h"
#include "mail/intake.h"
#include "mail/mailbox.h"
#include "mail/poll.h"

#define POLL_NOW_MAX 200 /* mails one "read now" takes */

static const vg_json_field create_fields[] = {
	{ "tenant_id", VG_JSON_INTEGER, false },
	{ "name", VG_JSON_STRING, true },
	{ "url", VG_JSON_STRING, true },
	{ "username", VG_JSON_STRING, true },
	{ "password", VG_JSON_STRING, true },
	{ "address", VG_JSON_STRING, true },
	{ "reply_channel_id", VG_JSON_INTEGER, false },
	{ "enabled", VG_JSON_BOOL, false },
	{ NULL, 0, false },
};

static const vg_json_field update_fields[] = {
	{ "name", VG_JSON_STRING, false },
	{ "url", VG_JSON_STRING, false },
	{ "username", VG_JSON_STRING, false },
	{ "password", VG_JSON_STRING, false },
	{ "address", VG_JSON_STRING, false },
	{ "reply_channel_id", VG_JSON_INTEGER_OR_NULL, false },
	{ "enabled", VG_JSON_BOOL, false },
	{ NULL, 0, false },
};

static const vg_json_field triage_fields[] = {
	{ "action", VG_JSON_STRING, true },
	{ "tenant_id", VG_JSON_INTEGER, false },
	{ "ticket_id", VG_JSON_INTEGER, false },
	{ NULL, 0, false },
};

static vg_mailbox_fields fields_of(const json_t *body)
{
	const json_t *enabled = json_object_get(body, "enabled");
	const json_t *channel = json_object_get(body, "reply_channel_id");

	return (vg_mailbox_fields){
		.tenant_id = json_integer_value(json_object_get(body, "tenant_id")),
		.name = vg_json_str(body, "name"),
		.url = vg_json_str(body, "url"),
		.username = vg_json_str(body, "username"),
		.password = vg_json_str(body, "password"),
		.address = vg_json_str(body, "address"),
		.reply_channel_id = json_integer_value(channel),
		.clear_reply_channel = json_is_null(channel),
		.enabled = enabled ? json_is_true(enabled) : -1,
	};
}

int api_mailboxes_list(vg_req *req, vg_error *err)
{
	return vg_resp_list(req, vg_mailbox_list, err);
}

int api_mailboxes_get(vg_req *req, vg_error *err)
{
	return api_read_one(req, vg_mailbox_get, err);
}

int api_mailboxes_create(vg_req *req, vg_error *err)
{
	json_t *body = vg_req_body(req);
	vg_mailbox_fields in = fields_of(body);
	int64_t id;
	vg_tx *tx;
	int rc = vg_json_check(body, create_fields, err);

	if (in.enabled < 0)
		in.enabled = 1;
	if (!rc)
		rc = vg_req_tx(req, true, &tx, err);
	if (!rc)
		rc = vg_mailbox_create(tx, vg_req_ctx(req), &vg_req_app(req)->master_key, &in, &id,
				       err);
	if (rc)
		return rc;
	vg_req_audit_object(req, "mailbox", id, in.tenant_id);
	return api_answer_one(req, tx, vg_mailbox_get, id, 201, err);
}

int api_mailboxes_update(vg_req *req, vg_error *err)
{
	json_t *body = vg_req_body(req);
	vg_mailbox_fields in = fields_of(body);
	int64_t id, tenant;
	vg_tx *tx;
	int rc = vg_req_param_id(req, 0, &id, err);

	if (!rc)
		rc = vg_json_check(body, update_fields, err);
	if (!rc)
		rc = vg_req_tx(req, true, &tx, err);
	if (!rc)
		rc = vg_mailbox_update(tx, vg_req_ctx(req), &vg_req_app(req)->master_key, id, &in,
				       &tenant, err);
	if (rc)
		return rc;
	vg_req_audit_object(req, "mailbox", id, tenant);
	return api_answer_one(req, tx, vg_mailbox_get, id, 200, err);
}

/* The mailbox id of the path, seen by the caller: VG_ENOTFOUND otherwise.
 * *enabled says whether it is read. Its own transaction: the request's
 * begins after the mail is read, to answer what the read did. */
static int mailbox_of(vg_req *req, int64_t *id, int64_t *tenant, bool *enabled, vg_error *err)
{
	json_t *box = NULL;
	vg_tx *tx;
	int rc = vg_req_param_id(req, 0, id, err);

	if (!rc)
		rc = vg_tx_begin(vg_req_app(req)->store, false, &tx, err);
	if (rc)
		return rc;
	rc = vg_mailbox_get(tx, vg_req_ctx(req), *id, &box, err);
	vg_tx_rollback(tx);
	if (rc)
		return rc;
	*tenant = json_integer_value(json_object_get(box, "tenant_id"));
	*enabled = json_is_true(json_object_get(box, "enabled"));
	json_decref(box);
	return VG_OK;
}

/* Reads the mailbox now, rather than at its next turn: how a new mailbox
 * is tried out. Answers the mailbox as it stands after. */
int api_mailboxes_poll(vg_req *req, vg_error *err)
{
	vg_app *app = vg_req_app(req);
	vg_mail_settings s = vg_mail_settings_of(app);
	int64_t id, tenant;
	size_t read = 0;
	bool enabled;
	char detail[64];
	vg_tx *tx;
	int rc = mailbox_of(req, &id, &tenant, &enabled, err);

	if (!rc && !enabled)
		rc = vg_error_set(err, VG_ECONFLICT, "the mailbox is disabled");
	if (rc)
		return rc;
	vg_req_audit_object(req, "mailbox", id, tenant);
	rc = vg_mail_poll(app->store, &app->master_key, &s, id, POLL_NOW_MAX, &read, err);
	snprintf(detail, sizeof(detail), "%zu mails read", read);
	vg_req_audit_detail(req, rc ? err->msg : detail);
	if (rc == VG_EAUTH || rc == VG_EIO || rc == VG_EPERM) {
		vg_error why = *err;

		rc = vg_error_set(err, VG_ECONFLICT, "the mailbox cannot be read: %s", why.msg);
	}
	if (!rc)
		rc = vg_req_tx(req, false, &tx, err);
	return rc ? rc : api_answer_one(req, tx, vg_mailbox_get, id, 200, err);
}

int api_mailboxes_mail(vg_req *req, vg_error *err)
{
	const char *status = vg_req_query(req, "status");
	int64_t id, after, last;
	json_t *items;
	vg_tx *tx;
	int limit;
	int rc = vg_req_param_id(req, 0, &id, err);

	if (!rc)
		rc = vg_req_page(req, &limit, &after, err);
	if (!rc)
		rc = vg_req_tx(req, false, &tx, err);
	if (!rc)
		rc = vg_mail_list(tx, vg_req_ctx(req), id, status ? status : "", after, limit, &items,
				  &last, err);
	if (rc)
		return rc;
	return vg_resp_page(req, items, (int)json_array_size(items) == limit ? last : 0);
}

static int mail_ids(vg_req *req, int64_t *mailbox, int64_t *id, vg_error *err)
{
	int rc = vg_req_param_id(req, 0, mailbox, err);

	return rc ? rc : vg_req_param_id(req, 1, id, err);
}

static int answer_mail(vg_req *req, int64_t mailbox, int64_t id, vg_error *err)
{
	json_t *mail;
	vg_tx *tx;
	int rc = vg_req_tx(req, false, &tx, err);

	if (!rc)
		rc = vg_mail_get(tx, vg_req_ctx(req), mailbox, id, &mail, err);
	return rc ? rc : vg_resp_json(req, 200, mail);
}

int api_mailboxes_mail_get(vg_req *req, vg_error *err)
{
	int64_t mailbox, id;
	int rc = mail_ids(req, &mailbox, &id, err);

	return rc ? rc : answer_mail(req, mailbox, id, err);
}

/* The mail as it was read, to be looked at (message/rfc822, never shown
 * inline by a browser). */
int api_mailboxes_mail_raw(vg_req *req, vg_error *err)
{
	int64_t mailbox, id;
	json_t *mail = NULL;
	vg_rows *r;
	vg_tx *tx;
	int rc = mail_ids(req, &mailbox, &id, err);

	if (!rc)
		rc = vg_req_tx(req, false, &tx, err);
	if (!rc)
		rc = vg_mail_get(tx, vg_req_ctx(req), mailbox, id, &mail, err);
	json_decref(mail);
	if (!rc)
		rc = vg_tx_query(tx, "SELECT raw FROM mail_messages WHERE id = ? AND raw IS NOT NULL",
				 VG_PARAMS(VG_P_INT(id)), &r, err);
	if (rc)
		return rc;
	rc = vg_rows_next(r, err);
	if (rc == 0)
		rc = vg_error_set(err, VG_ENOTFOUND, "the mail was over the size limit and is not "
				  "kept; it is still on the server");
	if (rc == 1) {
		size_t len;
		const char *raw = vg_rows_blob(r, 0, &len);

		rc = vg_resp_header(req, "Content-Disposition", "attachment; filename=\"mail.eml\"");
		if (!rc)
			rc = vg_resp_raw(req, 200, "message/rfc822", raw ? raw : "", len);
	}
	vg_rows_free(r);
	return rc;
}

/* A person's decision on a mail waiting in triage (or failed):
 * {"action": "ticket", "tenant_id": N} opens a ticket of the tenant,
 * {"action": "comment", "ticket_id": N} adds it to a ticket,
 * {"action": "dismiss"} puts it aside. */
int api_mailboxes_triage(vg_req *req, vg_error *err)
{
	json_t *body = vg_req_body(req);
	vg_app *app = vg_req_app(req);
	vg_mail_settings s = vg_mail_settings_of(app);
	const char *action = vg_json_str(body, "action");
	int64_t mailbox, id, tenant = json_integer_value(json_object_get(body, "tenant_id")),
			     ticket = json_integer_value(json_object_get(body, "ticket_id"));
	int rc = mail_ids(req, &mailbox, &id, err);

	if (!rc)
		rc = vg_json_check(body, triage_fields, err);
	if (rc)
		return rc;
	if (strcmp(action, "ticket") == 0 && (!tenant || ticket))
		return vg_error_set(err, VG_EINVAL, "action ticket takes tenant_id (only)");
	if (strcmp(action, "comment") == 0 && (!ticket || tenant))
		return vg_error_set(err, VG_EINVAL, "action comment takes ticket_id (only)");
	if (strcmp(action, "dismiss") == 0 && (ticket || tenant))
		return vg_error_set(err, VG_EINVAL, "action dismiss takes no tenant_id or ticket_id");
	if (strcmp(action, "ticket") != 0 && strcmp(action, "comment") != 0 &&
	    strcmp(action, "dismiss") != 0)
		return vg_error_set(err, VG_EINVAL, "action must be ticket, comment or dismiss");
	rc = vg_mail_decide(app->store, &s, vg_req_ctx(req), mailbox, id, tenant, ticket, err);
	if (rc)
		return rc;
	vg_req_audit_object(req, "mail", id, tenant);
	vg_req_audit_detail(req, action);
	return answer_mail(req, mailbox, id, err);
}

int api_mailboxes_retry(vg_req *req, vg_error *err)
{
	vg_app *app = vg_req_app(req);
	vg_mail_settings s = vg_mail_settings_of(app);
	int64_t mailbox, id;
	int rc = mail_ids(req, &mailbox, &id, err);

	if (!rc)
		rc = vg_mail_retry(app->store, &app->master_key, &s, vg_req_ctx(req), mailbox, id, err);
	if (rc)
		return rc;
	vg_req_audit_object(req, "mail", id, 0);
	return answer_mail(req, mailbox, id, err);
}
