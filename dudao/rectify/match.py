"""Find, for a problem of last round's feedback, the passages of this year's texts that answer it.

A passage is a ；-clause of a sentence. It answers a problem when it shares a specific topic with
it (a concept of data/rectify_terms.yaml or a canonical indicator of data/indicators.yaml), in
its own words or in the heading it stands under ("（二）关于校舍安全隐患的问题"); topics of the
problem's first sentence weigh double. A problem that names no known topic is matched on its
theme (data/themes.yaml) plus the share of its words (character bigrams) the passage has. A shared theme alone (安全 in
食品安全 for a problem about 安防) is never enough. Passages that only quote the problem as the
feedback put it are not answers, nor are the county's 基本情况, claims of everything at once
("…等各项问题已全面整改到位"), or the same work done for another group (为教师… for a problem about
pupils). A ；-clause naming no topic goes on about the clause before it. A problem's core is the
specific object of its first clause (a broad domain such as 经费 gives way to 培训经费 within it), a
word shared only as the qualifier of another object the passage is about (食堂视频监控) is not
shared, and an ordinal-named school the problem names (县第一中学) ties a passage to it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz

from dudao.extract.figures import extract_figures
from dudao.extract.sections import find_sections
from dudao.rectify.terms import broad, patterns, subjects, term_patterns, terms, topics_in
from dudao.rectify.units import ITEM_MARK, clauses


@dataclass
class Passage:
    start: int
    end: int
    sentence: int
    topics: dict
    heading: bool = False
    roles: tuple = ()
    parent_topics: dict = field(default_factory=dict)
    section: str = ""    # the innermost heading above, without its number


@dataclass
class Doc:
    """One text of this year (a self-report or a rectification report), prepared once."""
    text: str
    file: str | None
    passages: list
    figures: list
    background: frozenset = frozenset()
    date: tuple | None = None   # (year, month) the text is dated: its closing date line, else "截至…年…月"


@dataclass
class Match:
    doc: Doc
    passage: Passage
    score: float
    shared: list
    citation: bool = False

    @property
    def quote(self) -> str:
        return self.doc.text[self.passage.start:self.passage.end]


_NUM_HEAD = re.compile(r"^\s*(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]{1,3}\s*[、．.]|"
                       r"[（(]\s*[一二三四五六七八九十\d]{1,3}\s*[）)]|\d{1,2}\s*[．.、](?!\d))\s*")


def prepare(text: str, file: str | None = None) -> Doc:
    heads = find_sections(text)
    head_at = {h["start"]: h for h in heads}
    passages = []
    done = terms().rx_of(terms().data["sections"]["measures_done"])
    for s, e, k in clauses(text):
        h = head_at.get(s)
        is_head = bool(h) and h["end"] >= e - 1
        inner = [x for x in heads if x["start"] <= s < x["section_end"] and x["start"] != s]
        roles = tuple(sorted({r for x in inner for r in x["roles"]
                              if r != "measures" or not done.search(x["heading"])} | _own_roles(inner)))
        # the topics of the nearest heading above (the innermost that names any)
        parent = {}
        for x in sorted(inner, key=lambda x: -x["start"]):
            found = topics_in(_NUM_HEAD.sub("", x["heading"]))
            if found["concept"] or found["indicator"]:
                parent = found
                break
        if "admission" not in roles and _after_admission_lead(text, s):
            roles = tuple(sorted(set(roles) | {"admission"}))
        elif "admission" in roles and _in_plan_paragraph(text, s):
            # "下一步，…重点抓好以下工作：…三是完善控辍保学长效机制，巩固动态清零成果" under
            # "存在问题和下一步打算": what is to be done, not what is admitted
            roles = tuple(sorted(set(roles) | {"plan"}))
        own = topics_in(text[s:e])
        prev = passages[-1] if passages else None
        if (prev and prev.sentence == k and not is_head and not prev.heading and prev.roles == roles
                and not (own["concept"] | own["indicator"]) and (prev.topics["concept"] | prev.topics["indicator"])
                and not ITEM_MARK.match(text, s)):
            # "…与3家企业签订协议；与另外2家的合作正在洽谈" — a ；-clause naming nothing goes on
            # about the clause before it (not the next item of a list: "…；二是…")
            prev.end = e
            continue
        section = _NUM_HEAD.sub("", max(inner, key=lambda x: x["start"])["heading"]) if inner else ""
        passages.append(Passage(s, e, k, own, is_head, roles, parent, section))
    figs = [f for f in extract_figures(text) if f.get("value") is not None]
    return Doc(text, file, passages, figs, background_topics(passages), signed_date(text))


_DATE_LINE = re.compile(r"^\s*((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*\d{1,2}\s*日\s*$", re.M)


def signed_date(text: str) -> tuple | None:
    """(year, month) of the last line that is only a date: the date a report is signed; unsigned,
    the latest month it tells things done by."""
    found = list(_DATE_LINE.finditer(text))
    if found:
        return int(found[-1].group(1)), int(found[-1].group(2))
    # unsigned: the latest month it tells things done by ("截至2024年3月", "已于2023年12月…")
    told = [(int(x.group(1)), int(x.group(2))) for x in _TOLD_BY.finditer(text)]
    return max(told, default=None)


_TOLD_BY = re.compile(r"(?:截至|截止到?|已于)\s*((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月")


_YEAR_MONTH = re.compile(r"((?:19|20)\d{2})\s*年\s*(?:(\d{1,2})\s*月|(春季|秋季|下半年|年?底|年?末))?")
# the month a season of a year begins in, as a school year counts it (the spring term opens in
# February or March, the autumn term in September)
_SEASON_MONTH = {"春季": 3, "秋季": 9, "下半年": 7, "底": 12, "末": 12, "年底": 12, "年末": 12}


def _month(x: re.Match) -> int:
    """The month a _YEAR_MONTH match names (0: the year alone)."""
    return int(x.group(2)) if x.group(2) else _SEASON_MONTH.get(x.group(3) or "", 0)


def after_signing(text: str, signed: tuple | None) -> bool:
    """A month later than the report's own date (`signed`, signed_date) named in `text` ("2024年8月
    到岗" in a report signed in May 2024, "2024年秋季学期起" in one signed in June, "2025年" in one
    signed in 2024) is still to come: a date for the rest, however it is worded."""
    if signed is None:
        return False
    for x in _YEAR_MONTH.finditer(text):
        month = _month(x)
        if (int(x.group(1)), month) > signed if month else int(x.group(1)) > signed[0]:
            return True
    return False


# a date with what follows it in a deadline or a start ("2022年8月底前", "2025年秋季学期开学前",
# "2014年起")
_DATE_TAIL = re.compile(_YEAR_MONTH.pattern + r"(?:\s*\d{1,2}\s*日)?(?:底|末|上旬|中旬|下旬)?(?:学期)?(?:开学|结束)?"
                        r"\s*(?:前|之前|以前|起|开始)?")


def past_dates_out(text: str, signed: tuple | None) -> str:
    """The text with every date before the report's own month taken out ("于2022年8月底前全部偿还"
    in a report signed that November is done, not a deadline to come). A date promised ("拟从…起")
    and the signing year with a deadline ("2024年底前", "2024年起") may still be to come and are kept."""
    if signed is None:
        return text

    def past(x: re.Match) -> bool:
        # (a year before the signing year is no promise: "于2023年12月下旬将2023年度剩余资金拨付"
        # in a 2024 report is the 将 of 把)
        if terms().rx("promised_date").search(text, max(0, x.start() - 4), x.start()) \
                and int(x.group(1)) >= signed[0]:
            return False
        month = _month(x)
        if month:
            return (int(x.group(1)), month) < signed
        # a year with nothing after it ("2017年全县巩固率达到95.8%") tells that year's state
        bare = x.group(0).rstrip().endswith("年")
        return int(x.group(1)) < signed[0] or (bare and int(x.group(1)) == signed[0])
    return _DATE_TAIL.sub(lambda x: "彼时" if past(x) else x.group(0), text)


def still_to_come(text: str, signed: tuple | None) -> str:
    """The text with only dates still to come left: dates said done ("已于2024年底前收回"), dates
    before the report's own month and routines ("每年年底前开展一次核算") are not deadlines."""
    text = terms().rx("past_date").sub("已", text)
    return terms().rx("recurring").sub("", past_dates_out(text, signed))


