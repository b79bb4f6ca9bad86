/*
 * escalation.c - what an SLA warning or breach sets off: its policy's
 * escalation rule (content/sla.yaml) applied once, explained in the
 * ticket's history and told as an "escalated" ticket event (see
 * itsm_int.h).
 *
 * The notification channels post to a team's robot or a fixed address,
 * not to a user: the people a rule names are carried as the event's
 * recipients (and in its text, for the message), so whoever reads the
 * channel knows whom it is for.
 */
#include "itsm/itsm_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "itsm/groups.h"

#define TEXT_MAX 2000

static const char *cause_of(vg_sla_mark mark)
{
	return mark == VG_SLA_BREACH ? "sla_breach" : "sla_warning";
}

int vg__sla_event_detail(const json_t *ticket, const char *clock, vg_sla_mark mark, json_t **out,
			 vg_error *err)
{
	const json_t *sla = json_object_get(ticket, "sla");
	const json_t *c = json_object_get(sla, clock);
	char text[512];

	vg_sla_explain(sla, clock, mark, text, sizeof(text));
	*out = json_pack("{s:O, s:O, s:s, s:O, s:O, s:O, s:O, s:O, s:s}", "policy",
			 json_object_get(sla, "policy"), "calendar",
			 json_object_get(sla, "calendar"), "clock", clock, "target",
			 json_object_get(c, "target"), "target_seconds",
			 json_object_get(c, "target_seconds"), "elapsed_seconds",
			 json_object_get(c, "elapsed_seconds"), "paused_seconds",
			 json_object_get(c, "paused_seconds"), "due_at",
			 json_object_get(c, "due_at"), "text", text);
	return *out ? VG_OK : vg_error_set(err, VG_ENOMEM, "out of memory explaining an SLA event");
}

/* Adds the users sql gives (id, username, role) to recipients as "as",
 * each user once; *added counts the new ones. */
static int add_recipients(vg_tx *tx, const char *sql, const vg_param *params, size_t n,
			  const char *as, json_t *recipients, size_t *added, vg_error *err)
{
	vg_rows *r;
	int rc = vg_tx_query(tx, sql, params, n, &r, err);

	*added = 0;
	if (rc)
		return rc;
	while ((rc = vg_rows_next(r, err)) == 1) {
		int64_t id = vg_rows_int(r, 0);
		bool listed = false;
		size_t i;
		json_t *x;

		json_array_foreach(recipients, i, x)
		{
			if (json_integer_value(json_object_get(x, "user_id")) == id)
				listed = true;
		}
		if (listed)
			continue;
		if (json_array_append_new(recipients,
					  json_pack("{s:I, s:s, s:s, s:s}", "user_id",
						    (json_int_t)id, "username", vg_rows_text(r, 1),
						    "role", vg_rows_text(r, 2), "as", as))) {
			rc = vg_error_set(err, VG_ENOMEM, "out of memory listing recipients");
			break;
		}
		(*added)++;
	}
	vg_rows_free(r);
	return rc < 0 ? rc : VG_OK;
}

/* The ticket's assignee and group as they are now (an escalation of the
 * other clock, a moment ago, may have changed them). */
static int current(vg_tx *tx, int64_t id, int64_t *assignee, int64_t *group, vg_error *err)
{
	vg_rows *r;
	int rc = vg_tx_query(tx,
			     "SELECT COALESCE(assignee_id, 0), COALESCE(assignee_group_id, 0) FROM "
			     "tickets WHERE id = ?",
			     VG_PARAMS(VG_P_INT(id)), &r, err);

	*assignee = *group = 0;
	if (rc)
		return rc;
	rc = vg_rows_next(r, err);
	if (rc == 1) {
		*assignee = vg_rows_int(r, 0);
		*group = vg_rows_int(r, 1);
	}
	vg_rows_free(r);
	return rc < 0 ? rc : rc == 1 ? VG_OK : vg_error_set(err, VG_ENOTFOUND, "no such ticket");
}

/* Hands ticket id to the group rule names, saying what was done into
 * what; *group becomes the ticket's group, *assignee is cleared when not
 * one of its members. */
