"""How rectify's rules judge answers they have not seen: invented problems and report passages, one rule
each. The rules run alone here: the learned verifier and status model, trained on full-length reports,
are outside what they learned on one-line reports like these and flip close calls with each retraining;
they are tested in test_rectify_verify.py and test_rectify_decide.py and measured on the evaluation sets
(test_rectify_eval.py)."""
from __future__ import annotations

from dudao.api import analyze_text
import pytest

from dudao.rectify import decide, extract_problems, follow, verify


def _judge(problem: str, report: str | list[tuple[str, str]]) -> dict:
    """The first problem of an invented letter judged against one report, or several [(file, text)]."""
    letter = ("某县人民政府：\n评价发现以下问题：\n（一）" + problem + "\n（二）普通高中选课走班条件不足，专用教室缺口较大。\n"
              "请于明年六月底前整改。\n")
    probs = extract_problems(letter)
    assert letter[probs[0]["start"]:probs[0]["end"]] == probs[0]["text"]
    reports = [("r.txt", report)] if isinstance(report, str) else report
    out = follow(probs[:1], reports)[0]
    texts = dict(reports)
    for ev in out["evidence"]:
        assert texts[ev["file"]][ev["start"]:ev["end"]] == ev["quote"]
    return out


@pytest.fixture(autouse=True)
def _rules_alone():
    with verify.using(None), decide.using(None):
        yield


def test_a_done_cue_negated_is_no_progress():
    out = _judge("中小学校长职级制改革滞后，职级评定办法未出台。",
                 "一、整改情况\n（一）关于校长职级制。县里已多次召开专题会议研究，但职级评定办法尚未出台，校长仍套用行政级别。\n")
    assert out["status"] == "persists"


def test_a_plan_beside_work_done_is_boilerplate():
    out = _judge("防溺水管控措施不到位，危险水域警示设施缺失。",
                 "一、主要做法\n全县86处危险水域已全部设置警示牌和救生设施，落实专人巡查。\n"
                 "二、下一步工作\n继续抓好防溺水工作。\n")
    assert out["status"] == "resolved"


def test_a_remainder_beside_work_done_is_in_progress():
    out = _judge("辍学学生劝返不彻底，仍有辍学学生31人。",
                 "一、整改情况\n开展集中劝返行动，劝返复学27人，现尚有4名学生未返校，由包保干部每周上门。\n")
    assert out["status"] == "in_progress"


def test_the_same_work_for_another_group_is_no_answer():
    out = _judge("学生心理健康工作薄弱，未建立心理危机预警机制。",
                 "一、主要做法\n为全体教师开展心理健康讲座8场，教师职业幸福感明显提升。\n")
    assert out["status"] == "not_addressed"


def test_a_clause_naming_nothing_goes_on_about_the_one_before():
    out = _judge("职业学校校企合作不深入，仅与1家企业签订合作协议。",
                 "一、整改情况\n县职业中学新增合作企业3家，共建实训基地2个；与另外2家企业的合作正在洽谈，力争明年上半年签约。\n")
    assert out["status"] == "in_progress"
    assert any("正在洽谈" in ev["quote"] for ev in out["evidence"])


def test_a_count_of_what_should_not_exist_is_held_to_zero():
    out = _judge("城区超大班额问题突出，66人以上超大班额共40个。",
                 "一、整改情况\n新建城东小学，城区66人以上班级由40个减少到9个。\n")
    assert out["status"] == "in_progress"
    row = next(r for r in out["figures"] if r.get("standard") == 0.0)
    assert (row["before"], row["after"], row["verdict"]) == (40.0, 9.0, "in_progress")


def test_an_admission_after_a_lead_in_persists():
    out = _judge("寄宿制学校生活设施不足，部分学生两人一床。",
                 "一、整改情况\n新建学生宿舍一栋。\n二、困难\n整改虽有进展，但还有差距：部分寄宿制学校仍存在两人一床现象，浴室等设施尚未配齐。\n")
    assert out["status"] == "persists"


def test_the_county_described_is_no_answer():
    out = _judge("职业教育产教融合不深入，校企合作停留在协议层面。",
                 "一、基本情况\n全县有普通高中2所、职教中心1所、初中9所。\n二、主要做法\n加强党建工作。\n")
    assert out["status"] == "not_addressed"


def test_donations_are_not_student_aid():
    out = _judge("高中阶段学生资助发放不及时，国家助学金延迟3个月发放。",
                 "一、主要做法\n动员社会力量捐资助学，教育基金会接受捐款300万元，奖励优秀教师50名。\n")
    assert out["status"] == "not_addressed"


def test_a_claim_of_everything_at_once_is_no_evidence():
    out = _judge("校园安防设施不完善，一键报警未与公安联网。",
                 "一、整改情况\n我县高度重视，对大班额、教师编制、校园安防、食品安全等各项问题已全面整改到位。\n")
    assert out["status"] == "not_addressed"


def test_a_paraphrase_by_definition_answers():
    out = _judge("农村留守儿童关爱体系不健全，成长档案建档率低。",
                 "一、主要做法\n对父母双方外出务工的儿童逐一摸排，建立成长档案，建档率100%，开通亲情电话。\n")
    assert out["status"] == "resolved"


def test_self_report_problems_listed_run_in_are_one_problem_each():
    text = ("某县人民政府关于履行教育职责情况的自评报告\n一、基本情况\n全县有学校40所。\n二、存在的问题\n"
            "（一）办学条件仍有短板。一是城区学位紧张，部分学校班额偏大；二是农村学校音体美教师不足。\n"
            "（二）经费保障压力较大。\n三、下一步打算\n加大投入。\n")
    report = analyze_text(text)[0]
    report = report.model_dump(mode="json") if hasattr(report, "model_dump") else report
    items = report["problems"]
    assert [p["text"] for p in items] == ["城区学位紧张，部分学校班额偏大", "农村学校音体美教师不足", "经费保障压力较大"]
    for p in items:
        assert report["text"][p["start"]:p["end"]] == p["text"]


def test_a_problem_eased_is_in_progress():
    out = _judge("城区学校学位紧张，入学难问题突出。",
                 "一、整改情况\n新建城北小学一所，城区学位紧张状况得到一定缓解。\n")
    assert out["status"] == "in_progress"


def test_a_section_restating_the_problem_answers_it_in_any_words():
    letter = ("某县人民政府：\n发现以下问题：\n（一）乡镇中心学校功能教室严重不足。\n（二）教师队伍结构性矛盾突出。\n"
              "（三）校园欺凌防治机制不健全。\n请于明年六月底前整改。\n")
    report = ("关于评价反馈问题整改情况的报告\n一、关于乡镇中心学校功能教室不足的问题\n制定专项方案，按期完成了整改，该项问题已销号。另外，食堂明厨亮灶改造尚未完成。\n"
              "二、关于教师队伍结构性矛盾突出的问题\n今年补充了35人，剩余缺口计划明年秋季前补齐。\n"
              "三、关于校园欺凌防治机制不健全的问题\n由于人手紧张，此项工作尚未启动。\n")
    out = follow(extract_problems(letter), [("r.txt", report)])
    assert [p["status"] for p in out] == ["resolved", "in_progress", "persists"]
    for p in out:
        assert p["evidence"] and all(report[e["start"]:e["end"]] == e["quote"] for e in p["evidence"])
        assert all("关于" not in e["quote"] for e in p["evidence"])   # the heading itself is no evidence
    assert all("食堂" not in e["quote"] for e in out[0]["evidence"])   # another topic under the heading


def test_a_remainder_told_after_the_clause_naming_the_topic_is_in_progress():
    # the ；-clause naming nothing goes on about the one before: its remainder and date count
    out = _judge("城区56人以上大班额问题突出，现有大班额20个。",
                 "一、整改情况\n通过新校分流，原有20个56人以上班级已消除16个；剩余4个将于明年7月毕业后自然消除。\n")
    assert out["status"] == "in_progress"


def test_a_date_told_as_past_is_work_done():
    out = _judge("学校食堂承包经营问题突出，8所学校食堂由企业承包。",
                 "一、整改情况\n8所承包经营的学校食堂已于2024年12月底前全部收回，由学校自主经营。\n")
    assert out["status"] == "resolved"


def test_a_planned_date_for_the_rest_is_in_progress():
    out = _judge("特殊教育学校建设滞后，县特殊教育学校尚未建成。",
                 "一、整改情况\n县特殊教育学校主体工程已完工，正在安装康复设备，计划于2025年9月开学时招生。\n"
                 "二、存在的问题\n特殊教育专业教师仍然短缺。\n")
    assert out["status"] == "in_progress"


def test_a_heading_saying_what_was_done_about_a_gap_is_no_admission():
    out = _judge("乡村小规模学校办学条件薄弱，15所未达到基本办学条件。",
                 "一、主要做法\n（一）补齐乡村小规模学校短板\n15所未达标的乡村小规模学校已全部完成改造，达到基本办学条件。\n")
    assert out["status"] == "resolved"


def test_a_broad_domain_within_a_specific_aspect_gives_way_to_it():
    out = _judge("教师培训经费保障不足，未按公用经费的5%安排。",
                 "一、主要做法\n县财政教育经费投入增长8.2%，出台了《教育经费管理办法》。\n")
    assert out["status"] == "not_addressed"
    out = _judge("学校体育场地不足，12所学校没有标准运动场。",
                 "一、主要做法\n全面开展学生体质健康测试，测试数据上报率达到100%。\n")
    assert out["status"] == "not_addressed"


def test_a_broad_domain_beside_another_stays():
    out = _judge("体育美育师资短缺，部分学校开不齐体育美育课程。",
                 "一、主要做法\n组织全县中小学运动会。\n二、存在的问题\n农村学校体育、音乐等学科教师仍然短缺。\n")
    assert out["status"] == "persists"


def test_a_shared_word_qualified_by_another_object_is_no_answer():
    letter_problem = "校园安防建设存在短板，部分学校视频监控未与公安机关联网。"
    out = _judge(letter_problem, "一、主要做法\n实施明厨亮灶工程，全县学校食堂视频监控接入率达到100%。\n")
    assert out["status"] == "not_addressed"
    out = _judge(letter_problem, "一、主要做法\n全县学校视频监控已全部接入公安机关，接入率达到100%。\n")
    assert out["status"] == "resolved"


def test_paraphrases_from_the_standards():
    # class size kept under the standard, without the word 大班额
    out = _judge("城区学校班额偏大，仍有56人以上班级18个。",
                 "一、主要做法\n新建城北小学分流学生900名，城区小学所有班级学生人数均控制在45人以内。\n")
    assert out["status"] == "resolved"
    # per-pupil funds told as the amount per pupil per year (the rules' paraphrase; the learned
    # verifier, seeing few of the problem's words, vetoes this one: a known cost, docs/rectify.md)
    out = _judge("农村学校生均公用经费未按基准定额拨付。",
                 "一、主要做法\n自今年春季学期起，农村小学、初中分别按每生每年650元、850元的标准足额拨付。\n")
    assert out["status"] == "resolved"
    # a school's size told as its 在校生
    out = _judge("城区小学规模过大，3所小学在校生超过2500人。",
                 "一、主要做法\n新建2所小学后，城区所有小学在校生均控制在2000人以内。\n")
    assert out["status"] == "resolved"
    # myopia prevention told as classroom lighting
    out = _judge("近视防控工作不到位，教室照明达标率低。",
                 "一、主要做法\n完成全县1200间教室照明改造，经检测全部达标。\n")
    assert out["status"] == "resolved"
    # the fitness pass rate told in the standard's own grades (及格等级以上)
    out = _judge("学生体质健康测试合格率为84.6%，未达到90%的工作目标。",
                 "一、主要做法\n今年全县中小学生按国家标准测试，达到及格等级以上的占92.4%。\n")
    assert out["status"] == "resolved"


def test_the_evaluation_itself_and_other_kindergartens_are_no_answer():
    out = _judge("责任督学挂牌督导不到位，专职督学仅2名。",
                 "一、整改情况\n制定了《履行教育职责督导评价反馈问题整改方案》，逐项整改。\n")
    assert out["status"] == "not_addressed"
    out = _judge("无证幼儿园治理不彻底，仍有无证幼儿园9所。",
                 "一、主要做法\n新建公办幼儿园4所，幼儿园教师持证率达到96%。\n")
    assert out["status"] == "not_addressed"


def test_an_improved_figure_outweighs_a_looser_admission_beside_a_dated_remainder():
    out = _judge("普惠性学前教育资源不足，全县普惠性幼儿园覆盖率为70.2%，低于省定85%的目标。",
                 "一、主要做法\n新认定普惠性民办园5所，全县普惠性幼儿园覆盖率提高到79.5%。\n"
                 "小区配套园已移交2所，剩余1所计划于明年6月底前完成移交。\n"
                 "二、存在的问题\n学前教育保教质量有待提升，民办幼儿园教师持证率偏低。\n")
    assert out["status"] == "in_progress"
    row = next(r for r in out["figures"] if r.get("verdict"))
    assert (row["before"], row["after"], row["verdict"]) == (70.2, 79.5, "in_progress")


