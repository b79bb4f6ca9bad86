/*
 * groups.h - staff groups: the teams tickets are assigned to (the L2 SOC,
 * the network team), to a member of the team or to the team's queue.
 *
 * Groups are the MSSP's, not a tenant's: staff read them, admins and
 * managers create them and add members, and members are working staff
 * only (ops/staff.h: enabled admins, managers and analysts). A customer
 * context sees no group (VG_ENOTFOUND, as for one that does not exist).
 * A name is a slug because content names groups: the escalation rules of
 * content/sla.yaml reassign a ticket to a group by name, and the group
 * need not exist when the file is read, only when a rule is applied.
 */
#ifndef VG_ITSM_GROUPS_H
#define VG_ITSM_GROUPS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "store/ctx.h"
#include "store/store.h"

#define VG_GROUP_NAME_MAX 64 /* bytes */

/* A group name: 1 to VG_GROUP_NAME_MAX lowercase ASCII letters, digits,
 * '-', '_' and '.', starting with a letter or digit ("l2-soc"). */
bool vg_group_name_valid(const char *name);

/*
 * Creates group name with description (NULL: none) and sets *id (0 on
 * failure). VG_EINVAL "name must be 1 to 64 lowercase letters, digits,
 * '-', '_' or '.'" or naming a bad description; VG_EEXIST "group name
 * \"NAME\" is taken"; VG_EPERM for a customer context.
 */
int vg_group_create(vg_tx *tx, const vg_ctx *ctx, const char *name, const char *description,
		    int64_t *id, vg_error *err);

/* Group id as the API shows it, into *out (to decref): {"id", "name",
 * "description", "members": [{"id", "username"}], "created_at"}.
 * VG_ENOTFOUND "no such group". */
int vg_group_get(vg_tx *tx, const vg_ctx *ctx, int64_t id, json_t **out, vg_error *err);

/* Shaped as http.h's vg_list_fn: the groups in id order, each as
 * vg_group_get shows it. Groups belong to no tenant: tenant_id only
 * refuses a customer (VG_ENOTFOUND "no such tenant"). */
int vg_group_list(vg_tx *tx, const vg_ctx *ctx, int64_t tenant_id, int64_t after_id, int limit,
		  json_t **items, int64_t *last_id, vg_error *err);

/*
 * Adds user_id to group id. VG_ENOTFOUND "no such group"; VG_EINVAL "user
 * N is not an enabled admin, manager or analyst"; VG_EEXIST "USER is a
 * member of NAME already"; VG_EPERM for a customer context.
 */
int vg_group_add_member(vg_tx *tx, const vg_ctx *ctx, int64_t id, int64_t user_id, vg_error *err);

/* The id of the group called name into *id, 0 when there is none. */
int vg_group_find(vg_tx *tx, const char *name, int64_t *id, vg_error *err);

/* The name of group id into name (size bytes): VG_ENOTFOUND "no such
 * group". */
int vg_group_name(vg_tx *tx, int64_t id, char *name, size_t size, vg_error *err);

/* Whether user_id is a member of group id, into *member. */
int vg_group_has_member(vg_tx *tx, int64_t id, int64_t user_id, bool *member, vg_error *err);

#endif
