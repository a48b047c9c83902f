"""dudao rectify: problems of a feedback letter, passages answering them, statuses, CLI, history,
the review-pack rows. Texts here are written for the tests (no real report's sentences)."""
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from dudao.rectify import decide, extract_problems, follow, rectify_files, verify
from dudao.rectify.sheet import COLUMNS, draft_paragraphs, sheet_rows

DEV = ROOT / "tests" / "fixtures" / "rectify_dev"

LETTER = """关于某县2022年度履行教育职责情况的反馈意见
某县人民政府：
现将评价意见反馈如下。
一、主要成效
你县教育投入持续增长。
二、存在的主要问题
（一）学前教育公办资源不足。全县公办园在园幼儿占比为41.2%，低于50%的国家标准。
（二）城区大班额问题尚未解决。县城学校仍有大班额23个。
（三）校园安防设施不完善。部分学校未安装一键报警装置，视频监控未联网。
三、整改要求
请于2023年底前完成整改。
"""


def test_problems_with_spans_topics_figures_standards():
    probs = extract_problems(LETTER)
    assert [p["title"] for p in probs] == ["学前教育公办资源不足", "城区大班额问题尚未解决", "校园安防设施不完善"]
    for p in probs:
        assert LETTER[p["start"]:p["end"]] == p["text"]
        for f in p["figures"]:
            assert LETTER[f["start"]:f["end"]] == f["quote"]
    first = probs[0]
    assert "公办园在园幼儿占比" in first["topics"]
    assert any(f["value"] == 41.2 and f.get("canonical") for f in first["figures"])
    assert any(s.get("value") == 50 and s["source"] == "反馈意见" for s in first["standards"])
    assert "class_size" in probs[1]["topics"] and "security" in probs[2]["topics"]


@pytest.mark.parametrize("text,titles", [
    ("二、问题与不足\n一是教师编制不足，缺编120人；二是校舍存在安全隐患，仍有危房3栋；三是近视率偏高。\n三、建议\n加强管理。",
     ["教师编制不足，缺编120人", "校舍存在安全隐患，仍有危房3栋", "近视率偏高"]),
    ("三、问题清单\n1.教育经费投入不足，支出比上年下降。\n2.督学配备不足。\n四、整改建议\n限期整改。",
     ["教育经费投入不足，支出比上年下降", "督学配备不足"]),
    # a category heading over numbered lines: the lines are the problems
    ("二、主要问题\n（一）均衡发展方面\n1.校际差距依然较大。\n2.交流轮岗比例偏低。\n（二）保障方面\n3.公用经费拨付不及时。\n三、意见建议\n整改。",
     ["校际差距依然较大", "交流轮岗比例偏低", "公用经费拨付不及时"]),
    # an item explained in the paragraphs below it; a closing paragraph and the signature are not part of it
    ("二、存在的问题\n（一）学前教育短板明显。\n全县公办园在园幼儿占比为41.2%，低于50%的国家标准。\n（二）教师结构不合理。\n"
     "音体美教师缺口126人。\n以上问题请认真整改。\n某县教育督导室\n",
     ["学前教育短板明显", "教师结构不合理"]),
    ("问题清单\n问题一：普通高中大班额比例偏高\n全区普通高中56人以上大班额占比为18.4%。\n问题二：职业教育实训条件薄弱\n"
     "生均实训设备值仅为2100元。\n请于6月底前整改。\n", ["普通高中大班额比例偏高", "职业教育实训条件薄弱"]),
])
def test_numbering_styles(text, titles):
    probs = extract_problems(text)
    assert [p["title"].rstrip("。；") for p in probs] == titles
    for p in probs:
        assert text[p["start"]:p["end"]] == p["text"]
        assert "以上问题" not in p["text"] and "督导室" not in p["text"] and "请于" not in p["text"]
    assert any(f["value"] for p in probs for f in p["figures"]) == bool(re.search(r"\d+(?:\.\d+)?[%元人]", text))


def _one(problem_text, report):
    letter = "二、存在的问题\n（一）" + problem_text + "\n（二）占位问题：心理健康教育薄弱。\n三、整改要求\n整改。"
    probs = extract_problems(letter)
    return follow(probs[:1], [("r.txt", report)])[0]


def test_paraphrase_matches_and_figure_meets_standard():
    r = _one("城区大班额问题尚未解决，仍有大班额23个。", "一、主要做法\n（一）新建学校2所，消除56人以上班级23个，全县班额全部控制在55人以内。")
    assert r["status"] == "resolved" and r["evidence"]
    r = _one("公办园在园幼儿占比为41.2%，低于50%的标准。", "一、主要做法\n全县公办园在园幼儿占比由41.2%提高到52.6%。")
    assert r["status"] == "resolved"
    fig = r["figures"][0]
    assert (fig["before"], fig["after"], fig["standard"], fig["verdict"]) == (41.2, 52.6, 50, "resolved")
    r = _one("公办园在园幼儿占比为41.2%，低于50%的标准。", "一、主要做法\n全县公办园在园幼儿占比提高到46.0%。")
    assert r["status"] == "in_progress"


