"""The self-assessed score (自评得分) a report states, and whether its parts add up.

`extract_self_score(text)` looks only at sentences that speak of the report's own evaluation
(自评/自查/自我评价…, see dudao/data/score_terms.yaml) and the sentences that continue them
(itemised deductions "其中，第15测评点因…，扣1分；…"). In that zone it reads:

* total  — "自评总分是104.2分", "最终得分…", "综合自评得分…" (a qualifier before the self word), a
  bare aggregate of score size ("…加分项自评1分，合计89.5分": at least half the full marks); a plain
  "自评得分95.8分" is the total unless a bonus is stated after it as an extra ("另…自评加分2分": then
  it is the base) or a separate total is stated (then it is the base);
* base   — "基础分…", or the plain score when a different total is stated;
* bonus  — a stated sum ("加分项合计加6分"), else the sum of single bonuses; when the wording
  is per item ("各加2分") and base and total are both stated, total − base;
* deducted — a stated sum ("合计扣1.8分": the aggregate word stands right before or after the verb, so
  neither the 共 of a quoted name "“公共服务”扣1.5分" nor "累计扣5分：第6项…扣2分" makes an item a sum),
  else the sum of itemised deductions;
* grade (优秀/良好/合格…, letters, and the four-level 好/较好/一般/差; a one-character grade needs a
  level word in its clause), points_count ("51个观测点", "23个评估要点"; "46个…满分，4个…扣分" add up
  when no whole is stated), full_score ("满分100分", also a cap "满分90分，满意度10分…未纳入自评"),
  items with label/delta/reason.

The zone also reaches back over the itemised deductions and bonuses of the same paragraph that
lead up to the score ("…N个观测点，逐项自查。其中…第k观测点因…，扣1分；…合计扣2分，基础得分98分。
…申报加分1分。自评总分99分"), plus the sentence before them that names the observation points (in
the paragraph before too when the points are those of the self-evaluation: "对照28个评估要点逐项自查。");
"无扣分"/"均为满分" state a deduction of 0 when no deduction is mentioned.

Items are the *labelled* deductions and bonuses (第9观测点, 第7个评估要点, 测评点第6项, B4.1观测点,
指标2.3 …; not a count "加分项2项"; a quoted indicator name may stand between label and amount); an amount
without a label ("另申报加分2分", "扣3分") still counts in bonus/deducted but is no item (it is
kept under "unlabelled" so that the arithmetic check still sees it). A score table
("指标 | 分值 | 自评得分 | 扣分原因", as the docx/html readers render tables) gives one item per
row whose score is below its 分值 (delta = 得分 − 分值, label = the row's first cell) when the text
names no labelled item itself, and its 合计 row gives the total when the text states none.

Placeholders ("自评得分xxx分") give None values; with nothing real left the result is None.
`score_consistency(score)` lists arithmetic problems (code "score_arithmetic").
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from dudao.extract.numbers import parse_cn_number
from dudao.resources import load_yaml

_T = load_yaml("score_terms")


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


_FW = str.maketrans("０１２３４５６７８９．", "0123456789.")

_NUM = (r"(?P<n>[0-9０-９]+(?:[.．][0-9０-９]+)?|[零〇一二两三四五六七八九十百千]+(?:点[零〇一二两三四五六七八九]+)?"
        r"|[xX×＊*ｘＸ]{1,4}|某)")
_FEN = r"\s*分(?![钟析别配布类级批期摊担成流散项值数之])"
_SELF = _alt(_T["self_words"])
_IS = r"(?:为|是|达到|达|计|共|:|：|\s)*"

_RE_SELF = re.compile(rf"{_SELF}|{_alt(_T['self_phrases'])}")
_RE_OTHER = re.compile(_alt(_T["other_score_words"]))
_RE_SENT = re.compile(r"[^。！？!?\n]+[。！？!?]?")
_CLAUSE_BREAK = "，,；;。！？!?\n"

_RE_TOTAL = re.compile(
    rf"(?:(?:{_SELF})?(?:最终|最后)?(?:{_SELF})?(?:{_alt(_T['total_words'])})"
    rf"|(?:{_alt(_T['total_qualifiers'])})(?:{_SELF})(?:{_alt(_T['score_words'])})?){_IS}{_NUM}{_FEN}")
# "…，合计89.5分": a bare aggregate with a score; a total only when large enough (see extract_self_score)
_RE_AGG_TOTAL = re.compile(
    rf"(?<![扣减加失])(?<!满分)(?<!分值)(?:{_alt(_T['total_aggregate_words'])}){_IS}{_NUM}{_FEN}")
_RE_BASE = re.compile(rf"(?:{_alt(_T['base_words'])}){_IS}{_NUM}{_FEN}")
_RE_FULL = re.compile(rf"(?:{_alt(_T['full_words'])}){_IS}{_NUM}{_FEN}")
_RE_SCORE = re.compile(
    rf"(?:(?:{_SELF})[^{_CLAUSE_BREAK}\d加扣减失另]{{0,8}}?(?:{_alt(_T['score_words'])})?"
    rf"|(?:{_alt(_T['score_words'])})){_IS}{_NUM}{_FEN}")
_AGG = _alt(_T["aggregate_words"])
_RE_BONUS = re.compile(
    rf"(?:{_alt(_T['bonus_verbs'])})(?:项|指标)?(?:{_SELF})?(?:得分|分值|计)?(?:{_AGG})?{_IS}{_NUM}{_FEN}")
_RE_DEDUCT = re.compile(
    rf"(?:{_alt(_T['deduct_verbs'])})(?:项|指标)?(?:{_AGG})?{_IS}{_NUM}{_FEN}")
_RE_AGG_BEFORE = re.compile(rf"(?:{_AGG})\s*(?:被|应)?\s*$")  # "合计扣1.8分", "以上共扣4分"
_RE_AGG_IN = re.compile(rf"(?:{_AGG})")  # "扣分合计2.4分": in the amount itself
_RE_EACH_BEFORE = re.compile(rf"(?:{_alt(_T['each_words'])})\s*$")
_RE_INCLUDED = re.compile(_alt(_T["included_words"]))
_RE_EXTRA = re.compile(_alt(_T["extra_words"]))
_RE_POINTS = re.compile(rf"(?<![第0-9０-９.])(?P<n>[0-9０-９]+|[一二两三四五六七八九十百]+)\s*(?:个|项|条)\s*(?:{_alt(_T['point_words'])})")
_ITEM_WORDS = _alt(_T["item_words"])
_KIND_WORDS = _alt(w for w in _T["item_words"] if len(w) >= 2)
_RE_LABEL = re.compile(
    rf"(?:(?:{_KIND_WORDS})\s*)?第\s*(?:[0-9０-９]+|[一二三四五六七八九十百]+)\s*(?:个)?\s*(?:{_ITEM_WORDS})"
    rf"|(?:{_ITEM_WORDS})\s*[A-Za-z]?[0-9]+(?:[.．][0-9]+)*(?![0-9０-９.．]|\s*[{''.join(_T['label_counters'])}])"
    rf"|[A-Za-z]?[0-9]+(?:[.．][0-9]+)+\s*(?:{_ITEM_WORDS})"
    rf"|[A-Z][0-9]+\s*(?:{_ITEM_WORDS})")
_GRADE_WORDS = _alt(_T["grades"])
_GRADE_SUFFIX = _alt(_T["grade_suffixes"])
_RE_GRADE = re.compile(
    rf"(?P<lead>{_alt(_T['grade_lead'])}|[:：])\s*[“\"「]?(?:(?P<g>{_GRADE_WORDS})[”\"」]?\s*(?P<s1>{_GRADE_SUFFIX})?"
    rf"|(?P<l>[{''.join(_T['letter_grades'])}])[”\"」]?\s*(?P<s2>{_GRADE_SUFFIX})?)"
    rf"(?![A-Za-z0-9])")
_RE_GRADE_WORD_CLAUSE = re.compile(_alt(_T["grade_context"]))
_RE_GRADE_LEVEL = re.compile(r"等级|等次|档次")  # a bare letter needs one of these: "等级为A"
_WEAK_GRADES = set(_T["weak_grades"])
_RE_CJK = re.compile(r"[\u4e00-\u9fff]")


def _weak_grade_ok(m: re.Match, clause: str) -> bool:
    """A one-character grade ("等次为“好”") needs a level word in its clause and must end its word."""
    if m.group("g") not in _WEAK_GRADES or m.group("s1"):
        return True
    return bool(_RE_GRADE_LEVEL.search(clause)) and not _RE_CJK.match(m.string, m.end())
_RE_REASON_TRIM = re.compile(
    rf"^[\s，,；;：:、]+|(?:[\s，,；;：:、而均各]|分别|{_SELF})+$")
_RE_CAUSE = re.compile(_alt(_T["cause_words"]))
_RE_REASON_LEAD = re.compile(
    rf"^(?:[（(]|{_alt(_T['included_words'] + _T['extra_words'])}|其中|有)+[，,：:\s]*")
_RE_PLACEHOLDER = re.compile(r"^(?:[xX×＊*ｘＸ]{1,4}|某)$")
_RE_COUNT_BEFORE = re.compile(r"([0-9０-９]+|[一二两三四五六七八九十]+)\s*(?:项|个|条|方面|次)")
_RE_TOTAL_IS_OWN = re.compile(rf"{_SELF}|{_alt(_T['own_total_words'])}")

_RE_ADVERB_SHIFEN = re.compile(r"[\u4e00-\u9fff]")
_RE_NO_DEDUCT = re.compile(_alt(_T["no_deduction_words"]))
_RE_DEDUCT_WORD = re.compile(_alt(_T["deduct_verbs"]))
_RE_PART_FULL = re.compile(_alt(_T["point_part_full"]))
_RE_PART_DEDUCT = re.compile(_alt(_T["point_part_deducted"]))
_TABLE_SEP = "|｜"
_RE_TABLE_SEP = re.compile(f"[{re.escape(_TABLE_SEP)}]")
_RE_TABLE_LINE = re.compile(r"^[^\n|｜]*[|｜][^\n]*$", re.M)
_RE_T_SCORE = re.compile(_alt(_T["table_score_headers"]))
_RE_T_FULL = re.compile(_alt(_T["table_full_headers"]))
_RE_T_REASON = re.compile(_alt(_T["table_reason_headers"]))
_RE_T_TOTAL = re.compile(rf"^(?:{_alt(_T['table_total_labels'])})|(?:{_alt(_T['table_total_labels'])}|小计)$")
_RE_T_SERIAL = re.compile(r"序号|编号|序|No\.?|NO\.?")  # a numbering column is no label
_RE_T_NUM = re.compile(r"^\s*([0-9０-９]+(?:[.．][0-9０-９]+)?)\s*分?\s*$")
_NUM_ANON = _NUM.replace("(?P<n>", "(?:")
_RE_T_REASON_AMOUNT = re.compile(
    rf"[，,；;。\s]*(?:{_alt(_T['deduct_verbs'] + _T['bonus_verbs'])})(?:{_AGG})?{_IS}{_NUM_ANON}{_FEN}[。；;]?\s*$")
_CONTINUE = re.compile(
    rf"(?:{_alt(_T['deduct_verbs'])}|{_alt(_T['bonus_verbs'])}|{_alt(_T['total_words'])})"
    rf"(?:项|指标)?(?:{_AGG})?{_IS}{_NUM_ANON}{_FEN}|(?:(?<=[。！？!?\n])|\A)\s*其中")
# a sentence leading up to the score: a deduction or bonus amount ("…，扣1分；", "申报加分2分")
_LEADING = re.compile(
    rf"(?:{_alt(_T['deduct_verbs'])}|{_alt(_T['bonus_verbs'])})"
    rf"(?:项|指标)?(?:{_AGG})?{_IS}{_NUM_ANON}{_FEN}")


def _cn_number(s: str) -> float | None:
    """A score as written: digits or a Chinese numeral ("一点八", "九十五点五"); None if not a number."""
    return parse_cn_number(s.translate(_FW))


def _num(m: re.Match) -> tuple[float | None, bool]:
    """(value, is_placeholder) of the number group of a match."""
    raw = m.group("n")
    if _RE_PLACEHOLDER.match(raw):
        return None, True
    if raw == "十" and _RE_ADVERB_SHIFEN.match(m.string, m.end()):
        return None, False  # "十分扎实": the adverb, not ten points
    return _cn_number(raw), False


def _clean(v: float | None) -> float | int | None:
    if v is None:
        return None
    v = round(v, 4)
    return int(v) if v == int(v) else v


def _clause_start(text: str, pos: int, lo: int) -> int:
    i = pos
    while i > lo and text[i - 1] not in _CLAUSE_BREAK:
        i -= 1
    return i


def _segment_start(text: str, pos: int, lo: int) -> int:
    """Start of the item segment (after the last ；。 or line break) holding pos."""
    i = pos
    while i > lo and text[i - 1] not in "；;。！？!?\n":
        i -= 1
    return i


_RE_DETAIL_PARA = re.compile(rf"(?m)^[ \t\u3000]*(?:{_alt(_T['detail_leads'])})\s*[:：]")


def _zones(text: str) -> list[tuple[int, int]]:
    """Runs of sentences about the self-evaluation score."""
    anchor_list = [m.start() for m in _RE_SELF.finditer(text)]
    if not anchor_list:
        return []
    sents = [(m.start(), m.end()) for m in _RE_SENT.finditer(text)]
    zones: list[list[int]] = []
    k = 0
    n = len(sents)
    prev_self = False
    free = 0  # first sentence not in a zone yet

    seps = [m.start() for m in _RE_TABLE_SEP.finditer(text)]

    def table_row(i):  # a table separator within sentence i
        a, b = sents[i]
        j = bisect_left(seps, a)
        return j < len(seps) and seps[j] < b

    def same_para(i):  # sentence i and i + 1 are in one paragraph
        return "\n" not in text[sents[i][1]:sents[i + 1][0]]

    while k < n:
        s, e = sents[k]
        if table_row(k):  # score tables are read as tables (_tables), not as sentences
            prev_self = False
            k += 1
            continue
        j = bisect_left(anchor_list, s)
        has_self = j < len(anchor_list) and anchor_list[j] < e
        # a score sentence right after one about the self-evaluation ("三、自评结果\n我市得分96分")
        if (has_self or prev_self) and _has_score(text, s, e, strict=not has_self):
            # back over the deductions and bonuses of the same paragraph that lead up to the score
            b = k
            while b - 1 >= free and b - k > -12 and same_para(b - 1) and not table_row(b - 1) \
                    and _LEADING.search(text, *sents[b - 1]):
                b -= 1
            # one sentence more when it names the observation points: in the same paragraph, or in the
            # paragraph before when the points are those of the self-evaluation ("对照28个评估要点逐项自查。")
            if b > 0 and b - 1 >= free and not table_row(b - 1) \
                    and _points_before(text, sents[b - 1], same_para(b - 1)):
                b -= 1
            zs, ze = sents[b][0], e
            k += 1
            extra = 0
            while k < n and extra < 12:
                s2, e2 = sents[k]
                if not table_row(k) and _CONTINUE.search(text, s2, e2):
                    ze = e2
                    k += 1
                    extra += 1
                    continue
                break
            if zones and zs <= zones[-1][1]:
                zones[-1][1] = ze
            else:
                zones.append([zs, ze])
            prev_self = False
            free = k
            continue
        prev_self = has_self
        k += 1
    # A paragraph that details the deductions or bonuses ("扣分情况：第9观测点…扣1分；…") belongs to
    # the self-evaluation even without 自评 in it, once a score zone exists.
    if zones:
        for m in _RE_DETAIL_PARA.finditer(text):
            end = text.find("\n", m.start())
            span = [m.start(), len(text) if end < 0 else end]
            if not any(a <= span[0] < b for a, b in zones):
                zones.append(span)
        zones.sort()
    return [(a, b) for a, b in zones]  # sorted, disjoint


def _points_before(text: str, sent: tuple[int, int], same_para: bool) -> bool:
    """Does the sentence before a score name the observation points (of the self-evaluation, when it
    stands in another paragraph)?"""
    for m in _RE_POINTS.finditer(text, *sent):
        if same_para:
            return True
        cs = _clause_start(text, m.start(), sent[0])
        ce = m.end()
        while ce < sent[1] and text[ce] not in _CLAUSE_BREAK:
            ce += 1
        if _RE_SELF.search(text, cs, ce):
            return True
    return False


def _has_score(text: str, s: int, e: int, strict: bool = False) -> bool:
    """Does the sentence state a score? `strict`: a plain score or total about no other figure."""
    if strict:
        for rx in (_RE_TOTAL, _RE_SCORE):
            m = rx.search(text, s, e)
            if m and not _RE_OTHER.search(text, s, e):
                return True
        return False
    for rx in (_RE_TOTAL, _RE_SCORE, _RE_BASE, _RE_BONUS, _RE_DEDUCT):
        if rx.search(text, s, e):
            return True
    for m in _RE_GRADE.finditer(text, s, e):
        cs = _clause_start(text, m.start(), s)
        clause = text[cs:m.end()]
        if _RE_SELF.search(clause) and (_RE_GRADE_WORD_CLAUSE.search(clause) or m.group("s1") or m.group("s2")) \
                and _weak_grade_ok(m, clause):
            return True
    return False


def _zone_start(zones, pos: int) -> int:
    k = bisect_right(zones, (pos, float("inf"))) - 1
    return zones[k][0] if k >= 0 else 0


_RE_BREAKDOWN = re.compile(r"[（(]\s*其中[^（）()]{0,120}[）)]")
_RE_ANY_SCORE = re.compile(r"(?<![加扣减])(?:得分?|分数)(?:为|是|：|:)?\s*(?P<n>\d+(?:\.\d+)?)\s*分")


def extract_self_score(text: str) -> dict | None:
    """The self-assessed score stated in a report, or None when none is stated."""
    zones = _zones(text)
    tables = _tables(text, zones)
    if not zones and not tables:
        return None
    totals, bases, scores, fulls, bonuses, deducts, points, grades = [], [], [], [], [], [], [], []
    agg_totals = []
    no_deduct, deduct_words = [], False
    placeholders = 0
    for zs, ze in zones:
        taken = bytearray(ze - zs)  # characters already read by a more specific pattern

        def keep(rx, bucket, check_other=True):
            nonlocal placeholders
            for m in rx.finditer(text, zs, ze):
                if any(taken[m.start() - zs:m.end() - zs]):
                    continue
                cs = _clause_start(text, m.start(), zs)
                if check_other and _RE_OTHER.search(text, cs, m.start()):
                    continue
                v, ph = _num(m)
                if ph:
                    placeholders += 1
                taken[m.start() - zs:m.end() - zs] = b"\x01" * (m.end() - m.start())
                bucket.append((m, v, cs))

        keep(_RE_FULL, fulls, check_other=False)
        keep(_RE_TOTAL, totals)
        keep(_RE_BASE, bases)
        keep(_RE_BONUS, bonuses, check_other=False)
        keep(_RE_DEDUCT, deducts, check_other=False)
        keep(_RE_AGG_TOTAL, agg_totals)
        keep(_RE_SCORE, scores)
        for m in _RE_POINTS.finditer(text, zs, ze):
            v = _cn_number(m.group("n"))
            if v:
                points.append((m, v, _point_part(text, m.end(), ze)))
        for m in _RE_NO_DEDUCT.finditer(text, zs, ze):
            no_deduct.append(m)
        rest = _RE_NO_DEDUCT.sub("", text[zs:ze])
        deduct_words = deduct_words or bool(_RE_DEDUCT_WORD.search(rest))
        for m in _RE_GRADE.finditer(text, zs, ze):
            if any(taken[m.start() - zs:m.end() - zs]):
                continue
            cs = _clause_start(text, m.start(), zs)
            clause = text[cs:m.end()]
            suffix = m.group("s1") or m.group("s2")
            if m.group("l") and not (suffix or _RE_GRADE_LEVEL.search(clause)):
                continue
            if not _weak_grade_ok(m, clause):
                continue
            if not (suffix or _RE_SELF.search(clause) or _RE_GRADE_WORD_CLAUSE.search(clause)
                    or not text[cs:m.start()].strip()):
                continue
            grades.append(m)

    full_score = None
    for m, v, _ in fulls:
        if v:
            full_score = v
    # "…加分项自评1分，合计89.5分": a bare aggregate is the total when it is a score-sized amount
    for t in agg_totals:
        if t[1] is not None and t[1] >= 0.5 * (full_score or 100):
            totals.append(t)
    totals.sort(key=lambda t: t[0].start())
    # "评价总分100分，我县自评得分96分": a bare 总分 before the own score names the full marks
    first_score = next(((m, v) for m, v, _ in scores if v is not None), None)
    if first_score is not None:
        for t in list(totals):
            m, v, _ = t
            if (v is not None and m.start() < first_score[0].start() and not _RE_TOTAL_IS_OWN.search(m.group())
                    and v == int(v) and v % 10 == 0 and v > first_score[1]):
                totals.remove(t)
                full_score = full_score or v
    sanity = 150.0
    if full_score:
        sanity = max(sanity, full_score * 1.5)

    def ok(v):
        return v is not None and 0 <= v <= sanity

    total = total_m = None
    for m, v, _ in totals:
        if ok(v):
            total, total_m = v, m
    base = base_m = None
    for m, v, _ in bases:
        if ok(v):
            base, base_m = v, m
            break
    plain = plain_m = None
    plains = [(m, v) for m, v, _ in scores if ok(v)]
    if plains:
        plain_m, plain = plains[0]
    if total is not None and len({v for m, v in plains if m.start() < total_m.start()}) > 1:
        plain = plain_m = None  # several part scores ("A类指标得分58分，B类…") add up to the total

    # bonus and deduction mentions
    taken_all = sorted(m.end() for bucket in (totals, bases, scores, fulls, bonuses, deducts)
                       for m, _, _ in bucket)
    items = []
    bonus_agg = bonus_agg_m = None
    bonus_single, bonus_each = [], []
    # "加分2.5分（其中A加1.5分、B加1分）": the amounts in the parenthesis break down the one before it
    breakdown = [(pm.start(), pm.end()) for pm in _RE_BREAKDOWN.finditer(text)
                 if any(0 <= pm.start() - bm.end() <= 2 for bm, _, _ in bonuses)]
    bonuses = [(m, v, cs) for m, v, cs in bonuses if not any(a < m.start() < b for a, b in breakdown)]
    for m, v, cs in bonuses:
        if v is None:
            continue
        pre = text[cs:m.start()]
        if _RE_AGG_BEFORE.search(pre) or _RE_AGG_IN.search(m.group()):
            bonus_agg, bonus_agg_m = v, m
            continue
        each = bool(_RE_EACH_BEFORE.search(pre))
        (bonus_each if each else bonus_single).append((m, v))
        items.append(_item(text, m, v, zones, taken_all, each=each))
    ded_agg = ded_agg_m = None
    ded_items = []
    partial = False  # "…扣1分等": the items are examples, their sum is not the deduction
    for m, v, cs in deducts:
        if v is None:
            continue
        pre = text[cs:m.start()]
        if _RE_AGG_BEFORE.search(pre) or _RE_AGG_IN.search(m.group()):
            ded_agg, ded_agg_m = v, m
            continue
        each = bool(_RE_EACH_BEFORE.search(pre))
        partial = partial or text[m.end():m.end() + 1] == "等"
        it = _item(text, m, -v, zones, taken_all, each=each)
        ded_items.append(it)
        items.append(it)
    items.sort(key=lambda i: i["start"])

    # the plain score: total or base?
    if plain is not None:
        if total is not None:
            if base is None and abs(plain - total) > 1e-9:
                base, base_m = plain, plain_m
        else:
            later_bonus = [m for m, _ in bonus_single + bonus_each if m.start() > plain_m.start()]
            if bonus_agg_m is not None and bonus_agg_m.start() > plain_m.start():
                later_bonus.append(bonus_agg_m)
            extra = False
            for bm in later_bonus:
                seg = text[plain_m.end():bm.start()]
                if not _RE_INCLUDED.search(seg) or _RE_EXTRA.search(seg):
                    extra = True
                    break
            if extra and base is None:
                base, base_m = plain, plain_m
            elif not extra:
                total, total_m = plain, plain_m

    bonus = bonus_src = None
    if bonus_agg is not None:
        bonus, bonus_src = bonus_agg, bonus_agg_m
    elif bonus_each and base is not None and total is not None:
        bonus = total - base  # "各加2分": the parts are not all stated, the difference is
    elif bonus_single or bonus_each:
        parts = [v for _, v in bonus_single]
        for m, v in bonus_each:
            count = _count_before(text, m, zones)
            if count is None:
                parts = None
                break
            parts.append(v * count)
        if parts:
            bonus = sum(parts)
            if len(bonus_single) == 1 and not bonus_each:
                bonus_src = bonus_single[0][0]
            elif base is not None and total is not None and abs(base + bonus - total) > 0.005:
                # the same bonus told twice (in the summary and again in the details): when one
                # amount alone makes base + bonus = total, that is the bonus
                same = [(m, v) for m, v in bonus_single if abs(base + v - total) <= 0.005]
                if same:
                    bonus_src, bonus = same[0]

    # a score table: its rows are the items when the text labels none itself
    table_total = None
    for tb in tables:
        if not any(i["label"] for i in items):
            items.extend(tb["items"])
        if tb["total"] is not None and table_total is None:
            table_total = tb["total"]
    table_items = [i for i in items if i.get("table")]
    items.sort(key=lambda i: i["start"])

    deducted = ded_src = None
    if ded_agg is not None:
        deducted, ded_src = ded_agg, ded_agg_m
    elif ded_items and not partial and not any(i.get("each") for i in ded_items):
        deducted = -sum(i["delta"] for i in ded_items)
        ded_src = None
    elif table_items:
        deducted = -sum(i["delta"] for i in table_items if i["delta"] < 0)
    elif no_deduct and not deduct_words:
        deducted, ded_src = 0, no_deduct[0]  # "无扣分观测点", "各观测点均为满分"

    if table_total is not None:
        t_full, t_score, t_m = table_total
        if total is None and base is None:
            total, total_m = t_score, t_m
        if full_score is None and t_full:
            full_score = t_full  # the 分值 column adds up to the full marks

    points_count = None
    pts_m = None
    for m, v, _ in points:
        if points_count is None or v > points_count:
            points_count, pts_m = int(v), m
    if points and all(part for _, _, part in points):
        # "38个测评点得满分，3个测评点有扣分" with no whole stated: the parts add up to it
        full_p = max((pm for pm in points if pm[2] == "full"), key=lambda pm: pm[1], default=None)
        ded_p = max((pm for pm in points if pm[2] == "deducted"), key=lambda pm: pm[1], default=None)
        if full_p and ded_p and full_p[1] + ded_p[1] > points_count:
            points_count = int(full_p[1] + ded_p[1])
            pts_m = min(full_p[0], ded_p[0], key=lambda m: m.start())
    grade = grade_m = None
    if grades:
        grade_m = grades[-1]
        grade = grade_m.group("g") or grade_m.group("l")

    if base is None and total is not None and (bonus or deducted):
        # "实得分98.2分…另获加分2分，总计100.2分", "满分100分，扣减4.5分，得95.5分；…加分2.5分": a
        # stated score that is exactly the total less the bonus, or the full marks less the
        # deductions, is the base.
        wants = [w for w in ((total - bonus) if bonus else None,
                             ((full_score or 100) - deducted) if deducted else None) if w is not None]
        for zs, ze in zones:
            for m in _RE_ANY_SCORE.finditer(text, zs, ze):
                v = _cn_number(m.group("n"))
                if v is not None and v != total and any(abs(v - w) < 0.005 for w in wants):
                    base, base_m = v, m
                    break
            if base is not None:
                break

    if all(x is None for x in (total, base, bonus, deducted, grade)):
        return None

    spans = {}
    for key, m in (("total", total_m), ("base", base_m), ("bonus", bonus_src), ("deducted", ded_src),
                   ("grade", grade_m), ("points_count", pts_m)):
        if m is not None:
            spans[key] = [m.start(), m.end()]
    return {
        "total": _clean(total),
        "base": _clean(base),
        "bonus": _clean(bonus),
        "deducted": _clean(deducted),
        "grade": grade,
        "points_count": points_count,
        "full_score": _clean(full_score),
        "items": [_out_item(i) for i in items if i["label"]],
        "unlabelled": [_out_item(i) for i in items if not i["label"]],
        "placeholders": placeholders,
        "spans": spans,
        "zones": [list(z) for z in zones],
    }


def _point_part(text: str, pos: int, end: int) -> str | None:
    """What a count of points is: "full" ("46个观测点为满分"), "deducted" ("4个观测点扣分"), or the
    whole (None), read from the words right after it in its clause."""
    i = pos
    stop = min(end, pos + 12)
    while i < stop and text[i] not in _CLAUSE_BREAK:
        i += 1
    tail = text[pos:i]
    if _RE_PART_DEDUCT.search(tail):
        return "deducted"
    if _RE_PART_FULL.search(tail):
        return "full"
    return None


def _cells(line: str) -> list[str]:
    return [c.strip() for c in re.split(r"[|｜]", line)]


def _cell_num(cell: str) -> float | None:
    m = _RE_T_NUM.match(cell)
    return _cn_number(m.group(1)) if m else None


class _Span:
    """A match-like span (start/end/group) for a table cell."""

    def __init__(self, text: str, start: int, end: int):
        self.string, self._s, self._e = text, start, end

    def start(self):
        return self._s

    def end(self):
        return self._e

    def group(self, *_):
        return self.string[self._s:self._e]


def _tables(text: str, zones) -> list[dict]:
    """Score tables: rows "指标 | 分值 | 自评得分 | 扣分原因" with a full-marks and a score column.

    Only tables about the self-evaluation count: their score column says so (自评得分), or they
    stand in or right after a self-score zone ("得分情况见下表")."""
    if not any(c in text for c in _TABLE_SEP):
        return []
    blocks: list[list[re.Match]] = []
    for m in _RE_TABLE_LINE.finditer(text):
        if blocks and text[blocks[-1][-1].end():m.start()].strip() == "":
            blocks[-1].append(m)
        else:
            blocks.append([m])
    out = []
    for rows in blocks:
        header = _cells(rows[0].group())
        score_col = next((i for i, c in enumerate(header) if _RE_T_SCORE.search(c)), None)
        full_col = next((i for i, c in enumerate(header)
                         if i != score_col and _RE_T_FULL.search(c)), None)
        if score_col is None or full_col is None or len(rows) < 2:
            continue
        start = rows[0].start()
        near = any(zs <= start <= ze + 300 for zs, ze in zones)
        if not (near or _RE_SELF.search(header[score_col])):
            continue
        reason_col = next((i for i, c in enumerate(header)
                           if i not in (score_col, full_col) and _RE_T_REASON.search(c)), None)
        label_col = next((i for i, c in enumerate(header) if i not in (score_col, full_col, reason_col)
                          and not _RE_T_SERIAL.fullmatch(c)), None)
        table = {"items": [], "total": None}
        for row in rows[1:]:
            cells = _cells(row.group())
            if len(cells) <= max(score_col, full_col):
                continue
            full, score = _cell_num(cells[full_col]), _cell_num(cells[score_col])
            if full is None or score is None:
                continue
            label = re.sub(r"\s+", " ", cells[label_col]) if label_col is not None and label_col < len(cells) else ""
            if _RE_T_TOTAL.search(label.replace(" ", "")):
                if table["total"] is None:
                    cell_at = row.start() + row.group().find(cells[score_col])
                    table["total"] = (full, score, _Span(text, row.start(), cell_at + len(cells[score_col])))
                continue
            delta = score - full
            if abs(delta) < 1e-9 or not label:
                continue
            reason = cells[reason_col] if reason_col is not None and reason_col < len(cells) else ""
            reason = _RE_REASON_TRIM.sub("", _RE_T_REASON_AMOUNT.sub("", reason)).strip("—－-/／ ") or None
            label_at = row.start() + row.group().find(cells[label_col])
            table["items"].append({"label": label, "delta": delta, "reason": reason,
                                   "start": label_at, "end": row.end(), "table": True})
        if table["items"] or table["total"] is not None:
            out.append(table)
    return out


def _out_item(i: dict) -> dict:
    return {k: (_clean(v) if k == "delta" else v) for k, v in i.items() if k != "table"}


def _count_before(text: str, m: re.Match, zones) -> int | None:
    """The number of items an "each" amount applies to ("2项创新工作各加1分" → 2)."""
    seg = text[_segment_start(text, m.start(), _zone_start(zones, m.start())):m.start()]
    counts = _RE_COUNT_BEFORE.findall(seg)
    if not counts:
        return None
    v = _cn_number(counts[-1])
    return int(v) if v else None


def _item(text: str, m: re.Match, delta: float, zones, match_ends, each: bool = False) -> dict:
    seg_start = _segment_start(text, m.start(), _zone_start(zones, m.start()))
    k = bisect_right(match_ends, m.start()) - 1
    if k >= 0:
        seg_start = max(seg_start, match_ends[k])
    label = None
    start = seg_start
    reason_from = seg_start
    for lm in _RE_LABEL.finditer(text, seg_start, m.start()):
        label, start, reason_from = re.sub(r"\s+", "", lm.group()), lm.start(), lm.end()
    raw = text[reason_from:m.start()]
    cause = _RE_CAUSE.search(raw)
    if cause:
        raw = raw[cause.end():]
    elif label is None and (_RE_SELF.search(raw) or _RE_POINTS.search(raw)):
        raw = ""  # the clause is the score statement itself, not a reason
    reason = _RE_REASON_LEAD.sub("", _RE_REASON_TRIM.sub("", raw))
    reason = _RE_REASON_TRIM.sub("", reason)
    if label is None:
        # no label: the item spans its reason (when one is given) and the amount
        start = text.rfind(reason, seg_start, m.start()) if reason else m.start()
        start = m.start() if start < 0 else start
    out = {"label": label, "delta": delta, "reason": reason or None, "start": start, "end": m.end()}
    if each:
        out["each"] = True
    return out


def score_consistency(score: dict | None, full_score: float = 100) -> list[dict]:
    """Arithmetic problems of a self-score: parts that do not add up to the stated total."""
    if not score:
        return []
    tol = 0.01
    full = score.get("full_score") or full_score
    total, base = score.get("total"), score.get("base")
    bonus, deducted = score.get("bonus"), score.get("deducted")
    problems = []

    def fmt(v):
        v = round(float(v), 4)
        return str(int(v)) if v == int(v) else f"{v:g}"

    if total is not None and base is not None and (bonus is not None or deducted is not None):
        b, d = bonus or 0, deducted or 0
        options = [base + b]
        if deducted is not None and abs((full - deducted) - base) > tol:
            options.insert(0, base + b - d)
        if all(abs(o - total) > tol for o in options):
            expected = options[0]
            parts = f"基础分{fmt(base)}" + (f" + 加分{fmt(b)}" if bonus is not None else "") + (
                f" − 扣分{fmt(d)}" if len(options) == 2 else "")
            problems.append({"code": "score_arithmetic",
                             "message": f"自评分数不一致：{parts} = {fmt(expected)}，但报告所述总分为{fmt(total)}分",
                             "expected": round(expected, 4), "stated": total})
    elif total is not None and base is None and deducted is not None:
        b = bonus or 0
        expected = full - deducted + b
        if abs(expected - total) > tol:
            parts = f"满分{fmt(full)} − 扣分{fmt(deducted)}" + (f" + 加分{fmt(b)}" if bonus is not None else "")
            problems.append({"code": "score_arithmetic",
                             "message": f"自评分数不一致：{parts} = {fmt(expected)}，但报告所述总分为{fmt(total)}分",
                             "expected": round(expected, 4), "stated": total})
    ded_items = [i for i in (score.get("items") or []) + (score.get("unlabelled") or [])
                 if (i.get("delta") or 0) < 0 and not i.get("each")]
    spans = score.get("spans") or {}
    if deducted is not None and ded_items and "deducted" in spans:
        s = -sum(i["delta"] for i in ded_items)
        if abs(s - deducted) > tol:
            problems.append({"code": "score_arithmetic",
                             "message": f"扣分明细合计{fmt(s)}分，与报告所述扣分合计{fmt(deducted)}分不一致",
                             "expected": round(s, 4), "stated": deducted, "part": "deducted"})
    return problems
