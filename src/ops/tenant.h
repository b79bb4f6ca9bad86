/*
 * tenant.h - tenants: the MSSP's customers and their contracts.
 *
 * Every function takes the caller's context. A customer-scoped caller
 * (ctx->tenant_id != 0) sees only its own tenant: any other id or name is
 * VG_ENOTFOUND "no such tenant", exactly as for an id that does not exist,
 * so nothing about other customers leaks.
 *
 * Validation (create and update), each failure VG_EINVAL with the message
 * shown:
 *   name      trimmed of surrounding white space, then 1 to 200 characters of
 *             UTF-8 text without control characters
 *             ("name must be 1 to 200 characters",
 *              "name must be UTF-8 text without control characters")
 *   edition   "edition must be professional or enterprise"
 *   dates     "contract_start must be a date YYYY-MM-DD" (likewise
 *             contract_end); "contract_end is before contract_start"
 *   timezone  "UTC" or a zone of the system's tz database, such as
 *             Asia/Shanghai ("timezone \"Mars/Base\" is not a known time zone")
 *   contacts  an array of objects with only the string fields name (required),
 *             email, phone and role ("contacts[1]: unknown field \"fax\""),
 *             and reports: true for the contacts the monthly report is
 *             mailed to
 *   retention_days  how long the tenant's events are archived, 1 to 3650
 *             ("retention_days must be from 1 to 3650"); default 180, the six
 *             months China's Cybersecurity Law asks for
 *   sla_policy  a policy of content/sla.yaml the tenant is on instead of
 *             its edition's: at most 64 bytes here ("sla_policy is longer
 *             than 64 bytes"); that the policy exists is the caller's to
 *             check (itsm/sla.h's vg_sla_policy_check: ops sits below itsm)
 *   report_language  zh-CN (the default) or en: what its scheduled monthly
 *             reports are written in ("report_language must be zh-CN or en")
 * A name used by another tenant is VG_EEXIST "tenant name \"X\" is taken".
 */
#ifndef VG_OPS_TENANT_H
#define VG_OPS_TENANT_H

#include <jansson.h>
#include <stdint.h>

#include "core/error.h"
#include "store/ctx.h"
#include "store/store.h"

#define VG_TENANT_NAME_MAX 200 /* characters */
#define VG_TENANT_DEFAULT_TIMEZONE "Asia/Shanghai"
#define VG_TENANT_RETENTION_DAYS_DEFAULT 180

typedef struct vg_tenant {
	int64_t id;
	char name[VG_TENANT_NAME_MAX * 4 + 1]; /* UTF-8: up to 4 bytes a character */
	char edition[16];                      /* "professional" or "enterprise" */
	char contract_start[11];               /* YYYY-MM-DD, inclusive */
	char contract_end[11];                 /* YYYY-MM-DD, inclusive */
	char timezone[64];
	json_t *contacts; /* owned: array of {name, email, phone, role, reports} */
	int retention_days;
	char sla_policy[65]; /* "": the edition's */
	char report_language[8]; /* "zh-CN" or "en": of its scheduled reports */
	int64_t created_at; /* Unix ms */
	int64_t updated_at;
} vg_tenant;

/* The fields of a create or update, borrowed from the caller. NULL leaves a
 * field unchanged (update) or takes its default (create: timezone
 * Asia/Shanghai, no contacts); create needs name, edition and both dates. */
typedef struct vg_tenant_fields {
	const char *name;
	const char *edition;
	const char *contract_start;
	const char *contract_end;
	const char *timezone;
	const json_t *contacts;
	int retention_days; /* 0: unchanged, or the default */
	const char *sla_policy; /* "": back to the edition's */
	const char *report_language; /* "zh-CN" (the default) or "en" */
} vg_tenant_fields;

/*
 * Creates a tenant and sets *id_out (0 on failure). tx must be a write
 * transaction. VG_EINVAL as above or `missing field "name"`; VG_EEXIST when
 * the name is taken; VG_EPERM "customers cannot create tenants" for a
 * customer-scoped ctx.
 */
int vg_tenant_create(vg_tx *tx, const vg_ctx *ctx, const vg_tenant_fields *in, int64_t *id_out,
		     vg_error *err);

/* Fills *out with tenant id (release with vg_tenant_release; *out is zeroed
 * on failure). VG_ENOTFOUND "no such tenant" when it does not exist or ctx
 * may not see it. */
int vg_tenant_get(vg_tx *tx, const vg_ctx *ctx, int64_t id, vg_tenant *out, vg_error *err);

/* As vg_tenant_get, by exact name. */
int vg_tenant_find(vg_tx *tx, const vg_ctx *ctx, const char *name, vg_tenant *out,
		   vg_error *err);

/* By id when which is a positive decimal number, else by name (for
 * command-line arguments, which name a tenant either way). */
int vg_tenant_lookup(vg_tx *tx, const vg_ctx *ctx, const char *which, vg_tenant *out,
		     vg_error *err);

/* Changes the fields set in in, validated against the tenant's other
 * fields (a new contract_end is checked against the stored start). tx must
 * be a write transaction. Errors as for create and get. */
int vg_tenant_update(vg_tx *tx, const vg_ctx *ctx, int64_t id, const vg_tenant_fields *in,
		     vg_error *err);

/*
 * Tenants visible to ctx with id > after_id, in id order, at most limit, as
 * a new JSON array of vg_tenant_to_json objects in *items; *last_id is the
 * last id listed (0 when none). tenant_id, when not 0, lists only that
 * tenant; a customer naming a tenant other than its own gets VG_ENOTFOUND
 * "no such tenant". (Shaped as http.h's vg_list_fn.)
 */
int vg_tenant_list(vg_tx *tx, const vg_ctx *ctx, int64_t tenant_id, int64_t after_id, int limit,
		   json_t **items, int64_t *last_id, vg_error *err);

/* Frees what t owns (its contacts); t itself is the caller's. */
void vg_tenant_release(vg_tenant *t);

/* The API form: {"id", "name", "edition", "contract_start", "contract_end",
 * "timezone", "contacts", "retention_days", "sla_policy" (null: the
 * edition's), "created_at", "updated_at"}, instants as ISO 8601
 * UTC. A new reference; NULL when out of memory. */
json_t *vg_tenant_to_json(const vg_tenant *t);

#endif
