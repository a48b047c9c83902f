"""Findings: built from the catalogue in data/findings.yaml so every one has a Chinese message,
a severity, and the rule's source."""
from __future__ import annotations

from dudao.resources import load_yaml

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


class _Defaults(dict):
    def __missing__(self, key):
        return "—"


def catalogue() -> dict:
    return load_yaml("findings")


def make(code: str, start: int, end: int, text: str | None = None, **fields) -> dict:
    """A finding with its span into the report text (quote = text[start:end] when text given)."""
    entry = catalogue()[code]
    severity = fields.pop("severity", None) or entry["severity"]
    values = _Defaults(fields)
    out = {
        "code": code,
        "severity": severity,
        "title": entry["title"],
        "message": entry["message"].format_map(values),
        "source": entry["source"].format_map(values),
        "start": start,
        "end": end,
    }
    if text is not None:
        out["quote"] = text[start:end]
    # The template's fields stay with the finding as data (numbers for tables, e.g. the limit).
    extra = {k: v for k, v in fields.items() if isinstance(v, (int, float, str, list, dict))}
    if extra:
        out["data"] = extra
    return out


def sort_findings(findings: list[dict]) -> list[dict]:
    return sorted(findings, key=lambda f: (SEVERITY_ORDER.get(f["severity"], 9), f["start"]))
