/*
 * extract.h - pulling the fields rules need out of a JSON event, in one
 * pass and without building a tree.
 *
 * A vg_fieldset is the set of paths the loaded rules read, compiled into a
 * trie ("Event.System.EventID" is Event -> System -> EventID). The walker
 * validates the whole event (strict JSON, UTF-8) but descends only into keys
 * on some wanted path; everything else is skipped at memchr-like speed.
 * Arrays are transparent: the elements of an array at a wanted path are all
 * values of that field, and objects inside it continue the path, so
 * "resources.ARN" finds every ARN of CloudTrail's resources list.
 *
 * Values point into the event or, for strings with escapes, into the
 * vg_fields scratch area; they live until the next extraction into the same
 * vg_fields.
 */
#ifndef VG_DETECT_EXTRACT_H
#define VG_DETECT_EXTRACT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

/* Events nested deeper than this are refused (bounds the recursion). */
#define VG_JSON_MAX_DEPTH 64

typedef struct vg_fieldset vg_fieldset;

enum vg_fv_type {
	VG_FV_STRING,
	VG_FV_NUMBER,
	VG_FV_TRUE,
	VG_FV_FALSE,
	VG_FV_NULL,
	VG_FV_OBJECT,
	VG_FV_ARRAY,
};

/* One value: for scalars its text (a string unescaped, a number as
 * written, "true", "false", "null"); for a container its raw JSON. */
typedef struct vg_fvalue {
	const char *ptr;
	uint32_t len;
	uint8_t type;
	uint32_t next; /* the next value of the same field, or VG_FV_NONE */
} vg_fvalue;

#define VG_FV_NONE UINT32_MAX

typedef struct vg_fields {
	uint32_t *head, *tail; /* per field: first and last value, or VG_FV_NONE */
	size_t nslots;
	uint32_t *touched; /* the fields that have values, in the order first seen */
	size_t ntouched;
	vg_fvalue *values;
	size_t nvalues, cap;
	char *scratch;
	size_t scratch_used, scratch_cap;
} vg_fields;

vg_fieldset *vg_fieldset_new(void);
void vg_fieldset_free(vg_fieldset *fs);

/* The field id of a dotted path, adding it if new; ids are dense from 0.
 * A segment "*" stands for any key that no other path names there. */
uint32_t vg_fieldset_add(vg_fieldset *fs, const char *path);

/* Makes path record its values under an existing field id (one field read
 * at several places). False when path already records under another id. */
bool vg_fieldset_alias(vg_fieldset *fs, const char *path, uint32_t slot);
size_t vg_fieldset_count(const vg_fieldset *fs);
const char *vg_fieldset_path(const vg_fieldset *fs, uint32_t id);

/* Also collect every string value anywhere in the event under the field id
 * returned (for keyword searches over whole events). */
uint32_t vg_fieldset_add_all_strings(vg_fieldset *fs);

/*
 * Validates the JSON object json (len bytes) and fills out with the values
 * of fs's fields. VG_EINVAL "invalid JSON at byte N: reason" for anything
 * that is not exactly one JSON object of valid UTF-8 (surrounding white
 * space allowed); VG_ENOMEM when out of memory.
 */
int vg_fields_extract(const vg_fieldset *fs, const char *json, size_t len, vg_fields *out,
		      vg_error *err);

/* First value of field id, or NULL when the event lacks it. */
static inline const vg_fvalue *vg_fields_first(const vg_fields *f, uint32_t id)
{
	return f->head[id] == VG_FV_NONE ? NULL : &f->values[f->head[id]];
}

static inline const vg_fvalue *vg_fields_next(const vg_fields *f, const vg_fvalue *v)
{
	return v->next == VG_FV_NONE ? NULL : &f->values[v->next];
}

/* Why an event is not valid JSON. */
enum vg_json_fault {
	VG_JSON_OK,
	VG_JSON_SYNTAX,     /* not JSON */
	VG_JSON_TRUNCATED,  /* valid so far, but the input ended */
	VG_JSON_UTF8,       /* a string holds bytes that are not UTF-8 */
	VG_JSON_DEPTH,      /* nested deeper than VG_JSON_MAX_DEPTH */
	VG_JSON_NOT_OBJECT, /* one valid JSON value, but not an object */
};

typedef struct vg_json_pos {
	size_t end;               /* just past the object, or where the error is */
	enum vg_json_fault fault; /* VG_JSON_OK on success */
} vg_json_pos;

/*
 * Like vg_fields_extract for the one JSON object at the start of json
 * (white space before it allowed), ignoring what follows it: pos says
 * where the object ended or where and why it is bad, for a reader that
 * goes on after a bad record. For VG_JSON_NOT_OBJECT, end is just past
 * the value that is not an object (nothing of it is recorded).
 *
 * For a reader fed in pieces: the input cut anywhere before the object's
 * end (or before an error) is VG_JSON_TRUNCATED, whatever token the cut
 * falls in (a top-level number cut short is a shorter number); and the
 * scanner looks less than 16 bytes past the place it reports an error, so
 * more input beyond that cannot change the answer.
 */
int vg_fields_scan(const vg_fieldset *fs, const char *json, size_t len, vg_fields *out,
		   vg_json_pos *pos, vg_error *err);

void vg_fields_release(vg_fields *f);

#endif
