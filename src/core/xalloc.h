/*
 * xalloc.h - allocation that cannot fail, for start-up and configuration.
 *
 * Out-of-memory policy: while the process starts (command-line parsing,
 * configuration, rule loading) running out of memory is fatal and these
 * helpers abort with a message. On the data plane (requests, ingest batches)
 * code calls malloc directly, checks the result and returns VG_ENOMEM, so one
 * oversized request fails alone instead of taking the server down.
 */
#ifndef VG_CORE_XALLOC_H
#define VG_CORE_XALLOC_H

#include <stddef.h>

void *vg_xmalloc(size_t n);
void *vg_xcalloc(size_t count, size_t size);
void *vg_xrealloc(void *p, size_t n);
char *vg_xstrdup(const char *s);

#endif
