"""The rectification ledger (整改台账) as a pure state machine, for the platform to use.

An item's state is never stored: it is the fold of its append-only events. States:

    挂号 (registered) → 整改中 (in progress) → 申请销号 (closure requested, with evidence)
    → 销号 (closed), or → 退回 (returned, with a reason; returns are counted) → 整改中 / 申请销号
    挂号 / 整改中 / 退回 → 免于整改 (exempted, with a reason)

销号 and 免于整改 are final. 逾期 (overdue) is derived from the deadline and the day asked about,
never stored. `apply` returns a new item; it never changes the one given.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime

REGISTERED, IN_PROGRESS, REQUESTED, CLOSED, RETURNED, EXEMPT = "挂号", "整改中", "申请销号", "销号", "退回", "免于整改"
STATES = (REGISTERED, IN_PROGRESS, REQUESTED, CLOSED, RETURNED, EXEMPT)
FINAL = frozenset({CLOSED, EXEMPT})

# action -> (states it may start from, state it leads to)
TRANSITIONS = {
    "start": ({REGISTERED, RETURNED}, IN_PROGRESS),
    "request_closure": ({IN_PROGRESS, RETURNED}, REQUESTED),
    "close": ({REQUESTED}, CLOSED),
    "return": ({REQUESTED}, RETURNED),
    "exempt": ({REGISTERED, IN_PROGRESS, RETURNED}, EXEMPT),
}
ACTION_LABELS = {"register": "挂号", "start": "开始整改", "request_closure": "申请销号", "close": "销号",
                 "return": "退回", "exempt": "免于整改"}


class LedgerError(ValueError):
    """A transition the ledger does not allow (message in Chinese, for the user)."""


@dataclass(frozen=True)
class Event:
    seq: int
    action: str
    at: datetime
    actor: str = ""
    reason: str = ""
    evidence: tuple = ()


@dataclass(frozen=True)
class Item:
    problem: str
    deadline: date | None = None
    events: tuple = field(default_factory=tuple)

    @property
    def state(self) -> str:
        return replay(self.events)

    @property
    def returns(self) -> int:
        return sum(1 for e in self.events if e.action == "return")

    def overdue(self, today: date) -> bool:
        """逾期: past the deadline and neither closed nor exempted."""
        return self.deadline is not None and today > self.deadline and self.state not in FINAL


def replay(events) -> str:
    """The state an event log leads to; raises LedgerError on a log that breaks the rules."""
    if not events or events[0].action != "register":
        raise LedgerError("台账记录必须以“挂号”开始。")
    state = REGISTERED
    for k, e in enumerate(events[1:], 2):
        if e.seq != k:
            raise LedgerError(f"台账记录序号不连续：第 {k} 条记为 {e.seq}。")
        state = _next(state, e)
    return state


def _next(state: str, e: Event) -> str:
    if e.action not in TRANSITIONS:
        raise LedgerError(f"不支持的操作：{e.action}")
    sources, target = TRANSITIONS[e.action]
    if state not in sources:
        raise LedgerError(f"当前状态为“{state}”，不能{ACTION_LABELS[e.action]}。")
    if e.action in ("return", "exempt") and not e.reason.strip():
        raise LedgerError(f"{ACTION_LABELS[e.action]}必须说明理由。")
    if e.action == "request_closure" and not any(str(x).strip() for x in e.evidence):
        raise LedgerError("申请销号必须附整改佐证材料。")
    return target


def register(problem: str, at: datetime, deadline: date | None = None, actor: str = "") -> Item:
    if not problem.strip():
        raise LedgerError("挂号的问题不能为空。")
    return Item(problem, deadline, (Event(1, "register", at, actor),))


def apply(item: Item, action: str, at: datetime, actor: str = "", reason: str = "", evidence=()) -> Item:
    """The item with one more event; the item given is unchanged."""
    if at < item.events[-1].at:
        raise LedgerError("事件时间早于上一条记录，台账只能追加。")
    e = Event(len(item.events) + 1, action, at, actor, reason, tuple(evidence))
    _next(item.state, e)
    return replace(item, events=item.events + (e,))


# What the automatic status of `dudao rectify` proposes to the reviewer for an open item.
PROPOSALS = {"resolved": "request_closure", "in_progress": "start", "persists": "start", "not_addressed": None}
