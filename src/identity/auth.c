/*
 * auth.c - logins, sessions, API-token authentication and the failed-login
 * throttle (see auth.h).
 *
 * Failed logins are counted per user ("user:NAME") and per source address
 * ("addr:ADDRESS") in login_failures, within a window; past the limit the
 * key is locked for auth.lockout_minutes. Counting uses its own committed
 * transaction, so a failed login is remembered even though the request that
 * made it fails.
 */
#include "identity/auth.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/time.h"
#include "identity/password.h"
#include "identity/role.h"
#include "identity/token.h"
#include "identity/totp.h"

#define KEY_MAX 160

/* Verified when the username is unknown, so that unknown users take as
 * long to refuse as wrong passwords. Made once, on first use. */
static char dummy_hash[VG_PASSWORD_HASH_MAX];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy_hash(void)
{
	if (vg_password_hash("vigil-dummy-password-never-matches", dummy_hash, NULL))
		dummy_hash[0] = '\0';
}

static void throttle_key(char out[KEY_MAX], const char *kind, const char *value)
{
	snprintf(out, KEY_MAX, "%s:%s", kind, value);
}

/* Seconds until key is unlocked, or 0 when it is not locked now. */
static int locked_for(vg_tx *tx, const char *key, int64_t now, int64_t *seconds, vg_error *err)
{
	int64_t until = 0;
	int rc = vg_tx_query_int(tx, "SELECT locked_until FROM login_failures WHERE key = ?",
				 VG_PARAMS(VG_P_TEXT(key)), &until, err);

	*seconds = 0;
	if (rc == VG_ENOTFOUND)
		return VG_OK;
	if (rc)
		return rc;
	if (until > now)
		*seconds = (until - now + 999) / 1000;
	return VG_OK;
}

/* Counts one failure for key; locks it when limit is reached. */
static int count_failure(vg_tx *tx, const vg_config *cfg, const char *key, int64_t limit,
			 int64_t now, vg_error *err)
{
	int64_t window = cfg->auth_failure_window_minutes * 60000;
	int64_t lock_until = now + cfg->auth_lockout_minutes * 60000;

	return vg_tx_exec(tx,
			  "INSERT INTO login_failures (key, failures, window_start, locked_until) "
			  "VALUES (?, 1, ?, CASE WHEN 1 >= ? THEN ? ELSE 0 END) "
			  "ON CONFLICT (key) DO UPDATE SET "
			  "failures = CASE WHEN window_start < ? THEN 1 ELSE failures + 1 END, "
			  "window_start = CASE WHEN window_start < ? THEN ? ELSE window_start END, "
			  "locked_until = CASE WHEN (CASE WHEN window_start < ? THEN 1 "
			  "ELSE failures + 1 END) >= ? THEN ? ELSE locked_until END",
			  VG_PARAMS(VG_P_TEXT(key), VG_P_INT(now), VG_P_INT(limit),
				    VG_P_INT(lock_until), VG_P_INT(now - window),
				    VG_P_INT(now - window), VG_P_INT(now), VG_P_INT(now - window),
				    VG_P_INT(limit), VG_P_INT(lock_until)),
			  NULL, err);
}

static int record_failure(vg_store *s, const vg_config *cfg, const char *user_key,
			  const char *addr_key, vg_error *err)
{
	int64_t now = vg_time_now_ms();
	vg_tx *tx;
	int rc;

	rc = vg_tx_begin(s, true, &tx, err);
	if (rc)
		return rc;
	rc = count_failure(tx, cfg, user_key, cfg->auth_lockout_failures, now, err);
	if (!rc)
		rc = count_failure(tx, cfg, addr_key, cfg->auth_address_failures, now, err);
	if (rc) {
		vg_tx_rollback(tx);
		return rc;
	}
	return vg_tx_commit(tx, err);
}

typedef struct login_user {
	int64_t id;
	int64_t tenant_id;
	vg_role role;
	bool disabled;
	bool totp_enabled;
	int64_t totp_last_step;
	char username[VG_CTX_NAME_MAX];
	char password_hash[VG_PASSWORD_HASH_MAX];
	uint8_t *totp_sealed;
	size_t totp_sealed_len;
} login_user;

