/*
 * sqlite.c - the embedded store backend: SQLite in WAL mode.
 *
 * One writer connection guarded by a mutex serialises write transactions
 * (SQLite allows one writer at a time anyway; queueing here avoids
 * SQLITE_BUSY churn). A pool of read connections serves read transactions
 * concurrently, which WAL allows alongside the writer. Each connection
 * caches its prepared statements by SQL text.
 */
#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store/backend.h"

#define STMT_CACHE_MAX 128

typedef struct cached_stmt {
	uint64_t hash; /* of sql, to skip most comparisons */
	char *sql;
	sqlite3_stmt *stmt;
} cached_stmt;

typedef struct conn {
	sqlite3 *db;
	cached_stmt cache[STMT_CACHE_MAX];
	int ncache;
	bool busy; /* checked out by a transaction */
} conn;

typedef struct sqlite_store {
	char *path;
	conn writer;
	conn *readers;
	int nreaders;
	pthread_mutex_t writer_lock;
	pthread_mutex_t pool_lock;
	pthread_cond_t pool_cond;
} sqlite_store;

typedef struct sqlite_tx {
	sqlite_store *store;
	conn *c;
	bool write;
} sqlite_tx;

typedef struct sqlite_rows {
	sqlite3_stmt *stmt;
} sqlite_rows;

static int db_error(sqlite3 *db, int src, vg_error *err, const char *what)
{
	int ext = sqlite3_extended_errcode(db);
	int code = VG_EIO;

	(void)src;
	if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY)
		code = VG_EEXIST;
	else if ((ext & 0xff) == SQLITE_CONSTRAINT)
		code = VG_EINVAL;
	else if ((ext & 0xff) == SQLITE_BUSY || (ext & 0xff) == SQLITE_LOCKED)
		code = VG_ELIMIT;
	else if ((ext & 0xff) == SQLITE_NOMEM)
		code = VG_ENOMEM;
	else if ((ext & 0xff) == SQLITE_CORRUPT || (ext & 0xff) == SQLITE_NOTADB)
		code = VG_ECORRUPT;
	return vg_error_set(err, code, "%s: %s", what, sqlite3_errmsg(db));
}

static int conn_open(conn *c, const char *path, bool create, bool readonly, int busy_ms,
		     vg_error *err)
{
	int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
	char *errmsg = NULL;
	int rc;

	memset(c, 0, sizeof(*c));
	flags |= readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
	if (create && !readonly)
		flags |= SQLITE_OPEN_CREATE;
	rc = sqlite3_open_v2(path, &c->db, flags, NULL);
	if (rc != SQLITE_OK) {
		vg_error_set(err, rc == SQLITE_CANTOPEN ? VG_ENOTFOUND : VG_EIO,
			     "cannot open database %s: %s", path,
			     c->db ? sqlite3_errmsg(c->db) : sqlite3_errstr(rc));
		sqlite3_close(c->db);
		c->db = NULL;
		return err ? err->code : VG_EIO;
	}
	sqlite3_busy_timeout(c->db, busy_ms);
	/* synchronous=FULL: an acknowledged write survives power loss, which the
	 * audit trail and "accepted means durable" ingest both promise. Reads
	 * go through a memory map of up to 256 MiB, shared by every connection
	 * through the page cache: a report's scan of a month of alerts then
	 * costs no read() per page (docs/decisions.md). */
	rc = sqlite3_exec(c->db,
			  readonly ? "PRAGMA foreign_keys=ON; PRAGMA mmap_size=268435456;"
				   : "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
				     "PRAGMA foreign_keys=ON; PRAGMA mmap_size=268435456;",
			  NULL, NULL, &errmsg);
	if (rc != SQLITE_OK) {
		vg_error_set(err, rc == SQLITE_NOTADB ? VG_ECORRUPT : VG_EIO,
			     "cannot configure database %s: %s", path, errmsg ? errmsg : "?");
		sqlite3_free(errmsg);
		sqlite3_close(c->db);
		c->db = NULL;
		return err ? err->code : VG_EIO;
	}
	return VG_OK;
}

static void conn_close(conn *c)
{
	for (int i = 0; i < c->ncache; i++) {
		sqlite3_finalize(c->cache[i].stmt);
		free(c->cache[i].sql);
	}
	c->ncache = 0;
	sqlite3_close(c->db);
	c->db = NULL;
}

/* FNV-1a: cheap, and good enough to tell cached statements apart. */
static uint64_t sql_hash(const char *sql)
{
	uint64_t h = 14695981039346656037ULL;

	for (; *sql; sql++)
		h = (h ^ (unsigned char)*sql) * 1099511628211ULL;
	return h;
}

/* The statement for sql, from the cache or newly prepared. The cache is
 * keyed by the text, never the pointer: callers may reuse a buffer. */
