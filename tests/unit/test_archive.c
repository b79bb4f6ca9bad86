/*
 * test_archive.c - the event archive: exact round trips, day partitioning,
 * the time index, paging, segment roll-over, concurrent appends, and crash
 * states produced the way a crash leaves files (truncated and copied files,
 * never a hook in the product): torn tails, a multi-day batch cut at every
 * step of its commit, flipped bytes, interrupted retention.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "archive/archive.h"
#include "core/log.h"
#include "core/time.h"

#define DAY VG_ARCHIVE_DAY_MS
#define HOUR INT64_C(3600000)

/* ---- helpers ---- */

typedef struct fixture {
	char dir[64];  /* the test's scratch directory */
	char arch[96]; /* the archive inside it */
	vg_archive *a;
} fixture;

static int64_t base_ms; /* 2026-11-25T00:00:00Z */
static int32_t base_day;

static void sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void sh(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (system(cmd) != 0)
		fail_msg("command failed: %s", cmd);
}

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));
	vg_error err = { 0 };

	if (!f)
		return -1;
	/* tmpfs when there is one: the crash states are made by copying files,
	 * and fsync there costs nothing. */
	snprintf(f->dir, sizeof(f->dir), "%s/vigil-archive-XXXXXX",
		 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->arch, sizeof(f->arch), "%s/archive", f->dir);
	if (vg_time_from_civil(2026, 11, 25, 0, 0, 0, 0, &base_ms))
		return -1;
	base_day = (int32_t)(base_ms / DAY);
	if (vg_archive_open(f->arch, NULL, &f->a, &err)) {
		fprintf(stderr, "open: %s\n", err.msg);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;

	vg_archive_close(f->a);
	sh("rm -rf '%s'", f->dir);
	free(f);
	return 0;
}

static void reopen_opts(fixture *f, const char *dir, const vg_archive_options *o)
{
	vg_error err = { 0 };

	vg_archive_close(f->a);
	f->a = NULL;
	if (vg_archive_open(dir, o, &f->a, &err))
		fail_msg("open %s: %s", dir, err.msg);
}

static void reopen(fixture *f)
{
	reopen_opts(f, f->arch, NULL);
}

static void append_ok(vg_archive *a, int64_t tenant, const vg_archive_event *ev, size_t n)
{
	vg_error err = { 0 };
	int rc = vg_archive_append(a, tenant, ev, n, &err);

	if (rc)
		fail_msg("append: %d %s", rc, err.msg);
}

/* Events with JSON {"tag":"<tag>","i":<i>} at the given times. */
typedef struct batch {
	vg_archive_event ev[64];
	char json[64][96];
	size_t n;
} batch;

static void batch_add(batch *b, const char *tag, int64_t t, int64_t source)
{
	int len = snprintf(b->json[b->n], sizeof(b->json[b->n]), "{\"tag\":\"%s\",\"i\":%zu}",
			   tag, b->n);

	b->ev[b->n] = (vg_archive_event){ .time_ms = t, .source_id = source,
					  .json = b->json[b->n], .len = (size_t)len };
	b->n++;
}

typedef struct got_ev {
	int64_t time, source;
	char *json;
	vg_archive_pos pos;
} got_ev;

typedef struct got {
	got_ev *ev;
	size_t n, cap;
	size_t stop_after; /* 0: never */
	int fail_with;     /* != 0: fail on the first event */
} got;

static int collect(const vg_archive_event *ev, const vg_archive_pos *pos, void *arg,
		   vg_error *err)
{
	got *g = arg;

	if (g->fail_with)
		return vg_error_set(err, g->fail_with, "callback says no");
	if (g->n == g->cap) {
		g->cap = g->cap ? 2 * g->cap : 64;
		g->ev = realloc(g->ev, g->cap * sizeof(*g->ev));
		assert_non_null(g->ev);
	}
	assert_int_equal(strlen(ev->json), ev->len); /* NUL-terminated, no NUL inside */
	g->ev[g->n].time = ev->time_ms;
	g->ev[g->n].source = ev->source_id;
	g->ev[g->n].json = strndup(ev->json, ev->len);
	g->ev[g->n].pos = *pos;
	g->n++;
	return g->stop_after && g->n >= g->stop_after ? VG_ARCHIVE_STOP : VG_OK;
}

static void got_free(got *g)
{
	for (size_t i = 0; i < g->n; i++)
		free(g->ev[i].json);
	free(g->ev);
	memset(g, 0, sizeof(*g));
}

static int scan_all(vg_archive *a, int64_t tenant, got *g, vg_error *err)
{
	return vg_archive_scan(a, tenant, INT64_MIN, INT64_MAX, NULL, collect, g, err);
}

/* Asserts that g holds exactly the events of batches bs[0..nb) in this order. */
static void expect_events(const got *g, const batch *const *bs, size_t nb)
{
	size_t k = 0;

	for (size_t i = 0; i < nb; i++) {
		for (size_t j = 0; j < bs[i]->n; j++, k++) {
			if (k >= g->n)
				fail_msg("only %zu events, expected more", g->n);
			assert_int_equal(g->ev[k].time, bs[i]->ev[j].time_ms);
			assert_int_equal(g->ev[k].source, bs[i]->ev[j].source_id);
			assert_string_equal(g->ev[k].json, bs[i]->json[j]);
		}
	}
	assert_int_equal(g->n, k);
	for (size_t i = 1; i < g->n; i++)
		assert_true(vg_archive_pos_cmp(&g->ev[i - 1].pos, &g->ev[i].pos) < 0);
}

static void expect_scan(vg_archive *a, int64_t tenant, const batch *const *bs, size_t nb)
{
	vg_error err = { 0 };
	got g = { 0 };
	int rc = scan_all(a, tenant, &g, &err);

	if (rc)
		fail_msg("scan: %d %s", rc, err.msg);
	expect_events(&g, bs, nb);
	got_free(&g);
}

static int64_t file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (int64_t)st.st_size : -1;
}

static bool exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

static void day_dir(const fixture *f, const char *root, int64_t tenant, int32_t day, char *out,
		    size_t size)
{
	char name[VG_TIME_ISO_LEN];

	vg_time_format_iso((int64_t)day * DAY, name);
	name[10] = '\0';
	snprintf(out, size, "%s/tenant-%lld/%s", root ? root : f->arch, (long long)tenant, name);
}

static void seg_file(const fixture *f, const char *root, int64_t tenant, int32_t day, int num,
		     const char *ext, char *out, size_t size)
{
	char d[512];

	day_dir(f, root, tenant, day, d, sizeof(d));
	snprintf(out, size, "%s/%06d.%s", d, num, ext);
}

static void truncate_to(const char *path, int64_t len)
{
	if (truncate(path, len) != 0)
		fail_msg("truncate %s: %s", path, strerror(errno));
}

static void flip_byte(const char *path, int64_t off)
{
	int fd = open(path, O_RDWR);
	unsigned char c;

	assert_true(fd >= 0);
	assert_int_equal(pread(fd, &c, 1, off), 1);
	c ^= 0x5a;
	assert_int_equal(pwrite(fd, &c, 1, off), 1);
	close(fd);
}

static uint32_t le32_at(const char *path, int64_t off)
{
	unsigned char b[4];
	int fd = open(path, O_RDONLY);

	assert_true(fd >= 0);
	assert_int_equal(pread(fd, b, 4, off), 4);
	close(fd);
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static int count_files(const char *dir, const char *suffix)
{
	struct dirent *de;
	DIR *d = opendir(dir);
	int n = 0;

	if (!d)
		return -1;
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name), s = strlen(suffix);

		n += l >= s && strcmp(de->d_name + l - s, suffix) == 0;
	}
	closedir(d);
	return n;
}

static vg_archive_counters counters(vg_archive *a)
{
	vg_archive_counters c;

	vg_archive_counters_get(a, &c);
	return c;
}

/* ---- round trip, days, ranges ---- */

