"""A round as a whole: indicators per region against the standards, copy detection across the
round's reports, and the round's review pack as a zip (reviewers and admins only)."""
from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import pytest

from dudao.web import services
from dudao.web.models import User
from tests.websupport import BACKENDS, NAMES, PLACES, REPORT, Platform

# A paragraph written for this test that two counties share word for word.
SHARED = ("我们创新推出“县校共育、师徒结对、周周研课”三位一体的乡村教师成长机制，组织城区骨干教师每周两次"
          "赴乡村学校开展同课异构和课后诊断，累计结对帮扶青年教师一百四十余人。")


@pytest.fixture(scope="module", params=BACKENDS)
def platform(request, tmp_path_factory):
    p = Platform(tmp_path_factory.mktemp("rounds"), request.param)
    p.sids = {}
    for who in ("submitter", "city_submitter", "other_submitter"):
        code = PLACES[who][1]
        text = REPORT.format(name=NAMES[code], n=int(code[-1]) + 3)
        if who != "city_submitter":
            text = text.replace("（二）加强教师队伍建设。", "（二）加强教师队伍建设。" + SHARED)
        if who == "submitter":
            text = text.replace("学前三年毛入园率90.5%", "学前三年毛入园率80.5%")
        p.sids[code] = p.submit(who, text)
    return p


def test_comparison_holds_indicators_to_standards(platform):
    c, _ = platform.client("admin")
    data = c.get(f"/api/rounds/{platform.round_id}/comparison").json()
    assert data["analysed"] == 3
    rows = {r["adcode"]: r for r in data["rows"]}
    assert set(rows) == {"620523", "620500", "620102"}
    col = next(x for x in data["columns"] if x["label"] == "学前三年毛入园率")
    assert col["standard"] == "≥85%" and col["source"]
    cell = rows["620523"]["cells"]["学前三年毛入园率"]
    assert (cell["value"], cell["ok"], cell["quote"]) == (80.5, False, "学前三年毛入园率80.5%")
    assert rows["620102"]["cells"]["学前三年毛入园率"]["ok"] is True
    assert rows["620523"]["below"] == 1 and rows["620102"]["below"] == 0
    # the test reports share their template (names swapped); the two that also share the
    # paragraph share that much more
    pairs = {frozenset((p["a_submission"], p["b_submission"])): p for p in data["copies"]}
    sid = platform.sids
    shared = pairs.pop(frozenset((sid["620523"], sid["620102"])))["shared_chars"]
    assert all(shared - p["shared_chars"] >= 60 for p in pairs.values())
    page = c.get(f"/rounds/{platform.round_id}/compare").text
    assert "未达标" in page and "雷同检测" in page and "兰州市城关区" in page


def test_reviewer_compares_only_its_regions(platform):
    c, _ = platform.client("reviewer")
    data = c.get(f"/api/rounds/{platform.round_id}/comparison").json()
    assert {r["adcode"] for r in data["rows"]} == {"620523", "620500"}
    assert all("兰州" not in p["a"] + p["b"] for p in data["copies"])
    assert "兰州市城关区" not in c.get(f"/rounds/{platform.round_id}/compare").text
    county, _ = platform.client("submitter")
    assert county.get(f"/rounds/{platform.round_id}/compare").status_code == 403
    assert county.get(f"/api/rounds/{platform.round_id}/comparison").status_code == 403
    assert c.get("/rounds/999999/compare").status_code == 404


def test_round_pack_zip(platform):
    c, _ = platform.client("reviewer")
    r = c.get(f"/rounds/{platform.round_id}/pack.zip")
    assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
    disp = r.headers["content-disposition"]
    assert disp.startswith('attachment; filename="round-') and "filename*=UTF-8''" in disp
    zf = zipfile.ZipFile(io.BytesIO(r.content))
    names = zf.namelist()
    assert {"summary.json", "review.xlsx", "index.html"} <= set(names)
    assert all(not n.startswith("/") and ".." not in n for n in names)
    summary = json.loads(zf.read("summary.json"))
    assert summary["counts"]["reports"] == 2          # only what the reviewer may see
    assert sum(n.startswith("feedback/") for n in names) == 2


def test_pack_name_is_safe_and_an_empty_round_refused(platform):
    with platform.db.session() as s:
        admin = s.get(User, platform.users["admin"].id)
        rid = services.create_round(s, admin, 2024, '专项/督导"评估"\\轮次', dt.date(2024, 5, 1), ["620523"]).id
    c, _ = platform.client("admin")
    r = c.get(f"/rounds/{rid}/pack.zip")
    assert r.status_code == 409 and "还没有分析完成的报告" in r.text
    platform.round_id, old = rid, platform.round_id
    try:
        platform.submit("submitter")
    finally:
        platform.round_id = old
    r = c.get(f"/rounds/{rid}/pack.zip")
    disp = r.headers["content-disposition"]
    assert r.status_code == 200 and "%2F" not in disp and "%22" not in disp and "%5C" not in disp
    assert f'filename="round-{rid}-pack.zip"' in disp
