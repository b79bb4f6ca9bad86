/*
 * incident.c - the Security Incident Analysis Report of one security
 * incident (build.h).
 *
 * An incident holds at most a few thousand alerts (incidents.h), so its
 * alerts are read whole: their tags give the attack chain, their actor and
 * resource the indicators, their first and last sightings the timeline.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alerts/incidents.h"
#include "itsm/tickets.h"
#include "ops/tenant.h"
#include "report/build.h"
#include "report/report_int.h"

/* The 14 ATT&CK Enterprise tactics in kill-chain order, as Sigma tags name
 * them ("attack.initial_access"), with what to do about each. */
typedef struct tactic {
	const char *tag, *id, *zh, *en, *advice_zh, *advice_en;
} tactic;

static const tactic tactics[] = {
    {"reconnaissance", "TA0043", "侦察", "Reconnaissance",
     "减少对外暴露的信息，监测针对本单位的扫描与探测。",
     "Reduce what is exposed publicly and watch for scans and probes aimed at you."},
    {"resource_development", "TA0042", "资源开发", "Resource Development",
     "关注仿冒本单位的域名与账号，及时处置。",
     "Watch for look-alike domains and accounts impersonating you and take them down."},
    {"initial_access", "TA0001", "初始访问", "Initial Access",
     "修补对外服务漏洞，收敛暴露面，对远程访问启用多因素认证。",
     "Patch internet-facing services, shrink the exposed surface and require "
     "multi-factor authentication for remote access."},
    {"execution", "TA0002", "执行", "Execution",
     "限制脚本解释器与命令行工具的使用，启用应用程序白名单。",
     "Restrict script interpreters and command-line tools; allow-list applications."},
    {"persistence", "TA0003", "持久化", "Persistence",
     "排查计划任务、服务、启动项与新增账号，清除残留的持久化手段。",
     "Review scheduled tasks, services, start-up items and new accounts, and remove "
     "what the attacker left."},
    {"privilege_escalation", "TA0004", "权限提升", "Privilege Escalation",
     "及时安装系统补丁，收回不必要的管理员权限。",
     "Keep systems patched and withdraw administrator rights nobody needs."},
    {"defense_evasion", "TA0005", "防御规避", "Defense Evasion",
     "确保安全代理与日志不可被关闭，对日志清除行为告警。",
     "Make sure security agents and logging cannot be switched off, and alert when "
     "logs are cleared."},
    {"credential_access", "TA0006", "凭据访问", "Credential Access",
     "重置可能泄露的凭据，启用多因素认证与登录失败锁定。",
     "Reset credentials that may have leaked; enable multi-factor authentication and "
     "lock-out after failed logins."},
    {"discovery", "TA0007", "发现", "Discovery", "监测内网中的异常扫描与枚举行为。",
     "Watch for unusual scanning and enumeration inside the network."},
    {"lateral_movement", "TA0008", "横向移动", "Lateral Movement",
     "加强内网分区隔离，限制远程管理协议的使用范围。",
     "Segment the internal network and limit where remote administration protocols "
     "may be used."},
    {"collection", "TA0009", "收集", "Collection", "对敏感数据的集中访问与打包行为进行监测。",
     "Watch for bulk access to and archiving of sensitive data."},
    {"command_and_control", "TA0011", "命令与控制", "Command and Control",
     "封禁已知的恶意地址与域名，限制服务器主动外联。",
     "Block the known malicious addresses and domains and restrict outbound "
     "connections from servers."},
    {"exfiltration", "TA0010", "数据渗出", "Exfiltration",
     "监测异常的大流量外发，必要时启用数据防泄漏措施。",
     "Watch for unusually large outbound transfers and apply data-loss prevention "
     "where needed."},
    {"impact", "TA0040", "影响", "Impact", "确保关键数据有离线备份并定期演练恢复。",
     "Keep offline backups of critical data and rehearse restoring them."},
};
#define NTACTICS (sizeof(tactics) / sizeof(*tactics))

typedef struct category_advice {
	const char *category, *zh, *en;
} category_advice;

