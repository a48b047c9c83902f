"""The typed contract (dudao.model): every output of the seeds, examples and fixtures round-trips
through the model unchanged, carries no `_` keys, gets stable ids; the committed JSON Schema is
current."""
import hashlib
import json
import re
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT, SEEDS
from dudao.ingest import iter_inputs
from dudao.model import Document, Report, _Contract
from dudao.options import Options
from dudao.pipeline import analyze_raw

FIXTURES = ROOT / "tests" / "fixtures"


def _inputs():
    folders = [EXAMPLES] + sorted(p for p in FIXTURES.iterdir() if p.is_dir())
    if SEEDS.is_dir():
        folders.append(SEEDS)
    for folder in folders:
        for item in iter_inputs([str(folder)]):
            if item.error is None and not item.name.endswith((".json", ".md", ".yaml")):
                yield item


@pytest.fixture(scope="module")
def outputs():
    """(document dict, source bytes) for every input, with the figures option (a superset of the
    default output), plus the examples with the defaults (fields left out must stay out)."""
    out = []
    for item in _inputs():
        data = item._read()
        out.append((analyze_raw(item.load(), {"figures": True}), data))
        if Path(item.source).parent == EXAMPLES:
            out.append((analyze_raw(item.load()), data))
    assert len(out) > 60
    return out


def _canon(obj) -> str:
    # json text keeps 95 and 95.0 apart, which == on dicts does not.
    return json.dumps(obj, ensure_ascii=False, sort_keys=True)


def _extras(model, path="") -> list[str]:
    found = [f"{path}.{k}" for k in (model.model_extra or {})]
    for name in type(model).model_fields:
        value = getattr(model, name)
        for v in value if isinstance(value, list) else [value]:
            if isinstance(v, _Contract):
                found += _extras(v, f"{path}.{name}")
    return found


def test_every_output_round_trips(outputs):
    for doc, _ in outputs:
        model = Document.model_validate(doc)
        assert _canon(model.model_dump(mode="json")) == _canon(doc), doc["source"]
        for r in doc["reports"]:
            assert _canon(Report.model_validate(r).model_dump(mode="json")) == _canon(r)


def test_model_declares_every_field_emitted(outputs):
    # A field the pipeline emits but the model does not declare would pass only as an "extra".
    missing = sorted({p for doc, _ in outputs for p in _extras(Document.model_validate(doc))})
    assert missing == []


def test_optional_fields_are_left_out_not_nulled(outputs):
    plain = [r for doc, _ in outputs for r in doc["reports"] if "figures" not in r]
    assert plain, "the default run must have reports without figures"
    for r in plain:
        assert "figures" not in Report.model_validate(r).model_dump(mode="json")


def _keys(obj, path=""):
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield path + "." + k
            yield from _keys(v, path + "." + k)
    elif isinstance(obj, list):
        for v in obj:
            yield from _keys(v, path + "[]")


def test_no_underscore_keys_in_any_output(outputs):
    bad = sorted({k for doc, _ in outputs for k in _keys(doc) if k.rsplit(".", 1)[-1].startswith("_")})
    assert bad == []


def test_ids_are_stable_and_follow_the_source_bytes(outputs):
    for doc, data in outputs:
        digest = hashlib.sha256(data).hexdigest()[:12]
        assert [r["id"] for r in doc["reports"]] == [f"{digest}-{i}" for i in range(1, len(doc["reports"]) + 1)]
        assert all(r["source"] == doc["source"] and r["schema_version"] == doc["schema_version"]
                   for r in doc["reports"])
    ids = [r["id"] for doc, _ in outputs for r in doc["reports"]]
    assert all(re.fullmatch(r"[0-9a-f]{12}-\d+", i) for i in ids)


def test_text_ids_follow_the_text():
    from dudao import analyze_text
    text = (EXAMPLES / "02_lusong_2021.txt").read_bytes().decode("utf-8")
    a, b = analyze_text(text), analyze_text(text, options=Options())
    assert [r.id for r in a] == [r.id for r in b]
    assert a[0].id == hashlib.sha256(text.encode("utf-8")).hexdigest()[:12] + "-1"
    assert analyze_text(text + "\n补充说明。")[0].id != a[0].id


def test_committed_schema_is_current():
    sys.path.insert(0, str(ROOT / "scripts"))
    from gen_schema import TARGET, render
    assert TARGET.read_text(encoding="utf-8") == render(), "run: python scripts/gen_schema.py"
    schema = json.loads(render())
    report = schema["$defs"]["Report"]["properties"]
    for field in ("text", "relevant", "doc_type", "region", "work_year", "round_year", "issuer",
                  "publish_date", "scheme_refs", "self_score", "sections", "problems", "placeholders",
                  "indicators", "findings", "id", "schema_version"):
        assert field in report, field
