"""Hostile-input generator: every case of issue 14 (and the older hostile ones) built in a folder.

All text is invented here. `build(folder, big=False)` writes the corpus and returns
{case name: path}. With big=True the size cases are full size (4 M characters, a 50 MB line,
a docx whose document.xml is ~40 MB, a 5,000-page PDF); without, they are small stand-ins
of the same shape so unit tests stay quick. Used by tests/test_hostile*.py, the fuzz harness
(scripts/fuzz.py, as seeds) and the done-when check (benchmarks/hostile.py).

Run `python tests/hostile.py OUT [--big]` to write the corpus to OUT.
"""
from __future__ import annotations

import io
import os
import random
import struct
import sys
import zipfile
import zlib
from pathlib import Path

TITLE = "青禾县人民政府2024年度履行教育职责情况自评报告"
PARAS = [
    "根据省人民政府教育督导委员会的部署，我县对照评价指标逐项开展自查，现将有关情况报告如下。",
    "一、基本情况",
    "全县共有中小学和幼儿园112所，在校学生5.6万人，专任教师4210人。",
    "二、履职成效",
    "（一）坚持党对教育工作的全面领导。县委常委会专题研究教育工作5次，县政府常务会议研究教育事项9次。",
    "（二）保障教育经费投入。全年教育经费总投入14.2亿元，比上年增长5.3%，生均一般公共预算教育经费逐年只增不减。",
    "（三）推进义务教育优质均衡。新建改扩建学校6所，新增学位3600个，消除56人以上大班额。",
    "三、存在问题",
    "城区学位供给仍然紧张，农村学校音体美教师结构性短缺，教师培训经费落实不够充分。",
    "四、下一步打算",
    "我县将继续加大投入力度，补齐农村学校办学条件短板，推动县域教育高质量发展。",
]


def report(title: str = TITLE, n: int = 1) -> str:
    """A short invented report; n > 1 repeats the body with numbered towns (distinct text)."""
    body = list(PARAS)
    for k in range(1, n):
        body.append(f"（补充{k}）第{k}片区完成校舍改造{k % 9 + 2}处，新增学位{40 + k % 300}个，"
                    f"配齐功能教室{k % 7 + 1}间，师生满意度达到{90 + k % 9}.{k % 10}%。")
    return "\n".join([title] + body) + "\n"


_CHARS = ("的一是在不了有和人这中大为上个国以要时来用们生到作地于出就分对成会可主发年动同工也能下过子产种面而方后多"
          "定行学法所民得经十三之进着等部度家力里如水化高自二理起小物现实加量都两体制机当使点从业本去性好应开合还因由"
          "其然前外天政四日社义事平形相全表间样与关各重新线内数正心反明看原又利比或但质气第向道命此变条只结解问意建月"
          "公无系很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统")


def long_text(chars: int, seed: int = 14) -> str:
    """About `chars` characters of distinct paragraphs (random wording, numbers, punctuation), so
    no paragraph repeats another: the shape of a very long real report, not its meaning."""
    rng = random.Random(seed)
    out, size, k = [TITLE], len(TITLE), 0
    while size < chars:
        k += 1
        sents = []
        for _ in range(rng.randint(2, 6)):
            words = "".join(rng.choices(_CHARS, k=rng.randint(12, 40)))
            cut = rng.randint(4, len(words) - 4)
            sents.append(f"{words[:cut]}{rng.randint(2, 9999)}{rng.choice('所个人万元名间%')}，{words[cut:]}。")
        para = ("（" + str(k) + "）" if k % 5 == 0 else "") + "".join(sents)
        out.append(para)
        size += len(para) + 1
    return "\n".join(out)[:chars]


def copied_text(chars: int) -> str:
    """Long text in which passages of earlier paragraphs come back again and again (a report
    pasted into itself): every copy sends the cleaner's duplicate search to work."""
    paras = long_text(chars * 2 // 3).split("\n")
    out, size, k = [], 0, 0
    for i, p in enumerate(paras):
        out.append(p)
        size += len(p) + 1
        if i % 6 == 5:
            k += 1
            j = 1 + (k * 7919) % (i - 3)
            copy = paras[j:j + 3]
            out.extend(copy)
            size += sum(len(c) + 1 for c in copy)
        if size >= chars:
            break
    return "\n".join(out)[:chars]


# --- zip helpers ---------------------------------------------------------------------------

def _zip(members: list[tuple[str, bytes]], method=zipfile.ZIP_DEFLATED, utf8=True) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as zf:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=(2024, 5, 1, 8, 0, 0))
            info.compress_type = method
            if utf8:
                info.flag_bits |= 0x800
            zf.writestr(info, data)
    return buf.getvalue()


