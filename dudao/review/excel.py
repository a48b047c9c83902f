"""review.xlsx: the review pack's workbook.

Written in openpyxl's write-only (streaming) mode with named styles registered once, so its cost
grows with the number of cells, not with style look-ups per cell. Every sheet: region first, a
header row with a filter, frozen panes, landscape printing fitted to the page width with the
header rows repeated on each page; numbers are numbers, with thousands separators and units.
"""
from __future__ import annotations

import copy
import re
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter

from dudao.atomic import atomic_path
from dudao.codepoints import columns
from dudao.review.model import SEVERITY_LABELS, Pack, indicator_matrix
from dudao.review.themes import problem_quote, vocabulary

MAX_CELL = 32000
MAX_PASSAGES = 5000          # passage rows in 雷同段落 (the HTML pages show every passage)
WIDTH_SAMPLE = 400           # rows read to size a column
# Characters an .xlsx cell cannot hold (XML 1.0): C0 controls, U+FFFE/U+FFFF, lone surrogates.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
SEV_ORDER = {"error": 0, "warning": 1, "info": 2}

THIN = Side(style="thin", color="B7C3D0")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
TOP = Alignment(vertical="top")
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _style(name, font=None, fill=None, alignment=TOP, number_format="General") -> NamedStyle:
    st = NamedStyle(name=name)
    st.font = font or Font(name="等线", size=10)
    if fill is not None:
        st.fill = fill
    st.alignment, st.border, st.number_format = alignment, BORDER, number_format
    return st


STYLES = [
    _style("表头", Font(name="等线", size=10, bold=True, color="FFFFFF"), PatternFill("solid", fgColor="1F3A5F"), CENTER),
    _style("标准行", Font(name="等线", size=10, bold=True, color="1F3A5F"), PatternFill("solid", fgColor="DCE4EE"), CENTER),
    _style("文本"),
    _style("文本换行", alignment=WRAP),
    _style("灰色", Font(name="等线", size=10, color="808080")),
    _style("链接", Font(name="等线", size=10, color="1F5FAF", underline="single")),
    _style("整数", number_format="#,##0"),
    _style("百分比", number_format="0.0%"),
    _style("加减分", Font(name="等线", size=10, bold=True), number_format="+0.##;-0.##;0"),
    _style("严重", Font(name="等线", size=10, bold=True, color="C0392B")),
    _style("警告", Font(name="等线", size=10, bold=True, color="B9770E")),
    _style("提示", Font(name="等线", size=10, color="2874A6")),
    _style("说明", Font(name="等线", size=10, italic=True, color="555555")),
]
SEV_STYLE = {"error": "严重", "warning": "警告", "info": "提示"}
OK_FILL = PatternFill("solid", fgColor="C6EFCE")
BAD_FILL = PatternFill("solid", fgColor="FFC7CE")


class _Styles:
    """Named styles of one workbook; number styles per unit are added on first use."""

    def __init__(self, wb: Workbook):
        self.wb, self.names = wb, set()
        for st in STYLES:
            wb.add_named_style(st)
            self.names.add(st.name)

    def number(self, unit: str, integer: bool, ok: bool | None = None) -> str:
        """'#,##0"万元"' style names, green/red when a standard is met/missed."""
        name = f"数值|{unit}|{'int' if integer else 'dec'}|{ok}"
        if name not in self.names:
            u = unit.replace('"', "")
            fmt = ("#,##0" if integer else "#,##0.0###") + (f'"{u}"' if u else "")
            font = Font(name="等线", size=10, bold=ok is False,
                        color="006100" if ok is True else "9C0006" if ok is False else None)
            fill = OK_FILL if ok is True else BAD_FILL if ok is False else None
            self.wb.add_named_style(_style(name, font, fill, TOP, fmt))
            self.names.add(name)
        return name


def clean(value):
    """A cell value an .xlsx can hold: XML-illegal characters removed, long text capped."""
    if isinstance(value, str):
        value = _ILLEGAL.sub("", value)
        if len(value) > MAX_CELL:
            value = value[:MAX_CELL] + "…（已截断）"
    return value


def _width(value) -> float:
    if value is None:
        return 0
    line = max(str(value).split("\n"), key=len)
    return columns(line)


