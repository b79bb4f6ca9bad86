/*
 * rule.h - Sigma rules as read from YAML (specification 2.1), checked but
 * not yet compiled.
 *
 * vg_rules_load reads a file's documents into vg_rule records: detection
 * rules, filters (meta rules that add exceptions to other rules) and
 * correlation rules. Everything the specification defines is either
 * represented here or refused with "file:line: feature" so a rule never
 * loads with part of its logic silently dropped. engine.h compiles the
 * records into a matcher.
 */
#ifndef VG_DETECT_RULE_H
#define VG_DETECT_RULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

/* Value modifiers, as a bit set on a field test. */
enum {
	VG_MOD_CONTAINS = 1u << 0,
	VG_MOD_STARTSWITH = 1u << 1,
	VG_MOD_ENDSWITH = 1u << 2,
	VG_MOD_ALL = 1u << 3,
	VG_MOD_RE = 1u << 4,
	VG_MOD_RE_I = 1u << 5,
	VG_MOD_RE_M = 1u << 6,
	VG_MOD_RE_S = 1u << 7,
	VG_MOD_CIDR = 1u << 8,
	VG_MOD_BASE64 = 1u << 9,
	VG_MOD_BASE64OFFSET = 1u << 10,
	VG_MOD_UTF16LE = 1u << 11,
	VG_MOD_UTF16BE = 1u << 12,
	VG_MOD_UTF16 = 1u << 13,
	VG_MOD_WINDASH = 1u << 14,
	VG_MOD_EXISTS = 1u << 15,
	VG_MOD_EXPAND = 1u << 16,
	VG_MOD_FIELDREF = 1u << 17,
	VG_MOD_NEQ = 1u << 18,
	VG_MOD_LT = 1u << 19,
	VG_MOD_LTE = 1u << 20,
	VG_MOD_GT = 1u << 21,
	VG_MOD_GTE = 1u << 22,
	VG_MOD_CASED = 1u << 23,
	VG_MOD_MINUTE = 1u << 24,
	VG_MOD_HOUR = 1u << 25,
	VG_MOD_DAY = 1u << 26,
	VG_MOD_WEEK = 1u << 27,
	VG_MOD_MONTH = 1u << 28,
	VG_MOD_YEAR = 1u << 29,
};
#define VG_MOD_COMPARE (VG_MOD_LT | VG_MOD_LTE | VG_MOD_GT | VG_MOD_GTE)
#define VG_MOD_DATEPART \
	(VG_MOD_MINUTE | VG_MOD_HOUR | VG_MOD_DAY | VG_MOD_WEEK | VG_MOD_MONTH | VG_MOD_YEAR)
#define VG_MOD_UTF16_ANY (VG_MOD_UTF16LE | VG_MOD_UTF16BE | VG_MOD_UTF16)

enum vg_value_type { VG_VALUE_STRING, VG_VALUE_NUMBER, VG_VALUE_BOOL, VG_VALUE_NULL };

/* One value as written in the rule: a string keeps its Sigma escapes and
 * wildcards (engine.c interprets them); a number or boolean its text. */
typedef struct vg_sigma_value {
	enum vg_value_type type;
	char *text;
	size_t len;
} vg_sigma_value;

/* "field|mod|mod: values" - or, with field NULL, a keyword list. */
typedef struct vg_sigma_item {
	char *field;
	uint32_t mods;
	vg_sigma_value *values;
	size_t nvalues;
	int line;
} vg_sigma_item;

/* A map: its items ANDed. */
typedef struct vg_sigma_map {
	vg_sigma_item *items;
	size_t nitems;
} vg_sigma_map;

/* A search identifier: its maps ORed (a plain map is a list of one). */
typedef struct vg_sigma_search {
	char *name;
	vg_sigma_map *maps;
	size_t nmaps;
	int line;
} vg_sigma_search;

enum vg_cond_op { VG_COND_REF, VG_COND_AND, VG_COND_OR, VG_COND_NOT };

/* A condition, with "1 of x*" and "all of them" already expanded into
 * OR/AND over the searches they name. */
typedef struct vg_cond {
	enum vg_cond_op op;
	size_t search;       /* VG_COND_REF: index into the rule's searches */
	struct vg_cond **kids; /* AND, OR: two or more; NOT: one */
	size_t nkids;
} vg_cond;

enum vg_rule_kind { VG_RULE_DETECTION, VG_RULE_FILTER, VG_RULE_CORRELATION };

enum vg_corr_type {
	VG_CORR_EVENT_COUNT,
	VG_CORR_VALUE_COUNT,
	VG_CORR_VALUE_SUM,
	VG_CORR_VALUE_AVG,
	VG_CORR_VALUE_PERCENTILE,
	VG_CORR_TEMPORAL,
	VG_CORR_TEMPORAL_ORDERED,
};

/* The type's name in Sigma ("event_count"). */
const char *vg_corr_type_name(enum vg_corr_type type);

