"""Scores in the platform: self and verified scores per point, computed by the scoring engine.

Expected numbers are worked by hand from dudao/data/frameworks/county_example.yaml: 14 points
summing to 100 (A1-1 is worth 4, C2-1 15), bonus items J1 (≤ 4) and J2 (≤ 3) with a cap of 5,
bands 优秀 ≥ 90, 良好 80–90, 合格 60–80, 不合格 < 60; N/A points are excluded and rescaled.
"""
from __future__ import annotations

import pytest
from sqlalchemy import select

from dudao.web.models import AuditEvent
from tests.websupport import BACKENDS, Platform

FULL = {"A1-1": 4, "A1-2": 6, "A2-1": 6, "A2-2": 6, "A3-1": 7, "A3-2": 6, "B1-1": 6, "B1-2": 6,
        "B2-1": 8, "B2-2": 8, "B3-1": 6, "B4-1": 6, "C1-1": 10, "C2-1": 15}


@pytest.fixture(params=BACKENDS)
def setup(request, tmp_path):
    p = Platform(tmp_path, request.param)
    sid = p.submit("submitter", analyse=False)
    reviewer, rcsrf = p.client("reviewer")
    return p, sid, reviewer, {"X-CSRF-Token": rcsrf}


def _verify(client, sid, headers, points, gates=None):
    body = {"points": {k: ({"score": v} if not isinstance(v, dict) else v) for k, v in points.items()}}
    if gates is not None:
        body["gates"] = gates
    r = client.post(f"/api/submissions/{sid}/verified-scores", json=body, headers=headers)
    assert r.status_code == 200, r.text
    return r.json()["result"]


def test_full_marks_then_a_deduction(setup):
    p, sid, c, h = setup
    res = _verify(c, sid, h, FULL)
    assert (res["verified_total"], res["grade"]) == (100, "优秀")
    res = _verify(c, sid, h, {"A1-1": 2, "C2-1": 7})            # 100 − 2 − 8 = 90: still 优秀 (≥ 90)
    assert (res["verified_total"], res["grade"]) == (90, "优秀")
    res = _verify(c, sid, h, {"C2-1": 6.5})                     # 89.5: 良好
    assert (res["verified_total"], res["grade"], res["deducted"]) == (89.5, "良好", 10.5)


def test_not_applicable_points_are_rescaled(setup):
    p, sid, c, h = setup
    points = dict(FULL, **{"C2-1": {"score": None, "not_applicable": True}, "C1-1": 5})
    res = _verify(c, sid, h, points)
    # applicable 85 points, 80 earned: 80 × 100/85 = 94.12
    assert res["not_applicable"] == ["C2-1"] and res["verified_total"] == 94.12 and res["grade"] == "优秀"


def test_bonus_is_capped_and_gates_change_the_grade(setup):
    p, sid, c, h = setup
    res = _verify(c, sid, h, dict(FULL, J1=4, J2=3))
    assert (res["verified_total"], res["bonus"]) == (105, 5)        # 7 claimed, cap 5
    res = _verify(c, sid, h, {}, gates=["D1"])
    assert (res["grade_before_gates"], res["grade"]) == ("优秀", "良好")
    res = _verify(c, sid, h, {}, gates=["N1"])
    assert res["grade"] == "良好"
    res = _verify(c, sid, h, {}, gates=["V1"])
    assert res["grade"] == "不合格" and [g["id"] for g in res["gates"]] == ["V1"]
    res = _verify(c, sid, h, {}, gates=[])
    assert res["grade"] == "优秀"


def test_out_of_range_and_unknown_points_are_refused(setup):
    p, sid, c, h = setup
    r = c.post(f"/api/submissions/{sid}/verified-scores", json={"points": {"A1-1": {"score": 4.5}}}, headers=h)
    assert r.status_code == 400 and "超出范围（0～4 分）" in r.json()["detail"]
    r = c.post(f"/api/submissions/{sid}/verified-scores", json={"points": {"Z9": {"score": 1}}}, headers=h)
    assert r.status_code == 400 and "没有观测点 Z9" in r.json()["detail"]
    r = c.post(f"/api/submissions/{sid}/verified-scores", json={"gates": ["X1"]}, headers=h)
    assert r.status_code == 400


def test_self_scores_credibility_and_audit(setup):
    p, sid, rc, h = setup
    sc, scsrf = p.client("submitter")
    form = {"csrf_token": scsrf, **{f"score-{k}": str(v) for k, v in FULL.items()}}
    assert sc.post(f"/submissions/{sid}/self-scores", data=form, follow_redirects=False).status_code == 303
    res = _verify(rc, sid, h, dict(FULL, **{"B2-1": 4, "C2-1": 10}))
    assert (res["self_total"], res["verified_total"]) == (100, 91)
    # 1 − (4 + 5) / 100 over the points with both scores
    assert res["credibility"] == 0.91
    assert [g["id"] for g in res["largest_gaps"]] == ["C2-1", "B2-1"]
    with p.db.session() as s:
        ev = list(s.scalars(select(AuditEvent).where(AuditEvent.action == "score_changed",
                                                      AuditEvent.detail["point"].as_string() == "B2-1")))
    assert [(e.detail["kind"], e.detail["old"], e.detail["new"]) for e in ev] == [("self", None, 8.0), ("verified", None, 4.0)]
    # The county sees the verified scores but cannot change them.
    page = sc.get(f"/submissions/{sid}/scores").text
    assert "核定总分 <b>91.0</b>" in page or "核定总分 <b>91</b>" in page
    assert sc.post(f"/submissions/{sid}/verified-scores", data={"csrf_token": scsrf}).status_code == 403
