/* ioc.c - indicator lists in the store (see ioc.h). */
#include "ops/ioc.h"

#include <stdlib.h>
#include <string.h>

#include "core/time.h"
#include "ops/tenant.h"

#define IOC_COLUMNS \
	"id, tenant_id, type, value, level, description, source, expires_at, created_at"

static bool valid_level(const char *level)
{
	static const char *const levels[] = { "informational", "low", "medium", "high", "critical" };
	size_t i;

	for (i = 0; i < sizeof(levels) / sizeof(levels[0]); i++)
		if (strcmp(level, levels[i]) == 0)
			return true;
	return false;
}

/* Staff see every list, the MSSP's included; a customer only its own. */
static bool sees(const vg_ctx *ctx, int64_t tenant_id)
{
	return ctx->tenant_id == 0 || ctx->tenant_id == tenant_id;
}

int vg_ioc_create(vg_tx *tx, const vg_ctx *ctx, const vg_ioc_fields *in, int64_t *id_out,
		  vg_error *err)
{
	char norm[VG_IOC_VALUE_MAX];
	vg_tenant t;
	int type, rc;

	*id_out = 0;
	if (!in->type || !in->value)
		return vg_error_set(err, VG_EINVAL, "missing field \"%s\"", in->type ? "value" : "type");
	type = vg_ioc_type_parse(in->type);
	if (type < 0)
		return vg_error_set(err, VG_EINVAL, "type must be ip, domain, url or hash");
	if (in->level && !valid_level(in->level))
		return vg_error_set(err, VG_EINVAL,
				    "level must be informational, low, medium, high or critical");
	if (!in->tenant_id && ctx->tenant_id)
		return vg_error_set(err, VG_EPERM, "only staff keep the MSSP's indicator list");
	if (in->tenant_id) {
		rc = vg_tenant_get(tx, ctx, in->tenant_id, &t, err);
		if (rc)
			return rc;
		vg_tenant_release(&t);
	}
	rc = vg_ioc_normalise((enum vg_ioc_type)type, in->value, strlen(in->value), norm, err);
	if (rc)
		return rc;
	rc = vg_tx_query_int(tx,
			     "INSERT INTO iocs (tenant_id, type, value, level, description, source, "
			     "expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
			     VG_PARAMS(VG_P_INT(in->tenant_id), VG_P_TEXT(in->type), VG_P_TEXT(norm),
				       VG_P_TEXT(in->level ? in->level : "high"),
				       VG_P_TEXT(in->description ? in->description : ""),
				       VG_P_TEXT(in->source ? in->source : ""),
				       in->expires_at ? VG_P_INT(in->expires_at) : VG_P_NULL,
				       VG_P_INT(vg_time_now_ms())),
			     id_out, err);
	if (rc == VG_EEXIST)
		rc = vg_error_set(err, VG_EEXIST, "%s %s is listed already", in->type, norm);
	return rc;
}

static json_t *row_to_json(vg_rows *r, void *unused)
{
	(void)unused;
	return json_pack("{s:I, s:o, s:s, s:s, s:s, s:s, s:s, s:o, s:o}", "id",
			 (json_int_t)vg_rows_int(r, 0), "tenant_id",
			 vg_rows_int(r, 1) ? json_integer(vg_rows_int(r, 1)) : json_null(), "type",
			 vg_rows_text(r, 2), "value", vg_rows_text(r, 3), "level", vg_rows_text(r, 4),
			 "description", vg_rows_text(r, 5), "source", vg_rows_text(r, 6),
			 "expires_at", vg_rows_json_time(r, 7), "created_at", vg_rows_json_time(r, 8));
}

int vg_ioc_get(vg_tx *tx, const vg_ctx *ctx, int64_t id, json_t **out, vg_error *err)
{
	return vg_tx_query_object(
	    tx, "SELECT " IOC_COLUMNS " FROM iocs WHERE id = ? AND (? = 0 OR tenant_id = ?)",
	    VG_PARAMS(VG_P_INT(id), VG_P_INT(ctx->tenant_id), VG_P_INT(ctx->tenant_id)),
	    row_to_json, NULL, "indicator", out, err);
}

