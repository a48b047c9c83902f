"""Score `dudao rectify` on feedback/report pairs with gold.

Each pair is a folder NN/ with feedback.txt, one or more report*.txt and gold.yaml:

    reports: [report.txt]            # optional; default every report*.txt of the folder
    problems:
      - problem: 城区大班额问题尚未解决  # an exact substring of the feedback (or `text`)
        status: in_progress          # resolved | in_progress | persists | not_addressed
        evidence: [消除56人以上班级15个]  # exact substrings of a report (or {quote/text, file})

Prints status accuracy (a gold problem the tool did not find counts as wrong) and evidence overlap
(every gold problem whose status is not not_addressed: one of the tool's evidence spans overlaps
one of the gold passages). Usage: python scripts/eval_rectify.py DIR [DIR…] [-v]
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dudao.rectify.files import rectify_files  # noqa: E402
from dudao.rectify.terms import terms  # noqa: E402


def locate(text: str, sub: str) -> tuple[int, int] | None:
    """Span of `sub` in `text`; whitespace-insensitive when the cleaner changed line breaks."""
    sub = sub.strip()
    if not sub:
        return None
    i = text.find(sub)
    if i >= 0:
        return i, i + len(sub)
    keep = [k for k, ch in enumerate(text) if not ch.isspace()]
    squeezed = "".join(text[k] for k in keep)
    # a pdf's page number inside a quoted passage ("- 1 -"): the cleaner removed it from the text
    page = re.compile(terms().data["page_number_line"], re.M)
    for variant in (sub, page.sub("", sub)):
        flat = re.sub(r"\s+", "", variant)
        j = squeezed.find(flat)
        if j >= 0:
            return keep[j], keep[j + len(flat) - 1] + 1
    # a page's furniture beyond its number ("第 1 页 共 2 页" and the running 文号 under it): up to
    # three whole lines inside the quote that the cleaner dropped
    lines = [f for f in (re.sub(r"\s+", "", x) for x in sub.split("\n")) if f]
    for j in (m.start() for m in re.finditer(re.escape(lines[0]), squeezed)):
        at, skipped = j + len(lines[0]), 0
        for k, f in enumerate(lines[1:], 1):
            if squeezed.startswith(f, at):
                at += len(f)
            elif k == len(lines) - 1 or skipped == 3:
                break
            else:
                skipped += 1
        else:
            return keep[j], keep[at - 1] + 1
    return None


def _overlap(a, b) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _evidence_items(g: dict) -> list[tuple[str, str | None]]:
    out = []
    for e in g.get("evidence") or []:
        if isinstance(e, str):
            out.append((e, None))
        elif isinstance(e, dict):
            out.append((e.get("quote") or e.get("text") or "", e.get("file")))
    return out


def score_pair(folder: Path) -> dict:
    gold = yaml.safe_load((folder / "gold.yaml").read_text(encoding="utf-8"))
    names = gold.get("reports") or sorted(p.name for p in folder.glob("report*.txt"))
    result = rectify_files(folder / gold.get("feedback", "feedback.txt"), [folder / n for n in names])
    fb_texts = [(f["file"], f["text"]) for f in result["feedback"]]
    rep_texts = {r["file"]: r["text"] for r in result["reports"]}
    g_texts = [g.get("problem") or g.get("text") or "" for g in gold["problems"]]
    # (feedback file, span) of each gold problem
    spans = [next(((name, sp) for name, text in fb_texts if (sp := locate(text, g_text))), (None, None))
             for g_text in g_texts]
    # one to one: a problem of the tool stands for the gold problem it overlaps most (a span
    # swallowing several items finds one of them, not all)
    claims = {}
    for p in result["problems"]:
        fb_file = p.get("feedback_file", fb_texts[0][0])
        ovs = [(_overlap(sp, (p["start"], p["end"])) if sp and f == fb_file else 0, k)
               for k, (f, sp) in enumerate(spans)]
        ov, k = max(ovs, default=(0, None))
        if ov and (k not in claims or ov > claims[k][0]):
            claims[k] = (ov, p)
    rows = []
    for k, (g, g_text) in enumerate(zip(gold["problems"], g_texts)):
        best = claims.get(k)
        pred = best[1] if best else None
        row = {"gold": g["status"], "pred": pred["status"] if pred else "missing", "text": g_text,
               "found": pred is not None}
        if g["status"] != "not_addressed":
            gold_spans = evidence_spans(g, rep_texts.items())
            mine = [(e.get("file"), (e["start"], e["end"])) for e in (pred or {}).get("evidence", [])]
            row["evidence_ok"] = any(f == gf and _overlap(s, gs) for f, s in mine for gf, gs in gold_spans)
            row["gold_evidence_found"] = bool(gold_spans)
        rows.append(row)
    return {"pair": folder.name, "rows": rows}


def evidence_spans(g: dict, texts) -> list[tuple[str, tuple[int, int]]]:
    """(file, span) of each of the gold problem's evidence passages in the report texts
    [(file, text), …]; a passage naming its file is looked for in that file only."""
    out = []
    for quote, file in _evidence_items(g):
        for name, text in texts:
            if file and not name.startswith(Path(file).name):
                continue
            sp = locate(text, quote)
            if sp:
                out.append((name, sp))
    return out


def score_dirs(dirs: list[Path]) -> dict:
    pairs = []
    for d in dirs:
        for folder in sorted(p for p in d.iterdir() if (p / "gold.yaml").is_file()):
            try:
                pairs.append(score_pair(folder))
            except Exception as e:   # a crash scores the pair's problems as wrong, and is shown
                gold = yaml.safe_load((folder / "gold.yaml").read_text(encoding="utf-8"))
                print(f"  {folder.name} CRASH {type(e).__name__}: {e}")
                pairs.append({"pair": folder.name, "rows": [
                    {"gold": g["status"], "pred": "crash", "text": g.get("problem") or g.get("text") or "",
                     "found": False, **({"evidence_ok": False} if g["status"] != "not_addressed" else {})}
                    for g in gold["problems"]]})
    rows = [r for p in pairs for r in p["rows"]]
    ev = [r for r in rows if "evidence_ok" in r]
    return {"pairs": pairs, "problems": len(rows),
            "status_correct": sum(r["gold"] == r["pred"] for r in rows),
            "found": sum(r["found"] for r in rows),
            "evidence_total": len(ev), "evidence_ok": sum(r["evidence_ok"] for r in ev)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dirs", nargs="*", type=Path,
                    default=[ROOT / "tests/fixtures/rectify", ROOT / "tests/fixtures/rectify_dev"])
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("--total", action="store_true", help="also print the sets' pooled figures")
    a = ap.parse_args(argv)
    total = {"problems": 0, "status_correct": 0, "found": 0, "evidence_ok": 0, "evidence_total": 0}
    for d in a.dirs:
        if not d.is_dir():
            print(f"(skipped, not found: {d})")
            continue
        s = score_dirs([d])
        if a.verbose:
            for p in s["pairs"]:
                for r in p["rows"]:
                    mark = "ok " if r["gold"] == r["pred"] else "BAD"
                    ev = {True: " evidence ok", False: " evidence MISSED"}.get(r.get("evidence_ok"), "")
                    print(f"  {p['pair']} {mark} gold={r['gold']:<13} pred={r['pred']:<13}{ev}  {r['text'][:30]}")
        n = max(1, s["problems"])
        print(f"rectify {d.name}: {len(s['pairs'])} pairs, {s['problems']} problems; "
              f"found {s['found']}/{s['problems']}; "
              f"status accuracy {s['status_correct'] / n:.1%} ({s['status_correct']}/{s['problems']}); "
              f"evidence overlap {s['evidence_ok']}/{s['evidence_total']}"
              + (f" ({s['evidence_ok'] / s['evidence_total']:.1%})" if s["evidence_total"] else ""))
        total = {k: v + s[k] for k, v in total.items()}
    if a.total and total["problems"]:
        t = total
        print(f"合计 {len(a.dirs)} 套: {t['problems']} problems; found {t['found']}; status accuracy "
              f"{t['status_correct'] / t['problems']:.1%} ({t['status_correct']}/{t['problems']}); "
              f"evidence overlap {t['evidence_ok']}/{t['evidence_total']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
