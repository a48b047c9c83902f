"""The typed framework: a tree of indicators whose leaves (观测点/测评点) carry points and a rule."""
from __future__ import annotations

from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

GateKind = Literal["veto", "downgrade", "no_excellent"]
NAPolicy = Literal["rescale", "zero", "forbid"]

GATE_WORDS = {"veto": "一票否决（评为最低等次）", "downgrade": "降低一个等次", "no_excellent": "不得评为最高等次"}
NA_WORDS = {"rescale": "不适用的观测点不计分，按实际适用分值折算为满分", "zero": "不适用的观测点按 0 分计",
            "forbid": "不允许标记不适用"}


class _Base(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Rule(_Base):
    """How a leaf's score follows from what was found. Evaluated in plain Python (score.rule_score).

    deduct:    `per` points off per occurrence, at most `cap` in all (default: the point's value)
    threshold: full points when the measured value meets `target` (op >= or <=), else `fail_score`
    prorata:   points × value/target (op >=) or target/value (op <=), capped at the full points
    manual:    the reviewer enters the score; nothing is computed
    """
    kind: Literal["deduct", "threshold", "prorata", "manual"] = "manual"
    per: Optional[float] = Field(None, gt=0)
    cap: Optional[float] = Field(None, ge=0)
    target: Optional[float] = None
    op: Literal[">=", "<="] = ">="
    fail_score: float = Field(0, ge=0)
    unit: Optional[str] = None
    text: Optional[str] = None  # the wording of the 评分标准 as the office wrote it


class Node(_Base):
    id: str
    name: str
    points: float = Field(ge=0)
    rule: Optional[Rule] = None  # leaves only; a leaf without one is scored by hand
    units: list[str] = []  # 责任单位
    evidence: list[str] = []  # 佐证材料
    survey: list[str] = []  # respondent groups whose satisfaction feeds this point (社会人士/教师/学生/家长)
    source: Optional[str] = None
    children: list["Node"] = []

    @property
    def is_leaf(self) -> bool:
        return not self.children


class BonusItem(_Base):
    id: str
    name: str
    value: float = Field(gt=0)  # points per occurrence
    max: Optional[float] = Field(None, gt=0)  # most this item can give (default: value)
    source: Optional[str] = None

    @property
    def limit(self) -> float:
        return self.max if self.max is not None else self.value


class Bonus(_Base):
    cap: Optional[float] = Field(None, ge=0)  # overall cap on bonus points (None: no cap)
    items: list[BonusItem] = []
    source: Optional[str] = None


class Gate(_Base):
    id: str
    kind: GateKind
    name: str  # the words a reviewer writes, e.g. 仍有师生使用D级危房
    aliases: list[str] = []
    source: Optional[str] = None


class Band(_Base):
    name: str
    min: float  # inclusive
    max: Optional[float] = None  # exclusive; None for the top band (open, bonus may exceed the full score)


class Framework(_Base):
    id: str
    name: str
    full_score: float = 100
    example: bool = False  # an example to adapt, not an official framework
    source: Optional[str] = None
    na_policy: NAPolicy = "rescale"
    na_source: Optional[str] = None
    nodes: list[Node]
    bonus: Bonus = Bonus()
    gates: list[Gate] = []
    bands: list[Band] = []
    bands_source: Optional[str] = None
    notes: list[str] = []

    def leaves(self) -> list[Node]:
        out: list[Node] = []

        def walk(n: Node):
            if n.is_leaf:
                out.append(n)
            for c in n.children:
                walk(c)
        for n in self.nodes:
            walk(n)
        return out

    def walk(self):
        """(node, parent id or None, depth) for every node, depth first."""
        stack = [(n, None, 1) for n in reversed(self.nodes)]
        while stack:
            n, parent, depth = stack.pop()
            yield n, parent, depth
            stack.extend((c, n.id, depth + 1) for c in reversed(n.children))

    def bands_desc(self) -> list[Band]:
        return sorted(self.bands, key=lambda b: -b.min)
