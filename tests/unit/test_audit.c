/* test_audit.c - the hash chain: intact, and every kind of tampering named. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <string.h>

#include "audit/audit.h"
#include "testutil.h"

static int setup(void **state)
{
	test_store *t = calloc(1, sizeof(*t));
	vg_ctx ctx = vg_ctx_system();
	vg_error err = { 0 };
	vg_tx *tx;

	*state = t;
	if (test_store_open(t) || vg_tx_begin(t->store, true, &tx, &err))
		return -1;
	for (int i = 1; i <= 5; i++) {
		char object[32];

		snprintf(object, sizeof(object), "tenant:%d", i);
		if (vg_audit_append(tx, &ctx,
				    &(vg_audit_entry){ .action = "tenant.create", .object = object,
						       .outcome = "ok", .detail = "from a test",
						       .tenant_id = i },
				    &err))
			return -1;
	}
	return vg_tx_commit(tx, &err);
}

static int teardown(void **state)
{
	test_store_close(*state);
	free(*state);
	return 0;
}

/* Changes the database behind the store's back, as an attacker would. */
static void raw_sql(test_store *t, const char *sql, bool drop_triggers)
{
	sqlite3 *db;

	assert_int_equal(sqlite3_open(t->path, &db), SQLITE_OK);
	if (drop_triggers)
		assert_int_equal(sqlite3_exec(db, "DROP TRIGGER audit_log_no_update; "
						  "DROP TRIGGER audit_log_no_delete;",
					      NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static void verify(test_store *t, int want_rc, int64_t want_rows, int64_t want_bad,
		   const char *want_msg)
{
	int64_t rows, bad;
	vg_error err = { 0 };

	assert_int_equal(vg_audit_verify(t->store, &rows, &bad, &err), want_rc);
	assert_int_equal(rows, want_rows);
	assert_int_equal(bad, want_bad);
	if (want_msg)
		assert_string_equal(err.msg, want_msg);
}

static void intact_chain_verifies(void **state)
{
	verify(*state, VG_OK, 5, 0, NULL);
}

static void chain_links_each_row_to_the_last(void **state)
{
	test_store *t = *state;
	vg_error err = { 0 };
	vg_rows *r;
	vg_tx *tx;
	char prev[65] = "0000000000000000000000000000000000000000000000000000000000000000";

	assert_int_equal(vg_tx_begin(t->store, false, &tx, &err), VG_OK);
	assert_int_equal(vg_tx_query(tx, "SELECT prev_hash, hash, actor, source FROM audit_log "
					 "ORDER BY id", VG_NO_PARAMS, &r, &err), VG_OK);
	while (vg_rows_next(r, &err) == 1) {
		assert_string_equal(vg_rows_text(r, 0), prev);
		assert_int_equal(strlen(vg_rows_text(r, 1)), 64);
		assert_string_equal(vg_rows_text(r, 2), "system");
		assert_string_equal(vg_rows_text(r, 3), "cli");
		snprintf(prev, sizeof(prev), "%s", vg_rows_text(r, 1));
	}
	vg_rows_free(r);
	vg_tx_rollback(tx);
}

static void triggers_refuse_update_and_delete(void **state)
{
	test_store *t = *state;
	sqlite3 *db;
	char *msg = NULL;

	assert_int_equal(sqlite3_open(t->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "UPDATE audit_log SET outcome = 'x'", NULL, NULL, &msg),
			 SQLITE_CONSTRAINT);
	assert_string_equal(msg, "audit_log is append-only");
	sqlite3_free(msg);
	assert_int_equal(sqlite3_exec(db, "DELETE FROM audit_log", NULL, NULL, &msg),
			 SQLITE_CONSTRAINT);
	sqlite3_free(msg);
	sqlite3_close(db);
	verify(t, VG_OK, 5, 0, NULL);
}

static void changed_row_is_named(void **state)
{
	raw_sql(*state, "UPDATE audit_log SET detail = 'edited' WHERE id = 3", true);
	verify(*state, VG_ECORRUPT, 0, 3,
	       "audit row 3: content does not match its hash (row changed)");
}

static void changed_actor_is_named(void **state)
{
	raw_sql(*state, "UPDATE audit_log SET actor = 'someone-else' WHERE id = 1", true);
	verify(*state, VG_ECORRUPT, 0, 1,
	       "audit row 1: content does not match its hash (row changed)");
}

static void deleted_row_is_named_by_its_successor(void **state)
{
	raw_sql(*state, "DELETE FROM audit_log WHERE id = 2", true);
	verify(*state, VG_ECORRUPT, 0, 3,
	       "audit row 3: chain broken before this row (a row was inserted or deleted)");
}

static void inserted_row_with_copied_hashes_is_named(void **state)
{
	raw_sql(*state,
		"INSERT INTO audit_log SELECT 6, at, actor, actor_id, tenant_id, action, 'tenant:99', "
		"source, outcome, detail, hash, hash FROM audit_log WHERE id = 5",
		false);
	verify(*state, VG_ECORRUPT, 0, 6,
	       "audit row 6: content does not match its hash (row changed)");
}

static void rehashed_middle_row_breaks_the_next_link(void **state)
{
	test_store *t = *state;

	/* Rewriting a row together with its own hash still breaks the link the
	 * next row holds. */
	raw_sql(t, "UPDATE audit_log SET hash = 'ffff' WHERE id = 2", true);
	verify(t, VG_ECORRUPT, 0, 2,
	       "audit row 2: content does not match its hash (row changed)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(intact_chain_verifies, setup, teardown),
		cmocka_unit_test_setup_teardown(chain_links_each_row_to_the_last, setup, teardown),
		cmocka_unit_test_setup_teardown(triggers_refuse_update_and_delete, setup, teardown),
		cmocka_unit_test_setup_teardown(changed_row_is_named, setup, teardown),
		cmocka_unit_test_setup_teardown(changed_actor_is_named, setup, teardown),
		cmocka_unit_test_setup_teardown(deleted_row_is_named_by_its_successor, setup,
						teardown),
		cmocka_unit_test_setup_teardown(inserted_row_with_copied_hashes_is_named, setup,
						teardown),
		cmocka_unit_test_setup_teardown(rehashed_middle_row_breaks_the_next_link, setup,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