def remains(text: str) -> bool:
    """What is left is told: a remaining amount ("尚有12名", "其余3所…") or part of a counted whole
    done ("12所…中，已有9所…", so 3 are not); not the leftovers a mechanism set up deals with."""
    text = terms().rx("paid_difference").sub("", terms().rx("mechanism").sub("", text))
    return bool(terms().cues["remainder"].search(text)) or any(
        int(x["part"]) < int(x["whole"]) for x in terms().rx("part_of").finditer(text))


def background_topics(passages: list) -> frozenset:
    """Topics a large share of the report's passages name (学前教育 all through a report on 学前教育
    普及普惠): the report's subject, not an object. Sharing only these with a problem says nothing
    of whether a passage answers it, however long the report."""
    n = sum(1 for p in passages if not p.heading)
    if n < int(terms().weights["background_min_passages"]):
        return frozenset()
    counts: dict = {}
    for p in passages:
        if not p.heading:
            for t in p.topics["concept"] | p.topics["indicator"]:
                counts[t] = counts.get(t, 0) + 1
    share = terms().weights["background_share"]
    return frozenset(t for t, c in counts.items() if c / n >= share)


def _after_admission_lead(text: str, s: int) -> bool:
    """A passage standing after "…还有差距：" / "存在的不足主要是：" in its own paragraph."""
    line_start = text.rfind("\n", 0, s) + 1
    lead = terms().rx_of(terms().data["sections"]["admission_lead"]).search(text, line_start, s + 1)
    return bool(lead) and lead.end() <= s + 1


