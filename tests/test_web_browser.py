"""The platform in a real browser: headless Chromium against a real `dudao serve` process.

A county's reporting unit signs in through the form, uploads its self-report through the upload
form and watches the page until the analysis is done (the page polls and reloads by itself); a
reviewer of the city accepts a finding with 采纳, selects a passage of the report text and adds
a finding on it, and sees both on reload. The test FAILS on any console error, uncaught
exception, CSP violation, failed resource or JavaScript dialog on any page.

Screenshots go to the test's tmp folder; with DUDAO_SCREENSHOTS=DIR they are also copied there.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import signal
import time
from pathlib import Path

import pytest

from test_review_browser import DevTools, chromium  # noqa: F401  (the same driver and fixture)
from test_web_server import _free_port, _run, _serve, _wait_http

PASSWORD = "qinan-mima-2026"
ADMIN, SUBMITTER, REVIEWER = "平台管理员", "秦安县教育局", "天水市督导室"
ROUND = "2023年度县级人民政府履行教育职责评价"

# Written for this test: 秦安县 (620522) lies in 天水市 (620500); one template placeholder is left in.
REPORT = """秦安县人民政府
关于2023年度履行教育职责情况的自评报告

根据省政府教育督导委员会办公室的通知要求，县政府组织教育、财政、人社、编办等部门，对照评价指标逐项开展自查，现将有关情况报告如下。

一、基本情况
全县现有各级各类学校186所，其中幼儿园62所、小学97所、初中21所、高中5所、职业学校1所；在校学生5.3万人，教职工4120人。2023年义务教育巩固率达到98.6%，高中阶段毛入学率93.2%，学前三年毛入园率91.4%。

二、主要工作及成效
（一）落实教育优先发展地位。县委常委会、县政府常务会议全年专题研究教育工作6次，出台《秦安县推进义务教育优质均衡发展实施方案》。
（二）保障教育经费投入。全年一般公共预算教育支出9.86亿元，比上年增长4.1%；按在校生人数平均的一般公共预算教育支出逐年只增不减。
（三）加强教师队伍建设。全年新招聘特岗教师和公费师范生138名，县域内校长教师交流轮岗312人，占符合交流条件教师总数的12.5%。
（四）改善办学条件。新建、改扩建校舍4.2万平方米，消除56人以上大班额，新增学位1800个。

三、存在的问题
一是城区学校学位仍然紧张，部分学校班额接近上限；二是乡村学校音乐、美术、科学教师结构性缺编；三是职业教育专业设置与县域产业结合不够紧密。

四、下一步工作打算
20XX年，县政府将继续把教育摆在优先发展的战略位置，计划投入XX万元实施薄弱学校改造，力争义务教育优质均衡发展通过国家督导评估。

