"""Write docs/findings.md from dudao/data/findings.yaml (tests check the two agree)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dudao.resources import load_yaml  # noqa: E402

SEVERITY = {"error": "严重", "warning": "警告", "info": "提示"}


def render() -> str:
    lines = ["# 核查发现目录", "",
             "由 `dudao/data/findings.yaml` 生成（`python scripts/gen_findings_doc.py`），请勿手改。", "",
             "| 代码 | 级别 | 名称 | 说明 | 依据 |", "| --- | --- | --- | --- | --- |"]
    for code, e in load_yaml("findings").items():
        alias = f"（又名 `{'`、`'.join(e['aliases'])}`）" if e.get("aliases") else ""
        lines.append(f"| `{code}`{alias} | {SEVERITY[e['severity']]} | {e['title']} | {e['explanation']} | "
                     f"{e['source'].replace('{', '').replace('}', '') if '{' not in e['source'] else '随具体规则给出'} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    out = Path(__file__).resolve().parent.parent / "docs" / "findings.md"
    out.write_text(render(), encoding="utf-8")
    print(out)
