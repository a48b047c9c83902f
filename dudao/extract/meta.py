"""Report metadata: work year, evaluation round year, issuer, publish date, document numbers.

`extract_meta(text, meta)` reads a cleaned report text (and optionally the metadata a government
site published with it: index_no, publisher, date, doc_no, title) and returns::

    {"work_year", "round_year", "issuer", "issuer_span", "publish_date", "publish_month",
     "scheme_refs": [{"text", "start", "end"}], "citations": [{"text", "start", "end"}],
     "years": {...debug...}}

All spans are character offsets into `text`, end exclusive. Vocabulary lives in
dudao/data/meta_terms.yaml; the rules are:

* work_year — the title line ("XX市2020年度…履行教育职责…自评报告"), then a phrase announcing
  the period ("现将2019年度…报告如下", "结合2020年开展的工作"), then a body that opens with a
  year ("2020年，我市…"), then the most frequent year of dated facts. Years inside 《》/<>
  titles, document numbers, ranges (2021—2025), targets ("到2025年") and plans ("2020年，我区将…")
  are not facts. A template whose years are "20xx" gets None.
* round_year — the year attached to the evaluation of governments being carried out
  ("2021年对市(州)人民政府履行教育职责评价", "对市县级人民政府2019年度履行教育职责评价").
* issuer — a line near the top or the end that is just a government's name, else the title's
  government, else the government that performs the self-check in the opening, else the
  publisher of `meta` (a 政府办 stands for its government).
* publish_date — `meta["date"]`, else a 发文日期 table left in the text, else a date line at the
  end (or top). A month-only date gives publish_month only.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter

# the year patterns begin with a lookbehind, which leaves the regex engine no first character to
# skip to: finder_for scans them from the digits a match can begin with (same matches)
from dudao.extract.anchored import finder_for
from dudao.resources import load_yaml

_T = load_yaml("meta_terms")


def _alt(words) -> str:
    """Regex alternation of plain words, longest first."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


_FW = str.maketrans("０１２３４５６７８９", "0123456789")
_D = "[0-9０-９]"
_YEAR = rf"(?<![0-9０-９])(?:19|20|１９|２０){_D}{{2}}(?![0-9０-９.．])"
_HAN = "\u4e00-\u9fff"
_STOP = "，。；！？\n"

# --- masks: titles, document numbers, ranges --------------------------------------------------
_RE_TITLE_MARK = re.compile(r"[《》]")
_RE_ANGLE = re.compile(rf"<([^<>\n]{{1,200}})>|〈([^〈〉\n]{{1,200}})〉")
_RE_HAS_HAN = re.compile(f"[{_HAN}]")
_RE_RANGE = re.compile(
    rf"({_YEAR})\s*(?:年度?)?\s*(?:[-—–~～－至到]+|——)\s*({_YEAR}|{_D}{{2}}(?=年))")

# --- document numbers -------------------------------------------------------------------------
# Searched from the bracket on (a leading prefix class would be tried at every character); the
# issuer prefix (常教督委) is then read backwards.
_RE_DOCNO = re.compile(
    rf"[〔\[［（(﹝【]\s*(?:19|20){_D}{{2}}\s*[〕\]］）)﹞】]\s*第?\s*{_D}{{1,4}}\s*号")
# Web pages break brackets: the year outside and the number inside (青教督2007[18]号), the
# closing bracket lost (教督〔2021 3号) or the number lost (皖教督〔2019〕号). Kept as written; matched only where the standard form is not.
_RE_DOCNO_BROKEN = re.compile(
    rf"(?:19|20){_D}{{2}}\s*[〔\[［（(﹝【]\s*{_D}{{1,4}}\s*[〕\]］）)﹞】]\s*号"
    rf"|[〔\[［（(﹝【]\s*(?:19|20){_D}{{2}}\s+{_D}{{1,4}}\s*号"
    rf"|[〔\[［（(﹝【]\s*(?:19|20){_D}{{2}}\s*[〕\]］）)﹞】]\s*号")
