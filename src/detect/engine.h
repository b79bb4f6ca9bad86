/*
 * engine.h - Sigma rules compiled into one matcher.
 *
 * Compilation gathers every value test of every loaded rule, deduplicates
 * them, and puts the string tests of each field into one Vectorscan
 * database, so that one scan of a field value answers every rule that
 * looks at that field. Tests Vectorscan cannot express run on PCRE2 (JIT);
 * null, exists, cidr, numeric, date-part and field-reference tests are
 * evaluated directly. A rule's condition becomes a small boolean program
 * over test results, run only for rules one of whose tests fired (or whose
 * condition holds with none firing, such as "not filter").
 *
 * An engine is read-only once built; each thread matches with its own
 * vg_matcher.
 */
#ifndef VG_DETECT_ENGINE_H
#define VG_DETECT_ENGINE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"
#include "detect/extract.h"
#include "detect/placeholder.h"
#include "detect/rule.h"
#include "detect/source.h"

typedef struct vg_engine vg_engine;
typedef struct vg_matcher vg_matcher;

typedef struct vg_engine_stats {
	size_t rules;        /* detection rules compiled */
	size_t skipped;      /* rules whose logsource the type does not carry */
	size_t filters;      /* filters applied to at least one rule */
	size_t tests;        /* distinct value tests */
	size_t vectorscan;   /* ... of them in Vectorscan databases */
	size_t pcre;         /* ... on PCRE2 */
	size_t fields;       /* distinct event fields read */
	size_t always;       /* rules run on every event ("not filter" alone) */
} vg_engine_stats;

typedef struct vg_engine_options {
	const vg_placeholders *placeholders; /* for expand; NULL: none defined */
	bool placeholders_unknown_ok; /* lint: compile a placeholder with no values as
				       * its own name instead of refusing the rule */
	bool any_logsource; /* hunts: every rule applies, whatever its log source */
} vg_engine_options;

/*
 * Compiles the detection rules and filters of set that apply to events of
 * type (NULL: plain JSON, field names as paths, every rule applies); opts
 * may be NULL. The engine points into set's rules (and reads opts only
 * while compiling), so set must outlive it. Errors name the rule's file and
 * line: "x.yml:12: invalid regular expression ...".
 */
int vg_engine_new(const vg_ruleset *set, const vg_source_type *type,
		  const vg_engine_options *opts, vg_engine **out, vg_error *err);
void vg_engine_free(vg_engine *e);
void vg_engine_stats_get(const vg_engine *e, vg_engine_stats *out);

/* The field id of a path in the engine's field set, added when new (for
 * callers that read more fields than rules do, such as group-by). Only
 * before the first vg_matcher_new. */
uint32_t vg_engine_field(vg_engine *e, const char *path);

/* Likewise for a field as rules name it, mapped onto the engine's type. */
uint32_t vg_engine_rule_field(vg_engine *e, const char *name);

/* The field id collecting every string value of an event (added when new;
 * before vg_matcher_new). */
uint32_t vg_engine_all_strings(vg_engine *e);

/* The source type the engine was compiled for (NULL: plain JSON). */
const vg_source_type *vg_engine_type(const vg_engine *e);

int vg_matcher_new(const vg_engine *e, vg_matcher **out, vg_error *err);
void vg_matcher_free(vg_matcher *m);

/*
 * Matches one JSON event. *matched gets the rules whose conditions hold, in
 * the order they were loaded, valid until the next call; *fields the
 * extracted values. VG_EINVAL when the event is not a valid JSON object.
 */
int vg_matcher_run(vg_matcher *m, const char *json, size_t len, const vg_rule *const **matched,
		   size_t *nmatched, vg_error *err);

/* Matches an event whose fields were already extracted with the engine's
 * field set (vg_engine_fieldset), as an ingest feed does while it reads. */
int vg_matcher_match(vg_matcher *m, const vg_fields *fields, const vg_rule *const **matched,
		     size_t *nmatched, vg_error *err);

/* What a matcher did, summed over its events: for tuning and metrics. */
typedef struct vg_matcher_counters {
	uint64_t events;
	uint64_t scans;      /* Vectorscan scans of field values */
	uint64_t pcre;       /* PCRE2 matches tried */
	uint64_t fired;      /* tests that held */
	uint64_t candidates; /* rules whose conditions were run */
	uint64_t matched;    /* rules that matched */
} vg_matcher_counters;

void vg_matcher_counters_get(const vg_matcher *m, vg_matcher_counters *out);

/* The fields of the event last matched. */
const vg_fields *vg_matcher_fields(const vg_matcher *m);

/* The paths the engine reads, for extracting them while reading events. */
const vg_fieldset *vg_engine_fieldset(const vg_engine *e);

#endif