def _in_plan_paragraph(text: str, s: int) -> bool:
    """A passage after a sentence opening on "下一步" / "今后" in its paragraph, with no "…还有差距："
    after that."""
    line_start = text.rfind("\n", 0, s) + 1
    sections = terms().data["sections"]
    lead, adm = terms().rx_of(sections["plan_lead"]), terms().rx_of(sections["admission_lead"])
    starts = [line_start] + [line_start + m.end() for m in re.finditer("[。！？]", text[line_start:s])]
    for at in starts:
        if lead.match(text[at:s + 1]) and not adm.search(text, at, s + 1):
            return True
    return False


def _own_roles(heads) -> set[str]:
    """"admission" under a heading of the report's own 存在问题 (not of its 反馈问题整改情况 part)."""
    sec = terms().data["sections"]
    adm, adm_not = terms().rx_of(sec["admission"]), terms().rx_of(sec["admission_not"])
    return {"admission"} if any(adm.search(h["heading"]) and not adm_not.search(h["heading"]) for h in heads) else set()


@lru_cache(maxsize=4096)
def _bigrams(s: str) -> frozenset:
    """Content character bigrams: stop words of the genre and everything but Chinese removed."""
    stop = _stop_re()
    s = stop.sub(" ", s) if stop else s
    runs = re.findall(r"[\u4e00-\u9fff]+", s)
    return frozenset(r[k:k + 2] for r in runs for k in range(len(r) - 1))


@lru_cache(maxsize=1)
def _stop_re():
    words = sorted(terms().data.get("stopwords") or (), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words))) if words else None


def lexical(a: str, b: str) -> float:
    """Share of the content bigrams of `a` that `b` has (word overlap without a segmenter)."""
    ta, tb = _bigrams(a), _bigrams(b)
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / len(ta)


