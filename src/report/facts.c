/*
 * facts.c - the vocabulary and clock both reports use (report_int.h).
 */
#include <string.h>

#include "core/time.h"
#include "core/tz.h"
#include "report/report_int.h"

typedef struct code_words {
	const char *code, *zh, *en;
} code_words;

static const code_words categories[] = {
    {"ransomware", "勒索病毒", "Ransomware"},	  {"backdoor", "后门", "Backdoor"},
    {"cryptomining", "挖矿", "Cryptomining"},	  {"webshell", "网页木马", "Web shell"},
    {"brute_force", "暴力破解", "Brute force"},	  {"data_leak", "数据泄露", "Data leak"},
    {"ddos_cc", "DDoS/CC攻击", "DDoS/CC attack"}, {"other", "其他", "Other"},
};

static const code_words phases[] = {
    {"detection", "检测", "Detection"},
    {"containment", "遏制", "Containment"},
    {"eradication", "根除", "Eradication"},
    {"recovery", "恢复", "Recovery"},
    {"post_incident", "事后总结", "Post-incident"},
};

static const code_words statuses[] = {
    {"open", "处置中", "Open"},
    {"closed", "已关闭", "Closed"},
    {"acknowledged", "已确认", "Acknowledged"},
};

static const char *word(const code_words *w, size_t n, vg_report_lang lang, const char *code)
{
	size_t i;

	for (i = 0; code && i < n; i++)
		if (strcmp(w[i].code, code) == 0)
			return VG_TR(lang, w[i].zh, w[i].en);
	return code ? code : "";
}

const char *vg__report_severity(vg_report_lang lang, int severity_id)
{
	static const char *const zh[] = {"未知", "信息", "低", "中", "高", "严重", "致命"};
	static const char *const en[] = {"unknown", "informational", "low",  "medium",
					 "high",    "critical",	     "fatal"};

	if (severity_id < 0 || severity_id > 6)
		severity_id = 0;
	return VG_TR(lang, zh[severity_id], en[severity_id]);
}

const char *vg__report_category(vg_report_lang lang, const char *category)
{
	return word(categories, sizeof(categories) / sizeof(*categories), lang, category);
}

const char *vg__report_phase(vg_report_lang lang, const char *phase)
{
	return word(phases, sizeof(phases) / sizeof(*phases), lang, phase);
}

const char *vg__report_status(vg_report_lang lang, const char *status)
{
	return word(statuses, sizeof(statuses) / sizeof(*statuses), lang, status);
}

const char *vg__report_local_time(vg_report *r, const char *zone, int64_t ms)
{
	int off = 0, y, mo, d, wd;
	int64_t local, in_day;

	if (vg_tz_offset(zone, ms, &off, NULL))
		off = 0;
	local = ms + (int64_t)off * 60000;
	vg_time_to_civil(local, &y, &mo, &d, &wd);
	in_day = ((local % 86400000) + 86400000) % 86400000 / 60000;
	return vg_report_printf(r, "%04d-%02d-%02d %02d:%02d", y, mo, d, (int)(in_day / 60),
				(int)(in_day % 60));
}

const char *vg__report_generated(vg_report *r, const char *zone, int64_t ms)
{
	return vg_report_printf(r, "%s (%s)", vg__report_local_time(r, zone, ms), zone);
}

const char *vg__report_count(vg_report *r, int64_t n, const char *one, const char *many)
{
	if (r->lang == VG_REPORT_ZH)
		return vg_report_int(r, n);
	return vg_report_printf(r, "%s %s", vg_report_int(r, n), n == 1 ? one : many);
}

int vg__report_rows_end(vg_rows *rows, int more, int rc)
{
	if (rows)
		vg_rows_free(rows);
	if (rc)
		return rc;
	return more < 0 ? more : VG_OK;
}
