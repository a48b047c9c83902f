"""review.xlsx: the review pack's workbook (Chinese sheets, frozen headers, filters, numbers as numbers)."""
from __future__ import annotations

import unicodedata
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from dudao.review.pack import SEVERITY_LABELS, Pack, indicator_matrix
from dudao.review.themes import problem_quote, vocabulary

HEADER_FILL = PatternFill("solid", fgColor="1F3A5F")
HEADER_FONT = Font(bold=True, color="FFFFFF")
SUBHEADER_FILL = PatternFill("solid", fgColor="DCE4EE")
OK_FILL = PatternFill("solid", fgColor="C6EFCE")
OK_FONT = Font(color="006100")
BAD_FILL = PatternFill("solid", fgColor="FFC7CE")
BAD_FONT = Font(color="9C0006", bold=True)
SEVERITY_FONTS = {"error": Font(color="C0392B", bold=True), "warning": Font(color="B9770E", bold=True),
                  "info": Font(color="2874A6")}
THIN = Side(style="thin", color="B7C3D0")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
MAX_CELL = 32000


def _clean(value):
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if len(value) > MAX_CELL:
            value = value[:MAX_CELL] + "…（已截断）"
    return value


def _put(ws, row: int, col: int, value, *, wrap=False, fmt: str | None = None):
    cell = ws.cell(row=row, column=col, value=_clean(value))
    if isinstance(value, str):
        cell.data_type = "s"   # report text starting with "=" is text, never a formula
    cell.alignment = WRAP if wrap else TOP
    if fmt:
        cell.number_format = fmt
    return cell


def _display_width(value) -> float:
    if value is None:
        return 0
    s = str(value)
    line = max(s.split("\n"), key=len) if s else ""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


def _header(ws, headers: list[str], row: int = 1):
    for c, h in enumerate(headers, 1):
        cell = ws.cell(row=row, column=c, value=h)
        cell.fill, cell.font, cell.alignment, cell.border = HEADER_FILL, HEADER_FONT, CENTER, BORDER
    ws.row_dimensions[row].height = 22


def _finish(ws, headers: list[str], *, header_rows: int = 1, widths: dict[int, float] | None = None,
            max_width: float = 60, freeze_col: int = 1):
    """Frozen header, filter over the table, widths from the content (capped), borders."""
    last_row = max(ws.max_row, header_rows)
    last_col = len(headers)
    ws.freeze_panes = ws.cell(row=header_rows + 1, column=freeze_col)
    ws.auto_filter.ref = f"A{header_rows}:{get_column_letter(last_col)}{last_row}"
    widths = widths or {}
    for c in range(1, last_col + 1):
        letter = get_column_letter(c)
        if c in widths:
            ws.column_dimensions[letter].width = widths[c]
            continue
        w = max((_display_width(ws.cell(row=r, column=c).value) for r in range(1, min(last_row, 400) + 1)),
                default=8)
        ws.column_dimensions[letter].width = max(6, min(max_width, w + 2))
    for r in range(header_rows + 1, last_row + 1):
        for c in range(1, last_col + 1):
            ws.cell(row=r, column=c).border = BORDER