def problem_topics(problem: dict) -> tuple[dict[str, float], set[str]]:
    """Topic id -> weight (topics of the problem's first sentence count double), and the topics
    a passage must share one of: the first sentence's, or all when it names none."""
    head_text = head_clause(problem["title"])
    head = topics_in(head_text)
    if not (head["concept"] | head["indicator"]) and problem.get("label"):
        # a table row's problem cell naming no topic ("全市小学为4.02人…"): what it is about stands
        # in the row's label cell ("每百名学生拥有高于规定学历教师数")
        head_text = problem["label"]
        head = topics_in(head_text)
    body = topics_in(problem["text"] + "\n" + (problem.get("label") or ""))
    w = terms().weights
    out = {}
    core = head["concept"] | head["indicator"]
    # (a subject named as a modifier, "随迁子女…比例", is still who the problem is about)
    core = core - _narrowed(head_text, core) - (_subsumed(head_text, core) - subjects())
    for kind in ("concept", "indicator"):
        for tid in body[kind]:
            base = w[kind]
            # when the first clause names no topic, the explanation's topics are the problem's own
            out[tid] = base if tid in head[kind] or not core else base / 2
    return out, core


def _term_spans(tid: str, text: str) -> list[tuple[int, int]]:
    """Where the concept's terms stand in the text."""
    return [m.span() for p in term_patterns().get(tid, ()) for m in p.finditer(text)]


def _narrowed(head: str, core: set, within_only: bool = False) -> set:
    """The broad domains of a clause that give way to a specific aspect: named within its words
    ("教师培训经费保障": 经费 within 培训经费; "体育场地": 体育 within it) or right after it as what
    it qualifies ("校舍安全隐患": the 隐患 of 校舍), or as an item of a list another topic's words
    open ("音乐、体育、美术等学科教师"). A domain named first or beside another ("体育美育师资")
    stays. `within_only`: every mention of the domain lies within another's words."""
    spans = lambda tid: _term_spans(tid, head)
    gap = int(terms().weights["qualifier_gap"])
    specific = [sp for c in core - subjects() - broad() for sp in spans(c)]
    # a list a topic's own words open ("音乐、|体育、美术等学科教师"): the domain is one of its items
    opening = [sp for c in core - broad() for sp in spans(c) if head[sp[1] - 1] in "、和及"]
    out = set()
    for b in core & broad():
        mine = spans(b)
        inside = [(x, y) for x, y in mine if any(a < y and x < e for a, e in specific)]
        after = [(x, y) for x, y in mine
                 if any(e <= x <= e + gap and not re.search(r"[、和与及，,；;]", head[e:x]) for a, e in specific)]
        listed = [(x, y) for x, y in mine if any(e == x for a, e in opening)]
        # (a domain also named on its own, "体育课和综合体育活动", stays)
        if (within_only and mine and len(inside) == len(mine)) or \
                (not within_only and mine and len(set(inside) | set(after) | set(listed)) == len(mine)):
            out.add(b)
    return out


def _subsumed(head: str, core: set) -> set:
    """Topics of a clause named only as a modifier inside the words of a longer one: a Chinese
    compound ends on what it names ("营养改善计划" is a 计划, "随迁子女在公办学校就读的比例" a ratio,
    so 营养改善 and 随迁子女 only qualify it), while a topic at the end of another's words is the
    object itself ("高中大班额": 大班额 stays). A modifier may also stand right before the other's
    words (an indicator's name often opens after its subject: "随迁子女|在公办学校就读的比例"),
    unless one of the two is a domain named beside another ("体育美育")."""
    spans = {t: _spans(t, head) for t in core}
    inds = _indicator_ids()
    out = set()
    for t, mine in spans.items():
        if mine and all(any((a <= x or (y == a and (u in inds or not {t, u} & broad()))) and y < b
                            for u in core - {t} for a, b in spans[u]) for x, y in mine):
            out.add(t)
    return out


