/*
 * routes.c - every HTTP route Vigil serves, in one table.
 *
 * docs/openapi.yaml describes each of these; `vigil routes` prints the table
 * and the integration tests walk it (tenant isolation is checked on every
 * route listed here).
 */
#include "api/api.h"

#define PUBLIC VG_ROUTE_PUBLIC
#define RAW VG_ROUTE_RAW
#define BULK VG_ROUTE_BULK

const vg_route vg_routes[] = {
	{ "GET", "/healthz", api_health, VG_PERM_NONE, PUBLIC, NULL, NULL,
	  "Liveness and store reachability" },
	{ "GET", "/metrics", api_metrics, VG_PERM_NONE, PUBLIC | RAW, NULL, NULL,
	  "Prometheus metrics" },

	{ "POST", "/api/v1/auth/login", api_auth_login, VG_PERM_NONE, PUBLIC, "auth.login", NULL,
	  "Log in; sets the session cookie and returns the CSRF token" },
	{ "POST", "/api/v1/auth/logout", api_auth_logout, VG_PERM_SELF, 0, "auth.logout", NULL,
	  "End the current session" },
	{ "GET", "/api/v1/me", api_me_get, VG_PERM_SELF, 0, NULL, NULL,
	  "The caller's account, tenant and permissions" },
	{ "POST", "/api/v1/me/password", api_me_password, VG_PERM_SELF, 0, "user.password", NULL,
	  "Change the caller's password" },
	{ "POST", "/api/v1/me/totp", api_me_totp_enroll, VG_PERM_SELF, 0, "user.totp_enroll", NULL,
	  "Start TOTP enrolment: a new secret and otpauth URI" },
	{ "POST", "/api/v1/me/totp/confirm", api_me_totp_confirm, VG_PERM_SELF, 0,
	  "user.totp_enable", NULL, "Confirm TOTP enrolment with a current code" },

	{ "GET", "/api/v1/catalog", api_catalog_get, VG_PERM_CATALOG_READ, 0, NULL, NULL,
	  "The service catalog: categories, items, editions, quotas" },

	{ "GET", "/api/v1/tenants", api_tenants_list, VG_PERM_TENANT_READ, 0, NULL, NULL,
	  "List tenants" },
	{ "POST", "/api/v1/tenants", api_tenants_create, VG_PERM_TENANT_WRITE, 0, "tenant.create",
	  NULL, "Create a tenant" },
	{ "GET", "/api/v1/tenants/{id}", api_tenants_get, VG_PERM_TENANT_READ, 0, NULL, "tenant",
	  "Get a tenant" },
	{ "PATCH", "/api/v1/tenants/{id}", api_tenants_update, VG_PERM_TENANT_WRITE, 0,
	  "tenant.update", "tenant", "Change a tenant's name, edition, contract or contacts" },
	{ "GET", "/api/v1/tenants/{id}/entitlements", api_tenants_entitlements,
	  VG_PERM_CATALOG_READ, 0, NULL, "tenant", "What the tenant's contract includes" },

	{ "GET", "/api/v1/users", api_users_list, VG_PERM_USER_READ, 0, NULL, NULL,
	  "List users" },
	{ "POST", "/api/v1/users", api_users_create, VG_PERM_USER_WRITE, 0, "user.create", NULL,
	  "Create a user" },
	{ "GET", "/api/v1/users/{id}", api_users_get, VG_PERM_USER_READ, 0, NULL, "user",
	  "Get a user" },
	{ "PATCH", "/api/v1/users/{id}", api_users_update, VG_PERM_USER_WRITE, 0, "user.update",
	  "user", "Change a user's details, role, password or disabled state" },

	{ "GET", "/api/v1/tokens", api_tokens_list, VG_PERM_SELF, 0, NULL, NULL,
	  "List API tokens (the caller's own; every user's with token.read)" },
	{ "POST", "/api/v1/tokens", api_tokens_create, VG_PERM_TOKEN_WRITE, 0, "token.create", NULL,
	  "Create an API token; the secret is shown once" },
	{ "DELETE", "/api/v1/tokens/{id}", api_tokens_revoke, VG_PERM_TOKEN_WRITE, 0,
	  "token.revoke", "token", "Revoke an API token" },

	{ "GET", "/api/v1/audit", api_audit_list, VG_PERM_AUDIT_READ, 0, NULL, NULL,
	  "Read the audit trail, newest first" },

	{ "GET", "/api/v1/sources", api_sources_list, VG_PERM_SOURCE_READ, 0, NULL, NULL,
	  "List log sources" },
	{ "POST", "/api/v1/sources", api_sources_create, VG_PERM_SOURCE_WRITE, 0, "source.create",
	  NULL, "Create a log source; its ingest token is shown once" },
	{ "GET", "/api/v1/sources/{id}", api_sources_get, VG_PERM_SOURCE_READ, 0, NULL, "source",
	  "Get a log source" },
	{ "PATCH", "/api/v1/sources/{id}", api_sources_update, VG_PERM_SOURCE_WRITE, 0,
	  "source.update", "source", "Rename, enable or disable a source, or change its listener" },
	{ "POST", "/api/v1/sources/{id}/token", api_sources_rotate, VG_PERM_SOURCE_WRITE, 0,
	  "source.token", "source", "Replace a source's ingest token; the new one is shown once" },
	{ "GET", "/api/v1/sources/{id}/stats", api_sources_stats, VG_PERM_SOURCE_READ, 0, NULL,
	  "source", "What a source sent: events, bytes, refused records by reason" },
	/* Authenticated by the source's own token, not a user's: see api/ingest.c. */
	{ "POST", "/api/v1/ingest/{id}", api_ingest, VG_PERM_NONE, PUBLIC | RAW | BULK, NULL,
	  "source", "Send events (JSON, NDJSON or log lines; gzip) with the source's token" },

	{ "GET", "/api/v1/alerts", api_alerts_list, VG_PERM_ALERT_READ, 0, NULL, NULL,
	  "List alerts, newest first (filters: tenant, source, status, rule, min_severity, "
	  "assignee, since, until)" },
	{ "GET", "/api/v1/alerts/metrics", api_alerts_metrics, VG_PERM_ALERT_READ, 0, NULL, NULL,
	  "Mean time to acknowledge and to close, per tenant and severity" },
	{ "POST", "/api/v1/alerts/bulk", api_alerts_bulk, VG_PERM_ALERT_TRIAGE, 0, "alert.bulk",
	  NULL, "The same triage step on many alerts, all or none" },
	{ "GET", "/api/v1/alerts/{id}", api_alerts_get, VG_PERM_ALERT_READ, 0, NULL, "alert",
	  "Get an alert with its first and latest event" },
	{ "POST", "/api/v1/alerts/{id}/acknowledge", api_alerts_acknowledge, VG_PERM_ALERT_TRIAGE,
	  0, "alert.acknowledge", "alert", "Acknowledge an open alert" },
	{ "POST", "/api/v1/alerts/{id}/assign", api_alerts_assign, VG_PERM_ALERT_TRIAGE, 0,
	  "alert.assign", "alert", "Give an alert to a staff user, or take it back (null)" },
	{ "POST", "/api/v1/alerts/{id}/comments", api_alerts_comment, VG_PERM_ALERT_TRIAGE, 0,
	  "alert.comment", "alert", "Add a comment to an alert's activity" },
	{ "POST", "/api/v1/alerts/{id}/close", api_alerts_close, VG_PERM_ALERT_TRIAGE, 0,
	  "alert.close", "alert", "Close an alert with a disposition and a reason" },
	{ "POST", "/api/v1/alerts/{id}/reopen", api_alerts_reopen, VG_PERM_ALERT_TRIAGE, 0,
	  "alert.reopen", "alert", "Reopen a closed alert" },

	{ "GET", "/api/v1/suppressions", api_suppressions_list, VG_PERM_ALERT_READ, 0, NULL, NULL,
	  "List suppressions with what each kept from opening (tenant_id null: every tenant's)" },
	{ "POST", "/api/v1/suppressions", api_suppressions_create, VG_PERM_ALERT_TRIAGE, 0,
	  "suppression.create", NULL, "Silence matching alerts until a time, with a reason" },
	{ "GET", "/api/v1/suppressions/{id}", api_suppressions_get, VG_PERM_ALERT_READ, 0, NULL,
	  "suppression", "Get a suppression" },
	{ "DELETE", "/api/v1/suppressions/{id}", api_suppressions_delete, VG_PERM_ALERT_TRIAGE, 0,
	  "suppression.delete", "suppression", "Lift a suppression" },

	{ "GET", "/api/v1/iocs", api_iocs_list, VG_PERM_IOC_READ, 0, NULL, NULL,
	  "List indicators of compromise (tenant_id null: the MSSP's own list, for every tenant)" },
	{ "POST", "/api/v1/iocs", api_iocs_create, VG_PERM_IOC_WRITE, 0, "ioc.create", NULL,
	  "Add indicators (IPs and networks, domains, URLs, hashes) to a list" },
	{ "GET", "/api/v1/iocs/{id}", api_iocs_get, VG_PERM_IOC_READ, 0, NULL, "ioc",
	  "Get an indicator" },
	{ "DELETE", "/api/v1/iocs/{id}", api_iocs_delete, VG_PERM_IOC_WRITE, 0, "ioc.delete", "ioc",
	  "Remove an indicator" },

	{ "GET", "/api/v1/channels", api_channels_list, VG_PERM_CHANNEL_READ, 0, NULL, NULL,
	  "List notification channels (never their keys)" },
	{ "POST", "/api/v1/channels", api_channels_create, VG_PERM_CHANNEL_WRITE, 0,
	  "channel.create", NULL, "Add a notification channel; it is checked before it is kept" },
	{ "GET", "/api/v1/channels/{id}", api_channels_get, VG_PERM_CHANNEL_READ, 0, NULL,
	  "channel", "Get a notification channel" },
	{ "PATCH", "/api/v1/channels/{id}", api_channels_update, VG_PERM_CHANNEL_WRITE, 0,
	  "channel.update", "channel", "Change a channel's name, URL, secret, recipients or state" },
	{ "DELETE", "/api/v1/channels/{id}", api_channels_delete, VG_PERM_CHANNEL_WRITE, 0,
	  "channel.delete", "channel", "Delete a notification channel" },
	{ "POST", "/api/v1/channels/{id}/test", api_channels_test, VG_PERM_CHANNEL_WRITE, 0,
	  "channel.test", "channel", "Send a test message now and answer what the vendor said" },
	{ "GET", "/api/v1/notify-routes", api_notify_routes_list, VG_PERM_CHANNEL_READ, 0, NULL,
	  NULL, "List routing rules: which alerts go to which channel" },
	{ "POST", "/api/v1/notify-routes", api_notify_routes_create, VG_PERM_CHANNEL_WRITE, 0,
	  "route.create", NULL, "Add a routing rule" },
	{ "GET", "/api/v1/notify-routes/{id}", api_notify_routes_get, VG_PERM_CHANNEL_READ, 0, NULL,
	  "route", "Get a routing rule" },
	{ "PATCH", "/api/v1/notify-routes/{id}", api_notify_routes_update, VG_PERM_CHANNEL_WRITE, 0,
	  "route.update", "route", "Change a routing rule" },
	{ "DELETE", "/api/v1/notify-routes/{id}", api_notify_routes_delete, VG_PERM_CHANNEL_WRITE,
	  0, "route.delete", "route", "Delete a routing rule" },
	{ "GET", "/api/v1/deliveries", api_deliveries_list, VG_PERM_CHANNEL_READ, 0, NULL, NULL,
	  "The notification log: every message sent or waiting, oldest first" },
	{ "GET", "/api/v1/deliveries/{id}", api_deliveries_get, VG_PERM_CHANNEL_READ, 0, NULL,
	  "delivery", "One notification with its text and every attempt's answer" },

	{ "GET", "/api/v1/events", api_events_search, VG_PERM_EVENT_READ, 0, NULL, NULL,
	  "Hunt a tenant's archived events with a Sigma detection (q), between from and to" },

	{ NULL, NULL, NULL, VG_PERM_NONE, 0, NULL, NULL, NULL },
};
