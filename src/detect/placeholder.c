/* placeholder.c - reading placeholder values (see placeholder.h). */
#include "detect/placeholder.h"

#include <string.h>

#include "core/xalloc.h"
#include "core/yaml.h"

static void placeholder_release(vg_placeholder *p)
{
	size_t i;

	for (i = 0; i < p->nvalues; i++)
		free(p->values[i]);
	free(p->values);
	free(p->name);
}

typedef struct loading {
	vg_placeholders added;
	const char *origin;
} loading;

static int read_root(void *arg, struct fy_node *root, vg_error *err)
{
	loading *ld = arg;
	struct fy_node_pair *pair;
	void *iter = NULL;

	if (!root)
		return VG_OK;
	if (!fy_node_is_mapping(root))
		return vg_error_set(err, VG_EINVAL, "%s:%d: expected a map of placeholder names to lists",
				    ld->origin, vg_yaml_line(root));
	while ((pair = fy_node_mapping_iterate(root, &iter)) != NULL) {
		struct fy_node *list = fy_node_pair_value(pair), *e;
		vg_placeholder *p;
		void *it2 = NULL;

		if (!list || !fy_node_is_sequence(list))
			return vg_error_set(err, VG_EINVAL, "%s:%d: placeholder values must be a list",
					    ld->origin, vg_yaml_line(fy_node_pair_key(pair)));
		ld->added.v = vg_xrealloc(ld->added.v, (ld->added.n + 1) * sizeof(*p));
		p = &ld->added.v[ld->added.n++];
		memset(p, 0, sizeof(*p));
		p->name = vg_yaml_text_dup(fy_node_pair_key(pair));
		while ((e = fy_node_sequence_iterate(list, &it2)) != NULL) {
			if (!fy_node_is_scalar(e) || vg_yaml_is_null(e))
				return vg_error_set(err, VG_EINVAL,
						    "%s:%d: placeholder %s: values are strings", ld->origin,
						    vg_yaml_line(e), p->name);
			p->values = vg_xrealloc(p->values, (p->nvalues + 1) * sizeof(char *));
			p->values[p->nvalues++] = vg_yaml_text_dup(e);
		}
		if (!p->nvalues)
			return vg_error_set(err, VG_EINVAL, "%s:%d: placeholder %s has no values",
					    ld->origin, vg_yaml_line(fy_node_pair_key(pair)), p->name);
	}
	return VG_OK;
}

int vg_placeholders_load(vg_placeholders *ph, const char *text, size_t len, const char *origin,
			 vg_error *err)
{
	loading ld = { .origin = origin };
	size_t i;
	int rc = vg_yaml_each_document(text, len, origin, read_root, &ld, err);

	if (rc) {
		for (i = 0; i < ld.added.n; i++)
			placeholder_release(&ld.added.v[i]);
		free(ld.added.v);
		return rc;
	}
	ph->v = vg_xrealloc(ph->v, (ph->n + ld.added.n + 1) * sizeof(*ph->v));
	memcpy(ph->v + ph->n, ld.added.v, ld.added.n * sizeof(*ph->v));
	ph->n += ld.added.n;
	free(ld.added.v);
	return VG_OK;
}

const vg_placeholder *vg_placeholders_find(const vg_placeholders *ph, const char *name, size_t len)
{
	size_t i;

	for (i = 0; ph && i < ph->n; i++)
		if (strlen(ph->v[i].name) == len && memcmp(ph->v[i].name, name, len) == 0)
			return &ph->v[i];
	return NULL;
}

void vg_placeholders_release(vg_placeholders *ph)
{
	size_t i;

	for (i = 0; i < ph->n; i++)
		placeholder_release(&ph->v[i]);
	free(ph->v);
	memset(ph, 0, sizeof(*ph));
}
