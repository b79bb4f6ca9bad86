/* suppress.c - suppression rules (see suppress.h). */
#include "alerts/suppress.h"

#include <stdlib.h>
#include <string.h>

#include "core/time.h"
#include "ops/tenant.h"

#define YEAR_MS (366LL * 86400 * 1000)
#define REASON_MAX 2000
#define SUPPRESSION_COLUMNS                                                                 \
	"id, tenant_id, rule_id, source_id, group_match, reason, expires_at, created_by, " \
	"suppressed, last_suppressed_at, created_at"

static json_t *row_to_json(vg_rows *r, void *now_ms)
{
	json_t *group = json_loads(vg_rows_text(r, 4), 0, NULL);

	return json_pack("{s:I, s:o, s:{s:o, s:o, s:o}, s:s, s:o, s:b, s:s, s:I, s:o, s:o}", "id",
			 (json_int_t)vg_rows_int(r, 0), "tenant_id",
			 vg_rows_int(r, 1) ? json_integer(vg_rows_int(r, 1)) : json_null(), "match",
			 "rule_id", vg_rows_json_text(r, 2), "source_id",
			 vg_rows_is_null(r, 3) ? json_null() : json_integer(vg_rows_int(r, 3)),
			 "group", group ? group : json_object(), "reason", vg_rows_text(r, 5),
			 "expires_at", vg_rows_json_time(r, 6), "active",
			 vg_rows_int(r, 6) > *(const int64_t *)now_ms, "created_by",
			 vg_rows_text(r, 7), "suppressed", (json_int_t)vg_rows_int(r, 8),
			 "last_suppressed_at", vg_rows_json_time(r, 9), "created_at",
			 vg_rows_json_time(r, 10));
}

int vg_suppression_get(vg_tx *tx, const vg_ctx *ctx, int64_t id, json_t **out, vg_error *err)
{
	int64_t now = vg_time_now_ms();

	return vg_tx_query_object(tx,
				  "SELECT " SUPPRESSION_COLUMNS " FROM suppressions WHERE id = ? AND "
				  "(? = 0 OR tenant_id = ?)",
				  VG_PARAMS(VG_P_INT(id), VG_P_INT(ctx->tenant_id),
					    VG_P_INT(ctx->tenant_id)),
				  row_to_json, &now, "suppression", out, err);
}

int vg_suppression_list(vg_tx *tx, const vg_ctx *ctx, int64_t tenant_id, int64_t after_id,
			int limit, json_t **items, int64_t *last_id, vg_error *err)
{
	int64_t now = vg_time_now_ms();

	*items = NULL;
	*last_id = 0;
	if (tenant_id && !vg_ctx_sees_tenant(ctx, tenant_id))
		return vg_error_set(err, VG_ENOTFOUND, "no such tenant");
	return vg_tx_query_list(tx,
				"SELECT " SUPPRESSION_COLUMNS " FROM suppressions WHERE id > ? AND "
				"(? = 0 OR tenant_id = ?) AND (? = 0 OR tenant_id = ?) ORDER BY id "
				"LIMIT ?",
				VG_PARAMS(VG_P_INT(after_id), VG_P_INT(tenant_id), VG_P_INT(tenant_id),
					  VG_P_INT(ctx->tenant_id), VG_P_INT(ctx->tenant_id),
					  VG_P_INT(limit)),
				row_to_json, &now, items, last_id, err);
}

int vg_suppression_create(vg_tx *tx, const vg_ctx *ctx, const vg_suppression_fields *in,
			  int64_t *id_out, vg_error *err)
{
	int64_t now = vg_time_now_ms();
	const char *key;
	json_t *v;
	char *group;
	vg_tenant t;
	int rc;

	*id_out = 0;
	if (!in->rule_id && !in->source_id && json_object_size(in->group) == 0)
		return vg_error_set(err, VG_EINVAL, "name a rule_id, a source_id or group values");
	if (!in->reason || !*in->reason || strlen(in->reason) > REASON_MAX)
		return vg_error_set(err, VG_EINVAL, "reason must be 1 to %d bytes", REASON_MAX);
	if (in->expires_at <= now || in->expires_at > now + YEAR_MS)
		return vg_error_set(err, VG_EINVAL, "expires_at must be within the next year");
	json_object_foreach((json_t *)in->group, key, v)
		if (!json_is_string(v) && !json_is_integer(v))
			return vg_error_set(err, VG_EINVAL, "group.%s must be a string or an integer",
					    key);
	if (!in->tenant_id && ctx->tenant_id)
		return vg_error_set(err, VG_EPERM, "only staff suppress for every tenant");
	if (in->tenant_id) {
		rc = vg_tenant_get(tx, ctx, in->tenant_id, &t, err);
		if (rc)
			return rc;
		vg_tenant_release(&t);
	}
	if (in->source_id) {
		int64_t owner;

		rc = vg_tx_query_int(tx, "SELECT tenant_id FROM sources WHERE id = ?",
				     VG_PARAMS(VG_P_INT(in->source_id)), &owner, err);
		if (rc == VG_ENOTFOUND || (rc == VG_OK && in->tenant_id && owner != in->tenant_id) ||
		    (rc == VG_OK && !vg_ctx_sees_tenant(ctx, owner)))
			return vg_error_set(err, VG_ENOTFOUND, "no such source for this tenant");
		if (rc)
			return rc;
	}
	group = in->group ? json_dumps(in->group, JSON_COMPACT | JSON_SORT_KEYS) : strdup("{}");
	if (!group)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	rc = vg_tx_query_int(tx,
			     "INSERT INTO suppressions (tenant_id, rule_id, source_id, group_match, "
			     "reason, expires_at, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
			     "RETURNING id",
			     VG_PARAMS(VG_P_INT(in->tenant_id), VG_P_TEXT_OR_NULL(in->rule_id),
				       VG_P_ID_OR_NULL(in->source_id), VG_P_TEXT(group),
				       VG_P_TEXT(in->reason), VG_P_INT(in->expires_at),
				       VG_P_TEXT(ctx->username), VG_P_INT(now)),
			     id_out, err);
	free(group);
	return rc;
}

