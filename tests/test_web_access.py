"""Authorisation matrix: every route × every role × own / sub-region / other region / signed out.

Generated from the application's route table, so a route added without an access policy, or
one that leaks across regions, fails here. The expected visibility is written out below from
the region tree (甘肃省 ⊃ 天水市 ⊃ 甘谷县; 兰州市城关区 outside 天水市), not computed by the code under test.
"""
from __future__ import annotations

import re

import pytest
from fastapi.routing import APIRoute

from dudao.web.access import POLICIES
from tests.websupport import BACKENDS, PASSWORD, Platform

ACTORS = (None, "admin", "reviewer", "submitter")
# Which submissions each actor may see, by the region they were submitted for.
VISIBLE = {
    "admin": {"620500", "620523", "620102"},
    "reviewer": {"620500", "620523"},        # 天水市's office: its own level and 甘谷县 under it
    "submitter": {"620523"},                 # 甘谷县: only its own
}
# Submissions by region, and how each one stands to each actor (own / sub / other).
SUBMITTED_BY = {"620500": "city_submitter", "620523": "submitter", "620102": "other_submitter"}


@pytest.fixture(scope="module", params=BACKENDS)
def platform(request, tmp_path_factory):
    p = Platform(tmp_path_factory.mktemp("access"), request.param)
    p.sids = {code: p.submit(who) for code, who in SUBMITTED_BY.items()}
    # Every submission has a published letter, so that the county may read it.
    from dudao.web import letters
    from dudao.web.models import Submission, User
    from dudao.web import ledger
    with p.db.session() as s:
        reviewer = s.get(User, p.users["reviewer"].id)
        p.items = {}
        for code, sid in p.sids.items():
            sub = s.get(Submission, sid)
            letters.generate(s, reviewer, sub)
            letters.transition(s, reviewer, sub, "approve")
            letters.transition(s, reviewer, sub, "publish")
            # Its first ledger item: work started and closure requested with a file (event 3).
            county = s.get(User, p.users[SUBMITTED_BY[code]].id)
            item = ledger.items_of(s, sub)[0].id
            ledger.act(s, p.settings, county, sub, item, "start", ledger.COUNTY_ACTIONS)
            ledger.act(s, p.settings, county, sub, item, "request_closure", ledger.COUNTY_ACTIONS,
                       evidence="已整改", file=("整改照片.pdf", b"%PDF-1.4 test"))
            p.items[sid] = item
    return p


def routes(app):
    return [r for router in app.state.routers for r in router.routes if isinstance(r, APIRoute)]


def test_every_route_declares_a_policy(platform):
    app = platform.app
    # Nothing reaches the app except through the routers whose routes are checked here
    # (plus the OpenAPI document and the static files).
    for top in app.routes:
        router = getattr(top, "original_router", None)
        assert router in app.state.routers or getattr(top, "path", None) in ("/api/openapi.json", "/static"), top
    found = routes(app)
    assert len(found) >= 20
    for r in found:
        policy = (r.openapi_extra or {}).get("x-access")
        assert policy in POLICIES, f"{r.path} has no access policy"


def _body(platform, client, method, path, sid):
    """Arguments that get past validation, so the answer shows the access decision."""
    if path in ("/api/login",):
        return {"json": {"username": "admin", "password": PASSWORD}}
    if path == "/login":
        client.cookies.set("dudao_login_csrf", "t0ken-for-test")
        return {"data": {"username": "admin", "password": PASSWORD, "login_csrf": "t0ken-for-test"}}
    if path.endswith("/submissions") and method == "POST":
        return {"files": {"file": ("报告.txt", "某县人民政府自评报告\n我县共有学校10所。".encode())}}
    if path.endswith("/decisions"):
        key = _first_key(platform, sid)
        if path.startswith("/api/"):
            return {"json": {"key": key, "decision": "accepted"}}
        return {"data": {"key": key, "decision": "accepted"}}
    if path.endswith("-scores"):
        if path.startswith("/api/"):
            return {"json": {"points": {"A1-1": {"score": 3}}, "gates": []}}
        return {"data": {"score-A1-1": "3", "reason-A1-1": "测试"}}
    if path.endswith("/ledger/{item}/county"):
        if path.startswith("/api/"):
            return {"json": {"action": "start"}}
        return {"data": {"action": "start"}}
    if path.endswith("/ledger/{item}/review"):
        if path.startswith("/api/"):
            return {"json": {"action": "return", "reason": "佐证不足"}}
        return {"data": {"action": "return", "reason": "佐证不足"}}
    if path.endswith("/ledger/{item}/judge"):
        return {"data": {"later": 0, "status": "resolved"}}
    if path.endswith("/findings"):
        return {"data": {"report": 0, "start": 0, "end": 4, "message": "评审员意见", "severity": "info"}}
    if path == "/admin/users":
        return {"data": {"username": f"u{len(path)}{id(client)}", "password": PASSWORD, "role": "reviewer",
                         "region": "620500"}}
    if path == "/admin/rounds":
        return {"data": {"year": 2023, "name": "测试轮次", "deadline": "2023-04-30", "regions_text": "620523",
                         "framework": "county_example"}}
    return {}


