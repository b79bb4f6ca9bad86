/* sla.c - tickets against their SLA targets (see sla.h). */
#include "itsm/sla.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "core/time.h"
#include "core/xalloc.h"
#include "core/yaml.h"
#include "itsm/groups.h"
#include "itsm/workflow.h"

extern const char *const vg__content_sla;

#define ORIGIN "content/sla.yaml"
#define MAX_PAUSES 256
#define MAX_RULES 16

typedef struct target {
	char *type, *priority;
	char *response, *resolution; /* as written: "30m" */
	int64_t response_s, resolution_s;
	char *calendar_name;
	vg_calendar *calendar;
} target;

typedef struct policy {
	char *name; /* an edition's, or another a tenant may be put on */
	char *calendar_name;
	vg_calendar *calendar;
	double warn_at;
	target *targets;
	size_t ntargets;
	vg_sla_escalation rules[MAX_RULES];
	size_t nrules;
} policy;

struct vg_sla_policies {
	policy *v;
	size_t n;
};

/* What the readers share: the file's name for messages, and what is read. */
typedef struct reading {
	const char *origin;
	vg_sla_policies *ps;
} reading;

static vg_sla_policies *shipped;
static vg_error shipped_err;
static pthread_once_t shipped_once = PTHREAD_ONCE_INIT;

static int read_duration(const reading *rd, vg_error *err, struct fy_node *v, const char *what,
			 char **text, int64_t *seconds)
{
	if (!v || !fy_node_is_scalar(v) || vg_duration_parse(vg_yaml_cstr(v), seconds) ||
	    *seconds <= 0)
		return vg_yaml_fail(err, rd->origin, v,
				    "%s must be a duration such as 30m, 4h or 2d", what);
	*text = vg_yaml_text_dup(v);
	return VG_OK;
}

static int read_target(const reading *rd, vg_error *err, struct fy_node_pair *p, target *t)
{
	struct fy_node *v = fy_node_pair_value(p);
	struct fy_node_pair *q;
	void *iter = NULL;
	int rc = VG_OK;

	t->priority = vg_yaml_text_dup(fy_node_pair_key(p));
	if (strlen(t->priority) != 2 || t->priority[0] != 'P' || t->priority[1] < '1' ||
	    t->priority[1] > '4')
		return vg_yaml_fail(err, rd->origin, fy_node_pair_key(p),
				    "priorities are P1 to P4");
	if (!v || !fy_node_is_mapping(v))
		return vg_yaml_fail(err, rd->origin, v,
				    "a target is {response, resolution, calendar}");
	while (rc == VG_OK && (q = fy_node_mapping_iterate(v, &iter)) != NULL) {
		struct fy_node *x = fy_node_pair_value(q);

		if (vg_yaml_key_is(q, "response"))
			rc = read_duration(rd, err, x, "response", &t->response, &t->response_s);
		else if (vg_yaml_key_is(q, "resolution"))
			rc = read_duration(rd, err, x, "resolution", &t->resolution,
					   &t->resolution_s);
		else if (vg_yaml_key_is(q, "calendar") && !t->calendar_name)
			t->calendar_name = vg_yaml_text_dup(x);
		else
			rc = vg_yaml_fail(err, rd->origin, fy_node_pair_key(q),
					  "unknown field \"%s\"",
					  vg_yaml_cstr(fy_node_pair_key(q)));
	}
	if (rc == VG_OK && (!t->response || !t->resolution))
		rc = vg_yaml_fail(err, rd->origin, v, "a target needs response and resolution");
	if (rc == VG_OK && t->calendar_name &&
	    (rc = vg_calendar_load(t->calendar_name, &t->calendar, err)) != VG_OK)
		vg_error_prefix(err, "%s:%d", rd->origin, vg_yaml_line(v));
	return rc;
}

