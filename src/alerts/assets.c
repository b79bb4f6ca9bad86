/* assets.c - assets alerts name (see assets.h). */
#include "alerts/assets.h"

#include <stdlib.h>
#include <string.h>

/* The columns a resource fills, in the resource's key names. */
static const char *const fields[] = { "instance_id", "ip", "hostname", "region", "account",
				      "cloud" };
#define NFIELDS (sizeof(fields) / sizeof(fields[0]))

static const char *field(json_t *resource, size_t i)
{
	const char *s = json_string_value(json_object_get(resource, fields[i]));

	return s && *s ? s : NULL;
}

/*
 * The asset the resource names: by its instance id; else by its address,
 * else its host name, among the assets of that instance or of none (a
 * host a log named before a cloud product gave its instance id is the
 * same asset; two instances with one private address are not).
 */
static int find(vg_tx *tx, int64_t tenant_id, json_t *resource, int64_t *id, vg_error *err)
{
	static const char *const by[] = {
		"SELECT id FROM assets WHERE tenant_id = ? AND instance_id = ?",
		"SELECT id FROM assets WHERE tenant_id = ? AND ip = ? AND "
		"(instance_id IS NULL OR instance_id = ?) ORDER BY id LIMIT 1",
		"SELECT id FROM assets WHERE tenant_id = ? AND hostname = ? AND "
		"(instance_id IS NULL OR instance_id = ?) ORDER BY id LIMIT 1",
	};
	const char *instance = field(resource, 0);
	size_t i;
	int rc = VG_ENOTFOUND;

	*id = 0;
	for (i = 0; i < 3 && rc == VG_ENOTFOUND; i++) {
		if (!field(resource, i))
			continue;
		rc = i == 0 ? vg_tx_query_int(tx, by[0],
					      VG_PARAMS(VG_P_INT(tenant_id), VG_P_TEXT(instance)), id,
					      err)
			    : vg_tx_query_int(tx, by[i],
					      VG_PARAMS(VG_P_INT(tenant_id),
							VG_P_TEXT(field(resource, i)),
							VG_P_TEXT_OR_NULL(instance)),
					      id, err);
	}
	return rc;
}

/* products with reporter added at the end when it is not there yet; NULL
 * when out of memory. */
static char *with_reporter(const char *products, const char *reporter)
{
	json_t *a = json_loads(products ? products : "[]", 0, NULL);
	char *text;
	size_t i;

	if (!json_is_array(a)) {
		json_decref(a);
		a = json_array();
	}
	for (i = 0; i < json_array_size(a); i++) {
		const char *s = json_string_value(json_array_get(a, i));

		if (s && strcmp(s, reporter) == 0)
			break;
	}
	if (i == json_array_size(a))
		json_array_append_new(a, json_string(reporter));
	text = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	return text;
}

static int update(vg_tx *tx, int64_t id, json_t *resource, const char *reporter, int64_t seen_ms,
		  bool opened, vg_error *err)
{
	vg_rows *r;
	char *products;
	int rc = vg_tx_query(tx, "SELECT products FROM assets WHERE id = ?", VG_PARAMS(VG_P_INT(id)),
			     &r, err);

	if (rc)
		return rc;
	rc = vg_rows_next(r, err);
	products = rc == 1 ? with_reporter(vg_rows_text(r, 0), reporter) : NULL;
	vg_rows_free(r);
	if (rc < 0)
		return rc;
	if (!products)
		return vg_error_set(err, VG_ENOMEM, "out of memory recording an asset");
	rc = vg_tx_exec(tx,
			"UPDATE assets SET instance_id = COALESCE(instance_id, ?), ip = COALESCE(ip, ?), "
			"hostname = COALESCE(hostname, ?), region = COALESCE(region, ?), "
			"account = COALESCE(account, ?), cloud = COALESCE(cloud, ?), products = ?, "
			"alerts = alerts + ?, last_seen = MAX(last_seen, ?), "
			"first_seen = MIN(first_seen, ?) WHERE id = ?",
			VG_PARAMS(VG_P_TEXT_OR_NULL(field(resource, 0)),
				  VG_P_TEXT_OR_NULL(field(resource, 1)),
				  VG_P_TEXT_OR_NULL(field(resource, 2)),
				  VG_P_TEXT_OR_NULL(field(resource, 3)),
				  VG_P_TEXT_OR_NULL(field(resource, 4)),
				  VG_P_TEXT_OR_NULL(field(resource, 5)), VG_P_TEXT(products),
				  VG_P_INT(opened ? 1 : 0), VG_P_INT(seen_ms), VG_P_INT(seen_ms),
				  VG_P_INT(id)),
			NULL, err);
	free(products);
	return rc;
}

