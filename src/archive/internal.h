/*
 * internal.h - what the archive's files share: the in-memory state of an
 * open archive (tenants, days, segments), the block and index encodings
 * (segment.c), recovery (recover.c) and file helpers (io.c). Private to
 * src/archive/; the format itself is documented in archive.h.
 *
 * Locking. a->mu guards the tenant table and the compressor pool. Each
 * tenant has mu (its days and segments, its commit queue, the leader flag)
 * and retention, a read-write lock that scans and stats hold shared for
 * their whole run and vg_archive_expire holds exclusive, so no file a scan
 * reads disappears under it. Order: retention before mu before a->mu. Only
 * the commit leader (one thread per tenant at a time, leader set) writes to
 * the tenant's files, and it does its I/O without holding mu; it changes the
 * days and segments under mu, and a segment's len only once the bytes below
 * it are committed, so readers snapshot (day, segment, len) under mu and
 * then read without it.
 */
#ifndef VG_ARCHIVE_INTERNAL_H
#define VG_ARCHIVE_INTERNAL_H

#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/uio.h>

#include "archive/archive.h"
#include "core/error.h"

#define ARC_MAGIC "VGAB"
#define ARC_VERSION 1
#define ARC_HDR_LEN 64
#define ARC_EVENT_OVERHEAD 21 /* i64 time, i64 source, u32 len, NUL */

#define ARC_IDX_MAGIC "VGAI"
#define ARC_IDX_HDR_LEN 16
#define ARC_IDX_REC_LEN 80

/* The largest block a valid archive holds: one day of a maximal batch. */
#define ARC_RAW_MAX \
	((uint64_t)VG_ARCHIVE_BATCH_MAX_BYTES + \
	 (uint64_t)VG_ARCHIVE_BATCH_MAX_EVENTS * ARC_EVENT_OVERHEAD)
/* zstd never expands raw_len bytes past ZSTD_COMPRESSBOUND(raw_len), which is
 * below raw_len + raw_len / 128 + 64 KiB for these sizes. */
#define ARC_COMP_MAX (ARC_RAW_MAX + ARC_RAW_MAX / 128 + 65536)

/* Batch numbers run 1..ARC_BATCH_MAX; a header with a larger one is damaged. */
#define ARC_BATCH_MAX (UINT64_C(1) << 62)

#define ARC_PATH_MAX PATH_MAX

/* ---- block format (segment.c) ---- */

typedef struct arc_hdr {
	uint32_t count;
	uint32_t raw_len;
	uint32_t comp_len;
	uint16_t part;
	uint16_t nparts;
	uint64_t batch;
	int64_t min_ms;
	int64_t max_ms;
	int64_t tenant;
	uint32_t hdr_crc;   /* set by arc_hdr_encode */
	uint32_t block_crc; /* set by arc_hdr_encode from payload_crc */
} arc_hdr;

/* Encodes h into out, computing both CRCs; payload_crc is the CRC-32 of the
 * comp_len payload bytes alone. Sets h->hdr_crc and h->block_crc. */
void vg__arc_hdr_encode(arc_hdr *h, uint32_t payload_crc, unsigned char out[ARC_HDR_LEN]);

/* Decodes and checks a header: magic, version, header CRC, and fields that
 * make sense (count >= 1, lengths within the limits, part < nparts, min <=
 * max in range, tenant > 0). NULL when good, else what is wrong. */
const char *vg__arc_hdr_decode(const unsigned char in[ARC_HDR_LEN], arc_hdr *h);

/* Checks that a block whose header decoded belongs where it was found:
 * the tenant's directory and day day. NULL or what is wrong. */
const char *vg__arc_hdr_check_place(const arc_hdr *h, int64_t tenant, int32_t day);

/* True when the block CRC of h matches its header bytes and payload_crc. */
bool vg__arc_block_crc_ok(const unsigned char hdr_bytes[ARC_HDR_LEN], const arc_hdr *h,
		      uint32_t payload_crc);

