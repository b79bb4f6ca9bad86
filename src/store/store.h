/*
 * store.h - the store interface: transactions and prepared statements over
 * a backend that hides its SQL dialect.
 *
 * Backends: "sqlite:PATH" (embedded, WAL, one writer and a pool of readers)
 * now; "postgres://..." later, as a new file behind the same vtable.
 *
 * The SQL written against this interface is the portable subset both
 * backends accept: `?` placeholders, `INSERT ... RETURNING id`, instants as
 * INTEGER Unix milliseconds, booleans as INTEGER 0/1, JSON documents as TEXT,
 * `LIMIT ?`. Statements are prepared once per connection and cached.
 *
 * Concurrency: any number of read transactions run at once, each on its own
 * pooled connection; write transactions are serialised through one writer.
 * A transaction belongs to the thread that began it.
 *
 * Lifetimes: a vg_tx ends with exactly one vg_tx_commit or vg_tx_rollback,
 * which free it. At most one vg_rows is open per transaction; free it before
 * running the next statement. Text and blob pointers from vg_rows stay valid
 * until the next vg_rows_next or vg_rows_free.
 */
#ifndef VG_STORE_STORE_H
#define VG_STORE_STORE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

typedef struct vg_store vg_store;
typedef struct vg_tx vg_tx;
typedef struct vg_rows vg_rows;

typedef struct vg_store_options {
	int readers;         /* pooled read connections; 0 picks 4 */
	int busy_timeout_ms; /* how long to wait for a lock; 0 picks 5000 */
} vg_store_options;

/* Opens the store named by url ("sqlite:/var/lib/vigil/vigil.db"). The file
 * or database must exist unless create is true. Does not migrate. */
int vg_store_open(const char *url, const vg_store_options *opts, bool create,
		  vg_store **out, vg_error *err);
void vg_store_close(vg_store *s);

/* Name of the backend: "sqlite", ... */
const char *vg_store_backend(const vg_store *s);

/* Applies every migration newer than the schema version, each in its own
 * transaction. *from and *to (either may be NULL) report the versions. */
int vg_store_migrate(vg_store *s, int *from, int *to, vg_error *err);

/* The schema version applied (0 for an empty store) and the newest this
 * binary knows. */
int vg_store_schema_version(vg_store *s, int *version, vg_error *err);
int vg_store_schema_latest(void);

/* Writes a consistent copy of the live store to path (online backup). */
int vg_store_backup(vg_store *s, const char *path, vg_error *err);

/* Replaces the store's contents with the backup at path. The server must
 * not be running on this store. */
int vg_store_restore(vg_store *s, const char *path, vg_error *err);

typedef enum vg_param_type {
	VG_PARAM_NULL,
	VG_PARAM_INT,
	VG_PARAM_TEXT,
	VG_PARAM_BLOB,
} vg_param_type;

typedef struct vg_param {
	vg_param_type type;
	int64_t i;
	const void *p;
	size_t len; /* for TEXT: bytes, or SIZE_MAX for NUL-terminated */
} vg_param;

#define VG_P_NULL ((vg_param){ .type = VG_PARAM_NULL })
#define VG_P_INT(v) ((vg_param){ .type = VG_PARAM_INT, .i = (int64_t)(v) })
#define VG_P_TEXT(s) ((vg_param){ .type = VG_PARAM_TEXT, .p = (s), .len = SIZE_MAX })
#define VG_P_BLOB(b, n) ((vg_param){ .type = VG_PARAM_BLOB, .p = (b), .len = (n) })
/* TEXT, or NULL when s is NULL. */
#define VG_P_TEXT_OR_NULL(s) ((s) ? VG_P_TEXT(s) : VG_P_NULL)
/* INT, or NULL when v is 0 (foreign keys where 0 means "none"). */
#define VG_P_ID_OR_NULL(v) ((v) ? VG_P_INT(v) : VG_P_NULL)

#define VG_PARAMS(...) ((const vg_param[]){ __VA_ARGS__ }), \
	(sizeof((const vg_param[]){ __VA_ARGS__ }) / sizeof(vg_param))
#define VG_NO_PARAMS NULL, 0

/* Begins a read or write transaction. A write waits for the writer. */
int vg_tx_begin(vg_store *s, bool write, vg_tx **out, vg_error *err);

/* Commits and frees tx; on failure the transaction is rolled back. */
int vg_tx_commit(vg_tx *tx, vg_error *err);

/* Rolls back and frees tx; a NULL tx is ignored. */
void vg_tx_rollback(vg_tx *tx);

/*
 * Runs a statement that returns no rows. *changes (may be NULL) gets the
 * number of rows changed. A unique-constraint violation is VG_EEXIST, a
 * foreign-key or check violation VG_EINVAL.
 */
int vg_tx_exec(vg_tx *tx, const char *sql, const vg_param *params, size_t nparams,
	       int64_t *changes, vg_error *err);

/* Runs a statement that returns rows; step through them with vg_rows_next. */
int vg_tx_query(vg_tx *tx, const char *sql, const vg_param *params, size_t nparams,
		vg_rows **out, vg_error *err);

/* Advances to the next row: 1 when there is one, 0 at the end, <0 on error. */
int vg_rows_next(vg_rows *r, vg_error *err);

bool vg_rows_is_null(vg_rows *r, int col);
int64_t vg_rows_int(vg_rows *r, int col);
/* NULL for an SQL NULL. */
const char *vg_rows_text(vg_rows *r, int col);
const void *vg_rows_blob(vg_rows *r, int col, size_t *len);

void vg_rows_free(vg_rows *r);

/*
 * Runs a query expected to give one row with one integer column (a count,
 * or an id from RETURNING): VG_ENOTFOUND when it gives none.
 */
int vg_tx_query_int(vg_tx *tx, const char *sql, const vg_param *params, size_t nparams,
		    int64_t *out, vg_error *err);

/* Likewise for one text column, copied into out (size bytes, cut to fit;
 * "" for NULL). */
int vg_tx_query_text(vg_tx *tx, const char *sql, const vg_param *params, size_t nparams,
		     char *out, size_t size, vg_error *err);

/*
 * Rows as the JSON the API answers with (rows_json.c). to_json builds one
 * row's object (NULL when out of memory, which fails the query VG_ENOMEM).
 *
 * vg_tx_query_list: every row into *items; the query's first column is the
 * row id, and *last_id gets the last row's (0 for none), the cursor of the
 * next page. vg_tx_query_object: the one row the query gives into *out,
 * VG_ENOTFOUND "no such WHAT" when it gives none. On error the outputs are
 * NULL.
 */
typedef json_t *(*vg_row_json_fn)(vg_rows *r, void *arg);

/* A column as JSON for to_json: text, or an instant (Unix ms) as ISO 8601;
 * null for SQL NULL. */
json_t *vg_rows_json_text(vg_rows *r, int col);
json_t *vg_rows_json_time(vg_rows *r, int col);

int vg_tx_query_list(vg_tx *tx, const char *sql, const vg_param *params, size_t nparams,
		     vg_row_json_fn to_json, void *arg, json_t **items, int64_t *last_id,
		     vg_error *err);
int vg_tx_query_object(vg_tx *tx, const char *sql, const vg_param *params, size_t nparams,
		       vg_row_json_fn to_json, void *arg, const char *what, json_t **out,
		       vg_error *err);

#endif
