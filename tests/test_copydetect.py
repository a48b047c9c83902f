"""Copy detection across reports (dudao.review.copydetect).

All fixture texts are invented for these tests; the seed tests read ../shared/corpus/seeds at
run time and skip when it is missing.
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from dudao.review.copydetect import (
    PLACEHOLDER, WINNOW, GramCounts, find_copies, normalise, _index_doc, _prepare,
)

SEEDS = Path(__file__).parents[1].parent / "shared" / "corpus" / "seeds"

# --- invented reports ---------------------------------------------------------------------------

A = [  # 云溪县
    "云溪县地处丘陵山区，辖九镇三乡，常住人口三十一万。全县现有各级各类学校八十六所，在校学生四万二千余人，专任教师三千一百余名。",
    "二〇二二年，县财政安排教育专项资金一点六亿元，重点用于农村寄宿制学校食堂改造、乡村小规模学校取暖设施更新和城区学校扩容，全年新增公办学位二千四百个，有效缓解了城区大班额压力。",
    "在教师队伍建设方面，云溪县推行“县管校聘”管理改革，组织一百二十名城区骨干教师到山区学校支教一年，同时为乡村教师发放每月四百元至八百元不等的岗位生活补助，稳定了偏远学校的师资。",
    "在质量提升方面，县教研室牵头组建十二个学科中心组，每学期开展送教下乡活动，覆盖全部村小和教学点；县里还与邻近高校共建劳动教育实践营地，每年接待中小学生一万余人次。",
    "当前仍存在一些短板：部分山区学校音体美专职教师不足，学前教育保教费标准多年未作调整，职业学校实训设备更新较慢。我们将在今后三年逐项加以解决。",
]
B = [  # 石泉县
    "石泉县位于平原与湖区交界处，水网密布，交通便利。近年来县委把校园建设列入民生实事清单，每季度听取一次进展汇报。",
    "全县推进学区制管理，将三十四所中小学划分为六个学区，学区内统一排课、统一教研、统一质量分析，学区长由优质学校校长兼任，任期三年。",
    "县教育局联合卫健部门开展近视防控专项行动，为每间教室更换护眼灯具，学生每日户外活动时间不少于两小时，年度视力监测结果向家长公开。",
    "下一阶段，石泉县将重点谋划第二所公办高中选址，力争明年秋季动工。",
]
C = [  # 青禾区
    "青禾区是主城核心区，人口密度高，学位需求持续旺盛。区政府通过挖潜改造、租赁过渡和新建配套学校三条路径增加供给，两年内交付六所配套学校。",
    "区里建立课后服务经费分担机制，财政按每生每年三百元给予补助，家长自愿参加，服务内容以作业辅导、社团活动和体育锻炼为主，参与率达到九成以上。",
    "针对随迁子女入学，青禾区简化材料审核流程，实行网上一次申报，今年共安置随迁子女五千三百余名，全部就近安排在公办学校或政府购买学位的民办学校。",
]
D = [  # 松川市
    "松川市把职业教育作为服务本地制造业的重要抓手，与园区龙头企业合作开设数控、电气和新能源汽车维修专业，订单培养学生八百余人。",
    "市特殊教育学校完成迁建，新增康复训练室和融合教育资源中心，适龄残疾儿童少年入学安置率保持在百分之九十八以上。",
    "市教育督导部门每年对镇街履行教育职责情况开展专项督导，结果纳入镇街年度综合考核，对整改不到位的单位进行约谈。",
]
NAMES = {"A": ["云溪县", "云溪"], "B": ["石泉县", "石泉"], "C": ["青禾区", "青禾"], "D": ["松川市", "松川"]}
STOCK = "以习近平新时代中国特色社会主义思想为指导，全面贯彻党的教育方针，落实立德树人根本任务，努力办好人民满意的教育。"


def text(paras):
    return "\n".join(paras)


def core(s: str) -> str:
    """The paragraph without leading/trailing punctuation and spaces (what a passage spans)."""
    m = re.search(r"\w.*\w", s, re.S)
    return m.group(0)


def span_of(haystack: str, needle: str) -> tuple[int, int]:
    i = haystack.index(needle)
    return i, i + len(needle)


def live(result):
    return [p for pair in result["pairs"] for p in pair["passages"] if not p["boilerplate"]]


# --- normalisation ------------------------------------------------------------------------------

def test_normalise_keeps_offsets_and_masks():
    raw = "ＡＢ２０２１年，xx市 现有学校x所；某某区、云溪县。"
    norm, starts, ends = normalise(raw, ["云溪县", "云溪"])
    ph = PLACEHOLDER
    assert norm == f"ab2021年{ph}市现有学校{ph}所{ph}市{ph}市"     # 市/县/区 read alike
    assert len(starts) == len(ends) == len(norm)
    # every normalised character maps back to the original characters it stands for
    for ch, s, e in zip(norm, starts, ends):
        if ch == PLACEHOLDER:
            assert raw[s:e] in ("xx", "x", "某某", "云溪")
        else:
            assert normalise(raw[s:e])[0] == ch


def test_any_shared_run_of_guaranteed_length_shares_an_anchor():
    """Winnowing: two texts sharing own wording of min_run + WINNOW - 1 characters share an anchor,
    wherever the run sits in them."""
    import random
    rng = random.Random(3)
    pool = [c for c in "".join(A + B + C + D) if "\u4e00" <= c <= "\u9fff"]   # kept by normalise
    k = 13
    for _ in range(40):
        run = "".join(rng.choice(pool) for _ in range(k + WINNOW - 1))
        left = "".join(rng.choice(pool) for _ in range(rng.randint(0, 300)))
        right = "".join(rng.choice(pool) for _ in range(rng.randint(0, 300)))
        x = _prepare("x", left + run, False, None, k)
        y = _prepare("y", run + right, False, None, k)
        for d in (x, y):
            _index_doc(d, GramCounts(), 3, k)
        assert len(np.intersect1d(x.anchors, y.anchors)) > 0
        assert len(np.intersect1d(x.seeds, y.seeds)) > 0


# --- behaviour ----------------------------------------------------------------------------------

def test_two_pasted_paragraphs_found_exactly():
    src = text(A)
    copy = text([B[0], A[1], B[1], A[3], B[2]])
    res = find_copies([("A", src), ("B", copy)], region_names=NAMES)
    assert len(res["pairs"]) == 1
    pair = res["pairs"][0]
    assert (pair["a"], pair["b"]) == ("A", "B")
    got = sorted((p["a_start"], p["a_end"], p["b_start"], p["b_end"]) for p in live(res))
    want = sorted(span_of(src, core(A[i])) + span_of(copy, core(A[i])) for i in (1, 3))
    assert got == want
    for p in pair["passages"]:
        assert p["a_text"] == src[p["a_start"]:p["a_end"]]
        assert p["b_text"] == copy[p["b_start"]:p["b_end"]]
    chars = sum(len(normalise(A[i])[0]) for i in (1, 3))
    assert pair["shared_chars"] == chars
    all_names = [n for v in NAMES.values() for n in v]
    assert res["ratios"]["B"] == pytest.approx(chars / len(normalise(copy, all_names)[0]), abs=1e-6)
    assert res["ratios"]["A"] == pytest.approx(chars / len(normalise(src, all_names)[0]), abs=1e-6)


def test_region_name_swap_still_matches():
    swapped = A[2].replace("云溪县", "石泉县")
    copy = text([B[0], swapped, B[1]])
    res = find_copies([("A", text(A)), ("B", copy)], region_names=NAMES)
    (p,) = live(res)
    assert p["a_text"] == core(A[2]) and p["b_text"] == core(swapped)
    assert res["pairs"][0]["shared_chars"] == len(normalise(A[2], NAMES["A"])[0])
    # a copy that kept the neighbour's name matches too (every text's names are normalised)
    kept = text([B[0], A[2], B[1]])
    res = find_copies([("A", text(A)), ("B", kept)], region_names=NAMES)
    (p,) = live(res)
    assert p["b_text"] == core(A[2])


def test_changed_figures_stay_one_passage():
    edited = A[1].replace("一点六亿元", "二点三亿元").replace("二千四百个", "一千九百个")
    res = find_copies([("A", text(A)), ("B", text([B[0], edited, B[1]]))], region_names=NAMES)
    (p,) = live(res)
    assert p["a_text"] == core(A[1]) and p["b_text"] == core(edited)


def test_independent_texts_give_no_pair():
    docs = [("A", text(A)), ("B", text(B)), ("C", text(C)), ("D", text(D))]
    res = find_copies(docs, region_names=NAMES)
    assert res["pairs"] == []
    assert res["ratios"] == {"A": 0.0, "B": 0.0, "C": 0.0, "D": 0.0}


def test_stock_phrases_are_boilerplate_not_copying():
    c = text([C[0], STOCK, C[1], C[2]])
    d = text([STOCK, D[0], D[1], D[2]])
    res = find_copies([("C", c), ("D", d)], region_names=NAMES)
    assert res["pairs"] == [] and res["ratios"] == {"C": 0.0, "D": 0.0}
    # with a real copy as well, the stock passage is reported as boilerplate and not counted
    d2 = text([STOCK, D[0], C[1], D[2]])
    res = find_copies([("C", c), ("D", d2)], region_names=NAMES)
    (pair,) = res["pairs"]
    flags = sorted((p["boilerplate"], p["a_text"]) for p in pair["passages"])
    assert flags == [(False, core(C[1])), (True, core(STOCK))]
    assert pair["shared_chars"] == len(normalise(C[1])[0])
    assert pair["boilerplate_chars"] == len(normalise(STOCK)[0])


def test_sentence_in_many_reports_is_boilerplate():
    shared = "各乡镇均成立家长学校并每学期组织两次家庭教育公益讲座。"
    docs = [("A", text(A[:2] + [shared])), ("B", text(B[:2] + [shared])),
            ("C", text(C[:2] + [shared])), ("D", text(D))]
    res = find_copies(docs, region_names=NAMES)            # 3 of 4 reports: stock phrasing
    assert res["pairs"] == []
    res = find_copies(docs[:2] + [("C", text(C)), docs[3]], region_names=NAMES)
    (pair,) = res["pairs"]                                  # 2 of 4 reports: a copy
    assert {pair["a"], pair["b"]} == {"A", "B"} and live(res)[0]["a_text"] == core(shared)


def test_reference_template_matches_filled_in_copy():
    template = text([
        "xx县20xx年度履行教育职责自评报告",
        "近年来，xx县坚持把学前教育作为民生工程来抓，实施公办幼儿园扩容三年行动，累计新建、改扩建幼儿园xx所，"
        "新增学位xx个，普惠性幼儿园覆盖率达到xx%，入园难问题得到有效缓解。",
        "xx县将继续完善学前教育投入机制，按照每生每年xx元的标准落实公办园生均公用经费。",
    ])
    filled_para = ("近年来，靖川县坚持把学前教育作为民生工程来抓，实施公办幼儿园扩容三年行动，累计新建、改扩建幼儿园12所，"
                   "新增学位3600个，普惠性幼儿园覆盖率达到91.5%，入园难问题得到有效缓解。")
    report = text([C[0], filled_para, C[2]])
    res = find_copies([("R", report)], [("T", template)], region_names={"R": ["靖川县", "靖川"]})
    (pair,) = res["pairs"]
    assert (pair["a"], pair["b"], pair["b_is_reference"]) == ("R", "T", True)
    (p,) = live(res)
    assert p["a_text"] == core(filled_para)
    assert p["b_text"].startswith("近年来，xx县") and p["b_text"].endswith("入园难问题得到有效缓解")
    assert res["ratios"] == {"R": pytest.approx(pair["a_ratio"])} and res["ratios"]["R"] > 0.3


def test_pairs_sorted_and_duplicate_ids_rejected():
    big = text([B[0], A[1], A[2], A[3], B[1]])
    small = text([C[0], A[4], C[1]])
    res = find_copies([("A", text(A)), ("B", big), ("C", small)], region_names=NAMES)
    shared = [p["shared_chars"] for p in res["pairs"]]
    assert shared == sorted(shared, reverse=True) and len(shared) == 2
    with pytest.raises(ValueError):
        find_copies([("A", "甲"), ("A", "乙")])


# --- seeds (real reports) ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def seeds():
    if not SEEDS.is_dir():
        pytest.skip("../shared/corpus/seeds 不存在，跳过依赖真实样本的测试")
    files = {p.name[:3]: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))}
    if not {"000", "001", "002", "003", "004"} <= set(files):
        pytest.skip("真实样本不全")
    articles = re.split(r"(?m)^第[一二三四五六七八九十\d]+篇\s*[:：].*$", files["003"])[1:]
    t4 = files["004"]
    m = re.search(r"(?m)^ 年度钟楼区人民政府履行教育职责", t4)
    genuine = {"000": files["000"], "001": files["001"], "002": files["002"],
               "004": t4[:m.start()] if m else t4}
    by_name = {}
    for art in articles:
        if "南湖区" in art[:400]:
            by_name["003-南湖"] = art
        elif "缙云县" in art[:400]:
            by_name["003-缙云"] = art
    templates = [a for a in articles if re.search(r"[xX]{2}(?:省|市)", a)]
    if len(by_name) < 2 or len(templates) < 2:
        pytest.skip("样本 003 的篇目与预期不符")
    genuine.update(by_name)
    return genuine, templates


SEED_NAMES = {
    "000": ["溧阳市", "溧阳", "常州市", "常州"], "001": ["靖江市", "靖江", "泰州市", "泰州"],
    "002": ["新北区", "新北", "常州市", "常州"], "004": ["钟楼区", "钟楼", "常州市", "常州"],
    "003-南湖": ["南湖区", "南湖", "嘉兴市", "嘉兴"], "003-缙云": ["缙云县", "缙云", "丽水市", "丽水"],
}


def test_seed_reports_are_not_copies_of_each_other(seeds):
    genuine, templates = seeds
    ref = [(f"模板{i}", t) for i, t in enumerate(templates)]
    res = find_copies(list(genuine.items()), ref, region_names=SEED_NAMES)
    assert set(res["ratios"]) == set(genuine)
    for doc_id, ratio in res["ratios"].items():
        assert ratio < 0.05, (doc_id, ratio, [p for p in res["pairs"] if doc_id in (p["a"], p["b"])])


def test_two_paragraphs_of_a_seed_found_exactly(seeds):
    genuine, _ = seeds
    src = genuine["001"]
    paras = [ln for ln in src.splitlines() if len(ln.strip()) > 200]
    assert len(paras) >= 3
    p1, p2 = paras[0], paras[2]
    mine = text([C[0], p1, C[1], D[0], p2, D[2]])
    res = find_copies([("001", src), ("mine", mine)], region_names={"001": SEED_NAMES["001"], **NAMES})
    (pair,) = res["pairs"]
    got = {(p["a_start"], p["a_end"], p["b_start"], p["b_end"]) for p in live(res)}
    want = {span_of(src, core(p)) + span_of(mine, core(p)) for p in (p1, p2)}
    assert want <= got
    # Anything else is the source repeating itself (001 names the same 实施意见 twice): on the
    # copy's side every passage lies inside the two pasted paragraphs.
    pasted = [span_of(mine, core(p)) for p in (p1, p2)]
    for p in live(res):
        assert any(s <= p["b_start"] and p["b_end"] <= e for s, e in pasted)
        assert p["a_text"] == src[p["a_start"]:p["a_end"]]
        assert p["b_text"] == mine[p["b_start"]:p["b_end"]]
    all_names = SEED_NAMES["001"] + [n for v in NAMES.values() for n in v]
    chars = sum(len(normalise(core(p), all_names)[0]) for p in (p1, p2))
    assert res["ratios"]["mine"] == pytest.approx(chars / len(normalise(mine, all_names)[0]), abs=1e-6)


def test_large_bucket_pairs_members_with_the_template(monkeypatch):
    from dudao.review import copydetect
    monkeypatch.setattr(copydetect, "MAX_KEY_DOCS", 3)
    monkeypatch.setattr(copydetect, "BOILERPLATE_MIN_DOCS", 100)   # 6 copies are not stock here
    docs = [(f"R{i}", text([C[i % 3], A[1], D[i % 3]])) for i in range(6)]
    res = find_copies(docs, [("T", text(A))], region_names=NAMES)
    assert res["params"]["large_keys"] > 0
    with_template = {p["a"] for p in res["pairs"] if p["b"] == "T"}
    assert with_template == {d for d, _ in docs}
    assert all(r > 0.2 for r in res["ratios"].values())


def test_edge_cases():
    empty = find_copies([])
    assert (empty["pairs"], empty["ratios"], empty["chapters"]) == ([], {}, {})
    res = find_copies([("空", ""), ("短", "只有几个字"), ("A", text(A))], [("B", "\r\n".join(A[1:3]))],
                      region_names={"A": "云溪县"})
    assert res["ratios"]["空"] == 0.0 and res["ratios"]["短"] == 0.0
    (pair,) = res["pairs"]
    assert (pair["a"], pair["b"]) == ("A", "B") and len(live(res)) == 1
    # characters outside the BMP keep offsets right
    rare = "𠀋𠀋" + A[2]
    res = find_copies([("X", rare), ("A", text(A))])
    (p,) = live(res)
    assert p["a_text"] == rare[p["a_start"]:p["a_end"]] == core(A[2])


# --- issue 12: what a reviewer can trust ----------------------------------------------------------

def report(region, year, body, date="2024年3月18日"):
    return "\n".join([
        f"{region}人民政府关于{year}年度履行教育职责情况的自评报告",
        f"根据《江岭省人民政府教育督导委员会关于开展{year}年度县级人民政府履行教育职责评价工作的通知》要求，"
        f"{region}人民政府对照评价指标逐项开展了自查，现将有关情况报告如下：",
        "一、主要做法和成效", *body, f"{region}人民政府", date])


def test_title_opening_signoff_and_date_are_boilerplate_with_reasons():
    a = report("云溪县", 2023, [A[0], A[1]])
    b = report("石泉县", 2023, [B[0], B[1]])
    res = find_copies([("A", a), ("B", b)], region_names=NAMES)
    assert res["pairs"] == [] and res["ratios"] == {"A": 0.0, "B": 0.0}
    # with a real copy, the formula passages are reported as 套话 with their kinds, not counted
    b2 = report("石泉县", 2023, [B[0], A[2], B[1]])
    (pair,) = find_copies([("A", a + "\n" + A[2]), ("B", b2)], region_names=NAMES)["pairs"]
    kinds = {k for p in pair["passages"] if p["boilerplate"] for k in p["boilerplate_kinds"]}
    assert {"title", "opening"} <= kinds
    # sign-off and date lines (too short to seed a passage here) are marked with their kinds
    from dudao.review.copydetect import _config
    d = _prepare("A", a, False, None, 13)
    names = _config().kinds
    for line, kind in (("云溪县人民政府", "signoff"), ("2024年3月18日", "date")):
        lo = int(np.searchsorted(d.starts, a.rindex(line)))
        hi = int(np.searchsorted(d.starts, a.rindex(line) + len(line)))
        assert {names[c - 1] for c in d.code[lo:hi].tolist()} == {kind}
    assert [p["a_text"] for p in pair["passages"] if p["kind"] == "copy"] == [core(A[2])]
    legend = res["legend"]
    for kind in kinds | {"frequent", "statistics"}:
        assert legend[kind]["label"] and legend[kind]["why"]


def test_statistics_sentences_with_other_figures_are_not_copies():
    stat = "全县现有各级各类学校{}所，其中幼儿园{}所、小学{}所、初中{}所，在校学生{}万人，教职工{}人。"
    a = text([A[0], stat.format(138, 61, 49, 19, 7.6, 6120), A[2]])
    b = text([B[0], stat.format(97, 42, 31, 16, 5.2, 4385), B[2]])
    res = find_copies([("A", a), ("B", b)], region_names=NAMES)
    assert res["pairs"] == []
    # the same sentence with the same figures is a copy
    b_same = text([B[0], stat.format(138, 61, 49, 19, 7.6, 6120), B[2], A[1]])
    (pair,) = find_copies([("A", a + "\n" + A[1]), ("B", b_same)], region_names=NAMES)["pairs"]
    copied = [p["b_text"] for p in pair["passages"] if p["kind"] == "copy"]
    assert core(stat.format(138, 61, 49, 19, 7.6, 6120)) in copied


def test_pairs_carry_confirmed_flag_pan_features_and_chapter_shares():
    from dudao.review.copydetect import pan_features
    src = text(A)
    mine = text(["一、基本情况", B[0], A[1], "二、存在问题", B[1], B[2]])
    h1, h2 = mine.index("一、基本情况"), mine.index("二、存在问题")
    sections = {"B": [{"heading": "一、基本情况", "level": 1, "start": h1, "end": h1 + 6},
                      {"heading": "（一）", "level": 2, "start": h1 + 7, "end": h1 + 10},
                      {"heading": "二、存在问题", "level": 1, "start": h2, "end": h2 + 6}]}
    res = find_copies([("A", src), ("B", mine)], region_names=NAMES, sections=sections)
    (pair,) = res["pairs"]
    assert pair["confirmed"] is False
    (feat,) = pan_features(pair)
    (p,) = [x for x in pair["passages"] if not x["boilerplate"]]
    assert (feat["this_offset"], feat["this_length"]) == (p["a_start"], p["a_end"] - p["a_start"])
    assert (feat["source_reference"], feat["source_offset"]) == ("B", p["b_start"])
    first, second = res["chapters"]["B"]
    assert (first["title"], second["title"]) == ("一、基本情况", "二、存在问题")
    assert first["copied_chars"] == pair["shared_chars"] and second["copied_chars"] == 0
    assert first["share"] == pytest.approx(first["copied_chars"] / first["chars"], abs=1e-6)
    assert "A" not in res["chapters"]                     # no sections given for A


def test_jobs_give_the_same_result(monkeypatch):
    from dudao.review import copydetect
    monkeypatch.setattr(copydetect, "PARALLEL_MIN_PAIRS", 1)
    monkeypatch.setattr(copydetect, "PARALLEL_MIN_DOCS", 1)
    docs = [(f"R{i}", text([C[i % 3], A[i % 5], D[i % 3], B[i % 4]])) for i in range(12)]
    one = find_copies(docs, region_names=NAMES, jobs=1)
    two = find_copies(docs, region_names=NAMES, jobs=2)
    assert one["pairs"] and one["pairs"] == two["pairs"] and one["ratios"] == two["ratios"]
    assert two["params"]["jobs"] == 2


def test_pairing_in_small_chunks_gives_the_same_pairs(monkeypatch):
    from dudao.review import copydetect
    docs = [(f"R{i}", text([C[i % 3], A[i % 5], D[i % 3], B[i % 4]])) for i in range(12)]
    whole = find_copies(docs, region_names=NAMES)
    monkeypatch.setattr(copydetect, "KEY_CHUNK", 7)           # many chunks, each ends on a key
    chunked = find_copies(docs, region_names=NAMES)
    assert whole["pairs"] and chunked["pairs"] == whole["pairs"]
    assert chunked["params"]["candidate_pairs"] == whole["params"]["candidate_pairs"]
