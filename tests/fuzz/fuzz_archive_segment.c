/*
 * fuzz_archive_segment.c - the event archive reading its own files after a
 * crash or damage (recovery, the index, block checks, decompression and
 * event decoding).
 *
 * The input's first byte holds flags; the rest becomes tenant 1's segment
 * 2020-09-14/000001.seg in a fresh archive, and what follows an "VGFUZZIX"
 * separator becomes that segment's index 000001.idx. With flag bit 0 the
 * target first rewrites the CRCs of the block headers and index records it
 * finds, so that inputs get past the checksums to the payload checks. The
 * archive is then opened, scanned, counted, appended to, and scanned again
 * after reopening.
 *
 * Promises checked: nothing crashes, leaks or trips a sanitizer; reads
 * return VG_OK or refuse the files with VG_ECORRUPT and a message; an append
 * after recovery succeeds (damaged segments are sealed, torn tails cut);
 * whenever a later scan succeeds it delivers the appended event exactly once.
 */
#include "fuzz.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "archive/archive.h"
#include "core/log.h"

#define SEPARATOR "VGFUZZIX"
#define DAY_MS INT64_C(1600041600000) /* 2020-09-14T00:00:00Z */

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* Rewrites the CRCs of the blocks laid end to end from the start of seg. */
static void fix_segment(unsigned char *seg, size_t len)
{
	size_t off = 0;

	while (len - off >= 64 && memcmp(seg + off, "VGAB", 4) == 0) {
		unsigned char *h = seg + off;
		size_t comp = get32(h + 16);
		uLong crc;

		put32(h + 56, (uint32_t)crc32(0, h, 56));
		if (comp > len - off - 64)
			break;
		crc = crc32(0, h, 60);
		crc = crc32(crc, h + 64, (uInt)comp);
		put32(h + 60, (uint32_t)crc);
		off += 64 + comp;
	}
}

/* Rewrites the CRCs of index records (and of the headers they copy). */
static void fix_index(unsigned char *idx, size_t len)
{
	for (size_t off = 16; len >= 80 && off <= len - 80; off += 80) {
		unsigned char *r = idx + off;

		put32(r + 8 + 56, (uint32_t)crc32(0, r + 8, 56));
		put32(r + 72, (uint32_t)crc32(0, r, 72));
	}
}

static int write_file(const char *path, const unsigned char *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	int rc = 0;

	if (!f)
		return -1;
	if (len && fwrite(data, 1, len, f) != len)
		rc = -1;
	if (fclose(f) != 0)
		rc = -1;
	return rc;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

typedef struct seen {
	size_t appended; /* times the appended event was delivered */
	size_t total;
} seen;

static int on_event(const vg_archive_event *ev, const vg_archive_pos *pos, void *arg,
		    vg_error *err)
{
	seen *s = arg;

	(void)pos;
	(void)err;
	if (strlen(ev->json) != ev->len)
		abort(); /* delivered JSON is NUL-terminated with no NUL inside */
	s->total++;
	if (ev->source_id == 424242 && ev->len == 16 && memcmp(ev->json, "{\"fuzz\":\"added\"}", 16) == 0)
		s->appended++;
	return VG_OK;
}

/* A read's result: VG_OK, or a refusal with a message. */
static void check_read(int rc, const vg_error *err)
{
	if (rc != VG_OK && ((rc != VG_ECORRUPT && rc != VG_EINVAL) || !err->msg[0]))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char root[64], arch[128], day[192], path[256];
	const char *tmp = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	vg_archive_event ev = { DAY_MS + 86399999, 424242, "{\"fuzz\":\"added\"}", 16 };
	unsigned char *buf = NULL, *sep;
	size_t seg_len, idx_len = 0;
	vg_archive_stats st;
	vg_archive *a = NULL;
	vg_error err = { 0 };
	seen s = { 0 };
	long before;
	int flags, rc, added;

	if (size == 0)
		return 0;
	vg_log_set_level(VG_LOG_ERROR);
	flags = data[0];
	buf = malloc(size);
	if (!buf)
		return 0;
	memcpy(buf, data + 1, size - 1);
	seg_len = size - 1;
	sep = memmem(buf, seg_len, SEPARATOR, 8);
	if (sep) {
		idx_len = seg_len - (size_t)(sep - buf) - 8;
		seg_len = (size_t)(sep - buf);
	}
	if (flags & 1) {
		fix_segment(buf, seg_len);
		if (sep)
			fix_index(sep + 8, idx_len);
	}

	snprintf(root, sizeof(root), "%s/vigil-fuzz-archive-XXXXXX", tmp);
	if (!mkdtemp(root))
		abort();
	snprintf(arch, sizeof(arch), "%s/archive", root);
	snprintf(day, sizeof(day), "%s/tenant-1", arch);
	if (mkdir(arch, 0700) != 0 || mkdir(day, 0700) != 0)
		abort();
	snprintf(day, sizeof(day), "%s/tenant-1/2020-09-14", arch);
	snprintf(path, sizeof(path), "%s/000001.seg", day);
	if (mkdir(day, 0700) != 0 || write_file(path, buf, seg_len) != 0)
		abort();
	snprintf(path, sizeof(path), "%s/000001.idx", day);
	if (sep && write_file(path, sep + 8, idx_len) != 0)
		abort();

	if (vg_archive_open(arch, NULL, &a, &err) != VG_OK)
		abort();
	rc = vg_archive_scan(a, 1, INT64_MIN, INT64_MAX, NULL, on_event, &s, &err);
	check_read(rc, &err);
	before = rc == VG_OK ? (long)s.appended : -1;
	err.msg[0] = '\0';
	rc = vg_archive_stats_get(a, 1, &st, &err);
	check_read(rc, &err);
	if (rc == VG_OK && (st.events < 0 || st.stored_bytes < 0 || st.days > 1))
		abort();
	/* Recovery left a state that takes appends (unless forged headers used
	 * up the batch numbers, which is refused as damage). */
	err.msg[0] = '\0';
	added = vg_archive_append(a, 1, &ev, 1, &err);
	if (added != VG_OK && (added != VG_ECORRUPT || !strstr(err.msg, "batch numbers")))
		abort();
	vg_archive_close(a);
	a = NULL;

	if (vg_archive_open(arch, NULL, &a, &err) != VG_OK)
		abort();
	memset(&s, 0, sizeof(s));
	err.msg[0] = '\0';
	rc = vg_archive_scan(a, 1, INT64_MIN, INT64_MAX, NULL, on_event, &s, &err);
	check_read(rc, &err);
	/* (An input may hold copies of the event: count what was there before.) */
	if (rc == VG_OK && before >= 0 && (long)s.appended != before + (added == VG_OK))
		abort();
	memset(&s, 0, sizeof(s));
	rc = vg_archive_scan(a, 1, ev.time_ms, ev.time_ms + 1, NULL, on_event, &s, &err);
	check_read(rc, &err);
	if (rc == VG_OK && added == VG_OK && s.appended < 1)
		abort();
	vg_archive_close(a);

	nftw(root, remove_one, 8, FTW_DEPTH | FTW_PHYS);
	free(buf);
	return 0;
}
