"""Problems that come back year after year, from several years of one region's feedback letters
and reports: each letter's problems are followed into the next year's report, and problems of
different letters naming the same topic are chained into one history."""
from __future__ import annotations

import re
from pathlib import Path

from dudao.errors import DudaoError, InputError
from dudao.rectify.match import head_clause, lexical, problem_topics
from dudao.rectify.terms import terms


def is_feedback(part: dict) -> bool:
    """A letter of the evaluators: classified so, or titled so (a 评价报告 reads like a report)."""
    if part["doc_type"] == "feedback":
        return True
    title = "".join(part["text"].lstrip().split("\n", 2)[:2])[:80]
    t = terms().data["titles"]
    return bool(re.search(t["feedback"], title)) and not re.search(t["own_report"], title)


def _year(part: dict) -> int | None:
    return part.get("work_year") or (part["round_year"] - 1 if part.get("round_year") else None)


def same_problem(a: dict, b: dict) -> bool:
    """Two letters' problems name the same thing: a shared core topic and some shared words, or
    the same core topics."""
    _, ca = problem_topics(a)
    _, cb = problem_topics(b)
    if not ca or not cb or not ca & cb:
        return lexical(head_clause(a["title"]), b["text"]) >= 0.6
    return ca == cb or max(lexical(a["title"], b["title"]), lexical(b["title"], a["title"])) >= 0.3


def history_parts(parts: list[dict]) -> dict:
    """Recurring problems of already-read parts ({file, text, doc_type, work_year, round_year})."""
    from dudao.rectify.feedback import extract_problems
    from dudao.rectify.status import follow
    letters = sorted((p for p in parts if is_feedback(p)), key=lambda p: (_year(p) or 0, p["file"]))
    reports = [p for p in parts if not is_feedback(p)]
    entries = []
    for letter in letters:
        year = _year(letter)
        later = sorted({_year(r) for r in reports if _year(r) and year and _year(r) > year})
        nxt = [r for r in reports if later and _year(r) == later[0]]
        probs = extract_problems(letter["text"])
        judged = follow(probs, [(r["file"], r["text"]) for r in nxt]) if nxt else [None] * len(probs)
        for p, j in zip(probs, judged):
            entries.append({"problem": p, "year": year, "file": letter["file"], "judged": j})
    # chain problems of different letters naming the same thing (union-find)
    parent = list(range(len(entries)))

    def root(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i
    for i, a in enumerate(entries):
        for k in range(i + 1, len(entries)):
            b = entries[k]
            if a["file"] != b["file"] and same_problem(a["problem"], b["problem"]):
                parent[root(k)] = root(i)
    groups: dict[int, list] = {}
    for i, e in enumerate(entries):
        groups.setdefault(root(i), []).append(e)
    recurring = []
    for members in groups.values():
        if len({m["file"] for m in members}) < 2:
            continue
        members.sort(key=lambda m: (m["year"] or 0, m["file"]))
        hist = []
        for m in members:
            p, j = m["problem"], m["judged"]
            h = {"year": m["year"], "file": m["file"], "text": p["text"], "start": p["start"], "end": p["end"]}
            if j is not None:
                h["next_status"] = j["status"]
                h["evidence"] = j["evidence"]
            hist.append(h)
        recurring.append({"title": members[-1]["problem"]["title"],
                          "topics": sorted({t for m in members for t in m["problem"].get("topic_names", [])}),
                          "years": sorted({m["year"] for m in members if m["year"]}),
                          "times": len({m["file"] for m in members}), "history": hist})
    recurring.sort(key=lambda g: (-g["times"], g["years"][:1]))
    return {"recurring": recurring,
            "letters": [{"file": p["file"], "year": _year(p)} for p in letters],
            "reports": [{"file": p["file"], "year": _year(p)} for p in reports],
            "counts": {"feedback": len(letters), "reports": len(reports), "problems": len(entries)}}


def history_dir(folder: str | Path) -> dict:
    """Recurring problems of every file in a folder; unreadable files are listed under "failed"."""
    from dudao.ingest import SUPPORTED
    from dudao.rectify.files import read_parts
    d = Path(folder)
    if not d.is_dir():
        raise InputError(f"找不到文件夹：{d}")
    parts, failed = [], []
    for f in sorted(x for x in d.rglob("*") if x.is_file() and not x.name.startswith((".", "~$"))):
        if f.suffix.lower() not in SUPPORTED or f.suffix.lower() == ".zip":
            continue
        try:
            parts.extend(read_parts(f))
        except DudaoError as e:
            failed.append({"file": str(f), "reason": e.message})
    if not any(is_feedback(p) for p in parts):
        raise InputError(f"文件夹中没有找到反馈意见：{d}")
    out = history_parts(parts)
    out["failed"] = failed
    return out
