"""dudao.extract.numbers: every quantity of a text, and what is not a measurement.

All sentences here are invented for the tests (other places, years and figures than the seeds).
"""
import pytest

from dudao.extract.numbers import find_quantities, parse_cn_number


def one(text, **kw):
    qs = find_quantities(text, **kw)
    assert len(qs) == 1, qs
    q = qs[0]
    assert text[q["start"]:q["end"]] == q["text"]
    return q


def vals(text, **kw):
    return [(q["value"], q["unit"]) for q in find_quantities(text, **kw)]


@pytest.mark.parametrize("text,value,unit,qualifier", [
    ("全区教育投入达8.35亿元", 8.35, "亿元", None),
    ("维修经费投入2046.18万元", 2046.18, "万元", None),
    ("发放奖补资金985万余元", 985, "万元", "余"),
    ("共计1,384.5元", 1384.5, "元", None),
    ("覆盖率达93.7%", 93.7, "%", None),
    ("覆盖率达93.7％", 93.7, "%", None),
    ("优良率在52%以上", 52, "%", "以上"),
    ("占比百分之六十五", 65, "%", None),
    ("占比百分之72.5", 72.5, "%", None),
    ("全部学校百分之百达标", 100, "%", None),
    ("下降0.7个百分点", 0.7, "个百分点", None),
    ("招聘教师约四百名", 400, "名", "约"),
    ("参训教师两千余人次", 2000, "人次", "余"),
    ("选派近千名骨干", 1000, "名", "近"),
    ("总分九点二分", 9.2, "分", None),
    ("总投资四点五亿元", 4.5, "亿元", None),
    ("投入五点八亿，", 5.8, "亿", None),
    ("户籍人口52.3万", 52.3, "万", None),
    ("在校生7万多名", 7, "万名", "多"),
    ("超过90%的学校", 90, "%", "超过"),
    ("不足200人的小规模学校", 200, "人", "不足"),
    ("每天锻炼2小时左右", 2, "小时", "左右"),
])
def test_measurements(text, value, unit, qualifier):
    q = one(text)
    assert q["kind"] == "quantity"
    assert q["value"] == pytest.approx(value)
    assert q["unit"] == unit
    assert q["qualifier"] == qualifier


def test_scale_field():
    q = one("支出6.2亿元")
    assert q["scale"] == 1e8
    assert one("补助480元")["scale"] == 1.0


def test_per_pupil_money_is_yuan():
    qs = find_quantities("小学880元/生/年，初中1080元/生·年，幼儿园600元每生每年")
    assert [(q["value"], q["unit"], q.get("per")) for q in qs] == [
        (880, "元", "生/年"), (1080, "元", "生/年"), (600, "元", "生/年")]
    assert qs[1]["text"] == "1080元/生·年"


def test_ranges():
    q = one("面向4-6岁幼儿")
    assert (q["value"], q["high"], q["unit"]) == (4, 6, "岁")
    q = one("合格率保持在88%—92%")
    assert (q["value"], q["high"], q["unit"]) == (88, 92, "%")
    q = one("补助300至500元")
    assert (q["value"], q["high"], q["unit"]) == (300, 500, "元")


def test_placeholders():
    q = one("公办园幼儿占比达x%")
    assert q["kind"] == "placeholder" and q["value"] is None and q["unit"] == "%"
    q = one("补助xx万元")
    assert q["kind"] == "placeholder" and q["unit"] == "万元"
    assert one("按x-x元/生.年补助")["kind"] == "placeholder"
    # template years are years, not measurements
    assert find_quantities("20xx年，我市") == []
    assert find_quantities("20xx年，我市", all_kinds=True)[0]["kind"] == "year"


@pytest.mark.parametrize("text,unit", [
    ("新增小学学位xxxx个", "个"),        # four gap letters
    ("覆盖率达xx.x%", "%"),             # a gap with a decimal part
    ("支出x.xx亿元", "亿元"),
    ("差异系数为0.xx", ""),              # a coefficient's gap: no unit, the point makes it a number
    ("差异系数为x.xx。", ""),
])
def test_longer_and_decimal_placeholders(text, unit):
    qs = find_quantities(text)
    assert len(qs) == 1, qs
    q = qs[0]
    assert q["kind"] == "placeholder" and q["value"] is None and q["unit"] == unit
    assert text[q["start"]:q["end"]] == q["text"] and q["text"][0] in "0xX"


def test_decimal_placeholder_near_misses():
    # a real coefficient next to a gap; a version number; five gap letters are no template gap
    got = [(q["text"], q["kind"]) for q in find_quantities("分别为0.35和0.xx", all_kinds=True)]
    assert got == [("0.35", "number"), ("0.xx", "placeholder")]
    assert all(q["kind"] != "placeholder" for q in find_quantities("升级到Android 9.x系统", all_kinds=True))
    assert all(q["kind"] != "placeholder" for q in find_quantities("编号v2.xx", all_kinds=True))
    assert find_quantities("xxxxx个") == []


