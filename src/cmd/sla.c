/*
 * sla.c - `vigil sla elapsed|due`: working time on a calendar, the SLA
 * clock's arithmetic from the command line (core/calendar.h).
 */
#include "cmd/cmd.h"

#include <inttypes.h>
#include <string.h>

#include "core/calendar.h"
#include "core/time.h"

static const char usage_fmt[] =
    "usage: vigil sla elapsed --calendar CAL --from ISO --to ISO [--pause ISO/ISO]...\n"
    "       vigil sla due --calendar CAL --from ISO --target DURATION\n\n"
    "elapsed  prints the working seconds between --from and --to that no\n"
    "         --pause covers (pauses may overlap; each is FROM/TO)\n"
    "due      prints the instant (UTC, ISO 8601 with milliseconds) at which\n"
    "         --target of working time has elapsed since --from\n"
    "  --calendar  a shipped calendar (%s) or a calendar file (YAML)\n"
    "  --from, --to, --pause  ISO 8601 instants with a zone:\n"
    "              2026-12-31T17:00:00+08:00, 2026-12-31T09:00:00.000Z\n"
    "  --target    working time: 4h, 30m, 2d (2 x 24 h of working time), 1h30m\n";

static char usage[sizeof(usage_fmt) + 256];

static int parse_instant(const char *flag, const char *s, int64_t *ms)
{
	if (vg_time_parse_iso(s, ms) != VG_OK)
		return cmd_usage_error(usage, "--%s: \"%s\" is not an ISO 8601 instant", flag, s);
	return VG_EXIT_OK;
}

static int elapsed(const vg_calendar *cal, const char *from_s, const char *to_s,
		   const cmd_list *pause)
{
	vg_interval pauses[CMD_LIST_MAX];
	vg_error err = {0};
	int64_t from, to, seconds;
	int status, i;

	status = parse_instant("from", from_s, &from);
	if (status == VG_EXIT_OK)
		status = parse_instant("to", to_s, &to);
	if (status)
		return status;
	for (i = 0; i < pause->n; i++) {
		const char *v = pause->v[i], *slash = strchr(v, '/');
		char first[64];
		size_t len = slash ? (size_t)(slash - v) : 0;

		if (!slash || len >= sizeof(first))
			return cmd_usage_error(usage, "--pause: \"%s\" is not FROM/TO", v);
		memcpy(first, v, len);
		first[len] = '\0';
		if (vg_time_parse_iso(first, &pauses[i].from_ms) ||
		    vg_time_parse_iso(slash + 1, &pauses[i].to_ms))
			return cmd_usage_error(
			    usage, "--pause: \"%s\" is not FROM/TO (two ISO 8601 instants)", v);
		if (pauses[i].to_ms < pauses[i].from_ms)
			return cmd_usage_error(usage, "--pause: \"%s\" ends before it starts", v);
	}
	if (to < from)
		return cmd_usage_error(usage, "--to is before --from");
	if (vg_calendar_elapsed(cal, from, to, pauses, (size_t)pause->n, &seconds, &err))
		return cmd_fail(&err);
	printf("%" PRId64 "\n", seconds);
	return VG_EXIT_OK;
}

static int due(const vg_calendar *cal, const char *from_s, const char *target_s)
{
	char iso[VG_TIME_ISO_LEN];
	vg_error err = {0};
	int64_t from, target, at;
	int status;

	status = parse_instant("from", from_s, &from);
	if (status)
		return status;
	if (vg_duration_parse(target_s, &target))
		return cmd_usage_error(usage,
				       "--target: \"%s\" is not a duration like 4h, 30m, 2d or "
				       "1h30m (at most 20 years)",
				       target_s);
	if (vg_calendar_due(cal, from, target, &at, &err))
		return cmd_fail(&err);
	vg_time_format_iso(at, iso);
	printf("%s\n", iso);
	return VG_EXIT_OK;
}

int cmd_sla(int argc, char **argv)
{
	const char *calendar = NULL, *from = NULL, *to = NULL, *target = NULL;
	const char *pos[1];
	char names[200];
	cmd_list pause = {0};
	cmd_flag flags[] = {{"calendar", true, &calendar, NULL},
			    {"from", true, &from, NULL},
			    {"to", true, &to, NULL},
			    {"pause", true, NULL, &pause},
			    {"target", true, &target, NULL},
			    {0}};
	vg_calendar *cal = NULL;
	vg_error err = {0};
	int status, npos;
	bool is_elapsed;

	vg_calendar_shipped_names(names, sizeof(names));
	snprintf(usage, sizeof(usage), usage_fmt, names);
	if (!cmd_parse_flags(argc, argv, flags, pos, 1, &npos, usage, &status))
		return status;
	if (npos != 1 || (strcmp(pos[0], "elapsed") != 0 && strcmp(pos[0], "due") != 0))
		return cmd_usage_error(usage, "give elapsed or due");
	is_elapsed = strcmp(pos[0], "elapsed") == 0;
	if (!calendar || !from || (is_elapsed ? !to : !target))
		return cmd_usage_error(usage, "%s needs --calendar, --from and %s", pos[0],
				       is_elapsed ? "--to" : "--target");
	if (is_elapsed ? target != NULL : (to != NULL || pause.n > 0))
		return cmd_usage_error(usage, "%s",
				       is_elapsed ? "--target is for due"
						  : "--to and --pause are for elapsed");
	status = vg_calendar_load(calendar, &cal, &err);
	if (status == VG_ENOTFOUND)
		return cmd_usage_error(usage, "--calendar: %s", err.msg);
	if (status)
		return cmd_fail(&err);
	status = is_elapsed ? elapsed(cal, from, to, &pause) : due(cal, from, target);
	vg_calendar_free(cal);
	return status;
}
