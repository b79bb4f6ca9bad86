/*
 * append.c - appending a batch: checking it, building one compressed block
 * per UTC day, and committing it through the tenant's commit queue (the
 * commit protocol and group commit of archive.h). The thread that finds no
 * commit in progress becomes the leader and commits the batches queued
 * behind it as one group; the others wait for their batch to be done.
 */
#include "archive/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "core/file.h"
#include "core/log.h"

/* One day of a batch being appended: its events compressed into one zstd
 * frame, built by the appending thread. */
struct arc_part {
	arc_hdr h; /* count, raw_len, comp_len, min/max, part/nparts, tenant */
	uint32_t payload_crc;
	unsigned char *comp; /* h.comp_len bytes */
	int32_t day;
};

/* A batch waiting in its tenant's commit queue. */
struct arc_req {
	arc_part *parts; /* in day order; the last is the commit part */
	size_t nparts;
	uint64_t raw;    /* its parts' raw_len summed */
	size_t nevents;
	bool done;
	int rc;
	vg_error err;
	arc_req *next;
};

/* What a group commit writes to one segment: one block holding the frames
 * of one or more batches' parts of the same day, in queue order. */
typedef struct arc_block {
	arc_day *d;
	arc_seg *seg;
	uint64_t off;
	arc_hdr h;
	uint32_t payload_crc;
	unsigned char hdr_bytes[ARC_HDR_LEN];
	arc_part **parts;
	size_t nparts;
	int fd;
	bool created; /* the segment file is new: its day directory needs an fsync */
} arc_block;

/* A group holds at most this many batches (so a block is at most that many
 * frames, written with one pwritev). */
#define ARC_GROUP_MAX_BATCHES 512

static uint64_t block_size(const arc_block *b)
{
	return ARC_HDR_LEN + (uint64_t)b->h.comp_len;
}

/* ---- building a batch's blocks ---- */

static ZSTD_CCtx *cctx_get(vg_archive *a)
{
	ZSTD_CCtx *c = NULL;

	pthread_mutex_lock(&a->mu);
	if (a->ncctx)
		c = a->cctx_pool[--a->ncctx];
	pthread_mutex_unlock(&a->mu);
	return c ? c : ZSTD_createCCtx();
}

static void cctx_put(vg_archive *a, ZSTD_CCtx *c)
{
	if (!c)
		return;
	pthread_mutex_lock(&a->mu);
	if (a->ncctx < sizeof(a->cctx_pool) / sizeof(a->cctx_pool[0])) {
		a->cctx_pool[a->ncctx++] = c;
		c = NULL;
	}
	pthread_mutex_unlock(&a->mu);
	ZSTD_freeCCtx(c);
}

typedef struct ev_key {
	int32_t day;
	uint32_t i;
} ev_key;

static int key_cmp(const void *x, const void *y)
{
	const ev_key *a = x, *b = y;

	if (a->day != b->day)
		return a->day < b->day ? -1 : 1;
	return a->i < b->i ? -1 : a->i > b->i;
}

static void put_event(unsigned char *p, const vg_archive_event *e)
{
	uint64_t t = (uint64_t)e->time_ms, s = (uint64_t)e->source_id;
	uint32_t len = (uint32_t)e->len;

	for (int i = 0; i < 8; i++) {
		p[i] = (unsigned char)(t >> (8 * i));
		p[8 + i] = (unsigned char)(s >> (8 * i));
	}
	for (int i = 0; i < 4; i++)
		p[16 + i] = (unsigned char)(len >> (8 * i));
	memcpy(p + 20, e->json, e->len);
	p[20 + e->len] = '\0';
}

static void req_release(arc_req *r)
{
	for (size_t i = 0; i < r->nparts; i++)
		free(r->parts[i].comp);
	free(r->parts);
	r->parts = NULL;
	r->nparts = 0;
}

