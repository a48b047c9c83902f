"""The 问题清单 of a feedback letter (反馈意见 / 评价报告): numbered problems with their spans,
topics, cited figures, the standard each misses, and the rectification demands and deadlines."""
from __future__ import annotations

import re
from functools import lru_cache

from dudao.codepoints import columns
from dudao.extract.figures import extract_figures
from dudao.extract.sections import cn_to_int
from dudao.rectify.terms import terms, topic_name, topics_in
from dudao.rectify.units import sentences
from dudao.resources import load_yaml

_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"


@lru_cache(maxsize=1)
def _markers() -> dict[str, re.Pattern]:
    return {fam: re.compile(p) for fam, p in terms().data["item_markers"].items()}


@lru_cache(maxsize=1)
def _inline_re() -> re.Pattern:
    fams = terms().data["inline_markers"]
    return re.compile("|".join(f"(?P<{f}>{re.sub(r'[?]P<[a-z0-9]+>', '', _markers()[f].pattern)})" for f in fams))


def _number(raw: str) -> int:
    digits = re.sub(r"[^\d一二三四五六七八九十①-⑩]", "", raw)
    if digits and digits[0] in _CIRCLED:
        return _CIRCLED.index(digits[0]) + 1
    return cn_to_int(digits) or 0


def _marker_number(m: re.Match) -> int:
    g = m.groupdict()
    return _number(g.get("n") or g.get("n2") or g.get("n3") or m.group(0))


def _lines(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    end = len(text) if end is None else end
    out, pos = [], start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl < 0 else nl
        if text[pos:stop].strip():
            s = pos + len(text[pos:stop]) - len(text[pos:stop].lstrip())
            out.append((s, stop))
        pos = stop + 1
    return out


def _marker(text: str, s: int, e: int):
    """(family, number, where the words begin) of a numbered line, or None."""
    for fam, pat in _markers().items():
        m = pat.match(text, s, e)
        if m and _marker_number(m):
            return fam, _marker_number(m), m.end()
    return None


def _runs(text: str, min_len: int = 2) -> list[list[tuple[int, int, int]]]:
    """Numbered lines in sequence from one, per numbering style: [(line start, words start, line end)]."""
    runs, open_runs = [], {}
    number = terms().rx_of(terms().data["table"]["number_cell"])
    for s, e in _lines(text):
        mk = _marker(text, s, e)
        if not mk:
            continue
        cells = _cells(text, s, e)
        if len(cells) >= 2 and number.match(text[cells[0][0]:cells[0][1]].strip()):
            continue   # a table row: its cells are read by _table_runs
        fam, n, body = mk
        run = open_runs.get(fam)
        if run is not None and n == run[-1][0] + 1:
            run.append((n, s, body, e))
        elif n == 1:
            open_runs[fam] = [(1, s, body, e)]
            runs.append(open_runs[fam])
    last, family = None, None   # the run-in list of the line before, which the next paragraph may go on with
    for s, e in _lines(text):   # run-in lists: "一是A；二是B；三是C。" inside one paragraph
        fam, inline = _inline_list(text, s, e)
        if inline:
            last, family = [(k, a, a, b) for k, (a, b) in enumerate(inline, 1)], fam
            runs.append(last)
            continue
        # "第一，A。第二，B。" then, in the next paragraph, "在…方面：第三，C。第四，D。"
        more = _inline_list(text, s, e, len(last) + 1, family)[1] if last else []
        if more:
            last.extend((k, a, a, b) for k, (a, b) in enumerate(more, len(last) + 1))
        else:
            last = None
    runs.extend(_table_runs(text))
    return [[(s, b, e) for _, s, b, e in r] for r in runs if len(r) >= min_len]


def _cells(text: str, s: int, e: int, loose: bool = False) -> list[tuple[int, int]]:
    """Spans of the cells of a table row (empty cells kept, so columns line up with the header).
    `loose`: cells split by any whitespace (a table whose tabs the cleaner made single spaces)."""
    out, pos = [], s
    split = r"[ \t\u3000]+" if loose else terms().data["table"]["cell_split"]
    for m in terms().rx_of(split).finditer(text, s, e):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, e))
    if out and out[0][0] == out[0][1] and text[s] in "|｜":
        out = out[1:]   # a markdown row opens with "|"
    if out and out[-1][0] == out[-1][1]:
        out = out[:-1]
    return out