static int read_targets(const reading *rd, vg_error *err, struct fy_node *targets, policy *pol)
{
	struct fy_node_pair *q, *r;
	void *iter = NULL, *it2;
	int rc = VG_OK;

	if (!fy_node_is_mapping(targets))
		return vg_yaml_fail(err, rd->origin, targets,
				    "targets map record types to priorities");
	while (rc == VG_OK && (q = fy_node_mapping_iterate(targets, &iter)) != NULL) {
		struct fy_node *row = fy_node_pair_value(q);

		if (!row || !fy_node_is_mapping(row))
			return vg_yaml_fail(err, rd->origin, row,
					    "targets map record types to priorities");
		it2 = NULL;
		while (rc == VG_OK && (r = fy_node_mapping_iterate(row, &it2)) != NULL) {
			target *t;

			pol->targets = vg_xrealloc(pol->targets,
						   (pol->ntargets + 1) * sizeof(*pol->targets));
			t = &pol->targets[pol->ntargets++];
			memset(t, 0, sizeof(*t));
			t->type = vg_yaml_text_dup(fy_node_pair_key(q));
			rc = read_target(rd, err, r, t);
		}
	}
	return rc;
}

/* notify: [assignee, manager, group] */
static int read_notify(const reading *rd, vg_error *err, struct fy_node *v, unsigned *notify)
{
	static const struct {
		const char *name;
		unsigned bit;
	} whom[] = { { "assignee", VG_SLA_NOTIFY_ASSIGNEE },
		     { "manager", VG_SLA_NOTIFY_MANAGER },
		     { "group", VG_SLA_NOTIFY_GROUP } };
	struct fy_node *x;
	void *iter = NULL;

	if (!v || !fy_node_is_sequence(v))
		return vg_yaml_fail(err, rd->origin, v,
				    "escalation: notify lists assignee, manager or group");
	while ((x = fy_node_sequence_iterate(v, &iter)) != NULL) {
		size_t i;

		for (i = 0; i < sizeof(whom) / sizeof(whom[0]); i++)
			if (fy_node_is_scalar(x) && strcmp(vg_yaml_cstr(x), whom[i].name) == 0)
				break;
		if (i == sizeof(whom) / sizeof(whom[0]))
			return vg_yaml_fail(err, rd->origin, x,
					    "escalation: \"%s\" is not assignee, manager or group",
					    vg_yaml_cstr(x));
		*notify |= whom[i].bit;
	}
	return VG_OK;
}

/* {on, clock, notify, reassign_group} */
static int read_rule(const reading *rd, vg_error *err, struct fy_node *v, vg_sla_escalation *e)
{
	struct fy_node_pair *q;
	void *iter = NULL;
	bool has_on = false;
	int rc = VG_OK;

	if (!v || !fy_node_is_mapping(v))
		return vg_yaml_fail(err, rd->origin, v,
				    "escalation: a rule is {on, clock, notify, reassign_group}");
	while (rc == VG_OK && (q = fy_node_mapping_iterate(v, &iter)) != NULL) {
		struct fy_node *x = fy_node_pair_value(q);
		const char *text = x && fy_node_is_scalar(x) ? vg_yaml_cstr(x) : "";

		if (vg_yaml_key_is(q, "on")) {
			has_on = strcmp(text, "warning") == 0 || strcmp(text, "breach") == 0;
			e->on = strcmp(text, "breach") == 0 ? VG_SLA_BREACH : VG_SLA_WARNING;
			if (!has_on)
				rc = vg_yaml_fail(err, rd->origin, x,
						  "escalation: on is warning or breach");
		} else if (vg_yaml_key_is(q, "clock")) {
			e->clock = strcmp(text, "response") == 0     ? "response"
				   : strcmp(text, "resolution") == 0 ? "resolution"
								     : NULL;
			if (!e->clock)
				rc = vg_yaml_fail(err, rd->origin, x,
						  "escalation: clock is response or resolution");
		} else if (vg_yaml_key_is(q, "notify")) {
			rc = read_notify(rd, err, x, &e->notify);
		} else if (vg_yaml_key_is(q, "reassign_group") && !e->reassign_group) {
			if (!vg_group_name_valid(text))
				rc = vg_yaml_fail(err, rd->origin, x,
						  "escalation: reassign_group must be a group name "
						  "such as l2-soc");
			else
				e->reassign_group = vg_yaml_text_dup(x);
		} else {
			rc = vg_yaml_fail(err, rd->origin, fy_node_pair_key(q),
					  "escalation: unknown field \"%s\"",
					  vg_yaml_cstr(fy_node_pair_key(q)));
		}
	}
	if (rc == VG_OK && !has_on)
		rc = vg_yaml_fail(err, rd->origin, v,
				  "escalation: a rule needs on (warning or breach)");
	if (rc == VG_OK && !e->notify && !e->reassign_group)
		rc = vg_yaml_fail(err, rd->origin, v,
				  "escalation: a rule notifies someone or reassigns the ticket");
	return rc;
}

