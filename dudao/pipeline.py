"""The analysis pipeline: ingest → clean → split → per-report stages → output dict.

Per-report stages are small registered functions that declare what they need and what they add
(as spaCy's pipeline components do); `Pipeline` checks the order once, at construction.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from dudao.clean import CleanDoc, clean
from dudao.ingest.base import RawDoc
from dudao.split import split

STAGES: dict[str, "Stage"] = {}


@dataclass
class Stage:
    name: str
    fn: Callable
    requires: tuple[str, ...]
    provides: tuple[str, ...]


def stage(name: str, requires: tuple[str, ...] = (), provides: tuple[str, ...] = ()):
    def deco(fn):
        STAGES[name] = Stage(name, fn, tuple(requires), tuple(provides))
        return fn
    return deco


@dataclass
class Context:
    raw: RawDoc
    doc: CleanDoc
    options: dict = field(default_factory=dict)


# The report starts with these fields (set by the document-level steps).
BASE_FIELDS = ("text", "offset", "label", "meta", "_removed")

DEFAULT_STAGES = (
    "classify", "sections", "placeholders", "meta", "region", "self_score",
    "problems", "indicators", "cleaning_findings", "checks",
)


class Pipeline:
    def __init__(self, names=DEFAULT_STAGES):
        import dudao.stages  # noqa: F401  (registers the stages)

        have = set(BASE_FIELDS)
        self.stages = []
        for n in names:
            if n not in STAGES:
                raise ValueError(f"unknown stage {n!r}")
            st = STAGES[n]
            missing = [r for r in st.requires if r not in have]
            if missing:
                raise ValueError(f"stage {n!r} needs {missing} before it")
            have.update(st.provides)
            self.stages.append(st)

    def run_report(self, report: dict, ctx: Context) -> dict:
        for st in self.stages:
            st.fn(report, ctx)
        return report

    def run(self, raw: RawDoc, options: dict | None = None) -> dict:
        doc = clean(raw.text)
        ctx = Context(raw, doc, options or {})
        reports = []
        parts = split(doc.text)
        removed = _removed_by_part(doc, parts)
        for part, gone in zip(parts, removed):
            text = doc.text[part.start:part.end]
            lead = len(text) - len(text.lstrip())
            text = text.strip()
            report = {"text": text, "offset": part.start + lead, "label": part.label, "meta": raw.meta,
                      "_removed": gone, "_siblings": len(parts) - 1}
            reports.append(self.run_report(report, ctx))
        return _document_output(raw, doc, reports)


def _removed_by_part(doc: CleanDoc, parts) -> list[list]:
    """Garbled text and duplicated copies removed by the cleaner, each given to the report it was
    cut from (the one whose span holds the place it stood; the last one for the end)."""
    out = [[] for _ in parts]
    for r in doc.removed:
        if r.code not in ("garbled_text", "duplicate_content"):
            continue
        k = next((i for i, p in enumerate(parts) if p.start <= r.clean_at <= p.end + 1), len(parts) - 1)
        out[k].append(r)
    return out


def _document_output(raw: RawDoc, doc: CleanDoc, reports: list[dict]) -> dict:
    page_findings = sorted({r.code for r in doc.removed if r.code in ("web_boilerplate", "page_furniture")})
    page_findings += [n["code"] for n in raw.notes if n.get("code") not in page_findings]
    out_reports = []
    for r in reports:
        offset = r.pop("offset")
        r.pop("meta", None)
        for key in [k for k in r if k.startswith("_")]:
            r.pop(key)
        r["provenance"] = {"clean_offset": offset, "source_offset": raw.where(doc.map.to_source(offset))}
        # Where each finding, figure and problem stands in the source file (offset, PDF page,
        # DOCX paragraph), so a reviewer can open the original at the right place.
        for key in ("findings", "indicators", "problems"):
            for item in r.get(key) or []:
                item["origin"] = raw.where(doc.map.to_source(offset + item["start"]))
        out_reports.append(r)
    return {
        "source": raw.source,
        "format": raw.format,
        "encoding": raw.encoding,
        "meta": raw.meta,
        "page_findings": page_findings,
        "reports": out_reports,
    }


_default = None


def default_pipeline() -> Pipeline:
    global _default
    if _default is None:
        _default = Pipeline()
    return _default


def analyze_raw(raw: RawDoc, options: dict | None = None) -> dict:
    return default_pipeline().run(raw, options)


def analyze_text(text: str, source: str = "<text>", options: dict | None = None) -> dict:
    return analyze_raw(RawDoc(source=source, format="txt", text=text, encoding=None), options)


def analyze_path(path: str, options: dict | None = None) -> list[dict]:
    from dudao.ingest import read_path
    return [analyze_raw(raw, options) for raw in read_path(path)]
