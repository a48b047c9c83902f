"""Read a web page (or .mhtml archive): keep the article text, drop site chrome, read the
government open-information metadata table into RawDoc.meta."""
from __future__ import annotations

import email
import email.policy
import re

from dudao.errors import InputError
from dudao.ingest.base import Block, RawDoc, check_length
from dudao.ingest.text import decode_bytes

NOTE = {"code": "web_boilerplate", "message": "已去除网页导航、标签等非正文内容"}

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)|<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)""", re.I)
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030",
            "gb_2312-80": "gb18030", "big5": "big5hkscs", "utf8": "utf-8", "unicode": "utf-8"}

_SILENT_TAGS = {"script", "style", "noscript", "template", "head"}  # never visible: removing them is no news
_DROP_TAGS = {"script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas",
              "input", "select", "option", "button", "textarea", "label", "head", "nav", "footer", "aside", "map"}
_CHROME_PARTS = {
    "nav", "navbar", "navigation", "menu", "breadcrumb", "breadcrumbs", "crumb", "crumbs", "position", "location",
    "weizhi", "dqwz", "footer", "foot", "copyright", "share", "bdshare", "jiathis", "tag", "tags", "tagcloud",
    "keyword", "keywords", "related", "relate", "xgwz", "xgwj", "recommend", "sidebar", "aside", "banner", "ad",
    "ads", "advert", "guanggao", "comment", "comments", "pager", "pagination", "prevnext", "sxp", "toolbar",
    "search", "login", "qrcode", "ewm", "hot", "hotlist", "rank",
}
_CHROME_PREFIX = ("footer", "breadcrumb", "copyright", "sidebar", "navbar", "share", "bdshare")
_UTILITY = ("position-", "d-", "text-", "flex-", "align-", "justify-")  # CSS utility classes, not chrome


_SITE_HEADER_PARTS = {"header", "top", "topbar", "logo"}
_TITLE_PARTS = {"title", "tit", "bt", "biaoti", "headline"}


def _parts(el) -> list[str]:
    return [part for token in f"{el.get('class', '')} {el.get('id', '')}".lower().split()
            if not token.startswith(_UTILITY) for part in re.split(r"[-_]", token)]


def _site_header(el) -> bool:
    """<header> or a *-header/top/logo block of the site, but not an article's title block."""
    if el.tag != "header" and not _SITE_HEADER_PARTS.intersection(_parts(el)):
        return False
    for d in el.iter():  # an article header holds the title: keep it
        if d.tag in ("h1", "h2") or _TITLE_PARTS.intersection(_parts(d)):
            return False
    return not any(a.tag in ("article", "main") for a in el.iterancestors())


def _chrome_class(el) -> bool:
    return any(part in _CHROME_PARTS or part.startswith(_CHROME_PREFIX) for part in _parts(el))


_BLOCK = {"p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol",
          "dl", "dt", "dd", "table", "tr", "td", "th", "tbody", "thead", "tfoot", "blockquote", "pre",
          "center", "form", "header", "address", "figure", "figcaption", "hr", "br", "caption", "body"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}

