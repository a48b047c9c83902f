"""The review pack as a library: in-memory reports in, honest counts out, no import circles."""
from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from test_review_pack import report_anji, report_pingyao, write_fixture_reports

ROOT = Path(__file__).resolve().parents[1]
REVIEW = ROOT / "dudao" / "review"


def _analysed(tmp_path):
    import dudao
    src = write_fixture_reports(tmp_path / "src")
    results = []
    for p in sorted(src.glob("*.txt")):
        results.extend(dudao.analyze_path(str(p)))
    return results


class _Steps:
    def __init__(self):
        self.stages, self.done = [], {}

    def stage(self, label, total=None):
        self.stages.append((label, total))
        self.done[label] = 0

    def advance(self, n=1, failed=False):
        self.done[self.stages[-1][0]] += n


def test_pack_from_reports_in_memory(tmp_path, monkeypatch):
    from dudao.review.api import build_review_pack
    results = _analysed(tmp_path)
    # nothing is read back from disk: json.loads of a file the pack wrote would go through read_text
    real = Path.read_text

    def guarded(self, *a, **kw):
        assert tmp_path / "out" not in self.parents, f"re-read {self}"
        return real(self, *a, **kw)
    monkeypatch.setattr(Path, "read_text", guarded)
    steps = _Steps()
    summary = build_review_pack(results, tmp_path / "out", progress=steps)
    monkeypatch.undo()
    assert summary["counts"]["reports"] == 3 and summary["counts"]["relevant_reports"] == 3
    out = tmp_path / "out"
    for name in ("review.xlsx", "index.html", "summary.json"):
        assert (out / name).is_file()
    assert len(list((out / "feedback").glob("*.docx"))) == 3
    # every long step reports progress, and each finishes its count
    labels = [s for s, _ in steps.stages]
    for label in ("雷同检测", "生成 Excel 汇总表", "生成网页", "生成反馈意见初稿"):
        assert label in labels
    for label, total in steps.stages:
        assert total is None or steps.done[label] == total, (label, steps.done[label], total)


def test_reports_are_keyed_by_their_id(tmp_path):
    from dudao.review.api import build_review_pack
    results = [rep.model_dump(mode="json") for rep in _analysed(tmp_path)]
    for k, rep in enumerate(results):
        rep["id"] = f"abc{k}-1"
    summary = build_review_pack(results, tmp_path / "out")
    assert sorted(r["id"] for r in summary["reports"]) == ["abc0-1", "abc1-1", "abc2-1"]
    assert set(summary["copy_ratios"]) == {"abc0-1", "abc1-1", "abc2-1"}


def test_single_report_dicts_and_model_objects(tmp_path):
    from dudao.review.api import build_review_pack

    class Typed:                       # what a pydantic report offers
        def __init__(self, d):
            self.d = d

        def model_dump(self, mode="python"):
            return self.d
    import dudao
    reps = []
    for text in (report_pingyao(), report_anji()):
        reps.append(Typed(dudao.analyze_text(text)[0].model_dump(mode="json")))
    summary = build_review_pack(reps, tmp_path / "out")
    assert summary["counts"]["reports"] == 2


