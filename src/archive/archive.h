/*
 * archive.h - the event archive: every accepted event, kept per tenant and
 * UTC day in append-only, compressed, checksummed segment files with a time
 * index.
 *
 * "Accepted means durable": ingest acknowledges a batch (HTTP 2xx, syslog-TCP
 * read) only after vg_archive_append returned VG_OK, and by then the batch is
 * on stable storage, so a crash at any later moment (kill -9, power loss)
 * loses none of it. Search scans a tenant's events in a time range; retention
 * removes whole days. Events are opaque bytes to the archive (ingest has
 * already checked they are JSON).
 *
 * ON DISK. All integers little-endian.
 *
 *   DIR/lock                             flock()ed by the process that has DIR open
 *   DIR/tenant-<id>/                     one per tenant (decimal id > 0)
 *   DIR/tenant-<id>/YYYY-MM-DD/          one per UTC day that holds events
 *     000001.seg, 000002.seg, ...        segments: blocks, only ever appended to
 *     000001.idx, ...                    each segment's time index (a cache)
 *     000001.seg.cut-<offset>            bytes recovery cut off a segment's tail
 *   DIR/tenant-<id>/.expired-YYYY-MM-DD/ a day retention is removing
 *
 * A segment is a sequence of blocks; a new segment is started before a block
 * would take the current one past segment_max_bytes (a block bigger than that
 * gets a segment of its own). A block is a 64-byte header and comp_len bytes
 * of zstd frames (one per batch committed in the block):
 *
 *   0 "VGAB"        4 u16 version (1)     6 u16 header length (64)
 *   8 u32 count     12 u32 raw_len        16 u32 comp_len
 *   20 u16 part     22 u16 nparts         24 u64 batch
 *   32 i64 min_ms   40 i64 max_ms         48 i64 tenant
 *   56 u32 CRC-32 of bytes 0-55 (the header CRC)
 *   60 u32 CRC-32 of bytes 0-59 followed by the comp_len payload bytes
 *
 * The frames decompress to exactly raw_len bytes holding count events, each
 * i64 time_ms, i64 source_id, u32 len, len bytes of JSON, one NUL byte. Every
 * event's time lies in [min_ms, max_ms], inside the UTC day the block's
 * directory names; tenant is the tenant whose directory holds it. batch is
 * the number (1, 2, ... per tenant) of the newest batch in the block. A
 * batch of several days writes one block per day (part 0..nparts-1, in day
 * order, so part nparts-1 is in the newest day), each holding that batch
 * alone; a block of one-day batches has part 0 of 1.
 *
 * An index file is a 16-byte header ("VGAI", u16 version 1, u16 record size
 * 80, 8 zero bytes) and one 80-byte record per block of its segment, in
 * order: u64 offset of the block, a copy of its 64-byte header, u32 CRC-32 of
 * the preceding 72 bytes, 4 zero bytes. It is derived data: a record is
 * written after its block is committed, never fsync'ed, and a missing, short
 * or damaged index is extended or rebuilt from the block headers. Scans use
 * it to skip blocks whose [min_ms, max_ms] misses the range without reading
 * them; they read block headers where the index ends.
 *
 * COMMIT PROTOCOL. Appends to a tenant go through its commit queue: the
 * appending thread that finds no commit running becomes the leader and
 * commits a group, the batches queued then; the others wait. A group is
 * either one batch of several days, or one-day batches (up to 512, within a
 * block's limits, not taking a block past segment_max_bytes), and it writes
 * exactly one block at the end of the last segment of each day it touches:
 *   1. each batch is checked and compressed by its own thread, one zstd
 *      frame per day, before it is queued;
 *   2. the leader creates any new tenant or day directory and segment file
 *      and fsyncs the directories that gained an entry;
 *   3. one-day batches: each day's block (the frames of all the group's
 *      batches of that day) is written with one pwritev and fsync'ed; then
 *      the group is committed. A batch of several days: parts 0..nparts-2
 *      are written and fsync'ed first, then part nparts-1, which commits it.
 * Only then does vg_archive_append return VG_OK to each batch of the group.
 * So at any moment at most one group per tenant is uncommitted, it changed
 * only the last block of each segment it wrote to, and a batch of several
 * days is committed exactly when its last part is whole.
 *
 * RECOVERY runs once per tenant and process, on the first call that touches
 * the tenant. For each day it checks the last segment from the end of its
 * last valid index record on (the whole segment without a valid index),
 * verifying each block's CRCs:
 *  - an incomplete block at the end (short header, or shorter than its
 *    header says) is a torn write: it was never acknowledged, because the
 *    fsync comes before the acknowledgement, and it is cut off;
 *  - a block whose payload CRC fails and that ends exactly at the end of the
 *    file is likewise treated as torn and cut off;
 *  - a header that does not check is torn when no valid block header follows
 *    it anywhere in the file, and cut off from there;
 *  - any other failure is corruption in the middle of the segment: nothing
 *    is cut, the segment takes no more appends (the next one goes to a new
 *    segment), and scans reaching the block fail with VG_ECORRUPT naming the
 *    file and offset.
 * Then the newest batch among the days' last blocks is checked: when it is
 * a part of a batch of several days and its last part is not there, the
 * batch never committed and its blocks are cut off. What is cut is first
 * copied to <segment>.cut-<offset> (kept until retention removes the day)
 * and the segment's index is trimmed to match. Finally the segments checked
 * and the directories are fsync'ed, so that nothing recovery accepted (a
 * killed process may have left it in the page cache only) can be lost once
 * appends continue after it. Recovery that cannot complete fails the call
 * with its error and is retried by the next call.
 *
 * LIMITS. A batch holds at most VG_ARCHIVE_BATCH_MAX_EVENTS events,
 * VG_ARCHIVE_BATCH_MAX_BYTES bytes of JSON and VG_ARCHIVE_BATCH_MAX_DAYS
 * distinct days; an event at most VG_ARCHIVE_EVENT_MAX_BYTES. A batch over a
 * limit is refused whole with VG_ETOOBIG and nothing is written; the caller
 * splits it. An append holds about twice its batch's size in memory until it
 * returns (the encoded events of its largest day and the compressed frames);
 * a scan holds one block at a time, compressed and decompressed (a block is
 * within the same limits as a batch, so at most about 70 MB together). A
 * stored block outside these limits is refused as damaged. Allocation
 * failures return VG_ENOMEM and never abort; the archive needs its directory
 * writable, also for reading (recovery may cut and fsync).
 *
 * THREADS. One vg_archive may be used from many threads at once, except for
 * vg_archive_close. Tenants are independent: appends, scans and retention of
 * different tenants do not wait for each other. A directory may be open in
 * one vg_archive at a time (VG_ECONFLICT otherwise, also across processes).
 */
