"""Find every quantity in a text.

`find_quantities(text)` returns the measurements (and template gaps such as "x%") of a text as
plain dicts::

    {"value": 12.67, "unit": "亿元", "text": "12.67亿元", "start": 10, "end": 17,
     "qualifier": None, "kind": "quantity"}

* `value` is the number as written; a scale word stays in the unit (12.67亿元 -> 12.67, "亿元";
  "1266万余元" -> 1266, "万元", qualifier "余"; "三点二亿" -> 3.2, "亿").  `scale` gives the
  multiplier the unit implies (1e8 for 亿元) so callers can normalise.
* Percent in every spelling (%, ％, 百分之…) has unit "%"; "个百分点" is its own unit.
* Per-pupil money units ("元/生/年", "元/生·年", "元每生每年") are unit "元" with `per` set.
* Ranges ("3-5岁", "85%—90%") have `value` = the low end and `high` = the high end.
* `qualifier`: 以上/以下/左右/以内/近/约/余/多/不足/超过/… as written (several joined by "+").
* `kind`: "quantity" for a measurement, "placeholder" for a template gap (value None).
  With `all_kinds=True` the result also holds what is *not* a measurement: "year" (2020年,
  2017-2019年 with `years`), "date" (2021年5月10日, 2021-05-10, 5月), "docno" (〔2021〕1号),
  "ordinal" (第15测评点, section numbers 1. （3）), "code" (014437529, 5G), "per" (the base of
  a rate: 每百名学生) and "number"
  (a bare number with no unit, e.g. a coefficient 0.36).

Everything is one precompiled regular expression plus a little post-processing, so the scan is
linear in the text.
"""
from __future__ import annotations

import re
from functools import lru_cache

from dudao.extract.anchored import first_chars, scan_from
from dudao.semantics import scale_of

__all__ = ["find_quantities", "parse_cn_number"]

# Full-width digits and signs -> ASCII, one character for one (offsets stay valid).
_FW_PAIRS = tuple(zip("０１２３４５６７８９．％，", "0123456789.%,"))


def _ascii_fw(text: str) -> str:
    """Same as text.translate(str.maketrans(FW, ASCII)), several times faster on long text."""
    for a, b in _FW_PAIRS:
        if a in text:
            text = text.replace(a, b)
    return text

CN_DIGITS = "零〇一二两三四五六七八九"
CN_NUM_CHARS = CN_DIGITS + "十百千万亿"
_CN_DIGIT_VAL = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
                 "七": 7, "八": 8, "九": 9}
_CN_UNIT_VAL = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10 ** 4, "亿": 10 ** 8}

# Units, longest first within the alternation (the regex engine takes the first that matches).
# Normalised spelling on the right.
_UNIT_ALIASES = {
    "个百分点": "个百分点", "百分点": "个百分点",
    "%": "%", "‰": "‰",
    "平方公里": "平方公里", "平方千米": "平方公里", "平方米": "平方米", "㎡": "平方米", "公顷": "公顷", "亩": "亩",
    "千米": "千米", "公里": "公里", "米": "米",
    "千元": "千元", "元": "元",
    "人次": "人次", "课时": "课时", "学时": "学时", "小时": "小时", "分钟": "分钟",
    "人": "人", "名": "名", "位": "位", "所": "所", "个": "个", "项": "项", "次": "次", "场": "场",
    "期": "期", "件": "件", "条": "条", "篇": "篇", "本": "本", "册": "册", "台": "台", "套": "套",
    "间": "间", "班": "班", "分": "分", "倍": "倍", "岁": "岁", "年": "年", "天": "天", "周": "周",
    "节": "节", "届": "届", "批": "批", "家": "家", "辆": "辆", "张": "张", "份": "份", "块": "块",
    "座": "座", "栋": "栋", "支": "支", "门": "门", "种": "种", "处": "处", "户": "户", "只": "只",
    "公斤": "公斤", "千克": "千克", "吨": "吨", "袋": "袋",
}
_UNITS_SORTED = sorted(_UNIT_ALIASES, key=len, reverse=True)
_UNIT_RE = "|".join(re.escape(u) for u in _UNITS_SORTED)
# Per-pupil / per-person suffixes of money amounts: 元/生/年, 元/生·年, 元/生.年, 元每生每年, 元/人
_PER_RE = r"(?:\s*/\s*(?:生|人|学生|名)(?:\s*[/.·•]\s*(?:年|学年))?|每生每年|/年)"

