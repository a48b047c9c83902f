#!/usr/bin/env python3
"""Build the bundled example inputs in examples/ from the hand-written texts in scripts/example_src/.

Every example is an invented report (regions are real, figures are not). The build is
deterministic and idempotent: running it twice gives byte-identical files, so the generated
files can be committed and `make demo` works without regenerating.

    python scripts/make_examples.py            # (re)build examples/
    python scripts/make_examples.py --check    # verify expected.yaml against the sources, build nothing

What each file carries (encoding, layout, mess) is described in examples/README.md; what an
analyser should find in it is in examples/expected.yaml.
"""
from __future__ import annotations

import argparse
import codecs
import io
import random
import re
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "scripts" / "example_src"
OUT = ROOT / "examples"
sys.path.insert(0, str(ROOT))

from dudao.ingest import writers  # noqa: E402


def src(name: str) -> str:
    """A source text, LF line endings, exactly one trailing newline."""
    text = (SRC / name).read_text(encoding="utf-8").replace("\r\n", "\n")
    return text.rstrip("\n") + "\n"


def first_line(text: str) -> str:
    return text.split("\n", 1)[0].strip()


# ---------------------------------------------------------------- helpers for determinism

_FIXED_ZIP_TIME = (2024, 1, 1, 0, 0, 0)


def normalize_zip(path: Path) -> None:
    """Rewrite a zip container (docx) with fixed timestamps and member order-preserving,
    so that rebuilding yields identical bytes."""
    data = path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as zin:
        members = [(info, zin.read(info.filename)) for info in zin.infolist()]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zout:
        for info, payload in members:
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            zout.writestr(fixed, payload)
    path.write_bytes(buf.getvalue())


def pin_docx_properties(path: Path, title: str) -> None:
    import datetime as dt

    import docx

    document = docx.Document(str(path))
    props = document.core_properties
    when = dt.datetime(2024, 3, 20, 9, 0, 0)
    props.created = when
    props.modified = when
    props.last_printed = when
    props.author = "三台县人民政府办公室"
    props.last_modified_by = "三台县教育和体育局"
    props.title = title
    props.revision = 3
    document.save(str(path))


# ---------------------------------------------------------------- 01 GBK txt


def build_01() -> Path:
    out = OUT / "01_xiping_2022.txt"
    writers.to_gbk(src("01_xiping_2022.txt"), out)
    return out


# ---------------------------------------------------------------- 02 UTF-8 with a BOM


def build_02() -> Path:
    out = OUT / "02_lusong_2021.txt"
    text = src("02_lusong_2021.txt")
    out.write_bytes(codecs.BOM_UTF8 + text.encode("utf-8"))
    return out


# ---------------------------------------------------------------- 03 docx with heading styles and a score table


