/* demo.c - `vigil demo`: a believable MSSP in a fresh store. */
#include "cmd/cmd.h"

#include <string.h>

#include "core/json.h"
#include "core/time.h"
#include "identity/role.h"
#include "identity/password.h"
#include "identity/user.h"
#include "ops/tenant.h"

static const char usage[] =
	"usage: vigil demo --data DIR\n\n"
	"Adds two customers (one Professional, one Enterprise), the MSSP's staff and\n"
	"each customer's users to a store that has no tenants yet, and prints every\n"
	"login as \"username role password\" lines. Later features add their own demo\n"
	"data here.\n";

static const struct {
	const char *name;
	const char *edition;
	const char *contacts;
} demo_tenants[] = {
	{ "Hangzhou Lantern Retail", "professional",
	  "[{\"name\":\"Chen Jing\",\"email\":\"chen.jing@lantern-retail.example\","
	  "\"phone\":\"+86 571 5550 1201\",\"role\":\"IT manager\"}]" },
	{ "Shenzhen Harbour Logistics", "enterprise",
	  "[{\"name\":\"Li Wei\",\"email\":\"li.wei@harbour-logistics.example\","
	  "\"phone\":\"+86 755 5550 8870\",\"role\":\"CISO\"},"
	  "{\"name\":\"Zhao Min\",\"email\":\"soc@harbour-logistics.example\","
	  "\"phone\":\"+86 755 5550 8871\",\"role\":\"security on-call\"}]" },
};

static const struct {
	const char *username;
	const char *display_name;
	vg_role role;
	int tenant; /* index into demo_tenants + 1; 0 for staff */
} demo_users[] = {
	{ "wang.manager", "Wang Fang", VG_ROLE_MANAGER, 0 },
	{ "liu.analyst", "Liu Yang", VG_ROLE_ANALYST, 0 },
	{ "sun.analyst", "Sun Hao", VG_ROLE_ANALYST, 0 },
	{ "zhou.auditor", "Zhou Lin", VG_ROLE_AUDITOR, 0 },
	{ "lantern.admin", "Chen Jing", VG_ROLE_CUSTOMER_ADMIN, 1 },
	{ "lantern.user", "Xu Ming", VG_ROLE_CUSTOMER_USER, 1 },
	{ "harbour.admin", "Li Wei", VG_ROLE_CUSTOMER_ADMIN, 2 },
	{ "harbour.user", "Zhao Min", VG_ROLE_CUSTOMER_USER, 2 },
};

#define NTENANTS (sizeof(demo_tenants) / sizeof(demo_tenants[0]))
#define NUSERS (sizeof(demo_users) / sizeof(demo_users[0]))

typedef struct demo_state {
	char passwords[NUSERS][VG_PASSWORD_GENERATED_LEN + 1];
} demo_state;

/* The current year's contract, 1 January to 31 December. */
static void contract_year(char start[11], char end[11])
{
	char now[VG_TIME_ISO_LEN];

	vg_time_format_iso(vg_time_now_ms(), now);
	snprintf(start, 11, "%.4s-01-01", now);
	snprintf(end, 11, "%.4s-12-31", now);
}

static int fill(vg_tx *tx, const vg_ctx *ctx, void *arg, vg_audit_entry *entry, vg_error *err)
{
	demo_state *st = arg;
	int64_t tenant_ids[NTENANTS], existing, id;
	char start[11], end[11];
	int rc;

	rc = vg_tx_query_int(tx, "SELECT COUNT(*) FROM tenants", VG_NO_PARAMS, &existing, err);
	if (rc)
		return rc;
	if (existing)
		return vg_error_set(err, VG_ECONFLICT,
				    "the store already has tenants; demo data goes into a fresh store");
	contract_year(start, end);
	for (size_t i = 0; i < NTENANTS; i++) {
		json_t *contacts = json_loads(demo_tenants[i].contacts, 0, NULL);

		rc = vg_tenant_create(tx, ctx,
				      &(vg_tenant_fields){ .name = demo_tenants[i].name,
							   .edition = demo_tenants[i].edition,
							   .contract_start = start,
							   .contract_end = end,
							   .timezone = "Asia/Shanghai",
							   .contacts = contacts },
				      &tenant_ids[i], err);
		json_decref(contacts);
		if (rc)
			return rc;
	}
	for (size_t i = 0; i < NUSERS; i++) {
		vg_password_generate(st->passwords[i], sizeof(st->passwords[i]));
		rc = vg_user_create(
			tx, ctx,
			&(vg_user_new){ .username = demo_users[i].username,
					.password = st->passwords[i],
					.role = demo_users[i].role,
					.display_name = demo_users[i].display_name,
					.tenant_id = demo_users[i].tenant
							     ? tenant_ids[demo_users[i].tenant - 1]
							     : 0 },
			&id, err);
		if (rc)
			return rc;
	}
	entry->object = "store";
	entry->detail = "2 tenants, 8 users";
	return VG_OK;
}

int cmd_demo(int argc, char **argv)
{
	const char *data = NULL, *dir;
	cmd_flag flags[] = { { "data", true, &data, NULL }, { 0 } };
	demo_state st;
	vg_error err = { 0 };
	vg_app *app = NULL;
	int status;

	if (!cmd_parse_flags(argc, argv, flags, NULL, 0, NULL, usage, &status))
		return status;
	dir = cmd_data_dir(data, usage);
	if (!dir)
		return VG_EXIT_USAGE;
	status = cmd_open_app(dir, false, &app);
	if (status)
		return status;
	if (cmd_write(app, "store.demo", fill, &st, &err)) {
		status = cmd_fail(&err);
	} else {
		for (size_t i = 0; i < NUSERS; i++)
			printf("%-18s %-16s %s\n", demo_users[i].username,
			       vg_role_name(demo_users[i].role), st.passwords[i]);
	}
	memset(&st, 0, sizeof(st));
	vg_app_close(app);
	return status;
}
