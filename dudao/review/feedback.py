"""Draft 反馈意见 (feedback on one government self-evaluation report) as a Word document.

Layout after GB/T 9704-2012《党政机关公文格式》: A4, 上 37 mm / 下 35 mm / 左 28 mm / 右 26 mm;
title in 方正小标宋简体 二号, body in 仿宋_GB2312 三号 at a fixed 28.95 pt line pitch, level-1
headings in 黑体, level-2 in 楷体_GB2312, page numbers “— 1 —” in 宋体 四号. The fonts are set by
name (w:eastAsia); they need not be installed where the file is generated. All wording comes from
dudao/data/feedback.yaml.
"""
from __future__ import annotations

import datetime
import io
import re
import threading
import time
import zipfile
from functools import lru_cache
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from dudao.atomic import write_bytes
from dudao.resources import load_yaml
from dudao.review.model import Entry, Pack
from dudao.review.quotes import as_sentence, for_quotation, quote, tidy
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


def base_fields(e: Entry) -> _Fields:
    t = texts()
    unknown = t.get("unknown", "【请填写】")
    r = e.report
    year = r.get("work_year")
    office = t.get("office_placeholder", "【请填写】教育督导委员会办公室")
    region = e.region_name or unknown
    now = time.localtime()
    return _Fields(
        region=region, you=you_of(e.region_name), office=office,
        office_short=office.replace("【请填写】", "") or office,
        year=year or unknown, next_year=(year + 1) if year else unknown,
        year_text=f"{year}年度" if year else f"{unknown}年度",
        round_text=f"{r['round_year']}年" if r.get("round_year") else "报告未写明",
        region_full=e.region_full if e.region else f"{unknown}（报告未写明地区）",
        score_text=_score_text(e.self_score), words=e.word_count,
        deadline_days=t.get("deadline_days", 30),
        date=f"{now.tm_year}年{now.tm_mon}月{now.tm_mday}日",
        unknown=unknown,
    )


def _finding_fields(base: _Fields, f: dict) -> _Fields:
    out = _Fields(base, unknown=base.unknown)
    out.update({k: _num(v) for k, v in (f.get("data") or {}).items() if isinstance(v, (str, int, float))})
    out.update(title=f.get("title") or "", message=f.get("message") or "", quote=(f.get("quote") or "").strip(),
               source=f.get("source") or "")
    return out


def letter_findings(findings: list[dict]) -> list[dict]:
    """The findings a letter tells: one per fact. A missing 存在问题 part is told once (the
    missing_problems finding), not again as a missing section; not-a-self-report notes are left out."""
    codes = {f.get("code") for f in findings}
    out = []
    for f in findings:
        if f.get("code") in SKIP_CODES:
            continue
        if (f.get("code") == "missing_section" and "missing_problems" in codes
                and (f.get("data") or {}).get("role") == "problems"):
            continue
        out.append(f)
    return sorted(out, key=lambda f: (SEV_ORDER.get(f.get("severity"), 9), f.get("start", 0)))


def finding_parts(text: str, f: dict, fields: _Fields, t: dict) -> tuple[str, str, str]:
    """One finding in plain official language: (what is wrong, the whole sentence it is in, the
    published standard it is measured against or "")."""
    ff = _finding_fields(fields, f)
    letter = t.get("letter") or {}
    key = f.get("code")
    if key == "score_arithmetic" and (f.get("data") or {}).get("part") == "deducted":
        key = "score_arithmetic_deducted"
    template = letter.get(key)
    said = as_sentence(tidy(fill(template, ff) if template else ff["message"]))
    q = "" if f.get("code") in (t.get("letter_no_quote") or ()) else for_quotation(quote(text, f.get("start"), f.get("end")))
    # a published standard is named; internal rule and scheme names stay on the reviewer's pages
    source = ff["source"] if "《" in ff["source"] else ""
    return said, q, source


def finding_items(text: str, findings: list[dict], fields: _Fields, t: dict) -> list[str]:
    """Letter items; findings told in the same words (two later events) become one item with
    each of their quotes."""
    grouped: dict[str, list] = {}
    for f in findings:
        said, q, source = finding_parts(text, f, fields, t)
        g = grouped.setdefault(said, [[], source])
        if q and q not in g[0]:
            g[0].append(q)
    out = []
    for said, (quotes, source) in grouped.items():
        item = said
        if quotes:
            item += fill(t["finding_quote"], _Fields(fields, quote="”；“".join(quotes)))
        if source:
            item += fill(t["finding_source"], _Fields(fields, source=source))
        out.append(item)
    return out


