/* json.c - strict JSON parsing, field checking and string writing (see json.h). */
#include "core/json.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "core/buf.h"
#include "core/utf8.h"

int vg_json_parse_object(const char *data, size_t len, json_t **out, vg_error *err)
{
	json_error_t jerr;
	json_t *v;

	*out = NULL;
	v = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!v)
		return vg_error_set(err, VG_EINVAL, "invalid JSON at line %d column %d: %s",
				    jerr.line, jerr.column, jerr.text);
	if (!json_is_object(v)) {
		json_decref(v);
		return vg_error_set(err, VG_EINVAL, "expected a JSON object");
	}
	*out = v;
	return VG_OK;
}

static const char *type_name(enum vg_json_type t)
{
	switch (t) {
	case VG_JSON_STRING: return "a string";
	case VG_JSON_INTEGER: return "an integer";
	case VG_JSON_BOOL: return "true or false";
	case VG_JSON_OBJECT: return "an object";
	case VG_JSON_ARRAY: return "an array";
	case VG_JSON_STRING_OR_NULL: return "a string or null";
	case VG_JSON_INTEGER_OR_NULL: return "an integer or null";
	}
	return "?";
}

static bool type_matches(const json_t *v, enum vg_json_type t)
{
	switch (t) {
	case VG_JSON_STRING: return json_is_string(v);
	case VG_JSON_INTEGER: return json_is_integer(v);
	case VG_JSON_BOOL: return json_is_boolean(v);
	case VG_JSON_OBJECT: return json_is_object(v);
	case VG_JSON_ARRAY: return json_is_array(v);
	case VG_JSON_STRING_OR_NULL: return json_is_string(v) || json_is_null(v);
	case VG_JSON_INTEGER_OR_NULL: return json_is_integer(v) || json_is_null(v);
	}
	return false;
}

int vg_json_check(const json_t *obj, const vg_json_field *fields, vg_error *err)
{
	const char *key;
	json_t *value;

	json_object_foreach((json_t *)obj, key, value) {
		const vg_json_field *f = fields;

		while (f->name && strcmp(f->name, key) != 0)
			f++;
		if (!f->name)
			return vg_error_set(err, VG_EINVAL, "unknown field \"%s\"", key);
		if (!type_matches(value, f->type))
			return vg_error_set(err, VG_EINVAL, "field \"%s\" must be %s", key,
					    type_name(f->type));
	}
	for (const vg_json_field *f = fields; f->name; f++)
		if (f->required && !json_object_get(obj, f->name))
			return vg_error_set(err, VG_EINVAL, "missing field \"%s\"", f->name);
	return VG_OK;
}

const char *vg_json_str(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

char *vg_json_dump(const json_t *value)
{
	return json_dumps(value, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
}

/* True when one of the eight bytes of w needs more than a copy: a control
 * character, '"', '\\' or part of a multi-byte sequence (which is checked).
 * Each term is the classic "some byte is below n" bit trick. */
static inline bool word_needs_care(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
	uint64_t quote = w ^ (ones * '"'), backslash = w ^ (ones * '\\');

	return (((w - ones * 0x20) & ~w) | ((quote - ones) & ~quote) |
		((backslash - ones) & ~backslash) | w) &
	       highs;
}

int vg_json_append_string(vg_buf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s, *end = p + len, *run;
	size_t mark = b->len;
	int rc = vg_buf_append(b, "\"", 1);

	while (rc == VG_OK && p < end) {
		/* Copy the longest run that needs no escape in one append. */
		for (run = p; p < end;) {
			uint64_t w;

			if (end - p >= 8) {
				memcpy(&w, p, sizeof(w));
				if (!word_needs_care(w)) {
					p += 8;
					continue;
				}
			}
			if (*p < 0x20 || *p == '"' || *p == '\\')
				break;
			if (*p >= 0x80) {
				size_t n = vg_utf8_seq_len(p, (size_t)(end - p));

				if (!n) {
					rc = VG_EINVAL;
					break;
				}
				p += n;
				continue;
			}
			p++;
		}
		if (rc == VG_OK && p > run)
			rc = vg_buf_append(b, run, (size_t)(p - run));
		if (rc || p >= end)
			break;
		switch (*p) {
		case '"': rc = vg_buf_append(b, "\\\"", 2); break;
		case '\\': rc = vg_buf_append(b, "\\\\", 2); break;
		case '\n': rc = vg_buf_append(b, "\\n", 2); break;
		case '\r': rc = vg_buf_append(b, "\\r", 2); break;
		case '\t': rc = vg_buf_append(b, "\\t", 2); break;
		default: {
			char u[6] = { '\\', 'u', '0', '0', hex[*p >> 4], hex[*p & 15] };

			rc = vg_buf_append(b, u, 6);
		}
		}
		p++;
	}
	if (rc == VG_OK)
		rc = vg_buf_append(b, "\"", 1);
	if (rc) {
		/* Leave b as it was: a half-written string would be invalid JSON. */
		b->len = mark;
		if (b->ptr)
			b->ptr[mark] = '\0';
	}
	return rc;
}
