/* test_sessions.c - logins, sessions, CSRF, throttling and API tokens over a
 * real store. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "app/config.h"
#include "core/time.h"
#include "identity/auth.h"
#include "identity/token.h"
#include "identity/totp.h"
#include "identity/user.h"
#include "testutil.h"

#define PASSWORD "a-good-long-password"

typedef struct fixture {
	test_store t;
	vg_config cfg;
	vg_master_key key;
	int64_t user_id;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));
	vg_ctx system = vg_ctx_system();
	vg_error err = { 0 };
	vg_tx *tx;

	*state = f;
	if (test_store_open(&f->t) || vg_conf_defaults(vg_config_keys, &f->cfg, &err))
		return -1;
	f->cfg.auth_lockout_failures = 3;
	f->cfg.auth_address_failures = 5;
	vg_random_bytes(f->key.key, sizeof(f->key.key));
	if (vg_tx_begin(f->t.store, true, &tx, &err) ||
	    vg_user_create(tx, &system,
			   &(vg_user_new){ .username = "alice", .password = PASSWORD,
					   .role = VG_ROLE_ANALYST },
			   &f->user_id, &err) ||
	    vg_tx_commit(tx, &err))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;

	vg_conf_release(vg_config_keys, &f->cfg);
	test_store_close(&f->t);
	free(f);
	return 0;
}

static int login(fixture *f, const char *user, const char *password, const char *totp,
		 const char *source, vg_session_tokens *tokens, vg_ctx *ctx, vg_error *err)
{
	int64_t retry;

	return vg_auth_login(f->t.store, &f->cfg, &f->key,
			     &(vg_login){ .username = user, .password = password, .totp = totp,
					  .source = source },
			     tokens, ctx, &retry, err);
}

static void login_opens_a_session_with_csrf(void **state)
{
	fixture *f = *state;
	vg_session_tokens tokens;
	vg_error err = { 0 };
	vg_ctx ctx, again;

	assert_int_equal(login(f, "alice", PASSWORD, NULL, "10.0.0.1", &tokens, &ctx, &err), VG_OK);
	assert_int_equal(ctx.user_id, f->user_id);
	assert_string_equal(ctx.username, "alice");
	assert_int_equal(ctx.role, VG_ROLE_ANALYST);
	assert_int_equal(ctx.tenant_id, 0);
	assert_int_equal(ctx.scopes, VG_SCOPE_ALL);
	assert_int_equal(strlen(tokens.session), 43);
	assert_string_not_equal(tokens.session, tokens.csrf);

	assert_int_equal(vg_auth_session(f->t.store, &f->cfg, tokens.session, NULL, false,
					 "10.0.0.1", &again, &err), VG_OK);
	assert_int_equal(again.session_id, ctx.session_id);
	assert_int_equal(vg_auth_session(f->t.store, &f->cfg, tokens.session, tokens.csrf, true,
					 "10.0.0.1", &again, &err), VG_OK);
	assert_int_equal(vg_auth_session(f->t.store, &f->cfg, tokens.session, "forged", true,
					 "10.0.0.1", &again, &err), VG_EPERM);
	assert_string_equal(err.msg, "missing or invalid CSRF token");
	assert_int_equal(vg_auth_session(f->t.store, &f->cfg, tokens.session, NULL, true,
					 "10.0.0.1", &again, &err), VG_EPERM);
	assert_int_equal(vg_auth_session(f->t.store, &f->cfg, tokens.csrf, NULL, false, "10.0.0.1",
					 &again, &err), VG_EAUTH);

	assert_int_equal(vg_auth_logout(f->t.store, &ctx, &err), VG_OK);
	assert_int_equal(vg_auth_session(f->t.store, &f->cfg, tokens.session, NULL, false,
					 "10.0.0.1", &again, &err), VG_EAUTH);
}

static void failures_look_alike(void **state)
{
	fixture *f = *state;
	vg_session_tokens tokens;
	vg_error err = { 0 };
	vg_ctx ctx;

	assert_int_equal(login(f, "alice", "wrong password!", NULL, "10.0.0.2", &tokens, &ctx,
			       &err), VG_EAUTH);
	assert_string_equal(err.msg, "invalid username or password");
	assert_int_equal(login(f, "mallory", PASSWORD, NULL, "10.0.0.2", &tokens, &ctx, &err),
			 VG_EAUTH);
	assert_string_equal(err.msg, "invalid username or password");
	assert_string_equal(tokens.session, "");
}

static void user_is_locked_then_unlocked_by_time(void **state)
{
	fixture *f = *state;
	vg_session_tokens tokens;
	vg_error err = { 0 };
	vg_ctx ctx;

	for (int i = 0; i < 3; i++)
		assert_int_equal(login(f, "alice", "wrong password!", NULL, "10.0.1.1", &tokens,
				       &ctx, &err), VG_EAUTH);
	assert_int_equal(login(f, "alice", PASSWORD, NULL, "10.0.1.2", &tokens, &ctx, &err),
			 VG_ELIMIT);
	assert_string_equal(err.msg,
			    "too many failed logins for this user; try again in 900 seconds");
	assert_int_equal(test_exec(f->t.store, "UPDATE login_failures SET locked_until = 1"), 0);
	assert_int_equal(login(f, "alice", PASSWORD, NULL, "10.0.1.2", &tokens, &ctx, &err), VG_OK);
}

static void address_is_blocked_across_users(void **state)
{
	fixture *f = *state;
	vg_session_tokens tokens;
	vg_error err = { 0 };
	vg_ctx ctx;

	for (int i = 0; i < 5; i++) {
		char user[16];

		snprintf(user, sizeof(user), "guess%d", i);
		assert_int_equal(login(f, user, "wrong password!", NULL, "192.0.2.9", &tokens, &ctx,
				       &err), VG_EAUTH);
	}
	assert_int_equal(login(f, "alice", PASSWORD, NULL, "192.0.2.9", &tokens, &ctx, &err),
			 VG_ELIMIT);
	assert_string_equal(err.msg,
			    "too many failed logins from this address; try again in 900 seconds");
	assert_int_equal(login(f, "alice", PASSWORD, NULL, "192.0.2.10", &tokens, &ctx, &err),
			 VG_OK);
}

static void sessions_expire_absolutely_and_when_idle(void **state)
{
	fixture *f = *state;
	vg_session_tokens a, b;
	vg_error err = { 0 };
	vg_ctx ctx;
	char sql[160];

	assert_int_equal(login(f, "alice", PASSWORD, NULL, "10.0.2.1", &a, &ctx, &err), VG_OK);
	snprintf(sql, sizeof(sql), "UPDATE sessions SET expires_at = 1 WHERE id = %lld",
		 (long long)ctx.session_id);
	assert_int_equal(test_exec(f->t.store, sql), 0);
	assert_int_equal(vg_auth_session(f->t.store, &f->cfg, a.session, NULL, false, "x", &ctx,
					 &err), VG_EAUTH);
	assert_string_equal(err.msg, "session expired or unknown; log in again");

	assert_int_equal(login(f, "alice", PASSWORD, NULL, "10.0.2.1", &b, &ctx, &err), VG_OK);
	snprintf(sql, sizeof(sql), "UPDATE sessions SET last_seen_at = last_seen_at - %lld "
				   "WHERE id = %lld", (long long)(f->cfg.session_idle_minutes * 60000 + 1),
		 (long long)ctx.session_id);
	assert_int_equal(test_exec(f->t.store, sql), 0);
	assert_int_equal(vg_auth_session(f->t.store, &f->cfg, b.session, NULL, false, "x", &ctx,
					 &err), VG_EAUTH);
}

static void disabled_user_loses_sessions_and_logins(void **state)
{
	fixture *f = *state;
	vg_ctx system = vg_ctx_system(), ctx;
	vg_session_tokens tokens;
	vg_error err = { 0 };
	vg_tx *tx;

	assert_int_equal(login(f, "alice", PASSWORD, NULL, "10.0.3.1", &tokens, &ctx, &err), VG_OK);
	assert_int_equal(vg_tx_begin(f->t.store, true, &tx, &err), VG_OK);
	assert_int_equal(vg_user_update(tx, &system, f->user_id,
					&(vg_user_change){ .role = VG_ROLE_NONE, .disabled = 1 },
					&err), VG_OK);
	assert_int_equal(vg_tx_commit(tx, &err), VG_OK);
	assert_int_equal(vg_auth_session(f->t.store, &f->cfg, tokens.session, NULL, false, "x",
					 &ctx, &err), VG_EAUTH);
	assert_int_equal(login(f, "alice", PASSWORD, NULL, "10.0.3.1", &tokens, &ctx, &err),
			 VG_EAUTH);
	assert_string_equal(err.msg, "invalid username or password");
}

static void api_tokens_authenticate_until_revoked(void **state)
{
	fixture *f = *state;
	vg_ctx system = vg_ctx_system(), ctx;
	vg_error err = { 0 };
	json_t *token;
	char secret[64];
	vg_tx *tx;

	assert_int_equal(vg_tx_begin(f->t.store, true, &tx, &err), VG_OK);
	assert_int_equal(vg_token_create(tx, &system,
					 &(vg_token_new){ .name = "ci", .scopes = VG_SCOPE_READ,
							  .user_id = f->user_id },
					 &token, &err), VG_OK);
	assert_int_equal(vg_tx_commit(tx, &err), VG_OK);
	snprintf(secret, sizeof(secret), "%s", json_string_value(json_object_get(token, "token")));
	assert_int_equal(strlen(secret), VG_TOKEN_LEN);
	assert_int_equal(vg_auth_token(f->t.store, secret, "10.0.4.1", &ctx, &err), VG_OK);
	assert_int_equal(ctx.user_id, f->user_id);
	assert_int_equal(ctx.scopes, VG_SCOPE_READ);
	assert_int_equal(ctx.session_id, 0);

	assert_int_equal(vg_tx_begin(f->t.store, true, &tx, &err), VG_OK);
	assert_int_equal(vg_token_revoke(tx, &system,
					 json_integer_value(json_object_get(token, "id")), &err),
			 VG_OK);
	assert_int_equal(vg_tx_commit(tx, &err), VG_OK);
	assert_int_equal(vg_auth_token(f->t.store, secret, "10.0.4.1", &ctx, &err), VG_EAUTH);
	assert_string_equal(err.msg, "API token unknown, revoked or expired");
	json_decref(token);
}

static void enrolled_totp_is_required(void **state)
{
	fixture *f = *state;
	vg_session_tokens tokens;
	vg_error err = { 0 };
	char *secret, *uri, code[7], next[7];
	vg_ctx ctx;
	vg_tx *tx;

	assert_int_equal(login(f, "alice", PASSWORD, NULL, "10.0.5.1", &tokens, &ctx, &err), VG_OK);
	assert_int_equal(vg_tx_begin(f->t.store, true, &tx, &err), VG_OK);
	assert_int_equal(vg_user_totp_enroll(tx, &ctx, &f->key, &secret, &uri, &err), VG_OK);
	assert_int_equal(vg_totp_code(secret, vg_time_now_ms() / 1000, code, &err), VG_OK);
	assert_int_equal(vg_user_totp_confirm(tx, &ctx, &f->key, code, &err), VG_OK);
	assert_int_equal(vg_tx_commit(tx, &err), VG_OK);

	assert_int_equal(login(f, "alice", PASSWORD, NULL, "10.0.5.1", &tokens, &ctx, &err),
			 VG_EAUTH);
	assert_string_equal(err.msg, "totp code required");
	assert_int_equal(login(f, "alice", PASSWORD, code, "10.0.5.1", &tokens, &ctx, &err),
			 VG_EAUTH);
	assert_string_equal(err.msg, "invalid totp code");
	assert_int_equal(vg_totp_code(secret, vg_time_now_ms() / 1000 + 30, next, &err), VG_OK);
	assert_int_equal(login(f, "alice", PASSWORD, next, "10.0.5.1", &tokens, &ctx, &err), VG_OK);
	free(secret);
	free(uri);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(login_opens_a_session_with_csrf, setup, teardown),
		cmocka_unit_test_setup_teardown(failures_look_alike, setup, teardown),
		cmocka_unit_test_setup_teardown(user_is_locked_then_unlocked_by_time, setup, teardown),
		cmocka_unit_test_setup_teardown(address_is_blocked_across_users, setup, teardown),
		cmocka_unit_test_setup_teardown(sessions_expire_absolutely_and_when_idle, setup,
						teardown),
		cmocka_unit_test_setup_teardown(disabled_user_loses_sessions_and_logins, setup,
						teardown),
		cmocka_unit_test_setup_teardown(api_tokens_authenticate_until_revoked, setup,
						teardown),
		cmocka_unit_test_setup_teardown(enrolled_totp_is_required, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
