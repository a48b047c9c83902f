"""Write docs/report.schema.json from dudao.model (tests/test_model.py checks it is current).

Usage: python scripts/gen_schema.py
"""
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dudao.atomic import write_text  # noqa: E402
from dudao.model import json_schema  # noqa: E402

TARGET = ROOT / "docs" / "report.schema.json"


def render() -> str:
    return json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"


if __name__ == "__main__":
    write_text(TARGET, render())
    print(f"wrote {TARGET.relative_to(ROOT)}")
