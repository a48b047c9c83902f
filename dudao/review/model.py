"""The review pack's view model: entries (one per report) and the pack, built from report dicts in
memory, plus the indicator comparison the writers share. Writers (excel, html, feedback) import
this module only; nothing here imports a writer.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from dudao.semantics import judge, standard_rule, standard_text, year_of_scope
from dudao.render import report_title
from dudao.resources import load_yaml

DOC_TYPE_LABELS = {
    "self_report": "政府履职自评报告",
    "school_self_report": "学校自评报告",
    "feedback": "督导反馈意见",
    "rectification": "整改方案或整改报告",
    "scheme": "评价方案或通知",
    "news": "新闻报道",
    "other": "其他文章",
}
SEVERITY_LABELS = {"error": "严重", "warning": "警告", "info": "提示"}
LEVEL_LABELS = {"province": "省级", "city": "市级", "county": "县级"}


_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")


def encodable(text: str) -> str:
    """Text that can be written as UTF-8: lone surrogates (a file name in another encoding, read
    with surrogateescape) become U+FFFD instead of failing the whole pack."""
    return _LONE_SURROGATE.sub("\ufffd", text)


# --- entries -------------------------------------------------------------------------------

def report_id(report: dict, source: str, index: int) -> str:
    """The report's stable id: its own `id` when the analysis gave one, else one made from its source
    and position in the same form ("<12 hex>-<index>"). The only place a fallback id is made."""
    rid = report.get("id")
    if rid:
        return str(rid)
    return f"{hashlib.sha256(source.encode('utf-8', 'surrogatepass')).hexdigest()[:12]}-{index}"


@dataclass
class Entry:
    """One report of one input file, with everything the writers need."""

    n: int                  # 1-based number in the pack; its page is reports/<n>.html
    id: str                 # the report's stable id (report_id), also the doc id for copy detection
    source: str             # the input path as given
    output: str             # the analysis JSON's file name (under OUT/analysis/)
    stem: str               # output name without .json
    index: int              # 1-based position of the report in its file (篇序)
    report: dict
    fmt: str = ""
    copy_ratio: float = 0.0
    copies: list[dict] = field(default_factory=list)   # passages on this report's side
    feedback: str | None = None                        # relative path of the draft feedback

    @property
    def relevant(self) -> bool:
        return bool(self.report.get("relevant"))

    @property
    def page(self) -> str:
        return f"reports/{self.n}.html"

    @property
    def text(self) -> str:
        return self.report.get("text") or ""

    @cached_property
    def title(self) -> str:
        """The report's title, as `dudao analyze --format table` shows it (not its first line)."""
        return report_title(self.report).strip() or "（空白）"

    @property
    def region(self) -> dict | None:
        r = self.report.get("region")
        return r if r and r.get("name") else None

    @property
    def region_name(self) -> str | None:
        return self.region["name"] if self.region else None

    @property
    def region_label(self) -> str:
        """Short label for tables: the region's name, or the file and position when unnamed."""
        if self.region:
            return self.region["name"]
        return f"未具名（{self.stem} 第{self.index}篇）"

    @property
    def region_full(self) -> str:
        r = self.region
        if r:
            parts = [r.get("province"), r.get("city"), r["name"]]
            return "".join(dict.fromkeys(p for p in parts if p))
        hint = self.report.get("province_hint")
        return f"未具名（疑为{hint}）" if hint else "未具名"

    @property
    def region_key(self) -> str:
        r = self.region
        if r:
            return r.get("adcode") or r["name"]
        return self.id

    @property
    def doc_type_label(self) -> str:
        return DOC_TYPE_LABELS.get(self.report.get("doc_type"), "其他文章")

    @property
    def self_score(self) -> dict:
        return self.report.get("self_score") or {}

    @cached_property
    def word_count(self) -> int:
        from dudao.checks import word_count
        return word_count(self.text)

    def severity_counts(self) -> dict:
        out = {"error": 0, "warning": 0, "info": 0}
        for f in self.report.get("findings") or []:
            out[f.get("severity", "info")] = out.get(f.get("severity", "info"), 0) + 1
        return out


