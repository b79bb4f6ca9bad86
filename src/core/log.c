/* log.c - one-line stderr log (see log.h). */
#include "core/log.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "core/time.h"

static atomic_int log_level = VG_LOG_INFO;

static const char *const level_names[] = { "debug", "info", "warn", "error" };

void vg_log_set_level(enum vg_log_level level)
{
	atomic_store(&log_level, (int)level);
}

int vg_log_level_parse(const char *name)
{
	for (int i = 0; i < (int)(sizeof(level_names) / sizeof(level_names[0])); i++)
		if (strcmp(name, level_names[i]) == 0)
			return i;
	return -1;
}

void vg_log(enum vg_log_level level, const char *subsystem, const char *fmt, ...)
{
	char when[VG_TIME_ISO_LEN];
	char line[2048];
	va_list ap;
	int n;

	if ((int)level < atomic_load(&log_level))
		return;
	vg_time_format_iso(vg_time_now_ms(), when);
	n = snprintf(line, sizeof(line), "%s %s %s: ", when, level_names[level], subsystem);
	if (n < 0)
		return;
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	va_end(ap);
	/* One fputs per line so concurrent threads do not interleave within a line. */
	fprintf(stderr, "%s\n", line);
}