static void append_then_scan_returns_exact_events_in_order(void **state)
{
	fixture *f = *state;
	batch a = { 0 }, b = { 0 };
	const batch *bs[] = { &a, &b };
	vg_archive_stats st;
	vg_error err = { 0 };
	got g = { 0 };

	batch_add(&a, "a", base_ms + 5000, 7);
	batch_add(&a, "a", base_ms + 1000, 8); /* earlier time, later in the batch: stays second */
	batch_add(&a, "a", base_ms + 5000, 9);
	batch_add(&b, "b", base_ms + 3000, -1);
	append_ok(f->a, 1, a.ev, a.n);
	append_ok(f->a, 1, b.ev, b.n);
	expect_scan(f->a, 1, bs, 2);

	assert_int_equal(scan_all(f->a, 1, &g, &err), VG_OK);
	assert_int_equal(g.ev[0].pos.day, base_day);
	assert_int_equal(g.ev[0].pos.segment, 1);
	assert_int_equal(g.ev[0].pos.offset, 0);
	assert_int_equal(g.ev[2].pos.index, 2);
	assert_int_equal(g.ev[3].pos.index, 0); /* b is the next block */
	assert_true(g.ev[3].pos.offset > 0);
	got_free(&g);

	/* Survives close and reopen. */
	reopen(f);
	expect_scan(f->a, 1, bs, 2);
	assert_int_equal(vg_archive_stats_get(f->a, 1, &st, &err), VG_OK);
	assert_int_equal(st.events, 4);
	assert_int_equal(st.blocks, 2);
	assert_int_equal(counters(f->a).recovery_cuts, 0);

	/* An empty batch is fine and writes nothing. */
	assert_int_equal(vg_archive_append(f->a, 5, a.ev, 0, &err), VG_OK);
	{
		char path[160];

		snprintf(path, sizeof(path), "%s/tenant-5", f->arch);
		assert_false(exists(path));
	}
}

static void events_are_partitioned_by_utc_day_across_midnight(void **state)
{
	fixture *f = *state;
	batch b = { 0 }, day1 = { 0 }, day2 = { 0 };
	const batch *bs[] = { &day1, &day2 };
	char path[512];
	vg_archive_stats st;
	vg_error err = { 0 };

	/* One batch, out of day order: the day after midnight first. */
	batch_add(&b, "x", base_ms + DAY, 1);          /* 2026-11-26T00:00:00.000Z */
	batch_add(&b, "x", base_ms + DAY - 1, 2);      /* 2026-11-25T23:59:59.999Z */
	batch_add(&b, "x", base_ms + DAY + 1, 3);      /* 2026-11-26T00:00:00.001Z */
	batch_add(&b, "x", base_ms, 4);                /* 2026-11-25T00:00:00.000Z */
	append_ok(f->a, 1, b.ev, b.n);

	/* Scans return day 25 (in batch order), then day 26. */
	day1.n = day2.n = 0;
	day1.ev[0] = b.ev[1], day1.ev[1] = b.ev[3], day1.n = 2;
	memcpy(day1.json[0], b.json[1], sizeof(b.json[1]));
	memcpy(day1.json[1], b.json[3], sizeof(b.json[3]));
	day2.ev[0] = b.ev[0], day2.ev[1] = b.ev[2], day2.n = 2;
	memcpy(day2.json[0], b.json[0], sizeof(b.json[0]));
	memcpy(day2.json[1], b.json[2], sizeof(b.json[2]));
	expect_scan(f->a, 1, bs, 2);

	snprintf(path, sizeof(path), "%s/tenant-1/2026-11-25/000001.seg", f->arch);
	assert_true(exists(path));
	snprintf(path, sizeof(path), "%s/tenant-1/2026-11-26/000001.seg", f->arch);
	assert_true(exists(path));
	snprintf(path, sizeof(path), "%s/tenant-1", f->arch);
	assert_int_equal(count_files(path, ""), 4); /* ., .., two days */

	assert_int_equal(vg_archive_stats_get(f->a, 1, &st, &err), VG_OK);
	assert_int_equal(st.days, 2);
	assert_string_equal(st.oldest, "2026-11-25");
	assert_string_equal(st.newest, "2026-11-26");
	assert_int_equal(st.oldest_day, base_day);
	assert_int_equal(st.newest_day, base_day + 1);
	assert_int_equal(vg_archive_day_of(base_ms + DAY - 1), base_day);
	assert_int_equal(vg_archive_day_of(base_ms + DAY), base_day + 1);
}

static void time_range_filters_and_skips_blocks_by_index(void **state)
{
	fixture *f = *state;
	batch b[10];
	char idx[512];
	vg_archive_counters c0, c1;
	vg_error err = { 0 };
	got g = { 0 };

	memset(b, 0, sizeof(b));
	for (int i = 0; i < 10; i++) {
		for (int j = 0; j < 5; j++)
			batch_add(&b[i], "h", base_ms + i * HOUR + j * 1000, i);
		append_ok(f->a, 1, b[i].ev, b[i].n);
	}
	for (int pass = 0; pass < 3; pass++) {
		if (pass == 1)
			reopen(f); /* the index as appends left it, read back by recovery */
		if (pass == 2) {
			/* No index at all: block headers are read instead. */
			seg_file(f, NULL, 1, base_day, 1, "idx", idx, sizeof(idx));
			assert_int_equal(unlink(idx), 0);
		}
		c0 = counters(f->a);
		/* [03:00:02, 05:00:00): the last 3 events of hour 3 and all of hour 4. */
		assert_int_equal(vg_archive_scan(f->a, 1, base_ms + 3 * HOUR + 2000,
						 base_ms + 5 * HOUR, NULL, collect, &g, &err),
				 VG_OK);
		c1 = counters(f->a);
		assert_int_equal(g.n, 8);
		for (size_t k = 0; k < 3; k++)
			assert_int_equal(g.ev[k].time, base_ms + 3 * HOUR + (int64_t)(k + 2) * 1000);
		for (size_t k = 3; k < 8; k++)
			assert_int_equal(g.ev[k].source, 4);
		assert_int_equal(c1.blocks_read - c0.blocks_read, 2);
		assert_int_equal(c1.blocks_skipped - c0.blocks_skipped, 8);
		got_free(&g);

		/* A range with no events reads no block; one of another day opens nothing. */
		c0 = counters(f->a);
		assert_int_equal(vg_archive_scan(f->a, 1, base_ms + 11 * HOUR, base_ms + DAY, NULL,
						 collect, &g, &err), VG_OK);
		assert_int_equal(vg_archive_scan(f->a, 1, base_ms + DAY, base_ms + 2 * DAY, NULL,
						 collect, &g, &err), VG_OK);
		c1 = counters(f->a);
		assert_int_equal(g.n, 0);
		assert_int_equal(c1.blocks_read - c0.blocks_read, 0);
		assert_int_equal(c1.blocks_skipped - c0.blocks_skipped, 10);
		/* An empty or inverted range is no error. */
		assert_int_equal(vg_archive_scan(f->a, 1, base_ms, base_ms, NULL, collect, &g, &err),
				 VG_OK);
		assert_int_equal(vg_archive_scan(f->a, 1, base_ms + 1, base_ms, NULL, collect, &g,
						 &err), VG_OK);
		assert_int_equal(g.n, 0);
	}
	/* Recovery (on the tenant's first use) rebuilt the index it found missing. */
	reopen(f);
	assert_int_equal(file_size(idx), -1);
	assert_int_equal(vg_archive_scan(f->a, 1, 0, 1, NULL, collect, &g, &err), VG_OK);
	assert_int_equal(file_size(idx), 16 + 10 * 80);
}

/* ---- positions and paging ---- */

static void position_strings_round_trip_and_reject_garbage(void **state)
{
	const vg_archive_pos cases[] = {
		{ 0, 0, 0, 0 },
		{ 20782, 1, 4096, 17 },
		{ INT32_MAX, UINT32_MAX, UINT64_MAX, UINT32_MAX },
	};
	const char *bad[] = { "", "1-2-3", "1-2-3-4-5", "01-2-3-4", "1-2-3-A", "1-2-3-4 ",
			      " 1-2-3-4", "80000000-0-0-0", "1-100000000-0-0", "1--3-4",
			      "1-2-10000000000000000-4", "g-0-0-0", "1-2-3-4\n", "-1-2-3-4" };
	char s[VG_ARCHIVE_POS_STR_MAX];
	vg_archive_pos p;
	vg_error err = { 0 };

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		vg_archive_pos_format(&cases[i], s);
		assert_int_equal(vg_archive_pos_parse(s, &p, &err), VG_OK);
		assert_int_equal(vg_archive_pos_cmp(&p, &cases[i]), 0);
	}
	vg_archive_pos_format(&cases[1], s);
	assert_string_equal(s, "512e-1-1000-11");
	vg_archive_pos_format(&cases[2], s);
	assert_string_equal(s, "7fffffff-ffffffff-ffffffffffffffff-ffffffff");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err.msg[0] = '\0';
		assert_int_equal(vg_archive_pos_parse(bad[i], &p, &err), VG_EINVAL);
		assert_string_equal(err.msg, "invalid archive position");
	}
	assert_true(vg_archive_pos_cmp(&cases[0], &cases[1]) < 0);
	assert_true(vg_archive_pos_cmp(&cases[2], &cases[1]) > 0);
}