def write_workbook(pack: Pack, path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "总览"
    _overview(ws, pack)
    _indicators(wb.create_sheet("指标对比"), pack)
    _findings(wb.create_sheet("发现"), pack)
    _problems(wb.create_sheet("问题清单"), pack)
    _scores(wb.create_sheet("自评得分"), pack)
    _copies(wb.create_sheet("雷同检测"), pack)
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    wb.save(tmp)
    tmp.replace(path)
    return path


def _overview(ws, pack: Pack):
    headers = ["文件", "篇序", "标题", "地区", "行政区划代码", "工作年度", "文档类型", "自评总分", "等级", "字数",
               "严重", "警告", "提示", "雷同比例", "详情页"]
    _header(ws, headers)
    for r, e in enumerate(pack.entries, 2):
        s = e.self_score
        counts = e.severity_counts()
        values = [e.source, e.index, e.title, e.region_full, (e.region or {}).get("adcode"),
                  e.report.get("work_year"), e.doc_type_label, s.get("total"), s.get("grade"), e.word_count,
                  counts["error"], counts["warning"], counts["info"], round(e.copy_ratio, 4), f"reports/{e.n}.html"]
        for c, v in enumerate(values, 1):
            cell = _put(ws, r, c, v, wrap=c == 3, fmt="0.0%" if c == 14 else None)
            if c in (11, 12, 13) and v:
                cell.font = SEVERITY_FONTS[("error", "warning", "info")[c - 11]]
        link = ws.cell(row=r, column=15)
        link.hyperlink = e.page
        link.font = Font(color="1F5FAF", underline="single")
        if not e.relevant:
            for c in range(1, len(headers) + 1):
                ws.cell(row=r, column=c).font = Font(color="808080")
    _finish(ws, headers, widths={1: 36, 3: 40, 4: 24, 7: 16, 15: 16}, freeze_col=2)


def _indicators(ws, pack: Pack):
    m = indicator_matrix(pack.entries)
    lead = ["地区", "文件", "篇序", "工作年度"]
    headers = lead + [f"{c['label']}（{c['unit']}）" if c["unit"] else c["label"] for c in m["columns"]]
    _header(ws, headers, row=1)
    for c in range(1, len(lead) + 1):
        ws.merge_cells(start_row=1, start_column=c, end_row=2, end_column=c)
    for k, col in enumerate(m["columns"], len(lead) + 1):
        cell = ws.cell(row=2, column=k, value=f"国家标准 {col['standard']}" if col["rule"] else "无国家标准")
        cell.fill, cell.alignment, cell.border = SUBHEADER_FILL, CENTER, BORDER
        cell.font = Font(bold=bool(col["rule"]), color="1F3A5F")
        if col["rule"]:
            ws.cell(row=1, column=k).comment = Comment(f"国家标准：{col['standard']}\n依据：{col['source']}", "dudao",
                                                       width=320, height=110)
    ws.row_dimensions[1].height = 48
    ws.row_dimensions[2].height = 30
    r = 3
    for row in m["rows"]:
        e = row["entry"]
        for c, v in enumerate([e.region_full, e.source, e.index, e.report.get("work_year")], 1):
            _put(ws, r, c, v)
        for k, col in enumerate(m["columns"], len(lead) + 1):
            cell_data = row["cells"].get(col["key"])
            if not cell_data:
                continue
            cell = _put(ws, r, k, cell_data["value"])
            cell.number_format = "0.00" if col["name"] == "校际差异系数" else "General"
            if cell_data["ok"] is True:
                cell.fill, cell.font = OK_FILL, OK_FONT
            elif cell_data["ok"] is False:
                cell.fill, cell.font = BAD_FILL, BAD_FONT
                cell.comment = Comment(f"未达到国家标准（{col['standard']}）\n原文：{cell_data['ind'].get('quote', '')}",
                                       "dudao", width=300, height=100)
        r += 1
    widths = {1: 22, 2: 30, 3: 6, 4: 9}
    for k in range(len(lead) + 1, len(headers) + 1):
        widths[k] = 14
    _finish(ws, headers, header_rows=2, widths=widths, freeze_col=2)
    note_row = ws.max_row + 2
    notes = ["说明：只列报告所述的本地区实际数（不含目标值和外地数据）；绿色＝达到国家标准，红色＝未达到国家标准，"
             "无底色＝无国家标准或口径无法比较。",
             "一般公共预算教育支出统一换算为万元；社会公众满意度按百分制（10 分制的分数已乘以 10）；"
             "生均公用经费在东部省份按东部标准判断。"]
    for k, note in enumerate(notes):
        cell = ws.cell(row=note_row + k, column=1, value=note)
        cell.font = Font(italic=True, color="555555")


def _findings(ws, pack: Pack):
    headers = ["地区", "文件", "篇序", "级别", "问题", "说明", "原文摘录", "依据", "代码"]
    _header(ws, headers)
    r = 2
    order = {"error": 0, "warning": 1, "info": 2}
    for e in pack.entries:
        for f in sorted(e.report.get("findings") or [], key=lambda f: (order.get(f.get("severity"), 9), f.get("start", 0))):
            values = [e.region_full, e.source, e.index, SEVERITY_LABELS.get(f.get("severity"), f.get("severity")),
                      f.get("title"), f.get("message"), (f.get("quote") or "").strip() or "（全文）", f.get("source"),
                      f.get("code")]
            for c, v in enumerate(values, 1):
                cell = _put(ws, r, c, v, wrap=c in (5, 6, 7, 8))
                if c == 4:
                    cell.font = SEVERITY_FONTS.get(f.get("severity"), Font())
            r += 1
    _finish(ws, headers, widths={1: 22, 2: 28, 3: 6, 4: 7, 5: 18, 6: 50, 7: 50, 8: 36, 9: 18}, freeze_col=2)


def _problems(ws, pack: Pack):
    headers = ["地区", "文件", "篇序", "序号", "问题", "主题", "原文（含说明）"]
    _header(ws, headers)
    assignments = pack.themes.get("assignments", {})
    vocab = vocabulary()
    r = 2
    for e in pack.relevant:
        themes = assignments.get(e.id, {}).get("problems", [])
        for k, p in enumerate(e.report.get("problems") or [], 1):
            tids = themes[k - 1] if k - 1 < len(themes) else []
            names = "、".join(vocab.by_id(t).name for t in tids)
            values = [e.region_full, e.source, e.index, k, p.get("text"), names, problem_quote(e.text, p, 200)]
            for c, v in enumerate(values, 1):
                _put(ws, r, c, v, wrap=c in (5, 7))
            r += 1
    _finish(ws, headers, widths={1: 22, 2: 28, 3: 6, 4: 6, 5: 36, 6: 22, 7: 70}, freeze_col=2)


def _scores(ws, pack: Pack):
    headers = ["地区", "文件", "篇序", "自评总分", "等级", "观测点", "扣/加分", "理由"]
    _header(ws, headers)
    r = 2
    for e in pack.entries:
        s = e.self_score
        if not s:
            continue
        items = s.get("items") or []
        if not items:
            items = [{"label": None, "delta": None, "reason": "报告未列明扣分或加分的观测点"}]
        for it in items:
            values = [e.region_full, e.source, e.index, s.get("total"), s.get("grade"), it.get("label") or "（未写明）",
                      it.get("delta"), it.get("reason") or ""]
            for c, v in enumerate(values, 1):
                cell = _put(ws, r, c, v, wrap=c == 8)
                if c == 7 and isinstance(v, (int, float)):
                    cell.number_format = "+0.##;-0.##;0"
                    cell.font = Font(color="9C0006" if v < 0 else "006100", bold=True)
            r += 1
    _finish(ws, headers, widths={1: 22, 2: 28, 3: 6, 4: 9, 5: 7, 6: 16, 7: 9, 8: 70}, freeze_col=2)


def _copies(ws, pack: Pack):
    headers = ["报告A", "报告B", "字数", "是否套话", "原文A", "原文B"]
    _header(ws, headers)
    r = 2
    pairs = sorted(pack.copies.get("pairs") or [], key=lambda p: -(p.get("shared_chars") or 0))
    for p in pairs:
        for x in p.get("passages") or []:
            values = [pack.label_of(p["a"]), pack.label_of(p["b"]),
                      x.get("chars") or (x["a_end"] - x["a_start"]), "是" if x.get("boilerplate") else "否",
                      x.get("a_text") or "", x.get("b_text") or ""]
            for c, v in enumerate(values, 1):
                cell = _put(ws, r, c, v, wrap=c in (1, 2, 5, 6))
                if c == 4 and v == "是":
                    cell.font = Font(color="808080")
            r += 1
    _finish(ws, headers, widths={1: 26, 2: 26, 3: 7, 4: 9, 5: 60, 6: 60}, freeze_col=1)