static const category_advice category_advices[] = {
    {"ransomware", "隔离受感染主机，从离线备份恢复数据，修补入侵入口，并定期演练备份恢复。",
     "Isolate infected hosts, restore from offline backups, close the way in, and "
     "rehearse restoring backups regularly."},
    {"backdoor", "全面排查同类后门与持久化手段，重建受控主机，并更换相关凭据。",
     "Hunt for the same backdoor and persistence elsewhere, rebuild the hosts taken "
     "over and change their credentials."},
    {"cryptomining", "清除挖矿程序及其持久化项，封禁矿池地址，修补被利用的漏洞或弱口令。",
     "Remove the miner and its persistence, block the mining pools, and fix the "
     "vulnerability or weak password it came through."},
    {"webshell", "删除网页木马并核查网站目录完整性，修补上传与代码执行漏洞，部署 Web 应用防火墙。",
     "Delete the web shell and check the site's files, fix the upload or code "
     "execution flaw, and put a web application firewall in front."},
    {"brute_force", "启用强口令策略与多因素认证，限制登录来源并开启失败锁定。",
     "Enforce strong passwords and multi-factor authentication, limit where logins "
     "may come from, and lock accounts after failures."},
    {"data_leak", "确认泄露范围并通知相关方，收紧数据访问权限，加强外发监测。",
     "Establish what leaked and inform those concerned, tighten access to the data "
     "and watch outbound transfers."},
    {"ddos_cc", "接入抗 DDoS 与 CC 防护服务，优化限流策略，并准备应急扩容方案。",
     "Use DDoS and CC protection, tune rate limits, and have a plan to scale out in "
     "an emergency."},
    {"other", "针对本次事件的入侵路径加固相关系统，并持续监测同类告警。",
     "Harden the systems along this incident's path and keep watching for alerts of "
     "the same kind."},
};

typedef struct alert_row {
	int64_t id, first_seen, last_seen, count;
	int severity_id;
	const char *rule, *asset; /* in the report's arena */
	json_t *tags, *actor, *resource;
} alert_row;

typedef struct activity_row {
	int64_t at;
	const char *user, *action, *phase, *detail;
} activity_row;

typedef struct incident {
	vg_tx *tx;
	const vg_ctx *ctx;
	vg_report *r;
	vg_report_lang lang;
	vg_error *err;
	int64_t id, tenant_id, created_at, closed_at;
	int severity_id;
	const char *title, *category, *phase, *status, *summary, *ref;
	char zone[64], tenant_name[VG_TENANT_NAME_MAX * 4 + 1];
	alert_row *alerts;
	size_t nalerts;
	activity_row *activity;
	size_t nactivity;
} incident;

static const char *tr(const incident *in, const char *zh, const char *en)
{
	return VG_TR(in->lang, zh, en);
}

static const char *when(incident *in, int64_t ms)
{
	return vg__report_local_time(in->r, in->zone, ms);
}