static void paging_with_positions_delivers_every_event_once(void **state)
{
	fixture *f = *state;
	static vg_archive_event ev[600];
	static char json[600][64];
	vg_archive_pos cursor;
	bool have_cursor = false;
	size_t total = 0, pages = 0, added = 0;
	vg_error err = { 0 };
	got all = { 0 }, paged = { 0 };
	int rc;

	/* 500 events over three days in batches of 1 to 37, some spanning days. */
	for (size_t i = 0; i < 500; i++) {
		int len = snprintf(json[i], sizeof(json[i]), "{\"n\":%zu}", i);

		ev[i] = (vg_archive_event){ base_ms + (int64_t)(i % 3) * DAY + (int64_t)i * 1000,
					    (int64_t)i, json[i], (size_t)len };
	}
	for (size_t at = 0, k = 1; at < 500; k = k % 37 + 1) {
		size_t n = at + k > 500 ? 500 - at : k;

		append_ok(f->a, 1, ev + at, n);
		at += n;
	}
	assert_int_equal(scan_all(f->a, 1, &all, &err), VG_OK);
	assert_int_equal(all.n, 500);

	/* Pages of 7 through cursor strings, with a batch appended meanwhile. */
	for (;;) {
		got page = { .stop_after = 7 };
		char s[VG_ARCHIVE_POS_STR_MAX];

		rc = vg_archive_scan(f->a, 1, INT64_MIN, INT64_MAX, have_cursor ? &cursor : NULL,
				     collect, &page, &err);
		assert_true(rc == VG_OK || rc == VG_ARCHIVE_STOP);
		pages++;
		for (size_t i = 0; i < page.n; i++) {
			if (paged.n == paged.cap) {
				paged.cap = paged.cap ? 2 * paged.cap : 64;
				paged.ev = realloc(paged.ev, paged.cap * sizeof(*paged.ev));
			}
			paged.ev[paged.n++] = page.ev[i];
		}
		total += page.n;
		if (page.n) {
			vg_archive_pos_format(&page.ev[page.n - 1].pos, s);
			assert_int_equal(vg_archive_pos_parse(s, &cursor, &err), VG_OK);
			have_cursor = true;
		}
		free(page.ev);
		if (pages == 30 && !added) {
			/* Lands on the newest day, after the cursor: seen once, later. */
			int len = snprintf(json[500], sizeof(json[500]), "{\"n\":500}");

			ev[500] = (vg_archive_event){ base_ms + 2 * DAY + 999000, 500, json[500],
						      (size_t)len };
			append_ok(f->a, 1, ev + 500, 1);
			added = 1;
		}
		if (rc == VG_OK)
			break;
	}
	assert_int_equal(total, 501);
	assert_int_equal(pages, 501 / 7 + 1);
	for (size_t i = 0; i < 500; i++) {
		/* Same order as the one-shot scan, with the new event as the very last. */
		assert_string_equal(paged.ev[i].json, all.ev[i].json);
		assert_int_equal(vg_archive_pos_cmp(&paged.ev[i].pos, &all.ev[i].pos), 0);
	}
	assert_string_equal(paged.ev[500].json, "{\"n\":500}");
	got_free(&paged);

	/* Paging within a time range: day 2 only, pages of 5. */
	have_cursor = false;
	total = 0;
	for (;;) {
		got page = { .stop_after = 5 };

		rc = vg_archive_scan(f->a, 1, base_ms + DAY, base_ms + 2 * DAY,
				     have_cursor ? &cursor : NULL, collect, &page, &err);
		for (size_t i = 0; i < page.n; i++) {
			assert_int_equal(vg_archive_day_of(page.ev[i].time), base_day + 1);
			assert_true(!have_cursor || vg_archive_pos_cmp(&page.ev[i].pos, &cursor) > 0);
		}
		total += page.n;
		if (page.n) {
			cursor = page.ev[page.n - 1].pos;
			have_cursor = true;
		}
		got_free(&page);
		if (rc == VG_OK)
			break;
	}
	assert_int_equal(total, 167); /* i % 3 == 1 for i < 500 */
	got_free(&all);
}

/* ---- segments ---- */

static void segments_roll_over_at_segment_max_bytes(void **state)
{
	fixture *f = *state;
	vg_archive_options o = { .segment_max_bytes = 2048 };
	static char big[5000];
	static char json[40][400];
	vg_archive_event ev[40];
	char dir[512], path[512];
	int64_t total = 0;
	vg_error err = { 0 };
	got g = { 0 };
	int nseg;

	reopen_opts(f, f->arch, &o);
	/* Poorly compressible events, about 400 bytes a block. */
	srand(7);
	for (int i = 0; i < 40; i++) {
		int len = snprintf(json[i], sizeof(json[i]), "{\"i\":%d,\"r\":\"", i);

		while (len < 390)
			len += snprintf(json[i] + len, sizeof(json[i]) - (size_t)len, "%x", rand() & 15);
		len += snprintf(json[i] + len, sizeof(json[i]) - (size_t)len, "\"}");
		ev[i] = (vg_archive_event){ base_ms + i, i, json[i], (size_t)len };
		append_ok(f->a, 1, &ev[i], 1);
	}
	day_dir(f, NULL, 1, base_day, dir, sizeof(dir));
	nseg = count_files(dir, ".seg");
	assert_true(nseg >= 3);
	for (int s = 1; s <= nseg; s++) {
		int64_t size;

		seg_file(f, NULL, 1, base_day, s, "seg", path, sizeof(path));
		size = file_size(path);
		assert_true(size > 0 && size <= 2048);
		total += size;
		if (s < nseg) {
			/* Rolled only because the next block did not fit. */
			char next[512];

			seg_file(f, NULL, 1, base_day, s + 1, "seg", next, sizeof(next));
			assert_true(size + 64 + le32_at(next, 16) > 2048);
		}
	}
	assert_int_equal(scan_all(f->a, 1, &g, &err), VG_OK);
	assert_int_equal(g.n, 40);
	for (int i = 0; i < 40; i++)
		assert_string_equal(g.ev[i].json, json[i]);
	assert_int_equal(g.ev[39].pos.segment, (uint32_t)nseg);
	got_free(&g);

	/* A block bigger than the maximum gets a segment of its own. */
	for (size_t i = 0; i < sizeof(big) - 1; i++)
		big[i] = "0123456789abcdef"[(size_t)rand() & 15];
	big[0] = '"';
	big[sizeof(big) - 2] = '"';
	ev[0] = (vg_archive_event){ base_ms + 100, 1, big, sizeof(big) - 1 };
	append_ok(f->a, 1, ev, 1);
	append_ok(f->a, 1, ev + 1, 1);
	assert_int_equal(count_files(dir, ".seg"), nseg + 2);
	seg_file(f, NULL, 1, base_day, nseg + 1, "seg", path, sizeof(path));
	assert_true(file_size(path) > 2048);
	assert_int_equal(le32_at(path, 8), 1); /* one block of one event */
	assert_int_equal(file_size(path), 64 + le32_at(path, 16));

	/* Reopened, appends continue in the last segment. */
	reopen_opts(f, f->arch, &o);
	append_ok(f->a, 1, ev + 2, 1);
	assert_int_equal(count_files(dir, ".seg"), nseg + 2);
	assert_int_equal(scan_all(f->a, 1, &g, &err), VG_OK);
	assert_int_equal(g.n, 43);
	got_free(&g);
}

/* ---- concurrency ---- */

#define THREADS 6
#define BATCHES 60

typedef struct worker {
	vg_archive *a;
	int th;
	int64_t tenant;
} worker;

static size_t batch_len(int th, int b)
{
	return (size_t)((th * 7 + b * 3) % 8 + 1);
}