int vg_asset_link(vg_tx *tx, int64_t tenant_id, const char *resource_json, const char *reporter,
		  int64_t seen_ms, bool opened, int64_t *asset_id, vg_error *err)
{
	json_t *resource = json_loads(resource_json ? resource_json : "{}", 0, NULL);
	char *products = NULL;
	int rc;

	*asset_id = 0;
	if (!json_is_object(resource) || (!field(resource, 0) && !field(resource, 1) &&
					  !field(resource, 2))) {
		json_decref(resource);
		return VG_OK;
	}
	rc = find(tx, tenant_id, resource, asset_id, err);
	if (rc == VG_OK) {
		rc = update(tx, *asset_id, resource, reporter, seen_ms, opened, err);
	} else if (rc == VG_ENOTFOUND) {
		products = with_reporter(NULL, reporter);
		rc = products ? vg_tx_query_int(
				      tx,
				      "INSERT INTO assets (tenant_id, instance_id, ip, hostname, region, "
				      "account, cloud, products, alerts, first_seen, last_seen) "
				      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
				      VG_PARAMS(VG_P_INT(tenant_id), VG_P_TEXT_OR_NULL(field(resource, 0)),
						VG_P_TEXT_OR_NULL(field(resource, 1)),
						VG_P_TEXT_OR_NULL(field(resource, 2)),
						VG_P_TEXT_OR_NULL(field(resource, 3)),
						VG_P_TEXT_OR_NULL(field(resource, 4)),
						VG_P_TEXT_OR_NULL(field(resource, 5)), VG_P_TEXT(products),
						VG_P_INT(opened ? 1 : 0), VG_P_INT(seen_ms),
						VG_P_INT(seen_ms)),
				      asset_id, err)
			      : vg_error_set(err, VG_ENOMEM, "out of memory recording an asset");
		free(products);
	}
	json_decref(resource);
	return rc;
}

#define ASSET_COLUMNS                                                                  \
	"id, tenant_id, instance_id, ip, hostname, region, account, cloud, products, " \
	"alerts, first_seen, last_seen"

static json_t *asset_json(vg_rows *r, void *unused)
{
	json_t *o, *products = json_loads(vg_rows_text(r, 8), 0, NULL);
	size_t i;

	(void)unused;
	o = json_pack("{s:I, s:I}", "id", (json_int_t)vg_rows_int(r, 0), "tenant_id",
		      (json_int_t)vg_rows_int(r, 1));
	for (i = 0; o && i < NFIELDS; i++)
		json_object_set_new(o, fields[i], vg_rows_json_text(r, (int)i + 2));
	if (o) {
		json_object_set_new(o, "products", products ? products : json_array());
		json_object_set_new(o, "alerts", json_integer(vg_rows_int(r, 9)));
		json_object_set_new(o, "first_seen", vg_rows_json_time(r, 10));
		json_object_set_new(o, "last_seen", vg_rows_json_time(r, 11));
	} else {
		json_decref(products);
	}
	return o;
}

int vg_asset_list(vg_tx *tx, const vg_ctx *ctx, int64_t tenant_id, int64_t after_id, int limit,
		  json_t **items, int64_t *last_id, vg_error *err)
{
	*items = NULL;
	*last_id = 0;
	if (tenant_id && !vg_ctx_sees_tenant(ctx, tenant_id))
		return vg_error_set(err, VG_ENOTFOUND, "no such tenant");
	return vg_tx_query_list(tx,
				"SELECT " ASSET_COLUMNS " FROM assets WHERE id > ? "
				"AND (? = 0 OR tenant_id = ?) AND (? = 0 OR tenant_id = ?) "
				"ORDER BY id LIMIT ?",
				VG_PARAMS(VG_P_INT(after_id),
					  VG_P_INT(ctx->tenant_id), VG_P_INT(ctx->tenant_id),
					  VG_P_INT(tenant_id), VG_P_INT(tenant_id), VG_P_INT(limit)),
				asset_json, NULL, items, last_id, err);
}

int vg_asset_get(vg_tx *tx, const vg_ctx *ctx, int64_t id, json_t **out, vg_error *err)
{
	return vg_tx_query_object(tx,
				  "SELECT " ASSET_COLUMNS " FROM assets WHERE id = ? AND "
				  "(? = 0 OR tenant_id = ?)",
				  VG_PARAMS(VG_P_INT(id), VG_P_INT(ctx->tenant_id),
					    VG_P_INT(ctx->tenant_id)),
				  asset_json, NULL, "asset", out, err);
}