_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_CN_NUM = rf"[{CN_NUM_CHARS}]+(?:点[{CN_DIGITS}]+[万亿]?)?"
_RANGE_SEP = r"\s*(?:[-－—–~～]+|至|到)\s*"
_POST_QUAL = r"(?:以上|以下|左右|以内|之内|上下)"
_MID_QUAL = r"(?:余|多)"

# A template's number gap: x, xx, xxx, xxxx (also ×, ＊, *), optionally with a decimal part of
# gaps or digits (xx.x, x.5); a digit before the point needs gaps after it (0.xx, 9x.x is not one).
_PH_X = r"[xX×＊*]{1,4}"
_PH_NUM = r"(?:" + _PH_X + r"(?:\.[xX×＊*\d]{1,4})?|\d{1,3}\.[xX×＊*]{1,4})(?![A-Za-z0-9_])"

_MASTER = re.compile(
    "|".join([
        # dates: 2021年5月10日, 2021-05-10, 2021年5月
        r"(?P<date>(?:19|20)\d{2}\s*(?:年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?|[-/.]\d{1,2}[-/.]\d{1,2}(?!\d)))",
        # document numbers: 〔2021〕1号 [2020]30号
        r"(?P<docno>[〔\[【(（]\s*(?:19|20)\d{2}\s*[〕\]】)）]\s*第?\s*\d+\s*号)",
        # year ranges: 2017-2019年, 2021年—2023年, (2020-2024), 2018~2022年
        r"(?P<yrange>(?P<y1>(?:19|20)\d{2})\s*(?:年度?|学年)?" + _RANGE_SEP +
        r"(?P<y2>(?:19|20)\d{2})(?!\d)\s*(?:年度|学年|年)?)",
        # template years: 20xx年
        r"(?P<yph>(?:19|20)[xX×]{2}\s*(?:年度|学年|年)?)",
        # placeholders: x%, x个, x-x元, xx万元, xxxx个, xx.x%, 0.xx亿元
        r"(?P<ph>(?<![A-Za-z0-9_.])(?:" + _PH_NUM + r"|_{2,8}|＿{1,8}|□{1,4})(?:" + _RANGE_SEP + _PH_NUM + r")?"
        r"\s*(?P<phq>" + _MID_QUAL + r")?"
        r"(?P<phunit>(?:万|亿)?(?:" + _UNIT_RE + r")(?:" + _PER_RE + r")?))",
        # a unit-less decimal gap (a coefficient "0.xx", "x.xx"): the point makes it a number
        r"(?P<phdec>(?<![A-Za-z0-9_.])(?<![A-Za-z] )(?:\d{1,3}|" + _PH_X + r")\.[xX×＊*]{1,4}(?![A-Za-z0-9_]))",
        # 百分之八十五 / 百分之85.5 / 百分之百
        r"(?P<cnpct>百分之(?P<cnpctnum>" + _NUM + r"|" + _CN_NUM + r"))",
        # Arabic numbers, optional scale, mid qualifier, unit, range, post qualifier
        r"(?P<num>" + _NUM + r")(?![0-9])\s*(?P<scale>[万亿](?!分之))?(?P<q1>" + _MID_QUAL + r")?"
        r"(?P<unit>(?:" + _UNIT_RE + r")(?:" + _PER_RE + r")?)?"
        r"(?P<rng>" + _RANGE_SEP + r"(?P<num2>" + _NUM + r")(?![0-9])\s*(?P<scale2>[万亿])?(?P<q2>" + _MID_QUAL + r")?"
        r"(?P<unit2>(?:" + _UNIT_RE + r")(?:" + _PER_RE + r")?))?"
        r"(?P<post>" + _POST_QUAL + r")?",
        # Chinese numerals followed by a unit (a bare Chinese numeral is not a quantity)
        r"(?P<cn>" + _CN_NUM + r")(?P<cq>" + _MID_QUAL + r")?(?P<cunit>(?:" + _UNIT_RE + r")(?:" + _PER_RE + r")?)?"
        r"(?P<cpost>" + _POST_QUAL + r")?",
    ])
)

