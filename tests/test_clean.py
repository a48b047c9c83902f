from dudao.clean import clean

REPORT = "\n".join([
    "某某县2022年度履行教育职责自评报告",
    "某某县人民政府",
    "2022年，全县坚持把教育摆在优先发展的战略位置，持续加大投入，全面改善农村学校办学条件，城乡教育差距进一步缩小。",
    "一、主要做法",
    "（一）保障经费投入。全年一般公共预算教育支出9.82亿元，较上年增长6.4%，生均公用经费足额拨付到位，教师工资按时足额发放。",
    "（二）优化学校布局。新建小学两所、幼儿园三所，新增学位二千四百个，基本消除城区大班额，农村小规模学校全部达到基本办学标准。",
    "二、存在问题",
    "一是城区学位依然紧张。二是乡村教师结构性缺编。三是学前教育公办园比例偏低。",
])


def test_artefacts_whitespace_and_chrome_removed():
    raw = "当前位置：首页 > 工作动态\n\n  " + REPORT.replace("（二）", "[bookmark: _GoBack]（二）") + "\n标签：报告\n"
    doc = clean(raw)
    assert "[bookmark" not in doc.text and "当前位置" not in doc.text and "标签" not in doc.text
    assert doc.text.startswith("某某县2022年度")
    codes = [r.code for r in doc.removed]
    assert codes.count("web_boilerplate") == 2 and "artefact" in codes


def test_crlf_and_indent_normalised():
    doc = clean(REPORT.replace("\n", "\r\n  \u3000"))
    assert doc.text == REPORT


def _garbled_copy(text):
    out = []
    for line in text.split("\n"):
        for k in range(0, len(line), 9):
            piece = line[k:k + 9]
            if k % 27 == 0:
                piece = piece[:3] + "\ufffd" + piece[4:]
            out.append(piece)
            out.append("")
    return "\n".join(out)


def test_garbled_duplicate_copy_removed_and_reported():
    raw = REPORT + "\n" + _garbled_copy(REPORT)
    doc = clean(raw)
    assert doc.text == REPORT
    dup = [r for r in doc.removed if r.code == "duplicate_content"]
    assert len(dup) == 1 and dup[0].detail["garbled"]
    assert dup[0].raw_start >= len(REPORT)
    assert any(r.code == "garbled_text" for r in doc.removed)



def test_garbled_example_is_the_garbled_text():
    # a copy whose first lines are clean: the 乱码 example must still show the garbled text
    lines = REPORT.split("\n")
    copy = "\n".join(lines[:2] + [_garbled_copy(line) for line in lines[2:]])
    doc = clean(REPORT + "\n" + copy)
    garbled = next(r for r in doc.removed if r.code == "garbled_text")
    assert "\ufffd" in garbled.excerpt[:12]


def test_clean_duplicate_paste_removed():
    raw = REPORT + "\n" + REPORT
    doc = clean(raw)
    assert doc.text == REPORT
    assert [r.code for r in doc.removed] == ["duplicate_content"]


def test_short_repeat_is_kept():
    # The same sentence twice in a report is the author's choice, not a pasted copy.
    line = "全县中小学全部接入千兆宽带网络。"
    raw = REPORT + "\n" + line + "\n" + line
    doc = clean(raw)
    assert doc.text.count(line) == 2
    assert not doc.removed


def test_isolated_mojibake_removed():
    raw = REPORT.replace("持续加大投入", "持续加大锟斤拷投入")
    doc = clean(raw)
    assert "锟斤拷" not in doc.text and "持续加大投入" in doc.text
    assert [r.code for r in doc.removed] == ["garbled_text"]


def test_seed_garbled_copy(seed_texts):
    for name, raw in seed_texts.items():
        doc = clean(raw)
        assert "\ufffd" not in doc.text, name
        assert len(doc.text) > 0.8 * len(raw.strip()) or any(r.code == "duplicate_content" for r in doc.removed)


