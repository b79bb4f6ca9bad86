/*
 * config.h - configuration from YAML files and environment variables,
 * described by a table of keys.
 *
 * A program describes its settings once, as an array of vg_conf_key naming
 * each key, its type, where it lives in the program's config struct
 * (offsetof), its bounds, default and one line of documentation. The same
 * table then drives the YAML loader, the environment overrides, the
 * defaults and the generated documentation, so they cannot drift apart.
 *
 * YAML: nested mappings name keys by path ("http:\n  max_body_bytes: 1"
 * is key "http.max_body_bytes"; a key may also be written dotted,
 * "http.max_body_bytes: 1"). One document of mappings and scalars only:
 * sequences, anchors, aliases, tags and duplicate keys are errors.
 * Environment: key "http.max_body_bytes" is read from
 * VIGIL_HTTP_MAX_BODY_BYTES (prefix + upper case, dots to underscores).
 *
 * Values: VG_CONF_INT takes a decimal integer ([-+]?[0-9]+) within the
 * key's bounds, VG_CONF_BOOL exactly true or false, VG_CONF_STRING any
 * scalar without a NUL character. A null value (plain ~, null, Null, NULL
 * or nothing; in the environment also the empty string) sets the key to its
 * default, as if it were not written; a quoted "" is the empty string.
 *
 * Errors name the file, line and key: `vigil.yaml:12: unknown key
 * "http.max_body"`, `vigil.yaml:3: http.threads: must be an integer from 1
 * to 256`, `VIGIL_HTTP_THREADS: must be an integer from 1 to 256`.
 */
#ifndef VG_CORE_CONFIG_H
#define VG_CORE_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/error.h"

typedef enum vg_conf_type {
	VG_CONF_STRING, /* char * field, malloc'd; NULL when unset without a default */
	VG_CONF_INT,    /* int64_t field, within [min, max] */
	VG_CONF_BOOL,   /* bool field: true/false (YAML 1.2 core schema) */
} vg_conf_type;

typedef struct vg_conf_key {
	const char *name;          /* dotted path, e.g. "http.max_body_bytes" */
	vg_conf_type type;
	size_t offset;             /* offsetof(struct, field) */
	int64_t min, max;          /* VG_CONF_INT bounds, inclusive */
	const char *default_value; /* as it would be written in YAML; NULL: none */
	const char *doc;           /* one sentence for docs/config.md */
} vg_conf_key;

/* A table ends with an entry whose name is NULL. VG_CONF_INT and
 * VG_CONF_BOOL keys must have a default. */

/* Longest key name, in bytes, a table may hold. */
#define VG_CONF_NAME_MAX 128

/* Largest configuration file vg_conf_apply_file reads. */
#define VG_CONF_FILE_MAX (1024 * 1024)

/*
 * Sets every key to its default; frees strings set before (cfg must be
 * zeroed or hold strings from these functions). VG_EINVAL when a default
 * does not parse (a defect in the table).
 */
int vg_conf_defaults(const vg_conf_key *keys, void *cfg, vg_error *err);

/*
 * Applies the YAML document in data (len bytes; `origin` names it in errors,
 * usually the file name). The empty document is valid. Nothing is changed
 * in cfg unless the whole document is valid.
 */
int vg_conf_apply_yaml(const vg_conf_key *keys, void *cfg, const char *data, size_t len,
		       const char *origin, vg_error *err);

/* Reads path and applies it (errors name path as the origin); a missing
 * file is VG_ENOTFOUND, an unreadable one VG_EIO, one larger than
 * VG_CONF_FILE_MAX or invalid VG_EINVAL. */
int vg_conf_apply_file(const vg_conf_key *keys, void *cfg, const char *path, vg_error *err);

/* Applies every PREFIX* variable of envp (NULL-terminated "NAME=value"
 * strings, normally `environ`) that names a key; a PREFIX* variable naming
 * no key, and not listed in ignore (NULL-terminated; may be NULL), is an
 * error ("VIGIL_FOO: unknown configuration variable"), so a misspelt
 * override is not silently lost. Values are read as plain YAML scalars (no
 * quoting). Nothing changes unless every variable is valid. */
int vg_conf_apply_env(const vg_conf_key *keys, void *cfg, const char *prefix,
		      char *const *envp, const char *const *ignore, vg_error *err);

/* Sets one key from its textual value, read as a plain YAML scalar;
 * `origin` (or NULL) prefixes errors: "origin: name: reason". */
int vg_conf_set(const vg_conf_key *keys, void *cfg, const char *name, const char *value,
		const char *origin, vg_error *err);

/* Frees the strings held by cfg's VG_CONF_STRING fields. */
void vg_conf_release(const vg_conf_key *keys, void *cfg);

/* Appends the reference table of keys (Markdown) for docs/config.md: one
 * row a key with its environment variable, type and range, default and
 * documentation. Fails only as out does (VG_ETOOBIG, VG_ENOMEM). */
int vg_conf_render_markdown(const vg_conf_key *keys, const char *env_prefix, vg_buf *out);

/* Appends cfg's values as YAML, one "name: value" line a key in table
 * order: strings double-quoted, unset strings null. The output is itself a
 * valid configuration file. Fails only as out does. */
int vg_conf_render_yaml(const vg_conf_key *keys, const void *cfg, vg_buf *out);

#endif
