"""A problem from 挂号 to 销号 in a real browser against a real server: the reviewer publishes the
letter with a deadline, the county starts work and asks for closure with evidence, the reviewer
closes it. Headless Chromium through the DevTools driver of test_review_browser; the test fails
on any console error, CSP violation or dialog."""
from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import pytest

from test_review_browser import DevTools, chromium  # noqa: F401  (the driver and its fixture)
from tests.websupport import REPORT
from tests.test_web_server import _free_port, _run, _serve, _wait_http

PASSWORD = "mima-2026-abc"


def _login_api(port: int, username: str):
    import httpx2 as httpx
    c = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30)
    csrf = c.post("/api/login", json={"username": username, "password": PASSWORD}).json()["csrf_token"]
    return c, csrf


class Browser:
    """Page steps on the DevTools driver: load, click a button that submits a form, read the page."""

    def __init__(self, cdp: DevTools, base: str):
        self.cdp, self.base = cdp, base

    def load(self, path: str) -> None:
        self.cdp.load(self.base + path)
        assert self.cdp.problems() == [], self.cdp.problems()

    def submit(self, script: str) -> None:
        """Run `script` (which fills and submits a form) and wait for the page it leads to: a new
        document (the old one is marked first) that has finished loading."""
        self.cdp.evaluate("window.__old = true")
        self.cdp.events.clear()
        self.cdp.evaluate(script)
        deadline = time.monotonic() + 60
        while self.cdp.evaluate("window.__old === true || document.readyState !== 'complete'"):
            assert time.monotonic() < deadline, "提交表单后页面没有跳转"
            self.cdp.drain(0.1)
        self.cdp.drain(0.3)
        assert self.cdp.problems() == [], self.cdp.problems()

    def text(self, selector: str = "main") -> str:
        return self.cdp.evaluate(f"document.querySelector({json.dumps(selector)}).textContent")

    def login(self, username: str) -> None:
        self.load("/login")
        self.submit(f"document.querySelector('input[name=username]').value = {json.dumps(username)};"
                    f"document.querySelector('input[name=password]').value = {json.dumps(PASSWORD)};"
                    "document.querySelector('form[action=\"/login\"] button').click()")
        assert self.cdp.evaluate("location.pathname") == "/", self.text()

    def logout(self) -> None:
        self.submit("document.querySelector('form[action=\"/logout\"] button').click()")
        assert self.cdp.evaluate("location.pathname") == "/login"

    def state(self, item: int) -> str:
        return self.cdp.evaluate(f"document.getElementById('state-{item}').textContent")


def test_problem_from_registration_to_closure(chromium, tmp_path):  # noqa: F811
    data = tmp_path / "data"
    for name, role, region in (("tianshui", "reviewer", "620500"), ("gangu", "submitter", "620523")):
        r = _run(["user", "add", name, "--role", role, "--region", region], data, PASSWORD + "\n")
        assert r.returncode == 0, r.stderr
    port = _free_port()
    server = _serve(data, port)
    cdp = None
    try:
        _wait_http(port, server)
        county, csrf = _login_api(port, "gangu")
        r = county.post("/api/submissions", files={"file": ("甘谷县自评报告.txt", REPORT.format(name="甘谷县", n=5).encode())},
                        headers={"X-CSRF-Token": csrf})
        assert r.status_code == 201, r.text
        sid = r.json()["id"]
        deadline = time.time() + 240
        while county.get(f"/api/submissions/{sid}").json()["status"] in ("queued", "analysing"):
            assert time.time() < deadline
            time.sleep(0.5)

        cdp = DevTools(chromium, tmp_path / "profile")
        cdp.send("Browser.getVersion", session=False, timeout=20)
        cdp.open()
        web = Browser(cdp, f"http://127.0.0.1:{port}")

        # The reviewer drafts, approves and publishes the letter with a rectification deadline.
        web.login("tianshui")
        web.load(f"/submissions/{sid}/letter")
        web.submit(f"document.querySelector('form[action=\"/submissions/{sid}/letter\"] button').click()")
        web.submit(f"document.querySelector('form[action=\"/submissions/{sid}/letter/approve\"] button').click()")
        web.submit("document.getElementById('ledger-deadline').value = '2099-06-30';"
                   f"document.querySelector('form[action=\"/submissions/{sid}/letter/publish\"] button').click()")
        assert cdp.evaluate("location.pathname") == f"/submissions/{sid}/ledger"
        items = cdp.evaluate("Array.from(document.querySelectorAll('.ledger-item')).map(function (e) {"
                             " return parseInt(e.id.slice(5), 10); })")
        assert len(items) >= 1
        item = items[0]
        assert web.state(item) == "挂号" and "2099-06-30" in web.text(f"#item-{item}")
        web.logout()

        # The county starts work, then asks for closure with its evidence.
        web.login("gangu")
        web.load(f"/submissions/{sid}/ledger")
        assert "确认" not in web.text() and f"review-{item}" not in cdp.evaluate("document.body.innerHTML")
        web.submit(f"document.getElementById('start-{item}').click()")
        assert web.state(item) == "整改中"
        web.submit(f"document.getElementById('evidence-{item}').value = '城区新建学校2所，56人以上大班额已全部消除。';"
                   f"document.getElementById('request-{item}').click()")
        assert web.state(item) == "申请销号"
        assert "56人以上大班额已全部消除" in web.text(f"#item-{item}")
        web.logout()

        # The reviewer closes it.
        web.login("tianshui")
        web.load("/ledger")
        assert "甘谷县" in web.text()
        web.load(f"/submissions/{sid}/ledger")
        web.submit(f"document.getElementById('action-{item}').value = 'close';"
                   f"document.getElementById('review-{item}').click()")
        assert web.state(item) == "销号"
        shots = os.environ.get("DUDAO_SCREENSHOTS")
        if shots:
            cdp.screenshot(Path(shots) / "ledger.png")

        # The same history through the API, in order, by the right people.
        reviewer, _ = _login_api(port, "tianshui")
        got = next(it for it in reviewer.get(f"/api/submissions/{sid}/ledger").json()["items"] if it["id"] == item)
        assert [(e["action"], e["by"]) for e in got["events"]] == [
            ("register", "tianshui"), ("start", "gangu"), ("request_closure", "gangu"), ("close", "tianshui")]
        assert got["state"] == "销号" and not got["overdue"]
    finally:
        if cdp is not None:
            cdp.close()
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
