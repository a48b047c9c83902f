"""The review pack: analyse a batch of self-evaluation reports and write what a 督导办 reviewer needs.

    OUT/review.xlsx              overview, indicator comparison, findings, problems, scores, copies
    OUT/index.html               the dashboard (self-contained: inline CSS/JS/SVG, no network)
    OUT/reports/<n>.html         each report's cleaned text with highlighted spans and explanations
    OUT/feedback/<地区>.docx      a draft 反馈意见 per government self-report
    OUT/analysis/<stem>.json     the per-file analysis JSON (output contract v1), as `dudao analyze`
    OUT/summary.json             inputs and statuses, counts, copy ratios, themes

Analysis reuses the batch runner (dudao.batch.run_batch), so the pack and `dudao analyze` see
exactly the same results.
"""
from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from dudao.checks.standards import standard_rule
from dudao.errors import DudaoError, InputError
from dudao.resources import load_yaml

# Files and folders the pack writes; --force removes only these before writing again.
OWN_FILES = ("review.xlsx", "index.html", "summary.json")
OWN_DIRS = {"reports": ".html", "feedback": ".docx", "analysis": ".json"}

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


class OutputExists(DudaoError):
    code = "output_exists"
    exit_code = 2


# --- progress ------------------------------------------------------------------------------

class Progress:
    """What the pack reports while it runs; the CLI shows it with rich. Default: silent."""

    def stage(self, label: str, total: int | None = None) -> None:  # a new step begins
        pass

    def advance(self, n: int = 1, failed: bool = False) -> None:    # one unit of the step is done
        pass


# --- entries -------------------------------------------------------------------------------

@dataclass
class Entry:
    """One report of one input file, with everything the writers need."""

    n: int                  # 1-based number in the pack; its page is reports/<n>.html
    id: str                 # "<output stem>#<index>" (the doc id given to copy detection)
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
        for line in self.text.split("\n"):
            if line.strip():
                line = line.strip()
                return line[:60] + ("…" if len(line) > 60 else "")
        return "（空白）"

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


# --- output folder -------------------------------------------------------------------------

def check_out_dir(out: Path, force: bool) -> None:
    """Refuse a non-empty output folder unless --force (nothing is touched when refusing)."""
    if out.exists() and not out.is_dir():
        raise OutputExists(f"输出位置 {out} 已存在且不是文件夹，未做任何改动。")
    if out.is_dir() and any(out.iterdir()) and not force:
        raise OutputExists(f"输出文件夹 {out} 不是空的，未做任何改动。如需覆盖其中的评审结果请加 --force，"
                           f"或换一个输出文件夹。")


def clear_previous(out: Path) -> None:
    """With --force: remove the files a previous review pack wrote (and nothing else)."""
    for name in OWN_FILES:
        p = out / name
        if p.is_file():
            p.unlink()
    for sub, ext in OWN_DIRS.items():
        d = out / sub
        if d.is_dir():
            for p in d.iterdir():
                if p.is_file() and (p.name.endswith(ext) or p.name.endswith(ext + ".tmp")):
                    p.unlink()


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


def safe_filename(name: str, limit: int = 80) -> str:
    """A file name that is valid on Windows, macOS and Linux (no separators, no reserved chars)."""
    name = _UNSAFE.sub("_", name)
    name = re.sub(r"\s+", " ", name).strip(" .")
    if not name or name.upper().split(".")[0] in {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
                                                   *(f"LPT{i}" for i in range(1, 10))}:
        name = f"_{name}" if name else "未命名"
    return name[:limit]


def feedback_names(entries: list[Entry]) -> dict[str, str]:
    """entry id → file name under feedback/ (relevant reports only; unique; safe)."""
    base = {}
    for e in entries:
        if not e.relevant:
            continue
        base[e.id] = e.region_name or f"{e.stem}_第{e.index}篇"
    counts: dict[str, int] = {}
    for b in base.values():
        counts[b] = counts.get(b, 0) + 1
    out, used = {}, set()
    for e in entries:
        if e.id not in base:
            continue
        b = base[e.id]
        if counts[b] > 1 and e.report.get("work_year"):
            b = f"{b}_{e.report['work_year']}年"
        name = safe_filename(b)
        k = 2
        candidate = name
        while candidate.lower() in used:
            candidate = f"{name}_{k}"
            k += 1
        used.add(candidate.lower())
        out[e.id] = candidate + ".docx"
    return out