def _table_runs(text: str) -> list[list[tuple[int, int, int, int]]]:
    """Rows of a table whose first cell is a number, in sequence from one: the problem cell of
    each, as a run-in item (it extends over the next lines only where its cell wraps onto them)."""
    t = terms().data["table"]
    number, head_re, not_head, number_head = (terms().rx_of(t[k]) for k in
                                              ("number_cell", "problem_header", "not_problem_header", "number_header"))
    runs, run, column, loose, shape = [], None, None, False, None
    numcol = 0   # the column of the numbers: the first, or the one under 序号 ("类别 | 序号 | 问题描述")
    wrapped = {}   # id(run) -> [run, {item index: the item before a loose wrap}, confirmed]
    for s, e in _lines(text):
        cells = _cells(text, s, e)
        if run is not None and _wraps(text, s, cells, numcol):
            # the row above wrapped onto this line (indented, or opening with an empty cell): its
            # problem cell runs on to the end of its part here, the other columns' text between
            part = _wrapped_part(text, s, cells, run[-1], shape)
            if part is not None:
                n, a, _, _ = run[-1]
                run[-1] = (n, a, a, part[1])
            continue
        if re.fullmatch(r"[-—─=＝_\s]{3,}", text[s:e]):
            continue   # a rule line under a header ("------"), in any table
        if len(cells) < 2 and (loose or _loose_header(text, s, e)):
            # a header of short words split by single spaces ("序号 存在问题 整改时限"): its rows too
            cells, loose = _cells(text, s, e, True), True
        if loose and run is not None and _unfinished(text, run[-1][3]) and not _marker(text, s, e) \
                and not number.match(text[cells[0][0]:cells[0][1]].strip()):
            # a row wrapped onto this line, its spacing made single by the cleaner: a problem cell in
            # mid-sentence, the first after the number or the last, goes on in this line's first cell
            part = _strip(text, *cells[0]) if shape and shape[1] in (1, shape[0] - 1) else None
            if part is not None:
                rec = wrapped.setdefault(id(run), [run, {}, False])
                rec[1].setdefault(len(run) - 1, run[-1])
                n, a, _, _ = run[-1]
                run[-1] = (n, a, a, part[1])
            continue
        if len(cells) < 2:
            run, loose = None, False
            continue
        words = [text[a:b].strip() for a, b in cells]
        if all(re.fullmatch(r":?-{2,}:?|", w) for w in words):
            continue   # a markdown table's rule line "|---|---|"
        # a row under a category cell spanning rows ("              2      全市…", or "2 全市…" once
        # the cleaner dropped the indentation): the line starts at the numbers' column
        skip = numcol if numcol and number.match(words[0]) and not (
            numcol < len(words) and number.match(words[numcol])) else 0
        nc, col = numcol - skip, (column - skip if column is not None else None)
        numbered = nc < len(words) and bool(number.match(words[nc]))
        has_column = col is not None and col < len(cells) and bool(words[col])
        # "| 资源配置 | 1. 生均…不足 | … |": a category first, the number opening the problem cell
        inner = _marker(text, *cells[col]) if not numbered and has_column else None
        if not numbered and not inner:
            if loose and not _loose_header(text, s, e):
                run, loose = None, False
                continue
            # a header row: the column naming the problem
            named = [k for k, w in enumerate(words) if head_re.search(w) and not not_head.search(w)]
            # "评价内容 | 存在问题": the header naming problems before one naming content
            column = min(named, key=lambda k: (_header_rank(words[k]), k)) if named else None
            numcol = next((k for k, w in enumerate(words) if number_head.fullmatch(w)), 0)
            run = None
            continue
        n = inner[1] if inner else _number(words[nc])
        if inner:
            a, b = inner[2], cells[col][1]
        elif has_column:
            a, b = cells[col]
        else:
            a, b = max(cells[nc + 1:], key=lambda c: c[1] - c[0])
        span = _strip(text, a, b)
        if not span:
            continue
        shape = (len(cells), col if inner else cells.index((a, b)))
        if run is not None and n == run[-1][0] + 1:
            if id(run) in wrapped and len(run) - 1 in wrapped[id(run)][1]:
                wrapped[id(run)][2] = True   # a wrapped line between two rows: the table wraps
            run.append((n, span[0], span[0], span[1]))
        elif n == 1:
            run = [(1, span[0], span[0], span[1])]
            runs.append(run)
    for rows, before, confirmed in wrapped.values():
        if not confirmed:   # only after the last row: the letter's next paragraph, not a wrapped cell
            for k, item in before.items():
                rows[k] = item
    return runs


