/*
 * fuzz_json_extract.c - the one-pass field extractor (vg_fields_extract,
 * vg_fields_scan) over a field set of plain, nested, wildcard and aliased
 * paths that also collects every string.
 *
 * Promises checked:
 *  - any input is accepted or refused with VG_EINVAL and an "invalid JSON
 *    at byte N: ..." message; never a crash, a leak or a read past the end;
 *  - an accepted input is one object that jansson also accepts (strict,
 *    \u0000 allowed), unless jansson's own limits refuse it (integers past
 *    64 bits, reals past double, NUL in keys); an object jansson accepts
 *    within the depth limit is accepted (unless it holds a raw NUL byte,
 *    which jansson skips after a number or literal);
 *  - every recorded value lies inside the input or the scratch area; a
 *    string is valid UTF-8 and, read in place, has no escapes; a number,
 *    literal or object is the text of one; the last value of "s" is
 *    jansson's string, byte for byte;
 *  - vg_fields_scan on a prefix of the input says TRUNCATED when the
 *    prefix ends before the object (or the error) does (a top-level number
 *    cut short being a shorter number), and the same as on the whole input
 *    when it goes 16 bytes past the error: what a reader fed in pieces
 *    relies on.
 */
#include "fuzz.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "detect/extract.h"

#define LOOKAHEAD 16

static vg_fieldset *fieldset(uint32_t *s)
{
	static vg_fieldset *fs;
	static uint32_t s_id;

	if (!fs) {
		uint32_t a;

		fs = vg_fieldset_new();
		s_id = vg_fieldset_add(fs, "s");
		a = vg_fieldset_add(fs, "a");
		vg_fieldset_add(fs, "b.c");
		vg_fieldset_add(fs, "resources.ARN");
		vg_fieldset_add(fs, "Event.UserData.*.Operation");
		vg_fieldset_add(fs, "w.*");
		vg_fieldset_add(fs, "w.named");
		vg_fieldset_add(fs, "eventName");
		if (!vg_fieldset_alias(fs, "x.a", a))
			abort();
		vg_fieldset_add_all_strings(fs);
	}
	*s = s_id;
	return fs;
}

static bool inside(const char *p, size_t n, const char *base, size_t len)
{
	return base && p >= base && n <= len && p - base <= (ptrdiff_t)(len - n);
}

static bool is_number(const char *p, size_t n)
{
	size_t i = 0;

	if (i < n && p[i] == '-')
		i++;
	if (i >= n || p[i] < '0' || p[i] > '9')
		return false;
	if (p[i] == '0')
		i++;
	else
		while (i < n && p[i] >= '0' && p[i] <= '9')
			i++;
	if (i < n && p[i] == '.') {
		if (++i >= n || p[i] < '0' || p[i] > '9')
			return false;
		while (i < n && p[i] >= '0' && p[i] <= '9')
			i++;
	}
	if (i < n && (p[i] == 'e' || p[i] == 'E')) {
		i++;
		if (i < n && (p[i] == '+' || p[i] == '-'))
			i++;
		if (i >= n || p[i] < '0' || p[i] > '9')
			return false;
		while (i < n && p[i] >= '0' && p[i] <= '9')
			i++;
	}
	return i == n;
}

static int depth_of(const json_t *v)
{
	int d = 0, sub;
	size_t i;
	const char *k;
	json_t *e;

	if (json_is_object(v)) {
		json_object_foreach((json_t *)v, k, e)
			if ((sub = depth_of(e)) > d)
				d = sub;
		return d + 1;
	}
	if (json_is_array(v)) {
		json_array_foreach(v, i, e)
			if ((sub = depth_of(e)) > d)
				d = sub;
		return d + 1;
	}
	return 0;
}

static void check_values(const vg_fieldset *fs, const vg_fields *f, const char *in, size_t len)
{
	static vg_fieldset *empty;
	size_t total = 0;

	if (!empty)
		empty = vg_fieldset_new();
	for (uint32_t id = 0; id < vg_fieldset_count(fs); id++) {
		for (const vg_fvalue *v = vg_fields_first(f, id); v; v = vg_fields_next(f, v)) {
			bool in_input = inside(v->ptr, v->len, in, len);
			bool in_scratch = inside(v->ptr, v->len, f->scratch, f->scratch_used);

			if (++total > f->nvalues || !(in_input || in_scratch))
				abort();
			switch (v->type) {
			case VG_FV_STRING:
				if (!vg_utf8_valid(v->ptr, v->len, true))
					abort();
				/* In place only when it had no escapes: between quotes. */
				if (in_input && !in_scratch &&
				    (v->ptr == in || v->ptr[-1] != '"' || v->ptr + v->len >= in + len ||
				     v->ptr[v->len] != '"' || memchr(v->ptr, '\\', v->len)))
					abort();
				break;
			case VG_FV_NUMBER:
				if (!in_input || !is_number(v->ptr, v->len))
					abort();
				break;
			case VG_FV_TRUE:
			case VG_FV_FALSE:
			case VG_FV_NULL: {
				const char *lit = v->type == VG_FV_TRUE ? "true" : v->type == VG_FV_FALSE ? "false" : "null";

				if (!in_input || v->len != strlen(lit) || memcmp(v->ptr, lit, v->len) != 0)
					abort();
				break;
			}
			case VG_FV_OBJECT: {
				vg_fields sub = { 0 };

				if (!in_input || v->len < 2 || v->ptr[0] != '{' || v->ptr[v->len - 1] != '}' ||
				    vg_fields_extract(empty, v->ptr, v->len, &sub, NULL) != VG_OK)
					abort();
				vg_fields_release(&sub);
				break;
			}
			default: /* arrays are never values themselves */
				abort();
			}
		}
	}
}

