"""The documents generated from code tables match the code."""
import json
import os
import re

from conftest import REPO, cli


def between(path, name):
    text = open(os.path.join(REPO, path), encoding="utf-8").read()
    start = f"<!-- {name}:begin -->\n"
    return text[text.index(start) + len(start):text.index(f"<!-- {name}:end -->")]


def test_config_reference_matches_the_key_table():
    assert between("docs/config.md", "config") == cli("config", "--markdown").stdout


def test_security_doc_matches_the_permission_table():
    assert between("docs/security.md", "permissions") == cli("permissions", "--markdown").stdout


def test_openapi_describes_every_route():
    """A line-based reading of docs/openapi.yaml: paths at two spaces of
    indent, methods at four."""
    documented, path = set(), None
    for line in open(os.path.join(REPO, "docs/openapi.yaml"), encoding="utf-8"):
        m = re.match(r"^  (/\S*):$", line)
        if m:
            path = m.group(1)
            continue
        m = re.match(r"^    (get|post|patch|put|delete):", line)
        if m and path:
            documented.add((m.group(1).upper(), path))
        if re.match(r"^\S", line):
            path = None
    routes = {(r["method"], r["path"]) for r in json.loads(cli("routes", "--json").stdout)}
    assert routes == documented