static int read_escalation(const reading *rd, vg_error *err, struct fy_node *v, policy *pol)
{
	struct fy_node *x;
	void *iter = NULL;
	int rc = VG_OK;

	if (!v || !fy_node_is_sequence(v))
		return vg_yaml_fail(err, rd->origin, v,
				    "escalation is a list of rules {on, clock, notify, "
				    "reassign_group}");
	while (rc == VG_OK && (x = fy_node_sequence_iterate(v, &iter)) != NULL) {
		if (pol->nrules == MAX_RULES)
			return vg_yaml_fail(err, rd->origin, x, "escalation: at most %d rules",
					    MAX_RULES);
		rc = read_rule(rd, err, x, &pol->rules[pol->nrules++]);
	}
	return rc;
}

static int read_policy(const reading *rd, vg_error *err, struct fy_node_pair *p, policy *pol)
{
	struct fy_node *v = fy_node_pair_value(p), *cal = NULL, *targets = NULL;
	struct fy_node_pair *q;
	void *iter = NULL;
	int rc = VG_OK;

	pol->name = vg_yaml_text_dup(fy_node_pair_key(p));
	pol->warn_at = 0.8;
	if (!vg_group_name_valid(pol->name))
		return vg_yaml_fail(
			err, rd->origin, fy_node_pair_key(p),
			"a policy's name is lowercase letters, digits, '-', '_' or '.'");
	if (!v || !fy_node_is_mapping(v))
		return vg_yaml_fail(err, rd->origin, v,
				    "a policy is {calendar, warn_at, escalation, targets}");
	while (rc == VG_OK && (q = fy_node_mapping_iterate(v, &iter)) != NULL) {
		struct fy_node *x = fy_node_pair_value(q);

		if (vg_yaml_key_is(q, "calendar") && !cal) {
			cal = x;
		} else if (vg_yaml_key_is(q, "targets") && !targets) {
			targets = x;
		} else if (vg_yaml_key_is(q, "warn_at")) {
			char *end;

			pol->warn_at = strtod(vg_yaml_cstr(x), &end);
			if (*end || pol->warn_at <= 0 || pol->warn_at >= 1)
				rc = vg_yaml_fail(
					err, rd->origin, x,
					"warn_at is a share between 0 and 1, such as 0.8");
		} else if (vg_yaml_key_is(q, "escalation") && !pol->nrules) {
			rc = read_escalation(rd, err, x, pol);
		} else {
			rc = vg_yaml_fail(err, rd->origin, fy_node_pair_key(q),
					  "unknown field \"%s\"",
					  vg_yaml_cstr(fy_node_pair_key(q)));
		}
	}
	if (rc)
		return rc;
	if (!cal || !targets)
		return vg_yaml_fail(err, rd->origin, v, "a policy needs calendar and targets");
	pol->calendar_name = vg_yaml_text_dup(cal);
	rc = vg_calendar_load(pol->calendar_name, &pol->calendar, err);
	if (rc) {
		vg_error_prefix(err, "%s:%d", rd->origin, vg_yaml_line(cal));
		return rc;
	}
	return read_targets(rd, err, targets, pol);
}

