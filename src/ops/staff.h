/*
 * staff.h - the MSSP's working staff, as the work queues (alerts, tickets)
 * need them: the only users things are assigned to.
 */
#ifndef VG_OPS_STAFF_H
#define VG_OPS_STAFF_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "store/store.h"

/* The username of user_id when it is an enabled admin, manager or analyst;
 * VG_EINVAL naming the id otherwise. */
int vg_staff_name(vg_tx *tx, int64_t user_id, char *name, size_t size, vg_error *err);

#endif
