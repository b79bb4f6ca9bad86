/*
 * segment.c - the on-disk block and index encodings (archive.h, ON DISK) and
 * the reader that walks a segment's blocks, from its index where the index
 * is good and from the block headers where it is not.
 */
#include "archive/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#define IBUF_RECORDS 512

static void put16(unsigned char *p, uint16_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

static void put32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static void put64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint16_t get16(const unsigned char *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t get32(const unsigned char *p)
{
	uint32_t v = 0;

	for (int i = 3; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static uint64_t get64(const unsigned char *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

uint32_t vg__arc_crc32(uint32_t crc, const void *data, size_t len)
{
	return (uint32_t)crc32_z(crc, data, len);
}

void vg__arc_hdr_encode(arc_hdr *h, uint32_t payload_crc, unsigned char out[ARC_HDR_LEN])
{
	memcpy(out, ARC_MAGIC, 4);
	put16(out + 4, ARC_VERSION);
	put16(out + 6, ARC_HDR_LEN);
	put32(out + 8, h->count);
	put32(out + 12, h->raw_len);
	put32(out + 16, h->comp_len);
	put16(out + 20, h->part);
	put16(out + 22, h->nparts);
	put64(out + 24, h->batch);
	put64(out + 32, (uint64_t)h->min_ms);
	put64(out + 40, (uint64_t)h->max_ms);
	put64(out + 48, (uint64_t)h->tenant);
	h->hdr_crc = vg__arc_crc32(0, out, 56);
	put32(out + 56, h->hdr_crc);
	h->block_crc = (uint32_t)crc32_combine(vg__arc_crc32(0, out, 60), payload_crc,
					       (z_off_t)h->comp_len);
	put32(out + 60, h->block_crc);
}

const char *vg__arc_hdr_decode(const unsigned char in[ARC_HDR_LEN], arc_hdr *h)
{
	if (memcmp(in, ARC_MAGIC, 4) != 0)
		return "not a block header (bad magic)";
	if (get16(in + 4) != ARC_VERSION || get16(in + 6) != ARC_HDR_LEN)
		return "unknown block format version";
	if (get32(in + 56) != vg__arc_crc32(0, in, 56))
		return "block header fails its CRC";
	h->count = get32(in + 8);
	h->raw_len = get32(in + 12);
	h->comp_len = get32(in + 16);
	h->part = get16(in + 20);
	h->nparts = get16(in + 22);
	h->batch = get64(in + 24);
	h->min_ms = (int64_t)get64(in + 32);
	h->max_ms = (int64_t)get64(in + 40);
	h->tenant = (int64_t)get64(in + 48);
	h->hdr_crc = get32(in + 56);
	h->block_crc = get32(in + 60);
	if (h->count == 0 || h->count > VG_ARCHIVE_BATCH_MAX_EVENTS)
		return "block event count out of range";
	if (h->raw_len > ARC_RAW_MAX || (uint64_t)h->raw_len < (uint64_t)h->count * (ARC_EVENT_OVERHEAD + 1))
		return "block raw length out of range";
	if (h->comp_len == 0 || h->comp_len > ARC_COMP_MAX)
		return "block compressed length out of range";
	if (h->nparts == 0 || h->nparts > VG_ARCHIVE_BATCH_MAX_DAYS || h->part >= h->nparts)
		return "block part number out of range";
	if (h->min_ms < VG_ARCHIVE_TIME_MIN || h->max_ms > VG_ARCHIVE_TIME_MAX ||
	    h->min_ms > h->max_ms)
		return "block time range invalid";
	if (h->tenant <= 0 || h->batch == 0 || h->batch > ARC_BATCH_MAX)
		return "block tenant or batch invalid";
	return NULL;
}

const char *vg__arc_hdr_check_place(const arc_hdr *h, int64_t tenant, int32_t day)
{
	if (h->tenant != tenant)
		return "block belongs to another tenant";
	if (vg_archive_day_of(h->min_ms) != day || vg_archive_day_of(h->max_ms) != day)
		return "block times lie outside its day";
	return NULL;
}

bool vg__arc_block_crc_ok(const unsigned char hdr_bytes[ARC_HDR_LEN], const arc_hdr *h,
			  uint32_t payload_crc)
{
	uint32_t crc = (uint32_t)crc32_combine(vg__arc_crc32(0, hdr_bytes, 60), payload_crc,
					       (z_off_t)h->comp_len);

	return crc == h->block_crc;
}

const char *vg__arc_payload_check(const unsigned char *raw, size_t raw_len, const arc_hdr *h)
{
	size_t off = 0;

	for (uint32_t i = 0; i < h->count; i++) {
		int64_t t;
		uint32_t len;

		if (raw_len - off < ARC_EVENT_OVERHEAD)
			return "event runs past the end of its block";
		t = (int64_t)get64(raw + off);
		len = get32(raw + off + 16);
		if (t < h->min_ms || t > h->max_ms)
			return "event time outside its block's range";
		if (len == 0 || len > VG_ARCHIVE_EVENT_MAX_BYTES ||
		    len > raw_len - off - ARC_EVENT_OVERHEAD)
			return "event length out of range";
		if (raw[off + 20 + len] != '\0' || memchr(raw + off + 20, '\0', len))
			return "event is not NUL-terminated text";
		off += ARC_EVENT_OVERHEAD + (size_t)len;
	}
	if (off != raw_len)
		return "block holds more bytes than its events";
	return NULL;
}

void vg__arc_payload_event(const unsigned char *raw, size_t *off, vg_archive_event *ev)
{
	const unsigned char *p = raw + *off;

	ev->time_ms = (int64_t)get64(p);
	ev->source_id = (int64_t)get64(p + 8);
	ev->len = get32(p + 16);
	ev->json = (const char *)p + 20;
	*off += ARC_EVENT_OVERHEAD + ev->len;
}

void vg__arc_idx_header(unsigned char out[ARC_IDX_HDR_LEN])
{
	memset(out, 0, ARC_IDX_HDR_LEN);
	memcpy(out, ARC_IDX_MAGIC, 4);
	put16(out + 4, 1);
	put16(out + 6, ARC_IDX_REC_LEN);
}

bool vg__arc_idx_header_ok(const unsigned char in[ARC_IDX_HDR_LEN])
{
	unsigned char want[ARC_IDX_HDR_LEN];

	vg__arc_idx_header(want);
	return memcmp(in, want, ARC_IDX_HDR_LEN) == 0;
}

void vg__arc_idx_record(uint64_t offset, const unsigned char hdr_bytes[ARC_HDR_LEN],
			unsigned char out[ARC_IDX_REC_LEN])
{
	put64(out, offset);
	memcpy(out + 8, hdr_bytes, ARC_HDR_LEN);
	put32(out + 72, vg__arc_crc32(0, out, 72));
	memset(out + 76, 0, 4);
}

const char *vg__arc_idx_record_decode(const unsigned char in[ARC_IDX_REC_LEN], uint64_t *offset,
				      arc_hdr *h)
{
	if (get32(in + 72) != vg__arc_crc32(0, in, 72) || get32(in + 76) != 0)
		return "index record fails its CRC";
	*offset = get64(in);
	return vg__arc_hdr_decode(in + 8, h);
}

int vg__arc_iter_open(arc_iter *it, const char *path, int64_t tenant, int32_t day, uint64_t len,
		      bool use_index, vg_error *err)
{
	char idx[ARC_PATH_MAX];
	size_t n = strlen(path);

	memset(it, 0, sizeof(*it));
	it->idx_fd = -1;
	it->path = path;
	it->tenant = tenant;
	it->day = day;
	it->len = len;
	it->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (it->fd < 0)
		return vg_error_set(err, VG_EIO, "archive %s: %s", path, strerror(errno));
	/* "NNNNNN.seg" -> "NNNNNN.idx" */
	if (use_index && n > 4 && n < sizeof(idx)) {
		memcpy(idx, path, n - 4);
		memcpy(idx + n - 4, ".idx", 5);
		it->idx_fd = open(idx, O_RDONLY | O_CLOEXEC);
		if (it->idx_fd >= 0) {
			unsigned char h[ARC_IDX_HDR_LEN];

			if (vg__arc_read_full(it->idx_fd, h, sizeof(h), 0) != (ssize_t)sizeof(h) ||
			    !vg__arc_idx_header_ok(h)) {
				close(it->idx_fd);
				it->idx_fd = -1;
			}
			it->idx_next = ARC_IDX_HDR_LEN;
		}
	}
	return VG_OK;
}

void vg__arc_iter_close(arc_iter *it)
{
	if (it->fd >= 0)
		close(it->fd);
	if (it->idx_fd >= 0)
		close(it->idx_fd);
	free(it->ibuf);
	it->fd = it->idx_fd = -1;
	it->ibuf = NULL;
}

static void drop_index(arc_iter *it)
{
	if (it->idx_fd >= 0)
		close(it->idx_fd);
	it->idx_fd = -1;
}

/* The next block from the index: 1 when the index has a good record for the
 * block at it->off, 0 when it has none (or is dropped). */
static int next_from_index(arc_iter *it, arc_hdr *h, unsigned char hdr_bytes[ARC_HDR_LEN])
{
	const unsigned char *rec;
	uint64_t off;

	if (it->idx_fd < 0)
		return 0;
	if (it->ibuf_pos == it->ibuf_len) {
		ssize_t got;

		if (!it->ibuf) {
			it->ibuf = malloc(IBUF_RECORDS * ARC_IDX_REC_LEN);
			if (!it->ibuf) {
				drop_index(it); /* the headers do the job, slower */
				return 0;
			}
		}
		got = vg__arc_read_full(it->idx_fd, it->ibuf, IBUF_RECORDS * ARC_IDX_REC_LEN,
					it->idx_next);
		if (got < ARC_IDX_REC_LEN) {
			drop_index(it);
			return 0;
		}
		it->ibuf_len = (size_t)got - (size_t)got % ARC_IDX_REC_LEN;
		it->ibuf_pos = 0;
		it->idx_next += it->ibuf_len;
	}
	rec = it->ibuf + it->ibuf_pos;
	if (vg__arc_idx_record_decode(rec, &off, h) || off != it->off ||
	    vg__arc_hdr_check_place(h, it->tenant, it->day) ||
	    it->len - off < ARC_HDR_LEN || it->len - off - ARC_HDR_LEN < h->comp_len) {
		drop_index(it);
		return 0;
	}
	memcpy(hdr_bytes, rec + 8, ARC_HDR_LEN);
	it->ibuf_pos += ARC_IDX_REC_LEN;
	return 1;
}

int vg__arc_iter_next(arc_iter *it, uint64_t *off, arc_hdr *h,
		      unsigned char hdr_bytes[ARC_HDR_LEN], vg_error *err)
{
	const char *why;
	ssize_t got;

	if (it->off >= it->len)
		return 0;
	*off = it->off;
	if (!next_from_index(it, h, hdr_bytes)) {
		if (it->len - it->off < ARC_HDR_LEN)
			return vg_error_set(err, VG_ECORRUPT,
					    "archive %s: offset %llu: truncated block header",
					    it->path, (unsigned long long)it->off);
		got = vg__arc_read_full(it->fd, hdr_bytes, ARC_HDR_LEN, it->off);
		if (got < 0)
			return vg_error_set(err, VG_EIO, "archive %s: %s", it->path,
					    strerror(errno));
		if (got != ARC_HDR_LEN)
			return vg_error_set(err, VG_ECORRUPT,
					    "archive %s: offset %llu: truncated block header",
					    it->path, (unsigned long long)it->off);
		why = vg__arc_hdr_decode(hdr_bytes, h);
		if (!why)
			why = vg__arc_hdr_check_place(h, it->tenant, it->day);
		if (!why && it->len - it->off - ARC_HDR_LEN < h->comp_len)
			why = "block runs past the end of the segment";
		if (why)
			return vg_error_set(err, VG_ECORRUPT, "archive %s: offset %llu: %s",
					    it->path, (unsigned long long)it->off, why);
	}
	it->off += ARC_HDR_LEN + (uint64_t)h->comp_len;
	return 1;
}