def content(pack: Pack, e: Entry) -> dict:
    """Everything the letter says, as plain strings (the docx writer only lays it out)."""
    t = texts()
    fields = base_fields(e)
    r = e.report
    findings = letter_findings(r.get("findings") or [])
    problems = r.get("problems") or []
    b = t["basic"]
    basic = [tidy(fill(b[k], fields)) for k in ("region", "year", "score", "length")]

    themed = pack.themes.get("assignments", {}).get(e.id, {}).get("problems", [])
    admitted_items = []
    for p in problems:
        q = as_sentence(problem_quote(e.text, p, 160).replace("\n", " "))
        admitted_items.append(fill(t["admitted_item"], _Fields(fields, problem=p.get("text") or "", quote=q)))

    req = t["requirements"]
    reqs = []
    for f in findings:
        template = req["by_code"].get(f.get("code")) or req["by_code"]["default"]
        reqs.append(tidy(fill(template, _finding_fields(fields, f))))
    vocab = vocabulary()
    for k, p in enumerate(problems):
        tids = themed[k] if k < len(themed) and themed[k] else [vocab.other.id]
        template = req["by_theme"].get(tids[0]) or req["by_theme"]["other"]
        theme = vocab.by_id(tids[0]).name
        reqs.append(fill(template, _Fields(fields, problem=(p.get("text") or "").rstrip("。；;，,"), theme=theme)))
    previous = ((pack.previous or {}).get("paragraphs") or {}).get(e.id) or []
    remaining = ((pack.previous or {}).get("rows") or {}).get(e.id) or []
    if any(r["status"] != "resolved" for r in remaining):
        reqs.append(fill(req["previous"], fields))
    reqs = list(dict.fromkeys(reqs))   # each demand once (e.g. two later_events findings)

    return {
        "title": fill(t["title"], fields), "recipient": fill(t["recipient"], fields), "intro": fill(t["intro"], fields),
        "headings": t["headings"], "basic": basic, "findings": finding_items(e.text, findings, fields, t), "admitted": admitted_items,
        "none_found": t["none_found"], "none_admitted": t["none_admitted"],
        "previous": previous, "requirements_intro": fill(req["intro"], fields), "requirements": reqs, "closing": fill(req["closing"], fields),
        "office": fill(t["signoff"]["office"], fields), "date": fill(t["signoff"]["date"], fields),
    }


# --- docx layout -----------------------------------------------------------------------------
# The template (page set-up, named styles with their fonts, page-number footers) is built once per
# process; each letter only adds paragraphs that name a style.

STYLES = {   # name: (east-asian font, size pt, first-line indent, bold)
    "督导正文": (BODY_FONT, BODY_PT, True, False),
    "督导正文无缩进": (BODY_FONT, BODY_PT, False, False),
    "督导标题": (TITLE_FONT, TITLE_PT, False, False),
    "督导一级标题": (H1_FONT, BODY_PT, True, False),
    "督导二级标题": (H2_FONT, BODY_PT, True, False),
    "督导页码": (PAGE_FONT, 14, False, False),
}


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


def _add_styles(doc) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    for name, (east, size, indent, bold) in STYLES.items():
        st = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        st.base_style = doc.styles["Normal"]
        st.font.name, st.font.size, st.font.bold = WEST_FONT, Pt(size), bold
        _set_fonts(st.element, east)
        fmt = st.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(LINE_PT if size <= BODY_PT else size * 1.6)
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.first_line_indent = Pt(size * 2) if indent else Pt(0)


def _page_number(paragraph, align) -> None:
    """“— 1 —” in 宋体 四号, one character in from the outer edge (GB/T 9704-2012 7.5)."""
    paragraph.style = "督导页码"
    paragraph.alignment = align
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        paragraph.paragraph_format.right_indent = Pt(14)
    else:
        paragraph.paragraph_format.left_indent = Pt(14)
    paragraph.add_run("— ")
    run = paragraph.add_run()
    for tag, text in (("begin", None), (None, " PAGE "), ("end", None)):
        if tag:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), tag)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._element.append(el)
    paragraph.add_run(" —")


def _page_numbers(doc, section) -> None:
    """Odd pages numbered on the right, even pages on the left (even/odd footers)."""
    settings = doc.settings.element
    if settings.find(qn("w:evenAndOddHeaders")) is None:
        settings.append(OxmlElement("w:evenAndOddHeaders"))
    section.footer.is_linked_to_previous = False
    section.even_page_footer.is_linked_to_previous = False
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)


