"""Passage-level precision and recall of copy detection on the team-written pairs in
tests/fixtures/copypairs/ (one YAML per pair: texts a and b, their region names, and the gold
copied passages as character spans in both texts).

Each pair is checked on its own: ``find_copies([("a", a), ("b", b)])``. Predicted passages are
the counted ones (not 套话, not figures-only statistics wording). Matching rule: a predicted
passage matches a gold passage when, in text a and in text b alike, their overlap is at least 50 %
of the shorter of the two spans. Precision = predicted passages matching some gold passage /
predicted passages; recall = gold passages matched by some predicted passage / gold passages.
Pairs without gold passages (independent texts, titles, opening formulas, sign-offs, policy
wording, statistics sentences) only add to the predicted side when something is flagged.

Usage: python scripts/eval_copy.py [--pairs DIR] [-v]
Exit code 1 when precision < 95 % or recall < 90 %.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
PAIRS = ROOT / "tests" / "fixtures" / "copypairs"
MIN_PRECISION, MIN_RECALL = 0.95, 0.90


def load_pairs(folder: Path = PAIRS) -> list[dict]:
    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.yaml"))]


def _overlap(s0: int, e0: int, s1: int, e1: int) -> bool:
    shorter = min(e0 - s0, e1 - s1)
    return shorter > 0 and min(e0, e1) - max(s0, s1) >= 0.5 * shorter


def matches(pred: dict, gold: dict) -> bool:
    return (_overlap(pred["a_start"], pred["a_end"], gold["a_start"], gold["a_end"])
            and _overlap(pred["b_start"], pred["b_end"], gold["b_start"], gold["b_end"]))


def predicted(pair: dict) -> list[dict]:
    """Counted passages find_copies reports for one pair, with offsets as (a, b)."""
    from dudao.review.copydetect import find_copies
    res = find_copies([("a", pair["a"]), ("b", pair["b"])], region_names=pair.get("names"))
    out = []
    for p in res["pairs"]:
        for x in p["passages"]:
            if x.get("boilerplate"):
                continue
            if p["a"] == "a":
                out.append(x)
            else:                                      # a pair is reported with either text first
                out.append({"a_start": x["b_start"], "a_end": x["b_end"],
                            "b_start": x["a_start"], "b_end": x["a_end"]})
    return out


def evaluate(pairs: list[dict]) -> dict:
    tp_pred = n_pred = tp_gold = n_gold = 0
    by_kind: dict[str, list[int]] = {}
    errors = []
    for pair in pairs:
        pred, gold = predicted(pair), pair.get("gold") or []
        ok_pred = sum(1 for p in pred if any(matches(p, g) for g in gold))
        ok_gold = sum(1 for g in gold if any(matches(p, g) for p in pred))
        tp_pred, n_pred = tp_pred + ok_pred, n_pred + len(pred)
        tp_gold, n_gold = tp_gold + ok_gold, n_gold + len(gold)
        k = by_kind.setdefault(pair["kind"], [0, 0, 0, 0])
        k[0] += ok_pred
        k[1] += len(pred)
        k[2] += ok_gold
        k[3] += len(gold)
        if ok_pred < len(pred) or ok_gold < len(gold):
            errors.append((pair["id"], len(pred) - ok_pred, len(gold) - ok_gold,
                           [pair["a"][p["a_start"]:p["a_end"]] for p in pred
                            if not any(matches(p, g) for g in gold)]))
    return {"precision": tp_pred / n_pred if n_pred else 1.0, "recall": tp_gold / n_gold if n_gold else 1.0,
            "predicted": n_pred, "gold": n_gold, "pairs": len(pairs), "by_kind": by_kind, "errors": errors}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="雷同检测评估：在团队编写的段落对上计算段落级精确率和召回率")
    ap.add_argument("--pairs", type=Path, default=PAIRS, help="段落对文件夹（每对一个 YAML）")
    ap.add_argument("-v", "--verbose", action="store_true", help="列出误报和漏报")
    args = ap.parse_args(argv)
    if not args.pairs.is_dir():
        print(f"找不到段落对文件夹：{args.pairs}", file=sys.stderr)
        return 2
    r = evaluate(load_pairs(args.pairs))
    print(f"雷同检测评估（{r['pairs']} 对文本，金标段落 {r['gold']} 处，检出段落 {r['predicted']} 处；"
          "检出段落与金标段落在两篇中的重叠均不少于较短者的 50% 即算命中）")
    print("| 类型 | 精确率 | 召回率 |")
    print("|---|---|---|")
    for kind, (tp, n, tg, g) in r["by_kind"].items():
        prec = f"{tp}/{n}" if n else "—（无检出）"
        rec = f"{tg}/{g}" if g else "—（无金标）"
        print(f"| {kind} | {prec} | {rec} |")
    print(f"总体：精确率 {r['precision']:.1%}，召回率 {r['recall']:.1%}"
          f"（目标：精确率 ≥ {MIN_PRECISION:.0%}，召回率 ≥ {MIN_RECALL:.0%}）")
    if args.verbose:
        for pid, fp, fn, texts in r["errors"]:
            print(f"  {pid}：误报 {fp}，漏报 {fn}", *[f"\n    误报：{t}" for t in texts])
    return 0 if r["precision"] >= MIN_PRECISION and r["recall"] >= MIN_RECALL else 1


if __name__ == "__main__":
    sys.exit(main())