static int load(incident *in)
{
	vg_report *r = in->r;
	vg_rows *rows = NULL;
	size_t cap = 0;
	int more = 0, rc;

	rc = vg_tx_query(in->tx,
			 "SELECT tenant_id, title, category, severity_id, phase, status, summary, "
			 "created_at, closed_at FROM security_incidents WHERE id = ?",
			 VG_PARAMS(VG_P_INT(in->id)), &rows, in->err);
	if (!rc && (more = vg_rows_next(rows, in->err)) == 1) {
		in->tenant_id = vg_rows_int(rows, 0);
		in->title = vg_report_strdup(r, vg_rows_text(rows, 1));
		in->category = vg_report_strdup(r, vg_rows_text(rows, 2));
		in->severity_id = (int)vg_rows_int(rows, 3);
		in->phase = vg_report_strdup(r, vg_rows_text(rows, 4));
		in->status = vg_report_strdup(r, vg_rows_text(rows, 5));
		in->summary =
		    vg_rows_is_null(rows, 6) ? NULL : vg_report_strdup(r, vg_rows_text(rows, 6));
		in->created_at = vg_rows_int(rows, 7);
		in->closed_at = vg_rows_is_null(rows, 8) ? 0 : vg_rows_int(rows, 8);
	} else if (!rc && more == 0) {
		rc = vg_error_set(in->err, VG_ENOTFOUND, "no such incident");
	}
	rc = vg__report_rows_end(rows, more, rc);
	if (!rc)
		rc = vg_tx_query(
		    in->tx,
		    "SELECT a.id, a.rule_title, a.severity_id, a.first_seen, a.last_seen, "
		    "a.count, a.tags, a.actor, a.resource, COALESCE(s.hostname, s.ip, "
		    "s.instance_id) FROM security_incident_alerts l JOIN alerts a ON a.id "
		    "= l.alert_id LEFT JOIN assets s ON s.id = a.asset_id WHERE "
		    "l.incident_id = ? ORDER BY a.first_seen, a.id",
		    VG_PARAMS(VG_P_INT(in->id)), &rows, in->err);
	while (!rc && (more = vg_rows_next(rows, in->err)) == 1) {
		alert_row *a;

		if (in->nalerts == cap) {
			size_t c = cap ? cap * 2 : 64;
			alert_row *p = realloc(in->alerts, c * sizeof(*p));

			if (!p) {
				rc = vg_error_set(in->err, VG_ENOMEM,
						  "out of memory reading alerts");
				break;
			}
			in->alerts = p;
			cap = c;
		}
		a = &in->alerts[in->nalerts++];
		a->id = vg_rows_int(rows, 0);
		a->rule = vg_report_strdup(r, vg_rows_text(rows, 1));
		a->severity_id = (int)vg_rows_int(rows, 2);
		a->first_seen = vg_rows_int(rows, 3);
		a->last_seen = vg_rows_int(rows, 4);
		a->count = vg_rows_int(rows, 5);
		/* Stored documents the pipeline wrote; one that does not parse
		 * simply names nothing. */
		a->tags = json_loads(vg_rows_text(rows, 6), 0, NULL);
		a->actor = json_loads(vg_rows_text(rows, 7), 0, NULL);
		a->resource = json_loads(vg_rows_text(rows, 8), 0, NULL);
		a->asset =
		    vg_rows_is_null(rows, 9) ? NULL : vg_report_strdup(r, vg_rows_text(rows, 9));
	}
	rc = vg__report_rows_end(rows, more, rc);
	cap = 0;
	if (!rc)
		rc = vg_tx_query(in->tx,
				 "SELECT at, username, action, phase, detail FROM "
				 "security_incident_activity WHERE incident_id = ? ORDER BY at, id",
				 VG_PARAMS(VG_P_INT(in->id)), &rows, in->err);
	while (!rc && (more = vg_rows_next(rows, in->err)) == 1) {
		activity_row *s;

		if (in->nactivity == cap) {
			size_t c = cap ? cap * 2 : 32;
			activity_row *p = realloc(in->activity, c * sizeof(*p));

			if (!p) {
				rc = vg_error_set(in->err, VG_ENOMEM,
						  "out of memory reading activity");
				break;
			}
			in->activity = p;
			cap = c;
		}
		s = &in->activity[in->nactivity++];
		s->at = vg_rows_int(rows, 0);
		s->user = vg_report_strdup(r, vg_rows_text(rows, 1));
		s->action = vg_report_strdup(r, vg_rows_text(rows, 2));
		s->phase = vg_report_strdup(r, vg_rows_text(rows, 3));
		s->detail = vg_report_strdup(r, vg_rows_text(rows, 4));
	}
	rc = vg__report_rows_end(rows, more, rc);
	/* What was read is compared below: it must all be there. */
	return rc ? rc : vg_report_failed(r, in->err);
}

static const char *action_word(const incident *in, const char *action)
{
	static const char *const words[][3] = {
	    {"open", "创建事件", "Opened"},  {"phase", "进入阶段", "Phase entered"},
	    {"note", "备注", "Note"},	     {"link", "关联告警", "Alerts linked"},
	    {"close", "关闭事件", "Closed"},
	};
	size_t i;

	for (i = 0; i < sizeof(words) / sizeof(*words); i++)
		if (strcmp(words[i][0], action) == 0)
			return tr(in, words[i][1], words[i][2]);
	return action;
}

