"""Per-extractor speed: characters per second of each extractor on synthetic text and on the seeds.

The speed goal (≥ 300,000 chars/s for each extractor) is a figure to watch, not a unit test: timed
asserts fail on a busy machine. This prints the figures; `--tiny` runs every measurement once on a
few hundred characters (the test suite uses it to check the script still runs).

Usage: python benchmarks/extractors.py [--tiny] [--repeat 3]
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SEEDS = Path(os.environ.get("DUDAO_SHARED", ROOT.parent / "shared")) / "corpus" / "seeds"

_PROSE = ("坚持把教育摆在优先发展的战略地位，完善部门联动机制，统筹推进城乡学校布局调整，"
          "加强师德师风建设，深化课堂教学改革，促进学生全面发展。")
_META = ("2021年，丰和县坚持教育优先发展，按照《关于开展2022年对县级人民政府履行教育职责评价的通知》"
         "（丰教督委〔2022〕1号）要求，全县新增学位3200个，投入经费2.6亿元，到2025年实现优质均衡。\n")
_SCORE = ("2021年，丰和县自评工作扎实，新增学位3200个，投入经费2.6亿元。对照评价细则，我县自评得分95分，"
          "其中第3测评点因大班额扣2分；第8测评点因经费不足扣3分。群众满意度为90分。\n")
_REGION = ("河南省丰和县人民政府关于2021年度履行教育职责情况的自评报告\n"
           "广东省韶关市乐昌市教育局组织开展自查，全市教育事业稳步发展。\n")


def _indicator_text(n: int) -> str:
    parts = []
    for k in range(n):
        parts.append(_PROSE * 3)
        parts.append(f"2022年，全县普惠性幼儿园覆盖率达9{k % 10}.{k % 7}%，新增学位{1000 + k}个，"
                     f"小学、初中综合差异系数分别为0.4{k % 10}、0.3{k % 9}。\n")
    return "".join(parts)


def rate(fn, text: str, repeat: int) -> float:
    """Best of `repeat` runs, in characters per CPU-second (after one warm-up on a slice); CPU
    time, so other processes on a shared machine do not lower the figure."""
    fn(text[:2000])
    best = float("inf")
    for _ in range(repeat):
        t0 = time.process_time()
        fn(text)
        best = min(best, time.process_time() - t0)
    return len(text) / max(best, 1e-9)


def region_table_load() -> float:
    """Seconds to load the region table in a fresh interpreter."""
    code = ("import time; t = time.perf_counter(); "
            "from dudao.extract.region import region_table; region_table(); "
            "print(time.perf_counter() - t)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return float(out.stdout.split()[0])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tiny", action="store_true", help="one run on tiny inputs (a smoke test)")
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args(argv)
    from dudao.extract.figures import extract_indicators
    from dudao.extract.meta import extract_meta
    from dudao.extract.region import find_region
    from dudao.extract.score import extract_self_score

    scale = 1 if a.tiny else 1000
    repeat = 1 if a.tiny else a.repeat
    seeds = "" if a.tiny or not SEEDS.is_dir() else \
        "\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
    cases = [
        ("extract_indicators", lambda t: extract_indicators(t, work_year=2022), _indicator_text(max(1, scale * 3 // 10))),
        ("extract_meta", extract_meta, "丰和县2021年度履行教育职责自评报告\n丰和县人民政府\n" + _META * (scale * 4)),
        ("extract_self_score", extract_self_score, _SCORE * (scale * 3)),
        ("find_region", find_region, _REGION * (scale * 8 // 10 or 1)),
    ]
    print(f"{'extractor':<20} {'input':<10} {'chars':>10} {'chars/CPU-s':>12}")
    for name, fn, text in cases:
        print(f"{name:<20} {'synthetic':<10} {len(text):>10,} {rate(fn, text, repeat):>12,.0f}")
        if seeds:
            print(f"{name:<20} {'seeds':<10} {len(seeds):>10,} {rate(fn, seeds, repeat):>12,.0f}")
    print(f"region table load in a fresh process: {region_table_load():.3f} s")
    print("goal: ≥ 300,000 chars/s for each extractor")
    return 0


if __name__ == "__main__":
    sys.exit(main())
