/*
 * test_report_build.c - the monthly and incident reports built from a
 * seeded store: the figures in their tables and sentences are the seeded
 * ones, in both languages; chapters the platform does not collect say so;
 * the incident's timeline and attack chain come out in order; and a
 * customer of another tenant, or a malformed month, builds nothing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <inttypes.h>
#include <string.h>

#include "alerts/incidents.h"
#include "core/time.h"
#include "core/tz.h"
#include "itsm/tickets.h"
#include "ops/tenant.h"
#include "report/build.h"
#include "testutil.h"

#define ZONE "Asia/Shanghai"

static vg_ctx analyst(void)
{
	vg_ctx c = vg_ctx_system();

	c.role = VG_ROLE_ANALYST;
	snprintf(c.username, sizeof(c.username), "an.analyst");
	return c;
}

static vg_ctx customer_of(int64_t tenant)
{
	vg_ctx c = vg_ctx_system();

	c.role = VG_ROLE_CUSTOMER_USER;
	c.tenant_id = tenant;
	snprintf(c.username, sizeof(c.username), "a.customer");
	return c;
}

static int64_t tenant_new(vg_tx *tx, const char *name)
{
	vg_ctx sys = vg_ctx_system();
	vg_error err = {0};
	int64_t id;

	if (vg_tenant_create(tx, &sys,
			     &(vg_tenant_fields){.name = name,
						 .edition = "professional",
						 .contract_start = "2026-01-01",
						 .contract_end = "2027-12-31",
						 .timezone = ZONE},
			     &id, &err))
		fail_msg("tenant: %s", err.msg);
	return id;
}

static void exec(vg_tx *tx, const char *sql, const vg_param *p, size_t n)
{
	vg_error err = {0};

	if (vg_tx_exec(tx, sql, p, n, NULL, &err))
		fail_msg("%s: %s", sql, err.msg);
}

/* An alert of tenant created at created (ack ms later when ack > 0). */
static int64_t alert(vg_tx *tx, int64_t tenant, const char *rule, int sev, int64_t created,
		     int64_t ack, const char *tags, const char *actor)
{
	vg_error err = {0};
	int64_t id;

	if (vg_tx_query_int(
		tx,
		"INSERT INTO alerts (tenant_id, group_key, rule_title, severity_id, tags, count, "
		"first_seen, last_seen, status, created_at, updated_at, acknowledged_at, actor) "
		"VALUES (?, hex(randomblob(8)), ?, ?, ?, 3, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
		VG_PARAMS(VG_P_INT(tenant), VG_P_TEXT(rule), VG_P_INT(sev), VG_P_TEXT(tags),
			  VG_P_INT(created), VG_P_INT(created + 3600000),
			  VG_P_TEXT(ack ? "acknowledged" : "open"), VG_P_INT(created),
			  VG_P_INT(created), ack ? VG_P_INT(created + ack) : VG_P_NULL,
			  VG_P_TEXT(actor)),
		&id, &err))
		fail_msg("alert: %s", err.msg);
	return id;
}

/* The section titled title. */
static const vg_report_section *section(const vg_report *r, const char *title)
{
	const vg_report_section *s;

	for (s = r->first; s; s = s->next)
		if (strcmp(s->title, title) == 0)
			return s;
	fail_msg("no section \"%s\"", title);
	return NULL;
}

/* The nth (from 0) block of kind in s. */
static const vg_report_block *block(const vg_report_section *s, vg_report_block_kind kind, int nth)
{
	const vg_report_block *b;

	for (b = s->first; b; b = b->next)
		if (b->kind == kind && nth-- == 0)
			return b;
	fail_msg("section \"%s\" has too few blocks of kind %d", s->title, (int)kind);
	return NULL;
}

static const char *cell(const vg_report_table *t, size_t row, size_t col)
{
	assert_true(row < t->nrows && col < t->ncols);
	return t->cells[row * t->ncols + col];
}

