/* workflow.c - workflows and priorities from data (see workflow.h). */
#include "itsm/workflow.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "core/yaml.h"
#include "identity/role.h"

extern const char *const vg__content_workflows;

#define MAX_KINDS 8

typedef struct wf_state {
	char *name;
	enum vg_clock clock;
	bool final;
	int auto_close_days;
	struct fy_node *at; /* while parsing */
} wf_state;

typedef struct wf_action {
	char *name;
	char **from;
	size_t nfrom;
	char *to;
	unsigned by; /* a bit per vg_role */
	char **requires;
	size_t nrequires;
	char *kinds[MAX_KINDS];
	int approvals[MAX_KINDS];
	size_t nkinds;
	struct fy_node *at;
} wf_action;

struct vg_workflow {
	char *type;
	char *initial;
	wf_state *states;
	size_t nstates;
	wf_action *actions;
	size_t nactions;
};

struct vg_workflows {
	vg_workflow *v;
	size_t n;
	char **impact, **urgency;
	size_t nimpact, nurgency;
	char **matrix; /* [impact * nurgency + urgency] */
};

static const char *const record_types[] = { "request", "incident", "problem", "change" };

/* ---- reading ---- */

typedef struct reader {
	const char *origin;
	vg_error *err;
} reader;

#define fail(rd, at, ...) vg_yaml_fail((rd)->err, (rd)->origin, at, __VA_ARGS__)

static int read_names(reader *rd, struct fy_node *v, char ***out, size_t *n)
{
	struct fy_node *e;
	void *iter = NULL;

	if (v && fy_node_is_scalar(v)) {
		*out = vg_xrealloc(*out, (*n + 1) * sizeof(**out));
		(*out)[(*n)++] = vg_yaml_text_dup(v);
		return VG_OK;
	}
	if (!v || !fy_node_is_sequence(v))
		return fail(rd, v, "expected a name or a list of names");
	while ((e = fy_node_sequence_iterate(v, &iter)) != NULL) {
		if (!fy_node_is_scalar(e))
			return fail(rd, e, "expected a name");
		*out = vg_xrealloc(*out, (*n + 1) * sizeof(**out));
		(*out)[(*n)++] = vg_yaml_text_dup(e);
	}
	return VG_OK;
}

static int read_int(reader *rd, struct fy_node *v, int lo, int hi, const char *what, int *out)
{
	const char *s = vg_yaml_cstr(v);
	char *end;
	long n = strtol(s, &end, 10);

	if (!v || !fy_node_is_scalar(v) || !*s || *end || n < lo || n > hi)
		return fail(rd, v, "%s must be a number from %d to %d", what, lo, hi);
	*out = (int)n;
	return VG_OK;
}

static int read_state(reader *rd, struct fy_node_pair *p, wf_state *s)
{
	struct fy_node *v = fy_node_pair_value(p);
	struct fy_node_pair *q;
	void *iter = NULL;
	int rc = VG_OK;

	s->name = vg_yaml_text_dup(fy_node_pair_key(p));
	s->at = fy_node_pair_key(p);
	if (!v || !fy_node_is_mapping(v))
		return fail(rd, s->at, "state %s: expected a map ({} for none)", s->name);
	while (rc == VG_OK && (q = fy_node_mapping_iterate(v, &iter)) != NULL) {
		struct fy_node *x = fy_node_pair_value(q);
		const char *t = vg_yaml_cstr(x);

		if (vg_yaml_key_is(q, "clock")) {
			if (strcmp(t, "running") == 0)
				s->clock = VG_CLOCK_RUNNING;
			else if (strcmp(t, "paused") == 0)
				s->clock = VG_CLOCK_PAUSED;
			else if (strcmp(t, "stopped") == 0)
				s->clock = VG_CLOCK_STOPPED;
			else
				rc = fail(rd, x, "state %s: clock is running, paused or stopped", s->name);
		} else if (vg_yaml_key_is(q, "final")) {
			if (strcmp(t, "true") && strcmp(t, "false"))
				rc = fail(rd, x, "state %s: final is true or false", s->name);
			s->final = strcmp(t, "true") == 0;
		} else if (vg_yaml_key_is(q, "auto_close_days")) {
			rc = read_int(rd, x, 1, 365, "auto_close_days", &s->auto_close_days);
		} else {
			rc = fail(rd, fy_node_pair_key(q), "state %s: unknown field \"%s\"", s->name,
				  vg_yaml_cstr(fy_node_pair_key(q)));
		}
	}
	return rc;
}