秦安县人民政府
2024年3月15日
"""
PASSAGE = "乡村学校音乐、美术、科学教师结构性缺编"   # the reviewer's own finding goes on this

# Injected before any page script: a CSP violation becomes a console error the test sees.
CSP_WATCH = ("document.addEventListener('securitypolicyviolation', function (e) {"
             " console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI); });")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data = tmp_path_factory.mktemp("platform") / "data"
    for name, role, code in ((ADMIN, "admin", "620000"), (SUBMITTER, "submitter", "620522"),
                             (REVIEWER, "reviewer", "620500")):
        r = _run(["user", "add", name, "--role", role, "--region", code], data, PASSWORD + "\n")
        assert r.returncode == 0, r.stderr
    port = _free_port()
    proc = _serve(data, port)
    try:
        _wait_http(port, proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


@pytest.fixture
def browser(chromium, tmp_path):  # noqa: F811  (the imported fixture)
    cdp = DevTools(chromium, tmp_path / "profile")
    try:
        cdp.send("Browser.getVersion", session=False, timeout=30)
        cdp.open()
        cdp.send("Page.addScriptToEvaluateOnNewDocument", {"source": CSP_WATCH})
    except Exception as e:  # pragma: no cover - only when the pipe cannot be used
        cdp.close()
        pytest.skip(f"无法通过 DevTools 管道驱动 chromium：{e}")
    yield cdp
    cdp.close()


def _js(s: str) -> str:
    """A Python string as a JavaScript string literal."""
    return json.dumps(s, ensure_ascii=False)


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def _clean(cdp: DevTools, where: str) -> None:
    assert cdp.problems() == [], f"{where}：{cdp.problems()}"


def _new_page(cdp: DevTools, action) -> None:
    """Run `action` (a form submission or a navigation) and wait until a new document has loaded.
    A mark left on the old document tells them apart, so a late event of an earlier page cannot
    be mistaken for this one."""
    cdp.evaluate("window.__dudaoOld = true")
    cdp.events.clear()
    action()
    deadline = time.monotonic() + 60
    while True:
        try:
            if cdp.evaluate("window.__dudaoOld !== true && document.readyState === 'complete'"):
                break
        except (AssertionError, RuntimeError, TimeoutError):
            pass   # the old document went away while we asked
        assert time.monotonic() < deadline, f"页面未在时限内加载：{cdp.problems()}"
        cdp.drain(0.2)
    cdp.drain(0.5)   # late errors (timers, deferred scripts)


def _submit(cdp: DevTools, script: str) -> None:
    """Run `script`, which submits a form, and wait for the page it leads to."""
    _new_page(cdp, lambda: cdp.evaluate(script))


def _goto(cdp: DevTools, url: str) -> None:
    _new_page(cdp, lambda: cdp.send("Page.navigate", {"url": url}))


def _shoot(cdp: DevTools, folder: Path, name: str) -> None:
    png = folder / name
    cdp.screenshot(png)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000
    extra = os.environ.get("DUDAO_SCREENSHOTS")
    if extra:
        Path(extra).mkdir(parents=True, exist_ok=True)
        shutil.copy(png, Path(extra) / name)


def _login(cdp: DevTools, base: str, username: str) -> None:
    _goto(cdp, f"{base}/login")
    _clean(cdp, "登录页")
    _submit(cdp, f"document.querySelector('input[name=username]').value = {_js(username)};"
                 f"document.querySelector('input[name=password]').value = {_js(PASSWORD)};"
                 "document.querySelector('form[action=\"/login\"] button[type=submit]').click();")
    _clean(cdp, "登录后")
    assert cdp.evaluate("location.pathname") == "/", cdp.evaluate("document.body.innerText")
    assert username in cdp.evaluate("document.querySelector('.who').textContent")


def _logout(cdp: DevTools) -> None:
    _submit(cdp, "document.querySelector('form[action=\"/logout\"] button').click()")
    _clean(cdp, "退出后")
    assert cdp.evaluate("location.pathname + location.search") == "/login?out=1"
    assert "您已退出登录" in cdp.evaluate("document.body.innerText")


def _status(cdp: DevTools) -> str | None:
    """The submission page's status, or None while the page is being replaced."""
    try:
        return cdp.evaluate("(document.getElementById('status') || {dataset: {}}).dataset.status || null")
    except (AssertionError, RuntimeError, TimeoutError):
        return None


