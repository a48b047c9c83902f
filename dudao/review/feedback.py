"""Draft 反馈意见 (feedback on one government self-evaluation report) as a Word document.

Layout after GB/T 9704-2012《党政机关公文格式》: A4, 上 37 mm / 下 35 mm / 左 28 mm / 右 26 mm;
title in 方正小标宋简体 二号, body in 仿宋_GB2312 三号 at a fixed 28.95 pt line pitch, level-1
headings in 黑体, level-2 in 楷体_GB2312, page numbers “— 1 —” in 宋体 四号. The fonts are set by
name (w:eastAsia); they need not be installed where the file is generated. All wording comes from
dudao/data/feedback.yaml.
"""
from __future__ import annotations

import os
import re
import time
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from dudao.resources import load_yaml
from dudao.review.pack import Entry, Pack
from dudao.review.themes import problem_quote, vocabulary

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
H1_FONT = "黑体"
H2_FONT = "楷体_GB2312"
PAGE_FONT = "宋体"
WEST_FONT = "Times New Roman"
BODY_PT = 16          # 三号
TITLE_PT = 22         # 二号
LINE_PT = 28.95       # 22 lines a page
SEV_ORDER = {"error": 0, "warning": 1, "info": 2}
SKIP_CODES = {"off_topic"}
YOU = (("自治州", "你州"), ("自治县", "你县"), ("自治旗", "你旗"), ("省", "你省"), ("市", "你市"), ("县", "你县"),
       ("区", "你区"), ("旗", "你旗"), ("州", "你州"), ("盟", "你盟"))


def texts() -> dict:
    return load_yaml("feedback")


class _Fields(dict):
    """str.format_map fields; a missing one reads 【请填写】."""

    def __init__(self, *args, unknown="【请填写】", **kw):
        super().__init__(*args, **kw)
        self.unknown = unknown

    def __missing__(self, key):
        return self.unknown


def fill(template: str, fields: dict) -> str:
    try:
        return template.format_map(fields)
    except (ValueError, IndexError, AttributeError):   # a malformed template is shown as written
        return template


def you_of(region_name: str | None) -> str:
    if region_name:
        for suffix, word in YOU:
            if region_name.endswith(suffix):
                return word
    return "你地"


def _num(v):
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def _score_text(s: dict) -> str:
    if not s or all(s.get(k) is None for k in ("total", "base", "grade")):
        return "报告未写明自评得分"
    parts = []
    if s.get("total") is not None:
        parts.append(f"总分 {_num(s['total'])} 分")
    detail = [f"{label} {_num(s[k])} 分" for k, label in (("base", "基础分"), ("bonus", "加分"), ("deducted", "扣分"))
              if s.get(k) is not None]
    if detail:
        parts.append(("（" + "，".join(detail) + "）") if parts else "，".join(detail))
    text = "".join(parts)
    if s.get("grade"):
        text += f"，等级为“{s['grade']}”"
    return text


def base_fields(pack: Pack, e: Entry) -> _Fields:
    t = texts()
    unknown = t.get("unknown", "【请填写】")
    r = e.report
    year = r.get("work_year")
    office = t.get("office_placeholder", "【请填写】教育督导委员会办公室")
    region = e.region_name or unknown
    return _Fields(
        region=region, you=you_of(e.region_name), office=office,
        office_short=office.replace("【请填写】", "") or office,
        year=year or unknown, next_year=(year + 1) if year else unknown,
        year_text=f"{year}年度" if year else f"{unknown}年度",
        round_text=f"{r['round_year']}年" if r.get("round_year") else "报告未写明",
        region_full=e.region_full if e.region else f"{unknown}（报告未写明地区）",
        adcode_text=f"（行政区划代码 {e.region['adcode']}）" if e.region and e.region.get("adcode") else "",
        score_text=_score_text(e.self_score), words=e.word_count,
        source=e.source, index=e.index, deadline_days=t.get("deadline_days", 30),
        date=f"{time.localtime().tm_year}年{time.localtime().tm_mon}月{time.localtime().tm_mday}日",
        unknown=unknown,
    )


def _finding_fields(base: _Fields, f: dict) -> _Fields:
    out = _Fields(base, unknown=base.unknown)
    out.update({k: v for k, v in (f.get("data") or {}).items() if isinstance(v, (str, int, float))})
    out.update(title=f.get("title") or "", message=f.get("message") or "", quote=(f.get("quote") or "").strip(),
               source=f.get("source") or "")
    return out


