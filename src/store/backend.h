/*
 * backend.h - private to src/store: the vtable each backend fills in.
 *
 * store.c owns the public functions and dispatches through these; a backend
 * file (sqlite.c, later postgres.c) holds everything dialect-specific,
 * including its own migrations.
 */
#ifndef VG_STORE_BACKEND_H
#define VG_STORE_BACKEND_H

#include "store/store.h"

typedef struct vg_migration {
	int version;
	const char *name;
	const char *sql;
} vg_migration;

typedef struct vg_store_backend_ops {
	const char *name;
	const char *url_prefix; /* "sqlite:" */
	const vg_migration *migrations; /* ascending, ended by version 0 */

	int (*open)(const char *target, const vg_store_options *opts, bool create,
		    void **state, vg_error *err);
	void (*close)(void *state);
	int (*backup)(void *state, const char *path, vg_error *err);
	int (*restore)(void *state, const char *path, vg_error *err);

	/* Transactions: begin returns backend transaction state in *txstate. */
	int (*begin)(void *state, bool write, void **txstate, vg_error *err);
	int (*commit)(void *txstate, vg_error *err);
	void (*rollback)(void *txstate);
	/* Runs a script of several statements with no parameters (migrations). */
	int (*exec_script)(void *txstate, const char *sql, vg_error *err);
	int (*exec)(void *txstate, const char *sql, const vg_param *params, size_t n,
		    int64_t *changes, vg_error *err);
	int (*query)(void *txstate, const char *sql, const vg_param *params, size_t n,
		     void **rowsstate, vg_error *err);
	int (*next)(void *rowsstate, vg_error *err);
	bool (*is_null)(void *rowsstate, int col);
	int64_t (*col_int)(void *rowsstate, int col);
	const char *(*col_text)(void *rowsstate, int col);
	const void *(*col_blob)(void *rowsstate, int col, size_t *len);
	void (*rows_free)(void *rowsstate);
} vg_store_backend_ops;

extern const vg_store_backend_ops vg__store_sqlite;

#endif
