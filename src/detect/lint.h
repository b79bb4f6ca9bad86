/*
 * lint.h - checking and trying Sigma rules outside the pipeline: what
 * `vigil rules lint|test` and the rules API (/api/v1/rules/lint, /test)
 * share, so both judge a rule the same way.
 */
#ifndef VG_DETECT_LINT_H
#define VG_DETECT_LINT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/error.h"
#include "detect/engine.h"
#include "detect/rule.h"
#include "detect/source.h"

/*
 * Compiles the detection rules and filters of set on their own, for the
 * errors only compilation finds (regular expressions, encodings).
 * Placeholders get their values where a rule is used, so an undefined one
 * compiles as its own name here.
 */
int vg_rules_compile_check(const vg_ruleset *set, vg_error *err);

/*
 * What `vigil rules lint` does with one file's text: reads its rules into
 * set (vg_rules_load) and compiles them (vg_rules_compile_check). On error
 * set holds none of them and err is "origin:LINE: problem".
 */
int vg_rules_lint(vg_ruleset *set, const char *text, size_t len, const char *origin,
		  vg_error *err);

/* Compiles rule r alone for events of type (NULL: plain JSON, field names
 * as paths); r must outlive *out. */
int vg_engine_new_one(const vg_rule *r, const vg_source_type *type, vg_engine **out,
		      vg_error *err);

/*
 * Matches one JSON event against rules[0..n) compiled together (filters
 * among them apply) for type (NULL: plain JSON). matched (room for n) gets
 * the rules that matched, in order, and *nmatched their count. VG_EINVAL
 * when the event is not a JSON object, or a rule does not compile.
 */
int vg_rules_try(const vg_rule *const *rules, size_t n, const vg_source_type *type,
		 const char *json, size_t len, const vg_rule **matched, size_t *nmatched,
		 vg_error *err);

/*
 * Splits an error of the form "origin:LINE: message" (what vg_rules_load
 * and vg_engine_new report): the line, or 0 when msg does not start with
 * origin and a line; *message the rest (msg itself when there is none).
 */
int vg_rule_error_line(const char *msg, const char *origin, const char **message);

/*
 * The YAML text rule r was read from, as written: its document of its
 * file (the shipped copy carried in the binary for "content/rules/..."
 * origins, else the file as it is on disk now). Appended to out.
 */
int vg_rule_source(const vg_rule *r, vg_buf *out, vg_error *err);

#endif