class Sheet:
    """One sheet, written row by row. Rows are (value, style name, extras) triples collected first
    so column widths can be set before the stream starts."""

    def __init__(self, wb: Workbook, title: str, headers: list[str], widths: dict[int, float] | None = None):
        self.wb, self.title, self.headers, self.widths = wb, title, headers, widths or {}
        self.rows: list[list[tuple]] = []
        self.top: list[list[tuple]] = []     # rows above the header (e.g. the standards row)
        self.notes: list[str] = []
        self._styled: dict = {}                # style name → openpyxl style array

    def add(self, row: list[tuple]) -> None:
        self.rows.append(row)

    def write(self) -> None:
        ws = self.wb.create_sheet(self.title)
        n = len(self.headers)
        header_row = len(self.top) + 1
        for c in range(1, n + 1):
            w = self.widths.get(c)
            if w is None:
                sample = [self.headers[c - 1]] + [r[c - 1][0] for r in self.rows[:WIDTH_SAMPLE] if c - 1 < len(r)]
                w = max(6, min(60, max(_width(v) for v in sample) + 2))
            ws.column_dimensions[get_column_letter(c)].width = w
        ws.freeze_panes = f"B{header_row + 1}"
        ws.print_title_rows = f"1:{header_row}"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = "9"   # A4
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.gridLines = False
        ws.oddFooter.center.text = "第 &P 页，共 &N 页"
        last = header_row + len(self.rows)
        ws.auto_filter.ref = f"A{header_row}:{get_column_letter(n)}{max(last, header_row)}"
        for row in self.top:
            ws.append([self._cell(ws, *c) for c in row])
        ws.row_dimensions[header_row].height = 30
        ws.append([self._cell(ws, h, "表头") for h in self.headers])
        for row in self.rows:
            ws.append([self._cell(ws, *c) for c in row])
        if self.notes:
            ws.append([])
            for note in self.notes:
                ws.append([self._cell(ws, note, "说明")])

    def _cell(self, ws, value, style="文本", link=None, comment=None):
        cell = WriteOnlyCell(ws, value=clean(value))
        if isinstance(value, str):
            cell.data_type = "s"     # report text starting with "=" is text, never a formula
        # openpyxl resolves a named style by scanning every style name for every cell; the style
        # array it leaves on the cell is the same each time, so each name is resolved once
        known = self._styled.get(style)
        if known is None:
            cell.style = style
            self._styled[style] = copy.copy(cell._style)
        else:
            cell._style = copy.copy(known)
        if link:
            cell.hyperlink = link
        if comment:
            cell.comment = Comment(clean(comment), "dudao", width=320, height=110)
        return cell


def write_workbook(pack: Pack, path: Path, progress=None) -> Path:
    """Write review.xlsx atomically; one progress unit per sheet."""
    sheets = [_overview, _indicators, _findings, _problems, _scores, _copies, _passages]
    if pack.scores:
        sheets += [_framework_scores, _framework_points]
    if pack.previous:
        sheets.append(_previous)
    if progress is not None:
        progress.stage("生成 Excel 汇总表", len(sheets))
    wb = Workbook(write_only=True)
    styles = _Styles(wb)
    for make in sheets:
        make(wb, pack, styles).write()
        if progress is not None:
            progress.advance(1)
    path = Path(path)
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return path


def _lead(e) -> list[tuple]:
    return [(e.region_full, "文本"), (e.source, "文本"), (e.index, "整数")]


def _overview(wb, pack: Pack, styles) -> Sheet:
    headers = ["地区", "标题", "工作年度", "文档类型", "自评总分", "等级", "字数", "严重", "警告", "提示", "雷同比例",
               "详情页", "行政区划代码", "文件", "篇序"]
    sh = Sheet(wb, "总览", headers, {1: 24, 2: 40, 4: 16, 12: 14, 14: 36})
    for e in pack.entries:
        s = e.self_score
        counts = e.severity_counts()
        grey = not e.relevant
        text = "灰色" if grey else "文本"
        sev = [(counts[k], SEV_STYLE[k] if counts[k] and not grey else "整数") for k in ("error", "warning", "info")]
        sh.add([(e.region_full, text), (e.title, "灰色" if grey else "文本换行"), (e.report.get("work_year"), text),
                (e.doc_type_label, text), (s.get("total"), text), (s.get("grade"), text), (e.word_count, "整数"),
                *sev, (round(e.copy_ratio, 4), "百分比"), ("打开", "链接", e.page),
                ((e.region or {}).get("adcode"), text), (e.source, text), (e.index, "整数")])
    return sh