def test_standard_met_outweighs_a_passing_admission_but_short_does_not():
    prob = "公办园在园幼儿占比为41.2%，低于50%的标准。"
    r = _one(prob, "一、主要做法\n全县公办园在园幼儿占比提高到52.6%。\n公办园建设任务仍然较重。\n")
    assert r["status"] == "resolved"
    # the rules' reading; the learned verifier sets the one-line "学位仍然不足" aside as about places,
    # not the share, and reads in_progress (a known cost, docs/rectify.md)
    with verify.using(None), decide.using(None):
        r = _one(prob, "一、主要做法\n全县公办园在园幼儿占比提高到46.0%。\n公办园学位仍然不足。\n")
    assert r["status"] == "persists"


def test_trap_sharing_a_word_is_not_an_answer():
    report = "一、主要做法\n（一）加强校园安全管理。开展食品安全专项检查，学校食堂全部实现明厨亮灶。\n"
    r = _one("校园安防设施不完善，部分学校未安装一键报警装置。", report)
    assert r["status"] == "not_addressed" and r["evidence"] == []
    r = _one("校园安防设施不完善，部分学校未安装一键报警装置。", report + "（二）全县学校一键报警装置安装率和视频监控联网率均达到100%。\n")
    assert r["status"] == "resolved"


def test_admitted_again_and_partly_done():
    r = _one("教师培训经费保障不到位。", "一、主要做法\n改善办学条件。\n二、存在问题\n一是教师培训经费保障仍不到位；二是城乡差距较大。\n")
    assert r["status"] == "persists"
    assert r["evidence"][0]["quote"].startswith("一是教师培训经费")
    r = _one("校舍安全隐患尚未消除，仍有D级危房5栋。", "一、整改情况\n已拆除D级危房3栋，剩余2栋计划于2024年6月底前完成加固。\n")
    assert r["status"] == "in_progress"


def test_a_topic_no_vocabulary_knows_matches_on_its_words():
    r = _one("民族团结进步教育开展不够深入。", "一、主要做法\n加强师德建设。\n二、存在问题\n民族团结进步教育开展仍不够深入，形式较为单一。\n")
    assert r["status"] == "persists"
    r = _one("民族团结进步教育开展不够深入。", "一、主要做法\n加强师德建设。\n二、存在问题\n部分学校教学质量不高。\n")
    assert r["status"] == "not_addressed"


def test_restating_the_problem_is_not_evidence():
    report = "（一）关于“督学配备不足”的问题\n反馈指出督学配备不足。\n"
    r = _one("督学配备不足。", report)
    assert r["status"] == "not_addressed"


def test_dev_pairs_spans_and_statuses():
    import yaml
    for d in sorted(p for p in DEV.iterdir() if p.is_dir()):
        gold = yaml.safe_load((d / "gold.yaml").read_text(encoding="utf-8"))
        res = rectify_files(d / "feedback.txt", [d / n for n in gold.get("reports", ["report.txt"])])
        fb = res["feedback"][0]["text"]
        texts = {r["file"]: r["text"] for r in res["reports"]}
        for p in res["problems"]:
            assert fb[p["start"]:p["end"]] == p["text"]
            for e in p["evidence"]:
                assert texts[e["file"]][e["start"]:e["end"]] == e["quote"]
            for f in p["figures"]:
                ev = f["evidence"]
                assert texts[ev["file"]][ev["start"]:ev["end"]] == ev["quote"]


def _cli(*args, cwd=ROOT):
    env = dict(os.environ, PYTHONPATH=str(ROOT), COLUMNS="160")
    return subprocess.run([sys.executable, "-m", "dudao.cli", "rectify", *args], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=300)


