"""Pydantic schemas of the JSON API (named XPublic / XsPublic as in the FastAPI full-stack template).

They describe what services.queries returns; routes validate the service's dict through them, so the
OpenAPI schema documents exactly what a page shows.
"""
from __future__ import annotations

from typing import Any, Optional

from pydantic import BaseModel, Field


class ClaimPublic(BaseModel):
    id: int
    version: int
    kind: str = Field(description="target | actual")
    measure: str
    indicator: str
    indicator_id: Optional[int]
    region: str
    value: Optional[float]
    value_max: Optional[float]
    unit: str
    comparator: str
    qualifier: str
    period: str
    target_year: Optional[int]
    year: Optional[int] = Field(description="the one year the claim speaks of, when it is one")
    baseline_value: Optional[float]
    baseline_year: Optional[int]
    attribute: str
    flags: list[str]
    source: str
    section: str
    rule: str
    review_status: str = Field(description="extracted | confirmed | corrected | rejected")
    quote: str = Field(description="the exact characters of the document")
    start: int = Field(description="code-point offset of the quote in the document's text")
    end: int
    document_id: int
    document: str
    document_title: str
    document_year: Optional[int]
    doc_type: str


class OverridePublic(BaseModel):
    status: str
    reason: str
    by: str
    at: Optional[str]


class AssessmentPublic(BaseModel):
    id: int
    version: int
    target_id: int
    as_of: int
    status: str = Field(description="the verdict shown: a human override, else the computed one")
    computed_status: str
    override: Optional[OverridePublic]
    explanation: str
    progress: Optional[float]
    time_progress: Optional[float]
    required_growth: Optional[float]
    forecast: str
    numbers: dict[str, Any]
    thresholds: dict[str, Any]
    rule: str
    actual_ids: list[int]


class AuditPublic(BaseModel):
    id: int
    who: str
    at: str
    what: str
    entity: str
    entity_id: Optional[int]
    reason: str
    before: Any = None
    after: Any = None


class AuditsPublic(BaseModel):
    entity: str
    entity_id: Optional[int]
    items: list[AuditPublic]


class LinkPublic(BaseModel):
    id: int
    target_id: int
    actual_id: int
    status: str
    method: str
    score: float
    comparable: bool
    reason: str
    claim: Optional[ClaimPublic] = Field(description="the claim at the other end of the link")


class CardTargetPublic(BaseModel):
    target: ClaimPublic
    assessment: Optional[AssessmentPublic]
    status: str


class IndicatorCardPublic(BaseModel):
    indicator: str
    indicator_id: Optional[int]
    unit: str
    attribute: str
    baseline_value: Optional[float]
    baseline_year: Optional[int]
    latest: Optional[ClaimPublic]
    target: ClaimPublic
    assessment: Optional[AssessmentPublic]
    status: str
    others: list[CardTargetPublic]


class PlanPublic(BaseModel):
    id: int
    title: str
    name: str
    year: Optional[int]


class OverviewPublic(BaseModel):
    as_of: Optional[int]
    counts: dict[str, int]
    documents: int
    targets: int
    actuals: int
    plan: Optional[PlanPublic]
    table: str
    cards: list[IndicatorCardPublic]


class IndicatorInfoPublic(BaseModel):
    id: int
    code: str
    name: str
    aliases: list[str]
    unit: str
    measure: str
    direction: str
    category: str
    attribute: str
    needs_review: bool


class PointPublic(BaseModel):
    year: int
    value: float
    claim_id: int


class PathPublic(BaseModel):
    claim_id: int
    from_year: int
    from_value: float
    to_year: int
    to_value: float


class ChartPublic(BaseModel):
    series: list[PointPublic]
    paths: list[PathPublic]
    targets: list[PointPublic]
    target_line: Optional[float]


class IndicatorRegionPublic(BaseModel):
    region: str
    targets: int
    actuals: int


