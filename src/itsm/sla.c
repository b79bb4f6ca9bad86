/* sla.c - tickets against their SLA targets (see sla.h). */
#include "itsm/sla.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "core/time.h"
#include "core/xalloc.h"
#include "core/yaml.h"
#include "itsm/workflow.h"

extern const char *const vg__content_sla;

#define ORIGIN "content/sla.yaml"
#define MAX_PAUSES 256

#define fail(err, at, ...) vg_yaml_fail(err, ORIGIN, at, __VA_ARGS__)

typedef struct target {
	char *type, *priority;
	char *response, *resolution; /* as written: "30m" */
	int64_t response_s, resolution_s;
	char *calendar_name;
	vg_calendar *calendar;
} target;

typedef struct policy {
	char *edition;
	char *calendar_name;
	vg_calendar *calendar;
	double warn_at;
	target *targets;
	size_t ntargets;
} policy;

typedef struct policies {
	policy *v;
	size_t n;
} policies;

static policies shipped;
static vg_error shipped_err;
static int shipped_rc;
static pthread_once_t shipped_once = PTHREAD_ONCE_INIT;

static int read_duration(vg_error *err, struct fy_node *v, const char *what, char **text,
			 int64_t *seconds)
{
	if (!v || !fy_node_is_scalar(v) || vg_duration_parse(vg_yaml_cstr(v), seconds) ||
	    *seconds <= 0)
		return fail(err, v, "%s must be a duration such as 30m, 4h or 2d", what);
	*text = vg_yaml_text_dup(v);
	return VG_OK;
}

static int read_target(vg_error *err, struct fy_node_pair *p, target *t)
{
	struct fy_node *v = fy_node_pair_value(p);
	struct fy_node_pair *q;
	void *iter = NULL;
	int rc = VG_OK;

	t->priority = vg_yaml_text_dup(fy_node_pair_key(p));
	if (strlen(t->priority) != 2 || t->priority[0] != 'P' || t->priority[1] < '1' ||
	    t->priority[1] > '4')
		return fail(err, fy_node_pair_key(p), "priorities are P1 to P4");
	if (!v || !fy_node_is_mapping(v))
		return fail(err, v, "a target is {response, resolution, calendar}");
	while (rc == VG_OK && (q = fy_node_mapping_iterate(v, &iter)) != NULL) {
		struct fy_node *x = fy_node_pair_value(q);

		if (vg_yaml_key_is(q, "response"))
			rc = read_duration(err, x, "response", &t->response, &t->response_s);
		else if (vg_yaml_key_is(q, "resolution"))
			rc = read_duration(err, x, "resolution", &t->resolution, &t->resolution_s);
		else if (vg_yaml_key_is(q, "calendar"))
			t->calendar_name = vg_yaml_text_dup(x);
		else
			rc = fail(err, fy_node_pair_key(q), "unknown field \"%s\"",
				  vg_yaml_cstr(fy_node_pair_key(q)));
	}
	if (rc == VG_OK && (!t->response || !t->resolution))
		rc = fail(err, v, "a target needs response and resolution");
	if (rc == VG_OK && t->calendar_name &&
	    (rc = vg_calendar_load(t->calendar_name, &t->calendar, err)) != VG_OK)
		vg_error_prefix(err, "%s:%d", ORIGIN, vg_yaml_line(v));
	return rc;
}