/* Checks the batch and builds one compressed block per day into r. */
static int build_batch(vg_archive *a, int64_t tenant, const vg_archive_event *ev, size_t n,
		       arc_req *r, vg_error *err)
{
	ev_key *keys = NULL;
	unsigned char *raw = NULL;
	ZSTD_CCtx *cctx = NULL;
	uint64_t total = 0;
	size_t ndays = 1, raw_cap = 0;
	bool one_day = true;
	int rc = VG_ENOMEM;

	if (!ev)
		return vg_error_set(err, VG_EINVAL, "no events given");
	if (n > VG_ARCHIVE_BATCH_MAX_EVENTS)
		return vg_error_set(err, VG_ETOOBIG, "batch of %zu events is over the limit of %d",
				    n, VG_ARCHIVE_BATCH_MAX_EVENTS);
	for (size_t i = 0; i < n; i++) {
		if (ev[i].time_ms < VG_ARCHIVE_TIME_MIN || ev[i].time_ms > VG_ARCHIVE_TIME_MAX)
			return vg_error_set(err, VG_EINVAL, "event %zu: time %lld out of range",
					    i, (long long)ev[i].time_ms);
		if (!ev[i].json || ev[i].len == 0)
			return vg_error_set(err, VG_EINVAL, "event %zu is empty", i);
		if (ev[i].len > VG_ARCHIVE_EVENT_MAX_BYTES)
			return vg_error_set(err, VG_ETOOBIG,
					    "event %zu: %zu bytes is over the limit of %u", i,
					    ev[i].len, VG_ARCHIVE_EVENT_MAX_BYTES);
		if (memchr(ev[i].json, '\0', ev[i].len))
			return vg_error_set(err, VG_EINVAL, "event %zu contains a NUL byte", i);
		total += ev[i].len;
		if (vg_archive_day_of(ev[i].time_ms) != vg_archive_day_of(ev[0].time_ms))
			one_day = false;
	}
	if (total > VG_ARCHIVE_BATCH_MAX_BYTES)
		return vg_error_set(err, VG_ETOOBIG,
				    "batch of %llu bytes is over the limit of %u bytes",
				    (unsigned long long)total, VG_ARCHIVE_BATCH_MAX_BYTES);
	keys = malloc(n * sizeof(*keys));
	if (!keys)
		goto nomem;
	for (size_t i = 0; i < n; i++)
		keys[i] = (ev_key){ vg_archive_day_of(ev[i].time_ms), (uint32_t)i };
	if (!one_day) {
		qsort(keys, n, sizeof(*keys), key_cmp);
		ndays = 1;
		for (size_t i = 1; i < n; i++)
			ndays += keys[i].day != keys[i - 1].day;
		if (ndays > VG_ARCHIVE_BATCH_MAX_DAYS) {
			rc = vg_error_set(err, VG_ETOOBIG,
					  "batch spans %zu days, over the limit of %d", ndays,
					  VG_ARCHIVE_BATCH_MAX_DAYS);
			goto out;
		}
	}
	r->parts = calloc(ndays, sizeof(*r->parts));
	cctx = cctx_get(a);
	if (!r->parts || !cctx)
		goto nomem;
	if (ZSTD_isError(ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, a->level)) ||
	    ZSTD_isError(ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 0)) ||
	    ZSTD_isError(ZSTD_CCtx_setParameter(cctx, ZSTD_c_contentSizeFlag, 1))) {
		rc = vg_error_set(err, VG_EFAIL, "zstd refused its parameters");
		goto out;
	}
	for (size_t k = 0, first = 0; k < ndays; k++) {
		arc_part *p = &r->parts[k];
		size_t end = first, raw_len = 0, off = 0, bound, got;

		while (end < n && keys[end].day == keys[first].day)
			end++;
		for (size_t j = first; j < end; j++)
			raw_len += ARC_EVENT_OVERHEAD + ev[keys[j].i].len;
		if (raw_len > raw_cap) {
			free(raw);
			raw = malloc(raw_len);
			if (!raw)
				goto nomem;
			raw_cap = raw_len;
		}
		p->day = keys[first].day;
		p->h.min_ms = p->h.max_ms = ev[keys[first].i].time_ms;
		for (size_t j = first; j < end; j++) {
			const vg_archive_event *e = &ev[keys[j].i];

			put_event(raw + off, e);
			off += ARC_EVENT_OVERHEAD + e->len;
			if (e->time_ms < p->h.min_ms)
				p->h.min_ms = e->time_ms;
			if (e->time_ms > p->h.max_ms)
				p->h.max_ms = e->time_ms;
		}
		bound = ZSTD_compressBound(raw_len);
		p->comp = malloc(bound);
		if (!p->comp)
			goto nomem;
		r->nparts = k + 1; /* (so that req_release frees it) */
		got = ZSTD_compress2(cctx, p->comp, bound, raw, raw_len);
		if (ZSTD_isError(got)) {
			rc = vg_error_set(err, VG_EFAIL, "zstd: %s", ZSTD_getErrorName(got));
			goto out;
		}
		if (got < bound / 2) {
			unsigned char *fit = realloc(p->comp, got); /* keeps the original on failure */

			if (fit)
				p->comp = fit;
		}
		p->h.count = (uint32_t)(end - first);
		p->h.raw_len = (uint32_t)raw_len;
		p->h.comp_len = (uint32_t)got;
		p->h.part = (uint16_t)k;
		p->h.nparts = (uint16_t)ndays;
		p->h.tenant = tenant;
		p->payload_crc = vg__arc_crc32(0, p->comp, got);
		r->raw += raw_len;
		first = end;
	}
	r->nevents = n;
	rc = VG_OK;
	goto out;
