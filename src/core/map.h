/*
 * map.h - a hash map from byte-string keys to pointers.
 *
 * Open addressing with linear probing; keys are copied and owned by the
 * map, values are the caller's. Allocation is fallible (VG_ENOMEM), so the
 * map can hold data-plane state under a cap the caller enforces with
 * vg_map_count.
 */
#ifndef VG_CORE_MAP_H
#define VG_CORE_MAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct vg_map_entry {
	char *key; /* NULL: empty; the map's tombstone marker: deleted */
	size_t len;
	uint64_t hash;
	void *value;
} vg_map_entry;

typedef struct vg_map {
	vg_map_entry *slots;
	size_t cap;   /* a power of two, or 0 */
	size_t count; /* live entries */
	size_t used;  /* live and deleted entries */
} vg_map;

#define VG_MAP_INIT { NULL, 0, 0, 0 }

uint64_t vg_hash_bytes(const void *data, size_t len);

/* The value stored under key, or NULL. */
void *vg_map_get(const vg_map *m, const void *key, size_t len);

/*
 * The entry for key, created with value NULL when absent (*created says
 * which). NULL when out of memory. The entry stays valid until the next
 * vg_map_put or vg_map_del.
 */
vg_map_entry *vg_map_put(vg_map *m, const void *key, size_t len, int *created);

/* Removes key; returns its value (NULL when absent). */
void *vg_map_del(vg_map *m, const void *key, size_t len);

static inline size_t vg_map_count(const vg_map *m)
{
	return m->count;
}

/* Iteration: *i starts at 0; returns the next live entry or NULL. */
vg_map_entry *vg_map_next(const vg_map *m, size_t *i);

/* Frees the keys and slots (not the values). */
void vg_map_release(vg_map *m);

#endif
