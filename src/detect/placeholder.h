/*
 * placeholder.h - what Sigma placeholders stand for.
 *
 * A rule may name a set it cannot know, such as `User|expand:
 * '%Administrators%'`; the values come at use time from the MSSP's
 * knowledge of a customer (its admin accounts, its jump servers). A
 * placeholder file is YAML mapping each name (without the percent signs) to
 * a list of values, which are Sigma strings (wildcards allowed):
 *
 *   Administrators: [admin, 'adm_*']
 *   JumpServers: [jump-01, jump-02]
 *
 * A rule whose placeholder has no values is refused, as the specification
 * asks of a tool that cannot resolve it.
 */
#ifndef VG_DETECT_PLACEHOLDER_H
#define VG_DETECT_PLACEHOLDER_H

#include <stddef.h>

#include "core/error.h"

typedef struct vg_placeholder {
	char *name;
	char **values;
	size_t nvalues;
} vg_placeholder;

typedef struct vg_placeholders {
	vg_placeholder *v;
	size_t n;
} vg_placeholders;

/* Adds the placeholders of a YAML document (len bytes; origin names it in
 * errors). On error nothing is added. */
int vg_placeholders_load(vg_placeholders *ph, const char *text, size_t len, const char *origin,
			 vg_error *err);

/* The placeholder called name (len bytes), or NULL. */
const vg_placeholder *vg_placeholders_find(const vg_placeholders *ph, const char *name,
					   size_t len);

void vg_placeholders_release(vg_placeholders *ph);

#endif
