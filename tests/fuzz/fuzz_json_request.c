/*
 * fuzz_json_request.c - API request bodies: vg_json_parse_object, then
 * vg_json_check against field tables like the API's (a tenant created,
 * a user created).
 *
 * Promises checked: any input is parsed or refused with VG_EINVAL, a
 * message and no object; a parsed object is checked against each table
 * without crashing, passing or failing with a message.
 */
#include "fuzz.h"

#include <stdlib.h>

#include "core/json.h"

static const vg_json_field tenant_create[] = {
	{ "name", VG_JSON_STRING, true },
	{ "edition", VG_JSON_STRING, true },
	{ "contract_start", VG_JSON_STRING, true },
	{ "contract_end", VG_JSON_STRING, true },
	{ "timezone", VG_JSON_STRING_OR_NULL, false },
	{ "contacts", VG_JSON_ARRAY, false },
	{ NULL, 0, false },
};

static const vg_json_field user_create[] = {
	{ "username", VG_JSON_STRING, true },
	{ "password", VG_JSON_STRING, true },
	{ "role", VG_JSON_STRING, true },
	{ "tenant_id", VG_JSON_INTEGER, false },
	{ "display_name", VG_JSON_STRING_OR_NULL, false },
	{ "email", VG_JSON_STRING_OR_NULL, false },
	{ "disabled", VG_JSON_BOOL, false },
	{ "settings", VG_JSON_OBJECT, false },
	{ NULL, 0, false },
};

static void check(const json_t *obj, const vg_json_field *fields)
{
	vg_error err = { 0 };
	int rc = vg_json_check(obj, fields, &err);

	if (rc != VG_OK && (rc != VG_EINVAL || !err.msg[0]))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	vg_error err = { 0 };
	json_t *obj;
	int rc;

	rc = vg_json_parse_object((const char *)data, size, &obj, &err);
	if (rc != VG_OK) {
		if (rc != VG_EINVAL || obj || !err.msg[0])
			abort();
		return 0;
	}
	check(obj, tenant_create);
	check(obj, user_create);
	json_decref(obj);
	return 0;
}
