"""The fast (libyaml) loader used for bundled data gives exactly what the pure-Python one gives."""
from pathlib import Path

import yaml

import dudao
from dudao.resources import load_yaml


def test_every_bundled_yaml_loads_the_same():
    data = Path(dudao.__file__).parent / "data"
    names = sorted(p.relative_to(data).with_suffix("").as_posix() for p in data.rglob("*.yaml"))
    assert len(names) > 10
    for name in names:
        text = (data / f"{name}.yaml").read_text(encoding="utf-8")
        assert repr(load_yaml(name)) == repr(yaml.safe_load(text)), name
