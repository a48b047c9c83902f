"""Document-type accuracy: the shipped model on every labelled set, a confusion matrix, and a
k-fold cross-validation in which each fold of the real texts is predicted by a model trained on
the team's texts plus the other folds.

Labelled sets: ../shared/corpus/dev (real page openings), ../shared/corpus (seeds) and the team's
blind sets tests/fixtures/blind*. The shipped model is trained on the team's texts only, so its
figures on these sets are held-out figures for the weights; the cues were designed looking at
dev, so the dev figure is reported as "tuned-on".

Usage: python scripts/eval_doctype.py [--folds 5]
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from dudao.classify import TYPES, classify  # noqa: E402
from dudao.clean import clean  # noqa: E402
from dudao.doctype_train import train  # noqa: E402
from dudao.ingest import read_path  # noqa: E402
from dudao.split import split  # noqa: E402
from train_doctype import training_samples  # noqa: E402

SHARED = ROOT.parent / "shared" / "corpus"
# Sets whose errors were looked at while designing cues or writing training texts: tuned-on figures.
NOTES = {"dev": "（设计线索时看过：调优集）",
         "blind5": "（首次盲测 44/48、其后 48–52 号 5/5；之后据错例补写了训练文本：调优集）"}
SHORT = {"self_report": "自评", "school_self_report": "校评", "feedback": "反馈", "rectification": "整改",
         "scheme": "方案", "news": "新闻", "other": "其他"}


def labelled_sets() -> dict[str, list[dict]]:
    sets = {"dev": (SHARED / "dev" / "docs", SHARED / "dev" / "gold"), "seeds": (SHARED / "seeds", SHARED / "gold")}
    for d in sorted((ROOT / "tests" / "fixtures").glob("blind*")):
        sets[d.name] = (d, d)
    out = {}
    for name, (docs, gold) in sets.items():
        if not gold.is_dir():
            continue
        items = []
        for gf in sorted(gold.glob("*.json")):
            src = docs / (gf.stem + ".txt")
            if not src.is_file():
                continue
            items.extend(_items(name, src, json.loads(gf.read_text(encoding="utf-8"))["reports"]))
        out[name] = items
    return out


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s or "")


def _items(set_name: str, src: Path, gold: list[dict]) -> list[dict]:
    """Each gold report paired (by its anchor, as score.py does) with the part the splitter made."""
    texts = []
    for raw in read_path(str(src)):
        doc = clean(raw.text)
        texts.extend(doc.text[p.start:p.end].strip() for p in split(doc.text))
    out, taken = [], set()
    for g in gold:
        k = next((i for i, t in enumerate(texts) if i not in taken and _squash(g["anchor"]) in _squash(t)), None)
        if k is None:
            continue
        taken.add(k)
        out.append({"set": set_name, "file": src.name, "text": texts[k], "gold": g["doc_type"],
                    "ok": g.get("doc_type_ok") or [g["doc_type"]]})
    return out


def confusion(rows: list[tuple[str, str]]) -> str:
    head = "金标\\预测 " + " ".join(f"{SHORT[t]:>4}" for t in TYPES)
    lines = [head]
    for g in TYPES:
        counts = [sum(1 for gg, p in rows if gg == g and p == t) for t in TYPES]
        if any(counts):
            lines.append(f"{SHORT[g]:<9}" + " ".join(f"{c:>6}" for c in counts))
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("-v", "--verbose", action="store_true", help="列出判错的文本")
    args = ap.parse_args()
    sets = labelled_sets()
    print("文档类型：随包模型（只用团队编写的训练文本训练）")
    all_rows = []
    for name, items in sets.items():
        got = 0
        for it in items:
            v = classify(it["text"])
            it["pred"] = v.doc_type
            ok = v.doc_type in it["ok"]
            got += ok
            all_rows.append((it["gold"], v.doc_type))
            if args.verbose and not ok:
                print(f"  ✗ {name}/{it['file']}: 金标 {it['gold']}，预测 {v.doc_type} ({v.confidence:.2f}) "
                      + "；".join(c["cue"] for c in v.cues))
        note = NOTES.get(name, "")
        print(f"  {name:<8} {got:>3}/{len(items):<3} {got / max(1, len(items)):6.1%}{note}")
    total = sum(len(v) for v in sets.values())
    right = sum(1 for items in sets.values() for it in items if it["pred"] in it["ok"])
    print(f"  合计     {right:>3}/{total:<3} {right / max(1, total):6.1%}")
    print("\n混淆矩阵（全部带标注的文本，行为金标，列为预测）")
    print(confusion(all_rows))

    # k-fold: files of the real sets are dealt into folds; each fold is predicted by a model trained
    # on the team's texts plus the other folds.
    items = [it for v in sets.values() for it in v]
    files = sorted({(it["set"], it["file"]) for it in items})
    random.Random(7).shuffle(files)
    fold_of = {f: i % args.folds for i, f in enumerate(files)}
    team = training_samples()
    right, cv_rows, per_set = 0, [], {}
    for k in range(args.folds):
        model = train(team + [(it["text"], it["gold"]) for it in items if fold_of[(it["set"], it["file"])] != k])
        for it in items:
            if fold_of[(it["set"], it["file"])] == k:
                p = classify(it["text"], model).doc_type
                right += p in it["ok"]
                got, tot = per_set.get(it["set"], (0, 0))
                per_set[it["set"]] = (got + (p in it["ok"]), tot + 1)
                cv_rows.append((it["gold"], p))
    print(f"\n{args.folds} 折交叉验证（按文件分折；训练 = 团队文本 + 其余各折）：{right}/{len(items)} {right / max(1, len(items)):.1%}")
    print("  " + "，".join(f"{n} {g}/{t}" for n, (g, t) in per_set.items()))
    print(confusion(cv_rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
