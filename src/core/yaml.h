/*
 * yaml.h - reading YAML documents (libfyaml) with errors that name the file
 * and line.
 *
 * libfyaml prints its diagnostics to stderr unless told otherwise; these
 * helpers collect them instead and turn the first into a vg_error
 * ("rules/x.yml:12: invalid YAML: ..."), so every YAML reader in Vigil
 * reports the same way. Trees keep marks on scalar tokens only, which is why
 * vg_yaml_line looks for a collection's first scalar.
 */
#ifndef VG_CORE_YAML_H
#define VG_CORE_YAML_H

#include <libfyaml.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"

/*
 * Calls fn for each document of the YAML stream text (len bytes), in order,
 * with its root node (NULL for an empty document). fn returns VG_OK to go on
 * or an error code to stop; the documents are freed after fn returns.
 * VG_EINVAL "origin:LINE: invalid YAML: reason" for a syntax error, after
 * the documents before it were handed to fn.
 */
typedef int (*vg_yaml_doc_fn)(void *arg, struct fy_node *root, vg_error *err);
int vg_yaml_each_document(const char *text, size_t len, const char *origin, vg_yaml_doc_fn fn,
			  void *arg, vg_error *err);

/* VG_EINVAL "origin:LINE: invalid YAML: not printable UTF-8 text" when
 * text holds what YAML text cannot (malformed UTF-8, controls, NUL). Every
 * reader checks this first: libfyaml 0.7.12 loops for ever on malformed
 * UTF-8 in a directive and drops bytes from a scalar that NULs follow. */
int vg_yaml_check_text(const char *text, size_t len, const char *origin, vg_error *err);

/* For a reader that drives libfyaml's parser itself: diagnostics that are
 * collected and never printed (NULL when out of memory; free with
 * fy_diag_destroy, which unlike unref frees what was collected), and the
 * first error they hold as VG_EINVAL "origin:LINE: invalid YAML: reason",
 * VG_OK when they hold none. */
struct fy_diag *vg_yaml_diag_new(void);
int vg_yaml_diag_error(struct fy_diag *diag, const char *origin, vg_error *err);

/* The 1-based line where n starts; 0 when libfyaml knows none (an empty
 * collection). */
int vg_yaml_line(struct fy_node *n);

/* VG_EINVAL "origin:LINE: message" for a value at node at that a reader
 * of origin refuses. */
__attribute__((format(printf, 4, 5)))
int vg_yaml_fail(vg_error *err, const char *origin, struct fy_node *at, const char *fmt, ...);

/* A YAML 1.2 core-schema null: absent, empty, ~, null, Null, NULL (plain). */
bool vg_yaml_is_null(struct fy_node *n);

/* True for a scalar written without quotes (so 12 is a number, '12' text). */
bool vg_yaml_is_plain(struct fy_node *n);

/* A scalar's text and length ("" for NULL or a collection), valid while
 * its document is. */
const char *vg_yaml_text(struct fy_node *n, size_t *len);

/* The same text, NUL-terminated (so cut at a NUL it holds). */
const char *vg_yaml_cstr(struct fy_node *n);

/* The text as a NUL-terminated copy to free (aborts when out of memory,
 * like the loaders that use it; see xalloc.h). */
char *vg_yaml_text_dup(struct fy_node *n);

/* True when the pair's key is the text name. */
bool vg_yaml_key_is(struct fy_node_pair *pair, const char *name);

/*
 * Decodes raw_len bytes between the quotes of a single-quoted scalar into
 * out (room for raw_len bytes): '' becomes ' and line breaks fold as YAML
 * 1.2 says. Returns the decoded length. Vigil decodes these itself because
 * libfyaml 0.7.12 leaks memory decoding one with several ''.
 */
size_t vg_yaml_single_quoted(const char *raw, size_t raw_len, char *out);

#endif