int vg_ioc_delete(vg_tx *tx, const vg_ctx *ctx, int64_t id, int64_t *tenant_id, vg_error *err)
{
	int rc = vg_tx_query_int(
	    tx, "SELECT tenant_id FROM iocs WHERE id = ? AND (? = 0 OR tenant_id = ?)",
	    VG_PARAMS(VG_P_INT(id), VG_P_INT(ctx->tenant_id), VG_P_INT(ctx->tenant_id)), tenant_id,
	    err);

	if (rc == VG_ENOTFOUND)
		return vg_error_set(err, VG_ENOTFOUND, "no such indicator");
	if (rc)
		return rc;
	return vg_tx_exec(tx, "DELETE FROM iocs WHERE id = ?", VG_PARAMS(VG_P_INT(id)), NULL, err);
}

int vg_ioc_list(vg_tx *tx, const vg_ctx *ctx, int64_t tenant_id, int64_t after_id, int limit,
		json_t **items, int64_t *last_id, vg_error *err)
{
	*items = NULL;
	*last_id = 0;
	if (tenant_id && !sees(ctx, tenant_id))
		return vg_error_set(err, VG_ENOTFOUND, "no such tenant");
	return vg_tx_query_list(
	    tx,
	    "SELECT " IOC_COLUMNS " FROM iocs WHERE id > ? AND (? = 0 OR tenant_id = ?) "
	    "AND (? = 0 OR tenant_id = ?) ORDER BY id LIMIT ?",
	    VG_PARAMS(VG_P_INT(after_id), VG_P_INT(tenant_id), VG_P_INT(tenant_id),
		      VG_P_INT(ctx->tenant_id), VG_P_INT(ctx->tenant_id), VG_P_INT(limit)),
	    row_to_json, NULL, items, last_id, err);
}

int vg_ioc_load(vg_tx *tx, int64_t now_ms, vg_ioc_set **out, vg_error *err)
{
	vg_ioc_set *s = vg_ioc_set_new();
	vg_rows *r;
	int rc;

	*out = NULL;
	rc = vg_tx_query(tx,
			 "SELECT " IOC_COLUMNS
			 " FROM iocs WHERE expires_at IS NULL OR expires_at > ? "
			 "ORDER BY id",
			 VG_PARAMS(VG_P_INT(now_ms)), &r, err);
	if (rc) {
		vg_ioc_set_free(s);
		return rc;
	}
	while ((rc = vg_rows_next(r, err)) == 1) {
		vg_ioc ioc = {
			.id = vg_rows_int(r, 0),
			.tenant_id = vg_rows_int(r, 1),
			.type = (enum vg_ioc_type)vg_ioc_type_parse(vg_rows_text(r, 2)),
			.value = (char *)vg_rows_text(r, 3),
			.level = (char *)vg_rows_text(r, 4),
			.description = (char *)vg_rows_text(r, 5),
		};
		vg_error skip = { 0 };

		/* A stored value is normal already; one that is not is left out
		 * rather than costing every other indicator. */
		vg_ioc_set_add(s, &ioc, &skip);
	}
	vg_rows_free(r);
	if (rc < 0) {
		vg_ioc_set_free(s);
		return rc;
	}
	vg_ioc_set_seal(s);
	*out = s;
	return VG_OK;
}

int vg_ioc_version(vg_tx *tx, int64_t now_ms, int64_t *out, vg_error *err)
{
	vg_rows *r;
	int rc = vg_tx_query(tx,
			     "SELECT COUNT(*), COALESCE(MAX(id), 0), "
			     "COALESCE(SUM(expires_at IS NOT NULL AND expires_at <= ?), 0) FROM iocs",
			     VG_PARAMS(VG_P_INT(now_ms)), &r, err);

	if (rc)
		return rc;
	rc = vg_rows_next(r, err);
	if (rc == 1) {
		*out = vg_rows_int(r, 0) * 1000003 + vg_rows_int(r, 1) * 31 + vg_rows_int(r, 2);
		rc = VG_OK;
	} else if (rc == 0) {
		rc = vg_error_set(err, VG_EFAIL, "no answer counting indicators");
	}
	vg_rows_free(r);
	return rc;
}
