"""The platform's behaviour: sign-in, uploads, analysis queue, review decisions, audit, safety."""
from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa
from sqlalchemy import select

from dudao.web import queues
from dudao.web.models import AuditEvent, Submission, WebSession
from tests.websupport import BACKENDS, PASSWORD, REPORT, Platform


@pytest.fixture(params=BACKENDS)
def platform(request, tmp_path):
    return Platform(tmp_path, request.param, login_max_failures=3)


def _events(platform, action):
    with platform.db.session() as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.action == action)))


# --- sign-in ------------------------------------------------------------------------------------

def test_login_sets_a_safe_cookie_and_returns_the_csrf_token(platform):
    c, _ = platform.client()
    r = c.post("/api/login", json={"username": "reviewer", "password": PASSWORD})
    assert r.status_code == 200 and len(r.json()["csrf_token"]) >= 32
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert c.get("/api/submissions").status_code == 200
    assert _events(platform, "login")[0].username == "reviewer"


def test_wrong_password_then_rate_limit(platform):
    c, _ = platform.client()
    for _ in range(3):
        r = c.post("/api/login", json={"username": "reviewer", "password": "wrong-pass-1"})
        assert r.status_code == 401 and r.json()["detail"] == "用户名或密码不正确"
    r = c.post("/api/login", json={"username": "reviewer", "password": PASSWORD})
    assert r.status_code == 429 and "登录失败次数过多" in r.json()["detail"]
    assert len(_events(platform, "login_failed")) == 4
    # An unknown user name gets the same answer as a wrong password.
    r = c.post("/api/login", json={"username": "nobody", "password": PASSWORD})
    assert r.status_code == 401 and r.json()["detail"] == "用户名或密码不正确"


def test_sessions_expire(platform):
    c, _ = platform.client("reviewer")
    assert c.get("/api/submissions").status_code == 200
    with platform.db.session() as s:
        s.execute(sa.update(WebSession).values(expires_at=dt.datetime(2000, 1, 1)))
    assert c.get("/api/submissions").status_code == 401
    assert c.get("/", follow_redirects=False).headers["location"] == "/login"


