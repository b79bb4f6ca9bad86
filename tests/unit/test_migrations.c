/* test_migrations.c - schema versions: fresh store to latest, re-running
 * is a no-op, and a store newer than the binary is refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "testutil.h"

static void fresh_store_migrates_to_latest_once(void **state)
{
	static const char *const tables[] = { "tenants", "users", "sessions", "api_tokens",
					      "login_failures", "audit_log", "schema_version" };
	test_store t;
	vg_error err = { 0 };
	int from, to, version;
	vg_tx *tx;

	(void)state;
	assert_int_equal(test_store_open(&t), 0);
	assert_int_equal(vg_store_schema_version(t.store, &version, &err), VG_OK);
	assert_int_equal(version, vg_store_schema_latest());
	assert_true(vg_store_schema_latest() >= 1);
	/* Re-running applies nothing and records nothing. */
	assert_int_equal(vg_store_migrate(t.store, &from, &to, &err), VG_OK);
	assert_int_equal(from, vg_store_schema_latest());
	assert_int_equal(to, vg_store_schema_latest());
	assert_int_equal(vg_tx_begin(t.store, false, &tx, &err), VG_OK);
	{
		int64_t rows, triggers;

		assert_int_equal(vg_tx_query_int(tx, "SELECT COUNT(*) FROM schema_version",
						 VG_NO_PARAMS, &rows, &err), VG_OK);
		assert_int_equal(rows, vg_store_schema_latest());
		assert_int_equal(vg_tx_query_int(tx,
						 "SELECT COUNT(*) FROM sqlite_master WHERE type = "
						 "'trigger' AND name IN ('audit_log_no_update', "
						 "'audit_log_no_delete')",
						 VG_NO_PARAMS, &triggers, &err), VG_OK);
		assert_int_equal(triggers, 2);
	}
	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		int64_t n;

		assert_int_equal(vg_tx_query_int(tx,
						 "SELECT COUNT(*) FROM sqlite_master WHERE type = "
						 "'table' AND name = ?",
						 VG_PARAMS(VG_P_TEXT(tables[i])), &n, &err), VG_OK);
		assert_int_equal(n, 1);
	}
	vg_tx_rollback(tx);
	test_store_close(&t);
}

static void empty_store_is_version_zero(void **state)
{
	test_store t;
	vg_error err = { 0 };
	int version, from, to;

	(void)state;
	snprintf(t.dir, sizeof(t.dir), "/tmp/vigil-test-XXXXXX");
	assert_non_null(mkdtemp(t.dir));
	snprintf(t.path, sizeof(t.path), "%s/vigil.db", t.dir);
	snprintf(t.url, sizeof(t.url), "sqlite:%s", t.path);
	assert_int_equal(vg_store_open(t.url, NULL, true, &t.store, &err), VG_OK);
	assert_int_equal(vg_store_schema_version(t.store, &version, &err), VG_OK);
	assert_int_equal(version, 0);
	assert_int_equal(vg_store_migrate(t.store, &from, &to, &err), VG_OK);
	assert_int_equal(from, 0);
	assert_int_equal(to, vg_store_schema_latest());
	test_store_close(&t);
}

static void newer_store_is_refused(void **state)
{
	test_store t;
	vg_error err = { 0 };
	char expected[200];

	(void)state;
	assert_int_equal(test_store_open(&t), 0);
	assert_int_equal(test_exec(t.store, "INSERT INTO schema_version VALUES (999, 'future', 0)"),
			 0);
	assert_int_equal(vg_store_migrate(t.store, NULL, NULL, &err), VG_EINVAL);
	snprintf(expected, sizeof(expected),
		 "the store is at schema version 999, newer than this binary's %d; upgrade vigil",
		 vg_store_schema_latest());
	assert_string_equal(err.msg, expected);
	test_store_close(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fresh_store_migrates_to_latest_once),
		cmocka_unit_test(empty_store_is_version_zero),
		cmocka_unit_test(newer_store_is_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
