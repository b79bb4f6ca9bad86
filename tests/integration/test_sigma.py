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


def test_vigils_own_rules_lint_clean_and_pass_their_samples():
    own = os.path.join(REPO, "content", "rules")
    sshd = os.path.join(own, "linux", "sshd_brute_force.yml")
    p = cli("rules", "lint", own)
    assert p.returncode == 0, p.stdout
    assert p.stdout.splitlines() == [f"{sshd}: ok", "1 files, 2 rules: 1 ok, 0 failed"]
    p = cli("rules", "test", own)
    assert p.returncode == 0, p.stdout
    assert p.stdout.splitlines() == [
        f"PASS {sshd}:42: SSH Login Failed: sample matches",
        f"PASS {sshd}:44: SSH Login Failed: sample does not match",
        "2 passed, 0 failed, 0 skipped",
    ]


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
