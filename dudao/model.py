"""The typed output contract (../shared/spec/output-contract.md, v1 plus additions).

`Document` is the JSON `dudao analyze` writes per input file; `Report` one report found in it.
`model_dump(mode="json")` gives exactly the contract dict: a field the pipeline did not emit
(e.g. `publish_month` when no month is known, `figures` without the figures option) is left out,
not written as null. Models allow extra keys so that a field added by a newer engine survives a
round trip; the tests check that today's outputs have none the model does not declare.
"""
from __future__ import annotations

from typing import Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, model_serializer

# Version of the output contract: bumped when a field changes meaning (additions keep "1.x").
SCHEMA_VERSION = "1.1"

# int and float are kept apart (a stated "95分" stays 95, "95.5" stays 95.5).
Number = Union[int, float]


class _Contract(BaseModel):
    model_config = ConfigDict(extra="allow")

    @model_serializer(mode="wrap")
    def _only_set(self, handler):
        data = handler(self)
        unset = set(type(self).model_fields) - self.model_fields_set
        return {k: v for k, v in data.items() if k not in unset} if unset else data


class Span(_Contract):
    """A character range [start, end) of the report's `text`."""
    start: int
    end: int


class Origin(_Contract):
    """Where an item stands in the source file: raw-text offset, PDF page, DOCX paragraph."""
    offset: int
    page: int | None = None
    paragraph: int | None = None


class Provenance(_Contract):
    clean_offset: int = Field(description="where the report starts in the cleaned document text")
    source_offset: Origin


class Region(Span):
    name: str
    adcode: str | None = None
    province: str | None = None
    city: str | None = None
    level: str = Field(description="province | city | county")


class ScoreItem(Span):
    label: str | None = None
    delta: Number | None = None
    reason: str | None = None
    each: bool | None = None


class SelfScore(_Contract):
    total: Number | None = None
    base: Number | None = None
    bonus: Number | None = None
    deducted: Number | None = None
    full_score: Number | None = None
    grade: str | None = None
    points_count: int | None = None
    items: list[ScoreItem] = []
    unlabelled: list[ScoreItem] = []
    spans: dict[str, list[int]] = {}
    zones: list[list[int]] = []
    placeholders: int | None = None


class Section(Span):
    heading: str
    level: int
    roles: list[str] = []
    numbered: bool | None = None
    number: int | None = None


class Problem(Span):
    text: str
    origin: Origin | None = None


class Placeholder(Span):
    text: str


class Reference(Span):
    text: str
    kind: str = Field(description="doc_no (文号) | citation (《…》)")


class Restated(Span):
    value: Number | None = None
    unit: str | None = None


class Indicator(Span):
    name: str | None = None
    scope: str | None = None
    value: Number | None = None
    high: Number | None = None
    unit: str | None = None
    kind: str = Field(description="actual | target | comparison (figures may also hold other kinds)")
    quote: str
    canonical: bool | None = None
    qualifier: str | None = None
    restated: list[Restated] = []
    origin: Origin | None = None


class Finding(Span):
    code: str
    severity: Literal["error", "warning", "info"]
    message: str
    title: str | None = None
    quote: str | None = None
    source: str | None = None
    data: dict[str, Any] = {}
    origin: Origin | None = None


class DocTypeCue(_Contract):
    """One cue that decided the document type: what it is, the text it matched, where, its weight."""
    cue: str
    text: str | None = None
    start: int | None = None
    end: int | None = None
    weight: Number | None = None


class Report(_Contract):
    """One report (article) found in an input file."""
    text: str
    label: str | None = None
    doc_type: str | None = None
    relevant: bool | None = None
    doc_type_scores: dict[str, Any] = Field({}, description="probability of each document type")
    doc_type_confidence: Number | None = Field(None, description="probability of the chosen type (0–1)")
    doc_type_cues: list[DocTypeCue] = Field([], description="the two or three cues that decided the type")
    doc_type_uncertain: bool | None = Field(None, description="true when the confidence is below 0.6")
    sections: list[Section] = []
    placeholders: list[Placeholder] = []
    work_year: int | None = None
    round_year: int | None = None
    issuer: str | None = None
    publish_date: str | None = None
    publish_month: str | None = None
    issuer_span: list[int] | None = None
    scheme_refs: list[str] = []
    citations: list[str] = []
    references: list[Reference] = []
    region: Region | None = None
    province_hint: str | None = None
    self_score: SelfScore | None = None
    problems: list[Problem] = []
    figures: list[Indicator] = []
    indicators: list[Indicator] = []
    findings: list[Finding] = []
    provenance: Provenance | None = None
    id: str | None = Field(None, description="<first 12 hex of sha256 of the source bytes (or text)>-<report index from 1>")
    source: str | None = Field(None, description="the input the report was read from")
    schema_version: str | None = None


class Document(_Contract):
    """One input file's analysis: what `dudao analyze` writes as `<stem>.json`."""
    source: str
    format: str
    encoding: str | None = None
    meta: dict[str, Any] = {}
    page_findings: list[str] = []
    reports: list[Report] = []
    schema_version: str | None = None


def json_schema() -> dict:
    """The JSON Schema of `Document` (committed as docs/report.schema.json)."""
    schema = Document.model_json_schema()
    schema["title"] = "dudao analysis output"
    return schema
