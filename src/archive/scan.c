/*
 * scan.c - reading a tenant's events in a time range: a snapshot of the
 * committed segments under the tenant's lock, then each segment's blocks in
 * order, skipping by the time index and the cursor, checking each block
 * whole before delivering its events.
 */
#include "archive/internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

typedef struct snap {
	int32_t day;
	uint32_t num;
	uint64_t len;
} snap;

typedef struct scanner {
	vg_archive *a;
	int64_t tenant;
	int64_t from, to;
	const vg_archive_pos *after;
	vg_archive_fn fn;
	void *arg;
	ZSTD_DCtx *dctx;
	unsigned char *blk; /* header and payload of the block being read */
	size_t blk_cap;
	unsigned char *raw; /* its decompressed events */
	size_t raw_cap;
} scanner;

/* The committed segments of t that may hold events of days [first, last]
 * at or after the cursor. */
static int snapshot(arc_tenant *t, int32_t first, int32_t last, const vg_archive_pos *after,
		    snap **out, size_t *n, vg_error *err)
{
	size_t cap = 0;

	*out = NULL;
	*n = 0;
	for (size_t i = 0; i < t->ndays; i++) {
		arc_day *d = t->days[i];

		if (d->day < first || d->day > last || (after && d->day < after->day))
			continue;
		for (size_t j = 0; j < d->nsegs; j++) {
			arc_seg *s = d->segs[j];

			if (s->len == 0 || (after && d->day == after->day && s->num < after->segment))
				continue;
			if (*n == cap) {
				snap *g = realloc(*out, (cap ? 2 * cap : 64) * sizeof(*g));

				if (!g) {
					free(*out);
					*out = NULL;
					*n = 0;
					return vg_error_set(err, VG_ENOMEM, "out of memory starting a scan");
				}
				*out = g;
				cap = cap ? 2 * cap : 64;
			}
			(*out)[(*n)++] = (snap){ d->day, s->num, s->len };
		}
	}
	return VG_OK;
}

static int grow(unsigned char **buf, size_t *cap, size_t want)
{
	unsigned char *p;

	if (want <= *cap)
		return 0;
	p = malloc(want);
	if (!p)
		return -1;
	free(*buf);
	*buf = p;
	*cap = want;
	return 0;
}

static int corrupt(vg_error *err, const char *path, uint64_t off, const char *why)
{
	return vg_error_set(err, VG_ECORRUPT, "archive %s: offset %llu: %s", path,
			    (unsigned long long)off, why);
}

/* The content size of the zstd frames filling len bytes (a block holds one
 * frame per batch committed in it), or UINT64_MAX when they do not. */
static uint64_t frames_size(const unsigned char *p, size_t len)
{
	uint64_t total = 0;

	while (len > 0) {
		size_t fsz = ZSTD_findFrameCompressedSize(p, len);
		unsigned long long csz;

		if (ZSTD_isError(fsz) || fsz == 0 || fsz > len)
			return UINT64_MAX;
		csz = ZSTD_getFrameContentSize(p, fsz);
		if (csz == ZSTD_CONTENTSIZE_UNKNOWN || csz == ZSTD_CONTENTSIZE_ERROR ||
		    csz > ARC_RAW_MAX)
			return UINT64_MAX;
		total += csz;
		if (total > ARC_RAW_MAX)
			return UINT64_MAX;
		p += fsz;
		len -= fsz;
	}
	return total;
}

/* Reads, checks and delivers one block. */
static int read_block(scanner *sc, const arc_iter *it, const snap *sg, uint64_t off,
		      const arc_hdr *h, const unsigned char hb[ARC_HDR_LEN], uint32_t first,
		      vg_error *err)
{
	size_t len = ARC_HDR_LEN + (size_t)h->comp_len, roff = 0;
	const char *why;
	ssize_t got;
	size_t done;

	if (grow(&sc->blk, &sc->blk_cap, len) || grow(&sc->raw, &sc->raw_cap, h->raw_len))
		return vg_error_set(err, VG_ENOMEM, "out of memory reading %s", it->path);
	got = vg__arc_read_full(it->fd, sc->blk, len, off);
	if (got < 0)
		return vg_error_set(err, VG_EIO, "archive %s: read: %s", it->path, strerror(errno));
	if ((size_t)got != len)
		return corrupt(err, it->path, off, "block truncated");
	if (memcmp(sc->blk, hb, ARC_HDR_LEN) != 0) {
		arc_hdr disk;

		why = vg__arc_hdr_decode(sc->blk, &disk);
		return corrupt(err, it->path, off,
			       why ? why
				   : "block header does not match the index (remove the .idx file "
				     "to rebuild it)");
	}
	if (!vg__arc_block_crc_ok(sc->blk, h,
				  vg__arc_crc32(0, sc->blk + ARC_HDR_LEN, h->comp_len)))
		return corrupt(err, it->path, off, "block fails its CRC");
	if (frames_size(sc->blk + ARC_HDR_LEN, h->comp_len) != h->raw_len)
		return corrupt(err, it->path, off, "block payload is not zstd frames of its size");
	done = ZSTD_decompressDCtx(sc->dctx, sc->raw, h->raw_len, sc->blk + ARC_HDR_LEN,
				   h->comp_len);
	if (ZSTD_isError(done) || done != h->raw_len)
		return corrupt(err, it->path, off, "block payload does not decompress");
	why = vg__arc_payload_check(sc->raw, h->raw_len, h);
	if (why)
		return corrupt(err, it->path, off, why);
	atomic_fetch_add(&sc->a->blocks_read, 1);

	for (uint32_t i = 0; i < h->count; i++) {
		vg_archive_event ev;
		vg_archive_pos pos;
		int rc;

		vg__arc_payload_event(sc->raw, &roff, &ev);
		if (i < first || ev.time_ms < sc->from || ev.time_ms >= sc->to)
			continue;
		pos = arc_pos(sg->day, sg->num, off, i);
		rc = sc->fn(&ev, &pos, sc->arg, err);
		if (rc)
			return rc;
	}
	return VG_OK;
}

