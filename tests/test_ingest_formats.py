"""Readers for every input format, input discovery (folders, zip) and the writers' round trips."""
from __future__ import annotations

import difflib
import io
import random
import re
import zipfile

import pytest

import fixtures_build as fb
from dudao.errors import InputError
from dudao.ingest import iter_inputs, load_bytes, read_path, writers
from dudao.ingest.docx import read_docx
from dudao.ingest.html import read_html
from dudao.ingest.pdf import read_pdf
from dudao.ingest.sniff import sniff


def squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def lines_of(text: str) -> list[str]:
    return [squash(x) for x in text.split("\n") if x.strip()]


# ---------------------------------------------------------------- sniff

def test_sniff_by_content_not_extension(tmp_path):
    writers.to_html(fb.REPORT, tmp_path / "a.html", "某县2022年度履行教育职责自评报告")
    html = (tmp_path / "a.html").read_bytes()
    assert sniff(html, "report.pdf") == "html"
    assert sniff(fb.docx_features(), "report.doc") == "docx"
    assert sniff(fb.REPORT.encode("gbk"), "report.html") == "txt"
    assert sniff(b"%PDF-1.4\n...", "x.txt") == "pdf"
    assert sniff(fb.mhtml("<html><body><p>正文</p></body></html>"), "a.html") == "mhtml"
    assert sniff(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le"), "a.bin") == "doc"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("a.txt", "正文")
    assert sniff(buf.getvalue(), "a.docx") == "zip"
    assert sniff(random.Random(1).randbytes(5000), "x.pdf") == "unknown"


# ---------------------------------------------------------------- docx

def test_docx_order_tables_headings_and_hidden_parts():
    doc = read_docx(fb.docx_features(), "t.docx")
    assert doc.format == "docx"
    lines = doc.text.split("\n")
    assert lines[0] == "某县2022年度履行教育职责自评报告"
    # table rows stay between the paragraphs around them, cells joined by " | "
    i = lines.index("指标 | 2021年 | 2022年")
    assert lines[i + 1] == "入园率 | 96.1% | 98.5%"
    assert lines[i - 1].startswith("教育经费") and lines[i + 2] == "二、主要做法"
    assert lines[-1] == "内容控件中的段落。"
    text = doc.text
    assert "全县共有学校86所。第7页" in text          # field result kept
    assert "PAGEREF" not in text and "_Toc" not in text  # no field code, no bookmark name
    assert "教育经费新增到12.35亿元。" in text          # w:ins kept, fldSimple result kept
    assert "删掉的旧数字" not in text and "隐藏批注文字" not in text
    heads = {text[b.start:b.end]: b.style for b in doc.blocks if b.kind == "heading"}
    assert heads == {"某县2022年度履行教育职责自评报告": "Title", "一、基本情况": "Heading 1",
                     "二、主要做法": "Heading 1", "1.加强教师队伍建设": "标题 3"}
    # provenance: body element index (paragraphs and tables in reading order)
    assert doc.where(text.index("入园率"))["paragraph"] == 4
    assert doc.where(text.index("全县共有"))["paragraph"] == 2
    assert [b.kind for b in doc.blocks].count("table") == 2


def test_docx_auto_numbering_rendered():
    doc = read_docx(fb.docx_auto_numbering(), "n.docx")
    assert [x for x in doc.text.split("\n") if x] == [
        "一、基本情况", "二、主要做法", "（一）加强领导", "1.建立制度", "2.落实责任", "要点", "（二）加大投入",
        "四、存在问题"]  # the empty numbered paragraph still takes 三, as in Word


def test_docx_alt_chunk_html():
    doc = read_docx(fb.docx_alt_chunk(), "chunk.docx")
    assert doc.text.split("\n") == ["某县自评报告", "一、基本情况", "全县共有学校86所。", "结尾段落。"]
    assert doc.where(doc.text.index("全县"))["paragraph"] == 1


def test_rtf_goes_to_libreoffice(monkeypatch):
    import dudao.ingest.legacy as legacy
    monkeypatch.setattr(legacy, "find_soffice", lambda: None)
    assert sniff(b"{\\rtf1\\ansi report}", "a.doc") == "doc"
    with pytest.raises(InputError, match="LibreOffice"):
        load_bytes(b"{\\rtf1\\ansi report}", "a.doc")


def test_docx_truncated_is_input_error():
    data = fb.docx_features()
    with pytest.raises(InputError, match="DOCX 文件已损坏或不完整"):
        load_bytes(data[: len(data) // 2], "半截.docx")


def test_docx_writer_table_rows(tmp_path):
    writers.to_docx(fb.REPORT, tmp_path / "a.docx", table_rows=[["项目", "数值"], ["学校数", "86"]])
    doc = read_path(str(tmp_path / "a.docx"))[0]
    assert doc.text.split("\n")[-2:] == ["项目 | 数值", "学校数 | 86"]
    assert doc.text.startswith(fb.REPORT)


# ---------------------------------------------------------------- pdf

def test_pdf_reflow_page_numbers_headers_and_pages(tmp_path):
    para = fb.split_number_paragraph(20)
    towns = "东城西城南湖北山青石白沙红旗长岭桃源柳溪金华银杏"
    filler = [f"（{i + 1}）{towns[2 * i:2 * i + 2]}镇完成校舍改造{i + 3}处，新增学位{30 * i + 40}个，"
              "配齐功能教室和实验设备，师生满意度持续提升。" for i in range(len(towns) // 2)]
    body = "\n".join([fb.REPORT.replace("全年教育经费总投入12.35亿元，", ""), para] + filler
                     + [x.replace("镇", "乡") for x in filler])
    writers.to_pdf(body, tmp_path / "a.pdf", chars_per_line=20, header="某县人民政府文件")
    data = (tmp_path / "a.pdf").read_bytes()

    import pypdfium2 as pdfium
    pdf = pdfium.PdfDocument(data)
    raw_pages = [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    assert len(raw_pages) >= 3
    assert any(re.search(r"1(\r\n)?2(\r\n)?\.(\r\n)?3(\r\n)?5", t) and "12.35" not in t
               for t in raw_pages)  # the fixture really splits the number
    assert "- 2 -" in raw_pages[1] and raw_pages[1].startswith("某县人民政府文件")

    doc = read_pdf(data, "a.pdf")
    assert doc.format == "pdf"
    assert "12.35亿元" in doc.text
    assert "某县人民政府文件" not in doc.text and not re.search(r"-\s*\d+\s*-", doc.text)
    assert squash(doc.text) == squash(body)
    # paragraphs come back as lines: wrapped lines joined, real breaks kept
    assert lines_of(doc.text) == lines_of(body)
    # provenance: the first words of page 2 map to page 2
    first2 = next(x for x in raw_pages[1].split("\r\n")[1:] if x.strip())[:8]
    assert doc.where(doc.text.index(first2, doc.blocks[1].start))["page"] == 2
    assert doc.where(0)["page"] == 1
    assert [b.page for b in doc.blocks] == list(range(1, len(raw_pages) + 1))
    assert any(n["code"] == "pdf_page_furniture" for n in doc.notes)


def test_pdf_without_indentation_uses_punctuation(tmp_path):
    writers.to_pdf(fb.REPORT, tmp_path / "a.pdf", chars_per_line=16, indent=False, header=None)
    doc = read_path(str(tmp_path / "a.pdf"))[0]
    assert squash(doc.text) == squash(fb.REPORT)
    assert "一、基本情况" in doc.text.split("\n")  # a heading marker starts a new line


def test_pdf_page_number_styles():
    from dudao.ingest.pdf import _is_page_no
    for s in ["- 3 -", "—3—", "第 3 页", "第3页 共12页", "3/12", "3", "Page 3 of 9"]:
        assert _is_page_no(s, 12), s
    for s in ["2021", "3.5亿元", "一、基本情况", "第3节"]:
        assert not _is_page_no(s, 12), s


def test_scanned_pdf_is_input_error():
    with pytest.raises(InputError, match="扫描件无文本层，需先 OCR 识别后再分析"):
        load_bytes(fb.scanned_pdf(), "扫描件.pdf")


def test_pdf_with_one_scanned_page_gets_a_note(tmp_path):
    import pypdfium2 as pdfium
    writers.to_pdf(fb.REPORT, tmp_path / "a.pdf", header=None)  # one page: no header can be told apart
    pdf = pdfium.PdfDocument((tmp_path / "a.pdf").read_bytes())
    pdf.import_pages(pdfium.PdfDocument(fb.scanned_pdf()))
    buf = io.BytesIO()
    pdf.save(buf)
    doc = read_pdf(buf.getvalue(), "mixed.pdf")
    assert squash(doc.text) == squash(fb.REPORT)
    assert {"code": "pdf_pages_without_text",
            "message": "第 2 页没有文本层（可能是扫描页或空白页），其内容未能读取"} in doc.notes


def test_random_bytes_named_pdf(tmp_path):
    p = tmp_path / "x.pdf"
    p.write_bytes(random.Random(7).randbytes(20000))
    item = next(iter_inputs([str(p)]))
    with pytest.raises(InputError, match="PDF"):
        item.load()


def test_corrupt_pdf_is_input_error(tmp_path):
    writers.to_pdf(fb.REPORT, tmp_path / "a.pdf")
    data = (tmp_path / "a.pdf").read_bytes()
    with pytest.raises(InputError):
        load_bytes(data[:200], "a.pdf")


def test_encrypted_pdf(tmp_path):
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    locked, owner_only = tmp_path / "locked.pdf", tmp_path / "owner.pdf"
    for path, enc in [(locked, "secret"), (owner_only, pdfencrypt.StandardEncryption("", ownerPassword="o", canPrint=0))]:
        c = canvas.Canvas(str(path), encrypt=enc)
        c.drawString(72, 800, "education report text")
        c.showPage()
        c.save()
    with pytest.raises(InputError, match="^PDF 文件已加密（需要打开密码）"):
        read_path(str(locked))
    assert read_path(str(owner_only))[0].text == "education report text"  # permissions only: readable


# ---------------------------------------------------------------- html

def test_html_chrome_removed_and_metadata(tmp_path):
    meta = {"index_no": "11330000/2022-01234", "publisher": "某县人民政府办公室",
            "date": "2022年03月05日", "doc_no": "某政发〔2022〕3号", "title": "某县2022年度履行教育职责自评报告"}
    writers.to_html(fb.REPORT, tmp_path / "a.html", "某县2022年度履行教育职责自评报告", meta=meta)
    doc = read_path(str(tmp_path / "a.html"))[0]
    assert doc.format == "html" and doc.encoding == "utf-8"
    assert lines_of(doc.text) == lines_of(fb.REPORT)
    assert doc.meta == {"index_no": "11330000/2022-01234", "publisher": "某县人民政府办公室",
                        "date": "2022-03-05", "doc_no": "某政发〔2022〕3号", "title": "某县2022年度履行教育职责自评报告"}
    for chrome in ["当前位置", "首页", "标签", "上一篇", "下一篇", "相关文章", "版权所有", "ICP备", "分享到", "打印本页", "索引号"]:
        assert chrome not in doc.text, chrome
    assert {"code": "web_boilerplate", "message": "已去除网页导航、标签等非正文内容"} in doc.notes
    assert doc.blocks[0].kind == "heading" and doc.blocks[0].style == "h1"


def test_html_without_chrome_has_no_note(tmp_path):
    writers.to_html(fb.REPORT, tmp_path / "a.html", "某县2022年度履行教育职责自评报告", chrome=False)
    doc = read_path(str(tmp_path / "a.html"))[0]
    assert lines_of(doc.text) == lines_of(fb.REPORT) and doc.notes == [] and doc.meta == {}


def test_html_declared_gbk_and_lying_declaration():
    page = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body>' \
           '<div id="zoom"><p>一、基本情况</p><p>全县共有学校86所，在校学生4.2万人。</p></div></body></html>'
    doc = read_html(page.encode("gbk"), "a.htm")
    assert doc.encoding == "gb18030" and "全县共有学校86所" in doc.text
    lying = page.replace("gb2312", "utf-8")
    doc2 = read_html(lying.encode("gbk"), "b.htm")  # says utf-8, is GBK
    assert "全县共有学校86所" in doc2.text


def test_html_metadata_in_list_layout():
    page = """<html><body><div class="xxgk-info"><ul>
<li><span>索 引 号：</span>001/2021-00807</li><li><span>发布机构：</span>某市教育局</li>
<li><span>成文日期：</span>2021/5/8</li><li><span>发文字号：</span>某教督〔2021〕2号</li></ul></div>
<div class="con"><p>某市2020年度履行教育职责自评报告</p><p>一、基本情况</p></div></body></html>"""
    doc = read_html(page.encode("utf-8"), "a.html")
    assert doc.meta == {"index_no": "001/2021-00807", "publisher": "某市教育局", "date": "2021-05-08",
                        "doc_no": "某教督〔2021〕2号"}
    assert doc.text == "某市2020年度履行教育职责自评报告\n一、基本情况"


def test_html_content_table_kept():
    page = """<html><body><div class="TRS_Editor"><p>主要指标如下：</p>
<table><tr><td>名称</td><td>数值</td></tr><tr><td>入园率</td><td>98.5%</td></tr></table>
<p>以上指标均达到要求。</p></div></body></html>"""
    doc = read_html(page.encode("utf-8"), "a.html")
    assert doc.text.split("\n") == ["主要指标如下：", "名称 | 数值", "入园率 | 98.5%", "以上指标均达到要求。"]
    assert doc.meta == {}


def test_html_table_layout_site():
    """An old site laid out with nested tables: layout cells are blocks, <br> breaks lines."""
    page = """<html><head><meta charset="gbk"></head><body>
<table><tr><td><a href="/">网站首页</a> | <a href="/a">机构概况</a> | <a href="/b">政务公开</a></td></tr></table>
<table><tr><td><table><tr><td><a href="/1">通知公告</a></td></tr><tr><td><a href="/2">工作动态</a></td></tr></table></td>
<td><table><tr><td>您现在的位置：<a href="/">首页</a> &gt;&gt; 教育督导</td></tr></table>
<table><tr><td align="center"><b>某县2020年度履行教育职责自评报告</b></td></tr>
<tr><td align="center">发布时间：2021-05-10 来源：县教育局 浏览次数：123</td></tr>
<tr><td>　　根据通知要求，我县认真开展自查。<br>　　一、基本情况<br>
　　全县共有中小学36所，详见<a href="/x.doc">附件1</a>和<a href="/y.doc">附件2</a>，其中乡村学校20所，学校布局持续优化。</td></tr>
</table></td></tr></table>
<table><tr><td>主办单位：某县人民政府办公室 地址：某县人民路1号</td></tr></table></body></html>"""
    doc = read_html(page.encode("gbk"), "old.htm")
    assert doc.text.split("\n") == [
        "某县2020年度履行教育职责自评报告", "根据通知要求，我县认真开展自查。", "一、基本情况",
        "全县共有中小学36所，详见附件1和附件2，其中乡村学校20所，学校布局持续优化。"]


def test_html5_site_header_and_head_meta():
    page = """<!DOCTYPE html><html><head><meta charset="utf-8">
<meta name="ArticleTitle" content="某区2021年度政府履行教育职责自评报告"><meta name="PubDate" content="2022-03-01 09:30">
</head><body><header class="site-header"><div class="logo">某区人民政府</div><nav><a>首页</a><a>新闻</a></nav></header>
<main class="container position-relative"><article><div class="article-head"><h1>某区2021年度政府履行教育职责自评报告</h1>
<div class="info">发布时间：2022-03-01 来源：某区教育局 字号：<a>大</a> <a>中</a> <a>小</a></div></div>
<div class="article-body"><p>2021年，我区坚持教育优先发展。</p><p>全区新建学校2所。</p></div></article></main>
<footer><p>某区人民政府 版权所有</p></footer></body></html>"""
    doc = read_html(page.encode("utf-8"), "m.html")
    assert doc.text == "某区2021年度政府履行教育职责自评报告\n2021年，我区坚持教育优先发展。\n全区新建学校2所。"
    assert doc.meta == {"title": "某区2021年度政府履行教育职责自评报告", "date": "2022-03-01"}


def test_fanwen_page_keeps_all_articles():
    doc = load_bytes(fb.fanwen_page(), "fanwen.html")
    lines = doc.text.split("\n")
    assert "第一篇：甲县履行教育职责自评报告" in lines and "第二篇 乙区履行教育职责自评报告" in lines
    for x in fb.ARTICLE_A + fb.ARTICLE_B:
        assert x in lines
    assert lines.index("第一篇：甲县履行教育职责自评报告") < lines.index(fb.ARTICLE_A[0]) \
        < lines.index("第二篇 乙区履行教育职责自评报告") < lines.index(fb.ARTICLE_B[0])
    for chrome in ["热门标签", "当前位置", "阅读数", "标签：", "相关文章", "ICP备", "请记住我们的网址"]:
        assert chrome not in doc.text, chrome
    assert doc.notes and doc.notes[0]["code"] == "web_boilerplate"


@pytest.mark.parametrize("transfer", ["quoted-printable", "base64"])
def test_mhtml(tmp_path, transfer):
    page = "<html><head><title>t</title></head><body><div class='nav'><a>首页</a><a>政务公开</a></div>" + \
        "".join(f"<p>{x}</p>" for x in fb.REPORT.split("\n")) + "</body></html>"
    p = tmp_path / "saved.mht"
    p.write_bytes(fb.mhtml(page, "gb2312", transfer))
    doc = read_path(str(p))[0]
    assert doc.format == "html"
    assert lines_of(doc.text) == lines_of(fb.REPORT)


def test_html_named_pdf_is_read_as_html(tmp_path):
    writers.to_html(fb.REPORT, tmp_path / "report.pdf", "某县2022年度履行教育职责自评报告")
    doc = read_path(str(tmp_path / "report.pdf"))[0]
    assert doc.format == "html" and lines_of(doc.text) == lines_of(fb.REPORT)


# ---------------------------------------------------------------- legacy .doc

def test_legacy_doc_without_libreoffice(tmp_path, monkeypatch):
    import dudao.ingest.legacy as legacy
    monkeypatch.setattr(legacy, "find_soffice", lambda: None)
    p = tmp_path / "旧版.doc"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500 + "WordDocument".encode("utf-16-le") + b"\x00" * 500)
    with pytest.raises(InputError) as e:
        read_path(str(p))
    assert str(e.value) == ("无法读取 .doc/.wps 旧版 Word 文件：本机未安装 LibreOffice"
                            "（Debian/Ubuntu: apt-get install libreoffice-writer），或先另存为 .docx")


def test_password_protected_docx():
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 200 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 200
    with pytest.raises(InputError, match="已加密"):
        load_bytes(data, "加密.docx")


def test_legacy_doc_format_stays_doc(tmp_path, monkeypatch):
    """With a (fake) LibreOffice the converted .docx is read and reported as format doc."""
    import dudao.ingest.legacy as legacy
    docx_bytes = fb.docx_features()

    class FakeProc:
        pid = 0

        def __init__(self, cmd, **kw):
            outdir = cmd[cmd.index("--outdir") + 1]
            with open(f"{outdir}/input.docx", "wb") as f:
                f.write(docx_bytes)

        def wait(self, timeout=None):
            return 0

    monkeypatch.setattr(legacy, "find_soffice", lambda: "/fake/soffice")
    monkeypatch.setattr(legacy.subprocess, "Popen", FakeProc)
    p = tmp_path / "a.wps"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    doc = read_path(str(p))[0]
    assert doc.format == "doc" and doc.text.startswith("某县2022年度履行教育职责自评报告")


# ---------------------------------------------------------------- inputs: files, folders, zip

def test_text_encodings(tmp_path):
    writers.to_gbk(fb.REPORT, tmp_path / "g.txt")
    writers.to_utf16(fb.REPORT, tmp_path / "u.txt")
    (tmp_path / "crlf.txt").write_bytes(fb.REPORT.replace("\n", "\r\n").encode("utf-8"))
    docs = [read_path(str(tmp_path / n))[0] for n in ("g.txt", "u.txt", "crlf.txt")]
    assert [d.encoding for d in docs] == ["gb18030", "utf-16", "utf-8"]
    assert all(d.text == fb.REPORT and d.format == "txt" for d in docs)


def test_empty_and_missing(tmp_path):
    (tmp_path / "空.txt").write_bytes(b"")
    with pytest.raises(InputError, match="^文件为空$"):
        read_path(str(tmp_path / "空.txt"))
    item = next(iter_inputs([str(tmp_path / "没有.docx")]))
    assert item.name == "没有.docx"
    with pytest.raises(InputError, match="找不到文件："):
        item.load()


def test_oversized_file_rejected_without_reading(tmp_path, monkeypatch):
    p = tmp_path / "big.txt"
    with open(p, "wb") as f:
        f.truncate(200 * 1024 * 1024)  # sparse: no 200 MB written or read
    import builtins
    real_open = builtins.open

    def guarded(file, mode="r", *a, **kw):
        assert str(file) != str(p), "the oversized file must not be opened"
        return real_open(file, mode, *a, **kw)

    monkeypatch.setattr(builtins, "open", guarded)
    item = next(iter_inputs([str(p)]))
    with pytest.raises(InputError) as e:
        item.load()
    assert str(e.value) == "文件过大（200 MB），超过 100 MB 上限"


def test_folder_walk(tmp_path):
    writers.to_docx(fb.REPORT, tmp_path / "b.docx")
    (tmp_path / "a.txt").write_text(fb.REPORT, encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("x", encoding="utf-8")
    (tmp_path / "Thumbs.db").write_bytes(b"\x00" * 10)
    (tmp_path / ".DS_Store").write_bytes(b"\x00" * 10)
    (tmp_path / "~$b.docx").write_bytes(b"\x00" * 10)
    (tmp_path / "data.xyz").write_bytes(b"abc")
    (tmp_path / "sub").mkdir()
    writers.to_html(fb.REPORT, tmp_path / "sub" / "c.html", "标题", chrome=False)
    items = [i for i in iter_inputs([str(tmp_path)]) if not i.junk]   # junk is listed as skipped
    assert [i.name for i in items] == ["a.txt", "b.docx", "data.xyz", "c.html"]
    with pytest.raises(InputError, match="^不支持的文件类型：.xyz（已跳过）$"):
        items[2].load()
    assert [i.load().format for i in items if i.name != "data.xyz"] == ["txt", "docx", "html"]


def test_zip_with_gbk_names_and_nested(tmp_path):
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as zf:
        zf.writestr("内层报告.txt", fb.REPORT.encode("utf-8"))
    docx_bytes = fb.docx_features()
    raw = fb.gbk_zip({"某县/某县自评报告.txt": fb.REPORT.encode("gbk"), "某县/附件.docx": docx_bytes,
                      "__MACOSX/._x": b"junk", "表格.xlsx": b"PK", "嵌套.zip": inner.getvalue()})
    p = tmp_path / "报告.zip"
    p.write_bytes(raw)
    with zipfile.ZipFile(p) as zf:  # the fixture really has GBK names without the UTF-8 flag
        assert all(not (i.flag_bits & 0x800) for i in zf.infolist())
    items = [i for i in iter_inputs([str(p)]) if not i.junk]   # junk is listed as skipped
    assert [i.source for i in items] == [
        f"{p}!嵌套.zip!内层报告.txt", f"{p}!某县/某县自评报告.txt", f"{p}!某县/附件.docx", f"{p}!表格.xlsx"]
    assert [i.name for i in items] == ["内层报告.txt", "某县自评报告.txt", "附件.docx", "表格.xlsx"]
    assert items[0].load().text == fb.REPORT
    assert items[2].load().format == "docx"
    d = items[1].load()
    assert d.text == fb.REPORT and d.source.endswith("!某县/某县自评报告.txt")
    with pytest.raises(InputError, match="不支持的文件类型：.xlsx"):
        items[3].load()


def test_zip_nested_too_deep(tmp_path):
    def z(name, data):
        b = io.BytesIO()
        with zipfile.ZipFile(b, "w") as zf:
            zf.writestr(name, data)
        return b.getvalue()

    p = tmp_path / "a.zip"
    p.write_bytes(z("b.zip", z("c.zip", z("d.txt", "正文".encode()))))
    items = list(iter_inputs([str(p)]))
    assert len(items) == 1 and "嵌套" in str(items[0].error)


def test_zip_bomb_rejected(tmp_path):
    p = tmp_path / "bomb.zip"
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a.txt", b"0" * (5 * 1024 * 1024))  # about 1000:1
    items = list(iter_inputs([str(p)]))
    assert len(items) == 1
    with pytest.raises(InputError, match="^压缩包疑似“解压炸弹”，已拒绝：.*压缩比"):
        items[0].load()
    p2 = tmp_path / "many.zip"
    with zipfile.ZipFile(p2, "w") as zf:
        for k in range(2001):
            zf.writestr(f"{k}.txt", "x")
    with pytest.raises(InputError, match="解压炸弹.*2001"):
        next(iter_inputs([str(p2)])).load()


def test_empty_zip(tmp_path):
    p = tmp_path / "空.zip"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("__MACOSX/._a.txt", "x")
    items = [i for i in iter_inputs([str(p)]) if not i.junk]   # junk is listed as skipped
    assert len(items) == 1 and str(items[0].error) == "压缩包中没有可读取的文件"


def test_docx_saved_as_zip(tmp_path):
    p = tmp_path / "a.zip"
    p.write_bytes(fb.docx_features())
    items = list(iter_inputs([str(p)]))
    assert len(items) == 1 and items[0].load().format == "docx"


# ---------------------------------------------------------------- seed round trips

FORMATS = ["docx", "pdf", "html", "gbk", "utf16"]


def _write(kind, text, path):
    title = next(x.strip() for x in text.split("\n") if x.strip())
    {"docx": lambda: writers.to_docx(text, path), "pdf": lambda: writers.to_pdf(text, path),
     "html": lambda: writers.to_html(text, path, title, meta={"index_no": "000/2021-1", "publisher": "某县"}),
     "gbk": lambda: writers.to_gbk(text, path), "utf16": lambda: writers.to_utf16(text, path)}[kind]()


@pytest.mark.parametrize("kind", FORMATS)
def test_seed_round_trip(seed_texts, tmp_path, kind):
    """to_X(T) read back gives T (whitespace-squashed; docx/gbk/utf16 exactly).

    Seed 004 holds U+FFFD: GBK cannot encode it, so to_gbk writes its GB18030 4-byte form, and it
    survives every format. Seed 003 is a 范文 web-page dump: its own site chrome lines (hot tags,
    breadcrumb, the 分类/发表于/阅读数 line, a trailing 标签 line) are removed by the HTML reader,
    so there only those short lines may be missing and every 第N篇 separator must survive."""
    ext = {"gbk": "txt", "utf16": "txt"}.get(kind, kind)
    for name, text in seed_texts.items():
        path = tmp_path / f"{name}.{ext}"
        _write(kind, text, path)
        doc = read_path(str(path))[0]
        if kind in ("gbk", "utf16", "docx"):
            assert doc.text == text, name
            continue
        if squash(doc.text) == squash(text):
            continue
        assert kind == "html" and name.startswith("003"), name
        want, got = lines_of(text), lines_of(doc.text)
        ops = [op for op in difflib.SequenceMatcher(None, want, got, autojunk=False).get_opcodes() if op[0] != "equal"]
        assert all(op[0] == "delete" for op in ops), ops
        dropped = [x for op in ops for x in want[op[1]:op[2]]]
        assert len(dropped) <= 5 and all(len(x) <= 80 for x in dropped), dropped
        sep = re.compile(r"^第[一二三四五六七八九十]+篇")
        assert sum(map(bool, map(sep.match, want))) == sum(map(bool, map(sep.match, got))) >= 2


def test_items_pickle_for_worker_processes(tmp_path):
    import pickle
    import zipfile as zf
    (tmp_path / "a.txt").write_text("某县2021年度履行教育职责自评报告\n一、主要做法", encoding="utf-8")
    with zf.ZipFile(tmp_path / "b.zip", "w") as z:
        z.writestr("内/c.txt", "某区2022年度自评报告\n一、基本情况".encode("utf-8"))
    from dudao.ingest import iter_inputs
    items = list(iter_inputs([str(tmp_path)]))
    assert len(items) == 2
    for it in items:
        clone = pickle.loads(pickle.dumps(it))
        assert clone.load().text == it.load().text
