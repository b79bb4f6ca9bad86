/*
 * rules.c - /api/v1/rules: the Sigma rules the server's pipeline runs,
 * lint and trial runs of rule text (as `vigil rules lint|test` judge it:
 * detect/lint.h), and a rule switched off or on for one tenant.
 *
 * Rule ids are strings (UUIDs or slugs): {id} is read with vg_req_param
 * and looked up by id or name among the loaded rules.
 */
#include "api/api.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "alerts/rule_tenants.h"
#include "core/json.h"
#include "core/time.h"
#include "detect/lint.h"
#include "detect/rule.h"
#include "detect/source.h"
#include "pipeline/pipeline.h"

/* Submitted rule text is named this in errors ("yaml:3: ..."). */
#define SUBMITTED "yaml"
/* The largest rule text taken (the body limit applies first). */
#define RULE_TEXT_MAX (1u << 20)

static const char *const kind_names[] = {
	[VG_RULE_DETECTION] = "detection",
	[VG_RULE_FILTER] = "filter",
	[VG_RULE_CORRELATION] = "correlation",
};

static const vg_ruleset *loaded_rules(vg_req *req, vg_error *err)
{
	vg_app *app = vg_req_app(req);

	if (!app->pipeline) {
		vg_error_set(err, VG_EFAIL, "this server runs no detection pipeline");
		return NULL;
	}
	return vg_pipeline_rules(app->pipeline);
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* A rule as listed; disabled (stolen) its disabled tenants, NULL: none. */
static json_t *rule_json(const vg_rule *r, json_t *disabled)
{
	json_t *tags = json_array();
	size_t i;

	for (i = 0; i < r->ntags; i++)
		json_array_append_new(tags, json_string(r->tags[i]));
	return json_pack("{s:o, s:o, s:o, s:o, s:s, s:o, s:{s:o, s:o, s:o}, s:s, s:o}", "id",
			 str_or_null(r->id ? r->id : r->name), "title", str_or_null(r->title),
			 "level", str_or_null(r->level), "status", str_or_null(r->status), "kind",
			 kind_names[r->kind], "tags", tags, "logsource", "product",
			 str_or_null(r->product), "service", str_or_null(r->service), "category",
			 str_or_null(r->category), "origin", r->origin, "disabled_tenants",
			 disabled ? disabled : json_array());
}

/* Case-insensitive substring. */
static bool contains(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; hay && *hay; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return true;
	return false;
}

/* The rule named by the path's first parameter. */
static const vg_rule *rule_of_path(vg_req *req, const vg_ruleset *set, vg_error *err)
{
	const char *ref = vg_req_param(req, 0);
	const vg_rule *r = ref ? vg_ruleset_find(set, ref) : NULL;

	if (!r)
		vg_error_set(err, VG_ENOTFOUND, "no such rule: %s", ref ? ref : "");
	return r;
}

/* The list is the loaded rules in load order; its cursor is a position. */
int api_rules_list(vg_req *req, vg_error *err)
{
	const vg_ruleset *set = loaded_rules(req, err);
	const char *q = vg_req_query(req, "q");
	json_t *items = NULL, *disabled = NULL;
	int64_t after, last = 0;
	size_t i;
	vg_tx *tx;
	int limit, rc;

	if (!set)
		return err->code;
	rc = vg_req_page(req, &limit, &after, err);
	if (!rc)
		rc = vg_req_tx(req, false, &tx, err);
	if (!rc)
		rc = vg_rule_tenants_disabled_all(tx, &disabled, err);
	if (rc)
		return rc;
	items = json_array();
	for (i = (size_t)after; i < set->n && (int)json_array_size(items) < limit; i++) {
		const vg_rule *r = set->rules[i];
		json_t *off = r->id ? json_object_get(disabled, r->id) : NULL;

		if (q && *q && !contains(r->id, q) && !contains(r->name, q) &&
		    !contains(r->title, q))
			continue;
		json_array_append_new(items, rule_json(r, json_incref(off)));
		last = (int64_t)i + 1;
	}
	json_decref(disabled);
	return vg_resp_page(req, items, (int)json_array_size(items) == limit ? last : 0);
}

int api_rules_get(vg_req *req, vg_error *err)
{
	const vg_ruleset *set = loaded_rules(req, err);
	const vg_rule *r = set ? rule_of_path(req, set, err) : NULL;
	vg_buf text = VG_BUF_INIT(RULE_TEXT_MAX * 4);
	json_t *disabled = NULL, *out;
	vg_tx *tx;
	int rc;

	if (!r)
		return err->code;
	rc = vg_req_tx(req, false, &tx, err);
	if (!rc && r->id)
		rc = vg_rule_tenants_disabled_for(tx, r->id, &disabled, err);
	if (!rc)
		rc = vg_rule_source(r, &text, err);
	if (rc) {
		json_decref(disabled);
		vg_buf_release(&text);
		return rc;
	}
	out = rule_json(r, disabled);
	json_object_set_new(out, "line", json_integer(r->line));
	json_object_set_new(out, "description", str_or_null(r->description));
	json_object_set_new(out, "yaml", json_stringn(vg_buf_cstr(&text), text.len));
	vg_buf_release(&text);
	return vg_resp_json(req, 200, out);
}

/* {"line": N or null, "message": "..."} of a lint error. */
static json_t *error_json(const char *msg)
{
	const char *rest;
	int line = vg_rule_error_line(msg, SUBMITTED, &rest);

	return json_pack("{s:o, s:s}", "line", line ? json_integer(line) : json_null(), "message",
			 rest);
}

/* The rules of the text, compiled and checked against the loaded ones
 * (a correlation may read a shipped rule). */
static int lint_text(const vg_ruleset *loaded, const char *text, vg_ruleset *out, vg_error *err)
{
	vg_ruleset both = { 0 };
	size_t i;
	int rc = vg_rules_lint(out, text, strlen(text), SUBMITTED, err);

	if (rc)
		return rc;
	/* Borrows both sets' rules: only the array is freed. */
	both.cap = out->n + (loaded ? loaded->n : 0);
	both.rules = calloc(both.cap ? both.cap : 1, sizeof(*both.rules));
	if (!both.rules)
		return vg_error_set(err, VG_ENOMEM, "out of memory checking rules");
	for (i = 0; loaded && i < loaded->n; i++)
		both.rules[both.n++] = loaded->rules[i];
	for (i = 0; i < out->n; i++)
		both.rules[both.n++] = out->rules[i];
	rc = vg_ruleset_link(&both, err);
	free(both.rules);
	return rc;
}

static const char *rule_text(vg_req *req, vg_error *err)
{
	const char *text = vg_json_str(vg_req_body(req), "yaml");

	if (!text)
		vg_error_set(err, VG_EINVAL, "yaml: a string of Sigma rule text is required");
	else if (strlen(text) > RULE_TEXT_MAX)
		vg_error_set(err, VG_ETOOBIG, "yaml: at most %u bytes", RULE_TEXT_MAX);
	else
		return text;
	return NULL;
}

static const vg_json_field lint_fields[] = {
	{ "yaml", VG_JSON_STRING, true },
	{ NULL, 0, false },
};

int api_rules_lint(vg_req *req, vg_error *err)
{
	const vg_ruleset *loaded = vg_req_app(req)->pipeline
					   ? vg_pipeline_rules(vg_req_app(req)->pipeline)
					   : NULL;
	vg_ruleset set = { 0 };
	vg_error lerr = { 0 };
	const char *text;
	json_t *out, *ids;
	size_t i;
	int rc = vg_json_check(vg_req_body(req), lint_fields, err);

	if (rc)
		return rc;
	text = rule_text(req, err);
	if (!text)
		return err->code;
	if (lint_text(loaded, text, &set, &lerr) != VG_OK) {
		vg_ruleset_release(&set);
		return vg_resp_json(req, 200, json_pack("{s:b, s:[o]}", "ok", 0, "errors",
							error_json(lerr.msg)));
	}
	ids = json_array();
	for (i = 0; i < set.n; i++)
		json_array_append_new(ids, str_or_null(set.rules[i]->id ? set.rules[i]->id
									: set.rules[i]->name));
	vg_ruleset_release(&set);
	out = json_pack("{s:b, s:o}", "ok", 1, "rules", ids);
	return vg_resp_json(req, 200, out);
}

static const vg_json_field test_fields[] = {
	{ "yaml", VG_JSON_STRING, false },
	{ "rule_id", VG_JSON_STRING, false },
	{ "event", VG_JSON_OBJECT, true },
	{ "source_type", VG_JSON_STRING, false },
	{ NULL, 0, false },
};

/* The rules a test runs: the text's, or the loaded rule it names. */
static int test_rules(vg_req *req, vg_ruleset *own, const vg_rule ***rules, size_t *n,
		      vg_error *err)
{
	json_t *body = vg_req_body(req);
	const char *ref = vg_json_str(body, "rule_id");
	const vg_ruleset *loaded;
	vg_error lerr = { 0 };
	const char *text, *msg;
	int line;

	*rules = NULL;
	*n = 0;
	if (!json_object_get(body, "yaml") == !ref)
		return vg_error_set(err, VG_EINVAL, "give either yaml (rule text) or rule_id");
	if (ref) {
		const vg_rule *r;

		loaded = loaded_rules(req, err);
		if (!loaded)
			return err->code;
		r = vg_ruleset_find(loaded, ref);
		if (!r)
			return vg_error_set(err, VG_ENOTFOUND, "no such rule: %s", ref);
		*rules = calloc(1, sizeof(**rules));
		if (!*rules)
			return vg_error_set(err, VG_ENOMEM, "out of memory");
		(*rules)[(*n)++] = r;
		return VG_OK;
	}
	text = rule_text(req, err);
	if (!text)
		return err->code;
	if (vg_rules_lint(own, text, strlen(text), SUBMITTED, &lerr) != VG_OK) {
		line = vg_rule_error_line(lerr.msg, SUBMITTED, &msg);
		if (line)
			return vg_error_set(err, VG_EINVAL, "yaml: line %d: %s", line, msg);
		return vg_error_set(err, VG_EINVAL, "yaml: %s", msg);
	}
	*rules = calloc(own->n ? own->n : 1, sizeof(**rules));
	if (!*rules)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	for (*n = 0; *n < own->n; (*n)++)
		(*rules)[*n] = own->rules[*n];
	return VG_OK;
}

int api_rules_test(vg_req *req, vg_error *err)
{
	json_t *body = vg_req_body(req), *event = json_object_get(body, "event"), *ids;
	const char *type_name = vg_json_str(body, "source_type");
	const vg_source_type *type = NULL;
	const vg_rule **rules = NULL, **matched = NULL;
	vg_ruleset own = { 0 };
	char *json = NULL;
	size_t n = 0, nmatched = 0, i;
	int rc = VG_OK;

	if (!event || !json_is_object(event))
		return vg_error_set(err, VG_EINVAL, "event: a JSON object is required");
	rc = vg_json_check(body, test_fields, err);
	if (!rc && type_name) {
		type = vg_source_type_find(type_name, err);
		if (!type)
			rc = vg_error_set(err, VG_EINVAL,
					  "source_type: unknown type \"%s\" (one of %s)", type_name,
					  vg_source_type_names());
	}
	if (!rc)
		rc = test_rules(req, &own, &rules, &n, err);
	if (!rc) {
		json = vg_json_dump(event);
		matched = calloc(n ? n : 1, sizeof(*matched));
		if (!json || !matched)
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
	}
	if (!rc)
		rc = vg_rules_try(rules, n, type, json, strlen(json), matched, &nmatched, err);
	if (!rc) {
		ids = json_array();
		for (i = 0; i < nmatched; i++)
			json_array_append_new(ids, str_or_null(matched[i]->id ? matched[i]->id
									 : matched[i]->name));
		rc = vg_resp_json(req, 200, json_pack("{s:b, s:o}", "matched", nmatched > 0,
						      "rules", ids));
	}
	free(json);
	free(matched);
	free(rules);
	vg_ruleset_release(&own);
	return rc;
}

static const vg_json_field tenant_fields[] = {
	{ "enabled", VG_JSON_BOOL, true },
	{ NULL, 0, false },
};

int api_rules_tenant_set(vg_req *req, vg_error *err)
{
	const vg_ruleset *set = loaded_rules(req, err);
	const vg_rule *r = set ? rule_of_path(req, set, err) : NULL;
	json_t *body = vg_req_body(req);
	bool enabled;
	int64_t tenant_id;
	char detail[512];
	vg_tx *tx;
	int rc;

	if (!r)
		return err->code;
	if (!r->id)
		return vg_error_set(err, VG_EINVAL, "rule \"%s\" has no id to switch by",
				    r->name ? r->name : r->title);
	rc = vg_req_param_id(req, 1, &tenant_id, err);
	if (!rc)
		rc = vg_json_check(body, tenant_fields, err);
	enabled = json_is_true(json_object_get(body, "enabled"));
	if (!rc)
		rc = vg_req_tx(req, true, &tx, err);
	if (!rc)
		rc = vg_rule_tenant_set(tx, vg_req_ctx(req), r->id, tenant_id, enabled,
					vg_time_now_ms(), err);
	if (rc)
		return rc;
	vg_req_audit_object(req, "tenant", tenant_id, tenant_id);
	snprintf(detail, sizeof(detail), "rule %s %s", r->id, enabled ? "enabled" : "disabled");
	vg_req_audit_detail(req, detail);
	return vg_resp_json(req, 200, json_pack("{s:s, s:I, s:b}", "rule_id", r->id, "tenant_id",
						(json_int_t)tenant_id, "enabled", enabled));
}
