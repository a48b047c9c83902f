"""What pages and the API show of a submission (one place, so both say the same)."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from dudao.web import regions
from dudao.web.models import DECISION_NAMES, LETTER_STATE_NAMES, STATUS_NAMES, ReviewerFinding, Submission  # noqa: F401
from dudao.web.services import finding_key, latest_decisions

DOC_TYPE_NAMES = {"self_report": "政府自评报告", "school_self_report": "学校自评报告", "feedback": "反馈意见",
                  "rectification": "整改报告", "scheme": "方案通知", "news": "新闻", "other": "其他"}
SEVERITY_NAMES = {"error": "严重", "warning": "警告", "info": "提示"}


def main_report(sub: Submission) -> tuple[int, dict] | None:
    """The first self-report of the upload, else its first report."""
    reports = (sub.result or {}).get("reports", [])
    for i, r in enumerate(reports):
        if r.get("relevant"):
            return i, r
    return (0, reports[0]) if reports else None


def region_mismatch(sub: Submission) -> bool:
    return bool(sub.detected_adcode) and sub.detected_adcode != sub.region_adcode


def summary(sub: Submission) -> dict:
    main = main_report(sub)
    return {"id": sub.id, "filename": sub.filename, "status": sub.status,
            "status_name": STATUS_NAMES[sub.status], "round_id": sub.round_id,
            "submitted_region": regions.as_contract(sub.region_adcode),
            "region": (main[1].get("region") if main else None) or regions.as_contract(sub.region_adcode),
            "region_mismatch": region_mismatch(sub),
            "doc_type": main[1].get("doc_type") if main else None,
            "created_at": sub.created_at.isoformat(timespec="seconds") + "Z",
            "error": sub.error}


def findings(db: Session, sub: Submission) -> list[dict]:
    """Automatic findings with the latest decision on each, then the reviewers' own findings."""
    decided = latest_decisions(db, sub)
    out = []
    for i, rep in enumerate((sub.result or {}).get("reports", [])):
        for f in rep.get("findings") or []:
            key = finding_key(i, f)
            d = decided.get(key)
            out.append({"key": key, "report": i, "code": f["code"], "severity": f["severity"],
                        "message": d.message if d and d.message else f.get("message"),
                        "original_message": f.get("message"), "start": f["start"], "end": f["end"],
                        "quote": rep["text"][f["start"]:f["end"]], "source": "auto",
                        "decision": d.decision if d else None, "note": d.note if d else None})
    for r in db.scalars(select(ReviewerFinding).where(ReviewerFinding.submission_id == sub.id)
                        .order_by(ReviewerFinding.id)):
        out.append({"key": f"r{r.id}", "report": r.report_index, "code": "reviewer", "severity": r.severity,
                    "message": r.message, "original_message": None, "start": r.start, "end": r.end,
                    "quote": r.quote, "source": "reviewer", "decision": "accepted", "note": None})
    return out


def detail(db: Session, sub: Submission) -> dict:
    out = summary(sub)
    out["findings"] = findings(db, sub)
    out["reports"] = len((sub.result or {}).get("reports", []))
    return out


def segments(text: str, items: list[dict]) -> list[tuple[str, dict | None]]:
    """Cut `text` into plain and highlighted pieces (overlapping spans: the earlier one wins)."""
    out, pos = [], 0
    for it in sorted(items, key=lambda x: (x["start"], -x["end"])):
        s, e = max(it["start"], pos), it["end"]
        if e <= s:
            continue
        if s > pos:
            out.append((text[pos:s], None))
        out.append((text[s:e], it))
        pos = e
    if pos < len(text):
        out.append((text[pos:], None))
    return out


def label(mapping: dict, key) -> str:
    return mapping.get(key, key or "—")


DECISION_LABELS = DECISION_NAMES