/* A correlation condition such as {gte: 10, lt: 100}: each present
 * comparison must hold. For the value_* types, fields names what is
 * counted, summed or averaged (value_count may count tuples of several). */
enum vg_corr_op { VG_CORR_LT, VG_CORR_LTE, VG_CORR_GT, VG_CORR_GTE, VG_CORR_EQ, VG_CORR_NEQ, VG_CORR_NOPS };
typedef struct vg_corr_cond {
	bool has[VG_CORR_NOPS];
	double value[VG_CORR_NOPS];
	char **fields;
	size_t nfields;
} vg_corr_cond;

/* An alias: one name for a differently named field in each rule. */
typedef struct vg_corr_alias {
	char *name;
	char **rules; /* rule id or name, parallel to fields */
	char **fields;
	size_t n;
} vg_corr_alias;

/* A test event attached to a rule (Vigil's "tests:" attribute). */
typedef struct vg_rule_sample {
	char *json;
	bool match;
	int line;
} vg_rule_sample;

typedef struct vg_rule {
	enum vg_rule_kind kind;
	char *origin; /* file the rule came from */
	int line;     /* where its document starts */
	char *id;     /* may be NULL */
	char *name;   /* may be NULL */
	char *title;
	char *level;  /* informational, low, medium, high, critical; may be NULL */
	char *description; /* may be NULL */
	char *status;
	char **tags;
	size_t ntags;
	char *product, *category, *service; /* logsource; each may be NULL */

	vg_sigma_search *searches;
	size_t nsearches;
	vg_cond *cond; /* detection and filter rules */

	char **targets; /* filter: rules it applies to ("any": all); correlation: rules it reads */
	size_t ntargets;

	enum vg_corr_type corr_type;
	char **group_by;
	size_t ngroup_by;
	int64_t timespan_ms;
	vg_corr_cond corr_cond;
	vg_corr_alias *aliases;
	size_t naliases;
	bool generate; /* correlation: also emit the base rules' own alerts */

	vg_rule_sample *samples;
	size_t nsamples;
} vg_rule;

/* A list of rules, grown by vg_rules_load. */
typedef struct vg_ruleset {
	vg_rule **rules;
	size_t n, cap;
} vg_ruleset;

/*
 * Reads every document of the YAML text (len bytes) as a Sigma rule and
 * appends them to set. origin names the file in errors:
 *   "rules/x.yml:14: unknown modifier \"contain\""
 *   "rules/x.yml:20: condition: no search identifier matches \"sel*\""
 * On error nothing of this text is appended.
 */
int vg_rules_load(vg_ruleset *set, const char *text, size_t len, const char *origin,
		  vg_error *err);

/* Reads the rules Vigil ships (content/rules/, carried in the binary);
 * their origin is "content/rules/<path>". */
int vg_rules_load_builtin(vg_ruleset *set, vg_error *err);

/* Reads one rule file whole (at most 4 MiB) with vg_rules_load. */
int vg_rules_load_file(vg_ruleset *set, const char *path, vg_error *err);

/* The rule files a path names: the path itself when it is a file, else
 * every *.yml and *.yaml below the directory, sorted by path. */
typedef struct vg_rule_files {
	char **paths;
	size_t n;
} vg_rule_files;
int vg_rule_files_list(const char *path, vg_rule_files *out, vg_error *err);
void vg_rule_files_release(vg_rule_files *files);

/* Reads every rule file of path (vg_rule_files_list). Stops at the first
 * error. */
int vg_rules_load_path(vg_ruleset *set, const char *path, vg_error *err);

/* Appends r, which set then owns. */
void vg_ruleset_push(vg_ruleset *set, vg_rule *r);

/* The rule whose id or name is ref, or NULL. */
const vg_rule *vg_ruleset_find(const vg_ruleset *set, const char *ref);

/* Checks the references between the rules of set: every rule a
 * correlation reads is loaded and is not a filter. */
int vg_ruleset_link(const vg_ruleset *set, vg_error *err);

void vg_ruleset_release(vg_ruleset *set);
void vg_rule_free(vg_rule *r);

/* Reads one Sigma map ({field|mods: values}) from YAML - for data files
 * that state conditions in Sigma's own syntax (source-type gates). */
struct fy_node;
int vg_sigma_map_read(struct fy_node *n, const char *origin, vg_sigma_map *out, vg_error *err);
void vg_sigma_map_release(vg_sigma_map *m);

/*
 * Parses a condition expression against the search names of a rule
 * (exposed for the hunt query, which is a condition over its own
 * searches). *out is a new tree (vg_cond_free). VG_EINVAL naming the
 * problem and its column: "column 12: expected ')'".
 */
int vg_cond_parse(const char *text, const vg_sigma_search *searches, size_t nsearches,
		  vg_cond **out, vg_error *err);
void vg_cond_free(vg_cond *c);

#endif
