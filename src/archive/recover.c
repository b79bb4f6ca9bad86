/*
 * recover.c - bringing a tenant's files to a committed state on its first
 * use (archive.h, RECOVERY): listing its days and segments, checking the
 * tail of each day's last segment, cutting off torn writes and the blocks of
 * a batch that never committed (keeping a copy), finishing interrupted
 * retention, and making what it accepts durable before anything is
 * appended after it.
 */
#include "archive/internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/file.h"
#include "core/log.h"

#define CHUNK (1u << 20)

/* The last whole block of a day. */
typedef struct tail {
	arc_day *d;
	arc_seg *seg;
	uint64_t off;
	arc_hdr h;
} tail;

/* One segment being checked. */
typedef struct walk {
	const arc_tenant *t;
	const arc_day *d;
	const char *path;
	int fd, ifd;
	uint64_t size;
	unsigned char *buf; /* CHUNK + ARC_HDR_LEN bytes, on first use */
	uint32_t nrec;
	bool idx_ok;
	bool corrupt;
	bool have_last;
	uint64_t last_off;
	arc_hdr last;
} walk;

static int io_error(vg_error *err, const char *what, const char *path)
{
	return vg_error_set(err, VG_EIO, "archive %s: %s: %s", path, what, strerror(errno));
}

static int need_buf(walk *w, vg_error *err)
{
	if (!w->buf)
		w->buf = malloc(CHUNK + ARC_HDR_LEN);
	return w->buf ? VG_OK : vg_error_set(err, VG_ENOMEM, "out of memory recovering %s", w->path);
}

/* CRC-32 of len bytes at off. */
static int payload_crc(walk *w, uint64_t off, uint64_t len, uint32_t *crc, vg_error *err)
{
	uint64_t done = 0;
	int rc = need_buf(w, err);

	*crc = 0;
	while (!rc && done < len) {
		size_t want = len - done < CHUNK ? (size_t)(len - done) : CHUNK;
		ssize_t got = vg__arc_read_full(w->fd, w->buf, want, off + done);

		if (got != (ssize_t)want)
			return got < 0 ? io_error(err, "read", w->path)
				       : vg_error_set(err, VG_EIO, "archive %s: short read", w->path);
		*crc = vg__arc_crc32(*crc, w->buf, want);
		done += want;
	}
	return rc;
}

/* The offset of the next valid block header at or after from: 1 and *at, 0
 * when there is none before the end of the file. */
static int find_header(walk *w, uint64_t from, uint64_t *at, vg_error *err)
{
	int rc = need_buf(w, err);

	while (!rc && from + ARC_HDR_LEN <= w->size) {
		size_t want = w->size - from < CHUNK + ARC_HDR_LEN ? (size_t)(w->size - from)
								    : CHUNK + ARC_HDR_LEN;
		ssize_t got = vg__arc_read_full(w->fd, w->buf, want, from);
		const unsigned char *p = w->buf, *end;

		if (got != (ssize_t)want)
			return got < 0 ? io_error(err, "read", w->path)
				       : vg_error_set(err, VG_EIO, "archive %s: short read", w->path);
		end = w->buf + want - ARC_HDR_LEN; /* last start with a whole header */
		while (p <= end && (p = memmem(p, (size_t)(end - p) + 4, ARC_MAGIC, 4)) != NULL) {
			arc_hdr h;

			if (p <= end && !vg__arc_hdr_decode(p, &h)) {
				*at = from + (uint64_t)(p - w->buf);
				return 1;
			}
			p++;
		}
		if (want < CHUNK + ARC_HDR_LEN)
			break;
		from += CHUNK;
	}
	return rc ? rc : 0;
}

static void idx_add(walk *w, uint64_t off, const unsigned char hb[ARC_HDR_LEN])
{
	unsigned char rec[ARC_IDX_REC_LEN];

	if (!w->idx_ok || w->corrupt)
		return;
	vg__arc_idx_record(off, hb, rec);
	if (vg__arc_write_full(w->ifd, rec, sizeof(rec),
			       ARC_IDX_HDR_LEN + (uint64_t)w->nrec * ARC_IDX_REC_LEN) != 0)
		w->idx_ok = false;
	else
		w->nrec++;
}

/* Copies [at, size) of the segment to <segment>.cut-<at>, then truncates the
 * segment to at, durably. */
static int cut(vg_archive *a, const char *path, int fd, uint64_t at, uint64_t size,
	       const char *why, vg_error *err)
{
	char aside[ARC_PATH_MAX];

	if (snprintf(aside, sizeof(aside), "%s.cut-%llu", path, (unsigned long long)at) >=
	    (int)sizeof(aside))
		return vg_error_set(err, VG_EINVAL, "archive path too long");
	if (vg__arc_copy_range(fd, at, size - at, aside) != 0)
		return io_error(err, "keeping a cut tail", aside);
	if (ftruncate(fd, (off_t)at) != 0 || fsync(fd) != 0)
		return io_error(err, "truncate", path);
	atomic_fetch_add(&a->recovery_cuts, 1);
	vg_warn("archive", "%s: cut %llu bytes at offset %llu (%s), kept in %s", path,
		(unsigned long long)(size - at), (unsigned long long)at, why, aside);
	return VG_OK;
}

