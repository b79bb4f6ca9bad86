/*
 * detect.c - `vigil detect`: run Sigma rules over a file of events and
 * write one NDJSON alert per match (an offline hunt, and what the detection
 * benchmark times).
 */
#include "cmd/cmd.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/json.h"
#include "core/time.h"
#include "core/xalloc.h"
#include "detect/engine.h"
#include "detect/rule.h"
#include "detect/source.h"
#include "ingest/feed.h"

static const char usage[] =
	"usage: vigil detect --rules PATH [--rules PATH ...] [--source-type TYPE]\n"
	"                    [--year YYYY] [--quiet] [FILE|-]\n\n"
	"Reads events from FILE (or standard input) as the source type says\n"
	"(default json: one JSON object, an array, or NDJSON), runs every rule of\n"
	"the rule files and directories given, and writes one JSON alert a line\n"
	"to standard output; a summary goes to standard error. --year is the\n"
	"year of syslog stamps that carry none (RFC 3164); --quiet writes the\n"
	"summary only.\n";

#define READ_CHUNK (8u << 20)

typedef struct hunt {
	vg_matcher *m;
	const vg_source_type *type;
	uint32_t time_slot;
	bool quiet;
	vg_buf out;
	uint64_t alerts;
	uint64_t *per_rule;
	const vg_ruleset *set;
} hunt;

/* The event's time as written, or "" when it has none. */
static vg_str event_time(const hunt *h, const vg_fields *f)
{
	const vg_fvalue *v = vg_fields_first(f, h->time_slot);

	if (!v || (v->type != VG_FV_STRING && v->type != VG_FV_NUMBER))
		return (vg_str){ "", 0 };
	return (vg_str){ v->ptr, v->len };
}

static int put_alert(hunt *h, const vg_rule *r, const char *json, size_t len,
		     const vg_fields *f)
{
	vg_str t = event_time(h, f);
	size_t i;
	int rc;

	rc = vg_buf_puts(&h->out, "{\"rule_id\":");
	if (rc == VG_OK)
		rc = r->id ? vg_json_append_string(&h->out, r->id, strlen(r->id))
			   : vg_buf_puts(&h->out, "null");
	if (rc == VG_OK)
		rc = vg_buf_puts(&h->out, ",\"title\":");
	if (rc == VG_OK)
		rc = vg_json_append_string(&h->out, r->title, strlen(r->title));
	if (rc == VG_OK)
		rc = vg_buf_puts(&h->out, ",\"level\":");
	if (rc == VG_OK)
		rc = r->level ? vg_json_append_string(&h->out, r->level, strlen(r->level))
			      : vg_buf_puts(&h->out, "null");
	if (rc == VG_OK)
		rc = vg_buf_puts(&h->out, ",\"tags\":[");
	for (i = 0; i < r->ntags && rc == VG_OK; i++) {
		if (i)
			rc = vg_buf_puts(&h->out, ",");
		if (rc == VG_OK)
			rc = vg_json_append_string(&h->out, r->tags[i], strlen(r->tags[i]));
	}
	if (rc == VG_OK)
		rc = vg_buf_puts(&h->out, "],\"time\":");
	if (rc == VG_OK)
		rc = vg_json_append_string(&h->out, t.ptr, t.len);
	if (rc == VG_OK)
		rc = vg_buf_puts(&h->out, ",\"event\":");
	if (rc == VG_OK)
		rc = vg_buf_append(&h->out, json, len);
	if (rc == VG_OK)
		rc = vg_buf_puts(&h->out, "}\n");
	return rc;
}

static int on_event(void *arg, const char *json, size_t len, const vg_fields *fields,
		    vg_error *err)
{
	hunt *h = arg;
	const vg_rule *const *matched;
	size_t n, i;
	int rc;

	rc = vg_matcher_match(h->m, fields, &matched, &n, err);
	if (rc)
		return rc;
	for (i = 0; i < n; i++) {
		h->alerts++;
		if (h->quiet)
			continue;
		vg_buf_reset(&h->out);
		rc = put_alert(h, matched[i], json, len, fields);
		if (rc)
			return vg_error_set(err, rc, "alert too large to write");
		if (fwrite(h->out.ptr, 1, h->out.len, stdout) != h->out.len)
			return vg_error_set(err, VG_EIO, "writing alerts: %s", strerror(errno));
	}
	return VG_OK;
}