/* The block at (sg, off) against the cursor's block: <0 before it, 0 the
 * same block, >0 after it (also when there is no cursor). */
static int after_cmp(const vg_archive_pos *after, const snap *sg, uint64_t off)
{
	vg_archive_pos at = arc_pos(sg->day, sg->num, off, 0);

	if (!after)
		return 1;
	at.index = after->index;
	return vg_archive_pos_cmp(&at, after);
}

static int scan_segment(scanner *sc, arc_tenant *t, const snap *sg, vg_error *err)
{
	char path[ARC_PATH_MAX];
	unsigned char hb[ARC_HDR_LEN];
	uint64_t off;
	arc_iter it;
	arc_hdr h;
	int rc;

	if (vg__arc_seg_path(t, sg->day, sg->num, ".seg", path))
		return vg_error_set(err, VG_EINVAL, "archive path too long");
	rc = vg__arc_iter_open(&it, path, sc->tenant, sg->day, sg->len, true, err);
	if (rc)
		return rc;
	while ((rc = vg__arc_iter_next(&it, &off, &h, hb, err)) == 1) {
		int c = after_cmp(sc->after, sg, off);
		uint32_t first = c == 0 ? sc->after->index + 1 : 0;

		if (c < 0 || (c == 0 && (sc->after->index == UINT32_MAX || first >= h.count)) ||
		    h.max_ms < sc->from || h.min_ms >= sc->to) {
			atomic_fetch_add(&sc->a->blocks_skipped, 1);
			continue;
		}
		rc = read_block(sc, &it, sg, off, &h, hb, first, err);
		if (rc)
			break;
	}
	vg__arc_iter_close(&it);
	return rc;
}

int vg_archive_scan(vg_archive *a, int64_t tenant_id, int64_t from_ms, int64_t to_ms,
		    const vg_archive_pos *after, vg_archive_fn fn, void *arg, vg_error *err)
{
	scanner sc = { .a = a, .tenant = tenant_id, .after = after, .fn = fn, .arg = arg };
	snap *segs = NULL;
	size_t nsegs = 0;
	arc_tenant *t;
	int rc;

	if (tenant_id <= 0)
		return vg_error_set(err, VG_EINVAL, "invalid tenant id %lld", (long long)tenant_id);
	if (!fn)
		return vg_error_set(err, VG_EINVAL, "scan without a callback");
	if (from_ms < VG_ARCHIVE_TIME_MIN)
		from_ms = VG_ARCHIVE_TIME_MIN;
	if (to_ms > VG_ARCHIVE_TIME_MAX)
		to_ms = VG_ARCHIVE_TIME_MAX + 1;
	if (from_ms >= to_ms)
		return VG_OK;
	sc.from = from_ms;
	sc.to = to_ms;
	rc = vg__arc_tenant_get(a, tenant_id, false, &t, err);
	if (rc || !t)
		return rc;
	pthread_rwlock_rdlock(&t->retention);
	pthread_mutex_lock(&t->mu);
	rc = vg__arc_recover(a, t, err);
	if (!rc)
		rc = snapshot(t, vg_archive_day_of(from_ms), vg_archive_day_of(to_ms - 1), after,
			      &segs, &nsegs, err);
	pthread_mutex_unlock(&t->mu);
	if (rc)
		goto out;
	sc.dctx = ZSTD_createDCtx();
	if (!sc.dctx) {
		rc = vg_error_set(err, VG_ENOMEM, "out of memory starting a scan");
		goto out;
	}
	for (size_t i = 0; i < nsegs && !rc; i++)
		rc = scan_segment(&sc, t, &segs[i], err);
out:
	pthread_rwlock_unlock(&t->retention);
	ZSTD_freeDCtx(sc.dctx);
	free(sc.blk);
	free(sc.raw);
	free(segs);
	return rc;
}
