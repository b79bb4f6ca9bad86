/* staff.c - working staff (see staff.h). */
#include "ops/staff.h"

#include <stdio.h>

int vg_staff_name(vg_tx *tx, int64_t user_id, char *name, size_t size, vg_error *err)
{
	vg_rows *r;
	int rc = vg_tx_query(tx,
			     "SELECT username FROM users WHERE id = ? AND tenant_id IS NULL AND "
			     "disabled = 0 AND role IN ('admin', 'manager', 'analyst')",
			     VG_PARAMS(VG_P_INT(user_id)), &r, err);

	if (rc)
		return rc;
	rc = vg_rows_next(r, err);
	if (rc == 1) {
		snprintf(name, size, "%s", vg_rows_text(r, 0));
		rc = VG_OK;
	} else if (rc == 0) {
		rc = vg_error_set(err, VG_EINVAL,
				  "user %lld is not an enabled admin, manager or analyst",
				  (long long)user_id);
	}
	vg_rows_free(r);
	return rc;
}