/* Trusts the index up to its last record when that record matches the
 * segment; returns where checking must start. */
static uint64_t index_start(walk *w)
{
	unsigned char h[ARC_IDX_HDR_LEN], rec[ARC_IDX_REC_LEN], hb[ARC_HDR_LEN];
	struct stat st;
	uint64_t n, off = 0;
	arc_hdr hdr;

	if (w->ifd < 0 || fstat(w->ifd, &st) != 0 || st.st_size < ARC_IDX_HDR_LEN ||
	    vg__arc_read_full(w->ifd, h, sizeof(h), 0) != (ssize_t)sizeof(h) ||
	    !vg__arc_idx_header_ok(h))
		return 0;
	n = ((uint64_t)st.st_size - ARC_IDX_HDR_LEN) / ARC_IDX_REC_LEN;
	if (n == 0 || n > UINT32_MAX ||
	    vg__arc_read_full(w->ifd, rec, sizeof(rec), ARC_IDX_HDR_LEN + (n - 1) * ARC_IDX_REC_LEN) !=
		    (ssize_t)sizeof(rec) ||
	    vg__arc_idx_record_decode(rec, &off, &hdr) ||
	    vg__arc_hdr_check_place(&hdr, w->t->id, w->d->day) || off > w->size ||
	    w->size - off < ARC_HDR_LEN + (uint64_t)hdr.comp_len ||
	    vg__arc_read_full(w->fd, hb, sizeof(hb), off) != (ssize_t)sizeof(hb) ||
	    memcmp(hb, rec + 8, ARC_HDR_LEN) != 0)
		return 0;
	w->nrec = (uint32_t)n;
	w->have_last = true;
	w->last_off = off;
	w->last = hdr;
	return off + ARC_HDR_LEN + hdr.comp_len;
}

/*
 * Checks seg from the end of its index on, cutting a torn tail, extending
 * (or rebuilding) the index, and fsyncs it. *out gets the last whole block
 * when *have.
 */
