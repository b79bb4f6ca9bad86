/*
 * finding.h - the alerts cloud security products raise, read into Vigil's
 * one alert model, and the asset and actor any event names
 * (content/findings.yaml).
 *
 * The model is OCSF's Detection Finding cut to what triage needs: who
 * raised it (vendor, product), the vendor's id and detection type, title,
 * description, category, the native severity and OCSF's severity_id, the
 * vendor's own state of it, the resource (asset) and the actor. Mappings
 * are data, one entry per source type; a vendor's new schema version is a
 * new path in a list, not new code.
 */
#ifndef VG_INGEST_FINDING_H
#define VG_INGEST_FINDING_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"

typedef struct vg_finding_type vg_finding_type;

/* The mapping of a source type, or NULL when it has none (err filled only
 * when the embedded data is bad, a build defect). */
const vg_finding_type *vg_finding_type_find(const char *type, vg_error *err);

/* Whether the type's events are a product's alerts (it has "finding"). */
bool vg_finding_type_raises(const vg_finding_type *t);

/* The asset and the actor keys, in the order alerts and assets show them. */
enum { VG_RESOURCE_INSTANCE_ID, VG_RESOURCE_IP, VG_RESOURCE_HOSTNAME, VG_RESOURCE_REGION,
       VG_RESOURCE_ACCOUNT, VG_RESOURCE_CLOUD, VG_RESOURCE_NKEYS };
enum { VG_ACTOR_USER, VG_ACTOR_IP, VG_ACTOR_NKEYS };
extern const char *const vg_resource_keys[VG_RESOURCE_NKEYS];
extern const char *const vg_actor_keys[VG_ACTOR_NKEYS];

typedef struct vg_finding {
	char *uid;     /* the vendor's id of it */
	char *rule_id; /* "<type>:<detection type>" */
	char *title;
	char *description, *category, *status; /* NULL when not given */
	char *vendor, *product;
	char *native_severity;
	int severity_id; /* OCSF 1-5 */
	char *resource[VG_RESOURCE_NKEYS]; /* NULL when not given */
	char *actor[VG_ACTOR_NKEYS];
} vg_finding;

/*
 * The findings of one event of a type that raises them (one, or one per
 * element of its "each" list), in *out (n of them, free with
 * vg_findings_free). VG_EINVAL naming the finding, the field and its path
 * when a required field is missing, a field holds an object where text
 * belongs, or a severity is not on the vendor's scale; nothing is kept
 * then.
 */
int vg_findings_read(const vg_finding_type *t, json_t *event, vg_finding **out, size_t *n,
		     vg_error *err);
void vg_findings_free(vg_finding *v, size_t n);
void vg_finding_release(vg_finding *f);

/* The resource and actor an event of type t (may be NULL) names, for the
 * alerts rules raise on it: fields not given, not text, or out of memory
 * are left NULL. */
void vg_finding_describe(const vg_finding_type *t, json_t *event,
			 char *resource[VG_RESOURCE_NKEYS], char *actor[VG_ACTOR_NKEYS]);

/* {"instance_id": ..., ...} of the keys given, as compact JSON to free;
 * NULL when out of memory. */
char *vg_finding_keys_json(const char *const *keys, char *const *values, size_t n);

#endif
