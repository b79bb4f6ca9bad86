/* test_audit.c - the hash chain: intact, and every kind of tampering named. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <string.h>

#include "audit/audit.h"
#include "core/crypto.h"
#include "testutil.h"

#define ZEROS "0000000000000000000000000000000000000000000000000000000000000000"

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
	assert_int_equal(sqlite3_exec(db, "DELETE FROM audit_log WHERE id = 3", NULL, NULL, &msg),
			 SQLITE_CONSTRAINT);
	assert_string_equal(msg, "audit_log is append-only");
	sqlite3_free(msg);
	sqlite3_close(db);
	verify(t, VG_OK, 5, 0, NULL);
}

/* The canonical content documented in audit.h, written out independently:
 * a verifier outside Vigil could be built from that description. */
static void hash_is_sha256_of_prev_and_length_prefixed_fields(void **state)
{
	test_store *t = *state;
	char content[512], want[VG_SHA256_HEX_LEN], at[24];
	vg_error err = { 0 };
	vg_rows *r;
	vg_tx *tx;

	assert_int_equal(vg_tx_begin(t->store, false, &tx, &err), VG_OK);
	assert_int_equal(vg_tx_query(tx, "SELECT at, hash FROM audit_log WHERE id = 2",
				     VG_NO_PARAMS, &r, &err), VG_OK);
	assert_int_equal(vg_rows_next(r, &err), 1);
	snprintf(at, sizeof(at), "%lld", (long long)vg_rows_int(r, 0));
	/* id 2, at, actor "system", actor_id NULL, tenant 2, action, object,
	 * source, outcome, detail; prev_hash is row 1's hash. */
	snprintf(content, sizeof(content), "1:2%zu:%s6:system0:1:213:tenant.create8:tenant:2"
		 "3:cli2:ok11:from a test", strlen(at), at);
	vg_rows_free(r);
	{
		char prev[VG_SHA256_HEX_LEN], buf[600];

		assert_int_equal(vg_tx_query(tx, "SELECT hash FROM audit_log WHERE id = 1",
					     VG_NO_PARAMS, &r, &err), VG_OK);
		assert_int_equal(vg_rows_next(r, &err), 1);
		snprintf(prev, sizeof(prev), "%s", vg_rows_text(r, 0));
		vg_rows_free(r);
		snprintf(buf, sizeof(buf), "%s%s", prev, content);
		vg_sha256_hex(buf, strlen(buf), want);
	}
	assert_int_equal(vg_tx_query(tx, "SELECT hash FROM audit_log WHERE id = 2", VG_NO_PARAMS,
				     &r, &err), VG_OK);
	assert_int_equal(vg_rows_next(r, &err), 1);
	assert_string_equal(vg_rows_text(r, 0), want);
	vg_rows_free(r);
	vg_tx_rollback(tx);
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

/* A forged row whose own hash is right (computed as audit.h describes)
 * still cannot be slipped in: the row after it holds the old link. */
static void well_hashed_forged_row_is_named_by_its_successor(void **state)
{
	test_store *t = *state;
	char content[256], buf[512], hash[VG_SHA256_HEX_LEN], sql[512];

	snprintf(content, sizeof(content), "1:01:56:mallet0:0:13:tenant.delete8:tenant:1"
		 "3:cli2:ok0:");
	snprintf(buf, sizeof(buf), "%s%s", ZEROS, content);
	vg_sha256_hex(buf, strlen(buf), hash);
	snprintf(sql, sizeof(sql),
		 "INSERT INTO audit_log VALUES (0, 5, 'mallet', NULL, NULL, 'tenant.delete', "
		 "'tenant:1', 'cli', 'ok', '', '%s', '%s')", ZEROS, hash);
	raw_sql(t, sql, false);
	verify(t, VG_ECORRUPT, 0, 1,
	       "audit row 1: chain broken before this row (a row was inserted or deleted)");
}

static void null_id_changed_to_zero_is_named(void **state)
{
	raw_sql(*state, "UPDATE audit_log SET actor_id = 0 WHERE id = 4", true);
	verify(*state, VG_ECORRUPT, 0, 4,
	       "audit row 4: content does not match its hash (row changed)");
}

static void empty_trail_is_intact(void **state)
{
	test_store t;

	(void)state;
	assert_int_equal(test_store_open(&t), 0);
	verify(&t, VG_OK, 0, 0, NULL);
	test_store_close(&t);
}

static void rolled_back_append_leaves_no_row(void **state)
{
	test_store *t = *state;
	vg_ctx ctx = vg_ctx_system();
	vg_error err = { 0 };
	vg_tx *tx;

	assert_int_equal(vg_tx_begin(t->store, true, &tx, &err), VG_OK);
	assert_int_equal(vg_audit_append(tx, &ctx,
					 &(vg_audit_entry){ .action = "x.y", .outcome = "ok" },
					 &err),
			 VG_OK);
	assert_int_equal(vg_audit_append(tx, &ctx, &(vg_audit_entry){ .action = "x.y" }, &err),
			 VG_EINVAL);
	assert_string_equal(err.msg, "an audit row needs an action and an outcome");
	vg_tx_rollback(tx);
	verify(t, VG_OK, 5, 0, NULL);
}

/* Lists the trail as ctx with filter and returns the ids listed. */
static size_t list_ids(test_store *t, const vg_ctx *ctx, vg_audit_filter filter, int64_t *ids,
		       int64_t *last, int want_rc)
{
	vg_error err = { 0 };
	json_t *items, *row;
	size_t i;
	vg_tx *tx;
	int rc;

	assert_int_equal(vg_tx_begin(t->store, false, &tx, &err), VG_OK);
	rc = vg_audit_list(tx, ctx, &filter, &items, last, &err);
	vg_tx_rollback(tx);
	assert_int_equal(rc, want_rc);
	if (rc) {
		assert_null(items);
		assert_string_equal(err.msg, "no such tenant");
		return 0;
	}
	json_array_foreach(items, i, row)
		ids[i] = json_integer_value(json_object_get(row, "id"));
	i = json_array_size(items);
	json_decref(items);
	return i;
}

static void list_is_newest_first_filtered_and_scoped(void **state)
{
	test_store *t = *state;
	vg_ctx system = vg_ctx_system(), customer = system;
	vg_error err = { 0 };
	int64_t ids[10], last;
	json_t *items, *row;
	vg_tx *tx;

	customer.tenant_id = 2;
	customer.role = VG_ROLE_CUSTOMER_ADMIN;
	assert_int_equal(list_ids(t, &system, (vg_audit_filter){ .limit = 3 }, ids, &last, 0), 3);
	assert_int_equal(ids[0], 5);
	assert_int_equal(ids[2], 3);
	assert_int_equal(last, 3);
	assert_int_equal(list_ids(t, &system, (vg_audit_filter){ .limit = 3, .before_id = last },
				  ids, &last, 0),
			 2);
	assert_int_equal(ids[0], 2);
	assert_int_equal(ids[1], 1);
	assert_int_equal(list_ids(t, &system, (vg_audit_filter){ .limit = 50, .tenant_id = 4 },
				  ids, &last, 0),
			 1);
	assert_int_equal(ids[0], 4);
	assert_int_equal(list_ids(t, &system,
				  (vg_audit_filter){ .limit = 50, .actor = "system",
						     .action = "tenant.create" },
				  ids, &last, 0),
			 5);
	assert_int_equal(list_ids(t, &system, (vg_audit_filter){ .limit = 50, .actor = "nobody" },
				  ids, &last, 0),
			 0);
	assert_int_equal(last, 0);
	/* A customer sees its own tenant's rows, and nothing of another's. */
	assert_int_equal(list_ids(t, &customer, (vg_audit_filter){ .limit = 50 }, ids, &last, 0),
			 1);
	assert_int_equal(ids[0], 2);
	list_ids(t, &customer, (vg_audit_filter){ .limit = 50, .tenant_id = 3 }, ids, &last,
		 VG_ENOTFOUND);

	assert_int_equal(vg_tx_begin(t->store, false, &tx, &err), VG_OK);
	assert_int_equal(vg_audit_list(tx, &system, &(vg_audit_filter){ .limit = 1 }, &items,
				       &last, &err),
			 VG_OK);
	vg_tx_rollback(tx);
	row = json_array_get(items, 0);
	assert_int_equal(json_object_size(row), 12);
	assert_true(json_is_null(json_object_get(row, "actor_id")));
	assert_int_equal(json_integer_value(json_object_get(row, "tenant_id")), 5);
	assert_string_equal(json_string_value(json_object_get(row, "object")), "tenant:5");
	assert_string_equal(json_string_value(json_object_get(row, "detail")), "from a test");
	assert_int_equal(strlen(json_string_value(json_object_get(row, "at"))), 24);
	assert_int_equal(strlen(json_string_value(json_object_get(row, "prev_hash"))), 64);
	json_decref(items);
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
		cmocka_unit_test_setup_teardown(hash_is_sha256_of_prev_and_length_prefixed_fields,
						setup, teardown),
		cmocka_unit_test_setup_teardown(well_hashed_forged_row_is_named_by_its_successor,
						setup, teardown),
		cmocka_unit_test_setup_teardown(null_id_changed_to_zero_is_named, setup, teardown),
		cmocka_unit_test(empty_trail_is_intact),
		cmocka_unit_test_setup_teardown(rolled_back_append_leaves_no_row, setup, teardown),
		cmocka_unit_test_setup_teardown(list_is_newest_first_filtered_and_scoped, setup,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
