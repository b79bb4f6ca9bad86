/* store.c - backend dispatch and migrations (see store.h). */
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/time.h"
#include "store/backend.h"

struct vg_store {
	const vg_store_backend_ops *ops;
	void *state;
};

struct vg_tx {
	const vg_store_backend_ops *ops;
	void *state;
	vg_rows *open_rows;
};

struct vg_rows {
	vg_tx *tx;
	void *state;
};

static const vg_store_backend_ops *const backends[] = {
	&vg__store_sqlite,
};

int vg_store_open(const char *url, const vg_store_options *opts, bool create,
		  vg_store **out, vg_error *err)
{
	vg_store_options defaults = { 0 };
	vg_store *s;
	int rc;

	*out = NULL;
	if (!opts)
		opts = &defaults;
	for (size_t i = 0; i < sizeof(backends) / sizeof(backends[0]); i++) {
		const vg_store_backend_ops *ops = backends[i];
		size_t plen = strlen(ops->url_prefix);

		if (strncmp(url, ops->url_prefix, plen) != 0)
			continue;
		s = calloc(1, sizeof(*s));
		if (!s)
			return vg_error_set(err, VG_ENOMEM, "out of memory opening the store");
		s->ops = ops;
		rc = ops->open(url + plen, opts, create, &s->state, err);
		if (rc) {
			free(s);
			return rc;
		}
		*out = s;
		return VG_OK;
	}
	return vg_error_set(err, VG_EINVAL, "store URL \"%s\" names no known backend (use sqlite:PATH)",
			    url);
}

void vg_store_close(vg_store *s)
{
	if (!s)
		return;
	s->ops->close(s->state);
	free(s);
}

const char *vg_store_backend(const vg_store *s)
{
	return s->ops->name;
}

int vg_store_backup(vg_store *s, const char *path, vg_error *err)
{
	return s->ops->backup(s->state, path, err);
}

int vg_store_restore(vg_store *s, const char *path, vg_error *err)
{
	return s->ops->restore(s->state, path, err);
}

int vg_store_schema_latest(void)
{
	const vg_migration *m = backends[0]->migrations;
	int latest = 0;

	for (; m->version; m++)
		latest = m->version;
	return latest;
}

int vg_store_schema_version(vg_store *s, int *version, vg_error *err)
{
	int64_t v = 0;
	vg_tx *tx;
	int rc;

	*version = 0;
	rc = vg_tx_begin(s, false, &tx, err);
	if (rc)
		return rc;
	rc = vg_tx_query_int(tx, "SELECT COALESCE(MAX(version), 0) FROM schema_version",
			     VG_NO_PARAMS, &v, NULL);
	/* No schema_version table yet: an empty store is at version 0. */
	if (rc) {
		v = 0;
		rc = VG_OK;
	}
	vg_tx_rollback(tx);
	*version = (int)v;
	return rc;
}

int vg_store_migrate(vg_store *s, int *from, int *to, vg_error *err)
{
	const vg_store_backend_ops *ops = s->ops;
	int version, rc;
	vg_tx *tx;

	rc = vg_store_schema_version(s, &version, err);
	if (rc)
		return rc;
	if (from)
		*from = version;
	if (version > vg_store_schema_latest())
		return vg_error_set(err, VG_EINVAL,
				    "the store is at schema version %d, newer than this binary's %d; "
				    "upgrade vigil", version, vg_store_schema_latest());
	for (const vg_migration *m = ops->migrations; m->version; m++) {
		if (m->version <= version)
			continue;
		rc = vg_tx_begin(s, true, &tx, err);
		if (rc)
			return rc;
		rc = ops->exec_script(tx->state, m->sql, err);
		if (!rc)
			rc = vg_tx_exec(tx, "INSERT INTO schema_version (version, name, applied_at) "
					"VALUES (?, ?, ?)",
					VG_PARAMS(VG_P_INT(m->version), VG_P_TEXT(m->name),
						  VG_P_INT(vg_time_now_ms())),
					NULL, err);
		if (rc) {
			vg_error_prefix(err, "migration %04d_%s", m->version, m->name);
			vg_tx_rollback(tx);
			return rc;
		}
		rc = vg_tx_commit(tx, err);
		if (rc)
			return rc;
		version = m->version;
	}
	if (to)
		*to = version;
	return VG_OK;
}