@lru_cache(maxsize=1)
def _template() -> bytes:
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin = Mm(37), Mm(35)
    sec.left_margin, sec.right_margin = Mm(28), Mm(26)
    normal = doc.styles["Normal"]
    normal.font.name = WEST_FONT
    normal.font.size = Pt(BODY_PT)
    _set_fonts(normal.element, BODY_FONT)
    _add_styles(doc)
    _page_numbers(doc, sec)
    body = doc.element.body
    for p in list(body.iterchildren(qn("w:p"))):
        body.remove(p)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


_STYLE_IDS: dict[str, str] = {}
_CONTROL = re.compile(r"[\t\r\n]")


def _para(doc, text: str = "", style: str = "督导正文", *, align=None, right_indent: float | None = None,
          after: float | None = None):
    # The paragraph is built as XML directly: python-docx resolves a style name by scanning every
    # style twice, and builds each element through generic child-order lookups (most of a
    # letter's time). Same XML as doc.add_paragraph(text) with the style set.
    from docx.text.paragraph import Paragraph
    sid = _STYLE_IDS.get(style)
    if sid is None:
        from docx.enum.style import WD_STYLE_TYPE
        sid = _STYLE_IDS[style] = doc.part.get_style_id(style, WD_STYLE_TYPE.PARAGRAPH) or ""
    body = doc.element.body
    p = OxmlElement("w:p")
    sect = body.find(qn("w:sectPr"))
    if sect is not None:
        sect.addprevious(p)
    else:
        body.append(p)
    if sid:
        ppr = OxmlElement("w:pPr")
        st = OxmlElement("w:pStyle")
        st.set(qn("w:val"), sid)
        ppr.append(st)
        p.append(ppr)
    para = Paragraph(p, doc._body)
    if text:
        if _CONTROL.search(text):          # tabs and line breaks: python-docx's own run content
            para.add_run(text)
        else:
            r, t = OxmlElement("w:r"), OxmlElement("w:t")
            t.text = text
            if len(text.strip()) < len(text):
                t.set(qn("xml:space"), "preserve")
            r.append(t)
            p.append(r)
    if align is not None:
        para.alignment = align
    if right_indent is not None:
        para.paragraph_format.right_indent = Pt(right_indent)
    if after is not None:
        para.paragraph_format.space_after = Pt(after)
    return para


def build_document(c: dict, doc: Document | None = None) -> Document:
    """The letter as a Word document; `doc`: an empty letter to fill (a fresh template by default)."""
    doc = doc if doc is not None else Document(io.BytesIO(_template()))
    props = doc.core_properties
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0, tzinfo=None)
    props.title = c["title"]
    props.subject = props.comments = props.keywords = props.category = ""
    props.author = props.last_modified_by = ""
    props.created = props.modified = now
    printed = props._element.find(qn("cp:lastPrinted"))   # the stock template's 2013 date
    if printed is not None:
        props._element.remove(printed)
    props.revision = 1

    _para(doc, c["title"], "督导标题", align=WD_ALIGN_PARAGRAPH.CENTER, after=LINE_PT)
    _para(doc, c["recipient"], "督导正文无缩进")
    _para(doc, c["intro"])
    h = c["headings"]
    _para(doc, h["basic"], "督导一级标题")
    for line in c["basic"]:
        _para(doc, line)
    _para(doc, h["problems"], "督导一级标题")
    _para(doc, h["findings"], "督导二级标题")
    for k, item in enumerate(c["findings"], 1):
        _para(doc, f"{k}．{item}")
    if not c["findings"]:
        _para(doc, c["none_found"])
    _para(doc, h["admitted"], "督导二级标题")
    for k, item in enumerate(c["admitted"], 1):
        _para(doc, f"{k}．{item}")
    if not c["admitted"]:
        _para(doc, c["none_admitted"])
    if c.get("previous"):   # last round's problems (dudao review --previous)
        _para(doc, h["previous"], "督导一级标题")
        for line in c["previous"]:
            _para(doc, line)
    _para(doc, h["requirements_after_previous"] if c.get("previous") else h["requirements"], "督导一级标题")
    _para(doc, c["requirements_intro"])
    for k, item in enumerate(c["requirements"], 1):
        _para(doc, f"{k}．{item}")
    _para(doc, c["closing"])
    _para(doc, "")
    _para(doc, "")
    _para(doc, c["office"], "督导正文无缩进", align=WD_ALIGN_PARAGRAPH.RIGHT, right_indent=BODY_PT * 2)
    _para(doc, c["date"], "督导正文无缩进", align=WD_ALIGN_PARAGRAPH.RIGHT, right_indent=BODY_PT * 4)
    return doc