#ifndef VG_ARCHIVE_ARCHIVE_H
#define VG_ARCHIVE_ARCHIVE_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

#define VG_ARCHIVE_RETENTION_DAYS_DEFAULT 180 /* China's Cybersecurity Law: at least six months */
#define VG_ARCHIVE_SEGMENT_MAX_DEFAULT (64u * 1024 * 1024)
#define VG_ARCHIVE_COMPRESSION_DEFAULT 3

#define VG_ARCHIVE_BATCH_MAX_EVENTS 100000
#define VG_ARCHIVE_BATCH_MAX_BYTES (32u * 1024 * 1024) /* sum of the events' JSON lengths */
#define VG_ARCHIVE_BATCH_MAX_DAYS 366
#define VG_ARCHIVE_EVENT_MAX_BYTES (1024u * 1024)

/* Event times the archive takes: 1970-01-01T00:00:00.000Z up to
 * 9999-12-31T23:59:59.999Z, in Unix milliseconds. */
#define VG_ARCHIVE_TIME_MIN INT64_C(0)
#define VG_ARCHIVE_TIME_MAX INT64_C(253402300799999)

#define VG_ARCHIVE_DAY_MS INT64_C(86400000)

typedef struct vg_archive vg_archive;

typedef struct vg_archive_options {
	size_t segment_max_bytes; /* start a new segment past this; 0: 64 MiB */
	int compression_level;    /* zstd level, 1..ZSTD_maxCLevel(); 0: 3 */
} vg_archive_options;

