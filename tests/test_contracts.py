"""Stage contracts are enforced while the pipeline runs: a stage that reads or writes a field it
did not declare fails; scratch state never reaches the output."""
import pytest

from dudao.contracts import STAGES, ContractError, stage
from dudao.ingest.base import RawDoc
from dudao.pipeline import DEFAULT_STAGES, Pipeline

TEXT = ("丰和县2021年度履行教育职责自评报告\n一、基本情况\n全县普惠性幼儿园覆盖率达92.5%。\n"
        "二、存在问题\n优质教育资源总量不足。\n")


def _raw():
    return RawDoc(source="t.txt", format="txt", text=TEXT)


@pytest.fixture
def extra_stage():
    """Register a throw-away stage; removed again after the test."""
    added = []

    def register(name, fn, requires, provides):
        stage(name, requires=requires, provides=provides)(fn)
        added.append(name)
        return Pipeline(DEFAULT_STAGES + (name,))
    yield register
    for name in added:
        STAGES.pop(name, None)


def test_reading_an_undeclared_output_field_fails(extra_stage):
    def peek(report, ctx):
        report["note"] = report["region"]          # region is not in requires
    p = extra_stage("peek_region", peek, ("text",), ("note",))
    with pytest.raises(ContractError, match="reads undeclared field 'region'"):
        p.run(_raw())


def test_reading_undeclared_scratch_fails(extra_stage):
    def peek(report, ctx):
        report["note"] = len(report.get("changes") or [])
    p = extra_stage("peek_changes", peek, ("text",), ("note",))
    with pytest.raises(ContractError, match="'changes'"):
        p.run(_raw())


def test_writing_an_undeclared_field_fails(extra_stage):
    def sneak(report, ctx):
        report["doc_type"] = "news"                # declared by classify, not by this stage
    p = extra_stage("sneak", sneak, ("text",), ("note",))
    with pytest.raises(ContractError, match="writes undeclared field 'doc_type'"):
        p.run(_raw())


def test_declared_reads_and_scratch_work(extra_stage):
    def count(report, ctx):
        report["note"] = len(report["changes"]) + len(report["section_tree"])
    p = extra_stage("count", count, ("changes", "section_tree"), ("note",))
    out = p.run(_raw())["reports"][0]
    assert out["note"] >= 2
    assert not {"changes", "section_tree", "removed", "offset", "meta"} & set(out)


def test_requirements_are_checked_at_construction():
    with pytest.raises(ValueError, match="needs"):
        Pipeline(("problems",))   # needs section_tree from the sections stage


def test_every_stage_declares_what_it_writes():
    # The real stages run under the guard on a text that reaches every stage.
    out = Pipeline().run(_raw(), {"figures": True})["reports"][0]
    declared = {f for st in STAGES.values() for f in st.provides}
    assert set(out) - {"text", "label", "provenance", "id", "source", "schema_version"} <= declared
