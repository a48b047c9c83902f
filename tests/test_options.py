"""Options are validated once at the edge with Chinese errors; the library API takes an Options
or a dict and returns typed reports."""
import pytest

import dudao
from conftest import EXAMPLES
from dudao import ConfigError, InputError, Options, Report

TEXT = (EXAMPLES / "02_lusong_2021.txt").read_bytes().decode("utf-8")


@pytest.mark.parametrize("bad, message", [
    ({"scheme": "x.yaml"}, "评价方案文件不存在：x.yaml"),
    ({"jobs": 0}, "并行进程数"),
    ({"figures": "也许"}, "figures"),
    ({"colour": "red"}, "未知的分析选项：colour"),
    ({"reference": ["/no/such/folder"]}, "参照文件不存在"),
    ({"framework": "/no/such.yaml"}, "指标框架文件不存在"),
])
def test_bad_options_get_chinese_errors(bad, message):
    with pytest.raises(ConfigError) as e:
        Options.coerce(bad)
    assert message in e.value.message


def test_scheme_path_is_loaded(tmp_path):
    p = tmp_path / "s.yaml"
    p.write_text("name: 测试方案\nlength_limit: 100\n", encoding="utf-8")
    opts = Options.coerce({"scheme": str(p), "figures": True})
    assert opts.scheme.name == "测试方案" and opts.scheme.length_limit == 100 and opts.figures
    assert Options.coerce(opts) is opts
    assert Options.coerce(None).scheme.name == Options().scheme.name


def test_analyze_text_options():
    with pytest.raises(ConfigError, match="评价方案文件不存在"):
        dudao.analyze_text(TEXT, options={"scheme": "x.yaml"})
    plain = dudao.analyze_text(TEXT)
    with_figures = dudao.analyze_text(TEXT, options={"figures": True}, name="芦淞.txt")
    assert all(isinstance(r, Report) for r in plain + with_figures)
    assert "figures" not in plain[0].model_dump(mode="json")
    assert with_figures[0].figures and with_figures[0].source == "芦淞.txt"
    with pytest.raises(InputError):
        dudao.analyze_text("  \n")
    as_keyword = dudao.analyze_text(TEXT, figures=True, options={"figures": False})
    assert as_keyword[0].figures == with_figures[0].figures
    with pytest.raises(ConfigError, match="未知的分析选项：colour"):
        dudao.analyze_text(TEXT, colour="red")


def test_path_bytes_and_text_agree():
    path = EXAMPLES / "03_santai_2023.docx"
    by_path = dudao.analyze_path(path)
    by_bytes = dudao.analyze_bytes(path.read_bytes(), path.name)
    dump = [r.model_dump(mode="json") for r in by_path]
    assert [r.model_dump(mode="json") | {"source": None} for r in by_bytes] == [d | {"source": None} for d in dump]
    assert by_path[0].region and by_path[0].region.name


def test_folder_skips_non_reports_but_a_single_one_fails(tmp_path):
    (tmp_path / "汇总.xlsx").write_bytes(b"PK\x03\x04 not a report")
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    assert len(dudao.analyze_path(tmp_path)) == 1
    with pytest.raises(InputError):
        dudao.analyze_path(tmp_path / "汇总.xlsx")


def test_help_shows_real_parameters():
    import inspect
    sig = inspect.signature(dudao.analyze_text)
    assert list(sig.parameters) == ["text", "name", "options", "option_fields"]
    for fn in (dudao.analyze_path, dudao.analyze_text, dudao.analyze_bytes):
        assert "Returns:" in fn.__doc__ and "Raises:" in fn.__doc__
