"""The rectification ledger: every allowed and every forbidden transition, append-only events,
reasons and evidence required, returns counted, 逾期 derived from the deadline."""
from dataclasses import FrozenInstanceError
from datetime import date, datetime, timedelta

import pytest

from dudao.rectify import ledger as L

T0 = datetime(2024, 1, 10, 9, 0)
ARGS = {"start": {}, "request_closure": {"evidence": ["整改报告第3页"]}, "close": {},
        "return": {"reason": "佐证材料不足"}, "exempt": {"reason": "学校已撤并"}}


def item_in(state: str) -> L.Item:
    """An item brought to `state` through allowed transitions."""
    it = L.register("城区大班额问题尚未解决", T0, date(2024, 6, 30))
    path = {L.REGISTERED: [], L.IN_PROGRESS: ["start"], L.REQUESTED: ["start", "request_closure"],
            L.CLOSED: ["start", "request_closure", "close"], L.RETURNED: ["start", "request_closure", "return"],
            L.EXEMPT: ["exempt"]}[state]
    for k, a in enumerate(path, 1):
        it = L.apply(it, a, T0 + timedelta(days=k), **ARGS[a])
    assert it.state == state
    return it


ALLOWED = {(s, a) for a, (sources, _) in L.TRANSITIONS.items() for s in sources}


@pytest.mark.parametrize("state", L.STATES)
@pytest.mark.parametrize("action", sorted(L.TRANSITIONS))
def test_every_transition(state, action):
    it = item_in(state)
    later = T0 + timedelta(days=30)
    if (state, action) in ALLOWED:
        new = L.apply(it, action, later, actor="审核员", **ARGS[action])
        assert new.state == L.TRANSITIONS[action][1]
        assert new.events[:-1] == it.events and len(new.events) == len(it.events) + 1
        assert it.state == state   # the old item is unchanged
    else:
        with pytest.raises(L.LedgerError, match="不能"):
            L.apply(it, action, later, **ARGS[action])


def test_expected_allowed_set():
    # the table itself, spelled out: a change to the rules must change this test
    assert ALLOWED == {
        (L.REGISTERED, "start"), (L.RETURNED, "start"),
        (L.IN_PROGRESS, "request_closure"), (L.RETURNED, "request_closure"),
        (L.REQUESTED, "close"), (L.REQUESTED, "return"),
        (L.REGISTERED, "exempt"), (L.IN_PROGRESS, "exempt"), (L.RETURNED, "exempt"),
    }
    assert not any(s in L.FINAL for s, _ in ALLOWED)


def test_reason_and_evidence_required():
    with pytest.raises(L.LedgerError, match="佐证"):
        L.apply(item_in(L.IN_PROGRESS), "request_closure", T0 + timedelta(days=9), evidence=[" "])
    with pytest.raises(L.LedgerError, match="理由"):
        L.apply(item_in(L.REQUESTED), "return", T0 + timedelta(days=9))
    with pytest.raises(L.LedgerError, match="理由"):
        L.apply(item_in(L.REGISTERED), "exempt", T0 + timedelta(days=9), reason="")
    with pytest.raises(L.LedgerError):
        L.register("  ", T0)


def test_returns_counted_and_full_history_kept():
    it = item_in(L.REQUESTED)
    for k in range(3):
        it = L.apply(it, "return", T0 + timedelta(days=10 + 2 * k), reason=f"第{k + 1}次材料不全")
        it = L.apply(it, "request_closure", T0 + timedelta(days=11 + 2 * k), evidence=["补充材料"])
    it = L.apply(it, "close", T0 + timedelta(days=20))
    assert it.state == L.CLOSED and it.returns == 3
    assert [e.action for e in it.events][:3] == ["register", "start", "request_closure"]
    assert [e.seq for e in it.events] == list(range(1, len(it.events) + 1))
    assert L.replay(it.events) == L.CLOSED


def test_append_only():
    it = item_in(L.IN_PROGRESS)
    with pytest.raises(FrozenInstanceError):
        it.events = ()
    with pytest.raises(L.LedgerError, match="追加"):
        L.apply(it, "exempt", T0 - timedelta(days=1), reason="x")
    # a tampered log (an event removed) no longer replays
    closed = item_in(L.CLOSED)
    with pytest.raises(L.LedgerError):
        L.replay(closed.events[:1] + closed.events[2:])
    with pytest.raises(L.LedgerError, match="挂号"):
        L.replay(closed.events[1:])


def test_overdue_is_derived():
    it = item_in(L.IN_PROGRESS)
    assert not it.overdue(date(2024, 6, 30))
    assert it.overdue(date(2024, 7, 1))
    assert not item_in(L.CLOSED).overdue(date(2025, 1, 1))
    assert not item_in(L.EXEMPT).overdue(date(2025, 1, 1))
    assert not L.register("无期限问题", T0).overdue(date(2030, 1, 1))
    assert "逾期" not in L.STATES


def test_proposals_are_actions():
    assert set(L.PROPOSALS) == {"resolved", "in_progress", "persists", "not_addressed"}
    assert all(a is None or a in L.TRANSITIONS for a in L.PROPOSALS.values())