def _indicators(wb, pack: Pack, styles) -> Sheet:
    m = indicator_matrix(pack.entries)
    lead = ["地区", "文件", "篇序", "工作年度"]
    headers = lead + [f"{c['label']}（{c['unit']}）" if c["unit"] else c["label"] for c in m["columns"]]
    widths = {1: 22, 2: 30, 3: 6, 4: 9, **{k: 16 for k in range(len(lead) + 1, len(headers) + 1)}}
    sh = Sheet(wb, "指标对比", headers, widths)
    # the standards sit above the header row, so the filter is on the header itself
    sh.top.append([("国家标准", "标准行")] + [("", "标准行")] * (len(lead) - 1) + [
        (f"{c['standard']}" if c["rule"] else "无国家标准", "标准行", None,
         f"国家标准：{c['standard']}\n依据：{c['source']}" if c["rule"] else None) for c in m["columns"]])
    for row in m["rows"]:
        e = row["entry"]
        cells = [(e.region_full, "文本"), (e.source, "文本"), (e.index, "整数"), (e.report.get("work_year"), "文本")]
        for col in m["columns"]:
            d = row["cells"].get(col["key"])
            if not d:
                cells.append((None, "文本"))
                continue
            v = d["value"]
            integer = isinstance(v, int) or (isinstance(v, float) and v.is_integer())
            comment = (f"未达到国家标准（{col['standard']}）\n原文：{d['ind'].get('quote', '')}"
                       if d["ok"] is False else None)
            cells.append((v, styles.number(col["unit"] or "", integer, d["ok"]), None, comment))
        sh.add(cells)
    sh.notes = ["说明：只列报告所述的本地区实际数（不含目标值和外地数据）；绿色＝达到国家标准，红色＝未达到国家标准，"
                "无底色＝无国家标准或口径无法比较。",
                "一般公共预算教育支出统一换算为万元；社会公众满意度按百分制（10 分制的分数已乘以 10）；"
                "生均公用经费在东部省份按东部标准判断。"]
    return sh


def _findings(wb, pack: Pack, styles) -> Sheet:
    headers = ["地区", "文件", "篇序", "级别", "问题", "说明", "原文摘录", "依据", "代码"]
    sh = Sheet(wb, "发现", headers, {1: 22, 2: 28, 3: 6, 4: 7, 5: 18, 6: 50, 7: 50, 8: 36, 9: 18})
    for e in pack.entries:
        for f in sorted(e.report.get("findings") or [], key=lambda f: (SEV_ORDER.get(f.get("severity"), 9), f.get("start", 0))):
            sev = f.get("severity")
            sh.add(_lead(e) + [(SEVERITY_LABELS.get(sev, sev), SEV_STYLE.get(sev, "文本")),
                               (f.get("title"), "文本换行"), (f.get("message"), "文本换行"),
                               ((f.get("quote") or "").strip() or "（全文）", "文本换行"), (f.get("source"), "文本换行"),
                               (f.get("code"), "文本")])
    return sh


def _problems(wb, pack: Pack, styles) -> Sheet:
    headers = ["地区", "文件", "篇序", "序号", "问题", "主题", "原文（含说明）"]
    sh = Sheet(wb, "问题清单", headers, {1: 22, 2: 28, 3: 6, 4: 6, 5: 36, 6: 22, 7: 70})
    assignments = pack.themes.get("assignments", {})
    vocab = vocabulary()
    for e in pack.relevant:
        themes = assignments.get(e.id, {}).get("problems", [])
        for k, p in enumerate(e.report.get("problems") or [], 1):
            tids = themes[k - 1] if k - 1 < len(themes) else []
            sh.add(_lead(e) + [(k, "整数"), (p.get("text"), "文本换行"),
                               ("、".join(vocab.by_id(t).name for t in tids), "文本"),
                               (problem_quote(e.text, p, 200), "文本换行")])
    return sh