def _spans(tid: str, text: str) -> list[tuple[int, int]]:
    pats = term_patterns().get(tid) or [p for p in (_indicator_patterns().get(tid),) if p is not None]
    return [m.span() for p in pats for m in p.finditer(text) if m.end() > m.start()]


@lru_cache(maxsize=1)
def _indicator_patterns() -> dict:
    return {t.id: t.pattern for t in terms().topics if t.kind == "indicator"}


def answers_core(core: set, have: set) -> bool:
    """A passage's topics answer the problem's first clause: one of its subjects and one of its
    aspects when it names both (data/rectify_terms.yaml), or the same canonical indicator."""
    if core & have & _indicator_ids():
        return True
    subj = core & subjects()
    asp = core - subj - _indicator_ids()
    if not subj and not asp:
        return bool(have)   # the first clause names only an indicator: any shared topic
    return (not subj or bool(subj & have)) and (not asp or bool(asp & have))


@lru_cache(maxsize=1)
def _indicator_ids() -> frozenset:
    return frozenset(t.id for t in terms().topics if t.kind == "indicator")


def head_clause(title: str) -> str:
    """The clause that names a problem: a long first sentence's first clause."""
    if len(title) <= 25:
        return title
    return re.split(r"[，,：:]", title, 1)[0] or title


def institutions(text: str) -> set[str]:
    """Keys of the ordinal-named schools of a text ("县第一中学" and "县一中" → "第一中学")."""
    out = set()
    for m in terms().rx("institution").finditer(text):
        k = re.sub(r"^(?:城关|城东|城西|城南|城北|[县区市旗])", "", m.group(0))
        short = re.fullmatch(r"([一二三四五六七八九])([中小幼])", k)
        if short:
            k = "第" + short.group(1) + {"中": "中学", "小": "小学", "幼": "幼儿园"}[short.group(2)]
        out.add(k)
    return out


def problem_group(problem: dict) -> str | None:
    """The one group (data/rectify_terms.yaml populations) the problem's first clause names, if any."""
    head = head_clause(problem["title"])
    named = [g for g, p in terms().data["populations"].items() if terms().rx_of(p["named"]).search(head)]
    return named[0] if len(named) == 1 else None


def problem_level(problem: dict, kind: str = "levels") -> str | None:
    """The one school level (data/rectify_terms.yaml levels; kind="areas": town or country;
    kind="sectors": public or private; kind="stages": primary or junior) the problem's first clause
    names, if any; when it names none, the one the whole problem names ("校园安防建设不均衡，农村学校
    专职保安员配备率仅为68%", "新建住宅小区配套学校建设滞后，5个小区未同步建设配套中小学")."""
    named = _levels_in(head_clause(problem["title"]), kind) or _levels_in(problem["text"], kind)
    return next(iter(named)) if len(named) == 1 else None


def _levels_in(text: str, kind: str = "levels") -> set[str]:
    return {k for k, rx in terms().data[kind].items() if terms().rx_of(rx).search(text)}


def _only_others(level: str | None, text: str, kind: str = "levels") -> bool:
    """`text` names school levels (or areas, sectors), none of them `level` (None: no limit)."""
    named = _levels_in(text, kind) if level is not None else set()
    return bool(named) and level not in named


def same_level(level: str | None, text: str, p, kind: str = "levels") -> bool:
    """False for a passage telling only of other school levels (or areas)."""
    if not _only_others(level, text[p.start:p.end], kind):
        return True
    # a ；-clause of a sentence whose opening names the level: its parts ("县特殊教育学校开设学前
    # 康复班2个；职业高中部计划2023年秋季招生")
    lead = text[max(text.rfind("。", 0, p.start), text.rfind("\n", 0, p.start)) + 1:p.start]
    return lead.rstrip().endswith(("；", ";")) and level in _levels_in(lead, kind)


# The kinds of scope a problem may name one of (data/rectify_terms.yaml): school level, town or
# country, public or private, primary or junior, the city's own budget or its counties'.
SCOPE_KINDS = ("levels", "areas", "sectors", "stages", "tiers")