_BOILER_LINE = [
    re.compile(r"^(当前位置|您的位置|你的位置|您现在的位置|所在位置|现在位置)"),
    re.compile(r"^(热门标签|热门搜索|标签|关键词|关键字|tags?)(\s*[:：]|$)", re.I),
    re.compile(r"^热门标签"),
    re.compile(r"^(相关文章|相关阅读|相关链接|相关推荐|相关文档|推荐阅读|猜你喜欢|延伸阅读|热门文章|最新文章)\s*([:：]|$)"),
    re.compile(r"^(上一篇|下一篇|上一条|下一条|上一页|下一页)"),
    re.compile(r"^(版权所有|主办单位|承办单位|技术支持|网站标识码|copyright|©)|ICP备|ICP证|公网安备|网站地图|联系我们$", re.I),
    re.compile(r"^分享到"),
    re.compile(r"^字号\s*[:：]"),
    re.compile(r"^([【\[（(]?\s*(分享到|分享|打印本页|打印|关闭窗口|关闭|返回顶部|我要纠错|纠错|收藏|"
               r"扫一扫|微信扫一扫|微信|微博|QQ空间|保存)\s*[:：|｜/]?\s*[】\]）)]?\s*)+$"),
    re.compile(r"(请记住我们的网址|存到桌面|设为首页|加入收藏|欢迎您访问|欢迎访问)"),
]
_FOOTER_MARK = re.compile(r"(版权所有|ICP备|公网安备|主办单位|承办单位|技术支持|网站标识码|网站地图|联系我们|Copyright|©)", re.I)
_INFO_MARK = re.compile(r"(发布时间|发布日期|发表于|来源\s*[:：]|作者\s*[:：]|阅读数|阅读次数|浏览次数|点击数|点击率|访问量|字号|分类\s*[:：])")

# Open-information metadata labels. Strong labels identify the table; weak ones are read only inside it.
_META_LABELS = {
    "索引号": "index_no",
    "发布单位": "publisher", "发布机构": "publisher", "发文机关": "publisher", "发文单位": "publisher",
    "发布机关": "publisher", "公开主体": "publisher",
    "发文日期": "date", "发布日期": "date", "成文日期": "date", "公开日期": "date", "生成日期": "date",
    "文号": "doc_no", "发文字号": "doc_no", "文件编号": "doc_no",
    "主题分类": None, "主题词": None, "时效": None, "有效性": None, "体裁分类": None, "组配分类": None,
    "公开方式": None, "公开范围": None, "信息类别": None, "所属机构": None, "公开时限": None,
}
_WEAK_LABELS = {"标题": "title", "名称": "title", "文件名称": "title", "信息名称": "title", "发布时间": "date"}
_DATE_PRIORITY = ["发文日期", "发布日期", "成文日期", "公开日期", "生成日期", "发布时间"]


def _norm_label(s: str) -> str:
    return re.sub(r"[\s\xa0\u3000:：]+", "", s)


def iso_date(s: str) -> str:
    m = re.search(r"(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})", s)
    if m:
        y, mo, d = (int(x) for x in m.groups())
        if 1 <= mo <= 12 and 1 <= d <= 31:
            return f"{y:04d}-{mo:02d}-{d:02d}"
    return s.strip()


def _decode(data: bytes, hint: str | None) -> tuple[str, str]:
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return decode_bytes(data)
    declared = hint
    if not declared:
        m = _CHARSET.search(data[:8192])
        if m:
            declared = (m.group(1) or m.group(2)).decode("ascii", "ignore")
    if declared:
        enc = _ALIASES.get(declared.lower(), declared.lower())
        if enc.replace("-", "").replace("_", "") not in ("utf8", "utf8sig") and not data.isascii():
            # A page declared iso-8859-1 / gbk but saved as UTF-8: non-ASCII bytes that are
            # strictly valid UTF-8 are almost never another encoding.
            try:
                return data.decode("utf-8"), "utf-8"
            except UnicodeDecodeError:
                pass
        try:
            return data.decode(enc), enc
        except (UnicodeDecodeError, LookupError):
            pass  # the declaration lies; detect instead
    try:
        return decode_bytes(data)
    except InputError:
        if declared:
            enc = _ALIASES.get(declared.lower(), declared.lower())
            try:
                return data.decode(enc, errors="replace"), enc
            except LookupError:
                pass
        raise


def _text_of(el) -> str:
    return re.sub(r"\s+", " ", el.text_content() or "").strip()