static int read_policy(vg_error *err, struct fy_node_pair *p, policy *pol)
{
	struct fy_node *v = fy_node_pair_value(p), *cal, *warn, *targets;
	struct fy_node_pair *q, *r;
	void *iter = NULL, *it2;
	int rc = VG_OK;

	pol->edition = vg_yaml_text_dup(fy_node_pair_key(p));
	if (!v || !fy_node_is_mapping(v))
		return fail(err, v, "a policy is {calendar, warn_at, targets}");
	cal = fy_node_mapping_lookup_by_string(v, "calendar", FY_NT);
	warn = fy_node_mapping_lookup_by_string(v, "warn_at", FY_NT);
	targets = fy_node_mapping_lookup_by_string(v, "targets", FY_NT);
	if (!cal || !targets || !fy_node_is_mapping(targets) || fy_node_mapping_item_count(v) > 3)
		return fail(err, v, "a policy is {calendar, warn_at, targets}");
	pol->calendar_name = vg_yaml_text_dup(cal);
	rc = vg_calendar_load(pol->calendar_name, &pol->calendar, err);
	if (rc) {
		vg_error_prefix(err, "%s:%d", ORIGIN, vg_yaml_line(cal));
		return rc;
	}
	pol->warn_at = 0.8;
	if (warn) {
		char *end;

		pol->warn_at = strtod(vg_yaml_cstr(warn), &end);
		if (*end || pol->warn_at <= 0 || pol->warn_at >= 1)
			return fail(err, warn, "warn_at is a share between 0 and 1, such as 0.8");
	}
	while (rc == VG_OK && (q = fy_node_mapping_iterate(targets, &iter)) != NULL) {
		struct fy_node *row = fy_node_pair_value(q);

		if (!row || !fy_node_is_mapping(row))
			return fail(err, row, "targets map record types to priorities");
		it2 = NULL;
		while (rc == VG_OK && (r = fy_node_mapping_iterate(row, &it2)) != NULL) {
			target *t;

			pol->targets = vg_xrealloc(pol->targets,
						   (pol->ntargets + 1) * sizeof(*pol->targets));
			t = &pol->targets[pol->ntargets++];
			memset(t, 0, sizeof(*t));
			t->type = vg_yaml_text_dup(fy_node_pair_key(q));
			rc = read_target(err, r, t);
		}
	}
	return rc;
}

static int read_root(void *arg, struct fy_node *root, vg_error *err)
{
	policies *ps = arg;
	struct fy_node *list = root && fy_node_is_mapping(root)
				       ? fy_node_mapping_lookup_by_string(root, "policies", FY_NT)
				       : NULL;
	struct fy_node_pair *p;
	void *iter = NULL;
	int rc = VG_OK;

	if (!list || !fy_node_is_mapping(list))
		return fail(err, root, "expected version and policies");
	while (rc == VG_OK && (p = fy_node_mapping_iterate(list, &iter)) != NULL) {
		ps->v = vg_xrealloc(ps->v, (ps->n + 1) * sizeof(*ps->v));
		memset(&ps->v[ps->n], 0, sizeof(ps->v[0]));
		rc = read_policy(err, p, &ps->v[ps->n++]);
	}
	return rc;
}

static void load(void)
{
	shipped_rc = vg_yaml_each_document(vg__content_sla, strlen(vg__content_sla), ORIGIN,
					   read_root, &shipped, &shipped_err);
}

int vg_sla_check(vg_error *err)
{
	pthread_once(&shipped_once, load);
	return shipped_rc ? vg_error_set(err, shipped_rc, "%s", shipped_err.msg) : VG_OK;
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
	*out = json_pack("{s:s, s:I, s:I, s:o, s:o, s:s}", "target", text, "target_seconds",
			 (json_int_t)target_s, "elapsed_seconds", (json_int_t)elapsed, "due_at",
			 iso_or_null(due), "done_at", iso_or_null(done), "status", status);
	return *out ? VG_OK : vg_error_set(err, VG_ENOMEM, "out of memory");
}

int vg_ticket_sla(const char *edition, const json_t *ticket, int64_t now, json_t **out,
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
	for (i = 0; i < shipped.n && !pol; i++)
		if (edition && strcmp(shipped.v[i].edition, edition) == 0)
			pol = &shipped.v[i];
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
	*out = json_pack("{s:s, s:s, s:I, s:o, s:o}", "policy", pol->edition, "calendar",
			 t->calendar_name ? t->calendar_name : pol->calendar_name, "paused_seconds",
			 (json_int_t)paused, "response", response, "resolution", resolution);
	return *out ? VG_OK : vg_error_set(err, VG_ENOMEM, "out of memory");
}
