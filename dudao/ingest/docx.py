"""Read .docx body text (paragraphs and tables in reading order) with python-docx."""
from __future__ import annotations

import io
import re
import zipfile

from dudao.errors import InputError
from dudao.ingest.base import Block, RawDoc, check_length
from dudao.ingest.sniff import zip_bomb_reason

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
CORRUPT = "DOCX 文件已损坏或不完整，无法打开"

# Subtrees whose text is not shown to the reader: deletions, moved-away text,
# field instructions, properties, and the duplicate fallback copy of drawings.
_SKIP = {W + t for t in ("del", "moveFrom", "delText", "instrText", "delInstrText", "rPr", "pPr",
                         "fldData", "tblPr", "trPr", "tcPr", "sectPr", "customXmlPr", "sdtPr")} | {MC + "Fallback"}
_HEADING_NAME = re.compile(r"^(heading|标题)\s*[1-9]$|^(title|标题)$", re.I)


def _hidden(run) -> bool:
    rpr = run.find(W + "rPr")
    if rpr is None:
        return False
    v = rpr.find(W + "vanish")
    return v is not None and v.get(W + "val", "true").lower() not in ("0", "false", "off")


def _inline_text(el, out: list[str]) -> None:
    """Collect visible text under el (a paragraph or anything inside one)."""
    for child in el:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP:
            continue
        if tag == W + "t":
            out.append(child.text or "")
        elif tag == W + "tab":
            out.append("\t")
        elif tag in (W + "br", W + "cr"):
            out.append("\n")
        elif tag == W + "noBreakHyphen":
            out.append("-")
        elif tag == W + "r" and _hidden(child):
            continue
        elif tag == W + "p":  # paragraphs of a text box inside this paragraph
            if out and not out[-1].endswith("\n"):
                out.append("\n")
            _inline_text(child, out)
            out.append("\n")
        elif tag == W + "tbl":
            out.append("\n" + "\n".join(_table_rows(child)) + "\n")
        else:
            _inline_text(child, out)


def _para_text(p) -> str:
    out: list[str] = []
    _inline_text(p, out)
    return re.sub(r"\n{2,}", "\n", "".join(out)).strip("\n")


def _cell_text(tc) -> str:
    parts = []
    for child in tc:
        if child.tag == W + "p":
            parts.append(_para_text(child))
        elif child.tag == W + "tbl":
            parts.extend(_table_rows(child))
        elif child.tag in (W + "sdt", W + "customXml"):
            parts.append(_cell_text(child.find(W + "sdtContent") if child.tag == W + "sdt" else child) or "")
    return " ".join(p.replace("\n", " ").strip() for p in parts if p and p.strip())


def _iter_tagged(parent, tag: str):
    """Children with `tag`, looking through content controls and custom XML wrappers."""
    for child in parent:
        if child.tag == tag:
            yield child
        elif child.tag in (W + "sdt", W + "customXml"):
            inner = child.find(W + "sdtContent") if child.tag == W + "sdt" else child
            if inner is not None:
                yield from _iter_tagged(inner, tag)


def _iter_rows(tbl):
    return _iter_tagged(tbl, W + "tr")


def _iter_cells(tr):
    return _iter_tagged(tr, W + "tc")


def _table_rows(tbl) -> list[str]:
    rows = []
    for tr in _iter_rows(tbl):
        cells = [_cell_text(tc) for tc in _iter_cells(tr)]
        if any(cells):
            rows.append(" | ".join(cells))
    return rows


def _iter_body(el):
    """Body paragraphs, tables and imported chunks in reading order, unwrapping content controls."""
    for child in el:
        if child.tag in (W + "p", W + "tbl", W + "altChunk"):
            yield child
        elif child.tag == W + "sdt":
            inner = child.find(W + "sdtContent")
            if inner is not None:
                yield from _iter_body(inner)
        elif child.tag == W + "customXml":
            yield from _iter_body(child)


