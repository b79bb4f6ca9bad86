/*
 * pipeline.h - the spine: a source's input through parsing, the event
 * archive, detection and correlation, into alerts.
 *
 * One vg_pipeline serves a process (the server, or one `vigil ingest`): it
 * holds the rule set (the rules Vigil ships, plus config detect.rules),
 * one compiled engine per source type (compiled on first use), the
 * correlation state of each tenant, the indicator lists (matched in the
 * fields each engine extracts, in the same pass as the rules) and the
 * archive in DATA/events.
 *
 * An ingest is one source's input, fed in pieces of any size. After
 * vg_ingest_push returns VG_OK, every complete event of the piece is in the
 * archive (durable: fsync'ed) and its alerts and the source's counters are
 * in the store; so a caller acknowledges input (an HTTP 2xx, the next read
 * of a syslog TCP stream) only after the push that read it returned.
 * Events that parse but the archive refuses (a store failure) fail the push
 * with nothing acknowledged; refused records are counted, never fatal.
 *
 * Threads: every function but open and close may run on many threads at
 * once; each vg_ingest belongs to one thread.
 */
#ifndef VG_PIPELINE_PIPELINE_H
#define VG_PIPELINE_PIPELINE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/app.h"
#include "core/error.h"
#include "ingest/record.h"
#include "ingest/sources.h"
#include "store/ctx.h"

typedef struct vg_pipeline vg_pipeline;

/* The archive lives here under the data directory. */
#define VG_PIPELINE_ARCHIVE_DIR "events"

/* Loads the rules (an error in any rule file stops it, naming file and
 * line) and opens the archive. */
int vg_pipeline_open(vg_app *app, vg_pipeline **out, vg_error *err);
void vg_pipeline_close(vg_pipeline *p);

/* How many rules were loaded, by kind. */
void vg_pipeline_rule_counts(const vg_pipeline *p, size_t *detection, size_t *correlation,
			     size_t *filters);

/* The rules loaded (shipped content/rules plus detect.rules), read-only
 * and valid while p is open: the rules API lists and tries them. */
struct vg_ruleset;
const struct vg_ruleset *vg_pipeline_rules(const vg_pipeline *p);

/* Compiles the engine of a source type now rather than at its first event
 * (the server warms the types its sources use). */
int vg_pipeline_prepare(vg_pipeline *p, const char *type, vg_error *err);

#define VG_INGEST_REJECTS_KEPT 10

typedef struct vg_ingest_result {
	uint64_t accepted, rejected, bytes;
	uint64_t by_reason[VG_REJECT_NREASONS];
	uint64_t hits;   /* detection matches and correlation hits recorded */
	uint64_t opened; /* alerts they opened (the rest joined open alerts) */
	vg_reject rejects[VG_INGEST_REJECTS_KEPT]; /* the first refused records */
	size_t nrejects;
} vg_ingest_result;

typedef struct vg_ingest vg_ingest;

typedef struct vg_ingest_options {
	int64_t now_ms; /* receive time; 0: the clock */
	int year;       /* of RFC 3164 stamps, which carry none; 0 guesses */
} vg_ingest_options;

/* Starts an ingest for source src (copied); opts may be NULL. */
int vg_ingest_begin(vg_pipeline *p, const vg_source *src, const vg_ingest_options *opts,
		    vg_ingest **out, vg_error *err);

/* Reads a piece of the source's raw input (final: the last piece). */
int vg_ingest_push(vg_ingest *in, const char *data, size_t len, bool final, vg_error *err);

/* Reads one complete record (a syslog datagram or frame), which a text
 * source's parser reads whole even when it holds line breaks. Records are
 * durable only after the vg_ingest_commit that follows them. */
int vg_ingest_add_record(vg_ingest *in, const char *data, size_t len, vg_error *err);

/* Counts a record refused before it could be read (a syslog frame too
 * long for the limit, say). */
void vg_ingest_reject(vg_ingest *in, const vg_reject *rej);

/* Makes what was read so far durable and stores its alerts and counts (a
 * push does this itself). */
int vg_ingest_commit(vg_ingest *in, vg_error *err);

/* What the ingest did so far. */
void vg_ingest_result_get(const vg_ingest *in, vg_ingest_result *out);

void vg_ingest_end(vg_ingest *in);

/* The app p was opened for. */
vg_app *vg_pipeline_app(const vg_pipeline *p);

/*
 * Sends the refused records kept for source src (ingest.rejects_kept of
 * them, oldest first) through the pipeline again, once what refused them
 * is fixed: a mapping updated for a vendor's new schema, a limit raised.
 * Each record read is removed from the kept ones; one refused again is
 * kept again, with today's reason. res says what happened. A crash between
 * a chunk's ingest and its removal leaves that chunk to be replayed again
 * (its events archived twice) rather than lost.
 */
int vg_pipeline_replay(vg_pipeline *p, const vg_source *src, vg_ingest_result *res,
		       vg_error *err);

/* Rereads the indicator lists when they changed (the clock does this; an
 * API that changed them calls it to apply them at once). */
int vg_pipeline_reload_iocs(vg_pipeline *p, vg_error *err);

/*
 * Judges the correlation windows that closed before now_ms (the server
 * calls it every few seconds) and records their alerts.
 */
int vg_pipeline_tick(vg_pipeline *p, int64_t now_ms, vg_error *err);

/*
 * Retention: removes each tenant's archived days past its retention_days.
 * *removed counts the days removed.
 */
int vg_pipeline_expire(vg_pipeline *p, int64_t now_ms, int *removed, vg_error *err);

/* A hunt through a tenant's archived events. */
typedef struct vg_hunt {
	int64_t tenant_id;
	int64_t from_ms, to_ms; /* [from, to) */
	int64_t source_id;      /* 0: every source */
	const char *query;      /* a Sigma detection (YAML); NULL or "": every event */
	const char *cursor;     /* from a previous page's "next"; NULL: the start */
	int limit;
} vg_hunt;

/*
 * Events of the hunt's tenant (which ctx must see: else VG_ENOTFOUND) that
 * the query matches, oldest first, as {"items": [{"time", "source_id",
 * "event"}], "next": cursor or null}. The query is a Sigma detection
 * section - search identifiers and a condition - compiled and matched as
 * a rule's would be, each event with its own source's field mapping; a
 * search alone without a condition is its own condition. VG_EINVAL naming
 * the problem ("query:3: unknown modifier ...").
 */
int vg_pipeline_hunt(vg_pipeline *p, const vg_ctx *ctx, const vg_hunt *h, json_t **out,
		     vg_error *err);

#endif