def test_cli_json_table_and_errors(tmp_path):
    d = DEV / "05"
    r = _cli("--feedback", str(d / "feedback.txt"), "--report", str(d / "report.txt"), "--report",
             str(d / "report2.txt"))
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert {p["status"] for p in data["problems"]} <= {"resolved", "in_progress", "persists", "not_addressed"}
    texts = {x["file"]: x["text"] for x in data["reports"]}
    for p in data["problems"]:
        assert data["feedback"][0]["text"][p["start"]:p["end"]] == p["text"]
        for e in p["evidence"]:
            assert texts[e["file"]][e["start"]:e["end"]] == e["quote"]
    assert any(e["file"] == "report2.txt" for p in data["problems"] for e in p["evidence"])
    t = _cli("--feedback", str(d / "feedback.txt"), "--report", str(d / "report.txt"), "--format", "table")
    assert t.returncode == 0 and "整改状态" in t.stdout and "已整改" in t.stdout
    # a missing report: the others are still used, the failure is named, exit code 1
    m = _cli("--feedback", str(d / "feedback.txt"), "--report", str(d / "report.txt"), "--report",
             str(tmp_path / "无此文件.txt"))
    assert m.returncode == 1 and "找不到文件" in m.stderr and json.loads(m.stdout)["problems"]
    # no problems list in the letter; missing arguments; no overwrite without --force
    (tmp_path / "空.txt").write_text("某县教育局关于召开会议的通知\n请各校按时参加。\n", encoding="utf-8")
    e = _cli("--feedback", str(tmp_path / "空.txt"), "--report", str(d / "report.txt"))
    assert e.returncode != 0 and "问题清单" in e.stderr
    assert "--feedback" in _cli().stderr
    out = tmp_path / "结果.json"
    out.write_text("旧内容", encoding="utf-8")
    o = _cli("--feedback", str(d / "feedback.txt"), "--report", str(d / "report.txt"), "--out", str(out))
    assert o.returncode == 2 and out.read_text(encoding="utf-8") == "旧内容"
    o = _cli("--feedback", str(d / "feedback.txt"), "--report", str(d / "report.txt"), "--out", str(out), "--force")
    assert o.returncode == 0 and json.loads(out.read_text(encoding="utf-8"))["problems"]


def test_history_lists_recurring_problems(tmp_path):
    y1 = LETTER
    y2 = LETTER.replace("2022年度", "2023年度").replace("（一）学前教育公办资源不足。全县公办园在园幼儿占比为41.2%，低于50%的国家标准。\n", "") \
        .replace("县城学校仍有大班额23个", "县城学校仍有大班额12个").replace("（二）", "（一）").replace("（三）", "（二）")
    report = "某县2023年度履行教育职责自评报告\n一、主要做法\n消除大班额11个，剩余12个将于2024年底前消除。\n"
    (tmp_path / "a.txt").write_text(y1, encoding="utf-8")
    (tmp_path / "b.txt").write_text(y2, encoding="utf-8")
    (tmp_path / "c.txt").write_text(report, encoding="utf-8")
    r = _cli("--history", str(tmp_path))
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    titles = [g["title"] for g in data["recurring"]]
    assert "城区大班额问题尚未解决" in titles and "校园安防设施不完善" in titles
    assert not any("学前" in t for t in titles)
    big = next(g for g in data["recurring"] if g["title"] == "城区大班额问题尚未解决")
    assert big["years"] == [2022, 2023] and big["history"][0]["next_status"] == "in_progress"
    t = _cli("--history", str(tmp_path), "--format", "table")
    assert t.returncode == 0 and "反复出现的问题" in t.stdout
    assert _cli("--history", str(tmp_path / "无")).returncode != 0


def test_sheet_rows_and_draft():
    res = rectify_files(DEV / "01" / "feedback.txt", [DEV / "01" / "report.txt"])
    rows = sheet_rows(res)
    assert len(rows) == len(res["problems"]) and all(set(COLUMNS) <= set(r) for r in rows)
    texts = {r["file"]: r["text"] for r in res["reports"]}
    for row, p in zip(rows, res["problems"]):
        if row["link"]:
            link = row["link"]
            assert texts[link["file"]][link["start"]:link["end"]] == p["evidence"][0]["quote"]
        else:
            assert p["status"] == "not_addressed"
    paras = draft_paragraphs(res)
    assert paras[0].startswith(f"上一轮反馈的 {len(rows)} 个问题中")
    remaining = [p["title"] for p in res["problems"] if p["status"] in ("persists", "not_addressed")]
    assert remaining and all(any(t in para for para in paras) for t in remaining)
    resolved = [p["title"] for p in res["problems"] if p["status"] == "resolved"]
    assert not any(t in para for t in resolved for para in paras[1:])
    assert draft_paragraphs({"problems": []}) == []


def test_previous_results_pairs_letters_with_reports_by_region(tmp_path):
    from dudao.rectify.files import _analyse
    from dudao.rectify.sheet import previous_results
    prev = tmp_path / "上轮反馈"
    prev.mkdir()
    (prev / "西平县反馈.txt").write_text(LETTER.replace("某县", "西平县"), encoding="utf-8")
    (prev / "上蔡县反馈.txt").write_text(LETTER.replace("某县", "上蔡县"), encoding="utf-8")
    rep = tmp_path / "西平县2023年自评报告.txt"
    rep.write_text("西平县人民政府2023年度履行教育职责自评报告\n一、主要做法\n"
                   "（一）全县公办园在园幼儿占比由41.2%提高到53.0%。\n（二）消除56人以上班级23个，全县大班额全部消除。\n",
                   encoding="utf-8")
    reports = _analyse(str(rep))
    out = previous_results(prev, [dict(r, id=f"r{k}") for k, r in enumerate(reports)])
    assert list(out["results"]) == ["r0"] and out["unmatched"] == ["上蔡县反馈.txt"]
    statuses = [p["status"] for p in out["results"]["r0"]["problems"]]
    assert statuses == ["resolved", "resolved", "not_addressed"]
