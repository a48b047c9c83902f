"""Read PDF text with pypdfium2: drop page numbers and running headers, re-flow wrapped lines."""
from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass

from dudao.errors import InputError
from dudao.ingest.base import Block, RawDoc, check_length

SCANNED = "扫描件无文本层，需先 OCR 识别后再分析"

_PAGE_NO = [
    re.compile(r"^[-－—–_~·\s]*\d{1,4}[-－—–_~·\s]*$"),
    re.compile(r"^第\s*\d+\s*页\s*([,，/]?\s*共\s*\d+\s*页)?$"),
    re.compile(r"^共\s*\d+\s*页\s*[,，]?\s*第\s*\d+\s*页$"),
    re.compile(r"^\d+\s*/\s*\d+$"),
    re.compile(r"^(page|p\.)\s*\d+(\s*(of|/)\s*\d+)?$", re.I),
]
_END_PUNCT = tuple("。！？；：…”!?;:")
_HEADING = re.compile(
    r"^([一二三四五六七八九十百]+[、.．]|[（(][一二三四五六七八九十百]+[)）]|[（(]\d{1,2}[)）]"
    r"|\d{1,2}[.．、](?!\d)|第[一二三四五六七八九十百\d]+[章节篇部条]|附件|附表)"
)
_JUNK = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass
class Line:
    text: str
    x0: float
    x1: float
    lead: int = 0  # leading blank characters in the extracted text


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef"


def _page_lines(page, widths: list[float]) -> list[Line]:
    import pypdfium2.raw as pdfium_c

    tp = page.get_textpage()
    try:
        n = tp.count_chars()
        lines: list[Line] = []
        chars: list[str] = []
        x0 = x1 = None

        def close():
            text = "".join(chars)
            stripped = text.lstrip(" \u3000\t\xa0")
            lines.append(Line(stripped.rstrip(), x0 or 0.0, x1 or 0.0, len(text) - len(stripped)))

        for i in range(n):
            code = pdfium_c.FPDFText_GetUnicode(tp.raw, i)
            ch = chr(code) if 0 < code < 0x110000 else ""
            if ch == "\n":
                close()
                chars, x0, x1 = [], None, None
                continue
            if ch == "\r" or not ch or 0xD800 <= code <= 0xDFFF:
                continue
            chars.append(ch)
            if not ch.isspace():
                left, _, right, _ = tp.get_charbox(i)
                if right > left:
                    x0 = left if x0 is None else min(x0, left)
                    x1 = right if x1 is None else max(x1, right)
                    if _is_cjk(ch):
                        widths.append(right - left)
        if chars:
            close()
        return [Line(_JUNK.sub("", ln.text), ln.x0, ln.x1, ln.lead) for ln in lines]
    finally:
        tp.close()


def _is_page_no(text: str, npages: int) -> bool:
    s = text.strip()
    if not s:
        return False
    if s.isdigit():  # a bare number only when it could be a page number
        return int(s) <= npages + 20
    return any(p.match(s) for p in _PAGE_NO)


