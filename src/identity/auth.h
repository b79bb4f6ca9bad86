/*
 * auth.h - turning credentials into a request context: logins, sessions,
 * API tokens and the failed-login throttle.
 *
 * Session cookies and API tokens are random; only their SHA-256 is stored,
 * so a copy of the database does not let anyone log in. The CSRF token
 * returned at login is random as well and kept hashed beside the session.
 */
#ifndef VG_IDENTITY_AUTH_H
#define VG_IDENTITY_AUTH_H

#include <stdint.h>

#include "app/config.h"
#include "core/crypto.h"
#include "core/error.h"
#include "store/ctx.h"
#include "store/store.h"

#define VG_SESSION_COOKIE "vigil_session"
#define VG_SECRET_TOKEN_MAX 96 /* room for any token Vigil hands out, with NUL */

typedef struct vg_login {
	const char *username;
	const char *password;
	const char *totp; /* NULL when not given */
	const char *source;
} vg_login;

typedef struct vg_session_tokens {
	char session[VG_SECRET_TOKEN_MAX]; /* cookie value */
	char csrf[VG_SECRET_TOKEN_MAX];    /* X-CSRF-Token value */
	int64_t expires_at;                /* ms */
} vg_session_tokens;

/*
 * Checks credentials and opens a session. Commits its own transactions:
 * a failure is counted (and may lock the user or block the address) even
 * though the login fails. Errors: VG_EAUTH "invalid username or password"
 * (the same for unknown users, wrong passwords and disabled users),
 * VG_EAUTH "totp code required" / "invalid totp code" when the user has
 * enrolled TOTP, VG_ELIMIT when locked or throttled, with *retry_after_s
 * the seconds until a retry may succeed. On success ctx_out is the new
 * session's context.
 */
int vg_auth_login(vg_store *s, const vg_config *cfg, const vg_master_key *key,
		  const vg_login *login, vg_session_tokens *tokens_out, vg_ctx *ctx_out,
		  int64_t *retry_after_s, vg_error *err);

/* Ends the session of ctx (no-op for token contexts). */
int vg_auth_logout(vg_store *s, const vg_ctx *ctx, vg_error *err);

/*
 * Resolves a session cookie. With csrf non-NULL also checks it against the
 * session's CSRF token (VG_EPERM "missing or invalid CSRF token").
 * VG_EAUTH when the session is unknown, expired, idle too long or its user
 * is disabled. Refreshes the session's last-seen time. On a CSRF refusal
 * ctx_out is still filled, so the refusal is audited under the user's name.
 */
int vg_auth_session(vg_store *s, const vg_config *cfg, const char *cookie, const char *csrf,
		    bool check_csrf, const char *source, vg_ctx *ctx_out, vg_error *err);

/* Resolves "Authorization: Bearer TOKEN"; VG_EAUTH when unknown, revoked,
 * expired or the user is disabled. ctx_out->scopes are the token's. */
int vg_auth_token(vg_store *s, const char *token, const char *source, vg_ctx *ctx_out,
		  vg_error *err);

#endif