static void chapter_summary(incident *in)
{
	vg_report *r = in->r;
	vg_report_table *t;

	vg_report_section_add(r, 1, tr(in, "事件概要", "Summary"));
	t = vg_report_table_add(r, 2,
				(const char *[]){tr(in, "项目", "Item"), tr(in, "内容", "Detail")},
				NULL, (const double[]){1, 4});
	vg_report_table_row(r, t, (const char *[]){tr(in, "编号", "Reference"), in->ref});
	vg_report_table_row(r, t, (const char *[]){tr(in, "标题", "Title"), in->title});
	vg_report_table_row(r, t,
			    (const char *[]){tr(in, "类型", "Category"),
					     vg__report_category(in->lang, in->category)});
	vg_report_table_row(r, t,
			    (const char *[]){tr(in, "严重程度", "Severity"),
					     vg__report_severity(in->lang, in->severity_id)});
	vg_report_table_row(
	    r, t,
	    (const char *[]){tr(in, "状态与阶段", "Status and phase"),
			     vg_report_printf(r, "%s / %s", vg__report_status(in->lang, in->status),
					      vg__report_phase(in->lang, in->phase))});
	vg_report_table_row(
	    r, t, (const char *[]){tr(in, "创建时间", "Opened"), when(in, in->created_at)});
	vg_report_table_row(r, t,
			    (const char *[]){tr(in, "关闭时间", "Closed"),
					     in->closed_at ? when(in, in->closed_at)
							   : tr(in, "尚未关闭", "not closed yet")});
	vg_report_paragraph(r, in->summary && *in->summary
				   ? in->summary
				   : tr(in, "事件尚未结案，暂无总结。",
					"The incident has not been closed with a summary yet."));
}

static void chapter_impact(incident *in)
{
	vg_report *r = in->r;
	vg_report_table *t;
	const char **assets = in->nalerts ? calloc(in->nalerts, sizeof(*assets)) : NULL;
	size_t nassets = 0, i, j;
	int64_t first = 0, last = 0;
	const char *list = "";

	for (i = 0; i < in->nalerts; i++) {
		const alert_row *a = &in->alerts[i];

		if (!first || a->first_seen < first)
			first = a->first_seen;
		if (a->last_seen > last)
			last = a->last_seen;
		if (!a->asset || !assets)
			continue;
		for (j = 0; j < nassets && strcmp(assets[j], a->asset); j++)
			;
		if (j == nassets)
			assets[nassets++] = a->asset;
	}
	for (i = 0; i < nassets; i++)
		list = i ? vg_report_printf(r, "%s, %s", list, assets[i]) : assets[i];
	free(assets);

	vg_report_section_add(r, 1, tr(in, "影响范围", "Impact"));
	t = vg_report_table_add(r, 2,
				(const char *[]){tr(in, "项目", "Item"), tr(in, "内容", "Detail")},
				NULL, (const double[]){1, 4});
	vg_report_table_row(r, t, (const char *[]){tr(in, "客户", "Customer"), in->tenant_name});
	vg_report_table_row(r, t,
			    (const char *[]){tr(in, "关联告警", "Alerts linked"),
					     vg_report_int(r, (int64_t)in->nalerts)});
	vg_report_table_row(
	    r, t,
	    (const char *[]){tr(in, "受影响资产", "Assets affected"),
			     nassets ? list : tr(in, "告警未关联到资产", "no asset named")});
	vg_report_table_row(
	    r, t,
	    (const char *[]){tr(in, "首次发现", "First seen"), first ? when(in, first) : "—"});
	vg_report_table_row(
	    r, t, (const char *[]){tr(in, "最后发现", "Last seen"), last ? when(in, last) : "—"});
}

/* ---- timeline ---- */

typedef struct event {
	int64_t at;
	size_t seq; /* ties keep the order they were listed in */
	const char *who, *detail;
} event;

static int event_cmp(const void *a, const void *b)
{
	const event *x = a, *y = b;

	if (x->at != y->at)
		return (x->at > y->at) - (x->at < y->at);
	return (x->seq > y->seq) - (x->seq < y->seq);
}

