"""Feedback letters in the platform: drafted from the reviewer's decisions, edited, approved,
published; the county sees a letter only once it is published."""
from __future__ import annotations

import io

import pytest
from docx import Document
from sqlalchemy import select

from dudao.web.models import AuditEvent
from tests.websupport import BACKENDS, REPORT, Platform

# The test report with its headings numbered 一、二、三、六 (a heading_numbering finding besides
# the template gaps).
TEXT = REPORT.format(name="甘谷县", n=4).replace("四、下一步打算", "六、下一步打算")


@pytest.fixture(params=BACKENDS)
def setup(request, tmp_path):
    p = Platform(tmp_path, request.param)
    sid = p.submit("submitter", TEXT)
    reviewer, csrf = p.client("reviewer")
    return p, sid, reviewer, csrf


def _decide(c, csrf, sid):
    findings = c.get(f"/api/submissions/{sid}").json()["findings"]
    assert len(findings) >= 2
    h = {"X-CSRF-Token": csrf}
    c.post(f"/api/submissions/{sid}/decisions", json={"key": findings[0]["key"], "decision": "accepted"}, headers=h)
    c.post(f"/api/submissions/{sid}/decisions", json={"key": findings[1]["key"], "decision": "dismissed"}, headers=h)
    return findings


def test_letter_tells_decided_findings_only(setup):
    p, sid, c, csrf = setup
    findings = _decide(c, csrf, sid)
    text = c.get(f"/submissions/{sid}").text
    start = text.index("农村学校音体美教师不足") if "农村学校音体美教师不足" in text else None
    assert start is not None
    with p.db.session() as s:
        from dudao.web.models import Submission
        rtext = s.get(Submission, sid).result["reports"][0]["text"]
    a = rtext.index("农村学校音体美教师不足")
    c.post(f"/submissions/{sid}/findings", data={"csrf_token": csrf, "report": 0, "start": a, "end": a + 11,
                                                 "message": "请说明音体美教师缺口的具体人数和补充计划。", "severity": "warning"})
    assert c.post(f"/submissions/{sid}/letter", data={"csrf_token": csrf}, follow_redirects=False).status_code == 303
    content = c.get(f"/api/submissions/{sid}/letter").json()["content"]
    told = "\n".join(content["findings"])
    assert "请说明音体美教师缺口的具体人数和补充计划" in told
    assert len(content["findings"]) == 2                       # accepted + reviewer's; dismissed left out
    everything = "\n".join(str(v) for v in content.values())
    assert "620523" not in everything and ".txt" not in everything   # nothing internal
    assert content["recipient"].startswith("甘谷县")
    assert findings[1]["message"] not in told


def test_county_sees_the_letter_only_once_published(setup):
    p, sid, c, csrf = setup
    _decide(c, csrf, sid)
    county, ccsrf = p.client("submitter")
    assert county.get(f"/submissions/{sid}/letter").status_code == 404
    c.post(f"/submissions/{sid}/letter", data={"csrf_token": csrf})
    for url in (f"/submissions/{sid}/letter", f"/api/submissions/{sid}/letter", f"/submissions/{sid}/letter.docx"):
        assert county.get(url).status_code == 404, url
    # The draft is edited, approved, then published.
    r = c.post(f"/submissions/{sid}/letter/edit", data={"csrf_token": csrf, "closing": "请于30日内报送整改方案。"},
               follow_redirects=False)
    assert r.status_code == 303
    assert c.post(f"/submissions/{sid}/letter/publish", data={"csrf_token": csrf}).status_code == 409
    assert c.post(f"/submissions/{sid}/letter/approve", data={"csrf_token": csrf}, follow_redirects=False).status_code == 303
    assert c.post(f"/submissions/{sid}/letter/edit", data={"csrf_token": csrf, "closing": "x"}).status_code == 409
    assert county.get(f"/submissions/{sid}/letter").status_code == 404     # approved is not yet published
    assert c.post(f"/submissions/{sid}/letter/publish", data={"csrf_token": csrf}, follow_redirects=False).status_code == 303
    page = county.get(f"/submissions/{sid}/letter")
    assert page.status_code == 200 and "请于30日内报送整改方案。" in page.text and "已发布" in page.text
    assert "保存修改" not in page.text and "审定" not in page.text.split("状态")[1][:200]
    doc = county.get(f"/submissions/{sid}/letter.docx")
    assert doc.status_code == 200 and "filename*=UTF-8''" in doc.headers["content-disposition"]
    paragraphs = [x.text for x in Document(io.BytesIO(doc.content)).paragraphs]
    assert any("请于30日内报送整改方案。" in x for x in paragraphs)
    assert c.post(f"/submissions/{sid}/letter", data={"csrf_token": csrf}).status_code == 409  # no redraft now
    with p.db.session() as s:
        actions = [e.action for e in s.scalars(select(AuditEvent).where(AuditEvent.action.like("letter_%"))
                                                 .order_by(AuditEvent.id))]
        edit = s.scalar(select(AuditEvent).where(AuditEvent.action == "letter_edited"))
    assert actions == ["letter_drafted", "letter_edited", "letter_approve", "letter_publish"]
    assert edit.detail["fields"] == ["closing"] and edit.detail["new"]["closing"] == "请于30日内报送整改方案。"


def test_approved_letter_can_be_reopened(setup):
    p, sid, c, csrf = setup
    c.post(f"/submissions/{sid}/letter", data={"csrf_token": csrf})
    c.post(f"/submissions/{sid}/letter/approve", data={"csrf_token": csrf})
    assert c.post(f"/submissions/{sid}/letter/reopen", data={"csrf_token": csrf}, follow_redirects=False).status_code == 303
    r = c.post(f"/submissions/{sid}/letter/edit", data={"csrf_token": csrf, "title": ""})
    assert r.status_code == 400 and "标题不能为空" in r.text
    assert c.post(f"/submissions/{sid}/letter/nonsense", data={"csrf_token": csrf}).status_code == 400
