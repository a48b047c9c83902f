"""The review pack (dudao review): workbook, web pages, feedback drafts, summary.

All report text in this file is invented for the tests (regions are real county names, every
sentence and figure is made up)."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dudao.cli import app

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).parents[1].parent / "shared"

# Paragraphs that the second report copies from the first (with its own name put in).
SHARED_PARAS = [
    "（一）坚持把教育摆在优先发展的战略位置。{r}成立由政府主要负责同志任组长的教育工作领导小组，"
    "每季度召开一次专题会议研究解决校舍建设、教师招聘和经费保障中的具体困难，形成了部门协同、"
    "上下联动、责任到人的工作格局，全年累计协调解决各类教育难题二十七项。",
    "（二）持续改善城乡学校办学条件。{r}统筹实施薄弱学校改造提升工程，为农村学校新建塑胶运动场九块，"
    "更新课桌椅四千二百套，配齐音乐美术器材和实验仪器，所有教学点均接入千兆光纤网络，"
    "城乡学校在校舍、设备和信息化条件上的差距进一步缩小。",
]


def report_pingyao() -> str:
    r = "平遥县"
    return "\n".join([
        "平遥县2021年度政府履行教育职责自评报告",
        "平遥县人民政府",
        "按照晋中市人民政府教育督导委员会关于开展2021年度县级人民政府履行教育职责评价的通知要求，"
        "我县对照评价指标体系逐项开展自查自评，现将有关情况报告如下。",
        "一、基本情况",
        "全县共有各级各类学校112所，在校学生5.8万人，教职工4260人。经自查，我县自评得分为96.5分。",
        "二、主要做法及成效",
        SHARED_PARAS[0].format(r=r),
        SHARED_PARAS[1].format(r=r),
        "（三）扩大普惠性学前教育资源。全县普惠性幼儿园覆盖率达86.5%，公办园在园幼儿占比为46.2%，"
        "学前三年毛入园率达到93.1%。",
        "（四）推进义务教育优质均衡。九年义务教育巩固率达到98.6%，小学校际差异系数为0.41，初中校际差异系数为0.36。",
        "三、存在问题",
        "（一）教师结构性缺编问题依然存在。部分乡村学校音乐、体育、美术教师配备不足，教师年龄结构偏大。",
        "（二）城区学校大班额问题尚未完全消除。城区两所小学仍有班额超过五十五人的班级。",
        "四、下一步工作打算",
        "我县将继续加大教育投入，补齐乡村教师短板，稳妥化解城区大班额，推动全县教育高质量发展。",
    ])


def report_anji() -> str:
    r = "安吉县"
    return "\n".join([
        "安吉县2021年度政府履行教育职责自评报告",
        "安吉县人民政府",
        "根据湖州市人民政府教育督导委员会的工作部署，我县认真对照评价细则开展自评，现将自评情况报告如下。",
        "一、基本情况",
        "全县现有中小学和幼儿园98所，在校学生4.9万人。对照评价细则，我县自评得分为98分。",
        "二、主要做法及成效",
        SHARED_PARAS[0].format(r=r),
        SHARED_PARAS[1].format(r=r),
        "（三）加快发展普惠性学前教育。全县普惠性幼儿园覆盖率达92.4%，公办园在园幼儿占比为61.8%。",
        "（四）深化双减和课后服务。全县义务教育学校课后服务实现全覆盖，学生自愿参与率达到96.2%。",
        "三、存在问题",
        "（一）优质学位供给仍然偏紧。随着新居民子女持续增加，城区学校学位压力较大。",
        "（二）骨干教师引进和培养力度有待加强。",
        "四、下一步工作打算",
        "我县将加快新建和扩建一批中小学校，完善名师培养机制，持续提升人民群众对教育的满意度。",
    ])


MARKUP = "<script>alert(1)</script>"


def report_template() -> str:
    return "\n".join([
        f"xx县20xx年度政府履行教育职责自评报告{MARKUP}",
        "xx县人民政府",
        "根据xx市教育督导委员会的通知要求，我县对照评价指标体系开展了自查自评，现将有关情况报告如下。",
        "一、基本情况",
        f"全县共有各级各类学校x所，在校学生x万人。<b>自评得分xx分</b> & {MARKUP}",
        "二、主要做法及成效",
        "（一）落实教育优先发展战略。全县一般公共预算教育支出x亿元，比上年增长x%。",
        "（二）发展普惠性学前教育。全县普惠性幼儿园覆盖率达x%，公办园在园幼儿占比为x%。",
        "三、存在问题",
        f"（一）学前教育资源供给不足{MARKUP}。部分乡镇公办幼儿园学位紧张。",
        "（二）教师队伍结构不够合理。",
        "四、下一步工作打算",
        "我县将进一步加大投入，补齐学前教育短板，优化教师队伍结构。",
    ])


def write_fixture_reports(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pingyao_2021.txt").write_text(report_pingyao(), encoding="utf-8")
    (folder / "anji_2021.txt").write_text(report_anji(), encoding="utf-8")
    (folder / "template.txt").write_text(report_template(), encoding="utf-8")
    return folder


class _PageText(HTMLParser):
    """Collects the text of <pre id="doc"> and of every highlighted link inside it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.in_doc = False
        self.doc = []
        self.hl = None          # [start, end, text parts] of the open highlight
        self.highlights = []    # (start, end, text)
        self.scripts = 0
        self.external = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script" and a.get("type") != "application/json":   # data blocks do not run
            self.scripts += 1
            if a.get("src"):
                self.external.append(a["src"])
        if tag in ("link", "img", "iframe") and (a.get("href") or a.get("src") or "").startswith(("http", "//")):
            self.external.append(a.get("href") or a.get("src"))
        if tag == "pre" and a.get("id") == "doc":
            self.in_doc = True
        elif self.in_doc and tag == "a" and "hl" in (a.get("class") or "").split():
            self.hl = [int(a["data-s"]), int(a["data-e"]), []]

    def handle_endtag(self, tag):
        if tag == "pre" and self.in_doc:
            self.in_doc = False
        elif tag == "a" and self.hl is not None:
            self.highlights.append((self.hl[0], self.hl[1], "".join(self.hl[2])))
            self.hl = None

    def handle_data(self, data):
        if self.in_doc:
            self.doc.append(data)
            if self.hl is not None:
                self.hl[2].append(data)


