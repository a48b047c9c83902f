"""The rectification ledger (整改台账) in the platform (issue 11 part 5).

When a letter is published, each item of its problem lists (二、主要问题 and the problems the
report admitted) becomes a ledger item. The items are the letter's own items, cut from the text the
letter was published with, because the reviewer decided them one by one (a heuristic must not
second-guess which of them are problems); each is then described by `dudao.rectify.feedback`
(topics, figures, standards, demands) so that a later report can be followed with
`dudao.rectify.follow` exactly as `dudao rectify` does.

State lives only in append-only events, replayed by the pure machine `dudao.rectify.ledger`;
逾期 is derived from the deadline and today. The county starts work and requests closure (with
evidence); the office's reviewer closes, returns (with a reason) or exempts (with a reason), and
confirms or overrides the status proposed from the county's next report.
"""
from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dudao import atomic
from dudao.rectify import ledger as machine
from dudao.web import audit
from dudao.web.errors import PlatformError
from dudao.web.models import LedgerEvent, LedgerItem, LedgerJudgement, Letter, Submission, utcnow
from dudao.web.services import safe_filename

COUNTY_ACTIONS = ("start", "request_closure")
REVIEW_ACTIONS = ("close", "return", "exempt")
PARTS = ("findings", "admitted")
STATUS_LABELS = {"resolved": "已整改", "in_progress": "整改中", "persists": "仍存在", "not_addressed": "未回应"}
MAX_EVIDENCE_MB = 20


def letter_text(content: dict) -> tuple[str, list[tuple[str, int, int]]]:
    """The letter as plain text in the order of its Word document, and the span of each item of
    its problem lists: [(part, start, end)]."""
    h = content.get("headings") or {}
    lines: list[str] = []
    spans: list[tuple[str, int, int]] = []
    pos = 0

    def add(line: str, part: str | None = None, prefix: str = "") -> None:
        nonlocal pos
        line = f"{prefix}{line}".replace("\n", " ")
        if part:
            spans.append((part, pos + len(prefix), pos + len(line)))
        lines.append(line)
        pos += len(line) + 1

    for k in ("title", "recipient", "intro"):
        add(str(content.get(k) or ""))
    add(h.get("basic", ""))
    for p in content.get("basic") or []:
        add(p)
    add(h.get("problems", ""))
    for part in PARTS:
        add(h.get(part, ""))
        for k, p in enumerate(content.get(part) or [], 1):
            add(p, part, f"{k}. ")
    add(h.get("requirements", ""))
    add(str(content.get("requirements_intro") or ""))
    for k, p in enumerate(content.get("requirements") or [], 1):
        add(p, None, f"{k}. ")
    for k in ("closing", "office", "date"):
        add(str(content.get(k) or ""))
    return "\n".join(lines), spans


def register_letter(db: Session, actor, sub: Submission, letter: Letter, deadline: dt.date | None) -> list[LedgerItem]:
    """Turn the problems of a letter being published into ledger items (挂号), in the same
    transaction as the publication."""
    from dudao.rectify.feedback import describe
    text, spans = letter_text(letter.content)
    spans = [(part, s, e) for part, s, e in spans if text[s:e].strip()]
    problems = describe(text, [(s, e) for _, s, e in spans])
    letter.published_text = text
    now = utcnow()
    items = []
    for number, ((part, s, e), problem) in enumerate(zip(spans, problems), 1):
        item = LedgerItem(submission_id=sub.id, region_adcode=sub.region_adcode, number=number, part=part,
                          text=text[s:e], start=s, end=e, problem=problem, deadline=deadline, created_at=now)
        db.add(item)
        db.flush()
        db.add(LedgerEvent(item_id=item.id, seq=1, action="register", evidence=[], user_id=actor.id,
                           username=actor.username, at=now))
        items.append(item)
    db.flush()
    audit.record(db, actor, "ledger_registered", "submission", sub.id, items=len(items),
                 deadline=deadline.isoformat() if deadline else None)
    return items


# --- reading the ledger ------------------------------------------------------------------------

def items_of(db: Session, sub: Submission) -> list[LedgerItem]:
    return list(db.scalars(select(LedgerItem).where(LedgerItem.submission_id == sub.id).order_by(LedgerItem.number)))


def events_of(db: Session, items: list[LedgerItem]) -> dict[int, list[LedgerEvent]]:
    out: dict[int, list[LedgerEvent]] = {it.id: [] for it in items}
    if items:
        for ev in db.scalars(select(LedgerEvent).where(LedgerEvent.item_id.in_(list(out)))
                             .order_by(LedgerEvent.item_id, LedgerEvent.seq)):
            out[ev.item_id].append(ev)
    return out


def as_machine(item: LedgerItem, events: list[LedgerEvent]) -> machine.Item:
    """The stored item as the pure state machine sees it (its state is replayed from the events)."""
    return machine.Item(item.text, item.deadline, tuple(
        machine.Event(ev.seq, ev.action, ev.at, ev.username or "", ev.reason or "", tuple(ev.evidence or ()))
        for ev in events))