# The alternative a match took, from its last group (each alternative's groups are contiguous).
_HEADS = sorted(_MASTER.groupindex[b]
                for b in ("date", "docno", "yrange", "yph", "ph", "phdec", "cnpct", "num", "cn"))
_BRANCH_OF = {i: next(n for n, j in _MASTER.groupindex.items() if j == max(h for h in _HEADS if h <= i))
              for i in range(1, _MASTER.groups + 1)}

# Every match of _MASTER begins with one of these characters. The engine cannot see that through
# the named alternatives and tries all nine at every character; _scan jumps between these instead.
_FIRST = re.compile(r"[\d〔\[【(（xX×＊*_＿□百" + CN_NUM_CHARS + "]")


def _scan(t: str):
    return scan_from(_MASTER, _FIRST, t)


def _lone_numeral_follow() -> str:
    """The characters that, right after a Chinese numeral, make its match longer than that one
    character: more numerals, 点 and a digit, a mid qualifier, a unit, a post qualifier."""
    tail = re.compile(rf"[{CN_NUM_CHARS}]|点[{CN_DIGITS}]|{_MID_QUAL}|(?:{_UNIT_RE})|{_POST_QUAL}")
    return first_chars(tail).pattern


# Where find_quantities scans: _FIRST, less the Chinese numerals that would match alone (one
# character, no 第 before it: "进一步", "统一"), which _chinese rejects, and the places no match
# can begin: a bracket not followed by a year (only a 文号 starts with one), a gap character
# after a Latin letter, digit, "_" or "." (the gap alternatives' lookbehind). About a quarter of
# _FIRST's places in a report are such; skipping them in C spares a Python step each.
_KEPT_FIRST = re.compile(
    r"[\d〔\[【(（xX×＊*_＿□百" + CN_NUM_CHARS + r"](?:"
    r"(?<=[\d百])"                                   # a digit, 百 (百分之): always
    r"|(?<=[〔\[【(（])(?=\s*(?:19|20))"               # a bracket: before a year
    r"|(?<=[xX×＊*_＿□])(?<![A-Za-z0-9_.].)"          # a gap: not after a letter, digit, _ or .
    rf"|(?<=第[{CN_NUM_CHARS}])"                      # a numeral: after 第,
    rf"|(?<=[{CN_NUM_CHARS}])(?={_lone_numeral_follow()}))")   # or before more of a quantity


def _scan_kept(t: str):
    """The matches of _scan(t) except (some of) the lone one-character Chinese numerals."""
    return scan_from(_MASTER, _KEPT_FIRST, t)


# qualifiers written before a number, longest first
_PRE_QUALS = ("将近", "接近", "大约", "不少于", "不低于", "不超过", "不高于", "不足", "不到", "超过", "至少",
              "近", "约", "超", "逾")
_LINE_START_ORDINAL = re.compile(r"[.．、)）]")
_VAGUE_BEFORE = ("数", "几", "若干", "上")
_NAME_AFTER_YEARS = re.compile(r"一贯|行动|计划|规划|毛?入园|巩固|制|义务教育|级")
# "十三五" "十四五" and other plan names made of numerals are names, not quantities.
_PLAN_NAME = re.compile(r"^十[一二三四五六七八九]五$")


_UNIT_RX = re.compile(_UNIT_RE)
_PER_SEP = re.compile(r"[\s/.·•每]+")


@lru_cache(maxsize=1024)
def _split_unit(raw: str | None) -> tuple[str, str | None]:
    """'元/生/年' -> ('元', '生/年'); '％' -> '%'."""
    if not raw:
        return "", None
    m = _UNIT_RX.match(raw)
    base = _UNIT_ALIASES.get(m.group(0), m.group(0)) if m else raw
    rest = raw[m.end():] if m else ""
    per = _PER_SEP.sub("/", rest).strip("/") if rest else None
    return base, per


