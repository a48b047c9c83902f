"""The analysis pipeline: ingest → clean → split → per-report stages → output dict.

Per-report stages are small registered functions that declare what they need and what they add
(as spaCy's pipeline components do); `Pipeline` checks the order once, at construction.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

from dudao.clean import CleanDoc, clean
from dudao.contracts import STAGES, DocContext, ReportView
from dudao.ingest.base import RawDoc
from dudao.model import SCHEMA_VERSION
from dudao.options import Options
from dudao.split import split

@dataclass
class Context:
    """Document-level inputs every stage may use: the raw document, its cleaned text, options."""
    raw: RawDoc
    doc: CleanDoc
    options: Options


# Fields every report starts with (the document-level steps set them): `text` and `label` in
# the output, the rest in the per-report scratch (`DocContext`).
BASE_FIELDS = ("text", "label", "meta", "offset", "removed", "siblings")

DEFAULT_STAGES = (
    "classify", "sections", "placeholders", "meta", "region", "self_score",
    "problems", "indicators", "cleaning_findings", "checks",
)


class Pipeline:
    def __init__(self, names=DEFAULT_STAGES):
        import dudao.stages  # noqa: F401  (registers the stages; stages.py never imports this module)

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

    def run_report(self, report: dict, scratch: DocContext, ctx: Context) -> dict:
        # Each stage sees only the fields it declared (ReportView raises ContractError otherwise).
        for st in self.stages:
            st.fn(ReportView(report, scratch, st), ctx)
        return report

    def run(self, raw: RawDoc, options: Options | dict | None = None) -> dict:
        doc = clean(raw.text)
        ctx = Context(raw, doc, Options.coerce(options))
        done = []
        parts = split(doc.text)
        removed = _removed_by_part(doc, parts)
        for part, gone in zip(parts, removed):
            text = doc.text[part.start:part.end]
            lead = len(text) - len(text.lstrip())
            scratch = DocContext(meta=raw.meta, offset=part.start + lead, removed=gone, siblings=len(parts) - 1)
            report = {"text": text.strip(), "label": part.label}
            done.append((self.run_report(report, scratch, ctx), scratch))
        return _document_output(raw, doc, done)


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


def source_digest(raw: RawDoc) -> str:
    """sha256 of the source file's bytes (set by the reader), else of the text itself."""
    return raw.digest or hashlib.sha256(raw.text.encode("utf-8")).hexdigest()


def _document_output(raw: RawDoc, doc: CleanDoc, done: list[tuple[dict, DocContext]]) -> dict:
    page_findings = sorted({r.code for r in doc.removed if r.code in ("web_boilerplate", "page_furniture")})
    page_findings += [n["code"] for n in raw.notes if n.get("code") not in page_findings]
    out_reports = []
    digest = source_digest(raw)[:12]
    for index, (r, scratch) in enumerate(done, 1):
        offset = scratch.offset
        r["provenance"] = {"clean_offset": offset, "source_offset": raw.where(doc.map.to_source(offset))}
        # Where each finding, figure and problem stands in the source file (offset, PDF page,
        # DOCX paragraph), so a reviewer can open the original at the right place.
        for key in ("findings", "indicators", "problems"):
            for item in r.get(key) or []:
                item["origin"] = raw.where(doc.map.to_source(offset + item["start"]))
        # Additions to contract v1: a stable id (same bytes, same id) and the contract version.
        r["id"] = f"{digest}-{index}"
        r["source"] = raw.source
        r["schema_version"] = SCHEMA_VERSION
        out_reports.append(r)
    return {
        "source": raw.source,
        "format": raw.format,
        "encoding": raw.encoding,
        "meta": raw.meta,
        "page_findings": page_findings,
        "reports": out_reports,
        "schema_version": SCHEMA_VERSION,
    }


_default = None


def default_pipeline() -> Pipeline:
    global _default
    if _default is None:
        _default = Pipeline()
    return _default


def analyze_raw(raw: RawDoc, options: Options | dict | None = None) -> dict:
    """One document's contract dict (the JSON `dudao analyze` writes per input file)."""
    return default_pipeline().run(raw, options)


def analyze_text(text: str, source: str = "<text>", options: Options | dict | None = None) -> dict:
    """The document dict of a text (the library API `dudao.analyze_text` returns typed reports)."""
    return analyze_raw(RawDoc(source=source, format="txt", text=text, encoding=None), options)
