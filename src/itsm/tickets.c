/* tickets.c - ITIL records through their workflows (see tickets.h). */
#include "itsm/tickets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alerts/incidents.h"
#include "core/buf.h"
#include "core/time.h"
#include "core/tz.h"
#include "core/utf8.h"
#include "itsm/attachments.h"
#include "itsm/groups.h"
#include "itsm/itsm_int.h"
#include "itsm/sla.h"
#include "itsm/workflow.h"
#include "ops/staff.h"
#include "ops/tenant.h"

#define TITLE_MAX 300
#define TEXT_MAX 20000
#define FIELDS_MAX 32
#define CALLER_MAX 200
#define NUMBER_MAX 32

static const char *const channels[] = { "portal", "email", "phone", "im", "alert" };

static bool is_customer(const vg_ctx *ctx)
{
	return ctx->role == VG_ROLE_CUSTOMER_ADMIN || ctx->role == VG_ROLE_CUSTOMER_USER;
}

/* fields laid over the stored ones (NULL: none), every value text: the
 * merged object as JSON to free in *out. */
static int merge_fields(const char *stored, const json_t *fields, char **out, vg_error *err)
{
	json_t *all = json_loads(stored ? stored : "{}", 0, NULL), *v;
	const char *key;

	*out = NULL;
	if (!json_is_object(all)) {
		json_decref(all);
		all = json_object();
	}
	if (fields && !json_is_object(fields)) {
		json_decref(all);
		return vg_error_set(err, VG_EINVAL, "fields must be an object of text");
	}
	json_object_foreach((json_t *)fields, key, v)
	{
		int rc;

		if (!json_is_string(v) || strlen(key) > 64) {
			json_decref(all);
			return vg_error_set(err, VG_EINVAL, "fields.%.64s must be text", key);
		}
		rc = vg_text_check(key, json_string_value(v), TEXT_MAX, false, err);
		if (rc) {
			json_decref(all);
			return rc;
		}
		json_object_set(all, key, v);
	}
	if (json_object_size(all) > FIELDS_MAX) {
		json_decref(all);
		return vg_error_set(err, VG_EINVAL, "a ticket holds at most %d fields", FIELDS_MAX);
	}
	*out = json_dumps(all, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(all);
	return *out ? VG_OK : vg_error_set(err, VG_ENOMEM, "out of memory");
}

static int log_activity(vg_tx *tx, const vg_ctx *ctx, int64_t id, const char *action,
			const char *from, const char *to, const char *text, bool public,
			int64_t now, vg_error *err)
{
	return vg_tx_exec(tx,
			  "INSERT INTO ticket_activity (ticket_id, at, username, action, from_state, "
			  "to_state, text, public, staff) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
			  VG_PARAMS(VG_P_INT(id), VG_P_INT(now), VG_P_TEXT(ctx->username),
				    VG_P_TEXT(action), VG_P_TEXT_OR_NULL(from), VG_P_TEXT_OR_NULL(to),
				    VG_P_TEXT(text ? text : ""), VG_P_INT(public ? 1 : 0),
				    VG_P_INT(ctx->role == VG_ROLE_ADMIN || ctx->role == VG_ROLE_MANAGER ||
					     ctx->role == VG_ROLE_ANALYST)),
			  NULL, err);
}

static const vg_workflow *workflow_of(const char *type, vg_error *err)
{
	const vg_workflows *w = vg_workflows_builtin(err);
	const vg_workflow *wf = w ? vg_workflow_of(w, type ? type : "") : NULL;

	if (w && !wf)
		vg_error_set(err, VG_EINVAL, "type must be request, incident, problem or change");
	return wf;
}

/* A phone ticket is a call logged: who called, from which number, when
 * (the SLA clocks start then). */
static int check_call(const vg_ticket_fields *in, const char *channel, vg_error *err)
{
	size_t n = in->caller_number ? strlen(in->caller_number) : 0, digits = 0;
	int rc;

	if (strcmp(channel, "phone") != 0)
		return in->caller || in->caller_number
			       ? vg_error_set(err, VG_EINVAL,
					      "caller and caller_number are for phone tickets")
			       : VG_OK;
	rc = vg_text_check("caller", in->caller, CALLER_MAX, true, err);
	if (rc)
		return rc;
	for (size_t i = 0; i < n; i++)
		digits += in->caller_number[i] >= '0' && in->caller_number[i] <= '9';
	if (n > NUMBER_MAX || digits < 3 || strspn(in->caller_number, "0123456789+-() ") != n)
		return vg_error_set(
			err, VG_EINVAL,
			"caller_number must be a telephone number: digits, spaces, +, -, "
			"( and )");
	if (!in->received_at)
		return vg_error_set(err, VG_EINVAL,
				    "a phone ticket needs received_at, when the call came in");
	return VG_OK;
}

/* in's fields with the caller's, for a phone ticket (NULL: in's as they
 * are). */
static json_t *fields_with_call(const vg_ticket_fields *in)
{
	json_t *all;

	if (!in->caller || (in->fields && !json_is_object(in->fields)))
		return NULL;
	all = in->fields ? json_copy((json_t *)in->fields) : json_object();
	if (all) {
		json_object_set_new(all, "caller", json_string(in->caller));
		json_object_set_new(all, "caller_number", json_string(in->caller_number));
	}
	return all;
}

int vg_ticket_create(vg_tx *tx, const vg_ctx *ctx, const vg_ticket_fields *in, int64_t *id,
		     int64_t *tenant_id, vg_error *err)
{
	const vg_workflow *wf = workflow_of(in->type, err);
	const char *priority = NULL, *channel = in->channel ? in->channel : "portal";
	int64_t now = vg_time_now_ms(), tenant = in->tenant_id;
	char *fields = NULL;
	json_t *with_call;
	vg_tenant t;
	size_t i;
	int rc;

	*id = 0;
	*tenant_id = 0;
	if (!wf)
		return err ? err->code : VG_EINVAL;
	if (is_customer(ctx)) {
		/* A customer opens its own tenant's, from the portal. */
		tenant = tenant ? tenant : ctx->tenant_id;
		if (strcmp(in->type, "problem") == 0)
			return vg_error_set(err, VG_EPERM, "customers do not open problems");
		/* A customer's mail, read from a mailbox, opens one too: its
		 * channel is email and its clocks start when the mail arrived. */
		bool by_mail = strcmp(ctx->source, VG_CTX_SOURCE_MAIL) == 0;

		if (strcmp(channel, by_mail ? "email" : "portal") != 0)
			return vg_error_set(err, VG_EPERM, "customers open tickets from the portal");
		/* The SLA clocks start at received_at: it is the MSSP's to record. */
		if (in->received_at && !by_mail)
			return vg_error_set(err, VG_EPERM, "received_at is set by the MSSP's staff");
	}
	rc = vg_text_check("title", in->title, TITLE_MAX, true, err);
	if (!rc)
		rc = vg_text_check("description", in->description, TEXT_MAX, false, err);
	if (rc)
		return rc;
	for (i = 0; i < sizeof(channels) / sizeof(channels[0]) && strcmp(channels[i], channel); i++)
		;
	if (i == sizeof(channels) / sizeof(channels[0]))
		return vg_error_set(err, VG_EINVAL, "channel must be portal, email, phone, im or alert");
	if (in->received_at && (in->received_at > now + 60000 || in->received_at < now -
								       30LL * 86400000))
		return vg_error_set(err, VG_EINVAL,
				    "received_at must be within the last 30 days, not later than now");
	rc = check_call(in, channel, err);
	if (rc)
		return rc;
	rc = vg_priority(vg_workflows_builtin(NULL), in->impact ? in->impact : "medium",
			 in->urgency ? in->urgency : "medium", &priority, err);
	if (rc)
		return rc;
	if (!tenant)
		return vg_error_set(err, VG_EINVAL, "missing field \"tenant_id\"");
	rc = vg_tenant_get(tx, ctx, tenant, &t, err);
	if (rc)
		return rc;
	vg_tenant_release(&t);
	*tenant_id = tenant;
	with_call = fields_with_call(in);
	rc = merge_fields(NULL, with_call ? with_call : in->fields, &fields, err);
	json_decref(with_call);
	if (!rc)
		rc = vg_tx_query_int(
			tx,
			"INSERT INTO tickets (tenant_id, type, title, description, state, impact, "
			"urgency, priority, channel, received_at, fields, security_incident_id, "
			"created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
			"?, ?, ?) RETURNING id",
			VG_PARAMS(VG_P_INT(tenant), VG_P_TEXT(in->type), VG_P_TEXT(in->title),
				  VG_P_TEXT(in->description ? in->description : ""),
				  VG_P_TEXT(vg_workflow_initial(wf)),
				  VG_P_TEXT(in->impact ? in->impact : "medium"),
				  VG_P_TEXT(in->urgency ? in->urgency : "medium"), VG_P_TEXT(priority),
				  VG_P_TEXT(channel), VG_P_INT(in->received_at ? in->received_at : now),
				  VG_P_TEXT(fields), VG_P_ID_OR_NULL(in->security_incident_id),
				  VG_P_TEXT(ctx->username), VG_P_INT(now), VG_P_INT(now)),
			id, err);
	free(fields);
	if (!rc)
		rc = log_activity(tx, ctx, *id, "create", NULL, vg_workflow_initial(wf), NULL, true,
				  now, err);
	if (!rc)
		rc = vg_tx_exec(tx,
				"INSERT INTO ticket_events (tenant_id, ticket_id, kind, at) VALUES (?, ?, "
				"'created', ?)",
				VG_PARAMS(VG_P_INT(tenant), VG_P_INT(*id), VG_P_INT(now)), NULL, err);
	return rc;
}

/* The ticket's tenant, type, state and fields, in ctx's view. */
typedef struct ticket_row {
	int64_t tenant_id, assignee_id, group_id;
	char type[16], state[64], impact[16], urgency[16], priority[8];
	char *fields;
} ticket_row;

static int load(vg_tx *tx, const vg_ctx *ctx, int64_t id, ticket_row *t, vg_error *err)
{
	vg_rows *r;
	int rc = vg_tx_query(
		tx,
		"SELECT tenant_id, type, state, fields, COALESCE(assignee_id, 0), impact, "
		"urgency, priority, COALESCE(assignee_group_id, 0) FROM tickets WHERE id = ? "
		"AND (? = 0 OR tenant_id = ?)",
		VG_PARAMS(VG_P_INT(id), VG_P_INT(ctx->tenant_id), VG_P_INT(ctx->tenant_id)), &r,
		err);

	memset(t, 0, sizeof(*t));
	if (rc)
		return rc;
	rc = vg_rows_next(r, err);
	if (rc == 1) {
		t->tenant_id = vg_rows_int(r, 0);
		snprintf(t->type, sizeof(t->type), "%s", vg_rows_text(r, 1));
		snprintf(t->state, sizeof(t->state), "%s", vg_rows_text(r, 2));
		t->fields = strdup(vg_rows_text(r, 3));
		t->assignee_id = vg_rows_int(r, 4);
		snprintf(t->impact, sizeof(t->impact), "%s", vg_rows_text(r, 5));
		snprintf(t->urgency, sizeof(t->urgency), "%s", vg_rows_text(r, 6));
		snprintf(t->priority, sizeof(t->priority), "%s", vg_rows_text(r, 7));
		t->group_id = vg_rows_int(r, 8);
		rc = t->fields ? VG_OK : vg_error_set(err, VG_ENOMEM, "out of memory");
	} else if (rc == 0) {
		rc = vg_error_set(err, VG_ENOTFOUND, "no such ticket");
	}
	vg_rows_free(r);
	return rc;
}

/* A required field is set when the merged fields hold it as non-empty
 * text, or it is the assignee and one is set. */
static int check_required(const vg_step *s, const char *fields, int64_t assignee,
			  const char *action, vg_error *err)
{
	json_t *all = json_loads(fields, 0, NULL);
	size_t i;
	int rc = VG_OK;

	for (i = 0; i < s->nrequires && rc == VG_OK; i++) {
		const char *need = s->requires[i];
		const char *v = json_string_value(json_object_get(all, need));

		if (strcmp(need, "assignee") == 0 ? !assignee : !v || !*v)
			rc = vg_error_set(err, VG_EINVAL, "%s needs %s", action, need);
	}
	json_decref(all);
	return rc;
}

/* Records ctx's approval of a change; *enough when count reaches need. */
static int approve(vg_tx *tx, const vg_ctx *ctx, int64_t id, int need, bool *enough,
		   int64_t now, vg_error *err)
{
	int64_t count;
	int rc;

	if (!ctx->user_id)
		return vg_error_set(err, VG_EPERM, "an approval is a user's");
	rc = vg_tx_exec(tx, "INSERT INTO ticket_approvals (ticket_id, user_id, at) VALUES (?, ?, ?)",
			VG_PARAMS(VG_P_INT(id), VG_P_INT(ctx->user_id), VG_P_INT(now)), NULL, err);
	if (rc == VG_EEXIST)
		return vg_error_set(err, VG_ECONFLICT, "%s has approved this change already",
				    ctx->username);
	if (!rc)
		rc = vg_tx_query_int(tx, "SELECT COUNT(*) FROM ticket_approvals WHERE ticket_id = ?",
				     VG_PARAMS(VG_P_INT(id)), &count, err);
	*enough = !rc && count >= need;
	return rc;
}

/* With a group set, now or before, the person assigned is one of its
 * members (who: the new one's name); a new group the current assignee is
 * not a member of clears the assignee (*clear). */
static int check_group(vg_tx *tx, const ticket_row *t, const vg_ticket_step_in *in, const char *who,
		       bool *clear, vg_error *err)
{
	int64_t group = in->group_id ? in->group_id : t->group_id;
	int64_t person = in->assignee_id ? in->assignee_id : t->assignee_id;
	char name[VG_GROUP_NAME_MAX + 1];
	bool member = false;
	int rc;

	*clear = false;
	if ((!in->group_id && !in->assignee_id) || !group)
		return VG_OK;
	rc = vg_group_name(tx, group, name, sizeof(name), err);
	if (!rc && person)
		rc = vg_group_has_member(tx, group, person, &member, err);
	if (rc || !person || member)
		return rc;
	if (in->assignee_id)
		return vg_error_set(err, VG_EINVAL, "%s is not a member of group %s", who, name);
	*clear = true;
	return VG_OK;
}

int vg_ticket_step(vg_tx *tx, const vg_ctx *ctx, int64_t id, const char *action,
		   const json_t *fields, int64_t assignee_id, const char *comment,
		   int64_t *tenant_id, vg_error *err)
{
	vg_ticket_step_in in = {
		.action = action, .fields = fields, .assignee_id = assignee_id, .comment = comment
	};

	return vg_ticket_take_step(tx, ctx, id, &in, tenant_id, err);
}

int vg_ticket_take_step(vg_tx *tx, const vg_ctx *ctx, int64_t id, const vg_ticket_step_in *in,
			int64_t *tenant_id, vg_error *err)
{
	int64_t now = vg_time_now_ms();
	const char *action = in->action ? in->action : "";
	const vg_workflow *wf;
	char *merged = NULL, who[256] = "";
	ticket_row t;
	vg_step s;
	bool moves = true, clear = false;
	int rc = load(tx, ctx, id, &t, err);

	*tenant_id = t.tenant_id;
	if (rc)
		return rc;
	wf = workflow_of(t.type, err);
	rc = wf ? merge_fields(t.fields, in->fields, &merged, err) : err->code;
	if (!rc)
		rc = vg_text_check("comment", in->comment, TEXT_MAX, false, err);
	if (!rc && in->assignee_id)
		rc = vg_staff_name(tx, in->assignee_id, who, sizeof(who), err);
	if (!rc)
		rc = check_group(tx, &t, in, who, &clear, err);
	if (!rc) {
		json_t *all = json_loads(merged, 0, NULL);

		rc = vg_workflow_step(wf, t.state, action, ctx->role,
				      json_string_value(json_object_get(all, "change_kind")), &s,
				      err);
		json_decref(all);
	}
	/* An assignee is a person, a group, or both. */
	if (!rc)
		rc = check_required(&s, merged,
				    in->assignee_id || in->group_id || t.assignee_id || t.group_id,
				    action, err);
	if (!rc && s.approvals)
		rc = approve(tx, ctx, id, s.approvals, &moves, now, err);
	if (!rc)
		rc = vg_tx_exec(
			tx,
			"UPDATE tickets SET state = ?, fields = ?, assignee_id = CASE WHEN ? "
			"THEN NULL ELSE COALESCE(?, assignee_id) END, assignee_group_id = "
			"COALESCE(?, assignee_group_id), updated_at = ?, resolved_at = CASE WHEN "
			"? = 'resolved' THEN ? WHEN ? = 'in_progress' THEN NULL ELSE resolved_at "
			"END, closed_at = CASE WHEN ? = 'closed' THEN ? ELSE NULL END WHERE id = ?",
			VG_PARAMS(VG_P_TEXT(moves ? s.to : t.state), VG_P_TEXT(merged),
				  VG_P_INT(clear), VG_P_ID_OR_NULL(in->assignee_id),
				  VG_P_ID_OR_NULL(in->group_id), VG_P_INT(now),
				  VG_P_TEXT(moves ? s.to : t.state), VG_P_INT(now),
				  VG_P_TEXT(moves ? s.to : t.state),
				  VG_P_TEXT(moves ? s.to : t.state), VG_P_INT(now), VG_P_INT(id)),
			NULL, err);
	if (!rc)
		rc = log_activity(tx, ctx, id, moves ? action : "approve", t.state,
				  moves ? s.to : t.state, in->comment, true, now, err);
	free(merged);
	free(t.fields);
	return rc;
}

int vg_ticket_update(vg_tx *tx, const vg_ctx *ctx, int64_t id, const char *title,
		     const char *description, const char *impact, const char *urgency,
		     int64_t *tenant_id, vg_error *err)
{
	const char *priority = NULL;
	char note[64];
	ticket_row t;
	int rc = load(tx, ctx, id, &t, err);

	*tenant_id = t.tenant_id;
	free(t.fields);
	if (rc)
		return rc;
	if (is_customer(ctx) || ctx->role == VG_ROLE_AUDITOR)
		return vg_error_set(err, VG_EPERM, "tickets are changed by the MSSP's staff");
	rc = vg_text_check("title", title, TITLE_MAX, false, err);
	if (!rc && title && !*title)
		rc = vg_error_set(err, VG_EINVAL, "title must not be empty");
	if (!rc)
		rc = vg_text_check("description", description, TEXT_MAX, false, err);
	if (!rc)
		rc = vg_priority(vg_workflows_builtin(NULL), impact ? impact : t.impact,
				 urgency ? urgency : t.urgency, &priority, err);
	if (!rc)
		rc = vg_tx_exec(tx,
				"UPDATE tickets SET title = COALESCE(?, title), description = "
				"COALESCE(?, description), impact = ?, urgency = ?, priority = ?, "
				"updated_at = ? WHERE id = ?",
				VG_PARAMS(VG_P_TEXT_OR_NULL(title), VG_P_TEXT_OR_NULL(description),
					  VG_P_TEXT(impact ? impact : t.impact),
					  VG_P_TEXT(urgency ? urgency : t.urgency), VG_P_TEXT(priority),
					  VG_P_INT(vg_time_now_ms()), VG_P_INT(id)),
				NULL, err);
	snprintf(note, sizeof(note), "%s -> %s", t.priority, priority ? priority : "?");
	return rc ? rc
		  : log_activity(tx, ctx, id, "update", NULL, NULL, note, true, vg_time_now_ms(),
				 err);
}

int vg_ticket_link(vg_tx *tx, const vg_ctx *ctx, int64_t id, const char *kind, int64_t target,
		   int64_t *tenant_id, vg_error *err)
{
	static const char *const tables[][2] = {
		{ "ticket", "SELECT tenant_id FROM tickets WHERE id = ?" },
		{ "alert", "SELECT tenant_id FROM alerts WHERE id = ?" },
		{ "asset", "SELECT tenant_id FROM assets WHERE id = ?" },
	};
	int64_t owner, a = id, b = target;
	ticket_row t;
	size_t i;
	int rc = load(tx, ctx, id, &t, err);

	*tenant_id = t.tenant_id;
	if (rc)
		return rc;
	free(t.fields);
	for (i = 0; i < 3 && strcmp(tables[i][0], kind ? kind : ""); i++)
		;
	if (i == 3)
		return vg_error_set(err, VG_EINVAL, "link a ticket_id, an alert_id or an asset_id");
	if (i == 0 && target == id)
		return vg_error_set(err, VG_EINVAL, "a ticket is not linked to itself");
	rc = vg_tx_query_int(tx, tables[i][1], VG_PARAMS(VG_P_INT(target)), &owner, err);
	if (rc == VG_ENOTFOUND || (rc == VG_OK && owner != t.tenant_id))
		return vg_error_set(err, VG_ENOTFOUND, "no such %s", kind);
	if (rc)
		return rc;
	/* Two tickets are one row, the lower id first. */
	if (i == 0 && b < a) {
		a = target;
		b = id;
	}
	rc = vg_tx_exec(tx,
			"INSERT INTO ticket_links (ticket_id, kind, target_id, created_by, created_at) "
			"VALUES (?, ?, ?, ?, ?)",
			VG_PARAMS(VG_P_INT(a), VG_P_TEXT(kind), VG_P_INT(b), VG_P_TEXT(ctx->username),
				  VG_P_INT(vg_time_now_ms())),
			NULL, err);
	if (rc == VG_EEXIST)
		return vg_error_set(err, VG_EEXIST, "linked already");
	return rc ? rc
		  : log_activity(tx, ctx, id, "link", NULL, NULL, kind, true, vg_time_now_ms(), err);
}

int vg_ticket_comment(vg_tx *tx, const vg_ctx *ctx, int64_t id, const char *text, bool public,
		      int64_t *tenant_id, vg_error *err)
{
	ticket_row t;
	int rc = load(tx, ctx, id, &t, err);

	*tenant_id = t.tenant_id;
	if (rc)
		return rc;
	free(t.fields);
	if (!public && is_customer(ctx))
		return vg_error_set(err, VG_EPERM, "internal comments are the MSSP's");
	rc = vg_text_check("text", text, TEXT_MAX, true, err);
	if (!rc)
		rc = vg_tx_exec(tx, "UPDATE tickets SET updated_at = ? WHERE id = ?",
				VG_PARAMS(VG_P_INT(vg_time_now_ms()), VG_P_INT(id)), NULL, err);
	return rc ? rc
		  : log_activity(tx, ctx, id, "comment", NULL, NULL, text, public,
				 vg_time_now_ms(), err);
}

/* ---- reading ---- */

#define TICKET_COLUMNS                                                                             \
	"id, tenant_id, type, title, description, state, impact, urgency, priority, "              \
	"channel, received_at, assignee_id, fields, security_incident_id, created_by, "            \
	"created_at, updated_at, resolved_at, closed_at, assignee_group_id, "                      \
	"(SELECT name FROM groups WHERE groups.id = tickets.assignee_group_id)"

/* Each record type's reference prefix. */
static const char *const ref_prefixes[][2] = {
	{ "request", "REQ" }, { "incident", "INC" }, { "problem", "PRB" }, { "change", "CHG" }
};

void vg_ticket_ref(const char *type, int64_t id, char out[32])
{
	const char *prefix = "TKT";
	size_t i;

	for (i = 0; i < sizeof(ref_prefixes) / sizeof(ref_prefixes[0]); i++)
		if (type && strcmp(type, ref_prefixes[i][0]) == 0)
			prefix = ref_prefixes[i][1];
	snprintf(out, 32, "%s-%lld", prefix, (long long)id);
}

size_t vg_ticket_ref_read(const char *s, const char **type, int64_t *id)
{
	for (size_t i = 0; i < sizeof(ref_prefixes) / sizeof(ref_prefixes[0]); i++) {
		const char *d = s + 4;
		int64_t n = 0;

		if (strncmp(s, ref_prefixes[i][1], 3) != 0 || s[3] != '-')
			continue;
		for (; *d >= '0' && *d <= '9' && n < INT64_MAX / 10; d++)
			n = n * 10 + (*d - '0');
		if (d == s + 4)
			return 0;
		*type = ref_prefixes[i][0];
		*id = n;
		return (size_t)(d - s);
	}
	return 0;
}

static json_t *row_to_json(vg_rows *r, void *unused)
{
	const char *type = vg_rows_text(r, 2);
	json_t *fields = json_loads(vg_rows_text(r, 12), 0, NULL), *o;
	char ref[32];

	(void)unused;
	vg_ticket_ref(type, vg_rows_int(r, 0), ref);
	o = json_pack("{s:I, s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id",
		      (json_int_t)vg_rows_int(r, 0), "ref", ref, "tenant_id",
		      (json_int_t)vg_rows_int(r, 1), "type", type, "title", vg_rows_text(r, 3),
		      "description", vg_rows_text(r, 4), "state", vg_rows_text(r, 5), "impact",
		      vg_rows_text(r, 6), "urgency", vg_rows_text(r, 7), "priority",
		      vg_rows_text(r, 8), "channel", vg_rows_text(r, 9));
	if (!o) {
		json_decref(fields);
		return NULL;
	}
	json_object_set_new(o, "received_at", vg_rows_json_time(r, 10));
	json_object_set_new(o, "assignee_id", vg_rows_is_null(r, 11)
						      ? json_null()
						      : json_integer(vg_rows_int(r, 11)));
	json_object_set_new(o, "fields", fields ? fields : json_object());
	json_object_set_new(o, "security_incident_id",
			    vg_rows_is_null(r, 13) ? json_null() : json_integer(vg_rows_int(r, 13)));
	json_object_set_new(o, "created_by", vg_rows_json_text(r, 14));
	json_object_set_new(o, "created_at", vg_rows_json_time(r, 15));
	json_object_set_new(o, "updated_at", vg_rows_json_time(r, 16));
	json_object_set_new(o, "resolved_at", vg_rows_json_time(r, 17));
	json_object_set_new(o, "closed_at", vg_rows_json_time(r, 18));
	json_object_set_new(o, "group",
			    vg_rows_is_null(r, 19)
				    ? json_null()
				    : json_pack("{s:I, s:s?}", "id", (json_int_t)vg_rows_int(r, 19),
						"name", vg_rows_text(r, 20)));
	return o;
}

static json_t *activity_json(vg_rows *r, void *unused)
{
	(void)unused;
	return json_pack("{s:o, s:s, s:s, s:o, s:o, s:s, s:b, s:b}", "at",
			 vg_rows_json_time(r, 1), "user", vg_rows_text(r, 2), "action",
			 vg_rows_text(r, 3), "from", vg_rows_json_text(r, 4), "to",
			 vg_rows_json_text(r, 5), "text", vg_rows_text(r, 6), "public",
			 (int)vg_rows_int(r, 7), "staff", (int)vg_rows_int(r, 8));
}

/* Adds {"links": {"tickets": [...], "alerts": [...], "assets": [...]}}. */
static int with_links(vg_tx *tx, int64_t id, json_t *ticket, vg_error *err)
{
	json_t *links = json_pack("{s:[], s:[], s:[]}", "tickets", "alerts", "assets");
	vg_rows *r;
	int rc = vg_tx_query(tx,
			     "SELECT kind, CASE WHEN ticket_id = ? THEN target_id ELSE ticket_id END "
			     "FROM ticket_links WHERE ticket_id = ? OR (kind = 'ticket' AND "
			     "target_id = ?) ORDER BY kind, 2",
			     VG_PARAMS(VG_P_INT(id), VG_P_INT(id), VG_P_INT(id)), &r, err);

	if (rc) {
		json_decref(links);
		return rc;
	}
	while ((rc = vg_rows_next(r, err)) == 1) {
		const char *kind = vg_rows_text(r, 0);

		json_array_append_new(json_object_get(links, strcmp(kind, "ticket") == 0  ? "tickets"
							     : strcmp(kind, "alert") == 0 ? "alerts"
											  : "assets"),
				      json_integer(vg_rows_int(r, 1)));
	}
	vg_rows_free(r);
	if (rc < 0) {
		json_decref(links);
		return rc;
	}
	json_object_set_new(ticket, "links", links);
	return VG_OK;
}

/* Adds the ticket's "sla", on its tenant's policy: the one it is put on,
 * else its edition's. */
static int with_sla(vg_tx *tx, json_t *ticket, vg_error *err)
{
	vg_rows *r;
	json_t *sla = NULL;
	int rc = vg_tx_query(
		tx, "SELECT COALESCE(sla_policy, edition) FROM tenants WHERE id = ?",
		VG_PARAMS(VG_P_INT(json_integer_value(json_object_get(ticket, "tenant_id")))), &r,
		err);

	if (rc)
		return rc;
	rc = vg_rows_next(r, err);
	if (rc >= 0)
		rc = vg_ticket_sla(rc == 1 ? vg_rows_text(r, 0) : NULL, ticket, vg_time_now_ms(), &sla,
				   err);
	vg_rows_free(r);
	if (rc)
		return rc;
	json_object_set_new(ticket, "sla", sla);
	return VG_OK;
}

/* Adds the ticket's "watchers" and "sla_events". */
static int with_watchers_and_events(vg_tx *tx, const vg_ctx *ctx, int64_t id, json_t *ticket,
				    vg_error *err)
{
	json_t *watchers = NULL, *events = NULL;
	int rc = vg__ticket_watchers_json(tx, id, &watchers, err);

	if (!rc)
		rc = vg__ticket_sla_events_json(tx, id, is_customer(ctx), &events, err);
	if (rc) {
		json_decref(watchers);
		return rc;
	}
	json_object_set_new(ticket, "watchers", watchers);
	json_object_set_new(ticket, "sla_events", events);
	return VG_OK;
}

int vg_ticket_get(vg_tx *tx, const vg_ctx *ctx, int64_t id, json_t **out, vg_error *err)
{
	json_t *activity, *attachments;
	int64_t last;
	int rc = vg_tx_query_object(tx,
				    "SELECT " TICKET_COLUMNS " FROM tickets WHERE id = ? AND "
				    "(? = 0 OR tenant_id = ?)",
				    VG_PARAMS(VG_P_INT(id), VG_P_INT(ctx->tenant_id),
					      VG_P_INT(ctx->tenant_id)),
				    row_to_json, NULL, "ticket", out, err);

	if (rc)
		return rc;
	rc = vg_tx_query_list(tx,
			      "SELECT id, at, username, action, from_state, to_state, text, public, "
			      "staff FROM ticket_activity WHERE ticket_id = ? AND (public = 1 OR ?) "
			      "ORDER BY id",
			      VG_PARAMS(VG_P_INT(id), VG_P_INT(!is_customer(ctx))), activity_json,
			      NULL, &activity, &last, err);
	if (rc) {
		json_decref(*out);
		*out = NULL;
		return rc;
	}
	json_object_set_new(*out, "activity", activity);
	rc = vg_ticket_attachments_list(tx, ctx, id, &attachments, err);
	if (rc) {
		json_decref(*out);
		*out = NULL;
		return rc;
	}
	json_object_set_new(*out, "attachments", attachments);
	rc = with_links(tx, id, *out, err);
	if (!rc)
		rc = with_sla(tx, *out, err);
	return rc ? rc : with_watchers_and_events(tx, ctx, id, *out, err);
}

/* VG_OK when value is one of names (n of them); VG_EINVAL "what must be
 * A, B or C" otherwise. */
static int check_one_of(const char *value, const char *const *names, size_t n, const char *what,
			vg_error *err)
{
	vg_buf list = VG_BUF_INIT(256);
	size_t i;
	int rc;

	for (i = 0; i < n; i++)
		if (strcmp(value, names[i]) == 0)
			return VG_OK;
	for (i = 0; i < n; i++)
		vg_buf_printf(&list, "%s%s", i == 0 ? "" : i + 1 == n ? " or " : ", ", names[i]);
	rc = vg_error_set(err, VG_EINVAL, "%s must be %s", what, vg_buf_cstr(&list));
	vg_buf_release(&list);
	return rc;
}

static int check_filter(const vg_ticket_filter *f, vg_error *err)
{
	static const char *const types[] = { "request", "incident", "problem", "change" };
	static const char *const priorities[] = { "P1", "P2", "P3", "P4" };
	const vg_workflows *w;
	enum vg_clock clock;
	size_t i;
	int rc = VG_OK;

	if (f->type)
		rc = check_one_of(f->type, types, 4, "type", err);
	if (!rc && f->priority)
		rc = check_one_of(f->priority, priorities, 4, "priority", err);
	if (!rc && f->channel)
		rc = check_one_of(f->channel, channels, sizeof(channels) / sizeof(channels[0]),
				  "channel", err);
	if (!rc && f->q && (!*f->q || strlen(f->q) > TITLE_MAX))
		rc = vg_error_set(err, VG_EINVAL, "q must be 1 to %d bytes of a title", TITLE_MAX);
	if (rc || !f->state)
		return rc;
	w = vg_workflows_builtin(err);
	if (!w)
		return err->code;
	for (i = 0; i < 4; i++)
		if ((!f->type || strcmp(f->type, types[i]) == 0) &&
		    vg_workflow_clock(vg_workflow_of(w, types[i]), f->state, &clock, NULL) == VG_OK)
			return VG_OK;
	return f->type ? vg_error_set(err, VG_EINVAL, "state \"%s\" is not a state of %s %s",
				      f->state, f->type[0] == 'i' ? "an" : "a", f->type)
		       : vg_error_set(err, VG_EINVAL, "state \"%s\" is not a state of any workflow",
				      f->state);
}

/* Ids of items, the tickets' (key "id") or their tenants' (key
 * "tenant_id"), as a JSON array text for json_each (to free). */
static char *ids_text(const json_t *items, const char *key)
{
	json_t *ids = json_array(), *it;
	char *text = NULL;
	size_t i;
	bool ok = ids != NULL;

	json_array_foreach(items, i, it)
		ok = ok && !json_array_append_new(
				   ids, json_integer(json_integer_value(json_object_get(it, key))));
	if (ok)
		text = json_dumps(ids, JSON_COMPACT);
	json_decref(ids);
	return text;
}

/* The compact "sla" of a list row from the ticket's full one: each clock's
 * status and the earliest due_at of a clock not yet done (null: none). */
static json_t *sla_summary(const json_t *sla)
{
	static const char *const clocks[] = { "response", "resolution" };
	const char *next = NULL;
	json_t *o;
	size_t i;

	if (!json_is_object(sla))
		return json_null();
	for (i = 0; i < 2; i++) {
		const json_t *c = json_object_get(sla, clocks[i]);
		const char *due = json_string_value(json_object_get(c, "due_at"));

		/* ISO 8601 UTC of one width: text order is time order. */
		if (due && json_is_null(json_object_get(c, "done_at")) &&
		    (!next || strcmp(due, next) < 0))
			next = due;
	}
	o = json_pack("{s:O, s:O, s:s?}", "response",
		      json_object_get(json_object_get(sla, "response"), "status"), "resolution",
		      json_object_get(json_object_get(sla, "resolution"), "status"), "next_due_at",
		      next);
	return o;
}

/*
 * Adds each listed ticket's compact "sla": two queries a page, whatever
 * its size (the tenants' policies, and the activity the clocks read, only
 * the state changes and public staff entries, as ctx sees it), then the
 * clocks as vg_ticket_get computes them.
 */
static int with_sla_summaries(vg_tx *tx, const vg_ctx *ctx, json_t *items, vg_error *err)
{
	json_t *policies = json_object(), *activity = json_object(), *it;
	char *tenants = ids_text(items, "tenant_id"), *tickets = ids_text(items, "id");
	int64_t now = vg_time_now_ms();
	char key[24];
	vg_rows *r = NULL;
	size_t i;
	int rc = VG_OK, more;

	if (!policies || !activity || !tenants || !tickets)
		rc = vg_error_set(err, VG_ENOMEM, "out of memory listing tickets");
	if (!rc)
		rc = vg_tx_query(tx,
				 "SELECT id, COALESCE(sla_policy, edition) FROM tenants WHERE id IN "
				 "(SELECT value FROM json_each(?))",
				 VG_PARAMS(VG_P_TEXT(tenants)), &r, err);
	while (!rc && (more = vg_rows_next(r, err)) != 0) {
		if (more < 0) {
			rc = more;
			break;
		}
		snprintf(key, sizeof(key), "%lld", (long long)vg_rows_int(r, 0));
		json_object_set_new(policies, key, vg_rows_json_text(r, 1));
	}
	vg_rows_free(r);
	r = NULL;
	if (!rc)
		rc = vg_tx_query(tx,
				 "SELECT id, at, username, action, from_state, to_state, text, public, "
				 "staff, ticket_id FROM ticket_activity WHERE ticket_id IN (SELECT value "
				 "FROM json_each(?)) AND (to_state IS NOT NULL OR (staff = 1 AND public = "
				 "1)) AND (public = 1 OR ?) ORDER BY ticket_id, id",
				 VG_PARAMS(VG_P_TEXT(tickets), VG_P_INT(!is_customer(ctx))), &r, err);
	while (!rc && (more = vg_rows_next(r, err)) != 0) {
		json_t *list, *entry;

		if (more < 0) {
			rc = more;
			break;
		}
		snprintf(key, sizeof(key), "%lld", (long long)vg_rows_int(r, 9));
		list = json_object_get(activity, key);
		if (!list && json_object_set_new(activity, key, list = json_array()))
			list = NULL;
		entry = activity_json(r, NULL);
		if (!list || json_array_append_new(list, entry))
			rc = vg_error_set(err, VG_ENOMEM, "out of memory listing tickets");
	}
	vg_rows_free(r);
	json_array_foreach(items, i, it)
	{
		json_t *sla = NULL, *acts;

		if (rc)
			break;
		snprintf(key, sizeof(key), "%lld",
			 (long long)json_integer_value(json_object_get(it, "id")));
		acts = json_object_get(activity, key);
		json_object_set_new(it, "activity", acts ? json_incref(acts) : json_array());
		snprintf(key, sizeof(key), "%lld",
			 (long long)json_integer_value(json_object_get(it, "tenant_id")));
		rc = vg_ticket_sla(json_string_value(json_object_get(policies, key)), it, now, &sla,
				   err);
		json_object_del(it, "activity");
		if (!rc && json_object_set_new(it, "sla", sla_summary(sla)))
			rc = vg_error_set(err, VG_ENOMEM, "out of memory listing tickets");
		json_decref(sla);
	}
	json_decref(policies);
	json_decref(activity);
	free(tenants);
	free(tickets);
	return rc;
}

int vg_ticket_list_filtered(vg_tx *tx, const vg_ctx *ctx, const vg_ticket_filter *f,
			    int64_t after_id, int limit, json_t **items, int64_t *last_id,
			    vg_error *err)
{
	int rc;

	*items = NULL;
	*last_id = 0;
	rc = check_filter(f, err);
	if (rc)
		return rc;
	if (f->tenant_id && !vg_ctx_sees_tenant(ctx, f->tenant_id))
		return vg_error_set(err, VG_ENOTFOUND, "no such tenant");
	rc = vg_tx_query_list(
		tx,
		"SELECT " TICKET_COLUMNS " FROM tickets WHERE id > ? AND (? = 0 OR tenant_id = ?) "
		"AND (? = 0 OR tenant_id = ?) AND (? IS NULL OR state = ?) AND (? IS NULL OR type "
		"= ?) AND (? IS NULL OR priority = ?) AND (? IS NULL OR channel = ?) AND (? = 0 OR "
		"assignee_id = ?) AND (? = 0 OR assignee_group_id = ?) AND (? IS NULL OR "
		"instr(lower(title), lower(?)) > 0) ORDER BY id LIMIT ?",
		VG_PARAMS(VG_P_INT(after_id), VG_P_INT(f->tenant_id), VG_P_INT(f->tenant_id),
			  VG_P_INT(ctx->tenant_id), VG_P_INT(ctx->tenant_id),
			  VG_P_TEXT_OR_NULL(f->state), VG_P_TEXT_OR_NULL(f->state),
			  VG_P_TEXT_OR_NULL(f->type), VG_P_TEXT_OR_NULL(f->type),
			  VG_P_TEXT_OR_NULL(f->priority), VG_P_TEXT_OR_NULL(f->priority),
			  VG_P_TEXT_OR_NULL(f->channel), VG_P_TEXT_OR_NULL(f->channel),
			  VG_P_INT(f->assignee_id), VG_P_INT(f->assignee_id), VG_P_INT(f->group_id),
			  VG_P_INT(f->group_id), VG_P_TEXT_OR_NULL(f->q), VG_P_TEXT_OR_NULL(f->q),
			  VG_P_INT(limit)),
		row_to_json, NULL, items, last_id, err);
	if (!rc && json_array_size(*items))
		rc = with_sla_summaries(tx, ctx, *items, err);
	if (rc) {
		json_decref(*items);
		*items = NULL;
		*last_id = 0;
	}
	return rc;
}

int vg_ticket_list(vg_tx *tx, const vg_ctx *ctx, int64_t tenant_id, int64_t after_id, int limit,
		   json_t **items, int64_t *last_id, vg_error *err)
{
	vg_ticket_filter f = { .tenant_id = tenant_id };

	return vg_ticket_list_filtered(tx, ctx, &f, after_id, limit, items, last_id, err);
}

int vg_ticket_for_incident(vg_tx *tx, const vg_ctx *ctx, int64_t incident_id, int64_t *id,
			   vg_error *err)
{
	/* OCSF severity to impact and urgency: critical and fatal are P1, high
	 * P2, medium P3, the rest P4 (the shipped matrix). */
	static const char *const impact[] = { "low", "low", "low", "medium", "high", "high", "high" };
	static const char *const urgency[] = { "medium", "medium", "medium", "medium", "medium",
					       "high", "high" };
	json_t *inc;
	vg_ticket_fields in = { .type = "incident", .channel = "alert" };
	int64_t tenant, sev;
	char title[TITLE_MAX + 1];
	int rc = vg_incident_get(tx, ctx, incident_id, &inc, err);

	*id = 0;
	if (rc)
		return rc;
	sev = json_integer_value(json_object_get(inc, "severity_id"));
	sev = sev < 0 || sev > 6 ? 3 : sev;
	snprintf(title, sizeof(title), "%s", json_string_value(json_object_get(inc, "title")));
	in.tenant_id = json_integer_value(json_object_get(inc, "tenant_id"));
	in.title = title;
	in.description = json_string_value(json_object_get(inc, "category"));
	in.impact = impact[sev];
	in.urgency = urgency[sev];
	in.security_incident_id = incident_id;
	rc = vg_ticket_create(tx, ctx, &in, id, &tenant, err);
	json_decref(inc);
	return rc;
}

int vg_tickets_auto_close(vg_store *store, int64_t now, int limit, size_t *closed,
			  vg_error *err)
{
	const vg_workflows *w = vg_workflows_builtin(err);
	const char *types[16], *states[16];
	vg_ctx system = vg_ctx_system();
	int64_t due[256], tenant;
	vg_tx *tx = NULL;
	size_t n = 0, i, nstates;
	int days[16], rc;

	*closed = 0;
	if (!w)
		return err ? err->code : VG_EFAIL;
	nstates = vg_workflows_auto_close(w, types, states, days, 16);
	if (limit > 256)
		limit = 256;
	rc = vg_tx_begin(store, true, &tx, err);
	for (i = 0; rc == VG_OK && i < nstates && n < (size_t)limit; i++) {
		vg_rows *r = NULL;
		int more = 0;

		rc = vg_tx_query(tx,
				 "SELECT id FROM tickets WHERE type = ? AND state = ? AND updated_at <= ? "
				 "ORDER BY id LIMIT ?",
				 VG_PARAMS(VG_P_TEXT(types[i]), VG_P_TEXT(states[i]),
					   VG_P_INT(now - (int64_t)days[i] * 86400000),
					   VG_P_INT(limit - (int)n)),
				 &r, err);
		while (rc == VG_OK && (more = vg_rows_next(r, err)) == 1)
			due[n++] = vg_rows_int(r, 0);
		if (more < 0)
			rc = more;
		if (r)
			vg_rows_free(r);
	}
	for (i = 0; rc == VG_OK && i < n; i++)
		rc = vg_ticket_step(tx, &system, due[i], "close", NULL, 0, "closed without a reply",
				    &tenant, err);
	if (rc == VG_OK && n)
		rc = vg_tx_commit(tx, err);
	else
		vg_tx_rollback(tx);
	*closed = rc == VG_OK ? n : 0;
	return rc;
}

/* Raises the events a ticket's SLA clocks call for, each with its
 * explanation, and escalates each new one as its policy says. */
static int raise_sla(vg_tx *tx, const json_t *tk, int64_t now, size_t *raised, vg_error *err)
{
	static const char *const clocks[] = { "response", "resolution" };
	const json_t *sla = json_object_get(tk, "sla");
	size_t i;
	int rc = VG_OK;

	for (i = 0; i < 2 && rc == VG_OK; i++) {
		const char *status = json_string_value(
			json_object_get(json_object_get(sla, clocks[i]), "status"));
		vg_sla_mark mark = VG_SLA_BREACH;
		json_t *detail = NULL;
		char *text = NULL;
		int64_t changed = 0;

		if (!status || (strcmp(status, "warning") && strcmp(status, "breached")))
			continue;
		if (strcmp(status, "warning") == 0)
			mark = VG_SLA_WARNING;
		rc = vg__sla_event_detail(tk, clocks[i], mark, &detail, err);
		if (!rc) {
			text = json_dumps(detail, JSON_COMPACT);
			json_decref(detail);
			if (!text)
				rc = vg_error_set(err, VG_ENOMEM,
						  "out of memory raising an SLA event");
		}
		if (!rc)
			rc = vg_tx_exec(
				tx,
				"INSERT INTO ticket_events (tenant_id, ticket_id, kind, clock, at, "
				"detail) "
				"VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
				VG_PARAMS(VG_P_INT(json_integer_value(
						  json_object_get(tk, "tenant_id"))),
					  VG_P_INT(json_integer_value(json_object_get(tk, "id"))),
					  VG_P_TEXT(mark == VG_SLA_BREACH ? "sla_breach"
									  : "sla_warning"),
					  VG_P_TEXT(clocks[i]), VG_P_INT(now), VG_P_TEXT(text)),
				&changed, err);
		free(text);
		*raised += (size_t)changed;
		if (!rc && changed)
			rc = vg__ticket_escalate(tx, tk, mark, clocks[i], now, err);
	}
	return rc;
}

int vg_tickets_sla_scan(vg_store *store, int limit, size_t *raised, vg_error *err)
{
	vg_ctx system = vg_ctx_system();
	int64_t ids[256], now = vg_time_now_ms();
	size_t n = 0, i;
	vg_tx *tx = NULL;
	vg_rows *r = NULL;
	int rc = vg_tx_begin(store, true, &tx, err), more = 0;

	*raised = 0;
	if (limit > 256)
		limit = 256;
	/* Requests and incidents not yet resolved: the ones with running clocks. */
	if (!rc)
		rc = vg_tx_query(tx,
				 "SELECT id FROM tickets WHERE resolved_at IS NULL AND closed_at IS "
				 "NULL AND type IN ('request', 'incident') ORDER BY updated_at LIMIT ?",
				 VG_PARAMS(VG_P_INT(limit)), &r, err);
	while (rc == VG_OK && (more = vg_rows_next(r, err)) == 1)
		ids[n++] = vg_rows_int(r, 0);
	if (r)
		vg_rows_free(r);
	if (more < 0)
		rc = more;
	for (i = 0; rc == VG_OK && i < n; i++) {
		json_t *tk;

		rc = vg_ticket_get(tx, &system, ids[i], &tk, err);
		if (!rc) {
			rc = raise_sla(tx, tk, now, raised, err);
			json_decref(tk);
		}
	}
	if (rc == VG_OK && *raised)
		return vg_tx_commit(tx, err);
	vg_tx_rollback(tx);
	if (rc)
		*raised = 0;
	return rc;
}

int vg_ticket_of_incident(vg_tx *tx, int64_t incident_id, int64_t *id, vg_error *err)
{
	int rc = vg_tx_query_int(tx, "SELECT id FROM tickets WHERE security_incident_id = ?",
				 VG_PARAMS(VG_P_INT(incident_id)), id, err);

	if (rc == VG_ENOTFOUND) {
		*id = 0;
		return VG_OK;
	}
	return rc;
}

/* ---- monthly figures ---- */

/* One clock's figures; taken holds the working seconds of each done
 * clock (done of them, cap allocated), for the percentiles. */
typedef struct clock_sum {
	int64_t with_target, decided, met, done, seconds;
	int64_t *taken;
	size_t cap;
	bool failed; /* out of memory growing taken */
} clock_sum;

/* Appends v to *a (n used of *cap), doubling it when full; false when out
 * of memory. */
static bool grow_push(int64_t **a, size_t n, size_t *cap, int64_t v)
{
	if (n == *cap) {
		size_t c = *cap ? *cap * 2 : 256;
		int64_t *p = realloc(*a, c * sizeof(*p));

		if (!p)
			return false;
		*a = p;
		*cap = c;
	}
	(*a)[n] = v;
	return true;
}

static int cmp_int64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* The nearest-rank percentile pct (1..100) of n sorted values: the
 * smallest value at least pct% of them do not exceed. */
static int64_t nearest_rank(const int64_t *sorted, size_t n, unsigned pct)
{
	size_t rank = (n * pct + 99) / 100;

	return sorted[rank ? rank - 1 : 0];
}

static void count(json_t *by, const char *key)
{
	json_object_set_new(by, key, json_integer(json_integer_value(json_object_get(by, key)) + 1));
}

static void add_clock(clock_sum *s, const json_t *clock, const json_t *ticket, const char *name,
		      json_t *breaches)
{
	const char *status = json_string_value(json_object_get(clock, "status"));

	if (!status)
		return;
	s->with_target++;
	if (strcmp(status, "met") == 0 || strcmp(status, "breached") == 0)
		s->decided++;
	if (strcmp(status, "met") == 0)
		s->met++;
	if (!json_is_null(json_object_get(clock, "done_at"))) {
		int64_t taken = json_integer_value(json_object_get(clock, "elapsed_seconds"));

		if (!grow_push(&s->taken, (size_t)s->done, &s->cap, taken))
			s->failed = true;
		else
			s->done++;
		s->seconds += taken;
	}
	if (strcmp(status, "breached") == 0)
		json_array_append_new(
			breaches,
			json_pack("{s:O, s:O, s:s, s:O, s:O, s:O, s:O, s:O}", "ticket_id",
				  json_object_get(ticket, "id"), "ref", json_object_get(ticket, "ref"),
				  "clock", name, "target", json_object_get(clock, "target"),
				  "target_seconds", json_object_get(clock, "target_seconds"),
				  "elapsed_seconds", json_object_get(clock, "elapsed_seconds"),
				  "due_at", json_object_get(clock, "due_at"), "done_at",
				  json_object_get(clock, "done_at")));
}

/* Sorts s->taken in place. */
static json_t *clock_figures(clock_sum *s)
{
	size_t n = (size_t)s->done;

	if (n)
		qsort(s->taken, n, sizeof(*s->taken), cmp_int64);
	return json_pack("{s:I, s:I, s:I, s:o, s:o, s:o, s:o}", "with_target",
			 (json_int_t)s->with_target, "decided", (json_int_t)s->decided, "met",
			 (json_int_t)s->met, "met_percent",
			 s->decided ? json_real((double)(s->met * 1000 / s->decided) / 10.0)
				    : json_null(),
			 "mean_seconds", n ? json_integer(s->seconds / s->done) : json_null(),
			 "median_seconds",
			 n ? json_integer(nearest_rank(s->taken, n, 50)) : json_null(),
			 "p95_seconds", n ? json_integer(nearest_rank(s->taken, n, 95)) : json_null());
}

static void csv_line(vg_buf *b, const json_t *t)
{
	const json_t *sla = json_object_get(t, "sla");
	const char *keys[] = { "ref", "type", "priority", "channel", "received_at", "state" };
	size_t i;

	for (i = 0; i < 6; i++)
		vg_buf_printf(b, "%s,", json_string_value(json_object_get(t, keys[i])));
	for (i = 0; i < 2; i++) {
		const json_t *c = json_object_get(sla, i ? "resolution" : "response");

		if (c)
			vg_buf_printf(b, "%s,%lld,%s%s", json_string_value(json_object_get(c, "status")),
				      (long long)json_integer_value(json_object_get(c, "elapsed_seconds")),
				      json_string_value(json_object_get(c, "target")), i ? "\r\n" : ",");
		else
			vg_buf_puts(b, i ? ",,\r\n" : ",,,");
	}
}

int vg_tenant_sla_month(vg_tx *tx, const vg_ctx *ctx, int64_t tenant_id, const char *month,
			json_t **out, char **csv, vg_error *err)
{
	json_t *by_type = json_object(), *by_priority = json_object(), *by_channel = json_object();
	json_t *breaches = json_array();
	vg_buf lines = VG_BUF_INIT(64u << 20);
	clock_sum response = { 0 }, resolution = { 0 };
	int64_t from = 0, until = 0, *ids = NULL, im = 0;
	size_t n = 0, cap = 0, i;
	vg_tenant t;
	vg_rows *r = NULL;
	int rc, more = 0;

	*out = NULL;
	if (csv)
		*csv = NULL;
	rc = vg_tenant_get(tx, ctx, tenant_id, &t, err);
	if (rc)
		goto done;
	rc = vg_tz_month_bounds(month, t.timezone, &from, &until, err);
	vg_tenant_release(&t);
	if (!rc)
		rc = vg_tx_query(tx,
				 "SELECT id, channel FROM tickets WHERE tenant_id = ? AND received_at "
				 ">= ? AND received_at < ? ORDER BY id",
				 VG_PARAMS(VG_P_INT(tenant_id), VG_P_INT(from), VG_P_INT(until)), &r,
				 err);
	while (rc == VG_OK && (more = vg_rows_next(r, err)) == 1) {
		if (strcmp(vg_rows_text(r, 1), "im") == 0)
			im++;
		else if (grow_push(&ids, n, &cap, vg_rows_int(r, 0)))
			n++;
		else
			rc = vg_error_set(err, VG_ENOMEM, "out of memory listing %s's tickets", month);
	}
	if (r)
		vg_rows_free(r);
	if (more < 0)
		rc = more;
	if (!rc && csv)
		vg_buf_puts(&lines, "ref,type,priority,channel,received_at,state,response_status,"
				    "response_seconds,response_target,resolution_status,"
				    "resolution_seconds,resolution_target\r\n");
	for (i = 0; rc == VG_OK && i < n; i++) {
		vg_ctx staff = *ctx;
		json_t *tk, *sla;

		staff.role = VG_ROLE_ANALYST; /* the internal history counts too */
		rc = vg_ticket_get(tx, &staff, ids[i], &tk, err);
		if (rc)
			break;
		sla = json_object_get(tk, "sla");
		count(by_type, json_string_value(json_object_get(tk, "type")));
		count(by_priority, json_string_value(json_object_get(tk, "priority")));
		count(by_channel, json_string_value(json_object_get(tk, "channel")));
		add_clock(&response, json_object_get(sla, "response"), tk, "response", breaches);
		add_clock(&resolution, json_object_get(sla, "resolution"), tk, "resolution", breaches);
		if (csv)
			csv_line(&lines, tk);
		json_decref(tk);
	}
	if (!rc && (response.failed || resolution.failed))
		rc = vg_error_set(err, VG_ENOMEM, "out of memory summing %s's SLA clocks", month);
	if (!rc && csv) {
		*csv = vg_buf_detach(&lines);
		if (!*csv)
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
	}
	if (!rc) {
		char a[VG_TIME_ISO_LEN], b[VG_TIME_ISO_LEN];

		vg_time_format_iso(from, a);
		vg_time_format_iso(until, b);
		*out = json_pack("{s:I, s:s, s:s, s:s, s:I, s:I, s:O, s:O, s:O, s:o, s:o, s:O}",
				 "tenant_id", (json_int_t)tenant_id, "month", month, "from", a, "until",
				 b, "tickets", (json_int_t)n, "im_excluded", (json_int_t)im, "by_type",
				 by_type, "by_priority", by_priority, "by_channel", by_channel,
				 "response", clock_figures(&response), "resolution",
				 clock_figures(&resolution), "breaches", breaches);
		if (!*out)
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
	}
done:
	json_decref(by_type);
	json_decref(by_priority);
	json_decref(by_channel);
	json_decref(breaches);
	vg_buf_release(&lines);
	free(ids);
	free(response.taken);
	free(resolution.taken);
	return rc;
}
