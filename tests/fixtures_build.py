"""Builders for ingest test fixtures. All text here is invented for the tests."""
from __future__ import annotations

import io
import re
import zipfile

REPORT = """某县2022年度履行教育职责自评报告
某县人民政府
根据上级教育督导委员会的通知要求，我县对照评价指标逐项开展自查，现将有关情况报告如下：
一、基本情况
全县共有各级各类学校86所，在校学生4.2万人，专任教师3516人。
二、主要做法
（一）加强党对教育工作的全面领导。县委常委会专题研究教育工作4次，县政府常务会议研究教育事项7次。
（二）持续加大教育投入。全年教育经费总投入12.35亿元，比上年增长6.8%，一般公共预算教育支出逐年只增不减。
三、存在问题
优质教育资源总量不足，城区学校大班额问题仍未彻底解决。
四、下一步工作打算
我县将继续深化教育综合改革，推动义务教育优质均衡发展。"""

ARTICLE_A = [
    "按照市教育督导委员会通知要求，甲县对照指标体系开展自查自评，现将有关情况报告如下。",
    "一、主要做法及成效",
    "（一）落实教育优先发展。县财政安排教育专项资金2.3亿元，新建学校3所。",
    "二、存在问题",
    "农村学校教师结构性缺编问题依然存在。",
]
ARTICLE_B = [
    "乙区坚持教育优先发展战略，全面落实立德树人根本任务。",
    "一、工作举措",
    "全区新增公办幼儿园学位1200个，普惠性幼儿园覆盖率达到91.5%。",
    "二、努力方向",
    "下一步将着力补齐学前教育短板。",
]


def docx_features() -> bytes:
    """A .docx with a title, headings (English and Chinese style names), a bookmark, field codes,
    tracked changes, hidden text, a content control and a table between two paragraphs."""
    import docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    d = docx.Document()
    d.add_paragraph("某县2022年度履行教育职责自评报告", style="Title")
    d.add_paragraph("一、基本情况", style="Heading 1")
    p = d.add_paragraph()
    p._p.append(parse_xml(f'<w:bookmarkStart {nsdecls("w")} w:id="0" w:name="_Toc9876543"/>'))
    p.add_run("全县共有学校86所。")
    p._p.append(parse_xml(f'<w:bookmarkEnd {nsdecls("w")} w:id="0"/>'))
    # complex field: instruction must vanish, the displayed result stays
    for xml in (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>',
        '<w:r><w:instrText xml:space="preserve"> PAGEREF _Toc9876543 \\h </w:instrText></w:r>',
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>',
        '<w:r><w:t>第7页</w:t></w:r>',
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
    ):
        p._p.append(parse_xml(xml.replace("<w:r>", f'<w:r {nsdecls("w")}>', 1)))
    p2 = d.add_paragraph("教育经费")
    p2._p.append(parse_xml(f'<w:del {nsdecls("w")} w:id="1" w:author="a"><w:r><w:delText>删掉的旧数字9.9亿元</w:delText></w:r></w:del>'))
    p2._p.append(parse_xml(f'<w:ins {nsdecls("w")} w:id="2" w:author="a"><w:r><w:t>新增到12.35亿元</w:t></w:r></w:ins>'))
    p2._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:rPr><w:vanish/></w:rPr><w:t>隐藏批注文字</w:t></w:r>'))
    p2._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr=" DATE \\@ yyyy "><w:r><w:t>。</w:t></w:r></w:fldSimple>'))
    table = d.add_table(rows=2, cols=3)
    for r, row in enumerate([["指标", "2021年", "2022年"], ["入园率", "96.1%", "98.5%"]]):
        for c, v in enumerate(row):
            table.cell(r, c).text = v
    d.add_paragraph("二、主要做法", style="Heading 1")
    cn = d.styles.add_style("标题 3", WD_STYLE_TYPE.PARAGRAPH)
    d.add_paragraph("1.加强教师队伍建设", style=cn)
    d.add_paragraph("全年招聘新教师120名。")
    body = d.element.body
    sdt = parse_xml(
        f'<w:sdt {nsdecls("w")}><w:sdtPr><w:alias w:val="控件"/></w:sdtPr><w:sdtContent>'
        '<w:p><w:r><w:t>内容控件中的段落。</w:t></w:r></w:p></w:sdtContent></w:sdt>'
    )
    body.insert(list(body).index(body[-1]), sdt)  # before sectPr
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def docx_auto_numbering() -> bytes:
    """Headings numbered by Word's list numbering (一、 / （一） / 1.), not typed in the text."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    d = docx.Document()
    numbering = d.part.numbering_part.element
    numbering.insert(0, parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/><w:suff w:val="nothing"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/><w:suff w:val="nothing"/></w:lvl>'
        '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/><w:suff w:val="nothing"/></w:lvl>'
        '<w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val=""/></w:lvl>'
        '</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    for text, level in [("基本情况", 0), ("主要做法", 0), ("加强领导", 1), ("建立制度", 2), ("落实责任", 2),
                        ("要点", 3), ("加大投入", 1), ("", 0), ("存在问题", 0)]:
        p = d.add_paragraph(text)
        p._p.get_or_add_pPr().append(parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'))
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def docx_alt_chunk() -> bytes:
    """A .docx whose middle part is an imported HTML chunk (w:altChunk), as web exporters write."""
    import docx
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    d = docx.Document()
    d.add_paragraph("某县自评报告")
    d.add_paragraph("结尾段落。")
    html = "<html><body><p>一、基本情况</p><p>全县共有学校86所。</p></body></html>".encode("utf-8")
    part = Part(PackURI("/word/afchunk1.htm"), "text/html", html, d.part.package)
    rid = d.part.relate_to(part, "http://schemas.openxmlformats.org/officeDocument/2006/relationships/aFChunk")
    body = d.element.body
    body.insert(1, parse_xml(f'<w:altChunk {nsdecls("w", "r")} r:id="{rid}"/>'))
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def scanned_pdf() -> bytes:
    """One page holding only a gray raster image, as a scanner produces."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    pdf = pdfium.PdfDocument.new()
    page = pdf.new_page(595, 842)
    img = pdfium.PdfImage.new(pdf)
    bitmap = pdfium.PdfBitmap.new_native(200, 100, pdfium_c.FPDFBitmap_BGR)
    bitmap.fill_rect((200, 200, 200, 255), 0, 0, 200, 100)
    img.set_bitmap(bitmap)
    img.set_matrix(pdfium.PdfMatrix().scale(400, 200).translate(80, 500))
    page.insert_obj(img)
    page.gen_content()
    buf = io.BytesIO()
    pdf.save(buf)
    return buf.getvalue()