def allowed(state: str) -> list[str]:
    return [a for a, (sources, _) in machine.TRANSITIONS.items() if state in sources]


def item_view(item: LedgerItem, events: list[LedgerEvent], today: dt.date) -> dict:
    m = as_machine(item, events)
    state = m.state
    return {"id": item.id, "number": item.number, "part": item.part, "text": item.text,
            "title": item.problem.get("title"), "start": item.start, "end": item.end,
            "figures": item.problem.get("figures") or [], "topics": item.problem.get("topic_names") or [],
            "deadline": item.deadline.isoformat() if item.deadline else None,
            "state": state, "overdue": m.overdue(today), "returns": m.returns, "allowed": allowed(state),
            "events": [{"seq": ev.seq, "action": ev.action, "label": machine.ACTION_LABELS[ev.action],
                        "by": ev.username, "at": ev.at.isoformat(timespec="seconds") + "Z",
                        "reason": ev.reason, "evidence": ev.evidence or [], "file": ev.file_name}
                       for ev in events]}


def ledger_of(db: Session, sub: Submission, today: dt.date | None = None) -> list[dict]:
    items = items_of(db, sub)
    events = events_of(db, items)
    today = today or dt.date.today()
    return [item_view(it, events[it.id], today) for it in items]


def item_of(db: Session, sub: Submission, item_id: int) -> LedgerItem:
    item = db.get(LedgerItem, item_id)
    if item is None or item.submission_id != sub.id:
        raise PlatformError("找不到该台账事项", 404)
    return item


# --- transitions -------------------------------------------------------------------------------

def act(db: Session, settings, actor, sub: Submission, item_id: int, action: str, roles: tuple[str, ...],
        reason: str = "", evidence: str = "", file: tuple[str, bytes] | None = None) -> LedgerEvent:
    """One transition by `actor`, limited to the actions of its role (`roles`); audited."""
    if action not in roles:
        names = "、".join(machine.ACTION_LABELS[a] for a in roles)
        raise PlatformError(f"这里只能执行：{names}", 400)
    item = item_of(db, sub, item_id)
    texts = [evidence.strip()] if evidence and evidence.strip() else []
    file_name = None
    if file and file[1]:
        if len(file[1]) > MAX_EVIDENCE_MB * 2**20:
            raise PlatformError(f"佐证材料超过 {MAX_EVIDENCE_MB} MB 上限", 413)
        file_name = safe_filename(file[0])
        texts.append(f"附件：{file_name}")
    ev = _apply(db, actor, item, action, reason.strip(), texts, file_name=file_name,
                stored=uuid.uuid4().hex if file_name else None)
    if file_name:   # stored under a generated name, written whole or not at all
        settings.upload_dir.mkdir(parents=True, exist_ok=True)
        atomic.write_bytes(settings.upload_dir / ev.stored_name, file[1])
    return ev


def _apply(db: Session, actor, item: LedgerItem, action: str, reason: str, evidence: list[str], *,
           file_name: str | None = None, stored: str | None = None, via: dict | None = None) -> LedgerEvent:
    events = events_of(db, [item])[item.id]
    before = as_machine(item, events)
    try:
        after = machine.apply(before, action, utcnow(), actor.username, reason, evidence)
    except machine.LedgerError as e:
        raise PlatformError(str(e), 409) from None
    new = after.events[-1]
    ev = LedgerEvent(item_id=item.id, seq=new.seq, action=action, reason=reason or None, evidence=list(evidence),
                     file_name=file_name, stored_name=stored, user_id=actor.id, username=actor.username, at=new.at)
    db.add(ev)
    try:
        db.flush()
    except IntegrityError:   # someone else changed the item a moment ago
        raise PlatformError("该事项刚被他人处理，请刷新页面后重试", 409) from None
    audit.record(db, actor, f"ledger_{action}", "ledger_item", item.id, submission=item.submission_id,
                 number=item.number, old=before.state, new=after.state, reason=reason or None,
                 evidence=list(evidence), returns=after.returns, **(via or {}))
    return ev


def evidence_file(db: Session, settings, sub: Submission, item_id: int, seq: int) -> tuple[str, str]:
    """(path, user's file name) of the file attached to event `seq` of an item."""
    item = item_of(db, sub, item_id)
    ev = db.scalar(select(LedgerEvent).where(LedgerEvent.item_id == item.id, LedgerEvent.seq == seq))
    if ev is None or not ev.stored_name:
        raise PlatformError("找不到该佐证材料", 404)
    return str(settings.upload_dir / ev.stored_name), ev.file_name


# --- proposals from the county's next report ----------------------------------------------------