int vg_tx_begin(vg_store *s, bool write, vg_tx **out, vg_error *err)
{
	vg_tx *tx = calloc(1, sizeof(*tx));
	int rc;

	*out = NULL;
	if (!tx)
		return vg_error_set(err, VG_ENOMEM, "out of memory beginning a transaction");
	tx->ops = s->ops;
	rc = s->ops->begin(s->state, write, &tx->state, err);
	if (rc) {
		free(tx);
		return rc;
	}
	*out = tx;
	return VG_OK;
}

int vg_tx_commit(vg_tx *tx, vg_error *err)
{
	int rc;

	vg_rows_free(tx->open_rows);
	rc = tx->ops->commit(tx->state, err);
	free(tx);
	return rc;
}

void vg_tx_rollback(vg_tx *tx)
{
	if (!tx)
		return;
	vg_rows_free(tx->open_rows);
	tx->ops->rollback(tx->state);
	free(tx);
}

int vg_tx_exec(vg_tx *tx, const char *sql, const vg_param *params, size_t nparams,
	       int64_t *changes, vg_error *err)
{
	vg_rows_free(tx->open_rows);
	return tx->ops->exec(tx->state, sql, params, nparams, changes, err);
}

int vg_tx_query(vg_tx *tx, const char *sql, const vg_param *params, size_t nparams,
		vg_rows **out, vg_error *err)
{
	vg_rows *r;
	int rc;

	*out = NULL;
	vg_rows_free(tx->open_rows);
	r = calloc(1, sizeof(*r));
	if (!r)
		return vg_error_set(err, VG_ENOMEM, "out of memory running a query");
	rc = tx->ops->query(tx->state, sql, params, nparams, &r->state, err);
	if (rc) {
		free(r);
		return rc;
	}
	r->tx = tx;
	tx->open_rows = r;
	*out = r;
	return VG_OK;
}

int vg_rows_next(vg_rows *r, vg_error *err)
{
	return r->tx->ops->next(r->state, err);
}

bool vg_rows_is_null(vg_rows *r, int col)
{
	return r->tx->ops->is_null(r->state, col);
}

int64_t vg_rows_int(vg_rows *r, int col)
{
	return r->tx->ops->col_int(r->state, col);
}

const char *vg_rows_text(vg_rows *r, int col)
{
	return r->tx->ops->col_text(r->state, col);
}

const void *vg_rows_blob(vg_rows *r, int col, size_t *len)
{
	return r->tx->ops->col_blob(r->state, col, len);
}

void vg_rows_free(vg_rows *r)
{
	if (!r)
		return;
	r->tx->ops->rows_free(r->state);
	r->tx->open_rows = NULL;
	free(r);
}

int vg_tx_query_text(vg_tx *tx, const char *sql, const vg_param *params, size_t nparams,
		     char *out, size_t size, vg_error *err)
{
	vg_rows *r;
	int rc;

	if (size)
		out[0] = '\0';
	rc = vg_tx_query(tx, sql, params, nparams, &r, err);
	if (rc)
		return rc;
	rc = vg_rows_next(r, err);
	if (rc == 1) {
		snprintf(out, size, "%s", vg_rows_text(r, 0) ? vg_rows_text(r, 0) : "");
		rc = VG_OK;
	} else if (rc == 0) {
		rc = vg_error_set(err, VG_ENOTFOUND, "no row");
	}
	vg_rows_free(r);
	return rc;
}

int vg_tx_query_int(vg_tx *tx, const char *sql, const vg_param *params, size_t nparams,
		    int64_t *out, vg_error *err)
{
	vg_rows *r;
	int rc;

	*out = 0;
	rc = vg_tx_query(tx, sql, params, nparams, &r, err);
	if (rc)
		return rc;
	rc = vg_rows_next(r, err);
	if (rc == 1) {
		*out = vg_rows_int(r, 0);
		rc = VG_OK;
	} else if (rc == 0) {
		rc = vg_error_set(err, VG_ENOTFOUND, "no row");
	}
	vg_rows_free(r);
	return rc;
}