_RE_PREFIX_BACK = re.compile(rf"[{_HAN}A-Za-z]{{1,16}}\s*$")
_RE_REF_SPLIT = re.compile(_alt(_T["ref_split_words"]))
_LEAD_CHARS = set(_T["ref_lead_chars"])
_BRACKETS = str.maketrans({"[": "〔", "]": "〕", "［": "〔", "］": "〕", "（": "〔", "）": "〕", "(": "〔",
                           ")": "〕", "﹝": "〔", "﹞": "〕", "【": "〔", "】": "〕"})

# --- years ------------------------------------------------------------------------------------
_RE_YEAR_MENTION = re.compile(rf"({_YEAR})\s*(?:年度|学年|年)")
_RE_PLACEHOLDER_YEAR = re.compile(r"(?:20|２０)[xX×＊*ｘＸ]{2}\s*年|(?:20)\d[xXｘ]\s*年|[xXｘ]{4}\s*年")
_FUTURE = re.compile(_alt(_T["future_words"]))
_TARGET_LEAD = re.compile(rf"(?:{_alt(_T['target_leads'])})\s*$")
_SENT_CUT = re.compile(r"[。；;！？\n]")
_PLAN_OPENER = re.compile(rf"\s*(?:{_alt(_T['plan_openers'])})")

_SITE_TITLE = re.compile(r"\s[-–_|｜]\s|(?:文库|文档下载|范文网|范文大全)\s*$")
_OPENING_CHARS = 3000  # announcing phrases belong to the opening of a report
_RE_SENTENCE_MARK = re.compile(r"[，。；：,;:]")
_GENRE = re.compile(_alt(_T["title_genres"]))
_TOPIC = re.compile(rf"{_alt(_T['title_topics'])}|自评|自查")
_RE_REPORT_PHRASE = re.compile(
    rf"(?:{_alt(_T['report_leads'])})[^{_STOP}]{{0,30}}?({_YEAR})\s*年度?[^{_STOP}]{{0,60}}?"
    rf"(?:{_alt(_T['report_tails'])}|报告|汇报)")
_RE_WORK_PHRASE = re.compile(
    rf"(?:{_alt(_T['work_leads'])})\s*({_YEAR})\s*年度?\s*(?:以来)?(?:全年|开展|所做|完成|取得|的工作|工作|以来)")
_RE_DUTY_PHRASE = re.compile(
    rf"({_YEAR})\s*年度?[^{_STOP}《》<>]{{0,20}}?履行教育职责(?:工作)?(?:的)?(?:情况|工作情况)?"
    rf"(?:自评|自查|报告|汇报|情况)")
_RE_OPENING = re.compile(rf"\s*({_YEAR})\s*(?:年度|年)(?:以来)?\s*[，,、\s{_HAN}]")

# --- round year -------------------------------------------------------------------------------
_ROUND = _alt(_T["round_words"])
_NOT_GOV_TARGET = re.compile(_alt(_T["round_not_targets"]))
_RE_ROUND_1 = re.compile(
    rf"({_YEAR})\s*年度?\s*(?:[{_HAN}]{{0,8}}?)对([^{_STOP}《》<>]{{0,30}}?)(?:履行教育职责|教育职责)"
    rf"[^{_STOP}《》<>]{{0,12}}?(?:{_ROUND})")
_RE_ROUND_2 = re.compile(
    rf"对([^{_STOP}《》<>]{{0,20}}?(?:人民政府|政府))\s*({_YEAR})\s*年度?\s*履行教育职责"
    rf"[^{_STOP}《》<>]{{0,6}}?(?:{_ROUND})")
_RE_ROUND_3 = re.compile(
    rf"({_YEAR})\s*年度?\s*([^{_STOP}《》<>]{{0,16}}?(?:人民政府|政府))履行教育职责(?:情况|工作)?(?:的)?"
    rf"(?:{_ROUND})")