static void on_reject(void *arg, const vg_reject *rej)
{
	(void)arg;
	fprintf(stderr, "vigil: rejected: %s\n", rej->msg);
}

static int read_input(int fd, vg_feed *feed, const vg_feed_sink *sink, vg_error *err)
{
	char *chunk = vg_xmalloc(READ_CHUNK);
	int rc = VG_OK;

	for (;;) {
		ssize_t n = read(fd, chunk, READ_CHUNK);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = vg_error_set(err, VG_EIO, "reading events: %s", strerror(errno));
			break;
		}
		rc = vg_feed_push(feed, chunk, (size_t)n, n == 0, sink, err);
		if (rc || n == 0)
			break;
	}
	free(chunk);
	return rc;
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

int cmd_detect(int argc, char **argv)
{
	const char *type_name = "json", *year = NULL, *quiet = NULL, *pos[1] = { "-" };
	cmd_list rules = { .n = 0 };
	cmd_flag flags[] = {
		{ "rules", true, NULL, &rules },
		{ "source-type", true, &type_name, NULL },
		{ "year", true, &year, NULL },
		{ "quiet", false, &quiet, NULL },
		{ 0 },
	};
	const vg_source_type *type;
	vg_feed_options fopts = { .now_ms = vg_time_now_ms() };
	vg_feed_counts counts;
	vg_ruleset set = { 0 };
	vg_engine_stats st;
	vg_engine *e = NULL;
	vg_feed *feed = NULL;
	vg_error err = { 0 };
	hunt h = { .out = VG_BUF_INIT(64u << 20) };
	struct timespec t0;
	int status, npos = 0, i, fd = 0;
	double secs;

	if (!cmd_parse_flags(argc, argv, flags, pos, 1, &npos, usage, &status))
		return status;
	if (rules.n == 0)
		return cmd_usage_error(usage, "give at least one --rules PATH");
	if (year) {
		char *end;
		long y = strtol(year, &end, 10);

		if (*end || y < 1970 || y > 9999)
			return cmd_usage_error(usage, "--year must be a year such as 2026");
		fopts.year = (int)y;
	}
	type = vg_source_type_find(type_name, &err);
	if (!type)
		return cmd_fail(&err);
	for (i = 0; i < rules.n; i++)
		if (vg_rules_load_path(&set, rules.v[i], &err))
			goto fail;
	if (vg_engine_new(&set, type, &e, &err))
		goto fail;
	h.time_slot = vg_engine_field(e, type->timestamp);
	if (vg_matcher_new(e, &h.m, &err))
		goto fail;
	h.type = type;
	h.quiet = quiet != NULL;
	h.set = &set;
	if (strcmp(pos[0], "-") != 0) {
		fd = open(pos[0], O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			vg_error_set(&err, VG_EIO, "%s: %s", pos[0], strerror(errno));
			goto fail;
		}
	}
	feed = vg_feed_new(type, vg_engine_fieldset(e), &fopts);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	{
		vg_feed_sink sink = { on_event, on_reject, &h };

		if (read_input(fd, feed, &sink, &err))
			goto fail;
	}
	secs = seconds_since(&t0);
	vg_feed_counts_get(feed, &counts);
	vg_engine_stats_get(e, &st);
	fprintf(stderr,
		"vigil: %llu events, %llu rejected, %llu alerts; %zu rules (%zu not for %s); "
		"%.1f MB in %.2f s: %.0f events/s, %.1f MB/s\n",
		(unsigned long long)counts.events, (unsigned long long)counts.rejected,
		(unsigned long long)h.alerts, st.rules, st.skipped, type->name,
		(double)counts.bytes / 1e6, secs, secs > 0 ? (double)counts.events / secs : 0.0,
		secs > 0 ? (double)counts.bytes / 1e6 / secs : 0.0);
	status = VG_EXIT_OK;
	goto out;
fail:
	status = cmd_fail(&err);
out:
	if (fd > 0)
		close(fd);
	vg_feed_free(feed);
	vg_matcher_free(h.m);
	vg_engine_free(e);
	vg_ruleset_release(&set);
	vg_buf_release(&h.out);
	return status;
}