uint32_t vg__arc_crc32(uint32_t crc, const void *data, size_t len);

/* Checks a decompressed payload against its header: exactly count events,
 * each in [min_ms, max_ms], NUL-terminated, filling raw_len exactly. NULL or
 * what is wrong. */
const char *vg__arc_payload_check(const unsigned char *raw, size_t raw_len, const arc_hdr *h);

/* Decodes the event at *off of a checked payload and advances *off. */
void vg__arc_payload_event(const unsigned char *raw, size_t *off, vg_archive_event *ev);

/* Index records. */
void vg__arc_idx_header(unsigned char out[ARC_IDX_HDR_LEN]);
bool vg__arc_idx_header_ok(const unsigned char in[ARC_IDX_HDR_LEN]);
void vg__arc_idx_record(uint64_t offset, const unsigned char hdr_bytes[ARC_HDR_LEN],
		    unsigned char out[ARC_IDX_REC_LEN]);
/* Decodes a record whose CRC and header check: NULL, else what is wrong. */
const char *vg__arc_idx_record_decode(const unsigned char in[ARC_IDX_REC_LEN], uint64_t *offset,
				  arc_hdr *h);

/*
 * Reads a segment's blocks in order, from its index while the index agrees
 * and from the block headers after that, up to len. Each block is checked
 * for its place (tenant, day) and for lying within len.
 */
typedef struct arc_iter {
	int fd;           /* the segment, read-only */
	int idx_fd;       /* its index or -1 */
	const char *path; /* for messages */
	int64_t tenant;
	int32_t day;
	uint64_t len;     /* blocks end at or before this */
	uint64_t off;     /* the next block's offset */
	unsigned char *ibuf; /* index records read ahead */
	size_t ibuf_len, ibuf_pos;
	uint64_t idx_next; /* index file offset of the next record to read */
} arc_iter;

/* Opens path (and its index, when use_index and present) for reading up to
 * len. VG_EIO when the segment cannot be opened. */
int vg__arc_iter_open(arc_iter *it, const char *path, int64_t tenant, int32_t day, uint64_t len,
		  bool use_index, vg_error *err);
void vg__arc_iter_close(arc_iter *it);

/* The next block: 1 with *off and *h set, 0 at len, or VG_ECORRUPT / VG_EIO /
 * VG_ENOMEM. A broken index is dropped silently (headers are read instead). */
int vg__arc_iter_next(arc_iter *it, uint64_t *off, arc_hdr *h, unsigned char hdr_bytes[ARC_HDR_LEN],
		  vg_error *err);

/* ---- files (io.c) ---- */

/* pread/pwrite(v) until done (EINTR retried). read_full gives the bytes
 * read (fewer only at end of file) or -1; the writes 0 or -1 with errno
 * (writev_full consumes iov). */
ssize_t vg__arc_read_full(int fd, void *buf, size_t len, uint64_t off);
int vg__arc_write_full(int fd, const void *buf, size_t len, uint64_t off);
int vg__arc_writev_full(int fd, struct iovec *iov, int n, uint64_t off);


/* Removes a directory and the files in it (one level: days hold no
 * subdirectories). 0 or -1 with errno. */
int vg__arc_remove_dir(const char *path);

/* Copies bytes [off, off + len) of fd to a new file at path, fsync'ed. */
int vg__arc_copy_range(int fd, uint64_t off, uint64_t len, const char *path);

/* ---- days and names ---- */

/* "YYYY-MM-DD" of a day (11 bytes with the NUL). */
void vg__arc_day_name(int32_t day, char out[11]);
/* The day a "YYYY-MM-DD" directory name stands for; -1 when it is not one. */
int32_t vg__arc_day_parse(const char *name);

/* ---- in-memory state (archive.c) ---- */