def parse_cn_number(s: str) -> float | None:
    """Chinese numeral -> number ("三百" 300, "一点八" 1.8, "两千" 2000, "三点二亿" 3.2e8, "千" 1000).

    Uses cn2an where it succeeds and a small parser of our own where it does not (a decimal
    followed by a scale word, a bare 千/万, mixed 〇)."""
    s = s.strip()
    if not s:
        return None
    return _parse_cn_cached(s)


_PLAIN_DECIMAL = re.compile(r"[0-9]+(?:\.[0-9]+)?")


@lru_cache(maxsize=4096)
def _parse_cn_cached(s: str) -> float | None:
    # decimal with trailing scale: 三点二亿, 一点五万
    if "点" in s and s[-1] in _CN_BIG:
        head = _parse_cn_cached(s[:-1])
        return None if head is None else head * _CN_BIG[s[-1]]
    # cn2an's own answer for the common forms, without importing it (~0.14 s per process):
    # it reads plain digits as float(s), and numerals of one or two characters as our parser
    # does (tests/test_numbers.py checks both against cn2an).
    if _PLAIN_DECIMAL.fullmatch(s):
        return float(s)
    if len(s) <= 2 and all(c in CN_NUM_CHARS for c in s):
        return _own_cn_parse(s)
    import cn2an
    try:
        v = cn2an.cn2an(s, "smart")
        return float(v)
    except Exception:
        pass
    return _own_cn_parse(s)


def _own_cn_parse(s: str) -> float | None:
    if "点" in s:
        ip, _, fp = s.partition("点")
        iv = _own_cn_parse(ip) if ip else 0.0
        if iv is None or not fp or any(c not in _CN_DIGIT_VAL for c in fp):
            return None
        return float(f"{int(iv)}." + "".join(str(_CN_DIGIT_VAL[c]) for c in fp))
    if all(c in _CN_DIGIT_VAL for c in s):  # 二〇二〇
        return float("".join(str(_CN_DIGIT_VAL[c]) for c in s))
    total, section, digit = 0, 0, None
    for c in s:
        if c in _CN_DIGIT_VAL:
            digit = _CN_DIGIT_VAL[c]
        elif c in _CN_UNIT_VAL:
            section += (1 if digit is None else digit) * _CN_UNIT_VAL[c]
            digit = None
        elif c in _CN_BIG:
            section += digit or 0
            if section == 0:
                section = 1
            total = (total + section) * _CN_BIG[c] if c == "亿" else total + section * _CN_BIG[c]
            section, digit = 0, None
        else:
            return None
    return float(total + section + (digit or 0))


def _num(s: str) -> float:
    return float(s.replace(",", ""))


_PRE_QUAL_END = re.compile("(?:" + "|".join(sorted(_PRE_QUALS, key=len, reverse=True)) + ")$")
_PRE_QUAL_LAST = frozenset(q[-1] for q in _PRE_QUALS) | {"\n"}


def _pre_qualifier(t: str, start: int) -> tuple[str | None, int]:
    """Qualifier written right before a number (近千名, 约3亿元, 超过90%)."""
    if t[start - 1:start] not in _PRE_QUAL_LAST:
        return None, start   # the pattern's "$" can only be right there (or before a newline)
    m = _PRE_QUAL_END.search(t, max(0, start - 3), start)
    if not m:
        return None, start
    q = m.group(0)
    if q == "近" and start >= 2 and t[start - 2] in "最附":
        return None, start  # 最近, 附近
    return q, start - len(q)


def _line_start(t: str, i: int) -> bool:
    j = i - 1
    while j >= 0 and t[j] in " \t\u3000\xa0":
        j -= 1
    return j < 0 or t[j] in "\n\r"


def _join_q(*qs) -> str | None:
    qs = [q for q in qs if q]
    return "+".join(qs) if qs else None