def problem_scope(problem: dict) -> dict:
    """What the problem names of each kind of scope (problem_level), and the group it serves
    (problem_group): None where it names none or several."""
    scope = {kind: problem_level(problem, kind) for kind in SCOPE_KINDS}
    scope["group"] = problem_group(problem)
    return scope


def outside_scope(scope: dict, text: str, p) -> bool:
    """A passage telling only of another school level, of town for the country (or the reverse),
    only serving another group than the problem's, only of private provision for a problem of
    public (or the reverse), or only of the counties for the city's own (`scope`: problem_scope)."""
    return (any(not same_level(scope[kind], text, p, kind) for kind in SCOPE_KINDS)
            or not serves_the_same(scope["group"], text[p.start:p.end]))


def _heading_outside(scope: dict, heading: str) -> bool:
    """A heading naming only other school levels, places or sectors than the problem's."""
    return any(_only_others(scope[kind], heading, kind) for kind in SCOPE_KINDS)


def serves_the_same(group: str | None, quote: str) -> bool:
    """False for a passage that names only another group as the ones it serves."""
    if group is None:
        return True
    pops = terms().data["populations"]
    if terms().rx_of(pops[group]["named"]).search(quote):
        return True
    return not any(terms().rx_of(p["served"]).search(quote) for g, p in pops.items() if g != group)


def is_citation(problem: dict, text: str, roles: tuple = ()) -> bool:
    """A passage that restates the problem as the feedback stated it (not the report's own 存在问题
    admitting it again in the same words: "乡村教师周转宿舍仍然不足")."""
    if "admission" in roles and terms().cues["persist"].search(text):
        return False
    if terms().rx("citation").search(text) and len(text) < 80 \
            and not (terms().cues["done"].search(text) or terms().cues["complete"].search(text)):
        return True
    if terms().rx("letter_cited").search(text):
        return True
    return fuzz.ratio(problem["title"], text) >= 85 or (len(text) <= len(problem["title"]) + 12
                                                         and problem["title"] in text)


def letter_background(problems: list[dict]) -> frozenset:
    """Topics (nearly) every problem of a letter names (教育督导 through a letter on 督导体制): the
    letter's subject. They tell none of its problems apart, so they tie no passage to one."""
    w = terms().weights
    if len(problems) < int(w["letter_background_min"]):
        return frozenset()
    counts: dict = {}
    for p in problems:
        for t in problem_topics(p)[0]:
            counts[t] = counts.get(t, 0) + 1
    return frozenset(t for t, c in counts.items() if c / len(problems) >= w["letter_background_share"])