# The notice a report answers names its round in its own title, whoever is evaluated
# (《关于开展2015年度县（市、区）政府教育工作督导评估的通知》, 《关于开展2023年市县党政主要负责同志
# 履行教育职责评价工作的通知》): used when no evaluation phrase names the round.
_RE_ROUND_NOTICE = re.compile(
    rf"《[^《》\n]{{0,30}}?关于(?:开展|做好|组织开展)\s*({_YEAR})\s*年度?[^《》\n]{{0,40}}?(?:{_ROUND})"
    rf"(?:工作)?(?:的)?(?:通知|实施方案|方案)》")
_RE_PAST_ROUND = re.compile(rf"(?:工作)?(?:{_alt(_T['past_round_words'])})")
_RE_NOTICE_NEAR = re.compile(_alt(_T["round_notice_words"]))

# --- issuer -----------------------------------------------------------------------------------
_ISSUER_NOT = re.compile(_alt(_T["issuer_not"]))
_RE_GOV_LINE = re.compile(
    rf"^(?:[{_HAN}（）()·]{{2,30}}?(?:{_alt(_T['issuer_suffixes'])}))$")
_RE_GOV_IN_TITLE = re.compile(rf"[{_HAN}（）()、]{{2,24}}?人民政府")
_RE_TITLE_GOV_PREFIX = re.compile(r"^(?:.*?(?:年度|年|关于))?")
_RE_SELF_CHECK_GOV = re.compile(
    rf"(?:^|[，。；：,;:\s])([{_HAN}（）()、]{{2,20}}?(?:人民政府|政府))[^，。；]{{0,6}}?"
    rf"(?:{_alt(_T['self_check_verbs'])})[^。；]{{0,40}}?(?:自查|自评)")
_RE_PLACEHOLDER_NAME = re.compile(r"[xX×＊*ｘＸ某]{1,3}")
_RE_GENERIC_LEAD = re.compile(rf"^(?:{_alt(_T['issuer_generic_leads'])})")
_GENERIC_STEMS = set(_T["issuer_generic_stems"])
_RE_LEVEL_PAREN = re.compile(r"[（(][市县区州旗盟、\s]+[)）]")
_RE_OFFICE = re.compile(rf"(?:{_alt(_T['office_suffixes'])})$")
_RE_STRIP_SEAL = re.compile(r"[（(](?:盖章|印章|公章|章)[)）]")

# --- dates ------------------------------------------------------------------------------------
_CN_DIGIT = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
             "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CND = "〇零○Ｏ一二三四五六七八九"
_RE_ISO = re.compile(rf"({_D}{{4}})\s*[-/.年]\s*({_D}{{1,2}})\s*(?:[-/.月]\s*({_D}{{1,2}}))?")
_RE_DATE_LINE = re.compile(
    rf"^[（(]?\s*((?:{_D}{{4}})|[{_CND}]{{4}})\s*年\s*({_D}{{1,2}}|[一二三四五六七八九十]{{1,2}})\s*月"
    rf"\s*(?:({_D}{{1,2}}|[一二三四五六七八九十]{{1,3}})\s*日)?\s*[)）]?$")
_RE_TABLE_DATE = re.compile(
    rf"(?:{_alt(_T['date_labels'])})\s*[|｜:：\s]*\s*({_D}{{4}})\s*[-/.年]\s*({_D}{{1,2}})\s*[-/.月]\s*({_D}{{1,2}})")
_RE_TABLE_PUBLISHER = re.compile(
    rf"(?:{_alt(_T['publisher_labels'])})\s*[|｜:：\s]*\s*([{_HAN}（）()]{{2,30}})")
_RE_LINE = re.compile(r"[^\n]+")
_TABLE_LINE = re.compile(
    rf"[|｜]|{_alt(_T['date_labels'] + _T['publisher_labels'] + _T['other_table_labels'])}")


def _year(s: str) -> int:
    return int(s.translate(_FW))


# ----------------------------------------------------------------------------------------------
def _title_spans(text: str) -> list[tuple[int, int]]:
    """Spans of 《…》 (outermost and nested) titles, by a bracket stack."""
    spans, stack = [], []
    for m in _RE_TITLE_MARK.finditer(text):
        if m.group() == "《":
            stack.append(m.start())
        elif stack:
            s = stack.pop()
            spans.append((s, m.end()))
    return spans