def _scores(wb, pack: Pack, styles) -> Sheet:
    headers = ["地区", "文件", "篇序", "自评总分", "等级", "观测点", "扣/加分", "理由"]
    sh = Sheet(wb, "自评得分", headers, {1: 22, 2: 28, 3: 6, 4: 9, 5: 7, 6: 16, 7: 9, 8: 70})
    for e in pack.entries:
        s = e.self_score
        if not s:
            continue
        items = s.get("items") or [{"label": None, "delta": None, "reason": "报告未列明扣分或加分的观测点"}]
        for it in items:
            d = it.get("delta")
            sh.add(_lead(e) + [(s.get("total"), "文本"), (s.get("grade"), "文本"), (it.get("label") or "（未写明）", "文本"),
                               (d, "加减分" if isinstance(d, (int, float)) else "文本"), (it.get("reason") or "", "文本换行")])
    return sh


def _pairs(pack: Pack) -> list[dict]:
    return sorted(pack.copies.get("pairs") or [], key=lambda p: -(p.get("shared_chars") or 0))


def _copies(wb, pack: Pack, styles) -> Sheet:
    """One row per pair of reports: shares, the number of passages and the longest one."""
    headers = ["报告A", "报告B", "雷同字数", "占A比例", "占B比例", "雷同段落数", "其中套话", "最长段落（A）", "A 详情页", "B 详情页"]
    sh = Sheet(wb, "雷同检测", headers, {1: 26, 2: 26, 3: 9, 4: 9, 5: 9, 6: 9, 7: 9, 8: 70, 9: 10, 10: 10})
    for p in _pairs(pack):
        passages = p.get("passages") or []
        own = [x for x in passages if not x.get("boilerplate")]
        longest = max(own or passages, key=lambda x: x.get("chars") or 0, default=None)
        ea, eb = pack.by_id.get(p["a"]), pack.by_id.get(p["b"])
        sh.add([(pack.label_of(p["a"]), "文本换行"), (pack.label_of(p["b"]), "文本换行"),
                (sum(x.get("chars") or 0 for x in own), "整数"),
                (p.get("a_ratio"), "百分比"), (p.get("b_ratio"), "百分比"), (len(passages), "整数"),
                (len(passages) - len(own), "整数"), ((longest or {}).get("a_text") or "", "文本换行"),
                ("打开" if ea else "", "链接", ea.page if ea else None), ("打开" if eb else "", "链接", eb.page if eb else None)])
    return sh


def _passages(wb, pack: Pack, styles) -> Sheet:
    headers = ["报告A", "报告B", "字数", "是否套话", "原文A", "原文B"]
    sh = Sheet(wb, "雷同段落", headers, {1: 26, 2: 26, 3: 7, 4: 9, 5: 60, 6: 60})
    total = 0
    for p in _pairs(pack):
        for x in p.get("passages") or []:
            total += 1
            if total > MAX_PASSAGES:
                continue
            sh.add([(pack.label_of(p["a"]), "文本换行"), (pack.label_of(p["b"]), "文本换行"),
                    (x.get("chars") or (x["a_end"] - x["a_start"]), "整数"),
                    ("是" if x.get("boilerplate") else "否", "灰色" if x.get("boilerplate") else "文本"),
                    (x.get("a_text") or "", "文本换行"), (x.get("b_text") or "", "文本换行")])
    if total > MAX_PASSAGES:
        sh.notes = [f"说明：共 {total} 处雷同段落，此表列出字数最多的报告对中的前 {MAX_PASSAGES} 处；"
                    f"其余见各报告的网页（reports/）。"]
    return sh


# --- framework scoring (--framework --scores) and last round's problems (--previous) -----------

def _entry_links(pack: Pack, ids: list[str]) -> tuple:
    """The first matched report's page as a link cell; "未匹配" when no report has the region."""
    es = [pack.by_id[i] for i in ids if i in pack.by_id]
    if not es:
        return ("未匹配到报告", "灰色")
    return ("、".join(f"{e.n}" for e in es), "链接", es[0].page)


