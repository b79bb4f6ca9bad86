/*
 * config.h - Vigil's settings: the struct and the table of keys behind it.
 *
 * Loaded by vg_app_open from DATA/vigil.yaml, then VIGIL_* environment
 * variables, over the defaults in the table (app/config.c). The table is the
 * single source of docs/config.md (`vigil config --markdown`).
 */
#ifndef VG_APP_CONFIG_H
#define VG_APP_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#include "core/config.h"

typedef struct vg_config {
	char *listen;                 /* "127.0.0.1:8080" */
	char *tls_cert;               /* PEM file; NULL: plain HTTP */
	char *tls_key;
	char *public_url;             /* how users reach the console; NULL: derived */
	char *notify_timezone;        /* zone of the MSSP's routes' quiet hours */
	char *console_dir;            /* NULL: the build's web/dist */
	char *store_url;              /* NULL: sqlite:DATA/vigil.db */
	int64_t store_readers;
	char *log_level;
	int64_t http_threads;
	int64_t http_max_body_bytes;
	int64_t http_timeout_seconds;
	int64_t http_max_connections;
	int64_t session_ttl_minutes;
	int64_t session_idle_minutes;
	int64_t auth_lockout_failures;  /* per user, within the window */
	int64_t auth_address_failures;  /* per source address, within the window */
	int64_t auth_failure_window_minutes;
	int64_t auth_lockout_minutes;
	int64_t ingest_max_body_bytes;
	int64_t ingest_max_event_bytes;
	int64_t ingest_rejects_kept;
	char *detect_rules;        /* extra rule paths, ':'-separated; NULL: none */
	char *detect_placeholders; /* placeholder file; NULL: none */
	char *alerts_group_by;     /* ','-separated Sigma field names; NULL: none */
	int64_t alerts_group_window_minutes;
	bool notify_allow_private_targets;
	int64_t notify_retry_base_seconds;
	int64_t notify_max_attempts;
	int64_t attachments_max_bytes;
	int64_t mail_poll_seconds;
	int64_t mail_max_message_bytes;
	char *report_issuer;
	char *report_email_channel; /* NULL: monthly reports are not mailed */
	int64_t report_check_seconds;
} vg_config;

extern const vg_conf_key vg_config_keys[];

#define VG_ENV_PREFIX "VIGIL_"

#endif
