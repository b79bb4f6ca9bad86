/*
 * test_report_model.c - the report model's builders: section numbers, the
 * number and duration formats of both languages, the calendar's first
 * weekday, tables growing, language names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/model.h"

static void sections_are_numbered(void **state)
{
	vg_report *r = vg_report_new(VG_REPORT_EN);
	vg_report_section *s[5];

	(void)state;
	assert_non_null(r);
	s[0] = vg_report_section_add(r, 1, "Overview");
	s[1] = vg_report_section_add(r, 2, "Alerts");
	s[2] = vg_report_section_add(r, 2, "Tickets");
	s[3] = vg_report_section_add(r, 1, "Incidents");
	s[4] = vg_report_section_add(r, 2, "Timeline");
	assert_string_equal(s[0]->number, "1");
	assert_string_equal(s[1]->number, "1.1");
	assert_string_equal(s[2]->number, "1.2");
	assert_string_equal(s[3]->number, "2");
	assert_string_equal(s[4]->number, "2.1");
	assert_int_equal(s[1]->level, 2);
	assert_string_equal(s[3]->title, "Incidents");
	assert_ptr_equal(r->first, s[0]);
	assert_ptr_equal(r->last, s[4]);
	assert_ptr_equal(s[2]->next, s[3]);
	assert_int_equal(vg_report_failed(r, NULL), VG_OK);
	vg_report_free(r);
}

static void blocks_join_the_current_section(void **state)
{
	vg_report *r = vg_report_new(VG_REPORT_ZH);
	vg_report_figure figs[2] = {{"告警总数", "12,345", "较上月 +12%"}, {"工单", "8", NULL}};

	(void)state;
	vg_report_paragraph(r, "before any section");
	assert_non_null(r->first);
	assert_string_equal(r->first->number, "1");
	assert_string_equal(r->first->title, "");
	vg_report_section_add(r, 1, "概览");
	vg_report_figures(r, figs, 2);
	vg_report_notice(r, "未采集");
	assert_string_equal(r->last->number, "2");
	assert_int_equal(r->last->first->kind, VG_BLOCK_FIGURES);
	assert_int_equal(r->last->first->nfigures, 2);
	assert_string_equal(r->last->first->figures[0].note, "较上月 +12%");
	assert_null(r->last->first->figures[1].note);
	assert_int_equal(r->last->last->kind, VG_BLOCK_NOTICE);
	assert_string_equal(r->last->last->text, "未采集");
	vg_report_free(r);
}

static void integers_have_thousands_separators(void **state)
{
	vg_report *r = vg_report_new(VG_REPORT_ZH);

	(void)state;
	assert_string_equal(vg_report_int(r, 1234567), "1,234,567");
	assert_string_equal(vg_report_int(r, -5), "-5");
	assert_string_equal(vg_report_int(r, 0), "0");
	assert_string_equal(vg_report_int(r, 999), "999");
	assert_string_equal(vg_report_int(r, 1000), "1,000");
	assert_string_equal(vg_report_int(r, -1234), "-1,234");
	assert_string_equal(vg_report_int(r, INT64_MIN), "-9,223,372,036,854,775,808");
	vg_report_free(r);
}

static void percentages(void **state)
{
	vg_report *r = vg_report_new(VG_REPORT_EN);

	(void)state;
	assert_string_equal(vg_report_percent(r, 0.975), "97.5%");
	assert_string_equal(vg_report_percent(r, 1.0), "100.0%");
	assert_string_equal(vg_report_percent(r, 0.0), "0.0%");
	assert_string_equal(vg_report_percent(r, 1.0 / 3.0), "33.3%");
	assert_string_equal(vg_report_percent(r, NAN), "—");
	vg_report_free(r);
}

static void durations_in_both_languages(void **state)
{
	vg_report *en = vg_report_new(VG_REPORT_EN), *zh = vg_report_new(VG_REPORT_ZH);

	(void)state;
	assert_string_equal(vg_report_duration(en, 3 * 3600 + 12 * 60), "3h 12m");
	assert_string_equal(vg_report_duration(en, 45 * 60), "45m");
	assert_string_equal(vg_report_duration(en, 2 * 86400 + 4 * 3600), "2d 4h");
	assert_string_equal(vg_report_duration(en, 0), "0m");
	assert_string_equal(vg_report_duration(en, 89), "1m");
	assert_string_equal(vg_report_duration(en, -10), "0m");
	assert_string_equal(vg_report_duration(zh, 3 * 3600 + 12 * 60), "3小时12分");
	assert_string_equal(vg_report_duration(zh, 45 * 60), "45分钟");
	assert_string_equal(vg_report_duration(zh, 2 * 86400 + 4 * 3600), "2天4小时");
	vg_report_free(en);
	vg_report_free(zh);
}

static void calendar_knows_the_first_weekday(void **state)
{
	vg_report *r = vg_report_new(VG_REPORT_ZH);
	double nov[30] = {0}, dec[31] = {0}, feb[29] = {0};
	vg_report_chart *c;

	(void)state;
	nov[29] = 7;
	c = vg_report_calendar_add(r, "每日告警", "告警", 2026, 11, nov);
	assert_non_null(c);
	assert_int_equal(c->kind, VG_CHART_CALENDAR);
	assert_int_equal(c->first_weekday, 6); /* 2026-11-01 is a Sunday */
	assert_int_equal(c->ncat, 30);
	assert_string_equal(c->categories[0], "1");
	assert_string_equal(c->categories[29], "30");
	assert_int_equal(c->nseries, 1);
	assert_true(c->series[0].values[29] == 7.0);
	c = vg_report_calendar_add(r, "每日告警", "告警", 2026, 12, dec);
	assert_int_equal(c->first_weekday, 1); /* 2026-12-01 is a Tuesday */
	assert_int_equal(c->ncat, 31);
	c = vg_report_calendar_add(r, "", "", 2024, 2, feb);
	assert_int_equal(c->first_weekday, 3); /* 2024-02-01 is a Thursday */
	assert_int_equal(c->ncat, 29);
	assert_null(vg_report_calendar_add(r, "", "", 2026, 13, dec));
	assert_int_equal(vg_report_days_in_month(2100, 2), 28);
	assert_int_equal(vg_report_days_in_month(2000, 2), 29);
	assert_int_equal(vg_report_days_in_month(2026, 4), 30);
	assert_int_equal(vg_report_days_in_month(2026, 0), 0);
	vg_report_free(r);
}

