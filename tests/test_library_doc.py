"""docs/library.md: every ```python block runs, in order, in one namespace, from the repository root."""
import os
import re

from conftest import ROOT

DOC = ROOT / "docs" / "library.md"


def blocks() -> list[str]:
    return re.findall(r"^```python\n(.*?)^```", DOC.read_text(encoding="utf-8"), re.S | re.M)


def test_library_doc_examples_run(capsys):
    code = blocks()
    assert len(code) >= 5
    here = os.getcwd()
    os.chdir(ROOT)
    try:
        namespace: dict = {}
        for k, block in enumerate(code, 1):
            exec(compile(block, f"docs/library.md block {k}", "exec"), namespace)
    finally:
        os.chdir(here)
    out = capsys.readouterr().out
    assert "评价方案文件不存在：不存在的方案.yaml" in out
    assert "bad_input 文本为空" in out
