"""Write a report text as .docx, .pdf, .html, GBK or UTF-16 files, for round-trip tests
of the readers. Each writer keeps the text itself intact; only layout is added."""
from __future__ import annotations

import html as _html
import re

_HEADING1 = re.compile(r"^[一二三四五六七八九十]+、")
_HEADING2 = re.compile(r"^[（(][一二三四五六七八九十]+[)）]")
_XML_BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

META_LABELS = {"index_no": "索引号", "publisher": "发布机构", "date": "发文日期", "doc_no": "文号", "title": "标题"}


def to_docx(text: str, path, table_rows: list[list[str]] | None = None) -> None:
    """One paragraph per line; short 一、/（一） lines get Heading 1/2; table_rows become a table at the end."""
    import docx

    document = docx.Document()
    for line in text.split("\n"):
        line = _XML_BAD.sub("", line)
        short = len(line.strip()) <= 30
        if short and _HEADING1.match(line.strip()):
            document.add_paragraph(line, style="Heading 1")
        elif short and _HEADING2.match(line.strip()):
            document.add_paragraph(line, style="Heading 2")
        else:
            document.add_paragraph(line)
    if table_rows:
        ncols = max(len(r) for r in table_rows)
        table = document.add_table(rows=len(table_rows), cols=ncols)
        for r, row in enumerate(table_rows):
            for c, cell in enumerate(row):
                table.cell(r, c).text = str(cell)
    document.save(str(path))


def _font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


def _wrap(para: str, first: float, width: float, font: str, size: float) -> list[str]:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines, cur, cur_w, limit = [], "", 0.0, first
    for ch in para:
        w = stringWidth(ch, font, size)
        if cur and cur_w + w > limit:
            lines.append(cur)
            cur, cur_w, limit = "", 0.0, width
        cur += ch
        cur_w += w
    if cur:
        lines.append(cur)
    # pdfium drops a lone CJK glyph of a non-embedded font when no system CJK font exists;
    # a trailing space keeps such a line readable
    return [ln + " " if len(ln) == 1 and not ln.isascii() else ln for ln in lines]


def to_pdf(text: str, path, chars_per_line: int = 38, header: str | None = "政府履行教育职责自评报告",
           font_size: float = 12, indent: bool = True) -> None:
    """A4 pages, lines wrapped hard at the width of chars_per_line Chinese characters,
    a running header at the top and "- N -" page numbers at the bottom."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    font = _font()
    page_w, page_h = A4
    width = chars_per_line * font_size
    left = (page_w - width) / 2
    top, bottom, leading = page_h - 80, 72, font_size * 1.6
    c = canvas.Canvas(str(path), pagesize=A4)
    state = {"page": 0, "y": 0.0}

    def new_page():
        if state["page"]:
            c.setFont(font, 10)
            c.drawCentredString(page_w / 2, 40, f"- {state['page']} -")
            c.showPage()
        state["page"] += 1
        state["y"] = top
        if header:
            c.setFont(font, 9)
            c.drawCentredString(page_w / 2, page_h - 45, header)
        c.setFont(font, font_size)

    new_page()
    for para in text.split("\n"):
        para = re.sub(r"[\s\u3000\xa0]+", " ", para).strip()
        if not para:
            continue
        shift = 2 * font_size if indent else 0.0
        for k, line in enumerate(_wrap(para, width - shift, width, font, font_size)):
            if state["y"] < bottom:
                new_page()
            c.drawString(left + (shift if k == 0 else 0), state["y"], line)
            state["y"] -= leading
    c.setFont(font, 10)
    c.drawCentredString(page_w / 2, 40, f"- {state['page']} -")
    c.showPage()
    c.save()


def to_html(text: str, path, title: str, meta: dict | None = None, chrome: bool = True) -> None:
    """A government-site style page. The line equal to `title` becomes the <h1>; with chrome,
    navigation, a 当前位置 breadcrumb, tags, share links, related articles and a footer are added.
    meta (keys index_no/publisher/date/doc_no/title, or Chinese labels) becomes a 信息公开 table."""
    e = _html.escape
    body = []
    for line in text.split("\n"):
        s = line.strip()
        if not s:
            continue
        tag = "h1" if s == title.strip() else "p"
        body.append(f"<{tag}>{e(s)}</{tag}>")
    parts = [
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>{e(title)}_某县人民政府门户网站</title>",
        '<script>var _hmt = _hmt || [];</script><style>.nav li{float:left}</style></head><body>',
    ]
    if chrome:
        parts += [
            '<div class="top-bar">欢迎访问某县人民政府门户网站 <a href="/">无障碍</a> <a href="/en">English</a></div>',
            '<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li>'
            '<li><a href="/bsfw">办事服务</a></li><li><a href="/hdjl">互动交流</a></li><li><a href="/zjxx">走进某县</a></li></ul></div>',
            '<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt; <a href="/jydd">教育督导</a></div>',
        ]
    if meta:
        cells = []
        for key, value in meta.items():
            cells.append((META_LABELS.get(key, key), value))
        rows = []
        for i in range(0, len(cells), 2):
            pair = cells[i:i + 2]
            rows.append("<tr>" + "".join(f"<td class=\"label\">{e(k)}：</td><td>{e(str(v))}</td>" for k, v in pair) + "</tr>")
        parts.append('<table class="xxgk-table" border="1">' + "".join(rows) + "</table>")
    parts.append('<div class="article"><div class="TRS_Editor">' + "\n".join(body) + "</div></div>")
    if chrome:
        parts += [
            '<div class="article-tools">【<a href="javascript:print()">打印本页</a>】【<a href="javascript:close()">关闭窗口</a>】</div>',
            '<div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a> <a href="#">QQ空间</a></div>',
            '<div class="tags">标签：<a href="/t/1">教育</a> <a href="/t/2">督导</a> <a href="/t/3">自评报告</a></div>',
            '<div class="prev-next"><p>上一篇：<a href="/a/1">关于开展校园安全检查的通知</a></p>'
            '<p>下一篇：<a href="/a/2">某县召开教育工作会议</a></p></div>',
            '<div class="list"><h3>相关文章</h3><ul><li><a href="/a/3">某镇2021年教育工作总结</a></li>'
            '<li><a href="/a/4">某县教育局关于义务教育招生的公告</a></li><li><a href="/a/5">学前教育宣传月活动启动</a></li></ul></div>',
            '<div id="footer"><p>版权所有：某县人民政府 主办单位：某县人民政府办公室</p>'
            '<p>网站标识码：1234000000 某ICP备12345678号 公网安备 00000000000000号</p></div>',
        ]
    parts.append("</body></html>")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(parts))


def _gbk_bytes(text: str) -> bytes:
    try:
        return text.encode("gbk")
    except UnicodeEncodeError:
        # characters outside GBK (e.g. U+FFFD) take their 4-byte GB18030 form
        return b"".join(ch.encode("gbk") if _in_gbk(ch) else ch.encode("gb18030") for ch in text)


def _in_gbk(ch: str) -> bool:
    try:
        ch.encode("gbk")
        return True
    except UnicodeEncodeError:
        return False


def to_gbk(text: str, path) -> None:
    with open(path, "wb") as f:
        f.write(_gbk_bytes(text))


def to_utf16(text: str, path) -> None:
    """UTF-16 little-endian with a BOM, as Windows Notepad saves "Unicode"."""
    with open(path, "wb") as f:
        f.write(text.encode("utf-16"))