/* "staff", "customer", "system" or a role name, as role bits. */
static unsigned roles_named(const char *name)
{
	vg_role r;

	if (strcmp(name, "staff") == 0)
		return 1u << VG_ROLE_ADMIN | 1u << VG_ROLE_MANAGER | 1u << VG_ROLE_ANALYST;
	if (strcmp(name, "customer") == 0)
		return 1u << VG_ROLE_CUSTOMER_ADMIN | 1u << VG_ROLE_CUSTOMER_USER;
	if (strcmp(name, "system") == 0)
		return 1u << VG_ROLE_SYSTEM;
	r = vg_role_parse(name);
	return r == VG_ROLE_NONE ? 0 : 1u << r;
}

static int read_approvals(reader *rd, struct fy_node *v, wf_action *a)
{
	struct fy_node_pair *q;
	void *iter = NULL;
	int rc = VG_OK;

	if (!v || !fy_node_is_mapping(v))
		return fail(rd, v, "action %s: approvals map change kinds to counts", a->name);
	while (rc == VG_OK && (q = fy_node_mapping_iterate(v, &iter)) != NULL) {
		if (a->nkinds == MAX_KINDS)
			return fail(rd, fy_node_pair_key(q), "action %s: at most %d change kinds",
				    a->name, MAX_KINDS);
		a->kinds[a->nkinds] = vg_yaml_text_dup(fy_node_pair_key(q));
		rc = read_int(rd, fy_node_pair_value(q), 0, 20, "approvals",
			      &a->approvals[a->nkinds]);
		a->nkinds++;
	}
	return rc;
}

static int read_action(reader *rd, struct fy_node_pair *p, wf_action *a)
{
	struct fy_node *v = fy_node_pair_value(p);
	struct fy_node_pair *q;
	void *iter = NULL;
	int rc = VG_OK;

	a->name = vg_yaml_text_dup(fy_node_pair_key(p));
	a->at = fy_node_pair_key(p);
	if (!v || !fy_node_is_mapping(v))
		return fail(rd, a->at, "action %s: expected a map", a->name);
	while (rc == VG_OK && (q = fy_node_mapping_iterate(v, &iter)) != NULL) {
		struct fy_node *x = fy_node_pair_value(q);

		if (vg_yaml_key_is(q, "from")) {
			rc = read_names(rd, x, &a->from, &a->nfrom);
		} else if (vg_yaml_key_is(q, "to")) {
			if (!x || !fy_node_is_scalar(x))
				rc = fail(rd, x, "action %s: to is one state", a->name);
			else
				a->to = vg_yaml_text_dup(x);
		} else if (vg_yaml_key_is(q, "by")) {
			char **names = NULL;
			size_t n = 0, i;

			rc = read_names(rd, x, &names, &n);
			for (i = 0; i < n; i++) {
				unsigned bits = roles_named(names[i]);

				if (!bits && rc == VG_OK)
					rc = fail(rd, x, "action %s: \"%s\" is not staff, customer, "
						  "system or a role", a->name, names[i]);
				a->by |= bits;
				free(names[i]);
			}
			free(names);
		} else if (vg_yaml_key_is(q, "requires")) {
			rc = read_names(rd, x, &a->requires, &a->nrequires);
		} else if (vg_yaml_key_is(q, "approvals")) {
			rc = read_approvals(rd, x, a);
		} else {
			rc = fail(rd, fy_node_pair_key(q), "action %s: unknown field \"%s\"", a->name,
				  vg_yaml_cstr(fy_node_pair_key(q)));
		}
	}
	if (rc == VG_OK && (!a->nfrom || !a->to || !a->by))
		rc = fail(rd, a->at, "action %s needs from, to and by", a->name);
	return rc;
}