def parse_page(path: Path) -> _PageText:
    p = _PageText()
    p.feed(path.read_text(encoding="utf-8"))
    p.close()
    return p


@pytest.fixture(scope="module")
def pack_dir(tmp_path_factory):
    src = write_fixture_reports(tmp_path_factory.mktemp("reports"))
    out = tmp_path_factory.mktemp("pack") / "out"
    result = CliRunner().invoke(app, ["review", str(src), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def _summary(out: Path) -> dict:
    return json.loads((out / "summary.json").read_text(encoding="utf-8"))


def _rid(summary: dict, file_stem: str, index: int = 1) -> str:
    """The id of a report, found by its input file (ids are content hashes, not file names)."""
    return next(r["id"] for r in summary["reports"]
                if Path(r["source"]).stem == file_stem and r["index"] == index)


def _text(out: Path, rep: dict) -> str:
    return json.loads((out / rep["analysis"]).read_text(encoding="utf-8"))["reports"][rep["index"] - 1]["text"]


def _analysis(out: Path) -> dict:
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in (out / "analysis").glob("*.json")}


def test_summary_and_layout(pack_dir):
    s = _summary(pack_dir)
    assert s["counts"]["inputs"] == 3 and s["counts"]["failed"] == 0
    assert s["counts"]["relevant_reports"] == 3
    assert {i["status"] for i in s["inputs"]} == {"ok"}
    for name in ("review.xlsx", "index.html", "summary.json"):
        assert (pack_dir / name).is_file()
    assert len(list((pack_dir / "reports").glob("*.html"))) == s["counts"]["reports"]
    assert len(list((pack_dir / "analysis").glob("*.json"))) == 3
    assert s["themes"] and all(t["count"] >= 1 for t in s["themes"])
    names = {t["name"] for t in s["themes"]}
    assert "教师编制与结构" in names and "大班额大校额" in names


def test_copy_detection_finds_the_copied_paragraphs(pack_dir):
    s = _summary(pack_dir)
    ping, anji = _rid(s, "pingyao_2021"), _rid(s, "anji_2021")
    pair = next(p for p in s["copy_pairs"] if {p["a"], p["b"]} == {ping, anji})
    assert pair["shared_chars"] >= 100
    assert s["copy_ratios"][ping] > 0.1
    assert s["copy_ratios"][anji] > 0.1


def test_workbook(pack_dir):
    from openpyxl import load_workbook
    wb = load_workbook(pack_dir / "review.xlsx")
    assert wb.sheetnames == ["总览", "指标对比", "发现", "问题清单", "自评得分", "雷同检测", "雷同段落"]
    ov = wb["总览"]
    headers = [c.value for c in ov[1]]
    assert headers[0] == "地区"                                   # region first, not the file path
    for h in ("文件", "篇序", "标题", "地区", "行政区划代码", "工作年度", "文档类型", "自评总分", "等级", "字数",
              "严重", "警告", "提示", "雷同比例"):
        assert h in headers
    col = {h: i for i, h in enumerate(headers)}
    rows = list(ov.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 3
    for r in rows:
        assert isinstance(r[col["篇序"]], int)
        assert isinstance(r[col["字数"]], int) and r[col["字数"]] > 100
        assert isinstance(r[col["雷同比例"]], (int, float))
    assert ov.cell(row=2, column=col["字数"] + 1).number_format == "#,##0"
    by_region = {r[col["地区"]]: r for r in rows}
    py = next(v for k, v in by_region.items() if k and "平遥县" in k)
    assert py[col["行政区划代码"]] == "140728"
    assert isinstance(py[col["工作年度"]], int) and py[col["工作年度"]] == 2021
    assert isinstance(py[col["自评总分"]], (int, float))

    ind = wb["指标对比"]
    std_row = [c.value for c in ind[1]]
    header = [c.value for c in ind[2]]
    assert ind.auto_filter.ref.startswith("A2:")                  # the filter sits on the header row
    assert ind.freeze_panes == "B3"
    k = next(i for i, h in enumerate(header) if h and h.startswith("公办园在园幼儿占比"))
    assert "50" in std_row[k]
    values = {ind.cell(row=r, column=1).value: ind.cell(row=r, column=k + 1) for r in range(3, ind.max_row + 1)}
    cell = next(v for key, v in values.items() if key and "平遥县" in key)
    assert cell.value == pytest.approx(46.2)
    assert cell.fill.fgColor.rgb.endswith("FFC7CE")        # below the national standard: red fill
    assert "#,##0" in cell.number_format and "%" in cell.number_format    # separators and the unit
    good = next(v for key, v in values.items() if key and "安吉县" in key)
    assert good.value == pytest.approx(61.8) and good.fill.fgColor.rgb.endswith("C6EFCE")

    for ws in wb.worksheets:                                    # print set-up on every sheet
        assert ws.page_setup.orientation == "landscape", ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1, ws.title
        assert ws.print_title_rows, ws.title
        assert ws.auto_filter.ref and ws.freeze_panes, ws.title
        head = 2 if ws.title == "指标对比" else 1
        assert ws.auto_filter.ref.startswith(f"A{head}:"), ws.title

    f = wb["发现"]
    assert [c.value for c in f[1]][:3] == ["地区", "文件", "篇序"]
    codes = {r[-1] for r in f.iter_rows(min_row=2, values_only=True)}
    assert "placeholder" in codes and "below_standard" in codes

    p = wb["问题清单"]
    prow = list(p.iter_rows(min_row=2, values_only=True))
    assert len(prow) >= 5 and all(r[5] for r in prow)          # every problem has a theme

    sc = wb["自评得分"]
    assert [c.value for c in sc[1]][5:8] == ["观测点", "扣/加分", "理由"]

    cp = wb["雷同检测"]                                          # one row per pair of reports
    assert [c.value for c in cp[1]][:3] == ["报告A", "报告B", "雷同字数"]
    assert len(list(cp.iter_rows(min_row=2, values_only=True))) == len(_summary(pack_dir)["copy_pairs"])
    ps = wb["雷同段落"]
    assert [c.value for c in ps[1]] == ["报告A", "报告B", "字数", "是否套话", "原文A", "原文B"]
    crow = list(ps.iter_rows(min_row=2, values_only=True))
    assert crow and all(isinstance(r[2], int) for r in crow)
    assert any("薄弱学校改造提升工程" in (r[4] or "") for r in crow)


def test_xml_illegal_characters_do_not_break_the_pack(tmp_path):
    from openpyxl import load_workbook
    src = tmp_path / "src"
    src.mkdir()
    (src / "pingyao.txt").write_text(report_pingyao().replace("基本情况", "基本\ufffe情况\uffff"), encoding="utf-8")
    (src / "anji.txt").write_text(report_anji(), encoding="utf-8")
    out = tmp_path / "out"
    r = CliRunner().invoke(app, ["review", str(src), "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert (out / "summary.json").is_file()
    wb = load_workbook(out / "review.xlsx")
    assert wb["总览"].max_row == 3
    assert not list(out.rglob("*.tmp"))


def test_excel_cell_values_are_sanitised():
    from dudao.review.excel import clean
    assert clean("a\ufffeb\uffffc\x01d\ud800e") == "abcde"
    assert clean(12.5) == 12.5


def test_html_is_escaped_and_highlights_match(pack_dir):
    s = _summary(pack_dir)
    analysis = _analysis(pack_dir)
    index = (pack_dir / "index.html").read_text(encoding="utf-8")
    assert MARKUP not in index
    assert "Content-Security-Policy" in index
    for rep in s["reports"]:
        page = pack_dir / rep["page"]
        raw = page.read_text(encoding="utf-8")
        text = _text(pack_dir, rep)
        parsed = parse_page(page)
        assert parsed.scripts == 1 and not parsed.external           # only our own inline script
        assert "".join(parsed.doc) == text                          # the whole text, nothing lost or added
        assert parsed.highlights
        for start, end, seg in parsed.highlights:
            assert seg == text[start:end]
        if MARKUP in text:
            assert MARKUP not in raw
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in raw
    tpl = next(r for r in s["reports"] if Path(r["source"]).stem == "template")
    parsed = parse_page(pack_dir / tpl["page"])
    raw = (pack_dir / tpl["page"]).read_text(encoding="utf-8")
    assert 'class="hl k-placeholder' in raw or "k-placeholder" in raw
    # the copied paragraphs are highlighted on both pages
    for rid in (_rid(s, "pingyao_2021"), _rid(s, "anji_2021")):
        rep = next(r for r in s["reports"] if r["id"] == rid)
        assert "k-copy" in (pack_dir / rep["page"]).read_text(encoding="utf-8")


def test_feedback_drafts(pack_dir):
    import docx
    s = _summary(pack_dir)
    drafts = sorted((pack_dir / "feedback").glob("*.docx"))
    assert len(drafts) == s["counts"]["relevant_reports"] == 3
    names = {d.name for d in drafts}
    assert "平遥县.docx" in names and "安吉县.docx" in names
    assert "template_第1篇.docx" in names
    d = docx.Document(str(pack_dir / "feedback" / "平遥县.docx"))
    paras = [p.text for p in d.paragraphs]
    assert paras[0] == "关于平遥县人民政府履行教育职责自评报告的反馈意见"
    assert "平遥县人民政府：" in paras
    for h in ("一、基本情况", "二、主要问题", "三、整改要求"):
        assert h in paras
    body = "\n".join(paras)
    assert "公办园在园幼儿占比" in body                     # the below-standard finding
    assert "教师结构性缺编问题依然存在" in body              # an admitted problem
    assert "【请填写】" in body                               # sign-off placeholder
    assert re.search(r"\d{4}年\d{1,2}月\d{1,2}日", body)
    # fonts are named through w:eastAsia
    xml = d.styles.element.xml   # named styles carry the fonts (not every run)
    assert 'w:eastAsia="方正小标宋简体"' in xml and 'w:eastAsia="仿宋_GB2312"' in xml
    t = docx.Document(str(pack_dir / "feedback" / "template_第1篇.docx"))
    assert "【请填写】人民政府" in t.paragraphs[0].text


def test_refuses_non_empty_out_without_force(pack_dir, tmp_path):
    src = write_fixture_reports(tmp_path / "src")
    before = sorted(p.name for p in pack_dir.iterdir())
    r = CliRunner().invoke(app, ["review", str(src), "--out", str(pack_dir)])
    assert r.exit_code != 0
    assert "--force" in r.output
    assert sorted(p.name for p in pack_dir.iterdir()) == before


def test_force_rewrites_and_reference(tmp_path):
    src = write_fixture_reports(tmp_path / "src")
    (src / "anji_2021.txt").unlink()
    ref = tmp_path / "ref"
    ref.mkdir()
    (ref / "anji_old.txt").write_text(report_anji(), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("用户自己的文件", encoding="utf-8")
    r = CliRunner().invoke(app, ["review", str(src), "--out", str(out), "--reference", str(ref), "--force"])
    assert r.exit_code == 0, r.output
    assert (out / "keep.txt").read_text(encoding="utf-8") == "用户自己的文件"
    s = _summary(out)
    assert s["counts"]["reference_inputs"] == 1
    assert any(p["b"].startswith("参照:") or p["a"].startswith("参照:") for p in s["copy_pairs"])
    assert s["copy_ratios"][_rid(s, "pingyao_2021")] > 0.1
    assert "参照" in r.output or "雷同" in r.output


def test_out_inside_the_input_folder_is_not_analysed(tmp_path):
    src = write_fixture_reports(tmp_path / "src")
    out = src / "评审包"
    for extra in ([], ["--force"]):
        r = CliRunner().invoke(app, ["review", str(src), "--out", str(out), *extra])
        assert r.exit_code == 0, r.output
        s = _summary(out)
        assert s["counts"]["inputs"] == 3 and s["counts"]["reports"] == 3


def test_library_function_and_safe_names(tmp_path):
    from dudao.review.api import build_review_pack as build_pack
    from dudao.review.outdir import safe_filename
    assert safe_filename('a/b\\c:d*e?f"g<h>i|j') == "a_b_c_d_e_f_g_h_i_j"
    assert safe_filename("CON") == "_CON"
    assert safe_filename("..") == "未命名"
    src = write_fixture_reports(tmp_path / "src")
    summary = build_pack([str(src)], tmp_path / "out")
    assert summary["counts"]["reports"] == 3
    assert summary["outputs"]["workbook"] == "review.xlsx"


@pytest.mark.skipif(not shutil.which("soffice"), reason="未安装 LibreOffice（soffice），跳过 docx 转 PDF 检查")
def test_libreoffice_converts_feedback(pack_dir, tmp_path):
    draft = pack_dir / "feedback" / "平遥县.docx"
    r = subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/lo",
                        "--convert-to", "pdf", "--outdir", str(tmp_path), str(draft)],
                       capture_output=True, text=True, timeout=180)
    pdf = tmp_path / "平遥县.pdf"
    assert pdf.is_file() and pdf.stat().st_size > 1000, r.stdout + r.stderr
    assert pdf.read_bytes()[:5] == b"%PDF-"


def test_seed_corpus_and_examples(tmp_path):
    seeds = SHARED / "corpus" / "seeds"
    if not seeds.is_dir():
        pytest.skip("../shared/corpus/seeds 不存在，跳过依赖真实样本的测试")
    from openpyxl import load_workbook
    inputs = [str(seeds)]
    examples = [p for p in sorted((ROOT / "examples").glob("*")) if p.is_file()
                and p.suffix.lower() in (".txt", ".docx", ".pdf", ".html", ".htm")]
    inputs += [str(p) for p in examples]
    out = tmp_path / "out"
    r = CliRunner().invoke(app, ["review", *inputs, "--out", str(out), "--jobs", "2"])
    assert r.exit_code == 0, r.output
    s = _summary(out)
    assert s["counts"]["failed"] == 0
    assert s["counts"]["relevant_reports"] >= 5
    wb = load_workbook(out / "review.xlsx")
    assert wb.sheetnames == ["总览", "指标对比", "发现", "问题清单", "自评得分", "雷同检测", "雷同段落"]
    analysis = _analysis(out)
    for rep in s["reports"]:
        text = _text(out, rep)
        parsed = parse_page(out / rep["page"])
        assert "".join(parsed.doc) == text
        for start, end, seg in parsed.highlights:
            assert seg == text[start:end]
    drafts = list((out / "feedback").glob("*.docx"))
    assert len(drafts) == s["counts"]["relevant_reports"]
    if examples:
        assert any(r["source"].endswith("07_template.txt") for r in s["reports"])