def test_the_school_the_problem_names_answers_it_beside_a_shared_topic():
    problem = "县域普通高中发展基础薄弱。县第一中学建设债务尚余2,400万元未化解。"
    out = _judge(problem, "一、整改情况\n将县一中历史债务纳入政府债务化解计划，已化解1,500万元，剩余900万元计划于2026年底前化解。\n")
    assert out["status"] == "in_progress"
    assert any("剩余900万元" in ev["quote"] for ev in out["evidence"])
    # another school's debt, or the same school on another topic, is no answer
    out = _judge(problem, "一、整改情况\n县第一中学新建塑胶运动场1个，完成食堂改造。\n")
    assert out["status"] == "not_addressed"


def test_institution_keys():
    from dudao.rectify.match import institutions
    assert institutions("县第一中学与城关第二小学、区一中") == {"第一中学", "第二小学"}
    assert institutions("全县中小学每天锻炼一小时，第一批项目") == set()


def test_a_shared_word_after_an_object_named_once_still_answers():
    out = _judge("校园安防建设存在短板，部分学校视频监控未与公安机关联网。",
                 "一、主要做法\n全县学生宿舍视频监控全部接入公安机关，实现联网全覆盖。\n")
    assert out["status"] == "resolved"


def test_a_broad_domain_qualified_by_a_specific_object_gives_way():
    problem = "校舍安全隐患突出，仍有D级危房3栋未拆除。"
    assert _judge(problem, "一、主要做法\n开展校园安全隐患大排查，整改消防等安全隐患126处。\n")["status"] == "not_addressed"
    assert _judge(problem, "一、主要做法\n投入资金800万元，拆除D级危房3栋，新建教学楼1栋。\n")["status"] == "resolved"


def test_a_broad_domain_named_only_within_a_passages_specific_object_is_not_shared():
    out = _judge("学生体质健康水平不高，优良率仅为31%。", "一、主要做法\n新建塑胶运动场4个，改善学校体育场地条件。\n")
    assert out["status"] == "not_addressed"


def test_the_reports_own_admission_in_the_letters_words_is_no_citation():
    out = _judge("乡村教师周转宿舍不足，部分教师租住民房。", "二、存在问题\n乡村教师周转宿舍仍然不足，部分教师仍租住民房。\n")
    assert out["status"] == "persists"
    assert out["evidence"][0]["quote"].startswith("乡村教师周转宿舍仍然不足")


def test_a_pledge_signed_is_work_done():
    out = _judge("师德师风建设有待加强，个别教师体罚学生。",
                 "一、主要做法\n组织全县教师签订师德承诺书，开展师德专题培训，查处违规教师3人。\n")
    assert out["status"] == "resolved"


def test_a_figure_the_extractor_could_not_name_is_the_indicator_its_sentence_names():
    problem = "公办园在园幼儿占比偏低，仅为38.5%，低于50%的国家标准。"
    out = _judge(problem, "一、主要做法\n新建公办幼儿园3所，全县公办园在园幼儿占比达到44.0%。\n")
    assert out["status"] == "in_progress"
    row = next(r for r in out["figures"] if r.get("verdict"))
    assert (row["before"], row["after"], row["standard"]) == (38.5, 44.0, 50.0)
    assert _judge(problem, "一、主要做法\n全县公办园在园幼儿占比达到52.3%。\n")["status"] == "resolved"


def test_a_shortage_eased_is_in_progress():
    out = _judge("音体美教师短缺，全县缺口120名。", "一、主要做法\n今年招聘音体美教师45名，缓解了部分学校师资紧张状况。\n")
    assert out["status"] == "in_progress"


def test_funds_paid_back_in_full_are_resolved():
    problem = "教育附加费未足额用于教育，去年少拨付1,300万元。"
    assert _judge(problem, "一、整改情况\n已将少拨付的1,300万元教育费附加全部补拨到位。\n")["status"] == "resolved"
    assert _judge(problem, "一、整改情况\n已补拨教育费附加800万元，剩余500万元列入明年预算。\n")["status"] == "in_progress"
    # the difference paid on a date told as past is paid
    out = _judge("义务教育教师平均工资收入低于当地公务员，2023年差额约5,400元。",
                 "一、整改情况\n2024年全县义务教育教师年平均工资收入高于当地公务员约900元；2023年差额部分已于2024年3月一次性补发到位。\n"
                 "某县人民政府\n2024年10月8日\n")
    assert out["status"] == "resolved"


def test_a_rank_band_is_no_whole_of_work_done_in_part():
    out = _judge("县域高中优质生源流失严重，中考成绩前300名学生中有128名被市区高中跨区域招收。",
                 "一、关于县域高中优质生源流失严重的问题\n今年中考招生中，市区高中未再跨区域招收我县学生，中考成绩前300名学生中有291名在县内高中就读。\n")
    assert out["status"] == "resolved"


def test_keeping_a_problem_gone_is_no_remainder():
    problem = "校外培训机构监管不到位，无证培训机构12家。"
    out = _judge(problem, "一、整改情况\n12家无证培训机构已全部取缔，建立常态化巡查机制，逐步完善监管平台。\n")
    assert out["status"] == "resolved"
    out = _judge(problem, "一、整改情况\n已取缔无证培训机构7家，逐步规范其余机构。\n")
    assert out["status"] == "in_progress"


def test_seconded_teachers_are_a_staffing_matter():
    out = _judge("教师编制使用不规范，有86名在编教师长期被借调到机关工作。",
                 "一、整改情况\n开展在编不在岗教师专项清理，已清退借调教师71名，其余15名将于明年3月底前全部返岗。\n")
    assert out["status"] == "in_progress"


def test_a_reading_festival_does_not_answer_a_shortage_of_books():
    problem = "图书配备不足，生均图书低于省定标准。"
    assert _judge(problem, "一、主要做法\n开展书香校园读书节活动，评选阅读之星200名。\n")["status"] == "not_addressed"
    assert _judge(problem, "一、主要做法\n新购置图书12万册，全县中小学生均图书全部达到省定标准。\n")["status"] == "resolved"


def test_paraphrases_of_pupils_transport_teacher_pay_and_training_centres():
    out = _judge("农村学生上下学交通安全隐患突出。",
                 "一、整改情况\n开通学生定制公交专线12条，实现农村学生安全接送全覆盖。\n")
    assert out["status"] == "resolved"
    out = _judge("农村学生上下学交通安全隐患突出。", "一、整改情况\n城区学校设立护学岗，安排交警在上下学时段疏导交通。\n")
    assert out["status"] == "not_addressed"
    out = _judge("义务教育教师工资待遇落实不到位。",
                 "一、整改情况\n全县义务教育教师人均年收入12.1万元，高于当地公务员人均年收入水平。\n")
    assert out["status"] == "resolved"
    out = _judge("县级教师发展中心建设滞后。", "一、整改情况\n建成县教师发展中心，整合研训资源，通过省级标准化验收。\n")
    assert out["status"] == "resolved"


def test_the_problem_restated_inside_an_answer_says_nothing_of_this_year():
    problem = "城区大班额问题突出，仍有56人以上班级21个。"
    ledger = ("一、整改台账\n| 序号 | 反馈问题 | 整改措施 | 整改成效 | 完成情况 |\n"
              "| 1 | 城区大班额问题突出，仍有56人以上班级21个 | 新建城东小学 | 21个大班额已全部消除 | 已完成 |\n")
    assert _judge(problem, ledger)["status"] == "resolved"
    quoted = "一、整改情况\n针对反馈指出的“城区大班额问题突出，仍有56人以上班级21个”问题，新建城东小学，21个大班额已全部消除。\n"
    assert _judge(problem, quoted)["status"] == "resolved"


def test_unrestated_blanks_only_the_copied_words():
    from dudao.rectify.status import unrestated
    q = "针对“校舍安全隐患突出，仍有D级危房3栋”问题，已全部拆除。"
    out = unrestated(q, "校舍安全隐患突出，仍有D级危房3栋")
    assert len(out) == len(q) and "仍有" not in out and out.endswith("已全部拆除。")
    assert unrestated("新建学生宿舍3栋。", "校舍安全隐患突出，仍有D级危房3栋") == "新建学生宿舍3栋。"


def test_an_ageing_teaching_force_admitted_again_persists_despite_young_recruits():
    out = _judge("教师队伍老化问题突出，50岁以上教师占比达38.6%，乡村学校青年教师补充困难。",
                 "一、整改情况\n补充35岁以下青年教师96名，全部安排到乡村学校。\n"
                 "二、存在的困难和问题\n教师队伍老化问题仍然突出，50岁以上教师占比仍达36.9%。\n")
    assert out["status"] == "persists"
    assert out["evidence"][0]["quote"].startswith("教师队伍老化问题仍然突出")


def test_the_county_high_school_by_its_short_name():
    from dudao.rectify.terms import topics_in
    assert "high_school" in topics_in("县中债务化解")["concept"]
    assert "high_school" not in topics_in("全县中小学和全县中等职业学校")["concept"]


def test_school_charters_are_a_topic_of_their_own():
    problem = "学校章程建设滞后，部分学校未制定章程。"
    assert _judge(problem, "一、整改情况\n全县中小学全部完成学校章程制定并经教育局核准。\n")["status"] == "resolved"
    assert _judge(problem, "一、整改情况\n制定《教师绩效考核办法》，完善学校内部管理制度。\n")["status"] == "not_addressed"


def test_work_done_to_a_share_below_all_is_in_progress():
    problem = "农村学校旱厕改造滞后。"
    assert _judge(problem, "一、整改情况\n旱厕改造已完成总任务的65%。\n")["status"] == "in_progress"
    assert _judge(problem, "一、整改情况\n旱厕改造工程进度达到80%。\n")["status"] == "in_progress"
    assert _judge(problem, "一、整改情况\n旱厕改造任务完成率100%。\n")["status"] == "resolved"


def _long_preschool_report(extra: str) -> str:
    """A long report whose every other passage names 公办园/普惠 (its subject), with other work between."""
    towns = "东岭 西川 南河 北坪 青石 白沙 黄土 红岩 金竹 银杏 桃源 柳溪".split()
    lines = ["一、主要做法"]
    for k, t in enumerate(towns):
        lines.append(f"{t}镇中心幼儿园新增学位{60 + k * 10}个，配齐保教人员。")
        lines.append(f"{t}镇小学完成操场硬化{800 + k * 50}平方米，修缮围墙{k + 2}处。")
        lines.append(f"{t}镇组织教师参加业务培训{30 + k}人次。")
    lines.append("二、存在问题")
    lines.append(extra)
    return "\n".join(lines) + "\n"


def test_sharing_only_the_reports_background_topic_is_no_answer():
    # 公办园/普惠 is named all through the report: an admission about public kindergartens' funding
    # is not about compound kindergartens never handed over
    out = _judge("城镇小区配套幼儿园未按规定移交，仍由开发商举办营利性幼儿园。",
                 _long_preschool_report("一是公办园建设资金仍需上级支持，县级财力较为薄弱。"))
    assert out["status"] == "not_addressed"


def test_the_background_topic_with_the_problems_own_words_still_answers():
    out = _judge("城镇小区配套幼儿园未按规定移交，仍由开发商举办营利性幼儿园。",
                 _long_preschool_report("一是城镇小区配套幼儿园仍有2所未按规定移交，开发商仍在举办营利性幼儿园。"))
    assert out["status"] == "persists"


def test_a_topic_every_problem_of_the_letter_names_ties_no_passage_to_one():
    letter = ("某县人民政府：\n督导检查发现以下问题：\n"
              "（一）教育督导委员会运行不规范，未召开全体会议。\n"
              "（二）督导结果运用不充分，未与校长考核挂钩。\n"
              "（三）责任督学经常性督导不到位，进校次数不足。\n"
              "（四）督学培训不足，督学专业化水平不高。\n")
    report = ("一、整改情况\n县教育督导委员会于今年3月、9月召开两次全体会议，明确成员单位职责。\n"
              "修订责任督学挂牌督导规程，责任督学每月进校督导不少于2次。\n"
              "县教育督导室完成办公场所搬迁，配备督导专用车辆。\n")
    probs = extract_problems(letter)
    out = follow(probs, [("r.txt", report)])
    # 督导 is named by every problem: the office's move answers none of them
    assert [o["status"] for o in out] == ["resolved", "not_addressed", "resolved", "not_addressed"]
    assert all("办公场所" not in e["quote"] for o in out for e in o["evidence"])


def test_a_next_step_line_closing_the_admissions_is_a_plan_not_an_admission():
    out = _judge("劳动教育课程开设不规范，未按要求单独开设劳动课。",
                 "一、主要做法\n全区开展读书节活动。\n二、存在问题\n（一）课后服务供给仍不丰富。\n"
                 "（二）下一步，我区将进一步重视劳动教育，适时研究完善相关措施。\n")
    assert out["status"] == "not_addressed"


def test_a_next_step_paragraph_under_problems_and_plans_admits_nothing():
    # the dropouts were all brought back; "巩固…成果" in the 下一步 paragraph of a "存在问题和下一步
    # 打算" part is what the county will keep doing, not the problem admitted again
    out = _judge("控辍保学动态清零尚未实现，全县仍有疑似辍学学生21人未劝返。",
                 "一、整改情况\n全县21名疑似辍学学生已全部劝返复学，实现动态清零。\n二、存在问题和下一步打算\n"
                 "部分乡镇学校食堂条件仍较简陋。下一步，我县将重点抓好以下工作：一是加快食堂改造；"
                 "二是完善控辍保学长效机制，巩固动态清零成果。\n")
    assert out["status"] == "resolved"


