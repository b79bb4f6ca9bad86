/*
 * source.h - source types (content/sources.yaml): how a kind of log source
 * is parsed, which Sigma log sources it carries and how Sigma's field names
 * map onto its events.
 */
#ifndef VG_DETECT_SOURCE_H
#define VG_DETECT_SOURCE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"
#include "detect/rule.h"

/* A logsource value a type serves, with the condition an event must meet
 * to belong to it (gate NULL: every event does). */
typedef struct vg_source_scope {
	char *name;
	vg_sigma_map *gate;
} vg_source_scope;

/*
 * A message template: which fields a program's message carries, such as
 * sshd's "Failed {auth_method} for {user} from {source_ip} port
 * {source_port:int}{*}". Literal text must match exactly; {name} takes the
 * shortest text that lets the rest match, {name:int} digits only,
 * {name:word} no spaces, {*} anything (kept nowhere). An int or word field
 * followed by another field takes all the digits or word it can. When a template
 * matches, its fields and its "set" constants are added to the event.
 */
enum vg_template_kind { VG_TPL_LITERAL, VG_TPL_TEXT, VG_TPL_INT, VG_TPL_WORD, VG_TPL_SKIP };

typedef struct vg_template_part {
	enum vg_template_kind kind;
	char *text; /* the literal, or the field name */
	size_t len;
} vg_template_part;

typedef struct vg_extractor {
	char *app; /* the syslog APP-NAME (TAG) it applies to */
	vg_template_part *parts;
	size_t nparts;
	char **set_keys, **set_json; /* constants: name -> JSON value text */
	size_t nset;
	int line;
} vg_extractor;

typedef struct vg_source_type {
	char *name;
	char *parser;    /* "json", "syslog" or "combined" */
	char **timestamps; /* paths of the event time, the first present wins */
	size_t ntimestamps;
	char **products;
	size_t nproducts;
	vg_source_scope *services, *categories;
	size_t nservices, ncategories;
	char **map_from, **map_to; /* Sigma field -> path */
	size_t nmap;
	char **field_prefixes; /* for unlisted fields; none: the name is the path */
	size_t nfield_prefixes;
	char **keywords;    /* NULL: every string of the event */
	size_t nkeywords;
	char **ioc_fields[4]; /* per vg_ioc_type: fields whose values are looked up */
	size_t nioc_fields[4];
	bool has_ioc_fields; /* false: every string value, by its shape */
	vg_extractor *extractors; /* syslog: message templates, tried in order */
	size_t nextractors;
	char *occurrences; /* field counting how many occurrences an event stands for */
	char **records; /* keys of a list an object holds its events in ({"Records": [...]}) */
	size_t nrecords;
	bool has_timezone; /* stamps without a zone are at timezone_minutes east of UTC */
	int timezone_minutes;
} vg_source_type;

/* The built-in types, parsed once and shared read-only (NULL with err
 * filled when the embedded data is bad, a build defect). */
const vg_source_type *vg_source_type_find(const char *name, vg_error *err);

/* "json, cloudtrail, ..." for messages and --help. */
const char *vg_source_type_names(void);

#define VG_PATH_MAX 512

/* The JSON paths a rule's field name reads in events of type t (one per
 * field prefix, or the one mapped path), written to out; returns how many
 * (at most max, at least 1). */
size_t vg_source_type_paths(const vg_source_type *t, const char *field, char out[][VG_PATH_MAX],
			    size_t max);

/*
 * Whether rule r applies to events of type t, and if so the gates (at most
 * two: category and service) its matches must also pass. A type serving
 * nothing in particular (json) takes every rule without gates.
 */
bool vg_source_type_serves(const vg_source_type *t, const vg_rule *r,
			   const vg_sigma_map *gates[2], size_t *ngates);

/* The first built-in type (other than json) that serves rule r's log
 * source, or NULL. */
const vg_source_type *vg_source_type_for_rule(const vg_rule *r);

#endif
