/*
 * test_affix.c - literal prefixes and suffixes found by trie walk
 * (detect/affix.h): every literal that matches is reported, once, shortest
 * first, with ASCII case folding only for caseless sets.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "detect/affix.h"

typedef struct found {
	char text[128];
} found;

static void collect(void *arg, uint32_t id)
{
	found *f = arg;
	size_t used = strlen(f->text);

	snprintf(f->text + used, sizeof(f->text) - used, "%s%u", used ? "," : "", id);
}

static const char *find(const vg_affix *a, const char *text, found *f)
{
	f->text[0] = '\0';
	vg_affix_find(a, text, strlen(text), collect, f);
	return f->text;
}

static void suffixes_caseless(void **state)
{
	vg_affix *a = vg_affix_new(true, false);
	found f;

	(void)state;
	vg_affix_add(a, "\\cmd.exe", 8, 1);
	vg_affix_add(a, ".exe", 4, 2);
	vg_affix_add(a, "md.exe", 6, 3);
	vg_affix_add(a, ".exe", 4, 4);  /* a second rule's test on the same literal */
	vg_affix_add(a, ".exe", 4, 2);  /* the same id again is kept once */
	assert_string_equal(find(a, "C:\\Windows\\System32\\CMD.EXE", &f), "2,4,3,1");
	assert_string_equal(find(a, "C:\\tools\\xcmd.exe", &f), "2,4,3");
	assert_string_equal(find(a, "cmd.exe", &f), "2,4,3");
	assert_string_equal(find(a, "cmd.exe ", &f), "");
	assert_string_equal(find(a, "exe", &f), "");
	assert_string_equal(find(a, "", &f), "");
	/* Folding is ASCII only, as Vectorscan's caseless matching is. */
	vg_affix_add(a, "\xc3\xa9.txt", 6, 5);
	assert_string_equal(find(a, "r\xc3\xa9.TXT", &f), "5");
	assert_string_equal(find(a, "R\xc3\x89.txt", &f), "");
	vg_affix_free(a);
}

static void prefixes_cased(void **state)
{
	vg_affix *a = vg_affix_new(false, true);
	found f;

	(void)state;
	vg_affix_add(a, "C:\\Windows\\", 11, 1);
	vg_affix_add(a, "C:\\Windows\\Temp\\", 16, 2);
	vg_affix_add(a, "C:\\", 3, 3);
	assert_string_equal(find(a, "C:\\Windows\\Temp\\x.ps1", &f), "3,1,2");
	assert_string_equal(find(a, "c:\\windows\\temp\\x.ps1", &f), "");
	assert_string_equal(find(a, "C:\\Windows", &f), "3");
	vg_affix_free(a);
}

static void empty_literal_matches_every_text(void **state)
{
	vg_affix *a = vg_affix_new(false, false);
	found f;

	(void)state;
	vg_affix_add(a, "", 0, 7);
	vg_affix_add(a, "a", 1, 8);
	assert_string_equal(find(a, "", &f), "7");
	assert_string_equal(find(a, "Abc", &f), "7,8");
	vg_affix_free(a);
}

/* A node with more children than a short list holds switches to a table;
 * every child stays reachable, added before the switch or after it. */
static void wide_nodes(void **state)
{
	vg_affix *a = vg_affix_new(false, true);
	char lit[3] = { 0 }, want[8];
	found f;

	(void)state;
	for (unsigned i = 0; i < 40; i++) {
		lit[0] = (char)('0' + i);
		lit[1] = 'z';
		vg_affix_add(a, lit, 2, i);
	}
	for (unsigned i = 0; i < 40; i++) {
		lit[0] = (char)('0' + i);
		snprintf(want, sizeof(want), "%u", i);
		assert_string_equal(find(a, lit, &f), want);
		lit[1] = 'y';
		assert_string_equal(find(a, lit, &f), "");
		lit[1] = 'z';
	}
	vg_affix_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(suffixes_caseless),
		cmocka_unit_test(prefixes_cased),
		cmocka_unit_test(empty_literal_matches_every_text),
		cmocka_unit_test(wide_nodes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
