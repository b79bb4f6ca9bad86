/*
 * feed.h - events out of the raw input of one source, in pieces.
 *
 * A feed frames the input of a source type (JSON streams for "json"
 * parsers, lines for the text parsers), parses text lines into JSON events,
 * validates every event and extracts the fields a detection engine reads,
 * all in one pass, and hands each event or refused record to a sink. It
 * takes input in pieces of any size (file reads, socket reads, an HTTP
 * body): a record cut by the end of a piece is kept until the next piece,
 * and the last piece is marked final. The events and refusals are the
 * same whatever the pieces; what is kept between pieces stays within
 * about max_event bytes (a longer record is refused as too_large as soon
 * as that is known, and the rest of its line skipped as it comes).
 *
 * Text lines are refused as too_large past max_event bytes, blank or not,
 * and when their JSON would pass 4 * max_event + 4 KiB (escapes grow it).
 */
#ifndef VG_INGEST_FEED_H
#define VG_INGEST_FEED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "detect/extract.h"
#include "detect/source.h"
#include "ingest/record.h"

/* Events are refused past this size unless the caller says otherwise. */
#define VG_FEED_MAX_EVENT_DEFAULT (1u << 20)

typedef struct vg_feed_sink {
	/* An event: JSON text and its extracted fields (valid during the
	 * call). Returning an error stops the feed with it. */
	int (*event)(void *arg, const char *json, size_t len, const vg_fields *fields,
		     vg_error *err);
	/* A refused record. */
	void (*reject)(void *arg, const vg_reject *rej);
	void *arg;
} vg_feed_sink;

typedef struct vg_feed_options {
	size_t max_event; /* bytes; 0 picks VG_FEED_MAX_EVENT_DEFAULT */
	int64_t now_ms;   /* receive time, for syslog stamps without year or time */
	int year;         /* the year of RFC 3164 stamps; 0 guesses */
} vg_feed_options;

typedef struct vg_feed vg_feed;

/* A feed for events of type, extracting fs's fields (fs must outlive it). */
vg_feed *vg_feed_new(const vg_source_type *type, const vg_fieldset *fs,
		     const vg_feed_options *opts);
void vg_feed_free(vg_feed *f);

/*
 * Reads len bytes of input; final marks the last piece. Every complete
 * record goes to the sink before this returns; an incomplete one at the
 * end is kept (copied) for the next call. Returns the first error a sink
 * returned, VG_ENOMEM, or VG_OK.
 */
int vg_feed_push(vg_feed *f, const char *data, size_t len, bool final, const vg_feed_sink *sink,
		 vg_error *err);

/*
 * Reads one complete record that the caller framed (a syslog datagram or
 * TCP frame): a text type's parser reads it whole, line breaks and all; a
 * JSON type reads it as a stream of its own. Nothing is kept over.
 */
int vg_feed_push_record(vg_feed *f, const char *data, size_t len, const vg_feed_sink *sink,
			vg_error *err);

/* The line the event being handed to the sink starts on, for a sink that
 * refuses it itself (call only from the sink's event callback). */
size_t vg_feed_event_line(vg_feed *f);

/* Counts so far. */
typedef struct vg_feed_counts {
	uint64_t events;
	uint64_t rejected;
	uint64_t by_reason[VG_REJECT_NREASONS];
	uint64_t bytes;
} vg_feed_counts;
void vg_feed_counts_get(const vg_feed *f, vg_feed_counts *out);

#endif
