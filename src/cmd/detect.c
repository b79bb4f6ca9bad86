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
#include "core/file.h"
#include "core/json.h"
#include "core/time.h"
#include "core/xalloc.h"
#include "detect/correlate.h"
#include "detect/engine.h"
#include "detect/rule.h"
#include "detect/source.h"
#include "ingest/feed.h"

static const char usage[] =
	"usage: vigil detect --rules PATH [--rules PATH ...] [--source-type TYPE]\n"
	"                    [--placeholders FILE] [--year YYYY] [--quiet] [FILE|-]\n\n"
	"Reads events from FILE (or standard input) as the source type says\n"
	"(default json: one JSON object, an array, or NDJSON), runs every rule of\n"
	"the rule files and directories given (detection, filter and correlation\n"
	"rules), and writes one JSON alert a line to standard output; a summary\n"
	"goes to standard error. --year is the\n"
	"year of syslog stamps that carry none (RFC 3164); --quiet writes the\n"
	"summary only; --placeholders names a YAML file of values for the\n"
	"placeholders rules expand (Administrators: [admin, ...]).\n";

#define READ_CHUNK (8u << 20)

typedef struct hunt {
	vg_matcher *m;
	const vg_correlator *corr;
	vg_corr_binding *binding;
	vg_corr_state *state;
	int64_t now_ms;
	bool quiet;
	vg_buf out;
	uint64_t alerts;
} hunt;

static int put_text_or_null(vg_buf *b, const char *s, size_t len)
{
	return s ? vg_json_append_string(b, s, len) : vg_buf_puts(b, "null");
}

/* {"rule_id":..,"title":..,"level":..,"tags":[..] - the start of an alert. */
static int put_rule(vg_buf *b, const vg_rule *r)
{
	size_t i;
	int rc;

	rc = vg_buf_puts(b, "{\"rule_id\":");
	if (rc == VG_OK)
		rc = put_text_or_null(b, r->id, r->id ? strlen(r->id) : 0);
	if (rc == VG_OK)
		rc = vg_buf_puts(b, ",\"title\":");
	if (rc == VG_OK)
		rc = vg_json_append_string(b, r->title, strlen(r->title));
	if (rc == VG_OK)
		rc = vg_buf_puts(b, ",\"level\":");
	if (rc == VG_OK)
		rc = put_text_or_null(b, r->level, r->level ? strlen(r->level) : 0);
	if (rc == VG_OK)
		rc = vg_buf_puts(b, ",\"tags\":[");
	for (i = 0; i < r->ntags && rc == VG_OK; i++) {
		if (i)
			rc = vg_buf_puts(b, ",");
		if (rc == VG_OK)
			rc = vg_json_append_string(b, r->tags[i], strlen(r->tags[i]));
	}
	if (rc == VG_OK)
		rc = vg_buf_puts(b, "]");
	return rc;
}

static int put_time(vg_buf *b, const char *key, int64_t ms)
{
	char iso[VG_TIME_ISO_LEN];

	vg_time_format_iso(ms, iso);
	return vg_buf_printf(b, ",\"%s\":\"%s\"", key, iso);
}

static int write_out(hunt *h, vg_error *err)
{
	if (fwrite(h->out.ptr, 1, h->out.len, stdout) != h->out.len)
		return vg_error_set(err, VG_EIO, "writing alerts: %s", strerror(errno));
	return VG_OK;
}

static int put_match(hunt *h, const vg_rule *r, const char *json, size_t len, int64_t t,
		     vg_error *err)
{
	int rc;

	vg_buf_reset(&h->out);
	rc = put_rule(&h->out, r);
	if (rc == VG_OK)
		rc = put_time(&h->out, "time", t);
	if (rc == VG_OK)
		rc = vg_buf_puts(&h->out, ",\"event\":");
	if (rc == VG_OK)
		rc = vg_buf_append(&h->out, json, len);
	if (rc == VG_OK)
		rc = vg_buf_puts(&h->out, "}\n");
	if (rc)
		return vg_error_set(err, rc, "alert too large to write");
	return write_out(h, err);
}