class IndicatorPublic(BaseModel):
    indicator: IndicatorInfoPublic
    as_of: Optional[int]
    region: str = Field(description="the region shown: targets, actuals and chart are this region's")
    regions: list[IndicatorRegionPublic] = Field(description="every region with claims of this indicator")
    unit: str
    chart: ChartPublic
    targets: list[CardTargetPublic]
    actuals: list[ClaimPublic]


class CommitmentPublic(BaseModel):
    target: ClaimPublic
    assessment: Optional[AssessmentPublic]
    status: str
    actuals: list[ClaimPublic]


class CommitmentsPublic(BaseModel):
    year: Optional[int]
    years: list[int]
    as_of: Optional[int]
    status: str
    q: str
    counts: dict[str, int]
    total: int
    items: list[CommitmentPublic]


class DocumentPublic(BaseModel):
    id: int
    name: str
    title: str
    doc_type: str
    year: Optional[int]
    region: str
    format: str
    chars: int
    targets: int
    actuals: int


class DocumentsPublic(BaseModel):
    total: int
    limit: int
    offset: int
    documents: list[DocumentPublic] = Field(description="newest year first, at most `limit` from `offset`")


class DocumentInfoPublic(BaseModel):
    id: int
    name: str
    title: str
    doc_type: str
    year: Optional[int]
    region: str
    source: str
    chars: int


class SectionPublic(BaseModel):
    title: str
    level: int
    start: int
    end: int


class SegmentPublic(BaseModel):
    text: str
    claim_id: Optional[int] = None
    kind: Optional[str] = None
    review_status: Optional[str] = None


class DocumentViewPublic(BaseModel):
    document: DocumentInfoPublic
    sections: list[SectionPublic]
    segments: list[SegmentPublic]
    claims: list[ClaimPublic]


class ClaimDetailPublic(BaseModel):
    claim: ClaimPublic
    context_before: str
    context_after: str
    links: list[LinkPublic]
    assessment: Optional[AssessmentPublic]
    history: list[AuditPublic]


class ReviewItemPublic(BaseModel):
    claim: ClaimPublic
    reasons: list[str] = Field(description="low_score_link | new_indicator | unreviewed")
    links: list[LinkPublic]


class ReviewQueuePublic(BaseModel):
    reason: str
    counts: dict[str, int]
    total: int
    limit: int
    offset: int
    items: list[ReviewItemPublic]


class SnippetPublic(BaseModel):
    start: int
    before: str
    match: str
    after: str


class SearchDocumentPublic(BaseModel):
    id: int
    name: str
    title: str
    doc_type: str
    year: Optional[int]
    hits: int
    snippets: list[SnippetPublic]


class SearchPublic(BaseModel):
    q: str
    method: str = Field(description="fts | instr (SQLite) | trgm (PostgreSQL)")
    documents: list[SearchDocumentPublic] = Field(description="newest first, at most `limit` from `offset`")
    documents_total: int
    claims: list[ClaimPublic] = Field(description="targets first, in document order, at most `limit` from `offset`")
    claims_total: int
    claims_capped: bool = Field(description="true: more than claims_total claims match (counting stops at 1,000)")
    limit: int
    offset: int


# ---- writes ------------------------------------------------------------------------------------------

class ClaimEdit(BaseModel):
    changes: dict[str, Any] = Field(description="fields to change: value, unit, indicator, kind, measure …")
    version: Optional[int] = Field(None, description="the version you read; a newer one → 409")
    reason: str = ""


class ReviewAction(BaseModel):
    version: Optional[int] = None
    reason: str = ""


class LinkCreate(BaseModel):
    target_id: int
    actual_id: int
    comparable: bool = True
    reason: str = ""


class OverrideCreate(BaseModel):
    status: Optional[str] = Field(description="an assessment status, or null to clear the override")
    reason: str = ""
    as_of: Optional[int] = None
    version: Optional[int] = None


class MePublic(BaseModel):
    name: str
    role: str
    via: str
