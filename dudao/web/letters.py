"""Feedback letters in the platform: the review pack's letter, drafted from the reviewer's
decisions (accepted findings, edited wordings, the reviewer's own findings), edited, approved and
published to the county. Every step is audited; the county sees a letter only once published."""
from __future__ import annotations

import io
import tempfile
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from dudao.web import audit, views
from dudao.web.errors import PlatformError
from dudao.web.models import Letter, Submission, utcnow

TEXT_FIELDS = ("title", "recipient", "intro", "requirements_intro", "closing", "office", "date")
LIST_FIELDS = ("basic", "findings", "admitted", "requirements")
FIELD_NAMES = {"title": "标题", "recipient": "主送", "intro": "开头", "basic": "一、基本情况",
               "findings": "二、主要问题", "admitted": "报告自述的问题", "requirements_intro": "三、整改要求（引语）",
               "requirements": "三、整改要求", "closing": "结尾", "office": "落款单位", "date": "日期"}


def letter_of(db: Session, sub: Submission) -> Letter | None:
    return db.scalar(select(Letter).where(Letter.submission_id == sub.id))


def decided_findings(db: Session, sub: Submission, index: int) -> list[dict]:
    """The findings the letter tells: accepted ones as detected, edited ones and the reviewer's own
    in the reviewer's words (no automatic template rewrites them); dismissed and undecided ones
    are left out."""
    report = sub.result["reports"][index]
    auto = {(f["start"], f["end"], f["code"]): f for f in report.get("findings") or []}
    out = []
    for f in views.findings(db, sub):
        if f["report"] != index or f["decision"] not in ("accepted", "edited"):
            continue
        if f["source"] == "auto" and f["decision"] == "accepted":
            out.append(auto[(f["start"], f["end"], f["code"])])
        else:
            out.append({"code": "reviewer", "severity": f["severity"], "message": f["message"],
                        "start": f["start"], "end": f["end"]})
    return out


def draft_content(db: Session, sub: Submission) -> tuple[int, dict]:
    """(report index, letter content) built by the review pack's letter code."""
    from dudao.review import feedback
    from dudao.review.pack import assemble, make_entries, records_of
    main = views.main_report(sub)
    if main is None:
        raise PlatformError("报告尚未分析完成，不能起草反馈意见", 409)
    index, report = main
    report = dict(report, findings=decided_findings(db, sub, index))
    entries = make_entries(records_of([report]))
    with tempfile.TemporaryDirectory() as tmp:
        pack = assemble(entries, Path(tmp))
    return index, feedback.content(pack, entries[0])


def generate(db: Session, actor, sub: Submission) -> Letter:
    letter = letter_of(db, sub)
    if letter is not None and letter.status != "draft":
        raise PlatformError("反馈意见已审定或已发布，不能重新起草", 409)
    index, content = draft_content(db, sub)
    if letter is None:
        letter = Letter(submission_id=sub.id, report_index=index, status="draft", content=content, version=1,
                        updated_by=actor.id)
        db.add(letter)
    else:
        letter.content, letter.report_index, letter.version = content, index, letter.version + 1
        letter.updated_by, letter.updated_at = actor.id, utcnow()
    db.flush()
    audit.record(db, actor, "letter_drafted", "submission", sub.id, version=letter.version,
                 findings=len(content["findings"]))
    return letter


def _clean(content: dict, given: dict) -> dict:
    out = dict(content)
    for k in TEXT_FIELDS:
        if k in given:
            out[k] = str(given[k]).strip()
    for k in LIST_FIELDS:
        if k in given:
            items = given[k] if isinstance(given[k], list) else str(given[k]).splitlines()
            out[k] = [str(x).strip() for x in items if str(x).strip()]
    if not out.get("title"):
        raise PlatformError("反馈意见的标题不能为空")
    return out


def edit(db: Session, actor, sub: Submission, given: dict) -> Letter:
    letter = _existing(db, sub)
    if letter.status != "draft":
        raise PlatformError("只能修改草稿；已审定的反馈意见请先退回修改", 409)
    new = _clean(letter.content, given)
    changed = [k for k in (*TEXT_FIELDS, *LIST_FIELDS) if new.get(k) != letter.content.get(k)]
    if not changed:
        return letter
    old = {k: letter.content.get(k) for k in changed}
    letter.content, letter.version = new, letter.version + 1
    letter.updated_by, letter.updated_at = actor.id, utcnow()
    db.flush()
    audit.record(db, actor, "letter_edited", "submission", sub.id, version=letter.version, fields=changed,
                 old=old, new={k: new.get(k) for k in changed})
    return letter


TRANSITIONS = {"approve": ("draft", "approved"), "reopen": ("approved", "draft"),
               "publish": ("approved", "published")}


def transition(db: Session, actor, sub: Submission, action: str, deadline=None) -> Letter:
    """Approve, reopen or publish; publishing registers the letter's problems in the rectification
    ledger with the rectification deadline (`deadline`, a date or None) in the same transaction."""
    letter = _existing(db, sub)
    if action not in TRANSITIONS:
        raise PlatformError(f"未知的操作：{action}")
    before, after = TRANSITIONS[action]
    if letter.status != before:
        raise PlatformError(f"反馈意见当前为“{views.LETTER_STATE_NAMES[letter.status]}”，不能执行此操作", 409)
    letter.status, letter.updated_by, letter.updated_at = after, actor.id, utcnow()
    if after == "published":
        letter.published_at = utcnow()
    db.flush()
    audit.record(db, actor, f"letter_{action}", "submission", sub.id, old=before, new=after, version=letter.version)
    if after == "published":
        from dudao.web.ledger import register_letter
        register_letter(db, actor, sub, letter, deadline)
    return letter


def _existing(db: Session, sub: Submission) -> Letter:
    letter = letter_of(db, sub)
    if letter is None:
        raise PlatformError("还没有起草反馈意见", 409)
    return letter


def visible_letter(db: Session, user, sub: Submission) -> Letter:
    """The letter as `user` may see it: a county sees it only once published (404 before)."""
    letter = letter_of(db, sub)
    if letter is None or (user.role == "submitter" and letter.status != "published"):
        raise PlatformError("还没有可查看的反馈意见", 404)
    return letter


def docx_bytes(letter: Letter) -> bytes:
    from dudao.review.feedback import build_document
    buf = io.BytesIO()
    build_document(letter.content).save(buf)
    return buf.getvalue()