static int reassign(vg_tx *tx, int64_t id, const char *name, int64_t now, int64_t *group,
		    int64_t *assignee, vg_buf *what, vg_error *err)
{
	int64_t to = 0;
	bool member = false;
	int rc = vg_group_find(tx, name, &to, err);

	if (rc)
		return rc;
	if (!to)
		return vg_buf_printf(what, "group %s does not exist, not reassigned", name);
	if (to == *group)
		return vg_buf_printf(what, "already with group %s", name);
	if (*assignee)
		rc = vg_group_has_member(tx, to, *assignee, &member, err);
	if (!rc)
		rc = vg_tx_exec(
			tx,
			"UPDATE tickets SET assignee_group_id = ?, assignee_id = CASE WHEN ? THEN "
			"assignee_id ELSE NULL END, updated_at = ? WHERE id = ?",
			VG_PARAMS(VG_P_INT(to), VG_P_INT(member), VG_P_INT(now), VG_P_INT(id)),
			NULL, err);
	if (rc)
		return rc;
	*group = to;
	rc = vg_buf_printf(what, "reassigned to group %s", name);
	if (!rc && *assignee && !member)
		rc = vg_buf_puts(what, " (assignee cleared: not a member)");
	if (!member)
		*assignee = 0;
	return rc;
}

static json_t *rule_json(const vg_sla_escalation *e)
{
	json_t *notify = json_array();

	if (e->notify & VG_SLA_NOTIFY_ASSIGNEE)
		json_array_append_new(notify, json_string("assignee"));
	if (e->notify & VG_SLA_NOTIFY_MANAGER)
		json_array_append_new(notify, json_string("manager"));
	if (e->notify & VG_SLA_NOTIFY_GROUP)
		json_array_append_new(notify, json_string("group"));
	return json_pack(
		"{s:s, s:o, s:o, s:o}", "on", e->on == VG_SLA_BREACH ? "breach" : "warning",
		"clock", e->clock ? json_string(e->clock) : json_null(), "notify", notify,
		"reassign_group", e->reassign_group ? json_string(e->reassign_group) : json_null());
}

/* Works out whom rule e tells, saying so into what. */
static int notify(vg_tx *tx, const vg_sla_escalation *e, int64_t assignee, int64_t group,
		  json_t *recipients, vg_buf *what, vg_error *err)
{
	size_t added = 0;
	int rc = VG_OK;

	if (e->notify & VG_SLA_NOTIFY_MANAGER) {
		rc = add_recipients(
			tx,
			"SELECT id, username, role FROM users WHERE role = 'manager' AND "
			"tenant_id IS NULL AND disabled = 0 ORDER BY username",
			VG_NO_PARAMS, "manager", recipients, &added, err);
		if (!rc)
			rc = vg_buf_printf(what, "%s%s", vg_buf_cstr(what)[0] ? ", " : "",
					   added ? "managers notified" : "no manager to notify");
	}
	if (!rc && (e->notify & VG_SLA_NOTIFY_ASSIGNEE)) {
		added = 0;
		if (assignee)
			rc = add_recipients(tx,
					    "SELECT id, username, role FROM users WHERE id = ? AND "
					    "disabled = 0",
					    VG_PARAMS(VG_P_INT(assignee)), "assignee", recipients,
					    &added, err);
		if (!rc)
			rc = vg_buf_printf(what, "%s%s", vg_buf_cstr(what)[0] ? ", " : "",
					   assignee ? "assignee notified"
						    : "no assignee to notify");
	}
	if (!rc && (e->notify & VG_SLA_NOTIFY_GROUP)) {
		added = 0;
		if (group)
			rc = add_recipients(
				tx,
				"SELECT u.id, u.username, u.role FROM group_members m JOIN "
				"users u ON u.id = m.user_id WHERE m.group_id = ? AND "
				"u.disabled = 0 ORDER BY u.username",
				VG_PARAMS(VG_P_INT(group)), "group", recipients, &added, err);
		if (!rc)
			rc = vg_buf_printf(what, "%s%s", vg_buf_cstr(what)[0] ? ", " : "",
					   group ? "group notified" : "no group to notify");
	}
	return rc;
}