nomem:
	rc = vg_error_set(err, VG_ENOMEM, "out of memory building a batch of %zu events", n);
out:
	cctx_put(a, cctx);
	free(raw);
	free(keys);
	if (rc)
		req_release(r);
	return rc;
}

/* ---- the commit leader ---- */

static int io_error(vg_error *err, const char *what, const char *path)
{
	return vg_error_set(err, VG_EIO, "archive %s: %s: %s", path, what, strerror(errno));
}

/* Creates the tenant and day directories and segment files the blocks need,
 * opens the segments, and makes every new directory entry durable. */
static int prepare_files(vg_archive *a, arc_tenant *t, arc_block *bl, size_t nb, vg_error *err)
{
	char path[ARC_PATH_MAX];
	bool sync_tenant = false;

	if (!t->on_disk) {
		if (mkdir(t->path, 0700) != 0 && errno != EEXIST)
			return io_error(err, "mkdir", t->path);
		if (vg_fsync_dir(a->dir) != 0)
			return io_error(err, "fsync", a->dir);
		t->on_disk = true;
	}
	for (size_t i = 0; i < nb; i++) {
		if (bl[i].d->on_disk)
			continue;
		if (vg__arc_day_path(t, bl[i].d->day, path) ||
		    (mkdir(path, 0700) != 0 && errno != EEXIST))
			return io_error(err, "mkdir", path);
		sync_tenant = true;
	}
	if (sync_tenant && vg_fsync_dir(t->path) != 0)
		return io_error(err, "fsync", t->path);
	for (size_t i = 0; i < nb; i++) {
		bl[i].d->on_disk = true;
		if (vg__arc_seg_path(t, bl[i].d->day, bl[i].seg->num, ".seg", path))
			return vg_error_set(err, VG_EINVAL, "archive path too long");
		bl[i].created = !bl[i].seg->on_disk;
		bl[i].fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
		if (bl[i].fd < 0)
			return io_error(err, "open", path);
		/* Blocks are of distinct days: each directory is synced once. */
		if (bl[i].created &&
		    (vg__arc_day_path(t, bl[i].d->day, path) || vg_fsync_dir(path) != 0))
			return io_error(err, "fsync", path);
		bl[i].seg->on_disk = true;
	}
	return VG_OK;
}

/* Writes blocks [from, to), each with one pwritev, and fsyncs them. */
static int write_phase(arc_tenant *t, arc_block *bl, size_t from, size_t to, vg_error *err)
{
	char path[ARC_PATH_MAX];
	struct iovec iov[ARC_GROUP_MAX_BATCHES + 1];

	for (size_t i = from; i < to; i++) {
		arc_block *b = &bl[i];
		int n = 0;

		iov[n++] = (struct iovec){ b->hdr_bytes, ARC_HDR_LEN };
		for (size_t k = 0; k < b->nparts; k++)
			iov[n++] = (struct iovec){ b->parts[k]->comp, b->parts[k]->h.comp_len };
		if (vg__arc_writev_full(b->fd, iov, n, b->off) != 0) {
			vg__arc_seg_path(t, b->d->day, b->seg->num, ".seg", path);
			return io_error(err, "write", path);
		}
		if (fsync(b->fd) != 0) {
			vg__arc_seg_path(t, b->d->day, b->seg->num, ".seg", path);
			return io_error(err, "fsync", path);
		}
	}
	return VG_OK;
}

/* Truncates what a failed group wrote; false when that failed too. */
static bool roll_back(arc_tenant *t, arc_block *bl, size_t nb)
{
	bool ok = true;

	for (size_t i = 0; i < nb; i++) {
		if (bl[i].fd < 0)
			continue;
		if (ftruncate(bl[i].fd, (off_t)bl[i].seg->len) != 0 || fsync(bl[i].fd) != 0) {
			vg_warn("archive", "tenant %lld: cannot truncate a failed write: %s",
				(long long)t->id, strerror(errno));
			ok = false;
		}
	}
	return ok;
}

/* Fails every batch waiting in t's queue with rc (recovery failed). */
static void fail_queue(arc_tenant *t, int rc, const vg_error *err)
{
	for (arc_req *r = t->queue, *next; r; r = next) {
		next = r->next;
		r->rc = rc;
		r->err = *err;
		r->done = true;
		r->next = NULL;
	}
	t->queue = t->queue_tail = NULL;
}