def _header_rank(word: str) -> int:
    """Which of the problem-column words (data: table.problem_header, best first) a header holds."""
    words = terms().data["table"]["problem_header"].split("|")
    return next(k for k, w in enumerate(words) if w in word)


def _unfinished(text: str, end: int) -> bool:
    """A cell ending in mid-sentence (no 。/；/！/？ at or right after its end)."""
    return not (text[end - 1:end] in _SENTENCE_END or text[end:end + 1] in _SENTENCE_END)


def _wraps(text: str, s: int, cells: list, numcol: int = 0) -> bool:
    """A line continuing a table row: indented or opening with an empty cell, with no number (in
    the numbers' column: "              2      全市…" under a category cell is the next row)."""
    words = [text[a:b].strip() for a, b in cells]
    number = terms().rx_of(terms().data["table"]["number_cell"])
    return (bool(words) and (not words[0] or s > text.rfind("\n", 0, s) + 1)
            and not any(number.match(w) for w in words[:numcol + 1]))


def _wrapped_part(text: str, s: int, cells: list, last: tuple, shape: tuple) -> tuple[int, int] | None:
    """The cell of a wrapped line in the column of the problem cell `last` (n, start, start, end)
    of its row: the cell of the same index when the line has as many cells as the row (a markdown
    or tab row keeps its empty cells, `shape` = (cells, index)), else the cell starting where the
    problem cell starts (within two characters: a pdf's space-aligned columns)."""
    if shape and len(cells) == shape[0]:
        return _strip(text, *cells[shape[1]])
    col = _column(text, last[1])
    for a, b in cells:
        if abs(_column(text, a) - col) <= 2:
            return _strip(text, a, b)
    return None


def _column(text: str, pos: int) -> int:
    """Where `pos` stands in its line as a fixed-width font shows it (a Chinese character two
    columns wide: "经费保障      1      截至…" lines up with an ASCII-indented next line)."""
    return columns(text[text.rfind("\n", 0, pos) + 1:pos])


def _loose_header(text: str, s: int, e: int) -> bool:
    """A table header whose cells are split by single spaces: three or more short words, one of
    them naming the problem column and one another column (序号, 整改时限…); or two, the numbers'
    column and the problem's ("序号 问题描述")."""
    t = terms().data["table"]
    words = text[s:e].split()
    two = len(words) == 2 and bool(terms().rx_of(t["number_header"]).fullmatch(words[0]))
    return ((len(words) >= 3 or two) and all(len(w) <= 8 for w in words)
            and any(terms().rx_of(t["problem_header"]).search(w) and not terms().rx_of(t["not_problem_header"]).search(w)
                    for w in words)
            and any(terms().rx_of(t["not_problem_header"]).search(w) for w in words))