# --- the pack ------------------------------------------------------------------------------

def build_pack(paths: list[str], out_dir: str | Path, *, reference: str | Path | None = None,
               options: dict | None = None, jobs: int = 1, force: bool = False,
               progress: Progress | None = None, argv: list[str] | None = None, min_run: int = 13) -> dict:
    """Analyse `paths`, compare them, and write the whole review pack into `out_dir`.

    Returns the summary (also written to OUT/summary.json). Raises DudaoError subclasses with a
    Chinese message (no inputs, non-empty OUT without force)."""
    from dudao.batch import Job, output_names, run_batch
    from dudao.ingest import iter_inputs

    progress = progress or Progress()
    started = time.time()
    out = Path(out_dir)
    # never analyse the pack's own files (OUT inside an input folder, run again with --force)
    items = [i for i in iter_inputs([str(p) for p in paths]) if not _inside(i.source, out)]
    if not items:
        raise InputError("没有找到可分析的文件。")
    check_out_dir(out, force)
    ref_items = []
    if reference is not None:
        if not Path(reference).exists():
            raise InputError(f"找不到参照文件夹：{reference}")
        ref_items = [i for i in iter_inputs([str(reference)]) if not _inside(i.source, out)]
    out.mkdir(parents=True, exist_ok=True)
    if force:
        clear_previous(out)
    analysis = out / "analysis"
    analysis.mkdir(exist_ok=True)

    # 1. analyse the inputs (workers write their JSON; the parent keeps small status records)
    names = output_names(items)
    job_list = [Job(i, str(analysis / n)) for i, n in zip(items, names)]
    progress.stage("分析报告", len(job_list))
    statuses = []
    for st in run_batch(job_list, jobs, options):
        statuses.append(st)
        progress.advance(1, failed=st["status"] == "failed")
    order = {i.source: k for k, i in enumerate(items)}
    statuses.sort(key=lambda s: order.get(s["source"], 0))
    entries = _load_entries(statuses, analysis)

    # 2. analyse the reference files (kept in memory: only their texts are needed)
    ref_docs, ref_titles, ref_statuses = [], {}, []
    if ref_items:
        progress.stage("分析参照文件", len(ref_items))
        ref_names = output_names(ref_items)
        for st in run_batch([Job(i, None) for i in ref_items], jobs, options):
            ref_statuses.append(st)
            progress.advance(1, failed=st["status"] == "failed")
        by_source = {i.source: n for i, n in zip(ref_items, ref_names)}
        ref_order = {i.source: k for k, i in enumerate(ref_items)}
        ref_statuses.sort(key=lambda s: ref_order.get(s["source"], 0))
        for st in ref_statuses:
            result = st.pop("result", None)
            if not result:
                continue
            stem = by_source[st["source"]][:-len(".json")]
            for k, r in enumerate(result["reports"], 1):
                doc_id = f"参照:{stem}#{k}"
                ref_docs.append((doc_id, r["text"], r))
                ref_titles[doc_id] = f"{stem} 第{k}篇" if len(result["reports"]) > 1 else stem

    # 3. copy detection over every report and the reference
    progress.stage("雷同检测", 1)
    copies = detect_copies(entries, ref_docs, min_run=min_run, jobs=jobs)
    progress.advance(1)

    pack = Pack(out, entries, statuses, ref_statuses, ref_titles, copies, {}, started, options or {},
                list(argv or []))
    pack.themes = _themes(entries)
    fb = feedback_names(entries)
    for e in entries:
        if e.id in fb:
            e.feedback = f"feedback/{fb[e.id]}"

    # 4. write
    from dudao.review import excel, feedback, html
    progress.stage("生成 Excel 汇总表", 1)
    excel.write_workbook(pack, out / "review.xlsx")
    progress.advance(1)
    progress.stage("生成网页", len(entries) + 1)
    html.write_site(pack, out, advance=lambda: progress.advance(1))
    targets = [e for e in entries if e.feedback]
    progress.stage("生成反馈意见初稿", len(targets))
    (out / "feedback").mkdir(exist_ok=True)
    for e in targets:
        feedback.write_feedback(pack, e, out / e.feedback)
        progress.advance(1)
    summary = make_summary(pack)
    tmp = out / "summary.json.tmp"
    tmp.write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(out / "summary.json")
    return summary


