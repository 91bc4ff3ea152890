"""SQLAlchemy 2 models of the ledger (../shared/DESIGN.md, "Data model").

Text read from documents or made by extraction (names, indicator phrases, units, periods, rule names) is
`Text`: it has no natural bound, and PostgreSQL enforces VARCHAR(n) where SQLite does not. Codes from a
fixed list (kind, status, comparator …) stay short `String`s.

Spans (`start`, `end`) of claims and sections point into `document.original`, the text a user sees, so the
evidence of every number can be shown without the normalization offset map. The tables mirror the frozen
dataclasses of `planwatch.model`; `store.convert` turns rows into those dataclasses and back.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Optional

from sqlalchemy import (
    JSON, Boolean, DateTime, Float, ForeignKey, Integer, MetaData, String, Text, UniqueConstraint, Index,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Constraint names are fixed so that Alembic can alter them on every backend (SQLite batch mode needs names).
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# JSONB on PostgreSQL (indexable, compact), JSON text elsewhere.
Json = JSON().with_variant(JSONB(), "postgresql")

DOC_TYPES = ("five_year_plan", "work_report", "plan_execution_report", "statistical_bulletin", "article")
REVIEW_STATUSES = ("extracted", "confirmed", "corrected", "rejected")
LINK_STATUSES = ("auto", "confirmed", "manual", "rejected")
# Link statuses a human set; re-linking never deletes or changes them.
HUMAN_LINK_STATUSES = ("confirmed", "manual", "rejected")
ROLES = ("admin", "editor", "viewer")


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Region(Base):
    __tablename__ = "region"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(Text, unique=True)
    level: Mapped[str] = mapped_column(String(16), default="")  # province | city | county | district | ""
    parent_id: Mapped[Optional[int]] = mapped_column(ForeignKey("region.id", ondelete="SET NULL"))

    parent: Mapped[Optional["Region"]] = relationship(remote_side="Region.id")


class DocumentRow(Base):
    __tablename__ = "document"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(Text, index=True)  # file name: `doc` of the extract contract
    title: Mapped[str] = mapped_column(Text, default="")
    doc_type: Mapped[str] = mapped_column(String(32), default="article")
    region_id: Mapped[Optional[int]] = mapped_column(ForeignKey("region.id", ondelete="SET NULL"))
    year: Mapped[Optional[int]] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(Text, default="", index=True)  # path or URL as given at ingest
    format: Mapped[str] = mapped_column(String(16), default="txt")
    encoding: Mapped[str] = mapped_column(Text, default="")
    # The texts are loaded only when used: a claim's document is joined often and only its name is needed.
    text: Mapped[str] = mapped_column(Text, default="", deferred=True)  # normalized text the steps work on
    original: Mapped[str] = mapped_column(Text, default="", deferred=True)  # decoded file: what spans point into
    pages: Mapped[list] = mapped_column(Json, default=list)
    metadata_source: Mapped[dict] = mapped_column(Json, default=dict)  # how type/region/year were decided
    extractor: Mapped[str] = mapped_column(Text, default="")
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    region: Mapped[Optional[Region]] = relationship(lazy="joined")
    sections: Mapped[list["SectionRow"]] = relationship(
        back_populates="document", cascade="all, delete-orphan", passive_deletes=True, order_by="SectionRow.start")
    claims: Mapped[list["ClaimRow"]] = relationship(
        back_populates="document", cascade="all, delete-orphan", passive_deletes=True, order_by="ClaimRow.start")

    @property
    def region_name(self) -> str:
        return self.region.name if self.region else ""


class SectionRow(Base):
    __tablename__ = "section"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(Text, default="")
    title: Mapped[str] = mapped_column(Text, default="")
    path: Mapped[list] = mapped_column(Json, default=list)
    level: Mapped[int] = mapped_column(Integer, default=1)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)

    document: Mapped[DocumentRow] = relationship(back_populates="sections")


class IndicatorRow(Base):
    __tablename__ = "indicator"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(Text, unique=True)
    name: Mapped[str] = mapped_column(Text, index=True)
    aliases: Mapped[list] = mapped_column(Json, default=list)
    unit: Mapped[str] = mapped_column(Text, default="")
    measure: Mapped[str] = mapped_column(String(32), default="")
    direction: Mapped[str] = mapped_column(String(16), default="higher")
    category: Mapped[str] = mapped_column(Text, default="")
    attribute: Mapped[str] = mapped_column(String(16), default="")
    needs_review: Mapped[bool] = mapped_column(Boolean, default=False)


class ClaimRow(Base):
    __tablename__ = "claim"
    __table_args__ = (Index("ix_claim_document_id_start", "document_id", "start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    quote: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(16), index=True)
    measure: Mapped[str] = mapped_column(Text, default="")
    indicator: Mapped[str] = mapped_column(Text, default="")  # the phrase as extracted or corrected
    indicator_id: Mapped[Optional[int]] = mapped_column(ForeignKey("indicator.id", ondelete="SET NULL"), index=True)
    region: Mapped[str] = mapped_column(Text, default="")
    value: Mapped[Optional[float]] = mapped_column(Float)  # NULL for a qualitative target (省下达目标)
    value_max: Mapped[Optional[float]] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(Text, default="")
    comparator: Mapped[str] = mapped_column(String(8), default="=")
    qualifier: Mapped[str] = mapped_column(Text, default="")
    period: Mapped[str] = mapped_column(Text, default="")
    target_year: Mapped[Optional[int]] = mapped_column(Integer)
    baseline_value: Mapped[Optional[float]] = mapped_column(Float)
    baseline_year: Mapped[Optional[int]] = mapped_column(Integer)
    attribute: Mapped[str] = mapped_column(String(16), default="")
    flags: Mapped[list] = mapped_column(Json, default=list)
    source: Mapped[str] = mapped_column(String(16), default="text")
    rule: Mapped[str] = mapped_column(Text, default="")
    section: Mapped[str] = mapped_column(Text, default="")
    extractor: Mapped[str] = mapped_column(Text, default="rules")  # rules | human | <model name>
    review_status: Mapped[str] = mapped_column(String(16), default="extracted", index=True)
    # A human confirmed, corrected or rejected it: re-extraction keeps this row as it is.
    human: Mapped[bool] = mapped_column(Boolean, default=False)
    corrected_fields: Mapped[list] = mapped_column(Json, default=list)
    # The claim as the machine first extracted it, snapshotted when a human first touches it (services/review.py):
    # the key that tells re-extraction "this number is the one a human already reviewed".
    extracted: Mapped[Optional[dict]] = mapped_column(Json)
    anchor_lost: Mapped[bool] = mapped_column(Boolean, default=False)  # quote not found in a new version
    note: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    document: Mapped[DocumentRow] = relationship(back_populates="claims")
    indicator_row: Mapped[Optional[IndicatorRow]] = relationship()

    # Optimistic locking: every UPDATE checks and bumps the version; a concurrent change raises StaleDataError.
    __mapper_args__ = {"version_id_col": version}


class LinkRow(Base):
    __tablename__ = "link"
    __table_args__ = (UniqueConstraint("target_id", "actual_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("claim.id", ondelete="CASCADE"), index=True)
    actual_id: Mapped[int] = mapped_column(ForeignKey("claim.id", ondelete="CASCADE"), index=True)
    method: Mapped[str] = mapped_column(Text, default="")
    score: Mapped[float] = mapped_column(Float, default=1.0)
    comparable: Mapped[bool] = mapped_column(Boolean, default=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="auto", index=True)
    created_by: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    target: Mapped[ClaimRow] = relationship(foreign_keys=[target_id])
    actual: Mapped[ClaimRow] = relationship(foreign_keys=[actual_id])

    __mapper_args__ = {"version_id_col": version}


class AssessmentRow(Base):
    __tablename__ = "assessment"
    __table_args__ = (UniqueConstraint("target_id", "as_of"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("claim.id", ondelete="CASCADE"), index=True)
    as_of: Mapped[int] = mapped_column(Integer, index=True)
    status: Mapped[str] = mapped_column(String(32), default="")  # as computed by the rules
    actual_ids: Mapped[list] = mapped_column(Json, default=list)  # claims the verdict used
    progress: Mapped[Optional[float]] = mapped_column(Float)
    time_progress: Mapped[Optional[float]] = mapped_column(Float)
    required_growth: Mapped[Optional[float]] = mapped_column(Float)
    forecast: Mapped[str] = mapped_column(String(32), default="")
    numbers: Mapped[dict] = mapped_column(Json, default=dict)
    explanation: Mapped[str] = mapped_column(Text, default="")
    thresholds: Mapped[dict] = mapped_column(Json, default=dict)
    rule: Mapped[str] = mapped_column(Text, default="")
    # A human verdict replaces the computed one in every output; reassessment keeps it.
    override_status: Mapped[Optional[str]] = mapped_column(String(32))
    override_reason: Mapped[str] = mapped_column(Text, default="")
    override_by: Mapped[str] = mapped_column(Text, default="")
    override_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, default=1)
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    target: Mapped[ClaimRow] = relationship()

    __mapper_args__ = {"version_id_col": version}

    @property
    def effective_status(self) -> str:
        return self.override_status or self.status


class User(Base):
    # "user" is a reserved word in PostgreSQL; "users" spares every raw query the quoting.
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(Text, unique=True)
    role: Mapped[str] = mapped_column(String(16), default="editor")
    token_hash: Mapped[Optional[str]] = mapped_column(String(64), unique=True)
    # argon2 hash of the web login password (services/auth.py); None: the user logs in by API token only.
    password_hash: Mapped[Optional[str]] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Audit(Base):
    __tablename__ = "audit"
    __table_args__ = (Index("ix_audit_entity", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    who: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    what: Mapped[str] = mapped_column(String(64))  # claim.edit | claim.confirm | link.add | assessment.override …
    entity: Mapped[str] = mapped_column(String(32))  # claim | link | assessment
    entity_id: Mapped[Optional[int]] = mapped_column(Integer)
    before: Mapped[Optional[Any]] = mapped_column(Json)
    after: Mapped[Optional[Any]] = mapped_column(Json)
    reason: Mapped[str] = mapped_column(Text, default="")


class IngestJobRow(Base):
    """A file waiting to be ingested by `planwatch worker` (services/queue.py): operational state of a
    multi-process ingest, not part of the ledger; finished jobs can be deleted at any time."""
    __tablename__ = "ingest_job"
    __table_args__ = (Index("ix_ingest_job_status_id", "status", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    path: Mapped[str] = mapped_column(Text)
    options: Mapped[dict] = mapped_column(JSON, default=dict)  # doc_type, region, year, force
    status: Mapped[str] = mapped_column(String(16), default="queued")  # queued | running (SQLite) | done | failed
    result: Mapped[str] = mapped_column(String(16), default="")  # new | updated | unchanged | failed
    reason: Mapped[str] = mapped_column(Text, default="")
    document_id: Mapped[Optional[int]] = mapped_column(Integer)
    claims: Mapped[Optional[int]] = mapped_column(Integer)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    worker: Mapped[str] = mapped_column(Text, default="")
    enqueued_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))


class LedgerStamp(Base):
    """One row whose `version` goes up in every transaction that writes (store/stamp.py): the key of the
    caches of pages, the overview and search, read in one primary-key lookup however large the ledger."""
    __tablename__ = "ledger_stamp"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
