/*
 * archive.c - the open archive: its tenants, days and segments in memory,
 * UTC days and their names, positions, retention and statistics. Appending
 * is in append.c, scans in scan.c, recovery in recover.c, the block format
 * in segment.c.
 */
#include "archive/internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include "core/file.h"
#include "core/time.h"

/* ---- days ---- */

int32_t vg_archive_day_of(int64_t time_ms)
{
	int64_t d = time_ms / VG_ARCHIVE_DAY_MS;

	if (time_ms % VG_ARCHIVE_DAY_MS < 0)
		d--;
	if (d < INT32_MIN)
		return INT32_MIN;
	if (d > INT32_MAX)
		return INT32_MAX;
	return (int32_t)d;
}

void vg__arc_day_name(int32_t day, char out[11])
{
	char iso[VG_TIME_ISO_LEN];

	vg_time_format_iso((int64_t)day * VG_ARCHIVE_DAY_MS, iso);
	memcpy(out, iso, 10);
	out[10] = '\0';
}

int32_t vg__arc_day_parse(const char *name)
{
	int64_t ms;

	/* Only the canonical form names a day directory ("2026-1-5" does not). */
	if (strlen(name) != 10 || name[4] != '-' || name[7] != '-')
		return -1;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (name[i] < '0' || name[i] > '9'))
			return -1;
	if (vg_time_parse_iso(name, &ms) != VG_OK || ms < 0 || ms > VG_ARCHIVE_TIME_MAX)
		return -1;
	return (int32_t)(ms / VG_ARCHIVE_DAY_MS);
}

/* ---- positions ---- */

int vg_archive_pos_cmp(const vg_archive_pos *a, const vg_archive_pos *b)
{
	if (a->day != b->day)
		return a->day < b->day ? -1 : 1;
	if (a->segment != b->segment)
		return a->segment < b->segment ? -1 : 1;
	if (a->offset != b->offset)
		return a->offset < b->offset ? -1 : 1;
	if (a->index != b->index)
		return a->index < b->index ? -1 : 1;
	return 0;
}

void vg_archive_pos_format(const vg_archive_pos *pos, char out[VG_ARCHIVE_POS_STR_MAX])
{
	snprintf(out, VG_ARCHIVE_POS_STR_MAX, "%x-%x-%llx-%x", (unsigned)pos->day,
		 (unsigned)pos->segment, (unsigned long long)pos->offset, (unsigned)pos->index);
}