static int conn_prepare(conn *c, const char *sql, sqlite3_stmt **out, vg_error *err)
{
	uint64_t hash = sql_hash(sql);
	sqlite3_stmt *stmt;
	cached_stmt *slot;
	int rc;

	for (int i = 0; i < c->ncache; i++) {
		if (c->cache[i].hash == hash && strcmp(c->cache[i].sql, sql) == 0) {
			*out = c->cache[i].stmt;
			return VG_OK;
		}
	}
	rc = sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
	if (rc != SQLITE_OK)
		return db_error(c->db, rc, err, "prepare");
	if (c->ncache == STMT_CACHE_MAX) {
		/* Full: evict the oldest entry. */
		sqlite3_finalize(c->cache[0].stmt);
		free(c->cache[0].sql);
		memmove(&c->cache[0], &c->cache[1], sizeof(c->cache[0]) * (STMT_CACHE_MAX - 1));
		c->ncache--;
	}
	slot = &c->cache[c->ncache];
	slot->sql = strdup(sql);
	if (!slot->sql) {
		sqlite3_finalize(stmt);
		return vg_error_set(err, VG_ENOMEM, "out of memory caching a statement");
	}
	slot->hash = hash;
	slot->stmt = stmt;
	c->ncache++;
	*out = stmt;
	return VG_OK;
}

static int sqlite_open(const char *target, const vg_store_options *opts, bool create,
		       void **state, vg_error *err)
{
	int busy = opts->busy_timeout_ms > 0 ? opts->busy_timeout_ms : 5000;
	int nreaders = opts->readers > 0 ? opts->readers : 4;
	sqlite_store *s;
	int rc;

	*state = NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return vg_error_set(err, VG_ENOMEM, "out of memory opening the store");
	s->path = strdup(target);
	s->readers = calloc((size_t)nreaders, sizeof(conn));
	if (!s->path || !s->readers) {
		rc = vg_error_set(err, VG_ENOMEM, "out of memory opening the store");
		goto fail;
	}
	rc = conn_open(&s->writer, target, create, false, busy, err);
	if (rc)
		goto fail;
	for (; s->nreaders < nreaders; s->nreaders++) {
		rc = conn_open(&s->readers[s->nreaders], target, false, true, busy, err);
		if (rc)
			goto fail;
	}
	pthread_mutex_init(&s->writer_lock, NULL);
	pthread_mutex_init(&s->pool_lock, NULL);
	pthread_cond_init(&s->pool_cond, NULL);
	*state = s;
	return VG_OK;
fail:
	for (int i = 0; i < s->nreaders; i++)
		conn_close(&s->readers[i]);
	if (s->writer.db)
		conn_close(&s->writer);
	free(s->readers);
	free(s->path);
	free(s);
	return rc;
}

static void sqlite_close(void *state)
{
	sqlite_store *s = state;

	for (int i = 0; i < s->nreaders; i++)
		conn_close(&s->readers[i]);
	conn_close(&s->writer);
	pthread_mutex_destroy(&s->writer_lock);
	pthread_mutex_destroy(&s->pool_lock);
	pthread_cond_destroy(&s->pool_cond);
	free(s->readers);
	free(s->path);
	free(s);
}

/* Copies every page of src_db's main database into dst_db's. */
static int copy_database(sqlite3 *dst_db, sqlite3 *src_db, vg_error *err, const char *what)
{
	sqlite3_backup *b = sqlite3_backup_init(dst_db, "main", src_db, "main");
	int rc;

	if (!b)
		return db_error(dst_db, 0, err, what);
	do {
		rc = sqlite3_backup_step(b, 256);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(20);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE)
		return vg_error_set(err, VG_EIO, "%s: %s", what, sqlite3_errstr(rc));
	return VG_OK;
}

static int sqlite_backup(void *state, const char *path, vg_error *err)
{
	sqlite_store *s = state;
	sqlite3 *dst = NULL;
	int rc;

	rc = sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc != SQLITE_OK) {
		rc = vg_error_set(err, VG_EIO, "cannot create backup %s: %s", path,
				  dst ? sqlite3_errmsg(dst) : sqlite3_errstr(rc));
		goto out;
	}
	/* The writer lock keeps writes out so the copy is one consistent moment
	 * without restarting the backup on every concurrent commit. */
	pthread_mutex_lock(&s->writer_lock);
	rc = copy_database(dst, s->writer.db, err, "backup");
	pthread_mutex_unlock(&s->writer_lock);
out:
	sqlite3_close(dst);
	return rc;
}

