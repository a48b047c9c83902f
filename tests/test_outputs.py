"""End-to-end: every input of the seeds and the examples analysed once; the output contract's
fields are present and every recorded span round-trips into the report text."""
import json
from pathlib import Path

import pytest

from dudao.batch import Job, output_names, run_one
from dudao.ingest import iter_inputs

from conftest import EXAMPLES, SEEDS

CONTRACT_FIELDS = ("text", "relevant", "doc_type", "region", "work_year", "round_year", "issuer",
                   "publish_date", "scheme_refs", "self_score", "sections", "problems", "placeholders",
                   "indicators", "findings")


def _analyse(folder: Path, out: Path):
    items = list(iter_inputs([str(folder)]))
    results = {}
    for item, name in zip(items, output_names(items)):
        st = run_one(Job(item, str(out / name)))
        if st["status"] == "ok":
            results[item.name] = json.loads((out / name).read_text(encoding="utf-8"))
        elif st["status"] == "failed":
            raise AssertionError(f"{item.source}: {st['reason']}")
    return results


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    res = _analyse(EXAMPLES, tmp_path_factory.mktemp("ex"))
    if SEEDS.is_dir():
        res.update(_analyse(SEEDS, tmp_path_factory.mktemp("seeds")))
    return res


def _spans(report):
    """(what, start, end, claimed text) for every extracted item."""
    t = report
    for s in t["sections"]:
        yield "section", s["start"], s["end"], s["heading"]
    for key in ("problems", "placeholders"):
        for p in t[key]:
            yield key, p["start"], p["end"], p["text"]
    for i in t["indicators"]:
        yield "indicator", i["start"], i["end"], i["quote"]
        for r in i.get("restated") or []:
            yield "restated", r["start"], r["end"], None
    for f in t["findings"]:
        yield "finding", f["start"], f["end"], f.get("quote")
    for r in t.get("references") or []:
        yield "reference", r["start"], r["end"], r["text"]
    if t.get("region") and t["region"].get("start") is not None:
        yield "region", t["region"]["start"], t["region"]["end"], None
    for item in (t.get("self_score") or {}).get("items") or []:
        yield "score item", item["start"], item["end"], None


def test_contract_fields_and_spans(outputs):
    assert len(outputs) >= 10
    checked = 0
    for name, doc in outputs.items():
        assert doc["format"] in ("txt", "docx", "pdf", "html", "doc")
        for rep in doc["reports"]:
            for f in CONTRACT_FIELDS:
                assert f in rep, (name, f)
            text = rep["text"]
            for what, s, e, claimed in _spans(rep):
                assert 0 <= s <= e <= len(text), (name, what, s, e)
                if claimed is not None:
                    assert text[s:e] == claimed, (name, what, claimed)
                checked += 1
            for f in rep["findings"]:
                assert f["message"] and f["severity"] in ("error", "warning", "info"), (name, f)
                assert isinstance(f["source"], str) and f["source"], (name, f)   # the rule's source
                assert any("\u4e00" <= ch <= "\u9fff" for ch in f["message"]), (name, f["message"])
    assert checked > 500


def test_indicator_kinds_and_units(outputs):
    for doc in outputs.values():
        for rep in doc["reports"]:
            for i in rep["indicators"]:
                assert i["kind"] in ("actual", "target", "comparison"), i
                assert i["value"] is None or isinstance(i["value"], (int, float)), i


def _squash(s):
    return "".join(s.split())


def test_pdf_items_point_at_their_page(outputs):
    import pypdfium2 as pdfium
    doc = outputs["04_duanzhou_2020.pdf"]
    pdf = pdfium.PdfDocument(str(EXAMPLES / "04_duanzhou_2020.pdf"))
    pages = [_squash(pdf[i].get_textpage().get_text_range()) for i in range(len(pdf))]
    items = [i for r in doc["reports"] for i in r["indicators"] + r["findings"]]
    assert items
    for item in items:
        page = item["origin"]["page"]
        head = _squash(item.get("quote") or "")[:4]
        assert head in pages[page - 1], (item.get("quote"), page)


def test_docx_items_point_at_their_paragraph(outputs):
    import docx
    from docx.oxml.ns import qn
    body = docx.Document(str(EXAMPLES / "03_santai_2023.docx")).element.body
    texts = ["".join(t.text or "" for t in el.iter(qn("w:t"))) for el in body.iterchildren()]
    doc = outputs["03_santai_2023.docx"]
    items = [i for r in doc["reports"] for i in r["problems"] + r["indicators"]]
    assert items
    for item in items:
        k = item["origin"]["paragraph"]
        claimed = _squash(item.get("text") or item.get("quote"))
        assert claimed[:4] in _squash(texts[k]), (claimed, k, texts[k][:40])
