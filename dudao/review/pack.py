"""The review pack: compare a batch of analysed reports and write what a 督导办 reviewer needs.

The folder's layout and write policy live in dudao/review/outdir.py; the view model in
dudao/review/model.py; the writers (excel, html, feedback) take that model. This module wires them:
inputs → analysis (dudao.batch, the same runner as `dudao analyze`) → model → writers, each output
written atomically and summary.json last. The library entry point is dudao.review.api.
"""
from __future__ import annotations

import json
import time
from pathlib import Path

from dudao.atomic import write_text
from dudao.errors import InputError
from dudao.review import excel, feedback, html, pages
from dudao.review.model import Entry, Pack, encodable, report_id
from dudao.review.outdir import Writes, feedback_names


class Progress:
    """What the pack reports while it runs; the CLI shows it with rich. Default: silent."""

    def stage(self, label: str, total: int | None = None) -> None:  # a new step begins
        pass

    def advance(self, n: int = 1, failed: bool = False) -> None:    # one unit of the step is done
        pass


# --- inputs --------------------------------------------------------------------------------

def as_dict(report) -> dict:
    """A report or analysis result as its contract dict (pydantic models give model_dump)."""
    return report if isinstance(report, dict) else report.model_dump(mode="json")


def records_of(results: list[dict]) -> list[tuple[str, int, dict, str, str]]:
    """(source, index, report, format, analysis file name) for every report. `results` are analysis
    results ({"source", "reports": [...]}) or single report dicts."""
    out = []
    for k, res in enumerate(results, 1):
        res = as_dict(res)
        if "reports" in res:
            src = res.get("source") or f"第{k}个输入"
            out.extend((src, i, as_dict(r), res.get("format") or "", res.get("_output") or "")
                       for i, r in enumerate(res["reports"], 1))
        else:
            out.append((res.get("source") or f"第{k}篇报告", 1, res, "", ""))
    return out


def make_entries(records) -> list[Entry]:
    entries = []
    for source, index, report, fmt, output in records:
        stem = Path(output).stem if output else Path(source.split("!")[-1]).stem
        entries.append(Entry(len(entries) + 1, report_id(report, source, index), source, output, stem, index,
                             report, fmt))
    return entries


def check_paths(paths: list[str]) -> None:
    """Every path given must exist: a typo is an error before anything is written."""
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        raise InputError("找不到输入：" + "、".join(missing) + "。未生成任何结果。")


def analyse_paths(paths, out: Path | None, options: dict | None, jobs: int, progress: Progress, label: str):
    """Analyse files/folders/zips (never the pack's own output folder). Returns (results, statuses);
    results stay in memory for the pack, statuses are the small per-input records."""
    from dudao.batch import Job, output_names, run_batch
    from dudao.ingest import iter_inputs
    items = [i for i in iter_inputs([str(p) for p in paths]) if out is None or not _inside(i.source, out)]
    names = output_names(items)
    by_source = {i.source: n for i, n in zip(items, names)}
    progress.stage(label, len(items))
    results, statuses = {}, []
    for st in run_batch([Job(i, None) for i in items], jobs, options):
        result = st.pop("result", None)
        if result is not None:
            st["output"] = by_source[st["source"]]
            result["_output"] = st["output"]
            results[st["source"]] = result
        statuses.append(st)
        progress.advance(1, failed=st["status"] == "failed")
    order = {i.source: k for k, i in enumerate(items)}
    statuses.sort(key=lambda s: order.get(s["source"], 0))
    return [results[s["source"]] for s in statuses if s["source"] in results], statuses


def _inside(source: str, folder: Path) -> bool:
    try:
        return Path(source.split("!", 1)[0]).resolve().is_relative_to(folder.resolve())
    except (OSError, ValueError):
        return False


# --- the pack ------------------------------------------------------------------------------

def assemble(entries: list[Entry], out: Path, *, statuses=None, reference_records=(), reference_statuses=(),
             options=None, argv=None, started=None, progress: Progress | None = None, min_run: int = 13,
             jobs: int = 1) -> Pack:
    """The view model: entries with their copy passages, themes and feedback file names."""
    progress = progress or Progress()
    ref_docs, ref_titles = [], {}
    for source, index, report, _, _ in reference_records:
        doc_id = "参照:" + report_id(report, source, index)
        ref_docs.append((doc_id, report.get("text") or "", report))
        name = Path(source.split("!")[-1]).name
        ref_titles[doc_id] = f"{name} 第{index}篇" if index > 1 else name
    copies = detect_copies(entries, ref_docs, min_run=min_run, progress=progress, jobs=jobs)
    if statuses is None:
        statuses = [{"source": e.source, "status": "ok"} for e in entries if e.index == 1]
    pack = Pack(out, entries, list(statuses), list(reference_statuses), ref_titles, copies, {},
                started or time.time(), options or {}, list(argv or []))
    progress.stage("归类问题主题", 1)
    pack.themes = _themes(entries)
    progress.advance(1)
    fb = feedback_names(entries)
    for e in entries:
        if e.id in fb:
            e.feedback = f"feedback/{fb[e.id]}"
    return pack


