/*
 * json.h - Vigil's one way to read and write ordinary JSON (jansson).
 *
 * Request bodies are parsed strictly: one object, no duplicate keys, and
 * checked against a field table that rejects unknown fields and wrong types
 * with a message naming the field. (The ingest hot path has its own
 * zero-copy extractor; this is for the API and files.)
 */
#ifndef VG_CORE_JSON_H
#define VG_CORE_JSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"

enum vg_json_type {
	VG_JSON_STRING,
	VG_JSON_INTEGER,
	VG_JSON_BOOL,
	VG_JSON_OBJECT,
	VG_JSON_ARRAY,
	VG_JSON_STRING_OR_NULL,
	VG_JSON_INTEGER_OR_NULL,
};

typedef struct vg_json_field {
	const char *name;
	enum vg_json_type type;
	bool required;
} vg_json_field;

/*
 * Parses len bytes of data as exactly one JSON object into *out (new
 * reference, json_decref it). VG_EINVAL with "invalid JSON at line L column
 * C: reason" or "expected a JSON object" otherwise; *out is NULL then.
 */
int vg_json_parse_object(const char *data, size_t len, json_t **out, vg_error *err);

/*
 * Checks obj against fields (terminated by an entry with name NULL): every
 * key must be listed, of its type; every required field present.
 */
int vg_json_check(const json_t *obj, const vg_json_field *fields, vg_error *err);

/* The string at key, or NULL when absent, null or not a string. */
const char *vg_json_str(const json_t *obj, const char *key);

/* Serialises compactly with keys in insertion order; NULL on failure
 * (free() the result). */
char *vg_json_dump(const json_t *value);

/*
 * Appends s (len bytes of UTF-8) to b as a quoted JSON string, escaping
 * quotes, backslashes and control characters. VG_EINVAL when s is not
 * valid UTF-8 (nothing appended then); VG_ETOOBIG past b's maximum. For
 * the writers of hot paths that build JSON text without a tree.
 */
struct vg_buf;
int vg_json_append_string(struct vg_buf *b, const char *s, size_t len);

#endif
