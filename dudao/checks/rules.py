"""The checks. Each takes (report, scheme) and returns findings (see data/findings.yaml)."""
from __future__ import annotations

import re

from dudao.checks.registry import check, sentence_around, word_count
from dudao.checks.catalogue import make
from dudao.extract.anchored import finder
from dudao.extract.sections import numbering_breaks
from dudao.resources import load_yaml
from dudao.semantics import in_base_unit, judge, series_rules, year_of_scope


def _pattern(name: str) -> re.Pattern:
    return re.compile(load_yaml("check_patterns")[name])


@check("placeholder")
def placeholder(report, scheme):
    ph = report.get("placeholders") or []
    if not ph:
        return []
    first = ph[0]
    return [make("placeholder", first["start"], first["end"], report["text"], count=len(ph),
                 example=first["text"])]


_LIMIT_IN_TEXT = _pattern("limit_in_text")


@check("over_length")
def over_length(report, scheme):
    text = report["text"]
    limit, source = scheme.length_limit, scheme.length_limit_source or scheme.name
    if scheme.read_limit_from_text:
        # Only the writing instruction at the head of a report sets the limit ("（自评报告…字数不超过
        # 5000字。）"); a note inside the text such as "此处…字数控制在300字以内" is about one paragraph.
        m = _LIMIT_IN_TEXT.search(text, 0, 400)
        if m and int(m.group(1)) >= 1000:
            limit, source = int(m.group(1)), f"报告开头的写作要求“{m.group(0)}”"
    n = word_count(text)
    if n <= limit:
        return []
    # Point at the first character past the limit, so the reviewer sees where it runs over.
    end = min(len(text), _offset_of_word(text, limit))
    return [make("over_length", end, min(len(text), end + 20), text, count=n, limit=limit,
                 limit_source=source)]


def _offset_of_word(text: str, k: int) -> int:
    """End of the k-th CJK or full-width character (counted run by run, not one by one)."""
    from dudao.checks.registry import _CJK_RUN
    seen, k = 0, max(k, 1)
    for m in _CJK_RUN.finditer(text):
        if seen + m.end() - m.start() >= k:
            return m.start() + k - seen
        seen += m.end() - m.start()
    return len(text)


_PROBLEM_WORDS = _pattern("problem_words")


_CLOSING = _pattern("closing")
_TRUNCATED = _pattern("truncated")
_SENTENCE_END = ("。", "！", "？", "!", "?", "”", "…", "）", ")", "；")
_DATE_LINE = re.compile(r"^[（(]?\s*(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?\s*[）)]?$")


def looks_complete(report) -> bool:
    """Whether the text runs to the end of a report rather than being an opening or an excerpt:
    absence checks (no problems, no section) only make sense on a whole report."""
    text = report["text"]
    if len(text) >= 3000:
        return True
    if any("measures" in s["roles"] for s in report.get("sections") or []):
        return True
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    tail = lines[3:][-2:]   # a sign-off below the body, not the issuer line under the title
    if any(_DATE_LINE.match(ln) or ln.endswith(("人民政府", "政府")) and len(ln) <= 24 for ln in tail):
        return True
    if not lines or _TRUNCATED.search("\n".join(lines[-3:])) or not lines[-1].endswith(_SENTENCE_END):
        return False   # a page cut mid-sentence or marked as an excerpt is an opening
    return len(lines) > 3 and bool(_CLOSING.search(lines[-1]))


@check("missing_problems")
def missing_problems(report, scheme):
    if report.get("problems") or not looks_complete(report):
        return []
    if any("problems" in s["roles"] for s in report.get("sections") or []):
        return []
    if _PROBLEM_WORDS.search(report["text"]):
        return []
    return [make("missing_problems", 0, 0, report["text"])]