def find_citations(text: str) -> list[dict]:
    """Every 《…》 title and every <…>/〈…〉 title holding Chinese text, with spans."""
    out = [{"text": text[s:e], "start": s, "end": e} for s, e in _title_spans(text)]
    for m in _RE_ANGLE.finditer(text):
        inner = m.group(1) or m.group(2)
        if _RE_HAS_HAN.search(inner) and "=" not in inner:
            out.append({"text": m.group(), "start": m.start(), "end": m.end()})
    out.sort(key=lambda c: (c["start"], -c["end"]))
    return out


def _norm_ref(s: str) -> str:
    return re.sub(r"\s+", "", s).translate(_BRACKETS).translate(_FW).replace("第", "")


def _clean_prefix(prefix: str) -> int:
    """Offset within `prefix` where the document number's own prefix starts."""
    cut = 0
    for m in _RE_REF_SPLIT.finditer(prefix):
        if m.end() < len(prefix):
            cut = m.end()
    while cut < len(prefix) - 1 and prefix[cut] in _LEAD_CHARS:
        cut += 1
    return cut


def find_doc_numbers(text: str) -> list[dict]:
    """Every document number (文号) in the text, as written, deduplicated by normalised form
    (whitespace, bracket shape and 第 ignored; 苏教督〔2022〕3号 and 教督〔2022〕3号 stay distinct)."""
    out, seen = [], set()
    cores = sorted([(m.start(), m.end(), 0) for m in _RE_DOCNO.finditer(text)]
                   + [(m.start(), m.end(), 1) for m in finder_for(_RE_DOCNO_BROKEN)(text)])
    found, last_end = [], 0
    for k, (cs, ce, broken) in enumerate(cores):
        if broken and (cs < last_end or (k + 1 < len(cores) and cores[k + 1][0] < ce)):
            continue   # the standard form of the same number was matched
        # the prefix is read back to the previous number at most, as a left-to-right scan would
        p = _RE_PREFIX_BACK.search(text, max(last_end, cs - 20), cs)
        if p:
            found.append((p.start(), p.group(0).rstrip(), ce))
            last_end = ce
    for prefix_start, prefix, end in sorted(found):
        start = prefix_start + _clean_prefix(prefix)
        ref = text[start:end]
        key = _norm_ref(ref)
        if key in seen:
            continue
        seen.add(key)
        out.append({"text": ref, "start": start, "end": end})
    return out


# ----------------------------------------------------------------------------------------------
class _Mask:
    """Sorted, merged intervals; `covers(i)` by bisection."""

    def __init__(self, spans):
        merged = []
        for s, e in sorted(spans):
            if merged and s <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e)
            else:
                merged.append([s, e])
        self.starts = [s for s, _ in merged]
        self.ends = [e for _, e in merged]

    def covers(self, i: int) -> bool:
        k = bisect_right(self.starts, i) - 1
        return k >= 0 and i < self.ends[k]


def _lines(text: str, limit_chars: int, from_end: bool = False, count: int = 8):
    """Up to `count` non-blank lines (start, end, stripped text) at the top or the bottom."""
    lo, hi = (max(0, len(text) - limit_chars), len(text)) if from_end else (0, min(len(text), limit_chars))
    out = []
    for m in _RE_LINE.finditer(text, lo, hi):
        line = m.group()
        stripped = line.strip()
        if stripped:
            lead = len(line) - len(line.lstrip())
            out.append((m.start() + lead, m.start() + lead + len(stripped), stripped))
            if not from_end and len(out) >= count:
                break
    if from_end:
        out = out[-count:][::-1]
    return out


def _head_lines(text: str, count: int = 8):
    """Top lines, skipping a metadata table left from a government site."""
    return [ln for ln in _lines(text, 1500, count=count + 4) if not _TABLE_LINE.search(ln[2])][:count]


def _is_title_line(line: str) -> bool:
    if len(line) > 90 or _RE_SENTENCE_MARK.search(line) or line.startswith(("按照", "根据", "依据", "为")):
        return False
    return bool(_GENRE.search(line) and _TOPIC.search(line))


