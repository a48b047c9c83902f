"""PDFs made by other writers (LibreOffice, WPS) wrap lines at other places than the project's
own writer: a number that does not fit is pushed whole to the next line, and the line before it
stops short of the margin. The figures must come out as from the plain text (issue 15, item 6)."""
import shutil
import subprocess

import pytest

from dudao.ingest.pdf import Line, _pushed_word
import dudao

LAY = (57.0, 534.5, 9.16)   # left margin, right edge, character width (points)


def test_a_number_pushed_to_the_next_line_joins_its_sentence():
    short_by_five = Line("小学、初中办学条件校际均衡差异系数分别为", 57.8, 489.8)
    assert _pushed_word(short_by_five, "0.36、0.31，达到省定标准", LAY)
    assert _pushed_word(Line("全区学科类培训机构压减率", 57.0, 500.0), "93.83%。", LAY)
    # a finished sentence, a heading, a CJK start or a line far from the margin stays apart
    assert not _pushed_word(Line("全区共有学校86所。", 57.0, 520.0), "2021年，全区…", LAY)
    assert not _pushed_word(Line("主要做法如下", 57.0, 520.0), "1. 加强领导", LAY)
    assert not _pushed_word(Line("差异系数分别为", 57.0, 520.0), "达到省定标准", LAY)
    assert not _pushed_word(Line("差异系数分别为", 57.0, 300.0), "0.36", LAY)


def _figures(path):
    return sorted((i["name"], i["value"]) for r in (x.model_dump(mode="json") for x in dudao.analyze_path(str(path)))
                  for i in r["indicators"] if i.get("kind") == "actual" and i.get("value") is not None)


@pytest.mark.skipif(not (shutil.which("soffice") or shutil.which("libreoffice")), reason="未安装 LibreOffice")
def test_libreoffice_pdf_of_seeds_yields_the_plain_text_figures(seeds_dir, tmp_path):
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    seeds = [p for p in sorted(seeds_dir.glob("*.txt")) if p.name.startswith(("001_", "004_"))]
    for p in seeds:
        shutil.copy(p, tmp_path / p.name)
    subprocess.run([exe, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "pdf", "--outdir", str(tmp_path)] + [str(tmp_path / p.name) for p in seeds],
                   check=True, capture_output=True, timeout=300)
    for p in seeds:
        assert _figures(tmp_path / (p.stem + ".pdf")) == _figures(p), p.name