def write_pack(pack: Pack, out: Path, *, results=(), progress: Progress | None = None, jobs: int = 1) -> dict:
    """Write every output of the pack (each atomically); summary.json last, so a folder with a
    summary is a complete pack; letters in `jobs` processes. Returns the summary (with
    "feedback_failed" listing each letter that could not be written and why, if any)."""
    progress = progress or Progress()
    results = [r for r in results if r.get("_output")]
    if results:
        progress.stage("写入分析结果", len(results))
        with Writes() as w:
            for r in results:
                name = r["_output"]
                body = {k: v for k, v in r.items() if k != "_output"}
                w.write_text(out / "analysis" / name, encodable(json.dumps(body, ensure_ascii=False, separators=(",", ":"))))
                progress.advance(1)
    # letters first: one that could not be written is not linked from the workbook or the pages
    targets = [e for e in pack.entries if e.feedback]
    progress.stage("生成反馈意见初稿", len(targets))
    failed = feedback.write_letters(pack, targets, out, jobs, done=lambda bad: progress.advance(1, failed=bad))
    for e in targets:
        if e.id in failed:
            e.feedback = None
    excel.write_workbook(pack, out / "review.xlsx", progress=progress)
    progress.stage("生成网页", len(pack.entries) + 1)
    html.write_site(pack, out, advance=lambda: progress.advance(1))
    pages.write_pages(pack, out)
    summary = make_summary(pack)
    if failed:
        summary["feedback_failed"] = [{"id": e.id, "source": e.source, "reason": failed[e.id]}
                                      for e in targets if e.id in failed]
    write_text(out / "summary.json", encodable(json.dumps(summary, ensure_ascii=False, indent=1)))
    return summary


def region_aliases(report: dict) -> list[str]:
    """Names a report uses for its own region (county, city, province). Copy detection replaces
    their stems with one placeholder, so a sentence copied with only the name swapped still
    matches."""
    r = report.get("region") or {}
    return list(dict.fromkeys(r[k] for k in ("name", "city", "province") if r.get(k)))


def detect_copies(entries: list[Entry], ref_docs: list[tuple], *, min_run: int = 13,
                  progress: Progress | None = None, jobs: int = 1) -> dict:
    """Run find_copies over every report (and the reference), then attach each passage to the
    entries it concerns. Returns find_copies' result."""
    import inspect

    from dudao.review.copydetect import find_copies
    progress = progress or Progress()
    kw = {}
    if "progress" in inspect.signature(find_copies).parameters:
        # find_copies reports (done, total) itself
        state = {"done": 0}

        def step(done, total):
            if state.get("total") != total:
                progress.stage("雷同检测", total)
                state.update(total=total, done=0)
            progress.advance(done - state["done"])
            state["done"] = done
        kw["progress"] = step
    else:
        progress.stage("雷同检测", None)   # no count to show: a running bar, not a stuck 0/1
    docs = [(e.id, e.text) for e in entries]
    reference = [(d, t) for d, t, _ in ref_docs] or None
    names = {e.id: region_aliases(e.report) for e in entries}
    names.update({d: region_aliases(r) for d, _, r in ref_docs})
    names = {k: v for k, v in names.items() if v}
    if len(docs) + len(reference or []) < 2:
        return {"pairs": [], "ratios": {e.id: 0.0 for e in entries}, "params": {"min_run": min_run}}
    result = find_copies(docs, reference, min_run=min_run, region_names=names or None,
                         sections={e.id: e.report.get("sections") or [] for e in entries}, jobs=jobs, **kw)
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


# --- summary -------------------------------------------------------------------------------

def _clean_status(st: dict) -> dict:
    return {k: v for k, v in st.items() if k != "result"}


def make_summary(pack: Pack) -> dict:
    from dudao.version import __version__
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
            **_optional_counts(pack),
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
            "page": e.page, "feedback": e.feedback, "analysis": f"analysis/{e.output}" if e.output else None,
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
                    "feedback": "feedback/", "analysis": "analysis/",
                    **({"scores": "scores.html"} if pack.scores else {}),
                    **({"previous": "previous.html"} if pack.previous else {})},
    }


def _optional_counts(pack: Pack) -> dict:
    """Counts of the --framework/--scores and --previous parts, present only when asked for."""
    out = {}
    if pack.scores:
        out["scored_regions"] = len(pack.scores["regions"])
        out["scored_regions_matched"] = sum(1 for r in pack.scores["regions"] if r.get("entries"))
        out["score_problems"] = len(pack.scores.get("problems") or []) + sum(
            len(r["errors"]) for r in pack.scores["regions"])
    if pack.previous:
        rows = [r for rows in (pack.previous.get("rows") or {}).values() for r in rows]
        out["previous_problems"] = len(rows)
        out["previous_remaining"] = sum(1 for r in rows if r["status"] != "resolved")
        out["previous_unmatched_letters"] = len(pack.previous.get("unmatched") or [])
    return out


__all__ = ["assemble", "write_pack", "analyse_paths", "records_of", "make_entries", "Progress"]