static arc_block *block_of(arc_block *bl, size_t nb, int32_t day)
{
	for (size_t i = 0; i < nb; i++)
		if (bl[i].d->day == day)
			return &bl[i];
	return NULL;
}

/* Starts the block of part p's day: at the end of the day's last segment,
 * or of a new segment when the block would take the last one past the
 * maximum (or it is sealed). VG_ENOMEM. */
static int block_start(vg_archive *a, arc_tenant *t, arc_block *b, const arc_part *p)
{
	arc_day *d = vg__arc_day_find(t, p->day);
	arc_seg *s;

	if (!d)
		d = vg__arc_day_add(t, p->day);
	if (!d)
		return VG_ENOMEM;
	s = d->nsegs ? d->segs[d->nsegs - 1] : NULL;
	if (!s || s->sealed ||
	    (s->len > 0 && s->len + ARC_HDR_LEN + p->h.comp_len > (uint64_t)a->segment_max))
		s = vg__arc_seg_add(d, s ? s->num + 1 : 1);
	if (!s)
		return VG_ENOMEM;
	memset(b, 0, sizeof(*b));
	b->d = d;
	b->seg = s;
	b->off = s->len;
	b->h = p->h;
	b->payload_crc = p->payload_crc;
	b->fd = -1;
	return VG_OK;
}

/* Adds part p's frame to block b (same day). */
static void block_merge(arc_block *b, const arc_part *p)
{
	b->h.count += p->h.count;
	b->h.raw_len += p->h.raw_len;
	b->h.comp_len += p->h.comp_len;
	if (p->h.min_ms < b->h.min_ms)
		b->h.min_ms = p->h.min_ms;
	if (p->h.max_ms > b->h.max_ms)
		b->h.max_ms = p->h.max_ms;
	b->payload_crc = (uint32_t)crc32_combine(b->payload_crc, p->payload_crc,
						 (z_off_t)p->h.comp_len);
}

/*
 * Takes a group off t's queue and commits it. A group is the first batch;
 * when that is a one-day batch, also the one-day batches queued after it,
 * within one block's limits per day (events, raw bytes, frames) and without
 * taking a block past the segment maximum. The group writes one block per
 * day, at the end of that day's last segment, so a commit in flight only
 * ever changes the last block of a segment. Called and returns with t->mu
 * held; drops it during the I/O.
 */
