/*
 * affix.h - literals a text starts or ends with, found in one walk.
 *
 * Sigma's startswith and endswith on a plain value are most of what
 * Windows rules test paths with: a field can carry a thousand of them.
 * Vectorscan compiles such anchored literals slowly in bulk (SigmaHQ's
 * 1,057 on ImageLoaded took 1.4 s together, 0.13 s one by one); a trie of
 * them, walked from the text's start (or backwards from its end), finds
 * every one that matches in at most as many steps as the longest literal
 * and costs next to nothing to build.
 *
 * A set holds literals for one end and one case rule; a caseless set folds
 * ASCII letters, as Vectorscan's caseless matching does, and expects its
 * literals already lower-cased.
 */
#ifndef VG_DETECT_AFFIX_H
#define VG_DETECT_AFFIX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct vg_affix vg_affix;

/* A set of literals matched at the end of a text (suffix) or its start. */
vg_affix *vg_affix_new(bool suffix, bool cased);
void vg_affix_free(vg_affix *a);

/* Adds a literal of len bytes that reports id; the same literal may carry
 * several ids. Aborts when out of memory (rules load at start-up). */
void vg_affix_add(vg_affix *a, const char *lit, size_t len, uint32_t id);

/* Calls found(arg, id) for the id of every literal text (len bytes)
 * starts with, or ends with for a suffix set, shortest literal first. */
typedef void (*vg_affix_found_fn)(void *arg, uint32_t id);
void vg_affix_find(const vg_affix *a, const char *text, size_t len, vg_affix_found_fn found,
		   void *arg);

#endif