def test_only_vague_intentions_answer_nothing():
    out = _judge("督学培训不足，兼职督学未参加系统业务培训。",
                 "一、主要做法\n全县新建塑胶跑道3条。\n二、下一步工作\n二是加强督学队伍培训，不断提升督学专业化水平；\n")
    assert out["status"] == "not_addressed"


def test_a_dated_plan_is_still_in_progress():
    out = _judge("督学培训不足，兼职督学未参加系统业务培训。",
                 "一、主要做法\n全县新建塑胶跑道3条。\n二、下一步工作\n计划于2025年6月前组织兼职督学全员参加督学培训。\n")
    assert out["status"] == "in_progress"


def test_an_admitted_gap_with_its_remedy_dated_is_in_progress():
    out = _judge("农村小学音乐、美术专任教师不足，每百名学生拥有数为0.62人。",
                 "一、主要做法\n全县新建塑胶跑道3条。\n二、存在问题\n"
                 "县教育局已于今年5月启动专项招聘，计划补充音乐、美术教师40名，预计2025年秋季前全部到岗。\n")
    assert out["status"] == "in_progress"


def test_the_named_school_spoken_of_only_in_the_problems_category_is_no_answer():
    out = _judge("县第一中学等普通高中大班额问题突出，56人以上班级12个。",
                 "一、主要做法\n全县新建塑胶跑道3条。\n二、存在问题\n二是普通高中特色发展不够，县二中办学质量与县一中相比差距较大。\n")
    assert out["status"] == "not_addressed"


def test_work_for_the_general_public_is_no_answer_to_a_school_problem():
    problem = "校车安全管理存在漏洞，部分乡镇使用无资质车辆接送学生。"
    out = _judge(problem, "一、主要做法\n县交通运输局更新农村客运班线车辆40辆，方便群众出行。\n")
    assert out["status"] == "not_addressed"
    out = _judge(problem, "一、主要做法\n开通农村客运学生专线12条，取缔无资质接送车辆9辆。\n")
    assert out["status"] == "resolved"


def test_a_shortage_told_with_an_adverb_is_still_a_shortage():
    out = _judge("教师结构性缺编问题突出。",
                 "一、主要做法\n补充中小学教师60名。\n二、存在问题\n一是英语、音乐、美术教师依然紧缺，教学点包班上课的情况还没有根本改变。\n")
    assert out["status"] == "persists"


def test_the_letters_problems_listed_at_once_with_a_date_are_no_answer():
    out = _judge("劳动教育课程开设不规范，未单独开设劳动课。",
                 "一、整改工作开展情况\n2025年5月，省督导办印发反馈意见（某教督办〔2025〕22号），指出了我县在课后服务、近视防控、"
                 "劳动教育和校外培训治理等方面存在的问题。\n二、整改情况\n全县新建塑胶跑道3条。\n")
    assert out["status"] == "not_addressed"


def test_an_admission_sharing_only_the_background_is_no_admission_of_this_problem():
    report = _long_preschool_report("二是农村公办园和民办园教师流动性较大，持证上岗的要求短期内难以全部实现。")
    report = report.replace("二、存在问题", "全县公办园在园幼儿占比由43.6%提高到48.9%，两所新园明年9月开园。\n二、存在问题")
    out = _judge("公办园在园幼儿占比偏低，仅为43.6%，未达到50%的要求。", report)
    assert out["status"] == "in_progress"


def test_a_ledger_row_marked_done_without_substance_is_no_evidence():
    problem = "校车安全管理存在漏洞，部分乡镇使用无资质车辆接送学生。"
    head = "一、整改台账\n| 序号 | 反馈问题 | 整改措施 | 完成情况 |\n| --- | --- | --- | --- |\n"
    out = _judge(problem, head + "| 4 | 校车安全管理漏洞 | 纳入综合考核 | 已销号 |\n")
    assert out["status"] == "not_addressed"
    out = _judge(problem, head + "| 4 | 校车安全管理漏洞 | 取缔无资质接送车辆9辆，驾驶人全部复审 | 已销号 |\n")
    assert out["status"] == "resolved"
    assert "取缔" in out["evidence"][0]["quote"]


def test_a_step_planned_from_a_date_is_under_way():
    out = _judge("兼职督学工作补助长期未落实。",
                 "一、整改情况\n兼职督学工作补助办法已起草，拟2026年1月起按每人每月500元发放。\n")
    assert out["status"] == "in_progress"


def test_a_two_part_problem_whose_second_part_is_only_scheduled_is_in_progress():
    problem = "教师工资待遇保障有差距，义务教育教师平均工资低于当地公务员，乡村教师生活补助未落实。"
    done = "一、整改情况\n2025年全县义务教育教师平均工资收入已不低于当地公务员平均工资收入。\n"
    assert _judge(problem, done)["status"] == "resolved"
    out = _judge(problem, done + "乡村教师生活补助方面，实施办法已起草，拟2026年1月起按月发放。\n")
    assert out["status"] == "in_progress"
    assert any("拟2026年1月起" in e["quote"] for e in out["evidence"])


def test_a_topic_told_only_in_how_the_problem_went_wrong_is_no_second_part():
    problem = "营养膳食补助资金使用不规范，有5所学校将膳食补助资金用于支付食堂工勤人员工资。"
    out = _judge(problem, "一、整改情况\n对督导发现的5所学校约谈校长，被挤占的膳食补助资金已全部归垫到位。\n"
                          "二、其他工作\n其余12所学校的食堂建设已列入改薄项目，计划于2026年秋季学期开学前建成。\n")
    assert out["status"] == "resolved"


def test_a_date_before_the_already_is_past():
    out = _judge("农村学校危房改造滞后，仍有C级危房0.8万平方米未加固。",
                 "一、整改情况\n2025年10月底前已将全县0.8万平方米C级危房全部加固完毕，并通过竣工验收。\n")
    assert out["status"] == "resolved"


def test_a_passage_about_another_object_under_a_shared_heading_is_no_answer():
    report = ("一、整改情况\n（一）排查整治校舍和宿舍隐患\n全县C级危房已于2025年9月全部加固完毕。"
              "寄宿制学校宿舍消防报警装置已在20所学校安装，其余9所学校计划于2026年6月底前完成。\n")
    out = _judge("校舍安全隐患突出，仍有C级危房未加固。", report)
    assert out["status"] == "resolved"
    assert not any("消防" in e["quote"] for e in out["evidence"])


def test_a_figure_is_held_to_the_cited_standard_it_fails():
    from dudao.rectify.status import _cited_standard
    problem = {"figures": [{"value": 8.0, "unit": "%", "start": 10}, {"value": 3.0, "unit": "%", "start": 20}]}
    stds = [{"value": 12.0, "unit": "%", "quote": "未达到“不低于12%"}, {"value": 5.0, "unit": "%", "quote": "”和“不低于5%"}]
    # 8% passes "不低于5%": the standard it misses is 12%; 3% misses both, the second in the letter's order
    assert _cited_standard(problem["figures"][0], problem, stds) == (12.0, ">=")
    assert _cited_standard(problem["figures"][1], problem, stds) == (5.0, ">=")
    # a standard without words of direction is read from which side the figure stands on
    one = {"figures": [{"value": 62.0, "unit": "人", "start": 5}]}
    assert _cited_standard(one["figures"][0], one, [{"value": 45.0, "unit": "人", "quote": "超过45人"}]) == (45.0, "<=")


def test_a_topic_named_only_as_a_modifier_is_not_the_object():
    # 营养 inside 营养改善计划: a canteen's food safety is no answer to the subsidy programme
    out = _judge("营养改善计划管理不够规范，补助资金与公用经费混合核算。",
                 "一、整改情况\n全县学校食堂实行“明厨亮灶”，食品安全检查两轮，已全部完成整改。\n")
    assert out["status"] == "not_addressed"


def test_a_ledger_row_answers_only_beside_its_restated_problem():
    problem = "学生欺凌防治工作机制不健全。多数学校未成立欺凌治理委员会。"
    head = "三、整改台账\n序号\t反馈问题\t整改措施\t完成情况\n"
    out = _judge(problem, head + "2\t学生欺凌防治工作机制不健全\t开展专题安全教育，组织主题班会和家长会\t县教育局\t已完成\n")
    assert out["status"] == "not_addressed"
    out = _judge(problem, head + "2\t学生欺凌防治工作机制不健全\t各校全部成立学生欺凌治理委员会，制定欺凌事件早期预警和处置流程\t县教育局\t已完成\n")
    assert out["status"] != "not_addressed"
    assert "治理委员会" in out["evidence"][0]["quote"]


def test_a_topic_named_as_a_bare_list_item_is_no_answer():
    problem = "学生欺凌防治工作机制不健全，欺凌事件处置程序不规范。"
    out = _judge(problem, "一、主要做法\n各校开展了防溺水、防欺凌、防诈骗等专题教育。\n")
    assert out["status"] == "not_addressed"
    out = _judge(problem, "一、整改情况\n各校均成立了学生欺凌治理委员会，制定欺凌事件处置流程。\n")
    assert out["status"] == "resolved"


def test_the_other_n_with_a_date_is_a_remainder():
    out = _judge("农村学校宽带接入不足，仍有15个教学点未接入宽带。",
                 "一、整改情况\n15个教学点中已有11个完成宽带接入，其余4个计划于2026年5月底前开通。\n")
    assert out["status"] == "in_progress"


def test_a_broad_domain_spelled_out_in_the_problem_is_answered_by_that_aspect():
    problem = "中等职业学校办学条件未达标，县职教中心生均校舍建筑面积仅为12.5平方米。"
    report = "一、整改情况\n县职教中心新校区建成投用，生均校舍建筑面积达到20.8平方米。\n"
    out = _judge(problem, report)
    assert out["status"] == "resolved"


def test_a_subjects_lessons_are_not_its_other_work():
    problem = "音乐课时开设不足，部分小学每周音乐课不足2课时。"
    out = _judge(problem, "一、主要做法\n举办全县中小学生音乐节，组织合唱比赛，参赛学生2300人。\n")
    assert out["status"] == "not_addressed"
    out = _judge(problem, "一、整改情况\n全县小学已按课程方案每周开设2课时音乐课，音乐课开齐开足。\n")
    assert out["status"] == "resolved"


def test_work_for_other_school_levels_is_no_answer():
    problem = "学前教育资助政策落实不到位，家庭经济困难幼儿资助不及时。"
    out = _judge(problem, "一、主要做法\n普通高中免除家庭经济困难学生学杂费，发放国家助学金860万元。\n")
    assert out["status"] == "not_addressed"
    out = _judge(problem, "一、整改情况\n设立学前教育资助资金，2025年资助家庭经济困难幼儿1260名。\n")
    assert out["status"] == "resolved"


def test_the_rural_teaching_force_gives_way_to_a_specific_aspect():
    # 乡村教师 named on its own is the object; named with 周转宿舍 it gives way to the housing
    out = _judge("乡村教师队伍不稳定，近三年流失乡村教师96人。",
                 "三、存在问题\n一是乡村教师队伍仍不稳定，2025年又有31名乡村教师调离。\n")
    assert out["status"] == "persists"
    out = _judge("乡村教师周转宿舍不足，缺口120套。",
                 "一、主要做法\n招聘特岗教师60名，全部分配到乡村学校，乡村教师紧缺状况有所缓解。\n")
    assert out["status"] == "not_addressed"


def test_a_table_cell_naming_no_topic_is_about_its_row_label():
    letter = ("某县人民政府：\n二、问题清单\n\n| 序号 | 指标 | 存在问题 | 整改建议 |\n| --- | --- | --- | --- |\n"
              "| 1 | 学校规模 | 县实验小学在校生为2650人，超过2000人的标准 | 新建学校分流 |\n"
              "| 2 | 寄宿制学校 | 部分寄宿制学校未配备生活教师 | 配齐生活教师 |\n")
    probs = extract_problems(letter)
    assert probs[0]["label"] == "学校规模"
    assert letter[probs[0]["start"]:probs[0]["end"]] == probs[0]["text"]
    report = "一、整改情况\n县实验小学东校区投入使用，本部学校规模降至1860人。\n"
    out = follow(probs[:1], [("r.txt", report)])[0]
    assert out["status"] != "not_addressed"


def test_a_month_after_the_reports_own_date_is_still_to_come():
    from dudao.rectify.match import after_signing as _after, signed_date
    signed = signed_date("一、整改情况\n2026年3月新建教学楼投用。\n\n某县人民政府\n2026年5月20日\n")
    assert signed == (2026, 5)
    assert _after("新教师2026年9月到岗", signed)
    assert not _after("2026年3月新建教学楼投用", signed)
    assert not _after("新教师2026年9月到岗", None)


