"""Spreadsheets and Word tables as plain grids of cell values, merged cells filled from their anchor."""
from __future__ import annotations

import re
from pathlib import Path

from openpyxl.utils import get_column_letter

from dudao.errors import InputError
from dudao.resources import load_yaml

_SPACE = re.compile(r"\s+")
_UNIT = re.compile(r"[（(](?:分|%|％|人|元|次)[）)]$")


def terms() -> dict:
    return load_yaml("framework_terms")


def norm(value) -> str:
    """A cell as text with all white space removed (line breaks inside headers are common)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _SPACE.sub("", str(value))


def header_role(cell, vocab: dict[str, list[str]]) -> str | None:
    """Which role a header cell names (exact match after normalising, a unit suffix allowed)."""
    t = norm(cell)
    bare = _UNIT.sub("", t)
    for role, words in vocab.items():
        if t in words or bare in words:
            return role
    return None


def col(c: int) -> str:
    return get_column_letter(c + 1)


def open_workbook(path: Path):
    from openpyxl import load_workbook
    try:
        return load_workbook(path, data_only=True)
    except FileNotFoundError:
        raise InputError(f"找不到文件：{path}")
    except Exception as e:  # openpyxl raises many types for a corrupt or non-xlsx file
        raise InputError(f"无法读取 Excel 文件：{path}（{type(e).__name__}；只支持 .xlsx）")


def sheet_grid(ws) -> list[list]:
    """Rows of values; every cell of a merged range carries the range's top-left value."""
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    for rng in ws.merged_cells.ranges:
        v = ws.cell(rng.min_row, rng.min_col).value
        for r in range(rng.min_row - 1, min(rng.max_row, len(rows))):
            for c in range(rng.min_col - 1, rng.max_col):
                if c < len(rows[r]):
                    rows[r][c] = v
    return rows


def merged_across(ws) -> set[int]:
    """0-based rows where one merged cell spans the whole used width (titles, block labels, notes)."""
    out = set()
    width = ws.max_column
    for rng in ws.merged_cells.ranges:
        if rng.min_col == 1 and rng.max_col >= max(2, width - 1):
            out.update(range(rng.min_row - 1, rng.max_row))
    return out


def docx_tables(path: Path) -> tuple[list[tuple[list[list], set[int]]], list[str], list[str]]:
    """Each table of a Word file as (grid, full-width rows), the paragraphs before and after the first table."""
    import docx
    try:
        d = docx.Document(str(path))
    except FileNotFoundError:
        raise InputError(f"找不到文件：{path}")
    except Exception as e:
        raise InputError(f"无法读取 Word 文件：{path}（{type(e).__name__}；只支持 .docx）")
    tables = []
    for t in d.tables:
        grid, wide = [], set()
        for i, row in enumerate(t.rows):
            cells = [c.text.strip() for c in row.cells]
            grid.append(cells)
            if len(cells) > 1 and len({id(c._tc) for c in row.cells}) == 1:
                wide.add(i)
        tables.append((grid, wide))
    before, after, seen_table = [], [], False
    body = d.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "tbl":
            seen_table = True
        elif tag == "p" and seen_table:
            text = "".join(x.text or "" for x in child.iter() if x.tag.endswith("}t")).strip()
            if text:
                after.append(text)
        elif tag == "p":
            text = "".join(x.text or "" for x in child.iter() if x.tag.endswith("}t")).strip()
            if text:
                before.append(text)
    return tables, before, after


def number(value) -> float | None:
    """A numeric cell (numbers, or text like "3.5", "3.5分", "85%"); None when empty; ValueError otherwise."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, (int, float)):
        return float(value)
    t = norm(value).replace("％", "%")
    m = re.fullmatch(r"([-+]?\d+(?:\.\d+)?)(?:分|%|次|个|项)?", t)
    if not m:
        raise ValueError
    return float(m.group(1))