static int read_root(void *arg, struct fy_node *root, vg_error *err)
{
	const reading *rd = arg;
	vg_sla_policies *ps = rd->ps;
	struct fy_node *list = root && fy_node_is_mapping(root)
				       ? fy_node_mapping_lookup_by_string(root, "policies", FY_NT)
				       : NULL;
	struct fy_node_pair *p;
	void *iter = NULL;
	int rc = VG_OK;

	if (!list || !fy_node_is_mapping(list))
		return vg_yaml_fail(err, rd->origin, root, "expected version and policies");
	while (rc == VG_OK && (p = fy_node_mapping_iterate(list, &iter)) != NULL) {
		ps->v = vg_xrealloc(ps->v, (ps->n + 1) * sizeof(*ps->v));
		memset(&ps->v[ps->n], 0, sizeof(ps->v[0]));
		ps->n++;
		rc = read_policy(rd, err, p, &ps->v[ps->n - 1]);
	}
	return rc;
}

void vg_sla_policies_free(vg_sla_policies *ps)
{
	if (!ps)
		return;
	for (size_t i = 0; i < ps->n; i++) {
		policy *pol = &ps->v[i];

		for (size_t k = 0; k < pol->ntargets; k++) {
			target *t = &pol->targets[k];

			free(t->type);
			free(t->priority);
			free(t->response);
			free(t->resolution);
			free(t->calendar_name);
			vg_calendar_free(t->calendar);
		}
		for (size_t k = 0; k < pol->nrules; k++)
			free(pol->rules[k].reassign_group);
		free(pol->targets);
		free(pol->name);
		free(pol->calendar_name);
		vg_calendar_free(pol->calendar);
	}
	free(ps->v);
	free(ps);
}

int vg_sla_policies_parse(const char *text, size_t len, const char *origin, vg_sla_policies **out,
			  vg_error *err)
{
	reading rd = { origin, vg_xcalloc(1, sizeof(vg_sla_policies)) };
	int rc = vg_yaml_each_document(text, len, origin, read_root, &rd, err);

	if (rc == VG_OK && !rd.ps->n)
		rc = vg_error_set(err, VG_EINVAL, "%s: no policies", origin);
	if (rc) {
		vg_sla_policies_free(rd.ps);
		rd.ps = NULL;
	}
	*out = rd.ps;
	return rc;
}

static void load(void)
{
	vg_sla_policies_parse(vg__content_sla, strlen(vg__content_sla), ORIGIN, &shipped,
			      &shipped_err);
}

const vg_sla_policies *vg_sla_policies_builtin(vg_error *err)
{
	pthread_once(&shipped_once, load);
	if (!shipped)
		vg_error_set(err, shipped_err.code, "%s", shipped_err.msg);
	return shipped;
}

int vg_sla_check(vg_error *err)
{
	vg_error mine = { 0 };

	if (vg_sla_policies_builtin(&mine))
		return VG_OK;
	return vg_error_set(err, mine.code, "%s", mine.msg);
}

static const policy *policy_named(const vg_sla_policies *ps, const char *name)
{
	for (size_t i = 0; ps && name && i < ps->n; i++)
		if (strcmp(ps->v[i].name, name) == 0)
			return &ps->v[i];
	return NULL;
}

int vg_sla_policy_check(const char *name, vg_error *err)
{
	const vg_sla_policies *ps = vg_sla_policies_builtin(err);
	char names[256] = "";
	size_t used = 0;

	if (!ps)
		return err ? err->code : VG_EFAIL;
	if (policy_named(ps, name))
		return VG_OK;
	for (size_t i = 0; i < ps->n && used < sizeof(names); i++) {
		int n = snprintf(names + used, sizeof(names) - used, "%s%s", i ? ", " : "",
				 ps->v[i].name);

		used += n > 0 ? (size_t)n : 0;
	}
	return vg_error_set(err, VG_EINVAL, "sla_policy \"%.64s\" is not a policy of %s (%s)",
			    name ? name : "", ORIGIN, names);
}

