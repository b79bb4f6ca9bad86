/*
 * log.h - diagnostics to stderr, one line per event.
 *
 * Lines read "2026-11-25T02:01:52.123Z warn http: message". Results go to
 * stdout; the log is chatter and never carries secrets: callers pass
 * usernames and ids, never passwords, tokens or keys.
 */
#ifndef VG_CORE_LOG_H
#define VG_CORE_LOG_H

enum vg_log_level { VG_LOG_DEBUG, VG_LOG_INFO, VG_LOG_WARN, VG_LOG_ERROR };

/* Sets the least level written; the default is VG_LOG_INFO. */
void vg_log_set_level(enum vg_log_level level);

/* Parses "debug", "info", "warn" or "error"; -1 for anything else. */
int vg_log_level_parse(const char *name);

void vg_log(enum vg_log_level level, const char *subsystem, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define vg_debug(sub, ...) vg_log(VG_LOG_DEBUG, sub, __VA_ARGS__)
#define vg_info(sub, ...) vg_log(VG_LOG_INFO, sub, __VA_ARGS__)
#define vg_warn(sub, ...) vg_log(VG_LOG_WARN, sub, __VA_ARGS__)
#define vg_err(sub, ...) vg_log(VG_LOG_ERROR, sub, __VA_ARGS__)

#endif