static int chapter_timeline(incident *in)
{
	vg_report *r = in->r;
	size_t n = 0, i, max = in->nactivity + 2 * in->nalerts;
	event *ev = calloc(max ? max : 1, sizeof(*ev));
	vg_report_table *t;

	if (!ev)
		return vg_error_set(in->err, VG_ENOMEM, "out of memory ordering the timeline");
	for (i = 0; i < in->nactivity; i++) {
		const activity_row *s = &in->activity[i];
		const char *what = action_word(in, s->action);

		if (strcmp(s->action, "phase") == 0)
			what = vg_report_printf(r, "%s: %s", what,
						vg__report_phase(in->lang, s->phase));
		ev[n] = (event){s->at, n, vg_report_printf(r, "%s · %s", s->user, what), s->detail};
		n++;
	}
	for (i = 0; i < in->nalerts; i++) {
		const alert_row *a = &in->alerts[i];
		const char *who =
		    vg_report_printf(r, tr(in, "告警 #%" PRId64, "Alert #%" PRId64), a->id);

		ev[n] = (event){
		    a->first_seen, n, who,
		    vg_report_printf(r, tr(in, "首次出现：%s（%s）", "First seen: %s (%s)"),
				     a->rule, vg__report_severity(in->lang, a->severity_id))};
		n++;
		if (a->last_seen != a->first_seen) {
			ev[n] = (event){
			    a->last_seen, n, who,
			    vg_report_printf(
				r,
				tr(in, "最后出现：%s（累计 %s 次）", "Last seen: %s (%s in all)"),
				a->rule, vg__report_count(r, a->count, "hit", "hits"))};
			n++;
		}
	}
	qsort(ev, n, sizeof(*ev), event_cmp);
	vg_report_section_add(r, 1, tr(in, "事件时间线", "Timeline"));
	vg_report_paragraph(r, vg_report_printf(r,
						tr(in, "时间为客户所在时区（%s）。",
						   "Times are in the customer's zone (%s)."),
						in->zone));
	t = vg_report_table_add(r, 3,
				(const char *[]){tr(in, "时间", "Time"),
						 tr(in, "人员/对象", "Who/what"),
						 tr(in, "详情", "Detail")},
				NULL, (const double[]){1.6, 2, 4});
	for (i = 0; i < n; i++)
		vg_report_table_row(r, t,
				    (const char *[]){when(in, ev[i].at), ev[i].who, ev[i].detail});
	free(ev);
	return VG_OK;
}

/* ---- attack chain ---- */

/* The tactic a tag names ("attack.initial_access", "attack.initial-access"),
 * or -1. */
static int tactic_of(const char *tag)
{
	char name[64];
	size_t i;

	if (strncmp(tag, "attack.", 7) != 0 || strlen(tag + 7) >= sizeof(name))
		return -1;
	for (i = 0; tag[7 + i]; i++)
		name[i] = tag[7 + i] == '-' ? '_' : tag[7 + i];
	name[i] = '\0';
	for (i = 0; i < NTACTICS; i++)
		if (strcmp(tactics[i].tag, name) == 0)
			return (int)i;
	return -1;
}

static bool is_technique(const char *tag)
{
	return strncmp(tag, "attack.t", 8) == 0 && tag[8] >= '0' && tag[8] <= '9';
}

/* Appends item to the comma-separated *list unless it is there already. */
static void list_add(vg_report *r, const char **list, const char *item)
{
	const char *p = *list;
	size_t n;

	if (!item)
		return;
	n = strlen(item);
	while (p && (p = strstr(p, item))) {
		if ((p == *list || p[-1] == ' ') && (p[n] == ',' || p[n] == '\0'))
			return;
		p += n;
	}
	*list = *list && **list ? vg_report_printf(r, "%s, %s", *list, item)
				: vg_report_strdup(r, item);
}