def _style_info(document) -> dict[str, tuple[str, int | None]]:
    """style id -> (name, outline level) following basedOn chains."""
    raw = {}
    for st in document.styles.element.findall(W + "style"):
        sid = st.get(W + "styleId")
        name_el, based_el = st.find(W + "name"), st.find(W + "basedOn")
        lvl_el = st.find(f"{W}pPr/{W}outlineLvl")
        raw[sid] = (
            name_el.get(W + "val") if name_el is not None else sid,
            based_el.get(W + "val") if based_el is not None else None,
            int(lvl_el.get(W + "val")) if lvl_el is not None and (lvl_el.get(W + "val") or "").isdigit() else None,
        )
    from docx.styles import BabelFish  # "heading 1" in styles.xml is "Heading 1" in Word's UI

    info = {}
    for sid, (name, based, lvl) in raw.items():
        name = BabelFish.internal2ui(name) if name else name
        seen, cur = {sid}, based
        while lvl is None and cur in raw and cur not in seen:
            seen.add(cur)
            lvl, cur = raw[cur][2], raw[cur][1]
        info[sid] = (name, lvl)
    return info


def _heading_style(p, styles) -> str | None:
    ppr = p.find(W + "pPr")
    sid = lvl = None
    if ppr is not None:
        ps = ppr.find(W + "pStyle")
        sid = ps.get(W + "val") if ps is not None else None
        ol = ppr.find(W + "outlineLvl")
        if ol is not None and (ol.get(W + "val") or "").isdigit():
            lvl = int(ol.get(W + "val"))
    name, slvl = styles.get(sid, (sid, None)) if sid else (None, None)
    lvl = lvl if lvl is not None else slvl
    if name and _HEADING_NAME.match(name.strip()):
        return name
    if lvl is not None and lvl < 9:  # outline level 9 means body text
        return name or f"outline {lvl + 1}"
    return None


_CN_DIGITS = "零一二三四五六七八九"


def _chinese(n: int) -> str:
    if n < 10:
        return _CN_DIGITS[n]
    if n < 20:
        return "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _CN_DIGITS[n // 10] + "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for v, r in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                 (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= v:
            out, n = out + r, n - v
    return out


def _format_number(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "japaneseCounting",
               "ideographLegalTraditional", "taiwaneseCounting", "taiwaneseCountingThousand"):
        return _chinese(n)
    if fmt == "ideographTraditional":
        return "甲乙丙丁戊己庚辛壬癸"[(n - 1) % 10]
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(c) + 0xFEE0) for c in str(n))
    if fmt in ("upperLetter", "lowerLetter"):
        ch = chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return ch if fmt == "upperLetter" else ch.lower()
    if fmt in ("upperRoman", "lowerRoman"):
        return _roman(n) if fmt == "upperRoman" else _roman(n).lower()
    return str(n)


class _Numbering:
    """Word's automatic list numbers ("一、", "（一）", "1.") are not in the text runs; render them."""

    def __init__(self, document, styles_el):
        self.levels: dict[str, dict[int, tuple[str, str, int, str]]] = {}
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.started: set[str] = set()
        self.style_num: dict[str, tuple[str, int]] = {}
        try:
            root = document.part.numbering_part.element
        except Exception:  # no numbering part
            return
        for an in root.findall(W + "abstractNum"):
            lv = {}
            for lvl in an.findall(W + "lvl"):
                ilvl = int(lvl.get(W + "ilvl", "0"))
                get = lambda tag, d="": (lvl.find(W + tag).get(W + "val") if lvl.find(W + tag) is not None else d)  # noqa: E731
                start = get("start", "1")
                lv[ilvl] = (get("numFmt", "decimal"), get("lvlText", ""), int(start) if start.isdigit() else 1,
                            get("suff", "tab"))
            self.levels[an.get(W + "abstractNumId")] = lv
        for num in root.findall(W + "num"):
            aid = num.find(W + "abstractNumId")
            overrides = {}
            for ov in num.findall(W + "lvlOverride"):
                so = ov.find(W + "startOverride")
                if so is not None and (so.get(W + "val") or "").isdigit():
                    overrides[int(ov.get(W + "ilvl", "0"))] = int(so.get(W + "val"))
            if aid is not None:
                self.nums[num.get(W + "numId")] = (aid.get(W + "val"), overrides)
        for st in styles_el.findall(W + "style"):
            npr = st.find(f"{W}pPr/{W}numPr")
            if npr is not None:
                nid, ilvl = npr.find(W + "numId"), npr.find(W + "ilvl")
                if nid is not None:
                    self.style_num[st.get(W + "styleId")] = (
                        nid.get(W + "val"), int(ilvl.get(W + "val")) if ilvl is not None else 0)

    def label(self, p) -> str:
        if not self.nums:
            return ""
        ppr = p.find(W + "pPr")
        npr = ppr.find(W + "numPr") if ppr is not None else None
        num_id, ilvl = None, 0
        if npr is not None:
            nid, lv = npr.find(W + "numId"), npr.find(W + "ilvl")
            num_id = nid.get(W + "val") if nid is not None else None
            ilvl = int(lv.get(W + "val")) if lv is not None and (lv.get(W + "val") or "").isdigit() else 0
        elif ppr is not None and ppr.find(W + "pStyle") is not None:
            num_id, ilvl = self.style_num.get(ppr.find(W + "pStyle").get(W + "val"), (None, 0))
        if not num_id or num_id == "0" or num_id not in self.nums:
            return ""
        aid, overrides = self.nums[num_id]
        levels = self.levels.get(aid, {})
        if ilvl not in levels:
            return ""
        count = self.counters.setdefault(aid, {})
        if num_id not in self.started:  # a restart override applies when this list instance begins
            self.started.add(num_id)
            for k, v in overrides.items():
                count[k] = v - 1
        count[ilvl] = count.get(ilvl, levels[ilvl][2] - 1) + 1
        for deeper in [k for k in count if k > ilvl]:
            del count[deeper]
        fmt, text, _, suff = levels[ilvl]
        if fmt in ("bullet", "none") or not text:
            return ""

        def sub(m):
            k = int(m.group(1)) - 1
            lf = levels.get(k, ("decimal", "", 1, ""))
            return _format_number(count.get(k, lf[2]), lf[0])

        return re.sub(r"%([1-9])", sub, text) + {"space": " ", "nothing": ""}.get(suff, "\t")