/* The month now is in, in ZONE, and its bounds. */
static void this_month(char month[16], int64_t *from, int64_t *until)
{
	int off, y, m, d, wd;
	int64_t now = vg_time_now_ms();

	assert_int_equal(vg_tz_offset(ZONE, now, &off, NULL), VG_OK);
	vg_time_to_civil(now + (int64_t)off * 60000, &y, &m, &d, &wd);
	snprintf(month, 16, "%04d-%02d", y, m);
	assert_int_equal(vg_tz_month_bounds(month, ZONE, from, until, NULL), VG_OK);
}

/*
 * 15 alerts in the month, 1 informational .. 5 critical, 10 of them
 * acknowledged after 1 to 10 minutes; 10 in the month before; two tickets,
 * one of them by IM.
 */
static void monthly_figures(void **state)
{
	test_store ts;
	vg_ctx sys = vg_ctx_system(), an = analyst();
	vg_error err = {0};
	vg_tx *tx;
	vg_report *zh, *en;
	vg_report_origin origin = {"Vigil MSSP", 0};
	char month[16];
	int64_t tenant, other, from, until, id, t, now = vg_time_now_ms();
	int sev, i, k = 0;
	const vg_report_section *s;
	const vg_report_table *tab;
	const vg_report_chart *chart;
	const vg_report_block *b;
	int nchapters = 0;

	(void)state;
	this_month(month, &from, &until);
	origin.now = from + 3600000;
	assert_int_equal(test_store_open(&ts), 0);
	assert_int_equal(vg_tx_begin(ts.store, true, &tx, &err), VG_OK);
	tenant = tenant_new(tx, "客户甲");
	other = tenant_new(tx, "Other Co");
	for (sev = 1; sev <= 5; sev++)
		for (i = 0; i < sev; i++, k++)
			alert(tx, tenant, sev >= 4 ? "Brute force" : "Port scan", sev,
			      from + (sev == 5 ? 86400000 : 0) + 3600000 + k,
			      k < 10 ? (int64_t)(k + 1) * 60000 : 0, "[]",
			      "{\"ip\":\"198.51.100.7\"}");
	for (i = 0; i < 10; i++)
		alert(tx, tenant, "Old", 1, from - 86400000 + i, 0, "[]", "{}");
	alert(tx, other, "Elsewhere", 5, from + 1000, 0, "[]", "{}");
	/* web01 is named by the nine brute-force alerts, db01 by two scans. */
	exec(tx,
	     "INSERT INTO assets (id, tenant_id, ip, hostname, first_seen, last_seen) VALUES "
	     "(71, ?, '10.0.0.5', 'web01', 0, 0), (72, ?, '10.0.0.6', 'db01', 0, 0)",
	     VG_PARAMS(VG_P_INT(tenant), VG_P_INT(tenant)));
	exec(tx, "UPDATE alerts SET asset_id = 71 WHERE rule_title = 'Brute force'", VG_NO_PARAMS);
	exec(tx,
	     "UPDATE alerts SET asset_id = 72 WHERE id IN (SELECT id FROM alerts WHERE rule_title "
	     "= 'Port scan' ORDER BY id LIMIT 2)",
	     VG_NO_PARAMS);
	assert_int_equal(vg_ticket_create(tx, &an,
					  &(vg_ticket_fields){.tenant_id = tenant,
							      .type = "request",
							      .title = "Open a port",
							      .impact = "low",
							      .urgency = "low",
							      .channel = "email",
							      .received_at = now - 60000},
					  &id, &t, &err),
			 VG_OK);
	assert_int_equal(vg_ticket_create(tx, &an,
					  &(vg_ticket_fields){.tenant_id = tenant,
							      .type = "request",
							      .title = "A chat",
							      .impact = "low",
							      .urgency = "low",
							      .channel = "im",
							      .received_at = now - 60000},
					  &id, &t, &err),
			 VG_OK);

	assert_int_equal(
	    vg_report_monthly_build(tx, &sys, tenant, month, VG_REPORT_ZH, &origin, &zh, &err),
	    VG_OK);
	assert_int_equal(
	    vg_report_monthly_build(tx, &sys, tenant, month, VG_REPORT_EN, &origin, &en, &err),
	    VG_OK);

	assert_string_equal(zh->title, "MSS月度分析报告");
	assert_string_equal(en->title, "MSS Monthly Analysis Report");
	assert_string_equal(zh->customer, "客户甲");
	assert_string_equal(zh->issuer, "Vigil MSSP");
	assert_int_equal(strncmp(zh->period, month, 4), 0);
	assert_non_null(strstr(zh->period, "年"));
	assert_string_equal(strchr(zh->generated, ' '), " 01:00 (Asia/Shanghai)");

	for (s = zh->first; s; s = s->next)
		nchapters += s->level == 1;
	assert_int_equal(nchapters, 9);

	s = section(zh, "执行摘要");
	assert_string_equal(
	    block(s, VG_BLOCK_PARAGRAPH, 0)->text,
	    "本月共产生告警 15 条，较上月增加 50.0%（上月 10 条），其中高危及严重告警 9 条。");
	assert_string_equal(
	    block(s, VG_BLOCK_PARAGRAPH, 4)->text,
	    "目前仍有 9 条高危及严重告警未关闭，建议优先处置（见“处置建议”一章）。");
	for (i = 0, b = s->first; b; b = b->next)
		i += b->kind == VG_BLOCK_PARAGRAPH;
	assert_int_equal(i, 5);
	b = block(s, VG_BLOCK_FIGURES, 0);
	assert_int_equal(b->nfigures, 5);
	assert_string_equal(b->figures[0].value, "15");
	s = section(en, "Executive summary");
	assert_string_equal(block(s, VG_BLOCK_PARAGRAPH, 0)->text,
			    "This month brought 15 alerts, up 50.0% on last month (10); 9 of "
			    "them high or critical.");
	assert_string_equal(block(s, VG_BLOCK_PARAGRAPH, 2)->text,
			    "Tickets received: 1 (and 1 by IM, not counted); 100.0% met the "
			    "response SLA and — the resolution SLA.");
	assert_string_equal(
	    block(s, VG_BLOCK_PARAGRAPH, 3)->text,
	    "The most attacked asset was web01 (9 alerts), and the noisiest rule was "
	    "\"Brute force\" (9 alerts).");

	/* Severity: donut and table, critical first, then the total. */
	s = section(en, "By severity");
	chart = block(s, VG_BLOCK_CHART, 0)->chart;
	assert_int_equal(chart->kind, VG_CHART_DONUT);
	for (sev = 1; sev <= 5; sev++)
		assert_true(chart->series[0].values[sev - 1] == sev);
	assert_string_equal(chart->categories[0], "informational");
	tab = block(s, VG_BLOCK_TABLE, 0)->table;
	assert_int_equal(tab->nrows, 6);
	assert_string_equal(cell(tab, 0, 0), "critical");
	assert_string_equal(cell(tab, 0, 1), "5");
	assert_string_equal(cell(tab, 0, 2), "33.3%");
	assert_string_equal(cell(tab, 4, 0), "informational");
	assert_string_equal(cell(tab, 4, 1), "1");
	assert_string_equal(cell(tab, 5, 1), "15");
	s = section(zh, "按严重程度");
	assert_string_equal(cell(block(s, VG_BLOCK_TABLE, 0)->table, 0, 0), "严重");

	/* By day: the critical ones on the 2nd, the rest on the 1st. */
	s = section(en, "By day");
	chart = block(s, VG_BLOCK_CHART, 0)->chart;
	assert_int_equal(chart->kind, VG_CHART_CALENDAR);
	assert_true(chart->series[0].values[0] == 10 && chart->series[0].values[1] == 5);
	chart = block(s, VG_BLOCK_CHART, 1)->chart;
	assert_int_equal(chart->kind, VG_CHART_STACKED_BAR);
	assert_int_equal(chart->nseries, 5);
	assert_true(chart->series[4].values[1] == 5 && chart->series[4].values[0] == 0);
	assert_true(chart->series[3].values[0] == 4);

	/* Vigil's own detections with no source are Vigil's. */
	chart = block(section(en, "By source"), VG_BLOCK_CHART, 0)->chart;
	assert_int_equal(chart->ncat, 1);
	assert_string_equal(chart->categories[0], "Vigil");
	assert_true(chart->series[0].values[0] == 15);

	s = section(en, "Top rules");
	tab = block(s, VG_BLOCK_TABLE, 0)->table;
	assert_int_equal(tab->nrows, 2);
	assert_string_equal(cell(tab, 0, 1), "Brute force");
	assert_string_equal(cell(tab, 0, 2), "critical");
	assert_string_equal(cell(tab, 0, 3), "9");
	assert_string_equal(cell(tab, 1, 1), "Port scan");
	assert_string_equal(cell(tab, 1, 3), "6");

	tab = block(section(en, "Most attacked assets"), VG_BLOCK_TABLE, 0)->table;
	assert_int_equal(tab->nrows, 2);
	assert_string_equal(cell(tab, 0, 1), "web01");
	assert_string_equal(cell(tab, 0, 2), "10.0.0.5");
	assert_string_equal(cell(tab, 0, 3), "9");
	assert_string_equal(cell(tab, 1, 1), "db01");
	assert_string_equal(cell(tab, 1, 3), "2");

	s = section(en, "Top source IPs");
	tab = block(s, VG_BLOCK_TABLE, 0)->table;
	assert_int_equal(tab->nrows, 1);
	assert_string_equal(cell(tab, 0, 1), "198.51.100.7");
	assert_string_equal(cell(tab, 0, 2), "15");

	/* 1..10 minutes: median 5m and p95 10m by nearest rank, mean 5.5m. */
	s = section(en, "Alert handling");
	tab = block(s, VG_BLOCK_TABLE, 0)->table;
	assert_string_equal(cell(tab, 0, 1), "10");
	assert_string_equal(cell(tab, 0, 2), "5m");
	assert_string_equal(cell(tab, 0, 3), "10m");
	assert_string_equal(cell(tab, 0, 4), "6m");
	assert_string_equal(cell(tab, 0, 5), "5");
	assert_string_equal(cell(tab, 1, 1), "0");
	assert_string_equal(cell(tab, 1, 2), "—");
	assert_string_equal(cell(tab, 1, 5), "15");

	s = section(en, "Tickets and SLA");
	assert_string_equal(block(s, VG_BLOCK_PARAGRAPH, 0)->text,
			    "Tickets received this month: 1; the 1 from IM are not counted in "
			    "any figure below.");

	block(section(zh, "巡检执行情况"), VG_BLOCK_NOTICE, 0);
	assert_non_null(strstr(
	    block(section(en, "Vulnerability and configuration findings"), VG_BLOCK_NOTICE, 0)
		->text,
	    "cloud security products"));
	block(section(en, "Threat-intel notices"), VG_BLOCK_NOTICE, 0);
	block(section(en, "On-duty and emergency-response hours"), VG_BLOCK_TABLE, 0);

	s = section(en, "Recommendations");
	assert_string_equal(block(s, VG_BLOCK_PARAGRAPH, 0)->text,
			    "Rule \"Brute force\" has 9 critical-severity alerts still open: we "
			    "recommend triaging them soon, confirming the assets affected and "
			    "finding the cause.");
	vg_report_free(zh);
	vg_report_free(en);

	{
		vg_ctx cust = customer_of(other);

		assert_int_equal(vg_report_monthly_build(tx, &cust, tenant, month, VG_REPORT_ZH,
							 &origin, &zh, &err),
				 VG_ENOTFOUND);
		assert_null(zh);
	}
	assert_int_equal(
	    vg_report_monthly_build(tx, &sys, tenant, "2026-13", VG_REPORT_ZH, &origin, &zh, &err),
	    VG_EINVAL);
	assert_null(zh);
	vg_tx_rollback(tx);
	test_store_close(&ts);
}