static void *append_worker(void *arg)
{
	worker *w = arg;
	char json[8][64];
	vg_archive_event ev[8];

	for (int b = 0; b < BATCHES; b++) {
		size_t n = batch_len(w->th, b);
		vg_error err = { 0 };

		for (size_t i = 0; i < n; i++) {
			int len = snprintf(json[i], sizeof(json[i]), "{\"th\":%d,\"b\":%d,\"i\":%zu}",
					   w->th, b, i);
			/* Every 10th batch spans days: the commit protocol's slow path. */
			int64_t day = b % 10 == 0 ? (int64_t)i % 3 : (w->th + b) % 2;

			ev[i] = (vg_archive_event){ base_ms + day * DAY + b * 1000 + (int64_t)i,
						    w->th, json[i], (size_t)len };
		}
		if (vg_archive_append(w->a, w->tenant, ev, n, &err))
			return strdup(err.msg);
	}
	return NULL;
}

typedef struct tally {
	int counts[THREADS][BATCHES][8];
} tally;

static int count_event(const vg_archive_event *ev, const vg_archive_pos *pos, void *arg,
		       vg_error *err)
{
	tally *t = arg;
	int th, b;
	size_t i;

	(void)pos;
	(void)err;
	if (sscanf(ev->json, "{\"th\":%d,\"b\":%d,\"i\":%zu}", &th, &b, &i) != 3 || th < 0 ||
	    th >= THREADS || b < 0 || b >= BATCHES || i >= 8)
		return VG_EINVAL;
	t->counts[th][b][i]++;
	return VG_OK;
}

typedef struct scanner_arg {
	vg_archive *a;
	atomic_int stop;
	int scans;
	char *failure;
} scanner_arg;

/* Scans while appends run: every batch is seen whole or not at all. */
static void *scan_worker(void *arg)
{
	scanner_arg *s = arg;
	tally *t = malloc(sizeof(*t));

	while (!atomic_load(&s->stop)) {
		vg_error err = { 0 };

		memset(t, 0, sizeof(*t));
		if (vg_archive_scan(s->a, 1, INT64_MIN, INT64_MAX, NULL, count_event, t, &err)) {
			s->failure = strdup(err.msg);
			break;
		}
		s->scans++;
		for (int th = 0; th < THREADS && !s->failure; th++) {
			for (int b = 0; b < BATCHES; b++) {
				size_t n = batch_len(th, b), seen = 0;

				for (size_t i = 0; i < n; i++)
					seen += t->counts[th][b][i] == 1;
				if (seen != 0 && seen != n) {
					s->failure = strdup("a scan saw part of a batch");
					break;
				}
			}
		}
		if (s->failure)
			break;
	}
	free(t);
	return NULL;
}

static void concurrent_appends_store_every_event_once(void **state)
{
	fixture *f = *state;
	pthread_t th[THREADS + 2];
	worker w[THREADS + 1];
	scanner_arg sa = { .a = f->a };
	tally *t = calloc(1, sizeof(*t));
	size_t events2 = 0;
	vg_error err = { 0 };
	got g = { 0 };

	assert_non_null(t);
	pthread_create(&th[THREADS + 1], NULL, scan_worker, &sa);
	for (int i = 0; i <= THREADS; i++) {
		/* The last worker appends to tenant 2 meanwhile. */
		w[i] = (worker){ f->a, i == THREADS ? 0 : i, i == THREADS ? 2 : 1 };
		pthread_create(&th[i], NULL, append_worker, &w[i]);
	}
	for (int i = 0; i <= THREADS; i++) {
		void *ret;

		pthread_join(th[i], &ret);
		if (ret)
			fail_msg("append: %s", (char *)ret);
	}
	atomic_store(&sa.stop, 1);
	pthread_join(th[THREADS + 1], NULL);
	if (sa.failure)
		fail_msg("scanner: %s", sa.failure);
	assert_true(sa.scans > 0);

	for (int pass = 0; pass < 2; pass++) {
		memset(t, 0, sizeof(*t));
		assert_int_equal(vg_archive_scan(f->a, 1, INT64_MIN, INT64_MAX, NULL, count_event, t,
						 &err), VG_OK);
		for (int i = 0; i < THREADS; i++)
			for (int b = 0; b < BATCHES; b++)
				for (size_t k = 0; k < 8; k++)
					assert_int_equal(t->counts[i][b][k], k < batch_len(i, b));
		reopen(f);
	}
	/* Tenant 2 got its own worker's events, and only those. */
	for (int b = 0; b < BATCHES; b++)
		events2 += batch_len(0, b);
	assert_int_equal(scan_all(f->a, 2, &g, &err), VG_OK);
	assert_int_equal(g.n, events2);
	for (size_t i = 0; i < g.n; i++)
		assert_int_equal(g.ev[i].source, 0);
	got_free(&g);
	assert_int_equal(counters(f->a).recovery_cuts, 0); /* a clean close leaves nothing torn */
	free(t);
}

static void group_commit_counts_batches_and_commits(void **state)
{
	fixture *f = *state;
	pthread_t th[THREADS];
	worker w[THREADS];
	tally *t = calloc(1, sizeof(*t));
	vg_archive_counters c;
	vg_archive_stats st;
	vg_error err = { 0 };

	assert_non_null(t);
	for (int i = 0; i < THREADS; i++) {
		w[i] = (worker){ f->a, i, 1 };
		pthread_create(&th[i], NULL, append_worker, &w[i]);
	}
	for (int i = 0; i < THREADS; i++) {
		void *ret;

		pthread_join(th[i], &ret);
		if (ret)
			fail_msg("append: %s", (char *)ret);
	}
	c = counters(f->a);
	assert_int_equal(c.batches, THREADS * BATCHES);
	/* Grouping is timing-dependent; the bounds are not. A commit writes one
	 * block per day it touches (the workers use three days), whatever the
	 * number of batches in it. */
	assert_true(c.commits >= 1 && c.commits <= c.batches);
	assert_int_equal(vg_archive_stats_get(f->a, 1, &st, &err), VG_OK);
	assert_true(st.blocks >= (int64_t)c.commits && st.blocks <= 3 * (int64_t)c.commits);
	assert_int_equal(vg_archive_scan(f->a, 1, INT64_MIN, INT64_MAX, NULL, count_event, t, &err),
			 VG_OK);
	for (int i = 0; i < THREADS; i++)
		for (int b = 0; b < BATCHES; b++)
			for (size_t k = 0; k < 8; k++)
				assert_int_equal(t->counts[i][b][k], k < batch_len(i, b));
	free(t);
}

/* ---- crash states ---- */

#define KILL_THREADS 3
#define KILL_BATCHES 400

typedef struct killer {
	vg_archive *a;
	int th, fd;
} killer;

/* Batch b of thread th: 1 to 5 events, every 7th over two days. */
static size_t kill_len(int b)
{
	return (size_t)(b % 5 + 1);
}

static void *kill_worker(void *arg)
{
	killer *k = arg;
	char json[5][64];
	vg_archive_event ev[5];

	for (int b = 0; b < KILL_BATCHES; b++) {
		int id = k->th * KILL_BATCHES + b;
		vg_error err = { 0 };

		for (size_t i = 0; i < kill_len(b); i++) {
			int len = snprintf(json[i], sizeof(json[i]), "{\"id\":%d,\"i\":%zu}", id, i);

			ev[i] = (vg_archive_event){ base_ms + (b % 7 == 0 ? (int64_t)i % 2 : 0) * DAY + b,
						    k->th, json[i], (size_t)len };
		}
		if (vg_archive_append(k->a, 1, ev, kill_len(b), &err) ||
		    write(k->fd, &id, sizeof(id)) != (ssize_t)sizeof(id))
			_exit(3);
	}
	return NULL;
}

static int count_ids(const vg_archive_event *ev, const vg_archive_pos *pos, void *arg,
		     vg_error *err)
{
	int *seen = arg, id;
	size_t i;

	(void)pos;
	(void)err;
	if (sscanf(ev->json, "{\"id\":%d,\"i\":%zu}", &id, &i) != 2 || id < 0 ||
	    id >= KILL_THREADS * KILL_BATCHES)
		return VG_EINVAL;
	seen[id]++;
	return VG_OK;
}

