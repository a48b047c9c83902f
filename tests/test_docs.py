"""Docs are checked against the code and data they describe."""
import re
import sys

from dudao.checks.scheme import default_scheme
from dudao.resources import load_yaml

from conftest import ROOT


def test_findings_doc_matches_catalogue():
    sys.path.insert(0, str(ROOT / "scripts"))
    from gen_findings_doc import render
    assert (ROOT / "docs" / "findings.md").read_text(encoding="utf-8") == render(), \
        "docs/findings.md 已过期：请运行 python scripts/gen_findings_doc.py"


def test_catalogue_covers_contract_codes():
    contract = {"placeholder", "over_length", "missing_problems", "stale_year", "heading_numbering",
                "duplicate_content", "garbled_text", "off_topic", "score_arithmetic", "below_standard"}
    issue = {"missing_section", "later_events", "inconsistent_figure", "implausible_value", "spending_decline",
             "missing_self_score"}
    cat = load_yaml("findings")
    assert contract | issue <= set(cat)
    for code, e in cat.items():
        assert e["severity"] in ("error", "warning", "info") and e["title"] and e["message"] and e["source"], code


def test_output_doc_lists_every_contract_field():
    doc = (ROOT / "docs" / "output.md").read_text(encoding="utf-8")
    for field in ("source", "format", "encoding", "reports", "text", "relevant", "doc_type", "region", "work_year",
                  "round_year", "issuer", "publish_date", "scheme_refs", "self_score", "sections", "problems",
                  "placeholders", "indicators", "findings"):
        assert f"`{field}`" in doc, field


def test_readme_commands_exist():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in re.findall(r"^make (\w+)", readme, re.M):
        assert re.search(rf"^{target}:", makefile, re.M), target
    assert "make demo" in readme and "make test" in readme
    for cmd in re.findall(r"\.venv/bin/dudao (\w+)", readme):
        from dudao.cli import app
        names = {c.name for c in app.registered_commands} | {g.name for g in app.registered_groups}
        assert cmd in names, cmd


def test_default_scheme_loads():
    s = default_scheme()
    assert s.length_limit == 5000 and "problems" in s.required_roles


def test_examples_expectations_quote_their_sources():
    import subprocess
    r = subprocess.run([sys.executable, str(ROOT / "scripts" / "make_examples.py"), "--check"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
