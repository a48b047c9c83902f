"""Tables of the platform. Changes go through Alembic migrations (dudao/web/migrations)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, Date, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dudao.web.db import Base

ROLES = ("admin", "reviewer", "submitter")
ROLE_NAMES = {"admin": "管理员", "reviewer": "评审员", "submitter": "报送单位"}
STATUSES = ("queued", "analysing", "analysed", "failed")
STATUS_NAMES = {"queued": "排队中", "analysing": "分析中", "analysed": "已分析", "failed": "失败"}
DECISIONS = ("accepted", "dismissed", "edited")
DECISION_NAMES = {"accepted": "采纳", "dismissed": "不采纳", "edited": "修改后采纳"}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    region_adcode: Mapped[str] = mapped_column(String(12))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class WebSession(Base):
    __tablename__ = "web_sessions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)
    user: Mapped[User] = relationship()


class LoginFailure(Base):
    __tablename__ = "login_failures"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)


class Round(Base):
    __tablename__ = "rounds"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    framework: Mapped[str | None] = mapped_column(String(200), nullable=True)
    deadline: Mapped[dt.date] = mapped_column(Date)
    office_adcode: Mapped[str] = mapped_column(String(12))   # the office that opened it
    regions: Mapped[list] = mapped_column(JSON, default=list)  # adcodes it covers
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Submission(Base):
    __tablename__ = "submissions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("rounds.id"), nullable=True)
    region_adcode: Mapped[str] = mapped_column(String(12), index=True)
    uploader_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    filename: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(80))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="queued", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    result: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    detected_adcode: Mapped[str | None] = mapped_column(String(12), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    # The worker that holds the job while it is `analysing`, and when it last said it is alive.
    worker_id: Mapped[str | None] = mapped_column(String(120), nullable=True)
    heartbeat_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    uploader: Mapped[User] = relationship()
    round: Mapped[Round | None] = relationship()


class FindingDecision(Base):
    """A reviewer's decision on one automatic finding. Append-only: the latest one counts."""

    __tablename__ = "finding_decisions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    finding_key: Mapped[str] = mapped_column(String(120))
    decision: Mapped[str] = mapped_column(String(16))
    message: Mapped[str | None] = mapped_column(Text, nullable=True)  # edited wording
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class ReviewerFinding(Base):
    """A finding a reviewer adds on a selected passage of a report."""

    __tablename__ = "reviewer_findings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    report_index: Mapped[int] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    quote: Mapped[str] = mapped_column(Text)
    message: Mapped[str] = mapped_column(Text)
    severity: Mapped[str] = mapped_column(String(16), default="warning")
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class AuditEvent(Base):
    """Append-only record of every state change (who, when, what, old and new values)."""

    __tablename__ = "audit_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    username: Mapped[str | None] = mapped_column(String(64), nullable=True)
    action: Mapped[str] = mapped_column(String(40), index=True)
    object_type: Mapped[str | None] = mapped_column(String(40), nullable=True)
    object_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    address: Mapped[str | None] = mapped_column(String(64), nullable=True)


class PointScore(Base):
    """A score entered for one point (观测点) or bonus item: the county's own (`self`) or the office's
    (`verified`). Append-only: the latest row per submission, point and kind counts."""

    __tablename__ = "point_scores"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    point_id: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(10))          # self | verified
    score: Mapped[float | None] = mapped_column(Float, nullable=True)
    not_applicable: Mapped[bool] = mapped_column(Boolean, default=False)
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class GateMark(Base):
    """A reviewer's finding that a gate (一票否决/降等/不得评优) applies, or no longer applies."""

    __tablename__ = "gate_marks"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    gate_id: Mapped[str] = mapped_column(String(40))
    applies: Mapped[bool] = mapped_column(Boolean)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


LETTER_STATES = ("draft", "approved", "published")
LETTER_STATE_NAMES = {"draft": "草稿", "approved": "已审定", "published": "已发布"}


class Letter(Base):
    """The feedback letter (反馈意见) to the county about one submission: drafted from the decided
    findings, edited, approved, then published to the county."""

    __tablename__ = "letters"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"), unique=True)
    report_index: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    content: Mapped[dict] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    published_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    published_text: Mapped[str | None] = mapped_column(Text, nullable=True)  # ledger spans point here


class LedgerItem(Base):
    """One problem of a published letter, followed in the rectification ledger (整改台账). Its state
    is the fold of its events (dudao.rectify.ledger); rows are never changed (DB triggers)."""

    __tablename__ = "ledger_items"
    __table_args__ = (UniqueConstraint("submission_id", "number", name="uq_ledger_items_number"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    region_adcode: Mapped[str] = mapped_column(String(12), index=True)
    number: Mapped[int] = mapped_column(Integer)          # 1, 2, … within the letter
    part: Mapped[str] = mapped_column(String(16))         # findings | admitted (the letter's list)
    text: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)           # span in letters.published_text
    end: Mapped[int] = mapped_column(Integer)
    problem: Mapped[dict] = mapped_column(JSON)           # as dudao.rectify.feedback describes it
    deadline: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    submission: Mapped[Submission] = relationship()


class LedgerEvent(Base):
    """One transition of a ledger item (append-only; `seq` is unique per item)."""

    __tablename__ = "ledger_events"
    __table_args__ = (UniqueConstraint("item_id", "seq", name="uq_ledger_events_seq"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("ledger_items.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    evidence: Mapped[list] = mapped_column(JSON, default=list)
    file_name: Mapped[str | None] = mapped_column(String(255), nullable=True)
    stored_name: Mapped[str | None] = mapped_column(String(80), nullable=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    username: Mapped[str | None] = mapped_column(String(64), nullable=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class LedgerJudgement(Base):
    """A reviewer's confirmation (or override) of the automatic status of a ledger item, judged from
    a later submission of the same region (append-only)."""

    __tablename__ = "ledger_judgements"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("ledger_items.id", ondelete="CASCADE"), index=True)
    later_submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"))
    auto_status: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    event_seq: Mapped[int | None] = mapped_column(Integer, nullable=True)   # the transition it led to
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