def _strip_furniture(pages: list[list[Line]], lay) -> tuple[list[list[Line]], bool]:
    """Drop page numbers and short lines repeated at the top/bottom of >= half the pages."""
    npages = len(pages)
    removed = False
    for lines in pages:
        for idx in [0, 1, -1, -2]:
            if len(lines) > abs(idx) and _is_page_no(lines[idx].text, npages):
                lines[idx].text, removed = "", True
    pages = [[ln for ln in lines if ln.text.strip()] for lines in pages]

    def key(ln: Line) -> str:
        return re.sub(r"\d+", "#", re.sub(r"\s+", "", ln.text))

    def body_like(ln: Line) -> bool:  # a full-width line is body text, not a header
        return bool(lay) and ln.x1 > ln.x0 and ln.x1 >= lay[1] - 1.5 * lay[2] and ln.x0 <= lay[0] + 0.5 * lay[2]

    # Count each exact position separately; a line that also occurs mid-page is body text
    # (e.g. a repeated sentence), not a running header or footer.
    need = max(2, (npages + 1) // 2)
    mid = Counter(key(ln) for lines in pages for ln in lines[2:-2])
    for pos in (0, 1, -1, -2):
        counts = Counter(key(lines[pos]) for lines in pages if len(lines) > abs(pos) + 1 and not body_like(lines[pos]))
        frequent = {k for k, c in counts.items() if c >= need and not mid[k] and len(k) <= 40}
        for lines in pages:
            if len(lines) > abs(pos) + 1 and key(lines[pos]) in frequent and not body_like(lines[pos]):
                lines[pos].text, removed = "", True
    pages = [[ln for ln in lines if ln.text.strip()] for lines in pages]
    return pages, removed


def _layout(pages: list[list[Line]], widths: list[float]):
    """Typical left margin, right edge and character width over the whole document."""
    body = [ln for lines in pages for ln in lines if len(ln.text) >= 8 and ln.x1 > ln.x0]
    cw = statistics.median(widths) if widths else 0.0
    if not body or cw <= 0:
        return None
    left = Counter(round(ln.x0) for ln in body).most_common(1)[0][0]
    rights = sorted(ln.x1 for ln in body)
    right = rights[int(len(rights) * 0.9)] if len(rights) > 1 else rights[0]
    return left, right, cw


def _joiner(prev: str, nxt: str) -> str:
    if prev[-1:].isascii() and prev[-1:].isalpha() and nxt[:1].isascii() and nxt[:1].isalpha():
        return " "
    return ""


_LATIN_RUN = re.compile(r"([0-9A-Za-z.．%％‰]+)([、，,。；;：:）)]?)")


def _pushed_word(prev: Line, nxt: str, lay) -> bool:
    """A number or Latin word that did not fit is pushed whole to the next line, so the line
    before it stops short of the margin by about the word's width (LibreOffice, WPS)."""
    m = _LATIN_RUN.match(nxt)
    if not (m and lay and prev.x1 > prev.x0) or prev.text.endswith(_END_PUNCT) or _HEADING.match(nxt):
        return False
    # a half-width character is about 0.6 of a CJK one; punctuation that may not open a line
    # (、，) travels with the word
    return prev.x1 >= lay[1] - (2.0 + 0.6 * len(m.group(1)) + len(m.group(2))) * lay[2]


def _reflow(pages: list[list[Line]], lay) -> tuple[str, list[Block]]:
    lengths = sorted(len(ln.text) for lines in pages for ln in lines)
    typical = lengths[int(len(lengths) * 0.9)] if lengths else 0

    def full(ln: Line) -> bool:
        if lay and ln.x1 > ln.x0:
            return ln.x1 >= lay[1] - 1.5 * lay[2]
        return len(ln.text) >= typical * 0.9

    def indented(ln: Line) -> bool:
        if ln.lead:
            return True
        return bool(lay) and ln.x1 > ln.x0 and ln.x0 >= lay[0] + 0.9 * lay[2]

    # When paragraphs open with a first-line indent, a full line followed by an unindented
    # line continues the paragraph even after 。 (the sentence just ended at the margin).
    flat = [ln for lines in pages for ln in lines]
    starts = [b for a, b in zip(flat, flat[1:]) if not full(a)]
    indent_style = len(starts) >= 3 and sum(map(indented, starts)) >= 0.6 * len(starts)

    out: list[str] = []
    blocks: list[Block] = []
    pos = 0
    prev: Line | None = None
    for pno, lines in enumerate(pages, 1):
        for k, ln in enumerate(lines):
            t = ln.text
            join = (
                prev is not None
                and not indented(ln)
                and (
                    full(prev) and (
                        (re.search(r"[\d.．]$", prev.text) and t[:1].isdigit())  # a number split over lines
                        or ((indent_style or not prev.text.endswith(_END_PUNCT)) and not _HEADING.match(t)))
                    or _pushed_word(prev, t, lay)
                )
            )
            sep = _joiner(prev.text, t) if join else ("\n" if out else "")
            pos += len(sep)
            if k == 0:
                blocks.append(Block(pos, pos, page=pno))
            out.append(sep + t)
            pos += len(t)
            prev = ln
    text = "".join(out)
    for i, b in enumerate(blocks):
        b.end = blocks[i + 1].start if i + 1 < len(blocks) else len(text)
    return text, blocks


def read_pdf(data: bytes, source: str) -> RawDoc:
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        if getattr(e, "err_code", None) == 4 or "password" in str(e).lower():
            raise InputError("PDF 文件已加密（需要打开密码），请先解除密码后再分析") from None
        raise InputError("PDF 文件已损坏或不完整，无法打开") from None
    except Exception:
        raise InputError("PDF 文件已损坏或不完整，无法打开") from None
    try:
        npages = len(doc)
        if npages == 0:
            raise InputError("PDF 文件没有任何页面")
        widths: list[float] = []
        pages: list[list[Line]] = []
        empty: list[int] = []
        broken: list[int] = []
        chars = 0
        for i in range(npages):
            try:   # a page tree that lies (/Count larger than the pages) fails to load a page
                page = doc[i]
            except pdfium.PdfiumError:
                broken.append(i + 1)
                pages.append([])
                continue
            try:
                lines = _page_lines(page, widths)
            except pdfium.PdfiumError:
                lines = []
            finally:
                page.close()
            if sum(len(re.sub(r"\s", "", ln.text)) for ln in lines) < 5:
                empty.append(i + 1)
            pages.append(lines)
            chars += sum(len(ln.text) for ln in lines)
            check_length(chars)
    finally:
        doc.close()
    if len(broken) == npages:
        raise InputError("PDF 文件已损坏，没有一页能够读取")
    if len(empty) + len(broken) == npages:
        raise InputError(SCANNED)
    lay = _layout(pages, widths)
    pages, removed = _strip_furniture(pages, lay)
    text, blocks = _reflow(pages, _layout(pages, widths) or lay)
    notes = []
    if empty and npages > 1:
        listed = "、".join(str(p) for p in empty[:20]) + ("等" if len(empty) > 20 else "")
        notes.append({"code": "pdf_pages_without_text",
                      "message": f"第 {listed} 页没有文本层（可能是扫描页或空白页），其内容未能读取"})
    if broken:
        listed = "、".join(str(p) for p in broken[:20]) + ("等" if len(broken) > 20 else "")
        notes.append({"code": "pdf_pages_unreadable",
                      "message": f"第 {listed} 页无法读取（PDF 页面目录与实际页数不符，文件可能已损坏），共 {len(broken)} 页未能读取"})
    if removed:
        notes.append({"code": "pdf_page_furniture", "message": "已去除页码和页眉页脚"})
    return RawDoc(source=source, format="pdf", text=text, blocks=blocks, notes=notes)
