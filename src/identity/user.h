/*
 * user.h - users: staff (no tenant) and customer users (one tenant each).
 *
 * Every function takes the caller's context and enforces both who may do
 * what (staff users are managed only with staff.write; customer admins
 * manage their own tenant's users) and what the caller may see: a user
 * outside the caller's tenant scope is VG_ENOTFOUND, never VG_EPERM.
 */
#ifndef VG_IDENTITY_USER_H
#define VG_IDENTITY_USER_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/crypto.h"
#include "core/error.h"
#include "store/ctx.h"
#include "store/store.h"

#define VG_USERNAME_MAX 64

typedef struct vg_user {
	int64_t id;
	int64_t tenant_id; /* 0 for staff */
	char username[VG_USERNAME_MAX + 1];
	char display_name[201];
	char email[255];
	vg_role role;
	bool disabled;
	bool totp_enabled;
	int64_t created_at;
	int64_t updated_at;
} vg_user;

typedef struct vg_user_new {
	const char *username;
	const char *password;
	vg_role role;
	int64_t tenant_id; /* required for customer roles, 0 for staff */
	const char *display_name; /* may be NULL */
	const char *email;        /* may be NULL */
} vg_user_new;

/* A partial update: NULL / VG_ROLE_NONE / -1 leave a field unchanged. */
typedef struct vg_user_change {
	const char *display_name;
	const char *email;
	const char *password;
	vg_role role;
	int disabled;
} vg_user_change;

/* Creates a user; VG_EEXIST when the username is taken. */
int vg_user_create(vg_tx *tx, const vg_ctx *ctx, const vg_user_new *in, int64_t *id_out,
		   vg_error *err);

int vg_user_get(vg_tx *tx, const vg_ctx *ctx, int64_t id, vg_user *out, vg_error *err);
int vg_user_find(vg_tx *tx, const vg_ctx *ctx, const char *username, vg_user *out,
		 vg_error *err);

/* Users visible to ctx with id > after_id, optionally of one tenant, as a
 * JSON array (new reference); *last_id is the last listed id, 0 if none. */
int vg_user_list(vg_tx *tx, const vg_ctx *ctx, int64_t tenant_id, int64_t after_id, int limit,
		 json_t **items, int64_t *last_id, vg_error *err);

/* Applies change. Disabling a user or setting a password ends their
 * sessions. A caller cannot disable or change the role of themselves
 * (VG_ECONFLICT). */
int vg_user_update(vg_tx *tx, const vg_ctx *ctx, int64_t id, const vg_user_change *change,
		   vg_error *err);

/* Changes the caller's own password after checking the current one
 * (VG_EAUTH when wrong); ends the caller's other sessions. */
int vg_user_change_own_password(vg_tx *tx, const vg_ctx *ctx, const char *current,
				const char *replacement, vg_error *err);

/* Starts TOTP enrolment for the caller: a new secret, sealed into the
 * user's row, not yet required. VG_ECONFLICT when already enabled.
 * *secret_out and *uri_out are malloc'd (free() them). */
int vg_user_totp_enroll(vg_tx *tx, const vg_ctx *ctx, const vg_master_key *key,
			char **secret_out, char **uri_out, vg_error *err);

/* Enables TOTP once the caller proves the enrolled secret with a code. */
int vg_user_totp_confirm(vg_tx *tx, const vg_ctx *ctx, const vg_master_key *key,
			 const char *code, vg_error *err);

/* The public view of a user (no secrets). */
json_t *vg_user_to_json(const vg_user *u);

#endif
