/* tenant.c - tenant records, their validation and their scoping (see tenant.h). */
#include "ops/tenant.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/time.h"
#include "core/tz.h"
#include "core/utf8.h"

#define TENANT_COLUMNS                                                                             \
	"id, name, edition, contract_start, contract_end, timezone, contacts, created_at, "        \
	"updated_at, retention_days, COALESCE(sla_policy, ''), report_language"

static const vg_json_field contact_fields[] = {
	{ "name", VG_JSON_STRING, true },
	{ "email", VG_JSON_STRING, false },
	{ "phone", VG_JSON_STRING, false },
	{ "role", VG_JSON_STRING, false },
	{ "reports", VG_JSON_BOOL, false },
	{ NULL, 0, false },
};

/* A zone of the tz database (core/tz.h reads it). */
static bool valid_timezone(const char *tz)
{
	int minutes;

	return vg_tz_offset(tz, 0, &minutes, NULL) == VG_OK;
}

static int check_contacts(const json_t *contacts, vg_error *err)
{
	size_t i;
	json_t *c;

	if (!json_is_array(contacts))
		return vg_error_set(err, VG_EINVAL, "contacts must be an array");
	json_array_foreach(contacts, i, c) {
		int rc;

		if (!json_is_object(c))
			return vg_error_set(err, VG_EINVAL, "contacts[%zu] must be an object", i);
		rc = vg_json_check(c, contact_fields, err);
		if (rc) {
			vg_error_prefix(err, "contacts[%zu]", i);
			return rc;
		}
	}
	return VG_OK;
}

/* Checks the fields set in in; start and end are the contract dates the
 * tenant will have (new or stored). name_out receives the trimmed name. */
static int check_fields(const vg_tenant_fields *in, const char *start, const char *end,
			char *name_out, size_t name_size, vg_error *err)
{
	int rc;

	if (in->name) {
		rc = vg_text_clean(in->name, VG_TENANT_NAME_MAX, "name", name_out, name_size, err);
		if (rc)
			return rc;
	}
	if (in->edition && strcmp(in->edition, "professional") != 0 &&
	    strcmp(in->edition, "enterprise") != 0)
		return vg_error_set(err, VG_EINVAL, "edition must be professional or enterprise");
	if (in->contract_start && !vg_time_is_date(in->contract_start))
		return vg_error_set(err, VG_EINVAL, "contract_start must be a date YYYY-MM-DD");
	if (in->contract_end && !vg_time_is_date(in->contract_end))
		return vg_error_set(err, VG_EINVAL, "contract_end must be a date YYYY-MM-DD");
	if (strcmp(end, start) < 0)
		return vg_error_set(err, VG_EINVAL, "contract_end is before contract_start");
	if (in->timezone && !valid_timezone(in->timezone))
		return vg_error_set(err, VG_EINVAL, "timezone \"%s\" is not a known time zone",
				    in->timezone);
	if (in->retention_days && (in->retention_days < 1 || in->retention_days > 3650))
		return vg_error_set(err, VG_EINVAL, "retention_days must be from 1 to 3650");
	rc = vg_text_check("sla_policy", in->sla_policy, sizeof(((vg_tenant *)0)->sla_policy) - 1,
			   false, err);
	if (rc)
		return rc;
	if (in->report_language && strcmp(in->report_language, "zh-CN") != 0 &&
	    strcmp(in->report_language, "en") != 0)
		return vg_error_set(err, VG_EINVAL, "report_language must be zh-CN or en");
	if (in->contacts)
		return check_contacts(in->contacts, err);
	return VG_OK;
}

int vg_tenant_create(vg_tx *tx, const vg_ctx *ctx, const vg_tenant_fields *in, int64_t *id_out,
		     vg_error *err)
{
	char name[sizeof(((vg_tenant *)0)->name)];
	char *contacts = NULL;
	int64_t now;
	int rc;

	*id_out = 0;
	if (ctx->tenant_id)
		return vg_error_set(err, VG_EPERM, "customers cannot create tenants");
	if (!in->name)
		return vg_error_set(err, VG_EINVAL, "missing field \"name\"");
	if (!in->edition)
		return vg_error_set(err, VG_EINVAL, "missing field \"edition\"");
	if (!in->contract_start)
		return vg_error_set(err, VG_EINVAL, "missing field \"contract_start\"");
	if (!in->contract_end)
		return vg_error_set(err, VG_EINVAL, "missing field \"contract_end\"");
	rc = check_fields(in, in->contract_start, in->contract_end, name, sizeof(name), err);
	if (rc)
		return rc;
	if (in->contacts) {
		contacts = vg_json_dump(in->contacts);
		if (!contacts)
			return vg_error_set(err, VG_ENOMEM, "out of memory storing contacts");
	}
	now = vg_time_now_ms();
	rc = vg_tx_query_int(
		tx,
		"INSERT INTO tenants (name, edition, contract_start, contract_end, "
		"timezone, contacts, created_at, updated_at, retention_days, sla_policy, "
		"report_language) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULLIF(?, ''), ?) RETURNING id",
		VG_PARAMS(VG_P_TEXT(name), VG_P_TEXT(in->edition), VG_P_TEXT(in->contract_start),
			  VG_P_TEXT(in->contract_end),
			  VG_P_TEXT(in->timezone ? in->timezone : VG_TENANT_DEFAULT_TIMEZONE),
			  VG_P_TEXT(contacts ? contacts : "[]"), VG_P_INT(now), VG_P_INT(now),
			  VG_P_INT(in->retention_days ? in->retention_days
						      : VG_TENANT_RETENTION_DAYS_DEFAULT),
			  VG_P_TEXT(in->sla_policy ? in->sla_policy : ""),
			  VG_P_TEXT(in->report_language ? in->report_language : "zh-CN")),
		id_out, err);
	free(contacts);
	if (rc == VG_EEXIST)
		vg_error_set(err, VG_EEXIST, "tenant name \"%s\" is taken", name);
	if (rc)
		*id_out = 0;
	return rc;
}

