/* map.c - open-addressing hash map (see map.h). */
#include "core/map.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"

/* A key pointer no allocation returns: marks a deleted slot. */
static char tombstone;

uint64_t vg_hash_bytes(const void *data, size_t len)
{
	const unsigned char *p = data;
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	/* FNV-1a, then a final mix so that low bits spread for the mask. */
	for (i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

static vg_map_entry *find(const vg_map *m, const void *key, size_t len, uint64_t h)
{
	size_t mask = m->cap - 1, i;

	if (!m->cap)
		return NULL;
	for (i = h & mask;; i = (i + 1) & mask) {
		vg_map_entry *e = &m->slots[i];

		if (!e->key)
			return NULL;
		if (e->key != &tombstone && e->hash == h && e->len == len &&
		    memcmp(e->key, key, len) == 0)
			return e;
	}
}

void *vg_map_get(const vg_map *m, const void *key, size_t len)
{
	vg_map_entry *e = find(m, key, len, vg_hash_bytes(key, len));

	return e ? e->value : NULL;
}

static int grow(vg_map *m)
{
	/* Double when a quarter is live; else rehash in place to drop tombstones. */
	size_t cap = !m->cap ? 16 : m->count * 4 > m->cap ? m->cap * 2 : m->cap;
	vg_map_entry *slots = calloc(cap, sizeof(*slots));
	size_t i;

	if (!slots)
		return VG_ENOMEM;
	for (i = 0; i < m->cap; i++) {
		vg_map_entry *e = &m->slots[i];
		size_t j;

		if (!e->key || e->key == &tombstone)
			continue;
		for (j = e->hash & (cap - 1); slots[j].key; j = (j + 1) & (cap - 1))
			;
		slots[j] = *e;
	}
	free(m->slots);
	m->slots = slots;
	m->cap = cap;
	m->used = m->count;
	return VG_OK;
}

vg_map_entry *vg_map_put(vg_map *m, const void *key, size_t len, int *created)
{
	uint64_t h = vg_hash_bytes(key, len);
	vg_map_entry *e = find(m, key, len, h);
	size_t i, mask;
	char *copy;

	*created = 0;
	if (e)
		return e;
	/* Keep at most half the slots in use (live or deleted). */
	if ((m->used + 1) * 2 > m->cap && grow(m))
		return NULL;
	copy = malloc(len ? len : 1);
	if (!copy)
		return NULL;
	memcpy(copy, key, len);
	mask = m->cap - 1;
	for (i = h & mask; m->slots[i].key && m->slots[i].key != &tombstone; i = (i + 1) & mask)
		;
	e = &m->slots[i];
	if (!e->key)
		m->used++;
	*e = (vg_map_entry){ copy, len, h, NULL };
	m->count++;
	*created = 1;
	return e;
}

void *vg_map_del(vg_map *m, const void *key, size_t len)
{
	vg_map_entry *e = find(m, key, len, vg_hash_bytes(key, len));
	void *v;

	if (!e)
		return NULL;
	v = e->value;
	free(e->key);
	e->key = &tombstone;
	e->value = NULL;
	m->count--;
	return v;
}

vg_map_entry *vg_map_next(const vg_map *m, size_t *i)
{
	for (; *i < m->cap; (*i)++) {
		vg_map_entry *e = &m->slots[*i];

		if (e->key && e->key != &tombstone) {
			(*i)++;
			return e;
		}
	}
	return NULL;
}

void vg_map_release(vg_map *m)
{
	size_t i;

	for (i = 0; i < m->cap; i++)
		if (m->slots[i].key && m->slots[i].key != &tombstone)
			free(m->slots[i].key);
	free(m->slots);
	memset(m, 0, sizeof(*m));
}
