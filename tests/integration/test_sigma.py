"""SigmaHQ's own content through the engine: every rule lints clean and
every regression case gives its expected match count."""
import os
import re

from conftest import REPO, SHARED, cli

RULES = os.path.join(SHARED, "sigma", "rules")
CASES = os.path.join(SHARED, "sigma", "regression_data", "rules")

# Cases whose match_count is lower than the events of their JSON that the
# rule matches; each event listed in docs/sigma-compat.md satisfies the
# rule as written, so Vigil's count is the right one.
DATA_DEFECTS = {
    "windows/file/file_event/file_event_win_anydesk_artefact":
        "Anydesk Temporary Artefact (windows): 3 matches, expected 1",
    "windows/file/file_event/file_event_win_cred_dump_tools_dropped_files":
        "Cred Dump Tools Dropped Files (windows): 3 matches, expected 1",
    "windows/registry/registry_set/registry_set_change_security_zones":
        "IE Change Domain Zone (windows): 3 matches, expected 1",
    "windows/registry/registry_set/registry_set_disable_administrative_share":
        "Disable Administrative Share Creation at Startup (windows): 2 matches, expected 1",
}


def test_every_sigmahq_rule_lints_clean():
    p = cli("rules", "lint", RULES)
    assert p.returncode == 0, p.stdout[-2000:]
    lines = p.stdout.splitlines()
    assert lines[-1] == "3141 files, 3141 rules: 3141 ok, 0 failed"
    assert len(lines) == 3142 and all(line.endswith(": ok") for line in lines[:-1])


def test_every_sigmahq_regression_case_gives_its_match_count():
    p = cli("rules", "test", RULES, CASES)
    lines = p.stdout.splitlines()
    assert lines[-1] == "188 passed, 4 failed, 1 skipped"
    failed = {}
    for line in lines[:-1]:
        kind, rest = line.split(" ", 1)
        assert kind in ("PASS", "FAIL", "SKIP"), line
        if kind == "FAIL":
            m = re.fullmatch(re.escape(CASES) + r"/(.*)/info\.yml:\d+: (.*)", rest)
            assert m, line
            failed[m.group(1)] = m.group(2)
        if kind == "PASS" and "regression_data" in rest:
            m = re.search(r": (\d+) matches, expected (\d+|at least 1)$", rest)
            assert m, line
            assert m.group(2) == "at least 1" or m.group(1) == m.group(2), line
    assert failed == DATA_DEFECTS
    assert p.returncode == 1