static void lead(vg_archive *a, arc_tenant *t)
{
	arc_req *group = t->queue, *r, *last = group;
	arc_part **all = NULL, **ordered = NULL;
	size_t *which = NULL;
	arc_block *bl = NULL;
	size_t cap = 0, np = 0, nb = 0, ngroup = 0;
	uint64_t raw = 0, events = 0;
	vg_error err = { 0 };
	bool multi = group->nparts > 1, lost = false;
	int rc = VG_OK;

	for (r = group; r && (cap == 0 || (!multi && r->nparts == 1)); r = r->next) {
		cap += r->nparts;
		if (cap >= ARC_GROUP_MAX_BATCHES)
			break;
	}
	all = malloc(cap * sizeof(*all));
	ordered = malloc(cap * sizeof(*ordered));
	which = malloc(cap * sizeof(*which));
	bl = malloc(cap * sizeof(*bl));
	if (!all || !ordered || !which || !bl) {
		rc = vg_error_set(&err, VG_ENOMEM, "out of memory committing a batch");
		goto detach;
	}
	/* Choose the group and lay out its blocks. */
	for (r = group; r; r = r->next) {
		uint64_t batch = t->next_batch + ngroup;

		if (batch > ARC_BATCH_MAX) {
			if (ngroup == 0)
				rc = vg_error_set(&err, VG_ECORRUPT,
						  "tenant %lld: batch numbers exhausted (its files "
						  "are damaged)", (long long)t->id);
			break;
		}
		if (ngroup > 0) {
			arc_block *b;

			if (multi || r->nparts > 1 || ngroup == ARC_GROUP_MAX_BATCHES ||
			    raw + r->raw > ARC_RAW_MAX ||
			    events + r->nevents > VG_ARCHIVE_BATCH_MAX_EVENTS)
				break;
			b = block_of(bl, nb, r->parts[0].day);
			if (b && b->off + block_size(b) + r->parts[0].h.comp_len >
					 (uint64_t)a->segment_max)
				break; /* the next group starts a new segment */
		}
		for (size_t i = 0; i < r->nparts; i++) {
			arc_part *p = &r->parts[i];
			arc_block *b = block_of(bl, nb, p->day);

			if (b) {
				block_merge(b, p);
			} else if (block_start(a, t, &bl[nb], p) == VG_OK) {
				b = &bl[nb++];
			} else {
				if (ngroup == 0)
					rc = vg_error_set(&err, VG_ENOMEM,
							  "out of memory committing a batch");
				break; /* (a one-day batch: nothing of it laid out yet) */
			}
			b->h.batch = batch;
			which[np] = (size_t)(b - bl);
			all[np++] = p;
		}
		if (rc || (ngroup > 0 && np > 0 && all[np - 1] != &r->parts[r->nparts - 1]))
			break;
		ngroup++;
		raw += r->raw;
		events += r->nevents;
		last = r;
	}
detach:
	if (rc)
		ngroup = 1; /* the first batch fails alone */
	t->queue = last->next;
	if (!t->queue)
		t->queue_tail = NULL;
	last->next = NULL;
	if (rc)
		goto done;
	t->next_batch += ngroup;
	/* Each block's frames in queue order, then its header. */
	for (size_t k = 0, at = 0; k < nb; k++) {
		bl[k].parts = ordered + at;
		for (size_t i = 0; i < np; i++)
			if (which[i] == k)
				ordered[at++] = all[i];
		bl[k].nparts = (size_t)(ordered + at - bl[k].parts);
		vg__arc_hdr_encode(&bl[k].h, bl[k].payload_crc, bl[k].hdr_bytes);
	}
	pthread_mutex_unlock(&t->mu);

	rc = prepare_files(a, t, bl, nb, &err);
	if (!rc && multi) {
		/* Every other part durable before the commit part is written. */
		rc = write_phase(t, bl, 0, nb - 1, &err);
		if (!rc)
			rc = write_phase(t, bl, nb - 1, nb, &err);
	} else if (!rc) {
		rc = write_phase(t, bl, 0, nb, &err);
	}
	if (rc)
		lost = !roll_back(t, bl, nb);
	for (size_t k = 0; k < nb; k++) {
		if (!rc)
			vg__arc_idx_append(t, bl[k].d->day, bl[k].seg, &bl[k].off,
					   (const unsigned char(*)[ARC_HDR_LEN])bl[k].hdr_bytes, 1);
		if (bl[k].fd >= 0)
			close(bl[k].fd);
	}

	pthread_mutex_lock(&t->mu);
	if (lost) {
		/* What is on disk is unknown: recover it afresh before the next use. */
		vg__arc_tenant_clear_days(t);
		t->recovered = false;
	} else if (!rc) {
		for (size_t k = 0; k < nb; k++)
			bl[k].seg->len = bl[k].off + block_size(&bl[k]);
		atomic_fetch_add(&a->batches, ngroup);
		atomic_fetch_add(&a->events, events);
		atomic_fetch_add(&a->commits, 1);
	}
done:
	r = group;
	for (size_t i = 0; i < ngroup && r; i++, r = r->next) {
		r->rc = rc;
		if (rc)
			r->err = err;
		r->done = true;
	}
	free(all);
	free(ordered);
	free(which);
	free(bl);
}

int vg_archive_append(vg_archive *a, int64_t tenant_id, const vg_archive_event *ev, size_t n,
		      vg_error *err)
{
	arc_req req = { 0 };
	arc_tenant *t;
	int rc;

	if (tenant_id <= 0)
		return vg_error_set(err, VG_EINVAL, "invalid tenant id %lld", (long long)tenant_id);
	if (n == 0)
		return VG_OK;
	rc = build_batch(a, tenant_id, ev, n, &req, err);
	if (rc)
		return rc;
	rc = vg__arc_tenant_get(a, tenant_id, true, &t, err);
	if (rc)
		goto out;
	pthread_mutex_lock(&t->mu);
	if (t->queue_tail)
		t->queue_tail->next = &req;
	else
		t->queue = &req;
	t->queue_tail = &req;
	while (!req.done) {
		if (t->leader) {
			pthread_cond_wait(&t->cv, &t->mu);
			continue;
		}
		t->leader = true;
		if (!t->recovered) {
			vg_error rerr = { 0 };
			int rrc = vg__arc_recover(a, t, &rerr);

			if (rrc)
				fail_queue(t, rrc, &rerr);
		}
		if (t->queue)
			lead(a, t);
		t->leader = false;
		pthread_cond_broadcast(&t->cv);
	}
	pthread_mutex_unlock(&t->mu);
	rc = req.rc;
	if (rc && err)
		*err = req.err;
out:
	req_release(&req);
	return rc;
}