static int check_tail(vg_archive *a, arc_tenant *t, arc_day *d, arc_seg *seg, tail *out,
		      bool *have, vg_error *err)
{
	char path[ARC_PATH_MAX], ipath[ARC_PATH_MAX];
	walk w = { .t = t, .d = d, .path = path, .fd = -1, .ifd = -1 };
	uint64_t off = 0, torn_at = 0, corrupt_at = 0;
	const char *torn_why = NULL, *corrupt_why = NULL;
	struct stat st;
	int rc;

	*have = false;
	if (vg__arc_seg_path(t, d->day, seg->num, ".seg", path) ||
	    vg__arc_seg_path(t, d->day, seg->num, ".idx", ipath))
		return vg_error_set(err, VG_EINVAL, "archive path too long");
	w.fd = open(path, O_RDWR | O_CLOEXEC);
	if (w.fd < 0 || fstat(w.fd, &st) != 0) {
		rc = io_error(err, "open", path);
		goto out;
	}
	w.size = (uint64_t)st.st_size;
	w.ifd = open(ipath, O_RDWR | O_CLOEXEC);
	off = index_start(&w);
	if (off == 0) {
		w.nrec = 0;
		if (w.ifd < 0)
			w.ifd = open(ipath, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
		if (w.ifd >= 0) {
			unsigned char h[ARC_IDX_HDR_LEN];

			vg__arc_idx_header(h);
			w.idx_ok = ftruncate(w.ifd, 0) == 0 &&
				   vg__arc_write_full(w.ifd, h, sizeof(h), 0) == 0;
		}
	} else {
		w.idx_ok = ftruncate(w.ifd, (off_t)(ARC_IDX_HDR_LEN +
						    (uint64_t)w.nrec * ARC_IDX_REC_LEN)) == 0;
	}
	while (off < w.size) {
		unsigned char hb[ARC_HDR_LEN];
		const char *why;
		uint64_t end, next = 0;
		uint32_t crc;
		arc_hdr h;

		if (w.size - off < ARC_HDR_LEN) {
			torn_at = off;
			torn_why = "incomplete block header";
			break;
		}
		if (vg__arc_read_full(w.fd, hb, sizeof(hb), off) != (ssize_t)sizeof(hb)) {
			rc = io_error(err, "read", path);
			goto out;
		}
		why = vg__arc_hdr_decode(hb, &h);
		if (why) {
			rc = find_header(&w, off + 1, &next, err);
			if (rc < 0)
				goto out;
			if (rc == 0) {
				torn_at = off;
				torn_why = why;
				break;
			}
			if (!w.corrupt) {
				corrupt_at = off;
				corrupt_why = why;
			}
			w.corrupt = true;
			off = next;
			continue;
		}
		end = off + ARC_HDR_LEN + h.comp_len;
		if (end > w.size) {
			torn_at = off;
			torn_why = "incomplete block";
			break;
		}
		why = vg__arc_hdr_check_place(&h, t->id, d->day);
		if (!why) {
			rc = payload_crc(&w, off + ARC_HDR_LEN, h.comp_len, &crc, err);
			if (rc)
				goto out;
			if (!vg__arc_block_crc_ok(hb, &h, crc)) {
				why = "block fails its CRC";
				if (end == w.size) {
					torn_at = off;
					torn_why = why;
					break;
				}
			}
		}
		if (why) {
			if (!w.corrupt) {
				corrupt_at = off;
				corrupt_why = why;
			}
			w.corrupt = true;
			off = end;
			continue;
		}
		idx_add(&w, off, hb);
		w.have_last = true;
		w.last_off = off;
		w.last = h;
		off = end;
	}
	if (torn_why) {
		rc = cut(a, path, w.fd, torn_at, w.size, torn_why, err);
		if (rc)
			goto out;
		w.size = torn_at;
	}
	if (w.corrupt)
		vg_warn("archive", "%s: offset %llu: %s; the segment takes no more appends", path,
			(unsigned long long)corrupt_at, corrupt_why);
	/* What a killed process wrote may still be only in the page cache. */
	if (fsync(w.fd) != 0) {
		rc = io_error(err, "fsync", path);
		goto out;
	}
	seg->len = w.size;
	seg->sealed = w.corrupt;
	seg->idx_recs = w.nrec;
	seg->idx_known = w.idx_ok && !w.corrupt;
	seg->on_disk = true;
	if (w.have_last) {
		*out = (tail){ .d = d, .seg = seg, .off = w.last_off, .h = w.last };
		*have = true;
	}
	rc = VG_OK;
out:
	if (w.fd >= 0)
		close(w.fd);
	if (w.ifd >= 0)
		close(w.ifd);
	free(w.buf);
	return rc;
}

static int u32_cmp(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;

	return a < b ? -1 : a > b;
}

/* The segment number of a file name "NNNNNN.seg" (canonical form only). */
static bool seg_name(const char *name, uint32_t *num)
{
	size_t n = strlen(name);
	unsigned long long v = 0;
	char back[32];

	if (n < 5 || n > 14 || strcmp(name + n - 4, ".seg") != 0)
		return false;
	for (size_t i = 0; i < n - 4; i++) {
		if (name[i] < '0' || name[i] > '9')
			return false;
		v = v * 10 + (unsigned)(name[i] - '0');
	}
	if (v == 0 || v > UINT32_MAX)
		return false;
	snprintf(back, sizeof(back), "%06u.seg", (unsigned)v);
	if (strcmp(back, name) != 0)
		return false;
	*num = (uint32_t)v;
	return true;
}

/* Lists the segments of d (ascending) with their sizes. */
static int list_segments(arc_tenant *t, arc_day *d, vg_error *err)
{
	char path[ARC_PATH_MAX];
	uint32_t *nums = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *dir;
	int rc = VG_OK;

	if (vg__arc_day_path(t, d->day, path))
		return vg_error_set(err, VG_EINVAL, "archive path too long");
	dir = opendir(path);
	if (!dir)
		return io_error(err, "opendir", path);
	while ((de = readdir(dir)) != NULL) {
		uint32_t num;

		if (!seg_name(de->d_name, &num))
			continue;
		if (n == cap) {
			uint32_t *g = realloc(nums, (cap ? 2 * cap : 16) * sizeof(*g));

			if (!g) {
				rc = vg_error_set(err, VG_ENOMEM, "out of memory recovering %s", path);
				goto out;
			}
			nums = g;
			cap = cap ? 2 * cap : 16;
		}
		nums[n++] = num;
	}
	if (n)
		qsort(nums, n, sizeof(*nums), u32_cmp);
	for (size_t i = 0; i < n; i++) {
		arc_seg *s = vg__arc_seg_add(d, nums[i]);
		struct stat st;

		if (!s) {
			rc = vg_error_set(err, VG_ENOMEM, "out of memory recovering %s", path);
			goto out;
		}
		if (vg__arc_seg_path(t, d->day, nums[i], ".seg", path) || stat(path, &st) != 0) {
			rc = io_error(err, "stat", path);
			goto out;
		}
		s->len = (uint64_t)st.st_size;
		s->on_disk = true;
		s->idx_known = false; /* only the segments checked are appended to */
	}
out:
	closedir(dir);
	free(nums);
	return rc;
}

int vg__arc_remove_expired(const arc_tenant *t, vg_error *err)
{
	char path[ARC_PATH_MAX];
	struct dirent *de;
	DIR *dir;
	int rc = VG_OK;

	dir = opendir(t->path);
	if (!dir)
		return errno == ENOENT ? VG_OK : io_error(err, "opendir", t->path);
	while ((de = readdir(dir)) != NULL) {
		int n;

		if (strncmp(de->d_name, ".expired-", 9) != 0)
			continue;
		n = snprintf(path, sizeof(path), "%s/%s", t->path, de->d_name);
		if (n < 0 || n >= (int)sizeof(path) || vg__arc_remove_dir(path) != 0) {
			rc = io_error(err, "remove", path);
			break;
		}
	}
	closedir(dir);
	return rc;
}

/* Lists t's days, after removing what interrupted retention left. */
static int list_days(arc_tenant *t, vg_error *err)
{
	char path[ARC_PATH_MAX];
	struct dirent *de;
	DIR *dir;
	int rc = VG_OK;

	rc = vg__arc_remove_expired(t, err);
	if (rc)
		return rc;
	dir = opendir(t->path);
	if (!dir) {
		t->on_disk = false;
		return errno == ENOENT ? VG_OK : io_error(err, "opendir", t->path);
	}
	t->on_disk = true;
	while ((de = readdir(dir)) != NULL) {
		struct stat st;
		int32_t day;
		arc_day *d;

		day = vg__arc_day_parse(de->d_name);
		if (day < 0 || vg__arc_day_path(t, day, path) || stat(path, &st) != 0 ||
		    !S_ISDIR(st.st_mode))
			continue;
		d = vg__arc_day_add(t, day);
		if (!d) {
			rc = vg_error_set(err, VG_ENOMEM, "out of memory recovering %s", t->path);
			break;
		}
		d->on_disk = true;
		rc = list_segments(t, d, err);
		if (rc)
			break;
	}
	closedir(dir);
	return rc;
}

int vg__arc_recover(vg_archive *a, arc_tenant *t, vg_error *err)
{
	char path[ARC_PATH_MAX];
	tail *tails = NULL;
	size_t ntails = 0;
	uint64_t newest = 0;
	bool committed = false;
	int rc;

	if (t->recovered)
		return VG_OK;
	vg__arc_tenant_clear_days(t);
	rc = list_days(t, err);
	if (rc || t->ndays == 0)
		goto out;
	tails = malloc(t->ndays * sizeof(*tails));
	if (!tails) {
		rc = vg_error_set(err, VG_ENOMEM, "out of memory recovering %s", t->path);
		goto out;
	}
	for (size_t i = 0; i < t->ndays; i++) {
		arc_day *d = t->days[i];
		bool have = false;

		/* The last segment, and the ones before it while they end up empty. */
		for (size_t j = d->nsegs; j-- > 0 && !have;) {
			rc = check_tail(a, t, d, d->segs[j], &tails[ntails], &have, err);
			if (rc)
				goto out;
		}
		if (have)
			ntails++;
		if (vg__arc_day_path(t, d->day, path) || vg_fsync_dir(path) != 0) {
			rc = io_error(err, "fsync", path);
			goto out;
		}
	}
	/* The newest batch is committed when its last part is here. */
	for (size_t i = 0; i < ntails; i++)
		if (tails[i].h.batch > newest)
			newest = tails[i].h.batch;
	for (size_t i = 0; i < ntails; i++)
		committed |= tails[i].h.batch == newest && tails[i].h.part == tails[i].h.nparts - 1;
	for (size_t i = 0; i < ntails && !committed; i++) {
		tail *tl = &tails[i];
		int fd;

		if (tl->h.batch != newest)
			continue;
		if (vg__arc_seg_path(t, tl->d->day, tl->seg->num, ".seg", path)) {
			rc = vg_error_set(err, VG_EINVAL, "archive path too long");
			goto out;
		}
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0) {
			rc = io_error(err, "open", path);
			goto out;
		}
		rc = cut(a, path, fd, tl->off, tl->seg->len, "part of a batch that never committed",
			 err);
		close(fd);
		if (rc)
			goto out;
		tl->seg->len = tl->off;
		vg__arc_idx_trim(t, tl->d->day, tl->seg, tl->off);
	}
	t->next_batch = newest + 1;
	if (vg_fsync_dir(t->path) != 0 || vg_fsync_dir(a->dir) != 0) {
		rc = io_error(err, "fsync", t->path);
		goto out;
	}
out:
	free(tails);
	if (rc) {
		vg__arc_tenant_clear_days(t);
		return rc;
	}
	if (t->ndays == 0)
		t->next_batch = 1;
	t->recovered = true;
	return VG_OK;
}