const vg_sla_escalation *vg_sla_escalation_of(const vg_sla_policies *ps, const char *name,
					      vg_sla_mark mark, const char *clock)
{
	const policy *pol = policy_named(ps, name);

	for (size_t i = 0; pol && i < pol->nrules; i++) {
		const vg_sla_escalation *e = &pol->rules[i];

		if (e->on == mark && (!e->clock || (clock && strcmp(e->clock, clock) == 0)))
			return e;
	}
	return NULL;
}

/* ---- a ticket's clocks ---- */

static int64_t instant(const json_t *v)
{
	int64_t ms = 0;

	if (json_is_string(v))
		vg_time_parse_iso(json_string_value(v), &ms);
	return ms;
}

static json_t *iso_or_null(int64_t ms)
{
	char text[VG_TIME_ISO_LEN];

	if (!ms)
		return json_null();
	vg_time_format_iso(ms, text);
	return json_string(text);
}

/* The intervals the ticket's clocks stood still (its states' clock paused
 * or stopped), the first staff answer, and when it last reached a stopped
 * state it is still in (0: it is not in one). */
typedef struct history {
	vg_interval pauses[MAX_PAUSES];
	size_t npauses;
	int64_t answered, stopped;
} history;

static void read_history(const vg_workflow *wf, const json_t *ticket, int64_t start, int64_t now,
			 history *h)
{
	const json_t *activity = json_object_get(ticket, "activity"), *a;
	enum vg_clock clock = VG_CLOCK_RUNNING;
	int64_t since = 0;
	size_t i;

	memset(h, 0, sizeof(*h));
	json_array_foreach(activity, i, a)
	{
		int64_t at = instant(json_object_get(a, "at"));
		const char *to = json_string_value(json_object_get(a, "to"));
		const char *action = json_string_value(json_object_get(a, "action"));
		enum vg_clock next;

		if (at < start)
			at = start;
		if (!h->answered && json_is_true(json_object_get(a, "staff")) &&
		    json_is_true(json_object_get(a, "public")))
			h->answered = at;
		if (!to || (action && strcmp(action, "approve") == 0) ||
		    vg_workflow_clock(wf, to, &next, NULL))
			continue;
		if (clock != VG_CLOCK_RUNNING && next == VG_CLOCK_RUNNING &&
		    h->npauses < MAX_PAUSES)
			h->pauses[h->npauses++] = (vg_interval){ since, at };
		if (clock == VG_CLOCK_RUNNING && next != VG_CLOCK_RUNNING)
			since = at;
		h->stopped = next == VG_CLOCK_STOPPED ? (clock == VG_CLOCK_STOPPED ? h->stopped : at)
						      : 0;
		clock = next;
	}
	if (clock != VG_CLOCK_RUNNING && h->npauses < MAX_PAUSES && since < now)
		h->pauses[h->npauses++] = (vg_interval){ since, now };
}

/* One clock as the API shows it; *paused gets the working time paused
 * between start and its end (done, or now). */
static int clock_json(const vg_calendar *cal, const char *text, int64_t target_s, int64_t start,
		      int64_t done, int64_t now, const history *h, double warn_at, json_t **out,
		      int64_t *paused, vg_error *err)
{
	int64_t end = done ? done : now, elapsed, paused_before, due;
	int64_t all;
	const char *status;
	int rc = vg_calendar_elapsed(cal, start, end, h->pauses, h->npauses, &elapsed, err);

	/* Due: the target plus the working time paused so far. */
	if (!rc)
		rc = vg_calendar_elapsed(cal, start, end, NULL, 0, &all, err);
	paused_before = rc ? 0 : all - elapsed;
	*paused = paused_before;
	if (!rc)
		rc = vg_calendar_due(cal, start, target_s + paused_before, &due, err);
	if (rc)
		return rc;
	status = elapsed > target_s ? "breached"
		 : done		    ? "met"
		 : elapsed >= (int64_t)(warn_at * (double)target_s) ? "warning"
								     : "running";
	*out = json_pack("{s:s, s:I, s:I, s:I, s:o, s:o, s:s}", "target", text, "target_seconds",
			 (json_int_t)target_s, "elapsed_seconds", (json_int_t)elapsed,
			 "paused_seconds", (json_int_t)paused_before, "due_at", iso_or_null(due),
			 "done_at", iso_or_null(done), "status", status);
	return *out ? VG_OK : vg_error_set(err, VG_ENOMEM, "out of memory");
}