def _framework_scores(wb, pack: Pack, styles) -> Sheet:
    """One row per region of the scoring sheet: self and verified totals and grades side by side,
    with the total the region's report states (its extracted self_score)."""
    res = pack.scores
    headers = ["地区", "报告自述总分", "评分表自评总分", "核定总分", "核定基础分（折算后）", "核定加分（封顶后）", "扣分",
               "自评等次", "核定等次", "否决/降等", "不适用观测点", "自评可信度", "未核定观测点", "问题", "报告详情页"]
    sh = Sheet(wb, "评分", headers, {1: 18, 10: 30, 11: 18, 13: 18, 14: 50, 15: 12})
    for r in res["regions"]:
        stated = [pack.by_id[i].self_score.get("total") for i in r["entries"] if i in pack.by_id]
        stated = [v for v in stated if v is not None]
        sh.add([(r["region"], "文本"), ("、".join(f"{v:g}" for v in stated) or None, "文本"),
                (r["self_total"], "文本"), (r["verified_total"], "文本"), (r["verified_base"], "文本"),
                (r["bonus"], "文本"), (r["deducted"], "文本"), (r["self_grade"], "文本"), (r["grade"], "文本"),
                ("；".join(g["name"] for g in r["gates"]), "文本换行"), ("、".join(r["not_applicable"]), "文本"),
                (r["credibility"], "百分比"), ("、".join(r["unverified"]), "文本"),
                ("；".join(r["errors"]), "文本换行"), _entry_links(pack, r["entries"])])
    sh.notes = [f"说明：指标体系“{res['framework']['name']}”；评分表 {res.get('sheet', '')}。",
                res["credibility_formula"],
                "核定总分 = 适用观测点核定得分之和 × 满分 ÷ 适用观测点分值之和（不适用折算） + min(核定加分之和, 加分上限)。"]
    sh.notes += [f"评分表问题：{p}" for p in res.get("problems") or []]
    return sh


def _framework_points(wb, pack: Pack, styles) -> Sheet:
    headers = ["地区", "编号", "观测点", "分值", "自评得分", "核定得分", "自评−核定", "实测值", "不适用", "扣分原因"]
    sh = Sheet(wb, "评分明细", headers, {1: 18, 2: 8, 3: 36, 10: 50})
    for r in pack.scores["regions"]:
        for p in r["points"] + r["bonus_items"]:
            gap = round(p["self"] - p["verified"], 2) if p["self"] is not None and p["verified"] is not None else None
            sh.add([(r["region"], "文本"), (p["id"], "文本"), (p["name"], "文本换行"), (p["max"], "文本"),
                    (p["self"], "文本"), (p["verified"], "文本"), (gap, "加减分" if gap else "文本"),
                    (p.get("value"), "文本"), ("是" if p.get("not_applicable") else "", "文本"),
                    (p["reason"] or "", "文本换行")])
    return sh


def _previous(wb, pack: Pack, styles) -> Sheet:
    """上轮问题整改: one row per problem of last round's letter, per report that answers it
    (columns from dudao.rectify.sheet.sheet_rows), with a link to the report's page."""
    from dudao.rectify.sheet import COLUMNS
    headers = ["地区"] + COLUMNS + ["报告详情页"]
    sh = Sheet(wb, "上轮问题整改", headers, {1: 18, 2: 6, 3: 40, 4: 10, 5: 60, 6: 30, 7: 30, 8: 24, 9: 12})
    status_style = {"persists": "严重", "not_addressed": "警告", "in_progress": "提示"}
    for e in pack.entries:
        for row in pack.previous["rows"].get(e.id, []):
            cells = [(e.region_full, "文本")]
            for c in COLUMNS:
                style = status_style.get(row["status"], "文本") if c == "整改状态" else \
                    "整数" if c == "序号" else "文本换行"
                cells.append((row[c], style))
            sh.add(cells + [("打开", "链接", e.page)])
    unmatched = pack.previous.get("unmatched") or []
    failed = pack.previous.get("failed") or []
    if unmatched:
        sh.notes.append("说明：以下上轮反馈意见未找到同一地区的本年度报告：" + "、".join(unmatched) + "。")
    if failed:
        sh.notes.append("说明：以下文件无法读取：" + "；".join(f"{f['file']}（{f['reason']}）" for f in failed) + "。")
    return sh
