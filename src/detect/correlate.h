/*
 * correlate.h - Sigma correlation rules over the matches of detection rules
 * (specification 2.1: event_count, value_count, value_sum, value_avg,
 * value_percentile, temporal, temporal_ordered; group-by, timespan,
 * aliases, chaining, generate).
 *
 * Compiled once from a rule set (vg_correlator, read-only), bound to each
 * detection engine whose matches feed it (vg_corr_binding: the fields the
 * correlations read, extracted by that engine), and run against state that
 * belongs to one tenant (vg_corr_state), so one compiled set serves every
 * customer with their events kept apart.
 *
 * Windows slide over event time: a correlation holds for a group when, in
 * some span of length timespan ending at an event, the condition holds.
 * Conditions that only grow true with more events (gt, gte, and temporal
 * proximity) fire at the event that makes them true, and the group starts
 * afresh. Conditions with an upper bound (lt, lte, eq, neq) can only be
 * judged when the window is over: the window opens at a group's first event
 * and closes timespan later; it is judged when a later event of the group
 * arrives, or when vg_corr_flush says time has passed it.
 *
 * value_percentile, which the specification describes only by its example
 * ("a process name seen in less than 1% of all processes"), is the share in
 * percent of the events of the group in the window whose field has the
 * value of the event just seen.
 *
 * By default (generate: false) a rule read by correlations reports no
 * alerts of its own; vg_correlator_reports says which rules do.
 */
#ifndef VG_DETECT_CORRELATE_H
#define VG_DETECT_CORRELATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/error.h"
#include "detect/engine.h"
#include "detect/extract.h"
#include "detect/rule.h"

typedef struct vg_correlator vg_correlator;
typedef struct vg_corr_binding vg_corr_binding;
typedef struct vg_corr_state vg_corr_state;

/*
 * Compiles the correlation rules of set (set must outlive the correlator).
 * Errors name the rule: an unknown rule reference, a cycle of
 * correlations, an alias for a rule the correlation does not read.
 */
int vg_correlator_new(const vg_ruleset *set, vg_correlator **out, vg_error *err);
void vg_correlator_free(vg_correlator *c);

/* How many correlation rules it runs. */
size_t vg_correlator_count(const vg_correlator *c);

/* Whether the matches of detection rule r are alerts of their own: true
 * unless r is read only by correlations without generate: true. */
bool vg_correlator_reports(const vg_correlator *c, const vg_rule *r);

/* Adds to engine e the fields the correlations read from its events
 * (before vg_matcher_new), and the event time and occurrence count of its
 * type. */
int vg_corr_bind(const vg_correlator *c, vg_engine *e, vg_corr_binding **out, vg_error *err);
void vg_corr_binding_free(vg_corr_binding *b);

/* The time of an event with fields f: its type's timestamp (ISO 8601, or
 * seconds or milliseconds since the epoch), else fallback_ms. */
int64_t vg_corr_event_time(const vg_corr_binding *b, const vg_fields *f, int64_t fallback_ms);

/* Limits of one tenant's state; 0 picks the default. A group past
 * max_groups, or an event past max_window_events in a group, is not
 * counted, and vg_corr_state_dropped counts how often that happened. */
typedef struct vg_corr_limits {
	size_t max_groups;        /* per correlation rule; default 100,000 */
	size_t max_window_events; /* per group; default 100,000 */
} vg_corr_limits;

vg_corr_state *vg_corr_state_new(const vg_correlator *c, const vg_corr_limits *limits);
void vg_corr_state_free(vg_corr_state *s);
uint64_t vg_corr_state_dropped(const vg_corr_state *s);

/* A correlation that held. group_values[i] is the value of group_names[i]
 * (ptr NULL when the events had none). event is the event that made it
 * hold, or NULL when a window was judged after it closed. */
typedef struct vg_corr_hit {
	const vg_rule *rule;
	int64_t first_ms, last_ms; /* the span of the events that made it hold */
	double value;              /* the count, sum, average or share compared */
	size_t ngroup;
	char *const *group_names;
	const vg_str *group_values;
	const char *event;
	size_t event_len;
} vg_corr_hit;

/* Called for each hit; returning an error stops the feed with it. */
typedef int (*vg_corr_hit_fn)(void *arg, const vg_corr_hit *hit, vg_error *err);

/*
 * Feeds one event's matches (from the engine b is bound to) at time_ms.
 * VG_ENOMEM when state could not grow.
 */
int vg_corr_feed(vg_corr_state *s, const vg_corr_binding *b, const vg_rule *const *matched,
		 size_t nmatched, const vg_fields *f, int64_t time_ms, const char *event,
		 size_t event_len, vg_corr_hit_fn fn, void *arg, vg_error *err);

/* Judges the windows that closed before now_ms (INT64_MAX: all of them,
 * at the end of the input) and forgets groups with nothing in their window. */
int vg_corr_flush(vg_corr_state *s, int64_t now_ms, vg_corr_hit_fn fn, void *arg,
		  vg_error *err);

#endif