static const wf_state *state_named(const vg_workflow *wf, const char *name)
{
	size_t i;

	for (i = 0; i < wf->nstates; i++)
		if (strcmp(wf->states[i].name, name) == 0)
			return &wf->states[i];
	return NULL;
}

/* Every state an action names exists, every state is reached from the
 * initial one, and one is final. */
static int check_workflow(reader *rd, struct fy_node *at, vg_workflow *wf)
{
	bool *reached = vg_xcalloc(wf->nstates + 1, sizeof(bool));
	bool grew = true, final = false;
	size_t i, k;
	int rc = VG_OK;

	if (!wf->initial || !state_named(wf, wf->initial))
		rc = fail(rd, at, "%s: initial must name one of its states", wf->type);
	for (i = 0; i < wf->nactions && rc == VG_OK; i++) {
		const wf_action *a = &wf->actions[i];

		if (!state_named(wf, a->to))
			rc = fail(rd, a->at, "action %s: no state \"%s\"", a->name, a->to);
		for (k = 0; k < a->nfrom && rc == VG_OK; k++)
			if (!state_named(wf, a->from[k]))
				rc = fail(rd, a->at, "action %s: no state \"%s\"", a->name, a->from[k]);
		if (rc == VG_OK && a->nkinds && strcmp(wf->type, "change") != 0)
			rc = fail(rd, a->at, "action %s: only changes take approvals", a->name);
	}
	for (i = 0; rc == VG_OK && i < wf->nstates; i++) {
		reached[i] = strcmp(wf->states[i].name, wf->initial) == 0;
		final |= wf->states[i].final;
	}
	while (rc == VG_OK && grew) {
		grew = false;
		for (i = 0; i < wf->nactions; i++) {
			const wf_action *a = &wf->actions[i];
			size_t to = (size_t)(state_named(wf, a->to) - wf->states);

			for (k = 0; k < a->nfrom && !reached[to]; k++)
				if (reached[state_named(wf, a->from[k]) - wf->states])
					reached[to] = grew = true;
		}
	}
	for (i = 0; rc == VG_OK && i < wf->nstates; i++)
		if (!reached[i])
			rc = fail(rd, wf->states[i].at, "state %s: no action leads to it",
				  wf->states[i].name);
	/* The system closes what waited too long: it must be allowed to. */
	for (i = 0; rc == VG_OK && i < wf->nstates; i++) {
		bool closable = false;

		for (k = 0; k < wf->nactions && wf->states[i].auto_close_days; k++) {
			const wf_action *a = &wf->actions[k];

			if (strcmp(a->name, "close") == 0 && a->by & 1u << VG_ROLE_SYSTEM)
				for (size_t j = 0; j < a->nfrom; j++)
					closable |= strcmp(a->from[j], wf->states[i].name) == 0;
		}
		if (wf->states[i].auto_close_days && !closable)
			rc = fail(rd, wf->states[i].at,
				  "state %s: auto_close_days needs a close action the system may "
				  "take from it", wf->states[i].name);
	}
	if (rc == VG_OK && !final)
		rc = fail(rd, at, "%s: no state is final", wf->type);
	free(reached);
	return rc;
}