def _patch_member(data: bytes, name: bytes, patch) -> bytes:
    """Apply patch(bytearray, local_header_offset, central_header_offset) to the member `name`."""
    b = bytearray(data)
    lh = b.index(b"PK\x03\x04" + b"", 0)
    while b[lh + 30:lh + 30 + len(name)] != name:
        lh = b.index(b"PK\x03\x04", lh + 4)
    ch = b.index(b"PK\x01\x02")
    while b[ch + 46:ch + 46 + len(name)] != name:
        ch = b.index(b"PK\x01\x02", ch + 4)
    patch(b, lh, ch)
    return bytes(b)


def zip_bad_crc() -> bytes:
    data = _zip([("报告甲.txt", report().encode()), ("报告乙.txt", report("乙县自评报告").encode())])

    def patch(b, lh, ch):
        crc = struct.unpack_from("<I", b, lh + 14)[0] ^ 0xFFFFFFFF
        struct.pack_into("<I", b, lh + 14, crc)
        struct.pack_into("<I", b, ch + 16, crc)
    return _patch_member(data, "报告甲.txt".encode(), patch)


def zip_bad_deflate() -> bytes:
    data = _zip([("报告丙.txt", report(n=40).encode())])

    def patch(b, lh, ch):
        nlen, xlen = struct.unpack_from("<HH", b, lh + 26)
        start = lh + 30 + nlen + xlen
        for k in range(start + 5, start + 60):
            b[k] = 0xFF
    return _patch_member(data, "报告丙.txt".encode(), patch)


def zip_lying_size() -> bytes:
    data = _zip([("报告丁.txt", report(n=20).encode())])

    def patch(b, lh, ch):   # claim half the real uncompressed size
        size = struct.unpack_from("<I", b, ch + 24)[0]
        struct.pack_into("<I", b, ch + 24, size // 2)
        struct.pack_into("<I", b, lh + 22, size // 2)
    return _patch_member(data, "报告丁.txt".encode(), patch)


def zip_traversal() -> bytes:
    """`..` entries, an absolute name and Windows back-slash names next to a normal member."""
    return _zip([("../越界报告.txt", report("越界县自评报告").encode()),
                 ("a/../../上级目录报告.txt", report("上级县自评报告").encode()),
                 ("/绝对路径报告.txt", report("绝对县自评报告").encode()),
                 ("C:\\Windows\\evil.txt", report("反斜杠县自评报告").encode()),
                 ("正常报告.txt", report("正常县自评报告").encode())])


def zip_bomb() -> bytes:
    return _zip([("bomb.txt", b"0" * (120 * 2**20))])


# --- PDF -----------------------------------------------------------------------------------

def minimal_pdf(pages: int, count: int | None = None) -> bytes:
    """A hand-written PDF: one Helvetica line per page; /Count may lie (count > pages)."""
    objs = {1: b"<< /Type /Catalog /Pages 2 0 R >>",
            3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"}
    kids = []
    for p in range(pages):
        page_id, content_id = 4 + 2 * p, 5 + 2 * p
        kids.append(f"{page_id} 0 R".encode())
        stream = f"BT /F1 12 Tf 72 720 Td (Page {p + 1} school report line with some words) Tj ET".encode()
        objs[content_id] = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream)
        objs[page_id] = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                         b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % content_id)
    objs[2] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), count or pages)
    out = bytearray(b"%PDF-1.4\n")
    offsets = {}
    for k in sorted(objs):
        offsets[k] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (k, objs[k])
    xref = len(out)
    n = max(objs) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % n
    for k in range(1, n):
        out += b"%010d 00000 n \n" % offsets[k]
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (n, xref)
    return bytes(out)


# --- DOCX ----------------------------------------------------------------------------------

_CT = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
       '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
       '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
       '<Default Extension="xml" ContentType="application/xml"/>'
       '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
       'wordprocessingml.document.main+xml"/></Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
         '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
         'officeDocument" Target="word/document.xml"/></Relationships>')


def docx_huge(chars: int) -> bytes:
    """A minimal docx whose document.xml holds `chars` characters of distinct paragraphs."""
    ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    paras = "".join(f"<w:p><w:r><w:t>{line}</w:t></w:r></w:p>" for line in long_text(chars).split("\n"))
    xml = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{ns}"><w:body>{paras}</w:body></w:document>'
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _CT)
        zf.writestr("_rels/.rels", _RELS)
        zf.writestr("word/document.xml", xml)
    return buf.getvalue()


# --- HTML ----------------------------------------------------------------------------------

def _html_body(extra: str = "") -> str:
    return "".join(f"<p>{p}</p>" for p in report().split("\n") if p) + extra


def html_control_char() -> bytes:
    # a share bar (removed as chrome) followed by a control character in its tail
    body = (f"<h1>{TITLE}</h1><div class=\"share\">分享到：微信 微博</div>\x01\x02"
            + _html_body() + "<div class=\"footer\">版权所有 青禾县人民政府</div>\x0b尾部")
    return f"<html><head><meta charset=\"utf-8\"></head><body>{body}</body></html>".encode()


def html_deep(levels: int) -> bytes:
    inner = _html_body()
    return ("<html><head><meta charset=\"utf-8\"></head><body>" + "<div>" * levels + inner
            + "</div>" * levels + "</body></html>").encode()