/*
 * Opens the archive in dir, creating the directory (mode 0700, parent must
 * exist) when missing. opts may be NULL for the defaults. Nothing is read or
 * recovered yet: each tenant is recovered on first use (see RECOVERY).
 * VG_EINVAL for bad options or a path too long, VG_ECONFLICT when dir is
 * already open (in this or another process), VG_EIO when the directory
 * cannot be created or opened. *out is NULL on failure.
 */
int vg_archive_open(const char *dir, const vg_archive_options *opts, vg_archive **out,
		    vg_error *err);

/* Closes the archive (NULL is fine). No call on it may be running. */
void vg_archive_close(vg_archive *a);

typedef struct vg_archive_event {
	int64_t time_ms;   /* event time, VG_ARCHIVE_TIME_MIN..VG_ARCHIVE_TIME_MAX */
	int64_t source_id; /* the ingest source it came from; stored as is */
	const char *json;  /* len bytes, no NUL among them; NUL-terminated on scan */
	size_t len;        /* 1..VG_ARCHIVE_EVENT_MAX_BYTES */
} vg_archive_event;

/*
 * Appends a batch of n events of tenant_id (> 0) and returns only once the
 * batch is committed: written and fsync'ed, together with the directory
 * entries of any new tenant or day directory or segment file. Events go to
 * the UTC day of their time_ms and keep their batch order within a day.
 *
 * All or nothing: after a crash at any point, a reopened archive holds the
 * whole batch or none of it; a batch refused by a check holds none of it.
 * When a write or fsync fails the batch (and any batches being committed
 * with it) fails with VG_EIO and the written bytes are truncated away; if
 * even that fails, the tenant is recovered afresh on its next use. A batch
 * that failed may still be found whole after a crash (it was never
 * acknowledged, so a sender that retries may store it twice).
 *
 * n == 0 is VG_OK and writes nothing. VG_EINVAL for a bad tenant id, an
 * empty event, a JSON with a NUL byte or a time out of range (naming the
 * event's index); VG_ETOOBIG over a limit (see LIMITS); VG_ENOMEM; VG_EIO;
 * VG_ECORRUPT when the tenant's recovery found damage it cannot repair.
 * The caller keeps ownership of ev; nothing points into it afterwards.
 */
int vg_archive_append(vg_archive *a, int64_t tenant_id, const vg_archive_event *ev, size_t n,
		      vg_error *err);

/*
 * The position of a stored event: totally ordered as (day, segment, offset,
 * index), which is the order scans deliver events in (day, then as stored).
 * Treat it as opaque: compare with vg_archive_pos_cmp, carry it in an API
 * cursor as the string of vg_archive_pos_format.
 */
typedef struct vg_archive_pos {
	int32_t day;      /* days since 1970-01-01 (UTC) */
	uint32_t segment; /* segment number within the day */
	uint64_t offset;  /* the block's offset in the segment */
	uint32_t index;   /* the event's place in the block, from 0 */
} vg_archive_pos;

#define VG_ARCHIVE_POS_STR_MAX 48

/* <0, 0, >0 as a is before, at or after b. */
int vg_archive_pos_cmp(const vg_archive_pos *a, const vg_archive_pos *b);

/* Writes pos as a short URL-safe string ("4a3b-1-1f3a0-c": lower-case hex
 * fields joined by '-'), at most VG_ARCHIVE_POS_STR_MAX bytes with the NUL. */
void vg_archive_pos_format(const vg_archive_pos *pos, char out[VG_ARCHIVE_POS_STR_MAX]);

/* Parses what vg_archive_pos_format writes, and nothing else (no leading
 * zeros, upper case, spaces or out-of-range fields): VG_EINVAL otherwise. Any
 * position parsed is safe to scan after, whether or not it names an event. */
int vg_archive_pos_parse(const char *s, vg_archive_pos *out, vg_error *err);

/* A scan's callback. ev->json is NUL-terminated and, like ev and pos, valid
 * only during the call. Returns VG_OK to go on, a positive value to stop the
 * scan there (the scan returns that value), or a negative VG_E* code (with a
 * message in err) to fail the scan with it. */
typedef int (*vg_archive_fn)(const vg_archive_event *ev, const vg_archive_pos *pos, void *arg,
			     vg_error *err);

