"""The faster scans find exactly what a plain `finditer` finds (spans and groups, in order)."""
import random
import re

from dudao.extract import numbers, placeholders
from dudao.extract.anchored import Anchored, anchor_of, scan_from
from dudao.extract.figures import _vocab

# Characters the patterns care about, plus ordinary prose, so random text hits many edge cases.
_ALPHABET = ("0123456789０１２３４５６７８９.,，％%-—~至到年月日号〔〕[]（）()xX×＊*_＿□■ｘ"
             "零〇一二两三四五六七八九十百千万亿点余多以上左右近约第每个名所元亿元万元平方米"
             "学前三年毛入园率义务教育巩固率差异系数合格率满意度新增学位其中公办随迁子女参与率"
             "全县我市得分为达到提高优良，。；\n 的和及")


def _texts(n=300, seed=7):
    rng = random.Random(seed)
    return ["".join(rng.choice(_ALPHABET) for _ in range(rng.randint(1, 120))) for _ in range(n)]


def _spans(it):
    return [(m.span(), m.groups()) for m in it]


def test_quantity_scan_equals_finditer():
    for t in _texts():
        t = numbers._ascii_fw(t)
        assert _spans(numbers._scan(t)) == _spans(numbers._MASTER.finditer(t)), t


def test_quantity_scan_skips_only_lone_numerals():
    def lone(t, m):   # one Chinese numeral and nothing more, no 第 before it
        return (m.end() - m.start() == 1 and m.group(0) in numbers.CN_NUM_CHARS
                and (m.start() == 0 or t[m.start() - 1] != "第"))
    texts = _texts() + ["进一步统一，第三，三所，十分，一点五万，一以上，百分之五，第一二三"]
    for t in texts:
        t = numbers._ascii_fw(t)
        every = _spans(numbers._MASTER.finditer(t))
        scan = list(numbers._scan_kept(t))
        assert set(_spans(scan)) <= set(every), t   # a lone numeral may still be met ("二上")
        kept = [m for m in numbers._MASTER.finditer(t) if not lone(t, m)]
        assert _spans(m for m in scan if not lone(t, m)) == _spans(kept), t


def test_fullwidth_to_ascii_equals_translate():
    table = str.maketrans("０１２３４５６７８９．％，", "0123456789.%,")
    for t in _texts():
        assert numbers._ascii_fw(t) == t.translate(table)


def test_placeholder_scan_equals_finditer():
    rx, first = placeholders._pattern()
    for t in _texts():
        assert _spans(scan_from(rx, first, t)) == _spans(rx.finditer(t)), t


def test_alias_scan_equals_finditer():
    aliases = [a for ind in _vocab().indicators for a in ind.aliases]
    assert sum(a.scan.anchor is not None for a in aliases) > len(aliases) // 2
    from dudao.extract.figures import _anchor_offsets
    for t in _texts(seed=11) + ["骨干教师交流轮岗教师占专任教师比例，新增学位新增了学位，普惠性幼儿园覆盖率"]:
        offsets = _anchor_offsets(t)
        for a in aliases:
            assert _spans(a.scan.finditer(t)) == _spans(a.rx.finditer(t)), (a.rx.pattern, t)
            if a.scan.anchor is not None:   # offsets found by the automaton, as str.find finds them
                at = offsets.get(a.scan.anchor[0], [])
                assert _spans(a.scan.finditer(t, at)) == _spans(a.rx.finditer(t)), (a.rx.pattern, t)


def test_anchor_of():
    assert anchor_of(re.compile(r"(?:九年)?义务教育(?:阶段)?巩固率")) == ("义务教育", 0, 2)
    assert anchor_of(re.compile(r"(?<![小初高])毛入园率")) == ("毛入园率", 0, 0)
    assert anchor_of(re.compile(r"\d+个")) is None  # unbounded lead: plain finditer
    rx = re.compile(r"(?:新增)?[^，]{0,3}学位")
    t = "新增学位，新增了学位和学位，新增三千个学位"
    assert _spans(Anchored(rx).finditer(t)) == _spans(rx.finditer(t))