def find_quantities(text: str, *, all_kinds: bool = False) -> list[dict]:
    """All quantities of `text` in order (see the module docstring for the fields).

    By default only measurements and placeholders; `all_kinds=True` also returns years, dates,
    document numbers, ordinals, codes and bare unit-less numbers, each with its `kind`."""
    t = _ascii_fw(text)
    out: list[dict] = []
    for m in _scan_kept(t):
        start, end = m.start(), m.end()
        branch = _BRANCH_OF[m.lastindex]
        item = None
        if branch == "num":   # the commonest first
            item = _arabic(t, m)
            if item is None:
                continue
            start = item.pop("_start", start)
        elif branch == "date":
            item = {"value": None, "unit": "", "kind": "date"}
        elif branch == "docno":
            item = {"value": None, "unit": "", "kind": "docno"}
        elif branch == "yrange":
            y1, y2 = int(m.group("y1")), int(m.group("y2"))
            years = list(range(y1, y2 + 1)) if 0 < y2 - y1 <= 30 else [y1, y2]
            item = {"value": float(y1), "high": float(y2), "unit": "年", "kind": "year", "years": years}
        elif branch == "yph":
            item = {"value": None, "unit": "年", "kind": "year", "years": []}
        elif branch == "ph":
            unit_raw = m.group("phunit")
            scale = ""
            if unit_raw[0] in "万亿" and unit_raw not in _UNIT_ALIASES:
                scale, unit_raw = unit_raw[0], unit_raw[1:]
            unit, per = _split_unit(unit_raw)
            item = {"value": None, "unit": scale + unit, "kind": "placeholder",
                    "qualifier": m.group("phq")}
            if per:
                item["per"] = per
        elif branch == "phdec":
            item = {"value": None, "unit": "", "kind": "placeholder", "qualifier": None}
        elif branch == "cnpct":
            raw = m.group("cnpctnum")
            if raw[0].isdigit():
                v = _num(raw)
            else:
                v = 100.0 if raw == "百" else parse_cn_number(raw)
            if v is None:
                continue
            item = {"value": v, "unit": "%", "kind": "quantity"}
        elif branch == "cn":
            item = _chinese(t, m)
            if item is None:
                continue
            start = item.pop("_start", start)
        end = item.pop("_end_override", end)
        item.setdefault("qualifier", None)
        item["text"] = text[start:end]
        item["start"], item["end"] = start, end
        unit = item.get("unit") or ""
        item["scale"] = scale_of(unit)
        if all_kinds or item["kind"] in ("quantity", "placeholder"):
            out.append(item)
    return out


def _arabic(t: str, m: re.Match) -> dict | None:
    start, end = m.span()
    raw, scale, q1, unit_raw, rng, post = m.group("num", "scale", "q1", "unit", "rng", "post")
    nxt = t[end:end + 1]
    scale = scale or ""
    # a number glued to Latin letters or more digits/dots is a code (5G, 100M, 1.2.3)
    if not unit_raw and not scale and nxt and (nxt.isascii() and nxt.isalpha() or nxt == "_"):
        return {"value": _num(raw), "unit": "", "kind": "code"}
    prev = t[start - 1:start]
    if prev and (prev.isascii() and prev.isalpha() or prev in "/_"):
        return {"value": _num(raw), "unit": "", "kind": "code"}
    if len(raw) > 1 and raw[0] == "0" and raw[1] != ".":
        return {"value": _num(raw), "unit": "", "kind": "code"}
    unit, per = _split_unit(unit_raw)
    value = _num(raw)
    # ordinals: 第15测评点, 第3名
    if prev == "第":
        return {"value": value, "unit": unit, "kind": "ordinal"}
    if prev == "每" and not rng:  # 每100名学生: a rate's base
        return {"value": value, "unit": unit, "kind": "per"}
    # years: 2020年, 2020年度, 2019学年, 2020届
    if not scale and "." not in raw and "," not in raw and 1900 <= value <= 2099 and len(raw) == 4:
        after = t[start + len(raw):start + len(raw) + 2]
        if unit in ("年", "届") or after.startswith(("年", "学年", "级")) or not unit_raw:
            if not rng:
                return {"value": value, "unit": "年", "kind": "year", "years": [int(value)], "_start": start}
    if not unit_raw and not scale:
        # section numbers at the start of a line: "1." "2、" "（3）"
        if _line_start(t, start) and _LINE_START_ORDINAL.match(t, end):
            return {"value": value, "unit": "", "kind": "ordinal"}
        if prev in "（(" and nxt in "）)" and _line_start(t, start - 1):
            return {"value": value, "unit": "", "kind": "ordinal"}
        if nxt == "月" or (nxt == "日" and prev == "月"):
            return {"value": value, "unit": "", "kind": "date"}
    if unit == "月" or (unit == "日" and prev == "月"):
        return {"value": value, "unit": unit, "kind": "date"}
    kind = "quantity" if (unit_raw or scale) else "number"
    full_unit = scale + unit if scale else unit
    item = {"value": value, "unit": full_unit, "kind": kind}
    if per:
        item["per"] = per
    pre, new_start = _pre_qualifier(t, start)
    if new_start != start:
        item["_start"] = new_start
    quals = [pre, q1]
    if rng:
        unit2, _ = _split_unit(m.group("unit2"))
        full2 = (m.group("scale2") or "") + unit2
        # a range needs the same unit on both ends (or only on the last: 3-5岁)
        if (unit_raw or scale) and (full_unit != full2):
            return _cut_range(t, m, item, quals)
        item["high"] = _num(m.group("num2"))
        item["unit"] = full2
        item["kind"] = "quantity"
        if m.group("unit2") and not unit_raw:
            _, per2 = _split_unit(m.group("unit2"))
            if per2:
                item["per"] = per2
        quals.append(m.group("q2"))
        if item["high"] < item["value"]:
            return _cut_range(t, m, item, quals)
    quals.append(post)
    item["qualifier"] = _join_q(*quals)
    return item