def test_submit_analyse_and_review_in_a_browser(browser, server, tmp_path):
    cdp, shots = browser, tmp_path / "shots"
    shots.mkdir()

    # The login page, then a wrong password (the form shows a Chinese error, no dialog).
    _goto(cdp, f"{server}/login")
    _clean(cdp, "登录页")
    assert cdp.evaluate("document.documentElement.lang") == "zh-CN"
    assert cdp.evaluate("document.title").startswith("登录")
    _shoot(cdp, shots, "login.png")
    _submit(cdp, f"document.querySelector('input[name=username]').value = {_js(SUBMITTER)};"
                 "document.querySelector('input[name=password]').value = 'cuowu-mima-1';"
                 "document.querySelector('form[action=\"/login\"] button').click();")
    # A 401 page logs "Failed to load resource" for the document itself; only that is expected.
    assert [p for p in cdp.problems() if "401" not in p] == []
    assert cdp.evaluate("document.querySelector('.error').textContent") == "用户名或密码不正确"

    # The provincial admin opens a round for three counties of 天水市 through the form.
    _login(cdp, server, ADMIN)
    _goto(cdp, f"{server}/admin/rounds")
    _clean(cdp, "评价轮次页")
    deadline = (dt.date.today() + dt.timedelta(days=60)).isoformat()
    _submit(cdp, f"""var f = document.querySelector('form[action="/admin/rounds"]');
        f.querySelector('input[name=year]').value = '2023';
        f.querySelector('input[name=name]').value = {_js(ROUND)};
        f.querySelector('input[name=deadline]').value = '{deadline}';
        f.querySelector('input[name=regions_text]').value = '620522，620521、620523';
        f.querySelector('select[name=framework]').value = 'county_example';
        f.querySelector('button[type=submit]').click();""")
    _clean(cdp, "创建轮次后")
    row = cdp.evaluate("document.querySelector('table.grid tbody tr').textContent")
    assert ROUND in row and "天水市秦安县" in row and "天水市清水县" in row, row
    assert "county_example" in row, row
    _logout(cdp)

    # The county signs in: its dashboard lists the round; it uploads its report through the form.
    _login(cdp, server, SUBMITTER)
    assert ROUND in cdp.evaluate("document.querySelector('section.card h2').textContent")
    assert cdp.evaluate("document.querySelectorAll('section.card table.grid tbody tr').length") == 1
    _shoot(cdp, shots, "dashboard-submitter.png")
    _goto(cdp, f"{server}/submissions")
    _clean(cdp, "报送材料页")
    upload = tmp_path / "秦安县2023年度履行教育职责自评报告.txt"
    upload.write_text(REPORT, encoding="utf-8")
    doc = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": doc, "selector": "input[type=file][name=file]"})["nodeId"]
    assert node, "上传表单中没有文件输入框"
    cdp.send("DOM.setFileInputFiles", {"nodeId": node, "files": [str(upload)]})
    cdp.evaluate("var s = document.querySelector('select[name=round_id]'); s.value = s.options[1].value;")
    assert ROUND in cdp.evaluate("document.querySelector('select[name=round_id]').selectedOptions[0].text")
    assert cdp.evaluate("document.querySelector('input[type=file]').files[0].name") == upload.name
    _submit(cdp, "document.querySelector('form[action=\"/submissions\"] button[type=submit]').click()")
    _clean(cdp, "上传后")
    path = cdp.evaluate("location.pathname")
    assert path.startswith("/submissions/") and path.rsplit("/", 1)[1].isdigit(), path
    sid = int(path.rsplit("/", 1)[1])
    first = _status(cdp)
    assert first in ("queued", "analysing"), first          # the page must have had to wait
    assert cdp.evaluate("document.querySelectorAll('progress').length") == 1

    # The page polls /api/submissions/ID and reloads itself once the worker is done.
    deadline, reloads = time.monotonic() + 240, 0
    while (status := _status(cdp)) != "analysed":
        assert status != "failed", cdp.evaluate("document.body.innerText")
        assert time.monotonic() < deadline, f"分析未在时限内完成（状态 {status}）"
        before = sum(ev["method"] == "Page.loadEventFired" for ev in cdp.events)
        cdp.drain(1.0)
        reloads += sum(ev["method"] == "Page.loadEventFired" for ev in cdp.events) - before
    cdp.drain(0.5)
    assert reloads >= 1 and cdp.evaluate("location.pathname") == path
    _clean(cdp, "分析完成后")
    assert cdp.evaluate("document.getElementById('status').textContent") == "已分析"
    assert cdp.evaluate("document.querySelectorAll('progress').length") == 0
    shown = cdp.evaluate("document.querySelector('#report-text .text').textContent")
    assert _lines(shown) == _lines(REPORT)           # the analysed text, blank lines aside
    assert cdp.evaluate("document.querySelectorAll('#report-text .hl').length") >= 1
    assert "秦安县" in cdp.evaluate("document.querySelector('#report-text .meta').textContent")
    # A submitter reads the findings but cannot decide on them.
    assert cdp.evaluate("document.querySelectorAll('form.decide, #add-finding').length") == 0
    _shoot(cdp, shots, "submission-submitter.png")
    _logout(cdp)

    # The city's reviewer accepts the first finding with 采纳.
    _login(cdp, server, REVIEWER)
    _clean(cdp, "评审员工作台")
    rows = cdp.evaluate("Array.from(document.querySelectorAll('section.card table.grid tbody tr'))"
                        ".map(function (r) { return r.textContent; })")
    assert len(rows) == 3 and sum("未报送" in r for r in rows) == 2, rows
    mine = next(r for r in rows if "秦安县" in r)
    assert upload.name in mine and "已分析" in mine and "政府自评报告" in mine, mine
    _shoot(cdp, shots, "dashboard-reviewer.png")
    _goto(cdp, f"{server}/submissions/{sid}")
    _clean(cdp, "评审页")
    key = cdp.evaluate("document.querySelector('.finding form.decide input[name=key]').value")
    assert key.startswith("0:")
    _submit(cdp, "document.querySelector('.finding form.decide button[value=accepted]').click()")
    _clean(cdp, "采纳后")
    card = f"document.getElementById({_js('f-' + key)})"
    assert cdp.evaluate(f"{card}.querySelector('.tag.dec-accepted').textContent") == "采纳"

    # The reviewer selects a passage of the report (a scripted Range fires selectionchange).
    assert cdp.evaluate("document.getElementById('add-finding-button').disabled") is True
    cdp.evaluate(f"""(function () {{
        var want = {_js(PASSAGE)};
        var walker = document.createTreeWalker(document.querySelector('#report-text .text'), NodeFilter.SHOW_TEXT);
        for (var n = walker.nextNode(); n; n = walker.nextNode()) {{
            var at = n.data.indexOf(want);
            if (at >= 0) {{
                var range = document.createRange();
                range.setStart(n, at); range.setEnd(n, at + want.length);
                var sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
                return true;
            }}
        }}
        throw new Error('passage not found');
    }})()""")
    deadline = time.monotonic() + 10
    while cdp.evaluate("document.getElementById('add-finding-button').disabled"):
        assert time.monotonic() < deadline, "选中原文后“添加发现”按钮仍不可用"
        cdp.drain(0.2)
    start = int(cdp.evaluate("document.getElementById('sel-start').value"))
    end = int(cdp.evaluate("document.getElementById('sel-end').value"))
    assert shown[start:end] == PASSAGE               # offsets into the report text, not the page
    assert cdp.evaluate("document.getElementById('selection-quote').textContent") == "已选中：" + PASSAGE
    note = "乡村学校缺编的学科和人数未给出具体数字，请补充。"
    _submit(cdp, f"""var f = document.getElementById('add-finding');
        f.querySelector('select[name=severity]').value = 'error';
        f.querySelector('textarea[name=message]').value = {_js(note)};
        document.getElementById('add-finding-button').click();""")
    _clean(cdp, "添加发现后")

    # On reload the decision and the reviewer's finding are still there, on the right passage.
    _goto(cdp, f"{server}/submissions/{sid}")
    _clean(cdp, "重新打开评审页")
    assert cdp.evaluate(f"{card}.querySelector('.tag.dec-accepted').textContent") == "采纳"
    mine = cdp.evaluate("""Array.from(document.querySelectorAll('.finding')).filter(function (f) {
        return f.textContent.indexOf('评审员添加') >= 0; }).map(function (f) {
        return {text: f.textContent, quote: f.querySelector('blockquote').textContent.trim(),
                id: f.id, severity: f.className}; })""")
    assert len(mine) == 1 and note in mine[0]["text"] and mine[0]["quote"] == PASSAGE
    assert "sev-error" in mine[0]["severity"]
    marked = cdp.evaluate(f"document.getElementById({_js('t-' + mine[0]['id'][2:])}).textContent")
    assert marked == PASSAGE
    _shoot(cdp, shots, "submission-reviewer.png")
    _clean(cdp, "评审页截图后")

    _verify_scores(cdp, server, sid, shots)
    _letter_to_the_county(cdp, server, sid, note, shots)