/* The promises about prefixes of in (see the top). */
static void check_prefix(const vg_fieldset *fs, const char *in, size_t len, size_t k,
			 const vg_json_pos *whole)
{
	vg_fields f = { 0 };
	vg_json_pos pos;
	char *copy;
	size_t i = 0;
	bool number;
	int rc;

	if (k > len)
		return;
	copy = malloc(k ? k : 1); /* exact size, for ASan */
	memcpy(copy, in, k);
	rc = vg_fields_scan(fs, copy, k, &f, &pos, NULL);
	if ((rc == VG_OK) != (pos.fault == VG_JSON_OK) || (rc != VG_OK && rc != VG_EINVAL))
		abort();
	while (i < len && (in[i] == ' ' || in[i] == '\t' || in[i] == '\r' || in[i] == '\n'))
		i++;
	number = i < len && (in[i] == '-' || (in[i] >= '0' && in[i] <= '9'));
	switch (whole->fault) {
	case VG_JSON_TRUNCATED:
		/* A prefix of a valid start is a valid start. */
		if (pos.fault != VG_JSON_TRUNCATED && !(number && pos.fault == VG_JSON_NOT_OBJECT))
			abort();
		break;
	case VG_JSON_OK:
		if (k < whole->end ? pos.fault != VG_JSON_TRUNCATED
				   : pos.fault != VG_JSON_OK || pos.end != whole->end)
			abort();
		break;
	case VG_JSON_NOT_OBJECT:
		/* end is just past the value; a number cut short is a number. */
		if (k < whole->end && !number && pos.fault != VG_JSON_TRUNCATED)
			abort();
		if (k >= whole->end && (pos.fault != whole->fault || pos.end != whole->end))
			abort();
		break;
	default:
		/* end is where the error is; the scanner looks less than
		 * LOOKAHEAD bytes past it. */
		if (k <= whole->end && pos.fault != VG_JSON_TRUNCATED &&
		    !(number && pos.fault == VG_JSON_NOT_OBJECT))
			abort();
		if (k >= whole->end + LOOKAHEAD && (pos.fault != whole->fault || pos.end != whole->end))
			abort();
	}
	vg_fields_release(&f);
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t s_id;
	vg_fieldset *fs = fieldset(&s_id);
	const char *in = (const char *)data;
	vg_fields f = { 0 };
	vg_error err = { 0 };
	vg_json_pos pos;
	json_error_t jerr;
	json_t *j;
	bool jansson_limit;
	int rc;

	rc = vg_fields_extract(fs, in, size, &f, &err);
	if (rc != VG_OK && (rc != VG_EINVAL || strncmp(err.msg, "invalid JSON at byte ", 21) != 0))
		abort();
	j = json_loadb(in, size, JSON_ALLOW_NUL, &jerr);
	jansson_limit = !j && (strstr(jerr.text, "too big") || strstr(jerr.text, "overflow") ||
			       strstr(jerr.text, "NUL byte in object key"));
	if (rc == VG_OK) {
		if (!jansson_limit && (!j || !json_is_object(j)))
			abort();
		check_values(fs, &f, in, size);
		/* jansson keeps the last of duplicate keys. */
		json_t *s = j ? json_object_get(j, "s") : NULL;
		if (json_is_string(s)) {
			const vg_fvalue *v = vg_fields_first(&f, s_id), *last = v;

			while (v && (v = vg_fields_next(&f, v)))
				last = v;
			if (!last || last->len != json_string_length(s) ||
			    memcmp(last->ptr, json_string_value(s), last->len) != 0)
				abort();
		}
	} else if (j && json_is_object(j) && depth_of(j) <= VG_JSON_MAX_DEPTH &&
		   !memchr(in, '\0', size)) {
		/* (jansson takes a NUL byte after a number or literal for the
		 * end of the token, and reads on.) */
		abort();
	}
	json_decref(j);

	/* The scan of the whole input, then of prefixes of it. */
	rc = vg_fields_scan(fs, in, size, &f, &pos, &err);
	if ((rc == VG_OK) != (pos.fault == VG_JSON_OK) || pos.end > size)
		abort();
	if (rc == VG_OK)
		check_values(fs, &f, in, size);
	check_prefix(fs, in, size, size ? (data[0] * 131u + data[size - 1]) % (size + 1) : 0, &pos);
	check_prefix(fs, in, size, pos.end, &pos);
	if (pos.end)
		check_prefix(fs, in, size, pos.end - 1, &pos);
	check_prefix(fs, in, size, pos.end + 1, &pos);
	check_prefix(fs, in, size, pos.end + LOOKAHEAD, &pos);
	vg_fields_release(&f);
	return 0;
}