def _remove(el) -> None:
    """Drop an element but keep its tail text."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _label_value(el, label: str) -> str:
    m = re.match(r"^\s*" + r"\s*".join(map(re.escape, label)) + r"\s*[:：]?\s*(.*)$", _text_of(el))
    if m and m.group(1).strip():
        return m.group(1).strip()  # "索引号：0144/2021-00807" in one element
    # <td><b>索引号</b></td><td>value</td>: climb to the outermost element that is just the label
    while el.getparent() is not None and _norm_label(_text_of(el.getparent())) == label:
        el = el.getparent()
    tail = (el.tail or "").strip(" \t\r\n\xa0\u3000:：")
    if tail:
        return tail
    nxt = el.getnext()
    return _text_of(nxt) if nxt is not None else ""


def _find_labels(root, labels: dict) -> list[tuple[object, str]]:
    found = []
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag in ("html", "body", "table", "tbody", "tr", "ul", "ol", "dl"):
            continue
        own = _text_of(el)
        if not own or len(own) > 80:
            continue
        norm = _norm_label(own)
        for label in labels:
            # the element is the label itself, or "label：value" in one element
            if norm == label or (re.match(re.escape(label) + r"\s*[:：]", own.replace(" ", "")) and len(el) == 0):
                found.append((el, label))
                break
    # keep innermost matches only (<td><b>索引号</b></td> matches twice)
    inner = []
    els = {id(e) for e, _ in found}
    for el, label in found:
        if not any(id(d) in els for d in el.iterdescendants()):
            inner.append((el, label))
    return inner


def _common_ancestor(els):
    paths = []
    for el in els:
        chain = [el] + list(el.iterancestors())
        paths.append(list(reversed(chain)))
    common = None
    for nodes in zip(*paths):
        if all(n is nodes[0] for n in nodes):
            common = nodes[0]
        else:
            break
    return common


def _read_meta(root) -> tuple[dict, bool]:
    """Metadata from a 政府信息公开 table; removes that table from the tree."""
    strong = _find_labels(root, _META_LABELS)
    if len({lab for _, lab in strong}) < 2:
        return {}, False
    box = _common_ancestor([el for el, _ in strong])
    small = box is not None and len(_text_of(box)) <= 800 and box.tag not in ("html", "body")
    hits = _find_labels(box, {**_META_LABELS, **_WEAK_LABELS}) if small else strong
    values: dict[str, str] = {}
    for el, label in hits:
        v = _label_value(el, label)
        if v and _norm_label(v) not in _META_LABELS and _norm_label(v) not in _WEAK_LABELS:
            values.setdefault(label, v)
    meta = {}
    for label, v in values.items():
        key = _META_LABELS.get(label) or _WEAK_LABELS.get(label)
        if key and key != "date":
            meta.setdefault(key, v)
    for label in _DATE_PRIORITY:
        if label in values:
            meta["date"] = iso_date(values[label])
            break
    if small:
        _remove(box)
    else:  # scattered labels: drop their own small rows
        for el, _ in hits:
            row = next((a for a in [el] + list(el.iterancestors()) if a.tag in ("tr", "li", "p", "dl")), None)
            if row is not None and row.getparent() is not None and len(_text_of(row)) <= 200:
                _remove(row)
    return meta, True


def _strip_chrome(body) -> bool:
    removed = False
    top = body.getroottree().getroot()
    for el in list(body.iter()):  # scripts, styles, comments first: they would skew the text total
        if el.getparent() is not None and (not isinstance(el.tag, str) or el.tag in _DROP_TAGS):
            removed |= isinstance(el.tag, str) and el.tag not in _SILENT_TAGS and bool(_text_of(el))
            _remove(el)
    total = len(_text_of(body)) or 1

    def attached(el) -> bool:  # not inside a subtree removed earlier
        root = el
        for root in el.iterancestors():
            pass
        return root is top

    for el in list(body.iter()):
        if el.getparent() is None or el is body or not attached(el):
            continue
        if (_chrome_class(el) or _site_header(el)) and len(_text_of(el)) < total * 0.4:
            removed |= bool(_text_of(el))
            _remove(el)
    # link lists: blocks whose text is mostly links (menus, related articles)
    for el in list(body.iter("ul", "ol", "div", "table", "dl", "p", "td", "section", "span")):
        if el.getparent() is None or not attached(el):
            continue
        links = el.findall(".//a")
        if len(links) < 2:
            continue
        text = len(re.sub(r"\s", "", el.text_content() or ""))
        linked = sum(len(re.sub(r"\s", "", a.text_content() or "")) for a in links)
        if text and linked / text > 0.6 and text < total * 0.4:
            removed = True
            _remove(el)
    return removed


def _is_data_table(tbl) -> bool:
    """A real table (rows of short cells), not a page-layout table."""
    if tbl.find(".//table") is not None:
        return False
    cells = tbl.findall(".//td") + tbl.findall(".//th")
    if not cells or max(len(_text_of(c)) for c in cells) > 200:
        return False
    if any(c.find(f".//{t}") is not None for c in cells for t in ("br", "p", "div", "ul", "li")):
        return False
    return any(len([c for c in tr if isinstance(c.tag, str) and c.tag in ("td", "th")]) >= 2 for tr in tbl.iter("tr"))


class _Lines:
    def __init__(self):
        self.lines: list[tuple[str, str]] = []  # (text, tag)
        self.buf: list[str] = []
        self.tag = "p"

    def add(self, s: str | None) -> None:
        if not s:
            return
        # collapse source line breaks: between Chinese characters they are not spaces
        s = re.sub(r"[ \t\r]*\n[ \t\r\n]*", "\n", s)
        s = re.sub(r"(?<=[\u3000-\u9fff\uff00-\uffef])\n(?=[\u3000-\u9fff\uff00-\uffef])", "", s)
        self.buf.append(re.sub(r"[ \t\r\n]+", " ", s))

    def br(self, tag: str | None = None) -> None:
        text = "".join(self.buf).strip(" \t\r\n\xa0\u3000")
        if text:
            self.lines.append((text, self.tag))
        self.buf = []
        if tag:
            self.tag = tag


def _walk(root, out: _Lines) -> None:
    """Lines of the tree in document order; iterative, so deep nesting cannot overflow."""
    stack = [("el", root)]
    while stack:
        kind, el = stack.pop()
        if kind == "tail":
            out.add(el.tail)
            continue
        if kind == "end":
            out.br("p")
            continue
        if not isinstance(el.tag, str):
            continue  # comment or processing instruction: its tail is added as the parent's child
        tag = el.tag
        if tag == "br":
            out.br()
            continue
        if tag == "table" and _is_data_table(el):
            out.br("table")
            for tr in el.iter("tr"):
                cells = [_text_of(c) for c in tr if isinstance(c.tag, str) and c.tag in ("td", "th")]
                if any(cells):
                    out.buf = [" | ".join(cells)]
                    out.br("table")
            out.br("p")
            continue
        block = tag in _BLOCK
        if block:
            out.br(tag if tag in _HEADINGS else "p")
            stack.append(("end", el))
        out.add(el.text)
        for child in reversed(el):
            stack.append(("tail", child))
            stack.append(("el", child))


_TAG = re.compile(r"<[^>]*>")
_SCRIPT = re.compile(r"<(script|style)\b.*?</\1\s*>", re.I | re.S)
_OPEN_RUN = re.compile(r"(?:<[a-zA-Z][\w:-]*(?:\s[^<>]*)?>\s*){64,}")
_CLOSE_RUN = re.compile(r"(?:</[a-zA-Z][\w:-]*\s*>\s*){64,}")


def _chars(s: str) -> int:
    return len(s) - sum(s.count(c) for c in " \t\r\n\xa0\u3000")


def _parse(text: str):
    """Parse with lxml (huge_tree lifts libxml2's 255-level depth limit to about 2,000). When
    the tree still lost most of the text (deeper nesting), runs of 64+ tags are collapsed into
    one element each and the page is parsed again."""
    import lxml.html
    parser = lxml.html.HTMLParser(huge_tree=True)
    root = lxml.html.document_fromstring(text, parser=parser)
    visible = _chars(_TAG.sub("", _SCRIPT.sub("", text)))
    got = _chars(root.text_content() or "")
    if visible and got < visible * 0.5 and (_OPEN_RUN.search(text) or _CLOSE_RUN.search(text)):
        flat = _CLOSE_RUN.sub("</div>", _OPEN_RUN.sub("<div>", text))
        root = lxml.html.document_fromstring(flat, parser=parser)
    return root


def _boiler_line(line: str) -> bool:
    if len(line) > 120:
        return False
    if len(line) <= 60 and any(p.search(line) for p in _BOILER_LINE):
        return True
    if len(set(_FOOTER_MARK.findall(line))) >= 2:
        return True
    return len(line) <= 100 and len(set(_INFO_MARK.findall(line))) >= 2


def _head_meta(root) -> dict:
    meta = {}
    for m in root.iter("meta"):
        name = (m.get("name") or "").lower()
        content = (m.get("content") or "").strip()
        if not content:
            continue
        if name == "articletitle":
            meta.setdefault("title", content)
        elif name == "pubdate":
            meta.setdefault("date", iso_date(content))
        elif name == "contentsource":
            meta.setdefault("publisher", content)
    return meta


def _trafilatura_text(html_text: str) -> str:
    try:
        import trafilatura  # optional: needs lxml_html_clean on lxml >= 5.2
    except ImportError:
        return ""
    try:
        return trafilatura.extract(html_text, include_tables=True, favor_recall=True, deduplicate=False) or ""
    except Exception:
        return ""


def read_html(data: bytes, source: str, charset: str | None = None) -> RawDoc:
    from lxml import etree

    text, enc = _decode(data, charset)
    check_length(len(text) // 4)   # markup is at least a few times its text
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    # Characters XML forbids: lxml refuses them in text set later (tails of removed elements).
    text = _XML_ILLEGAL.sub("", text)
    try:
        root = _parse(text)
    except (etree.ParserError, ValueError):
        raise InputError("网页中没有正文文字") from None
    head = _head_meta(root)
    meta, meta_removed = _read_meta(root)
    for k, v in head.items():
        meta.setdefault(k, v)
    body = root.find("body")
    if body is None:
        body = root
    removed = _strip_chrome(body) or meta_removed

    out = _Lines()
    _walk(body, out)
    out.br()
    lines = []
    for line, tag in out.lines:
        if _boiler_line(line):
            removed = True
        else:
            lines.append((line, tag))
    if sum(len(t) for t, _ in lines) < 30:
        alt = _trafilatura_text(text)
        if len(alt) >= 200:   # only a real article is worth the fallback
            lines = [(ln.strip(), "p") for ln in alt.splitlines() if ln.strip()]
    if not lines:
        raise InputError("网页中没有正文文字")

    blocks, pos, parts = [], 0, []
    for line, tag in lines:
        kind = "heading" if tag in _HEADINGS else ("table" if tag == "table" else "text")
        blocks.append(Block(pos, pos + len(line), kind=kind, style=tag))
        parts.append(line)
        pos += len(line) + 1
    notes = [dict(NOTE)] if removed else []
    return RawDoc(source=source, format="html", text="\n".join(parts), encoding=enc,
                  blocks=blocks, meta=meta, notes=notes)


def read_mhtml(data: bytes, source: str) -> RawDoc:
    """A saved web page (.mht/.mhtml): read its first text/html part."""
    try:
        msg = email.message_from_bytes(data, policy=email.policy.compat32)
    except Exception:
        raise InputError("MHTML 文件已损坏，无法解析") from None
    for part in msg.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True)
            if payload:
                return read_html(payload, source, charset=part.get_content_charset())
    raise InputError("MHTML 文件中没有找到网页正文（text/html 部分）")