static void table_rows_grow_past_the_first_allocation(void **state)
{
	vg_report *r = vg_report_new(VG_REPORT_EN);
	const char *headers[] = {"Rule", "Alerts"};
	const bool numeric[] = {false, true};
	vg_report_table *t = vg_report_table_add(r, 2, headers, numeric, NULL);
	char name[16], count[16];

	(void)state;
	assert_non_null(t);
	for (int i = 0; i < 40; i++) {
		const char *cells[2] = {name, i == 7 ? NULL : count};

		snprintf(name, sizeof(name), "rule-%d", i);
		snprintf(count, sizeof(count), "%d", i * 10);
		vg_report_table_row(r, t, cells);
	}
	assert_int_equal(t->nrows, 40);
	assert_int_equal(t->cap, 64);
	assert_string_equal(t->cells[0], "rule-0");
	assert_string_equal(t->cells[15 * 2 + 1], "150");
	assert_string_equal(t->cells[16 * 2], "rule-16");
	assert_string_equal(t->cells[39 * 2 + 1], "390");
	assert_string_equal(t->cells[7 * 2 + 1], "");
	assert_false(t->numeric[0]);
	assert_true(t->numeric[1]);
	assert_true(t->widths[0] == 1.0 && t->widths[1] == 1.0);
	assert_string_equal(t->headers[1], "Alerts");
	assert_int_equal(vg_report_failed(r, NULL), VG_OK);
	vg_report_free(r);
}

