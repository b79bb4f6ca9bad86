/* role.c - role names and the permission table (see role.h). */
#include "identity/role.h"

#include <string.h>

enum {
	R_ADMIN = 1u << VG_ROLE_ADMIN,
	R_MANAGER = 1u << VG_ROLE_MANAGER,
	R_ANALYST = 1u << VG_ROLE_ANALYST,
	R_AUDITOR = 1u << VG_ROLE_AUDITOR,
	R_CUSTOMER_ADMIN = 1u << VG_ROLE_CUSTOMER_ADMIN,
	R_CUSTOMER_USER = 1u << VG_ROLE_CUSTOMER_USER,
	R_STAFF = R_ADMIN | R_MANAGER | R_ANALYST | R_AUDITOR,
	R_EVERYONE = R_STAFF | R_CUSTOMER_ADMIN | R_CUSTOMER_USER,
};

static const struct {
	const char *name;
	vg_role role;
} role_names[] = {
	{ "admin", VG_ROLE_ADMIN },
	{ "manager", VG_ROLE_MANAGER },
	{ "analyst", VG_ROLE_ANALYST },
	{ "auditor", VG_ROLE_AUDITOR },
	{ "customer_admin", VG_ROLE_CUSTOMER_ADMIN },
	{ "customer_user", VG_ROLE_CUSTOMER_USER },
};

/* The one permission table: who holds what. The system role (the CLI on
 * the server) holds everything and is not listed. */
static const struct {
	const char *name;
	bool writes;
	unsigned roles;
	const char *meaning;
} perms[VG_PERM__COUNT] = {
	[VG_PERM_NONE] = { "public", false, R_EVERYONE, "no login needed (health, metrics, login)" },
	[VG_PERM_SELF] = { "self", false, R_EVERYONE,
			   "own account: profile, password, TOTP, own API tokens, logout" },
	[VG_PERM_CATALOG_READ] = { "catalog.read", false, R_EVERYONE,
				   "service catalog and a tenant's entitlements" },
	[VG_PERM_TENANT_READ] = { "tenant.read", false, R_EVERYONE,
				  "tenants (customers: their own only)" },
	[VG_PERM_TENANT_WRITE] = { "tenant.write", true, R_ADMIN | R_MANAGER,
				   "create tenants, change contracts and contacts" },
	[VG_PERM_USER_READ] = { "user.read", false, R_STAFF | R_CUSTOMER_ADMIN,
				"users (customer admins: their tenant's only)" },
	[VG_PERM_USER_WRITE] = { "user.write", true, R_ADMIN | R_MANAGER | R_CUSTOMER_ADMIN,
				 "create and change customer users (customer admins: own tenant)" },
	[VG_PERM_STAFF_WRITE] = { "staff.write", true, R_ADMIN, "create and change staff users" },
	[VG_PERM_TOKEN_READ] = { "token.read", false, R_ADMIN | R_AUDITOR,
				 "every user's API tokens (without secrets)" },
	[VG_PERM_TOKEN_WRITE] = { "token.write", true,
				  R_ADMIN | R_MANAGER | R_ANALYST | R_CUSTOMER_ADMIN,
				  "create and revoke API tokens (admin: anyone's)" },
	[VG_PERM_AUDIT_READ] = { "audit.read", false, R_ADMIN | R_AUDITOR, "the audit trail" },
	[VG_PERM_SOURCE_READ] = { "source.read", false, R_STAFF | R_CUSTOMER_ADMIN,
				  "log sources and what they sent (customer admins: own tenant)" },
	[VG_PERM_SOURCE_WRITE] = { "source.write", true, R_ADMIN | R_MANAGER | R_ANALYST,
				   "create and change log sources, rotate their ingest tokens" },
	[VG_PERM_ALERT_READ] = { "alert.read", false, R_EVERYONE,
				 "alerts (customers: their tenant's only)" },
	[VG_PERM_ALERT_TRIAGE] = { "alert.triage", true, R_ADMIN | R_MANAGER | R_ANALYST,
				   "work alerts: acknowledge, assign, comment, close, reopen" },
	[VG_PERM_EVENT_READ] = { "event.read", false, R_STAFF | R_CUSTOMER_ADMIN,
				 "search the event archive (customer admins: own tenant)" },
	[VG_PERM_IOC_READ] = { "ioc.read", false, R_STAFF | R_CUSTOMER_ADMIN,
			       "indicator lists (customer admins: their tenant's only)" },
	[VG_PERM_IOC_WRITE] = { "ioc.write", true, R_ADMIN | R_MANAGER | R_ANALYST,
				"add and remove indicators, the MSSP's own list included" },
	[VG_PERM_INCIDENT_READ] = { "incident.read", false, R_EVERYONE,
				    "security incidents (customers: their tenant's only)" },
	[VG_PERM_INCIDENT_WRITE] = { "incident.write", true, R_ADMIN | R_MANAGER | R_ANALYST,
				     "escalate alerts into incidents, move their phases, note, close" },
	[VG_PERM_CHANNEL_READ] = { "channel.read", false, R_STAFF | R_CUSTOMER_ADMIN,
				   "notification channels, never their keys (customer admins: own "
				   "tenant)" },
	[VG_PERM_CHANNEL_WRITE] = { "channel.write", true, R_ADMIN | R_MANAGER | R_CUSTOMER_ADMIN,
				    "add, change, delete and test notification channels (customer "
				    "admins: own tenant; the MSSP's are staff's)" },
	[VG_PERM_ASSET_READ] = { "asset.read", false, R_EVERYONE,
				 "the asset inventory alerts seed (customers: their tenant's only)" },
	[VG_PERM_TICKET_READ] = { "ticket.read", false, R_EVERYONE,
				  "tickets (customers: their tenant's, without internal comments)" },
	[VG_PERM_TICKET_WRITE] = { "ticket.write", true,
				   R_ADMIN | R_MANAGER | R_ANALYST | R_CUSTOMER_ADMIN | R_CUSTOMER_USER,
				   "open tickets, take the workflow's steps, comment, attach files "
				   "(customers: their tenant's, public comments and files)" },
	[VG_PERM_GROUP_READ] = { "group.read", false, R_STAFF,
				 "staff groups tickets are assigned to, with their members" },
	[VG_PERM_GROUP_WRITE] = { "group.write", true, R_ADMIN | R_MANAGER,
				  "create staff groups and add staff to them" },
	[VG_PERM_MAIL_READ] = { "mail.read", false, R_STAFF,
				"mailboxes (never their passwords), the mail read from them and "
				"the triage queue" },
	[VG_PERM_MAIL_WRITE] = { "mail.write", true, R_ADMIN | R_MANAGER | R_ANALYST,
				 "work the mail triage queue: open a ticket from a mail, add it to "
				 "one, dismiss it, retry a failed one" },
	[VG_PERM_MAILBOX_WRITE] = { "mailbox.write", true, R_ADMIN,
				    "add, change and delete the mailboxes Vigil reads" },
	[VG_PERM_RULE_READ] = { "rule.read", false, R_STAFF,
				"the detection rules loaded, with their YAML; lint and try rule "
				"text" },
	[VG_PERM_RULE_WRITE] = { "rule.write", true, R_ADMIN | R_MANAGER,
				 "switch a detection rule off or on for a tenant" },
	[VG_PERM_REPORT_READ] = { "report.read", false, R_EVERYONE,
				  "monthly and incident reports, and their files (customers: "
				  "their tenant's only)" },
	[VG_PERM_REPORT_WRITE] = { "report.write", true, R_ADMIN | R_MANAGER | R_ANALYST,
				   "generate monthly and incident reports; set a tenant's report "
				   "logo" },
};