def test_signoff_before_a_garbled_copy_is_kept():
    signed = REPORT + "\n某某县人民政府\n2023年3月10日"
    raw = signed + "\n" + _garbled_copy(REPORT)
    doc = clean(raw)
    assert doc.text == signed


def test_chrome_anywhere_in_a_short_line():
    page = "\n".join(["网站首页 | 范文大全 当前位置：首页 > 报告", "本文来源：https://www.example-fanwen.com/a/123.html",
                      REPORT, "设为首页 加入收藏 热门标签：自评报告"])
    doc = clean(page)
    assert doc.text == REPORT


def test_hard_wrapped_text_is_joined_and_page_furniture_dropped():
    body = ("全县一般公共预算教育支出12.35亿元，同比增长3.6%，普惠性幼儿园覆盖率达到88.3%，"
            "九年义务教育巩固率保持在100%，城乡学校办学条件持续改善，教师队伍结构不断优化，"
            "学前教育、义务教育、高中教育和职业教育协调发展，学生体质健康合格率稳步提升。") * 6
    width = 30
    wrapped = [body[i:i + width] for i in range(0, len(body), width)]
    page = ["某县2021年度履行教育职责自评报告", "一、基本情况"]
    for k, line in enumerate(wrapped):
        page.append(line)
        if k % 8 == 7:
            page += [f"- {k // 8 + 1} -", "某县履行教育职责自评报告"]
    doc = clean("\n".join(page))
    assert "12.35亿元" in doc.text and "- 1 -" not in doc.text
    assert doc.text.count("某县履行教育职责自评报告") == 0
    assert doc.text.split("\n")[2] == body


def test_paragraphs_are_not_joined():
    assert clean(REPORT).text == REPORT


def test_chrome_line_test_equals_one_search():
    """The chrome/meta line test (anchored patterns matched at the start only) answers as one
    search of the whole alternation does."""
    import random
    import re

    from dudao.clean import _line_test
    from dudao.resources import load_yaml
    data = load_yaml("boilerplate")
    rng = random.Random(5)
    words = ["热门标签", "当前位置：", "首页 >", "www.example.cn/a", "https://x.gov.cn", "版权所有", "发布时间：",
             "来源", "扫一扫", "字号：大", "责任编辑：", "索引号：", "以下是为大家整理的", "教育", "全县", " ", "：",
             "2021年", "学校", "【打印】", "阅读：12", "欢迎阅读与收藏"]
    for key in ("chrome_lines", "meta_lines"):
        one = re.compile("|".join(f"(?:{p})" for p in data[key]))
        test = _line_test(data[key])
        hits = 0
        for _ in range(3000):
            line = "".join(rng.choice(words) for _ in range(rng.randint(1, 6)))
            hits += bool(one.search(line))
            assert test(line) == bool(one.search(line)), line
        assert hits > 100


def _wrap_columns(text: str, width: int) -> list[str]:
    """Lines of at most `width` columns (a Chinese character two, a digit one), as a PDF lays them out."""
    import unicodedata
    lines, line, used = [], "", 0
    for ch in text:
        w = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        if used + w > width:
            lines.append(line)
            line, used = "", 0
        line += ch
        used += w
    return lines + [line]


_PARAS = ["全县2023年一般公共预算教育支出9.86亿元，同比增长4.2%，占一般公共预算支出的19.7%，按在校生人数平均的"
          "一般公共预算教育支出逐年只增不减，城乡义务教育学校生均公用经费按小学720元、初中920元的标准足额拨付。",
          "新建、改扩建公办幼儿园7所，新增公办学位2160个，公办园在园幼儿占比由46.3%提高到53.8%，普惠性幼儿园"
          "覆盖率达到91.2%，学前三年毛入园率达到93.5%，乡镇公办中心幼儿园实现全覆盖。",
          "全年招聘教师186名，其中特岗教师64名、公费师范毕业生31名；交流轮岗教师243人，占符合条件教师的"
          "15.6%，其中骨干教师58人，乡村教师生活补助按每人每月300元至800元分档发放。"]