@dataclass
class Pack:
    out_dir: Path
    entries: list[Entry]
    statuses: list[dict]
    reference_statuses: list[dict]
    reference_titles: dict[str, str]
    copies: dict
    themes: dict
    started: float
    options: dict
    argv: list[str]
    scores: dict | None = None      # framework scoring of a filled sheet (dudao.review.scoring)
    previous: dict | None = None    # last round's problems followed (dudao.review.previous)

    @cached_property
    def by_id(self) -> dict[str, Entry]:
        return {e.id: e for e in self.entries}

    @property
    def relevant(self) -> list[Entry]:
        return [e for e in self.entries if e.relevant]

    def label_of(self, doc_id: str) -> str:
        """How a copy partner is named: an entry's region and position, or a reference file."""
        e = self.by_id.get(doc_id)
        if e is not None:
            return f"{e.region_label}（{e.stem} 第{e.index}篇）" if e.region else e.region_label
        return f"参照：{self.reference_titles.get(doc_id, doc_id)}"

    @property
    def scheme_name(self) -> str:
        s = (self.options or {}).get("scheme")
        return getattr(s, "name", "") or ""

    def finding_totals(self) -> dict:
        out = {"error": 0, "warning": 0, "info": 0}
        for e in self.entries:
            for k, v in e.severity_counts().items():
                out[k] = out.get(k, 0) + v
        return out


# --- indicators across reports ---------------------------------------------------------------

# Units each comparison column uses, and factors from the units a figure may be written in.
TARGET_UNITS = {
    "一般公共预算教育支出": ("万元", {"元": 1e-4, "千元": 1e-1, "万元": 1, "亿元": 1e4}),
    "生均公用经费": ("元", {"元": 1, "千元": 1e3, "万元": 1e4}),
    "新增学位": ("个", {"个": 1, "万个": 1e4, "": 1}),
}


@lru_cache(maxsize=1)
def _canonical() -> dict:
    return load_yaml("indicators")["indicators"]


def normalise(ind: dict) -> tuple[float | None, str]:
    """The figure in its column's unit (value, unit label)."""
    name, v, unit = ind["name"], ind.get("value"), ind.get("unit") or ""
    if name in TARGET_UNITS:
        target, factors = TARGET_UNITS[name]
        if v is not None and unit in factors:
            return round(v * factors[unit], 6), target
        return v, unit or target
    if name == "社会公众满意度":
        if v is not None and unit == "分" and v <= 10:
            return round(v * 10, 6), "分/%"
        return v, "分/%"
    spec = _canonical().get(name) or {}
    return v, unit or spec.get("unit", "") or ""



def indicator_matrix(entries: list[Entry]) -> dict:
    """Canonical indicators (actual figures) of the relevant reports, one column per indicator
    and scope. Returns {"columns": [...], "rows": [{"entry", "cells": {key: cell}}]}."""
    canon = _canonical()
    names = list(canon)
    rows, seen = [], {}
    for e in entries:
        if not e.relevant:
            continue
        cells: dict[tuple, dict] = {}
        year_pick: dict[tuple, int] = {}
        work_year = e.report.get("work_year")
        province = (e.region or {}).get("province") or e.report.get("province_hint")
        for ind in e.report.get("indicators") or []:
            if ind.get("kind") != "actual" or ind.get("name") not in canon or ind.get("value") is None:
                continue
            year = year_of_scope(ind.get("scope"))
            scope = None if year else ind.get("scope")
            key = (ind["name"], scope)
            if key in cells:
                # several years of one figure: keep the work year's, else the latest year
                old = year_pick.get(key)
                if year is None or old is None:
                    continue
                if old == work_year or (year != work_year and year <= old):
                    continue
            value, unit = normalise(ind)
            verdict = judge(ind, province)
            cells[key] = {"value": value, "unit": unit, "ind": ind, "rule": verdict["rule"], "ok": verdict["meets"]}
            if year:
                year_pick[key] = year
            seen.setdefault(key, unit)
        rows.append({"entry": e, "cells": cells})

    def scope_rank(name, scope):
        scopes = canon[name].get("scopes") or []
        if scope is None:
            return (0, 0, "")
        return (1, scopes.index(scope) if scope in scopes else 99, str(scope))

    keys = sorted(seen, key=lambda k: (names.index(k[0]), scope_rank(*k)))
    columns = []
    for k in keys:
        name, scope = k
        rule = standard_rule(name, scope)
        label = f"{name}（{scope}）" if scope else name
        columns.append({"key": k, "name": name, "scope": scope, "label": label, "unit": seen[k],
                        "rule": rule, "standard": standard_text(rule),
                        "source": (rule or {}).get("source", ""),
                        "count": sum(1 for r in rows if k in r["cells"])})
    return {"columns": columns, "rows": rows}