def test_refusal_leaves_nothing(tmp_path):
    from dudao.errors import DudaoError
    from dudao.review.api import build_review_pack
    with pytest.raises(DudaoError, match="找不到输入"):
        build_review_pack([str(tmp_path / "nope")], tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_no_import_circles_in_the_review_package():
    graph = {}
    for p in REVIEW.glob("*.py"):
        mod = p.stem
        deps = set()
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("dudao.review"):
                rest = node.module[len("dudao.review"):].lstrip(".")
                deps.update([rest] if rest else [a.name for a in node.names])
            elif isinstance(node, ast.Import):
                deps.update(a.name.split(".")[2] for a in node.names if a.name.startswith("dudao.review."))
        graph[mod] = {d for d in deps if (REVIEW / f"{d}.py").exists() and d != mod}

    def reach(start, seen):
        for d in graph.get(start, ()):
            if d not in seen:
                seen.add(d)
                reach(d, seen)
        return seen
    for mod in graph:
        assert mod not in reach(mod, set()), f"import circle through dudao.review.{mod}"


def test_dashboard_counts_skipped_apart_from_failed(tmp_path):
    from dudao.review.api import build_review_pack
    src = write_fixture_reports(tmp_path / "src")
    (src / "README.md").write_text("# 说明", encoding="utf-8")
    (src / "损坏.docx").write_bytes(b"PK\x03\x04 not a zip")
    summary = build_review_pack([str(src)], tmp_path / "out")
    c = summary["counts"]
    assert (c["ok"], c["failed"], c["skipped"]) == (3, 1, 1)
    index = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "成功 3 · 失败 1 · 跳过 1" in index
    failed_panel = index.split("未能读取的文件")[1].split("</section>")[0]
    assert "损坏.docx" in failed_panel and "README.md" not in failed_panel
    assert "README.md" in index.split("跳过的非报告文件")[1].split("</section>")[0]


def test_legend_counts_equal_the_panels(tmp_path):
    import re
    from dudao.review.api import build_review_pack
    src = write_fixture_reports(tmp_path / "src")
    # a report without a 存在问题 part: its finding concerns the whole text (no span to highlight)
    (src / "nop.txt").write_text(report_anji().split("三、存在问题")[0], encoding="utf-8")
    summary = build_review_pack([str(src)], tmp_path / "out")
    checked = 0
    for rep in summary["reports"]:
        page = (tmp_path / "out" / rep["page"]).read_text(encoding="utf-8")
        legend = dict(re.findall(r"</span>(核查发现|指标数字|模板占位|雷同段落|自述问题)（(\d+)）", page))
        panels = dict(re.findall(r"<h2>(核查发现|报告自述的问题|指标数字|模板占位|雷同段落)<small>(\d+)</small>", page))
        panels["自述问题"] = panels.pop("报告自述的问题", "0")
        for kind, n in legend.items():
            assert n == panels.get(kind, "0"), (rep["source"], kind, n, panels)
            checked += 1
    assert checked


def test_pack_title_is_the_report_title(tmp_path):
    from dudao.render import report_title
    from dudao.review.api import build_review_pack
    src = tmp_path / "src"
    src.mkdir()
    # the issuer stands on the first line, the title below it
    (src / "a.txt").write_text("平遥县人民政府\n" + report_pingyao(), encoding="utf-8")
    summary = build_review_pack([str(src)], tmp_path / "out")
    rep = summary["reports"][0]
    analysis = json.loads((tmp_path / "out" / rep["analysis"]).read_text(encoding="utf-8"))["reports"][0]
    assert rep["title"] == report_title(analysis) == "平遥县2021年度政府履行教育职责自评报告"


def _entries(n_reports: int, n_regions: int):
    from dudao.review.model import Entry
    out = []
    for k in range(n_reports):
        r = k % n_regions
        text = f"全县公办园在园幼儿占比{30 + r % 60}.5%。"
        report = {"relevant": True, "text": text, "work_year": 2021 + k // n_regions,
                  "region": {"name": f"第{r}县", "adcode": f"{100000 + r}", "province": "某省", "level": "county"},
                  "indicators": [{"name": "公办园在园幼儿占比", "scope": None, "value": 30 + r % 60 + 0.5, "unit": "%",
                                  "kind": "actual", "start": 2, "end": len(text) - 1, "quote": text[2:-1]}]}
        out.append(Entry(k + 1, f"id{k}", f"r{k}.txt", f"r{k}.json", f"r{k}", 1, report))
    return out


def test_indicator_chart_stays_readable_with_hundreds_of_regions():
    import re
    from dudao.review.html import CHART_ENDS, indicator_chart
    from dudao.review.model import indicator_matrix
    m = indicator_matrix(_entries(300, 270))
    col = next(c for c in m["columns"] if c["name"] == "公办园在园幼儿占比")
    svg = indicator_chart(col, m["rows"])
    assert "270 个地区" in svg                        # a region reported twice counts once
    bars = re.findall(r"<rect [^>]*><title>[^<]*原文", svg)
    assert len(bars) == 2 * CHART_ENDS                # top and bottom, not one bar per region
    heights = [float(h) for h in re.findall(r'viewBox="0 0 560 ([\d.]+)"', svg)]
    assert sum(heights) < 1000
    assert 'data-filter="' in svg and svg.count("<tr><td>") == 270    # every region can be searched
    small = indicator_matrix(_entries(12, 12))
    svg = indicator_chart(next(c for c in small["columns"] if c["name"] == "公办园在园幼儿占比"), small["rows"])
    assert len(re.findall(r"<rect [^>]*><title>[^<]*原文", svg)) == 12


def test_a_file_name_in_another_encoding_does_not_break_the_pack(tmp_path):
    import os
    from dudao.review.api import build_review_pack
    src = write_fixture_reports(tmp_path / "src")
    gbk = os.fsdecode(b"\xd6\xd0.txt")                      # 中.txt in GBK, read on a UTF-8 system
    (src / "pingyao_2021.txt").rename(src / gbk)
    summary = build_review_pack([str(src)], tmp_path / "out")
    assert summary["counts"]["ok"] == 3
    text = (tmp_path / "out" / "summary.json").read_text(encoding="utf-8")
    assert "中.txt" in text          # the name read as GBK (dudao.ingest's display name)


def test_report_legend_explains_the_grey_boilerplate(tmp_path):
    from dudao.review.api import build_review_pack
    summary = build_review_pack([str(write_fixture_reports(tmp_path / "src"))], tmp_path / "out")
    page = (tmp_path / "out" / summary["reports"][0]["page"]).read_text(encoding="utf-8")
    legend = page.split('class="legend"')[1].split("</div>")[0]
    assert "套话" in legend and "sw boiler" in legend


def test_a_letter_that_fails_is_reported_and_the_others_are_written(tmp_path, monkeypatch):
    from dudao.review import feedback
    from dudao.review.api import build_review_pack
    results = [rep.model_dump(mode="json") for rep in _analysed(tmp_path)]
    real = feedback.write_letter
    bad = results[1]["id"]
    bad_name = _letter_name(results, bad)

    def flaky(c, path):
        if path.name == bad_name:
            raise OSError(28, "No space left on device")
        return real(c, path)
    monkeypatch.setattr(feedback, "write_letter", flaky)
    summary = build_review_pack(results, tmp_path / "out")
    assert [f["id"] for f in summary["feedback_failed"]] == [bad]
    assert "无法写入文件" in summary["feedback_failed"][0]["reason"]
    assert summary["counts"]["feedback_drafts"] == 2
    assert len(list((tmp_path / "out" / "feedback").glob("*.docx"))) == 2
    row = next(r for r in summary["reports"] if r["id"] == bad)
    assert row["feedback"] is None          # the pages and workbook do not link a missing letter


def _letter_name(results, key):
    from dudao.review.outdir import feedback_names
    from dudao.review.pack import make_entries, records_of
    return feedback_names(make_entries(records_of(results)))[key]


def test_letters_written_in_processes_are_the_letters_written_here(tmp_path, monkeypatch):
    import zipfile

    from dudao.review import feedback
    from dudao.review.api import build_review_pack
    results = [rep.model_dump(mode="json") for rep in _analysed(tmp_path)]
    build_review_pack(results, tmp_path / "one")
    monkeypatch.setattr(feedback, "PARALLEL_MIN_LETTERS", 1)
    build_review_pack(results, tmp_path / "two", jobs=2)
    names = sorted(p.name for p in (tmp_path / "one" / "feedback").glob("*.docx"))
    assert len(names) == 3 and names == sorted(p.name for p in (tmp_path / "two" / "feedback").glob("*.docx"))
    for name in names:
        a, b = (zipfile.ZipFile(tmp_path / d / "feedback" / name) for d in ("one", "two"))
        assert sorted(a.namelist()) == sorted(b.namelist())
        for m in a.namelist():
            if m != "docProps/core.xml":          # creation time
                assert a.read(m) == b.read(m), (name, m)