def html_wrong_charset() -> bytes:
    return ("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\"></head>"
            f"<body>{_html_body()}</body></html>").encode("utf-8")


# --- the corpus ----------------------------------------------------------------------------

def body_with_url() -> str:
    """A report whose body paragraph (well over 300 characters) mentions a web address."""
    para = ("（四）推进教育信息化建设。" + "全县中小学全部接入教育专网，出口带宽达到千兆，" * 9
            + "建成县级教育资源公共服务平台（网址www.x.cn），汇聚同步课程资源2.4万条，"
            + "累计访问量超过180万人次，" * 8 + "教师网络研修参与率达到97.5%，有效缓解了农村学校课程开不齐、开不足的问题。")
    assert len(para) >= 300
    lines = report().split("\n")
    return "\n".join(lines[:7] + [para] + lines[7:])


def one_line_copyright() -> str:
    return ("青禾县2024年度履行教育职责自评报告：我县对照评价指标逐项开展自查，全年教育经费总投入14.2亿元，"
            "比上年增长5.3%，新增学位3600个，城区学位供给仍然紧张，教师培训经费落实不够充分，"
            "本报告版权所有归青禾县人民政府，下一步将补齐农村学校办学条件短板。")


def build(folder: str | os.PathLike, big: bool = False) -> dict[str, Path]:
    root = Path(folder)
    root.mkdir(parents=True, exist_ok=True)
    made: dict[str, Path] = {}

    def put(case: str, rel: str | bytes, data: bytes) -> None:
        if isinstance(rel, bytes):
            path = Path(os.fsdecode(os.path.join(os.fsencode(root), rel)))
        else:
            path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        made[case] = path

    text = report().encode()
    # 1. a file name that is not UTF-8 (GBK bytes of 中文 on Linux)
    put("gbk_name", "中".encode("gbk") + "文".encode("gbk") + b".txt", text)
    # 2. U+FFFE / U+FFFF in the text (Excel writer)
    put("nonchar", "非字符.txt", report().replace("一、基本情况", "一、基本\ufffe情况\uffff").encode())
    # 3. damaged zip members
    put("zip_bad_crc", "坏校验.zip", zip_bad_crc())
    put("zip_bad_deflate", "坏数据流.zip", zip_bad_deflate())
    put("zip_lying_size", "谎报大小.zip", zip_lying_size())
    # 4. a PDF whose /Count is larger than its pages
    put("pdf_bad_count", "页数不符.pdf", minimal_pdf(3, count=7))
    # 6. HTML with a control character after a removed element
    put("html_control", "控制字符.html", html_control_char())
    # 8. size: 4 M characters, one 50 MB line, huge document.xml, 5,000-page PDF
    n_chars = 4_000_000 if big else 200_000
    put("text_4m", "四百万字.txt", long_text(n_chars).encode())
    line = ("全县新增学位三千六百个，" * 8).encode()
    one_line = line * ((50 * 2**20 if big else 2**20) // len(line))
    put("one_line_50mb", "一行.txt", one_line)
    put("docx_huge", "巨大正文.docx", docx_huge(13_000_000 if big else 300_000))
    put("pdf_5000", "五千页.pdf", minimal_pdf(5000 if big else 300))
    # 9. names that clash with each other or with the summary
    put("summary_txt", "summary.txt", report("汇总县自评报告").encode())
    put("clash_a", "a/报告.txt", report("甲县自评报告").encode())
    put("clash_b", "b/报告.txt", report("乙县自评报告").encode())
    put("clash_2", "报告.txt.2.txt", report("丙县自评报告").encode())
    # 10. content that must survive: body paragraph with a web address, one line with 版权所有,
    # UTF-8 page declared iso-8859-1, UTF-16 without BOM
    put("url_paragraph", "网址段落.txt", body_with_url().encode())
    put("copyright_line", "版权一行.txt", one_line_copyright().encode())
    put("html_wrong_charset", "错误声明.html", html_wrong_charset())
    put("utf16_nobom", "无BOM.txt", report().encode("utf-16-le"))
    # 11. HTML nested deeper than libxml2's 255 levels
    put("html_deep", "深层嵌套.html", html_deep(3000 if big else 300))
    # 12. zip entries with `..`, absolute and back-slash names
    put("zip_traversal", "路径穿越.zip", zip_traversal())
    # older hostile cases: empty, binary junk, zip bomb, truncated docx
    put("empty", "空文件.txt", b"")
    put("binary", "乱码.txt", bytes(range(256)) * 64)
    put("zip_bomb", "炸弹.zip", zip_bomb())
    put("docx_truncated", "截断.docx", docx_huge(20_000)[:3000])
    return made


if __name__ == "__main__":
    out = build(sys.argv[1], big="--big" in sys.argv)
    for k, v in out.items():
        print(f"{k}\t{os.fsencode(v)!r}\t{v.stat().st_size}")