typedef struct arc_seg {
	uint32_t num;
	uint64_t len;        /* committed bytes: every block below is committed */
	uint32_t idx_recs;   /* index records known good on disk */
	bool idx_known;      /* idx_recs is right (else the index is not appended to) */
	bool sealed;         /* damaged past its index: appends go to a new segment */
	bool on_disk;        /* the file exists and its directory entry is durable */
} arc_seg;

typedef struct arc_day {
	int32_t day;
	bool on_disk; /* the directory exists and its entry is durable */
	arc_seg **segs; /* ascending num */
	size_t nsegs, cap;
} arc_day;

typedef struct arc_part arc_part;
typedef struct arc_req arc_req;

typedef struct arc_tenant {
	int64_t id;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_rwlock_t retention;
	bool recovered;
	bool on_disk; /* the tenant directory exists and its entry is durable */
	bool leader;  /* a thread is committing for this tenant */
	uint64_t next_batch;
	arc_day **days; /* ascending day */
	size_t ndays, cap;
	arc_req *queue, *queue_tail; /* batches waiting to be committed */
	char path[ARC_PATH_MAX];
} arc_tenant;

struct vg_archive {
	char dir[ARC_PATH_MAX];
	int lock_fd;
	size_t segment_max;
	int level;
	pthread_mutex_t mu;
	arc_tenant **tenants; /* ascending id */
	size_t ntenants, cap;
	void *cctx_pool[8];
	size_t ncctx;
	_Atomic uint64_t batches, events, commits, blocks_read, blocks_skipped, recovery_cuts;
};

/* The tenant's state, created (empty, not yet recovered) when missing; with
 * create false, *out is NULL (and VG_OK) for a tenant not in memory whose
 * directory does not exist. VG_EINVAL (id), VG_ENOMEM. Tenants live until
 * vg_archive_close. */
int vg__arc_tenant_get(vg_archive *a, int64_t id, bool create, arc_tenant **out, vg_error *err);

/* The day, or NULL; arc_day_add creates it (in memory) keeping the order. */
arc_day *vg__arc_day_find(arc_tenant *t, int32_t day);
arc_day *vg__arc_day_add(arc_tenant *t, int32_t day);
/* Appends a segment numbered after the day's last; NULL on ENOMEM. */
arc_seg *vg__arc_seg_add(arc_day *d, uint32_t num);
void vg__arc_day_free(arc_day *d);
void vg__arc_tenant_clear_days(arc_tenant *t);

/* Paths of a tenant's day, segment, index. VG_EINVAL when too long. */
int vg__arc_day_path(const arc_tenant *t, int32_t day, char out[ARC_PATH_MAX]);
int vg__arc_seg_path(const arc_tenant *t, int32_t day, uint32_t num, const char *suffix,
		 char out[ARC_PATH_MAX]);

/* Runs recovery (archive.h, RECOVERY) for t if not done yet. Called with
 * t->mu held and no leader. On failure t stays unrecovered with no days. */
int vg__arc_recover(vg_archive *a, arc_tenant *t, vg_error *err);

/* Removes the .expired-* directories retention left in t's directory. */
int vg__arc_remove_expired(const arc_tenant *t, vg_error *err);

/* Writes index records for the blocks [first, first + n) of seg, given their
 * offsets and header bytes; on any failure stops indexing the segment
 * (scans then read headers). Called by the leader or during recovery. */
void vg__arc_idx_append(const arc_tenant *t, int32_t day, arc_seg *seg, const uint64_t *offs,
		    const unsigned char (*hdrs)[ARC_HDR_LEN], size_t n);

/* Drops index records of blocks ending past len (after seg was cut to len). */
void vg__arc_idx_trim(const arc_tenant *t, int32_t day, arc_seg *seg, uint64_t len);

/* The position (day, seg, off, index). */
static inline vg_archive_pos arc_pos(int32_t day, uint32_t seg, uint64_t off, uint32_t index)
{
	return (vg_archive_pos){ .day = day, .segment = seg, .offset = off, .index = index };
}

#endif
