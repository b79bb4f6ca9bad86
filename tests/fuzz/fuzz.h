/*
 * fuzz.h - the entry point every fuzz target defines.
 *
 * With VIGIL_FUZZ the targets link libFuzzer, which calls it with generated
 * inputs; otherwise standalone_main.c calls it once for each file of the
 * target's seed corpus, so the corpus runs as a regression test in ctest.
 * A target aborts (or trips a sanitizer) when an input breaks a promise of
 * the parser under test, and returns 0 otherwise.
 */
#ifndef VG_TESTS_FUZZ_H
#define VG_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The line parsers' shared checks (line_parser_fuzz.c), on the parser of
 * the source type named type_name. */
void fuzz_line_parser(const char *type_name, const uint8_t *data, size_t size);

#endif