def _cut_range(t, m, item, quals):
    """The '-' was not a range (e.g. '2.3-4.5%' with different units): keep the first number only."""
    item["qualifier"] = _join_q(*quals)
    # end at the first number's unit
    end = m.end("unit") if m.group("unit") else (m.end("q1") if m.group("q1") else
                                                  (m.end("scale") if m.group("scale") else m.end("num")))
    item["_end_override"] = end
    return item


def _chinese(t: str, m: re.Match) -> dict | None:
    start = m.start()
    raw = m.group("cn")
    if start > 0 and t[start - 1] == "第":
        v = parse_cn_number(raw)
        return {"value": v, "unit": _split_unit(m.group("cunit"))[0], "kind": "ordinal"} if v is not None else None
    if _PLAN_NAME.match(raw):
        return None
    if not m.group("cunit"):
        # a bare Chinese numeral counts only when it ends in a scale word and has digits: 三点二亿
        if not (len(raw) >= 2 and raw[-1] in "万亿" and any(c in _CN_DIGIT_VAL for c in raw)):
            return None
    elif raw in ("万", "亿") or (raw == "十" and m.group("cunit").startswith("分")):
        return None  # "万元" with no number, "十分重视"
    if any(t.startswith(v, max(0, start - len(v))) for v in _VAGUE_BEFORE):
        return None
    if t[start - 1:start] == "每":  # 每百名学生: a rate's base, not a measurement
        return {"value": parse_cn_number(raw), "unit": _split_unit(m.group("cunit"))[0], "kind": "per"}
    unit, per = _split_unit(m.group("cunit"))
    if unit == "年" and _NAME_AFTER_YEARS.match(t, m.end("cunit")):
        return None  # 九年一贯制, 学前三年毛入园率, 三年行动计划: part of a name
    # "一" alone before a counter is an article ("一所学校", "一年来"), not a measurement
    if raw in ("一", "两", "二") and unit not in ("元", "千元", "%", "分", "倍", "岁", "人次"):
        return None
    scale = ""
    core = raw
    if len(core) > 1 and core[-1] in "万亿" and not (core[-2] in "万亿"):
        head = core[:-1]
        hv = parse_cn_number(head)
        if hv is not None and ("点" in head or core[-1] == "亿" or head[-1] not in "十百千"):
            scale, core = core[-1], head
        elif hv is not None and core[-1] == "万":
            scale, core = core[-1], head
    v = parse_cn_number(core)
    if v is None:
        return None
    item = {"value": v, "unit": scale + unit, "kind": "quantity"}
    if per:
        item["per"] = per
    pre, new_start = _pre_qualifier(t, start)
    if new_start != start:
        item["_start"] = new_start
    item["qualifier"] = _join_q(pre, m.group("cq"), m.group("cpost"))
    return item