int vg_ticket_sla(const char *policy_name, const json_t *ticket, int64_t now, json_t **out,
		  vg_error *err)
{
	const char *type = json_string_value(json_object_get(ticket, "type"));
	const char *priority = json_string_value(json_object_get(ticket, "priority"));
	const vg_workflows *ws = vg_workflows_builtin(err);
	const vg_workflow *wf = ws && type ? vg_workflow_of(ws, type) : NULL;
	const policy *pol = NULL;
	const target *t = NULL;
	const vg_calendar *cal;
	json_t *response = NULL, *resolution = NULL;
	int64_t start = instant(json_object_get(ticket, "received_at")), ignored, paused;
	history h;
	size_t i;
	int rc = vg_sla_check(err);

	*out = json_null();
	if (rc || !wf)
		return rc ? rc : ws ? VG_OK : err->code;
	pol = policy_named(shipped, policy_name);
	for (i = 0; pol && i < pol->ntargets && !t; i++)
		if (strcmp(pol->targets[i].type, type) == 0 &&
		    strcmp(pol->targets[i].priority, priority ? priority : "") == 0)
			t = &pol->targets[i];
	if (!t)
		return VG_OK;
	cal = t->calendar ? t->calendar : pol->calendar;
	read_history(wf, ticket, start, now, &h);
	rc = clock_json(cal, t->response, t->response_s, start, h.answered, now, &h, pol->warn_at,
			&response, &ignored, err);
	/* The resolution clock runs to the end of the history: its pauses are
	 * the ticket's. */
	if (!rc)
		rc = clock_json(cal, t->resolution, t->resolution_s, start, h.stopped, now, &h,
				pol->warn_at, &resolution, &paused, err);
	if (rc) {
		json_decref(response);
		json_decref(resolution);
		return rc;
	}
	*out = json_pack("{s:s, s:s, s:I, s:o, s:o}", "policy", pol->name, "calendar",
			 t->calendar_name ? t->calendar_name : pol->calendar_name, "paused_seconds",
			 (json_int_t)paused, "response", response, "resolution", resolution);
	return *out ? VG_OK : vg_error_set(err, VG_ENOMEM, "out of memory");
}

void vg_sla_span(int64_t seconds, char *out, size_t size)
{
	int64_t d = seconds / 86400, h = seconds % 86400 / 3600, m = seconds % 3600 / 60;
	int n = 0;

	if (seconds < 60) {
		snprintf(out, size, "0m");
		return;
	}
	out[0] = '\0';
	if (d)
		n += snprintf(out + n, size - (size_t)n, "%lldd", (long long)d);
	if (h && (size_t)n < size)
		n += snprintf(out + n, size - (size_t)n, "%lldh", (long long)h);
	if (m && (size_t)n < size)
		snprintf(out + n, size - (size_t)n, "%lldm", (long long)m);
}

void vg_sla_explain(const json_t *sla, const char *clock, vg_sla_mark mark, char *out, size_t size)
{
	const json_t *c = json_object_get(sla, clock);
	const char *wanted = json_string_value(json_object_get(c, "target"));
	const char *calendar = json_string_value(json_object_get(sla, "calendar"));
	char paused[32];

	vg_sla_span(json_integer_value(json_object_get(c, "paused_seconds")), paused,
		    sizeof(paused));
	snprintf(out, size, "%s SLA %s (target %s on %s, %s paused)", clock,
		 mark == VG_SLA_BREACH ? "breached" : "at risk", wanted ? wanted : "?",
		 calendar ? calendar : "?", paused);
}
