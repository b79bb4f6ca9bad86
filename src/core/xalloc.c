/* xalloc.c - aborting allocators for start-up paths (see xalloc.h). */
#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *die_if_null(void *p, size_t n)
{
	if (!p && n) {
		fprintf(stderr, "vigil: out of memory allocating %zu bytes\n", n);
		abort();
	}
	return p;
}

void *vg_xmalloc(size_t n)
{
	return die_if_null(malloc(n ? n : 1), n ? n : 1);
}

void *vg_xcalloc(size_t count, size_t size)
{
	return die_if_null(calloc(count ? count : 1, size ? size : 1), 1);
}

void *vg_xrealloc(void *p, size_t n)
{
	return die_if_null(realloc(p, n ? n : 1), n ? n : 1);
}

char *vg_xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = vg_xmalloc(n);

	memcpy(p, s, n);
	return p;
}