static void kill_9_during_appends_loses_no_acknowledged_batch(void **state)
{
	fixture *f = *state;
	static int seen[KILL_THREADS * KILL_BATCHES];
	static bool acked[KILL_THREADS * KILL_BATCHES];
	int pipefd[2], id, status, nacked = 0;
	vg_error err = { 0 };
	pid_t pid;

	vg_archive_close(f->a);
	f->a = NULL;
	assert_int_equal(pipe(pipefd), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		pthread_t th[KILL_THREADS];
		killer k[KILL_THREADS];
		vg_archive *a;

		close(pipefd[0]);
		if (vg_archive_open(f->arch, NULL, &a, &err))
			_exit(2);
		for (int i = 0; i < KILL_THREADS; i++) {
			k[i] = (killer){ a, i, pipefd[1] };
			pthread_create(&th[i], NULL, kill_worker, &k[i]);
		}
		for (int i = 0; i < KILL_THREADS; i++)
			pthread_join(th[i], NULL);
		_exit(0); /* not reached in practice: killed first */
	}
	close(pipefd[1]);
	/* Kill it once 200 batches are acknowledged, wherever it is then. */
	while (nacked < 200 && read(pipefd[0], &id, sizeof(id)) == (ssize_t)sizeof(id)) {
		acked[id] = true;
		nacked++;
	}
	kill(pid, SIGKILL);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	while (read(pipefd[0], &id, sizeof(id)) == (ssize_t)sizeof(id))
		acked[id] = true; /* acknowledged before it died */
	close(pipefd[0]);
	assert_int_equal(nacked, 200);

	reopen(f);
	assert_int_equal(vg_archive_scan(f->a, 1, INT64_MIN, INT64_MAX, NULL, count_ids, seen, &err),
			 VG_OK);
	for (int i = 0; i < KILL_THREADS * KILL_BATCHES; i++) {
		size_t want = kill_len(i % KILL_BATCHES);

		if (acked[i])
			assert_int_equal(seen[i], want); /* every acknowledged batch, whole */
		else
			assert_true(seen[i] == 0 || (size_t)seen[i] == want); /* never a part */
	}
	/* And appending goes on. */
	append_ok(f->a, 1, &(vg_archive_event){ base_ms, 1, "{}", 2 }, 1);
}

static void torn_tail_at_every_byte_drops_only_the_last_batch(void **state)
{
	fixture *f = *state;
	batch b1 = { 0 }, b2 = { 0 }, b3 = { 0 }, b4 = { 0 };
	const batch *keep[] = { &b1, &b2 }, *after[] = { &b1, &b2, &b4 };
	char pre[160], work[160], seg[512], idx[512], pre_idx[512], cutf[600];
	int64_t s2, s3;

	for (int i = 0; i < 3; i++)
		batch_add(&b1, "one", base_ms + 1000 + i, 1);
	for (int i = 0; i < 2; i++)
		batch_add(&b2, "two", base_ms + 2000 + i, 2);
	for (int i = 0; i < 4; i++)
		batch_add(&b3, "three", base_ms + 3000 + i, 3);
	batch_add(&b4, "four", base_ms + 4000, 4);
	append_ok(f->a, 1, b1.ev, b1.n);
	append_ok(f->a, 1, b2.ev, b2.n);
	vg_archive_close(f->a);
	f->a = NULL;
	snprintf(pre, sizeof(pre), "%s/pre", f->dir);
	sh("cp -a '%s' '%s'", f->arch, pre);
	reopen(f);
	append_ok(f->a, 1, b3.ev, b3.n);
	vg_archive_close(f->a);
	f->a = NULL;

	seg_file(f, NULL, 1, base_day, 1, "seg", seg, sizeof(seg));
	seg_file(f, pre, 1, base_day, 1, "idx", pre_idx, sizeof(pre_idx));
	{
		char pre_seg[512];

		seg_file(f, pre, 1, base_day, 1, "seg", pre_seg, sizeof(pre_seg));
		s2 = file_size(pre_seg);
	}
	s3 = file_size(seg);
	assert_true(s3 > s2 + 64);

	snprintf(work, sizeof(work), "%s/work", f->dir);
	seg_file(f, work, 1, base_day, 1, "seg", seg, sizeof(seg));
	seg_file(f, work, 1, base_day, 1, "idx", idx, sizeof(idx));
	for (int64_t k = 0; k < s3 - s2; k++) {
		vg_archive_counters c;

		sh("rm -rf '%s' && cp -a '%s' '%s'", work, f->arch, work);
		truncate_to(seg, s2 + k);
		if (k % 2 == 0)
			sh("cp '%s' '%s'", pre_idx, idx); /* the index record not yet written */
		/* (odd k: the index claims the lost block, as if written ahead) */
		reopen_opts(f, work, NULL);
		expect_scan(f->a, 1, keep, 2);
		c = counters(f->a);
		assert_int_equal(c.recovery_cuts, k > 0);
		snprintf(cutf, sizeof(cutf), "%s.cut-%lld", seg, (long long)s2);
		assert_int_equal(file_size(cutf), k > 0 ? k : -1);
		assert_int_equal(file_size(seg), s2);
		if (k % 23 == 0 || k == s3 - s2 - 1) {
			/* Appends go on right after what was kept, and stay after reopening. */
			append_ok(f->a, 1, b4.ev, b4.n);
			expect_scan(f->a, 1, after, 3);
			reopen_opts(f, work, NULL);
			expect_scan(f->a, 1, after, 3);
			assert_int_equal(counters(f->a).recovery_cuts, 0);
		}
	}
	vg_archive_close(f->a);
	f->a = NULL;
	reopen(f);
}

/* Bytes of a part written in crash state x of 8: none, 1, the header but one,
 * the header, the header and one, half, all but one, all. */
static int64_t pick(int x, int64_t len)
{
	const int64_t fixed[] = { 0, 1, 63, 64, 65 };

	return x < 5 ? fixed[x] : x == 5 ? len / 2 : x == 6 ? len - 1 : len;
}

/* The archive states a crash can leave while a batch of days 1, 2 and 3 (day
 * 3 new) is being committed: parts 0 and 1 written in any measure with day 3
 * not yet written (it may exist, empty), or parts 0 and 1 durable and part 2
 * (the commit part) written in any measure. */