def test_text_wrapped_at_a_width_in_columns_is_joined():
    # lines of one width in columns hold different numbers of characters when they hold digits,
    # and a paragraph's first line is indented by two ideographic spaces
    page = ["某县2023年度履行教育职责自评报告", "一、主要工作"]
    for k, para in enumerate(_PARAS):
        page += _wrap_columns("\u3000\u3000" + para, 60)
        if k == 1:
            page += ["", "·1·", ""]
    doc = clean("\n".join(page))
    assert "·1·" not in doc.text
    assert doc.text.split("\n")[2:] == _PARAS


def test_a_table_row_past_the_width_is_not_joined():
    rows = ["序号\t问题\t整改要求\t责任单位",
            "1\t城区义务教育学校大班额问题突出，56人以上班级仍有41个，其中66人以上超大班额9个\t2024年秋季学期前全部消除\t县教育局",
            "2\t乡村学校音乐、美术专任教师缺口较大，部分学校音乐、美术课由语文教师兼任\t补足紧缺学科教师\t县教育局、县人社局"]
    page = ["某市人民政府教育督导室", "关于某县2022年度履行教育职责评价的反馈意见"]
    for para in _PARAS:
        page += _wrap_columns("\u3000\u3000" + para, 60)
    doc = clean("\n".join(page + ["附件：问题清单"] + rows))
    lines = doc.text.split("\n")
    assert [x.split(" ")[0] for x in lines[-3:]] == ["序号", "1", "2"]


def test_table_rows_as_wide_as_the_wrapped_text_are_not_joined():
    # a ledger laid out with ideographic spaces, each row about as wide as a wrapped line
    rows = ["序号\u3000\u3000问题\u3000\u3000\u3000\u3000整改措施\u3000\u3000\u3000\u3000\u3000\u3000完成情况",
            "1\u3000\u3000城区大班额\u3000\u3000\u3000新建改扩建学校两所，重新编班\u3000\u3000\u3000已完成",
            "2\u3000\u3000课后服务补助\u3000\u3000城区已发放，乡镇九月底前发放\u3000\u3000推进中",
            "3\u3000\u3000代课教师\u3000\u3000\u3000\u3000清退不具备资格人员41名\u3000\u3000\u3000\u3000已完成"]
    page = ["某县2023年度整改情况报告", "一、整改情况"]
    for para in _PARAS:
        page += _wrap_columns("\u3000\u3000" + para, 60)
    lines = clean("\n".join(page + ["二、整改台账"] + rows)).text.split("\n")
    assert [x.split(" ")[0] for x in lines[-4:]] == ["序号", "1", "2", "3"]


def test_one_paragraph_a_line_with_headings_is_not_joined():
    # headings with no closing mark, half of them of one length, and paragraphs of every length
    heads = ["一、强化保障措施，推动教育优质均衡", "二、加大经费投入，夯实教育发展基础", "三、加强队伍建设，提升教师整体素质",
             "四、推进学前教育普及普惠", "五、守住校园安全底线，护航学生成长"]
    paras = _PARAS + ["全面落实校园安全“一岗双责”，城区学校专职保安配备率达到100%，农村学校一键式紧急报警装置全部与"
                      "公安机关联网，全年未发生重大安全责任事故。", "开展学前教育普及普惠县创建。"]
    text = "\n".join(["某县2023年度履行教育职责自评报告"] + [x for h, p in zip(heads, paras) for x in (h, p)])
    assert clean(text).text == text


def test_a_sentence_end_wrapped_onto_its_own_line_is_kept():
    # a PDF breaks a line right before the closing 。, twice: the lone marks are no running header
    page = ["某县2023年度履行教育职责自评报告", "一、主要工作"]
    for para in _PARAS:
        lines = _wrap_columns("\u3000\u3000" + para.rstrip("。"), 60)
        page += lines + ["。"]
    doc = clean("\n".join(page))
    assert doc.text.split("\n")[2:] == _PARAS
