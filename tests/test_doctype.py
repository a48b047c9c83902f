"""Document type from cues and a learned linear model (issue 15): every verdict explains itself,
the shipped weights are what the team's texts train, and the genres that real pages mix up
(news of an inspection, a feedback letter, a 人大 report, a speech) are told apart."""
import math
from pathlib import Path

import yaml

from dudao.classify import TYPES, classify
from dudao.doctype_train import train
from dudao.pipeline import analyze_text
from dudao.resources import load_yaml

ROOT = Path(__file__).resolve().parent.parent
TRAIN = ROOT / "tests" / "fixtures" / "doctype_train.yaml"


def _samples():
    data = yaml.safe_load(TRAIN.read_text(encoding="utf-8"))
    return [(t, label) for label, texts in data.items() for t in texts]


def test_shipped_model_is_the_trained_one():
    """Edit the cues or the texts, then run scripts/train_doctype.py: the shipped weights follow."""
    shipped = load_yaml("doctype_model")
    fresh = train(_samples())
    assert fresh == {"bias": shipped["bias"], "weights": shipped["weights"]}


def test_training_labels_are_known_types():
    assert {label.split("/")[0] for _, label in _samples()} <= set(TYPES)


def test_verdict_carries_confidence_and_cues_with_spans():
    text = ("关于对临川县人民政府2023年度履行教育职责的督导反馈意见\n临川县人民政府：\n"
            "市督导组于2024年4月对你县履行教育职责情况进行了督导评价。督导组认为，你县教育投入持续增加，"
            "学校、教师、学生各项工作稳步推进。现将督导意见反馈如下。")
    r = analyze_text(text)["reports"][0]
    assert r["doc_type"] == "feedback" and r["relevant"] is False
    assert 0 < r["doc_type_confidence"] <= 1 and r["doc_type_uncertain"] is (r["doc_type_confidence"] < 0.6)
    assert 1 <= len(r["doc_type_cues"]) <= 3
    for cue in r["doc_type_cues"]:
        assert r["text"][cue["start"]:cue["end"]] == cue["text"] and cue["cue"] and cue["weight"] > 0


def test_news_of_an_inspection_is_not_a_self_report():
    """A title naming 履行教育职责 does not make a news item a self-evaluation."""
    news = ("省督导组来我县督导履行教育职责工作\n6月3日上午，省政府督导组一行来我县开展履行教育职责督导。"
            "县长出席汇报会并汇报了我县教育工作情况。督导组强调，要正视问题、抓好整改。（通讯员 林青）")
    assert classify(news).doc_type == "news"


def test_speech_and_peoples_congress_report_are_other():
    speech = ("县长在全县迎接履行教育职责评价动员会上的讲话\n同志们：\n今天召开动员会，主要是部署迎评工作。"
              "我县学校、教师、学生工作取得了进步，但差距仍然明显。下面，我讲几点意见。")
    congress = ("关于县政府履行教育职责情况的报告\n——在县人大常委会第七次会议上\n主任、各位副主任、各位委员：\n"
                "受县人民政府委托，现将县政府履行教育职责情况报告如下，请予审议。全县学校、教师、学生情况稳定。")
    assert classify(speech).doc_type == "other"
    assert classify(congress).doc_type == "other"


def test_scope_self_reports():
    """A county's 均衡 self-evaluation, a leader's 履行教育职责 self-report and a province's
    self-report are self-reports; a project-spending 自评报告 and a bureau's summary are not."""
    balance = ("东岭县义务教育优质均衡发展督导评估自评报告\n根据省督导委员会的评估办法，我县对照指标开展自评。"
               "全县学校、教师配置达标，自评认为各项指标达到国家标准。现将自评情况报告如下。")
    leader = ("县长履行教育职责情况自评报告\n按照市委教育工作领导小组要求，现将本人履行抓教育第一责任人职责情况报告如下。"
              "全年研究教育工作6次，解决学校建设、教师编制问题9个。")
    province = ("某省人民政府关于履行教育职责情况的自查报告\n教育部：\n根据评价方案要求，我省开展自查自评，"
                "全省学校、教师、学生各项指标稳步提升。现将有关情况报告如下。")
    spending = ("县教育局2023年度项目支出绩效自评报告\n一、项目基本情况\n全年实施学校维修项目8个，年初预算1200万元，"
                "预算执行率98%，资金到位及时，学校、教师满意度较高。")
    summary = ("市教育局2023年工作总结\n一、工作开展情况\n全年新建学校5所，招聘教师320名，学生体质达标率提升。"
               "二、2024年工作打算\n继续推进学校建设。")
    assert [classify(t).relevant for t in (balance, leader, province)] == [True, True, True]
    assert [classify(t).relevant for t in (spending, summary)] == [False, False]


def test_cue_word_check_never_skips_a_matching_cue():
    """features() skips a cue whose words are not in the window (one automaton pass); every cue
    it skips has no match there, and every other cue is counted as its own pattern counts it."""
    from dudao.classify import _cues, features, title_end
    c = _cues()
    texts = [t for t, _ in _samples()] + ["我校各位领导、同志们，下面我讲三点。报告如下：本报讯 记者 2021年5月10日上午"]
    for text in texts:
        feats, _ = features(text)
        window = text[:c.data["window"]]
        tend = title_end(window, c.data["title_max_lines"], c.data["title_max_chars"])
        for name, pat in c.patterns.items():
            if c.data["cues"][name].get("title_only"):
                continue
            hits = list(pat.finditer(window))
            assert feats.get("text:" + name, 0.0) == (math.log1p(len(hits)) if hits else 0.0), (name, text[:40])
            if hits and hits[0].end() <= tend and name != "dateline":
                assert feats["title:" + name] == 1.0