def _first_key(platform, sid):
    from dudao.web import services
    from dudao.web.models import Submission
    with platform.db.session() as s:
        return next(iter(services.findings_of(s.get(Submission, sid))))


def _cases(app):
    for r in routes(app):
        for method in sorted(r.methods - {"HEAD"}):
            for actor in ACTORS:
                for code in (SUBMITTED_BY if "{sid}" in r.path else (None,)):
                    yield r, method, actor, code


# Which roles each policy admits (written out, not read from the code under test).
ROLES_OF = {"user": {"admin", "reviewer", "submitter"}, "admin": {"admin"}, "reviewer": {"reviewer"},
            "submitter": {"submitter"}, "office": {"reviewer", "admin"}}


def _path(platform, path, sid):
    """The route's path with its parameters filled in for submission `sid`."""
    if sid:
        path = path.replace("{sid}", str(sid)).replace("{item}", str(platform.items[sid]))
    return (path.replace("{action}", "reopen").replace("{seq}", "3")
            .replace("{rid}", str(platform.round_id)))


def _expected(route, actor, code):
    policy = route.openapi_extra["x-access"]
    if policy == "public":
        return "allowed"
    if actor is None:
        return "signed_out"
    if actor not in ROLES_OF[policy]:
        return "forbidden"
    if code is not None and code not in VISIBLE[actor]:
        return "hidden"
    return "allowed"


def _outcome(route, response):
    s = response.status_code
    if route.path.startswith("/api/") and s == 401:
        return "signed_out"
    if s == 303 and response.headers.get("location") == "/login":
        return "signed_out"
    if s == 403:
        return "forbidden"
    if s == 404:
        return "hidden"
    assert s < 500, response.text
    return "allowed"


def test_authorisation_matrix(platform):
    seen = 0
    for route, method, actor, code in _cases(platform.app):
        client, csrf = platform.client(actor)
        sid = platform.sids[code] if code else None
        path = _path(platform, route.path, sid)
        kwargs = _body(platform, client, method, route.path, sid)
        headers = {"X-CSRF-Token": csrf} if csrf else {}
        resp = client.request(method, path, headers=headers, follow_redirects=False, **kwargs)
        expected = _expected(route, actor, code)
        assert _outcome(route, resp) == expected, (method, route.path, actor, code, resp.status_code, resp.text[:200])
        seen += 1
    assert seen > 60


def test_state_changes_need_the_csrf_token(platform):
    """Every state-changing route refuses a signed-in, authorised user without the token."""
    checked = 0
    for r in routes(platform.app):
        policy = r.openapi_extra["x-access"]
        if policy == "public" or not (r.methods - {"GET", "HEAD"}):
            continue
        actor = {"user": "admin", "admin": "admin", "reviewer": "reviewer", "submitter": "submitter",
                 "office": "admin"}[policy]
        sid = platform.sids["620523"]
        path = _path(platform, r.path, sid)
        for headers in ({}, {"X-CSRF-Token": "not-the-token"}):
            client, _ = platform.client(actor)
            kwargs = _body(platform, client, "POST", r.path, sid)
            resp = client.post(path, headers=headers, follow_redirects=False, **kwargs)
            assert resp.status_code == 403, (r.path, headers, resp.status_code)
            checked += 1
    assert checked >= 14


def test_listing_shows_only_visible_submissions(tmp_path):
    platform = Platform(tmp_path)
    platform.sids = {code: platform.submit(who, analyse=False) for code, who in SUBMITTED_BY.items()}
    for actor, codes in VISIBLE.items():
        client, _ = platform.client(actor)
        got = {s["submitted_region"]["adcode"] for s in client.get("/api/submissions").json()["submissions"]}
        assert got == codes, actor
        page = client.get("/submissions").text
        shown = set(re.findall(r'href="/submissions/(\d+)"', page))
        assert shown == {str(platform.sids[c]) for c in codes}, actor
