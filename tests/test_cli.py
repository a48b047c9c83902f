"""The command line: batches with bad inputs, no silent overwrite, table and JSON output."""
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import fixtures_build as fb
from conftest import ROOT, EXAMPLES

DUDAO = [sys.executable, "-m", "dudao.cli"]


def run(*args, cwd=ROOT):
    env = dict(os.environ, PYTHONPATH=str(ROOT), COLUMNS="120")
    return subprocess.run(DUDAO + list(args), capture_output=True, text=True, cwd=cwd, env=env, timeout=600)


def _zip_bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("报告.txt", b"0" * (300 * 2**20))   # 300 MB of zeros, compresses ~1000:1
    return buf.getvalue()


@pytest.fixture(scope="module")
def bad_folder(tmp_path_factory):
    d = tmp_path_factory.mktemp("bad")
    (d / "good.txt").write_text(fb.REPORT, encoding="utf-8")
    (d / "empty.txt").write_bytes(b"")
    (d / "random.pdf").write_bytes(os.urandom(4096))
    (d / "page.pdf").write_text("<html><body><p>" + fb.REPORT.replace("\n", "</p><p>") + "</p></body></html>",
                                encoding="utf-8")
    from dudao.ingest import writers
    writers.to_docx(fb.REPORT, d / "whole.docx")
    (d / "truncated.docx").write_bytes((d / "whole.docx").read_bytes()[:1500])
    (d / "bomb.zip").write_bytes(_zip_bomb())
    with open(d / "huge.txt", "wb") as f:       # sparse: 200 MB without using the disk
        f.truncate(200 * 2**20)
    (d / "scan.pdf").write_bytes(fb.scanned_pdf())
    return d


def test_bad_inputs_batch(bad_folder, tmp_path):
    out = tmp_path / "out"
    r = run("analyze", str(bad_folder), "--out", str(out))
    assert r.returncode == 1
    assert "Traceback" not in r.stdout + r.stderr
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    by_name = {Path(s["source"]).name.split("!")[0]: s for s in summary["inputs"]}
    ok = {n for n, s in by_name.items() if s["status"] == "ok"}
    assert {"good.txt", "page.pdf", "whole.docx"} <= ok
    for name in ("empty.txt", "random.pdf", "truncated.docx", "bomb.zip", "huge.txt", "scan.pdf"):
        s = by_name[name]
        assert s["status"] == "failed" and s["reason"], name
        assert any("\u4e00" <= ch <= "\u9fff" for ch in s["reason"]), s["reason"]
        assert "\n" not in s["reason"]
    assert "OCR" in by_name["scan.pdf"]["reason"]
    assert (out / "good.json").exists() and not (out / "huge.json").exists()
    assert summary["counts"]["failed"] == 6
    for name in ok:
        assert "失败" not in by_name[name].get("reason", "")
    assert "失败" in r.stdout