@pytest.mark.parametrize("text,kind", [
    ("2022年，全县", "year"),
    ("2021年度", "year"),
    ("2020学年", "year"),
    ("（2019—2022年）", "year"),
    ("2023年3月15日印发", "date"),
    ("发布于2022-04-18", "date"),
    ("（黔教督〔2022〕7号）", "docno"),
    ("（浙教督[2021]15号）", "docno"),
    ("第18测评点扣0.5分", "ordinal"),
    ("索引号00412/2022-00031", "code"),
])
def test_not_measurements(text, kind):
    qs = find_quantities(text, all_kinds=True)
    assert qs and qs[0]["kind"] == kind
    assert all(q["kind"] not in ("quantity",) or q["text"] not in ("2022", "2021") for q in qs)
    # by default none of these is a measurement (except the score after the ordinal)
    default = find_quantities(text)
    assert all(q["kind"] in ("quantity", "placeholder") for q in default)
    if kind != "ordinal":
        assert default == []


def test_year_range_years():
    q = find_quantities("2018-2021年，全市", all_kinds=True)[0]
    assert q["kind"] == "year" and q["years"] == [2018, 2019, 2020, 2021]


def test_section_numbers_are_ordinals():
    text = "三、存在问题\n1.学前资源不足。\n（2）师资结构不优。\n4、经费压力大。"
    assert find_quantities(text) == []
    kinds = [q["kind"] for q in find_quantities(text, all_kinds=True)]
    assert kinds == ["ordinal", "ordinal", "ordinal"]


def test_chinese_words_that_are_not_quantities():
    for text in ("十四五期间", "十分重视", "一是加强领导", "一校一品", "九年一贯制学校",
                 "数千名家长", "每百名学生拥有", "五育并举"):
        assert find_quantities(text) == [], text


def test_mixed_sentence_offsets():
    text = "2021年，全市投入3.6亿元（含省补0.8亿元），新建学校5所，新增学位4200余个，覆盖率达96.5%以上。"
    qs = find_quantities(text)
    assert [(q["value"], q["unit"]) for q in qs] == [
        (3.6, "亿元"), (0.8, "亿元"), (5, "所"), (4200, "个"), (96.5, "%")]
    for q in qs:
        assert text[q["start"]:q["end"]] == q["text"]


def test_parse_cn_number():
    assert parse_cn_number("三百") == 300
    assert parse_cn_number("一点八") == pytest.approx(1.8)
    assert parse_cn_number("两千") == 2000
    assert parse_cn_number("三点二亿") == pytest.approx(3.2e8)
    assert parse_cn_number("千") == 1000
    assert parse_cn_number("一万二千") == 12000
    assert parse_cn_number("二〇二二") == 2022
    assert parse_cn_number("甲") is None


def test_common_forms_read_without_cn2an_as_cn2an_reads_them():
    """parse_cn_number skips cn2an for plain digits and numerals of one or two characters; the
    result must be what cn2an (else our own parser) gives for every such string."""
    import itertools
    import random

    import cn2an

    from dudao.extract.numbers import CN_NUM_CHARS, _own_cn_parse, _parse_cn_cached

    def reference(s):
        try:
            return float(cn2an.cn2an(s, "smart"))
        except Exception:
            return _own_cn_parse(s)

    rng = random.Random(7)
    digits = ["0", "00", "7", "010", "2022", "95.2", "0.5", "100.25", "1" * 30]
    digits += [f"{rng.randint(0, 10 ** rng.randint(1, 9))}.{rng.randint(0, 999)}" for _ in range(200)]
    short = ["".join(p) for n in (1, 2) for p in itertools.product(CN_NUM_CHARS, repeat=n)]
    for s in digits + short:
        _parse_cn_cached.cache_clear()
        got = _parse_cn_cached(s)
        assert got == reference(s) and type(got) is type(reference(s)), s


def test_fullwidth_digits():
    q = one("覆盖率达９５．２％")
    assert q["value"] == pytest.approx(95.2) and q["unit"] == "%"
    assert q["text"] == "９５．２％"


def test_quantity_shortcuts_equal_the_plain_steps():
    """find_quantities skips a bare one-character numeral, looks a pre-qualifier up only after
    its last characters, and reads a cached scale_of: each gives what the plain step gives."""
    import random

    from dudao.extract import numbers as N
    from dudao.semantics import scale_of
    rng = random.Random(21)
    alphabet = "一二两三十百千万亿点第每余多以上名所个元年%进步统近约超过不足到少逾将接至于\n 3.5，。"
    skipped = quals = 0
    for _ in range(3000):
        t = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30)))
        for m in N._scan(t):
            s = m.start()
            if N._BRANCH_OF[m.lastindex] == "cn" and m.end() - s == 1 and (s == 0 or t[s - 1] != "第"):
                skipped += 1
                assert N._chinese(t, m) is None, (t, s)
        for s in range(len(t) + 1):
            plain = N._PRE_QUAL_END.search(t, max(0, s - 3), s)   # what the pattern alone finds
            got = N._pre_qualifier(t, s)
            if not plain:
                assert got == (None, s), (t, s)
            else:
                quals += 1
                assert got[0] in (plain.group(0), None) and (got[0] is None) == (
                    plain.group(0) == "近" and s >= 2 and t[s - 2] in "最附"), (t, s)
        for q in N.find_quantities(t, all_kinds=True):
            assert q["scale"] == scale_of(q["unit"])
    assert skipped > 1000 and quals > 100