def find_matches(problem: dict, docs: list[Doc], letter_bg: frozenset = frozenset()) -> list[Match]:
    w = terms().weights
    ptop, core = problem_topics(problem)
    pthemes = set(problem.get("themes") or ())
    scope = problem_scope(problem)
    named = institutions(problem["text"])
    out = []
    for doc in docs:
        for p in doc.passages:
            quote = doc.text[p.start:p.end]
            # a heading that states a result ("（一）消除大班额23个，…") is a passage; a title is not
            if (p.heading and not _STATEMENT.search(quote)) or _label_line(doc.text, p):
                continue
            if "overview" in p.roles and not set(p.roles) - {"overview"}:
                continue   # the county described (基本情况: "职教中心1所") is no answer to a problem
            if _generic_claim(p, quote) or list_lead(quote):
                continue
            own = p.topics["concept"] | p.topics["indicator"]
            narrowed = _narrowed(quote, own, within_only=True)   # "体育场地" names no 体育 work
            if narrowed & core and (own & core) - narrowed:
                narrowed -= core   # unless the problem names the same compound ("课后服务经费" in both)
            own = own - narrowed
            inherited = (p.parent_topics.get("concept", set()) | p.parent_topics.get("indicator", set())) - own
            shared = [t for t in ptop if t in own and not _qualified(quote, t, ptop) and not _listed(quote, t)]
            score = sum(ptop[t] for t in shared)
            via_head = [t for t in ptop if t in inherited]
            if not shared and own - subjects() - broad() - doc.background - letter_bg:
                via_head = []   # a heading over two objects ("校舍和宿舍隐患"): the passage is about its own
            score += w["heading"] * sum(ptop[t] for t in via_head)
            lex = lexical(problem["title"], quote)
            if p.section and (shared or not own - _for_a_purpose(quote, own)) \
                    and lexical(head_clause(problem["title"]), p.section) >= w["heading_restates"] \
                    and not outside_scope(scope, doc.text, p) and not _heading_outside(scope, p.section):
                # under a heading restating the problem ("关于…的问题"): an answer in any words, unless
                # it is about another topic only, or the heading or passage of another school level,
                # place or sector ("化解公办学校大班额" for 民办学校大班额)
                out.append(Match(doc, p, w["min_score"] + w["lexical"] * lex + score, shared + via_head,
                                 is_citation(problem, quote, p.roles)))
                continue
            # (about a topic of its own, not only the category or the background: "县一中…特色发展" is
            # no answer to 县一中's large classes)
            same_school = bool(set(shared + via_head) - subjects() - doc.background - letter_bg
                               and institutions(quote + p.section) & named)
            have = set(shared + via_head)
            if core & broad() and have & (set(ptop) - core - broad() - subjects()):
                # a domain the problem states broadly ("办学条件未达标") and spells out in its own
                # explanation ("生均校舍建筑面积仅为11.2平方米"): the specific aspect answers the domain
                have |= core & broad()
            if core and not answers_core(core, have) and not same_school:
                # a school the problem names, spoken of about one of its topics, answers it too
                continue
            if same_school:
                score += w["institution"]
            if outside_scope(scope, doc.text, p) or _for_the_public(quote):
                continue
            if (shared or via_head) and not set(shared + via_head) - doc.background - letter_bg \
                    and lex < w["min_lexical_background"]:
                continue   # only the report's background in common, and few of the problem's words
            if not shared and not via_head:
                # no specific topic in common: only a problem naming none may match, on its theme
                # and words, or (naming no theme either) on more of its words
                if ptop:
                    continue
                if pthemes:
                    if not (pthemes & p.topics["theme"]) or lex < w["min_lexical_only"]:
                        continue
                elif lex < w["min_lexical_alone"]:
                    continue
                score = w["min_score"] + lex
            else:
                score += w["lexical"] * lex
                if pthemes & p.topics["theme"]:
                    score += w["theme"]
            if score < w["min_score"]:
                continue
            out.append(Match(doc, p, score, shared + via_head, is_citation(problem, quote, p.roles)))
    out.sort(key=lambda m: -m.score)
    return out


_STATEMENT = re.compile(r"\d|[，,]")


def _for_a_purpose(quote: str, tids: set) -> set:
    """The topics named only in what money was spent on ("…划转至教育局统筹用于农村学校改薄和教师
    培训"): the purpose of the funds, not what the passage tells of."""
    spans = [m.span() for m in terms().rx("purpose").finditer(quote)]
    if not spans:
        return set()
    def inside(tid):
        found = _term_spans(tid, quote)
        return found and all(any(a <= x and y <= b for a, b in spans) for x, y in found)
    return {t for t in tids if inside(t)}


def _qualified(quote: str, tid: str, ptop: dict) -> bool:
    """Every mention of the topic in the passage is qualified by another object named right before
    it, which the passage is about (named twice or more: "明厨亮灶…食堂视频监控" is the canteen's
    camera, not the school's 安防): the passage shares a word, not the problem's object."""
    pat = patterns().get(tid)
    if pat is None:
        return False
    others = [patterns()[o] for o in patterns() if o not in ptop and o != tid]
    others = [o for o in others if len(o.findall(quote)) >= 2]
    gap = int(terms().weights["qualifier_gap"])
    for m in pat.finditer(quote):
        lead = quote[max(0, m.start() - 12):m.start()]
        lead = re.split(r"[，,。；;、：:]", lead)[-1]
        if not any(x.end() >= len(lead) - gap for o in others for x in o.finditer(lead)):
            return False
    return True