static int load_login_user(vg_tx *tx, const char *username, login_user *u, bool *found,
			   vg_error *err)
{
	vg_rows *r;
	int rc;

	memset(u, 0, sizeof(*u));
	*found = false;
	rc = vg_tx_query(tx,
			 "SELECT id, tenant_id, role, disabled, totp_enabled, totp_last_step, "
			 "username, password_hash, totp_secret FROM users WHERE username = ?",
			 VG_PARAMS(VG_P_TEXT(username)), &r, err);
	if (rc)
		return rc;
	rc = vg_rows_next(r, err);
	if (rc == 1) {
		size_t len;
		const void *blob = vg_rows_blob(r, 8, &len);

		*found = true;
		u->id = vg_rows_int(r, 0);
		u->tenant_id = vg_rows_int(r, 1);
		u->role = vg_role_parse(vg_rows_text(r, 2));
		u->disabled = vg_rows_int(r, 3) != 0;
		u->totp_enabled = vg_rows_int(r, 4) != 0;
		u->totp_last_step = vg_rows_int(r, 5);
		snprintf(u->username, sizeof(u->username), "%s", vg_rows_text(r, 6));
		snprintf(u->password_hash, sizeof(u->password_hash), "%s", vg_rows_text(r, 7));
		if (blob && len) {
			u->totp_sealed = malloc(len);
			if (!u->totp_sealed)
				rc = vg_error_set(err, VG_ENOMEM, "out of memory during login");
			else {
				memcpy(u->totp_sealed, blob, len);
				u->totp_sealed_len = len;
				rc = VG_OK;
			}
		} else {
			rc = VG_OK;
		}
	}
	vg_rows_free(r);
	return rc < 0 ? rc : VG_OK;
}

static void fill_ctx(vg_ctx *ctx, const login_user *u, const char *source)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->user_id = u->id;
	snprintf(ctx->username, sizeof(ctx->username), "%s", u->username);
	ctx->role = u->role;
	ctx->tenant_id = u->tenant_id;
	snprintf(ctx->source, sizeof(ctx->source), "%s", source);
	ctx->scopes = VG_SCOPE_ALL;
}

/* Checks the TOTP code of a user who enrolled; records the used step. */
static int check_totp(vg_tx *tx, const vg_master_key *key, const login_user *u,
		      const char *code, vg_error *err)
{
	uint8_t *secret = NULL;
	size_t len;
	int64_t step;
	int rc;

	if (!code || !*code)
		return vg_error_set(err, VG_EAUTH, "totp code required");
	rc = vg_unseal(key, u->totp_sealed, u->totp_sealed_len, &secret, &len, err);
	if (rc)
		return rc;
	rc = vg_totp_verify((const char *)secret, code, vg_time_now_ms() / 1000, u->totp_last_step,
			    &step, err);
	memset(secret, 0, len);
	free(secret);
	if (!rc)
		rc = vg_tx_exec(tx, "UPDATE users SET totp_last_step = ? WHERE id = ?",
				VG_PARAMS(VG_P_INT(step), VG_P_INT(u->id)), NULL, err);
	return rc;
}

static int create_session(vg_tx *tx, const vg_config *cfg, const login_user *u,
			  const char *source, vg_session_tokens *tokens, int64_t *session_id,
			  vg_error *err)
{
	char token_hash[VG_SHA256_HEX_LEN], csrf_hash[VG_SHA256_HEX_LEN];
	int64_t now = vg_time_now_ms();

	vg_random_token(32, tokens->session, sizeof(tokens->session));
	vg_random_token(32, tokens->csrf, sizeof(tokens->csrf));
	vg_sha256_hex(tokens->session, strlen(tokens->session), token_hash);
	vg_sha256_hex(tokens->csrf, strlen(tokens->csrf), csrf_hash);
	tokens->expires_at = now + cfg->session_ttl_minutes * 60000;
	return vg_tx_query_int(tx,
			       "INSERT INTO sessions (user_id, tenant_id, token_hash, csrf_hash, "
			       "source, created_at, last_seen_at, expires_at) "
			       "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
			       VG_PARAMS(VG_P_INT(u->id), VG_P_ID_OR_NULL(u->tenant_id),
					 VG_P_TEXT(token_hash), VG_P_TEXT(csrf_hash),
					 VG_P_TEXT(source), VG_P_INT(now), VG_P_INT(now),
					 VG_P_INT(tokens->expires_at)),
			       session_id, err);
}