@check("missing_section")
def missing_section(report, scheme):
    if not looks_complete(report):
        return []
    roles = {r for s in report.get("sections") or [] for r in s["roles"]}
    out = []
    for role in scheme.required_roles:
        if role in roles:
            continue
        if role == "measures" and re.search(r"下一步|今后|努力方向|工作打算|将进一步", report["text"]):
            continue
        out.append(make("missing_section", 0, 0, report["text"], role=role,
                        role_name=scheme.role_names.get(role, role), scheme_name=scheme.name))
    return out


_PLAN_YEAR = _pattern("plan_year")


@check("stale_year")
def stale_year(report, scheme):
    wy = report.get("work_year")
    if not wy:
        return []
    out = []
    text = report["text"]
    for m in _PLAN_YEAR.finditer(text):
        year = int(m.group(1))
        if year <= wy:
            s, e = sentence_around(text, m.start(1), m.end())
            out.append(make("stale_year", m.start(1), e, text, quote=text[m.start(1):e][:40], year=year,
                            work_year=wy))
    return out


# A number token at a line start, after page furniture (—1—) or a title glued to it on a web page.
_NUMBER_AT = r"(?m)^(?:[—\-–]\s*\d+\s*[—\-–]\s*|[^\n。，；：,;:]{{0,40}}?)(?<![\d一二三四五六七八九十]){}"
_DECIMAL_OUTLINE = re.compile(r"^\s*\d+\.\d+")


def _number_token(level: int, n: int) -> str:
    cn = _CN[n] if 0 <= n <= 10 else str(n)
    return {1: f"{cn}、", 2: f"[（(]{cn}[）)]", 3: f"{n}[、.．]", 4: f"[（(]{n}[）)]"}.get(level, f"{n}[、.．]")


def _numbers_written(text: str, level: int, first: int, last: int, pos: int, end: int) -> bool:
    """Whether the numbers first..last are written between `pos` and `end` (as paragraph items the
    heading finder did not take as headings, or broken off by page furniture): then the sequence
    runs on."""
    for n in range(first, last + 1):
        m = re.compile(_NUMBER_AT.format(_number_token(level, n))).search(text, pos, end)
        if not m:
            return False
        pos = m.end()
    return True


@check("heading_numbering")
def heading_numbering(report, scheme):
    out = []
    text = report["text"]
    sections = report.get("sections") or []
    for issue in numbering_breaks(sections):
        h = issue["section"]
        parent = max((s["start"] for s in sections if s["start"] < h["start"] and s["level"] < h["level"]), default=0)
        if issue["found"] is None and _DECIMAL_OUTLINE.match(h["heading"]):
            continue   # 8.2 …: an outline numbered in decimals, a scheme of its own
        if issue["found"] is not None and issue["found"] > issue["expected"] and \
                _numbers_written(text, h["level"], issue["expected"], issue["found"] - 1, parent, h["start"]):
            continue
        found = "无序号" if issue["found"] is None else _fmt_number(h["level"], issue["found"])
        out.append(make("heading_numbering", h["start"], h["end"], report["text"], heading=h["heading"][:20],
                        expected=_fmt_number(h["level"], issue["expected"]), found=found))
    return out


_CN = "零一二三四五六七八九十"


def _fmt_number(level, n):
    cn = _CN[n] if 0 <= n <= 10 else str(n)
    return {1: f"{cn}、", 2: f"（{cn}）", 3: f"{n}.", 4: f"（{n}）"}.get(level, str(n))


@check("score_arithmetic")
def score_arithmetic(report, scheme):
    score = report.get("self_score")
    if not score:
        return []
    from dudao.extract.score import score_consistency
    out = []
    spans = score.get("spans") or {}
    for p in score_consistency(score, full_score=scheme.full_score):
        # a deduction mismatch points at the stated deduction, a total mismatch at the total
        part = p.get("part", "total")
        s, e = spans.get(part) or spans.get("total") or spans.get("base") or (0, 0)
        out.append(make("score_arithmetic", s, e, report["text"], detail=p["message"],
                        expected=p.get("expected"), stated=p.get("stated"), part=part))
    return out


