"""Read feedback letters and reports through the analyser, and follow problems across files."""
from __future__ import annotations

from pathlib import Path

from dudao.errors import DudaoError, InputError


def _analyse(path: str) -> list[dict]:
    """Report dicts of one file (the one place that calls the analyser: see docs/architecture.md)."""
    from dudao.api import analyze_path   # not the package root: it exports the review pack, which uses this module
    out = []
    for r in analyze_path(path):
        r = r if isinstance(r, dict) else r.model_dump(mode="json")
        # a document dict holding its reports (older API) or a report itself
        out.extend(r["reports"] if "reports" in r and "text" not in r else [r])
    return out


def read_parts(path: str | Path) -> list[dict]:
    """The articles of a file: {file, text, doc_type, work_year, round_year, region}. A file holding
    several articles gives several parts, labelled "name#k"."""
    p = Path(path)
    if not p.exists():
        raise InputError(f"找不到文件：{p}")
    if p.is_dir():
        raise InputError(f"这里需要一个文件，而不是文件夹：{p}")
    reports = _analyse(str(p))
    if not reports or not any((r.get("text") or "").strip() for r in reports):
        raise InputError(f"文件中没有可读的正文：{p}")
    many = len(reports) > 1
    region = lambda r: (r.get("region") or {}).get("name") if isinstance(r.get("region"), dict) else r.get("region")
    return [{"file": f"{p.name}#{k}" if many else p.name, "path": str(p), "text": r["text"],
             "doc_type": r.get("doc_type"), "work_year": r.get("work_year"), "round_year": r.get("round_year"),
             "region": region(r)} for k, r in enumerate(reports, 1)]


def rectify_files(feedback: str | Path, reports: list[str | Path]) -> dict:
    """Follow the problems of a feedback letter into this year's reports. Reports that cannot be
    read are listed under "failed" (the others are still used); an unreadable letter, or one
    without a 问题清单, raises a DudaoError."""
    fb_parts = read_parts(feedback)
    report_parts, failed = [], []
    for r in reports:
        try:
            report_parts.extend(read_parts(r))
        except DudaoError as e:
            failed.append({"file": str(r), "reason": e.message})
    if not report_parts:
        raise InputError("没有可读的本年度报告：" + "；".join(f"{f['file']}（{f['reason']}）" for f in failed))
    result = rectify_parts(fb_parts, report_parts)
    if not result["problems"]:
        raise DudaoError(f"未在反馈意见中找到问题清单（编号的问题条目）：{feedback}", "no_problems")
    result["failed"] = failed
    return result


def rectify_parts(fb_parts: list[dict], report_parts: list[dict]) -> dict:
    """The same from texts already read: parts are {file, text} (doc_type, work_year optional)."""
    from dudao.rectify.feedback import extract_problems
    from dudao.rectify.status import follow
    problems = []
    for part in fb_parts:
        for prob in extract_problems(part["text"]):
            if len(fb_parts) > 1:
                prob["feedback_file"] = part["file"]
            problems.append(prob)
    judged = follow(problems, [(p["file"], p["text"]) for p in report_parts])
    for j, prob in zip(judged, problems):
        if "feedback_file" in prob:
            j["feedback_file"] = prob["feedback_file"]
    keys = ("file", "doc_type", "work_year", "text")
    return {
        "feedback": [{k: p.get(k) for k in keys} for p in fb_parts],
        "reports": [{k: p.get(k) for k in keys} for p in report_parts],
        "problems": judged,
        "counts": {s: sum(1 for j in judged if j["status"] == s)
                   for s in ("resolved", "in_progress", "persists", "not_addressed")},
        "failed": [],
    }
