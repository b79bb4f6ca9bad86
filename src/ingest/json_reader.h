/*
 * json_reader.h - splitting a stream of JSON events into records.
 *
 * The input may be one JSON object, a JSON array of objects, newline-
 * delimited JSON (NDJSON), or objects one after another, pretty-printed
 * over several lines (as some exporters write them). Each object is
 * validated and its fields extracted in the same pass (detect/extract.h),
 * so a reader hands the detection engine events it need not parse again.
 *
 * Bad input never costs the good records around it. A bad record is
 * refused with a reason, and reading goes on at the line where the error
 * was found when that is a later line than the record's first (a record cut
 * short and followed by the next one), otherwise at the next line. Every
 * line of garbage is one refused record; blank lines are nothing.
 *
 * In detail:
 *  - A record that a later line starting with '{' in its first column cuts
 *    short (an NDJSON line cut mid-record, "{"user":" then the next
 *    record's line) is refused as truncated, and reading goes on at that
 *    line, so the next record survives even where it would fit as a value.
 *    Likewise when the error is a '{' that begins its line.
 *  - A record refused on its first line is truncated when that line, read
 *    alone, is a valid start of an object that the line end cut short.
 *  - Valid JSON that is not an object, alone on its line (or as an element
 *    of a top-level array), is refused as not_an_object; reading goes on
 *    just after it inside the array, else at the next line.
 *  - A record longer than max_event is refused as too_large as soon as that
 *    is known, and the rest of its line is skipped (also as it arrives).
 *  - Whatever the pieces the input comes in, the records and refusals are
 *    the same as for the input in one piece.
 */
#ifndef VG_INGEST_JSON_READER_H
#define VG_INGEST_JSON_READER_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "detect/extract.h"
#include "ingest/record.h"

typedef struct vg_json_reader {
	const char *start, *p, *end;
	size_t max_event; /* longest record accepted, in bytes */
	bool final;       /* no input follows end */
	bool started;     /* past the first record (or the array's '[') */
	bool array;       /* inside a top-level array */
	bool skip_line;   /* discarding the rest of a refused record's line */
	const char *line_at; /* line counting: line is the number of line_at's line */
	size_t line;
} vg_json_reader;

/*
 * Reads len bytes at buf. final says whether more input follows (a
 * reader over a file or socket feeds it in pieces and sets final on the
 * last). base_line is the number of buf's first line (1 at the start).
 * A reader of a later piece carries started, array and skip_line over
 * from the reader of the piece before.
 */
void vg_json_reader_init(vg_json_reader *r, const char *buf, size_t len, size_t max_event,
			 bool final, size_t base_line);

enum vg_read_result {
	VG_READ_END,    /* nothing more in the input */
	VG_READ_MORE,   /* the rest is an incomplete record: feed it again with more */
	VG_READ_EVENT,  /* *event is the next record, its fields extracted */
	VG_READ_REJECT, /* *rej says what was refused */
};

/*
 * The next record. For VG_READ_EVENT, *event points into the input and
 * fields holds its values of fs's paths (valid until the next call).
 * For VG_READ_MORE, vg_json_reader_offset says where the incomplete
 * record starts. VG_ENOMEM (negative) when extraction ran out of memory.
 */
int vg_json_reader_next(vg_json_reader *r, const vg_fieldset *fs, vg_fields *fields,
			vg_str *event, vg_reject *rej);

/* Bytes of the input consumed so far (where reading stands). */
size_t vg_json_reader_offset(const vg_json_reader *r);

/* The line number reading stands at. */
size_t vg_json_reader_line(vg_json_reader *r);

/* The number of the line at (in the input, not before the last place a
 * line number was asked for) is on. */
size_t vg_json_reader_line_at(vg_json_reader *r, const char *at);

#endif
