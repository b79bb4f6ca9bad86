/* staff.c - working staff (see staff.h). */
#include "ops/staff.h"

int vg_staff_name(vg_tx *tx, int64_t user_id, char *name, size_t size, vg_error *err)
{
	int rc = vg_tx_query_text(tx,
				  "SELECT username FROM users WHERE id = ? AND tenant_id IS NULL AND "
				  "disabled = 0 AND role IN ('admin', 'manager', 'analyst')",
				  VG_PARAMS(VG_P_INT(user_id)), name, size, err);

	if (rc == VG_ENOTFOUND)
		return vg_error_set(err, VG_EINVAL,
				    "user %lld is not an enabled admin, manager or analyst",
				    (long long)user_id);
	return rc;
}