def _alt_chunk_lines(document, el) -> list[str]:
    """Text of an imported HTML/MHT/text/docx chunk (w:altChunk), as exporters of web pages write."""
    rid = el.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
    part = document.part.related_parts.get(rid) if rid else None
    if part is None:
        return []
    ctype, blob = part.content_type or "", part.blob
    try:
        if "html" in ctype:
            from dudao.ingest.html import read_html
            text = read_html(blob, "chunk").text
        elif "rfc822" in ctype or "mhtml" in ctype:
            from dudao.ingest.html import read_mhtml
            text = read_mhtml(blob, "chunk").text
        elif ctype.startswith("text/plain"):
            from dudao.ingest.text import decode_bytes
            text = decode_bytes(blob)[0]
        elif "wordprocessingml" in ctype:
            text = read_docx(blob, "chunk").text
        else:
            return []
    except InputError:
        return []
    return [ln for ln in text.replace("\r\n", "\n").split("\n")]


def read_docx(data: bytes, source: str) -> RawDoc:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            reason = zip_bomb_reason(zf.infolist())
    except Exception:   # zipfile raises many types on broken archives (NotImplementedError, …)
        raise InputError(CORRUPT) from None
    if reason:
        raise InputError(f"DOCX 文件内部数据异常（{reason}），已拒绝读取")
    try:
        import docx  # python-docx

        document = docx.Document(io.BytesIO(data))
        body = document.element.body
        styles = _style_info(document)
        numbering = _Numbering(document, document.styles.element)
    except InputError:
        raise
    except Exception:  # python-docx raises many types on broken packages
        raise InputError(CORRUPT) from None

    lines: list[str] = []
    blocks: list[Block] = []
    pos = 0

    def emit(text: str, **kw) -> None:
        nonlocal pos
        if lines:
            pos += 1  # the "\n" before this line
        if text.strip():
            blocks.append(Block(pos, pos + len(text), **kw))
        lines.append(text)
        pos += len(text)
        check_length(pos)

    for idx, el in enumerate(_iter_body(body)):
        if el.tag == W + "altChunk":
            for line in _alt_chunk_lines(document, el):
                emit(line, paragraph=idx)
            continue
        if el.tag == W + "tbl":
            for row in _table_rows(el):
                emit(row, paragraph=idx, kind="table")
            continue
        text = _para_text(el)
        label = numbering.label(el)  # counted even on empty paragraphs, as Word does
        if text.strip():
            text = label + text
        style = _heading_style(el, styles) if text.strip() else None
        if style:
            emit(text, paragraph=idx, kind="heading", style=style)
        else:
            emit(text, paragraph=idx)
    text = "\n".join(lines)
    if not text.strip():
        raise InputError("DOCX 文件中没有正文文字（可能只有图片或扫描页，需先 OCR 识别）")
    return RawDoc(source=source, format="docx", text=text, blocks=blocks)