def test_required_literals_never_skip_a_match():
    """A text without any of a pattern's required literals has no match (classify skips the
    pattern then): checked on random text made of the literals' own characters and prose."""
    from dudao.classify import _cues
    from dudao.extract.anchored import required_literals
    patterns = list(_cues().patterns.values()) + [
        re.compile(r"(?:反馈|通报)如下|意见如下"), re.compile(r"[日天]上午|(?<!安)全[校园]"),
        re.compile(r"a{2,}b?|(?:x)+y"), re.compile(r"(?:ab|cd)+ef?"), re.compile(r"q?(?:r|)s")]
    rng = random.Random(11)
    checked = 0
    for rx in patterns:
        lits = required_literals(rx)
        if not lits:
            continue
        chars = "".join(sorted(set("".join(lits)))) + "abcdefxyqrs，。：:\n 我县市区各第日月12"
        for _ in range(400):
            t = "".join(rng.choice(chars) for _ in range(rng.randint(0, 40)))
            if rx.search(t):
                checked += 1
                assert any(s in t for s in lits), (rx.pattern, t, lits)
    assert checked > 500
    assert required_literals(re.compile(r"x|y*")) is None       # an alternative needs nothing
    assert required_literals(re.compile(r"(?i)abc")) is None    # case-folded: not literal
    assert required_literals(re.compile(r"a{0,2}b")) == ("b",)


def test_first_chars_begin_every_match():
    """Every match begins with a character of `first_chars` (clean skips a pattern when the
    text holds none); checked on random text of the patterns' own characters and prose."""
    from dudao.classify import _cues
    from dudao.clean import _cut_patterns
    from dudao.extract.anchored import first_chars
    patterns = [rx for rx, _, _ in _cut_patterns()] + list(_cues().patterns.values()) + [
        re.compile(r"(?<![\n，。])(?:指出|强调)[,，]"), re.compile(r"a{0,2}b|(?:x)+y"),
        re.compile(r"(?:ab|)c?d"), re.compile(r"[\ue000-\uf8ff]+|烫烫")]
    rng = random.Random(5)
    checked = 0
    for rx in patterns:
        first = first_chars(rx)
        if first is None:
            continue
        chars = first.pattern[1:-1].replace("\\", "")[:40] + "abcdxy，。\n 我县市区[]{}HYPERLINK:_烫\ue001\ufffdÃ©"
        for _ in range(300):
            t = "".join(rng.choice(chars) for _ in range(rng.randint(0, 30)))
            for m in rx.finditer(t):
                checked += 1
                assert first.match(t, m.start()), (rx.pattern, t)
            if not first.search(t):
                assert rx.search(t) is None, (rx.pattern, t)
    assert checked > 500
    assert first_chars(re.compile(r"x|y*")) is None      # may match empty
    assert first_chars(re.compile(r"\d+年")) is None      # a category: unknown
    assert first_chars(re.compile(r"(?m)^\s*x")) is None
    assert first_chars(re.compile(r"(?i:ab)|c")) is None        # case-folded group
    assert first_chars(re.compile(r"(?<!自)评价|公[告示]")).pattern == "[评公]"
    assert first_chars(re.compile(r"[\ufffd\ue000-\uf8ff]+|锟")).pattern == "[\ufffd\ue000-\uf8ff锟]"


def _meta_patterns(meta) -> list:
    """The patterns extract_meta scans with anchored.finder_for."""
    return [meta._RE_YEAR_MENTION, meta._RE_REPORT_PHRASE, meta._RE_WORK_PHRASE, meta._RE_DUTY_PHRASE,
            meta._RE_ROUND_1, meta._RE_ROUND_2, meta._RE_ROUND_3, meta._RE_RANGE, meta._RE_DOCNO_BROKEN]


