/* test_store.c - the store interface over the SQLite backend: transactions,
 * typed rows, constraint errors, concurrent readers, backup and restore. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

static int setup(void **state)
{
	test_store *t = calloc(1, sizeof(*t));

	*state = t;
	return test_store_open(t);
}

static int teardown(void **state)
{
	test_store_close(*state);
	free(*state);
	return 0;
}

static int insert_tenant(vg_store *s, const char *name, int64_t *id, vg_error *err)
{
	vg_tx *tx;
	int rc = vg_tx_begin(s, true, &tx, err);

	if (rc)
		return rc;
	rc = vg_tx_query_int(tx,
			     "INSERT INTO tenants (name, edition, contract_start, contract_end, "
			     "created_at, updated_at) VALUES (?, 'enterprise', '2026-01-01', "
			     "'2026-12-31', 1, 1) RETURNING id",
			     VG_PARAMS(VG_P_TEXT(name)), id, err);
	if (rc) {
		vg_tx_rollback(tx);
		return rc;
	}
	return vg_tx_commit(tx, err);
}

static void commit_is_visible_rollback_is_not(void **state)
{
	test_store *t = *state;
	vg_error err = { 0 };
	int64_t id, count;
	vg_tx *tx;

	assert_int_equal(insert_tenant(t->store, "Kept", &id, &err), VG_OK);
	assert_int_equal(id, 1);
	assert_int_equal(vg_tx_begin(t->store, true, &tx, &err), VG_OK);
	assert_int_equal(vg_tx_exec(tx, "DELETE FROM tenants", VG_NO_PARAMS, &count, &err), VG_OK);
	assert_int_equal(count, 1);
	vg_tx_rollback(tx);
	assert_int_equal(vg_tx_begin(t->store, false, &tx, &err), VG_OK);
	assert_int_equal(vg_tx_query_int(tx, "SELECT COUNT(*) FROM tenants", VG_NO_PARAMS, &count,
					 &err), VG_OK);
	assert_int_equal(count, 1);
	vg_tx_rollback(tx);
}

static void open_create_reopen_and_schema_version(void **state)
{
	test_store *t = *state;
	vg_error err = { 0 };
	int version;
	vg_store *again;

	(void)state;
	assert_string_equal(vg_store_backend(t->store), "sqlite");
	assert_int_equal(vg_store_schema_version(t->store, &version, &err), VG_OK);
	assert_int_equal(version, vg_store_schema_latest());
	/* Without create, an existing store opens (a second handle on it). */
	assert_int_equal(vg_store_open(t->url, NULL, false, &again, &err), VG_OK);
	assert_int_equal(vg_store_schema_version(again, &version, &err), VG_OK);
	assert_int_equal(version, vg_store_schema_latest());
	vg_store_close(again);
}

/* A write is invisible to readers until it commits, and a read transaction
 * keeps the snapshot it started with. */
static void uncommitted_writes_are_invisible(void **state)
{
	test_store *t = *state;
	vg_error err = { 0 };
	vg_tx *w, *before, *after;
	int64_t count;

	assert_int_equal(vg_tx_begin(t->store, true, &w, &err), VG_OK);
	assert_int_equal(vg_tx_exec(w,
				    "INSERT INTO tenants (name, edition, contract_start, "
				    "contract_end, created_at, updated_at) VALUES ('Pending', "
				    "'enterprise', '2026-01-01', '2026-12-31', 1, 1)",
				    VG_NO_PARAMS, &count, &err),
			 VG_OK);
	assert_int_equal(count, 1);
	assert_int_equal(vg_tx_query_int(w, "SELECT COUNT(*) FROM tenants", VG_NO_PARAMS, &count,
					 &err), VG_OK);
	assert_int_equal(count, 1);
	assert_int_equal(vg_tx_begin(t->store, false, &before, &err), VG_OK);
	assert_int_equal(vg_tx_query_int(before, "SELECT COUNT(*) FROM tenants", VG_NO_PARAMS,
					 &count, &err), VG_OK);
	assert_int_equal(count, 0);
	assert_int_equal(vg_tx_commit(w, &err), VG_OK);
	assert_int_equal(vg_tx_query_int(before, "SELECT COUNT(*) FROM tenants", VG_NO_PARAMS,
					 &count, &err), VG_OK);
	assert_int_equal(count, 0);
	vg_tx_rollback(before);
	assert_int_equal(vg_tx_begin(t->store, false, &after, &err), VG_OK);
	assert_int_equal(vg_tx_query_int(after, "SELECT COUNT(*) FROM tenants", VG_NO_PARAMS,
					 &count, &err), VG_OK);
	assert_int_equal(count, 1);
	vg_tx_rollback(after);
}

