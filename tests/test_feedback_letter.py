"""Letters a 督导办 can send: only what the county should read, whole-sentence quotes, one finding
per fact, GB/T 9704 page numbers and current document properties.

Runs the review pack over the repository's examples (texts written for this project)."""
from __future__ import annotations

import datetime
import json
import re
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def pack(tmp_path_factory):
    from dudao.review.api import build_review_pack
    out = tmp_path_factory.mktemp("letters") / "out"
    summary = build_review_pack([str(ROOT / "examples")], out)
    return out, summary


def _letters(out: Path, summary: dict):
    for r in summary["reports"]:
        if r["feedback"]:
            d = docx.Document(str(out / r["feedback"]))
            analysis = json.loads((out / r["analysis"]).read_text(encoding="utf-8"))
            yield r, d, analysis["reports"][r["index"] - 1]


def _body(d) -> str:
    return "\n".join(p.text for p in d.paragraphs)


def test_letters_hold_nothing_internal(pack):
    out, summary = pack
    others = {r["label"] for r in summary["reports"]}
    for r, d, rep in _letters(out, summary):
        body = _body(d)
        stem = Path(r["source"]).stem
        assert stem not in body and Path(r["source"]).name not in body
        assert "来源文件" not in body and "examples" not in body
        if r["adcode"]:
            assert r["adcode"] not in body
        assert not re.search(r"严重\s*\d+\s*条|警告\s*\d+\s*条|提示\s*\d+\s*条", body)
        assert "默认方案" not in body and "通用要求" not in body
        assert "dudao" not in body
        # no verdict of copying from automatic detection, and no other county named
        assert "照搬" not in body and "雷同" not in body
        for label in others - {r["label"]}:
            if label and not label.startswith("未具名"):
                assert f"与{label}" not in body


def test_quotes_are_whole_sentences_after_a_full_stop(pack):
    out, summary = pack
    seen = 0
    for r, d, rep in _letters(out, summary):
        text = " ".join(rep["text"].split())
        body = _body(d)
        assert not re.search(r"[^。！？]原文：", body)       # "…101.5分原文：" lacks its full stop
        for m in re.finditer(r"原文：“(.+?)”(?=[；。])", body):
            q = m.group(1).replace("……", "")
            at = text.find(q)
            assert at >= 0, q
            before, after = text[at - 1:at], text[at + len(q):at + len(q) + 1]
            assert before in ("", "。", "！", "？", "；", " ", "，"), (q, before)
            assert after in ("", "。", "！", "？", "；", "：", " "), (q, after)
            seen += 1
    assert seen >= 5


def test_deduction_mismatch_quotes_the_deduction(pack):
    out, summary = pack
    lusong = next(x for x in _letters(out, summary) if x[0]["region"] == "芦淞区")
    item = next(p.text for p in lusong[1].paragraphs if "扣分明细" in p.text)
    quoted = re.search(r"原文：“(.+?)”", item).group(1)
    assert "扣2.5分" in quoted and "总分101.5分" not in quoted


def test_one_finding_and_one_demand_per_fact(pack):
    out, summary = pack
    chifeng = next(x for x in _letters(out, summary) if x[0]["region"] == "赤峰市")
    body = _body(chifeng[1])
    assert body.count("存在问题”部分") == 1          # demanded once, not as two findings and two demands
    assert body.count("报告未陈述履行教育职责中存在的问题") == 1
    assert body.count("超出了报告期") == 1            # two later events: one item, both quotes
    duanzhou = next(x for x in _letters(out, summary) if x[0]["region"] == "端州区")
    assert _body(duanzhou[1]).count("下降") <= 3
    assert "增长率为-2.1%" not in _body(duanzhou[1])


def test_page_numbers_on_alternating_outer_sides_and_current_properties(pack):
    out, summary = pack
    r, d, _ = next(_letters(out, summary))
    assert d.settings.element.find(qn("w:evenAndOddHeaders")) is not None
    sec = d.sections[0]
    odd, even = sec.footer.paragraphs[0], sec.even_page_footer.paragraphs[0]
    assert odd.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.RIGHT
    assert even.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.LEFT
    for p in (odd, even):
        assert p.text.startswith("— ") and p.text.endswith(" —") and "PAGE" in p._p.xml
    props = d.core_properties
    now = datetime.datetime.now()
    assert props.created.year == now.year and props.modified.year == now.year
    assert props.title == d.paragraphs[0].text
    core = d.part.package.part_related_by(
        "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties").blob.decode()
    assert "2013" not in core
    assert "初稿" not in _body(d)


def test_whole_text_findings_quote_nothing_and_are_told_once(pack):
    out, summary = pack
    gangu = next(x for x in _letters(out, summary) if x[0]["region"] == "甘谷县")
    body = _body(gangu[1])
    assert body.count("超过5000字") == 1                      # not again in 基本情况
    item = next(p.text for p in gangu[1].paragraphs if "超过5000字" in p.text)
    assert "原文" not in item                                 # no arbitrary sentence at the 5000th character


def test_paragraphs_are_the_xml_python_docx_writes():
    import io

    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt
    from lxml import etree

    from dudao.review import feedback
    for text in ("一、基本情况", " 前后有空格 ", "甲\n乙\t丙", ""):
        fast, slow = (docx.Document(io.BytesIO(feedback._template())) for _ in range(2))
        feedback._para(fast, text, "督导正文无缩进", align=WD_ALIGN_PARAGRAPH.RIGHT, right_indent=32, after=8)
        p = slow.add_paragraph(text, "督导正文无缩进")
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        p.paragraph_format.right_indent, p.paragraph_format.space_after = Pt(32), Pt(8)
        assert etree.tostring(fast.element.body) == etree.tostring(slow.element.body), text


def test_a_letter_saved_quickly_holds_the_parts_python_docx_saves():
    import io
    import zipfile

    from dudao.review import feedback
    c = {"title": "标题", "recipient": "某县人民政府：", "intro": "引言。",
         "headings": {k: k for k in ("basic", "problems", "findings", "admitted", "previous",
                                     "requirements", "requirements_after_previous")},
         "basic": ["一"], "findings": ["二\n续"], "admitted": [], "none_found": "无", "none_admitted": "无",
         "previous": [], "requirements_intro": "要求：", "requirements": ["三"], "closing": "此复。",
         "office": "办公室", "date": "2026年1月1日"}
    doc = feedback.build_document(c)
    slow = io.BytesIO()
    doc.save(slow)
    a, b = zipfile.ZipFile(io.BytesIO(feedback.docx_bytes(doc))), zipfile.ZipFile(slow)
    assert sorted(a.namelist()) == sorted(b.namelist())
    for m in a.namelist():
        assert a.read(m) == b.read(m), m