static int read_workflow(reader *rd, struct fy_node *n, vg_workflow *wf)
{
	struct fy_node_pair *p, *q;
	void *iter = NULL, *it2;
	size_t i;
	int rc = VG_OK;

	if (!n || !fy_node_is_mapping(n))
		return fail(rd, n, "a workflow must be a map");
	while (rc == VG_OK && (p = fy_node_mapping_iterate(n, &iter)) != NULL) {
		struct fy_node *v = fy_node_pair_value(p);

		if (vg_yaml_key_is(p, "type")) {
			wf->type = vg_yaml_text_dup(v);
			for (i = 0; i < 4 && strcmp(wf->type, record_types[i]); i++)
				;
			if (i == 4)
				rc = fail(rd, v, "type is request, incident, problem or change");
		} else if (vg_yaml_key_is(p, "initial")) {
			wf->initial = vg_yaml_text_dup(v);
		} else if (vg_yaml_key_is(p, "states") && v && fy_node_is_mapping(v)) {
			it2 = NULL;
			while (rc == VG_OK && (q = fy_node_mapping_iterate(v, &it2)) != NULL) {
				wf->states = vg_xrealloc(wf->states,
							 (wf->nstates + 1) * sizeof(*wf->states));
				memset(&wf->states[wf->nstates], 0, sizeof(wf_state));
				rc = read_state(rd, q, &wf->states[wf->nstates++]);
			}
		} else if (vg_yaml_key_is(p, "actions") && v && fy_node_is_mapping(v)) {
			it2 = NULL;
			while (rc == VG_OK && (q = fy_node_mapping_iterate(v, &it2)) != NULL) {
				wf->actions = vg_xrealloc(wf->actions,
							  (wf->nactions + 1) * sizeof(*wf->actions));
				memset(&wf->actions[wf->nactions], 0, sizeof(wf_action));
				rc = read_action(rd, q, &wf->actions[wf->nactions++]);
			}
		} else if (vg_yaml_key_is(p, "states") || vg_yaml_key_is(p, "actions")) {
			rc = fail(rd, v, "%s must be a map", vg_yaml_cstr(fy_node_pair_key(p)));
		} else {
			rc = fail(rd, fy_node_pair_key(p), "unknown field \"%s\"",
				  vg_yaml_cstr(fy_node_pair_key(p)));
		}
	}
	if (rc == VG_OK && (!wf->type || !wf->nstates || !wf->nactions))
		rc = fail(rd, n, "a workflow needs type, initial, states and actions");
	return rc ? rc : check_workflow(rd, n, wf);
}

static int index_of(char **names, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return (int)i;
	return -1;
}

static int read_priorities(reader *rd, struct fy_node *n, vg_workflows *w)
{
	struct fy_node *m = fy_node_mapping_lookup_by_string(n, "matrix", FY_NT);
	struct fy_node_pair *p, *q;
	void *iter = NULL, *it2;
	size_t i;
	int rc;

	if (!n || !fy_node_is_mapping(n))
		return fail(rd, n, "priorities must be a map");
	rc = read_names(rd, fy_node_mapping_lookup_by_string(n, "impact", FY_NT), &w->impact,
			&w->nimpact);
	if (rc == VG_OK)
		rc = read_names(rd, fy_node_mapping_lookup_by_string(n, "urgency", FY_NT),
				&w->urgency, &w->nurgency);
	if (rc)
		return rc;
	if (!m || !fy_node_is_mapping(m))
		return fail(rd, n, "priorities need a matrix: impact -> urgency -> priority");
	w->matrix = vg_xcalloc(w->nimpact * w->nurgency + 1, sizeof(char *));
	while (rc == VG_OK && (p = fy_node_mapping_iterate(m, &iter)) != NULL) {
		int im = index_of(w->impact, w->nimpact, vg_yaml_cstr(fy_node_pair_key(p)));
		struct fy_node *row = fy_node_pair_value(p);

		if (im < 0)
			return fail(rd, fy_node_pair_key(p), "matrix: \"%s\" is not an impact",
				    vg_yaml_cstr(fy_node_pair_key(p)));
		if (!row || !fy_node_is_mapping(row))
			return fail(rd, row, "matrix: a row maps urgencies to priorities");
		it2 = NULL;
		while ((q = fy_node_mapping_iterate(row, &it2)) != NULL) {
			int ur = index_of(w->urgency, w->nurgency, vg_yaml_cstr(fy_node_pair_key(q)));
			const char *pr = vg_yaml_cstr(fy_node_pair_value(q));

			if (ur < 0)
				return fail(rd, fy_node_pair_key(q), "matrix: \"%s\" is not an urgency",
					    vg_yaml_cstr(fy_node_pair_key(q)));
			if (strlen(pr) != 2 || pr[0] != 'P' || pr[1] < '1' || pr[1] > '4')
				return fail(rd, fy_node_pair_value(q), "matrix: priorities are P1 to P4");
			free(w->matrix[(size_t)im * w->nurgency + (size_t)ur]);
			w->matrix[(size_t)im * w->nurgency + (size_t)ur] = vg_xstrdup(pr);
		}
	}
	for (i = 0; i < w->nimpact * w->nurgency; i++)
		if (!w->matrix[i])
			return fail(rd, m, "matrix: impact %s with urgency %s has no priority",
				    w->impact[i / w->nurgency], w->urgency[i % w->nurgency]);
	return VG_OK;
}