static void chapter_attack(incident *in, bool seen[NTACTICS])
{
	vg_report *r = in->r;
	const char *techniques[NTACTICS] = {0}, *alerts[NTACTICS] = {0};
	vg_report_table *t;
	size_t i, j, k, any = 0;

	for (i = 0; i < in->nalerts; i++) {
		const alert_row *a = &in->alerts[i];
		json_t *tag;
		bool mine[NTACTICS] = {false};

		json_array_foreach(a->tags, j, tag)
		{
			int tc = json_is_string(tag) ? tactic_of(json_string_value(tag)) : -1;

			if (tc >= 0)
				mine[tc] = true;
		}
		for (k = 0; k < NTACTICS; k++) {
			if (!mine[k])
				continue;
			seen[k] = true;
			list_add(r, &alerts[k],
				 vg_report_printf(r, "#%" PRId64 " %s", a->id, a->rule));
			json_array_foreach(a->tags, j,
					   tag) if (json_is_string(tag) &&
						    is_technique(json_string_value(tag)))
			    list_add(r, &techniques[k], json_string_value(tag) + 7);
		}
	}
	vg_report_section_add(r, 1, tr(in, "攻击链分析（ATT&CK）", "Attack chain (ATT&CK)"));
	for (k = 0; k < NTACTICS; k++)
		any += seen[k];
	if (!any) {
		vg_report_paragraph(
		    r, tr(in, "关联告警未带 ATT&CK 标签，无法按战术还原攻击链。",
			  "The linked alerts carry no ATT&CK tags, so the attack chain "
			  "cannot be laid out by tactic."));
		return;
	}
	vg_report_paragraph(
	    r, tr(in, "按 ATT&CK 企业矩阵战术的杀伤链顺序列出关联告警涉及的战术与技术。",
		  "The tactics and techniques of the linked alerts, in the kill-chain "
		  "order of the ATT&CK Enterprise matrix."));
	t = vg_report_table_add(r, 3,
				(const char *[]){tr(in, "战术", "Tactic"),
						 tr(in, "技术", "Techniques"),
						 tr(in, "告警", "Alerts")},
				NULL, (const double[]){2, 2, 4});
	for (k = 0; k < NTACTICS; k++)
		if (seen[k])
			vg_report_table_row(
			    r, t,
			    (const char *[]){vg_report_printf(r, "%s %s", tactics[k].id,
							      tr(in, tactics[k].zh, tactics[k].en)),
					     techniques[k] ? techniques[k] : "—", alerts[k]});
}

/* ---- indicators ---- */

typedef struct indicator {
	const char *type, *value, *seen;
	const char *intel; /* what the iocs list says of it, or NULL */
} indicator;

static void indicator_add(incident *in, indicator *list, size_t *n, size_t max, const char *type,
			  const json_t *doc, const char *key, int64_t alert_id)
{
	const char *v = json_string_value(json_object_get(doc, key));
	const char *ref = vg_report_printf(in->r, "#%" PRId64, alert_id);
	size_t i;

	if (!v || !*v || in->r->failed)
		return;
	for (i = 0; i < *n; i++)
		if (strcmp(list[i].type, type) == 0 && strcmp(list[i].value, v) == 0) {
			list_add(in->r, &list[i].seen, ref);
			return;
		}
	if (*n == max)
		return;
	list[*n] = (indicator){type, vg_report_strdup(in->r, v), ref, NULL};
	(*n)++;
}