def later_submission(db: Session, sub: Submission) -> Submission | None:
    """The region's newest analysed report of a later round (or, outside rounds, submitted after
    the letter was published)."""
    letter = db.scalar(select(Letter).where(Letter.submission_id == sub.id))
    if letter is None or letter.published_at is None:
        return None
    rows = db.scalars(select(Submission).where(Submission.region_adcode == sub.region_adcode,
                                               Submission.status == "analysed", Submission.id != sub.id)
                      .order_by(Submission.id.desc()))
    for s in rows:
        if s.round is not None and sub.round is not None:
            if s.round.year > sub.round.year:
                return s
        elif s.created_at >= letter.published_at:
            return s
    return None


def proposals(db: Session, sub: Submission) -> tuple[Submission | None, dict[int, dict]]:
    """The automatic status of each open item, judged from the later report by `dudao.rectify`,
    with the ledger action it proposes (ledger.PROPOSALS) and the latest judgement on it."""
    from dudao.rectify import follow
    from dudao.web.views import main_report
    later = later_submission(db, sub)
    if later is None:
        return None, {}
    main = main_report(later)
    if main is None:
        return later, {}
    items = items_of(db, sub)
    judged = follow([dict(it.problem) for it in items], [(later.filename, main[1]["text"])])
    latest = {}
    for j in db.scalars(select(LedgerJudgement).where(LedgerJudgement.later_submission_id == later.id)
                        .order_by(LedgerJudgement.id)):
        latest[j.item_id] = j
    out = {}
    for it, j in zip(items, judged):
        action = machine.PROPOSALS.get(j["status"])
        done = latest.get(it.id)
        out[it.id] = {"status": j["status"], "label": STATUS_LABELS[j["status"]],
                      "action": action, "action_label": machine.ACTION_LABELS.get(action) if action else None,
                      "evidence": [{"start": ev["start"], "end": ev["end"], "quote": ev["quote"]}
                                   for ev in j.get("evidence") or []],
                      "judged": {"status": done.status, "label": STATUS_LABELS[done.status],
                                 "confirmed": done.status == done.auto_status, "note": done.note}
                      if done else None}
    return later, out


def _path_to(state: str, action: str) -> list[str]:
    """The actions that carry an item from `state` through `action` (a report showing a problem
    resolved moves a 挂号 item through 整改中 to 申请销号)."""
    if state in machine.TRANSITIONS[action][0]:
        return [action]
    if action == "request_closure" and state in machine.TRANSITIONS["start"][0]:
        return ["start", action]
    return []


def judge(db: Session, actor, sub: Submission, item_id: int, later_id: int, status: str,
          note: str = "") -> LedgerJudgement:
    """The reviewer confirms the automatic status (or overrides it, with a note); the ledger action
    the status proposes is applied when the item's state allows it."""
    if status not in STATUS_LABELS:
        raise PlatformError(f"未知的整改状态：{status}")
    item = item_of(db, sub, item_id)
    later, props = proposals(db, sub)
    if later is None or later.id != later_id or item.id not in props:
        raise PlatformError("没有可供核对的后续报告，或报告已更新，请刷新页面", 409)
    auto = props[item.id]
    note = note.strip()
    if status != auto["status"] and not note:
        raise PlatformError("改判自动判断时请说明理由")
    via = {"later_submission": later.id, "auto_status": auto["status"], "status": status,
           "confirmed": status == auto["status"]}
    action = machine.PROPOSALS.get(status)
    state = as_machine(item, events_of(db, [item])[item.id]).state
    quotes = [f"{later.filename}：{ev['quote']}" for ev in auto["evidence"]] if status == auto["status"] else []
    evidence = quotes or ([note] if note else [])
    seq = None
    for step in _path_to(state, action) if action else []:
        seq = _apply(db, actor, item, step, note, evidence if step == "request_closure" else [], via=via).seq
    row = LedgerJudgement(item_id=item.id, later_submission_id=later.id, auto_status=auto["status"], status=status,
                          note=note or None, event_seq=seq, user_id=actor.id)
    db.add(row)
    db.flush()
    audit.record(db, actor, "ledger_judged", "ledger_item", item.id, submission=sub.id, old=auto["status"],
                 new=status, note=note or None, event=seq, later_submission=later.id)
    return row


def overview(db: Session, subs: list[Submission], today: dt.date | None = None) -> list[dict]:
    """Counts per published letter for the ledger list page: states, overdue, returns."""
    today = today or dt.date.today()
    rows = []
    for sub in subs:
        items = ledger_of(db, sub, today)
        if not items:
            continue
        counts: dict[str, int] = {}
        for it in items:
            counts[it["state"]] = counts.get(it["state"], 0) + 1
        rows.append({"sub": sub, "items": len(items), "counts": counts,
                     "overdue": sum(1 for it in items if it["overdue"]),
                     "returns": sum(it["returns"] for it in items),
                     "deadline": min((it["deadline"] for it in items if it["deadline"]), default=None)})
    return rows