def _table_rows() -> list[list[str]]:
    rows = []
    for line in (SRC / "03_santai_2023.table.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip():
            rows.append(line.split("\t"))
    return rows


def build_03() -> Path:
    import docx

    out = OUT / "03_santai_2023.docx"
    text = src("03_santai_2023.txt")
    writers.to_docx(text, out, table_rows=_table_rows())
    # The writer appends the table at the end of the body; a real report has it right under
    # its caption ("表1 …"), so move it there and give it a visible grid.
    document = docx.Document(str(out))
    table = document.tables[0]
    caption = next(p for p in document.paragraphs if p.text.startswith("表1"))
    caption._p.addnext(table._tbl)
    try:
        table.style = document.styles["Table Grid"]
    except KeyError:
        pass
    for cell in table.rows[0].cells:
        for run in cell.paragraphs[0].runs:
            run.bold = True
    document.save(str(out))
    pin_docx_properties(out, first_line(text))
    normalize_zip(out)
    return out


# ---------------------------------------------------------------- 04 pdf


def build_04() -> Path:
    from reportlab import rl_config

    rl_config.invariant = 1  # no creation date / random document id: identical bytes on rebuild
    out = OUT / "04_duanzhou_2020.pdf"
    writers.to_pdf(src("04_duanzhou_2020.txt"), out, chars_per_line=38)
    return out


# ---------------------------------------------------------------- 05 government open-information page


def build_05() -> Path:
    out = OUT / "05_shouguang_2021.html"
    text = src("05_shouguang_2021.txt")
    title = first_line(text)
    meta = {
        "索引号": "11370783004301532H/2022-00118",
        "主题分类": "教育",
        "发布机构": "寿光市人民政府办公室",
        "成文日期": "2022-04-18",
        "文号": "寿政报〔2022〕9号",
    }
    writers.to_html(text, out, title=title, meta=meta, chrome=True)
    page = out.read_text(encoding="utf-8").replace("某县", "寿光市").replace("某镇", "洛城街道")
    out.write_text(page, encoding="utf-8")
    return out


# ---------------------------------------------------------------- 06 范文-site compilation page

_FANWEN_TITLE = "履行教育职责自评报告范文(精选3篇)"
_FANWEN_LEAD = [
    _FANWEN_TITLE,
    "分类：工作报告　发表于 2022-09-14 08:31　阅读数：1362",
    "自评报告是对一段时间以来工作情况的全面回顾和自我评价。下面是小编为大家整理的"
    "履行教育职责自评报告范文(精选3篇)，仅供参考，欢迎大家阅读借鉴。",
    "",
]
_FANWEN_HEAD = (
    '<div class="header"><div class="logo"><a href="/">优选范文网</a></div>'
    '<div class="toplinks"><a href="/tags/">热门标签</a> <a href="/new/">最近更新</a> '
    '<a href="/so/">文档搜索</a> <a href="/desk/">存到桌面</a></div>'
    '<div class="hot-tags">热门标签：<a href="/tag/zongjie/">工作总结</a> <a href="/tag/ziping/">自评报告</a> '
    '<a href="/tag/shuzhi/">述职报告</a> <a href="/tag/xinde/">心得体会</a> <a href="/tag/zhenggai/">整改报告</a> '
    '<a href="/tag/yanjiang/">演讲稿</a></div></div>\n'
    '<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/gzbg/">工作报告</a> &gt; 内容页</div>'
)
_FANWEN_TAIL = (
    '<div class="tags">标签：<a href="/tag/ziping/">自评报告</a> <a href="/tag/jiaoyu/">教育</a></div>\n'
    '<div class="prev-next"><p>上一篇：<a href="/gzbg/2231.html">乡镇安全生产工作自查报告范文</a></p>'
    '<p>下一篇：<a href="/gzbg/2233.html">学校食堂管理自查报告</a></p></div>\n'
    '<div class="related"><h3>相关推荐</h3><ul><li><a href="/gzbg/1187.html">教育督导工作总结(通用5篇)</a></li>'
    '<li><a href="/gzbg/1902.html">学校自评报告范文</a></li><li><a href="/gzbg/2015.html">个人年度工作总结精选</a></li></ul></div>\n'
    '<div class="footer"><p>本站文章均来自网络，如有侵权请联系删除。</p><p>Copyright © 2022 优选范文网 版权所有</p></div>'
)


def build_06() -> Path:
    out = OUT / "06_fanwen_compilation.html"
    text = "\n".join(_FANWEN_LEAD) + src("06_fanwen_compilation.txt")
    writers.to_html(text, out, title=_FANWEN_TITLE, meta=None, chrome=False)
    page = out.read_text(encoding="utf-8")
    page = page.replace("_某县人民政府门户网站</title>", "_优选范文网</title>")
    page = page.replace("<body>", "<body>\n" + _FANWEN_HEAD, 1)
    page = page.replace("</body>", _FANWEN_TAIL + "\n</body>", 1)
    page = re.sub(r"<p>(第[一二三]篇：[^<]*)</p>", r"<h2>\1</h2>", page)
    out.write_text(page, encoding="utf-8")
    return out


# ---------------------------------------------------------------- 07 template


def build_07() -> Path:
    out = OUT / "07_template.txt"
    out.write_bytes(src("07_template.txt").encode("utf-8"))
    return out


# ---------------------------------------------------------------- 08 report + garbled second copy

# (phrase, how many times its UTF-8 bytes were misread as Windows-1252)
_MOJIBAKE = [("教育督导", 1), ("学前教育", 2), ("控辍保学", 1)]


def _misread(s: str, times: int) -> str:
    for _ in range(times):
        s = s.encode("utf-8").decode("cp1252", errors="replace")
    return s


def garble(text: str, seed: int = 2019) -> str:
    """Imitate a bad PDF-to-text pass: very short lines with blank lines between them,
    curly quotes lost to U+FFFD, a few 锟斤拷 runs (UTF-8 U+FFFD bytes read as GBK), stray
    U+FFFD, and UTF-8-read-as-Windows-1252 runs (æ•™è‚²…, and doubly misread Ã¥Â­Â¦…)."""
    rng = random.Random(seed)
    body = text.replace("“", "\ufffd").replace("”", "\ufffd")
    for phrase, times in _MOJIBAKE:
        body = body.replace(phrase, _misread(phrase, times), 1)
    chars = list(body)

    def cjk_positions() -> list[int]:
        return [i for i, ch in enumerate(chars) if "\u4e00" <= ch <= "\u9fff"]

    for i in sorted(rng.sample(cjk_positions(), 6), reverse=True):
        chars[i:i + 2] = list("锟斤拷")
    for i in rng.sample(cjk_positions(), 10):
        chars[i] = "\ufffd"
    body = "".join(chars)
    out_lines: list[str] = []
    for para in body.split("\n"):
        para = para.strip()
        if not para:
            continue
        pos = 0
        while pos < len(para):
            n = rng.randint(2, 16)
            out_lines.append(para[pos:pos + n])
            pos += n
    lines = []
    for ln in out_lines:
        lines.append(ln)
        lines.append(" " if rng.random() < 0.3 else "")
    return "\n".join(lines) + "\n"


def build_08() -> Path:
    out = OUT / "08_yiling_2019_garbled.txt"
    report = src("08_yiling_2019.txt")
    # the broken copy starts mid-title, as when the title's year was on its own text run
    copy = garble(report.replace("宜昌市夷陵区人民政府2019年度", "宜昌市夷陵区人民政府\n\n2019\n\n年度", 1))
    out.write_bytes((report + "\n" + copy).encode("utf-8"))
    return out


# ---------------------------------------------------------------- 09 UTF-16 LE with BOM


def build_09() -> Path:
    out = OUT / "09_gangu_2021_utf16.txt"
    writers.to_utf16(src("09_gangu_2021.txt").replace("\n", "\r\n"), out)
    return out


# ---------------------------------------------------------------- 10 city-level report, CRLF


def build_10() -> Path:
    out = OUT / "10_chifeng_2022.txt"
    out.write_bytes(src("10_chifeng_2022.txt").replace("\n", "\r\n").encode("utf-8"))
    return out


BUILDERS = [build_01, build_02, build_03, build_04, build_05, build_06, build_07, build_08, build_09, build_10]


# ---------------------------------------------------------------- --check: expected.yaml against the sources


def _norm(s: str) -> str:
    return re.sub(r"\s+", "", s)


def check_expected() -> list[str]:
    """Every anchor/quote/problem in expected.yaml must occur in the source text of its example."""
    import yaml

    spec = yaml.safe_load((OUT / "expected.yaml").read_text(encoding="utf-8"))
    errors: list[str] = []
    for ex in spec["examples"]:
        sources = ex["source_text"] if isinstance(ex["source_text"], list) else [ex["source_text"]]
        text = _norm("".join((ROOT / s).read_text(encoding="utf-8") for s in sources))
        if ex["file"].startswith("06_"):
            text = _norm("\n".join(_FANWEN_LEAD)) + text
        if not (OUT / ex["file"]).exists():
            errors.append(f"{ex['file']}: not built")
        if len(ex["reports"]) != ex["report_count"]:
            errors.append(f"{ex['file']}: report_count {ex['report_count']} != {len(ex['reports'])} reports")
        for k, rep in enumerate(ex["reports"]):
            where = f"{ex['file']}#{k}"

            def need(s, what):
                if s and _norm(str(s)) not in text:
                    errors.append(f"{where}: {what} not in source: {s!r}")

            need(rep.get("anchor"), "anchor")
            for p in rep.get("problems") or []:
                need(p, "problem")
            for ind in rep.get("indicators") or []:
                need(ind.get("quote"), "indicator quote")
            for f in rep.get("findings") or []:
                need(f.get("quote"), f"finding {f['code']} quote")
            for ph in rep.get("placeholder_samples") or []:
                need(ph, "placeholder sample")
            for ph in rep.get("not_placeholders") or []:
                need(ph, "not-placeholder sample")
            score = rep.get("self_score")
            if score:
                for item in score.get("items") or []:
                    need(item.get("label"), "score item label")
            for ref in rep.get("scheme_refs") or []:
                need(ref, "scheme ref")
    return errors


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="only verify examples/expected.yaml against scripts/example_src")
    args = ap.parse_args(argv)
    if not args.check:
        for build in BUILDERS:
            path = build()
            print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size} bytes)")
    if (OUT / "expected.yaml").exists():
        errors = check_expected()
        for e in errors:
            print("expected.yaml:", e, file=sys.stderr)
        if errors:
            return 1
        print("expected.yaml: all anchors and quotes found in the sources")
    return 0


if __name__ == "__main__":
    sys.exit(main())