def test_an_unsigned_text_is_dated_by_the_latest_month_it_tells_things_done_by():
    from dudao.rectify.match import signed_date
    assert signed_date("一、整改情况\n截至2025年9月，已完成8所。已于2025年11月全部完工。计划2026年6月前投用。\n") == (2025, 11)
    assert signed_date("一、整改情况\n计划2026年6月前投用。\n") is None


def test_an_unsigned_later_text_telling_the_rest_done_supersedes_the_schedule():
    problem = "校舍安全隐患未消除，全县仍有D级危房5处。"
    first = "一、整改情况\n已拆除D级危房3处，其余2处计划于2025年10月底前拆除。\n\n某县人民政府\n2025年6月20日\n"
    later = "一、整改完成情况\n截至2025年11月，全县5处D级危房已全部拆除，校舍安全隐患已消除。\n"
    assert _judge(problem, [("r.txt", first), ("r2.txt", later)])["status"] == "resolved"


def test_an_admission_going_on_to_a_dated_remedy_is_under_way():
    problem = "城区学校心理健康教师配备不足，专职心理教师仅6名。"
    gap = "三、存在问题\n（一）心理健康教师配备仍有差距。专职心理教师仍不足，距每校1名的要求尚有差距。"
    report = gap + "正在招聘专职心理教师12名，新教师2026年8月到岗。\n\n某县人民政府\n2026年5月20日\n"
    assert _judge(problem, report)["status"] == "in_progress"
    # the remedy in another part, not going on from the admission: the admission stands
    report = gap + "\n四、下一步\n我县将加大心理健康教师补充力度。\n\n某县人民政府\n2026年5月20日\n"
    assert _judge(problem, report)["status"] == "persists"


@pytest.mark.parametrize("rest", [
    "其余5所民办园已下达限期整改通知书，要求于明年秋季学期结束前整改到位",   # 已 of an action on the rest, not of its end
    "余下5所的整改已纳入2026年民办园年检计划",                                # 余下; 纳入 a year's 计划
    "剩下5所要求于2026年秋季学期结束前整改到位",                             # a term's end as the deadline
])
def test_the_rest_still_to_do_beside_work_done_is_in_progress(rest):
    out = _judge("部分幼儿园“小学化”倾向明显，抽查的20所民办园中有17所提前教授小学内容。",
                 "一、整改情况\n开展“小学化”专项治理，17所民办园中已整改到位12所，" + rest + "。\n")
    assert out["status"] == "in_progress", out["evidence"]


@pytest.mark.parametrize("clause,dated", [
    ("其余4所学校改造工程已于8月完成招标，正在铺设线路，确保10月20日供暖期开始前全部投入使用", True),
    ("其余2所计划11月底前完成改造", True),
    ("力争12月中旬前全部完成设备安装", True),
    ("5所学校已于8月底前完成改造", False),     # a day passed, not one to come
    ("每月20日前报送整改进展", False),          # a routine
])
def test_a_day_of_the_month_to_finish_by_is_a_date_for_the_rest(clause, dated):
    # no year given: the report's own (the status model reads this cue in a passage or beside it;
    # training +4, old held-out pool +1 when it was added)
    from dudao.rectify.terms import terms
    assert bool(terms().cues["dated"].search(clause)) == dated


def test_the_rest_done_too_is_work_done():
    out = _judge("部分幼儿园“小学化”倾向明显，抽查的20所民办园中有17所提前教授小学内容。",
                 "一、整改情况\n开展“小学化”专项治理，已整改到位12所，其余5所已全部完成整改并通过验收。\n")
    assert out["status"] == "resolved"


@pytest.mark.parametrize("problem,other,own", [
    # 特殊教育 kept apart from the levels it serves: the 义务教育 基准定额 is no answer
    ("特殊教育学校生均公用经费未按每生每年6000元的标准拨付，实际为每生每年4200元。",
     "城乡义务教育学校生均公用经费按小学每生每年720元、初中每生每年940元足额拨付。",
     "特殊教育学校生均公用经费提高到每生每年6000元，已足额拨付。"),
    # the town is no answer for the country
    ("农村学校专职保安员配备不足，配备率仅为68%。", "全县城区学校专职保安员配备率达到100%，全部持证上岗。",
     "全县城区和农村学校专职保安员配备率均达到100%，全部持证上岗。"),
    # a 高级中学 is a 高中 (its formal name): 义务教育 classes are no answer
    ("县第一高级中学班额过大，高一年级平均班额达68人。", "全县义务教育学校56人以上大班额已全部消除。",
     "县第一高级中学新建教学楼投入使用，高一年级平均班额降至48人，56人以上大班额全部消除。"),
    # private provision is no answer for public (nor the reverse)
    ("公办幼儿园在园幼儿占比偏低，仅为31%，低于50%的目标。",
     "认定普惠性民办幼儿园18所，给予生均补助，普惠性幼儿园覆盖率达到82.3%。",
     "新建公办幼儿园6所，公办幼儿园在园幼儿占比提高到52%。"),
    ("民办幼儿园专任教师持证率偏低，仅为61%。", "公开招聘公办幼儿园教师86名，全部持有幼儿园教师资格证。",
     "民办幼儿园专任教师持证率提高到96%，无证人员全部调离主班岗位。"),
    # pupils' living subsidy is no answer for teachers' (惠及学生: whom it serves)
    ("乡村教师生活补助资金未按时发放，涉及教师286人、资金98万元。",
     "落实家庭经济困难寄宿生生活补助政策，全年发放生活补助资金212万元，惠及学生1,830人。",
     "286名乡村教师生活补助98万元已于7月全部补发到位，此后按月足额发放。"),
    # the city's own is no answer for its counties (nor the reverse)
    ("青川县、白河县2个县义务教育教师年平均工资收入低于当地公务员，差额分别为5,200元和3,100元。",
     "市本级义务教育教师年平均工资收入12.6万元，高于市直机关公务员年平均工资收入。",
     "青川县、白河县已补发义务教育教师工资差额共1,460万元，教师年平均工资收入均不低于当地公务员。"),
])
def test_another_level_or_area_is_no_answer(problem, other, own):
    assert _judge(problem, "一、主要做法\n" + other + "\n")["status"] == "not_addressed"
    assert _judge(problem, "一、主要做法\n" + own + "\n")["status"] == "resolved"


def test_a_parts_figure_is_set_against_the_parts_figure_now():
    # "其中乡镇为79.6%" against "其中乡镇…达到90.2%", not the ledger's "87.2%" restated from the letter;
    # "已完成（91.3%）" is work done, not a share of it
    out = _judge("学前三年毛入园率偏低，全县为87.2%，其中乡镇为79.6%，未达到90%以上的目标。",
                 "一、整改情况\n全县学前三年毛入园率达到91.3%，其中乡镇学前三年毛入园率达到90.2%。\n"
                 "二、整改台账\n| 序号 | 问题 | 措施 | 进度 |\n| 1 | 学前三年毛入园率87.2% | 新建乡镇园 | 已完成（91.3%） |\n")
    assert out["status"] == "resolved"
    assert [(f["before"], f["after"]) for f in out["figures"]] == [(87.2, 91.3), (79.6, 90.2)]
    assert "ongoing" not in {e["kind"] for e in out["evidence"]}


@pytest.mark.parametrize("problem,report,status", [
    ("抽测的8所乡镇学校中有3所学校部分教室冬季室温低于14℃，未达到18℃的设计温度。",
     "对3所学校外墙和门窗实施保温改造，加装电暖器96台，经复测，3所学校教室室温均在18℃以上。", "resolved"),
    ("农村学校冬季取暖费用挤占公用经费，取暖费占公用经费支出的比例超过40%。",
     "县财政单独安排学校取暖专项经费380万元，取暖费用不再从公用经费中列支。", "resolved"),
    # new boilers are no answer to who pays the bill
    ("农村学校冬季取暖费用挤占公用经费，取暖费占公用经费支出的比例超过40%。",
     "投入资金860万元对12所农村学校燃煤锅炉实施煤改电改造，已全部投入使用。", "not_addressed"),
    # money budgeted but not paid: a larger budget next year says nothing of the payment
    ("乡镇学校校车运营补助拨付不及时，2023年预算安排补助经费260万元，截至10月底实际拨付118万元。",
     "县政府将校车运营补助纳入年度预算，2024年安排补助经费300万元，比上年增加40万元。", "not_addressed"),
    ("乡镇学校校车运营补助拨付不及时，2023年预算安排补助经费260万元，截至10月底实际拨付118万元。",
     "截至2023年12月，全年校车运营补助260万元已全部拨付到位。", "resolved"),
    # funds not assured, with what was paid against the budget in the problem's explanation
    ("学校安保经费保障不到位，2023年县级预算安排安保经费90万元，实际到位仅41万元。",
     "县教育局为全县学校配备专职保安112名，配齐防暴器械和一键报警装置。", "not_addressed"),
    # a mechanism problem with the money named later: the mechanism answers it
    ("学生资助工作机制不健全，部分学校资助资金发放滞后。",
     "县教育局出台《学生资助工作管理办法》，建立资助对象月度比对机制。", "resolved"),
    # a school of under 100 pupils is a 小规模学校 (国办发〔2018〕27号); a layout plan answers its 布局
    ("生源减少，5所小学在校生不足100人，仍按完全小学配置管理人员，尚未制定学校布局优化方案。",
     "区政府审议通过《义务教育学校布局优化方案》，5所小规模学校中已有3所并入邻近学校，其余2所计划于明年暑期前完成合并。",
     "in_progress"),
    # children of school age not enrolled are the 控辍保学 work, whatever the words
    ("适龄儿童入学核查不彻底，3个乡共有未入学适龄儿童9人。",
     "逐户核查后，9名未入学适龄儿童已全部劝返入学，建立一人一案跟踪台账。", "resolved"),
    # one aspect of a subject named first (rectify_terms.yaml `aspects`): new alarm buttons say nothing
    # of their link to the police, more supervisors nothing of their visits, new beds nothing of house parents
    ("一键式紧急报警装置与公安机关联网率偏低，全县仅有41%的学校实现联网。",
     "为全县86所学校更换一键式紧急报警按钮，并对各校值班人员开展了操作培训。", "not_addressed"),
    ("一键式紧急报警装置与公安机关联网率偏低，全县仅有41%的学校实现联网。",
     "全县86所学校的一键式紧急报警装置已全部接入县公安局110指挥中心。", "resolved"),
    ("责任督学到校督导频次不足，2023年督学人均到校督导不足每月1次。",
     "区政府新增聘任责任督学9名，督学总数达到35名，每名督学联系学校由6所降至4所。", "not_addressed"),
    ("寄宿制学校生活教师配备不足，12所寄宿制学校由任课教师轮流兼管学生宿舍。",
     "新建学生宿舍楼2栋，新增床位480张，12所寄宿制学校全部实现寄宿生一人一床。", "not_addressed"),
    ("寄宿制学校生活教师配备不足，12所寄宿制学校由任课教师轮流兼管学生宿舍。",
     "通过政府购买服务为12所寄宿制学校配备专职生活教师31名，任课教师不再兼管宿舍。", "resolved"),
    # how often home teaching visits come, reports made public, subsidy rates graded by remoteness: pupils
    # enrolled, reports sent to the leaders, a subsidy paid in full say nothing of them
    ("送教上门频次不足、质量不高，全县48名送教上门学生中有15人一学期送教不足4次。",
     "（三）特殊教育\n48名送教上门学生全部纳入学籍管理，按每生每年6000元标准拨付特殊教育生均公用经费，送教上门工作得到加强。",
     "not_addressed"),
    ("送教上门频次不足、质量不高，全县48名送教上门学生中有15人一学期送教不足4次。",
     "（三）特殊教育\n送教上门实行每月2次固定安排，48名送教上门学生2024年人均接受送教20次，送教内容以康复训练和文化教学为主。",
     "resolved"),
    ("督导结果未向社会公开，2023年开展的5项专项督导报告只在系统内部印发。",
     "（二）督导结果运用\n5项专项督导报告均按规定报送县委、县政府主要领导，并印发各乡镇和学校，督导结果运用得到加强。",
     "not_addressed"),
    ("乡村教师生活补助未实行差别化发放，偏远学校与近郊学校执行同一标准。",
     "认真落实乡村教师生活补助政策，2024年共发放乡村教师生活补助资金367万元，实现应发尽发。", "not_addressed"),
    ("乡村教师生活补助未实行差别化发放，偏远学校与近郊学校执行同一标准。",
     "乡村教师生活补助按学校所在地分三档发放：乡镇中心校每人每月300元，村小500元，教学点700元。", "resolved"),
    # … nor does an admission of another aspect (upkeep; how temporary teachers are managed) admit this one again
    ("临聘教师同工不同酬，临聘教师年均收入仅为在编教师的45%。",
     "出台《临聘教师薪酬管理办法》，自2024年1月起临聘教师薪酬按在编教师同岗位标准的85%核定发放。\n"
     "二、存在问题\n临聘教师管理仍不够规范，部分学校临聘教师流动仍较频繁。", "resolved"),
    ("一键式紧急报警装置联网不全，全县有21所学校的报警装置未与公安机关联网。",
     "全县21所学校的一键式紧急报警装置已全部接入县公安局110指挥中心，经逐校测试均能一键直达。\n"
     "二、存在问题\n部分学校一键式紧急报警装置日常维护保养仍不到位，个别装置按钮损坏未及时更换。", "resolved"),
    # teachers holding a certificate: more teachers hired say nothing of it
    ("全县中小学心理健康教育教师中取得心理健康教育教师资格证书（C证）的仅占31%，专业能力不足。",
     "面向社会公开招聘心理健康教育专业教师14名，全县中小学专职心理健康教育教师配备率达到100%。", "not_addressed"),
    ("全县中小学心理健康教育教师中取得心理健康教育教师资格证书（C证）的仅占31%，专业能力不足。",
     "组织心理健康教育教师参加C证培训考核，全县中小学心理健康教育教师持证比例提高到92%。", "resolved"),
    ("全县中小学心理辅导室建成率仅为58%，已建成的辅导室面积不足、功能分区不全。",
     "公开招聘心理学专业毕业生12名，全县中小学专职心理健康教育教师配备率达到100%。", "not_addressed"),
    ("全县中小学心理辅导室建成率仅为58%，已建成的辅导室面积不足、功能分区不全。",
     "新建和改造心理辅导室31间，全县中小学心理辅导室建成率达到100%，均按指南设置个体辅导和团体辅导区。", "resolved"),
    # spending per pupil fallen: the total's growth says nothing of it; per-pupil figures (in 元) do
    ("“两个只增不减”未落实，2023年全县按在校学生人数平均的一般公共预算教育支出中，初中阶段较上年下降2.6%。",
     "2024年全县一般公共预算教育支出6.12亿元，较上年增长8.4%，占一般公共预算支出的比例为19.1%。", "not_addressed"),
    ("“两个只增不减”未落实，2023年全县按在校学生人数平均的一般公共预算教育支出中，初中阶段较上年下降2.6%。",
     "2024年全县初中阶段一般公共预算教育支出为每生16,480元，较上年增长5.2%，实现“两个只增不减”。", "resolved"),
])
def test_what_answers_which_aspect(problem, report, status):
    """Winter heating's plant and its bill; money paid, not budgeted; small schools and children not
    enrolled by other names; one aspect of a subject (linked to the police, visits, house parents)."""
    assert _judge(problem, "一、整改情况\n" + report + "\n")["status"] == status