def test_login_form_needs_its_double_submit_token(platform):
    c, _ = platform.client()
    page = c.get("/login")
    token = re.search(r'name="login_csrf" value="([^"]+)"', page.text).group(1)
    r = c.post("/login", data={"username": "reviewer", "password": PASSWORD, "login_csrf": "forged"},
               follow_redirects=False)
    assert r.status_code == 403
    r = c.post("/login", data={"username": "reviewer", "password": PASSWORD, "login_csrf": token},
               follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/"
    assert "工作台" in c.get("/").text


def test_logout_ends_the_session(platform):
    c, csrf = platform.client("reviewer")
    r = c.post("/api/logout", headers={"X-CSRF-Token": csrf})
    assert r.status_code == 200
    assert c.get("/api/submissions").status_code == 401


# --- uploads and the analysis queue ---------------------------------------------------------------

@pytest.mark.parametrize("name,data,status,message", [
    ("空.txt", b"", 400, "上传的文件是空的"),
    ("x.pdf", bytes(range(256)) * 8, 415, "无法识别的文件类型"),
])
def test_bad_uploads_get_a_chinese_reason(platform, name, data, status, message):
    c, csrf = platform.client("submitter")
    r = c.post("/api/submissions", files={"file": (name, data)}, headers={"X-CSRF-Token": csrf})
    assert r.status_code == status and message in r.json()["detail"]
    with platform.db.session() as s:
        assert s.scalar(select(sa.func.count()).select_from(Submission)) == 0


def test_upload_over_the_size_limit(tmp_path):
    p = Platform(tmp_path, max_upload_mb=1)
    c, csrf = p.client("submitter")
    r = c.post("/api/submissions", files={"file": ("大.txt", "教".encode() * 400_000)}, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 413 and "1 MB" in r.json()["detail"]


def test_upload_is_analysed_with_spans_into_the_report(platform):
    c, csrf = platform.client("submitter")
    text = REPORT.format(name="甘谷县", n=6)
    r = c.post("/api/submissions", files={"file": ("甘谷县自评报告.txt", text.encode("gb18030"))},
               headers={"X-CSRF-Token": csrf})
    assert r.status_code == 201
    sid = r.json()["id"]
    assert c.get(f"/api/submissions/{sid}").json()["status"] == "queued"
    assert queues.drain(platform.db, platform.settings) == 1
    d = c.get(f"/api/submissions/{sid}").json()
    assert d["status"] == "analysed" and d["doc_type"] == "self_report"
    assert d["region"]["adcode"] == "620523" and d["region"]["name"] == "甘谷县"
    assert d["region_mismatch"] is False
    codes = {f["code"] for f in d["findings"]}
    assert "placeholder" in codes
    with platform.db.session() as s:
        report_text = s.get(Submission, sid).result["reports"][0]["text"]
    for f in d["findings"]:
        assert report_text[f["start"]:f["end"]] == f["quote"]
    assert [e.action for e in _events(platform, "analysis_done")] == ["analysis_done"]


def test_a_report_about_another_region_is_flagged(platform):
    sid = platform.submit("submitter", REPORT.format(name="兰州市城关区", n=2))
    c, _ = platform.client("submitter")
    d = c.get(f"/api/submissions/{sid}").json()
    assert d["region_mismatch"] is True and d["region"]["adcode"] == "620102"
    assert "与报送单位" in c.get(f"/submissions/{sid}").text


def test_analysis_failure_is_reported_not_raised(platform):
    sid = platform.submit("submitter", "<html><body><div>  </div></body></html>", name="空网页.html")
    c, _ = platform.client("submitter")
    d = c.get(f"/api/submissions/{sid}").json()
    assert d["status"] == "failed" and d["error"] and "Error" not in d["error"]


# --- the reviewer's workbench -------------------------------------------------------------------

def test_decisions_are_recorded_with_old_and_new_values(platform):
    sid = platform.submit("submitter")
    c, csrf = platform.client("reviewer")
    key = c.get(f"/api/submissions/{sid}").json()["findings"][0]["key"]
    h = {"X-CSRF-Token": csrf}
    r = c.post(f"/api/submissions/{sid}/decisions", json={"key": key, "decision": "edited"}, headers=h)
    assert r.status_code == 400 and "修改后的表述" in r.json()["detail"]
    assert c.post(f"/api/submissions/{sid}/decisions", json={"key": key, "decision": "accepted"},
                  headers=h).status_code == 200
    r = c.post(f"/api/submissions/{sid}/decisions",
               json={"key": key, "decision": "edited", "message": "报告中仍有未填写的模板内容。", "note": "措辞调整"},
               headers=h)
    assert r.status_code == 200
    f = next(f for f in c.get(f"/api/submissions/{sid}").json()["findings"] if f["key"] == key)
    assert f["decision"] == "edited" and f["message"] == "报告中仍有未填写的模板内容。" and f["note"] == "措辞调整"
    changes = [(e.detail["old"], e.detail["new"]) for e in _events(platform, "finding_decision")]
    assert changes == [(None, "accepted"), ("accepted", "edited")]
    r = c.post(f"/api/submissions/{sid}/decisions", json={"key": "0:nope:1:2", "decision": "accepted"}, headers=h)
    assert r.status_code == 404


def test_reviewer_adds_a_finding_on_a_selected_passage(platform):
    sid = platform.submit("submitter")
    c, csrf = platform.client("reviewer")
    with platform.db.session() as s:
        text = s.get(Submission, sid).result["reports"][0]["text"]
    start = text.index("城区学校大班额")
    data = {"csrf_token": csrf, "report": 0, "start": start, "end": start + 7, "message": "请说明大班额数量",
            "severity": "warning"}
    assert c.post(f"/submissions/{sid}/findings", data=data, follow_redirects=False).status_code == 303
    f = [f for f in c.get(f"/api/submissions/{sid}").json()["findings"] if f["source"] == "reviewer"]
    assert f[0]["quote"] == "城区学校大班额" == text[f[0]["start"]:f[0]["end"]]
    bad = dict(data, start=len(text), end=len(text) + 5)
    r = c.post(f"/submissions/{sid}/findings", data=bad)
    assert r.status_code == 400 and "原文位置无效" in r.text


def test_report_text_is_escaped(platform):
    sid = platform.submit("submitter", REPORT.format(name="甘谷县", n=1) + "\n<script>alert('x')</script><img src=x onerror=alert(1)>")
    c, _ = platform.client("reviewer")
    page = c.get(f"/submissions/{sid}").text
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert" in page


def test_security_headers(platform):
    c, _ = platform.client("reviewer")
    r = c.get("/")
    csp = r.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "<script>" not in r.text and "style=" not in r.text   # no inline script or style


def test_download_has_a_safe_name(platform):
    sid = platform.submit("submitter", name='..\\..\\甘谷"县"\n报告.txt')
    c, _ = platform.client("submitter")
    r = c.get(f"/submissions/{sid}/download")
    disp = r.headers["content-disposition"]
    assert r.status_code == 200 and "\n" not in disp and ".." not in disp
    assert f'filename="submission-{sid}"' in disp and "filename*=UTF-8''" in disp


# --- audit ----------------------------------------------------------------------------------------

def test_audit_is_append_only_in_the_database(platform):
    platform.submit("submitter", analyse=False)
    with pytest.raises(sa.exc.DatabaseError):
        with platform.db.session() as s:
            s.execute(sa.text("UPDATE audit_events SET action = 'x'"))
    with pytest.raises(sa.exc.DatabaseError):
        with platform.db.session() as s:
            s.execute(sa.text("DELETE FROM audit_events"))
    assert _events(platform, "upload")


def test_audit_export_neutralises_formulas(platform):
    import csv
    import io
    with platform.db.session() as s:
        from dudao.web import audit
        audit.record(s, None, "login_failed", "=HYPERLINK(\"http://x\")", None)
    admin, _ = platform.client("admin")
    r = admin.get("/admin/audit.csv")
    rows = list(csv.reader(io.StringIO(r.text.lstrip("\ufeff"))))
    assert rows[0][:4] == ["编号", "时间（UTC）", "用户", "操作"]
    cells = [c for row in rows[1:] for c in row]
    assert "'=HYPERLINK(\"http://x\")" in cells
    assert not any(c[:1] in ("=", "+", "-", "@") for c in cells if c)
    assert "" in cells   # empty cells stay empty


def test_openapi_document_is_served(platform):
    c, _ = platform.client()
    doc = c.get("/api/openapi.json").json()
    assert "/api/submissions/{sid}" in doc["paths"] and "/api/login" in doc["paths"]
    assert doc["paths"]["/api/audit"]["get"]["x-access"] == "admin"
    assert not any(p.startswith("/admin") for p in doc["paths"])   # pages stay out of the API


def test_platform_doc_lists_the_api(platform):
    """docs/platform.md names exactly the API routes the application serves."""
    from pathlib import Path
    doc = (Path(__file__).resolve().parents[1] / "docs" / "platform.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `(GET|POST) (/api/[^ `]+)", doc, re.M))
    served = {(m, r.path.replace("{sid}", "{id}")) for router in platform.app.state.routers
              for r in router.routes if r.path.startswith("/api/") for m in r.methods - {"HEAD"}}
    assert documented == served