int vg_suppression_delete(vg_tx *tx, const vg_ctx *ctx, int64_t id, int64_t *tenant_id,
			  vg_error *err)
{
	int rc = vg_tx_query_int(
		tx, "SELECT tenant_id FROM suppressions WHERE id = ? AND (? = 0 OR tenant_id = ?)",
		VG_PARAMS(VG_P_INT(id), VG_P_INT(ctx->tenant_id), VG_P_INT(ctx->tenant_id)), tenant_id,
		err);

	if (rc == VG_ENOTFOUND)
		return vg_error_set(err, VG_ENOTFOUND, "no such suppression");
	if (rc)
		return rc;
	return vg_tx_exec(tx, "DELETE FROM suppressions WHERE id = ?", VG_PARAMS(VG_P_INT(id)),
			  NULL, err);
}

/* ---- matching ---- */

typedef struct suppression {
	int64_t id, source_id;
	char *rule_id; /* NULL: any */
	json_t *group;
} suppression;

struct vg_suppressions {
	suppression *v;
	size_t n;
};

void vg_suppressions_free(vg_suppressions *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].rule_id);
		json_decref(s->v[i].group);
	}
	free(s->v);
	free(s);
}

int vg_suppressions_load(vg_tx *tx, int64_t tenant_id, int64_t now, vg_suppressions **out,
			 vg_error *err)
{
	vg_suppressions *s = calloc(1, sizeof(*s));
	vg_rows *r;
	int rc;

	*out = NULL;
	if (!s)
		return vg_error_set(err, VG_ENOMEM, "out of memory");
	rc = vg_tx_query(tx,
			 "SELECT id, rule_id, COALESCE(source_id, 0), group_match FROM suppressions "
			 "WHERE (tenant_id = 0 OR tenant_id = ?) AND expires_at > ? ORDER BY id",
			 VG_PARAMS(VG_P_INT(tenant_id), VG_P_INT(now)), &r, err);
	if (rc) {
		free(s);
		return rc;
	}
	while ((rc = vg_rows_next(r, err)) == 1) {
		suppression *grown = realloc(s->v, (s->n + 1) * sizeof(*s->v));

		if (!grown) {
			rc = vg_error_set(err, VG_ENOMEM, "out of memory");
			break;
		}
		s->v = grown;
		s->v[s->n++] = (suppression){
			.id = vg_rows_int(r, 0),
			.rule_id = vg_rows_text(r, 1) ? strdup(vg_rows_text(r, 1)) : NULL,
			.source_id = vg_rows_int(r, 2),
			.group = json_loads(vg_rows_text(r, 3), 0, NULL),
		};
	}
	vg_rows_free(r);
	if (rc < 0) {
		vg_suppressions_free(s);
		return rc;
	}
	*out = s;
	return VG_OK;
}

int64_t vg_suppressions_match(const vg_suppressions *s, const char *rule_id, int64_t source_id,
			      const char *group_json)
{
	json_t *group = NULL;
	int64_t found = 0;

	for (size_t i = 0; s && i < s->n && !found; i++) {
		const suppression *x = &s->v[i];
		const char *key;
		json_t *want;
		bool all = true;

		if (x->rule_id && (!rule_id || strcmp(x->rule_id, rule_id) != 0))
			continue;
		if (x->source_id && x->source_id != source_id)
			continue;
		if (json_object_size(x->group) && !group)
			group = json_loads(group_json ? group_json : "{}", 0, NULL);
		json_object_foreach(x->group, key, want)
			if (!json_equal(json_object_get(group, key), want))
				all = false;
		if (all)
			found = x->id;
	}
	json_decref(group);
	return found;
}
