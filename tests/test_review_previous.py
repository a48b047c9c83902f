"""dudao review --previous DIR: last round's feedback letters followed into this year's reports — the
上轮问题整改 sheet and page, links to the evidence on the report pages, and the new letter stating which
problems remain. Team-written pairs from tests/fixtures/rectify_dev/ (letter in the --previous folder)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest
import yaml
from docx import Document
from typer.testing import CliRunner

from test_review_browser import chromium  # noqa: F401  (the headless browser fixture)

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "tests" / "fixtures" / "rectify_dev"
PAIRS = ("02", "09", "13")    # letters and reports that name their region; 13's is a rectification report
LETTERS = ("02", "09")        # the self-reports, which get a new feedback draft
UNMATCHED = "05"              # a letter of a region with no report in the pack
LABELS = {"resolved": "已整改", "in_progress": "整改中", "persists": "仍存在", "not_addressed": "未回应"}


def _gold(pair: str) -> list[dict]:
    probs = yaml.safe_load((DEV / pair / "gold.yaml").read_text(encoding="utf-8"))["problems"]
    return [{"text": p.get("text") or p.get("problem"), "status": p["status"], "evidence": p.get("evidence") or []}
            for p in probs]


def _folders(tmp: Path) -> tuple[Path, Path]:
    src, prev = tmp / "本年度报告", tmp / "上轮反馈意见"
    src.mkdir()
    prev.mkdir()
    for k in PAIRS:
        shutil.copy(DEV / k / "report.txt", src / f"报告{k}.txt")
        shutil.copy(DEV / k / "feedback.txt", prev / f"反馈意见{k}.txt")
    shutil.copy(DEV / UNMATCHED / "feedback.txt", prev / f"反馈意见{UNMATCHED}.txt")
    return src, prev


def _cli(args):
    from dudao.cli import app
    return CliRunner().invoke(app, args)


@pytest.fixture(scope="module")
def pack(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("prev")
    src, prev = _folders(tmp)
    res = _cli(["review", str(src), "--out", str(tmp / "out"), "--previous", str(prev)])
    assert res.exit_code == 0, res.output
    return tmp / "out", json.loads((tmp / "out" / "summary.json").read_text(encoding="utf-8"))


def _report_of(summary, pair):
    text = (DEV / pair / "report.txt").read_text(encoding="utf-8")
    return next(r for r in summary["reports"] if r["source"].endswith(f"报告{pair}.txt")), text


def test_sheet_rows_statuses_and_evidence_spans(pack):
    import dudao
    out, summary = pack
    wb = openpyxl.load_workbook(out / "review.xlsx", read_only=True)
    ws = wb["上轮问题整改"]
    rows = list(ws.iter_rows(values_only=True))
    head = list(rows[0])
    assert head[:8] == ["地区", "序号", "上轮问题", "整改状态", "依据摘录", "依据位置", "数据对比", "反馈意见位置"]
    total = 0
    for pair in PAIRS:
        rep, _ = _report_of(summary, pair)
        analysed = dudao.analyze_path(str(DEV / pair / "report.txt"))[0].text
        mine = [r for r in rows[1:] if r and r[0] and rep["region"] in str(r[0])]
        gold = _gold(pair)
        assert len(mine) == len(gold)
        for row, g in zip(mine, gold):
            total += 1
            assert g["text"] in row[2] and row[3] == LABELS[g["status"]]
            for quote in g["evidence"]:
                assert quote in (row[4] or "")
            # 依据位置 "file:start-end": the span quotes the analysed report text
            for place, quote in zip((row[5] or "").split("；"), (row[4] or "").split("\n")):
                if place:
                    a, b = map(int, place.rsplit(":", 1)[1].split("-"))
                    assert analysed[a:b] == quote
    assert summary["counts"]["previous_problems"] == total == sum(len(_gold(p)) for p in PAIRS)
    assert summary["counts"]["previous_remaining"] == sum(
        1 for p in PAIRS for g in _gold(p) if g["status"] != "resolved")
    assert summary["counts"]["previous_unmatched_letters"] == 1
    notes = " ".join(str(r[0]) for r in rows if r and r[0] and str(r[0]).startswith("说明"))
    assert f"反馈意见{UNMATCHED}.txt" in notes


def test_page_links_to_the_passage_on_the_report_page(pack):
    import dudao
    out, summary = pack
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="previous.html"' in index
    html = (out / "previous.html").read_text(encoding="utf-8")
    assert "Content-Security-Policy" in html and "仍存在" in html and "未回应" in html
    rep, _ = _report_of(summary, "02")
    analysed = dudao.analyze_path(str(DEV / "02" / "report.txt"))[0].text
    page = (out / rep["page"]).read_text(encoding="utf-8")
    assert f'href="{rep["page"]}#at-r1"' in html
    assert 'id="at-r1"' in page and 'id="r1"' in page and "上轮反馈问题整改" in page
    # the anchor stands where the first evidence of problem 1 begins (依据位置 of its sheet row)
    wb = openpyxl.load_workbook(out / "review.xlsx", read_only=True)
    row = next(r for r in wb["上轮问题整改"].iter_rows(values_only=True) if r and r[0] == rep["region"])
    a, b = map(int, row[5].split("；")[0].rsplit(":", 1)[1].split("-"))
    assert analysed[a:b] == row[4].split("\n")[0]
    assert page.split('id="at-r1"')[1].split("data-s=")[1].startswith(f'"{a}"')
    assert f"反馈意见{UNMATCHED}.txt" in html


def test_letter_states_remaining_problems(pack):
    out, summary = pack
    assert _report_of(summary, "13")[0]["feedback"] is None     # a rectification report gets no letter
    for pair in LETTERS:
        rep, _ = _report_of(summary, pair)
        body = "\n".join(p.text for p in Document(str(out / rep["feedback"])).paragraphs)
        assert "三、上一轮反馈问题整改情况" in body and "四、整改要求" in body
        gold = _gold(pair)
        remaining = [g for g in gold if g["status"] in ("persists", "not_addressed", "in_progress")]
        section = body.split("三、上一轮反馈问题整改情况")[1].split("四、整改要求")[0]
        for g in remaining:
            assert g["text"] in section
        for g in gold:
            if g["status"] == "resolved":
                assert g["text"] not in section
        assert f"已整改 {sum(1 for g in gold if g['status'] == 'resolved')} 个" in section
        # nothing internal: no file names, no codes
        assert ".txt" not in body and "not_addressed" not in body


def test_pack_without_previous_keeps_its_letter(tmp_path):
    src, _ = _folders(tmp_path)
    res = _cli(["review", str(src), "--out", str(tmp_path / "out")])
    assert res.exit_code == 0
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert "previous_problems" not in summary["counts"] and not (tmp_path / "out" / "previous.html").exists()
    body = "\n".join(p.text for p in Document(str(tmp_path / "out" / summary["reports"][0]["feedback"])).paragraphs)
    assert "三、整改要求" in body and "上一轮" not in body
    assert "上轮问题整改" not in openpyxl.load_workbook(tmp_path / "out" / "review.xlsx", read_only=True).sheetnames


@pytest.mark.parametrize("case", ["missing", "file", "no_letters"])
def test_bad_previous_folder_is_refused_before_writing(tmp_path, case):
    src, prev = _folders(tmp_path)
    target = {"missing": tmp_path / "不存在", "file": prev / "反馈意见02.txt", "no_letters": tmp_path / "空"}[case]
    if case == "no_letters":
        target.mkdir()
        shutil.copy(DEV / "02" / "report.txt", target / "不是反馈意见.txt")
    res = _cli(["review", str(src), "--out", str(tmp_path / "out"), "--previous", str(target)])
    words = {"missing": "找不到上一轮反馈意见文件夹", "file": "不是文件夹", "no_letters": "没有找到反馈意见"}[case]
    assert res.exit_code != 0 and words in res.output.replace("\n", ""), res.output
    assert not (tmp_path / "out").exists()


def test_library_call(tmp_path):
    import dudao
    src, prev = _folders(tmp_path)
    reports = [dudao.analyze_path(str(p)) for p in sorted(src.glob("*.txt"))]
    summary = dudao.build_review_pack(reports, tmp_path / "out", previous=prev)
    assert summary["counts"]["previous_problems"] == sum(len(_gold(p)) for p in PAIRS)
    assert summary["outputs"]["previous"] == "previous.html"


def test_previous_page_renders_in_chromium(chromium, pack, tmp_path):
    from test_review_browser import _fallback_render
    out, _ = pack
    for name in ("previous.html", "reports/1.html"):
        png = tmp_path / (Path(name).stem + ".png")
        errors = _fallback_render(chromium, (out / name).as_uri(), png, tmp_path / f"profile-{png.stem}")
        assert not errors and png.is_file() and png.stat().st_size > 10_000