/*
 * A P1 incident logged 40 minutes after the call (professional: 30 minutes
 * to answer, round the clock): the response clock's median and 95th
 * percentile in vg_tenant_sla_month and the report, and its breach
 * explained.
 */
static void sla_chapter(void **state)
{
	test_store ts;
	vg_ctx sys = vg_ctx_system(), an = analyst();
	vg_error err = {0};
	vg_tx *tx;
	vg_report *r;
	vg_report_origin origin = {"Vigil MSSP", 0};
	char month[16];
	int64_t tenant, from, until, id, t, now = vg_time_now_ms();
	const json_t *resp;
	const vg_report_table *tab;
	json_t *f;

	(void)state;
	this_month(month, &from, &until);
	if (now - 2400000 < from)
		skip(); /* the call would fall in the month before */
	origin.now = now;
	assert_int_equal(test_store_open(&ts), 0);
	assert_int_equal(vg_tx_begin(ts.store, true, &tx, &err), VG_OK);
	tenant = tenant_new(tx, "T");
	assert_int_equal(vg_ticket_create(tx, &an,
					  &(vg_ticket_fields){.tenant_id = tenant,
							      .type = "incident",
							      .title = "Ransomware",
							      .impact = "high",
							      .urgency = "high",
							      .channel = "email",
							      .received_at = now - 2400000},
					  &id, &t, &err),
			 VG_OK);
	assert_int_equal(vg_tenant_sla_month(tx, &sys, tenant, month, &f, NULL, &err), VG_OK);
	resp = json_object_get(f, "response");
	assert_true(json_integer_value(json_object_get(resp, "median_seconds")) / 60 == 40);
	assert_int_equal(json_integer_value(json_object_get(resp, "median_seconds")),
			 json_integer_value(json_object_get(resp, "p95_seconds")));
	assert_true(json_is_null(json_object_get(json_object_get(f, "resolution"), "p95_seconds")));
	json_decref(f);

	assert_int_equal(
	    vg_report_monthly_build(tx, &sys, tenant, month, VG_REPORT_EN, &origin, &r, &err),
	    VG_OK);
	tab = block(section(r, "SLA met"), VG_BLOCK_TABLE, 0)->table;
	assert_string_equal(cell(tab, 0, 0), "Response");
	assert_string_equal(cell(tab, 0, 3), "0");
	assert_string_equal(cell(tab, 0, 4), "0.0%");
	assert_string_equal(cell(tab, 0, 5), "40m");
	assert_string_equal(cell(tab, 0, 6), "40m");
	assert_string_equal(cell(tab, 1, 5), "—");
	tab = block(section(r, "SLA breaches explained"), VG_BLOCK_TABLE, 0)->table;
	assert_int_equal(tab->nrows, 1);
	assert_int_equal(strncmp(cell(tab, 0, 0), "INC-", 4), 0);
	assert_string_equal(cell(tab, 0, 1), "Response");
	assert_string_equal(cell(tab, 0, 2), "Target 30m; it took 40m, 10m over.");
	vg_report_free(r);
	vg_tx_rollback(tx);
	test_store_close(&ts);
}