def _is_plan(text: str, year_end: int) -> bool:
    """Does a plan word follow the year closely, within its sentence ("2020年，我区将…")?"""
    window = _SENT_CUT.split(text[year_end:year_end + 15], 1)[0]
    return bool(_FUTURE.search(window))


def _title_year(title: str) -> int | None:
    """The work year a title line names ("XX县2020年度…自评报告"), ignoring "2021年对…评价"."""
    if not _is_title_line(title):
        return None
    spans = _Mask(_title_spans(title))
    for m in finder_for(_RE_YEAR_MENTION)(title):
        if not spans.covers(m.start()) and title[m.end():m.end() + 1] != "对":
            return _year(m.group(1))
    return None


def _work_year(text: str, mask: _Mask, head) -> tuple[int | None, dict]:
    dbg: dict = {}
    # 1. the title; a page title carrying the site's name ("… - 文档下载 - 某某文库") yields to the
    #    document's own title when their years differ (pages are titled when uploaded)
    titled = []
    for s, e, line in head:
        if not _is_title_line(line):
            continue
        for m in finder_for(_RE_YEAR_MENTION)(text, s, e):
            if mask.covers(m.start()) or text[m.end():m.end() + 1] == "对":
                continue
            titled.append((_year(m.group(1)), bool(_SITE_TITLE.search(line))))
            break
    if titled:
        own = [y for y, site in titled if not site]
        dbg["title"] = own[0] if own and len({y for y, _ in titled}) > 1 else titled[0][0]
        dbg["source"] = "title"
        return dbg["title"], dbg
    # 2. a phrase announcing the reported period
    best = None
    for rx in (_RE_REPORT_PHRASE, _RE_WORK_PHRASE, _RE_DUTY_PHRASE):
        for m in finder_for(rx)(text, 0, min(len(text), _OPENING_CHARS)):
            if mask.covers(m.start(1)):
                continue
            after = text[m.end():m.end() + 4]
            if rx is _RE_DUTY_PHRASE and (re.match(_ROUND, after) or "对" in m.group()):
                continue
            if best is None or m.start(1) < best[0]:
                best = (m.start(1), _year(m.group(1)))
            break
    if best:
        dbg["phrase"] = best[1]
        dbg["source"] = "phrase"
        return best[1], dbg
    # 3. the body opens with a year ("2020年，我市…")
    body = [ln for ln in head if not _is_title_line(ln[2]) and len(ln[2]) > 40][:2]
    for s, e, line in body:
        m = _RE_OPENING.match(text, s, e)
        if m and not _is_plan(text, m.end(1)):
            dbg["opening"] = _year(m.group(1))
            dbg["source"] = "opening"
            return dbg["opening"], dbg
    # 4. the dominant year of dated facts
    counts: Counter = Counter()
    first: dict = {}
    for m in finder_for(_RE_YEAR_MENTION)(text):
        p = m.start(1)
        if mask.covers(p):
            continue
        y = _year(m.group(1))
        if not 1990 <= y <= 2049:
            continue
        if _TARGET_LEAD.search(text, max(0, p - 4), p):
            continue
        if _is_plan(text, m.end(1)):
            continue
        lo = max(0, p - 200)
        sent_start = max(text.rfind("。", lo, p), text.rfind("\n", lo, p), lo - 1) + 1
        if _PLAN_OPENER.match(text, sent_start, p):
            continue
        counts[y] += 1
        first.setdefault(y, p)
    placeholders = len(_RE_PLACEHOLDER_YEAR.findall(text))
    dbg["counts"] = dict(counts)
    dbg["placeholder_years"] = placeholders
    if not counts:
        dbg["source"] = "none"
        return None, dbg
    top = max(counts.values())
    if placeholders and placeholders >= top:
        dbg["source"] = "template"
        return None, dbg
    year = min((y for y, c in counts.items() if c == top), key=lambda y: first[y])
    dbg["source"] = "dominant"
    return year, dbg