int vg_auth_login(vg_store *s, const vg_config *cfg, const vg_master_key *key,
		  const vg_login *login, vg_session_tokens *tokens_out, vg_ctx *ctx_out,
		  int64_t *retry_after_s, vg_error *err)
{
	char user_key[KEY_MAX], addr_key[KEY_MAX];
	int64_t now = vg_time_now_ms(), wait_user, wait_addr, session_id;
	login_user u;
	bool found, password_ok;
	vg_tx *tx = NULL;
	int rc;

	memset(tokens_out, 0, sizeof(*tokens_out));
	*retry_after_s = 0;
	pthread_once(&dummy_once, make_dummy_hash);
	throttle_key(user_key, "user", login->username);
	throttle_key(addr_key, "addr", login->source);

	rc = vg_tx_begin(s, false, &tx, err);
	if (rc)
		return rc;
	rc = locked_for(tx, user_key, now, &wait_user, err);
	if (!rc)
		rc = locked_for(tx, addr_key, now, &wait_addr, err);
	if (!rc)
		rc = load_login_user(tx, login->username, &u, &found, err);
	vg_tx_rollback(tx);
	tx = NULL;
	if (rc)
		goto out;
	if (wait_user || wait_addr) {
		*retry_after_s = wait_user > wait_addr ? wait_user : wait_addr;
		rc = vg_error_set(err, VG_ELIMIT,
				  wait_user ? "too many failed logins for this user; try again in "
					      "%lld seconds"
					    : "too many failed logins from this address; try again in "
					      "%lld seconds",
				  (long long)*retry_after_s);
		goto out;
	}
	password_ok = vg_password_verify(found ? u.password_hash : dummy_hash, login->password);
	if (!found || !password_ok || u.disabled) {
		rc = record_failure(s, cfg, user_key, addr_key, err);
		if (!rc)
			rc = vg_error_set(err, VG_EAUTH, "invalid username or password");
		goto out;
	}
	rc = vg_tx_begin(s, true, &tx, err);
	if (rc)
		goto out;
	if (u.totp_enabled)
		rc = check_totp(tx, key, &u, login->totp, err);
	if (rc == VG_EAUTH && login->totp && *login->totp) {
		/* A wrong code counts as a failed login; a missing one does not,
		 * it is the first step of a two-step form. */
		vg_error saved = *err;

		vg_tx_rollback(tx);
		tx = NULL;
		rc = record_failure(s, cfg, user_key, addr_key, err);
		if (!rc)
			rc = vg_error_set(err, saved.code, "%s", saved.msg);
		goto out;
	}
	if (!rc)
		rc = create_session(tx, cfg, &u, login->source, tokens_out, &session_id, err);
	if (!rc)
		rc = vg_tx_exec(tx, "DELETE FROM login_failures WHERE key = ?",
				VG_PARAMS(VG_P_TEXT(user_key)), NULL, err);
	if (!rc) {
		rc = vg_tx_commit(tx, err);
		tx = NULL;
	}
	if (!rc) {
		fill_ctx(ctx_out, &u, login->source);
		ctx_out->session_id = session_id;
	}
out:
	vg_tx_rollback(tx);
	free(u.totp_sealed);
	memset(u.password_hash, 0, sizeof(u.password_hash));
	if (rc)
		memset(tokens_out, 0, sizeof(*tokens_out));
	return rc;
}

int vg_auth_logout(vg_store *s, const vg_ctx *ctx, vg_error *err)
{
	vg_tx *tx;
	int rc;

	if (!ctx->session_id)
		return VG_OK;
	rc = vg_tx_begin(s, true, &tx, err);
	if (rc)
		return rc;
	rc = vg_tx_exec(tx, "DELETE FROM sessions WHERE id = ?",
			VG_PARAMS(VG_P_INT(ctx->session_id)), NULL, err);
	if (rc) {
		vg_tx_rollback(tx);
		return rc;
	}
	return vg_tx_commit(tx, err);
}