def test_no_silent_overwrite(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text(fb.REPORT, encoding="utf-8")
    out = tmp_path / "out"
    assert run("analyze", str(src), "--out", str(out)).returncode == 0
    before = (out / "a.json").read_bytes()
    (out / "a.json").write_text("{}", encoding="utf-8")
    r = run("analyze", str(src), "--out", str(out))
    assert r.returncode != 0 and "--force" in (r.stdout + r.stderr)
    assert (out / "a.json").read_text(encoding="utf-8") == "{}"
    assert run("analyze", str(src), "--out", str(out), "--force").returncode == 0
    assert (out / "a.json").read_bytes() == before


def test_same_stem_uses_full_names(tmp_path):
    from dudao.ingest import writers
    (tmp_path / "a.txt").write_text(fb.REPORT, encoding="utf-8")
    writers.to_docx(fb.REPORT, tmp_path / "a.docx")
    out = tmp_path / "out"
    assert run("analyze", str(tmp_path / "a.txt"), str(tmp_path / "a.docx"), "--out", str(out)).returncode == 0
    assert sorted(p.name for p in out.iterdir()) == ["a.docx.json", "a.txt.json", "summary.json"]


def test_parallel_jobs_match_serial(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    assert run("analyze", str(EXAMPLES), "--out", str(a)).returncode == 0
    assert run("analyze", str(EXAMPLES), "--out", str(b), "--jobs", "2").returncode == 0
    for p in a.glob("*.json"):
        if p.name != "summary.json":
            assert json.loads(p.read_text(encoding="utf-8")) == json.loads((b / p.name).read_text(encoding="utf-8"))


def test_table_and_check_output():
    r = run("analyze", str(EXAMPLES / "02_lusong_2021.txt"), "--format", "table")
    assert r.returncode == 0
    assert "芦淞区" in r.stdout and "自评得分" in r.stdout
    r = run("check", str(EXAMPLES / "02_lusong_2021.txt"))
    assert r.returncode == 0 and "自评得分计算不符" in r.stdout and "严重" in r.stdout
    r = run("check", str(EXAMPLES / "02_lusong_2021.txt"), "--format", "json")
    data = json.loads(r.stdout)
    assert {f["code"] for f in data[0]["reports"][0]["findings"]} >= {"score_arithmetic", "below_standard"}


def test_help_is_chinese():
    r = run("--help")
    assert r.returncode == 0 and "自评报告" in r.stdout
    r = run("analyze", "--help")
    assert "输出文件夹" in r.stdout


def test_missing_path_and_bad_scheme(tmp_path):
    r = run("analyze", str(tmp_path / "不存在.docx"), "--out", str(tmp_path / "o"))
    assert r.returncode == 2 and "找不到输入" in r.stderr
    assert not (tmp_path / "o").exists()                        # nothing written, no "结果已写入"
    assert "结果已写入" not in r.stdout
    bad = tmp_path / "s.yaml"
    bad.write_text("length_limit: 不是数字", encoding="utf-8")
    r = run("check", str(EXAMPLES / "01_xiping_2022.txt"), "--scheme", str(bad))
    assert r.returncode == 3 and "方案文件" in (r.stdout + r.stderr) and "Traceback" not in r.stderr


def test_figures_option(tmp_path):
    out = tmp_path / "o"
    assert run("analyze", str(EXAMPLES / "01_xiping_2022.txt"), "--out", str(out), "--figures").returncode == 0
    rep = json.loads((out / "01_xiping_2022.json").read_text(encoding="utf-8"))["reports"][0]
    assert rep["figures"] and all(not f["canonical"] or f["kind"] == "change" for f in rep["figures"])
    for f in rep["figures"]:
        assert rep["text"][f["start"]:f["end"]] == f["quote"]
    plain = tmp_path / "p"
    assert run("analyze", str(EXAMPLES / "01_xiping_2022.txt"), "--out", str(plain)).returncode == 0
    rep2 = json.loads((plain / "01_xiping_2022.json").read_text(encoding="utf-8"))["reports"][0]
    assert "figures" not in rep2
    assert [(i["name"], i["value"]) for i in rep2["indicators"]] == [(i["name"], i["value"]) for i in rep["indicators"]]


ENGLISH = ("Usage", "Options", "Arguments", "Show this message", "[required]", "Error", "Missing argument",
           "No such command", "Try '", "<list[str]>", "{paths}", "INTEGER", "TEXT", "PATH", "Commands")


def _no_english(text: str):
    for word in ENGLISH:
        assert word not in text, (word, text)


@pytest.mark.parametrize("args", [["--help"], ["analyze", "--help"], ["check", "--help"], ["review", "--help"], []])
def test_help_is_chinese_with_examples(args):
    r = run(*args)
    text = r.stdout + r.stderr
    _no_english(text)
    assert "用法：" in text and "示例：" in text
    if args and args[0] != "--help":
        assert "路径…" in text and f"dudao {args[0]} " in text.split("示例：")[1]


def test_developer_command_is_hidden():
    r = run("--help")
    assert " eval " not in r.stdout and "\n  eval" not in r.stdout
    assert run("eval", "--help").returncode == 0                 # still there for developers


@pytest.mark.parametrize("args, words", [
    (["analyze"], "缺少参数“路径…”"),
    (["analyse", "x"], "没有这个命令：“analyse”"),
    (["review", "x", "--bogus"], "没有这个选项：--bogus"),
    (["check", "x", "--jobs", "abc"], "应为整数"),
    (["review", "x", "--jobs", "0"], "不能小于 1"),
    (["review", "x", "--out"], "需要一个值"),
])
def test_usage_errors_are_chinese(args, words):
    r = run(*args)
    assert r.returncode == 2
    assert words in r.stderr, r.stderr
    assert "错误：" in r.stderr
    _no_english(r.stdout + r.stderr)


def test_review_of_a_missing_path_writes_nothing(tmp_path):
    r = run("review", str(tmp_path / "nope"), "--out", str(tmp_path / "o1b"))
    assert r.returncode == 2 and "找不到输入" in r.stderr
    assert not (tmp_path / "o1b").exists()


@pytest.mark.parametrize("cmd", ["analyze", "review"])
def test_unwritable_output_is_refused_before_analysis(tmp_path, cmd):
    a_file = tmp_path / "已有文件.txt"
    a_file.write_text("x", encoding="utf-8")
    r = run(cmd, str(EXAMPLES / "02_lusong_2021.txt"), "--out", str(a_file))
    assert r.returncode == 4 and "不是文件夹" in r.stderr and "Traceback" not in r.stderr + r.stdout
    assert a_file.read_text(encoding="utf-8") == "x"
    # a place nobody can write (even root): /proc does not take new folders
    r = run(cmd, str(EXAMPLES / "02_lusong_2021.txt"), "--out", "/proc/dudao-out")
    assert r.returncode == 4 and "无法" in r.stderr and "Traceback" not in r.stderr + r.stdout
    assert "分析" not in r.stderr.split("错误")[0]                 # refused before the batch ran


def test_skipped_is_not_failed_in_check(tmp_path):
    (tmp_path / "说明.md").write_text("# 说明", encoding="utf-8")
    (tmp_path / "报告.txt").write_text((EXAMPLES / "02_lusong_2021.txt").read_text(encoding="utf-8"), encoding="utf-8")
    r = run("check", str(tmp_path))
    assert r.returncode == 0
    assert "跳过" in r.stderr and "失败" not in r.stderr