static int chapter_iocs(incident *in)
{
	vg_report *r = in->r;
	size_t max = 5 * in->nalerts, n = 0, i;
	indicator *list = calloc(max ? max : 1, sizeof(*list));
	json_t *values = json_array();
	char *values_text = NULL;
	vg_rows *rows = NULL;
	vg_report_table *t;
	int more = 0, rc = VG_OK;

	if (!list || !values) {
		rc = vg_error_set(in->err, VG_ENOMEM, "out of memory listing indicators");
		goto out;
	}
	for (i = 0; i < in->nalerts; i++) {
		const alert_row *a = &in->alerts[i];

		indicator_add(in, list, &n, max, tr(in, "攻击者 IP", "Actor IP"), a->actor, "ip",
			      a->id);
		indicator_add(in, list, &n, max, tr(in, "攻击者账号", "Actor user"), a->actor,
			      "user", a->id);
		indicator_add(in, list, &n, max, tr(in, "受害 IP", "Resource IP"), a->resource,
			      "ip", a->id);
		indicator_add(in, list, &n, max, tr(in, "受害主机", "Resource host"), a->resource,
			      "hostname", a->id);
		indicator_add(in, list, &n, max, tr(in, "受害实例", "Resource instance"),
			      a->resource, "instance_id", a->id);
	}
	for (i = 0; i < n; i++)
		json_array_append_new(values, json_string(list[i].value));
	values_text = json_dumps(values, JSON_COMPACT);
	if (!values_text) {
		rc = vg_error_set(in->err, VG_ENOMEM, "out of memory listing indicators");
		goto out;
	}
	rc =
	    vg_tx_query(in->tx,
			"SELECT value, type, level, description, source FROM iocs WHERE (tenant_id "
			"= 0 OR tenant_id = ?) AND value IN (SELECT value FROM json_each(?)) ORDER "
			"BY tenant_id DESC, id",
			VG_PARAMS(VG_P_INT(in->tenant_id), VG_P_TEXT(values_text)), &rows, in->err);
	while (!rc && (more = vg_rows_next(rows, in->err)) == 1) {
		const char *v = vg_rows_text(rows, 0), *desc = vg_rows_text(rows, 3);

		for (i = 0; i < n; i++)
			if (!list[i].intel && strcmp(list[i].value, v) == 0)
				list[i].intel =
				    vg_report_printf(r,
						     tr(in, "情报命中（%s，%s%s%s）",
							"threat intel match (%s, %s%s%s)"),
						     vg_rows_text(rows, 1), vg_rows_text(rows, 2),
						     *desc ? ": " : "", desc);
	}
	rc = vg__report_rows_end(rows, more, rc);
	if (rc)
		goto out;
	vg_report_section_add(r, 1, tr(in, "失陷指标（IOC）", "Indicators of compromise"));
	if (!n) {
		vg_report_paragraph(
		    r, tr(in, "关联告警未记录攻击者或受害资源的地址、主机与账号。",
			  "The linked alerts recorded no actor or resource address, host "
			  "or user."));
		goto out;
	}
	t = vg_report_table_add(r, 3,
				(const char *[]){tr(in, "类型", "Type"), tr(in, "值", "Value"),
						 tr(in, "出现于", "Seen in")},
				NULL, (const double[]){1.5, 2.5, 4});
	for (i = 0; i < n; i++)
		vg_report_table_row(
		    r, t,
		    (const char *[]){
			list[i].type, list[i].value,
			list[i].intel ? vg_report_printf(r, "%s; %s", list[i].seen, list[i].intel)
				      : list[i].seen});
out:
	free(list);
	free(values_text);
	json_decref(values);
	return rc;
}

/* ---- root cause, actions, recommendations ---- */

static int chapter_root_cause(incident *in)
{
	char cause[4096] = "";
	int64_t ticket = 0;
	int rc = vg_ticket_of_incident(in->tx, in->id, &ticket, in->err);

	if (!rc && ticket)
		rc = vg_tx_query_text(
		    in->tx, "SELECT json_extract(fields, '$.root_cause') FROM tickets WHERE id = ?",
		    VG_PARAMS(VG_P_INT(ticket)), cause, sizeof(cause), in->err);
	if (rc)
		return rc;
	vg_report_section_add(in->r, 1, tr(in, "根因分析", "Root cause"));
	if (*cause)
		vg_report_paragraph(in->r, cause);
	else if (in->summary && *in->summary)
		vg_report_paragraph(
		    in->r, vg_report_printf(
			       in->r,
			       tr(in, "未单独记录根因；结案总结：%s",
				  "No root cause was recorded apart; the summary at close: %s"),
			       in->summary));
	else
		vg_report_paragraph(
		    in->r, tr(in, "根因尚未记录。", "The root cause has not been recorded."));
	return VG_OK;
}

static void chapter_actions(incident *in)
{
	static const char *const phases[] = {"detection", "containment", "eradication", "recovery",
					     "post_incident"};
	vg_report *r = in->r;
	vg_report_table *t;
	size_t p, i;

	vg_report_section_add(r, 1, tr(in, "处置过程", "Actions taken"));
	t = vg_report_table_add(r, 4,
				(const char *[]){tr(in, "阶段", "Phase"), tr(in, "时间", "Time"),
						 tr(in, "人员", "By"), tr(in, "处置记录", "Notes")},
				NULL, (const double[]){1.2, 1.6, 1.2, 4});
	for (p = 0; p < sizeof(phases) / sizeof(*phases); p++) {
		const char *name = vg__report_phase(in->lang, phases[p]);
		size_t rows = 0;

		for (i = 0; i < in->nactivity; i++) {
			const activity_row *s = &in->activity[i];

			if (strcmp(s->phase, phases[p]) != 0 || !*s->detail)
				continue;
			vg_report_table_row(
			    r, t, (const char *[]){name, when(in, s->at), s->user, s->detail});
			rows++;
		}
		if (!rows)
			vg_report_table_row(
			    r, t,
			    (const char *[]){name, "—", "—", tr(in, "无记录", "nothing recorded")});
	}
}

