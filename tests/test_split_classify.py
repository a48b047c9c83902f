from dudao.classify import classify
from dudao.clean import clean
from dudao.split import split

GOV = ("某某县2021年度政府履行教育职责自评报告\n根据市政府教育督导委员会通知要求，我县对照督导评价指标逐项自查自评。"
       "县委、县政府坚持教育优先发展，全县一般公共预算教育支出持续增长，学校、教师、学生各项工作稳步推进。\n"
       "一、主要做法\n（一）加强党对教育工作的全面领导。县委教育工作领导小组每季度研究教育工作，全县学校党组织全覆盖。\n"
       "二、存在问题\n一是学位供给偏紧。二是教师结构性缺编。\n三、下一步工作打算\n持续推进学校建设，补齐教师缺口。")
SCHOOL = ("本学期我校对照《学校督导评估细则》开展自评。学校实行校长负责制，班子成员分工明确。\n"
          "一、教育教学\n我校开齐开足课程，教师认真备课，学生全面发展，少先队活动丰富。本校教研氛围浓厚，教师积极参加培训。\n"
          "二、存在不足\n部分教师教学方法单一，学校功能教室不足。")
FACTORY = ("入职以来，我在车间主任的带领下熟悉了生产线的各道工序。\n一、主要收获\n掌握了设备点检、首件检验和交接班记录的要求。"
           "\n二、不足之处\n对质量数据的统计分析还不熟练，下一步将加强学习。")


def test_compilation_page_split_and_classified():
    page = "\n".join(["热门标签 最新范文", "当前位置：首页 > 报告", "精选三篇，供参考。",
                      "第一篇：自评报告", GOV, "第二篇：自评报告", SCHOOL, "第三篇：个人总结", FACTORY, "标签：报告"])
    doc = clean(page)
    parts = split(doc.text)
    assert [p.label for p in parts] == ["第一篇：自评报告", "第二篇：自评报告", "第三篇：个人总结"]
    texts = [doc.text[p.start:p.end] for p in parts]
    assert texts[0].startswith("某某县2021年度") and texts[2].endswith("下一步将加强学习。")
    kinds = [classify(t) for t in texts]
    assert [k.doc_type for k in kinds] == ["self_report", "school_self_report", "other"]
    assert [k.relevant for k in kinds] == [True, False, False]


def test_single_report_not_split():
    parts = split(clean(GOV).text)
    assert len(parts) == 1


SECOND = ("另一县2022年度履行教育职责情况自查报告\n本年度我们围绕学前普惠和义务教育优质均衡两项重点开展工作。"
          "\n一、基本情况\n全县有中小学四十六所、幼儿园八十二所，在校生五万余人，专任教师四千余名。")


def test_two_reports_without_separator():
    signed = clean(GOV + "\n某某县人民政府\n" + SECOND).text
    assert len(split(signed)) == 2   # a signed report with sections, then the next title
    note = clean("请审阅以下材料。\n某某县人民政府\n" + SECOND).text
    assert len(split(note)) == 1     # a short note before a title is not a report of its own
    words = "学前普惠 校舍改造 教师培训 课后服务 营养改善 校车安全 控辍保学 信息化 体育美育 劳动教育 心理健康 资助".split()
    filler = "\n".join(f"（{n}）{w}。围绕{w}，{k + 3}个乡镇制定清单，{w}经费{k * 7 + 11}万元当年到位，"
                        f"第{k + 2}批{w}项目验收合格，{w}覆盖{k + 20}所学校、{k * 13 + 40}个班级。"
                        for k, (n, w) in enumerate(zip("三四五六七八九十", words)))
    long_first = clean(GOV + "\n" + filler + "\n某某县人民政府\n2022年3月\n" + SECOND).text
    parts = split(long_first)
    assert len(parts) == 2 and long_first[parts[1].start:].startswith("另一县2022年度")
    assert long_first[:parts[0].end].endswith("2022年3月")


def test_templates_are_self_reports():
    tpl = GOV.replace("某某县", "xx县").replace("2021", "20xx")
    assert classify(tpl).doc_type == "self_report"


def test_feedback_and_rectification():
    fb = ("关于对某县人民政府履行教育职责情况的督导反馈意见\n督导组认为，你县坚持教育优先发展，学校办学条件持续改善。"
          "同时，你县仍存在教师编制不足等问题。整改要求：你县应于三个月内报送整改报告，学校、教师问题逐项落实。")
    rc = ("某县关于履行教育职责督导反馈问题的整改方案\n针对督导反馈的问题清单，制定整改方案如下。整改任务一：补充教师。"
          "整改责任：县教育局。整改时限：年底前。整改措施：公开招聘教师一百名，充实乡村学校。")
    assert classify(fb).doc_type == "feedback"
    assert classify(rc).doc_type == "rectification"


def test_titles_decide_the_type():
    body = "\n根据要求，县政府组织教育、财政等部门开展工作，学校、教师、学生情况良好，教育督导有序推进。"
    cases = {
        "关于开展2021年度履行教育职责自查自评工作的报告": "self_report",
        "某市对县级人民政府履行教育职责评价实施方案": "scheme",
        "关于印发《某市履行教育职责评价办法》的通知": "scheme",
        "关于对某县履行教育职责情况的督导反馈意见": "feedback",
        "某县履行教育职责督导反馈问题整改情况报告": "rectification",
        "市督导组到我县开展履行教育职责督导评价": "news",
        "某某中学2023学年督导评估自评报告": "school_self_report",
    }
    for title, want in cases.items():
        assert classify(title + body).doc_type == want, title


def test_cover_letter_stays_with_its_report_and_a_short_report_is_kept():
    cover = ("某市人民政府教育督导委员会办公室：\n现将《甲县2022年度履行教育职责自评报告》报送你们，请予审核。\n"
             "甲县人民政府\n2023年3月2日\n")
    report_a = ("甲县2022年度履行教育职责自评报告\n根据通知要求，县政府开展了自查。\n一、基本情况\n全县学校、教师、学生情况稳定。\n"
                "二、主要做法\n加大投入，改善学校办学条件，教育、教师、学生工作全面推进，学前教育普惠水平明显提升。\n"
                "全年新建幼儿园两所、改造农村小学食堂六个，招聘教师一百二十名，组织校长和骨干教师培训九期，"
                "建成城乡结对学校二十四对，开设同步课堂三百余节，农村学生就近入学条件持续改善。\n"
                "三、存在问题\n一是学位偏紧。二是教师不足。\n四、下一步打算\n继续加大投入。\n甲县人民政府\n2023年3月2日\n")
    report_b = "乙县2022年度履行教育职责自评报告\n根据通知要求，县政府组织教育、财政等部门开展自查，学校、教师、学生情况如下。\n"
    assert len(split(clean(cover + report_a).text)) == 1
    text = clean(report_a * 1 + report_b).text
    parts = split(text)
    assert len(parts) == 2 and text[parts[1].start:].startswith("乙县2022年度")
    assert text[parts[0].start:parts[0].end].startswith("甲县2022年度")


def test_report_to_the_peoples_congress_is_not_a_self_report():
    t = ("关于全县教育工作情况的报告\n——在县人民代表大会常务委员会会议上\n县教育局\n主任、各位副主任、各位委员：\n"
         "全县有学校48所，教师3100人，学生4.6万人，教育教学质量稳步提升。")
    assert classify(t).doc_type == "other"
