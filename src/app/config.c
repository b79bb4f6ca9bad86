/* config.c - the table of Vigil's configuration keys (see config.h). */
#include "app/config.h"

#include <stddef.h>

#define KEY_STR(n, f, def, d) { n, VG_CONF_STRING, offsetof(vg_config, f), 0, 0, def, d }
#define KEY_INT(n, f, lo, hi, def, d) { n, VG_CONF_INT, offsetof(vg_config, f), lo, hi, def, d }
#define KEY_BOOL(n, f, def, d) { n, VG_CONF_BOOL, offsetof(vg_config, f), 0, 0, def, d }

const vg_conf_key vg_config_keys[] = {
	KEY_STR("listen", listen, "127.0.0.1:8080",
		"Address and port the server listens on (host:port; [::1]:port for IPv6)."),
	KEY_STR("tls.cert", tls_cert, NULL,
		"PEM certificate chain; with tls.key, the server speaks HTTPS only."),
	KEY_STR("tls.key", tls_key, NULL, "PEM private key for tls.cert."),
	KEY_STR("public_url", public_url, NULL,
		"URL users reach the console at, used in links and mail; default derived from listen."),
	KEY_STR("store.url", store_url, NULL,
		"Where the data lives: sqlite:PATH; default sqlite:DATA/vigil.db."),
	KEY_INT("store.readers", store_readers, 1, 64, "4",
		"Pooled read connections to the store."),
	KEY_STR("log.level", log_level, "info", "Least severity logged: debug, info, warn or error."),
	KEY_INT("http.threads", http_threads, 1, 256, "4", "Worker threads serving HTTP requests."),
	KEY_INT("http.max_body_bytes", http_max_body_bytes, 1024, 1073741824, "1048576",
		"Largest request body accepted; larger ones are answered 413."),
	KEY_INT("http.timeout_seconds", http_timeout_seconds, 1, 3600, "30",
		"A connection idle this long (a slow or stalled client) is closed."),
	KEY_INT("http.max_connections", http_max_connections, 1, 100000, "1024",
		"Concurrent connections accepted; more are refused."),
	KEY_INT("session.ttl_minutes", session_ttl_minutes, 5, 43200, "720",
		"A login session ends this long after it began, however active."),
	KEY_INT("session.idle_minutes", session_idle_minutes, 1, 43200, "60",
		"A login session ends after this long without a request."),
	KEY_INT("auth.lockout_failures", auth_lockout_failures, 1, 1000, "5",
		"Failed logins for one user, within the window, that lock the user."),
	KEY_INT("auth.address_failures", auth_address_failures, 1, 100000, "20",
		"Failed logins from one source address, within the window, that block the address."),
	KEY_INT("auth.failure_window_minutes", auth_failure_window_minutes, 1, 1440, "15",
		"Window in which failed logins are counted."),
	KEY_INT("auth.lockout_minutes", auth_lockout_minutes, 1, 10080, "15",
		"How long a locked user or blocked address must wait."),
	KEY_INT("ingest.max_body_bytes", ingest_max_body_bytes, 1024, 1073741824, "67108864",
		"Largest ingest request body (after gzip is undone as well); larger is answered 413."),
	KEY_INT("ingest.max_event_bytes", ingest_max_event_bytes, 256, 1048576, "1048576",
		"Longest event (a JSON object or a log line) accepted; longer ones are refused."),
	KEY_INT("ingest.rejects_kept", ingest_rejects_kept, 0, 100000, "1000",
		"Refused records kept verbatim per source, the newest, to be replayed once fixed."),
	KEY_STR("detect.rules", detect_rules, NULL,
		"Sigma rule files or directories run besides the shipped ones, separated by ':'."),
	KEY_STR("detect.placeholders", detect_placeholders, NULL,
		"YAML file of values for the placeholders rules expand (Administrators: [...])."),
	KEY_STR("alerts.group_by", alerts_group_by, NULL,
		"Fields (Sigma names, separated by ',') whose values split a detection's alerts."),
	KEY_INT("alerts.group_window_minutes", alerts_group_window_minutes, 1, 525600, "1440",
		"Matches join an open alert of their group while its last match is this recent."),
	KEY_BOOL("notify.allow_private_targets", notify_allow_private_targets, "false",
		 "Let notification channels and mailboxes reach loopback, private and link-local "
		 "addresses (an internal webhook, mail relay or IMAP server); off, they may reach "
		 "only public ones."),
	KEY_STR("notify.timezone", notify_timezone, "Asia/Shanghai",
		"Time zone of the quiet hours of the MSSP's own routes (a tenant's routes use the tenant's)."),
	KEY_INT("notify.retry_base_seconds", notify_retry_base_seconds, 1, 3600, "30",
		"Wait before a failed notification's first retry; each retry after doubles it, to an hour at most."),
	KEY_INT("notify.max_attempts", notify_max_attempts, 1, 50, "8",
		"Tries a notification gets before it is given up as failed."),
	KEY_INT("attachments.max_bytes", attachments_max_bytes, 1024, 1073741824, "10485760",
		"Largest ticket attachment accepted; a larger upload is answered 413."),
	KEY_INT("mail.poll_seconds", mail_poll_seconds, 1, 86400, "60",
		"How often the mailboxes are read for new mail."),
	KEY_INT("mail.max_message_bytes", mail_max_message_bytes, 65536, 1073741824, "26214400",
		"Largest mail fetched from a mailbox; a larger one is kept as failed, to be fetched "
		"again once this is raised."),
	{ 0 },
};