/*
 * An incident of two alerts, the execution one seen before the initial
 * access one: the timeline is in time order, the attack chain in kill-chain
 * order; the actor IP is on the IOC list.
 */
static void incident_report(void **state)
{
	test_store ts;
	vg_ctx sys = vg_ctx_system(), an = analyst();
	vg_error err = {0};
	vg_tx *tx;
	vg_report *zh, *en;
	vg_report_origin origin = {"Vigil MSSP", 0};
	int64_t tenant, other, a1, a2, inc, t, t0 = vg_time_now_ms() - 2 * 3600000;
	const vg_report_section *s;
	const vg_report_table *tab;
	char ref[32];

	(void)state;
	origin.now = t0;
	assert_int_equal(test_store_open(&ts), 0);
	assert_int_equal(vg_tx_begin(ts.store, true, &tx, &err), VG_OK);
	tenant = tenant_new(tx, "T");
	other = tenant_new(tx, "Other Co");
	a1 = alert(tx, tenant, "Suspicious PowerShell", 4, t0, 0,
		   "[\"attack.execution\", \"attack.t1059.001\"]",
		   "{\"ip\":\"203.0.113.9\",\"user\":\"root\"}");
	a2 = alert(tx, tenant, "Exploit of a web app", 5, t0 + 600000, 0,
		   "[\"attack.initial_access\", \"attack.t1190\"]", "{\"ip\":\"203.0.113.9\"}");
	exec(tx,
	     "INSERT INTO iocs (tenant_id, type, value, level, description, created_at) VALUES (0, "
	     "'ip', '203.0.113.9', 'high', 'known C2', 0)",
	     VG_NO_PARAMS);
	assert_int_equal(vg_incident_create(tx, &an,
					    &(vg_incident_fields){.title = "Web server compromised",
								  .category = "webshell",
								  .alerts = (int64_t[]){a1, a2},
								  .nalerts = 2,
								  .note = "escalated"},
					    &inc, &t, &err),
			 VG_OK);
	assert_int_equal(
	    vg_incident_phase(tx, &an, inc, "containment", "isolated the host", &t, &err), VG_OK);

	assert_int_equal(vg_report_incident_build(tx, &sys, inc, VG_REPORT_ZH, &origin, &zh, &err),
			 VG_OK);
	assert_int_equal(vg_report_incident_build(tx, &sys, inc, VG_REPORT_EN, &origin, &en, &err),
			 VG_OK);
	assert_string_equal(zh->title, "安全事件分析报告");
	assert_string_equal(en->title, "Security Incident Analysis Report");
	snprintf(ref, sizeof(ref), "SEC-%" PRId64 " · ", inc);
	assert_int_equal(strncmp(en->period, ref, strlen(ref)), 0);

	/* a1 first seen, a2 first seen, a1 last seen (an hour on), then the
	 * incident's own steps. */
	s = section(en, "Timeline");
	tab = block(s, VG_BLOCK_TABLE, 0)->table;
	assert_int_equal(tab->nrows, 6);
	assert_string_equal(cell(tab, 0, 2), "First seen: Suspicious PowerShell (high)");
	assert_string_equal(cell(tab, 1, 2), "First seen: Exploit of a web app (critical)");
	assert_string_equal(cell(tab, 2, 2), "Last seen: Suspicious PowerShell (3 hits in all)");
	assert_string_equal(cell(tab, 3, 2), "Last seen: Exploit of a web app (3 hits in all)");
	assert_non_null(strstr(cell(tab, 4, 1), "Opened"));
	assert_string_equal(cell(tab, 5, 1), "an.analyst · Phase entered: Containment");
	assert_string_equal(cell(tab, 5, 2), "isolated the host");

	s = section(en, "Attack chain (ATT&CK)");
	tab = block(s, VG_BLOCK_TABLE, 0)->table;
	assert_int_equal(tab->nrows, 2);
	assert_string_equal(cell(tab, 0, 0), "TA0001 Initial Access");
	assert_string_equal(cell(tab, 0, 1), "t1190");
	assert_string_equal(cell(tab, 1, 0), "TA0002 Execution");
	assert_string_equal(cell(tab, 1, 1), "t1059.001");
	s = section(zh, "攻击链分析（ATT&CK）");
	assert_string_equal(cell(block(s, VG_BLOCK_TABLE, 0)->table, 0, 0), "TA0001 初始访问");

	s = section(en, "Indicators of compromise");
	tab = block(s, VG_BLOCK_TABLE, 0)->table;
	assert_string_equal(cell(tab, 0, 0), "Actor IP");
	assert_string_equal(cell(tab, 0, 1), "203.0.113.9");
	assert_non_null(strstr(cell(tab, 0, 2), "known C2"));

	s = section(en, "Actions taken");
	tab = block(s, VG_BLOCK_TABLE, 0)->table;
	assert_string_equal(cell(tab, 0, 3), "escalated");
	assert_string_equal(cell(tab, 1, 0), "Containment");
	assert_string_equal(cell(tab, 1, 3), "isolated the host");

	s = section(en, "Root cause");
	assert_string_equal(block(s, VG_BLOCK_PARAGRAPH, 0)->text,
			    "The root cause has not been recorded.");
	vg_report_free(zh);
	vg_report_free(en);

	{
		vg_ctx cust = customer_of(other);

		assert_int_equal(
		    vg_report_incident_build(tx, &cust, inc, VG_REPORT_ZH, &origin, &zh, &err),
		    VG_ENOTFOUND);
		assert_null(zh);
	}
	vg_tx_rollback(tx);
	test_store_close(&ts);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(monthly_figures),
	    cmocka_unit_test(sla_chapter),
	    cmocka_unit_test(incident_report),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