@check("missing_self_score")
def missing_self_score(report, scheme):
    if not scheme.require_self_score or report.get("self_score"):
        return []
    return [make("missing_self_score", 0, 0, report["text"], scheme_name=scheme.name)]


# --- figures ---------------------------------------------------------------------------------

def _actual(report):
    return [i for i in report.get("indicators") or [] if i.get("kind") == "actual" and i.get("value") is not None]


def _scope_text(scope):
    return f"（{scope}）" if scope else ""


@check("below_standard")
def below_standard(report, scheme):
    province = (report.get("region") or {}).get("province") or report.get("province_hint")
    out = []
    changes = [c for c in report.get("changes") or [] if c.get("value") is not None]
    for ind in _actual(report) + changes:
        verdict = judge(ind, province)
        if verdict["meets"] is not False:
            continue
        rule = verdict["rule"]
        limit = rule["limit"]
        if _told_as_fall(report, ind):
            continue
        rule_text = rule.get("text") or (f"{'低于' if rule['op'] == '>=' else '高于'}国家标准"
                                         f"（{'不低于' if rule['op'] == '>=' else '不高于'}{limit}{rule['unit']}）")
        out.append(make("below_standard", ind["start"], ind["end"], report["text"], name=ind["name"],
                        scope_text=_scope_text(ind.get("scope")), value=_num(ind["value"]),
                        unit=ind.get("unit") or "", rule_text=rule_text, source=rule["source"],
                        standard=limit))
    return out


def _num(v):
    return int(v) if float(v).is_integer() else v


_EXPLAINED = _pattern("explained")
_RATE_NAMES_OVER_100_OK = set()  # none: a rate over 100% always needs its basis explained


@check("implausible_value")
def implausible_value(report, scheme):
    text = report["text"]
    out = []
    for ind in _actual(report):
        why = None
        v = ind["value"]
        if ind.get("unit") == "%" and v > 100 and "增长" not in ind["name"]:
            window = text[ind["end"]:ind["end"] + 20]
            if not _EXPLAINED.search(window):
                why = "比率超过 100% 且未说明统计口径"
        elif v < 0 and ind.get("unit") in ("个", "人", "所", "元", "万元", "亿元"):
            why = "数量不应为负数"
        elif ind["name"] == "校际差异系数" and v > 1:
            why = "差异系数一般不会大于 1"
        if why:
            out.append(make("implausible_value", ind["start"], ind["end"], text, name=ind["name"],
                            scope_text=_scope_text(ind.get("scope")), value=_num(v), unit=ind.get("unit") or "",
                            why=why))
    return out


def _same_figure(a, b) -> bool:
    va = in_base_unit(a["value"], a.get("unit"))
    vb = in_base_unit(b["value"], b.get("unit"))
    if abs(va - vb) <= 1e-6 * max(1, abs(va), abs(vb)):
        return True
    for f in (10, 100):   # restated on another scale (79.62分 / 7.962分)
        if abs(va - vb * f) <= 1e-6 * max(1, abs(va)) or abs(vb - va * f) <= 1e-6 * max(1, abs(vb)):
            return True
    return False


@check("inconsistent_figure")
def inconsistent_figure(report, scheme):
    groups = {}
    for ind in _actual(report):
        groups.setdefault((ind["name"], ind.get("scope")), []).append(ind)
    out = []
    for (name, scope), items in groups.items():
        distinct = []
        for it in items:
            if not any(_same_figure(it, d) for d in distinct):
                distinct.append(it)
        if len(distinct) > 1:
            values = "、".join(f"{_num(d['value'])}{d.get('unit') or ''}" for d in distinct)
            second = distinct[1]
            out.append(make("inconsistent_figure", second["start"], second["end"], report["text"], name=name,
                            scope_text=_scope_text(scope), values=values))
    return out


