/*
 * worklog.h - time worked on tickets, and the contract's metered service
 * items against their yearly quota (catalog: on-duty watch 16 hours a year
 * for Professional, 48 for Enterprise; the excess is billed separately).
 */
#ifndef VG_ITSM_WORKLOG_H
#define VG_ITSM_WORKLOG_H

#include <jansson.h>
#include <stdint.h>

#include "core/error.h"
#include "store/ctx.h"
#include "store/store.h"

/*
 * Logs minutes (1-1440) of work on ticket id against service item (an item
 * of the ticket's tenant's contract), done at worked_at (0: now; not in the
 * future, nor over a year ago), with a note (may be NULL). Staff only:
 * VG_EPERM for a customer. VG_EINVAL naming a bad field; VG_ENOTFOUND for a
 * ticket ctx cannot see.
 */
int vg_worklog_add(vg_tx *tx, const vg_ctx *ctx, int64_t id, const char *item, int minutes,
		   int64_t worked_at, const char *note, int64_t *tenant_id, vg_error *err);

/*
 * The metered items of tenant_id's contract in the contract year holding
 * today ("YYYY-MM-DD"; years start on the contract start's anniversary,
 * days in UTC): {"tenant_id", "contract_year": {"from", "until"}, "items":
 * [{"id", "name", "name_zh", "quota_hours", "used_hours", "remaining_hours",
 * "over_quota_hours", "warning"}]}, warning from 80% of a quota used.
 */
int vg_tenant_quotas(vg_tx *tx, const vg_ctx *ctx, int64_t tenant_id, const char *today,
		     json_t **out, vg_error *err);

#endif