static void multi_day_batch_cut_at_every_commit_step_is_all_or_nothing(void **state)
{
	fixture *f = *state;
	batch a = { 0 }, b = { 0 }, m = { 0 }, c = { 0 }, ma = { 0 }, mb = { 0 }, mc = { 0 };
	const batch *none[] = { &a, &b }, *all_days[] = { &a, &ma, &b, &mb, &mc };
	const batch *none_then_c[] = { &a, &b, &c };
	char s0[160], s1[160], work[160];
	char seg1[512], seg2[512], seg3[512], w1[512], w2[512], w3[512], wd3[512];
	char i1[512], i2[512], wi1[512], wi2[512];
	int64_t base1, base2, len1, len2, len3;
	int states = 0;

	batch_add(&a, "a", base_ms + 1000, 1);
	batch_add(&a, "a", base_ms + 1001, 1);
	batch_add(&b, "b", base_ms + DAY + 1000, 2);
	batch_add(&b, "b", base_ms + DAY + 1001, 2);
	for (int d = 0; d < 3; d++)
		for (int i = 0; i < 2; i++) {
			batch_add(&m, "m", base_ms + d * DAY + 5000 + i, 3);
			batch_add(d == 0 ? &ma : d == 1 ? &mb : &mc, "m", base_ms + d * DAY + 5000 + i,
				  3);
		}
	/* JSON carries the index in the batch: fix up the per-day expectations. */
	for (int i = 0; i < 2; i++) {
		snprintf(ma.json[i], sizeof(ma.json[i]), "%s", m.json[i]);
		snprintf(mb.json[i], sizeof(mb.json[i]), "%s", m.json[2 + i]);
		snprintf(mc.json[i], sizeof(mc.json[i]), "%s", m.json[4 + i]);
	}
	batch_add(&c, "c", base_ms + DAY + 9000, 4);

	append_ok(f->a, 1, a.ev, a.n);
	append_ok(f->a, 1, b.ev, b.n);
	vg_archive_close(f->a);
	f->a = NULL;
	snprintf(s0, sizeof(s0), "%s/s0", f->dir);
	snprintf(s1, sizeof(s1), "%s/s1", f->dir);
	snprintf(work, sizeof(work), "%s/work", f->dir);
	sh("cp -a '%s' '%s'", f->arch, s0);
	reopen(f);
	append_ok(f->a, 1, m.ev, m.n);
	vg_archive_close(f->a);
	f->a = NULL;
	sh("cp -a '%s' '%s'", f->arch, s1);

	seg_file(f, s0, 1, base_day, 1, "seg", seg1, sizeof(seg1));
	seg_file(f, s0, 1, base_day + 1, 1, "seg", seg2, sizeof(seg2));
	base1 = file_size(seg1);
	base2 = file_size(seg2);
	seg_file(f, s0, 1, base_day, 1, "idx", i1, sizeof(i1));
	seg_file(f, s0, 1, base_day + 1, 1, "idx", i2, sizeof(i2));
	seg_file(f, s1, 1, base_day, 1, "seg", seg1, sizeof(seg1));
	seg_file(f, s1, 1, base_day + 1, 1, "seg", seg2, sizeof(seg2));
	seg_file(f, s1, 1, base_day + 2, 1, "seg", seg3, sizeof(seg3));
	len1 = file_size(seg1) - base1;
	len2 = file_size(seg2) - base2;
	len3 = file_size(seg3);
	assert_true(len1 > 64 && len2 > 64 && len3 > 64);
	/* The batch's blocks say which part of how many they are. */
	assert_int_equal(le32_at(seg1, base1 + 20), 0 | 3 << 16);
	assert_int_equal(le32_at(seg2, base2 + 20), 1 | 3 << 16);
	assert_int_equal(le32_at(seg3, 20), 2 | 3 << 16);

	seg_file(f, work, 1, base_day, 1, "seg", w1, sizeof(w1));
	seg_file(f, work, 1, base_day + 1, 1, "seg", w2, sizeof(w2));
	seg_file(f, work, 1, base_day + 2, 1, "seg", w3, sizeof(w3));
	seg_file(f, work, 1, base_day, 1, "idx", wi1, sizeof(wi1));
	seg_file(f, work, 1, base_day + 1, 1, "idx", wi2, sizeof(wi2));
	day_dir(f, work, 1, base_day + 2, wd3, sizeof(wd3));

	/* Step 2: parts 0 and 1 partly or wholly written, day 3 absent or empty. */
	for (int x = 0; x < 8; x++) {
		for (int y = 0; y < 8; y++) {
			for (int day3 = 0; day3 < 2; day3++) {
				int64_t k1 = pick(x, len1), k2 = pick(y, len2);
				bool whole = k1 == len1 && k2 == len2;

				sh("rm -rf '%s' && cp -a '%s' '%s'", work, s1, work);
				truncate_to(w1, base1 + k1);
				truncate_to(w2, base2 + k2);
				sh("cp '%s' '%s' && cp '%s' '%s'", i1, wi1, i2, wi2);
				if (day3)
					truncate_to(w3, 0);
				else
					sh("rm -rf '%s'", wd3);
				reopen_opts(f, work, NULL);
				expect_scan(f->a, 1, none, 2);
				states++;
				if (whole && day3 == 0) {
					/* Both whole parts were cut, and kept aside. */
					char kept[600];

					assert_int_equal(counters(f->a).recovery_cuts, 2);
					snprintf(kept, sizeof(kept), "%s.cut-%lld", w1,
						 (long long)base1);
					assert_int_equal(file_size(kept), len1);
					assert_int_equal(file_size(w1), base1);
					/* Later batches are not confused by the cut one. */
					append_ok(f->a, 1, c.ev, c.n);
					reopen_opts(f, work, NULL);
					expect_scan(f->a, 1, none_then_c, 3);
				}
			}
		}
	}
	/* Step 3: parts 0 and 1 durable, the commit part written up to k3 bytes. */
	for (int64_t k3 = 0; k3 <= len3; k3++) {
		sh("rm -rf '%s' && cp -a '%s' '%s'", work, s1, work);
		sh("cp '%s' '%s' && cp '%s' '%s'", i1, wi1, i2, wi2);
		truncate_to(w3, k3);
		reopen_opts(f, work, NULL);
		if (k3 < len3) {
			expect_scan(f->a, 1, none, 2);
		} else {
			expect_scan(f->a, 1, all_days, 5);
			assert_int_equal(counters(f->a).recovery_cuts, 0);
		}
		states++;
		if (k3 % 29 == 3) {
			append_ok(f->a, 1, c.ev, c.n);
			reopen_opts(f, work, NULL);
			expect_scan(f->a, 1, none_then_c, 3);
		}
	}
	assert_true(states == 128 + len3 + 1);
	vg_archive_close(f->a);
	f->a = NULL;
	reopen(f);
	expect_scan(f->a, 1, all_days, 5);
}

static void flipped_byte_mid_segment_is_corrupt_with_file_and_offset(void **state)
{
	fixture *f = *state;
	batch b[3];
	const batch *first[] = { &b[0] }, *third[] = { &b[2] };
	char seg[512], idx[512], want[1024], dir[512];
	int64_t off[3];
	vg_error err = { 0 };
	got g = { 0 };

	memset(b, 0, sizeof(b));
	for (int i = 0; i < 3; i++) {
		for (int j = 0; j < 4; j++)
			batch_add(&b[i], "c", base_ms + i * HOUR + j, i);
		append_ok(f->a, 1, b[i].ev, b[i].n);
	}
	assert_int_equal(scan_all(f->a, 1, &g, &err), VG_OK);
	for (int i = 0; i < 3; i++)
		off[i] = (int64_t)g.ev[4 * i].pos.offset;
	got_free(&g);
	vg_archive_close(f->a);
	f->a = NULL;
	seg_file(f, NULL, 1, base_day, 1, "seg", seg, sizeof(seg));
	seg_file(f, NULL, 1, base_day, 1, "idx", idx, sizeof(idx));

	/* A payload byte of the middle block. */
	flip_byte(seg, off[1] + 64 + 5);
	reopen(f);
	err.msg[0] = '\0';
	assert_int_equal(scan_all(f->a, 1, &g, &err), VG_ECORRUPT);
	snprintf(want, sizeof(want), "archive %s: offset %lld: block fails its CRC", seg,
		 (long long)off[1]);
	assert_string_equal(err.msg, want);
	expect_events(&g, first, 1); /* the events before it, none of the bad block */
	got_free(&g);
	/* The index lets a scan of another hour pass the damaged block unread. */
	assert_int_equal(vg_archive_scan(f->a, 1, base_ms + 2 * HOUR, base_ms + 3 * HOUR, NULL,
					 collect, &g, &err), VG_OK);
	expect_events(&g, third, 1);
	got_free(&g);
	assert_int_equal(counters(f->a).recovery_cuts, 0); /* nothing acknowledged was cut */
	vg_archive_close(f->a);
	f->a = NULL;
	flip_byte(seg, off[1] + 64 + 5); /* repaired */

	/* A header byte of the middle block (its event count). */
	flip_byte(seg, off[1] + 8);
	reopen(f);
	assert_int_equal(scan_all(f->a, 1, &g, &err), VG_ECORRUPT);
	snprintf(want, sizeof(want), "archive %s: offset %lld: block header fails its CRC", seg,
		 (long long)off[1]);
	assert_string_equal(err.msg, want);
	got_free(&g);

	/* Without the index, recovery walks the segment, finds the damage in the
	 * middle, cuts nothing and sends new appends to a new segment. */
	vg_archive_close(f->a);
	f->a = NULL;
	assert_int_equal(unlink(idx), 0);
	reopen(f);
	assert_int_equal(scan_all(f->a, 1, &g, &err), VG_ECORRUPT);
	assert_string_equal(err.msg, want);
	got_free(&g);
	assert_int_equal(counters(f->a).recovery_cuts, 0);
	append_ok(f->a, 1, b[0].ev, 1);
	day_dir(f, NULL, 1, base_day, dir, sizeof(dir));
	assert_int_equal(count_files(dir, ".seg"), 2);
	assert_int_equal(vg_archive_scan(f->a, 1, base_ms, base_ms + 1, NULL, collect, &g, &err),
			 VG_ECORRUPT); /* still reported: the damaged segment comes first */
	got_free(&g);
}