def _falls(report):
    """Consecutive years of a series whose standard is `no_fall` (standards.yaml) where the amount
    fell: (name, y0, i0, y1, i1)."""
    out = []
    for name in series_rules("no_fall"):
        series = sorted(((year_of_scope(ind.get("scope")), in_base_unit(ind["value"], ind.get("unit")), ind)
                         for ind in _actual(report) if ind["name"] == name and year_of_scope(ind.get("scope"))),
                        key=lambda x: x[0])
        out += [(name, y0, i0, y1, i1) for (y0, v0, i0), (y1, v1, i1) in zip(series, series[1:]) if v1 < v0]
    return out


def _told_as_fall(report, ind) -> bool:
    """A negative growth rate of such a series is the same fact as the fall spending_decline reports
    (with years and amounts, the more specific finding): it is told once."""
    if not ind["name"].endswith("增长率"):
        return False
    year = year_of_scope(ind.get("scope"))
    return any(name == ind["name"][:-3] and (year is None or year == y1) for name, _, _, y1, _ in _falls(report))


@check("spending_decline")
def spending_decline(report, scheme):
    """Indicators whose standard is `no_fall` (standards.yaml): a year series must not fall."""
    out = []
    for name, y0, i0, y1, i1 in _falls(report):
        detail = (f"{name} {y0} 年为 {_num(i0['value'])}{i0['unit']}，"
                  f"{y1} 年为 {_num(i1['value'])}{i1['unit']}，出现下降")
        out.append(make("spending_decline", i1["start"], i1["end"], report["text"], detail=detail,
                        from_year=y0, to_year=y1))
    return out


# --- dates after the reporting period --------------------------------------------------------

_DATED = re.compile(r"(?:截至|截止到?|至)?((?:19|20)\d{2})\s*年(?:\s*(\d{1,2})\s*月)?")
_FIND_DATED = finder(_DATED)   # its optional lead leaves the engine no first character to skip to
_FUTURE = _pattern("future")


_ABOUT_THE_ROUND = _pattern("about_the_round")


@check("later_events")
def later_events(report, scheme):
    wy = report.get("work_year")
    if not wy:
        return []
    text = report["text"]
    skip = _skip_ranges(report)
    out = []
    seen_sentences = set()
    for m in _FIND_DATED(text):
        year = int(m.group(1))
        if year <= wy or any(a <= m.start() < b for a, b in skip):
            continue
        after = text[m.end():m.end() + 2]
        before = text[max(0, m.start() - 2):m.start()]
        if after.startswith(("—", "-", "～", "~", "至")) or before.endswith(("—", "-", "～", "~", "至")):
            continue   # a period such as 2021—2025
        s, e = sentence_around(text, m.start(), m.end())
        sentence = text[s:e]
        if _FUTURE.search(sentence) or s in seen_sentences or _ABOUT_THE_ROUND.match(text, m.end()):
            continue
        seen_sentences.add(s)
        out.append(make("later_events", m.start(), min(e, m.start() + 40), text,
                        quote=text[m.start():min(e, m.start() + 40)], year=year, work_year=wy))
    return out


def _skip_ranges(report):
    """Titles of cited documents, measures sections and the sign-off date are not events."""
    text = report["text"]
    ranges = [(m.start(), m.end()) for m in re.finditer(r"《[^》]{0,80}》|〔\d{4}〕|\[\d{4}\]|﹝\d{4}﹞", text)]
    for s in report.get("sections") or []:
        if "measures" in s["roles"]:
            nxt = next((o["start"] for o in report["sections"] if o["start"] > s["start"] and o["level"] <= s["level"]),
                       len(text))
            ranges.append((s["start"], nxt))
    pos = 0
    for line in text.split("\n"):   # date lines (sign-off or publication date) are not events
        if _DATE_LINE.match(line.strip()):
            ranges.append((pos, pos + len(line)))
        pos += len(line) + 1
    end = len(text)
    for _ in range(3):   # short closing lines: signature and date
        start = text.rfind("\n", 0, end) + 1
        if end - start > 30:
            break
        ranges.append((start, end))
        end = max(0, start - 1)
    return ranges