static int sqlite_restore(void *state, const char *path, vg_error *err)
{
	sqlite_store *s = state;
	sqlite3 *src = NULL;
	sqlite3_stmt *st = NULL;
	int rc;

	rc = sqlite3_open_v2(path, &src, SQLITE_OPEN_READONLY, NULL);
	if (rc != SQLITE_OK) {
		rc = vg_error_set(err, VG_EIO, "cannot open backup %s: %s", path,
				  src ? sqlite3_errmsg(src) : sqlite3_errstr(rc));
		goto out;
	}
	/* Refuse anything that is not an intact Vigil store before touching ours. */
	rc = sqlite3_prepare_v2(src, "PRAGMA quick_check", -1, &st, NULL);
	if (rc != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW ||
	    strcmp((const char *)sqlite3_column_text(st, 0), "ok") != 0) {
		rc = vg_error_set(err, VG_ECORRUPT, "%s is not an intact SQLite database", path);
		goto out;
	}
	sqlite3_finalize(st);
	st = NULL;
	rc = sqlite3_prepare_v2(src, "SELECT MAX(version) FROM schema_version", -1, &st, NULL);
	if (rc != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW) {
		rc = vg_error_set(err, VG_EINVAL, "%s is not a Vigil backup (no schema_version)",
				  path);
		goto out;
	}
	pthread_mutex_lock(&s->writer_lock);
	rc = copy_database(s->writer.db, src, err, "restore");
	pthread_mutex_unlock(&s->writer_lock);
out:
	sqlite3_finalize(st);
	sqlite3_close(src);
	return rc;
}

static int sqlite_begin(void *state, bool write, void **txstate, vg_error *err)
{
	sqlite_store *s = state;
	sqlite_tx *tx;
	char *errmsg = NULL;
	int rc;

	*txstate = NULL;
	tx = calloc(1, sizeof(*tx));
	if (!tx)
		return vg_error_set(err, VG_ENOMEM, "out of memory beginning a transaction");
	tx->store = s;
	tx->write = write;
	if (write) {
		pthread_mutex_lock(&s->writer_lock);
		tx->c = &s->writer;
	} else {
		pthread_mutex_lock(&s->pool_lock);
		for (;;) {
			for (int i = 0; i < s->nreaders && !tx->c; i++)
				if (!s->readers[i].busy)
					tx->c = &s->readers[i];
			if (tx->c)
				break;
			pthread_cond_wait(&s->pool_cond, &s->pool_lock);
		}
		tx->c->busy = true;
		pthread_mutex_unlock(&s->pool_lock);
	}
	rc = sqlite3_exec(tx->c->db, write ? "BEGIN IMMEDIATE" : "BEGIN", NULL, NULL, &errmsg);
	if (rc != SQLITE_OK) {
		int code = db_error(tx->c->db, rc, err, "begin");

		sqlite3_free(errmsg);
		if (write)
			pthread_mutex_unlock(&s->writer_lock);
		else {
			pthread_mutex_lock(&s->pool_lock);
			tx->c->busy = false;
			pthread_cond_signal(&s->pool_cond);
			pthread_mutex_unlock(&s->pool_lock);
		}
		free(tx);
		return code;
	}
	*txstate = tx;
	return VG_OK;
}

static void tx_release(sqlite_tx *tx)
{
	sqlite_store *s = tx->store;

	if (tx->write) {
		pthread_mutex_unlock(&s->writer_lock);
	} else {
		pthread_mutex_lock(&s->pool_lock);
		tx->c->busy = false;
		pthread_cond_signal(&s->pool_cond);
		pthread_mutex_unlock(&s->pool_lock);
	}
	free(tx);
}

static int sqlite_commit(void *txstate, vg_error *err)
{
	sqlite_tx *tx = txstate;
	int rc = sqlite3_exec(tx->c->db, "COMMIT", NULL, NULL, NULL);

	if (rc != SQLITE_OK) {
		rc = db_error(tx->c->db, rc, err, "commit");
		sqlite3_exec(tx->c->db, "ROLLBACK", NULL, NULL, NULL);
	}
	tx_release(tx);
	return rc;
}

static void sqlite_rollback(void *txstate)
{
	sqlite_tx *tx = txstate;

	sqlite3_exec(tx->c->db, "ROLLBACK", NULL, NULL, NULL);
	tx_release(tx);
}

static int sqlite_exec_script(void *txstate, const char *sql, vg_error *err)
{
	sqlite_tx *tx = txstate;
	char *errmsg = NULL;
	int rc = sqlite3_exec(tx->c->db, sql, NULL, NULL, &errmsg);

	if (rc != SQLITE_OK) {
		rc = vg_error_set(err, VG_EIO, "%s", errmsg ? errmsg : sqlite3_errstr(rc));
		sqlite3_free(errmsg);
		return rc;
	}
	return VG_OK;
}