def _round_year(text: str) -> tuple[int | None, list]:
    """The round year, preferring the one inside a cited title or next to 通知/方案."""
    titles = _Mask(_title_spans(text) + [(m.start(), m.end()) for m in _RE_ANGLE.finditer(text)])
    cands = []
    for rx, target, year in ((_RE_ROUND_1, 2, 1), (_RE_ROUND_2, 1, 2), (_RE_ROUND_3, 2, 1)):
        for m in finder_for(rx)(text):
            if _NOT_GOV_TARGET.search(m.group(target)) or _RE_PAST_ROUND.match(text, m.end()):
                continue
            cands.append((m.start(year), _year(m.group(year))))
    if not cands:
        m = _RE_ROUND_NOTICE.search(text, 0, min(len(text), _OPENING_CHARS))
        return (_year(m.group(1)), [(m.start(1), _year(m.group(1)))]) if m else (None, [])

    def rank(c):
        pos = c[0]
        cited = titles.covers(pos) or bool(_RE_NOTICE_NEAR.search(text, pos, min(len(text), pos + 60)))
        return (0 if cited else 1, pos)

    cands.sort(key=rank)
    return cands[0][1], cands


def _usable_name(name: str) -> bool:
    """A real government's name: not a placeholder, a category or another body."""
    if _RE_PLACEHOLDER_NAME.search(name) or _ISSUER_NOT.search(name):
        return False
    if _RE_GENERIC_LEAD.match(name) or _RE_LEVEL_PAREN.search(name) or "、" in name:
        return False
    if name.count("（") + name.count("(") != name.count("）") + name.count(")") or name[0] in "）)":
        return False
    stem = re.sub(r"(?:人民政府|政府)$", "", name)
    return len(stem) >= 2 and stem not in _GENERIC_STEMS


def _gov_name(line: str) -> str | None:
    """The government named by a line that is only that name (maybe after a party committee)."""
    line = _RE_STRIP_SEAL.sub("", line).strip().rstrip("。.")
    if line.endswith((":", "：")):
        return None  # an addressee
    for token in reversed(re.split(r"[\s\u3000]+", line)):
        if _RE_GOV_LINE.match(token) and not _ISSUER_NOT.search(token):
            return token
        break
    return None


def _issuer(text: str, head, tail, meta: dict | None):
    for s, e, line in head + tail:
        name = _gov_name(line)
        if name:
            if not _usable_name(name):
                continue
            i = text.find(name, s, e)
            return name, [i, i + len(name)], "line"
    for s, e, line in head:
        if not _is_title_line(line):
            continue
        m = _RE_GOV_IN_TITLE.search(text, s, e)
        if m:
            name = m.group()
            cut = _RE_TITLE_GOV_PREFIX.match(name)
            off = cut.end() if cut else 0
            name = name[off:]
            if _usable_name(name):
                return name, [m.start() + off, m.end()], "title"
        break
    for m in _RE_SELF_CHECK_GOV.finditer(text, 0, min(len(text), 2000)):
        if _usable_name(m.group(1)):
            return m.group(1), [m.start(1), m.end(1)], "self_check"
    publisher = (meta or {}).get("publisher")
    if not publisher:
        m = _RE_TABLE_PUBLISHER.search(text, 0, min(len(text), 600))
        publisher = m.group(1) if m else None
    if publisher:
        publisher = publisher.strip()
        office = _RE_OFFICE.search(publisher)
        if office:
            return publisher[:office.start()] + "人民政府", None, "publisher_office"
        if publisher.endswith("政府") and not _ISSUER_NOT.search(publisher):
            return publisher, None, "publisher"
    return None, None, None


def _cn_small(s: str) -> int | None:
    """Parse a small Chinese number (day/month: 一…三十一) or digit-by-digit year (二〇二一)."""
    s = s.translate(_FW)
    if s.isdigit():
        return int(s)
    if all(c in _CN_DIGIT for c in s) and len(s) == 4:
        return int("".join(str(_CN_DIGIT[c]) for c in s))
    if "十" in s:
        a, _, b = s.partition("十")
        tens = _CN_DIGIT.get(a, 1) if a else 1
        return tens * 10 + (_CN_DIGIT.get(b, 0) if b else 0)
    if len(s) == 1 and s in _CN_DIGIT:
        return _CN_DIGIT[s]
    return None


