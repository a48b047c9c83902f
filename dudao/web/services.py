"""What the platform does, independent of HTTP: users, rounds, uploads, review decisions.

Every function that changes state records an audit event in the same transaction.
Errors a user sees are `PlatformError` with a Chinese message and an HTTP status.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from dudao import atomic
from dudao.errors import InputError
from dudao.web import audit, regions, scoring, security
from dudao.web.errors import PlatformError
from dudao.web.models import (DECISIONS, ROLE_NAMES, ROLES, FindingDecision, ReviewerFinding, Round, Submission,
                              User)
from dudao.web.settings import Settings


def create_user(db: Session, actor: User | None, username: str, password: str, role: str,
                region_adcode: str) -> User:
    username = username.strip()
    if not username or len(username) > 64:
        raise PlatformError("用户名不能为空，且不超过 64 个字符")
    if role not in ROLES:
        choices = "、".join(f"{r}（{ROLE_NAMES[r]}）" for r in ROLES)
        raise PlatformError(f"未知角色：{role}（可选 {choices}）")
    if not regions.valid(region_adcode):
        raise PlatformError(f"未知的行政区划代码：{region_adcode}")
    problem = security.password_problem(password)
    if problem:
        raise PlatformError(problem)
    if db.scalar(select(User).where(User.username == username)):
        raise PlatformError(f"用户名已存在：{username}", 409)
    user = User(username=username, password_hash=security.hash_password(password), role=role,
                region_adcode=region_adcode, active=True)
    db.add(user)
    db.flush()
    audit.record(db, actor, "user_created", "user", user.id, username=username, role=role,
                 region=region_adcode)
    return user


def create_round(db: Session, actor: User, year: int, name: str, deadline: dt.date,
                 region_codes: list[str], framework: str | None = None,
                 settings: Settings | None = None) -> Round:
    name = name.strip()
    if framework:
        scoring.framework(settings or Settings(), framework)   # must load and validate
    if not name:
        raise PlatformError("轮次名称不能为空")
    if not 2000 <= year <= 2100:
        raise PlatformError(f"年度不合理：{year}")
    bad = [c for c in region_codes if not regions.valid(c)]
    if bad:
        raise PlatformError(f"未知的行政区划代码：{'、'.join(bad)}")
    if not region_codes:
        raise PlatformError("请至少选择一个被评地区")
    rnd = Round(year=year, name=name, deadline=deadline, office_adcode=actor.region_adcode,
                regions=sorted(set(region_codes)), framework=framework)
    db.add(rnd)
    db.flush()
    audit.record(db, actor, "round_created", "round", rnd.id, name=name, year=year,
                 deadline=deadline.isoformat(), regions=rnd.regions)
    return rnd


def _check_upload(name: str, data: bytes, settings: Settings) -> str:
    from dudao.ingest.sniff import sniff
    if not data:
        raise PlatformError("上传的文件是空的")
    limit = settings.max_upload_mb * 2**20
    if len(data) > limit:
        raise PlatformError(f"文件超过 {settings.max_upload_mb} MB 上限", 413)
    try:
        kind = sniff(data, name)
    except InputError as e:
        raise PlatformError(e.message, 415) from None
    if kind == "unknown":
        raise PlatformError("无法识别的文件类型：请上传 .docx、.pdf、.txt、网页、.doc/.wps 或 .zip 文件", 415)
    return kind


def safe_filename(name: str) -> str:
    """The user's file name for display and downloads: no folders, no control characters."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable() and ch not in '<>:"|?*')
    return base.strip(". ")[:200] or "报告"


def submit(db: Session, settings: Settings, actor: User, filename: str, data: bytes,
           round_id: int | None = None, address: str | None = None) -> Submission:
    """Store an upload (atomically, under a generated name) and queue its analysis."""
    kind = _check_upload(filename, data, settings)
    if round_id is not None:
        rnd = db.get(Round, round_id)
        if rnd is None or actor.region_adcode not in rnd.regions:
            raise PlatformError("该评价轮次不存在或不包含本地区", 404)
    settings.upload_dir.mkdir(parents=True, exist_ok=True)
    stored = uuid.uuid4().hex
    atomic.write_bytes(settings.upload_dir / stored, data)
    sub = Submission(round_id=round_id, region_adcode=actor.region_adcode, uploader_id=actor.id,
                     filename=safe_filename(filename), stored_name=stored,
                     sha256=hashlib.sha256(data).hexdigest(), size=len(data), status="queued", attempts=0)
    db.add(sub)
    db.flush()
    audit.record(db, actor, "upload", "submission", sub.id, address=address, filename=sub.filename,
                 size=len(data), kind=kind, sha256=sub.sha256)
    return sub


def upload_path(settings: Settings, sub: Submission) -> str:
    return os.fspath(settings.upload_dir / sub.stored_name)


# --- review ----------------------------------------------------------------------------------

def finding_key(report_index: int, finding: dict) -> str:
    """A finding's stable key within a submission: its report, code and span."""
    return f"{report_index}:{finding['code']}:{finding['start']}:{finding['end']}"


def latest_decisions(db: Session, sub: Submission) -> dict[str, FindingDecision]:
    rows = db.scalars(select(FindingDecision).where(FindingDecision.submission_id == sub.id)
                      .order_by(FindingDecision.id))
    return {r.finding_key: r for r in rows}


def findings_of(sub: Submission) -> dict[str, tuple[int, dict]]:
    out = {}
    for i, rep in enumerate((sub.result or {}).get("reports", [])):
        for f in rep.get("findings") or []:
            out[finding_key(i, f)] = (i, f)
    return out


def decide(db: Session, actor: User, sub: Submission, key: str, decision: str,
           message: str | None = None, note: str | None = None) -> FindingDecision:
    if decision not in DECISIONS:
        raise PlatformError(f"未知的处理方式：{decision}（可选 accepted、dismissed、edited）")
    if key not in findings_of(sub):
        raise PlatformError("该核查发现不存在", 404)
    if decision == "edited" and not (message or "").strip():
        raise PlatformError("修改后采纳时请填写修改后的表述")
    old = latest_decisions(db, sub).get(key)
    row = FindingDecision(submission_id=sub.id, finding_key=key, decision=decision,
                          message=(message or "").strip() or None, note=(note or "").strip() or None,
                          user_id=actor.id)
    db.add(row)
    db.flush()
    audit.record(db, actor, "finding_decision", "submission", sub.id, finding=key,
                 old=old.decision if old else None, new=decision, message=row.message, note=row.note)
    return row


def add_finding(db: Session, actor: User, sub: Submission, report_index: int, start: int, end: int,
                message: str, severity: str = "warning") -> ReviewerFinding:
    reports = (sub.result or {}).get("reports", [])
    if not 0 <= report_index < len(reports):
        raise PlatformError("报告不存在", 404)
    text = reports[report_index]["text"]
    if not (0 <= start < end <= len(text)):
        raise PlatformError("选中的原文位置无效")
    if severity not in ("error", "warning", "info"):
        raise PlatformError("严重程度只能是 error、warning 或 info")
    if not message.strip():
        raise PlatformError("请填写发现的说明")
    row = ReviewerFinding(submission_id=sub.id, report_index=report_index, start=start, end=end,
                          quote=text[start:end], message=message.strip(), severity=severity,
                          user_id=actor.id)
    db.add(row)
    db.flush()
    audit.record(db, actor, "finding_added", "submission", sub.id, report=report_index, start=start,
                 end=end, message=row.message, severity=severity)
    return row
