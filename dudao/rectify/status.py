"""Judge each problem's status from the passages that answer it.

resolved       the report shows the problem gone: a figure now meeting the standard, or the
               work stated as complete (全部/整改到位/全覆盖/100%…) with nothing left
in_progress    partly done: action taken with something remaining, a plan or a date, or a
               figure improved but still short of the standard
persists       the report admits the problem again (in its 存在问题 part, or "仍/尚未…" with
               no action), or its figure has not improved
not_addressed  no passage answers it

Admission outweighs figures, figures outweigh words, and words of what remains outweigh words of
completion (cues in data/rectify_terms.yaml).
"""
from __future__ import annotations

from dudao.checks.standards import standard_rule
from dudao.rectify.match import Doc, Match, find_matches, prepare
from dudao.rectify.terms import terms

STATUSES = ("resolved", "in_progress", "persists", "not_addressed")
LABELS = {"resolved": "已整改", "in_progress": "整改中", "persists": "仍存在", "not_addressed": "未回应"}
_RANK = {"resolved": 0, "in_progress": 1, "persists": 2}


def passage_kind(m: Match) -> str:
    """admit | plan | ongoing | complete | done | mention"""
    cues = terms().cues
    q = m.quote
    p = m.passage
    persist, done = cues["persist"].search(q), cues["done"].search(q)
    ongoing, complete = cues["ongoing"].search(q), cues["complete"].search(q)
    if "problems" in p.roles and "measures" not in p.roles and (persist or not done):
        return "admit"
    if "measures" in p.roles and not done:
        return "plan"
    if persist and not done and not ongoing:
        return "admit"
    if ongoing:
        return "ongoing"
    if complete:
        return "complete"
    if done:
        return "done"
    return "mention"


def _meets(op: str, value: float, limit: float) -> bool:
    return value >= limit if op == ">=" else value <= limit


def compare_figures(problem: dict, matches: list[Match], docs: list[Doc]) -> list[dict]:
    """The problem's indicator figures set against this year's (41.2% → 52.6% vs 50%)."""
    explicit = [s for s in problem.get("standards") or [] if s.get("source") == "反馈意见"]
    out = []
    for f in problem.get("figures") or []:
        if not f.get("canonical") or f.get("role") == "standard":
            continue
        rule = standard_rule(f["name"], f.get("scope"))
        limit, op = (rule["limit"], rule["op"]) if rule and rule.get("op") in (">=", "<=") else (None, None)
        if limit is None:
            std = next((s for s in explicit if s["unit"] == f["unit"]), None)
            if std is not None and std["value"] != f["value"]:
                limit, op = std["value"], ">=" if f["value"] < std["value"] else "<="
        now = _current(f, matches, docs)
        if now is None:
            continue
        fig, doc = now
        row = {"name": f["name"], "scope": f.get("scope"), "before": f["value"], "after": fig["value"],
               "unit": f["unit"], "standard": limit, "op": op, "start": f["start"], "end": f["end"],
               "evidence": {"start": fig["start"], "end": fig["end"], "quote": fig["quote"], "file": doc.file}}
        if limit is not None:
            if _meets(op, fig["value"], limit):
                row["verdict"] = "resolved"
            elif (fig["value"] - f["value"]) * (1 if op == ">=" else -1) > 0:
                row["verdict"] = "in_progress"
            else:
                row["verdict"] = "persists"
        out.append(row)
    return out


def _current(f: dict, matches: list[Match], docs: list[Doc]):
    """This year's actual figure of the same indicator and scope: in an answering passage first."""
    spans = [(m.doc, m.passage.start, m.passage.end) for m in matches]
    best = None
    for doc in docs:
        for g in doc.figures:
            if g.get("name") != f["name"] or g.get("kind") != "actual" or g.get("unit") != f["unit"]:
                continue
            if f.get("scope") and g.get("scope") and f["scope"] != g["scope"]:
                continue
            inside = any(d is doc and s <= g["start"] < e for d, s, e in spans)
            key = (inside, g["value"] != f["value"], g["start"])
            if best is None or key > best[0]:
                best = (key, g, doc)
    return (best[1], best[2]) if best else None


def judge(problem: dict, docs: list[Doc]) -> dict:
    """The problem with its status, evidence and figure comparison."""
    w = terms().weights
    matches = [m for m in find_matches(problem, docs) if not m.citation]
    if matches:
        top = matches[0].score
        matches = [m for m in matches if m.score >= max(w["min_score"], top * 0.5)]
    kinds = [(passage_kind(m), m) for m in matches]
    figures = compare_figures(problem, matches, docs)
    verdicts = [r["verdict"] for r in figures if "verdict" in r]
    has = {k for k, _ in kinds}
    if not matches:
        status, why = "not_addressed", set()
    elif "admit" in has:
        status, why = "persists", {"admit"}
    elif verdicts:
        status, why = max(verdicts, key=_RANK.get), {"figure"}
    elif has & {"ongoing", "plan"}:
        status, why = "in_progress", {"ongoing", "plan", "done"}
    elif "complete" in has:
        status, why = "resolved", {"complete", "done"}
    else:
        status, why = "in_progress", {"done", "mention"}
    order = sorted(kinds, key=lambda km: (km[0] not in why, -km[1].score))
    evidence = []
    for kind, m in order[:int(w["max_evidence"])]:
        ev = {"start": m.passage.start, "end": m.passage.end, "quote": m.quote, "kind": kind,
              "score": round(m.score, 2)}
        if m.doc.file is not None:
            ev["file"] = m.doc.file
        evidence.append(ev)
    if "figure" in why:
        for r in figures:
            e = r["evidence"]
            if not any(x.get("file") == e["file"] and x["start"] <= e["start"] < x["end"] for x in evidence):
                evidence.insert(0, {k: v for k, v in e.items() if v is not None} | {"kind": "figure"})
    out = {k: problem[k] for k in ("text", "start", "end", "title") if k in problem}
    out.update(status=status, label=LABELS[status], evidence=evidence, figures=figures,
               topics=problem.get("topic_names", []), demands=problem.get("demands", []),
               deadlines=problem.get("deadlines", []))
    return out


def follow(problems: list[dict], reports: list[tuple[str | None, str]]) -> list[dict]:
    """Judge every problem against this year's texts [(file, text), …]."""
    docs = [prepare(text, file) for file, text in reports]
    return [judge(p, docs) for p in problems]