# Verified scores the reviewer enters (point → score, reason); the rest stay unscored.
VERIFIED = {"A1-1": (4, ""), "A1-2": (3, "生均一般公共预算教育支出一项未落实“只增不减”"), "A2-1": (5, "")}


def _verify_scores(cdp: DevTools, server: str, sid: int, shots: Path) -> None:
    """The reviewer enters verified scores on the 评分 page; the page shows the engine's totals."""
    from dudao.framework.load import bundled, load_framework
    from dudao.framework.score import Entry, RegionScores, score_region
    _goto(cdp, f"{server}/submissions/{sid}/scores")
    _clean(cdp, "评分页")
    assert cdp.evaluate("document.querySelectorAll('input[name^=\"score-\"]').length") > len(VERIFIED)
    fill = "".join(f"f.querySelector('input[name=\"score-{pid}\"]').value = '{v}';"
                   f"f.querySelector('input[name=\"reason-{pid}\"]').value = {_js(why)};"
                   for pid, (v, why) in VERIFIED.items())
    _submit(cdp, f"var f = document.querySelector('form[action=\"/submissions/{sid}/verified-scores\"]');"
                 f"{fill} f.querySelector('button[type=submit]').click();")
    _clean(cdp, "保存核定得分后")
    assert cdp.evaluate("location.pathname") == f"/submissions/{sid}/scores"
    # What the scoring engine makes of the same entries (and, by hand, 4 + 3 + 5 = 12 points).
    rs = RegionScores(region="620522")
    for pid, (v, why) in VERIFIED.items():
        rs.entries[pid] = Entry(point=pid, where="", self_score=None, verified=v, na=False, reason=why)
    want = score_region(load_framework(bundled()["county_example"]), rs)
    assert want["verified_total"] == sum(v for v, _ in VERIFIED.values())
    totals = cdp.evaluate("document.querySelector('section.totals').textContent")
    assert f"核定总分 {want['verified_total']}" in " ".join(totals.split()), totals
    assert f"核定等次 {want['grade']}" in " ".join(totals.split()), totals
    for pid, (v, why) in VERIFIED.items():      # the entered values are shown again, kept
        assert float(cdp.evaluate(f"document.querySelector('input[name=\"score-{pid}\"]').value")) == v
        assert cdp.evaluate(f"document.querySelector('input[name=\"reason-{pid}\"]').value") == why
    _shoot(cdp, shots, "scores-reviewer.png")