def copy_items(pack: Pack, e: Entry, min_chars: int) -> list[tuple[str, int, str]]:
    """(partner label, shared characters, a sample) for partners sharing at least min_chars."""
    by_other: dict[str, list[dict]] = {}
    for c in e.copies:
        if not c["boilerplate"]:
            by_other.setdefault(c["other"], []).append(c)
    out = []
    for other, cs in by_other.items():
        chars = sum(c["chars"] for c in cs)
        if chars >= min_chars:
            longest = max(cs, key=lambda c: c["chars"])
            out.append((pack.label_of(other), chars, _sample(e.text[longest["start"]:longest["end"]])))
    out.sort(key=lambda x: -x[1])
    return out


def _sample(passage: str, limit: int = 40) -> str:
    """A quotable piece of a copied passage: from its first full sentence or line, one line only."""
    head = passage[:max(1, len(passage) // 3)]
    cut = max(head.rfind(ch) for ch in "。；！？\n")
    text = passage[cut + 1:] if cut >= 0 and len(passage) - cut > 15 else passage
    text = " ".join(text.split())
    return text[:limit] + ("……" if len(text) > limit else "")


def content(pack: Pack, e: Entry) -> dict:
    """Everything the draft says, as plain strings (the docx writer only lays it out)."""
    t = texts()
    fields = base_fields(pack, e)
    r = e.report
    findings = sorted((f for f in r.get("findings") or [] if f.get("code") not in SKIP_CODES),
                      key=lambda f: (SEV_ORDER.get(f.get("severity"), 9), f.get("start", 0)))
    counts = {"error": 0, "warning": 0, "info": 0}
    for f in findings:
        counts[f.get("severity", "info")] = counts.get(f.get("severity", "info"), 0) + 1
    problems = r.get("problems") or []
    over = next((f for f in findings if f.get("code") == "over_length"), None)
    fields["length_note"] = (f"，超过 {(over.get('data') or {}).get('limit', 5000)} 字的篇幅限制" if over else "")
    b = t["basic"]
    basic = [fill(b["region"], fields), fill(b["year"], fields), fill(b["score"], fields), fill(b["length"], fields),
             fill(b["findings"], _Fields(fields, total=len(findings), admitted=len(problems), **counts)),
             fill(b["source"], fields)]

    finding_items = []
    for f in findings:
        ff = _finding_fields(fields, f)
        item = fill(t["finding_item"], ff)
        if ff["quote"] and ff["quote"] not in item:
            item += fill(t["finding_quote"], ff)
        if ff["source"] and ff["source"] not in item:
            item += fill(t["finding_source"], ff)
        finding_items.append(item)

    themed = pack.themes.get("assignments", {}).get(e.id, {}).get("problems", [])
    admitted_items = []
    for p in problems:
        q = problem_quote(e.text, p, 160).replace("\n", " ").strip()
        if q and q[-1] not in "。；！？":
            q += "。"
        admitted_items.append(fill(t["admitted_item"], _Fields(fields, problem=p.get("text") or "", quote=q)))

    copies = copy_items(pack, e, int(t.get("copy_min_chars", 100)))
    copy_texts = [fill(t["copy_item"], _Fields(fields, other=o, chars=n, quote=q)) for o, n, q in copies]

    req = t["requirements"]
    reqs = []
    for f in findings:
        template = req["by_code"].get(f.get("code")) or req["by_code"]["default"]
        reqs.append(fill(template, _finding_fields(fields, f)))
    if copies:
        reqs.append(fill(req["by_code"]["copy"], fields))
    vocab = vocabulary()
    for k, p in enumerate(problems):
        tids = themed[k] if k < len(themed) and themed[k] else [vocab.other.id]
        template = req["by_theme"].get(tids[0]) or req["by_theme"]["other"]
        theme = vocab.by_id(tids[0]).name
        reqs.append(fill(template, _Fields(fields, problem=(p.get("text") or "").rstrip("。；;，,"), theme=theme)))
    reqs = list(dict.fromkeys(reqs))   # the same requirement once (e.g. three later_events findings)

    return {
        "title": fill(t["title"], fields), "recipient": fill(t["recipient"], fields), "intro": fill(t["intro"], fields),
        "headings": t["headings"], "basic": basic, "findings": finding_items, "admitted": admitted_items,
        "copies": copy_texts, "none_found": t["none_found"], "none_admitted": t["none_admitted"],
        "requirements_intro": fill(req["intro"], fields), "requirements": reqs, "closing": fill(req["closing"], fields),
        "office": fill(t["signoff"]["office"], fields), "date": fill(t["signoff"]["date"], fields),
        "note": t["signoff"].get("note", ""),
    }


# --- docx layout -----------------------------------------------------------------------------

def _set_fonts(rpr_parent, east: str, west: str = WEST_FONT):
    rpr = rpr_parent.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:ascii"), west)
    fonts.set(qn("w:hAnsi"), west)
    fonts.set(qn("w:eastAsia"), east)
    fonts.set(qn("w:cs"), west)


def _run(paragraph, text: str, east: str = BODY_FONT, size: float = BODY_PT, bold: bool = False):
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = WEST_FONT
    _set_fonts(run._element, east)
    return run


def _para(doc, text: str = "", *, east=BODY_FONT, size=BODY_PT, indent=True, align=None, bold=False,
          right_indent: float | None = None, before: float = 0, after: float = 0):
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(LINE_PT if size <= BODY_PT else size * 1.6)
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    fmt.first_line_indent = Pt(size * 2) if indent else Pt(0)
    if right_indent is not None:
        fmt.right_indent = Pt(right_indent)
    if align is not None:
        p.alignment = align
    if text:
        _run(p, text, east, size, bold)
    return p


def _page_number_footer(section):
    p = section.footer.paragraphs[0] if section.footer.paragraphs else section.footer.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(p, "— ", PAGE_FONT, 14)
    run = _run(p, "", PAGE_FONT, 14)
    for tag, text in (("begin", None), (None, " PAGE "), ("end", None)):
        if tag:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), tag)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._element.append(el)
    _run(p, " —", PAGE_FONT, 14)