static int read_root(void *arg, struct fy_node *root, vg_error *err)
{
	void **args = arg;
	reader rd = { args[0], err };
	vg_workflows *w = args[1];
	struct fy_node *list = NULL, *prio = NULL, *e;
	struct fy_node_pair *p;
	void *iter = NULL;
	size_t i, k;
	int rc = VG_OK;

	if (!root || !fy_node_is_mapping(root))
		return fail(&rd, root, "expected version, priorities and workflows");
	while ((p = fy_node_mapping_iterate(root, &iter)) != NULL) {
		if (vg_yaml_key_is(p, "workflows"))
			list = fy_node_pair_value(p);
		else if (vg_yaml_key_is(p, "priorities"))
			prio = fy_node_pair_value(p);
		else if (!vg_yaml_key_is(p, "version"))
			return fail(&rd, fy_node_pair_key(p), "unknown field \"%s\"",
				    vg_yaml_cstr(fy_node_pair_key(p)));
	}
	if (!list || !fy_node_is_sequence(list) || !prio)
		return fail(&rd, root, "expected version, priorities and workflows");
	rc = read_priorities(&rd, prio, w);
	iter = NULL;
	while (rc == VG_OK && (e = fy_node_sequence_iterate(list, &iter)) != NULL) {
		w->v = vg_xrealloc(w->v, (w->n + 1) * sizeof(*w->v));
		memset(&w->v[w->n], 0, sizeof(w->v[0]));
		rc = read_workflow(&rd, e, &w->v[w->n++]);
		for (k = 0; rc == VG_OK && k + 1 < w->n; k++)
			if (strcmp(w->v[k].type, w->v[w->n - 1].type) == 0)
				rc = fail(&rd, e, "a second workflow for %s", w->v[k].type);
	}
	for (i = 0; rc == VG_OK && i < 4; i++)
		if (!vg_workflow_of(w, record_types[i]))
			rc = fail(&rd, list, "no workflow for %s", record_types[i]);
	return rc;
}

static void strings_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void vg_workflows_free(vg_workflows *w)
{
	size_t i, k;

	if (!w)
		return;
	for (i = 0; i < w->n; i++) {
		vg_workflow *wf = &w->v[i];

		for (k = 0; k < wf->nstates; k++)
			free(wf->states[k].name);
		for (k = 0; k < wf->nactions; k++) {
			wf_action *a = &wf->actions[k];

			free(a->name);
			free(a->to);
			strings_free(a->from, a->nfrom);
			strings_free(a->requires, a->nrequires);
			for (size_t j = 0; j < a->nkinds; j++)
				free(a->kinds[j]);
		}
		free(wf->states);
		free(wf->actions);
		free(wf->type);
		free(wf->initial);
	}
	free(w->v);
	if (w->matrix)
		strings_free(w->matrix, w->nimpact * w->nurgency);
	strings_free(w->impact, w->nimpact);
	strings_free(w->urgency, w->nurgency);
	free(w);
}

int vg_workflows_parse(const char *text, size_t len, const char *origin, vg_workflows **out,
		       vg_error *err)
{
	vg_workflows *w = vg_xcalloc(1, sizeof(*w));
	void *args[2] = { (void *)origin, w };
	int rc = vg_yaml_each_document(text, len, origin, read_root, args, err);

	if (rc == VG_OK && !w->n)
		rc = vg_error_set(err, VG_EINVAL, "%s: no workflows", origin);
	if (rc) {
		vg_workflows_free(w);
		w = NULL;
	}
	*out = w;
	return rc;
}

