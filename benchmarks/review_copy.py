"""Speed, memory and recall of copy detection (dudao.review.copydetect.find_copies).

Generates N synthetic self-evaluation reports from a pool of invented sentence frames whose
slots take random figures, random two-character words and the report's own (random) region
name, so independent reports share nothing longer than a few characters except the stock
phrases the generator puts into many of them (boilerplate: in ≥ 30 % of the reports, or matched
by copy_boilerplate.yaml). Then 10 % of the reports receive 1–3 passages of 60–300 characters
cut from another report (half of them with the region name swapped to the recipient's), and
find_copies runs over N = 500, 1000, 2000, 3000 reports. Printed per N: seconds, peak RSS,
candidate pairs, recall of the injected passages (a passage counts as found when the reported
pair covers ≥ 90 % of its letters and digits) and pairs reported between independent reports.

Usage: python benchmarks/review_copy.py [--sizes 500 1000 2000 3000] [--seed 7]
"""
from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from pathlib import Path

import psutil


ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from memory import PeakRSS  # noqa: E402  (benchmarks/memory.py)

from dudao.review.copydetect import find_copies  # noqa: E402

# Characters for random words and names (common characters of administrative prose).
POOL = ("教育学校师生课程质量发展改革管理服务建设规划资源条件保障经费投入标准评价督导体系机制"
        "制度队伍培训研修骨干名班级校园安全健康体育艺术劳动实践科技创新信息数字智慧平台项目"
        "基地中心集团联盟城乡区域均衡优质特色品牌示范引领提升推进完善加强深化优化统筹协调落实"
        "开展实施组织领导责任考核监测评估结果运用问题整改成效经验亮点特点重点难点热点短板弱项"
        "幼儿园小学初中高中职业特殊融合民办公办普惠托育课后延时作业睡眠读物手机心理阅读家庭社会"
        "协同共育关爱留守儿童困难资助营养午餐校车食堂宿舍操场场馆设施设备装备图书实验仪器网络"
        "宽带终端应用融合共享开放合作交流帮扶结对支援乡村振兴人才引进招聘交流轮岗职称待遇工资"
        "绩效津贴补贴住房周转荣誉表彰奖励风采文化传承红色基因思政德育美育法治廉洁作风纪律党建")
# Characters of region names, none of them in POOL, so a random word is never a region name.
PLACE = "".join(c for c in "江河湖岭峰泉溪湾阳宁昌隆丰泰源浦桥庄塘松柏梅桃玉沙洲滨澄沂淮汾渭洛"
                "邯郸岳衡韶漳霞鹤鹿凤麟龙虎狮雁鸣翠碧丹云汉秦晋楚蜀滇黔闽粤赣皖豫冀辽吉黑"
                if c not in POOL)
LEVELS = "县区市"
VERBS = ["推进", "实施", "落实", "加强", "完善", "深化", "开展", "建立", "健全", "优化", "提升",
         "打造", "创建", "统筹", "规范", "强化", "扩大", "探索", "启动", "组织", "举办", "培育"]
UNITS = ["所", "个", "名", "项", "场", "次", "间", "套", "万元", "亿元", "平方米", "人次", "门", "家"]

# Sentence frames: {R} region name, {V} verb, {W} random two-character word, {N} a figure,
# {U} a unit. Every frame starts with a random word and no fixed stretch (region name and verb
# included) reaches 13 characters, so no 13 characters come out the same in two reports unless
# copied or stock.
FRAMES = [
    "{W}{W}方面，{R}{V}{W}{W}工作，{V}{W}{W}{N}{U}。",
    "{W}{W}全年{V}{W}{W}{N}{U}，{W}增长{N}%，{W}{W}率{N}%。",
    "{W}{W}上，{R}投入{W}{W}资金{N}万元，{V}{W}{W}项目{N}个。",
    "{W}{W}{V}“{W}{W}”工程，覆盖{W}{W}{N}{U}，受益{W}{N}人。",
    "{W}{W}{W}，出台《{R}关于{V}{W}{W}{W}的意见》，明确{W}{W}{N}条。",
    "{W}{W}学校{N}所、{W}{W}教师{N}名{V}{W}到位。",
    "{W}{W}{R}{W}{W}中心{V}{W}{W}活动{N}场次，参与{W}{W}{N}人次。",
    "{W}{W}新建{W}{W}{N}所，改扩建{W}{W}{N}{U}，新增{W}学位{N}个。",
    "{W}{W}经费由{N}元{W}提高到{N}元，{V}{W}{W}{W}。",
    "{W}{W}一是{V}{W}{W}，{W}{W}{N}{U}；二是{V}{W}{W}，{W}{W}{N}{U}。",
    "{W}{W}{R}第{N}届{W}{W}节{V}{W}{W}{N}项，获{W}{W}奖{N}个。",
    "{W}{W}满意度{N}%，{W}{W}达标率{N}%，{V}{W}{W}{W}。",
    "{W}{W}与{W}{W}大学{V}{W}{W}基地{N}个，{W}{W}骨干{N}名。",
    "{W}{W}{V}{W}{W}{W}{W}机制，{W}{W}{W}{N}{U}按期完成。",
    "{W}{W}小学、{W}{W}中学等{N}所{W}学校{V}{W}{W}{W}{W}。",
]
# Stock phrases: each report uses about half of them, so each is in ≥ 30 % of the reports
# (boilerplate by frequency); the first ones are also in copy_boilerplate.yaml.
STOCK = [
    "以习近平新时代中国特色社会主义思想为指导，全面贯彻党的教育方针，落实立德树人根本任务。",
    "坚持把教育优先发展的战略地位落到实处，努力办好人民满意的教育。",
    "按在校学生人数平均的一般公共预算教育支出逐年只增不减。",
    "义务教育学校教师平均工资收入水平不低于当地公务员平均工资收入水平。",
    "坚持问题导向和目标导向相统一，以钉钉子精神抓好各项任务落地见效。",
    "统筹推进城乡教育一体化改革发展，持续缩小城乡校际差距。",
    "把教育工作纳入经济社会发展总体规划和年度重点工作同步部署。",
    "常态化开展校园及周边环境综合治理，切实守牢校园安全底线。",
]
HEADINGS = ["一、主要做法和成效", "二、存在的问题", "三、下一步工作打算"]