static void rows_carry_every_type(void **state)
{
	test_store *t = *state;
	vg_error err = { 0 };
	const void *blob;
	size_t len;
	vg_rows *r;
	vg_tx *tx;

	assert_int_equal(vg_tx_begin(t->store, false, &tx, &err), VG_OK);
	assert_int_equal(vg_tx_query(tx, "SELECT ?, ?, ?, ?",
				     VG_PARAMS(VG_P_INT(-42), VG_P_TEXT("云安全"), VG_P_NULL,
					       VG_P_BLOB("\0\1\2", 3)),
				     &r, &err), VG_OK);
	assert_int_equal(vg_rows_next(r, &err), 1);
	assert_int_equal(vg_rows_int(r, 0), -42);
	assert_string_equal(vg_rows_text(r, 1), "云安全");
	assert_true(vg_rows_is_null(r, 2));
	assert_null(vg_rows_text(r, 2));
	blob = vg_rows_blob(r, 3, &len);
	assert_int_equal(len, 3);
	assert_memory_equal(blob, "\0\1\2", 3);
	assert_int_equal(vg_rows_next(r, &err), 0);
	vg_rows_free(r);
	vg_tx_rollback(tx);
}

static void constraint_violations_map_to_codes(void **state)
{
	test_store *t = *state;
	vg_error err = { 0 };
	int64_t id;
	vg_tx *tx;

	assert_int_equal(insert_tenant(t->store, "Twice", &id, &err), VG_OK);
	assert_int_equal(insert_tenant(t->store, "Twice", &id, &err), VG_EEXIST);
	assert_string_equal(err.msg, "query: UNIQUE constraint failed: tenants.name");
	assert_int_equal(vg_tx_begin(t->store, true, &tx, &err), VG_OK);
	assert_int_equal(vg_tx_exec(tx,
				    "INSERT INTO tenants (name, edition, contract_start, contract_end, "
				    "created_at, updated_at) VALUES ('X', 'gold', '2026-01-01', "
				    "'2026-12-31', 1, 1)", VG_NO_PARAMS, NULL, &err), VG_EINVAL);
	assert_string_equal(err.msg, "exec: CHECK constraint failed: edition IN ('professional', "
			    "'enterprise')");
	assert_int_equal(vg_tx_exec(tx, "SELECT ?", VG_NO_PARAMS, NULL, &err), VG_EINVAL);
	assert_string_equal(err.msg, "statement takes 1 parameters, given 0");
	assert_int_equal(vg_tx_exec(tx, "SELEKT 1", VG_NO_PARAMS, NULL, &err), VG_EIO);
	assert_non_null(strstr(err.msg, "prepare: near \"SELEKT\""));
	vg_tx_rollback(tx);
	assert_int_equal(vg_tx_begin(t->store, false, &tx, &err), VG_OK);
	assert_int_equal(vg_tx_query_int(tx, "SELECT id FROM tenants WHERE name = 'none'",
					 VG_NO_PARAMS, &id, &err), VG_ENOTFOUND);
	vg_tx_rollback(tx);
}

typedef struct reader_arg {
	vg_store *store;
	int reads;
	int failures;
	int went_back; /* reads that saw fewer rows than an earlier read */
	int64_t last;
} reader_arg;

