/*
 * token.h - API tokens: "vgt_" and 43 random URL-safe characters, sent as
 * "Authorization: Bearer ...". Only the SHA-256 of a token is stored; the
 * secret is shown once, when it is created.
 */
#ifndef VG_IDENTITY_TOKEN_H
#define VG_IDENTITY_TOKEN_H

#include <jansson.h>
#include <stdint.h>

#include "core/error.h"
#include "store/ctx.h"
#include "store/store.h"

#define VG_TOKEN_PREFIX "vgt_"
#define VG_TOKEN_LEN 47 /* prefix and 43 characters */

typedef struct vg_token_new {
	const char *name;    /* 1 to 100 characters */
	unsigned scopes;     /* VG_SCOPE_* bits, at least one */
	int expires_in_days; /* 0: never; else 1 to 3650 */
	int64_t user_id;     /* 0: the caller */
} vg_token_new;

/* Parses "read", "write", "read,write" (or space-separated) into scope bits. */
int vg_token_scopes_parse(const char *text, unsigned *scopes, vg_error *err);

/*
 * Creates a token for in->user_id (the caller when 0; another user needs
 * admin). *token_json is the token's public view with "token" (the secret)
 * added; it is the only time the secret exists outside the caller.
 */
int vg_token_create(vg_tx *tx, const vg_ctx *ctx, const vg_token_new *in, json_t **token_json,
		    vg_error *err);

/* Tokens with id > after_id: the caller's own, or (with token.read) every
 * visible user's, optionally of one tenant and of one user. */
int vg_token_list(vg_tx *tx, const vg_ctx *ctx, int64_t tenant_id, int64_t user_id,
		  int64_t after_id, int limit, json_t **items, int64_t *last_id, vg_error *err);

/* Revokes a token: the caller's own, or any visible one with admin. */
int vg_token_revoke(vg_tx *tx, const vg_ctx *ctx, int64_t id, vg_error *err);

#endif