/* One field: 1-16 lower-case hex digits, no leading zero; *p advanced. */
static int parse_hex(const char **p, int max_digits, uint64_t *out)
{
	const char *s = *p;
	uint64_t v = 0;
	int n = 0;

	while ((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f')) {
		if (n == max_digits)
			return -1;
		v = v * 16 + (uint64_t)(s[n] <= '9' ? s[n] - '0' : s[n] - 'a' + 10);
		n++;
	}
	if (n == 0 || (n > 1 && s[0] == '0'))
		return -1;
	*p = s + n;
	*out = v;
	return 0;
}

int vg_archive_pos_parse(const char *s, vg_archive_pos *out, vg_error *err)
{
	uint64_t f[4];
	const char *p = s;

	memset(out, 0, sizeof(*out));
	if (!s)
		return vg_error_set(err, VG_EINVAL, "invalid archive position");
	for (int i = 0; i < 4; i++) {
		if (parse_hex(&p, i == 2 ? 16 : 8, &f[i]) != 0 || *p != (i == 3 ? '\0' : '-'))
			return vg_error_set(err, VG_EINVAL, "invalid archive position");
		if (i < 3)
			p++;
	}
	if (f[0] > INT32_MAX)
		return vg_error_set(err, VG_EINVAL, "invalid archive position");
	*out = arc_pos((int32_t)f[0], (uint32_t)f[1], f[2], (uint32_t)f[3]);
	return VG_OK;
}

/* ---- tenants, days, segments in memory ---- */

int vg__arc_day_path(const arc_tenant *t, int32_t day, char out[ARC_PATH_MAX])
{
	char name[11];
	int n;

	vg__arc_day_name(day, name);
	n = snprintf(out, ARC_PATH_MAX, "%s/%s", t->path, name);
	return n < 0 || n >= ARC_PATH_MAX ? VG_EINVAL : VG_OK;
}

int vg__arc_seg_path(const arc_tenant *t, int32_t day, uint32_t num, const char *suffix,
		     char out[ARC_PATH_MAX])
{
	char name[11];
	int n;

	vg__arc_day_name(day, name);
	n = snprintf(out, ARC_PATH_MAX, "%s/%s/%06u%s", t->path, name, (unsigned)num, suffix);
	return n < 0 || n >= ARC_PATH_MAX ? VG_EINVAL : VG_OK;
}

arc_day *vg__arc_day_find(arc_tenant *t, int32_t day)
{
	size_t lo = 0, hi = t->ndays;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->days[mid]->day == day)
			return t->days[mid];
		if (t->days[mid]->day < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

arc_day *vg__arc_day_add(arc_tenant *t, int32_t day)
{
	size_t at = t->ndays;
	arc_day *d;

	if (t->ndays == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 16;
		arc_day **days = realloc(t->days, cap * sizeof(*days));

		if (!days)
			return NULL;
		t->days = days;
		t->cap = cap;
	}
	d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	d->day = day;
	while (at > 0 && t->days[at - 1]->day > day)
		at--;
	memmove(t->days + at + 1, t->days + at, (t->ndays - at) * sizeof(*t->days));
	t->days[at] = d;
	t->ndays++;
	return d;
}

arc_seg *vg__arc_seg_add(arc_day *d, uint32_t num)
{
	arc_seg *s;

	if (d->nsegs == d->cap) {
		size_t cap = d->cap ? 2 * d->cap : 4;
		arc_seg **segs = realloc(d->segs, cap * sizeof(*segs));

		if (!segs)
			return NULL;
		d->segs = segs;
		d->cap = cap;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->num = num;
	s->idx_known = true;
	d->segs[d->nsegs++] = s;
	return s;
}

void vg__arc_day_free(arc_day *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->nsegs; i++)
		free(d->segs[i]);
	free(d->segs);
	free(d);
}

void vg__arc_tenant_clear_days(arc_tenant *t)
{
	for (size_t i = 0; i < t->ndays; i++)
		vg__arc_day_free(t->days[i]);
	free(t->days);
	t->days = NULL;
	t->ndays = t->cap = 0;
}

static void tenant_free(arc_tenant *t)
{
	vg__arc_tenant_clear_days(t);
	pthread_mutex_destroy(&t->mu);
	pthread_cond_destroy(&t->cv);
	pthread_rwlock_destroy(&t->retention);
	free(t);
}

int vg__arc_tenant_get(vg_archive *a, int64_t id, bool create, arc_tenant **out, vg_error *err)
{
	size_t lo = 0, hi;
	arc_tenant *t = NULL;
	int rc = VG_OK;

	*out = NULL;
	if (id <= 0)
		return vg_error_set(err, VG_EINVAL, "invalid tenant id %lld", (long long)id);
	pthread_mutex_lock(&a->mu);
	hi = a->ntenants;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (a->tenants[mid]->id == id) {
			*out = a->tenants[mid];
			goto out;
		}
		if (a->tenants[mid]->id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	t = calloc(1, sizeof(*t));
	if (!t) {
		rc = vg_error_set(err, VG_ENOMEM, "out of memory opening tenant %lld", (long long)id);
		goto out;
	}
	t->id = id;
	if (snprintf(t->path, sizeof(t->path), "%s/tenant-%lld", a->dir, (long long)id) >=
	    (int)sizeof(t->path)) {
		rc = vg_error_set(err, VG_EINVAL, "archive path too long");
		goto out;
	}
	if (!create) {
		struct stat st;

		if (stat(t->path, &st) != 0 && errno == ENOENT)
			goto out; /* nothing stored: no state needed */
	}
	if (a->ntenants == a->cap) {
		size_t cap = a->cap ? 2 * a->cap : 16;
		arc_tenant **ts = realloc(a->tenants, cap * sizeof(*ts));

		if (!ts) {
			rc = vg_error_set(err, VG_ENOMEM, "out of memory opening tenant %lld",
					  (long long)id);
			goto out;
		}
		a->tenants = ts;
		a->cap = cap;
	}
	pthread_mutex_init(&t->mu, NULL);
	pthread_cond_init(&t->cv, NULL);
	pthread_rwlock_init(&t->retention, NULL);
	memmove(a->tenants + lo + 1, a->tenants + lo, (a->ntenants - lo) * sizeof(*a->tenants));
	a->tenants[lo] = t;
	a->ntenants++;
	*out = t;
	t = NULL;
out:
	pthread_mutex_unlock(&a->mu);
	free(t);
	return rc;
}

/* ---- open, close ---- */

int vg_archive_open(const char *dir, const vg_archive_options *opts, vg_archive **out,
		    vg_error *err)
{
	vg_archive_options o = opts ? *opts : (vg_archive_options){ 0 };
	char path[ARC_PATH_MAX];
	vg_archive *a = NULL;
	bool created = false;
	struct stat st;
	int rc = VG_EIO;

	*out = NULL;
	if (!dir || !dir[0] || strlen(dir) > ARC_PATH_MAX - 128)
		return vg_error_set(err, VG_EINVAL, "archive directory name missing or too long");
	if (o.segment_max_bytes == 0)
		o.segment_max_bytes = VG_ARCHIVE_SEGMENT_MAX_DEFAULT;
	if (o.compression_level == 0)
		o.compression_level = VG_ARCHIVE_COMPRESSION_DEFAULT;
	if (o.compression_level < 1 || o.compression_level > ZSTD_maxCLevel())
		return vg_error_set(err, VG_EINVAL, "archive compression level %d not in 1..%d",
				    o.compression_level, ZSTD_maxCLevel());
	if (mkdir(dir, 0700) == 0)
		created = true;
	else if (errno != EEXIST)
		return vg_error_set(err, VG_EIO, "archive %s: %s", dir, strerror(errno));
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return vg_error_set(err, VG_EIO, "archive %s: not a directory", dir);
	if (created) {
		/* The new directory's entry, in its parent. */
		const char *slash = strrchr(dir, '/');

		if (slash)
			snprintf(path, sizeof(path), "%.*s", slash == dir ? 1 : (int)(slash - dir), dir);
		else
			snprintf(path, sizeof(path), ".");
		if (vg_fsync_dir(path) != 0)
			return vg_error_set(err, VG_EIO, "archive %s: fsync: %s", path,
					    strerror(errno));
	}
	a = calloc(1, sizeof(*a));
	if (!a)
		return vg_error_set(err, VG_ENOMEM, "out of memory opening the archive");
	a->lock_fd = -1;
	snprintf(a->dir, sizeof(a->dir), "%s", dir);
	a->segment_max = o.segment_max_bytes;
	a->level = o.compression_level;
	pthread_mutex_init(&a->mu, NULL);
	snprintf(path, sizeof(path), "%s/lock", dir);
	a->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (a->lock_fd < 0) {
		rc = vg_error_set(err, VG_EIO, "archive %s: %s", path, strerror(errno));
		goto out;
	}
	if (flock(a->lock_fd, LOCK_EX | LOCK_NB) != 0) {
		rc = errno == EWOULDBLOCK
			     ? vg_error_set(err, VG_ECONFLICT, "archive %s is in use by another "
							       "process or handle", dir)
			     : vg_error_set(err, VG_EIO, "archive %s: lock: %s", path,
					    strerror(errno));
		goto out;
	}
	*out = a;
	a = NULL;
	rc = VG_OK;
out:
	vg_archive_close(a);
	return rc;
}

void vg_archive_close(vg_archive *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->ntenants; i++)
		tenant_free(a->tenants[i]);
	free(a->tenants);
	for (size_t i = 0; i < a->ncctx; i++)
		ZSTD_freeCCtx(a->cctx_pool[i]);
	if (a->lock_fd >= 0)
		close(a->lock_fd); /* releases the flock */
	pthread_mutex_destroy(&a->mu);
	free(a);
}

void vg_archive_counters_get(vg_archive *a, vg_archive_counters *out)
{
	out->batches = atomic_load(&a->batches);
	out->events = atomic_load(&a->events);
	out->commits = atomic_load(&a->commits);
	out->blocks_read = atomic_load(&a->blocks_read);
	out->blocks_skipped = atomic_load(&a->blocks_skipped);
	out->recovery_cuts = atomic_load(&a->recovery_cuts);
}

static int io_error(vg_error *err, const char *what, const char *path)
{
	return vg_error_set(err, VG_EIO, "archive %s: %s: %s", path, what, strerror(errno));
}

/* ---- retention ---- */

int vg_archive_expire(vg_archive *a, int64_t tenant_id, int keep_days, int64_t now_ms,
		      int *removed, vg_error *err)
{
	char path[ARC_PATH_MAX], gone[ARC_PATH_MAX], name[11];
	int64_t cutoff;
	arc_tenant *t;
	size_t keep = 0;
	int rc;

	*removed = 0;
	if (keep_days < 1 || keep_days > 36500)
		return vg_error_set(err, VG_EINVAL, "retention of %d days not in 1..36500",
				    keep_days);
	rc = vg__arc_tenant_get(a, tenant_id, false, &t, err);
	if (rc || !t)
		return rc;
	if (now_ms > VG_ARCHIVE_TIME_MAX + 36500 * VG_ARCHIVE_DAY_MS || now_ms < 0)
		return vg_error_set(err, VG_EINVAL, "retention: time %lld out of range",
				    (long long)now_ms);
	cutoff = now_ms - (int64_t)keep_days * VG_ARCHIVE_DAY_MS;
	pthread_rwlock_wrlock(&t->retention);
	pthread_mutex_lock(&t->mu);
	while (t->leader)
		pthread_cond_wait(&t->cv, &t->mu);
	rc = vg__arc_recover(a, t, err);
	if (rc)
		goto out;
	/* Out of sight first (one rename each), then made durable, then removed. */
	for (size_t i = 0; i < t->ndays; i++) {
		arc_day *d = t->days[i];

		if (((int64_t)d->day + 1) * VG_ARCHIVE_DAY_MS > cutoff) {
			t->days[keep++] = d;
			continue;
		}
		vg__arc_day_name(d->day, name);
		if (vg__arc_day_path(t, d->day, path) ||
		    snprintf(gone, sizeof(gone), "%s/.expired-%s", t->path, name) >=
			    (int)sizeof(gone)) {
			rc = vg_error_set(err, VG_EINVAL, "archive path too long");
			t->days[keep++] = d;
			continue;
		}
		if (rename(path, gone) != 0 && errno != ENOENT) {
			rc = io_error(err, "rename", path);
			t->days[keep++] = d;
			continue;
		}
		if (d->on_disk)
			(*removed)++;
		vg__arc_day_free(d);
	}
	t->ndays = keep;
	if (*removed && vg_fsync_dir(t->path) != 0 && !rc)
		rc = io_error(err, "fsync", t->path);
	/* What is renamed is gone for readers; a crash from here leaves
	 * .expired-* directories that recovery removes. */
	if (!rc)
		rc = vg__arc_remove_expired(t, err);
out:
	pthread_mutex_unlock(&t->mu);
	pthread_rwlock_unlock(&t->retention);
	if (rc)
		*removed = 0;
	return rc;
}

/* ---- tenants and statistics ---- */

static int id_cmp(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;

	return a < b ? -1 : a > b;
}

int vg_archive_tenants(vg_archive *a, int64_t **ids, size_t *n, vg_error *err)
{
	int64_t *out = NULL;
	size_t cnt = 0, cap = 0;
	struct dirent *de;
	DIR *d;
	int rc = VG_OK;

	*ids = NULL;
	*n = 0;
	d = opendir(a->dir);
	if (!d)
		return io_error(err, "opendir", a->dir);
	while ((de = readdir(d)) != NULL) {
		char *end;
		long long id;

		if (strncmp(de->d_name, "tenant-", 7) != 0 || de->d_name[7] < '1' ||
		    de->d_name[7] > '9')
			continue;
		errno = 0;
		id = strtoll(de->d_name + 7, &end, 10);
		if (errno || *end || id <= 0)
			continue;
		if (cnt == cap) {
			int64_t *grown = realloc(out, (cap ? 2 * cap : 16) * sizeof(*out));

			if (!grown) {
				rc = vg_error_set(err, VG_ENOMEM, "out of memory listing tenants");
				goto out;
			}
			out = grown;
			cap = cap ? 2 * cap : 16;
		}
		out[cnt++] = id;
	}
	if (cnt)
		qsort(out, cnt, sizeof(*out), id_cmp);
	*ids = out;
	*n = cnt;
	out = NULL;
out:
	closedir(d);
	free(out);
	return rc;
}

typedef struct stat_seg {
	int32_t day;
	uint32_t num;
	uint64_t len;
} stat_seg;

int vg_archive_stats_get(vg_archive *a, int64_t tenant_id, vg_archive_stats *out, vg_error *err)
{
	char path[ARC_PATH_MAX];
	stat_seg *segs = NULL;
	size_t nsegs = 0, cap = 0;
	int32_t last_day = -1;
	arc_tenant *t;
	arc_iter it;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = vg__arc_tenant_get(a, tenant_id, false, &t, err);
	if (rc || !t)
		return rc;
	pthread_rwlock_rdlock(&t->retention);
	pthread_mutex_lock(&t->mu);
	rc = vg__arc_recover(a, t, err);
	for (size_t i = 0; !rc && i < t->ndays; i++) {
		for (size_t j = 0; j < t->days[i]->nsegs; j++) {
			arc_seg *s = t->days[i]->segs[j];

			if (s->len == 0)
				continue;
			if (nsegs == cap) {
				stat_seg *g = realloc(segs, (cap ? 2 * cap : 64) * sizeof(*g));

				if (!g) {
					rc = vg_error_set(err, VG_ENOMEM, "out of memory");
					break;
				}
				segs = g;
				cap = cap ? 2 * cap : 64;
			}
			segs[nsegs++] = (stat_seg){ t->days[i]->day, s->num, s->len };
		}
	}
	pthread_mutex_unlock(&t->mu);
	for (size_t k = 0; !rc && k < nsegs; k++) {
		unsigned char hb[ARC_HDR_LEN];
		uint64_t off;
		arc_hdr h;

		if (vg__arc_seg_path(t, segs[k].day, segs[k].num, ".seg", path)) {
			rc = vg_error_set(err, VG_EINVAL, "archive path too long");
			break;
		}
		rc = vg__arc_iter_open(&it, path, tenant_id, segs[k].day, segs[k].len, true, err);
		if (rc)
			break;
		while ((rc = vg__arc_iter_next(&it, &off, &h, hb, err)) == 1) {
			out->blocks++;
			out->events += h.count;
			out->raw_bytes += (int64_t)h.raw_len - (int64_t)h.count * ARC_EVENT_OVERHEAD;
		}
		vg__arc_iter_close(&it);
		if (rc)
			break;
		out->segments++;
		out->stored_bytes += (int64_t)segs[k].len;
		if (segs[k].day != last_day) {
			if (out->days == 0)
				out->oldest_day = segs[k].day;
			out->newest_day = segs[k].day;
			out->days++;
			last_day = segs[k].day;
		}
	}
	pthread_rwlock_unlock(&t->retention);
	free(segs);
	if (rc) {
		memset(out, 0, sizeof(*out));
		return rc;
	}
	if (out->days) {
		vg__arc_day_name(out->oldest_day, out->oldest);
		vg__arc_day_name(out->newest_day, out->newest);
	}
	return VG_OK;
}