def test_finder_equals_finditer():
    from dudao.classify import _cues
    from dudao.checks import rules
    from dudao.extract import figures, meta
    from dudao.extract.anchored import finder
    v = _vocab()
    patterns = list(_cues().patterns.values()) + _meta_patterns(meta) + [
        v.target_strong, v.past, v.scope_rx, figures._YEAR_RX, rules._DATED,
        re.compile(r"反馈|(?<!自)评价"), re.compile(r"(?:ab|)c?d")]
    assert any(finder(rx) != rx.finditer for rx in patterns)
    texts = _texts(seed=3) + ["自评价与评价，反馈意见；督导组认为：现将结果公示如下", "xxcdabd" * 3,
                              "2021年度对丰和县人民政府履行教育职责评价，2019—2021年，〔2020〕3号，2020〔5〕号",
                              "预计到2025年，全县义务教育阶段学校已完成；其中中小学幼儿园去年新增",
                              "截至2023年5月，截止到2024年，至2022年底"]
    rng = random.Random(9)
    for rx in patterns:
        find = finder(rx)
        # random text of the pattern's own characters hits its alternatives and lookbehinds
        own = sorted(set(c for c in rx.pattern if not c.isascii() or c.isdigit())) + list("，。\n 年")
        for t in texts + ["".join(rng.choice(own) for _ in range(rng.randint(1, 80))) for _ in range(60)]:
            assert _spans(find(t)) == _spans(rx.finditer(t)), (rx.pattern, t)
            a, b = len(t) // 4, len(t) * 3 // 4
            assert _spans(find(t, a, b)) == _spans(rx.finditer(t, a, b)), (rx.pattern, t, a, b)


def test_first_strings_begin_every_match():
    """Every match begins with one of `first_strings` (finder scans from them): checked on
    random text of the patterns' own characters, and scan_from with them equals finditer."""
    from dudao.classify import _cues
    from dudao.checks import rules
    from dudao.extract import meta
    from dudao.extract.anchored import first_strings
    patterns = list(_cues().patterns.values()) + _meta_patterns(meta) + [rules._DATED, placeholders._pattern()[0]] + [
        re.compile(r"(?:截至|截止到?|至)?((?:19|20)\d{2})\s*年"), re.compile(r"(?<![0-9])(?:19|20)[0-9]{2}年?"),
        re.compile(r"(?:ab)?c[de]f|g(?=h)i?"), re.compile(r"(?:ab)+c|x{1,3}y"), re.compile(r"a(?:b|)c|(?>de)f")]
    rng = random.Random(13)
    checked = used = 0
    for rx in patterns:
        first = first_strings(rx)
        if first is None:
            continue
        used += 1
        own = sorted(set(c for c in rx.pattern if not c.isascii() or c.isalnum())) + list("，。\n 年xyz")
        for _ in range(300):
            t = "".join(rng.choice(own) for _ in range(rng.randint(0, 40)))
            for m in rx.finditer(t):
                checked += 1
                assert first.match(t, m.start()), (rx.pattern, first.pattern, t)
            assert _spans(scan_from(rx, first, t)) == _spans(rx.finditer(t)), (rx.pattern, t)
    assert used > 10 and checked > 1000
    assert first_strings(re.compile(r"(?:ab)?c")).pattern == "abc|c"
    assert first_strings(re.compile(r"(?<!\d)(?:19|20)\d{2}")).pattern == "19|20"
    assert first_strings(re.compile(r"(?:ab)+c")).pattern == "ab"       # a second "ab" may follow
    assert first_strings(re.compile(r"a*b")) is None                     # single characters only
    assert first_strings(re.compile(r"x|y*")) is None                    # may match empty
    assert first_strings(re.compile(r"\d\d年")) is None                  # a category: unknown
    assert first_strings(re.compile(r"(?i:ab)c")) is None                # case-folded group


def test_first_strings_per_alternative():
    """Too many strings for the whole pattern: each alternative gets its own length."""
    from dudao.extract.anchored import first_strings
    rx = re.compile(r"(?:(?:19|20)[xX]{2})|(?:[a-h][1-9])|(?:_{3,})")
    assert first_strings(rx).pattern == "19X|19x|20X|20x|_|a|b|c|d|e|f|g|h"
    assert placeholders._pattern()[1].match("20xx") and not placeholders._pattern()[1].match("25")
    assert first_strings(re.compile(r"(?:ab)|(?:c*)")) is None    # an alternative may match empty


def test_finder_for_builds_each_pattern_once():
    from dudao.extract.anchored import finder, finder_for
    rx = re.compile(r"(?<![0-9])(?:19|20)[0-9]{2}年")
    assert finder_for(rx) is finder_for(rx)
    t = "2019年到2021年，12020年"
    assert _spans(finder_for(rx)(t)) == _spans(finder(rx)(t)) == _spans(rx.finditer(t))