# Vigil's own rules: per file (under content/rules), the title of the rule
# whose samples it carries and each sample's line and whether it should
# match (M) or not (N). Every file lints clean and every sample passes.
M, N = "matches", "does not match"
OWN_SAMPLES = {
    "alibaba/actiontrail_access_key_created_for_other_user.yml": (
        "Alibaba Cloud RAM Access Key Created For Another User",
        [(35, M), (46, N), (52, N)]),
    "alibaba/actiontrail_console_signin_without_mfa.yml": (
        "Alibaba Cloud Console Logon Without MFA",
        [(41, M), (56, M), (67, N), (74, N)]),
    "alibaba/actiontrail_root_account_used.yml": (
        "Alibaba Cloud Account (Root) Credentials Used",
        [(37, M), (52, N), (57, N)]),
    "alibaba/actiontrail_security_center_or_logging_disabled.yml": (
        "Alibaba Cloud Security Center Agent Or Audit Log Store Disabled",
        [(44, M), (52, M), (59, N), (63, N)]),
    "alibaba/actiontrail_security_group_open_admin_ports.yml": (
        "Alibaba Cloud Security Group Opened To The Internet On Admin Ports",
        [(64, M), (73, M), (84, M), (90, N), (93, N), (96, N)]),
    "alibaba/actiontrail_trail_stopped_or_deleted.yml": (
        "Alibaba Cloud ActionTrail Trail Stopped Or Deleted",
        [(33, M), (47, M), (55, N), (61, N)]),
    "alibaba/waf_many_blocked_requests_one_address.yml": (
        "Alibaba Cloud WAF Request Blocked",
        [(49, M), (64, N)]),
    "huawei/cts_access_key_created_for_other_user.yml": (
        "Huawei Cloud IAM Access Key Created For Another User",
        [(39, M), (52, N), (61, N)]),
    "huawei/cts_console_login_without_mfa.yml": (
        "Huawei Cloud Console Login Without MFA",
        [(39, M), (50, N), (57, N)]),
    "huawei/cts_hss_protection_disabled.yml": (
        "Huawei Cloud Host Security Protection Disabled",
        [(38, M), (48, M), (56, N), (63, N)]),
    "huawei/cts_root_account_used.yml": (
        "Huawei Cloud Account (Root) Credentials Used",
        [(39, M), (54, M), (63, N), (69, N)]),
    "huawei/cts_security_group_open_admin_ports.yml": (
        "Huawei Cloud Security Group Opened To The Internet On Admin Ports",
        [(58, M), (70, M), (77, M), (84, N), (90, N), (96, N), (102, N)]),
    "huawei/cts_tracker_stopped_or_deleted.yml": (
        "Huawei Cloud CTS Tracker Disabled Or Deleted",
        [(37, M), (52, M), (63, N), (70, N)]),
    "linux/sshd_brute_force.yml": (
        "SSH Login Failed",
        [(42, M), (44, N)]),
    "tencent/cloudaudit_access_key_created_for_other_user.yml": (
        "Tencent Cloud CAM Access Key Created For Another User",
        [(40, M), (49, M), (56, N), (62, N)]),
    "tencent/cloudaudit_console_login_without_mfa.yml": (
        "Tencent Cloud Console Login Without MFA",
        [(42, M), (50, M), (57, N), (63, N)]),
    "tencent/cloudaudit_cwp_agent_uninstalled.yml": (
        "Tencent Cloud Workload Protection Agent Uninstalled",
        [(30, M), (40, N)]),
    "tencent/cloudaudit_root_account_used.yml": (
        "Tencent Cloud Root Account Used",
        [(41, M), (56, M), (65, N), (71, N), (75, N)]),
    "tencent/cloudaudit_security_group_open_admin_ports.yml": (
        "Tencent Cloud Security Group Opened To The Internet On Admin Ports",
        [(57, M), (67, M), (71, M), (76, M), (80, N), (83, N), (86, N), (89, N)]),
    "tencent/cloudaudit_tracking_set_stopped_or_deleted.yml": (
        "Tencent Cloud CloudAudit Tracking Set Stopped Or Deleted",
        [(48, M), (63, M), (72, M), (79, N), (84, N), (88, N)]),
}


def test_vigils_own_rules_lint_clean_and_pass_their_samples():
    own = os.path.join(REPO, "content", "rules")
    p = cli("rules", "lint", own)
    assert p.returncode == 0, p.stdout
    assert p.stdout.splitlines() == [f"{own}/{f}: ok" for f in OWN_SAMPLES] + [
        "20 files, 22 rules: 20 ok, 0 failed"]
    p = cli("rules", "test", own)
    assert p.returncode == 0, p.stdout
    assert p.stdout.splitlines() == [
        f"PASS {own}/{f}:{line}: {title}: sample {verdict}"
        for f, (title, samples) in OWN_SAMPLES.items() for line, verdict in samples
    ] + ["82 passed, 0 failed, 0 skipped"]


def test_lint_names_file_line_and_feature(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("title: t\nlogsource: {product: windows}\ndetection:\n"
                   "  sel:\n    Image|contain: x\n  condition: sel\n")
    good = tmp_path / "good.yml"
    good.write_text("title: g\nlogsource: {product: windows}\ndetection:\n"
                    "  sel:\n    Image|endswith: '\\x.exe'\n  condition: sel\n")
    p = cli("rules", "lint", str(tmp_path))
    assert p.returncode == 1
    assert p.stdout.splitlines() == [
        f'{bad}:5: unknown modifier "contain"',
        f"{good}: ok",
        "2 files, 1 rules: 1 ok, 1 failed",
    ]
