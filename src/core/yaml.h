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

/* The 1-based line where n starts; 0 when libfyaml knows none (an empty
 * collection). */
int vg_yaml_line(struct fy_node *n);

/* A YAML 1.2 core-schema null: absent, empty, ~, null, Null, NULL (plain). */
bool vg_yaml_is_null(struct fy_node *n);

/* True for a scalar written without quotes (so 12 is a number, '12' text). */
bool vg_yaml_is_plain(struct fy_node *n);

/* A scalar's text and length ("" for NULL or a collection). */
const char *vg_yaml_text(struct fy_node *n, size_t *len);

#endif
