/* rows_json.c - query results as JSON (see store.h). */
#include "store/store.h"

#include "core/time.h"

json_t *vg_rows_json_text(vg_rows *r, int col)
{
	return vg_rows_is_null(r, col) ? json_null() : json_string(vg_rows_text(r, col));
}

json_t *vg_rows_json_time(vg_rows *r, int col)
{
	char iso[VG_TIME_ISO_LEN];

	if (vg_rows_is_null(r, col))
		return json_null();
	vg_time_format_iso(vg_rows_int(r, col), iso);
	return json_string(iso);
}

int vg_tx_query_list(vg_tx *tx, const char *sql, const vg_param *params, size_t nparams,
		     vg_row_json_fn to_json, void *arg, json_t **items, int64_t *last_id,
		     vg_error *err)
{
	vg_rows *r;
	int rc;

	*items = NULL;
	*last_id = 0;
	rc = vg_tx_query(tx, sql, params, nparams, &r, err);
	if (rc)
		return rc;
	*items = json_array();
	if (!*items)
		rc = vg_error_set(err, VG_ENOMEM, "out of memory");
	while (!rc && (rc = vg_rows_next(r, err)) == 1) {
		rc = json_array_append_new(*items, to_json(r, arg))
			     ? vg_error_set(err, VG_ENOMEM, "out of memory")
			     : VG_OK;
		*last_id = vg_rows_int(r, 0);
	}
	vg_rows_free(r);
	if (rc < 0) {
		json_decref(*items);
		*items = NULL;
		*last_id = 0;
		return rc;
	}
	return VG_OK;
}

int vg_tx_query_object(vg_tx *tx, const char *sql, const vg_param *params, size_t nparams,
		       vg_row_json_fn to_json, void *arg, const char *what, json_t **out,
		       vg_error *err)
{
	vg_rows *r;
	int rc;

	*out = NULL;
	rc = vg_tx_query(tx, sql, params, nparams, &r, err);
	if (rc)
		return rc;
	rc = vg_rows_next(r, err);
	if (rc == 1) {
		*out = to_json(r, arg);
		rc = *out ? VG_OK : vg_error_set(err, VG_ENOMEM, "out of memory");
	} else if (rc == 0) {
		rc = vg_error_set(err, VG_ENOTFOUND, "no such %s", what);
	}
	vg_rows_free(r);
	return rc;
}