def _inside(source: str, folder: Path) -> bool:
    try:
        return Path(source.split("!", 1)[0]).resolve().is_relative_to(folder.resolve())
    except (OSError, ValueError):
        return False


def _load_entries(statuses: list[dict], analysis: Path) -> list[Entry]:
    entries = []
    for st in statuses:
        if st["status"] != "ok" or not st.get("output"):
            continue
        result = json.loads((analysis / st["output"]).read_text(encoding="utf-8"))
        stem = st["output"][:-len(".json")] if st["output"].endswith(".json") else st["output"]
        for k, r in enumerate(result["reports"], 1):
            entries.append(Entry(len(entries) + 1, f"{stem}#{k}", st["source"], st["output"], stem, k, r,
                                 result.get("format") or ""))
    return entries


def region_aliases(report: dict) -> list[str]:
    """Names a report uses for its own region (county, city, province). Copy detection replaces
    their stems with one placeholder, so a sentence copied with only the name swapped still
    matches."""
    r = report.get("region") or {}
    return list(dict.fromkeys(r[k] for k in ("name", "city", "province") if r.get(k)))


def detect_copies(entries: list[Entry], ref_docs: list[tuple], *, min_run: int = 13, jobs: int = 1) -> dict:
    """Run find_copies over every report (and the reference), then attach each passage to the
    entries it concerns. Returns find_copies' result."""
    from dudao.review.copydetect import find_copies
    docs = [(e.id, e.text) for e in entries]
    reference = [(d, t) for d, t, _ in ref_docs] or None
    names = {e.id: region_aliases(e.report) for e in entries}
    names.update({d: region_aliases(r) for d, _, r in ref_docs})
    names = {k: v for k, v in names.items() if v}
    if len(docs) + len(reference or []) < 2:
        return {"pairs": [], "ratios": {e.id: 0.0 for e in entries}, "params": {"min_run": min_run}}
    result = find_copies(docs, reference, min_run=min_run, region_names=names or None,
                         sections={e.id: e.report.get("sections") or [] for e in entries}, jobs=jobs)
    by_id = {e.id: e for e in entries}
    for pair in result.get("pairs") or []:
        a, b = pair["a"], pair["b"]
        for p in pair.get("passages") or []:
            common = {"chars": p.get("chars") or (p["a_end"] - p["a_start"]), "boilerplate": bool(p.get("boilerplate")),
                      "kind": p.get("kind"), "boilerplate_kinds": p.get("boilerplate_kinds") or []}
            if a in by_id:
                by_id[a].copies.append({"start": p["a_start"], "end": p["a_end"], "other": b,
                                        "other_start": p["b_start"], "other_end": p["b_end"], **common})
            if b in by_id:
                by_id[b].copies.append({"start": p["b_start"], "end": p["b_end"], "other": a,
                                        "other_start": p["a_start"], "other_end": p["a_end"], **common})
    ratios = result.get("ratios") or {}
    for e in entries:
        e.copy_ratio = float(ratios.get(e.id) or 0.0)
        e.copies.sort(key=lambda c: (c["start"], c["end"]))
    return result


def _themes(entries):
    from dudao.review.themes import build_themes
    return build_themes(entries)


# --- indicators across reports ---------------------------------------------------------------

YEAR_SCOPE = re.compile(r"^(?:19|20)\d{2}(?:年(?:度)?)?$")
# Units each comparison column uses, and factors from the units a figure may be written in.
TARGET_UNITS = {
    "一般公共预算教育支出": ("万元", {"元": 1e-4, "千元": 1e-1, "万元": 1, "亿元": 1e4}),
    "生均公用经费": ("元", {"元": 1, "千元": 1e3, "万元": 1e4}),
    "新增学位": ("个", {"个": 1, "万个": 1e4, "": 1}),
}


@lru_cache(maxsize=1)
def _canonical() -> dict:
    return load_yaml("indicators")["indicators"]


def _year_of(scope) -> int | None:
    if scope is None:
        return None
    s = str(scope)
    if YEAR_SCOPE.match(s):
        return int(s[:4])
    return None


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