static void copy_text(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src ? src : "");
}

static int row_to_tenant(vg_rows *r, vg_tenant *t, vg_error *err)
{
	const char *contacts = vg_rows_text(r, 6);

	memset(t, 0, sizeof(*t));
	t->id = vg_rows_int(r, 0);
	copy_text(t->name, sizeof(t->name), vg_rows_text(r, 1));
	copy_text(t->edition, sizeof(t->edition), vg_rows_text(r, 2));
	copy_text(t->contract_start, sizeof(t->contract_start), vg_rows_text(r, 3));
	copy_text(t->contract_end, sizeof(t->contract_end), vg_rows_text(r, 4));
	copy_text(t->timezone, sizeof(t->timezone), vg_rows_text(r, 5));
	t->created_at = vg_rows_int(r, 7);
	t->updated_at = vg_rows_int(r, 8);
	t->retention_days = (int)vg_rows_int(r, 9);
	copy_text(t->sla_policy, sizeof(t->sla_policy), vg_rows_text(r, 10));
	copy_text(t->report_language, sizeof(t->report_language), vg_rows_text(r, 11));
	t->contacts = json_loads(contacts ? contacts : "[]", JSON_REJECT_DUPLICATES, NULL);
	if (!json_is_array(t->contacts)) {
		json_decref(t->contacts);
		t->contacts = NULL;
		return vg_error_set(err, VG_ECORRUPT, "tenant %lld: stored contacts are not a "
				    "JSON array", (long long)t->id);
	}
	return VG_OK;
}

static int load_tenant(vg_tx *tx, const vg_ctx *ctx, const char *sql, const vg_param *params,
		       size_t n, vg_tenant *out, vg_error *err)
{
	vg_rows *r;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = vg_tx_query(tx, sql, params, n, &r, err);
	if (rc)
		return rc;
	rc = vg_rows_next(r, err);
	if (rc == 1 && !vg_ctx_sees_tenant(ctx, vg_rows_int(r, 0)))
		rc = 0;
	if (rc == 1)
		rc = row_to_tenant(r, out, err);
	else if (rc == 0)
		rc = vg_error_set(err, VG_ENOTFOUND, "no such tenant");
	vg_rows_free(r);
	if (rc)
		vg_tenant_release(out);
	return rc;
}

int vg_tenant_get(vg_tx *tx, const vg_ctx *ctx, int64_t id, vg_tenant *out, vg_error *err)
{
	return load_tenant(tx, ctx, "SELECT " TENANT_COLUMNS " FROM tenants WHERE id = ?",
			   VG_PARAMS(VG_P_INT(id)), out, err);
}

int vg_tenant_find(vg_tx *tx, const vg_ctx *ctx, const char *name, vg_tenant *out,
		   vg_error *err)
{
	return load_tenant(tx, ctx, "SELECT " TENANT_COLUMNS " FROM tenants WHERE name = ?",
			   VG_PARAMS(VG_P_TEXT(name)), out, err);
}

int vg_tenant_lookup(vg_tx *tx, const vg_ctx *ctx, const char *which, vg_tenant *out,
		     vg_error *err)
{
	size_t len = strlen(which);
	char *end;
	long long id;

	if (len > 0 && len <= 18 && strspn(which, "0123456789") == len) {
		errno = 0;
		id = strtoll(which, &end, 10);
		if (!errno && !*end && id > 0)
			return vg_tenant_get(tx, ctx, id, out, err);
	}
	return vg_tenant_find(tx, ctx, which, out, err);
}