def _fetch(cdp: DevTools, path: str) -> dict:
    """GET `path` from the page (with its session cookie): status, headers and body as base64."""
    r = cdp.send("Runtime.evaluate", {"expression": f"""fetch({_js(path)}).then(function (r) {{
        return r.arrayBuffer().then(function (b) {{
            var s = '', a = new Uint8Array(b);
            for (var i = 0; i < a.length; i++) s += String.fromCharCode(a[i]);
            return {{status: r.status, type: r.headers.get('content-type'),
                     disposition: r.headers.get('content-disposition'), body: btoa(s)}};
        }}); }})""", "awaitPromise": True, "returnByValue": True}, timeout=60)
    assert "exceptionDetails" not in r, r
    return r["result"]["value"]


def _letter_to_the_county(cdp: DevTools, server: str, sid: int, note: str, shots: Path) -> None:
    """The reviewer drafts and approves the letter; the county cannot see it yet (404); once
    published the county reads it on its own page and downloads the Word file."""
    import base64
    import io
    import docx
    letter = f"/submissions/{sid}/letter"
    _goto(cdp, server + letter)
    _clean(cdp, "反馈意见页")
    _submit(cdp, f"document.querySelector('form[action=\"{letter}\"] button').click()")
    _clean(cdp, "起草反馈意见后")
    assert cdp.evaluate("document.getElementById('letter-status').textContent") == "草稿"
    assert note in cdp.evaluate("document.querySelector('textarea[name=findings]').value")
    _submit(cdp, f"document.querySelector('form[action=\"{letter}/approve\"] button').click()")
    _clean(cdp, "审定后")
    assert cdp.evaluate("document.getElementById('letter-status').textContent") == "已审定"
    _logout(cdp)

    _login(cdp, server, SUBMITTER)
    _goto(cdp, server + letter)
    assert [p for p in cdp.problems() if "404" not in p] == []     # the document's own 404 only
    assert "还没有可查看的反馈意见" in cdp.evaluate("document.body.innerText")
    assert _fetch(cdp, letter + ".docx")["status"] == 404
    _logout(cdp)

    _login(cdp, server, REVIEWER)
    _goto(cdp, server + letter)
    _clean(cdp, "审定后的反馈意见页")
    _submit(cdp, "document.getElementById('ledger-deadline').value = '2099-06-30';"
                 f"document.querySelector('form[action=\"{letter}/publish\"] button').click()")
    _clean(cdp, "发布后")
    _logout(cdp)

    _login(cdp, server, SUBMITTER)
    _goto(cdp, server + letter)
    _clean(cdp, "县里查看反馈意见")
    assert cdp.evaluate("document.getElementById('letter-status').textContent") == "已发布"
    assert cdp.evaluate("document.querySelectorAll('form').length") == 1     # only 退出; nothing to edit
    title = cdp.evaluate("document.querySelector('article.letter .letter-title').textContent")
    body = cdp.evaluate("document.querySelector('article.letter').textContent")
    assert title and "秦安县" in body and note in body, body
    _shoot(cdp, shots, "letter-submitter.png")
    got = _fetch(cdp, letter + ".docx")
    assert got["status"] == 200, got["status"]
    assert got["type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    assert got["disposition"].startswith("attachment;") and ".docx" in got["disposition"]
    data = base64.b64decode(got["body"])
    assert data[:2] == b"PK"
    words = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    assert title in words and note in words
    _clean(cdp, "下载反馈意见后")