def standard_text(rule: dict | None, with_east: bool = True) -> str:
    if not rule:
        return "—"
    sym = "≥" if rule["op"] == ">=" else "≤"
    unit = rule.get("unit") or ""
    text = f"{sym}{_num(rule['value'])}{unit}"
    if with_east and rule.get("value_east"):
        text += f"（东部{sym}{_num(rule['value_east'])}{unit}）"
    return text


def meets(value: float | None, rule: dict | None, unit: str = "") -> bool | None:
    """True/False against the rule; None when there is no rule or no comparable value."""
    if value is None or not rule:
        return None
    if rule.get("unit") == "元" and unit not in ("元", ""):
        return None
    limit = rule["limit"]
    return value >= limit if rule["op"] == ">=" else value <= limit


def _num(v):
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


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
            year = _year_of(ind.get("scope"))
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
            rule = standard_rule(ind["name"], scope, province)
            cells[key] = {"value": value, "unit": unit, "ind": ind, "rule": rule,
                          "ok": meets(value, rule, ind.get("unit") or "")}
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


# --- summary -------------------------------------------------------------------------------

def _clean_status(st: dict) -> dict:
    return {k: v for k, v in st.items() if k != "result"}


def make_summary(pack: Pack) -> dict:
    from dudao import __version__
    statuses = pack.statuses
    ok = sum(1 for s in statuses if s["status"] == "ok")
    totals = pack.finding_totals()
    pairs = pack.copies.get("pairs") or []
    return {
        "tool": "dudao", "version": __version__, "kind": "review_pack",
        "started": time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(pack.started)),
        "seconds": round(time.time() - pack.started, 2),
        "command": pack.argv,
        "scheme": pack.scheme_name,
        "counts": {
            "inputs": len(statuses), "ok": ok,
            "failed": sum(1 for s in statuses if s["status"] == "failed"),
            "skipped": sum(1 for s in statuses if s["status"] == "skipped"),
            "reports": len(pack.entries), "relevant_reports": len(pack.relevant),
            "reference_inputs": len(pack.reference_statuses),
            "reference_reports": len(pack.reference_titles),
            "findings": totals,
            "problems": sum(len(e.report.get("problems") or []) for e in pack.relevant),
            "copy_pairs": len(pairs),
            "copy_passages": sum(len(p.get("passages") or []) for p in pairs),
            "feedback_drafts": sum(1 for e in pack.entries if e.feedback),
        },
        "inputs": [_clean_status(s) for s in statuses],
        "reference": [_clean_status(s) for s in pack.reference_statuses],
        "reports": [{
            "n": e.n, "id": e.id, "source": e.source, "index": e.index, "title": e.title,
            "doc_type": e.report.get("doc_type"), "relevant": e.relevant,
            "region": e.region_name, "label": e.region_label, "adcode": (e.region or {}).get("adcode"),
            "work_year": e.report.get("work_year"),
            "self_score": (e.self_score or {}).get("total"),
            "findings": e.severity_counts(), "copy_ratio": round(e.copy_ratio, 4),
            "page": e.page, "feedback": e.feedback, "analysis": f"analysis/{e.output}",
        } for e in pack.entries],
        "copy_ratios": {e.id: round(e.copy_ratio, 4) for e in pack.entries},
        "copy_pairs": [{"a": p["a"], "b": p["b"], "shared_chars": p.get("shared_chars"),
                        "a_ratio": p.get("a_ratio"), "b_ratio": p.get("b_ratio"),
                        "passages": len(p.get("passages") or []),
                        "boilerplate_passages": sum(1 for x in p.get("passages") or [] if x.get("boilerplate"))}
                       for p in pairs],
        "copy_params": pack.copies.get("params") or {},
        "themes": [{"id": t["id"], "name": t["name"], "count": t["count"], "problems": t["problems"],
                    "findings": t["findings"], "regions": t["regions"], "region_names": t["region_names"]}
                   for t in pack.themes.get("themes", [])],
        "outputs": {"workbook": "review.xlsx", "dashboard": "index.html", "reports": "reports/",
                    "feedback": "feedback/", "analysis": "analysis/"},
    }


__all__ = ["build_pack", "Entry", "Pack", "Progress", "OutputExists", "indicator_matrix", "safe_filename",
           "feedback_names", "standard_rule", "standard_text", "meets", "normalise"]