int vg__ticket_escalate(vg_tx *tx, const json_t *ticket, vg_sla_mark mark, const char *clock,
			int64_t now, vg_error *err)
{
	const json_t *sla = json_object_get(ticket, "sla");
	const vg_sla_policies *ps = vg_sla_policies_builtin(err);
	const vg_sla_escalation *e =
		ps ? vg_sla_escalation_of(ps, json_string_value(json_object_get(sla, "policy")),
					  mark, clock)
		   : NULL;
	int64_t id = json_integer_value(json_object_get(ticket, "id")), assignee, group;
	json_t *detail = NULL, *recipients = json_array();
	vg_buf what = VG_BUF_INIT(TEXT_MAX), text = VG_BUF_INIT(TEXT_MAX);
	char *dumped[2] = { NULL, NULL };
	int rc = ps ? VG_OK : err ? err->code : VG_EFAIL;

	if (rc || !e)
		goto out;
	rc = current(tx, id, &assignee, &group, err);
	if (!rc && e->reassign_group)
		rc = reassign(tx, id, e->reassign_group, now, &group, &assignee, &what, err);
	if (!rc)
		rc = notify(tx, e, assignee, group, recipients, &what, err);
	if (!rc)
		rc = vg__sla_event_detail(ticket, clock, mark, &detail, err);
	if (!rc &&
	    vg_buf_printf(&text, "%s: %s", json_string_value(json_object_get(detail, "text")),
			  vg_buf_cstr(&what)))
		rc = vg_error_set(err, VG_ENOMEM, "out of memory explaining an escalation");
	if (!rc) {
		json_object_set_new(detail, "text", json_string(vg_buf_cstr(&text)));
		json_object_set_new(detail, "rule", rule_json(e));
		dumped[0] = json_dumps(detail, JSON_COMPACT);
		dumped[1] = json_dumps(recipients, JSON_COMPACT);
		if (!dumped[0] || !dumped[1])
			rc = vg_error_set(err, VG_ENOMEM, "out of memory storing an escalation");
	}
	/* Internal: the customer's history does not show it, and it is no
	 * answer to the customer (the response clock reads staff's public
	 * entries). */
	if (!rc)
		rc = vg_tx_exec(
			tx,
			"INSERT INTO ticket_activity (ticket_id, at, username, action, text, "
			"public, staff) VALUES (?, ?, 'system', 'escalate', ?, 0, 0)",
			VG_PARAMS(VG_P_INT(id), VG_P_INT(now), VG_P_TEXT(vg_buf_cstr(&text))), NULL,
			err);
	if (!rc)
		rc = vg_tx_exec(
			tx,
			"INSERT INTO ticket_events (tenant_id, ticket_id, kind, clock, cause, at, "
			"detail, recipients) VALUES (?, ?, 'escalated', ?, ?, ?, ?, ?) ON "
			"CONFLICT DO NOTHING",
			VG_PARAMS(
				VG_P_INT(json_integer_value(json_object_get(ticket, "tenant_id"))),
				VG_P_INT(id), VG_P_TEXT(clock), VG_P_TEXT(cause_of(mark)),
				VG_P_INT(now), VG_P_TEXT(dumped[0]), VG_P_TEXT(dumped[1])),
			NULL, err);
out:
	free(dumped[0]);
	free(dumped[1]);
	json_decref(detail);
	json_decref(recipients);
	vg_buf_release(&what);
	vg_buf_release(&text);
	return rc;
}

static json_t *event_json(vg_rows *r, void *customer)
{
	json_t *detail = json_loads(vg_rows_text(r, 5), 0, NULL);
	json_t *recipients = json_loads(vg_rows_text(r, 6), 0, NULL);
	json_t *o;

	if (!json_is_object(detail)) {
		json_decref(detail);
		detail = json_object();
	}
	if (*(bool *)customer || !json_is_array(recipients)) {
		json_decref(recipients);
		recipients = NULL;
	}
	if (recipients)
		json_object_set_new(detail, "recipients", recipients);
	o = json_pack("{s:I, s:s, s:s, s:o, s:o, s:o}", "id", (json_int_t)vg_rows_int(r, 0), "kind",
		      vg_rows_text(r, 1), "clock", vg_rows_text(r, 2), "cause",
		      *vg_rows_text(r, 3) ? json_string(vg_rows_text(r, 3)) : json_null(), "at",
		      vg_rows_json_time(r, 4), "detail", detail);
	return o;
}

int vg__ticket_sla_events_json(vg_tx *tx, int64_t id, bool customer, json_t **out, vg_error *err)
{
	int64_t last;

	return vg_tx_query_list(tx,
				"SELECT id, kind, clock, cause, at, detail, recipients FROM "
				"ticket_events WHERE ticket_id = ? AND (kind IN ('sla_warning', "
				"'sla_breach') OR (kind = 'escalated' AND NOT ?)) ORDER BY id",
				VG_PARAMS(VG_P_INT(id), VG_P_INT(customer)), event_json, &customer,
				out, &last, err);
}