def test_an_item_that_cannot_yet_be_closed_is_not_complete():
    out = _judge("县级未设立学生心理健康教育指导中心，无专职心理健康教育教研员。",
                 "一、整改情况\n专职心理健康教育教研员尚未到位，本项暂不能销号。\n")
    assert out["status"] == "persists"


def test_what_was_left_paid_in_an_earlier_year_is_done():
    # 将 before a year earlier than the report's own is the 将 of 把, not a promise; "剩余…全部拨付" is the rest paid
    out = _judge("普惠性民办幼儿园补助资金拨付滞后，截至11月底实际拨付1150万元，拨付率仅为47.9%。",
                 "一、整改情况\n区财政局于2023年12月下旬将2023年度剩余的普惠性民办幼儿园补助资金1250万元全部拨付到园。\n\n"
                 "某区人民政府\n2024年12月10日\n")
    assert out["status"] == "resolved"
    from dudao.rectify.match import past_dates_out
    assert "2022年" not in past_dates_out("区财政局于2022年12月中旬将2022年春季学期补助全额拨付各校", (2023, 11))
    assert "2023年底前" in past_dates_out("剩余补助将于2023年底前拨付", (2023, 11))   # a promise this year


def test_the_rest_put_to_another_use_is_no_remainder():
    out = _judge("教师周转宿舍不足，24名援派教师在校外租房。",
                 "一、整改情况\n建成教师周转宿舍30套，原在校外租房的24名援派教师已全部入住，其余6套作为新进教师过渡用房。\n")
    assert out["status"] == "resolved"


@pytest.mark.parametrize("text,left", [
    ("2024年秋季学期起按新标准发放，并补发了2024年春季学期的差额部分，共计318万元。", False),   # paid, verb first
    ("对2023年度未达标的差额部分进行了补发，人均补发2600元。", False),
    ("差额部分将纳入2025年预算分两年补发。", True),
    ("其余29人已于2024年8月前全部调整至保育岗位。", False),                 # the rest done by a past date
    ("剩余11名学生已于2023年12月前全部劝返复学。", False),
    ("剩余2处D级危房已全部拆除。", False),                                 # the rest all done
    ("剩余2处D级危房已列入拆除计划。", True),
    ("剩余420万元已列入2025年预算调整方案，年底前拨付到位。", True),          # listed in a budget: still to pay
])
def test_what_is_left_told_done_is_no_remainder(text, left):
    from dudao.rectify.match import remains
    assert remains(text) is left


@pytest.mark.parametrize("problem,report", [
    ("在编教师被长期抽调，县直部门抽调中小学在编教师18人在机关工作。",
     "被抽调至县直部门工作的18名在编教师已全部回原单位任教。"),
    ("以考试成绩排名评价学校的现象仍然存在，区教育局按学校平均分排序通报。",
     "区教育局停止区级期末统考，学业质量监测结果只向学校反馈，不公开、不排名。"),
    ("学区划分调整滞后，3个新建小区至今未明确对口学校。",
     "区政府批复学区划分调整方案，3个新建小区已分别明确对口小学和初中。"),
    ("对口援藏教师作用发挥不够，部分援藏教师未承担满工作量教学任务。",
     "在岗的援藏教师全部回归教学一线，人均周课时达到14节。"),
])
def test_topics_named_in_other_words_answer(problem, report):
    assert _judge(problem, "一、整改情况\n" + report + "\n")["status"] == "resolved"


@pytest.mark.parametrize("text,topic", [
    ("向9所学校各派驻1名全科护士，校医室改为标准医务室", "school_health"),
    ("小学生在校日均户外活动时间由1.2小时提高到1.7小时", "myopia"),                 # 近视防控 2018
    ("更换灯具并加装黑板灯，黑板照度全部达标", "myopia"),
    ("2所学校教学楼已完成抗震加固", "buildings"),                                   # GB 50223 重点设防类
    ("农村中小学生机比由16:1提高到9:1，教师实现人手一机", "informatization"),
    ("试行课间15分钟，学生课间可自由到操场活动", "physical_health"),
])
def test_words_of_a_topic(text, topic):
    from dudao.rectify.terms import topics_in
    assert topic in topics_in(text)["concept"]


def test_the_whole_citys_figure_is_not_the_city_own_budgets():
    problem = "市本级教育投入下降，2023年市本级一般公共预算教育支出7.12亿元，较上年下降3.6%。"
    whole = "2024年全市一般公共预算教育支出58.4亿元，较上年增长5.2%。"
    own = "2024年市本级一般公共预算教育支出7.65亿元，较上年增长7.4%。"
    admitted = "\n二、存在问题\n市本级财力紧张，教育投入仍然不足。\n"
    out = _judge(problem, "一、主要做法\n" + whole + admitted)
    assert out["status"] == "persists" and out["figures"] == []   # 58.4亿元 is not the 市本级's now
    assert _judge(problem, "一、主要做法\n" + whole + "\n")["status"] == "not_addressed"
    out = _judge(problem, "一、主要做法\n" + own + "\n")
    assert out["status"] == "resolved" and [f["after"] for f in out["figures"]] == [7.65, 7.4]


def test_how_fit_pupils_are_and_how_the_test_is_run_answer_different_problems():
    low = "学生体质健康水平偏低，2023年国家学生体质健康标准测试优良率为38.6%，低于50%的目标。"
    run = "组织全县中小学开展体质健康测试，测试数据上报率达到100%，测试结果在校内公示。"
    better = "2024年全县学生体质健康测试优良率提高到52.3%。"
    assert _judge(low, "一、主要做法\n" + run + "\n")["status"] == "not_addressed"
    assert _judge(low, "一、主要做法\n" + better + "\n")["status"] == "resolved"
    inflated = "学生体质健康测试数据质量不高，抽测复核发现部分学校上报数据与复测结果差异较大。"
    assert _judge(inflated, "一、主要做法\n" + better + "\n")["status"] == "not_addressed"


def test_work_serving_counted_students_is_no_answer_for_teachers():
    from dudao.rectify.match import serves_the_same
    assert not serves_the_same("teachers", "组织1100余名中职学生到合作企业开展岗位实习")
    assert serves_the_same("teachers", "组织86名专业课教师到合作企业开展实践")
    assert not serves_the_same("students", "为320名新任教师开展岗前培训")


@pytest.mark.parametrize("text", ["要求于2026年秋季学期结束前整改到位", "2026年春季开学前全部到岗", "已纳入2027年政府采购计划",
                                  "列入县财政2026年、2027年预算分两年补足"])
def test_deadline_forms(text):
    from dudao.rectify.terms import terms
    cues = terms().cues
    assert cues["dated"].search(text) or cues["ongoing"].search(text)


def test_the_rest_told_after_a_breakdown_is_in_progress():
    out = _judge("控辍保学工作不扎实，建档立卡家庭适龄子女中仍有辍学学生56人。",
                 "一、整改情况\n截至目前，全县已劝返复学辍学学生48人，其中随班就读41人，送教上门5人，职业学校就读2人；"
                 "其余8名学生随父母在外省居住，正在联系就读地教育部门动员，要求于秋季开学后一个月内全部落实。\n")
    assert out["status"] == "in_progress"


@pytest.mark.parametrize("problem,done", [
    ("乡镇公办中心幼儿园建设滞后，全县8个乡镇中有4个乡镇没有公办中心幼儿园。",
     "原来没有公办中心幼儿园的4个乡镇中，已有3个乡镇的公办中心幼儿园建成并开始招生。"),
    ("校舍安全隐患突出，全县尚有D级危房4栋，其中2栋仍作为学生宿舍使用。",
     "截至目前，4栋D级危房中已拆除3栋，面积2,460平方米。"),   # a verb after 已
])
def test_part_of_a_counted_whole_done_is_in_progress(problem, done):
    assert _judge(problem, "一、整改情况\n" + done + "\n")["status"] == "in_progress"


@pytest.mark.parametrize("when,status", [("于2022年8月底前全部偿还", "resolved"),
                                         ("拟于2023年8月底前全部偿还", "in_progress")])
def test_a_date_before_the_report_is_work_done(when, status):
    out = _judge("普通高中债务负担较重，县一中新校区建设债务6800万元尚未化解。",
                 f"一、整改情况\n县政府通过专项债券置换和预算安排，{when}县一中新校区建设债务6800万元。\n"
                 "某县人民政府\n2022年11月20日\n")
    assert out["status"] == status


def test_a_promised_rise_is_work_to_come():
    out = _judge("教师交流轮岗制度落实不到位，县城学校教师到农村学校交流的比例仅为2.1%。",
                 "一、整改情况\n县城学校教师到农村学校交流比例将提高到10%以上，2017年秋季学期起实行。\n"
                 "某县人民政府\n2017年5月10日\n")
    assert out["status"] == "in_progress"


def test_meetings_and_exhortation_only_answer_nothing():
    out = _judge("学生欺凌防治工作机制不健全，部分学校未成立学生欺凌治理委员会。",
                 "一、整改情况\n区教育局召开专题会议，研究部署学生欺凌防治工作，要求各学校提高思想认识，压紧压实主体责任。\n")
    assert out["status"] == "not_addressed"


def test_a_measures_heading_telling_what_they_achieved_heads_work_done():
    out = _judge("学前教育资源不足，全县学前三年毛入园率仅为62%。",
                 "一、主要整改措施及成效\n新建、改扩建乡镇中心幼儿园9所，全县学前三年毛入园率达到92.5%。\n")
    assert out["status"] == "resolved"


@pytest.mark.parametrize("rest,status", [
    ("其余89处因地处偏远，已纳入2025年汛期前完成的计划。", "in_progress"),
    ("宣传教育方面，其余89场专题讲座已纳入2025年汛期前完成的计划。", "resolved"),
    ("在安全教育上，其余89场专题讲座已纳入2025年汛期前完成的计划。", "resolved")])   # another part too
def test_the_rest_later_in_the_paragraph(rest, status):
    out = _judge("学生防溺水工作存在薄弱环节，部分危险水域未设置警示标志和防护设施。",
                 "一、整改情况\n全面排查全县河流、山塘等水域，在312处重点危险水域全部设置警示标志、防护栏和救生设施。"
                 + rest + "\n")
    assert out["status"] == status


def test_the_letter_cited_is_no_answer():
    out = _judge("对乡镇人民政府履行教育职责的督导评价工作尚未开展，教育督导结果运用不充分。",
                 "一、整改情况\n2020年10月，市政府教育督导委员会办公室印发了《关于某县2019年度履行教育职责评价情况的"
                 "督导意见书》（某教督〔2020〕11号），指出了我县在教育投入、督导评价、督导结果运用等方面的5个问题。\n")
    assert out["status"] == "not_addressed"


def test_town_work_is_no_answer_to_a_problem_of_the_country_named_after_its_first_clause():
    out = _judge("校园安全人防建设不均衡，农村学校专职保安员配备率仅为68%。",
                 "一、整改情况\n实施护校安园专项行动，全市城区学校专职保安员配备率达到100%。\n")
    assert out["status"] == "not_addressed"


