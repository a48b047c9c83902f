"""A small framework with hand-checkable numbers, shared by the framework tests."""
import yaml

from dudao.framework.load import parse_framework

SMALL = """
id: small
name: 测试指标体系
full_score: 100
nodes:
- id: A
  name: 保障
  points: 60
  children:
  - {id: A1, name: 大班额, points: 10, rule: {kind: deduct, per: 2, cap: 6}}
  - {id: A2, name: 普惠率, points: 20, rule: {kind: threshold, target: 85, fail_score: 5}}
  - {id: A3, name: 培训完成率, points: 30, rule: {kind: prorata, target: 90}}
- id: B
  name: 发展
  points: 40
  children:
  - {id: B1, name: 辍学率, points: 10, rule: {kind: prorata, target: 5, op: "<="}}
  - {id: B2, name: 中职达标, points: 30}
bonus:
  cap: 5
  items:
  - {id: J1, name: 国家级表彰, value: 2, max: 4}
  - {id: J2, name: 经验推广, value: 3}
gates:
- {id: V, kind: veto, name: 仍有师生使用D级危房}
- {id: D, kind: downgrade, name: 经费未落实, aliases: [两个只增不减未落实]}
- {id: N, kind: no_excellent, name: 违规补课}
bands:
- {name: 优秀, min: 90}
- {name: 良好, min: 80, max: 90}
- {name: 合格, min: 60, max: 80}
- {name: 不合格, min: 0, max: 60}
"""


def small(**changes):
    data = yaml.safe_load(SMALL)
    data.update(changes)
    return parse_framework(data)
