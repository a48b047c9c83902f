"""Issue 2's acceptance: each seed given as GBK .txt, UTF-16 .txt, .docx, .pdf and .html still
scores 100% on the engine rows of score.py."""
import json
import subprocess
import sys

import pytest

from dudao.batch import Job, output_names, run_one
from dudao.ingest import iter_inputs, writers

from conftest import SHARED

ROWS = ("output file present", "segmentation: gold report found", "segmentation: no spurious reports",
        "doc type correct", "relevance correct", "no noise left in text")
FORMATS = {
    "gbk": (".txt", lambda t, p: writers.to_gbk(t, p)),
    "utf16": (".txt", lambda t, p: writers.to_utf16(t, p)),
    "docx": (".docx", lambda t, p: writers.to_docx(t, p)),
    "pdf": (".pdf", lambda t, p: writers.to_pdf(t, p)),
    "html": (".html", lambda t, p: writers.to_html(t, p, title=t.strip().split("\n", 1)[0][:40])),
}


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_seed_variants_score_fully(fmt, tmp_path, seed_texts, gold_dir):
    ext, write = FORMATS[fmt]
    src = tmp_path / "in"
    src.mkdir()
    for name, text in seed_texts.items():
        write(text, src / (name[:-4] + ext))
    pred = tmp_path / "pred"
    pred.mkdir()
    items = list(iter_inputs([str(src)]))
    for item, out in zip(items, output_names(items)):
        st = run_one(Job(item, str(pred / out)))
        assert st["status"] == "ok", (item.source, st.get("reason"))
        assert json.loads((pred / out).read_text(encoding="utf-8"))["format"] == ("txt" if ext == ".txt" else ext[1:])
    r = subprocess.run([sys.executable, str(SHARED / "eval" / "score.py"), "--gold", str(gold_dir),
                        "--pred", str(pred), "--json"], capture_output=True, text=True, check=True)
    rows = json.loads(r.stdout[:r.stdout.rindex("}") + 1])
    low = {k: rows[k]["ratio"] for k in ROWS if rows[k]["ratio"] != 1.0}
    assert not low, low
