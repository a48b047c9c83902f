"""Write examples/expected.yaml as gold files in the format of ../shared/spec/gold-format.md,
so ../shared/eval/score.py can score the analyser on the bundled examples too.

Usage: python scripts/examples_gold.py OUT_DIR
"""
import json
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
# Codes the gold format knows by another name.
CODE_ALIASES = {"out_of_period": "later_events"}


def convert(out_dir: Path) -> list[str]:
    data = yaml.safe_load((ROOT / "examples" / "expected.yaml").read_text(encoding="utf-8"))
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for ex in data["examples"]:
        reports = []
        for r in ex["reports"]:
            g = {k: r.get(k) for k in ("anchor", "relevant", "doc_type", "region", "work_year", "round_year",
                                        "issuer", "publish_date", "self_score", "section_roles", "problems",
                                        "placeholders")}
            g["scheme_refs"] = r.get("scheme_refs") or []
            g["indicators"] = [i for i in r.get("indicators") or [] if i.get("kind", "actual") == "actual"]
            g["findings"] = [CODE_ALIASES.get(f["code"] if isinstance(f, dict) else f, f["code"] if isinstance(f, dict) else f)
                             for f in r.get("findings") or []]
            if r.get("province_hint"):
                g["province_hint"] = r["province_hint"]
            reports.append({k: v for k, v in g.items() if v is not None or k in ("region", "self_score")})
        name = Path(ex["file"]).stem + ".json"
        (out_dir / name).write_text(json.dumps({"file": ex["file"], "reports": reports}, ensure_ascii=False, indent=1),
                                    encoding="utf-8")
        written.append(name)
    return written


if __name__ == "__main__":
    print("\n".join(convert(Path(sys.argv[1]))))