def _listed(quote: str, tid: str) -> bool:
    """Every mention of the topic is a bare item of a list of three or more ("防溺水、防欺凌、防电信
    诈骗等专题教育", "德育、智育、体育、美育和劳动教育协同推进"): the passage is about the list as a
    whole, not that item. Items telling work with a figure ("新建幼儿园3所、消除大班额12个") are not."""
    pat = patterns().get(tid)
    hits = list(pat.finditer(quote)) if pat is not None else []
    n = int(terms().weights["list_item_chars"])
    for m in hits:
        s = max(quote.rfind(c, 0, m.start()) for c in "，,。；;：:") + 1
        e = min([x for x in (quote.find(c, m.end()) for c in "，,。；;：:") if x >= 0] or [len(quote)])
        clause = quote[s:e]
        if re.search(r"\d", clause):
            return False
        bounds = [0] + [k + 1 for k, ch in enumerate(clause) if ch in "、和及与"] + [len(clause) + 1]
        items = list(zip(bounds, bounds[1:]))
        if len(items) < 3:
            return False
        x, y = m.start() - s, m.end() - s
        a, b = next((a, b) for a, b in items if a <= x < b)
        # a middle item is short; the first may open on the clause's lead words and the last run into
        # what the list is for, the item standing next to the list
        if (a, b) == items[0]:
            ok = b - 1 - y <= 1
        elif (a, b) == items[-1]:
            ok = x - a <= 1
        else:
            ok = b - 1 - a <= n
        if not ok:
            return False
    return bool(hits)


def _for_the_public(quote: str) -> bool:
    """Work told as done for the general public and naming no school, pupil or teacher ("更新农村
    客运班线车辆62辆，方便群众出行", "全民健身"): the county's other work, not the schools'."""
    pub = terms().data["populations_public"]
    return bool(terms().rx_of(pub["served"]).search(quote)) and not terms().rx_of(pub["school"]).search(quote)


def _generic_claim(p: Passage, quote: str) -> bool:
    """Many topics claimed at once with no figure ("…等各项问题已全面整改到位"), or the letter's
    problems listed at once ("反馈意见指出了我区在…和…等方面存在的问题")."""
    t = terms().data
    return (len(p.topics["concept"] | p.topics["indicator"]) >= int(t["generic_claim_topics"])
            and not re.search(r"\d", _DATES_AND_DOC_NUMBERS.sub("", quote))
            and bool(terms().rx("generic_claim").search(quote)))


def list_lead(quote: str) -> bool:
    """The sentence opening a list of shortcomings ("…取得了阶段性成效，但…仍存在一些不足："): it
    names the work in general, and admits no problem of its own."""
    return quote.rstrip().endswith(("：", ":")) and bool(terms().rx("problems_lead").search(quote))


# a date or a document number ("2025年5月", "〔2025〕22号") is no figure of work done
_DATES_AND_DOC_NUMBERS = re.compile(r"(?:19|20)\d{2}\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?|"
                                    r"[〔\[［(（]\s*(?:19|20)\d{2}\s*[〕\]］)）]\s*\d+\s*号")


def _label_line(text: str, p: Passage) -> bool:
    """A line of its own that is a title, an addressee ("…办公室：") or a signature, not a statement."""
    line_start = text.rfind("\n", 0, p.start) + 1
    line_end = text.find("\n", p.end)
    line_end = len(text) if line_end < 0 else line_end
    if text[line_start:p.start].strip() or text[p.end:line_end].strip():
        return False
    s = text[p.start:p.end]
    return len(s) <= 40 and not s.endswith(("。", "；", ";", "！", "？"))