def rword(rng: random.Random) -> str:
    return rng.choice(POOL) + rng.choice(POOL)


def figure(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.5:
        return str(rng.randint(2, 9999))
    if r < 0.8:
        return f"{rng.uniform(1, 999):.{rng.choice([1, 2])}f}"
    return str(rng.randint(10000, 999999))


def sentence(rng: random.Random, region: str) -> str:
    frame = rng.choice(FRAMES)
    out = []
    i = 0
    while i < len(frame):
        if frame[i] == "{":
            j = frame.index("}", i)
            slot = frame[i + 1:j]
            out.append({"R": lambda: region, "V": lambda: rng.choice(VERBS), "W": lambda: rword(rng),
                        "N": lambda: figure(rng), "U": lambda: rng.choice(UNITS),
                        "Y": lambda: str(rng.randint(2018, 2023))}[slot]())
            i = j + 1
        else:
            out.append(frame[i])
            i += 1
    return "".join(out)


def make_report(rng: random.Random) -> tuple[str, str, list[str]]:
    """(text, region full name, region names) of one independent report."""
    stem = rng.choice(PLACE) + rng.choice(PLACE)
    region = stem + rng.choice(LEVELS)
    target = rng.randint(3000, 6000)
    stock = rng.sample(STOCK, k=len(STOCK) // 2 + 1)
    year = rng.randint(2019, 2023)
    parts = [f"{region}{year}年度政府履行教育职责自评报告", f"{region}人民政府", ""]
    parts.append(f"根据《{rword(rng)}省人民政府教育督导委员会关于开展{year}年对县级人民政府履行教育职责评价的"
                 f"通知》要求，{region}对照指标逐项开展自查，现将有关情况报告如下。")
    parts.append(stock.pop())
    length = sum(len(p) for p in parts)
    head = 0
    while length < target:
        if head < len(HEADINGS) and length > target * head / len(HEADINGS):
            parts.append(HEADINGS[head])
            head += 1
        para = [sentence(rng, region) for _ in range(rng.randint(3, 7))]
        if stock and rng.random() < 0.3:
            para.insert(rng.randrange(len(para) + 1), stock.pop())
        p = "".join(para)
        parts.append(p)
        length += len(p)
    parts.extend(stock)
    return "\n".join(parts), region, [region, stem]


def build_corpus(n: int, seed: int):
    rng = random.Random(seed)
    texts, regions, names = [], [], []
    for _ in range(n):
        t, r, nm = make_report(rng)
        texts.append(t)
        regions.append(r)
        names.append(nm)
    return texts, regions, names


def inject(texts, regions, rng: random.Random, share=0.1):
    """Paste 1–3 passages of 60–300 chars from another report into `share` of the reports.
    Returns new texts and the injections (recipient, source, start, end in the recipient)."""
    n = len(texts)
    recipients = rng.sample(range(n), k=max(1, int(n * share)))
    rec_set = set(recipients)
    sources_pool = [i for i in range(n) if i not in rec_set]
    texts = list(texts)
    injections = []
    for r in recipients:
        src = rng.choice(sources_pool)
        stext = texts[src]
        body_start = stext.index("\n", stext.index("报告如下")) + 1
        pieces = []
        for _ in range(rng.randint(1, 3)):
            ln = rng.randint(60, 300)
            s = rng.randint(body_start, max(body_start, len(stext) - ln))
            piece = stext[s:s + ln]
            if rng.random() < 0.5:                        # the copier swaps in its own name
                piece = piece.replace(regions[src], regions[r])
            pieces.append(piece)
        texts[r], spans = paste(texts[r], pieces, rng)
        injections.extend((r, src, start, end) for start, end in spans)
    return texts, injections


def paste(text: str, pieces: list[str], rng: random.Random) -> tuple[str, list[tuple[int, int]]]:
    """`text` with each piece pasted after a random sentence end, and where each piece now stands."""
    cuts = sorted(rng.sample([i + 1 for i, c in enumerate(text) if c == "。"], k=len(pieces)))
    out, spans, pos, offset = [], [], 0, 0
    for cut, piece in zip(cuts, pieces):
        out.append(text[pos:cut])
        out.append(piece)
        spans.append((cut + offset, cut + offset + len(piece)))
        offset += len(piece)
        pos = cut
    out.append(text[pos:])
    return "".join(out), spans

def evaluate(result, ids, texts, injections):
    by_pair = {}
    for p in result["pairs"]:
        by_pair[(p["a"], p["b"])] = p
    found = 0
    for r, src, s, e in injections:
        rid, sid = ids[r], ids[src]
        p = by_pair.get((rid, sid)) or by_pair.get((sid, rid))
        if p is None:
            continue
        side = "a" if p["a"] == rid else "b"
        cov = bytearray(e - s)
        for q in p["passages"]:
            lo, hi = max(s, q[f"{side}_start"]), min(e, q[f"{side}_end"])
            for x in range(lo, hi):
                cov[x - s] = 1
        span = texts[r][s:e]
        wanted = [i for i, c in enumerate(span) if c.isalnum()]
        if wanted and sum(cov[i] for i in wanted) / len(wanted) >= 0.9:
            found += 1
    related = set()
    by_src = {}
    for r, src, _, _ in injections:
        related.add(frozenset((ids[r], ids[src])))
        by_src.setdefault(src, set()).add(r)
    for recs in by_src.values():
        for a in recs:
            for b in recs:
                if a != b:
                    related.add(frozenset((ids[a], ids[b])))
    false_pairs = sum(1 for p in result["pairs"] if frozenset((p["a"], p["b"])) not in related)
    return found / max(1, len(injections)), false_pairs


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[500, 1000, 2000, 3000])
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    t = time.perf_counter()
    base, regions, names = build_corpus(max(args.sizes), args.seed)
    print(f"生成 {len(base)} 份合成报告，平均 {sum(map(len, base)) / len(base):.0f} 字，"
          f"用时 {time.perf_counter() - t:.1f} 秒")
    find_copies([("w1", base[0]), ("w2", base[1])])        # warm-up (tables, yaml)
    rows = []
    for n in args.sizes:
        rng = random.Random(args.seed * 1000 + n)
        texts, injections = inject(base[:n], regions[:n], rng)
        ids = [f"r{i:05d}" for i in range(n)]
        docs = list(zip(ids, texts))
        rn = {ids[i]: names[i] for i in range(n)}
        before = psutil.Process().memory_info().rss
        with PeakRSS() as mem:
            t = time.perf_counter()
            res = find_copies(docs, region_names=rn)
            secs = time.perf_counter() - t
        recall, false_pairs = evaluate(res, ids, texts, injections)
        chars = sum(map(len, texts))
        rows.append((n, chars, secs, mem.peak, mem.peak - before, res["params"]["candidate_pairs"],
                     len(res["pairs"]), len(injections), recall, false_pairs))
        print(f"N={n}: {secs:.2f} 秒 {res['params']['seconds']}", flush=True)
    print()
    print("| N | 字符数 | 秒 | 秒/千份 | 峰值RSS(MB) | 其中查重增量(MB) | 候选对 | 报告对 | 注入段 | 召回率 "
          "| 独立报告误报对 |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for n, chars, secs, peak, delta, cand, npairs, ninj, recall, fp in rows:
        print(f"| {n} | {chars:,} | {secs:.2f} | {secs / n * 1000:.2f} | {peak / 2**20:.0f} | "
              f"{delta / 2**20:.0f} | {cand:,} | {npairs} | {ninj} | {recall:.1%} | {fp} |")
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\n进程峰值 RSS（含语料生成）：{maxrss:.0f} MB")
    ok = all(r[8] >= 0.95 for r in rows) and rows[-1][2] < 60 and maxrss < 1024
    print("结论：" + ("达标" if ok else "未达标") + "（目标：召回率 ≥ 95%，3000 份 < 60 秒，内存 < 1 GB）")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