_XML_BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _xml_safe(c):
    if isinstance(c, str):
        return _XML_BAD.sub("", c)
    if isinstance(c, list):
        return [_xml_safe(x) for x in c]
    if isinstance(c, dict):
        return {k: _xml_safe(v) for k, v in c.items()}
    return c


# Parsing the template package is a third of a letter's time: each thread keeps one parsed copy
# and refills it (build_document sets every property it writes; the body is emptied after saving).
_REUSED = threading.local()
_DYNAMIC = ("word/document.xml", "docProps/core.xml")   # the only parts a letter changes


@lru_cache(maxsize=1)
def _static_zip() -> bytes:
    """The template package without the parts a letter changes, compressed once per process."""
    buf = io.BytesIO()
    Document(io.BytesIO(_template())).save(buf)
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            if name not in _DYNAMIC:
                dst.writestr(name, src.read(name))
    return out.getvalue()


def docx_bytes(doc: Document) -> bytes:
    """The letter as .docx bytes: the template's unchanged parts copied as compressed, only the
    body and the core properties serialised (what python-docx's save writes, at a fraction of
    its cost). Letters add no relationships or parts, so the template's package lists stay true."""
    from docx.opc.oxml import serialize_part_xml
    buf = io.BytesIO(_static_zip())
    buf.seek(0, io.SEEK_END)
    with zipfile.ZipFile(buf, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr(_DYNAMIC[0], serialize_part_xml(doc.element))
        z.writestr(_DYNAMIC[1], serialize_part_xml(doc.core_properties._element))
    return buf.getvalue()


def write_letter(c: dict, path: Path) -> Path:
    """Write one letter (content as `content` gives it) atomically to `path`."""
    doc, _REUSED.doc = getattr(_REUSED, "doc", None), None
    doc = build_document(_xml_safe(c), doc)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_bytes(path, docx_bytes(doc))
    body = doc.element.body
    for p in list(body.iterchildren(qn("w:p"))):
        body.remove(p)
    _REUSED.doc = doc           # only after a letter was written whole
    return path


def write_feedback(pack: Pack, e: Entry, path: Path) -> Path:
    return write_letter(content(pack, e), path)


# --- many letters ------------------------------------------------------------------------------

PARALLEL_MIN_LETTERS = 40      # fewer letters are written in this process (start-up costs ~0.5 s)


def _reason(e: BaseException) -> str:
    if isinstance(e, OSError):
        return f"无法写入文件（{e.strerror or e}）"
    return f"生成时出现内部错误（{type(e).__name__}），请将该报告反馈给开发者"


def _letter_task(item: tuple) -> tuple[str, str | None]:
    key, c, path = item
    if isinstance(c, str):                   # the content itself failed (see write_letters)
        return key, c
    try:
        write_letter(c, path)
    except Exception as e:                   # one letter failing never stops the others
        return key, _reason(e)
    return key, None


def _warm_letters() -> None:
    import signal
    signal.signal(signal.SIGINT, signal.SIG_IGN)   # the parent handles Ctrl-C
    _static_zip()
    texts()


def write_letters(pack: Pack, entries: list[Entry], out: Path, jobs: int = 1, done=None) -> dict[str, str]:
    """Write the letter of each entry to out / entry.feedback, in `jobs` spawned processes when
    there are many (the parent works out each letter's wording, the processes lay it out and
    write it, each file atomically). A letter that fails is reported, the others are written.
    `done(failed: bool)` is called as each letter finishes. Returns entry id → Chinese reason for
    every letter that could not be written."""
    def items():
        for e in entries:
            try:
                c = _xml_safe(content(pack, e))
            except Exception as exc:
                c = _reason(exc)
            yield e.id, c, Path(out) / e.feedback

    failed: dict[str, str] = {}
    jobs = min(max(1, int(jobs)), len(entries))
    if jobs <= 1 or len(entries) < PARALLEL_MIN_LETTERS:
        results = map(_letter_task, items())
        pool = None
    else:
        from dudao.workers import spawn_pool
        pool = spawn_pool(jobs, _warm_letters)
        results = pool.imap_unordered(_letter_task, items(), chunksize=8)
    try:
        for key, reason in results:
            if reason:
                failed[key] = reason
            if done:
                done(bool(reason))
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
    return failed