static vg_workflows *builtin;
static vg_error builtin_err;
static pthread_once_t builtin_once = PTHREAD_ONCE_INIT;

static void load_builtin(void)
{
	vg_workflows_parse(vg__content_workflows, strlen(vg__content_workflows),
			   "content/workflows.yaml", &builtin, &builtin_err);
}

const vg_workflows *vg_workflows_builtin(vg_error *err)
{
	pthread_once(&builtin_once, load_builtin);
	if (!builtin)
		vg_error_set(err, builtin_err.code, "%s", builtin_err.msg);
	return builtin;
}

/* ---- asking ---- */

const vg_workflow *vg_workflow_of(const vg_workflows *w, const char *type)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		if (w->v[i].type && strcmp(w->v[i].type, type) == 0)
			return &w->v[i];
	return NULL;
}

const char *vg_workflow_initial(const vg_workflow *wf)
{
	return wf->initial;
}

int vg_workflow_clock(const vg_workflow *wf, const char *state, enum vg_clock *clock,
		      vg_error *err)
{
	const wf_state *s = state_named(wf, state);

	if (!s)
		return vg_error_set(err, VG_EINVAL, "a %s has no state \"%s\"", wf->type, state);
	*clock = s->clock;
	return VG_OK;
}

int vg_workflow_auto_close_days(const vg_workflow *wf, const char *state)
{
	const wf_state *s = state_named(wf, state);

	return s ? s->auto_close_days : 0;
}

size_t vg_workflows_auto_close(const vg_workflows *w, const char **types, const char **states,
			       int *days, size_t max)
{
	size_t i, k, n = 0;

	for (i = 0; i < w->n; i++)
		for (k = 0; k < w->v[i].nstates; k++)
			if (w->v[i].states[k].auto_close_days && n < max) {
				types[n] = w->v[i].type;
				states[n] = w->v[i].states[k].name;
				days[n++] = w->v[i].states[k].auto_close_days;
			}
	return n;
}

/* "a change", "an incident". */
static const char *a_or_an(const char *type)
{
	return strchr("aeiou", type[0]) ? "an" : "a";
}

int vg_workflow_step(const vg_workflow *wf, const char *state, const char *action_name,
		     vg_role role, const char *change_kind, vg_step *out, vg_error *err)
{
	const wf_action *a = NULL;
	size_t i;

	for (i = 0; i < wf->nactions && !a; i++)
		if (strcmp(wf->actions[i].name, action_name) == 0)
			a = &wf->actions[i];
	if (!a)
		return vg_error_set(err, VG_EINVAL, "no action %s for %s %s", action_name,
				    a_or_an(wf->type), wf->type);
	for (i = 0; i < a->nfrom && strcmp(a->from[i], state); i++)
		;
	if (i == a->nfrom)
		return vg_error_set(err, VG_ECONFLICT, "cannot %s %s %s that is %s", action_name,
				    a_or_an(wf->type), wf->type, state);
	if (role <= VG_ROLE_NONE || !(a->by & 1u << role))
		return vg_error_set(err, VG_EPERM, "%s may not %s %s %s",
				    role == VG_ROLE_SYSTEM ? "the system" : vg_role_name(role),
				    action_name, a_or_an(wf->type), wf->type);
	*out = (vg_step){ .to = a->to, .requires = (const char *const *)a->requires,
			  .nrequires = a->nrequires };
	if (!a->nkinds)
		return VG_OK;
	for (i = 0; change_kind && i < a->nkinds; i++)
		if (strcmp(a->kinds[i], change_kind) == 0) {
			out->approvals = a->approvals[i];
			return VG_OK;
		}
	return vg_error_set(err, VG_EINVAL, "%s %s %s: change_kind must be one its approvals name",
			    action_name, a_or_an(wf->type), wf->type);
}