@pytest.mark.parametrize("rest", [
    "上述3所学校计划于明年秋季开学前全部配齐宿管人员。",            # pointing back
    "14所寄宿制学校中，已有11所实现夜间专人值守，其余3所受编制制约，计划于2026年春季学期前配齐。"])  # part of a whole
def test_the_rest_pointing_back_later_in_the_paragraph(rest):
    out = _judge("寄宿制学校生活管理人员不足，多数学校由任课教师兼任宿舍管理，夜间值守无专人。",
                 "一、整改情况\n县政府通过购买服务方式为寄宿制学校招聘生活管理员38名，任课教师不再兼任宿舍管理工作。"
                 + rest + "\n")
    assert out["status"] == "in_progress"


def test_still_being_recruited_is_under_way():
    out = _judge("乡村学校专职心理健康教师配备不足，全县仅有专职心理教师4名。",
                 "一、整改情况\n全县乡村学校专职心理健康教师尚在招聘之中。\n")
    assert out["status"] == "in_progress"


def test_those_not_yet_reached_counted_are_a_remainder():
    out = _judge("控辍保学任务较重，全县有疑似辍学学生19名未劝返。",
                 "一、整改情况\n全县已劝返复学疑似辍学学生15名。\n二、下一步工作\n"
                 "对尚未劝返的4名学生，继续落实“一人一案”，力争明年春季开学前全部返校。\n")
    assert out["status"] == "in_progress"


def test_a_routine_date_is_no_deadline():
    out = _judge("义务教育教师平均工资收入低于当地公务员，差额未补足。",
                 "一、整改情况\n县财政已补发义务教育教师工资差额1260万元，全县义务教育教师平均工资收入已高于当地公务员。"
                 "县人社局每年年底前开展一次工资收入核算比较。\n")
    assert out["status"] == "resolved"


def test_the_standard_the_letter_cites_comes_before_the_national_one():
    # 85% is the national aim for 学前三年毛入园率 in standards.yaml; the letter holds the county to 75%
    out = _judge("学前教育资源短缺，全县学前三年毛入园率为66.2%，低于省学前教育行动计划提出的75%的目标。",
                 "一、整改情况\n新建公办幼儿园6所，全县学前三年毛入园率由66.2%提高到78.4%。\n")
    assert out["status"] == "resolved" and out["figures"][0]["standard"] == 75.0


@pytest.mark.parametrize("measure,status", [("完善责任督学管理制度", "not_addressed"),
                                            ("新聘兼职责任督学16名，挂牌督导覆盖全部学校", "resolved")])
def test_a_ledger_row_marked_done_needs_something_done(measure, status):
    out = _judge("责任督学挂牌督导覆盖不全，仍有16所学校未挂牌督导。",
                 "附件：整改台账\n| 序号 | 反馈问题 | 整改措施 | 责任单位 | 完成情况 |\n"
                 f"| 1 | 责任督学挂牌督导覆盖不全 | {measure} | 县政府教育督导室 | 已完成 |\n")
    assert out["status"] == status


def test_a_domain_listed_among_the_subjects_is_no_aspect():
    # 体育 is one item of the subjects the problem lists, not a second topic an answer must name
    out = _judge("音乐、体育、美术等学科教师结构性缺员，农村小学艺术课程开齐率仅为76%。",
                 "一、存在的问题\n紧缺学科教师结构性短缺问题依然突出，村小仍由其他学科教师兼课。\n")
    assert out["status"] == "persists"


def test_an_admission_after_a_lead_in_colon_is_its_own_passage():
    # the evidence is the item admitted, not the lead-in claiming the feedback's problems solved
    out = _judge("农村学校专职保安配备不足，部分学校由教师兼任门卫。",
                 "五、存在的困难\n经过一年整改，督导评估反馈的问题得到较好解决，但仍存在一些薄弱环节：一是农村学校专职保安配备仍不到位，"
                 "部分学校依旧由教师兼任门卫；二是学前教育保教质量有待提高。\n")
    assert out["status"] == "persists" and out["evidence"][0]["quote"].startswith("一是")


def test_an_item_by_item_report_answers_under_the_item():
    # the item's own fields answer it, though they do not name its topic again
    out = _judge("普惠性民办幼儿园生均财政补助未足额落实，2023年应拨付补助资金312万元，实际仅拨付120万元。",
                 "一、整改落实情况\n问题1：普惠性民办幼儿园生均补助未足额落实\n责任单位：县财政局、县教育体育和科技局\n"
                 "整改措施：纳入年初预算，每学期开学后一个月内拨付。\n完成情况：正在推进。\n"
                 "已补拨2023年欠拨资金130万元，剩余62万元已列入2025年县级预算，计划于2025年6月底前拨付到位。\n"
                 "问题2：县特殊教育学校生均公用经费偏低\n责任单位：县财政局\n完成情况：已完成。\n")
    assert out["status"] == "in_progress"
    assert any("剩余62万元" in e["quote"] for e in out["evidence"])


def test_a_target_for_a_year_to_come_is_under_way():
    out = _judge("义务教育学校校长教师交流制度尚未建立，城乡师资差距较大。",
                 "一、整改情况\n区政府出台校长教师交流实施办法，交流比例已由0提高到4.2%，按规划到2026年达到10%。\n"
                 "某区人民政府\n2024年11月8日\n")
    assert out["status"] == "in_progress"


def test_the_bound_of_what_is_counted_is_no_count():
    # "66人以上" bounds the 超大班额 counted; an average class size of 44.2人 is not what is left of it
    out = _judge("城区大班额问题突出，全县仍有56人以上大班额41个，其中66人以上超大班额6个。",
                 "一、整改情况\n新建城北小学投入使用，全县56人以上班级已全部消除，初中平均班额降至44.2人。\n")
    assert out["status"] == "resolved"
    assert not any(r["before"] in (56.0, 66.0) for r in out["figures"])


def test_a_fall_the_letter_asks_for_keeps_its_sign():
    out = _judge("近视防控成效不明显，全县儿童青少年总体近视率为53.1%，较上年上升0.6个百分点，未完成每年降低0.5个百分点以上的目标。",
                 "一、整改情况\n2024年全县儿童青少年总体近视率为51.9%，比上年下降1.2个百分点。\n")
    assert out["status"] == "resolved"


def test_the_size_of_a_kind_of_education_is_not_a_schools_size():
    out = _judge("民办义务教育规模偏大，全区民办义务教育学校在校生占比为18.6%。",
                 "一、整改情况\n全区民办义务教育学校在校生占比由18.6%下降至11.4%，力争2026年秋季降至10%以下。\n"
                 "某区人民政府\n2025年10月9日\n")
    assert out["status"] == "in_progress"


def test_a_register_not_matching_pupils_is_dropout_work():
    out = _judge("控辍保学基础工作薄弱，全县有47名学生存在“人籍分离”现象。",
                 "三、存在的问题\n学籍管理基础仍然薄弱，“人籍分离”学生中仍有9人去向没有核实清楚。\n")
    assert out["status"] == "persists"


def test_what_is_not_yet_done_told_next_is_the_rest():
    out = _judge("音乐、美术等学科专任教师短缺，农村小学缺口35人。",
                 "一、整改情况\n2025年公开招聘音乐、美术教师19名，全部分配到农村小学；"
                 "尚未补齐的岗位暂由城区学校教师走教承担，计划2026年秋季学期前全部补齐。\n"
                 "某县人民政府\n2025年12月1日\n")
    assert out["status"] == "in_progress"


def test_part_of_a_whole_named_by_examples_is_in_progress():
    out = _judge("乡镇公办中心幼儿园有园无师，新建的9所幼儿园中有5所未能开园。",
                 "一、整改情况\n原未开园的5所幼儿园中，河口镇中心幼儿园、石桥乡中心幼儿园等3所已于2025年9月开园招生。\n")
    assert out["status"] == "in_progress"


def test_a_line_only_of_what_will_be_done_is_no_answer():
    out = _judge("中职学校专业设置与县域产业契合度不高，“双师型”教师比例仅为27%。",
                 "三、下步打算\n县职业中学将进一步优化专业设置，加强“双师型”教师队伍建设，提升服务县域经济能力。\n")
    assert out["status"] == "not_addressed"


def test_a_standard_still_some_way_off_is_not_met():
    out = _judge("作业总量控制不到位，全县初中学生书面作业完成时间超过90分钟的占比达41%。",
                 "一、整改情况\n第二轮问卷显示，初中学生书面作业完成时间超过90分钟的比例由41%下降到17.6%，"
                 "但距离全面达标仍有差距，县教育局将每学期开展一次作业时长监测。\n")
    assert out["status"] == "in_progress"


def test_each_standard_read_by_the_words_nearest_it():
    # "未达到小学不高于0.65": 不高于 holds the figure, not 达到
    out = _judge("校际均衡差异系数超标，全县小学综合差异系数为0.72，初中综合差异系数为0.61，分别未达到小学不高于0.65、"
                 "初中不高于0.55的标准。",
                 "一、整改情况\n2024年全县小学综合差异系数为0.58，初中综合差异系数为0.49，校际差距明显缩小。\n")
    assert [(r["standard"], r["verdict"]) for r in out["figures"]] == [(0.65, "resolved"), (0.55, "resolved")]
    assert out["status"] == "resolved"


def test_a_share_named_by_its_sentence_in_the_latest_text():
    april = "一、整改情况\n通过扩大公办学校招生规模，随迁子女在公办学校就读比例提高到82.6%。\n某区人民政府\n2025年4月10日\n"
    october = ("一、主要工作\n全区义务教育阶段随迁子女2.41万人，其中在公办学校就读2.11万人，占比87.6%。\n"
               "某区人民政府\n2025年10月20日\n")
    out = _judge("随迁子女在公办学校就读比例偏低，仅为78.4%，低于全市85.2%的平均水平。",
                 [("april.txt", april), ("october.txt", october)])
    assert [(r["after"], r["verdict"]) for r in out["figures"]] == [(87.6, "resolved")]
    assert out["status"] == "resolved"


def test_the_next_item_of_an_admitted_list_is_its_own_passage():
    out = _judge("班主任工作激励不足，班主任津贴仍执行多年前的标准，每人每月300元。",
                 "三、存在的问题\n一是城乡教育质量差距依然较大；二是班主任津贴标准调整尚未落地，班主任待遇偏低的问题依然存在。\n")
    assert out["status"] == "persists"
    assert [e["quote"] for e in out["evidence"]] == ["二是班主任津贴标准调整尚未落地，班主任待遇偏低的问题依然存在。"]


def test_a_figure_held_to_an_average_the_letter_does_not_give():
    # 95.3% meets the national 95%, but the letter's yardstick was the province's average, which the
    # report says is still not reached
    out = _judge("控辍保学动态监测机制不健全，九年义务教育巩固率为94.1%，低于全省平均水平。",
                 "三、存在的问题\n动态监测难度大，2024年九年义务教育巩固率为95.3%，虽较上年有所提高，但仍低于全省平均水平。\n")
    assert [r.get("verdict") for r in out["figures"]] == [None]
    assert out["status"] == "persists"


def test_the_letters_own_benchmark_before_a_later_national_one():
    # the letter held 2013's spending to the 700元 benchmark of its time, not today's 800元
    out = _judge("生均公用经费拨付不足额，2013年全县初中生均公用经费实际拨付620元，低于中西部地区初中每生每年700元基准定额。",
                 "一、整改情况\n2014年起，全县初中生均公用经费按每生每年700元足额拨付到校。\n")
    assert [(r["standard"], r["verdict"]) for r in out["figures"]] == [(700.0, "resolved")]


def test_a_ledger_row_naming_only_the_problem_and_its_units_says_nothing():
    out = _judge("学校安全隐患排查整治闭环管理不到位，部分隐患整改久拖未决。",
                 "三、整改台账\n| 序号 | 问题 | 责任单位 | 进度 | 成效 |\n"
                 "| 3 | 学校安全隐患排查整治闭环管理 | 区教育局、区应急管理局 | 已完成 | 已整改到位 |\n")
    assert out["status"] == "not_addressed"


@pytest.mark.parametrize("rule", ["明确每年12月对两支队伍年人均工资收入进行比对，差额部分纳入教师奖励性绩效工资同步发放",
                                  "差额部分，上半年已拨付到位"])
def test_a_difference_paid_by_a_rule_or_already_paid_is_no_remainder(rule):
    report = "一、整改情况\n县政府印发《关于建立义务教育教师工资收入与公务员工资收入联动机制的通知》，" + rule + "。\n"
    assert _judge("义务教育教师年平均工资收入低于当地公务员年平均工资收入约4,600元。", report)["status"] == "resolved"


def test_a_space_separated_ledger_row_restating_the_problem_in_its_own_words_says_nothing():
    # a cleaned pdf's row: the problem shortened, the units, "立行立改" and "已完成，已销号"
    out = _judge("学校食堂陪餐和食品留样制度落实不到位，抽查的12所学校中有8所无校领导陪餐记录。",
                 "三、整改台账\n序号 问题 责任单位 整改时限 完成情况\n"
                 "5 食堂陪餐和留样制度落实不到位 县教育局、县市场监管局 立行立改 已完成，已销号\n")
    assert out["status"] == "not_addressed"