def _iso(y, mo, d) -> str | None:
    try:
        y, mo = int(y), int(mo)
        if not (1990 <= y <= 2049 and 1 <= mo <= 12):
            return None
        if d is None:
            return f"{y:04d}-{mo:02d}"
        d = int(d)
        return f"{y:04d}-{mo:02d}-{d:02d}" if 1 <= d <= 31 else None
    except (TypeError, ValueError):
        return None


def _publish_date(text: str, head, tail, meta: dict | None):
    raw = (meta or {}).get("date")
    if raw:
        m = _RE_ISO.search(str(raw))
        if m and m.group(3):
            iso = _iso(m.group(1).translate(_FW), m.group(2).translate(_FW), m.group(3).translate(_FW))
            if iso:
                return iso, iso[:7], "meta"
    m = _RE_TABLE_DATE.search(text, 0, min(len(text), 800))
    if m:
        iso = _iso(*(g.translate(_FW) for g in m.groups()))
        if iso:
            return iso, iso[:7], "table"
    for s, e, line in tail + head:
        m = _RE_DATE_LINE.match(line)
        if not m:
            continue
        y, mo = _cn_small(m.group(1)), _cn_small(m.group(2))
        d = _cn_small(m.group(3)) if m.group(3) else None
        iso = _iso(y, mo, d)
        if iso:
            return (iso if d else None), iso[:7], "date_line"
    return None, None, None


_CN_YEAR = re.compile(r"(?:[一二][〇零○Ｏ一二三四五六七八九]{3})(?=\s*年)")
_CN_YEAR_DIGITS = str.maketrans("〇零○Ｏ一二三四五六七八九", "0000123456789")


def _arabic_years(text: str) -> str:
    """二〇二二年 → 2022年, character for character, so every offset stays valid."""
    return _CN_YEAR.sub(lambda m: m.group(0).translate(_CN_YEAR_DIGITS), text)


def extract_meta(text: str, meta: dict | None = None) -> dict:
    """Work year, round year, issuer, publish date, document numbers and citations of a report."""
    original, text = text, _arabic_years(text)
    citations = find_citations(text)
    refs = find_doc_numbers(text)
    for item in citations + refs:   # quote the text as written
        item["text"] = original[item["start"]:item["end"]]
    head = _head_lines(text)
    tail = _lines(text, 600, from_end=True, count=6)
    date_lines = [(s, e) for s, e, line in head + tail if _RE_DATE_LINE.match(line)]
    mask = _Mask([(c["start"], c["end"]) for c in citations] + [(r["start"], r["end"]) for r in refs]
                 + [(m.start(), m.end()) for m in finder_for(_RE_RANGE)(text)] + date_lines)
    work_year, years = _work_year(text, mask, head)
    if meta and meta.get("title") and years.get("source") not in ("title", "phrase"):
        # a title given only in the site's metadata counts as the title
        wy_title = _title_year(str(meta["title"]))
        if wy_title is not None:
            work_year, years["meta_title"], years["source"] = wy_title, wy_title, "meta_title"
    round_year, round_cands = _round_year(text)
    years["round_candidates"] = [y for _, y in round_cands]
    issuer, issuer_span, issuer_src = _issuer(text, head, tail, meta)
    if issuer_span:
        issuer = original[issuer_span[0]:issuer_span[1]] if issuer == text[issuer_span[0]:issuer_span[1]] else issuer
    publish_date, publish_month, date_src = _publish_date(text, head, tail, meta)
    return {
        "work_year": work_year,
        "round_year": round_year,
        "issuer": issuer,
        "issuer_span": issuer_span,
        "issuer_source": issuer_src,
        "publish_date": publish_date,
        "publish_month": publish_month,
        "publish_date_source": date_src,
        "scheme_refs": refs,
        "citations": citations,
        "years": years,
    }