#define VG_ARCHIVE_STOP 1 /* what a callback returns to stop early, by convention */

/*
 * Calls fn for each event of tenant_id with from_ms <= time_ms < to_ms and,
 * when after is not NULL, a position after *after, in position order. To
 * page, stop after a page's last event and scan again with after = its
 * position: every event is delivered exactly once across the pages (events
 * appended meanwhile are delivered if they land after the cursor).
 *
 * Blocks whose time range misses [from_ms, to_ms), or that lie wholly at or
 * before after, are passed over without being read. A block is checked
 * whole (CRCs, every event) before any of its events is delivered, so a
 * damaged block delivers nothing: the scan fails with VG_ECORRUPT
 * "archive <file>: offset <n>: <what>" after the events before it.
 *
 * The scan sees the batches committed when it started (a consistent prefix:
 * never part of a batch), whatever appends run meanwhile. fn may append and
 * scan, but must not call vg_archive_expire for the same tenant (that waits
 * for the scan to end).
 *
 * Returns VG_OK when every event was delivered (also for an empty range or
 * a tenant with no events), fn's positive value when it stopped, fn's
 * negative code, or VG_EINVAL (tenant id), VG_ECORRUPT, VG_EIO, VG_ENOMEM.
 */
int vg_archive_scan(vg_archive *a, int64_t tenant_id, int64_t from_ms, int64_t to_ms,
		    const vg_archive_pos *after, vg_archive_fn fn, void *arg, vg_error *err);

/*
 * Retention: removes each day of tenant_id whose whole span is older than
 * keep_days days before now_ms, that is day D when D's end (next midnight
 * UTC) <= now_ms - keep_days * 24h. No event younger than keep_days is ever
 * removed. *removed gets how many day directories went (0 on error). A day
 * is renamed out of sight first, so after a crash it is either all there or
 * all gone (recovery finishes removing it). Waits for the tenant's running
 * scans and appends. keep_days 1..36500, else VG_EINVAL.
 */
int vg_archive_expire(vg_archive *a, int64_t tenant_id, int keep_days, int64_t now_ms,
		      int *removed, vg_error *err);

typedef struct vg_archive_stats {
	int64_t days;         /* days holding at least one event */
	int64_t segments;     /* non-empty segment files */
	int64_t events;
	int64_t blocks;
	int64_t stored_bytes; /* bytes of the segment files (headers included) */
	int64_t raw_bytes;    /* bytes of the events' JSON */
	int32_t oldest_day;   /* days since 1970-01-01 of the oldest and newest day; */
	int32_t newest_day;   /* both 0 when days is 0 */
	char oldest[11];      /* the same as "YYYY-MM-DD"; "" when days is 0 */
	char newest[11];
} vg_archive_stats;

/* Fills *out for tenant_id (all zero for a tenant with no events). Reads every
 * index (or block header) of the tenant, so it costs about a scan that reads
 * no block. VG_EINVAL, VG_ECORRUPT, VG_EIO, VG_ENOMEM. */
int vg_archive_stats_get(vg_archive *a, int64_t tenant_id, vg_archive_stats *out, vg_error *err);

/* Ids of the tenants with a directory in the archive, ascending, in a new
 * array (*ids, free() it; NULL when *n is 0), for a retention sweep. */
int vg_archive_tenants(vg_archive *a, int64_t **ids, size_t *n, vg_error *err);

/* Counters since open, for /metrics (and tests: they are exact, not sampled). */
typedef struct vg_archive_counters {
	uint64_t batches;        /* batches committed */
	uint64_t events;         /* events in them */
	uint64_t commits;        /* write-and-fsync rounds; batches/commits is the grouping */
	uint64_t blocks_read;    /* blocks scans read, checked and decompressed */
	uint64_t blocks_skipped; /* blocks scans passed over by time range or position */
	uint64_t recovery_cuts;  /* torn or uncommitted tails cut off by recovery */
} vg_archive_counters;

void vg_archive_counters_get(vg_archive *a, vg_archive_counters *out);

/* The UTC day (days since 1970-01-01) of a time in ms, rounding down. */
int32_t vg_archive_day_of(int64_t time_ms);

#endif