static int bind_params(sqlite_tx *tx, sqlite3_stmt *st, const vg_param *params, size_t n,
		       vg_error *err)
{
	int rc = SQLITE_OK;

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if ((int)n != sqlite3_bind_parameter_count(st))
		return vg_error_set(err, VG_EINVAL, "statement takes %d parameters, given %zu",
				    sqlite3_bind_parameter_count(st), n);
	for (size_t i = 0; i < n && rc == SQLITE_OK; i++) {
		const vg_param *p = &params[i];
		int idx = (int)i + 1;

		switch (p->type) {
		case VG_PARAM_NULL:
			rc = sqlite3_bind_null(st, idx);
			break;
		case VG_PARAM_INT:
			rc = sqlite3_bind_int64(st, idx, p->i);
			break;
		case VG_PARAM_TEXT:
			rc = sqlite3_bind_text64(st, idx, p->p,
						 p->len == SIZE_MAX ? strlen(p->p) : p->len,
						 SQLITE_TRANSIENT, SQLITE_UTF8);
			break;
		case VG_PARAM_BLOB:
			rc = sqlite3_bind_blob64(st, idx, p->p ? p->p : "", p->len,
						 SQLITE_TRANSIENT);
			break;
		}
	}
	if (rc != SQLITE_OK)
		return db_error(tx->c->db, rc, err, "bind");
	return VG_OK;
}

static int sqlite_exec(void *txstate, const char *sql, const vg_param *params, size_t n,
		       int64_t *changes, vg_error *err)
{
	sqlite_tx *tx = txstate;
	sqlite3_stmt *st;
	int rc;

	rc = conn_prepare(tx->c, sql, &st, err);
	if (rc)
		return rc;
	rc = bind_params(tx, st, params, n, err);
	if (rc)
		return rc;
	rc = sqlite3_step(st);
	while (rc == SQLITE_ROW)
		rc = sqlite3_step(st);
	if (rc != SQLITE_DONE) {
		rc = db_error(tx->c->db, rc, err, "exec");
		sqlite3_reset(st);
		return rc;
	}
	if (changes)
		*changes = sqlite3_changes64(tx->c->db);
	sqlite3_reset(st);
	return VG_OK;
}

static int sqlite_query(void *txstate, const char *sql, const vg_param *params, size_t n,
			void **rowsstate, vg_error *err)
{
	sqlite_tx *tx = txstate;
	sqlite_rows *r;
	sqlite3_stmt *st;
	int rc;

	*rowsstate = NULL;
	rc = conn_prepare(tx->c, sql, &st, err);
	if (rc)
		return rc;
	rc = bind_params(tx, st, params, n, err);
	if (rc)
		return rc;
	r = malloc(sizeof(*r));
	if (!r)
		return vg_error_set(err, VG_ENOMEM, "out of memory running a query");
	r->stmt = st;
	*rowsstate = r;
	return VG_OK;
}

static int sqlite_next(void *rowsstate, vg_error *err)
{
	sqlite_rows *r = rowsstate;
	int rc = sqlite3_step(r->stmt);

	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return db_error(sqlite3_db_handle(r->stmt), rc, err, "query");
}

static bool sqlite_is_null(void *rowsstate, int col)
{
	return sqlite3_column_type(((sqlite_rows *)rowsstate)->stmt, col) == SQLITE_NULL;
}

static int64_t sqlite_col_int(void *rowsstate, int col)
{
	return sqlite3_column_int64(((sqlite_rows *)rowsstate)->stmt, col);
}

static const char *sqlite_col_text(void *rowsstate, int col)
{
	return (const char *)sqlite3_column_text(((sqlite_rows *)rowsstate)->stmt, col);
}

static const void *sqlite_col_blob(void *rowsstate, int col, size_t *len)
{
	sqlite3_stmt *st = ((sqlite_rows *)rowsstate)->stmt;
	const void *p = sqlite3_column_blob(st, col);

	*len = (size_t)sqlite3_column_bytes(st, col);
	return p;
}

static void sqlite_rows_free(void *rowsstate)
{
	sqlite_rows *r = rowsstate;

	sqlite3_reset(r->stmt);
	free(r);
}

extern const vg_migration vg__sqlite_migrations[];

const vg_store_backend_ops vg__store_sqlite = {
	.name = "sqlite",
	.url_prefix = "sqlite:",
	.migrations = vg__sqlite_migrations,
	.open = sqlite_open,
	.close = sqlite_close,
	.backup = sqlite_backup,
	.restore = sqlite_restore,
	.begin = sqlite_begin,
	.commit = sqlite_commit,
	.rollback = sqlite_rollback,
	.exec_script = sqlite_exec_script,
	.exec = sqlite_exec,
	.query = sqlite_query,
	.next = sqlite_next,
	.is_null = sqlite_is_null,
	.col_int = sqlite_col_int,
	.col_text = sqlite_col_text,
	.col_blob = sqlite_col_blob,
	.rows_free = sqlite_rows_free,
};