static int on_hit(void *arg, const vg_corr_hit *hit, vg_error *err)
{
	hunt *h = arg;
	size_t i;
	int rc;

	h->alerts++;
	if (h->quiet)
		return VG_OK;
	vg_buf_reset(&h->out);
	rc = put_rule(&h->out, hit->rule);
	if (rc == VG_OK)
		rc = vg_buf_printf(&h->out, ",\"correlation\":\"%s\",\"group\":{",
				   vg_corr_type_name(hit->rule->corr_type));
	for (i = 0; i < hit->ngroup && rc == VG_OK; i++) {
		rc = vg_buf_puts(&h->out, i ? "," : "");
		if (rc == VG_OK)
			rc = vg_json_append_string(&h->out, hit->group_names[i],
						   strlen(hit->group_names[i]));
		if (rc == VG_OK)
			rc = vg_buf_puts(&h->out, ":");
		if (rc == VG_OK)
			rc = put_text_or_null(&h->out, hit->group_values[i].ptr,
					      hit->group_values[i].len);
	}
	if (rc == VG_OK)
		rc = vg_buf_printf(&h->out, "},\"value\":%.17g", hit->value);
	if (rc == VG_OK)
		rc = put_time(&h->out, "first", hit->first_ms);
	if (rc == VG_OK)
		rc = put_time(&h->out, "last", hit->last_ms);
	if (rc == VG_OK)
		rc = vg_buf_puts(&h->out, ",\"event\":");
	if (rc == VG_OK)
		rc = hit->event ? vg_buf_append(&h->out, hit->event, hit->event_len)
				: vg_buf_puts(&h->out, "null");
	if (rc == VG_OK)
		rc = vg_buf_puts(&h->out, "}\n");
	if (rc)
		return vg_error_set(err, rc, "alert too large to write");
	return write_out(h, err);
}

static int on_event(void *arg, const char *json, size_t len, const vg_fields *fields,
		    vg_error *err)
{
	hunt *h = arg;
	const vg_rule *const *matched;
	int64_t t;
	size_t n, i;
	int rc;

	rc = vg_matcher_match(h->m, fields, &matched, &n, err);
	if (rc || n == 0)
		return rc;
	t = vg_corr_event_time(h->binding, fields, h->now_ms);
	for (i = 0; i < n && rc == VG_OK; i++) {
		if (!vg_correlator_reports(h->corr, matched[i]))
			continue;
		h->alerts++;
		if (!h->quiet)
			rc = put_match(h, matched[i], json, len, t, err);
	}
	if (rc == VG_OK && vg_correlator_count(h->corr))
		rc = vg_corr_feed(h->state, h->binding, matched, n, fields, t, json, len, on_hit, h,
				  err);
	return rc;
}

static void on_reject(void *arg, const vg_reject *rej)
{
	(void)arg;
	fprintf(stderr, "vigil: rejected: %s\n", rej->msg);
}

typedef struct feed_input {
	vg_feed *feed;
	const vg_feed_sink *sink;
} feed_input;

static int push_chunk(void *arg, const char *data, size_t len, bool last, vg_error *err)
{
	feed_input *in = arg;

	return vg_feed_push(in->feed, data, len, last, in->sink, err);
}

static int load_placeholders(const char *path, vg_placeholders *ph, vg_error *err)
{
	vg_buf text = VG_BUF_INIT(1u << 20);
	int rc = vg_file_read(path, text.max, &text, err);

	if (rc == VG_OK)
		rc = vg_placeholders_load(ph, vg_buf_cstr(&text), text.len, path, err);
	vg_buf_release(&text);
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
	const char *type_name = "json", *year = NULL, *quiet = NULL, *ph_file = NULL;
	const char *pos[1] = { "-" };
	cmd_list rules = { .n = 0 };
	cmd_flag flags[] = {
		{ "rules", true, NULL, &rules },
		{ "source-type", true, &type_name, NULL },
		{ "year", true, &year, NULL },
		{ "placeholders", true, &ph_file, NULL },
		{ "quiet", false, &quiet, NULL },
		{ 0 },
	};
	const vg_source_type *type;
	vg_feed_options fopts = { .now_ms = vg_time_now_ms() };
	vg_feed_counts counts;
	vg_ruleset set = { 0 };
	vg_placeholders placeholders = { 0 };
	vg_engine_options opts = { .placeholders = &placeholders };
	vg_engine_stats st;
	vg_engine *e = NULL;
	vg_correlator *corr = NULL;
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
	if (ph_file && load_placeholders(ph_file, &placeholders, &err))
		goto fail;
	if (vg_ruleset_link(&set, &err) || vg_engine_new(&set, type, &opts, &e, &err) ||
	    vg_correlator_new(&set, &corr, &err) || vg_corr_bind(corr, e, &h.binding, &err) ||
	    vg_matcher_new(e, &h.m, &err))
		goto fail;
	h.corr = corr;
	h.state = vg_corr_state_new(corr, NULL);
	h.now_ms = fopts.now_ms;
	h.quiet = quiet != NULL;
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

		if (vg_fd_read_chunks(fd, READ_CHUNK, "events", push_chunk,
				      &(feed_input){ feed, &sink }, &err) ||
		    vg_corr_flush(h.state, INT64_MAX, on_hit, &h, &err))
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
	vg_corr_state_free(h.state);
	vg_corr_binding_free(h.binding);
	vg_correlator_free(corr);
	vg_engine_free(e);
	vg_ruleset_release(&set);
	vg_placeholders_release(&placeholders);
	vg_buf_release(&h.out);
	return status;
}
