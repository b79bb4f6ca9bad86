/*
 * testutil.h - what several unit tests share: a fresh, migrated SQLite
 * store in a temporary directory. Header-only so each test stays one file
 * of its own.
 */
#ifndef VG_TESTS_TESTUTIL_H
#define VG_TESTS_TESTUTIL_H

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/crypto.h"
#include "store/store.h"

typedef struct test_store {
	char dir[64];
	char path[PATH_MAX];
	char url[PATH_MAX + 8];
	vg_store *store;
} test_store;

/* Creates DIR/vigil.db in a new temporary directory and migrates it. */
static inline int test_store_open(test_store *t)
{
	vg_error err = { 0 };

	snprintf(t->dir, sizeof(t->dir), "/tmp/vigil-test-XXXXXX");
	if (!mkdtemp(t->dir) || vg_crypto_init(&err))
		return -1;
	snprintf(t->path, sizeof(t->path), "%s/vigil.db", t->dir);
	snprintf(t->url, sizeof(t->url), "sqlite:%s", t->path);
	if (vg_store_open(t->url, NULL, true, &t->store, &err) ||
	    vg_store_migrate(t->store, NULL, NULL, &err)) {
		fprintf(stderr, "test store: %s\n", err.msg);
		return -1;
	}
	return 0;
}

static inline void test_store_close(test_store *t)
{
	char cmd[128];

	vg_store_close(t->store);
	t->store = NULL;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", t->dir);
}

/* Runs one statement in its own write transaction; aborts the test on error. */
static inline int test_exec(vg_store *s, const char *sql)
{
	vg_error err = { 0 };
	vg_tx *tx;
	int rc = vg_tx_begin(s, true, &tx, &err);

	if (!rc)
		rc = vg_tx_exec(tx, sql, NULL, 0, NULL, &err);
	if (!rc)
		rc = vg_tx_commit(tx, &err);
	else
		vg_tx_rollback(tx);
	if (rc)
		fprintf(stderr, "%s: %s\n", sql, err.msg);
	return rc;
}

#endif