def test_a_ledger_row_marked_done_is_no_admission():
    out = _judge("教师工资收入保障联动机制尚未建立，年度比对核算未制度化。",
                 "四、存在的问题\n| 序号 | 问题 | 责任单位 | 进度 | 成效 |\n"
                 "| 2 | 教师工资收入保障联动机制 | 区财政局 | 已完成 | 已建立年度比对核算制度，2024年差额已补发 |\n")
    assert out["status"] == "resolved"


@pytest.mark.parametrize("problem,early,late", [
    # the work told complete
    ("语言文字规范化建设不到位，县城仍有5所学校未通过规范化达标建设验收。",
     "未通过语言文字规范化达标建设验收的5所学校中，已有3所完成整改，另外2所计划于2025年6月前完成整改。",
     "县城5所未达标学校均已于2025年6月通过语言文字规范化达标建设市级验收，全部达标。"),
    # the figure meeting the standard
    ("公办幼儿园发展滞后，全县公办园在园幼儿占比为41.2%，低于50%的目标。",
     "新建公办幼儿园5所，全县公办园在园幼儿占比由41.2%提高到47.5%；另有3所公办园正在建设，计划2025年秋季开园。",
     "截至2025年秋季学期，全县公办园在园幼儿占比达到52.6%。")])
def test_a_later_text_telling_the_work_complete_tells_the_state_now(problem, early, late):
    march = "一、整改情况\n" + early + "\n某县人民政府\n2025年3月10日\n"
    december = "一、主要工作\n" + late + "\n某县人民政府\n2025年12月2日\n"
    out = _judge(problem, [("march.txt", march), ("december.txt", december)])
    assert out["status"] == "resolved"
    assert "december.txt" in {e["file"] for e in out["evidence"]}
    assert not any("计划" in e["quote"] for e in out["evidence"])


def test_the_rest_of_other_work_the_paragraph_went_on_to_is_no_remainder():
    out = _judge("部分校舍抗震设防不达标，全县有6所学校的8栋校舍未达到重点设防类标准。",
                 "一、主要工作\n完成校舍抗震加固和拆除重建8栋，未达标的6所学校校舍已全部通过鉴定。完成农村学校清洁取暖改造9所。"
                 "新建学校食堂11所，已于秋季学期投入使用；其余7所学校的食堂建设已列入2026年计划，计划于秋季学期开学前建成。\n")
    assert out["status"] == "resolved"


def test_what_the_money_was_spent_on_is_no_other_topic_under_a_heading_restating_the_problem():
    out = _judge("教育费附加未及时足额划转，2023年征收的2,600万元中有900万元滞留县财政。",
                 "二、关于教育费附加未足额划转的问题\n2024年3月，已将滞留的900万元中的500万元划转至县教育局，"
                 "统筹用于农村学校改薄和教师培训；剩余400万元将在2024年12月底前划转到位。\n"
                 "某县人民政府\n2024年6月5日\n")
    assert out["status"] == "in_progress"


@pytest.mark.parametrize("admit_score,kept", [(6.0, []), (3.0, ["dated"])])
def test_a_later_admission_at_least_as_close_outweighs_an_earlier_schedule(admit_score, kept):
    from dudao.rectify.match import Match, prepare
    from dudao.rectify.status import _superseded
    june = prepare("一、整改情况\n剩余缺额将在2026年教师招聘中统筹补充。\n某区人民政府\n2025年6月9日\n", "june.txt")
    december = prepare("三、存在的问题\n一是体育教师按课时量测算仍有约15名缺口。\n某区人民政府\n2025年12月1日\n",
                       "december.txt")
    pick = lambda doc, word: next(p for p in doc.passages if word in doc.text[p.start:p.end])
    dated = ("dated", Match(june, pick(june, "剩余缺额"), 5.0, []))
    admit = ("admit", Match(december, pick(december, "缺口"), admit_score, []))
    assert [k for k, _ in _superseded([dated, admit]) if k != "admit"] == kept


def test_a_change_starting_from_the_letters_figure_tells_it_now():
    # the letter's figure has no indicator name; the report's "由2.4%提高到" starts from it
    out = _judge("教师培训经费保障不足，学校安排的教师培训经费平均仅占年度公用经费预算总额的2.4%，未达到5%的规定比例。",
                 "一、整改情况\n县财政下达学校公用经费时单列教师培训经费，培训经费占公用经费比例由2.4%提高到4.1%。\n")
    assert out["status"] == "in_progress"
    assert [(f["before"], f["after"], f["standard"]) for f in out["figures"]] == [(2.4, 4.1, 5.0)]


def test_a_level_applied_with_the_word_standard_is_the_letters_figure_not_its_standard():
    out = _judge("普通高中生均公用经费标准偏低，县级仍执行每生每年650元标准，低于省定每生每年900元的最低标准。",
                 "一、整改情况\n县财政将普通高中生均公用经费拨款标准由每生每年650元提高到800元。\n")
    assert out["status"] == "in_progress"
    assert [(f["before"], f["after"], f["standard"]) for f in out["figures"]] == [(650.0, 800.0, 900.0)]


def test_the_rest_done_too_is_no_remainder():
    out = _judge("寄宿制学校冬季取暖条件差，全县14所寄宿制学校中有9所仍使用燃煤小火炉取暖。",
                 "一、整改情况\n原使用燃煤小火炉的9所寄宿制学校全部完成改造，其中3所接入城镇集中供热管网，"
                 "其余6所学校建成空气源热泵供暖系统，全县寄宿制学校全部淘汰燃煤小火炉。\n")
    assert out["status"] == "resolved"


def test_part_time_teachers_are_no_vocational_education_and_outside_the_town_is_country():
    # "专兼职教师" holds the letters 职教; 心理健康教育 is no general 健康教育; 县城以外 is the country
    out = _judge("心理健康教育薄弱，中小学心理健康教育专兼职教师严重不足，县城以外学校均未建立心理辅导室。",
                 "一、整改情况\n2024年在8所乡镇中心学校建成标准化心理辅导室，其余乡村学校的心理辅导室将在2025年内分批建成。\n"
                 "某县人民政府\n2024年12月1日\n")
    assert out["status"] == "in_progress"


def test_a_rate_paid_at_is_this_years_figure():
    out = _judge("义务教育学校公用经费拨付不足，县级按小学每生每年540元、初中每生每年720元拨付，低于国家确定的中西部地区小学600元、"
                 "初中800元基准定额。",
                 "一、整改情况\n从2024年春季学期起，县财政按小学每生每年600元、初中每生每年800元标准足额拨付生均公用经费，"
                 "对寄宿制学校按寄宿生每生每年200元标准增加公用经费补助。\n")
    assert [(r["after"], r["verdict"]) for r in out["figures"]] == [(600.0, "resolved"), (800.0, "resolved")]
    assert out["status"] == "resolved"


def test_a_clause_naming_a_part_of_the_school_in_the_problem_stays_in_its_level():
    out = _judge("特殊教育学校办学条件不足，县特殊教育学校仅开设义务教育阶段培智班，未开设学前部和职业高中部。",
                 "一、整改情况\n（二）特殊教育保障\n县特殊教育学校于2025年3月开设学前康复班2个，招收残疾儿童21名；"
                 "职业高中部已完成教室改造，计划2026年秋季开始招生。\n某县人民政府\n2025年10月9日\n")
    assert out["status"] == "in_progress"


def test_a_mechanism_and_a_gap_paid_are_no_remainder():
    out = _judge("教师工资收入与公务员同步调整的长效机制尚未建立，年度比对核算未制度化。",
                 "一、整改情况\n联合制定《教师工资收入保障联动工作规程》，建立每年第四季度开展教师与公务员工资收入比对核算、"
                 "差额部分纳入次年预算的制度。根据2024年度比对结果，区财政已于2025年3月将差额部分补发到位。\n"
                 "某区人民政府\n2025年9月1日\n")
    assert out["status"] == "resolved"


def test_a_domain_narrowed_by_the_compound_the_problem_names_stays():
    # 经费 within 课后服务经费 in both: the passage is about the problem's own funding
    out = _judge("课后服务经费保障机制尚未建立，教师参与课后服务的补助标准不明确。",
                 "一、整改情况\n县财政局、县教育局联合印发《义务教育学校课后服务经费保障管理办法》，"
                 "县财政按参与学生人数给予生均补助，教师补助按每课时40元发放。\n")
    assert out["status"] == "resolved"


def test_the_rest_told_after_a_sentence_on_other_work_is_still_the_rest():
    # "余下缺口计划于…补足" points back to the gap just told, past a sentence on training
    out = _judge("农村学前双语教师短缺，合格教师缺口240名。",
                 "一、整改情况\n（一）补充学前教师。2015年招聘学前双语教师86名，合格双语幼儿教师缺口由240名降至114名。"
                 "县教师培训中心对在岗幼儿教师开展集中轮训，参训教师520人。余下缺口计划于2016年通过定向培养补足，"
                 "预计2016年8月前全部到岗。\n")
    assert out["status"] == "in_progress"


def test_a_draft_awaiting_approval_is_not_done():
    out = _judge("普通高中生均公用经费拨款制度尚未建立。",
                 "一、整改情况\n区财政局、教育局联合起草《普通高中生均公用经费拨款办法》，已于3月完成征求意见，"
                 "计划报区政府常务会议审议后自秋季学期起执行。\n")
    assert out["status"] == "in_progress"


def test_a_procedure_named_on_the_way_to_an_admission_is_no_closing():
    # "对账销号核验中发现…暂不予销号": the name of the procedure, then the item not closed
    out = _judge("初中艺术课程开设不足，音乐、美术课被挤占。",
                 "一、整改情况\n开展艺术素质测评。但对账销号核验中发现，部分初中毕业年级音乐、美术课仍有被挤占的情况，"
                 "问题存在反复，暂不予销号。\n")
    assert out["status"] == "persists"


def test_the_figure_of_the_whole_not_of_a_part_answers_the_rate():
    out = _judge("学前三年毛入园率为86.7%，低于90%的标准。",
                 "一、整改情况\n新建村级公办园9所。2022年全县学前三年毛入园率达到91.2%，其中山区乡镇平均入园率由78.5%提高到88.9%。\n")
    assert out["status"] == "resolved" and out["figures"][0]["after"] == 91.2


@pytest.mark.parametrize("problem,trap,answer", [
    ("学生资助对象认定不够精准，14名不符合条件的学生享受国家助学金。",
     "全年发放各类学生资助资金2146万元，惠及学生9860人次。",
     "对受助学生家庭经济状况逐一复核，清退不符合认定条件学生14名。"),
    ("教师周转宿舍管理不规范，47套被非教师人员占用。",
     "新建乡村教师周转宿舍120套，统一配备床和热水器。",
     "清理收回被非教师人员占用的周转宿舍47套，全部重新分配给乡村教师。"),
    ("随迁子女入学门槛偏高，需提供6个月以上社会保险缴纳证明。",
     "对家庭经济困难的随迁子女与本地学生同等落实资助政策。",
     "取消社会保险缴纳证明要求，随迁子女凭居住证即可申请入学。"),
    ("区政府教育督导委员会统筹协调作用发挥不够，全年仅召开1次全体会议。",
     "区政府教育督导委员会办公室组织责任督学开展专项督导，全年形成督导报告214份。",
     "区政府教育督导委员会全年召开全体会议4次，成员单位协调解决学校用地等问题12个。"),
    # night duty is an aspect of boarding schools: rebuilt dormitories are no answer
    ("寄宿制学校夜间管理制度不落实，4所学校未落实夜间专人值班。",
     "投入资金500万元改造6所寄宿制学校学生宿舍，更换高低床900张，增设浴室6个。",
     "6所寄宿制学校全部建立夜间值班和定时巡查制度，每晚安排2名教师值班。"),
    # counselling rooms are no answer to psychology teachers
    ("中小学专职心理健康教育教师配备不足，仅31%的学校配备。",
     "全县中小学心理辅导室建成率达到100%，开通心理援助热线。",
     "新招聘专职心理健康教育教师24名，全县中小学均已配备。"),
    # 小学 and 初中 are counted apart in the 优质均衡 indicators
    ("初中校舍面积不足。全区初中生均教学及辅助用房面积为5.1平方米，低于5.8平方米的标准。",
     "新建城南小学，全区小学生均教学及辅助用房面积达到4.9平方米，高于4.5平方米的标准。",
     "新建城南中学，全区初中生均教学及辅助用房面积达到6.0平方米，高于5.8平方米的标准。"),
    # the first clause names no level, the next one names 幼儿园: a passage on 中小学 is no answer
    ("学校食堂从业人员持证上岗不到位。全县幼儿园食堂有23名从业人员未取得健康证明。",
     "开展学校食品安全专项检查，全县中小学食堂从业人员全部取得健康证明后上岗。",
     "开展学校食品安全专项检查，全县幼儿园食堂从业人员全部取得健康证明后上岗。"),
    # how meals are served is an aspect of the nutrition plan: its reach and subsidy are no answer
    ("营养改善计划供餐方式单一，全县仍有19所学校以课间加餐代替食堂供餐。",
     "全县农村义务教育学生营养改善计划惠及学生3.1万人，全年拨付膳食补助资金2400万元。",
     "新建学校食堂19所，原以课间加餐代替的学校全部实现食堂供餐。"),
    # dual-qualified teachers are an aspect of vocational schools
    ("中职学校“双师型”教师比例偏低，仅占专业课教师的27%，低于50%的要求。",
     "县职教中心与本地15家企业签订校企合作协议，新开设订单班3个。",
     "县职教中心新认定“双师型”教师31名，占专业课教师的比例提高到54%。"),
    # the use of classroom devices is an aspect of 信息化: more devices and bandwidth are no answer
    ("农村学校信息化设备应用水平不高，抽查的6所村小中有4所多媒体设备长期闲置。",
     "县财政投入1900万元，为农村学校新增多媒体教室84间，校园网络出口带宽全部提升至100M以上。",
     "建立班班通设备课堂使用登记和月通报制度，原长期闲置设备的4所村小均已实现常态化应用。"),
])
def test_a_passage_on_another_side_of_the_same_work_answers_nothing(problem, trap, answer):
    # the problem singles out one side of a policy area (data/rectify_terms.yaml: its aspects), or one
    # school level, stage or place (levels, stages, areas); the area's other work is no answer
    assert _judge(problem, "一、主要做法\n" + trap + "\n")["status"] == "not_addressed"
    assert _judge(problem, "一、主要做法\n" + trap + "\n" + answer + "\n")["status"] == "resolved"