/* ---- retention ---- */

static void retention_removes_exactly_the_days_older_than_keep_days(void **state)
{
	fixture *f = *state;
	const int ago[] = { 200, 181, 180, 179, 1, 0 };
	int64_t now = base_ms + 10 * HOUR;
	char dir[512], tdir[256];
	vg_archive_stats st;
	vg_error err = { 0 };
	int removed = -1;

	for (size_t i = 0; i < sizeof(ago) / sizeof(ago[0]); i++) {
		batch b = { 0 };

		batch_add(&b, "r", base_ms - ago[i] * DAY + 5 * HOUR, 1);
		append_ok(f->a, 1, b.ev, b.n);
		append_ok(f->a, 2, b.ev, b.n);
	}
	assert_int_equal(vg_archive_expire(f->a, 1, 0, now, &removed, &err), VG_EINVAL);
	assert_int_equal(removed, 0);
	/* now - 180 days is 2026-05-29T10:00Z: 2026-05-28 (181 days ago) ends
	 * before it and goes; 2026-05-29 (180 days ago) holds younger hours and stays. */
	assert_int_equal(vg_archive_expire(f->a, 1, VG_ARCHIVE_RETENTION_DAYS_DEFAULT, now,
					   &removed, &err), VG_OK);
	assert_int_equal(removed, 2);
	for (size_t i = 0; i < sizeof(ago) / sizeof(ago[0]); i++) {
		day_dir(f, NULL, 1, base_day - ago[i], dir, sizeof(dir));
		assert_int_equal(exists(dir), ago[i] <= 180);
		day_dir(f, NULL, 2, base_day - ago[i], dir, sizeof(dir));
		assert_true(exists(dir)); /* the other tenant keeps everything */
	}
	assert_int_equal(vg_archive_stats_get(f->a, 1, &st, &err), VG_OK);
	assert_int_equal(st.days, 4);
	assert_int_equal(st.events, 4);
	assert_string_equal(st.oldest, "2026-05-29");
	assert_string_equal(st.newest, "2026-11-25");
	assert_int_equal(vg_archive_expire(f->a, 1, 180, now, &removed, &err), VG_OK);
	assert_int_equal(removed, 0);
	/* At midnight the 180-day-old day has fully aged out. */
	assert_int_equal(vg_archive_expire(f->a, 1, 180, base_ms + DAY, &removed, &err), VG_OK);
	assert_int_equal(removed, 1);
	assert_int_equal(vg_archive_stats_get(f->a, 2, &st, &err), VG_OK);
	assert_int_equal(st.days, 6);

	/* A retention interrupted after its rename is finished on reopen. */
	vg_archive_close(f->a);
	f->a = NULL;
	snprintf(tdir, sizeof(tdir), "%s/tenant-2", f->arch);
	day_dir(f, NULL, 2, base_day - 200, dir, sizeof(dir));
	sh("mv '%s' '%s/.expired-2026-05-09'", dir, tdir);
	reopen(f);
	assert_int_equal(vg_archive_stats_get(f->a, 2, &st, &err), VG_OK);
	assert_int_equal(st.days, 5);
	snprintf(dir, sizeof(dir), "%s/.expired-2026-05-09", tdir);
	assert_false(exists(dir));
	/* An unknown tenant has nothing to remove. */
	assert_int_equal(vg_archive_expire(f->a, 9, 180, now, &removed, &err), VG_OK);
	assert_int_equal(removed, 0);
}

/* ---- tenants, stats, checks ---- */

static void tenants_are_isolated(void **state)
{
	fixture *f = *state;
	batch one = { 0 }, two = { 0 };
	const batch *b1[] = { &one }, *b2[] = { &two };
	char from[512], to[512], path[256];
	int64_t *ids;
	size_t n;
	vg_archive_stats st;
	vg_error err = { 0 };
	got g = { 0 };
	int removed;

	batch_add(&one, "tenant1", base_ms + 100, 1);
	batch_add(&one, "tenant1", base_ms + 200, 1);
	batch_add(&two, "tenant2", base_ms + 100, 1);
	append_ok(f->a, 1, one.ev, one.n);
	append_ok(f->a, 2, two.ev, two.n);
	expect_scan(f->a, 1, b1, 1);
	expect_scan(f->a, 2, b2, 1);
	assert_int_equal(scan_all(f->a, 3, &g, &err), VG_OK);
	assert_int_equal(g.n, 0);
	snprintf(path, sizeof(path), "%s/tenant-3", f->arch);
	assert_false(exists(path)); /* reading creates nothing */
	assert_int_equal(vg_archive_stats_get(f->a, 3, &st, &err), VG_OK);
	assert_int_equal(st.events, 0);
	assert_int_equal(st.days, 0);
	assert_string_equal(st.oldest, "");
	assert_int_equal(vg_archive_scan(f->a, 0, 0, 1, NULL, collect, &g, &err), VG_EINVAL);
	assert_int_equal(vg_archive_tenants(f->a, &ids, &n, &err), VG_OK);
	assert_int_equal(n, 2);
	assert_int_equal(ids[0], 1);
	assert_int_equal(ids[1], 2);
	free(ids);

	/* Retention of tenant 1 leaves tenant 2 alone. */
	assert_int_equal(vg_archive_expire(f->a, 1, 1, base_ms + 10 * DAY, &removed, &err), VG_OK);
	assert_int_equal(removed, 1);
	expect_scan(f->a, 2, b2, 1);
	assert_int_equal(scan_all(f->a, 1, &g, &err), VG_OK);
	assert_int_equal(g.n, 0);

	/* A segment of tenant 2 planted in tenant 1's directory is refused. */
	append_ok(f->a, 1, one.ev, one.n);
	vg_archive_close(f->a);
	f->a = NULL;
	seg_file(f, NULL, 2, base_day, 1, "seg", from, sizeof(from));
	seg_file(f, NULL, 1, base_day, 2, "seg", to, sizeof(to));
	sh("cp '%s' '%s'", from, to);
	reopen(f);
	assert_int_equal(scan_all(f->a, 1, &g, &err), VG_ECORRUPT);
	assert_non_null(strstr(err.msg, "000002.seg: offset 0: block belongs to another tenant"));
	assert_int_equal(g.n, 2); /* tenant 1's own events came first */
	for (size_t i = 0; i < g.n; i++)
		assert_non_null(strstr(g.ev[i].json, "tenant1"));
	got_free(&g);
}

static void stats_are_exact(void **state)
{
	fixture *f = *state;
	batch b = { 0 };
	char path[512];
	int64_t raw = 0, stored;
	vg_archive_stats st;
	vg_error err = { 0 };

	for (int i = 0; i < 10; i++)
		batch_add(&b, "s", base_ms + (i % 2) * DAY + i, 1);
	append_ok(f->a, 1, b.ev, 5);
	append_ok(f->a, 1, b.ev + 5, 5);
	for (size_t i = 0; i < b.n; i++)
		raw += (int64_t)b.ev[i].len;
	seg_file(f, NULL, 1, base_day, 1, "seg", path, sizeof(path));
	stored = file_size(path);
	seg_file(f, NULL, 1, base_day + 1, 1, "seg", path, sizeof(path));
	stored += file_size(path);
	for (int pass = 0; pass < 2; pass++) {
		assert_int_equal(vg_archive_stats_get(f->a, 1, &st, &err), VG_OK);
		assert_int_equal(st.days, 2);
		assert_int_equal(st.segments, 2);
		assert_int_equal(st.blocks, 4);
		assert_int_equal(st.events, 10);
		assert_int_equal(st.raw_bytes, raw);
		assert_int_equal(st.stored_bytes, stored);
		assert_string_equal(st.oldest, "2026-11-25");
		assert_string_equal(st.newest, "2026-11-26");
		reopen(f);
	}
}