static void languages_parse(void **state)
{
	vg_report_lang lang = VG_REPORT_EN;
	vg_error err = {0};

	(void)state;
	assert_int_equal(vg_report_lang_parse("zh-CN", &lang, &err), VG_OK);
	assert_int_equal(lang, VG_REPORT_ZH);
	assert_int_equal(vg_report_lang_parse("en", &lang, &err), VG_OK);
	assert_int_equal(lang, VG_REPORT_EN);
	assert_int_equal(vg_report_lang_parse("fr", &lang, &err), VG_EINVAL);
	assert_string_equal(err.msg, "language \"fr\" is not zh-CN or en");
	assert_int_equal(vg_report_lang_parse(NULL, &lang, &err), VG_EINVAL);
	assert_string_equal(err.msg, "language \"\" is not zh-CN or en");
	assert_int_equal(vg_report_lang_parse("EN", &lang, &err), VG_EINVAL);
	assert_int_equal(lang, VG_REPORT_EN);
	assert_string_equal(vg_report_lang_name(VG_REPORT_ZH), "zh-CN");
	assert_string_equal(vg_report_lang_name(VG_REPORT_EN), "en");
}

/* Text from outside (a vendor's alert title, a mail subject) comes out
 * as UTF-8 either renderer can draw: bad bytes as U+FFFD, control
 * characters but tab and line feed as spaces; good text as it was. */
static void text_is_made_drawable(void **state)
{
	vg_report *r = vg_report_new(VG_REPORT_ZH);
	char long_bad[400];

	(void)state;
	assert_string_equal(vg_report_strdup(r, "告警\t规则\n第二行"), "告警\t规则\n第二行");
	assert_string_equal(vg_report_strdup(r, "a\xff" "b\xc3(c"), "a\xEF\xBF\xBD" "b\xEF\xBF\xBD(c");
	assert_string_equal(vg_report_strdup(r, "bell\a esc\x1b del\x7f"), "bell  esc  del ");
	/* An overlong '/' and a surrogate are not UTF-8 either. */
	assert_string_equal(vg_report_strdup(r, "\xc0\xaf|\xed\xa0\x80"),
			    "\xEF\xBF\xBD\xEF\xBF\xBD|\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
	assert_string_equal(vg_report_printf(r, "rule \"%s\" (%d)", "x\x80y", 3),
			    "rule \"x\xEF\xBF\xBDy\" (3)");
	/* Past printf's small buffer too. */
	memset(long_bad, 'z', sizeof(long_bad) - 1);
	long_bad[sizeof(long_bad) - 1] = '\0';
	long_bad[300] = '\x01';
	const char *p = vg_report_printf(r, "%s", long_bad);
	assert_int_equal(strlen(p), sizeof(long_bad) - 1);
	assert_int_equal(p[300], ' ');
	vg_report_section_add(r, 1, "标题\xfe");
	assert_string_equal(r->first->title, "标题\xEF\xBF\xBD");
	vg_report_free(r);
}

static void failure_is_reported_once(void **state)
{
	vg_report *r = vg_report_new(VG_REPORT_EN);
	vg_error err = {0};

	(void)state;
	r->failed = true;
	assert_null(vg_report_strdup(r, "x"));
	assert_null(vg_report_section_add(r, 1, "Lost"));
	assert_int_equal(vg_report_failed(r, &err), VG_ENOMEM);
	assert_string_equal(err.msg, "out of memory building the report");
	vg_report_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(sections_are_numbered),
	    cmocka_unit_test(blocks_join_the_current_section),
	    cmocka_unit_test(integers_have_thousands_separators),
	    cmocka_unit_test(percentages),
	    cmocka_unit_test(durations_in_both_languages),
	    cmocka_unit_test(calendar_knows_the_first_weekday),
	    cmocka_unit_test(table_rows_grow_past_the_first_allocation),
	    cmocka_unit_test(languages_parse),
	    cmocka_unit_test(text_is_made_drawable),
	    cmocka_unit_test(failure_is_reported_once),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