int vg_auth_session(vg_store *s, const vg_config *cfg, const char *cookie, const char *csrf,
		    bool check_csrf, const char *source, vg_ctx *ctx_out, vg_error *err)
{
	char token_hash[VG_SHA256_HEX_LEN], csrf_hash[VG_SHA256_HEX_LEN];
	int64_t now = vg_time_now_ms(), session_id = 0;
	bool valid = false, csrf_ok = false;
	login_user u;
	vg_rows *r;
	vg_tx *tx;
	int rc;

	memset(&u, 0, sizeof(u));
	vg_sha256_hex(cookie, strlen(cookie), token_hash);
	rc = vg_tx_begin(s, false, &tx, err);
	if (rc)
		return rc;
	rc = vg_tx_query(tx,
			 "SELECT s.id, s.csrf_hash, s.expires_at, s.last_seen_at, u.id, u.tenant_id, "
			 "u.role, u.disabled, u.username FROM sessions s JOIN users u ON u.id = "
			 "s.user_id WHERE s.token_hash = ?",
			 VG_PARAMS(VG_P_TEXT(token_hash)), &r, err);
	if (!rc) {
		rc = vg_rows_next(r, err);
		if (rc == 1) {
			int64_t idle = cfg->session_idle_minutes * 60000;

			session_id = vg_rows_int(r, 0);
			valid = vg_rows_int(r, 2) > now && vg_rows_int(r, 3) + idle > now &&
				!vg_rows_int(r, 7);
			if (csrf) {
				vg_sha256_hex(csrf, strlen(csrf), csrf_hash);
				csrf_ok = vg_ct_equal(csrf_hash, vg_rows_text(r, 1),
						      VG_SHA256_HEX_LEN - 1);
			}
			u.id = vg_rows_int(r, 4);
			u.tenant_id = vg_rows_int(r, 5);
			u.role = vg_role_parse(vg_rows_text(r, 6));
			snprintf(u.username, sizeof(u.username), "%s", vg_rows_text(r, 8));
			rc = VG_OK;
		}
		vg_rows_free(r);
	}
	vg_tx_rollback(tx);
	if (rc < 0)
		return rc;
	if (!valid)
		return vg_error_set(err, VG_EAUTH, "session expired or unknown; log in again");
	if (check_csrf && !csrf_ok) {
		/* The caller is known even though the request is refused: the
		 * context lets the refusal be audited under their name. */
		fill_ctx(ctx_out, &u, source);
		ctx_out->session_id = session_id;
		return vg_error_set(err, VG_EPERM, "missing or invalid CSRF token");
	}
	/* Refresh last-seen at most once a minute: idle expiry needs no finer
	 * grain, and it keeps reads from queueing behind the writer. */
	rc = vg_tx_begin(s, true, &tx, err);
	if (!rc)
		rc = vg_tx_exec(tx,
				"UPDATE sessions SET last_seen_at = ? WHERE id = ? AND last_seen_at < ?",
				VG_PARAMS(VG_P_INT(now), VG_P_INT(session_id), VG_P_INT(now - 60000)),
				NULL, err);
	if (!rc)
		rc = vg_tx_commit(tx, err);
	else
		vg_tx_rollback(tx);
	if (rc)
		return rc;
	fill_ctx(ctx_out, &u, source);
	ctx_out->session_id = session_id;
	return VG_OK;
}

int vg_auth_token(vg_store *s, const char *token, const char *source, vg_ctx *ctx_out,
		  vg_error *err)
{
	char token_hash[VG_SHA256_HEX_LEN];
	int64_t now = vg_time_now_ms(), token_id = 0, last_used = 0;
	bool valid = false;
	unsigned scopes = 0;
	login_user u;
	vg_rows *r;
	vg_tx *tx;
	int rc;

	memset(&u, 0, sizeof(u));
	vg_sha256_hex(token, strlen(token), token_hash);
	rc = vg_tx_begin(s, false, &tx, err);
	if (rc)
		return rc;
	rc = vg_tx_query(tx,
			 "SELECT t.id, t.scopes, t.expires_at, t.revoked_at, t.last_used_at, u.id, "
			 "u.tenant_id, u.role, u.disabled, u.username FROM api_tokens t "
			 "JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?",
			 VG_PARAMS(VG_P_TEXT(token_hash)), &r, err);
	if (!rc) {
		rc = vg_rows_next(r, err);
		if (rc == 1) {
			token_id = vg_rows_int(r, 0);
			valid = vg_token_scopes_parse(vg_rows_text(r, 1), &scopes, NULL) == VG_OK &&
				(vg_rows_is_null(r, 2) || vg_rows_int(r, 2) > now) &&
				vg_rows_is_null(r, 3) && !vg_rows_int(r, 8);
			last_used = vg_rows_int(r, 4);
			u.id = vg_rows_int(r, 5);
			u.tenant_id = vg_rows_int(r, 6);
			u.role = vg_role_parse(vg_rows_text(r, 7));
			snprintf(u.username, sizeof(u.username), "%s", vg_rows_text(r, 9));
			rc = VG_OK;
		}
		vg_rows_free(r);
	}
	vg_tx_rollback(tx);
	if (rc < 0)
		return rc;
	if (!valid)
		return vg_error_set(err, VG_EAUTH, "API token unknown, revoked or expired");
	if (last_used < now - 60000) {
		rc = vg_tx_begin(s, true, &tx, err);
		if (!rc)
			rc = vg_tx_exec(tx, "UPDATE api_tokens SET last_used_at = ? WHERE id = ?",
					VG_PARAMS(VG_P_INT(now), VG_P_INT(token_id)), NULL, err);
		if (!rc)
			rc = vg_tx_commit(tx, err);
		else
			vg_tx_rollback(tx);
		if (rc)
			return rc;
	}
	fill_ctx(ctx_out, &u, source);
	ctx_out->scopes = scopes;
	ctx_out->token_id = token_id;
	return VG_OK;
}