static void bad_batches_are_refused_whole(void **state)
{
	fixture *f = *state;
	static vg_archive_event many[VG_ARCHIVE_BATCH_MAX_EVENTS + 1];
	static vg_archive_event days[VG_ARCHIVE_BATCH_MAX_DAYS + 1];
	vg_archive_event ev[3];
	char *mib = malloc(VG_ARCHIVE_EVENT_MAX_BYTES + 1);
	char path[256];
	vg_error err = { 0 };

	assert_non_null(mib);
	memset(mib, 'x', VG_ARCHIVE_EVENT_MAX_BYTES + 1);
	ev[0] = (vg_archive_event){ base_ms, 1, "{}", 2 };
	ev[1] = (vg_archive_event){ base_ms, 1, "{}", 2 };
	ev[2] = (vg_archive_event){ base_ms, 1, "{}", 2 };

	assert_int_equal(vg_archive_append(f->a, 0, ev, 1, &err), VG_EINVAL);
	assert_string_equal(err.msg, "invalid tenant id 0");
	ev[1].time_ms = -1;
	assert_int_equal(vg_archive_append(f->a, 1, ev, 3, &err), VG_EINVAL);
	assert_string_equal(err.msg, "event 1: time -1 out of range");
	ev[1].time_ms = VG_ARCHIVE_TIME_MAX + 1;
	assert_int_equal(vg_archive_append(f->a, 1, ev, 3, &err), VG_EINVAL);
	ev[1].time_ms = base_ms;
	ev[2].len = 0;
	assert_int_equal(vg_archive_append(f->a, 1, ev, 3, &err), VG_EINVAL);
	assert_string_equal(err.msg, "event 2 is empty");
	ev[2] = (vg_archive_event){ base_ms, 1, "{\0}", 3 };
	assert_int_equal(vg_archive_append(f->a, 1, ev, 3, &err), VG_EINVAL);
	assert_string_equal(err.msg, "event 2 contains a NUL byte");
	ev[2] = (vg_archive_event){ base_ms, 1, mib, VG_ARCHIVE_EVENT_MAX_BYTES + 1 };
	assert_int_equal(vg_archive_append(f->a, 1, ev, 3, &err), VG_ETOOBIG);
	for (size_t i = 0; i < VG_ARCHIVE_BATCH_MAX_EVENTS + 1; i++)
		many[i] = (vg_archive_event){ base_ms, 1, "{}", 2 };
	assert_int_equal(vg_archive_append(f->a, 1, many, VG_ARCHIVE_BATCH_MAX_EVENTS + 1, &err),
			 VG_ETOOBIG);
	/* 33 events of 1 MiB: over the 32 MiB batch limit. */
	for (size_t i = 0; i < 33; i++)
		many[i] = (vg_archive_event){ base_ms, 1, mib, VG_ARCHIVE_EVENT_MAX_BYTES };
	assert_int_equal(vg_archive_append(f->a, 1, many, 33, &err), VG_ETOOBIG);
	for (size_t i = 0; i < VG_ARCHIVE_BATCH_MAX_DAYS + 1; i++)
		days[i] = (vg_archive_event){ base_ms - (int64_t)i * DAY, 1, "{}", 2 };
	assert_int_equal(vg_archive_append(f->a, 1, days, VG_ARCHIVE_BATCH_MAX_DAYS + 1, &err),
			 VG_ETOOBIG);
	assert_string_equal(err.msg, "batch spans 367 days, over the limit of 366");
	/* Nothing was written for any of them. */
	snprintf(path, sizeof(path), "%s/tenant-1", f->arch);
	assert_false(exists(path));
	/* The limits themselves are accepted: 366 days in one batch. */
	append_ok(f->a, 1, days, VG_ARCHIVE_BATCH_MAX_DAYS);
	assert_int_equal(count_files(path, "") - 2, VG_ARCHIVE_BATCH_MAX_DAYS);
	free(mib);
}

static void callback_stops_and_fails_the_scan(void **state)
{
	fixture *f = *state;
	batch b = { 0 };
	vg_error err = { 0 };
	got g = { .stop_after = 3 };

	for (int i = 0; i < 10; i++)
		batch_add(&b, "cb", base_ms + i, 1);
	append_ok(f->a, 1, b.ev, b.n);
	assert_int_equal(scan_all(f->a, 1, &g, &err), VG_ARCHIVE_STOP);
	assert_int_equal(g.n, 3);
	got_free(&g);
	g.fail_with = VG_EIO;
	assert_int_equal(scan_all(f->a, 1, &g, &err), VG_EIO);
	assert_string_equal(err.msg, "callback says no");
	assert_int_equal(vg_archive_scan(f->a, 1, 0, 1, NULL, NULL, NULL, &err), VG_EINVAL);
}

static void second_open_of_a_directory_conflicts(void **state)
{
	fixture *f = *state;
	vg_archive_options bad = { .compression_level = 99 };
	vg_archive *other = NULL;
	vg_error err = { 0 };
	char path[160];

	assert_int_equal(vg_archive_open(f->arch, NULL, &other, &err), VG_ECONFLICT);
	assert_null(other);
	vg_archive_close(f->a);
	f->a = NULL;
	assert_int_equal(vg_archive_open(f->arch, &bad, &other, &err), VG_EINVAL);
	assert_int_equal(vg_archive_open(f->arch, NULL, &other, &err), VG_OK);
	f->a = other;
	/* The directory is created with mode 0700. */
	snprintf(path, sizeof(path), "%s/new", f->dir);
	assert_int_equal(vg_archive_open(path, NULL, &other, &err), VG_OK);
	{
		struct stat st;

		assert_int_equal(stat(path, &st), 0);
		assert_int_equal(st.st_mode & 0777, 0700);
	}
	vg_archive_close(other);
}

static void large_batch_keeps_batch_order_within_each_day(void **state)
{
	fixture *f = *state;
	static vg_archive_event ev[10000];
	static char json[10000][32];
	vg_error err = { 0 };
	got g = { 0 };
	size_t k = 0;

	for (size_t i = 0; i < 10000; i++) {
		int len = snprintf(json[i], sizeof(json[i]), "{\"n\":%zu}", i);

		/* Days 2, 0, 1 interleaved; times decreasing within each day. */
		ev[i] = (vg_archive_event){ base_ms + (int64_t)((i + 2) % 3) * DAY + 50000 -
						    (int64_t)i,
					    0, json[i], (size_t)len };
	}
	append_ok(f->a, 1, ev, 10000);
	assert_int_equal(scan_all(f->a, 1, &g, &err), VG_OK);
	assert_int_equal(g.n, 10000);
	for (int64_t d = 0; d < 3; d++)
		for (size_t i = 0; i < 10000; i++)
			if ((int64_t)((i + 2) % 3) == d)
				assert_string_equal(g.ev[k++].json, json[i]);
	got_free(&g);
}

int main(void)
{
	vg_log_set_level(VG_LOG_ERROR); /* recovery's warnings are expected here */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(append_then_scan_returns_exact_events_in_order,
						setup, teardown),
		cmocka_unit_test_setup_teardown(events_are_partitioned_by_utc_day_across_midnight,
						setup, teardown),
		cmocka_unit_test_setup_teardown(time_range_filters_and_skips_blocks_by_index, setup,
						teardown),
		cmocka_unit_test(position_strings_round_trip_and_reject_garbage),
		cmocka_unit_test_setup_teardown(paging_with_positions_delivers_every_event_once,
						setup, teardown),
		cmocka_unit_test_setup_teardown(segments_roll_over_at_segment_max_bytes, setup,
						teardown),
		cmocka_unit_test_setup_teardown(concurrent_appends_store_every_event_once, setup,
						teardown),
		cmocka_unit_test_setup_teardown(group_commit_counts_batches_and_commits, setup,
						teardown),
		cmocka_unit_test_setup_teardown(kill_9_during_appends_loses_no_acknowledged_batch,
						setup, teardown),
		cmocka_unit_test_setup_teardown(torn_tail_at_every_byte_drops_only_the_last_batch,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			multi_day_batch_cut_at_every_commit_step_is_all_or_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(
			flipped_byte_mid_segment_is_corrupt_with_file_and_offset, setup, teardown),
		cmocka_unit_test_setup_teardown(
			retention_removes_exactly_the_days_older_than_keep_days, setup, teardown),
		cmocka_unit_test_setup_teardown(tenants_are_isolated, setup, teardown),
		cmocka_unit_test_setup_teardown(stats_are_exact, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_batches_are_refused_whole, setup, teardown),
		cmocka_unit_test_setup_teardown(callback_stops_and_fails_the_scan, setup, teardown),
		cmocka_unit_test_setup_teardown(second_open_of_a_directory_conflicts, setup,
						teardown),
		cmocka_unit_test_setup_teardown(large_batch_keeps_batch_order_within_each_day,
						setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