def test_a_departments_name_names_no_topic():
    from dudao.rectify.terms import topics_in
    # 人社局 holds 社保, 市场监管局 holds 监管: the doer named, not the topic
    found = topics_in("县人力社保局已将其纳入明年事业单位公开招聘计划")
    assert not found["concept"] | found["indicator"]
    assert topics_in("随迁子女入学不再要求提供社保缴纳证明")["concept"]


def test_what_is_still_owed_is_a_remainder():
    out = _judge("中小学教职工缺编问题突出，全县缺编96名。",
                 "一、整改情况\n今年为中小学核增教职工编制60名。对尚余的36名缺口，县人社局已将其列入招聘计划，"
                 "计划于明年秋季学期开学前补充到位。\n")
    assert out["status"] == "in_progress"


def test_a_heading_of_the_other_sector_does_not_answer():
    # the heading restates "大班额" but for 公办 schools: no answer to 民办 schools' large classes
    out = _judge("民办学校大班额问题突出。全区4所民办学校有56人以上班级22个。",
                 "五、化解公办学校大班额\n通过新校分流，全区公办中小学56人以上班级已全部消除。\n")
    assert out["status"] == "not_addressed"


def test_a_claim_of_rectification_naming_nothing_is_no_answer():
    out = _judge("教师周转宿舍被长期占用，未建立退出机制。",
                 "三、关于教师周转宿舍被占用的问题\n已按照上级要求完成整改，具体情况将在年度报告中一并说明。\n")
    assert out["status"] == "not_addressed"


def test_a_measure_led_by_the_problem_it_answers_admits_nothing():
    # "针对…不足的问题，…": last year's shortcoming named as the lead of this year's measure
    from dudao.rectify.status import unrestated
    said = unrestated("针对校医配备不足、保健室不达标的问题，县卫健局与教育局联合制定配备方案。", None)
    assert "不足" not in said and said.endswith("县卫健局与教育局联合制定配备方案。")
    out = _judge("中小学校医配备不足，全县仅有专职校医9名。",
                 "一、整改情况\n针对校医配备不足的问题，县卫健局与教育局联合制定配备方案，"
                 "今年新招聘专职校医21名，全县中小学均已配备校医或保健教师。\n")
    assert out["status"] == "resolved"


def test_a_quota_of_a_plan_is_no_schedule():
    # "招聘计划120名" is how many the plan held, not work to come; "实际到岗" is what came of it
    from dudao.rectify.feedback import extract_problems
    from dudao.rectify.terms import terms
    ongoing = terms().cues["ongoing"]
    assert not ongoing.search("2023年下达公费师范生招聘计划120名，实际到岗114名")
    assert ongoing.search("计划2024年秋季完成") and ongoing.search("计划3年内消除")
    problem = "公费师范生招聘计划完成率低。2022年下达招聘计划80名，实际到岗49名，完成率为61.3%，低于全省平均水平。"
    figs = [f for p in extract_problems("问题清单\n一、" + problem) for f in p["figures"]]
    assert [f.get("role") for f in figs if f["quote"].startswith("实际到岗")] == [None]


def test_a_passage_on_both_stages_answers_either():
    # 中小学, 义务教育, 九年一贯制 name primary and junior school both
    out = _judge("初中校舍面积不足。全区初中生均教学及辅助用房面积为5.1平方米，低于5.8平方米的标准。",
                 "一、整改情况\n新建九年一贯制学校2所，全区中小学校舍面积全部达到省定标准。\n")
    assert out["status"] != "not_addressed"


def test_the_lead_of_a_list_of_shortcomings_admits_nothing():
    # "…取得了阶段性成效，但…仍存在一些不足：" opens the list; only its items admit problems
    from dudao.rectify.match import list_lead
    assert list_lead("经过一年的整改，我县集团化办学取得了阶段性成效，但对照上级要求，仍存在一些不足：")
    assert not list_lead("一是农村学校集团化办学覆盖率仍然偏低。")
    problem = "集团化办学覆盖面偏窄。农村学校集团化办学覆盖率为28.4%，低于50%的目标。"
    report = ("一、整改情况\n新组建教育集团5个，农村学校集团化办学覆盖率由28.4%提高到64.2%。\n"
              "二、存在问题\n经过一年的整改，我县集团化办学和教师管理改革取得了阶段性成效，但对照上级要求，仍存在一些不足：\n"
              "一是教师交流轮岗中骨干教师占比偏低。\n")
    assert _judge(problem, report)["status"] == "resolved"


def test_the_largest_class_is_a_size_not_a_count():
    # "最大班额68人" holds the word 大班额, but it is one class's size: not a count held to zero
    out = _judge("城区小学大班额问题突出，城区4所小学共有56人以上大班额19个，最大班额达68人。",
                 "一、整改情况\n2024年秋季开学后，城区4所小学56人以上大班额全部消除，最大班额降至49人。\n")
    assert out["status"] == "resolved"
    assert all(f["name"] != "最大班额" or f["standard"] != 0.0 for f in out["figures"])


def test_an_item_the_county_cannot_close_persists_whatever_is_scheduled():
    # "本项暂不能销号" beside a date for the rest: the county admits the problem again (rectify_terms.yaml
    # `not_closed`), not work under way
    out = _judge("中小学校舍抗震设防不达标，全县尚有9栋校舍未达到8度抗震设防标准。",
                 "一、整改情况\n9栋不达标校舍中已有6栋完成抗震加固并通过验收。\n"
                 "受入冬停工影响，截至11月底仍有3栋校舍未完成抗震加固，计划2025年5月复工、8月底前完成，本项暂不能销号。\n")
    assert out["status"] == "persists"


def test_the_end_of_another_indicators_change_is_not_this_ones_figure():
    # "提高到42.7%" ends the change of 公办园在园幼儿占比 begun at 31.5%: the share of 普惠 kindergartens
    # is the 83.6% before it, which meets the 80% the letter holds it to
    out = _judge("学前教育普惠程度不高，全县普惠性幼儿园覆盖率为68.3%，低于80%的目标要求。",
                 "一、整改情况\n截至去年底，全县普惠性幼儿园在园幼儿占比达到83.6%，公办幼儿园在园幼儿占比由上年的31.5%提高到42.7%。\n")
    assert [(r["after"], r["verdict"]) for r in out["figures"]] == [(83.6, "resolved")]
    assert out["status"] == "resolved"


def test_the_end_of_the_same_indicators_change_is_its_figure():
    out = _judge("学前教育普惠程度不高，全县普惠性幼儿园覆盖率为68.3%，低于80%的目标要求。",
                 "一、整改情况\n全县普惠性幼儿园覆盖率由上年的68.3%提高到83.6%。\n")
    assert [(r["after"], r["verdict"]) for r in out["figures"]] == [(83.6, "resolved")]


def test_the_rest_of_another_problems_work_later_in_the_paragraph_is_not_this_ones():
    # "其余9人将在…聘任到位" shares 乡村教师 with the subsidy problem but tells the rest of the
    # letter's other problem (高级岗位聘用): the subsidy's own work is done
    letter = ("某县人民政府：\n评价发现以下问题：\n（一）乡村教师生活补助覆盖范围不全，城郊9所村小未纳入发放范围。\n"
              "（二）乡村教师高级岗位聘用不足，取得高级职称资格的乡村教师未能及时聘用。\n请于明年六月底前整改。\n")
    report = ("一、整改情况\n从今年1月起，城郊9所村小全部纳入乡村教师生活补助发放范围，107名教师按月领取补助。"
              "县人社局统筹调剂专业技术高级岗位，已为19名取得高级职称资格的乡村教师办理聘用手续，"
              "其余9人将在明年6月岗位聘期调整时全部聘任到位。\n")
    first, second = follow(extract_problems(letter), [("r.txt", report)])
    assert first["status"] == "resolved"
    assert second["status"] == "in_progress"


def test_a_dated_step_of_another_problem_is_no_second_part_of_this_one():
    # the problem's second clause names 教师招聘; the dated recruitment of PE teachers elsewhere in
    # the report has more of the letter's other problem's words: not this problem's second part
    letter = ("某区人民政府：\n评价发现以下问题：\n（一）专职心理健康教育教师配备不足，全区46所中小学中仅有19所配备专职心理健康教育教师，"
              "教师招聘补充不及时。\n（二）农村小学体育教师短缺，体育课由其他学科教师兼任。\n请于明年六月底前整改。\n")
    report = ("一、整改情况\n截至9月，全区46所中小学校均已配备1名以上专职心理健康教育教师。\n"
              "二、其他工作\n全区尚余农村小学体育教师缺口22名，已列入明年教师招聘计划，计划于明年秋季学期开学前到岗。\n")
    assert follow(extract_problems(letter), [("r.txt", report)])[0]["status"] == "resolved"


def test_the_rest_pointing_back_to_another_problems_work_is_not_this_ones():
    # "其余8所山区教学点…" goes on from the appointment of 法治副校长, the letter's other problem (the
    # rules alone take that sentence in as a mention; the verifier sets it aside, and then the rest
    # pointing back to it is no remainder of the charters)
    from dudao.rectify.match import Match, prepare
    from dudao.rectify.status import _points_to_anothers
    letter = ("某县人民政府：\n评价发现以下问题：\n（一）学校章程修订滞后，全县132所中小学（含教学点）中有47所章程未按新要求修订。\n"
              "（二）法治副校长聘任不全，部分学校和教学点未聘任法治副校长。\n请于明年六月底前整改。\n")
    problems = extract_problems(letter)
    doc = prepare("一、整改情况\n截至6月，全县132所中小学（含教学点）新修订章程全部通过县教育局核准。"
                  "县教育局会同县公安局为124所学校和教学点聘任了法治副校长。"
                  "其余8所山区教学点的聘任手续正在办理，预计年底前全部完成。\n", "r.txt")
    done, appointed, rest = (Match(doc, p, 1.0, []) for p in doc.passages if not p.heading)
    texts = tuple(p["text"] for p in problems)
    assert _points_to_anothers(problems[0], rest, [("complete", done)], texts)
    assert not _points_to_anothers(problems[1], rest, [("complete", appointed)], texts)
    assert not _points_to_anothers(problems[0], done, [], texts)   # points back to nothing


def test_another_problem_admitted_beside_this_ones_work_done():
    # the 存在问题 line on canteen buildings shares 食堂 with the health-certificate problem but is
    # the letter's other problem admitted again
    letter = ("某县人民政府：\n评价发现以下问题：\n（一）食堂从业人员管理不规范，12名食堂从业人员未取得健康证明即上岗。\n"
              "（二）学校食堂建设标准不高，部分食堂面积不足、功能分区不合理。\n请于明年六月底前整改。\n")
    report = ("一、整改情况\n对12名未取得健康证明的食堂从业人员全部停岗体检，9人办理健康证明后重新上岗，3人调离食堂岗位。\n"
              "二、存在问题\n一是部分学校食堂建设标准不高，面积不足、功能分区不合理的问题仍然存在。\n")
    first, second = follow(extract_problems(letter), [("r.txt", report)])
    assert first["status"] == "resolved"
    assert second["status"] == "persists"


def test_staff_of_the_problems_own_body_are_no_other_topic():
    # "完成专职人员选调4名" is the new centre's staff, not 校外培训 law enforcement: the clause and the
    # dated rest after it stay in the passage about the centre
    out = _judge("学生心理健康服务体系不健全，县级学生心理健康教育指导中心尚未成立。",
                 "一、整改情况\n县委编办已批复设立县学生心理健康教育指导中心，挂靠县教师发展中心，完成专职人员选调4名；"
                 "中心场地装修正在施工，预计明年3月底完工并对外提供服务。\n")
    assert out["status"] == "in_progress"