def _inline_items(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """'一是A。二是B。' / '①A；②B' inside a paragraph, numbered in sequence from one."""
    return _inline_list(text, start, end)[1]


def _inline_list(text: str, start: int, end: int, first: int = 1, family: str | None = None):
    """(numbering family, item spans) of a run-in list in a paragraph, numbered in sequence from
    one, or from `first` in `family` (going on with the list of the paragraph before: then one
    item is enough)."""
    marks = []
    for m in _inline_re().finditer(text, start, end):
        fam, n = m.lastgroup, _number(m.group(0))
        if not n or (family and fam != family):
            continue
        if marks and marks[-1][0] == fam and n == marks[-1][1] + 1:
            marks.append((fam, n, m))
        elif n == first and len(marks) < 2:
            marks = [(fam, n, m)]
    if len(marks) < (2 if first == 1 else 1):
        return None, []
    out = []
    for k, (_, _, m) in enumerate(marks):
        stop = marks[k + 1][2].start() if k + 1 < len(marks) else end
        out.append(_strip(text, m.end(), stop))
    return marks[0][0], [se for se in out if se]


def _problem_like(item: str) -> bool:
    t = terms()
    return bool(re.search(t.data["problem_cue"], item)) and not re.search(t.data["demand_start"], item)


def _statement(item: str) -> bool:
    return "。" in item or "；" in item or len(item) > 30


def _context_score(text: str, start: int) -> float:
    """Is a run under a heading or lead-in naming problems (+), or demands/achievements (-)?"""
    t = terms().data["sections"]
    before = text[max(0, start - 160):start]
    last = before.rstrip().rsplit("\n", 1)[-1] if before.strip() else ""
    score = 0.0
    if re.search(t["problems"], last) and not re.search(t["not_problems"], last):
        score += 1.0
    if re.search(t["demands"], last) or re.search(t["not_problems"], last):
        score -= 1.0
    return score or _section_score(text, start)


def _section_score(text: str, start: int) -> float:
    """A run under category headings ("二、存在问题 （一）保障方面： 一是…"): the heading above them,
    reached back over headings and numbered items only (a plain paragraph between says nothing)."""
    t = terms().data["sections"]
    for s, e in reversed(_lines(text, 0, start)):
        line = text[s:e].strip()
        heading = len(line) <= 30 and not line.endswith(_SENTENCE_END)
        if not heading:
            if _marker(text, s, e):
                continue   # an item of an earlier list under the same heading
            return 0.0
        if re.search(t["demands"], line) or re.search(t["not_problems"], line):
            return -1.0
        if re.search(t["problems"], line):
            return 1.0
    return 0.0


def _closing() -> re.Pattern:
    """A line that ends a list: a demand, or a closing paragraph ("以上问题…", "特此…")."""
    return terms().rx_of(terms().data["demand_start"] + "|^(?:以上|上述|针对|对此|特此)")


def _item_spans(text: str, run) -> list[tuple[int, int]]:
    """Each item from its words to the end of its line, and on over the unnumbered paragraphs that
    explain it (not over a closing paragraph, a demand, a signature or a date line)."""
    out = []
    t = terms()
    closing = _closing()
    stop_line, page = t.rx_of(t.data["item_stop_line"]), t.rx_of(t.data["page_number_line"])
    levels, container = t.data["marker_levels"], t.rx_of(t.data["container_heading"])
    for k, (s, body, e) in enumerate(run):
        stop = run[k + 1][0] if k + 1 < len(run) else len(text)
        if s != body:   # run-in items end at the next marker
            own = _marker(text, s, e)
            # a heading stating a problem takes in the lower-level items under it as its details
            head = text[body:e].strip()
            level = levels.get(own[0]) if own and not head.endswith(_SENTENCE_END) and _problem_like(head) \
                and not container.match(head) else None
            for ls, le in _lines(text, e, stop):
                line = text[ls:le]
                if page.match(line):
                    continue   # a pdf's page number between two lines of the item
                # a pdf line break in mid-sentence: the line goes on whatever it looks like
                broken = not text[s:e].rstrip().endswith(_SENTENCE_END)
                short = len(line.strip()) < 20 and not line.rstrip().endswith(_SENTENCE_END)
                mk = _marker(text, ls, le)
                if mk and level is not None and levels.get(mk[0], 0) > level:
                    e = le
                    continue
                if mk or stop_line.match(line) or (not broken and (closing.search(line) or short)):
                    break
                e = le
        span = _strip(text, body, e)
        if span:
            out.append(span)
    return out


_SENTENCE_END = ("。", "；", ";", "！", "？")
_OPENING = 60


def _problem_spans(text: str) -> list[tuple[int, int]]:
    """The 问题清单: the run(s) of numbered items that most look like problems."""
    scored = []
    for run in _runs(text):
        # a heading-style item ("问题一：…" on its own line) is judged with its explanation
        items = [(text[a:b], s == body) for (a, b), (s, body, _) in zip(_item_spans(text, run), run)]
        # judged on its opening words: a whole section ("一、基本情况…") always contains a cue somewhere
        like = sum(1 for it, run_in in items if _problem_like(it[:_OPENING]) and (run_in or _statement(it)))
        context = _context_score(text, run[0][0])
        # under a heading naming problems ("二、存在的问题"), items stating them in words the cues
        # miss ("亲情电话“装而不用”", "代理家长结对负担过重") are its problems too
        if like * 2 < len(items) and not (like and context > 0):
            continue
        score = like + context
        scored.append((score, run))
    if not scored:
        return _paragraph_items(text) or _lead_in_items(text)
    best = max(scored, key=lambda x: (x[0], len(x[1])))
    # lists restarting their numbering under category headings ("（一）经费方面 1… 2… （二）… 1…")
    keep = [r for sc, r in scored if sc >= best[0] * 0.5 and _family(text, r) == _family(text, best[1])
            and _context_score(text, r[0][0]) >= 0] or [best[1]]
    if best[1] not in keep:
        keep.append(best[1])
    keep += _lone_items(text, keep, _family(text, best[1]))
    spans = sorted({sp for r in keep for sp in _item_spans(text, r)})
    # an item nested in another chosen item is dropped here and split out below
    spans = [sp for sp in spans if not any(o != sp and o[0] <= sp[0] and sp[1] <= o[1] for o in spans)]
    return [piece for sp in spans for piece in _split_run_in(text, *sp)]


def _split_run_in(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """An item holding a run-in list of problems ("（一）保障不足。一是A；二是B。") is that many
    problems: one per 一是/二是 (the lead-in naming their category is left out)."""
    out = []
    for ls, le in _lines(text, s, e):
        inline = _inline_items(text, ls, le)
        if len(inline) >= 2 and sum(_problem_like(text[a:b][:_OPENING]) for a, b in inline) * 2 >= len(inline):
            out.extend(inline)
    return out or [(s, e)]


def _paragraph_items(text: str) -> list[tuple[int, int]]:
    """No numbered list: the paragraphs under a heading naming problems ("存在的主要问题"), each a
    problem when it states one, up to the next heading, demand or closing line."""
    t = terms()
    sec = t.data["sections"]
    problems, not_problems, demands = (t.rx_of(sec[k]) for k in ("problems", "not_problems", "demands"))
    closing = _closing()
    stop_line = t.rx_of(t.data["item_stop_line"])
    out, inside = [], False
    for s, e in _lines(text):
        line = text[s:e]
        if len(line) <= 30 and not line.rstrip().endswith(_SENTENCE_END):   # a heading
            inside = bool(problems.search(line)) and not not_problems.search(line) and not demands.search(line)
            continue
        if not inside or stop_line.match(line):
            continue
        if closing.search(line):
            inside = False
            continue
        mk = _marker(text, s, e)   # a list of one: "1.…" alone under the heading
        span = _strip(text, mk[2] if mk else s, e)
        if span and _problem_like(text[span[0]:span[1]][:_OPENING]) and _statement(line):
            out.append(span)
    return out


def _lone_items(text: str, keep: list, family: str) -> list:
    """A category holding a single item ("一、经费方面 1.…" beside "二、队伍方面 1.… 2.…"): its
    item stands alone in its numbering, under a heading numbered in sequence with the headings
    of the lists kept."""
    all_runs = _runs(text, 1)

    def parent(run):
        for s, e in reversed(_lines(text, 0, run[0][0])):
            mk = _marker(text, s, e)
            if mk and mk[0] != family:
                return s
        return None
    kept_parents = {parent(r) for r in keep} - {None}
    out = []
    for run in all_runs:
        if len(run) != 1 or run in keep or _family(text, run) != family:
            continue
        s, body, e = run[0]
        p = parent(run)
        item = text[slice(*(_item_spans(text, run) or [(body, e)])[0])]
        if p is None or not _problem_like(item[:_OPENING]) or not _statement(item):
            continue
        if any(p in starts and starts & kept_parents for starts in ({x[0] for x in r} for r in all_runs)):
            out.append(run)
    return out


def _family(text: str, run) -> str:
    s, _, e = run[0]
    mk = _marker(text, s, e)
    return mk[0] if mk and mk[2] == run[0][1] else "inline"


def _strip(text: str, s: int, e: int) -> tuple[int, int] | None:
    while s < e and text[s] in " \t\u3000\r\n：:，,、":
        s += 1
    while e > s and text[e - 1] in " \t\u3000\r\n；;，,":
        e -= 1
    return (s, e) if e - s >= 4 else None


def _standard(text: str, figs: list[dict], s: int, e: int) -> list[dict]:
    """The standards a problem cites ("低于50%的国家标准") or that the indicators it names are held to
    (data/standards.yaml). Marks the cited figures with role "standard"."""
    from dudao.semantics import standard_rule
    out = []
    cue, after_cue, before_cue = terms().rx("standard_cue"), terms().rx("standard_after"), terms().rx("standard_before")
    # "仍执行每生每年600元标准": the level in force (the figure reader's own marker)
    in_force = terms().rx_of(load_yaml("indicators")["markers"]["applied_standard"])
    for f in figs:
        after = text[f["end"]:min(e, f["end"] + 10)]
        num = re.search(r"\d", f["quote"])
        at = f["start"] + (num.start() if num else 0)   # where the figure's number begins
        applied = in_force.search(text[max(s, f["start"] - 12):at])
        if (f["kind"] == "target" or cue.match(f["quote"]) or (after_cue.match(after) and not applied)
                or before_cue.search(text[max(s, f["start"] - 40):at])):
            f["role"] = "standard"
            out.append({"value": f["value"], "unit": f["unit"], "quote": f["quote"], "start": f["start"],
                        "end": f["end"], "source": "反馈意见"})
    if any(f["unit"] == "" and f.get("role") != "standard" for f in figs):
        # a coefficient's standard, a bare decimal the figure reader leaves alone ("差异系数为0.68，
        # 超出国家基本均衡0.65的标准要求")
        for x in _BARE_DECIMAL.finditer(text, s, e):
            if after_cue.match(text, x.end()) and not any(f["start"] <= x.start() < f["end"] for f in figs):
                q0 = max(text.rfind(c, s, x.start()) for c in "，,；;。") + 1
                out.append({"value": float(x.group(0)), "unit": "", "quote": text[max(q0, s):x.end()],
                            "start": max(q0, s), "end": x.end(), "source": "反馈意见"})
    for f in figs:
        if f.get("canonical") and f.get("role") != "standard":
            rule = standard_rule(f["name"], f.get("scope"))
            if rule and rule.get("op") in (">=", "<="):
                out.append({"name": f["name"], "op": rule["op"], "value": rule["limit"], "unit": rule.get("unit"),
                            "source": rule.get("source")})
    return out


_BARE_DECIMAL = re.compile(r"(?<![\d.])\d+\.\d+(?![\d.%])")
_FIG_KEYS = ("name", "scope", "kind", "value", "unit", "quote", "start", "end", "canonical", "role")


_SEMICOLON = re.compile(r"[；;]")


def _lead_in_items(text: str) -> list[tuple[int, int]]:
    """No numbered list and no problems heading: a paragraph naming its problems after a lead-in
    ("…还存在以下问题：A；B；C。"), each ；-clause a problem, up to the sentence's end."""
    lead = terms().rx("problems_lead")
    for s, e in _lines(text):
        m = lead.search(text, s, e)
        if not m:
            continue
        stop = text.find("。", m.end(), e)
        stop = e if stop < 0 else stop
        bounds = [m.end(), *(x.end() for x in _SEMICOLON.finditer(text, m.end(), stop)), stop]
        items = [sp for a, b in zip(bounds, bounds[1:]) if (sp := _strip(text, a, b))]
        like = [sp for sp in items if _problem_like(text[sp[0]:sp[1]][:_OPENING])]
        if len(items) >= 2 and len(like) * 2 >= len(items):
            return like
    return []


def extract_problems(text: str) -> list[dict]:
    """Problems of a feedback letter's 问题清单, each {text, start, end, title, topics, figures,
    standards, demands, deadlines}; spans are offsets into `text`."""
    return describe(text, _problem_spans(text))


def describe(text: str, spans: list[tuple[int, int]]) -> list[dict]:
    """Problems at given spans of `text` (e.g. the items of a letter the platform published),
    described as `extract_problems` describes the ones it finds."""
    figs_all = [f for f in extract_figures(text) if f.get("value") is not None]
    out = []
    for k, (s, e) in enumerate(spans):
        item = text[s:e]
        figs = [dict(f) for f in figs_all if s <= f["start"] and f["end"] <= e]
        standards = _standard(text, figs, s, e)
        first = sentences(text, s, e)[0]
        found = topics_in(item)
        demands, deadlines = _demands(text, s, e)
        nxt = spans[k + 1][0] if k + 1 < len(spans) and spans[k + 1][0] > e else len(text)
        more = _attached_demands(text, e, nxt)
        demands += more[0]
        deadlines += more[1]
        label = _row_label(text, s, e)
        out.append({
            "text": item, "start": s, "end": e,
            **({"label": label} if label else {}),
            "title": text[first[0]:first[1]].rstrip("。；;"),
            "topics": sorted(found["concept"] | found["indicator"]),
            "topic_names": [topic_name(x) for x in sorted(found["concept"] | found["indicator"])],
            "themes": sorted(found["theme"]),
            "figures": [{k: f[k] for k in _FIG_KEYS if k in f} for f in figs],
            "standards": standards,
            "demands": demands, "deadlines": deadlines,
        })
    return out


def _row_label(text: str, s: int, e: int) -> str:
    """For a problem that is a cell of a table row, the row's cells between its number and the
    problem ("| 1 | 每百名学生拥有…教师数 | 全市小学为4.02人… |"): what the problem is about."""
    ls = text.rfind("\n", 0, s) + 1
    le = text.find("\n", e)
    cells = _cells(text, ls, le if le >= 0 else len(text))
    if len(cells) < 3 or not any(a <= s and e <= b for a, b in cells):
        return ""
    number = terms().rx_of(terms().data["table"]["number_cell"])
    before = [text[a:b].strip() for a, b in cells if b <= s]
    return "；".join(w for w in before if w and not number.match(w))


def _attached_demands(text: str, e: int, stop: int) -> tuple[list[dict], list[dict]]:
    """The lines right after an item that state its demand ("整改要求：…", "整改时限：…"): they are
    not part of the problem's text, but its demands and deadlines."""
    t = terms()
    label, page, deadline = t.rx_of(t.data["item_stop_line"]), t.rx_of(t.data["page_number_line"]), t.rx("deadline")
    demands, deadlines = [], []
    first = text.find("\n", e, stop)
    for ls, le in (_lines(text, first, stop) if first >= 0 else []):
        if page.match(text[ls:le]):
            continue
        m = label.match(text[ls:le])   # the pattern is anchored with ^: match the line itself
        if not m:
            break
        span = _strip(text, ls + m.end(), le)
        if span:
            demands.append({"text": text[span[0]:span[1]], "start": span[0], "end": span[1]})
            deadlines += [{"text": d.group(0), "start": d.start(), "end": d.end()}
                          for d in deadline.finditer(text, span[0], span[1])]
    return demands, deadlines


def _demands(text: str, s: int, e: int) -> tuple[list[dict], list[dict]]:
    demand, deadline = terms().rx("demand"), terms().rx("deadline")
    demands, deadlines = [], []
    for a, b in sentences(text, s, e):
        sent = text[a:b]
        m = demand.search(sent)
        if m and not terms().cues["persist"].search(sent[:m.start()][-6:]):
            demands.append({"text": sent[m.start():], "start": a + m.start(), "end": b})
        for d in deadline.finditer(sent):
            deadlines.append({"text": d.group(0), "start": a + d.start(), "end": a + d.end()})
    return demands, deadlines