int vg_priority(const vg_workflows *w, const char *impact, const char *urgency,
		const char **priority, vg_error *err)
{
	int im = index_of(w->impact, w->nimpact, impact);
	int ur = index_of(w->urgency, w->nurgency, urgency);

	if (im < 0)
		return vg_error_set(err, VG_EINVAL, "impact \"%s\" is not one of the matrix's",
				    impact);
	if (ur < 0)
		return vg_error_set(err, VG_EINVAL, "urgency \"%s\" is not one of the matrix's",
				    urgency);
	*priority = w->matrix[(size_t)im * w->nurgency + (size_t)ur];
	return VG_OK;
}

/* ---- showing ---- */

static json_t *names_json(char *const *v, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < n; i++)
		if (json_array_append_new(a, json_string(v[i]))) {
			json_decref(a);
			return NULL;
		}
	return a;
}

/* The roles of a "by" bit set, in the role enum's order. */
static json_t *roles_json(unsigned by)
{
	json_t *a = json_array();

	for (vg_role r = VG_ROLE_ADMIN; a && r <= VG_ROLE_SYSTEM; r++)
		if (by & 1u << r && json_array_append_new(a, json_string(vg_role_name(r)))) {
			json_decref(a);
			return NULL;
		}
	return a;
}

static json_t *action_json(const wf_action *a)
{
	json_t *approvals = a->nkinds ? json_object() : json_null();

	for (size_t i = 0; approvals && i < a->nkinds; i++)
		if (json_object_set_new(approvals, a->kinds[i], json_integer(a->approvals[i]))) {
			json_decref(approvals);
			return NULL;
		}
	return json_pack("{s:s, s:o, s:s, s:o, s:o, s:o}", "name", a->name, "from",
			 names_json(a->from, a->nfrom), "to", a->to, "by", roles_json(a->by),
			 "requires", names_json(a->requires, a->nrequires), "approvals",
			 approvals);
}

static json_t *workflow_json(const vg_workflow *wf)
{
	static const char *const clocks[] = { "running", "paused", "stopped" };
	json_t *states = json_array(), *actions = json_array(), *o;
	size_t i;
	bool ok = states && actions;

	for (i = 0; ok && i < wf->nstates; i++) {
		const wf_state *s = &wf->states[i];

		ok = !json_array_append_new(
			states, json_pack("{s:s, s:s, s:b, s:o}", "name", s->name, "clock",
					  clocks[s->clock], "final", s->final, "auto_close_days",
					  s->auto_close_days ? json_integer(s->auto_close_days)
							     : json_null()));
	}
	for (i = 0; ok && i < wf->nactions; i++)
		ok = !json_array_append_new(actions, action_json(&wf->actions[i]));
	o = ok ? json_pack("{s:s, s:s, s:O, s:O}", "type", wf->type, "initial", wf->initial,
			   "states", states, "actions", actions)
	       : NULL;
	json_decref(states);
	json_decref(actions);
	return o;
}

json_t *vg_workflows_to_json(const vg_workflows *w)
{
	json_t *matrix = json_object(), *list = json_array();
	size_t i, k;
	bool ok = matrix && list;

	for (i = 0; ok && i < w->nimpact; i++) {
		json_t *row = json_object();

		for (k = 0; row && k < w->nurgency; k++)
			if (json_object_set_new(row, w->urgency[k],
						json_string(w->matrix[i * w->nurgency + k]))) {
				json_decref(row);
				row = NULL;
			}
		ok = row && !json_object_set_new(matrix, w->impact[i], row);
	}
	for (i = 0; ok && i < w->n; i++)
		ok = !json_array_append_new(list, workflow_json(&w->v[i]));
	if (!ok) {
		json_decref(matrix);
		json_decref(list);
		return NULL;
	}
	return json_pack("{s:{s:o, s:o, s:o}, s:o}", "priorities", "impact",
			 names_json(w->impact, w->nimpact), "urgency",
			 names_json(w->urgency, w->nurgency), "matrix", matrix, "workflows", list);
}