vg_role vg_role_parse(const char *name)
{
	for (size_t i = 0; i < sizeof(role_names) / sizeof(role_names[0]); i++)
		if (strcmp(role_names[i].name, name) == 0)
			return role_names[i].role;
	return VG_ROLE_NONE;
}

const char *vg_role_name(vg_role role)
{
	for (size_t i = 0; i < sizeof(role_names) / sizeof(role_names[0]); i++)
		if (role_names[i].role == role)
			return role_names[i].name;
	return role == VG_ROLE_SYSTEM ? "system" : "none";
}

const char *vg_perm_name(vg_perm perm)
{
	return perm < VG_PERM__COUNT ? perms[perm].name : "?";
}

bool vg_perm_writes(vg_perm perm)
{
	return perm < VG_PERM__COUNT && perms[perm].writes;
}

bool vg_role_can(vg_role role, vg_perm perm)
{
	if (perm >= VG_PERM__COUNT)
		return false;
	if (role == VG_ROLE_SYSTEM || perm == VG_PERM_NONE)
		return true;
	return role != VG_ROLE_NONE && (perms[perm].roles & (1u << role)) != 0;
}

bool vg_ctx_scope_allows(const vg_ctx *ctx, bool write)
{
	return (ctx->scopes & (write ? VG_SCOPE_WRITE : VG_SCOPE_READ)) != 0;
}

bool vg_ctx_can(const vg_ctx *ctx, vg_perm perm)
{
	return vg_role_can(ctx->role, perm) && vg_ctx_scope_allows(ctx, vg_perm_writes(perm));
}

int vg_perm_render_markdown(vg_buf *out)
{
	int rc = vg_buf_puts(out, "| permission | what it covers |");

	for (size_t r = 0; r < sizeof(role_names) / sizeof(role_names[0]) && !rc; r++)
		rc = vg_buf_printf(out, " %s |", role_names[r].name);
	if (!rc)
		rc = vg_buf_puts(out, "\n|---|---|");
	for (size_t r = 0; r < sizeof(role_names) / sizeof(role_names[0]) && !rc; r++)
		rc = vg_buf_puts(out, ":-:|");
	for (int p = VG_PERM_SELF; p < VG_PERM__COUNT && !rc; p++) {
		rc = vg_buf_printf(out, "\n| `%s` | %s |", perms[p].name, perms[p].meaning);
		for (size_t r = 0; r < sizeof(role_names) / sizeof(role_names[0]) && !rc; r++)
			rc = vg_buf_puts(out, vg_role_can(role_names[r].role, (vg_perm)p) ? " ✓ |"
											: "  |");
	}
	if (!rc)
		rc = vg_buf_puts(out, "\n");
	return rc;
}
