/*
 * role.h - roles and the one permission table.
 *
 * Every permission check in Vigil asks vg_ctx_can(ctx, perm). The table in
 * role.c says which roles hold which permission; `vigil permissions
 * --markdown` renders it into docs/security.md, and a test checks that the
 * document matches. Tenant scope is separate: a customer role's permission
 * applies only inside its own tenant (the store filters by ctx->tenant_id).
 */
#ifndef VG_IDENTITY_ROLE_H
#define VG_IDENTITY_ROLE_H

#include <stdbool.h>

#include "core/buf.h"
#include "store/ctx.h"

typedef enum vg_perm {
	VG_PERM_NONE = 0,     /* public: no authentication needed */
	VG_PERM_SELF,         /* any authenticated user, acting on their own account */
	VG_PERM_CATALOG_READ, /* the service catalog and entitlements */
	VG_PERM_TENANT_READ,
	VG_PERM_TENANT_WRITE,
	VG_PERM_USER_READ,
	VG_PERM_USER_WRITE,   /* customer users; staff users need VG_PERM_STAFF_WRITE too */
	VG_PERM_STAFF_WRITE,
	VG_PERM_TOKEN_READ,   /* every user's API tokens (own tokens are VG_PERM_SELF) */
	VG_PERM_TOKEN_WRITE,  /* create or revoke tokens, own or (admin) others' */
	VG_PERM_AUDIT_READ,
	VG_PERM_SOURCE_READ,  /* log sources and their counters */
	VG_PERM_SOURCE_WRITE, /* create sources, change them, rotate their tokens */
	VG_PERM_ALERT_READ,
	VG_PERM_ALERT_TRIAGE, /* acknowledge, assign, comment, close, reopen */
	VG_PERM_EVENT_READ,   /* search the event archive */
	VG_PERM_IOC_READ,
	VG_PERM_IOC_WRITE,
	VG_PERM_INCIDENT_READ,
	VG_PERM_INCIDENT_WRITE, /* escalate alerts, move phases, note, close */
	VG_PERM_CHANNEL_READ,  /* notification channels (never their secrets) */
	VG_PERM_CHANNEL_WRITE, /* create, change, delete and test them */
	VG_PERM_ASSET_READ,    /* the assets alerts named */
	VG_PERM_TICKET_READ,
	VG_PERM_TICKET_WRITE,  /* open tickets, take workflow steps, comment */
	VG_PERM_GROUP_READ,    /* staff groups tickets are assigned to */
	VG_PERM_GROUP_WRITE,   /* create them, add members */
	VG_PERM_MAIL_READ,     /* mailboxes (never their passwords) and the mail read */
	VG_PERM_MAIL_WRITE,    /* work the mail triage queue and failed mail */
	VG_PERM_MAILBOX_WRITE, /* add and change mailboxes */
	VG_PERM_RULE_READ,     /* the loaded detection rules; lint and try rule text */
	VG_PERM_RULE_WRITE,    /* switch a rule off or on for a tenant */
	VG_PERM_REPORT_READ,   /* the reports delivered, and download them */
	VG_PERM_REPORT_WRITE,  /* generate reports, set a tenant's report logo */
	VG_PERM__COUNT
} vg_perm;

/* "admin" -> VG_ROLE_ADMIN, ...; VG_ROLE_NONE for an unknown name. The
 * system role has no name and cannot be parsed or assigned. */
vg_role vg_role_parse(const char *name);
const char *vg_role_name(vg_role role);

/* "tenant.read", ... */
const char *vg_perm_name(vg_perm perm);

/* True when the permission writes (token scope "write" needed). */
bool vg_perm_writes(vg_perm perm);

bool vg_role_can(vg_role role, vg_perm perm);

/* Whether the caller's scopes allow a reading or a writing request (an API
 * token's scopes; sessions and the CLI hold both). */
bool vg_ctx_scope_allows(const vg_ctx *ctx, bool write);

/* The role's permission, narrowed by the caller's scopes. */
bool vg_ctx_can(const vg_ctx *ctx, vg_perm perm);

/* The role-by-permission table as Markdown, for docs/security.md. */
int vg_perm_render_markdown(vg_buf *out);

#endif
