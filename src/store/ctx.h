/*
 * ctx.h - who is asking: the request context every store call takes.
 *
 * A context is built once per request (from a session cookie or API token)
 * or per CLI invocation, and is read-only afterwards. tenant_id is the
 * caller's tenant scope: 0 means "all tenants" (staff and the operator's
 * CLI); any other value is the only tenant the caller may see, and store
 * queries filter by it, so a customer naming another tenant's object finds
 * nothing (the API answers 404).
 */
#ifndef VG_STORE_CTX_H
#define VG_STORE_CTX_H

#include <stdbool.h>
#include <stdint.h>

typedef enum vg_role {
	VG_ROLE_NONE = 0,
	VG_ROLE_ADMIN,
	VG_ROLE_MANAGER,
	VG_ROLE_ANALYST,
	VG_ROLE_AUDITOR,
	VG_ROLE_CUSTOMER_ADMIN,
	VG_ROLE_CUSTOMER_USER,
	VG_ROLE_SYSTEM, /* the operator's CLI on the server itself */
} vg_role;

/* What an API token may do, intersected with its user's role. */
enum {
	VG_SCOPE_READ = 1u << 0,  /* GET requests */
	VG_SCOPE_WRITE = 1u << 1, /* state-changing requests */
	VG_SCOPE_ALL = VG_SCOPE_READ | VG_SCOPE_WRITE,
};

#define VG_CTX_NAME_MAX 64

/* The source of a user acting by mail: the sender of a mail a mailbox read
 * (an HTTP request's source is its client address, never this). */
#define VG_CTX_SOURCE_MAIL "mail"

typedef struct vg_ctx {
	int64_t user_id;                  /* 0 for the system actor */
	char username[VG_CTX_NAME_MAX];   /* "system" for the CLI */
	vg_role role;
	int64_t tenant_id;                /* 0: every tenant; else only this one */
	char source[VG_CTX_NAME_MAX];     /* client address, or "cli" */
	unsigned scopes;                  /* VG_SCOPE_* bits */
	int64_t session_id;               /* 0 unless authenticated by session */
	int64_t token_id;                 /* 0 unless authenticated by API token */
} vg_ctx;

/* The context of the operator's CLI: system role, every tenant. */
vg_ctx vg_ctx_system(void);

/* True when the caller may see rows of tenant_id (0 = rows of no tenant,
 * such as staff users, which only unscoped callers see). */
bool vg_ctx_sees_tenant(const vg_ctx *ctx, int64_t tenant_id);

/* True for the roles bound to one customer tenant. */
bool vg_role_is_customer(vg_role role);

#endif
