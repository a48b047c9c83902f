"""Split one cleaned document into its reports (a compilation page holds several)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from dudao.resources import load_yaml

# A second report inside one file, without separators: a title line after a closing
# signature/date. Kept deliberately strict: a false split is worse than a missed one.
_TITLE = re.compile(r"^.{0,40}(?:自评报告|自查报告|情况汇报|情况报告|工作报告)(?:范文)?[\s(（\d)）]*$")
_HAS_SECTION = re.compile(r"^[一二三四五六七八九十]+、", re.M)
_SIGNOFF = re.compile(r"^(?:.{2,20}(?:人民政府|教育局|督导委员会|办公室)|\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)$")


@dataclass
class Part:
    start: int
    end: int
    label: str | None = None   # the separator line ("第三篇: …"), kept out of the report text


@lru_cache(maxsize=1)
def _separator():
    pats = load_yaml("boilerplate")["article_separators"]
    return re.compile("|".join(f"(?:{p})" for p in pats))


def _line_spans(text: str):
    pos = 0
    for line in text.split("\n"):
        yield pos, pos + len(line)
        pos += len(line) + 1


def split(text: str) -> list[Part]:
    sep = _separator()
    lines = list(_line_spans(text))
    cuts = []  # (line index, is_separator)
    for i, (s, e) in enumerate(lines):
        line = text[s:e]
        if sep.match(line):
            cuts.append((i, True))
        elif i > 2 and _TITLE.match(line) and _SIGNOFF.match(text[lines[i - 1][0]:lines[i - 1][1]]) \
                and _complete_before(text, cuts, lines, i):
            cuts.append((i, False))
    if not cuts:
        return [Part(0, len(text))]
    parts = []
    first_line = cuts[0][0]
    if first_line > 0:
        head_end = lines[first_line - 1][1]
        # Before a "第N篇" separator stands the page's intro; before a title that follows a
        # sign-off stands the previous report (already judged complete by _complete_before).
        if not cuts[0][1] or _looks_like_report(text[:head_end]):
            parts.append(Part(0, head_end))
    for k, (i, is_sep) in enumerate(cuts):
        begin_line = i + 1 if is_sep else i
        label = text[lines[i][0]:lines[i][1]] if is_sep else None
        end_line = cuts[k + 1][0] - 1 if k + 1 < len(cuts) else len(lines) - 1
        if begin_line > end_line:
            continue
        s, e = lines[begin_line][0], lines[end_line][1]
        if text[s:e].strip():
            parts.append(Part(s, e, label))
    return parts or [Part(0, len(text))]


def _complete_before(text: str, cuts, lines, i: int) -> bool:
    """A signed text before a title is a report of its own when it is long or has sections; a
    short cover letter ("现将《…自评报告》报送你们") belongs to the report that follows it."""
    start = lines[cuts[-1][0]][0] if cuts else 0
    before = text[start:lines[i][0]]
    return len(before) > 800 or (len(before) > 200 and _HAS_SECTION.search(before) is not None)


def _looks_like_report(head: str) -> bool:
    """Text before the first separator is a page's intro unless it is itself a report."""
    return len(head) > 800 and _HAS_SECTION.search(head) is not None