def build_document(c: dict) -> Document:
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin = Mm(37), Mm(35)
    sec.left_margin, sec.right_margin = Mm(28), Mm(26)
    normal = doc.styles["Normal"]
    normal.font.name = WEST_FONT
    normal.font.size = Pt(BODY_PT)
    _set_fonts(normal.element, BODY_FONT)
    props = doc.core_properties
    props.title = c["title"]
    props.author = "dudao"
    props.comments = c["note"]
    _page_number_footer(sec)

    _para(doc, c["title"], east=TITLE_FONT, size=TITLE_PT, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER,
          after=LINE_PT)
    _para(doc, c["recipient"], indent=False)
    _para(doc, c["intro"])
    h = c["headings"]
    _para(doc, h["basic"], east=H1_FONT)
    for line in c["basic"]:
        _para(doc, line)
    _para(doc, h["problems"], east=H1_FONT)
    _para(doc, h["findings"], east=H2_FONT)
    if c["findings"]:
        for k, item in enumerate(c["findings"], 1):
            _para(doc, f"{k}．{item}")
    else:
        _para(doc, c["none_found"])
    _para(doc, h["admitted"], east=H2_FONT)
    if c["admitted"]:
        for k, item in enumerate(c["admitted"], 1):
            _para(doc, f"{k}．{item}")
    else:
        _para(doc, c["none_admitted"])
    if c["copies"]:
        _para(doc, h["copies"], east=H2_FONT)
        for k, item in enumerate(c["copies"], 1):
            _para(doc, f"{k}．{item}")
    _para(doc, h["requirements"], east=H1_FONT)
    _para(doc, c["requirements_intro"])
    for k, item in enumerate(c["requirements"], 1):
        _para(doc, f"{k}．{item}")
    _para(doc, c["closing"])
    _para(doc, "")
    _para(doc, "")
    _para(doc, c["office"], indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT, right_indent=BODY_PT * 2)
    _para(doc, c["date"], indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT, right_indent=BODY_PT * 4)
    _para(doc, "")
    if c["note"]:
        _para(doc, c["note"], east=H2_FONT, size=12, indent=False)
    return doc


_XML_BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_safe(c):
    if isinstance(c, str):
        return _XML_BAD.sub("", c)
    if isinstance(c, list):
        return [_xml_safe(x) for x in c]
    if isinstance(c, dict):
        return {k: _xml_safe(v) for k, v in c.items()}
    return c


def write_feedback(pack: Pack, e: Entry, path: Path) -> Path:
    doc = build_document(_xml_safe(content(pack, e)))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    doc.save(str(tmp))
    os.replace(tmp, path)
    return path
