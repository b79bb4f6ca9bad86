/* tenant.c - tenant records and their validation (see tenant.h). */
#include "ops/tenant.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/json.h"
#include "core/time.h"

#define TENANT_COLUMNS                                                                         \
	"id, name, edition, contract_start, contract_end, timezone, contacts, created_at, "    \
	"updated_at"

static const vg_json_field contact_fields[] = {
	{ "name", VG_JSON_STRING, true },
	{ "email", VG_JSON_STRING, false },
	{ "phone", VG_JSON_STRING, false },
	{ "role", VG_JSON_STRING, false },
	{ NULL, 0, false },
};

/* A time zone is valid when the system's tz database has it. */
static bool valid_timezone(const char *tz)
{
	char path[PATH_MAX];
	struct stat st;

	if (strcmp(tz, "UTC") == 0)
		return true;
	if (!*tz || tz[0] == '/' || strstr(tz, "..") || strlen(tz) > 60 ||
	    strspn(tz, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/_+-") !=
		    strlen(tz))
		return false;
	snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", tz);
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int check_fields(const vg_tenant_fields *in, const char *start, const char *end,
			vg_error *err)
{
	if (in->name) {
		size_t len = strlen(in->name);

		if (len == 0 || len > 200 || isspace((unsigned char)in->name[0]) ||
		    isspace((unsigned char)in->name[len - 1]))
			return vg_error_set(err, VG_EINVAL,
					    "name must be 1 to 200 characters without surrounding "
					    "spaces");
	}
	if (in->edition && strcmp(in->edition, "professional") != 0 &&
	    strcmp(in->edition, "enterprise") != 0)
		return vg_error_set(err, VG_EINVAL, "edition must be professional or enterprise");
	if (in->contract_start && !vg_time_is_date(in->contract_start))
		return vg_error_set(err, VG_EINVAL, "contract_start must be a date YYYY-MM-DD");
	if (in->contract_end && !vg_time_is_date(in->contract_end))
		return vg_error_set(err, VG_EINVAL, "contract_end must be a date YYYY-MM-DD");
	if (start && end && strcmp(end, start) < 0)
		return vg_error_set(err, VG_EINVAL, "contract_end is before contract_start");
	if (in->timezone && !valid_timezone(in->timezone))
		return vg_error_set(err, VG_EINVAL, "timezone \"%s\" is not a known time zone",
				    in->timezone);
	if (in->contacts) {
		size_t i;
		json_t *c;

		if (!json_is_array(in->contacts))
			return vg_error_set(err, VG_EINVAL, "contacts must be an array");
		json_array_foreach((json_t *)in->contacts, i, c) {
			int rc;

			if (!json_is_object(c))
				return vg_error_set(err, VG_EINVAL, "contacts[%zu] must be an object", i);
			rc = vg_json_check(c, contact_fields, err);
			if (rc) {
				vg_error_prefix(err, "contacts[%zu]", i);
				return rc;
			}
		}
	}
	return VG_OK;
}

int vg_tenant_create(vg_tx *tx, const vg_ctx *ctx, const vg_tenant_fields *in, int64_t *id_out,
		     vg_error *err)
{
	int64_t now = vg_time_now_ms();
	char *contacts = NULL;
	int rc;

	*id_out = 0;
	if (ctx->tenant_id)
		return vg_error_set(err, VG_EPERM, "customers cannot create tenants");
	if (!in->name || !in->edition || !in->contract_start || !in->contract_end)
		return vg_error_set(err, VG_EINVAL,
				    "a tenant needs name, edition, contract_start and contract_end");
	rc = check_fields(in, in->contract_start, in->contract_end, err);
	if (rc)
		return rc;
	contacts = in->contacts ? vg_json_dump(in->contacts) : NULL;
	rc = vg_tx_query_int(tx,
			     "INSERT INTO tenants (name, edition, contract_start, contract_end, "
			     "timezone, contacts, created_at, updated_at) "
			     "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
			     VG_PARAMS(VG_P_TEXT(in->name), VG_P_TEXT(in->edition),
				       VG_P_TEXT(in->contract_start), VG_P_TEXT(in->contract_end),
				       VG_P_TEXT(in->timezone ? in->timezone : "Asia/Shanghai"),
				       VG_P_TEXT(contacts ? contacts : "[]"), VG_P_INT(now),
				       VG_P_INT(now)),
			     id_out, err);
	free(contacts);
	if (rc == VG_EEXIST)
		vg_error_set(err, VG_EEXIST, "tenant name \"%s\" is taken", in->name);
	return rc;
}

static void copy_text(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src ? src : "");
}

static void row_to_tenant(vg_rows *r, vg_tenant *t)
{
	const char *contacts = vg_rows_text(r, 6);

	memset(t, 0, sizeof(*t));
	t->id = vg_rows_int(r, 0);
	copy_text(t->name, sizeof(t->name), vg_rows_text(r, 1));
	copy_text(t->edition, sizeof(t->edition), vg_rows_text(r, 2));
	copy_text(t->contract_start, sizeof(t->contract_start), vg_rows_text(r, 3));
	copy_text(t->contract_end, sizeof(t->contract_end), vg_rows_text(r, 4));
	copy_text(t->timezone, sizeof(t->timezone), vg_rows_text(r, 5));
	t->contacts = contacts ? json_loads(contacts, 0, NULL) : NULL;
	if (!t->contacts)
		t->contacts = json_array();
	t->created_at = vg_rows_int(r, 7);
	t->updated_at = vg_rows_int(r, 8);
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
	if (rc == 1) {
		row_to_tenant(r, out);
		rc = VG_OK;
		if (!vg_ctx_sees_tenant(ctx, out->id)) {
			vg_tenant_release(out);
			rc = VG_ENOTFOUND;
		}
	} else if (rc == 0) {
		rc = VG_ENOTFOUND;
	}
	vg_rows_free(r);
	if (rc == VG_ENOTFOUND)
		vg_error_set(err, VG_ENOTFOUND, "no such tenant");
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
	char *end;
	long long id;

	errno = 0;
	id = strtoll(which, &end, 10);
	if (*which && !*end && !errno && id > 0)
		return vg_tenant_get(tx, ctx, id, out, err);
	return vg_tenant_find(tx, ctx, which, out, err);
}

int vg_tenant_update(vg_tx *tx, const vg_ctx *ctx, int64_t id, const vg_tenant_fields *in,
		     vg_error *err)
{
	char *contacts = NULL;
	vg_tenant t;
	int rc;

	rc = vg_tenant_get(tx, ctx, id, &t, err);
	if (rc)
		return rc;
	rc = check_fields(in, in->contract_start ? in->contract_start : t.contract_start,
			  in->contract_end ? in->contract_end : t.contract_end, err);
	vg_tenant_release(&t);
	if (rc)
		return rc;
	contacts = in->contacts ? vg_json_dump(in->contacts) : NULL;
	rc = vg_tx_exec(tx,
			"UPDATE tenants SET name = COALESCE(?, name), edition = COALESCE(?, edition), "
			"contract_start = COALESCE(?, contract_start), "
			"contract_end = COALESCE(?, contract_end), timezone = COALESCE(?, timezone), "
			"contacts = COALESCE(?, contacts), updated_at = ? WHERE id = ?",
			VG_PARAMS(VG_P_TEXT_OR_NULL(in->name), VG_P_TEXT_OR_NULL(in->edition),
				  VG_P_TEXT_OR_NULL(in->contract_start),
				  VG_P_TEXT_OR_NULL(in->contract_end),
				  VG_P_TEXT_OR_NULL(in->timezone), VG_P_TEXT_OR_NULL(contacts),
				  VG_P_INT(vg_time_now_ms()), VG_P_INT(id)),
			NULL, err);
	free(contacts);
	if (rc == VG_EEXIST)
		vg_error_set(err, VG_EEXIST, "tenant name \"%s\" is taken", in->name);
	return rc;
}

int vg_tenant_list(vg_tx *tx, const vg_ctx *ctx, int64_t tenant_id, int64_t after_id, int limit,
		   json_t **items, int64_t *last_id, vg_error *err)
{
	int64_t only = ctx->tenant_id ? ctx->tenant_id : tenant_id;
	vg_rows *r;
	int rc;

	*items = NULL;
	*last_id = 0;
	rc = vg_tx_query(tx,
			 "SELECT " TENANT_COLUMNS " FROM tenants WHERE id > ? "
			 "AND (? = 0 OR id = ?) ORDER BY id LIMIT ?",
			 VG_PARAMS(VG_P_INT(after_id), VG_P_INT(only), VG_P_INT(only),
				   VG_P_INT(limit)),
			 &r, err);
	if (rc)
		return rc;
	*items = json_array();
	while ((rc = vg_rows_next(r, err)) == 1) {
		vg_tenant t;

		row_to_tenant(r, &t);
		json_array_append_new(*items, vg_tenant_to_json(&t));
		*last_id = t.id;
		vg_tenant_release(&t);
	}
	vg_rows_free(r);
	if (rc < 0) {
		json_decref(*items);
		*items = NULL;
		return rc;
	}
	return VG_OK;
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
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:O, s:s, s:s}", "id", (json_int_t)t->id,
			 "name", t->name, "edition", t->edition, "contract_start",
			 t->contract_start, "contract_end", t->contract_end, "timezone",
			 t->timezone, "contacts", t->contacts, "created_at", created, "updated_at",
			 updated);
}