static void *reader(void *p)
{
	reader_arg *a = p;

	for (int i = 0; i < 200; i++) {
		vg_error err = { 0 };
		int64_t n;
		vg_tx *tx = NULL;

		if (vg_tx_begin(a->store, false, &tx, &err) ||
		    vg_tx_query_int(tx, "SELECT COUNT(*) FROM tenants", VG_NO_PARAMS, &n, &err)) {
			a->failures++;
		} else {
			a->reads++;
			a->went_back += n < a->last;
			a->last = n;
		}
		vg_tx_rollback(tx);
	}
	return NULL;
}

static void readers_run_beside_the_writer(void **state)
{
	test_store *t = *state;
	reader_arg args[6];
	pthread_t threads[6];
	vg_error err = { 0 };
	int64_t id, count;
	vg_tx *tx;

	for (int i = 0; i < 6; i++) {
		args[i] = (reader_arg){ .store = t->store };
		pthread_create(&threads[i], NULL, reader, &args[i]);
	}
	for (int i = 0; i < 50; i++) {
		char name[32];

		snprintf(name, sizeof(name), "Concurrent %d", i);
		assert_int_equal(insert_tenant(t->store, name, &id, &err), VG_OK);
	}
	for (int i = 0; i < 6; i++) {
		pthread_join(threads[i], NULL);
		assert_int_equal(args[i].failures, 0);
		assert_int_equal(args[i].reads, 200);
		assert_int_equal(args[i].went_back, 0);
		assert_true(args[i].last <= 50);
	}
	assert_int_equal(vg_tx_begin(t->store, false, &tx, &err), VG_OK);
	assert_int_equal(vg_tx_query_int(tx, "SELECT COUNT(*) FROM tenants", VG_NO_PARAMS, &count,
					 &err), VG_OK);
	assert_int_equal(count, 50);
	vg_tx_rollback(tx);
}

static void backup_then_restore_round_trip(void **state)
{
	test_store *t = *state;
	char backup[PATH_MAX], garbage[PATH_MAX], expected[PATH_MAX + 64];
	vg_error err = { 0 };
	int64_t id, count;
	vg_tx *tx;
	FILE *f;

	assert_int_equal(insert_tenant(t->store, "In Backup", &id, &err), VG_OK);
	snprintf(backup, sizeof(backup), "%s/backup.db", t->dir);
	assert_int_equal(vg_store_backup(t->store, backup, &err), VG_OK);
	assert_int_equal(insert_tenant(t->store, "After Backup", &id, &err), VG_OK);
	assert_int_equal(vg_store_restore(t->store, backup, &err), VG_OK);
	assert_int_equal(vg_tx_begin(t->store, false, &tx, &err), VG_OK);
	assert_int_equal(vg_tx_query_int(tx, "SELECT COUNT(*) FROM tenants WHERE name = 'In Backup'",
					 VG_NO_PARAMS, &count, &err), VG_OK);
	assert_int_equal(count, 1);
	assert_int_equal(vg_tx_query_int(tx, "SELECT COUNT(*) FROM tenants", VG_NO_PARAMS, &count,
					 &err), VG_OK);
	assert_int_equal(count, 1);
	vg_tx_rollback(tx);

	snprintf(garbage, sizeof(garbage), "%s/garbage.db", t->dir);
	f = fopen(garbage, "w");
	fputs("not a database, not even close, just words in a file", f);
	fclose(f);
	assert_int_equal(vg_store_restore(t->store, garbage, &err), VG_ECORRUPT);
	snprintf(expected, sizeof(expected), "%s is not an intact SQLite database", garbage);
	assert_string_equal(err.msg, expected);
}