def split_number_paragraph(chars_per_line: int = 20) -> str:
    """A paragraph whose "12.35亿元" is cut by the writer's line wrap inside the number."""
    from dudao.ingest.writers import _font, _wrap

    font, size = _font(), 12
    width = chars_per_line * size
    for pad in range(1, 60):
        para = "全县" + "各" * pad + "教育经费总投入达到12.35亿元，比上年有较大增长，保障有力"
        lines = _wrap(para, width - 2 * size, width, font, size)
        for a, b in zip(lines, lines[1:]):
            if re.search(r"1$|12$|12\.$|12\.3$", a) and re.match(r"2\.35|\.35|35|5亿", b):
                return para
    raise AssertionError("could not place the line break inside the number")


def fanwen_page() -> bytes:
    """A 范文 site page carrying two articles, with the site's usual chrome."""
    arts = []
    for n, (head, lines) in enumerate([("第一篇：甲县履行教育职责自评报告", ARTICLE_A),
                                       ("第二篇 乙区履行教育职责自评报告", ARTICLE_B)]):
        arts.append(f"<h2>{head}</h2>" + "".join(f"<p>{x}</p>" for x in lines))
    html = f"""<html><head><meta charset="utf-8"><title>履行教育职责自评报告(精选2篇)</title></head><body>
<div class="header"><a href="/">热门标签</a><a href="/new">最近更新</a><a href="/s">文档搜索</a> 欢迎您访问范文站,请记住我们的网址</div>
<div class="weizhi">当前位置：<a href="/">首页</a> &gt; <a href="/bg">工作报告</a> &gt; 内容页</div>
<div class="main"><h1>履行教育职责自评报告(精选2篇)</h1>
<div class="info">分类：总结汇报 发表于 2024-02-11 08:30 阅读数：12</div>
<div class="content"><p>以下是为大家整理的履行教育职责自评报告，欢迎品鉴！</p>
{"".join(arts)}
</div>
<div class="tag">标签：<a href="/t/1">报告</a></div>
<div class="xgwz"><h3>相关文章</h3><ul><li><a href="/1">学校自评报告</a></li><li><a href="/2">述职报告</a></li></ul></div>
</div><div class="foot">Copyright © 范文站 版权所有 备案号：某ICP备00000000号</div></body></html>"""
    return html.encode("utf-8")


def mhtml(html_text: str, charset: str = "gb2312", transfer: str = "quoted-printable") -> bytes:
    """A saved web page as browsers write it: multipart/related with an encoded HTML part."""
    import base64
    import quopri

    raw = html_text.encode("gb18030" if charset.lower() in ("gb2312", "gbk", "gb18030") else charset)
    body = base64.encodebytes(raw) if transfer == "base64" else quopri.encodestring(raw)
    boundary = b"----=_NextPart_000_0000_01D9"
    return b"\r\n".join([
        b"From: <Saved by a browser>",
        b"Subject: saved page",
        b"MIME-Version: 1.0",
        b'Content-Type: multipart/related; type="text/html"; boundary="' + boundary + b'"',
        b"",
        b"--" + boundary,
        b'Content-Type: text/html; charset="' + charset.encode() + b'"',
        b"Content-Transfer-Encoding: " + transfer.encode(),
        b"Content-Location: http://example.gov.cn/a.html",
        b"",
        body,
        b"--" + boundary,
        b"Content-Type: text/css",
        b"Content-Location: http://example.gov.cn/a.css",
        b"",
        b"body { color: black }",
        b"--" + boundary + b"--",
        b"",
    ])


def gbk_zip(members: dict[str, bytes]) -> bytes:
    """A zip whose member names are GBK bytes without the UTF-8 flag (as Windows tools write)."""
    placeholders = {}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for k, (name, data) in enumerate(members.items()):
            gbk = name.encode("gbk")
            ph = f"{k:03d}".encode() + b"_" * (len(gbk) - 3)
            assert len(ph) == len(gbk)
            placeholders[ph] = gbk
            zf.writestr(ph.decode("ascii"), data)
    raw = buf.getvalue()
    for ph, gbk in placeholders.items():
        assert raw.count(ph) == 2  # local header + central directory
        raw = raw.replace(ph, gbk)
    return raw