int vg_tenant_update(vg_tx *tx, const vg_ctx *ctx, int64_t id, const vg_tenant_fields *in,
		     vg_error *err)
{
	char name[sizeof(((vg_tenant *)0)->name)];
	char *contacts = NULL;
	vg_tenant t;
	int rc;

	rc = vg_tenant_get(tx, ctx, id, &t, err);
	if (rc)
		return rc;
	rc = check_fields(in, in->contract_start ? in->contract_start : t.contract_start,
			  in->contract_end ? in->contract_end : t.contract_end, name, sizeof(name),
			  err);
	vg_tenant_release(&t);
	if (rc)
		return rc;
	if (in->contacts) {
		contacts = vg_json_dump(in->contacts);
		if (!contacts)
			return vg_error_set(err, VG_ENOMEM, "out of memory storing contacts");
	}
	rc = vg_tx_exec(
		tx,
		"UPDATE tenants SET name = COALESCE(?, name), edition = COALESCE(?, edition), "
		"contract_start = COALESCE(?, contract_start), "
		"contract_end = COALESCE(?, contract_end), timezone = COALESCE(?, timezone), "
		"contacts = COALESCE(?, contacts), retention_days = COALESCE(?, retention_days), "
		"sla_policy = CASE WHEN ? THEN NULLIF(?, '') ELSE sla_policy END, "
		"report_language = COALESCE(?, report_language), updated_at = ? WHERE id = ?",
		VG_PARAMS(in->name ? VG_P_TEXT(name) : VG_P_NULL, VG_P_TEXT_OR_NULL(in->edition),
			  VG_P_TEXT_OR_NULL(in->contract_start),
			  VG_P_TEXT_OR_NULL(in->contract_end), VG_P_TEXT_OR_NULL(in->timezone),
			  VG_P_TEXT_OR_NULL(contacts),
			  in->retention_days ? VG_P_INT(in->retention_days) : VG_P_NULL,
			  VG_P_INT(in->sla_policy != NULL), VG_P_TEXT_OR_NULL(in->sla_policy),
			  VG_P_TEXT_OR_NULL(in->report_language), VG_P_INT(vg_time_now_ms()),
			  VG_P_INT(id)),
		NULL, err);
	free(contacts);
	if (rc == VG_EEXIST)
		vg_error_set(err, VG_EEXIST, "tenant name \"%s\" is taken", name);
	return rc;
}

int vg_tenant_list(vg_tx *tx, const vg_ctx *ctx, int64_t tenant_id, int64_t after_id, int limit,
		   json_t **items, int64_t *last_id, vg_error *err)
{
	int64_t only = ctx->tenant_id ? ctx->tenant_id : tenant_id;
	json_t *list = NULL;
	vg_rows *r;
	int rc;

	*items = NULL;
	*last_id = 0;
	if (tenant_id && !vg_ctx_sees_tenant(ctx, tenant_id))
		return vg_error_set(err, VG_ENOTFOUND, "no such tenant");
	rc = vg_tx_query(tx,
			 "SELECT " TENANT_COLUMNS " FROM tenants WHERE id > ? "
			 "AND (? = 0 OR id = ?) ORDER BY id LIMIT ?",
			 VG_PARAMS(VG_P_INT(after_id), VG_P_INT(only), VG_P_INT(only),
				   VG_P_INT(limit)),
			 &r, err);
	if (rc)
		return rc;
	list = json_array();
	if (!list) {
		rc = vg_error_set(err, VG_ENOMEM, "out of memory listing tenants");
		goto out;
	}
	while ((rc = vg_rows_next(r, err)) == 1) {
		vg_tenant t;

		rc = row_to_tenant(r, &t, err);
		if (!rc && json_array_append_new(list, vg_tenant_to_json(&t)) != 0)
			rc = vg_error_set(err, VG_ENOMEM, "out of memory listing tenants");
		*last_id = t.id;
		vg_tenant_release(&t);
		if (rc)
			goto out;
	}
	if (rc == 0) {
		*items = list;
		list = NULL;
	}
out:
	vg_rows_free(r);
	json_decref(list);
	if (rc)
		*last_id = 0;
	return rc;
}

void vg_tenant_release(vg_tenant *t)
{
	json_decref(t->contacts);
	t->contacts = NULL;
}

json_t *vg_tenant_to_json(const vg_tenant *t)
{
	char created[VG_TIME_ISO_LEN], updated[VG_TIME_ISO_LEN];

	vg_time_format_iso(t->created_at, created);
	vg_time_format_iso(t->updated_at, updated);
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:o, s:i, s:o, s:s, s:s, s:s}", "id",
			 (json_int_t)t->id, "name", t->name, "edition", t->edition,
			 "contract_start", t->contract_start, "contract_end", t->contract_end,
			 "timezone", t->timezone, "contacts",
			 t->contacts ? json_incref(t->contacts) : json_array(), "retention_days",
			 t->retention_days, "sla_policy",
			 t->sla_policy[0] ? json_string(t->sla_policy) : json_null(),
			 "report_language", t->report_language, "created_at", created, "updated_at",
			 updated);
}