static void backup_restores_into_another_store(void **state)
{
	test_store *t = *state, other;
	char backup[PATH_MAX];
	vg_error err = { 0 };
	int64_t id, count;
	int version;
	vg_tx *tx;

	assert_int_equal(insert_tenant(t->store, "Moved", &id, &err), VG_OK);
	snprintf(backup, sizeof(backup), "%s/backup.db", t->dir);
	assert_int_equal(vg_store_backup(t->store, backup, &err), VG_OK);
	assert_int_equal(test_store_open(&other), 0);
	assert_int_equal(insert_tenant(other.store, "Overwritten", &id, &err), VG_OK);
	assert_int_equal(vg_store_restore(other.store, backup, &err), VG_OK);
	assert_int_equal(vg_store_schema_version(other.store, &version, &err), VG_OK);
	assert_int_equal(version, vg_store_schema_latest());
	assert_int_equal(vg_tx_begin(other.store, false, &tx, &err), VG_OK);
	assert_int_equal(vg_tx_query_int(tx, "SELECT COUNT(*) FROM tenants WHERE name = 'Moved'",
					 VG_NO_PARAMS, &count, &err), VG_OK);
	assert_int_equal(count, 1);
	assert_int_equal(vg_tx_query_int(tx, "SELECT COUNT(*) FROM tenants", VG_NO_PARAMS, &count,
					 &err), VG_OK);
	assert_int_equal(count, 1);
	vg_tx_rollback(tx);
	/* The restored store takes writes again. */
	assert_int_equal(insert_tenant(other.store, "After Restore", &id, &err), VG_OK);
	test_store_close(&other);
}

static void restore_refuses_a_sqlite_file_that_is_not_vigil(void **state)
{
	test_store *t = *state, other;
	char expected[PATH_MAX + 64];
	vg_error err = { 0 };

	assert_int_equal(test_store_open(&other), 0);
	assert_int_equal(test_exec(other.store, "DROP TABLE schema_version"), 0);
	assert_int_equal(vg_store_restore(t->store, other.path, &err), VG_EINVAL);
	snprintf(expected, sizeof(expected), "%s is not a Vigil backup (no schema_version)",
		 other.path);
	assert_string_equal(err.msg, expected);
	test_store_close(&other);
}

static void statements_are_cached_by_text_not_pointer(void **state)
{
	test_store *t = *state;
	vg_error err = { 0 };
	char sql[64];
	int64_t v;
	vg_tx *tx;

	assert_int_equal(vg_tx_begin(t->store, false, &tx, &err), VG_OK);
	for (int i = 1; i <= 3; i++) {
		snprintf(sql, sizeof(sql), "SELECT %d", i * 10);
		assert_int_equal(vg_tx_query_int(tx, sql, VG_NO_PARAMS, &v, &err), VG_OK);
		assert_int_equal(v, i * 10);
	}
	vg_tx_rollback(tx);
}

static void unknown_backend_and_missing_file(void **state)
{
	vg_error err = { 0 };
	vg_store *s;

	(void)state;
	assert_int_equal(vg_store_open("mysql://x", NULL, false, &s, &err), VG_EINVAL);
	assert_string_equal(err.msg,
			    "store URL \"mysql://x\" names no known backend (use sqlite:PATH)");
	assert_int_equal(vg_store_open("sqlite:/nonexistent/dir/v.db", NULL, false, &s, &err),
			 VG_ENOTFOUND);
	assert_null(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(open_create_reopen_and_schema_version, setup,
						teardown),
		cmocka_unit_test_setup_teardown(commit_is_visible_rollback_is_not, setup, teardown),
		cmocka_unit_test_setup_teardown(uncommitted_writes_are_invisible, setup, teardown),
		cmocka_unit_test_setup_teardown(rows_carry_every_type, setup, teardown),
		cmocka_unit_test_setup_teardown(constraint_violations_map_to_codes, setup, teardown),
		cmocka_unit_test_setup_teardown(readers_run_beside_the_writer, setup, teardown),
		cmocka_unit_test_setup_teardown(backup_then_restore_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(backup_restores_into_another_store, setup, teardown),
		cmocka_unit_test_setup_teardown(restore_refuses_a_sqlite_file_that_is_not_vigil, setup,
						teardown),
		cmocka_unit_test_setup_teardown(statements_are_cached_by_text_not_pointer, setup,
						teardown),
		cmocka_unit_test(unknown_backend_and_missing_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