static void chapter_recommendations(incident *in, const bool seen[NTACTICS])
{
	vg_report *r = in->r;
	const category_advice *advice =
	    &category_advices[sizeof(category_advices) / sizeof(*category_advices) - 1];
	vg_report_table *t;
	size_t i;

	for (i = 0; i < sizeof(category_advices) / sizeof(*category_advices); i++)
		if (strcmp(category_advices[i].category, in->category) == 0)
			advice = &category_advices[i];
	vg_report_section_add(r, 1, tr(in, "处置建议", "Recommendations"));
	vg_report_paragraph(r,
			    vg_report_printf(r, tr(in, "针对%s类事件：%s", "For a %s incident: %s"),
					     vg__report_category(in->lang, in->category),
					     tr(in, advice->zh, advice->en)));
	for (i = 0; i < NTACTICS && !seen[i]; i++)
		;
	if (i == NTACTICS)
		return;
	t = vg_report_table_add(
	    r, 2, (const char *[]){tr(in, "战术", "Tactic"), tr(in, "建议", "Advice")}, NULL,
	    (const double[]){1, 4});
	for (i = 0; i < NTACTICS; i++)
		if (seen[i])
			vg_report_table_row(
			    r, t,
			    (const char *[]){tr(in, tactics[i].zh, tactics[i].en),
					     tr(in, tactics[i].advice_zh, tactics[i].advice_en)});
}

static int build(incident *in, const vg_report_origin *origin)
{
	vg_report *r = in->r;
	bool seen[NTACTICS] = {false};
	const char *opened, *period;
	int rc;

	in->ref = vg_report_printf(r, "SEC-%" PRId64, in->id);
	opened = vg_report_printf(r, "%.10s", when(in, in->created_at));
	if (in->closed_at)
		period = vg_report_printf(r, "%s · %s — %.10s", in->ref, opened,
					  when(in, in->closed_at));
	else
		period =
		    vg_report_printf(r, tr(in, "%s · %s 起", "%s · since %s"), in->ref, opened);
	vg_report_cover(r, tr(in, "安全事件分析报告", "Security Incident Analysis Report"),
			in->tenant_name, period, origin && origin->issuer ? origin->issuer : "",
			vg__report_generated(r, in->zone, origin ? origin->now : 0));
	chapter_summary(in);
	chapter_impact(in);
	rc = chapter_timeline(in);
	if (!rc)
		chapter_attack(in, seen);
	if (!rc)
		rc = chapter_iocs(in);
	if (!rc)
		rc = chapter_root_cause(in);
	if (!rc) {
		chapter_actions(in);
		chapter_recommendations(in, seen);
	}
	return rc;
}

int vg_report_incident_build(vg_tx *tx, const vg_ctx *ctx, int64_t incident_id, vg_report_lang lang,
			     const vg_report_origin *origin, vg_report **out, vg_error *err)
{
	incident in = {.tx = tx, .ctx = ctx, .lang = lang, .err = err, .id = incident_id};
	json_t *visible = NULL;
	vg_tenant t;
	size_t i;
	int rc;

	*out = NULL;
	/* Visibility is the incidents module's to decide. */
	rc = vg_incident_get(tx, ctx, incident_id, &visible, err);
	json_decref(visible);
	if (rc)
		return rc;
	in.r = vg_report_new(lang);
	if (!in.r)
		return vg_error_set(err, VG_ENOMEM, "out of memory building the report");
	rc = load(&in);
	if (!rc)
		rc = vg_tenant_get(tx, ctx, in.tenant_id, &t, err);
	if (!rc) {
		snprintf(in.zone, sizeof(in.zone), "%s", t.timezone);
		snprintf(in.tenant_name, sizeof(in.tenant_name), "%s", t.name);
		vg_tenant_release(&t);
		rc = build(&in, origin);
	}
	if (!rc)
		rc = vg_report_failed(in.r, err);
	for (i = 0; i < in.nalerts; i++) {
		json_decref(in.alerts[i].tags);
		json_decref(in.alerts[i].actor);
		json_decref(in.alerts[i].resource);
	}
	free(in.alerts);
	free(in.activity);
	if (rc)
		vg_report_free(in.r);
	else
		*out = in.r;
	return rc;
}
